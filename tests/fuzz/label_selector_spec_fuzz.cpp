// Fuzz target: metav1.LabelSelector conversion (LabelSelectorAsSelector, ValidateLabelSelector,
// ParseToLabelSelector). A spec's matchLabels and matchExpressions are built from the input,
// mostly from small tables so that keys repeat and values are often valid. Oracles: conversion
// succeeds exactly when validation reports nothing; a converted selector matches what the spec
// means (a reference written here) on label sets derived from the spec; its canonical text
// parses, and that selector and the spec read back from the text match the same label sets.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/label_selector.hpp>
#include <svcdisc/selector.hpp>

#include "fuzz_support.hpp"

namespace {

using svcdisc_fuzz::require;

constexpr std::array<std::string_view, 7> key_table{
    "app", "tier", "example.com/team", "a", "Version", "x/y/z", "-bad"};
constexpr std::array<std::string_view, 7> value_table{"web",  "db",        "", "1",
                                                      "v1.2", "bad value", "x"};
constexpr std::array<std::string_view, 6> operator_table{"In",           "NotIn", "Exists",
                                                         "DoesNotExist", "in",    "Gt"};

template <class Table>
std::string text_from(svcdisc_fuzz::input_reader& input, const Table& table) {
    // One time in eight the text comes raw from the input.
    if (input.count(7) == 0) {
        constexpr std::size_t max_raw = 80;
        return input.raw(max_raw);
    }
    return std::string(input.pick(table));
}

svcdisc::label_selector_spec spec_from(svcdisc_fuzz::input_reader& input) {
    svcdisc::label_selector_spec spec;
    const std::size_t label_count = input.count(4);
    for (std::size_t i = 0; i < label_count; ++i) {
        const std::string key = text_from(input, key_table);
        spec.match_labels.insert_or_assign(key, text_from(input, value_table));
    }
    const std::size_t expression_count = input.count(4);
    for (std::size_t i = 0; i < expression_count; ++i) {
        svcdisc::label_selector_expression& expression = spec.match_expressions.emplace_back();
        expression.key = text_from(input, key_table);
        expression.op = text_from(input, operator_table);
        const std::size_t value_count = input.count(3);
        for (std::size_t v = 0; v < value_count; ++v) {
            expression.values.push_back(text_from(input, value_table));
        }
    }
    return spec;
}

std::optional<svcdisc::selector_operator> reference_operator(std::string_view op) {
    if (op == "In") {
        return svcdisc::selector_operator::in;
    }
    if (op == "NotIn") {
        return svcdisc::selector_operator::not_in;
    }
    if (op == "Exists") {
        return svcdisc::selector_operator::exists;
    }
    if (op == "DoesNotExist") {
        return svcdisc::selector_operator::does_not_exist;
    }
    return std::nullopt;
}

/// What a valid spec means: every matchLabels entry equal, every expression true.
bool reference_matches(const svcdisc::label_selector_spec& spec,
                       const svcdisc_fuzz::plain_labels& labels) {
    for (const auto& [key, value] : spec.match_labels) {
        const auto found = labels.find(std::string_view(key));
        if (found == labels.end() || found->second != value) {
            return false;
        }
    }
    for (const svcdisc::label_selector_expression& expression : spec.match_expressions) {
        if (!svcdisc_fuzz::reference_matches(*reference_operator(expression.op), expression.key,
                                             expression.values, labels)) {
            return false;
        }
    }
    return true;
}

std::map<std::string, std::vector<std::string>, std::less<>>
candidates_of(const svcdisc::label_selector_spec& spec) {
    std::map<std::string, std::vector<std::string>, std::less<>> candidates;
    for (const auto& [key, value] : spec.match_labels) {
        candidates[key].push_back(value);
    }
    for (const svcdisc::label_selector_expression& expression : spec.match_expressions) {
        auto& list = candidates[expression.key];
        list.insert(list.end(), expression.values.begin(), expression.values.end());
    }
    return candidates;
}

bool has_repeated_values(const svcdisc::label_selector& selector) {
    for (const svcdisc::label_requirement& requirement : selector.requirements()) {
        std::vector<std::string> values(requirement.values().begin(), requirement.values().end());
        std::sort(values.begin(), values.end());
        if (std::adjacent_find(values.begin(), values.end()) != values.end()) {
            return true;
        }
    }
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    svcdisc_fuzz::input_reader input(data, size);
    const svcdisc::label_selector_spec spec = spec_from(input);

    const auto converted = svcdisc::to_label_selector(spec);
    const std::vector<std::string> problems = svcdisc::validate_label_selector_spec(spec);
    require(converted.has_value() == problems.empty(),
            "LabelSelectorAsSelector succeeds exactly when ValidateLabelSelector is silent",
            converted ? "converted" : converted.error().message);
    if (!converted) {
        return 0;
    }
    const std::string canonical = svcdisc::to_string(*converted);
    const auto label_sets = svcdisc_fuzz::derived_label_sets(candidates_of(spec), input);
    for (const svcdisc_fuzz::plain_labels& labels : label_sets) {
        require(converted->matches(labels) == reference_matches(spec, labels),
                "the converted selector matches what the spec means", canonical);
    }
    // String() keeps repeated values, and the text of some repeats does not parse, upstream
    // as here: `in (,,)` (three empty values) is rejected by labels.Parse.
    if (has_repeated_values(*converted)) {
        return 0;
    }
    const auto reparsed = svcdisc::try_parse_selector(canonical);
    require(reparsed.has_value(), "a converted selector's text parses", canonical);
    const auto spec_again = svcdisc::parse_label_selector_spec(canonical);
    require(spec_again.has_value(), "ParseToLabelSelector reads a converted selector's text",
            canonical);
    const auto converted_again = svcdisc::to_label_selector(*spec_again);
    require(converted_again.has_value(), "the spec read back converts", canonical);
    for (const svcdisc_fuzz::plain_labels& labels : label_sets) {
        const bool expected = converted->matches(labels);
        require(reparsed->matches(labels) == expected,
                "the reparsed canonical text matches the same label sets", canonical);
        require(converted_again->matches(labels) == expected,
                "the spec read back matches the same label sets", canonical);
    }
    return 0;
}
