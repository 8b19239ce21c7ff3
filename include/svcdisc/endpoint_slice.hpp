#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/meta.hpp>

namespace svcdisc {

/// Labels and values Kubernetes puts on EndpointSlices.
namespace endpoint_slice_keys {
/// The Service a slice belongs to.
inline constexpr std::string_view service_name_label = "kubernetes.io/service-name";
/// Which controller manages a slice.
inline constexpr std::string_view managed_by_label = "endpointslice.kubernetes.io/managed-by";
inline constexpr std::string_view endpointslice_controller = "endpointslice-controller.k8s.io";
inline constexpr std::string_view mirroring_controller = "endpointslicemirroring-controller.k8s.io";
/// An Endpoints object with this label set to "true" is not mirrored (docs/mirroring.md).
inline constexpr std::string_view skip_mirror_label = "endpointslice.kubernetes.io/skip-mirror";
} // namespace endpoint_slice_keys

/// Address types as Kubernetes spells them.
namespace address_type {
inline constexpr std::string_view ipv4 = "IPv4";
inline constexpr std::string_view ipv6 = "IPv6";
inline constexpr std::string_view fqdn = "FQDN";
} // namespace address_type

/// Default and largest maxEndpointsPerSlice of the EndpointSlice controller
/// (kube-controller-manager's `--max-endpoints-per-slice`).
inline constexpr std::size_t default_max_endpoints_per_slice = 100;
inline constexpr std::size_t max_max_endpoints_per_slice = 1000;

/// An endpoint's conditions. Absent means unknown: consumers read a missing ready/serving as
/// true and a missing terminating as false; the controllers always write all three.
struct endpoint_conditions {
    std::optional<bool> ready;
    std::optional<bool> serving;
    std::optional<bool> terminating;

    friend bool operator==(const endpoint_conditions&, const endpoint_conditions&) = default;
};

/// Topology hints of an endpoint (zones and nodes that should prefer it).
template <class String>
struct basic_endpoint_hints {
    std::vector<String> for_zones;
    std::vector<String> for_nodes;

    friend bool operator==(const basic_endpoint_hints&, const basic_endpoint_hints&) = default;
};

/// One endpoint of a slice (Kubernetes' discovery/v1 Endpoint).
template <class String>
struct basic_endpoint {
    std::vector<String> addresses;
    endpoint_conditions conditions;
    std::optional<String> hostname;
    std::optional<String> node_name;
    std::optional<String> zone;
    std::optional<basic_object_reference<String>> target_ref;
    std::optional<basic_endpoint_hints<String>> hints;

    friend bool operator==(const basic_endpoint&, const basic_endpoint&) = default;
};

/// One port of a slice (Kubernetes' discovery/v1 EndpointPort: every field is a pointer, so a
/// port may carry an empty name `""`, which JSON prints).
template <class String>
struct basic_endpoint_slice_port {
    std::optional<String> name;
    std::optional<String> protocol;
    std::optional<std::int32_t> port;
    std::optional<String> app_protocol;

    friend bool operator==(const basic_endpoint_slice_port&,
                           const basic_endpoint_slice_port&) = default;
};

/// A discovery.k8s.io/v1 EndpointSlice.
template <class String>
struct basic_endpoint_slice {
    basic_object_meta<String> metadata;
    String address_type;
    std::vector<basic_endpoint<String>> endpoints;
    std::vector<basic_endpoint_slice_port<String>> ports;

    friend bool operator==(const basic_endpoint_slice&, const basic_endpoint_slice&) = default;
};

using endpoint_hints = basic_endpoint_hints<std::string>;
using endpoint = basic_endpoint<std::string>;
using endpoint_slice_port = basic_endpoint_slice_port<std::string>;
using endpoint_slice = basic_endpoint_slice<std::string>;

} // namespace svcdisc
