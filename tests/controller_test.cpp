// The event-driven controller, rule by rule (docs/controller.md): what each kind of event does
// to Endpoints and EndpointSlices, named after the upstream behaviour it models.

#include <algorithm>
#include <array>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/controller.hpp>
#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/detail/controller/identity_ranks.hpp>
#include <svcdisc/detail/controller/keyed_store.hpp>
#include <svcdisc/synthetic_cluster.hpp>

namespace {

using svcdisc::derived_kind;
using svcdisc::watch_event_type;

svcdisc::service make_service(const std::string& name = "my-service") {
    svcdisc::service svc;
    svc.metadata.name = name;
    svc.metadata.namespace_ = "default";
    svc.metadata.uid = "uid-" + name;
    svc.spec.type = "ClusterIP";
    svc.spec.cluster_ip = "10.96.0.20";
    svc.spec.selector = svcdisc::label_set{{"app", "MyApp"}};
    auto& port = svc.spec.ports.emplace_back();
    port.protocol = "TCP";
    port.port = 80;
    port.target_port = 9376;
    return svc;
}

svcdisc::pod make_pod(const std::string& name, const std::string& ip, bool ready = true,
                      const std::string& node = "node-1") {
    svcdisc::pod p;
    p.metadata.name = name;
    p.metadata.namespace_ = "default";
    p.metadata.uid = "uid-" + name;
    p.metadata.labels = {{"app", "MyApp"}};
    p.spec.node_name = node;
    p.status.phase = "Running";
    p.status.pod_ip = ip;
    p.status.pod_ips = {ip};
    p.status.conditions = {{"Ready", ready ? "True" : "False"}};
    return p;
}

svcdisc::node make_node(const std::string& name, const std::string& zone = "zone-a") {
    svcdisc::node n;
    n.metadata.name = name;
    n.metadata.labels = {{"topology.kubernetes.io/zone", zone}};
    return n;
}

/// A change as text: "MODIFIED endpoints default/my-service".
/// my-service selecting my-app-1 (10.244.1.5, ready) on node-1, loaded and synced.
void sync_one_pod_cluster(svcdisc::controller& c) {
    REQUIRE_FALSE(c.load(make_service()));
    REQUIRE_FALSE(c.load(make_pod("my-app-1", "10.244.1.5")));
    REQUIRE_FALSE(c.load(make_node("node-1")));
    c.initial_sync();
}

std::vector<std::string> describe(const svcdisc::controller& c) {
    std::vector<std::string> out;
    for (const auto& change : c.changes()) {
        out.push_back(
            std::string(svcdisc::to_string(change.type)) + " " +
            (change.kind == derived_kind::endpoints_object ? "endpoints " : "endpointslice ") +
            std::string(c.namespace_of(change)) + "/" + std::string(c.name_of(change)));
    }
    return out;
}

std::size_t count_changes(const svcdisc::controller& c, watch_event_type type, derived_kind kind) {
    return static_cast<std::size_t>(
        std::count_if(c.changes().begin(), c.changes().end(), [&](const auto& change) {
            return change.type == type && change.kind == kind;
        }));
}

/// Everything the controller holds, for before/after comparisons.
struct snapshot {
    std::vector<svcdisc::endpoints> endpoints;
    std::vector<svcdisc::endpoint_slice> slices;
    friend bool operator==(const snapshot&, const snapshot&) = default;
};

snapshot snapshot_of(const svcdisc::controller& c) {
    snapshot s;
    c.for_each_endpoints([&](const auto& e) { s.endpoints.push_back(*e); });
    c.for_each_endpoint_slice([&](const auto& slice) { s.slices.push_back(*slice); });
    const auto by_name = [](const auto& a, const auto& b) {
        return a.metadata.name < b.metadata.name;
    };
    std::sort(s.endpoints.begin(), s.endpoints.end(), by_name);
    std::sort(s.slices.begin(), s.slices.end(), by_name);
    return s;
}

std::vector<svcdisc::pod> all_pods(const svcdisc::controller& c) {
    std::vector<svcdisc::pod> pods;
    c.for_each_pod([&](const svcdisc::pod& p) { pods.push_back(p); });
    return pods;
}

} // namespace

TEST_CASE("controller initial_sync: the informers' initial list as ADDED, Endpoints first") {
    svcdisc::controller c;
    REQUIRE_FALSE(c.load(make_service()));
    REQUIRE_FALSE(c.load(make_pod("my-app-1", "10.244.1.5")));
    REQUIRE_FALSE(c.load(make_pod("my-app-2", "10.244.2.7")));
    REQUIRE_FALSE(c.load(make_node("node-1")));
    c.initial_sync();
    const auto changes = describe(c);
    REQUIRE(changes.size() == 2);
    CHECK(changes[0] == "ADDED endpoints default/my-service");
    CHECK(changes[1].rfind("ADDED endpointslice default/my-service-", 0) == 0);
    const auto eps = c.endpoints("default", "my-service");
    REQUIRE(eps);
    CHECK(*eps == *svcdisc::derive_endpoints(make_service(), all_pods(c)));
}

