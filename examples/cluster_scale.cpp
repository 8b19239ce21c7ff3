// Capacity planning with svcdisc's indexes: build a synthetic cluster of a million pods, then ask
// the questions a controller asks on every event — which pods does this selector pick, which
// Services select this pod — and see what they cost in time and memory.
//
//   cluster_scale [pods] [services] [namespaces]     (default 1000000 10000 500)

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <svcdisc/selector.hpp>
#include <svcdisc/selector_index.hpp>
#include <svcdisc/service_index.hpp>

// The same generator the tests and benchmarks use (fixed seed, realistic label shapes).
#include <svcdisc/synthetic_cluster.hpp>

namespace {

using clock_type = std::chrono::steady_clock;

double micros_since(clock_type::time_point start) {
    return std::chrono::duration<double, std::micro>(clock_type::now() - start).count();
}

std::size_t argument(int argc, char** argv, int position, std::size_t fallback) {
    return argc > position ? static_cast<std::size_t>(std::strtoull(argv[position], nullptr, 10))
                           : fallback;
}

} // namespace

int main(int argc, char** argv) {
    svcdisc::cluster_options options;
    options.pods = argument(argc, argv, 1, 1'000'000);
    options.services = argument(argc, argv, 2, 10'000);
    options.namespaces = argument(argc, argv, 3, 500);

    auto start = clock_type::now();
    const svcdisc::synthetic_cluster cluster(options);
    std::printf("generated %zu pods, %zu services, %zu namespaces, %zu workloads in %.0f ms\n",
                cluster.pod_count(), cluster.services().size(), cluster.namespaces().size(),
                cluster.workloads().size(), micros_since(start) / 1000);

    // Pods by labels, keyed by the generator's pod number.
    svcdisc::selector_index<std::uint32_t> pods;
    pods.reserve(cluster.pod_count());
    svcdisc::label_buffer buffer;
    start = clock_type::now();
    for (std::size_t i = 0; i < cluster.pod_count(); ++i) {
        pods.insert(static_cast<std::uint32_t>(i), cluster.pod_namespace(i),
                    cluster.labels(i, buffer));
    }
    const double build_us = micros_since(start);
    std::printf("selector index built in %.0f ms (%.0f ns per pod)\n", build_us / 1000,
                build_us * 1000 / static_cast<double>(cluster.pod_count()));

    // Services by selector, keyed by service number.
    svcdisc::service_index<std::uint32_t> services;
    start = clock_type::now();
    for (std::size_t j = 0; j < cluster.services().size(); ++j) {
        services.insert(static_cast<std::uint32_t>(j), cluster.make_service(j));
    }
    std::printf("service index built in %.1f ms\n", micros_since(start) / 1000);

    const auto usage = pods.memory_usage();
    const auto per_pod = [&](std::size_t bytes) {
        return static_cast<double>(bytes) / static_cast<double>(cluster.pod_count());
    };
    std::printf("\nmemory per pod: %.1f B total = postings %.1f + terms %.1f + pods %.1f + "
                "labels %.1f + strings %.1f (%.1f MB)\n",
                per_pod(usage.total()), per_pod(usage.postings), per_pod(usage.terms),
                per_pod(usage.pods), per_pod(usage.labels), per_pod(usage.strings),
                static_cast<double>(usage.total()) / 1e6);
    std::printf("service index: %.1f MB for %zu selectors\n",
                static_cast<double>(services.memory_usage().total()) / 1e6, services.size());

    // The largest workload's namespace and selector.
    const auto& workloads = cluster.workloads();
    const auto biggest =
        std::max_element(workloads.begin(), workloads.end(),
                         [](const auto& a, const auto& b) { return a.replicas < b.replicas; });
    const std::string& ns = cluster.namespaces()[biggest->ns];

    std::printf("\nselector queries (namespace %s):\n", ns.c_str());
    const std::vector<std::string> questions{"app=" + biggest->name,
                                             "tier=backend,env=prod",
                                             "env notin (prod,staging)",
                                             "!team",
                                             "generation>40",
                                             ""};
    for (const std::string& text : questions) {
        const auto selector = svcdisc::parse_selector(text);
        start = clock_type::now();
        const std::size_t here = pods.count(ns, selector);
        const double here_us = micros_since(start);
        start = clock_type::now();
        const std::size_t everywhere = pods.count(svcdisc::all_namespaces, selector);
        const double everywhere_us = micros_since(start);
        std::printf("  %-28s %8zu pods in %8.1f us | all namespaces %8zu in %8.1f us\n",
                    text.empty() ? "(everything)" : text.c_str(), here, here_us, everywhere,
                    everywhere_us);
    }

    // Listing members of the Services of that namespace (what syncService needs).
    std::printf("\nService members (first Services of %s):\n", ns.c_str());
    std::vector<std::uint32_t> members;
    members.reserve(cluster.pod_count());
    std::size_t shown = 0;
    for (std::size_t j = 0; j < cluster.services().size() && shown < 5; ++j) {
        const auto& svc = cluster.services()[j];
        if (cluster.namespaces()[svc.ns] != ns || !svc.selector || svc.selector->empty()) {
            continue;
        }
        members.clear();
        start = clock_type::now();
        pods.for_each(ns, *svc.selector, [&](std::uint32_t p) { members.push_back(p); });
        std::printf("  %-10s %7zu pods listed in %7.1f us\n", svc.name.c_str(), members.size(),
                    micros_since(start));
        ++shown;
    }

    // The reverse question, for a few random pods.
    std::printf("\nServices selecting a pod:\n");
    svcdisc::splitmix64 random(2024);
    for (int q = 0; q < 5; ++q) {
        const std::size_t i = random.below(cluster.pod_count());
        std::vector<std::string> names;
        start = clock_type::now();
        services.for_each_matching(
            cluster.pod_namespace(i), cluster.labels(i, buffer),
            [&](std::uint32_t j) { names.push_back(cluster.services()[j].name); });
        const double took = micros_since(start);
        std::string joined;
        for (const std::string& name : names) {
            joined += (joined.empty() ? "" : ",") + name;
        }
        std::printf("  %-40s -> [%s] in %.2f us\n", cluster.pod_name(i).c_str(), joined.c_str(),
                    took);
    }

    // A rolling update of the biggest workload: every pod gets a new pod-template-hash.
    std::vector<std::uint32_t> rollout;
    for (std::size_t i = 0; i < cluster.pod_count(); ++i) {
        if (&workloads[cluster.pods()[i].workload] == &*biggest) {
            rollout.push_back(static_cast<std::uint32_t>(i));
        }
    }
    const std::string label_key =
        biggest->stateful ? "controller-revision-hash" : "pod-template-hash";
    start = clock_type::now();
    for (const std::uint32_t p : rollout) {
        pods.assign_label(p, label_key, "rolled0001");
    }
    const double rollout_us = micros_since(start);
    std::printf("\nrolling update of %s: %zu label changes in %.0f us (%.0f ns each); "
                "%zu pods now carry the new hash\n",
                biggest->name.c_str(), rollout.size(), rollout_us,
                rollout_us * 1000 / static_cast<double>(std::max<std::size_t>(rollout.size(), 1)),
                pods.count(ns, svcdisc::parse_selector(label_key + "=rolled0001")));
    return 0;
}
