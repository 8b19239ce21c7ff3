#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <svcdisc/config.hpp>

/// Bit and memory primitives behind guarded compiler builtins, each with a portable fallback.
namespace svcdisc::detail {

/// Asks the cache for the line holding `address` ahead of use (a no-op where unsupported).
/// Writers look up several independent things per pod; touching all of them first lets the
/// cache misses overlap instead of queueing one after another.
SVCDISC_ALWAYS_INLINE void prefetch(const void* address) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address);
#else
    (void)address;
#endif
}

/// The index of the lowest set bit of `bits`, which must not be 0. Unlike std::countr_zero it
/// has no branch for 0, which the bitset loops never pass.
SVCDISC_ALWAYS_INLINE unsigned lowest_bit(std::uint64_t bits) noexcept {
    SVCDISC_ASSERT(bits != 0);
#if defined(__GNUC__) || defined(__clang__)
    return static_cast<unsigned>(__builtin_ctzll(bits));
#else
    return static_cast<unsigned>(std::countr_zero(bits));
#endif
}

/// `sizeof(Word)` bytes at `bytes` as a Word, without alignment requirements.
template <class Word>
SVCDISC_ALWAYS_INLINE Word load_word(const char* bytes) noexcept {
    Word word;
    std::memcpy(&word, bytes, sizeof(Word));
    return word;
}

/// Set bits in `n` words, portably (a SWAR count).
[[nodiscard]] inline std::size_t popcount_words_portable(const std::uint64_t* words,
                                                         std::size_t n) noexcept {
    std::size_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t x = words[i];
        x = x - ((x >> 1U) & 0x5555555555555555ULL);
        x = (x & 0x3333333333333333ULL) + ((x >> 2U) & 0x3333333333333333ULL);
        x = (x + (x >> 4U)) & 0x0F0F0F0F0F0F0F0FULL;
        total += static_cast<std::size_t>((x * 0x0101010101010101ULL) >> 56U);
    }
    return total;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/// Set bits in `n` words with the POPCNT instruction (callers check the CPU has it).
__attribute__((target("popcnt"))) inline std::size_t
popcount_words_native(const std::uint64_t* words, std::size_t n) noexcept {
    std::size_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        total += static_cast<std::size_t>(__builtin_popcountll(words[i]));
    }
    return total;
}

/// Set bits in `n` words. The build has no -march flags, so a plain popcount is a libgcc call
/// per word; POPCNT is used when the CPU has it (checked once), the SWAR count otherwise.
[[nodiscard]] inline std::size_t popcount_words(const std::uint64_t* words,
                                                std::size_t n) noexcept {
    static const bool native = __builtin_cpu_supports("popcnt") != 0;
    return native ? popcount_words_native(words, n) : popcount_words_portable(words, n);
}
#else
/// Set bits in `n` words.
[[nodiscard]] inline std::size_t popcount_words(const std::uint64_t* words,
                                                std::size_t n) noexcept {
    return popcount_words_portable(words, n);
}
#endif

} // namespace svcdisc::detail
