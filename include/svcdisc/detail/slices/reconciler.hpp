#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
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
#include <svcdisc/detail/slices/identity.hpp>
#include <svcdisc/detail/slices/names.hpp>
#include <svcdisc/detail/slices/port_set.hpp>
#include <svcdisc/detail/slices/types.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/service.hpp>

/// The EndpointSlice controller's reconciler for one Service.
namespace svcdisc::detail {

/// Kubernetes' reconciler.reconcile / reconcileByAddressType with svcdisc's deterministic
/// choices (docs/determinism.md).
template <class String>
class slice_reconciler {
  public:
    using slice_type = basic_endpoint_slice<String>;

    slice_reconciler(const basic_service<String>& svc, desired_slices<String>& desired,
                     std::size_t max_per_slice, std::set<std::string, std::less<>> taken_names)
        : svc_(svc), desired_(desired), max_(max_per_slice), labels_(desired_slice_labels(svc)),
          hints_requested_(service_requests_hints(svc)), taken_names_(std::move(taken_names)),
          generate_name_(generate_name_prefix(svc.metadata.name)) {}

    /// Reconciles the slices of address type number `t` (`existing` sorted by name).
    void reconcile_address_type(std::size_t t, const std::vector<const slice_type*>& existing) {
        const std::string_view type = desired_.address_types[t];
        std::vector<slice_type> creates;
        std::vector<slice_type> updates;
        std::vector<const slice_type*> deletes;

        std::vector<std::vector<const slice_type*>> owned_by_group(desired_.groups.size());
        for (const slice_type* s : existing) {
            if (!slice_owned_by(*s, svc_)) {
                deletes.push_back(s);
                continue;
            }
            const auto group = desired_.find_group(port_group_key(s->ports));
            if (group) {
                owned_by_group[*group].push_back(s);
            } else {
                // A port set no pod serves any more.
                deletes.push_back(s);
            }
        }
        for (std::size_t g = 0; g < desired_.groups.size(); ++g) {
            reconcile_group(t, g, owned_by_group[g], creates, updates, deletes);
        }

        // Placeholder: every address type keeps at least one slice.
        if (existing.size() == deletes.size() && creates.empty()) {
            slice_type placeholder = new_slice(type, {});
            if (deletes.size() == 1 && is_equivalent_placeholder(*deletes.front(), placeholder)) {
                deletes.clear();
            } else {
                assign_name(placeholder, type, {}, 0);
                creates.push_back(std::move(placeholder));
            }
        }

        if (!hints_requested_) {
            remove_hints(existing, creates, updates, deletes);
        }

        // finalize: a slice to create takes over the name of an owned slice to delete, so a
        // delete and a create become one update. The slices to delete are visited by name.
        std::sort(deletes.begin(), deletes.end(), [](const slice_type* a, const slice_type* b) {
            return a->metadata.name < b->metadata.name;
        });
        for (std::size_t i = 0; i < deletes.size() && !creates.empty();) {
            if (slice_owned_by(*deletes[i], svc_) &&
                deletes[i]->address_type == creates.back().address_type) {
                creates.back().metadata.name = deletes[i]->metadata.name;
                updates.push_back(std::move(creates.back()));
                creates.pop_back();
                deletes.erase(deletes.begin() + static_cast<std::ptrdiff_t>(i));
            } else {
                ++i;
            }
        }
        // A Service being deleted gets no new slices (they would race the garbage collector).
        if (svc_.metadata.deletion_timestamp) {
            creates.clear();
        }
        std::sort(updates.begin(), updates.end(), [](const slice_type& a, const slice_type& b) {
            return a.metadata.name < b.metadata.name;
        });
        for (auto& s : creates) {
            changes_.to_create.push_back(std::move(s));
        }
        for (auto& s : updates) {
            changes_.to_update.push_back(std::move(s));
        }
        for (const slice_type* s : deletes) {
            changes_.to_delete.push_back(*s);
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
    /// reconcileByPortMapping for one group and address type.
    void reconcile_group(std::size_t t, std::size_t g,
                         const std::vector<const slice_type*>& existing,
                         std::vector<slice_type>& creates, std::vector<slice_type>& updates,
                         std::vector<const slice_type*>& deletes) {
        auto& eps = desired_.endpoints[t].all;
        const group_endpoints& wanted = desired_.endpoints[t].groups[g];
        std::vector<bool> placed(eps.size(), false);
        std::size_t remaining = wanted.order.size();
        std::size_t cursor = 0;
        // Moves the next endpoint still to place, in placement order, to the end of `into`.
        const auto place_next = [&](std::vector<basic_endpoint<String>>& into) {
            while (placed[wanted.order[cursor]]) {
                ++cursor;
            }
            const std::size_t next = wanted.order[cursor];
            placed[next] = true;
            --remaining;
            into.push_back(std::move(eps[next]));
        };

        // 1. Keep only endpoints still wanted, in their wanted version. Positions first: the
        // wanted endpoints are moved into the updated slices only after the last look-up.
        const std::size_t first_update = updates.size();
        std::vector<const slice_type*> unchanged;
        std::vector<std::vector<std::size_t>> kept_positions;
        for (const slice_type* s : existing) {
            std::vector<std::size_t> kept;
            bool endpoint_changed = false;
            for (const auto& ep : s->endpoints) {
                const auto found = wanted.find(eps, ep);
                if (!found || placed[*found]) {
                    continue;
                }
                if (!endpoints_equal_beyond_identity(eps[*found], ep)) {
                    endpoint_changed = true;
                }
                placed[*found] = true;
                --remaining;
                kept.push_back(*found);
            }
            const bool labels_changed = slice_labels_outdated(s->metadata.labels, labels_);
            if (endpoint_changed || kept.size() != s->endpoints.size()) {
                if (kept.empty()) {
                    deletes.push_back(s);
                } else {
                    updates.push_back(copy_without_endpoints(*s));
                    kept_positions.push_back(std::move(kept));
                }
            } else if (labels_changed) {
                slice_type copy = *s;
                copy.metadata.labels = labels_;
                updates.push_back(std::move(copy));
                kept_positions.emplace_back();
            } else {
                unchanged.push_back(s);
            }
        }
        for (std::size_t i = 0; i < kept_positions.size(); ++i) {
            auto& target = updates[first_update + i].endpoints;
            // Room for the kept endpoints and for what step 2 may add.
            target.reserve(std::max(kept_positions[i].size(),
                                    std::min(max_, kept_positions[i].size() + remaining)));
            for (const std::size_t position : kept_positions[i]) {
                target.push_back(std::move(eps[position]));
            }
        }

        // 2. Top up the slices being updated anyway, fullest first.
        if (remaining > 0 && updates.size() > first_update) {
            std::vector<std::size_t> order;
            for (std::size_t i = first_update; i < updates.size(); ++i) {
                order.push_back(i);
            }
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                return updates[a].endpoints.size() > updates[b].endpoints.size();
            });
            for (const std::size_t i : order) {
                while (remaining > 0 && updates[i].endpoints.size() < max_) {
                    place_next(updates[i].endpoints);
                }
            }
        }

        // 3. Put the rest into the unchanged slice that ends up closest to full, or new slices.
        std::size_t ordinal = 0;
        while (remaining > 0) {
            std::optional<std::size_t> fill;
            if (remaining < max_ && !unchanged.empty()) {
                std::size_t closest = max_;
                for (std::size_t i = 0; i < unchanged.size(); ++i) {
                    const std::size_t size = unchanged[i]->endpoints.size() + remaining;
                    if (size <= max_ && max_ - size < closest) {
                        closest = max_ - size;
                        fill = i;
                        if (closest == 0) {
                            break;
                        }
                    }
                }
            }
            slice_type target;
            if (fill) {
                target = *unchanged[*fill];
                unchanged.erase(unchanged.begin() + static_cast<std::ptrdiff_t>(*fill));
            } else {
                target = new_slice(desired_.address_types[t], desired_.groups[g].ports);
                assign_name(target, desired_.address_types[t], desired_.groups[g].key, ordinal++);
            }
            if (target.endpoints.size() < max_) {
                target.endpoints.reserve(target.endpoints.size() +
                                         std::min(remaining, max_ - target.endpoints.size()));
            }
            while (remaining > 0 && target.endpoints.size() < max_) {
                place_next(target.endpoints);
            }
            (fill ? updates : creates).push_back(std::move(target));
        }
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
        slice_type s;
        s.metadata.generate_name = String(std::string_view(generate_name_));
        s.metadata.namespace_ = svc_.metadata.namespace_;
        basic_owner_reference<String> owner;
        owner.api_version = String(std::string_view("v1"));
        owner.kind = String(std::string_view("Service"));
        owner.name = svc_.metadata.name;
        owner.uid = svc_.metadata.uid;
        owner.controller = true;
        owner.block_owner_deletion = true;
        s.metadata.owner_references.push_back(std::move(owner));
        s.metadata.labels = labels_;
        s.address_type = String(type);
        s.ports = ports;
        return s;
    }

