// The resource kinds `get` lists, with kubectl's columns for each (its table printers in
// k8s.io/kubernetes/pkg/printers/internalversion). Adding a kind: a listing (columns, how to
// list, how to print a derived object) and a row in `kinds` below.

#include <string>
#include <string_view>

#include "commands/get.hpp"
#include "commands/planned_pods.hpp"
#include "print/cells.hpp"
#include "print/objects.hpp"

namespace svcdisc_cli {

namespace {

bool in_scope(std::string_view namespace_, const svcdisc::object_meta& meta) {
    return namespace_.empty() || meta.namespace_ == namespace_;
}

template <class Row>
std::string name_cell(const Row& r, const cell_context&) {
    return r.object->metadata.name;
}

template <class Row>
std::string age_of(const Row& r, const cell_context& context) {
    return age_cell(r.object->metadata.creation_timestamp, context.now);
}

/// Rows for input objects of a namespaced kind.
template <class Entries>
auto list_entries(const Entries& entries, std::string_view namespace_) {
    using object_type = decltype(entries.front().object);
    std::vector<listed<object_type>> rows;
    for (const auto& e : entries) {
        if (in_scope(namespace_, e.object.metadata)) {
            rows.push_back({&e.object, nullptr, e.from});
        }
    }
    return rows;
}

/// Rows for Endpoints or slices as the controllers would leave them.
template <class Shown>
auto list_shown(const std::vector<Shown>& all) {
    using object_type = decltype(all.front().object);
    std::vector<listed<object_type>> rows;
    rows.reserve(all.size());
    for (const auto& e : all) {
        rows.push_back({&e.object, nullptr, e.from});
    }
    return rows;
}

// ------------------------------------------------------------------------------------------
// pods
// ------------------------------------------------------------------------------------------

using pod_row = listed<svcdisc::pod, pod_extra>;

std::vector<pod_row> list_pods(session& s, std::string_view namespace_) {
    std::vector<pod_row> rows;
    for (std::size_t i = 0; i < s.data.pods.size(); ++i) {
        if (in_scope(namespace_, s.data.pods[i].metadata)) {
            const origin& from = s.data.pod_origins[i];
            rows.push_back({&s.data.pods[i], &s.data.pod_extras[i],
                            is_simulated(from) ? std::nullopt : std::optional<origin>(from)});
        }
    }
    return rows;
}

std::string pod_ready(const pod_row& r, const cell_context&) {
    return std::to_string(r.extra->ready_containers) + "/" +
           std::to_string(r.extra->total_containers);
}
std::string pod_status(const pod_row& r, const cell_context&) {
    return or_none(r.extra->status);
}
std::string pod_restarts(const pod_row& r, const cell_context&) {
    return std::to_string(r.extra->restarts);
}
// kubectl's printPod shows status.podIPs[0]; the API server fills podIPs from podIP, so a
// manifest with only podIP shows that.
std::string pod_ip(const pod_row& r, const cell_context&) {
    const auto& status = r.object->status;
    return or_none(status.pod_ips.empty() ? status.pod_ip : status.pod_ips.front());
}
std::string pod_node(const pod_row& r, const cell_context&) {
    return or_none(r.object->spec.node_name);
}
std::string pod_nominated_node(const pod_row& r, const cell_context&) {
    return or_none(r.extra->nominated_node);
}
std::string pod_readiness_gates(const pod_row&, const cell_context&) {
    return "<none>";
}

constexpr column<pod_row> pod_columns[] = {
    {"NAME", name_cell<pod_row>}, {"READY", pod_ready},     {"STATUS", pod_status},
    {"RESTARTS", pod_restarts},   {"AGE", age_of<pod_row>},
};
constexpr column<pod_row> pod_wide_columns[] = {
    {"IP", pod_ip},
    {"NODE", pod_node},
    {"NOMINATED NODE", pod_nominated_node},
    {"READINESS GATES", pod_readiness_gates},
};
constexpr listing<svcdisc::pod, pod_extra> pods{pod_columns, pod_wide_columns, list_pods,
                                                emit_simulated_pod};

// ------------------------------------------------------------------------------------------
// services
// ------------------------------------------------------------------------------------------

using service_row = listed<svcdisc::service>;

std::vector<service_row> list_services(session& s, std::string_view namespace_) {
    return list_entries(s.data.services, namespace_);
}

std::string service_type(const service_row& r, const cell_context&) {
    return r.object->spec.type;
}
std::string service_cluster_ip(const service_row& r, const cell_context&) {
    return service_cluster_ip_cell(*r.object);
}
std::string service_external_ip(const service_row& r, const cell_context& context) {
    return service_external_ip_cell(*r.object, context.wide);
}
std::string service_ports(const service_row& r, const cell_context&) {
    return service_ports_cell(*r.object);
}
std::string service_selector(const service_row& r, const cell_context&) {
    return r.object->spec.selector ? format_labels(*r.object->spec.selector) : "<none>";
}

constexpr column<service_row> service_columns[] = {
    {"NAME", name_cell<service_row>},   {"TYPE", service_type},
    {"CLUSTER-IP", service_cluster_ip}, {"EXTERNAL-IP", service_external_ip},
    {"PORT(S)", service_ports},         {"AGE", age_of<service_row>},
};
constexpr column<service_row> service_wide_columns[] = {{"SELECTOR", service_selector}};
constexpr listing<svcdisc::service> services{service_columns, service_wide_columns, list_services,
                                             nullptr};

// ------------------------------------------------------------------------------------------
// endpoints: derived for Services with a selector, else as read
// ------------------------------------------------------------------------------------------

using endpoints_row = listed<svcdisc::endpoints>;

std::vector<endpoints_row> list_endpoints(session& s, std::string_view namespace_) {
    s.endpoints_list = s.view().endpoints(namespace_);
    return list_shown(s.endpoints_list);
}

std::string endpoints_addresses(const endpoints_row& r, const cell_context&) {
    return endpoints_cell(*r.object);
}

constexpr column<endpoints_row> endpoints_columns[] = {
    {"NAME", name_cell<endpoints_row>},
    {"ENDPOINTS", endpoints_addresses},
    {"AGE", age_of<endpoints_row>},
};
constexpr listing<svcdisc::endpoints> endpoints{
    endpoints_columns, {}, list_endpoints, emit_endpoints};

// ------------------------------------------------------------------------------------------
// endpointslices: derived or mirrored, else as read
// ------------------------------------------------------------------------------------------

using slice_row = listed<svcdisc::endpoint_slice>;

std::vector<slice_row> list_slices(session& s, std::string_view namespace_) {
    s.slice_list = s.view().slices(namespace_);
    return list_shown(s.slice_list);
}

std::string slice_address_type(const slice_row& r, const cell_context&) {
    return r.object->address_type;
}
std::string slice_ports(const slice_row& r, const cell_context&) {
    return slice_ports_cell(*r.object);
}
std::string slice_endpoints(const slice_row& r, const cell_context&) {
    return slice_endpoints_cell(*r.object);
}

constexpr column<slice_row> slice_columns[] = {
    {"NAME", name_cell<slice_row>}, {"ADDRESSTYPE", slice_address_type}, {"PORTS", slice_ports},
    {"ENDPOINTS", slice_endpoints}, {"AGE", age_of<slice_row>},
};
constexpr listing<svcdisc::endpoint_slice> endpoint_slices{
    slice_columns, {}, list_slices, emit_slice};

// ------------------------------------------------------------------------------------------
// nodes
// ------------------------------------------------------------------------------------------

using node_row = listed<svcdisc::node, node_extra>;

std::vector<node_row> list_nodes(session& s, std::string_view) {
    std::vector<node_row> rows;
    for (const auto& e : s.data.nodes) {
        rows.push_back({&e.object, &e.extra, e.from});
    }
    return rows;
}

std::string node_status(const node_row& r, const cell_context&) {
    return node_status_cell(*r.object, r.extra->unschedulable);
}
std::string node_roles(const node_row& r, const cell_context&) {
    return node_roles_cell(*r.object);
}
std::string node_version(const node_row& r, const cell_context&) {
    return r.extra->kubelet_version;
}
std::string node_internal_ip(const node_row& r, const cell_context&) {
    return or_none(r.extra->internal_ip);
}
std::string node_external_ip(const node_row& r, const cell_context&) {
    return or_none(r.extra->external_ip);
}

// printNode shows `<unknown>` for node info the kubelet did not report.
std::string or_unknown(const std::string& text) {
    return text.empty() ? "<unknown>" : text;
}
std::string node_os_image(const node_row& r, const cell_context&) {
    return or_unknown(r.extra->os_image);
}
std::string node_kernel_version(const node_row& r, const cell_context&) {
    return or_unknown(r.extra->kernel_version);
}
std::string node_container_runtime(const node_row& r, const cell_context&) {
    return or_unknown(r.extra->container_runtime_version);
}

constexpr column<node_row> node_columns[] = {
    {"NAME", name_cell<node_row>}, {"STATUS", node_status},   {"ROLES", node_roles},
    {"AGE", age_of<node_row>},     {"VERSION", node_version},
};
constexpr column<node_row> node_wide_columns[] = {
    {"INTERNAL-IP", node_internal_ip},
    {"EXTERNAL-IP", node_external_ip},
    {"OS-IMAGE", node_os_image},
    {"KERNEL-VERSION", node_kernel_version},
    {"CONTAINER-RUNTIME", node_container_runtime},
};
constexpr listing<svcdisc::node, node_extra> nodes{node_columns, node_wide_columns, list_nodes,
                                                   nullptr};

// ------------------------------------------------------------------------------------------
// The table
// ------------------------------------------------------------------------------------------

constexpr std::string_view pod_short[] = {"po"};
constexpr std::string_view service_short[] = {"svc"};
constexpr std::string_view endpoints_short[] = {"ep"};
constexpr std::string_view node_short[] = {"no"};

constexpr bool namespaced = true;
constexpr bool cluster_scoped = false;

const resource_kind kinds[] = {
    {"pods", "pod", pod_short, "", namespaced, list_group<pods>},
    {"services", "service", service_short, "", namespaced, list_group<services>},
    {"endpoints", "endpoints", endpoints_short, "", namespaced, list_group<endpoints>},
    {"endpointslices",
     "endpointslice",
     {},
     "discovery.k8s.io",
     namespaced,
     list_group<endpoint_slices>},
    {"nodes", "node", node_short, "", cluster_scoped, list_group<nodes>},
};

} // namespace

std::span<const resource_kind> resource_kinds() {
    return kinds;
}

} // namespace svcdisc_cli
