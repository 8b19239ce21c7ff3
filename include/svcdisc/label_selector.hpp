#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/go_text.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/result.hpp>
#include <svcdisc/selector.hpp>

namespace svcdisc {

/// One entry of a metav1.LabelSelector's `matchExpressions`, exactly as written in a manifest.
///
/// `op` is the API spelling, case-sensitive: "In", "NotIn", "Exists" or "DoesNotExist". Any
/// other string is kept as is, so that validation and conversion can report it.
struct label_selector_expression {
    std::string key;
    std::string op;
    std::vector<std::string> values;

    friend bool operator==(const label_selector_expression&,
                           const label_selector_expression&) = default;
};

/// A metav1.LabelSelector: `matchLabels` plus `matchExpressions`, ANDed. An absent
/// selector is modelled as `std::optional<label_selector_spec>` without a value.
///
/// Example:
///     svcdisc::label_selector_spec spec{{{"app", "web"}}, {{"tier", "In", {"api", "web"}}}};
///     svcdisc::to_string(svcdisc::to_label_selector(spec).value());
///     // "app=web,tier in (api,web)"
struct label_selector_spec {
    label_set match_labels;
    std::vector<label_selector_expression> match_expressions;

    friend bool operator==(const label_selector_spec&, const label_selector_spec&) = default;
};

namespace detail::selectors {

/// The string-grammar operator for an API operator, or nullopt when `op` is not one of the
/// four (case-sensitive) API spellings.
constexpr std::optional<selector_operator> api_operator(std::string_view op) noexcept {
    if (op == "In") {
        return selector_operator::in;
    }
    if (op == "NotIn") {
        return selector_operator::not_in;
    }
    if (op == "Exists") {
        return selector_operator::exists;
    }
    if (op == "DoesNotExist") {
        return selector_operator::does_not_exist;
    }
    return std::nullopt;
}

} // namespace detail::selectors

/// Converts a metav1.LabelSelector to a selector the way Kubernetes' LabelSelectorAsSelector
/// does: an absent selector gives nothing() (matches no object); a present one with
/// no matchLabels and no matchExpressions gives everything(); otherwise every matchLabels entry
/// becomes an `=` requirement and every expression an in/notin/exists/`!` requirement, values
/// kept as given (not sorted, not de-duplicated), all sorted by key. The first entry that fails
/// NewRequirement's checks (matchLabels in key order, then expressions in order), or an
/// operator that is not exactly "In", "NotIn", "Exists" or "DoesNotExist", is an error with
/// Kubernetes' message; its offset is 0, there being no text to point into.
///
/// Example:
///     svcdisc::label_selector_spec spec{{{"a", "b"}}, {{"a", "In", {"c"}}, {"0", "Exists", {}}}};
///     svcdisc::to_string(svcdisc::to_label_selector(spec).value());  // "0,a=b,a in (c)"
[[nodiscard]] inline result<label_selector> to_label_selector(const label_selector_spec& spec) {
    if (spec.match_labels.empty() && spec.match_expressions.empty()) {
        return label_selector::everything();
    }
    std::vector<label_requirement> requirements;
    requirements.reserve(spec.match_labels.size() + spec.match_expressions.size());
    for (const auto& [key, value] : spec.match_labels) {
        auto requirement = make_requirement(key, selector_operator::equals, {value});
        if (!requirement) {
            return requirement.error();
        }
        requirements.push_back(std::move(*requirement));
    }
    for (const label_selector_expression& expression : spec.match_expressions) {
        const auto op = detail::selectors::api_operator(expression.op);
        if (!op) {
            return input_error{go_quote(expression.op) + " is not a valid label selector operator",
                               0};
        }
        // Kubernetes copies the values with append([]string(nil), …), so an empty list is
        // reported as null.
        auto requirement =
            detail::selectors::checked_requirement(expression.key, *op, expression.values, true);
        if (!requirement) {
            return requirement.error();
        }
        requirements.push_back(std::move(*requirement));
    }
    return detail::selectors::access::make_selector(std::move(requirements));
}

/// Converts a metav1.LabelSelector that may be absent (a nil pointer upstream): an absent one
/// gives nothing(), a present one converts as above.
[[nodiscard]] inline result<label_selector>
to_label_selector(const std::optional<label_selector_spec>& spec) {
    if (!spec.has_value()) {
        return label_selector::nothing();
    }
    return to_label_selector(*spec);
}

/// Every problem Kubernetes' ValidateLabelSelector reports for `spec` when an object holding it
/// is created, one message each, with field paths relative to the selector
/// (`matchLabels`, `matchExpressions[0].values`, …); empty when valid. matchLabels are checked
/// in key order, then each expression: In/NotIn without values ("Required value"),
/// Exists/DoesNotExist with values ("Forbidden"), any other operator ("Invalid value"), then
/// the key and every value.
///
/// Example:
///     svcdisc::validate_label_selector_spec({{}, {{"tier", "In", {}}}});
///     // {"matchExpressions[0].values: Required value: must be specified when `operator` is
///     //   'In' or 'NotIn'"}
[[nodiscard]] inline std::vector<std::string>
validate_label_selector_spec(const label_selector_spec& spec) {
    using detail::selectors::invalid_value;
    std::vector<std::string> errors;
    for (const auto& [key, value] : spec.match_labels) {
        for (const std::string& message : label_key_errors(key)) {
            errors.push_back(invalid_value("matchLabels", key, message));
        }
        for (const std::string& message : label_value_errors(value)) {
            errors.push_back(invalid_value("matchLabels", value, message));
        }
    }
    for (std::size_t i = 0; i < spec.match_expressions.size(); ++i) {
        const label_selector_expression& expression = spec.match_expressions[i];
        const std::string path = "matchExpressions[" + std::to_string(i) + "]";
        const auto op = detail::selectors::api_operator(expression.op);
        if (op == selector_operator::in || op == selector_operator::not_in) {
            if (expression.values.empty()) {
                errors.push_back(path + ".values: Required value: must be specified when "
                                        "`operator` is 'In' or 'NotIn'");
            }
        } else if (op.has_value()) {
            if (!expression.values.empty()) {
                errors.push_back(path + ".values: Forbidden: may not be specified when "
                                        "`operator` is 'Exists' or 'DoesNotExist'");
            }
        } else {
            errors.push_back(
                invalid_value(path + ".operator", expression.op, "not a valid selector operator"));
        }
        for (const std::string& message : label_key_errors(expression.key)) {
            errors.push_back(invalid_value(path + ".key", expression.key, message));
        }
        for (std::size_t v = 0; v < expression.values.size(); ++v) {
            for (const std::string& message : label_value_errors(expression.values[v])) {
                errors.push_back(invalid_value(path + ".values[" + std::to_string(v) + "]",
                                               expression.values[v], message));
            }
        }
    }
    return errors;
}

/// Kubernetes' ParseToLabelSelector: reads a selector string into matchLabels and
/// matchExpressions. `=` and `==` become matchLabels (a later one wins for a repeated key);
/// in/notin/exists/`!` become expressions with the parsed (sorted, de-duplicated) values;
/// `!=`, `>` and `<` cannot be expressed and are errors (offset 0), as is any parse error
/// (positioned like try_parse_selector's).
///
/// Example:
///     auto spec = svcdisc::parse_label_selector_spec("app=web,tier in (web,api)").value();
///     spec.match_expressions[0].op;  // "In"
[[nodiscard]] inline result<label_selector_spec> parse_label_selector_spec(std::string_view text) {
    auto parsed = try_parse_selector(text);
    if (!parsed) {
        input_error error = parsed.error();
        error.message =
            "couldn't parse the selector string \"" + std::string(text) + "\": " + error.message;
        return error;
    }
    label_selector_spec spec;
    for (const label_requirement& requirement : parsed->requirements()) {
        std::string_view op;
        switch (requirement.op()) {
        case selector_operator::equals:
        case selector_operator::double_equals:
            spec.match_labels.insert_or_assign(requirement.key(), requirement.values().front());
            continue;
        case selector_operator::in:
            op = "In";
            break;
        case selector_operator::not_in:
            op = "NotIn";
            break;
        case selector_operator::exists:
            op = "Exists";
            break;
        case selector_operator::does_not_exist:
            op = "DoesNotExist";
            break;
        case selector_operator::greater_than:
        case selector_operator::less_than:
            return input_error{go_quote(selector_operator_name(requirement.op())) +
                                   " isn't supported in label selectors",
                               0};
        case selector_operator::not_equals:
            return input_error{go_quote(selector_operator_name(requirement.op())) +
                                   " is not a valid label selector operator",
                               0};
        }
        spec.match_expressions.push_back(
            {std::string(requirement.key()), std::string(op),
             std::vector<std::string>(requirement.values().begin(), requirement.values().end())});
    }
    return spec;
}

} // namespace svcdisc
