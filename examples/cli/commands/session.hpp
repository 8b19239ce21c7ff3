#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/label_selector.hpp>
#include <svcdisc/result.hpp>

#include "args.hpp"
#include "commands/cluster_view.hpp"
#include "read/cluster.hpp"
#include "read/input.hpp"

namespace svcdisc_cli {

/// What a command produced, printed by main once the command has returned. A command that
/// fails with exit 2 throws cli_error instead, so it leaves stdout empty.
struct command_result {
    std::string out;
    std::string err;
    int code = 0;
};

/// kubectl's `Error from server (NotFound): RESOURCE "NAME" not found`, exit 1.
command_result not_found(std::string_view resource, std::string_view name);

/// A command-line operand the library rejected: a caret error pointing into it (exit 2).
[[noreturn]] void operand_error(std::string_view what, std::string_view text,
                                const svcdisc::input_error& e);

/// A selector from the command line, or a caret error pointing into it (exit 2).
svcdisc::label_selector parse_cli_selector(const std::string& text, std::string_view what);

using clock_type = std::chrono::steady_clock;

/// Seconds from `start` to now.
double seconds_since(clock_type::time_point start);

/// The input of one command, read, and what is derived from it.
struct session {
    input_store store;
    cluster data;
    svcdisc::node_policy policy = svcdisc::node_policy::assume_present;
    std::size_t max_endpoints_per_slice = svcdisc::default_max_endpoints_per_slice;
    double read_seconds = 0;
    bool verbose = false;
    /// What `get` lists; kept here so it is not freed before the process ends either.
    std::vector<shown<svcdisc::endpoints>> endpoints_list;
    std::vector<shown<svcdisc::endpoint_slice>> slice_list;

    /// The derived view, built on first use: its label index costs an insert per pod, which
    /// `get pods|services|nodes` (the 150,000-pod listings among them) never looks at.
    const cluster_view& view();

  private:
    std::optional<cluster_view> view_;
};

/// What reading does with an object that parses but that the API server would refuse (a bad
/// label, name or port, a cluster IP outside the range): fail with its positioned error
/// (exit 2), or leave it out of the model and record it in cluster::refused (`check`).
enum class invalid_objects : std::uint8_t { fail, leave_out };

/// Reads the input the command line names (exit 2 without any) and decides the node policy.
/// The session lives until the process ends: main leaves with std::_Exit once the output is
/// written, so a large dump's model is not freed string by string (that alone took longer
/// than deriving every slice of a 150,000-pod cluster).
session& open_session(const arguments& args, invalid_objects invalid = invalid_objects::fail);

} // namespace svcdisc_cli
