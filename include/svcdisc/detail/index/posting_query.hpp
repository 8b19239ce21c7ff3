#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

#include <svcdisc/config.hpp>
#include <svcdisc/detail/index/postings.hpp>
#include <svcdisc/detail/util/bits.hpp>

namespace svcdisc::detail {

/// A vector that keeps its first N elements inline, so that the query plan of an ordinary
/// selector never touches the heap; a selector with more terms than that spills to the heap.
template <class T, std::size_t N>
class small_vector {
  public:
    void push_back(const T& value) {
        if (size_ < N) {
            inline_[size_++] = value;
            return;
        }
        if (size_ == N) {
            heap_.assign(inline_.begin(), inline_.end());
        }
        heap_.push_back(value);
        ++size_;
    }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] T* data() noexcept { return size_ <= N ? inline_.data() : heap_.data(); }
    [[nodiscard]] const T* data() const noexcept {
        return size_ <= N ? inline_.data() : heap_.data();
    }
    T& operator[](std::size_t i) noexcept { return data()[i]; }
    const T& operator[](std::size_t i) const noexcept { return data()[i]; }
    [[nodiscard]] std::span<T> span() noexcept { return {data(), size_}; }
    [[nodiscard]] std::span<const T> span() const noexcept { return {data(), size_}; }
    void clear() noexcept {
        size_ = 0;
        heap_.clear();
    }

  private:
    std::array<T, N> inline_{};
    std::vector<T> heap_;
    std::size_t size_ = 0;
};

/// One requirement of a query, as sets of ids: the union of `count` posting lists starting at
/// `first` in the plan's member list. A negative set is subtracted (`!=`, `notin`, `!`).
struct query_set {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    std::uint64_t size = 0; ///< sum of the members' sizes: an upper bound of the union
    bool negative = false;
};

/// A compiled query: positive sets are intersected, negative ones subtracted. At least one
/// positive set must be present (the caller adds the namespace's "all pods" list when the
/// selector has none).
template <class Posting>
struct query_plan {
    small_vector<const Posting*, 32> members;
    small_vector<query_set, 16> sets;
    small_vector<std::uint32_t, 32> cursors;

    void add_set(bool negative) {
        query_set s;
        s.first = static_cast<std::uint32_t>(members.size());
        s.negative = negative;
        sets.push_back(s);
    }
    /// Adds a posting list to the set added last.
    void add_member(const Posting& p) {
        members.push_back(&p);
        query_set& s = sets[sets.size() - 1];
        ++s.count;
        s.size += p.size();
    }
};

/// The emit callback of a count-only evaluation.
struct ignore_batch {
    void operator()(std::uint32_t, std::span<const std::uint16_t>) const noexcept {}
    void operator()(std::uint32_t) const noexcept {}
};

/// The tuning constants of evaluate_plan, in one place. Each is a measured break-even on the
/// index benchmark (benchmarks/index_bench.cpp); change them together with a run of it.
struct plan_tuning {
    /// Bitset passes extract matches this many words at a time: small enough that a block
    /// stays in L1 between the AND and the extraction, large enough to amortise the loop.
    static constexpr std::size_t drain_words = 16;
    /// A chunk whose driving set holds at most this many ids (one in 8) counts as sparse: its
    /// matches are buffered and emitted as batches, so the caller can prefetch per id.
    static constexpr std::uint64_t sparse_limit = (std::uint64_t{1} << chunk_bits) / 8;
    /// The cost of one binary search in an array container, in element steps.
    static constexpr std::uint64_t search_cost = 12;
    /// The cost of the whole-chunk bitset passes (a 1024-word sweep), in element steps.
    static constexpr std::uint64_t sweep_cost = 1536;
    /// From this many driving ids on, several bitset probes are first folded into one mask
    /// (a 1024-word pass) so each id costs one bit test instead of one per probe.
    static constexpr std::uint32_t fold_from = 512;
};

