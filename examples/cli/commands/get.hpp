#pragma once

// `get`: the table of resource kinds it lists (get_kinds.cpp) and how it prints any of them.
// A kind is one resource_kind row plus a listing: its columns, how to list its objects and
// how to print one the controllers derived.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/label_selector.hpp>

#include "args.hpp"
#include "commands/session.hpp"
#include "print/cells.hpp"
#include "print/emitter.hpp"
#include "print/table.hpp"
#include "read/cluster.hpp"

namespace svcdisc_cli {

/// What a table cell may depend on besides its object.
struct cell_context {
    std::int64_t now = 0; ///< for AGE
    bool wide = false;    ///< `-o wide`
};

/// One object `get` lists: the model object, what the model leaves out that kubectl's columns
/// show (pod_extra, node_extra; none for most kinds), and where it was read (none for an
/// object the controllers derive).
template <class Object, class Extra = char>
struct listed {
    const Object* object = nullptr;
    const Extra* extra = nullptr;
    std::optional<origin> from;
};

/// A table column: its header and its cell for one listed object.
template <class Row>
struct column {
    std::string_view header;
    std::string (*cell)(const Row&, const cell_context&);
};

/// How `get` lists one kind.
template <class Object, class Extra = char>
struct listing {
    using row = listed<Object, Extra>;

    std::span<const column<row>> columns;
    /// Added by `-o wide`.
    std::span<const column<row>> wide_columns;
    /// The objects of namespace `namespace_` ("" for all), in the API server's order. What it
    /// points into lives in the session.
    std::vector<row> (*list)(session& s, std::string_view namespace_);
    /// Prints an object the controllers derived; objects read from the input print as read.
    void (*print_derived)(const Object&, emitter&);
};

struct resource_kind;

/// A `get` command line, checked.
struct get_request {
    const arguments& args;
    const resource_kind& kind;
    std::optional<std::string> name;
    std::optional<svcdisc::label_selector> selector;
};

/// A row of the table of resource kinds: the names kubectl knows the kind by and how to list
/// it.
struct resource_kind {
    std::string_view plural;                       ///< kubectl's resource name: `pods`
    std::string_view singular;                     ///< `pod`
    std::span<const std::string_view> short_names; ///< `po`
    std::string_view group;                        ///< API group; "" for the core group
    bool namespaced = true;
    /// Lists and prints the kind: list_and_print instantiated with its listing.
    command_result (*get)(const get_request&, session&);

    /// True when `word` names the kind: plural, singular or a short name, the first two also
    /// qualified by the group (`endpointslices.discovery.k8s.io`).
    [[nodiscard]] bool is_named(std::string_view word) const;
    /// `plural[.group]`, as kubectl's NotFound error names the resource.
    [[nodiscard]] std::string qualified_plural() const;
    /// `singular[.group]`, the prefix of `-o name`.
    [[nodiscard]] std::string qualified_singular() const;
};

/// The kinds `get` lists.
std::span<const resource_kind> resource_kinds();

/// kubectl's message for an empty result (on stderr, exit 0).
std::string empty_message(const get_request& request);

/// `-o json|yaml` of everything listed: one object when NAME was given, else a `v1 List`.
/// `print(i, out)` prints object i.
template <class Print>
void emit_objects(const get_request& request, std::size_t count, Print&& print) {
    emitter out(request.args.output == "json" ? emitter::format::json : emitter::format::yaml);
    // Everything is read, checked and derived by now, so nothing can fail any more and the
    // (possibly very large) document can go straight to stdout.
    out.stream_to(stdout);
    if (request.name) {
        print(0, out);
    } else {
        out.begin_object();
        out.field("apiVersion", "v1");
        out.key("items");
        out.begin_array();
        for (std::size_t i = 0; i < count; ++i) {
            print(i, out);
        }
        out.end_array();
        out.field("kind", "List");
        out.key("metadata");
        out.begin_object();
        out.field("resourceVersion", "");
        out.end_object();
        out.end_object();
    }
    out.finish();
}

/// Prints what `rows` holds of `request`: NotFound for a missing NAME, the empty-result
/// message, `-o name`, `-o json|yaml` or a table.
template <class Object, class Extra>
command_result print_rows(const get_request& request, const session& s,
                          const listing<Object, Extra>& how,
                          std::vector<listed<Object, Extra>> rows) {
    using row = listed<Object, Extra>;
    const arguments& args = request.args;
    if (request.name) {
        std::erase_if(rows, [&](const row& r) { return r.object->metadata.name != *request.name; });
        if (rows.empty()) {
            return not_found(request.kind.qualified_plural(), *request.name);
        }
    }
    if (request.selector) {
        std::erase_if(rows, [&](const row& r) {
            return !request.selector->matches(r.object->metadata.labels);
        });
    }
    command_result result;
    if (rows.empty()) {
        result.err = empty_message(request);
        return result;
    }
    if (args.output == "name") {
        const std::string prefix = request.kind.qualified_singular() + "/";
        for (const auto& r : rows) {
            result.out += prefix + r.object->metadata.name + "\n";
        }
        return result;
    }
    if (args.output == "json" || args.output == "yaml") {
        emit_objects(request, rows.size(), [&](std::size_t i, emitter& out) {
            const row& r = rows[i];
            if (r.from) {
                s.store.emit_as_read(*r.from, r.object->metadata.namespace_, out);
            } else {
                how.print_derived(*r.object, out);
            }
        });
        return result;
    }
    const cell_context context{now_seconds(), args.output == "wide"};
    const bool with_namespace = args.all_namespaces && request.kind.namespaced;
    table t;
    auto add_headers = [&](std::span<const column<row>> columns) {
        for (const auto& c : columns) {
            t.header.emplace_back(c.header);
        }
    };
    if (with_namespace) {
        t.header.emplace_back("NAMESPACE");
    }
    add_headers(how.columns);
    if (context.wide) {
        add_headers(how.wide_columns);
    }
    t.rows.reserve(rows.size());
    for (const auto& r : rows) {
        std::vector<std::string>& cells = t.rows.emplace_back();
        cells.reserve(t.header.size());
        if (with_namespace) {
            cells.push_back(r.object->metadata.namespace_);
        }
        for (const auto& c : how.columns) {
            cells.push_back(c.cell(r, context));
        }
        if (context.wide) {
            for (const auto& c : how.wide_columns) {
                cells.push_back(c.cell(r, context));
            }
        }
    }
    result.out = t.render(args.no_headers);
    return result;
}

/// Lists the objects of one kind in the request's scope and prints them; with the hidden
/// `--timings`, says on stderr how long reading, listing (deriving) and printing took.
template <const auto& How>
command_result list_and_print(const get_request& request, session& s) {
    const auto list_start = clock_type::now();
    auto rows = How.list(s, request.args.all_namespaces ? "" : request.args.namespace_);
    const double list_seconds = seconds_since(list_start);
    const std::size_t listed_count = rows.size();
    const auto print_start = clock_type::now();
    command_result result = print_rows(request, s, How, std::move(rows));
    if (request.args.timings) {
        std::fprintf(stderr,
                     "timings: read %.3fs, derive %.3fs, write %.3fs (%zu pods, %zu services, "
                     "%zu %s)\n",
                     s.read_seconds, list_seconds, seconds_since(print_start), s.data.pods.size(),
                     s.data.services.size(), listed_count,
                     std::string(request.kind.plural).c_str());
    }
    return result;
}

} // namespace svcdisc_cli
