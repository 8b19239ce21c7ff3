#pragma once

// The YAML backend: yaml-cpp behind the value interface (value.hpp). Only this header and
// yaml_backend.cpp know yaml-cpp; replacing the parser means replacing these two files.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "read/value.hpp"

namespace svcdisc_cli {

/// A YAML node through the value interface. Plain scalars resolve as go-yaml resolves them
/// (YAML 1.1: `yes` is a boolean, `1.10` a float, `~` null); quoted ones are strings.
class yaml_value : public typed_scalars<yaml_value> {
  public:
    static constexpr bool reports_errors = true;

    explicit yaml_value(YAML::Node node) : node_(std::move(node)) {}
    yaml_value(const yaml_value&) = default;
    yaml_value(yaml_value&&) = default;
    ~yaml_value() = default;
    // YAML::Node's assignment writes the right-hand node into the node the left refers to, i.e.
    // it edits the document; a yaml_value rebinds instead, so sorting a list of them (as the
    // as-read printer does with an object's members) leaves the parsed input intact.
    yaml_value& operator=(const yaml_value& other) {
        node_.reset(other.node_);
        return *this;
    }
    yaml_value& operator=(yaml_value&& other) noexcept {
        node_.reset(other.node_);
        return *this;
    }

    [[nodiscard]] value_kind kind() const;
    [[nodiscard]] std::string_view text() const { return node_.Scalar(); }
    [[nodiscard]] std::int64_t integer() const;
    [[nodiscard]] bool boolean() const;
    [[nodiscard]] std::string display() const;
    [[nodiscard]] std::optional<yaml_value> get(std::string_view key) const;
    [[nodiscard]] std::size_t size() const { return node_.size(); }
    template <class F>
    void members(F&& f) const {
        for (auto it = node_.begin(); it != node_.end(); ++it) {
            f(std::string_view(it->first.Scalar()), yaml_value(it->second));
        }
    }
    template <class F>
    void elements(F&& f) const {
        for (auto it = node_.begin(); it != node_.end(); ++it) {
            f(yaml_value(*it));
        }
    }

  private:
    YAML::Node node_;
};

/// A place in a text: line and column, both counted from 0.
struct text_position {
    std::size_t line = 0;
    std::size_t column = 0;
};

/// A text that is not YAML: where the parser stopped, and its message.
struct yaml_syntax_error {
    text_position at;
    std::string message;
};

/// The documents of one YAML stream (JSON is YAML too), each node remembering where it
/// starts in the text.
class yaml_stream {
  public:
    /// Parses `text`; throws yaml_syntax_error when it is not YAML.
    [[nodiscard]] static yaml_stream parse(std::string_view text);
    /// Parses `text` only to find positions in it; empty when it is not YAML.
    [[nodiscard]] static yaml_stream parse_for_positions(std::string_view text);

    [[nodiscard]] std::size_t size() const noexcept { return documents_.size(); }
    /// Document `document`, or item `item` of its `items` list when `item >= 0`.
    [[nodiscard]] yaml_value object(std::uint32_t document, std::int32_t item) const;

    /// Where the field at `path` inside object (document, item) starts, or its key when
    /// `at_key`; when the path leaves the tree early, where its deepest existing step starts.
    /// nullopt when the object has no position (e.g. the document does not exist).
    [[nodiscard]] std::optional<text_position> locate(std::uint32_t document, std::int32_t item,
                                                      std::span<const field_step> path,
                                                      bool at_key) const;

  private:
    std::vector<YAML::Node> documents_;
};

} // namespace svcdisc_cli
