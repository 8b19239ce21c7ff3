#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace svcdisc {

/// What is wrong with a piece of user input, and the byte offset where the problem starts.
///
/// Messages are lowercase and read like Kubernetes' own, e.g.
/// "found '=', expected: ',' or 'end of string'".
struct input_error {
    std::string message;
    std::size_t offset = 0;

    friend bool operator==(const input_error&, const input_error&) = default;
};

/// The exception thrown by the throwing parse functions (e.g. parse_selector).
class parse_error : public std::invalid_argument {
  public:
    explicit parse_error(input_error error)
        : std::invalid_argument(error.message), offset_(error.offset) {}

    /// Byte offset of the problem in the parsed text.
    [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

  private:
    std::size_t offset_;
};

namespace detail {
[[noreturn]] inline void throw_parse_error(const input_error& error) {
    throw parse_error(error);
}
[[noreturn]] inline void throw_bad_result_access() {
    throw std::logic_error("svcdisc::result: error() called on a value, or value() on an error");
}
} // namespace detail

/// Either a T or the input_error that prevented it; the non-throwing face of every parser.
///
/// Example:
///     auto parsed = svcdisc::try_parse_selector("app=web");
///     if (!parsed) std::cerr << parsed.error().message;
template <class T>
class result {
  public:
    result(T value) : state_(std::in_place_index<0>, std::move(value)) {} // NOLINT(*-explicit-*)
    result(input_error error)                                             // NOLINT(*-explicit-*)
        : state_(std::in_place_index<1>, std::move(error)) {}

    [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    /// The value; throws parse_error carrying the input_error when there is none.
    [[nodiscard]] T& value() & {
        if (!has_value()) {
            detail::throw_parse_error(std::get<1>(state_));
        }
        return std::get<0>(state_);
    }
    [[nodiscard]] const T& value() const& {
        if (!has_value()) {
            detail::throw_parse_error(std::get<1>(state_));
        }
        return std::get<0>(state_);
    }
    [[nodiscard]] T&& value() && { return std::move(value()); }

    [[nodiscard]] const input_error& error() const {
        if (has_value()) {
            detail::throw_bad_result_access();
        }
        return std::get<1>(state_);
    }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

  private:
    std::variant<T, input_error> state_;
};

/// Renders the line of `input` that holds `offset` with a caret under that byte, the way
/// compilers show an error:
///
///     x=a=b
///        ^
///
/// Tabs before the caret are kept so the caret lines up in a terminal.
[[nodiscard]] inline std::string render_caret(std::string_view input, std::size_t offset) {
    if (offset > input.size()) {
        offset = input.size();
    }
    const std::size_t newline =
        offset == 0 ? std::string_view::npos : input.rfind('\n', offset - 1);
    const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
    std::size_t line_end = input.find('\n', line_start);
    if (line_end == std::string_view::npos) {
        line_end = input.size();
    }
    std::string out(input.substr(line_start, line_end - line_start));
    out += '\n';
    for (std::size_t i = line_start; i < offset; ++i) {
        out += input[i] == '\t' ? '\t' : ' ';
    }
    out += '^';
    return out;
}

} // namespace svcdisc
