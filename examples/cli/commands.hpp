#pragma once

#include <string>

#include "args.hpp"

namespace svcdisc_cli {

/// What a command produced, printed by main once the command has returned. A command that
/// fails with exit 2 throws cli_error instead, so it leaves stdout empty.
struct command_result {
    std::string out;
    std::string err;
    int code = 0;
};

/// Runs the subcommand named by args.positional[0]. Throws cli_error on usage and input errors.
command_result run_command(const arguments& args);

} // namespace svcdisc_cli