TEST_CASE("controller load: the initial state syncs the same in any load order, and reserve "
          "makes room for it up front") {
    constexpr int pod_count = 300;
    std::vector<svcdisc::pod> pods;
    for (int i = 0; i < pod_count; ++i) {
        pods.push_back(make_pod("my-app-" + std::to_string(i),
                                "10.244." + std::to_string(i / 200) + "." + std::to_string(i % 200),
                                i % 3 != 0, "node-" + std::to_string(i % 2)));
        if (i % 4 == 0) {
            pods.back().metadata.labels.insert_or_assign("tier", "edge");
        }
    }
    auto edge = make_service("edge");
    edge.spec.selector = svcdisc::label_set{{"app", "MyApp"}, {"tier", "edge"}};
    edge.spec.cluster_ip = "10.96.0.21";
    const auto load_all = [&](svcdisc::controller& c, bool services_first) {
        const auto load_services = [&] {
            REQUIRE_FALSE(c.load(make_service()));
            REQUIRE_FALSE(c.load(edge));
        };
        if (services_first) {
            load_services();
        }
        for (const auto& p : pods) {
            REQUIRE_FALSE(c.load(p));
        }
        if (!services_first) {
            load_services();
        }
        REQUIRE_FALSE(c.load(make_node("node-0")));
        REQUIRE_FALSE(c.load(make_node("node-1", "zone-b")));
        c.initial_sync();
    };
    svcdisc::controller grown;
    load_all(grown, true);
    svcdisc::controller reserved;
    reserved.reserve(pod_count, 2);
    load_all(reserved, false);

    const snapshot synced = snapshot_of(grown);
    CHECK(snapshot_of(reserved) == synced);
    REQUIRE(synced.endpoints.size() == 2);
    CHECK(synced.endpoints[0] == *svcdisc::derive_endpoints(edge, pods));
    CHECK(synced.endpoints[1] == *svcdisc::derive_endpoints(make_service(), pods));
    // Grown stores keep spare capacity; reserved ones hold what was loaded.
    CHECK(reserved.memory_usage() < grown.memory_usage());
    // Pods loaded before their Services are in the pod index once synced: events find them.
    REQUIRE_FALSE(reserved.apply(watch_event_type::deleted, pods[0]));
    REQUIRE_FALSE(grown.apply(watch_event_type::deleted, pods[0]));
    CHECK(snapshot_of(reserved) == snapshot_of(grown));
    CHECK(reserved.endpoints("default", "edge")->subsets != synced.endpoints[0].subsets);
}

TEST_CASE("controller syncService: a readiness flip moves the address and updates the slice") {
    svcdisc::controller c;
    sync_one_pod_cluster(c);
    REQUIRE_FALSE(c.apply(watch_event_type::modified, make_pod("my-app-1", "10.244.1.5", false)));
    const auto changes = describe(c);
    REQUIRE(changes.size() == 2);
    CHECK(changes[0] == "MODIFIED endpoints default/my-service");
    const auto eps = c.endpoints_of(c.changes()[0]);
    REQUIRE(eps->subsets.size() == 1);
    CHECK(eps->subsets[0].addresses.empty());
    CHECK(eps->subsets[0].not_ready_addresses.size() == 1);
    const auto slice = c.endpoint_slice_of(c.changes()[1]);
    REQUIRE(slice->endpoints.size() == 1);
    CHECK(slice->endpoints[0].conditions.ready == false);
}

TEST_CASE("controller address identities: a pod updated again and again keeps one entry per "
          "address, so the controller's memory stays flat") {
    svcdisc::controller c;
    sync_one_pod_cluster(c);
    const auto flip = [&](int count) {
        for (int i = 0; i < count; ++i) {
            REQUIRE_FALSE(c.apply(watch_event_type::modified,
                                  make_pod("my-app-1", "10.244.1.5", i % 2 == 0)));
        }
    };
    flip(8);
    const std::size_t settled = c.memory_usage();
    flip(4096);
    CHECK(c.memory_usage() == settled);
    // The pod's address still leaves with it: deleting it empties the Endpoints.
    REQUIRE_FALSE(c.apply(watch_event_type::deleted, make_pod("my-app-1", "10.244.1.5")));
    CHECK(c.endpoints("default", "my-service")->subsets.empty());
}

TEST_CASE("controller reconcile: a pod deleted and re-created in one batch keeps its place in "
          "its slice, and later writes of that slice still hold it") {
    svcdisc::controller c;
    REQUIRE_FALSE(c.load(make_service()));
    REQUIRE_FALSE(c.load(make_pod("my-app-1", "10.244.1.5")));
    REQUIRE_FALSE(c.load(make_pod("my-app-2", "10.244.1.6")));
    REQUIRE_FALSE(c.load(make_node("node-1")));
    c.initial_sync();
    std::vector<svcdisc::watch_event> recreate;
    recreate.push_back({watch_event_type::deleted, make_pod("my-app-1", "10.244.1.5")});
    recreate.push_back({watch_event_type::added, make_pod("my-app-1", "10.244.1.5")});
    REQUIRE_FALSE(c.apply_batch(std::move(recreate)));
    CHECK(c.changes().empty());
    REQUIRE_FALSE(c.apply(watch_event_type::modified, make_pod("my-app-2", "10.244.1.6", false)));
    const auto slices = c.endpoint_slices("default", "my-service");
    REQUIRE(slices.size() == 1);
    REQUIRE(slices[0]->endpoints.size() == 2);
    CHECK(slices[0]->endpoints[0].addresses[0] == "10.244.1.5");
    CHECK(slices[0]->endpoints[0].conditions.ready == true);
    CHECK(slices[0]->endpoints[1].conditions.ready == false);
    // Unmanaged from now on: its slice is frozen as it stands, the re-created pod included.
    auto external = make_service();
    external.spec.type = "ExternalName";
    external.spec.external_name = "example.com";
    REQUIRE_FALSE(c.apply(watch_event_type::modified, external));
    const auto frozen = c.endpoint_slices("default", "my-service");
    REQUIRE(frozen.size() == 1);
    CHECK(frozen[0]->endpoints.size() == 2);
}

