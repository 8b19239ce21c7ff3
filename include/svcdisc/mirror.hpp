#pragma once

/// EndpointSlice mirroring (spec §13): the EndpointSlices Kubernetes' EndpointSliceMirroring
/// controller writes for an Endpoints object that no controller owns, typically the
/// hand-written Endpoints of a Service without selector.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/detail/fnv.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/meta.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc {

/// Keys and event reasons of the mirroring controller that the model headers do not define.
namespace mirroring_keys {
/// An Endpoints object carrying this annotation (any value, "" included) is an old
/// leader-election lock and is never mirrored (spec §13.1 row 3).
inline constexpr std::string_view leader_annotation = "control-plane.alpha.kubernetes.io/leader";
/// kubectl's copy of the applied manifest; never copied onto a mirrored slice (spec §13.5).
inline constexpr std::string_view last_applied_configuration_annotation =
    "kubectl.kubernetes.io/last-applied-configuration";
/// Event reason recorded when addresses that are no IP were skipped (spec §13.3).
inline constexpr std::string_view invalid_ip_address_reason = "InvalidIPAddress";
/// Event reason recorded when the per-subset cap dropped addresses (spec §13.3).
inline constexpr std::string_view too_many_addresses_reason = "TooManyAddressesToMirror";
} // namespace mirroring_keys

/// Default of kube-controller-manager's `--mirroring-max-endpoints-per-subset` (spec §13.3).
inline constexpr std::size_t default_mirroring_max_endpoints_per_subset = 1000;

/// Settings of the mirroring controller.
struct mirroring_options {
    /// The most endpoints one repacked subset contributes (valid addresses of both families
    /// counted together); the rest of the subset is dropped with a TooManyAddressesToMirror
    /// warning. Not validated: 0 mirrors nothing.
    std::size_t max_endpoints_per_subset = default_mirroring_max_endpoints_per_subset;
};

/// Which row of spec §13.1 decided whether an Endpoints object is mirrored.
enum class mirroring_status : std::uint8_t {
    mirrored,             ///< row 6: the slices are reconciled
    endpoints_absent,     ///< row 1: no Endpoints object
    skip_mirror_label,    ///< row 2: label `endpointslice.kubernetes.io/skip-mirror: "true"`
    leader_annotation,    ///< row 3: annotation `control-plane.alpha.kubernetes.io/leader`
    service_absent,       ///< row 4: no Service with the same namespace/name
    service_has_selector, ///< row 5: the Service has a (non-empty) selector
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

/// The slices a fresh mirroring run writes, the warnings it records and the §13.1 row that
/// applied.
template <class String>
struct basic_mirroring_result {
    mirroring_status status = mirroring_status::mirrored;
    std::vector<basic_endpoint_slice<String>> slices;
    std::vector<mirroring_warning> warnings;
};

/// What one incremental mirroring sync writes (spec §13.6).
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

/// True when `slice` is one of the mirrored slices of the Endpoints `namespace_/name`: same
/// namespace, `kubernetes.io/service-name: name` and
/// `endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io`. Slices
/// managed by anything else are never read, changed or deleted by mirroring (spec §13.1).
template <class String>
[[nodiscard]] bool is_mirrored_slice_of(const basic_endpoint_slice<String>& slice,
                                        std::string_view namespace_, std::string_view name) {
    return std::string_view(slice.metadata.namespace_) == namespace_ &&
           slice.metadata.labels.find_value(endpoint_slice_keys::service_name_label) == name &&
           slice.metadata.labels.find_value(endpoint_slice_keys::managed_by_label) ==
               endpoint_slice_keys::mirroring_controller;
}

/// Applies rows 1–6 of spec §13.1: whether the Endpoints `eps` (nullptr: none) is mirrored
/// given the Service `svc` (nullptr: none).
///
/// A Service whose namespace/name differ from the Endpoints' counts as absent. An empty
/// selector counts as no selector (spec §4.3): such a Service is mirrored. The Service's type,
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

namespace detail {

/// The joined hex of a port set's sorted digests (port_group_key): two port lists hold the same
/// set exactly when these texts are equal.
[[nodiscard]] inline std::string mirror_port_set_key(const std::vector<digest128>& digests) {
    std::string key;
    for (const digest128& digest : digests) {
        key += to_hex(digest);
        key += ',';
    }
    return key;
}

/// The port order of a newly created slice (spec §6.5, §13.4): ascending FNV-128a digest of
/// each port's dump (endpoint_port_digest, shared with the EndpointSlice derivation). Returns
/// the ports so ordered and their mirror_port_set_key.
template <class String>
[[nodiscard]] std::pair<std::vector<basic_endpoint_slice_port<String>>, std::string>
mirror_sort_ports(std::vector<basic_endpoint_slice_port<String>> ports) {
    std::vector<std::pair<digest128, std::size_t>> hashed;
    hashed.reserve(ports.size());
    for (std::size_t i = 0; i < ports.size(); ++i) {
        hashed.emplace_back(endpoint_port_digest(ports[i]), i);
    }
    // Ties on the digest fall back to the index, so equal ports keep their relative order.
    std::sort(hashed.begin(), hashed.end());
    std::vector<basic_endpoint_slice_port<String>> sorted;
    sorted.reserve(ports.size());
    std::vector<digest128> digests;
    digests.reserve(ports.size());
    for (const auto& [digest, index] : hashed) {
        sorted.push_back(std::move(ports[index]));
        digests.push_back(digest);
    }
    return {std::move(sorted), mirror_port_set_key(digests)};
}

/// The identity of an endpoint inside a group (upstream's endpoint hash, spec §6.5): sorted
/// addresses, hostname (absent reads as ""), targetRef namespace and name.
struct mirror_endpoint_key {
    std::vector<std::string> addresses;
    std::string hostname;
    std::string target_namespace;
    std::string target_name;

