// Fuzz target: label key and value validation (IsQualifiedName, IsValidLabelValue, the DNS-1123
// rules). Oracles: the boolean checks agree with the error lists and with reference validators
// written here from docs/labels-and-selectors.md; a valid key and value make a selector
// `key=value` and `key in (value)` that parse back to exactly that key and value, and
// ConvertSelectorToLabelsMap reads `key=value` as that one label.
//
// Input: a key (FuzzedDataProvider's random-length string), the rest is the value.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <svcdisc/labels.hpp>
#include <svcdisc/selector.hpp>

#include "fuzz_support.hpp"

namespace {

using svcdisc_fuzz::require;

bool is_alphanumeric(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool is_lower_alphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 bytes.
bool reference_name(std::string_view text) {
    if (text.empty() || text.size() > 63 || !is_alphanumeric(text.front()) ||
        !is_alphanumeric(text.back())) {
        return false;
    }
    for (const char c : text) {
        if (!is_alphanumeric(c) && c != '-' && c != '_' && c != '.') {
            return false;
        }
    }
    return true;
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, without a length limit.
bool reference_dns_label_shape(std::string_view text) {
    if (text.empty() || !is_lower_alphanumeric(text.front()) ||
        !is_lower_alphanumeric(text.back())) {
        return false;
    }
    for (const char c : text) {
        if (!is_lower_alphanumeric(c) && c != '-') {
            return false;
        }
    }
    return true;
}

bool reference_subdomain(std::string_view text) {
    if (text.empty() || text.size() > 253) {
        return false;
    }
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = text.find('.', start);
        if (!reference_dns_label_shape(text.substr(start, dot - start))) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        start = dot + 1;
    }
}

bool reference_key(std::string_view key) {
    const std::size_t slash = key.find('/');
    if (slash == std::string_view::npos) {
        return reference_name(key);
    }
    if (key.find('/', slash + 1) != std::string_view::npos) {
        return false;
    }
    return reference_subdomain(key.substr(0, slash)) && reference_name(key.substr(slash + 1));
}

bool reference_value(std::string_view value) {
    return value.empty() || reference_name(value);
}

void check_text(std::string_view text) {
    const bool key = svcdisc::is_valid_label_key(text);
    require(key == svcdisc::label_key_errors(text).empty(), "is_valid_label_key = no key errors");
    require(key == reference_key(text), "is_valid_label_key agrees with the reference");
    const bool value = svcdisc::is_valid_label_value(text);
    require(value == svcdisc::label_value_errors(text).empty(),
            "is_valid_label_value = no value errors");
    require(value == reference_value(text), "is_valid_label_value agrees with the reference");
    require(svcdisc::is_dns1123_subdomain(text) == reference_subdomain(text),
            "is_dns1123_subdomain agrees with the reference");
    require(svcdisc::is_dns1123_label(text) ==
                (text.size() <= 63 && reference_dns_label_shape(text)),
            "is_dns1123_label agrees with the reference");
}

void check_pair(std::string_view key, std::string_view value) {
    if (!svcdisc::is_valid_label_key(key) || !svcdisc::is_valid_label_value(value)) {
        return;
    }
    const std::string joined = std::string(key) + "=" + std::string(value);
    for (const std::string& text :
         {joined, std::string(key) + " in (" + std::string(value) + ")"}) {
        const auto parsed = svcdisc::try_parse_selector(text);
        require(parsed.has_value(), "a valid key and value parse as a selector", text);
        require(parsed->requirements().size() == 1 && parsed->requirements()[0].key() == key &&
                    parsed->requirements()[0].values().size() == 1 &&
                    parsed->requirements()[0].values()[0] == value,
                "the selector holds that key and value", text);
    }
    const auto labels = svcdisc::convert_selector_to_labels_map(joined);
    require(labels.has_value() && labels->size() == 1 && labels->find_value(key) == value,
            "ConvertSelectorToLabelsMap reads the one label", joined);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    svcdisc_fuzz::input_reader input(data, size);
    constexpr std::size_t max_key = 512;
    const std::string key = input.raw(max_key);
    const std::string value = input.provider().ConsumeRemainingBytesAsString();
    check_text(key);
    check_text(value);
    check_pair(key, value);
    return 0;
}
