#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/route.hpp>

#include "spec_fixtures.hpp"

// What kube-proxy routes to. The first test restates pkg/proxy/topology_test.go's
// TestCategorizeEndpoints table (one row per upstream case, by its upstream name); the
// PreferSameNode rows and the tests from EndpointSlices on are derived from topology.go and
// endpointslicecache.go.

namespace {

namespace proxy = svcdisc::detail::proxy;
using svcdisc::route_exclusion;
using names = std::set<std::string>;

struct ep_row {
    std::string endpoint;
    std::vector<std::string> zone_hints;
    bool ready = true;
    bool serving = false;
    bool terminating = false;
    bool local = false;
    std::vector<std::string> node_hints = {};
};

struct categorize_case {
    std::string name;
    std::string zone;
    bool internal_local = false;
    bool external_local = false;
    int node_port = 0;
    std::vector<ep_row> endpoints;
    std::optional<names> cluster;
    std::optional<names> local;
    std::optional<names> all;
    bool only_remote = false;
};

std::vector<svcdisc::routed_endpoint> to_endpoints(const std::vector<ep_row>& rows) {
    std::vector<svcdisc::routed_endpoint> out;
    for (const auto& row : rows) {
        svcdisc::routed_endpoint ep;
        ep.endpoint = row.endpoint;
        ep.zone_hints = row.zone_hints;
        ep.node_hints = row.node_hints;
        ep.ready = row.ready;
        ep.serving = row.serving;
        ep.terminating = row.terminating;
        ep.is_local = row.local;
        out.push_back(std::move(ep));
    }
    return out;
}

names pick(const std::vector<svcdisc::routed_endpoint>& eps,
           const std::vector<std::size_t>& positions) {
    names out;
    for (const auto i : positions) {
        out.insert(eps[i].endpoint);
    }
    return out;
}

// BaseServicePortInfo.UsesClusterEndpoints / UsesLocalEndpoints of the upstream test's ports.
proxy::policy_usage usage_of(const categorize_case& c) {
    const bool accessible = c.node_port != 0;
    return {!c.internal_local || accessible, c.internal_local || (c.external_local && accessible)};
}

struct categorized {
    std::vector<svcdisc::routed_endpoint> endpoints;
    proxy::categorized_endpoints result;
};

categorized run(const categorize_case& c, std::string_view node = "node-1",
                bool node_hints_enabled = true) {
    categorized out{to_endpoints(c.endpoints), {}};
    out.result =
        proxy::categorize_endpoints(out.endpoints, usage_of(c), node, c.zone, node_hints_enabled);
    return out;
}

const std::vector<ep_row> four_zoned{{"10.1.2.3:80", {"zone-a"}},
                                     {"10.1.2.4:80", {"zone-b"}},
                                     {"10.1.2.5:80", {"zone-c"}},
                                     {"10.1.2.6:80", {"zone-a"}}};

// The same four endpoints with the first two on this node.
const std::vector<ep_row> first_two_local{{"10.1.2.3:80", {"zone-a"}, true, false, false, true},
                                          {"10.1.2.4:80", {"zone-b"}, true, false, false, true},
                                          {"10.1.2.5:80", {"zone-c"}},
                                          {"10.1.2.6:80", {"zone-a"}}};

std::vector<categorize_case> upstream_cases() {
    const auto local_pair = [](bool first_local, bool second_local) {
        return std::vector<ep_row>{{"10.0.0.0:80", {}, true, false, false, first_local},
                                   {"10.0.0.1:80", {}, true, false, false, second_local}};
    };
    return {
        {"should use topology since all endpoints have hints, node has a zone label and there are "
         "endpoints for the node's zone",
         "zone-a",
         false,
         false,
         0,
         four_zoned,
         names{"10.1.2.3:80", "10.1.2.6:80"},
         {},
         {}},
        {"externalTrafficPolicy: Local, topology ignored for Local endpoints", "zone-a", false,
         true, 8080, first_two_local, names{"10.1.2.3:80", "10.1.2.6:80"},
         names{"10.1.2.3:80", "10.1.2.4:80"}, names{"10.1.2.3:80", "10.1.2.4:80", "10.1.2.6:80"}},
        {"internalTrafficPolicy: Local, topology ignored for Local endpoints", "zone-a", true,
         false, 8080, first_two_local, names{"10.1.2.3:80", "10.1.2.6:80"},
         names{"10.1.2.3:80", "10.1.2.4:80"}, names{"10.1.2.3:80", "10.1.2.4:80", "10.1.2.6:80"}},
        {"empty node labels / empty zone label",
         "",
         false,
         false,
         0,
         {{"10.1.2.3:80", {"zone-a"}}},
         names{"10.1.2.3:80"},
         {},
         {}},
        {"node in different zone, no endpoint filtering",
         "zone-b",
         false,
         false,
         0,
         {{"10.1.2.3:80", {"zone-a"}}},
         names{"10.1.2.3:80"},
         {},
         {}},
        {"unready endpoint",
         "zone-a",
         false,
         false,
         0,
         {{"10.1.2.3:80", {"zone-a"}},
          {"10.1.2.4:80", {"zone-b"}},
          {"10.1.2.5:80", {"zone-c"}},
          {"10.1.2.6:80", {"zone-a"}, false}},
         names{"10.1.2.3:80"},
         {},
         {}},
        {"only unready endpoints in same zone (should not filter)",
         "zone-a",
         false,
         false,
         0,
         {{"10.1.2.3:80", {"zone-a"}, false},
          {"10.1.2.4:80", {"zone-b"}},
          {"10.1.2.5:80", {"zone-c"}},
          {"10.1.2.6:80", {"zone-a"}, false}},
         names{"10.1.2.4:80", "10.1.2.5:80"},
         {},
         {}},
        {"missing hints, no filtering applied",
         "zone-a",
         false,
         false,
         0,
         {{"10.1.2.3:80", {"zone-a"}},
          {"10.1.2.4:80", {"zone-b"}},
          {"10.1.2.5:80", {}},
          {"10.1.2.6:80", {"zone-a"}}},
         names{"10.1.2.3:80", "10.1.2.4:80", "10.1.2.5:80", "10.1.2.6:80"},
         {},
         {}},
        {"multiple hints per endpoint, filtering includes any endpoint with zone included",
         "zone-c",
         false,
         false,
         0,
         {{"10.1.2.3:80", {"zone-a", "zone-b", "zone-c"}},
          {"10.1.2.4:80", {"zone-b", "zone-c"}},
          {"10.1.2.5:80", {"zone-b", "zone-d"}},
          {"10.1.2.6:80", {"zone-c"}}},
         names{"10.1.2.3:80", "10.1.2.4:80", "10.1.2.6:80"},
         {},
         {}},
        {"conflicting topology and localness require merging allEndpoints",
         "zone-a",
         false,
         true,
         8080,
         {{"10.0.0.0:80", {"zone-a"}, true, false, false, true},
          {"10.0.0.1:80", {"zone-b"}, true, false, false, true},
          {"10.0.0.2:80", {"zone-a"}},
          {"10.0.0.3:80", {"zone-b"}}},
         names{"10.0.0.0:80", "10.0.0.2:80"},
         names{"10.0.0.0:80", "10.0.0.1:80"},
         names{"10.0.0.0:80", "10.0.0.1:80", "10.0.0.2:80"}},
        {"internalTrafficPolicy: Local, with empty endpoints",
         "",
         true,
         false,
         0,
         {},
         {},
         names{},
         {}},
        {"internalTrafficPolicy: Local, but all endpoints are remote",
         "",
         true,
         false,
         0,
         local_pair(false, false),
         {},
         names{},
         {},
         true},
        {"internalTrafficPolicy: Local, all endpoints are local",
         "",
         true,
         false,
         0,
         local_pair(true, true),
         {},
         names{"10.0.0.0:80", "10.0.0.1:80"},
         {}},
        {"internalTrafficPolicy: Local, some endpoints are local",
         "",
         true,
         false,
         0,
         local_pair(true, false),
         {},
         names{"10.0.0.0:80"},
         {}},
        {"Cluster traffic policy, endpoints not Ready",
         "",
         false,
         false,
         0,
         {{"10.0.0.0:80", {}, false}, {"10.0.0.1:80", {}, false}},
         names{},
         {},
         {}},
        {"Cluster traffic policy, some endpoints are Ready",
         "",
         false,
         false,
         0,
         {{"10.0.0.0:80", {}, false}, {"10.0.0.1:80", {}, true}},
         names{"10.0.0.1:80"},
         {},
         {}},
        {"Cluster traffic policy, all endpoints are terminating",
         "",
         false,
         false,
         0,
         {{"10.0.0.0:80", {}, false, true, true, true}, {"10.0.0.1:80", {}, false, true, true}},
         names{"10.0.0.0:80", "10.0.0.1:80"},
         {},
         {}},
        {"iTP: Local, eTP: Cluster, some endpoints local", "", true, false, 8080,
         local_pair(true, false), names{"10.0.0.0:80", "10.0.0.1:80"}, names{"10.0.0.0:80"},
         names{"10.0.0.0:80", "10.0.0.1:80"}},
        {"iTP: Cluster, eTP: Local, some endpoints local", "", false, true, 8080,
         local_pair(true, false), names{"10.0.0.0:80", "10.0.0.1:80"}, names{"10.0.0.0:80"},
         names{"10.0.0.0:80", "10.0.0.1:80"}},
        {"iTP: Local, eTP: Local, some endpoints local", "", true, true, 8080,
         local_pair(true, false), names{"10.0.0.0:80", "10.0.0.1:80"}, names{"10.0.0.0:80"},
         names{"10.0.0.0:80", "10.0.0.1:80"}},
        {"iTP: Local, eTP: Local, all endpoints remote", "", true, true, 8080,
         local_pair(false, false), names{"10.0.0.0:80", "10.0.0.1:80"}, names{},
         names{"10.0.0.0:80", "10.0.0.1:80"}},
        {"iTP: Local, eTP: Local, all endpoints remote and terminating",
         "",
         true,
         true,
         8080,
         {{"10.0.0.0:80", {}, false, true, true}, {"10.0.0.1:80", {}, false, true, true}},
         names{"10.0.0.0:80", "10.0.0.1:80"},
         names{},
         names{"10.0.0.0:80", "10.0.0.1:80"},
         true},
        {"iTP: Cluster, eTP: Local, with terminating endpoints",
         "",
         false,
         true,
         8080,
         {{"10.0.0.0:80", {}, true},
          {"10.0.0.1:80", {}, false, false, false, true},
          {"10.0.0.2:80", {}, false, true, true, true},
          {"10.0.0.3:80", {}, false, true, true}},
         names{"10.0.0.0:80"},
         names{"10.0.0.2:80"},
         names{"10.0.0.0:80", "10.0.0.2:80"}},
        {"externalTrafficPolicy ignored if not externally accessible",
         "",
         false,
         true,
         0,
         local_pair(false, true),
         names{"10.0.0.0:80", "10.0.0.1:80"},
         {},
         names{"10.0.0.0:80", "10.0.0.1:80"}},
        {"no cluster endpoints for iTP:Local internal-only service",
         "",
         true,
         false,
         0,
         local_pair(false, true),
         {},
         names{"10.0.0.1:80"},
         names{"10.0.0.1:80"}},
    };
}

} // namespace

