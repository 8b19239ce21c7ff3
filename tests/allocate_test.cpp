#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/allocate.hpp>

// What the API server's Service storage does on create (allocateCreate: initIPFamilyFields,
// allocClusterIPs, initNodePorts), the kube-apiserver flags that configure it, and the
// deterministic choices svcdisc makes where Kubernetes picks at random
// (docs/workloads-and-allocation.md).

namespace {

using svcdisc::allocate;
using svcdisc::allocations;
using svcdisc::cluster_config;
using svcdisc::ip_address;
using svcdisc::ip_cidr;
using svcdisc::service;

cluster_config cluster_of(std::string_view ranges, std::string_view ports = "") {
    cluster_config cluster;
    cluster.service_cidrs = svcdisc::parse_service_cluster_ip_range(ranges).value();
    cluster.node_ports = svcdisc::parse_service_node_port_range(ports).value();
    return cluster;
}

service make_service(std::string_view name, std::string_view namespace_ = "ns") {
    service svc;
    svc.metadata.name = name;
    svc.metadata.namespace_ = namespace_;
    svc.spec.selector = svcdisc::label_set{{"app", "web"}};
    svc.spec.type = "ClusterIP";
    auto& port = svc.spec.ports.emplace_back();
    port.port = 80;
    port.protocol = "TCP";
    return svc;
}

ip_address ip(std::string_view text) {
    return ip_address::parse(text).value();
}

// One row of TestCreateInitIPFields: the Service's requested fields and what create makes of
// them on a given cluster (an empty policy in `want_policy` means "refused").
struct init_case {
    std::string_view name;
    std::vector<std::string> cluster_ips;
    std::string policy;
    std::vector<std::string> families;
    bool headless_selectorless = false;
    std::string want_policy;
    std::vector<std::string> want_families;
};

void check_init_cases(std::string_view ranges, const std::vector<init_case>& cases) {
    const cluster_config cluster = cluster_of(ranges);
    for (const init_case& c : cases) {
        CAPTURE(ranges);
        CAPTURE(c.name);
        allocations taken;
        service svc = make_service("foo");
        if (c.headless_selectorless) {
            svc.spec.selector.reset();
            svc.spec.cluster_ip = "None";
        } else if (!c.cluster_ips.empty()) {
            svc.spec.cluster_ip = c.cluster_ips.front();
        }
        svc.spec.cluster_ips = c.cluster_ips;
        svc.spec.ip_family_policy = c.policy;
        svc.spec.ip_families = c.families;
        const service before = svc;
        const auto error = allocate(svc, cluster, taken);
        if (c.want_policy.empty()) {
            CHECK(error.has_value());
            CHECK(svc == before);
            continue;
        }
        REQUIRE_MESSAGE(!error, error->message);
        CHECK(svc.spec.ip_family_policy == c.want_policy);
        CHECK(svc.spec.ip_families == c.want_families);
        if (c.headless_selectorless) {
            CHECK(svc.spec.cluster_ip == "None");
            CHECK(svc.spec.cluster_ips == std::vector<std::string>{"None"});
        } else {
            REQUIRE(svc.spec.cluster_ips.size() == c.want_families.size());
            CHECK(svc.spec.cluster_ip == svc.spec.cluster_ips.front());
            for (std::size_t i = 0; i < c.want_families.size(); ++i) {
                CHECK(svcdisc::is_ipv6_string(svc.spec.cluster_ips[i]) ==
                      (c.want_families[i] == "IPv6"));
            }
        }
    }
}

} // namespace

TEST_CASE("ip_cidr: ParseCIDRSloppy clears host bits, takes leading zeros, prints like IPNet") {
    CHECK(ip_cidr::parse("10.96.0.7/12")->to_string() == "10.96.0.0/12");
    CHECK(ip_cidr::parse("010.096.000.000/12")->to_string() == "10.96.0.0/12");
    CHECK(ip_cidr::parse("fd00:10:96::ff/108")->to_string() == "fd00:10:96::/108");
    CHECK(ip_cidr::parse("0.0.0.0/0")->to_string() == "0.0.0.0/0");
    CHECK(ip_cidr::parse("::/0")->family() == svcdisc::ip_family::ipv6);
    CHECK(ip_cidr::parse("10.0.0.0/32")->host_bits() == 0);
    for (const std::string_view bad :
         {"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/8a", "/8",
          "10.0.0/8", "fd00::%eth0/64"}) {
        CAPTURE(bad);
        CHECK_FALSE(ip_cidr::parse(bad).has_value());
    }
    const ip_cidr cidr = ip_cidr::parse("10.96.0.0/12").value();
    CHECK(cidr.contains(ip("10.96.0.0")));
    CHECK(cidr.contains(ip("10.111.255.255")));
    CHECK_FALSE(cidr.contains(ip("10.112.0.0")));
    CHECK(cidr.contains(ip("::ffff:10.96.0.1")));
    CHECK_FALSE(ip_cidr::parse("::/0")->contains(ip("10.0.0.1")));
    CHECK(cidr.address_at(257).to_string() == "10.96.1.1");
    CHECK(ip_cidr::parse("fd00::/64")->address_at(0x10000).to_string() == "fd00::1:0");
}

