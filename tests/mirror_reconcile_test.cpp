#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/mirror.hpp>

#include "spec_fixtures.hpp"

// The incremental mirroring reconcile (the mirroring reconciler's reconcile,
// reconcileByPortMapping and finalize; docs/mirroring.md): scenarios M24–M26 of
// docs/scenarios.md, then one test per step of the reconcile and the lifecycle events that
// depend on existing slices.

namespace {

using svcdisc::endpoint_address;
using svcdisc::endpoint_port;

const svcdisc::service fixture_svc = svcdisc_test::make_selectorless_service();

svcdisc::endpoints fixture_endpoints(std::vector<svcdisc::endpoint_subset> subsets) {
    svcdisc::endpoints eps;
    eps.metadata.name = "my-service";
    eps.metadata.namespace_ = "default";
    eps.metadata.uid = "ep-uid";
    eps.subsets = std::move(subsets);
    return eps;
}

endpoint_address ip(std::string text) {
    return {std::move(text), "", std::nullopt, std::nullopt};
}

// M01's Endpoints: 192.0.2.42, port 9376/TCP.
svcdisc::endpoints m01_endpoints() {
    return fixture_endpoints({{{ip("192.0.2.42")}, {}, {{"", 9376, "TCP", std::nullopt}}}});
}

// The slice a fresh run writes for `eps`, as it would exist in the cluster afterwards.
svcdisc::endpoint_slice stored(const svcdisc::endpoints& eps, std::string name) {
    auto slices = svcdisc::mirror_endpoint_slices(fixture_svc, eps);
    REQUIRE(slices.size() == 1);
    auto slice = slices.front();
    slice.metadata.name = std::move(name);
    slice.metadata.uid = "slice-uid-" + slice.metadata.name;
    slice.metadata.resource_version = "7";
    return slice;
}

std::vector<std::string> names_of(const std::vector<svcdisc::endpoint_slice>& slices) {
    std::vector<std::string> names;
    for (const auto& slice : slices) {
        names.push_back(slice.metadata.name);
    }
    return names;
}

using names = std::vector<std::string>;

// The content a slice should have, without the metadata that differs between a create and an
// update (name, generateName).
void check_same_content(const svcdisc::endpoint_slice& got, const svcdisc::endpoint_slice& want) {
    CHECK(got.address_type == want.address_type);
    CHECK(got.ports == want.ports);
    CHECK(got.endpoints == want.endpoints);
    CHECK(got.metadata.namespace_ == want.metadata.namespace_);
    CHECK(got.metadata.labels == want.metadata.labels);
    CHECK(got.metadata.annotations == want.metadata.annotations);
    CHECK(got.metadata.owner_references == want.metadata.owner_references);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Scenarios M24–M26 (docs/scenarios.md)
// ---------------------------------------------------------------------------------------------

TEST_CASE("M24: an existing slice equal to M01's result needs no write") {
    const auto eps = m01_endpoints();
    const auto changes =
        svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {stored(eps, "my-service-abcde")});
    CHECK(changes.status == svcdisc::mirroring_status::mirrored);
    CHECK(changes.to_create.empty());
    CHECK(changes.to_update.empty());
    CHECK(changes.to_delete.empty());
    CHECK(changes.warnings.empty());
}

TEST_CASE("M25: an extra slice annotation, a new Endpoints label or another owner uid rewrite "
          "the slice in place") {
    const auto eps = m01_endpoints();
    const auto fresh = svcdisc::mirror_endpoint_slices(fixture_svc, eps);
    REQUIRE(fresh.size() == 1);

    SUBCASE("extra annotation on the slice") {
        auto existing = stored(eps, "my-service-abcde");
        existing.metadata.annotations.insert_or_assign("foo", "bar");
        const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {existing});
        CHECK(changes.to_create.empty());
        CHECK(changes.to_delete.empty());
        REQUIRE(changes.to_update.size() == 1);
        CHECK(changes.to_update[0].metadata.name == "my-service-abcde");
        check_same_content(changes.to_update[0], fresh[0]);
        CHECK(changes.to_update[0].metadata.annotations.empty());
    }
    SUBCASE("the Endpoints gained a label") {
        auto labelled = eps;
        labelled.metadata.labels = {{"foo", "bar"}};
        const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, labelled,
                                                                {stored(eps, "my-service-abcde")});
        REQUIRE(changes.to_update.size() == 1);
        CHECK(changes.to_update[0].metadata.name == "my-service-abcde");
        CHECK(changes.to_update[0].metadata.labels.find_value("foo") == "bar");
        CHECK(changes.to_create.empty());
        CHECK(changes.to_delete.empty());
    }
    SUBCASE("the slice is owned by an older Endpoints uid") {
        auto existing = stored(eps, "my-service-abcde");
        existing.metadata.owner_references[0].uid = "old-uid";
        const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {existing});
        REQUIRE(changes.to_update.size() == 1);
        CHECK(changes.to_update[0].metadata.name == "my-service-abcde");
        CHECK(changes.to_update[0].metadata.owner_references == fresh[0].metadata.owner_references);
        CHECK(changes.to_create.empty());
        CHECK(changes.to_delete.empty());
    }
}

