// Fuzz target: the selector parser (labels.Parse). Oracles: parsing never crashes and errors
// point into the text; a parsed selector's canonical text reparses to the same selector and
// text; matching agrees with a reference matcher built from the requirements, for label sets
// derived from the selector, through both the sorted label_set path and the generic map path.
//
// Input: the selector text (FuzzedDataProvider's random-length string: plain text without a
// backslash is taken whole), then bytes that pick label values.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <svcdisc/labels.hpp>
#include <svcdisc/selector.hpp>

#include "fuzz_support.hpp"

using svcdisc_fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    svcdisc_fuzz::input_reader input(data, size);
    constexpr std::size_t max_text = 4096;
    const std::string text = input.raw(max_text);

    const auto parsed = svcdisc::try_parse_selector(text);
    if (!parsed) {
        require(parsed.error().offset <= text.size(), "a parse error points into the text", text);
        return 0;
    }
    const svcdisc::label_selector& selector = *parsed;

    const std::string canonical = svcdisc::to_string(selector);
    const auto reparsed = svcdisc::try_parse_selector(canonical);
    require(reparsed.has_value(), "the canonical text parses", canonical);
    require(svcdisc::to_string(*reparsed) == canonical, "the canonical text is a fixed point",
            canonical);
    require(*reparsed == selector, "the canonical text reparses to the same selector", canonical);

    std::map<std::string, std::vector<std::string>, std::less<>> candidates;
    for (const svcdisc::label_requirement& requirement : selector.requirements()) {
        auto& values = candidates[std::string(requirement.key())];
        for (const std::string& value : requirement.values()) {
            svcdisc_fuzz::add_candidate_values(values, value);
        }
        const bool ordered = requirement.op() == svcdisc::selector_operator::greater_than ||
                             requirement.op() == svcdisc::selector_operator::less_than;
        if (ordered) {
            const auto bound = svcdisc_fuzz::reference_int64(requirement.values().front());
            require(bound.has_value() && *bound == requirement.bound(),
                    "a gt/lt bound is its value read as a base-10 int64", canonical);
        }
    }

    for (const svcdisc_fuzz::plain_labels& labels :
         svcdisc_fuzz::derived_label_sets(candidates, input)) {
        bool expected = true;
        for (const svcdisc::label_requirement& requirement : selector.requirements()) {
            const std::vector<std::string> values(requirement.values().begin(),
                                                  requirement.values().end());
            const bool holds = svcdisc_fuzz::reference_matches(requirement.op(), requirement.key(),
                                                               values, labels);
            require(requirement.matches(labels) == holds,
                    "label_requirement::matches agrees with the reference", text);
            expected = expected && holds;
        }
        svcdisc::label_set sorted;
        for (const auto& [key, value] : labels) {
            sorted.insert_or_assign(key, value);
        }
        require(selector.matches(labels) == expected,
                "label_selector::matches (map) agrees with the reference", text);
        require(selector.matches(sorted) == expected,
                "label_selector::matches (label_set) agrees with the reference", text);
        require(reparsed->matches(sorted) == expected,
                "the reparsed selector matches the same label sets", canonical);
    }
    return 0;
}
