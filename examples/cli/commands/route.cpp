#include "commands/route.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/ip.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/route.hpp>

#include "commands/commands.hpp"
#include "commands/verdict.hpp"
#include "print/emitter.hpp"

namespace svcdisc_cli {

namespace {

/// The EndpointSlices kube-proxy reads for `svc`: the derived ones when the controllers manage
/// it, else those of the input (mirrored or written by hand) in its namespace.
std::vector<svcdisc::endpoint_slice> slices_of(const cluster_view& view,
                                               const svcdisc::service& svc) {
    if (svcdisc::endpoint_controllers_manage(svc)) {
        return view.derive_slices_for(svc);
    }
    std::vector<svcdisc::endpoint_slice> out;
    for (auto& s : view.slices(svc.metadata.namespace_)) {
        out.push_back(std::move(s).take());
    }
    return out;
}

/// The family kube-proxy's primary proxier handles for the Service: that of its cluster IP.
svcdisc::ip_family family_of(const svcdisc::service& svc) {
    if (!svc.spec.ip_families.empty()) {
        return svc.spec.ip_families.front() == "IPv6" ? svcdisc::ip_family::ipv6
                                                      : svcdisc::ip_family::ipv4;
    }
    return svcdisc::ip_family_of(svc.spec.cluster_ip);
}

/// The pod behind each endpoint address: (namespace, name) from the slices' targetRefs.
using pod_key = std::pair<std::string, std::string>;
std::map<std::string, pod_key, std::less<>>
pods_by_ip(const std::vector<svcdisc::endpoint_slice>& slices) {
    std::map<std::string, pod_key, std::less<>> out;
    for (const auto& slice : slices) {
        for (const auto& ep : slice.endpoints) {
            if (ep.addresses.empty() || !ep.target_ref || ep.target_ref->kind != "Pod") {
                continue;
            }
            const auto ip = svcdisc::canonical_ip(ep.addresses.front());
            if (ip) {
                out.emplace(*ip, pod_key{ep.target_ref->namespace_, ep.target_ref->name});
            }
        }
    }
    return out;
}

/// The Nodes to route from: the one --from-node names, else every Node of the input.
std::vector<const svcdisc::node*> nodes_to_show(const session& s,
                                                const std::optional<std::string>& only) {
    std::vector<const svcdisc::node*> out;
    for (const auto& n : s.data.nodes) {
        if (!only || n.object.metadata.name == *only) {
            out.push_back(&n.object);
        }
    }
    return out;
}

svcdisc::route_result route_from(const svcdisc::service& svc,
                                 const std::vector<svcdisc::endpoint_slice>& slices,
                                 const svcdisc::node& n) {
    svcdisc::route_options options;
    options.family = family_of(svc);
    return svcdisc::route(svc, slices, n.metadata.name, svcdisc::node_zone(n).value_or(""),
                          options);
}

std::string join(const std::vector<std::string>& names, std::string_view separator) {
    std::string out;
    for (const auto& name : names) {
        out += (out.empty() ? "" : std::string(separator)) + name;
    }
    return out;
}

/// What one port does with `kind` traffic arriving at this node.
struct port_view {
    bool reachable = true;
    bool local = false;
    std::vector<std::size_t> used;
};

port_view view_of(const svcdisc::port_route& port, svcdisc::traffic_kind kind) {
    port_view v;
    if (kind == svcdisc::traffic_kind::external && !port.externally_accessible) {
        v.reachable = false;
        return v;
    }
    v.local = kind == svcdisc::traffic_kind::internal ? port.internal_policy_local
                                                      : port.external_policy_local;
    v.used = v.local ? port.local : port.cluster;
    return v;
}

/// How Cluster-policy traffic picks endpoints by topology, in words.
std::string topology_text(const svcdisc::port_route& port, std::string_view zone) {
    using svcdisc::hint_check;
    const auto& t = port.topology;
    if (t.mode == svcdisc::topology_mode::prefer_same_node) {
        return "same node, by node hints";
    }
    if (t.mode == svcdisc::topology_mode::prefer_same_zone) {
        return "same zone " + std::string(zone) + ", by zone hints";
    }
    const bool hinted = std::any_of(port.endpoints.begin(), port.endpoints.end(), [](auto& ep) {
        return !ep.zone_hints.empty() || !ep.node_hints.empty();
    });
    if (!hinted) {
        return "any zone (no hints)";
    }
    switch (t.zone_hints) {
    case hint_check::endpoint_without_hint:
        return "any zone (hints ignored: a ready endpoint has no zone hint)";
    case hint_check::node_without_zone:
        return "any zone (hints ignored: the node has no zone label)";
    case hint_check::none_for_this_node:
        return "any zone (hints ignored: no endpoint is hinted for zone " + std::string(zone) + ")";
    default:
        return "any zone";
    }
}

std::string_view topology_mode_name(svcdisc::topology_mode mode) {
    switch (mode) {
    case svcdisc::topology_mode::prefer_same_node:
        return "node";
    case svcdisc::topology_mode::prefer_same_zone:
        return "zone";
    case svcdisc::topology_mode::none:
        break;
    }
    return "none";
}

std::string exclusion_text(const svcdisc::routed_endpoint& ep, svcdisc::route_exclusion why,
                           std::string_view zone) {
    using svcdisc::route_exclusion;
    switch (why) {
    case route_exclusion::not_ready:
        return "not ready";
    case route_exclusion::not_serving_terminating:
        return "not ready, and not serving and terminating (no fallback)";
    case route_exclusion::hinted_for_other_zone:
        return "hinted for zone " + join(ep.zone_hints, ",") + ", not " + std::string(zone);
    case route_exclusion::hinted_for_other_node:
        return "hinted for node " + join(ep.node_hints, ",") + ", not this node";
    case route_exclusion::remote:
        return "on " + (ep.node_name.empty() ? std::string("no node") : "node " + ep.node_name) +
               ", not this node (Local policy)";
    }
    return {};
}

std::optional<svcdisc::route_exclusion> exclusion_of(const svcdisc::routed_endpoint& ep,
                                                     bool local) {
    return local ? ep.local_exclusion : ep.cluster_exclusion;
}

std::string pod_text(const std::map<std::string, pod_key, std::less<>>& pods,
                     const svcdisc::routed_endpoint& ep) {
    const auto found = pods.find(ep.ip);
    return found == pods.end() ? std::string() : found->second.second;
}

std::string port_title(const svcdisc::port_route& port) {
    return (port.name.empty() ? "" : port.name + " ") + std::to_string(port.port) + "/" +
           port.protocol;
}

/// Traffic with nowhere to go: rejected when no usable endpoint exists anywhere, else dropped
/// (Local policy without an endpoint on this node).
std::string_view nowhere_text(const svcdisc::port_route& port) {
    return port.has_any_endpoints ? "dropped: no usable endpoint on this node"
                                  : "rejected: no usable endpoint";
}

void emit_port(emitter& out, const svcdisc::port_route& port, svcdisc::traffic_kind kind,
               std::string_view zone, const std::map<std::string, pod_key, std::less<>>& pods) {
    const port_view v = view_of(port, kind);
    out.begin_object();
    out.field("name", port.name);
    out.key("port");
    out.integer(port.port);
    out.field("protocol", port.protocol);
    out.key("reachable");
    out.boolean(v.reachable);
    if (v.reachable) {
        out.field("policy", v.local ? "Local" : "Cluster");
        if (!v.local) {
            out.field("topology", topology_mode_name(port.topology.mode));
            out.field("topologyReason", topology_text(port, zone));
        }
        if (v.used.empty()) {
            out.field("nowhere", nowhere_text(port));
        }
        out.key("endpoints");
        out.begin_array();
        for (const auto& ep : port.endpoints) {
            out.begin_object();
            out.field("endpoint", ep.endpoint);
            out.field("pod", pod_text(pods, ep));
            out.field("node", ep.node_name);
            const auto why = exclusion_of(ep, v.local);
            out.key("routed");
            out.boolean(!why);
            out.field("reason", why ? exclusion_text(ep, *why, zone) : "");
            out.end_object();
        }
        out.end_array();
    }
    out.end_object();
}

void write_port(std::string& out, const svcdisc::port_route& port, svcdisc::traffic_kind kind,
                std::string_view zone, const std::map<std::string, pod_key, std::less<>>& pods) {
    const port_view v = view_of(port, kind);
    out += "  port " + port_title(port) + ": ";
    if (!v.reachable) {
        out += "not reachable from outside (no nodePort, load-balancer IP or external IP)\n";
        return;
    }
    out += v.local ? "Local policy (this node's endpoints)"
                   : "Cluster policy, " + topology_text(port, zone);
    out += "\n";
    if (v.used.empty()) {
        out += "    " + std::string(nowhere_text(port)) + "\n";
    }
    for (const auto& ep : port.endpoints) {
        const auto why = exclusion_of(ep, v.local);
        const std::string pod = pod_text(pods, ep);
        out += std::string(why ? "       " : "    -> ") + ep.endpoint;
        out += pod.empty() ? "" : " pod " + pod;
        out += ep.node_name.empty() ? "" : " on " + ep.node_name;
        out += why ? ": " + exclusion_text(ep, *why, zone) : "";
        out += "\n";
    }
}

std::string policies_text(const svcdisc::service& svc) {
    return "  internalTrafficPolicy: " + svc.spec.internal_traffic_policy.value_or("<none>") +
           ", externalTrafficPolicy: " +
           (svc.spec.external_traffic_policy.empty() ? "<none>"
                                                     : svc.spec.external_traffic_policy) +
           ", trafficDistribution: " + svc.spec.traffic_distribution.value_or("<none>") + "\n";
}

} // namespace

pod_routing::pod_routing(session& s, const svcdisc::service& svc) {
    if (s.data.nodes.empty()) {
        return;
    }
    const auto slices = slices_of(s.view(), svc);
    const auto pods = pods_by_ip(slices);
    for (const auto& entry : pods) {
        nodes_of_.try_emplace(entry.second);
    }
    for (const auto& n : s.data.nodes) {
        const auto routed = route_from(svc, slices, n.object);
        shown_ = shown_ || routed.proxied;
        for (const auto& port : routed.ports) {
            for (const std::size_t i : view_of(port, svcdisc::traffic_kind::internal).used) {
                const auto pod = pods.find(port.endpoints[i].ip);
                if (pod != pods.end()) {
                    nodes_of_[pod->second].insert(n.object.metadata.name);
                }
            }
        }
    }
}

std::string pod_routing::line(std::string_view pod_namespace, std::string_view pod_name) const {
    const auto found = nodes_of_.find(pod_key{pod_namespace, pod_name});
    if (!shown_ || found == nodes_of_.end()) {
        return {};
    }
    const std::vector<std::string> names(found->second.begin(), found->second.end());
    return "  routed to from: " + (names.empty() ? std::string("no node") : join(names, ", ")) +
           "\n";
}

command_result run_route(const arguments& args) {
    if (args.positional.size() != 2) {
        usage_error("usage: svcdisc route SERVICE [--from-node NODE] [--external] [-o json]");
    }
    session& s = open_session(args);
    const cluster_view& view = s.view();
    const std::string& name = args.positional[1];
    const svcdisc::service* svc = view.find_service(args.namespace_, name);
    if (svc == nullptr) {
        return not_found("services", name);
    }
    const auto nodes = nodes_to_show(s, args.from_node);
    if (args.from_node && nodes.empty()) {
        return not_found("nodes", *args.from_node);
    }
    const auto kind =
        args.external ? svcdisc::traffic_kind::external : svcdisc::traffic_kind::internal;
    const auto slices = slices_of(view, *svc);
    const auto pods = pods_by_ip(slices);
    const std::string service_name = svc->metadata.namespace_ + "/" + svc->metadata.name;
    const bool proxied =
        route_from(*svc, slices, nodes.empty() ? svcdisc::node{} : *nodes.front()).proxied;

    command_result result;
    if (args.output == "json") {
        emitter out(emitter::format::json);
        out.begin_object();
        out.field("service", service_name);
        out.field("traffic", args.external ? "external" : "internal");
        out.key("proxied");
        out.boolean(proxied);
        out.key("nodes");
        out.begin_array();
        for (const auto* n : proxied ? nodes : std::vector<const svcdisc::node*>{}) {
            const std::string zone(svcdisc::node_zone(*n).value_or(""));
            out.begin_object();
            out.field("node", n->metadata.name);
            out.field("zone", zone);
            out.key("ports");
            out.begin_array();
            for (const auto& port : route_from(*svc, slices, *n).ports) {
                emit_port(out, port, kind, zone, pods);
            }
            out.end_array();
            out.end_object();
        }
        out.end_array();
        out.end_object();
        result.out = std::move(out.text());
        return result;
    }
    std::string& out = result.out;
    out += "service " + service_name + " (" + svc->spec.type + ", clusterIP " +
           (svc->spec.cluster_ip.empty() ? "<none>" : svc->spec.cluster_ip) + "), " +
           (args.external ? "external" : "internal") + " traffic\n";
    out += policies_text(*svc);
    if (!proxied) {
        out += "  not proxied by kube-proxy: headless, ExternalName or no cluster IP\n";
        return result;
    }
    if (nodes.empty()) {
        result.err = "No Nodes in the input: nothing routes the Service's traffic.\n";
        return result;
    }
    for (const auto* n : nodes) {
        const auto zone = svcdisc::node_zone(*n);
        out +=
            "node " + n->metadata.name + " (zone " + std::string(zone.value_or("<none>")) + ")\n";
        for (const auto& port : route_from(*svc, slices, *n).ports) {
            write_port(out, port, kind, zone.value_or(""), pods);
        }
    }
    return result;
}

} // namespace svcdisc_cli
