#pragma once

#include <string>
#include <vector>

#include <svcdisc/service.hpp>

#include "commands/cluster_view.hpp"
#include "read/cluster.hpp"

namespace svcdisc_cli {

/// How the Endpoints and EndpointSlices the input captured for `svc` differ from what the
/// Endpoints and EndpointSlice controllers would write for the input's pods: one message per
/// object kind, naming each address missing from the capture or extra in it, each address
/// whose readiness differs, and the ports when they differ. Empty when the input captured
/// nothing for the Service, when it matches, or when the Service's namespace holds no pods
/// (the captured objects are then all there is: cluster_view::captured_only_namespaces).
std::vector<std::string> capture_drift(const cluster& c, const cluster_view& view,
                                       const svcdisc::service& svc);

} // namespace svcdisc_cli
