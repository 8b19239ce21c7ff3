// The event-driven controller (svcdisc::controller) against Kubernetes' own algorithm run on the
// library's pure functions ("naive"), on the realistic synthetic cluster of
// <svcdisc/synthetic_cluster.hpp> with pods that have IPs, nodes and Ready conditions, every
// Service serving port 80 from the pods' named port "http", and one extra 5,000-pod Deployment
// behind one Service ("checkout").
//
// Every benchmark exists twice, `<name>/naive/<pods>` and `<name>/svcdisc/<pods>`:
//   pod_update        readiness flips and `env` label changes, each on another pod
//   pod_add           new pods (clones of existing ones under new names and IPs)
//   pod_delete        existing pods deleted
//   big_*             the same, on pods of the 5,000-pod Service only
//   initial_sync      every Endpoints object and slice of the cluster from nothing
//   rolling_update    the 5,000-pod Deployment rolled to a new version, 25% surge per wave
// items_per_second is pod events per second with every Endpoints object and EndpointSlice kept
// current. The naive side does per event what the upstream controllers do per sync: it tests
// every Service of the pod's namespace against the pod's old and new labels
// (GetPodServiceMemberships) and, for each Service hit, lists the namespace's pods by selector and
// recomputes the Endpoints object (derive_endpoints) and the slices (reconcile_endpoint_slices
// against that Service's current slices, which it then keeps).
//
// Events are built before the timed loop in blocks and moved into the controller; timing pauses
// only to build the next block (and, for add and delete, to undo the block so the cluster keeps
// its size).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <benchmark/benchmark.h>

#include <svcdisc/controller.hpp>
#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/synthetic_cluster.hpp>

