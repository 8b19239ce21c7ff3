#include "input.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <numeric>
#include <optional>
#include <sstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <svcdisc/ip.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/result.hpp>

#include "emitter.hpp"

namespace svcdisc_cli {

namespace {

enum class value_kind : std::uint8_t { null, boolean, integer, floating, string, array, object };

bool parse_int64(std::string_view text, std::int64_t& out) {
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
    return result.ec == std::errc() && result.ptr == text.data() + text.size() && !text.empty();
}

/// The unquoted words go-yaml (YAML 1.1, what kubectl uses) reads as true and as false.
constexpr std::array<std::string_view, 11> yaml_true_words = {
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
constexpr std::array<std::string_view, 11> yaml_false_words = {
    "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};

bool is_one_of(std::string_view s, const std::array<std::string_view, 11>& words) {
    return std::find(words.begin(), words.end(), s) != words.end();
}

/// How go-yaml reads an unquoted scalar.
value_kind resolve_plain_scalar(std::string_view s) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
        return value_kind::null;
    }
    if (is_one_of(s, yaml_true_words) || is_one_of(s, yaml_false_words)) {
        return value_kind::boolean;
    }
    std::int64_t ignored = 0;
    if (parse_int64(s, ignored) || (s.size() > 1 && s.front() == '-' && parse_int64(s, ignored))) {
        return value_kind::integer;
    }
    double number = 0;
    const auto result = std::from_chars(s.data(), s.data() + s.size(), number);
    if (result.ec == std::errc() && result.ptr == s.data() + s.size() &&
        s.find_first_of("0123456789") != std::string_view::npos) {
        return value_kind::floating;
    }
    if (s == ".inf" || s == "-.inf" || s == ".nan" || s == ".Inf" || s == ".NaN") {
        return value_kind::floating;
    }
    return value_kind::string;
}

/// The converter asks for a string or an integer in one step; a parsed tree (YAML or DOM)
/// answers from its kind(), text() and integer().
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

/// A YAML node seen through the interface the converter needs.
class yaml_value : public typed_scalars<yaml_value> {
  public:
    explicit yaml_value(YAML::Node node) : node_(std::move(node)) {}
    yaml_value(const yaml_value&) = default;
    yaml_value(yaml_value&&) = default;
    ~yaml_value() = default;
    // YAML::Node's assignment writes the right-hand node into the node the left refers to, i.e.
    // it edits the document; a yaml_value rebinds instead, so sorting a list of them (as
    // emit_value does with an object's members) leaves the parsed input intact.
    yaml_value& operator=(const yaml_value& other) {
        node_.reset(other.node_);
        return *this;
    }
    yaml_value& operator=(yaml_value&& other) noexcept {
        node_.reset(other.node_);
        return *this;
    }

    [[nodiscard]] value_kind kind() const {
        switch (node_.Type()) {
        case YAML::NodeType::Map:
            return value_kind::object;
        case YAML::NodeType::Sequence:
            return value_kind::array;
        case YAML::NodeType::Scalar: {
            const std::string& tag = node_.Tag();
            if (tag == "!" || tag == "tag:yaml.org,2002:str") {
                return value_kind::string;
            }
            return resolve_plain_scalar(node_.Scalar());
        }
        default:
            return value_kind::null;
        }
    }
    [[nodiscard]] std::string_view text() const { return node_.Scalar(); }
    [[nodiscard]] std::int64_t integer() const {
        std::int64_t n = 0;
        (void)parse_int64(node_.Scalar(), n);
        return n;
    }
    [[nodiscard]] bool boolean() const { return is_one_of(node_.Scalar(), yaml_true_words); }
    [[nodiscard]] std::string display() const {
        switch (node_.Type()) {
        case YAML::NodeType::Map:
            return "an object";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Scalar:
            return node_.Scalar();
        default:
            return "null";
        }
    }
    [[nodiscard]] std::optional<yaml_value> get(std::string_view key) const {
        for (auto it = node_.begin(); it != node_.end(); ++it) {
            if (it->first.IsScalar() && it->first.Scalar() == key) {
                return yaml_value(it->second);
            }
        }
        return std::nullopt;
    }
    template <class F>
    void members(F&& f) const {
        for (auto it = node_.begin(); it != node_.end(); ++it) {
            f(std::string_view(it->first.Scalar()), yaml_value(it->second));
        }
    }
    [[nodiscard]] std::size_t size() const { return node_.size(); }
    template <class F>
    void elements(F&& f) const {
        for (auto it = node_.begin(); it != node_.end(); ++it) {
            f(yaml_value(*it));
        }
    }

  private:
    YAML::Node node_;
};

/// A simdjson DOM element seen through the same interface.
class json_value : public typed_scalars<json_value> {
  public:
    explicit json_value(simdjson::dom::element element) : element_(element) {}

    [[nodiscard]] value_kind kind() const {
        switch (element_.type()) {
        case simdjson::dom::element_type::OBJECT:
            return value_kind::object;
        case simdjson::dom::element_type::ARRAY:
            return value_kind::array;
        case simdjson::dom::element_type::STRING:
            return value_kind::string;
        case simdjson::dom::element_type::INT64:
            return value_kind::integer;
        case simdjson::dom::element_type::UINT64:
        case simdjson::dom::element_type::DOUBLE:
            return value_kind::floating;
        case simdjson::dom::element_type::BOOL:
            return value_kind::boolean;
        default:
            return value_kind::null;
        }
    }
    [[nodiscard]] std::string_view text() const {
        std::string_view s;
        if (element_.get_string().get(s) != simdjson::SUCCESS) {
            return {};
        }
        return s;
    }
    [[nodiscard]] std::int64_t integer() const {
        std::int64_t n = 0;
        if (element_.get_int64().get(n) != simdjson::SUCCESS) {
            return 0;
        }
        return n;
    }
    [[nodiscard]] bool boolean() const {
        bool b = false;
        if (element_.get_bool().get(b) != simdjson::SUCCESS) {
            return false;
        }
        return b;
    }
    [[nodiscard]] std::string display() const {
        switch (kind()) {
        case value_kind::object:
            return "an object";
        case value_kind::array:
            return "a list";
        case value_kind::string:
            return std::string(text());
        default:
            return simdjson::to_string(element_);
        }
    }
    [[nodiscard]] simdjson::dom::element element() const noexcept { return element_; }
    [[nodiscard]] std::optional<json_value> get(std::string_view key) const {
        simdjson::dom::object object;
        simdjson::dom::element child;
        if (element_.get_object().get(object) != simdjson::SUCCESS ||
            object.at_key(key).get(child) != simdjson::SUCCESS) {
            return std::nullopt;
        }
        return json_value(child);
    }
    template <class F>
    void members(F&& f) const {
        simdjson::dom::object object;
        if (element_.get_object().get(object) != simdjson::SUCCESS) {
            return;
        }
        for (const auto field : object) {
            f(field.key, json_value(field.value));
        }
    }
    [[nodiscard]] std::size_t size() const {
        simdjson::dom::array array;
        return element_.get_array().get(array) == simdjson::SUCCESS ? array.size() : 0;
    }
    template <class F>
    void elements(F&& f) const {
        simdjson::dom::array array;
        if (element_.get_array().get(array) != simdjson::SUCCESS) {
            return;
        }
        for (const simdjson::dom::element child : array) {
            f(json_value(child));
        }
    }

