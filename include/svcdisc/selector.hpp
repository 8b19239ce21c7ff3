#pragma once

/// Label selectors as Kubernetes' k8s.io/apimachinery `labels` package defines them
/// (docs/labels-and-selectors.md):
///
///   selector_operator, label_requirement, label_selector   the parsed form (Requirement,
///                                                          Selector); label_selector::matches
///   try_parse_selector(text) / parse_selector(text)       labels.Parse
///   make_requirement(key, op, values)                     labels.NewRequirement
///   to_string(requirement | selector)                     String()
///   selector_from_set(map)                                labels.SelectorFromSet
///   convert_selector_to_labels_map(text)                  labels.ConvertSelectorToLabelsMap
///   parse_go_int64(text, out)                             the `>`/`<` integer rule (go_text.hpp)
///
/// The lexer, parser and NewRequirement's checks live in detail/selector/.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/go/utf8.hpp>
#include <svcdisc/detail/selector/field_errors.hpp>
#include <svcdisc/detail/selector/key_order.hpp>
#include <svcdisc/detail/selector/operator.hpp>
#include <svcdisc/detail/selector/parser.hpp>
#include <svcdisc/detail/util/bytes.hpp>
#include <svcdisc/go_text.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/result.hpp>

namespace svcdisc {

class label_requirement;
class label_selector;

namespace detail::selectors {
struct access;
} // namespace detail::selectors

/// One requirement of a label selector (Kubernetes' labels.Requirement): a key, an operator
/// and its values.
///
/// Build one with make_requirement (which applies Kubernetes' NewRequirement checks) or get
/// them from a parsed selector's requirements().
///
/// Example:
///     auto req = svcdisc::make_requirement("tier", svcdisc::selector_operator::in,
///                                          {"web", "api"}).value();
///     req.matches(svcdisc::label_set{{"tier", "web"}});  // true
class label_requirement {
  public:
    /// The label key this requirement looks at.
    [[nodiscard]] std::string_view key() const noexcept { return key_; }

    /// The operator.
    [[nodiscard]] selector_operator op() const noexcept { return op_; }

    /// The values: none for exists/does_not_exist, one for `=`, `==`, `!=`, `>`, `<`, one or
    /// more for in/not_in. In a parsed selector they are sorted byte-wise and de-duplicated;
    /// make_requirement keeps them as given, exactly as Kubernetes does.
    [[nodiscard]] std::span<const std::string> values() const noexcept {
        if (single_) {
            return {&single_value_, 1};
        }
        return values_;
    }

    /// For greater_than/less_than: the integer the value parsed to (0 for other operators).
    [[nodiscard]] std::int64_t bound() const noexcept { return bound_; }

    /// True when `labels` satisfy this requirement (Kubernetes' Requirement.Matches). `!=` and
    /// `notin` match a label set without the key; `>`/`<` never match a value that is not a base-10
    /// int64. Never allocates, never throws.
    ///
    /// Example:
    ///     svcdisc::parse_selector("env!=prod").requirements()[0].matches(
    ///         svcdisc::label_set{});  // true: the key is absent
    template <label_map Labels>
    [[nodiscard]] bool matches(const Labels& labels) const noexcept {
        return matches_value(find_label(labels, key_));
    }

    /// The same decision given the value of this requirement's key in some label set, nullopt
    /// when the key is absent. For callers that have already looked the key up, e.g. an index.
    [[nodiscard]] bool matches_value(std::optional<std::string_view> value) const noexcept {
        switch (op_) {
        case selector_operator::exists:
            return value.has_value();
        case selector_operator::does_not_exist:
            return !value.has_value();
        case selector_operator::equals:
        case selector_operator::double_equals:
        case selector_operator::in:
            return value.has_value() && has_value(*value);
        case selector_operator::not_equals:
        case selector_operator::not_in:
            return !value.has_value() || !has_value(*value);
        case selector_operator::greater_than:
        case selector_operator::less_than: {
            std::int64_t number = 0;
            if (!value.has_value() || !parse_go_int64(*value, number)) {
                return false;
            }
            return op_ == selector_operator::greater_than ? number > bound_ : number < bound_;
        }
        }
        return false;
    }

