#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/hints.hpp>
#include <svcdisc/service.hpp>

/// The hint step of the EndpointSlice reconciler (reconciler.reconcileByAddressType): between
/// deciding the writes of one address type and `finalize`, the slices to create and update get
/// the hints the Service asks for (`TopologyCache.AddHints`, `trafficdist.ReconcileHints`) or lose
/// them (`RemoveHintsFromSlices`), and unchanged slices whose hints are wrong join the updates.
namespace svcdisc::detail {

/// The slices one address type writes, materialised from its plan.
template <class String>
struct address_type_writes {
    /// New slices, in creation order (the plan's creates).
    std::vector<basic_endpoint_slice<String>> creates;
    /// New slices that `finalize` turned into updates of slices to delete, in the order it took
    /// them (the deleted slices' names ascending): before finalize they were the last creates,
    /// the first one taken being the last created.
    std::vector<basic_endpoint_slice<String>> took_over;
    /// Existing slices being rewritten.
    std::vector<basic_endpoint_slice<String>> updates;
};

/// True when the hint step can change more than removing hints, which the slice plan already
/// does (planned_origin::dehinted): the Service asks for Auto hints or sets trafficDistribution.
template <class String>
[[nodiscard]] bool hint_step_needed(const basic_service<String>& svc) {
    return topology_mode_auto(svc) || svc.spec.traffic_distribution.has_value();
}

/// Runs apply_topology_hints on `writes` as upstream sees them before `finalize` (creates then
/// the taken-over slices in creation order; updates; `unchanged`, the address type's other
/// existing slices in name order). Afterwards `writes.updates` also holds the unchanged slices
/// the hints rewrote (the caller sorts its updates); `took_over` keeps finalize's order.
template <class String>
basic_hint_result<String>
hint_address_type(const basic_service<String>& svc, std::string_view address_type,
                  address_type_writes<String>& writes,
                  std::vector<basic_endpoint_slice<String>> unchanged,
                  const zone_capacity& capacity, const hint_options& options = {}) {
    basic_slices_to_write<String> slices;
    const std::size_t created = writes.creates.size();
    slices.to_create = std::move(writes.creates);
    slices.to_create.reserve(created + writes.took_over.size());
    std::move(writes.took_over.rbegin(), writes.took_over.rend(),
              std::back_inserter(slices.to_create));
    slices.to_update = std::move(writes.updates);
    slices.unchanged = std::move(unchanged);

    auto result = apply_topology_hints(svc, address_type, std::move(slices), capacity, options);
    auto& hinted = result.slices;
    writes.took_over.assign(
        std::make_move_iterator(hinted.to_create.rbegin()),
        std::make_move_iterator(hinted.to_create.rend() - static_cast<std::ptrdiff_t>(created)));
    hinted.to_create.resize(created);
    writes.creates = std::move(hinted.to_create);
    writes.updates = std::move(hinted.to_update);
    return result;
}

} // namespace svcdisc::detail
