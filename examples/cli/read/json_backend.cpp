#include "read/json_backend.hpp"

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

bool json_document::parse(std::string_view text) {
    parser_ = std::make_unique<simdjson::dom::parser>();
    if (parser_->parse(text.data(), text.size(), false).get(root_) == simdjson::SUCCESS) {
        return true;
    }
    parser_.reset();
    return false;
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
