#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/detail/controller/identity_ranks.hpp>
#include <svcdisc/detail/controller/keyed_store.hpp>
#include <svcdisc/detail/controller/types.hpp>
#include <svcdisc/detail/controller/validate.hpp>
#include <svcdisc/detail/index/index_table.hpp>
#include <svcdisc/detail/mirror/reconcile.hpp>
#include <svcdisc/detail/slices/desired.hpp>
#include <svcdisc/detail/slices/hint_step.hpp>
#include <svcdisc/detail/slices/identity.hpp>
#include <svcdisc/detail/slices/names.hpp>
#include <svcdisc/detail/slices/plan.hpp>
#include <svcdisc/detail/slices/pod_endpoint.hpp>
#include <svcdisc/detail/slices/port_set.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/selector_index.hpp>
#include <svcdisc/service_index.hpp>

/// The state and algorithms behind basic_controller (controller.hpp documents the behaviour).
///
/// Objects live in dense slots found by (namespace, name). A pod event finds the Services that
/// select the pod before or after through the service index and marks (Service, pod) touched;
/// a Service event marks the Service for a full sync. At the end of apply() every touched
/// Service is synced once: a full sync runs the pure derivations over the Service's member pods
/// and reconciles the slices against the existing ones; an incremental sync compares each
/// touched pod's contribution at the start and at the end of the batch and feeds the changed
/// endpoints to the reconciler's planner (plan_address_type), so its cost follows the change,
/// not the Service. Start-of-batch versions of changed pods, Services, Nodes and Endpoints are
/// kept until the sync so that "before" is exact.
namespace svcdisc::detail {

/// Marks a slot whose object did not change in the current batch.
inline constexpr std::uint32_t unchanged_in_batch = 0xFFFF'FFFEU;

template <class String>
class controller_engine {
  public:
    using pod_type = basic_pod<String>;
    using service_type = basic_service<String>;
    using node_type = basic_node<String>;
    using endpoints_type = basic_endpoints<String>;
    using slice_type = basic_endpoint_slice<String>;
    using endpoint_type = basic_endpoint<String>;
    using event_type = basic_watch_event<String>;
    using labels_type = basic_label_set<String>;

    /// One write of the controllers: `handle` is the store id of the Endpoints or slice (ADDED,
    /// MODIFIED) or the index of its last state among the deleted objects (DELETED).
    using change = controller_change;

    explicit controller_engine(controller_options options) : options_(options) {
        if (options_.slices.max_endpoints_per_slice < 1 ||
            options_.slices.max_endpoints_per_slice > max_max_endpoints_per_slice) {
            throw_invalid_argument("svcdisc: max_endpoints_per_slice must be between 1 and 1000");
        }
    }

    // --- loading and events ------------------------------------------------------------------

    void reserve(std::size_t pods, std::size_t services) {
        pods_.reserve(pods);
        services_.reserve(services);
        // A managed Service has one Endpoints object and mostly one slice.
        endpoints_.reserve(services);
        slices_.reserve(services);
    }

    std::optional<event_error> load(basic_watched_object<String> object) {
        if (synced_) {
            return event_error{0, "objects can only be loaded before initial_sync"};
        }
        if (auto problem = std::visit([&](const auto& o) { return problem_of(o); }, object)) {
            return event_error{0, std::move(*problem)};
        }
        if (exists(object)) {
            return event_error{0, describe(object) + " is loaded twice"};
        }
        std::visit([&](auto& o) { insert_loaded(std::move(o)); }, object);
        return std::nullopt;
    }

    std::optional<event_error> load(slice_type slice) {
        if (synced_) {
            return event_error{0, "objects can only be loaded before initial_sync"};
        }
        if (auto problem = object_meta_problem(slice.metadata, true, false)) {
            return event_error{0, "EndpointSlice " +
                                      go_quote(std::string_view(slice.metadata.name)) + ": " +
                                      *problem};
        }
        if (slices_.find(slice.metadata.namespace_, slice.metadata.name) != no_id) {
            return event_error{0, "EndpointSlice " +
                                      std::string(std::string_view(slice.metadata.namespace_)) +
                                      "/" + std::string(std::string_view(slice.metadata.name)) +
                                      " is loaded twice"};
        }
        insert_object_slice(std::move(slice));
        return std::nullopt;
    }

