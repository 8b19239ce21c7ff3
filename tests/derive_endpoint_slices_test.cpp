#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/derive_endpoint_slices.hpp>

#include "spec_fixtures.hpp"

// Fresh EndpointSlice derivation: scenarios ES01–ES15 of docs/scenarios.md and one test per
// rule of docs/endpoint-slices.md. Expected values come from the scenario tables and worked
// examples.

namespace {

using svcdisc::endpoint_slice;
using svcdisc_test::make_pod;
using svcdisc_test::make_service;

svcdisc::node node_a() {
    svcdisc::node n;
    n.metadata.name = "node-a";
    n.metadata.labels = {{"topology.kubernetes.io/zone", "zone-1"}};
    return n;
}

std::vector<endpoint_slice> derive(const svcdisc::service& s, const std::vector<svcdisc::pod>& pods,
                                   const svcdisc::endpoint_slice_options& options = {}) {
    return svcdisc::derive_endpoint_slices(s, pods, std::vector<svcdisc::node>{node_a()}, options);
}

// `IP(pN) r/s/t [nodeName] [zone] [hostname]`, the notation of docs/scenarios.md.
std::string describe(const svcdisc::endpoint& e) {
    const auto flag = [](const std::optional<bool>& b) {
        return b ? (*b ? std::string("T") : std::string("F")) : std::string("-");
    };
    std::string out;
    for (const auto& address : e.addresses) {
        out += (out.empty() ? "" : ",") + address;
    }
    out += "(" + (e.target_ref ? e.target_ref->name : std::string("?")) + ") ";
    out += flag(e.conditions.ready) + "/" + flag(e.conditions.serving) + "/" +
           flag(e.conditions.terminating);
    if (e.node_name) {
        out += " node=" + *e.node_name;
    }
    if (e.zone) {
        out += " zone=" + *e.zone;
    }
    if (e.hostname) {
        out += " hostname=" + *e.hostname;
    }
    return out;
}

// `name:port/PROTO` for each port, in slice order.
std::vector<std::string> describe_ports(const endpoint_slice& s) {
    std::vector<std::string> out;
    for (const auto& port : s.ports) {
        std::string text = port.name.value_or("<nil>") + ":" +
                           (port.port ? std::to_string(*port.port) : "<nil>") + "/" +
                           port.protocol.value_or("<nil>");
        if (port.app_protocol) {
            text += " appProtocol=" + *port.app_protocol;
        }
        out.push_back(text);
    }
    return out;
}

std::vector<std::string> describe_endpoints(const endpoint_slice& s) {
    std::vector<std::string> out;
    for (const auto& e : s.endpoints) {
        out.push_back(describe(e));
    }
    return out;
}

const svcdisc::label_set l0{
    {"kubernetes.io/service-name", "svc"},
    {"endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"}};

svcdisc::label_set l0_headless() {
    svcdisc::label_set labels = l0;
    labels.insert_or_assign("service.kubernetes.io/headless", "");
    return labels;
}

bool is_placeholder(const endpoint_slice& s) {
    return s.ports.empty() && s.endpoints.empty();
}

} // namespace

namespace {

// A pod type whose traits return strings by value (allowed by pod_traits' contract).
struct value_pod {
    std::string id;
    std::string ip;
};

} // namespace

template <>
struct svcdisc::pod_traits<value_pod> {
    static std::string name(const value_pod& p) { return p.id; }
    static std::string namespace_(const value_pod&) { return "ns"; }
    static std::string uid(const value_pod& p) { return "uid-" + p.id; }
    static std::map<std::string, std::string> labels(const value_pod&) { return {{"app", "web"}}; }
    // phase stays a view: endpoint_rules.hpp's should_pod_be_in_endpoints keeps a string_view
    // of it past the call (reported to its owner).
    static std::string_view phase(const value_pod&) { return "Running"; }
    static bool ready(const value_pod&) { return true; }
    static bool terminating(const value_pod&) { return false; }
    static std::string node_name(const value_pod&) { return std::string("node-") + "a"; }
    static std::string hostname(const value_pod&) { return "host-with-a-long-name"; }
    static std::string subdomain(const value_pod&) { return "svc"; }
    static std::string pod_ip(const value_pod& p) { return p.ip; }
    static std::vector<std::string> pod_ips(const value_pod& p) { return {p.ip}; }
    template <class Visit>
    static void for_each_port(const value_pod&, Visit&& visit) {
        visit(std::string_view("http-web"), 8080, std::string_view("TCP"));
    }
};

using strings = std::vector<std::string>;

