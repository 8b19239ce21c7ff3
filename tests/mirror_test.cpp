#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/mirror.hpp>

#include "spec_fixtures.hpp"

// EndpointSlice mirroring (docs/mirroring.md): scenarios M01–M23 and M27 of docs/scenarios.md
// (M24–M26 are in mirror_reconcile_test.cpp), then one test per mirroring rule the scenarios
// leave open. Expectations use the scenario notation: `{addressType; ports; endpoints}`, port
// `name:port/PROTO`, endpoint `IP r=T|F` plus whatever else is set.

namespace {

using svcdisc::endpoint_address;
using svcdisc::endpoint_port;
using svcdisc::endpoint_subset;

svcdisc::endpoints fixture_endpoints(std::vector<endpoint_subset> subsets) {
    svcdisc::endpoints eps;
    eps.metadata.name = "my-service";
    eps.metadata.namespace_ = "default";
    eps.metadata.uid = "ep-uid";
    eps.subsets = std::move(subsets);
    return eps;
}

const svcdisc::service fixture_svc = svcdisc_test::make_selectorless_service();

endpoint_address ip(std::string text) {
    return {std::move(text), "", std::nullopt, std::nullopt};
}

endpoint_port port(std::string name, std::int32_t number, std::string protocol = "TCP") {
    return {std::move(name), number, std::move(protocol), std::nullopt};
}

// M01's Endpoints: the seed's hand-written object, protocol left for the API default.
svcdisc::endpoints m01_endpoints() {
    return fixture_endpoints({{{ip("192.0.2.42")}, {}, {{"", 9376, "", std::nullopt}}}});
}

std::string describe(const svcdisc::endpoint_slice& slice) {
    std::string out = "{" + slice.address_type + "; [";
    for (std::size_t i = 0; i < slice.ports.size(); ++i) {
        const auto& p = slice.ports[i];
        out += i > 0 ? ", " : "";
        out += p.name ? *p.name : "<nil>";
        out += ":" + (p.port ? std::to_string(*p.port) : "<nil>");
        out += "/" + p.protocol.value_or("<nil>");
        if (p.app_protocol) {
            out += " app=" + *p.app_protocol;
        }
    }
    out += "]; [";
    for (std::size_t i = 0; i < slice.endpoints.size(); ++i) {
        const auto& ep = slice.endpoints[i];
        out += i > 0 ? ", " : "";
        for (const auto& address : ep.addresses) {
            out += address;
        }
        if (ep.conditions.ready) {
            out += *ep.conditions.ready ? " r=T" : " r=F";
        }
        if (ep.conditions.serving) {
            out += " serving";
        }
        if (ep.conditions.terminating) {
            out += " terminating";
        }
        if (ep.hostname) {
            out += " host=" + *ep.hostname;
        }
        if (ep.node_name) {
            out += " node=" + *ep.node_name;
        }
        if (ep.zone) {
            out += " zone=" + *ep.zone;
        }
        if (ep.hints) {
            out += " hints";
        }
        if (ep.target_ref) {
            const auto& ref = *ep.target_ref;
            out += " ref=" + ref.kind + "/" + ref.namespace_ + "/" + ref.name + "/" + ref.uid;
        }
    }
    return out + "]}";
}

std::vector<std::string> describe_all(const std::vector<svcdisc::endpoint_slice>& slices) {
    std::vector<std::string> out;
    for (const auto& slice : slices) {
        out.push_back(describe(slice));
    }
    return out;
}

const svcdisc::label_set fixture_labels{
    {"kubernetes.io/service-name", "my-service"},
    {"endpointslice.kubernetes.io/managed-by", "endpointslicemirroring-controller.k8s.io"}};

constexpr std::string_view name_alphabet = "bcdfghjklmnpqrstvwxz2456789";

// The metadata every mirroring scenario's slice has unless stated: generateName, a generated name,
// namespace default, the controller reference to Endpoints my-service/ep-uid.
void check_fixture_metadata(const svcdisc::endpoint_slice& slice) {
    CHECK(slice.metadata.generate_name == "my-service-");
    REQUIRE(slice.metadata.name.size() == std::string("my-service-").size() + 5);
    CHECK(slice.metadata.name.starts_with("my-service-"));
    for (const char c : slice.metadata.name.substr(11)) {
        CHECK(name_alphabet.find(c) != std::string_view::npos);
    }
    CHECK(slice.metadata.namespace_ == "default");
    const std::vector<svcdisc::owner_reference> owners{
        {"v1", "Endpoints", "my-service", "ep-uid", true, true}};
    CHECK(slice.metadata.owner_references == owners);
}

const svcdisc::endpoint_slice* find_by_port(const std::vector<svcdisc::endpoint_slice>& slices,
                                            std::string_view address_type, std::int32_t number) {
    for (const auto& slice : slices) {
        if (slice.address_type == address_type &&
            std::any_of(slice.ports.begin(), slice.ports.end(),
                        [&](const auto& p) { return p.port == number; })) {
            return &slice;
        }
    }
    return nullptr;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Scenarios M01–M23, M27 (docs/scenarios.md)
// ---------------------------------------------------------------------------------------------

TEST_CASE("M01: the classic manual Endpoints is mirrored with the Endpoints' port") {
    const auto svc = svcdisc_test::make_selectorless_service();
    const auto slices = svcdisc::mirror_endpoint_slices(svc, m01_endpoints());
    REQUIRE(slices.size() == 1);
    CHECK(describe(slices[0]) == "{IPv4; [:9376/TCP]; [192.0.2.42 r=T]}");
    check_fixture_metadata(slices[0]);
    CHECK(slices[0].metadata.labels == fixture_labels);
    CHECK(slices[0].metadata.annotations.empty());
    // The empty port name is a pointer to "" upstream, not an absent name.
    CHECK(slices[0].ports[0].name == std::optional<std::string>(""));
}

TEST_CASE("M02: skip-mirror \"true\" stops mirroring") {
    const auto svc = svcdisc_test::make_selectorless_service();
    auto eps = m01_endpoints();
    eps.metadata.labels = {{"endpointslice.kubernetes.io/skip-mirror", "true"}};
    CHECK(svcdisc::mirror_endpoint_slices(svc, eps).empty());
    CHECK(svcdisc::mirroring_status_of(&svc, &eps) == svcdisc::mirroring_status::skip_mirror_label);
}

TEST_CASE("M03: skip-mirror \"false\" is mirrored and the label copied") {
    const auto svc = svcdisc_test::make_selectorless_service();
    auto eps = m01_endpoints();
    eps.metadata.labels = {{"endpointslice.kubernetes.io/skip-mirror", "false"}};
    const auto slices = svcdisc::mirror_endpoint_slices(svc, eps);
    REQUIRE(slices.size() == 1);
    CHECK(describe(slices[0]) == "{IPv4; [:9376/TCP]; [192.0.2.42 r=T]}");
    auto labels = fixture_labels;
    labels.insert_or_assign("endpointslice.kubernetes.io/skip-mirror", "false");
    CHECK(slices[0].metadata.labels == labels);
}

TEST_CASE("M04: the leader annotation, even empty, stops mirroring") {
    const auto svc = svcdisc_test::make_selectorless_service();
    auto eps = m01_endpoints();
    eps.metadata.annotations = {{"control-plane.alpha.kubernetes.io/leader", ""}};
    CHECK(svcdisc::mirror_endpoint_slices(svc, eps).empty());
    CHECK(svcdisc::mirroring_status_of(&svc, &eps) == svcdisc::mirroring_status::leader_annotation);
}

TEST_CASE("M05: no Service, nothing mirrored") {
    const auto eps = m01_endpoints();
    CHECK(svcdisc::mirror_endpoint_slices(nullptr, eps).empty());
    CHECK(svcdisc::mirror_endpoint_slices(std::nullopt, eps).empty());
    CHECK(svcdisc::mirroring_status_of(nullptr, &eps) == svcdisc::mirroring_status::service_absent);
}

TEST_CASE("M06: a Service with a selector is not mirrored") {
    auto svc = svcdisc_test::make_selectorless_service();
    svc.spec.selector = svcdisc::label_set{{"app", "x"}};
    const auto eps = m01_endpoints();
    CHECK(svcdisc::mirror_endpoint_slices(svc, eps).empty());
    CHECK(svcdisc::mirroring_status_of(&svc, &eps) ==
          svcdisc::mirroring_status::service_has_selector);
}

TEST_CASE("M07: an ExternalName Service without selector is mirrored (no type check)") {
    auto svc = svcdisc_test::make_selectorless_service();
    svc.spec.type = "ExternalName";
    svc.spec.external_name = "db.example.com";
    svc.spec.cluster_ip = "";
    const auto slices = svcdisc::mirror_endpoint_slices(svc, m01_endpoints());
    REQUIRE(slices.size() == 1);
    CHECK(describe(slices[0]) == "{IPv4; [:9376/TCP]; [192.0.2.42 r=T]}");
}

TEST_CASE("M08: not-ready addresses are mirrored with ready=false") {
    const auto eps =
        fixture_endpoints({{{ip("10.0.0.1")}, {ip("10.0.0.2")}, {port("http", 8080)}}});
    CHECK(describe_all(
              svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps)) ==
          std::vector<std::string>{"{IPv4; [http:8080/TCP]; [10.0.0.1 r=T, 10.0.0.2 r=F]}"});
}

TEST_CASE("M09: both families are mirrored whatever the Service's ipFamilies") {
    const auto eps =
        fixture_endpoints({{{ip("10.0.0.1"), ip("2001:db8::1")}, {}, {port("http", 8080)}}});
    CHECK(describe_all(
              svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps)) ==
          std::vector<std::string>{"{IPv4; [http:8080/TCP]; [10.0.0.1 r=T]}",
                                   "{IPv6; [http:8080/TCP]; [2001:db8::1 r=T]}"});
}