    friend bool operator<(const mirror_endpoint_key& a, const mirror_endpoint_key& b) {
        return std::tie(a.addresses, a.hostname, a.target_namespace, a.target_name) <
               std::tie(b.addresses, b.hostname, b.target_namespace, b.target_name);
    }
};

/// The identity of `ep` (its addresses sorted, as upstream sorts them before hashing).
template <class String>
[[nodiscard]] mirror_endpoint_key mirror_key_of(const basic_endpoint<String>& ep) {
    mirror_endpoint_key key;
    for (const auto& address : ep.addresses) {
        key.addresses.emplace_back(std::string_view(address));
    }
    std::sort(key.addresses.begin(), key.addresses.end());
    if (ep.hostname) {
        key.hostname = std::string_view(*ep.hostname);
    }
    if (ep.target_ref) {
        key.target_namespace = std::string_view(ep.target_ref->namespace_);
        key.target_name = std::string_view(ep.target_ref->name);
    }
    return key;
}

/// One (repacked subset × family) group of the desired state. `endpoints` is ordered by key,
/// i.e. by address text byte-wise, then hostname, then targetRef namespace/name.
template <class String>
struct mirror_group {
    ip_family family = ip_family::ipv4;
    std::vector<basic_endpoint_slice_port<String>> ports;
    std::string key; ///< family + port-set key
    std::map<mirror_endpoint_key, basic_endpoint<String>> endpoints;
};

/// The addressType value of a family.
[[nodiscard]] inline std::string_view mirror_address_type(ip_family family) noexcept {
    return family == ip_family::ipv4 ? address_type::ipv4 : address_type::ipv6;
}

/// The group key of an existing slice, comparable with mirror_group::key.
template <class String>
[[nodiscard]] std::string mirror_slice_key(const basic_endpoint_slice<String>& slice) {
    std::string key{std::string_view(slice.address_type)};
    key += '/';
    // Only the key is needed: the existing slice's ports are neither copied nor reordered.
    key += mirror_port_set_key(port_group_key(slice.ports));
    return key;
}

/// The desired state of spec §13.2–§13.4: every (repacked subset × family) group, empty ones
/// included (they delete their existing slices), in repacked-subset order with IPv4 first.
template <class String>
struct mirror_desired {
    std::vector<mirror_group<String>> groups;
    std::vector<mirroring_warning> warnings;
};

/// Defaulting, RepackSubsets and the address walk of spec §13.3 with its cap and warnings.
template <class String>
[[nodiscard]] mirror_desired<String> mirror_desired_state(const basic_endpoints<String>& eps,
                                                          const mirroring_options& options) {
    // Stored Endpoints always carry a protocol; apply the API server's default for raw input.
    basic_endpoints<String> defaulted;
    defaulted.subsets = eps.subsets;
    apply_defaults(defaulted);
    const auto repacked = repack_subsets(defaulted.subsets);

    mirror_desired<String> desired;
    std::size_t invalid = 0;
    std::size_t skipped = 0;
    for (const auto& subset : repacked) {
        std::vector<basic_endpoint_slice_port<String>> converted;
        converted.reserve(subset.ports.size());
        for (const auto& port : subset.ports) {
            converted.push_back({port.name, port.protocol, port.port, port.app_protocol});
        }
        auto [ports, port_key] = mirror_sort_ports(std::move(converted));
        const std::size_t first = desired.groups.size();
        for (const ip_family family : {ip_family::ipv4, ip_family::ipv6}) {
            mirror_group<String> group;
            group.family = family;
            group.ports = ports;
            group.key = std::string(mirror_address_type(family)) + '/' + port_key;
            desired.groups.push_back(std::move(group));
        }

        std::size_t added = 0;
        const auto walk = [&](const std::vector<basic_endpoint_address<String>>& addresses,
                              bool ready) {
            for (const auto& address : addresses) {
                if (added >= options.max_endpoints_per_subset) {
                    return;
                }
                const auto parsed = ip_address::parse(std::string_view(address.ip));
                if (!parsed) {
                    ++invalid;
                    continue;
                }
                ++added;
                basic_endpoint<String> ep;
                ep.addresses.push_back(String(std::string_view(parsed->to_string())));
                ep.conditions.ready = ready;
                if (!std::string_view(address.hostname).empty()) {
                    ep.hostname = address.hostname;
                }
                ep.node_name = address.node_name;
                ep.target_ref = address.target_ref;
                auto& group =
                    desired.groups[first + (parsed->family() == ip_family::ipv4 ? 0U : 1U)];
                // A later endpoint with the same key replaces the earlier one (spec §13.3).
                group.endpoints.insert_or_assign(mirror_key_of(ep), std::move(ep));
            }
        };
        walk(subset.addresses, true);
        walk(subset.not_ready_addresses, false);
        skipped += subset.addresses.size() + subset.not_ready_addresses.size() - added;
    }

    if (invalid > 0) {
        desired.warnings.push_back({std::string(mirroring_keys::invalid_ip_address_reason),
                                    "Skipped " + std::to_string(invalid) +
                                        " invalid IP addresses when mirroring to EndpointSlices",
                                    invalid});
    }
    if (skipped > invalid) {
        desired.warnings.push_back(
            {std::string(mirroring_keys::too_many_addresses_reason),
             "A max of " + std::to_string(options.max_endpoints_per_subset) +
                 " addresses can be mirrored to EndpointSlices per Endpoints subset. " +
                 std::to_string(skipped) + " addresses were skipped",
             skipped});
    }
    return desired;
}

/// A new mirrored slice for `group` (spec §13.5). An empty `name` means "to be created": the
/// slice then carries generateName instead.
template <class String>
[[nodiscard]] basic_endpoint_slice<String>
mirror_new_slice(const basic_endpoints<String>& eps, const mirror_group<String>& group,
                 const String& name, std::size_t max_endpoints) {
    basic_endpoint_slice<String> slice;
    auto& meta = slice.metadata;
    if (std::string_view(name).empty()) {
        meta.generate_name = String(std::string_view(generate_name_prefix(eps.metadata.name)));
    } else {
        meta.name = name;
    }
    meta.namespace_ = eps.metadata.namespace_;
    meta.owner_references.push_back(
        {String("v1"), String("Endpoints"), eps.metadata.name, eps.metadata.uid, true, true});
    meta.labels = eps.metadata.labels;
    meta.labels.insert_or_assign(endpoint_slice_keys::service_name_label,
                                 std::string_view(eps.metadata.name));
    meta.labels.insert_or_assign(endpoint_slice_keys::managed_by_label,
                                 endpoint_slice_keys::mirroring_controller);
    meta.annotations = eps.metadata.annotations;
    meta.annotations.erase(endpoints_keys::last_change_trigger_time_annotation);
    meta.annotations.erase(mirroring_keys::last_applied_configuration_annotation);
    slice.address_type = String(mirror_address_type(group.family));
    slice.ports = group.ports;
    for (const auto& [key, ep] : group.endpoints) {
        if (slice.endpoints.size() >= max_endpoints) {
            break;
        }
        slice.endpoints.push_back(ep);
    }
    return slice;
}

/// True when the existing slice `slice` already says what `group` wants (spec §13.6 step 3):
/// same endpoint keys with equal data, labels and annotations as the Endpoints', owned by the
/// current Endpoints uid.
template <class String>
[[nodiscard]] bool mirror_slice_up_to_date(const basic_endpoint_slice<String>& slice,
                                           const mirror_group<String>& group,
                                           const basic_endpoints<String>& eps) {
    std::size_t matches = 0;
    for (const auto& ep : slice.endpoints) {
        const auto found = group.endpoints.find(mirror_key_of(ep));
        if (found == group.endpoints.end() || !endpoints_equal_beyond_identity(found->second, ep)) {
            return false;
        }
        ++matches;
    }
    // Upstream counts matches per existing endpoint, so duplicates in the slice also differ.
    if (matches != group.endpoints.size()) {
        return false;
    }
    // The Endpoints' labels are compared as they are (a copied service-name or managed-by
    // label never compares equal, so such a slice is rewritten on every sync, as upstream).
    auto labels = slice.metadata.labels;
    labels.erase(endpoint_slice_keys::managed_by_label);
    labels.erase(endpoint_slice_keys::service_name_label);
    if (labels != eps.metadata.labels) {
        return false;
    }
    auto annotations = eps.metadata.annotations;
    annotations.erase(endpoints_keys::last_change_trigger_time_annotation);
    annotations.erase(mirroring_keys::last_applied_configuration_annotation);
    if (annotations != slice.metadata.annotations) {
        return false;
    }
    for (const auto& owner : slice.metadata.owner_references) {
        if (std::string_view(owner.kind) == "Endpoints" &&
            std::string_view(owner.uid) == std::string_view(eps.metadata.uid)) {
            return true;
        }
    }
    return false;
}

/// The name generated for a mirrored slice: generated_name with FNV-128a of `seed` (and
/// `attempt`, bumped to dodge a name already taken).
[[nodiscard]] inline std::string mirror_generated_name(std::string_view generate_name,
                                                       std::string_view seed, std::size_t attempt) {
    fnv128a_hasher hasher;
    hasher.update(seed);
    if (attempt > 0) {
        hasher.update("#");
        hasher.update(std::to_string(attempt));
    }
    return generated_name(generate_name, hasher.finish());
}

/// The incremental reconcile of spec §13.6 for an Endpoints object that is mirrored.
template <class String>
[[nodiscard]] basic_mirroring_changes<String>
mirror_reconcile(const basic_endpoints<String>& eps,
                 const std::vector<const basic_endpoint_slice<String>*>& existing,
                 std::set<std::string, std::less<>> taken, const mirroring_options& options) {
    basic_mirroring_changes<String> changes;
    auto desired = mirror_desired_state(eps, options);
    changes.warnings = std::move(desired.warnings);

    std::vector<std::string> existing_keys;
    existing_keys.reserve(existing.size());
    for (const auto* slice : existing) {
        existing_keys.push_back(mirror_slice_key(*slice));
    }
    // Which group each create came from, for naming.
    std::vector<const mirror_group<String>*> created_from;
    std::set<std::string> desired_keys;
    for (const auto& group : desired.groups) {
        desired_keys.insert(group.key);
        std::vector<const basic_endpoint_slice<String>*> same_key;
        for (std::size_t i = 0; i < existing.size(); ++i) {
            if (existing_keys[i] == group.key) {
                same_key.push_back(existing[i]);
            }
        }
        if (group.endpoints.empty()) {
            for (const auto* slice : same_key) {
                changes.to_delete.push_back(*slice);
            }
            continue;
        }
        if (same_key.empty()) {
            changes.to_create.push_back(
                mirror_new_slice(eps, group, String(), options.max_endpoints_per_subset));
            created_from.push_back(&group);
            continue;
        }
        for (std::size_t i = 1; i < same_key.size(); ++i) {
            changes.to_delete.push_back(*same_key[i]);
        }
        if (!mirror_slice_up_to_date(*same_key.front(), group, eps)) {
            changes.to_update.push_back(mirror_new_slice(
                eps, group, same_key.front()->metadata.name, options.max_endpoints_per_subset));
        }
    }
    for (std::size_t i = 0; i < existing.size(); ++i) {
        if (!desired_keys.contains(existing_keys[i])) {
            changes.to_delete.push_back(*existing[i]);
        }
    }

    // Recycling: per family (IPv4 first), the n-th create takes over the name of the n-th
    // delete of that family and becomes an update.
    for (const std::string_view family : {address_type::ipv4, address_type::ipv6}) {
        std::size_t create_at = 0;
        std::size_t delete_at = 0;
        while (true) {
            while (create_at < changes.to_create.size() &&
                   std::string_view(changes.to_create[create_at].address_type) != family) {
                ++create_at;
            }
            while (delete_at < changes.to_delete.size() &&
                   std::string_view(changes.to_delete[delete_at].address_type) != family) {
                ++delete_at;
            }
            if (create_at == changes.to_create.size() || delete_at == changes.to_delete.size()) {
                break;
            }
            auto recycled = std::move(changes.to_create[create_at]);
            recycled.metadata.name = changes.to_delete[delete_at].metadata.name;
            changes.to_update.push_back(std::move(recycled));
            changes.to_create.erase(changes.to_create.begin() +
                                    static_cast<std::ptrdiff_t>(create_at));
            created_from.erase(created_from.begin() + static_cast<std::ptrdiff_t>(create_at));
            changes.to_delete.erase(changes.to_delete.begin() +
                                    static_cast<std::ptrdiff_t>(delete_at));
        }
    }

    // The controller creates nothing for an Endpoints object that is being deleted.
    if (eps.metadata.deletion_timestamp) {
        changes.to_create.clear();
        return changes;
    }

    for (std::size_t i = 0; i < changes.to_create.size(); ++i) {
        auto& meta = changes.to_create[i].metadata;
        const std::string seed = std::string(std::string_view(eps.metadata.namespace_)) + '/' +
                                 std::string(std::string_view(eps.metadata.name)) + '/' +
                                 created_from[i]->key;
        for (std::size_t attempt = 0;; ++attempt) {
            std::string name = mirror_generated_name(meta.generate_name, seed, attempt);
            if (taken.insert(name).second) {
                meta.name = String(std::string_view(name));
                break;
            }
        }
    }
    return changes;
}

} // namespace detail

/// One mirroring sync against the mirrored slices that already exist (spec §13.6): what to
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
///   Endpoints' uid (spec §13.6; upstream's exact check is unconfirmed).
/// When §13.1 says "not mirrored", every mirrored slice of the name is deleted and nothing is
/// reported. An Endpoints object with a deletionTimestamp gets no creates.
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
/// warnings the controller would record and the §13.1 row that applied.
///
/// One slice per (repacked subset × address family with at least one endpoint), no
/// placeholder; slices in repacked-subset order (spec §5.9), IPv4 before IPv6; endpoints
/// ordered by address text byte-wise, then hostname, then targetRef namespace/name; ports in
/// the FNV order of spec §6.5. Names are `<generateName><5 chars>` with a suffix hashed from
/// namespace, name, family and port set, unique within the call.
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

/// The EndpointSlices the mirroring controller writes for `eps` on a fresh reconcile (spec
/// §13); `svc` is the Service with the same namespace/name, or nullptr when there is none.
/// Empty when §13.1 rows 1–5 say the Endpoints object is not mirrored.
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