/// The scratch memory of one evaluation: apart from the evaluator's counters, so that handing
/// survivors to the emit callback does not make the compiler keep those counters in memory.
struct plan_buffers {
    alignas(64) std::array<std::uint64_t, chunk_words> acc;
    alignas(64) std::array<std::uint64_t, chunk_words> scratch;
    // One spare slot: ids are written before it is known whether they are kept.
    std::array<std::uint16_t, array_limit + 1> survivors;
};

/// evaluate_plan's state and its strategies, one member function each. Every strategy is
/// forced inline into the chunk loop: they run once per chunk and share the loop's buffers,
/// and the generated code must stay what one function gave.
template <bool Emitting, class Posting, class Emit>
class plan_evaluator {
  public:
    plan_evaluator(query_plan<Posting>& plan, plan_buffers& buffers, Emit& emit) noexcept
        : members_(plan.members.span()), sets_(plan.sets.span()), acc_(buffers.acc),
          scratch_(buffers.scratch), survivors_(buffers.survivors), emit_(emit) {
        plan.cursors.clear();
        for (std::size_t i = 0; i < members_.size(); ++i) {
            plan.cursors.push_back(0);
        }
        cursor_ = plan.cursors.data();
    }

    /// Runs the plan; the number of matches.
    SVCDISC_ALWAYS_INLINE std::size_t run() {
        std::size_t driver = sets_.size();
        for (std::size_t s = 0; s < sets_.size(); ++s) {
            if (!sets_[s].negative &&
                (driver == sets_.size() || sets_[s].size < sets_[driver].size)) {
                driver = s;
            }
        }
        if (driver == sets_.size() || sets_[driver].size == 0) {
            return 0;
        }
        const query_set& lead = sets_[driver];
        while (true) {
            // Next chunk of the driving set.
            std::uint32_t high = no_id;
            for (std::uint32_t m = lead.first; m < lead.first + lead.count; ++m) {
                const std::span<const posting_chunk> chunks = members_[m]->chunks();
                if (cursor_[m] < chunks.size()) {
                    high = std::min<std::uint32_t>(high, chunks[cursor_[m]].high);
                }
            }
            if (high == no_id) {
                break;
            }
            evaluate_chunk(high);
            // Step the driving set past this chunk.
            for (std::uint32_t m = lead.first; m < lead.first + lead.count; ++m) {
                const std::span<const posting_chunk> chunks = members_[m]->chunks();
                if (cursor_[m] < chunks.size() && chunks[cursor_[m]].high == high) {
                    ++cursor_[m];
                }
            }
        }
        return found_;
    }

  private:
    /// A container of a set other than the chief one, in the current chunk.
    struct probe {
        const posting_chunk* chunk;
        bool negative;
    };

    /// The chunk of member m at `high`, or null; cursors only move forward since chunks are
    /// visited in increasing order.
    SVCDISC_ALWAYS_INLINE const posting_chunk* chunk_at(std::size_t m, std::uint32_t high) {
        const std::span<const posting_chunk> chunks = members_[m]->chunks();
        std::uint32_t& at = cursor_[m];
        while (at < chunks.size() && chunks[at].high < high) {
            ++at;
        }
        return (at < chunks.size() && chunks[at].high == high) ? &chunks[at] : nullptr;
    }

    /// Resolves every set's containers in chunk `high`, picks the positive set with the fewest
    /// ids there (the chief) and hands the chunk to the cheapest strategy.
    SVCDISC_ALWAYS_INLINE void evaluate_chunk(std::uint32_t high) {
        std::size_t best = sets_.size();
        std::uint64_t best_size = 0;
        bool flat = true;        // every other positive set has one container here
        bool all_bitsets = true; // and every container here is a bitset
        for (std::size_t s = 0; s < sets_.size(); ++s) {
            std::uint64_t n = 0;
            std::uint32_t present = 0;
            for (std::uint32_t m = sets_[s].first; m < sets_[s].first + sets_[s].count; ++m) {
                if (const posting_chunk* c = chunk_at(m, high)) {
                    n += c->size;
                    ++present;
                    all_bitsets = all_bitsets && c->is_bitset();
                }
            }
            if (sets_[s].negative) {
                continue;
            }
            if (n == 0) {
                return; // a positive set is empty here: no match in this chunk
            }
            flat = flat && present == 1;
            if (best == sets_.size() || n < best_size) {
                best = s;
                best_size = n;
            }
        }
        const query_set& chief = sets_[best];
        const posting_chunk* single = chief.count == 1 ? chunk_at(chief.first, high) : nullptr;
        base_ = high << chunk_bits;
        sparse_ = best_size <= plan_tuning::sparse_limit;
        buffered_ = 0;
        if (flat && single != nullptr && !single->is_bitset() &&
            probing_pays(high, best, *single)) {
            walk_array(*single);
        } else if (flat && all_bitsets && sparse_) {
            and_bitset_blocks(high);
        } else {
            whole_chunk_bitsets(high, best, single);
        }
    }

