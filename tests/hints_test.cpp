#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/hints.hpp>

// Topology hints written by the EndpointSlice controller. Test names follow the upstream tests
// they restate (staging/src/k8s.io/endpointslice: topologycache_test.go TestAddHints and
// TestSetNodes, utils_test.go Test_redistributeHints, Test_getGivingAndReceivingZones and
// Test_getHintsByZone, sliceinfo_test.go Test_getTotalReadyEndpoints, trafficdist_test.go
// TestReconcileHints); cases marked "derived" follow from the code, not from an upstream test.

namespace {

namespace topo = svcdisc::detail::topology;
using svcdisc::endpoint;
using svcdisc::endpoint_slice;
using svcdisc::slices_to_write;

struct ep_spec {
    std::string address;
    std::optional<std::string> zone;
    std::optional<bool> ready = true;
    std::optional<std::string> node = std::nullopt;
    std::optional<svcdisc::endpoint_hints> hints = std::nullopt;
};

endpoint make_endpoint(const ep_spec& spec) {
    endpoint ep;
    ep.addresses = {spec.address};
    ep.zone = spec.zone;
    ep.conditions.ready = spec.ready;
    ep.node_name = spec.node;
    ep.hints = spec.hints;
    return ep;
}

endpoint_slice make_slice(const std::vector<ep_spec>& specs, std::string name = "") {
    endpoint_slice slice;
    slice.metadata.name = std::move(name);
    slice.address_type = "IPv4";
    for (const auto& spec : specs) {
        slice.endpoints.push_back(make_endpoint(spec));
    }
    return slice;
}

svcdisc::endpoint_hints zones(std::vector<std::string> names) {
    return {std::move(names), {}};
}

// One word per endpoint: `-` without hints, else the hinted zones joined by `+`, then
// `@node` per node hint.
std::vector<std::string> hints_of(const endpoint_slice& slice) {
    std::vector<std::string> out;
    for (const auto& ep : slice.endpoints) {
        if (!ep.hints) {
            out.emplace_back("-");
            continue;
        }
        std::string word;
        for (const auto& zone : ep.hints->for_zones) {
            word += (word.empty() ? "" : "+") + zone;
        }
        for (const auto& node : ep.hints->for_nodes) {
            word += "@" + node;
        }
        out.push_back(word.empty() ? "{}" : word);
    }
    return out;
}

using words = std::vector<std::string>;

svcdisc::node make_node(std::string name, std::optional<std::string> zone, std::string cpu,
                        std::string ready = "True") {
    svcdisc::node n;
    n.metadata.name = std::move(name);
    if (zone) {
        n.metadata.labels = svcdisc::label_set{{std::string(svcdisc::zone_label), *zone}};
    }
    n.conditions.push_back({"Ready", std::move(ready)});
    n.allocatable_cpu = std::move(cpu);
    return n;
}

svcdisc::node control_plane(svcdisc::node n) {
    n.metadata.labels.insert_or_assign("node-role.kubernetes.io/control-plane", "");
    return n;
}

topo::zone_map<double> ratios(std::vector<std::pair<std::string, double>> entries) {
    return {entries.begin(), entries.end()};
}

svcdisc::zone_capacity capacity_of(std::vector<std::pair<std::string, double>> entries) {
    svcdisc::zone_capacity capacity;
    capacity.ratios = ratios(std::move(entries));
    return capacity;
}

svcdisc::service auto_service() {
    svcdisc::service svc;
    svc.metadata.name = "svc";
    svc.metadata.namespace_ = "ns";
    svc.metadata.annotations =
        svcdisc::label_set{{std::string(svcdisc::topology_annotations::topology_mode), "Auto"}};
    return svc;
}

svcdisc::service distribution_service(std::string value) {
    svcdisc::service svc;
    svc.metadata.name = "svc";
    svc.metadata.namespace_ = "ns";
    svc.spec.traffic_distribution = std::move(value);
    return svc;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Zone capacity (TopologyCache.SetNodes)

TEST_CASE("TestSetNodes: zone ratios from ready worker Nodes") {
    using nodes = std::vector<svcdisc::node>;
    const auto ratios_of = [](const nodes& ns) {
        return svcdisc::compute_zone_capacity(ns).ratios;
    };

    SUBCASE("empty, a single Node, a single zone: no ratios") {
        CHECK(ratios_of({}).empty());
        CHECK(ratios_of({make_node("a1", "zone-a", "1000m")}).empty());
        CHECK(ratios_of({make_node("a1", "zone-a", "1000m"), make_node("a2", "zone-a", "1000m")})
                  .empty());
    }
    SUBCASE("2 zones") {
        const auto capacity = svcdisc::compute_zone_capacity(
            nodes{make_node("a1", "zone-a", "1000m"), make_node("b1", "zone-b", "1000m")});
        CHECK(capacity.ratios == ratios({{"zone-a", 0.5}, {"zone-b", 0.5}}));
        CHECK(capacity.millicpu_by_zone ==
              topo::zone_map<std::int64_t>{{"zone-a", 1000}, {"zone-b", 1000}});
        // Nodes may also be passed as pointers.
        const nodes owned{make_node("a1", "zone-a", "1000m"), make_node("b1", "zone-b", "1000m")};
        const std::vector<const svcdisc::node*> pointers{&owned[0], &owned[1]};
        CHECK(svcdisc::compute_zone_capacity(pointers) == capacity);
    }
    SUBCASE("2 zones, the only Node of one not ready or control plane: no ratios") {
        CHECK(ratios_of(
                  {make_node("a1", "zone-a", "1000m", "False"), make_node("b1", "zone-b", "1000m")})
                  .empty());
        CHECK(ratios_of({make_node("a1", "zone-a", "1000m"),
                         control_plane(make_node("b1", "zone-b", "1000m"))})
                  .empty());
    }
    SUBCASE("2 zones, a second Node in one not ready or control plane: left out") {
        const auto half = ratios({{"zone-a", 0.5}, {"zone-b", 0.5}});
        CHECK(ratios_of({make_node("a1", "zone-a", "1000m"), make_node("b1", "zone-b", "1000m"),
                         make_node("b2", "zone-b", "1000m", "False")}) == half);
        CHECK(ratios_of({make_node("a1", "zone-a", "1000m"), make_node("b1", "zone-b", "1000m"),
                         control_plane(make_node("b2", "zone-b", "1000m"))}) == half);
    }
    SUBCASE("3 zones, 4 Nodes in one, 2 in one, 1 in one") {
        const auto capacity = svcdisc::compute_zone_capacity(
            nodes{make_node("a1", "zone-a", "1000m"), make_node("a2", "zone-a", "1000m"),
                  make_node("a3", "zone-a", "1000m"), make_node("a4", "zone-a", "2000m"),
                  make_node("b1", "zone-b", "3000m"), make_node("b2", "zone-b", "1500m"),
                  make_node("c1", "zone-c", "500m")});
        CHECK(capacity.ratios == ratios({{"zone-a", 0.5}, {"zone-b", 0.45}, {"zone-c", 0.05}}));
        CHECK(capacity.millicpu_by_zone ==
              topo::zone_map<std::int64_t>{{"zone-a", 5000}, {"zone-b", 4500}, {"zone-c", 500}});
    }
}

TEST_CASE("SetNodes (derived): one ready worker Node without zone or CPU disables the cluster") {
    using nodes = std::vector<svcdisc::node>;
    const nodes base{make_node("a1", "zone-a", "1000m"), make_node("b1", "zone-b", "1000m")};
    auto without_zone = base;
    without_zone.push_back(make_node("x", std::nullopt, "1000m"));
    CHECK(svcdisc::compute_zone_capacity(without_zone).ratios.empty());
    auto empty_zone = base;
    empty_zone.push_back(make_node("x", "", "1000m"));
    CHECK(svcdisc::compute_zone_capacity(empty_zone).ratios.empty());
    auto no_cpu = base;
    no_cpu.push_back(make_node("x", "zone-a", ""));
    CHECK(svcdisc::compute_zone_capacity(no_cpu).ratios.empty());
    auto zero_cpu = base;
    zero_cpu.push_back(make_node("x", "zone-a", "0"));
    CHECK(svcdisc::compute_zone_capacity(zero_cpu).ratios.empty());
    // Excluded Nodes are skipped before their zone is looked at.
    auto harmless = base;
    harmless.push_back(make_node("x", std::nullopt, "1000m", "False"));
    harmless.push_back(control_plane(make_node("y", std::nullopt, "")));
    CHECK(svcdisc::compute_zone_capacity(harmless).ratios.size() == 2);
}

TEST_CASE("SetNodes (derived): CPU is summed exactly, then rounded up to millicores") {
    // 500u twice is exactly 1m; rounding each Node first would give 2m against 1m.
    const std::vector<svcdisc::node> nodes{make_node("a1", "zone-a", "500u"),
                                           make_node("a2", "zone-a", "500u"),
                                           make_node("b1", "zone-b", "1m")};
    const auto capacity = svcdisc::compute_zone_capacity(nodes);
    CHECK(capacity.millicpu_by_zone == topo::zone_map<std::int64_t>{{"zone-a", 1}, {"zone-b", 1}});
    CHECK(capacity.ratios == ratios({{"zone-a", 0.5}, {"zone-b", 0.5}}));
}

TEST_CASE("node_allocatable_millicpu reads Kubernetes quantities and rounds up like MilliValue") {
    const auto milli = [](std::string cpu) {
        return svcdisc::node_allocatable_millicpu(make_node("n", "z", std::move(cpu)));
    };
    CHECK(milli("4") == 4000);
    CHECK(milli("3500m") == 3500);
    CHECK(milli("1.5") == 1500);
    CHECK(milli("+2") == 2000);
    CHECK(milli("0.5m") == 1);
    CHECK(milli("100u") == 1);
    CHECK(milli("1n") == 1);
    CHECK(milli("0.1n") == 1); // the parser rounds up to a whole nano first
    CHECK(milli("1.0000000001") == 1001);
    CHECK(milli("2Ki") == 2'048'000);
    CHECK(milli("1.5Ki") == 1'536'000);
    CHECK(milli("1e3") == 1'000'000);
    CHECK(milli("15E-1") == 1500);
    CHECK(milli("1k") == 1'000'000);
    CHECK(milli("0") == 0);
    CHECK(milli("0.000") == 0);
    CHECK(milli("1E") == 9'223'372'036'855); // an exa-CPU saturates the nano-unit int64
    CHECK_FALSE(milli(""));
    CHECK_FALSE(milli("-1"));
    CHECK_FALSE(milli("abc"));
    CHECK_FALSE(milli("1ki"));
    CHECK_FALSE(milli("1 "));
    CHECK_FALSE(milli("1.2.3"));
    CHECK_FALSE(milli("1e"));
}

// ---------------------------------------------------------------------------------------------
// Allocation arithmetic

TEST_CASE("getAllocations (derived): minimum, maximum and desired per zone") {
    const auto result =
        topo::get_allocations(ratios({{"zone-a", 0.5}, {"zone-b", 0.45}, {"zone-c", 0.05}}), 20);
    REQUIRE_FALSE(result.problem);
    const auto& a = result.allocations;
    // desired = share × 20; minimum = ceil(desired / 1.2); maximum = minimum + (20 − 18).
    CHECK(a.at("zone-a").desired == 10.0);
    CHECK(a.at("zone-a").minimum == 9);
    CHECK(a.at("zone-a").maximum == 11);
    CHECK(a.at("zone-b").desired == 9.0);
    CHECK(a.at("zone-b").minimum == 8);
    CHECK(a.at("zone-b").maximum == 10);
    CHECK(a.at("zone-c").desired == 1.0);
    CHECK(a.at("zone-c").minimum == 1);
    CHECK(a.at("zone-c").maximum == 3);
}

TEST_CASE("getAllocations (derived): the problems, checked in upstream's order") {
    using problem = svcdisc::hint_reason;
    CHECK(topo::get_allocations({}, 10).problem == problem::insufficient_node_info);
    CHECK(topo::get_allocations(ratios({{"zone-a", 1.0}}), 10).problem ==
          problem::nodes_ready_in_one_zone_only);
    CHECK(topo::get_allocations(ratios({{"a", 0.3}, {"b", 0.4}, {"c", 0.3}}), 2).problem ==
          problem::insufficient_number_of_endpoints);
    // Three zones of equal CPU: the minimums ceil(N/3/1.2) fit N only for some N.
    const double third = 1000.0 / 3000.0;
    const auto equal = ratios({{"a", third}, {"b", third}, {"c", third}});
    for (std::size_t n = 3; n <= 13; ++n) {
        const bool fits = n != 4 && n != 5 && n != 8 && n != 11;
        CAPTURE(n);
        CHECK(topo::get_allocations(equal, n).problem ==
              (fits ? std::nullopt
                    : std::optional(problem::min_allocation_exceeds_overload_threshold)));
    }
}

TEST_CASE("Test_getGivingAndReceivingZones") {
    const auto run = [](std::vector<std::pair<std::string, double>> desired,
                        topo::zone_map<int> allocated) {
        topo::zone_map<topo::allocation> allocations;
        for (const auto& [zone, value] : desired) {
            allocations[zone].desired = value;
        }
        return topo::get_giving_and_receiving_zones(allocations, allocated);
    };
    using counts = topo::zone_map<int>;
    SUBCASE("empty") {
        const auto r = run({}, {});
        CHECK(r.giving.empty());
        CHECK(r.receiving.empty());
    }
    SUBCASE("simple allocation with no need for rebalancing") {
        const auto r = run({{"zone-a", 1.2}, {"zone-b", 1.1}, {"zone-c", 1.0}},
                           {{"zone-a", 1}, {"zone-b", 1}, {"zone-c", 1}});
        CHECK(r.giving.empty());
        CHECK(r.receiving.empty());
    }
    SUBCASE("preference for same zone even when giving an extra endpoint would be slightly "
            "better") {
        const auto r = run({{"zone-a", 5.1}, {"zone-b", 5.1}, {"zone-c", 5.8}}, {{"zone-a", 16}});
        CHECK(r.giving == counts{{"zone-a", 10}});
        CHECK(r.receiving == counts{{"zone-b", 5}, {"zone-c", 5}});
    }
    SUBCASE("when 2 zones need < 1 endpoint, give to zone that needs endpoint most") {
        const auto r = run({{"zone-a", 5.0}, {"zone-b", 5.6}, {"zone-c", 5.4}}, {{"zone-a", 16}});
        CHECK(r.giving == counts{{"zone-a", 11}});
        CHECK(r.receiving == counts{{"zone-b", 6}, {"zone-c", 5}});
    }
    SUBCASE("when 2 zones have extra endpoints, give from zone with most extra") {
        const auto r = run({{"zone-a", 5.0}, {"zone-b", 5.6}, {"zone-c", 5.4}},
                           {{"zone-b", 8}, {"zone-c", 8}});
        CHECK(r.giving == counts{{"zone-b", 2}, {"zone-c", 3}});
        CHECK(r.receiving == counts{{"zone-a", 5}});
    }
    SUBCASE("unexpected data: more allocated than allocations, negative allocations or "
            "negative allocated") {
        for (const auto& [desired, allocated] : std::vector<std::pair<double, counts>>{
                 {5.0, {{"zone-a", 6}, {"zone-b", 6}, {"zone-c", 6}}},
                 {-5.0, {{"zone-a", 6}, {"zone-b", 6}, {"zone-c", 6}}},
                 {5.0, {{"zone-a", -4}, {"zone-b", -3}, {"zone-c", -2}}}}) {
            const auto r =
                run({{"zone-a", desired}, {"zone-b", desired}, {"zone-c", desired}}, allocated);
            CHECK(r.giving.empty());
            CHECK(r.receiving.empty());
        }
    }
    SUBCASE("unexpected data: negative for 1 zone") {
        const auto r = run({{"zone-a", 5.0}, {"zone-b", 5.0}, {"zone-c", 5.0}},
                           {{"zone-a", -40}, {"zone-b", 20}, {"zone-c", 20}});
        CHECK(r.giving == counts{{"zone-b", 15}, {"zone-c", 15}});
        CHECK(r.receiving == counts{{"zone-a", 30}});
    }
}

TEST_CASE("Test_redistributeHints") {
    using counts = topo::zone_map<int>;
    const ep_spec a_hinted{"10.0.0.1", "zone-a", true, std::nullopt, zones({"zone-a"})};
    SUBCASE("empty") {
        CHECK(topo::redistribute_hints<std::string>({}, {}, {}).empty());
    }
    SUBCASE("single endpoint") {
        auto slice = make_slice({a_hinted});
        const auto changes =
            topo::redistribute_hints<std::string>({&slice}, {{"zone-a", 1}}, {{"zone-b", 1}});
        CHECK(changes == counts{{"zone-a", -1}, {"zone-b", 1}});
        CHECK(hints_of(slice) == words{"zone-b"});
    }
    SUBCASE("endpoints from 1 zone redistributed to 2 other zones") {
        auto slice = make_slice({a_hinted, a_hinted, a_hinted});
        const auto changes = topo::redistribute_hints<std::string>({&slice}, {{"zone-a", 2}},
                                                                   {{"zone-b", 1}, {"zone-c", 1}});
        CHECK(changes == counts{{"zone-a", -2}, {"zone-b", 1}, {"zone-c", 1}});
        // Receiving zones are served by name (upstream: Go map order).
        CHECK(hints_of(slice) == words{"zone-b", "zone-c", "zone-a"});
    }
}

TEST_CASE("Test_getHintsByZone") {
    using counts = topo::zone_map<int>;
    const auto with_maximum = [](std::vector<std::string> names, int maximum) {
        topo::zone_map<topo::allocation> allocations;
        for (auto& name : names) {
            allocations[name].maximum = maximum;
        }
        return allocations;
    };
    SUBCASE("empty") {
        CHECK(topo::get_hints_by_zone(endpoint_slice{}, {}, {}) == counts{});
    }
    SUBCASE("single zone hint, with 1 unready and 1 unknown endpoint ignored") {
        const auto slice =
            make_slice({{"10.0.0.1", "zone-a", true, std::nullopt, zones({"zone-a"})},
                        {"10.0.0.2", "zone-a", false, std::nullopt, zones({"zone-a"})},
                        {"10.0.0.3", "zone-a", std::nullopt, std::nullopt, zones({"zone-a"})}});
        CHECK(topo::get_hints_by_zone(slice, {{"zone-a", 1}}, with_maximum({"zone-a"}, 3)) ==
              counts{{"zone-a", 1}});
    }
    SUBCASE("multiple zone hints") {
        const auto slice =
            make_slice({{"10.0.0.1", "zone-a", true, std::nullopt, zones({"zone-a"})},
                        {"10.0.0.2", "zone-a", true, std::nullopt, zones({"zone-b"})},
                        {"10.0.0.3", "zone-b", true, std::nullopt, zones({"zone-b"})}});
        CHECK(topo::get_hints_by_zone(slice, {{"zone-a", 1}, {"zone-b", 1}, {"zone-c", 1}},
                                      with_maximum({"zone-a", "zone-b", "zone-c"}, 3)) ==
              counts{{"zone-a", 1}, {"zone-b", 2}});
    }
    SUBCASE("invalid: a zone that no longer requires any allocations") {
        const auto slice =
            make_slice({{"10.0.0.1", "zone-a", true, std::nullopt, zones({"zone-non-existent"})}});
        CHECK_FALSE(topo::get_hints_by_zone(slice, {{"zone-a", 1}}, with_maximum({"zone-a"}, 3)));
    }
    SUBCASE("invalid: endpoint with nil hints, or with no zone hints") {
        CHECK_FALSE(topo::get_hints_by_zone(make_slice({{"10.0.0.1", "zone-a"}}), {},
                                            with_maximum({"zone-a"}, 3)));
        CHECK_FALSE(topo::get_hints_by_zone(
            make_slice({{"10.0.0.1", "zone-a", true, std::nullopt, zones({})}}), {},
            with_maximum({"zone-a"}, 3)));
    }
    SUBCASE("invalid: hints that would make minimum allocations impossible") {
        const auto slice =
            make_slice({{"10.0.0.1", "zone-a", true, std::nullopt, zones({"zone-a"})},
                        {"10.0.0.2", "zone-a", true, std::nullopt, zones({"zone-a"})}});
        CHECK_FALSE(topo::get_hints_by_zone(slice, {{"zone-a", 1}}, with_maximum({"zone-a"}, 2)));
    }
}

TEST_CASE("Test_getTotalReadyEndpoints") {
    const auto slice_with = [](int ready, int unready) {
        std::vector<ep_spec> specs;
        for (int i = 0; i < ready + unready; ++i) {
            specs.push_back({"10.1.2." + std::to_string(i), std::nullopt, i < ready});
        }
        return make_slice(specs);
    };
    CHECK(topo::total_ready_endpoints(slices_to_write{}) == 0);
    CHECK(topo::total_ready_endpoints(slices_to_write{{slice_with(0, 0)}, {}, {}}) == 0);
    CHECK(topo::total_ready_endpoints(
              slices_to_write{{slice_with(15, 0), slice_with(8, 0)}, {}, {}}) == 23);
    CHECK(topo::total_ready_endpoints(slices_to_write{{slice_with(15, 0), slice_with(8, 0)},
                                                      {slice_with(2, 0)},
                                                      {slice_with(100, 0), slice_with(90, 0)}}) ==
          215);
    CHECK(topo::total_ready_endpoints(slices_to_write{{slice_with(15, 3), slice_with(5, 4)},
                                                      {slice_with(3, 8)},
                                                      {slice_with(98, 2), slice_with(90, 6)}}) ==
          211);
}

// ---------------------------------------------------------------------------------------------
// Auto (TopologyCache.AddHints through apply_topology_hints)

TEST_CASE("TestAddHints") {
    const auto svc = auto_service();
    const auto enabled = svcdisc::hint_event{"Normal", "TopologyAwareHintsEnabled",
                                             "Topology Aware Hints has been enabled, "
                                             "addressType: IPv4"};
    SUBCASE("empty, no zone ratios") {
        const auto r =
            svcdisc::apply_topology_hints(svc, "IPv4", slices_to_write{}, svcdisc::zone_capacity{});
        CHECK(r.mechanism == svcdisc::hint_mechanism::topology_auto);
        CHECK(r.reason == svcdisc::hint_reason::insufficient_node_info);
        CHECK(r.events ==
              std::vector<svcdisc::hint_event>{
                  {"Warning", "TopologyAwareHintsDisabled",
                   "Insufficient Node information: allocatable CPU or zone not specified on one "
                   "or more nodes, addressType: IPv4"}});
        CHECK(r.hints_by_zone.empty());
        CHECK_FALSE(r.auto_hints_populated);
    }
    SUBCASE("slice to create, no zone ratios") {
        const auto r = svcdisc::apply_topology_hints(
            svc, "IPv4", slices_to_write{{make_slice({{"10.1.2.3", "zone-a"}})}, {}, {}},
            svcdisc::zone_capacity{});
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"-"});
        CHECK(r.slices.to_update.empty());
        CHECK(r.reason == svcdisc::hint_reason::insufficient_node_info);
    }
    SUBCASE("slice to create with 2 endpoints, zone ratios require 3") {
        const auto r = svcdisc::apply_topology_hints(
            svc, "IPv4",
            slices_to_write{{make_slice({{"10.1.2.3", "zone-a"}, {"10.1.2.4", "zone-b"}})}, {}, {}},
            capacity_of({{"zone-a", 0.3}, {"zone-b", 0.4}, {"zone-c", 0.3}}));
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"-", "-"});
        CHECK(r.reason == svcdisc::hint_reason::insufficient_number_of_endpoints);
        CHECK(r.events == std::vector<svcdisc::hint_event>{
                              {"Warning", "TopologyAwareHintsDisabled",
                               "Insufficient number of endpoints (2 endpoints, 3 zones), "
                               "addressType: IPv4"}});
    }
    SUBCASE("slice to create with 2 endpoints, zone ratios only require 2") {
        const auto r = svcdisc::apply_topology_hints(
            svc, "IPv4",
            slices_to_write{{make_slice({{"10.1.2.3", "zone-a"}, {"10.1.2.4", "zone-b"}})}, {}, {}},
            capacity_of({{"zone-a", 0.45}, {"zone-b", 0.55}}));
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"zone-a", "zone-b"});
        CHECK(r.hints_by_zone == topo::zone_map<int>{{"zone-a", 1}, {"zone-b", 1}});
        CHECK(r.events == std::vector<svcdisc::hint_event>{enabled});
        CHECK(r.auto_hints_populated);
    }
    SUBCASE("slice to create with 2 ready, 1 unready, 1 unknown endpoints, ratios require 2") {
        const auto r = svcdisc::apply_topology_hints(
            svc, "IPv4",
            slices_to_write{{make_slice({{"10.1.2.3", "zone-a"},
                                         {"10.1.2.4", "zone-b"},
                                         {"10.1.2.5", "zone-b", false},
                                         {"10.1.2.6", "zone-b", std::nullopt}})},
                            {},
                            {}},
            capacity_of({{"zone-a", 0.45}, {"zone-b", 0.55}}));
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"zone-a", "zone-b", "-", "-"});
        CHECK(r.hints_by_zone == topo::zone_map<int>{{"zone-a", 1}, {"zone-b", 1}});
        CHECK(r.events == std::vector<svcdisc::hint_event>{enabled});
    }
    SUBCASE("slices to create and update within 3 zone threshold") {
        const auto r = svcdisc::apply_topology_hints(
            svc, "IPv4",
            slices_to_write{
                {make_slice({{"10.1.2.3", "zone-a"}, {"10.1.2.4", "zone-b"}}),
                 make_slice(
                     {{"10.1.3.3", "zone-c"}, {"10.1.3.4", "zone-c"}, {"10.1.3.4", "zone-a"}})},
                {make_slice({{"10.2.2.3", "zone-a"}, {"10.2.2.4", "zone-a"}}),
                 make_slice(
                     {{"10.2.3.3", "zone-b"}, {"10.2.3.4", "zone-c"}, {"10.2.3.4", "zone-a"}})},
                {}},
            capacity_of({{"zone-a", 0.35}, {"zone-b", 0.35}, {"zone-c", 0.30}}));
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"zone-b", "zone-b"});
        CHECK(hints_of(r.slices.to_create.at(1)) == words{"zone-c", "zone-c", "zone-a"});
        CHECK(hints_of(r.slices.to_update.at(0)) == words{"zone-a", "zone-a"});
        CHECK(hints_of(r.slices.to_update.at(1)) == words{"zone-b", "zone-c", "zone-a"});
        CHECK(r.hints_by_zone == topo::zone_map<int>{{"zone-a", 4}, {"zone-b", 3}, {"zone-c", 3}});
        CHECK(r.events == std::vector<svcdisc::hint_event>{enabled});
    }
}