TEST_CASE("--service-cluster-ip-range: one range, a dual-stack pair, or the default") {
    CHECK(svcdisc::parse_service_cluster_ip_range("").value() ==
          std::vector<ip_cidr>{svcdisc::default_service_cidr});
    CHECK(svcdisc::default_service_cidr.to_string() == "10.96.0.0/12");
    const auto dual = svcdisc::parse_service_cluster_ip_range("fd00::/108,10.0.0.0/16").value();
    REQUIRE(dual.size() == 2);
    CHECK(dual[0].to_string() == "fd00::/108");
    cluster_config cluster;
    cluster.service_cidrs = dual;
    CHECK(cluster.dual_stack());
    CHECK(cluster.primary_family() == svcdisc::ip_family::ipv6);
    CHECK(cluster.api_server_service_ip().to_string() == "fd00::1");
    CHECK(cluster_config{}.api_server_service_ip().to_string() == "10.96.0.1");
    CHECK_FALSE(cluster_config{}.dual_stack());
}

TEST_CASE("--service-cluster-ip-range: kube-apiserver's messages, at the entry at fault") {
    struct bad_case {
        std::string_view text;
        std::string_view message;
        std::size_t offset;
    };
    const bad_case cases[] = {
        {"10.0.0.0", "service-cluster-ip-range[0] is not a valid cidr", 0},
        {"10.0.0.0/16,", "service-cluster-ip-range[1] is not an ip net", 12},
        {"10.0.0.0/16,fd00::/108,10.1.0.0/16",
         "--service-cluster-ip-range must not contain more than two entries", 23},
        {"10.0.0.0/16,10.1.0.0/16",
         "--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different "
         "IP family",
         12},
        {"10.0.0.0/8",
         "specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must "
         "be >= 12",
         0},
        {"10.0.0.0/16,fd00::/64",
         "specified --service-cluster-ip-range[1] is too large; for 128-bit addresses, the mask "
         "must be >= 108",
         12},
        {"10.0.0.0/30",
         "error determining service IP ranges for primary service cidr: the service cluster IP "
         "range must be at least 8 IP addresses",
         0},
    };
    for (const bad_case& c : cases) {
        CAPTURE(c.text);
        const auto parsed = svcdisc::parse_service_cluster_ip_range(c.text);
        REQUIRE_FALSE(parsed.has_value());
        CHECK(parsed.error().message == c.message);
        CHECK(parsed.error().offset == c.offset);
    }
    CHECK(svcdisc::parse_service_cluster_ip_range("10.0.0.0/29").has_value());
    CHECK(svcdisc::parse_service_cluster_ip_range("10.0.0.0/12").has_value());
}

TEST_CASE("--service-node-port-range: PortRange.Set's notations and messages") {
    using svcdisc::parse_service_node_port_range;
    using svcdisc::port_range;
    CHECK(parse_service_node_port_range("").value() == port_range{30000, 2768});
    CHECK(parse_service_node_port_range("30000-32767")->to_string() == "30000-32767");
    CHECK(parse_service_node_port_range(" 20000-20099 ").value() == port_range{20000, 100});
    CHECK(parse_service_node_port_range("30000").value() == port_range{30000, 1});
    CHECK(parse_service_node_port_range("30000+9").value() == port_range{30000, 10});
    CHECK(parse_service_node_port_range("030000-030009").value() == port_range{30000, 10});

    struct bad_case {
        std::string_view text;
        std::string_view message;
        std::size_t offset;
    };
    const bad_case cases[] = {
        {"abc", "strconv.Atoi: parsing \"abc\": invalid syntax", 0},
        {"30000-x", "strconv.Atoi: parsing \"x\": invalid syntax", 6},
        {"-30000", "strconv.Atoi: parsing \"\": invalid syntax", 0},
        {"+30009", "strconv.Atoi: parsing \"\": invalid syntax", 0},
        {"30000-", "strconv.Atoi: parsing \"\": invalid syntax", 6},
        {"30000-99999999999999999999",
         "strconv.Atoi: parsing \"99999999999999999999\": value out of range", 6},
        {"30000-70000", "the port range cannot be greater than 65535: 30000-70000", 0},
        {"65000+1000", "the port range cannot be greater than 65535: 65000+1000", 0},
        {"32767-30000", "end port cannot be less than start port: 32767-30000", 0},
        {"1-2+3", "unable to parse port range: 1-2+3", 0},
        {"+30000-30009", "unable to parse port range: +30000-30009", 0},
    };
    for (const bad_case& c : cases) {
        CAPTURE(c.text);
        const auto parsed = parse_service_node_port_range(c.text);
        REQUIRE_FALSE(parsed.has_value());
        CHECK(parsed.error().message == c.message);
        CHECK(parsed.error().offset == c.offset);
    }
}

