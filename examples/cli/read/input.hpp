#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "read/cluster.hpp"
#include "read/value.hpp"

namespace svcdisc_cli {

class emitter;
class source_file;

struct read_options {
    /// Files, directories, or `-` for standard input.
    std::vector<std::string> paths;
    bool recursive = false;
    /// The namespace of objects that name none.
    std::string default_namespace = "default";
    /// Receives `-v` notes (files read, ignored kinds, duplicates); may be empty.
    note_function note;
    /// An object that parses but that the API server would refuse is left out and recorded in
    /// cluster::refused, instead of failing the read. Syntax errors still fail it.
    bool leave_out_invalid = false;
};

/// `FILE:LINE:COL: message` of a positioned input error, without `error: ` and the excerpt
/// under it: the one line a finding about a refused object quotes.
[[nodiscard]] inline std::string first_line_of_error(std::string_view error) {
    constexpr std::string_view prefix = "error: ";
    error.remove_prefix(error.starts_with(prefix) ? prefix.size() : 0);
    return std::string(error.substr(0, error.find('\n')));
}

/// The parsed input files. They stay alive so objects can be printed exactly as they were read
/// and so errors found after parsing can still point at a line and column.
class input_store {
  public:
    input_store();
    ~input_store();
    input_store(const input_store&) = delete;
    input_store& operator=(const input_store&) = delete;

    /// Reads every path into `out`, sorted and without duplicates (see sort_and_deduplicate).
    /// Throws cli_error (exit 2) with a positioned message on bad input (see
    /// read_options::leave_out_invalid).
    void read(const read_options& options, cluster& out);

    /// Reads one input already in memory into `out`, as read() reads each file; `out` is not
    /// sorted afterwards.
    void read_source(std::unique_ptr<source_file> source, const read_options& options,
                     cluster& out);

    /// Prints the object at `from` as it was read (keys sorted, as kubectl does), with
    /// metadata.namespace set to `namespace_` when the input left it out, and without
    /// metadata.managedFields when `hide_managed_fields`.
    void emit_as_read(const origin& from, std::string_view namespace_, emitter& out,
                      bool hide_managed_fields = true) const;

    /// The positioned error `message` about the field at `path` of the object at `from`,
    /// pointing at the nearest enclosing field the input has when it lacks that one.
    [[nodiscard]] std::string field_error(const origin& from, const std::vector<field_step>& path,
                                          const std::string& message) const;

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace svcdisc_cli