TEST_CASE("M10: one address in two subsets becomes one slice with both ports") {
    const auto eps = fixture_endpoints({{{ip("10.40.0.2")}, {}, {port("nginx-8989", 8080)}},
                                        {{ip("10.40.0.2")}, {}, {port("nginx-4444", 8082)}}});
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps);
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].address_type == "IPv4");
    CHECK(slices[0].ports.size() == 2);
    CHECK(find_by_port(slices, "IPv4", 8080) == &slices[0]);
    CHECK(find_by_port(slices, "IPv4", 8082) == &slices[0]);
    CHECK(describe(slices[0]).ends_with("[10.40.0.2 r=T]}"));
}

TEST_CASE("M11: two subsets with the same port give one slice with both endpoints") {
    endpoint_address a{"10.0.0.1", "pod-1", std::string("node-1"), std::nullopt};
    endpoint_address b{"10.0.0.2", "pod-2", std::string("node-1"), std::nullopt};
    const auto eps =
        fixture_endpoints({{{a}, {}, {port("http", 80)}}, {{b}, {}, {port("http", 80)}}});
    CHECK(describe_all(
              svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps)) ==
          std::vector<std::string>{"{IPv4; [http:80/TCP]; [10.0.0.1 r=T host=pod-1 node=node-1, "
                                   "10.0.0.2 r=T host=pod-2 node=node-1]}"});
}

