#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

/// Kubernetes resource quantities (`"4"`, `"3500m"`, `"1.5"`, `"2Ki"`, `"5e3"`), reduced to what
/// the EndpointSlice controller's topology cache reads from a Node's allocatable CPU: the exact
/// value in nano-units, as `resource.ParseQuantity` keeps it, and `Quantity.MilliValue`.
namespace svcdisc::detail::topology {

namespace quantity_detail {

__extension__ using uint128 = unsigned __int128;

inline constexpr std::int64_t max_nanos = std::numeric_limits<std::int64_t>::max();
/// Significant digits kept; the rest only decide rounding (see quantity_nanos).
inline constexpr int max_digits = 19;

struct suffix_meaning {
    int decimal_exponent = 0;
    int binary_exponent = 0;
};

/// Kubernetes' quantity suffixes: binary SI (`Ki`…`Ei`), decimal SI (`n`…`E`, empty) or a
/// decimal exponent (`e3`, `E-2`). The exponent is bounded only to keep the arithmetic finite:
/// anything beyond ±99 is already far outside an int64 of nano-units.
[[nodiscard]] constexpr std::optional<suffix_meaning> interpret_suffix(std::string_view s) {
    constexpr std::array<std::string_view, 6> binary{"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    for (std::size_t i = 0; i < binary.size(); ++i) {
        if (s == binary[i]) {
            return suffix_meaning{0, 10 * static_cast<int>(i + 1)};
        }
    }
    constexpr std::array<std::pair<std::string_view, int>, 10> decimal{{{"n", -9},
                                                                        {"u", -6},
                                                                        {"m", -3},
                                                                        {"", 0},
                                                                        {"k", 3},
                                                                        {"M", 6},
                                                                        {"G", 9},
                                                                        {"T", 12},
                                                                        {"P", 15},
                                                                        {"E", 18}}};
    for (const auto& [text, exponent] : decimal) {
        if (s == text) {
            return suffix_meaning{exponent, 0};
        }
    }
    if (s.size() < 2 || (s.front() != 'e' && s.front() != 'E')) {
        return std::nullopt;
    }
    std::string_view digits = s.substr(1);
    bool negative = false;
    if (digits.front() == '+' || digits.front() == '-') {
        negative = digits.front() == '-';
        digits.remove_prefix(1);
    }
    if (digits.empty()) {
        return std::nullopt;
    }
    int exponent = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        exponent = exponent * 10 + (c - '0');
        if (exponent > 99) {
            exponent = 99;
        }
    }
    return suffix_meaning{negative ? -exponent : exponent, 0};
}

} // namespace quantity_detail

/// The value of a Kubernetes quantity in nano-units (1 = 10⁻⁹), rounded up to a whole nano as
/// `resource.ParseQuantity` does; nullopt for text that is no quantity and for negative values
/// (which a Node's allocatable resources cannot hold). Values beyond what an int64 holds in
/// nano-units (about 9.2 billion CPUs) saturate; digits past the 19th significant one count only
/// towards rounding up.
///
/// Example:
///     quantity_nanos("3500m");  // 3'500'000'000
///     quantity_nanos("1Ki");    // 1'024'000'000'000
///     quantity_nanos("0.1n");   // 1 (rounded up)
[[nodiscard]] constexpr std::optional<std::int64_t> quantity_nanos(std::string_view text) {
    using quantity_detail::uint128;
    if (text.empty()) {
        return std::nullopt;
    }
    std::size_t pos = 0;
    if (text[0] == '+' || text[0] == '-') {
        ++pos;
    }
    const bool negative = text[0] == '-';
    std::uint64_t digits = 0;
    int kept = 0;
    int integer_digits_dropped = 0;
    int fraction_digits_kept = 0;
    bool sticky = false; // a nonzero digit was dropped
    const auto take = [&](char c, bool fraction) {
        const auto value = static_cast<unsigned>(c - '0');
        if (digits == 0 && value == 0 && !fraction) {
            return; // leading zero
        }
        if (kept < quantity_detail::max_digits) {
            digits = digits * 10U + value;
            kept += digits == 0 ? 0 : 1;
            fraction_digits_kept += fraction ? 1 : 0;
        } else if (fraction) {
            sticky = sticky || value != 0;
        } else {
            ++integer_digits_dropped;
            sticky = sticky || value != 0;
        }
    };
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        take(text[pos++], false);
    }
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            take(text[pos++], true);
        }
    }
    const auto suffix = quantity_detail::interpret_suffix(text.substr(pos));
    if (!suffix) {
        return std::nullopt;
    }
    if (digits == 0 && !sticky) {
        return std::int64_t{0};
    }
    if (negative) {
        return std::nullopt;
    }
    // value = (digits + dropped fraction) × 10^exponent × 2^binary_exponent nano-units
    const int exponent =
        suffix->decimal_exponent + 9 + integer_digits_dropped - fraction_digits_kept;
    uint128 value = digits;
    value <<= static_cast<unsigned>(suffix->binary_exponent); // < 2^64 · 2^60: no overflow
    const auto limit = static_cast<uint128>(quantity_detail::max_nanos);
    if (exponent >= 0) {
        for (int i = 0; i < exponent; ++i) {
            if (value > limit) {
                break;
            }
            value *= 10U;
        }
        return value > limit ? quantity_detail::max_nanos : static_cast<std::int64_t>(value);
    }
    uint128 divisor = 1;
    for (int i = 0; i < -exponent; ++i) {
        if (divisor > value) {
            // The value is below one nano-unit (but not zero): rounded up to 1.
            return std::int64_t{1};
        }
        divisor *= 10U;
    }
    uint128 whole = value / divisor;
    if (value % divisor != 0 || sticky) {
        ++whole;
    }
    return whole > limit ? quantity_detail::max_nanos : static_cast<std::int64_t>(whole);
}

/// Kubernetes' `Quantity.MilliValue` of a value held in nano-units: rounded up to a whole milli.
[[nodiscard]] constexpr std::int64_t milli_value(std::int64_t nanos) noexcept {
    constexpr std::int64_t nanos_per_milli = 1'000'000;
    return nanos / nanos_per_milli + (nanos % nanos_per_milli > 0 ? 1 : 0);
}

} // namespace svcdisc::detail::topology
