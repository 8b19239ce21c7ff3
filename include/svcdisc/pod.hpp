#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/labels.hpp>
#include <svcdisc/meta.hpp>

namespace svcdisc {

/// Pod phases as Kubernetes spells them.
namespace pod_phase {
inline constexpr std::string_view pending = "Pending";
inline constexpr std::string_view running = "Running";
inline constexpr std::string_view succeeded = "Succeeded";
inline constexpr std::string_view failed = "Failed";
inline constexpr std::string_view unknown = "Unknown";
} // namespace pod_phase

/// A port a container declares (Kubernetes' ContainerPort).
template <class String>
struct basic_container_port {
    String name;
    std::int32_t container_port = 0;
    String protocol;
    std::int32_t host_port = 0;

    friend bool operator==(const basic_container_port&, const basic_container_port&) = default;
};

/// A container or init container: its name, declared ports and (for init containers)
/// restartPolicy, whose value "Always" makes it a native sidecar.
template <class String>
struct basic_container {
    String name;
    std::vector<basic_container_port<String>> ports;
    std::optional<String> restart_policy;

    friend bool operator==(const basic_container&, const basic_container&) = default;
};

/// One entry of status.conditions, e.g. {Ready, True}.
template <class String>
struct basic_pod_condition {
    String type;
    String status;

    friend bool operator==(const basic_pod_condition&, const basic_pod_condition&) = default;
};

/// The parts of a Pod's spec that service discovery reads.
template <class String>
struct basic_pod_spec {
    String node_name;
    String hostname;
    String subdomain;
    std::vector<basic_container<String>> containers;
    std::vector<basic_container<String>> init_containers;

    friend bool operator==(const basic_pod_spec&, const basic_pod_spec&) = default;
};

/// The parts of a Pod's status that service discovery reads.
template <class String>
struct basic_pod_status {
    String phase;
    String pod_ip;
    std::vector<String> pod_ips;
    std::vector<basic_pod_condition<String>> conditions;

    friend bool operator==(const basic_pod_status&, const basic_pod_status&) = default;
};

/// A Pod, shaped like the Kubernetes object (metadata, spec, status).
///
/// Example:
///     svcdisc::pod p;
///     p.metadata.name = "web-0";
///     p.metadata.labels = {{"app", "MyApp"}};
///     p.status.pod_ips = {"10.0.0.1"};
template <class String>
struct basic_pod {
    basic_object_meta<String> metadata;
    basic_pod_spec<String> spec;
    basic_pod_status<String> status;