TEST_CASE("M12: two subsets with different ports give two slices") {
    const auto eps = fixture_endpoints(
        {{{ip("10.0.0.1"), ip("10.0.0.2")}, {}, {port("http", 80), port("https", 443, "UDP")}},
         {{ip("10.0.1.1"), ip("10.0.1.2"), ip("10.0.1.3")},
          {},
          {port("http", 3000), port("https", 3001, "UDP")}}});
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps);
    REQUIRE(slices.size() == 2);
    REQUIRE(find_by_port(slices, "IPv4", 80) != nullptr);
    REQUIRE(find_by_port(slices, "IPv4", 3000) != nullptr);
    CHECK(find_by_port(slices, "IPv4", 80)->endpoints.size() == 2);
    CHECK(find_by_port(slices, "IPv4", 3000)->endpoints.size() == 3);
}

TEST_CASE("M13: mixed families in two subsets give four slices") {
    const auto eps = fixture_endpoints(
        {{{ip("2001:db8:2222:3333:4444:5555:6666:7777"), ip("10.0.0.2")},
          {},
          {port("http", 80), port("https", 443, "UDP")}},
         {{ip("10.0.1.1"), ip("10.0.1.2"), ip("2001:db8:3333:4444:5555:6666:7777:8888")},
          {},
          {port("http", 3000), port("https", 3001, "UDP")}}});
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps);
    REQUIRE(slices.size() == 4);
    for (const auto& [family, number, count] :
         std::vector<std::tuple<std::string, std::int32_t, std::size_t>>{
             {"IPv4", 80, 1}, {"IPv6", 80, 1}, {"IPv4", 3000, 2}, {"IPv6", 3000, 1}}) {
        const auto* slice = find_by_port(slices, family, number);
        REQUIRE(slice != nullptr);
        CHECK(slice->endpoints.size() == count);
    }
}

TEST_CASE("M14: an address that is no IP is skipped with an InvalidIPAddress warning") {
    const auto eps =
        fixture_endpoints({{{ip("this-is-not-an-ip"), ip("2001:db8:1111:3333:4444:5555:6666:7777")},
                            {},
                            {port("http", 80)}}});
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps);
    CHECK(describe_all(mirrored.slices) ==
          std::vector<std::string>{
              "{IPv6; [http:80/TCP]; [2001:db8:1111:3333:4444:5555:6666:7777 r=T]}"});
    REQUIRE(mirrored.warnings.size() == 1);
    CHECK(mirrored.warnings[0].reason == "InvalidIPAddress");
    CHECK(mirrored.warnings[0].count == 1);

    const auto only_invalid =
        fixture_endpoints({{{ip("this-is-not-an-ip")}, {ip("nope")}, {port("http", 80)}}});
    const auto none = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, only_invalid);
    CHECK(none.slices.empty());
    REQUIRE(none.warnings.size() == 1);
    CHECK(none.warnings[0].reason == "InvalidIPAddress");
    CHECK(none.warnings[0].count == 2);
}

TEST_CASE("M15: 1001 addresses: 1000 mirrored, the byte-wise largest text dropped") {
    std::vector<endpoint_address> addresses;
    for (int i = 0; i <= 1000; ++i) {
        addresses.push_back(ip("10.0." + std::to_string(i / 255) + "." + std::to_string(i % 255)));
    }
    const auto eps = fixture_endpoints({{addresses, {}, {{"", 80, "", std::nullopt}}}});
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps);
    REQUIRE(mirrored.slices.size() == 1);
    const auto& eps_out = mirrored.slices[0].endpoints;
    CHECK(eps_out.size() == 1000);
    CHECK(std::none_of(eps_out.begin(), eps_out.end(),
                       [](const auto& ep) { return ep.addresses[0] == "10.0.3.99"; }));
    CHECK(std::any_of(eps_out.begin(), eps_out.end(),
                      [](const auto& ep) { return ep.addresses[0] == "10.0.3.98"; }));
    REQUIRE(mirrored.warnings.size() == 1);
    CHECK(mirrored.warnings[0].reason == "TooManyAddressesToMirror");
    CHECK(mirrored.warnings[0].count == 1);
}

TEST_CASE("M16: a cap of 2 keeps two endpoints per subset") {
    const auto eps = fixture_endpoints(
        {{{ip("10.0.0.1"), ip("10.0.0.2")}, {}, {port("http", 80)}},
         {{ip("10.0.1.1"), ip("10.0.1.2"), ip("10.0.1.3")}, {}, {port("x", 81)}}});
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps, {2});
    REQUIRE(mirrored.slices.size() == 2);
    CHECK(describe(*find_by_port(mirrored.slices, "IPv4", 80)) ==
          "{IPv4; [http:80/TCP]; [10.0.0.1 r=T, 10.0.0.2 r=T]}");
    CHECK(describe(*find_by_port(mirrored.slices, "IPv4", 81)) ==
          "{IPv4; [x:81/TCP]; [10.0.1.1 r=T, 10.0.1.2 r=T]}");
    REQUIRE(mirrored.warnings.size() == 1);
    CHECK(mirrored.warnings[0].reason == "TooManyAddressesToMirror");
}

