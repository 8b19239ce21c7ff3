// The resource kinds `get` lists, with kubectl's columns for each (its table printers in
// k8s.io/kubernetes/pkg/printers/internalversion). Adding a kind: a listing (columns, how to
// list, how to print a derived object) and a row in `kinds` below.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include <svcdisc/label_selector.hpp>
#include <svcdisc/workloads.hpp>

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

/// A workload's pod template, whatever its kind (none for a ReplicationController without).
template <class Object>
const svcdisc::pod_template_spec& pod_template_of(const Object& object) {
    if constexpr (requires { object.spec.job_template; }) {
        return object.spec.job_template.spec.template_;
    } else if constexpr (requires { *object.spec.template_; }) {
        static const svcdisc::pod_template_spec none;
        return object.spec.template_ ? *object.spec.template_ : none;
    } else {
        return object.spec.template_;
    }
}

/// A workload's label selector, whatever its kind.
template <class Object>
const std::optional<svcdisc::label_selector_spec>& selector_of(const Object& object) {
    if constexpr (requires { object.spec.job_template; }) {
        return object.spec.job_template.spec.selector;
    } else {
        return object.spec.selector;
    }
}

/// metav1.LabelSelectorAsSelector(...).String(): "" for no selector.
std::string selector_text(const std::optional<svcdisc::label_selector_spec>& spec) {
    if (!spec) {
        return "";
    }
    const auto selector = svcdisc::to_label_selector(*spec);
    return selector ? svcdisc::to_string(*selector) : "<error>";
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
    using object_type = std::remove_cvref_t<decltype(all.front().object())>;
    std::vector<listed<object_type>> rows;
    rows.reserve(all.size());
    for (const auto& e : all) {
        rows.push_back({&e.object(), nullptr, e.from()});
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
// printPod adds when a container last restarted, from its last termination.
std::string pod_restarts(const pod_row& r, const cell_context& context) {
    std::string count = std::to_string(r.extra->restarts);
    if (r.extra->restarts == 0 || !r.extra->last_restart) {
        return count;
    }
    return count + " (" + duration_cell(context.now - *r.extra->last_restart) + " ago)";
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
std::string pod_readiness_gates(const pod_row& r, const cell_context&) {
    if (r.extra->readiness_gates == 0) {
        return "<none>";
    }
    return std::to_string(r.extra->readiness_gates_true) + "/" +
           std::to_string(r.extra->readiness_gates);
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
// workloads: as read, with the status counts of the manifest (printDeployment and siblings)
// ------------------------------------------------------------------------------------------

/// The input's workloads of kind `Object` in the API server's order; a workload defined twice
/// keeps its later definition, as a second `kubectl apply` would.
template <class Object>
std::vector<listed<Object, workload_extra>> list_workloads(session& s,
                                                           std::string_view namespace_) {
    std::vector<listed<Object, workload_extra>> rows;
    for (const auto& e : s.data.workloads) {
        const auto* object = std::get_if<Object>(&e.object);
        if (object != nullptr && in_scope(namespace_, object->metadata)) {
            rows.push_back({object, &e.extra, e.from});
        }
    }
    const auto key = [](const auto& row) {
        return std::tie(row.object->metadata.namespace_, row.object->metadata.name);
    };
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const auto& a, const auto& b) { return key(a) < key(b); });
    std::vector<listed<Object, workload_extra>> kept;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i + 1 == rows.size() || key(rows[i]) != key(rows[i + 1])) {
            kept.push_back(rows[i]);
        }
    }
    return kept;
}

template <class Row>
std::string containers_cell(const Row& r, const cell_context&) {
    std::string out;
    const auto& containers = pod_template_of(*r.object).spec.containers;
    for (std::size_t i = 0; i < containers.size(); ++i) {
        out += (i == 0 ? "" : ",") + containers[i].name;
    }
    return out;
}
template <class Row>
std::string images_cell(const Row& r, const cell_context&) {
    std::string out;
    for (std::size_t i = 0; i < r.extra->images.size(); ++i) {
        out += (i == 0 ? "" : ",") + r.extra->images[i];
    }
    return out;
}
// metav1.FormatLabelSelector: `<none>` for no selector.
template <class Row>
std::string label_selector_cell(const Row& r, const cell_context&) {
    const std::string text = selector_text(selector_of(*r.object));
    return text.empty() ? "<none>" : text;
}
std::string count(std::int64_t n) {
    return std::to_string(n);
}
std::string replicas_of(const std::optional<std::int32_t>& replicas) {
    return count(replicas.value_or(0));
}

