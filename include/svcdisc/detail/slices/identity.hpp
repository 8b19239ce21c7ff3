#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/config.hpp>
#include <svcdisc/detail/util/bits.hpp>
#include <svcdisc/detail/util/text_key.hpp>
#include <svcdisc/endpoint_slice.hpp>

/// Endpoint identity (Kubernetes' hashEndpoint) and the order new slices take endpoints in.
namespace svcdisc::detail {

/// Kubernetes' EndpointsEqualBeyondHash: node, zone, the three conditions and the targetRef
/// (its resourceVersion ignored) agree. Addresses and hostname are part of the identity.
template <class String>
[[nodiscard]] bool endpoints_equal_beyond_identity(const basic_endpoint<String>& a,
                                                   const basic_endpoint<String>& b) {
    if (a.node_name != b.node_name || a.zone != b.zone || a.conditions != b.conditions ||
        a.target_ref.has_value() != b.target_ref.has_value()) {
        return false;
    }
    if (!a.target_ref) {
        return true;
    }
    const auto& x = *a.target_ref;
    const auto& y = *b.target_ref;
    return x.kind == y.kind && x.namespace_ == y.namespace_ && x.name == y.name && x.uid == y.uid &&
           x.api_version == y.api_version && x.field_path == y.field_path;
}

/// Three-way comparison of two address lists as sorted multisets (the controller sorts them
/// before hashing an endpoint's identity).
template <class String>
[[nodiscard]] int compare_address_sets(const std::vector<String>& a, const std::vector<String>& b) {
    if (a.size() == 1 && b.size() == 1) {
        return std::string_view(a[0]).compare(std::string_view(b[0]));
    }
    std::vector<std::string_view> x(a.begin(), a.end());
    std::vector<std::string_view> y(b.begin(), b.end());
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    if (std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end())) {
        return -1;
    }
    return std::lexicographical_compare(y.begin(), y.end(), x.begin(), x.end()) ? 1 : 0;
}

/// Kubernetes' endpoint identity (hashEndpoint, shared by the EndpointSlice and mirroring
/// controllers): sorted addresses, hostname (absent reads as "") and the targetRef's namespace
/// and name. Three-way comparison, in that order.
template <class String>
[[nodiscard]] int compare_endpoint_identity(const basic_endpoint<String>& a,
                                            const basic_endpoint<String>& b) {
    const auto ref_field = [](const basic_endpoint<String>& e, bool name) {
        if (!e.target_ref) {
            return std::string_view();
        }
        return std::string_view(name ? e.target_ref->name : e.target_ref->namespace_);
    };
    const auto host = [](const basic_endpoint<String>& e) {
        return e.hostname ? std::string_view(*e.hostname) : std::string_view();
    };
    if (const int c = compare_address_sets(a.addresses, b.addresses); c != 0) {
        return c;
    }
    if (const int c = host(a).compare(host(b)); c != 0) {
        return c;
    }
    if (const int c = ref_field(a, false).compare(ref_field(b, false)); c != 0) {
        return c;
    }
    return ref_field(a, true).compare(ref_field(b, true));
}

/// Three-way comparison of whole endpoint records: identity first (compare_endpoint_identity),
/// then the targetRef's uid, nodeName, zone, the conditions (ready, serving, terminating), whether
/// a hostname is set, the addresses in their listed order, the rest of the targetRef (kind,
/// apiVersion, resourceVersion, fieldPath) and the hints; an absent optional field sorts first.
/// Two records compare equal only when they are equal, so the smallest of several copies of an
/// endpoint is the same whatever order they come in (docs/determinism.md).
template <class String>
[[nodiscard]] int compare_endpoint_records(const basic_endpoint<String>& a,
                                           const basic_endpoint<String>& b) {
    if (const int c = compare_endpoint_identity(a, b); c != 0) {
        return c;
    }
    using texts = std::vector<std::string_view>;
    const auto text = [](const std::optional<String>& s) {
        return s ? std::optional<std::string_view>(std::string_view(*s)) : std::nullopt;
    };
    const auto reference = [](const basic_endpoint<String>& e) {
        using fields = std::array<std::string_view, 5>;
        if (!e.target_ref) {
            return std::optional<fields>();
        }
        const auto& r = *e.target_ref;
        return std::optional<fields>(fields{
            std::string_view(r.uid), std::string_view(r.kind), std::string_view(r.api_version),
            std::string_view(r.resource_version), std::string_view(r.field_path)});
    };
    const auto hints = [](const basic_endpoint<String>& e) {
        if (!e.hints) {
            return std::optional<std::pair<texts, texts>>();
        }
        return std::optional<std::pair<texts, texts>>(
            std::pair<texts, texts>(texts(e.hints->for_zones.begin(), e.hints->for_zones.end()),
                                    texts(e.hints->for_nodes.begin(), e.hints->for_nodes.end())));
    };
    const auto record = [&](const basic_endpoint<String>& e) {
        return std::tuple(reference(e), text(e.node_name), text(e.zone), e.conditions.ready,
                          e.conditions.serving, e.conditions.terminating, e.hostname.has_value(),
                          texts(e.addresses.begin(), e.addresses.end()), hints(e));
    };
    const auto x = record(a);
    const auto y = record(b);
    if (x < y) {
        return -1;
    }
    return y < x ? 1 : 0;
}

