#include <map>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/selector.hpp>
#include <svcdisc/service.hpp>

// The model, the API-server defaults (SetDefaults_*) and the pod rules both controllers share
// (ShouldPodBeInEndpoints, FindPort, ShouldSetHostname, IsPodReady); docs/model.md.

namespace {

svcdisc::pod make_pod() {
    svcdisc::pod p;
    p.metadata.name = "p1";
    p.metadata.namespace_ = "ns";
    p.metadata.uid = "uid-1";
    p.metadata.labels = {{"app", "web"}};
    p.spec.node_name = "node-a";
    p.status.phase = "Running";
    p.status.conditions = {{"Ready", "True"}};
    p.status.pod_ip = "10.0.0.1";
    p.status.pod_ips = {"10.0.0.1"};
    p.spec.containers = {{"c0", {{"http-web", 8080, "TCP", 0}}, std::nullopt}};
    return p;
}

svcdisc::service make_service() {
    svcdisc::service s;
    s.metadata.name = "svc";
    s.metadata.namespace_ = "ns";
    s.spec.selector = svcdisc::label_set{{"app", "web"}};
    s.spec.cluster_ip = "10.96.0.10";
    s.spec.ports = {{"http", "TCP", std::nullopt, 80, 8080, 0}};
    return s;
}

// A user's own pod type, read through pod_traits without conversion.
struct my_pod {
    std::string id;
    std::map<std::string, std::string> tags;
    std::string ip;
    bool healthy = true;
};

} // namespace

template <>
struct svcdisc::pod_traits<my_pod> {
    static std::string_view name(const my_pod& p) { return p.id; }
    static std::string_view namespace_(const my_pod&) { return "default"; }
    static std::string_view uid(const my_pod& p) { return p.id; }
    static const std::map<std::string, std::string>& labels(const my_pod& p) { return p.tags; }
    static std::string_view phase(const my_pod&) { return "Running"; }
    static bool ready(const my_pod& p) { return p.healthy; }
    static bool terminating(const my_pod&) { return false; }
    static std::string_view node_name(const my_pod&) { return ""; }
    static std::string_view hostname(const my_pod&) { return ""; }
    static std::string_view subdomain(const my_pod&) { return ""; }
    static std::string_view pod_ip(const my_pod& p) { return p.ip; }
    static std::vector<std::string_view> pod_ips(const my_pod& p) { return {p.ip}; }
    template <class Visit>
    static void for_each_port(const my_pod&, Visit&& visit) {
        visit(std::string_view("http"), 8080, std::string_view("TCP"));
    }
};

static_assert(svcdisc::pod_like<svcdisc::pod>);
static_assert(svcdisc::pod_like<my_pod>);
static_assert(!svcdisc::pod_like<int>);

TEST_CASE("SetDefaults_Service: an empty type becomes ClusterIP, a port protocol TCP") {
    svcdisc::service s;
    s.spec.ports = {{"", "", std::nullopt, 80, 0, 0}};
    svcdisc::apply_defaults(s);
    CHECK(s.spec.type == "ClusterIP");
    CHECK(s.spec.ports[0].protocol == "TCP");
}

TEST_CASE("SetDefaults_Service: targetPort 0 or empty string becomes the port") {
    svcdisc::service s;
    s.spec.ports = {{"a", "TCP", std::nullopt, 80, 0, 0},
                    {"b", "UDP", std::nullopt, 53, std::string(), 0},
                    {"c", "TCP", std::nullopt, 81, std::string("web"), 0}};
    svcdisc::apply_defaults(s);
    CHECK(s.spec.ports[0].target_port == svcdisc::int_or_string(80));
    CHECK(s.spec.ports[1].target_port == svcdisc::int_or_string(53));
    CHECK(s.spec.ports[1].protocol == "UDP");
    CHECK(s.spec.ports[2].target_port == svcdisc::int_or_string(std::string("web")));
}

