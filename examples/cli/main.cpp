// svcdisc: kubectl for service discovery, offline. See README.md next to this file.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>

#include <svcdisc/version.hpp>

#include "args.hpp"
#include "cli_error.hpp"
#include "commands/commands.hpp"

int main(int argc, char** argv) {
    using namespace svcdisc_cli;
    try {
        const arguments args = parse_arguments(argc, argv);
        if (args.help) {
            std::fputs(usage_text().c_str(), stdout);
            return 0;
        }
        if (args.version) {
            std::fputs("svcdisc " SVCDISC_VERSION_STRING "\n", stdout);
            return 0;
        }
        const command_result result = run_command(args);
        // Everything is buffered until here, so a command that fails prints nothing on stdout.
        std::fwrite(result.out.data(), 1, result.out.size(), stdout);
        std::fflush(stdout);
        std::fwrite(result.err.data(), 1, result.err.size(), stderr);
        std::fflush(stderr);
        // Skip freeing the input model (see open_session): the OS reclaims it.
        std::_Exit(result.code);
    } catch (const cli_error& e) {
        std::fputs(e.what(), stderr);
        return e.exit_code;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
}
