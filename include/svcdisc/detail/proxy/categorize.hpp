#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// kube-proxy's choice of endpoints for one service port on one node (`pkg/proxy/topology.go`,
/// `CategorizeEndpoints`): which endpoints Cluster-policy and Local-policy traffic use, with the
/// topology hints taken into account, and why each other endpoint is left out.
namespace svcdisc::detail::proxy {

/// Why an endpoint is not used by one traffic policy.
enum class route_exclusion : std::uint8_t {
    /// Not ready while ready endpoints are used.
    not_ready,
    /// No ready endpoint exists, and this one is not serving and terminating either, so not
    /// even the fallback to terminating endpoints takes it.
    not_serving_terminating,
    /// Same-zone routing is in effect and the endpoint's zone hints do not name this node's zone.
    hinted_for_other_zone,
    /// Same-node routing is in effect and the endpoint's node hints do not name this node.
    hinted_for_other_node,
    /// Local policy: the endpoint runs on another node.
    remote,
};

/// The topology routing kube-proxy applies to Cluster-policy traffic.
enum class topology_mode : std::uint8_t { none, prefer_same_zone, prefer_same_node };

/// The verdict on one kind of hint (node or zone) in `topologyModeFromHints`.
enum class hint_check : std::uint8_t {
    /// These hints decide the routing.
    used,
    /// Not looked at: the service port never uses Cluster-policy endpoints.
    not_evaluated,
    /// No endpoint is ready, so there is nothing to route by.
    no_ready_endpoints,
    /// Node hints are ignored without the PreferSameTrafficDistribution gate.
    gate_disabled,
    /// Some ready endpoint carries no hint of this kind.
    endpoint_without_hint,
    /// Zone hints: this node has no `topology.kubernetes.io/zone` label.
    node_without_zone,
    /// No ready endpoint is hinted for this node (or its zone).
    none_for_this_node,
    /// Zone hints: node hints decided instead.
    superseded,
};

/// What `topologyModeFromHints` decided and why each kind of hint was or was not used.
struct topology_decision {
    topology_mode mode = topology_mode::none;
    hint_check node_hints = hint_check::not_evaluated;
    hint_check zone_hints = hint_check::not_evaluated;

    friend bool operator==(const topology_decision&, const topology_decision&) = default;
};

/// One endpoint of a service port as kube-proxy holds it (`BaseEndpointInfo`).
struct routed_endpoint {
    /// `IP:port` (IPv6 in brackets), kube-proxy's `Endpoint.String()`.
    std::string endpoint;
    std::string ip;
    std::int32_t port = 0;
    /// The endpoint's node (empty when unset) and whether it is this node.
    std::string node_name;
    bool is_local = false;
    /// Conditions as consumers read them: an unset ready or serving counts as true, an unset
    /// terminating as false.
    bool ready = false;
    bool serving = false;
    bool terminating = false;
    /// Hinted zones and nodes, sorted and without repeats. Node hints stay empty when the
    /// PreferSameTrafficDistribution gate is off.
    std::vector<std::string> zone_hints;
    std::vector<std::string> node_hints;
    /// Why Cluster-policy (or Local-policy) traffic does not use this endpoint; nullopt when it
    /// does or when the service port never uses that policy.
    std::optional<route_exclusion> cluster_exclusion;
    std::optional<route_exclusion> local_exclusion;
    /// The EndpointSlice the endpoint was read from.
    std::string slice;

