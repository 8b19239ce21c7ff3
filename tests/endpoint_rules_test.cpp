#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/endpoint_rules.hpp>

#include "counting_new.hpp"
#include "spec_fixtures.hpp"

// Every rule of endpoint_rules.hpp with its reason. Where Kubernetes has a table test for the
// upstream function (TestShouldPodBeInEndpoints, TestPodToEndpointAddressForService,
// TestFindPort, …) its cases are restated here as facts about svcdisc's model.

using svcdisc_test::make_pod;
using svcdisc_test::make_service;

namespace {

using svcdisc::container_kind;
using svcdisc::endpoint_eligibility;
using svcdisc::endpoint_management;
using svcdisc::find_port_status;
using svcdisc::pod_ready_condition;
using svcdisc::pod_selection_status;

svcdisc::service_port named_port(std::string target, std::string protocol = "TCP") {
    return {"p", std::move(protocol), std::nullopt, 80, std::move(target), 0};
}

svcdisc::container container_with(std::string name, std::vector<svcdisc::container_port> ports,
                                  std::optional<std::string> restart_policy = std::nullopt) {
    return {std::move(name), std::move(ports), std::move(restart_policy)};
}

// A pod type whose traits hand out every string by value, the labels and the podIPs included.
struct value_pod {
    std::string ip;
    std::string tier;
};

// A pod type that says which container each port comes from, init containers included.
struct detailed_pod {
    bool sidecar = false;
};

} // namespace

template <>
struct svcdisc::pod_traits<value_pod> {
    static std::string name(const value_pod&) { return "v"; }
    static std::string namespace_(const value_pod&) { return "ns"; }
    static std::string uid(const value_pod&) { return "uid-v"; }
    static std::map<std::string, std::string> labels(const value_pod& p) {
        return {{"app", "web"}, {"tier", p.tier}};
    }
    static std::string phase(const value_pod&) { return "Running"; }
    static bool ready(const value_pod&) { return false; }
    static bool terminating(const value_pod&) { return false; }
    static std::string node_name(const value_pod&) { return "node-a"; }
    static std::string hostname(const value_pod&) { return ""; }
    static std::string subdomain(const value_pod&) { return ""; }
    static std::string pod_ip(const value_pod& p) { return p.ip; }
    static std::vector<std::string> pod_ips(const value_pod& p) { return {p.ip}; }
    template <class Visit>
    static void for_each_port(const value_pod&, Visit&& visit) {
        visit(std::string_view("dns"), 53, std::string_view("UDP"));
    }
};

template <>
struct svcdisc::pod_traits<detailed_pod> {
    static std::string_view name(const detailed_pod&) { return "d"; }
    static std::string_view namespace_(const detailed_pod&) { return "ns"; }
    static std::string_view uid(const detailed_pod&) { return "uid-d"; }
    static const svcdisc::label_set& labels(const detailed_pod&) {
        static const svcdisc::label_set labels{{"app", "web"}};
        return labels;
    }
    static std::string_view phase(const detailed_pod&) { return "Running"; }
    static bool ready(const detailed_pod&) { return true; }
    static bool terminating(const detailed_pod&) { return false; }
    static std::string_view node_name(const detailed_pod&) { return "node-a"; }
    static std::string_view hostname(const detailed_pod&) { return ""; }
    static std::string_view subdomain(const detailed_pod&) { return ""; }
    static std::string_view pod_ip(const detailed_pod&) { return "10.0.0.9"; }
    static std::vector<std::string_view> pod_ips(const detailed_pod&) { return {"10.0.0.9"}; }
    template <class Visit>
    static void for_each_port(const detailed_pod& p, Visit&& visit) {
        if (p.sidecar) {
            visit(std::string_view("admin"), 9000, std::string_view("TCP"));
        }
    }
    template <class Visit>
    static void for_each_container_port(const detailed_pod& p, Visit&& visit) {
        visit(std::string_view("setup"),
              p.sidecar ? svcdisc::container_kind::sidecar : svcdisc::container_kind::init,
              std::string_view("admin"), 9000, std::string_view("TCP"));
    }
};

// ---------------------------------------------------------------------------------------------
// syncService: which Services the controllers manage; which pods a selector picks
// ---------------------------------------------------------------------------------------------

TEST_CASE("syncService: ExternalName and selector-less Services are not managed") {
    svcdisc::service svc = make_service();
    CHECK(svcdisc::service_endpoint_management(svc) == endpoint_management::managed);
    svc.spec.type = "ExternalName";
    CHECK(svcdisc::service_endpoint_management(svc) == endpoint_management::external_name);
    svc.spec.selector.reset();
    CHECK(svcdisc::service_endpoint_management(svc) == endpoint_management::external_name);
    svc.spec.type = "ClusterIP";
    CHECK(svcdisc::service_endpoint_management(svc) == endpoint_management::no_selector);
    svc.spec.selector = svcdisc::label_set{};
    CHECK(svcdisc::service_endpoint_management(svc) == endpoint_management::no_selector);
}

TEST_CASE("syncService pod listing: the selector's first failing entry, in key order") {
    svcdisc::service svc = make_service();
    svc.spec.selector = svcdisc::label_set{{"app", "web"}, {"tier", "front"}, {"zone", "a"}};
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.metadata.labels = {{"app", "web"}, {"tier", "back"}, {"extra", "x"}};

    auto s = svcdisc::service_pod_selection(svc, p);
    CHECK(s.status == pod_selection_status::label_differs);
    CHECK(s.key == "tier");
    CHECK(s.wanted == "front");
    CHECK(s.pod_value == "back");
    CHECK_FALSE(svcdisc::service_selects_pod(svc, p));

    p.metadata.labels.insert_or_assign("tier", "front");
    s = svcdisc::service_pod_selection(svc, p);
    CHECK(s.status == pod_selection_status::label_missing);
    CHECK(s.key == "zone");
    CHECK(s.wanted == "a");
    CHECK(s.pod_value.empty());

    p.metadata.labels.insert_or_assign("zone", "a");
    s = svcdisc::service_pod_selection(svc, p);
    CHECK(s.selected());
    CHECK(s.key.empty());
    CHECK(svcdisc::service_selects_pod(svc, p));
}

