#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/detail/fnv.hpp>
#include <svcdisc/detail/go_dump.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/meta.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

/// EndpointSlices as Kubernetes' EndpointSlice controller writes them (spec §6), derived from
/// scratch (derive_endpoint_slices) or reconciled against the slices that already exist
/// (reconcile_endpoint_slices, spec §6.6).
///
/// Where upstream iterates Go maps or sets (and so is random), svcdisc decides as follows:
///   * address types: in the order `spec.ipFamilies` lists them; without ipFamilies, the
///     clusterIP's family, or IPv4 then IPv6 for a headless Service;
///   * port groups (pods that serve the same set of ports): ascending by their key, the sorted
///     list of FNV-128a digests of the ports' debug-dumps (compared byte-wise; the group without
///     ports comes first);
///   * endpoints of a group: ascending by first address (byte-wise), then pod namespace, then
///     pod name; new slices take them in that order, `max_endpoints_per_slice` at a time, and
///     endpoints added to an existing slice are appended in that order;
///   * existing slices: visited in name order; slices to top up: fullest first, ties by name;
///     the slice to fill among the unchanged ones: the first by name of those that end up
///     closest to full;
///   * result lists: per address type (in the order above; slices of address types the
///     Service no longer has come last); creations in creation order (group, then chunk),
///     updates and deletions by name;
///   * names of new slices: `<generateName><5 characters>` from the API server's alphabet
///     `bcdfghjklmnpqrstvwxz2456789`, with `generateName` (`<service>-`) cut to 58 bytes as the
///     API server does; the 5 characters come from an FNV-128a hash of namespace, Service
///     name, address type, port-group key and the slice's ordinal in its group, rehashed until
///     the name is new among the existing slices of the namespace and those created before.
namespace svcdisc {

/// What the EndpointSlice derivation assumes about a pod's node (spec §6.3, §14.1).
///
/// Example:
///     svcdisc::endpoint_slice_options options;
///     options.node_policy = svcdisc::node_policy::assume_present;
enum class node_policy : std::uint8_t {
    /// Kubernetes' own rule: a pod whose nodeName is not among the given nodes (an empty
    /// nodeName included) is left out, unless the Service publishes not-ready addresses, in
    /// which case it is kept without a zone.
    upstream,
    /// Every non-empty nodeName names an existing node; its zone is known only when that node
    /// is among the given nodes. An empty nodeName is still never a known node.
    assume_present,
};

/// Settings of the EndpointSlice derivation.
///
/// `max_endpoints_per_slice` must lie in 1..1000 (kube-controller-manager's
/// `--max-endpoints-per-slice`); derive_endpoint_slices and reconcile_endpoint_slices throw
/// std::invalid_argument otherwise.
///
/// Example:
///     svcdisc::endpoint_slice_options options{.max_endpoints_per_slice = 500};
struct endpoint_slice_options {
    /// The most endpoints a slice holds (spec §6.8).
    std::size_t max_endpoints_per_slice = default_max_endpoints_per_slice;
    /// How pods' nodes are looked up (spec §6.3).
    svcdisc::node_policy node_policy = svcdisc::node_policy::upstream;
};

/// The writes the EndpointSlice controller would issue for one Service (spec §6.6).
///
/// `to_create` slices carry a generated name (see the top of this header); a `to_update` slice
/// is either an existing slice with new endpoints or labels, or a new slice that took over the
/// name of a slice that would otherwise have been deleted.
template <class String>
struct basic_endpoint_slice_changes {
    std::vector<basic_endpoint_slice<String>> to_create;
    std::vector<basic_endpoint_slice<String>> to_update;
    std::vector<basic_endpoint_slice<String>> to_delete;

