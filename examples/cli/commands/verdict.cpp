#include "commands/verdict.hpp"

#include <algorithm>

#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/ip.hpp>

namespace svcdisc_cli {

std::string describe_port(const svcdisc::service_port& port) {
    std::string out = port.name.empty() ? "" : port.name + " ";
    out += std::to_string(port.port) + "/" + port.protocol + " -> ";
    out += port.target_port.is_string() ? port.target_port.text()
                                        : std::to_string(port.target_port.number());
    return out;
}

/// Why a named targetPort does not resolve on `p`: a port of that name with another protocol,
/// one declared only in an init container that is not a sidecar, or none at all.
unresolved unresolved_reason(const svcdisc::pod& p, const svcdisc::service_port& port) {
    const std::string& wanted = port.target_port.text();
    for (const auto& c : p.spec.containers) {
        for (const auto& cp : c.ports) {
            if (cp.name == wanted) {
                return {"container " + c.name + " declares port " + wanted + " with protocol " +
                            cp.protocol + ", the Service port uses " + port.protocol,
                        true};
            }
        }
    }
    for (const auto& c : p.spec.init_containers) {
        for (const auto& cp : c.ports) {
            if (cp.name == wanted) {
                const bool sidecar = c.restart_policy && *c.restart_policy == "Always";
                if (sidecar) {
                    return {"sidecar " + c.name + " declares port " + wanted + " with protocol " +
                                cp.protocol + ", the Service port uses " + port.protocol,
                            true};
                }
                return {"port " + wanted + " is declared by init container " + c.name +
                        ", which is not a sidecar (restartPolicy: Always)"};
            }
        }
    }
    return {"no container declares a port named " + wanted};
}

namespace {

/// The first selector entry `p` fails: a missing label or another value.
std::string first_selector_mismatch(const svcdisc::service& svc, const svcdisc::pod& p) {
    for (const auto& [k, v] : *svc.spec.selector) {
        const auto found = p.metadata.labels.find_value(k);
        if (!found) {
            return "label " + k + " is missing (selector wants " + k + "=" + v + ")";
        }
        if (*found != v) {
            return "label " + k + "=" + std::string(*found) + " does not match selector entry " +
                   k + "=" + v;
        }
    }
    return {};
}

} // namespace

verdict judge(const cluster_view& view, const svcdisc::service& svc, const svcdisc::pod& p,
              const std::optional<svcdisc::endpoints>& eps,
              const std::vector<svcdisc::endpoint_slice>& slices) {
    verdict v;
    v.pod = p.metadata.name;
    if (p.metadata.namespace_ != svc.metadata.namespace_) {
        v.reason = "pod is in namespace " + p.metadata.namespace_ + ", the Service in " +
                   svc.metadata.namespace_;
        return v;
    }
    if (svc.spec.type == svcdisc::service_type::external_name) {
        v.reason = "type ExternalName: no controller publishes endpoints";
        return v;
    }
    if (!svcdisc::service_has_selector(svc)) {
        v.reason = "the Service has no selector: its endpoints are managed by hand";
        return v;
    }
    v.reason = first_selector_mismatch(svc, p);
    if (!v.reason.empty()) {
        return v;
    }
    v.selected = true;
    const bool pnra = svc.spec.publish_not_ready_addresses;
    for (const auto& port : svc.spec.ports) {
        port_verdict pv;
        pv.port = &port;
        pv.service_port = describe_port(port);
        pv.resolved = svcdisc::find_target_port(p, port);
        if (!pv.resolved) {
            pv.reason = unresolved_reason(p, port).reason;
        }
        v.ports.push_back(std::move(pv));
    }
    const bool any_port = std::any_of(v.ports.begin(), v.ports.end(), [](const port_verdict& pv) {
        return pv.resolved.has_value();
    });
    std::string common; // a reason that keeps the pod out of both views
    if (p.status.phase == svcdisc::pod_phase::failed ||
        p.status.phase == svcdisc::pod_phase::succeeded) {
        common = "phase " + p.status.phase + " is terminal";
    } else if (p.status.pod_ip.empty() && p.status.pod_ips.empty()) {
        common = "the pod has no IP (status.podIP and status.podIPs are empty)";
    }
    const bool ready_condition = svcdisc::is_pod_ready(p);
    const bool terminating = p.metadata.deletion_timestamp.has_value();
    std::string not_ready_why = "the pod has no Ready condition";
    for (const auto& c : p.status.conditions) {
        if (c.type == "Ready") {
            not_ready_why = "condition Ready is " + c.status;
            break;
        }
    }

    // Where the pod is in the Endpoints the Endpoints controller writes (syncService).
    const std::string& uid = p.metadata.uid;
    auto find_in_endpoints = [&](std::string& state) -> std::string {
        if (!eps) {
            return {};
        }
        for (const auto& subset : eps->subsets) {
            for (const auto* list : {&subset.addresses, &subset.not_ready_addresses}) {
                for (const auto& a : *list) {
                    if (a.target_ref && a.target_ref->name == p.metadata.name &&
                        a.target_ref->uid == uid) {
                        state = list == &subset.addresses ? "ready" : "not ready";
                        return a.ip;
                    }
                }
            }
        }
        return {};
    };
    std::string state;
    v.endpoints_address = find_in_endpoints(state);
    if (!v.endpoints_address.empty()) {
        v.endpoints_state = state;
        if (state == "not ready") {
            v.endpoints_reason = not_ready_why;
        } else if (pnra && !ready_condition) {
            v.endpoints_reason = "publishNotReadyAddresses publishes it as ready";
        }
    } else {
        v.endpoints_state = "left out";
        const auto family = svcdisc::service_address_family(svc);
        const auto wanted = family ? *family : svcdisc::ip_family_of(p.status.pod_ip);
        const bool has_family =
            std::any_of(p.status.pod_ips.begin(), p.status.pod_ips.end(),
                        [&](const std::string& ip) { return svcdisc::ip_family_of(ip) == wanted; });
        if (!common.empty()) {
            v.endpoints_reason = common;
        } else if (terminating && !pnra) {
            v.endpoints_reason = "the pod is terminating (deletionTimestamp is set) and "
                                 "publishNotReadyAddresses is false";
        } else if (!has_family) {
            v.endpoints_reason = std::string("status.podIPs holds no ") +
                                 (wanted == svcdisc::ip_family::ipv6 ? "IPv6" : "IPv4") +
                                 " address (the Service's primary family)";
        } else if (svc.spec.ports.empty()) {
            v.endpoints_reason = "the Service has no ports and is not headless";
        } else if (!any_port) {
            v.endpoints_reason = "no target port resolves on this pod";
        } else {
            v.endpoints_reason = "cut by the 1000-address capacity of an Endpoints object";
        }
    }

    // Where the pod is in the slices the EndpointSlice controller writes (reconcile).
    for (const auto& s : slices) {
        for (const auto& e : s.endpoints) {
            if (e.target_ref && e.target_ref->name == p.metadata.name && e.target_ref->uid == uid) {
                v.slice_names.push_back(s.metadata.name + " (" + s.address_type + ")");
                if (v.slices_state.empty()) {
                    const bool ready = e.conditions.ready.value_or(true);
                    v.slices_state = ready                                 ? "ready"
                                     : e.conditions.serving.value_or(true) ? "serving, not ready"
                                                                           : "not ready";
                    if (e.conditions.terminating.value_or(false)) {
                        v.slices_state += ", terminating";
                    }
                    if (!ready && !terminating) {
                        v.slices_reason = not_ready_why;
                    } else if (!ready) {
                        v.slices_reason = "the pod is terminating";
                    }
                    if (s.ports.empty() && !svc.spec.ports.empty()) {
                        v.slices_reason += std::string(v.slices_reason.empty() ? "" : "; ") +
                                           "in a slice without ports: no target port resolves";
                    }
                }
            }
        }
    }
    if (v.slices_state.empty()) {
        v.slices_state = "left out";
        const bool known_node =
            !p.spec.node_name.empty() && (view.policy() == svcdisc::node_policy::assume_present ||
                                          view.find_node(p.spec.node_name) != nullptr);
        if (!common.empty()) {
            v.slices_reason = common;
        } else if (!known_node && !pnra) {
            v.slices_reason =
                p.spec.node_name.empty()
                    ? "spec.nodeName is empty (the pod is not scheduled)"
                    : "node " + p.spec.node_name + " is not in the input (node policy upstream)";
        } else {
            v.slices_reason = "status.podIPs holds no address of the Service's address types";
        }
    }
    return v;
}

const svcdisc::pod* find_pod(const cluster_view& view, std::string_view ns, std::string_view name) {
    const auto pods = view.pods_in(ns);
    const auto it = std::lower_bound(
        pods.begin(), pods.end(), name,
        [](const svcdisc::pod& p, std::string_view wanted) { return p.metadata.name < wanted; });
    return it != pods.end() && it->metadata.name == name ? &*it : nullptr;
}

void emit_verdict(const verdict& v, emitter& out) {
    out.begin_object();
    out.field("pod", v.pod);
    out.key("selected");
    out.boolean(v.selected);
    if (!v.selected) {
        out.field("reason", v.reason);
        out.end_object();
        return;
    }
    out.key("endpoints");
    out.begin_object();
    out.field("state", v.endpoints_state);
    if (!v.endpoints_address.empty()) {
        out.field("address", v.endpoints_address);
    }
    if (!v.endpoints_reason.empty()) {
        out.field("reason", v.endpoints_reason);
    }
    out.end_object();
    out.key("endpointSlices");
    out.begin_object();
    out.field("state", v.slices_state);
    if (!v.slices_reason.empty()) {
        out.field("reason", v.slices_reason);
    }
    out.key("slices");
    out.begin_array();
    for (const auto& s : v.slice_names) {
        out.string(s);
    }
    out.end_array();
    out.end_object();
    out.key("ports");
    out.begin_array();
    for (const auto& pv : v.ports) {
        out.begin_object();
        if (!pv.port->name.empty()) {
            out.field("name", pv.port->name);
        }
        out.key("port");
        out.integer(pv.port->port);
        out.field("protocol", pv.port->protocol);
        out.key("targetPort");
        if (pv.port->target_port.is_string()) {
            out.string(pv.port->target_port.text());
        } else {
            out.integer(pv.port->target_port.number());
        }
        if (pv.resolved) {
            out.key("resolved");
            out.integer(*pv.resolved);
        } else {
            out.key("resolved");
            out.null();
            out.field("reason", pv.reason);
        }
        out.end_object();
    }
    out.end_array();
    out.end_object();
}

std::string verdict_text(const verdict& v) {
    std::string out = "pod " + v.pod + ": ";
    if (!v.selected) {
        return out + "not selected: " + v.reason + "\n";
    }
    out += "selected\n";
    out += "  endpoints:      " + v.endpoints_state;
    if (!v.endpoints_address.empty()) {
        out += " " + v.endpoints_address;
    }
    if (!v.endpoints_reason.empty()) {
        out += ": " + v.endpoints_reason;
    }
    out += "\n  endpointslices: " + v.slices_state;
    if (!v.slice_names.empty()) {
        out += " in ";
        for (std::size_t i = 0; i < v.slice_names.size(); ++i) {
            out += (i ? ", " : "") + v.slice_names[i];
        }
    }
    if (!v.slices_reason.empty()) {
        out += ": " + v.slices_reason;
    }
    out += "\n";
    for (const auto& pv : v.ports) {
        out += "  port " + pv.service_port + ": ";
        out += pv.resolved ? "resolves to " + std::to_string(*pv.resolved)
                           : "does not resolve: " + pv.reason;
        out += "\n";
    }
    return out;
}

} // namespace svcdisc_cli
