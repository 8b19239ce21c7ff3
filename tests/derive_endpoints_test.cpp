#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>

#include "spec_fixtures.hpp"

// Acceptance scenarios E01–E53 of docs/scenarios.md, plus the Endpoints controller rules of
// docs/endpoints.md no scenario covers. Expected objects are written from the scenario table,
// never from svcdisc's output.

namespace {

using svcdisc::endpoint_address;
using svcdisc::endpoint_port;
using svcdisc::endpoint_subset;
using svcdisc_test::make_pod;
using svcdisc_test::make_service;

svcdisc::pod p1() {
    return make_pod(1, "10.0.0.1");
}
svcdisc::pod p2() {
    return make_pod(2, "10.0.0.2");
}

void set_ready(svcdisc::pod& p, const char* status) {
    p.status.conditions = {{"Ready", status}};
}

// The address of pN as the table writes it: nodeName node-a, targetRef {Pod, ns, pN, uid-N}.
endpoint_address addr(int n, const std::string& ip, const std::string& hostname = "",
                      const std::string& node = "node-a") {
    return {ip, hostname, node,
            svcdisc::object_reference{"Pod", "ns", "p" + std::to_string(n),
                                      "uid-" + std::to_string(n), "", "", ""}};
}

endpoint_port port(const std::string& name, std::int32_t number,
                   const std::string& protocol = "TCP",
                   std::optional<std::string> app_protocol = std::nullopt) {
    return {name, number, protocol, std::move(app_protocol)};
}

const endpoint_port http_8080 = port("http", 8080);

// The object the controller writes: name svc, namespace ns, the given labels plus managed-by.
svcdisc::endpoints expected(std::vector<endpoint_subset> subsets, svcdisc::label_set labels = {}) {
    svcdisc::endpoints e;
    e.metadata.name = "svc";
    e.metadata.namespace_ = "ns";
    e.metadata.labels = std::move(labels);
    e.metadata.labels.insert_or_assign("endpoints.kubernetes.io/managed-by", "endpoint-controller");
    e.subsets = std::move(subsets);
    return e;
}

// Readable text of an Endpoints object, so a failed comparison shows what differs.
std::string render(const std::optional<svcdisc::endpoints>& e) {
    if (!e) {
        return "nullopt";
    }
    std::string out = e->metadata.namespace_ + "/" + e->metadata.name + " labels{";
    for (const auto& [k, v] : e->metadata.labels) {
        out += k + "=" + v + ",";
    }
    out += "} annotations{";
    for (const auto& [k, v] : e->metadata.annotations) {
        out += k + "=" + v + ",";
    }
    out += "}";
    const auto render_address = [&](const endpoint_address& a) {
        out += " " + a.ip;
        if (!a.hostname.empty()) {
            out += " host=" + a.hostname;
        }
        out += a.node_name ? " node=\"" + *a.node_name + "\"" : " node=nil";
        if (a.target_ref) {
            out += " ref=" + a.target_ref->kind + ":" + a.target_ref->namespace_ + "/" +
                   a.target_ref->name + ":" + a.target_ref->uid;
        }
        out += ";";
    };
    for (const auto& s : e->subsets) {
        out += "\n  {addr:";
        for (const auto& a : s.addresses) {
            render_address(a);
        }
        out += " notReady:";
        for (const auto& a : s.not_ready_addresses) {
            render_address(a);
        }
        out += " ports:";
        for (const auto& p : s.ports) {
            out += " " + p.name + ":" + std::to_string(p.port) + "/" + p.protocol;
            if (p.app_protocol) {
                out += " app=" + *p.app_protocol;
            }
        }
        out += "}";
    }
    return out;
}

void check_derived(const svcdisc::service& svc, const std::vector<svcdisc::pod>& pods,
                   const std::optional<svcdisc::endpoints>& want) {
    const auto got = svcdisc::derive_endpoints(svc, pods);
    CHECK(render(got) == render(want));
    CHECK(got == want);
}

// A dual-stack p1 (podIPs [10.0.0.1, fd00::1]) behind F with these ipFamilies and clusterIP
// publishes exactly `want_ip`: one address per pod, of the Service's family
// (podToEndpointAddressForService).
void check_dual_stack_p1(std::vector<std::string> ip_families, const std::string& cluster_ip,
                         const std::string& want_ip) {
    svcdisc::service svc = make_service();
    svc.spec.ip_families = std::move(ip_families);
    svc.spec.cluster_ip = cluster_ip;
    svcdisc::pod a = p1();
    a.status.pod_ips = {"10.0.0.1", "fd00::1"};
    check_derived(svc, {a}, expected({{{addr(1, want_ip)}, {}, {http_8080}}}));
}

} // namespace

TEST_CASE("E01 one ready pod gives one subset") {
    check_derived(make_service(), {p1()}, expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}}));
}

TEST_CASE("E02 a pod the selector does not pick is left out; the object exists, empty") {
    svcdisc::pod a = p1();
    a.metadata.labels = {{"app", "api"}};
    check_derived(make_service(), {a}, expected({}));
}

TEST_CASE("E03 pods of another namespace are never considered") {
    svcdisc::pod a = p1();
    a.metadata.namespace_ = "other";
    check_derived(make_service(), {a, p2()}, expected({{{addr(2, "10.0.0.2")}, {}, {http_8080}}}));
}

