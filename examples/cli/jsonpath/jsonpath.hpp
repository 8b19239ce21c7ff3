#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include <svcdisc/result.hpp>

/// kubectl's JSONPath templates (`-o jsonpath=...`), evaluated over a simdjson DOM document the
/// way client-go's util/jsonpath evaluates kubectl's unstructured objects, and printed byte for
/// byte as kubectl prints them.
///
/// Example:
///     auto parsed = svcdisc_cli::jsonpath::parse("{range
///     .items[*]}{.metadata.name}{\"\\n\"}{end}"); if (!parsed) return
///     report(svcdisc_cli::jsonpath::kubectl_parse_error(text, parsed.error())); auto printed =
///     svcdisc_cli::jsonpath::execute(parsed.value(), document_root); if (printed.error) return
///     report(*printed.error); std::fputs(printed.text.c_str(), stdout);
namespace svcdisc_cli::jsonpath {

struct template_tree;

/// A parsed template: literal text and `{...}` actions. Cheap to copy (the tree is shared).
class parsed_template {
  public:
    explicit parsed_template(std::shared_ptr<const template_tree> tree) : tree_(std::move(tree)) {}

    [[nodiscard]] const template_tree& tree() const noexcept { return *tree_; }

  private:
    std::shared_ptr<const template_tree> tree_;
};

/// Parses a template as client-go's jsonpath.Parse does. The error carries client-go's message
/// (e.g. "unclosed action", "unrecognized character in action: U+0023 '#'") and the byte offset
/// in `text` where the problem is.
svcdisc::result<parsed_template> parse(std::string_view text);

/// What a Go value inside kubectl's unstructured object, or a constant of the template, is.
enum class value_kind : std::uint8_t {
    document, ///< a node of the evaluated document (JSON null included)
    text,     ///< a quoted string of the template (a Go string)
    integer,  ///< an integer of the template (a Go int)
    floating, ///< a number with a decimal point in the template (a Go float64)
    boolean,  ///< `true` / `false` in the template
    byte,     ///< one byte of a string, from `*` or `..` over a string (a Go uint8)
    no_value, ///< the missing value a `range` over nothing or over a null element evaluates on
};

/// One result of a template.
struct value {
    value_kind kind = value_kind::no_value;
    simdjson::dom::element node{}; ///< for document
    std::string text;              ///< for text
    std::int64_t integer = 0;      ///< for integer and byte
    double floating = 0;           ///< for floating
    bool boolean = false;          ///< for boolean
};

/// The results of each top-level piece of a template (client-go's FindResults), or the error
/// that stopped the evaluation.
struct found_results {
    std::vector<std::vector<value>> groups;
    std::optional<std::string> error;
};

/// How kubectl's printers run a template.
struct options {
    /// `--allow-missing-template-keys` (kubectl's default true): a field that is not there yields
    /// nothing instead of the error "NAME is not found".
    bool allow_missing_keys = true;
    /// `-o jsonpath-as-json`: each group prints as a JSON array indented by four spaces.
    bool json_output = false;
};

/// What a template printed, or the error kubectl reports instead (then nothing is printed, as
/// client-go evaluates the whole template before it writes).
struct printed {
    std::string text;
    std::optional<std::string> error;
};

/// What client-go's JSONPath object carries from one evaluation to the next: its range
/// bookkeeping and, once a `range` ran, a template cut down to the pieces after that `range`.
/// kubectl's custom-columns printer evaluates one object per column for every row, so a later
/// row sees what an earlier one left.
struct carried_state {
    std::size_t first_piece = 0;
    int begin_range = 0;
    int in_range = 0;
    int end_range = 0;
    std::optional<std::size_t> last_end;
};

/// Evaluates `tmpl` on `root` (client-go's FindResults). Object members are visited in sorted
/// key order where Go's map order is random (`*`, `..`).
found_results find_results(const parsed_template& tmpl, simdjson::dom::element root,
                           bool allow_missing_keys);

/// find_results continuing from (and updating) the state an earlier evaluation of the same
/// template left.
found_results find_results(const parsed_template& tmpl, simdjson::dom::element root,
                           bool allow_missing_keys, carried_state& state);

/// Evaluates and prints `tmpl` on `root` as `kubectl get -o jsonpath` does: values of one group
/// separated by a space, strings raw, objects and arrays as compact JSON with sorted keys.
printed execute(const parsed_template& tmpl, simdjson::dom::element root, const options& opts = {});

/// A value as Go's fmt.Sprint prints it (custom-columns cells): maps as `map[k:v ...]` with
/// sorted keys, arrays as `[a b]`, null as `<nil>`, strings raw.
std::string go_sprint(const value& v);

/// A value as Go's encoding/json Marshal writes it (compact, keys sorted, `<>&` escaped).
std::string go_json(const value& v);

/// A document node as Go's `%#v` prints kubectl's unstructured object
/// (`map[string]interface {}{"kind":"List", ...}`).
std::string go_syntax(simdjson::dom::element node);

/// `text` quoted as Go's strconv.Quote (`%q`) quotes it.
std::string go_quote(std::string_view text);

/// kubectl's message for a template that does not parse:
/// `error parsing jsonpath TEMPLATE, MESSAGE`.
std::string kubectl_parse_error(std::string_view template_text, const svcdisc::input_error& error);

/// kubectl's message when `-o jsonpath` fails on an object (cli-runtime's JSONPathPrinter): the
/// error, the template and the object in Go syntax, ending in the three newlines kubectl prints.
std::string kubectl_execute_error(std::string_view template_text, std::string_view message,
                                  simdjson::dom::element root);

} // namespace svcdisc_cli::jsonpath
