#include "read/yaml_backend.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace svcdisc_cli {

namespace {

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

std::size_t at_least_zero(int n) {
    return static_cast<std::size_t>(std::max(0, n));
}

} // namespace

value_kind yaml_value::kind() const {
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

std::int64_t yaml_value::integer() const {
    std::int64_t n = 0;
    (void)parse_int64(node_.Scalar(), n);
    return n;
}

bool yaml_value::boolean() const {
    return is_one_of(node_.Scalar(), yaml_true_words);
}

std::string yaml_value::display() const {
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

std::optional<yaml_value> yaml_value::get(std::string_view key) const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key) {
            return yaml_value(it->second);
        }
    }
    return std::nullopt;
}

yaml_stream yaml_stream::parse(std::string_view text) {
    yaml_stream stream;
    try {
        stream.documents_ = YAML::LoadAll(std::string(text));
    } catch (const YAML::ParserException& e) {
        throw yaml_syntax_error{{at_least_zero(e.mark.line), at_least_zero(e.mark.column)},
                                e.msg.empty() ? "invalid YAML" : e.msg};
    }
    return stream;
}

yaml_stream yaml_stream::parse_for_positions(std::string_view text) {
    yaml_stream stream;
    try {
        stream.documents_ = YAML::LoadAll(std::string(text));
    } catch (const YAML::Exception&) {
        stream.documents_.clear();
    }
    return stream;
}

yaml_value yaml_stream::object(std::uint32_t document, std::int32_t item) const {
    const YAML::Node node = documents_[document];
    if (item < 0) {
        return yaml_value(node);
    }
    return yaml_value(node["items"][static_cast<std::size_t>(item)]);
}

std::optional<text_position> yaml_stream::locate(std::uint32_t document, std::int32_t item,
                                                 std::span<const field_step> path,
                                                 bool at_key) const {
    if (document >= documents_.size()) {
        return std::nullopt;
    }
    const YAML::Node document_node = documents_[document];
    YAML::Node node = document_node;
    if (item >= 0) {
        const YAML::Node items = document_node["items"];
        node.reset(items[static_cast<std::size_t>(item)]);
    }
    YAML::Mark mark = node.Mark();
    for (std::size_t i = 0; i < path.size() && node.IsDefined(); ++i) {
        YAML::Node next;
        bool found = false;
        if (path[i].index >= 0) {
            const auto index = static_cast<std::size_t>(path[i].index);
            if (node.IsSequence() && index < node.size()) {
                next = node[index];
                found = true;
            }
        } else if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
                if (it->first.Scalar() == path[i].key) {
                    next = (i + 1 == path.size() && at_key) ? it->first : it->second;
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
    if (mark.line < 0) {
        return std::nullopt;
    }
    return text_position{static_cast<std::size_t>(mark.line),
                         static_cast<std::size_t>(mark.column)};
}

} // namespace svcdisc_cli
