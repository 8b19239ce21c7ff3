#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/selector.hpp>
#include <svcdisc/selector_index.hpp>
#include <svcdisc/service_index.hpp>

// README's examples, compiled and checked so the text users copy keeps working. Keep the
// bodies between the markers identical to README's snippets.

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

TEST_CASE("README index snippet: pods for a selector and Services for a pod") {
    // --- README index snippet begin ---
    svcdisc::selector_index<std::string> pods; // key: anything hashable
    pods.insert("web-1", "shop", svcdisc::label_set{{"app", "web"}, {"tier", "fe"}});
    pods.insert("db-1", "shop", svcdisc::label_set{{"app", "db"}});
    pods.assign_label("web-1", "version", "v2"); // one label changed
    pods.update("db-1", svcdisc::label_set{{"app", "db"}, {"tier", "be"}});

    auto selector = svcdisc::parse_selector("app in (web,api),tier!=be");
    std::vector<std::string> selected;
    pods.for_each("shop", selector, [&](const std::string& key) { selected.push_back(key); });
    // selected: web-1
    std::size_t databases = pods.count(svcdisc::all_namespaces, svcdisc::label_set{{"app", "db"}});
    // databases: 1 (a Service selector map)
    std::vector<std::string> buffer(64);
    std::size_t matched = pods.select("shop", selector, std::span(buffer));
    // matched: 1 (more than buffer.size() would mean the buffer was short)

    svcdisc::service_index<std::string> services;
    services.insert("shop/web", "shop", svcdisc::label_set{{"app", "web"}});  // a Service selector
    services.insert("shop/pdb", "shop", svcdisc::parse_selector("tier!=be")); // any label selector
    std::vector<std::string> selecting;
    services.for_each_matching("shop", svcdisc::label_set{{"app", "web"}, {"tier", "fe"}},
                               [&](const std::string& key) { selecting.push_back(key); });
    // selecting: shop/web and shop/pdb, in no particular order
    // --- README index snippet end ---

    CHECK(selected == std::vector<std::string>{"web-1"});
    CHECK(databases == 1);
    REQUIRE(matched == 1);
    CHECK(buffer[0] == "web-1");
    CHECK(pods.matches("web-1", svcdisc::parse_selector("version=v2")));
    CHECK_FALSE(pods.matches("db-1", selector));
    std::sort(selecting.begin(), selecting.end());
    CHECK(selecting == std::vector<std::string>{"shop/pdb", "shop/web"});
}
