#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace svcdisc::detail {

/// The Levenshtein distance between `a` and `b`, byte by byte: the fewest single-byte
/// insertions, deletions and substitutions that turn one into the other. Label keys and values
/// are short, so the quadratic table (one row at a time) is cheap.
[[nodiscard]] inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j < row.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
            diagonal = above;
        }
    }
    return row[b.size()];
}

/// True when `a` and `b` are equal ignoring ASCII case.
[[nodiscard]] constexpr bool equal_ignoring_ascii_case(std::string_view a,
                                                       std::string_view b) noexcept {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

} // namespace svcdisc::detail
