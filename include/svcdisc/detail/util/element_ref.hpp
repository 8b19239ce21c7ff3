#pragma once

#include <functional>
#include <type_traits>

/// The range-element adapter every algorithm taking "a range of pods (nodes, slices)" uses.
namespace svcdisc::detail {

template <class T>
inline constexpr bool is_reference_wrapper_v = false;
template <class T>
inline constexpr bool is_reference_wrapper_v<std::reference_wrapper<T>> = true;

/// The object a range element stands for: the element itself, or what it points to. Pods,
/// nodes and slices may be passed by value, as raw or smart pointers (e.g. the result of an
/// index query) or as std::reference_wrapper.
template <class T>
[[nodiscard]] const auto& element_ref(const T& element) noexcept {
    if constexpr (std::is_pointer_v<T> || requires {
                      typename T::element_type;
                      *element;
                  }) {
        return *element;
    } else if constexpr (is_reference_wrapper_v<T>) {
        return element.get();
    } else {
        return element;
    }
}

/// The type element_ref returns for elements of `Range`, without cv or reference.
template <class Range>
using element_object_t =
    std::remove_cvref_t<decltype(element_ref(*std::begin(std::declval<const Range&>())))>;

} // namespace svcdisc::detail
