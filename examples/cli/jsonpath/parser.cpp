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
#include "jsonpath.hpp"
#include "template_tree.hpp"

namespace svcdisc_cli::jsonpath {

namespace {

constexpr char32_t end_of_input = 0xFFFFFFFF;

/// `text` between braces, as a filter's operand is parsed: a template of its own.
std::string braced(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '{';
    out += text;
    out += '}';
    return out;
}

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
            if (auto failure = parse_part(braced(content), 1, content_start, content.size(),
                                          filter.children[0])) {
                return failure;
            }
        } else {
            const std::string_view left = content.substr(0, op_start);
            const std::string_view right = content.substr(op_end);
            filter.text = content.substr(op_start, op_end - op_start);
            if (auto failure =
                    parse_part(braced(left), 1, content_start, left.size(), filter.children[0])) {
                return failure;
            }
            if (auto failure = parse_part(braced(right), 1, content_start + op_end, right.size(),
                                          filter.children[1])) {
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

} // namespace svcdisc_cli::jsonpath