TEST_CASE("ES01 one ready pod on a known node gives one IPv4 slice with node and zone") {
    const auto slices = derive(make_service(), {make_pod(1, "10.0.0.1")});
    REQUIRE(slices.size() == 1);
    const auto& s = slices[0];
    CHECK(s.address_type == "IPv4");
    CHECK(describe_ports(s) == strings{"http:8080/TCP"});
    CHECK(describe_endpoints(s) == strings{"10.0.0.1(p1) T/T/F node=node-a zone=zone-1"});
    CHECK(s.metadata.labels == l0);
    CHECK(s.metadata.namespace_ == "ns");
    CHECK(s.metadata.generate_name == "svc-");
    REQUIRE(s.endpoints[0].target_ref.has_value());
    CHECK(*s.endpoints[0].target_ref ==
          svcdisc::object_reference{"Pod", "ns", "p1", "uid-1", "", "", ""});
    CHECK_FALSE(s.endpoints[0].hostname.has_value());
    REQUIRE(s.metadata.owner_references.size() == 1);
    CHECK(s.metadata.owner_references[0] ==
          svcdisc::owner_reference{"v1", "Service", "svc", "svc-uid", true, true});
}

TEST_CASE("ES02 a ready pod being deleted is published not ready, serving, terminating") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    const auto slices = derive(make_service(), {p});
    REQUIRE(slices.size() == 1);
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.1(p1) F/T/T node=node-a zone=zone-1"});
}

TEST_CASE("ES03 publishNotReadyAddresses makes a not-ready terminating pod ready") {
    svcdisc::service s = make_service();
    s.spec.publish_not_ready_addresses = true;
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.status.conditions = {{"Ready", "False"}};
    p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    const auto slices = derive(s, {p});
    REQUIRE(slices.size() == 1);
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.1(p1) T/F/T node=node-a zone=zone-1"});
}

TEST_CASE("ES04 a not-ready pod is published with all conditions false") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.status.conditions = {{"Ready", "False"}};
    const auto slices = derive(make_service(), {p});
    REQUIRE(slices.size() == 1);
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.1(p1) F/F/F node=node-a zone=zone-1"});
}

TEST_CASE("ES05 no matching, only terminal or IP-less pods give one placeholder slice") {
    svcdisc::pod other = make_pod(1, "10.0.0.1");
    other.metadata.labels = {{"app", "api"}};
    svcdisc::pod succeeded = make_pod(2, "10.0.0.2");
    succeeded.status.phase = "Succeeded";
    svcdisc::pod failed = make_pod(3, "10.0.0.3");
    failed.status.phase = "Failed";
    svcdisc::pod no_ip = make_pod(4, "");
    no_ip.status.pod_ips = {};
    for (const auto& pods : {std::vector<svcdisc::pod>{}, std::vector<svcdisc::pod>{other},
                             std::vector<svcdisc::pod>{succeeded, failed, no_ip}}) {
        const auto slices = derive(make_service(), pods);
        REQUIRE(slices.size() == 1);
        CHECK(slices[0].address_type == "IPv4");
        CHECK(is_placeholder(slices[0]));
        CHECK(slices[0].metadata.labels == l0);
        CHECK(slices[0].metadata.generate_name == "svc-");
        CHECK(slices[0].metadata.owner_references.size() == 1);
    }
}

TEST_CASE("ES06 a dual-stack Service gets one slice per family from the dual-stack pod") {
    svcdisc::service s = make_service();
    s.spec.ip_families = {"IPv4", "IPv6"};
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.status.pod_ips = {"10.0.0.1", "fd00::1"};
    const auto slices = derive(s, {p});
    REQUIRE(slices.size() == 2);
    CHECK(slices[0].address_type == "IPv4");
    CHECK(describe_ports(slices[0]) == strings{"http:8080/TCP"});
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.1(p1) T/T/F node=node-a zone=zone-1"});
    CHECK(slices[1].address_type == "IPv6");
    CHECK(describe_ports(slices[1]) == strings{"http:8080/TCP"});
    CHECK(describe_endpoints(slices[1]) == strings{"fd00::1(p1) T/T/F node=node-a zone=zone-1"});
}

TEST_CASE("ES07 an IPv4-only Service ignores the pod's IPv6 address") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.status.pod_ips = {"10.0.0.1", "fd00::1"};
    const auto slices = derive(make_service(), {p});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].address_type == "IPv4");
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.1(p1) T/T/F node=node-a zone=zone-1"});
}

