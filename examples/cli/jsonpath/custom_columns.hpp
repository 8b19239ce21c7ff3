#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include <svcdisc/result.hpp>

#include "jsonpath.hpp"

/// kubectl's `-o custom-columns=NAME:.metadata.name,...` and `-o custom-columns-file=FILE`
/// (kubectl's pkg/cmd/get/customcolumn.go), printed through kubectl's tabwriter.
///
/// Example:
///     auto columns = svcdisc_cli::custom_columns::from_spec("NAME:.metadata.name", no_headers);
///     if (!columns) return report(columns.error().message);
///     auto table = svcdisc_cli::custom_columns::print(columns.value(), list_root);
///     std::fputs(table.text.c_str(), stdout);          // printed even when an error follows
///     if (table.error) return report(*table.error);
namespace svcdisc_cli::custom_columns {

/// One column: its header and the JSONPath template kubectl made of its path (`{.a.b}`).
struct column {
    std::string header;
    std::string field_spec;
};

/// The columns and whether the header line is left out.
struct printer {
    std::vector<column> columns;
    bool no_headers = false;
};

/// kubectl's RelaxedJSONPathExpression: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all become
/// `{.a.b}`; an empty path stays empty (its cells print `<none>`).
svcdisc::result<std::string> relaxed_jsonpath_expression(std::string_view path);

/// The columns of `-o custom-columns=SPEC`: comma-separated `HEADER:PATH` pairs (a comma inside
/// a path splits it, as in kubectl). Errors carry kubectl's message and the offset in `spec`.
svcdisc::result<printer> from_spec(std::string_view spec, bool no_headers);

/// The columns of a `custom-columns-file`: a line of headers and a line of paths, separated by
/// white space. kubectl prints this form's header even with `--no-headers`, and so does this.
svcdisc::result<printer> from_template(std::string_view file_text);

/// The table for `object` as kubectl prints it: the header line unless left out, then one row
/// per item of a list (an object whose `items` is an array) or for the object itself; several
/// values in a cell joined by `,`, none as `<none>`, each as Go's fmt prints it with ESC and CR
/// made visible. On an error (a column's path does not parse, or fails), `text` holds what
/// kubectl prints before it reports the error.
jsonpath::printed print(const printer& columns, simdjson::dom::element object);

/// Tab-separated lines laid out as kubectl's tabwriter lays them out (Go text/tabwriter with
/// kubectl's settings: cells padded to the widest of their column block plus 3, at least 6,
/// the last cell of a line unpadded, widths counted in runes and remembered across flushes).
std::string tabwriter_format(std::string_view text);

} // namespace svcdisc_cli::custom_columns
