#pragma once

// The JSON backend: simdjson behind the value interface (value.hpp). A List (what `kubectl get
// -o json` prints, and what a large dump is) is read On-Demand, one item at a time and without
// a DOM; anything else, and any item On-Demand gives up on, goes through simdjson's DOM.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "read/files.hpp"
#include "read/manifest_kinds.hpp"
#include "read/value.hpp"

namespace svcdisc_cli {

static_assert(input_padding >= simdjson::SIMDJSON_PADDING);

/// A simdjson DOM element through the value interface.
class json_value : public typed_scalars<json_value> {
  public:
    static constexpr bool reports_errors = true;

    explicit json_value(simdjson::dom::element element) : element_(element) {}

    [[nodiscard]] value_kind kind() const;
    [[nodiscard]] std::string_view text() const;
    [[nodiscard]] std::int64_t integer() const;
    [[nodiscard]] bool boolean() const;
    [[nodiscard]] std::string display() const;
    [[nodiscard]] std::optional<json_value> get(std::string_view key) const;
    [[nodiscard]] std::size_t size() const;
    template <class F>
    void members(F&& f) const {
        simdjson::dom::object object;
        if (element_.get_object().get(object) != simdjson::SUCCESS) {
            return;
        }
        for (const auto field : object) {
            f(field.key, json_value(field.value));
        }
    }
    template <class F>
    void elements(F&& f) const {
        simdjson::dom::array array;
        if (element_.get_array().get(array) != simdjson::SUCCESS) {
            return;
        }
        for (const simdjson::dom::element child : array) {
            f(json_value(child));
        }
    }

  private:
    simdjson::dom::element element_;
};

/// Thrown by the On-Demand reader on a value it does not handle (a wrong type, an escaped
/// string); the reader then redoes the object with the DOM, which reports problems properly.
struct ondemand_failure {};

/// Thrown by the On-Demand reader when simdjson finds the text is not JSON. The document is
/// not touched again after one: the whole file goes to the DOM, which reports the error.
struct ondemand_error {};

/// Throws ondemand_failure for a wrong type and ondemand_error for anything worse.
inline void check(simdjson::error_code error) {
    if (error == simdjson::SUCCESS) {
        return;
    }
    if (error == simdjson::INCORRECT_TYPE) {
        throw ondemand_failure{};
    }
    throw ondemand_error{};
}

template <class T>
inline T checked(simdjson::simdjson_result<T>&& result) {
    T value{};
    check(std::move(result).get(value));
    return value;
}

/// A simdjson On-Demand value through the value interface. Values are read once, in document
/// order, straight from the input: no DOM tape is built for a big dump. It reports no errors
/// (see ondemand_failure).
class ondemand_value {
  public:
    static constexpr bool reports_errors = false;
    [[noreturn]] static void give_up() { throw ondemand_failure{}; }

    explicit ondemand_value(simdjson::ondemand::value value) : value_(value) {}
    /// An object; when `expected_kind` is not empty, members() checks that a `kind` member,
    /// if the object has one, says that kind (and gives up if not), and leaves it out.
    explicit ondemand_value(simdjson::ondemand::object object, std::string_view expected_kind = {})
        : object_(object), expected_kind_(expected_kind), is_object_(true) {}

    /// The string, when this is one: one look at the value instead of type() then get_string().
    bool string_value(std::string_view& out) const {
        simdjson::ondemand::raw_json_string raw;
        const auto error = value_.get_raw_json_string().get(raw);
        if (error == simdjson::INCORRECT_TYPE) {
            return false;
        }
        check(error);
        out = in_place(raw.raw());
        return true;
    }
    bool integer_value(std::int64_t& out) const {
        const auto error = value_.get_int64().get(out);
        if (error == simdjson::INCORRECT_TYPE || error == simdjson::NUMBER_OUT_OF_RANGE ||
            error == simdjson::NUMBER_ERROR) {
            return false; // the DOM redo names the value, or rejects a malformed number
        }
        check(error);
        return true;
    }

