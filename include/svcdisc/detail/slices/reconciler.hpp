#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/config.hpp>
#include <svcdisc/detail/slices/desired.hpp>
#include <svcdisc/detail/slices/hint_step.hpp>
#include <svcdisc/detail/slices/identity.hpp>
#include <svcdisc/detail/slices/names.hpp>
#include <svcdisc/detail/slices/plan.hpp>
#include <svcdisc/detail/slices/port_set.hpp>
#include <svcdisc/detail/slices/types.hpp>
#include <svcdisc/detail/util/element_ref.hpp>
#include <svcdisc/detail/util/throw.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/service.hpp>

/// The EndpointSlice controller's reconciler for one Service.
namespace svcdisc::detail {

/// Kubernetes' newEndpointSlice without a name: generateName, namespace, the controller owner
/// reference to the Service, labels, address type and ports.
template <class String>
[[nodiscard]] basic_endpoint_slice<String>
new_endpoint_slice(const basic_service<String>& svc, std::string_view generate_name,
                   const basic_label_set<String>& labels, std::string_view type,
                   const std::vector<basic_endpoint_slice_port<String>>& ports) {
    basic_endpoint_slice<String> s;
    s.metadata.generate_name = String(generate_name);
    s.metadata.namespace_ = svc.metadata.namespace_;
    basic_owner_reference<String> owner;
    owner.api_version = String(std::string_view("v1"));
    owner.kind = String(std::string_view("Service"));
    owner.name = svc.metadata.name;
    owner.uid = svc.metadata.uid;
    owner.controller = true;
    owner.block_owner_deletion = true;
    s.metadata.owner_references.push_back(std::move(owner));
    s.metadata.labels = labels;
    s.address_type = String(type);
    s.ports = ports;
    return s;
}

/// Kubernetes' reconciler.reconcile / reconcileByAddressType with svcdisc's deterministic
/// choices (docs/determinism.md).
template <class String>
class slice_reconciler {
  public:
    using slice_type = basic_endpoint_slice<String>;

    slice_reconciler(const basic_service<String>& svc, desired_slices<String>& desired,
                     std::size_t max_per_slice, std::set<std::string, std::less<>>& taken_names,
                     std::vector<std::string>* generated = nullptr, zone_capacity capacity = {})
        : svc_(svc), desired_(desired), max_(max_per_slice), labels_(desired_slice_labels(svc)),
          hint_step_(hint_step_needed(svc)), capacity_(std::move(capacity)),
          taken_names_(taken_names), generated_(generated),
          generate_name_(generate_name_prefix(svc.metadata.name)) {}

