#pragma once

/// EndpointSlice mirroring (Kubernetes' EndpointSliceMirroring controller,
/// pkg/controller/endpointslicemirroring; docs/mirroring.md): the EndpointSlices written for an
/// Endpoints object no controller owns, typically the hand-written Endpoints of a Service
/// without selector.
///
///   mirror_endpoint_slices(svc, eps)                   the slices of a fresh reconcile
///   mirror_endpoint_slices_with_warnings(&svc, eps)    the same with its Warning events
///   reconcile_mirrored_slices(&svc, eps, existing)     one sync against existing slices
///   mirroring_status_of(&svc, &eps)                    whether the Endpoints are mirrored
///   is_mirrored_slice_of(slice, ns, name)              whether a slice is a mirrored one
///   mirroring_options, mirroring_status, mirroring_warning, mirroring_result,
///   mirroring_changes, mirroring_keys                  (detail/mirror/types.hpp)
///
/// The engine lives in detail/mirror/.

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/detail/mirror/reconcile.hpp>
#include <svcdisc/detail/mirror/types.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc {

/// True when `slice` is one of the mirrored slices of the Endpoints `namespace_/name`: same
/// namespace, `kubernetes.io/service-name: name` and
/// `endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io`. Slices
/// managed by anything else are never read, changed or deleted by mirroring.
template <class String>
[[nodiscard]] bool is_mirrored_slice_of(const basic_endpoint_slice<String>& slice,
                                        std::string_view namespace_, std::string_view name) {
    return std::string_view(slice.metadata.namespace_) == namespace_ &&
           slice.metadata.labels.find_value(endpoint_slice_keys::service_name_label) == name &&
           slice.metadata.labels.find_value(endpoint_slice_keys::managed_by_label) ==
               endpoint_slice_keys::mirroring_controller;
}

/// The mirroring controller's checks, in order (docs/mirroring.md): whether the Endpoints `eps`
/// (nullptr: none) is mirrored given the Service `svc` (nullptr: none).
///
/// A Service whose namespace/name differ from the Endpoints' counts as absent. An empty
/// selector counts as no selector (docs/model.md): such a Service is mirrored. The Service's type,
/// ports, clusterIP and every other field are not consulted.
///
/// Example:
///     svcdisc::mirroring_status_of(&svc, &eps);  // mirroring_status::mirrored
template <class String>
[[nodiscard]] mirroring_status
mirroring_status_of(const std::type_identity_t<basic_service<String>>* svc,
                    const basic_endpoints<String>* eps) {
    if (eps == nullptr) {
        return mirroring_status::endpoints_absent;
    }
    if (eps->metadata.labels.find_value(endpoint_slice_keys::skip_mirror_label) ==
        std::string_view("true")) {
        return mirroring_status::skip_mirror_label;
    }
    if (eps->metadata.annotations.contains(mirroring_keys::leader_annotation)) {
        return mirroring_status::leader_annotation;
    }
    if (svc == nullptr ||
        std::string_view(svc->metadata.namespace_) != std::string_view(eps->metadata.namespace_) ||
        std::string_view(svc->metadata.name) != std::string_view(eps->metadata.name)) {
        return mirroring_status::service_absent;
    }
    if (service_has_selector(*svc)) {
        return mirroring_status::service_has_selector;
    }
    return mirroring_status::mirrored;
}

/// One mirroring sync against the mirrored slices that already exist (the controller's
/// reconciler.reconcile): what to
/// create, update and delete, and the warnings recorded.
///
/// `namespace_`/`name` name the Endpoints object (it may be gone: `eps == nullptr`); `svc` is
/// the Service of that namespace/name or nullptr. `existing` may hold any slices: only the
/// mirrored slices of this name (is_mirrored_slice_of) are read and changed; their order plays
/// the lister's. New names also avoid the names of the other slices of the namespace. Where
/// upstream iterates maps this function decides deterministically:
/// * groups are visited in repacked-subset order, IPv4 before IPv6; `E[0]` of a group is the
///   first of its slices in `existing`;
/// * `to_delete` lists, per group, the surplus slices, then the slices of port sets no longer
///   wanted, in `existing` order;
/// * recycling pairs, per family (IPv4 first), creates and deletes in list order (upstream
///   takes a recycled create off its list by its still-empty name, which can remove a create
///   of the other family instead; that slip is not reproduced);
/// * a slice is up to date only when it has an owner reference of kind Endpoints with the
///   Endpoints' uid (upstream's exact check is unconfirmed; docs/mirroring.md).
/// When mirroring_status_of says "not mirrored", every mirrored slice of the name is deleted and
/// nothing is reported. An Endpoints object with a deletionTimestamp gets no creates.
///
/// Example:
///     auto changes = svcdisc::reconcile_mirrored_slices(&svc, eps, existing_slices);
///     for (const auto& slice : changes.to_update) { /* PUT slice */ }
template <class String>
[[nodiscard]] basic_mirroring_changes<String>
reconcile_mirrored_slices(std::string_view namespace_, std::string_view name,
                          const std::type_identity_t<basic_service<String>>* svc,
                          const basic_endpoints<String>* eps,
                          const std::vector<basic_endpoint_slice<String>>& existing,
                          const mirroring_options& options = {}) {
    std::vector<const basic_endpoint_slice<String>*> mirrored;
    // New names must not collide with any slice of the namespace, whoever manages it.
    std::set<std::string, std::less<>> taken;
    for (const auto& slice : existing) {
        if (is_mirrored_slice_of(slice, namespace_, name)) {
            mirrored.push_back(&slice);
        }
        if (std::string_view(slice.metadata.namespace_) == namespace_) {
            taken.emplace(std::string_view(slice.metadata.name));
        }
    }
    const bool same_object = eps != nullptr &&
                             std::string_view(eps->metadata.namespace_) == namespace_ &&
                             std::string_view(eps->metadata.name) == name;
    const mirroring_status status = mirroring_status_of<String>(svc, same_object ? eps : nullptr);
    if (status != mirroring_status::mirrored) {
        basic_mirroring_changes<String> changes;
        changes.status = status;
        for (const auto* slice : mirrored) {
            changes.to_delete.push_back(*slice);
        }
        return changes;
    }
    return detail::mirror_reconcile(*eps, mirrored, std::move(taken), options);
}

