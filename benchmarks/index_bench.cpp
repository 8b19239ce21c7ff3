// The selector and service indexes (docs/indexes.md) against Kubernetes' own algorithm on the
// same data. Every claim is a pair of benchmarks whose names differ only in `naive` / `svcdisc`;
// the naive side scans `label_set`s with label_selector::matches (or the Service map equality
// test) over every pod / Service of the namespace, as the Endpoints controllers' listers do.
// Inputs rotate (64+ queries or pods) so the branch predictor cannot learn one answer.
//
//   cmake --preset bench -B build/index-bench
//   cmake --build build/index-bench --target svcdisc_index_bench
//   build/index-bench/benchmarks/svcdisc_index_bench --benchmark_filter='select_app'

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include <svcdisc/labels.hpp>
#include <svcdisc/selector.hpp>
#include <svcdisc/selector_index.hpp>
#include <svcdisc/service.hpp>
#include <svcdisc/service_index.hpp>
#include <svcdisc/synthetic_cluster.hpp>

namespace {

// -------------------------------------------------------------------------------------------
// Counting allocator: every byte the index obtains, for the memory counters.
// -------------------------------------------------------------------------------------------

struct allocation_count {
    static inline std::size_t live = 0;
};

template <class T>
struct counting_allocator {
    using value_type = T;
    counting_allocator() = default;
    template <class U>
    counting_allocator(const counting_allocator<U>&) noexcept {} // NOLINT(*-explicit-*)
    T* allocate(std::size_t n) {
        allocation_count::live += n * sizeof(T);
        return std::allocator<T>().allocate(n);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        allocation_count::live -= n * sizeof(T);
        std::allocator<T>().deallocate(p, n);
    }
    friend bool operator==(const counting_allocator&, const counting_allocator&) { return true; }
};

using pod_index = svcdisc::selector_index<std::uint32_t>;
using counted_pod_index =
    svcdisc::basic_selector_index<std::uint32_t, std::hash<std::uint32_t>,
                                  std::equal_to<std::uint32_t>, counting_allocator<std::uint32_t>>;

template <class Index>
void build(Index& index, const svcdisc::synthetic_cluster& cluster) {
    svcdisc::label_buffer buffer;
    index.reserve(cluster.pod_count());
    index.insert_many(cluster.pod_count(), [&](std::size_t i) {
        return std::tuple(static_cast<std::uint32_t>(i), cluster.pod_namespace(i),
                          cluster.labels(i, buffer));
    });
}

// -------------------------------------------------------------------------------------------
// Fixtures: one cluster per shape, built once per process and shared by the pairs.
// -------------------------------------------------------------------------------------------

struct pod_fixture {
    explicit pod_fixture(const svcdisc::cluster_options& options) : cluster(options) {
        build(index, cluster);
        label_sets.reserve(cluster.pod_count());
        pods_by_namespace.resize(cluster.namespaces().size());
        for (std::size_t i = 0; i < cluster.pod_count(); ++i) {
            label_sets.push_back(cluster.label_set_of(i));
            pods_by_namespace[cluster.pod_namespace_number(i)].push_back(
                static_cast<std::uint32_t>(i));
        }
    }