TEST_CASE("M17: the cap counts both families; the IPv6 text sorts last and is dropped") {
    const auto eps = fixture_endpoints(
        {{{ip("10.0.0.1"), ip("10.0.0.2"), ip("2001:db8::1")}, {}, {port("http", 80)}}});
    CHECK(describe_all(svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(),
                                                       eps, {2})) ==
          std::vector<std::string>{"{IPv4; [http:80/TCP]; [10.0.0.1 r=T, 10.0.0.2 r=T]}"});
}

TEST_CASE("M18: labels copied then overridden; two annotations dropped") {
    auto eps = m01_endpoints();
    eps.metadata.labels = {{"team", "a"},
                           {"kubernetes.io/service-name", "other"},
                           {"service.kubernetes.io/headless", ""}};
    eps.metadata.annotations = {
        {"kubectl.kubernetes.io/last-applied-configuration", "{}"},
        {"endpoints.kubernetes.io/last-change-trigger-time", "2024-01-01T00:00:00Z"},
        {"foo", "bar"}};
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps);
    REQUIRE(slices.size() == 1);
    const svcdisc::label_set labels{
        {"team", "a"},
        {"service.kubernetes.io/headless", ""},
        {"kubernetes.io/service-name", "my-service"},
        {"endpointslice.kubernetes.io/managed-by", "endpointslicemirroring-controller.k8s.io"}};
    CHECK(slices[0].metadata.labels == labels);
    CHECK(slices[0].metadata.annotations == svcdisc::label_set{{"foo", "bar"}});
}

TEST_CASE("M19: no subsets or no addresses: no slice, not even a placeholder") {
    const auto svc = svcdisc_test::make_selectorless_service();
    CHECK(svcdisc::mirror_endpoint_slices(svc, fixture_endpoints({})).empty());
    CHECK(svcdisc::mirror_endpoint_slices(svc, fixture_endpoints({{{}, {}, {port("http", 80)}}}))
              .empty());
}

TEST_CASE("M20: hostname, nodeName and targetRef copied; no zone (Nodes are never read)") {
    endpoint_address a{"10.0.0.5", "db-0", std::string("node-a"),
                       svcdisc::object_reference{"Pod", "default", "db-0", "uid-5", "", "", ""}};
    const auto eps = fixture_endpoints({{{a}, {}, {port("db", 5432)}}});
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps);
    CHECK(describe_all(slices) ==
          std::vector<std::string>{"{IPv4; [db:5432/TCP]; [10.0.0.5 r=T host=db-0 node=node-a "
                                   "ref=Pod/default/db-0/uid-5]}"});
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].endpoints[0].target_ref == a.target_ref);
}

TEST_CASE("M21: ready and not ready for the same port: not ready wins") {
    const auto eps = fixture_endpoints({{{ip("10.0.0.1")}, {ip("10.0.0.1")}, {port("http", 80)}}});
    CHECK(describe_all(
              svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps)) ==
          std::vector<std::string>{"{IPv4; [http:80/TCP]; [10.0.0.1 r=F]}"});
}

TEST_CASE("M22: a subset without ports gives ports []") {
    const auto eps = fixture_endpoints({{{ip("10.0.0.1")}, {}, {}}});
    CHECK(describe_all(
              svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps)) ==
          std::vector<std::string>{"{IPv4; []; [10.0.0.1 r=T]}"});
}

TEST_CASE("M23: addresses are parsed leniently and printed back canonically") {
    const auto eps = fixture_endpoints(
        {{{ip("010.000.000.001"), ip("::ffff:192.0.2.1")}, {}, {port("http", 80)}}});
    CHECK(describe_all(
              svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps)) ==
          std::vector<std::string>{"{IPv4; [http:80/TCP]; [10.0.0.1 r=T, 192.0.2.1 r=T]}"});
}

TEST_CASE("M27: after M01 the Service gets a selector: every mirrored slice is deleted") {
    auto svc = svcdisc_test::make_selectorless_service();
    const auto eps = m01_endpoints();
    const auto mirrored = svcdisc::mirror_endpoint_slices(svc, eps);
    REQUIRE(mirrored.size() == 1);
    svc.spec.selector = svcdisc::label_set{{"app", "web"}};
    const auto changes = svcdisc::reconcile_mirrored_slices(&svc, eps, mirrored);
    CHECK(changes.status == svcdisc::mirroring_status::service_has_selector);
    CHECK(changes.to_create.empty());
    CHECK(changes.to_update.empty());
    CHECK(changes.to_delete == mirrored);
}

// ---------------------------------------------------------------------------------------------
// When an Endpoints object is mirrored (syncEndpoints)
// ---------------------------------------------------------------------------------------------