/// reconcile_mirrored_slices for an Endpoints object that exists.
///
/// Example:
///     auto changes = svcdisc::reconcile_mirrored_slices(&svc, eps, existing_slices);
template <class String>
[[nodiscard]] basic_mirroring_changes<String>
reconcile_mirrored_slices(const std::type_identity_t<basic_service<String>>* svc,
                          const basic_endpoints<String>& eps,
                          const std::vector<basic_endpoint_slice<String>>& existing,
                          const mirroring_options& options = {}) {
    return reconcile_mirrored_slices<String>(std::string_view(eps.metadata.namespace_),
                                             std::string_view(eps.metadata.name), svc, &eps,
                                             existing, options);
}

/// The mirrored slices for `eps` on a fresh reconcile (no mirrored slice exists yet), with the
/// warnings the controller would record and the mirroring_status that applied.
///
/// One slice per (repacked subset × address family with at least one endpoint), no
/// placeholder; slices in repacked-subset order (repack_subsets), IPv4 before IPv6; endpoints
/// ordered by address text byte-wise, then hostname, then targetRef namespace/name; ports in
/// the FNV-128a digest order of new EndpointSlices (docs/endpoint-slices.md). Names are
/// `<generateName><5 chars>` with a suffix hashed from namespace, name, family and port set, unique
/// within the call.
///
/// Example:
///     auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&svc, eps);
///     for (const auto& warning : mirrored.warnings) std::cerr << warning.message << '\n';
template <class String>
[[nodiscard]] basic_mirroring_result<String>
mirror_endpoint_slices_with_warnings(const std::type_identity_t<basic_service<String>>* svc,
                                     const basic_endpoints<String>& eps,
                                     const mirroring_options& options = {}) {
    auto changes = reconcile_mirrored_slices<String>(svc, eps, {}, options);
    basic_mirroring_result<String> result;
    result.status = changes.status;
    result.slices = std::move(changes.to_create);
    result.warnings = std::move(changes.warnings);
    return result;
}

/// The EndpointSlices the mirroring controller writes for `eps` on a fresh reconcile; `svc` is the
/// Service with the same namespace/name, or nullptr when there is none. Empty when
/// mirroring_status_of says the Endpoints object is not mirrored.
///
/// Example:
///     svcdisc::service svc;       // my-service, no selector
///     svcdisc::endpoints eps;     // my-service: 192.0.2.42, port 9376
///     auto slices = svcdisc::mirror_endpoint_slices(&svc, eps);
///     slices[0].endpoints[0].addresses[0];  // "192.0.2.42"
template <class String>
[[nodiscard]] std::vector<basic_endpoint_slice<String>>
mirror_endpoint_slices(const std::type_identity_t<basic_service<String>>* svc,
                       const basic_endpoints<String>& eps, const mirroring_options& options = {}) {
    return mirror_endpoint_slices_with_warnings<String>(svc, eps, options).slices;
}

/// mirror_endpoint_slices with the Service by reference.
///
/// Example:
///     auto slices = svcdisc::mirror_endpoint_slices(svc, eps);
template <class String>
[[nodiscard]] std::vector<basic_endpoint_slice<String>>
mirror_endpoint_slices(const basic_service<String>& svc, const basic_endpoints<String>& eps,
                       const mirroring_options& options = {}) {
    return mirror_endpoint_slices<String>(&svc, eps, options);
}

/// mirror_endpoint_slices with an optional Service (nullopt: there is none).
///
/// Example:
///     auto slices = svcdisc::mirror_endpoint_slices(std::nullopt, eps);  // empty
template <class String>
[[nodiscard]] std::vector<basic_endpoint_slice<String>>
mirror_endpoint_slices(const std::optional<std::type_identity_t<basic_service<String>>>& svc,
                       const basic_endpoints<String>& eps, const mirroring_options& options = {}) {
    return mirror_endpoint_slices<String>(svc ? &*svc : nullptr, eps, options);
}

} // namespace svcdisc
