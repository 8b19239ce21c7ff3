#pragma once

// A small cluster built from fuzz input, shared by the derivation and controller targets: one
// Service, pods and nodes drawn mostly from small tables, so that names, uids, IPs and nodes
// collide often.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/node.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

#include "fuzz_support.hpp"

namespace svcdisc_fuzz {

inline constexpr std::array<std::string_view, 4> cluster_ips{"10.96.0.10", "fd00::10", "None", ""};
inline constexpr std::array<std::string_view, 4> port_names{"http", "https", "metrics", ""};
inline constexpr std::array<std::string_view, 2> protocols{"TCP", "UDP"};
inline constexpr std::array<std::int32_t, 3> service_port_numbers{80, 443, 9090};
inline constexpr std::array<std::int32_t, 4> container_port_numbers{8080, 8443, 9090, 80};
inline constexpr std::array<std::string_view, 4> named_target_ports{"http-web", "metrics",
                                                                    "missing", "https"};
inline constexpr std::array<std::string_view, 5> pod_port_names{"http-web", "metrics", "https", "",
                                                                "http"};
inline constexpr std::array<std::string_view, 6> node_names{"",       "node-0", "node-1",
                                                            "node-2", "node-3", "node-9"};
inline constexpr std::array<std::string_view, 3> hostnames{"", "h0", "h1"};
inline constexpr std::array<std::string_view, 3> subdomains{"", "svc", "other"};
inline constexpr std::array<std::string_view, 5> phases{"Running", "Running", "Pending",
                                                        "Succeeded", "Failed"};
inline constexpr std::array<std::string_view, 3> readiness{"True", "False", ""};
inline constexpr std::array<std::string_view, 8> pod_ips{
    "10.0.0.1", "10.0.0.2", "10.0.0.10", "fd00::1", "fd00::2", "010.0.0.1", "FD00::1", "not-an-ip"};
inline constexpr std::array<std::string_view, 4> uids{"uid-0", "uid-1", "uid-2", ""};
inline constexpr std::array<std::string_view, 3> zones{"", "zone-a", "zone-b"};
inline constexpr std::array<std::size_t, 4> slice_capacities{1, 2, 3, 100};

inline svcdisc::label_set selector_labels(std::size_t choice) {
    switch (choice) {
    case 0:
        return {{"app", "web"}};
    case 1:
        return {{"app", "web"}, {"tier", "a"}};
    default:
        return {{"app", "db"}};
    }
}

inline svcdisc::service service_from(input_reader& input) {
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

inline std::vector<svcdisc::node> nodes_from(input_reader& input) {
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

inline svcdisc::pod pod_from(input_reader& input) {
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

} // namespace svcdisc_fuzz
