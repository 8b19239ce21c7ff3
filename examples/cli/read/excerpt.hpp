#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "print/json_string.hpp"

namespace svcdisc_cli {

/// The most bytes of input text an error message quotes: a 500 MB scalar must not be echoed.
inline constexpr std::size_t max_excerpt_bytes = 40;

/// `text`, or its first max_excerpt_bytes bytes (not splitting a UTF-8 character) and "…"
/// when it is longer.
[[nodiscard]] inline std::string excerpt(std::string_view text) {
    if (text.size() <= max_excerpt_bytes) {
        return std::string(text);
    }
    std::size_t cut = max_excerpt_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
        --cut; // a continuation byte: keep the whole character out
    }
    return std::string(text.substr(0, cut)) + "…";
}

/// The length of the UTF-8 character starting at byte `i` of `text`, or 0 when the bytes there
/// are not valid UTF-8 (a stray continuation byte, a truncated or overlong sequence, a
/// surrogate, or beyond U+10FFFF).
[[nodiscard]] inline std::size_t utf8_length_at(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80U) {
        return 1;
    }
    std::size_t length = 0;
    unsigned smallest = 0;
    if ((lead & 0xE0U) == 0xC0U) {
        length = 2;
        smallest = 0x80U;
    } else if ((lead & 0xF0U) == 0xE0U) {
        length = 3;
        smallest = 0x800U;
    } else if ((lead & 0xF8U) == 0xF0U) {
        length = 4;
        smallest = 0x10000U;
    } else {
        return 0;
    }
    if (i + length > text.size()) {
        return 0;
    }
    unsigned code = lead & (0x7FU >> length);
    for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xC0U) != 0x80U) {
            return 0;
        }
        code = (code << 6U) | (next & 0x3FU);
    }
    if (code < smallest || code > 0x10FFFFU || (code >= 0xD800U && code <= 0xDFFFU)) {
        return 0;
    }
    return length;
}

/// `text` with every byte that would garble a terminal (a control character other than a tab,
/// or a byte that is not valid UTF-8) replaced by '?', byte for byte, so a caret drawn under
/// it still lines up.
[[nodiscard]] inline std::string printable_source(std::string_view text) {
    std::string out(text);
    std::size_t i = 0;
    while (i < out.size()) {
        const auto c = static_cast<unsigned char>(out[i]);
        if ((c < 0x20U && c != '\t') || c == 0x7FU) {
            out[i++] = '?';
            continue;
        }
        const std::size_t length = utf8_length_at(text, i);
        if (length == 0) {
            out[i++] = '?';
        } else {
            i += length;
        }
    }
    return out;
}

/// excerpt(text) as a JSON string literal: quoted, control characters escaped (a NUL in a name
/// must not cut the message short).
[[nodiscard]] inline std::string quoted_excerpt(std::string_view text) {
    return json_quoted(excerpt(text));
}

/// quoted_excerpt(text) without the quotes, for words such as a kind.
[[nodiscard]] inline std::string printable_excerpt(std::string_view text) {
    const std::string quoted = quoted_excerpt(text);
    return quoted.substr(1, quoted.size() - 2);
}

} // namespace svcdisc_cli
