#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/derive_endpoints.hpp>

// derive_endpoints on random clusters from a fixed seed: the result does not depend on pod
// order, equals a naive reference (the controller's raw subsets, written out plainly, then
// repack_subsets and truncation), and a user's own pod type read through pod_traits gives the
// same object as svcdisc::pod.

namespace {

struct cluster {
    svcdisc::service svc;
    std::vector<svcdisc::pod> pods;
};

template <class T>
const T& pick(std::mt19937& rng, const std::vector<T>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
}

bool coin(std::mt19937& rng, double p = 0.5) {
    return std::bernoulli_distribution(p)(rng);
}

cluster random_cluster(std::mt19937& rng, int pod_count) {
    cluster c;
    svcdisc::service& svc = c.svc;
    svc.metadata.name = "svc";
    svc.metadata.namespace_ = "ns";
    svc.metadata.labels = {{"team", "x"}};
    svc.spec.selector = svcdisc::label_set{{"app", "web"}};
    svc.spec.type = "ClusterIP";
    svc.spec.publish_not_ready_addresses = coin(rng, 0.2);
    svc.spec.cluster_ip = pick(rng, std::vector<std::string>{"10.96.0.10", "None", "fd00::10", ""});
    svc.spec.ip_families =
        pick(rng, std::vector<std::vector<std::string>>{{"IPv4"}, {"IPv6"}, {"IPv4", "IPv6"}, {}});
    const int port_count = std::uniform_int_distribution<int>(0, 3)(rng);
    const std::vector<std::string> names{"http", "metrics", "grpc"};
    for (int i = 0; i < port_count; ++i) {
        svcdisc::service_port sp;
        sp.name = names[static_cast<std::size_t>(i)];
        sp.protocol = coin(rng, 0.8) ? "TCP" : "UDP";
        sp.port = 80 + i;
        if (coin(rng)) {
            sp.target_port = std::string(names[static_cast<std::size_t>(i)]);
        } else {
            sp.target_port = 8080 + i;
        }
        if (coin(rng, 0.2)) {
            sp.app_protocol = "h2c";
        }
        svc.spec.ports.push_back(sp);
    }

    const std::vector<std::string> v4{"10.0.0.1", "10.0.0.10", "10.0.0.9", "9.0.0.1", "10.0.1.2"};
    const std::vector<std::string> v6{"fd00::1", "fd00::a", "fd00::2"};
    for (int n = 0; n < pod_count; ++n) {
        svcdisc::pod p;
        p.metadata.name = "p" + std::to_string(n);
        p.metadata.namespace_ = coin(rng, 0.9) ? "ns" : "other";
        p.metadata.uid = "uid-" + std::to_string(n);
        p.metadata.labels = coin(rng, 0.85) ? svcdisc::label_set{{"app", "web"}}
                                            : svcdisc::label_set{{"app", "api"}};
        p.spec.node_name = pick(rng, std::vector<std::string>{"node-a", "node-b", ""});
        if (coin(rng, 0.3)) {
            p.spec.hostname = "h" + std::to_string(n);
            p.spec.subdomain = coin(rng) ? "svc" : "other";
        }
        p.status.phase =
            pick(rng, std::vector<std::string>{"Running", "Running", "Pending", "Failed", ""});
        p.status.conditions = {{"Ready", coin(rng, 0.7) ? "True" : "False"}};
        if (coin(rng, 0.1)) {
            p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
        }
        const int shape = std::uniform_int_distribution<int>(0, 4)(rng);
        if (shape == 0) {
            p.status.pod_ips = {pick(rng, v4)};
        } else if (shape == 1) {
            p.status.pod_ips = {pick(rng, v6)};
        } else if (shape == 2) {
            p.status.pod_ips = {pick(rng, v4), pick(rng, v6)};
        } else if (shape == 3) {
            p.status.pod_ips = {pick(rng, v6), pick(rng, v4)};
        }
        p.status.pod_ip =
            p.status.pod_ips.empty() ? (coin(rng) ? "10.0.0.5" : "") : p.status.pod_ips.front();
        svcdisc::container main_container{"c0", {}, std::nullopt};
        for (const auto& name : names) {
            if (coin(rng, 0.7)) {
                main_container.ports.push_back(
                    {name, std::uniform_int_distribution<std::int32_t>(9000, 9002)(rng),
                     coin(rng, 0.8) ? "TCP" : "UDP", 0});
            }
        }
        p.spec.containers = {main_container};
        if (coin(rng, 0.2)) {
            p.spec.init_containers = {
                {"sidecar",
                 {{pick(rng, names), 7000, "TCP", 0}},
                 coin(rng) ? std::optional<std::string>("Always") : std::nullopt}};
        }
        c.pods.push_back(std::move(p));
    }
    return c;
}

// The controller's loop (syncService with ShouldPodBeInEndpoints, podToEndpointAddressForService
// and FindPort; docs/endpoints.md) written out plainly, producing raw subsets.
std::optional<std::int32_t> reference_port(const svcdisc::pod& p, const svcdisc::service_port& sp) {
    if (!sp.target_port.is_string()) {
        return sp.target_port.number();
    }
    for (const auto& c : p.spec.containers) {
        for (const auto& cp : c.ports) {
            if (cp.name == sp.target_port.text() && cp.protocol == sp.protocol) {
                return cp.container_port;
            }
        }
    }
    for (const auto& c : p.spec.init_containers) {
        if (c.restart_policy != std::optional<std::string>("Always")) {
            continue;
        }
        for (const auto& cp : c.ports) {
            if (cp.name == sp.target_port.text() && cp.protocol == sp.protocol) {
                return cp.container_port;
            }
        }
    }
    return std::nullopt;
}

std::optional<svcdisc::endpoints> reference(const svcdisc::service& svc,
                                            const std::vector<svcdisc::pod>& pods) {
    if (svc.spec.type == "ExternalName" || !svc.spec.selector || svc.spec.selector->empty()) {
        return std::nullopt;
    }
    const bool pnra = svc.spec.publish_not_ready_addresses;
    std::vector<svcdisc::endpoint_subset> raw;
    for (const auto& p : pods) {
        if (p.metadata.namespace_ != svc.metadata.namespace_) {
            continue;
        }
        bool selected = true;
        for (const auto& [k, v] : *svc.spec.selector) {
            selected =
                selected && p.metadata.labels.find_value(k) == std::optional<std::string_view>(v);
        }
        if (!selected || p.status.phase == "Failed" || p.status.phase == "Succeeded" ||
            (p.status.pod_ip.empty() && p.status.pod_ips.empty()) ||
            (p.metadata.deletion_timestamp && !pnra)) {
            continue;
        }
        bool want_v6 = false;
        if (!svc.spec.ip_families.empty()) {
            want_v6 = svc.spec.ip_families[0] == "IPv6";
        } else if (!svc.spec.cluster_ip.empty() && svc.spec.cluster_ip != "None") {
            want_v6 = svcdisc::is_ipv6_string(svc.spec.cluster_ip);
        } else {
            want_v6 = svcdisc::is_ipv6_string(p.status.pod_ip);
        }
        std::optional<std::string> ip;
        for (const auto& candidate : p.status.pod_ips) {
            if (svcdisc::is_ipv6_string(candidate) == want_v6) {
                ip = candidate;
                break;
            }
        }
        if (!ip) {
            continue;
        }
        svcdisc::endpoint_address a{*ip, "", p.spec.node_name,
                                    svcdisc::object_reference{"Pod", p.metadata.namespace_,
                                                              p.metadata.name, p.metadata.uid, "",
                                                              "", ""}};
        if (!p.spec.hostname.empty() && p.spec.subdomain == svc.metadata.name) {
            a.hostname = p.spec.hostname;
        }
        const bool ready = pnra || svcdisc::is_pod_ready(p);
        const auto add = [&](std::vector<svcdisc::endpoint_port> ports) {
            svcdisc::endpoint_subset s;
            (ready ? s.addresses : s.not_ready_addresses).push_back(a);
            s.ports = std::move(ports);
            raw.push_back(std::move(s));
        };
        if (svc.spec.ports.empty()) {
            if (svc.spec.cluster_ip == "None") {
                add({});
            }
            continue;
        }
        for (const auto& sp : svc.spec.ports) {
            if (const auto number = reference_port(p, sp)) {
                add({{sp.name, *number, sp.protocol, sp.app_protocol}});
            }
        }
    }
    svcdisc::endpoints eps;
    eps.metadata.name = svc.metadata.name;
    eps.metadata.namespace_ = svc.metadata.namespace_;
    eps.metadata.labels = svc.metadata.labels;
    if (svc.spec.cluster_ip.empty() || svc.spec.cluster_ip == "None") {
        eps.metadata.labels.insert_or_assign("service.kubernetes.io/headless", "");
    } else {
        eps.metadata.labels.erase("service.kubernetes.io/headless");
    }
    eps.metadata.labels.insert_or_assign("endpoints.kubernetes.io/managed-by",
                                         "endpoint-controller");
    eps.subsets = svcdisc::repack_subsets(raw);
    svcdisc::truncate_endpoints(eps);
    return eps;
}

// A user's own flat pod type. Some traits return std::string by value on purpose: derivation
// must keep those alive itself.
struct flat_pod {
    std::string name;
    std::string ns;
    std::string id;
    std::map<std::string, std::string> labels;
    std::string phase;
    bool ready = false;
    bool deleting = false;
    std::string node;
    std::string hostname;
    std::string subdomain;
    std::vector<std::string> ips;
    std::string primary_ip;
    struct port {
        std::string name;
        std::int32_t number;
        std::string protocol;
    };
    std::vector<port> ports;
};

flat_pod flatten(const svcdisc::pod& p) {
    flat_pod f;
    f.name = p.metadata.name;
    f.ns = p.metadata.namespace_;
    f.id = p.metadata.uid;
    for (const auto& [k, v] : p.metadata.labels) {
        f.labels[k] = v;
    }
    f.phase = p.status.phase;
    f.ready = svcdisc::is_pod_ready(p);
    f.deleting = p.metadata.deletion_timestamp.has_value();
    f.node = p.spec.node_name;
    f.hostname = p.spec.hostname;
    f.subdomain = p.spec.subdomain;
    f.ips = p.status.pod_ips;
    f.primary_ip = p.status.pod_ip;
    svcdisc::pod_traits<svcdisc::pod>::for_each_port(
        p, [&](std::string_view name, std::int32_t number, std::string_view protocol) {
            f.ports.push_back({std::string(name), number, std::string(protocol)});
            return false;
        });
    return f;
}

} // namespace