    friend bool operator==(const label_requirement&, const label_requirement&) = default;

  private:
    friend struct detail::selectors::access;

    label_requirement(std::string key, selector_operator op, std::vector<std::string> values,
                      std::int64_t bound) noexcept
        : key_(std::move(key)), bound_(bound), op_(op) {
        if (values.size() == 1) {
            single_value_ = std::move(values.front());
            single_ = true;
        } else {
            values_ = std::move(values);
        }
    }

    label_requirement(std::string_view key, selector_operator op, std::string_view value,
                      std::int64_t bound)
        : key_(key), single_value_(value), bound_(bound), op_(op), single_(true) {}

    [[nodiscard]] bool has_value(std::string_view value) const noexcept {
        if (single_) {
            return detail::bytes_equal(single_value_, value);
        }
        for (const std::string& candidate : values_) {
            if (detail::bytes_equal(candidate, value)) {
                return true;
            }
        }
        return false;
    }

    std::string key_;
    // Most requirements have exactly one value; keeping it inline saves an allocation per
    // requirement when parsing and a pointer hop when matching.
    std::string single_value_;
    std::vector<std::string> values_;
    std::int64_t bound_ = 0;
    selector_operator op_ = selector_operator::exists;
    bool single_ = false;
};

namespace detail::selectors {

/// Upstream's `sort.Sort(ByKey(…))` on built requirements.
inline void sort_requirements(std::vector<label_requirement>& requirements) {
    sort_by_key(requirements.begin(), requirements.end(),
                [](const label_requirement& r) { return r.key(); });
}

} // namespace detail::selectors

/// A label selector (Kubernetes' labels.Selector): the AND of its requirements, kept sorted by
/// key.
///
/// A default-constructed selector has no requirements and matches everything, like
/// `parse_selector("")`. `nothing()` is the one selector that matches no label set.
///
/// Requirements are ordered by key exactly as Kubernetes orders them, with Go's `sort.Sort`
/// (docs/labels-and-selectors.md): up to 12 requirements keep the input order among equal keys,
/// while 13 or more that repeat a key may be reordered among themselves, the same way upstream
/// reorders them. Matching does not depend on that order.
///
/// Example:
///     auto selector = svcdisc::parse_selector("tier in (web,api),!canary");
///     selector.matches(svcdisc::label_set{{"tier", "web"}});  // true
///     svcdisc::to_string(selector);                           // "!canary,tier in (api,web)"
class label_selector {
  public:
    label_selector() = default;

    /// The selector with no requirements: matches every label set.
    [[nodiscard]] static label_selector everything() { return {}; }

    /// The selector that matches nothing (Kubernetes' `Nothing()`, what a nil metav1
    /// LabelSelector converts to). It prints as "" and adding requirements does nothing.
    [[nodiscard]] static label_selector nothing() {
        label_selector selector;
        selector.nothing_ = true;
        return selector;
    }

    /// The requirements, sorted by key in Kubernetes' order (see the class comment).
    [[nodiscard]] std::span<const label_requirement> requirements() const noexcept {
        return requirements_;
    }

    /// True when the selector does not restrict anything: no requirements and not nothing().
    [[nodiscard]] bool empty() const noexcept { return !nothing_ && requirements_.empty(); }

    /// True for nothing().
    [[nodiscard]] bool is_nothing() const noexcept { return nothing_; }

    /// Adds a requirement as Kubernetes' `Selector.Add` does: appended, then all requirements
    /// sorted by key again with Go's `sort.Sort`. Up to 12 requirements that puts it after any
    /// with the same key; from 13 on, equal keys may be reordered as upstream reorders them.
    /// A no-op on nothing().
    void add(label_requirement requirement) {
        if (nothing_) {
            return;
        }
        requirements_.push_back(std::move(requirement));
        detail::selectors::sort_requirements(requirements_);
    }