  private:
    simdjson::dom::element element_;
};

/// Thrown by the on-demand reader on any simdjson error or value it does not handle; the
/// reader then redoes the object (or the file) with the DOM, which reports errors properly.
struct ondemand_failure {};

template <class T>
T checked(simdjson::simdjson_result<T>&& result) {
    T value{};
    if (std::move(result).get(value) != simdjson::SUCCESS) {
        throw ondemand_failure{};
    }
    return value;
}

/// A simdjson On-Demand value seen through the converter's interface. Values are read once,
/// in document order, straight from the input: no DOM tape is built for a big dump. Error
/// messages never come from here (see ondemand_failure).
class ondemand_value {
  public:
    /// The string, when this is one: one look at the value instead of type() then get_string().
    bool string_value(std::string_view& out) const {
        simdjson::ondemand::raw_json_string raw;
        if (value_.get_raw_json_string().get(raw) != simdjson::SUCCESS) {
            return false;
        }
        out = in_place(raw.raw());
        return true;
    }
    bool integer_value(std::int64_t& out) const {
        return value_.get_int64().get(out) == simdjson::SUCCESS;
    }
    explicit ondemand_value(simdjson::ondemand::value value) : value_(value) {}
    explicit ondemand_value(simdjson::ondemand::object object)
        : object_(object), is_object_(true) {}

    [[nodiscard]] value_kind kind() const {
        if (is_object_) {
            return value_kind::object;
        }
        switch (checked(value_.type())) {
        case simdjson::ondemand::json_type::object:
            return value_kind::object;
        case simdjson::ondemand::json_type::array:
            return value_kind::array;
        case simdjson::ondemand::json_type::string:
            return value_kind::string;
        case simdjson::ondemand::json_type::boolean:
            return value_kind::boolean;
        case simdjson::ondemand::json_type::null:
            return value_kind::null;
        case simdjson::ondemand::json_type::number:
            return checked(value_.get_number_type()) ==
                           simdjson::ondemand::number_type::signed_integer
                       ? value_kind::integer
                       : value_kind::floating;
        }
        throw ondemand_failure{};
    }
    /// A string without escapes is used in place, inside the input (no unescaping copy); one
    /// with escapes sends the object to the DOM (see ondemand_failure).
    [[nodiscard]] std::string_view text() const {
        return in_place(checked(value_.get_raw_json_string()).raw());
    }
    [[nodiscard]] std::int64_t integer() const { return checked(value_.get_int64()); }
    [[nodiscard]] bool boolean() const { return checked(value_.get_bool()); }
    /// Only error messages show a value; those come from the DOM redo.
    [[noreturn]] std::string display() const { throw ondemand_failure{}; }
    [[nodiscard]] std::optional<ondemand_value> get(std::string_view key) const {
        simdjson::ondemand::value child;
        const auto error = is_object_ ? object_.find_field_unordered(key).get(child)
                                      : value_.find_field_unordered(key).get(child);
        if (error == simdjson::NO_SUCH_FIELD) {
            return std::nullopt;
        }
        if (error != simdjson::SUCCESS) {
            throw ondemand_failure{};
        }
        return ondemand_value(child);
    }
    template <class F>
    void members(F&& f) const {
        simdjson::ondemand::object object = is_object_ ? object_ : checked(value_.get_object());
        for (auto field : object) {
            simdjson::ondemand::field member = checked(std::move(field));
            const std::string_view key = in_place(member.key().raw());
            f(key, ondemand_value(member.value()));
        }
    }
    template <class F>
    void elements(F&& f) const {
        simdjson::ondemand::array array = checked(value_.get_array());
        for (auto element : array) {
            f(ondemand_value(checked(std::move(element))));
        }
    }

  private:
    /// The string starting at `start` (just after its opening quote) when it has no escapes.
    static std::string_view in_place(const char* start) {
        const char* end = start;
        while (*end != '"') {
            if (*end == '\\') {
                throw ondemand_failure{};
            }
            ++end;
        }
        return {start, static_cast<std::size_t>(end - start)};
    }