    /// Reconciles the slices of address type number `t` (`existing` sorted by name): step 1
    /// (prune) here, the decisions in plan_address_type, then the plan turned into slices and,
    /// when the Service asks for hints, the hint step (hint_address_type).
    void reconcile_address_type(std::size_t t, const std::vector<const slice_type*>& existing) {
        const std::string_view type = desired_.address_types[t];
        auto& eps = desired_.endpoints[t].all;
        const slice_type placeholder_prototype = new_slice(type, {});

        std::vector<existing_slice_facts> facts(existing.size());
        // Per existing slice, the positions in `eps` of the endpoints it keeps, in its order.
        std::vector<std::vector<std::size_t>> kept_positions(existing.size());
        // Per group, the wanted endpoints no existing slice keeps, in placement order.
        std::vector<std::vector<std::size_t>> still_to_place(desired_.groups.size());
        std::vector<std::size_t> remaining(desired_.groups.size());
        std::vector<std::optional<std::size_t>> group_of(existing.size());
        for (std::size_t i = 0; i < existing.size(); ++i) {
            if (slice_owned_by(*existing[i], svc_)) {
                group_of[i] = desired_.find_group(port_group_key(existing[i]->ports));
            }
        }
        for (std::size_t g = 0; g < desired_.groups.size(); ++g) {
            const group_endpoints& wanted = desired_.endpoints[t].groups[g];
            std::vector<bool> placed(eps.size(), false);
            for (std::size_t i = 0; i < existing.size(); ++i) {
                if (group_of[i] != g) {
                    continue;
                }
                bool endpoint_changed = false;
                for (const auto& ep : existing[i]->endpoints) {
                    const auto found = wanted.find(eps, ep);
                    if (!found || placed[*found]) {
                        continue;
                    }
                    endpoint_changed =
                        endpoint_changed || !endpoints_equal_beyond_identity(eps[*found], ep);
                    placed[*found] = true;
                    kept_positions[i].push_back(*found);
                }
                facts[i].endpoint_changed = endpoint_changed;
            }
            for (const std::size_t position : wanted.order) {
                if (!placed[position]) {
                    still_to_place[g].push_back(position);
                }
            }
            remaining[g] = still_to_place[g].size();
        }
        for (std::size_t i = 0; i < existing.size(); ++i) {
            const slice_type& s = *existing[i];
            existing_slice_facts& f = facts[i];
            f.handle = i;
            f.name = s.metadata.name;
            f.owned = slice_owned_by(s, svc_);
            f.group = group_of[i].value_or(no_group);
            f.size = s.endpoints.size();
            f.kept = kept_positions[i].size();
            f.labels_outdated = slice_labels_outdated(s.metadata.labels, labels_);
            f.hinted = std::any_of(s.endpoints.begin(), s.endpoints.end(),
                                   [](const auto& ep) { return ep.hints.has_value(); });
            f.equivalent_placeholder = is_equivalent_placeholder(s, placeholder_prototype);
        }

        std::vector<unchanged_slices> unchanged(desired_.groups.size());
        const slice_plan plan = plan_address_type(
            facts, existing.size(), remaining, max_, hint_step_,
            svc_.metadata.deletion_timestamp.has_value() && !hint_step_,
            [&](std::size_t g) -> unchanged_slices& { return unchanged[g]; },
            [&](std::size_t g, std::size_t ordinal) {
                return name_new_slice(type, g == no_group ? no_ports_key() : desired_.groups[g].key,
                                      ordinal);
            });

        const auto build = [&](const planned_slice& p) {
            slice_type s;
            switch (p.origin) {
            case planned_origin::pruned:
                s = copy_without_endpoints(*existing[p.handle]);
                s.endpoints.reserve(kept_positions[p.handle].size() + p.appended);
                for (const std::size_t position : kept_positions[p.handle]) {
                    s.endpoints.push_back(std::move(eps[position]));
                }
                break;
            case planned_origin::relabelled:
                s = *existing[p.handle];
                s.metadata.labels = labels_;
                break;
            case planned_origin::filled:
            case planned_origin::dehinted:
                s = *existing[p.handle];
                break;
            case planned_origin::created:
                s = new_slice(type, desired_.groups[p.group].ports);
                break;
            case planned_origin::placeholder:
                s = new_slice(type, {});
                break;
            }
            if (p.group != no_group) {
                const auto& sequence = still_to_place[p.group];
                for (std::size_t k = 0; k < p.appended; ++k) {
                    s.endpoints.push_back(std::move(eps[sequence[p.first_appended + k]]));
                }
            }
            if (p.origin == planned_origin::created || p.origin == planned_origin::placeholder) {
                s.metadata.name = String(std::string_view(p.name));
            }
            if (!hint_step_) {
                for (auto& ep : s.endpoints) {
                    ep.hints.reset();
                }
            }
            return s;
        };
        if (hint_step_) {
            write_hinted(type, plan, existing, build);
        } else {
            for (const planned_slice& p : plan.creates) {
                changes_.to_create.push_back(build(p));
            }
            for (const planned_slice& p : plan.updates) {
                changes_.to_update.push_back(build(p));
            }
        }
        for (const std::size_t handle : plan.deletes) {
            changes_.to_delete.push_back(*existing[handle]);
        }
    }

    /// Deletes slices of address types the Service no longer has (never renamed).
    void delete_unsupported(std::vector<const slice_type*> slices) {
        std::sort(slices.begin(), slices.end(), [](const slice_type* a, const slice_type* b) {
            return a->metadata.name < b->metadata.name;
        });
        for (const slice_type* s : slices) {
            changes_.to_delete.push_back(*s);
        }
    }