TEST_CASE("ES08 a pod lacking the named port lands in a slice with ports []") {
    svcdisc::service s = make_service();
    s.spec.ports[0].target_port = std::string("http-web");
    svcdisc::pod p2 = make_pod(2, "10.0.0.2");
    p2.spec.containers[0].ports[0].name = "other";
    const auto slices = derive(s, {make_pod(1, "10.0.0.1"), p2});
    REQUIRE(slices.size() == 2);
    // Groups are ordered by key; the group without ports has the empty key and comes first.
    CHECK(slices[0].ports.empty());
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.2(p2) T/T/F node=node-a zone=zone-1"});
    CHECK(describe_ports(slices[1]) == strings{"http:8080/TCP"});
    CHECK(describe_endpoints(slices[1]) == strings{"10.0.0.1(p1) T/T/F node=node-a zone=zone-1"});
}

TEST_CASE("ES09 250 ready pods are cut into slices of 100, 100 and 50 with the same ports") {
    std::vector<svcdisc::pod> pods;
    for (int i = 0; i < 250; ++i) {
        pods.push_back(
            make_pod(i, "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256)));
    }
    const auto slices = derive(make_service(), pods);
    REQUIRE(slices.size() == 3);
    CHECK(slices[0].endpoints.size() == 100);
    CHECK(slices[1].endpoints.size() == 100);
    CHECK(slices[2].endpoints.size() == 50);
    std::set<std::string> names;
    std::set<std::string> pod_names;
    for (const auto& s : slices) {
        CHECK(describe_ports(s) == strings{"http:8080/TCP"});
        names.insert(s.metadata.name);
        for (const auto& e : s.endpoints) {
            pod_names.insert(e.target_ref->name);
        }
    }
    CHECK(names.size() == 3);
    CHECK(pod_names.size() == 250);
}

TEST_CASE("ES10 a pod on an unknown node is skipped unless publishNotReadyAddresses") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.node_name = "node-x";
    p.status.conditions = {{"Ready", "False"}};
    svcdisc::service s = make_service();
    {
        const auto slices = derive(s, {p});
        REQUIRE(slices.size() == 1);
        CHECK(is_placeholder(slices[0]));
    }
    s.spec.publish_not_ready_addresses = true;
    const auto slices = derive(s, {p});
    REQUIRE(slices.size() == 1);
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.1(p1) T/F/F node=node-x"});
}

TEST_CASE("ES11 a pod without nodeName is skipped unless publishNotReadyAddresses") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.node_name = "";
    svcdisc::service s = make_service();
    for (const auto policy :
         {svcdisc::node_policy::upstream, svcdisc::node_policy::assume_present}) {
        const auto slices = derive(s, {p}, {.node_policy = policy});
        REQUIRE(slices.size() == 1);
        CHECK(is_placeholder(slices[0]));
    }
    s.spec.publish_not_ready_addresses = true;
    const auto slices = derive(s, {p});
    REQUIRE(slices.size() == 1);
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.1(p1) T/T/F"});
    CHECK_FALSE(slices[0].endpoints[0].node_name.has_value());
}

TEST_CASE("ES12 a legacy headless Service without ports gets an IPv4 slice and an IPv6 "
          "placeholder") {
    svcdisc::service s = make_service();
    s.spec.cluster_ip = "None";
    s.spec.ip_families = {};
    s.spec.ports = {};
    const auto slices = derive(s, {make_pod(1, "10.0.0.1")});
    REQUIRE(slices.size() == 2);
    CHECK(slices[0].address_type == "IPv4");
    CHECK(slices[0].ports.empty());
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.1(p1) T/T/F node=node-a zone=zone-1"});
    CHECK(slices[1].address_type == "IPv6");
    CHECK(is_placeholder(slices[1]));
    CHECK(slices[0].metadata.labels == l0_headless());
    CHECK(slices[1].metadata.labels == l0_headless());
}

TEST_CASE("ES13 dns-udp and dns-tcp are listed in FNV order: dns-udp first") {
    svcdisc::service s = make_service();
    s.spec.ports = {{"dns-udp", "UDP", std::nullopt, 53, 53, 0},
                    {"dns-tcp", "TCP", std::nullopt, 53, 53, 0}};
    const auto slices = derive(s, {make_pod(1, "10.0.0.1")});
    REQUIRE(slices.size() == 1);
    CHECK(describe_ports(slices[0]) == strings{"dns-udp:53/UDP", "dns-tcp:53/TCP"});
    s.spec.ports = {s.spec.ports[1], s.spec.ports[0]};
    CHECK(describe_ports(derive(s, {make_pod(1, "10.0.0.1")})[0]) ==
          strings{"dns-udp:53/UDP", "dns-tcp:53/TCP"});
}

