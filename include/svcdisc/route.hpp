#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/detail/proxy/categorize.hpp>
#include <svcdisc/detail/proxy/endpoint_slice_cache.hpp>
#include <svcdisc/detail/util/element_ref.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/service.hpp>

/// What kube-proxy on one node routes a Service's traffic to, from its EndpointSlices: per
/// service port the endpoints Cluster-policy and Local-policy traffic use, after readiness,
/// terminating fallback, traffic policies and topology hints, with the reason for every
/// endpoint left out. See route.
namespace svcdisc {

/// Traffic that reaches a Service from inside the cluster (its ClusterIP) or from outside
/// (NodePort, load-balancer IPs, external IPs).
enum class traffic_kind : std::uint8_t { internal, external };

/// Settings of route (the traffic policies come from the Service).
///
/// Example:
///     svcdisc::route_options options{.family = svcdisc::ip_family::ipv6};
struct route_options {
    /// The IP family kube-proxy programs (one proxier per family): only slices of this address
    /// type are read, and only a Service with a cluster IP of this family is proxied.
    ip_family family = ip_family::ipv4;
    /// The `PreferSameTrafficDistribution` gate of kube-proxy: node hints count only with it.
    bool prefer_same_traffic_distribution = true;

    friend bool operator==(const route_options&, const route_options&) = default;
};

/// Why an endpoint is not used by one traffic policy (see the enumerators).
using route_exclusion = detail::proxy::route_exclusion;
/// The topology routing applied to Cluster-policy traffic.
using topology_mode = detail::proxy::topology_mode;
/// The verdict on node or zone hints, and why hints were ignored.
using hint_check = detail::proxy::hint_check;
/// The topology decision of one service port.
using topology_decision = detail::proxy::topology_decision;
/// One endpoint of a service port as kube-proxy holds it, with its exclusion reasons.
using routed_endpoint = detail::proxy::routed_endpoint;

/// kube-proxy's view of one service port on one node.
template <class String>
struct basic_port_route {
    /// The service port (name and protocol identify it, as kube-proxy's ServicePortName).
    String name;
    String protocol;
    std::int32_t port = 0;
    /// Whether the port accepts traffic from outside: a node port, a load-balancer IP or an
    /// external IP of the family.
    bool externally_accessible = false;
    /// Whether any of the port's traffic follows Cluster policy (internal traffic with
    /// internalTrafficPolicy Cluster, or any external traffic) and Local policy.
    bool uses_cluster_endpoints = true;
    bool uses_local_endpoints = false;
    /// Every endpoint of the port, sorted by `IP:port`, one per address.
    std::vector<routed_endpoint> endpoints;
    /// Endpoints that lost to another with the same `IP:port`.
    std::vector<routed_endpoint> shadowed;
    /// Positions in `endpoints` used by Cluster-policy and Local-policy traffic (empty when
    /// the port does not use that policy), and their union.
    std::vector<std::size_t> cluster;
    std::vector<std::size_t> local;
    std::vector<std::size_t> reachable;
    /// True when some usable endpoint exists anywhere in the cluster (even if none is
    /// reachable from this node); kube-proxy rejects traffic rather than dropping it when false.
    bool has_any_endpoints = false;
    topology_decision topology;
    /// Whether internal traffic follows Local policy (internalTrafficPolicy Local).
    bool internal_policy_local = false;
    /// Whether external traffic follows Local policy (externalTrafficPolicy Local on a
    /// NodePort or LoadBalancer Service, or a Service with external IPs).
    bool external_policy_local = false;

