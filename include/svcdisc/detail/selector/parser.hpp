#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/selector/field_errors.hpp>
#include <svcdisc/detail/selector/key_order.hpp>
#include <svcdisc/detail/selector/lexer.hpp>
#include <svcdisc/detail/selector/operator.hpp>
#include <svcdisc/detail/util/small_sort.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/result.hpp>

/// The parser of Kubernetes' labels.Parse: the same order of checks, so every input gets the
/// error upstream gives it.
namespace svcdisc::detail::selectors {

/// Recursive-descent parser over the lexer with one token of lookahead, following the order
/// of checks (and so the error each input gets) of Kubernetes' parser.
///
/// Requirements are collected as small records pointing into the input, sorted by key as
/// `labels.Parse` sorts them (`sort.Sort(ByKey(…))`, see sort_by_key); the caller turns them
/// into label_requirements, so that each key and value is copied once.
class parser {
  public:
    /// A parsed, checked requirement whose key and values still live in the input.
    struct pending_requirement {
        std::string_view key;
        std::size_t first_value = 0; ///< index into values_
        std::size_t value_count = 0;
        std::int64_t bound = 0;
        selector_operator op = selector_operator::exists;
    };

    explicit parser(std::string_view input) noexcept : lexer_(input) { lookahead_ = lexer_.next(); }

    /// Parses the whole input; the error, if it does not parse.
    std::optional<input_error> parse() {
        constexpr std::size_t typical_requirements = 8;
        constexpr std::size_t typical_values = 16;
        pending_.reserve(typical_requirements);
        values_.reserve(typical_values);
        while (true) {
            const token first = peek();
            if (first.kind == token_kind::end) {
                break;
            }
            if (first.kind != token_kind::identifier && first.kind != token_kind::bang) {
                return found(first, "expected: !, identifier, or 'end of string'");
            }
            if (!parse_requirement()) {
                error_->message.insert(0, "unable to parse requirement: ");
                return std::move(*error_);
            }
            const token after = consume();
            if (after.kind == token_kind::end) {
                break;
            }
            if (after.kind != token_kind::comma) {
                return found(after, "expected: ',' or 'end of string'");
            }
            const token next = peek();
            if (next.kind != token_kind::identifier && next.kind != token_kind::bang) {
                return found(next, "expected: identifier after ','");
            }
        }
        sort_by_key(pending_.begin(), pending_.end(),
                    [](const pending_requirement& r) { return r.key; });
        return std::nullopt;
    }

    /// The requirements parsed, in Kubernetes' key order; valid after parse() succeeded.
    [[nodiscard]] std::span<const pending_requirement> requirements() const noexcept {
        return pending_;
    }
    /// The values the requirements point into.
    [[nodiscard]] std::span<const located_value> values() const noexcept { return values_; }

  private:
    /// The next token in value context, where `in` and `notin` are plain identifiers.
    token peek() const noexcept { return as_value(lookahead_); }
    token consume() noexcept { return as_value(consume_raw()); }
    token consume_raw() noexcept {
        const token current = lookahead_;
        lookahead_ = lexer_.next();
        return current;
    }
    static token as_value(token t) noexcept {
        if (t.kind == token_kind::in_keyword || t.kind == token_kind::notin_keyword) {
            t.kind = token_kind::identifier;
        }
        return t;
    }

    /// "found '<token>', <expectation>"; Kubernetes leaves out the comma in one message, so
    /// `separator` says what goes between.
    static input_error found(const token& t, std::string_view expectation,
                             std::string_view separator = ", ") {
        std::string message = "found '";
        message += t.text;
        message += '\'';
        message += separator;
        message += expectation;
        return {std::move(message), t.offset};
    }

    bool fail(input_error error) {
        error_ = std::move(error);
        return false;
    }