TEST_CASE("skipMirror: only the exact value \"true\" skips mirroring") {
    const auto svc = svcdisc_test::make_selectorless_service();
    for (const char* value : {"True", "", "invalid", "false", "TRUE", "true "}) {
        auto eps = m01_endpoints();
        eps.metadata.labels = {{"endpointslice.kubernetes.io/skip-mirror", value}};
        CHECK(svcdisc::mirror_endpoint_slices(svc, eps).size() == 1);
    }
}

TEST_CASE("hasLeaderElection: the leader annotation with any value skips mirroring") {
    auto eps = m01_endpoints();
    eps.metadata.annotations = {{"control-plane.alpha.kubernetes.io/leader", "{\"holder\":1}"}};
    CHECK(svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps).empty());
}

TEST_CASE("syncEndpoints: the first matching check decides") {
    auto svc = svcdisc_test::make_selectorless_service();
    auto eps = m01_endpoints();
    using status = svcdisc::mirroring_status;
    CHECK(svcdisc::mirroring_status_of<std::string>(&svc, nullptr) == status::endpoints_absent);
    CHECK(svcdisc::mirroring_status_of(&svc, &eps) == status::mirrored);
    svc.spec.selector = svcdisc::label_set{{"app", "x"}};
    eps.metadata.annotations = {{"control-plane.alpha.kubernetes.io/leader", ""}};
    eps.metadata.labels = {{"endpointslice.kubernetes.io/skip-mirror", "true"}};
    CHECK(svcdisc::mirroring_status_of(&svc, &eps) == status::skip_mirror_label);
    eps.metadata.labels = {};
    CHECK(svcdisc::mirroring_status_of(&svc, &eps) == status::leader_annotation);
    eps.metadata.annotations = {};
    CHECK(svcdisc::mirroring_status_of(&svc, &eps) == status::service_has_selector);
    CHECK(svcdisc::mirroring_status_of(nullptr, &eps) == status::service_absent);
}

TEST_CASE("syncEndpoints: an empty selector counts as none and is mirrored") {
    auto svc = svcdisc_test::make_selectorless_service();
    svc.spec.selector = svcdisc::label_set{};
    CHECK(svcdisc::mirror_endpoint_slices(svc, m01_endpoints()).size() == 1);
}

TEST_CASE("syncEndpoints: a Service of another namespace or name counts as absent") {
    auto svc = svcdisc_test::make_selectorless_service();
    svc.metadata.namespace_ = "other";
    CHECK(svcdisc::mirror_endpoint_slices(svc, m01_endpoints()).empty());
    svc = svcdisc_test::make_selectorless_service();
    svc.metadata.name = "my-other-service";
    CHECK(svcdisc::mirror_endpoint_slices(svc, m01_endpoints()).empty());
}

TEST_CASE("syncEndpoints: the Service's ports, clusterIP, families and readiness flag are unread") {
    auto svc = svcdisc_test::make_selectorless_service();
    svc.spec.ports = {{"web", "UDP", std::nullopt, 1, 2, 0}};
    svc.spec.cluster_ip = "None";
    svc.spec.ip_families = {"IPv6"};
    svc.spec.publish_not_ready_addresses = true;
    svc.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    svc.metadata.labels = {{"team", "b"}};
    CHECK(svcdisc::mirror_endpoint_slices(svc, m01_endpoints()) ==
          svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(),
                                          m01_endpoints()));
}

TEST_CASE("syncEndpoints: the result reports the check that applied, no warning when skipped") {
    auto eps = fixture_endpoints({{{ip("bad")}, {}, {port("http", 80)}}});
    eps.metadata.labels = {{"endpointslice.kubernetes.io/skip-mirror", "true"}};
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps);
    CHECK(mirrored.status == svcdisc::mirroring_status::skip_mirror_label);
    CHECK(mirrored.warnings.empty());
}

// ---------------------------------------------------------------------------------------------
// RepackSubsets before mirroring; from address to endpoint (addressToEndpoint) and the cap
// ---------------------------------------------------------------------------------------------

TEST_CASE("RepackSubsets (mirroring): duplicates collapse and empty subsets vanish") {
    const auto eps = fixture_endpoints({{{ip("10.0.0.1"), ip("10.0.0.1")}, {}, {port("http", 80)}},
                                        {{}, {}, {port("other", 81)}}});
    CHECK(describe_all(
              svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps)) ==
          std::vector<std::string>{"{IPv4; [http:80/TCP]; [10.0.0.1 r=T]}"});
}

TEST_CASE("maxEndpointsPerSubset: ready addresses are taken before not-ready ones under the cap") {
    const auto eps = fixture_endpoints({{{ip("10.0.0.9")}, {ip("10.0.0.1")}, {port("http", 80)}}});
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps, {1});
    CHECK(describe_all(mirrored.slices) ==
          std::vector<std::string>{"{IPv4; [http:80/TCP]; [10.0.0.9 r=T]}"});
    REQUIRE(mirrored.warnings.size() == 1);
    CHECK(mirrored.warnings[0].message ==
          "A max of 1 addresses can be mirrored to EndpointSlices per Endpoints subset. 1 "
          "addresses were skipped");
}

