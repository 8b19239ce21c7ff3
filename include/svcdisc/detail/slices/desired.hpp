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
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/config.hpp>
#include <svcdisc/detail/slices/identity.hpp>
#include <svcdisc/detail/slices/pod_endpoint.hpp>
#include <svcdisc/detail/slices/port_set.hpp>
#include <svcdisc/detail/slices/types.hpp>
#include <svcdisc/detail/util/element_ref.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

/// What the EndpointSlice controller wants for one Service: address types, port groups and
/// each group's endpoints in placement order.
namespace svcdisc::detail {

/// The address types the Service's slices use (getAddressTypesForService), in svcdisc's order.
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

/// Kubernetes' setEndpointSliceLabels: the Service's labels without the reserved
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
/// endpoints (docs/endpoint-slices.md).
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
/// repeated identities (only possible when the input repeats a pod). Of the copies of an
/// identity the smallest record by compare_endpoint_records (uid, then nodeName, zone,
/// conditions, ...) is kept, so the choice does not depend on the order of the pods.
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
        return compare_endpoint_records(all[a.second], all[b.second]) < 0;
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
        if (a.prefix != b.prefix) {
            return a.prefix < b.prefix;
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

/// Builds what the controller wants for `svc` (docs/endpoint-slices.md), reading every pod once;
/// `selected` says whether every pod is known to be selected by `svc`.
template <class String, class Pods, class Nodes>
[[nodiscard]] desired_slices<String>
collect_desired_slices(const basic_service<String>& svc, const Pods& pods, const Nodes& nodes,
                       node_policy policy, pod_selection_known selected) {
    using pod_type = element_object_t<Pods>;
    static_assert(check_pod_like<pod_type>());

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
    const auto node_of = [&](std::string_view node_name) {
        const auto it = std::lower_bound(
            zones.begin(), zones.end(), node_name,
            [](const node_zone_entry& e, std::string_view wanted) { return e.name < wanted; });
        if (it != zones.end() && it->name == node_name) {
            return node_presence{true, it->zone};
        }
        return node_presence{};
    };
    for (const auto& element : pods) {
        const pod_type& p = element_ref(element);
        const slice_pod_facts facts = slice_pod_facts_of(svc, p, node_of, policy, selected);
        if (!facts.registers_ports) {
            continue;
        }
        resolve_port_tuple(svc, p, numbers);
        auto tuple = tuple_ids.find(std::span<const std::int64_t>(numbers));
        if (tuple == tuple_ids.end()) {
            tuple = tuple_ids.emplace(numbers, tuple_ids.size()).first;
        }
        if (!facts.published) {
            continue;
        }
        for (std::size_t t = 0; t < type_count; ++t) {
            auto& all = desired.endpoints[t].all;
            if (!make_slice_endpoint(p, facts, families[t], all.emplace_back())) {
                all.pop_back();
                continue;
            }
            tuple_of[t].push_back(tuple->second);
        }
    }

    // The ports of each tuple, in digest order, and its key; tuples with equal keys (possible
    // only with repeated port names) share a group; groups are ordered by key.
    std::vector<port_group<String>> tuple_groups(tuple_ids.size());
    for (const auto& [tuple, id] : tuple_ids) {
        std::vector<basic_endpoint_slice_port<String>> ports;
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
            ports.push_back(std::move(port));
        }
        auto [sorted, key] = sort_ports_by_digest(std::move(ports));
        tuple_groups[id].ports = std::move(sorted);
        tuple_groups[id].key = std::move(key);
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

/// True when the Service asks for topology hints (docs/endpoint-slices.md): the annotation
/// `service.kubernetes.io/topology-aware-hints` (or, without it, `topology-mode`) is `Auto` or
/// `auto`, or `spec.trafficDistribution` is PreferClose, PreferSameZone or PreferSameNode.
/// Only then may the slices carry hints (hint_address_type computes them).
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

} // namespace svcdisc::detail