    friend bool operator==(const basic_pod&, const basic_pod&) = default;
};

using container_port = basic_container_port<std::string>;
using container = basic_container<std::string>;
using pod_condition = basic_pod_condition<std::string>;
using pod = basic_pod<std::string>;

/// True when the pod's first condition of type Ready has status "True" (later Ready
/// conditions are ignored, as Kubernetes' IsPodReady does).
template <class String>
[[nodiscard]] bool is_pod_ready(const basic_pod<String>& p) noexcept {
    return detail::first_condition_is_true(p.status.conditions, "Ready");
}

/// Applies the API server's defaults for pods (SetDefaults_ContainerPort; docs/model.md): a
/// container port without a protocol
/// gets TCP. svcdisc's readers call this once, on ingest.
template <class String>
void apply_defaults(basic_pod<String>& p) {
    for (auto* containers : {&p.spec.containers, &p.spec.init_containers}) {
        for (auto& c : *containers) {
            for (auto& port : c.ports) {
                if (std::string_view(port.protocol).empty()) {
                    port.protocol = String(default_protocol);
                }
            }
        }
    }
}

/// The kind of container a port is declared in, as Kubernetes' FindPort tells them apart.
enum class container_kind : std::uint8_t {
    /// spec.containers (the app containers): searched first.
    regular,
    /// spec.initContainers with restartPolicy Always (a native sidecar): searched next.
    sidecar,
    /// Any other init container: never searched.
    init,
    /// A container or sidecar of a pod type whose traits only provide for_each_port.
    unspecified,
};

/// How svcdisc reads a pod. Specialise it for your own pod type and every algorithm (derivation,
/// indexes) works on your type directly, without conversion.
///
/// A specialisation provides these static functions (string results as anything convertible
/// to std::string_view):
///   name(p), namespace_(p), uid(p)  — identity
///   labels(p)                       — a label_map (label_set, std::map, …)
///   phase(p)                        — "Running", "Failed", … ("" when unknown)
///   ready(p)                        — the pod's Ready condition is "True"
///   terminating(p)                  — metadata.deletionTimestamp is set
///   node_name(p), hostname(p), subdomain(p)
///   pod_ip(p)                       — status.podIP
///   pod_ips(p)                      — status.podIPs, a range of strings
///   for_each_port(p, visit)         — calls visit(name, number, protocol) for each declared
///                                     port of the containers in order, then of the init
///                                     containers whose restartPolicy is Always (sidecars);
///                                     stops when visit returns true
///
/// and may provide, so that find_port can name the container a port comes from and see ports
/// of init containers that are not sidecars:
///   for_each_container_port(p, visit) — calls visit(container name, container_kind, port
///                                     name, number, protocol) for each declared port of the
///                                     containers, then of every init container, in order; text
///                                     stays valid as long as the pod; stops when visit returns
///                                     true
///
/// Example:
///     template <> struct svcdisc::pod_traits<my_pod> {
///         static std::string_view name(const my_pod& p) { return p.id; }
///         …
///     };
template <class Pod>
struct pod_traits;

/// pod_traits for svcdisc's own basic_pod.
template <class String>
struct pod_traits<basic_pod<String>> {
    using pod_type = basic_pod<String>;
    static std::string_view name(const pod_type& p) noexcept { return p.metadata.name; }
    static std::string_view namespace_(const pod_type& p) noexcept { return p.metadata.namespace_; }
    static std::string_view uid(const pod_type& p) noexcept { return p.metadata.uid; }
    static const basic_label_set<String>& labels(const pod_type& p) noexcept {
        return p.metadata.labels;
    }
    static std::string_view phase(const pod_type& p) noexcept { return p.status.phase; }
    static bool ready(const pod_type& p) noexcept { return is_pod_ready(p); }
    static bool terminating(const pod_type& p) noexcept {
        return p.metadata.deletion_timestamp.has_value();
    }
    static std::string_view node_name(const pod_type& p) noexcept { return p.spec.node_name; }
    static std::string_view hostname(const pod_type& p) noexcept { return p.spec.hostname; }
    static std::string_view subdomain(const pod_type& p) noexcept { return p.spec.subdomain; }
    static std::string_view pod_ip(const pod_type& p) noexcept { return p.status.pod_ip; }
    static const std::vector<String>& pod_ips(const pod_type& p) noexcept {
        return p.status.pod_ips;
    }
    template <class Visit>
    static void for_each_container_port(const pod_type& p, Visit&& visit) {
        // True once visit asks to stop, so the caller stops too.
        const auto visit_ports = [&](const basic_container<String>& c, container_kind kind) {
            for (const auto& port : c.ports) {
                if (visit(std::string_view(c.name), kind, std::string_view(port.name),
                          port.container_port, std::string_view(port.protocol))) {
                    return true;
                }
            }
            return false;
        };
        for (const auto& c : p.spec.containers) {
            if (visit_ports(c, container_kind::regular)) {
                return;
            }
        }
        for (const auto& c : p.spec.init_containers) {
            const bool sidecar =
                c.restart_policy && std::string_view(*c.restart_policy) == "Always";
            if (visit_ports(c, sidecar ? container_kind::sidecar : container_kind::init)) {
                return;
            }
        }
    }
    template <class Visit>
    static void for_each_port(const pod_type& p, Visit&& visit) {
        for_each_container_port(p, [&](std::string_view, container_kind kind, std::string_view name,
                                       std::int32_t number, std::string_view protocol) {
            return kind != container_kind::init && visit(name, number, protocol);
        });
    }
};

namespace detail {
struct port_visitor_probe {
    bool operator()(std::string_view, std::int32_t, std::string_view) const noexcept {
        return false;
    }
};
} // namespace detail

/// A type svcdisc can read as a pod: pod_traits<Pod> is specialised with every function listed
/// on pod_traits.
template <class Pod>
concept pod_like = requires(const Pod& p) {
    { pod_traits<Pod>::name(p) } -> std::convertible_to<std::string_view>;
    { pod_traits<Pod>::namespace_(p) } -> std::convertible_to<std::string_view>;
    { pod_traits<Pod>::uid(p) } -> std::convertible_to<std::string_view>;
    { pod_traits<Pod>::labels(p) } -> label_map;
    { pod_traits<Pod>::phase(p) } -> std::convertible_to<std::string_view>;
    { pod_traits<Pod>::ready(p) } -> std::convertible_to<bool>;
    { pod_traits<Pod>::terminating(p) } -> std::convertible_to<bool>;
    { pod_traits<Pod>::node_name(p) } -> std::convertible_to<std::string_view>;
    { pod_traits<Pod>::hostname(p) } -> std::convertible_to<std::string_view>;
    { pod_traits<Pod>::subdomain(p) } -> std::convertible_to<std::string_view>;
    { pod_traits<Pod>::pod_ip(p) } -> std::convertible_to<std::string_view>;
    { *std::begin(pod_traits<Pod>::pod_ips(p)) } -> std::convertible_to<std::string_view>;
    pod_traits<Pod>::for_each_port(p, detail::port_visitor_probe{});
};

/// Put `static_assert(svcdisc::detail::check_pod_like<Pod>())` at the top of an algorithm so a
/// user whose type lacks traits reads what to do instead of a wall of template errors.
namespace detail {
template <class Pod>
constexpr bool check_pod_like() {
    static_assert(pod_like<Pod>,
                  "svcdisc: this type cannot be read as a pod. Specialise svcdisc::pod_traits<T> "
                  "with static name, namespace_, uid, labels, phase, ready, terminating, "
                  "node_name, hostname, subdomain, pod_ip, pod_ips and for_each_port "
                  "(see svcdisc/pod.hpp)");
    return true;
}
} // namespace detail

} // namespace svcdisc
