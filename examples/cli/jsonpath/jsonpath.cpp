#include "jsonpath.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "go_format.hpp"

namespace svcdisc_cli::jsonpath {

/// The node types of client-go's jsonpath parser (node.go).
enum class node_kind : std::uint8_t {
    list,       ///< an action `{...}`, or a sub-path of a union or a filter
    text,       ///< literal text, or a quoted string inside an action
    field,      ///< `.name`
    array,      ///< `[start:end:step]`
    filter,     ///< `[?(left op right)]`
    integer,    ///< a number without a decimal point
    floating,   ///< a number with one
    boolean,    ///< `true` / `false`
    wildcard,   ///< `.*`
    recursive,  ///< `..`
    union_list, ///< `[a,b]`
    identifier, ///< `range`, `end`, or an unknown word (an error when evaluated)
};

/// One bound of `[start:end:step]`: unknown when left out; `derived` marks the end of a plain
/// index (`[i]` is `[i:i+1]`), which counts from the back when it comes out as 0.
struct slice_bound {
    std::int64_t value = 0;
    bool known = false;
    bool derived = false;
};

struct node {
    node_kind kind = node_kind::list;
    /// The text of a text node, the name of a field or identifier, a filter's operator.
    std::string text;
    std::int64_t integer = 0;
    double floating = 0;
    bool boolean = false;
    std::array<slice_bound, 3> bounds{};
    /// A list's nodes; a union's alternatives (lists); a filter's left and right lists.
    std::vector<node> children;
};

/// The top-level pieces of a template: text nodes and action lists.
struct template_tree {
    std::vector<node> nodes;
};

namespace {

constexpr char32_t end_of_input = 0xFFFFFFFF;
/// How deeply unions, dictionary keys and filters may nest, and ranges may run inside ranges.
/// client-go has no limit (Go's stacks grow); a limit keeps a hostile template from exhausting
/// the native stack.
constexpr int max_nesting = 200;

bool is_ascii_digit(char32_t r) {
    return r >= '0' && r <= '9';
}

bool is_alphanumeric(char32_t r) {
    return r == '_' || is_ascii_digit(r) || go::is_letter(r);
}

/// Characters that end a field name or an identifier (parser.go's isTerminator).
bool is_terminator(char32_t r) {
    switch (r) {
    case end_of_input:
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '.':
    case ',':
    case '[':
    case ']':
    case '$':
    case '@':
    case '{':
    case '}':
        return true;
    default:
        return false;
    }
}

/// strconv.Atoi: an optional sign and decimal digits that fit 64 bits.
std::optional<std::int64_t> parse_go_int(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    std::string_view digits = text;
    if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
        digits.remove_prefix(1);
    }
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) {
            return is_ascii_digit(static_cast<unsigned char>(c));
        })) {
        return std::nullopt;
    }
    const std::string_view number = text.front() == '+' ? digits : text;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (error != std::errc{} || end != number.data() + number.size()) {
        return std::nullopt;
    }
    return value;
}

/// strconv.ParseFloat for what the parser scans as a number: a sign, digits and at most one
/// decimal point, at least one digit, and finite.
std::optional<double> parse_go_float(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    std::string_view body = text;
    if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
        body.remove_prefix(1);
    }
    const auto dots = std::count(body.begin(), body.end(), '.');
    if (dots > 1 || static_cast<std::size_t>(dots) == body.size()) {
        return std::nullopt;
    }
    const std::string_view number = text.front() == '+' ? body : text;
    double value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (error != std::errc{} || end != number.data() + number.size()) {
        return std::nullopt;
    }
    return value;
}