TEST_CASE("syncService pod listing: namespace, then selector presence") {
    svcdisc::service svc = make_service();
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.metadata.namespace_ = "other";
    CHECK(svcdisc::service_pod_selection(svc, p).status == pod_selection_status::other_namespace);
    svc.spec.selector = svcdisc::label_set{};
    CHECK(svcdisc::service_pod_selection(svc, p).status == pod_selection_status::no_selector);
    svc.spec.selector.reset();
    CHECK(svcdisc::service_pod_selection(svc, p).status == pod_selection_status::no_selector);
    CHECK_FALSE(svcdisc::service_selects_pod(svc, p));
}

TEST_CASE("syncService pod listing: the selector alone decides, not the Service type") {
    svcdisc::service svc = make_service();
    svc.spec.type = "ExternalName";
    const svcdisc::pod p = make_pod(1, "10.0.0.1");
    CHECK(svcdisc::service_selects_pod(svc, p));
    CHECK(svcdisc::service_endpoint_management(svc) == endpoint_management::external_name);
}

TEST_CASE("syncService pod listing: a pod type returning labels by value gets its value copied") {
    static_assert(std::is_same_v<svcdisc::pod_label_text_t<value_pod>, std::string>);
    static_assert(std::is_same_v<svcdisc::pod_label_text_t<svcdisc::pod>, std::string_view>);
    svcdisc::service svc = make_service();
    svc.spec.selector = svcdisc::label_set{{"app", "web"}, {"tier", "front"}};
    const auto s = svcdisc::service_pod_selection(svc, value_pod{"10.0.0.1", "back-end-tier"});
    CHECK(s.status == pod_selection_status::label_differs);
    CHECK(s.pod_value == "back-end-tier");
    CHECK(svcdisc::service_selects_pod(svc, value_pod{"10.0.0.1", "front"}));
}

// ---------------------------------------------------------------------------------------------
// ShouldPodBeInEndpoints
// ---------------------------------------------------------------------------------------------

TEST_CASE("ShouldPodBeInEndpoints: the upstream table (TestShouldPodBeInEndpoints)") {
    struct row {
        const char* name;
        std::string phase;
        std::string pod_ip;
        std::vector<std::string> pod_ips;
        bool deleting;
        bool include_terminating;
        endpoint_eligibility expected;
    };
    const std::vector<row> rows = {
        {"failed pod", "Failed", "1.2.3.4", {}, false, false, endpoint_eligibility::phase_failed},
        {"succeeded pod",
         "Succeeded",
         "1.2.3.4",
         {},
         false,
         false,
         endpoint_eligibility::phase_succeeded},
        {"running pod without IPs",
         "Running",
         "",
         {},
         false,
         false,
         endpoint_eligibility::no_pod_ip},
        {"terminating, not included",
         "Running",
         "1.2.3.4",
         {},
         true,
         false,
         endpoint_eligibility::terminating},
        {"failed pod even when terminating pods are included",
         "Failed",
         "1.2.3.4",
         {},
         false,
         true,
         endpoint_eligibility::phase_failed},
        {"pending pod", "Pending", "1.2.3.4", {}, false, false, endpoint_eligibility::eligible},
        {"unknown phase", "Unknown", "1.2.3.4", {}, false, false, endpoint_eligibility::eligible},
        {"running pod", "Running", "1.2.3.4", {}, false, false, endpoint_eligibility::eligible},
        {"podIPs of both families, no podIP",
         "Running",
         "",
         {"1.2.3.4", "1234::5678:0:0:9abc:def0"},
         false,
         false,
         endpoint_eligibility::eligible},
        {"terminating, included",
         "Running",
         "1.2.3.4",
         {},
         true,
         true,
         endpoint_eligibility::eligible},
        {"empty phase", "", "1.2.3.4", {}, false, false, endpoint_eligibility::eligible},
    };
    for (const row& r : rows) {
        CAPTURE(r.name);
        svcdisc::pod p = make_pod(1, "x");
        p.status.phase = r.phase;
        p.status.pod_ip = r.pod_ip;
        p.status.pod_ips = r.pod_ips;
        if (r.deleting) {
            p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
        }
        CHECK(svcdisc::pod_endpoint_eligibility(p, r.include_terminating) == r.expected);
        CHECK(svcdisc::should_pod_be_in_endpoints(p, r.include_terminating) ==
              (r.expected == endpoint_eligibility::eligible));
    }
}

TEST_CASE("ShouldPodBeInEndpoints: reasons come in upstream order (terminal, IP, terminating)") {
    svcdisc::pod p = make_pod(1, "");
    p.status.pod_ips.clear();
    p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    CHECK(svcdisc::pod_endpoint_eligibility(p, false) == endpoint_eligibility::no_pod_ip);
    p.status.phase = "Succeeded";
    CHECK(svcdisc::pod_endpoint_eligibility(p, false) == endpoint_eligibility::phase_succeeded);
}

// ---------------------------------------------------------------------------------------------
// IsPodReady
// ---------------------------------------------------------------------------------------------

TEST_CASE("IsPodReady: the first Ready condition decides, with its status") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.status.conditions = {{"PodScheduled", "True"}, {"Ready", "False"}, {"Ready", "True"}};
    auto r = svcdisc::pod_readiness_of(p);
    CHECK(r.condition == pod_ready_condition::false_);
    CHECK(r.status == "False");
    CHECK_FALSE(r.ready());
    p.status.conditions = {{"Ready", "Unknown"}};
    CHECK(svcdisc::pod_readiness_of(p).condition == pod_ready_condition::unknown);
    p.status.conditions = {{"Ready", "Maybe"}};
    r = svcdisc::pod_readiness_of(p);
    CHECK(r.condition == pod_ready_condition::unknown);
    CHECK(r.status == "Maybe");
    p.status.conditions = {{"ContainersReady", "True"}};
    r = svcdisc::pod_readiness_of(p);
    CHECK(r.condition == pod_ready_condition::missing);
    CHECK(r.status.empty());
    p.status.conditions = {{"Ready", "True"}};
    CHECK(svcdisc::pod_readiness_of(p).ready());
    CHECK(svcdisc::pod_readiness_of(p).ready() == svcdisc::is_pod_ready(p));
}

