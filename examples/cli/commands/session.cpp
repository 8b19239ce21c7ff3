#include "commands/session.hpp"

#include <iostream>
#include <memory>

#include <svcdisc/selector.hpp>

#include "cli_error.hpp"
#include "commands/api_server.hpp"
#include "commands/planned_pods.hpp"

namespace svcdisc_cli {

command_result not_found(std::string_view resource, std::string_view name) {
    command_result result;
    result.err = "Error from server (NotFound): " + std::string(resource) + " \"" +
                 std::string(name) + "\" not found\n";
    result.code = 1;
    return result;
}

void operand_error(std::string_view what, std::string_view text, const svcdisc::input_error& e) {
    throw cli_error(2, "error: " + std::string(what) + ":1:" + std::to_string(e.offset + 1) + ": " +
                           e.message + "\n" + svcdisc::render_caret(text, e.offset) + "\n");
}

svcdisc::label_selector parse_cli_selector(const std::string& text, std::string_view what) {
    check_selector_length(text, what);
    auto parsed = svcdisc::try_parse_selector(text);
    if (!parsed) {
        operand_error(what, text, parsed.error());
    }
    return std::move(*parsed);
}

double seconds_since(clock_type::time_point start) {
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

const cluster_view& session::view() {
    if (!view_) {
        view_.emplace(data, max_endpoints_per_slice, policy);
        const auto& skipped = view_->captured_only_namespaces();
        if (!skipped.empty()) {
            std::cerr << "svcdisc: " << skipped.size()
                      << " namespace(s) hold Endpoints or EndpointSlices but no pods: derivation "
                         "skipped there, captured objects shown as read";
            for (std::size_t i = 0; verbose && i < skipped.size(); ++i) {
                std::cerr << (i == 0 ? " (" : ", ") << skipped[i];
            }
            std::cerr << (verbose ? ")\n" : "\n");
        }
    }
    return *view_;
}

session& open_session(const arguments& args, invalid_objects invalid) {
    if (args.files.empty()) {
        usage_error("no input: give -f FILE, -f DIR or -f - (stdin)");
    }
    static std::unique_ptr<session> state;
    state = std::make_unique<session>();
    session& s = *state;
    const svcdisc::cluster_config services_config = service_allocation_config(args);
    const auto start = clock_type::now();
    read_options options;
    options.paths = args.files;
    options.recursive = args.recursive;
    options.leave_out_invalid = invalid == invalid_objects::leave_out;
    options.default_namespace = args.namespace_;
    if (args.verbose) {
        options.note = [](const std::string& note) { std::cerr << "svcdisc: " << note << "\n"; };
    }
    s.store.read(options, s.data);
    allocate_services(s.data, services_config, s.store, options.leave_out_invalid);
    if (args.simulate) {
        simulate_rollout(s.data, cluster_cidrs(args), options.note);
    }
    s.read_seconds = seconds_since(start);
    // kube-controller-manager knows every Node; an input without any cannot say which exist.
    svcdisc::node_policy policy = s.data.nodes.empty() ? svcdisc::node_policy::assume_present
                                                       : svcdisc::node_policy::upstream;
    std::string why = s.data.nodes.empty() ? "the input holds no Node" : "the input holds Nodes";
    if (args.node_policy) {
        policy = *args.node_policy == "upstream" ? svcdisc::node_policy::upstream
                                                 : svcdisc::node_policy::assume_present;
        why = "--node-policy";
    }
    if (args.verbose) {
        std::cerr << "svcdisc: node policy "
                  << (policy == svcdisc::node_policy::upstream ? "upstream" : "assume-present")
                  << " (" << why << ")\n";
    }
    s.policy = policy;
    s.max_endpoints_per_slice = args.max_endpoints_per_slice;
    s.verbose = args.verbose;
    return s;
}

} // namespace svcdisc_cli