    friend bool operator==(const routed_endpoint&, const routed_endpoint&) = default;
};

/// Which endpoint lists a service port needs (`ServicePort.UsesClusterEndpoints`,
/// `UsesLocalEndpoints`).
struct policy_usage {
    bool cluster = true;
    bool local = false;
};

/// The outcome of categorize_endpoints: positions in the endpoint list, ascending.
struct categorized_endpoints {
    std::vector<std::size_t> cluster;
    std::vector<std::size_t> local;
    std::vector<std::size_t> reachable;
    bool has_any_endpoints = false;
    topology_decision topology;
};

[[nodiscard]] inline bool has_name(const std::vector<std::string>& names, std::string_view name) {
    return std::binary_search(names.begin(), names.end(), name, std::less<>());
}

/// `topologyModeFromHints`: node hints win when every ready endpoint has one and one names this
/// node (with the gate on); otherwise zone hints when every ready endpoint has one and one names
/// this node's zone; otherwise no topology.
[[nodiscard]] inline topology_decision
topology_mode_from_hints(const std::vector<routed_endpoint>& endpoints, std::string_view node,
                         std::string_view zone, bool node_hints_enabled) {
    bool any_ready = false;
    bool all_node_hints = true;
    bool for_node = false;
    bool all_zone_hints = true;
    bool for_zone = false;
    for (const auto& ep : endpoints) {
        if (!ep.ready) {
            continue;
        }
        any_ready = true;
        if (ep.node_hints.empty()) {
            all_node_hints = false;
        } else if (has_name(ep.node_hints, node)) {
            for_node = true;
        }
        if (ep.zone_hints.empty()) {
            all_zone_hints = false;
        } else if (has_name(ep.zone_hints, zone)) {
            for_zone = true;
        }
    }
    if (!any_ready) {
        return {topology_mode::none, hint_check::no_ready_endpoints,
                hint_check::no_ready_endpoints};
    }
    topology_decision decision;
    if (!node_hints_enabled) {
        decision.node_hints = hint_check::gate_disabled;
    } else if (!all_node_hints) {
        decision.node_hints = hint_check::endpoint_without_hint;
    } else if (!for_node) {
        decision.node_hints = hint_check::none_for_this_node;
    } else {
        return {topology_mode::prefer_same_node, hint_check::used, hint_check::superseded};
    }
    if (!all_zone_hints) {
        decision.zone_hints = hint_check::endpoint_without_hint;
    } else if (for_zone) {
        decision.mode = topology_mode::prefer_same_zone;
        decision.zone_hints = hint_check::used;
    } else {
        decision.zone_hints =
            zone.empty() ? hint_check::node_without_zone : hint_check::none_for_this_node;
    }
    return decision;
}

/// `availableForTopology`, answering with the reason when the endpoint is not available.
[[nodiscard]] inline std::optional<route_exclusion> topology_exclusion(const routed_endpoint& ep,
                                                                       topology_mode mode,
                                                                       std::string_view node,
                                                                       std::string_view zone) {
    switch (mode) {
    case topology_mode::prefer_same_node:
        return has_name(ep.node_hints, node)
                   ? std::nullopt
                   : std::optional(route_exclusion::hinted_for_other_node);
    case topology_mode::prefer_same_zone:
        return has_name(ep.zone_hints, zone)
                   ? std::nullopt
                   : std::optional(route_exclusion::hinted_for_other_zone);
    case topology_mode::none:
        break;
    }
    return std::nullopt;
}

/// `CategorizeEndpoints` over `endpoints` (sorted by `endpoint`), recording in each endpoint why
/// a policy leaves it out. `zone` is this node's zone label, empty when it has none.
///
/// Cluster policy: ready endpoints that the topology mode allows; when there are none (which
/// means no endpoint is ready at all) the serving-and-terminating ones. Local policy: this
/// node's ready endpoints, else its serving-and-terminating ones. The reachable endpoints are
/// the union of the lists the port uses.
[[nodiscard]] inline categorized_endpoints
categorize_endpoints(std::vector<routed_endpoint>& endpoints, policy_usage usage,
                     std::string_view node, std::string_view zone, bool node_hints_enabled) {
    categorized_endpoints result;
    for (auto& ep : endpoints) {
        ep.cluster_exclusion.reset();
        ep.local_exclusion.reset();
    }
    const auto fallback_usable = [](const routed_endpoint& ep) {
        return ep.serving && ep.terminating;
    };
    if (usage.cluster) {
        result.topology = topology_mode_from_hints(endpoints, node, zone, node_hints_enabled);
        for (std::size_t i = 0; i < endpoints.size(); ++i) {
            auto& ep = endpoints[i];
            if (!ep.ready) {
                ep.cluster_exclusion = route_exclusion::not_ready;
            } else {
                ep.cluster_exclusion = topology_exclusion(ep, result.topology.mode, node, zone);
                if (!ep.cluster_exclusion) {
                    result.cluster.push_back(i);
                }
            }
        }
        if (result.cluster.empty()) {
            for (std::size_t i = 0; i < endpoints.size(); ++i) {
                auto& ep = endpoints[i];
                if (fallback_usable(ep)) {
                    ep.cluster_exclusion.reset();
                    result.cluster.push_back(i);
                } else if (ep.cluster_exclusion == route_exclusion::not_ready) {
                    ep.cluster_exclusion = route_exclusion::not_serving_terminating;
                }
            }
        }
        result.has_any_endpoints = !result.cluster.empty();
    }
    if (!usage.local) {
        result.reachable = result.cluster;
        return result;
    }

    bool local_ready = false;
    for (const auto& ep : endpoints) {
        if (ep.ready || fallback_usable(ep)) {
            result.has_any_endpoints = true;
        }
        local_ready = local_ready || (ep.ready && ep.is_local);
    }
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
        auto& ep = endpoints[i];
        if (!ep.is_local) {
            ep.local_exclusion = route_exclusion::remote;
        } else if (local_ready ? ep.ready : fallback_usable(ep)) {
            result.local.push_back(i);
        } else {
            ep.local_exclusion =
                local_ready ? route_exclusion::not_ready : route_exclusion::not_serving_terminating;
        }
    }
    if (!usage.cluster) {
        result.reachable = result.local;
        return result;
    }
    std::set_union(result.cluster.begin(), result.cluster.end(), result.local.begin(),
                   result.local.end(), std::back_inserter(result.reachable));
    return result;
}

} // namespace svcdisc::detail::proxy