    mutable simdjson::ondemand::value value_;
    mutable simdjson::ondemand::object object_;
    bool is_object_ = false;
};

/// One step of a field path: an object key, or an index into a list when `index >= 0`.
struct path_segment {
    std::string_view key;
    std::int64_t index = -1;
};

/// A problem found while converting an object; the reader adds the object's name and position.
struct field_problem {
    std::vector<std::string> keys; // "" for a list index (see indexes)
    std::vector<std::int64_t> indexes;
    std::string message;
    bool at_key = false;
};

std::string render_path(const field_problem& problem) {
    std::string out;
    // A bad key is named in the message; the path stops at the map that holds it.
    const std::size_t length =
        problem.keys.size() - (problem.at_key && !problem.keys.empty() ? 1 : 0);
    for (std::size_t i = 0; i < length; ++i) {
        if (problem.indexes[i] >= 0) {
            out += '[' + std::to_string(problem.indexes[i]) + ']';
        } else {
            if (!out.empty()) {
                out += '.';
            }
            out += problem.keys[i];
        }
    }
    return out;
}

std::string json_quoted(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

/// Converts one manifest object into a model object, checking field types and the values the
/// API server would reject (labels, ports, IPs). Fails with a field_problem naming the path.
/// `key == literal` with the length known at compile time, so the comparison is inlined
/// instead of a call to memcmp (the converter does it for every field of every object).
template <std::size_t N>
[[nodiscard]] inline bool is(std::string_view key, const char (&literal)[N]) noexcept {
    return key.size() == N - 1 && std::memcmp(key.data(), literal, N - 1) == 0;
}

template <class Value>
class converter {
  public:
    [[noreturn]] void fail(std::string message, bool at_key = false) const {
        field_problem problem;
        for (std::size_t i = 0; i < depth_ && i < path_.size(); ++i) {
            problem.keys.emplace_back(path_[i].key);
            problem.indexes.push_back(path_[i].index);
        }
        problem.message = std::move(message);
        problem.at_key = at_key;
        throw problem;
    }

    static std::string describe(const Value& v) {
        switch (v.kind()) {
        case value_kind::object:
            return "an object";
        case value_kind::array:
            return "a list";
        case value_kind::null:
            return "null";
        case value_kind::string:
            return "the string " + json_quoted(v.text());
        case value_kind::boolean:
            return "the boolean " + v.display();
        default:
            return "the number " + v.display();
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
        // On demand, a value that is no object fails inside members() and the object is
        // redone with the DOM (which checks here): one look at the value instead of three.
        if constexpr (!std::is_same_v<Value, ondemand_value>) {
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
        if constexpr (!std::is_same_v<Value, ondemand_value>) {
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
        fail("invalid value " + json_quoted(text) +
             ": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }
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
            fail("unsupported value " + json_quoted(text) +
                 ": supported values: \"SCTP\", \"TCP\", \"UDP\"");
        }
        return text;
    }

    /// A map of labels (or a Service selector), each key and value checked like the API server.
    void labels(const Value& v, svcdisc::label_set& out, bool validate) {
        object(v, [&](std::string_view key, const Value& value) {
            std::string text = as_string(value);
            if (validate) {
                if (const auto errors = svcdisc::label_key_errors(key); !errors.empty()) {
                    fail("invalid label key " + json_quoted(key) + ": " + errors.front(), true);
                }
                if (const auto errors = svcdisc::label_value_errors(text); !errors.empty()) {
                    fail("invalid label value " + json_quoted(text) + ": " + errors.front());
                }
            }
            out.insert_or_assign(key, text);
        });
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
                    svcdisc::owner_reference owner;
                    object(item, [&](std::string_view k, const Value& x) {
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
                    meta.owner_references.push_back(std::move(owner));
                });
            }
        });
    }

    svcdisc::container container(const Value& v) {
        svcdisc::container c;
        object(v, [&](std::string_view key, const Value& value) {
            if (is(key, "name")) {
                c.name = as_string(value);
            } else if (is(key, "restartPolicy")) {
                if (value.kind() != value_kind::null) {
                    c.restart_policy = as_string(value);
                }
            } else if (is(key, "ports")) {
                list(value, [&](const Value& item) {
                    svcdisc::container_port port;
                    object(item, [&](std::string_view k, const Value& x) {
                        if (is(k, "name")) {
                            port.name = as_string(x);
                            if (const auto errors = svcdisc::port_name_errors(port.name);
                                !port.name.empty() && !errors.empty()) {
                                fail("invalid value " + json_quoted(port.name) + ": " +
                                     errors.front());
                            }
                        } else if (is(k, "containerPort")) {
                            port.container_port = as_port(x, false);
                        } else if (is(k, "protocol")) {
                            port.protocol = protocol(x);
                        } else if (is(k, "hostPort")) {
                            port.host_port = as_port(x, true);
                        }
                    });
                    c.ports.push_back(std::move(port));
                });
            }
        });
        return c;
    }

    void pod(const Value& v, svcdisc::pod& p, pod_extra& extra) {
        std::string status_reason;
        bool waiting_or_terminated = false;
        std::string container_reason;
        object(v, [&](std::string_view key, const Value& value) {
            if (is(key, "metadata")) {
                metadata(value, p.metadata);
            } else if (is(key, "spec")) {
                object(value, [&](std::string_view k, const Value& x) {
                    if (is(k, "nodeName")) {
                        p.spec.node_name = as_string(x);
                    } else if (is(k, "hostname")) {
                        p.spec.hostname = as_string(x);
                    } else if (is(k, "subdomain")) {
                        p.spec.subdomain = as_string(x);
                    } else if (is(k, "containers")) {
                        list(x, [&](const Value& item) {
                            p.spec.containers.push_back(container(item));
                        });
                    } else if (is(k, "initContainers")) {
                        list(x, [&](const Value& item) {
                            p.spec.init_containers.push_back(container(item));
                        });
                    }
                });
            } else if (is(key, "status")) {
                object(value, [&](std::string_view k, const Value& x) {
                    if (is(k, "phase")) {
                        p.status.phase = as_string(x);
                    } else if (is(k, "reason")) {
                        status_reason = as_string(x);
                    } else if (is(k, "podIP")) {
                        p.status.pod_ip = ip(x, false);
                    } else if (is(k, "nominatedNodeName")) {
                        extra.nominated_node = as_string(x);
                    } else if (is(k, "podIPs")) {
                        list(x, [&](const Value& item) {
                            object(item, [&](std::string_view ik, const Value& ix) {
                                if (is(ik, "ip")) {
                                    p.status.pod_ips.push_back(ip(ix, false));
                                }
                            });
                        });
                    } else if (is(k, "conditions")) {
                        list(x, [&](const Value& item) {
                            svcdisc::pod_condition condition;
                            object(item, [&](std::string_view ck, const Value& cx) {
                                if (is(ck, "type")) {
                                    condition.type = as_string(cx);
                                } else if (is(ck, "status")) {
                                    condition.status = as_string(cx);
                                }
                            });
                            p.status.conditions.push_back(std::move(condition));
                        });
                    } else if (is(k, "containerStatuses")) {
                        list(x, [&](const Value& item) {
                            bool ready = false;
                            bool running = false;
                            std::string reason;
                            object(item, [&](std::string_view ck, const Value& cx) {
                                if (is(ck, "ready")) {
                                    ready = as_bool(cx);
                                } else if (is(ck, "restartCount")) {
                                    extra.restarts += as_int(cx);
                                } else if (is(ck, "state")) {
                                    object(cx, [&](std::string_view sk, const Value& sx) {
                                        if (is(sk, "running")) {
                                            running = true;
                                        } else if (is(sk, "waiting") || is(sk, "terminated")) {
                                            if (const auto r = sx.get("reason");
                                                r && r->kind() == value_kind::string) {
                                                reason = std::string(r->text());
                                            }
                                        }
                                    });
                                }
                            });
                            if (ready && running) {
                                ++extra.ready_containers;
                            }
                            // kubectl walks the statuses backwards, so the first container's
                            // reason wins; keep the first one seen.
                            if (!reason.empty() && !waiting_or_terminated) {
                                container_reason = reason;
                                waiting_or_terminated = true;
                            }
                        });
                    }
                });
            }
        });
        extra.total_containers = static_cast<int>(p.spec.containers.size());
        extra.status = status_reason.empty() ? p.status.phase : status_reason;
        if (waiting_or_terminated) {
            extra.status = container_reason;
        }
        if (p.metadata.deletion_timestamp) {
            extra.status = status_reason == "NodeLost" ? "Unknown" : "Terminating";
        }
    }

    void service(const Value& v, svcdisc::service& s) {
        object(v, [&](std::string_view key, const Value& value) {
            if (is(key, "metadata")) {
                metadata(value, s.metadata);
            } else if (is(key, "spec")) {
                object(value, [&](std::string_view k, const Value& x) {
                    if (is(k, "selector")) {
                        if (x.kind() != value_kind::null) {
                            s.spec.selector.emplace();
                            labels(x, *s.spec.selector, true);
                        }
                    } else if (is(k, "type")) {
                        s.spec.type = as_string(x);
                    } else if (is(k, "clusterIP")) {
                        s.spec.cluster_ip = ip(x, true);
                    } else if (is(k, "clusterIPs")) {
                        list(x, [&](const Value& item) {
                            s.spec.cluster_ips.push_back(ip(item, true));
                        });
                    } else if (is(k, "ipFamilies")) {
                        s.spec.ip_families = strings(x);
                    } else if (is(k, "ipFamilyPolicy")) {
                        s.spec.ip_family_policy = as_string(x);
                    } else if (is(k, "externalIPs")) {
                        s.spec.external_ips = strings(x);
                    } else if (is(k, "externalName")) {
                        s.spec.external_name = as_string(x);
                    } else if (is(k, "publishNotReadyAddresses")) {
                        s.spec.publish_not_ready_addresses = as_bool(x);
                    } else if (is(k, "trafficDistribution")) {
                        if (x.kind() != value_kind::null) {
                            s.spec.traffic_distribution = as_string(x);
                        }
                    } else if (is(k, "ports")) {
                        list(x, [&](const Value& item) {
                            s.spec.ports.push_back(service_port(item));
                        });
                    }
                });
            } else if (is(key, "status")) {
                object(value, [&](std::string_view k, const Value& x) {
                    if (!is(k, "loadBalancer")) {
                        return;
                    }
                    object(x, [&](std::string_view lk, const Value& lx) {
                        if (!is(lk, "ingress")) {
                            return;
                        }
                        list(lx, [&](const Value& item) {
                            std::string ip_text;
                            std::string hostname;
                            object(item, [&](std::string_view ik, const Value& ix) {
                                if (is(ik, "ip")) {
                                    ip_text = as_string(ix);
                                } else if (is(ik, "hostname")) {
                                    hostname = as_string(ix);
                                }
                            });
                            s.status.load_balancer_ingress.push_back(ip_text.empty() ? hostname
                                                                                     : ip_text);
                        });
                    });
                });
            }
        });
    }

    svcdisc::service_port service_port(const Value& v) {
        svcdisc::service_port port;
        object(v, [&](std::string_view key, const Value& value) {
            if (is(key, "name")) {
                port.name = as_string(value);
                if (!port.name.empty() && !svcdisc::is_dns1123_label(port.name)) {
                    fail("invalid value " + json_quoted(port.name) +
                         ": a lowercase RFC 1123 label must consist of lower case alphanumeric "
                         "characters or '-', and must start and end with an alphanumeric "
                         "character");
                }
            } else if (is(key, "protocol")) {
                port.protocol = protocol(value);
            } else if (is(key, "appProtocol")) {
                if (value.kind() != value_kind::null) {
                    port.app_protocol = as_string(value);
                }
            } else if (is(key, "port")) {
                port.port = as_port(value, false);
            } else if (is(key, "nodePort")) {
                port.node_port = as_port(value, true);
            } else if (is(key, "targetPort")) {
                if (value.kind() == value_kind::string) {
                    std::string name(value.text());
                    if (const auto errors = svcdisc::port_name_errors(name);
                        !name.empty() && !errors.empty()) {
                        fail("invalid value " + json_quoted(name) + ": " + errors.front());
                    }
                    port.target_port = svcdisc::int_or_string(std::move(name));
                } else if (value.kind() != value_kind::null) {
                    port.target_port = svcdisc::int_or_string(as_port(value, true));
                }
            }
        });
        return port;
    }

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

    svcdisc::endpoint_address address(const Value& v) {
        svcdisc::endpoint_address a;
        object(v, [&](std::string_view k, const Value& x) {
            if (is(k, "ip")) {
                a.ip = as_string(x);
                if (!svcdisc::ip_address::parse(a.ip)) {
                    invalid_ip(a.ip); // required here: an address without an IP is no address
                }
            } else if (is(k, "hostname")) {
                a.hostname = as_string(x);
            } else if (is(k, "nodeName")) {
                if (x.kind() != value_kind::null) {
                    a.node_name = as_string(x);
                }
            } else if (is(k, "targetRef")) {
                if (x.kind() != value_kind::null) {
                    a.target_ref = reference(x);
                }
            }
        });
        return a;
    }

    void endpoints(const Value& v, svcdisc::endpoints& e) {
        object(v, [&](std::string_view key, const Value& value) {
            if (is(key, "metadata")) {
                metadata(value, e.metadata);
            } else if (is(key, "subsets")) {
                list(value, [&](const Value& item) {
                    svcdisc::endpoint_subset subset;
                    object(item, [&](std::string_view k, const Value& x) {
                        if (is(k, "addresses")) {
                            list(x,
                                 [&](const Value& a) { subset.addresses.push_back(address(a)); });
                        } else if (is(k, "notReadyAddresses")) {
                            list(x, [&](const Value& a) {
                                subset.not_ready_addresses.push_back(address(a));
                            });
                        } else if (is(k, "ports")) {
                            list(x, [&](const Value& p) {
                                svcdisc::endpoint_port port;
                                object(p, [&](std::string_view pk, const Value& px) {
                                    if (is(pk, "name")) {
                                        port.name = as_string(px);
                                    } else if (is(pk, "port")) {
                                        port.port = as_port(px, false);
                                    } else if (is(pk, "protocol")) {
                                        port.protocol = protocol(px);
                                    } else if (is(pk, "appProtocol")) {
                                        if (px.kind() != value_kind::null) {
                                            port.app_protocol = as_string(px);
                                        }
                                    }
                                });
                                subset.ports.push_back(std::move(port));
                            });
                        }
                    });
                    e.subsets.push_back(std::move(subset));
                });
            }
        });
    }

    void slice(const Value& v, svcdisc::endpoint_slice& s) {
        object(v, [&](std::string_view key, const Value& value) {
            if (is(key, "metadata")) {
                metadata(value, s.metadata);
            } else if (is(key, "addressType")) {
                s.address_type = as_string(value);
            } else if (is(key, "ports")) {
                list(value, [&](const Value& item) {
                    svcdisc::endpoint_slice_port port;
                    object(item, [&](std::string_view k, const Value& x) {
                        if (x.kind() == value_kind::null) {
                            return;
                        }
                        if (is(k, "name")) {
                            port.name = as_string(x);
                        } else if (is(k, "protocol")) {
                            port.protocol = protocol(x);
                        } else if (is(k, "port")) {
                            port.port = as_port(x, false);
                        } else if (is(k, "appProtocol")) {
                            port.app_protocol = as_string(x);
                        }
                    });
                    s.ports.push_back(std::move(port));
                });
            } else if (is(key, "endpoints")) {
                list(value, [&](const Value& item) {
                    svcdisc::endpoint e;
                    object(item, [&](std::string_view k, const Value& x) {
                        if (x.kind() == value_kind::null) {
                            return;
                        }
                        if (is(k, "addresses")) {
                            e.addresses = strings(x);
                        } else if (is(k, "conditions")) {
                            object(x, [&](std::string_view ck, const Value& cx) {
                                if (cx.kind() == value_kind::null) {
                                    return;
                                }
                                if (is(ck, "ready")) {
                                    e.conditions.ready = as_bool(cx);
                                } else if (is(ck, "serving")) {
                                    e.conditions.serving = as_bool(cx);
                                } else if (is(ck, "terminating")) {
                                    e.conditions.terminating = as_bool(cx);
                                }
                            });
                        } else if (is(k, "hostname")) {
                            e.hostname = as_string(x);
                        } else if (is(k, "nodeName")) {
                            e.node_name = as_string(x);
                        } else if (is(k, "zone")) {
                            e.zone = as_string(x);
                        } else if (is(k, "targetRef")) {
                            e.target_ref = reference(x);
                        } else if (is(k, "hints")) {
                            svcdisc::endpoint_hints hints;
                            object(x, [&](std::string_view hk, const Value& hx) {
                                auto& names =
                                    is(hk, "forZones") ? hints.for_zones : hints.for_nodes;
                                if (!is(hk, "forZones") && !is(hk, "forNodes")) {
                                    return;
                                }
                                list(hx, [&](const Value& h) {
                                    if (const auto name = h.get("name")) {
                                        names.push_back(as_string(*name));
                                    }
                                });
                            });
                            e.hints = std::move(hints);
                        }
                    });
                    s.endpoints.push_back(std::move(e));
                });
            }
        });
    }

    void node(const Value& v, svcdisc::node& n, node_extra& extra) {
        object(v, [&](std::string_view key, const Value& value) {
            if (is(key, "metadata")) {
                metadata(value, n.metadata);
            } else if (is(key, "spec")) {
                object(value, [&](std::string_view k, const Value& x) {
                    if (is(k, "unschedulable")) {
                        extra.unschedulable = as_bool(x);
                    }
                });
            } else if (is(key, "status")) {
                object(value, [&](std::string_view k, const Value& x) {
                    if (is(k, "conditions")) {
                        list(x, [&](const Value& item) {
                            svcdisc::node_condition condition;
                            object(item, [&](std::string_view ck, const Value& cx) {
                                if (is(ck, "type")) {
                                    condition.type = as_string(cx);
                                } else if (is(ck, "status")) {
                                    condition.status = as_string(cx);
                                }
                            });
                            n.conditions.push_back(std::move(condition));
                        });
                    } else if (is(k, "allocatable")) {
                        object(x, [&](std::string_view ak, const Value& ax) {
                            if (is(ak, "cpu")) {
                                n.allocatable_cpu = ax.kind() == value_kind::string
                                                        ? std::string(ax.text())
                                                        : ax.display();
                            }
                        });
                    } else if (is(k, "nodeInfo")) {
                        object(x, [&](std::string_view ik, const Value& ix) {
                            if (is(ik, "kubeletVersion")) {
                                extra.kubelet_version = as_string(ix);
                            }
                        });
                    } else if (is(k, "addresses")) {
                        list(x, [&](const Value& item) {
                            std::string type;
                            std::string address;
                            object(item, [&](std::string_view ak, const Value& ax) {
                                if (is(ak, "type")) {
                                    type = as_string(ax);
                                } else if (is(ak, "address")) {
                                    address = as_string(ax);
                                }
                            });
                            if (type == "InternalIP" && extra.internal_ip.empty()) {
                                extra.internal_ip = address;
                            } else if (type == "ExternalIP" && extra.external_ip.empty()) {
                                extra.external_ip = address;
                            }
                        });
                    }
                });
            }
        });
    }

  private:
    /// The path to the field being read: a fixed stack (no allocation per field); manifests
    /// nest far less deeply, and deeper levels are simply not named in errors.
    void push(path_segment segment) noexcept {
        if (depth_ < path_.size()) {
            path_[depth_] = segment;
        }
        ++depth_;
    }
    std::array<path_segment, 32> path_{};
    std::size_t depth_ = 0;
};

/// kubectl's `apiVersion` for each kind svcdisc reads.
std::string_view api_version_of(std::string_view kind) {
    return kind == "EndpointSlice" ? "discovery.k8s.io/v1" : "v1";
}

bool is_namespaced(std::string_view kind) {
    return kind != "Node";
}

/// `kind: List` and the typed lists (PodList, ...).
bool is_list_kind(std::string_view kind) {
    return kind.ends_with("List");
}

/// The kind a typed list's items have when they leave theirs out: Pod for PodList, "" for List.
std::string_view listed_kind(std::string_view list_kind) {
    return is_list_kind(list_kind) ? list_kind.substr(0, list_kind.size() - 4) : std::string_view{};
}

template <class Value>
std::string optional_text(const Value& v, std::string_view key) {
    const auto child = v.get(key);
    if (!child || child->kind() != value_kind::string) {
        return {};
    }
    return std::string(child->text());
}

/// Emits a parsed value with its object keys sorted (kubectl's order), adding the
/// kind/apiVersion/namespace the input left out at the top level.
struct injection {
    std::string_view kind;
    std::string_view namespace_;
};

template <class Value>
void emit_value(const Value& v, emitter& out, const injection* inject, bool top) {
    switch (v.kind()) {
    case value_kind::null:
        out.null();
        return;
    case value_kind::boolean:
        out.boolean(v.boolean());
        return;
    case value_kind::integer:
        out.integer(v.integer());
        return;
    case value_kind::floating:
        out.number_text(v.display());
        return;
    case value_kind::string:
        out.string(v.text());
        return;
    case value_kind::array:
        out.begin_array();
        v.elements([&](const Value& child) { emit_value(child, out, nullptr, false); });
        out.end_array();
        return;
    case value_kind::object:
        break;
    }
    std::vector<std::pair<std::string_view, Value>> members;
    v.members([&](std::string_view key, const Value& child) { members.emplace_back(key, child); });
    std::vector<std::pair<std::string_view, std::string_view>> extra_scalars;
    if (inject != nullptr && top) {
        if (!v.get("apiVersion")) {
            extra_scalars.emplace_back("apiVersion", api_version_of(inject->kind));
        }
        if (!v.get("kind")) {
            extra_scalars.emplace_back("kind", inject->kind);
        }
    } else if (inject != nullptr && !inject->namespace_.empty() && !v.get("namespace")) {
        extra_scalars.emplace_back("namespace", inject->namespace_);
    }
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::sort(extra_scalars.begin(), extra_scalars.end());
    out.begin_object();
    auto extra = extra_scalars.begin();
    for (const auto& [key, child] : members) {
        for (; extra != extra_scalars.end() && extra->first < key; ++extra) {
            out.field(extra->first, extra->second);
        }
        out.key(key);
        const bool metadata = inject != nullptr && top && key == "metadata";
        emit_value(child, out, metadata ? inject : nullptr, false);
    }
    for (; extra != extra_scalars.end(); ++extra) {
        out.field(extra->first, extra->second);
    }
    out.end_object();
}

} // namespace

struct input_store::impl {
    struct file {
        std::string name;
        /// The bytes: a private read-only mapping of the file when the page it ends in leaves
        /// room for simdjson's padding (no copy of a 100 MB dump), else an owned padded copy.
        simdjson::padded_string owned;
        const char* mapped = nullptr;
        std::size_t mapped_length = 0;
        std::string_view bytes;

