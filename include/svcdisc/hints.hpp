#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/topology/auto_hints.hpp>
#include <svcdisc/detail/topology/traffic_distribution.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/service.hpp>

/// Topology hints as Kubernetes' EndpointSlice controller writes them (`endpoints[].hints`):
/// `service.kubernetes.io/topology-mode: Auto` hints zones in proportion to their CPU,
/// `spec.trafficDistribution` hints every ready endpoint for its own zone (and node), anything
/// else removes hints. See apply_topology_hints.
namespace svcdisc {

/// Annotations that ask for the Auto heuristic. The deprecated one decides whenever present.
namespace topology_annotations {
inline constexpr std::string_view topology_mode = "service.kubernetes.io/topology-mode";
inline constexpr std::string_view topology_aware_hints =
    "service.kubernetes.io/topology-aware-hints";
} // namespace topology_annotations

/// `spec.trafficDistribution` values the EndpointSlice controller acts on.
namespace traffic_distribution {
inline constexpr std::string_view prefer_close = detail::topology::prefer_close;
inline constexpr std::string_view prefer_same_zone = detail::topology::prefer_same_zone;
inline constexpr std::string_view prefer_same_node = detail::topology::prefer_same_node;
} // namespace traffic_distribution

/// Feature gates of kube-controller-manager that decide which hint mechanism exists. All are on
/// in current releases.
struct hint_gates {
    /// `TopologyAwareHints`: the controller keeps a topology cache, so Auto hints exist.
    bool topology_aware_hints = true;
    /// `ServiceTrafficDistribution`: `spec.trafficDistribution` is honoured.
    bool service_traffic_distribution = true;
    /// `PreferSameTrafficDistribution`: the values PreferSameZone and PreferSameNode are honoured.
    bool prefer_same_traffic_distribution = true;

    friend bool operator==(const hint_gates&, const hint_gates&) = default;
};

/// Settings of apply_topology_hints.
///
/// Example:
///     svcdisc::hint_options options{.auto_hints_populated = true};
struct hint_options {
    hint_gates gates;
    /// The topology cache's memory of this Service: true when Auto hints were populated for it
    /// by an earlier sync (apply_topology_hints returns the new value). Only decides whether
    /// the `TopologyAwareHintsEnabled` / `TopologyAwareHintsDisabled` events are emitted.
    bool auto_hints_populated = false;

    friend bool operator==(const hint_options&, const hint_options&) = default;
};

/// Which of the controller's hint mechanisms handled the slices.
enum class hint_mechanism : std::uint8_t {
    /// The Auto heuristic (`TopologyCache.AddHints`), successful or not.
    topology_auto,
    /// `spec.trafficDistribution` (`trafficdist.ReconcileHints`).
    traffic_distribution,
    /// Neither: hints were removed (`RemoveHintsFromSlices`).
    none,
};

/// Why the slices carry the hints they carry after apply_topology_hints (see the enumerators).
using hint_reason = detail::topology::hint_reason;

/// An event the controller records on the Service (type `Normal` or `Warning`).
struct hint_event {
    std::string type;
    std::string reason;
    std::string message;

