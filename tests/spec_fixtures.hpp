#pragma once

// The objects the scenarios of docs/scenarios.md start from (E01–E53 and ES01–ES19: Service F
// and pods pN; M01–M27: the selector-less my-service), shared by the tests that restate them.

#include <optional>
#include <string>

#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc_test {

/// Service F: ns/svc, selector app=web, clusterIP 10.96.0.10 (IPv4), port http 80/TCP → 8080.
inline svcdisc::service make_service() {
    svcdisc::service s;
    s.metadata.name = "svc";
    s.metadata.namespace_ = "ns";
    s.metadata.uid = "svc-uid";
    s.spec.type = "ClusterIP";
    s.spec.selector = svcdisc::label_set{{"app", "web"}};
    s.spec.cluster_ip = "10.96.0.10";
    s.spec.ip_families = {"IPv4"};
    s.spec.ports = {{"http", "TCP", std::nullopt, 80, 8080, 0}};
    return s;
}

/// Pod pN(IP): ns/pN, uid uid-N, app=web, Running and Ready on node-a, one container declaring
/// http-web 8080/TCP.
inline svcdisc::pod make_pod(int n, const std::string& ip) {
    svcdisc::pod p;
    p.metadata.name = "p" + std::to_string(n);
    p.metadata.namespace_ = "ns";
    p.metadata.uid = "uid-" + std::to_string(n);
    p.metadata.labels = {{"app", "web"}};
    p.spec.node_name = "node-a";
    p.spec.containers = {{"c0", {{"http-web", 8080, "TCP", 0}}, std::nullopt}};
    p.status.phase = "Running";
    p.status.conditions = {{"Ready", "True"}};
    p.status.pod_ip = ip;
    p.status.pod_ips = {ip};
    return p;
}

/// The Service of the mirroring scenarios: default/my-service without a selector,
/// clusterIP 10.96.0.50 (IPv4), port 80/TCP → 9376.
inline svcdisc::service make_selectorless_service() {
    svcdisc::service svc;
    svc.metadata.name = "my-service";
    svc.metadata.namespace_ = "default";
    svc.spec.type = "ClusterIP";
    svc.spec.cluster_ip = "10.96.0.50";
    svc.spec.ip_families = {"IPv4"};
    svc.spec.ports = {{"", "TCP", std::nullopt, 80, 9376, 0}};
    return svc;
}

} // namespace svcdisc_test
