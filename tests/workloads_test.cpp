#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/workloads.hpp>

// The workload model, the API server's defaults for it (SetDefaults_<Kind>, generateSelector),
// and the pods the workload controllers create once a rollout is done, with svcdisc's
// deterministic names, UIDs and addresses (docs/workloads-and-allocation.md).

namespace {

using svcdisc::int_or_string;
using svcdisc::label_selector_spec;
using svcdisc::pod;
using svcdisc::pod_placement;

svcdisc::pod_template_spec web_template() {
    svcdisc::pod_template_spec t;
    t.metadata.labels = {{"app", "web"}};
    t.metadata.annotations = {{"team", "shop"}};
    auto& c = t.spec.containers.emplace_back();
    c.name = "nginx";
    c.ports.push_back({"http", 8080, "", 0});
    return t;
}

svcdisc::deployment web_deployment(std::int32_t replicas = 3) {
    svcdisc::deployment d;
    d.metadata.name = "web";
    d.metadata.namespace_ = "shop";
    d.spec.replicas = replicas;
    d.spec.selector = label_selector_spec{{{"app", "web"}}, {}};
    d.spec.template_ = web_template();
    return d;
}

bool is_safe_text(std::string_view text, std::string_view alphabet) {
    return text.find_first_not_of(alphabet) == std::string_view::npos;
}

void check_controller(const pod& p, std::string_view api_version, std::string_view kind,
                      std::string_view name) {
    REQUIRE(p.metadata.owner_references.size() == 1);
    const auto& owner = p.metadata.owner_references.front();
    CHECK(owner.api_version == api_version);
    CHECK(owner.kind == kind);
    CHECK(owner.name == name);
    CHECK_FALSE(owner.uid.empty());
    CHECK(owner.controller);
    CHECK(owner.block_owner_deletion);
}

void check_running_and_ready(const pod& p) {
    CHECK(p.status.phase == "Running");
    CHECK(svcdisc::is_pod_ready(p));
    REQUIRE_FALSE(p.status.pod_ips.empty());
    CHECK(p.status.pod_ip == p.status.pod_ips.front());
    std::vector<std::string> types;
    for (const auto& condition : p.status.conditions) {
        types.push_back(condition.type);
        CHECK(condition.status == "True");
    }
    CHECK(types == std::vector<std::string>{"PodReadyToStartContainers", "Initialized", "Ready",
                                            "ContainersReady", "PodScheduled"});
}

} // namespace

TEST_CASE("SetDefaults_Deployment: replicas 1, RollingUpdate 25%/25%, history 10, deadline 600") {
    svcdisc::deployment d;
    d.spec.template_ = web_template();
    svcdisc::apply_defaults(d);
    CHECK(d.spec.replicas == 1);
    CHECK(d.spec.strategy.type == "RollingUpdate");
    REQUIRE(d.spec.strategy.rolling_update);
    CHECK(d.spec.strategy.rolling_update->max_unavailable == int_or_string(std::string("25%")));
    CHECK(d.spec.strategy.rolling_update->max_surge == int_or_string(std::string("25%")));
    CHECK(d.spec.revision_history_limit == 10);
    CHECK(d.spec.progress_deadline_seconds == 600);
    CHECK(d.spec.template_.spec.containers[0].ports[0].protocol == "TCP");

    svcdisc::deployment given;
    given.spec.replicas = 0;
    given.spec.strategy.type = "RollingUpdate";
    given.spec.strategy.rolling_update.emplace().max_surge = int_or_string(2);
    given.spec.revision_history_limit = 2;
    svcdisc::apply_defaults(given);
    CHECK(given.spec.replicas == 0);
    CHECK(given.spec.strategy.rolling_update->max_surge == int_or_string(2));
    CHECK(given.spec.strategy.rolling_update->max_unavailable == int_or_string(std::string("25%")));
    CHECK(given.spec.revision_history_limit == 2);

    svcdisc::deployment recreate;
    recreate.spec.strategy.type = "Recreate";
    svcdisc::apply_defaults(recreate);
    CHECK_FALSE(recreate.spec.strategy.rolling_update.has_value());
}

