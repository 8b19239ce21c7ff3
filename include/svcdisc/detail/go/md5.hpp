#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace svcdisc::detail {

/// A 128-bit digest in the byte order the algorithm prints it (MD5, FNV-128a).
using digest128 = std::array<std::uint8_t, 16>;

/// Lowercase hex of a digest, two characters per byte in order, as Go's `%x` prints it.
[[nodiscard]] inline std::string to_hex(const digest128& digest) {
    constexpr std::string_view digits = "0123456789abcdef";
    std::string out(2 * digest.size(), '0');
    for (std::size_t i = 0; i < digest.size(); ++i) {
        out[2 * i] = digits[digest[i] >> 4U];
        out[2 * i + 1] = digits[digest[i] & 0x0fU];
    }
    return out;
}

/// MD5 (RFC 1321) fed piece by piece, so a caller can hash a Go debug-dump while writing it
/// instead of building the whole string first (the Endpoints controller orders ports and subsets
/// by it, through hashObject; docs/endpoints.md).
///
/// Example:
///     svcdisc::detail::md5_hasher hasher;
///     hasher.update("(v1.EndpointPort){");
///     hasher.update("Name:(string)http ...}");
///     const auto digest = hasher.finish();
class md5_hasher {
  public:
    /// Appends `data` to the message.
    void update(std::string_view data) noexcept {
        length_ += data.size();
        // Copy whole runs into the block rather than byte by byte: subset ordering hashes
        // megabytes of dump text for large Services.
        while (!data.empty()) {
            const std::size_t take = std::min(block_.size() - fill_, data.size());
            std::transform(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take),
                           block_.begin() + static_cast<std::ptrdiff_t>(fill_),
                           [](char c) { return static_cast<std::uint8_t>(c); });
            fill_ += take;
            data.remove_prefix(take);
            if (fill_ == block_.size()) {
                compress();
                fill_ = 0;
            }
        }
    }

    /// The digest of everything passed to update() so far. The hasher stays usable: further
    /// update() calls extend the same message.
    [[nodiscard]] digest128 finish() const noexcept {
        md5_hasher last = *this;
        return last.pad_and_digest();
    }

  private:
    static constexpr std::uint32_t rotate_left(std::uint32_t value, unsigned shift) noexcept {
        return (value << shift) | (value >> (32U - shift));
    }

    /// Appends the RFC 1321 padding and bit length, then reads the state out little-endian.
    digest128 pad_and_digest() noexcept {
        const std::uint64_t bit_length = static_cast<std::uint64_t>(length_) * 8U;
        block_[fill_++] = 0x80;
        if (fill_ > block_.size() - 8) {
            pad_to(block_.size());
            compress();
            fill_ = 0;
        }
        pad_to(block_.size() - 8);
        for (std::size_t i = 0; i < 8; ++i) {
            block_[fill_++] = static_cast<std::uint8_t>(bit_length >> (8U * i));
        }
        compress();
        digest128 digest{};
        for (std::size_t word = 0; word < state_.size(); ++word) {
            for (std::size_t i = 0; i < 4; ++i) {
                digest[4 * word + i] = static_cast<std::uint8_t>(state_[word] >> (8U * i));
            }
        }
        return digest;
    }

    void pad_to(std::size_t end) noexcept {
        while (fill_ < end) {
            block_[fill_++] = 0;
        }
    }

    // Per-step shift amounts: four per round, repeated four times within the round.
    static constexpr std::array<unsigned, 16> md5_shifts = {7, 12, 17, 22, 5, 9,  14, 20,
                                                            4, 11, 16, 23, 6, 10, 15, 21};
    // floor(abs(sin(i + 1)) * 2^32), RFC 1321 section 3.4.
    static constexpr std::array<std::uint32_t, 64> md5_sines = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391};

    /// The message word that step `Step` of RFC 1321 reads.
    static constexpr std::size_t message_word(std::size_t step) noexcept {
        switch (step / 16) {
        case 0:
            return step;
        case 1:
            return (5 * step + 1) % 16;
        case 2:
            return (3 * step + 5) % 16;
        default:
            return (7 * step) % 16;
        }
    }

    // One step per instantiation, so that its round function, message word, constant and
    // shift are compile-time values and the four state words rotate by renaming, not moves:
    // large Services hash megabytes of dump text.
    template <std::size_t Step>
    static void md5_step(std::uint32_t& w, std::uint32_t x, std::uint32_t y, std::uint32_t z,
                         const std::array<std::uint32_t, 16>& words) noexcept {
        constexpr std::size_t round = Step / 16;
        std::uint32_t mixed = 0;
        if constexpr (round == 0) {
            mixed = (x & y) | (~x & z);
        } else if constexpr (round == 1) {
            mixed = (z & x) | (~z & y);
        } else if constexpr (round == 2) {
            mixed = x ^ y ^ z;
        } else {
            mixed = y ^ (x | ~z);
        }
        w = x + rotate_left(w + mixed + md5_sines[Step] + words[message_word(Step)],
                            md5_shifts[4 * round + Step % 4]);
    }

    // Step i updates a, d, c, b in turn; the other three words are its inputs in that order.
    template <std::size_t Step>
    static void md5_rotating_step(std::uint32_t& a, std::uint32_t& b, std::uint32_t& c,
                                  std::uint32_t& d,
                                  const std::array<std::uint32_t, 16>& words) noexcept {
        if constexpr (Step % 4 == 0) {
            md5_step<Step>(a, b, c, d, words);
        } else if constexpr (Step % 4 == 1) {
            md5_step<Step>(d, a, b, c, words);
        } else if constexpr (Step % 4 == 2) {
            md5_step<Step>(c, d, a, b, words);
        } else {
            md5_step<Step>(b, c, d, a, words);
        }
    }

    void compress() noexcept {
        std::array<std::uint32_t, 16> words{};
        for (std::size_t w = 0; w < words.size(); ++w) {
            for (std::size_t i = 0; i < 4; ++i) {
                words[w] |= std::uint32_t{block_[4 * w + i]} << (8U * i);
            }
        }
        std::uint32_t a = state_[0];
        std::uint32_t b = state_[1];
        std::uint32_t c = state_[2];
        std::uint32_t d = state_[3];
        [&]<std::size_t... Steps>(std::index_sequence<Steps...>) {
            (md5_rotating_step<Steps>(a, b, c, d, words), ...);
        }
        (std::make_index_sequence<64>{});
        state_[0] += a;
        state_[1] += b;
        state_[2] += c;
        state_[3] += d;
    }

    std::array<std::uint32_t, 4> state_ = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    std::array<std::uint8_t, 64> block_{};
    std::size_t fill_ = 0;
    std::size_t length_ = 0;
};

/// MD5 of `data` in one call.
///
/// Example:
///     svcdisc::detail::to_hex(svcdisc::detail::md5("abc"));
///     // "900150983cd24fb0d6963f7d28e17f72"
[[nodiscard]] inline digest128 md5(std::string_view data) noexcept {
    md5_hasher hasher;
    hasher.update(data);
    return hasher.finish();
}

} // namespace svcdisc::detail
