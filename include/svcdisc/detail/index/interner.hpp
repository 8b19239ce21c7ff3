#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string_view>

#include <svcdisc/detail/index/index_table.hpp>
#include <svcdisc/detail/util/bits.hpp>

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
    ///
    /// Label keys and values are short (a few to a few dozen bytes), so this is an inlined
    /// word-at-a-time multiply-xorshift rather than std::hash's out-of-line byte hash; the
    /// table spreads it further with mix_hash.
    [[nodiscard]] static std::uint64_t hash(std::string_view text) noexcept {
        constexpr std::uint64_t multiplier = 0xBF58476D1CE4E5B9ULL;
        const char* p = text.data();
        std::size_t n = text.size();
        std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
        for (; n >= 8; n -= 8, p += 8) {
            h = (h ^ load_word<std::uint64_t>(p)) * multiplier;
            h ^= h >> 31U;
        }
        std::uint64_t tail = 0;
        if (n >= 4) {
            // Two overlapping 4-byte loads cover 4 to 7 bytes.
            tail = (std::uint64_t{load_word<std::uint32_t>(p)} << 32U) |
                   load_word<std::uint32_t>(p + n - 4);
        } else if (n != 0) {
            tail = (std::uint64_t{static_cast<unsigned char>(p[0])} << 16U) |
                   (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8U) |
                   static_cast<unsigned char>(p[n - 1]);
        }
        h = (h ^ tail) * multiplier;
        return h ^ (h >> 29U);
    }

    /// find with `h` = hash(text) already computed.
    [[nodiscard]] std::uint32_t find(std::string_view text, std::uint64_t h) const noexcept {
        return table_.find(h, [&](std::uint32_t id) {
            const entry& e = entries_[id];
            return e.hash == h && e.length == text.size() &&
                   same_bytes(bytes_.data() + e.offset, text.data(), text.size());
        });
    }

    /// Starts loading the entry of interned id `id`, which `equals` reads first.
    void prefetch_entry_of(std::uint32_t id) const noexcept { prefetch(entries_.data() + id); }

    /// Starts loading the bytes `equals` compares for interned id `id` (best once its entry
    /// has arrived: the address comes from it).
    void prefetch_text_of(std::uint32_t id) const noexcept {
        const entry& e = entries_[id];
        const char* text = bytes_.data() + e.offset;
        prefetch(text);
        prefetch(text + (e.length == 0 ? 0 : e.length - 1));
    }

    /// The hash of interned id `id` (that of its text).
    [[nodiscard]] std::uint64_t stored_hash(std::uint32_t id) const noexcept {
        return entries_[id].hash;
    }

    /// True when interned id `id` holds `text`.
    [[nodiscard]] bool equals(std::uint32_t id, std::string_view text) const noexcept {
        const entry& e = entries_[id];
        return e.length == text.size() &&
               same_bytes(bytes_.data() + e.offset, text.data(), text.size());
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

    /// retain for each id of a term or bucket's (namespace, key, value); no_id ("any") skipped.
    void retain_each(std::initializer_list<std::uint32_t> ids) noexcept {
        for (const std::uint32_t id : ids) {
            if (id != no_id) {
                retain(id);
            }
        }
    }

    /// release for each id; no_id skipped.
    void release_each(std::initializer_list<std::uint32_t> ids) {
        for (const std::uint32_t id : ids) {
            if (id != no_id) {
                release(id);
            }
        }
    }

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

    // Equality of `n` bytes without a libc call: the hashes already matched, so this almost
    // always confirms a short string.
    [[nodiscard]] static bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
        if (n >= 8) {
            for (std::size_t i = 0; i + 8 < n; i += 8) {
                if (load_word<std::uint64_t>(a + i) != load_word<std::uint64_t>(b + i)) {
                    return false;
                }
            }
            return load_word<std::uint64_t>(a + n - 8) == load_word<std::uint64_t>(b + n - 8);
        }
        if (n >= 4) {
            return load_word<std::uint32_t>(a) == load_word<std::uint32_t>(b) &&
                   load_word<std::uint32_t>(a + n - 4) == load_word<std::uint32_t>(b + n - 4);
        }
        for (std::size_t i = 0; i < n; ++i) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    [[nodiscard]] auto hash_of() const noexcept {
        return [this](std::uint32_t id) { return entries_[id].hash; };
    }

    std::uint32_t add(std::string_view text, std::uint64_t h) {
        const std::uint32_t id = take_slot(entries_, free_);
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
