#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace svcdisc_cli {

/// The most bytes of input text an error message quotes: a 500 MB scalar must not be echoed.
inline constexpr std::size_t max_excerpt_bytes = 40;

/// `text`, or its first max_excerpt_bytes bytes (not splitting a UTF-8 character) and "…"
/// when it is longer.
[[nodiscard]] inline std::string excerpt(std::string_view text) {
    if (text.size() <= max_excerpt_bytes) {
        return std::string(text);
    }
    std::size_t cut = max_excerpt_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
        --cut; // a continuation byte: keep the whole character out
    }
    return std::string(text.substr(0, cut)) + "…";
}

} // namespace svcdisc_cli
