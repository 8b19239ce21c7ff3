#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

/// The 16-byte sort key of an IP text: sorting addresses by it first compares integers and
/// falls back to the strings only on a tie.
namespace svcdisc::detail {

/// The first 16 bytes of a text as two big-endian numbers, zero-padded: keys order like the
/// texts byte-wise, except that texts sharing their first 16 bytes (or differing only by
/// trailing NULs) tie and must be compared in full.
struct text_prefix_key {
    std::uint64_t high = 0;
    std::uint64_t low = 0;

    friend bool operator==(const text_prefix_key&, const text_prefix_key&) = default;
    friend bool operator<(const text_prefix_key& a, const text_prefix_key& b) noexcept {
        return a.high < b.high || (a.high == b.high && a.low < b.low);
    }
};

/// The text_prefix_key of `text` (an IP address text, typically: at most 16 bytes for IPv4).
[[nodiscard]] inline text_prefix_key text_prefix_key_of(std::string_view text) noexcept {
    std::uint64_t half[2] = {0, 0};
    for (std::size_t k = 0; k < 16 && k < text.size(); ++k) {
        half[k / 8] |= std::uint64_t{static_cast<unsigned char>(text[k])} << (8U * (7U - k % 8));
    }
    return {half[0], half[1]};
}

} // namespace svcdisc::detail
