#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include <svcdisc/detail/slices/types.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

/// What the EndpointSlice controller makes of one pod for one Service
/// (reconciler.reconcileByAddressType's per-pod loop and podToEndpoint), as views into the pod:
/// the pure derivation builds slices from it, the event-driven controller compares it before
/// and after a change. Nothing here allocates.
namespace svcdisc::detail {

/// Port value meaning "the targetPort did not resolve on this pod" (ports are int32).
inline constexpr std::int64_t unresolved_port = std::numeric_limits<std::int64_t>::min();

/// What the controller knows of a node name: whether a Node of that name is listed, and its
/// zone label.
struct node_presence {
    bool listed = false;
    std::optional<std::string_view> zone;
};

/// Whether the rules still have to match a pod against the Service's selector, or the caller
/// found the pod through the selector already (the controller's pod index) and matching it
/// again would only repeat the answer.
enum class pod_selection_known : std::uint8_t { no, yes };

/// One pod as the EndpointSlice controller sees it for a Service, before its addresses.
struct slice_pod_facts {
    /// The pod passes the Service's selector and ShouldPodBeInEndpoints with terminating pods
    /// included: it registers its port tuple (even when it ends up with no endpoint).
    bool registers_ports = false;
    /// It also passes the node rule: its node is known, or the Service publishes not-ready
    /// addresses. Only then does it get endpoints.
    bool published = false;
    bool ready = false;
    bool serving = false;
    bool terminating = false;
    /// ShouldSetHostname: the endpoint carries the pod's hostname.
    bool hostname = false;
    /// The zone of the pod's node (a view into the node), when the node is known and has one.
    std::optional<std::string_view> zone;

    friend bool operator==(const slice_pod_facts&, const slice_pod_facts&) = default;
};

/// The facts of pod `p` for `svc`: the rules of endpoint_rules.hpp (service_selects_pod,
/// ShouldPodBeInEndpoints, endpoint_slice_node, pod_endpoint_conditions, ShouldSetHostname)
/// put together. `node_of(node_name)` says whether a non-empty node name is a listed Node and
/// its zone; `policy` decides about unlisted ones; `selected` says whether `p` is known to be
/// selected by `svc`.
template <class String, class Pod, class NodeOf>
[[nodiscard]] slice_pod_facts
slice_pod_facts_of(const basic_service<String>& svc, const Pod& p, NodeOf&& node_of,
                   node_policy policy, pod_selection_known selected = pod_selection_known::no) {
    using traits = pod_traits<Pod>;
    slice_pod_facts facts;
    if ((selected == pod_selection_known::no && !service_selects_pod(svc, p)) ||
        !should_pod_be_in_endpoints(p, true)) {
        return facts;
    }
    facts.registers_ports = true;
    // pod_traits may return the name by value: keep it alive while it is looked up.
    const auto& node_name_text = traits::node_name(p);
    const std::string_view node_name = node_name_text;
    const node_presence node = node_name.empty() ? node_presence{} : node_of(node_name);
    const pod_node_lookup lookup = pod_node_lookup_of(node_name, node.listed, policy);
    if (!endpoint_slice_node(svc, lookup).included) {
        return facts;
    }
    facts.published = true;
    facts.zone = lookup == pod_node_lookup::found ? node.zone : std::nullopt;
    const endpoint_slice_conditions conditions = pod_endpoint_conditions(svc, p);
    facts.serving = conditions.serving;
    facts.terminating = conditions.terminating;
    facts.ready = conditions.ready;
    facts.hostname = should_set_hostname(p, svc);
    return facts;
}

/// Calls `visit(ip_address)` for each of the pod's podIPs of `family`, in podIPs order, as the
/// controller re-prints them (text that is no IP is skipped: upstream would write "<nil>",
/// which the API server rejects).
template <class Pod, class Visit>
void for_each_slice_address(const Pod& p, ip_family family, Visit&& visit) {
    for (const auto& text : pod_traits<Pod>::pod_ips(p)) {
        const auto address = ip_address::parse(std::string_view(text));
        if (address && address->family() == family) {
            visit(*address);
        }
    }
}

/// The endpoint of a published pod for `family` built from its facts (podToEndpoint): its
/// addresses of that family, the conditions, hostname, nodeName, zone and a targetRef to the
/// pod. Returns false (and leaves `ep` without addresses) when the pod has no address of the
/// family, which means no endpoint.
template <class String, class Pod>
bool make_slice_endpoint(const Pod& p, const slice_pod_facts& facts, ip_family family,
                         basic_endpoint<String>& ep) {
    using traits = pod_traits<Pod>;
    for_each_slice_address(p, family, [&](const ip_address& address) {
        if constexpr (std::is_same_v<String, std::string>) {
            ep.addresses.push_back(address.to_string());
        } else {
            ep.addresses.push_back(String(std::string_view(address.to_string())));
        }
    });
    if (ep.addresses.empty()) {
        return false;
    }
    ep.conditions.ready = facts.ready;
    ep.conditions.serving = facts.serving;
    ep.conditions.terminating = facts.terminating;
    if (facts.hostname) {
        ep.hostname = String(std::string_view(traits::hostname(p)));
    }
    // pod_traits may return the name by value: keep it alive while it is viewed.
    const auto& node_name_text = traits::node_name(p);
    if (const std::string_view node_name = node_name_text; !node_name.empty()) {
        ep.node_name = String(node_name);
    }
    if (facts.zone) {
        ep.zone = String(*facts.zone);
    }
    auto& ref = ep.target_ref.emplace();
    ref.kind = String(std::string_view("Pod"));
    ref.namespace_ = String(std::string_view(traits::namespace_(p)));
    ref.name = String(std::string_view(traits::name(p)));
    ref.uid = String(std::string_view(traits::uid(p)));
    return true;
}

/// Writes into `numbers` the container port each of the Service's ports resolves to on `p`
/// (FindPort), unresolved_port where it does not; `numbers` has one slot per Service port.
/// Pods with equal numbers share a port tuple and so a port group.
template <class String, class Pod>
void resolve_port_tuple(const basic_service<String>& svc, const Pod& p,
                        std::span<std::int64_t> numbers) {
    const auto& service_ports = svc.spec.ports;
    for (std::size_t k = 0; k < service_ports.size(); ++k) {
        const auto number = find_target_port(p, service_ports[k]);
        numbers[k] = number ? std::int64_t{*number} : unresolved_port;
    }
}

} // namespace svcdisc::detail