TEST_CASE("SetDefaults_ContainerPort: ports without protocol get TCP, init containers too") {
    svcdisc::pod p = make_pod();
    p.spec.containers[0].ports[0].protocol = "";
    p.spec.init_containers = {{"i0", {{"x", 1, "", 0}}, std::string("Always")}};
    svcdisc::apply_defaults(p);
    CHECK(p.spec.containers[0].ports[0].protocol == "TCP");
    CHECK(p.spec.init_containers[0].ports[0].protocol == "TCP");
}

TEST_CASE("SetDefaults_Endpoints: ports without protocol get TCP") {
    svcdisc::endpoints e;
    e.subsets = {
        {{{"192.0.2.42", "", std::nullopt, std::nullopt}}, {}, {{"", 9376, "", std::nullopt}}}};
    svcdisc::apply_defaults(e);
    CHECK(e.subsets[0].ports[0].protocol == "TCP");
}

TEST_CASE("IsPodReady: only the first Ready condition counts (E48)") {
    svcdisc::pod p = make_pod();
    p.status.conditions = {{"PodScheduled", "True"}, {"Ready", "False"}, {"Ready", "True"}};
    CHECK_FALSE(svcdisc::is_pod_ready(p));
    p.status.conditions = {{"Ready", "Unknown"}};
    CHECK_FALSE(svcdisc::is_pod_ready(p));
    p.status.conditions = {};
    CHECK_FALSE(svcdisc::is_pod_ready(p));
    p.status.conditions = {{"Ready", "True"}};
    CHECK(svcdisc::is_pod_ready(p));
}

TEST_CASE("ShouldPodBeInEndpoints: terminal phases are out even when publishing not-ready") {
    svcdisc::pod p = make_pod();
    for (const char* phase : {"Failed", "Succeeded"}) {
        p.status.phase = phase;
        CHECK_FALSE(svcdisc::should_pod_be_in_endpoints(p, true));
    }
    for (const char* phase : {"Pending", "Running", "Unknown", ""}) {
        p.status.phase = phase;
        CHECK(svcdisc::should_pod_be_in_endpoints(p, false));
    }
}

TEST_CASE("ShouldPodBeInEndpoints: a pod with neither podIP nor podIPs is out") {
    svcdisc::pod p = make_pod();
    p.status.pod_ip = "";
    p.status.pod_ips = {};
    CHECK_FALSE(svcdisc::should_pod_be_in_endpoints(p, true));
    p.status.pod_ip = "10.0.0.1";
    CHECK(svcdisc::should_pod_be_in_endpoints(p, false));
}

TEST_CASE("ShouldPodBeInEndpoints: terminating pods only when terminating is included") {
    svcdisc::pod p = make_pod();
    p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
    CHECK_FALSE(svcdisc::should_pod_be_in_endpoints(p, false));
    CHECK(svcdisc::should_pod_be_in_endpoints(p, true));
}

TEST_CASE("FindPort: a number is used unconditionally (E22)") {
    svcdisc::service s = make_service();
    s.spec.ports[0].target_port = 12345;
    CHECK(svcdisc::find_target_port(make_pod(), s.spec.ports[0]) == 12345);
}

TEST_CASE("FindPort: a name needs an equal protocol; the first container match wins (E20, E42)") {
    svcdisc::service s = make_service();
    s.spec.ports[0].target_port = std::string("http-web");
    svcdisc::pod p = make_pod();
    p.spec.containers = {{"c0", {{"x", 1, "TCP", 0}}, std::nullopt},
                         {"c1", {{"http-web", 7000, "TCP", 0}}, std::nullopt},
                         {"c2", {{"http-web", 7001, "TCP", 0}}, std::nullopt}};
    CHECK(svcdisc::find_target_port(p, s.spec.ports[0]) == 7000);
    s.spec.ports[0].protocol = "UDP";
    CHECK_FALSE(svcdisc::find_target_port(p, s.spec.ports[0]).has_value());
}