TEST_CASE("AddHints (derived): surplus zones hand endpoints to deficit zones in walk order") {
    const auto svc = auto_service();
    SUBCASE("two equal zones, four ready endpoints all in zone-a") {
        const auto r =
            svcdisc::apply_topology_hints(svc, "IPv4",
                                          slices_to_write{{make_slice({{"10.0.0.1", "zone-a"},
                                                                       {"10.0.0.2", "zone-a"},
                                                                       {"10.0.0.3", "zone-a"},
                                                                       {"10.0.0.4", "zone-a"}})},
                                                          {},
                                                          {}},
                                          capacity_of({{"zone-a", 0.5}, {"zone-b", 0.5}}));
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"zone-b", "zone-b", "zone-a", "zone-a"});
        CHECK(r.hints_by_zone == topo::zone_map<int>{{"zone-a", 2}, {"zone-b", 2}});
    }
    SUBCASE("shares 0.5 / 0.45 / 0.05, twenty endpoints: a 8, b 8, c 4") {
        std::vector<ep_spec> specs;
        for (int i = 0; i < 20; ++i) {
            const char* zone = i < 8 ? "zone-a" : i < 16 ? "zone-b" : "zone-c";
            specs.push_back({"10.0.0." + std::to_string(i), zone});
        }
        const auto r = svcdisc::apply_topology_hints(
            svc, "IPv4", slices_to_write{{make_slice(specs)}, {}, {}},
            capacity_of({{"zone-a", 0.5}, {"zone-b", 0.45}, {"zone-c", 0.05}}));
        const auto h = hints_of(r.slices.to_create.at(0));
        CHECK(words(h.begin() + 16, h.end()) == words{"zone-a", "zone-a", "zone-b", "zone-c"});
        CHECK(r.hints_by_zone == topo::zone_map<int>{{"zone-a", 10}, {"zone-b", 9}, {"zone-c", 1}});
    }
    SUBCASE("a ready endpoint without zone removes every hint") {
        const auto r = svcdisc::apply_topology_hints(
            svc, "IPv4",
            slices_to_write{
                {make_slice(
                    {{"10.0.0.1", "zone-a"}, {"10.0.0.2", "zone-b"}, {"10.0.0.3", std::nullopt}})},
                {},
                {make_slice({{"10.0.1.1", "zone-a", true, std::nullopt, zones({"zone-a"})}},
                            "hinted")}},
            capacity_of({{"zone-a", 0.5}, {"zone-b", 0.5}}));
        CHECK(r.reason == svcdisc::hint_reason::no_zone_specified);
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"-", "-", "-"});
        REQUIRE(r.slices.to_update.size() == 1);
        CHECK(r.slices.to_update[0].metadata.name == "hinted");
        CHECK(hints_of(r.slices.to_update[0]) == words{"-"});
        CHECK(r.events.at(0).message ==
              "One or more endpoints do not have a zone specified, addressType: IPv4");
    }
    SUBCASE("allocation needs more endpoints than the minimums leave") {
        const auto r = svcdisc::apply_topology_hints(
            svc, "IPv6",
            slices_to_write{
                {make_slice({{"::1", "a"}, {"::2", "b"}, {"::3", "c"}, {"::4", "a"}})}, {}, {}},
            capacity_of({{"a", 1.0 / 3}, {"b", 1.0 / 3}, {"c", 1.0 / 3}}));
        CHECK(r.reason == svcdisc::hint_reason::min_allocation_exceeds_overload_threshold);
        CHECK(r.events.at(0).message ==
              "Unable to allocate minimum required endpoints to each zone without exceeding "
              "overload threshold (4 endpoints, 3 zones), addressType: IPv6");
    }
}

