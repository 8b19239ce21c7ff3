#include "read/events.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include <simdjson.h>

#include "read/cluster.hpp"
#include "read/convert/objects.hpp"
#include "read/json_backend.hpp"

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

/// `error: FILE:LINE:COL: message` for the byte at `offset`.
std::string error_at(const source_file& file, position_tracker& where, std::size_t offset,
                     const std::string& message) {
    const std::size_t line = where.line_of(offset);
    return "error: " + file.name() + ":" + std::to_string(line) + ":" +
           std::to_string(where.column()) + ": " + message + "\n";
}

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

} // namespace

std::optional<std::string> read_watch_events(const source_file& file,
                                             const std::string& default_namespace,
                                             const std::function<bool(read_watch_event&&)>& sink,
                                             const std::function<void(const std::string&)>& note) {
    const std::string_view text = file.bytes();
    position_tracker where(text);
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return std::nullopt;
    }
    if (text[first] != '{') {
        return error_at(file, where, first,
                        "expected a JSON watch event ({\"type\": ..., \"object\": ...}) as "
                        "`kubectl get -w --output-watch-events -o json` prints it");
    }
    simdjson::dom::parser parser;
    // Every event must fit in one batch; the whole stream always does.
    const std::size_t batch = std::max<std::size_t>(text.size(), simdjson::dom::MINIMAL_BATCH_SIZE);
    simdjson::dom::document_stream stream;
    if (const auto error =
            parser
                .parse_many(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), batch)
                .get(stream);
        error) {
        return error_at(file, where, first,
                        std::string("not JSON: ") + simdjson::error_message(error));
    }
    std::size_t number = 0;
    for (auto it = stream.begin(); it != stream.end(); ++it) {
        ++number;
        const std::size_t offset = it.current_index();
        simdjson::dom::element root;
        if (const auto error = (*it).get(root); error) {
            return error_at(file, where, offset,
                            "event " + std::to_string(number) +
                                " is not JSON: " + simdjson::error_message(error));
        }
        const auto fail = [&](const std::string& message) {
            return error_at(file, where, offset,
                            "event " + std::to_string(number) + ": " + message);
        };
        std::string_view type_text;
        simdjson::dom::element object;
        if (!root.is_object() || root["type"].get(type_text) != simdjson::SUCCESS) {
            return fail("a watch event needs a string \"type\" (ADDED, MODIFIED or DELETED)");
        }
        if (type_text == "BOOKMARK") {
            continue;
        }
        const auto type = svcdisc::parse_watch_event_type(type_text);
        if (!type) {
            return fail("unknown event type \"" + std::string(type_text.substr(0, 40)) +
                        "\": expected ADDED, MODIFIED or DELETED");
        }
        if (root["object"].get(object) != simdjson::SUCCESS || !object.is_object()) {
            return fail("a watch event needs an \"object\"");
        }
        std::string_view kind;
        if (object["kind"].get(kind) != simdjson::SUCCESS || kind.empty()) {
            return fail("the event's object has no kind");
        }
        if (!is_watched_kind(kind)) {
            if (note) {
                note("event " + std::to_string(number) + ": ignoring " +
                     std::string(kind.substr(0, 40)) +
                     ": the controllers watch Pods, Services, Endpoints and Nodes");
            }
            continue;
        }
        cluster one;
        const json_value value(object);
        try {
            convert_object(value, kind, origin{}, default_namespace, one);
        } catch (const field_problem& problem) {
            std::string name;
            if (const auto meta = value.get("metadata")) {
                name = optional_text(*meta, "name");
            }
            const std::string path = render_path(problem);
            return fail(std::string(kind) + " \"" + name.substr(0, 253) +
                        "\" is invalid: " + (path.empty() ? "" : path + ": ") + problem.message);
        }
        read_watch_event event;
        event.event.type = *type;
        event.event.object = take_object(one);
        event.line = where.line_of(offset);
        event.column = where.column();
        if (!sink(std::move(event))) {
            return std::nullopt;
        }
    }
    if (stream.truncated_bytes() > 0) {
        return error_at(file, where, text.size() - stream.truncated_bytes(),
                        "event " + std::to_string(number + 1) + " is not complete JSON");
    }
    return std::nullopt;
}

} // namespace svcdisc_cli