    svcdisc::synthetic_cluster cluster;
    pod_index index;
    /// The naive side: the informer cache's labels and its namespace index.
    std::vector<svcdisc::label_set> label_sets;
    std::vector<std::vector<std::uint32_t>> pods_by_namespace;
};

struct query {
    std::string ns;
    std::uint32_t ns_number = 0;
    svcdisc::label_selector selector;
};

pod_fixture& single_namespace(std::size_t pods) {
    static std::map<std::size_t, std::unique_ptr<pod_fixture>> cache;
    const auto found = cache.find(pods);
    if (found != cache.end()) {
        return *found->second;
    }
    cache.clear(); // one big fixture at a time
    svcdisc::cluster_options options;
    options.pods = pods;
    options.services = 10'000;
    options.namespaces = 1;
    return *cache.emplace(pods, std::make_unique<pod_fixture>(options)).first->second;
}

// 150k pods and 10k Services over 200 namespaces, for the pod and the Service "realistic"
// pairs.
svcdisc::cluster_options realistic_options() {
    svcdisc::cluster_options options;
    options.pods = 150'000;
    options.services = 10'000;
    options.namespaces = 200;
    return options;
}

pod_fixture& realistic() {
    static pod_fixture fixture(realistic_options());
    return fixture;
}

// {app=X} for workloads of 15–25 pods (≈ 20 hits).
std::vector<query> app_queries(const pod_fixture& f) {
    std::vector<query> out;
    for (const auto& w : f.cluster.workloads()) {
        if (w.replicas >= 15 && w.replicas <= 25 && out.size() < 64) {
            out.push_back(
                {f.cluster.namespaces()[w.ns], w.ns, svcdisc::parse_selector("app=" + w.name)});
        }
    }
    return out;
}

// 2–3 requirements returning ≈ 10,000 pods of 1M (scaled to the cluster size).
std::vector<query> multi_queries(const pod_fixture& f) {
    std::vector<query> out;
    const std::size_t target = f.cluster.pod_count() / 100;
    const std::string ns = f.cluster.namespaces()[0];
    for (const auto tier : svcdisc::tiers) {
        for (const auto env : svcdisc::envs) {
            for (int team = -1; team < 12; ++team) {
                std::string text = "tier=" + std::string(tier) + ",env=" + std::string(env);
                if (team >= 0) {
                    text += ",team=team-" + std::to_string(team);
                }
                auto selector = svcdisc::parse_selector(text);
                const std::size_t n = f.index.count(ns, selector);
                if (n >= target * 6 / 10 && n <= target * 14 / 10 && out.size() < 16) {
                    out.push_back({ns, 0, std::move(selector)});
                }
            }
        }
    }
    return out;
}

std::vector<query> fixed_queries(std::initializer_list<const char*> texts) {
    std::vector<query> out;
    for (const char* text : texts) {
        out.push_back({"default", 0, svcdisc::parse_selector(text)});
    }
    return out;
}

void report_results(benchmark::State& state, std::size_t results, std::size_t queries) {
    state.counters["hits_per_query"] =
        static_cast<double>(results) / static_cast<double>(std::max<std::size_t>(queries, 1));
    state.SetItemsProcessed(static_cast<std::int64_t>(queries));
}

// The loop both sides of a query pair share: `find(input, out)` on the inputs in rotation,
// matches collected in `out` (room for `capacity`); the sides differ only in `find`.
template <class Input, class Find>
void run_queries(benchmark::State& state, const std::vector<Input>& inputs, std::size_t capacity,
                 Find&& find) {
    std::vector<std::uint32_t> out;
    out.reserve(capacity);
    std::size_t i = 0;
    std::size_t results = 0;
    for (auto _ : state) {
        const Input& input = inputs[i++ % inputs.size()];
        out.clear();
        find(input, out);
        results += out.size();
        benchmark::DoNotOptimize(out.data());
    }
    report_results(state, results, i);
}

void run_naive(benchmark::State& state, const pod_fixture& f, const std::vector<query>& queries) {
    run_queries(state, queries, f.cluster.pod_count(),
                [&](const query& q, std::vector<std::uint32_t>& out) {
                    for (const std::uint32_t p : f.pods_by_namespace[q.ns_number]) {
                        if (q.selector.matches(f.label_sets[p])) {
                            out.push_back(p);
                        }
                    }
                });
}

void run_svcdisc(benchmark::State& state, const pod_fixture& f, const std::vector<query>& queries) {
    run_queries(state, queries, f.cluster.pod_count(),
                [&](const query& q, std::vector<std::uint32_t>& out) {
                    f.index.for_each(q.ns, q.selector,
                                     [&](std::uint32_t key) { out.push_back(key); });
                });
}

std::size_t pods_arg(const benchmark::State& state) {
    return static_cast<std::size_t>(state.range(0));
}

// -------------------------------------------------------------------------------------------
// Pods for a selector
// -------------------------------------------------------------------------------------------

void BM_select_app_naive(benchmark::State& state) {
    const auto& f = single_namespace(pods_arg(state));
    run_naive(state, f, app_queries(f));
}
void BM_select_app_svcdisc(benchmark::State& state) {
    const auto& f = single_namespace(pods_arg(state));
    run_svcdisc(state, f, app_queries(f));
}

void BM_select_multi_naive(benchmark::State& state) {
    const auto& f = single_namespace(pods_arg(state));
    run_naive(state, f, multi_queries(f));
}
void BM_select_multi_svcdisc(benchmark::State& state) {
    const auto& f = single_namespace(pods_arg(state));
    run_svcdisc(state, f, multi_queries(f));
}

const std::vector<query>& notin_queries() {
    static const auto queries =
        fixed_queries({"env notin (prod,staging)", "tier notin (frontend,backend,worker)",
                       "team notin (team-0)", "env notin (prod,dev),tier=backend"});
    return queries;
}
void BM_select_notin_naive(benchmark::State& state) {
    run_naive(state, single_namespace(pods_arg(state)), notin_queries());
}
void BM_select_notin_svcdisc(benchmark::State& state) {
    run_svcdisc(state, single_namespace(pods_arg(state)), notin_queries());
}

const std::vector<query>& not_key_queries() {
    static const auto queries =
        fixed_queries({"!team", "!version", "!generation", "!team,tier=backend"});
    return queries;
}
void BM_select_notkey_naive(benchmark::State& state) {
    run_naive(state, single_namespace(pods_arg(state)), not_key_queries());
}
void BM_select_notkey_svcdisc(benchmark::State& state) {
    run_svcdisc(state, single_namespace(pods_arg(state)), not_key_queries());
}

const std::vector<query>& numeric_queries() {
    static const auto queries = fixed_queries(
        {"generation>45", "generation<3,tier=backend", "generation>10,generation<13"});
    return queries;
}
void BM_select_numeric_naive(benchmark::State& state) {
    run_naive(state, single_namespace(pods_arg(state)), numeric_queries());
}
void BM_select_numeric_svcdisc(benchmark::State& state) {
    run_svcdisc(state, single_namespace(pods_arg(state)), numeric_queries());
}

std::vector<query> realistic_app_queries(const pod_fixture& f) {
    std::vector<query> out;
    svcdisc::splitmix64 random(3);
    const auto& workloads = f.cluster.workloads();
    while (out.size() < 64) {
        const auto& w = workloads[random.below(workloads.size())];
        const std::string ns = f.cluster.namespaces()[w.ns];
        out.push_back({ns, w.ns, svcdisc::parse_selector("app=" + w.name)});
    }
    return out;
}
void BM_select_realistic_naive(benchmark::State& state) {
    const auto& f = realistic();
    run_naive(state, f, realistic_app_queries(f));
}
void BM_select_realistic_svcdisc(benchmark::State& state) {
    const auto& f = realistic();
    run_svcdisc(state, f, realistic_app_queries(f));
}

// -------------------------------------------------------------------------------------------
// Services for a pod
// -------------------------------------------------------------------------------------------

struct service_fixture {
    explicit service_fixture(const svcdisc::cluster_options& options) : cluster(options) {
        services_by_namespace.resize(cluster.namespaces().size());
        for (std::size_t j = 0; j < cluster.services().size(); ++j) {
            const auto& svc = cluster.services()[j];
            index.insert(static_cast<std::uint32_t>(j), cluster.namespaces()[svc.ns],
                         svc.selector ? *svc.selector : svcdisc::label_set{});
            services_by_namespace[svc.ns].push_back(static_cast<std::uint32_t>(j));
        }
        svcdisc::splitmix64 random(17);
        for (int q = 0; q < 256; ++q) {
            const std::size_t i = random.below(cluster.pod_count());
            pods.push_back({std::string(cluster.pod_namespace(i)), cluster.pod_namespace_number(i),
                            cluster.label_set_of(i)});
        }
    }

