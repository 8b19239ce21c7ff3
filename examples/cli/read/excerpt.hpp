#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
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

/// The length of the character at byte `i` of `text` as messages count it: a UTF-8 character's
/// bytes, or 1 for a byte that is not valid UTF-8 (shown as '?').
[[nodiscard]] inline std::size_t character_length_at(std::string_view text, std::size_t i) {
    const std::size_t length = utf8_length_at(text, i);
    return length == 0 ? 1 : length;
}

/// How many characters (Unicode code points; an invalid byte counts as one) the first `bytes`
/// bytes of `text` hold: the column numbers in messages count these.
[[nodiscard]] inline std::size_t characters_in(std::string_view text, std::size_t bytes) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < bytes && i < text.size(); i += character_length_at(text, i)) {
        ++count;
    }
    return count;
}

/// The byte offset of character `column` (counted as characters_in counts) of the line that
/// starts at byte `line_start`, stopping at the line's end.
[[nodiscard]] inline std::size_t offset_of_column(std::string_view text, std::size_t line_start,
                                                  std::size_t column) {
    std::size_t i = line_start;
    for (; column > 0 && i < text.size() && text[i] != '\n'; --column) {
        i += character_length_at(text, i);
    }
    return std::min(i, text.size());
}

/// The columns a terminal gives the code point `c`: 0 for combining marks and zero-width
/// characters, 2 for East Asian wide and fullwidth characters and emoji, else 1 (the
/// common ranges of Unicode's East_Asian_Width W/F, not the full table).
[[nodiscard]] inline std::size_t display_width(std::uint32_t c) {
    struct range {
        std::uint32_t first;
        std::uint32_t last;
    };
    constexpr range zero[] = {{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},
                              {0x0610, 0x061A}, {0x064B, 0x065F}, {0x1AB0, 0x1AFF},
                              {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x20D0, 0x20FF},
                              {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}};
    constexpr range wide[] = {{0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
                              {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
                              {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
                              {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},
                              {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD}};
    for (const range& r : zero) {
        if (c >= r.first && c <= r.last) {
            return 0;
        }
    }
    for (const range& r : wide) {
        if (c >= r.first && c <= r.last) {
            return 2;
        }
    }
    return 1;
}

/// The code point of the valid UTF-8 character of `length` bytes at byte `i` of `text`.
[[nodiscard]] inline std::uint32_t code_point_at(std::string_view text, std::size_t i,
                                                 std::size_t length) {
    auto code = static_cast<std::uint32_t>(static_cast<unsigned char>(text[i]));
    if (length == 1) {
        return code;
    }
    code &= 0x7FU >> length;
    for (std::size_t k = 1; k < length; ++k) {
        code = (code << 6U) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
    }
    return code;
}

/// The blanks that put a caret under the character at byte `to`, for the text from byte
/// `from` of the same line as printable_source shows it: a tab stays a tab, every other
/// character gives as many spaces as the columns a terminal gives it (display_width; an
/// invalid byte, shown as '?', one).
[[nodiscard]] inline std::string caret_indent(std::string_view text, std::size_t from,
                                              std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to;) {
        const std::size_t length = utf8_length_at(text, i);
        if (text[i] == '\t') {
            out += '\t';
        } else {
            out.append(length == 0 ? 1 : display_width(code_point_at(text, i, length)), ' ');
        }
        i += length == 0 ? 1 : length;
    }
    return out;
}

/// The line of `text` holding byte `offset` with a caret under that character (see
/// caret_indent), with bytes that would garble a terminal shown as '?' (printable_source);
/// of a long line (a one-line JSON dump, a huge scalar) only the bytes around the offset,
/// with "…" where it was cut.
[[nodiscard]] inline std::string caret_excerpt(std::string_view text, std::size_t offset) {
    constexpr std::size_t longest_line = 160;
    constexpr std::size_t context = 60;
    offset = std::min(offset, text.size());
    const auto newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
    const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
    const std::size_t line_end = std::min(text.find('\n', offset), text.size());
    std::size_t from = line_start;
    std::size_t to = line_end;
    if (line_end - line_start > longest_line) {
        const auto is_continuation = [&](std::size_t i) {
            return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0U) == 0x80U;
        };
        from = offset - std::min(offset - line_start, context);
        while (from < offset && is_continuation(from)) {
            ++from;
        }
        to = std::min(offset + context, line_end);
        while (to > offset && is_continuation(to)) {
            --to;
        }
    }
    const std::string_view before = from > line_start ? "…" : "";
    const std::string_view after = to < line_end ? "…" : "";
    return std::string(before) + printable_source(text.substr(from, to - from)) +
           std::string(after) + "\n" + std::string(before.empty() ? 0 : 1, ' ') +
           caret_indent(text, from, offset) + '^';
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
