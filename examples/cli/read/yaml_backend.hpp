#pragma once

// The YAML backend: libyaml's event parser builds a small node tree that is seen through the
// value interface (value.hpp). Only yaml_backend.cpp includes libyaml; replacing the parser
// means replacing these two files.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "read/value.hpp"

namespace svcdisc_cli {

/// A place in a text: line and column, both counted from 0; the column counts characters
/// (code points, as libyaml's marks do; a byte that is not valid UTF-8 counts as one).
struct text_position {
    std::size_t line = 0;
    std::size_t column = 0;
};

/// The line and column (in characters) of byte `offset` in `text`.
[[nodiscard]] text_position position_at_offset(std::string_view text, std::size_t offset);

/// One node of a parsed YAML stream. A mapping's children alternate key and value; an alias
/// is not a node of its own but a second reference to the anchored node.
struct yaml_node {
    enum class shape : std::uint8_t { scalar, sequence, mapping };
    shape form = shape::scalar;
    /// The scalar's kind as go-yaml resolves it; object or array for a collection.
    value_kind kind = value_kind::null;
    text_position at;
    /// A scalar's text, or a collection's children, in yaml_tree::text / yaml_tree::children.
    std::size_t first = 0;
    std::size_t count = 0;
};

/// The nodes of one YAML stream; its documents are the roots.
struct yaml_tree {
    std::vector<yaml_node> nodes;
    std::vector<std::uint32_t> children;
    std::vector<std::uint32_t> documents;
    std::string text;
};

/// A YAML node through the value interface. Plain scalars resolve as go-yaml resolves them
/// (YAML 1.1: `yes` is a boolean, `1.10` a float, `~` null); quoted ones are strings.
class yaml_value : public typed_scalars<yaml_value> {
  public:
    static constexpr bool reports_errors = true;

    yaml_value(const yaml_tree& tree, std::uint32_t node) : tree_(&tree), node_(node) {}

    [[nodiscard]] value_kind kind() const { return self().kind; }
    [[nodiscard]] std::string_view text() const;
    [[nodiscard]] std::int64_t integer() const;
    [[nodiscard]] bool boolean() const;
    [[nodiscard]] std::string display() const;
    [[nodiscard]] std::optional<yaml_value> get(std::string_view key) const;
    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] text_position position() const { return self().at; }
    template <class F>
    void members(F&& f) const {
        if (self().form != yaml_node::shape::mapping) {
            return;
        }
        for (std::size_t i = 0; i + 1 < self().count; i += 2) {
            f(child(i).text(), child(i + 1));
        }
    }
    template <class F>
    void elements(F&& f) const {
        if (self().form != yaml_node::shape::sequence) {
            return;
        }
        for (std::size_t i = 0; i < self().count; ++i) {
            f(child(i));
        }
    }

  private:
    friend class yaml_stream;
    [[nodiscard]] const yaml_node& self() const { return tree_->nodes[node_]; }
    [[nodiscard]] yaml_value child(std::size_t i) const {
        return {*tree_, tree_->children[self().first + i]};
    }
    /// The member `key`'s key node (when `want_key`) or value node.
    [[nodiscard]] std::optional<yaml_value> find(std::string_view key, bool want_key) const;

    const yaml_tree* tree_;
    std::uint32_t node_;
};

/// A text that is not YAML, or that breaks a limit: where, and the message.
struct yaml_syntax_error {
    text_position at;
    std::string message;
};

/// The documents of one YAML stream (JSON is YAML too), each node remembering where it
/// starts in the text.
class yaml_stream {
  public:
    /// Parses `text`; throws yaml_syntax_error when it is not YAML, nests deeper than
    /// max_nesting_depth, or expands aliases excessively.
    [[nodiscard]] static yaml_stream parse(std::string_view text);
    /// Parses `text` as parse() does, handing each document's root to `document` as soon as
    /// the document ends, before the rest of the text is parsed; stops when `document` returns
    /// false. Throws yaml_syntax_error as parse() does, once every document before the error
    /// has been handed over (a stream read one document at a time, like watch events).
    static void parse_each(std::string_view text,
                           const std::function<bool(const yaml_value&)>& document);
    /// Parses `text` only to find positions in it; empty when it is not YAML.
    [[nodiscard]] static yaml_stream parse_for_positions(std::string_view text);

    [[nodiscard]] std::size_t size() const noexcept { return tree_->documents.size(); }
    /// Document `document`, or item `item` of its `items` list when `item >= 0`.
    [[nodiscard]] yaml_value object(std::uint32_t document, std::int32_t item) const;

    /// Where the field at `path` inside object (document, item) starts, or its key when
    /// `at_key`; when the path leaves the tree early, where its deepest existing step starts.
    /// nullopt when the object has no position (e.g. the document does not exist).
    [[nodiscard]] std::optional<text_position> locate(std::uint32_t document, std::int32_t item,
                                                      std::span<const field_step> path,
                                                      bool at_key) const;

  private:
    std::shared_ptr<yaml_tree> tree_ = std::make_shared<yaml_tree>();
};

} // namespace svcdisc_cli