TEST_CASE("SetDefaults_ReplicaSet and SetDefaults_StatefulSet") {
    svcdisc::replica_set rs;
    svcdisc::apply_defaults(rs);
    CHECK(rs.spec.replicas == 1);

    svcdisc::stateful_set set;
    svcdisc::apply_defaults(set);
    CHECK(set.spec.replicas == 1);
    CHECK(set.spec.pod_management_policy == "OrderedReady");
    CHECK(set.spec.update_strategy.type == "RollingUpdate");
    REQUIRE(set.spec.update_strategy.rolling_update);
    CHECK(set.spec.update_strategy.rolling_update->partition == 0);
    CHECK(set.spec.revision_history_limit == 10);

    // RollingUpdate written without rollingUpdate gets no partition; OnDelete stays as is.
    svcdisc::stateful_set rolling;
    rolling.spec.update_strategy.type = "RollingUpdate";
    svcdisc::apply_defaults(rolling);
    CHECK_FALSE(rolling.spec.update_strategy.rolling_update.has_value());
    svcdisc::stateful_set on_delete;
    on_delete.spec.update_strategy.type = "OnDelete";
    on_delete.spec.pod_management_policy = "Parallel";
    svcdisc::apply_defaults(on_delete);
    CHECK(on_delete.spec.update_strategy.type == "OnDelete");
    CHECK(on_delete.spec.pod_management_policy == "Parallel");
}

TEST_CASE("SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0") {
    svcdisc::daemon_set ds;
    svcdisc::apply_defaults(ds);
    CHECK(ds.spec.update_strategy.type == "RollingUpdate");
    REQUIRE(ds.spec.update_strategy.rolling_update);
    CHECK(ds.spec.update_strategy.rolling_update->max_unavailable == int_or_string(1));
    CHECK(ds.spec.update_strategy.rolling_update->max_surge == int_or_string(0));
    CHECK(ds.spec.revision_history_limit == 10);
}

TEST_CASE("SetDefaults_Job: completions and parallelism, backoffLimit, labels, mode, suspend") {
    struct job_case {
        std::optional<std::int32_t> completions;
        std::optional<std::int32_t> parallelism;
        std::optional<std::int32_t> want_completions;
        std::int32_t want_parallelism;
    };
    const job_case cases[] = {
        {std::nullopt, std::nullopt, 1, 1}, // a single pod
        {std::nullopt, 5, std::nullopt, 5}, // a work queue
        {8, std::nullopt, 8, 1},            // fixed completions, one at a time
        {8, 2, 8, 2},
    };
    for (const job_case& c : cases) {
        svcdisc::job j;
        j.spec.completions = c.completions;
        j.spec.parallelism = c.parallelism;
        j.spec.template_ = web_template();
        svcdisc::apply_defaults(j);
        CHECK(j.spec.completions == c.want_completions);
        CHECK(j.spec.parallelism == c.want_parallelism);
        CHECK(j.spec.backoff_limit == 6);
        CHECK(j.spec.completion_mode == std::string("NonIndexed"));
        CHECK(j.spec.suspend == false);
        CHECK(j.spec.manual_selector == false);
        CHECK(j.metadata.labels == svcdisc::label_set{{"app", "web"}});
    }
    svcdisc::job labelled;
    labelled.metadata.labels = {{"own", "label"}};
    labelled.spec.template_ = web_template();
    svcdisc::apply_defaults(labelled);
    CHECK(labelled.metadata.labels == svcdisc::label_set{{"own", "label"}});
}

TEST_CASE("SetDefaults_CronJob and SetDefaults_ReplicationController") {
    svcdisc::cron_job cj;
    svcdisc::apply_defaults(cj);
    CHECK(cj.spec.concurrency_policy == "Allow");
    CHECK(cj.spec.suspend == false);
    CHECK(cj.spec.successful_jobs_history_limit == 3);
    CHECK(cj.spec.failed_jobs_history_limit == 1);

    svcdisc::replication_controller rc;
    rc.spec.template_ = web_template();
    svcdisc::apply_defaults(rc);
    CHECK(rc.spec.replicas == 1);
    CHECK(rc.spec.selector == svcdisc::label_set{{"app", "web"}});
    CHECK(rc.metadata.labels == svcdisc::label_set{{"app", "web"}});

    svcdisc::replication_controller given;
    given.metadata.labels = {{"own", "x"}};
    given.spec.selector = svcdisc::label_set{{"app", "web"}, {"tier", "front"}};
    given.spec.template_ = web_template();
    svcdisc::apply_defaults(given);
    CHECK(given.metadata.labels == svcdisc::label_set{{"own", "x"}});
    CHECK(given.spec.selector->size() == 2);

    svcdisc::replication_controller bare;
    svcdisc::apply_defaults(bare);
    CHECK_FALSE(bare.spec.selector.has_value());
}

