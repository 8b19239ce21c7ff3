#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include <svcdisc/detail/index_table.hpp>

namespace svcdisc::detail {

/// Interns strings (label keys, label values, namespaces) as dense, reference-counted ids.
///
/// The bytes live in one arena; an id whose count drops to zero is forgotten and its id reused,
/// and the arena is compacted once more than half of it is dead, so churn (new
/// pod-template-hash values, StatefulSet pod names) does not grow memory without bound.
/// Look-ups take std::string_view and never allocate.
template <class Allocator = std::allocator<char>>
class interner {
  public:
    explicit interner(const Allocator& allocator = Allocator())
        : bytes_(allocator), entries_(allocator), free_(allocator), table_(allocator) {}

    /// The id of `text`, or no_id when it is not interned.
    [[nodiscard]] std::uint32_t find(std::string_view text) const noexcept {
        return find(text, hash(text));
    }

    /// The id of `text`, interning it if new; adds one reference.
    std::uint32_t acquire(std::string_view text) { return acquire(text, hash(text)); }

    /// The hash find and acquire use, for callers that look a string up more than once.
    [[nodiscard]] static std::uint64_t hash(std::string_view text) noexcept {
        return std::hash<std::string_view>{}(text);
    }

    /// find with `h` = hash(text) already computed.
    [[nodiscard]] std::uint32_t find(std::string_view text, std::uint64_t h) const noexcept {
        return table_.find(h, [&](std::uint32_t id) {
            const entry& e = entries_[id];
            return e.hash == h && view(id) == text;
        });
    }

    /// Starts loading the table slot find(text, h) probes first.
    void prefetch_slot(std::uint64_t h) const noexcept { table_.prefetch_home(h); }

    /// Starts loading the entry of the string in that slot (after prefetch_slot).
    void prefetch_entry(std::uint64_t h) const noexcept {
        const std::uint32_t id = table_.home_id(h);
        if (id != no_id) {
            prefetch(entries_.data() + id);
        }
    }

    /// acquire with `h` = hash(text) already computed.
    std::uint32_t acquire(std::string_view text, std::uint64_t h) {
        std::uint32_t id = find(text, h);
        if (id == no_id) {
            id = add(text, h);
        }
        ++entries_[id].references;
        return id;
    }

    /// Adds one reference to an interned id.
    void retain(std::uint32_t id) noexcept { ++entries_[id].references; }

    /// Drops one reference; the string is forgotten when none remain.
    void release(std::uint32_t id) {
        entry& e = entries_[id];
        if (--e.references != 0) {
            return;
        }
        table_.erase(e.hash, id, hash_of());
        dead_bytes_ += e.length;
        e.length = 0;
        free_.push_back(id);
        if (dead_bytes_ > 4096 && dead_bytes_ * 2 > bytes_.size()) {
            compact();
        }
    }

    /// The text of an interned id.
    [[nodiscard]] std::string_view view(std::uint32_t id) const noexcept {
        const entry& e = entries_[id];
        return {bytes_.data() + e.offset, e.length};
    }

    /// Number of live strings.
    [[nodiscard]] std::size_t size() const noexcept { return table_.size(); }

    /// Bytes this interner holds from the allocator.
    [[nodiscard]] std::size_t memory_bytes() const noexcept {
        return bytes_.capacity() + entries_.capacity() * sizeof(entry) +
               free_.capacity() * sizeof(std::uint32_t) + table_.memory_bytes();
    }

    void clear() noexcept {
        bytes_.clear();
        entries_.clear();
        free_.clear();
        table_.clear();
        dead_bytes_ = 0;
    }

  private:
    struct entry {
        std::uint32_t offset = 0;
        std::uint32_t length = 0;
        std::uint64_t hash = 0;
        std::uint32_t references = 0;
    };

    [[nodiscard]] auto hash_of() const noexcept {
        return [this](std::uint32_t id) { return entries_[id].hash; };
    }

    std::uint32_t add(std::string_view text, std::uint64_t h) {
        std::uint32_t id = 0;
        if (!free_.empty()) {
            id = free_.back();
            free_.pop_back();
        } else {
            id = static_cast<std::uint32_t>(entries_.size());
            entries_.emplace_back();
        }
        entry& e = entries_[id];
        e.offset = static_cast<std::uint32_t>(bytes_.size());
        e.length = static_cast<std::uint32_t>(text.size());
        e.hash = h;
        e.references = 0;
        bytes_.insert(bytes_.end(), text.begin(), text.end());
        table_.insert(h, id, hash_of());
        return id;
    }

    // Rewrites the arena with only the live strings; ids stay the same.
    void compact() {
        alloc_vector<char, Allocator> packed(bytes_.get_allocator());
        packed.reserve(bytes_.size() - dead_bytes_);
        for (entry& e : entries_) {
            if (e.references == 0) {
                continue;
            }
            const auto start = static_cast<std::uint32_t>(packed.size());
            packed.insert(packed.end(), bytes_.begin() + e.offset,
                          bytes_.begin() + e.offset + e.length);
            e.offset = start;
        }
        bytes_.swap(packed);
        dead_bytes_ = 0;
    }

    alloc_vector<char, Allocator> bytes_;
    alloc_vector<entry, Allocator> entries_;
    alloc_vector<std::uint32_t, Allocator> free_;
    index_table<rebind_alloc<Allocator, std::uint32_t>> table_;
    std::size_t dead_bytes_ = 0;
};

} // namespace svcdisc::detail
