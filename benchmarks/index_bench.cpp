// Issue 5 §5: the selector and service indexes against Kubernetes' own algorithm on the same
// data. Every claim is a pair of benchmarks whose names differ only in `naive` / `svcdisc`;
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
#include <unordered_map>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include <svcdisc/labels.hpp>
#include <svcdisc/selector.hpp>
#include <svcdisc/selector_index.hpp>
#include <svcdisc/service.hpp>
#include <svcdisc/service_index.hpp>

#include "synthetic_cluster.hpp"

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
void build(Index& index, const svcdisc_test::synthetic_cluster& cluster) {
    svcdisc_test::label_buffer buffer;
    index.reserve(cluster.pod_count());
    for (std::size_t i = 0; i < cluster.pod_count(); ++i) {
        index.insert(static_cast<std::uint32_t>(i), cluster.pod_namespace(i),
                     cluster.labels(i, buffer));
    }
}

// -------------------------------------------------------------------------------------------
// Fixtures: one cluster per shape, built once per process and shared by the pairs.
// -------------------------------------------------------------------------------------------

struct pod_fixture {
    explicit pod_fixture(const svcdisc_test::cluster_options& options) : cluster(options) {
        build(index, cluster);
        label_sets.reserve(cluster.pod_count());
        pods_by_namespace.resize(cluster.namespaces().size());
        std::map<std::string_view, std::uint32_t> ns_number;
        for (std::size_t n = 0; n < cluster.namespaces().size(); ++n) {
            ns_number[cluster.namespaces()[n]] = static_cast<std::uint32_t>(n);
        }
        for (std::size_t i = 0; i < cluster.pod_count(); ++i) {
            label_sets.push_back(cluster.label_set_of(i));
            pods_by_namespace[ns_number[cluster.pod_namespace(i)]].push_back(
                static_cast<std::uint32_t>(i));
        }
    }

    svcdisc_test::synthetic_cluster cluster;
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
    svcdisc_test::cluster_options options;
    options.pods = pods;
    options.services = 10'000;
    options.namespaces = 1;
    return *cache.emplace(pods, std::make_unique<pod_fixture>(options)).first->second;
}

pod_fixture& realistic() {
    static pod_fixture fixture([] {
        svcdisc_test::cluster_options options;
        options.pods = 150'000;
        options.services = 10'000;
        options.namespaces = 200;
        return options;
    }());
    return fixture;
}

std::uint32_t namespace_number(const pod_fixture& f, std::string_view ns) {
    const auto& all = f.cluster.namespaces();
    return static_cast<std::uint32_t>(std::find(all.begin(), all.end(), ns) - all.begin());
}

// {app=X} for workloads of 15–25 pods (≈ 20 hits).
std::vector<query> app_queries(const pod_fixture& f) {
    std::vector<query> out;
    for (const auto& w : f.cluster.workloads()) {
        if (w.replicas >= 15 && w.replicas <= 25 && out.size() < 64) {
            const std::string ns = f.cluster.namespaces()[w.ns];
            out.push_back({ns, namespace_number(f, ns), svcdisc::parse_selector("app=" + w.name)});
        }
    }
    return out;
}

