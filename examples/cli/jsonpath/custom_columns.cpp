#include "custom_columns.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "go_format.hpp"

namespace svcdisc_cli::custom_columns {

namespace {

using width_t = std::ptrdiff_t;

/// Go's text/tabwriter (in kubernetes' fork with RememberWidths) with kubectl's settings:
/// minimum width 6, padding 3, padded with spaces, no other flags.
class tab_writer {
  public:
    void write(std::string_view text) {
        std::size_t from = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (in_escape_) {
                if (c == escape) {
                    append(text.substr(from, i + 1 - from));
                    from = i + 1;
                    end_escape();
                }
                continue;
            }
            if (c == '\t' || c == '\v' || c == '\n' || c == '\f') {
                append(text.substr(from, i - from));
                update_width();
                from = i + 1;
                const std::size_t cells = terminate_cell(c == '\t');
                if (c == '\n' || c == '\f') {
                    lines_.emplace_back();
                    // A line of one cell ends every column, so the writer can flush.
                    if (c == '\f' || cells == 1) {
                        flush();
                    }
                }
            } else if (c == escape) {
                append(text.substr(from, i - from));
                update_width();
                from = i;
                in_escape_ = true;
            }
        }
        append(text.substr(from));
    }

    void flush() {
        if (cell_.size > 0) {
            if (in_escape_) {
                end_escape();
            }
            terminate_cell(false);
        }
        format(0, 0, lines_.size());
        buffer_.clear();
        measured_ = 0;
        cell_ = {};
        in_escape_ = false;
        lines_.assign(1, {});
        widths_.clear();
    }

    [[nodiscard]] std::string& output() noexcept { return out_; }

  private:
    /// Text between two of these bytes is written as is but counts two runes less wide.
    static constexpr char escape = '\xff';
    static constexpr width_t min_width = 6;
    static constexpr width_t padding = 3;

    struct cell {
        std::size_t size = 0; ///< bytes
        width_t width = 0;    ///< runes
        bool tab_terminated = false;
    };

    void append(std::string_view text) {
        buffer_ += text;
        cell_.size += text.size();
    }

    void update_width() {
        cell_.width +=
            static_cast<width_t>(go::rune_count(std::string_view(buffer_).substr(measured_)));
        measured_ = buffer_.size();
    }

    void end_escape() {
        update_width();
        cell_.width -= 2;
        in_escape_ = false;
    }

    std::size_t terminate_cell(bool tab_terminated) {
        cell_.tab_terminated = tab_terminated;
        lines_.back().push_back(cell_);
        cell_ = {};
        return lines_.back().size();
    }

    /// Whether line `index` has a cell in `column` that a tab ends (its last cell does not count).
    [[nodiscard]] bool has_column(std::size_t index, std::size_t column) const {
        return static_cast<width_t>(column) < static_cast<width_t>(lines_[index].size()) - 1;
    }

    std::size_t format(std::size_t position, std::size_t line0, std::size_t line1) {
        const std::size_t column = widths_.size();
        for (std::size_t line = line0; line < line1; ++line) {
            if (!has_column(line, column)) {
                continue;
            }
            // A block of consecutive lines with a cell in this column starts here.
            position = write_lines(position, line0, line);
            line0 = line;
            width_t width = min_width;
            for (; line < line1 && has_column(line, column); ++line) {
                width = std::max(width, lines_[line][column].width + padding);
            }
            if (max_widths_.size() < widths_.size()) {
                max_widths_.insert(max_widths_.end(),
                                   widths_.begin() +
                                       static_cast<std::ptrdiff_t>(max_widths_.size()),
                                   widths_.end());
            }
            if (max_widths_.size() == widths_.size()) {
                max_widths_.push_back(width);
            } else if (max_widths_[column] > width) {
                width = max_widths_[column];
            } else {
                max_widths_[column] = width;
            }
            widths_.push_back(width);
            position = format(position, line0, line);
            widths_.pop_back();
            line0 = line;
        }
        return write_lines(position, line0, line1);
    }

    std::size_t write_lines(std::size_t position, std::size_t line0, std::size_t line1) {
        for (std::size_t i = line0; i < line1; ++i) {
            const auto& line = lines_[i];
            for (std::size_t j = 0; j < line.size(); ++j) {
                const cell& c = line[j];
                out_.append(buffer_, position, c.size);
                position += c.size;
                if (j < widths_.size()) {
                    out_.append(
                        static_cast<std::size_t>(std::max<width_t>(0, widths_[j] - c.width)), ' ');
                }
            }
            if (i + 1 == lines_.size()) {
                // The last line has no newline yet: write the cell still being filled.
                out_.append(buffer_, position, cell_.size);
                position += cell_.size;
            } else {
                out_ += '\n';
            }
        }
        return position;
    }