TEST_CASE("getAllocatedHintsByZone (derived): unchanged slices keep hints that still fit") {
    const auto svc = auto_service();
    const auto capacity = capacity_of({{"zone-a", 0.5}, {"zone-b", 0.5}});
    const auto hinted = [](std::string address, std::string zone, std::string hint) {
        return ep_spec{std::move(address), std::move(zone), true, std::nullopt, zones({hint})};
    };
    // Four ready endpoints: minimum 2 per zone, maximum 2.
    const auto r = svcdisc::apply_topology_hints(
        svc, "IPv4",
        slices_to_write{{},
                        {},
                        {make_slice({hinted("10.0.0.1", "zone-a", "zone-a"),
                                     hinted("10.0.0.2", "zone-b", "zone-b")},
                                    "fits"),
                         make_slice({hinted("10.0.0.3", "zone-a", "zone-a"),
                                     hinted("10.0.0.4", "zone-a", "zone-a")},
                                    "too-many-for-zone-a")}},
        capacity);
    REQUIRE(r.slices.unchanged.size() == 1);
    CHECK(r.slices.unchanged[0].metadata.name == "fits");
    REQUIRE(r.slices.to_update.size() == 1);
    CHECK(r.slices.to_update[0].metadata.name == "too-many-for-zone-a");
    CHECK(hints_of(r.slices.to_update[0]) == words{"zone-b", "zone-a"});
    CHECK(r.hints_by_zone == topo::zone_map<int>{{"zone-a", 2}, {"zone-b", 2}});
}