    [[nodiscard]] value_kind kind() const {
        if (is_object_) {
            return value_kind::object;
        }
        switch (checked(value_.type())) {
        case simdjson::ondemand::json_type::object:
            return value_kind::object;
        case simdjson::ondemand::json_type::array:
            return value_kind::array;
        case simdjson::ondemand::json_type::string:
            return value_kind::string;
        case simdjson::ondemand::json_type::boolean:
            return value_kind::boolean;
        case simdjson::ondemand::json_type::null:
            return value_kind::null;
        case simdjson::ondemand::json_type::number:
            return checked(value_.get_number_type()) ==
                           simdjson::ondemand::number_type::signed_integer
                       ? value_kind::integer
                       : value_kind::floating;
        }
        give_up();
    }
    /// A string without escapes is used in place, inside the input (no unescaping copy); one
    /// with escapes sends the object to the DOM (see ondemand_failure).
    [[nodiscard]] std::string_view text() const {
        return in_place(checked(value_.get_raw_json_string()).raw());
    }
    [[nodiscard]] std::int64_t integer() const { return checked(value_.get_int64()); }
    [[nodiscard]] bool boolean() const { return checked(value_.get_bool()); }
    /// Only error messages show a value; those come from the DOM redo.
    [[noreturn]] std::string display() const { give_up(); }
    [[nodiscard]] std::optional<ondemand_value> get(std::string_view key) const {
        simdjson::ondemand::value child;
        const auto error = is_object_ ? object_.find_field_unordered(key).get(child)
                                      : value_.find_field_unordered(key).get(child);
        if (error == simdjson::NO_SUCH_FIELD) {
            return std::nullopt;
        }
        check(error);
        return ondemand_value(child);
    }
    template <class F>
    void members(F&& f) const {
        simdjson::ondemand::object object = is_object_ ? object_ : checked(value_.get_object());
        for (auto field : object) {
            simdjson::ondemand::field member = checked(std::move(field));
            const std::string_view key = in_place(member.key().raw());
            if (!expected_kind_.empty() && key == "kind") {
                if (ondemand_value(member.value()).text() != expected_kind_) {
                    give_up(); // the DOM redo reads the item as its own kind
                }
                continue;
            }
            f(key, ondemand_value(member.value()));
        }
    }
    template <class F>
    void elements(F&& f) const {
        simdjson::ondemand::array array = checked(value_.get_array());
        for (auto element : array) {
            f(ondemand_value(checked(std::move(element))));
        }
    }

  private:
    /// The string starting at `start` (just after its opening quote) when it has no escapes.
    static std::string_view in_place(const char* start) {
        const char* end = start;
        while (*end != '"') {
            if (*end == '\\') {
                give_up();
            }
            ++end;
        }
        return {start, static_cast<std::size_t>(end - start)};
    }

    mutable simdjson::ondemand::value value_;
    mutable simdjson::ondemand::object object_;
    std::string_view expected_kind_;
    bool is_object_ = false;
};

/// One JSON text parsed into simdjson's DOM, kept so its objects can be printed as read.
class json_document {
  public:
    /// Parses `text` (followed by input_padding readable bytes); the error when it is not
    /// JSON (see json_error).
    simdjson::error_code parse(std::string_view text);
    [[nodiscard]] json_value root() const { return json_value(root_); }
    /// The elements of the root's `items`, found on first use.
    const std::vector<json_value>& items();

  private:
    std::unique_ptr<simdjson::dom::parser> parser_;
    simdjson::dom::element root_;
    std::vector<json_value> items_;
    bool items_found_ = false;
};

/// Whether the JSON `text`, starting `depth` containers deep, holds a container deeper than
/// max_nesting_depth. On-Demand never checks depth (the DOM does): the List reader checks
/// each item with this. Most texts are ruled out by counting their `[` and `{` bytes.
[[nodiscard]] bool nests_too_deep(std::string_view text, std::size_t depth);

/// Reads JSON Lists On-Demand and parses single items with the DOM.
class json_list_reader {
  public:
    /// Reads `text` (followed by input_padding readable bytes) as a `kind: …List` in one pass
    /// over the root's fields (kubectl prints `kind` after `items`, the API server before).
    /// Calls before_items() once the items start, then, for each item, on_item(offset) with
    /// the byte offset it starts at, and read_item(value, kind, index): with an
    /// ondemand_value, or, when On-Demand gives up on the item, with the item parsed again as
    /// a json_value. `kind` is the item's own kind, else the one its typed list names. Returns
    /// the list's kind; nullopt when `text` is no such List, not valid JSON or nests deeper
    /// than max_nesting_depth, after which the caller drops whatever read_item kept.
    template <class BeforeItems, class OnItem, class ReadItem>
    std::optional<std::string> read(std::string_view text, BeforeItems&& before_items,
                                    OnItem&& on_item, ReadItem&& read_item) {
        try {
            simdjson::ondemand::parser parser;
            simdjson::ondemand::document document = checked(parser.iterate(padded(text)));
            simdjson::ondemand::object root = checked(document.get_object());
            std::string list_kind;
            bool saw_items = false;
            for (auto field : root) {
                simdjson::ondemand::field member = checked(std::move(field));
                const std::string_view key = checked(member.unescaped_key());
                if (key == "kind") {
                    list_kind = std::string(checked(member.value().get_string()));
                    if (!is_list_kind(list_kind)) {
                        throw ondemand_failure{};
                    }
                } else if (key == "items") {
                    saw_items = true;
                    before_items();
                    simdjson::ondemand::array items = checked(member.value().get_array());
                    read_items(text, document, items, listed_kind(list_kind), on_item, read_item);
                } else {
                    check_depth(member.value(), 1); // the List's metadata, say
                }
            }
            if (!saw_items || !is_list_kind(list_kind)) {
                throw ondemand_failure{};
            }
            return list_kind;
        } catch (const ondemand_failure&) {
            return std::nullopt;
        } catch (const ondemand_error&) {
            return std::nullopt;
        }
    }

