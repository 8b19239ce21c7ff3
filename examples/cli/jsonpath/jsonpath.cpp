#include "jsonpath.hpp"

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <svcdisc/go_text.hpp>

#include "go_format.hpp"
#include "template_tree.hpp"

namespace svcdisc_cli::jsonpath {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

value document_value(element node) {
    value v;
    v.kind = value_kind::document;
    v.node = node;
    return v;
}

bool is_null(const value& v) {
    return v.kind == value_kind::document && v.node.type() == element_type::NULL_VALUE;
}

bool is_document(const value& v, element_type type) {
    return v.kind == value_kind::document && v.node.type() == type;
}

// A range-for over get_object().value_unsafe() would iterate a dead temporary; these copy.
simdjson::dom::object object_of(element node) {
    return node.get_object().value_unsafe();
}

simdjson::dom::array array_of(element node) {
    return node.get_array().value_unsafe();
}

/// An object's members as a Go map holds them: one per key (the last of duplicates, as
/// encoding/json keeps) in sorted order (fmt and encoding/json sort map keys; where Go's map
/// order is random, sorted order is this engine's fixed choice).
std::vector<std::pair<std::string_view, element>> sorted_members(element object) {
    std::vector<std::pair<std::string_view, element>> members;
    for (const auto field : object_of(object)) {
        members.emplace_back(field.key, field.value);
    }
    std::stable_sort(members.begin(), members.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<std::string_view, element>> unique;
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (i + 1 == members.size() || members[i + 1].first != members[i].first) {
            unique.push_back(members[i]);
        }
    }
    return unique;
}

std::optional<element> member(element object, std::string_view key) {
    std::optional<element> found;
    for (const auto field : object_of(object)) {
        if (field.key == key) {
            found = field.value;
        }
    }
    return found;
}

std::vector<element> elements(element array) {
    std::vector<element> items;
    for (const element item : array_of(array)) {
        items.push_back(item);
    }
    return items;
}

/// A document number as kubectl's unstructured object holds it: an int64 when the JSON integer
/// fits, else a float64.
double float_of(element node) {
    return node.type() == element_type::UINT64
               ? static_cast<double>(node.get_uint64().value_unsafe())
               : node.get_double().value_unsafe();
}

/// The Go type `%v is not array or slice` names.
std::string go_type_name(const value& v) {
    switch (v.kind) {
    case value_kind::document:
        switch (v.node.type()) {
        case element_type::OBJECT:
            return "map[string]interface {}";
        case element_type::ARRAY:
            return "[]interface {}";
        case element_type::STRING:
            return "string";
        case element_type::INT64:
            return "int64";
        case element_type::BOOL:
            return "bool";
        case element_type::NULL_VALUE:
            return "interface {}";
        default:
            return "float64";
        }
    case value_kind::text:
        return "string";
    case value_kind::integer:
        return "int";
    case value_kind::floating:
        return "float64";
    case value_kind::boolean:
        return "bool";
    case value_kind::byte:
        return "uint8";
    case value_kind::no_value:
        break;
    }
    // client-go asks a missing value for its type and panics; this engine reports it instead.
    return "<invalid reflect.Value>";
}

/// The children `*` and `..` visit: an object's values, an array's elements, a string's bytes.
std::vector<value> children_of(const value& v) {
    std::vector<value> children;
    std::string_view bytes;
    if (v.kind == value_kind::text) {
        bytes = v.text;
    } else if (v.kind != value_kind::document) {
        return children;
    } else if (v.node.type() == element_type::OBJECT) {
        for (const auto& entry : sorted_members(v.node)) {
            children.push_back(document_value(entry.second));
        }
        return children;
    } else if (v.node.type() == element_type::ARRAY) {
        for (const element item : elements(v.node)) {
            children.push_back(document_value(item));
        }
        return children;
    } else if (v.node.type() == element_type::STRING) {
        bytes = v.node.get_string().value_unsafe();
    }
    for (const char c : bytes) {
        value b;
        b.kind = value_kind::byte;
        b.integer = static_cast<unsigned char>(c);
        children.push_back(std::move(b));
    }
    return children;
}

/// The Go kinds text/template's comparison functions tell apart.
enum class go_kind : std::uint8_t {
    invalid,
    boolean,
    signed_integer,
    unsigned_integer,
    floating,
    string
};

go_kind comparison_kind(const value& v) {
    switch (v.kind) {
    case value_kind::document:
        switch (v.node.type()) {
        case element_type::BOOL:
            return go_kind::boolean;
        case element_type::INT64:
            return go_kind::signed_integer;
        case element_type::UINT64:
        case element_type::DOUBLE:
            return go_kind::floating;
        case element_type::STRING:
            return go_kind::string;
        default:
            return go_kind::invalid;
        }
    case value_kind::text:
        return go_kind::string;
    case value_kind::integer:
        return go_kind::signed_integer;
    case value_kind::floating:
        return go_kind::floating;
    case value_kind::boolean:
        return go_kind::boolean;
    case value_kind::byte:
        return go_kind::unsigned_integer;
    case value_kind::no_value:
        break;
    }
    return go_kind::invalid;
}

std::int64_t signed_of(const value& v) {
    return v.kind == value_kind::document ? v.node.get_int64().value_unsafe() : v.integer;
}

std::uint64_t unsigned_of(const value& v) {
    return static_cast<std::uint64_t>(v.integer);
}

double floating_of(const value& v) {
    return v.kind == value_kind::document ? float_of(v.node) : v.floating;
}

bool boolean_of(const value& v) {
    return v.kind == value_kind::document ? v.node.get_bool().value_unsafe() : v.boolean;
}

std::string_view string_of(const value& v) {
    return v.kind == value_kind::document ? v.node.get_string().value_unsafe()
                                          : std::string_view(v.text);
}

/// A comparison's outcome, or text/template's error for it.
struct comparison {
    bool truth = false;
    const char* error = nullptr;
};

constexpr const char* bad_comparison_type = "invalid type for comparison";
constexpr const char* bad_comparison = "incompatible types for comparison";

/// How two values order for text/template's eq and lt: values of one kind compare, and
/// integers across signedness; booleans only for equality.
struct go_ordering {
    std::partial_ordering order = std::partial_ordering::unordered;
    const char* error = nullptr;
    bool booleans = false;
};

std::partial_ordering mixed_integer_order(std::int64_t a, std::uint64_t b) {
    return std::cmp_less(a, b)    ? std::partial_ordering::less
           : std::cmp_equal(a, b) ? std::partial_ordering::equivalent
                                  : std::partial_ordering::greater;
}

go_ordering go_order(const value& a, const value& b) {
    const go_kind ka = comparison_kind(a);
    const go_kind kb = comparison_kind(b);
    if (ka == go_kind::invalid || kb == go_kind::invalid) {
        return {std::partial_ordering::unordered, bad_comparison_type};
    }
    if (ka == go_kind::signed_integer && kb == go_kind::unsigned_integer) {
        return {mixed_integer_order(signed_of(a), unsigned_of(b))};
    }
    if (ka == go_kind::unsigned_integer && kb == go_kind::signed_integer) {
        return {0 <=> mixed_integer_order(signed_of(b), unsigned_of(a))};
    }
    if (ka != kb) {
        return {std::partial_ordering::unordered, bad_comparison};
    }
    switch (ka) {
    case go_kind::boolean:
        return {boolean_of(a) == boolean_of(b) ? std::partial_ordering::equivalent
                                               : std::partial_ordering::unordered,
                nullptr, true};
    case go_kind::signed_integer:
        return {signed_of(a) <=> signed_of(b)};
    case go_kind::unsigned_integer:
        return {unsigned_of(a) <=> unsigned_of(b)};
    case go_kind::floating:
        return {floating_of(a) <=> floating_of(b)};
    default:
        return {string_of(a) <=> string_of(b)};
    }
}

/// text/template's eq for two values.
comparison go_equal(const value& a, const value& b) {
    const go_ordering o = go_order(a, b);
    return {o.error == nullptr && o.order == 0, o.error};
}

/// text/template's lt for two values.
comparison go_less(const value& a, const value& b) {
    const go_ordering o = go_order(a, b);
    if (o.error == nullptr && o.booleans) {
        return {false, bad_comparison_type};
    }
    return {o.error == nullptr && o.order < 0, o.error};
}

/// A filter operator applied as jsonpath.go's evalFilter applies it; nullopt for an operator
/// it does not know.
std::optional<comparison> compare(std::string_view op, const value& a, const value& b) {
    const auto less_equal = [&] {
        const comparison less = go_less(a, b);
        return less.truth || less.error != nullptr ? less : go_equal(a, b);
    };
    if (op == "==") {
        return go_equal(a, b);
    }
    if (op == "!=") {
        const comparison equal = go_equal(a, b);
        return comparison{!equal.truth, equal.error};
    }
    if (op == "<") {
        return go_less(a, b);
    }
    if (op == "<=") {
        return less_equal();
    }
    if (op == ">") {
        const comparison le = less_equal();
        return comparison{le.error == nullptr && !le.truth, le.error};
    }
    if (op == ">=") {
        const comparison less = go_less(a, b);
        return comparison{less.error == nullptr && !less.truth, less.error};
    }
    return std::nullopt;
}

/// The values one node yields and, when it failed, client-go's error; on failure the values
/// are what client-go's function returned with the error (an existence filter still counts them).
struct step {
    std::vector<value> values;
    std::optional<std::string> error;
};

/// client-go's jsonpath.go evaluation: the range bookkeeping of FindResults and one function
/// per node type.
class evaluator {
  public:
    evaluator(const template_tree& tree, bool allow_missing_keys, carried_state& state)
        : nodes_(tree.nodes), allow_missing_keys_(allow_missing_keys), state_(state) {}

