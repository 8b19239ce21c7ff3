#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

/// The parsed form of a JSONPath template, shared by the parser and the evaluator.
namespace svcdisc_cli::jsonpath {

/// The node types of client-go's jsonpath parser (node.go).
enum class node_kind : std::uint8_t {
    list,       ///< an action `{...}`, or a sub-path of a union or a filter
    text,       ///< literal text, or a quoted string inside an action
    field,      ///< `.name`
    array,      ///< `[start:end:step]`
    filter,     ///< `[?(left op right)]`
    integer,    ///< a number without a decimal point
    floating,   ///< a number with one
    boolean,    ///< `true` / `false`
    wildcard,   ///< `.*`
    recursive,  ///< `..`
    union_list, ///< `[a,b]`
    identifier, ///< `range`, `end`, or an unknown word (an error when evaluated)
};

/// One bound of `[start:end:step]`: unknown when left out; `derived` marks the end of a plain
/// index (`[i]` is `[i:i+1]`), which counts from the back when it comes out as 0.
struct slice_bound {
    std::int64_t value = 0;
    bool known = false;
    bool derived = false;
};

/// One node of the tree: what client-go's node.go types hold, in one struct.
struct node {
    node_kind kind = node_kind::list;
    /// The text of a text node, the name of a field or identifier, a filter's operator.
    std::string text;
    std::int64_t integer = 0;
    double floating = 0;
    bool boolean = false;
    std::array<slice_bound, 3> bounds{};
    /// A list's nodes; a union's alternatives (lists); a filter's left and right lists.
    std::vector<node> children;
};

/// How deeply unions, dictionary keys and filters may nest, and ranges may run inside ranges.
/// client-go has no limit (Go's stacks grow); a limit keeps a hostile template from exhausting
/// the native stack.
inline constexpr int max_nesting = 200;

/// Go's addition of two ints, which wraps around.
inline std::int64_t wrapping_add(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

/// The top-level pieces of a template: text nodes and action lists.
struct template_tree {
    std::vector<node> nodes;
};

} // namespace svcdisc_cli::jsonpath
