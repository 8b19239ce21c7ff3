#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <svcdisc/detail/index/interner.hpp>

/// What both indexes (selector_index.hpp, service_index.hpp) share: the namespace tag, the
/// memory report, the default key hashing and the (namespace, key, value) hash.
namespace svcdisc {

/// Tag type of all_namespaces.
struct all_namespaces_t {
    explicit all_namespaces_t() = default;
};

/// Pass instead of a namespace to query every namespace (like `kubectl get -A`).
inline constexpr all_namespaces_t all_namespaces{};

/// Where an index's memory goes, in bytes obtained from its allocator.
struct index_memory_usage {
    std::size_t postings = 0;  ///< posting lists: chunk tables, u16 arrays and bitsets
    std::size_t terms = 0;     ///< term records, the term hash table, numeric value lists
    std::size_t pods = 0;      ///< per-pod arrays (key, namespace, label terms) and the key map
    std::size_t labels = 0;    ///< label terms of pods with more than a pod record holds
    std::size_t strings = 0;   ///< interned keys, values and namespaces
    std::size_t selectors = 0; ///< service_index only: the registered selectors

    /// Everything together.
    [[nodiscard]] std::size_t total() const noexcept {
        return postings + terms + pods + labels + strings + selectors;
    }
};

namespace detail {

/// A string hash usable with std::string_view, const char* and std::string alike, so
/// look-ups by key never build a std::string. Pod names are short strings like label values,
/// so it is the interner's inlined hash rather than std::hash's out-of-line byte loop.
struct transparent_string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
        return static_cast<std::size_t>(interner<>::hash(text));
    }
};

template <class Key>
struct default_index_hash {
    using type = std::hash<Key>;
};
template <>
struct default_index_hash<std::string> {
    using type = transparent_string_hash;
};

template <class Key>
struct default_index_equal {
    using type = std::equal_to<Key>;
};
template <>
struct default_index_equal<std::string> {
    using type = std::equal_to<>;
};

template <class T>
concept transparent = requires {
    typename T::is_transparent;
};

/// What an index looks a pod or selector up by: its Key or, when Hash and KeyEqual are both
/// transparent, anything they accept (a std::string_view for std::string keys).
template <class K, class Key, class Hash, class KeyEqual>
concept lookup_key = std::convertible_to<const K&, const Key&> ||
    (transparent<Hash>&& transparent<KeyEqual>);

/// The one hash of a (namespace, key, value) term; no_id stands in for "any".
[[nodiscard]] constexpr std::uint64_t term_hash(std::uint32_t ns, std::uint32_t key,
                                                std::uint32_t value) noexcept {
    return ((std::uint64_t{ns} << 32U) | key) ^ (std::uint64_t{value} * 0x9E3779B97F4A7C15ULL);
}

} // namespace detail

/// The hash an index uses for pod keys by default: transparent (string_view look-ups) for
/// std::string, std::hash otherwise.
template <class Key>
using index_key_hash = typename detail::default_index_hash<Key>::type;

/// The key equality an index uses by default: transparent for std::string.
template <class Key>
using index_key_equal = typename detail::default_index_equal<Key>::type;

} // namespace svcdisc