    found_results run(element root) {
        found_results found;
        found.error = find_results(document_value(root), state_.first_piece, found.groups, 0);
        if (found.error) {
            found.groups.clear();
        }
        return found;
    }

  private:
    /// FindResults over the top-level nodes from `first` on, which nested ranges share: a range
    /// evaluates the nodes after it once per value, each pass stopping at the `end` that closes
    /// it, and then the walk resumes after that `end`.
    std::optional<std::string> find_results(value data, std::size_t first,
                                            std::vector<std::vector<value>>& groups, int depth) {
        if (depth > max_nesting) {
            return "ranges nest too deeply";
        }
        const std::vector<value> current{std::move(data)};
        for (std::size_t i = first; i < nodes_.size(); ++i) {
            step results = walk(current, nodes_[i]);
            if (results.error) {
                return results.error;
            }
            if (state_.end_range > 0 && state_.end_range <= state_.in_range) {
                --state_.end_range;
                state_.last_end = i;
                break;
            }
            if (state_.begin_range > 0) {
                --state_.begin_range;
                ++state_.in_range;
                // Each pass runs on the template cut down to the pieces after the range, and
                // client-go leaves its template cut down so.
                if (results.values.empty()) {
                    // Nothing to iterate, but the pass still runs (on no value) to find the end.
                    std::vector<std::vector<value>> discarded;
                    state_.first_piece = i + 1;
                    if (auto error = find_results(value{}, i + 1, discarded, depth + 1)) {
                        return error;
                    }
                }
                for (value& item : results.values) {
                    // Go re-wraps each value, so a null element becomes no value at all.
                    value element_value = is_null(item) ? value{} : std::move(item);
                    state_.first_piece = i + 1;
                    if (auto error =
                            find_results(std::move(element_value), i + 1, groups, depth + 1)) {
                        return error;
                    }
                }
                --state_.in_range;
                if (state_.last_end && *state_.last_end > i) {
                    i = *state_.last_end;
                }
                continue;
            }
            groups.push_back(std::move(results.values));
        }
        return std::nullopt;
    }