        file() = default;
        file(const file&) = delete;
        file& operator=(const file&) = delete;
        ~file() {
            if (mapped != nullptr) {
                munmap(const_cast<char*>(mapped), mapped_length); // NOLINT(*-const-cast)
            }
        }
        bool is_json = false;
        std::unique_ptr<simdjson::dom::parser> parser;
        simdjson::dom::element json_root;
        /// The items of a JSON List, so an object can be printed without a scan: DOM elements,
        /// or (when the list was read on demand) each item's text, found when first needed.
        std::vector<simdjson::dom::element> json_items;
        bool on_demand = false;
        std::vector<std::string_view> raw_items;
        std::string list_kind;

        /// The text of each item of a List read on demand (it parsed once already).
        const std::vector<std::string_view>& item_texts() {
            if (raw_items.empty()) {
                simdjson::ondemand::parser item_finder;
                const std::string_view all = view();
                auto document = item_finder.iterate(simdjson::padded_string_view(
                    all.data(), all.size(), all.size() + simdjson::SIMDJSON_PADDING));
                for (auto element : document["items"]) {
                    simdjson::ondemand::object object;
                    std::string_view raw;
                    if (element.get_object().get(object) == simdjson::SUCCESS &&
                        object.raw_json().get(raw) == simdjson::SUCCESS) {
                        raw_items.push_back(raw);
                    }
                }
            }
            return raw_items;
        }
        std::vector<YAML::Node> yaml_documents;
        bool yaml_loaded = false;

