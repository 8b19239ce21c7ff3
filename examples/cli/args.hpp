#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/endpoint_slice.hpp>

namespace svcdisc_cli {

/// The command line, parsed. Global flags may come before or after the subcommand.
struct arguments {
    std::vector<std::string> positional; // the subcommand and its operands
    std::vector<std::string> files;
    bool recursive = false;
    std::string namespace_ = "default";
    bool namespace_given = false;
    bool all_namespaces = false;
    std::optional<std::string> selector;
    std::string output; // "", wide, yaml, json, name, jsonpath, custom-columns, ... (no `=`)
    std::string output_template; // what follows `=` in -o jsonpath=... and the like
    bool no_headers = false;
    bool verbose = false;
    bool help = false;
    bool version = false;
    bool timings = false;
    std::size_t max_endpoints_per_slice = svcdisc::default_max_endpoints_per_slice;
    std::optional<std::string> node_policy; // upstream | assume-present
    std::optional<std::string> labels;      // selector --labels
    std::optional<std::string> pod;         // explain --pod
    bool orphans = false;                   // check --orphans
    std::optional<std::string> events;      // replay --events
    std::optional<std::string> from_node;   // route --from-node
    bool external = false;                  // route --external
    bool show_labels = false;               // get --show-labels
    bool show_kind = false;                 // get --show-kind
    bool show_managed_fields = false;       // get --show-managed-fields
    std::vector<std::string> label_columns; // get -L KEY[,KEY...]
    std::optional<std::string> sort_by;     // get --sort-by JSONPATH
    std::string service_cluster_ip_range;   // kube-apiserver's; empty: 10.96.0.0/12
    std::string service_node_port_range;    // kube-apiserver's; empty: 30000-32767
    std::string cluster_cidr;               // kube-controller-manager's; empty: 10.244.0.0/16
    bool simulate = false;                  // materialise workloads' planned pods
};

/// Parses argv; throws cli_error (exit 2) on unknown flags, missing values or bad values.
arguments parse_arguments(int argc, char** argv);

/// Throws the cli_error (exit 2) for a misused command line, pointing at `--help`.
[[noreturn]] void usage_error(const std::string& message);

/// Throws cli_error (exit 2) when the selector `text`, given as `what` (`--selector`,
/// `selector`), is longer than max_selector_bytes: `error: WHAT:1:COL: …`, pointing at the
/// first character past the limit.
void check_selector_length(std::string_view text, std::string_view what);

/// Every flag as it is typed (`--filename`, `-f`, ...), for shell completion.
std::vector<std::string> flag_spellings();

/// The text `svcdisc --help` prints.
std::string usage_text();

} // namespace svcdisc_cli
