#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/detail/go/sort.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/selector.hpp>

// Property tests from fixed seeds: random selectors over a small alphabet are parsed, printed
// and matched, and compared with a plain reference written here from the rules of
// docs/labels-and-selectors.md (String() and Requirement.Matches); random
// token soups and random bytes must never crash and must either parse or point inside the input.

namespace {

using svcdisc::selector_operator;

constexpr std::uint32_t seed = 42;

/// One generated requirement, as the reference sees it.
struct model_requirement {
    std::string key;
    selector_operator op = selector_operator::exists;
    std::vector<std::string> values; ///< as written: unsorted, possibly repeated
};

const std::vector<std::string> keys = {"a", "b", "x", "k8s.io/app", "in", "notin", "A"};
const std::vector<std::string> values = {"", "a", "b", "in", "1", "2", "01", "B"};
const std::vector<std::string> numbers = {"0", "1", "2", "01", "10", "9223372036854775807"};
const std::vector<std::string> label_values = {"",
                                               "a",
                                               "b",
                                               "in",
                                               "1",
                                               "2",
                                               "01",
                                               "B",
                                               "+2",
                                               "-5",
                                               "002",
                                               "10",
                                               "x1",
                                               "1.0",
                                               "-0",
                                               "9223372036854775807",
                                               "9223372036854775808",
                                               "-9223372036854775808"};

template <class T>
const T& pick(std::mt19937& rng, const std::vector<T>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
}

bool chance(std::mt19937& rng, int percent) {
    return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
}

std::string space(std::mt19937& rng) {
    static const std::vector<std::string> spaces = {"", "", "", " ", "  ", "\t", "\n", "\r", " \t"};
    return pick(rng, spaces);
}

/// Reference int64 test: std::from_chars plus Go's optional '+' sign.
std::optional<std::int64_t> reference_int(std::string_view text) {
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
        if (text.empty() || text.front() < '0' || text.front() > '9') {
            return std::nullopt;
        }
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

bool reference_matches(const model_requirement& r, const svcdisc::label_set& labels) {
    const auto it = labels.find(r.key);
    const bool has = it != labels.end();
    const auto listed = [&] {
        return has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    };
    switch (r.op) {
    case selector_operator::exists:
        return has;
    case selector_operator::does_not_exist:
        return !has;
    case selector_operator::equals:
    case selector_operator::double_equals:
    case selector_operator::in:
        return listed();
    case selector_operator::not_equals:
    case selector_operator::not_in:
        return !listed();
    case selector_operator::greater_than:
    case selector_operator::less_than: {
        if (!has) {
            return false;
        }
        const auto value = reference_int(it->second);
        const auto bound = reference_int(r.values.front());
        if (!value || !bound) {
            return false;
        }
        return r.op == selector_operator::greater_than ? *value > *bound : *value < *bound;
    }
    }
    return false;
}

bool reference_matches(const std::vector<model_requirement>& selector,
                       const svcdisc::label_set& labels) {
    return std::all_of(selector.begin(), selector.end(),
                       [&](const model_requirement& r) { return reference_matches(r, labels); });
}

/// Reference String(): stable key order (what Go's sort.Sort gives for up to 12 requirements),
/// sorted unique values for sets.
std::string reference_string(std::vector<model_requirement> selector) {
    std::stable_sort(
        selector.begin(), selector.end(),
        [](const model_requirement& a, const model_requirement& b) { return a.key < b.key; });
    std::string out;
    for (const model_requirement& r : selector) {
        if (!out.empty()) {
            out += ',';
        }
        std::vector<std::string> set = r.values;
        std::sort(set.begin(), set.end());
        set.erase(std::unique(set.begin(), set.end()), set.end());
        std::string joined;
        for (std::size_t i = 0; i < set.size(); ++i) {
            joined += (i == 0 ? "" : ",") + set[i];
        }
        switch (r.op) {
        case selector_operator::exists:
            out += r.key;
            break;
        case selector_operator::does_not_exist:
            out += "!" + r.key;
            break;
        case selector_operator::equals:
            out += r.key + "=" + r.values[0];
            break;
        case selector_operator::double_equals:
            out += r.key + "==" + r.values[0];
            break;
        case selector_operator::not_equals:
            out += r.key + "!=" + r.values[0];
            break;
        case selector_operator::in:
            out += r.key + " in (" + joined + ")";
            break;
        case selector_operator::not_in:
            out += r.key + " notin (" + joined + ")";
            break;
        case selector_operator::greater_than:
            out += r.key + ">" + r.values[0];
            break;
        case selector_operator::less_than:
            out += r.key + "<" + r.values[0];
            break;
        }
    }
    return out;
}

/// A random valid selector of `min_count` to `max_count` requirements: its model and a text with
/// random spacing, order and duplicates.
std::pair<std::vector<model_requirement>, std::string>
random_selector(std::mt19937& rng, int min_count = 0, int max_count = 5) {
    std::vector<model_requirement> model;
    std::string text = space(rng);
    const int count = std::uniform_int_distribution<int>(min_count, max_count)(rng);
    for (int i = 0; i < count; ++i) {
        model_requirement r;
        r.key = pick(rng, keys);
        r.op = static_cast<selector_operator>(std::uniform_int_distribution<int>(0, 8)(rng));
        if (i != 0) {
            text += "," + space(rng);
        }
        switch (r.op) {
        case selector_operator::exists:
            text += r.key;
            break;
        case selector_operator::does_not_exist:
            text += "!" + space(rng) + r.key;
            break;
        case selector_operator::in:
        case selector_operator::not_in: {
            // Empty entries may follow each other: since Kubernetes 1.35 any run of commas
            // parses (selector_test, "parseIdentifiersList: every run of commas is accepted").
            const int n = std::uniform_int_distribution<int>(1, 4)(rng);
            for (int v = 0; v < n; ++v) {
                r.values.push_back(pick(rng, values));
            }
            text += r.key + " " + space(rng) + (r.op == selector_operator::in ? "in" : "notin") +
                    space(rng) + "(";
            for (std::size_t v = 0; v < r.values.size(); ++v) {
                text += (v == 0 ? "" : ",") + space(rng) + r.values[v] + space(rng);
            }
            text += ")";
            break;
        }
        case selector_operator::greater_than:
        case selector_operator::less_than:
            r.values.push_back(pick(rng, numbers));
            text += r.key + space(rng) + (r.op == selector_operator::greater_than ? ">" : "<") +
                    space(rng) + r.values[0];
            break;
        default: {
            r.values.push_back(pick(rng, values));
            const std::string_view op = r.op == selector_operator::equals          ? "="
                                        : r.op == selector_operator::double_equals ? "=="
                                                                                   : "!=";
            text += r.key + space(rng) + std::string(op) + space(rng) + r.values[0];
            break;
        }
        }
        text += space(rng);
        model.push_back(std::move(r));
    }
    return {std::move(model), std::move(text)};
}

svcdisc::label_set random_labels(std::mt19937& rng) {
    svcdisc::label_set labels;
    const int count = std::uniform_int_distribution<int>(0, 4)(rng);
    for (int i = 0; i < count; ++i) {
        labels.insert_or_assign(pick(rng, keys), pick(rng, label_values));
    }
    return labels;
}

/// Either the text parses and its canonical form is a fixed point, or the error points inside
/// the text (or just past its end). Returns whether it parsed.
bool check_parse_or_positioned_error(std::string_view text) {
    const auto parsed = svcdisc::try_parse_selector(text);
    if (!parsed) {
        CHECK(parsed.error().offset <= text.size());
        CHECK_FALSE(parsed.error().message.empty());
        return false;
    }
    const std::string canonical = svcdisc::to_string(*parsed);
    const auto reparsed = svcdisc::try_parse_selector(canonical);
    REQUIRE(reparsed.has_value());
    CHECK(*reparsed == *parsed);
    CHECK(svcdisc::to_string(*reparsed) == canonical);
    return true;
}

} // namespace

TEST_CASE("property: random valid selectors parse, print like the reference and re-parse") {
    std::mt19937 rng(seed);
    for (int i = 0; i < 3000; ++i) {
        const auto generated = random_selector(rng);
        const std::string& text = generated.second;
        CAPTURE(text);
        const auto parsed = svcdisc::try_parse_selector(text);
        REQUIRE_MESSAGE(parsed.has_value(), parsed.error().message);
        const std::string canonical = svcdisc::to_string(*parsed);
        CHECK(canonical == reference_string(generated.first));
        const auto reparsed = svcdisc::try_parse_selector(canonical);
        REQUIRE(reparsed.has_value());
        CHECK(*reparsed == *parsed);
        CHECK(svcdisc::to_string(*reparsed) == canonical);
    }
}

TEST_CASE("property: matching agrees with the reference on random label sets") {
    std::mt19937 rng(seed + 1);
    int matched = 0;
    for (int i = 0; i < 3000; ++i) {
        const auto generated = random_selector(rng);
        const std::string& text = generated.second;
        CAPTURE(text);
        const auto selector = svcdisc::parse_selector(text);
        for (int j = 0; j < 20; ++j) {
            const auto labels = random_labels(rng);
            const bool expected = reference_matches(generated.first, labels);
            matched += expected ? 1 : 0;
            if (selector.matches(labels) != expected) {
                CAPTURE(svcdisc::to_string(selector));
                FAIL_CHECK("mismatch on a label set of size " << labels.size());
            }
        }
    }
    // The generator must exercise both outcomes for the comparison to mean something.
    CHECK(matched > 5000);
    CHECK(matched < 55000);
}

TEST_CASE("property: up to 12 requirements are in stable key order, as Go's insertion sort") {
    std::mt19937 rng(seed + 7);
    for (int i = 0; i < 2000; ++i) {
        const auto generated = random_selector(rng, 0, 12);
        CAPTURE(generated.second);
        const auto parsed = svcdisc::parse_selector(generated.second);
        CHECK(svcdisc::to_string(parsed) == reference_string(generated.first));
    }
}

TEST_CASE("property: 13 or more requirements are in the order Go's sort.Sort leaves them in") {
    std::mt19937 rng(seed + 8);
    for (int i = 0; i < 500; ++i) {
        const auto generated = random_selector(rng, 13, 40);
        CAPTURE(generated.second);
        const auto parsed = svcdisc::parse_selector(generated.second);
        // labels.Parse sorts the requirements as written with sort.Sort(ByKey(…)).
        std::vector<std::size_t> order(generated.first.size());
        for (std::size_t r = 0; r < order.size(); ++r) {
            order[r] = r;
        }
        svcdisc::detail::go::sort(
            order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) {
                return generated.first[a].key < generated.first[b].key;
            },
            svcdisc::detail::go::xorshift_variant::go1_24);
        const auto requirements = parsed.requirements();
        REQUIRE(requirements.size() == order.size());
        for (std::size_t r = 0; r < order.size(); ++r) {
            const model_requirement& expected = generated.first[order[r]];
            CHECK(requirements[r].key() == expected.key);
            CHECK(requirements[r].op() == expected.op);
        }
    }
}