TEST_CASE("maxEndpointsPerSubset: invalid addresses do not count against the cap") {
    // "1.2.3.4.5" sorts before "10.0.0.1" and is no IP: the cap of 1 still admits 10.0.0.1.
    const auto eps =
        fixture_endpoints({{{ip("1.2.3.4.5"), ip("10.0.0.1")}, {}, {port("http", 80)}}});
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps, {1});
    CHECK(describe_all(mirrored.slices) ==
          std::vector<std::string>{"{IPv4; [http:80/TCP]; [10.0.0.1 r=T]}"});
    const std::vector<svcdisc::mirroring_warning> expected{
        {"InvalidIPAddress", "Skipped 1 invalid IP addresses when mirroring to EndpointSlices", 1}};
    CHECK(mirrored.warnings == expected);
}

TEST_CASE("maxEndpointsPerSubset: once the cap is reached the rest is not examined") {
    // "zzz" sorts after "10.0.0.1": it is dropped by the cap, never parsed, so no
    // InvalidIPAddress; the TooManyAddressesToMirror count covers it.
    const auto eps = fixture_endpoints({{{ip("10.0.0.1"), ip("zzz")}, {}, {port("http", 80)}}});
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps, {1});
    REQUIRE(mirrored.warnings.size() == 1);
    CHECK(mirrored.warnings[0].reason == "TooManyAddressesToMirror");
    CHECK(mirrored.warnings[0].count == 1);
}

TEST_CASE(
    "maxEndpointsPerSubset: both warnings; the TooMany count includes the invalid addresses") {
    const auto eps = fixture_endpoints(
        {{{ip("1.1.1.1.1"), ip("10.0.0.1"), ip("10.0.0.2")}, {}, {port("http", 80)}}});
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps, {1});
    const std::vector<svcdisc::mirroring_warning> expected{
        {"InvalidIPAddress", "Skipped 1 invalid IP addresses when mirroring to EndpointSlices", 1},
        {"TooManyAddressesToMirror",
         "A max of 1 addresses can be mirrored to EndpointSlices per Endpoints subset. 2 "
         "addresses were skipped",
         2}};
    CHECK(mirrored.warnings == expected);
}

TEST_CASE("maxEndpointsPerSubset: the cap applies per repacked subset") {
    const auto eps = fixture_endpoints({{{ip("10.0.0.1"), ip("10.0.0.2")}, {}, {port("a", 1)}},
                                        {{ip("10.0.1.1"), ip("10.0.1.2")}, {}, {port("b", 2)}}});
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps, {2});
    CHECK(mirrored.slices.size() == 2);
    CHECK(mirrored.warnings.empty());
}

TEST_CASE("addressToEndpoint: canonical duplicates, the later endpoint replaces the earlier") {
    // Repacking keeps "010.0.0.1" and "10.0.0.1" apart (different text) and orders them so;
    // both print as 10.0.0.1, so the later (node-b) replaces the earlier. Both use the cap of
    // 2, so 10.0.0.2 is dropped.
    endpoint_address a{"010.0.0.1", "", std::string("node-a"), std::nullopt};
    endpoint_address b{"10.0.0.1", "", std::string("node-b"), std::nullopt};
    const auto eps = fixture_endpoints({{{a, b, ip("10.0.0.2")}, {}, {port("http", 80)}}});
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps, {2});
    CHECK(describe_all(mirrored.slices) ==
          std::vector<std::string>{"{IPv4; [http:80/TCP]; [10.0.0.1 r=T node=node-b]}"});
    REQUIRE(mirrored.warnings.size() == 1);
    CHECK(mirrored.warnings[0].reason == "TooManyAddressesToMirror");
}

TEST_CASE("addressToEndpoint: the same IP with different targetRefs stays two endpoints") {
    endpoint_address a{"10.0.0.1", "", std::nullopt,
                       svcdisc::object_reference{"Pod", "default", "p1", "u1", "", "", ""}};
    endpoint_address b{"10.0.0.1", "", std::nullopt,
                       svcdisc::object_reference{"Pod", "default", "p2", "u2", "", "", ""}};
    const auto eps = fixture_endpoints({{{a, b}, {}, {port("http", 80)}}});
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps);
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].endpoints.size() == 2);
}

TEST_CASE(
    "addressToEndpoint: an empty hostname stays absent; a nodeName pointing to \"\" is copied") {
    endpoint_address a{"10.0.0.1", "", std::string(""), std::nullopt};
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(),
                                        fixture_endpoints({{{a}, {}, {port("http", 80)}}}));
    REQUIRE(slices.size() == 1);
    CHECK_FALSE(slices[0].endpoints[0].hostname.has_value());
    CHECK(slices[0].endpoints[0].node_name == std::optional<std::string>(""));
}

TEST_CASE("addressToEndpoint: targetRef is copied verbatim, whatever its kind and fields") {
    const svcdisc::object_reference ref{"VirtualMachine", "vms", "vm-1",  "uid-vm",
                                        "kubevirt.io/v1", "42",  "spec.x"};
    endpoint_address a{"10.0.0.1", "", std::nullopt, ref};
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(),
                                        fixture_endpoints({{{a}, {}, {port("http", 80)}}}));
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].endpoints[0].target_ref == ref);
}

TEST_CASE("addressToEndpoint: IPv6 is printed in Go's lowercase compressed form") {
    const auto eps =
        fixture_endpoints({{{ip("2001:DB8:0:0:0:0:0:1"), ip("fd00:0::0a")}, {}, {port("h", 80)}}});
    CHECK(describe_all(
              svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps)) ==
          std::vector<std::string>{"{IPv6; [h:80/TCP]; [2001:db8::1 r=T, fd00::a r=T]}"});
}