TEST_CASE("M26: two slices with M01's port set: the second is deleted, the first kept or "
          "rewritten") {
    const auto eps = m01_endpoints();
    const auto s1 = stored(eps, "my-service-s1111");
    const auto s2 = stored(eps, "my-service-s2222");

    SUBCASE("S1 up to date: kept") {
        const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {s1, s2});
        CHECK(changes.to_create.empty());
        CHECK(changes.to_update.empty());
        CHECK(names_of(changes.to_delete) == names{"my-service-s2222"});
    }
    SUBCASE("S1 outdated: rewritten under its name") {
        auto outdated = s1;
        outdated.endpoints[0].conditions.ready = false;
        const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {outdated, s2});
        CHECK(changes.to_create.empty());
        CHECK(names_of(changes.to_update) == names{"my-service-s1111"});
        CHECK(names_of(changes.to_delete) == names{"my-service-s2222"});
    }
}

// ---------------------------------------------------------------------------------------------
// The steps of the incremental reconcile (docs/mirroring.md)
// ---------------------------------------------------------------------------------------------

TEST_CASE(
    "reconcileByPortMapping (mirroring): a port set with only invalid addresses loses its slices") {
    const auto before = m01_endpoints();
    auto after = before;
    after.subsets[0].addresses = {ip("not-an-ip")};
    const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, after,
                                                            {stored(before, "my-service-abcde")});
    CHECK(changes.to_create.empty());
    CHECK(changes.to_update.empty());
    CHECK(names_of(changes.to_delete) == names{"my-service-abcde"});
    REQUIRE(changes.warnings.size() == 1);
    CHECK(changes.warnings[0].reason == "InvalidIPAddress");
}

TEST_CASE("reconcileByPortMapping (mirroring): a port set without slices gets a new one") {
    const auto eps = m01_endpoints();
    const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {});
    REQUIRE(changes.to_create.size() == 1);
    CHECK(changes.to_create[0] == svcdisc::mirror_endpoint_slices(fixture_svc, eps)[0]);
}

TEST_CASE("reconcileByPortMapping (mirroring): an endpoint differing beyond its key rewrites") {
    const auto eps = m01_endpoints();
    auto existing = stored(eps, "my-service-abcde");
    existing.endpoints[0].node_name = "node-a";
    const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {existing});
    REQUIRE(changes.to_update.size() == 1);
    CHECK_FALSE(changes.to_update[0].endpoints[0].node_name.has_value());
}

TEST_CASE("reconcileByPortMapping (mirroring): an extra or missing endpoint rewrites the slice") {
    const auto eps = m01_endpoints();
    auto extra = stored(eps, "my-service-abcde");
    extra.endpoints.push_back(extra.endpoints[0]);
    extra.endpoints[1].addresses = {"192.0.2.43"};
    CHECK(svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {extra}).to_update.size() == 1);
    auto missing = stored(eps, "my-service-abcde");
    missing.endpoints.clear();
    CHECK(svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {missing}).to_update.size() == 1);
    // The same endpoint twice counts twice, as upstream's per-endpoint match count does.
    auto doubled = stored(eps, "my-service-abcde");
    doubled.endpoints.push_back(doubled.endpoints[0]);
    CHECK(svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {doubled}).to_update.size() == 1);
}

TEST_CASE(
    "reconcileByPortMapping (mirroring): targetRef resourceVersion and port order are ignored") {
    endpoint_address a{"10.0.0.1", "", std::nullopt,
                       svcdisc::object_reference{"Pod", "default", "p1", "u1", "", "1", ""}};
    const auto eps = fixture_endpoints(
        {{{a}, {}, {{"a", 1, "TCP", std::nullopt}, {"b", 2, "TCP", std::nullopt}}}});
    auto existing = stored(eps, "my-service-abcde");
    existing.endpoints[0].target_ref->resource_version = "2";
    std::swap(existing.ports[0], existing.ports[1]);
    const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {existing});
    CHECK(changes.to_create.empty());
    CHECK(changes.to_update.empty());
    CHECK(changes.to_delete.empty());
}

