#include "print/emitter.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <svcdisc/go_text.hpp>

namespace svcdisc_cli {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// Plain text that YAML 1.1 (go-yaml, which kubectl uses) would read as something other than
/// a string, so it must be quoted to stay a string.
bool looks_like_non_string(std::string_view s) {
    static constexpr std::array<std::string_view, 28> words = {
        "y",    "Y",    "yes",  "Yes",   "YES",   "n",     "N",    "no",  "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on",   "On",  "ON", "off",
        "Off",  "OFF",  "null", "Null",  "NULL",  "~",     ".inf", ".nan"};
    for (auto w : words) {
        if (s == w) {
            return true;
        }
    }
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        ++i;
    }
    if (s.substr(i) == ".inf" || s.substr(i) == ".Inf") {
        return true;
    }
    if (s.substr(i, 2) == "0x" || s.substr(i, 2) == "0o" || s.substr(i, 2) == "0b") {
        return true;
    }
    // Numbers: digits (with '_' as YAML 1.1 allows), an optional fraction and exponent.
    bool digits = false;
    std::size_t j = i;
    while (j < s.size() && (is_digit(s[j]) || s[j] == '_')) {
        digits = digits || is_digit(s[j]);
        ++j;
    }
    if (j < s.size() && s[j] == '.') {
        ++j;
        while (j < s.size() && (is_digit(s[j]) || s[j] == '_')) {
            digits = true;
            ++j;
        }
    }
    if (digits && j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) {
            ++k;
        }
        if (k < s.size() && is_digit(s[k])) {
            while (k < s.size() && is_digit(s[k])) {
                ++k;
            }
            j = k;
        }
    }
    if (digits && j == s.size()) {
        return true;
    }
    // Timestamps (YAML 1.1 `timestamp`): go-yaml quotes them, as kubectl's creationTimestamp shows.
    return s.size() >= 8 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
           s[4] == '-';
}

bool needs_yaml_quotes(std::string_view s) {
    if (s.empty() || looks_like_non_string(s)) {
        return true;
    }
    const char first = s.front();
    if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(first) != std::string_view::npos) {
        // '-', '?' and ':' only start an indicator when followed by a space or at the end.
        if (!((first == '-' || first == '?' || first == ':') && s.size() > 1 && s[1] != ' ')) {
            return true;
        }
    }
    if (first == ' ' || s.back() == ' ' || s.back() == ':') {
        return true;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) {
            return true;
        }
        if ((c == ':' && i + 1 < s.size() && s[i + 1] == ' ') ||
            (c == '#' && i > 0 && s[i - 1] == ' ')) {
            return true;
        }
    }
    return false;
}

/// A multi-line string prints as a literal block unless it has something a block cannot hold.
bool fits_literal_block(std::string_view s) {
    if (s.find('\n') == std::string_view::npos || s.front() == ' ' || s.front() == '\n') {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\n') || c == 0x7f) {
            return false;
        }
        if (c == ' ' && (i + 1 == s.size() || s[i + 1] == '\n')) {
            return false; // trailing spaces on a line would be lost by readers
        }
    }
    // More than one trailing newline needs the `|+` indicator; keep it simple and quote.
    return !(s.size() >= 2 && s[s.size() - 1] == '\n' && s[s.size() - 2] == '\n');
}

} // namespace

void emitter::json_line_start(const frame& top) {
    out_ += top.count == 0 ? "\n" : ",\n";
    indent(top.indent);
}

void emitter::yaml_line_start(std::size_t indent_width) {
    if (line_ == line_state::after_key) {
        out_ += '\n';
        indent(indent_width);
    } else if (line_ == line_state::fresh) {
        indent(indent_width);
    }
}