TEST_CASE("FindPort: only init containers with restartPolicy Always are searched (E43)") {
    svcdisc::service s = make_service();
    s.spec.ports[0].target_port = std::string("http-web");
    svcdisc::pod p = make_pod();
    p.spec.containers = {};
    p.spec.init_containers = {{"i0", {{"http-web", 7100, "TCP", 0}}, std::nullopt},
                              {"i1", {{"http-web", 7200, "TCP", 0}}, std::string("Always")}};
    CHECK(svcdisc::find_target_port(p, s.spec.ports[0]) == 7200);
}

TEST_CASE("ShouldSetHostname: hostname set, subdomain names the service, same namespace (E26)") {
    const svcdisc::service s = make_service();
    svcdisc::pod p = make_pod();
    p.spec.hostname = "web-0";
    p.spec.subdomain = "svc";
    CHECK(svcdisc::should_set_hostname(p, s));
    p.spec.subdomain = "other";
    CHECK_FALSE(svcdisc::should_set_hostname(p, s));
    p.spec.hostname = "";
    p.spec.subdomain = "svc";
    CHECK_FALSE(svcdisc::should_set_hostname(p, s));
    p.spec.hostname = "web-0";
    p.metadata.namespace_ = "other";
    CHECK_FALSE(svcdisc::should_set_hostname(p, s));
}

TEST_CASE("Service selector: same namespace and every selector entry equal (E49, E50)") {
    svcdisc::service s = make_service();
    svcdisc::pod p = make_pod();
    CHECK(svcdisc::service_selects_pod(s, p));
    p.metadata.namespace_ = "other";
    CHECK_FALSE(svcdisc::service_selects_pod(s, p));
    p = make_pod();
    s.spec.selector = svcdisc::label_set{{"app", "web"}, {"tier", "fe"}};
    CHECK_FALSE(svcdisc::service_selects_pod(s, p));
    p.metadata.labels = {{"app", "web"}, {"tier", "fe"}, {"x", "y"}};
    CHECK(svcdisc::service_selects_pod(s, p));
    s.spec.selector = svcdisc::label_set{{"app", ""}};
    p.metadata.labels = {{"app", ""}};
    CHECK(svcdisc::service_selects_pod(s, p));
    p.metadata.labels = {};
    CHECK_FALSE(svcdisc::service_selects_pod(s, p));
}

TEST_CASE("Service selector: an absent or empty selector selects nothing") {
    svcdisc::service s = make_service();
    const svcdisc::pod p = make_pod();
    s.spec.selector = std::nullopt;
    CHECK_FALSE(svcdisc::service_has_selector(s));
    CHECK_FALSE(svcdisc::service_selects_pod(s, p));
    s.spec.selector = svcdisc::label_set{};
    CHECK_FALSE(svcdisc::service_has_selector(s));
    CHECK_FALSE(svcdisc::service_selects_pod(s, p));
}

TEST_CASE("IsServiceIPSet: clusterIP neither empty nor None") {
    svcdisc::service s = make_service();
    CHECK(svcdisc::is_service_ip_set(s));
    s.spec.cluster_ip = "None";
    CHECK_FALSE(svcdisc::is_service_ip_set(s));
    s.spec.cluster_ip = "";
    CHECK_FALSE(svcdisc::is_service_ip_set(s));
}

TEST_CASE("pod_traits: a user's pod type works with the shared rules") {
    const my_pod p{"mine", {{"app", "web"}}, "10.1.0.1", true};
    svcdisc::service s = make_service();
    s.metadata.namespace_ = "default";
    s.spec.ports[0].target_port = std::string("http");
    CHECK(svcdisc::service_selects_pod(s, p));
    CHECK(svcdisc::should_pod_be_in_endpoints(p, false));
    CHECK(svcdisc::find_target_port(p, s.spec.ports[0]) == 8080);
}

