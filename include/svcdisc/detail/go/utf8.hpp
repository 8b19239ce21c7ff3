#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

/// UTF-8 and Unicode classes exactly as Go's unicode/utf8, unicode and strconv packages see
/// them, for the text Kubernetes prints (quoted values, trimmed selector pieces).
namespace svcdisc::detail {

/// Appends `value` as `digits` lowercase hex digits.
inline void append_hex(std::string& out, unsigned value, int digits) {
    constexpr std::string_view hex = "0123456789abcdef";
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
        out += hex[(value >> static_cast<unsigned>(shift)) & 0xFU];
    }
}

/// Decodes one UTF-8 sequence at the front of `text` as Go's utf8.DecodeRuneInString does
/// (overlong forms, surrogates and values above U+10FFFF are invalid). Returns the code point
/// and its length, or length 0 for an invalid byte. `text` must not be empty.
inline std::pair<char32_t, std::size_t> decode_utf8(std::string_view text) noexcept {
    const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned lead = byte(0);
    std::size_t length = 0;
    char32_t code = 0;
    char32_t minimum = 0;
    if (lead < 0x80U) {
        return {lead, 1};
    }
    if (lead >= 0xC2U && lead <= 0xDFU) {
        length = 2;
        code = lead & 0x1FU;
        minimum = 0x80;
    } else if (lead >= 0xE0U && lead <= 0xEFU) {
        length = 3;
        code = lead & 0x0FU;
        minimum = 0x800;
    } else if (lead >= 0xF0U && lead <= 0xF4U) {
        length = 4;
        code = lead & 0x07U;
        minimum = 0x10000;
    } else {
        return {0, 0};
    }
    if (text.size() < length) {
        return {0, 0};
    }
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0U) != 0x80U) {
            return {0, 0};
        }
        code = (code << 6U) | (byte(i) & 0x3FU);
    }
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return {0, 0};
    }
    return {code, length};
}

/// Whether Go's `strconv.IsPrint` would print a non-ASCII code point as is. Approximate: it
/// knows the control, format (category Cf), separator, surrogate, private-use and non-character
/// ranges, not Unicode's full list of unassigned code points (those count as printable).
constexpr bool is_go_printable(char32_t code) noexcept {
    return !((code >= 0x80 && code <= 0xA0) || code == 0xAD || (code >= 0x600 && code <= 0x605) ||
             code == 0x61C || code == 0x6DD || code == 0x70F || code == 0x890 || code == 0x891 ||
             code == 0x8E2 || code == 0x1680 || code == 0x180E ||
             (code >= 0x2000 && code <= 0x200F) || (code >= 0x2028 && code <= 0x202F) ||
             (code >= 0x205F && code <= 0x206F) || code == 0x3000 ||
             (code >= 0xD800 && code <= 0xF8FF) || (code >= 0xFDD0 && code <= 0xFDEF) ||
             code == 0xFEFF || (code >= 0xFFF0 && code <= 0xFFFB) || (code & 0xFFFEU) == 0xFFFEU ||
             code == 0x110BD || code == 0x110CD || (code >= 0x13430 && code <= 0x1343F) ||
             (code >= 0x1BCA0 && code <= 0x1BCA3) || (code >= 0x1D173 && code <= 0x1D17A) ||
             (code >= 0xE0001 && code <= 0xE007F) || code >= 0xF0000);
}

/// Go's unicode.IsSpace, which strings.TrimSpace uses.
constexpr bool is_go_space(char32_t code) noexcept {
    return code == ' ' || (code >= '\t' && code <= '\r') || code == 0x85 || code == 0xA0 ||
           code == 0x1680 || (code >= 0x2000 && code <= 0x200A) || code == 0x2028 ||
           code == 0x2029 || code == 0x202F || code == 0x205F || code == 0x3000;
}

/// Go's strings.TrimSpace; `offset` moves forward by what was trimmed at the front.
inline std::string_view trim_go_space(std::string_view text, std::size_t& offset) noexcept {
    while (!text.empty()) {
        const auto [code, length] = decode_utf8(text);
        if (length == 0 || !is_go_space(code)) {
            break;
        }
        text.remove_prefix(length);
        offset += length;
    }
    while (!text.empty()) {
        std::size_t length = 0;
        for (std::size_t candidate = 1; candidate <= 3 && candidate <= text.size(); ++candidate) {
            const auto [code, decoded] = decode_utf8(text.substr(text.size() - candidate));
            if (decoded == candidate && is_go_space(code)) {
                length = candidate;
                break;
            }
        }
        if (length == 0) {
            break;
        }
        text.remove_suffix(length);
    }
    return text;
}

} // namespace svcdisc::detail
