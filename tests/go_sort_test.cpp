#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/detail/go/sort.hpp>

// Go's sort.Sort reproduced by svcdisc::detail::go::sort: the order it leaves equal elements in.
//
// Where the expected orders come from. Go is not available on the machine these tests were
// written on, so apart from the published Kubernetes selector output (first test) and the cases
// that can be checked by hand (insertion sort below 13 elements is stable), the recorded orders
// were produced by a second, independent implementation: a line-by-line transliteration of Go's
// `src/sort/zsortinterface.go` and `sort.go` (Go 1.24, and Go 1.19–1.23 for the older
// `breakPatterns` generator) into Python, kept outside the repository. It and this C++ version
// gave identical permutations on 1,092 inputs (sizes 0–79 and 100–3,000; random keys with 1–5
// distinct values, sorted, reversed, organ-pipe, periodic and nearly sorted inputs), both with the
// normal budget of bad pivots and with a budget of one, which drives every path including
// breakPatterns and heapsort.

namespace {

namespace go = svcdisc::detail::go;

// Sorts the positions 0..n-1 by `keys` and returns the positions in their final order, so a
// test states the permutation Go produces.
std::vector<int> go_order(const std::vector<int>& keys,
                          go::xorshift_variant variant = go::xorshift_variant::go1_24) {
    std::vector<std::pair<int, int>> items;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        items.emplace_back(keys[i], static_cast<int>(i));
    }
    go::sort(
        items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; },
        variant);
    std::vector<int> order;
    for (const auto& item : items) {
        order.push_back(item.second);
    }
    return order;
}

std::vector<int> stable_order(const std::vector<int>& keys) {
    std::vector<int> order(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        order[i] = static_cast<int>(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return keys[static_cast<std::size_t>(a)] < keys[static_cast<std::size_t>(b)];
    });
    return order;
}

} // namespace

TEST_CASE("labels.Parse sorts 13 requirements by key only: Kubernetes prints k=9,…,k=0,a,b,c as "
          "a,b,c,k=3,k=5,k=4,k=9,k=2,k=1,k=0,k=6,k=7,k=8") {
    std::vector<std::string> requirements;
    for (int value = 9; value >= 0; --value) {
        requirements.push_back("k=" + std::to_string(value));
    }
    requirements.insert(requirements.end(), {"a", "b", "c"});
    const auto key = [](const std::string& r) { return r.substr(0, r.find('=')); };
    go::sort(requirements.begin(), requirements.end(),
             [&](const std::string& a, const std::string& b) { return key(a) < key(b); });
    CHECK(requirements == std::vector<std::string>{"a", "b", "c", "k=3", "k=5", "k=4", "k=9", "k=2",
                                                   "k=1", "k=0", "k=6", "k=7", "k=8"});
}

TEST_CASE("up to 12 elements Go sorts by insertion, which keeps equal elements in input order") {
    std::mt19937 random(12345U);
    for (int round = 0; round < 2000; ++round) {
        const std::size_t n = random() % 13U;
        const auto distinct = static_cast<int>(1U + random() % 4U);
        std::vector<int> keys(n);
        for (auto& k : keys) {
            k = static_cast<int>(random() % static_cast<unsigned>(distinct));
        }
        CAPTURE(n);
        CHECK(go_order(keys) == stable_order(keys));
    }
}

TEST_CASE("13 elements, the smallest range Go partitions") {
    // All equal: the three samples need no swap, so the range looks ascending and the partial
    // insertion sort finds no neighbours out of order: input order survives.
    CHECK(go_order(std::vector<int>(13, 0)) ==
          std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    // Alternating 1,0,…,1: the zeros and ones are interleaved by the partition's exchanges.
    CHECK(go_order({1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}) ==
          std::vector<int>{9, 1, 3, 5, 7, 11, 2, 4, 6, 8, 0, 10, 12});
}

TEST_CASE("50 equal elements: ascending by every sample, the partial insertion sort finishes") {
    std::vector<int> expected(50);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        expected[i] = static_cast<int>(i);
    }
    CHECK(go_order(std::vector<int>(50, 0)) == expected);
}