TEST_CASE("AddHints (derived): a not-ready endpoint keeps its hints, as upstream clears a copy") {
    const auto r = svcdisc::apply_topology_hints(
        auto_service(), "IPv4",
        slices_to_write{
            {},
            {make_slice({{"10.0.0.1", "zone-a"},
                         {"10.0.0.2", "zone-b"},
                         {"10.0.0.3", "zone-b", false, std::nullopt, zones({"zone-c"})}})},
            {}},
        capacity_of({{"zone-a", 0.5}, {"zone-b", 0.5}}));
    CHECK(hints_of(r.slices.to_update.at(0)) == words{"zone-a", "zone-b", "zone-c"});
}

TEST_CASE("apply_topology_hints takes the zone capacity from Nodes") {
    const std::vector<svcdisc::node> nodes{make_node("a1", "zone-a", "2"),
                                           make_node("b1", "zone-b", "2000m")};
    const auto r = svcdisc::apply_topology_hints(
        auto_service(), "IPv4",
        slices_to_write{{make_slice({{"10.0.0.1", "zone-a"}, {"10.0.0.2", "zone-b"}})}, {}, {}},
        nodes);
    CHECK(r.reason == svcdisc::hint_reason::topology_mode_auto);
    CHECK(hints_of(r.slices.to_create.at(0)) == words{"zone-a", "zone-b"});
}

