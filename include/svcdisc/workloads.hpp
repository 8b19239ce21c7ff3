#pragma once

/// Workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
/// ReplicationController), the defaults the API server gives them, and the pods their
/// controllers and the kubelet make of them once a rollout is done (docs/workloads-and-
/// allocation.md).
///
///   basic_deployment, basic_replica_set, basic_stateful_set, basic_daemon_set, basic_job,
///   basic_cron_job, basic_replication_controller     the models, with std::string aliases;
///                                                    each names its api_version and kind
///   apply_defaults(workload)                         SetDefaults_<Kind> as the API server runs it
///   pod_placement                                    nodes (round-robin) and the pod network
///   pods_of(workload, placement)                     the running, ready pods
///   replica_set_of(deployment)                       the ReplicaSet a Deployment rolls out
///   job_for_schedule(cron_job, unix_seconds)         the Job a CronJob starts at that time
///   workload_selects(workload, pod)                  the workload's selector takes the pod
///   is_controlled_by(pod, workload)                  the pod's controller reference names it
///
/// Example:
///     svcdisc::deployment web;
///     web.metadata = {.name = "web", .namespace_ = "shop"};
///     web.spec.replicas = 3;
///     web.spec.selector = svcdisc::label_selector_spec{{{"app", "web"}}, {}};
///     web.spec.template_.metadata.labels = {{"app", "web"}};
///     svcdisc::pod_placement placement({"node-a", "node-b"});
///     auto pods = svcdisc::pods_of(web, placement);
///     // 3 pods "web-<hash>-<5 chars>", Running and Ready, on node-a, node-b, node-a,
///     // with IPs 10.244.0.2, 10.244.1.2, 10.244.0.3

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/allocate.hpp>
#include <svcdisc/detail/allocate/address_math.hpp>
#include <svcdisc/detail/workloads/names.hpp>
#include <svcdisc/detail/workloads/pods.hpp>
#include <svcdisc/label_selector.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/meta.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/result.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc {

/// Labels and annotations the workload controllers and the API server put on what they create.
namespace workload_label {
/// On a Deployment's ReplicaSet, its selector, template and pods: the template hash.
inline constexpr std::string_view pod_template_hash = "pod-template-hash";
/// On StatefulSet pods (the revision name) and DaemonSet pods (the revision hash).
inline constexpr std::string_view controller_revision_hash = "controller-revision-hash";
/// On StatefulSet pods: the pod's name.
inline constexpr std::string_view stateful_set_pod_name = "statefulset.kubernetes.io/pod-name";
/// On StatefulSet pods: the ordinal.
inline constexpr std::string_view pod_index = "apps.kubernetes.io/pod-index";
/// On DaemonSet pods: the DaemonSet's generation.
inline constexpr std::string_view pod_template_generation = "pod-template-generation";
/// On a Job's template and pods (generateSelector): the Job's name, new and legacy keys.
inline constexpr std::string_view job_name = "batch.kubernetes.io/job-name";
inline constexpr std::string_view legacy_job_name = "job-name";
/// On a Job's template, selector and pods (generateSelector): the Job's UID.
inline constexpr std::string_view controller_uid = "batch.kubernetes.io/controller-uid";
inline constexpr std::string_view legacy_controller_uid = "controller-uid";
/// On Indexed Job pods, as label and annotation: the completion index.
inline constexpr std::string_view job_completion_index = "batch.kubernetes.io/job-completion-index";
/// On a CronJob's Jobs (annotation): the scheduled time, RFC 3339.
inline constexpr std::string_view cron_job_scheduled_timestamp =
    "batch.kubernetes.io/cronjob-scheduled-timestamp";
} // namespace workload_label

/// A pod template (Kubernetes' PodTemplateSpec): the labels and annotations of
/// `metadata` and the pod spec every pod of the workload starts from.
template <class String>
struct basic_pod_template_spec {
    basic_object_meta<String> metadata;
    basic_pod_spec<String> spec;

    friend bool operator==(const basic_pod_template_spec&,
                           const basic_pod_template_spec&) = default;
};

/// A rolling update's knobs. Deployments and DaemonSets read max_unavailable and max_surge,
/// StatefulSets partition (and max_unavailable); absent means "not given".
template <class String>
struct basic_rolling_update {
    std::optional<basic_int_or_string<String>> max_unavailable;
    std::optional<basic_int_or_string<String>> max_surge;
    std::optional<std::int32_t> partition;

    friend bool operator==(const basic_rolling_update&, const basic_rolling_update&) = default;
};

/// A Deployment's strategy or a StatefulSet's or DaemonSet's updateStrategy.
template <class String>
struct basic_update_strategy {
    String type; ///< "RollingUpdate", "Recreate", "OnDelete"; empty until defaulted
    std::optional<basic_rolling_update<String>> rolling_update;

    friend bool operator==(const basic_update_strategy&, const basic_update_strategy&) = default;
};

template <class String>
struct basic_deployment_spec {
    std::optional<std::int32_t> replicas;
    std::optional<label_selector_spec> selector;
    basic_pod_template_spec<String> template_;
    basic_update_strategy<String> strategy;
    std::int32_t min_ready_seconds = 0;
    std::optional<std::int32_t> revision_history_limit;
    std::optional<std::int32_t> progress_deadline_seconds;

    friend bool operator==(const basic_deployment_spec&, const basic_deployment_spec&) = default;
};

