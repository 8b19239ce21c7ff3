#include "read/json_backend.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "read/excerpt.hpp"

namespace svcdisc_cli {

value_kind json_value::kind() const {
    switch (element_.type()) {
    case simdjson::dom::element_type::OBJECT:
        return value_kind::object;
    case simdjson::dom::element_type::ARRAY:
        return value_kind::array;
    case simdjson::dom::element_type::STRING:
        return value_kind::string;
    case simdjson::dom::element_type::INT64:
        return value_kind::integer;
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
        return value_kind::floating;
    case simdjson::dom::element_type::BOOL:
        return value_kind::boolean;
    default:
        return value_kind::null;
    }
}

std::string_view json_value::text() const {
    std::string_view s;
    if (element_.get_string().get(s) != simdjson::SUCCESS) {
        return {};
    }
    return s;
}

std::int64_t json_value::integer() const {
    std::int64_t n = 0;
    if (element_.get_int64().get(n) != simdjson::SUCCESS) {
        return 0;
    }
    return n;
}

bool json_value::boolean() const {
    bool b = false;
    if (element_.get_bool().get(b) != simdjson::SUCCESS) {
        return false;
    }
    return b;
}

std::string json_value::display() const {
    switch (kind()) {
    case value_kind::object:
        return "an object";
    case value_kind::array:
        return "a list";
    case value_kind::string:
        return std::string(text());
    default:
        return simdjson::to_string(element_);
    }
}

std::optional<json_value> json_value::get(std::string_view key) const {
    simdjson::dom::object object;
    simdjson::dom::element child;
    if (element_.get_object().get(object) != simdjson::SUCCESS ||
        object.at_key(key).get(child) != simdjson::SUCCESS) {
        return std::nullopt;
    }
    return json_value(child);
}

std::size_t json_value::size() const {
    simdjson::dom::array array;
    return element_.get_array().get(array) == simdjson::SUCCESS ? array.size() : 0;
}

simdjson::error_code json_document::parse(std::string_view text) {
    parser_ = std::make_unique<simdjson::dom::parser>();
    auto error = parser_->allocate(text.size(), max_nesting_depth);
    if (error == simdjson::SUCCESS) {
        error = parser_->parse(text.data(), text.size(), false).get(root_);
    }
    if (error != simdjson::SUCCESS) {
        parser_.reset();
    }
    return error;
}

const std::vector<json_value>& json_document::items() {
    if (!items_found_) {
        items_found_ = true;
        if (const auto list = root().get("items")) {
            list->elements([&](const json_value& item) { items_.push_back(item); });
        }
    }
    return items_;
}

std::optional<json_value> json_list_reader::parse_item(std::string_view text) {
    simdjson::dom::element item;
    if (item_parser_.parse(text.data(), text.size()).get(item) != simdjson::SUCCESS) {
        return std::nullopt;
    }
    return json_value(item);
}

namespace {

/// How many '[' and '{' bytes `text` holds (the two differ in one bit). Counting each block
/// of 255 bytes in a byte lets the compiler count 16 bytes per instruction: this runs over
/// every byte of every List item.
std::size_t count_openers(std::string_view text) {
    constexpr std::size_t block = 255;
    std::size_t openers = 0;
    for (std::size_t start = 0; start < text.size(); start += block) {
        const std::size_t end = std::min(text.size(), start + block);
        std::uint8_t in_block = 0;
        for (std::size_t i = start; i < end; ++i) {
            in_block += static_cast<std::uint8_t>((static_cast<unsigned char>(text[i]) | 0x20U) ==
                                                  static_cast<unsigned char>('{'));
        }
        openers += in_block;
    }
    return openers;
}

} // namespace

bool nests_too_deep(std::string_view text, std::size_t depth) {
    // A text with too few brackets cannot nest too deeply.
    if (depth + count_openers(text) <= max_nesting_depth) {
        return false;
    }
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_nesting_depth) {
                return true;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

namespace {

std::string too_deep_message() {
    return "document nests deeper than " + std::to_string(max_nesting_depth) + " levels";
}

/// The offset of the first byte in `text` that is not part of valid UTF-8, or its size.
std::size_t first_invalid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t length = utf8_length_at(text, i);
        if (length == 0) {
            return i;
        }
        i += length;
    }
    return text.size();
}

/// Walks every value of a JSON text On-Demand, in document order, to find where the first
/// error is. Stops at the first one: the document is not touched after it.
class error_finder {
  public:
    explicit error_finder(std::string_view text) : text_(text) {}

