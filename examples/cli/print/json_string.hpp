#pragma once

#include <string>
#include <string_view>

#include <svcdisc/go_text.hpp>

namespace svcdisc_cli {

/// `s` as a JSON string literal, escaped as Go's encoding/json does (svcdisc::append_json_string:
/// `<`, `>`, `&`, U+2028 and U+2029 too, invalid UTF-8 as \ufffd).
[[nodiscard]] inline std::string json_quoted(std::string_view s) {
    std::string out;
    svcdisc::append_json_string(out, s);
    return out;
}

} // namespace svcdisc_cli