TEST_CASE("IsPodReady: other pod types are read through pod_traits' ready()") {
    CHECK(svcdisc::pod_readiness_of(detailed_pod{}).condition == pod_ready_condition::true_);
    CHECK(svcdisc::pod_readiness_of(value_pod{}).condition == pod_ready_condition::not_true);
}

// ---------------------------------------------------------------------------------------------
// podToEndpointAddressForService
// ---------------------------------------------------------------------------------------------

TEST_CASE(
    "podToEndpointAddressForService: the upstream table (TestPodToEndpointAddressForService)") {
    // The pod's IPs follow its cluster's families, primary first.
    const std::vector<std::string> v4_only = {"1.2.3.4"};
    const std::vector<std::string> v4_v6 = {"1.2.3.4", "2000::"};
    const std::vector<std::string> v6_v4 = {"2000::", "1.2.3.4"};
    const std::vector<std::string> v6_only = {"2000::"};
    struct row {
        const char* name;
        std::vector<std::string> pod_ips;
        std::string cluster_ip;
        std::string family;
        std::optional<std::string> expected;
    };
    const std::vector<row> rows = {
        {"v4 service, single-stack cluster", v4_only, "10.0.0.1", "IPv4", "1.2.3.4"},
        {"v4 service, dual-stack cluster", v4_v6, "10.0.0.1", "IPv4", "1.2.3.4"},
        {"v4 service, IPv6-primary dual-stack cluster", v6_v4, "10.0.0.1", "IPv4", "1.2.3.4"},
        {"v4 headless service, single-stack cluster", v4_only, "None", "IPv4", "1.2.3.4"},
        {"v4 headless service, dual-stack cluster", v4_v6, "None", "IPv4", "1.2.3.4"},
        {"v6 service, dual-stack cluster", v4_v6, "3000::1", "IPv6", "2000::"},
        {"v6 headless service, single-stack cluster", v6_only, "None", "IPv6", "2000::"},
        {"v6 headless service, dual-stack cluster", v4_v6, "None", "IPv6", "2000::"},
        {"v6 service, IPv4-only cluster", v4_only, "3000::1", "IPv6", std::nullopt},
    };
    for (const row& r : rows) {
        CAPTURE(r.name);
        svcdisc::service svc = make_service();
        svc.spec.cluster_ip = r.cluster_ip;
        svc.spec.ip_families = {r.family};
        svcdisc::pod p = make_pod(1, r.pod_ips.front());
        p.status.pod_ips = r.pod_ips;
        const auto a = svcdisc::pod_to_endpoint_address(svc, p);
        CHECK(a.source == svcdisc::address_family_source::ip_families);
        CHECK(a.family ==
              (r.family == "IPv6" ? svcdisc::ip_family::ipv6 : svcdisc::ip_family::ipv4));
        CHECK(a.found() == r.expected.has_value());
        CHECK(std::string(a.ip) == r.expected.value_or(""));
        if (r.expected) {
            CHECK(r.pod_ips[*a.pod_ip_index] == *r.expected);
        }
    }
}

TEST_CASE("podToEndpointAddressForService: without ipFamilies, clusterIP then podIP decide") {
    svcdisc::service svc = make_service();
    svc.spec.ip_families.clear();
    svcdisc::pod p = make_pod(1, "2000::1");
    p.status.pod_ips = {"1.2.3.4", "2000::1"};

    svc.spec.cluster_ip = "3000::1";
    auto a = svcdisc::pod_to_endpoint_address(svc, p);
    CHECK(a.source == svcdisc::address_family_source::cluster_ip);
    CHECK(a.ip == "2000::1");

    svc.spec.cluster_ip = "10.0.0.1";
    a = svcdisc::pod_to_endpoint_address(svc, p);
    CHECK(a.source == svcdisc::address_family_source::cluster_ip);
    CHECK(a.ip == "1.2.3.4");
    CHECK(a.pod_ip_index == 0U);

    // Legacy headless: the pod's own podIP picks the family.
    for (const char* headless : {"None", ""}) {
        svc.spec.cluster_ip = headless;
        a = svcdisc::pod_to_endpoint_address(svc, p);
        CHECK(a.source == svcdisc::address_family_source::pod_ip);
        CHECK(a.family == svcdisc::ip_family::ipv6);
        CHECK(a.ip == "2000::1");
        CHECK(a.pod_ip_index == 1U);
    }
}

TEST_CASE("podToEndpointAddressForService: only podIPs are used; IsIPv6String decides families") {
    svcdisc::service svc = make_service(); // ipFamilies [IPv4]
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.status.pod_ips.clear();
    auto a = svcdisc::pod_to_endpoint_address(svc, p);
    CHECK_FALSE(a.found());
    CHECK(a.ip.empty());

    // IPv4-mapped IPv6 and text that is no IP both count as IPv4.
    p.status.pod_ips = {"fd00::1", "::ffff:1.2.3.4"};
    CHECK(svcdisc::pod_to_endpoint_address(svc, p).ip == "::ffff:1.2.3.4");
    p.status.pod_ips = {"fd00::1", "not-an-ip"};
    CHECK(svcdisc::pod_to_endpoint_address(svc, p).ip == "not-an-ip");
}

TEST_CASE("podToEndpointAddressForService: podIPs returned by value are copied") {
    static_assert(std::is_same_v<svcdisc::pod_ip_text_t<value_pod>, std::string>);
    static_assert(std::is_same_v<svcdisc::pod_ip_text_t<detailed_pod>, std::string_view>);
    const auto a = svcdisc::pod_to_endpoint_address(make_service(), value_pod{"10.1.2.3", "a"});
    CHECK(a.ip == "10.1.2.3");
}