TEST_CASE("property: matching does not depend on the order of 13 or more requirements") {
    // A few requirements written several times over: 13 to 40 requirements that repeat keys,
    // yet satisfiable often enough for both outcomes to be exercised.
    std::mt19937 rng(seed + 9);
    int matched = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto base = random_selector(rng, 3, 5);
        const auto copies = static_cast<int>((13 + base.first.size() - 1) / base.first.size());
        std::vector<model_requirement> model;
        std::string text;
        for (int copy = 0; copy < copies; ++copy) {
            model.insert(model.end(), base.first.begin(), base.first.end());
            text += (copy == 0 ? "" : ",") + base.second;
        }
        CAPTURE(text);
        const auto selector = svcdisc::parse_selector(text);
        REQUIRE(selector.requirements().size() >= 13);
        for (int j = 0; j < 20; ++j) {
            const auto labels = random_labels(rng);
            const bool expected = reference_matches(model, labels);
            matched += expected ? 1 : 0;
            CHECK(selector.matches(labels) == expected);
        }
    }
    CHECK(matched > 100);
    CHECK(matched < 19500);
}

TEST_CASE("property: label_set, std::map and a vector of pairs match alike, large sets too") {
    // Pods with up to 60 labels send label_set matching through its binary-search path; the
    // other containers go through find_label.
    std::vector<std::string> many_keys = keys;
    for (int i = 0; i < 60; ++i) {
        many_keys.push_back("k" + std::to_string(i));
    }
    std::mt19937 rng(seed + 5);
    for (int i = 0; i < 400; ++i) {
        const auto generated = random_selector(rng);
        const auto selector = svcdisc::parse_selector(generated.second);
        CAPTURE(generated.second);
        for (int j = 0; j < 10; ++j) {
            svcdisc::label_set labels;
            const int count = std::uniform_int_distribution<int>(0, 60)(rng);
            for (int l = 0; l < count; ++l) {
                labels.insert_or_assign(pick(rng, many_keys), pick(rng, label_values));
            }
            const std::map<std::string, std::string> ordered(labels.begin(), labels.end());
            const std::vector<std::pair<std::string, std::string>> pairs(labels.begin(),
                                                                         labels.end());
            const bool expected = reference_matches(generated.first, labels);
            CHECK(selector.matches(labels) == expected);
            CHECK(selector.matches(ordered) == expected);
            CHECK(selector.matches(pairs) == expected);
        }
    }
}