TEST_CASE("controller no-op suppression: an event that changes nothing the controllers write "
          "reports nothing") {
    svcdisc::controller c;
    sync_one_pod_cluster(c);
    auto p = make_pod("my-app-1", "10.244.1.5");
    p.metadata.annotations.insert_or_assign("note", "irrelevant");
    REQUIRE_FALSE(c.apply(watch_event_type::modified, p));
    CHECK(c.changes().empty());
    // A pod no Service selects.
    auto other = make_pod("other", "10.244.3.3");
    other.metadata.labels = {{"app", "other"}};
    REQUIRE_FALSE(c.apply(watch_event_type::added, other));
    CHECK(c.changes().empty());
}

TEST_CASE("controller Node events: a zone change rewrites the slices of its pods, not the "
          "Endpoints") {
    svcdisc::controller c;
    REQUIRE_FALSE(c.load(make_service()));
    REQUIRE_FALSE(c.load(make_pod("my-app-1", "10.244.1.5")));
    REQUIRE_FALSE(c.load(make_node("node-1", "zone-a")));
    c.initial_sync();
    REQUIRE_FALSE(c.apply(watch_event_type::modified, make_node("node-1", "zone-b")));
    const auto changes = describe(c);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].rfind("MODIFIED endpointslice", 0) == 0);
    CHECK(c.endpoint_slice_of(c.changes()[0])->endpoints[0].zone == "zone-b");
    // The Node disappears: under the upstream node policy its pod leaves the slices.
    REQUIRE_FALSE(c.apply(watch_event_type::deleted, make_node("node-1")));
    const auto slices = c.endpoint_slices("default", "my-service");
    REQUIRE(slices.size() == 1);
    CHECK(slices[0]->endpoints.empty());
}

TEST_CASE("controller slice entries: a pod update that changes one input of its endpoint, and "
          "only that, rewrites the slice as the derivation has it") {
    const auto svc = make_service();
    std::vector<svcdisc::node> nodes{make_node("node-1", "zone-a")};
    auto pod = make_pod("my-app-1", "10.244.1.5");
    svcdisc::controller c;
    REQUIRE_FALSE(c.load(svc));
    REQUIRE_FALSE(c.load(pod));
    REQUIRE_FALSE(c.load(nodes.front()));
    c.initial_sync();
    const auto rewrites_slice = [&](const svcdisc::watched_object& changed) {
        REQUIRE_FALSE(c.apply(watch_event_type::modified, changed));
        CHECK(count_changes(c, watch_event_type::modified, derived_kind::slice_object) == 1);
        std::vector<svcdisc::endpoint_slice> held;
        for (const auto& slice : c.endpoint_slices("default", "my-service")) {
            held.push_back(*slice);
        }
        CHECK(held == svcdisc::derive_endpoint_slices(svc, all_pods(c), nodes));
    };
    SUBCASE("readiness") {
        pod.status.conditions = {{"Ready", "False"}};
        rewrites_slice(pod);
    }
    SUBCASE("terminating") {
        pod.metadata.deletion_timestamp = "2024-05-02T10:00:00Z";
        rewrites_slice(pod);
    }
    SUBCASE("the zone of its Node") {
        nodes.front() = make_node("node-1", "zone-b");
        rewrites_slice(nodes.front());
    }
    SUBCASE("its node") {
        nodes.push_back(make_node("node-2", "zone-a"));
        REQUIRE_FALSE(c.apply(watch_event_type::added, nodes.back()));
        pod.spec.node_name = "node-2";
        rewrites_slice(pod);
    }
    SUBCASE("its hostname, through the subdomain that makes it count") {
        pod.spec.hostname = "web-0";
        pod.spec.subdomain = "other";
        REQUIRE_FALSE(c.apply(watch_event_type::modified, pod));
        pod.spec.subdomain = "my-service";
        rewrites_slice(pod);
        pod.spec.hostname = "web-1";
        rewrites_slice(pod);
    }
    SUBCASE("its IP") {
        pod.status.pod_ip = "10.244.1.6";
        pod.status.pod_ips = {"10.244.1.6"};
        rewrites_slice(pod);
    }
    SUBCASE("its uid") {
        pod.metadata.uid = "uid-my-app-1-recreated";
        rewrites_slice(pod);
    }
}

