#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <utility>

#include <svcdisc/detail/index/index_table.hpp>
#include <svcdisc/detail/util/bits.hpp>

namespace svcdisc::detail {

/// Ids are split into a 16-bit chunk number ("high") and a 16-bit position in the chunk ("low").
inline constexpr std::uint32_t chunk_bits = 16;
/// 64-bit words in the bitset of one chunk (2^16 bits = 8 KiB).
inline constexpr std::size_t chunk_words = std::size_t{1} << (chunk_bits - 6);
/// A chunk holding more ids than this is a bitset; an array of this many u16 is as large as
/// the bitset (8 KiB), so arrays are never bigger than bitsets.
inline constexpr std::uint32_t array_limit = 4096;
/// A bitset chunk that shrinks below this becomes an array again (hysteresis: one id going back
/// and forth at the limit must not convert every time).
inline constexpr std::uint32_t bitset_floor = 2048;

/// The position of the first of the `n` sorted u16 at `a` that is not less than `x`.
///
/// Pod ids are spread fairly evenly over a chunk's 65,536 values, so `x` sits near position
/// x * n / 65536: the search starts there and gallops outwards, touching a cache line or two
/// where a binary search of a 4096-entry array misses on most of its dozen probes. Uneven
/// arrays still cost O(log n).
[[nodiscard]] inline std::uint32_t lower_bound_u16(const std::uint16_t* a, std::uint32_t n,
                                                   std::uint16_t x) noexcept {
    if (n == 0) {
        return 0;
    }
    const auto guess = static_cast<std::uint32_t>((std::uint64_t{x} * n) >> 16U);
    std::uint32_t step = 8;
    std::uint32_t lo = 0;
    std::uint32_t hi = 0;
    if (a[guess] < x) {
        // The answer is in (guess, n]: probe forwards until an element not less than x.
        lo = guess + 1;
        for (;;) {
            hi = std::min(lo + step, n);
            if (hi == n || a[hi] >= x) {
                break;
            }
            lo = hi + 1;
            step *= 2;
        }
    } else {
        // The answer is in [0, guess]: probe backwards until an element less than x.
        hi = guess;
        for (;;) {
            if (hi == 0) {
                return 0;
            }
            const std::uint32_t probe = hi > step ? hi - step : 0;
            if (a[probe] < x) {
                lo = probe + 1;
                break;
            }
            hi = probe;
            step *= 2;
        }
    }
    return static_cast<std::uint32_t>(std::lower_bound(a + lo, a + hi, x) - a);
}

/// Marks a chunk as a bitset in posting_chunk::capacity.
inline constexpr std::uint16_t bitset_mark = 0xFFFF;

/// One chunk of a posting list: either a sorted array of low halves or a bitset. 16 bytes, so
/// that lists of rare values spread over many chunks (pods of a namespace scattered across
/// ids) stay small.
struct posting_chunk {
    std::uint32_t size = 0;     ///< ids in this chunk (up to 65,536)
    std::uint16_t high = 0;     ///< id >> 16
    std::uint16_t capacity = 0; ///< array slots allocated, or bitset_mark
    union {
        std::uint16_t* values = nullptr; ///< array: sorted low halves
        std::uint64_t* words;            ///< bitset: 1024 words
    };

    [[nodiscard]] bool is_bitset() const noexcept { return capacity == bitset_mark; }

    [[nodiscard]] bool contains(std::uint16_t low) const noexcept {
        if (is_bitset()) {
            return ((words[low >> 6U] >> (low & 63U)) & 1U) != 0;
        }
        const std::uint32_t at = lower_bound_u16(values, size, low);
        return at != size && values[at] == low;
    }

    /// ORs this chunk into a 1024-word bitset.
    void or_into(std::uint64_t* out) const noexcept {
        if (is_bitset()) {
            for (std::size_t w = 0; w < chunk_words; ++w) {
                out[w] |= words[w];
            }
            return;
        }
        for (std::uint32_t i = 0; i < size; ++i) {
            out[values[i] >> 6U] |= std::uint64_t{1} << (values[i] & 63U);
        }
    }

