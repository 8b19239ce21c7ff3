#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/mirror.hpp>

#include "commands/commands.hpp"
#include "commands/planned_verdict.hpp"
#include "commands/route.hpp"
#include "commands/session.hpp"
#include "commands/verdict.hpp"
#include "print/cells.hpp"
#include "print/emitter.hpp"

namespace svcdisc_cli {

namespace {

/// Why the Endpoints and EndpointSlice controllers leave `svc` alone, and whether its
/// hand-written Endpoints are mirrored into slices (the mirroring controller's checks).
std::string unmanaged_text(const cluster_view& view, const svcdisc::service& svc) {
    if (svcdisc::service_endpoint_management(svc) == svcdisc::endpoint_management::external_name) {
        return "type ExternalName";
    }
    const std::string by_hand = "no selector, so Endpoints are written by hand";
    switch (svcdisc::mirroring_status_of(
        &svc, view.find_input_endpoints(svc.metadata.namespace_, svc.metadata.name))) {
    case svcdisc::mirroring_status::endpoints_absent:
        return by_hand + "; the input holds none";
    case svcdisc::mirroring_status::skip_mirror_label:
        return by_hand + "; they are labelled " +
               std::string(svcdisc::endpoint_slice_keys::skip_mirror_label) +
               "=true, so they are not mirrored into slices";
    case svcdisc::mirroring_status::leader_annotation:
        return by_hand + "; they carry the leader-election annotation " +
               std::string(svcdisc::mirroring_keys::leader_annotation) +
               ", so they are not mirrored into slices";
    case svcdisc::mirroring_status::mirrored:
    case svcdisc::mirroring_status::service_absent:
    case svcdisc::mirroring_status::service_has_selector:
        break;
    }
    return by_hand + " and mirrored into slices";
}

} // namespace

command_result run_explain(const arguments& args) {
    if (args.positional.size() != 3 ||
        (args.positional[1] != "service" && args.positional[1] != "svc" &&
         args.positional[1] != "services")) {
        usage_error("usage: svcdisc explain service NAME [--pod POD]");
    }
    session& s = open_session(args);
    const cluster_view& view = s.view();
    const std::string& name = args.positional[2];
    const svcdisc::service* svc = view.find_service(args.namespace_, name);
    if (svc == nullptr) {
        return not_found("services", name);
    }
    const auto eps = view.derive_endpoints_for(*svc);
    const auto slices = view.derive_slices_for(*svc);
    std::vector<verdict> verdicts;
    if (args.pod) {
        const svcdisc::pod* p = find_pod(view, args.namespace_, *args.pod);
        const planned_pod* planned = view.find_planned(args.namespace_, *args.pod);
        if (p == nullptr && planned == nullptr) {
            return not_found("pods", *args.pod);
        }
        verdicts.push_back(p != nullptr ? judge(view, *svc, *p, eps, slices)
                                        : judge_planned(view, *svc, *planned, eps, slices));
    } else {
        for (const auto& p : view.pods_in(svc->metadata.namespace_)) {
            verdicts.push_back(judge(view, *svc, p, eps, slices));
        }
        for (const auto& planned : view.planned_pods()) {
            if (planned.pod.metadata.namespace_ == svc->metadata.namespace_) {
                verdicts.push_back(judge_planned(view, *svc, planned, eps, slices));
            }
        }
        // Pods elsewhere whose labels fit: the usual "why is my pod not behind it" answer.
        if (svcdisc::service_has_selector(*svc)) {
            for (const auto& p : s.data.pods) {
                if (p.metadata.namespace_ != svc->metadata.namespace_ &&
                    svcdisc::service_selector_matches(*svc->spec.selector, p.metadata.labels)) {
                    verdicts.push_back(judge(view, *svc, p, eps, slices));
                    verdicts.back().pod = p.metadata.namespace_ + "/" + p.metadata.name;
                }
            }
        }
    }
    const std::string selector =
        svcdisc::service_has_selector(*svc) ? format_labels(*svc->spec.selector) : "<none>";
    // Pods, not addresses: a pod serving ports that others do not is listed in several subsets.
    std::set<std::string_view> ready;
    std::set<std::string_view> not_ready;
    if (eps) {
        for (const auto& subset : eps->subsets) {
            for (const auto& [list, pods] : {std::pair{&subset.addresses, &ready},
                                             {&subset.not_ready_addresses, &not_ready}}) {
                for (const auto& address : *list) {
                    pods->insert(address.target_ref ? std::string_view(address.target_ref->uid)
                                                    : std::string_view(address.ip));
                }
            }
        }
    }
    command_result result;
    if (args.output == "json") {
        emitter out(emitter::format::json);
        out.begin_object();
        out.field("service", svc->metadata.namespace_ + "/" + svc->metadata.name);
        out.field("selector", selector == "<none>" ? "" : selector);
        out.key("managed");
        out.boolean(eps.has_value());
        out.key("pods");
        out.begin_array();
        for (const auto& v : verdicts) {
            emit_verdict(v, out);
        }
        out.end_array();
        out.end_object();
        result.out = std::move(out.text());
        return result;
    }
    std::string& out = result.out;
    out += "service " + svc->metadata.namespace_ + "/" + svc->metadata.name + " (" +
           svc->spec.type + ", clusterIP " +
           (svc->spec.cluster_ip.empty() ? "<none>" : svc->spec.cluster_ip) + ")\n";
    out += "  selector: " + selector + "\n";
    auto unmatched = unmatched_selector_entries(*svc, view.pods_in(svc->metadata.namespace_));
    if (!view.planned_pods_selected(*svc).empty()) {
        unmatched.clear(); // a workload's template the selector picks satisfies every entry
    }
    for (const auto& entry : unmatched) {
        out += "  selector entry " + entry.entry + " matches no pod in namespace " +
               svc->metadata.namespace_ + "; " +
               (entry.near_misses.empty() ? "nothing comes close"
                                          : "near misses: " + entry.near_misses) +
               "\n";
    }
    for (const auto& port : svc->spec.ports) {
        out += "  port: " + describe_port(port) + "\n";
    }
    if (!eps) {
        out += "  not managed by the controllers: " + unmanaged_text(view, *svc) + "\n";
    } else {
        out += "  endpoints: " + std::to_string(ready.size()) + " ready, " +
               std::to_string(not_ready.size()) + " not ready; " + std::to_string(slices.size()) +
               " endpointslice(s)\n";
    }
    if (verdicts.empty()) {
        out += "no pods in namespace " + svc->metadata.namespace_ + "\n";
    }
    const pod_routing routing(s, *svc);
    for (const auto& v : verdicts) {
        out += verdict_text(v) + routing.line(svc->metadata.namespace_, v.pod);
    }
    return result;
}

} // namespace svcdisc_cli
