#include "commands/commands.hpp"

#include <string>
#include <string_view>

namespace svcdisc_cli {

namespace {

struct command {
    std::string_view name;
    command_result (*run)(const arguments&);
};

constexpr command commands[] = {
    {"get", run_get},
    {"describe", run_describe},
    {"selector", run_selector},
    {"explain", run_explain},
    {"check", run_check},
    {"services-for", run_services_for},
    {"completion", run_completion},
    {"replay", run_replay},
    {"route", run_route},
};

} // namespace

std::vector<std::string_view> command_names() {
    std::vector<std::string_view> out;
    for (const auto& c : commands) {
        out.push_back(c.name);
    }
    return out;
}

command_result run_command(const arguments& args) {
    if (args.positional.empty()) {
        usage_error("no command given");
    }
    const std::string& name = args.positional.front();
    for (const auto& c : commands) {
        if (c.name == name) {
            return c.run(args);
        }
    }
    usage_error("unknown command \"" + name + "\"");
}

} // namespace svcdisc_cli
