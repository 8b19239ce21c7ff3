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

#include <svcdisc/config.hpp>
#include <svcdisc/detail/selector/operator.hpp>
#include <svcdisc/go_text.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/result.hpp>

/// Kubernetes' requirement checks (NewRequirement) and the field-error text they report
/// (field.Invalid, utilerrors.NewAggregate), shared by the selector parser, make_requirement
/// and the metav1.LabelSelector conversions.
namespace svcdisc::detail::selectors {

/// `values` as Go's json.Marshal prints a []string (HTML-safe escaping; `null` for a nil slice),
/// which Kubernetes uses for a bad list of values in its field errors.
inline std::string go_json_strings(const std::vector<std::string>& values, bool nil_when_empty) {
    if (values.empty()) {
        return nil_when_empty ? "null" : "[]";
    }
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i != 0) {
            out += ',';
        }
        append_json_string(out, values[i]);
    }
    out += ']';
    return out;
}

/// Joins error strings like Go's `strings.Join(errs, "; ")`.
inline std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i != 0) {
            out += separator;
        }
        out += parts[i];
    }
    return out;
}

/// Kubernetes' `field.Invalid(path, value, detail).Error()` for a string value.
inline std::string invalid_value(std::string_view path, std::string_view value,
                                 std::string_view detail) {
    std::string out(path);
    out += ": Invalid value: ";
    out += go_quote(value);
    out += ": ";
    out += detail;
    return out;
}

/// An error list folded into one message like Go's `utilerrors.NewAggregate(...).Error()`:
/// one message alone, several de-duplicated inside `[...]` separated by ", ".
inline std::string aggregate(const std::vector<std::string>& messages) {
    if (messages.size() == 1) {
        return messages.front();
    }
    std::vector<std::string> seen;
    for (const std::string& message : messages) {
        if (std::find(seen.begin(), seen.end(), message) == seen.end()) {
            seen.push_back(message);
        }
    }
    if (seen.size() == 1) {
        return seen.front();
    }
    // Appended piecewise: GCC 12 at -O3 warns falsely (-Wrestrict) about "[" + std::string.
    std::string out = "[";
    out += join(seen, ", ");
    out += ']';
    return out;
}

/// A value handed to the requirement checks, with the byte offset it came from.
struct located_value {
    std::string_view text;
    std::size_t offset = 0;
};

/// Every complaint of Kubernetes' NewRequirement about a requirement, in Kubernetes' words and
/// order, positioned at the first offending part. Kept out of line: it only runs for bad input,
/// and it keeps the message building away from the parser's fast path.
[[gnu::cold]] SVCDISC_NOINLINE inline std::optional<input_error>
requirement_errors(std::string_view key, std::size_t key_offset, bool key_checked,
                   selector_operator op, std::span<const located_value> values,
                   const std::vector<std::string>* raw_values, bool nil_when_empty) {
    std::int64_t bound = 0;
    std::vector<std::string> messages;
    std::optional<std::size_t> offset;
    const auto fail = [&](std::string message, std::size_t where) {
        messages.push_back(std::move(message));
        if (!offset) {
            offset = where;
        }
    };
    if (!key_checked && !is_valid_label_key(key)) {
        fail(invalid_value("key", key, join(label_key_errors(key), "; ")), key_offset);
    }
    const std::size_t values_offset = values.empty() ? key_offset : values.front().offset;
    const auto values_json = [&] {
        if (raw_values != nullptr) {
            return go_json_strings(*raw_values, nil_when_empty);
        }
        std::vector<std::string> copy;
        for (const located_value& v : values) {
            copy.emplace_back(v.text);
        }
        return go_json_strings(copy, nil_when_empty);
    };
    const auto arity_error = [&](std::string_view detail) {
        fail("values: Invalid value: " + values_json() + ": " + std::string(detail), values_offset);
    };
    switch (op) {
    case selector_operator::in:
    case selector_operator::not_in:
        if (values.empty()) {
            arity_error("for 'in', 'notin' operators, values set can't be empty");
        }
        break;
    case selector_operator::equals:
    case selector_operator::double_equals:
    case selector_operator::not_equals:
        if (values.size() != 1) {
            arity_error("exact-match compatibility requires one single value");
        }
        break;
    case selector_operator::exists:
    case selector_operator::does_not_exist:
        if (!values.empty()) {
            arity_error("values set must be empty for exists and does not exist");
        }
        break;
    case selector_operator::greater_than:
    case selector_operator::less_than:
        if (values.size() != 1) {
            arity_error("for 'Gt', 'Lt' operators, exactly one value is required");
        }
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (!parse_go_int64(values[i].text, bound)) {
                fail(invalid_value("values[" + std::to_string(i) + "]", values[i].text,
                                   "for 'Gt', 'Lt' operators, the value must be an integer"),
                     values[i].offset);
            }
        }
        break;
    default:
        fail("operator: Unsupported value: \"" + std::string(selector_operator_name(op)) +
                 "\": supported values: \"in\", \"notin\", \"=\", \"==\", \"!=\", \"gt\", "
                 "\"lt\", \"exists\", \"!\"",
             key_offset);
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!is_valid_label_value(values[i].text)) {
            fail(invalid_value("values[" + std::to_string(i) + "][" + std::string(key) + "]",
                               values[i].text, join(label_value_errors(values[i].text), "; ")),
                 values[i].offset);
        }
    }
    if (messages.empty()) {
        return std::nullopt;
    }
    return input_error{aggregate(messages), *offset};
}

/// Kubernetes' NewRequirement checks for values the caller has located in some input: the key
/// (unless `key_checked`), the number of values for the operator, gt/lt integers and every
/// value. Returns the error, if any, positioned at the first offending part; `bound` receives
/// the gt/lt number.
inline std::optional<input_error> check_requirement(std::string_view key, std::size_t key_offset,
                                                    bool key_checked, selector_operator op,
                                                    std::span<const located_value> values,
                                                    const std::vector<std::string>* raw_values,
                                                    bool nil_when_empty, std::int64_t& bound) {
    bool valid = key_checked || is_valid_label_key(key);
    switch (op) {
    case selector_operator::in:
    case selector_operator::not_in:
        valid = valid && !values.empty();
        break;
    case selector_operator::equals:
    case selector_operator::double_equals:
    case selector_operator::not_equals:
        valid = valid && values.size() == 1;
        break;
    case selector_operator::exists:
    case selector_operator::does_not_exist:
        valid = valid && values.empty();
        break;
    case selector_operator::greater_than:
    case selector_operator::less_than:
        valid = valid && values.size() == 1 && parse_go_int64(values.front().text, bound);
        break;
    default:
        valid = false;
    }
    valid = valid && std::all_of(values.begin(), values.end(), [](const located_value& v) {
                return is_valid_label_value(v.text);
            });
    if (valid) {
        return std::nullopt;
    }
    return requirement_errors(key, key_offset, key_checked, op, values, raw_values, nil_when_empty);
}

} // namespace svcdisc::detail::selectors