    /// Collects the other sets' containers into probes_ and says whether walking `single`
    /// and probing them beats a whole-chunk bitset pass: it does when the probes are bit tests
    /// or the driving array is short against the arrays it must be searched in.
    SVCDISC_ALWAYS_INLINE bool probing_pays(std::uint32_t high, std::size_t best,
                                            const posting_chunk& single) {
        probes_.clear();
        std::uint64_t searches = 0;
        std::uint64_t array_elements = 0;
        for (std::size_t s = 0; s < sets_.size(); ++s) {
            if (s == best) {
                continue;
            }
            for (std::uint32_t m = sets_[s].first; m < sets_[s].first + sets_[s].count; ++m) {
                if (const posting_chunk* c = chunk_at(m, high)) {
                    probes_.push_back({c, sets_[s].negative});
                    if (!c->is_bitset()) {
                        searches += single.size;
                        array_elements += c->size;
                    }
                }
            }
        }
        return searches * plan_tuning::search_cost <=
               plan_tuning::sweep_cost + array_elements + single.size;
    }

    /// Strategy 1: walk the chief's sorted array and probe every other container per id.
    /// Survivors are written unconditionally and kept by advancing the count: no branch
    /// depends on whether an id matches (they are 50/50 guesses).
    SVCDISC_ALWAYS_INLINE void walk_array(const posting_chunk& single) {
        const std::span<const probe> tests = probes_.span();
        if (tests.empty()) {
            found_ += single.size;
            if constexpr (Emitting) {
                emit_(base_, std::span<const std::uint16_t>(single.values, single.size));
            }
            return;
        }
        const bool bitsets_only = std::all_of(tests.begin(), tests.end(),
                                              [](const probe& t) { return t.chunk->is_bitset(); });
        const bool one_mask = tests.size() == 1 && !tests[0].negative;
        std::uint32_t kept = 0;
        if (bitsets_only && (one_mask || single.size >= plan_tuning::fold_from)) {
            kept = probe_one_mask(single, one_mask ? tests[0].chunk->words : fold_probes(tests));
        } else if (bitsets_only) {
            kept = probe_bitsets(single, tests);
        } else {
            kept = probe_containers(single, tests);
        }
        found_ += kept;
        if constexpr (Emitting) {
            emit_(base_, std::span<const std::uint16_t>(survivors_.data(), kept));
        }
    }

    /// Folds bitset probes into one mask in scratch_ (a negative probe is a XOR with all ones).
    SVCDISC_ALWAYS_INLINE const std::uint64_t* fold_probes(std::span<const probe> tests) {
        const auto flip = [](const probe& t) {
            return t.negative ? ~std::uint64_t{0} : std::uint64_t{0};
        };
        const std::uint64_t* first = tests[0].chunk->words;
        const std::uint64_t first_flip = flip(tests[0]);
        if (tests.size() == 1) {
            for (std::size_t w = 0; w < chunk_words; ++w) {
                scratch_[w] = first[w] ^ first_flip;
            }
        } else {
            const std::uint64_t* second = tests[1].chunk->words;
            const std::uint64_t second_flip = flip(tests[1]);
            for (std::size_t w = 0; w < chunk_words; ++w) {
                scratch_[w] = (first[w] ^ first_flip) & (second[w] ^ second_flip);
            }
        }
        for (std::size_t k = 2; k < tests.size(); ++k) {
            const std::uint64_t* words = tests[k].chunk->words;
            const std::uint64_t words_flip = flip(tests[k]);
            for (std::size_t w = 0; w < chunk_words; ++w) {
                scratch_[w] &= words[w] ^ words_flip;
            }
        }
        return scratch_.data();
    }