// deployments

using deployment_row = listed<svcdisc::deployment, workload_extra>;

std::string deployment_ready(const deployment_row& r, const cell_context&) {
    return count(r.extra->ready_replicas) + "/" + replicas_of(r.object->spec.replicas);
}
std::string deployment_up_to_date(const deployment_row& r, const cell_context&) {
    return count(r.extra->updated_replicas);
}
std::string deployment_available(const deployment_row& r, const cell_context&) {
    return count(r.extra->available_replicas);
}
// printDeployment prints the selector as is, without FormatLabelSelector's `<none>`.
std::string deployment_selector(const deployment_row& r, const cell_context&) {
    return selector_text(r.object->spec.selector);
}

constexpr column<deployment_row> deployment_columns[] = {
    {"NAME", name_cell<deployment_row>},   {"READY", deployment_ready},
    {"UP-TO-DATE", deployment_up_to_date}, {"AVAILABLE", deployment_available},
    {"AGE", age_of<deployment_row>},
};
constexpr column<deployment_row> deployment_wide_columns[] = {
    {"CONTAINERS", containers_cell<deployment_row>},
    {"IMAGES", images_cell<deployment_row>},
    {"SELECTOR", deployment_selector},
};
constexpr listing<svcdisc::deployment, workload_extra> deployments{
    deployment_columns, deployment_wide_columns, list_workloads<svcdisc::deployment>, nullptr};

// replicasets and replicationcontrollers

template <class Row>
std::string desired_replicas(const Row& r, const cell_context&) {
    return replicas_of(r.object->spec.replicas);
}
template <class Row>
std::string current_replicas(const Row& r, const cell_context&) {
    return count(r.extra->replicas);
}
template <class Row>
std::string ready_replicas(const Row& r, const cell_context&) {
    return count(r.extra->ready_replicas);
}

using replica_set_row = listed<svcdisc::replica_set, workload_extra>;

constexpr column<replica_set_row> replica_set_columns[] = {
    {"NAME", name_cell<replica_set_row>},
    {"DESIRED", desired_replicas<replica_set_row>},
    {"CURRENT", current_replicas<replica_set_row>},
    {"READY", ready_replicas<replica_set_row>},
    {"AGE", age_of<replica_set_row>},
};
constexpr column<replica_set_row> replica_set_wide_columns[] = {
    {"CONTAINERS", containers_cell<replica_set_row>},
    {"IMAGES", images_cell<replica_set_row>},
    {"SELECTOR", label_selector_cell<replica_set_row>},
};
constexpr listing<svcdisc::replica_set, workload_extra> replica_sets{
    replica_set_columns, replica_set_wide_columns, list_workloads<svcdisc::replica_set>, nullptr};

using replication_controller_row = listed<svcdisc::replication_controller, workload_extra>;

// A ReplicationController's selector is a plain map (labels.FormatLabels).
std::string replication_controller_selector(const replication_controller_row& r,
                                            const cell_context&) {
    const auto& selector = r.object->spec.selector;
    return selector ? format_labels(*selector) : "<none>";
}

constexpr column<replication_controller_row> replication_controller_columns[] = {
    {"NAME", name_cell<replication_controller_row>},
    {"DESIRED", desired_replicas<replication_controller_row>},
    {"CURRENT", current_replicas<replication_controller_row>},
    {"READY", ready_replicas<replication_controller_row>},
    {"AGE", age_of<replication_controller_row>},
};
constexpr column<replication_controller_row> replication_controller_wide_columns[] = {
    {"CONTAINERS", containers_cell<replication_controller_row>},
    {"IMAGES", images_cell<replication_controller_row>},
    {"SELECTOR", replication_controller_selector},
};
constexpr listing<svcdisc::replication_controller, workload_extra> replication_controllers{
    replication_controller_columns, replication_controller_wide_columns,
    list_workloads<svcdisc::replication_controller>, nullptr};

// statefulsets

using stateful_set_row = listed<svcdisc::stateful_set, workload_extra>;

