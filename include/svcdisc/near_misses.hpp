#pragma once

/// What comes close to a selector entry that no pod satisfies: the "did you mean" behind
/// "my Service selects nothing". Kubernetes has no such rule (a selector matches or it does
/// not); this is svcdisc's help for reading a Service that selects fewer pods than intended.
///
///   text_similarity_of(wanted, found)                how close two keys or values are
///   selector_entry_near_misses(key, value, pods)     the labels pods carry instead

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/detail/util/edit_distance.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/pod.hpp>

namespace svcdisc {

/// How close a label key or value found on a pod is to the one a selector wants.
struct text_similarity {
    /// Single-byte insertions, deletions and substitutions between the two (Levenshtein).
    std::size_t distance = 0;
    /// Equal when ASCII case is ignored (`MyApp` and `myapp`).
    bool case_only = false;

    /// Close enough to be a likely typo: equal but for case, or at most two edits apart and
    /// no more than one edit per three bytes of the wanted text (`web`/`webb`, not `web`/`dns`).
    [[nodiscard]] bool close(std::size_t wanted_size) const noexcept {
        return case_only || (distance <= 2 && distance * 3 <= wanted_size);
    }
};

/// How close `found` is to `wanted`.
///
/// Example:
///     svcdisc::text_similarity_of("MyApp", "myapp");  // {distance 2, case_only true}
[[nodiscard]] inline text_similarity text_similarity_of(std::string_view wanted,
                                                        std::string_view found) {
    return {detail::edit_distance(wanted, found), detail::equal_ignoring_ascii_case(wanted, found)};
}

/// How a near miss differs from the selector entry.
enum class near_miss_kind : std::uint8_t {
    /// The pods have the entry's key with another value.
    other_value,
    /// The pods have the entry's value under another key.
    other_key,
};

/// A label some pods carry instead of a selector entry, and how many pods carry it.
struct near_miss {
    near_miss_kind kind = near_miss_kind::other_value;
    std::string key;
    std::string value;
    std::size_t pods = 0;
    /// The differing value (other_value) or key (other_key) against the wanted one.
    text_similarity similarity;
    /// similarity.close(size of the wanted value or key).
    bool close = false;
};

/// The pods that satisfy one selector entry, and the labels the others carry instead.
struct selector_entry_misses {
    /// Pods whose labels hold the entry.
    std::size_t satisfying = 0;
    /// In the order selector_entry_near_misses documents.
    std::vector<near_miss> near;
};

/// The labels `pods` carry that come close to the selector entry `key=value`: the entry's key
/// with other values, and the entry's value under other keys, each with the number of pods.
/// Pods that satisfy the entry are counted apart.
///
/// Order: the other values first, then the other keys; within each, close ones
/// (text_similarity::close) first, then by more pods, then by the text. `pods` is a range of
/// any pod type with svcdisc::pod_traits.
///
/// Example:
///     // selector entry app=MyApp; two pods labelled app=myapp, one app=other, one name=MyApp
///     auto misses = svcdisc::selector_entry_near_misses("app", "MyApp", pods).near;
///     // {other_value "app"="myapp" 2 pods, close}, {other_value "app"="other" 1 pod},
///     // {other_key "name"="MyApp" 1 pod}
template <class Pods>
[[nodiscard]] selector_entry_misses
selector_entry_near_misses(std::string_view key, std::string_view value, const Pods& pods) {
    selector_entry_misses result;
    std::vector<near_miss>& misses = result.near;
    const auto count = [&](near_miss_kind kind, std::string_view k, std::string_view v) {
        for (near_miss& miss : misses) {
            if (miss.kind == kind && miss.key == k && miss.value == v) {
                ++miss.pods;
                return;
            }
        }
        near_miss miss;
        miss.kind = kind;
        miss.key = std::string(k);
        miss.value = std::string(v);
        miss.pods = 1;
        const std::string_view wanted = kind == near_miss_kind::other_value ? value : key;
        miss.similarity = text_similarity_of(wanted, kind == near_miss_kind::other_value ? v : k);
        miss.close = miss.similarity.close(wanted.size());
        misses.push_back(std::move(miss));
    };
    for (const auto& p : pods) {
        using Pod = std::remove_cvref_t<decltype(p)>;
        const auto& labels = pod_traits<Pod>::labels(p);
        if (find_label(labels, key) == value) {
            ++result.satisfying;
            continue;
        }
        for (const auto& [k, v] : labels) {
            const std::string_view label_key(k);
            const std::string_view label_value(v);
            if (label_key == key) {
                count(near_miss_kind::other_value, label_key, label_value);
            } else if (label_value == value) {
                count(near_miss_kind::other_key, label_key, label_value);
            }
        }
    }
    std::sort(misses.begin(), misses.end(), [](const near_miss& a, const near_miss& b) {
        const std::string_view a_text = a.kind == near_miss_kind::other_value ? a.value : a.key;
        const std::string_view b_text = b.kind == near_miss_kind::other_value ? b.value : b.key;
        return std::tuple(a.kind, !a.close, b.pods, a_text) <
               std::tuple(b.kind, !b.close, a.pods, b_text);
    });
    return result;
}

} // namespace svcdisc
