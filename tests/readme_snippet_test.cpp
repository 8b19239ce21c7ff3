#include <optional>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/derive_endpoints.hpp>

// README's first example, compiled and checked so the text users copy keeps working. Keep the
// body between the markers identical to README's snippet.

TEST_CASE("README snippet: derive the Endpoints of my-service") {
    // --- README snippet begin ---
    svcdisc::service svc;
    svc.metadata.name = "my-service";
    svc.metadata.namespace_ = "default";
    svc.spec.selector = svcdisc::label_set{{"app", "MyApp"}};
    svc.spec.cluster_ip = "10.96.0.20";
    svcdisc::service_port& port = svc.spec.ports.emplace_back();
    port.protocol = "TCP";
    port.port = 80;
    port.target_port = 9376;

    svcdisc::pod p;
    p.metadata.name = "my-app-1";
    p.metadata.namespace_ = "default";
    p.metadata.labels = {{"app", "MyApp"}};
    p.status.conditions = {{"Ready", "True"}};
    p.status.pod_ips = {"10.244.1.5"};

    std::optional<svcdisc::endpoints> eps = svcdisc::derive_endpoints(svc, std::vector{p});
    // eps->subsets[0]: addresses [10.244.1.5], ports [9376/TCP]
    // --- README snippet end ---

    REQUIRE(eps);
    REQUIRE(eps->subsets.size() == 1);
    CHECK(eps->metadata.name == "my-service");
    CHECK(eps->subsets[0].addresses.size() == 1);
    CHECK(eps->subsets[0].addresses[0].ip == "10.244.1.5");
    CHECK(eps->subsets[0].addresses[0].target_ref->name == "my-app-1");
    CHECK(eps->subsets[0].not_ready_addresses.empty());
    REQUIRE(eps->subsets[0].ports.size() == 1);
    CHECK(eps->subsets[0].ports[0].port == 9376);
    CHECK(eps->subsets[0].ports[0].protocol == "TCP");
}
