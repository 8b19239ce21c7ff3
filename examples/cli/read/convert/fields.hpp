#pragma once

// Reading typed fields out of a manifest value, checked as the API server checks them. The
// per-kind converters next to this file build on field_reader.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/ip.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/meta.hpp>

#include "print/json_string.hpp"
#include "read/excerpt.hpp"
#include "read/value.hpp"

namespace svcdisc_cli {

/// A problem found while converting an object; the reader adds the object's name and position.
struct field_problem {
    std::vector<field_step> path;
    std::string message;
    /// The problem is the key at the end of `path` (a bad label key), not its value.
    bool at_key = false;
};

/// `spec.ports[1].port`: the path of a problem as the API server names fields. A bad key is
/// named in the message; the path then stops at the map that holds it.
inline std::string render_path(const field_problem& problem) {
    std::string out;
    const std::size_t length =
        problem.path.size() - (problem.at_key && !problem.path.empty() ? 1 : 0);
    for (std::size_t i = 0; i < length; ++i) {
        const field_step& step = problem.path[i];
        if (step.index >= 0) {
            out += '[' + std::to_string(step.index) + ']';
        } else {
            if (!out.empty()) {
                out += '.';
            }
            out += printable_excerpt(step.key);
        }
    }
    return out;
}

/// `key == literal` with the length known at compile time, so the comparison is inlined
/// instead of a call to memcmp (the converter does it for every field of every object).
template <std::size_t N>
[[nodiscard]] inline bool is(std::string_view key, const char (&literal)[N]) noexcept {
    return key.size() == N - 1 && std::memcmp(key.data(), literal, N - 1) == 0;
}

/// Walks one object, keeping the path to the field being read, and converts field values,
/// failing with a field_problem that names the path.
template <manifest_value Value>
class field_reader {
  public:
    [[noreturn]] void fail(std::string message, bool at_key = false) const {
        field_problem problem;
        for (std::size_t i = 0; i < depth_ && i < path_.size(); ++i) {
            problem.path.push_back({std::string(path_[i].key), path_[i].index});
        }
        problem.message = std::move(message);
        problem.at_key = at_key;
        throw problem;
    }

    /// A value as error messages name it: `the string "x"`, `a list`, ...
    static std::string describe(const Value& v) {
        switch (v.kind()) {
        case value_kind::object:
            return "an object";
        case value_kind::array:
            return "a list";
        case value_kind::null:
            return "null";
        case value_kind::string:
            return "the string " + quoted_excerpt(v.text());
        case value_kind::boolean:
            return "the boolean " + excerpt(v.display());
        default:
            return "the number " + excerpt(v.display());
        }
    }

    std::string as_string(const Value& v) const {
        std::string_view text;
        if (v.string_value(text)) {
            return std::string(text);
        }
        if (v.kind() == value_kind::null) {
            return {};
        }
        fail("expected a string, found " + describe(v));
    }
    std::int64_t as_int(const Value& v) const {
        std::int64_t n = 0;
        if (!v.integer_value(n)) {
            fail("expected an integer, found " + describe(v));
        }
        return n;
    }
    std::int32_t as_port(const Value& v, bool allow_zero) const {
        const std::int64_t n = as_int(v);
        if (n < (allow_zero ? 0 : 1) || n > 65535) {
            fail("invalid value " + std::to_string(n) + ": must be between " +
                 (allow_zero ? "0" : "1") + " and 65535, inclusive");
        }
        return static_cast<std::int32_t>(n);
    }
    bool as_bool(const Value& v) const {
        if (v.kind() == value_kind::null) {
            return false;
        }
        if (v.kind() != value_kind::boolean) {
            fail("expected true or false, found " + describe(v));
        }
        return v.boolean();
    }
    void expect_object(const Value& v) const {
        if (v.kind() != value_kind::object) {
            fail("expected an object, found " + describe(v));
        }
    }

    /// Calls f(key, value) for each member of the object `v` (null counts as empty).
    template <class F>
    void object(const Value& v, F&& f) {
        // A value that reports no errors fails inside members() when it is no object, and the
        // object is redone with one that does (which checks here): one look at the value
        // instead of three.
        if constexpr (Value::reports_errors) {
            if (v.kind() == value_kind::null) {
                return;
            }
            expect_object(v);
        }
        v.members([&](std::string_view key, const Value& child) {
            push({key, -1});
            f(key, child);
            --depth_;
        });
    }
    /// Calls f(element) for each element of the list `v` (null counts as empty).
    template <class F>
    void list(const Value& v, F&& f) {
        if constexpr (Value::reports_errors) {
            if (v.kind() == value_kind::null) {
                return;
            }
            if (v.kind() != value_kind::array) {
                fail("expected a list, found " + describe(v));
            }
        }
        std::int64_t index = 0;
        v.elements([&](const Value& child) {
            push({{}, index++});
            f(child);
            --depth_;
        });
    }
    std::vector<std::string> strings(const Value& v) {
        std::vector<std::string> out;
        list(v, [&](const Value& item) { out.push_back(as_string(item)); });
        return out;
    }

