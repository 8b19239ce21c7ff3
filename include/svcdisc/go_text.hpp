#pragma once

/// Go's text conventions that Kubernetes' output depends on, byte for byte:
///
///   go_quote(text)                  strconv.Quote, the `%q` of Kubernetes' field errors
///   append_json_string(out, text)   encoding/json's string encoding (json.Marshal's default,
///                                   HTML-safe: `<`, `>`, `&` become \u003c, \u003e, \u0026)
///   parse_go_int64(text, out)       strconv.ParseInt(text, 10, 64), the `>`/`<` selector rule
///   is_go_print(code)               strconv.IsPrint, which decides what go_quote escapes
///
/// svcdisc's own messages use these; the implementations live in detail/go/.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <svcdisc/detail/go/quote.hpp>

namespace svcdisc {

/// `text` as Go's strconv.Quote writes it: in double quotes, `"` and `\` escaped, C escapes
/// for \a \b \f \n \r \t \v, \xNN for other control bytes and for bytes that are not UTF-8,
/// printable Unicode as is, other code points as \uNNNN / \UNNNNNNNN.
///
/// Example:
///     svcdisc::go_quote("a\"b\n");    // "\"a\\\"b\\n\""
///     svcdisc::go_quote("\xff");      // "\"\\xff\""
[[nodiscard]] inline std::string go_quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    detail::append_go_quoted(out, text);
    return out;
}

/// Appends `text` to `out` as a JSON string literal (with its quotes) exactly as Go's
/// json.Marshal (Go 1.22 and later, which kubectl and the API server are built with) encodes a
/// string: `"` and `\` backslashed; \b \f \n \r \t; other control characters,
/// `<`, `>`, `&`, U+2028 and U+2029 as \u00XX, \u2028, \u2029 (Go escapes HTML characters by
/// default, and Kubernetes' API machinery keeps that default); every byte that is not valid
/// UTF-8 as \ufffd; everything else unchanged.
///
/// Example:
///     std::string out;
///     svcdisc::append_json_string(out, "a<b");  // out == "\"a\\u003cb\""
inline void append_json_string(std::string& out, std::string_view text) {
    detail::append_json_quoted(out, text);
}

/// Go's strconv.IsPrint: whether go_quote writes code point `code` as it is. Printable are the
/// ASCII space and graphic characters, and outside ASCII everything but controls, separators,
/// format characters, surrogates, private-use code points and non-characters (code points
/// Unicode leaves unassigned count as printable).
///
/// Example:
///     svcdisc::is_go_print(U'é');      // true
///     svcdisc::is_go_print(U'\u00a0'); // false: a space separator
[[nodiscard]] constexpr bool is_go_print(char32_t code) noexcept {
    return code < 0x80 ? code >= 0x20 && code < 0x7F : detail::is_go_printable(code);
}

/// Parses `text` the way Go's `strconv.ParseInt(text, 10, 64)` does: an optional `+` or `-`,
/// then one or more ASCII digits (leading zeros allowed); no spaces, no underscores, and a value
/// outside the int64 range fails. Returns false (leaving `out` alone) when it does not parse.
///
/// Example:
///     std::int64_t n = 0;
///     svcdisc::parse_go_int64("+002", n);  // true, n == 2
///     svcdisc::parse_go_int64("1.5", n);   // false
[[nodiscard]] constexpr bool parse_go_int64(std::string_view text, std::int64_t& out) noexcept {
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return false;
    }
    // Accumulate the magnitude unsigned so that -9223372036854775808 is reachable.
    constexpr std::uint64_t max_positive = 9223372036854775807ULL;
    const std::uint64_t limit = negative ? max_positive + 1 : max_positive;
    std::uint64_t magnitude = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (magnitude > (limit - digit) / 10) {
            return false;
        }
        magnitude = magnitude * 10 + digit;
    }
    if (negative) {
        out = magnitude == max_positive + 1 ? std::numeric_limits<std::int64_t>::min()
                                            : -static_cast<std::int64_t>(magnitude);
    } else {
        out = static_cast<std::int64_t>(magnitude);
    }
    return true;
}

} // namespace svcdisc
