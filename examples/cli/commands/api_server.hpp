#pragma once

#include <vector>

#include <svcdisc/allocate.hpp>

#include "args.hpp"
#include "read/cluster.hpp"
#include "read/input.hpp"

namespace svcdisc_cli {

/// The Service ranges and node-port range of the cluster, from --service-cluster-ip-range and
/// --service-node-port-range (kube-apiserver's flags and defaults); a bad value is a caret
/// error pointing into it (exit 2).
svcdisc::cluster_config service_allocation_config(const arguments& args);

/// The pod network of --cluster-cidr (kube-controller-manager's flag: one CIDR, or two of
/// different families), 10.244.0.0/16 when not given; a bad entry is a caret error (exit 2).
std::vector<svcdisc::ip_cidr> cluster_cidrs(const arguments& args);

/// What the API server does to the input's Services on create (svcdisc::allocate): each
/// Service without clusterIPs gets its IP family fields, cluster IPs and node ports. A Service
/// with clusterIPs was written by an API server and holds its addresses already; they are
/// taken first. Then the Services that ask for a clusterIP get it, then the others get free
/// ones, each group in namespace and name order, so the result does not depend on the order
/// of the input. The API server's refusal is a positioned error (exit 2), or, when
/// `leave_out_refused`, the refused Service is recorded in cluster::refused and left out.
void allocate_services(cluster& c, const svcdisc::cluster_config& config, const input_store& store,
                       bool leave_out_refused);

} // namespace svcdisc_cli