TEST_CASE("TestCategorizeEndpoints") {
    for (const auto& c : upstream_cases()) {
        CAPTURE(c.name);
        const auto [endpoints, r] = run(c);
        const auto usage = usage_of(c);
        // A policy the port never uses yields no endpoints (upstream: nil).
        CHECK(usage.cluster == c.cluster.has_value());
        CHECK(usage.local == c.local.has_value());
        CHECK(pick(endpoints, r.cluster) == c.cluster.value_or(names{}));
        CHECK(pick(endpoints, r.local) == c.local.value_or(names{}));
        const names all = c.all ? *c.all : c.cluster ? *c.cluster : c.local.value_or(names{});
        CHECK(pick(endpoints, r.reachable) == all);
        CHECK(r.has_any_endpoints == (!all.empty() || c.only_remote));
    }
}

TEST_CASE("CategorizeEndpoints (derived): why each endpoint is left out") {
    const auto cases = upstream_cases();
    const auto find = [&](std::string_view name) {
        for (const auto& c : cases) {
            if (c.name == name) {
                return run(c);
            }
        }
        FAIL("no case " << name);
        return categorized{};
    };
    using svcdisc::hint_check;
    SUBCASE("zone hints for another zone") {
        const auto [eps, r] = find("should use topology since all endpoints have hints, node has "
                                   "a zone label and there are endpoints for the node's zone");
        CHECK(r.topology == svcdisc::topology_decision{svcdisc::topology_mode::prefer_same_zone,
                                                       hint_check::endpoint_without_hint,
                                                       hint_check::used});
        CHECK(eps[0].cluster_exclusion == std::nullopt);
        CHECK(eps[1].cluster_exclusion == route_exclusion::hinted_for_other_zone);
        CHECK(eps[2].cluster_exclusion == route_exclusion::hinted_for_other_zone);
        CHECK(eps[3].local_exclusion == std::nullopt); // the port never uses Local policy
    }
    SUBCASE("hints ignored, and why") {
        CHECK(find("empty node labels / empty zone label").result.topology.zone_hints ==
              hint_check::node_without_zone);
        CHECK(find("node in different zone, no endpoint filtering").result.topology.zone_hints ==
              hint_check::none_for_this_node);
        CHECK(find("missing hints, no filtering applied").result.topology.zone_hints ==
              hint_check::endpoint_without_hint);
        CHECK(find("Cluster traffic policy, endpoints not Ready").result.topology ==
              svcdisc::topology_decision{svcdisc::topology_mode::none,
                                         hint_check::no_ready_endpoints,
                                         hint_check::no_ready_endpoints});
        CHECK(find("no cluster endpoints for iTP:Local internal-only service").result.topology ==
              svcdisc::topology_decision{});
    }
    SUBCASE("not ready while ready ones exist; unusable even as a fallback") {
        CHECK(find("unready endpoint").endpoints[3].cluster_exclusion ==
              route_exclusion::not_ready);
        const auto none = find("Cluster traffic policy, endpoints not Ready");
        CHECK(none.endpoints[0].cluster_exclusion == route_exclusion::not_serving_terminating);
        CHECK(none.endpoints[1].cluster_exclusion == route_exclusion::not_serving_terminating);
    }
    SUBCASE("Local policy: remote, not ready, not serving") {
        const auto [eps, r] = find("iTP: Cluster, eTP: Local, with terminating endpoints");
        CHECK(eps[0].local_exclusion == route_exclusion::remote);
        CHECK(eps[1].local_exclusion == route_exclusion::not_serving_terminating);
        CHECK(eps[2].local_exclusion == std::nullopt);
        CHECK(eps[3].local_exclusion == route_exclusion::remote);
        CHECK(eps[1].cluster_exclusion == route_exclusion::not_ready);
        CHECK(eps[2].cluster_exclusion == route_exclusion::not_ready);
        const auto local_ready = find("internalTrafficPolicy: Local, some endpoints are local");
        CHECK(local_ready.endpoints[1].local_exclusion == route_exclusion::remote);
    }
}