    friend bool operator==(const basic_endpoint_slice_changes&,
                           const basic_endpoint_slice_changes&) = default;
};

using endpoint_slice_changes = basic_endpoint_slice_changes<std::string>;

namespace detail {

/// Port value meaning "the targetPort did not resolve on this pod" (ports are int32).
inline constexpr std::int64_t unresolved_port = std::numeric_limits<std::int64_t>::min();

/// Kubernetes' generated names: base cut to 58 bytes, then 5 characters from this alphabet.
inline constexpr std::string_view generate_name_alphabet = "bcdfghjklmnpqrstvwxz2456789";
inline constexpr std::size_t generate_name_max_base = 58;
inline constexpr std::size_t generate_name_suffix_length = 5;

/// Kubernetes' getEndpointSlicePrefix, used by both controllers (spec §6.7, §13.5): `<name>-`
/// when that is a valid generateName (the API server masks a trailing '-' before validating it
/// as a DNS subdomain), else the bare name.
[[nodiscard]] inline std::string generate_name_prefix(std::string_view name) {
    std::string prefix(name);
    prefix += 'a';
    const bool dash_allowed = is_dns1123_subdomain(prefix);
    prefix.pop_back();
    if (dash_allowed) {
        prefix += '-';
    }
    return prefix;
}

/// A name the API server could generate from `generate_name`: the base cut to 58 bytes, then 5
/// characters of its alphabet, here drawn from the first 8 bytes of `digest` so that the same
/// input always gets the same name.
[[nodiscard]] inline std::string generated_name(std::string_view generate_name,
                                                const digest128& digest) {
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        bits = (bits << 8U) | digest[i];
    }
    std::string name(generate_name.substr(0, generate_name_max_base));
    for (std::size_t i = 0; i < generate_name_suffix_length; ++i) {
        name += generate_name_alphabet[bits % generate_name_alphabet.size()];
        bits /= generate_name_alphabet.size();
    }
    return name;
}

[[noreturn]] inline void throw_bad_max_endpoints_per_slice() {
    throw std::invalid_argument("svcdisc: max_endpoints_per_slice must be between 1 and 1000");
}

template <class T>
inline constexpr bool is_reference_wrapper_v = false;
template <class T>
inline constexpr bool is_reference_wrapper_v<std::reference_wrapper<T>> = true;

/// The element itself, or what it stands for: pods, nodes and slices may be passed by value,
/// as raw or smart pointers (e.g. the result of an index query) or as std::reference_wrapper.
template <class T>
const auto& element_ref(const T& element) noexcept {
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

/// FNV-128a of the go-spew dump of a discovery/v1 EndpointPort (fields Name, Protocol, Port,
/// AppProtocol, all pointers), e.g. `(v1.EndpointPort){Name:(*string)http
/// Protocol:(*v1.Protocol)TCP Port:(*int32)8080 AppProtocol:(*string)<nil>}` on one line; the
/// key that orders a new slice's ports (spec §6.5).
template <class String>
[[nodiscard]] digest128 endpoint_port_digest(const basic_endpoint_slice_port<String>& port) {
    fnv128a_hasher hasher;
    go_dump_writer out(hasher);
    out.begin_struct("v1.EndpointPort");
    out.field("Name");
    out.optional_string_value("*string", port.name);
    out.field("Protocol");
    out.optional_string_value("*v1.Protocol", port.protocol);
    out.field("Port");
    if (port.port) {
        out.int32_value("*int32", *port.port);
    } else {
        out.nil_value("*int32");
    }
    out.field("AppProtocol");
    out.optional_string_value("*string", port.app_protocol);
    out.end_struct();
    return hasher.finish();
}

/// Kubernetes' NewPortMapKey without the final hash: the ports' digests, sorted. Two port lists
/// are the same group exactly when these keys are equal.
template <class String>
[[nodiscard]] std::vector<digest128>
port_group_key(const std::vector<basic_endpoint_slice_port<String>>& ports) {
    std::vector<digest128> key;
    key.reserve(ports.size());
    for (const auto& port : ports) {
        key.push_back(endpoint_port_digest(port));
    }
    std::sort(key.begin(), key.end());
    return key;
}

/// The address types the Service's slices use, in svcdisc's order (spec §6.2).
template <class String>
[[nodiscard]] std::vector<std::string_view>
service_address_types(const basic_service<String>& svc) {
    std::vector<std::string_view> types;
    for (const auto& family : svc.spec.ip_families) {
        const std::string_view name = family;
        for (const std::string_view known : {address_type::ipv4, address_type::ipv6}) {
            if (name == known && std::find(types.begin(), types.end(), known) == types.end()) {
                types.push_back(known);
            }
        }
    }
    if (!types.empty()) {
        return types;
    }
    if (is_service_ip_set(svc)) {
        types.push_back(ip_family_of(svc.spec.cluster_ip) == ip_family::ipv6 ? address_type::ipv6
                                                                             : address_type::ipv4);
    } else {
        types = {address_type::ipv4, address_type::ipv6};
    }
    return types;
}

[[nodiscard]] inline bool is_reserved_slice_label(std::string_view key) noexcept {
    return key == endpoint_slice_keys::service_name_label ||
           key == endpoint_slice_keys::managed_by_label || key == endpoints_keys::headless_label;
}

/// Kubernetes' setEndpointSliceLabels (spec §6.7): the Service's labels without the reserved
/// keys, the headless label when clusterIP is not set, then service-name and managed-by.
template <class String>
[[nodiscard]] basic_label_set<String> desired_slice_labels(const basic_service<String>& svc) {
    basic_label_set<String> labels;
    for (const auto& [key, value] : svc.metadata.labels) {
        if (!is_reserved_slice_label(key)) {
            labels.insert_or_assign(key, value);
        }
    }
    if (!is_service_ip_set(svc)) {
        labels.insert_or_assign(endpoints_keys::headless_label, "");
    }
    labels.insert_or_assign(endpoint_slice_keys::service_name_label, svc.metadata.name);
    labels.insert_or_assign(endpoint_slice_keys::managed_by_label,
                            endpoint_slice_keys::endpointslice_controller);
    return labels;
}

/// True when the slice's non-reserved labels differ from the Service's non-reserved labels,
/// which alone makes the controller rewrite a slice. A change of the headless label does not.
template <class String>
[[nodiscard]] bool slice_labels_outdated(const basic_label_set<String>& slice_labels,
                                         const basic_label_set<String>& service_labels) {
    auto a = slice_labels.begin();
    auto b = service_labels.begin();
    while (true) {
        while (a != slice_labels.end() && is_reserved_slice_label(a->first)) {
            ++a;
        }
        while (b != service_labels.end() && is_reserved_slice_label(b->first)) {
            ++b;
        }
        if (a == slice_labels.end() || b == service_labels.end()) {
            return (a == slice_labels.end()) != (b == service_labels.end());
        }
        if (*a != *b) {
            return true;
        }
        ++a;
        ++b;
    }
}

/// Kubernetes' ownedBy: an owner reference to this Service's uid, kind Service, apiVersion v1.
template <class String>
[[nodiscard]] bool slice_owned_by(const basic_endpoint_slice<String>& slice,
                                  const basic_service<String>& svc) {
    return std::any_of(slice.metadata.owner_references.begin(),
                       slice.metadata.owner_references.end(), [&](const auto& owner) {
                           return owner.uid == svc.metadata.uid &&
                                  std::string_view(owner.kind) == "Service" &&
                                  std::string_view(owner.api_version) == "v1";
                       });
}

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

/// Kubernetes' endpoint identity (hashEndpoint): sorted addresses, hostname and the
/// targetRef's namespace and name. Three-way comparison.
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
    if (const int c = ref_field(a, false).compare(ref_field(b, false)); c != 0) {
        return c;
    }
    if (const int c = ref_field(a, true).compare(ref_field(b, true)); c != 0) {
        return c;
    }
    if (const int c = host(a).compare(host(b)); c != 0) {
        return c;
    }
    return compare_address_sets(a.addresses, b.addresses);
}

/// The order new slices take endpoints in: first address, then pod namespace and name.
template <class String>
[[nodiscard]] bool endpoint_placement_less(const basic_endpoint<String>& a,
                                           const basic_endpoint<String>& b) {
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
            std::uint64_t word = 0;
            std::memcpy(&word, part.data() + i, 8);
            mix(word);
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

/// The first 16 bytes of an endpoint's first address as two big-endian numbers (zero-padded),
/// so the placement sort compares integers and falls back to strings only on a tie.
struct placement_key {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    std::size_t index = 0;
};

template <class String>
[[nodiscard]] placement_key make_placement_key(const basic_endpoint<String>& e, std::size_t index) {
    const std::string_view first = e.addresses.front();
    placement_key key;
    key.index = index;
    for (std::size_t i = 0; i < 16; ++i) {
        const std::uint64_t byte = i < first.size() ? static_cast<std::uint8_t>(first[i]) : 0U;
        std::uint64_t& half = i < 8 ? key.high : key.low;
        half = (half << 8U) | byte;
    }
    return key;
}

/// A set of pods serving the same ports: the ports (in digest order) and the group key.
template <class String>
struct port_group {
    std::vector<digest128> key;
    std::vector<basic_endpoint_slice_port<String>> ports;
};

/// One port group's share of an address type's endpoints: their placement order and an index
/// sorted by identity hash for the look-ups of the incremental reconcile. Both hold positions
/// in typed_endpoints::all, so endpoints are never moved to be sorted: each is built in place
/// and moved once, into its slice.
struct group_endpoints {
    /// Positions in placement order, each identity once.
    std::vector<std::size_t> order;
    /// (identity hash, position), sorted.
    std::vector<std::pair<std::uint64_t, std::size_t>> by_identity;

    /// Position of the endpoint with `wanted`'s identity among `all`, if this group has it.
    template <class String>
    [[nodiscard]] std::optional<std::size_t> find(const std::vector<basic_endpoint<String>>& all,
                                                  const basic_endpoint<String>& wanted) const {
        const std::uint64_t hash = endpoint_identity_hash(wanted);
        auto it = std::lower_bound(by_identity.begin(), by_identity.end(),
                                   std::pair<std::uint64_t, std::size_t>(hash, 0));
        for (; it != by_identity.end() && it->first == hash; ++it) {
            if (compare_endpoint_identity(all[it->second], wanted) == 0) {
                return it->second;
            }
        }
        return std::nullopt;
    }
};

/// The endpoints of one address type: all of them in the order the pods came, and per port
/// group the part that group publishes.
template <class String>
struct typed_endpoints {
    std::vector<basic_endpoint<String>> all;
    std::vector<group_endpoints> groups;
};

/// Everything the controller wants for one Service: groups and, per address type, the
/// endpoints (spec §6.2–§6.5).
template <class String>
struct desired_slices {
    std::vector<std::string_view> address_types;
    std::vector<port_group<String>> groups;
    /// One entry per address type.
    std::vector<typed_endpoints<String>> endpoints;

    /// Index of the group with this key, if the Service wants it.
    [[nodiscard]] std::optional<std::size_t> find_group(const std::vector<digest128>& key) const {
        const auto it = std::lower_bound(
            groups.begin(), groups.end(), key,
            [](const port_group<String>& g, const std::vector<digest128>& k) { return g.key < k; });
        if (it == groups.end() || it->key != key) {
            return std::nullopt;
        }
        return static_cast<std::size_t>(it - groups.begin());
    }
};

/// Puts the endpoints at `members` (positions in `all`) into placement order and drops
/// repeated identities (only possible when the input repeats a pod; the copy with the smallest
/// uid is kept).
template <class String>
[[nodiscard]] group_endpoints finish_group_endpoints(const std::vector<basic_endpoint<String>>& all,
                                                     const std::vector<std::size_t>& members) {
    std::vector<std::pair<std::uint64_t, std::size_t>> identities;
    identities.reserve(members.size());
    for (const std::size_t i : members) {
        identities.emplace_back(endpoint_identity_hash(all[i]), i);
    }
    std::sort(identities.begin(), identities.end(), [&](const auto& a, const auto& b) {
        if (a.first != b.first) {
            return a.first < b.first;
        }
        const int c = compare_endpoint_identity(all[a.second], all[b.second]);
        return c != 0 ? c < 0
                      : std::string_view(all[a.second].target_ref->uid) <
                            std::string_view(all[b.second].target_ref->uid);
    });
    identities.erase(std::unique(identities.begin(), identities.end(),
                                 [&](const auto& a, const auto& b) {
                                     return a.first == b.first &&
                                            compare_endpoint_identity(all[a.second],
                                                                      all[b.second]) == 0;
                                 }),
                     identities.end());

    std::vector<placement_key> keys;
    keys.reserve(identities.size());
    for (const auto& identity : identities) {
        keys.push_back(make_placement_key(all[identity.second], identity.second));
    }
    std::sort(keys.begin(), keys.end(), [&](const placement_key& a, const placement_key& b) {
        if (a.high != b.high) {
            return a.high < b.high;
        }
        if (a.low != b.low) {
            return a.low < b.low;
        }
        return endpoint_placement_less(all[a.index], all[b.index]);
    });
    group_endpoints group;
    group.order.reserve(keys.size());
    for (const placement_key& key : keys) {
        group.order.push_back(key.index);
    }
    // Equal hashes were ordered by identity; the index wants (hash, position) order.
    std::sort(identities.begin(), identities.end());
    group.by_identity = std::move(identities);
    return group;
}

/// Lexicographic order of two contiguous ranges of port numbers, usable with std::map's
/// heterogeneous look-up (a resolved-port tuple is looked up as a span, stored as a vector).
struct port_tuple_less {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    }
};

/// A node's name and zone, for look-up by name.
struct node_zone_entry {
    std::string_view name;
    std::optional<std::string_view> zone;
};

template <class Nodes>
[[nodiscard]] std::vector<node_zone_entry> node_zone_table(const Nodes& nodes) {
    std::vector<node_zone_entry> table;
    for (const auto& element : nodes) {
        const auto& n = element_ref(element);
        table.push_back({std::string_view(n.metadata.name), node_zone(n)});
    }
    // Node names are unique in a cluster; if the input repeats one, its first entry counts.
    std::stable_sort(
        table.begin(), table.end(),
        [](const node_zone_entry& a, const node_zone_entry& b) { return a.name < b.name; });
    table.erase(std::unique(table.begin(), table.end(),
                            [](const node_zone_entry& a, const node_zone_entry& b) {
                                return a.name == b.name;
                            }),
                table.end());
    return table;
}

/// Builds what the controller wants for `svc` (spec §6.2–§6.5), reading every pod once.
template <class String, class Pods, class Nodes>
[[nodiscard]] desired_slices<String> collect_desired_slices(const basic_service<String>& svc,
                                                            const Pods& pods, const Nodes& nodes,
                                                            node_policy policy) {
    using pod_type = std::remove_cvref_t<decltype(element_ref(*std::begin(pods)))>;
    static_assert(check_pod_like<pod_type>());
    using traits = pod_traits<pod_type>;

    desired_slices<String> desired;
    desired.address_types = service_address_types(svc);
    const std::size_t type_count = desired.address_types.size();
    std::vector<ip_family> families;
    for (const std::string_view type : desired.address_types) {
        families.push_back(type == address_type::ipv6 ? ip_family::ipv6 : ip_family::ipv4);
    }
    desired.endpoints.resize(type_count);
    // Per address type, the resolved-port tuple of each endpoint in `all`.
    std::vector<std::vector<std::size_t>> tuple_of(type_count);
    if constexpr (requires { std::size(pods); }) {
        for (std::size_t t = 0; t < type_count; ++t) {
            desired.endpoints[t].all.reserve(std::size(pods));
            tuple_of[t].reserve(std::size(pods));
        }
    }

    // Pods resolving every service port to the same numbers share a tuple. Every pod that
    // passes the filter registers its tuple, even one that ends up with no endpoint: upstream
    // registers the port group before it looks at the node and the addresses.
    const auto& service_ports = svc.spec.ports;
    std::map<std::vector<std::int64_t>, std::size_t, port_tuple_less> tuple_ids;
    std::vector<std::int64_t> numbers(service_ports.size());
    const auto zones = node_zone_table(nodes);
    const bool pnra = svc.spec.publish_not_ready_addresses;
    for (const auto& element : pods) {
        const pod_type& p = element_ref(element);
        if (!service_selects_pod(svc, p) || !should_pod_be_in_endpoints(p, true)) {
            continue;
        }
        for (std::size_t k = 0; k < service_ports.size(); ++k) {
            const auto number = find_target_port(p, service_ports[k]);
            numbers[k] = number ? std::int64_t{*number} : unresolved_port;
        }
        auto tuple = tuple_ids.find(std::span<const std::int64_t>(numbers));
        if (tuple == tuple_ids.end()) {
            tuple = tuple_ids.emplace(numbers, tuple_ids.size()).first;
        }

        // pod_traits may return strings by value: keep the result alive while it is viewed.
        const auto& node_name_text = traits::node_name(p);
        const std::string_view node_name = node_name_text;
        std::optional<std::string_view> zone;
        bool known = false;
        if (!node_name.empty()) {
            const auto it = std::lower_bound(
                zones.begin(), zones.end(), node_name,
                [](const node_zone_entry& e, std::string_view wanted) { return e.name < wanted; });
            if (it != zones.end() && it->name == node_name) {
                known = true;
                zone = it->zone;
            } else {
                known = policy == node_policy::assume_present;
            }
        }
        if (!known && !pnra) {
            continue;
        }

        const bool serving = traits::ready(p);
        const bool terminating = traits::terminating(p);
        const bool hostname = should_set_hostname(p, svc);
        for (std::size_t t = 0; t < type_count; ++t) {
            auto& all = desired.endpoints[t].all;
            basic_endpoint<String>& ep = all.emplace_back();
            for (const auto& ip_text : traits::pod_ips(p)) {
                // The controller re-prints each podIP in Go's canonical form. Text that is no
                // IP would come out as "<nil>", which the API server rejects; it is skipped.
                const auto address = ip_address::parse(std::string_view(ip_text));
                if (address && address->family() == families[t]) {
                    if constexpr (std::is_same_v<String, std::string>) {
                        ep.addresses.push_back(address->to_string());
                    } else {
                        ep.addresses.push_back(String(std::string_view(address->to_string())));
                    }
                }
            }
            if (ep.addresses.empty()) {
                all.pop_back();
                continue;
            }
            tuple_of[t].push_back(tuple->second);
            ep.conditions.ready = pnra || (serving && !terminating);
            ep.conditions.serving = serving;
            ep.conditions.terminating = terminating;
            if (hostname) {
                ep.hostname = String(std::string_view(traits::hostname(p)));
            }
            if (!node_name.empty()) {
                ep.node_name = String(node_name);
            }
            if (zone) {
                ep.zone = String(*zone);
            }
            auto& ref = ep.target_ref.emplace();
            ref.kind = String(std::string_view("Pod"));
            ref.namespace_ = String(std::string_view(traits::namespace_(p)));
            ref.name = String(std::string_view(traits::name(p)));
            ref.uid = String(std::string_view(traits::uid(p)));
        }
    }

    // The ports of each tuple, in digest order, and its key; tuples with equal keys (possible
    // only with repeated port names) share a group; groups are ordered by key.
    std::vector<port_group<String>> tuple_groups(tuple_ids.size());
    for (const auto& [tuple, id] : tuple_ids) {
        port_group<String>& group = tuple_groups[id];
        std::vector<std::pair<digest128, basic_endpoint_slice_port<String>>> ports;
        for (std::size_t k = 0; k < tuple.size(); ++k) {
            if (tuple[k] == unresolved_port) {
                continue;
            }
            const auto& service_port = service_ports[k];
            basic_endpoint_slice_port<String> port;
            port.name = service_port.name;
            port.protocol = service_port.protocol;
            port.port = static_cast<std::int32_t>(tuple[k]);
            port.app_protocol = service_port.app_protocol;
            ports.emplace_back(endpoint_port_digest(port), std::move(port));
        }
        std::sort(ports.begin(), ports.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& [digest, port] : ports) {
            group.key.push_back(digest);
            group.ports.push_back(std::move(port));
        }
    }
    std::vector<std::size_t> by_key(tuple_groups.size());
    for (std::size_t i = 0; i < by_key.size(); ++i) {
        by_key[i] = i;
    }
    std::sort(by_key.begin(), by_key.end(), [&](std::size_t a, std::size_t b) {
        return tuple_groups[a].key < tuple_groups[b].key;
    });
    std::vector<std::size_t> group_of_tuple(tuple_groups.size());
    for (const std::size_t id : by_key) {
        if (desired.groups.empty() || desired.groups.back().key != tuple_groups[id].key) {
            desired.groups.push_back(std::move(tuple_groups[id]));
        }
        group_of_tuple[id] = desired.groups.size() - 1;
    }

    for (std::size_t t = 0; t < type_count; ++t) {
        auto& typed = desired.endpoints[t];
        std::vector<std::vector<std::size_t>> members(desired.groups.size());
        for (std::size_t i = 0; i < typed.all.size(); ++i) {
            members[group_of_tuple[tuple_of[t][i]]].push_back(i);
        }
        typed.groups.reserve(members.size());
        for (const auto& group_members : members) {
            typed.groups.push_back(finish_group_endpoints(typed.all, group_members));
        }
    }
    return desired;
}

/// True when the Service asks for topology hints (spec §14.3): the annotation
/// `service.kubernetes.io/topology-aware-hints` (or, without it, `topology-mode`) is `Auto` or
/// `auto`, or `spec.trafficDistribution` is PreferClose, PreferSameZone or PreferSameNode.
/// svcdisc does not compute hints; it then leaves existing hints alone instead of removing them.
template <class String>
[[nodiscard]] bool service_requests_hints(const basic_service<String>& svc) {
    auto mode = svc.metadata.annotations.find_value("service.kubernetes.io/topology-aware-hints");
    if (!mode) {
        mode = svc.metadata.annotations.find_value("service.kubernetes.io/topology-mode");
    }
    if (mode && (*mode == "Auto" || *mode == "auto")) {
        return true;
    }
    if (!svc.spec.traffic_distribution) {
        return false;
    }
    const std::string_view distribution = *svc.spec.traffic_distribution;
    return distribution == "PreferClose" || distribution == "PreferSameZone" ||
           distribution == "PreferSameNode";
}

/// Kubernetes' reconcile (spec §6.6) with svcdisc's deterministic choices.
template <class String>
class slice_reconciler {
  public:
    using slice_type = basic_endpoint_slice<String>;

