#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace svcdisc_cli {

namespace detail {
/// Bytes Go's encoding/json escapes: control characters, '"', '\\' and the HTML-unsafe '<',
/// '>', '&'. A table keeps the scan of every output string branch-light.
constexpr std::array<bool, 256> json_escaped = [] {
    std::array<bool, 256> table{};
    for (std::size_t c = 0; c < 0x20; ++c) {
        table[c] = true;
    }
    for (const char c : {'"', '\\', '<', '>', '&'}) {
        table[static_cast<unsigned char>(c)] = true;
    }
    return table;
}();
} // namespace detail

/// `s` as a JSON string literal, escaped as Go's encoding/json does (so `<`, `>`, `&` too).
inline void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t plain_start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (!detail::json_escaped[c]) {
            continue;
        }
        out.append(s.substr(plain_start, i - plain_start));
        plain_start = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            out += "\\u00";
            out += hex[c >> 4U];
            out += hex[c & 0xFU];
        }
    }
    out.append(s.substr(plain_start));
    out += '"';
}

/// `s` as a JSON string literal (see append_json_string).
[[nodiscard]] inline std::string json_quoted(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

} // namespace svcdisc_cli