    std::string out_;
    std::string buffer_;
    std::size_t measured_ = 0;
    cell cell_;
    bool in_escape_ = false;
    std::vector<std::vector<cell>> lines_{1};
    std::vector<width_t> widths_;
    std::vector<width_t> max_widths_;
};

/// cli-runtime's EscapeTerminal: ESC and CR made visible so a value cannot drive the terminal.
std::string escape_terminal(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\x1b') {
            out += "^[";
        } else if (c == '\r') {
            out += "\\r";
        } else {
            out += c;
        }
    }
    return out;
}

/// Up to `wanted` lines as bufio.Scanner's ScanLines yields them (a trailing CR dropped), ending
/// early at a line too long for its 64 KiB buffer, where Scan fails as at the end of input.
std::vector<std::string_view> scan_lines(std::string_view text, std::size_t wanted) {
    constexpr std::size_t max_token = 64 * 1024;
    std::vector<std::string_view> lines;
    while (!text.empty() && lines.size() < wanted) {
        const std::size_t newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        if (line.size() >= max_token) {
            break;
        }
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        lines.push_back(line);
    }
    return lines;
}

/// bufio.ScanWords: the runs of text between Unicode white space.
std::vector<std::string_view> scan_words(std::string_view line) {
    std::vector<std::string_view> words;
    std::optional<std::size_t> word_start;
    for (std::size_t at = 0; at < line.size();) {
        const auto [r, width] = go::decode_rune(line, at);
        if (go::is_space(r)) {
            if (word_start) {
                words.push_back(line.substr(*word_start, at - *word_start));
                word_start.reset();
            }
        } else if (!word_start) {
            word_start = at;
        }
        at += width;
    }
    if (word_start) {
        words.push_back(line.substr(*word_start));
    }
    return words;
}

/// The items of a list as unstructured.Unstructured's IsList sees one: an object whose `items`
/// (the last of duplicate keys, as Go decodes them) is an array.
std::optional<simdjson::dom::array> list_items(simdjson::dom::element object) {
    if (object.type() != simdjson::dom::element_type::OBJECT) {
        return std::nullopt;
    }
    std::optional<simdjson::dom::element> items;
    const simdjson::dom::object fields = object.get_object().value_unsafe();
    for (const auto field : fields) {
        if (field.key == "items") {
            items = field.value;
        }
    }
    if (!items || items->type() != simdjson::dom::element_type::ARRAY) {
        return std::nullopt;
    }
    return items->get_array().value_unsafe();
}

svcdisc::input_error at_offset(svcdisc::input_error error, std::size_t offset) {
    error.offset = offset;
    return error;
}

constexpr std::string_view template_format_hint =
    "Expected format is one line of space separated headers, one line of space separated column "
    "specs.";

std::string cell_text(const jsonpath::found_results& found) {
    std::string text;
    if (found.groups.empty() || found.groups.front().empty()) {
        text = "<none>";
    }
    for (const auto& group : found.groups) {
        for (const auto& v : group) {
            text += text.empty() ? "" : ",";
            text += escape_terminal(jsonpath::go_sprint(v));
        }
    }
    return text;
}

} // namespace

svcdisc::result<std::string> relaxed_jsonpath_expression(std::string_view path) {
    if (path.empty()) {
        return std::string();
    }
    const auto no_braces = [](std::string_view s) {
        return s.find_first_of("{}") == std::string_view::npos;
    };
    // kubectl's ^\{\.?([^{}]+)\}$|^\.?([^{}]+)$ : the optional dot is dropped only when
    // something follows it.
    const auto field_spec = [](std::string_view s) {
        return s.size() > 1 && s.front() == '.' ? s.substr(1) : s;
    };
    std::string_view spec;
    if (path.size() >= 3 && path.front() == '{' && path.back() == '}' &&
        no_braces(path.substr(1, path.size() - 2))) {
        spec = field_spec(path.substr(1, path.size() - 2));
    } else if (no_braces(path)) {
        spec = field_spec(path);
    } else {
        return svcdisc::input_error{
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
            "'{name1.name2}' or '{.name1.name2}'",
            0};
    }
    return "{." + std::string(spec) + "}";
}