TEST_CASE("topologyModeFromHints (derived): node hints before zone hints") {
    const auto row = [](std::string endpoint, std::string zone, std::vector<std::string> nodes,
                        bool ready = true) {
        return ep_row{std::move(endpoint), {std::move(zone)}, ready, ready, false, false,
                      std::move(nodes)};
    };
    categorize_case c{"node hints", "zone-a", false, false, 0, {}, {}, {}, {}};
    SUBCASE("every ready endpoint has a node hint and one names this node: same node only") {
        c.endpoints = {
            row("10.0.0.1:80", "zone-a", {"node-1"}), row("10.0.0.2:80", "zone-a", {"node-2"}),
            row("10.0.0.3:80", "zone-b", {"node-3"}), row("10.0.0.4:80", "zone-a", {}, false)};
        const auto [eps, r] = run(c);
        CHECK(r.topology == svcdisc::topology_decision{svcdisc::topology_mode::prefer_same_node,
                                                       svcdisc::hint_check::used,
                                                       svcdisc::hint_check::superseded});
        CHECK(pick(eps, r.cluster) == names{"10.0.0.1:80"});
        CHECK(eps[1].cluster_exclusion == route_exclusion::hinted_for_other_node);
        CHECK(eps[2].cluster_exclusion == route_exclusion::hinted_for_other_node);
        CHECK(eps[3].cluster_exclusion == route_exclusion::not_ready);
    }
    SUBCASE("no endpoint for this node: zone hints decide") {
        c.endpoints = {row("10.0.0.2:80", "zone-a", {"node-2"}),
                       row("10.0.0.3:80", "zone-b", {"node-3"})};
        const auto [eps, r] = run(c);
        CHECK(r.topology.mode == svcdisc::topology_mode::prefer_same_zone);
        CHECK(r.topology.node_hints == svcdisc::hint_check::none_for_this_node);
        CHECK(pick(eps, r.cluster) == names{"10.0.0.2:80"});
    }
    SUBCASE("an endpoint without node hint: zone hints decide") {
        c.endpoints = {row("10.0.0.1:80", "zone-a", {"node-1"}), row("10.0.0.3:80", "zone-b", {})};
        const auto [eps, r] = run(c);
        CHECK(r.topology.node_hints == svcdisc::hint_check::endpoint_without_hint);
        CHECK(pick(eps, r.cluster) == names{"10.0.0.1:80"});
    }
    SUBCASE("without the PreferSameTrafficDistribution gate node hints do not count") {
        c.endpoints = {row("10.0.0.1:80", "zone-a", {"node-1"}),
                       row("10.0.0.2:80", "zone-a", {"node-2"})};
        const auto [eps, r] = run(c, "node-1", false);
        CHECK(r.topology.node_hints == svcdisc::hint_check::gate_disabled);
        CHECK(r.topology.mode == svcdisc::topology_mode::prefer_same_zone);
        CHECK(pick(eps, r.cluster) == names{"10.0.0.1:80", "10.0.0.2:80"});
    }
}

