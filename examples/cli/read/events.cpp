#include "read/events.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include <simdjson.h>

#include "read/cluster.hpp"
#include "read/convert/objects.hpp"
#include "read/excerpt.hpp"
#include "read/json_backend.hpp"
#include "read/yaml_backend.hpp"

namespace svcdisc_cli {

namespace {

/// Line and column of byte offsets that only grow, counted once over the text.
class position_tracker {
  public:
    explicit position_tracker(std::string_view text) : text_(text) {}

    /// Moves to `offset` (not before the last one) and returns its 1-based line.
    std::size_t line_of(std::size_t offset) {
        offset = std::min(offset, text_.size());
        for (; counted_ < offset; ++counted_) {
            if (text_[counted_] == '\n') {
                ++line_;
                line_start_ = counted_ + 1;
            }
        }
        return line_;
    }
    [[nodiscard]] std::size_t column() const { return counted_ - line_start_ + 1; }

  private:
    std::string_view text_;
    std::size_t counted_ = 0;
    std::size_t line_ = 1;
    std::size_t line_start_ = 0;
};

/// The event's object moved out of the one-object cluster convert_object filled.
svcdisc::watched_object take_object(cluster& one) {
    if (!one.pods.empty()) {
        return std::move(one.pods.front());
    }
    if (!one.services.empty()) {
        return std::move(one.services.front().object);
    }
    if (!one.endpoints_objects.empty()) {
        return std::move(one.endpoints_objects.front().object);
    }
    return std::move(one.nodes.front().object);
}

bool is_watched_kind(std::string_view kind) {
    return kind == "Pod" || kind == "Service" || kind == "Endpoints" || kind == "Node";
}

/// The per-event logic of both formats: checks one parsed event, converts its object and
/// hands it to the sink. The JSON and the YAML reader only find the events and where they
/// start.
class event_reader {
  public:
    event_reader(const source_file& file, const std::string& default_namespace,
                 const std::function<bool(read_watch_event&&)>& sink,
                 const std::function<void(const std::string&)>& note)
        : file_(file), default_namespace_(default_namespace), sink_(sink), note_(note) {}

    /// Reads the next event, `root`, which starts at (line, column), both 1-based. Returns the
    /// error for a bad event; stopped() tells whether the sink asked to stop.
    template <manifest_value Value>
    std::optional<std::string> read(const Value& root, std::size_t line, std::size_t column) {
        ++number_;
        const auto fail = [&](const std::string& message) {
            return error_at(line, column, "event " + std::to_string(number_) + ": " + message);
        };
        if (root.kind() != value_kind::object) {
            return fail("expected a watch event (a mapping with type and object), found " +
                        field_reader<Value>::describe(root));
        }
        const auto type_value = root.get("type");
        std::string_view type_text;
        if (!type_value || !type_value->string_value(type_text)) {
            return fail("a watch event needs a string \"type\" (ADDED, MODIFIED or DELETED)");
        }
        if (type_text == "BOOKMARK") {
            return std::nullopt;
        }
        const auto type = svcdisc::parse_watch_event_type(type_text);
        if (!type) {
            return fail("unknown event type " + quoted_excerpt(type_text) +
                        ": expected ADDED, MODIFIED or DELETED");
        }
        const auto object = root.get("object");
        if (!object || object->kind() != value_kind::object) {
            return fail("a watch event needs an \"object\"");
        }
        const auto kind_value = object->get("kind");
        std::string_view kind;
        if (!kind_value || !kind_value->string_value(kind) || kind.empty()) {
            return fail("the event's object has no kind");
        }
        if (!is_watched_kind(kind)) {
            if (note_) {
                note_("event " + std::to_string(number_) + ": ignoring " + printable_excerpt(kind) +
                      ": the controllers watch Pods, Services, Endpoints and Nodes");
            }
            return std::nullopt;
        }
        cluster one;
        try {
            convert_object(*object, kind, origin{}, default_namespace_, one);
        } catch (const field_problem& problem) {
            std::string name;
            if (const auto meta = object->get("metadata")) {
                name = optional_text(*meta, "name");
            }
            const std::string path = render_path(problem);
            return fail(printable_excerpt(kind) + " " + quoted_excerpt(name) +
                        " is invalid: " + (path.empty() ? "" : path + ": ") + problem.message);
        }
        read_watch_event event;
        event.event.type = *type;
        event.event.object = take_object(one);
        event.line = line;
        event.column = column;
        stopped_ = !sink_(std::move(event));
        return std::nullopt;
    }

