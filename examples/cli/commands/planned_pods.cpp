#include "commands/planned_pods.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <svcdisc/workloads.hpp>

#include "cli_error.hpp"
#include "print/cells.hpp"
#include "print/objects.hpp"

namespace svcdisc_cli {

namespace {

using workload_key = std::tuple<std::string, std::string, std::string>; // namespace, kind, name

constexpr std::string_view simulated_node = "svcdisc-simulated-node";

constexpr std::uint32_t simulated_file = std::numeric_limits<std::uint32_t>::max();

/// kubectl's resource name for a kind: `deployment` for Deployment.
std::string resource_of(std::string_view kind) {
    std::string out(kind);
    std::transform(out.begin(), out.end(), out.begin(), [](char ch) {
        return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    });
    return out;
}

template <class Object>
workload_key key_of(const Object& object) {
    return {object.metadata.namespace_, std::string(Object::kind), object.metadata.name};
}

/// The CronJob a Job named `<cronjob>-<minutes since the epoch>` was started by, as the CronJob
/// controller names its Jobs; empty for any other name.
std::string_view cron_job_of(std::string_view job) {
    const auto dash = job.rfind('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 == job.size()) {
        return {};
    }
    const std::string_view minutes = job.substr(dash + 1);
    const bool digits =
        std::all_of(minutes.begin(), minutes.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    return digits ? job.substr(0, dash) : std::string_view();
}

/// The pods of the input by their controller: `(namespace, kind, name)` of each controller
/// reference, for a ReplicaSet named `<deployment>-<pod-template-hash>` its Deployment, and for
/// a Job named `<cronjob>-<minutes>` its CronJob.
std::set<workload_key> pod_controllers(const cluster& c) {
    std::set<workload_key> keys;
    for (const auto& p : c.pods) {
        for (const auto& owner : p.metadata.owner_references) {
            if (!owner.controller) {
                continue;
            }
            keys.emplace(p.metadata.namespace_, owner.kind, owner.name);
            const auto hash =
                p.metadata.labels.find_value(svcdisc::workload_label::pod_template_hash);
            const std::string suffix = hash ? std::string("-").append(*hash) : std::string();
            if (owner.kind == "ReplicaSet" && hash && owner.name.size() > suffix.size() &&
                owner.name.ends_with(suffix)) {
                keys.emplace(p.metadata.namespace_, "Deployment",
                             owner.name.substr(0, owner.name.size() - suffix.size()));
            }
            if (const auto cron_job = cron_job_of(owner.name);
                owner.kind == "Job" && !cron_job.empty()) {
                keys.emplace(p.metadata.namespace_, "CronJob", std::string(cron_job));
            }
        }
    }
    return keys;
}

struct namespace_less {
    bool operator()(const svcdisc::pod& p, std::string_view ns) const {
        return p.metadata.namespace_ < ns;
    }
    bool operator()(std::string_view ns, const svcdisc::pod& p) const {
        return ns < p.metadata.namespace_;
    }
};

/// True when the workload's selector takes `p` (a CronJob's: its pods carry the job
/// template's labels).
template <class Object>
bool takes(const Object& object, const svcdisc::pod& p) {
    if constexpr (std::is_same_v<Object, svcdisc::cron_job>) {
        const auto& labels = object.spec.job_template.spec.template_.metadata.labels;
        return !labels.empty() && p.metadata.namespace_ == object.metadata.namespace_ &&
               std::all_of(labels.begin(), labels.end(), [&](const auto& label) {
                   const auto value = p.metadata.labels.find_value(label.first);
                   return value && *value == label.second;
               });
    } else {
        return svcdisc::workload_selects(object, p);
    }
}

/// The workloads that answer for their own pods: without pods in the input, and not
/// controlled by another workload of the input.
std::vector<const workload_entry*> workloads_without_pods(const cluster& c) {
    std::vector<const workload_entry*> out;
    if (c.workloads.empty()) {
        return out;
    }
    std::set<workload_key> present;
    for (const auto& e : c.workloads) {
        std::visit([&](const auto& object) { present.insert(key_of(object)); }, e.object);
    }
    const std::set<workload_key> controllers = pod_controllers(c);
    for (const auto& e : c.workloads) {
        const bool own_pods = std::visit(
            [&](const auto& object) {
                if (controllers.count(key_of(object)) != 0) {
                    return true;
                }
                const auto [first, last] = std::equal_range(
                    c.pods.begin(), c.pods.end(), std::string_view(object.metadata.namespace_),
                    namespace_less{});
                return std::any_of(first, last, [&](const svcdisc::pod& p) {
                    return svcdisc::is_controlled_by(p, object) || takes(object, p);
                });
            },
            e.object);
        const auto& meta = metadata_of(e.object);
        const bool owned = std::any_of(
            meta.owner_references.begin(), meta.owner_references.end(), [&](const auto& owner) {
                return owner.controller &&
                       present.count({meta.namespace_, owner.kind, owner.name}) != 0;
            });
        if (!own_pods && !owned) {
            out.push_back(&e);
        }
    }
    return out;
}

/// The pods of a workload once rolled out. A CronJob runs pods only while a Job it started
/// runs; its pods are those of the Job for the schedule time `cron_time` (seconds since the
/// epoch): svcdisc does not evaluate schedules, so one run stands for all.
template <class Object>
std::vector<svcdisc::pod> rolled_out(const Object& object, svcdisc::pod_placement& placement,
                                     std::int64_t cron_time) {
    if constexpr (std::is_same_v<Object, svcdisc::cron_job>) {
        return svcdisc::pods_of(object, placement, cron_time);
    } else {
        return svcdisc::pods_of(object, placement);
    }
}

template <class Object>
std::string scale_of(const Object& object) {
    if constexpr (std::is_same_v<Object, svcdisc::daemon_set>) {
        return "one pod per node";
    } else if constexpr (std::is_same_v<Object, svcdisc::job>) {
        return std::to_string(object.spec.parallelism.value_or(1)) + " pod(s) at once";
    } else if constexpr (std::is_same_v<Object, svcdisc::cron_job>) {
        return "one Job per schedule";
    } else {
        const std::int32_t replicas = object.spec.replicas.value_or(1);
        return std::to_string(replicas) + (replicas == 1 ? " replica" : " replicas");
    }
}

} // namespace

void emit_simulated_pod(const svcdisc::pod& p, emitter& out) {
    out.begin_object();
    out.field("apiVersion", "v1");
    out.field("kind", "Pod");
    out.key("metadata");
    emit_metadata(p.metadata, out);
    out.key("spec");
    out.begin_object();
    out.key("containers");
    out.begin_array();
    for (const auto& c : p.spec.containers) {
        out.begin_object();
        out.field("name", c.name);
        if (!c.ports.empty()) {
            out.key("ports");
            out.begin_array();
            for (const auto& port : c.ports) {
                out.begin_object();
                out.key("containerPort");
                out.integer(port.container_port);
                if (!port.name.empty()) {
                    out.field("name", port.name);
                }
                out.field("protocol", port.protocol);
                out.end_object();
            }
            out.end_array();
        }
        out.end_object();
    }
    out.end_array();
    if (!p.spec.hostname.empty()) {
        out.field("hostname", p.spec.hostname);
    }
    if (!p.spec.node_name.empty()) {
        out.field("nodeName", p.spec.node_name);
    }
    if (!p.spec.subdomain.empty()) {
        out.field("subdomain", p.spec.subdomain);
    }
    out.end_object();
    out.key("status");
    out.begin_object();
    out.key("conditions");
    out.begin_array();
    for (const auto& c : p.status.conditions) {
        out.begin_object();
        out.field("status", c.status);
        out.field("type", c.type);
        out.end_object();
    }
    out.end_array();
    out.field("phase", p.status.phase);
    out.field("podIP", p.status.pod_ip);
    out.key("podIPs");
    out.begin_array();
    for (const auto& ip : p.status.pod_ips) {
        out.begin_object();
        out.field("ip", ip);
        out.end_object();
    }
    out.end_array();
    out.end_object();
    out.end_object();
}

bool is_simulated(const origin& from) {
    return from.file == simulated_file;
}

std::vector<planned_pod> plan_pods(const cluster& c) {
    std::vector<planned_pod> out;
    for (const auto* e : workloads_without_pods(c)) {
        std::visit(
            [&](const auto& object) {
                svcdisc::pod_placement placement;
                // Only the template matters here, not when the Job runs.
                auto pods = rolled_out(object, placement, 0);
                if (pods.empty()) {
                    return;
                }
                planned_pod planned;
                planned.pod = std::move(pods.front());
                planned.pod.spec.node_name.clear();
                planned.pod.status = {};
                using object_type = std::decay_t<decltype(object)>;
                planned.ref = resource_of(object_type::kind) + "/" + object.metadata.name;
                planned.description =
                    planned.ref + ", " + scale_of(object) + ", from its " +
                    (std::is_same_v<object_type, svcdisc::cron_job> ? "job template" : "template");
                out.push_back(std::move(planned));
            },
            e->object);
    }
    return out;
}

void simulate_rollout(cluster& c, const std::vector<svcdisc::ip_cidr>& cluster_cidrs,
                      const note_function& note) {
    const auto waiting = workloads_without_pods(c);
    if (waiting.empty()) {
        return;
    }
    std::vector<std::string> node_names;
    for (const auto& n : c.nodes) {
        node_names.push_back(n.object.metadata.name);
    }
    if (node_names.empty()) {
        // Running pods are scheduled; an input without Nodes gets one to hold them.
        node_names.emplace_back(simulated_node);
    }
    auto placement = svcdisc::pod_placement::create(node_names, cluster_cidrs);
    if (!placement) {
        throw cli_error(2, "error: --cluster-cidr: " + placement.error().message + "\n");
    }
    for (const auto& p : c.pods) {
        for (const auto& ip : p.status.pod_ips) {
            if (const auto address = svcdisc::ip_address::parse(ip)) {
                placement->reserve(*address);
            }
        }
    }
    // A CronJob's Job as if its schedule fired this minute (the controller's scheduled times
    // are whole minutes); SVCDISC_NOW fixes it.
    const std::int64_t this_minute = now_seconds() / 60 * 60;
    for (const auto* e : waiting) {
        auto pods = std::visit(
            [&](const auto& object) { return rolled_out(object, *placement, this_minute); },
            e->object);
        if (note) {
            const auto& meta = metadata_of(e->object);
            note("--simulate: " + std::to_string(pods.size()) + " pod(s) for " + meta.namespace_ +
                 "/" + meta.name);
        }
        for (auto& p : pods) {
            pod_extra extra;
            extra.total_containers = static_cast<int>(p.spec.containers.size());
            extra.ready_containers = extra.total_containers;
            extra.status = p.status.phase;
            c.pods.push_back(std::move(p));
            c.pod_origins.push_back({simulated_file, 0, -1});
            c.pod_extras.push_back(std::move(extra));
        }
    }
    sort_and_deduplicate(c, note);
}

} // namespace svcdisc_cli