// ---------------------------------------------------------------------------------------------
// From EndpointSlices (route)

namespace {

struct slice_ep {
    std::string address;
    std::optional<bool> ready = true;
    std::optional<bool> serving = std::nullopt;
    std::optional<bool> terminating = std::nullopt;
    std::optional<std::string> node = std::nullopt;
    std::optional<svcdisc::endpoint_hints> hints = std::nullopt;
};

svcdisc::endpoint_slice service_slice(std::string name, std::vector<slice_ep> eps,
                                      std::string address_type = "IPv4", std::int32_t port = 8080) {
    svcdisc::endpoint_slice slice;
    slice.metadata.name = std::move(name);
    slice.metadata.namespace_ = "ns";
    slice.metadata.labels =
        svcdisc::label_set{{std::string(svcdisc::endpoint_slice_keys::service_name_label), "svc"}};
    slice.address_type = std::move(address_type);
    slice.ports.push_back({std::string("http"), std::string("TCP"), port, std::nullopt});
    for (auto& e : eps) {
        svcdisc::endpoint ep;
        ep.addresses = {e.address};
        ep.conditions = {e.ready, e.serving, e.terminating};
        ep.node_name = e.node;
        ep.hints = e.hints;
        slice.endpoints.push_back(std::move(ep));
    }
    return slice;
}

} // namespace

