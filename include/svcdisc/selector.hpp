#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/labels.hpp>
#include <svcdisc/result.hpp>

namespace svcdisc {

/// The operator of one label requirement; Kubernetes' `selection.Operator` constants.
enum class selector_operator : std::uint8_t {
    exists,         ///< `key`: the label is present, with any value
    does_not_exist, ///< `!key`: the label is absent
    equals,         ///< `key=v`
    double_equals,  ///< `key==v`: same meaning as `=`, printed as written
    not_equals,     ///< `key!=v`: true when absent or different
    in,             ///< `key in (v1,v2)`
    not_in,         ///< `key notin (v1,v2)`: true when absent or not listed
    greater_than,   ///< `key>n`: the label value is a base-10 int64 greater than n
    less_than,      ///< `key<n`: the label value is a base-10 int64 less than n
};

/// Kubernetes' name for an operator: "exists", "!", "=", "==", "!=", "in", "notin", "gt", "lt".
[[nodiscard]] constexpr std::string_view selector_operator_name(selector_operator op) noexcept {
    switch (op) {
    case selector_operator::exists:
        return "exists";
    case selector_operator::does_not_exist:
        return "!";
    case selector_operator::equals:
        return "=";
    case selector_operator::double_equals:
        return "==";
    case selector_operator::not_equals:
        return "!=";
    case selector_operator::in:
        return "in";
    case selector_operator::not_in:
        return "notin";
    case selector_operator::greater_than:
        return "gt";
    case selector_operator::less_than:
        return "lt";
    }
    return "";
}

/// Parses `text` the way Go's `strconv.ParseInt(text, 10, 64)` does: an optional `+` or `-`,
/// then one or more ASCII digits (leading zeros allowed); no spaces, no underscores, and a value
/// outside the int64 range fails. Returns false (leaving `out` alone) when it does not parse.
///
/// Example:
///     std::int64_t n = 0;
///     svcdisc::parse_go_int64("+002", n);  // true, n == 2
///     svcdisc::parse_go_int64("1.5", n);   // false
[[nodiscard]] constexpr bool parse_go_int64(std::string_view text, std::int64_t& out) noexcept {
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return false;
    }
    // Accumulate the magnitude unsigned so that -9223372036854775808 is reachable.
    constexpr std::uint64_t max_positive = 9223372036854775807ULL;
    const std::uint64_t limit = negative ? max_positive + 1 : max_positive;
    std::uint64_t magnitude = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (magnitude > (limit - digit) / 10) {
            return false;
        }
        magnitude = magnitude * 10 + digit;
    }
    if (negative) {
        out = magnitude == max_positive + 1 ? std::numeric_limits<std::int64_t>::min()
                                            : -static_cast<std::int64_t>(magnitude);
    } else {
        out = static_cast<std::int64_t>(magnitude);
    }
    return true;
}

class label_requirement;
class label_selector;

namespace detail::selectors {
struct access;

template <class Word>
inline Word load_word(const char* bytes) noexcept {
    Word word;
    std::memcpy(&word, bytes, sizeof(Word));
    return word;
}

/// `a == b` without a call to memcmp for the short strings label keys and values are: two
/// overlapping word loads cover any length from 4 to 16 bytes. Forced inline: it is the inner
/// step of matching, and a call costs as much as the comparison.
[[gnu::always_inline]] inline bool bytes_equal(std::string_view a, std::string_view b) noexcept {
    const std::size_t size = a.size();
    if (size != b.size()) {
        return false;
    }
    const char* x = a.data();
    const char* y = b.data();
    if (size >= 8) {
        if (size > 16) {
            return std::memcmp(x, y, size) == 0;
        }
        return load_word<std::uint64_t>(x) == load_word<std::uint64_t>(y) &&
               load_word<std::uint64_t>(x + size - 8) == load_word<std::uint64_t>(y + size - 8);
    }
    if (size >= 4) {
        return load_word<std::uint32_t>(x) == load_word<std::uint32_t>(y) &&
               load_word<std::uint32_t>(x + size - 4) == load_word<std::uint32_t>(y + size - 4);
    }
    // Sizes 1 to 3: the first, middle and last bytes are all of them.
    return size == 0 || (x[0] == y[0] && x[size / 2] == y[size / 2] && x[size - 1] == y[size - 1]);
}

/// Byte-wise three-way comparison (the order of label_set: negative when `a` sorts first),
/// inline for the short strings label keys are, where `a < b` would call memcmp.
inline int compare_bytes(std::string_view a, std::string_view b) noexcept {
    const auto byte = [](char c) { return static_cast<int>(static_cast<unsigned char>(c)); };
    // Sorted neighbours usually differ in the first byte; a lookup that hits is equal.
    if (!a.empty() && !b.empty() && a.front() != b.front()) {
        return byte(a.front()) - byte(b.front());
    }
    if (bytes_equal(a, b)) {
        return 0;
    }
    const std::size_t common = std::min(a.size(), b.size());
    std::size_t i = 0;
    while (i + 8 <= common &&
           load_word<std::uint64_t>(a.data() + i) == load_word<std::uint64_t>(b.data() + i)) {
        i += 8;
    }
    for (; i < common; ++i) {
        if (a[i] != b[i]) {
            return byte(a[i]) - byte(b[i]);
        }
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}
} // namespace detail::selectors

/// One requirement of a label selector: a key, an operator and its values (spec §2).
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