    slice_reconciler(const basic_service<String>& svc, desired_slices<String>& desired,
                     std::size_t max_per_slice, std::set<std::string, std::less<>> taken_names)
        : svc_(svc), desired_(desired), max_(max_per_slice), labels_(desired_slice_labels(svc)),
          hints_requested_(service_requests_hints(svc)), taken_names_(std::move(taken_names)),
          generate_name_(generate_name_prefix(svc.metadata.name)) {}

    /// Reconciles the slices of address type number `t` (`existing` sorted by name).
    void reconcile_address_type(std::size_t t, const std::vector<const slice_type*>& existing) {
        const std::string_view type = desired_.address_types[t];
        std::vector<slice_type> creates;
        std::vector<slice_type> updates;
        std::vector<const slice_type*> deletes;

        std::vector<std::vector<const slice_type*>> owned_by_group(desired_.groups.size());
        for (const slice_type* s : existing) {
            if (!slice_owned_by(*s, svc_)) {
                deletes.push_back(s);
                continue;
            }
            const auto group = desired_.find_group(port_group_key(s->ports));
            if (group) {
                owned_by_group[*group].push_back(s);
            } else {
                // A port set no pod serves any more.
                deletes.push_back(s);
            }
        }
        for (std::size_t g = 0; g < desired_.groups.size(); ++g) {
            reconcile_group(t, g, owned_by_group[g], creates, updates, deletes);
        }

        // Placeholder: every address type keeps at least one slice.
        if (existing.size() == deletes.size() && creates.empty()) {
            slice_type placeholder = new_slice(type, {});
            if (deletes.size() == 1 && is_equivalent_placeholder(*deletes.front(), placeholder)) {
                deletes.clear();
            } else {
                assign_name(placeholder, type, {}, 0);
                creates.push_back(std::move(placeholder));
            }
        }

        if (!hints_requested_) {
            remove_hints(existing, creates, updates, deletes);
        }

        // finalize: a slice to create takes over the name of an owned slice to delete, so a
        // delete and a create become one update. The slices to delete are visited by name.
        std::sort(deletes.begin(), deletes.end(), [](const slice_type* a, const slice_type* b) {
            return a->metadata.name < b->metadata.name;
        });
        for (std::size_t i = 0; i < deletes.size() && !creates.empty();) {
            if (slice_owned_by(*deletes[i], svc_) &&
                deletes[i]->address_type == creates.back().address_type) {
                creates.back().metadata.name = deletes[i]->metadata.name;
                updates.push_back(std::move(creates.back()));
                creates.pop_back();
                deletes.erase(deletes.begin() + static_cast<std::ptrdiff_t>(i));
            } else {
                ++i;
            }
        }
        // A Service being deleted gets no new slices (they would race the garbage collector).
        if (svc_.metadata.deletion_timestamp) {
            creates.clear();
        }
        std::sort(updates.begin(), updates.end(), [](const slice_type& a, const slice_type& b) {
            return a.metadata.name < b.metadata.name;
        });
        for (auto& s : creates) {
            changes_.to_create.push_back(std::move(s));
        }
        for (auto& s : updates) {
            changes_.to_update.push_back(std::move(s));
        }
        for (const slice_type* s : deletes) {
            changes_.to_delete.push_back(*s);
        }
    }

