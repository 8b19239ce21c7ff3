#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>
#include <svcdisc/workloads.hpp>

namespace svcdisc_cli {

/// Where an object came from: a file, a document in it, and its index in a List's items (-1
/// when the document is the object itself).
struct origin {
    std::uint32_t file = 0;
    std::uint32_t document = 0;
    std::int32_t item = -1;
};

/// What `kubectl get pods` shows that the library model does not carry, derived as kubectl's
/// printPod derives it (read/convert/pod.hpp).
struct pod_extra {
    int ready_containers = 0;
    int total_containers = 0;
    std::int64_t restarts = 0;
    /// When a container counted in `restarts` last terminated (seconds since the epoch).
    std::optional<std::int64_t> last_restart;
    std::string status;
    std::string nominated_node;
    int readiness_gates = 0;
    int readiness_gates_true = 0;
};

/// What `kubectl get nodes` shows that the library model does not carry.
struct node_extra {
    bool unschedulable = false;
    std::string kubelet_version;
    std::string os_image;                  ///< status.nodeInfo.osImage
    std::string kernel_version;            ///< status.nodeInfo.kernelVersion
    std::string container_runtime_version; ///< status.nodeInfo.containerRuntimeVersion
    std::string internal_ip;
    std::string external_ip;
};

/// A status condition: its type and status.
struct status_condition {
    std::string type;
    std::string status;
};

/// What `kubectl get` shows of a workload that the library model does not carry: the counts
/// of its status (zero for a manifest without status, as for a new object) and of its pod
/// template, the container images and node selector.
struct workload_extra {
    std::vector<std::string> images;
    svcdisc::label_set node_selector;
    std::int32_t replicas = 0;
    std::int32_t ready_replicas = 0;
    std::int32_t updated_replicas = 0;
    std::int32_t available_replicas = 0;
    std::int32_t desired_number_scheduled = 0;
    std::int32_t current_number_scheduled = 0;
    std::int32_t number_ready = 0;
    std::int32_t updated_number_scheduled = 0;
    std::int32_t number_available = 0;
    std::int32_t succeeded = 0;
    std::optional<std::string> start_time;
    std::optional<std::string> completion_time;
    std::vector<status_condition> conditions;
    std::int32_t active = 0;
    std::optional<std::string> last_schedule_time;
    std::optional<std::string> time_zone;
};

/// A model object, where it was read, and what the model leaves out (none for most kinds).
template <class Object, class Extra = char>
struct entry {
    Object object;
    origin from;
    Extra extra{};
};

/// An object whose controller creates pods from a template.
using workload = std::variant<svcdisc::deployment, svcdisc::replica_set, svcdisc::stateful_set,
                              svcdisc::daemon_set, svcdisc::job, svcdisc::cron_job,
                              svcdisc::replication_controller>;

using workload_entry = entry<workload, workload_extra>;

/// A workload's metadata, whatever its kind.
[[nodiscard]] inline const svcdisc::object_meta& metadata_of(const workload& w) {
    return std::visit(
        [](const auto& object) -> const svcdisc::object_meta& { return object.metadata; }, w);
}

/// An object of the input the API server would refuse, left out of the model: its kind,
/// namespace and name as far as the input gives them, and the positioned error reading it
/// fails with (`FILE:LINE:COL: KIND "NAME" is invalid: ...`, without `error: ` and the excerpt).
struct refused_object {
    std::string kind;
    std::string namespace_;
    std::string name;
    std::string error;
};

/// Everything read from the input, API defaults applied, each kind sorted by namespace and
/// name (the order the API server lists objects in). Pods are kept in one contiguous vector so
/// a namespace's pods are one span.
struct cluster {
    std::vector<svcdisc::pod> pods;
    std::vector<origin> pod_origins;
    std::vector<pod_extra> pod_extras;
    std::vector<entry<svcdisc::service>> services;
    std::vector<entry<svcdisc::endpoints>> endpoints_objects;
    std::vector<entry<svcdisc::endpoint_slice>> slices;
    std::vector<entry<svcdisc::node, node_extra>> nodes;
    /// In input order: they only ever add pods.
    std::vector<workload_entry> workloads;
    /// How many objects asked for each generateName so far (read/convert/objects.hpp).
    std::map<std::string, std::uint32_t> generated_names;
    /// In input order; only filled when invalid objects are left out instead of failing the
    /// read (read_options::leave_out_invalid).
    std::vector<refused_object> refused;
};

/// Receives `-v` notes; may be empty.
using note_function = std::function<void(const std::string&)>;

/// Sorts each kind by namespace and name, as the API server lists objects. An object defined
/// twice keeps its later definition, as a second `kubectl apply` would; `note` hears of each.
void sort_and_deduplicate(cluster& c, const note_function& note);

} // namespace svcdisc_cli