    step walk(const std::vector<value>& input, const node& n) {
        switch (n.kind) {
        case node_kind::list:
            return eval_list(input, n);
        case node_kind::text: {
            value text;
            text.kind = value_kind::text;
            text.text = n.text;
            return {{std::move(text)}, std::nullopt};
        }
        case node_kind::field:
            return eval_field(input, n.text);
        case node_kind::array:
            return eval_array(input, n.bounds);
        case node_kind::filter:
            return eval_filter(input, n);
        case node_kind::integer:
        case node_kind::floating:
        case node_kind::boolean:
            return constants(input, n);
        case node_kind::wildcard:
            return eval_wildcard(input);
        case node_kind::recursive:
            return {eval_recursive(input), std::nullopt};
        case node_kind::union_list:
            return eval_union(input, n);
        case node_kind::identifier:
            return eval_identifier(input, n.text);
        }
        return {input, std::nullopt};
    }

    step eval_list(const std::vector<value>& input, const node& list) {
        step current{input, std::nullopt};
        for (const node& n : list.children) {
            current = walk(current.values, n);
            if (current.error) {
                return current;
            }
        }
        return current;
    }

    static step constants(const std::vector<value>& input, const node& n) {
        value constant;
        constant.kind = n.kind == node_kind::integer    ? value_kind::integer
                        : n.kind == node_kind::floating ? value_kind::floating
                                                        : value_kind::boolean;
        constant.integer = n.integer;
        constant.floating = n.floating;
        constant.boolean = n.boolean;
        return {std::vector<value>(input.size(), constant), std::nullopt};
    }

