#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/controller/engine.hpp>
#include <svcdisc/detail/controller/types.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>

/// The Endpoints, EndpointSlice and EndpointSliceMirroring controllers as one event-driven
/// process (docs/controller.md): watch events of Pods, Services, Endpoints and Nodes in, the
/// Endpoints and EndpointSlice writes the controllers would make out — only real changes, each
/// object equal at every step to what the pure derivations give for the current state.
///
///   basic_controller<String> / controller
///     load(object)                 the initial state (objects that exist before watching)
///     initial_sync()               syncs it; ADDED for every Endpoints object and slice
///     apply(event), apply_batch(events)
///                                  one event, or a batch coalesced into one write per object
///     changes()                    the writes of the last call, in order
///     namespace_of / name_of / endpoints_of / endpoint_slice_of (a change)
///     endpoints(ns, name), endpoint_slices(ns, service), services_for_pod(ns, name, visit)
///     for_each_endpoints / for_each_endpoint_slice / find_pod / find_service / find_node
///   watch_event, watch_event_type, derived_kind, controller_options, event_error
///
/// Cost: a pod event costs the Services that select the pod before or after it (found through a
/// service_index), not the cluster or the Service size; a Service event costs that Service.
/// Thread safety: const members may run concurrently; every other member needs exclusive access.
namespace svcdisc {

/// The controllers as an event-driven process over `String`-based objects.
///
/// Example:
///     svcdisc::controller c;
///     c.load(svc);                       // a Service with selector app=web
///     c.load(pod);                       // a ready pod app=web with an IP
///     c.initial_sync();                  // ADDED Endpoints "web", ADDED slice "web-xxxxx"
///     pod.status.conditions = {{"Ready", "False"}};
///     c.apply({svcdisc::watch_event_type::modified, pod});
///     for (const auto& change : c.changes()) {
///         // MODIFIED Endpoints web (address now not ready), MODIFIED slice web-xxxxx
///     }
template <class String = std::string>
class basic_controller {
    using engine_type = detail::controller_engine<String>;

  public:
    using pod_type = basic_pod<String>;
    using service_type = basic_service<String>;
    using node_type = basic_node<String>;
    using endpoints_type = basic_endpoints<String>;
    using endpoint_slice_type = basic_endpoint_slice<String>;
    using event_type = basic_watch_event<String>;

    /// An empty controller. Throws std::invalid_argument when
    /// `options.slices.max_endpoints_per_slice` is outside 1..1000.
    explicit basic_controller(controller_options options = {}) : engine_(options) {}

    // --- initial state -------------------------------------------------------------------------

    /// Makes room for `pods` pods and `services` Services (and their Endpoints objects and
    /// slices) before they are loaded, so that loading a large initial state does not rehash
    /// the stores' key tables as they grow. Optional: the stores never move what they hold.
    void reserve(std::size_t pods, std::size_t services) { engine_.reserve(pods, services); }

    /// Adds an object of the initial state (a Pod, Service, Endpoints object or Node); an
    /// error when it is invalid, already loaded, or initial_sync has run.
    std::optional<event_error> load(basic_watched_object<String> object) {
        return engine_.load(std::move(object));
    }

    /// Adds an EndpointSlice that exists already (for instance captured from a cluster). The
    /// controllers reconcile against it: a slice whose content is what they would write keeps
    /// its name.
    std::optional<event_error> load(endpoint_slice_type slice) {
        return engine_.load(std::move(slice));
    }

    /// Syncs the loaded state as the controllers' first sync would; changes() then lists every
    /// Endpoints object and EndpointSlice as ADDED, by namespace and name, Endpoints first (as
    /// `kubectl get -w` lists what exists).
    std::span<const controller_change> initial_sync() {
        engine_.initial_sync();
        return changes();
    }

    // --- events --------------------------------------------------------------------------------

    /// Applies one watch event; on error the controller is unchanged. Runs initial_sync first
    /// when it has not run (its listing is not reported then).
    std::optional<event_error> apply(event_type event) {
        std::vector<event_type> batch;
        batch.push_back(std::move(event));
        return engine_.apply(std::move(batch));
    }

    /// apply() for an event type and object.
    template <class Object>
    std::optional<event_error> apply(watch_event_type type, Object object) {
        return apply(event_type{type, basic_watched_object<String>(std::move(object))});
    }

    /// Applies events as one batch, as the controllers' batch period does: every touched
    /// Service is synced once at the end, and changes() holds at most one change per object
    /// (ADDED, MODIFIED or DELETED against the state before the batch). Either every event is
    /// applied or, on the first invalid one, none.
    std::optional<event_error> apply_batch(std::vector<event_type> events) {
        return engine_.apply(std::move(events));
    }

    /// The writes of the last initial_sync, apply or apply_batch: per synced Service (in the
    /// order the batch first touched them) its Endpoints change, then its slices' creations,
    /// updates and deletions; then mirrored slices and hand-written Endpoints.
    [[nodiscard]] std::span<const controller_change> changes() const noexcept {
        return engine_.changes();
    }

