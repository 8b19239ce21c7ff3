#pragma once

// RFC 3339 timestamps as the API server writes them (metav1.Time), for AGE cells and for the
// reader, which keeps the latest container restart of each pod.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace svcdisc_cli {

namespace detail {

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9U)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

inline bool read_number(std::string_view text, std::size_t at, std::size_t digits, unsigned& out) {
    if (at + digits > text.size()) {
        return false;
    }
    out = 0;
    for (std::size_t i = at; i < at + digits; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        out = out * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return true;
}

} // namespace detail

/// An RFC 3339 timestamp as seconds since the epoch; nullopt when it does not parse.
inline std::optional<std::int64_t> parse_timestamp(std::string_view text) {
    unsigned year = 0;
    unsigned month = 0;
    unsigned day = 0;
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
    if (!detail::read_number(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
        !detail::read_number(text, 5, 2, month) || text[7] != '-' ||
        !detail::read_number(text, 8, 2, day) ||
        (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
        !detail::read_number(text, 11, 2, hour) || text[13] != ':' ||
        !detail::read_number(text, 14, 2, minute) || text[16] != ':' ||
        !detail::read_number(text, 17, 2, second)) {
        return std::nullopt;
    }
    std::size_t at = 19;
    if (at < text.size() && text[at] == '.') {
        ++at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            ++at;
        }
    }
    std::int64_t offset = 0;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        unsigned oh = 0;
        unsigned om = 0;
        if (!detail::read_number(text, at + 1, 2, oh) ||
            !detail::read_number(text, at + 4, 2, om)) {
            return std::nullopt;
        }
        offset = (text[at] == '+' ? 1 : -1) * static_cast<std::int64_t>(oh * 3600 + om * 60);
    } else if (at >= text.size() || (text[at] != 'Z' && text[at] != 'z')) {
        return std::nullopt;
    }
    return detail::days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
           offset;
}

} // namespace svcdisc_cli