TEST_CASE("TestCreateInitIPFields: single-stack IPv4 cluster") {
    check_init_cases(
        "10.0.0.0/16",
        {
            {"ClusterIPs:unset_Policy:unset_Families:unset",
             {},
             "",
             {},
             false,
             "SingleStack",
             {"IPv4"}},
            {"ClusterIPs:unset_Policy:unset_Families:v4",
             {},
             "",
             {"IPv4"},
             false,
             "SingleStack",
             {"IPv4"}},
            {"ClusterIPs:unset_Policy:unset_Families:v6", {}, "", {"IPv6"}, false, "", {}},
            {"ClusterIPs:unset_Policy:unset_Families:v4v6",
             {},
             "",
             {"IPv4", "IPv6"},
             false,
             "",
             {}},
            {"ClusterIPs:unset_Policy:PreferDualStack_Families:unset",
             {},
             "PreferDualStack",
             {},
             false,
             "PreferDualStack",
             {"IPv4"}},
            {"ClusterIPs:unset_Policy:RequireDualStack_Families:unset",
             {},
             "RequireDualStack",
             {},
             false,
             "",
             {}},
            {"ClusterIPs:v4_Policy:unset_Families:unset",
             {"10.0.0.5"},
             "",
             {},
             false,
             "SingleStack",
             {"IPv4"}},
            {"ClusterIPs:v4_Policy:PreferDualStack_Families:v4v6",
             {"10.0.0.5"},
             "PreferDualStack",
             {"IPv4", "IPv6"},
             false,
             "",
             {}},
            {"ClusterIPs:v4v6_Policy:unset_Families:unset",
             {"10.0.0.5", "2000::5"},
             "",
             {},
             false,
             "",
             {}},
            {"ClusterIPs:v6_Policy:unset_Families:unset", {"2000::5"}, "", {}, false, "", {}},
            {"HeadlessSelectorless_Policy:unset_Families:unset",
             {"None"},
             "",
             {},
             true,
             "RequireDualStack",
             {"IPv4", "IPv6"}},
            {"HeadlessSelectorless_Policy:SingleStack_Families:unset",
             {"None"},
             "SingleStack",
             {},
             true,
             "SingleStack",
             {"IPv4"}},
            {"HeadlessSelectorless_Policy:unset_Families:v6",
             {"None"},
             "",
             {"IPv6"},
             true,
             "RequireDualStack",
             {"IPv6", "IPv4"}},
        });
}

TEST_CASE("TestCreateInitIPFields: single-stack IPv6 cluster") {
    check_init_cases(
        "2000::/108",
        {
            {"ClusterIPs:unset_Policy:unset_Families:unset",
             {},
             "",
             {},
             false,
             "SingleStack",
             {"IPv6"}},
            {"ClusterIPs:unset_Policy:unset_Families:v4", {}, "", {"IPv4"}, false, "", {}},
            {"ClusterIPs:unset_Policy:PreferDualStack_Families:unset",
             {},
             "PreferDualStack",
             {},
             false,
             "PreferDualStack",
             {"IPv6"}},
            {"ClusterIPs:v6_Policy:unset_Families:unset",
             {"2000::5"},
             "",
             {},
             false,
             "SingleStack",
             {"IPv6"}},
            {"HeadlessSelectorless_Policy:unset_Families:unset",
             {"None"},
             "",
             {},
             true,
             "RequireDualStack",
             {"IPv6", "IPv4"}},
        });
}