// ---------------------------------------------------------------------------------------------
// addEndpointSubset: addresses or notReadyAddresses
// ---------------------------------------------------------------------------------------------

TEST_CASE("addEndpointSubset: ready pods and publishNotReadyAddresses go to addresses") {
    svcdisc::service svc = make_service();
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    auto list = svcdisc::endpoints_address_list(svc, p);
    CHECK(list.ready);
    CHECK(list.reason == svcdisc::endpoints_list_reason::pod_ready);

    p.status.conditions = {{"Ready", "False"}};
    list = svcdisc::endpoints_address_list(svc, p);
    CHECK_FALSE(list.ready);
    CHECK(list.reason == svcdisc::endpoints_list_reason::pod_not_ready);
    CHECK(list.readiness.status == "False");

    p.status.conditions.clear();
    list = svcdisc::endpoints_address_list(svc, p);
    CHECK_FALSE(list.ready);
    CHECK(list.readiness.condition == pod_ready_condition::missing);

    svc.spec.publish_not_ready_addresses = true;
    list = svcdisc::endpoints_address_list(svc, p);
    CHECK(list.ready);
    CHECK(list.reason == svcdisc::endpoints_list_reason::publish_not_ready_addresses);

    // A terminating pod only reaches the list with publishNotReadyAddresses, and is ready then.
    p.status.conditions = {{"Ready", "True"}};
    p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    CHECK(svcdisc::should_pod_be_in_endpoints(p, svc.spec.publish_not_ready_addresses));
    CHECK(svcdisc::endpoints_address_list(svc, p).reason ==
          svcdisc::endpoints_list_reason::pod_ready);
}

// ---------------------------------------------------------------------------------------------
// podToEndpoint: the EndpointSlice conditions
// ---------------------------------------------------------------------------------------------

TEST_CASE("podToEndpoint: ready, serving and terminating for every pod state") {
    using svcdisc::endpoint_ready_reason;
    struct row {
        bool pod_ready;
        bool deleting;
        bool publish_not_ready;
        bool ready;
        bool serving;
        bool terminating;
        endpoint_ready_reason reason;
    };
    const std::vector<row> rows = {
        {true, false, false, true, true, false, endpoint_ready_reason::pod_ready},
        {false, false, false, false, false, false, endpoint_ready_reason::pod_not_ready},
        {true, true, false, false, true, true, endpoint_ready_reason::terminating},
        {false, true, false, false, false, true, endpoint_ready_reason::terminating},
        {true, false, true, true, true, false, endpoint_ready_reason::pod_ready},
        {false, false, true, true, false, false,
         endpoint_ready_reason::publish_not_ready_addresses},
        {true, true, true, true, true, true, endpoint_ready_reason::publish_not_ready_addresses},
        {false, true, true, true, false, true, endpoint_ready_reason::publish_not_ready_addresses},
    };
    for (const row& r : rows) {
        CAPTURE(r.pod_ready);
        CAPTURE(r.deleting);
        CAPTURE(r.publish_not_ready);
        svcdisc::service svc = make_service();
        svc.spec.publish_not_ready_addresses = r.publish_not_ready;
        svcdisc::pod p = make_pod(1, "10.0.0.1");
        p.status.conditions = {{"Ready", r.pod_ready ? "True" : "False"}};
        if (r.deleting) {
            p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
        }
        const auto c = svcdisc::pod_endpoint_conditions(svc, p);
        CHECK(c.ready == r.ready);
        CHECK(c.serving == r.serving);
        CHECK(c.terminating == r.terminating);
        CHECK(c.ready_reason == r.reason);
    }
}

TEST_CASE("getEndpointAddresses: an endpoint carries the pod's parseable IPs of its family") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.status.pod_ips = {"10.0.0.1", "fd00::1", "not-an-ip", "::ffff:10.0.0.2"};
    CHECK(svcdisc::endpoint_slice_address_count(p, svcdisc::ip_family::ipv4) == 2);
    CHECK(svcdisc::endpoint_slice_address_count(p, svcdisc::ip_family::ipv6) == 1);
}

// ---------------------------------------------------------------------------------------------
// The EndpointSlice reconciler's node check
// ---------------------------------------------------------------------------------------------

TEST_CASE("reconciler node check: a pod on an unknown node is skipped unless "
          "publishNotReadyAddresses") {
    using svcdisc::node_policy;
    using svcdisc::pod_node_lookup;
    CHECK(svcdisc::pod_node_lookup_of("node-a", true, node_policy::upstream) ==
          pod_node_lookup::found);
    CHECK(svcdisc::pod_node_lookup_of("node-a", true, node_policy::assume_present) ==
          pod_node_lookup::found);
    CHECK(svcdisc::pod_node_lookup_of("node-b", false, node_policy::upstream) ==
          pod_node_lookup::not_found);
    CHECK(svcdisc::pod_node_lookup_of("node-b", false, node_policy::assume_present) ==
          pod_node_lookup::assumed);
    CHECK(svcdisc::pod_node_lookup_of("", false, node_policy::assume_present) ==
          pod_node_lookup::no_node_name);

    svcdisc::service svc = make_service();
    CHECK(svcdisc::endpoint_slice_node(svc, pod_node_lookup::found).included);
    CHECK(svcdisc::endpoint_slice_node(svc, pod_node_lookup::assumed).included);
    CHECK_FALSE(svcdisc::endpoint_slice_node(svc, pod_node_lookup::not_found).included);
    CHECK_FALSE(svcdisc::endpoint_slice_node(svc, pod_node_lookup::no_node_name).included);
    svc.spec.publish_not_ready_addresses = true;
    CHECK(svcdisc::endpoint_slice_node(svc, pod_node_lookup::not_found).included);
    CHECK(svcdisc::endpoint_slice_node(svc, pod_node_lookup::no_node_name).included);

    // The same answer as the derivation under node_policy::upstream.
    svc.spec.publish_not_ready_addresses = false;
    const std::vector<svcdisc::pod> pods = {make_pod(1, "10.0.0.1")};
    const std::vector<svcdisc::node> no_nodes;
    CHECK(svcdisc::derive_endpoint_slices(svc, pods, no_nodes).front().endpoints.empty());
    svc.spec.publish_not_ready_addresses = true;
    CHECK(svcdisc::derive_endpoint_slices(svc, pods, no_nodes).front().endpoints.size() == 1);
}