TEST_CASE("podToEndpoint: a node's zone comes from topology.kubernetes.io/zone only") {
    svcdisc::node n;
    n.metadata.name = "node-a";
    CHECK_FALSE(svcdisc::node_zone(n).has_value());
    n.metadata.labels = {{"failure-domain.beta.kubernetes.io/zone", "old"}};
    CHECK_FALSE(svcdisc::node_zone(n).has_value());
    n.metadata.labels = {{"topology.kubernetes.io/zone", ""}};
    CHECK_FALSE(svcdisc::node_zone(n).has_value());
    n.metadata.labels = {{"topology.kubernetes.io/zone", "zone-1"}};
    CHECK(svcdisc::node_zone(n) == std::optional<std::string_view>("zone-1"));
}

TEST_CASE("service selector matching gives the same answer on label_set and other maps") {
    const svcdisc::label_set selector{{"a", "1"}, {"c", "3"}};
    const std::vector<std::pair<svcdisc::label_set, bool>> cases = {
        {{{"a", "1"}, {"b", "2"}, {"c", "3"}}, true},
        {{{"a", "1"}, {"c", "3"}}, true},
        {{{"a", "1"}, {"b", "2"}, {"d", "4"}}, false},
        {{{"c", "3"}}, false},
        {{{"a", "1"}, {"c", "4"}}, false},
        {{{"0", "x"}, {"a", "1"}, {"c", "3"}, {"z", "9"}}, true},
        {{}, false},
    };
    for (const auto& [labels, expected] : cases) {
        const std::map<std::string, std::string> as_map(labels.begin(), labels.end());
        CHECK(svcdisc::service_selector_matches(selector, labels) == expected);
        CHECK(svcdisc::service_selector_matches(selector, as_map) == expected);
    }
    CHECK_FALSE(svcdisc::service_selector_matches(svcdisc::label_set{}, svcdisc::label_set{}));
}

TEST_CASE("FindPort: protocol strings are case-sensitive, a named port declared tcp is not TCP") {
    svcdisc::pod p = make_pod();
    p.spec.containers[0].ports[0].protocol = "tcp";
    svcdisc::apply_defaults(p);
    CHECK(p.spec.containers[0].ports[0].protocol == "tcp");
    svcdisc::service s = make_service();
    s.spec.ports[0].target_port = std::string("http-web");
    CHECK_FALSE(svcdisc::find_target_port(p, s.spec.ports[0]).has_value());
    s.spec.ports[0].protocol = "tcp";
    CHECK(svcdisc::find_target_port(p, s.spec.ports[0]) == 8080);
}

TEST_CASE("SetDefaults_Service: a protocol and a targetPort that are already set are kept") {
    svcdisc::service s = make_service();
    s.spec.type = "NodePort";
    s.spec.ports = {{"dns", "UDP", std::nullopt, 53, std::string("dns"), 0}};
    svcdisc::apply_defaults(s);
    CHECK(s.spec.type == "NodePort");
    CHECK(s.spec.ports[0].protocol == "UDP");
    CHECK(s.spec.ports[0].target_port == svcdisc::int_or_string(std::string("dns")));
}

TEST_CASE("SetDefaults_Service: traffic policies default to Cluster where the API sets them") {
    svcdisc::service cluster_ip;
    svcdisc::apply_defaults(cluster_ip);
    CHECK(cluster_ip.spec.internal_traffic_policy == std::optional<std::string>("Cluster"));
    CHECK(cluster_ip.spec.external_traffic_policy.empty());
    for (const char* type : {"NodePort", "LoadBalancer"}) {
        svcdisc::service s;
        s.spec.type = type;
        svcdisc::apply_defaults(s);
        CHECK(s.spec.external_traffic_policy == "Cluster");
    }
    svcdisc::service local;
    local.spec.type = "LoadBalancer";
    local.spec.internal_traffic_policy = "Local";
    local.spec.external_traffic_policy = "Local";
    svcdisc::apply_defaults(local);
    CHECK(local.spec.internal_traffic_policy == std::optional<std::string>("Local"));
    CHECK(local.spec.external_traffic_policy == "Local");
    svcdisc::service external_name;
    external_name.spec.type = "ExternalName";
    svcdisc::apply_defaults(external_name);
    CHECK_FALSE(external_name.spec.internal_traffic_policy.has_value());
}