TEST_CASE("route: endpoints of a service port from its slices (endpointslicecache)") {
    const auto svc = svcdisc_test::make_service();
    const std::vector<svcdisc::endpoint_slice> slices{
        service_slice("svc-b", {{"10.0.0.10"}, {"10.0.0.2", false}}),
        service_slice("svc-a", {{"10.0.0.3", std::nullopt}, {"010.000.000.004"}}),
        service_slice("svc-6", {{"fd00::1"}}, "IPv6"),
    };
    const auto r = svcdisc::route(svc, slices, "node-a", "zone-1");
    REQUIRE(r.proxied);
    REQUIRE(r.ports.size() == 1);
    const auto& port = r.ports[0];
    // Sorted by IP:port text; the IPv6 slice is for the other proxier; 010.000.000.004 is read
    // as Go parses it; an unset ready counts as ready.
    std::vector<std::string> all;
    for (const auto& ep : port.endpoints) {
        all.push_back(ep.endpoint);
    }
    CHECK(all == std::vector<std::string>{"10.0.0.10:8080", "10.0.0.2:8080", "10.0.0.3:8080",
                                          "10.0.0.4:8080"});
    CHECK(port.endpoints_for(svcdisc::traffic_kind::internal) ==
          std::vector<std::string>{"10.0.0.10:8080", "10.0.0.3:8080", "10.0.0.4:8080"});
    CHECK(port.endpoints[1].cluster_exclusion == route_exclusion::not_ready);
    CHECK(port.endpoints[0].slice == "svc-b");
    CHECK(port.endpoints_for(svcdisc::traffic_kind::external).empty());
    CHECK_FALSE(port.externally_accessible);
    // Slices may also be passed as pointers.
    const std::vector<const svcdisc::endpoint_slice*> pointers{&slices[0], &slices[1], &slices[2]};
    CHECK(svcdisc::route(svc, pointers, "node-a", "zone-1").ports.at(0).endpoints ==
          port.endpoints);
}