TEST_CASE("ComputeHash shape: pod-template-hash is a safe-encoded 32-bit decimal") {
    using svcdisc::detail::workloads::encode_hash;
    // Each decimal digit maps to safe_alphabet[digit's byte % 27]: 0-9 -> 4 5 6 7 8 9 b c d f.
    CHECK(encode_hash(1234567890) == "56789bcdf4");
    CHECK(encode_hash(0) == "4");
    CHECK(encode_hash(4294967295U) == "86f8fbc6f9");
    CHECK(svcdisc::detail::workloads::safe_encode("az") == "vs");
    // FNV-1a, as Go's hash/fnv computes it.
    svcdisc::detail::fnv1a<std::uint32_t> fnv32;
    fnv32.update("a");
    CHECK(fnv32.value() == 0xe40c292cU);
    CHECK(svcdisc::detail::fnv1a_64("a") == 0xaf63dc4c8601ec8cULL);

    const svcdisc::replica_set rs = svcdisc::replica_set_of(web_deployment());
    const std::string_view name = rs.metadata.name;
    REQUIRE(name.substr(0, 4) == "web-");
    const std::string_view hash = name.substr(4);
    CHECK(hash.size() >= 1);
    CHECK(hash.size() <= 10);
    CHECK(is_safe_text(hash, "456789bcdf"));
    CHECK(rs.metadata.labels.find_value("pod-template-hash") == hash);
    CHECK(rs.spec.template_.metadata.labels.find_value("pod-template-hash") == hash);
    CHECK(rs.spec.selector->match_labels.find_value("pod-template-hash") == hash);
    CHECK(rs.spec.selector->match_labels.find_value("app") == std::string_view("web"));
}

TEST_CASE("ComputeHash stand-in: the same template hashes the same, any change or collision "
          "count moves it") {
    const auto hash_of = [](const svcdisc::deployment& d) {
        return svcdisc::replica_set_of(d).metadata.name;
    };
    const svcdisc::deployment base = web_deployment();
    CHECK(hash_of(base) == hash_of(web_deployment()));
    svcdisc::deployment scaled = base;
    scaled.spec.replicas = 10;
    CHECK(hash_of(scaled) == hash_of(base));
    svcdisc::deployment relabelled = base;
    relabelled.spec.template_.metadata.labels.insert_or_assign("version", "2");
    CHECK(hash_of(relabelled) != hash_of(base));
    svcdisc::deployment reported = base;
    reported.spec.template_.spec.containers[0].ports[0].container_port = 8081;
    CHECK(hash_of(reported) != hash_of(base));
    svcdisc::deployment collided = base;
    collided.status.collision_count = 1;
    CHECK(hash_of(collided) != hash_of(base));
    // The protocol default is applied before hashing, as the API server defaults first.
    svcdisc::deployment explicit_tcp = base;
    explicit_tcp.spec.template_.spec.containers[0].ports[0].protocol = "TCP";
    CHECK(hash_of(explicit_tcp) == hash_of(base));
}