TEST_CASE("TestCreateInitIPFields: dual-stack clusters, IPv4 or IPv6 primary") {
    check_init_cases("10.0.0.0/16,2000::/108",
                     {
                         {"ClusterIPs:unset_Policy:unset_Families:unset",
                          {},
                          "",
                          {},
                          false,
                          "SingleStack",
                          {"IPv4"}},
                         {"ClusterIPs:unset_Policy:unset_Families:v6",
                          {},
                          "",
                          {"IPv6"},
                          false,
                          "SingleStack",
                          {"IPv6"}},
                         {"ClusterIPs:unset_Policy:unset_Families:v4v6",
                          {},
                          "",
                          {"IPv4", "IPv6"},
                          false,
                          "",
                          {}},
                         {"ClusterIPs:unset_Policy:SingleStack_Families:v6v4",
                          {},
                          "SingleStack",
                          {"IPv6", "IPv4"},
                          false,
                          "",
                          {}},
                         {"ClusterIPs:unset_Policy:PreferDualStack_Families:unset",
                          {},
                          "PreferDualStack",
                          {},
                          false,
                          "PreferDualStack",
                          {"IPv4", "IPv6"}},
                         {"ClusterIPs:unset_Policy:PreferDualStack_Families:v6",
                          {},
                          "PreferDualStack",
                          {"IPv6"},
                          false,
                          "PreferDualStack",
                          {"IPv6", "IPv4"}},
                         {"ClusterIPs:unset_Policy:RequireDualStack_Families:unset",
                          {},
                          "RequireDualStack",
                          {},
                          false,
                          "RequireDualStack",
                          {"IPv4", "IPv6"}},
                         {"ClusterIPs:unset_Policy:RequireDualStack_Families:v6v4",
                          {},
                          "RequireDualStack",
                          {"IPv6", "IPv4"},
                          false,
                          "RequireDualStack",
                          {"IPv6", "IPv4"}},
                         {"ClusterIPs:v6_Policy:unset_Families:unset",
                          {"2000::5"},
                          "",
                          {},
                          false,
                          "SingleStack",
                          {"IPv6"}},
                         {"ClusterIPs:v6_Policy:RequireDualStack_Families:unset",
                          {"2000::5"},
                          "RequireDualStack",
                          {},
                          false,
                          "RequireDualStack",
                          {"IPv6", "IPv4"}},
                         {"ClusterIPs:v4v6_Policy:unset_Families:unset",
                          {"10.0.0.5", "2000::5"},
                          "",
                          {},
                          false,
                          "",
                          {}},
                         {"ClusterIPs:v4v6_Policy:PreferDualStack_Families:unset",
                          {"10.0.0.5", "2000::5"},
                          "PreferDualStack",
                          {},
                          false,
                          "PreferDualStack",
                          {"IPv4", "IPv6"}},
                         {"ClusterIPs:v4v6_Policy:RequireDualStack_Families:v6v4",
                          {"10.0.0.5", "2000::5"},
                          "RequireDualStack",
                          {"IPv6", "IPv4"},
                          false,
                          "",
                          {}},
                         {"HeadlessSelectorless_Policy:unset_Families:unset",
                          {"None"},
                          "",
                          {},
                          true,
                          "RequireDualStack",
                          {"IPv4", "IPv6"}},
                     });
    check_init_cases("2000::/108,10.0.0.0/16",
                     {
                         {"ClusterIPs:unset_Policy:unset_Families:unset",
                          {},
                          "",
                          {},
                          false,
                          "SingleStack",
                          {"IPv6"}},
                         {"ClusterIPs:unset_Policy:PreferDualStack_Families:unset",
                          {},
                          "PreferDualStack",
                          {},
                          false,
                          "PreferDualStack",
                          {"IPv6", "IPv4"}},
                         {"ClusterIPs:v4_Policy:PreferDualStack_Families:unset",
                          {"10.0.0.5"},
                          "PreferDualStack",
                          {},
                          false,
                          "PreferDualStack",
                          {"IPv4", "IPv6"}},
                         {"HeadlessSelectorless_Policy:unset_Families:unset",
                          {"None"},
                          "",
                          {},
                          true,
                          "RequireDualStack",
                          {"IPv6", "IPv4"}},
                     });
}

TEST_CASE("initIPFamilyFields: a headless Service with a selector follows the normal rules") {
    allocations taken;
    service svc = make_service("db");
    svc.spec.cluster_ip = "None";
    REQUIRE_FALSE(allocate(svc, cluster_of("10.0.0.0/16,fd00::/108"), taken));
    CHECK(svc.spec.ip_family_policy == "SingleStack");
    CHECK(svc.spec.ip_families == std::vector<std::string>{"IPv4"});
    CHECK(svc.spec.cluster_ips == std::vector<std::string>{"None"});
    CHECK(taken.address_count() == 0);

    service require = make_service("db2");
    require.spec.cluster_ip = "None";
    require.spec.ip_family_policy = "RequireDualStack";
    const auto error = allocate(require, cluster_of("10.0.0.0/16"), taken);
    REQUIRE(error);
    CHECK(error->message == "Service \"db2\" is invalid: spec.ipFamilyPolicy: Invalid value: "
                            "\"RequireDualStack\": this cluster is not configured for dual-stack "
                            "services");
}