    /// True when `labels` satisfy this requirement (spec §2.5). `!=` and `notin` match a label
    /// set without the key; `>`/`<` never match a value that is not a base-10 int64. Never
    /// allocates, never throws.
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
            return detail::selectors::bytes_equal(single_value_, value);
        }
        for (const std::string& candidate : values_) {
            if (detail::selectors::bytes_equal(candidate, value)) {
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

/// A label selector: the AND of its requirements, kept sorted by key (spec §2).
///
/// A default-constructed selector has no requirements and matches everything, like
/// `parse_selector("")`. `nothing()` is the one selector that matches no label set.
///
/// Requirements are ordered by key with a *stable* sort, so requirements that share a key keep
/// their input order. Kubernetes uses Go's unstable `sort.Sort`, which agrees for up to 12
/// requirements; with 13 or more requirements that repeat a key, Kubernetes' `String()` may list
/// the equal-key requirements in another order (spec §2.3). Matching is unaffected.
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

    /// The requirements, sorted by key (stable: equal keys keep the order they were added in).
    [[nodiscard]] std::span<const label_requirement> requirements() const noexcept {
        return requirements_;
    }

    /// True when the selector does not restrict anything: no requirements and not nothing().
    [[nodiscard]] bool empty() const noexcept { return !nothing_ && requirements_.empty(); }

    /// True for nothing().
    [[nodiscard]] bool is_nothing() const noexcept { return nothing_; }

    /// Adds a requirement after any with the same key, keeping the key order; a no-op on
    /// nothing().
    void add(label_requirement requirement) {
        if (nothing_) {
            return;
        }
        const auto position = std::upper_bound(
            requirements_.begin(), requirements_.end(), requirement.key(),
            [](std::string_view key, const label_requirement& r) { return key < r.key(); });
        requirements_.insert(position, std::move(requirement));
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
                    return detail::selectors::compare_bytes(std::string_view(entry.first), key) < 0;
                });
                if (from != end &&
                    detail::selectors::bytes_equal(std::string_view(from->first), key)) {
                    value = std::string_view(from->second);
                }
            } else {
                for (auto entry = from; entry != end; ++entry) {
                    const std::string_view entry_key(entry->first);
                    if (entry_key.size() == key.size() &&
                        detail::selectors::bytes_equal(entry_key, key)) {
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

/// A stable sort that, for the short lists selectors usually hold, sorts by insertion in place
/// instead of paying for std::stable_sort's scratch buffer.
template <class Iterator, class Less>
void stable_sort_small(Iterator first, Iterator last, Less less) {
    if (std::is_sorted(first, last, less)) {
        return;
    }
    constexpr std::ptrdiff_t insertion_sort_limit = 16;
    if (last - first > insertion_sort_limit) {
        std::stable_sort(first, last, less);
        return;
    }
    for (Iterator next = first + 1; next != last; ++next) {
        std::rotate(std::upper_bound(first, next, *next, less), next, next + 1);
    }
}

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

    static void sort_by_key(std::vector<label_requirement>& requirements) {
        stable_sort_small(requirements.begin(), requirements.end(),
                          [](const label_requirement& a, const label_requirement& b) {
                              return a.key() < b.key();
                          });
    }

    /// Installs requirements that are already in key order.
    static void set_requirements(label_selector& selector,
                                 std::vector<label_requirement> requirements) noexcept {
        selector.requirements_ = std::move(requirements);
    }

    static label_selector make_selector(std::vector<label_requirement> requirements) {
        sort_by_key(requirements);
        label_selector selector;
        selector.requirements_ = std::move(requirements);
        return selector;
    }
};

inline void append_hex(std::string& out, unsigned value, int digits) {
    constexpr std::string_view hex = "0123456789abcdef";
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
        out += hex[(value >> static_cast<unsigned>(shift)) & 0xFU];
    }
}

/// Decodes one UTF-8 sequence at the front of `text` as Go does (overlong forms, surrogates and
/// values above U+10FFFF are invalid). Returns the code point and its length, or length 0 for an
/// invalid byte.
inline std::pair<char32_t, std::size_t> decode_utf8(std::string_view text) noexcept {
    const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned lead = byte(0);
    std::size_t length = 0;
    char32_t code = 0;
    char32_t minimum = 0;
    if (lead < 0x80U) {
        return {lead, 1};
    }
    if (lead >= 0xC2U && lead <= 0xDFU) {
        length = 2;
        code = lead & 0x1FU;
        minimum = 0x80;
    } else if (lead >= 0xE0U && lead <= 0xEFU) {
        length = 3;
        code = lead & 0x0FU;
        minimum = 0x800;
    } else if (lead >= 0xF0U && lead <= 0xF4U) {
        length = 4;
        code = lead & 0x07U;
        minimum = 0x10000;
    } else {
        return {0, 0};
    }
    if (text.size() < length) {
        return {0, 0};
    }
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0U) != 0x80U) {
            return {0, 0};
        }
        code = (code << 6U) | (byte(i) & 0x3FU);
    }
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return {0, 0};
    }
    return {code, length};
}

