#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include <svcdisc/ip.hpp>

// Lenient IP parsing (k8s.io/utils ParseIPSloppy), Go's canonical printing, and the family
// rule (k8s.io/utils IsIPv6) the Endpoints controller and mirroring apply (docs/endpoints.md,
// docs/mirroring.md).

namespace {

using svcdisc::ip_address;
using svcdisc::ip_family;

struct print_case {
    std::string_view text;
    std::string_view printed;
    ip_family family;
};

std::string printed(std::string_view text) {
    const auto address = ip_address::parse(text);
    REQUIRE_MESSAGE(address.has_value(), text);
    return address->to_string();
}

template <std::size_t N>
void check_prints(const print_case (&cases)[N]) {
    for (const auto& c : cases) {
        CAPTURE(c.text);
        const auto address = ip_address::parse(c.text);
        REQUIRE(address.has_value());
        CHECK(address->to_string() == c.printed);
        CHECK(address->family() == c.family);
        CHECK(address->is_ipv4() == (c.family == ip_family::ipv4));
    }
}

} // namespace

TEST_CASE("ip parse: IPv4 prints as dotted decimal without leading zeros") {
    constexpr print_case cases[] = {
        {"1.2.3.4", "1.2.3.4", ip_family::ipv4},
        {"0.0.0.0", "0.0.0.0", ip_family::ipv4},
        {"255.255.255.255", "255.255.255.255", ip_family::ipv4},
        {"10.0.0.100", "10.0.0.100", ip_family::ipv4},
        {"010.000.000.001", "10.0.0.1", ip_family::ipv4},
        {"1.2.3.04", "1.2.3.4", ip_family::ipv4},
        {"0000000255.0.0.1", "255.0.0.1", ip_family::ipv4},
    };
    check_prints(cases);
}

TEST_CASE("ip parse: leading zeros in IPv4 octets are decimal, never octal (ParseIPSloppy)") {
    CHECK(printed("010.008.011.012") == "10.8.11.12");
    CHECK(printed("0100.0.0.01") == "100.0.0.1");
    // Octal 0377 would be 255; read as decimal 377 it is out of range.
    CHECK_FALSE(ip_address::parse("0377.0.0.1").has_value());
}

TEST_CASE("ip parse: IPv4-mapped IPv6 is IPv4 and prints as plain IPv4") {
    constexpr print_case cases[] = {
        {"::ffff:192.0.2.1", "192.0.2.1", ip_family::ipv4},
        {"::FFFF:C000:0201", "192.0.2.1", ip_family::ipv4},
        {"0:0:0:0:0:ffff:1.2.3.4", "1.2.3.4", ip_family::ipv4},
        {"::ffff:010.0.0.1", "10.0.0.1", ip_family::ipv4},
        {"::ffff:0:0", "0.0.0.0", ip_family::ipv4},
        {"::ffff:0.0.0.0", "0.0.0.0", ip_family::ipv4},
    };
    check_prints(cases);
    CHECK(ip_address::parse("::ffff:192.0.2.1") == ip_address::parse("192.0.2.1"));
}