    [[noreturn]] void invalid_ip(std::string_view text) const {
        fail("invalid value " + quoted_excerpt(text) +
             ": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }
    /// An optional IP address (`None` too where a Service allows it).
    std::string ip(const Value& v, bool allow_none) {
        std::string text = as_string(v);
        if (!text.empty() && !(allow_none && text == "None") && !svcdisc::ip_address::parse(text)) {
            invalid_ip(text);
        }
        return text;
    }
    std::string protocol(const Value& v) {
        std::string text = as_string(v);
        if (!text.empty() && text != "TCP" && text != "UDP" && text != "SCTP") {
            fail("unsupported value " + quoted_excerpt(text) +
                 ": supported values: \"SCTP\", \"TCP\", \"UDP\"");
        }
        return text;
    }
    /// A port name, checked as an IANA service name (empty is fine).
    std::string port_name(const Value& v) {
        std::string name = as_string(v);
        if (const auto errors = svcdisc::port_name_errors(name); !name.empty() && !errors.empty()) {
            fail("invalid value " + quoted_excerpt(name) + ": " + errors.front());
        }
        return name;
    }

    /// A map of labels (or a Service selector), each key and value checked like the API server
    /// and at most max_labels of them; annotations (`validate` false) are not checked. For a
    /// selector's map, `selector_bytes` adds up its keys and values (see add_selector_bytes).
    void labels(const Value& v, svcdisc::label_set& out, bool validate,
                std::size_t* selector_bytes = nullptr) {
        std::size_t count = 0;
        object(v, [&](std::string_view key, const Value& value) {
            if (validate && ++count > max_labels) {
                fail("more than " + std::to_string(max_labels) +
                         " labels, the most svcdisc reads in one map",
                     true);
            }
            std::string text = as_string(value);
            if (selector_bytes != nullptr) {
                add_selector_bytes(*selector_bytes, key.size() + text.size(), true);
            }
            if (validate) {
                if (const auto errors = svcdisc::label_key_errors(key); !errors.empty()) {
                    fail("invalid label key " + quoted_excerpt(key) + ": " + errors.front(), true);
                }
                if (const auto errors = svcdisc::label_value_errors(text); !errors.empty()) {
                    fail("invalid label value " + quoted_excerpt(text) + ": " + errors.front());
                }
            }
            out.insert_or_assign(key, text);
        });
    }

    /// Counts `bytes` more of a selector's keys and values into `total`, failing at the field
    /// being read (its key when `at_key`) once they pass max_selector_bytes.
    void add_selector_bytes(std::size_t& total, std::size_t bytes, bool at_key = false) const {
        total += bytes;
        if (total > max_selector_bytes) {
            fail("selector is longer than " + std::to_string(max_selector_bytes) +
                     " bytes of keys and values, the most svcdisc reads",
                 at_key);
        }
    }

    void metadata(const Value& v, svcdisc::object_meta& meta) {
        object(v, [&](std::string_view key, const Value& value) {
            if (is(key, "name")) {
                meta.name = as_string(value);
            } else if (is(key, "namespace")) {
                meta.namespace_ = as_string(value);
            } else if (is(key, "uid")) {
                meta.uid = as_string(value);
            } else if (is(key, "generateName")) {
                meta.generate_name = as_string(value);
            } else if (is(key, "resourceVersion")) {
                meta.resource_version = as_string(value);
            } else if (is(key, "creationTimestamp")) {
                if (value.kind() != value_kind::null) {
                    meta.creation_timestamp = as_string(value);
                }
            } else if (is(key, "deletionTimestamp")) {
                if (value.kind() != value_kind::null) {
                    meta.deletion_timestamp = as_string(value);
                }
            } else if (is(key, "labels")) {
                labels(value, meta.labels, true);
            } else if (is(key, "annotations")) {
                labels(value, meta.annotations, false);
            } else if (is(key, "ownerReferences")) {
                list(value, [&](const Value& item) {
                    meta.owner_references.push_back(owner_reference(item));
                });
            }
        });
    }

    svcdisc::owner_reference owner_reference(const Value& v) {
        svcdisc::owner_reference owner;
        object(v, [&](std::string_view k, const Value& x) {
            if (is(k, "apiVersion")) {
                owner.api_version = as_string(x);
            } else if (is(k, "kind")) {
                owner.kind = as_string(x);
            } else if (is(k, "name")) {
                owner.name = as_string(x);
            } else if (is(k, "uid")) {
                owner.uid = as_string(x);
            } else if (is(k, "controller")) {
                owner.controller = as_bool(x);
            } else if (is(k, "blockOwnerDeletion")) {
                owner.block_owner_deletion = as_bool(x);
            }
        });
        return owner;
    }

    /// A Pod's or Node's status condition: its type and status.
    template <class Condition>
    Condition condition(const Value& v) {
        Condition c;
        object(v, [&](std::string_view k, const Value& x) {
            if (is(k, "type")) {
                c.type = as_string(x);
            } else if (is(k, "status")) {
                c.status = as_string(x);
            }
        });
        return c;
    }

    /// An Endpoints address's or an EndpointSlice endpoint's targetRef.
    svcdisc::object_reference reference(const Value& v) {
        svcdisc::object_reference ref;
        object(v, [&](std::string_view k, const Value& x) {
            if (is(k, "kind")) {
                ref.kind = as_string(x);
            } else if (is(k, "namespace")) {
                ref.namespace_ = as_string(x);
            } else if (is(k, "name")) {
                ref.name = as_string(x);
            } else if (is(k, "uid")) {
                ref.uid = as_string(x);
            } else if (is(k, "apiVersion")) {
                ref.api_version = as_string(x);
            } else if (is(k, "resourceVersion")) {
                ref.resource_version = as_string(x);
            } else if (is(k, "fieldPath")) {
                ref.field_path = as_string(x);
            }
        });
        return ref;
    }

  private:
    /// One step of the path to the field being read; the key points into the input.
    struct path_segment {
        std::string_view key;
        std::int64_t index = -1;
    };

    /// The path is a fixed stack (no allocation per field); manifests nest far less deeply,
    /// and deeper levels are simply not named in errors.
    void push(path_segment segment) noexcept {
        if (depth_ < path_.size()) {
            path_[depth_] = segment;
        }
        ++depth_;
    }
    std::array<path_segment, 32> path_{};
    std::size_t depth_ = 0;
};

} // namespace svcdisc_cli
