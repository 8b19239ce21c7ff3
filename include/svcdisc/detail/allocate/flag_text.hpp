#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/detail/allocate/field_errors.hpp>
#include <svcdisc/result.hpp>

/// Reading kube-apiserver's flag values the way Go reads them: strings.Split on commas and
/// strconv.Atoi, keeping byte offsets for positioned errors.
namespace svcdisc::detail::allocation {

/// One comma-separated piece of a flag value and where it starts.
struct text_piece {
    std::string_view text;
    std::size_t offset;
};

/// strings.Split(text, ","), keeping where each piece starts.
inline std::vector<text_piece> split_commas(std::string_view text) {
    std::vector<text_piece> pieces;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        if (comma == std::string_view::npos) {
            pieces.push_back({text.substr(start), start});
            return pieces;
        }
        pieces.push_back({text.substr(start, comma - start), start});
        start = comma + 1;
    }
}

/// strconv.Atoi for the port-range flag: an optional sign and decimal digits.
inline result<std::int64_t> parse_go_int(std::string_view text, std::size_t offset) {
    const auto syntax_error = [&] {
        return input_error{"strconv.Atoi: parsing " + quoted(text) + ": invalid syntax", offset};
    };
    std::string_view digits = text;
    const bool negative = !digits.empty() && digits.front() == '-';
    if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
        digits.remove_prefix(1);
    }
    if (digits.empty()) {
        return syntax_error();
    }
    std::int64_t value = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9') {
            return syntax_error();
        }
        if (value > (INT64_MAX - (c - '0')) / 10) {
            return input_error{"strconv.Atoi: parsing " + quoted(text) + ": value out of range",
                               offset};
        }
        value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
}

} // namespace svcdisc::detail::allocation