TEST_CASE("addressToEndpoint: a zone suffix, a prefix length or a host name is no IP") {
    const auto eps = fixture_endpoints(
        {{{ip("fe80::1%eth0"), ip("10.0.0.0/8"), ip("db.example.com")}, {}, {port("h", 80)}}});
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps);
    CHECK(mirrored.slices.empty());
    REQUIRE(mirrored.warnings.size() == 1);
    CHECK(mirrored.warnings[0].count == 3);
}

TEST_CASE("maxEndpointsPerSubset: a cap of 0 mirrors nothing") {
    const auto mirrored =
        svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, m01_endpoints(), {0});
    CHECK(mirrored.slices.empty());
    REQUIRE(mirrored.warnings.size() == 1);
    CHECK(mirrored.warnings[0].reason == "TooManyAddressesToMirror");
}

// ---------------------------------------------------------------------------------------------
// Ports (epPortsToEpsPorts)
// ---------------------------------------------------------------------------------------------

TEST_CASE("maxEndpointsPerSubset: one warning of each reason per sync, however many subsets") {
    // The invalid texts sort first, so they are examined before the cap is reached.
    const auto eps = fixture_endpoints(
        {{{ip("0.0.0.0.1"), ip("10.0.0.1"), ip("10.0.0.2")}, {}, {port("http", 80)}},
         {{ip("0.0.0.0.2"), ip("10.0.1.1"), ip("10.0.1.2")}, {}, {port("x", 81)}}});
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&fixture_svc, eps, {1});
    REQUIRE(mirrored.warnings.size() == 2);
    CHECK(mirrored.warnings[0].reason == "InvalidIPAddress");
    CHECK(mirrored.warnings[0].count == 2);
    CHECK(mirrored.warnings[1].reason == "TooManyAddressesToMirror");
    CHECK(mirrored.slices.size() == 2);
}

TEST_CASE("addressToEndpoint: nodeName comes from the Endpoints address, never a zone") {
    endpoint_address a{"10.0.0.5", "", std::string("node-a"), std::nullopt};
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(),
                                        fixture_endpoints({{{a}, {}, {port("http", 80)}}}));
    REQUIRE(slices.size() == 1);
    REQUIRE(slices[0].endpoints.size() == 1);
    CHECK(slices[0].endpoints[0].node_name == std::optional<std::string>("node-a"));
    CHECK_FALSE(slices[0].endpoints[0].zone.has_value());
    CHECK_FALSE(slices[0].endpoints[0].hints.has_value());
}

TEST_CASE("epPortsToEpsPorts: ports are converted one to one, appProtocol and protocol copied") {
    endpoint_port web{"web", 8443, "TCP", std::string("https")};
    endpoint_port dns{"dns", 53, "UDP", std::nullopt};
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(),
                                        fixture_endpoints({{{ip("10.0.0.1")}, {}, {web, dns}}}));
    REQUIRE(slices.size() == 1);
    REQUIRE(slices[0].ports.size() == 2);
    for (const auto& p : slices[0].ports) {
        if (p.name == std::optional<std::string>("web")) {
            CHECK(p == svcdisc::endpoint_slice_port{"web", "TCP", 8443, "https"});
        } else {
            CHECK(p == svcdisc::endpoint_slice_port{"dns", "UDP", 53, std::nullopt});
        }
    }
}

TEST_CASE("SetDefaults_Endpoints (mirroring): an empty protocol gets the API default TCP") {
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), m01_endpoints());
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].ports[0].protocol == std::optional<std::string>("TCP"));
}

TEST_CASE("NewPortMapKey: discovery EndpointPort FNV-128a key matches the upstream vector") {
    const svcdisc::endpoint_slice_port p{"http", "TCP", 8080, std::nullopt};
    CHECK(svcdisc::detail::to_hex(svcdisc::detail::endpoint_port_digest(p)) ==
          "0e874d5677090ee5c32afa85f637c347");
}

TEST_CASE("NewPortMapKey (mirroring): ports of a new slice are in FNV order") {
    const auto ports_of = [](std::vector<endpoint_port> ports) {
        const auto slices = svcdisc::mirror_endpoint_slices(
            svcdisc_test::make_selectorless_service(),
            fixture_endpoints({{{ip("10.0.0.1")}, {}, std::move(ports)}}));
        REQUIRE(slices.size() == 1);
        std::vector<std::string> names;
        for (const auto& p : slices[0].ports) {
            names.push_back(p.name.value_or("<nil>"));
        }
        return names;
    };
    using names = std::vector<std::string>;
    CHECK(ports_of({port("http", 8080), port("metrics", 9100)}) == names{"http", "metrics"});
    CHECK(ports_of({port("metrics", 9100), port("http", 8080)}) == names{"http", "metrics"});
    CHECK(ports_of({port("dns-tcp", 53, "TCP"), port("dns-udp", 53, "UDP")}) ==
          names{"dns-udp", "dns-tcp"});
    CHECK(ports_of({port("a", 8080), port("b", 8080)}) == names{"b", "a"});
    CHECK(ports_of({port("admin", 9000), port("http", 8080)}) == names{"http", "admin"});
}

// ---------------------------------------------------------------------------------------------
// The mirrored slices (newEndpointSlice)
// ---------------------------------------------------------------------------------------------

