#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/endpoint_slice.hpp>

/// The option and result types of EndpointSlice mirroring (mirror.hpp), below its engine.
namespace svcdisc {

/// Keys and event reasons of the mirroring controller that the model headers do not define.
namespace mirroring_keys {
/// An Endpoints object carrying this annotation (any value, "" included) is an old
/// leader-election lock and is never mirrored.
inline constexpr std::string_view leader_annotation = "control-plane.alpha.kubernetes.io/leader";
/// kubectl's copy of the applied manifest; never copied onto a mirrored slice.
inline constexpr std::string_view last_applied_configuration_annotation =
    "kubectl.kubernetes.io/last-applied-configuration";
/// Event reason recorded when addresses that are no IP were skipped.
inline constexpr std::string_view invalid_ip_address_reason = "InvalidIPAddress";
/// Event reason recorded when the per-subset cap dropped addresses.
inline constexpr std::string_view too_many_addresses_reason = "TooManyAddressesToMirror";
} // namespace mirroring_keys

/// Default of kube-controller-manager's `--mirroring-max-endpoints-per-subset`.
inline constexpr std::size_t default_mirroring_max_endpoints_per_subset = 1000;

/// Settings of the mirroring controller.
struct mirroring_options {
    /// The most endpoints one repacked subset contributes (valid addresses of both families
    /// counted together); the rest of the subset is dropped with a TooManyAddressesToMirror
    /// warning. Not validated: 0 mirrors nothing.
    std::size_t max_endpoints_per_subset = default_mirroring_max_endpoints_per_subset;
};

/// Which rule decided whether an Endpoints object is mirrored (the checks of the mirroring
/// controller's syncEndpoints, in order; docs/mirroring.md).
enum class mirroring_status : std::uint8_t {
    mirrored,             ///< none applies: the slices are reconciled
    endpoints_absent,     ///< no Endpoints object
    skip_mirror_label,    ///< label `endpointslice.kubernetes.io/skip-mirror: "true"`
    leader_annotation,    ///< annotation `control-plane.alpha.kubernetes.io/leader`
    service_absent,       ///< no Service with the same namespace/name
    service_has_selector, ///< the Service has a (non-empty) selector
};

/// A Warning event the controller would record on the Endpoints object during a sync.
///
/// `reason` is mirroring_keys::invalid_ip_address_reason or
/// mirroring_keys::too_many_addresses_reason; `message` is the event text; `count` is the
/// number of addresses the message reports (invalid ones, or all skipped ones: upstream's
/// TooManyAddressesToMirror count includes the invalid addresses too).
struct mirroring_warning {
    std::string reason;
    std::string message;
    std::size_t count = 0;

    friend bool operator==(const mirroring_warning&, const mirroring_warning&) = default;
};

/// The slices a fresh mirroring run writes, the warnings it records and the mirroring_status.
template <class String>
struct basic_mirroring_result {
    mirroring_status status = mirroring_status::mirrored;
    std::vector<basic_endpoint_slice<String>> slices;
    std::vector<mirroring_warning> warnings;
};

/// What one incremental mirroring sync writes.
///
/// `to_create` slices carry `generateName` and a deterministic `name` (what the API server
/// would assign); `to_update` slices carry the name of the existing slice they replace (an
/// in-place rewrite has no `generateName`, a recycled create keeps it, as upstream sends
/// them); `to_delete` are copies of the existing slices to delete.
template <class String>
struct basic_mirroring_changes {
    mirroring_status status = mirroring_status::mirrored;
    std::vector<basic_endpoint_slice<String>> to_create;
    std::vector<basic_endpoint_slice<String>> to_update;
    std::vector<basic_endpoint_slice<String>> to_delete;
    std::vector<mirroring_warning> warnings;
};

/// basic_mirroring_result with std::string.
using mirroring_result = basic_mirroring_result<std::string>;
/// basic_mirroring_changes with std::string.
using mirroring_changes = basic_mirroring_changes<std::string>;

} // namespace svcdisc
