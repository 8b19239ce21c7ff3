#pragma once

// Why a pod is or is not behind a Service: the verdict `explain` and `services-for` print,
// and the reasons `check` counts.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

#include "commands/cluster_view.hpp"
#include "print/emitter.hpp"

namespace svcdisc_cli {

/// Whether one Service port's targetPort resolves on the pod.
struct port_verdict {
    const svcdisc::service_port* port;
    std::string service_port; // "http 80/TCP -> http-web"
    std::optional<std::int32_t> resolved;
    std::string reason; // why it did not resolve
};

/// One pod against one Service: selected or why not, then its state in the derived
/// Endpoints and EndpointSlices with reasons, and each port.
struct verdict {
    std::string pod;
    bool selected = false;
    std::string reason;          // why not selected
    std::string endpoints_state; // ready | not ready | left out
    std::string endpoints_reason;
    std::string endpoints_address;
    std::string slices_state;
    std::string slices_reason;
    std::vector<std::string> slice_names;
    std::vector<port_verdict> ports;
};

/// `http 80/TCP -> http-web`.
std::string describe_port(const svcdisc::service_port& port);

/// Why FindPort did not resolve `port`'s named targetPort on a pod, in words: a declaration
/// with another protocol, one only in an init container that is not a sidecar, or none at all.
std::string unresolved_port_reason(const svcdisc::find_port_result& result,
                                   const svcdisc::service_port& port);

/// One selector entry of `svc` that no pod satisfies, and the labels that come close
/// (near_misses.hpp) in words: `app=myapp (2 pods, differs only in case), name=MyApp (1 pod)`.
struct unmatched_entry {
    std::string entry;       // key=value
    std::string near_misses; // empty when nothing comes close
};

/// The selector entries of `svc` no pod of `pods` satisfies, in the selector's key order.
std::vector<unmatched_entry> unmatched_selector_entries(const svcdisc::service& svc,
                                                        std::span<const svcdisc::pod> pods);

/// `p` against `svc`, whose derived Endpoints and slices are `eps` and `slices`.
verdict judge(const cluster_view& view, const svcdisc::service& svc, const svcdisc::pod& p,
              const std::optional<svcdisc::endpoints>& eps,
              const std::vector<svcdisc::endpoint_slice>& slices);

/// The pod `name` of namespace `ns`, or null.
const svcdisc::pod* find_pod(const cluster_view& view, std::string_view ns, std::string_view name);

/// A verdict as `-o json` prints it, and as text.
void emit_verdict(const verdict& v, emitter& out);
std::string verdict_text(const verdict& v);

} // namespace svcdisc_cli
