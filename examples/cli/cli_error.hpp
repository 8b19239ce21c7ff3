#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace svcdisc_cli {

/// A failure the tool reports and exits with: the message is printed to stderr as is, and the
/// exit code is 1 (a named object not found) or 2 (a usage or input error).
struct cli_error : std::runtime_error {
    cli_error(int code, std::string message)
        : std::runtime_error(std::move(message)), exit_code(code) {}
    int exit_code;
};

} // namespace svcdisc_cli