namespace {

using svcdisc::watch_event;
using svcdisc::watch_event_type;

constexpr std::size_t big_deployment_size = 5'000;
constexpr std::string_view big_name = "checkout";

std::string dotted(std::uint32_t prefix, std::size_t n) {
    return std::to_string(prefix) + "." + std::to_string((n >> 16U) & 255U) + "." +
           std::to_string((n >> 8U) & 255U) + "." + std::to_string(n & 255U);
}

void set_ready(svcdisc::pod& p, bool ready) {
    p.status.conditions = {{"PodScheduled", "True"}, {"Ready", ready ? "True" : "False"}};
}

bool is_ready(const svcdisc::pod& p) {
    return p.status.conditions.back().status == "True";
}

/// Gives a pod what a running pod has: uid, node, IP, a container serving "http", Ready.
void make_running(svcdisc::pod& p, std::string uid, std::string node, const std::string& ip,
                  bool ready) {
    p.metadata.uid = std::move(uid);
    p.spec.node_name = std::move(node);
    p.spec.containers = {{"app", {{"http", 8080, "TCP", 0}}, std::nullopt}};
    p.status.phase = "Running";
    p.status.pod_ip = ip;
    p.status.pod_ips = {ip};
    set_ready(p, ready);
}

/// The objects of a cluster of `pods` synthetic pods plus the 5,000-pod Deployment.
struct cluster_objects {
    std::vector<svcdisc::node> nodes;
    std::vector<svcdisc::pod> pods; ///< the big Deployment's pods last
    std::vector<svcdisc::service> services;
    std::size_t big_first = 0; ///< position of the big Deployment's first pod
    std::string big_namespace;
};

std::string node_name(std::size_t i, std::size_t node_count) {
    return "node-" + std::to_string(i % node_count);
}

svcdisc::pod big_pod(const std::string& ns, std::string_view hash, std::size_t ordinal,
                     std::uint32_t ip_prefix, std::size_t node_count, bool ready) {
    svcdisc::pod p;
    p.metadata.name =
        std::string(big_name) + "-" + std::string(hash) + "-" + std::to_string(ordinal);
    p.metadata.namespace_ = ns;
    p.metadata.labels = {{"app", std::string(big_name)}, {"pod-template-hash", std::string(hash)}};
    make_running(p, "uid-" + p.metadata.name, node_name(ordinal * 7, node_count),
                 dotted(ip_prefix, ordinal), ready);
    return p;
}

std::shared_ptr<const cluster_objects> make_cluster(std::size_t pod_count) {
    svcdisc::cluster_options options;
    options.pods = pod_count;
    options.services = std::max<std::size_t>(1, pod_count / 15);
    options.namespaces = std::max<std::size_t>(1, pod_count / 750);
    const svcdisc::synthetic_cluster cluster(options);
    auto out = std::make_shared<cluster_objects>();
    const std::size_t node_count = std::max<std::size_t>(3, pod_count / 100);
    for (std::size_t n = 0; n < node_count; ++n) {
        svcdisc::node node;
        node.metadata.name = node_name(n, node_count);
        node.metadata.labels = {{"topology.kubernetes.io/zone", "zone-" + std::to_string(n % 3)}};
        out->nodes.push_back(std::move(node));
    }
    out->pods.reserve(pod_count + big_deployment_size);
    for (std::size_t i = 0; i < cluster.pod_count(); ++i) {
        svcdisc::pod p = cluster.make_pod(i);
        make_running(p, "uid-" + std::to_string(i), node_name(i, node_count), dotted(10, i),
                     i % 50 != 0);
        out->pods.push_back(std::move(p));
    }
    for (std::size_t j = 0; j < cluster.services().size(); ++j) {
        svcdisc::service svc = cluster.make_service(j);
        svc.metadata.uid = "svc-uid-" + std::to_string(j);
        svc.spec.type = "ClusterIP";
        svc.spec.cluster_ip = dotted(172, j);
        svc.spec.ports = {{"http", "TCP", std::nullopt, 80, std::string("http"), 0}};
        out->services.push_back(std::move(svc));
    }
    out->big_namespace = cluster.namespaces().front();
    out->big_first = out->pods.size();
    for (std::size_t i = 0; i < big_deployment_size; ++i) {
        out->pods.push_back(big_pod(out->big_namespace, "5f7c9d8b4", i, 11, node_count, true));
    }
    svcdisc::service big;
    big.metadata.name = std::string(big_name);
    big.metadata.namespace_ = out->big_namespace;
    big.metadata.uid = "svc-uid-checkout";
    big.spec.type = "ClusterIP";
    big.spec.cluster_ip = "172.31.0.1";
    big.spec.selector = svcdisc::label_set{{"app", std::string(big_name)}};
    big.spec.ports = {{"http", "TCP", std::nullopt, 80, std::string("http"), 0}};
    out->services.push_back(std::move(big));
    return out;
}

/// The cluster of a given size, generated once per program.
const cluster_objects& cluster_of(std::size_t pod_count) {
    static std::map<std::size_t, std::shared_ptr<const cluster_objects>> made;
    auto& slot = made[pod_count];
    if (!slot) {
        slot = make_cluster(pod_count);
    }
    return *slot;
}

// --- the naive controller ---------------------------------------------------------------------

/// Kubernetes' algorithm over plain lists: per namespace its pods and Services, per Service its
/// current Endpoints object and slices.
class naive_controller {
  public:
    /// Takes the objects out of `objects` (its vectors keep their moved-from elements).
    explicit naive_controller(cluster_objects&& objects) {
        for (auto& n : objects.nodes) {
            std::string name = n.metadata.name;
            nodes_.emplace(std::move(name), std::move(n));
        }
        for (auto& p : objects.pods) {
            namespace_state& ns = namespace_of(p.metadata.namespace_);
            ns.position.emplace(p.metadata.name, ns.pods.size());
            ns.pods.push_back(std::move(p));
        }
        for (auto& svc : objects.services) {
            namespace_of(svc.metadata.namespace_).services.push_back(services_.size());
            services_.push_back({std::move(svc), std::nullopt, {}});
        }
    }

