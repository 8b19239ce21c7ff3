#pragma once

#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/go_text.hpp>

/// The API server's field errors (k8s.io/apimachinery field.Error) as text: `Invalid value`,
/// `Required value`, `Duplicate value`, `Unsupported value`, the bad value printed the way
/// ErrorBody prints it (`%q` for strings, `%v` for numbers, `%#v` for a []string), and the
/// message of the Status a refused create returns (errors.NewInvalid, NewInternalError).
namespace svcdisc::detail::allocation {

/// One field error: the field path and ErrorBody.
struct field_error {
    std::string field;
    std::string message;
};

/// A string as ErrorBody prints it: Go-quoted.
inline std::string quoted(std::string_view text) {
    return go_quote(text);
}

/// A []string as `%#v` prints it: `[]string{"a", "b"}`, `[]string(nil)` when empty.
template <class Strings>
std::string go_string_slice(const Strings& values) {
    if (values.empty()) {
        return "[]string(nil)";
    }
    std::string out = "[]string{";
    bool first = true;
    for (const auto& value : values) {
        if (!first) {
            out += ", ";
        }
        first = false;
        out += quoted(std::string_view(value));
    }
    out += '}';
    return out;
}

inline field_error invalid(std::string field, std::string_view rendered_value,
                           std::string_view detail) {
    std::string message = "Invalid value: ";
    message += rendered_value;
    message += ": ";
    message += detail;
    return {std::move(field), std::move(message)};
}

inline field_error required(std::string field) {
    return {std::move(field), "Required value"};
}

inline field_error duplicate(std::string field, std::string_view rendered_value) {
    return {std::move(field), "Duplicate value: " + std::string(rendered_value)};
}

inline field_error not_supported(std::string field, std::string_view rendered_value,
                                 std::initializer_list<std::string_view> supported) {
    std::string message = "Unsupported value: " + std::string(rendered_value);
    message += ": supported values: ";
    bool first = true;
    for (const std::string_view value : supported) {
        if (!first) {
            message += ", ";
        }
        first = false;
        message += quoted(value);
    }
    return {std::move(field), std::move(message)};
}

/// `field: message` for each error, as utilerrors' aggregate joins them: one error alone, or
/// `[e1, e2]` with repeated texts dropped.
inline std::string aggregate(const std::vector<field_error>& errors) {
    std::vector<std::string> texts;
    std::set<std::string, std::less<>> seen;
    for (const field_error& error : errors) {
        std::string text = error.field + ": " + error.message;
        if (seen.insert(text).second) {
            texts.push_back(std::move(text));
        }
    }
    if (texts.size() == 1) {
        return texts.front();
    }
    std::string out = "[";
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (i > 0) {
            out += ", ";
        }
        out += texts[i];
    }
    out += ']';
    return out;
}

} // namespace svcdisc::detail::allocation