TEST_CASE("ES14 reserved labels on the Service are replaced (upstream ipv4-bad-labels)") {
    svcdisc::service s = make_service();
    s.metadata.labels = {{"kubernetes.io/service-name", "bad"},
                         {"endpointslice.kubernetes.io/managed-by", "actor"},
                         {"service.kubernetes.io/headless", "invalid"}};
    s.spec.cluster_ip = "";
    const auto slices = derive(s, {make_pod(1, "10.0.0.1")});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].metadata.labels == l0_headless());
}

TEST_CASE("ES15 a hostname without a matching subdomain is not published") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.hostname = "example-hostname";
    const auto slices = derive(make_service(), {p});
    REQUIRE(slices.size() == 1);
    CHECK_FALSE(slices[0].endpoints[0].hostname.has_value());
}

TEST_CASE("syncService (slices): ExternalName, absent and empty selectors manage nothing") {
    svcdisc::service s = make_service();
    s.spec.type = "ExternalName";
    CHECK(derive(s, {make_pod(1, "10.0.0.1")}).empty());
    s = make_service();
    s.spec.selector = std::nullopt;
    CHECK(derive(s, {make_pod(1, "10.0.0.1")}).empty());
    s.spec.selector = svcdisc::label_set{};
    CHECK(derive(s, {make_pod(1, "10.0.0.1")}).empty());
}

TEST_CASE("reconciler.finalize: a Service being deleted gets no new slices") {
    svcdisc::service s = make_service();
    s.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    CHECK(derive(s, {make_pod(1, "10.0.0.1")}).empty());
}

TEST_CASE("getAddressTypesForService: ipFamilies in order, else the clusterIP's family") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.status.pod_ips = {"10.0.0.1", "fd00::1"};
    svcdisc::service s = make_service();
    s.spec.ip_families = {"IPv6", "IPv4"};
    auto slices = derive(s, {p});
    REQUIRE(slices.size() == 2);
    CHECK(slices[0].address_type == "IPv6");
    CHECK(slices[1].address_type == "IPv4");

    s.spec.ip_families = {};
    s.spec.cluster_ip = "fd00:96::10";
    slices = derive(s, {p});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].address_type == "IPv6");
    CHECK(slices[0].endpoints[0].addresses == strings{"fd00::1"});

    s.spec.cluster_ip = "10.96.0.10";
    slices = derive(s, {p});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].address_type == "IPv4");
}

TEST_CASE("reconcileByAddressType: an IPv6-only pod leaves the IPv4 type with a placeholder") {
    svcdisc::service s = make_service();
    s.spec.ip_families = {"IPv4", "IPv6"};
    const auto slices = derive(s, {make_pod(1, "fd00::1")});
    REQUIRE(slices.size() == 2);
    CHECK(slices[0].address_type == "IPv4");
    CHECK(is_placeholder(slices[0]));
    CHECK(slices[1].address_type == "IPv6");
    CHECK(describe_endpoints(slices[1]) == strings{"fd00::1(p1) T/T/F node=node-a zone=zone-1"});
}

TEST_CASE("syncService (slices): only pods of the namespace whose labels match are candidates") {
    svcdisc::pod elsewhere = make_pod(1, "10.0.0.1");
    elsewhere.metadata.namespace_ = "other";
    const auto slices = derive(make_service(), {elsewhere, make_pod(2, "10.0.0.2")});
    REQUIRE(slices.size() == 1);
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.2(p2) T/T/F node=node-a zone=zone-1"});
}

TEST_CASE(
    "getEndpointAddresses: every podIP of the type, in podIPs order, in Go's canonical form") {
    svcdisc::pod p = make_pod(1, "10.0.0.2");
    p.status.pod_ips = {"10.0.0.2", "fd00::1", "010.000.000.001", "::ffff:10.0.0.5"};
    const auto slices = derive(make_service(), {p});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].endpoints[0].addresses == strings{"10.0.0.2", "10.0.0.1", "10.0.0.5"});
}

TEST_CASE("getEndpointAddresses: podIP without podIPs passes the filter but gives no endpoint") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.status.pod_ips = {};
    const auto slices = derive(make_service(), {p});
    REQUIRE(slices.size() == 1);
    CHECK(is_placeholder(slices[0]));
}

TEST_CASE("node_policy::assume_present: keeps pods on nodes not given, without a zone") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.node_name = "node-x";
    const auto slices = derive(make_service(), {p, make_pod(2, "10.0.0.2")},
                               {.node_policy = svcdisc::node_policy::assume_present});
    REQUIRE(slices.size() == 1);
    CHECK(describe_endpoints(slices[0]) ==
          strings{"10.0.0.1(p1) T/T/F node=node-x", "10.0.0.2(p2) T/T/F node=node-a zone=zone-1"});
}