/// Whether Go's `strconv.IsPrint` would print a non-ASCII code point as is. Approximate: it
/// knows the control, format, separator, private-use and non-character ranges a label selector
/// is likely to meet, not Unicode's full list of unassigned code points.
constexpr bool is_go_printable(char32_t code) noexcept {
    return !((code >= 0x80 && code <= 0xA0) || code == 0xAD || (code >= 0x600 && code <= 0x605) ||
             code == 0x61C || code == 0x6DD || code == 0x70F || code == 0x180E ||
             (code >= 0x2000 && code <= 0x200F) || (code >= 0x2028 && code <= 0x202F) ||
             (code >= 0x205F && code <= 0x206F) || code == 0x3000 ||
             (code >= 0xE000 && code <= 0xF8FF) || code == 0xFEFF ||
             (code >= 0xFFF0 && code <= 0xFFFB) || (code & 0xFFFEU) == 0xFFFEU ||
             (code >= 0xF0000));
}

/// `text` quoted like Go's `%q` (strconv.Quote), which Kubernetes uses for the bad value in
/// its field errors.
inline std::string go_quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    while (!text.empty()) {
        const auto [code, length] = decode_utf8(text);
        if (length == 0) {
            out += "\\x";
            append_hex(out, static_cast<unsigned char>(text.front()), 2);
            text.remove_prefix(1);
            continue;
        }
        switch (code) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\a':
            out += "\\a";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\v':
            out += "\\v";
            break;
        default:
            if (code < 0x20 || code == 0x7F) {
                out += "\\x";
                append_hex(out, static_cast<unsigned>(code), 2);
            } else if (code < 0x80 || is_go_printable(code)) {
                out.append(text.substr(0, length));
            } else if (code < 0x10000) {
                out += "\\u";
                append_hex(out, static_cast<unsigned>(code), 4);
            } else {
                out += "\\U";
                append_hex(out, static_cast<unsigned>(code), 8);
            }
        }
        text.remove_prefix(length);
    }
    out += '"';
    return out;
}