    step eval_identifier(const std::vector<value>& input, std::string_view name) {
        if (name == "range") {
            ++state_.begin_range;
            return {input, std::nullopt};
        }
        if (name == "end") {
            if (state_.in_range > 0) {
                ++state_.end_range;
                return {};
            }
            return {{}, "not in range, nothing to end"};
        }
        return {input, "unrecognized identifier " + std::string(name)};
    }

    step eval_field(const std::vector<value>& input, const std::string& name) const {
        step out;
        if (input.empty()) {
            return out;
        }
        for (const value& v : input) {
            if (!is_document(v, element_type::OBJECT)) {
                continue;
            }
            if (const auto found = member(v.node, name)) {
                out.values.push_back(document_value(*found));
            }
        }
        if (out.values.empty() && !allow_missing_keys_) {
            out.error = name + " is not found";
        }
        return out;
    }

    static step eval_array(const std::vector<value>& input,
                           const std::array<slice_bound, 3>& written) {
        step out;
        for (const value& v : input) {
            if (is_null(v)) {
                continue;
            }
            if (!is_document(v, element_type::ARRAY)) {
                return {input, go_type_name(v) + " is not array or slice"};
            }
            const std::vector<element> items = elements(v.node);
            const auto length = static_cast<std::int64_t>(items.size());
            std::array<slice_bound, 3> bounds = written;
            auto& [start, end, step_bound] = bounds;
            if (!start.known) {
                start.value = 0;
            }
            if (start.value < 0) {
                start.value = wrapping_add(start.value, length);
            }
            if (!end.known) {
                end.value = length;
            }
            if (end.value < 0 || (end.value == 0 && end.derived)) {
                end.value = wrapping_add(end.value, length);
            }
            if (end.value == start.value) {
                // An empty slice ends the whole evaluation of this node, as in client-go.
                return out;
            }
            if (start.value >= length || start.value < 0) {
                return {input, "array index out of bounds: index " + std::to_string(start.value) +
                                   ", length " + std::to_string(length)};
            }
            if (end.value > length || end.value < 0) {
                return {input, "array index out of bounds: index " +
                                   std::to_string(wrapping_add(end.value, -1)) + ", length " +
                                   std::to_string(length)};
            }
            if (start.value > end.value) {
                return {input, "starting index " + std::to_string(start.value) +
                                   " is greater than ending index " + std::to_string(end.value)};
            }
            std::int64_t stride = 1;
            if (step_bound.known) {
                if (step_bound.value <= 0) {
                    return {input, "step must be > 0"};
                }
                stride = step_bound.value;
            }
            for (std::int64_t i = start.value;; i += stride) {
                out.values.push_back(document_value(items[static_cast<std::size_t>(i)]));
                if (end.value - i <= stride) {
                    break;
                }
            }
        }
        return out;
    }

    step eval_union(const std::vector<value>& input, const node& n) {
        step out;
        for (const node& alternative : n.children) {
            step part = eval_list(input, alternative);
            if (part.error) {
                return {input, std::move(part.error)};
            }
            std::move(part.values.begin(), part.values.end(), std::back_inserter(out.values));
        }
        return out;
    }

    static step eval_wildcard(const std::vector<value>& input) {
        step out;
        for (const value& v : input) {
            if (is_null(v)) {
                continue;
            }
            std::vector<value> children = children_of(v);
            std::move(children.begin(), children.end(), std::back_inserter(out.values));
        }
        return out;
    }

    /// Every value under the input that has children, itself first (depth first, pre-order);
    /// strings count, as a string's bytes are its children.
    static std::vector<value> eval_recursive(const std::vector<value>& input) {
        std::vector<value> out;
        for (const value& v : input) {
            if (is_null(v)) {
                continue;
            }
            const std::vector<value> children = children_of(v);
            if (children.empty()) {
                continue;
            }
            out.push_back(v);
            std::vector<value> below = eval_recursive(children);
            std::move(below.begin(), below.end(), std::back_inserter(out));
        }
        return out;
    }