/// The status field a workload's template hash depends on.
struct workload_status {
    std::optional<std::int32_t> collision_count;

    friend bool operator==(const workload_status&, const workload_status&) = default;
};

/// A Deployment (apps/v1).
template <class String>
struct basic_deployment {
    static constexpr std::string_view api_version = "apps/v1";
    static constexpr std::string_view kind = "Deployment";

    basic_object_meta<String> metadata;
    basic_deployment_spec<String> spec;
    workload_status status;

    friend bool operator==(const basic_deployment&, const basic_deployment&) = default;
};

template <class String>
struct basic_replica_set_spec {
    std::optional<std::int32_t> replicas;
    std::optional<label_selector_spec> selector;
    basic_pod_template_spec<String> template_;
    std::int32_t min_ready_seconds = 0;

    friend bool operator==(const basic_replica_set_spec&, const basic_replica_set_spec&) = default;
};

/// A ReplicaSet (apps/v1).
template <class String>
struct basic_replica_set {
    static constexpr std::string_view api_version = "apps/v1";
    static constexpr std::string_view kind = "ReplicaSet";

    basic_object_meta<String> metadata;
    basic_replica_set_spec<String> spec;

    friend bool operator==(const basic_replica_set&, const basic_replica_set&) = default;
};

template <class String>
struct basic_stateful_set_spec {
    std::optional<std::int32_t> replicas;
    std::optional<label_selector_spec> selector;
    basic_pod_template_spec<String> template_;
    /// The headless Service that gives the pods their DNS names (pods' subdomain).
    String service_name;
    String pod_management_policy; ///< "OrderedReady" or "Parallel"; empty until defaulted
    basic_update_strategy<String> update_strategy;
    std::int32_t min_ready_seconds = 0;
    std::optional<std::int32_t> revision_history_limit;
    /// spec.ordinals.start: the first ordinal (0 when absent).
    std::optional<std::int32_t> ordinals_start;

    friend bool operator==(const basic_stateful_set_spec&,
                           const basic_stateful_set_spec&) = default;
};

/// A StatefulSet (apps/v1).
template <class String>
struct basic_stateful_set {
    static constexpr std::string_view api_version = "apps/v1";
    static constexpr std::string_view kind = "StatefulSet";

    basic_object_meta<String> metadata;
    basic_stateful_set_spec<String> spec;
    workload_status status;

    friend bool operator==(const basic_stateful_set&, const basic_stateful_set&) = default;
};

template <class String>
struct basic_daemon_set_spec {
    std::optional<label_selector_spec> selector;
    basic_pod_template_spec<String> template_;
    basic_update_strategy<String> update_strategy;
    std::int32_t min_ready_seconds = 0;
    std::optional<std::int32_t> revision_history_limit;

    friend bool operator==(const basic_daemon_set_spec&, const basic_daemon_set_spec&) = default;
};

/// A DaemonSet (apps/v1).
template <class String>
struct basic_daemon_set {
    static constexpr std::string_view api_version = "apps/v1";
    static constexpr std::string_view kind = "DaemonSet";

    basic_object_meta<String> metadata;
    basic_daemon_set_spec<String> spec;
    workload_status status;

    friend bool operator==(const basic_daemon_set&, const basic_daemon_set&) = default;
};

template <class String>
struct basic_job_spec {
    std::optional<std::int32_t> parallelism;
    std::optional<std::int32_t> completions;
    std::optional<std::int32_t> backoff_limit;
    /// "NonIndexed" or "Indexed"; absent until defaulted.
    std::optional<String> completion_mode;
    std::optional<bool> suspend;
    /// True when the user wrote the selector; otherwise the API server generates it.
    std::optional<bool> manual_selector;
    std::optional<label_selector_spec> selector;
    basic_pod_template_spec<String> template_;

    friend bool operator==(const basic_job_spec&, const basic_job_spec&) = default;
};

/// A Job (batch/v1).
template <class String>
struct basic_job {
    static constexpr std::string_view api_version = "batch/v1";
    static constexpr std::string_view kind = "Job";

    basic_object_meta<String> metadata;
    basic_job_spec<String> spec;

    friend bool operator==(const basic_job&, const basic_job&) = default;
};

/// A CronJob's jobTemplate.
template <class String>
struct basic_job_template_spec {
    basic_object_meta<String> metadata;
    basic_job_spec<String> spec;

    friend bool operator==(const basic_job_template_spec&,
                           const basic_job_template_spec&) = default;
};

template <class String>
struct basic_cron_job_spec {
    String schedule;
    String concurrency_policy; ///< "Allow", "Forbid", "Replace"; empty until defaulted
    std::optional<bool> suspend;
    std::optional<std::int32_t> successful_jobs_history_limit;
    std::optional<std::int32_t> failed_jobs_history_limit;
    basic_job_template_spec<String> job_template;

    friend bool operator==(const basic_cron_job_spec&, const basic_cron_job_spec&) = default;
};

/// A CronJob (batch/v1).
template <class String>
struct basic_cron_job {
    static constexpr std::string_view api_version = "batch/v1";
    static constexpr std::string_view kind = "CronJob";

    basic_object_meta<String> metadata;
    basic_cron_job_spec<String> spec;

    friend bool operator==(const basic_cron_job&, const basic_cron_job&) = default;
};