TEST_CASE("controller syncService early return: an ExternalName Service or one without a "
          "selector keeps its last Endpoints and slices, stale, until it is managed again") {
    svcdisc::controller c;
    auto svc = make_service();
    REQUIRE_FALSE(c.load(svc));
    REQUIRE_FALSE(c.load(make_pod("my-app-1", "10.244.1.5")));
    REQUIRE_FALSE(c.load(make_node("node-1")));
    c.initial_sync();
    const snapshot before = snapshot_of(c);

    SUBCASE("ExternalName") {
        auto external = svc;
        external.spec.type = "ExternalName";
        external.spec.external_name = "example.com";
        external.spec.cluster_ip = "";
        REQUIRE_FALSE(c.apply(watch_event_type::modified, external));
        CHECK(c.changes().empty());
        REQUIRE_FALSE(c.apply(watch_event_type::added, make_pod("my-app-2", "10.244.2.7")));
        CHECK(c.changes().empty());
        CHECK(snapshot_of(c) == before);
        // Managed again: the next sync writes what the pods say now.
        REQUIRE_FALSE(c.apply(watch_event_type::modified, svc));
        CHECK(count_changes(c, watch_event_type::modified, derived_kind::endpoints_object) == 1);
        CHECK(*c.endpoints("default", "my-service") ==
              *svcdisc::derive_endpoints(svc, all_pods(c)));
    }
    SUBCASE("selector removed") {
        auto selectorless = svc;
        selectorless.spec.selector.reset();
        REQUIRE_FALSE(c.apply(watch_event_type::modified, selectorless));
        REQUIRE_FALSE(c.apply(watch_event_type::added, make_pod("my-app-2", "10.244.2.7")));
        // The Endpoints controller's slices and object stay as they were.
        CHECK(*c.endpoints("default", "my-service") == before.endpoints[0]);
    }
    SUBCASE("Service deleted: its Endpoints object and its slices go") {
        REQUIRE_FALSE(c.apply(watch_event_type::deleted, svc));
        CHECK(count_changes(c, watch_event_type::deleted, derived_kind::endpoints_object) == 1);
        CHECK(count_changes(c, watch_event_type::deleted, derived_kind::slice_object) == 1);
        CHECK(c.endpoints("default", "my-service") == nullptr);
        CHECK(c.endpoint_slices("default", "my-service").empty());
        // DELETED carries the last state.
        CHECK(*c.endpoints_of(c.changes()[0]) == before.endpoints[0]);
    }
}

TEST_CASE("controller truncateEndpoints: a 1,200-pod Service crosses the 1,000-address capacity "
          "and back, and every change is real") {
    svcdisc::controller c;
    const auto svc = make_service();
    REQUIRE_FALSE(c.load(svc));
    REQUIRE_FALSE(c.load(make_node("node-1")));
    c.initial_sync();
    const auto ip_of = [](std::size_t i) {
        return "10.1." + std::to_string(i / 250) + "." + std::to_string(1 + i % 250);
    };
    std::shared_ptr<const svcdisc::endpoints> previous = c.endpoints("default", "my-service");
    for (std::size_t i = 0; i < 1200; ++i) {
        REQUIRE_FALSE(c.apply(watch_event_type::added,
                              make_pod("p" + std::to_string(i), ip_of(i), i % 3 != 0)));
        const auto now = c.endpoints("default", "my-service");
        const bool reported =
            count_changes(c, watch_event_type::modified, derived_kind::endpoints_object) == 1;
        CHECK(reported == !(*now == *previous));
        previous = now;
    }
    CHECK(previous->metadata.annotations.find_value("endpoints.kubernetes.io/over-capacity") ==
          "truncated");
    CHECK(*previous == *svcdisc::derive_endpoints(svc, all_pods(c)));
    for (std::size_t i = 0; i < 1200; i += 2) {
        REQUIRE_FALSE(c.apply(watch_event_type::deleted, make_pod("p" + std::to_string(i), "")));
    }
    const auto after = c.endpoints("default", "my-service");
    CHECK_FALSE(after->metadata.annotations.contains("endpoints.kubernetes.io/over-capacity"));
    CHECK(*after == *svcdisc::derive_endpoints(svc, all_pods(c)));
}

TEST_CASE("controller truncateEndpoints: random events around the capacity agree with "
          "derive_endpoints, and a change is reported exactly when the object changes") {
    // Around 1,000 pods, events cross the capacity both ways, and pods sharing an identity (IP
    // and uid) exercise the merge RepackSubsets does. Well above it, with mostly ready pods,
    // many events fall outside the 1,000 addresses the object keeps and must change nothing.
    struct scenario {
        double ready_share;
        std::size_t pods;
        bool twins;
    };
    for (const scenario& run :
         {scenario{0.5, 990, true}, scenario{0.97, 1'250, false}, scenario{0.6, 1'400, false}}) {
        CAPTURE(run.ready_share);
        CAPTURE(run.pods);
        svcdisc::splitmix64 random(run.pods);
        svcdisc::controller c;
        const auto svc = make_service();
        REQUIRE_FALSE(c.load(svc));
        for (const char* node : {"node-1", "node-2"}) {
            REQUIRE_FALSE(c.load(make_node(node)));
        }
        std::vector<svcdisc::pod> pods;
        std::size_t serial = 0;
        const auto fresh_pod = [&] {
            const std::size_t n = serial++;
            return make_pod("p" + std::to_string(n),
                            "10." + std::to_string(random.below(3)) + "." +
                                std::to_string(random.below(8)) + "." +
                                std::to_string(1 + random.below(250)),
                            random.chance(run.ready_share));
        };
        for (std::size_t i = 0; i < run.pods; ++i) {
            pods.push_back(fresh_pod());
            REQUIRE_FALSE(c.load(pods.back()));
        }
        c.initial_sync();
        std::shared_ptr<const svcdisc::endpoints> previous = c.endpoints("default", "my-service");
        for (int step = 0; step < 300; ++step) {
            CAPTURE(step);
            const double dice = random.unit();
            const std::size_t at = random.below(pods.size());
            svcdisc::pod& p = pods[at];
            if (dice < 0.2 || pods.size() + 30 < run.pods) {
                pods.push_back(fresh_pod());
                if (run.twins && random.chance(0.1)) { // the identity of another pod
                    const svcdisc::pod& twin = pods[random.below(pods.size() - 1)];
                    pods.back().metadata.uid = twin.metadata.uid;
                    pods.back().status.pod_ip = twin.status.pod_ip;
                    pods.back().status.pod_ips = twin.status.pod_ips;
                }
                REQUIRE_FALSE(c.apply(watch_event_type::added, pods.back()));
            } else if (dice < 0.4 || pods.size() > run.pods + 70) {
                REQUIRE_FALSE(c.apply(watch_event_type::deleted, p));
                pods.erase(pods.begin() + static_cast<std::ptrdiff_t>(at));
            } else {
                if (dice < 0.6) {
                    const bool ready = p.status.conditions.back().status == "True";
                    p.status.conditions = {{"Ready", ready ? "False" : "True"}};
                } else if (dice < 0.7) {
                    p.status.pod_ip = "10.9.0." + std::to_string(1 + random.below(250));
                    p.status.pod_ips = {p.status.pod_ip};
                } else if (dice < 0.8) {
                    p.metadata.labels = {{"app", p.metadata.labels.find_value("app") == "MyApp"
                                                     ? "Other"
                                                     : "MyApp"}};
                } else if (dice < 0.9) {
                    p.spec.node_name = p.spec.node_name == "node-1" ? "node-2" : "node-1";
                } else {
                    p.status.phase = p.status.phase == "Running" ? "Succeeded" : "Running";
                }
                REQUIRE_FALSE(c.apply(watch_event_type::modified, p));
            }
            const auto now = c.endpoints("default", "my-service");
            REQUIRE(*now == *svcdisc::derive_endpoints(svc, pods));
            const bool reported =
                count_changes(c, watch_event_type::modified, derived_kind::endpoints_object) == 1;
            CHECK(reported == !(*now == *previous));
            previous = now;
        }
    }
}