TEST_CASE("initIPFamilyFields and ValidateServiceClusterIPsRelatedFields: the refusals") {
    struct refusal {
        std::string_view name;
        std::string cluster_ip;
        std::vector<std::string> cluster_ips;
        std::string policy;
        std::vector<std::string> families;
        std::string_view message;
    };
    const refusal cases[] = {
        {"family not configured",
         "",
         {},
         "",
         {"IPv6"},
         "Service \"foo\" is invalid: spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured "
         "on this cluster"},
        {"clusterIP of a family not configured",
         "2000::1",
         {},
         "",
         {},
         "Service \"foo\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"2000::1\"}: "
         "IPv6 is not configured on this cluster"},
        {"SingleStack with two families",
         "",
         {},
         "SingleStack",
         {"IPv4", "IPv6"},
         "Service \"foo\" is invalid: spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must "
         "be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"},
        {"unknown policy",
         "",
         {},
         "DualStack",
         {},
         "Service \"foo\" is invalid: spec.ipFamilyPolicy: Unsupported value: \"DualStack\": "
         "supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\""},
        {"unknown and repeated families",
         "",
         {},
         "",
         {"IPv4", "IPv4", "ipv6"},
         "Service \"foo\" is invalid: [spec.ipFamilies[1]: Duplicate value: \"IPv4\", "
         "spec.ipFamilies[2]: Unsupported value: \"ipv6\": supported values: \"IPv4\", \"IPv6\"]"},
        {"clusterIPs without clusterIP",
         "",
         {"10.0.0.5"},
         "",
         {},
         "Service \"foo\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.0.5\"}: "
         "must be empty when `clusterIP` is not specified"},
        {"clusterIPs[0] differs from clusterIP",
         "10.0.0.5",
         {"10.0.0.6"},
         "",
         {},
         "Service \"foo\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.0.6\"}: "
         "first value must match `clusterIP`"},
        {"not an IP",
         "10.0.0.256",
         {},
         "",
         {},
         "Service \"foo\" is invalid: spec.clusterIPs[0]: Invalid value: \"10.0.0.256\": must be "
         "a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"},
        {"two IPs of one family",
         "10.0.0.5",
         {"10.0.0.5", "10.0.0.6"},
         "PreferDualStack",
         {},
         "Service \"foo\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.0.5\", "
         "\"10.0.0.6\"}: may specify no more than one IP for each IP family"},
        {"IP of the other family than ipFamilies says",
         "10.0.0.5",
         {},
         "",
         {"IPv6"},
         "Service \"foo\" is invalid: spec.clusterIPs[0]: Invalid value: \"10.0.0.5\": expected "
         "an IPv6 value as indicated by `ipFamilies[0]`"},
        {"None among several",
         "None",
         {"None", "10.0.0.5"},
         "",
         {},
         "Service \"foo\" is invalid: spec.clusterIPs: Invalid value: []string{\"None\", "
         "\"10.0.0.5\"}: 'None' must be the first and only value"},
    };
    const cluster_config cluster = cluster_of("10.0.0.0/16");
    for (const refusal& c : cases) {
        CAPTURE(c.name);
        allocations taken;
        service svc = make_service("foo");
        svc.spec.cluster_ip = c.cluster_ip;
        svc.spec.cluster_ips = c.cluster_ips;
        svc.spec.ip_family_policy = c.policy;
        svc.spec.ip_families = c.families;
        const auto error = allocate(svc, cluster, taken);
        REQUIRE(error);
        CHECK(error->reason == "Invalid");
        CHECK(error->message == c.message);
        CHECK_FALSE(error->causes.empty());
    }
}

