#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoint_slice.hpp>

/// The option and result types of the EndpointSlice derivation (derive_endpoint_slices.hpp),
/// below the engine that uses them.
namespace svcdisc {

/// Settings of the EndpointSlice derivation.
///
/// `max_endpoints_per_slice` must lie in 1..1000 (kube-controller-manager's
/// `--max-endpoints-per-slice`); derive_endpoint_slices and reconcile_endpoint_slices throw
/// std::invalid_argument otherwise.
///
/// Example:
///     svcdisc::endpoint_slice_options options{.max_endpoints_per_slice = 500};
struct endpoint_slice_options {
    /// The most endpoints a slice holds (the controller's maxEndpointsPerSlice).
    std::size_t max_endpoints_per_slice = default_max_endpoints_per_slice;
    /// How pods' nodes are looked up.
    svcdisc::node_policy node_policy = svcdisc::node_policy::upstream;
};

/// The writes the EndpointSlice controller would issue for one Service
/// (reconciler.reconcileByAddressType).
///
/// `to_create` slices carry a generated name (see derive_endpoint_slices.hpp); a `to_update` slice
/// is either an existing slice with new endpoints or labels, or a new slice that took over the
/// name of a slice that would otherwise have been deleted.
template <class String>
struct basic_endpoint_slice_changes {
    std::vector<basic_endpoint_slice<String>> to_create;
    std::vector<basic_endpoint_slice<String>> to_update;
    std::vector<basic_endpoint_slice<String>> to_delete;

    friend bool operator==(const basic_endpoint_slice_changes&,
                           const basic_endpoint_slice_changes&) = default;
};

using endpoint_slice_changes = basic_endpoint_slice_changes<std::string>;

} // namespace svcdisc
