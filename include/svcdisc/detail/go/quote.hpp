#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>

#include <svcdisc/detail/go/utf8.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The two ways Go writes a string as a literal: strconv.Quote (`%q`, in error messages) and
/// encoding/json's string encoder (in JSON output). Byte-exact; go_text.hpp is their public
/// face.
namespace svcdisc::detail {

/// The letter of the one-letter backslash escape Go writes for `code`, or 0: strconv.Quote
/// knows all seven of C's (\a \b \f \n \r \t \v), encoding/json (Go 1.22 and later) all but \a
/// and \v; both escape `"` and `\` with a backslash too.
constexpr char backslash_escape(char32_t code, bool with_bell_and_vertical_tab) noexcept {
    switch (code) {
    case '"':
        return '"';
    case '\\':
        return '\\';
    case '\a':
        return with_bell_and_vertical_tab ? 'a' : '\0';
    case '\b':
        return 'b';
    case '\f':
        return 'f';
    case '\n':
        return 'n';
    case '\r':
        return 'r';
    case '\t':
        return 't';
    case '\v':
        return with_bell_and_vertical_tab ? 'v' : '\0';
    default:
        return '\0';
    }
}

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
        if (const char letter = backslash_escape(code, true)) {
            out += '\\';
            out += letter;
        } else if (code < 0x20 || code == 0x7F) {
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
        text.remove_prefix(length);
    }
    out += '"';
}

/// The ASCII bytes Go's encoding/json escapes with its default HTML-safe escaping: controls, `"`,
/// `\`, `<`, `>` and `&`. The table lets runs of plain text be copied at once.
inline constexpr auto json_escaped_ascii = [] {
    std::array<bool, 128> table{};
    for (std::size_t c = 0; c < 0x20; ++c) {
        table[c] = true;
    }
    for (const char c : {'"', '\\', '<', '>', '&'}) {
        table[static_cast<unsigned char>(c)] = true;
    }
    return table;
}();

/// How many bytes at the start of `text` encoding/json copies as they are: plain ASCII that
/// json_escaped_ascii leaves alone. Where SSE2 exists (every x86-64), sixteen bytes are checked
/// at once: a big `-o json` spends more time here than anywhere else.
inline std::size_t plain_ascii_prefix(std::string_view text) noexcept {
    std::size_t at = 0;
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i less = _mm_set1_epi8('<');
    const __m128i greater = _mm_set1_epi8('>');
    const __m128i ampersand = _mm_set1_epi8('&');
    for (; at + 16 <= text.size(); at += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at));
        // Signed, every byte from 0x80 is below the space too.
        __m128i special = _mm_cmplt_epi8(bytes, space);
        special = _mm_or_si128(special, _mm_cmpeq_epi8(bytes, quote));
        special = _mm_or_si128(special, _mm_cmpeq_epi8(bytes, backslash));
        special = _mm_or_si128(special, _mm_cmpeq_epi8(bytes, less));
        special = _mm_or_si128(special, _mm_cmpeq_epi8(bytes, greater));
        special = _mm_or_si128(special, _mm_cmpeq_epi8(bytes, ampersand));
        if (const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special)); mask != 0) {
            return at + static_cast<std::size_t>(std::countr_zero(mask));
        }
    }
#endif
    while (at < text.size()) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if (byte >= 0x80 || json_escaped_ascii[byte]) {
            break;
        }
        ++at;
    }
    return at;
}

/// Appends `text` as a JSON string the way Go's json.Marshal (Go 1.22 and later) writes a string
/// with its default HTML-safe escaping: `"` and `\` backslashed; \b, \f, \n, \r, \t as such;
/// other controls below U+0020, `<`, `>`, `&`, U+2028 and U+2029 as \u00XX / \u2028 / \u2029;
/// each byte that is no UTF-8 as \ufffd; everything else as it is.
inline void append_json_quoted(std::string& out, std::string_view text) {
    out += '"';
    std::size_t plain = 0; // start of the run of bytes copied as they are
    std::size_t at = 0;
    while (at < text.size()) {
        at += plain_ascii_prefix(text.substr(at));
        if (at == text.size()) {
            break;
        }
        const auto byte = static_cast<unsigned char>(text[at]);
        std::size_t length = 1;
        char32_t code = byte;
        if (byte >= 0x80) {
            std::tie(code, length) = decode_utf8(text.substr(at));
            if (length != 0 && code != 0x2028 && code != 0x2029) {
                at += length;
                continue;
            }
        }
        out.append(text.substr(plain, at - plain));
        if (length == 0) {
            out += "\\ufffd";
            length = 1;
        } else if (const char letter = backslash_escape(code, false)) {
            out += '\\';
            out += letter;
        } else {
            out += "\\u";
            append_hex(out, static_cast<unsigned>(code), 4);
        }
        at += length;
        plain = at;
    }
    out.append(text.substr(plain));
    out += '"';
}

} // namespace svcdisc::detail