TEST_CASE("allocClusterIPs: a requested address must be usable in its family's range and free") {
    const cluster_config cluster = cluster_of("10.0.0.0/24,fd00::/120");
    allocations taken;
    taken.add(ip("10.0.0.10"));

    const auto refused = [&](std::string_view requested) {
        service svc = make_service("web");
        svc.spec.cluster_ip = requested;
        const auto error = allocate(svc, cluster, taken);
        REQUIRE(error);
        return error->message;
    };
    CHECK(refused("10.0.1.5") ==
          "Service \"web\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.1.5\"}: "
          "failed to allocate IP 10.0.1.5: the provided IP (10.0.1.5) is not in the valid range. "
          "The range of valid IPs is 10.0.0.0/24");
    CHECK(refused("10.0.0.0").find("the provided IP (10.0.0.0) is not in the valid range") !=
          std::string::npos);
    CHECK(refused("10.0.0.255").find("is not in the valid range") != std::string::npos);
    CHECK(refused("10.0.0.10") == "Service \"web\" is invalid: spec.clusterIPs: Invalid value: "
                                  "[]string{\"10.0.0.10\"}: failed to allocate IP 10.0.0.10: "
                                  "provided IP is already allocated");
    CHECK(refused("10.0.0.1").find("provided IP is already allocated") != std::string::npos);
    CHECK(refused("fd00::").find("is not in the valid range") != std::string::npos);

    service last_v4 = make_service("last");
    last_v4.spec.cluster_ip = "10.0.0.254";
    REQUIRE_FALSE(allocate(last_v4, cluster, taken));
    service broadcast_v6 = make_service("v6");
    broadcast_v6.spec.cluster_ip = "fd00::ff";
    REQUIRE_FALSE(allocate(broadcast_v6, cluster, taken));
    CHECK(broadcast_v6.spec.ip_families == std::vector<std::string>{"IPv6"});

    service dual = make_service("dual");
    dual.spec.cluster_ip = "10.0.0.20";
    dual.spec.ip_family_policy = "RequireDualStack";
    dual.spec.cluster_ips = {"10.0.0.20", "fd00::10"};
    REQUIRE_FALSE(allocate(dual, cluster, taken));
    CHECK(dual.spec.cluster_ips == std::vector<std::string>{"10.0.0.20", "fd00::10"});
    CHECK(taken.contains(ip("fd00::10")));

    service clash = make_service("clash");
    clash.spec.cluster_ip = "10.0.0.21";
    clash.spec.cluster_ips = {"10.0.0.21", "fd00::10"};
    clash.spec.ip_family_policy = "PreferDualStack";
    const auto error = allocate(clash, cluster, taken);
    REQUIRE(error);
    CHECK(error->message == "Service \"clash\" is invalid: spec.clusterIPs: Invalid value: "
                            "[]string{\"10.0.0.21\", \"fd00::10\"}: failed to allocate IP "
                            "fd00::10: provided IP is already allocated");
    CHECK_FALSE(taken.contains(ip("10.0.0.21")));
}

TEST_CASE("allocClusterIPs: a requested address keeps the text it was written in") {
    allocations taken;
    service svc = make_service("web");
    svc.spec.cluster_ip = "10.0.0.010";
    REQUIRE_FALSE(allocate(svc, cluster_of("10.0.0.0/24"), taken));
    CHECK(svc.spec.cluster_ip == "10.0.0.010");
    CHECK(taken.contains(ip("10.0.0.10")));
}

TEST_CASE("Test_calculateRangeOffset: the static band of a Service range (KEP-3070)") {
    using svcdisc::detail::allocation::range_offset;
    using svcdisc::detail::allocation::range_size;
    const auto offset = [](std::string_view cidr) {
        return range_offset(range_size(ip_cidr::parse(cidr).value()), 16, 256, 16);
    };
    CHECK(offset("192.168.1.1/32") == 0);
    CHECK(offset("fd00::1/128") == 0);
    CHECK(offset("192.168.1.1/30") == 0);
    CHECK(offset("fd00::1/126") == 0);
    CHECK(offset("192.168.1.1/28") == 0);
    CHECK(offset("192.168.1.1/27") == 16);
    CHECK(offset("fd00::1/124") == 0);
    CHECK(offset("fd00::1/122") == 16);
    CHECK(offset("192.168.1.1/22") == 64);
    CHECK(offset("fd00::1/118") == 64);
    CHECK(offset("192.168.1.1/8") == 256);
    CHECK(offset("fd00::1/12") == 256);
}

TEST_CASE("TestAllocateReserved: dynamic addresses come from the upper band until it is full") {
    // A /25 has 126 usable addresses; the first 16 (.1-.16) are the static band.
    const cluster_config cluster = cluster_of("192.168.1.0/25");
    allocations taken;
    for (int i = 0; i < 110; ++i) {
        service svc = make_service("svc-" + std::to_string(i));
        REQUIRE_FALSE(allocate(svc, cluster, taken));
        const auto last_octet = ip(svc.spec.cluster_ip).bytes()[15];
        CHECK(last_octet >= 17);
        CHECK(last_octet <= 126);
    }
    CHECK(taken.address_count() == 110);
    // The upper band is full: the lower band is used, except .1 (the kubernetes Service's).
    std::set<std::string> lower;
    for (int i = 0; i < 15; ++i) {
        service svc = make_service("late-" + std::to_string(i));
        REQUIRE_FALSE(allocate(svc, cluster, taken));
        lower.insert(svc.spec.cluster_ip);
    }
    CHECK(lower.size() == 15);
    CHECK(lower.count("192.168.1.1") == 0);
    service full = make_service("full");
    const auto error = allocate(full, cluster, taken);
    REQUIRE(error);
    CHECK(error->reason == "InternalError");
    CHECK(error->message ==
          "Internal error occurred: failed to allocate a serviceIP: range is full");
    CHECK(taken.address_count() == 125);

    service api_server = make_service("kubernetes", "default");
    REQUIRE_FALSE(allocate(api_server, cluster, taken));
    CHECK(api_server.spec.cluster_ip == "192.168.1.1");
}