    [[nodiscard]] std::string_view namespace_of(const controller_change& c) const {
        return engine_.namespace_of(c);
    }
    [[nodiscard]] std::string_view name_of(const controller_change& c) const {
        return engine_.name_of(c);
    }

    /// The Endpoints object of a change: its state now, or its last state for DELETED.
    [[nodiscard]] std::shared_ptr<const endpoints_type>
    endpoints_of(const controller_change& c) const {
        if (c.type == watch_event_type::deleted) {
            return std::shared_ptr<const endpoints_type>(std::shared_ptr<void>{},
                                                         &engine_.deleted_endpoints(c.handle));
        }
        return engine_.endpoints_object(c.handle);
    }

    /// The EndpointSlice of a change: its state now, or its last state for DELETED.
    [[nodiscard]] std::shared_ptr<const endpoint_slice_type>
    endpoint_slice_of(const controller_change& c) const {
        if (c.type == watch_event_type::deleted) {
            return std::shared_ptr<const endpoint_slice_type>(std::shared_ptr<void>{},
                                                              &engine_.deleted_slice(c.handle));
        }
        return engine_.slice_object(c.handle);
    }

    // --- the current state ----------------------------------------------------------------------

    /// The Endpoints object `ns/name`, or null. Materialised on first request and cached until
    /// it changes (for a derived object: in the exact order the Endpoints controller writes).
    [[nodiscard]] std::shared_ptr<const endpoints_type> endpoints(std::string_view ns,
                                                                  std::string_view name) const {
        const std::uint32_t id = engine_.find_endpoints_id(ns, name);
        return id == detail::no_id ? nullptr : engine_.endpoints_object(id);
    }

    /// The EndpointSlices of Service `ns/service_name` (the EndpointSlice controller's and the
    /// mirrored ones), by name.
    [[nodiscard]] std::vector<std::shared_ptr<const endpoint_slice_type>>
    endpoint_slices(std::string_view ns, std::string_view service_name) const {
        std::vector<std::shared_ptr<const endpoint_slice_type>> slices;
        for (const std::string_view manager : {endpoint_slice_keys::endpointslice_controller,
                                               endpoint_slice_keys::mirroring_controller}) {
            for (const std::uint32_t id : engine_.slice_ids_of(ns, service_name, manager)) {
                slices.push_back(engine_.slice_object(id));
            }
        }
        std::sort(slices.begin(), slices.end(),
                  [](const auto& a, const auto& b) { return a->metadata.name < b->metadata.name; });
        return slices;
    }

    /// The EndpointSlice `ns/name`, or null.
    [[nodiscard]] std::shared_ptr<const endpoint_slice_type>
    endpoint_slice(std::string_view ns, std::string_view name) const {
        const std::uint32_t id = engine_.find_slice_id(ns, name);
        return id == detail::no_id ? nullptr : engine_.slice_object(id);
    }

    /// Calls visit(std::shared_ptr<const endpoints_type>) for every Endpoints object.
    template <class Visit>
    void for_each_endpoints(Visit&& visit) const {
        engine_.for_each_endpoints_id(
            [&](std::uint32_t id) { visit(engine_.endpoints_object(id)); });
    }

    /// Calls visit(std::shared_ptr<const endpoint_slice_type>) for every EndpointSlice.
    template <class Visit>
    void for_each_endpoint_slice(Visit&& visit) const {
        engine_.for_each_slice_id([&](std::uint32_t id) { visit(engine_.slice_object(id)); });
    }

    /// Calls visit(const service_type&) for every Service whose selector picks pod `ns/name`,
    /// found through the service index.
    template <class Visit>
    void services_for_pod(std::string_view ns, std::string_view name, Visit&& visit) const {
        engine_.for_each_service_of_pod(ns, name, visit);
    }

    [[nodiscard]] const pod_type* find_pod(std::string_view ns, std::string_view name) const {
        return engine_.find_pod(ns, name);
    }
    [[nodiscard]] const service_type* find_service(std::string_view ns,
                                                   std::string_view name) const {
        return engine_.find_service(ns, name);
    }
    [[nodiscard]] const node_type* find_node(std::string_view name) const {
        return engine_.find_node(name);
    }
    template <class Visit>
    void for_each_pod(Visit&& visit) const {
        engine_.for_each_pod(visit);
    }
    template <class Visit>
    void for_each_service(Visit&& visit) const {
        engine_.for_each_service(visit);
    }
    template <class Visit>
    void for_each_node(Visit&& visit) const {
        engine_.for_each_node(visit);
    }

    /// Bytes of the controller's own structures (indexes, tables, membership and slice
    /// records), not counting the objects it holds or materialised copies.
    [[nodiscard]] std::size_t memory_usage() const noexcept { return engine_.own_memory_bytes(); }

  private:
    engine_type engine_;
};

/// The controller over std::string objects.
using controller = basic_controller<std::string>;

} // namespace svcdisc