        [[nodiscard]] std::string_view view() const { return bytes; }
    };

    std::vector<std::unique_ptr<file>> files;

    /// Maps (or, when that cannot give simdjson its padding, reads) a file's bytes.
    static void map_file(file& f);

    const read_options* options = nullptr;
    cluster* out = nullptr;

    /// YAML documents of a file; JSON files are parsed with yaml-cpp only when an error needs a
    /// position (simdjson's DOM keeps none).
    const std::vector<YAML::Node>& yaml_documents(file& f) const {
        if (!f.yaml_loaded) {
            f.yaml_loaded = true;
            try {
                f.yaml_documents = YAML::LoadAll(std::string(f.view()));
            } catch (const YAML::Exception&) {
                f.yaml_documents.clear();
            }
        }
        return f.yaml_documents;
    }

    [[nodiscard]] std::string positioned(const file& f, std::size_t line, std::size_t column,
                                         const std::string& message) const {
        const std::string_view text = f.view();
        std::size_t offset = 0;
        for (std::size_t l = 0; l < line && offset < text.size(); ++l) {
            const auto newline = text.find('\n', offset);
            offset = newline == std::string_view::npos ? text.size() : newline + 1;
        }
        offset = std::min(offset + column, text.size());
        std::string rendered = "error: " + f.name + ":" + std::to_string(line + 1) + ":" +
                               std::to_string(column + 1) + ": " + message + "\n";
        if (!text.empty()) {
            rendered += svcdisc::render_caret(text, offset) + "\n";
        }
        return rendered;
    }