    /// The name the API server would generate, made deterministic (see the header's top).
    void assign_name(slice_type& s, std::string_view type, const std::vector<digest128>& key,
                     std::size_t ordinal) {
        const auto write_identity = [&](fnv128a_hasher& hasher, std::size_t attempt) {
            const auto put = [&](std::string_view part) {
                hasher.update(part);
                hasher.update(std::string_view("\0", 1));
            };
            put(svc_.metadata.namespace_);
            put(svc_.metadata.name);
            put(type);
            for (const auto& digest : key) {
                hasher.update(
                    std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
            }
            for (const std::uint64_t number : {std::uint64_t{ordinal}, std::uint64_t{attempt}}) {
                std::array<char, 24> digits{};
                const auto end =
                    std::to_chars(digits.data(), digits.data() + digits.size(), number);
                put(std::string_view(digits.data(),
                                     static_cast<std::size_t>(end.ptr - digits.data())));
            }
        };
        s.metadata.name = String(
            std::string_view(unique_generated_name(generate_name_, write_identity, taken_names_)));
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

    /// Kubernetes' RemoveHintsFromSlices, applied when the Service asks for no hints: the
    /// slices being written lose their hints, and an unchanged slice that carries hints is
    /// updated to lose them too.
    void remove_hints(const std::vector<const slice_type*>& existing,
                      std::vector<slice_type>& creates, std::vector<slice_type>& updates,
                      const std::vector<const slice_type*>& deletes) const {
        const auto clear = [](slice_type& s) {
            for (auto& ep : s.endpoints) {
                ep.hints.reset();
            }
        };
        for (auto& s : creates) {
            clear(s);
        }
        for (auto& s : updates) {
            clear(s);
        }
        const auto changed = [&](const slice_type& s) {
            const auto same_name = [&](const String& name) { return name == s.metadata.name; };
            return std::any_of(updates.begin(), updates.end(),
                               [&](const slice_type& u) { return same_name(u.metadata.name); }) ||
                   std::any_of(deletes.begin(), deletes.end(),
                               [&](const slice_type* d) { return same_name(d->metadata.name); });
        };
        const std::size_t first_unchanged_update = updates.size();
        for (const slice_type* s : existing) {
            const bool hinted = std::any_of(s->endpoints.begin(), s->endpoints.end(),
                                            [](const auto& ep) { return ep.hints.has_value(); });
            if (hinted && !changed(*s)) {
                updates.push_back(*s);
            }
        }
        for (std::size_t i = first_unchanged_update; i < updates.size(); ++i) {
            clear(updates[i]);
        }
    }

    const basic_service<String>& svc_;
    desired_slices<String>& desired_;
    std::size_t max_;
    basic_label_set<String> labels_;
    bool hints_requested_;
    std::set<std::string, std::less<>> taken_names_;
    std::string generate_name_;
    basic_endpoint_slice_changes<String> changes_;
};

} // namespace svcdisc::detail