TEST_CASE("E04 a pod without podIP and podIPs is left out") {
    svcdisc::pod a = p1();
    a.status.pod_ip = "";
    a.status.pod_ips = {};
    check_derived(make_service(), {a}, expected({}));
}

TEST_CASE("E05 terminal pods (Succeeded, Failed) are left out") {
    svcdisc::pod a = p1();
    a.status.phase = "Succeeded";
    svcdisc::pod b = p2();
    b.status.phase = "Failed";
    set_ready(b, "False");
    check_derived(make_service(), {a, b}, expected({}));
}

TEST_CASE("E06 terminal pods are left out even with publishNotReadyAddresses") {
    svcdisc::service svc = make_service();
    svc.spec.publish_not_ready_addresses = true;
    svcdisc::pod a = p1();
    a.status.phase = "Succeeded";
    svcdisc::pod b = p2();
    b.status.phase = "Failed";
    set_ready(b, "False");
    check_derived(svc, {a, b}, expected({}));
}

TEST_CASE("E07 Pending and Unknown phases are published") {
    svcdisc::pod a = p1();
    a.status.phase = "Pending";
    svcdisc::pod b = p2();
    b.status.phase = "Unknown";
    check_derived(make_service(), {a, b},
                  expected({{{addr(1, "10.0.0.1"), addr(2, "10.0.0.2")}, {}, {http_8080}}}));
}

TEST_CASE("E08 a pod with Ready=False is a not-ready address") {
    svcdisc::pod a = p1();
    set_ready(a, "False");
    check_derived(make_service(), {a}, expected({{{}, {addr(1, "10.0.0.1")}, {http_8080}}}));
}

TEST_CASE("E09 a pod without a Ready condition is a not-ready address") {
    svcdisc::pod a = p1();
    a.status.conditions = {};
    check_derived(make_service(), {a}, expected({{{}, {addr(1, "10.0.0.1")}, {http_8080}}}));
}

TEST_CASE("E10 a terminating ready pod is left out") {
    svcdisc::pod a = p1();
    a.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    check_derived(make_service(), {a}, expected({}));
}

TEST_CASE("E11 publishNotReadyAddresses keeps a terminating not-ready pod, as ready") {
    svcdisc::service svc = make_service();
    svc.spec.publish_not_ready_addresses = true;
    svcdisc::pod a = p1();
    set_ready(a, "False");
    a.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    check_derived(svc, {a}, expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}}));
}

TEST_CASE("E12 publishNotReadyAddresses publishes a not-ready pod as ready") {
    svcdisc::service svc = make_service();
    svc.spec.publish_not_ready_addresses = true;
    svcdisc::pod a = p1();
    set_ready(a, "False");
    check_derived(svc, {a}, expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}}));
}

TEST_CASE("E13 ready and not-ready pods with the same ports share a subset") {
    svcdisc::pod a = p1();
    set_ready(a, "False");
    check_derived(make_service(), {a, p2()},
                  expected({{{addr(2, "10.0.0.2")}, {addr(1, "10.0.0.1")}, {http_8080}}}));
}

TEST_CASE("E14 addresses are ordered by IP text, byte-wise") {
    check_derived(make_service(),
                  {make_pod(1, "10.0.0.9"), make_pod(2, "10.0.0.10"), make_pod(3, "10.0.0.100"),
                   make_pod(4, "9.0.0.1")},
                  expected({{{addr(2, "10.0.0.10"), addr(3, "10.0.0.100"), addr(1, "10.0.0.9"),
                              addr(4, "9.0.0.1")},
                             {},
                             {http_8080}}}));
}

TEST_CASE("E15 named targetPort resolving to different numbers gives separate subsets") {
    svcdisc::service svc = make_service();
    svc.spec.ports[0].target_port = std::string("http-web");
    svcdisc::pod b = p2();
    b.spec.containers[0].ports[0].container_port = 9090;
    check_derived(svc, {p1(), b},
                  expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}},
                            {{addr(2, "10.0.0.2")}, {}, {port("http", 9090)}}}));
}

TEST_CASE("E16 a pod where the named targetPort does not resolve is left out") {
    svcdisc::service svc = make_service();
    svc.spec.ports[0].target_port = std::string("http-web");
    svcdisc::pod b = p2();
    b.spec.containers[0].ports[0].name = "other";
    check_derived(svc, {p1(), b}, expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}}));
}

TEST_CASE("E17 a port only some pods serve gets a subset of its own") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"http", "TCP", std::nullopt, 80, 8080, 0},
                      {"metrics", "TCP", std::nullopt, 9100, std::string("metrics"), 0}};
    svcdisc::pod a = p1();
    a.spec.containers[0].ports.push_back({"metrics", 9100, "TCP", 0});
    check_derived(svc, {a, p2()},
                  expected({{{addr(1, "10.0.0.1"), addr(2, "10.0.0.2")}, {}, {http_8080}},
                            {{addr(1, "10.0.0.1")}, {}, {port("metrics", 9100)}}}));
}