    /// Clears this chunk's ids from a 1024-word bitset.
    void subtract_from(std::uint64_t* out) const noexcept {
        if (is_bitset()) {
            for (std::size_t w = 0; w < chunk_words; ++w) {
                out[w] &= ~words[w];
            }
            return;
        }
        for (std::uint32_t i = 0; i < size; ++i) {
            out[values[i] >> 6U] &= ~(std::uint64_t{1} << (values[i] & 63U));
        }
    }
};

/// A set of dense 32-bit ids, stored like a Roaring bitmap: one chunk per 2^16 ids present,
/// each chunk a sorted u16 array (2 bytes per id, ≤ 4096 ids) or an 8 KiB bitset (common
/// values). Insert and erase cost O(log chunks) plus at most a 8 KiB memmove; membership is a
/// binary search or one bit test.
template <class Allocator = std::allocator<std::uint32_t>>
class posting_list {
  public:
    explicit posting_list(const Allocator& allocator = Allocator()) : chunks_(allocator) {}
    posting_list(const posting_list&) = delete;
    posting_list& operator=(const posting_list&) = delete;
    posting_list(posting_list&& other) noexcept
        : chunks_(std::move(other.chunks_)), size_(std::exchange(other.size_, 0)) {
        other.chunks_.clear();
    }
    posting_list& operator=(posting_list&& other) noexcept {
        if (this != &other) {
            release_all();
            chunks_ = std::move(other.chunks_);
            other.chunks_.clear();
            size_ = std::exchange(other.size_, 0);
        }
        return *this;
    }
    ~posting_list() { release_all(); }

    [[nodiscard]] std::uint32_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] std::span<const posting_chunk> chunks() const noexcept { return chunks_; }

    /// Starts loading the chunk entry insert(id) or erase(id) reads first.
    void prefetch_chunk(std::uint32_t id) const noexcept {
        if (!chunks_.empty()) {
            prefetch(chunks_.data() + std::min<std::size_t>(id >> chunk_bits, chunks_.size() - 1));
        }
    }

    /// Starts loading the bitset word or array entries insert(id) or erase(id) touches (best
    /// after prefetch_chunk): the word, or both the interpolated position and the end (an
    /// append) of the array.
    void prefetch_payload(std::uint32_t id) const noexcept {
        const std::uint32_t high = id >> chunk_bits;
        const auto low = static_cast<std::uint16_t>(id);
        const auto it = (!chunks_.empty() && chunks_.back().high == high) ? chunks_.end() - 1
                                                                          : chunk_position(high);
        if (it == chunks_.end() || it->high != high) {
            return;
        }
        if (it->is_bitset()) {
            prefetch(it->words + (low >> 6U));
        } else if (it->size != 0) {
            prefetch(it->values + ((std::uint64_t{low} * it->size) >> 16U));
            prefetch(it->values + it->size - 1);
        }
    }

    /// Adds `id` (which must not be present).
    void insert(std::uint32_t id) {
        const std::uint32_t high = id >> chunk_bits;
        const auto low = static_cast<std::uint16_t>(id);
        // Fresh ids are the largest so far: most inserts land in the last chunk.
        auto it = (!chunks_.empty() && chunks_.back().high == high) ? chunks_.end() - 1
                                                                    : chunk_position(high);
        if (it == chunks_.end() || it->high != high) {
            posting_chunk fresh;
            fresh.high = static_cast<std::uint16_t>(high);
            it = chunks_.insert(it, fresh);
        }
        posting_chunk& c = *it;
        ++size_;
        if (c.is_bitset()) {
            c.words[low >> 6U] |= std::uint64_t{1} << (low & 63U);
            ++c.size;
            return;
        }
        if (c.size == array_limit) {
            to_bitset(c);
            c.words[low >> 6U] |= std::uint64_t{1} << (low & 63U);
            ++c.size;
            return;
        }
        if (c.size == c.capacity) {
            // Grow by 1.5x (rounded to 4 slots): less slack than doubling for the many short
            // lists, and an append still moves no data.
            const std::uint32_t wanted = c.capacity == 0 ? 2U : (c.capacity * 3U / 2U + 3U) & ~3U;
            grow(c, std::min(wanted, array_limit));
        }
        std::uint16_t* end = c.values + c.size;
        if (c.size == 0 || end[-1] < low) {
            *end = low; // appending: the common case while building
            ++c.size;
            return;
        }
        // `low` is absent, so its lower bound is where it goes.
        std::uint16_t* pos = c.values + lower_bound_u16(c.values, c.size, low);
        std::memmove(pos + 1, pos, static_cast<std::size_t>(end - pos) * sizeof(std::uint16_t));
        *pos = low;
        ++c.size;
    }

    /// Removes `id` (which must be present).
    void erase(std::uint32_t id) {
        const std::uint32_t high = id >> chunk_bits;
        const auto low = static_cast<std::uint16_t>(id);
        const auto it = chunk_position(high);
        posting_chunk& c = *it;
        --size_;
        --c.size;
        if (c.is_bitset()) {
            c.words[low >> 6U] &= ~(std::uint64_t{1} << (low & 63U));
            if (c.size < bitset_floor) {
                to_array(c);
            }
            return;
        }
        std::uint16_t* end = c.values + c.size + 1;
        std::uint16_t* pos = c.values + lower_bound_u16(c.values, c.size + 1, low);
        std::memmove(pos, pos + 1, static_cast<std::size_t>(end - pos - 1) * sizeof(std::uint16_t));
        if (c.size == 0) {
            free_chunk(c);
            chunks_.erase(it);
        } else if (c.capacity >= 16 && c.size * 4 <= c.capacity) {
            grow(c, c.capacity / 2); // give memory back after a scale-down
        }
    }