    /// Deletes slices of address types the Service no longer has (never renamed).
    void delete_unsupported(std::vector<const slice_type*> slices) {
        std::sort(slices.begin(), slices.end(), [](const slice_type* a, const slice_type* b) {
            return a->metadata.name < b->metadata.name;
        });
        for (const slice_type* s : slices) {
            changes_.to_delete.push_back(*s);
        }
    }

    [[nodiscard]] basic_endpoint_slice_changes<String> take() && { return std::move(changes_); }

  private:
    /// reconcileByPortMapping for one group and address type.
    void reconcile_group(std::size_t t, std::size_t g,
                         const std::vector<const slice_type*>& existing,
                         std::vector<slice_type>& creates, std::vector<slice_type>& updates,
                         std::vector<const slice_type*>& deletes) {
        auto& eps = desired_.endpoints[t].all;
        const group_endpoints& wanted = desired_.endpoints[t].groups[g];
        std::vector<bool> placed(eps.size(), false);
        std::size_t remaining = wanted.order.size();
        std::size_t cursor = 0;
        // Moves the next endpoint still to place, in placement order, to the end of `into`.
        const auto place_next = [&](std::vector<basic_endpoint<String>>& into) {
            while (placed[wanted.order[cursor]]) {
                ++cursor;
            }
            const std::size_t next = wanted.order[cursor];
            placed[next] = true;
            --remaining;
            into.push_back(std::move(eps[next]));
        };

        // 1. Keep only endpoints still wanted, in their wanted version. Positions first: the
        // wanted endpoints are moved into the updated slices only after the last look-up.
        const std::size_t first_update = updates.size();
        std::vector<const slice_type*> unchanged;
        std::vector<std::vector<std::size_t>> kept_positions;
        for (const slice_type* s : existing) {
            std::vector<std::size_t> kept;
            bool endpoint_changed = false;
            for (const auto& ep : s->endpoints) {
                const auto found = wanted.find(eps, ep);
                if (!found || placed[*found]) {
                    continue;
                }
                if (!endpoints_equal_beyond_identity(eps[*found], ep)) {
                    endpoint_changed = true;
                }
                placed[*found] = true;
                --remaining;
                kept.push_back(*found);
            }
            const bool labels_changed = slice_labels_outdated(s->metadata.labels, labels_);
            if (endpoint_changed || kept.size() != s->endpoints.size()) {
                if (kept.empty()) {
                    deletes.push_back(s);
                } else {
                    updates.push_back(copy_without_endpoints(*s));
                    kept_positions.push_back(std::move(kept));
                }
            } else if (labels_changed) {
                slice_type copy = *s;
                copy.metadata.labels = labels_;
                updates.push_back(std::move(copy));
                kept_positions.emplace_back();
            } else {
                unchanged.push_back(s);
            }
        }
        for (std::size_t i = 0; i < kept_positions.size(); ++i) {
            auto& target = updates[first_update + i].endpoints;
            // Room for the kept endpoints and for what step 2 may add.
            target.reserve(std::max(kept_positions[i].size(),
                                    std::min(max_, kept_positions[i].size() + remaining)));
            for (const std::size_t position : kept_positions[i]) {
                target.push_back(std::move(eps[position]));
            }
        }

        // 2. Top up the slices being updated anyway, fullest first.
        if (remaining > 0 && updates.size() > first_update) {
            std::vector<std::size_t> order;
            for (std::size_t i = first_update; i < updates.size(); ++i) {
                order.push_back(i);
            }
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                return updates[a].endpoints.size() > updates[b].endpoints.size();
            });
            for (const std::size_t i : order) {
                while (remaining > 0 && updates[i].endpoints.size() < max_) {
                    place_next(updates[i].endpoints);
                }
            }
        }