std::string stateful_set_ready(const stateful_set_row& r, const cell_context&) {
    return count(r.extra->ready_replicas) + "/" + replicas_of(r.object->spec.replicas);
}

constexpr column<stateful_set_row> stateful_set_columns[] = {
    {"NAME", name_cell<stateful_set_row>},
    {"READY", stateful_set_ready},
    {"AGE", age_of<stateful_set_row>},
};
constexpr column<stateful_set_row> stateful_set_wide_columns[] = {
    {"CONTAINERS", containers_cell<stateful_set_row>},
    {"IMAGES", images_cell<stateful_set_row>},
};
constexpr listing<svcdisc::stateful_set, workload_extra> stateful_sets{
    stateful_set_columns, stateful_set_wide_columns, list_workloads<svcdisc::stateful_set>,
    nullptr};

// daemonsets

using daemon_set_row = listed<svcdisc::daemon_set, workload_extra>;

std::string daemon_set_desired(const daemon_set_row& r, const cell_context&) {
    return count(r.extra->desired_number_scheduled);
}
std::string daemon_set_current(const daemon_set_row& r, const cell_context&) {
    return count(r.extra->current_number_scheduled);
}
std::string daemon_set_ready(const daemon_set_row& r, const cell_context&) {
    return count(r.extra->number_ready);
}
std::string daemon_set_up_to_date(const daemon_set_row& r, const cell_context&) {
    return count(r.extra->updated_number_scheduled);
}
std::string daemon_set_available(const daemon_set_row& r, const cell_context&) {
    return count(r.extra->number_available);
}
std::string daemon_set_node_selector(const daemon_set_row& r, const cell_context&) {
    return format_labels(r.extra->node_selector);
}

constexpr column<daemon_set_row> daemon_set_columns[] = {
    {"NAME", name_cell<daemon_set_row>},
    {"DESIRED", daemon_set_desired},
    {"CURRENT", daemon_set_current},
    {"READY", daemon_set_ready},
    {"UP-TO-DATE", daemon_set_up_to_date},
    {"AVAILABLE", daemon_set_available},
    {"NODE SELECTOR", daemon_set_node_selector},
    {"AGE", age_of<daemon_set_row>},
};
constexpr column<daemon_set_row> daemon_set_wide_columns[] = {
    {"CONTAINERS", containers_cell<daemon_set_row>},
    {"IMAGES", images_cell<daemon_set_row>},
    {"SELECTOR", label_selector_cell<daemon_set_row>},
};
constexpr listing<svcdisc::daemon_set, workload_extra> daemon_sets{
    daemon_set_columns, daemon_set_wide_columns, list_workloads<svcdisc::daemon_set>, nullptr};

// jobs

using job_row = listed<svcdisc::job, workload_extra>;

/// printJob's hasJobCondition: the first condition of the type decides.
bool has_condition(const workload_extra& extra, std::string_view type) {
    for (const auto& c : extra.conditions) {
        if (c.type == type) {
            return c.status == "True";
        }
    }
    return false;
}

std::string job_status(const job_row& r, const cell_context&) {
    const workload_extra& extra = *r.extra;
    if (has_condition(extra, "Complete")) {
        return "Complete";
    }
    if (has_condition(extra, "Failed")) {
        return "Failed";
    }
    if (r.object->metadata.deletion_timestamp) {
        return "Terminating";
    }
    for (const std::string_view type : {"Suspended", "FailureTarget", "SuccessCriteriaMet"}) {
        if (has_condition(extra, type)) {
            return std::string(type);
        }
    }
    return "Running";
}
std::string job_completions(const job_row& r, const cell_context&) {
    const std::string succeeded = count(r.extra->succeeded);
    const auto& spec = r.object->spec;
    if (spec.completions) {
        return succeeded + "/" + count(*spec.completions);
    }
    const std::int32_t parallelism = spec.parallelism.value_or(0);
    return parallelism > 1 ? succeeded + "/1 of " + count(parallelism) : succeeded + "/1";
}
// From the start to completion, or to now while the job runs; empty before it starts.
std::string job_duration(const job_row& r, const cell_context& context) {
    const auto start = r.extra->start_time ? parse_timestamp(*r.extra->start_time) : std::nullopt;
    if (!start) {
        return "";
    }
    const auto end = r.extra->completion_time ? parse_timestamp(*r.extra->completion_time)
                                              : std::optional<std::int64_t>(context.now);
    return end ? duration_cell(*end - *start) : "";
}