    /// The chief's ids whose bit is set in `mask`, into survivors_; how many.
    SVCDISC_ALWAYS_INLINE std::uint32_t probe_one_mask(const posting_chunk& single,
                                                       const std::uint64_t* mask) {
        const auto hit = [mask](std::uint16_t low) {
            return static_cast<std::uint32_t>((mask[low >> 6U] >> (low & 63U)) & 1U);
        };
        std::uint16_t* survivors = survivors_.data();
        const std::uint16_t* values = single.values;
        std::uint32_t kept = 0;
        std::uint32_t i = 0;
        // Four at a time: the probes are independent, only the count chains.
        for (; i + 4 <= single.size; i += 4) {
            const std::uint16_t a = values[i];
            const std::uint16_t b = values[i + 1];
            const std::uint16_t c = values[i + 2];
            const std::uint16_t d = values[i + 3];
            const std::uint32_t ha = hit(a);
            const std::uint32_t hb = hit(b);
            const std::uint32_t hc = hit(c);
            const std::uint32_t hd = hit(d);
            survivors[kept] = a;
            kept += ha;
            survivors[kept] = b;
            kept += hb;
            survivors[kept] = c;
            kept += hc;
            survivors[kept] = d;
            kept += hd;
        }
        for (; i < single.size; ++i) {
            survivors[kept] = values[i];
            kept += hit(values[i]);
        }
        return kept;
    }

    /// The chief's ids that pass every bitset probe, one bit test per probe; how many.
    SVCDISC_ALWAYS_INLINE std::uint32_t probe_bitsets(const posting_chunk& single,
                                                      std::span<const probe> tests) {
        std::uint16_t* survivors = survivors_.data();
        std::uint32_t kept = 0;
        for (std::uint32_t i = 0; i < single.size; ++i) {
            const std::uint16_t low = single.values[i];
            std::uint64_t keep = 1;
            for (const probe& t : tests) {
                keep &= (t.chunk->words[low >> 6U] >> (low & 63U)) ^
                        static_cast<std::uint64_t>(t.negative);
            }
            survivors[kept] = low;
            kept += static_cast<std::uint32_t>(keep & 1U);
        }
        return kept;
    }

    /// The chief's ids that pass every probe, arrays searched; how many.
    SVCDISC_ALWAYS_INLINE std::uint32_t probe_containers(const posting_chunk& single,
                                                         std::span<const probe> tests) {
        std::uint16_t* survivors = survivors_.data();
        std::uint32_t kept = 0;
        for (std::uint32_t i = 0; i < single.size; ++i) {
            const std::uint16_t low = single.values[i];
            bool keep = true;
            for (const probe& t : tests) {
                keep = keep & (t.chunk->contains(low) != t.negative);
            }
            survivors[kept] = low;
            kept += static_cast<std::uint32_t>(keep);
        }
        return kept;
    }