template <class String>
struct basic_replication_controller_spec {
    std::optional<std::int32_t> replicas;
    /// A plain map, equality only; absent or empty until defaulted from the template's labels.
    std::optional<basic_label_set<String>> selector;
    std::optional<basic_pod_template_spec<String>> template_;
    std::int32_t min_ready_seconds = 0;

    friend bool operator==(const basic_replication_controller_spec&,
                           const basic_replication_controller_spec&) = default;
};

/// A ReplicationController (v1).
template <class String>
struct basic_replication_controller {
    static constexpr std::string_view api_version = "v1";
    static constexpr std::string_view kind = "ReplicationController";

    basic_object_meta<String> metadata;
    basic_replication_controller_spec<String> spec;

    friend bool operator==(const basic_replication_controller&,
                           const basic_replication_controller&) = default;
};

using pod_template_spec = basic_pod_template_spec<std::string>;
using deployment = basic_deployment<std::string>;
using replica_set = basic_replica_set<std::string>;
using stateful_set = basic_stateful_set<std::string>;
using daemon_set = basic_daemon_set<std::string>;
using job = basic_job<std::string>;
using cron_job = basic_cron_job<std::string>;
using replication_controller = basic_replication_controller<std::string>;

// ---------------------------------------------------------------------------------------------
// Defaults.
// ---------------------------------------------------------------------------------------------

/// The pod defaults (a container port without protocol gets TCP) applied to a template, as
/// the API server's generated defaulters do for every embedded pod spec.
template <class String>
void apply_defaults(basic_pod_template_spec<String>& pod_template) {
    basic_pod<String> holder;
    holder.spec = std::move(pod_template.spec);
    apply_defaults(holder);
    pod_template.spec = std::move(holder.spec);
}

/// SetDefaults_Deployment: replicas 1; strategy RollingUpdate with maxUnavailable and
/// maxSurge 25%; revisionHistoryLimit 10; progressDeadlineSeconds 600; template defaults.
///
/// Example:
///     svcdisc::deployment d;
///     svcdisc::apply_defaults(d);
///     d.spec.strategy.rolling_update->max_surge->text();  // "25%"
template <class String>
void apply_defaults(basic_deployment<String>& d) {
    auto& spec = d.spec;
    if (!spec.replicas) {
        spec.replicas = 1;
    }
    if (std::string_view(spec.strategy.type).empty()) {
        spec.strategy.type = String("RollingUpdate");
    }
    if (std::string_view(spec.strategy.type) == "RollingUpdate") {
        auto& rolling = spec.strategy.rolling_update;
        if (!rolling) {
            rolling.emplace();
        }
        if (!rolling->max_unavailable) {
            rolling->max_unavailable = basic_int_or_string<String>(String("25%"));
        }
        if (!rolling->max_surge) {
            rolling->max_surge = basic_int_or_string<String>(String("25%"));
        }
    }
    if (!spec.revision_history_limit) {
        spec.revision_history_limit = 10;
    }
    if (!spec.progress_deadline_seconds) {
        spec.progress_deadline_seconds = 600;
    }
    apply_defaults(spec.template_);
}

/// SetDefaults_ReplicaSet: replicas 1; template defaults.
template <class String>
void apply_defaults(basic_replica_set<String>& rs) {
    if (!rs.spec.replicas) {
        rs.spec.replicas = 1;
    }
    apply_defaults(rs.spec.template_);
}

/// SetDefaults_StatefulSet: podManagementPolicy OrderedReady; an updateStrategy without type
/// becomes RollingUpdate, and a RollingUpdate with rollingUpdate given gets partition 0;
/// replicas 1; revisionHistoryLimit 10; template defaults.
template <class String>
void apply_defaults(basic_stateful_set<String>& set) {
    auto& spec = set.spec;
    if (std::string_view(spec.pod_management_policy).empty()) {
        spec.pod_management_policy = String("OrderedReady");
    }
    if (std::string_view(spec.update_strategy.type).empty()) {
        spec.update_strategy.type = String("RollingUpdate");
        if (!spec.update_strategy.rolling_update) {
            spec.update_strategy.rolling_update.emplace();
        }
    }
    if (std::string_view(spec.update_strategy.type) == "RollingUpdate" &&
        spec.update_strategy.rolling_update && !spec.update_strategy.rolling_update->partition) {
        spec.update_strategy.rolling_update->partition = 0;
    }
    if (!spec.replicas) {
        spec.replicas = 1;
    }
    if (!spec.revision_history_limit) {
        spec.revision_history_limit = 10;
    }
    apply_defaults(spec.template_);
}

/// SetDefaults_DaemonSet: updateStrategy RollingUpdate with maxUnavailable 1 and maxSurge 0;
/// revisionHistoryLimit 10; template defaults.
template <class String>
void apply_defaults(basic_daemon_set<String>& ds) {
    auto& strategy = ds.spec.update_strategy;
    if (std::string_view(strategy.type).empty()) {
        strategy.type = String("RollingUpdate");
    }
    if (std::string_view(strategy.type) == "RollingUpdate") {
        if (!strategy.rolling_update) {
            strategy.rolling_update.emplace();
        }
        if (!strategy.rolling_update->max_unavailable) {
            strategy.rolling_update->max_unavailable = basic_int_or_string<String>(1);
        }
        if (!strategy.rolling_update->max_surge) {
            strategy.rolling_update->max_surge = basic_int_or_string<String>(0);
        }
    }
    if (!ds.spec.revision_history_limit) {
        ds.spec.revision_history_limit = 10;
    }
    apply_defaults(ds.spec.template_);
}

