#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/meta.hpp>

namespace svcdisc {

/// The node label the EndpointSlice controller reads an endpoint's zone from. The deprecated
/// failure-domain.beta.kubernetes.io/zone label is not read (docs/endpoint-slices.md).
inline constexpr std::string_view zone_label = "topology.kubernetes.io/zone";

/// One entry of a Node's status.conditions.
template <class String>
struct basic_node_condition {
    String type;
    String status;

    friend bool operator==(const basic_node_condition&, const basic_node_condition&) = default;
};

/// A Node: what the EndpointSlice controller reads (docs/model.md) — its name (existence), its
/// zone label, its role labels, its Ready condition and its allocatable CPU.
template <class String>
struct basic_node {
    basic_object_meta<String> metadata;
    std::vector<basic_node_condition<String>> conditions;
    /// status.allocatable["cpu"] as written in the manifest (a Kubernetes quantity, e.g. "4"
    /// or "3500m"); empty when absent.
    String allocatable_cpu;

    friend bool operator==(const basic_node&, const basic_node&) = default;
};

using node_condition = basic_node_condition<std::string>;
using node = basic_node<std::string>;

/// The node's zone (label topology.kubernetes.io/zone), or nullopt when absent or empty.
template <class String>
[[nodiscard]] std::optional<std::string_view> node_zone(const basic_node<String>& n) noexcept {
    const auto zone = n.metadata.labels.find_value(zone_label);
    if (!zone || zone->empty()) {
        return std::nullopt;
    }
    return zone;
}

/// True when the node's first Ready condition has status "True".
template <class String>
[[nodiscard]] bool is_node_ready(const basic_node<String>& n) noexcept {
    return detail::first_condition_is_true(n.conditions, "Ready");
}

} // namespace svcdisc
