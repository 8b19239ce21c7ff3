#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/meta.hpp>

namespace svcdisc {

/// Labels and annotations Kubernetes puts on Endpoints objects.
namespace endpoints_keys {
/// Label on every Endpoints object the Endpoints controller writes (its syncService).
inline constexpr std::string_view managed_by_label = "endpoints.kubernetes.io/managed-by";
inline constexpr std::string_view managed_by_controller = "endpoint-controller";
/// Label on the Endpoints and slices of a Service whose clusterIP is not set (IsServiceIPSet).
inline constexpr std::string_view headless_label = "service.kubernetes.io/headless";
/// Annotation set to "truncated" when more than 1000 addresses were cut (truncateEndpoints).
inline constexpr std::string_view over_capacity_annotation =
    "endpoints.kubernetes.io/over-capacity";
inline constexpr std::string_view over_capacity_truncated = "truncated";
inline constexpr std::string_view last_change_trigger_time_annotation =
    "endpoints.kubernetes.io/last-change-trigger-time";
} // namespace endpoints_keys

/// The most addresses (ready + not ready) one Endpoints object holds (truncateEndpoints'
/// maxCapacity).
inline constexpr std::size_t endpoints_max_capacity = 1000;

/// One address of an Endpoints subset (Kubernetes' EndpointAddress).
///
/// `node_name` is a pointer upstream: the Endpoints controller always sets it, to "" when the
/// pod has no node, and JSON shows `"nodeName": ""` then (podToEndpointAddressForService).
template <class String>
struct basic_endpoint_address {
    String ip;
    String hostname;
    std::optional<String> node_name;
    std::optional<basic_object_reference<String>> target_ref;

    friend bool operator==(const basic_endpoint_address&, const basic_endpoint_address&) = default;
};

/// One port of an Endpoints subset (Kubernetes' core/v1 EndpointPort).
template <class String>
struct basic_endpoint_port {
    String name;
    std::int32_t port = 0;
    String protocol;
    std::optional<String> app_protocol;

    friend bool operator==(const basic_endpoint_port&, const basic_endpoint_port&) = default;
};

/// A set of addresses that all serve the same set of ports (Kubernetes' EndpointSubset).
template <class String>
struct basic_endpoint_subset {
    std::vector<basic_endpoint_address<String>> addresses;
    std::vector<basic_endpoint_address<String>> not_ready_addresses;
    std::vector<basic_endpoint_port<String>> ports;

    friend bool operator==(const basic_endpoint_subset&, const basic_endpoint_subset&) = default;
};

/// A v1 Endpoints object: the addresses behind a Service, grouped into subsets.
template <class String>
struct basic_endpoints {
    basic_object_meta<String> metadata;
    std::vector<basic_endpoint_subset<String>> subsets;

    friend bool operator==(const basic_endpoints&, const basic_endpoints&) = default;
};

using endpoint_address = basic_endpoint_address<std::string>;
using endpoint_port = basic_endpoint_port<std::string>;
using endpoint_subset = basic_endpoint_subset<std::string>;
using endpoints = basic_endpoints<std::string>;

/// Applies the API server's default for Endpoints: a port without protocol gets TCP
/// (SetDefaults_Endpoints; docs/model.md). svcdisc's readers call this once, on ingest.
template <class String>
void apply_defaults(basic_endpoints<String>& eps) {
    for (auto& subset : eps.subsets) {
        for (auto& port : subset.ports) {
            if (std::string_view(port.protocol).empty()) {
                port.protocol = String(default_protocol);
            }
        }
    }
}

} // namespace svcdisc