TEST_CASE("controller stores: slots found by key across chunks, ids reused only once released, "
          "and slots of a full chunk never move as the store grows") {
    struct named_slot {
        std::string ns;
        std::string name;
        int value = 0;
        bool alive = false;
    };
    struct key_of {
        std::pair<std::string_view, std::string_view> operator()(const named_slot& s) const {
            return {s.ns, s.name};
        }
    };
    svcdisc::detail::keyed_store<named_slot, key_of> store;
    const auto name_of = [](int i) { return "object-" + std::to_string(i); };
    constexpr int count = 5000; // several chunks
    // Only the first chunk grows (up to 1,024 slots); once full, no chunk moves.
    const named_slot* early = nullptr;
    const named_slot* later = nullptr;
    for (int i = 0; i < count; ++i) {
        const std::uint32_t id = store.insert({"ns-" + std::to_string(i % 3), name_of(i), i});
        CHECK(id == static_cast<std::uint32_t>(i));
        if (i == 1500) {
            early = &store[0];
            later = &store[id];
        }
    }
    CHECK(&store[0] == early);
    CHECK(&store[1500] == later);
    CHECK(store.size() == count);
    for (int i = 0; i < count; i += 7) {
        const std::uint32_t id = store.find("ns-" + std::to_string(i % 3), name_of(i));
        REQUIRE(id == static_cast<std::uint32_t>(i));
        CHECK(store[id].value == i);
    }
    CHECK(store.find("ns-1", name_of(0)) == svcdisc::detail::no_id);
    store.erase(1234);
    CHECK(store.find("ns-1", name_of(1234)) == svcdisc::detail::no_id);
    CHECK(store.insert({"ns-x", "new", -1}) == count); // 1234 is not released yet
    store.release(1234);
    CHECK(store.insert({"ns-y", "newer", -2}) == 1234);
    CHECK(store.find("ns-y", "newer") == 1234);
    std::size_t alive = 0;
    store.for_each_alive_id([&](std::uint32_t) { ++alive; });
    CHECK(alive == store.size());
    CHECK(store.slot_count() == count + 1);

    // A reserve below a chunk's worth lets the first chunk grow to exactly one chunk, no
    // further: filled to 1,024 it holds no more spare slots than a store grown without one.
    svcdisc::detail::keyed_store<named_slot, key_of> reserved;
    svcdisc::detail::keyed_store<named_slot, key_of> grown;
    reserved.reserve(600);
    for (int i = 0; i < 1024; ++i) {
        reserved.insert({"ns", name_of(i), i});
        grown.insert({"ns", name_of(i), i});
    }
    CHECK(reserved.overhead_bytes() == grown.overhead_bytes());
}

TEST_CASE("controller truncation order: identity ranks agree with a sorted list through "
          "inserts, erasures and chunk splits") {
    using svcdisc::detail::identity_view_of;
    svcdisc::splitmix64 random(17);
    svcdisc::detail::identity_ranks ranks;
    std::vector<std::pair<std::string, std::string>> reference; // (ip, uid), sorted
    const auto random_identity = [&] {
        // Few distinct IPs, so equal IPs order by uid and equal identities repeat.
        return std::pair{"10.0." + std::to_string(random.below(4)) + "." +
                             std::to_string(random.below(300)),
                         "uid-" + std::to_string(random.below(3))};
    };
    {
        svcdisc::detail::identity_ranks emptied;
        const auto only = identity_view_of("10.0.0.1", "uid-a");
        for (int round = 0; round < 2; ++round) { // from nothing, and once emptied
            emptied.insert(only);
            CHECK(emptied.contains(only));
            CHECK(emptied.rank(identity_view_of("10.0.0.2", "")) == 1);
            emptied.erase(only);
            CHECK(emptied.size() == 0);
            CHECK_FALSE(emptied.contains(only));
        }
    }
    std::vector<svcdisc::detail::identity_key> initial;
    for (int i = 0; i < 700; ++i) {
        reference.push_back(random_identity());
        initial.emplace_back(identity_view_of(reference.back().first, reference.back().second));
    }
    std::sort(reference.begin(), reference.end());
    ranks.assign(std::move(initial));
    for (int step = 0; step < 3'000; ++step) {
        const auto probe = random_identity();
        const auto id = identity_view_of(probe.first, probe.second);
        const auto at = std::lower_bound(reference.begin(), reference.end(), probe);
        REQUIRE(ranks.rank(id) == static_cast<std::size_t>(at - reference.begin()));
        REQUIRE(ranks.contains(id) == (at != reference.end() && *at == probe));
        if (random.chance(0.5) && at != reference.end() && *at == probe) {
            ranks.erase(id);
            reference.erase(at);
        } else {
            ranks.insert(id);
            reference.insert(at, probe);
        }
        REQUIRE(ranks.size() == reference.size());
    }
    std::vector<std::pair<std::string, std::string>> listed;
    ranks.for_each(
        [&](const svcdisc::detail::identity_key& k) { listed.emplace_back(k.ip, k.uid); });
    CHECK(listed == reference);
}