constexpr column<job_row> job_columns[] = {
    {"NAME", name_cell<job_row>}, {"STATUS", job_status},   {"COMPLETIONS", job_completions},
    {"DURATION", job_duration},   {"AGE", age_of<job_row>},
};
constexpr column<job_row> job_wide_columns[] = {
    {"CONTAINERS", containers_cell<job_row>},
    {"IMAGES", images_cell<job_row>},
    {"SELECTOR", label_selector_cell<job_row>},
};
constexpr listing<svcdisc::job, workload_extra> jobs{job_columns, job_wide_columns,
                                                     list_workloads<svcdisc::job>, nullptr};

// cronjobs

using cron_job_row = listed<svcdisc::cron_job, workload_extra>;

std::string cron_job_schedule(const cron_job_row& r, const cell_context&) {
    return r.object->spec.schedule;
}
std::string cron_job_time_zone(const cron_job_row& r, const cell_context&) {
    return r.extra->time_zone.value_or("<none>");
}
// printBoolPtr; the API server defaults suspend to false.
std::string cron_job_suspend(const cron_job_row& r, const cell_context&) {
    const auto& suspend = r.object->spec.suspend;
    return suspend ? (*suspend ? "True" : "False") : "<unset>";
}
std::string cron_job_active(const cron_job_row& r, const cell_context&) {
    return count(r.extra->active);
}
std::string cron_job_last_schedule(const cron_job_row& r, const cell_context& context) {
    return r.extra->last_schedule_time ? age_cell(r.extra->last_schedule_time, context.now)
                                       : "<none>";
}

constexpr column<cron_job_row> cron_job_columns[] = {
    {"NAME", name_cell<cron_job_row>}, {"SCHEDULE", cron_job_schedule},
    {"TIMEZONE", cron_job_time_zone},  {"SUSPEND", cron_job_suspend},
    {"ACTIVE", cron_job_active},       {"LAST SCHEDULE", cron_job_last_schedule},
    {"AGE", age_of<cron_job_row>},
};
constexpr column<cron_job_row> cron_job_wide_columns[] = {
    {"CONTAINERS", containers_cell<cron_job_row>},
    {"IMAGES", images_cell<cron_job_row>},
    {"SELECTOR", label_selector_cell<cron_job_row>},
};
constexpr listing<svcdisc::cron_job, workload_extra> cron_jobs{
    cron_job_columns, cron_job_wide_columns, list_workloads<svcdisc::cron_job>, nullptr};

// ------------------------------------------------------------------------------------------
// The table
// ------------------------------------------------------------------------------------------

constexpr std::string_view pod_short[] = {"po"};
constexpr std::string_view service_short[] = {"svc"};
constexpr std::string_view endpoints_short[] = {"ep"};
constexpr std::string_view node_short[] = {"no"};
constexpr std::string_view deployment_short[] = {"deploy"};
constexpr std::string_view replica_set_short[] = {"rs"};
constexpr std::string_view stateful_set_short[] = {"sts"};
constexpr std::string_view daemon_set_short[] = {"ds"};
constexpr std::string_view cron_job_short[] = {"cj"};
constexpr std::string_view replication_controller_short[] = {"rc"};

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
    {"deployments", "deployment", deployment_short, "apps", namespaced, list_group<deployments>},
    {"replicasets", "replicaset", replica_set_short, "apps", namespaced, list_group<replica_sets>},
    {"statefulsets", "statefulset", stateful_set_short, "apps", namespaced,
     list_group<stateful_sets>},
    {"daemonsets", "daemonset", daemon_set_short, "apps", namespaced, list_group<daemon_sets>},
    {"jobs", "job", {}, "batch", namespaced, list_group<jobs>},
    {"cronjobs", "cronjob", cron_job_short, "batch", namespaced, list_group<cron_jobs>},
    {"replicationcontrollers", "replicationcontroller", replication_controller_short, "",
     namespaced, list_group<replication_controllers>},
};

} // namespace

std::span<const resource_kind> resource_kinds() {
    return kinds;
}

} // namespace svcdisc_cli