// ---------------------------------------------------------------------------------------------
// FindPort
// ---------------------------------------------------------------------------------------------

TEST_CASE("FindPort: the upstream table (TestFindPort)") {
    struct row {
        const char* name;
        std::vector<svcdisc::container> containers;
        svcdisc::int_or_string target;
        find_port_status status;
        std::int32_t number;
        std::string container;
    };
    const std::vector<svcdisc::container_port> pqr = {
        {"", 11, "UDP", 0}, {"p", 22, "TCP", 0}, {"q", 33, "TCP", 0}};
    const std::vector<row> rows = {
        {"number, no ports", {container_with("c0", {})}, 93, find_port_status::numeric, 93, ""},
        {"number, with ports",
         {container_with("c0", {{"", 11, "TCP", 0}, {"p", 22, "TCP", 0}})},
         93,
         find_port_status::numeric,
         93,
         ""},
        {"name, no ports",
         {container_with("c0", {})},
         std::string("p"),
         find_port_status::not_declared,
         0,
         ""},
        {"name, one container with ports",
         {container_with("c0", pqr)},
         std::string("q"),
         find_port_status::named,
         33,
         "c0"},
        {"name, second container has the ports",
         {container_with("c0", {}), container_with("c1", pqr)},
         std::string("q"),
         find_port_status::named,
         33,
         "c1"},
        {"name, two names for one number",
         {container_with("c0", {}),
          container_with("c1", {{"", 11, "UDP", 0}, {"p", 22, "TCP", 0}, {"q", 22, "TCP", 0}})},
         std::string("q"),
         find_port_status::named,
         22,
         "c1"},
        {"name, other protocol",
         {container_with("c0", {}), container_with("c1", {{"a", 11, "snmp", 0}})},
         std::string("a"),
         find_port_status::other_protocol,
         0,
         "c1"},
        {"name, hostPort set",
         {container_with("c0", {}), container_with("c1", {{"a", 11, "TCP", 81}})},
         std::string("a"),
         find_port_status::named,
         11,
         "c1"},
        {"name, invalid hostPort is not checked",
         {container_with("c0", {}), container_with("c1", {{"a", 11, "TCP", -1}})},
         std::string("a"),
         find_port_status::named,
         11,
         "c1"},
        {"name, invalid containerPort is not checked",
         {container_with("c0", {}), container_with("c1", {{"a", -1, "TCP", 0}})},
         std::string("a"),
         find_port_status::named,
         -1,
         "c1"},
    };
    for (const row& r : rows) {
        CAPTURE(r.name);
        svcdisc::pod p = make_pod(1, "10.0.0.1");
        p.spec.containers = r.containers;
        svcdisc::service_port port = named_port("");
        port.target_port = r.target;
        const auto found = svcdisc::find_port(p, port);
        CHECK(found.status == r.status);
        CHECK(found.number == r.number);
        CHECK(found.container == r.container);
        CHECK(found.port() == svcdisc::find_target_port(p, port));
        CHECK(found.resolved() ==
              (r.status == find_port_status::numeric || r.status == find_port_status::named));
    }
}

TEST_CASE("FindPort: sidecars are searched after the containers, other init containers never") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.containers = {container_with("app", {{"http", 8080, "TCP", 0}})};
    p.spec.init_containers = {container_with("setup", {{"admin", 9000, "TCP", 0}}),
                              container_with("proxy", {{"admin", 9001, "TCP", 0}}, "Always")};
    auto found = svcdisc::find_port(p, named_port("admin"));
    CHECK(found.status == find_port_status::named);
    CHECK(found.number == 9001);
    CHECK(found.container == "proxy");
    CHECK(found.kind == container_kind::sidecar);

    p.spec.init_containers[1].restart_policy = "OnFailure";
    found = svcdisc::find_port(p, named_port("admin"));
    CHECK(found.status == find_port_status::init_container_only);
    CHECK(found.container == "setup");
    CHECK(found.kind == container_kind::init);
    CHECK_FALSE(svcdisc::find_target_port(p, named_port("admin")));

    // A container's port wins over a sidecar's of the same name.
    p.spec.init_containers[1].restart_policy = "Always";
    p.spec.containers[0].ports.push_back({"admin", 7000, "TCP", 0});
    found = svcdisc::find_port(p, named_port("admin"));
    CHECK(found.number == 7000);
    CHECK(found.kind == container_kind::regular);
}

TEST_CASE("FindPort: a protocol mismatch keeps searching; it is reported before an init "
          "container") {
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.spec.containers = {container_with("app", {{"dns", 53, "UDP", 0}})};
    p.spec.init_containers = {container_with("setup", {{"dns", 5353, "TCP", 0}})};
    auto found = svcdisc::find_port(p, named_port("dns", "TCP"));
    CHECK(found.status == find_port_status::other_protocol);
    CHECK(found.container == "app");
    CHECK(found.declared_protocol == "UDP");

    p.spec.init_containers.push_back(container_with("cache", {{"dns", 5354, "TCP", 0}}, "Always"));
    found = svcdisc::find_port(p, named_port("dns", "TCP"));
    CHECK(found.status == find_port_status::named);
    CHECK(found.number == 5354);
    CHECK(found.container == "cache");
}