TEST_CASE("E18 ports served by the same pods share a subset, in MD5 order") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"http", "TCP", std::nullopt, 80, 8080, 0},
                      {"metrics", "TCP", std::nullopt, 9100, std::string("metrics"), 0}};
    svcdisc::pod a = p1();
    a.spec.containers[0].ports.push_back({"metrics", 9100, "TCP", 0});
    svcdisc::pod b = p2();
    b.spec.containers[0].ports.push_back({"metrics", 9100, "TCP", 0});
    check_derived(svc, {a, b},
                  expected({{{addr(1, "10.0.0.1"), addr(2, "10.0.0.2")},
                             {},
                             {port("metrics", 9100), http_8080}}}));
}

TEST_CASE("E19 dns-tcp sorts before dns-udp (MD5 order of the port dumps)") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"dns-udp", "UDP", std::nullopt, 53, 53, 0},
                      {"dns-tcp", "TCP", std::nullopt, 53, 53, 0}};
    check_derived(
        svc, {p1()},
        expected({{{addr(1, "10.0.0.1")}, {}, {port("dns-tcp", 53), port("dns-udp", 53, "UDP")}}}));
}

TEST_CASE("E20 a named targetPort only matches a container port of the same protocol") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"dns", "UDP", std::nullopt, 53, std::string("dns"), 0}};
    svcdisc::pod a = p1();
    a.spec.containers[0].ports = {{"dns", 5353, "TCP", 0}};
    check_derived(svc, {a}, expected({}));
}

TEST_CASE("E21 an unnamed port with a defaulted targetPort") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"", "", std::nullopt, 80, 0, 0}};
    svcdisc::apply_defaults(svc);
    check_derived(svc, {p1()}, expected({{{addr(1, "10.0.0.1")}, {}, {port("", 80)}}}));
}

TEST_CASE("E22 a numeric targetPort is published even if no container declares it") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"x", "TCP", std::nullopt, 80, 12345, 0}};
    check_derived(svc, {p1()}, expected({{{addr(1, "10.0.0.1")}, {}, {port("x", 12345)}}}));
}

TEST_CASE("E23 headless Service without ports gets a portless subset and the headless label") {
    svcdisc::service svc = make_service();
    svc.spec.cluster_ip = "None";
    svc.spec.ports = {};
    svc.metadata.labels = {{"a", "b"}};
    svcdisc::pod b = p2();
    set_ready(b, "False");
    check_derived(svc, {p1(), b},
                  expected({{{addr(1, "10.0.0.1")}, {addr(2, "10.0.0.2")}, {}}},
                           {{"a", "b"}, {"service.kubernetes.io/headless", ""}}));
}

TEST_CASE("E24 headless Service with ports") {
    svcdisc::service svc = make_service();
    svc.spec.cluster_ip = "None";
    check_derived(svc, {p1()},
                  expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}},
                           {{"service.kubernetes.io/headless", ""}}));
}

TEST_CASE("E25 a Service with a clusterIP and no ports gets no subsets") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {};
    check_derived(svc, {p1()}, expected({}));
}

TEST_CASE("E26 hostname only when the pod's subdomain names the Service") {
    svcdisc::pod a = p1();
    a.spec.hostname = "web-0";
    a.spec.subdomain = "svc";
    svcdisc::pod b = p2();
    b.spec.hostname = "web-1";
    b.spec.subdomain = "other";
    svcdisc::pod c = make_pod(3, "10.0.0.3");
    c.spec.subdomain = "svc";
    check_derived(
        make_service(), {a, b, c},
        expected({{{addr(1, "10.0.0.1", "web-0"), addr(2, "10.0.0.2"), addr(3, "10.0.0.3")},
                   {},
                   {http_8080}}}));
}

TEST_CASE("E27 nodeName is present and empty for a pod without a node") {
    svcdisc::pod a = p1();
    a.spec.node_name = "";
    const auto got = svcdisc::derive_endpoints(make_service(), std::vector{a});
    REQUIRE(got);
    REQUIRE(got->subsets.size() == 1);
    CHECK(got->subsets[0].addresses[0].node_name == std::optional<std::string>(""));
    check_derived(make_service(), {a},
                  expected({{{addr(1, "10.0.0.1", "", "")}, {}, {http_8080}}}));
}

TEST_CASE("E28 an IPv6 Service publishes the pod's IPv6 address") {
    check_dual_stack_p1({"IPv6"}, "fd00:96::10", "fd00::1");
}

TEST_CASE("E29 a dual-stack IPv4-first Service publishes only the IPv4 address") {
    check_dual_stack_p1({"IPv4", "IPv6"}, "10.96.0.10", "10.0.0.1");
}

TEST_CASE("E30 a dual-stack IPv6-first Service publishes only the IPv6 address") {
    check_dual_stack_p1({"IPv6", "IPv4"}, "fd00:96::10", "fd00::1");
}

TEST_CASE("E31 an IPv6-only pod has no address for an IPv4 Service") {
    check_derived(make_service(), {make_pod(1, "fd00::1")}, expected({}));
}

TEST_CASE("E32 podIP alone is never used as the address") {
    svcdisc::pod a = p1();
    a.status.pod_ips = {};
    check_derived(make_service(), {a}, expected({}));
}

TEST_CASE("E33 without ipFamilies the clusterIP's family decides") {
    check_dual_stack_p1({}, "fd00:96::10", "fd00::1");
}