    /// True when every requirement matches `labels` (always for an empty selector, never for
    /// nothing()). Never allocates, never throws.
    ///
    /// Example:
    ///     svcdisc::parse_selector("app=web").matches(
    ///         std::map<std::string, std::string>{{"app", "web"}});  // true
    template <label_map Labels>
    [[nodiscard]] bool matches(const Labels& labels) const noexcept {
        if (nothing_) {
            return false;
        }
        if constexpr (detail::is_basic_label_set_v<Labels>) {
            return matches_sorted(labels);
        } else {
            return std::all_of(requirements_.begin(), requirements_.end(),
                               [&labels](const label_requirement& r) { return r.matches(labels); });
        }
    }

    /// The value `key` must have when the first requirement on `key` is `=`, `==` or an `in`
    /// with exactly one value (Kubernetes' RequiresExactMatch); nullopt otherwise.
    [[nodiscard]] std::optional<std::string_view>
    requires_exact_match(std::string_view key) const noexcept {
        for (const label_requirement& r : requirements_) {
            if (r.key() != key) {
                continue;
            }
            const bool exact = r.op() == selector_operator::equals ||
                               r.op() == selector_operator::double_equals ||
                               r.op() == selector_operator::in;
            if (exact && r.values().size() == 1) {
                return std::string_view(r.values().front());
            }
            return std::nullopt;
        }
        return std::nullopt;
    }

    friend bool operator==(const label_selector&, const label_selector&) = default;

  private:
    friend struct detail::selectors::access;

    /// Requirements and a label_set are both sorted by key, so the entry for each requirement's
    /// key, when there is one, is never before the entry found for the previous requirement.
    /// Short stretches are scanned comparing sizes first, which reads only the entries
    /// themselves; long ones are binary-searched.
    template <class String>
    [[nodiscard]] bool matches_sorted(const basic_label_set<String>& labels) const noexcept {
        auto from = labels.begin();
        const auto end = labels.end();
        constexpr std::ptrdiff_t linear_scan_limit = 16;
        for (const label_requirement& requirement : requirements_) {
            const std::string_view key = requirement.key();
            std::optional<std::string_view> value;
            if (end - from > linear_scan_limit) {
                from = std::partition_point(from, end, [key](const auto& entry) {
                    return detail::compare_bytes(std::string_view(entry.first), key) < 0;
                });
                if (from != end && detail::bytes_equal(std::string_view(from->first), key)) {
                    value = std::string_view(from->second);
                }
            } else {
                for (auto entry = from; entry != end; ++entry) {
                    const std::string_view entry_key(entry->first);
                    if (entry_key.size() == key.size() && detail::bytes_equal(entry_key, key)) {
                        value = std::string_view(entry->second);
                        from = entry;
                        break;
                    }
                }
            }
            if (!requirement.matches_value(value)) {
                return false;
            }
        }
        return true;
    }

    std::vector<label_requirement> requirements_;
    bool nothing_ = false;
};

namespace detail::selectors {

/// The only way to build requirements and selectors without the public checks: the parser
/// has already checked them, and selector_from_set deliberately does not (as upstream).
struct access {
    static label_requirement make(std::string key, selector_operator op,
                                  std::vector<std::string> values, std::int64_t bound) noexcept {
        return label_requirement(std::move(key), op, std::move(values), bound);
    }
    static label_requirement make(std::string_view key, selector_operator op,
                                  std::string_view value, std::int64_t bound) {
        return label_requirement(key, op, value, bound);
    }

    /// The selector of a parse: requirements already in Kubernetes' key order, their values located
    /// in the parsed text (each key and value is copied here, once).
    static label_selector build(std::span<const parser::pending_requirement> parsed,
                                std::span<const located_value> values) {
        std::vector<label_requirement> requirements;
        requirements.reserve(parsed.size());
        for (const parser::pending_requirement& p : parsed) {
            if (p.value_count == 1) {
                requirements.push_back(make(p.key, p.op, values[p.first_value].text, p.bound));
                continue;
            }
            std::vector<std::string> copies;
            copies.reserve(p.value_count);
            for (std::size_t i = 0; i < p.value_count; ++i) {
                copies.emplace_back(values[p.first_value + i].text);
            }
            requirements.push_back(make(std::string(p.key), p.op, std::move(copies), p.bound));
        }
        label_selector selector;
        selector.requirements_ = std::move(requirements);
        return selector;
    }

