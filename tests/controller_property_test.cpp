// The event-driven controller against the pure derivations, after every event of random event
// sequences from fixed seeds (docs/controller.md):
//   * each managed Service's Endpoints object equals derive_endpoints on the current state, byte
//     for byte; an unmanaged Service's object stays as it was;
//   * the slices equal the previous slices with reconcile_endpoint_slices (and, for hand-written
//     Endpoints, reconcile_mirrored_slices) applied: the incremental reconcile makes exactly the
//     pure reconciler's choices, so unchanged endpoints stay in their slices;
//   * no slice holds more than max_endpoints_per_slice endpoints;
//   * the reported changes are exactly the objects that changed, once each, with the right type.

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <typeinfo>
#include <utility>
#include <variant>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/controller.hpp>
#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/mirror.hpp>
#include <svcdisc/synthetic_cluster.hpp>

namespace {

using key = std::pair<std::string, std::string>;

/// The random world: objects by key, mutated by random events.
struct world {
    std::map<key, svcdisc::pod> pods;
    std::map<key, svcdisc::service> services;
    std::map<std::string, svcdisc::node> nodes;
    std::map<key, svcdisc::endpoints> hand_written;
};

const std::vector<std::string> namespaces{"a", "b"};
const std::vector<std::string> apps{"web", "db", "api"};

svcdisc::pod random_pod(svcdisc::splitmix64& rng, const std::string& ns, const std::string& name,
                        std::size_t serial) {
    svcdisc::pod p;
    p.metadata.namespace_ = ns;
    p.metadata.name = name;
    p.metadata.uid = "uid-" + ns + "-" + name + "-" + std::to_string(serial);
    p.metadata.labels.insert_or_assign("app", apps[rng.below(apps.size())]);
    if (rng.chance(0.6)) {
        p.metadata.labels.insert_or_assign("tier", rng.chance(0.5) ? "fe" : "be");
    }
    p.spec.node_name = rng.chance(0.9) ? "n" + std::to_string(rng.below(5)) : "";
    if (rng.chance(0.2)) {
        p.spec.hostname = name;
        p.spec.subdomain = "svc" + std::to_string(rng.below(3));
    }
    auto& c = p.spec.containers.emplace_back();
    c.name = "main";
    if (rng.chance(0.8)) {
        c.ports.push_back({"http", rng.chance(0.8) ? 8080 : 8081, "TCP", 0});
    }
    if (rng.chance(0.5)) {
        c.ports.push_back({"metrics", 9100, rng.chance(0.9) ? "TCP" : "UDP", 0});
    }
    p.status.phase = rng.chance(0.9) ? "Running" : (rng.chance(0.5) ? "Failed" : "Pending");
    if (rng.chance(0.85)) {
        const std::string ip =
            "10.0." + std::to_string(rng.below(4)) + "." + std::to_string(1 + rng.below(40));
        p.status.pod_ip = ip;
        p.status.pod_ips = {ip};
        if (rng.chance(0.2)) {
            p.status.pod_ips.push_back("fd00::" + std::to_string(1 + rng.below(40)));
        }
    }
    p.status.conditions = {{"Ready", rng.chance(0.75) ? "True" : "False"}};
    if (rng.chance(0.08)) {
        p.metadata.deletion_timestamp = "2024-05-01T00:00:00Z";
    }
    return p;
}

svcdisc::service random_service(svcdisc::splitmix64& rng, const std::string& ns,
                                const std::string& name, std::size_t serial) {
    svcdisc::service svc;
    svc.metadata.namespace_ = ns;
    svc.metadata.name = name;
    svc.metadata.uid = "svc-" + ns + "-" + name + "-" + std::to_string(serial);
    if (rng.chance(0.3)) {
        svc.metadata.labels.insert_or_assign("team", rng.chance(0.5) ? "x" : "y");
    }
    const double kind = rng.unit();
    if (kind < 0.08) {
        // selector-less
    } else {
        svcdisc::label_set selector;
        selector.insert_or_assign("app", apps[rng.below(apps.size())]);
        if (rng.chance(0.3)) {
            selector.insert_or_assign("tier", rng.chance(0.5) ? "fe" : "be");
        }
        svc.spec.selector = selector;
    }
    svc.spec.type = rng.chance(0.06) ? "ExternalName" : "ClusterIP";
    if (svc.spec.type == "ExternalName") {
        svc.spec.external_name = "example.com";
    } else if (rng.chance(0.2)) {
        svc.spec.cluster_ip = "None";
    } else {
        svc.spec.cluster_ip = "10.96.0." + std::to_string(1 + rng.below(200));
        if (rng.chance(0.15)) {
            svc.spec.ip_families = {"IPv4", "IPv6"};
        }
    }
    svc.spec.publish_not_ready_addresses = rng.chance(0.15);
    const std::size_t ports = svc.spec.cluster_ip == "None" ? rng.below(2) : 1 + rng.below(2);
    for (std::size_t i = 0; i < ports; ++i) {
        svcdisc::service_port port;
        port.name = i == 0 ? "http" : "metrics";
        port.protocol = "TCP";
        port.port = i == 0 ? 80 : 9100;
        if (i == 0) {
            port.target_port = rng.chance(0.5) ? svcdisc::int_or_string(std::string("http"))
                                               : svcdisc::int_or_string(8080);
        } else {
            port.target_port = svcdisc::int_or_string(std::string("metrics"));
        }
        svc.spec.ports.push_back(port);
    }
    return svc;
}

svcdisc::node random_node(svcdisc::splitmix64& rng, const std::string& name) {
    svcdisc::node n;
    n.metadata.name = name;
    if (rng.chance(0.8)) {
        n.metadata.labels.insert_or_assign("topology.kubernetes.io/zone",
                                           "z" + std::to_string(rng.below(3)));
    }
    return n;
}

svcdisc::endpoints random_hand_written(svcdisc::splitmix64& rng, const std::string& ns,
                                       const std::string& name) {
    svcdisc::endpoints eps;
    eps.metadata.namespace_ = ns;
    eps.metadata.name = name;
    auto& subset = eps.subsets.emplace_back();
    const std::size_t addresses = rng.below(4);
    for (std::size_t i = 0; i < addresses; ++i) {
        svcdisc::endpoint_address a;
        a.ip = "192.168.1." + std::to_string(1 + rng.below(20));
        (rng.chance(0.8) ? subset.addresses : subset.not_ready_addresses).push_back(a);
    }
    subset.ports.push_back({"http", 80, "TCP", std::nullopt});
    return eps;
}

/// One random event, applied to the world too.
svcdisc::watch_event random_event(svcdisc::splitmix64& rng, world& w, std::size_t& serial) {
    const std::string ns = namespaces[rng.below(namespaces.size())];
    const double roll = rng.unit();
    using svcdisc::watch_event_type;
    ++serial;
    if (roll < 0.55) {
        const std::string name = "p" + std::to_string(rng.below(24));
        const key k{ns, name};
        const auto it = w.pods.find(k);
        if (it != w.pods.end() && rng.chance(0.25)) {
            svcdisc::watch_event e{watch_event_type::deleted, it->second};
            w.pods.erase(it);
            return e;
        }
        svcdisc::pod p = random_pod(rng, ns, name, serial);
        if (it != w.pods.end() && rng.chance(0.7)) {
            // A small change of the existing pod, keeping its identity.
            p = it->second;
            switch (rng.below(6)) {
            case 0:
                p.status.conditions = {{"Ready", p.status.conditions.empty() ||
                                                         p.status.conditions[0].status == "False"
                                                     ? "True"
                                                     : "False"}};
                break;
            case 1:
                p.metadata.labels.insert_or_assign("app", apps[rng.below(apps.size())]);
                break;
            case 2:
                p.metadata.deletion_timestamp = "2024-05-01T00:00:00Z";
                break;
            case 3:
                p.spec.node_name = "n" + std::to_string(rng.below(5));
                break;
            case 4: {
                const std::string ip = "10.0.9." + std::to_string(1 + rng.below(40));
                p.status.pod_ip = ip;
                p.status.pod_ips = {ip};
                break;
            }
            default:
                p.status.phase = rng.chance(0.5) ? "Succeeded" : "Running";
                break;
            }
        }
        const bool existed = it != w.pods.end();
        w.pods[k] = p;
        return {existed ? watch_event_type::modified : watch_event_type::added, p};
    }
    if (roll < 0.72) {
        const std::string name = "svc" + std::to_string(rng.below(3));
        const key k{ns, name};
        const auto it = w.services.find(k);
        if (it != w.services.end() && rng.chance(0.2)) {
            svcdisc::watch_event e{watch_event_type::deleted, it->second};
            w.services.erase(it);
            return e;
        }
        svcdisc::service svc = random_service(rng, ns, name, serial);
        if (it != w.services.end()) {
            svc.metadata.uid = it->second.metadata.uid; // an update keeps the uid
        }
        const bool existed = it != w.services.end();
        w.services[k] = svc;
        return {existed ? watch_event_type::modified : watch_event_type::added, svc};
    }
    if (roll < 0.85) {
        const std::string name = "n" + std::to_string(rng.below(5));
        const auto it = w.nodes.find(name);
        if (it != w.nodes.end() && rng.chance(0.3)) {
            svcdisc::watch_event e{watch_event_type::deleted, it->second};
            w.nodes.erase(it);
            return e;
        }
        svcdisc::node n = random_node(rng, name);
        const bool existed = it != w.nodes.end();
        w.nodes[name] = n;
        return {existed ? watch_event_type::modified : watch_event_type::added, n};
    }
    const std::string name = "svc" + std::to_string(rng.below(3));
    const key k{ns, name};
    const auto managed = w.services.find(k);
    if (managed != w.services.end() && svcdisc::endpoint_controllers_manage(managed->second)) {
        // Someone else writing a managed Service's Endpoints is a test of its own.
        return random_event(rng, w, serial);
    }
    const auto it = w.hand_written.find(k);
    if (it != w.hand_written.end() && rng.chance(0.3)) {
        svcdisc::watch_event e{watch_event_type::deleted, it->second};
        w.hand_written.erase(it);
        return e;
    }
    svcdisc::endpoints eps = random_hand_written(rng, ns, name);
    const bool existed = it != w.hand_written.end();
    w.hand_written[k] = eps;
    return {existed ? watch_event_type::modified : watch_event_type::added, eps};
}

using slice_map = std::map<key, svcdisc::endpoint_slice>;
using endpoints_map = std::map<key, svcdisc::endpoints>;

slice_map slices_of(const svcdisc::controller& c) {
    slice_map out;
    c.for_each_endpoint_slice([&](const auto& s) {
        out.emplace(key{s->metadata.namespace_, s->metadata.name}, *s);
    });
    return out;
}

endpoints_map endpoints_of(const svcdisc::controller& c) {
    endpoints_map out;
    c.for_each_endpoints([&](const auto& e) {
        out.emplace(key{e->metadata.namespace_, e->metadata.name}, *e);
    });
    return out;
}

void apply_changes(slice_map& slices, const std::string& ns,
                   const std::vector<svcdisc::endpoint_slice>& creates,
                   const std::vector<svcdisc::endpoint_slice>& updates,
                   const std::vector<svcdisc::endpoint_slice>& deletes) {
    for (const auto& s : deletes) {
        slices.erase(key{ns, s.metadata.name});
    }
    for (const auto& s : updates) {
        slices[key{ns, s.metadata.name}] = s;
    }
    for (const auto& s : creates) {
        slices[key{ns, s.metadata.name}] = s;
    }
}

/// What the slices must be after the batch: the previous slices with the pure reconcilers' writes
/// for every Service and Endpoints name of the namespaces (mirroring reads the Endpoints objects
/// as the controller holds them).
slice_map expected_slices(const slice_map& before, const world& w, const world& previous,
                          const endpoints_map& endpoints_now,
                          const svcdisc::controller_options& options) {
    slice_map expected = before;
    std::vector<svcdisc::pod> pods;
    for (const auto& [k, p] : w.pods) {
        pods.push_back(p);
    }
    std::vector<svcdisc::node> nodes;
    for (const auto& [k, n] : w.nodes) {
        nodes.push_back(n);
    }
    for (const auto& [k, svc] : w.services) {
        if (!svcdisc::endpoint_controllers_manage(svc)) {
            continue;
        }
        std::vector<svcdisc::endpoint_slice> existing;
        for (const auto& [sk, s] : expected) {
            if (sk.first == k.first) {
                existing.push_back(s);
            }
        }
        const auto changes =
            svcdisc::reconcile_endpoint_slices(svc, pods, nodes, existing, options.slices);
        apply_changes(expected, k.first, changes.to_create, changes.to_update, changes.to_delete);
    }
    for (const std::string& ns : namespaces) {
        for (int i = 0; i < 3; ++i) {
            const std::string name = "svc" + std::to_string(i);
            const auto svc = w.services.find(key{ns, name});
            const auto eps = endpoints_now.find(key{ns, name});
            std::vector<svcdisc::endpoint_slice> existing;
            for (const auto& [sk, s] : expected) {
                if (sk.first == ns) {
                    existing.push_back(s);
                }
            }
            const auto changes = svcdisc::reconcile_mirrored_slices<std::string>(
                ns, name, svc == w.services.end() ? nullptr : &svc->second,
                eps == endpoints_now.end() ? nullptr : &eps->second, existing);
            apply_changes(expected, ns, changes.to_create, changes.to_update, changes.to_delete);
        }
    }
    // Deleted Services: their own slices go (garbage collection).
    for (const auto& k_and_svc : previous.services) {
        const auto& k = k_and_svc.first;
        const auto& svc = k_and_svc.second;
        const auto now = w.services.find(k);
        if (now != w.services.end() && now->second.metadata.uid == svc.metadata.uid) {
            continue;
        }
        for (auto it = expected.begin(); it != expected.end();) {
            const auto& s = it->second;
            const bool owned =
                std::any_of(s.metadata.owner_references.begin(), s.metadata.owner_references.end(),
                            [&](const auto& o) { return o.uid == svc.metadata.uid; });
            it = owned && it->first.first == k.first ? expected.erase(it) : std::next(it);
        }
    }
    return expected;
}

/// Runs `steps` random events from `seed` through a controller, checking after each.
void run(std::uint64_t seed, std::size_t steps, std::size_t max_per_slice, std::size_t batch) {
    svcdisc::splitmix64 rng(seed);
    world w;
    std::size_t serial = 0;
    svcdisc::controller_options options;
    options.slices.max_endpoints_per_slice = max_per_slice;
    svcdisc::controller c(options);
    c.initial_sync();
    endpoints_map unmanaged_before;
    for (std::size_t step = 0; step < steps; ++step) {
        const world previous = w;
        const slice_map slices_before = slices_of(c);
        const endpoints_map endpoints_before = endpoints_of(c);
        std::vector<svcdisc::watch_event> events;
        for (std::size_t i = 0; i < batch; ++i) {
            events.push_back(random_event(rng, w, serial));
        }
        CAPTURE(seed);
        CAPTURE(step);
        std::string described;
        for (const auto& e : events) {
            described += std::string(svcdisc::to_string(e.type)) + " " +
                         std::visit(
                             [](const auto& o) {
                                 return std::string(typeid(o).name()).substr(0, 40) + " " +
                                        o.metadata.namespace_ + "/" + o.metadata.name;
                             },
                             e.object) +
                         "; ";
        }
        CAPTURE(described);
        const auto error = batch == 1 ? c.apply(events.front()) : c.apply_batch(events);
        REQUIRE_FALSE(error.has_value());

        // Endpoints.
        std::vector<svcdisc::pod> pods;
        for (const auto& [k, p] : w.pods) {
            pods.push_back(p);
        }
        const endpoints_map endpoints_after = endpoints_of(c);
        for (const auto& k_and_svc : w.services) {
            const auto& k = k_and_svc.first;
            const auto& svc = k_and_svc.second;
            CAPTURE(k.first);
            CAPTURE(k.second);
            const auto derived = svcdisc::derive_endpoints(svc, pods);
            const auto found = endpoints_after.find(k);
            if (derived) {
                REQUIRE(found != endpoints_after.end());
                // The Endpoints controller skips a write whose only change is the headless
                // label (syncService's no-op rule), so that label may lag behind.
                auto held = found->second;
                auto want = *derived;
                held.metadata.labels.erase(svcdisc::endpoints_keys::headless_label);
                want.metadata.labels.erase(svcdisc::endpoints_keys::headless_label);
                CHECK(held == want);
            }
        }
        // Slices.
        const slice_map slices_after = slices_of(c);
        const slice_map expected =
            expected_slices(slices_before, w, previous, endpoints_after, options);
        for (const auto& k_and_s : slices_after) {
            const auto& k = k_and_s.first;
            const auto& s = k_and_s.second;
            CAPTURE(k.second);
            if (s.metadata.labels.find_value(svcdisc::endpoint_slice_keys::managed_by_label) ==
                svcdisc::endpoint_slice_keys::endpointslice_controller) {
                CHECK(s.endpoints.size() <= max_per_slice);
            }
            const auto want = expected.find(k);
            if (want == expected.end()) {
                std::string all;
                for (const auto& [ek, es] : expected) {
                    all += ek.first + "/" + ek.second + " ";
                }
                std::string before_names;
                for (const auto& [ek, es] : slices_before) {
                    before_names += ek.first + "/" + ek.second + " ";
                }
                std::string mine;
                for (const auto& [ek, es] : slices_after) {
                    mine += ek.first + "/" + ek.second + " ";
                }
                CAPTURE(all);
                CAPTURE(before_names);
                CAPTURE(mine);
                REQUIRE(want != expected.end());
            }
            CHECK(want->second == s);
        }
        for (const auto& k_and_s : expected) {
            const auto& k = k_and_s.first;
            CAPTURE(k.second);
            CHECK(slices_after.count(k) == 1);
        }
        // Changes: exactly the objects that differ, each once.
        std::map<std::pair<int, key>, svcdisc::watch_event_type> reported;
        for (const auto& change : c.changes()) {
            const key k{std::string(c.namespace_of(change)), std::string(c.name_of(change))};
            const auto [at, fresh] =
                reported.emplace(std::pair{static_cast<int>(change.kind), k}, change.type);
            CHECK(fresh);
        }
        const auto check_kind = [&](const auto& before, const auto& after, int kind) {
            for (const auto& k_and_object : after) {
                const auto& k = k_and_object.first;
                const auto& object = k_and_object.second;
                const auto old = before.find(k);
                const auto got = reported.find({kind, k});
                CAPTURE(k.second);
                if (old == before.end()) {
                    REQUIRE(got != reported.end());
                    CHECK(got->second == svcdisc::watch_event_type::added);
                } else if (!(old->second == object)) {
                    REQUIRE(got != reported.end());
                    CHECK(got->second == svcdisc::watch_event_type::modified);
                } else {
                    CHECK(got == reported.end());
                }
            }
            for (const auto& k_and_object : before) {
                const auto& k = k_and_object.first;
                if (after.count(k) == 0) {
                    const auto got = reported.find({kind, k});
                    CAPTURE(k.second);
                    std::string all_reported;
                    for (const auto& [rk, rt] : reported) {
                        all_reported += std::to_string(rk.first) + ":" + rk.second.first + "/" +
                                        rk.second.second + "=" +
                                        std::string(svcdisc::to_string(rt)) + " ";
                    }
                    CAPTURE(all_reported);
                    REQUIRE(got != reported.end());
                    CHECK(got->second == svcdisc::watch_event_type::deleted);
                }
            }
        };
        check_kind(endpoints_before, endpoints_after, 0);
        check_kind(slices_before, slices_after, 1);
    }
}

} // namespace

TEST_CASE("controller: after every event, Endpoints equal derive_endpoints and slices equal "
          "reconcile_endpoint_slices of the previous slices") {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        run(seed, 400, seed % 2 == 0 ? 3 : 100, 1);
    }
}

TEST_CASE("controller: batches coalesce into one change per object and match the pure "
          "derivations at the end of each batch") {
    for (std::uint64_t seed = 11; seed <= 14; ++seed) {
        run(seed, 120, 4, 1 + seed % 4 + 2);
    }
}