TEST_CASE("getNewReplicaSet: owner, replicas and the annotations the Deployment controller sets") {
    svcdisc::deployment d = web_deployment(4);
    d.metadata.annotations = {{"kubectl.kubernetes.io/last-applied-configuration", "{}"},
                              {"owner", "team-a"}};
    d.spec.min_ready_seconds = 5;
    const svcdisc::replica_set rs = svcdisc::replica_set_of(d);
    CHECK(rs.metadata.namespace_ == "shop");
    CHECK(rs.spec.replicas == 4);
    CHECK(rs.spec.min_ready_seconds == 5);
    REQUIRE(rs.metadata.owner_references.size() == 1);
    CHECK(rs.metadata.owner_references[0].kind == "Deployment");
    CHECK(rs.metadata.owner_references[0].api_version == "apps/v1");
    CHECK(rs.metadata.owner_references[0].controller);
    const auto& a = rs.metadata.annotations;
    CHECK(a.find_value("deployment.kubernetes.io/revision") == std::string_view("1"));
    CHECK(a.find_value("deployment.kubernetes.io/desired-replicas") == std::string_view("4"));
    // maxSurge 25% of 4, rounded up: 1.
    CHECK(a.find_value("deployment.kubernetes.io/max-replicas") == std::string_view("5"));
    CHECK(a.find_value("owner") == std::string_view("team-a"));
    CHECK_FALSE(a.contains("kubectl.kubernetes.io/last-applied-configuration"));

    svcdisc::deployment odd = web_deployment(3);
    CHECK(svcdisc::replica_set_of(odd).metadata.annotations.find_value(
              "deployment.kubernetes.io/max-replicas") == std::string_view("4"));
    odd.spec.strategy.type = "Recreate";
    CHECK(svcdisc::replica_set_of(odd).metadata.annotations.find_value(
              "deployment.kubernetes.io/max-replicas") == std::string_view("3"));
}

TEST_CASE("Deployment pods: <deployment>-<pod-template-hash>-<5 chars>, owned by the ReplicaSet") {
    const svcdisc::deployment d = web_deployment();
    const svcdisc::replica_set rs = svcdisc::replica_set_of(d);
    pod_placement placement({"node-a", "node-b"});
    const auto pods = svcdisc::pods_of(d, placement);
    REQUIRE(pods.size() == 3);
    std::set<std::string> names;
    for (const pod& p : pods) {
        CAPTURE(p.metadata.name);
        const std::string prefix = rs.metadata.name + "-";
        CHECK(p.metadata.generate_name == prefix);
        REQUIRE(p.metadata.name.size() == prefix.size() + 5);
        CHECK(p.metadata.name.substr(0, prefix.size()) == prefix);
        CHECK(is_safe_text(p.metadata.name.substr(prefix.size()), "bcdfghjklmnpqrstvwxz2456789"));
        CHECK(p.metadata.namespace_ == "shop");
        CHECK(p.metadata.labels == rs.spec.template_.metadata.labels);
        CHECK(p.metadata.annotations == svcdisc::label_set{{"team", "shop"}});
        check_controller(p, "apps/v1", "ReplicaSet", rs.metadata.name);
        CHECK(p.metadata.owner_references[0].uid == rs.metadata.uid);
        check_running_and_ready(p);
        CHECK(svcdisc::workload_selects(d, p));
        CHECK(svcdisc::is_controlled_by(p, d));
        CHECK(svcdisc::is_controlled_by(p, rs));
        names.insert(p.metadata.name);
    }
    CHECK(names.size() == 3);
    // Round-robin over the nodes; each node's pods take its /24 from .2 on.
    CHECK(pods[0].spec.node_name == "node-a");
    CHECK(pods[1].spec.node_name == "node-b");
    CHECK(pods[2].spec.node_name == "node-a");
    CHECK(pods[0].status.pod_ips == std::vector<std::string>{"10.244.0.2"});
    CHECK(pods[1].status.pod_ips == std::vector<std::string>{"10.244.1.2"});
    CHECK(pods[2].status.pod_ips == std::vector<std::string>{"10.244.0.3"});
    // Deterministic: the same workload and placement give the same pods.
    pod_placement again({"node-a", "node-b"});
    CHECK(svcdisc::pods_of(d, again) == pods);
}

TEST_CASE("generateName: the API server keeps 58 characters and adds 5 from its alphabet") {
    using svcdisc::detail::workloads::generated_name;
    const std::string long_base(70, 'a');
    const std::string name = generated_name(long_base, "seed");
    CHECK(name.size() == 63);
    CHECK(name.substr(0, 58) == std::string(58, 'a'));
    CHECK(generated_name("web-", "seed") == generated_name("web-", "seed"));
    CHECK(generated_name("web-", "seed") != generated_name("web-", "other"));

    svcdisc::replica_set rs;
    rs.metadata.name = std::string(60, 'r');
    rs.spec.replicas = 2;
    for (const pod& p : svcdisc::pods_of(rs)) {
        CHECK(p.metadata.generate_name == std::string(60, 'r') + "-");
        CHECK(p.metadata.name.size() == 63);
    }
}

