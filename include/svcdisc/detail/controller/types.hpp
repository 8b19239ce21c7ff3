#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <svcdisc/detail/slices/types.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

/// The controller's input and output vocabulary (controller.hpp documents it), below its engine.
namespace svcdisc {

/// The type of a watch event, as the API server's watch and `kubectl get -w
/// --output-watch-events` name it.
enum class watch_event_type : std::uint8_t {
    added,
    modified,
    deleted,
};

/// "ADDED", "MODIFIED" or "DELETED".
[[nodiscard]] constexpr std::string_view to_string(watch_event_type type) noexcept {
    switch (type) {
    case watch_event_type::added:
        return "ADDED";
    case watch_event_type::modified:
        return "MODIFIED";
    case watch_event_type::deleted:
        break;
    }
    return "DELETED";
}

/// The watch event type spelled `text` ("ADDED", "MODIFIED", "DELETED"), or nullopt.
[[nodiscard]] constexpr std::optional<watch_event_type>
parse_watch_event_type(std::string_view text) noexcept {
    if (text == "ADDED") {
        return watch_event_type::added;
    }
    if (text == "MODIFIED") {
        return watch_event_type::modified;
    }
    if (text == "DELETED") {
        return watch_event_type::deleted;
    }
    return std::nullopt;
}

/// An object the controllers watch: a Pod, a Service, an Endpoints object or a Node.
template <class String>
using basic_watched_object = std::variant<basic_pod<String>, basic_service<String>,
                                          basic_endpoints<String>, basic_node<String>>;

/// One watch event in Kubernetes' shape: its type and the object (for DELETED, the object's last
/// state; only its namespace and name are read).
template <class String>
struct basic_watch_event {
    watch_event_type type = watch_event_type::added;
    basic_watched_object<String> object;
};

using watched_object = basic_watched_object<std::string>;
using watch_event = basic_watch_event<std::string>;

/// The kind of object a controller change is about.
enum class derived_kind : std::uint8_t {
    endpoints_object,
    slice_object,
};

/// One write of the controllers, as a watcher of Endpoints and EndpointSlices sees it. Valid
/// until the next call that changes the controller.
struct controller_change {
    watch_event_type type = watch_event_type::added;
    derived_kind kind = derived_kind::endpoints_object;
    /// The controller's handle of the object (for DELETED: of its last state).
    std::uint32_t handle = 0;
};

/// Settings of the controller.
///
/// Example:
///     svcdisc::controller_options options;
///     options.slices.max_endpoints_per_slice = 500;
///     options.strict = true;
struct controller_options {
    /// maxEndpointsPerSlice and the node policy, as for derive_endpoint_slices.
    endpoint_slice_options slices;
    /// By default events the way an informer's cache takes them: ADDED of a known object
    /// replaces it, MODIFIED of an unknown object adds it, DELETED of an unknown object does
    /// nothing. With `strict` each of the three is refused with an error instead.
    bool strict = false;
};

/// Why an event was refused; the controller is then exactly as before the call.
struct event_error {
    /// Position of the refused event in the batch (0 for a single event).
    std::size_t index = 0;
    std::string message;

    friend bool operator==(const event_error&, const event_error&) = default;
};

} // namespace svcdisc