    /// Parses one object's text with the DOM; valid until the next call.
    std::optional<json_value> parse_item(std::string_view text);

  private:
    static simdjson::padded_string_view padded(std::string_view text) {
        return simdjson::padded_string_view(text.data(), text.size(), text.size() + input_padding);
    }

    /// Throws ondemand_error when `text`, `depth` containers deep, nests too deeply: the DOM
    /// then reads the whole file, and reports the error where the other path does.
    static void check_depth(std::string_view text, std::size_t depth) {
        if (nests_too_deep(text, depth)) {
            throw ondemand_error{};
        }
    }
    static void check_depth(simdjson::ondemand::value value, std::size_t depth) {
        switch (checked(value.type())) {
        case simdjson::ondemand::json_type::object:
            check_depth(checked(checked(value.get_object()).raw_json()), depth);
            return;
        case simdjson::ondemand::json_type::array:
            check_depth(checked(checked(value.get_array()).raw_json()), depth);
            return;
        default:
            return;
        }
    }

    /// Where the document's iterator is, as an offset into `text`.
    static std::size_t location(std::string_view text, simdjson::ondemand::document& document) {
        const char* at = nullptr;
        if (document.current_location().get(at) != simdjson::SUCCESS || at < text.data() ||
            at > text.data() + text.size()) {
            return text.size();
        }
        return static_cast<std::size_t>(at - text.data());
    }

    /// Reads the items. Each item's depth is checked from its text, from where it starts to
    /// where the next one does (the converter skips what it does not read, and On-Demand
    /// skips without counting depth): before the next item is read, and before an item is
    /// parsed again with the DOM.
    template <class OnItem, class ReadItem>
    void read_items(std::string_view text, simdjson::ondemand::document& document,
                    simdjson::ondemand::array& items, std::string_view item_kind, OnItem& on_item,
                    ReadItem& read_item) {
        constexpr std::size_t item_depth = 2; // inside the List and its items
        std::int32_t index = 0;
        std::size_t previous = text.size(); // where the item before starts
        for (auto element : items) {
            simdjson::ondemand::value value = checked(std::move(element));
            const std::size_t start = location(text, document);
            if (previous < start) {
                check_depth(text.substr(previous, start - previous), item_depth);
            }
            previous = start;
            on_item(start);
            simdjson::ondemand::object object = checked(value.get_object());
            std::string kind;
            std::string_view expected_kind;
            if (is_read_kind(item_kind)) {
                // A typed list of a kind svcdisc reads (what `kubectl get --raw` prints, its
                // items without kind): no search of each item for a kind it most likely
                // lacks; the converter's pass checks one it has (see ondemand_value).
                kind = item_kind;
                expected_kind = item_kind;
            } else {
                std::string_view own_kind;
                if (object.find_field_unordered("kind").get_string().get(own_kind) ==
                    simdjson::SUCCESS) {
                    kind = own_kind;
                } else if (!item_kind.empty()) {
                    kind = item_kind;
                } else {
                    throw ondemand_failure{}; // a List item without kind: the DOM reports it
                }
                checked(object.reset());
            }
            const std::int32_t item = index++;
            try {
                read_item(ondemand_value(object, expected_kind), std::string_view(kind), item);
            } catch (const ondemand_failure&) {
                checked(object.reset());
                const std::string_view raw = checked(object.raw_json());
                check_depth(raw, item_depth);
                const auto redo = parse_item(raw);
                if (!redo) {
                    throw;
                }
                if (!expected_kind.empty()) {
                    // The item's own kind, as the DOM path takes it: a non-empty string.
                    if (const auto own = redo->get("kind");
                        own && own->kind() == value_kind::string && !own->text().empty()) {
                        kind = own->text();
                    }
                }
                read_item(*redo, std::string_view(kind), item);
            }
        }
        const std::size_t end = location(text, document);
        if (previous < end) {
            check_depth(text.substr(previous, end - previous), item_depth);
        }
    }

    simdjson::dom::parser item_parser_;
};

/// Where and why a text is not JSON.
struct json_syntax_error {
    /// The byte offset simdjson stopped at.
    std::size_t offset = 0;
    std::string message;
};

/// Finds where in `text` (followed by input_padding readable bytes) the first JSON error is,
/// for a text the DOM refused with `error`.
[[nodiscard]] json_syntax_error json_error(std::string_view text, simdjson::error_code error);

/// The text of each object in the `items` of a JSON List (followed by input_padding readable
/// bytes), so one item can be printed as read without parsing the whole List again.
std::vector<std::string_view> list_item_texts(std::string_view text);

} // namespace svcdisc_cli
