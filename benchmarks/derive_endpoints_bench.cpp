#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <svcdisc/derive_endpoints.hpp>

#include "counting_new.hpp"

// derive_endpoints on one Service with N pods and 3 ports (one named targetPort), the size the
// performance budget is set for (5,000 pods: at most 1 ms). Allocations are counted by replacing
// the global operator new and reported per derivation.

namespace {

svcdisc::service bench_service() {
    svcdisc::service svc;
    svc.metadata.name = "web";
    svc.metadata.namespace_ = "prod";
    svc.metadata.labels = {{"app.kubernetes.io/name", "web"}};
    svc.spec.selector = svcdisc::label_set{{"app", "web"}, {"tier", "frontend"}};
    svc.spec.type = "ClusterIP";
    svc.spec.cluster_ip = "10.96.12.34";
    svc.spec.ip_families = {"IPv4"};
    svc.spec.ports = {{"http", "TCP", std::nullopt, 80, std::string("http-web"), 0},
                      {"metrics", "TCP", std::nullopt, 9100, 9100, 0},
                      {"grpc", "TCP", std::string("kubernetes.io/h2c"), 9000, 9000, 0}};
    return svc;
}

// A uid shaped like Kubernetes' (36 characters), different per pod.
std::string uid_of(std::size_t i) {
    char text[40];
    std::snprintf(text, sizeof text, "%08zx-1c2d-4e5f-8a9b-%012zx", i * 2654435761U % 0xffffffffU,
                  i);
    return text;
}

std::vector<svcdisc::pod> bench_pods(std::size_t count) {
    std::vector<svcdisc::pod> pods;
    pods.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        svcdisc::pod p;
        p.metadata.name = "web-7d9f8b6c5-" + std::to_string(10000 + i);
        p.metadata.namespace_ = "prod";
        p.metadata.uid = uid_of(i);
        p.metadata.labels = {
            {"app", "web"}, {"pod-template-hash", "7d9f8b6c5"}, {"tier", "frontend"}};
        p.spec.node_name = "node-" + std::to_string(i % 50);
        p.status.phase = "Running";
        p.status.conditions = {{"Initialized", "True"}, {"Ready", i % 20 == 0 ? "False" : "True"}};
        // Scatter the IPs so the input is not already in output order.
        const std::size_t host = (i * 7919) % 65000 + 1;
        p.status.pod_ip = "10.244." + std::to_string(host / 256) + "." + std::to_string(host % 256);
        p.status.pod_ips = {p.status.pod_ip};
        p.spec.containers = {
            {"web", {{"http-web", 8080, "TCP", 0}, {"metrics", 9100, "TCP", 0}}, std::nullopt},
            {"proxy", {{"admin", 15000, "TCP", 0}}, std::nullopt}};
        pods.push_back(std::move(p));
    }
    return pods;
}

void BM_derive_endpoints(benchmark::State& state) {
    const svcdisc::service svc = bench_service();
    const std::vector<svcdisc::pod> pods = bench_pods(static_cast<std::size_t>(state.range(0)));
    std::uint64_t allocations = 0;
    for (auto _ : state) {
        const std::uint64_t before = svcdisc_test::allocation_count.load(std::memory_order_relaxed);
        auto eps = svcdisc::derive_endpoints(svc, pods);
        allocations += svcdisc_test::allocation_count.load(std::memory_order_relaxed) - before;
        benchmark::DoNotOptimize(eps);
    }
    state.counters["allocs_per_derive"] = benchmark::Counter(
        static_cast<double>(allocations) / static_cast<double>(state.iterations()));
    state.counters["pods"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_derive_endpoints)->Arg(100)->Arg(1000)->Arg(5000)->Unit(benchmark::kMicrosecond);

// The hashing-heavy case: the pods split into two subsets, whose full dumps are MD5-ordered.
void BM_derive_endpoints_two_subsets(benchmark::State& state) {
    const svcdisc::service svc = bench_service();
    std::vector<svcdisc::pod> pods = bench_pods(static_cast<std::size_t>(state.range(0)));
    for (std::size_t i = 0; i < pods.size(); i += 2) {
        pods[i].spec.containers[0].ports[0].container_port = 8081;
    }
    for (auto _ : state) {
        auto eps = svcdisc::derive_endpoints(svc, pods);
        benchmark::DoNotOptimize(eps);
    }
}
BENCHMARK(BM_derive_endpoints_two_subsets)->Arg(5000)->Unit(benchmark::kMicrosecond);

void BM_repack_subsets(benchmark::State& state) {
    const svcdisc::service svc = bench_service();
    const std::vector<svcdisc::pod> pods = bench_pods(static_cast<std::size_t>(state.range(0)));
    const auto eps = svcdisc::derive_endpoints(svc, pods);
    for (auto _ : state) {
        auto subsets = svcdisc::repack_subsets(eps->subsets);
        benchmark::DoNotOptimize(subsets);
    }
}
BENCHMARK(BM_repack_subsets)->Arg(5000)->Unit(benchmark::kMicrosecond);

} // namespace
