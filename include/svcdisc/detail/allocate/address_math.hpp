#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include <svcdisc/ip.hpp>

/// Addresses as 128-bit unsigned numbers, for stepping through a CIDR: the n-th address of a
/// range, the distance between two addresses. IPv4 addresses keep their IPv4-mapped form, so
/// arithmetic inside an IPv4 network never leaves the `::ffff:0:0/96` block.
namespace svcdisc::detail {

/// A 128-bit unsigned number as two 64-bit halves (`unsigned __int128` warns under -Wpedantic).
struct uint128 {
    std::uint64_t high = 0;
    std::uint64_t low = 0;

    friend constexpr bool operator==(const uint128&, const uint128&) noexcept = default;
    friend constexpr auto operator<=>(const uint128&, const uint128&) noexcept = default;
};

/// `value + addend` modulo 2^128.
constexpr uint128 add(uint128 value, uint128 addend) noexcept {
    const std::uint64_t low = value.low + addend.low;
    const std::uint64_t carry = low < value.low ? 1 : 0;
    return {value.high + addend.high + carry, low};
}

/// `value - subtrahend` modulo 2^128.
constexpr uint128 subtract(uint128 value, uint128 subtrahend) noexcept {
    const std::uint64_t borrow = value.low < subtrahend.low ? 1 : 0;
    return {value.high - subtrahend.high - borrow, value.low - subtrahend.low};
}

/// `value << shift` for shift in [0, 128); bits shifted past the top are lost.
constexpr uint128 shift_left(uint128 value, unsigned shift) noexcept {
    if (shift == 0) {
        return value;
    }
    if (shift >= 64) {
        return {value.low << (shift - 64), 0};
    }
    return {(value.high << shift) | (value.low >> (64 - shift)), value.low << shift};
}

/// 2^bits - 1 for bits in [0, 128]: the host part of a prefix with `bits` host bits.
constexpr uint128 low_mask(unsigned bits) noexcept {
    if (bits == 0) {
        return {};
    }
    if (bits >= 128) {
        return {~std::uint64_t{0}, ~std::uint64_t{0}};
    }
    if (bits >= 64) {
        return {bits == 64 ? 0 : (~std::uint64_t{0} >> (128 - bits)), ~std::uint64_t{0}};
    }
    return {0, ~std::uint64_t{0} >> (64 - bits)};
}

constexpr uint128 bitwise_and(uint128 a, uint128 b) noexcept {
    return {a.high & b.high, a.low & b.low};
}

constexpr uint128 bitwise_or(uint128 a, uint128 b) noexcept {
    return {a.high | b.high, a.low | b.low};
}

constexpr uint128 bitwise_not(uint128 a) noexcept {
    return {~a.high, ~a.low};
}

/// The 16 bytes of an address read as a big-endian number.
constexpr uint128 to_number(const ip_address& address) noexcept {
    const ip_address::bytes_type bytes = address.bytes();
    uint128 number;
    for (std::size_t i = 0; i < 8; ++i) {
        number.high = (number.high << 8U) | bytes[i];
        number.low = (number.low << 8U) | bytes[8 + i];
    }
    return number;
}

/// The address whose 16 bytes are `number`, big-endian.
constexpr ip_address to_address(uint128 number) noexcept {
    ip_address::bytes_type bytes{};
    for (std::size_t i = 0; i < 8; ++i) {
        const unsigned shift = 8U * static_cast<unsigned>(7 - i);
        bytes[i] = static_cast<std::uint8_t>(number.high >> shift);
        bytes[8 + i] = static_cast<std::uint8_t>(number.low >> shift);
    }
    return ip_address(bytes);
}

/// `address + offset`.
constexpr ip_address advance(const ip_address& address, std::uint64_t offset) noexcept {
    return to_address(add(to_number(address), uint128{0, offset}));
}

} // namespace svcdisc::detail