TEST_CASE("recorded orders where breakPatterns runs: Go 1.24 and Go 1.19–1.23 differ") {
    const std::vector<int> fourteen{100, 101, 2, 0, 1, 102, 0, 101, 2, 0, 1, 102, 100, 1};
    CHECK(go_order(fourteen) == std::vector<int>{6, 3, 9, 10, 4, 13, 8, 2, 12, 0, 1, 7, 5, 11});
    CHECK(go_order(fourteen, go::xorshift_variant::go1_19) ==
          std::vector<int>{6, 3, 9, 10, 13, 4, 8, 2, 0, 12, 1, 7, 5, 11});

    const std::vector<int> nineteen{1, 2, 0, 2, 1, 1, 1, 2, 0, 1, 1, 2, 0, 0, 0, 0, 1, 2, 0};
    CHECK(go_order(nineteen) ==
          std::vector<int>{12, 13, 2, 18, 15, 8, 14, 5, 10, 0, 6, 4, 16, 9, 1, 3, 11, 7, 17});
    CHECK(go_order(nineteen, go::xorshift_variant::go1_19) ==
          std::vector<int>{12, 13, 8, 15, 14, 18, 2, 6, 5, 10, 0, 4, 16, 9, 7, 11, 1, 3, 17});

    std::vector<int> periodic(60);
    for (std::size_t i = 0; i < periodic.size(); ++i) {
        periodic[i] = static_cast<int>(i % 5);
    }
    CHECK(go_order(periodic) == std::vector<int>{15, 55, 50, 45, 40, 5,  35, 0,  30, 25, 10, 20,
                                                 31, 46, 56, 1,  16, 51, 41, 36, 11, 21, 6,  26,
                                                 17, 12, 47, 27, 2,  52, 42, 7,  32, 37, 57, 22,
                                                 8,  33, 38, 53, 18, 48, 58, 43, 28, 3,  13, 23,
                                                 9,  49, 44, 24, 4,  39, 54, 19, 14, 34, 29, 59});
    CHECK(go_order(periodic, go::xorshift_variant::go1_19) ==
          std::vector<int>{15, 55, 50, 45, 40, 5,  35, 0,  30, 25, 10, 20, 31, 46, 56,
                           1,  16, 51, 41, 36, 11, 21, 6,  26, 17, 37, 57, 12, 52, 2,
                           47, 7,  32, 42, 27, 22, 33, 28, 38, 58, 23, 18, 53, 43, 48,
                           3,  13, 8,  44, 49, 29, 24, 19, 9,  54, 34, 14, 4,  39, 59});
}

TEST_CASE("recorded order of 64 random keys out of three") {
    const std::vector<int> keys{1, 0, 1, 2, 0, 0, 2, 0, 1, 2, 0, 2, 0, 0, 0, 1, 1, 0, 0, 0, 2, 1,
                                0, 2, 0, 0, 2, 2, 2, 0, 2, 2, 1, 0, 0, 0, 2, 0, 1, 1, 0, 2, 0, 2,
                                1, 2, 2, 0, 0, 2, 2, 2, 0, 1, 0, 2, 2, 0, 2, 0, 2, 0, 1, 2};
    CHECK(go_order(keys) == std::vector<int>{29, 1,  61, 59, 4,  5,  57, 7,  54, 52, 10, 48, 12,
                                             13, 14, 47, 42, 17, 18, 19, 40, 37, 22, 35, 24, 25,
                                             34, 33, 15, 53, 62, 2,  32, 8,  0,  44, 16, 21, 38,
                                             39, 9,  46, 36, 43, 23, 45, 51, 26, 11, 49, 41, 50,
                                             56, 28, 27, 55, 20, 6,  58, 3,  60, 31, 30, 63});
}

TEST_CASE("with its bad-pivot budget spent Go falls back to breakPatterns and heapsort") {
    // The public entry point gives a budget of bit_length(n); a budget of one makes the second
    // round break patterns and the third heapsort, the paths random inputs rarely reach.
    const std::vector<int> keys{0, 1, 1, 1, 2, 0, 0, 2, 2, 2, 1, 0, 0, 1,
                                0, 1, 1, 0, 2, 1, 1, 1, 2, 1, 0, 2, 0};
    std::vector<std::pair<int, int>> items;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        items.emplace_back(keys[i], static_cast<int>(i));
    }
    auto less = [](const auto& a, const auto& b) { return a.first < b.first; };
    const go::sort_detail::indexed<decltype(items.begin()), decltype(less)> data{items.begin(),
                                                                                 less};
    go::sort_detail::pdqsort(data, 0, static_cast<std::ptrdiff_t>(items.size()), 1,
                             go::xorshift_variant::go1_24);
    std::vector<int> order;
    for (const auto& item : items) {
        order.push_back(item.second);
    }
    CHECK(order == std::vector<int>{12, 14, 26, 0,  17, 5,  6,  11, 24, 19, 15, 21, 13, 23,
                                    1,  16, 2,  10, 3,  20, 22, 7,  18, 25, 4,  8,  9});
}

TEST_CASE("any input comes out sorted and as a permutation of itself") {
    std::mt19937_64 random(99U);
    for (const std::size_t n : {0U, 1U, 2U, 13U, 49U, 50U, 51U, 257U, 4096U}) {
        for (int distinct : {1, 2, 7, 1000}) {
            std::vector<int> keys(n);
            for (auto& k : keys) {
                k = static_cast<int>(random() % static_cast<std::uint64_t>(distinct));
            }
            for (int shape = 0; shape < 3; ++shape) {
                if (shape == 1) {
                    std::sort(keys.begin(), keys.end());
                } else if (shape == 2) {
                    std::reverse(keys.begin(), keys.end());
                }
                for (const auto variant :
                     {go::xorshift_variant::go1_19, go::xorshift_variant::go1_24}) {
                    const auto order = go_order(keys, variant);
                    std::vector<int> sorted_keys;
                    for (const int position : order) {
                        sorted_keys.push_back(keys[static_cast<std::size_t>(position)]);
                    }
                    CAPTURE(n);
                    CHECK(std::is_sorted(sorted_keys.begin(), sorted_keys.end()));
                    auto positions = order;
                    std::sort(positions.begin(), positions.end());
                    CHECK(positions == stable_order(std::vector<int>(n, 0)));
                }
            }
        }
    }
}