TEST_CASE("podToEndpoint: the condition matrix, with and without publishNotReadyAddresses") {
    struct row {
        bool ready;
        bool deleting;
        const char* without_pnra;
        const char* with_pnra;
    };
    for (const row r : {row{true, false, "T/T/F", "T/T/F"}, row{false, false, "F/F/F", "T/F/F"},
                        row{true, true, "F/T/T", "T/T/T"}, row{false, true, "F/F/T", "T/F/T"}}) {
        svcdisc::pod p = make_pod(1, "10.0.0.1");
        p.status.conditions = {{"Ready", r.ready ? "True" : "False"}};
        if (r.deleting) {
            p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
        }
        svcdisc::service s = make_service();
        CHECK(describe_endpoints(derive(s, {p})[0]) ==
              strings{std::string("10.0.0.1(p1) ") + r.without_pnra + " node=node-a zone=zone-1"});
        s.spec.publish_not_ready_addresses = true;
        CHECK(describe_endpoints(derive(s, {p})[0]) ==
              strings{std::string("10.0.0.1(p1) ") + r.with_pnra + " node=node-a zone=zone-1"});
    }
}

TEST_CASE("podToEndpoint: zone only from a known node's non-empty topology.kubernetes.io/zone") {
    svcdisc::node bare;
    bare.metadata.name = "node-b";
    bare.metadata.labels = {{"topology.kubernetes.io/zone", ""},
                            {"failure-domain.beta.kubernetes.io/zone", "old"}};
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.node_name = "node-b";
    const auto slices = svcdisc::derive_endpoint_slices(make_service(), std::vector{p},
                                                        std::vector{node_a(), bare});
    REQUIRE(slices.size() == 1);
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.1(p1) T/T/F node=node-b"});
}

TEST_CASE(
    "ShouldSetHostname (slices): hostname is published when the subdomain names the Service") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.hostname = "web-0";
    p.spec.subdomain = "svc";
    const auto slices = derive(make_service(), {p});
    CHECK(describe_endpoints(slices[0]) ==
          strings{"10.0.0.1(p1) T/T/F node=node-a zone=zone-1 hostname=web-0"});
}

TEST_CASE("NewPortMapKey: a new slice's ports are in FNV-of-dump order (computed examples)") {
    svcdisc::service s = make_service();
    s.spec.ports = {{"a", "TCP", std::nullopt, 80, 8080, 0},
                    {"b", "TCP", std::nullopt, 81, 8080, 0}};
    CHECK(describe_ports(derive(s, {make_pod(1, "10.0.0.1")})[0]) ==
          strings{"b:8080/TCP", "a:8080/TCP"});
    s.spec.ports = {{"admin", "TCP", std::nullopt, 9000, 9000, 0},
                    {"http", "TCP", std::nullopt, 80, 8080, 0}};
    CHECK(describe_ports(derive(s, {make_pod(1, "10.0.0.1")})[0]) ==
          strings{"http:8080/TCP", "admin:9000/TCP"});
    s.spec.ports = {{"http", "TCP", std::nullopt, 80, 8080, 0},
                    {"metrics", "TCP", std::nullopt, 9100, 9100, 0}};
    CHECK(describe_ports(derive(s, {make_pod(1, "10.0.0.1")})[0]) ==
          strings{"http:8080/TCP", "metrics:9100/TCP"});
}

TEST_CASE("NewPortMapKey: the EndpointPort dump hashes to the known FNV-128a value") {
    const svcdisc::endpoint_slice_port port{std::string("http"), std::string("TCP"), 8080,
                                            std::nullopt};
    CHECK(svcdisc::detail::to_hex(svcdisc::detail::endpoint_port_digest(port)) ==
          "0e874d5677090ee5c32afa85f637c347");
}

TEST_CASE("getEndpointPorts: pods resolving a named port differently get separate slices") {
    svcdisc::service s = make_service();
    s.spec.ports[0].target_port = std::string("http-web");
    svcdisc::pod p2 = make_pod(2, "10.0.0.2");
    p2.spec.containers[0].ports[0].container_port = 9090;
    const auto slices = derive(s, {make_pod(1, "10.0.0.1"), p2});
    REQUIRE(slices.size() == 2);
    std::set<std::string> seen;
    for (const auto& slice : slices) {
        REQUIRE(slice.endpoints.size() == 1);
        seen.insert(describe_ports(slice)[0] + " " + slice.endpoints[0].target_ref->name);
    }
    CHECK(seen == std::set<std::string>{"http:8080/TCP p1", "http:9090/TCP p2"});
}

