#pragma once

#include <string>

#include "args.hpp"

namespace svcdisc_cli {

/// What a command produced. main prints `out` only when `code` is not 2, so a failed command
/// leaves stdout empty.
struct command_result {
    std::string out;
    std::string err;
    int code = 0;
};

/// Runs the subcommand named by args.positional[0]. Throws cli_error on usage and input errors.
command_result run_command(const arguments& args);

} // namespace svcdisc_cli
