#include "commands/cluster_view.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <thread>
#include <tuple>

#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/mirror.hpp>

namespace svcdisc_cli {

namespace {

/// Orders pods (sorted by namespace, then name) against a namespace.
struct namespace_less {
    bool operator()(const svcdisc::pod& p, std::string_view ns) const {
        return p.metadata.namespace_ < ns;
    }
    bool operator()(std::string_view ns, const svcdisc::pod& p) const {
        return ns < p.metadata.namespace_;
    }
};

/// True when `count` items of work are at least `threshold` and a second core exists.
bool worth_a_thread(std::size_t count, std::size_t threshold) {
    return count >= threshold && std::thread::hardware_concurrency() > 1;
}

/// Runs `first` on a second thread and `second` on this one when `parallel`, else `first` then
/// `second`; rethrows what either threw.
template <class First, class Second>
void run_both(bool parallel, First&& first, Second&& second) {
    if (!parallel) {
        first();
        second();
        return;
    }
    std::exception_ptr failure;
    std::thread worker([&] {
        try {
            first();
        } catch (...) {
            failure = std::current_exception();
        }
    });
    try {
        second();
    } catch (...) {
        worker.join();
        throw;
    }
    worker.join();
    if (failure) {
        std::rethrow_exception(failure);
    }
}

/// The first pod of a namespace near pod `middle` of `pods` (sorted by namespace): the end of
/// the namespace holding it, else its start; `pods.size()` when there is one namespace only.
std::size_t namespace_boundary_near(const std::vector<svcdisc::pod>& pods, std::size_t middle) {
    const std::string_view ns = pods[middle].metadata.namespace_;
    const auto [first, last] = std::equal_range(pods.begin(), pods.end(), ns, namespace_less{});
    if (last != pods.end()) {
        return static_cast<std::size_t>(last - pods.begin());
    }
    return first == pods.begin() ? pods.size() : static_cast<std::size_t>(first - pods.begin());
}

} // namespace

bool is_slice_controller_managed(const svcdisc::endpoint_slice& slice) {
    return slice.metadata.labels.find_value(svcdisc::endpoint_slice_keys::managed_by_label) ==
           svcdisc::endpoint_slice_keys::endpointslice_controller;
}

bool is_controller_managed(const svcdisc::endpoint_slice& slice) {
    const auto manager =
        slice.metadata.labels.find_value(svcdisc::endpoint_slice_keys::managed_by_label);
    return manager && (*manager == svcdisc::endpoint_slice_keys::endpointslice_controller ||
                       *manager == svcdisc::endpoint_slice_keys::mirroring_controller);
}

cluster_view::cluster_view(const cluster& c, std::size_t max_endpoints_per_slice,
                           svcdisc::node_policy policy)
    : cluster_(c), planned_(plan_pods(c)) {
    options_.max_endpoints_per_slice = max_endpoints_per_slice;
    options_.node_policy = policy;
    for (const auto& n : c.nodes) {
        nodes_.push_back(&n.object);
    }
    // A Service then looks only at the pods its selector selects instead of scanning its
    // namespace. Two shards of whole namespaces are built at once on a second core.
    const std::size_t count = c.pods.size();
    const bool parallel = worth_a_thread(count, 4096);
    split_ = parallel ? namespace_boundary_near(c.pods, count / 2) : count;
    auto build = [&](svcdisc::selector_index<std::uint32_t>& index, std::size_t first,
                     std::size_t last) {
        index.reserve(last - first);
        for (std::size_t i = first; i < last; ++i) {
            const auto& p = c.pods[i];
            index.insert(static_cast<std::uint32_t>(i), p.metadata.namespace_, p.metadata.labels);
        }
    };
    run_both(
        parallel, [&] { build(pods_by_labels_[1], split_, count); },
        [&] { build(pods_by_labels_[0], 0, split_); });
    auto note_captured = [&](const svcdisc::object_meta& meta) {
        if (pods_in(meta.namespace_).empty()) {
            captured_only_.push_back(meta.namespace_);
        }
    };
    for (const auto& e : c.endpoints_objects) {
        const auto* svc = find_service(e.object.metadata.namespace_, e.object.metadata.name);
        if (svc != nullptr && svcdisc::endpoint_controllers_manage(*svc)) {
            note_captured(e.object.metadata);
        }
    }
    for (const auto& e : c.slices) {
        if (is_slice_controller_managed(e.object)) {
            note_captured(e.object.metadata);
        }
    }
    std::sort(captured_only_.begin(), captured_only_.end());
    captured_only_.erase(std::unique(captured_only_.begin(), captured_only_.end()),
                         captured_only_.end());
}

bool cluster_view::captured_only(std::string_view namespace_) const {
    return std::binary_search(captured_only_.begin(), captured_only_.end(), namespace_);
}

std::span<const svcdisc::pod> cluster_view::pods_in(std::string_view namespace_) const {
    const auto [first, last] =
        std::equal_range(cluster_.pods.begin(), cluster_.pods.end(), namespace_, namespace_less{});
    return {first, last};
}

std::vector<const svcdisc::pod*> cluster_view::selected_pods(const svcdisc::service& svc) const {
    std::vector<const svcdisc::pod*> out;
    if (!svcdisc::service_has_selector(svc)) {
        return out;
    }
    const std::string_view ns = svc.metadata.namespace_;
    const bool second_shard = split_ < cluster_.pods.size() &&
                              ns >= std::string_view(cluster_.pods[split_].metadata.namespace_);
    pods_by_labels_[second_shard ? 1 : 0].for_each(
        ns, *svc.spec.selector, [&](std::uint32_t i) { out.push_back(&cluster_.pods[i]); });
    // The index answers in its own order; the derivations get the pods in input order
    // (namespace, then name), as a scan of the namespace would give them.
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<const planned_pod*>
cluster_view::planned_pods_selected(const svcdisc::service& svc) const {
    std::vector<const planned_pod*> out;
    if (!svcdisc::service_has_selector(svc)) {
        return out;
    }
    for (const auto& planned : planned_) {
        if (planned.pod.metadata.namespace_ == svc.metadata.namespace_ &&
            svcdisc::service_selector_matches(*svc.spec.selector, planned.pod.metadata.labels)) {
            out.push_back(&planned);
        }
    }
    return out;
}

const planned_pod* cluster_view::find_planned(std::string_view namespace_,
                                              std::string_view ref) const {
    for (const auto& planned : planned_) {
        if (planned.pod.metadata.namespace_ == namespace_ && planned.ref == ref) {
            return &planned;
        }
    }
    return nullptr;
}

namespace {
/// The object named (namespace, name) in `all`, which is sorted by namespace and name.
template <class Entries>
const auto* find_by_name(const Entries& all, std::string_view namespace_, std::string_view name) {
    using name_key = std::pair<std::string_view, std::string_view>;
    const name_key wanted{namespace_, name};
    const auto it =
        std::lower_bound(all.begin(), all.end(), wanted, [](const auto& e, const name_key& w) {
            return name_key{e.object.metadata.namespace_, e.object.metadata.name} < w;
        });
    const bool found = it != all.end() && it->object.metadata.namespace_ == namespace_ &&
                       it->object.metadata.name == name;
    return found ? &it->object : nullptr;
}
} // namespace

const svcdisc::service* cluster_view::find_service(std::string_view namespace_,
                                                   std::string_view name) const {
    return find_by_name(cluster_.services, namespace_, name);
}

const svcdisc::endpoints* cluster_view::find_input_endpoints(std::string_view namespace_,
                                                             std::string_view name) const {
    return find_by_name(cluster_.endpoints_objects, namespace_, name);
}

const svcdisc::node* cluster_view::find_node(std::string_view name) const {
    return find_by_name(cluster_.nodes, "", name);
}

std::optional<svcdisc::endpoints>
cluster_view::derive_endpoints_for(const svcdisc::service& svc) const {
    auto eps = svcdisc::derive_endpoints(svc, selected_pods(svc));
    if (eps && !eps->metadata.creation_timestamp) {
        // The controller creates the object as soon as the Service exists.
        eps->metadata.creation_timestamp = svc.metadata.creation_timestamp;
    }
    return eps;
}

std::vector<svcdisc::endpoint_slice>
cluster_view::derive_slices_for(const svcdisc::service& svc) const {
    std::vector<shown<svcdisc::endpoint_slice>> shown_slices;
    show_slices_of(svc, shown_slices);
    std::vector<svcdisc::endpoint_slice> slices;
    slices.reserve(shown_slices.size());
    for (auto& s : shown_slices) {
        slices.push_back(std::move(s).take());
    }
    return slices;
}

void cluster_view::show_slices_of(const svcdisc::service& svc,
                                  std::vector<shown<svcdisc::endpoint_slice>>& into) const {
    // The EndpointSlice controller's slices of this Service the input captured (entries are
    // sorted by namespace, then name).
    std::vector<const svcdisc::endpoint_slice*> captured;
    const std::string_view ns = svc.metadata.namespace_;
    const auto first = std::lower_bound(cluster_.slices.begin(), cluster_.slices.end(), ns,
                                        [](const auto& e, std::string_view wanted) {
                                            return e.object.metadata.namespace_ < wanted;
                                        });
    for (auto it = first; it != cluster_.slices.end() && it->object.metadata.namespace_ == ns;
         ++it) {
        const auto owner =
            it->object.metadata.labels.find_value(svcdisc::endpoint_slice_keys::service_name_label);
        if (owner && *owner == svc.metadata.name && is_slice_controller_managed(it->object)) {
            captured.push_back(&it->object);
        }
    }
    // The controller creates a slice as soon as the Service exists.
    const auto show_derived = [&](svcdisc::endpoint_slice&& s) {
        if (!s.metadata.creation_timestamp) {
            s.metadata.creation_timestamp = svc.metadata.creation_timestamp;
        }
        into.push_back(shown<svcdisc::endpoint_slice>::derived(std::move(s)));
    };
    if (captured.empty()) {
        for (auto& s : svcdisc::derive_endpoint_slices(svc, selected_pods(svc), nodes_, options_)) {
            show_derived(std::move(s));
        }
        return;
    }
    // What the controller's next sync leaves (reconciler.reconcile): the captured slices it
    // keeps, unchanged and under their names, its updates, and the slices it creates.
    auto changes =
        svcdisc::reconcile_endpoint_slices(svc, selected_pods(svc), nodes_, captured, options_);
    const auto replaced = [&](const svcdisc::endpoint_slice& kept) {
        const auto named = [&](const svcdisc::endpoint_slice& changed) {
            return changed.metadata.name == kept.metadata.name;
        };
        return std::any_of(changes.to_update.begin(), changes.to_update.end(), named) ||
               std::any_of(changes.to_delete.begin(), changes.to_delete.end(), named);
    };
    for (const auto* kept : captured) {
        if (replaced(*kept)) {
            continue;
        }
        if (kept->metadata.creation_timestamp) {
            // Shown as the library prints it, not as read: the same as a derived slice.
            into.push_back(shown<svcdisc::endpoint_slice>::of_input(*kept, std::nullopt));
        } else {
            show_derived(svcdisc::endpoint_slice(*kept));
        }
    }
    for (auto& s : changes.to_update) {
        show_derived(std::move(s));
    }
    for (auto& s : changes.to_create) {
        show_derived(std::move(s));
    }
}

namespace {
bool in_namespace(std::string_view wanted, std::string_view actual) {
    return wanted.empty() || wanted == actual;
}
template <class Shown>
void sort_shown(std::vector<Shown>& v) {
    std::stable_sort(v.begin(), v.end(), [](const Shown& a, const Shown& b) {
        return std::tie(a.object().metadata.namespace_, a.object().metadata.name) <
               std::tie(b.object().metadata.namespace_, b.object().metadata.name);
    });
}
} // namespace

std::vector<shown<svcdisc::endpoints>> cluster_view::endpoints(std::string_view namespace_) const {
    std::vector<shown<svcdisc::endpoints>> out;
    for (const auto& e : cluster_.services) {
        const auto& svc = e.object;
        if (!in_namespace(namespace_, svc.metadata.namespace_) ||
            captured_only(svc.metadata.namespace_)) {
            continue;
        }
        if (auto eps = derive_endpoints_for(svc)) {
            out.push_back(shown<svcdisc::endpoints>::derived(std::move(*eps)));
        }
    }
    // Input Endpoints stay unless the Endpoints controller owns their name (a Service with a
    // selector, not ExternalName), in which case the derived object above replaces them.
    for (const auto& e : cluster_.endpoints_objects) {
        if (!in_namespace(namespace_, e.object.metadata.namespace_)) {
            continue;
        }
        const auto* svc = find_service(e.object.metadata.namespace_, e.object.metadata.name);
        const bool replaced = svc != nullptr && svcdisc::endpoint_controllers_manage(*svc) &&
                              !captured_only(svc->metadata.namespace_);
        if (!replaced) {
            out.push_back(shown<svcdisc::endpoints>::of_input(e.object, e.from));
        }
    }
    sort_shown(out);
    return out;
}

std::vector<shown<svcdisc::endpoint_slice>>
cluster_view::slices(std::string_view namespace_) const {
    std::vector<const svcdisc::service*> in_scope;
    for (const auto& e : cluster_.services) {
        if (in_namespace(namespace_, e.object.metadata.namespace_)) {
            in_scope.push_back(&e.object);
        }
    }
    auto derive_range = [&](std::size_t begin, std::size_t end,
                            std::vector<shown<svcdisc::endpoint_slice>>& into) {
        for (std::size_t i = begin; i < end; ++i) {
            const auto& svc = *in_scope[i];
            const bool selects = svcdisc::service_has_selector(svc);
            if (!selects || !captured_only(svc.metadata.namespace_)) {
                show_slices_of(svc, into);
            }
            if (selects) {
                continue;
            }
            if (const auto* eps =
                    find_input_endpoints(svc.metadata.namespace_, svc.metadata.name)) {
                for (auto& s : svcdisc::mirror_endpoint_slices(svc, *eps)) {
                    if (!s.metadata.creation_timestamp) {
                        s.metadata.creation_timestamp = eps->metadata.creation_timestamp;
                    }
                    into.push_back(shown<svcdisc::endpoint_slice>::derived(std::move(s)));
                }
            }
        }
    };
    // Services are independent of each other: on a machine with a second core, half of them
    // are derived there (the result is sorted below, so the split does not show).
    const bool parallel = worth_a_thread(in_scope.size(), 256);
    const std::size_t middle = parallel ? in_scope.size() / 2 : 0;
    std::vector<shown<svcdisc::endpoint_slice>> first_half;
    std::vector<shown<svcdisc::endpoint_slice>> out;
    run_both(
        parallel, [&] { derive_range(0, middle, first_half); },
        [&] { derive_range(middle, in_scope.size(), out); });
    out.insert(out.end(), std::make_move_iterator(first_half.begin()),
               std::make_move_iterator(first_half.end()));
    // Slices the two controllers manage are replaced by what they would write now; any other
    // slice (written by hand, by the API server for `kubernetes`, by another controller) stays.
    for (const auto& e : cluster_.slices) {
        if (in_namespace(namespace_, e.object.metadata.namespace_) &&
            (!is_controller_managed(e.object) || (is_slice_controller_managed(e.object) &&
                                                  captured_only(e.object.metadata.namespace_)))) {
            out.push_back(shown<svcdisc::endpoint_slice>::of_input(e.object, e.from));
        }
    }
    sort_shown(out);
    return out;
}

} // namespace svcdisc_cli
