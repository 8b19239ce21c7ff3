#pragma once

/// A realistic synthetic cluster, generated deterministically from a seed: the workload the
/// index benchmarks, property tests and examples run on (docs/indexes.md).
///
///   cluster_options      sizes and seed
///   synthetic_cluster    the generated namespaces, pods (by workload and ordinal) and Services
///   splitmix64           the random number generator behind it
///
/// Namespaces have Zipf-skewed sizes; Deployments (app, pod-template-hash, tier, team, version,
/// env, sometimes a numeric generation) have log-normal replica counts (a few huge, many tiny),
/// some mid-rollout with two pod-template-hash values; StatefulSets carry
/// controller-revision-hash and the per-pod statefulset.kubernetes.io/pod-name; Services select
/// 1–3 labels, some broad and overlapping, some selector-less or empty (selecting nothing).
/// Only integer arithmetic and splitmix64 decide the output, so it is the same with every
/// compiler and standard library.
///
/// Pods are kept as (workload, ordinal) pairs and their labels are produced on demand as
/// string_view pairs, so a 1M-pod cluster costs a few tens of MB and builds in well under a
/// second; label_set_of() gives Kubernetes-shaped label_sets where a baseline needs them.
///
/// Example:
///     svcdisc::cluster_options options;
///     options.pods = 10'000;
///     const svcdisc::synthetic_cluster cluster(options);
///     svcdisc::selector_index<std::uint32_t> index;
///     svcdisc::label_buffer buffer;
///     for (std::size_t i = 0; i < cluster.pod_count(); ++i) {
///         index.insert(static_cast<std::uint32_t>(i), cluster.pod_namespace(i),
///                      cluster.labels(i, buffer));
///     }

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/labels.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc {

/// splitmix64: tiny, fast, and the same sequence on every compiler and standard library.
class splitmix64 {
  public:
    explicit splitmix64(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }
    /// Uniform in [0, n).
    std::size_t below(std::size_t n) noexcept { return n == 0 ? 0 : next() % n; }
    /// Uniform in [0, 1).
    double unit() noexcept { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
    bool chance(double p) noexcept { return unit() < p; }

  private:
    std::uint64_t state_;
};

/// Sizes of the cluster to generate.
struct cluster_options {
    std::uint64_t seed = 42;
    std::size_t pods = 150'000;
    std::size_t services = 10'000;
    std::size_t namespaces = 200; ///< 1: everything in "default" (upstream's worst case)
    bool shuffle_pods = true;     ///< pods in random order (ids scattered as after churn)
};

using label_pair = std::pair<std::string_view, std::string_view>;

/// Room for one pod's labels as string_view pairs (a label_map through labels()).
struct label_buffer {
    std::array<label_pair, 16> pairs{};
    std::size_t size = 0;
    std::string scratch; ///< per-pod value (StatefulSet pod name)

    [[nodiscard]] std::span<const label_pair> labels() const noexcept {
        return {pairs.data(), size};
    }
};

/// A Deployment or StatefulSet: template labels shared by its pods.
struct workload {
    std::uint32_t ns = 0;
    bool stateful = false;
    std::string name;
    std::vector<std::pair<std::string, std::string>> labels; ///< app, tier, team, …
    std::string hash;     ///< pod-template-hash / controller-revision-hash
    std::string old_hash; ///< set when mid-rollout: the first pods keep the old hash
    std::uint32_t replicas = 0;
    std::uint32_t old_replicas = 0;
};

/// One pod: its workload and ordinal.
struct synthetic_pod {
    std::uint32_t workload = 0;
    std::uint32_t ordinal = 0;
};

/// One Service: nullopt selector = selector-less (managed externally).
struct synthetic_service {
    std::string name;
    std::uint32_t ns = 0;
    std::optional<svcdisc::label_set> selector;
};

inline constexpr std::array<std::string_view, 6> tiers{"frontend", "backend", "cache",
                                                       "worker",   "db",      "batch"};
inline constexpr std::array<double, 6> tier_weights{0.30, 0.35, 0.08, 0.15, 0.07, 0.05};
inline constexpr std::array<std::string_view, 3> envs{"prod", "staging", "dev"};
inline constexpr std::array<double, 3> env_weights{0.60, 0.25, 0.15};

/// The generated cluster.
class synthetic_cluster {
  public:
    explicit synthetic_cluster(const cluster_options& options) : options_(options) {
        splitmix64 random(options.seed);
        make_namespaces(random);
        make_workloads(random);
        make_pods(random);
        make_services(random);
    }

    [[nodiscard]] const cluster_options& options() const noexcept { return options_; }
    [[nodiscard]] std::size_t pod_count() const noexcept { return pods_.size(); }
    [[nodiscard]] const std::vector<std::string>& namespaces() const noexcept {
        return namespaces_;
    }
    [[nodiscard]] const std::vector<workload>& workloads() const noexcept { return workloads_; }
    [[nodiscard]] const std::vector<synthetic_pod>& pods() const noexcept { return pods_; }
    [[nodiscard]] const std::vector<synthetic_service>& services() const noexcept {
        return services_;
    }

    /// The namespace of pod i.
    [[nodiscard]] std::string_view pod_namespace(std::size_t i) const noexcept {
        return namespaces_[pod_namespace_number(i)];
    }

    /// The position of pod i's namespace in namespaces().
    [[nodiscard]] std::uint32_t pod_namespace_number(std::size_t i) const noexcept {
        return workloads_[pods_[i].workload].ns;
    }

    /// The labels of pod i, written into `buffer` (valid until its next use).
    std::span<const label_pair> labels(std::size_t i, label_buffer& buffer) const {
        const synthetic_pod& p = pods_[i];
        const workload& w = workloads_[p.workload];
        buffer.size = 0;
        for (const auto& [k, v] : w.labels) {
            buffer.pairs[buffer.size++] = {k, v};
        }
        const std::string& hash = p.ordinal < w.old_replicas ? w.old_hash : w.hash;
        if (w.stateful) {
            buffer.pairs[buffer.size++] = {"controller-revision-hash", hash};
            buffer.scratch = w.name + "-" + std::to_string(p.ordinal);
            buffer.pairs[buffer.size++] = {"statefulset.kubernetes.io/pod-name", buffer.scratch};
        } else {
            buffer.pairs[buffer.size++] = {"pod-template-hash", hash};
        }
        return buffer.labels();
    }

    /// The labels of pod i as a label_set (what the naive baseline scans).
    [[nodiscard]] svcdisc::label_set label_set_of(std::size_t i) const {
        label_buffer buffer;
        svcdisc::label_set out;
        for (const auto& [k, v] : labels(i, buffer)) {
            out.insert_or_assign(k, v);
        }
        return out;
    }

    /// Pod i's name: `<workload>-<hash>-<5 chars>` or `<statefulset>-<ordinal>`.
    [[nodiscard]] std::string pod_name(std::size_t i) const {
        const synthetic_pod& p = pods_[i];
        const workload& w = workloads_[p.workload];
        if (w.stateful) {
            return w.name + "-" + std::to_string(p.ordinal);
        }
        std::string suffix;
        std::uint64_t x = (std::uint64_t{p.workload} << 32U) | p.ordinal;
        for (int c = 0; c < 5; ++c) {
            suffix += alphabet[x % alphabet.size()];
            x /= alphabet.size();
        }
        return w.name + "-" + (p.ordinal < w.old_replicas ? w.old_hash : w.hash) + "-" + suffix;
    }

    /// Pod i as a svcdisc::pod (name, namespace, labels).
    [[nodiscard]] svcdisc::pod make_pod(std::size_t i) const {
        svcdisc::pod p;
        p.metadata.name = pod_name(i);
        p.metadata.namespace_ = std::string(pod_namespace(i));
        p.metadata.labels = label_set_of(i);
        return p;
    }

    /// Service j as a svcdisc::service.
    [[nodiscard]] svcdisc::service make_service(std::size_t j) const {
        svcdisc::service svc;
        svc.metadata.name = services_[j].name;
        svc.metadata.namespace_ = namespaces_[services_[j].ns];
        svc.spec.selector = services_[j].selector;
        return svc;
    }

  private:
    // Kubernetes' "safe" alphabet for generated names.
    static constexpr std::string_view alphabet = "bcdfghjklmnpqrstvwxz2456789";

    static std::string random_token(splitmix64& random, std::size_t length) {
        std::string out;
        for (std::size_t i = 0; i < length; ++i) {
            out += alphabet[random.below(alphabet.size())];
        }
        return out;
    }

    template <std::size_t N>
    static std::size_t weighted(splitmix64& random, const std::array<double, N>& weights) {
        double x = random.unit();
        for (std::size_t i = 0; i < N; ++i) {
            if (x < weights[i]) {
                return i;
            }
            x -= weights[i];
        }
        return N - 1;
    }

    void make_namespaces(splitmix64& random) {
        const std::size_t n = std::max<std::size_t>(1, options_.namespaces);
        if (n == 1) {
            namespaces_.emplace_back("default");
        } else {
            for (std::size_t i = 0; i < n; ++i) {
                namespaces_.push_back("ns-" + std::to_string(i) + "-" + random_token(random, 4));
            }
        }
        // Zipf(1) weights: a few namespaces hold most workloads.
        double total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            total += 1.0 / static_cast<double>(i + 1);
            namespace_cdf_.push_back(total);
        }
        for (double& c : namespace_cdf_) {
            c /= total;
        }
    }

    std::uint32_t pick_namespace(splitmix64& random) const {
        const double x = random.unit();
        const auto it = std::upper_bound(namespace_cdf_.begin(), namespace_cdf_.end(), x);
        return static_cast<std::uint32_t>(std::min<std::ptrdiff_t>(
            it - namespace_cdf_.begin(), static_cast<std::ptrdiff_t>(namespace_cdf_.size()) - 1));
    }

    void make_workloads(splitmix64& random) {
        const std::size_t pods = options_.pods;
        std::size_t count = std::max(pods / 60, options_.services * 13 / 10);
        count = std::max<std::size_t>(1, std::min(count, std::max<std::size_t>(pods, 1)));
        // Log-normal replica weights (sigma 1.5), scaled so the total is exactly `pods`.
        std::vector<double> weight(count);
        double total = 0;
        for (double& w : weight) {
            const double u1 = std::max(random.unit(), 1e-12);
            const double u2 = random.unit();
            const double normal = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
            w = std::exp(1.5 * normal);
            total += w;
        }
        std::size_t assigned = 0;
        workloads_.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
            workload& w = workloads_[i];
            const auto share =
                static_cast<std::size_t>(weight[i] / total * static_cast<double>(pods));
            w.replicas =
                static_cast<std::uint32_t>(pods == 0 ? 0 : std::max<std::size_t>(1, share));
            assigned += w.replicas;
        }
        // Fix the rounding on random workloads so the total is exact.
        while (assigned < pods) {
            ++workloads_[random.below(count)].replicas;
            ++assigned;
        }
        while (assigned > pods) {
            workload& w = workloads_[random.below(count)];
            if (w.replicas > 1) {
                --w.replicas;
                --assigned;
            }
        }
        for (std::size_t i = 0; i < count; ++i) {
            workload& w = workloads_[i];
            w.ns = pick_namespace(random);
            w.stateful = random.chance(0.10);
            w.name =
                (w.stateful ? "sts-" : "app-") + std::to_string(i) + "-" + random_token(random, 3);
            w.labels.emplace_back("app", w.name);
            w.labels.emplace_back("tier", tiers[weighted(random, tier_weights)]);
            w.labels.emplace_back("env", envs[weighted(random, env_weights)]);
            if (random.chance(0.7)) {
                // Skewed team sizes: team-0 is the biggest.
                const auto team = static_cast<std::size_t>(50.0 * random.unit() * random.unit());
                w.labels.emplace_back("team", "team-" + std::to_string(team));
            }
            if (!w.stateful && random.chance(0.6)) {
                w.labels.emplace_back("version", "v" + std::to_string(1 + random.below(20)));
            }
            if (random.chance(0.4)) {
                w.labels.emplace_back("generation", std::to_string(1 + random.below(50)));
            }
            w.hash = random_token(random, 10);
            if (!w.stateful && w.replicas > 1 && random.chance(0.2)) {
                w.old_hash = random_token(random, 10);
                w.old_replicas = w.replicas / 3;
            }
        }
    }

    void make_pods(splitmix64& random) {
        pods_.reserve(options_.pods);
        for (std::size_t i = 0; i < workloads_.size(); ++i) {
            for (std::uint32_t o = 0; o < workloads_[i].replicas; ++o) {
                pods_.push_back({static_cast<std::uint32_t>(i), o});
            }
        }
        if (options_.shuffle_pods) {
            for (std::size_t i = pods_.size(); i > 1; --i) {
                std::swap(pods_[i - 1], pods_[random.below(i)]);
            }
        }
    }

    void make_services(splitmix64& random) {
        services_.reserve(options_.services);
        broad_per_namespace_.assign(namespaces_.size(), 0);
        for (std::size_t j = 0; j < options_.services; ++j) {
            const workload& w = workloads_[j % workloads_.size()];
            synthetic_service svc;
            svc.ns = w.ns;
            svc.name = "svc-" + std::to_string(j);
            const double shape = random.unit();
            const auto label = [&](std::string_view key) -> std::string_view {
                for (const auto& [k, v] : w.labels) {
                    if (k == key) {
                        return v;
                    }
                }
                return {};
            };
            svcdisc::label_set selector;
            if (j >= workloads_.size() && shape < 0.5) {
                // Extra services beyond one per workload overlap an existing one.
                selector.insert_or_assign("app", w.name);
                if (!w.old_hash.empty()) {
                    selector.insert_or_assign("pod-template-hash", w.hash);
                } else {
                    selector.insert_or_assign("env", label("env"));
                }
            } else if (shape < 0.02) {
                services_.push_back(std::move(svc)); // selector-less
                continue;
            } else if (shape < 0.03) {
                svc.selector = svcdisc::label_set{}; // empty: also selects nothing
                services_.push_back(std::move(svc));
                continue;
            } else if (shape < 0.05 && broad_per_namespace_[svc.ns] < 3) {
                // Broad: a whole tier of the namespace (a few per namespace, however many
                // Services it has, as in real clusters).
                ++broad_per_namespace_[svc.ns];
                selector.insert_or_assign("tier", label("tier"));
            } else if (shape < 0.65) {
                selector.insert_or_assign("app", w.name);
            } else if (shape < 0.90) {
                selector.insert_or_assign("app", w.name);
                selector.insert_or_assign("tier", label("tier"));
            } else {
                selector.insert_or_assign("app", w.name);
                selector.insert_or_assign("tier", label("tier"));
                selector.insert_or_assign("env", label("env"));
            }
            svc.selector = std::move(selector);
            services_.push_back(std::move(svc));
        }
    }

    cluster_options options_;
    std::vector<std::string> namespaces_;
    std::vector<double> namespace_cdf_;
    std::vector<workload> workloads_;
    std::vector<synthetic_pod> pods_;
    std::vector<synthetic_service> services_;
    std::vector<std::uint32_t> broad_per_namespace_;
};

} // namespace svcdisc