/// SetDefaults_Job: with neither completions nor parallelism both become 1, otherwise a
/// missing parallelism becomes 1 (a missing completions stays: a work queue); backoffLimit 6;
/// the Job's labels, when it has none, are the template's; completionMode NonIndexed; suspend
/// and manualSelector false; template defaults. The selector is not a default: see
/// generate_selector.
template <class String>
void apply_defaults(basic_job<String>& j) {
    auto& spec = j.spec;
    if (!spec.completions && !spec.parallelism) {
        spec.completions = 1;
        spec.parallelism = 1;
    }
    if (!spec.parallelism) {
        spec.parallelism = 1;
    }
    if (!spec.backoff_limit) {
        spec.backoff_limit = 6;
    }
    if (j.metadata.labels.empty()) {
        j.metadata.labels = spec.template_.metadata.labels;
    }
    if (!spec.completion_mode) {
        spec.completion_mode = String("NonIndexed");
    }
    if (!spec.suspend) {
        spec.suspend = false;
    }
    if (!spec.manual_selector) {
        spec.manual_selector = false;
    }
    apply_defaults(spec.template_);
}

/// SetDefaults_CronJob: concurrencyPolicy Allow; suspend false; successfulJobsHistoryLimit 3;
/// failedJobsHistoryLimit 1; the job template's pod template defaults.
template <class String>
void apply_defaults(basic_cron_job<String>& cj) {
    auto& spec = cj.spec;
    if (std::string_view(spec.concurrency_policy).empty()) {
        spec.concurrency_policy = String("Allow");
    }
    if (!spec.suspend) {
        spec.suspend = false;
    }
    if (!spec.successful_jobs_history_limit) {
        spec.successful_jobs_history_limit = 3;
    }
    if (!spec.failed_jobs_history_limit) {
        spec.failed_jobs_history_limit = 1;
    }
    apply_defaults(spec.job_template.spec.template_);
}

/// SetDefaults_ReplicationController (core/v1): when the template has labels, an empty
/// selector and empty labels both become the template's labels; replicas 1.
template <class String>
void apply_defaults(basic_replication_controller<String>& rc) {
    auto& spec = rc.spec;
    if (spec.template_ && !spec.template_->metadata.labels.empty()) {
        if (!spec.selector || spec.selector->empty()) {
            spec.selector = spec.template_->metadata.labels;
        }
        if (rc.metadata.labels.empty()) {
            rc.metadata.labels = spec.template_->metadata.labels;
        }
    }
    if (!spec.replicas) {
        spec.replicas = 1;
    }
    if (spec.template_) {
        apply_defaults(*spec.template_);
    }
}

/// What the Job registry's generateSelector does on create unless manualSelector is true:
/// the template gets `batch.kubernetes.io/job-name` and `job-name` (the Job's name) and
/// `batch.kubernetes.io/controller-uid` and `controller-uid` (its UID) where absent, and the
/// selector's matchLabels `batch.kubernetes.io/controller-uid`. A Job without UID gets a
/// deterministic one first (docs/workloads-and-allocation.md).
template <class String>
void generate_selector(basic_job<String>& j) {
    if (j.spec.manual_selector.value_or(false)) {
        return;
    }
    const std::string uid = detail::workloads::uid_of(j.metadata, "Job");
    j.metadata.uid = String(uid);
    auto& labels = j.spec.template_.metadata.labels;
    for (const std::string_view key : {workload_label::legacy_job_name, workload_label::job_name}) {
        if (!labels.contains(key)) {
            labels.insert_or_assign(key, j.metadata.name);
        }
    }
    for (const std::string_view key :
         {workload_label::legacy_controller_uid, workload_label::controller_uid}) {
        if (!labels.contains(key)) {
            labels.insert_or_assign(key, uid);
        }
    }
    if (!j.spec.selector) {
        j.spec.selector.emplace();
    }
    if (!j.spec.selector->match_labels.contains(workload_label::controller_uid)) {
        j.spec.selector->match_labels.insert_or_assign(workload_label::controller_uid, uid);
    }
}

// ---------------------------------------------------------------------------------------------
// Placement: nodes and pod addresses.
// ---------------------------------------------------------------------------------------------

/// kube-controller-manager's (and kubeadm's flannel setups') usual pod network.
inline constexpr ip_cidr default_cluster_cidr{ip_address::from_ipv4(10, 244, 0, 0), 16};

/// Where pods_of puts pods: node names, used round-robin in the order given, and the pod
/// network. Node i owns the i-th block of each cluster CIDR (/24 for IPv4 and /64 for IPv6
/// by default, kube-controller-manager's --node-cidr-mask-size defaults); its pods get the
/// block's addresses in order from the third (.2: the network address and the node's bridge
/// at .1, as flannel's cni0, are skipped), one per cluster CIDR. Without node names pods are
/// left unscheduled (empty nodeName) and take their addresses from block 0.
///
/// A placement remembers every address it handed out, so successive pods_of calls sharing
/// one never reuse an address; reserve() marks addresses that existing pods hold.
///
/// Example:
///     auto placement = svcdisc::pod_placement::create(
///         {"node-a"}, {*svcdisc::ip_cidr::parse("10.244.0.0/16"),
///                      *svcdisc::ip_cidr::parse("fd00:10:244::/56")}).value();
///     placement.next_addresses(0);  // {10.244.0.2, fd00:10:244::2}
class pod_placement {
  public:
    /// No nodes, 10.244.0.0/16.
    pod_placement() : cidrs_{default_cluster_cidr}, node_masks_{24}, next_(1, {0}) {}