/// `values` as Go's json.Marshal prints a []string (HTML-safe escaping; `null` for a nil slice),
/// which Kubernetes uses for a bad list of values in its field errors.
inline std::string go_json_strings(const std::vector<std::string>& values, bool nil_when_empty) {
    if (values.empty()) {
        return nil_when_empty ? "null" : "[]";
    }
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i != 0) {
            out += ',';
        }
        out += '"';
        std::string_view text = values[i];
        while (!text.empty()) {
            const auto [code, length] = decode_utf8(text);
            if (length == 0) {
                out += "\\ufffd";
                text.remove_prefix(1);
                continue;
            }
            if (code == '"' || code == '\\') {
                out += '\\';
                out += static_cast<char>(code);
            } else if (code == '\n') {
                out += "\\n";
            } else if (code == '\r') {
                out += "\\r";
            } else if (code == '\t') {
                out += "\\t";
            } else if (code < 0x20 || code == '<' || code == '>' || code == '&' || code == 0x2028 ||
                       code == 0x2029) {
                out += "\\u";
                append_hex(out, static_cast<unsigned>(code), 4);
            } else {
                out.append(text.substr(0, length));
            }
            text.remove_prefix(length);
        }
        out += '"';
    }
    out += ']';
    return out;
}

/// Joins error strings like Go's `strings.Join(errs, "; ")`.
inline std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i != 0) {
            out += separator;
        }
        out += parts[i];
    }
    return out;
}

/// Kubernetes' `field.Invalid(path, value, detail).Error()` for a string value.
inline std::string invalid_value(std::string_view path, std::string_view value,
                                 std::string_view detail) {
    std::string out(path);
    out += ": Invalid value: ";
    out += go_quote(value);
    out += ": ";
    out += detail;
    return out;
}

/// An error list folded into one message like Go's `utilerrors.NewAggregate(...).Error()`:
/// one message alone, several de-duplicated inside `[...]` separated by ", ".
inline std::string aggregate(const std::vector<std::string>& messages) {
    if (messages.size() == 1) {
        return messages.front();
    }
    std::vector<std::string> seen;
    for (const std::string& message : messages) {
        if (std::find(seen.begin(), seen.end(), message) == seen.end()) {
            seen.push_back(message);
        }
    }
    if (seen.size() == 1) {
        return seen.front();
    }
    // Appended piecewise: GCC 12 at -O3 warns falsely (-Wrestrict) about "[" + std::string.
    std::string out = "[";
    out += join(seen, ", ");
    out += ']';
    return out;
}

/// A value handed to the requirement checks, with the byte offset it came from.
struct located_value {
    std::string_view text;
    std::size_t offset = 0;
};

/// Every NewRequirement complaint (spec §2.3) about a requirement, in Kubernetes' words and
/// order, positioned at the first offending part. Kept out of line: it only runs for bad input,
/// and it keeps the message building away from the parser's fast path.
[[gnu::cold, gnu::noinline]] inline std::optional<input_error>
requirement_errors(std::string_view key, std::size_t key_offset, bool key_checked,
                   selector_operator op, std::span<const located_value> values,
                   const std::vector<std::string>* raw_values, bool nil_when_empty) {
    std::int64_t bound = 0;
    std::vector<std::string> messages;
    std::optional<std::size_t> offset;
    const auto fail = [&](std::string message, std::size_t where) {
        messages.push_back(std::move(message));
        if (!offset) {
            offset = where;
        }
    };
    if (!key_checked && !is_valid_label_key(key)) {
        fail(invalid_value("key", key, join(label_key_errors(key), "; ")), key_offset);
    }
    const std::size_t values_offset = values.empty() ? key_offset : values.front().offset;
    const auto values_json = [&] {
        if (raw_values != nullptr) {
            return go_json_strings(*raw_values, nil_when_empty);
        }
        std::vector<std::string> copy;
        for (const located_value& v : values) {
            copy.emplace_back(v.text);
        }
        return go_json_strings(copy, nil_when_empty);
    };
    const auto arity_error = [&](std::string_view detail) {
        fail("values: Invalid value: " + values_json() + ": " + std::string(detail), values_offset);
    };
    switch (op) {
    case selector_operator::in:
    case selector_operator::not_in:
        if (values.empty()) {
            arity_error("for 'in', 'notin' operators, values set can't be empty");
        }
        break;
    case selector_operator::equals:
    case selector_operator::double_equals:
    case selector_operator::not_equals:
        if (values.size() != 1) {
            arity_error("exact-match compatibility requires one single value");
        }
        break;
    case selector_operator::exists:
    case selector_operator::does_not_exist:
        if (!values.empty()) {
            arity_error("values set must be empty for exists and does not exist");
        }
        break;
    case selector_operator::greater_than:
    case selector_operator::less_than:
        if (values.size() != 1) {
            arity_error("for 'Gt', 'Lt' operators, exactly one value is required");
        }
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (!parse_go_int64(values[i].text, bound)) {
                fail(invalid_value("values[" + std::to_string(i) + "]", values[i].text,
                                   "for 'Gt', 'Lt' operators, the value must be an integer"),
                     values[i].offset);
            }
        }
        break;
    default:
        fail("operator: Unsupported value: \"" + std::string(selector_operator_name(op)) +
                 "\": supported values: \"in\", \"notin\", \"=\", \"==\", \"!=\", \"gt\", "
                 "\"lt\", \"exists\", \"!\"",
             key_offset);
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!is_valid_label_value(values[i].text)) {
            fail(invalid_value("values[" + std::to_string(i) + "][" + std::string(key) + "]",
                               values[i].text, join(label_value_errors(values[i].text), "; ")),
                 values[i].offset);
        }
    }
    if (messages.empty()) {
        return std::nullopt;
    }
    return input_error{aggregate(messages), *offset};
}

