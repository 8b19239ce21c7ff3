#include "read/yaml_backend.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <limits>
#include <unordered_map>

#include <yaml.h>

#include "read/excerpt.hpp"

namespace svcdisc_cli {

namespace {

/// A YAML 1.1 integer as go-yaml reads one: an optional sign, `_` separators ignored, and a
/// `0x` (hex), `0o` or leading `0` (octal) or `0b` (binary) prefix, else decimal.
bool parse_yaml_int(std::string_view text, std::int64_t& out) {
    std::string digits;
    digits.reserve(text.size());
    for (const char c : text) {
        if (c != '_') {
            digits += c;
        }
    }
    std::string_view s = digits;
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s.remove_prefix(2);
    } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
        base = 2;
        s.remove_prefix(2);
    } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
        base = 8;
        s.remove_prefix(2);
    } else if (s.size() > 1 && s[0] == '0') {
        base = 8;
        s.remove_prefix(1);
    }
    if (s.empty() || s.front() == '+' || s.front() == '-') {
        return false;
    }
    std::uint64_t magnitude = 0;
    const auto result = std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
    if (result.ec != std::errc() || result.ptr != s.data() + s.size()) {
        return false;
    }
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (negative) {
        if (magnitude > max + 1) {
            return false;
        }
        out = magnitude == max + 1 ? std::numeric_limits<std::int64_t>::min()
                                   : -static_cast<std::int64_t>(magnitude);
        return true;
    }
    if (magnitude > max) {
        return false;
    }
    out = static_cast<std::int64_t>(magnitude);
    return true;
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
    if (parse_yaml_int(s, ignored)) {
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

text_position position_of(const yaml_mark_t& mark) {
    return {mark.line, mark.column};
}

/// The allowed share of alias-expanded nodes among all the nodes a document expands to, as
/// go-yaml's decoder bounds it (its answer to "billion laughs"): 99% up to 400,000 nodes,
/// falling linearly to 10% at 4,000,000 nodes and staying there.
double allowed_alias_ratio(double expanded) {
    constexpr double generous_below = 400'000;
    constexpr double strict_above = 4'000'000;
    if (expanded <= generous_below) {
        return 0.99;
    }
    if (expanded >= strict_above) {
        return 0.10;
    }
    return 0.99 - 0.89 * (expanded - generous_below) / (strict_above - generous_below);
}

/// Owns a libyaml parser and the event it last produced.
class event_source {
  public:
    explicit event_source(std::string_view text) : text_(text) {
        yaml_parser_initialize(&parser_);
        yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                     text.size());
    }
    event_source(const event_source&) = delete;
    event_source& operator=(const event_source&) = delete;
    ~event_source() {
        if (has_event_) {
            yaml_event_delete(&event_);
        }
        yaml_parser_delete(&parser_);
    }

    /// The next event; throws yaml_syntax_error when the text is not YAML.
    const yaml_event_t& next() {
        if (has_event_) {
            yaml_event_delete(&event_);
            has_event_ = false;
        }
        if (yaml_parser_parse(&parser_, &event_) == 0) {
            throw yaml_syntax_error{error_position(), error_message()};
        }
        has_event_ = true;
        return event_;
    }

  private:
    text_position error_position() const {
        if (parser_.error == YAML_READER_ERROR) {
            return position_at_offset(text_, parser_.problem_offset);
        }
        return position_of(parser_.problem_mark);
    }
    std::string error_message() const {
        if (parser_.problem == nullptr) {
            return "invalid YAML";
        }
        std::string message = parser_.problem;
        if (parser_.error == YAML_READER_ERROR && parser_.problem_value >= 0) {
            std::array<char, 8> hex{};
            const auto end =
                std::to_chars(hex.data(), hex.data() + hex.size(), parser_.problem_value, 16);
            message += " (#x" + std::string(hex.data(), end.ptr) + ")";
        }
        return message;
    }

    std::string_view text_;
    yaml_parser_t parser_{};
    yaml_event_t event_{};
    bool has_event_ = false;
};

/// Builds a yaml_tree from libyaml's events, bounding nesting and alias expansion.
class tree_builder {
  public:
    explicit tree_builder(yaml_tree& tree) : tree_(tree) {}

    /// When set, called with each document's root as soon as the document ends; building
    /// stops when it returns false.
    std::function<bool(std::uint32_t)> on_document;