    /// These nodes, 10.244.0.0/16 with a /24 each; throws parse_error beyond 256 nodes.
    explicit pod_placement(std::vector<std::string> node_names)
        : pod_placement(create(std::move(node_names)).value()) {}

    /// A placement over `node_names` and one or two `cluster_cidrs` (two of different
    /// families for a dual-stack cluster, primary first; none means 10.244.0.0/16), each node
    /// taking a block of `node_mask_ipv4` or `node_mask_ipv6` bits. Errors when the CIDRs are
    /// more than two or of one family, a node mask is shorter than its CIDR's prefix, or the
    /// CIDRs hold fewer blocks than there are nodes.
    [[nodiscard]] static result<pod_placement> create(std::vector<std::string> node_names,
                                                      std::vector<ip_cidr> cluster_cidrs = {},
                                                      int node_mask_ipv4 = 24,
                                                      int node_mask_ipv6 = 64) {
        if (cluster_cidrs.empty()) {
            cluster_cidrs.push_back(default_cluster_cidr);
        }
        if (cluster_cidrs.size() > 2 ||
            (cluster_cidrs.size() == 2 && cluster_cidrs[0].family() == cluster_cidrs[1].family())) {
            return input_error{"cluster CIDRs must be one CIDR, or two of different IP families",
                               0};
        }
        pod_placement placement;
        placement.nodes_ = std::move(node_names);
        placement.cidrs_ = std::move(cluster_cidrs);
        placement.node_masks_.clear();
        const std::size_t blocks_needed = std::max<std::size_t>(placement.nodes_.size(), 1);
        for (const ip_cidr& cidr : placement.cidrs_) {
            const int mask = cidr.family() == ip_family::ipv4 ? node_mask_ipv4 : node_mask_ipv6;
            const int width = cidr.family() == ip_family::ipv4 ? 32 : 128;
            if (mask < cidr.prefix_length() || mask > width - 2) {
                return input_error{"node CIDR mask /" + std::to_string(mask) +
                                       " does not fit in cluster CIDR " + cidr.to_string(),
                                   0};
            }
            const int block_bits = mask - cidr.prefix_length();
            if (block_bits < 63 &&
                (std::size_t{1} << static_cast<unsigned>(block_bits)) < blocks_needed) {
                return input_error{
                    "cluster CIDR " + cidr.to_string() + " holds " +
                        std::to_string(std::size_t{1} << static_cast<unsigned>(block_bits)) +
                        " node CIDRs of /" + std::to_string(mask) + ", not " +
                        std::to_string(blocks_needed),
                    0};
            }
            placement.node_masks_.push_back(mask);
        }
        placement.next_.assign(blocks_needed, std::vector<std::uint64_t>(placement.cidrs_.size()));
        return placement;
    }

    [[nodiscard]] const std::vector<std::string>& node_names() const noexcept { return nodes_; }
    [[nodiscard]] const std::vector<ip_cidr>& cluster_cidrs() const noexcept { return cidrs_; }

    /// The pod CIDR of node `node_index` in cluster CIDR `cidr_index` (what node.spec.podCIDRs
    /// would hold).
    [[nodiscard]] ip_cidr node_cidr(std::size_t node_index, std::size_t cidr_index) const {
        const ip_cidr& cidr = cidrs_.at(cidr_index);
        const int width = cidr.family() == ip_family::ipv4 ? 32 : 128;
        const detail::uint128 step = detail::shift_left(
            detail::uint128{0, node_index}, static_cast<unsigned>(width - node_masks_[cidr_index]));
        return {detail::to_address(detail::add(detail::to_number(cidr.network()), step)),
                node_masks_[cidr_index]};
    }

    /// Marks an address as held, e.g. by a pod that already exists.
    void reserve(const ip_address& address) { reserved_.insert(address); }

    /// The next free address of node `node_index`'s block in each cluster CIDR, marked as held.
    /// Throws std::length_error when a block has no address left.
    std::vector<ip_address> next_addresses(std::size_t node_index) {
        std::vector<ip_address> addresses;
        for (std::size_t i = 0; i < cidrs_.size(); ++i) {
            const ip_cidr block = node_cidr(node_index, i);
            const int host_bits = block.host_bits();
            // Usable offsets: from 2 up to the last address (IPv4 keeps its broadcast address).
            const std::uint64_t end = host_bits >= 64
                                          ? ~std::uint64_t{0}
                                          : (std::uint64_t{1} << static_cast<unsigned>(host_bits)) -
                                                (block.family() == ip_family::ipv4 ? 1 : 0);
            std::uint64_t& next = next_.at(node_index)[i];
            next = std::max<std::uint64_t>(next, 2);
            while (next < end && reserved_.count(block.address_at(next)) != 0) {
                ++next;
            }
            if (next >= end) {
                throw std::length_error("svcdisc::pod_placement: no pod address left in " +
                                        block.to_string());
            }
            const ip_address address = block.address_at(next++);
            reserved_.insert(address);
            addresses.push_back(address);
        }
        return addresses;
    }