    /// Strategy 2, only bitsets and sparse: AND them a block at a time and extract each block
    /// while it is in L1, with no whole-chunk intermediate.
    SVCDISC_ALWAYS_INLINE void and_bitset_blocks(std::uint32_t high) {
        constexpr std::size_t block_words = plan_tuning::drain_words;
        bitsets_.clear();
        std::size_t positives = 0;
        for (std::size_t s = 0; s < sets_.size(); ++s) {
            if (!sets_[s].negative) {
                bitsets_.push_back(chunk_at(sets_[s].first, high)->words);
                ++positives;
            }
        }
        for (std::size_t s = 0; s < sets_.size(); ++s) {
            if (sets_[s].negative) {
                for (std::uint32_t m = sets_[s].first; m < sets_[s].first + sets_[s].count; ++m) {
                    if (const posting_chunk* c = chunk_at(m, high)) {
                        bitsets_.push_back(c->words);
                    }
                }
            }
        }
        const std::span<const std::uint64_t* const> words = bitsets_.span();
        std::uint64_t* block = acc_.data();
        for (std::size_t at = 0; at < chunk_words; at += block_words) {
            const std::uint64_t* first = words[0] + at;
            if (positives > 1) {
                const std::uint64_t* second = words[1] + at;
                for (std::size_t w = 0; w < block_words; ++w) {
                    block[w] = first[w] & second[w];
                }
            } else {
                std::memcpy(block, first, block_words * sizeof(std::uint64_t));
            }
            for (std::size_t k = 2; k < positives; ++k) {
                const std::uint64_t* more = words[k] + at;
                for (std::size_t w = 0; w < block_words; ++w) {
                    block[w] &= more[w];
                }
            }
            for (std::size_t k = positives; k < words.size(); ++k) {
                const std::uint64_t* less = words[k] + at;
                for (std::size_t w = 0; w < block_words; ++w) {
                    block[w] &= ~less[w];
                }
            }
            drain(block, block_words, at);
        }
        flush();
    }

    /// Strategy 3: whole-chunk bitset arithmetic: the chief's containers ORed into acc_, then
    /// intersected with each other positive set and stripped of each negative one.
    SVCDISC_ALWAYS_INLINE void whole_chunk_bitsets(std::uint32_t high, std::size_t best,
                                                   const posting_chunk* single) {
        const query_set& chief = sets_[best];
        if (single != nullptr && single->is_bitset() && chief.count == 1) {
            std::memcpy(acc_.data(), single->words, sizeof(acc_));
        } else {
            acc_.fill(0);
            for (std::uint32_t m = chief.first; m < chief.first + chief.count; ++m) {
                if (const posting_chunk* c = chunk_at(m, high)) {
                    c->or_into(acc_.data());
                }
            }
        }
        for (std::size_t s = 0; s < sets_.size(); ++s) {
            if (s != best) {
                apply_set(high, sets_[s]);
            }
        }
        extract_accumulated();
    }

    /// acc_ ∩ a positive set, or acc_ minus a negative one.
    SVCDISC_ALWAYS_INLINE void apply_set(std::uint32_t high, const query_set& other) {
        if (other.negative) {
            for (std::uint32_t m = other.first; m < other.first + other.count; ++m) {
                if (const posting_chunk* c = chunk_at(m, high)) {
                    c->subtract_from(acc_.data());
                }
            }
            return;
        }
        const posting_chunk* one = other.count == 1 ? chunk_at(other.first, high) : nullptr;
        if (one != nullptr && !one->is_bitset()) {
            // acc ∩ array: keep only the array's bits.
            scratch_.fill(0);
            for (std::uint32_t i = 0; i < one->size; ++i) {
                const std::uint16_t low = one->values[i];
                scratch_[low >> 6U] |= acc_[low >> 6U] & (std::uint64_t{1} << (low & 63U));
            }
            acc_ = scratch_;
            return;
        }
        const std::uint64_t* mask = nullptr;
        if (one != nullptr) {
            mask = one->words;
        } else {
            scratch_.fill(0);
            for (std::uint32_t m = other.first; m < other.first + other.count; ++m) {
                if (const posting_chunk* c = chunk_at(m, high)) {
                    c->or_into(scratch_.data());
                }
            }
            mask = scratch_.data();
        }
        for (std::size_t w = 0; w < chunk_words; ++w) {
            acc_[w] &= mask[w];
        }
    }

    /// Reports (or counts) the ids left in acc_: sparse ones drained as batches, dense ones
    /// emitted as they are extracted, their look-ups being sequential already.
    SVCDISC_ALWAYS_INLINE void extract_accumulated() {
        if (sparse_) {
            for (std::size_t at = 0; at < chunk_words; at += plan_tuning::drain_words) {
                drain(acc_.data() + at, plan_tuning::drain_words, at);
            }
            flush();
        } else if constexpr (Emitting) {
            for (std::size_t w = 0; w < chunk_words; ++w) {
                for (std::uint64_t bits = acc_[w]; bits != 0; bits &= bits - 1) {
                    emit_(base_ | static_cast<std::uint32_t>(w * 64 + lowest_bit(bits)));
                    ++found_;
                }
            }
        } else {
            found_ += popcount_words(acc_.data(), chunk_words);
        }
    }

