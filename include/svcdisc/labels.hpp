#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace svcdisc {

// ---------------------------------------------------------------------------------------------
// Validation of label keys and values (Kubernetes' IsQualifiedName / IsValidLabelValue).
// ---------------------------------------------------------------------------------------------

namespace detail {

constexpr bool is_ascii_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
constexpr bool is_lower_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`: the shape of a label name and of a non-empty
/// label value.
constexpr bool is_qualified_name_shape(std::string_view text) noexcept {
    if (text.empty() || !is_ascii_alnum(text.front()) || !is_ascii_alnum(text.back())) {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) {
        return is_ascii_alnum(c) || c == '-' || c == '_' || c == '.';
    });
}

/// One dot-separated piece of a DNS-1123 subdomain: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
constexpr bool is_dns1123_label_shape(std::string_view text) noexcept {
    if (text.empty() || !is_lower_alnum(text.front()) || !is_lower_alnum(text.back())) {
        return false;
    }
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return is_lower_alnum(c) || c == '-'; });
}

/// Dot-separated DNS-1123 label shapes, with no length limit: label_key_errors reports the
/// prefix's length and shape as separate problems.
constexpr bool is_dns1123_subdomain_shape(std::string_view text) noexcept {
    while (true) {
        const std::size_t dot = text.find('.');
        if (!is_dns1123_label_shape(text.substr(0, dot))) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        text.remove_prefix(dot + 1);
    }
}

inline constexpr std::string_view qualified_name_rule =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

} // namespace detail

/// Longest label name (the part after an optional prefix) and longest label value, in bytes.
inline constexpr std::size_t max_label_name_length = 63;
inline constexpr std::size_t max_label_value_length = 63;
/// Longest DNS-1123 subdomain (and so the longest label-key prefix), in bytes.
inline constexpr std::size_t max_dns1123_subdomain_length = 253;
/// Longest DNS-1123 label, in bytes.
inline constexpr std::size_t max_dns1123_label_length = 63;

/// True when `text` is a lowercase RFC-1123 subdomain (`example.com`): at most 253 bytes of
/// dot-separated labels, each `[a-z0-9]([-a-z0-9]*[a-z0-9])?`. There is no per-label length
/// limit, exactly as in Kubernetes' IsDNS1123Subdomain.
[[nodiscard]] constexpr bool is_dns1123_subdomain(std::string_view text) noexcept {
    return text.size() <= max_dns1123_subdomain_length && detail::is_dns1123_subdomain_shape(text);
}

/// True when `text` is a lowercase RFC-1123 label (`my-name`, at most 63 bytes): the rule for
/// Service port names and EndpointSlice hostnames.
[[nodiscard]] constexpr bool is_dns1123_label(std::string_view text) noexcept {
    return text.size() <= max_dns1123_label_length && detail::is_dns1123_label_shape(text);
}

/// Every reason `key` is not a valid label key, in Kubernetes' words; empty when it is valid.
///
/// A key is an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 bytes that
/// starts and ends with an ASCII alphanumeric and holds only alphanumerics, '-', '_' and '.'.
///
/// Example:
///     svcdisc::label_key_errors("example.com/app");  // {}
///     svcdisc::label_key_errors("a/b/c");            // one error
[[nodiscard]] inline std::vector<std::string> label_key_errors(std::string_view key) {
    std::vector<std::string> errors;
    const std::size_t first_slash = key.find('/');
    std::string_view name = key;
    if (first_slash != std::string_view::npos) {
        if (key.find('/', first_slash + 1) != std::string_view::npos) {
            errors.push_back("a valid label key " + std::string(detail::qualified_name_rule) +
                             " with an optional DNS subdomain prefix and '/' (e.g. "
                             "'example.com/MyName')");
            return errors;
        }
        const std::string_view prefix = key.substr(0, first_slash);
        name = key.substr(first_slash + 1);
        if (prefix.empty()) {
            errors.emplace_back("prefix part must be non-empty");
        } else {
            if (prefix.size() > max_dns1123_subdomain_length) {
                errors.emplace_back("prefix part must be no more than 253 bytes");
            }
            if (!detail::is_dns1123_subdomain_shape(prefix)) {
                errors.emplace_back(
                    "prefix part a lowercase RFC 1123 subdomain must consist of lower case "
                    "alphanumeric characters, '-' or '.', and must start and end with an "
                    "alphanumeric character (e.g. 'example.com', regex used for validation is "
                    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
            }
        }
    }
    if (name.empty()) {
        errors.emplace_back("name part must be non-empty");
    } else if (name.size() > max_label_name_length) {
        errors.emplace_back("name part must be no more than 63 bytes");
    }
    if (!detail::is_qualified_name_shape(name)) {
        errors.push_back("name part " + std::string(detail::qualified_name_rule));
    }
    return errors;
}

/// True when `key` is a valid label key (see label_key_errors); never allocates.
[[nodiscard]] constexpr bool is_valid_label_key(std::string_view key) noexcept {
    const std::size_t slash = key.find('/');
    std::string_view name = key;
    if (slash != std::string_view::npos) {
        if (key.find('/', slash + 1) != std::string_view::npos ||
            !is_dns1123_subdomain(key.substr(0, slash))) {
            return false;
        }
        name = key.substr(slash + 1);
    }
    return name.size() <= max_label_name_length && detail::is_qualified_name_shape(name);
}

/// Every reason `value` is not a valid label value, in Kubernetes' words; empty when valid.
/// The empty string is a valid value.
[[nodiscard]] inline std::vector<std::string> label_value_errors(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > max_label_value_length) {
        errors.emplace_back("must be no more than 63 bytes");
    }
    if (!value.empty() && !detail::is_qualified_name_shape(value)) {
        errors.emplace_back(
            "a valid label value must be an empty string or consist of alphanumeric characters, "
            "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
            "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }
    return errors;
}

/// True when `value` is a valid label value (see label_value_errors); never allocates.
[[nodiscard]] constexpr bool is_valid_label_value(std::string_view value) noexcept {
    return value.size() <= max_label_value_length &&
           (value.empty() || detail::is_qualified_name_shape(value));
}

// ---------------------------------------------------------------------------------------------
// Label sets.
// ---------------------------------------------------------------------------------------------

/// Anything that iterates as (key, value) pairs of string-like things: `label_set`,
/// `std::map<std::string, std::string>`, `std::unordered_map`, a vector of pairs …
template <class Labels>
concept label_map = requires(const Labels& labels) {
    std::begin(labels);
    std::end(labels);
    { std::begin(labels)->first } -> std::convertible_to<std::string_view>;
    { std::begin(labels)->second } -> std::convertible_to<std::string_view>;
};

/// A small map of labels (or annotations) kept sorted by key, byte-wise, with
/// `std::string_view` lookup that never allocates.
///
/// It does not validate: Kubernetes validates labels when an object is stored, and svcdisc's
/// readers do so on ingest (see label_key_errors / label_value_errors).
///
/// Example:
///     svcdisc::label_set labels{{"app", "MyApp"}, {"tier", "web"}};
///     labels.find_value("app");  // "MyApp"
template <class String>
class basic_label_set {
  public:
    using key_type = String;
    using mapped_type = String;
    using value_type = std::pair<String, String>;
    using size_type = std::size_t;
    using const_iterator = typename std::vector<value_type>::const_iterator;
    using iterator = const_iterator;

    basic_label_set() = default;

    /// Later entries with an already-seen key replace earlier ones (as in a JSON object).
    basic_label_set(std::initializer_list<value_type> entries) {
        for (const auto& [key, value] : entries) {
            insert_or_assign(key, value);
        }
    }

    /// From any map-like range, e.g. a `std::map<std::string, std::string>`.
    template <label_map Labels>
    requires(!std::same_as<std::remove_cvref_t<Labels>, basic_label_set>) explicit basic_label_set(
        const Labels& labels) {
        for (const auto& [key, value] : labels) {
            insert_or_assign(std::string_view(key), std::string_view(value));
        }
    }

    [[nodiscard]] size_type size() const noexcept { return entries_.size(); }
    [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }
    [[nodiscard]] const_iterator begin() const noexcept { return entries_.begin(); }
    [[nodiscard]] const_iterator end() const noexcept { return entries_.end(); }

    /// The entry for `key`, or end().
    [[nodiscard]] const_iterator find(std::string_view key) const noexcept {
        const auto it = lower_bound(key);
        return (it != entries_.end() && std::string_view(it->first) == key) ? it : entries_.end();
    }
    [[nodiscard]] bool contains(std::string_view key) const noexcept { return find(key) != end(); }

    /// The value stored under `key`, if any.
    [[nodiscard]] std::optional<std::string_view> find_value(std::string_view key) const noexcept {
        const auto it = find(key);
        if (it == entries_.end()) {
            return std::nullopt;
        }
        return std::string_view(it->second);
    }

    /// Sets `key` to `value`; returns true when the key was new.
    bool insert_or_assign(std::string_view key, std::string_view value) {
        const auto it = lower_bound(key);
        if (it != entries_.end() && std::string_view(it->first) == key) {
            entries_[static_cast<std::size_t>(it - entries_.begin())].second = String(value);
            return false;
        }
        entries_.insert(entries_.begin() + (it - entries_.cbegin()),
                        value_type(String(key), String(value)));
        return true;
    }

    /// Removes `key`; returns true when it was there.
    bool erase(std::string_view key) {
        const auto it = find(key);
        if (it == entries_.end()) {
            return false;
        }
        entries_.erase(entries_.begin() + (it - entries_.cbegin()));
        return true;
    }

    void clear() noexcept { entries_.clear(); }

    friend bool operator==(const basic_label_set&, const basic_label_set&) = default;

  private:
    [[nodiscard]] const_iterator lower_bound(std::string_view key) const noexcept {
        return std::lower_bound(entries_.begin(), entries_.end(), key,
                                [](const value_type& entry, std::string_view wanted) {
                                    return std::string_view(entry.first) < wanted;
                                });
    }

    std::vector<value_type> entries_;
};

/// Labels with `std::string` keys and values.
using label_set = basic_label_set<std::string>;

namespace detail {
template <class T>
inline constexpr bool is_basic_label_set_v = false;
template <class String>
inline constexpr bool is_basic_label_set_v<basic_label_set<String>> = true;

template <class Labels>
concept has_transparent_find = requires(const Labels& labels, std::string_view key) {
    { labels.find(key) == labels.end() } -> std::convertible_to<bool>;
};
} // namespace detail

/// The value of label `key` in any label_map, or nullopt when the key is absent. Never
/// allocates: it uses the map's own string_view lookup where it has one and a linear scan
/// otherwise (label maps are small).
template <label_map Labels>
[[nodiscard]] std::optional<std::string_view> find_label(const Labels& labels,
                                                         std::string_view key) noexcept {
    if constexpr (detail::has_transparent_find<Labels>) {
        const auto it = labels.find(key);
        if (it == labels.end()) {
            return std::nullopt;
        }
        return std::string_view(it->second);
    } else {
        for (const auto& [entry_key, entry_value] : labels) {
            if (std::string_view(entry_key) == key) {
                return std::string_view(entry_value);
            }
        }
        return std::nullopt;
    }
}

} // namespace svcdisc