    /// The sink returned false: read no further.
    [[nodiscard]] bool stopped() const { return stopped_; }
    /// The events read so far.
    [[nodiscard]] std::size_t count() const { return number_; }

    /// `error: FILE:LINE:COL: message`, both 1-based.
    [[nodiscard]] std::string error_at(std::size_t line, std::size_t column,
                                       const std::string& message) const {
        return "error: " + file_.name() + ":" + std::to_string(line) + ":" +
               std::to_string(column) + ": " + message + "\n";
    }

  private:
    const source_file& file_;
    const std::string& default_namespace_;
    const std::function<bool(read_watch_event&&)>& sink_;
    const std::function<void(const std::string&)>& note_;
    std::size_t number_ = 0;
    bool stopped_ = false;
};

/// `kubectl get -w --output-watch-events -o json`: JSON objects one after another.
std::optional<std::string> read_json_events(std::string_view text, std::size_t first,
                                            event_reader& events) {
    position_tracker where(text);
    const auto error_at = [&](std::size_t offset, const std::string& message) {
        const std::size_t line = where.line_of(offset);
        return events.error_at(line, where.column(), message);
    };
    simdjson::dom::parser parser;
    // Every event must fit in one batch; the whole stream always does.
    const std::size_t batch = std::max<std::size_t>(text.size(), simdjson::dom::MINIMAL_BATCH_SIZE);
    simdjson::dom::document_stream stream;
    if (const auto error =
            parser
                .parse_many(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), batch)
                .get(stream);
        error) {
        return error_at(first, std::string("not JSON: ") + simdjson::error_message(error));
    }
    for (auto it = stream.begin(); it != stream.end(); ++it) {
        const std::size_t offset = it.current_index();
        simdjson::dom::element root;
        if (const auto error = (*it).get(root); error) {
            return error_at(offset, "event " + std::to_string(events.count() + 1) +
                                        " is not JSON: " + simdjson::error_message(error));
        }
        const std::size_t line = where.line_of(offset);
        if (auto error = events.read(json_value(root), line, where.column())) {
            return error;
        }
        if (events.stopped()) {
            return std::nullopt;
        }
    }
    if (stream.truncated_bytes() > 0) {
        return error_at(text.size() - stream.truncated_bytes(),
                        "event " + std::to_string(events.count() + 1) + " is not complete JSON");
    }
    return std::nullopt;
}

/// `kubectl get -w --output-watch-events -o yaml`: one YAML document per event, `---` between
/// them, read through the manifest reader's YAML backend one document at a time. An empty
/// document (a stray `---`) is no event.
std::optional<std::string> read_yaml_events(std::string_view text, event_reader& events) {
    std::optional<std::string> error;
    try {
        yaml_stream::parse_each(text, [&](const yaml_value& root) {
            if (root.kind() == value_kind::null) {
                return true;
            }
            const text_position at = root.position();
            error = events.read(root, at.line + 1, at.column + 1);
            return !error && !events.stopped();
        });
    } catch (const yaml_syntax_error& e) {
        return events.error_at(e.at.line + 1, e.at.column + 1,
                               "event " + std::to_string(events.count() + 1) + ": " + e.message);
    }
    return error;
}

} // namespace

std::optional<std::string> read_watch_events(const source_file& file,
                                             const std::string& default_namespace,
                                             const std::function<bool(read_watch_event&&)>& sink,
                                             const std::function<void(const std::string&)>& note) {
    const std::string_view text = file.bytes();
    event_reader events(file, default_namespace, sink, note);
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return std::nullopt;
    }
    if (text[first] == '{') {
        return read_json_events(text, first, events);
    }
    return read_yaml_events(text, events);
}

} // namespace svcdisc_cli
