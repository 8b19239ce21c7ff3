#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/topology/quantity.hpp>
#include <svcdisc/detail/util/element_ref.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/node.hpp>

/// The EndpointSlice controller's `topology-mode: Auto` heuristic (Kubernetes'
/// `endpointslice/topologycache`): zone capacity from Nodes, per-zone allocations with an
/// overload threshold, and the assignment of `forZones` hints to the slices being written.
///
/// Where upstream iterates Go maps, zones are visited in ascending name order: the zone with the
/// largest surplus or deficit wins ties by name, and a re-hinted endpoint goes to the receiving
/// zone first by name.
namespace svcdisc::detail::topology {

/// A map keyed by zone name, visited in name order.
template <class T>
using zone_map = std::map<std::string, T, std::less<>>;

/// Adds `by` to the count of `zone`, allocating the key only the first time the zone is seen.
inline void add_to_zone(zone_map<int>& counts, std::string_view zone, int by = 1) {
    auto found = counts.find(zone);
    if (found == counts.end()) {
        found = counts.emplace(std::string(zone), 0).first;
    }
    found->second += by;
}

/// No zone may carry more than this share above its fair load (topologycache's
/// `overloadThreshold`).
inline constexpr double overload_threshold = 0.2;

/// Node labels whose presence (any value) keeps a Node out of the zone capacity.
inline constexpr std::string_view control_plane_label = "node-role.kubernetes.io/control-plane";
inline constexpr std::string_view master_label = "node-role.kubernetes.io/master";

/// Zone capacity as the topology cache keeps it after `SetNodes`: allocatable millicores and the
/// share of the total per zone. Both are empty when the Nodes do not support hints (insufficient
/// node information, no CPU, or fewer than two zones).
struct zone_capacity {
    zone_map<std::int64_t> millicpu_by_zone;
    zone_map<double> ratios;