        // 3. Put the rest into the unchanged slice that ends up closest to full, or new slices.
        std::size_t ordinal = 0;
        while (remaining > 0) {
            std::optional<std::size_t> fill;
            if (remaining < max_ && !unchanged.empty()) {
                std::size_t closest = max_;
                for (std::size_t i = 0; i < unchanged.size(); ++i) {
                    const std::size_t size = unchanged[i]->endpoints.size() + remaining;
                    if (size <= max_ && max_ - size < closest) {
                        closest = max_ - size;
                        fill = i;
                        if (closest == 0) {
                            break;
                        }
                    }
                }
            }
            slice_type target;
            if (fill) {
                target = *unchanged[*fill];
                unchanged.erase(unchanged.begin() + static_cast<std::ptrdiff_t>(*fill));
            } else {
                target = new_slice(desired_.address_types[t], desired_.groups[g].ports);
                assign_name(target, desired_.address_types[t], desired_.groups[g].key, ordinal++);
            }
            if (target.endpoints.size() < max_) {
                target.endpoints.reserve(target.endpoints.size() +
                                         std::min(remaining, max_ - target.endpoints.size()));
            }
            while (remaining > 0 && target.endpoints.size() < max_) {
                place_next(target.endpoints);
            }
            (fill ? updates : creates).push_back(std::move(target));
        }
    }

    /// An existing slice with the Service's current labels and no endpoints yet (the caller
    /// puts the kept ones in), without copying the endpoints it is about to replace.
    [[nodiscard]] slice_type copy_without_endpoints(const slice_type& s) const {
        slice_type copy;
        copy.metadata = s.metadata;
        copy.metadata.labels = labels_;
        copy.address_type = s.address_type;
        copy.ports = s.ports;
        return copy;
    }

    /// Kubernetes' newEndpointSlice: generateName, namespace, controller owner reference,
    /// labels, address type and ports, no endpoints.
    [[nodiscard]] slice_type
    new_slice(std::string_view type,
              const std::vector<basic_endpoint_slice_port<String>>& ports) const {
        slice_type s;
        s.metadata.generate_name = String(std::string_view(generate_name_));
        s.metadata.namespace_ = svc_.metadata.namespace_;
        basic_owner_reference<String> owner;
        owner.api_version = String(std::string_view("v1"));
        owner.kind = String(std::string_view("Service"));
        owner.name = svc_.metadata.name;
        owner.uid = svc_.metadata.uid;
        owner.controller = true;
        owner.block_owner_deletion = true;
        s.metadata.owner_references.push_back(std::move(owner));
        s.metadata.labels = labels_;
        s.address_type = String(type);
        s.ports = ports;
        return s;
    }

    /// The name the API server would generate, made deterministic (see the header's top).
    void assign_name(slice_type& s, std::string_view type, const std::vector<digest128>& key,
                     std::size_t ordinal) {
        for (std::uint64_t attempt = 0;; ++attempt) {
            fnv128a_hasher hasher;
            const auto put = [&](std::string_view part) {
                hasher.update(part);
                hasher.update(std::string_view("\0", 1));
            };
            put(svc_.metadata.namespace_);
            put(svc_.metadata.name);
            put(type);
            for (const auto& digest : key) {
                hasher.update(
                    std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
            }
            for (const std::uint64_t number : {std::uint64_t{ordinal}, attempt}) {
                std::array<char, 24> digits{};
                const auto end =
                    std::to_chars(digits.data(), digits.data() + digits.size(), number);
                put(std::string_view(digits.data(),
                                     static_cast<std::size_t>(end.ptr - digits.data())));
            }
            std::string name = generated_name(generate_name_, hasher.finish());
            if (taken_names_.insert(name).second) {
                s.metadata.name = String(std::string_view(name));
                return;
            }
        }
    }

    /// placeholderSliceCompare: same namespace, labels and address type, no ports, no endpoints
    /// (owner references and other metadata are not compared).
    [[nodiscard]] static bool is_equivalent_placeholder(const slice_type& existing,
                                                        const slice_type& placeholder) {
        return existing.metadata.namespace_ == placeholder.metadata.namespace_ &&
               existing.metadata.labels == placeholder.metadata.labels &&
               existing.address_type == placeholder.address_type && existing.ports.empty() &&
               existing.endpoints.empty();
    }

    /// Kubernetes' RemoveHintsFromSlices, applied when the Service asks for no hints: the
    /// slices being written lose their hints, and an unchanged slice that carries hints is
    /// updated to lose them too.
    void remove_hints(const std::vector<const slice_type*>& existing,
                      std::vector<slice_type>& creates, std::vector<slice_type>& updates,
                      const std::vector<const slice_type*>& deletes) const {
        const auto clear = [](slice_type& s) {
            for (auto& ep : s.endpoints) {
                ep.hints.reset();
            }
        };
        for (auto& s : creates) {
            clear(s);
        }
        for (auto& s : updates) {
            clear(s);
        }
        const auto changed = [&](const slice_type& s) {
            const auto same_name = [&](const String& name) { return name == s.metadata.name; };
            return std::any_of(updates.begin(), updates.end(),
                               [&](const slice_type& u) { return same_name(u.metadata.name); }) ||
                   std::any_of(deletes.begin(), deletes.end(),
                               [&](const slice_type* d) { return same_name(d->metadata.name); });
        };
        const std::size_t first_unchanged_update = updates.size();
        for (const slice_type* s : existing) {
            const bool hinted = std::any_of(s->endpoints.begin(), s->endpoints.end(),
                                            [](const auto& ep) { return ep.hints.has_value(); });
            if (hinted && !changed(*s)) {
                updates.push_back(*s);
            }
        }
        for (std::size_t i = first_unchanged_update; i < updates.size(); ++i) {
            clear(updates[i]);
        }
    }

    const basic_service<String>& svc_;
    desired_slices<String>& desired_;
    std::size_t max_;
    basic_label_set<String> labels_;
    bool hints_requested_;
    std::set<std::string, std::less<>> taken_names_;
    std::string generate_name_;
    basic_endpoint_slice_changes<String> changes_;
};

} // namespace detail