// ---------------------------------------------------------------------------------------------
// trafficDistribution (trafficdist.ReconcileHints through apply_topology_hints)

TEST_CASE("TestReconcileHints") {
    SUBCASE("should set zone hints with PreferClose") {
        const auto r = svcdisc::apply_topology_hints(
            distribution_service("PreferClose"), "IPv4",
            slices_to_write{{make_slice({{"10.0.0.1", "zone-a", true, "node-1"},
                                         {"10.0.0.2", "zone-b", true, "node-2"}}),
                             make_slice({{"10.0.0.3", "zone-a", true, "node-3"},
                                         {"10.0.0.4", "zone-b", true, "node-4"}})},
                            {make_slice({{"10.0.0.5", "zone-a", true, "node-5"},
                                         {"10.0.0.6", "zone-a", true, "node-6"}}),
                             make_slice({{"10.0.0.7", "zone-b", true, "node-7"},
                                         {"10.0.0.8", "zone-c", true, "node-8"}})},
                            {}},
            svcdisc::zone_capacity{});
        CHECK(r.mechanism == svcdisc::hint_mechanism::traffic_distribution);
        CHECK(r.reason == svcdisc::hint_reason::traffic_distribution);
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"zone-a", "zone-b"});
        CHECK(hints_of(r.slices.to_create.at(1)) == words{"zone-a", "zone-b"});
        CHECK(hints_of(r.slices.to_update.at(0)) == words{"zone-a", "zone-a"});
        CHECK(hints_of(r.slices.to_update.at(1)) == words{"zone-b", "zone-c"});
        CHECK(r.events.empty());
    }
    SUBCASE("should correct incorrect hints with PreferClose") {
        const auto r = svcdisc::apply_topology_hints(
            distribution_service("PreferClose"), "IPv4",
            slices_to_write{
                {},
                {make_slice({{"10.0.0.1", "zone-a", true, "node-1", zones({"zone-b"})}})},
                {make_slice({{"10.0.0.2", "zone-b", true, "node-2", zones({"zone-c"})}}),
                 make_slice({{"10.0.0.3", "zone-c", true, "node-3"}})}},
            svcdisc::zone_capacity{});
        REQUIRE(r.slices.to_update.size() == 3);
        CHECK(hints_of(r.slices.to_update[0]) == words{"zone-a"});
        CHECK(hints_of(r.slices.to_update[1]) == words{"zone-b"});
        CHECK(hints_of(r.slices.to_update[2]) == words{"zone-c"});
        CHECK(r.slices.unchanged.empty());
    }
    SUBCASE("unready endpoints should not trigger updates") {
        const auto r = svcdisc::apply_topology_hints(
            distribution_service("PreferClose"), "IPv4",
            slices_to_write{{}, {}, {make_slice({{"10.0.0.2", "zone-b", false, "node-2"}})}},
            svcdisc::zone_capacity{});
        CHECK(r.slices.to_update.empty());
        REQUIRE(r.slices.unchanged.size() == 1);
        CHECK(hints_of(r.slices.unchanged[0]) == words{"-"});
    }
    SUBCASE("should remove hints when trafficDistribution is unrecognized") {
        const auto r = svcdisc::apply_topology_hints(
            distribution_service("Unknown"), "IPv4",
            slices_to_write{
                {make_slice({{"10.0.0.1", "zone-a", true, "node-1", zones({"zone-a"})},
                             {"10.0.0.2", "zone-b", true, "node-2", zones({"zone-b"})}}),
                 make_slice({{"10.0.0.3", "zone-a", true, "node-3", zones({"zone-a"})}})},
                {make_slice({{"10.0.0.5", "zone-a", true, "node-5", zones({"zone-a"})}})},
                {}},
            svcdisc::zone_capacity{});
        CHECK(r.mechanism == svcdisc::hint_mechanism::none);
        CHECK(r.reason == svcdisc::hint_reason::unknown_traffic_distribution);
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"-", "-"});
        CHECK(hints_of(r.slices.to_create.at(1)) == words{"-"});
        CHECK(hints_of(r.slices.to_update.at(0)) == words{"-"});
    }
    SUBCASE("should remove hints when trafficDistribution is unset") {
        svcdisc::service unset = distribution_service("");
        unset.spec.traffic_distribution.reset();
        const auto removed = svcdisc::apply_topology_hints(
            unset, "IPv4",
            slices_to_write{
                {},
                {make_slice({{"10.0.0.5", "zone-a", true, "node-5", zones({"zone-a"})}})},
                {make_slice({{"10.0.0.6", "zone-b", true, "node-6", zones({"zone-b"})}},
                            "unchanged-with-hints")}},
            svcdisc::zone_capacity{});
        CHECK(removed.reason == svcdisc::hint_reason::not_requested);
        REQUIRE(removed.slices.to_update.size() == 2);
        CHECK(hints_of(removed.slices.to_update[0]) == words{"-"});
        CHECK(removed.slices.to_update[1].metadata.name == "unchanged-with-hints");
        CHECK(hints_of(removed.slices.to_update[1]) == words{"-"});
        CHECK(removed.slices.unchanged.empty());
    }
}

