#include "go_format.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include <svcdisc/go_text.hpp>

namespace svcdisc_cli::go {

namespace {

bool in_range(unsigned char c, unsigned char low, unsigned char high) {
    return c >= low && c <= high;
}

/// The bounds utf8.DecodeRune accepts for the second byte after lead byte `lead`.
std::pair<unsigned char, unsigned char> second_byte_range(unsigned char lead) {
    switch (lead) {
    case 0xE0:
        return {0xA0, 0xBF};
    case 0xED:
        return {0x80, 0x9F};
    case 0xF0:
        return {0x90, 0xBF};
    case 0xF4:
        return {0x80, 0x8F};
    default:
        return {0x80, 0xBF};
    }
}

/// Space separators other than U+0020, and the line and paragraph separators.
bool is_unicode_separator(char32_t r) {
    return r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 ||
           r == 0x202F || r == 0x205F || r == 0x3000;
}

/// The shortest decimal digits that read back as `value`, and the exponent of the first digit.
struct shortest_decimal {
    bool negative = false;
    std::string digits;
    int exponent = 0;
};

shortest_decimal shortest(double value) {
    std::array<char, 64> buffer{};
    const auto converted = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                         std::chars_format::scientific);
    const std::string_view text(buffer.data(),
                                static_cast<std::size_t>(converted.ptr - buffer.data()));
    shortest_decimal d;
    std::size_t i = 0;
    if (text[i] == '-') {
        d.negative = true;
        ++i;
    }
    for (; i < text.size() && text[i] != 'e'; ++i) {
        if (text[i] != '.') {
            d.digits += text[i];
        }
    }
    const std::string_view exponent = text.substr(i + 1);
    const std::size_t digits_at = exponent.front() == '+' || exponent.front() == '-' ? 1 : 0;
    std::from_chars(exponent.data() + digits_at, exponent.data() + exponent.size(), d.exponent);
    if (exponent.front() == '-') {
        d.exponent = -d.exponent;
    }
    return d;
}

void append_exponent_form(std::string& out, const shortest_decimal& d) {
    if (d.negative) {
        out += '-';
    }
    out += d.digits.front();
    if (d.digits.size() > 1) {
        out += '.';
        out.append(d.digits, 1);
    }
    out += 'e';
    out += d.exponent < 0 ? '-' : '+';
    const int magnitude = std::abs(d.exponent);
    if (magnitude < 10) {
        out += '0';
    }
    out += std::to_string(magnitude);
}

void append_plain_form(std::string& out, const shortest_decimal& d) {
    if (d.negative) {
        out += '-';
    }
    if (d.exponent < 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-d.exponent - 1), '0');
        out += d.digits;
        return;
    }
    const auto integer_digits = static_cast<std::size_t>(d.exponent) + 1;
    if (d.digits.size() <= integer_digits) {
        out += d.digits;
        out.append(integer_digits - d.digits.size(), '0');
        return;
    }
    out.append(d.digits, 0, integer_digits);
    out += '.';
    out.append(d.digits, integer_digits);
}

} // namespace

decoded_rune decode_rune(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    if (lead < 0x80) {
        return {lead, 1};
    }
    std::size_t width = 0;
    char32_t value = 0;
    if (in_range(lead, 0xC2, 0xDF)) {
        width = 2;
        value = lead & 0x1FU;
    } else if (in_range(lead, 0xE0, 0xEF)) {
        width = 3;
        value = lead & 0x0FU;
    } else if (in_range(lead, 0xF0, 0xF4)) {
        width = 4;
        value = lead & 0x07U;
    } else {
        return {rune_error, 1};
    }
    if (at + width > text.size()) {
        return {rune_error, 1};
    }
    const auto [low, high] = second_byte_range(lead);
    for (std::size_t i = 1; i < width; ++i) {
        const auto c = static_cast<unsigned char>(text[at + i]);
        const bool fits = i == 1 ? in_range(c, low, high) : in_range(c, 0x80, 0xBF);
        if (!fits) {
            return {rune_error, 1};
        }
        value = (value << 6U) | (c & 0x3FU);
    }
    return {value, width};
}