template <>
struct svcdisc::pod_traits<flat_pod> {
    static std::string name(const flat_pod& p) { return p.name; }
    static std::string_view namespace_(const flat_pod& p) { return p.ns; }
    static std::string uid(const flat_pod& p) { return p.id; }
    static const std::map<std::string, std::string>& labels(const flat_pod& p) { return p.labels; }
    static std::string_view phase(const flat_pod& p) { return p.phase; }
    static bool ready(const flat_pod& p) { return p.ready; }
    static bool terminating(const flat_pod& p) { return p.deleting; }
    static std::string node_name(const flat_pod& p) { return p.node; }
    static const std::string& hostname(const flat_pod& p) { return p.hostname; }
    static std::string_view subdomain(const flat_pod& p) { return p.subdomain; }
    static std::string_view pod_ip(const flat_pod& p) { return p.primary_ip; }
    static std::vector<std::string> pod_ips(const flat_pod& p) { return p.ips; }
    template <class Visit>
    static void for_each_port(const flat_pod& p, Visit&& visit) {
        for (const auto& port : p.ports) {
            if (visit(std::string_view(port.name), port.number, std::string_view(port.protocol))) {
                return;
            }
        }
    }
};

TEST_CASE("property: shuffled pod order gives the identical object") {
    std::mt19937 rng(20240601);
    for (int round = 0; round < 300; ++round) {
        cluster c = random_cluster(rng, std::uniform_int_distribution<int>(0, 40)(rng));
        // Add exact duplicates and same-identity records with other readiness.
        if (!c.pods.empty() && coin(rng, 0.3)) {
            svcdisc::pod copy = c.pods.front();
            copy.status.conditions = {{"Ready", "False"}};
            c.pods.push_back(copy);
        }
        const auto first = svcdisc::derive_endpoints(c.svc, c.pods);
        for (int shuffle = 0; shuffle < 3; ++shuffle) {
            std::shuffle(c.pods.begin(), c.pods.end(), rng);
            CHECK(svcdisc::derive_endpoints(c.svc, c.pods) == first);
        }
    }
}

