#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include <svcdisc/detail/util/bits.hpp>

namespace svcdisc::detail {

/// Rebinds an allocator to another value type (all of the index's storage goes through the
/// user's allocator, so a counting allocator sees every byte).
template <class Allocator, class T>
using rebind_alloc = typename std::allocator_traits<Allocator>::template rebind_alloc<T>;

/// A std::vector whose storage comes from `Allocator`, rebound to `T`.
template <class T, class Allocator>
using alloc_vector = std::vector<T, rebind_alloc<Allocator, T>>;

/// "No id": the marker for an empty slot, a missing term, a free pod id.
inline constexpr std::uint32_t no_id = 0xFFFF'FFFFU;

/// A slot of `slots` for a new element: the last id released onto `free`, else a new slot
/// appended, built from `args`. Freed ids are reused so that ids stay dense.
template <class Slots, class FreeList, class... Args>
std::uint32_t take_slot(Slots& slots, FreeList& free, Args&&... args) {
    if (!free.empty()) {
        const std::uint32_t id = free.back();
        free.pop_back();
        return id;
    }
    const auto id = static_cast<std::uint32_t>(slots.size());
    slots.emplace_back(std::forward<Args>(args)...);
    return id;
}

/// Spreads any 64-bit hash over all bits (a weak std::hash, e.g. the identity on integers,
/// must not cluster in a power-of-two table).
[[nodiscard]] constexpr std::uint64_t mix_hash(std::uint64_t h) noexcept {
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
}

/// An open-addressing hash set of dense ids (linear probing, backward-shift deletion, no
/// tombstones). It stores only 4 bytes per slot: the things themselves live in the caller's
/// dense arrays, so the caller supplies equality (`eq(id)`) and, when slots move, the hash of
/// a stored id (`hash_of(id)`). This is the workhorse behind the interner, the term table and the
/// key-to-pod map.
template <class Allocator = std::allocator<std::uint32_t>>
class index_table {
  public:
    explicit index_table(const Allocator& allocator = Allocator()) : slots_(allocator) {}

    /// The stored id `eq` accepts among those with hash `hash`, or no_id.
    template <class Eq>
    [[nodiscard]] std::uint32_t find(std::uint64_t hash, Eq&& eq) const noexcept {
        if (size_ == 0) {
            return no_id;
        }
        for (std::size_t slot = home(hash);; slot = (slot + 1) & mask_) {
            const std::uint32_t id = slots_[slot];
            if (id == no_id) {
                return no_id;
            }
            if (eq(id)) {
                return id;
            }
        }
    }

    /// Starts loading the home slot of `hash`.
    void prefetch_home(std::uint64_t hash) const noexcept {
        if (!slots_.empty()) {
            prefetch(slots_.data() + home(hash));
        }
    }

    /// The id in the home slot of `hash` (no_id when empty): a candidate to prefetch, not an
    /// answer.
    [[nodiscard]] std::uint32_t home_id(std::uint64_t hash) const noexcept {
        return slots_.empty() ? no_id : slots_[home(hash)];
    }

    /// Stores `id` (not yet present) under `hash`.
    template <class HashOf>
    void insert(std::uint64_t hash, std::uint32_t id, HashOf&& hash_of) {
        // Grow at 1/2 load: linear-probing misses stay near 2.5 probes; 8-16 bytes per id.
        if ((size_ + 1) * 2 > slots_.size()) {
            rehash(slots_.empty() ? 16 : slots_.size() * 2, hash_of);
        }
        place(hash, id);
        ++size_;
    }

    /// Removes `id`, stored under `hash`.
    template <class HashOf>
    void erase(std::uint64_t hash, std::uint32_t id, HashOf&& hash_of) noexcept {
        std::size_t slot = home(hash);
        while (slots_[slot] != id) {
            slot = (slot + 1) & mask_;
        }
        // Backward-shift: pull later entries of the probe run into the hole when their home
        // slot allows it, so lookups never need tombstones.
        std::size_t hole = slot;
        for (std::size_t next = (hole + 1) & mask_; slots_[next] != no_id;
             next = (next + 1) & mask_) {
            const std::size_t want = home(hash_of(slots_[next]));
            // The entry may move to `hole` when its home is not inside (hole, next].
            const bool stays =
                hole <= next ? (hole < want && want <= next) : (hole < want || want <= next);
            if (!stays) {
                slots_[hole] = slots_[next];
                hole = next;
            }
        }
        slots_[hole] = no_id;
        --size_;
    }

    /// Makes room for `count` ids without rehashing.
    template <class HashOf>
    void reserve(std::size_t count, HashOf&& hash_of) {
        std::size_t capacity = slots_.empty() ? 16 : slots_.size();
        while (count * 2 > capacity) {
            capacity *= 2;
        }
        if (capacity != slots_.size()) {
            rehash(capacity, hash_of);
        }
    }

    void clear() noexcept {
        std::fill(slots_.begin(), slots_.end(), no_id);
        size_ = 0;
    }

    /// Bytes this table holds from the allocator.
    [[nodiscard]] std::size_t memory_bytes() const noexcept {
        return slots_.capacity() * sizeof(std::uint32_t);
    }

  private:
    [[nodiscard]] std::size_t home(std::uint64_t hash) const noexcept {
        return static_cast<std::size_t>(mix_hash(hash)) & mask_;
    }

    void place(std::uint64_t hash, std::uint32_t id) noexcept {
        std::size_t slot = home(hash);
        while (slots_[slot] != no_id) {
            slot = (slot + 1) & mask_;
        }
        slots_[slot] = id;
    }

    template <class HashOf>
    void rehash(std::size_t capacity, HashOf&& hash_of) {
        alloc_vector<std::uint32_t, Allocator> old(capacity, no_id, slots_.get_allocator());
        old.swap(slots_);
        mask_ = capacity - 1;
        for (const std::uint32_t id : old) {
            if (id != no_id) {
                place(hash_of(id), id);
            }
        }
    }

    alloc_vector<std::uint32_t, Allocator> slots_;
    std::size_t mask_ = 0;
    std::size_t size_ = 0;
};

} // namespace svcdisc::detail