TEST_CASE("reconcileByPortMapping (mirroring): a copied service-name label always rewrites") {
    auto eps = m01_endpoints();
    eps.metadata.labels = {{"kubernetes.io/service-name", "my-service"}};
    const auto changes =
        svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {stored(eps, "my-service-abcde")});
    CHECK(changes.to_update.size() == 1);
}

TEST_CASE(
    "reconcileByPortMapping (mirroring): the two dropped annotations do not outdate a slice") {
    auto eps = m01_endpoints();
    const auto existing = stored(eps, "my-service-abcde");
    eps.metadata.annotations = {
        {"endpoints.kubernetes.io/last-change-trigger-time", "2024-01-01T00:00:00Z"},
        {"kubectl.kubernetes.io/last-applied-configuration", "{}"}};
    const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {existing});
    CHECK(changes.to_update.empty());
}

TEST_CASE(
    "reconcileByPortMapping (mirroring): a slice not owned by the Endpoints uid is rewritten") {
    const auto eps = m01_endpoints();
    auto existing = stored(eps, "my-service-abcde");
    existing.metadata.owner_references.clear();
    CHECK(svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {existing}).to_update.size() == 1);
    // Controller and blockOwnerDeletion flags are not compared (upstream test).
    existing = stored(eps, "my-service-abcde");
    existing.metadata.owner_references[0].controller = false;
    existing.metadata.owner_references[0].block_owner_deletion = false;
    CHECK(svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {existing}).to_update.empty());
}

TEST_CASE("reconcileByPortMapping (mirroring): an in-place rewrite carries the name") {
    auto eps = m01_endpoints();
    const auto existing = stored(eps, "my-service-abcde");
    eps.metadata.labels = {{"team", "a"}};
    const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {existing});
    REQUIRE(changes.to_update.size() == 1);
    CHECK(changes.to_update[0].metadata.name == "my-service-abcde");
    CHECK(changes.to_update[0].metadata.generate_name.empty());
}

TEST_CASE("finalize (mirroring): a changed port set recycles the old slice's name") {
    const auto before = m01_endpoints();
    auto after = before;
    after.subsets[0].ports[0].port = 9377;
    const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, after,
                                                            {stored(before, "my-service-abcde")});
    CHECK(changes.to_create.empty());
    CHECK(changes.to_delete.empty());
    REQUIRE(changes.to_update.size() == 1);
    CHECK(changes.to_update[0].metadata.name == "my-service-abcde");
    CHECK(changes.to_update[0].metadata.generate_name == "my-service-");
    REQUIRE(changes.to_update[0].ports.size() == 1);
    CHECK(changes.to_update[0].ports[0].port == 9377);
}

TEST_CASE("finalize (mirroring): recycling pairs creates and deletes of the same family only") {
    const auto before = m01_endpoints();
    auto after = before;
    after.subsets[0].ports[0].port = 9377;
    after.subsets[0].addresses = {ip("2001:db8::1")};
    const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, after,
                                                            {stored(before, "my-service-abcde")});
    REQUIRE(changes.to_create.size() == 1);
    CHECK(changes.to_create[0].address_type == "IPv6");
    CHECK(changes.to_update.empty());
    CHECK(names_of(changes.to_delete) == names{"my-service-abcde"});
}

TEST_CASE(
    "reconcile (mirroring): slices of port sets no longer wanted are deleted, in input order") {
    const auto eps = m01_endpoints();
    const auto keep = stored(eps, "my-service-keep1");
    auto old_a = keep;
    old_a.metadata.name = "my-service-olda1";
    old_a.ports[0].port = 1;
    auto old_b = keep;
    old_b.metadata.name = "my-service-oldb1";
    old_b.ports[0].port = 2;
    auto fqdn = keep;
    fqdn.metadata.name = "my-service-fqdn1";
    fqdn.address_type = "FQDN";
    const auto changes =
        svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {old_b, keep, fqdn, old_a});
    CHECK(changes.to_update.empty());
    CHECK(changes.to_create.empty());
    CHECK(names_of(changes.to_delete) ==
          names{"my-service-oldb1", "my-service-fqdn1", "my-service-olda1"});
}

TEST_CASE("finalize (mirroring): an Endpoints being deleted gets updates and deletes, no creates") {
    const auto before = m01_endpoints();
    auto after = before;
    after.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    after.subsets.push_back({{ip("10.0.0.1")}, {}, {{"x", 1, "TCP", std::nullopt}}});
    auto outdated = stored(before, "my-service-abcde");
    outdated.endpoints[0].conditions.ready = false;
    const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, after, {outdated});
    CHECK(changes.to_create.empty());
    CHECK(names_of(changes.to_update) == names{"my-service-abcde"});
}