TEST_CASE("UIDs: deterministic version-8 UUIDs unless the object has one") {
    const svcdisc::replica_set rs = svcdisc::replica_set_of(web_deployment());
    const std::string& uid = rs.metadata.uid;
    REQUIRE(uid.size() == 36);
    for (const std::size_t dash : {8U, 13U, 18U, 23U}) {
        CHECK(uid[dash] == '-');
    }
    CHECK(uid[14] == '8');
    CHECK(std::string_view("89ab").find(uid[19]) != std::string_view::npos);
    CHECK(svcdisc::replica_set_of(web_deployment()).metadata.uid == uid);

    svcdisc::deployment with_uid = web_deployment();
    with_uid.metadata.uid = "0c6f8b3a-1111-4222-8333-444455556666";
    CHECK(svcdisc::replica_set_of(with_uid).metadata.owner_references[0].uid ==
          "0c6f8b3a-1111-4222-8333-444455556666");
    const auto pods = svcdisc::pods_of(web_deployment());
    CHECK(pods[0].metadata.uid != pods[1].metadata.uid);
}

TEST_CASE("StatefulSet identity: <set>-<ordinal>, hostname, subdomain and identity labels") {
    svcdisc::stateful_set set;
    set.metadata.name = "db";
    set.metadata.namespace_ = "data";
    set.spec.replicas = 3;
    set.spec.service_name = "db-headless";
    set.spec.selector = label_selector_spec{{{"app", "db"}}, {}};
    set.spec.template_.metadata.labels = {{"app", "db"}};
    pod_placement placement({"n1", "n2", "n3"});
    const auto pods = svcdisc::pods_of(set, placement);
    REQUIRE(pods.size() == 3);
    std::string revision;
    for (std::size_t i = 0; i < pods.size(); ++i) {
        const pod& p = pods[i];
        const std::string ordinal = std::to_string(i);
        CHECK(p.metadata.name == "db-" + ordinal);
        CHECK(p.metadata.generate_name == "db-");
        CHECK(p.spec.hostname == p.metadata.name);
        CHECK(p.spec.subdomain == "db-headless");
        CHECK(p.metadata.labels.find_value("statefulset.kubernetes.io/pod-name") ==
              std::string_view(p.metadata.name));
        CHECK(p.metadata.labels.find_value("apps.kubernetes.io/pod-index") ==
              std::string_view(ordinal));
        const auto revision_label = p.metadata.labels.find_value("controller-revision-hash");
        REQUIRE(revision_label);
        CHECK(revision_label->substr(0, 3) == "db-");
        CHECK(is_safe_text(revision_label->substr(3), "456789bcdf"));
        if (i == 0) {
            revision = std::string(*revision_label);
        }
        CHECK(*revision_label == revision);
        check_controller(p, "apps/v1", "StatefulSet", "db");
        check_running_and_ready(p);
        CHECK(p.spec.node_name == "n" + std::to_string(i + 1));
        CHECK(svcdisc::workload_selects(set, p));
        CHECK(svcdisc::is_controlled_by(p, set));
    }
    set.spec.ordinals_start = 5;
    set.spec.replicas = 2;
    const auto shifted = svcdisc::pods_of(set);
    CHECK(shifted[0].metadata.name == "db-5");
    CHECK(shifted[1].metadata.labels.find_value("apps.kubernetes.io/pod-index") ==
          std::string_view("6"));
}

TEST_CASE("DaemonSet: one pod per node, revision hash and template generation labels") {
    svcdisc::daemon_set ds;
    ds.metadata.name = "agent";
    ds.metadata.namespace_ = "kube-system";
    ds.spec.selector = label_selector_spec{{{"app", "agent"}}, {}};
    ds.spec.template_.metadata.labels = {{"app", "agent"}};
    pod_placement placement({"n1", "n2", "n3"});
    const auto pods = svcdisc::pods_of(ds, placement);
    REQUIRE(pods.size() == 3);
    for (std::size_t i = 0; i < pods.size(); ++i) {
        const pod& p = pods[i];
        CHECK(p.spec.node_name == "n" + std::to_string(i + 1));
        CHECK(p.status.pod_ip == "10.244." + std::to_string(i) + ".2");
        CHECK(p.metadata.generate_name == "agent-");
        const auto hash = p.metadata.labels.find_value("controller-revision-hash");
        REQUIRE(hash);
        CHECK(is_safe_text(*hash, "456789bcdf"));
        CHECK(p.metadata.labels.find_value("pod-template-generation") == std::string_view("1"));
        check_controller(p, "apps/v1", "DaemonSet", "agent");
        CHECK(svcdisc::workload_selects(ds, p));
    }
    const auto lone = svcdisc::pods_of(ds);
    REQUIRE(lone.size() == 1);
    CHECK(lone[0].spec.node_name.empty());
    CHECK(lone[0].status.pod_ip == "10.244.0.2");
}