TEST_CASE("getEndpointPorts: a non-headless Service without ports keeps its pods with ports []") {
    svcdisc::service s = make_service();
    s.spec.ports = {};
    const auto slices = derive(s, {make_pod(1, "10.0.0.1")});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].ports.empty());
    CHECK(slices[0].endpoints.size() == 1);
}

TEST_CASE("FindPort (slices): named ports resolve in sidecars; appProtocol and empty names kept") {
    svcdisc::service s = make_service();
    s.spec.ports = {{"", "TCP", std::string("http"), 80, std::string("side"), 0}};
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.init_containers = {{"i0", {{"side", 7100, "TCP", 0}}, std::nullopt},
                              {"i1", {{"side", 7200, "TCP", 0}}, std::string("Always")}};
    const auto slices = derive(s, {p});
    REQUIRE(slices.size() == 1);
    CHECK(describe_ports(slices[0]) == strings{":7200/TCP appProtocol=http"});
    REQUIRE(slices[0].ports[0].name.has_value());
    CHECK(slices[0].ports[0].name->empty());
}

TEST_CASE("FindPort (slices): a named port needs the same protocol") {
    svcdisc::service s = make_service();
    s.spec.ports = {{"dns", "UDP", std::nullopt, 53, std::string("dns"), 0}};
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.containers[0].ports = {{"dns", 5353, "TCP", 0}};
    const auto slices = derive(s, {p});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].ports.empty());
    CHECK(slices[0].endpoints.size() == 1);
}

TEST_CASE(
    "reconcileByPortMapping: endpoints ordered by first address byte-wise, then name, chunked") {
    std::vector<svcdisc::pod> pods{make_pod(1, "10.0.0.9"), make_pod(2, "10.0.0.10"),
                                   make_pod(3, "10.0.0.100"), make_pod(4, "9.0.0.1"),
                                   make_pod(5, "10.0.0.10")};
    const auto slices = derive(make_service(), pods, {.max_endpoints_per_slice = 2});
    REQUIRE(slices.size() == 3);
    strings order;
    for (const auto& slice : slices) {
        for (const auto& e : slice.endpoints) {
            order.push_back(e.addresses[0] + "(" + e.target_ref->name + ")");
        }
    }
    CHECK(order == strings{"10.0.0.10(p2)", "10.0.0.10(p5)", "10.0.0.100(p3)", "10.0.0.9(p1)",
                           "9.0.0.1(p4)"});
    CHECK(slices[0].endpoints.size() == 2);
    CHECK(slices[1].endpoints.size() == 2);
    CHECK(slices[2].endpoints.size() == 1);
}

TEST_CASE("EndpointSet: a pod repeated in the input is published once") {
    const auto slices = derive(make_service(), {make_pod(1, "10.0.0.1"), make_pod(1, "10.0.0.1")});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].endpoints.size() == 1);
}

TEST_CASE("EndpointSet: copies of a pod with the same uid keep the first record, in any order") {
    // Same namespace, name, IP and uid, on two nodes (found by tests/fuzz/derivations_fuzz.cpp):
    // the copy kept is the one whose record sorts first (docs/determinism.md), here node-a's.
    svcdisc::node node_b;
    node_b.metadata.name = "node-b";
    node_b.metadata.labels = {{"topology.kubernetes.io/zone", "zone-2"}};
    svcdisc::pod on_a = make_pod(1, "10.0.0.1");
    svcdisc::pod on_b = on_a;
    on_b.spec.node_name = "node-b";
    const std::vector<svcdisc::node> nodes{node_a(), node_b};
    const auto forward = svcdisc::derive_endpoint_slices(
        make_service(), std::vector<svcdisc::pod>{on_a, on_b}, nodes);
    const auto backward = svcdisc::derive_endpoint_slices(
        make_service(), std::vector<svcdisc::pod>{on_b, on_a}, nodes);
    REQUIRE(forward.size() == 1);
    CHECK(describe_endpoints(forward[0]) ==
          std::vector<std::string>{"10.0.0.1(p1) T/T/F node=node-a zone=zone-1"});
    CHECK(backward == forward);
}

TEST_CASE("generateName: names are service-, then 5 characters of the API server's alphabet; "
          "unique, stable") {
    std::vector<svcdisc::pod> pods;
    for (int i = 0; i < 30; ++i) {
        pods.push_back(make_pod(i, "10.0.1." + std::to_string(i)));
    }
    const auto slices = derive(make_service(), pods, {.max_endpoints_per_slice = 1});
    REQUIRE(slices.size() == 30);
    std::set<std::string> names;
    for (const auto& slice : slices) {
        const std::string& name = slice.metadata.name;
        REQUIRE(name.size() == 9);
        CHECK(name.substr(0, 4) == "svc-");
        CHECK(name.substr(4).find_first_not_of("bcdfghjklmnpqrstvwxz2456789") == std::string::npos);
        names.insert(name);
    }
    CHECK(names.size() == 30);
    CHECK(derive(make_service(), pods, {.max_endpoints_per_slice = 1}) == slices);
}