TEST_CASE("generateName (mirroring): new names avoid the names of existing slices") {
    const auto eps = m01_endpoints();
    const auto fresh = svcdisc::mirror_endpoint_slices(fixture_svc, eps);
    REQUIRE(fresh.size() == 1);
    // A foreign slice (another controller's) that holds the name the fresh run would pick.
    auto foreign = fresh[0];
    foreign.metadata.labels.insert_or_assign("endpointslice.kubernetes.io/managed-by", "x");
    const auto changes = svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {foreign});
    REQUIRE(changes.to_create.size() == 1);
    CHECK(changes.to_create[0].metadata.name != fresh[0].metadata.name);
    CHECK(changes.to_create[0].metadata.name.starts_with("my-service-"));
    CHECK(changes.to_create[0].metadata.name.size() == 16);
}

// ---------------------------------------------------------------------------------------------
// When an Endpoints object is mirrored, and lifecycle events, with existing slices
// ---------------------------------------------------------------------------------------------

TEST_CASE(
    "syncEndpoints: only this name's slices managed by the mirroring controller are touched") {
    auto svc = svcdisc_test::make_selectorless_service();
    svc.spec.selector = svcdisc::label_set{{"app", "web"}};
    const auto eps = m01_endpoints();
    const auto mine = stored(eps, "my-service-mine1");
    auto by_slice_controller = mine;
    by_slice_controller.metadata.name = "my-service-ctrl1";
    by_slice_controller.metadata.labels.insert_or_assign("endpointslice.kubernetes.io/managed-by",
                                                         "endpointslice-controller.k8s.io");
    auto unmanaged = mine;
    unmanaged.metadata.name = "my-service-none1";
    unmanaged.metadata.labels.erase("endpointslice.kubernetes.io/managed-by");
    auto other_namespace = mine;
    other_namespace.metadata.namespace_ = "other";
    auto other_service = mine;
    other_service.metadata.name = "other-abcde";
    other_service.metadata.labels.insert_or_assign("kubernetes.io/service-name", "other");
    const auto changes = svcdisc::reconcile_mirrored_slices(
        &svc, eps, {by_slice_controller, unmanaged, mine, other_namespace, other_service});
    CHECK(names_of(changes.to_delete) == names{"my-service-mine1"});
}

TEST_CASE("syncEndpoints: the Endpoints object is gone, so its mirrored slices are deleted") {
    const auto eps = m01_endpoints();
    const auto changes = svcdisc::reconcile_mirrored_slices<std::string>(
        "default", "my-service", &fixture_svc, nullptr, {stored(eps, "my-service-abcde")});
    CHECK(changes.status == svcdisc::mirroring_status::endpoints_absent);
    CHECK(names_of(changes.to_delete) == names{"my-service-abcde"});
}

TEST_CASE("mirroring lifecycle: Service deleted, slices deleted; re-created, mirrored again") {
    const auto eps = m01_endpoints();
    const auto existing = stored(eps, "my-service-abcde");
    const auto gone = svcdisc::reconcile_mirrored_slices(nullptr, eps, {existing});
    CHECK(gone.status == svcdisc::mirroring_status::service_absent);
    CHECK(names_of(gone.to_delete) == names{"my-service-abcde"});
    const auto back = svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {});
    CHECK(back.to_create.size() == 1);
}

TEST_CASE("mirroring lifecycle: skip-mirror or the leader annotation added deletes the slices") {
    auto eps = m01_endpoints();
    const auto existing = stored(eps, "my-service-abcde");
    eps.metadata.labels = {{"endpointslice.kubernetes.io/skip-mirror", "true"}};
    CHECK(names_of(svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {existing}).to_delete) ==
          names{"my-service-abcde"});
    eps.metadata.labels = {};
    eps.metadata.annotations = {{"control-plane.alpha.kubernetes.io/leader", "x"}};
    CHECK(names_of(svcdisc::reconcile_mirrored_slices(&fixture_svc, eps, {existing}).to_delete) ==
          names{"my-service-abcde"});
}

TEST_CASE("mirroring lifecycle: Endpoints left behind by a removed selector are mirrored") {
    auto eps = m01_endpoints();
    eps.metadata.labels = {{"endpoints.kubernetes.io/managed-by", "endpoint-controller"}};
    const auto slices = svcdisc::mirror_endpoint_slices(fixture_svc, eps);
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].metadata.labels.find_value("endpoints.kubernetes.io/managed-by") ==
          "endpoint-controller");
}
