#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/detail/go/fnv.hpp>
#include <svcdisc/detail/mirror/types.hpp>
#include <svcdisc/detail/slices/identity.hpp>
#include <svcdisc/detail/slices/names.hpp>
#include <svcdisc/detail/slices/port_set.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/meta.hpp>

/// The EndpointSliceMirroring controller's desired state and reconcile for one Endpoints object.
namespace svcdisc::detail {

/// One (repacked subset × family) group of the desired state. `endpoints` is ordered by
/// identity (compare_endpoint_identity): address text byte-wise, then hostname, then targetRef
/// namespace/name.
template <class String>
struct mirror_group {
    ip_family family = ip_family::ipv4;
    std::vector<basic_endpoint_slice_port<String>> ports;
    std::string key; ///< address type, '/', port_group_key_text: comparable and a name seed
    std::set<basic_endpoint<String>, endpoint_identity_less> endpoints;
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
    key += port_group_key_text(port_group_key(slice.ports));
    return key;
}

/// The desired state (docs/mirroring.md): every (repacked subset × family) group, empty ones
/// included (they delete their existing slices), in repacked-subset order with IPv4 first.
template <class String>
struct mirror_desired {
    std::vector<mirror_group<String>> groups;
    std::vector<mirroring_warning> warnings;
};

/// Defaulting, RepackSubsets and the mirroring controller's address walk with its per-subset
/// cap and warnings.
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
        auto [ports, port_digests] = sort_ports_by_digest(std::move(converted));
        const std::string port_key = port_group_key_text(port_digests);
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
                // A later endpoint with the same identity replaces the earlier one.
                auto same = group.endpoints.find(ep);
                if (same != group.endpoints.end()) {
                    same = group.endpoints.erase(same);
                }
                group.endpoints.insert(same, std::move(ep));
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

/// A new mirrored slice for `group` (the mirroring controller's newEndpointSlice). An empty `name`
/// means "to be created": the slice then carries generateName instead.
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
    for (const auto& ep : group.endpoints) {
        if (slice.endpoints.size() >= max_endpoints) {
            break;
        }
        slice.endpoints.push_back(ep);
    }
    return slice;
}

/// True when the existing slice `slice` already says what `group` wants:
/// same endpoint keys with equal data, labels and annotations as the Endpoints', owned by the
/// current Endpoints uid.
template <class String>
[[nodiscard]] bool mirror_slice_up_to_date(const basic_endpoint_slice<String>& slice,
                                           const mirror_group<String>& group,
                                           const basic_endpoints<String>& eps) {
    std::size_t matches = 0;
    for (const auto& ep : slice.endpoints) {
        const auto found = group.endpoints.find(ep);
        if (found == group.endpoints.end() || !endpoints_equal_beyond_identity(*found, ep)) {
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

/// The mirroring controller's reconcile for an Endpoints object that is mirrored.
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
        const auto write_identity = [&seed](fnv128a_hasher& hasher, std::size_t attempt) {
            hasher.update(seed);
            if (attempt > 0) {
                hasher.update("#");
                hasher.update(std::to_string(attempt));
            }
        };
        meta.name = String(
            std::string_view(unique_generated_name(meta.generate_name, write_identity, taken)));
    }
    return changes;
}

} // namespace svcdisc::detail