TEST_CASE("ip print: IPv6 is lowercase hex with the longest zero run (of two or more) as ::") {
    constexpr print_case cases[] = {
        {"::", "::", ip_family::ipv6},
        {"::1", "::1", ip_family::ipv6},
        {"1::", "1::", ip_family::ipv6},
        {"2001:db8::1", "2001:db8::1", ip_family::ipv6},
        {"2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1", ip_family::ipv6},
        {"fd00:96::10", "fd00:96::10", ip_family::ipv6},
        {"FD00:0096:0:0:0:0:0:0010", "fd00:96::10", ip_family::ipv6},
        {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", ip_family::ipv6},
        {"0001:0002:0003:0004:0005:0006:0007:0008", "1:2:3:4:5:6:7:8", ip_family::ipv6},
        {"AbCd:EF01::", "abcd:ef01::", ip_family::ipv6},
        {"::ffff", "::ffff", ip_family::ipv6},
        {"ffff::", "ffff::", ip_family::ipv6},
        {"fe80::1:0:0:0", "fe80::1:0:0:0", ip_family::ipv6},
        {"0:0:1::", "0:0:1::", ip_family::ipv6},
    };
    check_prints(cases);
}

TEST_CASE("ip print: a single zero group is never compressed") {
    CHECK(printed("2001:db8:0:1:1:1:1:1") == "2001:db8:0:1:1:1:1:1");
    CHECK(printed("1:2:3:4:5:6:7::") == "1:2:3:4:5:6:7:0");
    CHECK(printed("::2:3:4:5:6:7:8") == "0:2:3:4:5:6:7:8");
    CHECK(printed("1:0:2:0:3:0:4:0") == "1:0:2:0:3:0:4:0");
}

TEST_CASE("ip print: the longest zero run wins, the leftmost on a tie") {
    CHECK(printed("2001:0:0:1:0:0:0:1") == "2001:0:0:1::1");
    CHECK(printed("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");
    CHECK(printed("0:0:1:0:0:1:0:0") == "::1:0:0:1:0:0");
    CHECK(printed("1:0:0:2:0:0:0:0") == "1:0:0:2::");
}

TEST_CASE("ip parse: an IPv4 tail fills the last 32 bits and prints as hex unless mapped") {
    CHECK(printed("::1.2.3.4") == "::102:304");
    CHECK(printed("64:ff9b::192.0.2.33") == "64:ff9b::c000:221");
    CHECK(printed("1:2:3:4:5:6:1.2.3.4") == "1:2:3:4:5:6:102:304");
    CHECK(ip_address::parse("::1.2.3.4")->family() == ip_family::ipv6);
}

TEST_CASE("ip parse: hex groups may carry extra leading zeros (Go 1.16 xtoi)") {
    CHECK(printed("00000001::") == "1::");
    CHECK(printed("::0000ffff:1.2.3.4") == "1.2.3.4");
}

TEST_CASE("ip parse: malformed text is rejected") {
    for (const std::string_view text : {
             "",
             "this-is-not-an-ip",
             "1.2.3",
             "256.0.0.1",
             "1.2.3.256",
             "1.2.3.4.5",
             "1..2.3",
             "1.2.3.",
             ".1.2.3",
             "1.2.3.-4",
             "0x1.2.3.4",
             "1.2.3.4:80",
             "1.2.3.4%eth0",
             " 1.2.3.4",
             "1.2.3.4 ",
             "10.0.0.0/8",
             ":",
             ":::",
             ":1",
             "1:",
             "::1::",
             "1::2::3",
             "1:2:3:4:5:6:7:8:9",
             "1:2:3:4:5:6:7:8::",
             "1:2:3:4:5:6:7::8",
             "1:2:3:4:5:6:7",
             "12345::",
             "::10000",
             "::g",
             "fe80::1%eth0",
             "fe80::1/64",
             "[::1]",
             "1:2:3:4:5:1.2.3.4",
             "1::2:3:4:5:6:7:1.2.3.4",
             "::ffff:1.2.3",
             "::ffff:1.2.3.4:5",
             "::1.2.3.4.5",
             "::256.1.1.1",
         }) {
        CAPTURE(text);
        CHECK_FALSE(ip_address::parse(text).has_value());
        CHECK_FALSE(svcdisc::canonical_ip(text).has_value());
    }
}

TEST_CASE("ip bytes: IPv4 is stored IPv4-mapped, IPv6 in network order") {
    const std::array<std::uint8_t, 16> mapped = {0, 0, 0,    0,    0, 0, 0, 0,
                                                 0, 0, 0xff, 0xff, 1, 2, 3, 4};
    CHECK(ip_address::parse("1.2.3.4")->bytes() == mapped);
    CHECK(ip_address::from_ipv4(1, 2, 3, 4).bytes() == mapped);
    CHECK(ip_address(mapped).to_string() == "1.2.3.4");

    const std::array<std::uint8_t, 16> v6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                             0,    0,    0,    0,    0, 0, 0, 1};
    CHECK(ip_address::parse("2001:db8::1")->bytes() == v6);
    CHECK(ip_address().to_string() == "::");
}

TEST_CASE("ip family: IPv6 iff it parses and has no 4-byte form (utilnet.IsIPv6)") {
    CHECK(svcdisc::ip_family_of("10.0.0.1") == ip_family::ipv4);
    CHECK(svcdisc::ip_family_of("010.000.000.001") == ip_family::ipv4);
    CHECK(svcdisc::ip_family_of("fd00::1") == ip_family::ipv6);
    CHECK(svcdisc::ip_family_of("::") == ip_family::ipv6);
    CHECK(svcdisc::ip_family_of("::1.2.3.4") == ip_family::ipv6);
    CHECK(svcdisc::ip_family_of("::ffff:1.2.3.4") == ip_family::ipv4);
    CHECK(svcdisc::is_ipv6_string("fd00::1"));
    CHECK_FALSE(svcdisc::is_ipv6_string("::ffff:1.2.3.4"));
}

TEST_CASE("ip family: unparseable text counts as IPv4 (not IPv6)") {
    for (const std::string_view text : {"", "garbage", "fe80::1%eth0", "fd00::/64", "1.2.3"}) {
        CAPTURE(text);
        CHECK(svcdisc::ip_family_of(text) == ip_family::ipv4);
        CHECK_FALSE(svcdisc::is_ipv6_string(text));
    }
}

TEST_CASE("ip order: byte-wise on the 16-byte form, so numeric within a family") {
    const auto ip = [](std::string_view text) { return *ip_address::parse(text); };
    CHECK(ip("10.0.0.9") < ip("10.0.0.10"));
    CHECK(ip("9.0.0.1") < ip("10.0.0.1"));
    CHECK(ip("::1") < ip("0.0.0.0"));
    CHECK(ip("255.255.255.255") < ip("fd00::1"));
    CHECK(ip("fd00::1") < ip("fd00::2"));
    CHECK(ip("::ffff:10.0.0.1") == ip("10.0.0.1"));
    CHECK(ip("010.0.0.1") == ip("10.0.0.1"));
    CHECK(ip("2001:DB8::1") == ip("2001:db8:0::1"));
    CHECK(ip("10.0.0.1") != ip("10.0.0.2"));
    CHECK((ip("10.0.0.1") <=> ip("10.0.0.1")) == 0);
}

TEST_CASE("ip parse: usable in constant expressions") {
    static_assert(ip_address::parse("10.0.0.1") == ip_address::from_ipv4(10, 0, 0, 1));
    static_assert(svcdisc::ip_family_of("fd00::1") == ip_family::ipv6);
    static_assert(!ip_address::parse("1.2.3").has_value());
    CHECK(true);
}

TEST_CASE("canonical_ip: mirroring rewrites addresses to Go's canonical text (M23)") {
    CHECK(svcdisc::canonical_ip("010.000.000.001") == std::optional<std::string>("10.0.0.1"));
    CHECK(svcdisc::canonical_ip("::ffff:192.0.2.1") == std::optional<std::string>("192.0.2.1"));
    CHECK(svcdisc::canonical_ip("FD00:0:0::1") == std::optional<std::string>("fd00::1"));
    CHECK(svcdisc::canonical_ip("10.0.0.1") == std::optional<std::string>("10.0.0.1"));
    CHECK_FALSE(svcdisc::canonical_ip("node-a.example.com").has_value());
}

TEST_CASE("ip print: printed text parses back to the same address (fixed-seed random)") {
    std::mt19937 random(20240601U);
    std::uniform_int_distribution<int> byte_value(0, 255);
    std::uniform_int_distribution<int> coin(0, 2);
    for (int round = 0; round < 5000; ++round) {
        std::array<std::uint8_t, 16> bytes{};
        // Zero whole groups often so every run shape of :: shows up.
        for (std::size_t group = 0; group < 8; ++group) {
            const bool zero = coin(random) != 0;
            bytes[2 * group] = zero ? 0 : static_cast<std::uint8_t>(byte_value(random));
            bytes[2 * group + 1] = zero ? 0 : static_cast<std::uint8_t>(byte_value(random));
        }
        if (round % 10 == 0) {
            bytes = ip_address::from_ipv4(static_cast<std::uint8_t>(byte_value(random)), 0, 0,
                                          static_cast<std::uint8_t>(byte_value(random)))
                        .bytes();
        }
        const ip_address address(bytes);
        const std::string text = address.to_string();
        CAPTURE(text);
        const auto reparsed = ip_address::parse(text);
        REQUIRE(reparsed.has_value());
        CHECK(*reparsed == address);
        CHECK(reparsed->to_string() == text);
        CHECK(text.find(":::") == std::string::npos);
    }
}