TEST_CASE("E34 legacy headless without ipFamilies: the pod's podIP family decides") {
    svcdisc::service svc = make_service();
    svc.spec.ip_families = {};
    svc.spec.cluster_ip = "None";
    svcdisc::pod a = p1();
    a.status.pod_ip = "fd00::1";
    a.status.pod_ips = {"fd00::1", "10.0.0.1"};
    check_derived(svc, {a},
                  expected({{{addr(1, "fd00::1")}, {}, {http_8080}}},
                           {{"service.kubernetes.io/headless", ""}}));
}

TEST_CASE("E35 an ExternalName Service is not managed") {
    svcdisc::service svc = make_service();
    svc.spec.type = "ExternalName";
    svc.spec.external_name = "example.com";
    check_derived(svc, {p1()}, std::nullopt);
}

TEST_CASE("E36 a Service without selector is not managed (manual Endpoints stay as they are)") {
    svcdisc::service svc = make_service();
    svc.spec.selector = std::nullopt;
    check_derived(svc, {p1()}, std::nullopt);
}

TEST_CASE("E37 an empty selector is treated like an absent one (library default: unmanaged)") {
    svcdisc::service svc = make_service();
    svc.spec.selector = svcdisc::label_set{};
    svcdisc::pod a = p1();
    a.metadata.labels = {};
    svcdisc::pod b = p2();
    b.metadata.labels = {};
    check_derived(svc, {a, b}, std::nullopt);
}

TEST_CASE("E38 a Service with a clusterIP loses a headless label it carries") {
    svcdisc::service svc = make_service();
    svc.metadata.labels = {{"team", "x"}, {"service.kubernetes.io/headless", "yes"}};
    check_derived(svc, {p1()},
                  expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}}, {{"team", "x"}}));
}

TEST_CASE("E39 an empty clusterIP counts as headless for the label") {
    svcdisc::service svc = make_service();
    svc.spec.cluster_ip = "";
    svc.metadata.labels = {{"team", "x"}};
    check_derived(svc, {p1()},
                  expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}},
                           {{"team", "x"}, {"service.kubernetes.io/headless", ""}}));
}

TEST_CASE("E40 appProtocol is copied to the port") {
    svcdisc::service svc = make_service();
    svc.spec.ports[0].app_protocol = "http";
    check_derived(svc, {p1()},
                  expected({{{addr(1, "10.0.0.1")}, {}, {port("http", 8080, "TCP", "http")}}}));
}

TEST_CASE("E41 two pods with one IP are two addresses, ordered by uid") {
    svcdisc::pod a = make_pod(1, "192.168.1.5");
    a.metadata.uid = "uid-b";
    svcdisc::pod b = make_pod(2, "192.168.1.5");
    b.metadata.uid = "uid-a";
    endpoint_address want_a = addr(1, "192.168.1.5");
    want_a.target_ref->uid = "uid-b";
    endpoint_address want_b = addr(2, "192.168.1.5");
    want_b.target_ref->uid = "uid-a";
    check_derived(make_service(), {a, b}, expected({{{want_b, want_a}, {}, {http_8080}}}));
}

TEST_CASE("RepackSubsets: a pod that resolves no port never stands for the address it shares "
          "with a pod that does") {
    // Both pods have one IP and uid, so they are one address. The port-less pod would win the
    // tie-break (p1 on node-a), but upstream adds it to no subset, so only p2 is ever seen.
    svcdisc::service svc = make_service();
    svc.spec.ports[0].target_port = std::string("http-web");
    svcdisc::pod portless = p1();
    portless.metadata.uid = "uid-shared";
    portless.spec.containers = {{"c0", {{"metrics", 9090, "TCP", 0}}, std::nullopt}};
    svcdisc::pod serving = make_pod(2, "10.0.0.1");
    serving.metadata.uid = "uid-shared";
    serving.spec.node_name = "node-z";
    serving.spec.containers = {{"c0", {{"http-web", 7000, "TCP", 0}}, std::nullopt}};
    endpoint_address want = addr(2, "10.0.0.1", "", "node-z");
    want.target_ref->uid = "uid-shared";
    check_derived(svc, {portless, serving}, expected({{{want}, {}, {port("http", 7000)}}}));
    check_derived(svc, {serving, portless}, expected({{{want}, {}, {port("http", 7000)}}}));
}

TEST_CASE("E42 a named targetPort takes the first matching container port") {
    svcdisc::service svc = make_service();
    svc.spec.ports[0].target_port = std::string("http-web");
    svcdisc::pod a = p1();
    a.spec.containers = {{"c0", {{"x", 1, "TCP", 0}}, std::nullopt},
                         {"c1", {{"http-web", 7000, "TCP", 0}}, std::nullopt},
                         {"c2", {{"http-web", 7001, "TCP", 0}}, std::nullopt}};
    check_derived(svc, {a}, expected({{{addr(1, "10.0.0.1")}, {}, {port("http", 7000)}}}));
}

TEST_CASE("E43 a named targetPort resolves in sidecar init containers only") {
    svcdisc::service svc = make_service();
    svc.spec.ports[0].target_port = std::string("http-web");
    svcdisc::pod a = p1();
    a.spec.containers = {{"c0", {}, std::nullopt}};
    a.spec.init_containers = {{"i0", {{"http-web", 7100, "TCP", 0}}, std::nullopt},
                              {"i1", {{"http-web", 7200, "TCP", 0}}, std::string("Always")}};
    check_derived(svc, {a}, expected({{{addr(1, "10.0.0.1")}, {}, {port("http", 7200)}}}));
}

