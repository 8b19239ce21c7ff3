#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/util/text_key.hpp>

/// Address identities in the order RepackSubsets gives a subset's addresses, with ranks: what
/// the controller needs to tell whether an event moves the 1,000-address cut of an Endpoints
/// object without materialising it.
namespace svcdisc::detail {

/// An address's identity as RepackSubsets orders and dedupes it: byte-wise IP text, then the
/// targetRef's uid.
struct identity_view {
    text_prefix_key prefix;
    std::string_view ip;
    std::string_view uid;
};

[[nodiscard]] inline identity_view identity_view_of(std::string_view ip,
                                                    std::string_view uid) noexcept {
    return {text_prefix_key_of(ip), ip, uid};
}

[[nodiscard]] inline bool identity_less(const identity_view& a, const identity_view& b) noexcept {
    if (a.prefix != b.prefix) {
        return a.prefix < b.prefix;
    }
    if (const int by_ip = a.ip.compare(b.ip); by_ip != 0) {
        return by_ip < 0;
    }
    return a.uid < b.uid;
}

/// An identity that owns its text.
struct identity_key {
    text_prefix_key prefix;
    std::string ip;
    std::string uid;

    explicit identity_key(const identity_view& id) : prefix(id.prefix), ip(id.ip), uid(id.uid) {}
    [[nodiscard]] identity_view view() const noexcept { return {prefix, ip, uid}; }
};

/// A sorted multiset of identities in chunks of at most `chunk_limit`: an insertion or erasure
/// moves the entries of one chunk, and a rank adds up the sizes of the chunks before it, so a
/// 10,000-address Service costs a few hundred operations per change instead of a 10,000-entry
/// shift.
class identity_ranks {
  public:
    static constexpr std::size_t chunk_limit = 128;

    [[nodiscard]] std::size_t size() const noexcept { return size_; }

    /// How many identities order strictly before `id`.
    [[nodiscard]] std::size_t rank(const identity_view& id) const {
        const std::size_t chunk = chunk_of(id);
        std::size_t before = 0;
        for (std::size_t c = 0; c < chunk; ++c) {
            before += chunks_[c].size();
        }
        return chunk == chunks_.size() ? before : before + position_in(chunks_[chunk], id);
    }

    [[nodiscard]] bool contains(const identity_view& id) const {
        const std::size_t chunk = chunk_of(id);
        if (chunk == chunks_.size()) {
            return false;
        }
        const auto& entries = chunks_[chunk];
        const std::size_t at = position_in(entries, id);
        return at < entries.size() && !identity_less(id, entries[at].view());
    }

    void insert(const identity_view& id) {
        ++size_;
        if (chunks_.empty()) {
            chunks_.emplace_back().emplace_back(id);
            return;
        }
        const std::size_t chunk = std::min(chunk_of(id), chunks_.size() - 1);
        auto& entries = chunks_[chunk];
        entries.emplace(entries.begin() + static_cast<std::ptrdiff_t>(position_in(entries, id)),
                        id);
        if (entries.size() > chunk_limit) {
            const auto half = entries.begin() + static_cast<std::ptrdiff_t>(entries.size() / 2);
            std::vector<identity_key> upper(std::make_move_iterator(half),
                                            std::make_move_iterator(entries.end()));
            entries.erase(half, entries.end());
            chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(chunk) + 1,
                           std::move(upper));
        }
    }

    /// Removes one entry equal to `id`, which must be present.
    void erase(const identity_view& id) {
        const std::size_t chunk = chunk_of(id);
        auto& entries = chunks_[chunk];
        entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(position_in(entries, id)));
        --size_;
        if (entries.empty()) {
            chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(chunk));
        }
    }

    /// Replaces the contents with `keys`, which need not be sorted.
    void assign(std::vector<identity_key> keys) {
        std::sort(keys.begin(), keys.end(), [](const identity_key& a, const identity_key& b) {
            return identity_less(a.view(), b.view());
        });
        chunks_.clear();
        size_ = keys.size();
        for (std::size_t first = 0; first < keys.size(); first += chunk_limit / 2) {
            const std::size_t last = std::min(keys.size(), first + chunk_limit / 2);
            chunks_.emplace_back(
                std::make_move_iterator(keys.begin() + static_cast<std::ptrdiff_t>(first)),
                std::make_move_iterator(keys.begin() + static_cast<std::ptrdiff_t>(last)));
        }
    }

    template <class Visit>
    void for_each(Visit&& visit) const {
        for (const auto& entries : chunks_) {
            for (const identity_key& key : entries) {
                visit(key);
            }
        }
    }

    [[nodiscard]] std::size_t memory_bytes() const noexcept {
        std::size_t bytes = chunks_.capacity() * sizeof(std::vector<identity_key>);
        for (const auto& entries : chunks_) {
            bytes += entries.capacity() * sizeof(identity_key);
            for (const identity_key& key : entries) {
                bytes += key.ip.size() + key.uid.size();
            }
        }
        return bytes;
    }

  private:
    /// The first chunk whose last identity does not order before `id`, or chunks_.size().
    [[nodiscard]] std::size_t chunk_of(const identity_view& id) const {
        const auto at = std::partition_point(chunks_.begin(), chunks_.end(),
                                             [&](const std::vector<identity_key>& entries) {
                                                 return identity_less(entries.back().view(), id);
                                             });
        return static_cast<std::size_t>(at - chunks_.begin());
    }

    [[nodiscard]] static std::size_t position_in(const std::vector<identity_key>& entries,
                                                 const identity_view& id) {
        const auto at =
            std::partition_point(entries.begin(), entries.end(), [&](const identity_key& key) {
                return identity_less(key.view(), id);
            });
        return static_cast<std::size_t>(at - entries.begin());
    }

    std::vector<std::vector<identity_key>> chunks_;
    std::size_t size_ = 0;
};

} // namespace svcdisc::detail