TEST_CASE("FindPort: pod types say as much about containers as their traits do") {
    // for_each_port only: containers and sidecars, unnamed.
    auto found = svcdisc::find_port(value_pod{}, named_port("dns", "TCP"));
    CHECK(found.status == find_port_status::other_protocol);
    CHECK(found.kind == container_kind::unspecified);
    CHECK(found.container.empty());
    CHECK(svcdisc::find_port(value_pod{}, named_port("dns", "UDP")).number == 53);
    CHECK(svcdisc::find_port(value_pod{}, named_port("admin")).status ==
          find_port_status::not_declared);

    // for_each_container_port: init containers too, with names.
    found = svcdisc::find_port(detailed_pod{false}, named_port("admin"));
    CHECK(found.status == find_port_status::init_container_only);
    CHECK(found.container == "setup");
    found = svcdisc::find_port(detailed_pod{true}, named_port("admin"));
    CHECK(found.status == find_port_status::named);
    CHECK(found.kind == container_kind::sidecar);
    CHECK(svcdisc::find_target_port(detailed_pod{true}, named_port("admin")) == 9000);
}

// ---------------------------------------------------------------------------------------------
// truncateEndpoints
// ---------------------------------------------------------------------------------------------

namespace {

std::vector<svcdisc::pod> numbered_pods(int count, int first = 0) {
    std::vector<svcdisc::pod> pods;
    for (int i = first; i < first + count; ++i) {
        pods.push_back(make_pod(i, "10." + std::to_string(i / 65536) + "." +
                                       std::to_string(i / 256 % 256) + "." +
                                       std::to_string(i % 256)));
    }
    return pods;
}

} // namespace

TEST_CASE("truncateEndpoints: 1001 ready addresses lose the one with the largest IP text") {
    const svcdisc::service svc = make_service();
    const std::vector<svcdisc::pod> pods = numbered_pods(1001);
    const auto eps = svcdisc::derive_endpoints(svc, pods);
    REQUIRE(eps);
    std::vector<std::string> cut;
    for (const auto& p : pods) {
        const auto t = svcdisc::endpoints_truncation_of(*eps, svc, p);
        CHECK(t.over_capacity);
        CHECK(t.subsets_serving == 1);
        if (t.cut()) {
            cut.push_back(p.status.pod_ips.front());
        }
    }
    // Addresses are kept in IP-text order, and "10.0.3.99" sorts last of 10.0.0.0 … 10.0.3.232.
    CHECK(cut == std::vector<std::string>{"10.0.3.99"});
}

TEST_CASE("truncateEndpoints: not-ready addresses are cut first") {
    const svcdisc::service svc = make_service();
    std::vector<svcdisc::pod> pods = numbered_pods(1001);
    for (std::size_t i = 997; i < pods.size(); ++i) {
        pods[i].status.conditions = {{"Ready", "False"}};
    }
    const auto eps = svcdisc::derive_endpoints(svc, pods);
    REQUIRE(eps);
    std::size_t cut = 0;
    for (const auto& p : pods) {
        const auto t = svcdisc::endpoints_truncation_of(*eps, svc, p);
        if (t.cut()) {
            ++cut;
            CHECK_FALSE(svcdisc::is_pod_ready(p));
        }
    }
    CHECK(cut == 1);
}

TEST_CASE("truncateEndpoints: nothing is cut at the capacity, and pods left out are never cut") {
    const svcdisc::service svc = make_service();
    std::vector<svcdisc::pod> pods = numbered_pods(1000);
    pods.push_back(make_pod(5000, "10.9.9.9"));
    pods.back().status.phase = "Failed";
    const auto eps = svcdisc::derive_endpoints(svc, pods);
    REQUIRE(eps);
    for (const auto& p : pods) {
        const auto t = svcdisc::endpoints_truncation_of(*eps, svc, p);
        CHECK_FALSE(t.over_capacity);
        CHECK_FALSE(t.cut());
    }
    const auto failed = svcdisc::endpoints_truncation_of(*eps, svc, pods.back());
    CHECK(failed.subsets_serving == 0);
}

TEST_CASE("truncateEndpoints: a pod in two subsets can be cut from one and kept in the other") {
    // 600 pods serve ports a and b, 500 only a: subsets {a} (1100 addresses) and {b} (600).
    svcdisc::service svc = make_service();
    svc.spec.ports = {{"a", "TCP", std::nullopt, 80, 8080, 0},
                      {"b", "TCP", std::nullopt, 81, std::string("extra"), 0}};
    std::vector<svcdisc::pod> pods = numbered_pods(1100);
    for (std::size_t i = 0; i < 600; ++i) {
        pods[i].spec.containers[0].ports.push_back({"extra", 9000, "TCP", 0});
    }
    const auto eps = svcdisc::derive_endpoints(svc, pods);
    REQUIRE(eps);
    REQUIRE(eps->subsets.size() == 2);
    std::size_t missing = 0;
    std::size_t partly = 0;
    for (std::size_t i = 0; i < pods.size(); ++i) {
        const auto t = svcdisc::endpoints_truncation_of(*eps, svc, pods[i]);
        CHECK(t.subsets_serving == (i < 600 ? 2U : 1U));
        missing += t.subsets_serving - t.subsets_listing;
        if (t.subsets_listing == 1 && t.subsets_serving == 2) {
            ++partly;
        }
    }
    CHECK(missing == 1700 - svcdisc::endpoints_max_capacity);
    CHECK(partly > 0);
}

TEST_CASE("truncateEndpoints: a portless headless Service's addresses are looked up too") {
    svcdisc::service svc = make_service();
    svc.spec.cluster_ip = "None";
    svc.spec.ports.clear();
    const std::vector<svcdisc::pod> pods = numbered_pods(3);
    const auto eps = svcdisc::derive_endpoints(svc, pods);
    REQUIRE(eps);
    const auto t = svcdisc::endpoints_truncation_of(*eps, svc, pods[1]);
    CHECK(t.subsets_serving == 1);
    CHECK(t.subsets_listing == 1);
}

// ---------------------------------------------------------------------------------------------
// The whole verdict
// ---------------------------------------------------------------------------------------------

