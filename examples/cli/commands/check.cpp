#include <string>
#include <utility>
#include <vector>

#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/service.hpp>

#include "commands/commands.hpp"
#include "commands/drift.hpp"
#include "commands/session.hpp"
#include "commands/verdict.hpp"
#include "print/cells.hpp"
#include "print/emitter.hpp"

namespace svcdisc_cli {

namespace {

/// One line of `check`.
struct finding {
    std::string code;
    std::string kind;
    std::string namespace_;
    std::string name;
    std::string message;
};

} // namespace

command_result run_check(const arguments& args) {
    if (args.positional.size() != 1) {
        usage_error("check takes no operands");
    }
    session& s = open_session(args);
    const cluster_view& view = s.view();
    // check looks at every namespace unless -n names one: a lint that silently skips most of a
    // dump would be worse than kubectl's default.
    const bool all = args.all_namespaces || !args.namespace_given;
    std::vector<finding> findings;
    std::vector<bool> selected(s.data.pods.size(), false);
    for (const auto& e : s.data.services) {
        const auto& svc = e.object;
        if (!all && svc.metadata.namespace_ != args.namespace_) {
            continue;
        }
        auto add = [&](std::string code, std::string message) {
            findings.push_back({std::move(code), "service", svc.metadata.namespace_,
                                svc.metadata.name, std::move(message)});
        };
        // What the API server would refuse across fields (ValidateService); manifests still
        // carry such Services, so they are read and named here.
        for (const auto& error : svcdisc::service_spec_errors(svc)) {
            switch (error.problem) {
            case svcdisc::service_spec_problem::duplicate_port_name:
                add("SVCDISC-1008", "ports " + std::to_string(error.first_port) + " and " +
                                        std::to_string(error.port) + " share the name \"" +
                                        svc.spec.ports[error.port].name + "\"");
                break;
            case svcdisc::service_spec_problem::port_name_required:
                add("SVCDISC-1011", error.message);
                break;
            case svcdisc::service_spec_problem::external_name_required:
                add("SVCDISC-1012", error.message);
                break;
            case svcdisc::service_spec_problem::forbidden_for_external_name:
                add("SVCDISC-1013", error.message);
                break;
            }
        }
        if (svc.spec.type == svcdisc::service_type::external_name) {
            continue;
        }
        if (!svcdisc::service_has_selector(svc)) {
            if (view.find_input_endpoints(svc.metadata.namespace_, svc.metadata.name) == nullptr) {
                add("SVCDISC-1006", "has no selector and the input holds no Endpoints \"" +
                                        svc.metadata.name + "\": it has no endpoints");
            }
            continue;
        }
        for (auto& drift : capture_drift(s.data, view, svc)) {
            add("SVCDISC-1014", std::move(drift));
        }
        const std::vector<const svcdisc::pod*> chosen = view.selected_pods(svc);
        // Port findings count only pods that can serve: not finished, with an IP.
        std::vector<const svcdisc::pod*> running;
        for (const auto* p : chosen) {
            selected[static_cast<std::size_t>(p - s.data.pods.data())] = true;
            if (svcdisc::should_pod_be_in_endpoints(*p, true)) {
                running.push_back(p);
            }
        }
        // Pods a workload will create count as selected; they have no address to be ready.
        const auto planned = view.planned_pods_selected(svc);
        for (const auto* p : planned) {
            running.push_back(&p->pod);
        }
        if (chosen.empty() && planned.empty()) {
            add("SVCDISC-1001", "selector " + format_labels(*svc.spec.selector) +
                                    " selects no pod in namespace " + svc.metadata.namespace_);
            for (const auto& entry :
                 unmatched_selector_entries(svc, view.pods_in(svc.metadata.namespace_))) {
                if (!entry.near_misses.empty()) {
                    add("SVCDISC-1010",
                        "selector entry " + entry.entry + " matches no pod in namespace " +
                            svc.metadata.namespace_ + "; near misses: " + entry.near_misses);
                }
            }
            continue;
        }
        const auto eps = view.derive_endpoints_for(svc);
        std::size_t ready = 0;
        if (eps) {
            for (const auto& subset : eps->subsets) {
                ready += subset.addresses.size();
            }
            if (eps->metadata.annotations.find_value(
                    svcdisc::endpoints_keys::over_capacity_annotation)) {
                add("SVCDISC-1007",
                    "Endpoints truncated at 1000 addresses (annotation "
                    "endpoints.kubernetes.io/over-capacity: truncated); use EndpointSlices");
            }
        }
        for (const auto& port : svc.spec.ports) {
            if (!port.target_port.is_string()) {
                continue;
            }
            std::size_t resolved = 0;
            std::size_t protocol_mismatch = 0;
            if (running.empty()) {
                continue;
            }
            for (const auto* p : running) {
                const auto found = svcdisc::find_port(*p, port);
                resolved += found.resolved() ? 1U : 0U;
                protocol_mismatch +=
                    found.status == svcdisc::find_port_status::other_protocol ? 1U : 0U;
            }
            const std::string what = "targetPort \"" + port.target_port.text() + "\" of port " +
                                     (port.name.empty() ? std::to_string(port.port) : port.name);
            if (protocol_mismatch > 0) {
                add("SVCDISC-1005", what + ": " + std::to_string(protocol_mismatch) + " of " +
                                        std::to_string(running.size()) +
                                        " selected pods declare it with a protocol other than " +
                                        port.protocol);
            }
            if (resolved == 0) {
                add("SVCDISC-1003", what + " resolves on none of the " +
                                        std::to_string(running.size()) + " selected pods");
            } else if (resolved < running.size()) {
                add("SVCDISC-1004", what + " resolves on " + std::to_string(resolved) + " of " +
                                        std::to_string(running.size()) + " selected pods");
            }
        }
        if (ready == 0 && !chosen.empty()) {
            add("SVCDISC-1002",
                "selects " + std::to_string(chosen.size()) + " pod(s) but has no ready endpoint");
        }
    }
    if (args.orphans) {
        for (std::size_t i = 0; i < s.data.pods.size(); ++i) {
            const auto& p = s.data.pods[i];
            if (!selected[i] && (all || p.metadata.namespace_ == args.namespace_)) {
                findings.push_back({"SVCDISC-1009", "pod", p.metadata.namespace_, p.metadata.name,
                                    "selected by no Service"});
            }
        }
    }
    command_result result;
    result.code = findings.empty() ? 0 : 1;
    if (args.output == "json") {
        emitter out(emitter::format::json);
        out.begin_object();
        out.key("findings");
        out.begin_array();
        for (const auto& f : findings) {
            out.begin_object();
            out.field("code", f.code);
            out.field("kind", f.kind);
            out.field("message", f.message);
            out.field("name", f.name);
            out.field("namespace", f.namespace_);
            out.end_object();
        }
        out.end_array();
        out.end_object();
        result.out = std::move(out.text());
        return result;
    }
    for (const auto& f : findings) {
        result.out +=
            f.code + " " + f.kind + "/" + f.namespace_ + "/" + f.name + ": " + f.message + "\n";
    }
    if (findings.empty()) {
        result.err = "no findings\n";
    }
    return result;
}

} // namespace svcdisc_cli