    struct probe {
        std::string ns;
        std::uint32_t ns_number = 0;
        svcdisc::label_set labels;
    };

    svcdisc::synthetic_cluster cluster;
    svcdisc::service_index<std::uint32_t> index;
    std::vector<std::vector<std::uint32_t>> services_by_namespace;
    std::vector<probe> pods;
};

service_fixture& services_in_one_namespace(std::size_t services) {
    static std::map<std::size_t, std::unique_ptr<service_fixture>> cache;
    auto& slot = cache[services];
    if (!slot) {
        svcdisc::cluster_options options;
        options.pods = std::max<std::size_t>(2 * services, 20'000);
        options.services = services;
        options.namespaces = 1;
        slot = std::make_unique<service_fixture>(options);
    }
    return *slot;
}

service_fixture& services_realistic() {
    static service_fixture fixture(realistic_options());
    return fixture;
}

// Kubernetes' GetPodServiceMemberships: every Service of the pod's namespace, tested.
void run_services_naive(benchmark::State& state, const service_fixture& f) {
    run_queries(state, f.pods, 1024,
                [&](const service_fixture::probe& p, std::vector<std::uint32_t>& out) {
                    for (const std::uint32_t j : f.services_by_namespace[p.ns_number]) {
                        const auto& selector = f.cluster.services()[j].selector;
                        if (selector && !selector->empty() &&
                            svcdisc::service_selector_matches(*selector, p.labels)) {
                            out.push_back(j);
                        }
                    }
                });
}

void run_services_svcdisc(benchmark::State& state, const service_fixture& f) {
    run_queries(state, f.pods, 1024,
                [&](const service_fixture::probe& p, std::vector<std::uint32_t>& out) {
                    f.index.for_each_matching(p.ns, p.labels,
                                              [&](std::uint32_t key) { out.push_back(key); });
                });
}

void BM_services_for_pod_naive(benchmark::State& state) {
    run_services_naive(state, services_in_one_namespace(static_cast<std::size_t>(state.range(0))));
}
void BM_services_for_pod_svcdisc(benchmark::State& state) {
    run_services_svcdisc(state,
                         services_in_one_namespace(static_cast<std::size_t>(state.range(0))));
}
void BM_services_realistic_naive(benchmark::State& state) {
    run_services_naive(state, services_realistic());
}
void BM_services_realistic_svcdisc(benchmark::State& state) {
    run_services_svcdisc(state, services_realistic());
}

// -------------------------------------------------------------------------------------------
// Writers at 1M pods
// -------------------------------------------------------------------------------------------

std::vector<std::uint32_t> random_pods(std::size_t pods, std::size_t count) {
    svcdisc::splitmix64 random(23);
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(static_cast<std::uint32_t>(random.below(pods)));
    }
    return out;
}

// The pods a writer pair rewrites, the same on both sides: `count` random pods of the 1M-pod
// fixture, with each pod's labels and the two versions of them the pair alternates between.
struct rewrites {
    rewrites(const benchmark::State& state, std::size_t count)
        : f(single_namespace(pods_arg(state))), targets(random_pods(f.cluster.pod_count(), count)) {
        for (const std::uint32_t p : targets) {
            labels.push_back(f.cluster.label_set_of(p));
            auto a = labels.back();
            auto b = a;
            a.insert_or_assign("version", "v-a");
            b.insert_or_assign("version", "v-b");
            versions.emplace_back(std::move(a), std::move(b));
        }
    }