    void build(std::string_view text) {
        event_source events(text);
        for (;;) {
            const yaml_event_t& event = events.next();
            switch (event.type) {
            case YAML_STREAM_END_EVENT:
                return;
            case YAML_DOCUMENT_START_EVENT:
                anchors_.clear();
                expanded_ = 0;
                aliased_ = 0;
                break;
            case YAML_DOCUMENT_END_EVENT:
                if (on_document && !tree_.documents.empty() &&
                    !on_document(tree_.documents.back())) {
                    return;
                }
                break;
            case YAML_SCALAR_EVENT:
                add_scalar(event);
                break;
            case YAML_SEQUENCE_START_EVENT:
                open(event, yaml_node::shape::sequence, event.data.sequence_start.anchor);
                break;
            case YAML_MAPPING_START_EVENT:
                open(event, yaml_node::shape::mapping, event.data.mapping_start.anchor);
                break;
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT:
                close();
                break;
            case YAML_ALIAS_EVENT:
                add_alias(event);
                break;
            default:
                break;
            }
        }
    }

  private:
    struct open_collection {
        std::uint32_t node;
        std::vector<std::uint32_t> children;
        /// The nodes this collection expands to, aliases expanded, so far.
        std::uint64_t expansion = 1;
    };

    /// Adds a finished node, which expands to `expansion` nodes, to its parent or as a
    /// document.
    void attach(std::uint32_t node, std::uint64_t expansion) {
        if (open_.empty()) {
            tree_.documents.push_back(node);
        } else {
            open_.back().children.push_back(node);
            open_.back().expansion = saturating_add(open_.back().expansion, expansion);
        }
    }

    void remember_anchor(const yaml_char_t* anchor, std::uint32_t node) {
        if (anchor != nullptr) {
            anchors_[reinterpret_cast<const char*>(anchor)] = node;
        }
    }

    std::uint32_t new_node(yaml_node node) {
        if (tree_.nodes.size() >= std::numeric_limits<std::uint32_t>::max()) {
            throw yaml_syntax_error{node.at, "document has too many nodes"};
        }
        tree_.nodes.push_back(node);
        expansion_.push_back(1);
        ++expanded_;
        return static_cast<std::uint32_t>(tree_.nodes.size() - 1);
    }

    void add_scalar(const yaml_event_t& event) {
        const auto& scalar = event.data.scalar;
        const std::string_view value(reinterpret_cast<const char*>(scalar.value), scalar.length);
        const std::string_view tag =
            scalar.tag == nullptr ? std::string_view() : reinterpret_cast<const char*>(scalar.tag);
        yaml_node node;
        node.at = position_of(event.start_mark);
        node.first = tree_.text.size();
        node.count = value.size();
        const bool quoted = scalar.style != YAML_PLAIN_SCALAR_STYLE;
        node.kind = quoted || tag == "!" || tag == YAML_STR_TAG ? value_kind::string
                                                                : resolve_plain_scalar(value);
        tree_.text.append(value);
        const std::uint32_t index = new_node(node);
        remember_anchor(scalar.anchor, index);
        attach(index, 1);
    }

    void open(const yaml_event_t& event, yaml_node::shape form, const yaml_char_t* anchor) {
        const text_position at = position_of(event.start_mark);
        if (open_.size() >= max_nesting_depth) {
            throw yaml_syntax_error{at, "document nests deeper than " +
                                            std::to_string(max_nesting_depth) + " levels"};
        }
        yaml_node node;
        node.form = form;
        node.kind = form == yaml_node::shape::mapping ? value_kind::object : value_kind::array;
        node.at = at;
        const std::uint32_t index = new_node(node);
        remember_anchor(anchor, index);
        open_.push_back({index, {}});
    }

    void close() {
        open_collection done = std::move(open_.back());
        open_.pop_back();
        yaml_node& node = tree_.nodes[done.node];
        node.first = tree_.children.size();
        node.count = done.children.size();
        expansion_[done.node] = done.expansion;
        tree_.children.insert(tree_.children.end(), done.children.begin(), done.children.end());
        attach(done.node, done.expansion);
    }

    void add_alias(const yaml_event_t& event) {
        const text_position at = position_of(event.start_mark);
        const std::string name = reinterpret_cast<const char*>(event.data.alias.anchor);
        const auto anchor = anchors_.find(name);
        if (anchor == anchors_.end()) {
            throw yaml_syntax_error{at, "unknown anchor \"" + excerpt(name) + "\" referenced"};
        }
        const std::uint32_t target = anchor->second;
        for (const auto& collection : open_) {
            if (collection.node == target) {
                throw yaml_syntax_error{at,
                                        "anchor \"" + excerpt(name) + "\" value contains itself"};
            }
        }
        // Counted as go-yaml's decoder counts: the alias itself, then every node of its
        // target again, those as alias-driven.
        expanded_ = saturating_add(expanded_, saturating_add(1, expansion_[target]));
        aliased_ = saturating_add(aliased_, expansion_[target]);
        if (aliased_ > 100 && expanded_ > 1000 &&
            static_cast<double>(aliased_) / static_cast<double>(expanded_) >
                allowed_alias_ratio(static_cast<double>(expanded_))) {
            throw yaml_syntax_error{at, "document contains excessive aliasing"};
        }
        attach(target, saturating_add(1, expansion_[target]));
    }