TEST_CASE("ReconcileHints (derived): PreferSameZone and PreferSameNode") {
    const auto run = [](std::string value, std::vector<ep_spec> specs,
                        svcdisc::hint_gates gates = {}) {
        return svcdisc::apply_topology_hints(distribution_service(std::move(value)), "IPv4",
                                             slices_to_write{{make_slice(specs)}, {}, {}},
                                             svcdisc::zone_capacity{}, {gates, false});
    };
    SUBCASE("PreferSameZone: own zone; no zone, no hint; not ready, untouched") {
        const auto r = run("PreferSameZone", {{"10.0.0.1", "zone-1", true, "node-a"},
                                              {"10.0.0.3", std::nullopt, true, "node-c"},
                                              {"10.0.0.4", "zone-1", false, "node-a"}});
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"zone-1", "-", "-"});
    }
    SUBCASE("PreferSameNode: zone and node; node only when the endpoint has no zone") {
        const auto r = run("PreferSameNode", {{"10.0.0.1", "zone-1", true, "node-a"},
                                              {"10.0.0.2", std::nullopt, true, "node-x"},
                                              {"10.0.0.3", std::nullopt, true, std::nullopt}});
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"zone-1@node-a", "@node-x", "-"});
    }
    SUBCASE("an unchanged slice with a stale node hint is rewritten under PreferSameZone") {
        const auto r = svcdisc::apply_topology_hints(
            distribution_service("PreferSameZone"), "IPv4",
            slices_to_write{{},
                            {},
                            {make_slice({{"10.0.0.1", "zone-1", true, "node-a",
                                          svcdisc::endpoint_hints{{"zone-1"}, {"node-a"}}}})}},
            svcdisc::zone_capacity{});
        REQUIRE(r.slices.to_update.size() == 1);
        CHECK(hints_of(r.slices.to_update[0]) == words{"zone-1"});
    }
    SUBCASE("without the PreferSameTrafficDistribution gate the new values remove hints") {
        svcdisc::hint_gates gates;
        gates.prefer_same_traffic_distribution = false;
        const auto r = run("PreferSameNode",
                           {{"10.0.0.1", "zone-1", true, "node-a", zones({"zone-1"})}}, gates);
        CHECK(r.reason == svcdisc::hint_reason::traffic_distribution_gate_off);
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"-"});
        CHECK(run("PreferClose", {{"10.0.0.1", "zone-1"}}, gates).reason ==
              svcdisc::hint_reason::traffic_distribution);
    }
    SUBCASE("without the ServiceTrafficDistribution gate no value counts") {
        svcdisc::hint_gates gates;
        gates.service_traffic_distribution = false;
        const auto r = run("PreferClose", {{"10.0.0.1", "zone-1"}}, gates);
        CHECK(r.reason == svcdisc::hint_reason::traffic_distribution_gate_off);
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"-"});
    }
}

