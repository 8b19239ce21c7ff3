#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <utility>

/// Go's `sort.Sort` (pattern-defeating quicksort since Go 1.19), rebuilt so that equal elements
/// end up in exactly the order Go leaves them in. Kubernetes sorts with it where the order of
/// ties shows, e.g. a label selector's requirements are sorted by key only, so `k=9,k=8,…,k=0`
/// comes out in an order that is neither the input's nor its reverse.
///
/// Go's algorithm only ever compares and swaps elements by index, so following the same
/// sequence of comparisons and swaps reproduces the same permutation for any input and any
/// strict weak order. The steps, as Go's `src/sort/zsortinterface.go` arranges them:
///   * fewer than 2 elements: nothing; otherwise the budget of bad pivots is the bit length of n;
///   * a range of at most 12 elements: plain insertion sort (stable);
///   * budget spent: heapsort of the range;
///   * after an unbalanced partition: swap three middle elements with pseudo-random partners
///     (`breakPatterns`, an xorshift generator seeded with the range's length) and spend one unit;
///   * pivot: element at 2/4 of the range (fewer than 8), median of the elements at 1/4, 2/4,
///     3/4 (8 to 49), or the median of three medians of adjacent triples there (50 and more);
///     the number of swaps the medians needed tells whether the range looks ascending (none)
///     or descending (all 12 possible), and a descending range is reversed first;
///   * a range that looks ascending after a balanced, already partitioned step gets a partial
///     insertion sort (at most 5 misplaced neighbours, only for 50 elements or more) which may
///     finish the job;
///   * when the element just before the range is not less than the pivot, the range only holds
///     elements equal to or greater than the pivot: split off the equal ones and continue with
///     the rest;
///   * otherwise partition around the pivot, recurse into the smaller side, loop on the larger.
namespace svcdisc::detail::go {

/// Which generator `breakPatterns` uses: Go 1.19–1.23 shift by 13, 17, 5 (constants meant for
/// 32-bit state); from Go 1.24 on by 13, 7, 17. The choice only matters for inputs whose
/// partitions go badly unbalanced, never for 12 elements or fewer.
enum class xorshift_variant : std::uint8_t { go1_19, go1_24 };

namespace sort_detail {

using index = std::ptrdiff_t;

/// The elements of the range under sort, addressed by position like Go's `sort.Interface`.
template <class RandomIt, class Less>
struct indexed {
    RandomIt base;
    Less& less;