    static std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
        const std::uint64_t sum = a + b;
        return sum < a ? std::numeric_limits<std::uint64_t>::max() : sum;
    }

    yaml_tree& tree_;
    std::vector<open_collection> open_;
    std::vector<std::uint64_t> expansion_;
    std::unordered_map<std::string, std::uint32_t> anchors_;
    std::uint64_t expanded_ = 0;
    std::uint64_t aliased_ = 0;
};

} // namespace

text_position position_at_offset(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    const auto line_start = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
    text_position at;
    at.line = static_cast<std::size_t>(
        std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    const std::size_t start = line_start == std::string_view::npos ? 0 : line_start + 1;
    at.column = characters_in(text.substr(start), offset - start);
    return at;
}

std::string_view yaml_value::text() const {
    const yaml_node& node = self();
    if (node.form != yaml_node::shape::scalar) {
        return {};
    }
    return std::string_view(tree_->text).substr(node.first, node.count);
}

std::int64_t yaml_value::integer() const {
    std::int64_t n = 0;
    (void)parse_yaml_int(text(), n);
    return n;
}

bool yaml_value::boolean() const {
    return kind() == value_kind::boolean && is_one_of(text(), yaml_true_words);
}

std::string yaml_value::display() const {
    switch (self().form) {
    case yaml_node::shape::mapping:
        return "an object";
    case yaml_node::shape::sequence:
        return "a list";
    case yaml_node::shape::scalar:
        break;
    }
    if (kind() == value_kind::null) {
        return "null";
    }
    return std::string(text());
}

std::size_t yaml_value::size() const {
    const yaml_node& node = self();
    switch (node.form) {
    case yaml_node::shape::mapping:
        return node.count / 2;
    case yaml_node::shape::sequence:
        return node.count;
    case yaml_node::shape::scalar:
        break;
    }
    return 0;
}

std::optional<yaml_value> yaml_value::find(std::string_view key, bool want_key) const {
    if (self().form != yaml_node::shape::mapping) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i + 1 < self().count; i += 2) {
        const yaml_value k = child(i);
        if (k.self().form == yaml_node::shape::scalar && k.text() == key) {
            return want_key ? k : child(i + 1);
        }
    }
    return std::nullopt;
}

std::optional<yaml_value> yaml_value::get(std::string_view key) const {
    return find(key, false);
}

yaml_stream yaml_stream::parse(std::string_view text) {
    yaml_stream stream;
    tree_builder(*stream.tree_).build(text);
    return stream;
}

void yaml_stream::parse_each(std::string_view text,
                             const std::function<bool(const yaml_value&)>& document) {
    yaml_stream stream;
    tree_builder builder(*stream.tree_);
    builder.on_document = [&](std::uint32_t root) {
        return document(yaml_value(*stream.tree_, root));
    };
    builder.build(text);
}

yaml_stream yaml_stream::parse_for_positions(std::string_view text) {
    try {
        return parse(text);
    } catch (const yaml_syntax_error&) {
        return {};
    }
}

yaml_value yaml_stream::object(std::uint32_t document, std::int32_t item) const {
    const yaml_value root(*tree_, tree_->documents[document]);
    if (item < 0) {
        return root;
    }
    const auto items = root.get("items");
    if (!items || items->self().form != yaml_node::shape::sequence ||
        static_cast<std::size_t>(item) >= items->self().count) {
        return root;
    }
    return items->child(static_cast<std::size_t>(item));
}

std::optional<text_position> yaml_stream::locate(std::uint32_t document, std::int32_t item,
                                                 std::span<const field_step> path,
                                                 bool at_key) const {
    if (document >= tree_->documents.size()) {
        return std::nullopt;
    }
    yaml_value node = object(document, item);
    for (std::size_t i = 0; i < path.size(); ++i) {
        std::optional<yaml_value> next;
        if (path[i].index >= 0) {
            const auto index = static_cast<std::size_t>(path[i].index);
            if (node.self().form == yaml_node::shape::sequence && index < node.self().count) {
                next = node.child(index);
            }
        } else {
            next = node.find(path[i].key, i + 1 == path.size() && at_key);
        }
        if (!next) {
            break;
        }
        node = *next;
    }
    return node.position();
}

} // namespace svcdisc_cli