std::int64_t wrapping_add(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

/// The digits of a `\x`, `\u` or `\U` escape.
std::optional<char32_t> parse_hex(std::string_view digits) {
    char32_t value = 0;
    for (const char c : digits) {
        value <<= 4U;
        if (c >= '0' && c <= '9') {
            value |= static_cast<char32_t>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            value |= static_cast<char32_t>(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            value |= static_cast<char32_t>(c - 'A' + 10);
        } else {
            return std::nullopt;
        }
    }
    return value;
}

/// The body of a quoted string with its escapes resolved, as parser.go's UnquoteExtend
/// (strconv.UnquoteChar for either quote) does; nullopt for "invalid syntax".
std::optional<std::string> unquote(std::string_view quoted) {
    const char quote = quoted.front();
    std::string_view rest = quoted.substr(1, quoted.size() - 2);
    std::string out;
    while (!rest.empty()) {
        const auto c = static_cast<unsigned char>(rest.front());
        if (c == static_cast<unsigned char>(quote)) {
            return std::nullopt;
        }
        if (c >= 0x80) {
            const auto [r, width] = go::decode_rune(rest, 0);
            go::append_rune(out, r);
            rest.remove_prefix(width);
            continue;
        }
        if (c != '\\') {
            out += static_cast<char>(c);
            rest.remove_prefix(1);
            continue;
        }
        if (rest.size() < 2) {
            return std::nullopt;
        }
        const char escape = rest[1];
        rest.remove_prefix(2);
        switch (escape) {
        case 'a':
            out += '\a';
            break;
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'v':
            out += '\v';
            break;
        case '\\':
            out += '\\';
            break;
        case '\'':
        case '"':
            if (escape != quote) {
                return std::nullopt;
            }
            out += escape;
            break;
        case 'x':
        case 'u':
        case 'U': {
            const std::size_t length = escape == 'x' ? 2 : escape == 'u' ? 4 : 8;
            const auto code =
                rest.size() < length ? std::nullopt : parse_hex(rest.substr(0, length));
            if (!code) {
                return std::nullopt;
            }
            rest.remove_prefix(length);
            if (escape == 'x') {
                // A single byte, which need not be valid UTF-8.
                out += static_cast<char>(*code);
                break;
            }
            if (*code > 0x10FFFF || (*code >= 0xD800 && *code <= 0xDFFF)) {
                return std::nullopt;
            }
            go::append_rune(out, *code);
            break;
        }
        default: {
            if (escape < '0' || escape > '7' || rest.size() < 2) {
                return std::nullopt;
            }
            unsigned code = static_cast<unsigned>(escape - '0');
            for (std::size_t i = 0; i < 2; ++i) {
                if (rest[i] < '0' || rest[i] > '7') {
                    return std::nullopt;
                }
                code = code * 8 + static_cast<unsigned>(rest[i] - '0');
            }
            rest.remove_prefix(2);
            if (code > 255) {
                return std::nullopt;
            }
            out += static_cast<char>(code);
        }
        }
    }
    return out;
}

/// Where a sub-template's bytes came from: client-go parses union alternatives, dictionary keys
/// and filter operands as templates of their own with text wrapped around them; offsets in
/// such a text map back into the user's template, the wrapping clamped to the part's ends.
struct origin {
    std::size_t start = 0;    ///< offset in the user's template of the part's first byte
    std::size_t wrapping = 0; ///< bytes added in front of the part
    std::size_t length = 0;   ///< the part's length
};

/// client-go's parser.go, byte for byte in what it accepts, what it builds and what it says.
class parser {
  public:
    parser(std::string_view text, origin from, int depth) : in_(text), from_(from), depth_(depth) {}

    std::optional<svcdisc::input_error> parse(std::vector<node>& root) {
        for (;;) {
            const std::size_t brace = in_.find('{', pos_);
            if (brace == std::string_view::npos) {
                pos_ = in_.size();
                break;
            }
            pos_ = brace;
            if (pos_ > start_) {
                root.push_back(text_node(in_.substr(start_, pos_ - start_)));
            }
            pos_ += 1;
            start_ = pos_;
            root.push_back(node{});
            if (auto failure = parse_inside_action(root.back())) {
                return failure;
            }
        }
        if (pos_ > start_) {
            root.push_back(text_node(in_.substr(start_)));
        }
        return std::nullopt;
    }

  private:
    static node text_node(std::string_view text) {
        node n;
        n.kind = node_kind::text;
        n.text = text;
        return n;
    }

    /// Where byte `at` of this text is in the user's template.
    [[nodiscard]] std::size_t offset_of(std::size_t at) const {
        const std::size_t inside = at < from_.wrapping ? 0 : at - from_.wrapping;
        return from_.start + std::min(inside, from_.length);
    }

    [[nodiscard]] svcdisc::input_error fail(std::string message, std::size_t at) const {
        return {std::move(message), offset_of(at)};
    }

    char32_t next() {
        if (pos_ >= in_.size()) {
            width_ = 0;
            return end_of_input;
        }
        const auto [r, width] = go::decode_rune(in_, pos_);
        width_ = width;
        pos_ += width;
        return r;
    }

    void backup() { pos_ -= width_; }

    char32_t peek() {
        const char32_t r = next();
        backup();
        return r;
    }

    std::string_view consume() {
        const std::string_view text = in_.substr(start_, pos_ - start_);
        start_ = pos_;
        return text;
    }

    std::optional<svcdisc::input_error> parse_inside_action(node& action) {
        for (;;) {
            const std::string_view rest = in_.substr(pos_);
            if (rest.starts_with('}')) {
                pos_ += 1;
                start_ = pos_;
                return std::nullopt;
            }
            std::optional<svcdisc::input_error> failure;
            if (rest.starts_with("[?(")) {
                failure = parse_filter(action);
            } else if (rest.starts_with("..")) {
                failure = parse_recursive(action);
            } else {
                failure = parse_token(action);
            }
            if (failure) {
                return failure;
            }
        }
    }

    std::optional<svcdisc::input_error> parse_token(node& action) {
        const std::size_t at = pos_;
        const char32_t r = next();
        if (r == end_of_input || r == '\r' || r == '\n') {
            return fail("unclosed action", at);
        }
        switch (r) {
        case ' ':
        case '@':
        case '$':
            consume();
            return std::nullopt;
        case '[':
            return parse_array(action);
        case '"':
        case '\'':
            return parse_quote(action, r);
        case '.':
            return parse_field(action);
        default:
            break;
        }
        if (r == '+' || r == '-' || is_ascii_digit(r)) {
            backup();
            return parse_number(action);
        }
        if (is_alphanumeric(r)) {
            backup();
            return parse_identifier(action);
        }
        return fail("unrecognized character in action: " + go::unicode_format(r), at);
    }

    std::optional<svcdisc::input_error> parse_identifier(node& action) {
        while (!is_terminator(next())) {
        }
        backup();
        const std::string_view word = consume();
        node n;
        if (word == "true" || word == "false") {
            n.kind = node_kind::boolean;
            n.boolean = word == "true";
        } else {
            n.kind = node_kind::identifier;
            n.text = word;
        }
        action.children.push_back(std::move(n));
        return std::nullopt;
    }

    std::optional<svcdisc::input_error> parse_recursive(node& action) {
        if (!action.children.empty() && action.children.back().kind == node_kind::recursive) {
            return fail("invalid multiple recursive descent", pos_);
        }
        pos_ += 2;
        consume();
        node n;
        n.kind = node_kind::recursive;
        action.children.push_back(std::move(n));
        if (is_alphanumeric(peek())) {
            return parse_field(action);
        }
        return std::nullopt;
    }

    std::optional<svcdisc::input_error> parse_number(node& action) {
        const std::size_t at = pos_;
        const char32_t sign = peek();
        if (sign == '+' || sign == '-') {
            next();
        }
        for (;;) {
            const char32_t r = next();
            if (r != '.' && !is_ascii_digit(r)) {
                backup();
                break;
            }
        }
        const std::string_view text = consume();
        node n;
        if (const auto integer = parse_go_int(text)) {
            n.kind = node_kind::integer;
            n.integer = *integer;
        } else if (const auto floating = parse_go_float(text)) {
            n.kind = node_kind::floating;
            n.floating = *floating;
        } else {
            return fail("cannot parse number " + std::string(text), at);
        }
        action.children.push_back(std::move(n));
        return std::nullopt;
    }

    /// Parses `text` as a template of its own (parser.go's parseAction) into `first_action`, its
    /// first action; the part of this parser's text it wraps is `part_length` bytes at
    /// `part_start`.
    std::optional<svcdisc::input_error> parse_part(std::string_view text, std::size_t wrapping,
                                                   std::size_t part_start, std::size_t part_length,
                                                   node& first_action) const {
        if (depth_ >= max_nesting) {
            return fail("template nests too deeply", part_start);
        }
        const origin from{offset_of(part_start), wrapping, part_length};
        std::vector<node> root;
        parser nested(text, from, depth_ + 1);
        if (auto failure = nested.parse(root)) {
            return failure;
        }
        first_action = std::move(root.front());
        return std::nullopt;
    }

    std::optional<svcdisc::input_error> parse_array(node& action) {
        const std::size_t open = pos_ - 1;
        for (;;) {
            const char32_t r = next();
            if (r == end_of_input || r == '\n') {
                return fail("unterminated array", open);
            }
            if (r == ']') {
                break;
            }
        }
        const std::string_view brackets = consume();
        std::string_view inside = brackets.substr(1, brackets.size() - 2);
        if (inside == "*") {
            inside = ":";
        }
        if (inside.find(',') != std::string_view::npos) {
            return parse_union(action, inside, open + 1);
        }
        const bool dictionary_key =
            inside.size() >= 2 && inside.front() == '\'' && inside.back() == '\'' &&
            inside.substr(1, inside.size() - 2).find('\'') == std::string_view::npos;
        if (dictionary_key) {
            const std::string_view key = inside.substr(1, inside.size() - 2);
            node path;
            if (auto failure =
                    parse_part("{." + std::string(key) + "}", 2, open + 2, key.size(), path)) {
                return failure;
            }
            for (node& n : path.children) {
                action.children.push_back(std::move(n));
            }
            return std::nullopt;
        }
        return parse_slice(action, inside, open);
    }

    std::optional<svcdisc::input_error> parse_union(node& action, std::string_view inside,
                                                    std::size_t inside_start) {
        node alternatives;
        alternatives.kind = node_kind::union_list;
        std::size_t part_start = 0;
        for (;;) {
            const std::size_t comma = inside.find(',', part_start);
            const std::size_t part_end = comma == std::string_view::npos ? inside.size() : comma;
            std::string_view part = inside.substr(part_start, part_end - part_start);
            std::size_t trimmed_start = inside_start + part_start;
            while (!part.empty() && part.front() == ' ') {
                part.remove_prefix(1);
                ++trimmed_start;
            }
            while (!part.empty() && part.back() == ' ') {
                part.remove_suffix(1);
            }
            node path;
            if (auto failure = parse_part("{[" + std::string(part) + "]}", 2, trimmed_start,
                                          part.size(), path)) {
                return failure;
            }
            alternatives.children.push_back(std::move(path));
            if (comma == std::string_view::npos) {
                break;
            }
            part_start = comma + 1;
        }
        action.children.push_back(std::move(alternatives));
        return std::nullopt;
    }

    /// `start:end:step`, each part optional (parser.go's sliceOperatorRex and what follows it).
    std::optional<svcdisc::input_error> parse_slice(node& action, std::string_view inside,
                                                    std::size_t open) const {
        std::array<std::string_view, 3> parts{};
        std::size_t colons = 0;
        std::size_t at = 0;
        const auto skip_number = [&] {
            if (at < inside.size() && inside[at] == '-') {
                ++at;
            }
            while (at < inside.size() && is_ascii_digit(static_cast<unsigned char>(inside[at]))) {
                ++at;
            }
        };
        skip_number();
        parts[0] = inside.substr(0, at);
        while (colons < 2 && at < inside.size() && inside[at] == ':') {
            const std::size_t part_start = ++at;
            skip_number();
            parts[++colons] = inside.substr(part_start, at - part_start);
        }
        if (at != inside.size()) {
            return fail("invalid array index " + std::string(inside), open);
        }
        node n;
        n.kind = node_kind::array;
        for (std::size_t i = 0; i < 3; ++i) {
            slice_bound& bound = n.bounds[i];
            const bool written = i == 0 ? !parts[0].empty() : i <= colons && !parts[i].empty();
            if (written) {
                const auto value = parse_go_int(parts[i]);
                if (!value) {
                    return fail("array index " + std::string(parts[i]) + " is not a number", open);
                }
                bound = {*value, true, false};
            } else if (i == 1 && colons == 0) {
                // A plain index [i] is the slice [i:i+1].
                bound = {wrapping_add(n.bounds[0].value, 1), true, true};
            }
        }
        action.children.push_back(std::move(n));
        return std::nullopt;
    }

    std::optional<svcdisc::input_error> parse_filter(node& action) {
        const std::size_t open = pos_;
        pos_ += 3;
        consume();
        bool quote_open = false;
        bool quote_closed = false;
        char32_t quote = 0;
        for (;;) {
            const char32_t r = next();
            if (r == end_of_input || r == '\n') {
                return fail("unterminated filter", open);
            }
            if (r == '"' || r == '\'') {
                if (!quote_open) {
                    quote_open = true;
                    quote = r;
                } else if (in_[pos_ - 2] != '\\' && r == quote) {
                    quote_closed = true;
                }
            } else if (r == ')' && quote_open == quote_closed) {
                break;
            }
        }
        const std::size_t after = pos_;
        if (next() != ']') {
            return fail("unclosed array expect ]", after);
        }
        const std::size_t content_start = start_;
        const std::string_view consumed = consume();
        const std::string_view content = consumed.substr(0, consumed.size() - 2);

        node filter;
        filter.kind = node_kind::filter;
        filter.children.resize(2);
        // parser.go splits with ^([^!<>=]+)([!<>=]+)(.+?)$: the longest run of other characters,
        // then the operator run, which gives back its last character if nothing follows it.
        constexpr std::string_view operator_chars = "!<>=";
        const std::size_t op_start = content.find_first_of(operator_chars);
        std::size_t op_end = op_start == std::string_view::npos
                                 ? op_start
                                 : content.find_first_not_of(operator_chars, op_start);
        if (op_start != std::string_view::npos && op_end == std::string_view::npos) {
            op_end = content.size() - op_start >= 2 ? content.size() - 1 : op_end;
        }
        const bool comparison =
            op_start != std::string_view::npos && op_start > 0 && op_end != std::string_view::npos;
        if (!comparison) {
            filter.text = "exists";
            if (auto failure = parse_part("{" + std::string(content) + "}", 1, content_start,
                                          content.size(), filter.children[0])) {
                return failure;
            }
        } else {
            const std::string_view left = content.substr(0, op_start);
            const std::string_view right = content.substr(op_end);
            filter.text = content.substr(op_start, op_end - op_start);
            if (auto failure = parse_part("{" + std::string(left) + "}", 1, content_start,
                                          left.size(), filter.children[0])) {
                return failure;
            }
            if (auto failure = parse_part("{" + std::string(right) + "}", 1, content_start + op_end,
                                          right.size(), filter.children[1])) {
                return failure;
            }
        }
        action.children.push_back(std::move(filter));
        return std::nullopt;
    }

    std::optional<svcdisc::input_error> parse_quote(node& action, char32_t quote) {
        const std::size_t open = pos_ - 1;
        for (;;) {
            const char32_t r = next();
            if (r == end_of_input || r == '\n') {
                return fail("unterminated quoted string", open);
            }
            if (r == quote && in_[pos_ - 2] != '\\') {
                break;
            }
        }
        const std::string_view quoted = consume();
        auto text = unquote(quoted);
        if (!text) {
            return fail("unquote string " + std::string(quoted) + " error invalid syntax", open);
        }
        node n;
        n.kind = node_kind::text;
        n.text = std::move(*text);
        action.children.push_back(std::move(n));
        return std::nullopt;
    }

    std::optional<svcdisc::input_error> parse_field(node& action) {
        consume();
        for (;;) {
            const char32_t r = next();
            if (r == '\\') {
                next();
            } else if (is_terminator(r)) {
                backup();
                break;
            }
        }
        const std::string_view name = consume();
        node n;
        if (name == "*") {
            n.kind = node_kind::wildcard;
        } else {
            n.kind = node_kind::field;
            std::remove_copy(name.begin(), name.end(), std::back_inserter(n.text), '\\');
        }
        action.children.push_back(std::move(n));
        return std::nullopt;
    }

    std::string_view in_;
    origin from_;
    int depth_;
    std::size_t pos_ = 0;
    std::size_t start_ = 0;
    std::size_t width_ = 0;
};

} // namespace

svcdisc::result<parsed_template> parse(std::string_view text) {
    auto tree = std::make_shared<template_tree>();
    parser p(text, origin{0, 0, text.size()}, 0);
    if (auto failure = p.parse(tree->nodes)) {
        return std::move(*failure);
    }
    return parsed_template(std::move(tree));
}

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

/// text/template's eq for two values.
comparison go_equal(const value& a, const value& b) {
    const go_kind ka = comparison_kind(a);
    const go_kind kb = comparison_kind(b);
    if (ka == go_kind::invalid || kb == go_kind::invalid) {
        return {false, bad_comparison_type};
    }
    if (ka != kb) {
        // Integers compare across signedness; nothing else compares across kinds.
        if (ka == go_kind::signed_integer && kb == go_kind::unsigned_integer) {
            return {signed_of(a) >= 0 &&
                    static_cast<std::uint64_t>(signed_of(a)) == unsigned_of(b)};
        }
        if (ka == go_kind::unsigned_integer && kb == go_kind::signed_integer) {
            return {signed_of(b) >= 0 &&
                    unsigned_of(a) == static_cast<std::uint64_t>(signed_of(b))};
        }
        return {false, bad_comparison};
    }
    switch (ka) {
    case go_kind::boolean:
        return {boolean_of(a) == boolean_of(b)};
    case go_kind::signed_integer:
        return {signed_of(a) == signed_of(b)};
    case go_kind::unsigned_integer:
        return {unsigned_of(a) == unsigned_of(b)};
    case go_kind::floating:
        return {floating_of(a) == floating_of(b)};
    default:
        return {string_of(a) == string_of(b)};
    }
}

/// text/template's lt for two values.
comparison go_less(const value& a, const value& b) {
    const go_kind ka = comparison_kind(a);
    const go_kind kb = comparison_kind(b);
    if (ka == go_kind::invalid || kb == go_kind::invalid) {
        return {false, bad_comparison_type};
    }
    if (ka != kb) {
        if (ka == go_kind::signed_integer && kb == go_kind::unsigned_integer) {
            return {signed_of(a) < 0 || static_cast<std::uint64_t>(signed_of(a)) < unsigned_of(b)};
        }
        if (ka == go_kind::unsigned_integer && kb == go_kind::signed_integer) {
            return {signed_of(b) >= 0 && unsigned_of(a) < static_cast<std::uint64_t>(signed_of(b))};
        }
        return {false, bad_comparison};
    }
    switch (ka) {
    case go_kind::boolean:
        return {false, bad_comparison_type};
    case go_kind::signed_integer:
        return {signed_of(a) < signed_of(b)};
    case go_kind::unsigned_integer:
        return {unsigned_of(a) < unsigned_of(b)};
    case go_kind::floating:
        return {floating_of(a) < floating_of(b)};
    default:
        return {string_of(a) < string_of(b)};
    }
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

void append_go_json(std::string& out, element node, int indent, int level);

void append_newline_indent(std::string& out, int indent, int level) {
    out += '\n';
    out.append(static_cast<std::size_t>(indent * level), ' ');
}

/// encoding/json's Marshal (indent 0) or MarshalIndent with `indent` spaces per level.
void append_go_json(std::string& out, element node, int indent, int level) {
    switch (node.type()) {
    case element_type::OBJECT: {
        const auto members = sorted_members(node);
        out += '{';
        for (std::size_t i = 0; i < members.size(); ++i) {
            out += i == 0 ? "" : ",";
            if (indent > 0) {
                append_newline_indent(out, indent, level + 1);
            }
            go::append_json_string(out, members[i].first);
            out += indent > 0 ? ": " : ":";
            append_go_json(out, members[i].second, indent, level + 1);
        }
        if (indent > 0 && !members.empty()) {
            append_newline_indent(out, indent, level);
        }
        out += '}';
        return;
    }
    case element_type::ARRAY: {
        const std::vector<element> items = elements(node);
        out += '[';
        for (std::size_t i = 0; i < items.size(); ++i) {
            out += i == 0 ? "" : ",";
            if (indent > 0) {
                append_newline_indent(out, indent, level + 1);
            }
            append_go_json(out, items[i], indent, level + 1);
        }
        if (indent > 0 && !items.empty()) {
            append_newline_indent(out, indent, level);
        }
        out += ']';
        return;
    }
    case element_type::STRING:
        go::append_json_string(out, node.get_string().value_unsafe());
        return;
    case element_type::INT64:
        out += std::to_string(node.get_int64().value_unsafe());
        return;
    case element_type::UINT64:
    case element_type::DOUBLE:
        go::append_json_float(out, float_of(node));
        return;
    case element_type::BOOL:
        out += node.get_bool().value_unsafe() ? "true" : "false";
        return;
    case element_type::NULL_VALUE:
        out += "null";
        return;
    }
}

/// A template value as encoding/json writes it; a missing value (which Go cannot marshal)
/// writes null.
void append_value_json(std::string& out, const value& v, int indent, int level) {
    switch (v.kind) {
    case value_kind::document:
        append_go_json(out, v.node, indent, level);
        return;
    case value_kind::text:
        go::append_json_string(out, v.text);
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

void append_go_sprint(std::string& out, element node) {
    switch (node.type()) {
    case element_type::OBJECT: {
        out += "map[";
        bool first = true;
        for (const auto& [key, member_value] : sorted_members(node)) {
            out += first ? "" : " ";
            first = false;
            out += key;
            out += ':';
            append_go_sprint(out, member_value);
        }
        out += ']';
        return;
    }
    case element_type::ARRAY: {
        out += '[';
        bool first = true;
        for (const element item : elements(node)) {
            out += first ? "" : " ";
            first = false;
            append_go_sprint(out, item);
        }
        out += ']';
        return;
    }
    case element_type::STRING:
        out += node.get_string().value_unsafe();
        return;
    case element_type::INT64:
        out += std::to_string(node.get_int64().value_unsafe());
        return;
    case element_type::UINT64:
    case element_type::DOUBLE:
        go::append_float(out, float_of(node));
        return;
    case element_type::BOOL:
        out += node.get_bool().value_unsafe() ? "true" : "false";
        return;
    case element_type::NULL_VALUE:
        out += "<nil>";
        return;
    }
}

void append_go_syntax(std::string& out, element node) {
    switch (node.type()) {
    case element_type::OBJECT: {
        out += "map[string]interface {}{";
        bool first = true;
        for (const auto& [key, member_value] : sorted_members(node)) {
            out += first ? "" : ", ";
            first = false;
            out += go::quote(key);
            out += ':';
            append_go_syntax(out, member_value);
        }
        out += '}';
        return;
    }
    case element_type::ARRAY: {
        out += "[]interface {}{";
        bool first = true;
        for (const element item : elements(node)) {
            out += first ? "" : ", ";
            first = false;
            append_go_syntax(out, item);
        }
        out += '}';
        return;
    }
    case element_type::STRING:
        out += go::quote(node.get_string().value_unsafe());
        return;
    case element_type::NULL_VALUE:
        out += "interface {}(nil)";
        return;
    default:
        append_go_sprint(out, node);
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
            append_go_json(out, v.node, 0, 0);
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
        append_go_sprint(out, v.node);
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
    append_go_syntax(out, node);
    return out;
}

std::string go_quote(std::string_view text) {
    return go::quote(text);
}

std::string kubectl_parse_error(std::string_view template_text, const svcdisc::input_error& error) {
    return "error parsing jsonpath " + std::string(template_text) + ", " + error.message;
}

std::string kubectl_execute_error(std::string_view template_text, std::string_view message,
                                  simdjson::dom::element root) {
    std::string out =
        "error executing jsonpath " + go::quote(template_text) + ": Error executing template: ";
    out += message;
    out += ". Printing more information for debugging the template:\n\ttemplate was:\n\t\t";
    out += template_text;
    out += "\n\tobject given to jsonpath engine was:\n\t\t";
    append_go_syntax(out, root);
    out += "\n\n\n";
    return out;
}

} // namespace svcdisc_cli::jsonpath
