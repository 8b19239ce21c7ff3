#pragma once

#include <string>
#include <vector>

#include <svcdisc/allocate.hpp>
#include <svcdisc/pod.hpp>

#include "print/emitter.hpp"
#include "read/cluster.hpp"

namespace svcdisc_cli {

/// A pod a workload of the input will create that the input does not hold: the first pod
/// svcdisc::pods_of gives for the workload, before scheduling (no node, no status). Only its
/// labels, namespace and containers matter: Services select it and resolve target ports on it.
struct planned_pod {
    svcdisc::pod pod;
    /// `deployment/web`: how commands name it.
    std::string ref;
    /// `deployment/web, 3 replicas, from its template`.
    std::string description;
};

/// The pods the input's workloads will create and the input lacks: one per workload that has
/// no pod of its own in the input (none controlled by it, none its selector takes), is not
/// itself controlled by another workload of the input (a Deployment's ReplicaSet, a CronJob's
/// Job: their owner answers for them) and would run at least one pod. In input order.
std::vector<planned_pod> plan_pods(const cluster& c);

/// `--simulate`: the cluster once every workload without pods has rolled out. Their pods
/// (svcdisc::pods_of) are added to the input, Running and Ready, scheduled round-robin on the
/// input's Nodes (by name; on one Node named `svcdisc-simulated-node` when the input has none)
/// with addresses from `cluster_cidrs` that no input pod holds. A CronJob gets the pods of the
/// Job its schedule would start this minute (now_seconds, so SVCDISC_NOW fixes it).
void simulate_rollout(cluster& c, const std::vector<svcdisc::ip_cidr>& cluster_cidrs,
                      const note_function& note);

/// A pod simulate_rollout added, as `kubectl get pod -o yaml` would show it once created.
void emit_simulated_pod(const svcdisc::pod& p, emitter& out);

/// True for the origin simulate_rollout gives the pods it adds: they were never read.
bool is_simulated(const origin& from);

} // namespace svcdisc_cli