    /// The first error On-Demand finds and its offset; when it finds none, `dom_error` (the
    /// one the DOM found) after the root value, where the content that should not be is.
    json_syntax_error find(simdjson::error_code dom_error) {
        auto error = walk_document();
        if (error == simdjson::SUCCESS) {
            error = dom_error;
        }
        return {offset_, error == simdjson::DEPTH_ERROR ? too_deep_message()
                                                        : simdjson::error_message(error)};
    }

  private:
    simdjson::error_code walk_document() {
        // Room beyond the limit, so that walk() sees a too deep document before simdjson does.
        auto error = parser_.allocate(text_.size(), max_nesting_depth + 2);
        if (error != simdjson::SUCCESS) {
            return error;
        }
        error = parser_
                    .iterate(simdjson::padded_string_view(text_.data(), text_.size(),
                                                          text_.size() + input_padding))
                    .get(document_);
        if (error != simdjson::SUCCESS) {
            offset_ = 0;
            return error;
        }
        simdjson::ondemand::value root;
        error = document_.get_value().get(root);
        if (error == simdjson::SUCCESS) {
            error = walk(root, 1);
        }
        note_location(); // after the root when all was well: at what follows it
        return error;
    }

    void note_location() {
        const char* at = nullptr;
        if (document_.current_location().get(at) == simdjson::SUCCESS && at >= text_.data() &&
            at <= text_.data() + text_.size()) {
            offset_ = static_cast<std::size_t>(at - text_.data());
        } else {
            offset_ = text_.size();
        }
    }

    simdjson::error_code walk(simdjson::ondemand::value value, std::size_t depth) {
        simdjson::ondemand::json_type type{};
        auto error = value.type().get(type);
        if (error != simdjson::SUCCESS) {
            return error;
        }
        switch (type) {
        case simdjson::ondemand::json_type::object: {
            if (depth > max_nesting_depth) {
                return simdjson::DEPTH_ERROR;
            }
            simdjson::ondemand::object object;
            if ((error = value.get_object().get(object)) != simdjson::SUCCESS) {
                return error;
            }
            for (auto field : object) {
                simdjson::ondemand::field member;
                std::string_view key;
                if ((error = std::move(field).get(member)) != simdjson::SUCCESS ||
                    (error = member.unescaped_key().get(key)) != simdjson::SUCCESS ||
                    (error = walk(member.value(), depth + 1)) != simdjson::SUCCESS) {
                    return error;
                }
            }
            return simdjson::SUCCESS;
        }
        case simdjson::ondemand::json_type::array: {
            if (depth > max_nesting_depth) {
                return simdjson::DEPTH_ERROR;
            }
            simdjson::ondemand::array array;
            if ((error = value.get_array().get(array)) != simdjson::SUCCESS) {
                return error;
            }
            for (auto element : array) {
                simdjson::ondemand::value child;
                if ((error = std::move(element).get(child)) != simdjson::SUCCESS ||
                    (error = walk(child, depth + 1)) != simdjson::SUCCESS) {
                    return error;
                }
            }
            return simdjson::SUCCESS;
        }
        case simdjson::ondemand::json_type::string: {
            std::string_view ignored;
            return value.get_string().get(ignored);
        }
        case simdjson::ondemand::json_type::number: {
            simdjson::ondemand::number ignored;
            return value.get_number().get(ignored);
        }
        case simdjson::ondemand::json_type::boolean: {
            bool ignored = false;
            return value.get_bool().get(ignored);
        }
        case simdjson::ondemand::json_type::null: {
            bool is_null = false;
            error = value.is_null().get(is_null);
            return error == simdjson::SUCCESS && !is_null ? simdjson::N_ATOM_ERROR : error;
        }
        }
        return simdjson::TAPE_ERROR;
    }

    std::string_view text_;
    simdjson::ondemand::parser parser_;
    simdjson::ondemand::document document_;
    std::size_t offset_ = 0;
};

} // namespace

json_syntax_error json_error(std::string_view text, simdjson::error_code error) {
    if (error == simdjson::UTF8_ERROR) {
        return {first_invalid_utf8(text), simdjson::error_message(error)};
    }
    return error_finder(text).find(error);
}

std::vector<std::string_view> list_item_texts(std::string_view text) {
    std::vector<std::string_view> texts;
    simdjson::ondemand::parser item_finder;
    auto document = item_finder.iterate(
        simdjson::padded_string_view(text.data(), text.size(), text.size() + input_padding));
    for (auto element : document["items"]) {
        simdjson::ondemand::object object;
        std::string_view raw;
        if (element.get_object().get(object) == simdjson::SUCCESS &&
            object.raw_json().get(raw) == simdjson::SUCCESS) {
            texts.push_back(raw);
        }
    }
    return texts;
}

} // namespace svcdisc_cli