    friend bool operator==(const zone_capacity&, const zone_capacity&) = default;
};

/// How many endpoints a zone should be hinted for (topologycache's `allocation`).
struct allocation {
    int minimum = 0;
    int maximum = 0;
    double desired = 0;
};

/// Why the slices carry the hints they carry after the controller's hint step. The Auto
/// heuristic reports the last six when it removes all hints of an address type.
enum class hint_reason : std::uint8_t {
    /// Auto hints were allocated.
    topology_mode_auto,
    /// Hints follow `spec.trafficDistribution`.
    traffic_distribution,
    /// No annotation asks for Auto and `spec.trafficDistribution` is unset.
    not_requested,
    /// Auto was asked for but the `TopologyAwareHints` gate is off.
    topology_aware_hints_gate_off,
    /// `spec.trafficDistribution` names a value whose gate is off.
    traffic_distribution_gate_off,
    /// `spec.trafficDistribution` holds a value the controller does not know.
    unknown_traffic_distribution,
    /// Auto: some ready worker Node lacks a zone or CPU, or no CPU or fewer than 2 zones.
    insufficient_node_info,
    /// Auto: capacity in a single zone (only reachable with hand-made zone capacities).
    nodes_ready_in_one_zone_only,
    /// Auto: fewer ready endpoints than zones.
    insufficient_number_of_endpoints,
    /// Auto: the per-zone minimums (overload threshold 20 %) add up to more ready endpoints
    /// than there are.
    min_allocation_exceeds_overload_threshold,
    /// Auto: a ready endpoint has no zone.
    no_zone_specified,
    /// Auto: no zone received a hint.
    no_allocated_hints_for_zones,
};

/// A Node's allocatable CPU in nano-units, or nullopt when absent, unparsable or negative.
template <class String>
[[nodiscard]] std::optional<std::int64_t> allocatable_cpu_nanos(const basic_node<String>& n) {
    return quantity_nanos(std::string_view(n.allocatable_cpu));
}

/// topologycache's `hasExcludedLabels`.
template <class String>
[[nodiscard]] bool has_excluded_labels(const basic_node<String>& n) noexcept {
    return n.metadata.labels.contains(control_plane_label) ||
           n.metadata.labels.contains(master_label);
}

/// `TopologyCache.SetNodes`: control-plane and not-ready Nodes are skipped; the first remaining
/// Node without a zone or without CPU makes the information insufficient for the whole cluster.
/// CPU is summed exactly (in nano-units) and rounded up to millicores per zone and in total, as
/// `Quantity.Add` and `MilliValue` do.
template <class Nodes>
[[nodiscard]] zone_capacity compute_zone_capacity(const Nodes& nodes) {
    zone_map<std::int64_t> nanos_by_zone;
    std::int64_t total = 0;
    const auto saturating_add = [](std::int64_t a, std::int64_t b) {
        return a > quantity_detail::max_nanos - b ? quantity_detail::max_nanos : a + b;
    };
    for (const auto& element : nodes) {
        const auto& n = element_ref(element);
        if (has_excluded_labels(n) || !is_node_ready(n)) {
            continue;
        }
        const auto cpu = allocatable_cpu_nanos(n);
        const auto zone = node_zone(n);
        if (!zone || !cpu || *cpu == 0) {
            return {};
        }
        total = saturating_add(total, *cpu);
        auto [it, inserted] = nanos_by_zone.try_emplace(std::string(*zone), 0);
        it->second = saturating_add(it->second, *cpu);
    }
    if (total == 0 || nanos_by_zone.size() < 2) {
        return {};
    }
    zone_capacity capacity;
    const auto total_milli = static_cast<double>(milli_value(total));
    for (const auto& [zone, nanos] : nanos_by_zone) {
        const std::int64_t milli = milli_value(nanos);
        capacity.millicpu_by_zone.emplace(zone, milli);
        capacity.ratios.emplace(zone, static_cast<double>(milli) / total_milli);
    }
    return capacity;
}

/// `getAllocations`: per zone the desired share of `endpoints`, the minimum that keeps every
/// endpoint within the overload threshold, and the maximum left when all other zones get their
/// minimum; or the problem that makes hints impossible.
struct allocations_result {
    zone_map<allocation> allocations;
    std::optional<hint_reason> problem;
};

[[nodiscard]] inline allocations_result get_allocations(const zone_map<double>& ratios,
                                                        std::size_t endpoints) {
    if (ratios.empty()) {
        return {{}, hint_reason::insufficient_node_info};
    }
    if (ratios.size() < 2) {
        return {{}, hint_reason::nodes_ready_in_one_zone_only};
    }
    if (ratios.size() > endpoints) {
        return {{}, hint_reason::insufficient_number_of_endpoints};
    }
    // Go folds 1 / (1 + 0.2) at compile time; the double result is the same.
    constexpr double minimum_factor = 1 / (1 + overload_threshold);
    const auto n = static_cast<double>(endpoints);
    long long remaining = static_cast<long long>(endpoints);
    int minimum_total = 0;
    allocations_result result;
    for (const auto& [zone, ratio] : ratios) {
        const double desired = ratio * n;
        const auto minimum = static_cast<int>(std::ceil(desired * minimum_factor));
        result.allocations.emplace(
            zone, allocation{minimum, 0, std::max(desired, static_cast<double>(minimum))});
        minimum_total += minimum;
        remaining -= minimum;
        if (remaining < 0) {
            return {{}, hint_reason::min_allocation_exceeds_overload_threshold};
        }
    }
    for (auto& [zone, a] : result.allocations) {
        a.maximum = a.minimum + static_cast<int>(endpoints) - minimum_total;
    }
    return result;
}

/// `getMost`: the zone with the largest positive value, the first by name on a tie.
[[nodiscard]] inline std::optional<std::pair<std::string_view, double>>
get_most(const zone_map<double>& values) {
    std::optional<std::pair<std::string_view, double>> most;
    double largest = 0.0;
    for (const auto& [zone, value] : values) {
        if (value > largest) {
            largest = value;
            most.emplace(zone, value);
        }
    }
    return most;
}

/// `getGivingAndReceivingZones`: how many whole endpoints each zone gives away and receives so
/// that the hinted counts approach each zone's target (`allocation::desired`).
struct giving_and_receiving {
    zone_map<int> giving;
    zone_map<int> receiving;
};

[[nodiscard]] inline giving_and_receiving
get_giving_and_receiving_zones(const zone_map<allocation>& allocations,
                               const zone_map<int>& allocated) {
    zone_map<double> surplus;
    zone_map<double> deficit;
    for (const auto& [zone, a] : allocations) {
        const auto found = allocated.find(zone);
        const double hinted = found == allocated.end() ? 0.0 : static_cast<double>(found->second);
        if (hinted > a.desired) {
            surplus.emplace(zone, hinted - a.desired);
        } else if (hinted < a.desired) {
            deficit.emplace(zone, a.desired - hinted);
        }
    }
    giving_and_receiving result;
    for (;;) {
        const auto giver = get_most(surplus);
        const auto receiver = get_most(deficit);
        if (!giver || !receiver || (giver->second < 1.0 && receiver->second < 1.0) ||
            giver->second < 0.5 || receiver->second < 0.5) {
            return result;
        }
        add_to_zone(result.giving, giver->first);
        surplus.find(giver->first)->second -= 1;
        add_to_zone(result.receiving, receiver->first);
        deficit.find(receiver->first)->second -= 1;
    }
}

/// `EndpointReady`: the ready condition is set and true (unset counts as not ready here).
template <class String>
[[nodiscard]] bool endpoint_ready(const basic_endpoint<String>& ep) noexcept {
    return ep.conditions.ready.value_or(false);
}

/// The endpoint's zone when set and non-empty.
template <class String>
[[nodiscard]] std::optional<std::string_view> endpoint_zone(const basic_endpoint<String>& ep) {
    if (!ep.zone || std::string_view(*ep.zone).empty()) {
        return std::nullopt;
    }
    return std::string_view(*ep.zone);
}

/// Hints for exactly one zone, which is all the Auto heuristic ever writes.
template <class String>
[[nodiscard]] basic_endpoint_hints<String> zone_hint(std::string_view zone) {
    basic_endpoint_hints<String> hints;
    hints.for_zones.emplace_back(zone);
    return hints;
}

/// `redistributeHints`: walks the slices' ready endpoints in order and re-hints endpoints of a
/// giving zone to a receiving zone until either side is used up; returns the change per zone.
template <class String>
zone_map<int> redistribute_hints(const std::vector<basic_endpoint_slice<String>*>& slices,
                                 zone_map<int> giving, zone_map<int> receiving) {
    zone_map<int> changes;
    for (auto* slice : slices) {
        for (auto& ep : slice->endpoints) {
            if (!endpoint_ready(ep)) {
                continue;
            }
            if (giving.empty() || receiving.empty()) {
                return changes;
            }
            const auto zone = endpoint_zone(ep);
            if (!zone) {
                continue;
            }
            const auto giver = giving.find(*zone);
            if (giver == giving.end() || giver->second <= 0) {
                continue;
            }
            const auto receiver = receiving.begin();
            ep.hints = zone_hint<String>(receiver->first);
            add_to_zone(changes, receiver->first);
            add_to_zone(changes, giver->first, -1);
            if (--giver->second == 0) {
                giving.erase(giver);
            }
            if (--receiver->second == 0) {
                receiving.erase(receiver);
            }
        }
    }
    return changes;
}

/// `getHintsByZone`: the hints an unchanged slice already carries per zone, or nullopt when the
/// slice must be rewritten — a ready endpoint without zone hints, a hint for a zone without an
/// allocation, or more hints for a zone than its maximum together with the slices accepted so far.
template <class String>
[[nodiscard]] std::optional<zone_map<int>>
get_hints_by_zone(const basic_endpoint_slice<String>& slice, const zone_map<int>& allocated,
                  const zone_map<allocation>& allocations) {
    zone_map<int> hints;
    for (const auto& ep : slice.endpoints) {
        if (!endpoint_ready(ep)) {
            continue;
        }
        if (!ep.hints || ep.hints->for_zones.empty()) {
            return std::nullopt;
        }
        for (const auto& zone : ep.hints->for_zones) {
            if (allocations.find(std::string_view(zone)) == allocations.end()) {
                return std::nullopt;
            }
            add_to_zone(hints, std::string_view(zone));
        }
    }
    for (const auto& [zone, count] : hints) {
        const auto already = allocated.find(zone);
        const int before = already == allocated.end() ? 0 : already->second;
        if (count + before > allocations.find(zone)->second.maximum) {
            return std::nullopt;
        }
    }
    return hints;
}

/// The slices of one Service and address type as the reconciler hands them to the hint logic
/// (`SliceInfo`): slices to create, slices to update, and existing slices left as they are.
template <class String>
struct slice_info {
    std::vector<basic_endpoint_slice<String>> to_create;
    std::vector<basic_endpoint_slice<String>> to_update;
    std::vector<basic_endpoint_slice<String>> unchanged;