TEST_CASE("controller bad events: a refused event or batch leaves the controller as it was") {
    svcdisc::controller c;
    REQUIRE_FALSE(c.load(make_service()));
    REQUIRE_FALSE(c.load(make_pod("my-app-1", "10.244.1.5")));
    c.initial_sync();
    const snapshot before = snapshot_of(c);

    auto bad = make_pod("Not_A_Name", "10.244.9.9");
    const auto error = c.apply(watch_event_type::added, bad);
    REQUIRE(error);
    CHECK(error->message.find("metadata.name: Invalid value") != std::string::npos);
    CHECK(snapshot_of(c) == before);

    auto bad_label = make_pod("ok", "10.244.9.9");
    bad_label.metadata.labels.insert_or_assign("app", "bad value!");
    std::vector<svcdisc::watch_event> batch{
        {watch_event_type::added, make_pod("my-app-2", "10.244.2.7")},
        {watch_event_type::added, bad_label},
    };
    const auto batch_error = c.apply_batch(batch);
    REQUIRE(batch_error);
    CHECK(batch_error->index == 1);
    CHECK(snapshot_of(c) == before);
    CHECK(c.find_pod("default", "my-app-2") == nullptr);
}

TEST_CASE("controller informer recoveries, and strict mode refusing them") {
    SUBCASE("default: ADDED of a known pod replaces it, MODIFIED of an unknown one adds it, "
            "DELETED of an unknown one does nothing") {
        svcdisc::controller c;
        REQUIRE_FALSE(c.load(make_service()));
        c.initial_sync();
        REQUIRE_FALSE(c.apply(watch_event_type::modified, make_pod("my-app-1", "10.244.1.5")));
        CHECK(c.find_pod("default", "my-app-1") != nullptr);
        REQUIRE_FALSE(c.apply(watch_event_type::added, make_pod("my-app-1", "10.244.1.6")));
        CHECK(c.find_pod("default", "my-app-1")->status.pod_ip == "10.244.1.6");
        REQUIRE_FALSE(c.apply(watch_event_type::deleted, make_pod("ghost", "")));
        CHECK(c.changes().empty());
    }
    SUBCASE("strict") {
        svcdisc::controller_options options;
        options.strict = true;
        svcdisc::controller c(options);
        REQUIRE_FALSE(c.load(make_service()));
        c.initial_sync();
        CHECK(c.apply(watch_event_type::modified, make_pod("my-app-1", "10.244.1.5")));
        REQUIRE_FALSE(c.apply(watch_event_type::added, make_pod("my-app-1", "10.244.1.5")));
        CHECK(c.apply(watch_event_type::added, make_pod("my-app-1", "10.244.1.5")));
        CHECK(c.apply(watch_event_type::deleted, make_pod("ghost", "")));
        // Within one batch, what the batch did before counts.
        std::vector<svcdisc::watch_event> batch{
            {watch_event_type::deleted, make_pod("my-app-1", "")},
            {watch_event_type::added, make_pod("my-app-1", "10.244.1.7")},
        };
        CHECK_FALSE(c.apply_batch(batch));
    }
}

TEST_CASE("controller EndpointSliceMirroring: a selector-less Service's hand-written Endpoints "
          "are passed through and mirrored") {
    svcdisc::controller c;
    auto svc = make_service();
    svc.spec.selector.reset();
    REQUIRE_FALSE(c.load(svc));
    c.initial_sync();
    svcdisc::endpoints eps;
    eps.metadata.name = "my-service";
    eps.metadata.namespace_ = "default";
    auto& subset = eps.subsets.emplace_back();
    subset.addresses.push_back({"192.0.2.42", "", std::nullopt, std::nullopt});
    subset.ports.push_back({"", 9376, "TCP", std::nullopt});
    REQUIRE_FALSE(c.apply(watch_event_type::added, eps));
    CHECK(count_changes(c, watch_event_type::added, derived_kind::endpoints_object) == 1);
    CHECK(count_changes(c, watch_event_type::added, derived_kind::slice_object) == 1);
    CHECK(*c.endpoints("default", "my-service") == eps);
    subset.addresses.push_back({"192.0.2.43", "", std::nullopt, std::nullopt});
    REQUIRE_FALSE(c.apply(watch_event_type::modified, eps));
    CHECK(count_changes(c, watch_event_type::modified, derived_kind::endpoints_object) == 1);
    CHECK(count_changes(c, watch_event_type::modified, derived_kind::slice_object) == 1);
    REQUIRE_FALSE(c.apply(watch_event_type::deleted, eps));
    CHECK(count_changes(c, watch_event_type::deleted, derived_kind::endpoints_object) == 1);
    CHECK(count_changes(c, watch_event_type::deleted, derived_kind::slice_object) == 1);
}