// ---------------------------------------------------------------------------------------------
// Which mechanism wins (reconcileByAddressType)

TEST_CASE("reconcileByAddressType: Auto wins over trafficDistribution; the deprecated annotation "
          "wins over topology-mode") {
    const auto capacity = capacity_of({{"zone-a", 0.5}, {"zone-b", 0.5}});
    const auto slices = [] {
        return slices_to_write{{make_slice({{"10.0.0.1", "zone-a", true, "node-1"},
                                            {"10.0.0.2", "zone-a", true, "node-2"}})},
                               {},
                               {}};
    };
    SUBCASE("topology-mode Auto and PreferSameNode: Auto, no node hints") {
        auto svc = auto_service();
        svc.spec.traffic_distribution = "PreferSameNode";
        const auto r = svcdisc::apply_topology_hints(svc, "IPv4", slices(), capacity);
        CHECK(r.mechanism == svcdisc::hint_mechanism::topology_auto);
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"zone-b", "zone-a"});
    }
    SUBCASE("topology-aware-hints Disabled beside topology-mode Auto: the field decides") {
        auto svc = distribution_service("PreferClose");
        svc.metadata.annotations = svcdisc::label_set{
            {std::string(svcdisc::topology_annotations::topology_aware_hints), "Disabled"},
            {std::string(svcdisc::topology_annotations::topology_mode), "Auto"}};
        CHECK_FALSE(svcdisc::topology_mode_auto(svc));
        const auto r = svcdisc::apply_topology_hints(svc, "IPv4", slices(), capacity);
        CHECK(r.mechanism == svcdisc::hint_mechanism::traffic_distribution);
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"zone-a", "zone-a"});
    }
    SUBCASE("only Auto and auto request hints") {
        for (const char* value : {"Auto", "auto"}) {
            svcdisc::service svc;
            svc.metadata.annotations = svcdisc::label_set{
                {std::string(svcdisc::topology_annotations::topology_aware_hints), value}};
            CHECK(svcdisc::topology_mode_auto(svc));
        }
        for (const char* value : {"", "Disabled", "AUTO", "PreferZone", "example.com/x"}) {
            svcdisc::service svc;
            svc.metadata.annotations = svcdisc::label_set{
                {std::string(svcdisc::topology_annotations::topology_mode), value}};
            CHECK_FALSE(svcdisc::topology_mode_auto(svc));
        }
    }
    SUBCASE("Auto with the TopologyAwareHints gate off: no hints at all, field ignored") {
        auto svc = auto_service();
        svc.spec.traffic_distribution = "PreferClose";
        svcdisc::hint_options options;
        options.gates.topology_aware_hints = false;
        auto input = slices();
        input.to_create[0].endpoints[0].hints = zones({"zone-a"});
        const auto r =
            svcdisc::apply_topology_hints(svc, "IPv4", std::move(input), capacity, options);
        CHECK(r.mechanism == svcdisc::hint_mechanism::none);
        CHECK(r.reason == svcdisc::hint_reason::topology_aware_hints_gate_off);
        CHECK(hints_of(r.slices.to_create.at(0)) == words{"-", "-"});
    }
}

