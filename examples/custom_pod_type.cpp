// Using your own pod type: svcdisc reads pods only through svcdisc::pod_traits<T>, so a program
// that already has its own representation of pods (here a flat struct, as a service registry
// might keep) specialises the traits once and passes its objects to derive_endpoints directly,
// with no conversion to svcdisc::pod.

#include <cstdint>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/derive_endpoints.hpp>

namespace registry {

// The application's own record of a running instance.
struct instance {
    std::string id; // unique, used as name and uid
    std::string ns; // Kubernetes namespace
    std::map<std::string, std::string> tags;
    std::string ip;       // one IPv4 address
    std::string host;     // node name
    bool healthy = false; // readiness probe result
    std::uint16_t http_port = 0;
};

} // namespace registry

// The one adapter svcdisc needs; every function is static.
template <>
struct svcdisc::pod_traits<registry::instance> {
    using instance = registry::instance;
    static std::string_view name(const instance& i) { return i.id; }
    static std::string_view namespace_(const instance& i) { return i.ns; }
    static std::string_view uid(const instance& i) { return i.id; }
    static const std::map<std::string, std::string>& labels(const instance& i) { return i.tags; }
    static std::string_view phase(const instance&) { return pod_phase::running; }
    static bool ready(const instance& i) { return i.healthy; }
    static bool terminating(const instance&) { return false; }
    static std::string_view node_name(const instance& i) { return i.host; }
    static std::string_view hostname(const instance&) { return {}; }
    static std::string_view subdomain(const instance&) { return {}; }
    static std::string_view pod_ip(const instance& i) { return i.ip; }
    static std::vector<std::string_view> pod_ips(const instance& i) { return {i.ip}; }
    // Declared ports, for Services whose targetPort is a name ("http" here).
    template <class Visit>
    static void for_each_port(const instance& i, Visit&& visit) {
        visit(std::string_view("http"), std::int32_t{i.http_port}, std::string_view("TCP"));
    }
};

int main() {
    const std::vector<registry::instance> instances = {
        {"checkout-a", "shop", {{"app", "checkout"}}, "10.1.0.11", "node-1", true, 8080},
        {"checkout-b", "shop", {{"app", "checkout"}}, "10.1.0.12", "node-2", false, 8080},
        {"cart-a", "shop", {{"app", "cart"}}, "10.1.0.21", "node-1", true, 8081},
    };

    svcdisc::service svc;
    svc.metadata.name = "checkout";
    svc.metadata.namespace_ = "shop";
    svc.spec.selector = svcdisc::label_set{{"app", "checkout"}};
    svc.spec.cluster_ip = "10.96.4.2";
    svcdisc::service_port& http = svc.spec.ports.emplace_back();
    http.name = "http";
    http.protocol = "TCP";
    http.port = 80;
    http.target_port = std::string("http");

    const auto eps = svcdisc::derive_endpoints(svc, instances);
    for (const auto& subset : eps->subsets) {
        for (const auto& p : subset.ports) {
            for (const auto& a : subset.addresses) {
                std::cout << "ready     " << a.ip << ':' << p.port << "  (" << a.target_ref->name
                          << " on " << *a.node_name << ")\n";
            }
            for (const auto& a : subset.not_ready_addresses) {
                std::cout << "not ready " << a.ip << ':' << p.port << "  (" << a.target_ref->name
                          << " on " << *a.node_name << ")\n";
            }
        }
    }
}
