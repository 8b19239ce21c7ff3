#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc {

/// The rules both controllers (Endpoints and EndpointSlice) apply to a pod, each in one place and
/// named after the upstream helper it restates.

/// Kubernetes' ShouldPodBeInEndpoints (spec §5.3): a pod is left out when its phase is Failed
/// or Succeeded, when it has neither podIP nor podIPs, or when it is terminating and
/// `include_terminating` is false. The Endpoints controller passes publishNotReadyAddresses;
/// the EndpointSlice controller passes true.
template <class Pod>
[[nodiscard]] bool should_pod_be_in_endpoints(const Pod& p, bool include_terminating) {
    static_assert(detail::check_pod_like<Pod>());
    using traits = pod_traits<Pod>;
    // Bound by reference first: traits may return the phase by value.
    const auto& phase_text = traits::phase(p);
    const std::string_view phase = phase_text;
    if (phase == pod_phase::failed || phase == pod_phase::succeeded) {
        return false;
    }
    const auto& ips = traits::pod_ips(p);
    if (std::string_view(traits::pod_ip(p)).empty() && std::begin(ips) == std::end(ips)) {
        return false;
    }
    return include_terminating || !traits::terminating(p);
}

/// Kubernetes' FindPort (spec §5.7): the container port a service port's targetPort names on
/// this pod. A number is taken as is; a name matches the first declared port with that name
/// and the service port's protocol, searching the containers and then the sidecar (restartPolicy
/// Always) init containers. nullopt when the name resolves nowhere.
template <class Pod, class String>
[[nodiscard]] std::optional<std::int32_t> find_target_port(const Pod& p,
                                                           const basic_service_port<String>& port) {
    static_assert(detail::check_pod_like<Pod>());
    if (!port.target_port.is_string()) {
        return port.target_port.number();
    }
    const std::string_view wanted_name = port.target_port.text();
    const std::string_view wanted_protocol = port.protocol;
    std::optional<std::int32_t> found;
    pod_traits<Pod>::for_each_port(
        p, [&](std::string_view name, std::int32_t number, std::string_view protocol) {
            if (name == wanted_name && protocol == wanted_protocol) {
                found = number;
                return true;
            }
            return false;
        });
    return found;
}

/// Kubernetes' ShouldSetHostname (spec §5.5): an address carries the pod's hostname only when
/// the hostname is set and the pod's subdomain names this Service in the same namespace.
template <class Pod, class String>
[[nodiscard]] bool should_set_hostname(const Pod& p, const basic_service<String>& svc) {
    static_assert(detail::check_pod_like<Pod>());
    using traits = pod_traits<Pod>;
    return !std::string_view(traits::hostname(p)).empty() &&
           std::string_view(traits::subdomain(p)) == std::string_view(svc.metadata.name) &&
           std::string_view(traits::namespace_(p)) == std::string_view(svc.metadata.namespace_);
}

/// True when the Service's selector picks this pod: same namespace and every selector entry
/// present with an equal value (spec §5.2). A Service without a selector selects nothing.
template <class Pod, class String>
[[nodiscard]] bool service_selects_pod(const basic_service<String>& svc, const Pod& p) {
    static_assert(detail::check_pod_like<Pod>());
    using traits = pod_traits<Pod>;
    return service_has_selector(svc) &&
           std::string_view(traits::namespace_(p)) == std::string_view(svc.metadata.namespace_) &&
           service_selector_matches(*svc.spec.selector, traits::labels(p));
}

} // namespace svcdisc
