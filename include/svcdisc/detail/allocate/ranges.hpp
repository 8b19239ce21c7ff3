#pragma once

#include <cstdint>
#include <optional>

/// The two bands of an allocation range and the deterministic search for a free entry.
///
/// Kubernetes splits the Service IP range (KEP-3070) and the node-port range (KEP-3668) at an
/// offset: entries below it are the static band, meant for values users ask for; dynamic
/// allocations come from the upper band and fall back to the lower band only when the upper
/// one is full. Kubernetes starts each search at a random entry of the band and walks forward,
/// wrapping inside the band; svcdisc starts at `seed` modulo the band size instead, so the
/// same Service always gets the same answer for the same set of taken entries.
namespace svcdisc::detail::allocation {

/// calculateRangeOffset's `min(max(minimum, size / step), maximum)`, and 0 when the range has
/// no more than `minimum` entries. Service IP ranges use (16, 256, 16) over the CIDR size;
/// node-port ranges use (16, 128, 32) over the number of ports.
constexpr std::uint64_t range_offset(std::uint64_t size, std::uint64_t minimum,
                                     std::uint64_t maximum, std::uint64_t step) noexcept {
    if (size <= minimum) {
        return 0;
    }
    const std::uint64_t offset = size / step;
    if (offset < minimum) {
        return minimum;
    }
    return offset > maximum ? maximum : offset;
}

/// The first entry `is_free` accepts, walking the upper band [offset, count) from
/// `offset + seed % (count - offset)` with wrap-around, then the lower band [0, offset) from
/// `seed % offset`; nullopt when both are full.
template <class IsFree>
[[nodiscard]] std::optional<std::uint64_t> find_free(std::uint64_t count, std::uint64_t offset,
                                                     std::uint64_t seed, IsFree&& is_free) {
    const auto walk = [&](std::uint64_t first, std::uint64_t size) -> std::optional<std::uint64_t> {
        if (size == 0) {
            return std::nullopt;
        }
        const std::uint64_t start = seed % size;
        for (std::uint64_t i = 0; i < size; ++i) {
            const std::uint64_t candidate = first + (start + i) % size;
            if (is_free(candidate)) {
                return candidate;
            }
        }
        return std::nullopt;
    };
    if (offset > count) {
        offset = 0;
    }
    if (auto upper = walk(offset, count - offset)) {
        return upper;
    }
    return walk(0, offset);
}

} // namespace svcdisc::detail::allocation