    /// The node name for the pod at `position` (round-robin), "" without nodes.
    [[nodiscard]] std::string_view node_for(std::size_t position) const noexcept {
        return nodes_.empty() ? std::string_view()
                              : std::string_view(nodes_[position % nodes_.size()]);
    }
    /// The node index for the pod at `position` (0 without nodes).
    [[nodiscard]] std::size_t node_index_for(std::size_t position) const noexcept {
        return nodes_.empty() ? 0 : position % nodes_.size();
    }

  private:
    std::vector<std::string> nodes_;
    std::vector<ip_cidr> cidrs_;
    std::vector<int> node_masks_;
    std::vector<std::vector<std::uint64_t>> next_; // per node, per CIDR: next offset to try
    std::set<ip_address> reserved_;
};

// ---------------------------------------------------------------------------------------------
// Pods.
// ---------------------------------------------------------------------------------------------

/// The ReplicaSet the Deployment controller creates for `d` (getNewReplicaSet), as it stands
/// once scaled up: named `<deployment>-<pod-template-hash>`, with the hash added to its
/// labels, selector and template labels, the Deployment's replicas and minReadySeconds, the
/// Deployment's annotations (but kubectl's last-applied-configuration and the controller's own)
/// plus `deployment.kubernetes.io/revision` "1", `desired-replicas` and `max-replicas`
/// (replicas plus maxSurge rounded up), and a controller reference to the Deployment.
///
/// The hash stands in for controller.ComputeHash (FNV-32a over the go-spew dump of the
/// defaulted template and the collision count, rendered by rand.SafeEncodeString): svcdisc
/// hashes its own encoding of the template as given (template_hasher) and the collision
/// count, and renders it the same way.
template <class String>
[[nodiscard]] basic_replica_set<String> replica_set_of(basic_deployment<String> d) {
    using namespace detail::workloads;
    apply_defaults(d);
    const std::string hash = encode_hash(template_hash(d.spec.template_, d.status.collision_count));
    basic_replica_set<String> rs;
    rs.metadata.name = String(std::string(std::string_view(d.metadata.name)) + "-" + hash);
    rs.metadata.namespace_ = d.metadata.namespace_;
    rs.metadata.uid = String(uid_of(rs.metadata, "ReplicaSet"));
    rs.metadata.owner_references.push_back(owner_of(d));
    rs.spec.template_ = d.spec.template_;
    rs.spec.template_.metadata.labels.insert_or_assign(workload_label::pod_template_hash, hash);
    rs.metadata.labels = rs.spec.template_.metadata.labels;
    rs.spec.selector = d.spec.selector.value_or(label_selector_spec{});
    rs.spec.selector->match_labels.insert_or_assign(std::string(workload_label::pod_template_hash),
                                                    hash);
    rs.spec.replicas = d.spec.replicas;
    rs.spec.min_ready_seconds = d.spec.min_ready_seconds;
    constexpr std::string_view skipped[] = {"kubectl.kubernetes.io/last-applied-configuration",
                                            "deployment.kubernetes.io/revision",
                                            "deployment.kubernetes.io/revision-history",
                                            "deployment.kubernetes.io/desired-replicas",
                                            "deployment.kubernetes.io/max-replicas",
                                            "deprecated.deployment.rollback.to"};
    for (const auto& [key, value] : d.metadata.annotations) {
        if (std::find(std::begin(skipped), std::end(skipped), std::string_view(key)) ==
            std::end(skipped)) {
            rs.metadata.annotations.insert_or_assign(key, value);
        }
    }
    const std::int64_t replicas = *d.spec.replicas;
    const std::int64_t surge =
        std::string_view(d.spec.strategy.type) == "RollingUpdate" && d.spec.strategy.rolling_update
            ? scaled_up(d.spec.strategy.rolling_update->max_surge, replicas)
            : 0;
    rs.metadata.annotations.insert_or_assign("deployment.kubernetes.io/revision", "1");
    rs.metadata.annotations.insert_or_assign("deployment.kubernetes.io/desired-replicas",
                                             std::to_string(replicas));
    rs.metadata.annotations.insert_or_assign("deployment.kubernetes.io/max-replicas",
                                             std::to_string(replicas + surge));
    return rs;
}

/// The pods of a ReplicaSet once it has its replicas: generateName `<rs>-` and a five
/// character suffix, the template's labels, annotations and spec, a controller reference to
/// the ReplicaSet, Running and Ready on the placement's nodes.
///
/// Example:
///     auto pods = svcdisc::pods_of(rs, placement);  // rs.spec.replicas pods
template <class String>
[[nodiscard]] std::vector<basic_pod<String>> pods_of(basic_replica_set<String> rs,
                                                     pod_placement& placement) {
    apply_defaults(rs);
    return detail::workloads::controller_pods(rs.spec.template_, rs.metadata.namespace_,
                                              detail::workloads::owner_of(rs), *rs.spec.replicas,
                                              placement);
}

/// The pods of a Deployment once rolled out: those of replica_set_of(d), named
/// `<deployment>-<pod-template-hash>-<5 chars>` and labelled `pod-template-hash`.
template <class String>
[[nodiscard]] std::vector<basic_pod<String>> pods_of(const basic_deployment<String>& d,
                                                     pod_placement& placement) {
    return pods_of(replica_set_of(d), placement);
}

