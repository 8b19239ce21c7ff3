#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/// The decisions of the EndpointSlice reconciler for one address type of one Service
/// (reconciler.reconcileByAddressType and reconcileByPortMapping), made on counts: which slices
/// are deleted, updated or created and how many of a port group's endpoints still to place each
/// one takes. The decisions depend only on slice sizes, names and the number of endpoints to
/// place, never on endpoint contents, so one planner serves both the pure
/// reconcile_endpoint_slices (which looks at every existing slice) and the event-driven
/// controller (which looks only at the slices a change touched and finds the others through an
/// index). Materialising the plan into slice objects is the caller's job.
namespace svcdisc::detail {

inline constexpr std::size_t no_slice = std::numeric_limits<std::size_t>::max();
inline constexpr std::size_t no_group = std::numeric_limits<std::size_t>::max();

/// What the caller knows about an existing slice the planner must decide on: the outcome of the
/// reconciler's first step (keep only the endpoints still wanted, in their wanted version).
struct existing_slice_facts {
    /// The caller's handle of the slice.
    std::size_t handle = no_slice;
    std::string_view name;
    /// The port group the slice serves, or no_group when the Service does not own it (ownedBy)
    /// or no pod serves its port set any more: such a slice is deleted.
    std::size_t group = no_group;
    /// Whether the Service owns the slice (only owned slices lend their names to new ones).
    bool owned = true;
    /// Endpoints the slice holds now, and how many of them are still wanted.
    std::size_t size = 0;
    std::size_t kept = 0;
    /// A kept endpoint differs from its wanted version beyond its identity.
    bool endpoint_changed = false;
    /// The slice's labels differ from the Service's (setEndpointSliceLabels).
    bool labels_outdated = false;
    /// Some endpoint carries hints.
    bool hinted = false;
    /// placeholderSliceCompare: the slice equals this address type's placeholder.
    bool equivalent_placeholder = false;
};

/// How a slice in the plan came about, which says how to build it.
enum class planned_origin : std::uint8_t {
    /// An existing slice that lost or refreshed endpoints: its kept endpoints (new versions, in
    /// their order), the Service's labels, then the appended ones.
    pruned,
    /// An existing slice whose endpoints are unchanged but whose labels are outdated: a copy
    /// with the Service's labels, then the appended ones.
    relabelled,
    /// An unchanged existing slice that receives the rest of a group's endpoints: a copy, then
    /// the appended ones.
    filled,
    /// An unchanged existing slice rewritten only to lose its hints (RemoveHintsFromSlices).
    dehinted,
    /// A new slice for a port group: the appended endpoints.
    created,
    /// The placeholder of an address type without endpoints: no ports, no endpoints.
    placeholder,
};

/// One slice the plan writes.
struct planned_slice {
    planned_origin origin = planned_origin::created;
    /// The existing slice it starts from (not for created slices and placeholders).
    std::size_t handle = no_slice;
    /// The port group whose endpoints it receives (no_group for dehinted slices and
    /// placeholders).
    std::size_t group = no_group;
    /// The endpoints it receives: positions [first_appended, first_appended + appended) of its
    /// group's endpoints still to place, in placement order.
    std::size_t first_appended = 0;
    std::size_t appended = 0;
    /// A new slice's name: generated, or that of the deleted slice it took over (`took_over`).
    std::string name;
    std::size_t took_over = no_slice;
};

/// The writes for one address type, in the order the reconciler issues them.
struct slice_plan {
    /// New slices, in creation order.
    std::vector<planned_slice> creates;
    /// Rewritten slices (including new slices that took over a deleted slice's name), by name.
    std::vector<planned_slice> updates;
    /// Handles of the slices to delete, by name.
    std::vector<std::size_t> deletes;
};

/// The unchanged slices of one port group, ordered so that "the slice that ends up closest to
/// full, the first by name among equals" is one search: by size, then name descending within a
/// size, so the first candidate at the largest fitting size is the smallest name.
class unchanged_slices {
  public:
    void add(std::size_t handle, std::size_t size, std::string_view name) {
        by_fill_.emplace(key{size, std::string(name)}, handle);
    }

