// Topology-aware routing in a three-zone cluster whose zones have uneven CPU. A Service with
// `service.kubernetes.io/topology-mode: Auto` in front of seven pods: the EndpointSlice
// controller hints each ready endpoint for a zone, in proportion to the zones' allocatable
// CPU, and kube-proxy on every node sends the Service's traffic only to the endpoints hinted
// for its own zone. Then zone-b is drained (its node cordoned, its pods evicted): the five
// endpoints left cannot be shared out without overloading a zone, so the controller removes
// every hint and each node falls back to the endpoints of all zones. (The cordoned node still
// counts towards zone-b's CPU: the controller's topology cache looks at a Node's Ready
// condition, zone and CPU, not at spec.unschedulable.)

#include <cstddef>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/hints.hpp>
#include <svcdisc/route.hpp>

namespace {

svcdisc::node make_node(const std::string& name, const std::string& zone, const std::string& cpu) {
    svcdisc::node n;
    n.metadata.name = name;
    n.metadata.labels = {{"topology.kubernetes.io/zone", zone}};
    n.conditions = {{"Ready", "True"}};
    n.allocatable_cpu = cpu;
    return n;
}

svcdisc::pod make_pod(int ordinal, const std::string& node) {
    svcdisc::pod p;
    p.metadata.name = "web-" + std::to_string(ordinal);
    p.metadata.namespace_ = "default";
    p.metadata.uid = "uid-web-" + std::to_string(ordinal);
    p.metadata.labels = {{"app", "web"}};
    p.spec.node_name = node;
    p.spec.containers = {{"web", {{"http", 8080, "TCP", 0}}, std::nullopt}};
    p.status.phase = "Running";
    p.status.pod_ip = "10.1.0." + std::to_string(ordinal);
    p.status.pod_ips = {p.status.pod_ip};
    p.status.conditions = {{"Ready", "True"}};
    return p;
}

svcdisc::service make_service() {
    svcdisc::service svc;
    svc.metadata.name = "web";
    svc.metadata.namespace_ = "default";
    svc.metadata.annotations = {{"service.kubernetes.io/topology-mode", "Auto"}};
    svc.spec.selector = svcdisc::label_set{{"app", "web"}};
    svc.spec.cluster_ip = "10.96.0.50";
    auto& port = svc.spec.ports.emplace_back();
    port.name = "http";
    port.port = 80;
    port.target_port = std::string("http");
    svcdisc::apply_defaults(svc);
    return svc;
}

void print_capacity(const std::vector<svcdisc::node>& nodes) {
    const auto capacity = svcdisc::compute_zone_capacity(nodes);
    std::cout << "Allocatable CPU:";
    for (const auto& [zone, millicpu] : capacity.millicpu_by_zone) {
        std::cout << ' ' << zone << ' ' << millicpu << "m (" << std::fixed << std::setprecision(1)
                  << capacity.ratios.at(zone) * 100 << "%)";
    }
    std::cout << '\n';
}

// The slices the controller writes, with its hints; and its events, from the same hint step.
std::vector<svcdisc::endpoint_slice> print_hints(const svcdisc::service& svc,
                                                 const std::vector<svcdisc::pod>& pods,
                                                 const std::vector<svcdisc::node>& nodes) {
    auto slices = svcdisc::derive_endpoint_slices(svc, pods, nodes);
    std::cout << "EndpointSlice hints:\n";
    for (const auto& slice : slices) {
        for (const auto& ep : slice.endpoints) {
            std::cout << "  " << ep.addresses.front() << " on " << ep.node_name.value_or("?")
                      << " (" << ep.zone.value_or("?") << "): ";
            std::cout << (ep.hints ? "forZones " + ep.hints->for_zones.front() : "no hints")
                      << '\n';
        }
    }
    const auto hinted =
        svcdisc::apply_topology_hints(svc, "IPv4", svcdisc::slices_to_write{slices, {}, {}}, nodes);
    for (const auto& event : hinted.events) {
        std::cout << "Event on the Service: " << event.type << ' ' << event.reason << ": "
                  << event.message << '\n';
    }
    return slices;
}

void print_routes(const svcdisc::service& svc, const std::vector<svcdisc::endpoint_slice>& slices,
                  const std::vector<svcdisc::node>& nodes) {
    std::cout << "kube-proxy, traffic to " << svc.spec.cluster_ip << ":80 goes to:\n";
    for (const auto& n : nodes) {
        const auto zone = svcdisc::node_zone(n).value_or("");
        const auto route = svcdisc::route(svc, slices, n.metadata.name, zone);
        const auto& port = route.ports.front();
        std::cout << "  " << n.metadata.name << " (" << zone << "):";
        for (const auto& endpoint : port.endpoints_for(svcdisc::traffic_kind::internal)) {
            std::cout << ' ' << endpoint;
        }
        std::cout << '\n';
    }
}

} // namespace

int main() {
    // zone-a has twice zone-b's CPU and four times zone-c's.
    std::vector<svcdisc::node> nodes{
        make_node("node-a1", "zone-a", "4"), make_node("node-a2", "zone-a", "4000m"),
        make_node("node-b1", "zone-b", "4"), make_node("node-c1", "zone-c", "2")};
    // The pods are spread the other way round: most of them in the smallest zone.
    std::vector<svcdisc::pod> pods{make_pod(1, "node-a1"), make_pod(2, "node-a2"),
                                   make_pod(3, "node-b1"), make_pod(4, "node-b1"),
                                   make_pod(5, "node-c1"), make_pod(6, "node-c1"),
                                   make_pod(7, "node-c1")};
    const auto svc = make_service();

    print_capacity(nodes);
    auto slices = print_hints(svc, pods, nodes);
    print_routes(svc, slices, nodes);

    std::cout << "\nDraining zone-b: node-b1 is cordoned and its pods are evicted.\n";
    std::erase_if(pods, [](const svcdisc::pod& p) { return p.spec.node_name == "node-b1"; });
    slices = print_hints(svc, pods, nodes);
    print_routes(svc, slices, nodes);
    return 0;
}
