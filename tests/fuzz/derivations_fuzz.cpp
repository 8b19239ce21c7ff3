// Fuzz target: the derivations' order independence (docs/determinism.md). A small cluster — one
// Service, up to 16 pods, up to 4 nodes — is built from the input, mostly from small tables so
// that names, uids, IPs and nodes collide. Oracles: derive_endpoints and derive_endpoint_slices
// give the identical result for the pods (and nodes) as given, reversed and rotated;
// mirror_endpoint_slices gives identical slices and warnings for a hand-written Endpoints and
// for the same Endpoints with its subsets, addresses and ports listed in reverse.
//
// Node names are unique, as in a cluster; a repeated address in the Endpoints is always the
// same record (RepackSubsets keeps the first of differing copies, as upstream does).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/mirror.hpp>

#include "fuzz_support.hpp"

namespace {

using svcdisc_fuzz::input_reader;
using svcdisc_fuzz::require;

constexpr std::array<std::string_view, 4> cluster_ips{"10.96.0.10", "fd00::10", "None", ""};
constexpr std::array<std::string_view, 4> port_names{"http", "https", "metrics", ""};
constexpr std::array<std::string_view, 2> protocols{"TCP", "UDP"};
constexpr std::array<std::int32_t, 3> service_port_numbers{80, 443, 9090};
constexpr std::array<std::int32_t, 4> container_port_numbers{8080, 8443, 9090, 80};
constexpr std::array<std::string_view, 4> named_target_ports{"http-web", "metrics", "missing",
                                                             "https"};
constexpr std::array<std::string_view, 5> pod_port_names{"http-web", "metrics", "https", "",
                                                         "http"};
constexpr std::array<std::string_view, 6> node_names{"",       "node-0", "node-1",
                                                     "node-2", "node-3", "node-9"};
constexpr std::array<std::string_view, 3> hostnames{"", "h0", "h1"};
constexpr std::array<std::string_view, 3> subdomains{"", "svc", "other"};
constexpr std::array<std::string_view, 5> phases{"Running", "Running", "Pending", "Succeeded",
                                                 "Failed"};
constexpr std::array<std::string_view, 3> readiness{"True", "False", ""};
constexpr std::array<std::string_view, 8> pod_ips{
    "10.0.0.1", "10.0.0.2", "10.0.0.10", "fd00::1", "fd00::2", "010.0.0.1", "FD00::1", "not-an-ip"};
constexpr std::array<std::string_view, 4> uids{"uid-0", "uid-1", "uid-2", ""};
constexpr std::array<std::string_view, 3> zones{"", "zone-a", "zone-b"};
constexpr std::array<std::size_t, 4> slice_capacities{1, 2, 3, 100};

svcdisc::label_set selector_labels(std::size_t choice) {
    switch (choice) {
    case 0:
        return {{"app", "web"}};
    case 1:
        return {{"app", "web"}, {"tier", "a"}};
    default:
        return {{"app", "db"}};
    }
}

svcdisc::service service_from(input_reader& input) {
    svcdisc::service svc;
    svc.metadata.name = "svc";
    svc.metadata.namespace_ = "ns";
    svc.metadata.uid = "svc-uid";
    svc.spec.type = input.count(15) == 0 ? "ExternalName" : "ClusterIP";
    if (input.count(15) != 0) {
        svc.spec.selector = selector_labels(input.count(1));
    }
    svc.spec.cluster_ip = std::string(input.pick(cluster_ips));
    switch (input.count(4)) {
    case 0:
        break;
    case 1:
        svc.spec.ip_families = {"IPv4"};
        break;
    case 2:
        svc.spec.ip_families = {"IPv6"};
        break;
    case 3:
        svc.spec.ip_families = {"IPv4", "IPv6"};
        break;
    default:
        svc.spec.ip_families = {"IPv6", "IPv4"};
        break;
    }
    svc.spec.publish_not_ready_addresses = input.flag();
    const std::size_t port_count = input.count(3);
    for (std::size_t i = 0; i < port_count; ++i) {
        svcdisc::service_port& port = svc.spec.ports.emplace_back();
        port.name = std::string(input.pick(port_names));
        port.protocol = std::string(input.pick(protocols));
        port.port = input.pick(service_port_numbers);
        if (input.flag()) {
            port.target_port = input.pick(container_port_numbers);
        } else {
            port.target_port = svcdisc::int_or_string(std::string(input.pick(named_target_ports)));
        }
        if (input.count(3) == 0) {
            port.app_protocol = "http";
        }
    }
    return svc;
}

std::vector<svcdisc::node> nodes_from(input_reader& input) {
    std::vector<svcdisc::node> nodes;
    const std::size_t count = input.count(4);
    for (std::size_t i = 0; i < count; ++i) {
        svcdisc::node& n = nodes.emplace_back();
        n.metadata.name = "node-" + std::to_string(i);
        const std::string_view zone = input.pick(zones);
        if (!zone.empty()) {
            n.metadata.labels = {{"topology.kubernetes.io/zone", std::string(zone)}};
        }
    }
    return nodes;
}

svcdisc::pod pod_from(input_reader& input) {
    svcdisc::pod p;
    p.metadata.name = "p" + std::to_string(input.count(4));
    p.metadata.namespace_ = input.count(7) == 0 ? "other" : "ns";
    p.metadata.uid = std::string(input.pick(uids));
    p.metadata.labels = selector_labels(input.count(2));
    if (input.count(7) == 0) {
        p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    }
    p.spec.node_name = std::string(input.pick(node_names));
    p.spec.hostname = std::string(input.pick(hostnames));
    p.spec.subdomain = std::string(input.pick(subdomains));
    svcdisc::container& c = p.spec.containers.emplace_back();
    c.name = "c0";
    const std::size_t port_count = input.count(2);
    for (std::size_t i = 0; i < port_count; ++i) {
        c.ports.push_back({std::string(input.pick(pod_port_names)),
                           input.pick(container_port_numbers), std::string(input.pick(protocols)),
                           0});
    }
    p.status.phase = std::string(input.pick(phases));
    const std::string_view ready = input.pick(readiness);
    if (!ready.empty()) {
        p.status.conditions = {{"Ready", std::string(ready)}};
    }
    const std::size_t ip_count = input.count(2);
    for (std::size_t i = 0; i < ip_count; ++i) {
        p.status.pod_ips.emplace_back(input.pick(pod_ips));
    }
    if (!p.status.pod_ips.empty()) {
        p.status.pod_ip = p.status.pod_ips.front();
    }
    return p;
}

template <class T>
std::vector<T> reversed(std::vector<T> items) {
    std::reverse(items.begin(), items.end());
    return items;
}

void check_derivations(input_reader& input) {
    const svcdisc::service svc = service_from(input);
    const std::vector<svcdisc::node> nodes = nodes_from(input);
    std::vector<svcdisc::pod> pods;
    const std::size_t pod_count = input.count(16);
    for (std::size_t i = 0; i < pod_count; ++i) {
        pods.push_back(pod_from(input));
    }
    svcdisc::endpoint_slice_options options;
    options.max_endpoints_per_slice = input.pick(slice_capacities);
    options.node_policy =
        input.flag() ? svcdisc::node_policy::assume_present : svcdisc::node_policy::upstream;

    // The rotated order goes through pointers, as callers holding their pods elsewhere pass them.
    std::vector<const svcdisc::pod*> rotated;
    for (const svcdisc::pod& p : pods) {
        rotated.push_back(&p);
    }
    if (!rotated.empty()) {
        const auto shift = static_cast<std::ptrdiff_t>(input.count(rotated.size() - 1));
        std::rotate(rotated.begin(), rotated.begin() + shift, rotated.end());
    }

    const auto endpoints = svcdisc::derive_endpoints(svc, pods);
    require(svcdisc::derive_endpoints(svc, reversed(pods)) == endpoints,
            "derive_endpoints: reversed pods give the same Endpoints");
    require(svcdisc::derive_endpoints(svc, rotated) == endpoints,
            "derive_endpoints: rotated pods give the same Endpoints");

    const auto slices = svcdisc::derive_endpoint_slices(svc, pods, nodes, options);
    require(svcdisc::derive_endpoint_slices(svc, reversed(pods), reversed(nodes), options) ==
                slices,
            "derive_endpoint_slices: reversed pods and nodes give the same slices");
    require(svcdisc::derive_endpoint_slices(svc, rotated, nodes, options) == slices,
            "derive_endpoint_slices: rotated pods give the same slices");
}

constexpr std::array<std::string_view, 6> endpoint_ips{"10.0.0.1", "10.0.0.2",  "10.0.0.10",
                                                       "fd00::1",  "fd00:0::b", "192.168.0.1"};
constexpr std::array<std::int32_t, 3> endpoint_port_numbers{80, 9090, 8080};

svcdisc::endpoints endpoints_from(input_reader& input) {
    std::vector<svcdisc::endpoint_address> pool;
    const std::size_t pool_size = 1 + input.count(endpoint_ips.size() - 1);
    for (std::size_t i = 0; i < pool_size; ++i) {
        svcdisc::endpoint_address& address = pool.emplace_back();
        address.ip = std::string(endpoint_ips[i]);
        address.hostname = std::string(input.pick(hostnames));
        const std::string_view node = input.pick(node_names);
        if (!node.empty()) {
            address.node_name = std::string(node);
        }
        if (input.flag()) {
            auto& ref = address.target_ref.emplace();
            ref.kind = "Pod";
            ref.namespace_ = "ns";
            ref.name = "p" + std::to_string(i);
            ref.uid = "uid-" + std::to_string(i);
        }
    }
    svcdisc::endpoints eps;
    eps.metadata.name = "svc";
    eps.metadata.namespace_ = "ns";
    eps.metadata.uid = "eps-uid";
    const std::size_t subset_count = input.count(3);
    for (std::size_t s = 0; s < subset_count; ++s) {
        svcdisc::endpoint_subset& subset = eps.subsets.emplace_back();
        const std::size_t port_count = input.count(2);
        for (std::size_t k = 0; k < port_count; ++k) {
            svcdisc::endpoint_port& port = subset.ports.emplace_back();
            port.name = std::string(port_names[k]);
            port.port = input.pick(endpoint_port_numbers);
            port.protocol = std::string(input.pick(protocols));
        }
        for (const svcdisc::endpoint_address& address : pool) {
            const std::size_t role = input.count(3);
            if (role == 1 || role == 3) {
                subset.addresses.push_back(address);
            }
            if (role == 2 || role == 3) {
                subset.not_ready_addresses.push_back(address);
            }
        }
    }
    return eps;
}

void check_mirroring(input_reader& input) {
    svcdisc::service svc;
    svc.metadata.name = "svc";
    svc.metadata.namespace_ = "ns";
    svc.spec.type = "ClusterIP";
    svc.spec.cluster_ip = "10.96.0.10";
    const svcdisc::endpoints eps = endpoints_from(input);
    svcdisc::endpoints reordered = eps;
    std::reverse(reordered.subsets.begin(), reordered.subsets.end());
    for (svcdisc::endpoint_subset& subset : reordered.subsets) {
        std::reverse(subset.addresses.begin(), subset.addresses.end());
        std::reverse(subset.not_ready_addresses.begin(), subset.not_ready_addresses.end());
        std::reverse(subset.ports.begin(), subset.ports.end());
    }
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&svc, eps);
    const auto mirrored_again = svcdisc::mirror_endpoint_slices_with_warnings(&svc, reordered);
    require(mirrored_again.slices == mirrored.slices,
            "mirror_endpoint_slices: reordered Endpoints give the same slices");
    require(mirrored_again.warnings == mirrored.warnings,
            "mirror_endpoint_slices: reordered Endpoints give the same warnings");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    input_reader input(data, size);
    if (input.flag()) {
        check_derivations(input);
    } else {
        check_mirroring(input);
    }
    return 0;
}
