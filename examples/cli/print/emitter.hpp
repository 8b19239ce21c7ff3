#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace svcdisc_cli {

/// Streams one JSON or YAML document the way kubectl prints objects: JSON indented by four
/// spaces, YAML in block style with list dashes at their key's indentation. Callers emit keys
/// in the order they want them printed (kubectl's output is sorted by key).
///
/// Empty objects and arrays print as `{}` / `[]`, which needs no lookahead from the caller: a
/// container writes nothing until its first child arrives.
class emitter {
  public:
    enum class format : std::uint8_t { json, yaml };

    explicit emitter(format f) : format_(f) {}

    void begin_object();
    void end_object();
    void begin_array();
    void end_array();
    void key(std::string_view k);
    void string(std::string_view s);
    void integer(std::int64_t n);
    void boolean(bool b);
    void null();
    /// A number already in JSON syntax (e.g. a float copied from the input).
    void number_text(std::string_view text);

    /// Convenience: key + string.
    void field(std::string_view k, std::string_view s) {
        key(k);
        string(s);
    }

    /// The text so far (not yet streamed); a complete document ends with a newline.
    [[nodiscard]] std::string& text() noexcept { return out_; }

    /// Writes the text to `sink` in large blocks as it is produced instead of keeping it all;
    /// finish() writes the rest. For output that can no longer fail (everything is computed).
    void stream_to(std::FILE* sink) noexcept { sink_ = sink; }
    void finish();

  private:
    enum class line_state : std::uint8_t { fresh, after_key, after_dash };
    struct frame {
        bool object;
        std::size_t count;
        std::size_t indent;
    };

    void value_prefix();
    /// Starts the next member or element of `top` on a line of its own.
    void json_line_start(const frame& top);
    /// Moves to a fresh line at `indent_width` unless the line is already started (after `- `).
    void yaml_line_start(std::size_t indent_width);
    /// A key or one-line string, quoted as go-yaml quotes it when it cannot be plain.
    void yaml_scalar_text(std::string_view s);
    void scalar(std::string_view yaml_text, std::string_view json_text);
    void yaml_string(std::string_view s);
    void open(bool object);
    void close();
    void indent(std::size_t n) { out_.append(n, ' '); }

    format format_;
    std::FILE* sink_ = nullptr;
    std::string out_;
    std::vector<frame> stack_;
    line_state line_ = line_state::fresh;
};

} // namespace svcdisc_cli
