#pragma once

#include <string_view>

#include <svcdisc/detail/go/sort.hpp>

/// The order Kubernetes keeps a selector's requirements in (docs/labels-and-selectors.md).
namespace svcdisc::detail::selectors {

/// The Go release whose `sort.Sort` the order follows. Kubernetes 1.35 is built with Go 1.24 or
/// later, so requirements that share a key end up where Go 1.24's breakPatterns leaves them
/// (docs/determinism.md).
inline constexpr go::xorshift_variant kubernetes_sort_variant = go::xorshift_variant::go1_24;

/// Sorts requirements by key only, exactly as upstream's `sort.Sort(ByKey(…))` does in
/// `labels.Parse`, `Selector.Add` and `SelectorFromSet`: up to 12 requirements keep the input
/// order among equal keys; from 13 on, Go's pattern-defeating quicksort may reorder them.
/// `key_of` gives an element's key as something convertible to std::string_view.
template <class RandomIt, class KeyOf>
void sort_by_key(RandomIt first, RandomIt last, KeyOf key_of) {
    go::sort(
        first, last,
        [&key_of](const auto& a, const auto& b) {
            return std::string_view(key_of(a)) < std::string_view(key_of(b));
        },
        kubernetes_sort_variant);
}

} // namespace svcdisc::detail::selectors