    /// What the controllers do when they start: every Service synced once.
    void initial_sync() {
        for (std::size_t sid = 0; sid < services_.size(); ++sid) {
            sync(sid);
        }
    }

    /// One pod event, synced at once.
    void apply(watch_event event) {
        std::vector<std::size_t> affected;
        record(std::move(event), affected);
        for (const std::size_t sid : affected) {
            sync(sid);
        }
    }

    /// Events applied together and every affected Service synced once (the work queue's
    /// coalescing within a batch period).
    void apply_batch(std::vector<watch_event> events) {
        std::vector<std::size_t> affected;
        for (auto& event : events) {
            record(std::move(event), affected);
        }
        std::sort(affected.begin(), affected.end());
        affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
        for (const std::size_t sid : affected) {
            sync(sid);
        }
    }

    [[nodiscard]] std::size_t writes() const noexcept { return writes_; }

  private:
    struct namespace_state {
        std::vector<svcdisc::pod> pods;
        std::unordered_map<std::string, std::size_t> position;
        std::vector<std::size_t> services;
    };
    struct service_state {
        svcdisc::service svc;
        std::optional<svcdisc::endpoints> endpoints;
        std::vector<svcdisc::endpoint_slice> slices;
    };

    namespace_state& namespace_of(const std::string& ns) { return namespaces_[ns]; }

    /// Applies a pod event to the lists and adds the Services that select the pod before or
    /// after it to `affected`.
    void record(watch_event event, std::vector<std::size_t>& affected) {
        auto& p = std::get<svcdisc::pod>(event.object);
        namespace_state& ns = namespace_of(p.metadata.namespace_);
        const auto found = ns.position.find(p.metadata.name);
        const svcdisc::pod* old = found == ns.position.end() ? nullptr : &ns.pods[found->second];
        const bool deleted = event.type == watch_event_type::deleted;
        for (const std::size_t sid : ns.services) {
            const svcdisc::service& svc = services_[sid].svc;
            if ((old != nullptr && svcdisc::service_selects_pod(svc, *old)) ||
                (!deleted && svcdisc::service_selects_pod(svc, p))) {
                affected.push_back(sid);
            }
        }
        if (deleted) {
            if (old != nullptr) {
                const std::size_t at = found->second;
                ns.position.erase(found);
                if (at + 1 != ns.pods.size()) {
                    ns.pods[at] = std::move(ns.pods.back());
                    ns.position[ns.pods[at].metadata.name] = at;
                }
                ns.pods.pop_back();
            }
        } else if (old != nullptr) {
            ns.pods[found->second] = std::move(p);
        } else {
            ns.position.emplace(p.metadata.name, ns.pods.size());
            ns.pods.push_back(std::move(p));
        }
    }

    /// syncService of both controllers: list the Service's pods, derive, compare, write.
    void sync(std::size_t sid) {
        service_state& s = services_[sid];
        if (!svcdisc::endpoint_controllers_manage(s.svc)) {
            return;
        }
        const namespace_state& ns = namespaces_[s.svc.metadata.namespace_];
        std::vector<const svcdisc::pod*> members;
        std::vector<const svcdisc::node*> nodes;
        for (const auto& p : ns.pods) {
            if (svcdisc::service_selects_pod(s.svc, p)) {
                members.push_back(&p);
                const auto node = nodes_.find(p.spec.node_name);
                if (node != nodes_.end()) {
                    nodes.push_back(&node->second);
                }
            }
        }
        std::sort(nodes.begin(), nodes.end());
        nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
        auto endpoints = svcdisc::derive_endpoints(s.svc, members);
        if (endpoints != s.endpoints) {
            s.endpoints = std::move(endpoints);
            ++writes_;
        }
        auto changes = svcdisc::reconcile_endpoint_slices(s.svc, members, nodes, s.slices);
        writes_ += changes.to_create.size() + changes.to_update.size() + changes.to_delete.size();
        const auto named = [&](const std::string& name) {
            return std::find_if(s.slices.begin(), s.slices.end(),
                                [&](const auto& slice) { return slice.metadata.name == name; });
        };
        for (const auto& gone : changes.to_delete) {
            s.slices.erase(named(gone.metadata.name));
        }
        for (auto& updated : changes.to_update) {
            *named(updated.metadata.name) = std::move(updated);
        }
        for (auto& created : changes.to_create) {
            s.slices.push_back(std::move(created));
        }
    }