TEST_CASE("the kubernetes Service in default gets the first address of the primary range") {
    const cluster_config cluster = cluster_of("10.96.0.0/12,fd00::/108");
    allocations taken;
    service api_server = make_service("kubernetes", "default");
    api_server.spec.selector.reset();
    api_server.spec.ip_family_policy = "PreferDualStack";
    REQUIRE_FALSE(allocate(api_server, cluster, taken));
    CHECK(api_server.spec.cluster_ip == "10.96.0.1");
    REQUIRE(api_server.spec.cluster_ips.size() == 2);
    CHECK(api_server.spec.cluster_ips[1] != "fd00::1");

    service other = make_service("web");
    other.spec.cluster_ip = "10.96.0.1";
    allocations empty;
    const auto error = allocate(other, cluster, empty);
    REQUIRE(error);
    CHECK(error->message.find("provided IP is already allocated") != std::string::npos);
}

TEST_CASE("allocation is deterministic: same Service, cluster and taken set, same addresses") {
    const cluster_config cluster = cluster_of("10.96.0.0/12,fd00:10:96::/108", "30000-32767");
    const auto allocate_fresh = [&](service svc, allocations taken) {
        REQUIRE_FALSE(allocate(svc, cluster, taken));
        return svc;
    };
    service svc = make_service("web", "shop");
    svc.spec.type = "NodePort";
    svc.spec.ip_family_policy = "PreferDualStack";
    const service first = allocate_fresh(svc, {});
    CHECK(allocate_fresh(svc, {}) == first);
    // The pick does not depend on other Services unless they hold the very same address.
    allocations others;
    for (int i = 0; i < 50; ++i) {
        service other = make_service("other-" + std::to_string(i), "shop");
        other.spec.type = "NodePort";
        REQUIRE_FALSE(allocate(other, cluster, others));
    }
    const service later = allocate_fresh(svc, others);
    CHECK(later.spec.cluster_ips == first.spec.cluster_ips);
    // A taken address moves the pick to the next free one in the walk.
    allocations holding;
    holding.add(ip(first.spec.cluster_ip));
    const service moved = allocate_fresh(svc, holding);
    CHECK(moved.spec.cluster_ip != first.spec.cluster_ip);
    CHECK(ip(moved.spec.cluster_ip) == svcdisc::detail::advance(ip(first.spec.cluster_ip), 1));
    // Another name, another seed.
    CHECK(allocate_fresh(make_service("api", "shop"), {}).spec.cluster_ip !=
          allocate_fresh(make_service("web", "shop"), {}).spec.cluster_ip);
}

TEST_CASE("allocate: a refused Service leaves the Service and the taken set unchanged") {
    const cluster_config cluster = cluster_of("10.0.0.0/24", "30000-30099");
    allocations taken;
    taken.add_node_port(30050);
    service svc = make_service("web");
    svc.spec.type = "NodePort";
    svc.spec.ports.emplace_back().port = 443;
    svc.spec.ports[1].node_port = 30050;
    const service before = svc;
    const auto error = allocate(svc, cluster, taken);
    REQUIRE(error);
    CHECK(error->message == "Service \"web\" is invalid: spec.ports[1].nodePort: Invalid value: "
                            "30050: provided port is already allocated");
    REQUIRE(error->causes.size() == 1);
    CHECK(error->causes[0] == svcdisc::allocation_error_cause{
                                  "spec.ports[1].nodePort",
                                  "Invalid value: 30050: provided port is already allocated"});
    CHECK(svc == before);
    CHECK(taken.address_count() == 0);
    CHECK(taken.node_port_count() == 1);
}

TEST_CASE("ExternalName Services get no families, addresses or node ports") {
    allocations taken;
    service svc = make_service("ext");
    svc.spec.type = "ExternalName";
    svc.spec.external_name = "example.com";
    REQUIRE_FALSE(allocate(svc, cluster_config{}, taken));
    CHECK(svc.spec.ip_family_policy.empty());
    CHECK(svc.spec.ip_families.empty());
    CHECK(svc.spec.cluster_ip.empty());
    CHECK(svc.spec.ports[0].node_port == 0);
}

TEST_CASE("initNodePorts: every port of a NodePort or LoadBalancer Service gets a node port") {
    const cluster_config cluster = cluster_of("10.0.0.0/16", "30000-32767");
    for (const std::string_view type : {"NodePort", "LoadBalancer"}) {
        CAPTURE(type);
        allocations taken;
        service svc = make_service("web");
        svc.spec.type = type;
        svc.spec.ports.emplace_back().port = 443;
        REQUIRE_FALSE(allocate(svc, cluster, taken));
        for (const auto& port : svc.spec.ports) {
            // KEP-3668: 2768 ports, a static band of min(max(16, 2768 / 32), 128) = 86.
            CHECK(port.node_port >= 30086);
            CHECK(port.node_port <= 32767);
            CHECK(taken.contains_node_port(port.node_port));
        }
        CHECK(svc.spec.ports[0].node_port != svc.spec.ports[1].node_port);
    }
    allocations taken;
    service plain = make_service("plain");
    REQUIRE_FALSE(allocate(plain, cluster, taken));
    CHECK(plain.spec.ports[0].node_port == 0);
    CHECK(taken.node_port_count() == 0);
}