TEST_CASE("property: selector_from_set matches exactly the supersets of the set") {
    std::mt19937 rng(seed + 2);
    for (int i = 0; i < 1000; ++i) {
        const auto required = random_labels(rng);
        const auto selector = svcdisc::selector_from_set(required);
        const auto labels = random_labels(rng);
        const bool superset = std::all_of(required.begin(), required.end(), [&](const auto& e) {
            return labels.find_value(e.first) == std::optional<std::string_view>(e.second);
        });
        CHECK(selector.matches(labels) == superset);
    }
}

TEST_CASE("fuzz: random token soups never crash and either parse or give a position") {
    static const std::vector<std::string> tokens = {
        "x", "a", "in", "notin", "=", "==",      "!=", "!", "(",  ")", ",",
        ">", "<", " ",  "1",     "-", "k8s.io/", "\t", "",  "b_", ".", "01"};
    std::mt19937 rng(seed + 3);
    int accepted = 0;
    for (int i = 0; i < 5000; ++i) {
        std::string text;
        const int count = std::uniform_int_distribution<int>(0, 12)(rng);
        for (int t = 0; t < count; ++t) {
            text += pick(rng, tokens);
        }
        CAPTURE(text);
        accepted += check_parse_or_positioned_error(text) ? 1 : 0;
    }
    // Both outcomes must be common for the run to mean something.
    CHECK(accepted > 500);
    CHECK(accepted < 4500);
}

TEST_CASE("fuzz: random bytes never crash and either parse or give a position") {
    static const std::string_view grammar_bytes = "xa1 =!(),<>\t\r\n\v-_./i";
    std::mt19937 rng(seed + 4);
    int accepted = 0;
    for (int i = 0; i < 5000; ++i) {
        std::string text;
        const int length = std::uniform_int_distribution<int>(0, 40)(rng);
        for (int b = 0; b < length; ++b) {
            if (chance(rng, 70)) {
                text += grammar_bytes[std::uniform_int_distribution<std::size_t>(
                    0, grammar_bytes.size() - 1)(rng)];
            } else {
                text += static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
            }
        }
        CAPTURE(text);
        accepted += check_parse_or_positioned_error(text) ? 1 : 0;
    }
    CHECK(accepted > 100);
}
