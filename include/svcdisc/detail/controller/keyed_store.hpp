#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/index/index_table.hpp>
#include <svcdisc/detail/index/interner.hpp>

/// Objects of one kind held by the controller in dense slots, found by (namespace, name).
namespace svcdisc::detail {

/// The hash of an object's (namespace, name) key.
[[nodiscard]] inline std::uint64_t object_key_hash(std::string_view ns,
                                                   std::string_view name) noexcept {
    const std::uint64_t h = interner<>::hash(ns);
    return h ^ (interner<>::hash(name) + 0x9E3779B97F4A7C15ULL + (h << 6U) + (h >> 2U));
}

/// Dense slots of `Slot` (each with `bool alive` and the key through `key_of(slot)`), a free list
/// and an index_table from (namespace, name) to slot id. Ids of erased slots are reused only
/// after release(), so an id stays valid for a whole batch of events.
///
/// Slots live in chunks of chunk_slots that never move once full: a store of 150,000 pods
/// neither copies them all when it grows (a pause of a tenth of a second, and twice the memory
/// for a moment) nor keeps up to half its capacity spare. Only the first chunk grows, so a small
/// store stays small.
template <class Slot, class KeyOf>
class keyed_store {
  public:
    explicit keyed_store(KeyOf key_of = KeyOf()) : key_of_(std::move(key_of)) {}

    [[nodiscard]] std::uint32_t find(std::string_view ns, std::string_view name) const noexcept {
        return table_.find(object_key_hash(ns, name), [&](std::uint32_t id) {
            const auto [slot_ns, slot_name] = key_of_((*this)[id]);
            return slot_ns == ns && slot_name == name;
        });
    }

    /// A new live slot built from `slot`; the caller has checked that its key is free.
    std::uint32_t insert(Slot slot) {
        std::uint32_t id = no_id;
        if (!free_.empty()) {
            id = free_.back();
            free_.pop_back();
            (*this)[id] = std::move(slot);
        } else {
            id = static_cast<std::uint32_t>(slot_count_);
            append(std::move(slot));
        }
        (*this)[id].alive = true;
        const auto [ns, name] = key_of_((*this)[id]);
        table_.insert(object_key_hash(ns, name), id,
                      [&](std::uint32_t other) { return hash_of(other); });
        ++size_;
        return id;
    }

    /// Takes the slot out of the key table; its contents stay readable until release(id).
    void erase(std::uint32_t id) {
        const auto [ns, name] = key_of_((*this)[id]);
        table_.erase(object_key_hash(ns, name), id,
                     [&](std::uint32_t other) { return hash_of(other); });
        (*this)[id].alive = false;
        --size_;
    }

    /// Makes an erased slot's id available again.
    void release(std::uint32_t id) {
        (*this)[id] = Slot();
        free_.push_back(id);
    }

    [[nodiscard]] Slot& operator[](std::uint32_t id) noexcept {
        return chunks_[id >> chunk_bits][id & chunk_mask];
    }
    [[nodiscard]] const Slot& operator[](std::uint32_t id) const noexcept {
        return chunks_[id >> chunk_bits][id & chunk_mask];
    }
    [[nodiscard]] std::size_t slot_count() const noexcept { return slot_count_; }

    /// Calls visit(id) for each slot in use, in slot order.
    template <class Visit>
    void for_each_alive_id(Visit&& visit) const {
        for (std::uint32_t id = 0; id < slot_count_; ++id) {
            if ((*this)[id].alive) {
                visit(id);
            }
        }
    }
    /// Live (not erased) slots.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

    /// Makes room for `n` objects: loading them then neither rehashes the key table nor grows
    /// the first chunk step by step.
    void reserve(std::size_t n) {
        chunks_.reserve((n + chunk_mask) >> chunk_bits);
        if (chunks_.empty()) {
            chunks_.emplace_back().reserve(std::min(n, chunk_slots));
        }
        table_.reserve(n, [&](std::uint32_t other) { return hash_of(other); });
    }

    /// Bytes held by spare slots, the chunk list, the free list and the key table (not what the
    /// slots own).
    [[nodiscard]] std::size_t overhead_bytes() const noexcept {
        std::size_t capacity = 0;
        for (const auto& chunk : chunks_) {
            capacity += chunk.capacity();
        }
        return (capacity - slot_count_) * sizeof(Slot) +
               chunks_.capacity() * sizeof(std::vector<Slot>) +
               free_.capacity() * sizeof(std::uint32_t) + table_.memory_bytes();
    }

  private:
    static constexpr unsigned chunk_bits = 10;
    static constexpr std::size_t chunk_slots = std::size_t{1} << chunk_bits;
    static constexpr std::uint32_t chunk_mask = chunk_slots - 1;

    void append(Slot slot) {
        if (chunks_.empty() || chunks_.back().size() == chunk_slots) {
            chunks_.emplace_back();
            if (chunks_.size() > 1) {
                chunks_.back().reserve(chunk_slots); // full-size from the start: it never moves
            }
        }
        std::vector<Slot>& chunk = chunks_.back();
        if (chunk.size() == chunk.capacity()) {
            // The first chunk doubles as it fills, but never beyond a chunk's worth of slots
            // (a reserve of, say, 600 would otherwise let it double to 1,200).
            chunk.reserve(std::min(std::max<std::size_t>(2 * chunk.capacity(), 1), chunk_slots));
        }
        chunk.push_back(std::move(slot));
        ++slot_count_;
    }

    [[nodiscard]] std::uint64_t hash_of(std::uint32_t id) const noexcept {
        const auto [ns, name] = key_of_((*this)[id]);
        return object_key_hash(ns, name);
    }

    KeyOf key_of_;
    /// Every chunk but the last holds chunk_slots slots.
    std::vector<std::vector<Slot>> chunks_;
    std::size_t slot_count_ = 0;
    std::vector<std::uint32_t> free_;
    index_table<> table_;
    std::size_t size_ = 0;
};

} // namespace svcdisc::detail