TEST_CASE("controller onEndpointsDelete and foreign writes: the Endpoints controller restores "
          "its object") {
    svcdisc::controller c;
    const auto svc = make_service();
    REQUIRE_FALSE(c.load(svc));
    REQUIRE_FALSE(c.load(make_pod("my-app-1", "10.244.1.5")));
    REQUIRE_FALSE(c.load(make_node("node-1")));
    c.initial_sync();
    const auto derived = *c.endpoints("default", "my-service");

    // Someone overwrites it: watchers see the write; the controller does not react to updates.
    auto foreign = derived;
    foreign.subsets.clear();
    REQUIRE_FALSE(c.apply(watch_event_type::modified, foreign));
    CHECK(describe(c) == std::vector<std::string>{"MODIFIED endpoints default/my-service"});
    CHECK(*c.endpoints("default", "my-service") == foreign);
    // Its next sync of the Service writes its own object back.
    REQUIRE_FALSE(c.apply(watch_event_type::added, make_pod("my-app-2", "10.244.2.7")));
    CHECK(*c.endpoints("default", "my-service") == *svcdisc::derive_endpoints(svc, all_pods(c)));

    // Someone deletes it: re-created at once (as it was, so no change is left to report).
    REQUIRE_FALSE(c.apply(watch_event_type::deleted, derived));
    CHECK(c.endpoints("default", "my-service") != nullptr);
}

TEST_CASE("controller finalize: a placeholder's create turned into an update of the placeholder "
          "that is already there writes nothing") {
    // A Service without ports: its pods' endpoints and the empty placeholder share one port
    // set, so a captured placeholder stays next to the slice that holds the pod.
    auto svc = make_service();
    svc.spec.ports.clear();
    const auto pod = make_pod("my-app-1", "10.244.1.5");
    const auto node = make_node("node-1");
    auto placeholder =
        svcdisc::derive_endpoint_slices(svc, std::vector<svcdisc::pod>{}, std::vector{node});
    auto serving = svcdisc::derive_endpoint_slices(svc, std::vector{pod}, std::vector{node});
    REQUIRE(placeholder.size() == 1);
    REQUIRE(serving.size() == 1);
    REQUIRE(placeholder[0].endpoints.empty());
    placeholder[0].metadata.name = "my-service-aaaaa";
    serving[0].metadata.name = "my-service-zzzzz";
    svcdisc::controller c;
    REQUIRE_FALSE(c.load(svc));
    REQUIRE_FALSE(c.load(pod));
    REQUIRE_FALSE(c.load(node));
    REQUIRE_FALSE(c.load(placeholder[0]));
    REQUIRE_FALSE(c.load(serving[0]));
    c.initial_sync();
    REQUIRE(c.endpoint_slices("default", "my-service").size() == 2);
    // The pod goes: both slices are to be deleted and a placeholder created, which the
    // reconciler's finalize step turns into an update of the first of them, the placeholder.
    REQUIRE_FALSE(c.apply(watch_event_type::deleted, pod));
    // (The Endpoints object lists no pod of a portless, non-headless Service: no change.)
    CHECK(describe(c) ==
          std::vector<std::string>{"DELETED endpointslice default/my-service-zzzzz"});
    const auto left = c.endpoint_slices("default", "my-service");
    REQUIRE(left.size() == 1);
    CHECK(*left[0] == placeholder[0]);
}

TEST_CASE("controller reconciles captured EndpointSlices: a slice as the controller would write "
          "it keeps its name; one owned by another Service is deleted") {
    const auto svc = make_service();
    const auto pod = make_pod("my-app-1", "10.244.1.5");
    const auto node = make_node("node-1");
    auto captured = svcdisc::derive_endpoint_slices(svc, std::vector{pod}, std::vector{node});
    REQUIRE(captured.size() == 1);
    captured[0].metadata.name = "my-service-abcde";
    auto foreign = captured[0];
    foreign.metadata.name = "my-service-zzzzz";
    foreign.metadata.owner_references[0].uid = "another-uid";

    svcdisc::controller c;
    REQUIRE_FALSE(c.load(svc));
    REQUIRE_FALSE(c.load(pod));
    REQUIRE_FALSE(c.load(node));
    REQUIRE_FALSE(c.load(captured[0]));
    REQUIRE_FALSE(c.load(foreign));
    c.initial_sync();
    const auto slices = c.endpoint_slices("default", "my-service");
    REQUIRE(slices.size() == 1);
    CHECK(slices[0]->metadata.name == "my-service-abcde");
    CHECK(*slices[0] == captured[0]);
}