TEST_CASE("route: the IPv6 proxier, bracketed endpoints") {
    auto svc = svcdisc_test::make_service();
    svc.spec.ip_families = {"IPv4", "IPv6"};
    svc.spec.cluster_ips = {"10.96.0.10", "fd00:96::a"};
    const std::vector<svcdisc::endpoint_slice> slices{
        service_slice("svc-4", {{"10.0.0.1"}}),
        service_slice("svc-6", {{"fd00:0::0001"}}, "IPv6"),
    };
    svcdisc::route_options options;
    options.family = svcdisc::ip_family::ipv6;
    const auto r = svcdisc::route(svc, slices, "node-a", "", options);
    REQUIRE(r.proxied);
    CHECK(r.ports.at(0).endpoints_for(svcdisc::traffic_kind::internal) ==
          std::vector<std::string>{"[fd00::1]:8080"});
    svc.spec.ip_families = {"IPv4"};
    svc.spec.cluster_ips = {"10.96.0.10"};
    CHECK_FALSE(svcdisc::route(svc, slices, "node-a", "", options).proxied);
}

TEST_CASE("route: a Service kube-proxy does not proxy") {
    auto headless = svcdisc_test::make_service();
    headless.spec.cluster_ip = "None";
    CHECK_FALSE(svcdisc::route(headless, std::vector<svcdisc::endpoint_slice>{}, "n", "").proxied);
    auto external_name = svcdisc_test::make_service();
    external_name.spec.type = "ExternalName";
    CHECK_FALSE(
        svcdisc::route(external_name, std::vector<svcdisc::endpoint_slice>{}, "n", "").proxied);
}

TEST_CASE("route: slices of other Services, namespaces or ports do not count") {
    const auto svc = svcdisc_test::make_service();
    auto other_service = service_slice("other", {{"10.0.0.5"}});
    other_service.metadata.labels = svcdisc::label_set{
        {std::string(svcdisc::endpoint_slice_keys::service_name_label), "other"}};
    auto other_namespace = service_slice("svc-x", {{"10.0.0.6"}});
    other_namespace.metadata.namespace_ = "kube-system";
    auto udp = service_slice("svc-udp", {{"10.0.0.7"}});
    udp.ports[0].protocol = "UDP";
    auto unnamed_port = service_slice("svc-unnamed", {{"10.0.0.8"}});
    unnamed_port.ports[0].name.reset();
    auto zero_port = service_slice("svc-zero", {{"10.0.0.9"}}, "IPv4", 0);
    const std::vector<svcdisc::endpoint_slice> slices{
        other_service, other_namespace, udp,
        unnamed_port,  zero_port,       service_slice("svc-1", {{"10.0.0.1"}})};
    const auto r = svcdisc::route(svc, slices, "n", "");
    CHECK(r.ports.at(0).endpoints_for(svcdisc::traffic_kind::internal) ==
          std::vector<std::string>{"10.0.0.1:8080"});
}

TEST_CASE("route: one endpoint per IP:port, a terminating copy loses") {
    const auto svc = svcdisc_test::make_service();
    const std::vector<svcdisc::endpoint_slice> slices{
        service_slice("svc-a", {{"10.0.0.1", false, true, true, "old-node"}}),
        service_slice("svc-b", {{"10.0.0.1", true, true, false, "new-node"}}),
        service_slice("svc-c", {{"10.0.0.1", false, true, true, "older-node"}}),
    };
    const auto r = svcdisc::route(svc, slices, "n", "");
    const auto& port = r.ports.at(0);
    REQUIRE(port.endpoints.size() == 1);
    CHECK(port.endpoints[0].node_name == "new-node");
    CHECK(port.endpoints[0].ready);
    CHECK(port.shadowed.size() == 2);
}