TEST_CASE("E44 two service ports with the same target number stay two ports") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"a", "TCP", std::nullopt, 80, 8080, 0},
                      {"b", "TCP", std::nullopt, 81, 8080, 0}};
    check_derived(svc, {p1()},
                  expected({{{addr(1, "10.0.0.1")}, {}, {port("b", 8080), port("a", 8080)}}}));
}

TEST_CASE("E45 mixed named ports and readiness repack into three subsets") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"http", "TCP", std::nullopt, 80, std::string("http-web"), 0},
                      {"admin", "TCP", std::nullopt, 9000, 9000, 0}};
    svcdisc::pod b = p2();
    b.spec.containers[0].ports[0].container_port = 9090;
    svcdisc::pod c = make_pod(3, "10.0.0.3");
    set_ready(c, "False");
    check_derived(svc, {p1(), b, c},
                  expected({{{addr(1, "10.0.0.1"), addr(2, "10.0.0.2")},
                             {addr(3, "10.0.0.3")},
                             {port("admin", 9000)}},
                            {{addr(1, "10.0.0.1")}, {addr(3, "10.0.0.3")}, {http_8080}},
                            {{addr(2, "10.0.0.2")}, {}, {port("http", 9090)}}}));
}

TEST_CASE("E46 1001 ready pods are truncated to 1000, dropping the largest IP text") {
    std::vector<svcdisc::pod> pods;
    for (int i = 0; i <= 1000; ++i) {
        pods.push_back(
            make_pod(i, "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256)));
    }
    const auto got = svcdisc::derive_endpoints(make_service(), pods);
    REQUIRE(got);
    REQUIRE(got->subsets.size() == 1);
    const auto& kept = got->subsets[0].addresses;
    REQUIRE(kept.size() == 1000);
    // Expected: all 1001 addresses in byte-wise IP order, the last one cut.
    std::vector<std::pair<std::string, int>> by_ip;
    for (int i = 0; i <= 1000; ++i) {
        by_ip.emplace_back("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), i);
    }
    std::sort(by_ip.begin(), by_ip.end());
    std::vector<endpoint_address> want;
    for (std::size_t k = 0; k < 1000; ++k) {
        want.push_back(addr(by_ip[k].second, by_ip[k].first));
    }
    CHECK(kept == want);
    CHECK(by_ip.back() == std::pair<std::string, int>("10.0.3.99", 867));
    CHECK(kept.front() == addr(0, "10.0.0.0"));
    CHECK(kept.back() == addr(866, "10.0.3.98"));
    for (const auto& a : kept) {
        CHECK(a.ip != "10.0.3.99");
    }
    CHECK(got->subsets[0].not_ready_addresses.empty());
    CHECK(got->subsets[0].ports == std::vector{http_8080});
    CHECK(got->metadata.annotations.find_value("endpoints.kubernetes.io/over-capacity") ==
          std::optional<std::string_view>("truncated"));
}

TEST_CASE("E47 1010 pods, 20 not ready: every ready kept, the first 10 not-ready kept") {
    std::vector<svcdisc::pod> pods;
    for (int i = 0; i < 1010; ++i) {
        svcdisc::pod p =
            make_pod(i, "10.1." + std::to_string(i / 256) + "." + std::to_string(i % 256));
        if (i >= 990) {
            set_ready(p, "False");
        }
        pods.push_back(p);
    }
    const auto got = svcdisc::derive_endpoints(make_service(), pods);
    REQUIRE(got);
    REQUIRE(got->subsets.size() == 1);
    CHECK(got->subsets[0].addresses.size() == 990);
    std::vector<endpoint_address> want_not_ready;
    for (int i = 990; i < 1000; ++i) {
        want_not_ready.push_back(addr(i, "10.1.3." + std::to_string(i % 256)));
    }
    CHECK(got->subsets[0].not_ready_addresses == want_not_ready);
    CHECK(want_not_ready.front().ip == "10.1.3.222");
    CHECK(want_not_ready.back().ip == "10.1.3.231");
    CHECK(got->metadata.annotations.find_value("endpoints.kubernetes.io/over-capacity") ==
          std::optional<std::string_view>("truncated"));
}

TEST_CASE("E48 only the first Ready condition counts") {
    svcdisc::pod a = p1();
    a.status.conditions = {{"Ready", "False"}, {"Ready", "True"}};
    check_derived(make_service(), {a}, expected({{{}, {addr(1, "10.0.0.1")}, {http_8080}}}));
}

TEST_CASE("E49 every selector entry must be present with an equal value") {
    svcdisc::service svc = make_service();
    svc.spec.selector = svcdisc::label_set{{"app", "web"}, {"tier", "fe"}};
    svcdisc::pod b = p2();
    b.metadata.labels = {{"app", "web"}, {"tier", "fe"}, {"x", "y"}};
    check_derived(svc, {p1(), b}, expected({{{addr(2, "10.0.0.2")}, {}, {http_8080}}}));
}

TEST_CASE("E50 a selector value may be empty; the key must still be present") {
    svcdisc::service svc = make_service();
    svc.spec.selector = svcdisc::label_set{{"app", ""}};
    svcdisc::pod a = p1();
    a.metadata.labels = {{"app", ""}};
    svcdisc::pod b = p2();
    b.metadata.labels = {};
    check_derived(svc, {a, b}, expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}}));
}