TEST_CASE("generateName: a long Service name is cut to 58 bytes before the suffix") {
    svcdisc::service s = make_service();
    s.metadata.name = std::string(63, 'a');
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.subdomain = "";
    const auto slices = derive(s, {p});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].metadata.generate_name == std::string(63, 'a') + "-");
    CHECK(slices[0].metadata.name.size() == 63);
    CHECK(slices[0].metadata.name.substr(0, 58) == std::string(58, 'a'));
    CHECK(slices[0].metadata.labels.find_value("kubernetes.io/service-name") ==
          std::optional<std::string_view>(std::string(63, 'a')));
}

TEST_CASE("getEndpointSlicePrefix: when name- is no valid generateName the bare name is used") {
    // 253 bytes is the longest DNS subdomain, so `<name>-` (checked as `<name>-a`) is too long.
    const std::string long_name(253, 'a');
    svcdisc::service s = make_service();
    s.metadata.name = long_name;
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.subdomain = "";
    const auto slices = derive(s, {p});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].metadata.generate_name == long_name);
    CHECK(slices[0].metadata.name.size() == 63);
    CHECK(slices[0].metadata.name.substr(0, 58) == std::string(58, 'a'));
    CHECK(slices[0].metadata.name.substr(58).find_first_not_of("bcdfghjklmnpqrstvwxz2456789") ==
          std::string::npos);
}

TEST_CASE(
    "setEndpointSliceLabels: Service labels are copied; a clusterIP means no headless label") {
    svcdisc::service s = make_service();
    s.metadata.labels = {{"team", "x"}, {"service.kubernetes.io/headless", "yes"}};
    const auto slices = derive(s, {make_pod(1, "10.0.0.1")});
    svcdisc::label_set expected = l0;
    expected.insert_or_assign("team", "x");
    CHECK(slices[0].metadata.labels == expected);
}

TEST_CASE("--max-endpoints-per-slice: max_endpoints_per_slice must lie in 1..1000") {
    const std::vector<svcdisc::pod> pods{make_pod(1, "10.0.0.1")};
    CHECK_THROWS_AS(derive(make_service(), pods, {.max_endpoints_per_slice = 0}),
                    std::invalid_argument);
    CHECK_THROWS_AS(derive(make_service(), pods, {.max_endpoints_per_slice = 1001}),
                    std::invalid_argument);
    CHECK(derive(make_service(), pods, {.max_endpoints_per_slice = 1000}).size() == 1);
    CHECK(derive(make_service(), pods, {.max_endpoints_per_slice = 1}).size() == 1);
}

TEST_CASE("podToEndpoint: nodeName comes from the pod; zone only from its Node's "
          "topology.kubernetes.io/zone label") {
    svcdisc::node zoned;
    zoned.metadata.name = "node-z";
    zoned.metadata.labels = {{"topology.kubernetes.io/zone", "zone-9"},
                             {"topology.kubernetes.io/region", "region-1"},
                             {"failure-domain.beta.kubernetes.io/zone", "old-zone"}};
    svcdisc::node legacy;
    legacy.metadata.name = "node-l";
    legacy.metadata.labels = {{"failure-domain.beta.kubernetes.io/zone", "old-zone"},
                              {"failure-domain.beta.kubernetes.io/region", "old-region"},
                              {"topology.kubernetes.io/region", "region-1"}};
    svcdisc::pod on_zoned = make_pod(1, "10.0.0.1");
    on_zoned.spec.node_name = "node-z";
    svcdisc::pod on_legacy = make_pod(2, "10.0.0.2");
    on_legacy.spec.node_name = "node-l";
    const auto slices = svcdisc::derive_endpoint_slices(
        make_service(), std::vector{on_zoned, on_legacy}, std::vector{zoned, legacy});
    REQUIRE(slices.size() == 1);
    CHECK(describe_endpoints(slices[0]) ==
          strings{"10.0.0.1(p1) T/T/F node=node-z zone=zone-9", "10.0.0.2(p2) T/T/F node=node-l"});
}

