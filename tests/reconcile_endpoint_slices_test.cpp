#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/derive_endpoint_slices.hpp>

#include "spec_fixtures.hpp"

// Incremental reconcile against existing slices: scenarios ES16–ES19 of docs/scenarios.md and
// the steps of reconciler.reconcileByPortMapping / finalize (docs/endpoint-slices.md: prune and
// refresh, top up, fill the unchanged slice closest to full, create, delete, placeholder, name
// recycling).

namespace {

using svcdisc::endpoint_slice;
using slices = std::vector<endpoint_slice>;
using svcdisc_test::make_service;

// Pod pN of the scenario fixture, with IP 10.0.(N/256).(N%256).
svcdisc::pod make_pod(int n) {
    return svcdisc_test::make_pod(n, "10.0." + std::to_string(n / 256) + "." +
                                         std::to_string(n % 256));
}

std::vector<svcdisc::pod> pod_range(int first, int last) {
    std::vector<svcdisc::pod> pods;
    for (int i = first; i < last; ++i) {
        pods.push_back(make_pod(i));
    }
    return pods;
}

std::vector<svcdisc::pod> join(std::vector<svcdisc::pod> a, const std::vector<svcdisc::pod>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

const std::vector<svcdisc::node>& nodes() {
    static const std::vector<svcdisc::node> list = [] {
        svcdisc::node n;
        n.metadata.name = "node-a";
        n.metadata.labels = {{"topology.kubernetes.io/zone", "zone-1"}};
        return std::vector<svcdisc::node>{n};
    }();
    return list;
}

// An existing slice as the controller wrote it earlier, holding exactly these pods.
endpoint_slice existing_slice(const std::string& name, const std::vector<svcdisc::pod>& pods,
                              const svcdisc::service& s = make_service()) {
    auto derived =
        svcdisc::derive_endpoint_slices(s, pods, nodes(), {.max_endpoints_per_slice = 1000});
    REQUIRE(derived.size() == 1);
    derived[0].metadata.name = name;
    derived[0].metadata.resource_version = "7";
    return derived[0];
}

svcdisc::endpoint_slice_changes reconcile(const svcdisc::service& s,
                                          const std::vector<svcdisc::pod>& pods,
                                          const slices& existing,
                                          const svcdisc::endpoint_slice_options& options = {}) {
    return svcdisc::reconcile_endpoint_slices(s, pods, nodes(), existing, options);
}

std::set<std::string> pod_names(const endpoint_slice& s) {
    std::set<std::string> names;
    for (const auto& e : s.endpoints) {
        names.insert(e.target_ref->name);
    }
    return names;
}

std::set<std::string> pod_names(const std::vector<svcdisc::pod>& pods) {
    std::set<std::string> names;
    for (const auto& p : pods) {
        names.insert(p.metadata.name);
    }
    return names;
}

std::vector<std::string> names_of(const slices& list) {
    std::vector<std::string> names;
    for (const auto& s : list) {
        names.push_back(s.metadata.name);
    }
    return names;
}

bool no_changes(const svcdisc::endpoint_slice_changes& changes) {
    return changes.to_create.empty() && changes.to_update.empty() && changes.to_delete.empty();
}

} // namespace

using strings = std::vector<std::string>;

TEST_CASE("ES16 new endpoints fill the unchanged slice that ends up closest to full") {
    const slices existing{existing_slice("svc-aaaaa", pod_range(0, 100)),
                          existing_slice("svc-bbbbb", pod_range(100, 160))};
    const auto changes = reconcile(make_service(), pod_range(0, 165), existing);
    CHECK(changes.to_create.empty());
    CHECK(changes.to_delete.empty());
    REQUIRE(changes.to_update.size() == 1);
    const auto& b = changes.to_update[0];
    CHECK(b.metadata.name == "svc-bbbbb");
    CHECK(b.endpoints.size() == 65);
    CHECK(pod_names(b) == pod_names(pod_range(100, 165)));
    // The slice keeps its endpoints in place and appends the new ones.
    CHECK(std::equal(existing[1].endpoints.begin(), existing[1].endpoints.end(),
                     b.endpoints.begin()));
    CHECK(b.metadata.resource_version == "7");
}

TEST_CASE("ES17 a slice that lost a pod is topped up first; the rest goes to a new slice") {
    const slices existing{existing_slice("svc-aaaaa", pod_range(0, 100)),
                          existing_slice("svc-bbbbb", pod_range(100, 200))};
    std::vector<svcdisc::pod> pods = join(pod_range(0, 5), pod_range(6, 203));
    const auto changes = reconcile(make_service(), pods, existing);
    CHECK(changes.to_delete.empty());
    REQUIRE(changes.to_update.size() == 1);
    const auto& a = changes.to_update[0];
    CHECK(a.metadata.name == "svc-aaaaa");
    CHECK(a.endpoints.size() == 100);
    CHECK_FALSE(pod_names(a).contains("p5"));
    REQUIRE(changes.to_create.size() == 1);
    const auto& created = changes.to_create[0];
    CHECK(created.endpoints.size() == 2);
    CHECK(created.metadata.name.substr(0, 4) == "svc-");
    // The three new pods are split between the two slices.
    std::set<std::string> fresh = pod_names(created);
    for (const auto& name : pod_names(a)) {
        if (name == "p200" || name == "p201" || name == "p202") {
            fresh.insert(name);
        }
    }
    CHECK(fresh == std::set<std::string>{"p200", "p201", "p202"});
}

TEST_CASE("ES18 when every pod is gone the last slice becomes the placeholder, same name") {
    const slices existing{existing_slice("svc-aaaaa", pod_range(0, 10))};
    const auto changes = reconcile(make_service(), {}, existing);
    CHECK(changes.to_create.empty());
    CHECK(changes.to_delete.empty());
    REQUIRE(changes.to_update.size() == 1);
    const auto& a = changes.to_update[0];
    CHECK(a.metadata.name == "svc-aaaaa");
    CHECK(a.address_type == "IPv4");
    CHECK(a.ports.empty());
    CHECK(a.endpoints.empty());
    CHECK(a.metadata.owner_references.size() == 1);
}

TEST_CASE("ES19 a slice of an address type the Service no longer has is deleted") {
    svcdisc::service dual = make_service();
    dual.spec.ip_families = {"IPv6"};
    dual.spec.cluster_ip = "fd00:96::10";
    svcdisc::pod v6 = make_pod(1);
    v6.status.pod_ips = {"fd00::1"};
    const slices existing{existing_slice("svc-v6aaa", {v6}, dual)};
    REQUIRE(existing[0].address_type == "IPv6");

    const auto changes = reconcile(make_service(), {make_pod(1)}, existing);
    CHECK(names_of(changes.to_delete) == strings{"svc-v6aaa"});
    CHECK(changes.to_update.empty());
    REQUIRE(changes.to_create.size() == 1);
    CHECK(changes.to_create[0].address_type == "IPv4");
    CHECK(pod_names(changes.to_create[0]) == std::set<std::string>{"p1"});
}

TEST_CASE("reconcileByPortMapping: slices that already match need no change") {
    const auto pods = pod_range(0, 250);
    const auto derived = svcdisc::derive_endpoint_slices(make_service(), pods, nodes());
    CHECK(no_changes(reconcile(make_service(), pods, derived)));
    const auto placeholder =
        svcdisc::derive_endpoint_slices(make_service(), pod_range(0, 0), nodes());
    CHECK(no_changes(reconcile(make_service(), {}, placeholder)));
}

TEST_CASE("reconciler.Reconcile: derive_endpoint_slices is reconcile without existing slices") {
    const auto pods = pod_range(0, 120);
    CHECK(reconcile(make_service(), pods, {}).to_create ==
          svcdisc::derive_endpoint_slices(make_service(), pods, nodes()));
}

TEST_CASE("reconcileByPortMapping: a changed endpoint updates its slice in place") {
    const slices existing{existing_slice("svc-aaaaa", pod_range(0, 3))};
    auto pods = pod_range(0, 3);
    pods[1].status.conditions = {{"Ready", "False"}};
    const auto changes = reconcile(make_service(), pods, existing);
    CHECK(changes.to_create.empty());
    CHECK(changes.to_delete.empty());
    REQUIRE(changes.to_update.size() == 1);
    const auto& e = changes.to_update[0].endpoints[1];
    CHECK(e.target_ref->name == "p1");
    CHECK(e.conditions == svcdisc::endpoint_conditions{false, false, false});
}

TEST_CASE("EndpointsEqualBeyondHash: a targetRef differing only in resourceVersion is no change") {
    slices existing{existing_slice("svc-aaaaa", pod_range(0, 2))};
    existing[0].endpoints[0].target_ref->resource_version = "42";
    CHECK(no_changes(reconcile(make_service(), pod_range(0, 2), existing)));
}

TEST_CASE(
    "reconcileByPortMapping: a slice whose endpoints are all gone is deleted when others remain") {
    const slices existing{existing_slice("svc-aaaaa", pod_range(0, 3)),
                          existing_slice("svc-bbbbb", pod_range(3, 6))};
    const auto changes = reconcile(make_service(), pod_range(0, 3), existing);
    CHECK(changes.to_create.empty());
    CHECK(changes.to_update.empty());
    CHECK(names_of(changes.to_delete) == strings{"svc-bbbbb"});
}

TEST_CASE(
    "getSliceToFill: the unchanged slice chosen is the one closest to full after taking all") {
    const slices existing{existing_slice("svc-a", pod_range(0, 50)),
                          existing_slice("svc-b", pod_range(50, 140)),
                          existing_slice("svc-c", pod_range(140, 235))};
    auto changes = reconcile(make_service(), pod_range(0, 240), existing);
    REQUIRE(changes.to_update.size() == 1);
    CHECK(changes.to_update[0].metadata.name == "svc-c");
    CHECK(changes.to_update[0].endpoints.size() == 100);

    changes = reconcile(make_service(), pod_range(0, 242), existing);
    REQUIRE(changes.to_update.size() == 1);
    CHECK(changes.to_update[0].metadata.name == "svc-b");
    CHECK(changes.to_update[0].endpoints.size() == 97);
    CHECK(changes.to_create.empty());
}

TEST_CASE("reconcileByPortMapping: with max or more endpoints left, new slices are created") {
    const slices existing{existing_slice("svc-a", pod_range(0, 10))};
    const auto changes =
        reconcile(make_service(), pod_range(0, 14), existing, {.max_endpoints_per_slice = 4});
    // 4 new endpoints = max: no unchanged slice is considered; one new full slice.
    CHECK(changes.to_update.empty());
    REQUIRE(changes.to_create.size() == 1);
    CHECK(changes.to_create[0].endpoints.size() == 4);
}

TEST_CASE("setEndpointSliceLabels: changed Service labels update the slice's labels only") {
    const slices existing{existing_slice("svc-aaaaa", pod_range(0, 3))};
    svcdisc::service s = make_service();
    s.metadata.labels = {{"team", "x"}};
    const auto changes = reconcile(s, pod_range(0, 3), existing);
    REQUIRE(changes.to_update.size() == 1);
    CHECK(changes.to_update[0].metadata.labels.find_value("team") ==
          std::optional<std::string_view>("x"));
    CHECK(changes.to_update[0].endpoints == existing[0].endpoints);
}

TEST_CASE("setEndpointSliceLabels: the headless label alone does not make a slice rewritten") {
    const slices existing{existing_slice("svc-aaaaa", pod_range(0, 3))};
    svcdisc::service s = make_service();
    s.spec.cluster_ip = "None";
    CHECK(no_changes(reconcile(s, pod_range(0, 3), existing)));
}

TEST_CASE("reconcileByPortMapping: an endpoint found in two slices stays in the first by name") {
    const slices existing{existing_slice("svc-a", pod_range(0, 3)),
                          existing_slice("svc-b", pod_range(2, 5))};
    const auto changes = reconcile(make_service(), pod_range(0, 5), existing);
    CHECK(changes.to_create.empty());
    REQUIRE(changes.to_update.size() == 1);
    CHECK(changes.to_update[0].metadata.name == "svc-b");
    CHECK(pod_names(changes.to_update[0]) == std::set<std::string>{"p3", "p4"});
}

TEST_CASE("ownedBy: a slice owned by another Service uid is deleted, never renamed") {
    slices existing{existing_slice("svc-old", pod_range(0, 2))};
    existing[0].metadata.owner_references[0].uid = "old-uid";
    const auto changes = reconcile(make_service(), pod_range(0, 2), existing);
    CHECK(names_of(changes.to_delete) == strings{"svc-old"});
    CHECK(changes.to_update.empty());
    REQUIRE(changes.to_create.size() == 1);
    CHECK(changes.to_create[0].metadata.name != "svc-old");
    CHECK(changes.to_create[0].endpoints.size() == 2);
}

TEST_CASE("reconciler.finalize: a new port set reuses the name of the slice it replaces") {
    const slices existing{existing_slice("svc-aaaaa", pod_range(0, 3))};
    svcdisc::service s = make_service();
    s.spec.ports[0].target_port = 9090;
    const auto changes = reconcile(s, pod_range(0, 3), existing);
    CHECK(changes.to_create.empty());
    CHECK(changes.to_delete.empty());
    REQUIRE(changes.to_update.size() == 1);
    CHECK(changes.to_update[0].metadata.name == "svc-aaaaa");
    REQUIRE(changes.to_update[0].ports.size() == 1);
    CHECK(changes.to_update[0].ports[0].port == 9090);
    CHECK(changes.to_update[0].endpoints.size() == 3);
}

TEST_CASE("placeholderSliceCompare: an equivalent placeholder is kept, an outdated one rewritten") {
    const auto placeholder =
        svcdisc::derive_endpoint_slices(make_service(), pod_range(0, 0), nodes());
    REQUIRE(placeholder.size() == 1);
    CHECK(no_changes(reconcile(make_service(), {}, placeholder)));

    svcdisc::service s = make_service();
    s.metadata.labels = {{"team", "x"}};
    const auto changes = reconcile(s, {}, placeholder);
    CHECK(changes.to_create.empty());
    CHECK(changes.to_delete.empty());
    REQUIRE(changes.to_update.size() == 1);
    CHECK(changes.to_update[0].metadata.name == placeholder[0].metadata.name);
    CHECK(changes.to_update[0].metadata.labels.contains("team"));
}

TEST_CASE("reconcileByAddressType: a placeholder gives way to real endpoints") {
    const auto placeholder =
        svcdisc::derive_endpoint_slices(make_service(), pod_range(0, 0), nodes());
    const auto changes = reconcile(make_service(), pod_range(0, 2), placeholder);
    CHECK(changes.to_create.empty());
    CHECK(changes.to_delete.empty());
    REQUIRE(changes.to_update.size() == 1);
    CHECK(changes.to_update[0].metadata.name == placeholder[0].metadata.name);
    CHECK(changes.to_update[0].ports.size() == 1);
    CHECK(changes.to_update[0].endpoints.size() == 2);
}

TEST_CASE("syncService (slices): slices the controller would not list are left alone") {
    slices existing{
        existing_slice("svc-mine", pod_range(0, 2)), existing_slice("svc-other", pod_range(0, 2)),
        existing_slice("svc-mirror", pod_range(0, 2)), existing_slice("svc-gone", pod_range(0, 2)),
        existing_slice("svc-elsewhere", pod_range(0, 2))};
    existing[1].metadata.labels.insert_or_assign("kubernetes.io/service-name", "other");
    existing[2].metadata.labels.insert_or_assign("endpointslice.kubernetes.io/managed-by",
                                                 "endpointslicemirroring-controller.k8s.io");
    existing[3].metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    existing[4].metadata.namespace_ = "other";
    CHECK(no_changes(reconcile(make_service(), pod_range(0, 2), existing)));
}

TEST_CASE("syncService (slices): ExternalName or no selector leaves existing slices untouched") {
    const slices existing{existing_slice("svc-aaaaa", pod_range(0, 2))};
    svcdisc::service external = make_service();
    external.spec.type = "ExternalName";
    CHECK(no_changes(reconcile(external, pod_range(0, 3), existing)));
    svcdisc::service selectorless = make_service();
    selectorless.spec.selector = std::nullopt;
    CHECK(no_changes(reconcile(selectorless, pod_range(0, 3), existing)));
}

TEST_CASE("reconciler.Reconcile: an existing FQDN slice is deleted, no Service has that type") {
    slices existing{existing_slice("svc-aaaaa", {make_pod(1)}),
                    existing_slice("svc-fqdn0", {make_pod(1)})};
    existing[1].address_type = "FQDN";
    const auto changes = reconcile(make_service(), {make_pod(1)}, existing);
    CHECK(names_of(changes.to_delete) == strings{"svc-fqdn0"});
    CHECK(changes.to_create.empty());
    CHECK(changes.to_update.empty());
}

TEST_CASE("--max-endpoints-per-slice: reconcile_endpoint_slices rejects a value outside 1..1000") {
    const slices existing{existing_slice("svc-aaaaa", {make_pod(1)})};
    CHECK_THROWS_AS(
        reconcile(make_service(), {make_pod(1)}, existing, {.max_endpoints_per_slice = 0}),
        std::invalid_argument);
    CHECK_THROWS_AS(
        reconcile(make_service(), {make_pod(1)}, existing, {.max_endpoints_per_slice = 1001}),
        std::invalid_argument);
    CHECK(no_changes(
        reconcile(make_service(), {make_pod(1)}, existing, {.max_endpoints_per_slice = 1000})));
}

TEST_CASE("reconciler.finalize: a Service being deleted gets updates and deletions, no creates") {
    const slices existing{existing_slice("svc-aaaaa", pod_range(0, 3)),
                          existing_slice("svc-bbbbb", pod_range(3, 4))};
    svcdisc::service s = make_service();
    s.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    auto pods = join(pod_range(0, 2), pod_range(10, 300));
    const auto changes = reconcile(s, pods, existing);
    // A keeps p0, p1 and is topped up to 100; B lost p3 and would be deleted, but the last of
    // the two new slices (92 endpoints) takes over its name first; the other is never created.
    CHECK(changes.to_create.empty());
    CHECK(changes.to_delete.empty());
    REQUIRE(names_of(changes.to_update) == strings{"svc-aaaaa", "svc-bbbbb"});
    CHECK(changes.to_update[0].endpoints.size() == 100);
    CHECK(changes.to_update[1].endpoints.size() == 92);
}

TEST_CASE("generateName: new slices never take the name of a slice in the namespace") {
    const auto derived = svcdisc::derive_endpoint_slices(make_service(), pod_range(0, 1), nodes());
    REQUIRE(derived.size() == 1);
    // Someone else's slice holds the name svcdisc would pick first.
    slices existing{derived[0]};
    existing[0].metadata.labels = {{"app", "manual"}};
    const auto changes = reconcile(make_service(), pod_range(0, 1), existing);
    REQUIRE(changes.to_create.size() == 1);
    CHECK(changes.to_create[0].metadata.name != derived[0].metadata.name);
    CHECK(changes.to_create[0].metadata.name.substr(0, 4) == "svc-");
}

TEST_CASE("RemoveHintsFromSlices: hints are removed, through an update, when none are asked for") {
    slices existing{existing_slice("svc-aaaaa", pod_range(0, 2))};
    existing[0].endpoints[1].hints = svcdisc::endpoint_hints{{"zone-1"}, {}};
    const auto changes = reconcile(make_service(), pod_range(0, 2), existing);
    CHECK(changes.to_create.empty());
    CHECK(changes.to_delete.empty());
    REQUIRE(changes.to_update.size() == 1);
    CHECK(changes.to_update[0].metadata.name == "svc-aaaaa");
    CHECK_FALSE(changes.to_update[0].endpoints[1].hints.has_value());
}

TEST_CASE("trafficdist.ReconcileHints: an unchanged slice with wrong hints is rewritten") {
    slices existing{existing_slice("svc-aaaaa", pod_range(0, 2))};
    existing[0].endpoints[1].hints = svcdisc::endpoint_hints{{"zone-1"}, {}};
    svcdisc::service s = make_service();
    s.spec.traffic_distribution = "PreferClose";
    const auto changes = reconcile(s, pod_range(0, 2), existing);
    CHECK(changes.to_create.empty());
    CHECK(changes.to_delete.empty());
    REQUIRE(changes.to_update.size() == 1);
    for (const auto& ep : changes.to_update[0].endpoints) {
        CHECK(ep.hints == svcdisc::endpoint_hints{{"zone-1"}, {}});
    }
    // The rewritten slice is what the controller wants: nothing more to do.
    CHECK(no_changes(reconcile(s, pod_range(0, 2), changes.to_update)));
    // PreferSameNode also names the node; the zone hints alone are now wrong.
    s.spec.traffic_distribution = "PreferSameNode";
    const auto same_node = reconcile(s, pod_range(0, 2), changes.to_update);
    REQUIRE(same_node.to_update.size() == 1);
    CHECK(same_node.to_update[0].endpoints[0].hints ==
          svcdisc::endpoint_hints{{"zone-1"}, {"node-a"}});
}

TEST_CASE("TopologyCache.AddHints: Auto without usable Nodes removes the hints") {
    slices existing{existing_slice("svc-aaaaa", pod_range(0, 2))};
    existing[0].endpoints[1].hints = svcdisc::endpoint_hints{{"zone-1"}, {}};
    svcdisc::service s = make_service();
    s.metadata.annotations = {{"service.kubernetes.io/topology-mode", "Auto"}};
    // The fixture's Node reports neither Ready nor allocatable CPU: insufficient information.
    const auto changes = reconcile(s, pod_range(0, 2), existing);
    REQUIRE(changes.to_update.size() == 1);
    CHECK_FALSE(changes.to_update[0].endpoints[1].hints.has_value());
    CHECK(no_changes(reconcile(s, pod_range(0, 2), changes.to_update)));
}

TEST_CASE("TopologyCache.AddHints: Auto hints in derived slices, kept by a later reconcile") {
    // Two ready worker Nodes, zone-a with three times zone-b's CPU; four pods on each.
    std::vector<svcdisc::node> zoned;
    for (const auto& [name, zone, cpu] :
         {std::tuple{"node-a", "zone-a", "3"}, std::tuple{"node-b", "zone-b", "1000m"}}) {
        svcdisc::node n;
        n.metadata.name = name;
        n.metadata.labels = {{"topology.kubernetes.io/zone", zone}};
        n.conditions = {{"Ready", "True"}};
        n.allocatable_cpu = cpu;
        zoned.push_back(n);
    }
    auto pods = pod_range(0, 8);
    for (std::size_t i = 4; i < pods.size(); ++i) {
        pods[i].spec.node_name = "node-b";
    }
    svcdisc::service s = make_service();
    s.metadata.annotations = {{"service.kubernetes.io/topology-mode", "Auto"}};
    const auto derived = svcdisc::derive_endpoint_slices(s, pods, zoned);
    REQUIRE(derived.size() == 1);
    // Eight endpoints shared 3:1: zone-a is hinted six, zone-b two, so two of zone-b's
    // endpoints (the first ones in slice order) are re-hinted to zone-a.
    std::map<std::string, int> hinted;
    for (const auto& ep : derived[0].endpoints) {
        REQUIRE(ep.hints.has_value());
        REQUIRE(ep.hints->for_zones.size() == 1);
        ++hinted[ep.hints->for_zones[0]];
    }
    CHECK(hinted == std::map<std::string, int>{{"zone-a", 6}, {"zone-b", 2}});
    CHECK(derived[0].endpoints[4].addresses[0] == "10.0.0.4");
    CHECK(derived[0].endpoints[4].hints->for_zones[0] == "zone-a");
    CHECK(derived[0].endpoints[5].hints->for_zones[0] == "zone-a");
    CHECK(derived[0].endpoints[6].hints->for_zones[0] == "zone-b");
    CHECK(svcdisc::reconcile_endpoint_slices(s, pods, zoned, derived) ==
          svcdisc::endpoint_slice_changes{});
}