    /// Syncs every Service and mirrors every Endpoints object; the changes list every
    /// Endpoints object and slice as ADDED.
    void initial_sync() {
        changes_.clear();
        deleted_endpoints_.clear();
        deleted_slices_.clear();
        // Loaded pods join the identity table at once, in a table sized for them.
        identities_.reserve(pods_.slot_count() * 2,
                            [&](std::uint32_t entry) { return identity_hash_of_entry(entry); });
        std::vector<std::uint32_t> loaded_pods;
        loaded_pods.reserve(pods_.slot_count());
        pods_.for_each_alive_id([&](std::uint32_t id) {
            add_identities(id, pods_[id].pod);
            loaded_pods.push_back(id);
        });
        pod_index_.reserve(loaded_pods.size());
        pod_index_.insert_many(loaded_pods.size(), [&](std::size_t i) {
            const pod_type& p = pods_[loaded_pods[i]].pod;
            return std::tuple<std::uint32_t, std::string_view, const labels_type&>(
                loaded_pods[i], p.metadata.namespace_, p.metadata.labels);
        });
        std::vector<std::uint32_t> order;
        services_.for_each_alive_id([&](std::uint32_t id) { order.push_back(id); });
        std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            const auto& x = services_[a].svc.metadata;
            const auto& y = services_[b].svc.metadata;
            return std::tie(x.namespace_, x.name) < std::tie(y.namespace_, y.name);
        });
        for (const std::uint32_t id : order) {
            services_[id].full = true;
            sync_service(id);
        }
        std::vector<std::uint32_t> hand_written;
        for (std::uint32_t id = 0; id < endpoints_.slot_count(); ++id) {
            if (endpoints_[id].alive && endpoints_[id].service == no_id) {
                hand_written.push_back(id);
            }
        }
        for (const std::uint32_t id : hand_written) {
            sync_mirroring(endpoints_[id].namespace_, endpoints_[id].name);
        }
        end_batch();
        changes_.clear();
        synced_ = true;
        std::vector<std::uint32_t> all_endpoints;
        endpoints_.for_each_alive_id([&](std::uint32_t id) { all_endpoints.push_back(id); });
        std::sort(all_endpoints.begin(), all_endpoints.end(),
                  [&](std::uint32_t a, std::uint32_t b) {
                      return std::tie(endpoints_[a].namespace_, endpoints_[a].name) <
                             std::tie(endpoints_[b].namespace_, endpoints_[b].name);
                  });
        std::vector<std::uint32_t> all_slices;
        slices_.for_each_alive_id([&](std::uint32_t id) { all_slices.push_back(id); });
        std::sort(all_slices.begin(), all_slices.end(), [&](std::uint32_t a, std::uint32_t b) {
            return std::tie(slices_[a].namespace_, slices_[a].name) <
                   std::tie(slices_[b].namespace_, slices_[b].name);
        });
        for (const std::uint32_t id : all_endpoints) {
            changes_.push_back({watch_event_type::added, derived_kind::endpoints_object, id});
        }
        for (const std::uint32_t id : all_slices) {
            changes_.push_back({watch_event_type::added, derived_kind::slice_object, id});
        }
    }

    /// Applies `events` as one batch; on error nothing is applied.
    template <class Events>
    std::optional<event_error> apply(Events&& events) {
        if (!synced_) {
            initial_sync();
        }
        std::size_t index = 0;
        // Everything is checked before anything changes: nothing is ever half-applied.
        std::vector<std::pair<std::uint8_t, std::string>> seen; // (kind, ns/name) in this batch
        for (const event_type& event : events) {
            if (auto problem = check_event(event, seen)) {
                return event_error{index, std::move(*problem)};
            }
            ++index;
        }
        changes_.clear();
        deleted_endpoints_.clear();
        deleted_slices_.clear();
        for (auto&& event : events) {
            if constexpr (std::is_rvalue_reference_v<Events&&> &&
                          !std::is_const_v<std::remove_reference_t<decltype(event)>>) {
                apply_one(event.type, std::move(event.object));
            } else {
                apply_one(event.type, basic_watched_object<String>(event.object));
            }
        }
        sync_dirty();
        end_batch();
        coalesce_changes();
        return std::nullopt;
    }

    [[nodiscard]] std::span<const change> changes() const noexcept { return changes_; }

    // --- queries -----------------------------------------------------------------------------

    [[nodiscard]] const pod_type* find_pod(std::string_view ns, std::string_view name) const {
        const std::uint32_t id = pods_.find(ns, name);
        return id == no_id ? nullptr : &pods_[id].pod;
    }

    [[nodiscard]] const service_type* find_service(std::string_view ns,
                                                   std::string_view name) const {
        const std::uint32_t id = services_.find(ns, name);
        return id == no_id ? nullptr : &services_[id].svc;
    }

    [[nodiscard]] const node_type* find_node(std::string_view name) const {
        const std::uint32_t id = nodes_.find({}, name);
        return id == no_id ? nullptr : &nodes_[id].node;
    }

    [[nodiscard]] std::uint32_t find_endpoints_id(std::string_view ns,
                                                  std::string_view name) const {
        return endpoints_.find(ns, name);
    }

    [[nodiscard]] std::uint32_t find_slice_id(std::string_view ns, std::string_view name) const {
        return slices_.find(ns, name);
    }

    /// The Endpoints object in store slot `id`, materialised (and cached) when derived.
    [[nodiscard]] std::shared_ptr<const endpoints_type> endpoints_object(std::uint32_t id) const {
        const endpoints_slot& e = endpoints_[id];
        std::lock_guard lock(cache_lock(id));
        if (!e.cache) {
            e.cache = std::make_shared<const endpoints_type>(build_endpoints(e, current_view));
        }
        return e.cache;
    }

    /// The EndpointSlice in store slot `id`, materialised (and cached).
    [[nodiscard]] std::shared_ptr<const slice_type> slice_object(std::uint32_t id) const {
        const slice_slot& s = slices_[id];
        if (!s.live) {
            return s.header;
        }
        std::lock_guard lock(cache_lock(id + 0x9E37U));
        if (!s.cache) {
            s.cache = std::make_shared<const slice_type>(build_slice(s, current_view));
        }
        return s.cache;
    }

    [[nodiscard]] const endpoints_type& deleted_endpoints(std::uint32_t index) const {
        return deleted_endpoints_[index];
    }
    [[nodiscard]] const slice_type& deleted_slice(std::uint32_t index) const {
        return deleted_slices_[index];
    }

    template <class Visit>
    void for_each_pod(Visit&& visit) const {
        pods_.for_each_alive_id([&](std::uint32_t id) { visit(pods_[id].pod); });
    }
    template <class Visit>
    void for_each_service(Visit&& visit) const {
        services_.for_each_alive_id([&](std::uint32_t id) { visit(services_[id].svc); });
    }
    template <class Visit>
    void for_each_node(Visit&& visit) const {
        nodes_.for_each_alive_id([&](std::uint32_t id) { visit(nodes_[id].node); });
    }
    /// Store ids of every Endpoints object.
    template <class Visit>
    void for_each_endpoints_id(Visit&& visit) const {
        endpoints_.for_each_alive_id([&](std::uint32_t id) { visit(id); });
    }
    /// Store ids of every EndpointSlice.
    template <class Visit>
    void for_each_slice_id(Visit&& visit) const {
        slices_.for_each_alive_id([&](std::uint32_t id) { visit(id); });
    }
    /// Store ids of the slices labelled for Service `ns/name` by `manager`'s controller.
    [[nodiscard]] std::vector<std::uint32_t>
    slice_ids_of(std::string_view ns, std::string_view name, std::string_view manager) const {
        const auto it = slices_by_service_.find(service_slices_key(manager, ns, name));
        return it == slices_by_service_.end() ? std::vector<std::uint32_t>{} : it->second;
    }

    /// Calls visit(const service_type&) for each Service whose selector picks the pod `ns/name`
    /// (any Service with a selector, managed or not).
    template <class Visit>
    void for_each_service_of_pod(std::string_view ns, std::string_view name, Visit&& visit) const {
        const std::uint32_t pod = pods_.find(ns, name);
        if (pod == no_id) {
            return;
        }
        service_index_.for_each_matching(ns, pods_[pod].pod.metadata.labels,
                                         [&](std::uint32_t sid) { visit(services_[sid].svc); });
    }

    [[nodiscard]] std::string_view namespace_of(const change& c) const {
        return namespace_and_name_of(c).first;
    }
    [[nodiscard]] std::string_view name_of(const change& c) const {
        return namespace_and_name_of(c).second;
    }

    /// The namespace and name of a change's object: from its last state for DELETED, else from
    /// its store slot.
    [[nodiscard]] std::pair<std::string_view, std::string_view>
    namespace_and_name_of(const change& c) const {
        const bool is_endpoints = c.kind == derived_kind::endpoints_object;
        if (c.type == watch_event_type::deleted) {
            const auto& meta = is_endpoints ? deleted_endpoints_[c.handle].metadata
                                            : deleted_slices_[c.handle].metadata;
            return {meta.namespace_, meta.name};
        }
        if (is_endpoints) {
            return {endpoints_[c.handle].namespace_, endpoints_[c.handle].name};
        }
        return {slices_[c.handle].namespace_, slices_[c.handle].name};
    }

    /// Bytes of the controller's own structures: indexes, tables, membership and slice records
    /// (not the objects it stores, nor materialised objects in caches).
    [[nodiscard]] std::size_t own_memory_bytes() const noexcept {
        std::size_t bytes =
            pod_index_.memory_usage().total() + service_index_.memory_usage().total();
        bytes += pods_.overhead_bytes() + services_.overhead_bytes() + nodes_.overhead_bytes() +
                 endpoints_.overhead_bytes() + slices_.overhead_bytes();
        bytes += pods_.slot_count() * (sizeof(pod_slot) - sizeof(pod_type));
        bytes += members_.capacity() * sizeof(member_rec) + member_table_.memory_bytes() +
                 identities_.memory_bytes() + free_members_.capacity() * sizeof(std::uint32_t);
        for (std::uint32_t id = 0; id < services_.slot_count(); ++id) {
            const service_slot& s = services_[id];
            bytes += s.members.capacity() * sizeof(std::uint32_t) +
                     s.touched.capacity() * sizeof(std::uint32_t) +
                     s.tuples.capacity() * sizeof(tuple_rec) +
                     s.groups.capacity() * sizeof(group_rec);
            if (s.order) {
                bytes += s.order->ready.memory_bytes() + s.order->not_ready.memory_bytes();
            }
        }
        for (std::uint32_t id = 0; id < slices_.slot_count(); ++id) {
            bytes += slices_[id].entries.capacity() * sizeof(slice_entry);
        }
        for (const auto& [node, pods] : pods_by_node_) {
            bytes += node.capacity() + pods.capacity() * sizeof(std::uint32_t) + 32;
        }
        return bytes;
    }

  private:
    // --- records -----------------------------------------------------------------------------

    struct pod_slot {
        pod_type pod;
        bool alive = false;
        /// The pod's version at the start of the batch: unchanged_in_batch (the slot holds it),
        /// no_id (it did not exist), or an index into retired_pods_.
        std::uint32_t start = unchanged_in_batch;
    };
    struct pod_key {
        std::pair<std::string_view, std::string_view> operator()(const pod_slot& s) const {
            return {s.pod.metadata.namespace_, s.pod.metadata.name};
        }
    };

    struct node_slot {
        node_type node;
        bool alive = false;
        std::uint32_t start = unchanged_in_batch;
    };
    struct node_key {
        std::pair<std::string_view, std::string_view> operator()(const node_slot& s) const {
            return {{}, s.node.metadata.name};
        }
    };

    /// A port tuple the Service's selected pods register: the number each Service port resolves
    /// to, and how many member pods register it.
    struct tuple_rec {
        std::vector<std::int64_t> numbers;
        std::uint32_t pods = 0;
        std::uint32_t group = no_id;
    };

    /// A port group: the ports (digest order), its key, and per address type the unchanged
    /// slices by fill level and the header new slices start from.
    struct group_rec {
        std::vector<digest128> key;
        std::vector<basic_endpoint_slice_port<String>> ports;
        std::array<unchanged_slices, 2> unchanged;
        std::array<std::shared_ptr<const slice_type>, 2> header;
    };

    /// The addresses of a one-subset Endpoints object in the order truncateEndpoints keeps them
    /// (ready by identity, then not ready by identity): whether an event moves the cut is then
    /// a matter of ranks, not of materialising the object twice.
    struct truncation_order {
        identity_ranks ready;
        identity_ranks not_ready;
    };

    struct service_slot {
        service_type svc;
        bool alive = false;
        std::uint32_t start = unchanged_in_batch;
        /// The controllers maintain it: members, tuples, groups and slices are current.
        bool managed = false;
        /// The next sync recomputes everything (Service changed, or an incremental sync is not
        /// enough).
        bool full = false;
        bool dirty = false;
        /// Someone else wrote its Endpoints object since the last sync.
        bool endpoints_overridden = false;
        std::vector<std::uint32_t> touched;
        std::vector<std::uint32_t> members;
        std::vector<tuple_rec> tuples;
        std::vector<group_rec> groups;
        std::vector<ip_family> families;
        basic_label_set<String> slice_labels;
        std::array<std::uint32_t, 2> slice_count{0, 0};
        /// Per address type, slices whose port set no pod serves (a placeholder).
        std::array<std::vector<std::uint32_t>, 2> groupless;
        std::uint32_t hinted_slices = 0;
        std::uint32_t visible_addresses = 0;
        std::uint32_t multi_tuple = 0;
        /// Kept while the Endpoints object is over capacity with one port tuple.
        std::unique_ptr<truncation_order> order;
    };
    struct service_key {
        std::pair<std::string_view, std::string_view> operator()(const service_slot& s) const {
            return {s.svc.metadata.namespace_, s.svc.metadata.name};
        }
    };

    struct member_rec {
        std::uint32_t service = no_id;
        std::uint32_t pod = no_id;
        std::uint32_t position = 0;
        std::uint32_t tuple = no_id;
        std::array<std::uint32_t, 2> slice{no_id, no_id};
        std::array<std::uint32_t, 2> entry{0, 0};
    };

    struct endpoints_slot {
        String namespace_;
        String name;
        bool alive = false;
        /// The Service whose members the object is derived from, or no_id: then `object` is
        /// the object (hand-written, left behind by an unmanaged Service, or overwritten).
        std::uint32_t service = no_id;
        std::optional<endpoints_type> object;
        /// Labels of a derived object that differ from the derivation's: the Endpoints
        /// controller skipped a write whose only change was the headless label.
        std::optional<basic_label_set<String>> written_labels;
        /// The object at the start of the batch, when it changed in it (existed: has_value).
        bool start_recorded = false;
        std::optional<endpoints_type> start;
        mutable std::shared_ptr<const endpoints_type> cache;
    };
    struct endpoints_key {
        std::pair<std::string_view, std::string_view> operator()(const endpoints_slot& s) const {
            return {s.namespace_, s.name};
        }
    };

    struct slice_entry {
        std::uint32_t member = no_id;
        std::uint32_t frozen = no_id;
    };

    struct slice_slot {
        String namespace_;
        String name;
        bool alive = false;
        /// Built from member pods (the EndpointSlice controller's own, synced); otherwise
        /// `header` is the whole object.
        bool live = false;
        /// Which controller's label it carries (for slices_by_service_).
        std::string manager;
        std::string service_name;
        std::uint32_t service = no_id;
        std::uint8_t type = 0;
        std::uint32_t group = no_id;
        std::shared_ptr<const slice_type> header;
        std::vector<slice_entry> entries;
        std::vector<endpoint_type> frozen;
        mutable std::shared_ptr<const slice_type> cache;
    };
    struct slice_key {
        std::pair<std::string_view, std::string_view> operator()(const slice_slot& s) const {
            return {s.namespace_, s.name};
        }
    };

    /// Which version of the world a materialisation reads.
    enum view_kind : std::uint8_t { current_view, start_view };

    // --- validation ----------------------------------------------------------------------------

    static std::string describe(const basic_watched_object<String>& object) {
        return std::visit(
            [](const auto& o) {
                using T = std::remove_cvref_t<decltype(o)>;
                std::string kind = std::is_same_v<T, pod_type>       ? "pod"
                                   : std::is_same_v<T, service_type> ? "service"
                                   : std::is_same_v<T, node_type>    ? "node"
                                                                     : "endpoints";
                if (std::string_view(o.metadata.namespace_).empty()) {
                    return kind + " " + go_quote(std::string_view(o.metadata.name));
                }
                return kind + " " + std::string(std::string_view(o.metadata.namespace_)) + "/" +
                       std::string(std::string_view(o.metadata.name));
            },
            object);
    }

    template <class Object>
    static std::optional<std::string> problem_of(const Object& o) {
        if (auto problem = object_problem(o)) {
            return describe(basic_watched_object<String>(o)) + ": " + *problem;
        }
        return std::nullopt;
    }

    [[nodiscard]] bool exists(const basic_watched_object<String>& object) const {
        return std::visit(
            [&](const auto& o) {
                using T = std::remove_cvref_t<decltype(o)>;
                const std::string_view ns = o.metadata.namespace_;
                const std::string_view name = o.metadata.name;
                if constexpr (std::is_same_v<T, pod_type>) {
                    return pods_.find(ns, name) != no_id;
                } else if constexpr (std::is_same_v<T, service_type>) {
                    return services_.find(ns, name) != no_id;
                } else if constexpr (std::is_same_v<T, node_type>) {
                    return nodes_.find({}, name) != no_id;
                } else {
                    const std::uint32_t id = endpoints_.find(ns, name);
                    return id != no_id;
                }
            },
            object);
    }

    /// The event's problem, given the events of the batch before it (`seen`: kind and key of
    /// objects that exist after them, or `~` prefixed when they were deleted).
    std::optional<std::string>
    check_event(const event_type& event, std::vector<std::pair<std::uint8_t, std::string>>& seen) {
        if (event.type != watch_event_type::deleted) {
            if (auto problem =
                    std::visit([&](const auto& o) { return problem_of(o); }, event.object)) {
                return problem;
            }
        } else if (auto problem = std::visit(
                       [&](const auto& o) -> std::optional<std::string> {
                           if (std::string_view(o.metadata.name).empty()) {
                               return describe(event.object) + ": metadata.name: Required value";
                           }
                           return std::nullopt;
                       },
                       event.object)) {
            return problem;
        }
        if (!options_.strict) {
            return std::nullopt;
        }
        // Strict: whether the object exists at this point of the batch.
        const auto kind = static_cast<std::uint8_t>(event.object.index());
        const std::string key = std::visit(
            [](const auto& o) {
                return std::string(std::string_view(o.metadata.namespace_)) + '/' +
                       std::string(std::string_view(o.metadata.name));
            },
            event.object);
        bool present = exists(event.object);
        for (const auto& [k, name] : seen) {
            if (k == kind && std::string_view(name).substr(1) == key) {
                present = name.front() == '+';
            }
        }
        if (event.type == watch_event_type::added && present) {
            return describe(event.object) + " already exists (ADDED of a known object)";
        }
        if (event.type != watch_event_type::added && !present) {
            return describe(event.object) + " not found (" + std::string(to_string(event.type)) +
                   " of an unknown object)";
        }
        seen.emplace_back(kind, (event.type == watch_event_type::deleted ? "-" : "+") + key);
        return std::nullopt;
    }

    // --- applying events ---------------------------------------------------------------------

    void apply_one(watch_event_type type, basic_watched_object<String>&& object) {
        std::visit([&](auto& o) { apply_object(type, std::move(o)); }, object);
    }

    // Pods pass by reference down to their slot: each move of a pod moves some twenty strings
    // and vectors.
    void apply_object(watch_event_type type, pod_type&& p) {
        const std::uint32_t id = pods_.find(p.metadata.namespace_, p.metadata.name);
        if (type == watch_event_type::deleted) {
            if (id != no_id) {
                remove_pod(id);
            }
            return;
        }
        if (id == no_id) {
            add_pod(std::move(p));
        } else {
            replace_pod(id, std::move(p));
        }
    }

    void add_pod(pod_type&& p) {
        pod_slot slot;
        slot.pod = std::move(p);
        slot.start = no_id;
        const std::uint32_t id = pods_.insert(std::move(slot));
        batch_pods_.push_back(id);
        const pod_type& stored = pods_[id].pod;
        add_to_node(stored.spec.node_name, id);
        if (!synced_) {
            // Loaded pods join the identity table and the pod index in bulk at initial_sync,
            // which syncs every Service in full: nothing to touch yet.
            return;
        }
        add_identities(id, stored);
        pod_index_.insert(id, stored.metadata.namespace_, stored.metadata.labels);
        touch_services_of(id, stored);
    }

    void replace_pod(std::uint32_t id, pod_type&& p) {
        pod_slot& slot = pods_[id];
        touch_services_of(id, slot.pod);
        const bool labels_changed = slot.pod.metadata.labels != p.metadata.labels;
        if (slot.pod.spec.node_name != p.spec.node_name) {
            remove_from_node(slot.pod.spec.node_name, id);
            add_to_node(p.spec.node_name, id);
        }
        // Identities leave the table while the old pod is still in its slot: retiring it
        // below moves it out.
        const bool same_identities = slot.pod.metadata.uid == p.metadata.uid &&
                                     slot.pod.status.pod_ip == p.status.pod_ip &&
                                     slot.pod.status.pod_ips == p.status.pod_ips;
        if (!same_identities) {
            remove_identities(id, slot.pod);
        }
        if (slot.start == unchanged_in_batch) {
            slot.start = static_cast<std::uint32_t>(retired_pods_.size());
            retired_pods_.push_back(std::move(slot.pod));
            batch_pods_.push_back(id);
        }
        slot.pod = std::move(p);
        if (!same_identities) {
            add_identities(id, slot.pod);
        }
        identities_shared_in_batch_ = identities_shared_in_batch_ || duplicate_identities_ > 0;
        if (labels_changed) {
            // Only new labels can bring the pod under other Services.
            pod_index_.update(id, slot.pod.metadata.labels);
            touch_services_of(id, slot.pod);
        }
    }

    void remove_pod(std::uint32_t id) {
        pod_slot& slot = pods_[id];
        touch_services_of(id, slot.pod);
        remove_identities(id, slot.pod);
        pod_index_.erase(id);
        remove_from_node(slot.pod.spec.node_name, id);
        pods_.erase(id);
        released_pods_.push_back(id);
    }

    // --- address identities ---------------------------------------------------------------

    /// RepackSubsets merges addresses with the same IP and targetRef uid into one. Real pods
    /// never share a uid, but objects without one can share an IP; a batch in which a changed
    /// pod shares an identity with another pod is judged by materialising the object.
    ///
    /// The table holds one entry per (pod, IP): entry = pod id * 2 + the IP's index here.
    template <class Visit>
    static void for_each_identity_ip(const pod_type& p, Visit&& visit) {
        std::uint32_t index = 0;
        if (!std::string_view(p.status.pod_ip).empty()) {
            visit(std::string_view(p.status.pod_ip), index++);
        }
        for (const auto& ip : p.status.pod_ips) {
            if (index < 2 && std::string_view(ip) != std::string_view(p.status.pod_ip)) {
                visit(std::string_view(ip), index++);
            }
        }
    }

    [[nodiscard]] static std::uint64_t identity_hash(const pod_type& p, std::string_view ip) {
        return mix_hash(interner<>::hash(p.metadata.namespace_) ^ (interner<>::hash(ip) * 3U) ^
                        (interner<>::hash(p.metadata.uid) * 5U));
    }

    [[nodiscard]] std::uint64_t identity_hash_of_entry(std::uint32_t entry) const {
        const pod_type& p = pods_[entry >> 1U].pod;
        std::uint64_t hash = 0;
        for_each_identity_ip(p, [&](std::string_view ip, std::uint32_t index) {
            if (index == (entry & 1U)) {
                hash = identity_hash(p, ip);
            }
        });
        return hash;
    }

    /// Whether a pod other than `id` has the identity (namespace, `ip`, uid) of `p`.
    [[nodiscard]] bool identity_shared(std::uint32_t id, const pod_type& p,
                                       std::string_view ip) const {
        const auto same_identity = [&](std::uint32_t entry) {
            if (entry >> 1U == id) {
                return false;
            }
            const pod_type& other = pods_[entry >> 1U].pod;
            bool same_ip = false;
            for_each_identity_ip(other, [&](std::string_view x, std::uint32_t index) {
                same_ip = same_ip || (index == (entry & 1U) && x == ip);
            });
            return same_ip && other.metadata.namespace_ == p.metadata.namespace_ &&
                   other.metadata.uid == p.metadata.uid;
        };
        return identities_.find(identity_hash(p, ip), same_identity) != no_id;
    }

    /// Entries join and leave the table; duplicate_identities_ counts the entries beyond the
    /// first of each identity.
    void add_identities(std::uint32_t id, const pod_type& p) {
        for_each_identity_ip(p, [&](std::string_view ip, std::uint32_t index) {
            duplicate_identities_ += identity_shared(id, p, ip) ? 1U : 0U;
            identities_.insert(identity_hash(p, ip), id * 2U + index,
                               [&](std::uint32_t entry) { return identity_hash_of_entry(entry); });
        });
        identities_shared_in_batch_ = identities_shared_in_batch_ || duplicate_identities_ > 0;
    }

    void remove_identities(std::uint32_t id, const pod_type& p) {
        identities_shared_in_batch_ = identities_shared_in_batch_ || duplicate_identities_ > 0;
        for_each_identity_ip(p, [&](std::string_view ip, std::uint32_t index) {
            duplicate_identities_ -= identity_shared(id, p, ip) ? 1U : 0U;
            identities_.erase(identity_hash(p, ip), id * 2U + index,
                              [&](std::uint32_t entry) { return identity_hash_of_entry(entry); });
        });
    }

    /// Marks (Service, pod) touched for every managed Service whose selector picks `p`.
    void touch_services_of(std::uint32_t pod, const pod_type& p) {
        service_index_.for_each_matching(p.metadata.namespace_, p.metadata.labels,
                                         [&](std::uint32_t sid) {
                                             service_slot& s = services_[sid];
                                             if (!s.managed || s.full) {
                                                 // Unmanaged: nothing to follow. Due for a full
                                                 // sync: it is dirty already.
                                                 return;
                                             }
                                             if (s.touched.empty() || s.touched.back() != pod) {
                                                 s.touched.push_back(pod);
                                             }
                                             mark_dirty(sid);
                                         });
    }

    void mark_dirty(std::uint32_t sid) {
        service_slot& s = services_[sid];
        if (!s.dirty) {
            s.dirty = true;
            dirty_.push_back(sid);
        }
    }

    void add_to_node(std::string_view node, std::uint32_t pod) {
        if (node.empty()) {
            return;
        }
        auto it = pods_by_node_.find(node);
        if (it == pods_by_node_.end()) {
            it = pods_by_node_.emplace(std::string(node), std::vector<std::uint32_t>{}).first;
        }
        it->second.push_back(pod);
    }

    void remove_from_node(std::string_view node, std::uint32_t pod) {
        if (node.empty()) {
            return;
        }
        const auto it = pods_by_node_.find(node);
        if (it == pods_by_node_.end()) {
            return;
        }
        auto& pods = it->second;
        const auto at = std::find(pods.begin(), pods.end(), pod);
        if (at != pods.end()) {
            *at = pods.back();
            pods.pop_back();
        }
        if (pods.empty()) {
            pods_by_node_.erase(it);
        }
    }

    void apply_object(watch_event_type type, service_type svc) {
        const std::uint32_t id = services_.find(svc.metadata.namespace_, svc.metadata.name);
        mirroring_dirty(svc.metadata.namespace_, svc.metadata.name);
        if (type == watch_event_type::deleted) {
            if (id != no_id) {
                remove_service(id);
            }
            return;
        }
        if (id == no_id) {
            service_slot slot;
            slot.svc = std::move(svc);
            slot.start = no_id;
            slot.full = true;
            const std::uint32_t sid = services_.insert(std::move(slot));
            batch_services_.push_back(sid);
            index_service(sid);
            mark_dirty(sid);
            return;
        }
        service_slot& slot = services_[id];
        if (slot.svc == svc) {
            return;
        }
        if (slot.start == unchanged_in_batch) {
            slot.start = static_cast<std::uint32_t>(retired_services_.size());
            retired_services_.push_back(slot.svc);
            batch_services_.push_back(id);
        }
        const bool selector_changed = slot.svc.spec.selector != svc.spec.selector;
        slot.svc = std::move(svc);
        if (selector_changed) {
            service_index_.erase(id);
            index_service(id);
        }
        slot.full = true;
        mark_dirty(id);
    }

    void index_service(std::uint32_t sid) {
        const service_type& svc = services_[sid].svc;
        if (service_has_selector(svc)) {
            service_index_.insert(sid, svc.metadata.namespace_, *svc.spec.selector);
        }
    }

    void remove_service(std::uint32_t sid) {
        service_index_.erase(sid);
        services_.erase(sid);
        mark_dirty(sid);
    }

    void apply_object(watch_event_type type, node_type n) {
        // Auto hints are proportioned over every Node's zone and CPU, so any Node change can
        // move them.
        resync_auto_hint_services();
        const std::uint32_t id = nodes_.find({}, n.metadata.name);
        std::string name(std::string_view(n.metadata.name));
        std::optional<std::optional<std::string_view>> zone_before;
        if (id != no_id) {
            zone_before = node_zone(nodes_[id].node);
        }
        if (type == watch_event_type::deleted) {
            if (id == no_id) {
                return;
            }
            retire_node(id);
            nodes_.erase(id);
            released_nodes_.push_back(id);
            touch_pods_on(name);
            return;
        }
        if (id == no_id) {
            node_slot slot;
            slot.node = std::move(n);
            slot.start = no_id;
            batch_nodes_.push_back(nodes_.insert(std::move(slot)));
            touch_pods_on(name);
            return;
        }
        const bool zone_changed = node_zone(n) != *zone_before;
        retire_node(id);
        nodes_[id].node = std::move(n);
        if (zone_changed) {
            touch_pods_on(name);
        }
    }

    void resync_auto_hint_services() {
        services_.for_each_alive_id([&](std::uint32_t sid) {
            if (topology_mode_auto(services_[sid].svc)) {
                services_[sid].full = true;
                mark_dirty(sid);
            }
        });
    }

    void retire_node(std::uint32_t id) {
        node_slot& slot = nodes_[id];
        if (slot.start == unchanged_in_batch) {
            slot.start = static_cast<std::uint32_t>(retired_nodes_.size());
            retired_nodes_.push_back(slot.node);
            batch_nodes_.push_back(id);
        }
    }

    void touch_pods_on(std::string_view node) {
        const auto it = pods_by_node_.find(node);
        if (it == pods_by_node_.end()) {
            return;
        }
        for (const std::uint32_t pod : it->second) {
            touch_services_of(pod, pods_[pod].pod);
        }
    }

    void apply_object(watch_event_type type, endpoints_type eps) {
        const std::string_view ns = eps.metadata.namespace_;
        const std::string_view name = eps.metadata.name;
        std::uint32_t id = endpoints_.find(ns, name);
        const std::uint32_t sid = services_.find(ns, name);
        const bool managed = sid != no_id && endpoint_controllers_manage(services_[sid].svc) &&
                             services_[sid].managed;
        mirroring_dirty(ns, name);
        if (type == watch_event_type::deleted) {
            if (id == no_id) {
                return;
            }
            record_endpoints_start(id);
            endpoints_.erase(id);
            released_endpoints_.push_back(id);
            if (managed) {
                // The Endpoints controller re-creates what someone deleted (onEndpointsDelete).
                services_[sid].full = true;
                mark_dirty(sid);
            }
            return;
        }
        if (id == no_id) {
            endpoints_slot slot;
            slot.namespace_ = eps.metadata.namespace_;
            slot.name = eps.metadata.name;
            slot.start_recorded = true;
            id = endpoints_.insert(std::move(slot));
        } else {
            record_endpoints_start(id);
        }
        endpoints_slot& slot = endpoints_[id];
        slot.object = std::move(eps);
        slot.cache.reset();
        if (managed) {
            // Written by someone else: the Endpoints controller does not react to updates, but
            // its next sync of the Service writes its own object back if it differs.
            slot.service = sid;
            services_[sid].endpoints_overridden = true;
        } else {
            slot.service = no_id;
        }
        touched_endpoints_.push_back(id);
    }

    void record_endpoints_start(std::uint32_t id) {
        endpoints_slot& slot = endpoints_[id];
        if (!slot.start_recorded) {
            slot.start_recorded = true;
            slot.start = build_endpoints(slot, start_view);
        }
    }

    void mirroring_dirty(std::string_view ns, std::string_view name) {
        mirroring_dirty_.emplace_back(std::string(ns), std::string(name));
    }

    // --- loading ---------------------------------------------------------------------------

    void insert_loaded(pod_type p) { add_pod(std::move(p)); }

    void insert_loaded(service_type svc) {
        service_slot slot;
        slot.svc = std::move(svc);
        slot.start = no_id;
        slot.full = true;
        const std::uint32_t sid = services_.insert(std::move(slot));
        batch_services_.push_back(sid);
        index_service(sid);
    }

    void insert_loaded(node_type n) {
        node_slot slot;
        slot.node = std::move(n);
        slot.start = no_id;
        batch_nodes_.push_back(nodes_.insert(std::move(slot)));
    }

    void insert_loaded(endpoints_type eps) {
        endpoints_slot slot;
        slot.namespace_ = eps.metadata.namespace_;
        slot.name = eps.metadata.name;
        slot.object = std::move(eps);
        endpoints_.insert(std::move(slot));
    }

    void insert_object_slice(slice_type slice) {
        slice_slot slot;
        slot.namespace_ = slice.metadata.namespace_;
        slot.name = slice.metadata.name;
        slot.manager = std::string(
            slice.metadata.labels.find_value(endpoint_slice_keys::managed_by_label).value_or(""));
        slot.service_name = std::string(
            slice.metadata.labels.find_value(endpoint_slice_keys::service_name_label).value_or(""));
        slot.header = std::make_shared<const slice_type>(std::move(slice));
        add_slice_slot(std::move(slot));
    }

    std::uint32_t add_slice_slot(slice_slot slot) {
        const std::string key =
            service_slices_key(slot.manager, slot.namespace_, slot.service_name);
        names_of(slot.namespace_).insert(std::string(std::string_view(slot.name)));
        const std::uint32_t id = slices_.insert(std::move(slot));
        if (!slices_[id].service_name.empty()) {
            slices_by_service_[key].push_back(id);
        }
        return id;
    }

    void remove_slice_slot(std::uint32_t id) {
        slice_slot& slot = slices_[id];
        if (!slot.service_name.empty()) {
            auto it = slices_by_service_.find(
                service_slices_key(slot.manager, slot.namespace_, slot.service_name));
            if (it != slices_by_service_.end()) {
                auto& ids = it->second;
                ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
                if (ids.empty()) {
                    slices_by_service_.erase(it);
                }
            }
        }
        // The name stays taken until the batch ends: the reconcilers of this batch see the
        // slices that existed before it (deletions take effect through garbage collection).
        deleted_names_.emplace_back(std::string(std::string_view(slot.namespace_)),
                                    std::string(std::string_view(slot.name)));
        slices_.erase(id);
        released_slices_.push_back(id);
    }

    /// Frees generated names a sync did not use (they were taken over or never created).
    void release_pending_names() { release_names(pending_name_releases_); }

    void release_names(std::vector<std::pair<std::string, std::string>>& names) {
        for (const auto& [ns, name] : names) {
            if (slices_.find(ns, name) == no_id) {
                names_of(ns).erase(name);
            }
        }
        names.clear();
    }

    static std::string service_slices_key(std::string_view manager, std::string_view ns,
                                          std::string_view name) {
        std::string key(manager);
        key += '\0';
        key += ns;
        key += '\0';
        key += name;
        return key;
    }

    std::set<std::string, std::less<>>& names_of(std::string_view ns) {
        auto it = slice_names_.find(ns);
        if (it == slice_names_.end()) {
            it = slice_names_.emplace(std::string(ns), std::set<std::string, std::less<>>{}).first;
        }
        return it->second;
    }

    // --- the world at the start or at the end of the batch ------------------------------------

    [[nodiscard]] const pod_type* pod_in(std::uint32_t id, view_kind view) const {
        const pod_slot& slot = pods_[id];
        if (view == current_view) {
            return slot.alive ? &slot.pod : nullptr;
        }
        if (slot.start == unchanged_in_batch) {
            return &slot.pod; // deleted in this batch: the slot still holds it
        }
        return slot.start == no_id ? nullptr : &retired_pods_[slot.start];
    }

    [[nodiscard]] const service_type* service_in(std::uint32_t id, view_kind view) const {
        const service_slot& slot = services_[id];
        if (view == current_view) {
            return slot.alive ? &slot.svc : nullptr;
        }
        if (slot.start == unchanged_in_batch) {
            return &slot.svc;
        }
        return slot.start == no_id ? nullptr : &retired_services_[slot.start];
    }

    /// Whether a Node of that name is listed in the given view, and its zone.
    [[nodiscard]] node_presence node_in(std::string_view name, view_kind view) const {
        const node_type* n = nullptr;
        bool found = false;
        if (view == start_view) {
            // A node deleted in this batch: its slot is out of the table but holds its start.
            for (const std::uint32_t released : released_nodes_) {
                const node_slot& slot = nodes_[released];
                if (!found && std::string_view(slot.node.metadata.name) == name) {
                    found = true;
                    n = start_node(slot);
                }
            }
        }
        if (!found) {
            const std::uint32_t id = nodes_.find({}, name);
            if (id != no_id) {
                n = view == start_view ? start_node(nodes_[id]) : &nodes_[id].node;
            }
        }
        if (n != nullptr) {
            return node_presence{true, node_zone(*n)};
        }
        return node_presence{};
    }

    [[nodiscard]] const node_type* start_node(const node_slot& slot) const {
        if (slot.start == unchanged_in_batch) {
            return &slot.node;
        }
        return slot.start == no_id ? nullptr : &retired_nodes_[slot.start];
    }

    // --- materialisation ---------------------------------------------------------------------

    std::mutex& cache_lock(std::uint32_t id) const {
        return cache_locks_[id % cache_locks_.size()];
    }

    /// The member pods of a Service in a view.
    [[nodiscard]] std::vector<const pod_type*> member_pods(const service_slot& s,
                                                           view_kind view) const {
        std::vector<const pod_type*> pods;
        pods.reserve(s.members.size());
        for (const std::uint32_t m : s.members) {
            if (const pod_type* p = pod_in(members_[m].pod, view)) {
                pods.push_back(p);
            }
        }
        return pods;
    }

    [[nodiscard]] endpoints_type build_endpoints(const endpoints_slot& e, view_kind view) const {
        if (e.service == no_id || services_[e.service].endpoints_overridden ||
            !services_[e.service].managed) {
            return e.object ? *e.object : endpoints_type{};
        }
        const service_slot& s = services_[e.service];
        const service_type* svc = service_in(e.service, view);
        if (svc == nullptr) {
            svc = &s.svc;
        }
        auto derived = derive_endpoints(*svc, member_pods(s, view));
        if (!derived) {
            return endpoints_type{};
        }
        if (e.written_labels) {
            derived->metadata.labels = *e.written_labels;
        }
        return std::move(*derived);
    }

    /// One endpoint of a live slice entry, as of the view.
    [[nodiscard]] endpoint_type build_entry(const slice_slot& slot, const slice_entry& entry,
                                            view_kind view) const {
        if (entry.frozen != no_id) {
            return slot.frozen[entry.frozen];
        }
        endpoint_type ep;
        if (entry.member == no_id) {
            return ep;
        }
        const member_rec& m = members_[entry.member];
        const pod_type* p = pod_in(m.pod, view);
        const service_type* svc = service_in(m.service, view);
        if (p == nullptr || svc == nullptr) {
            return ep;
        }
        const slice_pod_facts facts = slice_pod_facts_of(
            *svc, *p, [&](std::string_view node) { return node_in(node, view); },
            options_.slices.node_policy);
        make_slice_endpoint(*p, facts, services_[m.service].families[slot.type], ep);
        return ep;
    }

    [[nodiscard]] slice_type build_slice(const slice_slot& slot, view_kind view) const {
        if (!slot.live) {
            return *slot.header;
        }
        slice_type s = *slot.header;
        s.metadata.name = slot.name;
        s.endpoints.reserve(slot.entries.size());
        for (const slice_entry& entry : slot.entries) {
            s.endpoints.push_back(build_entry(slot, entry, view));
        }
        return s;
    }

    // --- syncing -------------------------------------------------------------------------------

    void sync_dirty() {
        for (std::size_t i = 0; i < dirty_.size(); ++i) {
            sync_service(dirty_[i]);
        }
        std::sort(mirroring_dirty_.begin(), mirroring_dirty_.end());
        mirroring_dirty_.erase(std::unique(mirroring_dirty_.begin(), mirroring_dirty_.end()),
                               mirroring_dirty_.end());
        for (const auto& [ns, name] : mirroring_dirty_) {
            sync_mirroring(ns, name);
        }
        // Hand-written Endpoints changed in the batch.
        for (const std::uint32_t id : touched_endpoints_) {
            report_endpoints(id);
        }
        for (const std::uint32_t id : released_endpoints_) {
            report_endpoints(id);
        }
    }

    /// Reports the change of an Endpoints object whose start was recorded (once).
    void report_endpoints(std::uint32_t id) {
        endpoints_slot& slot = endpoints_[id];
        if (!slot.start_recorded) {
            return;
        }
        slot.start_recorded = false;
        const bool existed = slot.start.has_value();
        if (!slot.alive) {
            if (existed) {
                changes_.push_back({watch_event_type::deleted, derived_kind::endpoints_object,
                                    add_deleted(std::move(*slot.start))});
            }
            slot.start.reset();
            return;
        }
        slot.cache.reset();
        if (!existed) {
            changes_.push_back({watch_event_type::added, derived_kind::endpoints_object, id});
        } else if (*slot.start != build_endpoints(slot, current_view)) {
            changes_.push_back({watch_event_type::modified, derived_kind::endpoints_object, id});
        }
        slot.start.reset();
    }

    std::uint32_t add_deleted(endpoints_type eps) {
        deleted_endpoints_.push_back(std::move(eps));
        return static_cast<std::uint32_t>(deleted_endpoints_.size() - 1);
    }
    std::uint32_t add_deleted(slice_type slice) {
        deleted_slices_.push_back(std::move(slice));
        return static_cast<std::uint32_t>(deleted_slices_.size() - 1);
    }

    void sync_service(std::uint32_t sid) {
        service_slot& s = services_[sid];
        s.dirty = false;
        const service_type* before = service_in(sid, start_view);
        if (!s.alive) {
            drop_service(sid);
            release_pending_names();
            s.touched.clear();
            released_services_.push_back(sid);
            return;
        }
        (void)before;
        if (!endpoint_controllers_manage(s.svc)) {
            if (s.managed) {
                freeze_service(sid);
            }
            s.touched.clear();
            s.full = false;
            return;
        }
        if (s.full || !s.managed || !incremental_sync(sid)) {
            full_sync(sid);
        }
        release_pending_names();
        s.touched.clear();
        s.full = false;
    }

    /// The Service is gone: its Endpoints object goes (the Endpoints controller deletes the
    /// object of that name), its slices with it (garbage collection through their owner).
    void drop_service(std::uint32_t sid) {
        service_slot& s = services_[sid];
        const std::string_view ns = s.svc.metadata.namespace_;
        const std::string_view name = s.svc.metadata.name;
        if (s.managed || s.start != no_id) {
            const std::uint32_t eid = endpoints_.find(ns, name);
            if (eid != no_id) {
                record_endpoints_start(eid);
                endpoints_.erase(eid);
                released_endpoints_.push_back(eid);
                report_endpoints(eid);
            }
            for (const std::uint32_t slice :
                 slice_ids_of(ns, name, endpoint_slice_keys::endpointslice_controller)) {
                const slice_slot& slot = slices_[slice];
                if (slot.service == sid || (!slot.live && owned_by(*slot.header, s.svc))) {
                    changes_.push_back({watch_event_type::deleted, derived_kind::slice_object,
                                        add_deleted(build_slice(slot, start_view))});
                    remove_slice_slot(slice);
                }
            }
        }
        clear_members(sid);
        s.managed = false;
    }

    static bool owned_by(const slice_type& slice, const service_type& svc) {
        return slice_owned_by(slice, svc);
    }

    /// The Service stopped being managed: what it had stays as it was (both syncService return
    /// early), frozen into plain objects so later pod changes do not show through.
    void freeze_service(std::uint32_t sid) {
        service_slot& s = services_[sid];
        const std::uint32_t eid = endpoints_.find(s.svc.metadata.namespace_, s.svc.metadata.name);
        if (eid != no_id && endpoints_[eid].service == sid) {
            endpoints_slot& e = endpoints_[eid];
            if (!e.object || !s.endpoints_overridden) {
                e.object = build_endpoints(e, start_view);
            }
            e.service = no_id;
            e.cache.reset();
        }
        for (const std::uint32_t slice :
             slice_ids_of(s.svc.metadata.namespace_, s.svc.metadata.name,
                          endpoint_slice_keys::endpointslice_controller)) {
            slice_slot& slot = slices_[slice];
            if (slot.live && slot.service == sid) {
                slot.header = std::make_shared<const slice_type>(build_slice(slot, start_view));
                slot.live = false;
                slot.entries.clear();
                slot.frozen.clear();
                slot.service = no_id;
                slot.cache.reset();
            }
        }
        clear_members(sid);
        s.managed = false;
        s.endpoints_overridden = false;
    }

    void clear_members(std::uint32_t sid) {
        service_slot& s = services_[sid];
        for (const std::uint32_t m : s.members) {
            erase_member_rec(m);
        }
        s.members.clear();
        s.tuples.clear();
        s.groups.clear();
        s.slice_count = {0, 0};
        s.groupless = {};
        s.hinted_slices = 0;
        s.visible_addresses = 0;
        s.order.reset();
    }

    // --- members --------------------------------------------------------------------------

    [[nodiscard]] static std::uint64_t member_hash(std::uint32_t service, std::uint32_t pod) {
        return mix_hash((std::uint64_t{service} << 32U) | pod);
    }

    [[nodiscard]] std::uint32_t find_member(std::uint32_t service, std::uint32_t pod) const {
        return member_table_.find(member_hash(service, pod), [&](std::uint32_t m) {
            return members_[m].service == service && members_[m].pod == pod;
        });
    }

    std::uint32_t add_member_rec(std::uint32_t service, std::uint32_t pod) {
        member_rec rec;
        rec.service = service;
        rec.pod = pod;
        const std::uint32_t m = take_slot(members_, free_members_);
        members_[m] = rec;
        member_table_.insert(member_hash(service, pod), m, [&](std::uint32_t other) {
            return member_hash(members_[other].service, members_[other].pod);
        });
        auto& list = services_[service].members;
        members_[m].position = static_cast<std::uint32_t>(list.size());
        list.push_back(m);
        return m;
    }

    /// Removes the record from the table and the free list takes it; the caller removes it from
    /// its Service's member list (or clears the list).
    void erase_member_rec(std::uint32_t m) {
        member_table_.erase(member_hash(members_[m].service, members_[m].pod), m,
                            [&](std::uint32_t other) {
                                return member_hash(members_[other].service, members_[other].pod);
                            });
        members_[m] = member_rec{};
        free_members_.push_back(m);
    }

    void remove_member(std::uint32_t m) {
        service_slot& s = services_[members_[m].service];
        const std::uint32_t position = members_[m].position;
        const std::uint32_t last = s.members.back();
        s.members[position] = last;
        members_[last].position = position;
        s.members.pop_back();
        erase_member_rec(m);
    }

    // --- full sync --------------------------------------------------------------------------

    /// Recomputes a managed Service from scratch with the pure derivations: its members from
    /// the pod index, its Endpoints with derive_endpoints, its slices with
    /// reconcile_endpoint_slices against the slices that exist; then rebuilds the records the
    /// incremental sync works on.
    void full_sync(std::uint32_t sid) {
        service_slot& s = services_[sid];
        const service_type& svc = s.svc;
        const std::string_view ns = svc.metadata.namespace_;
        const std::string_view name = svc.metadata.name;

        // The slices as they are, read before any member changes.
        std::vector<std::uint32_t> slice_ids =
            slice_ids_of(ns, name, endpoint_slice_keys::endpointslice_controller);
        std::vector<slice_type> existing;
        existing.reserve(slice_ids.size());
        for (const std::uint32_t id : slice_ids) {
            existing.push_back(build_slice(slices_[id], start_view));
        }
        const std::uint32_t eid = endpoints_.find(ns, name);
        std::optional<endpoints_type> endpoints_before;
        bool endpoints_existed = false;
        if (eid != no_id) {
            const endpoints_slot& e = endpoints_[eid];
            if (e.start_recorded) {
                endpoints_existed = e.start.has_value();
                endpoints_before = e.start;
            } else {
                endpoints_existed = true;
                endpoints_before = build_endpoints(e, start_view);
            }
        } else {
            for (const std::uint32_t released : released_endpoints_) {
                const endpoints_slot& e = endpoints_[released];
                if (e.start_recorded && std::string_view(e.namespace_) == ns &&
                    std::string_view(e.name) == name) {
                    endpoints_existed = e.start.has_value();
                    endpoints_before = e.start;
                }
            }
        }

        // Members.
        std::vector<std::uint32_t> selected;
        pod_index_.for_each(ns, *svc.spec.selector,
                            [&](std::uint32_t pod) { selected.push_back(pod); });
        std::sort(selected.begin(), selected.end());
        for (std::size_t i = 0; i < s.members.size();) {
            const std::uint32_t m = s.members[i];
            if (!std::binary_search(selected.begin(), selected.end(), members_[m].pod)) {
                remove_member(m);
            } else {
                members_[m].slice = {no_id, no_id};
                members_[m].tuple = no_id;
                ++i;
            }
        }
        for (const std::uint32_t pod : selected) {
            if (find_member(sid, pod) == no_id) {
                add_member_rec(sid, pod);
            }
        }
        s.managed = true;
        const std::vector<const pod_type*> pods = member_pods(s, current_view);

        // Endpoints.
        std::uint32_t endpoints_id = eid;
        if (endpoints_id == no_id) {
            endpoints_slot slot;
            slot.namespace_ = svc.metadata.namespace_;
            slot.name = svc.metadata.name;
            endpoints_id = endpoints_.insert(std::move(slot));
        }
        {
            endpoints_slot& e = endpoints_[endpoints_id];
            e.service = sid;
            e.object.reset();
            e.start_recorded = false;
            e.start.reset();
            e.written_labels.reset();
            e.cache.reset();
            s.endpoints_overridden = false;
            bool write = true;
            if (endpoints_existed && endpoints_before) {
                auto derived = derive_endpoints(svc, pods);
                write = endpoints_need_update(*endpoints_before, *derived);
                if (!write && endpoints_before->metadata.labels != derived->metadata.labels) {
                    e.written_labels = endpoints_before->metadata.labels;
                    derived->metadata.labels = *e.written_labels;
                }
                e.cache = std::make_shared<const endpoints_type>(std::move(*derived));
            }
            // A new object is materialised when it is first asked for.
            if (!endpoints_existed) {
                changes_.push_back(
                    {watch_event_type::added, derived_kind::endpoints_object, endpoints_id});
            } else if (write) {
                changes_.push_back(
                    {watch_event_type::modified, derived_kind::endpoints_object, endpoints_id});
            }
        }

        // Slices.
        std::vector<const node_type*> nodes = nodes_of(pods);
        std::optional<zone_capacity> capacity;
        if (topology_mode_auto(svc)) {
            std::vector<const node_type*> all_nodes;
            nodes_.for_each_alive_id(
                [&](std::uint32_t id) { all_nodes.push_back(&nodes_[id].node); });
            capacity = compute_zone_capacity(all_nodes);
        }
        std::vector<std::string> generated;
        // The pods are the Service's members, found through the pod index.
        auto result =
            reconcile_slices(svc, pods, nodes, existing, names_of(ns), &generated, options_.slices,
                             capacity ? &*capacity : nullptr, pod_selection_known::yes);
        for (std::string& generated_name : generated) {
            pending_name_releases_.emplace_back(std::string(ns), std::move(generated_name));
        }
        std::array<std::vector<change>, 3> slice_changes; // creates, updates, deletes
        for (auto& deleted : result.to_delete) {
            const std::uint32_t id = slices_.find(ns, deleted.metadata.name);
            remove_slice_slot(id);
            slice_changes[2].push_back({watch_event_type::deleted, derived_kind::slice_object,
                                        add_deleted(std::move(deleted))});
        }
        std::vector<std::pair<std::uint32_t, bool>> written; // (slice id, created)
        for (auto& updated : result.to_update) {
            const std::uint32_t id = slices_.find(ns, updated.metadata.name);
            slice_slot& slot = slices_[id];
            // The reconciler turns a placeholder's create into an update of a slice it would
            // delete, which may already be that placeholder: the API server then writes nothing.
            const auto was = std::find_if(existing.begin(), existing.end(), [&](const auto& e) {
                return e.metadata.name == updated.metadata.name;
            });
            const bool changed = was == existing.end() || *was != updated;
            slot.live = false;
            slot.service = no_id;
            slot.entries.clear();
            slot.frozen.clear();
            slot.header = std::make_shared<const slice_type>(std::move(updated));
            slot.cache.reset();
            if (changed) {
                slice_changes[1].push_back(
                    {watch_event_type::modified, derived_kind::slice_object, id});
            }
            written.emplace_back(id, false);
        }
        for (auto& created : result.to_create) {
            slice_slot slot;
            slot.namespace_ = created.metadata.namespace_;
            slot.name = created.metadata.name;
            slot.manager = std::string(endpoint_slice_keys::endpointslice_controller);
            slot.service_name = std::string(name);
            slot.header = std::make_shared<const slice_type>(std::move(created));
            const std::uint32_t id = add_slice_slot(std::move(slot));
            slice_changes[0].push_back({watch_event_type::added, derived_kind::slice_object, id});
            written.emplace_back(id, true);
        }
        for (auto& list : slice_changes) {
            changes_.insert(changes_.end(), list.begin(), list.end());
        }
        rebuild_slice_records(sid, written);
    }

    /// The no-op rule of the Endpoints controller's syncService: a write unless subsets are
    /// equal (targetRef resourceVersions ignored), labels equal (the headless label aside) and
    /// the over-capacity annotation is as the subsets need it.
    static bool endpoints_need_update(const endpoints_type& current, const endpoints_type& wanted) {
        const auto without_ignored = [](std::vector<basic_endpoint_subset<String>> subsets) {
            for (auto& subset : subsets) {
                for (auto* list : {&subset.addresses, &subset.not_ready_addresses}) {
                    for (auto& address : *list) {
                        if (address.target_ref) {
                            address.target_ref->resource_version = String();
                        }
                    }
                }
            }
            return subsets;
        };
        if (without_ignored(current.subsets) != wanted.subsets) {
            return true;
        }
        auto current_labels = current.metadata.labels;
        auto wanted_labels = wanted.metadata.labels;
        current_labels.erase(endpoints_keys::headless_label);
        wanted_labels.erase(endpoints_keys::headless_label);
        if (current_labels != wanted_labels) {
            return true;
        }
        return current.metadata.annotations.find_value(endpoints_keys::over_capacity_annotation) !=
               wanted.metadata.annotations.find_value(endpoints_keys::over_capacity_annotation);
    }

    /// The Nodes the member pods name (what the slice derivation looks up).
    [[nodiscard]] std::vector<const node_type*>
    nodes_of(const std::vector<const pod_type*>& pods) const {
        std::vector<const node_type*> nodes;
        for (const pod_type* p : pods) {
            const std::uint32_t id = nodes_.find({}, p->spec.node_name);
            if (id != no_id) {
                nodes.push_back(&nodes_[id].node);
            }
        }
        std::sort(nodes.begin(), nodes.end());
        nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
        return nodes;
    }

    /// Rebuilds tuples, groups, slice records and member locations of a Service from its
    /// slices as the full sync left them. Slices written by this sync (`written`) are turned
    /// into live records; their endpoints are checked against what the pods give now, and kept
    /// as they are where they differ.
    void rebuild_slice_records(std::uint32_t sid,
                               const std::vector<std::pair<std::uint32_t, bool>>& written) {
        service_slot& s = services_[sid];
        const service_type& svc = s.svc;
        s.tuples.clear();
        s.groups.clear();
        s.families.clear();
        for (const std::string_view type : service_address_types(svc)) {
            s.families.push_back(type == address_type::ipv6 ? ip_family::ipv6 : ip_family::ipv4);
        }
        s.slice_labels = desired_slice_labels(svc);
        s.slice_count = {0, 0};
        s.groupless = {};
        s.hinted_slices = 0;
        s.visible_addresses = 0;
        s.multi_tuple = 0;

        // Tuples and groups from the members.
        std::vector<std::int64_t> numbers(svc.spec.ports.size());
        for (const std::uint32_t m : s.members) {
            const pod_type& p = pods_[members_[m].pod].pod;
            const slice_pod_facts facts = slice_pod_facts_of(
                svc, p, [&](std::string_view node) { return node_in(node, current_view); },
                options_.slices.node_policy, pod_selection_known::yes);
            if (!facts.registers_ports) {
                continue;
            }
            resolve_port_tuple(svc, p, numbers);
            members_[m].tuple = register_tuple(s, numbers);
        }
        rebuild_groups(s);

        // Slice records.
        const std::string_view ns = svc.metadata.namespace_;
        for (const std::uint32_t id :
             slice_ids_of(ns, svc.metadata.name, endpoint_slice_keys::endpointslice_controller)) {
            slice_slot& slot = slices_[id];
            const slice_type& object = *slot.header;
            if (!slot.live && !owned_by(object, svc)) {
                continue;
            }
            const auto family_at = std::find(
                s.families.begin(), s.families.end(),
                std::string_view(object.address_type) == address_type::ipv6 ? ip_family::ipv6
                                                                            : ip_family::ipv4);
            if (family_at == s.families.end()) {
                continue;
            }
            const auto type = static_cast<std::uint8_t>(family_at - s.families.begin());
            const auto written_at = std::find_if(written.begin(), written.end(),
                                                 [&](const auto& w) { return w.first == id; });
            if (!slot.live) {
                // Convert the object into a live record.
                std::shared_ptr<const slice_type> whole = slot.header;
                const bool created = written_at != written.end() && written_at->second;
                slot.live = true;
                slot.entries.clear();
                slot.frozen.clear();
                slice_type header = *whole;
                header.endpoints.clear();
                header.metadata.name = String();
                slot.header = std::make_shared<const slice_type>(std::move(header));
                slot.service = sid;
                slot.type = type;
                for (const endpoint_type& ep : whole->endpoints) {
                    slice_entry entry;
                    entry.member = member_of_endpoint(sid, ep);
                    // A member's live entry carries no hints: a hinted endpoint is kept as
                    // written (hinted Services always take the full sync).
                    if (entry.member == no_id || !created || ep.hints) {
                        const bool same =
                            entry.member != no_id && build_entry_for(entry.member, type) == ep;
                        if (!same) {
                            entry.frozen = static_cast<std::uint32_t>(slot.frozen.size());
                            slot.frozen.push_back(ep);
                        }
                    }
                    slot.entries.push_back(entry);
                }
            }
            slot.type = type;
            const auto group = find_group(s, port_group_key(slot.header->ports));
            slot.group = group ? static_cast<std::uint32_t>(*group) : no_id;
            if (group && *slot.header == *s.groups[*group].header[type]) {
                slot.header = s.groups[*group].header[type];
            }
            if (slot.group == no_id) {
                s.groupless[type].push_back(id);
            }
            slot.cache.reset();
            ++s.slice_count[type];
            if (slice_hinted(slot)) {
                ++s.hinted_slices;
            }
            for (std::uint32_t k = 0; k < slot.entries.size(); ++k) {
                const std::uint32_t m = slot.entries[k].member;
                if (m != no_id) {
                    members_[m].slice[type] = id;
                    members_[m].entry[type] = k;
                }
            }
            if (slot.group != no_id) {
                s.groups[slot.group].unchanged[type].add(id, slot.entries.size(), slot.name);
            }
        }
        s.visible_addresses = count_visible(sid);
        s.order.reset();
        if (s.visible_addresses > endpoints_max_capacity && s.multi_tuple == 1) {
            build_truncation_order(sid);
        }
    }

    [[nodiscard]] bool slice_hinted(const slice_slot& slot) const {
        return std::any_of(slot.frozen.begin(), slot.frozen.end(),
                           [](const endpoint_type& ep) { return ep.hints.has_value(); });
    }

    /// The endpoint the member's pod gives now for address type `type`.
    [[nodiscard]] endpoint_type build_entry_for(std::uint32_t m, std::uint8_t type) const {
        slice_slot probe;
        probe.type = type;
        return build_entry(probe, slice_entry{m, no_id}, current_view);
    }

    /// The member record of the pod an endpoint's targetRef names, or no_id.
    [[nodiscard]] std::uint32_t member_of_endpoint(std::uint32_t sid,
                                                   const endpoint_type& ep) const {
        if (!ep.target_ref || std::string_view(ep.target_ref->kind) != "Pod") {
            return no_id;
        }
        const std::uint32_t pod = pods_.find(ep.target_ref->namespace_, ep.target_ref->name);
        return pod == no_id ? no_id : find_member(sid, pod);
    }

    std::uint32_t register_tuple(service_slot& s, const std::vector<std::int64_t>& numbers) {
        for (std::uint32_t t = 0; t < s.tuples.size(); ++t) {
            if (s.tuples[t].pods > 0 && s.tuples[t].numbers == numbers) {
                ++s.tuples[t].pods;
                return t;
            }
        }
        for (std::uint32_t t = 0; t < s.tuples.size(); ++t) {
            if (s.tuples[t].pods == 0) {
                s.tuples[t].numbers = numbers;
                s.tuples[t].pods = 1;
                return t;
            }
        }
        s.tuples.push_back(tuple_rec{numbers, 1, no_id});
        return static_cast<std::uint32_t>(s.tuples.size() - 1);
    }

    /// The ports of a tuple in digest order and its group key.
    [[nodiscard]] std::pair<std::vector<basic_endpoint_slice_port<String>>, std::vector<digest128>>
    tuple_ports(const service_type& svc, const std::vector<std::int64_t>& numbers) const {
        std::vector<basic_endpoint_slice_port<String>> ports;
        for (std::size_t k = 0; k < numbers.size(); ++k) {
            if (numbers[k] == unresolved_port) {
                continue;
            }
            const auto& service_port = svc.spec.ports[k];
            basic_endpoint_slice_port<String> port;
            port.name = service_port.name;
            port.protocol = service_port.protocol;
            port.port = static_cast<std::int32_t>(numbers[k]);
            port.app_protocol = service_port.app_protocol;
            ports.push_back(std::move(port));
        }
        return sort_ports_by_digest(std::move(ports));
    }

    /// Groups from the registered tuples, sorted by key, with their slice headers.
    void rebuild_groups(service_slot& s) {
        const service_type& svc = s.svc;
        s.multi_tuple = 0;
        for (tuple_rec& t : s.tuples) {
            if (t.pods == 0) {
                t.group = no_id;
                continue;
            }
            auto [ports, key] = tuple_ports(svc, t.numbers);
            const auto at = std::lower_bound(
                s.groups.begin(), s.groups.end(), key,
                [](const group_rec& g, const std::vector<digest128>& k) { return g.key < k; });
            if (at == s.groups.end() || at->key != key) {
                group_rec g;
                g.key = std::move(key);
                g.ports = std::move(ports);
                s.groups.insert(at, std::move(g));
            }
        }
        for (tuple_rec& t : s.tuples) {
            if (t.pods == 0) {
                continue;
            }
            ++s.multi_tuple;
            auto [ports, key] = tuple_ports(svc, t.numbers);
            t.group = static_cast<std::uint32_t>(*find_group(s, key));
        }
        const std::string prefix = generate_name_prefix(svc.metadata.name);
        for (group_rec& g : s.groups) {
            for (std::size_t type = 0; type < s.families.size(); ++type) {
                g.header[type] = std::make_shared<const slice_type>(new_endpoint_slice(
                    svc, prefix, s.slice_labels,
                    s.families[type] == ip_family::ipv6 ? address_type::ipv6 : address_type::ipv4,
                    g.ports));
            }
        }
    }

    [[nodiscard]] static std::optional<std::size_t> find_group(const service_slot& s,
                                                               const std::vector<digest128>& key) {
        const auto at = std::lower_bound(
            s.groups.begin(), s.groups.end(), key,
            [](const group_rec& g, const std::vector<digest128>& k) { return g.key < k; });
        if (at == s.groups.end() || at->key != key) {
            return std::nullopt;
        }
        return static_cast<std::size_t>(at - s.groups.begin());
    }

    /// Addresses the Service's Endpoints object holds (before truncation): members that are in
    /// with an address of the Service's family and at least one resolved port (or none needed).
    [[nodiscard]] std::uint32_t count_visible(std::uint32_t sid) const {
        const service_slot& s = services_[sid];
        std::uint32_t count = 0;
        for (const std::uint32_t m : s.members) {
            if (endpoints_contribution(s.svc, pods_[members_[m].pod].pod, pod_selection_known::yes)
                    .visible) {
                ++count;
            }
        }
        return count;
    }

    // --- incremental sync --------------------------------------------------------------------

    /// What one pod contributes to a Service's Endpoints object (the fields its address and
    /// ports are made of). Equal contributions before and after a change mean the object did
    /// not change because of that pod.
    struct endpoints_contribution_t {
        bool visible = false;
        bool ready = false;
        std::string_view ip;
        std::string_view hostname;
        std::string_view node_name;
        std::string_view uid;
        std::string_view name;
        std::vector<std::int64_t> ports;

        friend bool operator==(const endpoints_contribution_t&,
                               const endpoints_contribution_t&) = default;
        friend auto operator<=>(const endpoints_contribution_t&,
                                const endpoints_contribution_t&) = default;
    };

    /// Whether the addresses that leave the Endpoints are exactly those that join it (a pod
    /// deleted and re-created as it was, in one batch): the object is then the same.
    [[nodiscard]] static bool visible_moves_cancel(
        const std::vector<std::pair<endpoints_contribution_t, endpoints_contribution_t>>& moves) {
        std::vector<const endpoints_contribution_t*> leaving;
        std::vector<const endpoints_contribution_t*> joining;
        for (const auto& [before, after] : moves) {
            if (before.visible) {
                leaving.push_back(&before);
            }
            if (after.visible) {
                joining.push_back(&after);
            }
        }
        if (leaving.size() != joining.size()) {
            return false;
        }
        const auto less = [](const auto* a, const auto* b) { return *a < *b; };
        std::sort(leaving.begin(), leaving.end(), less);
        std::sort(joining.begin(), joining.end(), less);
        return std::equal(leaving.begin(), leaving.end(), joining.begin(),
                          [](const auto* a, const auto* b) { return *a == *b; });
    }

    [[nodiscard]] static endpoints_contribution_t
    endpoints_contribution(const service_type& svc, const pod_type& p,
                           pod_selection_known selected = pod_selection_known::no) {
        endpoints_contribution_t c;
        if ((selected == pod_selection_known::no && !service_selects_pod(svc, p)) ||
            !should_pod_be_in_endpoints(p, svc.spec.publish_not_ready_addresses)) {
            return c;
        }
        const auto address = pod_to_endpoint_address(svc, p);
        if (!address.found()) {
            return c;
        }
        bool any_port = allows_portless_endpoints(svc);
        c.ports.resize(svc.spec.ports.size());
        for (std::size_t k = 0; k < svc.spec.ports.size(); ++k) {
            const auto number = find_target_port(p, svc.spec.ports[k]);
            c.ports[k] = number ? std::int64_t{*number} : unresolved_port;
            any_port = any_port || number.has_value();
        }
        if (!any_port) {
            c.ports.clear();
            return c;
        }
        c.visible = true;
        c.ip = address.ip;
        c.ready = endpoints_address_list(svc, p).ready;
        if (should_set_hostname(p, svc)) {
            c.hostname = p.spec.hostname;
        }
        c.node_name = p.spec.node_name;
        c.uid = p.metadata.uid;
        c.name = p.metadata.name;
        return c;
    }

    /// One touched member's slice side: its endpoint per address type before and after.
    struct slice_delta {
        std::uint32_t pod = no_id;
        std::uint32_t member = no_id;
        std::uint32_t new_tuple = no_id;
        std::uint32_t new_group = no_id;
        bool selected_after = false;
        std::array<std::optional<endpoint_type>, 2> after;
    };

    /// Syncs a Service from the pods touched in this batch only; false when the change needs a
    /// full sync (a port tuple appears or vanishes, so a group might, or hints must be removed).
    bool incremental_sync(std::uint32_t sid) {
        service_slot& s = services_[sid];
        const service_type& svc = s.svc;
        // Hints are recomputed over the whole Service by the reconciler's hint step.
        if (s.endpoints_overridden || hint_step_needed(svc) ||
            (s.hinted_slices > 0 && !service_requests_hints(svc))) {
            return false;
        }
        std::vector<std::uint32_t>& touched = s.touched;
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());

        // 1. What changed, computed before anything is modified.
        bool endpoints_changed = false;
        std::int64_t visible_delta = 0;
        auto& moves = scratch_.moves;
        auto& deltas = scratch_.deltas;
        auto& numbers = scratch_.numbers;
        auto& tuple_pods = scratch_.tuple_pods;
        scratch_.reset();
        numbers.assign(svc.spec.ports.size(), 0);
        for (const tuple_rec& t : s.tuples) {
            tuple_pods.push_back(t.pods);
        }
        for (const std::uint32_t pod : touched) {
            const pod_type* before = pod_in(pod, start_view);
            const pod_type* after = pod_in(pod, current_view);
            const auto c0 =
                before ? endpoints_contribution(svc, *before) : endpoints_contribution_t{};
            const bool selected_after = after != nullptr && service_selects_pod(svc, *after);
            const auto c1 = selected_after
                                ? endpoints_contribution(svc, *after, pod_selection_known::yes)
                                : endpoints_contribution_t{};
            if (c0 != c1 && (c0.visible || c1.visible)) {
                endpoints_changed = true;
                moves.emplace_back(c0, c1);
            }
            visible_delta +=
                static_cast<std::int64_t>(c1.visible) - static_cast<std::int64_t>(c0.visible);

            slice_delta d;
            d.pod = pod;
            d.member = find_member(sid, pod);
            if (d.member != no_id && members_[d.member].tuple != no_id) {
                --tuple_pods[members_[d.member].tuple];
            }
            d.selected_after = selected_after;
            if (d.selected_after) {
                const slice_pod_facts facts = slice_pod_facts_of(
                    svc, *after, [&](std::string_view node) { return node_in(node, current_view); },
                    options_.slices.node_policy, pod_selection_known::yes);
                if (facts.registers_ports) {
                    resolve_port_tuple(svc, *after, numbers);
                    std::uint32_t tuple = no_id;
                    for (std::uint32_t t = 0; t < s.tuples.size(); ++t) {
                        if (s.tuples[t].pods > 0 && s.tuples[t].numbers == numbers) {
                            tuple = t;
                        }
                    }
                    if (tuple == no_id) {
                        return false; // a new port tuple: a group may appear
                    }
                    ++tuple_pods[tuple];
                    d.new_tuple = tuple;
                    d.new_group = s.tuples[tuple].group;
                    if (facts.published) {
                        for (std::size_t type = 0; type < s.families.size(); ++type) {
                            endpoint_type ep;
                            if (make_slice_endpoint(*after, facts, s.families[type], ep)) {
                                d.after[type] = std::move(ep);
                            }
                        }
                    }
                }
            }
            deltas.push_back(std::move(d));
        }
        for (std::size_t t = 0; t < s.tuples.size(); ++t) {
            if (s.tuples[t].pods > 0 && tuple_pods[t] == 0) {
                return false; // a tuple vanishes: its group may vanish
            }
        }
        if (endpoints_changed && moves.size() > 1 && visible_moves_cancel(moves)) {
            endpoints_changed = false;
        }
        const std::int64_t visible_after = std::int64_t{s.visible_addresses} + visible_delta;
        if (endpoints_changed &&
            (identities_shared_in_batch_ ||
             visible_after > static_cast<std::int64_t>(endpoints_max_capacity) ||
             s.visible_addresses > endpoints_max_capacity)) {
            endpoints_changed = ranks_apply(s, moves)
                                    ? truncated_object_changed(*s.order, moves.front())
                                    : materialised_endpoints_changed(sid);
        }

        // 2. Endpoints.
        const std::uint32_t eid = endpoints_.find(svc.metadata.namespace_, svc.metadata.name);
        if (endpoints_changed && eid != no_id) {
            endpoints_[eid].cache.reset();
            endpoints_[eid].written_labels.reset();
            changes_.push_back({watch_event_type::modified, derived_kind::endpoints_object, eid});
        }
        s.visible_addresses = static_cast<std::uint32_t>(visible_after);

        // 3. Newly selected pods become members, then the slices follow.
        for (slice_delta& d : deltas) {
            if (d.member == no_id && d.selected_after) {
                d.member = add_member_rec(sid, d.pod);
            }
        }
        std::array<std::vector<change>, 3> slice_changes; // creates, updates, deletes
        for (std::uint8_t type = 0; type < s.families.size(); ++type) {
            sync_slices(sid, type, deltas, slice_changes);
        }
        for (auto& list : slice_changes) {
            changes_.insert(changes_.end(), list.begin(), list.end());
        }

        // 4. Members and tuples as they are now.
        for (slice_delta& d : deltas) {
            if (d.member == no_id) {
                continue;
            }
            member_rec& m = members_[d.member];
            if (m.tuple != no_id) {
                --s.tuples[m.tuple].pods;
                m.tuple = no_id;
            }
            if (!d.selected_after) {
                remove_member(d.member);
                continue;
            }
            if (d.new_tuple != no_id) {
                m.tuple = d.new_tuple;
                ++s.tuples[d.new_tuple].pods;
            }
        }
        if (s.order) {
            for (const auto& [before, after] : moves) {
                move_in_order(*s.order, before, after);
            }
        }
        if (s.visible_addresses > endpoints_max_capacity && s.multi_tuple == 1 && !s.order) {
            build_truncation_order(sid);
        }
        return true;
    }

    [[nodiscard]] static identity_view identity_of(const endpoints_contribution_t& c) noexcept {
        return identity_view_of(c.ip, c.uid);
    }

    /// Whether the truncation order answers for this sync: one subset (one port tuple), no
    /// merged identities (no two pods shared one at any point of the batch, so no order lists
    /// one twice), and exactly one address that changed.
    [[nodiscard]] bool
    ranks_apply(const service_slot& s,
                const std::vector<std::pair<endpoints_contribution_t, endpoints_contribution_t>>&
                    moves) const noexcept {
        return s.order && s.multi_tuple == 1 && moves.size() == 1 && !identities_shared_in_batch_;
    }

    /// truncateEndpoints on one subset keeps the first `capacity` addresses of the order (all
    /// ready ones when they fit, then not-ready ones; otherwise ready ones only). Moving one
    /// address therefore changes the object exactly when it is inside that window before or
    /// after, or when the object crosses the capacity (the over-capacity annotation).
    [[nodiscard]] static bool truncated_object_changed(
        const truncation_order& order,
        const std::pair<endpoints_contribution_t, endpoints_contribution_t>& move) {
        const auto& [before, after] = move;
        constexpr std::size_t outside = static_cast<std::size_t>(-1);
        const std::size_t length_before = order.ready.size() + order.not_ready.size();
        std::size_t place_before = outside;
        identity_view id_before{};
        if (before.visible) {
            id_before = identity_of(before);
            place_before = before.ready ? order.ready.rank(id_before)
                                        : order.ready.size() + order.not_ready.rank(id_before);
        }
        std::size_t place_after = outside;
        if (after.visible) {
            const identity_view id_after = identity_of(after);
            // Ranks among the other addresses: the moved one no longer counts.
            const bool left_before = before.visible && identity_less(id_before, id_after);
            const std::size_t ready_others = order.ready.size() - (before.visible && before.ready);
            place_after = after.ready ? order.ready.rank(id_after) - (left_before && before.ready)
                                      : ready_others + order.not_ready.rank(id_after) -
                                            (left_before && !before.ready);
        }
        const std::size_t length_after = length_before - before.visible + after.visible;
        return (length_before > endpoints_max_capacity) !=
                   (length_after > endpoints_max_capacity) ||
               place_before < endpoints_max_capacity || place_after < endpoints_max_capacity;
    }

    static void move_in_order(truncation_order& order, const endpoints_contribution_t& before,
                              const endpoints_contribution_t& after) {
        if (before.visible) {
            (before.ready ? order.ready : order.not_ready).erase(identity_of(before));
        }
        if (after.visible) {
            (after.ready ? order.ready : order.not_ready).insert(identity_of(after));
        }
    }

    /// The truncation order of a Service from its members as they are now.
    void build_truncation_order(std::uint32_t sid) {
        service_slot& s = services_[sid];
        std::vector<identity_key> ready;
        std::vector<identity_key> not_ready;
        for (const std::uint32_t m : s.members) {
            const auto c =
                endpoints_contribution(s.svc, pods_[members_[m].pod].pod, pod_selection_known::yes);
            if (c.visible) {
                (c.ready ? ready : not_ready).emplace_back(identity_of(c));
            }
        }
        auto order = std::make_unique<truncation_order>();
        order->ready.assign(std::move(ready));
        order->not_ready.assign(std::move(not_ready));
        s.order = std::move(order);
    }

    /// Whether the Service's Endpoints object changed, by materialising it before and after:
    /// for an object over capacity or with merged identities, where a changed address need
    /// not mean a changed object.
    bool materialised_endpoints_changed(std::uint32_t sid) {
        service_slot& s = services_[sid];
        const std::uint32_t eid = endpoints_.find(s.svc.metadata.namespace_, s.svc.metadata.name);
        if (eid == no_id) {
            return true;
        }
        const endpoints_type before = build_endpoints(endpoints_[eid], start_view);
        std::vector<const pod_type*> pods = member_pods(s, current_view);
        for (const std::uint32_t pod : s.touched) {
            if (find_member(sid, pod) == no_id) {
                if (const pod_type* p = pod_in(pod, current_view)) {
                    pods.push_back(p);
                }
            }
        }
        const auto after = derive_endpoints(s.svc, pods);
        return !after || *after != before;
    }

    /// How a slice entry's endpoint at the start of the batch stands against a new endpoint:
    /// what sync_slices asks of compare_endpoint_identity and endpoints_equal_beyond_identity.
    enum class entry_change : std::uint8_t { identity, beyond_identity, none };

    [[nodiscard]] static entry_change entry_change_between(const endpoint_type& before,
                                                           const endpoint_type& after) {
        if (compare_endpoint_identity(before, after) != 0) {
            return entry_change::identity;
        }
        return endpoints_equal_beyond_identity(before, after) ? entry_change::none
                                                              : entry_change::beyond_identity;
    }

    /// The entry_change of a slice entry against `after`, the endpoint `after_pod` makes now,
    /// read from the pod and node facts the entry's endpoint is made of: rebuilding that
    /// endpoint only to compare it (printing its addresses, copying its strings) costs most of a
    /// pod event's slice work. It is still rebuilt when the pod's IPs changed, since those
    /// compare only as printed, or when the entry is no live member's or `after` no pod's.
    [[nodiscard]] entry_change entry_change_to(const slice_slot& slot, const slice_entry& entry,
                                               const pod_type& after_pod,
                                               const endpoint_type& after) const {
        const auto rebuilt = [&] {
            return entry_change_between(build_entry(slot, entry, start_view), after);
        };
        if (entry.frozen != no_id || entry.member == no_id) {
            return rebuilt();
        }
        const member_rec& m = members_[entry.member];
        const pod_type* before_pod = pod_in(m.pod, start_view);
        const service_type* before_svc = service_in(m.service, start_view);
        const auto text = [](const String& s) { return std::string_view(s); };
        if (before_pod == nullptr || before_svc == nullptr || !after.target_ref ||
            !std::ranges::equal(before_pod->status.pod_ips, after_pod.status.pod_ips, {}, text,
                                text)) {
            return rebuilt();
        }
        // The fields make_slice_endpoint would give the entry's endpoint, compared the way
        // compare_endpoint_identity and endpoints_equal_beyond_identity compare them.
        const slice_pod_facts facts = slice_pod_facts_of(
            *before_svc, *before_pod,
            [&](std::string_view node) { return node_in(node, start_view); },
            options_.slices.node_policy);
        const auto same = [](const std::optional<String>& a, std::optional<std::string_view> b) {
            return a ? b && std::string_view(*a) == *b : !b;
        };
        const auto absent_if_empty = [](std::string_view s) {
            return s.empty() ? std::nullopt : std::optional<std::string_view>(s);
        };
        const std::string_view before_host =
            facts.hostname ? std::string_view(before_pod->spec.hostname) : std::string_view();
        const std::string_view after_host =
            after.hostname ? std::string_view(*after.hostname) : std::string_view();
        if (before_host != after_host ||
            std::string_view(before_pod->metadata.namespace_) !=
                std::string_view(after.target_ref->namespace_) ||
            std::string_view(before_pod->metadata.name) !=
                std::string_view(after.target_ref->name)) {
            return entry_change::identity;
        }
        // Of the reference, kind, apiVersion and fieldPath are make_slice_endpoint's constants.
        const bool equal_beyond =
            same(after.node_name, absent_if_empty(before_pod->spec.node_name)) &&
            same(after.zone, facts.zone) &&
            after.conditions ==
                endpoint_conditions{facts.ready, facts.serving, facts.terminating} &&
            std::string_view(before_pod->metadata.uid) == std::string_view(after.target_ref->uid);
        return equal_beyond ? entry_change::none : entry_change::beyond_identity;
    }

    /// A slice the incremental reconcile changes: entry positions it loses, entry positions
    /// refreshed to the pod's current endpoint, and (for re-created pods) entries that now stand
    /// for another member.
    struct touched_slice {
        std::uint32_t id = no_id;
        std::vector<std::uint32_t> removed;
        std::vector<std::uint32_t> refreshed;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> rebound; // (position, member)
    };

    /// The incremental reconcile of one address type: step 1 from the touched members, the
    /// decisions from plan_address_type, then the plan applied to the records.
    void sync_slices(std::uint32_t sid, std::uint8_t type, std::vector<slice_delta>& deltas,
                     std::array<std::vector<change>, 3>& out) {
        service_slot& s = services_[sid];
        const service_type& svc = s.svc;
        std::vector<touched_slice> touched_slices;
        const auto touched_of = [&](std::uint32_t slice) -> touched_slice& {
            for (auto& t : touched_slices) {
                if (t.id == slice) {
                    return t;
                }
            }
            touched_slice t;
            t.id = slice;
            touched_slices.push_back(std::move(t));
            return touched_slices.back();
        };
        // Per group, the deltas whose endpoint is still to place.
        std::vector<std::vector<std::size_t>> to_place(s.groups.size());
        for (std::size_t i = 0; i < deltas.size(); ++i) {
            const slice_delta& d = deltas[i];
            const std::optional<endpoint_type>& after = d.after[type];
            const std::uint32_t slice = d.member == no_id ? no_id : members_[d.member].slice[type];
            if (slice != no_id) {
                const slice_slot& slot = slices_[slice];
                const std::uint32_t position = members_[d.member].entry[type];
                if (after && slot.group == d.new_group) {
                    const entry_change difference = entry_change_to(
                        slot, slot.entries[position], *pod_in(d.pod, current_view), *after);
                    if (difference != entry_change::identity) {
                        if (difference == entry_change::beyond_identity) {
                            touched_of(slice).refreshed.push_back(position);
                        }
                        continue;
                    }
                }
                touched_of(slice).removed.push_back(position);
            }
            if (after) {
                to_place[d.new_group].push_back(i);
            }
        }
        // A pod deleted and re-created in one batch (another member record, the same identity)
        // keeps its place: the pure reconciler matches endpoints by identity.
        for (auto& t : touched_slices) {
            const slice_slot& slot = slices_[t.id];
            if (slot.group == no_id) {
                continue;
            }
            auto& candidates = to_place[slot.group];
            // Most removals (deleted pods) have nothing to re-bind to: no endpoint to rebuild.
            if (candidates.empty()) {
                continue;
            }
            for (auto it = t.removed.begin(); it != t.removed.end();) {
                const endpoint_type before = build_entry(slot, slot.entries[*it], start_view);
                const auto match =
                    std::find_if(candidates.begin(), candidates.end(), [&](std::size_t i) {
                        return compare_endpoint_identity(before, *deltas[i].after[type]) == 0;
                    });
                if (match == candidates.end()) {
                    ++it;
                    continue;
                }
                t.rebound.emplace_back(*it, deltas[*match].member);
                if (!endpoints_equal_beyond_identity(before, *deltas[*match].after[type])) {
                    t.refreshed.push_back(*it);
                }
                candidates.erase(match);
                it = t.removed.erase(it);
            }
        }
        // A re-bound entry follows its new member at once: every plan keeps it where it is, and
        // the plan may leave its slice untouched.
        for (const touched_slice& t : touched_slices) {
            slice_slot& slot = slices_[t.id];
            for (const auto& [position, member] : t.rebound) {
                const std::uint32_t old = slot.entries[position].member;
                if (members_[old].slice[type] == t.id && members_[old].entry[type] == position) {
                    members_[old].slice[type] = no_id;
                }
                slot.entries[position].member = member;
                members_[member].slice[type] = t.id;
                members_[member].entry[type] = position;
            }
        }
        // Slices of no wanted port group (a placeholder) are deleted by every reconcile,
        // unless the placeholder rule keeps them.
        for (const std::uint32_t id : s.groupless[type]) {
            touched_of(id);
        }
        const bool nothing_to_place =
            std::all_of(to_place.begin(), to_place.end(), [](const auto& v) { return v.empty(); });
        const bool nothing_touched =
            std::all_of(touched_slices.begin(), touched_slices.end(), [](const touched_slice& t) {
                return t.removed.empty() && t.refreshed.empty();
            });
        if (nothing_to_place && nothing_touched && s.groupless[type].size() <= 1) {
            // Nothing changes; a lone placeholder stays (the placeholder rule).
            if (s.groupless[type].empty() || s.slice_count[type] == 1) {
                return;
            }
        }
        for (auto& group : to_place) {
            std::sort(group.begin(), group.end(), [&](std::size_t a, std::size_t b) {
                return endpoint_placement_less(*deltas[a].after[type], *deltas[b].after[type]);
            });
        }
        std::sort(touched_slices.begin(), touched_slices.end(),
                  [&](const touched_slice& a, const touched_slice& b) {
                      return slices_[a.id].name < slices_[b.id].name;
                  });
        // Built only when a touched slice is empty: most syncs never compare with it.
        std::optional<slice_type> placeholder;
        const auto equivalent_placeholder = [&](const slice_slot& slot) {
            if (!slot.entries.empty() || !slot.header->ports.empty()) {
                return false;
            }
            if (!placeholder) {
                placeholder = new_endpoint_slice(svc, generate_name_prefix(svc.metadata.name),
                                                 s.slice_labels, type_name(s, type), {});
            }
            return slot.header->metadata.labels == placeholder->metadata.labels &&
                   slot.header->address_type == placeholder->address_type &&
                   slot.header->metadata.namespace_ == placeholder->metadata.namespace_;
        };
        std::vector<existing_slice_facts> facts;
        for (const touched_slice& t : touched_slices) {
            const slice_slot& slot = slices_[t.id];
            existing_slice_facts f;
            f.handle = t.id;
            f.name = slot.name;
            f.owned = true;
            f.group = slot.group == no_id ? no_group : slot.group;
            f.size = slot.entries.size();
            f.kept = slot.entries.size() - t.removed.size();
            f.endpoint_changed = !t.refreshed.empty();
            f.labels_outdated = slice_labels_outdated(slot.header->metadata.labels, s.slice_labels);
            f.hinted = slice_hinted(slot);
            f.equivalent_placeholder = equivalent_placeholder(slot);
            if (slot.group != no_id) {
                s.groups[slot.group].unchanged[type].remove(slot.entries.size(), slot.name);
            }
            facts.push_back(f);
        }
        std::vector<std::size_t> remaining(s.groups.size());
        for (std::size_t g = 0; g < s.groups.size(); ++g) {
            remaining[g] = to_place[g].size();
        }
        auto& taken = names_of(svc.metadata.namespace_);
        std::vector<std::string> generated;
        const std::string prefix = generate_name_prefix(svc.metadata.name);
        const std::string_view address_type_name = type_name(s, type);
        const slice_plan plan = plan_address_type(
            facts, s.slice_count[type], remaining, options_.slices.max_endpoints_per_slice,
            service_requests_hints(svc), svc.metadata.deletion_timestamp.has_value(),
            [&](std::size_t g) -> unchanged_slices& { return s.groups[g].unchanged[type]; },
            [&](std::size_t g, std::size_t ordinal) {
                static const std::vector<digest128> no_ports;
                std::string name = unique_generated_name(
                    prefix,
                    [&](fnv128a_hasher& hasher, std::size_t attempt) {
                        write_slice_name_identity(
                            hasher, svc.metadata.namespace_, svc.metadata.name, address_type_name,
                            g == no_group ? no_ports : s.groups[g].key, ordinal, attempt);
                    },
                    taken);
                generated.push_back(name);
                return name;
            });
        // Generated names the plan does not use (taken over, or no creates) are free again once
        // the Service's sync ends.
        for (std::string& name : generated) {
            pending_name_releases_.emplace_back(
                std::string(std::string_view(svc.metadata.namespace_)), std::move(name));
        }
        apply_plan(sid, type, plan, touched_slices, to_place, deltas, out);
    }

    [[nodiscard]] static std::string_view type_name(const service_slot& s, std::uint8_t type) {
        return s.families[type] == ip_family::ipv6 ? address_type::ipv6 : address_type::ipv4;
    }

    /// Turns a plan into records: entries removed, refreshed, re-bound and appended; new slices
    /// made; deleted ones reported with their last state.
    void apply_plan(std::uint32_t sid, std::uint8_t type, const slice_plan& plan,
                    const std::vector<touched_slice>& touched_slices,
                    const std::vector<std::vector<std::size_t>>& to_place,
                    const std::vector<slice_delta>& deltas,
                    std::array<std::vector<change>, 3>& out) {
        service_slot& s = services_[sid];
        const service_type& svc = s.svc;
        const auto touched_at = [&](std::uint32_t id) -> const touched_slice* {
            for (const auto& t : touched_slices) {
                if (t.id == id) {
                    return &t;
                }
            }
            return nullptr;
        };
        const auto append = [&](slice_slot& slot, const planned_slice& p) {
            if (p.group == no_group) {
                return;
            }
            for (std::size_t k = 0; k < p.appended; ++k) {
                const slice_delta& d = deltas[to_place[p.group][p.first_appended + k]];
                slot.entries.push_back(slice_entry{d.member, no_id});
            }
        };
        const auto relocate = [&](std::uint32_t id) {
            slice_slot& slot = slices_[id];
            for (std::uint32_t k = 0; k < slot.entries.size(); ++k) {
                if (slot.entries[k].member != no_id) {
                    member_rec& m = members_[slot.entries[k].member];
                    m.slice[type] = id;
                    m.entry[type] = k;
                }
            }
            slot.cache.reset();
            if (slot.group != no_id) {
                s.groups[slot.group].unchanged[type].add(id, slot.entries.size(), slot.name);
            }
        };
        const auto unlink = [&](std::uint32_t id, std::uint32_t position) {
            const std::uint32_t m = slices_[id].entries[position].member;
            if (m != no_id && members_[m].slice[type] == id &&
                members_[m].entry[type] == position) {
                members_[m].slice[type] = no_id;
            }
        };
        const auto fill_new = [&](slice_slot& slot, const planned_slice& p) {
            slot.live = true;
            slot.service = sid;
            slot.type = type;
            slot.entries.clear();
            slot.frozen.clear();
            if (p.group == no_group) {
                const auto group = find_group(s, {});
                slot.group = group ? static_cast<std::uint32_t>(*group) : no_id;
                slot.header = std::make_shared<const slice_type>(
                    new_endpoint_slice(svc, generate_name_prefix(svc.metadata.name), s.slice_labels,
                                       type_name(s, type), {}));
            } else {
                slot.group = static_cast<std::uint32_t>(p.group);
                slot.header = s.groups[p.group].header[type];
            }
            append(slot, p);
        };

        for (const planned_slice& p : plan.updates) {
            auto id = static_cast<std::uint32_t>(p.handle);
            if (p.took_over != no_slice) {
                id = static_cast<std::uint32_t>(p.took_over);
                slice_slot& slot = slices_[id];
                for (std::uint32_t k = 0; k < slot.entries.size(); ++k) {
                    unlink(id, k);
                }
                fill_new(slot, p);
                if (slot.group == no_id) {
                    s.groupless[type].push_back(id);
                } else {
                    std::erase(s.groupless[type], id);
                }
            } else {
                slice_slot& slot = slices_[id];
                if (p.origin == planned_origin::pruned) {
                    const touched_slice* t = touched_at(id);
                    std::vector<std::uint8_t> drop(slot.entries.size(), 0);
                    for (const std::uint32_t position : t->removed) {
                        unlink(id, position);
                        drop[position] = 1;
                    }
                    std::vector<slice_entry> kept;
                    kept.reserve(slot.entries.size() - t->removed.size() + p.appended);
                    for (std::size_t k = 0; k < slot.entries.size(); ++k) {
                        if (drop[k] == 0) {
                            // A pruned slice takes every kept endpoint in its current version.
                            kept.push_back(slice_entry{slot.entries[k].member, no_id});
                        }
                    }
                    slot.entries = std::move(kept);
                    slot.frozen.clear();
                }
                if ((p.origin == planned_origin::pruned ||
                     p.origin == planned_origin::relabelled) &&
                    slot.header->metadata.labels != s.slice_labels) {
                    slice_type header = *slot.header;
                    header.metadata.labels = s.slice_labels;
                    slot.header = std::make_shared<const slice_type>(std::move(header));
                }
                append(slot, p);
            }
            relocate(id);
            out[1].push_back({watch_event_type::modified, derived_kind::slice_object, id});
        }
        for (const planned_slice& p : plan.creates) {
            slice_slot slot;
            slot.namespace_ = svc.metadata.namespace_;
            slot.name = String(std::string_view(p.name));
            slot.manager = std::string(endpoint_slice_keys::endpointslice_controller);
            slot.service_name = std::string(std::string_view(svc.metadata.name));
            fill_new(slot, p);
            const bool groupless = slot.group == no_id;
            const std::uint32_t id = add_slice_slot(std::move(slot));
            if (groupless) {
                s.groupless[type].push_back(id);
            }
            ++s.slice_count[type];
            relocate(id);
            out[0].push_back({watch_event_type::added, derived_kind::slice_object, id});
        }
        for (const std::size_t handle : plan.deletes) {
            const auto id = static_cast<std::uint32_t>(handle);
            slice_slot& slot = slices_[id];
            out[2].push_back({watch_event_type::deleted, derived_kind::slice_object,
                              add_deleted(build_slice(slot, start_view))});
            for (std::uint32_t k = 0; k < slot.entries.size(); ++k) {
                unlink(id, k);
            }
            std::erase(s.groupless[type], id);
            --s.slice_count[type];
            remove_slice_slot(id);
        }
    }

    // --- mirroring ---------------------------------------------------------------------------

    /// One mirroring sync of the Endpoints `ns/name` (mirror_sync) applied to the records.
    void sync_mirroring(std::string_view ns, std::string_view name) {
        const std::uint32_t sid = services_.find(ns, name);
        const std::uint32_t eid = endpoints_.find(ns, name);
        std::optional<endpoints_type> eps;
        if (eid != no_id) {
            eps = build_endpoints(endpoints_[eid], current_view);
        }
        std::vector<std::uint32_t> ids =
            slice_ids_of(ns, name, endpoint_slice_keys::mirroring_controller);
        // The mirroring reconciler reads its slices in the lister's order; svcdisc's is by name.
        std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) {
            return slices_[a].name < slices_[b].name;
        });
        std::vector<std::shared_ptr<const slice_type>> objects;
        std::vector<const slice_type*> mirrored;
        for (const std::uint32_t id : ids) {
            objects.push_back(slice_object(id));
            mirrored.push_back(objects.back().get());
        }
        if (mirrored.empty() && (!eps || sid == no_id)) {
            return;
        }
        const std::set<std::string, std::less<>>& taken = names_of(ns);
        auto result =
            mirror_sync<String>(ns, name, sid == no_id ? nullptr : &services_[sid].svc,
                                eps ? &*eps : nullptr, mirrored, taken, mirroring_options{});
        for (auto& created : result.to_create) {
            slice_slot slot;
            slot.namespace_ = created.metadata.namespace_;
            slot.name = created.metadata.name;
            slot.manager = std::string(endpoint_slice_keys::mirroring_controller);
            slot.service_name = std::string(name);
            slot.header = std::make_shared<const slice_type>(std::move(created));
            const std::uint32_t id = add_slice_slot(std::move(slot));
            changes_.push_back({watch_event_type::added, derived_kind::slice_object, id});
        }
        for (auto& updated : result.to_update) {
            const std::uint32_t id = slices_.find(ns, updated.metadata.name);
            slices_[id].header = std::make_shared<const slice_type>(std::move(updated));
            slices_[id].cache.reset();
            changes_.push_back({watch_event_type::modified, derived_kind::slice_object, id});
        }
        for (auto& deleted : result.to_delete) {
            const std::uint32_t id = slices_.find(ns, deleted.metadata.name);
            remove_slice_slot(id);
            changes_.push_back({watch_event_type::deleted, derived_kind::slice_object,
                                add_deleted(std::move(deleted))});
        }
        release_pending_names();
    }

    // --- end of a batch ---------------------------------------------------------------------

    void end_batch() {
        release_names(deleted_names_);
        for (const std::uint32_t id : released_pods_) {
            pods_.release(id);
        }
        for (const std::uint32_t id : released_nodes_) {
            nodes_.release(id);
        }
        for (const std::uint32_t id : released_services_) {
            services_.release(id);
        }
        for (const std::uint32_t id : released_endpoints_) {
            endpoints_.release(id);
        }
        for (const std::uint32_t id : released_slices_) {
            slices_.release(id);
        }
        reset_starts();
        released_pods_.clear();
        released_nodes_.clear();
        released_services_.clear();
        released_endpoints_.clear();
        released_slices_.clear();
        identities_shared_in_batch_ = duplicate_identities_ > 0;
        retired_pods_.clear();
        retired_nodes_.clear();
        retired_services_.clear();
        dirty_.clear();
        mirroring_dirty_.clear();
        touched_endpoints_.clear();
    }

    /// Every slot changed in the batch goes back to "unchanged": the touched pods, Services
    /// and Nodes are exactly those with a retired version or no start at all.
    void reset_starts() {
        for (const std::uint32_t id : batch_pods_) {
            pods_[id].start = unchanged_in_batch;
        }
        for (const std::uint32_t id : batch_nodes_) {
            nodes_[id].start = unchanged_in_batch;
        }
        for (const std::uint32_t id : batch_services_) {
            services_[id].start = unchanged_in_batch;
        }
        batch_pods_.clear();
        batch_nodes_.clear();
        batch_services_.clear();
    }

    /// At most one change per object: the first change of an object in the batch keeps its
    /// place, typed by whether the object existed at the start and exists at the end.
    void coalesce_changes() {
        const std::size_t n = changes_.size();
        if (n < 2) {
            return;
        }
        // The changes of each object, found by sorting (kind, namespace, name) in place of a
        // search per change, so a batch of many changes costs n log n; the sort is stable,
        // so an object's changes fold in batch order.
        struct object_change {
            derived_kind kind;
            std::string_view namespace_;
            std::string_view name;
            std::size_t index;
        };
        std::vector<object_change> by_object;
        by_object.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            const auto [ns, name] = namespace_and_name_of(changes_[i]);
            by_object.push_back({changes_[i].kind, ns, name, i});
        }
        const auto key = [](const object_change& c) {
            return std::tie(c.kind, c.namespace_, c.name);
        };
        std::stable_sort(
            by_object.begin(), by_object.end(),
            [&](const object_change& a, const object_change& b) { return key(a) < key(b); });
        // An object's one change takes the place of its first.
        std::vector<std::optional<change>> folded(n);
        for (std::size_t first = 0; first < n;) {
            change c = changes_[by_object[first].index];
            std::size_t next = first + 1;
            for (; next < n && key(by_object[next]) == key(by_object[first]); ++next) {
                fold_change(c, changes_[by_object[next].index]);
            }
            folded[by_object[first].index] = c;
            first = next;
        }
        changes_.clear();
        for (const std::optional<change>& c : folded) {
            if (c && !(c->type == watch_event_type::deleted && c->handle == no_id)) {
                changes_.push_back(*c);
            }
        }
    }

    /// Folds a later change `c` of an object into the change `first` its earlier ones made; a
    /// DELETED without handle means "no change at all".
    void fold_change(change& first, const change& c) const {
        const bool existed = first.type != watch_event_type::added;
        const bool exists = c.type != watch_event_type::deleted;
        if (existed && exists) {
            if (first.type == watch_event_type::deleted && same_as_deleted(first, c)) {
                first.handle = no_id; // deleted and re-created as it was: no change
            } else {
                first = {watch_event_type::modified, c.kind, c.handle};
            }
        } else if (!existed && exists) {
            first = {watch_event_type::added, c.kind, c.handle};
        } else if (existed && !exists) {
            // A DELETED carries the object as it was before the batch: one that deleted it
            // first stays (deleted, re-created and deleted again); a MODIFIED gives way to it.
            if (first.type != watch_event_type::deleted) {
                first = c;
            }
        } else {
            first.type = watch_event_type::deleted;
            first.handle = no_id;
        }
    }

    /// Whether `now` (ADDED or MODIFIED) shows the object exactly as the DELETED change `gone`
    /// last had it.
    [[nodiscard]] bool same_as_deleted(const change& gone, const change& now) const {
        if (gone.kind == derived_kind::endpoints_object) {
            return deleted_endpoints_[gone.handle] == *endpoints_object(now.handle);
        }
        return deleted_slices_[gone.handle] == *slice_object(now.handle);
    }

    // --- state -------------------------------------------------------------------------------

    controller_options options_;
    bool synced_ = false;

    keyed_store<pod_slot, pod_key> pods_;
    keyed_store<service_slot, service_key> services_;
    keyed_store<node_slot, node_key> nodes_;
    keyed_store<endpoints_slot, endpoints_key> endpoints_;
    keyed_store<slice_slot, slice_key> slices_;

    basic_selector_index<std::uint32_t> pod_index_;
    basic_service_index<std::uint32_t> service_index_;
    std::unordered_map<std::string, std::vector<std::uint32_t>, transparent_string_hash,
                       std::equal_to<>>
        pods_by_node_;
    std::unordered_map<std::string, std::vector<std::uint32_t>> slices_by_service_;
    std::unordered_map<std::string, std::set<std::string, std::less<>>, transparent_string_hash,
                       std::equal_to<>>
        slice_names_;

    std::vector<member_rec> members_;
    std::vector<std::uint32_t> free_members_;
    index_table<> member_table_;
    /// (pod, IP) entries by (namespace, IP, uid): see for_each_identity_ip.
    index_table<> identities_;
    /// A pod changed in this batch shared an address identity with another pod.
    bool identities_shared_in_batch_ = false;
    /// (pod, IP) entries beyond the first of their identity.
    std::size_t duplicate_identities_ = 0;

    // Batch bookkeeping.
    std::vector<std::uint32_t> dirty_;
    std::vector<std::pair<std::string, std::string>> mirroring_dirty_;
    std::vector<std::uint32_t> touched_endpoints_;
    std::vector<pod_type> retired_pods_;
    std::vector<node_type> retired_nodes_;
    std::vector<service_type> retired_services_;
    std::vector<std::uint32_t> batch_pods_;
    std::vector<std::uint32_t> batch_nodes_;
    /// What incremental_sync works in, kept from one sync to the next so that a pod event
    /// allocates none of it.
    struct incremental_scratch {
        std::vector<std::pair<endpoints_contribution_t, endpoints_contribution_t>> moves;
        std::vector<slice_delta> deltas;
        std::vector<std::int64_t> numbers;
        std::vector<std::uint32_t> tuple_pods;

        /// Empties the buffers; one that a large batch grew is given back rather than kept.
        void reset() {
            constexpr std::size_t kept = 256;
            moves.clear();
            deltas.clear();
            if (moves.capacity() > kept) {
                moves = {};
            }
            if (deltas.capacity() > kept) {
                deltas = {};
            }
            numbers.clear();
            tuple_pods.clear();
        }
    };
    incremental_scratch scratch_;
    std::vector<std::uint32_t> batch_services_;
    std::vector<std::uint32_t> released_pods_;
    std::vector<std::uint32_t> released_nodes_;
    std::vector<std::uint32_t> released_services_;
    std::vector<std::uint32_t> released_endpoints_;
    std::vector<std::uint32_t> released_slices_;

    std::vector<std::pair<std::string, std::string>> pending_name_releases_;
    std::vector<std::pair<std::string, std::string>> deleted_names_;

    std::vector<change> changes_;
    std::vector<endpoints_type> deleted_endpoints_;
    std::vector<slice_type> deleted_slices_;
    mutable std::array<std::mutex, 64> cache_locks_;
};

} // namespace svcdisc::detail