TEST_CASE("initNodePorts: ports with the same number share one node port, a request is kept") {
    const cluster_config cluster = cluster_of("10.0.0.0/16", "30000-32767");
    allocations taken;
    service svc = make_service("dns");
    svc.spec.type = "NodePort";
    svc.spec.ports.clear();
    svc.spec.ports.push_back({"dns-tcp", "TCP", std::nullopt, 53, 53, 0});
    svc.spec.ports.push_back({"dns-udp", "UDP", std::nullopt, 53, 53, 0});
    svc.spec.ports.push_back({"metrics", "TCP", std::nullopt, 9153, 9153, 30010});
    svc.spec.ports.push_back({"metrics-udp", "UDP", std::nullopt, 9153, 9153, 0});
    REQUIRE_FALSE(allocate(svc, cluster, taken));
    CHECK(svc.spec.ports[0].node_port == svc.spec.ports[1].node_port);
    CHECK(svc.spec.ports[2].node_port == 30010);
    CHECK(svc.spec.ports[3].node_port == 30010);
    CHECK(taken.node_port_count() == 2);

    service later = make_service("later");
    later.spec.type = "NodePort";
    later.spec.ports.clear();
    later.spec.ports.push_back({"a", "TCP", std::nullopt, 80, 80, 0});
    later.spec.ports.push_back({"b", "UDP", std::nullopt, 80, 80, 31000});
    REQUIRE_FALSE(allocate(later, cluster, taken));
    CHECK(later.spec.ports[0].node_port == 31000);
    CHECK(later.spec.ports[1].node_port == 31000);
}

TEST_CASE("initNodePorts: requested ports outside the range, and a full range") {
    const cluster_config cluster = cluster_of("10.0.0.0/16", "30000-30019");
    allocations taken;
    service svc = make_service("web");
    svc.spec.type = "NodePort";
    svc.spec.ports[0].node_port = 40000;
    auto error = allocate(svc, cluster, taken);
    REQUIRE(error);
    CHECK(error->message == "Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: "
                            "40000: provided port is not in the valid range. The range of valid "
                            "ports is 30000-30019");

    // 20 ports: a static band of 16 (30000-30015), a dynamic band of 4.
    std::vector<std::int32_t> order;
    for (int i = 0; i < 20; ++i) {
        service next = make_service("svc-" + std::to_string(i));
        next.spec.type = "NodePort";
        REQUIRE_FALSE(allocate(next, cluster, taken));
        order.push_back(next.spec.ports[0].node_port);
    }
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(order[i] >= 30016);
    }
    for (std::size_t i = 4; i < order.size(); ++i) {
        CHECK(order[i] < 30016);
    }
    service full = make_service("full");
    full.spec.type = "NodePort";
    error = allocate(full, cluster, taken);
    REQUIRE(error);
    CHECK(error->reason == "InternalError");
    CHECK(error->message ==
          "Internal error occurred: failed to allocate a nodePort: range is full");
    CHECK(taken.address_count() == 20);
}

TEST_CASE("allocations::add(service) records the addresses and node ports a Service holds") {
    service svc = make_service("web");
    svc.spec.cluster_ip = "10.0.0.5";
    svc.spec.ports[0].node_port = 30080;
    allocations taken;
    taken.add(svc);
    CHECK(taken.contains(ip("10.0.0.5")));
    CHECK(taken.contains_node_port(30080));

    service dual = make_service("dual");
    dual.spec.cluster_ip = "10.0.0.6";
    dual.spec.cluster_ips = {"10.0.0.6", "fd00::6"};
    taken.add(dual);
    CHECK(taken.contains(ip("fd00::6")));

    service headless = make_service("headless");
    headless.spec.cluster_ip = "None";
    taken.add(headless);
    CHECK(taken.address_count() == 3);
}

TEST_CASE("allocate: clusterIP alone is copied into clusterIPs (normalizeClusterIPs)") {
    allocations taken;
    service svc = make_service("web");
    svc.spec.cluster_ip = "10.96.0.50";
    REQUIRE_FALSE(allocate(svc, cluster_config{}, taken));
    CHECK(svc.spec.cluster_ips == std::vector<std::string>{"10.96.0.50"});
    CHECK(svc.spec.ip_families == std::vector<std::string>{"IPv4"});
}