/// The writes Kubernetes' EndpointSlice controller would make for `svc`, given the slices that
/// exist already (spec §6.6): which slices to create, which to update and which to delete.
///
/// `pods` and `nodes` are ranges of pods (any type with svcdisc::pod_traits) and of
/// basic_node, by value, as raw or smart pointers or as std::reference_wrapper; only the pods
/// the Service selects are used (a podIP that is no IP at all is skipped: upstream would write
/// "<nil>", which the API server rejects). `existing` is a range of basic_endpoint_slice (held
/// the same ways); only the slices the controller would list are considered — same namespace,
/// labelled `kubernetes.io/service-name: <svc>` and `endpointslice.kubernetes.io/managed-by:
/// endpointslice-controller.k8s.io`, not being deleted — the rest are left alone. For an
/// ExternalName Service or one without a selector nothing changes. The choices upstream leaves to
/// Go's map order are made as documented at the top of this header. Topology hints (spec §14) are
/// not computed: for a Service that asks for none they are removed, as the controller does — from
/// the slices written and, through an update, from unchanged slices that carry some; for a Service
/// that asks for hints (topology annotation or trafficDistribution) existing hints stay as they are
/// and new endpoints get none.
///
/// Throws std::invalid_argument when `options.max_endpoints_per_slice` is outside 1..1000.
///
/// Example:
///     auto changes = svcdisc::reconcile_endpoint_slices(svc, pods, nodes, existing_slices);
///     for (const auto& s : changes.to_update) std::cout << s.metadata.name << '\n';
template <class String, class Pods, class Nodes, class Slices>
[[nodiscard]] basic_endpoint_slice_changes<String>
reconcile_endpoint_slices(const basic_service<String>& svc, const Pods& pods, const Nodes& nodes,
                          const Slices& existing, const endpoint_slice_options& options = {}) {
    if (options.max_endpoints_per_slice < 1 ||
        options.max_endpoints_per_slice > max_max_endpoints_per_slice) {
        detail::throw_bad_max_endpoints_per_slice();
    }
    if (!endpoint_controllers_manage(svc)) {
        return {};
    }
    auto desired = detail::collect_desired_slices(svc, pods, nodes, options.node_policy);

    using slice_type = basic_endpoint_slice<String>;
    std::set<std::string, std::less<>> taken_names;
    std::vector<std::vector<const slice_type*>> by_type(desired.address_types.size());
    std::vector<const slice_type*> unsupported;
    const std::string_view ns = svc.metadata.namespace_;
    for (const auto& element : existing) {
        const slice_type& s = detail::element_ref(element);
        if (std::string_view(s.metadata.namespace_) != ns) {
            continue;
        }
        taken_names.emplace(std::string_view(s.metadata.name));
        if (s.metadata.deletion_timestamp ||
            s.metadata.labels.find_value(endpoint_slice_keys::service_name_label) !=
                std::optional<std::string_view>(svc.metadata.name) ||
            s.metadata.labels.find_value(endpoint_slice_keys::managed_by_label) !=
                std::optional<std::string_view>(endpoint_slice_keys::endpointslice_controller)) {
            continue;
        }
        const auto type = std::find(desired.address_types.begin(), desired.address_types.end(),
                                    std::string_view(s.address_type));
        if (type == desired.address_types.end()) {
            unsupported.push_back(&s);
        } else {
            by_type[static_cast<std::size_t>(type - desired.address_types.begin())].push_back(&s);
        }
    }

    detail::slice_reconciler<String> reconciler(svc, desired, options.max_endpoints_per_slice,
                                                std::move(taken_names));
    for (std::size_t t = 0; t < by_type.size(); ++t) {
        auto& slices = by_type[t];
        std::sort(slices.begin(), slices.end(), [](const slice_type* a, const slice_type* b) {
            return a->metadata.name < b->metadata.name;
        });
        reconciler.reconcile_address_type(t, slices);
    }
    reconciler.delete_unsupported(std::move(unsupported));
    return std::move(reconciler).take();
}

