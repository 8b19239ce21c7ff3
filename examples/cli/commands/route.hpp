#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <svcdisc/service.hpp>

#include "commands/session.hpp"

namespace svcdisc_cli {

/// Which Nodes' kube-proxy sends a Service's internal traffic to each pod: `explain`'s
/// per-pod routing line. Computed once per Service from the Nodes of the input.
class pod_routing {
  public:
    pod_routing(session& s, const svcdisc::service& svc);

    /// "  routed to from: node-a, node-b\n" (or "from: no node") for a pod that has an
    /// endpoint in the Service's slices; empty when it has none, when the input lists no Node
    /// or when kube-proxy does not proxy the Service.
    [[nodiscard]] std::string line(std::string_view pod_namespace, std::string_view pod_name) const;

  private:
    bool shown_ = false;
    /// Per pod (namespace, name), the Nodes routing to one of its endpoints; a pod with
    /// endpoints but no routing Node maps to an empty set.
    std::map<std::pair<std::string, std::string>, std::set<std::string>, std::less<>> nodes_of_;
};

} // namespace svcdisc_cli