/// The pods of a ReplicationController: as a ReplicaSet's, owned by the controller (v1); none
/// without a template.
template <class String>
[[nodiscard]] std::vector<basic_pod<String>> pods_of(basic_replication_controller<String> rc,
                                                     pod_placement& placement) {
    apply_defaults(rc);
    if (!rc.spec.template_) {
        return {};
    }
    return detail::workloads::controller_pods(*rc.spec.template_, rc.metadata.namespace_,
                                              detail::workloads::owner_of(rc), *rc.spec.replicas,
                                              placement);
}

/// The pods of a StatefulSet (newVersionedStatefulSetPod): `<set>-<ordinal>` for ordinals
/// from spec.ordinals.start, hostname the pod's name and subdomain spec.serviceName, labels
/// `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index` and
/// `controller-revision-hash` (the revision name `<set>-<hash>`, the hash as for a
/// Deployment), generateName `<set>-` as GetPodFromTemplate leaves it.
template <class String>
[[nodiscard]] std::vector<basic_pod<String>> pods_of(basic_stateful_set<String> set,
                                                     pod_placement& placement) {
    using namespace detail::workloads;
    apply_defaults(set);
    const std::string set_name(std::string_view(set.metadata.name));
    const std::string revision =
        set_name + "-" + encode_hash(template_hash(set.spec.template_, set.status.collision_count));
    const std::int32_t start = set.spec.ordinals_start.value_or(0);
    return controller_pods(
        set.spec.template_, set.metadata.namespace_, owner_of(set), *set.spec.replicas, placement,
        [&](basic_pod<String>& created, std::size_t position) {
            const std::string ordinal = std::to_string(start + static_cast<std::int32_t>(position));
            created.metadata.name = String(set_name + "-" + ordinal);
            auto& labels = created.metadata.labels;
            labels.insert_or_assign(workload_label::stateful_set_pod_name, created.metadata.name);
            labels.insert_or_assign(workload_label::pod_index, ordinal);
            labels.insert_or_assign(workload_label::controller_revision_hash, revision);
            created.spec.hostname = created.metadata.name;
            created.spec.subdomain = set.spec.service_name;
        });
}

/// The pods of a DaemonSet: one on each of the placement's nodes (one unscheduled pod when it
/// has none), generateName `<ds>-`, labels `controller-revision-hash` (the hash alone) and
/// `pod-template-generation` "1" (a new DaemonSet's generation; the model keeps none).
template <class String>
[[nodiscard]] std::vector<basic_pod<String>> pods_of(basic_daemon_set<String> ds,
                                                     pod_placement& placement) {
    using namespace detail::workloads;
    apply_defaults(ds);
    const std::string hash =
        encode_hash(template_hash(ds.spec.template_, ds.status.collision_count));
    ds.spec.template_.metadata.labels.insert_or_assign(workload_label::controller_revision_hash,
                                                       hash);
    ds.spec.template_.metadata.labels.insert_or_assign(workload_label::pod_template_generation,
                                                       "1");
    const std::size_t count = std::max<std::size_t>(placement.node_names().size(), 1);
    return controller_pods(ds.spec.template_, ds.metadata.namespace_, owner_of(ds),
                           static_cast<std::int64_t>(count), placement);
}

/// The pods a Job runs at once: none when suspended, otherwise parallelism of them, capped by
/// completions when set. The template carries generate_selector's labels. NonIndexed pods are
/// named from `<job>-`; Indexed pods from `<job>-<index>-`, with hostname `<job>-<index>` and
/// the completion index as `batch.kubernetes.io/job-completion-index` label and annotation.
template <class String>
[[nodiscard]] std::vector<basic_pod<String>> pods_of(basic_job<String> j,
                                                     pod_placement& placement) {
    using namespace detail::workloads;
    apply_defaults(j);
    generate_selector(j);
    if (*j.spec.suspend) {
        return {};
    }
    std::int64_t active = std::max<std::int32_t>(*j.spec.parallelism, 0);
    if (j.spec.completions) {
        active = std::min<std::int64_t>(active, std::max<std::int32_t>(*j.spec.completions, 0));
    }
    const auto owner = owner_of(j);
    if (std::string_view(*j.spec.completion_mode) != "Indexed") {
        return controller_pods(j.spec.template_, j.metadata.namespace_, owner, active, placement);
    }
    const std::string job_name(std::string_view(j.metadata.name));
    return controller_pods(
        j.spec.template_, j.metadata.namespace_, owner, active, placement,
        [&](basic_pod<String>& created, std::size_t position) {
            const std::string index = std::to_string(position);
            const std::string suffix = "-" + index + "-";
            const std::size_t kept =
                max_generated_name_length - std::min(suffix.size(), max_generated_name_length);
            created.metadata.generate_name = String(job_name.substr(0, kept) + suffix);
            created.metadata.annotations.insert_or_assign(workload_label::job_completion_index,
                                                          index);
            created.metadata.labels.insert_or_assign(workload_label::job_completion_index, index);
            created.spec.hostname = String(job_name + "-" + index);
        });
}