// 2–3 requirements returning ≈ 10,000 pods of 1M (scaled to the cluster size).
std::vector<query> multi_queries(const pod_fixture& f) {
    std::vector<query> out;
    const std::size_t target = f.cluster.pod_count() / 100;
    const std::string ns = f.cluster.namespaces()[0];
    for (const auto tier : svcdisc_test::tiers) {
        for (const auto env : svcdisc_test::envs) {
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

void run_naive(benchmark::State& state, const pod_fixture& f, const std::vector<query>& queries) {
    std::vector<std::uint32_t> out;
    out.reserve(f.cluster.pod_count());
    std::size_t i = 0;
    std::size_t results = 0;
    for (auto _ : state) {
        const query& q = queries[i++ % queries.size()];
        out.clear();
        for (const std::uint32_t p : f.pods_by_namespace[q.ns_number]) {
            if (q.selector.matches(f.label_sets[p])) {
                out.push_back(p);
            }
        }
        results += out.size();
        benchmark::DoNotOptimize(out.data());
    }
    report_results(state, results, i);
}

void run_svcdisc(benchmark::State& state, const pod_fixture& f, const std::vector<query>& queries) {
    std::vector<std::uint32_t> out;
    out.reserve(f.cluster.pod_count());
    std::size_t i = 0;
    std::size_t results = 0;
    for (auto _ : state) {
        const query& q = queries[i++ % queries.size()];
        out.clear();
        f.index.for_each(q.ns, q.selector, [&](std::uint32_t key) { out.push_back(key); });
        results += out.size();
        benchmark::DoNotOptimize(out.data());
    }
    report_results(state, results, i);
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
    svcdisc_test::rng random(3);
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
    explicit service_fixture(const svcdisc_test::cluster_options& options) : cluster(options) {
        services_by_namespace.resize(cluster.namespaces().size());
        for (std::size_t j = 0; j < cluster.services().size(); ++j) {
            const auto& svc = cluster.services()[j];
            index.insert(static_cast<std::uint32_t>(j), cluster.namespaces()[svc.ns],
                         svc.selector ? *svc.selector : svcdisc::label_set{});
            services_by_namespace[svc.ns].push_back(static_cast<std::uint32_t>(j));
        }
        svcdisc_test::rng random(17);
        for (int q = 0; q < 256; ++q) {
            const std::size_t i = random.below(cluster.pod_count());
            const std::string_view ns = cluster.pod_namespace(i);
            const auto& all = cluster.namespaces();
            pods.push_back(
                {std::string(ns),
                 static_cast<std::uint32_t>(std::find(all.begin(), all.end(), ns) - all.begin()),
                 cluster.label_set_of(i)});
        }
    }

    struct probe {
        std::string ns;
        std::uint32_t ns_number = 0;
        svcdisc::label_set labels;
    };

    svcdisc_test::synthetic_cluster cluster;
    svcdisc::service_index<std::uint32_t> index;
    std::vector<std::vector<std::uint32_t>> services_by_namespace;
    std::vector<probe> pods;
};

service_fixture& services_in_one_namespace(std::size_t services) {
    static std::map<std::size_t, std::unique_ptr<service_fixture>> cache;
    auto& slot = cache[services];
    if (!slot) {
        svcdisc_test::cluster_options options;
        options.pods = std::max<std::size_t>(2 * services, 20'000);
        options.services = services;
        options.namespaces = 1;
        slot = std::make_unique<service_fixture>(options);
    }
    return *slot;
}

service_fixture& services_realistic() {
    static service_fixture fixture([] {
        svcdisc_test::cluster_options options;
        options.pods = 150'000;
        options.services = 10'000;
        options.namespaces = 200;
        return options;
    }());
    return fixture;
}

// Kubernetes' GetPodServiceMemberships: every Service of the pod's namespace, tested.
void run_services_naive(benchmark::State& state, const service_fixture& f) {
    std::vector<std::uint32_t> out;
    out.reserve(1024);
    std::size_t i = 0;
    std::size_t results = 0;
    for (auto _ : state) {
        const auto& p = f.pods[i++ % f.pods.size()];
        out.clear();
        for (const std::uint32_t j : f.services_by_namespace[p.ns_number]) {
            const auto& selector = f.cluster.services()[j].selector;
            if (selector && !selector->empty() &&
                svcdisc::service_selector_matches(*selector, p.labels)) {
                out.push_back(j);
            }
        }
        results += out.size();
        benchmark::DoNotOptimize(out.data());
    }
    report_results(state, results, i);
}

void run_services_svcdisc(benchmark::State& state, const service_fixture& f) {
    std::vector<std::uint32_t> out;
    out.reserve(1024);
    std::size_t i = 0;
    std::size_t results = 0;
    for (auto _ : state) {
        const auto& p = f.pods[i++ % f.pods.size()];
        out.clear();
        f.index.for_each_matching(p.ns, p.labels, [&](std::uint32_t key) { out.push_back(key); });
        results += out.size();
        benchmark::DoNotOptimize(out.data());
    }
    report_results(state, results, i);
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
    svcdisc_test::rng random(23);
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(static_cast<std::uint32_t>(random.below(pods)));
    }
    return out;
}

// One label changes value (version v-a <-> v-b) on rotating random pods.
void BM_label_change_naive(benchmark::State& state) {
    auto& f = single_namespace(pods_arg(state));
    const auto targets = random_pods(f.cluster.pod_count(), 4096);
    std::size_t i = 0;
    for (auto _ : state) {
        const std::uint32_t p = targets[i % targets.size()];
        f.label_sets[p].insert_or_assign("version", (i / targets.size()) % 2 ? "v-a" : "v-b");
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(i));
}
void BM_label_change_svcdisc(benchmark::State& state) {
    auto& f = single_namespace(pods_arg(state));
    const auto targets = random_pods(f.cluster.pod_count(), 4096);
    std::size_t i = 0;
    for (auto _ : state) {
        const std::uint32_t p = targets[i % targets.size()];
        f.index.assign_label(p, "version", (i / targets.size()) % 2 ? "v-a" : "v-b");
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(i));
}

// For each target pod, its labels with version v-a and with version v-b.
std::vector<std::pair<svcdisc::label_set, svcdisc::label_set>>
two_versions(const pod_fixture& f, const std::vector<std::uint32_t>& targets) {
    std::vector<std::pair<svcdisc::label_set, svcdisc::label_set>> versions;
    for (const std::uint32_t p : targets) {
        auto a = f.cluster.label_set_of(p);
        auto b = a;
        a.insert_or_assign("version", "v-a");
        b.insert_or_assign("version", "v-b");
        versions.emplace_back(std::move(a), std::move(b));
    }
    return versions;
}

// A whole label map replaced (what an informer update delivers), one label differing.
void BM_update_labels_naive(benchmark::State& state) {
    auto& f = single_namespace(pods_arg(state));
    const auto targets = random_pods(f.cluster.pod_count(), 1024);
    const auto versions = two_versions(f, targets);
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i % targets.size();
        f.label_sets[targets[k]] =
            (i / targets.size()) % 2 ? versions[k].first : versions[k].second;
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(i));
}
void BM_update_labels_svcdisc(benchmark::State& state) {
    auto& f = single_namespace(pods_arg(state));
    const auto targets = random_pods(f.cluster.pod_count(), 1024);
    const auto versions = two_versions(f, targets);
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i % targets.size();
        f.index.update(targets[k],
                       (i / targets.size()) % 2 ? versions[k].first : versions[k].second);
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(i));
}

std::vector<svcdisc::label_set> label_sets_of(const pod_fixture& f,
                                              const std::vector<std::uint32_t>& targets) {
    std::vector<svcdisc::label_set> labels;
    for (const std::uint32_t p : targets) {
        labels.push_back(f.cluster.label_set_of(p));
    }
    return labels;
}

// Erase a pod and insert it again (two operations per iteration; items = operations). The
// naive side is the lister's cache: the pod's label_set dropped, then stored again.
void BM_insert_erase_naive(benchmark::State& state) {
    auto& f = single_namespace(pods_arg(state));
    const auto targets = random_pods(f.cluster.pod_count(), 4096);
    const auto labels = label_sets_of(f, targets);
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i % targets.size();
        f.label_sets[targets[k]] = svcdisc::label_set{};
        f.label_sets[targets[k]] = labels[k];
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(2 * i));
}
void BM_insert_erase_svcdisc(benchmark::State& state) {
    auto& f = single_namespace(pods_arg(state));
    const auto targets = random_pods(f.cluster.pod_count(), 4096);
    const auto labels = label_sets_of(f, targets);
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i % targets.size();
        f.index.erase(targets[k]);
        f.index.insert(targets[k], "default", labels[k]);
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(2 * i));
}

// Building the index from scratch vs building the naive cache (a vector of label_sets).
void BM_build_naive(benchmark::State& state) {
    svcdisc_test::cluster_options options;
    options.pods = pods_arg(state);
    options.namespaces = options.pods >= 1'000'000 ? 1 : 200;
    const svcdisc_test::synthetic_cluster cluster(options);
    svcdisc_test::label_buffer buffer;
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
    svcdisc_test::cluster_options options;
    options.pods = pods_arg(state);
    options.namespaces = options.pods >= 1'000'000 ? 1 : 200;
    const svcdisc_test::synthetic_cluster cluster(options);
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
    svcdisc_test::cluster_options options;
    options.pods = pods_arg(state);
    options.namespaces = static_cast<std::size_t>(state.range(1));
    const svcdisc_test::synthetic_cluster cluster(options);
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
    svcdisc_test::cluster_options options;
    options.pods = pods_arg(state);
    options.namespaces = static_cast<std::size_t>(state.range(1));
    const svcdisc_test::synthetic_cluster cluster(options);
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