TEST_CASE("endpoint membership: every reason at once") {
    svcdisc::service svc = make_service();
    svc.spec.ports.push_back(named_port("grpc"));
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.status.pod_ips = {"10.0.0.1", "fd00::1"};
    p.status.conditions = {{"Ready", "False"}};
    p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";

    const auto m = svcdisc::endpoint_membership_of(svc, p, svcdisc::pod_node_lookup::found);
    CHECK(m.management == endpoint_management::managed);
    CHECK(m.selection.selected());
    CHECK(m.endpoints_eligibility == endpoint_eligibility::terminating);
    CHECK(m.slices_eligibility == endpoint_eligibility::eligible);
    CHECK(m.address.ip == "10.0.0.1");
    REQUIRE(m.ports.size() == 2);
    CHECK(m.ports[0].number == 8080);
    CHECK(m.ports[1].status == find_port_status::not_declared);
    CHECK_FALSE(m.endpoints_list.ready);
    CHECK(m.slice_conditions.ready_reason == svcdisc::endpoint_ready_reason::terminating);
    CHECK(m.node.included);
    CHECK_FALSE(m.in_endpoints());
    CHECK(m.in_endpoint_slices(svcdisc::ip_family::ipv4));
    CHECK(m.in_endpoint_slices(svcdisc::ip_family::ipv6));

    svc.spec.ports.clear();
    svc.spec.publish_not_ready_addresses = true;
    auto portless = svcdisc::endpoint_membership_of(svc, p, svcdisc::pod_node_lookup::found);
    CHECK_FALSE(portless.portless);
    CHECK_FALSE(portless.in_endpoints());
    svc.spec.cluster_ip = "None";
    portless = svcdisc::endpoint_membership_of(svc, p, svcdisc::pod_node_lookup::found);
    CHECK(portless.portless);
    CHECK(portless.in_endpoints());
}

// ---------------------------------------------------------------------------------------------
// The yes/no functions: same answers as the reasons, no allocation
// ---------------------------------------------------------------------------------------------

TEST_CASE("yes/no functions do not allocate for svcdisc's pod type") {
    svcdisc::service svc = make_service();
    svc.spec.selector = svcdisc::label_set{{"app", "web"}, {"tier", "front"}};
    svcdisc::pod p = make_pod(1, "10.0.0.1");
    p.metadata.labels.insert_or_assign("tier", "back-end-of-the-shop");
    p.spec.init_containers = {container_with("setup", {{"admin", 9000, "TCP", 0}})};
    const svcdisc::service_port admin = named_port("admin");
    const std::uint64_t before = svcdisc_test::allocation_count.load();
    const bool selects = svcdisc::service_selects_pod(svc, p);
    const auto selection = svcdisc::service_pod_selection(svc, p);
    const bool eligible = svcdisc::should_pod_be_in_endpoints(p, false);
    const auto port = svcdisc::find_target_port(p, admin);
    const auto found = svcdisc::find_port(p, admin);
    const auto address = svcdisc::pod_to_endpoint_address(svc, p);
    const auto conditions = svcdisc::pod_endpoint_conditions(svc, p);
    CHECK(svcdisc_test::allocation_count.load() == before);
    CHECK_FALSE(selects);
    CHECK(selection.pod_value == "back-end-of-the-shop");
    CHECK(eligible);
    CHECK_FALSE(port);
    CHECK(found.status == find_port_status::init_container_only);
    CHECK(address.found());
    CHECK(conditions.ready);
}

namespace {

template <class T>
const T& pick(std::mt19937& rng, const std::vector<T>& choices) {
    return choices[std::uniform_int_distribution<std::size_t>(0, choices.size() - 1)(rng)];
}

bool coin(std::mt19937& rng, double p = 0.5) {
    return std::bernoulli_distribution(p)(rng);
}

svcdisc::service random_service(std::mt19937& rng) {
    svcdisc::service svc = make_service();
    svc.spec.type = coin(rng, 0.1) ? "ExternalName" : "ClusterIP";
    const int selector = std::uniform_int_distribution<int>(0, 4)(rng);
    if (selector == 0) {
        svc.spec.selector.reset();
    } else if (selector == 1) {
        svc.spec.selector = svcdisc::label_set{{"app", "web"}, {"tier", "a"}};
    }
    svc.spec.cluster_ip = pick<std::string>(rng, {"10.96.0.10", "fd00:96::10", "None", ""});
    svc.spec.ip_families = pick<std::vector<std::string>>(
        rng, {{}, {"IPv4"}, {"IPv6"}, {"IPv4", "IPv6"}, {"IPv6", "IPv4"}});
    svc.spec.publish_not_ready_addresses = coin(rng, 0.3);
    svc.spec.ports.clear();
    const int ports = std::uniform_int_distribution<int>(0, 3)(rng);
    for (int i = 0; i < ports; ++i) {
        svcdisc::service_port port = named_port(pick<std::string>(rng, {"http", "dns", "admin"}),
                                                pick<std::string>(rng, {"TCP", "UDP"}));
        port.name = "port-" + std::to_string(i);
        port.port = 80 + i;
        if (coin(rng, 0.3)) {
            port.target_port = 8000 + i;
        }
        svc.spec.ports.push_back(port);
    }
    return svc;
}

svcdisc::pod random_pod(std::mt19937& rng, int n) {
    svcdisc::pod p = make_pod(n, "");
    p.metadata.namespace_ = coin(rng, 0.9) ? "ns" : "other";
    p.metadata.labels = {};
    if (coin(rng, 0.9)) {
        p.metadata.labels.insert_or_assign("app", coin(rng, 0.9) ? "web" : "api");
    }
    if (coin(rng)) {
        p.metadata.labels.insert_or_assign("tier", pick<std::string>(rng, {"a", "b"}));
    }
    p.status.phase = pick<std::string>(
        rng, {"Running", "Running", "Pending", "Failed", "Succeeded", "Unknown", ""});
    const std::string v4 = "10.1." + std::to_string(n / 256) + "." + std::to_string(n % 256);
    const std::string v6 = "fd00::" + std::to_string(n + 1);
    p.status.pod_ips = pick<std::vector<std::string>>(
        rng, {{v4}, {v4}, {v6}, {v4, v6}, {v6, v4}, {}, {"not-an-ip"}, {v4, "garbage"}});
    p.status.pod_ip = p.status.pod_ips.empty() ? (coin(rng, 0.2) ? v4 : "") : p.status.pod_ips[0];
    p.status.conditions =
        pick<std::vector<svcdisc::pod_condition>>(rng, {{{"Ready", "True"}},
                                                        {{"Ready", "True"}},
                                                        {{"Ready", "False"}},
                                                        {},
                                                        {{"Ready", "Unknown"}},
                                                        {{"Ready", "False"}, {"Ready", "True"}}});
    if (coin(rng, 0.2)) {
        p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    }
    p.spec.node_name = pick<std::string>(rng, {"node-a", "node-a", "node-b", ""});
    const auto random_ports = [&] {
        std::vector<svcdisc::container_port> ports;
        const int count = std::uniform_int_distribution<int>(0, 2)(rng);
        for (int i = 0; i < count; ++i) {
            ports.push_back({pick<std::string>(rng, {"http", "dns", "admin"}),
                             std::uniform_int_distribution<std::int32_t>(1, 3)(rng) * 1000,
                             pick<std::string>(rng, {"TCP", "UDP"}), 0});
        }
        return ports;
    };
    p.spec.containers = {container_with("c0", random_ports())};
    if (coin(rng)) {
        p.spec.containers.push_back(container_with("c1", random_ports()));
    }
    if (coin(rng)) {
        p.spec.init_containers = {container_with(
            "i0", random_ports(), pick<std::optional<std::string>>(rng, {std::nullopt, "Always"}))};
    }
    return p;
}

// Where derive_endpoints lists a pod: nullopt when not at all, else whether as ready.
std::optional<bool> endpoints_listing(const std::optional<svcdisc::endpoints>& eps,
                                      const svcdisc::pod& p) {
    if (!eps) {
        return std::nullopt;
    }
    for (const auto& subset : eps->subsets) {
        for (const auto* list : {&subset.addresses, &subset.not_ready_addresses}) {
            for (const auto& a : *list) {
                if (a.target_ref && a.target_ref->uid == p.metadata.uid) {
                    return list == &subset.addresses;
                }
            }
        }
    }
    return std::nullopt;
}

} // namespace

