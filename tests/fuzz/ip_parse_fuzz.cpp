// Fuzz target: IP parsing and printing (ip.hpp). Oracles: whatever the input, parse either fails
// or gives an address whose canonical text parses to the same address and prints the same
// text; canonical_ip, ip_family_of and is_ipv6_string agree with parse; and any 16 bytes (the
// first 16 of the input) print as text that parses back to those bytes.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <svcdisc/ip.hpp>

#include "fuzz_support.hpp"

using svcdisc_fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto address = svcdisc::ip_address::parse(text);
    const auto canonical_text = svcdisc::canonical_ip(text);
    require(address.has_value() == canonical_text.has_value(),
            "canonical_ip fails exactly when parse does", text);
    require(svcdisc::is_ipv6_string(text) ==
                (address && address->family() == svcdisc::ip_family::ipv6),
            "is_ipv6_string is parse + family", text);
    require(
        svcdisc::ip_family_of(text) ==
            (svcdisc::is_ipv6_string(text) ? svcdisc::ip_family::ipv6 : svcdisc::ip_family::ipv4),
        "ip_family_of follows is_ipv6_string", text);
    if (address) {
        const std::string canonical = address->to_string();
        require(*canonical_text == canonical, "canonical_ip prints what to_string prints", text);
        const auto again = svcdisc::ip_address::parse(canonical);
        require(again.has_value() && *again == *address,
                "the canonical text parses to the same address", canonical);
        require(again->to_string() == canonical, "the canonical text is a fixed point", canonical);
        require(again->family() == address->family(), "the family survives printing", canonical);
    }

    svcdisc::ip_address::bytes_type bytes{};
    std::copy_n(data, std::min(size, bytes.size()), bytes.begin());
    const svcdisc::ip_address from_bytes(bytes);
    const std::string printed = from_bytes.to_string();
    const auto back = svcdisc::ip_address::parse(printed);
    require(back.has_value() && back->bytes() == bytes, "any 16 bytes print and parse back",
            printed);
    return 0;
}
