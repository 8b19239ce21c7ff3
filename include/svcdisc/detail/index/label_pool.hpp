#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include <svcdisc/detail/index/index_table.hpp>
#include <svcdisc/detail/util/throw.hpp>

namespace svcdisc::detail {

/// Storage for many short runs of u32 (the label terms of pods with more labels than their
/// record holds), without per-pod allocations and without the up-to-2x slack of one growing
/// vector.
///
/// Runs live in pages (1 Ki, 2 Ki, … 64 Ki entries, then 64 Ki each); a run never straddles
/// pages, and a handle is `page << 16 | offset`. A released run goes onto a free list for its
/// exact length (pods of one workload have the same number of labels, so reuse is the rule);
/// the list is threaded through the released runs themselves.
template <class Allocator = std::allocator<std::uint32_t>>
class label_pool {
  public:
    explicit label_pool(const Allocator& allocator = Allocator())
        : pages_(allocator), free_heads_(allocator) {}
    label_pool(const label_pool&) = delete;
    label_pool& operator=(const label_pool&) = delete;
    label_pool(label_pool&& other) noexcept
        : pages_(std::move(other.pages_)), free_heads_(std::move(other.free_heads_)),
          entries_allocator_(other.entries_allocator_), used_(std::exchange(other.used_, 0)) {
        other.pages_.clear();
        other.free_heads_.clear();
    }
    label_pool& operator=(label_pool&& other) noexcept {
        if (this != &other) {
            clear();
            pages_ = std::move(other.pages_);
            free_heads_ = std::move(other.free_heads_);
            used_ = std::exchange(other.used_, 0);
            other.pages_.clear();
            other.free_heads_.clear();
        }
        return *this;
    }
    ~label_pool() { clear(); }

    /// A run of `count` (≥ 1) entries.
    std::uint32_t allocate(std::uint32_t count) {
        if (count < free_heads_.size() && free_heads_[count] != no_id) {
            const std::uint32_t handle = free_heads_[count];
            free_heads_[count] = *data(handle);
            return handle;
        }
        if (count > max_page) {
            throw_length_error("svcdisc: a pod has more than 65536 labels");
        }
        if (pages_.empty() || used_ + count > pages_.back().size) {
            add_page(count);
        }
        const std::uint32_t handle = static_cast<std::uint32_t>((pages_.size() - 1) << 16U) | used_;
        used_ += count;
        return handle;
    }

    /// Gives a run back.
    void release(std::uint32_t handle, std::uint32_t count) {
        if (count >= free_heads_.size()) {
            free_heads_.resize(count + 1, no_id);
        }
        *data(handle) = free_heads_[count];
        free_heads_[count] = handle;
    }

    [[nodiscard]] std::uint32_t* data(std::uint32_t handle) noexcept {
        return pages_[handle >> 16U].entries + (handle & 0xFFFFU);
    }
    [[nodiscard]] const std::uint32_t* data(std::uint32_t handle) const noexcept {
        return pages_[handle >> 16U].entries + (handle & 0xFFFFU);
    }

    void clear() noexcept {
        for (page& p : pages_) {
            traits::deallocate(entries_allocator_, p.entries, p.size);
        }
        pages_.clear();
        free_heads_.clear();
        used_ = 0;
    }

    /// Bytes held from the allocator.
    [[nodiscard]] std::size_t memory_bytes() const noexcept {
        std::size_t bytes =
            pages_.capacity() * sizeof(page) + free_heads_.capacity() * sizeof(std::uint32_t);
        for (const page& p : pages_) {
            bytes += p.size * sizeof(std::uint32_t);
        }
        return bytes;
    }

  private:
    static constexpr std::uint32_t max_page = 1U << 16U;
    using entries_alloc = rebind_alloc<Allocator, std::uint32_t>;
    using traits = std::allocator_traits<entries_alloc>;

    struct page {
        std::uint32_t* entries = nullptr;
        std::uint32_t size = 0;
    };

    void add_page(std::uint32_t at_least) {
        std::uint32_t size = pages_.empty() ? 1024U : std::min(pages_.back().size * 2, max_page);
        size = std::max(size, at_least);
        if (pages_.size() >= max_page) {
            throw_length_error("svcdisc: label pool exhausted");
        }
        page p;
        p.entries = traits::allocate(entries_allocator_, size);
        p.size = size;
        pages_.push_back(p);
        used_ = 0;
    }

    alloc_vector<page, Allocator> pages_;
    alloc_vector<std::uint32_t, Allocator> free_heads_;
    [[no_unique_address]] entries_alloc entries_allocator_{pages_.get_allocator()};
    std::uint32_t used_ = 0;
};

} // namespace svcdisc::detail
