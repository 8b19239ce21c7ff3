#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/detail/proxy/categorize.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/ip.hpp>

/// How kube-proxy turns EndpointSlices into the endpoints of one service port
/// (`pkg/proxy/endpointslicecache.go`, `addEndpoints`).
namespace svcdisc::detail::proxy {

/// `net.JoinHostPort(ip, port)`: IPv6 addresses in brackets.
[[nodiscard]] inline std::string join_host_port(std::string_view ip, std::int32_t port) {
    std::string out;
    const bool bracket = ip.find(':') != std::string_view::npos;
    out.reserve(ip.size() + 8);
    if (bracket) {
        out += '[';
    }
    out += ip;
    if (bracket) {
        out += ']';
    }
    out += ':';
    out += std::to_string(port);
    return out;
}

/// A name list as kube-proxy's string sets hold it: sorted, without repeats.
template <class String>
[[nodiscard]] std::vector<std::string> name_set(const std::vector<String>& names) {
    std::vector<std::string> out;
    out.reserve(names.size());
    for (const auto& name : names) {
        out.emplace_back(std::string_view(name));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

/// The endpoints one slice port contributes, as kube-proxy reads them: the first address only
/// (printed back as Go prints a parsed IP, `<nil>` when it is none), unset ready and serving
/// counting as true, node hints only with the PreferSameTrafficDistribution gate. Endpoints
/// without addresses are skipped.
template <class String>
void add_endpoints(const basic_endpoint_slice<String>& slice, std::int32_t port,
                   std::string_view node, bool node_hints_enabled,
                   std::vector<routed_endpoint>& into) {
    for (const auto& ep : slice.endpoints) {
        if (ep.addresses.empty()) {
            continue;
        }
        routed_endpoint info;
        info.ip = canonical_ip(std::string_view(ep.addresses.front())).value_or("<nil>");
        info.port = port;
        info.endpoint = join_host_port(info.ip, port);
        if (ep.node_name) {
            info.node_name = std::string(std::string_view(*ep.node_name));
            info.is_local = !node.empty() && info.node_name == node;
        }
        info.ready = ep.conditions.ready.value_or(true);
        info.serving = ep.conditions.serving.value_or(true);
        info.terminating = ep.conditions.terminating.value_or(false);
        if (ep.hints) {
            info.zone_hints = name_set(ep.hints->for_zones);
            if (node_hints_enabled) {
                info.node_hints = name_set(ep.hints->for_nodes);
            }
        }
        info.slice = std::string(std::string_view(slice.metadata.name));
        into.push_back(std::move(info));
    }
}

/// Keeps one endpoint per `IP:port`, sorted by it. Of several with the same address (a pod seen
/// in two slices while it moves, or an IP reused before the old pod is gone) the last one that
/// is not terminating wins, else the first; the losers are moved to `shadowed`.
inline void deduplicate(std::vector<routed_endpoint>& endpoints,
                        std::vector<routed_endpoint>& shadowed) {
    std::stable_sort(endpoints.begin(), endpoints.end(),
                     [](const auto& a, const auto& b) { return a.endpoint < b.endpoint; });
    std::vector<routed_endpoint> kept;
    kept.reserve(endpoints.size());
    for (auto& ep : endpoints) {
        if (kept.empty() || kept.back().endpoint != ep.endpoint) {
            kept.push_back(std::move(ep));
        } else if (!ep.terminating) {
            shadowed.push_back(std::move(kept.back()));
            kept.back() = std::move(ep);
        } else {
            shadowed.push_back(std::move(ep));
        }
    }
    endpoints = std::move(kept);
}

} // namespace svcdisc::detail::proxy
