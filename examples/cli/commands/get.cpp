#include "commands/get.hpp"

#include "commands/commands.hpp"

namespace svcdisc_cli {

bool resource_kind::is_named(std::string_view word) const {
    if (word == plural || word == singular ||
        std::find(short_names.begin(), short_names.end(), word) != short_names.end()) {
        return true;
    }
    if (group.empty() || word.size() <= group.size() || !word.ends_with(group) ||
        word[word.size() - group.size() - 1] != '.') {
        return false;
    }
    const std::string_view resource = word.substr(0, word.size() - group.size() - 1);
    return resource == plural || resource == singular;
}

std::string resource_kind::qualified_plural() const {
    return group.empty() ? std::string(plural) : std::string(plural) + "." + std::string(group);
}

std::string resource_kind::qualified_singular() const {
    return group.empty() ? std::string(singular) : std::string(singular) + "." + std::string(group);
}

std::string empty_message(const get_request& request) {
    if (request.args.all_namespaces || !request.kind.namespaced) {
        return "No resources found\n";
    }
    return "No resources found in " + request.args.namespace_ + " namespace.\n";
}

namespace {

/// `pods, services, ... or nodes`.
std::string kind_list() {
    const auto kinds = resource_kinds();
    std::string out;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        out += i == 0 ? "" : i + 1 == kinds.size() ? " or " : ", ";
        out += kinds[i].plural;
    }
    return out;
}

const resource_kind* find_kind(std::string_view word) {
    for (const auto& kind : resource_kinds()) {
        if (kind.is_named(word)) {
            return &kind;
        }
    }
    return nullptr;
}

} // namespace

command_result run_get(const arguments& args) {
    if (args.positional.size() < 2) {
        usage_error("you must specify the type of resource to get: " + kind_list());
    }
    if (args.positional.size() > 3) {
        usage_error("get takes one resource type and at most one NAME");
    }
    const resource_kind* kind = find_kind(args.positional[1]);
    if (kind == nullptr) {
        usage_error("the server doesn't have a resource type \"" + args.positional[1] + "\"");
    }
    get_request request{args, *kind, std::nullopt, std::nullopt};
    if (args.positional.size() == 3) {
        request.name = args.positional[2];
        if (args.selector) {
            usage_error("name cannot be provided when a selector is specified");
        }
    }
    // A bad -l is a usage error: say so before reading (possibly 100 MB of) input.
    if (args.selector) {
        request.selector = parse_cli_selector(*args.selector, "--selector");
    }
    return kind->get(request, open_session(args));
}

} // namespace svcdisc_cli