TEST_CASE("controller rolling update: every step equals the pure derivation and no slice grows "
          "past max_endpoints_per_slice") {
    svcdisc::controller_options options;
    options.slices.max_endpoints_per_slice = 4;
    svcdisc::controller c(options);
    const auto svc = make_service();
    REQUIRE_FALSE(c.load(svc));
    REQUIRE_FALSE(c.load(make_node("node-1")));
    for (int i = 0; i < 10; ++i) {
        REQUIRE_FALSE(
            c.load(make_pod("v1-" + std::to_string(i), "10.1.0." + std::to_string(i + 1))));
    }
    c.initial_sync();
    std::vector<svcdisc::endpoint_slice> slices_before;
    for (int step = 0; step < 4; ++step) {
        for (int k = 0; k < 3; ++k) {
            const int i = step * 3 + k;
            if (i >= 10) {
                break;
            }
            const std::string name = "v2-" + std::to_string(i);
            const std::string ip = "10.2.0." + std::to_string(i + 1);
            REQUIRE_FALSE(c.apply(watch_event_type::added, make_pod(name, ip, false)));
            REQUIRE_FALSE(c.apply(watch_event_type::modified, make_pod(name, ip, true)));
            auto old = make_pod("v1-" + std::to_string(i), "10.1.0." + std::to_string(i + 1));
            old.metadata.deletion_timestamp = "2024-05-02T10:00:00Z";
            REQUIRE_FALSE(c.apply(watch_event_type::modified, old));
            REQUIRE_FALSE(c.apply(watch_event_type::deleted, old));
            CHECK(*c.endpoints("default", "my-service") ==
                  *svcdisc::derive_endpoints(svc, all_pods(c)));
            for (const auto& slice : c.endpoint_slices("default", "my-service")) {
                CHECK(slice->endpoints.size() <= 4);
            }
        }
    }
    const auto eps = c.endpoints("default", "my-service");
    REQUIRE(eps->subsets.size() == 1);
    CHECK(eps->subsets[0].addresses.size() == 10);
    CHECK(eps->subsets[0].addresses[0].ip == "10.2.0.1");
}

namespace {

// Four threads query the same Endpoints object and slices at once; every answer must be the
// derivation's.
void query_from_threads(const svcdisc::controller& c) {
    const auto pods = all_pods(c);
    const auto expected = *svcdisc::derive_endpoints(make_service(), pods);
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int round = 0; round < 50; ++round) {
                if (!(*c.endpoints("default", "my-service") == expected)) {
                    ++mismatches;
                }
                std::size_t endpoints = 0;
                for (const auto& slice : c.endpoint_slices("default", "my-service")) {
                    endpoints += slice->endpoints.size();
                }
                if (endpoints != pods.size()) {
                    ++mismatches;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(mismatches.load() == 0);
}

} // namespace

TEST_CASE("controller thread safety: const queries from several threads at once" *
          doctest::test_suite("concurrency")) {
    svcdisc::controller c;
    REQUIRE_FALSE(c.load(make_service()));
    REQUIRE_FALSE(c.load(make_node("node-1")));
    for (int i = 0; i < 50; ++i) {
        REQUIRE_FALSE(c.load(make_pod("p" + std::to_string(i), "10.3.0." + std::to_string(i + 1))));
    }
    c.initial_sync();
    query_from_threads(c);
    // Each round starts with cold caches (an event invalidates them), so the threads race to
    // materialise the same objects.
    for (int event = 0; event < 3; ++event) {
        REQUIRE_FALSE(
            c.apply(watch_event_type::added, make_pod("late" + std::to_string(event),
                                                      "10.4.0." + std::to_string(event + 1))));
        query_from_threads(c);
    }
}

TEST_CASE("controller topologycache: Auto hints follow every Node's CPU, as reconcile does") {
    auto svc = make_service();
    svc.metadata.annotations = {{"service.kubernetes.io/topology-mode", "Auto"}};
    const auto zoned_node = [](const std::string& name, const std::string& zone,
                               const std::string& cpu) {
        auto n = make_node(name, zone);
        n.conditions = {{"Ready", "True"}};
        n.allocatable_cpu = cpu;
        return n;
    };
    std::vector<svcdisc::node> nodes{zoned_node("node-a", "zone-a", "4"),
                                     zoned_node("node-b", "zone-b", "4"),
                                     zoned_node("node-c", "zone-c", "4")};
    svcdisc::controller c;
    REQUIRE_FALSE(c.load(svc));
    for (const auto& n : nodes) {
        REQUIRE_FALSE(c.load(n));
    }
    const std::array<std::string, 3> node_names{"node-a", "node-b", "node-c"};
    for (int i = 0; i < 9; ++i) {
        REQUIRE_FALSE(c.load(make_pod("p" + std::to_string(i), "10.5.0." + std::to_string(i + 1),
                                      true, node_names[static_cast<std::size_t>(i % 3)])));
    }
    c.initial_sync();
    const auto held = [&] {
        std::vector<svcdisc::endpoint_slice> out;
        for (const auto& slice : c.endpoint_slices("default", "my-service")) {
            out.push_back(*slice);
        }
        return out;
    };
    const auto from_scratch = svcdisc::derive_endpoint_slices(svc, all_pods(c), nodes);
    REQUIRE(from_scratch.size() == 1);
    REQUIRE(from_scratch.front().endpoints.front().hints.has_value());
    CHECK(held() == from_scratch);

    // A Node that no pod of the Service runs on changes the zones' shares: zone-d takes a part,
    // and the controller re-hints as the reconciler would.
    const auto before = held();
    nodes.push_back(zoned_node("node-d", "zone-d", "12"));
    REQUIRE_FALSE(c.apply(watch_event_type::added, nodes.back()));
    const auto changes = svcdisc::reconcile_endpoint_slices(svc, all_pods(c), nodes, before);
    auto expected = before;
    for (const auto& updated : changes.to_update) {
        for (auto& slice : expected) {
            if (slice.metadata.name == updated.metadata.name) {
                slice = updated;
            }
        }
    }
    CHECK(changes.to_create.empty());
    CHECK(held() == expected);
}
