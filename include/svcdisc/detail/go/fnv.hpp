#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <svcdisc/detail/go/md5.hpp> // digest128 and to_hex, shared by both 128-bit hashes

namespace svcdisc::detail {

/// FNV-1a with a 128-bit state, fed piece by piece; the hash the EndpointSlice controller puts
/// over the debug-dump of each port to order a slice's ports (Kubernetes'
/// NewPortMapKey and its port sort; docs/endpoint-slices.md).
///
/// The state is two 64-bit halves rather than `unsigned __int128`, which -Wpedantic rejects.
///
/// Example:
///     svcdisc::detail::fnv128a_hasher hasher;
///     hasher.update("a");
///     svcdisc::detail::to_hex(hasher.finish());  // "d228cb696f1a8caf78912b704e4a8964"
class fnv128a_hasher {
  public:
    /// Folds `data` into the hash, one byte at a time.
    void update(std::string_view data) noexcept {
        for (const char c : data) {
            low_ ^= static_cast<std::uint8_t>(c);
            multiply_by_prime();
        }
    }

    /// The hash so far as 16 big-endian bytes, the order Go's `fnv.New128a().Sum(nil)` gives.
    /// The hasher stays usable: further update() calls extend the same message.
    [[nodiscard]] digest128 finish() const noexcept {
        digest128 digest{};
        for (std::size_t i = 0; i < 8; ++i) {
            const unsigned shift = 8U * static_cast<unsigned>(7 - i);
            digest[i] = static_cast<std::uint8_t>(high_ >> shift);
            digest[8 + i] = static_cast<std::uint8_t>(low_ >> shift);
        }
        return digest;
    }

  private:
    /// Full 128-bit product of two 64-bit values, as {high, low}, from 32-bit partial products.
    struct wide_product {
        std::uint64_t high;
        std::uint64_t low;
    };
    static constexpr wide_product multiply_wide(std::uint64_t x, std::uint64_t y) noexcept {
        constexpr std::uint64_t mask = 0xffffffffU;
        const std::uint64_t x_low = x & mask;
        const std::uint64_t x_high = x >> 32U;
        const std::uint64_t y_low = y & mask;
        const std::uint64_t y_high = y >> 32U;
        const std::uint64_t low_low = x_low * y_low;
        const std::uint64_t high_low = x_high * y_low;
        const std::uint64_t low_high = x_low * y_high;
        const std::uint64_t high_high = x_high * y_high;
        const std::uint64_t middle = (low_low >> 32U) + (high_low & mask) + (low_high & mask);
        return {high_high + (high_low >> 32U) + (low_high >> 32U) + (middle >> 32U),
                (middle << 32U) | (low_low & mask)};
    }

    /// state *= 2^88 + 0x13b (mod 2^128). The 2^88 term only moves the low half's bits into
    /// the high half (by 88 - 64 = 24 places); the high half's share overflows away.
    void multiply_by_prime() noexcept {
        constexpr std::uint64_t prime_low = 0x13b;
        const wide_product low_product = multiply_wide(low_, prime_low);
        high_ = high_ * prime_low + low_product.high + (low_ << 24U);
        low_ = low_product.low;
    }

    // Offset basis 0x6c62272e07bb014262b821756295c58d.
    std::uint64_t high_ = 0x6c62272e07bb0142U;
    std::uint64_t low_ = 0x62b821756295c58dU;
};

/// FNV-128a of `data` in one call, 16 big-endian bytes.
///
/// Example:
///     svcdisc::detail::fnv128a_hex("");  // "6c62272e07bb014262b821756295c58d"
[[nodiscard]] inline digest128 fnv128a(std::string_view data) noexcept {
    fnv128a_hasher hasher;
    hasher.update(data);
    return hasher.finish();
}

/// Lowercase hex of fnv128a(data): the key the EndpointSlice controller sorts ports by.
[[nodiscard]] inline std::string fnv128a_hex(std::string_view data) {
    return to_hex(fnv128a(data));
}

} // namespace svcdisc::detail
