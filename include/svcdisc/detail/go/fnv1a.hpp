#pragma once

#include <cstdint>
#include <string_view>

/// FNV-1a with 32- and 64-bit state (Go's hash/fnv New32a and New64a), fed piece by piece.
/// svcdisc derives every deterministic choice from these: where the search for a free Service
/// address or node port starts, generated name suffixes, UIDs and template hashes.
namespace svcdisc::detail {

/// Incremental FNV-1a over bytes; `Word` is std::uint32_t or std::uint64_t.
///
/// Example:
///     svcdisc::detail::fnv1a<std::uint32_t> hash;
///     hash.update("a");
///     hash.value();  // 0xe40c292c
template <class Word>
class fnv1a {
  public:
    constexpr void update(std::string_view data) noexcept {
        for (const char c : data) {
            state_ ^= static_cast<std::uint8_t>(c);
            state_ *= prime;
        }
    }

    /// Folds in the 4 little-endian bytes of `number`, the way Kubernetes appends a collision
    /// count to a template hash.
    constexpr void update_le32(std::uint32_t number) noexcept {
        for (unsigned shift = 0; shift < 32; shift += 8) {
            state_ ^= static_cast<std::uint8_t>(number >> shift);
            state_ *= prime;
        }
    }

    [[nodiscard]] constexpr Word value() const noexcept { return state_; }

  private:
    static constexpr bool wide = sizeof(Word) == 8;
    static constexpr Word prime =
        wide ? static_cast<Word>(0x100000001b3ULL) : static_cast<Word>(0x01000193U);
    Word state_ = wide ? static_cast<Word>(0xcbf29ce484222325ULL) : static_cast<Word>(0x811c9dc5U);
};

/// FNV-1a 64 of `data` in one call.
[[nodiscard]] constexpr std::uint64_t fnv1a_64(std::string_view data) noexcept {
    fnv1a<std::uint64_t> hash;
    hash.update(data);
    return hash.value();
}

} // namespace svcdisc::detail