    bool parse_requirement() {
        token key = consume();
        const bool negated = key.kind == token_kind::bang;
        if (negated) {
            key = consume();
        }
        if (key.kind != token_kind::identifier) {
            return fail(found(key, "expected: identifier"));
        }
        if (!is_valid_label_key(key.text)) {
            return fail({invalid_value("<nil>", key.text, join(label_key_errors(key.text), "; ")),
                         key.offset});
        }
        const token_kind next = peek().kind;
        if (negated || next == token_kind::end || next == token_kind::comma) {
            pending_.push_back(
                {key.text, values_.size(), 0, 0,
                 negated ? selector_operator::does_not_exist : selector_operator::exists});
            return true;
        }
        const token op_token = consume_raw();
        selector_operator op{};
        switch (op_token.kind) {
        case token_kind::in_keyword:
            op = selector_operator::in;
            break;
        case token_kind::notin_keyword:
            op = selector_operator::not_in;
            break;
        case token_kind::equals:
            op = selector_operator::equals;
            break;
        case token_kind::double_equals:
            op = selector_operator::double_equals;
            break;
        case token_kind::not_equals:
            op = selector_operator::not_equals;
            break;
        case token_kind::greater:
            op = selector_operator::greater_than;
            break;
        case token_kind::less:
            op = selector_operator::less_than;
            break;
        default:
            return fail(found(op_token, "expected: in, notin, =, ==, !=, gt, lt"));
        }
        const std::size_t first_value = values_.size();
        const bool listed = op == selector_operator::in || op == selector_operator::not_in;
        if (!(listed ? parse_value_list(first_value) : parse_exact_value())) {
            return false;
        }
        const std::span<const located_value> values(values_.data() + first_value,
                                                    values_.size() - first_value);
        std::int64_t bound = 0;
        if (auto error =
                check_requirement(key.text, key.offset, true, op, values, nullptr, false, bound)) {
            return fail(std::move(*error));
        }
        pending_.push_back({key.text, first_value, values.size(), bound, op});
        return true;
    }

    /// `( … )` after in/notin. The values from `first_value` on end up sorted byte-wise without
    /// duplicates (the first occurrence is kept, for its position).
    bool parse_value_list(std::size_t first_value) {
        const token open = consume();
        if (open.kind != token_kind::open_paren) {
            return fail(found(open, "expected: '('", " "));
        }
        const token first = peek();
        if (first.kind == token_kind::close_paren) {
            consume();
            values_.push_back({{}, first.offset});
            return true;
        }
        if (first.kind != token_kind::identifier && first.kind != token_kind::comma) {
            return fail(found(first, "expected: ',', ')' or identifier"));
        }
        if (!parse_identifier_list(first_value)) {
            return false;
        }
        consume(); // the ')' that ended the list
        const auto begin = values_.begin() + static_cast<std::ptrdiff_t>(first_value);
        stable_sort_small(begin, values_.end(), [](const located_value& a, const located_value& b) {
            return a.text < b.text;
        });
        values_.erase(std::unique(begin, values_.end(),
                                  [](const located_value& a, const located_value& b) {
                                      return a.text == b.text;
                                  }),
                      values_.end());
        return true;
    }

    /// The comma-separated entries up to (not including) the closing `)`. Empty entries are
    /// the empty string, and every run of commas is accepted: since Kubernetes 1.35
    /// (kubernetes/kubernetes#133419) parseIdentifiersList only looks at the comma after a
    /// comma instead of consuming it, so `(,,)`, `(a,,)` and `(a,,,,)` parse like `(,)` and
    /// `(a,)`. Before, commas after a doubled comma were taken in pairs and even runs before
    /// `)` were errors.
    bool parse_identifier_list(std::size_t first_value) {
        while (true) {
            const token t = consume();
            if (t.kind == token_kind::identifier) {
                values_.push_back({t.text, t.offset});
                const token after = peek();
                if (after.kind == token_kind::close_paren) {
                    return true;
                }
                if (after.kind != token_kind::comma) {
                    return fail(found(after, "expected: ',' or ')'"));
                }
            } else if (t.kind == token_kind::comma) {
                if (values_.size() == first_value) {
                    values_.push_back({{}, t.offset});
                }
                const token after = peek();
                if (after.kind == token_kind::close_paren) {
                    values_.push_back({{}, t.offset});
                    return true;
                }
                if (after.kind == token_kind::comma) {
                    values_.push_back({{}, after.offset});
                }
            } else {
                return fail(found(t, "expected: ',', or identifier"));
            }
        }
    }

    /// The single value after `=`, `==`, `!=`, `>` or `<`; empty when a `,` or the end follows.
    bool parse_exact_value() {
        const token next = peek();
        if (next.kind == token_kind::end || next.kind == token_kind::comma) {
            values_.push_back({{}, next.offset});
            return true;
        }
        const token value = consume();
        if (value.kind != token_kind::identifier) {
            return fail(found(value, "expected: identifier"));
        }
        values_.push_back({value.text, value.offset});
        return true;
    }

    lexer lexer_;
    token lookahead_;
    std::vector<pending_requirement> pending_;
    std::vector<located_value> values_;
    std::optional<input_error> error_;
};

} // namespace svcdisc::detail::selectors