/// The EndpointSlices Kubernetes' EndpointSlice controller writes for `svc` when none exist
/// yet (spec §6): per address type, the selected pods grouped by the ports they serve, each
/// group's endpoints cut into slices of at most `options.max_endpoints_per_slice`, and one
/// placeholder slice (no ports, no endpoints) for an address type without endpoints.
///
/// Empty for an ExternalName Service and for one without a selector (spec §4.3), and — as
/// the controller creates nothing then — for a Service that is being deleted. The result is
/// the same whatever the order of `pods` and `nodes`; ordering and names are documented at the
/// top of this header. Throws std::invalid_argument when `options.max_endpoints_per_slice` is
/// outside 1..1000.
///
/// Example:
///     std::vector<svcdisc::pod> pods = …;
///     std::vector<svcdisc::node> nodes = …;
///     for (const auto& slice : svcdisc::derive_endpoint_slices(svc, pods, nodes)) {
///         // slice.metadata.name == "my-service-xxxxx", slice.address_type == "IPv4", …
///     }
template <class String, class Pods, class Nodes>
[[nodiscard]] std::vector<basic_endpoint_slice<String>>
derive_endpoint_slices(const basic_service<String>& svc, const Pods& pods, const Nodes& nodes,
                       const endpoint_slice_options& options = {}) {
    return reconcile_endpoint_slices(svc, pods, nodes,
                                     std::vector<const basic_endpoint_slice<String>*>{}, options)
        .to_create;
}

} // namespace svcdisc