TEST_CASE("generateSelector: Job pods carry job-name and controller-uid labels, new and legacy") {
    svcdisc::job j;
    j.metadata.name = "pi";
    j.metadata.namespace_ = "batch";
    j.metadata.uid = "11111111-2222-4333-8444-555555555555";
    j.spec.template_ = web_template();
    const auto pods = svcdisc::pods_of(j);
    REQUIRE(pods.size() == 1);
    const auto& labels = pods[0].metadata.labels;
    CHECK(labels.find_value("batch.kubernetes.io/job-name") == std::string_view("pi"));
    CHECK(labels.find_value("job-name") == std::string_view("pi"));
    CHECK(labels.find_value("batch.kubernetes.io/controller-uid") ==
          std::string_view("11111111-2222-4333-8444-555555555555"));
    CHECK(labels.find_value("controller-uid") ==
          std::string_view("11111111-2222-4333-8444-555555555555"));
    CHECK(labels.find_value("app") == std::string_view("web"));
    CHECK(pods[0].metadata.generate_name == "pi-");
    check_controller(pods[0], "batch/v1", "Job", "pi");
    CHECK(svcdisc::workload_selects(j, pods[0]));
    CHECK(svcdisc::is_controlled_by(pods[0], j));

    svcdisc::job generated = j;
    svcdisc::generate_selector(generated);
    CHECK(generated.spec.selector->match_labels ==
          svcdisc::label_set{
              {"batch.kubernetes.io/controller-uid", "11111111-2222-4333-8444-555555555555"}});

    // A label the user wrote is kept; a manual selector turns generation off.
    svcdisc::job user_label = j;
    user_label.spec.template_.metadata.labels.insert_or_assign("job-name", "custom");
    svcdisc::generate_selector(user_label);
    CHECK(user_label.spec.template_.metadata.labels.find_value("job-name") ==
          std::string_view("custom"));
    svcdisc::job manual = j;
    manual.spec.manual_selector = true;
    manual.spec.selector = label_selector_spec{{{"app", "web"}}, {}};
    svcdisc::generate_selector(manual);
    CHECK(manual.spec.template_.metadata.labels == svcdisc::label_set{{"app", "web"}});
    // Without a UID the Job gets a deterministic one.
    svcdisc::job anonymous = j;
    anonymous.metadata.uid.clear();
    svcdisc::generate_selector(anonymous);
    CHECK(anonymous.metadata.uid.size() == 36);
}

TEST_CASE("Job: parallelism pods at once, capped by completions; none when suspended") {
    const auto running = [](std::optional<std::int32_t> parallelism,
                            std::optional<std::int32_t> completions, bool suspend = false) {
        svcdisc::job j;
        j.metadata.name = "work";
        j.spec.parallelism = parallelism;
        j.spec.completions = completions;
        j.spec.suspend = suspend;
        return svcdisc::pods_of(j).size();
    };
    CHECK(running(std::nullopt, std::nullopt) == 1);
    CHECK(running(3, std::nullopt) == 3);
    CHECK(running(3, 2) == 2);
    CHECK(running(2, 10) == 2);
    CHECK(running(std::nullopt, 4) == 1);
    CHECK(running(0, 4) == 0);
    CHECK(running(3, 5, true) == 0);
}