/// NewRequirement's checks (spec §2.3) for values the caller has located in some input: the key
/// (unless `key_checked`), the number of values for the operator, gt/lt integers and every
/// value. Returns the error, if any, positioned at the first offending part; `bound` receives
/// the gt/lt number.
inline std::optional<input_error> check_requirement(std::string_view key, std::size_t key_offset,
                                                    bool key_checked, selector_operator op,
                                                    std::span<const located_value> values,
                                                    const std::vector<std::string>* raw_values,
                                                    bool nil_when_empty, std::int64_t& bound) {
    bool valid = key_checked || is_valid_label_key(key);
    switch (op) {
    case selector_operator::in:
    case selector_operator::not_in:
        valid = valid && !values.empty();
        break;
    case selector_operator::equals:
    case selector_operator::double_equals:
    case selector_operator::not_equals:
        valid = valid && values.size() == 1;
        break;
    case selector_operator::exists:
    case selector_operator::does_not_exist:
        valid = valid && values.empty();
        break;
    case selector_operator::greater_than:
    case selector_operator::less_than:
        valid = valid && values.size() == 1 && parse_go_int64(values.front().text, bound);
        break;
    default:
        valid = false;
    }
    valid = valid && std::all_of(values.begin(), values.end(), [](const located_value& v) {
                return is_valid_label_value(v.text);
            });
    if (valid) {
        return std::nullopt;
    }
    return requirement_errors(key, key_offset, key_checked, op, values, raw_values, nil_when_empty);
}

/// The tokens of the selector grammar (spec §2.2).
enum class token_kind : std::uint8_t {
    end,
    identifier,
    in_keyword,
    notin_keyword,
    open_paren,
    close_paren,
    comma,
    bang,
    equals,
    double_equals,
    not_equals,
    greater,
    less,
};

struct token {
    token_kind kind = token_kind::end;
    std::string_view text;
    std::size_t offset = 0;
};

constexpr bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

