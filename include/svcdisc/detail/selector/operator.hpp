#pragma once

#include <cstdint>
#include <string_view>

namespace svcdisc {

/// The operator of one label requirement; Kubernetes' `selection.Operator` constants.
enum class selector_operator : std::uint8_t {
    exists,         ///< `key`: the label is present, with any value
    does_not_exist, ///< `!key`: the label is absent
    equals,         ///< `key=v`
    double_equals,  ///< `key==v`: same meaning as `=`, printed as written
    not_equals,     ///< `key!=v`: true when absent or different
    in,             ///< `key in (v1,v2)`
    not_in,         ///< `key notin (v1,v2)`: true when absent or not listed
    greater_than,   ///< `key>n`: the label value is a base-10 int64 greater than n
    less_than,      ///< `key<n`: the label value is a base-10 int64 less than n
};

/// Kubernetes' name for an operator: "exists", "!", "=", "==", "!=", "in", "notin", "gt", "lt".
[[nodiscard]] constexpr std::string_view selector_operator_name(selector_operator op) noexcept {
    switch (op) {
    case selector_operator::exists:
        return "exists";
    case selector_operator::does_not_exist:
        return "!";
    case selector_operator::equals:
        return "=";
    case selector_operator::double_equals:
        return "==";
    case selector_operator::not_equals:
        return "!=";
    case selector_operator::in:
        return "in";
    case selector_operator::not_in:
        return "notin";
    case selector_operator::greater_than:
        return "gt";
    case selector_operator::less_than:
        return "lt";
    }
    return "";
}

} // namespace svcdisc