    [[nodiscard]] bool less_at(index i, index j) const { return less(base[i], base[j]); }
    void swap_at(index i, index j) const { std::iter_swap(base + i, base + j); }
};

enum class trend : std::uint8_t { unknown, ascending, descending };

template <class Data>
void insertion_sort(const Data& d, index a, index b) {
    for (index i = a + 1; i < b; ++i) {
        for (index j = i; j > a && d.less_at(j, j - 1); --j) {
            d.swap_at(j, j - 1);
        }
    }
}

/// Restores the max-heap order below `root` in the heap stored at `offset + [0, size)`.
template <class Data>
void sift_down(const Data& d, index root, index size, index offset) {
    for (;;) {
        index child = 2 * root + 1;
        if (child >= size) {
            return;
        }
        if (child + 1 < size && d.less_at(offset + child, offset + child + 1)) {
            ++child;
        }
        if (!d.less_at(offset + root, offset + child)) {
            return;
        }
        d.swap_at(offset + root, offset + child);
        root = child;
    }
}

template <class Data>
void heap_sort(const Data& d, index a, index b) {
    const index size = b - a;
    for (index i = (size - 1) / 2; i >= 0; --i) {
        sift_down(d, i, size, a);
    }
    for (index i = size - 1; i >= 0; --i) {
        d.swap_at(a, a + i);
        sift_down(d, 0, i, a);
    }
}

/// Orders two positions by their elements, counting a swap when they were out of order.
template <class Data>
void order_pair(const Data& d, index& x, index& y, int& swaps) {
    if (d.less_at(y, x)) {
        ++swaps;
        std::swap(x, y);
    }
}

/// The position holding the median of the elements at `x`, `y`, `z` (nothing moves).
template <class Data>
[[nodiscard]] index median_position(const Data& d, index x, index y, index z, int& swaps) {
    order_pair(d, x, y, swaps);
    order_pair(d, y, z, swaps);
    order_pair(d, x, y, swaps);
    return y;
}

struct pivot_choice {
    index position;
    trend seen;
};

template <class Data>
[[nodiscard]] pivot_choice choose_pivot(const Data& d, index a, index b) {
    constexpr index ninther_from = 50;
    constexpr int all_swapped = 4 * 3;
    const index length = b - a;
    index low = a + length / 4;
    index middle = a + length / 4 * 2;
    index high = a + length / 4 * 3;
    int swaps = 0;
    if (length >= 8) {
        if (length >= ninther_from) {
            low = median_position(d, low - 1, low, low + 1, swaps);
            middle = median_position(d, middle - 1, middle, middle + 1, swaps);
            high = median_position(d, high - 1, high, high + 1, swaps);
        }
        middle = median_position(d, low, middle, high, swaps);
    }
    if (swaps == 0) {
        return {middle, trend::ascending};
    }
    return {middle, swaps == all_swapped ? trend::descending : trend::unknown};
}

template <class Data>
void reverse_range(const Data& d, index a, index b) {
    for (index i = a, j = b - 1; i < j; ++i, --j) {
        d.swap_at(i, j);
    }
}

/// Go's `partialInsertionSort`: true when the range turned out sorted. The leftward shift runs
/// towards position 1 of the whole sequence rather than stopping at the range's start, as Go's
/// does; it still stops at the boundary, because whatever precedes a range is never greater than
/// what is in it, so only the comparisons differ from a bounded loop, never the result.
template <class Data>
[[nodiscard]] bool partial_insertion_sort(const Data& d, index a, index b) {
    constexpr int max_steps = 5;
    constexpr index shortest_shifting = 50;
    index i = a + 1;
    for (int step = 0; step < max_steps; ++step) {
        while (i < b && !d.less_at(i, i - 1)) {
            ++i;
        }
        if (i == b) {
            return true;
        }
        if (b - a < shortest_shifting) {
            return false;
        }
        d.swap_at(i, i - 1);
        if (i - a >= 2) {
            for (index j = i - 1; j >= 1 && d.less_at(j, j - 1); --j) {
                d.swap_at(j, j - 1);
            }
        }
        if (b - i >= 2) {
            for (index j = i + 1; j < b && d.less_at(j, j - 1); ++j) {
                d.swap_at(j, j - 1);
            }
        }
    }
    return false;
}

[[nodiscard]] constexpr std::uint64_t next_random(std::uint64_t& state,
                                                  xorshift_variant variant) noexcept {
    if (variant == xorshift_variant::go1_19) {
        state ^= state << 13U;
        state ^= state >> 17U;
        state ^= state << 5U;
    } else {
        state ^= state << 13U;
        state ^= state >> 7U;
        state ^= state << 17U;
    }
    return state;
}

template <class Data>
void break_patterns(const Data& d, index a, index b, xorshift_variant variant) {
    const index length = b - a;
    if (length < 8) {
        return;
    }
    const auto unsigned_length = static_cast<std::uint64_t>(length);
    std::uint64_t state = unsigned_length;
    // Go's nextPowerOfTwo: the power of two above the length's highest bit, even when the length
    // is itself a power of two.
    const std::uint64_t mask = (std::uint64_t{1} << std::bit_width(unsigned_length)) - 1;
    const index centre = a + (length / 4) * 2;
    for (index position = centre - 1; position <= centre + 1; ++position) {
        auto other = static_cast<index>(next_random(state, variant) & mask);
        if (other >= length) {
            other -= length;
        }
        d.swap_at(position, a + other);
    }
}

/// Splits `[a, b)`, which holds no element below the pivot's, into the elements equal to the
/// pivot followed by the greater ones; returns where the greater ones start.
template <class Data>
[[nodiscard]] index partition_equal(const Data& d, index a, index b, index pivot) {
    d.swap_at(a, pivot);
    index i = a + 1;
    index j = b - 1;
    for (;;) {
        while (i <= j && !d.less_at(a, i)) {
            ++i;
        }
        while (i <= j && d.less_at(a, j)) {
            --j;
        }
        if (i > j) {
            return i;
        }
        d.swap_at(i, j);
        ++i;
        --j;
    }
}

struct partition_result {
    index pivot;
    bool was_partitioned;
};

/// Moves the pivot to `a`, then the smaller elements before and the others after its final
/// position, which is returned with whether nothing had to be exchanged.
template <class Data>
[[nodiscard]] partition_result partition(const Data& d, index a, index b, index pivot) {
    d.swap_at(a, pivot);
    index i = a + 1;
    index j = b - 1;
    bool exchanged = false;
    for (;;) {
        while (i <= j && d.less_at(i, a)) {
            ++i;
        }
        while (i <= j && !d.less_at(j, a)) {
            --j;
        }
        if (i > j) {
            break;
        }
        d.swap_at(i, j);
        exchanged = true;
        ++i;
        --j;
    }
    d.swap_at(j, a);
    return {j, !exchanged};
}

template <class Data>
void pdqsort(const Data& d, index a, index b, int bad_pivot_budget, xorshift_variant variant) {
    constexpr index insertion_limit = 12;
    bool was_balanced = true;
    bool was_partitioned = true;
    for (;;) {
        const index length = b - a;
        if (length <= insertion_limit) {
            insertion_sort(d, a, b);
            return;
        }
        if (bad_pivot_budget == 0) {
            heap_sort(d, a, b);
            return;
        }
        if (!was_balanced) {
            break_patterns(d, a, b, variant);
            --bad_pivot_budget;
        }
        auto [pivot, seen] = choose_pivot(d, a, b);
        if (seen == trend::descending) {
            reverse_range(d, a, b);
            pivot = (b - 1) - (pivot - a);
            seen = trend::ascending;
        }
        if (was_balanced && was_partitioned && seen == trend::ascending &&
            partial_insertion_sort(d, a, b)) {
            return;
        }
        if (a > 0 && !d.less_at(a - 1, pivot)) {
            a = partition_equal(d, a, b, pivot);
            continue;
        }
        const auto [middle, untouched] = partition(d, a, b, pivot);
        was_partitioned = untouched;
        const index left = middle - a;
        const index right = b - middle;
        const index balance_threshold = length / 8;
        if (left < right) {
            was_balanced = left >= balance_threshold;
            pdqsort(d, a, middle, bad_pivot_budget, variant);
            a = middle + 1;
        } else {
            was_balanced = right >= balance_threshold;
            pdqsort(d, middle + 1, b, bad_pivot_budget, variant);
            b = middle;
        }
    }
}

} // namespace sort_detail

/// Sorts `[first, last)` by `less` (a strict weak order) leaving equal elements in the order
/// Go's `sort.Sort` leaves them in. Not stable; O(n log n) comparisons and swaps; no allocation.
///
/// Example:
///     std::vector<std::pair<std::string, int>> reqs = …;  // keys "k" ×10, then "a", "b", "c"
///     svcdisc::detail::go::sort(reqs.begin(), reqs.end(),
///                               [](const auto& x, const auto& y) { return x.first < y.first; });
template <class RandomIt, class Less>
void sort(RandomIt first, RandomIt last, Less less,
          xorshift_variant variant = xorshift_variant::go1_24) {
    const auto n = static_cast<sort_detail::index>(std::distance(first, last));
    if (n <= 1) {
        return;
    }
    const sort_detail::indexed<RandomIt, Less> data{first, less};
    const auto budget = static_cast<int>(std::bit_width(static_cast<std::uint64_t>(n)));
    sort_detail::pdqsort(data, 0, n, budget, variant);
}

} // namespace svcdisc::detail::go