TEST_CASE("IsPodReady: Ready=False and Ready=Unknown are not ready, whatever the phase") {
    svcdisc::pod p = make_pod();
    for (const char* phase : {"Running", "Pending", "Unknown", ""}) {
        CAPTURE(phase);
        p.status.phase = phase;
        p.status.conditions = {{"Ready", "True"}};
        CHECK(svcdisc::is_pod_ready(p));
        p.status.conditions = {{"Ready", "False"}};
        CHECK_FALSE(svcdisc::is_pod_ready(p));
        p.status.conditions = {{"Ready", "Unknown"}};
        CHECK_FALSE(svcdisc::is_pod_ready(p));
        p.status.conditions = {{"ContainersReady", "True"}};
        CHECK_FALSE(svcdisc::is_pod_ready(p));
    }
}

TEST_CASE("FindPort: a named port found nowhere gives no number") {
    svcdisc::pod p = make_pod();
    svcdisc::service s = make_service();
    s.spec.ports[0].target_port = std::string("metrics");
    CHECK_FALSE(svcdisc::find_target_port(p, s.spec.ports[0]).has_value());
    p.spec.containers.clear();
    s.spec.ports[0].target_port = std::string("http-web");
    CHECK_FALSE(svcdisc::find_target_port(p, s.spec.ports[0]).has_value());
}

TEST_CASE("Node readiness: only the first Ready condition counts, none means not ready") {
    svcdisc::node n;
    n.metadata.name = "node-a";
    CHECK_FALSE(svcdisc::is_node_ready(n));
    n.conditions = {{"MemoryPressure", "False"}, {"Ready", "True"}};
    CHECK(svcdisc::is_node_ready(n));
    n.conditions = {{"Ready", "Unknown"}};
    CHECK_FALSE(svcdisc::is_node_ready(n));
    n.conditions = {{"Ready", "False"}, {"Ready", "True"}};
    CHECK_FALSE(svcdisc::is_node_ready(n));
    n.conditions = {{"Ready", "True"}, {"Ready", "False"}};
    CHECK(svcdisc::is_node_ready(n));
}

TEST_CASE("ValidateLabels: a Service selector {app: \"\"} is valid and requires the label "
          "with an empty value") {
    const svcdisc::label_set selector{{"app", ""}};
    CHECK(svcdisc::is_valid_label_key("app"));
    CHECK(svcdisc::is_valid_label_value(""));
    CHECK(svcdisc::service_selector_matches(selector, svcdisc::label_set{{"app", ""}}));
    CHECK_FALSE(svcdisc::service_selector_matches(selector, svcdisc::label_set{{"app", "web"}}));
    CHECK_FALSE(svcdisc::service_selector_matches(selector, svcdisc::label_set{}));
    svcdisc::service svc;
    svc.spec.selector = selector;
    CHECK(svcdisc::service_has_selector(svc));
}

TEST_CASE("ValidateLabels: metadata.labels and selectors are checked with the same rules") {
    CHECK_FALSE(svcdisc::is_valid_label_key("-app"));
    CHECK_FALSE(svcdisc::is_valid_label_value("a b"));
    const auto parsed = svcdisc::try_parse_selector("-app=web");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.find(svcdisc::label_key_errors("-app").front()) !=
          std::string::npos);
}

TEST_CASE(
    "syncService: the controllers manage a Service with a selector that is not ExternalName") {
    svcdisc::service svc;
    svc.spec.type = "ClusterIP";
    CHECK_FALSE(svcdisc::endpoint_controllers_manage(svc)); // selector absent
    svc.spec.selector = svcdisc::label_set{};
    CHECK_FALSE(svcdisc::endpoint_controllers_manage(svc)); // empty is the same as absent
    svc.spec.selector = svcdisc::label_set{{"app", "web"}};
    CHECK(svcdisc::endpoint_controllers_manage(svc));
    svc.spec.type = "ExternalName";
    CHECK_FALSE(svcdisc::endpoint_controllers_manage(svc)); // even with a selector
}