    /// Forgets a slice the caller is about to change.
    void remove(std::size_t size, std::string_view name) {
        by_fill_.erase(key{size, std::string(name)});
    }

    [[nodiscard]] bool empty() const noexcept { return by_fill_.empty(); }

    /// A slice that can take `remaining` more endpoints.
    struct candidate {
        std::size_t handle;
        std::size_t size;
        std::string name;
    };

    /// The slice that can take `remaining` more endpoints and ends up closest to `max` (the
    /// first by name among equals), removed from the set; nullopt when none can take them all.
    [[nodiscard]] std::optional<candidate> take_closest_to_full(std::size_t remaining,
                                                                std::size_t max) {
        if (remaining > max) {
            return std::nullopt;
        }
        // The first entry past every slice of size <= max - remaining; the one before it has
        // the largest fitting size, and entries of one size run by name descending, so it is
        // the smallest name of that size.
        auto it = by_fill_.upper_bound(max - remaining);
        if (it == by_fill_.begin()) {
            return std::nullopt;
        }
        --it;
        candidate found{it->second, it->first.size, std::move(it->first.name)};
        by_fill_.erase(it);
        return found;
    }

  private:
    struct key {
        std::size_t size;
        // Mutable only so that take_closest_to_full can move it out just before erasing.
        mutable std::string name;
    };
    struct key_less {
        using is_transparent = void;
        bool operator()(const key& a, const key& b) const {
            if (a.size != b.size) {
                return a.size < b.size;
            }
            return a.name > b.name;
        }
        bool operator()(const key& a, std::size_t size) const { return a.size < size; }
        bool operator()(std::size_t size, const key& b) const { return size < b.size; }
    };
    std::map<key, std::size_t, key_less> by_fill_;
};

/// The reconciler's decisions for one address type.
///
/// `touched` are the existing slices to decide on, sorted by name; every other existing slice of
/// the address type is unchanged and sits in `unchanged_of(group)`, which the planner also
/// fills with the touched slices that turn out unchanged. `existing_total` counts all existing
/// slices of the address type (touched or not). `remaining[g]` is the number of group g's
/// wanted endpoints that no existing slice keeps. `name_new(group, ordinal)` names a new slice
/// (group no_group, ordinal 0: the placeholder) and reserves the name.
template <class UnchangedOf, class NameNew>
[[nodiscard]] slice_plan
plan_address_type(std::span<const existing_slice_facts> touched, std::size_t existing_total,
                  std::span<const std::size_t> remaining, std::size_t max, bool hints_requested,
                  bool service_deleting, UnchangedOf&& unchanged_of, NameNew&& name_new) {
    slice_plan plan;
    std::vector<const existing_slice_facts*> deletes;
    // Step 1, the decision part: what the pruning did to each touched slice.
    std::vector<std::vector<planned_slice>> updates_of(remaining.size());
    // Unchanged slices with hints: rewritten without them unless step 3 fills them anyway.
    std::vector<const existing_slice_facts*> hinted_unchanged;
    for (const existing_slice_facts& s : touched) {
        if (s.group == no_group) {
            deletes.push_back(&s);
            continue;
        }
        const bool endpoints_touched = s.endpoint_changed || s.kept != s.size;
        if (endpoints_touched && s.kept == 0) {
            deletes.push_back(&s);
        } else if (endpoints_touched || s.labels_outdated) {
            planned_slice update;
            update.origin = endpoints_touched ? planned_origin::pruned : planned_origin::relabelled;
            update.handle = s.handle;
            update.group = s.group;
            update.name = std::string(s.name);
            updates_of[s.group].push_back(std::move(update));
        } else {
            unchanged_of(s.group).add(s.handle, s.size, s.name);
            if (s.hinted && !hints_requested) {
                hinted_unchanged.push_back(&s);
            }
        }
    }
    const auto size_of = [&](const planned_slice& p) {
        const auto it = std::lower_bound(
            touched.begin(), touched.end(), p.name,
            [](const existing_slice_facts& f, const std::string& name) { return f.name < name; });
        return (p.origin == planned_origin::pruned ? it->kept : it->size) + p.appended;
    };

    std::vector<planned_slice> updates;
    for (std::size_t g = 0; g < remaining.size(); ++g) {
        std::size_t left = remaining[g];
        std::size_t next = 0;
        auto& group_updates = updates_of[g];
        // Step 2: top up the slices being updated anyway, fullest first (ties by name: they
        // came sorted by name and the sort is stable).
        if (left > 0 && !group_updates.empty()) {
            std::vector<std::pair<std::size_t, std::size_t>> by_size; // (size, position)
            for (std::size_t i = 0; i < group_updates.size(); ++i) {
                by_size.emplace_back(size_of(group_updates[i]), i);
            }
            std::stable_sort(by_size.begin(), by_size.end(),
                             [](const auto& a, const auto& b) { return a.first > b.first; });
            for (const auto& [size, i] : by_size) {
                if (left == 0) {
                    break;
                }
                if (size < max) {
                    const std::size_t take = std::min(left, max - size);
                    group_updates[i].first_appended = next;
                    group_updates[i].appended = take;
                    next += take;
                    left -= take;
                }
            }
        }
        for (auto& u : group_updates) {
            updates.push_back(std::move(u));
        }
        // Step 3: the rest goes to the unchanged slice that ends up closest to full, or to new
        // slices of at most `max` endpoints.
        std::size_t ordinal = 0;
        while (left > 0) {
            planned_slice target;
            target.group = g;
            target.first_appended = next;
            std::optional<unchanged_slices::candidate> fill;
            if (left < max) {
                fill = unchanged_of(g).take_closest_to_full(left, max);
            }
            if (fill) {
                target.origin = planned_origin::filled;
                target.handle = fill->handle;
                target.name = std::move(fill->name);
                target.appended = left;
            } else {
                target.origin = planned_origin::created;
                target.appended = std::min(left, max);
                target.name = name_new(g, ordinal++);
            }
            next += target.appended;
            left -= target.appended;
            (fill ? updates : plan.creates).push_back(std::move(target));
        }
    }

    // Placeholder: every address type keeps at least one slice.
    if (existing_total == deletes.size() && plan.creates.empty()) {
        if (deletes.size() == 1 && deletes.front()->equivalent_placeholder) {
            deletes.clear();
        } else {
            planned_slice placeholder;
            placeholder.origin = planned_origin::placeholder;
            placeholder.name = name_new(no_group, 0);
            plan.creates.push_back(std::move(placeholder));
        }
    }
    // RemoveHintsFromSlices: the Service asks for no hints, so unchanged slices carrying some
    // are rewritten without them.
    for (const existing_slice_facts* s : hinted_unchanged) {
        const bool filled = std::any_of(updates.begin(), updates.end(), [&](const auto& u) {
            return u.origin == planned_origin::filled && u.handle == s->handle;
        });
        if (!filled) {
            planned_slice update;
            update.origin = planned_origin::dehinted;
            update.handle = s->handle;
            update.name = std::string(s->name);
            updates.push_back(std::move(update));
        }
    }

    // finalize: the last slice to create takes over the name of an owned slice to delete, so a
    // delete and a create become one update. The slices to delete are visited by name.
    std::stable_sort(deletes.begin(), deletes.end(),
                     [](const existing_slice_facts* a, const existing_slice_facts* b) {
                         return a->name < b->name;
                     });
    for (std::size_t i = 0; i < deletes.size() && !plan.creates.empty();) {
        if (deletes[i]->owned) {
            planned_slice taken = std::move(plan.creates.back());
            plan.creates.pop_back();
            taken.name = std::string(deletes[i]->name);
            taken.took_over = deletes[i]->handle;
            updates.push_back(std::move(taken));
            deletes.erase(deletes.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
            ++i;
        }
    }
    // A Service being deleted gets no new slices (they would race the garbage collector).
    if (service_deleting) {
        plan.creates.clear();
    }
    std::sort(updates.begin(), updates.end(),
              [](const planned_slice& a, const planned_slice& b) { return a.name < b.name; });
    plan.updates = std::move(updates);
    for (const existing_slice_facts* d : deletes) {
        plan.deletes.push_back(d->handle);
    }
    return plan;
}

} // namespace svcdisc::detail