    std::unordered_map<std::string, svcdisc::node> nodes_;
    std::unordered_map<std::string, namespace_state> namespaces_;
    std::vector<service_state> services_;
    std::size_t writes_ = 0;
};

// --- the svcdisc controller -------------------------------------------------------------------

class svcdisc_controller {
  public:
    /// Takes the objects out of `objects` (its vectors keep their moved-from elements).
    explicit svcdisc_controller(cluster_objects&& objects) {
        controller_.reserve(objects.pods.size(), objects.services.size());
        for (auto& n : objects.nodes) {
            load(std::move(n));
        }
        for (auto& p : objects.pods) {
            load(std::move(p));
        }
        for (auto& svc : objects.services) {
            load(std::move(svc));
        }
    }

    void initial_sync() { writes_ += controller_.initial_sync().size(); }

    void apply(watch_event event) {
        check(controller_.apply(std::move(event)));
        writes_ += controller_.changes().size();
    }

    void apply_batch(std::vector<watch_event> events) {
        check(controller_.apply_batch(std::move(events)));
        writes_ += controller_.changes().size();
    }

    [[nodiscard]] std::size_t writes() const noexcept { return writes_; }
    [[nodiscard]] const svcdisc::controller& controller() const noexcept { return controller_; }

  private:
    template <class Object>
    void load(Object&& object) {
        check(controller_.load(svcdisc::watched_object(std::forward<Object>(object))));
    }

    static void check(const std::optional<svcdisc::event_error>& error) {
        if (error) {
            throw std::runtime_error("controller refused an event: " + error->message);
        }
    }

    svcdisc::controller controller_;
    std::size_t writes_ = 0;
};

// --- workloads ----------------------------------------------------------------------------------

/// The pods a benchmark picks from (all, or the big Deployment's) in a fixed shuffled order, and
/// their current state as the events built so far leave it.
class pod_rotation {
  public:
    pod_rotation(const cluster_objects& objects, bool big_only)
        : pods_(objects.pods.begin() +
                    static_cast<std::ptrdiff_t>(big_only ? objects.big_first : 0),
                objects.pods.end()) {
        order_.resize(pods_.size());
        for (std::size_t i = 0; i < order_.size(); ++i) {
            order_[i] = i;
        }
        svcdisc::splitmix64 random(7);
        for (std::size_t i = order_.size(); i > 1; --i) {
            std::swap(order_[i - 1], order_[random.below(i)]);
        }
    }

    /// The next pod of the rotation (never the same twice in a row of size() picks).
    svcdisc::pod& next() {
        svcdisc::pod& p = pods_[order_[cursor_]];
        cursor_ = (cursor_ + 1) % order_.size();
        return p;
    }

    [[nodiscard]] std::size_t size() const noexcept { return pods_.size(); }
    std::size_t serial() noexcept { return serial_++; }