constexpr bool is_special(char c) noexcept {
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

/// The lexer's byte classes, as a table so that each byte costs one load.
enum byte_class : std::uint8_t {
    byte_space = 1,   ///< space, \t, \r, \n
    byte_special = 2, ///< = ! ( ) , > <
    byte_nul = 4,     ///< Go's end-of-input sentinel
};

inline constexpr std::array<std::uint8_t, 256> byte_classes = [] {
    std::array<std::uint8_t, 256> table{};
    for (int c = 0; c < 256; ++c) {
        const auto byte = static_cast<char>(c);
        const int bits = (is_space(byte) ? byte_space : 0) | (is_special(byte) ? byte_special : 0) |
                         (c == 0 ? byte_nul : 0);
        table[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(bits);
    }
    return table;
}();

constexpr std::uint8_t class_of(char c) noexcept {
    return byte_classes[static_cast<unsigned char>(c)];
}

/// Kubernetes' selector lexer. Go's lexer uses the byte 0 as its end-of-input sentinel, and
/// Kubernetes inherits two quirks from that which this lexer keeps: a NUL byte where a token
/// would start ends the input, and a NUL byte right after a token is swallowed with it.
class lexer {
  public:
    explicit lexer(std::string_view input) noexcept : input_(input) {}

    token next() noexcept {
        const char* const data = input_.data();
        const std::size_t size = input_.size();
        std::size_t pos = pos_;
        while (pos < size && (class_of(data[pos]) & byte_space) != 0) {
            ++pos;
        }
        if (pos == size || data[pos] == '\0') {
            pos_ = pos;
            return {token_kind::end, {}, pos};
        }
        const std::size_t start = pos;
        token_kind kind = token_kind::identifier;
        if ((class_of(data[pos]) & byte_special) != 0) {
            const char first = data[pos++];
            const bool doubled = pos < size && data[pos] == '=' && (first == '=' || first == '!');
            if (doubled) {
                ++pos;
            }
            kind = special_kind(first, doubled);
        } else {
            constexpr auto identifier_end = byte_space | byte_special | byte_nul;
            while (pos < size && (class_of(data[pos]) & identifier_end) == 0) {
                ++pos;
            }
            const std::string_view text(data + start, pos - start);
            if (text.size() == 2 && text[0] == 'i' && text[1] == 'n') {
                kind = token_kind::in_keyword;
            } else if (text.size() == 5 && text == "notin") {
                kind = token_kind::notin_keyword;
            }
        }
        const token result{kind, std::string_view(data + start, pos - start), start};
        if (pos < size && data[pos] == '\0') {
            ++pos;
        }
        pos_ = pos;
        return result;
    }

  private:
    static constexpr token_kind special_kind(char first, bool doubled) noexcept {
        switch (first) {
        case '=':
            return doubled ? token_kind::double_equals : token_kind::equals;
        case '!':
            return doubled ? token_kind::not_equals : token_kind::bang;
        case '(':
            return token_kind::open_paren;
        case ')':
            return token_kind::close_paren;
        case ',':
            return token_kind::comma;
        case '>':
            return token_kind::greater;
        default:
            return token_kind::less;
        }
    }

    std::string_view input_;
    std::size_t pos_ = 0;
};

/// Recursive-descent parser over the lexer with one token of lookahead, following the order
/// of checks (and so the error each input gets) of Kubernetes' parser.
///
/// Requirements are first collected as small records pointing into the input, sorted by key,
/// and only then turned into label_requirements, so that each key and value is copied once.
class parser {
  public:
    explicit parser(std::string_view input) noexcept : lexer_(input) { lookahead_ = lexer_.next(); }

    result<label_selector> parse() {
        constexpr std::size_t typical_requirements = 8;
        constexpr std::size_t typical_values = 16;
        pending_.reserve(typical_requirements);
        values_.reserve(typical_values);
        while (true) {
            const token first = peek();
            if (first.kind == token_kind::end) {
                break;
            }
            if (first.kind != token_kind::identifier && first.kind != token_kind::bang) {
                return found(first, "expected: !, identifier, or 'end of string'");
            }
            if (!parse_requirement()) {
                error_->message.insert(0, "unable to parse requirement: ");
                return std::move(*error_);
            }
            const token after = consume();
            if (after.kind == token_kind::end) {
                break;
            }
            if (after.kind != token_kind::comma) {
                return found(after, "expected: ',' or 'end of string'");
            }
            const token next = peek();
            if (next.kind != token_kind::identifier && next.kind != token_kind::bang) {
                return found(next, "expected: identifier after ','");
            }
        }
        return build();
    }

  private:
    /// A parsed, checked requirement whose key and values still live in the input.
    struct pending_requirement {
        std::string_view key;
        std::size_t first_value = 0; ///< index into values_
        std::size_t value_count = 0;
        std::int64_t bound = 0;
        selector_operator op = selector_operator::exists;
    };

    label_selector build() {
        stable_sort_small(pending_.begin(), pending_.end(),
                          [](const pending_requirement& a, const pending_requirement& b) {
                              return a.key < b.key;
                          });
        std::vector<label_requirement> requirements;
        requirements.reserve(pending_.size());
        for (const pending_requirement& p : pending_) {
            if (p.value_count == 1) {
                requirements.push_back(
                    access::make(p.key, p.op, values_[p.first_value].text, p.bound));
                continue;
            }
            std::vector<std::string> values;
            values.reserve(p.value_count);
            for (std::size_t i = 0; i < p.value_count; ++i) {
                values.emplace_back(values_[p.first_value + i].text);
            }
            requirements.push_back(
                access::make(std::string(p.key), p.op, std::move(values), p.bound));
        }
        label_selector selector;
        access::set_requirements(selector, std::move(requirements));
        return selector;
    }

    /// The next token in value context, where `in` and `notin` are plain identifiers.
    token peek() const noexcept { return as_value(lookahead_); }
    token consume() noexcept { return as_value(consume_raw()); }
    token consume_raw() noexcept {
        const token current = lookahead_;
        lookahead_ = lexer_.next();
        return current;
    }
    static token as_value(token t) noexcept {
        if (t.kind == token_kind::in_keyword || t.kind == token_kind::notin_keyword) {
            t.kind = token_kind::identifier;
        }
        return t;
    }

    /// "found '<token>', <expectation>"; Kubernetes leaves out the comma in one message, so
    /// `separator` says what goes between.
    static input_error found(const token& t, std::string_view expectation,
                             std::string_view separator = ", ") {
        std::string message = "found '";
        message += t.text;
        message += '\'';
        message += separator;
        message += expectation;
        return {std::move(message), t.offset};
    }

    bool fail(input_error error) {
        error_ = std::move(error);
        return false;
    }

    bool parse_requirement() {
        token key = consume();
        const bool negated = key.kind == token_kind::bang;
        if (negated) {
            key = consume();
        }
        if (key.kind != token_kind::identifier) {
            return fail(found(key, "expected: identifier"));
        }
        if (!is_valid_label_key(key.text)) {
            return fail({invalid_value("<nil>", key.text, join(label_key_errors(key.text), "; ")),
                         key.offset});
        }
        const token_kind next = peek().kind;
        if (negated || next == token_kind::end || next == token_kind::comma) {
            pending_.push_back(
                {key.text, values_.size(), 0, 0,
                 negated ? selector_operator::does_not_exist : selector_operator::exists});
            return true;
        }
        const token op_token = consume_raw();
        selector_operator op{};
        switch (op_token.kind) {
        case token_kind::in_keyword:
            op = selector_operator::in;
            break;
        case token_kind::notin_keyword:
            op = selector_operator::not_in;
            break;
        case token_kind::equals:
            op = selector_operator::equals;
            break;
        case token_kind::double_equals:
            op = selector_operator::double_equals;
            break;
        case token_kind::not_equals:
            op = selector_operator::not_equals;
            break;
        case token_kind::greater:
            op = selector_operator::greater_than;
            break;
        case token_kind::less:
            op = selector_operator::less_than;
            break;
        default:
            return fail(found(op_token, "expected: in, notin, =, ==, !=, gt, lt"));
        }
        const std::size_t first_value = values_.size();
        const bool listed = op == selector_operator::in || op == selector_operator::not_in;
        if (!(listed ? parse_value_list(first_value) : parse_exact_value())) {
            return false;
        }
        const std::span<const located_value> values(values_.data() + first_value,
                                                    values_.size() - first_value);
        std::int64_t bound = 0;
        if (auto error =
                check_requirement(key.text, key.offset, true, op, values, nullptr, false, bound)) {
            return fail(std::move(*error));
        }
        pending_.push_back({key.text, first_value, values.size(), bound, op});
        return true;
    }

    /// `( … )` after in/notin. The values from `first_value` on end up sorted byte-wise without
    /// duplicates (the first occurrence is kept, for its position).
    bool parse_value_list(std::size_t first_value) {
        const token open = consume();
        if (open.kind != token_kind::open_paren) {
            return fail(found(open, "expected: '('", " "));
        }
        const token first = peek();
        if (first.kind == token_kind::close_paren) {
            consume();
            values_.push_back({{}, first.offset});
            return true;
        }
        if (first.kind != token_kind::identifier && first.kind != token_kind::comma) {
            return fail(found(first, "expected: ',', ')' or identifier"));
        }
        if (!parse_identifier_list(first_value)) {
            return false;
        }
        consume(); // the ')' that ended the list
        const auto begin = values_.begin() + static_cast<std::ptrdiff_t>(first_value);
        stable_sort_small(begin, values_.end(), [](const located_value& a, const located_value& b) {
            return a.text < b.text;
        });
        values_.erase(std::unique(begin, values_.end(),
                                  [](const located_value& a, const located_value& b) {
                                      return a.text == b.text;
                                  }),
                      values_.end());
        return true;
    }

    /// The comma-separated entries up to (not including) the closing `)`. Empty entries are
    /// the empty string, but commas are taken in the pairs Kubernetes takes them: after a
    /// comma that is followed by another comma, both are consumed and the next token must be an
    /// identifier or a further comma — so `(,,)` and `(a,,)` are errors while `(a,,b)`,
    /// `(a,,,)` and `(,)` are not.
    bool parse_identifier_list(std::size_t first_value) {
        while (true) {
            const token t = consume();
            if (t.kind == token_kind::identifier) {
                values_.push_back({t.text, t.offset});
                const token after = peek();
                if (after.kind == token_kind::close_paren) {
                    return true;
                }
                if (after.kind != token_kind::comma) {
                    return fail(found(after, "expected: ',' or ')'"));
                }
            } else if (t.kind == token_kind::comma) {
                if (values_.size() == first_value) {
                    values_.push_back({{}, t.offset});
                }
                const token after = peek();
                if (after.kind == token_kind::close_paren) {
                    values_.push_back({{}, t.offset});
                    return true;
                }
                if (after.kind == token_kind::comma) {
                    consume();
                    values_.push_back({{}, after.offset});
                }
            } else {
                return fail(found(t, "expected: ',', or identifier"));
            }
        }
    }

    /// The single value after `=`, `==`, `!=`, `>` or `<`; empty when a `,` or the end follows.
    bool parse_exact_value() {
        const token next = peek();
        if (next.kind == token_kind::end || next.kind == token_kind::comma) {
            values_.push_back({{}, next.offset});
            return true;
        }
        const token value = consume();
        if (value.kind != token_kind::identifier) {
            return fail(found(value, "expected: identifier"));
        }
        values_.push_back({value.text, value.offset});
        return true;
    }

    lexer lexer_;
    token lookahead_;
    std::vector<pending_requirement> pending_;
    std::vector<located_value> values_;
    std::optional<input_error> error_;
};

} // namespace detail::selectors

namespace detail::selectors {

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

/// Builds a requirement with Kubernetes' NewRequirement checks (spec §2.3): the key must be a
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

/// Parses a label selector string exactly as Kubernetes' `labels.Parse` does (spec §2.2–§2.3),
/// never throwing on bad input: every byte string either parses or yields an input_error whose
/// message reads like Kubernetes' and whose offset is the byte where the problem is (for a bad
/// key or value: where that key or value starts).
///
/// Example:
///     auto parsed = svcdisc::try_parse_selector("x=a=b");
///     parsed.error().message;  // "found '=', expected: ',' or 'end of string'"
///     parsed.error().offset;   // 3
[[nodiscard]] inline result<label_selector> try_parse_selector(std::string_view text) {
    return detail::selectors::parser(text).parse();
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

/// Kubernetes' canonical `String()` of a selector (spec §2.4): the requirements in key order
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

namespace detail::selectors {

/// Go's unicode.IsSpace, which strings.TrimSpace uses.
constexpr bool is_go_space(char32_t code) noexcept {
    return code == ' ' || (code >= '\t' && code <= '\r') || code == 0x85 || code == 0xA0 ||
           code == 0x1680 || (code >= 0x2000 && code <= 0x200A) || code == 0x2028 ||
           code == 0x2029 || code == 0x202F || code == 0x205F || code == 0x3000;
}

/// Go's strings.TrimSpace; `offset` moves forward by what was trimmed at the front.
inline std::string_view trim_go_space(std::string_view text, std::size_t& offset) noexcept {
    while (!text.empty()) {
        const auto [code, length] = decode_utf8(text);
        if (length == 0 || !is_go_space(code)) {
            break;
        }
        text.remove_prefix(length);
        offset += length;
    }
    while (!text.empty()) {
        std::size_t length = 0;
        for (std::size_t candidate = 1; candidate <= 3 && candidate <= text.size(); ++candidate) {
            const auto [code, decoded] = decode_utf8(text.substr(text.size() - candidate));
            if (decoded == candidate && is_go_space(code)) {
                length = candidate;
                break;
            }
        }
        if (length == 0) {
            break;
        }
        text.remove_suffix(length);
    }
    return text;
}

} // namespace detail::selectors

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
        const std::string_view key =
            detail::selectors::trim_go_space(piece.substr(0, equals), key_offset);
        if (!is_valid_label_key(key)) {
            return input_error{
                detail::selectors::invalid_value(
                    "key", key, detail::selectors::join(label_key_errors(key), "; ")),
                key_offset};
        }
        std::size_t value_offset = piece_start + equals + 1;
        const std::string_view value =
            detail::selectors::trim_go_space(piece.substr(equals + 1), value_offset);
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