    step eval_filter(const std::vector<value>& input, const node& filter) {
        step out;
        const node& left = filter.children[0];
        const node& right = filter.children[1];
        for (const value& v : input) {
            if (!is_document(v, element_type::ARRAY)) {
                return {input, go_sprint(v) + " is not array or slice and cannot be filtered"};
            }
            for (const element item : elements(v.node)) {
                const std::vector<value> candidate{document_value(item)};
                const step lefts = eval_list(candidate, left);
                if (filter.text == "exists") {
                    if (!lefts.values.empty()) {
                        out.values.push_back(candidate.front());
                    }
                    continue;
                }
                if (lefts.error) {
                    return {input, lefts.error};
                }
                if (lefts.values.empty()) {
                    continue;
                }
                if (lefts.values.size() > 1) {
                    return {input, "can only compare one element at a time"};
                }
                const step rights = eval_list(candidate, right);
                if (rights.error) {
                    return {input, rights.error};
                }
                if (rights.values.empty()) {
                    continue;
                }
                if (rights.values.size() > 1) {
                    return {input, "can only compare one element at a time"};
                }
                const auto outcome =
                    compare(filter.text, lefts.values.front(), rights.values.front());
                if (!outcome) {
                    out.error = "unrecognized filter operator " + filter.text;
                    return out;
                }
                if (outcome->error != nullptr) {
                    out.error = outcome->error;
                    return out;
                }
                if (outcome->truth) {
                    out.values.push_back(candidate.front());
                }
            }
        }
        return out;
    }

    const std::vector<node>& nodes_;
    bool allow_missing_keys_;
    carried_state& state_;
};

/// How one of Go's printers writes kubectl's unstructured values: fmt's `%v` and `%#v`, and
/// encoding/json.
struct go_style {
    enum class strings : std::uint8_t { raw, go_quoted, json };
    std::string_view object_open;
    std::string_view array_open;
    char object_close;
    char array_close;
    std::string_view separator;
    strings string_form;
    bool json_floats;
    std::string_view null_text;
};

constexpr go_style plain_style{"map[", "[", ']', ']', " ", go_style::strings::raw, false, "<nil>"};
constexpr go_style syntax_style{"map[string]interface {}{",
                                "[]interface {}{",
                                '}',
                                '}',
                                ", ",
                                go_style::strings::go_quoted,
                                false,
                                "interface {}(nil)"};
constexpr go_style json_style{"{", "[", '}', ']', ",", go_style::strings::json, true, "null"};

void append_newline_indent(std::string& out, int indent, int level) {
    out += '\n';
    out.append(static_cast<std::size_t>(indent * level), ' ');
}

void append_styled_string(std::string& out, std::string_view text, const go_style& style) {
    switch (style.string_form) {
    case go_style::strings::raw:
        out += text;
        return;
    case go_style::strings::go_quoted:
        out += svcdisc::go_quote(text);
        return;
    case go_style::strings::json:
        svcdisc::append_json_string(out, text);
        return;
    }
}

/// `node` in `style`; with an `indent`, members and elements go on lines of their own as
/// encoding/json's MarshalIndent puts them (`level` deep).
void append_styled(std::string& out, element node, const go_style& style, int indent = 0,
                   int level = 0) {
    const auto begin_item = [&](bool first) {
        out += first ? "" : style.separator;
        if (indent > 0) {
            append_newline_indent(out, indent, level + 1);
        }
    };
    const auto end_items = [&](bool any, char close) {
        if (indent > 0 && any) {
            append_newline_indent(out, indent, level);
        }
        out += close;
    };
    switch (node.type()) {
    case element_type::OBJECT: {
        const auto members = sorted_members(node);
        out += style.object_open;
        for (std::size_t i = 0; i < members.size(); ++i) {
            begin_item(i == 0);
            append_styled_string(out, members[i].first, style);
            out += indent > 0 ? ": " : ":";
            append_styled(out, members[i].second, style, indent, level + 1);
        }
        end_items(!members.empty(), style.object_close);
        return;
    }
    case element_type::ARRAY: {
        const std::vector<element> items = elements(node);
        out += style.array_open;
        for (std::size_t i = 0; i < items.size(); ++i) {
            begin_item(i == 0);
            append_styled(out, items[i], style, indent, level + 1);
        }
        end_items(!items.empty(), style.array_close);
        return;
    }
    case element_type::STRING:
        append_styled_string(out, node.get_string().value_unsafe(), style);
        return;
    case element_type::INT64:
        out += std::to_string(node.get_int64().value_unsafe());
        return;
    case element_type::UINT64:
    case element_type::DOUBLE:
        if (style.json_floats) {
            go::append_json_float(out, float_of(node));
        } else {
            go::append_float(out, float_of(node));
        }
        return;
    case element_type::BOOL:
        out += node.get_bool().value_unsafe() ? "true" : "false";
        return;
    case element_type::NULL_VALUE:
        out += style.null_text;
        return;
    }
}

/// A template value as encoding/json writes it; a missing value (which Go cannot marshal)
/// writes null.
void append_value_json(std::string& out, const value& v, int indent, int level) {
    switch (v.kind) {
    case value_kind::document:
        append_styled(out, v.node, json_style, indent, level);
        return;
    case value_kind::text:
        svcdisc::append_json_string(out, v.text);
        return;
    case value_kind::integer:
    case value_kind::byte:
        out += std::to_string(v.integer);
        return;
    case value_kind::floating:
        go::append_json_float(out, v.floating);
        return;
    case value_kind::boolean:
        out += v.boolean ? "true" : "false";
        return;
    case value_kind::no_value:
        out += "null";
        return;
    }
}

/// One group as jsonpath.go's PrintResults writes it.
void print_group(std::string& out, const std::vector<value>& group, bool json_output) {
    if (json_output) {
        out += '[';
        for (std::size_t i = 0; i < group.size(); ++i) {
            out += i == 0 ? "" : ",";
            append_newline_indent(out, 4, 1);
            append_value_json(out, group[i], 4, 1);
        }
        out += group.empty() ? "]\n" : "\n]\n";
        return;
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
        const value& v = group[i];
        if (is_document(v, element_type::OBJECT) || is_document(v, element_type::ARRAY)) {
            append_styled(out, v.node, json_style);
        } else if (is_null(v)) {
            out += "null";
        } else if (v.kind == value_kind::no_value) {
            out += "<no value>";
        } else {
            out += go_sprint(v);
        }
        if (i + 1 != group.size()) {
            out += ' ';
        }
    }
}

} // namespace