TEST_CASE("podToEndpoint: only a Node's name and zone label are read: readiness, role and CPU do "
          "not matter") {
    svcdisc::node control_plane;
    control_plane.metadata.name = "node-cp";
    control_plane.metadata.labels = {{"topology.kubernetes.io/zone", "zone-2"},
                                     {"node-role.kubernetes.io/control-plane", ""}};
    control_plane.conditions = {{"Ready", "False"}};
    control_plane.allocatable_cpu = "";
    svcdisc::node master;
    master.metadata.name = "node-m";
    master.metadata.labels = {{"topology.kubernetes.io/zone", "zone-3"},
                              {"node-role.kubernetes.io/master", "true"}};
    master.allocatable_cpu = "3500m";
    svcdisc::pod p1 = make_pod(1, "10.0.0.1");
    p1.spec.node_name = "node-cp";
    svcdisc::pod p2 = make_pod(2, "10.0.0.2");
    p2.spec.node_name = "node-m";
    const auto slices = svcdisc::derive_endpoint_slices(make_service(), std::vector{p1, p2},
                                                        std::vector{control_plane, master});
    REQUIRE(slices.size() == 1);
    CHECK(describe_endpoints(slices[0]) == strings{"10.0.0.1(p1) T/T/F node=node-cp zone=zone-2",
                                                   "10.0.0.2(p2) T/T/F node=node-m zone=zone-3"});
}

TEST_CASE("getAddressTypesForService: FQDN is a legal addressType but never produced") {
    svcdisc::service headless = make_service();
    headless.spec.cluster_ip = "None";
    headless.spec.ip_families = {};
    svcdisc::service dual = make_service();
    dual.spec.ip_families = {"IPv4", "IPv6"};
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.status.pod_ips = {"10.0.0.1", "fd00::1"};
    for (const auto& s : {make_service(), headless, dual}) {
        for (const auto& slice : derive(s, {p})) {
            CHECK(slice.address_type != "FQDN");
        }
    }
}

TEST_CASE("pods and nodes may be passed as ranges of pointers") {
    const svcdisc::pod p = make_pod(1, "10.0.0.1");
    const svcdisc::node n = node_a();
    const auto by_pointer =
        svcdisc::derive_endpoint_slices(make_service(), std::vector<const svcdisc::pod*>{&p},
                                        std::vector<const svcdisc::node*>{&n});
    CHECK(by_pointer == derive(make_service(), {p}));
}

TEST_CASE("pods may be smart pointers or reference_wrappers") {
    const svcdisc::pod p = make_pod(1, "10.0.0.1");
    const auto expected = derive(make_service(), {p});
    const std::vector<std::shared_ptr<svcdisc::pod>> shared{std::make_shared<svcdisc::pod>(p)};
    CHECK(svcdisc::derive_endpoint_slices(make_service(), shared, std::vector{node_a()}) ==
          expected);
    const std::vector<std::reference_wrapper<const svcdisc::pod>> refs{std::cref(p)};
    CHECK(svcdisc::derive_endpoint_slices(make_service(), refs, std::vector{node_a()}) == expected);
}

TEST_CASE("pod_traits returning strings by value give the same endpoint") {
    const auto slices = svcdisc::derive_endpoint_slices(
        make_service(), std::vector<value_pod>{{"p1", "10.0.0.1"}}, std::vector{node_a()});
    REQUIRE(slices.size() == 1);
    CHECK(describe_endpoints(slices[0]) ==
          strings{"10.0.0.1(p1) T/T/F node=node-a zone=zone-1 hostname=host-with-a-long-name"});
    CHECK(slices[0].endpoints[0].target_ref->uid == "uid-p1");
}

TEST_CASE("slice pod facts: a caller that found the pod through the selector skips only the "
          "selector") {
    const svcdisc::service s = make_service();
    const auto node_of = [](std::string_view) { return svcdisc::detail::node_presence{true, {}}; };
    const auto policy = svcdisc::node_policy::upstream;
    const auto known = svcdisc::detail::pod_selection_known::yes;

    const svcdisc::pod selected = make_pod(1, "10.0.0.1");
    CHECK(svcdisc::detail::slice_pod_facts_of(s, selected, node_of, policy, known) ==
          svcdisc::detail::slice_pod_facts_of(s, selected, node_of, policy));

    // A caller's word on the selector does not make a terminal pod eligible.
    svcdisc::pod terminal = selected;
    terminal.status.phase = "Succeeded";
    CHECK_FALSE(
        svcdisc::detail::slice_pod_facts_of(s, terminal, node_of, policy, known).registers_ports);

    svcdisc::pod elsewhere = selected;
    elsewhere.metadata.labels = {{"app", "db"}};
    CHECK_FALSE(svcdisc::detail::slice_pod_facts_of(s, elsewhere, node_of, policy).registers_ports);
    CHECK(svcdisc::detail::slice_pod_facts_of(s, elsewhere, node_of, policy, known) ==
          svcdisc::detail::slice_pod_facts_of(s, selected, node_of, policy));
}