TEST_CASE("Indexed Job: generateName <job>-<index>-, hostname <job>-<index>, index label") {
    svcdisc::job j;
    j.metadata.name = "train";
    j.spec.completions = 4;
    j.spec.parallelism = 3;
    j.spec.completion_mode = "Indexed";
    const auto pods = svcdisc::pods_of(j);
    REQUIRE(pods.size() == 3);
    for (std::size_t i = 0; i < pods.size(); ++i) {
        const std::string index = std::to_string(i);
        const pod& p = pods[i];
        CHECK(p.metadata.generate_name == "train-" + index + "-");
        CHECK(p.metadata.name.substr(0, p.metadata.generate_name.size()) ==
              p.metadata.generate_name);
        CHECK(p.spec.hostname == "train-" + index);
        CHECK(p.metadata.labels.find_value("batch.kubernetes.io/job-completion-index") ==
              std::string_view(index));
        CHECK(p.metadata.annotations.find_value("batch.kubernetes.io/job-completion-index") ==
              std::string_view(index));
    }
}

TEST_CASE("CronJob: nothing runs until the schedule fires; the Job it then creates") {
    svcdisc::cron_job cj;
    cj.metadata.name = "nightly";
    cj.metadata.namespace_ = "ops";
    cj.spec.schedule = "0 10 * * *";
    cj.spec.job_template.metadata.labels = {{"kind", "report"}};
    cj.spec.job_template.spec.template_ = web_template();
    CHECK(svcdisc::pods_of(cj).empty());

    const std::int64_t scheduled = 1714557600; // 2024-05-01T10:00:00Z
    const svcdisc::job j = svcdisc::job_for_schedule(cj, scheduled);
    CHECK(j.metadata.name == "nightly-28575960");
    CHECK(j.metadata.namespace_ == "ops");
    CHECK(j.metadata.labels == svcdisc::label_set{{"kind", "report"}});
    CHECK(j.metadata.annotations.find_value("batch.kubernetes.io/cronjob-scheduled-timestamp") ==
          std::string_view("2024-05-01T10:00:00Z"));
    CHECK(j.metadata.creation_timestamp == std::string("2024-05-01T10:00:00Z"));
    REQUIRE(j.metadata.owner_references.size() == 1);
    CHECK(j.metadata.owner_references[0].kind == "CronJob");
    CHECK(j.metadata.owner_references[0].api_version == "batch/v1");

    pod_placement placement;
    const auto pods = svcdisc::pods_of(cj, placement, scheduled);
    REQUIRE(pods.size() == 1);
    check_controller(pods[0], "batch/v1", "Job", "nightly-28575960");
    CHECK(pods[0].metadata.labels.find_value("job-name") == std::string_view("nightly-28575960"));
    cj.spec.suspend = true;
    CHECK(svcdisc::pods_of(cj, placement, scheduled).empty());
}

TEST_CASE("RFC 3339 in UTC, as the CronJob controller writes the scheduled time") {
    using svcdisc::detail::workloads::rfc3339_utc;
    CHECK(rfc3339_utc(0) == "1970-01-01T00:00:00Z");
    CHECK(rfc3339_utc(951782400) == "2000-02-29T00:00:00Z");
    CHECK(rfc3339_utc(1709251199) == "2024-02-29T23:59:59Z");
    CHECK(rfc3339_utc(-1) == "1969-12-31T23:59:59Z");
}

TEST_CASE("ReplicationController pods: <rc>-<5 chars>, owned by the controller, map selector") {
    svcdisc::replication_controller rc;
    rc.metadata.name = "legacy";
    rc.metadata.namespace_ = "old";
    rc.spec.replicas = 2;
    rc.spec.template_ = web_template();
    const auto pods = svcdisc::pods_of(rc);
    REQUIRE(pods.size() == 2);
    for (const pod& p : pods) {
        CHECK(p.metadata.generate_name == "legacy-");
        CHECK(p.metadata.name.size() == 12);
        check_controller(p, "v1", "ReplicationController", "legacy");
        CHECK(svcdisc::workload_selects(rc, p));
        CHECK(svcdisc::is_controlled_by(p, rc));
    }
    svcdisc::replication_controller no_template;
    no_template.spec.replicas = 3;
    CHECK(svcdisc::pods_of(no_template).empty());
}