TEST_CASE("property: yes/no functions equal 'reason is the included one' on random pods") {
    std::mt19937 rng(20240917);
    for (int round = 0; round < 400; ++round) {
        const svcdisc::service svc = random_service(rng);
        const svcdisc::pod p = random_pod(rng, round);
        CAPTURE(round);
        for (const bool include_terminating : {false, true}) {
            CHECK(svcdisc::should_pod_be_in_endpoints(p, include_terminating) ==
                  (svcdisc::pod_endpoint_eligibility(p, include_terminating) ==
                   endpoint_eligibility::eligible));
        }
        for (const auto& port : svc.spec.ports) {
            CHECK(svcdisc::find_target_port(p, port) == svcdisc::find_port(p, port).port());
        }
        CHECK(svcdisc::service_selects_pod(svc, p) ==
              (svcdisc::service_pod_selection(svc, p).status == pod_selection_status::selected));
        CHECK(svcdisc::is_pod_ready(p) == svcdisc::pod_readiness_of(p).ready());
    }
}

TEST_CASE("property: the verdict agrees with derive_endpoints and derive_endpoint_slices") {
    std::mt19937 rng(7);
    std::vector<svcdisc::node> nodes(1);
    nodes[0].metadata.name = "node-a";
    int in_endpoints = 0;
    int in_slices = 0;
    for (int round = 0; round < 150; ++round) {
        const svcdisc::service svc = random_service(rng);
        std::vector<svcdisc::pod> pods;
        const int count = std::uniform_int_distribution<int>(1, 12)(rng);
        for (int i = 0; i < count; ++i) {
            pods.push_back(random_pod(rng, round * 100 + i));
        }
        const auto eps = svcdisc::derive_endpoints(svc, pods);
        const auto slices = svcdisc::derive_endpoint_slices(svc, pods, nodes);
        // Every address type the Service uses has a slice, a placeholder at least.
        std::set<std::string> address_types;
        for (const auto& s : slices) {
            address_types.insert(s.address_type);
        }
        for (const auto& p : pods) {
            CAPTURE(round);
            CAPTURE(p.metadata.name);
            const auto m = svcdisc::endpoint_membership_of(
                svc, p,
                svcdisc::pod_node_lookup_of(p.spec.node_name, p.spec.node_name == "node-a",
                                            svcdisc::node_policy::upstream));
            const std::optional<bool> listed = endpoints_listing(eps, p);
            CHECK(listed.has_value() == m.in_endpoints());
            if (listed) {
                ++in_endpoints;
                CHECK(*listed == m.endpoints_list.ready);
            }
            if (address_types.empty()) {
                CHECK_FALSE(m.in_endpoint_slices(svcdisc::ip_family::ipv4));
                CHECK_FALSE(m.in_endpoint_slices(svcdisc::ip_family::ipv6));
            }
            for (const std::string& type : address_types) {
                const auto family =
                    type == "IPv6" ? svcdisc::ip_family::ipv6 : svcdisc::ip_family::ipv4;
                const svcdisc::endpoint* found = nullptr;
                for (const auto& s : slices) {
                    for (const auto& e : s.endpoints) {
                        if (s.address_type == type && e.target_ref &&
                            e.target_ref->uid == p.metadata.uid) {
                            found = &e;
                        }
                    }
                }
                CHECK((found != nullptr) == m.in_endpoint_slices(family));
                if (found) {
                    ++in_slices;
                    CHECK(found->addresses.size() == (family == svcdisc::ip_family::ipv4
                                                          ? m.ipv4_slice_addresses
                                                          : m.ipv6_slice_addresses));
                    CHECK(found->conditions.ready == m.slice_conditions.ready);
                    CHECK(found->conditions.serving == m.slice_conditions.serving);
                    CHECK(found->conditions.terminating == m.slice_conditions.terminating);
                }
            }
        }
    }
    // The generator reaches both outcomes often enough for the comparison to mean something.
    CHECK(in_endpoints > 50);
    CHECK(in_slices > 50);
}