TEST_CASE("property: derive_endpoints equals raw subsets + repack_subsets + truncation") {
    std::mt19937 rng(7);
    int several_subsets = 0;
    int not_ready_seen = 0;
    for (int round = 0; round < 400; ++round) {
        const cluster c = random_cluster(rng, std::uniform_int_distribution<int>(0, 40)(rng));
        const auto got = svcdisc::derive_endpoints(c.svc, c.pods);
        const auto want = reference(c.svc, c.pods);
        CHECK(got == want);
        if (got && got->subsets.size() > 1) {
            ++several_subsets;
        }
        if (got && std::any_of(got->subsets.begin(), got->subsets.end(),
                               [](const auto& s) { return !s.not_ready_addresses.empty(); })) {
            ++not_ready_seen;
        }
    }
    // The random clusters must exercise repacking, not just trivial one-subset objects.
    CHECK(several_subsets > 50);
    CHECK(not_ready_seen > 50);
}

TEST_CASE("property: truncation agrees with the reference on large random clusters") {
    std::mt19937 rng(99);
    int truncated = 0;
    for (int round = 0; round < 4; ++round) {
        cluster c = random_cluster(rng, 2000);
        for (std::size_t i = 0; i < c.pods.size(); ++i) {
            c.pods[i].status.pod_ips = {"10.2." + std::to_string(i / 256) + "." +
                                        std::to_string(i % 256)};
            c.pods[i].status.pod_ip = c.pods[i].status.pod_ips.front();
        }
        c.svc.spec.ip_families = {"IPv4"};
        const auto got = svcdisc::derive_endpoints(c.svc, c.pods);
        CHECK(got == reference(c.svc, c.pods));
        REQUIRE(got);
        CHECK(svcdisc::endpoints_address_count(*got) <= 1000);
        if (got->metadata.annotations.contains("endpoints.kubernetes.io/over-capacity")) {
            ++truncated;
        }
    }
    CHECK(truncated > 0);
}

