#pragma once

// What every fuzz target shares: how an oracle failure is reported, and a byte reader that
// picks from small tables so generated objects collide often (same names, IPs, nodes).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <fuzzer/FuzzedDataProvider.h>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/selector.hpp>

namespace svcdisc_fuzz {

/// Stops the run when an oracle does not hold: libFuzzer sees the abort and saves the input.
inline void require(bool holds, std::string_view oracle, std::string_view detail = {}) {
    if (holds) {
        return;
    }
    std::fprintf(stderr, "svcdisc fuzz oracle failed: %.*s\n%.*s\n",
                 static_cast<int>(oracle.size()), oracle.data(), static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

/// FuzzedDataProvider plus picks from fixed tables.
class input_reader {
  public:
    input_reader(const std::uint8_t* data, std::size_t size) : provider_(data, size) {}

    [[nodiscard]] FuzzedDataProvider& provider() noexcept { return provider_; }

    /// One entry of `table` (an array), the first when the input is exhausted.
    template <class Table>
    [[nodiscard]] const auto& pick(const Table& table) {
        return table[provider_.ConsumeIntegralInRange<std::size_t>(0, table.size() - 1)];
    }

    /// A number in [0, max].
    [[nodiscard]] std::size_t count(std::size_t max) {
        return provider_.ConsumeIntegralInRange<std::size_t>(0, max);
    }

    [[nodiscard]] bool flag() { return provider_.ConsumeBool(); }

    /// A short raw string (at most `max_length` bytes) straight from the input.
    [[nodiscard]] std::string raw(std::size_t max_length) {
        return provider_.ConsumeRandomLengthString(max_length);
    }

  private:
    FuzzedDataProvider provider_;
};

/// Labels as the reference matcher sees them: a plain ordered map.
using plain_labels = std::map<std::string, std::string, std::less<>>;

/// Go's strconv.ParseInt(text, 10, 64), written independently of svcdisc's parse_go_int64:
/// an optional sign, then decimal digits only, within int64.
[[nodiscard]] inline std::optional<std::int64_t> reference_int64(std::string_view text) {
    const bool negative = !text.empty() && text.front() == '-';
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        text.remove_prefix(1);
    }
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    text.remove_prefix(std::min(text.find_first_not_of('0'), text.size()));
    constexpr std::size_t max_int64_digits = 19;
    if (text.size() > max_int64_digits) {
        return std::nullopt;
    }
    std::uint64_t magnitude = 0;
    for (const char c : text) {
        magnitude = magnitude * 10 + static_cast<std::uint64_t>(c - '0');
    }
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (magnitude > max + (negative ? 1U : 0U)) {
        return std::nullopt;
    }
    if (negative) {
        return magnitude == max + 1 ? std::numeric_limits<std::int64_t>::min()
                                    : -static_cast<std::int64_t>(magnitude);
    }
    return static_cast<std::int64_t>(magnitude);
}

/// What one requirement means, straight from the operator table of
/// docs/labels-and-selectors.md: the reference the library's matcher is checked against.
[[nodiscard]] inline bool reference_matches(svcdisc::selector_operator op, std::string_view key,
                                            const std::vector<std::string>& values,
                                            const plain_labels& labels) {
    const auto found = labels.find(key);
    const bool present = found != labels.end();
    bool listed = false;
    for (const std::string& value : values) {
        listed = listed || (present && found->second == value);
    }
    using svcdisc::selector_operator;
    switch (op) {
    case selector_operator::exists:
        return present;
    case selector_operator::does_not_exist:
        return !present;
    case selector_operator::equals:
    case selector_operator::double_equals:
    case selector_operator::in:
        return listed;
    case selector_operator::not_equals:
    case selector_operator::not_in:
        return !listed;
    case selector_operator::greater_than:
    case selector_operator::less_than: {
        if (!present || values.size() != 1) {
            return false;
        }
        const auto have = reference_int64(found->second);
        const auto bound = reference_int64(values.front());
        if (!have || !bound) {
            return false;
        }
        return op == selector_operator::greater_than ? *have > *bound : *have < *bound;
    }
    }
    return false;
}

/// Values worth trying for a key a selector looks at: the ones it names, their integer
/// neighbours, and two it never names.
inline void add_candidate_values(std::vector<std::string>& candidates, std::string_view value) {
    candidates.emplace_back(value);
    if (const auto number = reference_int64(value)) {
        if (*number != std::numeric_limits<std::int64_t>::max()) {
            candidates.push_back(std::to_string(*number + 1));
        }
        if (*number != std::numeric_limits<std::int64_t>::min()) {
            candidates.push_back(std::to_string(*number - 1));
        }
    }
}

/// A few label sets around the keys and values of `wanted` (key → candidate values): none of
/// the keys; every key with its first candidate; every key with its last; then, while the input
/// lasts, each key absent or with a candidate the input picks.
[[nodiscard]] inline std::vector<plain_labels>
derived_label_sets(const std::map<std::string, std::vector<std::string>, std::less<>>& wanted,
                   input_reader& input) {
    std::vector<plain_labels> sets(3);
    for (const auto& [key, candidates] : wanted) {
        const std::string& first = candidates.empty() ? key : candidates.front();
        const std::string& last = candidates.empty() ? key : candidates.back();
        sets[1].emplace(key, first);
        sets[2].emplace(key, last);
    }
    sets[2].emplace("unrelated", "label");
    constexpr std::size_t picked_sets = 4;
    for (std::size_t n = 0; n < picked_sets && input.provider().remaining_bytes() > 0; ++n) {
        plain_labels& labels = sets.emplace_back();
        for (const auto& [key, candidates] : wanted) {
            const std::size_t choice = input.count(candidates.size() + 1);
            if (choice < candidates.size()) {
                labels.emplace(key, candidates[choice]);
            } else if (choice == candidates.size()) {
                labels.emplace(key, "not-a-candidate");
            }
        }
    }
    return sets;
}

} // namespace svcdisc_fuzz