    /// The error for a field problem in the object at `from`, pointing at the field.
    std::string locate(const origin& from, const field_problem& problem,
                       const std::string& prefix) {
        file& f = *files[from.file];
        const auto& documents = yaml_documents(f);
        std::optional<YAML::Mark> mark;
        if (from.document < documents.size()) {
            const YAML::Node document_node = documents[from.document];
            YAML::Node node = document_node;
            if (from.item >= 0) {
                const YAML::Node items = document_node["items"];
                node.reset(items[static_cast<std::size_t>(from.item)]);
            }
            mark = node.Mark();
            for (std::size_t i = 0; i < problem.keys.size() && node.IsDefined(); ++i) {
                YAML::Node next;
                bool found = false;
                if (problem.indexes[i] >= 0) {
                    if (node.IsSequence() &&
                        static_cast<std::size_t>(problem.indexes[i]) < node.size()) {
                        next = node[static_cast<std::size_t>(problem.indexes[i])];
                        found = true;
                    }
                } else if (node.IsMap()) {
                    for (auto it = node.begin(); it != node.end(); ++it) {
                        if (it->first.Scalar() == problem.keys[i]) {
                            const bool last = i + 1 == problem.keys.size();
                            next = (last && problem.at_key) ? it->first : it->second;
                            found = true;
                            break;
                        }
                    }
                }
                if (!found) {
                    break;
                }
                node.reset(next);
                if (node.Mark().line >= 0) {
                    mark = node.Mark();
                }
            }
        }
        const std::string path = render_path(problem);
        const std::string message = prefix + (path.empty() ? "" : path + ": ") + problem.message;
        if (!mark || mark->line < 0) {
            return "error: " + f.name + ": " + message + "\n";
        }
        return positioned(f, static_cast<std::size_t>(mark->line),
                          static_cast<std::size_t>(mark->column), message);
    }

    template <class Value>
    void read_object(const Value& v, std::string_view kind, const origin& from) {
        converter<Value> convert;
        std::string default_ns = options->default_namespace;
        auto finish_meta = [&](svcdisc::object_meta& meta) {
            if (meta.name.empty()) {
                field_problem problem;
                problem.keys = {"metadata", "name"};
                problem.indexes = {-1, -1};
                problem.message = "required value: name is required";
                throw problem;
            }
            if (!is_namespaced(kind)) {
                meta.namespace_.clear();
            } else if (meta.namespace_.empty()) {
                meta.namespace_ = default_ns;
            }
        };
        try {
            if (kind == "Pod") {
                svcdisc::pod p;
                pod_extra extra;
                convert.pod(v, p, extra);
                finish_meta(p.metadata);
                svcdisc::apply_defaults(p);
                out->pods.push_back(std::move(p));
                out->pod_origins.push_back(from);
                out->pod_extras.push_back(std::move(extra));
            } else if (kind == "Service") {
                entry<svcdisc::service> e{{}, from, {}};
                convert.service(v, e.object);
                finish_meta(e.object.metadata);
                svcdisc::apply_defaults(e.object);
                out->services.push_back(std::move(e));
            } else if (kind == "Endpoints") {
                entry<svcdisc::endpoints> e{{}, from, {}};
                convert.endpoints(v, e.object);
                finish_meta(e.object.metadata);
                svcdisc::apply_defaults(e.object);
                out->endpoints_objects.push_back(std::move(e));
            } else if (kind == "EndpointSlice") {
                entry<svcdisc::endpoint_slice> e{{}, from, {}};
                convert.slice(v, e.object);
                finish_meta(e.object.metadata);
                out->slices.push_back(std::move(e));
            } else if (kind == "Node") {
                entry<svcdisc::node, node_extra> e{{}, from, {}};
                convert.node(v, e.object, e.extra);
                finish_meta(e.object.metadata);
                out->nodes.push_back(std::move(e));
            } else if (options->note) {
                std::string name;
                if (const auto meta = v.get("metadata")) {
                    name = optional_text(*meta, "name");
                }
                options->note("ignoring " + std::string(kind) + " \"" + name + "\" (" +
                              files[from.file]->name +
                              "): svcdisc reads Pods, Services, "
                              "Endpoints, EndpointSlices and Nodes");
            }
        } catch (const field_problem& problem) {
            if constexpr (std::is_same_v<Value, ondemand_value>) {
                throw ondemand_failure{}; // the DOM redo names the object and the position
            }
            std::string name;
            if (const auto meta = v.get("metadata"); meta && meta->kind() == value_kind::object) {
                name = optional_text(*meta, "name");
            }
            throw cli_error(
                2, locate(from, problem, std::string(kind) + " \"" + name + "\" is invalid: "));
        }
    }