std::size_t rune_count(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t at = 0; at < text.size(); at += decode_rune(text, at).width) {
        ++count;
    }
    return count;
}

void append_rune(std::string& out, char32_t r) {
    if ((r >= 0xD800 && r <= 0xDFFF) || r > 0x10FFFF) {
        r = rune_error;
    }
    const auto byte = [](char32_t bits) { return static_cast<char>(bits); };
    if (r < 0x80) {
        out += byte(r);
    } else if (r < 0x800) {
        out += byte(0xC0U | (r >> 6U));
        out += byte(0x80U | (r & 0x3FU));
    } else if (r < 0x10000) {
        out += byte(0xE0U | (r >> 12U));
        out += byte(0x80U | ((r >> 6U) & 0x3FU));
        out += byte(0x80U | (r & 0x3FU));
    } else {
        out += byte(0xF0U | (r >> 18U));
        out += byte(0x80U | ((r >> 12U) & 0x3FU));
        out += byte(0x80U | ((r >> 6U) & 0x3FU));
        out += byte(0x80U | (r & 0x3FU));
    }
}

bool is_letter(char32_t r) {
    if (r < 0x80) {
        return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
    }
    if (r <= 0xFF) {
        return r == 0xAA || r == 0xB5 || r == 0xBA || (r >= 0xC0 && r != 0xD7 && r != 0xF7);
    }
    const bool combining_mark = r >= 0x0300 && r <= 0x036F;
    const bool punctuation_or_symbol = (r >= 0x2000 && r <= 0x2BFF) ||
                                       (r >= 0x3000 && r <= 0x303F && r != 0x3005 && r != 0x3006) ||
                                       (r >= 0xFE00 && r <= 0xFE0F) ||
                                       (r >= 0xFF00 && r <= 0xFF20) ||
                                       (r >= 0x1F000 && r <= 0x1FAFF);
    const bool private_use = (r >= 0xE000 && r <= 0xF8FF) || r >= 0xF0000;
    return !combining_mark && !punctuation_or_symbol && !private_use && svcdisc::is_go_print(r);
}

bool is_space(char32_t r) {
    switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
        return true;
    default:
        return r > 0xFF && is_unicode_separator(r);
    }
}

std::string unicode_format(char32_t r) {
    std::string out = "U+";
    constexpr std::string_view upper_hex = "0123456789ABCDEF";
    int digits = 4;
    while (digits < 8 && (r >> (static_cast<unsigned>(digits) * 4)) != 0) {
        ++digits;
    }
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
        out += upper_hex[(r >> static_cast<unsigned>(shift)) & 0xFU];
    }
    if (svcdisc::is_go_print(r)) {
        out += " '";
        append_rune(out, r);
        out += '\'';
    }
    return out;
}

void append_float(std::string& out, double value) {
    const shortest_decimal d = shortest(value);
    if (d.exponent < -4 || d.exponent >= 6) {
        append_exponent_form(out, d);
    } else {
        append_plain_form(out, d);
    }
}

void append_json_float(std::string& out, double value) {
    const double magnitude = std::fabs(value);
    const shortest_decimal d = shortest(value);
    if (magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e21)) {
        append_plain_form(out, d);
        return;
    }
    const std::size_t start = out.size();
    append_exponent_form(out, d);
    // encoding/json trims the zero of a two-digit negative exponent: 1e-07 becomes 1e-7.
    const std::string_view written = std::string_view(out).substr(start);
    if (written.size() >= 4 && written.substr(written.size() - 4, 3) == "e-0") {
        out.erase(out.size() - 2, 1);
    }
}

} // namespace svcdisc_cli::go