TEST_CASE("mirror_endpoint_slices: slices in repacked-subset order, IPv4 before IPv6") {
    const auto eps = fixture_endpoints({{{ip("2001:db8::1"), ip("10.0.0.1")}, {}, {port("a", 1)}},
                                        {{ip("2001:db8::2"), ip("10.0.0.2")}, {}, {port("b", 2)}}});
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps);
    REQUIRE(slices.size() == 4);
    // Within each subset IPv4 comes first; both slices of a subset are adjacent.
    CHECK(slices[0].address_type == "IPv4");
    CHECK(slices[1].address_type == "IPv6");
    CHECK(slices[0].ports == slices[1].ports);
    CHECK(slices[2].address_type == "IPv4");
    CHECK(slices[3].address_type == "IPv6");
    CHECK(slices[2].ports == slices[3].ports);
    // The subset order is RepackSubsets' (SortSubsets).
    const auto repacked = svcdisc::repack_subsets(eps.subsets);
    REQUIRE(repacked.size() == 2);
    CHECK(*slices[0].ports[0].port == repacked[0].ports[0].port);
}

TEST_CASE("mirror_endpoint_slices: endpoints ordered by address text, byte-wise") {
    const auto eps = fixture_endpoints(
        {{{ip("10.0.0.9"), ip("10.0.0.100"), ip("9.0.0.1")}, {ip("10.0.0.10")}, {port("h", 80)}}});
    CHECK(describe_all(
              svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps)) ==
          std::vector<std::string>{
              "{IPv4; [h:80/TCP]; [10.0.0.10 r=F, 10.0.0.100 r=T, 10.0.0.9 r=T, 9.0.0.1 r=T]}"});
}

TEST_CASE(
    "generateName (mirroring): names are deterministic, distinct, from Kubernetes' alphabet") {
    const auto eps = fixture_endpoints({{{ip("2001:db8::1"), ip("10.0.0.1")}, {}, {port("a", 1)}},
                                        {{ip("2001:db8::2"), ip("10.0.0.2")}, {}, {port("b", 2)}}});
    const auto first =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps);
    const auto second =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps);
    CHECK(first == second);
    std::vector<std::string> names;
    for (const auto& slice : first) {
        check_fixture_metadata(slice);
        names.push_back(slice.metadata.name);
    }
    std::sort(names.begin(), names.end());
    CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
}

TEST_CASE("getEndpointSlicePrefix (mirroring): a name too long for name- uses the bare name") {
    auto svc = svcdisc_test::make_selectorless_service();
    auto eps = m01_endpoints();
    const std::string long_name(253, 'a');
    svc.metadata.name = long_name;
    eps.metadata.name = long_name;
    const auto slices = svcdisc::mirror_endpoint_slices(svc, eps);
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].metadata.generate_name == long_name);
    CHECK(slices[0].metadata.name.size() == 63);
    CHECK(slices[0].metadata.name.starts_with(std::string(58, 'a')));

    const std::string name_60(60, 'b');
    svc.metadata.name = name_60;
    eps.metadata.name = name_60;
    const auto cut = svcdisc::mirror_endpoint_slices(svc, eps);
    REQUIRE(cut.size() == 1);
    CHECK(cut[0].metadata.generate_name == name_60 + "-");
    CHECK(cut[0].metadata.name.size() == 63);
    CHECK(cut[0].metadata.labels.find_value("kubernetes.io/service-name") == name_60);
}

TEST_CASE(
    "newEndpointSlice (mirroring): a copied managed-by label is overridden, annotations kept") {
    auto eps = m01_endpoints();
    eps.metadata.labels = {{"endpointslice.kubernetes.io/managed-by", "someone-else"}};
    eps.metadata.annotations = {{"endpoints.kubernetes.io/over-capacity", "truncated"},
                                {"endpoints.kubernetes.io/last-change-trigger-time", ""},
                                {"kubectl.kubernetes.io/last-applied-configuration", ""}};
    const auto slices =
        svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps);
    REQUIRE(slices.size() == 1);
    CHECK(slices[0].metadata.labels == fixture_labels);
    CHECK(slices[0].metadata.annotations ==
          svcdisc::label_set{{"endpoints.kubernetes.io/over-capacity", "truncated"}});
}

TEST_CASE("newEndpointSlice (mirroring): the owner is the Endpoints object, not the Service") {
    auto svc = svcdisc_test::make_selectorless_service();
    svc.metadata.uid = "svc-uid";
    const auto slices = svcdisc::mirror_endpoint_slices(svc, m01_endpoints());
    REQUIRE(slices.size() == 1);
    check_fixture_metadata(slices[0]);
}

TEST_CASE("finalize (mirroring): an Endpoints object being deleted gets no new slices") {
    auto eps = m01_endpoints();
    eps.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    CHECK(svcdisc::mirror_endpoint_slices(svcdisc_test::make_selectorless_service(), eps).empty());
}

TEST_CASE("the three ways to pass the Service agree") {
    const auto svc = svcdisc_test::make_selectorless_service();
    const auto eps = m01_endpoints();
    const std::optional<svcdisc::service> maybe = svc;
    CHECK(svcdisc::mirror_endpoint_slices(svc, eps) == svcdisc::mirror_endpoint_slices(&svc, eps));
    CHECK(svcdisc::mirror_endpoint_slices(maybe, eps) == svcdisc::mirror_endpoint_slices(svc, eps));
}