// A deleted Service is simply not passed to derive_endpoints: a caller that no longer has the
// Service drops its Endpoints, as the controller deletes them. While the Service still exists
// (even with a deletionTimestamp) the controller keeps writing its Endpoints.
TEST_CASE("E51 a Service being deleted is still derived until it is gone") {
    svcdisc::service svc = make_service();
    svc.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    check_derived(svc, {p1()}, expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}}));
}

TEST_CASE("E52 a named port needs the container protocol defaulted to TCP") {
    svcdisc::service svc = make_service();
    svc.spec.ports[0].target_port = std::string("http-web");
    svcdisc::pod a = p1();
    a.spec.containers[0].ports[0].protocol = "";
    check_derived(svc, {a}, expected({}));
    svcdisc::apply_defaults(a);
    check_derived(svc, {a}, expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}}));
}

TEST_CASE("E53 SCTP ports are published with their protocol") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"http", "SCTP", std::nullopt, 80, 9999, 0}};
    check_derived(svc, {p1()},
                  expected({{{addr(1, "10.0.0.1")}, {}, {port("http", 9999, "SCTP")}}}));
}

// ---------------------------------------------------------------------------------------------
// Endpoints controller rules no scenario covers.
// ---------------------------------------------------------------------------------------------

TEST_CASE(
    "podToEndpointAddressForService: an IPv4-mapped IPv6 address is IPv4, published as written") {
    svcdisc::pod a = p1();
    a.status.pod_ips = {"fd00::1", "::ffff:10.0.0.1"};
    check_derived(make_service(), {a}, expected({{{addr(1, "::ffff:10.0.0.1")}, {}, {http_8080}}}));
}

TEST_CASE("podToEndpointAddressForService: the first podIPs entry of the family, not podIP") {
    svcdisc::pod a = p1();
    a.status.pod_ip = "10.0.0.7";
    a.status.pod_ips = {"fd00::1", "10.0.0.1", "10.0.0.7"};
    check_derived(make_service(), {a}, expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}}));
}

TEST_CASE("podToEndpointAddressForService: legacy headless decides the family per pod") {
    svcdisc::service svc = make_service();
    svc.spec.ip_families = {};
    svc.spec.cluster_ip = "None";
    svcdisc::pod a = p1();
    a.status.pod_ips = {"10.0.0.1", "fd00::1"};
    svcdisc::pod b = make_pod(2, "fd00::2");
    b.status.pod_ips = {"10.0.0.2", "fd00::2"};
    check_derived(svc, {a, b},
                  expected({{{addr(1, "10.0.0.1"), addr(2, "fd00::2")}, {}, {http_8080}}},
                           {{"service.kubernetes.io/headless", ""}}));
}

TEST_CASE("ShouldSetHostname: a hostname whose subdomain names the Service is published") {
    svcdisc::service svc = make_service();
    svcdisc::pod a = p1();
    a.spec.hostname = "web-0";
    a.spec.subdomain = "svc";
    check_derived(svc, {a}, expected({{{addr(1, "10.0.0.1", "web-0")}, {}, {http_8080}}}));
}

TEST_CASE("syncService: a pod that resolves no port disappears, other ports of a pod stay") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"http", "TCP", std::nullopt, 80, std::string("http-web"), 0},
                      {"grpc", "TCP", std::nullopt, 81, std::string("grpc"), 0}};
    svcdisc::pod b = p2();
    b.spec.containers[0].ports = {{"grpc", 9000, "TCP", 0}};
    svcdisc::pod c = make_pod(3, "10.0.0.3");
    c.spec.containers[0].ports = {};
    const auto got = svcdisc::derive_endpoints(svc, std::vector{p1(), b, c});
    REQUIRE(got);
    std::size_t addresses = 0;
    for (const auto& s : got->subsets) {
        addresses += s.addresses.size();
        for (const auto& a : s.addresses) {
            CHECK(a.ip != "10.0.0.3");
        }
    }
    CHECK(addresses == 2);
}

TEST_CASE("RepackSubsets: the same pod listed twice is one address; not ready wins") {
    svcdisc::pod a = p1();
    svcdisc::pod again = p1();
    set_ready(again, "False");
    check_derived(make_service(), {a, again}, expected({{{}, {addr(1, "10.0.0.1")}, {http_8080}}}));
}

TEST_CASE("syncService: the managed-by label overrides a value copied from the Service") {
    svcdisc::service svc = make_service();
    svc.metadata.labels = {{"endpoints.kubernetes.io/managed-by", "someone"}, {"k", "v"}};
    svc.metadata.annotations = {{"note", "not copied"}};
    svc.metadata.uid = "svc-uid";
    svc.metadata.resource_version = "7";
    const auto got = svcdisc::derive_endpoints(svc, std::vector{p1()});
    REQUIRE(got);
    CHECK(got->metadata.labels ==
          svcdisc::label_set{{"endpoints.kubernetes.io/managed-by", "endpoint-controller"},
                             {"k", "v"}});
    CHECK(got->metadata.annotations.empty());
    CHECK(got->metadata.uid.empty());
    CHECK(got->metadata.resource_version.empty());
    CHECK_FALSE(got->metadata.creation_timestamp);
    CHECK(got->metadata.owner_references.empty());
}

