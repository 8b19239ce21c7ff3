#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

/// The Endpoints controller's truncateEndpoints as arithmetic on counts.
namespace svcdisc::detail {

/// Turns per-subset address counts into per-subset counts to keep, as the Endpoints controller's
/// truncateEndpoints does; false (counts untouched) when the total fits in `capacity`.
///
/// Ready addresses are cut only when they alone exceed the capacity, and then every not-ready
/// address goes; otherwise only not-ready addresses are cut. Each subset's share is
/// ceil((n / total) * budget) in IEEE double arithmetic, capped by what is left of the budget.
inline bool plan_truncation(std::vector<std::size_t>& ready, std::vector<std::size_t>& not_ready,
                            std::size_t capacity) {
    std::size_t total_ready = 0;
    std::size_t total_not_ready = 0;
    for (std::size_t i = 0; i < ready.size(); ++i) {
        total_ready += ready[i];
        total_not_ready += not_ready[i];
    }
    if (total_ready + total_not_ready <= capacity) {
        return false;
    }
    const bool cut_ready = total_ready > capacity;
    const std::size_t budget = cut_ready ? capacity : capacity - total_ready;
    const std::size_t base = cut_ready ? total_ready : total_not_ready;
    std::size_t left = budget;
    for (std::size_t i = 0; i < ready.size(); ++i) {
        std::size_t& counted = cut_ready ? ready[i] : not_ready[i];
        // Go's float64 steps exactly: the product is not added to anything, so no fused
        // multiply-add can change the rounding.
        const double share = static_cast<double>(counted) / static_cast<double>(base);
        const auto wanted =
            static_cast<std::size_t>(std::ceil(share * static_cast<double>(budget)));
        const std::size_t kept = std::min({counted, wanted, left});
        counted = kept;
        left -= kept;
        if (cut_ready) {
            not_ready[i] = 0;
        }
    }
    return true;
}

} // namespace svcdisc::detail