TEST_CASE("IsValidPortName: port names are IANA service names, all reasons in order") {
    CHECK(svcdisc::port_name_errors("http").empty());
    CHECK(svcdisc::port_name_errors("http-web").empty());
    CHECK(svcdisc::port_name_errors("h2c").empty());
    CHECK(svcdisc::port_name_errors("abcdefghijklmno").empty()); // 15 bytes
    CHECK(svcdisc::port_name_errors("abcdefghijklmnop") ==
          std::vector<std::string>{"must be no more than 15 characters"});
    CHECK(svcdisc::port_name_errors("HTTP_port") ==
          std::vector<std::string>{
              "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"});
    CHECK(svcdisc::port_name_errors("8080") ==
          std::vector<std::string>{"must contain at least one letter (a-z)"});
    CHECK(svcdisc::port_name_errors("a--b") ==
          std::vector<std::string>{"must not contain consecutive hyphens"});
    CHECK(svcdisc::port_name_errors("-web") ==
          std::vector<std::string>{"must not begin or end with a hyphen"});
    CHECK(svcdisc::port_name_errors("-8080--") ==
          std::vector<std::string>{"must contain at least one letter (a-z)",
                                   "must not contain consecutive hyphens",
                                   "must not begin or end with a hyphen"});
    CHECK(svcdisc::port_name_errors("") ==
          std::vector<std::string>{
              "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
              "must contain at least one letter (a-z)"});
}

TEST_CASE("ValidateService: several ports need names, and no name may repeat") {
    svcdisc::service svc;
    svc.spec.ports.resize(4);
    svc.spec.ports[0].name = "http";
    svc.spec.ports[2].name = "http";
    svc.spec.ports[3].name = "http";
    const auto errors = svcdisc::service_spec_errors(svc);
    REQUIRE(errors.size() == 3);
    CHECK(errors[0].problem == svcdisc::service_spec_problem::port_name_required);
    CHECK(errors[0].message == "spec.ports[1].name: Required value");
    CHECK(errors[0].port == 1);
    CHECK(errors[1].problem == svcdisc::service_spec_problem::duplicate_port_name);
    CHECK(errors[1].field == "spec.ports[2].name");
    CHECK(errors[1].message == "spec.ports[2].name: Duplicate value: \"http\"");
    CHECK(errors[1].first_port == 0);
    CHECK(errors[2].port == 3);
    CHECK(errors[2].first_port == 0);
    // One port may go without a name.
    svc.spec.ports.resize(1);
    svc.spec.ports[0].name.clear();
    CHECK(svcdisc::service_spec_errors(svc).empty());
}

TEST_CASE("ValidateService: ExternalName needs externalName and no cluster IP fields") {
    svcdisc::service svc;
    svc.spec.type = "ExternalName";
    svc.spec.external_name = "db.example.com";
    CHECK(svcdisc::service_spec_errors(svc).empty());
    svc.spec.external_name = ".";
    svc.spec.cluster_ip = "10.96.0.9";
    svc.spec.ip_families = {"IPv4"};
    svc.spec.ip_family_policy = "SingleStack";
    const auto errors = svcdisc::service_spec_errors(svc);
    REQUIRE(errors.size() == 4);
    CHECK(errors[0].message ==
          "spec.clusterIPs: Forbidden: may not be set for ExternalName services");
    CHECK(errors[1].message ==
          "spec.ipFamilies: Forbidden: may not be set for ExternalName services");
    CHECK(errors[2].message ==
          "spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services");
    CHECK(errors[3].problem == svcdisc::service_spec_problem::external_name_required);
    CHECK(errors[3].message == "spec.externalName: Required value");
    // The same fields are fine on other types.
    svc.spec.type = "ClusterIP";
    CHECK(svcdisc::service_spec_errors(svc).empty());
}