    friend bool operator==(const slice_info&, const slice_info&) = default;
};

/// `getTotalReadyEndpoints`: ready endpoints over all three lists.
template <class String>
[[nodiscard]] std::size_t total_ready_endpoints(const slice_info<String>& si) {
    std::size_t total = 0;
    for (const auto* list : {&si.to_create, &si.to_update, &si.unchanged}) {
        for (const auto& slice : *list) {
            for (const auto& ep : slice.endpoints) {
                total += endpoint_ready(ep) ? 1U : 0U;
            }
        }
    }
    return total;
}

/// `getAllocatedHintsByZone`: accepts the unchanged slices whose hints still fit (in order,
/// each against the ones accepted before it) and moves the others to the end of `to_update`.
template <class String>
[[nodiscard]] zone_map<int> get_allocated_hints_by_zone(slice_info<String>& si,
                                                        const zone_map<allocation>& allocations) {
    zone_map<int> allocated;
    std::vector<basic_endpoint_slice<String>> kept;
    for (auto& slice : si.unchanged) {
        auto hints = get_hints_by_zone(slice, allocated, allocations);
        if (!hints) {
            si.to_update.push_back(std::move(slice));
            continue;
        }
        for (const auto& [zone, count] : *hints) {
            add_to_zone(allocated, zone, count);
        }
        kept.push_back(std::move(slice));
    }
    si.unchanged = std::move(kept);
    return allocated;
}

/// `RemoveHintsFromSlices`: the slices being written lose their hints, and an unchanged slice
/// that carries any hint moves to the end of `to_update` without them.
template <class String>
void remove_hints_from_slices(slice_info<String>& si) {
    const auto clear = [](basic_endpoint_slice<String>& slice) {
        for (auto& ep : slice.endpoints) {
            ep.hints.reset();
        }
    };
    for (auto& slice : si.to_create) {
        clear(slice);
    }
    for (auto& slice : si.to_update) {
        clear(slice);
    }
    std::vector<basic_endpoint_slice<String>> kept;
    for (auto& slice : si.unchanged) {
        const bool hinted = std::any_of(slice.endpoints.begin(), slice.endpoints.end(),
                                        [](const auto& ep) { return ep.hints.has_value(); });
        if (hinted) {
            clear(slice);
            si.to_update.push_back(std::move(slice));
        } else {
            kept.push_back(std::move(slice));
        }
    }
    si.unchanged = std::move(kept);
}

/// What `TopologyCache.AddHints` decided for one address type.
struct add_hints_result {
    /// Set when all hints were removed instead.
    std::optional<hint_reason> problem;
    /// Ready endpoints over all slices (the N of the allocation).
    std::size_t ready_endpoints = 0;
    /// Hints per zone after the assignment (the cache's `EndpointZoneInfo`); empty on a problem.
    zone_map<int> hints_by_zone;
};

/// `TopologyCache.AddHints` for the zone ratios `ratios`. Ready endpoints of the created and
/// updated slices get a hint for their own zone, then endpoints of zones above their target are
/// re-hinted to zones below it. A not-ready endpoint keeps whatever hints it carries: upstream
/// clears them on a copy of the endpoint only (a Go range variable), so nothing changes.
template <class String>
add_hints_result add_hints(slice_info<String>& si, const zone_map<double>& ratios) {
    add_hints_result result;
    result.ready_endpoints = total_ready_endpoints(si);
    const auto fail = [&](hint_reason problem) {
        result.problem = problem;
        result.hints_by_zone.clear();
        remove_hints_from_slices(si);
        return result;
    };
    const auto allocations = get_allocations(ratios, result.ready_endpoints);
    if (allocations.problem) {
        return fail(*allocations.problem);
    }
    zone_map<int> allocated = get_allocated_hints_by_zone(si, allocations.allocations);

    std::vector<basic_endpoint_slice<String>*> writable;
    writable.reserve(si.to_create.size() + si.to_update.size());
    for (auto* list : {&si.to_create, &si.to_update}) {
        for (auto& slice : *list) {
            writable.push_back(&slice);
        }
    }
    for (auto* slice : writable) {
        for (auto& ep : slice->endpoints) {
            if (!endpoint_ready(ep)) {
                continue;
            }
            const auto zone = endpoint_zone(ep);
            if (!zone) {
                return fail(hint_reason::no_zone_specified);
            }
            add_to_zone(allocated, *zone);
            ep.hints = zone_hint<String>(*zone);
        }
    }
    auto [giving, receiving] = get_giving_and_receiving_zones(allocations.allocations, allocated);
    for (const auto& [zone, change] :
         redistribute_hints(writable, std::move(giving), std::move(receiving))) {
        add_to_zone(allocated, zone, change);
    }
    if (allocated.empty()) {
        return fail(hint_reason::no_allocated_hints_for_zones);
    }
    result.hints_by_zone = std::move(allocated);
    return result;
}

} // namespace svcdisc::detail::topology
