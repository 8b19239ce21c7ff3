#include <cstdio>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <svcdisc/controller.hpp>

#include "cli_error.hpp"
#include "commands/commands.hpp"
#include "print/cells.hpp"
#include "print/emitter.hpp"
#include "print/objects.hpp"
#include "print/table.hpp"
#include "read/events.hpp"

namespace svcdisc_cli {

namespace {

/// Prints the controller's writes as `kubectl get … -w --output-watch-events` does: a table
/// (EVENT, NAME, ENDPOINTS, AGE) or each event as a `{"type", "object"}` document.
class change_printer {
  public:
    change_printer(const svcdisc::controller& c, const arguments& args)
        : controller_(c), output_(args.output), no_headers_(args.no_headers), now_(now_seconds()) {}

    /// Prints `changes`; `one_flush` keeps them in one table (the initial listing), otherwise
    /// each is a watch event of its own.
    void print(std::span<const svcdisc::controller_change> changes, bool one_flush) {
        for (const auto& change : changes) {
            const bool is_endpoints = change.kind == svcdisc::derived_kind::endpoints_object;
            if (output_.empty()) {
                add_row(change, is_endpoints);
                if (!one_flush) {
                    flush();
                }
            } else {
                emit(change, is_endpoints);
            }
        }
        flush();
    }

    /// Ends one flush of the output: `kubectl get -w` writes the header with the objects that
    /// exist, then each later event on its own, so a table is aligned per flush only.
    void flush() {
        if (!rows_.rows.empty()) {
            text_ += rows_.render(no_headers_ || flushed_rows_);
            flushed_rows_ = true;
            rows_.rows.clear();
        }
    }

    /// Everything printed so far.
    std::string finish() {
        flush();
        return std::move(text_);
    }

  private:
    void add_row(const svcdisc::controller_change& change, bool is_endpoints) {
        const std::string type(svcdisc::to_string(change.type));
        if (is_endpoints) {
            const auto eps = controller_.endpoints_of(change);
            rows_.rows.push_back({type, "endpoints/" + eps->metadata.name, endpoints_cell(*eps),
                                  age_cell(eps->metadata.creation_timestamp, now_)});
        } else {
            const auto slice = controller_.endpoint_slice_of(change);
            rows_.rows.push_back({type, "endpointslice.discovery.k8s.io/" + slice->metadata.name,
                                  slice_endpoints_cell(*slice),
                                  age_cell(slice->metadata.creation_timestamp, now_)});
        }
    }

    void emit(const svcdisc::controller_change& change, bool is_endpoints) {
        emitter out(output_ == "json" ? emitter::format::json : emitter::format::yaml);
        // metav1.WatchEvent's field order, which kubectl's printers keep: type, then object.
        out.begin_object();
        out.field("type", svcdisc::to_string(change.type));
        out.key("object");
        if (is_endpoints) {
            emit_endpoints(*controller_.endpoints_of(change), out);
        } else {
            emit_slice(*controller_.endpoint_slice_of(change), out);
        }
        out.end_object();
        if (output_ == "yaml" && !text_.empty()) {
            text_ += "---\n";
        }
        text_ += out.text();
    }

    const svcdisc::controller& controller_;
    std::string output_;
    bool no_headers_;
    std::int64_t now_;
    table rows_{{"EVENT", "NAME", "ENDPOINTS", "AGE"}, {}};
    std::string text_;
    bool flushed_rows_ = false;
};

} // namespace

command_result run_replay(const arguments& args) {
    if (args.positional.size() != 1) {
        usage_error("replay takes no operands: give the initial objects with -f and the watch "
                    "events with --events");
    }
    if (!args.events) {
        usage_error("replay needs --events FILE|- (a watch-event stream)");
    }
    if (!args.output.empty() && args.output != "json" && args.output != "yaml") {
        usage_error("replay prints a table, -o json or -o yaml");
    }
    const bool events_from_stdin = *args.events == "-";
    for (const auto& path : args.files) {
        if (events_from_stdin && path == "-") {
            usage_error("standard input cannot hold both the initial objects and the events");
        }
    }
    // Read both inputs before printing anything: a bad file is an input error (exit 2).
    const std::unique_ptr<source_file> events_file =
        events_from_stdin ? source_file::from_stdin() : source_file::open(*args.events);
    session& s = open_session(args);

    svcdisc::controller_options options;
    options.slices.max_endpoints_per_slice = s.max_endpoints_per_slice;
    options.slices.node_policy = s.policy;
    svcdisc::controller c(options);
    c.reserve(s.data.pods.size(), s.data.services.size());
    const auto load_all = [&](const auto& entries) {
        for (const auto& e : entries) {
            if (const auto error = c.load(e.object)) {
                throw cli_error(2,
                                "error: " + e.object.metadata.name + ": " + error->message + "\n");
            }
        }
    };
    for (const auto& p : s.data.pods) {
        if (const auto error = c.load(p)) {
            throw cli_error(2, "error: pod " + p.metadata.name + ": " + error->message + "\n");
        }
    }
    load_all(s.data.services);
    load_all(s.data.endpoints_objects);
    load_all(s.data.nodes);
    load_all(s.data.slices);

    change_printer printer(c, args);
    printer.print(c.initial_sync(), true);

    std::string failure;
    std::function<void(const std::string&)> note;
    if (args.verbose) {
        note = [](const std::string& text) { std::fprintf(stderr, "svcdisc: %s\n", text.c_str()); };
    }
    auto read_error = read_watch_events(
        *events_file, args.namespace_,
        [&](read_watch_event&& read) {
            const std::string type(svcdisc::to_string(read.event.type));
            if (const auto error = c.apply(std::move(read.event))) {
                failure = "error: " + events_file->name() + ":" + std::to_string(read.line) + ":" +
                          std::to_string(read.column) + ": " + type +
                          " refused: " + error->message + "\n";
                return false;
            }
            printer.print(c.changes(), false);
            return true;
        },
        note);

    command_result result;
    result.out = printer.finish();
    if (read_error) {
        failure = std::move(*read_error);
    }
    if (!failure.empty()) {
        result.err = std::move(failure);
        result.code = 2;
    }
    return result;
}

} // namespace svcdisc_cli
