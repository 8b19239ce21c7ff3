#pragma once

#include <string>
#include <string_view>

#include <svcdisc/detail/go/utf8.hpp>

/// The two ways Go writes a string as a literal: strconv.Quote (`%q`, in error messages) and
/// encoding/json's string encoder (in JSON output). Byte-exact; go_text.hpp is their public
/// face.
namespace svcdisc::detail {

/// Appends `text` quoted as Go's strconv.Quote does: `"`, `\` and the C escapes (\a \b \f \n
/// \r \t \v) backslashed, other ASCII controls and DEL as \xNN, bytes that are no UTF-8 as
/// \xNN, printable code points as they are, other code points as \uNNNN or \UNNNNNNNN.
inline void append_go_quoted(std::string& out, std::string_view text) {
    out += '"';
    while (!text.empty()) {
        const auto [code, length] = decode_utf8(text);
        if (length == 0) {
            out += "\\x";
            append_hex(out, static_cast<unsigned char>(text.front()), 2);
            text.remove_prefix(1);
            continue;
        }
        switch (code) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\a':
            out += "\\a";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\v':
            out += "\\v";
            break;
        default:
            if (code < 0x20 || code == 0x7F) {
                out += "\\x";
                append_hex(out, static_cast<unsigned>(code), 2);
            } else if (code < 0x80 || is_go_printable(code)) {
                out.append(text.substr(0, length));
            } else if (code < 0x10000) {
                out += "\\u";
                append_hex(out, static_cast<unsigned>(code), 4);
            } else {
                out += "\\U";
                append_hex(out, static_cast<unsigned>(code), 8);
            }
        }
        text.remove_prefix(length);
    }
    out += '"';
}

/// Appends `text` as a JSON string the way Go's json.Marshal writes a string with its default
/// HTML-safe escaping: `"` and `\` backslashed; \n, \r, \t as such; other controls below U+0020,
/// `<`, `>`, `&`, U+2028 and U+2029 as \u00XX / \u2028 / \u2029; each byte that is no UTF-8 as
/// \ufffd; everything else as it is.
inline void append_json_quoted(std::string& out, std::string_view text) {
    out += '"';
    while (!text.empty()) {
        const auto [code, length] = decode_utf8(text);
        if (length == 0) {
            out += "\\ufffd";
            text.remove_prefix(1);
            continue;
        }
        if (code == '"' || code == '\\') {
            out += '\\';
            out += static_cast<char>(code);
        } else if (code == '\n') {
            out += "\\n";
        } else if (code == '\r') {
            out += "\\r";
        } else if (code == '\t') {
            out += "\\t";
        } else if (code < 0x20 || code == '<' || code == '>' || code == '&' || code == 0x2028 ||
                   code == 0x2029) {
            out += "\\u";
            append_hex(out, static_cast<unsigned>(code), 4);
        } else {
            out.append(text.substr(0, length));
        }
        text.remove_prefix(length);
    }
    out += '"';
}

} // namespace svcdisc::detail