/// The Job a CronJob's controller creates for the schedule time `unix_seconds`
/// (getJobFromTemplate2): named `<cronjob>-<minutes since the epoch>`, the job template's
/// labels, annotations and spec, the `batch.kubernetes.io/cronjob-scheduled-timestamp`
/// annotation (RFC 3339, UTC: the model has no timeZone), creationTimestamp the schedule
/// time, and a controller reference to the CronJob.
///
/// Example:
///     svcdisc::job_for_schedule(nightly, 1714557600).metadata.name;  // "nightly-28575960"
template <class String>
[[nodiscard]] basic_job<String> job_for_schedule(const basic_cron_job<String>& cj,
                                                 std::int64_t unix_seconds) {
    using namespace detail::workloads;
    basic_job<String> j;
    j.metadata.name = String(std::string(std::string_view(cj.metadata.name)) + "-" +
                             std::to_string(unix_seconds / 60));
    j.metadata.namespace_ = cj.metadata.namespace_;
    j.metadata.labels = cj.spec.job_template.metadata.labels;
    j.metadata.annotations = cj.spec.job_template.metadata.annotations;
    const std::string timestamp = rfc3339_utc(unix_seconds);
    j.metadata.annotations.insert_or_assign(workload_label::cron_job_scheduled_timestamp,
                                            timestamp);
    j.metadata.creation_timestamp = String(timestamp);
    j.metadata.owner_references.push_back(owner_of(cj));
    j.spec = cj.spec.job_template.spec;
    return j;
}

/// A CronJob runs nothing until its schedule fires, so its steady state has no pods; with
/// `scheduled_unix_seconds` it has the pods of job_for_schedule at that time (none when the
/// CronJob is suspended).
template <class String>
[[nodiscard]] std::vector<basic_pod<String>>
pods_of(basic_cron_job<String> cj, pod_placement& placement,
        std::optional<std::int64_t> scheduled_unix_seconds = std::nullopt) {
    apply_defaults(cj);
    if (!scheduled_unix_seconds || *cj.spec.suspend) {
        return {};
    }
    return pods_of(job_for_schedule(cj, *scheduled_unix_seconds), placement);
}

/// pods_of with a placement of its own: no nodes, 10.244.0.0/16.
template <class Workload>
[[nodiscard]] auto pods_of(const Workload& workload)
    -> decltype(pods_of(workload, std::declval<pod_placement&>())) {
    pod_placement placement;
    return pods_of(workload, placement);
}

// ---------------------------------------------------------------------------------------------
// Finding a workload's pods.
// ---------------------------------------------------------------------------------------------

/// True when `pod` is in the workload's namespace and the workload's selector takes its labels:
/// the label selector of a Deployment, ReplicaSet, StatefulSet or DaemonSet (an absent or
/// unconvertible one takes nothing), a Job's selector as generate_selector completes it, a
/// ReplicationController's map (defaulted from its template's labels). This is how the
/// controllers find the pods to adopt; a pod already controlled by another owner is not theirs
/// even when selected (see is_controlled_by).
///
/// Example:
///     svcdisc::workload_selects(web, pod);  // pod in web's namespace with app=web
template <class Workload, pod_like Pod>
[[nodiscard]] bool workload_selects(const Workload& workload, const Pod& candidate) {
    static_assert(detail::check_pod_like<Pod>());
    return detail::workloads::selects(workload.metadata.namespace_, workload.spec.selector,
                                      candidate);
}

/// workload_selects for a Job: its selector as generate_selector completes it.
template <class String, pod_like Pod>
[[nodiscard]] bool workload_selects(basic_job<String> j, const Pod& candidate) {
    static_assert(detail::check_pod_like<Pod>());
    generate_selector(j);
    return detail::workloads::selects(j.metadata.namespace_, j.spec.selector, candidate);
}

/// workload_selects for a ReplicationController, whose selector is a plain map.
template <class String, pod_like Pod>
[[nodiscard]] bool workload_selects(basic_replication_controller<String> rc, const Pod& candidate) {
    static_assert(detail::check_pod_like<Pod>());
    apply_defaults(rc);
    return std::string_view(rc.metadata.namespace_) ==
               std::string_view(pod_traits<Pod>::namespace_(candidate)) &&
           service_selector_matches(rc.spec.selector.value_or(basic_label_set<String>{}),
                                    pod_traits<Pod>::labels(candidate));
}

/// True when the pod's controller reference (its first owner reference marked controller)
/// names the workload: same kind and name, and same UID when both have one. A Deployment
/// controls its pods through its ReplicaSet, so for a Deployment the reference must name the
/// ReplicaSet `<deployment>-<the pod's pod-template-hash label>`.
///
/// Example:
///     for (const auto& p : cluster_pods) {
///         if (svcdisc::is_controlled_by(p, web)) { … }  // web's running pods
///     }
template <class String, class Workload>
[[nodiscard]] bool is_controlled_by(const basic_pod<String>& candidate, const Workload& workload) {
    const auto* owner = detail::workloads::controller_of(candidate.metadata);
    if (owner == nullptr || std::string_view(candidate.metadata.namespace_) !=
                                std::string_view(workload.metadata.namespace_)) {
        return false;
    }
    std::string_view kind = Workload::kind;
    std::string name(std::string_view(workload.metadata.name));
    std::string_view uid = workload.metadata.uid;
    if constexpr (std::is_same_v<Workload, basic_deployment<String>>) {
        const auto hash = candidate.metadata.labels.find_value(workload_label::pod_template_hash);
        if (!hash) {
            return false;
        }
        kind = "ReplicaSet";
        name += '-';
        name += *hash;
        uid = {};
    }
    const std::string_view controller_uid = owner->uid;
    return std::string_view(owner->kind) == kind && std::string_view(owner->name) == name &&
           (uid.empty() || controller_uid.empty() || uid == controller_uid);
}

} // namespace svcdisc