TEST_CASE("derive_endpoints takes pointers to pods and any range") {
    const std::vector<svcdisc::pod> pods{p1(), p2()};
    std::vector<const svcdisc::pod*> pointers{&pods[1], &pods[0]};
    CHECK(svcdisc::derive_endpoints(make_service(), pointers) ==
          svcdisc::derive_endpoints(make_service(), pods));
    const svcdisc::pod array[] = {p1(), p2()};
    CHECK(svcdisc::derive_endpoints(make_service(), array) ==
          svcdisc::derive_endpoints(make_service(), pods));
    std::vector<std::unique_ptr<svcdisc::pod>> owned;
    owned.push_back(std::make_unique<svcdisc::pod>(p2()));
    owned.push_back(std::make_unique<svcdisc::pod>(p1()));
    CHECK(svcdisc::derive_endpoints(make_service(), owned) ==
          svcdisc::derive_endpoints(make_service(), pods));
    const std::vector<std::reference_wrapper<const svcdisc::pod>> refs{pods[1], pods[0]};
    CHECK(svcdisc::derive_endpoints(make_service(), refs) ==
          svcdisc::derive_endpoints(make_service(), pods));
}

// ---------------------------------------------------------------------------------------------
// repack_subsets on hand-written subsets (RepackSubsets, as EndpointSlice mirroring uses it).
// ---------------------------------------------------------------------------------------------

TEST_CASE("RepackSubsets: the first record of an identity wins, subsets without addresses vanish") {
    endpoint_address first{"10.0.0.1", "first", std::string("n1"), std::nullopt};
    endpoint_address second{"10.0.0.1", "second", std::string("n2"), std::nullopt};
    const std::vector<endpoint_subset> raw{
        {{first}, {}, {port("a", 1)}},
        {{second}, {}, {port("a", 1)}},
        {{}, {}, {port("b", 2)}},
    };
    const auto out = svcdisc::repack_subsets(raw);
    REQUIRE(out.size() == 1);
    CHECK(out[0].addresses == std::vector{first});
    CHECK(out[0].ports == std::vector{port("a", 1)});
}

TEST_CASE("RepackSubsets: ready for one port and not ready for another splits; not ready wins") {
    const endpoint_address a{"10.0.0.1", "", std::nullopt, std::nullopt};
    const endpoint_address b{"10.0.0.2", "", std::nullopt, std::nullopt};
    const std::vector<endpoint_subset> raw{
        {{a, b}, {}, {port("x", 1)}},
        {{b}, {a}, {port("y", 2)}},
        {{a}, {}, {port("y", 2)}},
    };
    const auto out = svcdisc::repack_subsets(raw);
    REQUIRE(out.size() == 2);
    // Subsets come out in MD5 order; find them by port.
    const auto& x = out[0].ports[0].name == "x" ? out[0] : out[1];
    const auto& y = out[0].ports[0].name == "x" ? out[1] : out[0];
    CHECK(x.addresses == std::vector{a, b});
    CHECK(x.not_ready_addresses.empty());
    CHECK(y.addresses == std::vector{b});
    CHECK(y.not_ready_addresses == std::vector{a});
}

TEST_CASE("RepackSubsets: a portless subset keeps its addresses without ports") {
    const endpoint_address a{"10.0.0.1", "", std::nullopt, std::nullopt};
    const endpoint_address b{"10.0.0.2", "", std::nullopt, std::nullopt};
    const std::vector<endpoint_subset> raw{{{b}, {}, {}}, {{a}, {}, {}}, {{a}, {}, {port("p", 5)}}};
    const auto out = svcdisc::repack_subsets(raw);
    REQUIRE(out.size() == 2);
    const auto& portless = out[0].ports.empty() ? out[0] : out[1];
    const auto& with_port = out[0].ports.empty() ? out[1] : out[0];
    CHECK(portless.addresses == std::vector{a, b});
    CHECK(with_port.addresses == std::vector{a});
    CHECK(with_port.ports == std::vector{port("p", 5)});
}

TEST_CASE("SortSubsets: subsets are ordered by the MD5 of their dump") {
    const std::vector<endpoint_subset> raw{
        {{addr(1, "10.0.0.1")}, {}, {http_8080}},
        {{addr(2, "10.0.0.2")}, {}, {port("http", 9090)}},
    };
    const auto out = svcdisc::repack_subsets(raw);
    REQUIRE(out.size() == 2);
    CHECK(svcdisc::detail::go_dump_md5(out[0]) < svcdisc::detail::go_dump_md5(out[1]));
    CHECK(svcdisc::detail::to_hex(svcdisc::detail::go_dump_md5(
              endpoint_subset{{{"10.0.0.1", "", std::string("node-a"),
                                svcdisc::object_reference{"Pod", "ns", "p1", "uid-1", "", "", ""}}},
                              {},
                              {http_8080}})) == "cd564b542efc5c2854fa2872cc24b404");
}