    static label_selector make_selector(std::vector<label_requirement> requirements) {
        sort_requirements(requirements);
        label_selector selector;
        selector.requirements_ = std::move(requirements);
        return selector;
    }
};

/// NewRequirement on values that come from no text (offsets 0). `nil_when_empty`: an empty list
/// prints as `null` in the error, as it does when LabelSelectorAsSelector copies the values.
inline result<label_requirement> checked_requirement(std::string_view key, selector_operator op,
                                                     std::vector<std::string> values,
                                                     bool nil_when_empty) {
    std::vector<located_value> located;
    located.reserve(values.size());
    for (const std::string& value : values) {
        located.push_back({value, 0});
    }
    std::int64_t bound = 0;
    if (auto error =
            check_requirement(key, 0, false, op, located, &values, nil_when_empty, bound)) {
        return std::move(*error);
    }
    return access::make(std::string(key), op, std::move(values), bound);
}

} // namespace detail::selectors

/// Builds a requirement with Kubernetes' NewRequirement checks: the key must be a
/// valid label key; `in`/`not_in` need at least one value, `=`/`==`/`!=` exactly one,
/// exists/does_not_exist none; `>`/`<` exactly one that parses as a base-10 int64; and every
/// value must be a valid label value. Values are kept as given (not sorted, not de-duplicated).
/// On failure the error message reads like Kubernetes' (all problems, aggregated); its offset
/// is 0 since there is no text to point into.
///
/// Example:
///     auto req = svcdisc::make_requirement("replicas", svcdisc::selector_operator::greater_than,
///                                          {"2"});
///     req->bound();  // 2
[[nodiscard]] inline result<label_requirement>
make_requirement(std::string_view key, selector_operator op, std::vector<std::string> values) {
    return detail::selectors::checked_requirement(key, op, std::move(values), false);
}

/// Parses a label selector string exactly as Kubernetes' `labels.Parse` does,
/// never throwing on bad input: every byte string either parses or yields an input_error whose
/// message reads like Kubernetes' and whose offset is the byte where the problem is (for a bad
/// key or value: where that key or value starts).
///
/// Example:
///     auto parsed = svcdisc::try_parse_selector("x=a=b");
///     parsed.error().message;  // "found '=', expected: ',' or 'end of string'"
///     parsed.error().offset;   // 3
[[nodiscard]] inline result<label_selector> try_parse_selector(std::string_view text) {
    detail::selectors::parser parser(text);
    if (auto error = parser.parse()) {
        return std::move(*error);
    }
    return detail::selectors::access::build(parser.requirements(), parser.values());
}

/// Parses a label selector string like try_parse_selector, throwing svcdisc::parse_error
/// (with offset()) when it does not parse.
///
/// Example:
///     auto selector = svcdisc::parse_selector("app=web,tier in (frontend,backend)");
[[nodiscard]] inline label_selector parse_selector(std::string_view text) {
    return try_parse_selector(text).value();
}

/// One requirement in Kubernetes' `String()` form: `key`, `!key`, `key=v`, `key==v`, `key!=v`,
/// `key in (a,b)`, `key notin (a,b)`, `key>n`, `key<n`. Several values print sorted byte-wise
/// (duplicates kept); the empty value prints as nothing.
[[nodiscard]] inline std::string to_string(const label_requirement& requirement) {
    std::string out;
    const selector_operator op = requirement.op();
    if (op == selector_operator::does_not_exist) {
        out += '!';
    }
    out += requirement.key();
    switch (op) {
    case selector_operator::exists:
    case selector_operator::does_not_exist:
        return out;
    case selector_operator::equals:
        out += '=';
        break;
    case selector_operator::double_equals:
        out += "==";
        break;
    case selector_operator::not_equals:
        out += "!=";
        break;
    case selector_operator::in:
        out += " in (";
        break;
    case selector_operator::not_in:
        out += " notin (";
        break;
    case selector_operator::greater_than:
        out += '>';
        break;
    case selector_operator::less_than:
        out += '<';
        break;
    }
    const std::span<const std::string> values = requirement.values();
    if (values.size() == 1) {
        out += values.front();
    } else if (!values.empty()) {
        std::vector<std::string_view> sorted(values.begin(), values.end());
        std::sort(sorted.begin(), sorted.end());
        for (std::size_t i = 0; i < sorted.size(); ++i) {
            if (i != 0) {
                out += ',';
            }
            out += sorted[i];
        }
    }
    if (op == selector_operator::in || op == selector_operator::not_in) {
        out += ')';
    }
    return out;
}

/// Kubernetes' canonical `String()` of a selector: the requirements in key order
/// joined by "," without spaces. The empty selector and nothing() both print "". For a parsed
/// selector, parsing the result gives the same selector back.
///
/// Example:
///     svcdisc::to_string(svcdisc::parse_selector("y = b, x in (b,a,a)"));  // "x in (a,b),y=b"
[[nodiscard]] inline std::string to_string(const label_selector& selector) {
    std::string out;
    for (const label_requirement& requirement : selector.requirements()) {
        if (!out.empty()) {
            out += ',';
        }
        out += to_string(requirement);
    }
    return out;
}

/// Kubernetes' SelectorFromSet: one `=` requirement per entry, sorted by key. An empty map gives
/// the selector that matches everything. Nothing is validated, as upstream.
///
/// Example:
///     svcdisc::to_string(svcdisc::selector_from_set(svcdisc::label_set{{"b", "2"}, {"a", "1"}}));
///     // "a=1,b=2"
[[nodiscard]] label_selector selector_from_set(const label_map auto& labels) {
    std::vector<label_requirement> requirements;
    for (const auto& [key, value] : labels) {
        requirements.push_back(detail::selectors::access::make(
            std::string_view(key), selector_operator::equals, std::string_view(value), 0));
    }
    return detail::selectors::access::make_selector(std::move(requirements));
}

/// Kubernetes' ConvertSelectorToLabelsMap: reads an equality-only selector such as
/// "a = b, c=d" naively — split on ',', each piece split on '=' into exactly two parts, spaces
/// trimmed, key and value validated; a later key wins. Unlike try_parse_selector it knows no
/// `==`, `!=`, sets or exists, and an empty string gives an empty set. Errors are positioned at
/// the offending piece, key or value.
///
/// Example:
///     svcdisc::convert_selector_to_labels_map("a = b, c=d");  // {a: b, c: d}
[[nodiscard]] inline result<label_set> convert_selector_to_labels_map(std::string_view text) {
    label_set labels;
    if (text.empty()) {
        return labels;
    }
    std::size_t piece_start = 0;
    while (piece_start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', piece_start), text.size());
        const std::string_view piece = text.substr(piece_start, comma - piece_start);
        const std::size_t equals = piece.find('=');
        if (equals == std::string_view::npos ||
            piece.find('=', equals + 1) != std::string_view::npos) {
            std::string message = "invalid selector: [";
            for (std::size_t start = 0; start <= piece.size();) {
                const std::size_t end = std::min(piece.find('=', start), piece.size());
                message += start == 0 ? "" : " ";
                message += piece.substr(start, end - start);
                start = end + 1;
            }
            message += ']';
            return input_error{std::move(message), piece_start};
        }
        std::size_t key_offset = piece_start;
        const std::string_view key = detail::trim_go_space(piece.substr(0, equals), key_offset);
        if (!is_valid_label_key(key)) {
            return input_error{
                detail::selectors::invalid_value(
                    "key", key, detail::selectors::join(label_key_errors(key), "; ")),
                key_offset};
        }
        std::size_t value_offset = piece_start + equals + 1;
        const std::string_view value =
            detail::trim_go_space(piece.substr(equals + 1), value_offset);
        if (!is_valid_label_value(value)) {
            return input_error{detail::selectors::invalid_value(
                                   "value[" + std::string(key) + "]", value,
                                   detail::selectors::join(label_value_errors(value), "; ")),
                               value_offset};
        }
        labels.insert_or_assign(key, value);
        piece_start = comma + 1;
    }
    return labels;
}

} // namespace svcdisc