    template <class Value>
    void read_document(const Value& doc, std::uint32_t file_index, std::uint32_t document) {
        const origin whole{file_index, document, -1};
        if (doc.kind() == value_kind::null) {
            return; // an empty document, e.g. after a trailing `---`
        }
        if (doc.kind() != value_kind::object) {
            field_problem problem;
            problem.message = "expected a Kubernetes object (a mapping with apiVersion, kind and "
                              "metadata), found " +
                              converter<Value>::describe(doc);
            throw cli_error(2, locate(whole, problem, ""));
        }
        const auto kind_value = doc.get("kind");
        if (!kind_value || kind_value->kind() != value_kind::string || kind_value->text().empty()) {
            field_problem problem;
            problem.message = "object has no kind: every manifest needs apiVersion and kind";
            throw cli_error(2, locate(whole, problem, ""));
        }
        const std::string_view kind = kind_value->text();
        const auto items = doc.get("items");
        if (is_list_kind(kind) && items) {
            // `kind: List` holds any kinds; a typed list (PodList …) may leave them out.
            const std::string item_kind(listed_kind(kind));
            std::int32_t index = 0;
            if (items->kind() != value_kind::array && items->kind() != value_kind::null) {
                field_problem problem;
                problem.keys = {"items"};
                problem.indexes = {-1};
                problem.message = "expected a list, found " + converter<Value>::describe(*items);
                throw cli_error(2, locate(whole, problem, std::string(kind) + ": "));
            }
            // Most of a big dump is pods: reserve once instead of moving them while growing.
            const std::size_t count = items->size();
            out->pods.reserve(out->pods.size() + count);
            out->pod_origins.reserve(out->pod_origins.size() + count);
            out->pod_extras.reserve(out->pod_extras.size() + count);
            if constexpr (std::is_same_v<Value, json_value>) {
                files[file_index]->json_items.reserve(count);
            }
            items->elements([&](const Value& item) {
                if constexpr (std::is_same_v<Value, json_value>) {
                    files[file_index]->json_items.push_back(item.element());
                }
                const origin from{file_index, document, index++};
                if (item.kind() != value_kind::object) {
                    field_problem problem;
                    problem.message = "expected a Kubernetes object in items, found " +
                                      converter<Value>::describe(item);
                    throw cli_error(2, locate(from, problem, ""));
                }
                std::string own_kind = optional_text(item, "kind");
                if (own_kind.empty()) {
                    own_kind = item_kind;
                }
                read_object(item, own_kind, from);
            });
            return;
        }
        read_object(doc, kind, whole);
    }

    /// A parser for one object at a time: redoing an item the on-demand reader gave up on,
    /// and printing items of a list read on demand.
    mutable simdjson::dom::parser item_parser;

    /// Converts every item of a List read on demand; an item the on-demand reader gives up on
    /// is redone with the DOM, which reports any error with the object's name and position.
    /// `item_kind` is what the list's name says its items are ("" when not known yet).
    void convert_items(simdjson::ondemand::array& items, std::string_view item_kind,
                       std::uint32_t file_index) {
        std::int32_t index = 0;
        for (auto element : items) {
            simdjson::ondemand::object object = checked(checked(std::move(element)).get_object());
            std::string kind;
            std::string_view own_kind;
            if (object.find_field_unordered("kind").get_string().get(own_kind) ==
                simdjson::SUCCESS) {
                kind = own_kind;
            } else if (!item_kind.empty()) {
                kind = item_kind;
            } else {
                throw ondemand_failure{}; // a typed list naming itself after its items: DOM
            }
            checked(object.reset());
            const origin from{file_index, 0, index++};
            try {
                read_object(ondemand_value(object), kind, from);
            } catch (const ondemand_failure&) {
                checked(object.reset());
                const std::string_view raw = checked(object.raw_json());
                simdjson::dom::element item;
                if (item_parser.parse(raw.data(), raw.size()).get(item) != simdjson::SUCCESS) {
                    throw;
                }
                read_object(json_value(item), kind, from);
            }
        }
    }

    /// Reads a JSON `kind: …List` on demand, in one pass over the root's fields (kubectl prints
    /// `kind` after `items`, the API server before). Returns false, having read nothing, when
    /// the file is no such list or turns out not to be valid JSON (the DOM path then takes over
    /// and reports errors).
    bool read_json_list_on_demand(file& f, std::uint32_t file_index) {
        const std::size_t pods = out->pods.size();
        const std::size_t services = out->services.size();
        const std::size_t endpoints = out->endpoints_objects.size();
        const std::size_t slices = out->slices.size();
        const std::size_t nodes = out->nodes.size();
        try {
            simdjson::ondemand::parser parser;
            const std::string_view text = f.view();
            simdjson::ondemand::document document =
                checked(parser.iterate(simdjson::padded_string_view(
                    text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING)));
            simdjson::ondemand::object root = checked(document.get_object());
            std::string list_kind;
            bool saw_items = false;
            for (auto field : root) {
                simdjson::ondemand::field member = checked(std::move(field));
                const std::string_view key = checked(member.unescaped_key());
                if (key == "kind") {
                    list_kind = std::string(checked(member.value().get_string()));
                    if (!is_list_kind(list_kind)) {
                        throw ondemand_failure{};
                    }
                } else if (key == "items") {
                    saw_items = true;
                    // Most of a big dump is pods, each at least ~500 bytes of JSON: reserve
                    // once instead of moving them while the vectors grow.
                    const std::size_t estimate = text.size() / 512;
                    out->pods.reserve(out->pods.size() + estimate);
                    out->pod_origins.reserve(out->pod_origins.size() + estimate);
                    out->pod_extras.reserve(out->pod_extras.size() + estimate);
                    simdjson::ondemand::array items = checked(member.value().get_array());
                    convert_items(items, listed_kind(list_kind), file_index);
                }
            }
            if (!saw_items || !is_list_kind(list_kind)) {
                throw ondemand_failure{};
            }
            f.list_kind = list_kind;
            return true;
        } catch (const ondemand_failure&) {
            out->pods.resize(pods);
            out->pod_origins.resize(pods);
            out->pod_extras.resize(pods);
            out->services.resize(services);
            out->endpoints_objects.resize(endpoints);
            out->slices.resize(slices);
            out->nodes.resize(nodes);
            return false;
        }
    }