    pod_fixture& f;
    std::vector<std::uint32_t> targets;
    std::vector<svcdisc::label_set> labels;
    std::vector<std::pair<svcdisc::label_set, svcdisc::label_set>> versions;
};

// The loop both sides of a writer pair share: `write(k, second)` for target k in rotation,
// `second` flipping after each full rotation so every write changes something; items are
// writes times `operations` (the index operations one write stands for).
template <class Write>
void run_writes(benchmark::State& state, const rewrites& w, std::int64_t operations,
                Write&& write) {
    const std::size_t n = w.targets.size();
    std::size_t i = 0;
    for (auto _ : state) {
        write(i % n, (i / n) % 2 != 0);
        ++i;
    }
    state.SetItemsProcessed(operations * static_cast<std::int64_t>(i));
}

// One label changes value (version v-a <-> v-b) on rotating random pods.
void BM_label_change_naive(benchmark::State& state) {
    rewrites w(state, 4096);
    run_writes(state, w, 1, [&](std::size_t k, bool second) {
        w.f.label_sets[w.targets[k]].insert_or_assign("version", second ? "v-a" : "v-b");
    });
}
void BM_label_change_svcdisc(benchmark::State& state) {
    rewrites w(state, 4096);
    run_writes(state, w, 1, [&](std::size_t k, bool second) {
        w.f.index.assign_label(w.targets[k], "version", second ? "v-a" : "v-b");
    });
}

// A whole label map replaced (what an informer update delivers), one label differing.
void BM_update_labels_naive(benchmark::State& state) {
    rewrites w(state, 1024);
    run_writes(state, w, 1, [&](std::size_t k, bool second) {
        w.f.label_sets[w.targets[k]] = second ? w.versions[k].first : w.versions[k].second;
    });
}
void BM_update_labels_svcdisc(benchmark::State& state) {
    rewrites w(state, 1024);
    run_writes(state, w, 1, [&](std::size_t k, bool second) {
        w.f.index.update(w.targets[k], second ? w.versions[k].first : w.versions[k].second);
    });
}

// Erase a pod and insert it again (two operations per iteration; items = operations). The
// naive side is the lister's cache: the pod's label_set dropped, then stored again.
void BM_insert_erase_naive(benchmark::State& state) {
    rewrites w(state, 4096);
    run_writes(state, w, 2, [&](std::size_t k, bool) {
        w.f.label_sets[w.targets[k]] = svcdisc::label_set{};
        w.f.label_sets[w.targets[k]] = w.labels[k];
    });
}
void BM_insert_erase_svcdisc(benchmark::State& state) {
    rewrites w(state, 4096);
    run_writes(state, w, 2, [&](std::size_t k, bool) {
        w.f.index.erase(w.targets[k]);
        w.f.index.insert(w.targets[k], "default", w.labels[k]);
    });
}

// A cluster of `pods` pods (the first argument) over `namespaces` namespaces.
svcdisc::cluster_options cluster_of(const benchmark::State& state, std::size_t namespaces) {
    svcdisc::cluster_options options;
    options.pods = pods_arg(state);
    options.namespaces = namespaces;
    return options;
}

// Building the index from scratch vs building the naive cache (a vector of label_sets), 1M
// pods in one namespace or fewer over 200.
std::size_t build_namespaces(const benchmark::State& state) {
    return pods_arg(state) >= 1'000'000 ? 1 : 200;
}
void BM_build_naive(benchmark::State& state) {
    const svcdisc::synthetic_cluster cluster(cluster_of(state, build_namespaces(state)));
    svcdisc::label_buffer buffer;
    for (auto _ : state) {
        std::vector<svcdisc::label_set> cache;
        cache.reserve(cluster.pod_count());
        for (std::size_t i = 0; i < cluster.pod_count(); ++i) {
            svcdisc::label_set labels;
            for (const auto& [k, v] : cluster.labels(i, buffer)) {
                labels.insert_or_assign(k, v);
            }
            cache.push_back(std::move(labels));
        }
        benchmark::DoNotOptimize(cache.data());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
void BM_build_svcdisc(benchmark::State& state) {
    const svcdisc::synthetic_cluster cluster(cluster_of(state, build_namespaces(state)));
    for (auto _ : state) {
        pod_index index;
        build(index, cluster);
        benchmark::DoNotOptimize(&index);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

// -------------------------------------------------------------------------------------------
// Memory (bytes per pod, from the counting allocator)
// -------------------------------------------------------------------------------------------

void BM_memory_svcdisc(benchmark::State& state) {
    const svcdisc::synthetic_cluster cluster(
        cluster_of(state, static_cast<std::size_t>(state.range(1))));
    const std::size_t before = allocation_count::live;
    counted_pod_index index;
    build(index, cluster);
    const std::size_t counted = allocation_count::live - before;
    for (auto _ : state) {
        benchmark::DoNotOptimize(index.size());
    }
    const auto usage = index.memory_usage();
    const auto per_pod = [&](std::size_t bytes) {
        return static_cast<double>(bytes) / static_cast<double>(cluster.pod_count());
    };
    state.counters["B_per_pod_counted"] = per_pod(counted);
    state.counters["B_per_pod_postings"] = per_pod(usage.postings);
    state.counters["B_per_pod_terms"] = per_pod(usage.terms);
    state.counters["B_per_pod_pods"] = per_pod(usage.pods);
    state.counters["B_per_pod_labels"] = per_pod(usage.labels);
    state.counters["B_per_pod_strings"] = per_pod(usage.strings);
    state.counters["B_per_pod_reported"] = per_pod(usage.total());
}

// The naive cache's label_sets (vector storage plus heap-allocated strings), estimated from
// capacities; libstdc++ keeps strings of up to 15 bytes inline.
void BM_memory_naive(benchmark::State& state) {
    const svcdisc::synthetic_cluster cluster(
        cluster_of(state, static_cast<std::size_t>(state.range(1))));
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < cluster.pod_count(); ++i) {
        const auto labels = cluster.label_set_of(i);
        bytes += sizeof(labels) + labels.size() * sizeof(std::pair<std::string, std::string>);
        for (const auto& [k, v] : labels) {
            bytes +=
                (k.size() > 15 ? k.capacity() + 1 : 0) + (v.size() > 15 ? v.capacity() + 1 : 0);
        }
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(bytes);
    }
    state.counters["B_per_pod_estimated"] =
        static_cast<double>(bytes) / static_cast<double>(cluster.pod_count());
}

} // namespace

BENCHMARK(BM_select_app_naive)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_select_app_svcdisc)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_select_multi_naive)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_select_multi_svcdisc)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_select_notin_naive)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_select_notin_svcdisc)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_select_notkey_naive)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_select_notkey_svcdisc)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_select_numeric_naive)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_select_numeric_svcdisc)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_label_change_naive)->Arg(1'000'000);
BENCHMARK(BM_label_change_svcdisc)->Arg(1'000'000);
BENCHMARK(BM_update_labels_naive)->Arg(1'000'000);
BENCHMARK(BM_update_labels_svcdisc)->Arg(1'000'000);
BENCHMARK(BM_insert_erase_naive)->Arg(1'000'000);
BENCHMARK(BM_insert_erase_svcdisc)->Arg(1'000'000);
BENCHMARK(BM_select_realistic_naive)->Arg(150'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_select_realistic_svcdisc)->Arg(150'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_services_for_pod_naive)->Arg(1'000)->Arg(10'000)->Arg(100'000);
BENCHMARK(BM_services_for_pod_svcdisc)->Arg(1'000)->Arg(10'000)->Arg(100'000);
BENCHMARK(BM_services_realistic_naive)->Arg(150'000);
BENCHMARK(BM_services_realistic_svcdisc)->Arg(150'000);
BENCHMARK(BM_build_naive)->Arg(150'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_build_svcdisc)->Arg(150'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
// Arguments: pods, namespaces.
BENCHMARK(BM_memory_naive)->Args({150'000, 200})->Args({1'000'000, 1})->Iterations(1);
BENCHMARK(BM_memory_svcdisc)
    ->Args({150'000, 200})
    ->Args({1'000'000, 1})
    ->Args({1'000'000, 500})
    ->Iterations(1);
