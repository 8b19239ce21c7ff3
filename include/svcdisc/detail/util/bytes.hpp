#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <svcdisc/config.hpp>
#include <svcdisc/detail/util/bits.hpp>

/// Comparisons of the short strings label keys and values are, without libc calls.
namespace svcdisc::detail {

/// `a == b` without a call to memcmp for short strings: two overlapping word loads cover any
/// length from 4 to 16 bytes. Forced inline: it is the inner step of matching, and a call
/// costs as much as the comparison.
SVCDISC_ALWAYS_INLINE bool bytes_equal(std::string_view a, std::string_view b) noexcept {
    const std::size_t size = a.size();
    if (size != b.size()) {
        return false;
    }
    const char* x = a.data();
    const char* y = b.data();
    if (size >= 8) {
        if (size > 16) {
            return std::memcmp(x, y, size) == 0;
        }
        return load_word<std::uint64_t>(x) == load_word<std::uint64_t>(y) &&
               load_word<std::uint64_t>(x + size - 8) == load_word<std::uint64_t>(y + size - 8);
    }
    if (size >= 4) {
        return load_word<std::uint32_t>(x) == load_word<std::uint32_t>(y) &&
               load_word<std::uint32_t>(x + size - 4) == load_word<std::uint32_t>(y + size - 4);
    }
    // Sizes 1 to 3: the first, middle and last bytes are all of them.
    return size == 0 || (x[0] == y[0] && x[size / 2] == y[size / 2] && x[size - 1] == y[size - 1]);
}

/// Byte-wise three-way comparison (the order of label_set: negative when `a` sorts first),
/// inline for the short strings label keys are, where `a < b` would call memcmp.
inline int compare_bytes(std::string_view a, std::string_view b) noexcept {
    const auto byte = [](char c) { return static_cast<int>(static_cast<unsigned char>(c)); };
    // Sorted neighbours usually differ in the first byte; a lookup that hits is equal.
    if (!a.empty() && !b.empty() && a.front() != b.front()) {
        return byte(a.front()) - byte(b.front());
    }
    if (bytes_equal(a, b)) {
        return 0;
    }
    const std::size_t common = std::min(a.size(), b.size());
    std::size_t i = 0;
    while (i + 8 <= common &&
           load_word<std::uint64_t>(a.data() + i) == load_word<std::uint64_t>(b.data() + i)) {
        i += 8;
    }
    for (; i < common; ++i) {
        if (a[i] != b[i]) {
            return byte(a[i]) - byte(b[i]);
        }
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

} // namespace svcdisc::detail