    /// The `IP:port` of each endpoint `kind` traffic reaching this node goes to. Internal traffic
    /// uses the Local list under internalTrafficPolicy Local, else the Cluster list; external
    /// traffic (none when the port is not externally accessible) uses the Local list under
    /// externalTrafficPolicy Local, else the Cluster list.
    [[nodiscard]] std::vector<std::string> endpoints_for(traffic_kind kind) const {
        std::vector<std::string> out;
        if (kind == traffic_kind::external && !externally_accessible) {
            return out;
        }
        const bool use_local =
            kind == traffic_kind::internal ? internal_policy_local : external_policy_local;
        for (const std::size_t i : use_local ? local : cluster) {
            out.push_back(endpoints[i].endpoint);
        }
        return out;
    }
};

/// kube-proxy's view of a Service on one node.
template <class String>
struct basic_route {
    /// False when kube-proxy ignores the Service: headless, ExternalName, or without a
    /// cluster IP of the family.
    bool proxied = false;
    std::vector<basic_port_route<String>> ports;
};

using port_route = basic_port_route<std::string>;
using route_result = basic_route<std::string>;

namespace detail::proxy {

/// `GetClusterIPByFamily`: the Service's cluster IP of `family`, empty when it has none. A
/// Service without `clusterIPs` is read as the API server writes it, `clusterIPs: [clusterIP]`.
template <class String>
[[nodiscard]] std::string_view cluster_ip_of_family(const basic_service<String>& svc,
                                                    ip_family family) {
    const std::string_view primary = svc.spec.cluster_ip;
    if (primary.empty() || primary == cluster_ip_none) {
        return {};
    }
    if (svc.spec.ip_families.empty()) {
        return ip_family_of(primary) == family ? primary : std::string_view{};
    }
    const std::string_view wanted = family == ip_family::ipv6 ? "IPv6" : "IPv4";
    for (std::size_t i = 0; i < svc.spec.ip_families.size(); ++i) {
        if (std::string_view(svc.spec.ip_families[i]) != wanted) {
            continue;
        }
        if (svc.spec.cluster_ips.empty()) {
            return i == 0 ? primary : std::string_view{};
        }
        return i < svc.spec.cluster_ips.size() ? std::string_view(svc.spec.cluster_ips[i])
                                               : std::string_view{};
    }
    return {};
}

/// Whether a list of IP texts has one of `family` (kube-proxy keeps only those).
template <class String>
[[nodiscard]] bool has_ip_of_family(const std::vector<String>& ips, ip_family family) {
    return std::any_of(ips.begin(), ips.end(), [&](const String& text) {
        const auto ip = ip_address::parse(std::string_view(text));
        return ip && ip->family() == family;
    });
}

} // namespace detail::proxy

/// Where kube-proxy on node `node_name` (zone label `node_zone`, empty when the node has none)
/// sends the traffic of `svc`, given the Service's EndpointSlices (a range of
/// basic_endpoint_slice by value, as pointers or as std::reference_wrapper; slices of other
/// Services, namespaces or address types are ignored).
///
/// Per service port (matched to slice ports by name and protocol; slice ports without name or
/// port number are ignored):
///   * endpoints: the first address of each slice endpoint; unset `ready`/`serving` count as
///     true, unset `terminating` as false; one endpoint per `IP:port` (a non-terminating copy
///     wins; slices are read in name order where kube-proxy's order is random);
///   * Cluster policy: ready endpoints; with topology — node hints when every ready endpoint
///     has one and one names this node (PreferSameTrafficDistribution gate), else zone hints
///     when every ready endpoint has one and one names this node's zone — only those hinted for
///     this node or zone; when no endpoint is ready, the serving and terminating ones;
///   * Local policy (internalTrafficPolicy Local, or externalTrafficPolicy Local on an
///     externally accessible port): this node's ready endpoints, else its serving and
///     terminating ones; topology hints do not apply.
/// Every endpoint a policy leaves out carries the reason (`cluster_exclusion`,
/// `local_exclusion`).
///
/// Example:
///     auto r = svcdisc::route(svc, slices, "node-a", "zone-1");
///     r.ports[0].endpoints_for(svcdisc::traffic_kind::internal);  // {"10.0.0.1:8080", …}
template <class String, class Slices>
[[nodiscard]] basic_route<String> route(const basic_service<String>& svc, const Slices& slices,
                                        std::string_view node_name, std::string_view node_zone,
                                        const route_options& options = {}) {
    basic_route<String> result;
    if (!is_service_ip_set(svc) || std::string_view(svc.spec.type) == service_type::external_name ||
        detail::proxy::cluster_ip_of_family(svc, options.family).empty()) {
        return result;
    }
    result.proxied = true;

    const std::string_view address_type =
        options.family == ip_family::ipv6 ? address_type::ipv6 : address_type::ipv4;
    std::vector<const basic_endpoint_slice<String>*> own;
    for (const auto& element : slices) {
        const auto& slice = detail::element_ref(element);
        const auto service_name =
            slice.metadata.labels.find_value(endpoint_slice_keys::service_name_label);
        if (std::string_view(slice.address_type) == address_type && service_name &&
            *service_name == std::string_view(svc.metadata.name) &&
            std::string_view(slice.metadata.namespace_) ==
                std::string_view(svc.metadata.namespace_) &&
            !std::string_view(slice.metadata.name).empty()) {
            own.push_back(&slice);
        }
    }
    std::sort(own.begin(), own.end(), [](const auto* a, const auto* b) {
        return std::string_view(a->metadata.name) < std::string_view(b->metadata.name);
    });

    const std::string_view type = svc.spec.type;
    const bool load_balancer_vips =
        detail::proxy::has_ip_of_family(svc.status.load_balancer_ingress, options.family);
    const bool external_ips =
        detail::proxy::has_ip_of_family(svc.spec.external_ips, options.family);
    // apiservice.ExternalPolicyLocal: the Service type (not the port) decides accessibility.
    const bool service_accessible =
        type == service_type::load_balancer || type == service_type::node_port ||
        (type == service_type::cluster_ip && !svc.spec.external_ips.empty());
    // apiservice.InternalPolicyLocal / ExternalPolicyLocal.
    const bool internal_local =
        svc.spec.internal_traffic_policy &&
        std::string_view(*svc.spec.internal_traffic_policy) == traffic_policy_names::local;
    const bool external_local =
        service_accessible &&
        std::string_view(svc.spec.external_traffic_policy) == traffic_policy_names::local;

    for (const auto& declared : svc.spec.ports) {
        basic_port_route<String> port;
        port.name = declared.name;
        port.protocol = declared.protocol;
        port.port = declared.port;
        port.externally_accessible = declared.node_port != 0 || load_balancer_vips || external_ips;
        port.uses_cluster_endpoints = !internal_local || port.externally_accessible;
        port.uses_local_endpoints =
            internal_local || (external_local && port.externally_accessible);
        port.external_policy_local = external_local;
        port.internal_policy_local = internal_local;

        for (const auto* slice : own) {
            for (const auto& slice_port : slice->ports) {
                if (!slice_port.name || !slice_port.protocol || !slice_port.port ||
                    *slice_port.port == 0 ||
                    std::string_view(*slice_port.name) != std::string_view(declared.name) ||
                    std::string_view(*slice_port.protocol) != std::string_view(declared.protocol)) {
                    continue;
                }
                detail::proxy::add_endpoints(*slice, *slice_port.port, node_name,
                                             options.prefer_same_traffic_distribution,
                                             port.endpoints);
            }
        }
        detail::proxy::deduplicate(port.endpoints, port.shadowed);
        auto categorized = detail::proxy::categorize_endpoints(
            port.endpoints, {port.uses_cluster_endpoints, port.uses_local_endpoints}, node_name,
            node_zone, options.prefer_same_traffic_distribution);
        port.cluster = std::move(categorized.cluster);
        port.local = std::move(categorized.local);
        port.reachable = std::move(categorized.reachable);
        port.has_any_endpoints = categorized.has_any_endpoints;
        port.topology = categorized.topology;
        result.ports.push_back(std::move(port));
    }
    return result;
}

} // namespace svcdisc