    friend bool operator==(const hint_event&, const hint_event&) = default;
};

/// The slices of one Service and address type the EndpointSlice reconciler is about to write
/// (`to_create`, `to_update`) and the existing ones it leaves alone (`unchanged`), before its
/// final step turns creations into updates of slices it would delete.
template <class String>
using basic_slices_to_write = detail::topology::slice_info<String>;
using slices_to_write = basic_slices_to_write<std::string>;

/// Per-zone allocatable CPU (millicores) and share of the cluster's total, as the controller's
/// topology cache computes them from the Nodes; both maps are empty when the Nodes cannot
/// support Auto hints.
using zone_capacity = detail::topology::zone_capacity;

/// The outcome of apply_topology_hints.
template <class String>
struct basic_hint_result {
    /// The slices with hints set or removed. Unchanged slices that had to be rewritten moved to
    /// the end of `to_update`.
    basic_slices_to_write<String> slices;
    hint_mechanism mechanism = hint_mechanism::none;
    hint_reason reason = hint_reason::not_requested;
    /// Events the controller records, in order.
    std::vector<hint_event> events;
    /// Auto hints per zone after a successful allocation (the topology cache's record, which
    /// decides later re-syncs); empty otherwise.
    detail::topology::zone_map<int> hints_by_zone;
    /// The topology cache's memory of this Service after the call (pass it back in next time).
    bool auto_hints_populated = false;
};
using hint_result = basic_hint_result<std::string>;

/// The Node's allocatable CPU in millicores, rounded up as Kubernetes' `Quantity.MilliValue`
/// does; nullopt when the Node reports none or the text is no (non-negative) quantity.
///
/// Example:
///     node.allocatable_cpu = "3500m";
///     svcdisc::node_allocatable_millicpu(node);  // 3500
template <class String>
[[nodiscard]] std::optional<std::int64_t> node_allocatable_millicpu(const basic_node<String>& n) {
    const auto nanos = detail::topology::allocatable_cpu_nanos(n);
    if (!nanos) {
        return std::nullopt;
    }
    return detail::topology::milli_value(*nanos);
}

/// Zone capacity from a range of basic_node — by value, as pointers or as
/// std::reference_wrapper — as Kubernetes' `TopologyCache.SetNodes` computes it: Nodes with
/// a `node-role.kubernetes.io/control-plane` or `…/master` label and Nodes that are not Ready
/// are left out; the first remaining Node without a zone label or without allocatable CPU makes
/// the information insufficient for the whole cluster; fewer than two zones, or no CPU at all,
/// also mean no capacity. Ratios are millicores of the zone over millicores of all zones.
///
/// Example:
///     auto capacity = svcdisc::compute_zone_capacity(nodes);
///     capacity.ratios;  // {{"zone-a", 0.5}, {"zone-b", 0.45}, {"zone-c", 0.05}}
template <class Nodes>
[[nodiscard]] zone_capacity compute_zone_capacity(const Nodes& nodes) {
    return detail::topology::compute_zone_capacity(nodes);
}

/// True when the Service asks for the Auto heuristic: the annotation
/// `service.kubernetes.io/topology-aware-hints` when present (whatever its value), otherwise
/// `service.kubernetes.io/topology-mode`, is exactly `Auto` or `auto` (Kubernetes'
/// `hintsEnabled`).
template <class String>
[[nodiscard]] bool topology_mode_auto(const basic_service<String>& svc) noexcept {
    auto value = svc.metadata.annotations.find_value(topology_annotations::topology_aware_hints);
    if (!value) {
        value = svc.metadata.annotations.find_value(topology_annotations::topology_mode);
    }
    return value && (*value == "Auto" || *value == "auto");
}

namespace detail::topology {

inline constexpr std::string_view event_warning = "Warning";
inline constexpr std::string_view event_normal = "Normal";
inline constexpr std::string_view reason_disabled = "TopologyAwareHintsDisabled";
inline constexpr std::string_view reason_enabled = "TopologyAwareHintsEnabled";

/// topologycache's event messages, with the counts some of them carry.
[[nodiscard]] inline std::string problem_message(hint_reason problem, std::size_t endpoints,
                                                 std::size_t zones) {
    const auto counted = [&](std::string_view text) {
        return std::string(text) + " (" + std::to_string(endpoints) + " endpoints, " +
               std::to_string(zones) + " zones)";
    };
    switch (problem) {
    case hint_reason::insufficient_node_info:
        return "Insufficient Node information: allocatable CPU or zone not specified on one or "
               "more nodes";
    case hint_reason::nodes_ready_in_one_zone_only:
        return "Nodes only ready in one zone";
    case hint_reason::insufficient_number_of_endpoints:
        return counted("Insufficient number of endpoints");
    case hint_reason::min_allocation_exceeds_overload_threshold:
        return counted("Unable to allocate minimum required endpoints to each zone without "
                       "exceeding overload threshold");
    case hint_reason::no_zone_specified:
        return "One or more endpoints do not have a zone specified";
    case hint_reason::no_allocated_hints_for_zones:
        return "No hints allocated for zones";
    default:
        return {}; // not a reason the Auto heuristic reports
    }
}

/// `FormatWithAddressType`.
[[nodiscard]] inline std::string with_address_type(std::string message,
                                                   std::string_view address_type) {
    message += ", addressType: ";
    message += address_type;
    return message;
}

/// `Reconciler.validTrafficDistribution`, or why the value is not usable.
template <class String>
[[nodiscard]] std::optional<hint_reason>
traffic_distribution_problem(const basic_service<String>& svc, const hint_gates& gates) {
    if (!svc.spec.traffic_distribution) {
        return hint_reason::not_requested;
    }
    const std::string_view value = *svc.spec.traffic_distribution;
    const bool same = value == prefer_same_zone || value == prefer_same_node;
    if (value != prefer_close && !same) {
        return hint_reason::unknown_traffic_distribution;
    }
    if (!gates.service_traffic_distribution || (same && !gates.prefer_same_traffic_distribution)) {
        return hint_reason::traffic_distribution_gate_off;
    }
    return std::nullopt;
}

} // namespace detail::topology

/// The hints Kubernetes' EndpointSlice reconciler (`reconcileByAddressType`) leaves on the slices
/// of one Service and address type, with the events it records.
///
/// Which mechanism applies:
///   1. topology_mode_auto(svc) and the `TopologyAwareHints` gate: the Auto heuristic. Ready
///      endpoints over all slices (N) are shared among the zones of `capacity` in proportion
///      to their CPU; hints are removed from every endpoint (Warning `TopologyAwareHintsDisabled`)
///      when there is no capacity, when N is below the number of zones, when the per-zone
///      minimums — ceil(share × N / 1.2) — add up to more than N, or when a ready endpoint has
///      no zone. Otherwise unchanged slices keep their hints while they fit the allocation,
///      ready endpoints of the slices being written are hinted for their own zone, and endpoints
///      of zones above their target are re-hinted to zones below it (ties and receiving zones by
///      zone name). The first success for a Service records a Normal `TopologyAwareHintsEnabled`.
///      `spec.trafficDistribution` is ignored.
///   2. Otherwise, a usable `spec.trafficDistribution` (PreferClose; PreferSameZone and
///      PreferSameNode need the `PreferSameTrafficDistribution` gate): every ready endpoint is
///      hinted for its zone, and with PreferSameNode also for its node; unchanged slices whose
///      ready endpoints are hinted differently are rewritten.
///   3. Otherwise all hints are removed, rewriting unchanged slices that carry any.
/// Leaving Auto after it had populated hints records Warning `TopologyAwareHintsDisabled`.
///
/// Not-ready endpoints keep whatever hints they carry under Auto and trafficDistribution, as
/// upstream; endpoints written by the reconciler carry none.
///
/// Example:
///     auto capacity = svcdisc::compute_zone_capacity(nodes);
///     svcdisc::slices_to_write slices{changes.to_create, changes.to_update, unchanged};
///     auto result = svcdisc::apply_topology_hints(svc, "IPv4", std::move(slices), capacity);
///     result.reason;  // svcdisc::hint_reason::topology_mode_auto, …
template <class String>
[[nodiscard]] basic_hint_result<String>
apply_topology_hints(const basic_service<String>& svc, std::string_view address_type,
                     basic_slices_to_write<String> slices, const zone_capacity& capacity,
                     const hint_options& options = {}) {
    namespace topo = detail::topology;
    basic_hint_result<String> result;
    result.auto_hints_populated = options.auto_hints_populated;
    const bool auto_requested = topology_mode_auto(svc);
    const auto distribution_problem = topo::traffic_distribution_problem(svc, options.gates);
    const bool use_distribution = !distribution_problem && !auto_requested;

    const auto record = [&](std::string_view type, std::string_view reason, std::string message) {
        result.events.push_back({std::string(type), std::string(reason),
                                 topo::with_address_type(std::move(message), address_type)});
    };
    if (options.gates.topology_aware_hints && auto_requested) {
        result.mechanism = hint_mechanism::topology_auto;
        auto added = topo::add_hints(slices, capacity.ratios);
        if (added.problem) {
            result.reason = *added.problem;
            record(topo::event_warning, topo::reason_disabled,
                   topo::problem_message(*added.problem, added.ready_endpoints,
                                         capacity.ratios.size()));
            result.auto_hints_populated = false;
        } else {
            result.reason = hint_reason::topology_mode_auto;
            if (!options.auto_hints_populated) {
                record(topo::event_normal, topo::reason_enabled,
                       "Topology Aware Hints has been enabled");
            }
            result.hints_by_zone = std::move(added.hints_by_zone);
            result.auto_hints_populated = true;
        }
    } else {
        if (options.gates.topology_aware_hints) {
            if (options.auto_hints_populated) {
                record(topo::event_warning, topo::reason_disabled,
                       "Topology Aware Hints has been disabled");
            }
            result.auto_hints_populated = false;
        }
        if (!use_distribution) {
            topo::remove_hints_from_slices(slices);
            result.reason =
                auto_requested ? hint_reason::topology_aware_hints_gate_off : *distribution_problem;
        }
    }
    if (use_distribution) {
        result.mechanism = hint_mechanism::traffic_distribution;
        result.reason = hint_reason::traffic_distribution;
        topo::reconcile_traffic_distribution_hints(
            std::optional<std::string_view>(*svc.spec.traffic_distribution), slices);
    }
    result.slices = std::move(slices);
    return result;
}

/// apply_topology_hints with the zone capacity computed from a range of basic_node.
///
/// Example:
///     auto result = svcdisc::apply_topology_hints(svc, "IPv4", std::move(slices), nodes);
template <class String, class Nodes>
requires(!std::same_as<Nodes, zone_capacity>)
    [[nodiscard]] basic_hint_result<String> apply_topology_hints(
        const basic_service<String>& svc, std::string_view address_type,
        basic_slices_to_write<String> slices, const Nodes& nodes,
        const hint_options& options = {}) {
    return apply_topology_hints(svc, address_type, std::move(slices), compute_zone_capacity(nodes),
                                options);
}

} // namespace svcdisc
