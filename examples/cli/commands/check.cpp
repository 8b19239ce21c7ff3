#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

#include "commands/commands.hpp"
#include "commands/drift.hpp"
#include "commands/session.hpp"
#include "commands/verdict.hpp"
#include "print/cells.hpp"
#include "print/emitter.hpp"

namespace svcdisc_cli {

namespace {

/// An info finding describes the input rather than a fault: alone, it leaves the exit code 0.
enum class severity : std::uint8_t { warning, info };

/// One line of `check`.
struct finding {
    std::string code;
    severity level = severity::warning;
    std::string kind;
    std::string namespace_;
    std::string name;
    std::string message;
};

/// `deployment` for Deployment: how findings name kinds.
std::string lower_case(std::string_view kind) {
    std::string out(kind);
    std::transform(out.begin(), out.end(), out.begin(), [](char ch) {
        return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    });
    return out;
}

/// Whether a pod declares any port, and whether it declares one number with one protocol, in a
/// container or a sidecar (the ports find_port sees).
struct declared_port {
    bool any = false;
    bool this_one = false;
};

declared_port declares(const svcdisc::pod& p, std::int32_t number, std::string_view protocol) {
    declared_port out;
    svcdisc::pod_traits<svcdisc::pod>::for_each_port(
        p, [&](std::string_view, std::int32_t declared, std::string_view declared_protocol) {
            out.any = true;
            out.this_one = declared == number && declared_protocol == protocol;
            return out.this_one;
        });
    return out;
}

/// What the input captured for a Service whose namespace has no pod in the input: the ready
/// and not-ready addresses of its Endpoints, or else of its EndpointSlice-controller slices.
struct captured_addresses {
    std::string_view objects; ///< "Endpoints", "EndpointSlices", or empty: nothing captured
    std::size_t ready = 0;
    std::size_t not_ready = 0;
};

captured_addresses captured_for(const cluster& c, const cluster_view& view,
                                const svcdisc::service& svc) {
    captured_addresses out;
    if (const auto* eps = view.find_input_endpoints(svc.metadata.namespace_, svc.metadata.name)) {
        out.objects = "Endpoints";
        for (const auto& subset : eps->subsets) {
            out.ready += subset.addresses.size();
            out.not_ready += subset.not_ready_addresses.size();
        }
        return out;
    }
    for (const auto& e : c.slices) {
        const auto service_name =
            e.object.metadata.labels.find_value(svcdisc::endpoint_slice_keys::service_name_label);
        if (e.object.metadata.namespace_ != svc.metadata.namespace_ || !service_name ||
            *service_name != svc.metadata.name || !is_slice_controller_managed(e.object)) {
            continue;
        }
        out.objects = "EndpointSlices";
        for (const auto& endpoint : e.object.endpoints) {
            // An unset ready condition means ready (the EndpointSlice API's rule).
            (endpoint.conditions.ready.value_or(true) ? out.ready : out.not_ready) += 1;
        }
    }
    return out;
}

} // namespace

command_result run_check(const arguments& args) {
    if (args.positional.size() != 1) {
        usage_error("check takes no operands");
    }
    // An object the API server would refuse is reported like any other problem, and the
    // rest of the input is still checked.
    session& s = open_session(args, invalid_objects::leave_out);
    const cluster_view& view = s.view();
    // check looks at every namespace unless -n names one: a lint that silently skips most of a
    // dump would be worse than kubectl's default.
    const bool all = args.all_namespaces || !args.namespace_given;
    std::vector<finding> findings;
    for (const auto& refused : s.data.refused) {
        if (all || refused.namespace_ == args.namespace_) {
            findings.push_back({"SVCDISC-1015", severity::warning, lower_case(refused.kind),
                                refused.namespace_, refused.name, refused.error});
        }
    }
    const auto& captured_only = view.captured_only_namespaces();
    std::vector<bool> selected(s.data.pods.size(), false);
    for (const auto& e : s.data.services) {
        const auto& svc = e.object;
        if (!all && svc.metadata.namespace_ != args.namespace_) {
            continue;
        }
        auto add = [&](std::string code, std::string message, severity level = severity::warning) {
            findings.push_back({std::move(code), level, "service", svc.metadata.namespace_,
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
        // A dump without the namespace's pods (`kubectl get svc,ep`): what the controllers
        // captured is all there is to know, so "selects no pod" would be a guess.
        const bool pods_in_input = !std::binary_search(captured_only.begin(), captured_only.end(),
                                                       svc.metadata.namespace_);
        if (!pods_in_input) {
            const auto captured = captured_for(s.data, view, svc);
            if (captured.objects.empty()) {
                add("SVCDISC-1017",
                    "the input holds no pod of namespace " + svc.metadata.namespace_ +
                        ", nor Endpoints or EndpointSlices of the Service",
                    severity::info);
            } else {
                add("SVCDISC-1017",
                    "the input holds no pod of namespace " + svc.metadata.namespace_ +
                        "; its captured " + std::string(captured.objects) + " list " +
                        std::to_string(captured.ready) + " ready and " +
                        std::to_string(captured.not_ready) + " not ready address(es)",
                    severity::info);
                if (captured.ready == 0) {
                    add("SVCDISC-1002",
                        "its captured " + std::string(captured.objects) + " hold no ready address");
                }
            }
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
        if (chosen.empty() && planned.empty() && pods_in_input) {
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
        const auto eps =
            pods_in_input ? view.derive_endpoints_for(svc) : std::optional<svcdisc::endpoints>();
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
            const std::string port_name = port.name.empty() ? std::to_string(port.port) : port.name;
            if (!port.target_port.is_string()) {
                // Kubernetes sends to a number as is; like popeye, only pods that declare
                // ports say anything by leaving this one out.
                const std::int32_t number = port.target_port.number();
                std::size_t declaring = 0;
                std::size_t undeclared = 0;
                for (const auto* p : running) {
                    const auto found = declares(*p, number, port.protocol);
                    declaring += found.any ? 1U : 0U;
                    undeclared += found.any && !found.this_one ? 1U : 0U;
                }
                if (undeclared > 0) {
                    const std::size_t declared = declaring - undeclared;
                    add("SVCDISC-1016",
                        "targetPort " + std::to_string(number) + "/" + port.protocol + " of port " +
                            port_name + " is declared by " +
                            (declared == 0 ? "none" : std::to_string(declared)) + " of the " +
                            std::to_string(declaring) +
                            " selected pods that declare ports; Kubernetes sends to the number "
                            "as is",
                        severity::info);
                }
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
            const std::string what =
                "targetPort \"" + port.target_port.text() + "\" of port " + port_name;
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
                findings.push_back({"SVCDISC-1009", severity::warning, "pod", p.metadata.namespace_,
                                    p.metadata.name, "selected by no Service"});
            }
        }
    }
    command_result result;
    const bool any_warning = std::any_of(findings.begin(), findings.end(), [](const finding& f) {
        return f.level == severity::warning;
    });
    result.code = any_warning ? 1 : 0;
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
            out.field("severity", f.level == severity::info ? "info" : "warning");
            out.end_object();
        }
        out.end_array();
        out.end_object();
        result.out = std::move(out.text());
        return result;
    }
    for (const auto& f : findings) {
        // A cluster-scoped object (a Node) has no namespace to name.
        result.out += f.code + " " + f.kind + "/" +
                      (f.namespace_.empty() ? "" : f.namespace_ + "/") + f.name + ": " +
                      (f.level == severity::info ? "info: " : "") + f.message + "\n";
    }
    if (findings.empty()) {
        result.err = "no findings\n";
    }
    return result;
}

} // namespace svcdisc_cli