TEST_CASE("route: internal and external traffic under the traffic policies") {
    auto svc = svcdisc_test::make_service();
    svc.spec.type = "NodePort";
    svc.spec.ports[0].node_port = 30080;
    const std::vector<svcdisc::endpoint_slice> slices{
        service_slice("svc-a", {{"10.0.0.1", true, std::nullopt, std::nullopt, "node-a"},
                                {"10.0.0.2", true, std::nullopt, std::nullopt, "node-b"}})};
    using svcdisc::traffic_kind;
    const auto routed = [&](std::string_view internal, std::string_view external) {
        svc.spec.internal_traffic_policy = std::string(internal);
        svc.spec.external_traffic_policy = std::string(external);
        return svcdisc::route(svc, slices, "node-a", "").ports.at(0);
    };
    const std::vector<std::string> both{"10.0.0.1:8080", "10.0.0.2:8080"};
    const std::vector<std::string> here{"10.0.0.1:8080"};
    const auto cluster = routed("Cluster", "Cluster");
    CHECK(cluster.endpoints_for(traffic_kind::internal) == both);
    CHECK(cluster.endpoints_for(traffic_kind::external) == both);
    const auto external_local = routed("Cluster", "Local");
    CHECK(external_local.endpoints_for(traffic_kind::internal) == both);
    CHECK(external_local.endpoints_for(traffic_kind::external) == here);
    CHECK(external_local.endpoints[1].local_exclusion == route_exclusion::remote);
    const auto internal_local = routed("Local", "Cluster");
    CHECK(internal_local.endpoints_for(traffic_kind::internal) == here);
    CHECK(internal_local.endpoints_for(traffic_kind::external) == both);

    // A ClusterIP Service without external IPs has no external traffic at all.
    auto plain = svcdisc_test::make_service();
    plain.spec.external_traffic_policy = "Local";
    const auto port = svcdisc::route(plain, slices, "node-a", "").ports.at(0);
    CHECK_FALSE(port.uses_local_endpoints);
    CHECK(port.endpoints_for(traffic_kind::external).empty());
    // External IPs of the family make it reachable from outside.
    plain.spec.external_ips = {"192.0.2.7"};
    const auto exposed = svcdisc::route(plain, slices, "node-a", "").ports.at(0);
    CHECK(exposed.externally_accessible);
    CHECK(exposed.endpoints_for(traffic_kind::external) == here);
}

TEST_CASE("route: hints from the slices, node hints only with the gate") {
    const auto svc = svcdisc_test::make_service();
    const auto hinted = [](std::string address, std::string zone, std::string node) {
        return slice_ep{
            std::move(address), true, std::nullopt,
            std::nullopt,       node, svcdisc::endpoint_hints{{std::move(zone)}, {node}}};
    };
    const std::vector<svcdisc::endpoint_slice> slices{service_slice(
        "svc-a", {hinted("10.0.0.1", "zone-1", "node-a"), hinted("10.0.0.2", "zone-1", "node-b"),
                  hinted("10.0.0.3", "zone-2", "node-c")})};
    const auto same_node = svcdisc::route(svc, slices, "node-a", "zone-1").ports.at(0);
    CHECK(same_node.topology.mode == svcdisc::topology_mode::prefer_same_node);
    CHECK(same_node.endpoints_for(svcdisc::traffic_kind::internal) ==
          std::vector<std::string>{"10.0.0.1:8080"});
    svcdisc::route_options gate_off;
    gate_off.prefer_same_traffic_distribution = false;
    const auto same_zone = svcdisc::route(svc, slices, "node-a", "zone-1", gate_off).ports.at(0);
    CHECK(same_zone.topology.mode == svcdisc::topology_mode::prefer_same_zone);
    CHECK(same_zone.endpoints[0].node_hints.empty());
    CHECK(same_zone.endpoints_for(svcdisc::traffic_kind::internal) ==
          std::vector<std::string>{"10.0.0.1:8080", "10.0.0.2:8080"});
    CHECK(same_zone.endpoints[2].cluster_exclusion == route_exclusion::hinted_for_other_zone);
}