    void clear() noexcept {
        release_all();
        chunks_.clear();
        size_ = 0;
    }

    /// Bytes held from the allocator (chunk table and chunk payloads).
    [[nodiscard]] std::size_t memory_bytes() const noexcept {
        std::size_t bytes = chunks_.capacity() * sizeof(posting_chunk);
        for (const posting_chunk& c : chunks_) {
            bytes += c.is_bitset() ? chunk_words * sizeof(std::uint64_t)
                                   : c.capacity * sizeof(std::uint16_t);
        }
        return bytes;
    }

  private:
    // The first chunk whose high is not less than `high`. Highs are distinct and sorted, so
    // chunk `high` is at position `high` or before it; a list present in every chunk (a common
    // value, a key, a namespace) finds it there without searching.
    template <class Self>
    [[nodiscard]] static auto chunk_position_in(Self& self, std::uint32_t high) noexcept {
        auto& chunks = self.chunks_;
        if (high < chunks.size() && chunks[high].high == high) {
            return chunks.begin() + high;
        }
        const std::size_t limit = std::min<std::size_t>(chunks.size(), std::size_t{high} + 1);
        return std::lower_bound(chunks.begin(), chunks.begin() + static_cast<std::ptrdiff_t>(limit),
                                high,
                                [](const posting_chunk& c, std::uint32_t h) { return c.high < h; });
    }
    [[nodiscard]] auto chunk_position(std::uint32_t high) noexcept {
        return chunk_position_in(*this, high);
    }
    [[nodiscard]] auto chunk_position(std::uint32_t high) const noexcept {
        return chunk_position_in(*this, high);
    }

    using u16_alloc = rebind_alloc<Allocator, std::uint16_t>;
    using u64_alloc = rebind_alloc<Allocator, std::uint64_t>;
    using u16_traits = std::allocator_traits<u16_alloc>;
    using u64_traits = std::allocator_traits<u64_alloc>;

    [[nodiscard]] u16_alloc values_allocator() const { return u16_alloc(chunks_.get_allocator()); }
    [[nodiscard]] u64_alloc words_allocator() const { return u64_alloc(chunks_.get_allocator()); }

    void grow(posting_chunk& c, std::uint32_t capacity_wanted) {
        const auto capacity = static_cast<std::uint16_t>(capacity_wanted);
        u16_alloc a = values_allocator();
        std::uint16_t* fresh = u16_traits::allocate(a, capacity);
        if (c.size != 0) {
            std::memcpy(fresh, c.values, c.size * sizeof(std::uint16_t));
        }
        if (c.values != nullptr) {
            u16_traits::deallocate(a, c.values, c.capacity);
        }
        c.values = fresh;
        c.capacity = capacity;
    }

    void to_bitset(posting_chunk& c) {
        u64_alloc a = words_allocator();
        std::uint64_t* words = u64_traits::allocate(a, chunk_words);
        std::memset(words, 0, chunk_words * sizeof(std::uint64_t));
        for (std::uint32_t i = 0; i < c.size; ++i) {
            words[c.values[i] >> 6U] |= std::uint64_t{1} << (c.values[i] & 63U);
        }
        u16_alloc v = values_allocator();
        u16_traits::deallocate(v, c.values, c.capacity);
        c.capacity = bitset_mark;
        c.words = words;
    }

    void to_array(posting_chunk& c) {
        u16_alloc v = values_allocator();
        std::uint16_t* values = u16_traits::allocate(v, array_limit);
        std::uint32_t n = 0;
        for (std::size_t w = 0; w < chunk_words; ++w) {
            for (std::uint64_t bits = c.words[w]; bits != 0; bits &= bits - 1) {
                values[n++] = static_cast<std::uint16_t>(w * 64 + lowest_bit(bits));
            }
        }
        u64_alloc a = words_allocator();
        u64_traits::deallocate(a, c.words, chunk_words);
        c.values = values;
        c.capacity = static_cast<std::uint16_t>(array_limit);
    }

    void free_chunk(posting_chunk& c) noexcept {
        if (c.is_bitset()) {
            u64_alloc a = words_allocator();
            u64_traits::deallocate(a, c.words, chunk_words);
        } else if (c.values != nullptr) {
            u16_alloc v = values_allocator();
            u16_traits::deallocate(v, c.values, c.capacity);
        }
        c.values = nullptr;
        c.capacity = 0;
    }

    void release_all() noexcept {
        for (posting_chunk& c : chunks_) {
            free_chunk(c);
        }
    }

    alloc_vector<posting_chunk, Allocator> chunks_;
    std::uint32_t size_ = 0;
};

} // namespace svcdisc::detail
