#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>

/// The stable sort for the short lists svcdisc sorts on hot paths (a selector's requirements
/// and values, a pod's labels).
namespace svcdisc::detail {

/// Sorts [first, last) stably. Up to `InsertionLimit` elements it sorts by insertion in place;
/// a longer range that is already sorted is left alone; only an unsorted longer one pays for
/// std::stable_sort's scratch buffer (an allocation).
template <std::ptrdiff_t InsertionLimit = 16, class Iterator, class Less>
void stable_sort_small(Iterator first, Iterator last, Less less) {
    if (last - first > InsertionLimit) {
        if (!std::is_sorted(first, last, less)) {
            std::stable_sort(first, last, less);
        }
        return;
    }
    if (first == last) {
        return;
    }
    for (Iterator next = first + 1; next != last; ++next) {
        if (!less(*next, *(next - 1))) {
            continue;
        }
        auto moving = std::move(*next);
        Iterator hole = next;
        do {
            *hole = std::move(*(hole - 1));
            --hole;
        } while (hole != first && less(moving, *(hole - 1)));
        *hole = std::move(moving);
    }
}

} // namespace svcdisc::detail