    [[nodiscard]] basic_endpoint_slice_changes<String> take() && { return std::move(changes_); }

  private:
    /// The creates and updates of `plan` through the hint step, then (as the planner would have,
    /// had it not been asked to keep them for the hints) no creates for a Service being deleted.
    template <class Build>
    void write_hinted(std::string_view type, const slice_plan& plan,
                      const std::vector<const slice_type*>& existing, Build& build) {
        address_type_writes<String> writes;
        std::vector<bool> written(existing.size(), false);
        for (const planned_slice& p : plan.creates) {
            writes.creates.push_back(build(p));
        }
        // plan.updates run by name, so the taken-over ones come in finalize's order.
        for (const planned_slice& p : plan.updates) {
            const bool took_over = p.took_over != no_slice;
            (took_over ? writes.took_over : writes.updates).push_back(build(p));
            written[took_over ? p.took_over : p.handle] = true;
        }
        for (const std::size_t handle : plan.deletes) {
            written[handle] = true;
        }
        std::vector<slice_type> unchanged;
        for (std::size_t i = 0; i < existing.size(); ++i) {
            if (!written[i]) {
                unchanged.push_back(*existing[i]);
            }
        }
        hint_address_type(svc_, type, writes, std::move(unchanged), capacity_);
        if (!svc_.metadata.deletion_timestamp) {
            std::move(writes.creates.begin(), writes.creates.end(),
                      std::back_inserter(changes_.to_create));
        }
        auto& updates = writes.updates;
        std::move(writes.took_over.begin(), writes.took_over.end(), std::back_inserter(updates));
        std::sort(updates.begin(), updates.end(), [](const slice_type& a, const slice_type& b) {
            return a.metadata.name < b.metadata.name;
        });
        std::move(updates.begin(), updates.end(), std::back_inserter(changes_.to_update));
    }

    /// An existing slice with the Service's current labels and no endpoints yet (the caller
    /// puts the kept ones in), without copying the endpoints it is about to replace.
    [[nodiscard]] slice_type copy_without_endpoints(const slice_type& s) const {
        slice_type copy;
        copy.metadata = s.metadata;
        copy.metadata.labels = labels_;
        copy.address_type = s.address_type;
        copy.ports = s.ports;
        return copy;
    }

    /// Kubernetes' newEndpointSlice: generateName, namespace, controller owner reference,
    /// labels, address type and ports, no endpoints.
    [[nodiscard]] slice_type
    new_slice(std::string_view type,
              const std::vector<basic_endpoint_slice_port<String>>& ports) const {
        return new_endpoint_slice(svc_, std::string_view(generate_name_), labels_, type, ports);
    }

    /// The port-group key of the placeholder (no ports).
    [[nodiscard]] static const std::vector<digest128>& no_ports_key() {
        static const std::vector<digest128> empty;
        return empty;
    }

    /// The name the API server would generate for a new slice, made deterministic
    /// (docs/determinism.md): from namespace, Service, address type, port-group key and the
    /// slice's ordinal in its group.
    [[nodiscard]] std::string
    name_new_slice(std::string_view type, const std::vector<digest128>& key, std::size_t ordinal) {
        std::string name = unique_generated_name(
            generate_name_,
            [&](fnv128a_hasher& hasher, std::size_t attempt) {
                write_slice_name_identity(hasher, svc_.metadata.namespace_, svc_.metadata.name,
                                          type, key, ordinal, attempt);
            },
            taken_names_);
        if (generated_ != nullptr) {
            generated_->push_back(name);
        }
        return name;
    }

    /// placeholderSliceCompare: same namespace, labels and address type, no ports, no endpoints
    /// (owner references and other metadata are not compared).
    [[nodiscard]] static bool is_equivalent_placeholder(const slice_type& existing,
                                                        const slice_type& placeholder) {
        return existing.metadata.namespace_ == placeholder.metadata.namespace_ &&
               existing.metadata.labels == placeholder.metadata.labels &&
               existing.address_type == placeholder.address_type && existing.ports.empty() &&
               existing.endpoints.empty();
    }

