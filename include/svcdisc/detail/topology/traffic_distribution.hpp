#pragma once

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/topology/auto_hints.hpp>
#include <svcdisc/endpoint_slice.hpp>

/// Hints for `spec.trafficDistribution` (Kubernetes' `endpointslice/trafficdist`): every ready
/// endpoint is hinted for its own zone, and with `PreferSameNode` also for its own node. No
/// capacity data, no thresholds.
namespace svcdisc::detail::topology {

/// The `spec.trafficDistribution` values the EndpointSlice controller acts on.
inline constexpr std::string_view prefer_close = "PreferClose";
inline constexpr std::string_view prefer_same_zone = "PreferSameZone";
inline constexpr std::string_view prefer_same_node = "PreferSameNode";

/// trafficdist's heuristics: `preferCloseHeuristic` (same zone, and same node when asked) or
/// `defaultHeuristic` (no hints at all).
struct close_heuristic {
    bool hints_wanted = false;
    bool node_hints = false;

    /// The heuristic `ReconcileHints` picks for a trafficDistribution value.
    [[nodiscard]] static close_heuristic for_value(std::optional<std::string_view> value) {
        if (!value ||
            (*value != prefer_close && *value != prefer_same_zone && *value != prefer_same_node)) {
            return {};
        }
        return {true, *value == prefer_same_node};
    }

    /// `needsUpdate`: whether an existing slice's hints differ from what this heuristic writes.
    /// Only ready endpoints are checked when hints are wanted; any hint counts when they are not.
    template <class String>
    [[nodiscard]] bool needs_update(const basic_endpoint_slice<String>& slice) const {
        if (!hints_wanted) {
            return std::any_of(slice.endpoints.begin(), slice.endpoints.end(),
                               [](const auto& ep) { return ep.hints.has_value(); });
        }
        return std::any_of(slice.endpoints.begin(), slice.endpoints.end(),
                           [&](const auto& ep) { return endpoint_ready(ep) && !hints_match(ep); });
    }

    /// `update`: writes the hints of every ready endpoint (or clears all hints).
    template <class String>
    void update(basic_endpoint_slice<String>& slice) const {
        for (auto& ep : slice.endpoints) {
            if (!hints_wanted) {
                ep.hints.reset();
                continue;
            }
            if (!endpoint_ready(ep)) {
                continue;
            }
            basic_endpoint_hints<String> hints;
            if (ep.zone) {
                hints.for_zones.push_back(*ep.zone);
            }
            if (ep.node_name && node_hints) {
                hints.for_nodes.push_back(*ep.node_name);
            }
            if (hints.for_zones.empty() && hints.for_nodes.empty()) {
                ep.hints.reset();
            } else {
                ep.hints = std::move(hints);
            }
        }
    }

  private:
    /// A ready endpoint's hints are right when they name exactly its zone (when it has one,
    /// none otherwise) and exactly its node (when it has one and node hints are wanted).
    template <class String>
    [[nodiscard]] bool hints_match(const basic_endpoint<String>& ep) const {
        const auto exactly = [](const std::vector<String>& names, const String& wanted) {
            return names.size() == 1 && names.front() == wanted;
        };
        if (ep.zone) {
            if (!ep.hints || !exactly(ep.hints->for_zones, *ep.zone)) {
                return false;
            }
        } else if (ep.hints && !ep.hints->for_zones.empty()) {
            return false;
        }
        if (ep.node_name && node_hints) {
            return ep.hints && exactly(ep.hints->for_nodes, *ep.node_name);
        }
        return !ep.hints || ep.hints->for_nodes.empty();
    }
};

/// `trafficdist.ReconcileHints`: unchanged slices whose hints are wrong move to the end of
/// `to_update`; then every slice to create or update gets the heuristic's hints.
template <class String>
void reconcile_traffic_distribution_hints(std::optional<std::string_view> value,
                                          slice_info<String>& si) {
    const auto heuristic = close_heuristic::for_value(value);
    std::vector<basic_endpoint_slice<String>> kept;
    for (auto& slice : si.unchanged) {
        if (heuristic.needs_update(slice)) {
            si.to_update.push_back(std::move(slice));
        } else {
            kept.push_back(std::move(slice));
        }
    }
    si.unchanged = std::move(kept);
    for (auto& slice : si.to_create) {
        heuristic.update(slice);
    }
    for (auto& slice : si.to_update) {
        heuristic.update(slice);
    }
}

} // namespace svcdisc::detail::topology