TEST_CASE("workload_selects and is_controlled_by tell a workload's pods from others") {
    const svcdisc::deployment d = web_deployment();
    auto pods = svcdisc::pods_of(d);
    pod other_namespace = pods[0];
    other_namespace.metadata.namespace_ = "elsewhere";
    CHECK_FALSE(svcdisc::workload_selects(d, other_namespace));
    CHECK_FALSE(svcdisc::is_controlled_by(other_namespace, d));

    pod old_revision = pods[0];
    old_revision.metadata.labels.insert_or_assign("pod-template-hash", "6b7f5");
    CHECK(svcdisc::workload_selects(d, old_revision));
    CHECK_FALSE(svcdisc::is_controlled_by(old_revision, d));

    pod orphan = pods[0];
    orphan.metadata.owner_references.clear();
    CHECK(svcdisc::workload_selects(d, orphan));
    CHECK_FALSE(svcdisc::is_controlled_by(orphan, d));

    svcdisc::deployment no_selector = web_deployment();
    no_selector.spec.selector.reset();
    CHECK_FALSE(svcdisc::workload_selects(no_selector, pods[0]));

    svcdisc::deployment everything = web_deployment();
    everything.spec.selector = label_selector_spec{};
    CHECK(svcdisc::workload_selects(everything, pods[0]));

    svcdisc::stateful_set set;
    set.metadata.name = "web";
    set.metadata.namespace_ = "shop";
    CHECK_FALSE(svcdisc::is_controlled_by(pods[0], set));
}

TEST_CASE("pod_placement: node CIDRs, shared addresses across calls, reserve, dual stack") {
    pod_placement placement({"a", "b"});
    CHECK(placement.node_cidr(0, 0).to_string() == "10.244.0.0/24");
    CHECK(placement.node_cidr(1, 0).to_string() == "10.244.1.0/24");
    placement.reserve(svcdisc::ip_address::parse("10.244.0.2").value());
    CHECK(placement.next_addresses(0)[0].to_string() == "10.244.0.3");
    const auto first = svcdisc::pods_of(web_deployment(2), placement);
    svcdisc::deployment api = web_deployment(2);
    api.metadata.name = "api";
    const auto second = svcdisc::pods_of(api, placement);
    std::set<std::string> addresses;
    for (const auto* pods : {&first, &second}) {
        for (const pod& p : *pods) {
            CHECK(addresses.insert(p.status.pod_ip).second);
        }
    }
    CHECK(addresses.size() == 4);
    CHECK(first[0].status.pod_ip == "10.244.0.4");
    CHECK(second[1].status.pod_ip == "10.244.1.3");

    auto dual = pod_placement::create({"a"}, {svcdisc::ip_cidr::parse("10.244.0.0/16").value(),
                                              svcdisc::ip_cidr::parse("fd00:10:244::/56").value()})
                    .value();
    CHECK(dual.node_cidr(0, 1).to_string() == "fd00:10:244::/64");
    const auto dual_pods = svcdisc::pods_of(web_deployment(2), dual);
    CHECK(dual_pods[0].status.pod_ips == std::vector<std::string>{"10.244.0.2", "fd00:10:244::2"});
    CHECK(dual_pods[1].status.pod_ips == std::vector<std::string>{"10.244.0.3", "fd00:10:244::3"});
}

TEST_CASE("pod_placement: refusals and a full node") {
    const auto cidr = [](std::string_view text) { return svcdisc::ip_cidr::parse(text).value(); };
    CHECK(pod_placement::create({}, {cidr("10.0.0.0/16"), cidr("10.1.0.0/16")}).error().message ==
          "cluster CIDRs must be one CIDR, or two of different IP families");
    CHECK(pod_placement::create({}, {cidr("10.0.0.0/25")}).error().message ==
          "node CIDR mask /24 does not fit in cluster CIDR 10.0.0.0/25");
    CHECK(pod_placement::create({"a", "b", "c"}, {cidr("10.0.0.0/23")}).error().message ==
          "cluster CIDR 10.0.0.0/23 holds 2 node CIDRs of /24, not 3");
    std::vector<std::string> many(257, "n");
    CHECK_THROWS_AS(pod_placement{many}, svcdisc::parse_error);

    // A /30 per node leaves one pod address (.2) after the network address and the bridge.
    auto tiny = pod_placement::create({"a"}, {cidr("10.0.0.0/24")}, 30).value();
    CHECK(tiny.next_addresses(0)[0].to_string() == "10.0.0.2");
    CHECK_THROWS_AS(tiny.next_addresses(0), std::length_error);
}