    const basic_service<String>& svc_;
    desired_slices<String>& desired_;
    std::size_t max_;
    basic_label_set<String> labels_;
    /// The Service asks for hints: the slices pass through hint_address_type, and neither the
    /// plan nor the build removes hints on its own.
    bool hint_step_;
    /// The Nodes' zone capacity, for Auto hints.
    zone_capacity capacity_;
    /// Names of the namespace's slices; new names are added as they are generated.
    std::set<std::string, std::less<>>& taken_names_;
    /// Where to note every generated name, when the caller wants to know (some end up unused:
    /// a new slice that takes over a deleted slice's name keeps that name instead).
    std::vector<std::string>* generated_;
    std::string generate_name_;
    basic_endpoint_slice_changes<String> changes_;
};

/// reconcile_endpoint_slices with the namespace's taken slice names given (new names are added
/// to them) and, when `generated` is set, every generated name noted there. Auto hints use
/// `capacity` when given (a caller that passes only the selected pods' Nodes must give the
/// capacity of all Nodes), else compute_zone_capacity(nodes). A caller that found `pods` through
/// the Service's selector says so with `selected`.
template <class String, class Pods, class Nodes, class Slices>
[[nodiscard]] basic_endpoint_slice_changes<String>
reconcile_slices(const basic_service<String>& svc, const Pods& pods, const Nodes& nodes,
                 const Slices& existing, std::set<std::string, std::less<>>& taken_names,
                 std::vector<std::string>* generated, const endpoint_slice_options& options,
                 const zone_capacity* capacity = nullptr,
                 pod_selection_known selected = pod_selection_known::no) {
    if (options.max_endpoints_per_slice < 1 ||
        options.max_endpoints_per_slice > max_max_endpoints_per_slice) {
        throw_invalid_argument("svcdisc: max_endpoints_per_slice must be between 1 and 1000");
    }
    if (!endpoint_controllers_manage(svc)) {
        return {};
    }
    auto desired = collect_desired_slices(svc, pods, nodes, options.node_policy, selected);

    using slice_type = basic_endpoint_slice<String>;
    std::vector<std::vector<const slice_type*>> by_type(desired.address_types.size());
    std::vector<const slice_type*> unsupported;
    const std::string_view ns = svc.metadata.namespace_;
    for (const auto& element : existing) {
        const slice_type& s = element_ref(element);
        if (std::string_view(s.metadata.namespace_) != ns) {
            continue;
        }
        if (s.metadata.deletion_timestamp ||
            s.metadata.labels.find_value(endpoint_slice_keys::service_name_label) !=
                std::optional<std::string_view>(svc.metadata.name) ||
            s.metadata.labels.find_value(endpoint_slice_keys::managed_by_label) !=
                std::optional<std::string_view>(endpoint_slice_keys::endpointslice_controller)) {
            continue;
        }
        const auto type = std::find(desired.address_types.begin(), desired.address_types.end(),
                                    std::string_view(s.address_type));
        if (type == desired.address_types.end()) {
            unsupported.push_back(&s);
        } else {
            by_type[static_cast<std::size_t>(type - desired.address_types.begin())].push_back(&s);
        }
    }

    slice_reconciler<String> reconciler(svc, desired, options.max_endpoints_per_slice, taken_names,
                                        generated,
                                        !topology_mode_auto(svc) ? zone_capacity{}
                                        : capacity != nullptr    ? *capacity
                                                                 : compute_zone_capacity(nodes));
    for (std::size_t t = 0; t < by_type.size(); ++t) {
        auto& slices = by_type[t];
        std::sort(slices.begin(), slices.end(), [](const slice_type* a, const slice_type* b) {
            return a->metadata.name < b->metadata.name;
        });
        reconciler.reconcile_address_type(t, slices);
    }
    reconciler.delete_unsupported(std::move(unsupported));
    return std::move(reconciler).take();
}

} // namespace svcdisc::detail