  private:
    std::vector<svcdisc::pod> pods_;
    std::vector<std::size_t> order_;
    std::size_t cursor_ = 0;
    std::size_t serial_ = 0;
};

/// Events per block: a block is built untimed, then applied timed.
std::size_t block_size(bool naive, std::size_t pods) {
    return std::min<std::size_t>(naive ? 64 : 16'384, pods / 2);
}

/// Readiness flips and `env` label changes (moving the pod out of or back into the Services
/// that select on env), alternating, each on the next pod of the rotation.
std::vector<watch_event> update_block(pod_rotation& rotation, std::size_t count) {
    std::vector<watch_event> events;
    events.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        svcdisc::pod& p = rotation.next();
        if (i % 2 == 0) {
            set_ready(p, !is_ready(p));
        } else {
            const bool canary = p.metadata.labels.find_value("env") == "canary";
            p.metadata.labels.insert_or_assign("env", canary ? "prod" : "canary");
        }
        events.push_back({watch_event_type::modified, p});
    }
    return events;
}

/// New pods, each a clone of the next pod of the rotation under a new name, uid and IP.
std::vector<watch_event> add_block(pod_rotation& rotation, std::size_t count) {
    std::vector<watch_event> events;
    events.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        svcdisc::pod p = rotation.next();
        const std::size_t serial = rotation.serial();
        p.metadata.name += "-x" + std::to_string(serial);
        p.metadata.uid += "-x" + std::to_string(serial);
        p.status.pod_ip = dotted(12, serial);
        p.status.pod_ips = {p.status.pod_ip};
        events.push_back({watch_event_type::added, std::move(p)});
    }
    return events;
}

/// The same objects with another event type (an undo of adds, a redo of deletes).
std::vector<watch_event> retyped(const std::vector<watch_event>& events, watch_event_type type) {
    std::vector<watch_event> out;
    out.reserve(events.size());
    for (const auto& e : events) {
        out.push_back({type, e.object});
    }
    return out;
}

/// Deletions of the next pods of the rotation.
std::vector<watch_event> delete_block(pod_rotation& rotation, std::size_t count) {
    std::vector<watch_event> events;
    events.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        events.push_back({watch_event_type::deleted, rotation.next()});
    }
    return events;
}

enum class workload_kind { update, add, remove };