TEST_CASE("RepackSubsets: output is already canonical, repacking again changes nothing") {
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"http", "TCP", std::nullopt, 80, std::string("http-web"), 0},
                      {"admin", "TCP", std::nullopt, 9000, 9000, 0}};
    svcdisc::pod b = p2();
    b.spec.containers[0].ports[0].container_port = 9090;
    svcdisc::pod c = make_pod(3, "10.0.0.3");
    set_ready(c, "False");
    const auto eps = svcdisc::derive_endpoints(svc, std::vector{p1(), b, c});
    REQUIRE(eps);
    CHECK(svcdisc::repack_subsets(eps->subsets) == eps->subsets);
}

TEST_CASE(
    "LessEndpointAddress: an address without targetRef sorts first among equal IPs, then uid") {
    const endpoint_address bare{"10.0.0.1", "", std::nullopt, std::nullopt};
    const endpoint_address uid_b = addr(2, "10.0.0.1");
    const endpoint_address uid_a = addr(1, "10.0.0.1");
    const endpoint_address lower_ip = addr(3, "10.0.0.0");
    const std::vector<endpoint_subset> raw{{{uid_b, bare, uid_a, lower_ip}, {}, {http_8080}}};
    const auto out = svcdisc::repack_subsets(raw);
    REQUIRE(out.size() == 1);
    CHECK(out[0].addresses == std::vector{lower_ip, bare, uid_a, uid_b});
}

// ---------------------------------------------------------------------------------------------
// Service model rules (docs/model.md) that reach the derived Endpoints.
// ---------------------------------------------------------------------------------------------

TEST_CASE(
    "FindPort: a headless Service still resolves a named targetPort and publishes the number") {
    svcdisc::service svc = make_service();
    svc.spec.cluster_ip = "None";
    svc.spec.ports[0].target_port = std::string("http-web");
    svcdisc::pod b = p2();
    b.spec.containers[0].ports[0].container_port = 9090;
    check_derived(svc, {p1(), b},
                  expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}},
                            {{addr(2, "10.0.0.2")}, {}, {port("http", 9090)}}},
                           {{"service.kubernetes.io/headless", ""}}));
}

TEST_CASE("syncService: the removed tolerate-unready-endpoints annotation is ignored") {
    svcdisc::service svc = make_service();
    svc.metadata.annotations = {{"service.alpha.kubernetes.io/tolerate-unready-endpoints", "true"}};
    svcdisc::pod a = p1();
    set_ready(a, "False");
    svcdisc::pod b = p2();
    b.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    check_derived(svc, {a, b}, expected({{{}, {addr(1, "10.0.0.1")}, {http_8080}}}));
}

TEST_CASE(
    "IsServiceIPSet: a clusterIP on a NodePort or LoadBalancer Service means no headless label") {
    for (const char* type : {"NodePort", "LoadBalancer"}) {
        CAPTURE(type);
        svcdisc::service svc = make_service();
        svc.spec.type = type;
        check_derived(svc, {p1()}, expected({{{addr(1, "10.0.0.1")}, {}, {http_8080}}}));
    }
}

// ---------------------------------------------------------------------------------------------
// The same input through both controllers, where they differ (docs/endpoint-slices.md).
// ---------------------------------------------------------------------------------------------

namespace {

std::vector<svcdisc::endpoint_slice> slices_of(const svcdisc::service& svc,
                                               const std::vector<svcdisc::pod>& pods) {
    svcdisc::node node_a;
    node_a.metadata.name = "node-a";
    return svcdisc::derive_endpoint_slices(svc, pods, std::vector{node_a});
}

} // namespace

TEST_CASE(
    "Endpoints vs slices: a terminating pod is left out of Endpoints, terminating in its slice") {
    svcdisc::pod a = p1();
    a.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    check_derived(make_service(), {a}, expected({}));
    const auto slices = slices_of(make_service(), {a});
    REQUIRE(slices.size() == 1);
    REQUIRE(slices[0].endpoints.size() == 1);
    const auto& conditions = slices[0].endpoints[0].conditions;
    CHECK(conditions.ready == std::optional<bool>(false));
    CHECK(conditions.serving == std::optional<bool>(true));
    CHECK(conditions.terminating == std::optional<bool>(true));
}

TEST_CASE("Endpoints vs slices: a pod with no resolvable port is dropped, or kept with ports []") {
    svcdisc::service svc = make_service();
    svc.spec.ports[0].target_port = std::string("metrics");
    check_derived(svc, {p1()}, expected({}));
    const auto slices = slices_of(svc, {p1()});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].ports.empty());
    REQUIRE(slices[0].endpoints.size() == 1);
    CHECK(slices[0].endpoints[0].addresses == std::vector<std::string>{"10.0.0.1"});
}

TEST_CASE(
    "Endpoints vs slices: a pod without nodeName has nodeName \"\" in Endpoints, none in slices") {
    svcdisc::pod a = p1();
    a.spec.node_name = "";
    check_derived(make_service(), {a},
                  expected({{{addr(1, "10.0.0.1", "", "")}, {}, {http_8080}}}));
    const auto slices = slices_of(make_service(), {a});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].endpoints.empty());
}

TEST_CASE("Endpoints vs slices: no pods give no subsets, and one placeholder slice") {
    check_derived(make_service(), {}, expected({}));
    const auto slices = slices_of(make_service(), {});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].address_type == "IPv4");
    CHECK(slices[0].endpoints.empty());
}