TEST_CASE("reconcileByAddressType: the topology cache's events follow the Service over syncs") {
    const auto capacity = capacity_of({{"zone-a", 0.5}, {"zone-b", 0.5}});
    const auto slices = [] {
        return slices_to_write{
            {make_slice({{"10.0.0.1", "zone-a"}, {"10.0.0.2", "zone-b"}})}, {}, {}};
    };
    const auto first = svcdisc::apply_topology_hints(auto_service(), "IPv4", slices(), capacity);
    CHECK(first.events.size() == 1);
    CHECK(first.auto_hints_populated);

    const auto again = svcdisc::apply_topology_hints(auto_service(), "IPv4", slices(), capacity,
                                                     {{}, first.auto_hints_populated});
    CHECK(again.events.empty());

    auto plain = auto_service();
    plain.metadata.annotations = {};
    const auto left = svcdisc::apply_topology_hints(plain, "IPv4", slices(), capacity,
                                                    {{}, again.auto_hints_populated});
    CHECK(left.events == std::vector<svcdisc::hint_event>{
                             {"Warning", "TopologyAwareHintsDisabled",
                              "Topology Aware Hints has been disabled, addressType: IPv4"}});
    CHECK_FALSE(left.auto_hints_populated);
    CHECK(hints_of(left.slices.to_create.at(0)) == words{"-", "-"});
}
