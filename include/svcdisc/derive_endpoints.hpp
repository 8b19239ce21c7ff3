#pragma once

/// The Endpoints controller (Kubernetes' syncService of pkg/controller/endpoint) as pure
/// functions (docs/endpoints.md):
///
///   derive_endpoints(svc, pods)              the v1 Endpoints object it writes for a Service
///   repack_subsets(subsets)                  RepackSubsets, with the controller's ordering
///   truncate_endpoints(eps)                  truncateEndpoints (the 1000-address cap)
///   truncate_endpoint_subsets(subsets)       the same on bare subsets
///   endpoints_address_count(eps)             addresses in all subsets
///   service_address_family(svc)              the IP family it publishes, when fixed
///
/// The engine (address records, repacking, truncation) lives in detail/endpoints/.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include <svcdisc/detail/endpoints/derive.hpp>
#include <svcdisc/detail/endpoints/repack.hpp>
#include <svcdisc/detail/endpoints/truncation.hpp>
#include <svcdisc/detail/util/element_ref.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc {

/// The IP family whose address the Endpoints controller publishes for a pod
/// (podToEndpointAddressForService), when
/// the Service decides it on its own: its first ipFamilies entry, else the family of its
/// clusterIP; nullopt when it depends on each pod (legacy headless Service).
///
/// Example:
///     svcdisc::service_address_family(svc); // ip_family::ipv4 for clusterIP 10.96.0.10
template <class String>
[[nodiscard]] std::optional<ip_family> service_address_family(const basic_service<String>& svc) {
    if (!svc.spec.ip_families.empty()) {
        return std::string_view(svc.spec.ip_families.front()) == "IPv6" ? ip_family::ipv6
                                                                        : ip_family::ipv4;
    }
    if (is_service_ip_set(svc)) {
        return ip_family_of(svc.spec.cluster_ip);
    }
    return std::nullopt;
}

/// The number of addresses (ready and not ready) in all subsets of `eps`.
template <class String>
[[nodiscard]] std::size_t endpoints_address_count(const basic_endpoints<String>& eps) noexcept {
    std::size_t count = 0;
    for (const auto& subset : eps.subsets) {
        count += subset.addresses.size() + subset.not_ready_addresses.size();
    }
    return count;
}

/// Cuts subsets that hold more than `capacity` addresses in total the way the Endpoints
/// controller's truncateEndpoints does: proportionally per subset, ready addresses first, keeping
/// the first addresses of each (already sorted) list. Returns true when something was cut.
///
/// Example:
///     bool cut = svcdisc::truncate_endpoint_subsets(eps.subsets);
template <class String>
bool truncate_endpoint_subsets(std::vector<basic_endpoint_subset<String>>& subsets,
                               std::size_t capacity = endpoints_max_capacity) {
    std::vector<std::size_t> ready(subsets.size());
    std::vector<std::size_t> not_ready(subsets.size());
    for (std::size_t i = 0; i < subsets.size(); ++i) {
        ready[i] = subsets[i].addresses.size();
        not_ready[i] = subsets[i].not_ready_addresses.size();
    }
    if (!detail::plan_truncation(ready, not_ready, capacity)) {
        return false;
    }
    for (std::size_t i = 0; i < subsets.size(); ++i) {
        subsets[i].addresses.resize(ready[i]);
        subsets[i].not_ready_addresses.resize(not_ready[i]);
    }
    return true;
}

/// Applies the 1000-address cap to an Endpoints object (truncateEndpoints): truncates its subsets
/// and sets annotation `endpoints.kubernetes.io/over-capacity: truncated` when it cut something,
/// removes that annotation otherwise. Returns true when something was cut.
///
/// Example:
///     svcdisc::truncate_endpoints(eps);  // eps.metadata.annotations updated too
template <class String>
bool truncate_endpoints(basic_endpoints<String>& eps,
                        std::size_t capacity = endpoints_max_capacity) {
    const bool cut = truncate_endpoint_subsets(eps.subsets, capacity);
    if (cut) {
        eps.metadata.annotations.insert_or_assign(endpoints_keys::over_capacity_annotation,
                                                  endpoints_keys::over_capacity_truncated);
    } else {
        eps.metadata.annotations.erase(endpoints_keys::over_capacity_annotation);
    }
    return cut;
}

/// Kubernetes' RepackSubsets, ordered as the Endpoints controller orders (docs/endpoints.md): the
/// canonical form of arbitrary
/// subsets. Addresses are deduplicated by (ip, targetRef.uid), the first record of an identity
/// (in subset order, ready before not-ready addresses) being kept; an address both ready and not
/// ready for one port ends up not ready; ports served by exactly the same addresses in the same
/// readiness share one subset; subsets without addresses vanish; subsets without ports keep
/// their addresses in a subset without ports. Addresses are sorted byte-wise by IP then uid,
/// ports and subsets by the MD5 of their Go debug-dump, as upstream does.
///
/// Ports are told apart by value. (Upstream keys them by Go struct value, in which
/// `appProtocol` is a pointer; for subsets the Endpoints controller builds the two agree.)
///
/// Example:
///     std::vector<svcdisc::endpoint_subset> raw = eps.subsets;
///     eps.subsets = svcdisc::repack_subsets(raw);
template <class String>
[[nodiscard]] std::vector<basic_endpoint_subset<String>>
repack_subsets(const std::vector<basic_endpoint_subset<String>>& raw) {
    return detail::repack_raw_subsets(raw);
}

/// The Endpoints object Kubernetes' Endpoints controller would write for `svc`, given the pods
/// of the cluster (its syncService; docs/endpoints.md).
///
/// `pods` is any range of pod_like objects (or pointers to them): a vector, a span, your own
/// container of your own pod type read through pod_traits. Pods of other namespaces, pods the
/// selector does not pick and pods that are out (terminal phase, no IP, terminating without
/// publishNotReadyAddresses) are ignored, so passing every pod of the cluster is fine. The
/// result does not depend on the order of `pods`.
///
/// Returns nullopt when the controller leaves the Service alone: `type: ExternalName`, or a
/// selector that is absent or empty (docs/model.md; Endpoints of such a Service are managed by
/// hand). Otherwise the object is returned even with no subsets. It carries the Service's name,
/// namespace and labels (plus the headless label when clusterIP is not set, and
/// `endpoints.kubernetes.io/managed-by: endpoint-controller`), annotation
/// `endpoints.kubernetes.io/over-capacity: truncated` when more than 1000 addresses were cut,
/// and no uid, resourceVersion, timestamps or last-change-trigger-time.
///
/// Two pods with the same IP and uid (only possible with malformed input) make one address;
/// upstream keeps whichever its cache lists first, svcdisc the one whose hostname, nodeName,
/// namespace and name sort first, so the result stays independent of input order.
///
/// Example:
///     svcdisc::service svc = …;            // selector app=MyApp, port 80 -> 9376
///     std::vector<svcdisc::pod> pods = …;
///     if (auto eps = svcdisc::derive_endpoints(svc, pods)) {
///         for (const auto& subset : eps->subsets)
///             for (const auto& a : subset.addresses) use(a.ip, subset.ports);
///     }
template <class String, class Pods>
[[nodiscard]] std::optional<basic_endpoints<String>>
derive_endpoints(const basic_service<String>& svc, const Pods& pods) {
    using pod_type = detail::element_object_t<Pods>;
    static_assert(detail::check_pod_like<pod_type>());
    if constexpr (pod_like<pod_type>) {
        return detail::derive_endpoints_of<pod_type>(svc, pods);
    } else {
        return std::nullopt;
    }
}

} // namespace svcdisc
