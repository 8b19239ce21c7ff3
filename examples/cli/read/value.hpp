#pragma once

// The one interface the converter (read/convert/) and the as-read printer (print/as_read.hpp)
// see a parsed manifest through. Each parser backend provides a value type that satisfies
// manifest_value: yaml_value (read/yaml_backend.hpp), json_value and ondemand_value
// (read/json_backend.hpp). Only those two backends include a parser library.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace svcdisc_cli {

/// The deepest a YAML or JSON document may nest (mappings and lists inside each other). No
/// Kubernetes object comes close; the limit keeps a hostile input from exhausting the stack of
/// the recursive readers and printers.
inline constexpr std::size_t max_nesting_depth = 1000;

/// The most objects svcdisc reads in one run: every document and every List item, of any kind,
/// in all inputs together. Kubernetes' own scalability limits are 150,000 pods and 10,000
/// Services per cluster; the model takes a few hundred bytes per object however small its
/// text, so without a count a 1 GiB file of `{}` items would take some 100 GB.
inline constexpr std::size_t max_objects = 1'000'000;

/// The most labels one map holds: an object's metadata.labels, a Service's selector, a
/// selector's matchLabels.
inline constexpr std::size_t max_labels = 1000;

/// The longest selector, in bytes: the text of `-l`/`--selector` (and `selector EXPR`); in a
/// manifest, the keys and values of a selector (matchLabels and matchExpressions) together.
inline constexpr std::size_t max_selector_bytes = 4096;

/// What a parsed value is, with YAML plain scalars already resolved as go-yaml (YAML 1.1,
/// what kubectl uses) resolves them.
enum class value_kind : std::uint8_t { null, boolean, integer, floating, string, array, object };

/// One step into a parsed value: an object key, or an index into a list when `index >= 0`.
struct field_step {
    std::string key;
    std::int64_t index = -1;
};

/// A parsed manifest value.
///
/// - kind(), text() (a string's characters), integer(), boolean(): the value itself;
///   display() spells a scalar for messages and for floats copied to the output.
/// - string_value() / integer_value(): a string or an integer in one step, false for any
///   other kind (the converter's hot path).
/// - get(key): an object's member; members(f) calls f(key, value) in document order;
///   elements(f) calls f(value) for each list element.
/// - reports_errors: false for a value that cannot tell where it is (simdjson On-Demand): it
///   calls give_up() instead of reporting a problem, and the reader redoes the object with a
///   value that can.
template <class V>
concept manifest_value = std::copy_constructible<V> &&
    requires(const V& v, std::string_view key, std::string_view& text, std::int64_t& number) {
    { v.kind() } -> std::same_as<value_kind>;
    { v.text() } -> std::same_as<std::string_view>;
    { v.integer() } -> std::same_as<std::int64_t>;
    { v.boolean() } -> std::same_as<bool>;
    { v.display() } -> std::same_as<std::string>;
    { v.get(key) } -> std::same_as<std::optional<V>>;
    { v.string_value(text) } -> std::same_as<bool>;
    { v.integer_value(number) } -> std::same_as<bool>;
    v.members([](std::string_view, const V&) {});
    v.elements([](const V&) {});
    { V::reports_errors } -> std::convertible_to<bool>;
};

/// string_value() and integer_value() from kind(), text() and integer(), for a value type
/// whose kind() is cheap (a parsed tree).
template <class Value>
class typed_scalars {
  public:
    bool string_value(std::string_view& out) const {
        const auto& self = static_cast<const Value&>(*this);
        if (self.kind() != value_kind::string) {
            return false;
        }
        out = self.text();
        return true;
    }
    bool integer_value(std::int64_t& out) const {
        const auto& self = static_cast<const Value&>(*this);
        if (self.kind() != value_kind::integer) {
            return false;
        }
        out = self.integer();
        return true;
    }
};

/// The string member `key` of an object, or "" when it is missing or no string.
template <manifest_value Value>
std::string optional_text(const Value& v, std::string_view key) {
    const auto child = v.get(key);
    if (!child || child->kind() != value_kind::string) {
        return {};
    }
    return std::string(child->text());
}

} // namespace svcdisc_cli