TEST_CASE("property: a user pod type through pod_traits gives the same object as svcdisc::pod") {
    static_assert(svcdisc::pod_like<flat_pod>);
    std::mt19937 rng(31337);
    for (int round = 0; round < 300; ++round) {
        const cluster c = random_cluster(rng, std::uniform_int_distribution<int>(0, 40)(rng));
        std::vector<flat_pod> flat;
        for (const auto& p : c.pods) {
            flat.push_back(flatten(p));
        }
        CHECK(svcdisc::derive_endpoints(c.svc, flat) == svcdisc::derive_endpoints(c.svc, c.pods));
    }
}

TEST_CASE("property: many addresses with shared IPs and long IPv6 texts sort like the reference") {
    // Over 256 addresses the sort takes its radix path; shared IPs (told apart by uid) and IPv6
    // texts that agree on their first 16 bytes exercise its tie handling.
    std::mt19937 rng(4242);
    const std::vector<std::string> ips{"fd00:0000:0000:0000:0000:0000:0000:0001",
                                       "fd00:0000:0000:0000:0000:0000:0000:0010",
                                       "fd00:0000:0000:0000:0000:0000:0000:0002",
                                       "fd00:0000:0000:0000::9",
                                       "fd00::1",
                                       "fd00::10"};
    for (int round = 0; round < 3; ++round) {
        cluster c = random_cluster(rng, 600);
        c.svc.spec.ip_families = {"IPv6"};
        for (auto& p : c.pods) {
            p.status.pod_ips = {pick(rng, ips)};
            p.status.pod_ip = p.status.pod_ips.front();
        }
        const auto got = svcdisc::derive_endpoints(c.svc, c.pods);
        CHECK(got == reference(c.svc, c.pods));
        std::shuffle(c.pods.begin(), c.pods.end(), rng);
        CHECK(svcdisc::derive_endpoints(c.svc, c.pods) == got);
    }
}