svcdisc::result<printer> from_spec(std::string_view spec, bool no_headers) {
    if (spec.empty()) {
        return svcdisc::input_error{"custom-columns format specified but no custom columns given",
                                    0};
    }
    printer out;
    out.no_headers = no_headers;
    std::size_t part_start = 0;
    for (;;) {
        const std::size_t comma = spec.find(',', part_start);
        const std::size_t part_end = comma == std::string_view::npos ? spec.size() : comma;
        const std::string_view part = spec.substr(part_start, part_end - part_start);
        const std::size_t colon = part.find(':');
        if (colon == std::string_view::npos) {
            return svcdisc::input_error{"unexpected custom-columns spec: " + std::string(part) +
                                            ", expected <header>:<json-path-expr>",
                                        part_start};
        }
        auto field_spec = relaxed_jsonpath_expression(part.substr(colon + 1));
        if (!field_spec) {
            return at_offset(field_spec.error(), part_start + colon + 1);
        }
        out.columns.push_back({std::string(part.substr(0, colon)), std::move(field_spec.value())});
        if (comma == std::string_view::npos) {
            return out;
        }
        part_start = comma + 1;
    }
}

svcdisc::result<printer> from_template(std::string_view file_text) {
    const std::vector<std::string_view> lines = scan_lines(file_text, 2);
    if (lines.empty()) {
        return svcdisc::input_error{
            "invalid template, missing header line. " + std::string(template_format_hint), 0};
    }
    if (lines.size() < 2) {
        return svcdisc::input_error{
            "invalid template, missing spec line. " + std::string(template_format_hint),
            static_cast<std::size_t>(lines[0].data() - file_text.data()) + lines[0].size()};
    }
    const std::vector<std::string_view> headers = scan_words(lines[0]);
    const std::vector<std::string_view> specs = scan_words(lines[1]);
    if (headers.size() != specs.size()) {
        return svcdisc::input_error{"number of headers (" + std::to_string(headers.size()) +
                                        ") and field specifications (" +
                                        std::to_string(specs.size()) + ") don't match",
                                    static_cast<std::size_t>(lines[1].data() - file_text.data())};
    }
    printer out;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        auto field_spec = relaxed_jsonpath_expression(specs[i]);
        if (!field_spec) {
            return at_offset(field_spec.error(),
                             static_cast<std::size_t>(specs[i].data() - file_text.data()));
        }
        out.columns.push_back({std::string(headers[i]), std::move(field_spec.value())});
    }
    return out;
}

jsonpath::printed print(const printer& columns, simdjson::dom::element object) {
    tab_writer writer;
    jsonpath::printed out;
    const auto stop = [&](std::string error) {
        writer.flush();
        out.text = std::move(writer.output());
        out.error = std::move(error);
        return out;
    };
    if (!columns.no_headers) {
        std::string header;
        for (std::size_t i = 0; i < columns.columns.size(); ++i) {
            header += i == 0 ? "" : "\t";
            header += columns.columns[i].header;
        }
        writer.write(header + "\n");
    }
    // kubectl parses the column paths only when it prints, after the header.
    std::vector<jsonpath::parsed_template> paths;
    for (const column& c : columns.columns) {
        auto parsed = jsonpath::parse(c.field_spec);
        if (!parsed) {
            return stop(parsed.error().message);
        }
        paths.push_back(std::move(parsed.value()));
    }
    std::vector<simdjson::dom::element> rows;
    if (const auto items = list_items(object)) {
        for (const simdjson::dom::element item : *items) {
            rows.push_back(item);
        }
    } else {
        rows.push_back(object);
    }
    // One JSONPath object per column serves every row, carrying its state along.
    std::vector<jsonpath::carried_state> states(paths.size());
    for (const simdjson::dom::element row : rows) {
        std::string line;
        for (std::size_t i = 0; i < paths.size(); ++i) {
            const jsonpath::found_results found =
                jsonpath::find_results(paths[i], row, true, states[i]);
            if (found.error) {
                return stop(*found.error);
            }
            line += i == 0 ? "" : "\t";
            line += cell_text(found);
        }
        writer.write(line + "\n");
    }
    writer.flush();
    out.text = std::move(writer.output());
    return out;
}

std::string tabwriter_format(std::string_view text) {
    tab_writer writer;
    writer.write(text);
    writer.flush();
    return std::move(writer.output());
}

} // namespace svcdisc_cli::custom_columns
