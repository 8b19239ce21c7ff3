#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <svcdisc/service_index.hpp>

#include "commands/commands.hpp"
#include "commands/planned_verdict.hpp"
#include "commands/session.hpp"
#include "commands/verdict.hpp"
#include "print/emitter.hpp"
#include "print/table.hpp"

namespace svcdisc_cli {

namespace {

/// The Services whose endpoints the controllers manage and whose selector selects `p`
/// (Kubernetes' GetPodServiceMemberships), in input order: namespace, then name.
std::vector<const svcdisc::service*> managed_services_selecting(const cluster& c,
                                                                const svcdisc::pod& p) {
    svcdisc::service_index<std::uint32_t> index;
    for (std::size_t i = 0; i < c.services.size(); ++i) {
        if (svcdisc::endpoint_controllers_manage(c.services[i].object)) {
            index.insert(static_cast<std::uint32_t>(i), c.services[i].object);
        }
    }
    std::vector<std::uint32_t> found;
    index.for_each_matching(p, [&](std::uint32_t i) { found.push_back(i); });
    // The index answers in its own order.
    std::sort(found.begin(), found.end());
    std::vector<const svcdisc::service*> services;
    services.reserve(found.size());
    for (const std::uint32_t i : found) {
        services.push_back(&c.services[i].object);
    }
    return services;
}

} // namespace

command_result run_services_for(const arguments& args) {
    if (args.positional.size() != 2) {
        usage_error("usage: svcdisc services-for POD");
    }
    session& s = open_session(args);
    const cluster_view& view = s.view();
    // A pod of the input, or a workload's planned pod named `deployment/web`.
    const svcdisc::pod* p = find_pod(view, args.namespace_, args.positional[1]);
    const planned_pod* planned = view.find_planned(args.namespace_, args.positional[1]);
    if (p == nullptr && planned == nullptr) {
        return not_found("pods", args.positional[1]);
    }
    const svcdisc::pod& subject = p != nullptr ? *p : planned->pod;
    const std::string subject_name =
        subject.metadata.namespace_ + "/" + (p != nullptr ? p->metadata.name : planned->ref);
    std::vector<std::pair<const svcdisc::service*, verdict>> found;
    for (const auto* svc : managed_services_selecting(s.data, subject)) {
        const auto eps = view.derive_endpoints_for(*svc);
        const auto slices = view.derive_slices_for(*svc);
        found.emplace_back(svc, p != nullptr ? judge(view, *svc, *p, eps, slices)
                                             : judge_planned(view, *svc, *planned, eps, slices));
    }
    command_result result;
    if (args.output == "json") {
        emitter out(emitter::format::json);
        out.begin_object();
        out.field("pod", subject_name);
        out.key("services");
        out.begin_array();
        for (const auto& [svc, v] : found) {
            out.begin_object();
            out.field("service", svc->metadata.name);
            out.key("verdict");
            emit_verdict(v, out);
            out.end_object();
        }
        out.end_array();
        out.end_object();
        result.out = std::move(out.text());
        return result;
    }
    if (found.empty()) {
        result.err = "No Service selects pod " + subject_name + ".\n";
        return result;
    }
    table t;
    t.header = {"SERVICE", "ENDPOINTS", "ENDPOINTSLICES", "REASON"};
    for (const auto& [svc, v] : found) {
        std::string reason = v.endpoints_reason;
        if (!v.slices_reason.empty() && v.slices_reason != reason) {
            reason += std::string(reason.empty() ? "" : "; ") + "slices: " + v.slices_reason;
        }
        t.rows.push_back({svc->metadata.name, v.endpoints_state, v.slices_state,
                          reason.empty() ? "<none>" : reason});
    }
    result.out = t.render(args.no_headers);
    return result;
}

} // namespace svcdisc_cli