found_results find_results(const parsed_template& tmpl, simdjson::dom::element root,
                           bool allow_missing_keys) {
    carried_state fresh;
    return find_results(tmpl, root, allow_missing_keys, fresh);
}

found_results find_results(const parsed_template& tmpl, simdjson::dom::element root,
                           bool allow_missing_keys, carried_state& state) {
    return evaluator(tmpl.tree(), allow_missing_keys, state).run(root);
}

printed execute(const parsed_template& tmpl, simdjson::dom::element root, const options& opts) {
    found_results found = find_results(tmpl, root, opts.allow_missing_keys);
    printed out;
    if (found.error) {
        out.error = std::move(found.error);
        return out;
    }
    for (const auto& group : found.groups) {
        print_group(out.text, group, opts.json_output);
    }
    return out;
}

std::string go_sprint(const value& v) {
    std::string out;
    switch (v.kind) {
    case value_kind::document:
        append_styled(out, v.node, plain_style);
        break;
    case value_kind::text:
        out = v.text;
        break;
    case value_kind::integer:
    case value_kind::byte:
        out = std::to_string(v.integer);
        break;
    case value_kind::floating:
        go::append_float(out, v.floating);
        break;
    case value_kind::boolean:
        out = v.boolean ? "true" : "false";
        break;
    case value_kind::no_value:
        out = "<invalid reflect.Value>";
        break;
    }
    return out;
}

std::string go_json(const value& v) {
    std::string out;
    append_value_json(out, v, 0, 0);
    return out;
}

std::string go_syntax(simdjson::dom::element node) {
    std::string out;
    append_styled(out, node, syntax_style);
    return out;
}

std::string go_quote(std::string_view text) {
    return svcdisc::go_quote(text);
}

std::string kubectl_parse_error(std::string_view template_text, const svcdisc::input_error& error) {
    return "error parsing jsonpath " + std::string(template_text) + ", " + error.message;
}

std::string kubectl_execute_error(std::string_view template_text, std::string_view message,
                                  simdjson::dom::element root) {
    std::string out = "error executing jsonpath " + svcdisc::go_quote(template_text) +
                      ": Error executing template: ";
    out += message;
    out += ". Printing more information for debugging the template:\n\ttemplate was:\n\t\t";
    out += template_text;
    out += "\n\tobject given to jsonpath engine was:\n\t\t";
    append_styled(out, root, syntax_style);
    out += "\n\n\n";
    return out;
}

} // namespace svcdisc_cli::jsonpath