    void read_file(std::unique_ptr<file> f) {
        const auto file_index = static_cast<std::uint32_t>(files.size());
        files.push_back(std::move(f));
        file& current = *files.back();
        const std::string_view view = current.view();
        const auto first = view.find_first_not_of(" \t\r\n");
        if (first != std::string_view::npos && (view[first] == '{' || view[first] == '[')) {
            // JSON fast paths: a List on demand, anything else through simdjson's DOM. On a
            // syntax error fall through to yaml-cpp, which reads JSON too (a little more
            // leniently) and reports a line and column.
            if (read_json_list_on_demand(current, file_index)) {
                current.is_json = true;
                current.on_demand = true;
                return;
            }
            current.parser = std::make_unique<simdjson::dom::parser>();
            if (current.parser->parse(view.data(), view.size(), false).get(current.json_root) ==
                simdjson::SUCCESS) {
                current.is_json = true;
                read_document(json_value(current.json_root), file_index, 0);
                return;
            }
            current.parser.reset();
        }
        try {
            current.yaml_documents = YAML::LoadAll(std::string(view));
            current.yaml_loaded = true;
        } catch (const YAML::ParserException& e) {
            std::string message = e.msg;
            throw cli_error(2,
                            positioned(current, static_cast<std::size_t>(std::max(0, e.mark.line)),
                                       static_cast<std::size_t>(std::max(0, e.mark.column)),
                                       message.empty() ? "invalid YAML" : message));
        }
        for (std::size_t i = 0; i < current.yaml_documents.size(); ++i) {
            read_document(yaml_value(current.yaml_documents[i]), file_index,
                          static_cast<std::uint32_t>(i));
        }
    }
};

input_store::input_store() : impl_(std::make_unique<impl>()) {}
input_store::~input_store() = default;

namespace {

bool is_manifest_name(const std::filesystem::path& p) {
    const auto ext = p.extension().string();
    return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

[[noreturn]] void cannot_read(const std::string& name) {
    throw cli_error(2, "error: cannot read \"" + name + "\": " + std::strerror(errno) + "\n");
}

} // namespace

void input_store::impl::map_file(file& f) {
    const int fd = ::open(f.name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        cannot_read(f.name);
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        ::close(fd);
        cannot_read(f.name);
    }
    const auto size = static_cast<std::size_t>(info.st_size);
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t length = (size + page - 1) / page * page;
    if (size > 0 && length - size >= simdjson::SIMDJSON_PADDING) {
        void* map = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (map != MAP_FAILED) {
            ::close(fd);
            f.mapped = static_cast<const char*>(map);
            f.mapped_length = length;
            f.bytes = std::string_view(f.mapped, size);
            return;
        }
    }
    ::close(fd);
    if (simdjson::padded_string::load(f.name).get(f.owned) != simdjson::SUCCESS) {
        cannot_read(f.name);
    }
    f.bytes = std::string_view(f.owned.data(), f.owned.size());
}

void input_store::read(const read_options& options, cluster& out) {
    impl_->options = &options;
    impl_->out = &out;
    namespace fs = std::filesystem;
    for (const auto& path : options.paths) {
        if (path == "-") {
            std::string text;
            std::array<char, 65536> buffer{};
            std::size_t got = 0;
            while ((got = std::fread(buffer.data(), 1, buffer.size(), stdin)) > 0) {
                text.append(buffer.data(), got);
            }
            auto f = std::make_unique<impl::file>();
            f->name = "<stdin>";
            f->owned = simdjson::padded_string(text);
            f->bytes = std::string_view(f->owned.data(), f->owned.size());
            impl_->read_file(std::move(f));
            continue;
        }
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        if (ec || !fs::exists(status)) {
            throw cli_error(2, "error: the path \"" + path + "\" does not exist\n");
        }
        std::vector<std::string> names;
        if (fs::is_directory(status)) {
            auto collect = [&](const fs::directory_entry& e) {
                if (e.is_regular_file() && is_manifest_name(e.path())) {
                    names.push_back(e.path().string());
                }
            };
            if (options.recursive) {
                for (const auto& e : fs::recursive_directory_iterator(path)) {
                    collect(e);
                }
            } else {
                for (const auto& e : fs::directory_iterator(path)) {
                    collect(e);
                }
            }
            std::sort(names.begin(), names.end()); // kubectl reads a directory in name order
        } else {
            names.push_back(path);
        }
        for (const auto& name : names) {
            auto f = std::make_unique<impl::file>();
            f->name = name;
            impl::map_file(*f);
            if (options.note) {
                options.note("reading " + name);
            }
            impl_->read_file(std::move(f));
        }
    }

    // The API server lists objects by namespace, then name. An object defined twice keeps its
    // later definition, as a second `kubectl apply` would.
    auto same_key = [](const svcdisc::object_meta& a, const svcdisc::object_meta& b) {
        return a.namespace_ == b.namespace_ && a.name == b.name;
    };
    auto note_duplicate = [&](std::string_view kind, const svcdisc::object_meta& meta) {
        if (options.note) {
            options.note("duplicate " + std::string(kind) + " \"" +
                         (meta.namespace_.empty() ? "" : meta.namespace_ + "/") + meta.name +
                         "\": the later definition wins");
        }
    };
    auto pod_less = [](const svcdisc::pod& a, const svcdisc::pod& b) {
        return std::tie(a.metadata.namespace_, a.metadata.name) <
               std::tie(b.metadata.namespace_, b.metadata.name);
    };
    // kubectl lists pods sorted already; then there is nothing to reorder or to drop.
    const bool strictly_sorted =
        std::adjacent_find(out.pods.begin(), out.pods.end(), [&](const auto& a, const auto& b) {
            return !pod_less(a, b);
        }) == out.pods.end();
    std::vector<std::size_t> order(strictly_sorted ? 0 : out.pods.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return pod_less(out.pods[a], out.pods[b]);
    });
    bool duplicates = false;
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
        if (same_key(out.pods[order[i]].metadata, out.pods[order[i + 1]].metadata)) {
            duplicates = true;
            note_duplicate("Pod", out.pods[order[i]].metadata);
        }
    }
    if (!strictly_sorted && (duplicates || !std::is_sorted(order.begin(), order.end()))) {
        std::vector<svcdisc::pod> pods;
        std::vector<origin> origins;
        std::vector<pod_extra> extras;
        pods.reserve(order.size());
        origins.reserve(order.size());
        extras.reserve(order.size());
        for (std::size_t k = 0; k < order.size(); ++k) {
            const std::size_t i = order[k];
            if (k + 1 < order.size() &&
                same_key(out.pods[i].metadata, out.pods[order[k + 1]].metadata)) {
                continue;
            }
            pods.push_back(std::move(out.pods[i]));
            origins.push_back(out.pod_origins[i]);
            extras.push_back(std::move(out.pod_extras[i]));
        }
        out.pods = std::move(pods);
        out.pod_origins = std::move(origins);
        out.pod_extras = std::move(extras);
    }
    auto sort_and_dedupe = [&](auto& v, std::string_view kind) {
        std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
            return std::tie(a.object.metadata.namespace_, a.object.metadata.name) <
                   std::tie(b.object.metadata.namespace_, b.object.metadata.name);
        });
        std::size_t kept = 0;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i + 1 < v.size() && same_key(v[i].object.metadata, v[i + 1].object.metadata)) {
                note_duplicate(kind, v[i].object.metadata);
                continue;
            }
            if (kept != i) {
                v[kept] = std::move(v[i]);
            }
            ++kept;
        }
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(kept), v.end());
    };
    sort_and_dedupe(out.services, "Service");
    sort_and_dedupe(out.endpoints_objects, "Endpoints");
    sort_and_dedupe(out.slices, "EndpointSlice");
    sort_and_dedupe(out.nodes, "Node");
}

void input_store::emit_as_read(const origin& from, std::string_view namespace_,
                               emitter& out) const {
    impl::file& f = *impl_->files[from.file];
    // An item of a typed list may leave out its kind; the list's name gives it.
    auto emit = [&](const auto& v, std::string_view list_kind) {
        std::string kind = optional_text(v, "kind");
        if (kind.empty()) {
            kind = listed_kind(list_kind);
        }
        const injection inject{kind, namespace_};
        emit_value(v, out, &inject, true);
    };
    if (f.on_demand) {
        simdjson::dom::element element;
        const std::string_view raw = f.item_texts()[static_cast<std::size_t>(from.item)];
        if (impl_->item_parser.parse(raw.data(), raw.size()).get(element) != simdjson::SUCCESS) {
            return; // it parsed when it was read
        }
        emit(json_value(element), f.list_kind);
        return;
    }
    if (f.is_json) {
        const json_value root(f.json_root);
        if (from.item < 0) {
            emit(root, "");
        } else {
            emit(json_value(f.json_items[static_cast<std::size_t>(from.item)]),
                 optional_text(root, "kind"));
        }
        return;
    }
    const YAML::Node node = f.yaml_documents[from.document];
    if (from.item < 0) {
        emit(yaml_value(node), "");
    } else {
        emit(yaml_value(node["items"][static_cast<std::size_t>(from.item)]), node["kind"].Scalar());
    }
}

} // namespace svcdisc_cli