template <class Controller>
void run_pod_events(benchmark::State& state, workload_kind kind, bool big_only) {
    constexpr bool naive = std::is_same_v<Controller, naive_controller>;
    const cluster_objects& objects = cluster_of(static_cast<std::size_t>(state.range(0)));
    Controller controller{cluster_objects(objects)};
    controller.initial_sync();
    pod_rotation rotation(objects, big_only);
    const std::size_t block = block_size(naive, rotation.size());
    const auto make_block = [&] {
        switch (kind) {
        case workload_kind::update:
            return update_block(rotation, block);
        case workload_kind::add:
            return add_block(rotation, block);
        case workload_kind::remove:
            break;
        }
        return delete_block(rotation, block);
    };
    // Events are moved into the controller, so the undo of a block is built with the block.
    const auto undo_of = [&](const std::vector<watch_event>& applied) {
        return kind == workload_kind::update
                   ? std::vector<watch_event>()
                   : retyped(applied, kind == workload_kind::add ? watch_event_type::deleted
                                                                 : watch_event_type::added);
    };
    std::vector<watch_event> events = make_block();
    std::vector<watch_event> undo = undo_of(events);
    std::size_t next = 0;
    const std::size_t writes_before = controller.writes();
    std::size_t undone_writes = 0;
    for (auto _ : state) {
        if (next == events.size()) {
            state.PauseTiming();
            if (!undo.empty()) {
                const std::size_t before = controller.writes();
                controller.apply_batch(std::move(undo));
                undone_writes += controller.writes() - before;
            }
            events = make_block();
            undo = undo_of(events);
            next = 0;
            state.ResumeTiming();
        }
        controller.apply(std::move(events[next++]));
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["writes_per_event"] =
        benchmark::Counter(static_cast<double>(controller.writes() - writes_before - undone_writes),
                           benchmark::Counter::kAvgIterations);
}

template <class Controller>
void BM_pod_update(benchmark::State& state) {
    run_pod_events<Controller>(state, workload_kind::update, false);
}
template <class Controller>
void BM_pod_add(benchmark::State& state) {
    run_pod_events<Controller>(state, workload_kind::add, false);
}
template <class Controller>
void BM_pod_delete(benchmark::State& state) {
    run_pod_events<Controller>(state, workload_kind::remove, false);
}
template <class Controller>
void BM_big_pod_update(benchmark::State& state) {
    run_pod_events<Controller>(state, workload_kind::update, true);
}
template <class Controller>
void BM_big_pod_add(benchmark::State& state) {
    run_pod_events<Controller>(state, workload_kind::add, true);
}
template <class Controller>
void BM_big_pod_delete(benchmark::State& state) {
    run_pod_events<Controller>(state, workload_kind::remove, true);
}

template <class Controller>
void BM_initial_sync(benchmark::State& state) {
    const cluster_objects& objects = cluster_of(static_cast<std::size_t>(state.range(0)));
    double bytes_per_pod = 0;
    std::optional<Controller> controller;
    std::optional<cluster_objects> input;
    for (auto _ : state) {
        // The objects are moved in, as a program that read them would: copying them (and
        // freeing what the move leaves) is the benchmark's setup, not part of the sync.
        state.PauseTiming();
        input.emplace(objects);
        state.ResumeTiming();
        controller.emplace(std::move(*input));
        controller->initial_sync();
        if constexpr (std::is_same_v<Controller, svcdisc_controller>) {
            bytes_per_pod = static_cast<double>(controller->controller().memory_usage()) /
                            static_cast<double>(objects.pods.size());
        }
        state.PauseTiming(); // tearing down is not part of a sync
        controller.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(objects.pods.size()));
    if (bytes_per_pod > 0) {
        state.counters["bytes_per_pod"] = bytes_per_pod;
    }
}

/// One rollout of the big Deployment from `from` to `to`: per wave of a quarter of the replicas
/// (maxSurge 25%), the new pods are added not ready, then become ready, then as many old pods
/// are deleted. Waves are given as batches of `batch` events.
std::vector<std::vector<watch_event>> rollout(const cluster_objects& objects, std::string_view from,
                                              std::string_view to, std::size_t batch) {
    const std::size_t wave = big_deployment_size / 4;
    const std::size_t node_count = objects.nodes.size();
    const auto prefix = [](std::string_view hash) -> std::uint32_t {
        return hash == "5f7c9d8b4" ? 11 : 13;
    };
    std::vector<watch_event> sequence;
    for (std::size_t first = 0; first < big_deployment_size; first += wave) {
        for (std::size_t i = first; i < first + wave; ++i) {
            sequence.push_back({watch_event_type::added, big_pod(objects.big_namespace, to, i,
                                                                 prefix(to), node_count, false)});
        }
        for (std::size_t i = first; i < first + wave; ++i) {
            sequence.push_back({watch_event_type::modified, big_pod(objects.big_namespace, to, i,
                                                                    prefix(to), node_count, true)});
        }
        for (std::size_t i = first; i < first + wave; ++i) {
            sequence.push_back(
                {watch_event_type::deleted,
                 big_pod(objects.big_namespace, from, i, prefix(from), node_count, true)});
        }
    }
    std::vector<std::vector<watch_event>> batches;
    for (std::size_t i = 0; i < sequence.size(); i += batch) {
        const auto end = std::min(sequence.size(), i + batch);
        batches.emplace_back(
            std::make_move_iterator(sequence.begin() + static_cast<std::ptrdiff_t>(i)),
            std::make_move_iterator(sequence.begin() + static_cast<std::ptrdiff_t>(end)));
    }
    return batches;
}

/// range(1): events per batch (1: every event synced at once; 1,250: one sync per wave step).
template <class Controller>
void BM_rolling_update(benchmark::State& state) {
    const cluster_objects& objects = cluster_of(static_cast<std::size_t>(state.range(0)));
    const auto batch = static_cast<std::size_t>(state.range(1));
    Controller controller{cluster_objects(objects)};
    controller.initial_sync();
    const std::array<std::vector<std::vector<watch_event>>, 2> rollouts{
        rollout(objects, "5f7c9d8b4", "6b8d4c7f9", batch),
        rollout(objects, "6b8d4c7f9", "5f7c9d8b4", batch)};
    std::size_t direction = 0;
    std::size_t events = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto batches = rollouts[direction];
        direction ^= 1U;
        state.ResumeTiming();
        for (auto& b : batches) {
            events += b.size();
            if (b.size() == 1) {
                controller.apply(std::move(b.front()));
            } else {
                controller.apply_batch(std::move(b));
            }
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

/// The cluster sizes: 15,000 pods for quick runs, 150,000 (with 10,000 Services) as the aim.
/// SVCDISC_BENCH_ITERATIONS=N fixes the iterations, so that two builds apply exactly the same
/// events (benchmarks/count_instructions.sh counts their instructions under callgrind).
void cluster_sizes(benchmark::internal::Benchmark* b) {
    b->ArgName("pods")->Arg(15'000)->Arg(150'000)->Unit(benchmark::kMicrosecond);
    if (const char* fixed = std::getenv("SVCDISC_BENCH_ITERATIONS")) {
        const long iterations = std::strtol(fixed, nullptr, 10);
        if (iterations > 0) {
            b->Iterations(iterations);
        }
    }
}

void rollout_sizes(benchmark::internal::Benchmark* b) {
    b->ArgNames({"pods", "batch"})->Unit(benchmark::kMillisecond)->UseRealTime();
    for (const std::int64_t pods : {15'000, 150'000}) {
        b->Args({pods, 1'250});
    }
}

void rollout_sizes_per_event(benchmark::internal::Benchmark* b) {
    b->ArgNames({"pods", "batch"})->Unit(benchmark::kMillisecond)->UseRealTime();
    for (const std::int64_t pods : {15'000, 150'000}) {
        b->Args({pods, 1});
    }
}

BENCHMARK_TEMPLATE(BM_pod_update, naive_controller)->Name("pod_update/naive")->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_pod_update, svcdisc_controller)
    ->Name("pod_update/svcdisc")
    ->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_pod_add, naive_controller)->Name("pod_add/naive")->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_pod_add, svcdisc_controller)->Name("pod_add/svcdisc")->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_pod_delete, naive_controller)->Name("pod_delete/naive")->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_pod_delete, svcdisc_controller)
    ->Name("pod_delete/svcdisc")
    ->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_big_pod_update, naive_controller)
    ->Name("big_service_pod_update/naive")
    ->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_big_pod_update, svcdisc_controller)
    ->Name("big_service_pod_update/svcdisc")
    ->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_big_pod_add, naive_controller)
    ->Name("big_service_pod_add/naive")
    ->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_big_pod_add, svcdisc_controller)
    ->Name("big_service_pod_add/svcdisc")
    ->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_big_pod_delete, naive_controller)
    ->Name("big_service_pod_delete/naive")
    ->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_big_pod_delete, svcdisc_controller)
    ->Name("big_service_pod_delete/svcdisc")
    ->Apply(cluster_sizes);
BENCHMARK_TEMPLATE(BM_initial_sync, naive_controller)
    ->Name("initial_sync/naive")
    ->Apply(cluster_sizes)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_initial_sync, svcdisc_controller)
    ->Name("initial_sync/svcdisc")
    ->Apply(cluster_sizes)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_rolling_update, naive_controller)
    ->Name("rolling_update/naive")
    ->Apply(rollout_sizes);
BENCHMARK_TEMPLATE(BM_rolling_update, svcdisc_controller)
    ->Name("rolling_update/svcdisc")
    ->Apply(rollout_sizes)
    ->Apply(rollout_sizes_per_event);

} // namespace