void emitter::yaml_scalar_text(std::string_view s) {
    if (!needs_yaml_quotes(s)) {
        out_ += s;
        return;
    }
    // go-yaml double-quotes text that would read back as another type, or that single quotes
    // cannot show (control characters); any other text that cannot be plain gets single
    // quotes, as in kubectl's `- '*'`.
    const bool control = std::any_of(s.begin(), s.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
    if (s.empty() || control || looks_like_non_string(s)) {
        svcdisc::append_json_string(out_, s);
        return;
    }
    out_ += '\'';
    for (const char c : s) {
        out_ += c;
        if (c == '\'') {
            out_ += '\''; // the only escape inside single quotes: '' for '
        }
    }
    out_ += '\'';
}

void emitter::value_prefix() {
    if (stack_.empty()) {
        return;
    }
    frame& top = stack_.back();
    if (top.object) {
        return; // key() already wrote what goes before the value
    }
    if (format_ == format::json) {
        json_line_start(top);
    } else {
        yaml_line_start(top.indent);
        out_ += "- ";
        line_ = line_state::after_dash;
    }
    ++top.count;
}

void emitter::key(std::string_view k) {
    frame& top = stack_.back();
    if (format_ == format::json) {
        json_line_start(top);
        svcdisc::append_json_string(out_, k);
        out_ += ": ";
    } else {
        yaml_line_start(top.indent);
        yaml_scalar_text(k);
        out_ += ':';
        line_ = line_state::after_key;
    }
    ++top.count;
}

void emitter::open(bool object) {
    value_prefix();
    std::size_t child_indent = 0;
    if (!stack_.empty()) {
        const frame& parent = stack_.back();
        if (format_ == format::json) {
            child_indent = parent.indent + 4;
        } else {
            // go-yaml puts a sequence's dashes at its key's indentation; everything else nests
            // by 2.
            child_indent = (parent.object && !object) ? parent.indent : parent.indent + 2;
        }
    } else if (format_ == format::json) {
        child_indent = 4;
    }
    if (format_ == format::json) {
        out_ += object ? '{' : '[';
    }
    stack_.push_back(frame{object, 0, child_indent});
}

void emitter::finish() {
    if (sink_ != nullptr) {
        std::fwrite(out_.data(), 1, out_.size(), sink_);
        out_.clear();
    }
}

void emitter::close() {
    constexpr std::size_t block = std::size_t{1} << 20;
    if (sink_ != nullptr && out_.size() >= block) {
        finish();
    }
    const frame top = stack_.back();
    stack_.pop_back();
    if (format_ == format::json) {
        if (top.count != 0) {
            out_ += '\n';
            indent(stack_.empty() ? 0 : stack_.back().indent);
        }
        out_ += top.object ? '}' : ']';
        if (stack_.empty()) {
            out_ += '\n';
        }
        return;
    }
    if (top.count == 0) {
        if (line_ == line_state::after_key) {
            out_ += ' ';
        }
        out_ += top.object ? "{}\n" : "[]\n";
        line_ = line_state::fresh;
    }
}

void emitter::begin_object() {
    open(true);
}
void emitter::end_object() {
    close();
}
void emitter::begin_array() {
    open(false);
}
void emitter::end_array() {
    close();
}

void emitter::scalar(std::string_view yaml_text, std::string_view json_text) {
    value_prefix();
    if (format_ == format::json) {
        out_ += json_text;
        if (stack_.empty()) {
            out_ += '\n';
        }
        return;
    }
    if (line_ == line_state::after_key) {
        out_ += ' ';
    }
    out_ += yaml_text;
    out_ += '\n';
    line_ = line_state::fresh;
}

void emitter::yaml_string(std::string_view s) {
    if (fits_literal_block(s)) {
        const std::size_t content_indent = stack_.empty() ? 2 : stack_.back().indent + 2;
        out_ += line_ == line_state::after_key ? " |" : "|";
        if (s.back() != '\n') {
            out_ += '-';
        }
        std::size_t start = 0;
        while (start < s.size()) {
            std::size_t end = s.find('\n', start);
            if (end == std::string_view::npos) {
                end = s.size();
            }
            out_ += '\n';
            if (end > start) {
                indent(content_indent);
                out_.append(s.substr(start, end - start));
            }
            start = end + 1;
        }
        out_ += '\n';
        line_ = line_state::fresh;
        return;
    }
    if (line_ == line_state::after_key) {
        out_ += ' ';
    }
    yaml_scalar_text(s);
    out_ += '\n';
    line_ = line_state::fresh;
}

void emitter::string(std::string_view s) {
    value_prefix();
    if (format_ == format::yaml) {
        yaml_string(s);
        return;
    }
    svcdisc::append_json_string(out_, s);
    if (stack_.empty()) {
        out_ += '\n';
    }
}

void emitter::integer(std::int64_t n) {
    std::array<char, 24> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), n);
    const std::string_view text(buffer.data(),
                                static_cast<std::size_t>(result.ptr - buffer.data()));
    scalar(text, text);
}

void emitter::boolean(bool b) {
    scalar(b ? "true" : "false", b ? "true" : "false");
}
void emitter::null() {
    scalar("null", "null");
}
void emitter::number_text(std::string_view text) {
    scalar(text, text);
}

} // namespace svcdisc_cli
