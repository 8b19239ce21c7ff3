#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace svcdisc {

/// The two IP families Kubernetes knows (`IPv4`, `IPv6` in `spec.ipFamilies`).
enum class ip_family : std::uint8_t { ipv4, ipv6 };

namespace detail {

/// Digits of one IP field read the way Go's `dtoi`/`xtoi` read them: as many as there are,
/// leading zeros included, so `010` is decimal ten and `0000a` is hex ten.
struct ip_number {
    std::uint32_t value = 0;
    std::size_t length = 0; ///< digits consumed; 0 means "no number here"
};

constexpr int ip_digit_value(char c, std::uint32_t base) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (base == 16 && c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (base == 16 && c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/// Reads the longest digit run at the start of `text`. A value above `max` makes the whole
/// address invalid in Go, so reporting it as "no number" (length 0) gives the same answer.
constexpr ip_number read_ip_number(std::string_view text, std::uint32_t base,
                                   std::uint32_t max) noexcept {
    ip_number number;
    while (number.length < text.size()) {
        const int digit = ip_digit_value(text[number.length], base);
        if (digit < 0) {
            break;
        }
        number.value = number.value * base + static_cast<std::uint32_t>(digit);
        if (number.value > max) {
            return {};
        }
        ++number.length;
    }
    return number;
}

/// `d.d.d.d` with exactly four decimal octets and nothing after them.
constexpr std::optional<std::array<std::uint8_t, 4>>
parse_ipv4_octets(std::string_view text) noexcept {
    std::array<std::uint8_t, 4> octets{};
    for (std::size_t i = 0; i < octets.size(); ++i) {
        if (i > 0) {
            if (text.empty() || text.front() != '.') {
                return std::nullopt;
            }
            text.remove_prefix(1);
        }
        const ip_number octet = read_ip_number(text, 10, 0xff);
        if (octet.length == 0) {
            return std::nullopt;
        }
        octets[i] = static_cast<std::uint8_t>(octet.value);
        text.remove_prefix(octet.length);
    }
    if (!text.empty()) {
        return std::nullopt;
    }
    return octets;
}

/// RFC 4291 text with at most one `::`, which must stand for at least one zero group, and an
/// optional dotted IPv4 tail that takes the last 32 bits.
constexpr std::optional<std::array<std::uint8_t, 16>>
parse_ipv6_bytes(std::string_view text) noexcept {
    std::array<std::uint8_t, 16> bytes{};
    constexpr std::size_t no_gap = 16 + 1;
    std::size_t gap = no_gap; // byte offset where `::` stands
    if (text.size() >= 2 && text[0] == ':' && text[1] == ':') {
        gap = 0;
        text.remove_prefix(2);
    }
    std::size_t filled = 0;
    while (!text.empty() && filled < bytes.size()) {
        const ip_number group = read_ip_number(text, 16, 0xffff);
        if (group.length == 0) {
            return std::nullopt;
        }
        if (group.length < text.size() && text[group.length] == '.') {
            // An IPv4 tail sits at the very end: either right after six groups or after `::`.
            if ((gap == no_gap && filled != 12) || filled + 4 > bytes.size()) {
                return std::nullopt;
            }
            const auto octets = parse_ipv4_octets(text);
            if (!octets) {
                return std::nullopt;
            }
            for (const std::uint8_t octet : *octets) {
                bytes[filled++] = octet;
            }
            text = {};
            break;
        }
        bytes[filled++] = static_cast<std::uint8_t>(group.value >> 8U);
        bytes[filled++] = static_cast<std::uint8_t>(group.value & 0xffU);
        text.remove_prefix(group.length);
        if (text.empty()) {
            break;
        }
        if (text.front() != ':' || text.size() == 1) {
            return std::nullopt;
        }
        text.remove_prefix(1);
        if (text.front() == ':') {
            if (gap != no_gap) {
                return std::nullopt;
            }
            gap = filled;
            text.remove_prefix(1);
        }
    }
    if (!text.empty()) {
        return std::nullopt;
    }
    if (filled < bytes.size()) {
        if (gap == no_gap) {
            return std::nullopt;
        }
        // Slide the groups written after `::` to the end and zero the hole they leave.
        const std::size_t shift = bytes.size() - filled;
        for (std::size_t j = filled; j > gap; --j) {
            bytes[j - 1 + shift] = bytes[j - 1];
        }
        for (std::size_t j = gap; j < gap + shift; ++j) {
            bytes[j] = 0;
        }
    } else if (gap != no_gap) {
        return std::nullopt;
    }
    return bytes;
}

} // namespace detail

/// An IPv4 or IPv6 address held as 16 bytes, IPv4 in its IPv4-mapped form (`::ffff:a.b.c.d`),
/// exactly like Go's `net.IP` after `ParseIP`. A default-constructed address is `::`.
///
/// Comparison is byte-wise on the 16 bytes, so all IPv4 addresses sort together, in numeric
/// order, inside `::ffff:0:0/96`. Kubernetes' Endpoints order addresses by their text instead
/// (docs/determinism.md); use this order only where numeric order is wanted.
///
/// Example:
///     auto ip = svcdisc::ip_address::parse("010.000.000.001");
///     ip->to_string();  // "10.0.0.1"
///     ip->family();     // svcdisc::ip_family::ipv4
class ip_address {
  public:
    /// The raw network-order bytes.
    using bytes_type = std::array<std::uint8_t, 16>;

    /// The unspecified IPv6 address `::`.
    constexpr ip_address() noexcept = default;

    /// The address with these 16 network-order bytes; IPv4 when they are IPv4-mapped.
    constexpr explicit ip_address(const bytes_type& bytes) noexcept : bytes_(bytes) {}

    /// The IPv4 address `a.b.c.d`, stored IPv4-mapped.
    [[nodiscard]] static constexpr ip_address from_ipv4(std::uint8_t a, std::uint8_t b,
                                                        std::uint8_t c, std::uint8_t d) noexcept {
        return ip_address(bytes_type{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d});
    }

    /// Parses `text` as Kubernetes' `netutils.ParseIPSloppy` does (Go 1.16's `net.ParseIP`):
    /// the first '.' or ':' decides between dotted IPv4 and IPv6; IPv4 octets may carry
    /// leading zeros and are still decimal; IPv6 takes hex digits in either case, one `::`,
    /// and a dotted IPv4 tail (`::ffff:1.2.3.4`). No zone (`%eth0`), no prefix length, no
    /// surrounding spaces or brackets. Returns nullopt for anything else.
    ///
    /// Example:
    ///     svcdisc::ip_address::parse("fd00::1");     // an IPv6 address
    ///     svcdisc::ip_address::parse("10.0.0.0/8");  // nullopt
    [[nodiscard]] static constexpr std::optional<ip_address> parse(std::string_view text) noexcept {
        for (const char c : text) {
            if (c == '.') {
                const auto octets = detail::parse_ipv4_octets(text);
                if (!octets) {
                    return std::nullopt;
                }
                return from_ipv4((*octets)[0], (*octets)[1], (*octets)[2], (*octets)[3]);
            }
            if (c == ':') {
                const auto bytes = detail::parse_ipv6_bytes(text);
                if (!bytes) {
                    return std::nullopt;
                }
                return ip_address(*bytes);
            }
        }
        return std::nullopt;
    }

    /// True when the address has a 4-byte form (Go's `To4() != nil`): the first ten bytes are
    /// zero and the next two are 0xff. This includes text such as `::ffff:0:0`.
    [[nodiscard]] constexpr bool is_ipv4() const noexcept {
        for (std::size_t i = 0; i < 10; ++i) {
            if (bytes_[i] != 0) {
                return false;
            }
        }
        return bytes_[10] == 0xff && bytes_[11] == 0xff;
    }

    /// ipv4 when is_ipv4(), else ipv6.
    [[nodiscard]] constexpr ip_family family() const noexcept {
        return is_ipv4() ? ip_family::ipv4 : ip_family::ipv6;
    }

    /// The 16 network-order bytes.
    [[nodiscard]] constexpr bytes_type bytes() const noexcept { return bytes_; }

    /// The text Go's `net.IP.String()` prints: dotted decimal for IPv4 (also when written as
    /// IPv4-mapped IPv6); otherwise lowercase hex groups without leading zeros where the
    /// longest run of two or more zero groups (the leftmost of equal runs) becomes `::`.
    ///
    /// Example:
    ///     svcdisc::ip_address::parse("2001:0DB8:0:0:0:0:0:1")->to_string();  // "2001:db8::1"
    [[nodiscard]] std::string to_string() const {
        // 8 groups of 4 hex digits and 7 colons is the longest text.
        std::array<char, 39> buffer{};
        std::size_t size = 0;
        const auto put = [&](char c) { buffer[size++] = c; };
        const auto put_number = [&](unsigned value, unsigned base) {
            constexpr std::string_view digits = "0123456789abcdef";
            std::array<char, 4> reversed{};
            std::size_t count = 0;
            do {
                reversed[count++] = digits[value % base];
                value /= base;
            } while (value != 0);
            while (count > 0) {
                put(reversed[--count]);
            }
        };
        if (is_ipv4()) {
            for (std::size_t i = 12; i < 16; ++i) {
                if (i > 12) {
                    put('.');
                }
                put_number(bytes_[i], 10);
            }
            return std::string(buffer.data(), size);
        }
        std::array<unsigned, 8> groups{};
        for (std::size_t g = 0; g < groups.size(); ++g) {
            groups[g] = (unsigned{bytes_[2 * g]} << 8U) | bytes_[2 * g + 1];
        }
        std::size_t run_start = groups.size();
        std::size_t run_length = 1; // a lone zero group is never compressed
        for (std::size_t g = 0; g < groups.size(); ++g) {
            std::size_t end = g;
            while (end < groups.size() && groups[end] == 0) {
                ++end;
            }
            if (end - g > run_length) {
                run_start = g;
                run_length = end - g;
            }
        }
        for (std::size_t g = 0; g < groups.size(); ++g) {
            if (g == run_start) {
                put(':');
                put(':');
                g += run_length - 1;
                continue;
            }
            if (g > 0 && g != run_start + run_length) {
                put(':');
            }
            put_number(groups[g], 16);
        }
        return std::string(buffer.data(), size);
    }

    /// Byte-wise order of the 16-byte form.
    friend constexpr auto operator<=>(const ip_address&, const ip_address&) noexcept = default;
    /// Same 16 bytes; `10.0.0.1` equals `::ffff:10.0.0.1`.
    friend constexpr bool operator==(const ip_address&, const ip_address&) noexcept = default;

  private:
    bytes_type bytes_{};
};

/// The family of an IP text by Kubernetes' rule (k8s.io/utils `IsIPv6String`): IPv6
/// when the text parses and has no 4-byte form, IPv4 otherwise, including text that is no IP
/// at all.
///
/// Example:
///     svcdisc::ip_family_of("::ffff:1.2.3.4");  // ipv4
///     svcdisc::ip_family_of("not-an-ip");       // ipv4
[[nodiscard]] constexpr ip_family ip_family_of(std::string_view text) noexcept {
    // Text without ':' cannot parse as IPv6; pod IPs are mostly IPv4, so skip the parse.
    if (text.find(':') == std::string_view::npos) {
        return ip_family::ipv4;
    }
    const auto address = ip_address::parse(text);
    return address && !address->is_ipv4() ? ip_family::ipv6 : ip_family::ipv4;
}

/// True when `text` parses as an address without a 4-byte form (k8s.io/utils `IsIPv6String`).
[[nodiscard]] constexpr bool is_ipv6_string(std::string_view text) noexcept {
    return ip_family_of(text) == ip_family::ipv6;
}

/// `text` parsed leniently and printed back as Go prints it, or nullopt when it is no IP; the
/// address text EndpointSlice mirroring writes (docs/mirroring.md).
///
/// Example:
///     svcdisc::canonical_ip("::ffff:192.0.2.1");  // "192.0.2.1"
[[nodiscard]] inline std::optional<std::string> canonical_ip(std::string_view text) {
    const auto address = ip_address::parse(text);
    if (!address) {
        return std::nullopt;
    }
    return address->to_string();
}

} // namespace svcdisc
