#include "commands/verdict.hpp"

#include <algorithm>
#include <cstddef>

#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/near_misses.hpp>

namespace svcdisc_cli {

std::string describe_port(const svcdisc::service_port& port) {
    std::string out = port.name.empty() ? "" : port.name + " ";
    out += std::to_string(port.port) + "/" + port.protocol + " -> ";
    out += port.target_port.is_string() ? port.target_port.text()
                                        : std::to_string(port.target_port.number());
    return out;
}

std::string unresolved_port_reason(const svcdisc::find_port_result& result,
                                   const svcdisc::service_port& port) {
    const std::string wanted = port.target_port.text();
    const std::string container(result.container);
    switch (result.status) {
    case svcdisc::find_port_status::other_protocol:
        return (result.kind == svcdisc::container_kind::sidecar ? "sidecar " : "container ") +
               container + " declares port " + wanted + " with protocol " +
               std::string(result.declared_protocol) + ", the Service port uses " + port.protocol;
    case svcdisc::find_port_status::init_container_only:
        return "port " + wanted + " is declared by init container " + container +
               ", which is not a sidecar (restartPolicy: Always)";
    case svcdisc::find_port_status::not_declared:
        return "no container declares a port named " + wanted;
    case svcdisc::find_port_status::numeric:
    case svcdisc::find_port_status::named:
        break;
    }
    return {};
}

namespace {

/// How far a near miss is from what the selector wants: `differs only in case`, `1 edit
/// away`, or empty when it is not close.
std::string closeness_text(const svcdisc::text_similarity& similarity, bool close) {
    if (!close) {
        return {};
    }
    if (similarity.case_only) {
        return "differs only in case";
    }
    return std::to_string(similarity.distance) +
           (similarity.distance == 1 ? " edit away" : " edits away");
}

/// At most this many near misses are named per selector entry.
constexpr std::size_t shown_near_misses = 5;

} // namespace

std::vector<unmatched_entry> unmatched_selector_entries(const svcdisc::service& svc,
                                                        std::span<const svcdisc::pod> pods) {
    std::vector<unmatched_entry> entries;
    if (svcdisc::service_endpoint_management(svc) != svcdisc::endpoint_management::managed) {
        return entries;
    }
    for (const auto& [key, value] : *svc.spec.selector) {
        const auto misses = svcdisc::selector_entry_near_misses(key, value, pods);
        if (misses.satisfying > 0) {
            continue;
        }
        unmatched_entry entry;
        entry.entry = key + "=" + value;
        for (std::size_t i = 0; i < misses.near.size() && i < shown_near_misses; ++i) {
            const auto& miss = misses.near[i];
            const std::string how = closeness_text(miss.similarity, miss.close);
            entry.near_misses += (i == 0 ? "" : ", ") + miss.key + "=" + miss.value + " (" +
                                 std::to_string(miss.pods) + (miss.pods == 1 ? " pod" : " pods") +
                                 (how.empty() ? "" : ", " + how) + ")";
        }
        if (misses.near.size() > shown_near_misses) {
            entry.near_misses +=
                ", and " + std::to_string(misses.near.size() - shown_near_misses) + " more";
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

namespace {

/// Why the selector does not pick the pod, or why no controller looks at it; empty when it is
/// selected by a managed Service.
std::string selection_text(const svcdisc::service& svc, const svcdisc::pod& p,
                           const svcdisc::endpoint_membership<svcdisc::pod>& m) {
    const auto& s = m.selection;
    if (s.status == svcdisc::pod_selection_status::other_namespace) {
        return "pod is in namespace " + p.metadata.namespace_ + ", the Service in " +
               svc.metadata.namespace_;
    }
    switch (m.management) {
    case svcdisc::endpoint_management::external_name:
        return "type ExternalName: no controller publishes endpoints";
    case svcdisc::endpoint_management::no_selector:
        return "the Service has no selector: its endpoints are managed by hand";
    case svcdisc::endpoint_management::managed:
        break;
    }
    const std::string key(s.key);
    const std::string wanted(s.wanted);
    switch (s.status) {
    case svcdisc::pod_selection_status::label_missing:
        return "label " + key + " is missing (selector wants " + key + "=" + wanted + ")";
    case svcdisc::pod_selection_status::label_differs: {
        const auto similarity = svcdisc::text_similarity_of(s.wanted, s.pod_value);
        const std::string how = closeness_text(similarity, similarity.close(s.wanted.size()));
        return "label " + key + "=" + std::string(s.pod_value) + " does not match selector entry " +
               key + "=" + wanted + (how.empty() ? "" : " (" + how + ")");
    }
    case svcdisc::pod_selection_status::selected:
    case svcdisc::pod_selection_status::no_selector:
    case svcdisc::pod_selection_status::other_namespace:
        break;
    }
    return {};
}

/// Why the pod is not ready, as IsPodReady reads its conditions.
std::string not_ready_text(const svcdisc::pod_readiness& readiness) {
    switch (readiness.condition) {
    case svcdisc::pod_ready_condition::missing:
        return "the pod has no Ready condition";
    case svcdisc::pod_ready_condition::false_:
    case svcdisc::pod_ready_condition::unknown:
        return "condition Ready is " + std::string(readiness.status);
    case svcdisc::pod_ready_condition::not_true:
    case svcdisc::pod_ready_condition::true_:
        break;
    }
    return "the pod is not ready";
}

/// Why ShouldPodBeInEndpoints leaves the pod out; empty when it keeps it.
std::string eligibility_text(svcdisc::endpoint_eligibility eligibility, const svcdisc::pod& p) {
    switch (eligibility) {
    case svcdisc::endpoint_eligibility::phase_failed:
    case svcdisc::endpoint_eligibility::phase_succeeded:
        return "phase " + p.status.phase + " is terminal";
    case svcdisc::endpoint_eligibility::no_pod_ip:
        return "the pod has no IP (status.podIP and status.podIPs are empty)";
    case svcdisc::endpoint_eligibility::terminating:
        return "the pod is terminating (deletionTimestamp is set) and "
               "publishNotReadyAddresses is false";
    case svcdisc::endpoint_eligibility::eligible:
        break;
    }
    return {};
}

/// Why the Endpoints controller lists no address for the selected pod.
std::string endpoints_left_out_text(const svcdisc::service& svc, const svcdisc::pod& p,
                                    const svcdisc::endpoint_membership<svcdisc::pod>& m,
                                    const std::optional<svcdisc::endpoints>& eps) {
    if (m.endpoints_eligibility != svcdisc::endpoint_eligibility::eligible) {
        return eligibility_text(m.endpoints_eligibility, p);
    }
    if (!m.address.found()) {
        return std::string("status.podIPs holds no ") +
               (m.address.family == svcdisc::ip_family::ipv6 ? "IPv6" : "IPv4") +
               " address (the Service's primary family)";
    }
    if (svc.spec.ports.empty() && !m.portless) {
        return "the Service has no ports and is not headless";
    }
    if (!m.in_endpoints()) {
        return "no target port resolves on this pod";
    }
    if (eps && svcdisc::endpoints_truncation_of(*eps, svc, p).cut()) {
        return "cut by the 1000-address capacity of an Endpoints object";
    }
    return {};
}

/// Why the EndpointSlice controller writes no endpoint for the selected pod.
std::string slices_left_out_text(const svcdisc::pod& p,
                                 const svcdisc::endpoint_membership<svcdisc::pod>& m) {
    if (m.slices_eligibility != svcdisc::endpoint_eligibility::eligible) {
        return eligibility_text(m.slices_eligibility, p);
    }
    if (!m.node.included) {
        return m.node.lookup == svcdisc::pod_node_lookup::no_node_name
                   ? "spec.nodeName is empty (the pod is not scheduled)"
                   : "node " + p.spec.node_name + " is not in the input (node policy upstream)";
    }
    return "status.podIPs holds no address of the Service's address types";
}

/// Why the slice endpoint's ready condition is false; empty when it is true.
std::string slice_not_ready_text(const svcdisc::endpoint_slice_conditions& conditions) {
    switch (conditions.ready_reason) {
    case svcdisc::endpoint_ready_reason::terminating:
        return "the pod is terminating";
    case svcdisc::endpoint_ready_reason::pod_not_ready:
        return not_ready_text(conditions.readiness);
    case svcdisc::endpoint_ready_reason::pod_ready:
    case svcdisc::endpoint_ready_reason::publish_not_ready_addresses:
        break;
    }
    return {};
}

} // namespace

verdict judge(const cluster_view& view, const svcdisc::service& svc, const svcdisc::pod& p,
              const std::optional<svcdisc::endpoints>& eps,
              const std::vector<svcdisc::endpoint_slice>& slices) {
    verdict v;
    v.pod = p.metadata.name;
    const auto lookup = svcdisc::pod_node_lookup_of(
        p.spec.node_name, view.find_node(p.spec.node_name) != nullptr, view.policy());
    const auto m = svcdisc::endpoint_membership_of(svc, p, lookup);
    v.reason = selection_text(svc, p, m);
    if (!v.reason.empty()) {
        return v;
    }
    v.selected = true;
    bool any_port = false;
    for (std::size_t i = 0; i < svc.spec.ports.size(); ++i) {
        port_verdict pv;
        pv.port = &svc.spec.ports[i];
        pv.service_port = describe_port(*pv.port);
        pv.resolved = m.ports[i].port();
        if (!pv.resolved) {
            pv.reason = unresolved_port_reason(m.ports[i], *pv.port);
        }
        any_port = any_port || pv.resolved.has_value();
        v.ports.push_back(std::move(pv));
    }

    // Where the derived Endpoints list the pod (syncService), and why there.
    const std::string& uid = p.metadata.uid;
    bool listed_ready = false;
    if (eps) {
        for (const auto& subset : eps->subsets) {
            for (const auto* list : {&subset.addresses, &subset.not_ready_addresses}) {
                for (const auto& a : *list) {
                    if (v.endpoints_address.empty() && a.target_ref &&
                        a.target_ref->name == p.metadata.name && a.target_ref->uid == uid) {
                        listed_ready = list == &subset.addresses;
                        v.endpoints_address = a.ip;
                    }
                }
            }
        }
    }
    if (v.endpoints_address.empty()) {
        v.endpoints_state = "left out";
        v.endpoints_reason = endpoints_left_out_text(svc, p, m, eps);
    } else if (!listed_ready) {
        v.endpoints_state = "not ready";
        v.endpoints_reason = not_ready_text(m.endpoints_list.readiness);
    } else {
        v.endpoints_state = "ready";
        if (m.endpoints_list.reason ==
            svcdisc::endpoints_list_reason::publish_not_ready_addresses) {
            v.endpoints_reason = "publishNotReadyAddresses publishes it as ready";
        }
    }

    // Where the derived slices hold the pod (reconcile), with the conditions they carry.
    for (const auto& s : slices) {
        for (const auto& e : s.endpoints) {
            if (!e.target_ref || e.target_ref->name != p.metadata.name ||
                e.target_ref->uid != uid) {
                continue;
            }
            v.slice_names.push_back(s.metadata.name + " (" + s.address_type + ")");
            if (!v.slices_state.empty()) {
                continue;
            }
            const bool ready = e.conditions.ready.value_or(true);
            v.slices_state = ready                                 ? "ready"
                             : e.conditions.serving.value_or(true) ? "serving, not ready"
                                                                   : "not ready";
            if (e.conditions.terminating.value_or(false)) {
                v.slices_state += ", terminating";
            }
            v.slices_reason = slice_not_ready_text(m.slice_conditions);
            if (!any_port && !svc.spec.ports.empty()) {
                v.slices_reason += std::string(v.slices_reason.empty() ? "" : "; ") +
                                   "in a slice without ports: no target port resolves";
            }
        }
    }
    if (v.slices_state.empty()) {
        v.slices_state = "left out";
        v.slices_reason = slices_left_out_text(p, m);
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