    /// Takes the matches of `n` words of a sparse result, word `at` on, into survivors_ (or
    /// counts them), emitting a batch before the buffer could overflow.
    SVCDISC_ALWAYS_INLINE void drain(const std::uint64_t* words, std::size_t n, std::size_t at) {
        if constexpr (Emitting) {
            // Sparse words hold no, one or two ids about equally often: two are written
            // unconditionally and kept by count, a loop takes the rest.
            std::uint16_t* out = survivors_.data();
            constexpr std::uint64_t top = std::uint64_t{1} << 63U;
            for (std::size_t w = 0; w < n; ++w) {
                const auto low = static_cast<std::uint32_t>((at + w) * 64);
                std::uint64_t bits = words[w];
                for (int k = 0; k < 2; ++k) {
                    out[buffered_] = static_cast<std::uint16_t>(low + lowest_bit(bits | top));
                    buffered_ += static_cast<std::uint32_t>(bits != 0);
                    bits &= bits - 1;
                }
                for (; bits != 0; bits &= bits - 1) {
                    out[buffered_++] = static_cast<std::uint16_t>(low + lowest_bit(bits));
                }
            }
            if (buffered_ > array_limit - plan_tuning::drain_words * 64) {
                found_ += buffered_;
                emit_(base_, std::span<const std::uint16_t>(out, buffered_));
                buffered_ = 0;
            }
        } else {
            found_ += popcount_words(words, n);
        }
    }

    /// Emits what drain buffered.
    SVCDISC_ALWAYS_INLINE void flush() {
        if constexpr (Emitting) {
            if (buffered_ != 0) {
                found_ += buffered_;
                emit_(base_, std::span<const std::uint16_t>(survivors_.data(), buffered_));
            }
        }
    }

    std::span<const Posting* const> members_;
    std::span<const query_set> sets_;
    std::array<std::uint64_t, chunk_words>& acc_;
    std::array<std::uint64_t, chunk_words>& scratch_;
    std::array<std::uint16_t, array_limit + 1>& survivors_;
    Emit& emit_;
    std::uint32_t* cursor_ = nullptr;
    small_vector<probe, 32> probes_;
    small_vector<const std::uint64_t*, 32> bitsets_; // positives first, then negatives
    std::size_t found_ = 0;
    std::uint32_t base_ = 0;     ///< the first id of the current chunk
    std::uint32_t buffered_ = 0; ///< ids drain has buffered in survivors_
    bool sparse_ = false;        ///< the current chunk's matches can only be sparse
};

/// Reports every id in every positive set and in no negative set, in increasing order, or
/// only counts them when Emitting is false; returns the count. Ids come as batches
/// `emit(base, lows)` (ids `base | low` of one chunk, so the caller can prefetch what it looks
/// up per id) where they are sparse, and one by one as `emit(id)` where they are dense.
///
/// Work is done chunk by chunk (2^16 ids) over the chunks of the smallest positive set only.
/// In each chunk the smallest positive container drives: a sorted array is walked and each id
/// probed in the other sets' containers (plan_evaluator::walk_array); otherwise the chunk is
/// evaluated as 1024-word bitsets, block by block when all are bitsets and the result sparse
/// (and_bitset_blocks), else whole (whole_chunk_bitsets). plan_tuning holds the break-evens.
template <bool Emitting, class Posting, class Emit>
std::size_t evaluate_plan(query_plan<Posting>& plan, Emit&& emit) {
    plan_buffers buffers;
    plan_evaluator<Emitting, Posting, std::remove_reference_t<Emit>> evaluator(plan, buffers, emit);
    return evaluator.run();
}

} // namespace svcdisc::detail
