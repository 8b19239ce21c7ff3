#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <svcdisc/derive_endpoint_slices.hpp>

#include "counting_new.hpp"

// EndpointSlices for one Service with 3 ports over N pods (docs/endpoint-slices.md), from
// scratch and as a reconcile after 1% of the pods changed. `allocs` counts calls of the global
// operator new per derivation (this program replaces it).

namespace {

svcdisc::service make_service() {
    svcdisc::service s;
    s.metadata.name = "checkout";
    s.metadata.namespace_ = "shop";
    s.metadata.uid = "6f1c1c9e-3f7b-4d38-9d59-0c5b1f7c2a10";
    s.metadata.labels = {{"app.kubernetes.io/name", "checkout"}, {"team", "payments"}};
    s.spec.type = "ClusterIP";
    s.spec.selector = svcdisc::label_set{{"app", "checkout"}};
    s.spec.cluster_ip = "10.96.12.34";
    s.spec.ip_families = {"IPv4"};
    s.spec.ports = {
        {"http", "TCP", std::string("http"), 80, std::string("http-web"), 0},
        {"metrics", "TCP", std::nullopt, 9100, 9100, 0},
        {"grpc", "TCP", std::string("kubernetes.io/h2c"), 9000, std::string("grpc"), 0}};
    return s;
}

std::vector<svcdisc::node> make_nodes() {
    std::vector<svcdisc::node> nodes;
    for (int i = 0; i < 50; ++i) {
        svcdisc::node n;
        n.metadata.name = "ip-10-1-" + std::to_string(i) + "-7.eu-west-1.compute.internal";
        n.metadata.labels = {{"topology.kubernetes.io/zone",
                              "eu-west-1" + std::string(1, static_cast<char>('a' + i % 3))}};
        nodes.push_back(std::move(n));
    }
    return nodes;
}

std::vector<svcdisc::pod> make_pods(int count, const std::vector<svcdisc::node>& nodes) {
    std::vector<svcdisc::pod> pods;
    pods.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        svcdisc::pod p;
        p.metadata.name = "checkout-7d9f8b6c4-" + std::to_string(100000 + i);
        p.metadata.namespace_ = "shop";
        p.metadata.uid = "0b6e2f1a-5c3d-4e7f-8a9b-" + std::to_string(100000000000 + i);
        p.metadata.labels = {{"app", "checkout"}, {"pod-template-hash", "7d9f8b6c4"}};
        p.spec.node_name = nodes[static_cast<std::size_t>(i) % nodes.size()].metadata.name;
        p.spec.containers = {
            {"app", {{"http-web", 8080, "TCP", 0}, {"grpc", 9090, "TCP", 0}}, std::nullopt},
            {"exporter", {{"metrics", 9100, "TCP", 0}}, std::nullopt}};
        p.status.phase = "Running";
        p.status.conditions = {{"PodScheduled", "True"}, {"Ready", i % 50 == 0 ? "False" : "True"}};
        const std::string ip =
            "10.2." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
        p.status.pod_ip = ip;
        p.status.pod_ips = {ip};
        pods.push_back(std::move(p));
    }
    return pods;
}

void BM_derive_endpoint_slices(benchmark::State& state) {
    const svcdisc::service svc = make_service();
    const auto nodes = make_nodes();
    const auto pods = make_pods(static_cast<int>(state.range(0)), nodes);
    std::uint64_t allocations = 0;
    std::size_t slice_count = 0;
    for (auto _ : state) {
        const std::uint64_t before = svcdisc_test::allocation_count.load(std::memory_order_relaxed);
        auto slices = svcdisc::derive_endpoint_slices(svc, pods, nodes);
        allocations += svcdisc_test::allocation_count.load(std::memory_order_relaxed) - before;
        slice_count = slices.size();
        benchmark::DoNotOptimize(slices.data());
    }
    state.counters["allocs"] =
        benchmark::Counter(static_cast<double>(allocations), benchmark::Counter::kAvgIterations);
    state.counters["slices"] = static_cast<double>(slice_count);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_derive_endpoint_slices)->Arg(250)->Arg(5000)->Unit(benchmark::kMicrosecond);

// One pod in a hundred turned not ready since the slices were written.
void BM_reconcile_endpoint_slices(benchmark::State& state) {
    const svcdisc::service svc = make_service();
    const auto nodes = make_nodes();
    auto pods = make_pods(static_cast<int>(state.range(0)), nodes);
    const auto existing = svcdisc::derive_endpoint_slices(svc, pods, nodes);
    for (std::size_t i = 7; i < pods.size(); i += 100) {
        pods[i].status.conditions = {{"Ready", "False"}};
    }
    std::uint64_t allocations = 0;
    std::size_t updates = 0;
    for (auto _ : state) {
        const std::uint64_t before = svcdisc_test::allocation_count.load(std::memory_order_relaxed);
        auto changes = svcdisc::reconcile_endpoint_slices(svc, pods, nodes, existing);
        allocations += svcdisc_test::allocation_count.load(std::memory_order_relaxed) - before;
        updates = changes.to_update.size();
        benchmark::DoNotOptimize(changes.to_update.data());
    }
    state.counters["allocs"] =
        benchmark::Counter(static_cast<double>(allocations), benchmark::Counter::kAvgIterations);
    state.counters["updates"] = static_cast<double>(updates);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_reconcile_endpoint_slices)->Arg(5000)->Unit(benchmark::kMicrosecond);

} // namespace
