#pragma once

/// EndpointSlices as Kubernetes' EndpointSlice controller (pkg/controller/endpointslice and its
/// reconciler) writes them (docs/endpoint-slices.md):
///
///   derive_endpoint_slices(svc, pods, nodes, options)            the slices of a fresh sync
///   reconcile_endpoint_slices(svc, pods, nodes, existing, opts)  reconciler.reconcile against
///                                                                the slices that exist
///   endpoint_slice_options, node_policy, endpoint_slice_changes  (detail/slices/types.hpp)
///
/// The engine (desired state, endpoint identity, port-set keys, names, reconciler) lives in
/// detail/slices/.
///
/// Where upstream iterates Go maps or sets (and so is random), svcdisc decides as follows:
///   * address types: in the order `spec.ipFamilies` lists them; without ipFamilies, the
///     clusterIP's family, or IPv4 then IPv6 for a headless Service;
///   * port groups (pods that serve the same set of ports): ascending by their key, the sorted
///     list of FNV-128a digests of the ports' debug-dumps (compared byte-wise; the group without
///     ports comes first);
///   * endpoints of a group: ascending by first address (byte-wise), then pod namespace, then
///     pod name; new slices take them in that order, `max_endpoints_per_slice` at a time, and
///     endpoints added to an existing slice are appended in that order;
///   * a pod listed more than once (several endpoints with one identity): the copy whose whole
///     record sorts first is kept (uid, then nodeName, zone, conditions, then the other fields);
///   * existing slices: visited in name order; slices to top up: fullest first, ties by name;
///     the slice to fill among the unchanged ones: the first by name of those that end up
///     closest to full;
///   * result lists: per address type (in the order above; slices of address types the
///     Service no longer has come last); creations in creation order (group, then chunk),
///     updates and deletions by name;
///   * names of new slices: `<generateName><5 characters>` from the API server's alphabet
///     `bcdfghjklmnpqrstvwxz2456789`, with `generateName` (`<service>-`) cut to 58 bytes as the
///     API server does; the 5 characters come from an FNV-128a hash of namespace, Service
///     name, address type, port-group key and the slice's ordinal in its group, rehashed until
///     the name is new among the existing slices of the namespace and those created before.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/slices/desired.hpp>
#include <svcdisc/detail/slices/reconciler.hpp>
#include <svcdisc/detail/slices/types.hpp>
#include <svcdisc/detail/util/element_ref.hpp>
#include <svcdisc/detail/util/throw.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc {

/// The writes Kubernetes' EndpointSlice controller would make for `svc`, given the slices that
/// exist already (reconciler.reconcile): which slices to create, which to update and which to
/// delete.
///
/// `pods` and `nodes` are ranges of pods (any type with svcdisc::pod_traits) and of
/// basic_node, by value, as raw or smart pointers or as std::reference_wrapper; only the pods
/// the Service selects are used (a podIP that is no IP at all is skipped: upstream would write
/// "<nil>", which the API server rejects). `existing` is a range of basic_endpoint_slice (held
/// the same ways); only the slices the controller would list are considered — same namespace,
/// labelled `kubernetes.io/service-name: <svc>` and `endpointslice.kubernetes.io/managed-by:
/// endpointslice-controller.k8s.io`, not being deleted — the rest are left alone. For an
/// ExternalName Service or one without a selector nothing changes. The choices upstream leaves to
/// Go's map order are made as documented at the top of this header. Topology hints are
/// set as the controller sets them, per address type before names are recycled
/// (apply_topology_hints in hints.hpp; docs/topology.md): `topology-mode: Auto` shares the ready
/// endpoints among the zones of `nodes` by CPU, `spec.trafficDistribution` hints each ready
/// endpoint for its own zone (and node); a Service that asks for neither loses its hints — from
/// the slices written and, through an update, from unchanged slices that carry some.
///
/// Throws std::invalid_argument when `options.max_endpoints_per_slice` is outside 1..1000.
///
/// Example:
///     auto changes = svcdisc::reconcile_endpoint_slices(svc, pods, nodes, existing_slices);
///     for (const auto& s : changes.to_update) std::cout << s.metadata.name << '\n';
template <class String, class Pods, class Nodes, class Slices>
[[nodiscard]] basic_endpoint_slice_changes<String>
reconcile_endpoint_slices(const basic_service<String>& svc, const Pods& pods, const Nodes& nodes,
                          const Slices& existing, const endpoint_slice_options& options = {}) {
    std::set<std::string, std::less<>> taken_names;
    const std::string_view ns = svc.metadata.namespace_;
    for (const auto& element : existing) {
        const basic_endpoint_slice<String>& s = detail::element_ref(element);
        if (std::string_view(s.metadata.namespace_) == ns) {
            taken_names.emplace(std::string_view(s.metadata.name));
        }
    }
    return detail::reconcile_slices(svc, pods, nodes, existing, taken_names, nullptr, options);
}

/// The EndpointSlices Kubernetes' EndpointSlice controller writes for `svc` when none exist
/// yet: per address type, the selected pods grouped by the ports they serve, each
/// group's endpoints cut into slices of at most `options.max_endpoints_per_slice`, and one
/// placeholder slice (no ports, no endpoints) for an address type without endpoints. Topology
/// hints as in reconcile_endpoint_slices.
///
/// Empty for an ExternalName Service and for one without a selector (docs/model.md), and — as
/// the controller creates nothing then — for a Service that is being deleted. The result is
/// the same whatever the order of `pods` and `nodes`; ordering and names are documented at the
/// top of this header. Throws std::invalid_argument when `options.max_endpoints_per_slice` is
/// outside 1..1000.
///
/// Example:
///     std::vector<svcdisc::pod> pods = …;
///     std::vector<svcdisc::node> nodes = …;
///     for (const auto& slice : svcdisc::derive_endpoint_slices(svc, pods, nodes)) {
///         // slice.metadata.name == "my-service-xxxxx", slice.address_type == "IPv4", …
///     }
template <class String, class Pods, class Nodes>
[[nodiscard]] std::vector<basic_endpoint_slice<String>>
derive_endpoint_slices(const basic_service<String>& svc, const Pods& pods, const Nodes& nodes,
                       const endpoint_slice_options& options = {}) {
    return reconcile_endpoint_slices(svc, pods, nodes,
                                     std::vector<const basic_endpoint_slice<String>*>{}, options)
        .to_create;
}

} // namespace svcdisc
