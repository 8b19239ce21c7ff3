#pragma once

#include <string_view>
#include <vector>

#include "args.hpp"
#include "commands/session.hpp"

namespace svcdisc_cli {

/// Runs the subcommand named by args.positional[0]. Throws cli_error on usage and input errors.
command_result run_command(const arguments& args);

/// The subcommands' names, in the order --help lists them.
std::vector<std::string_view> command_names();

/// The subcommands, one file each.
command_result run_get(const arguments& args);
command_result run_describe(const arguments& args);
command_result run_completion(const arguments& args);
command_result run_selector(const arguments& args);
command_result run_explain(const arguments& args);
command_result run_check(const arguments& args);
command_result run_services_for(const arguments& args);
command_result run_replay(const arguments& args);
command_result run_route(const arguments& args);

} // namespace svcdisc_cli
