#pragma once

#include <string_view>

namespace svcdisc_cli {

/// `kind: List` and the typed lists (PodList, ...).
[[nodiscard]] inline bool is_list_kind(std::string_view kind) {
    return kind.ends_with("List");
}

/// The kind a typed list's items have when they leave theirs out: Pod for PodList, "" for List.
[[nodiscard]] inline std::string_view listed_kind(std::string_view list_kind) {
    return is_list_kind(list_kind) ? list_kind.substr(0, list_kind.size() - 4) : std::string_view{};
}

/// The kinds whose controllers create pods from a template (read/convert/workloads.hpp).
[[nodiscard]] inline bool is_workload_kind(std::string_view kind) {
    return kind == "Deployment" || kind == "ReplicaSet" || kind == "StatefulSet" ||
           kind == "DaemonSet" || kind == "Job" || kind == "CronJob" ||
           kind == "ReplicationController";
}

/// The kinds svcdisc reads (read/convert/objects.hpp); it ignores any other.
[[nodiscard]] inline bool is_read_kind(std::string_view kind) {
    return kind == "Pod" || kind == "Service" || kind == "Endpoints" || kind == "EndpointSlice" ||
           kind == "Node" || is_workload_kind(kind);
}

/// kubectl's `apiVersion` for each kind svcdisc reads.
[[nodiscard]] inline std::string_view api_version_of(std::string_view kind) {
    if (kind == "EndpointSlice") {
        return "discovery.k8s.io/v1";
    }
    if (kind == "Job" || kind == "CronJob") {
        return "batch/v1";
    }
    return is_workload_kind(kind) && kind != "ReplicationController" ? "apps/v1" : "v1";
}

/// Every kind svcdisc reads is namespaced except Node.
[[nodiscard]] inline bool is_namespaced(std::string_view kind) {
    return kind != "Node";
}

} // namespace svcdisc_cli