/// Orders endpoints by identity (compare_endpoint_identity): the order of a mirrored group.
struct endpoint_identity_less {
    template <class String>
    bool operator()(const basic_endpoint<String>& a, const basic_endpoint<String>& b) const {
        return compare_endpoint_identity(a, b) < 0;
    }
};

/// The order new slices take endpoints in: first address, then pod namespace and name.
template <class String>
[[nodiscard]] bool endpoint_placement_less(const basic_endpoint<String>& a,
                                           const basic_endpoint<String>& b) {
    SVCDISC_ASSERT(!a.addresses.empty() && !b.addresses.empty());
    const std::string_view first_a = a.addresses.front();
    const std::string_view first_b = b.addresses.front();
    if (first_a != first_b) {
        return first_a < first_b;
    }
    const std::string_view ns_a = a.target_ref->namespace_;
    const std::string_view ns_b = b.target_ref->namespace_;
    if (ns_a != ns_b) {
        return ns_a < ns_b;
    }
    return std::string_view(a.target_ref->name) < std::string_view(b.target_ref->name);
}

/// A 64-bit hash of an endpoint's identity (see compare_endpoint_identity): sorting and looking
/// up by this number first keeps string comparisons for the rare equal hashes. Eight bytes at a
/// time; any mixing would do, as equal hashes are always confirmed.
template <class String>
[[nodiscard]] std::uint64_t endpoint_identity_hash(const basic_endpoint<String>& e) {
    constexpr std::uint64_t multiplier = 0x9e3779b97f4a7c15U;
    std::uint64_t hash = 0;
    const auto mix = [&](std::uint64_t word) {
        hash = (hash ^ word) * multiplier;
        hash ^= hash >> 29U;
    };
    const auto put = [&](std::string_view part) {
        std::size_t i = 0;
        for (; i + 8 <= part.size(); i += 8) {
            mix(load_word<std::uint64_t>(part.data() + i));
        }
        std::uint64_t tail = 0;
        if (i < part.size()) {
            std::memcpy(&tail, part.data() + i, part.size() - i);
        }
        // The length ends each part, so ("ab", "c") and ("a", "bc") differ.
        mix(tail ^ (std::uint64_t{part.size()} << 48U));
    };
    put(e.target_ref ? std::string_view(e.target_ref->namespace_) : std::string_view());
    put(e.target_ref ? std::string_view(e.target_ref->name) : std::string_view());
    put(e.hostname ? std::string_view(*e.hostname) : std::string_view());
    if (e.addresses.size() == 1) {
        put(e.addresses.front());
    } else {
        std::vector<std::string_view> sorted(e.addresses.begin(), e.addresses.end());
        std::sort(sorted.begin(), sorted.end());
        for (const std::string_view address : sorted) {
            put(address);
        }
    }
    return hash;
}

/// An endpoint's place in the placement sort: the text_prefix_key of its first address, so
/// the sort compares integers and falls back to strings only on a tie.
struct placement_key {
    text_prefix_key prefix;
    std::size_t index = 0;
};

template <class String>
[[nodiscard]] placement_key make_placement_key(const basic_endpoint<String>& e, std::size_t index) {
    SVCDISC_ASSERT(!e.addresses.empty());
    return {text_prefix_key_of(e.addresses.front()), index};
}

} // namespace svcdisc::detail
