#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include <svcdisc/detail/postings.hpp>

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

/// Reports every id in every positive set and in no negative set, in increasing order, or
/// only counts them when Emitting is false; returns the count. Ids come as batches
/// `emit(base, lows)` (ids `base | low` of one chunk, so the caller can prefetch what it looks
/// up per id) where they are sparse, and one by one as `emit(id)` where they are dense.
///
/// Work is done chunk by chunk (2^16 ids) over the chunks of the smallest positive set only.
/// In each chunk the smallest positive container drives: a sorted array is walked and each id
/// probed in the other sets' containers (resolved once per chunk: a bit test or a binary
/// search each, no branches on the outcome); otherwise the chunk is evaluated as 1024-word
/// bitsets (AND for positives, AND-NOT for negatives), then the bits are extracted or counted.
template <bool Emitting, class Posting, class Emit>
std::size_t evaluate_plan(query_plan<Posting>& plan, Emit&& emit) {
    const std::span<const Posting* const> members = plan.members.span();
    const std::span<const query_set> sets = plan.sets.span();
    plan.cursors.clear();
    for (std::size_t i = 0; i < members.size(); ++i) {
        plan.cursors.push_back(0);
    }
    std::uint32_t* cursor = plan.cursors.data();

    std::size_t driver = sets.size();
    for (std::size_t s = 0; s < sets.size(); ++s) {
        if (!sets[s].negative && (driver == sets.size() || sets[s].size < sets[driver].size)) {
            driver = s;
        }
    }
    if (driver == sets.size() || sets[driver].size == 0) {
        return 0;
    }

    // The chunk of member m at `high`, or null; cursors only move forward since chunks are
    // visited in increasing order.
    const auto chunk_at = [&](std::size_t m, std::uint32_t high) -> const posting_chunk* {
        const std::span<const posting_chunk> chunks = members[m]->chunks();
        std::uint32_t& at = cursor[m];
        while (at < chunks.size() && chunks[at].high < high) {
            ++at;
        }
        return (at < chunks.size() && chunks[at].high == high) ? &chunks[at] : nullptr;
    };

    // Per chunk: the containers each set has there.
    struct probe {
        const posting_chunk* chunk;
        bool negative;
    };
    small_vector<probe, 32> probes;
    small_vector<const std::uint64_t*, 32> bitsets; // positives first, then negatives
    // Bitset passes extract matches this many words at a time.
    constexpr std::size_t drain_words = 16;
    // At most this many matches in a chunk (one id in 8) count as sparse.
    constexpr std::uint64_t sparse_limit = (std::uint64_t{1} << chunk_bits) / 8;
    alignas(64) std::array<std::uint64_t, chunk_words> acc;
    alignas(64) std::array<std::uint64_t, chunk_words> scratch;
    // One spare slot: ids are written before it is known whether they are kept.
    std::array<std::uint16_t, array_limit + 1> survivor_buffer;
    std::size_t found = 0;
    const query_set& lead = sets[driver];

    while (true) {
        // Next chunk of the driving set.
        std::uint32_t high = no_id;
        for (std::uint32_t m = lead.first; m < lead.first + lead.count; ++m) {
            const std::span<const posting_chunk> chunks = members[m]->chunks();
            if (cursor[m] < chunks.size()) {
                high = std::min<std::uint32_t>(high, chunks[cursor[m]].high);
            }
        }
        if (high == no_id) {
            break;
        }

        // Resolve every set's containers here; the positive set with the fewest ids leads.
        std::size_t best = sets.size();
        std::uint64_t best_size = 0;
        bool empty_chunk = false;
        bool flat = true;        // every other positive set has one container here
        bool all_bitsets = true; // and every container here is a bitset
        for (std::size_t s = 0; s < sets.size() && !empty_chunk; ++s) {
            std::uint64_t n = 0;
            std::uint32_t present = 0;
            for (std::uint32_t m = sets[s].first; m < sets[s].first + sets[s].count; ++m) {
                if (const posting_chunk* c = chunk_at(m, high)) {
                    n += c->size;
                    ++present;
                    all_bitsets = all_bitsets && c->is_bitset();
                }
            }
            if (sets[s].negative) {
                continue;
            }
            empty_chunk = n == 0;
            flat = flat && present == 1;
            if (best == sets.size() || n < best_size) {
                best = s;
                best_size = n;
            }
        }

        if (!empty_chunk) {
            const query_set& chief = sets[best];
            const posting_chunk* single = chief.count == 1 ? chunk_at(chief.first, high) : nullptr;
            const std::uint32_t base = high << chunk_bits;
            // Matches of a bitset pass are buffered and emitted as a batch (so the caller can
            // prefetch what it looks up per id) when they can only be sparse; dense matches
            // are emitted as they are extracted, their lookups being sequential already.
            const bool sparse = best_size <= sparse_limit;
            std::uint32_t buffered = 0;
            // Takes the matches of `n` words of a sparse result, word `at` on.
            const auto drain = [&](const std::uint64_t* words, std::size_t n, std::size_t at) {
                if constexpr (Emitting) {
                    // Sparse words hold no, one or two ids about equally often: two are
                    // written unconditionally and kept by count, a loop takes the rest.
                    std::uint16_t* out = survivor_buffer.data();
                    constexpr std::uint64_t top = std::uint64_t{1} << 63U;
                    for (std::size_t w = 0; w < n; ++w) {
                        const auto low = static_cast<std::uint32_t>((at + w) * 64);
                        std::uint64_t bits = words[w];
                        for (int k = 0; k < 2; ++k) {
                            out[buffered] = static_cast<std::uint16_t>(
                                low + static_cast<unsigned>(__builtin_ctzll(bits | top)));
                            buffered += static_cast<std::uint32_t>(bits != 0);
                            bits &= bits - 1;
                        }
                        for (; bits != 0; bits &= bits - 1) {
                            out[buffered++] = static_cast<std::uint16_t>(
                                low + static_cast<unsigned>(__builtin_ctzll(bits)));
                        }
                    }
                    if (buffered > array_limit - drain_words * 64) {
                        found += buffered;
                        emit(base, std::span<const std::uint16_t>(out, buffered));
                        buffered = 0;
                    }
                } else {
                    found += popcount_words(words, n);
                }
            };
            const auto flush = [&] {
                if constexpr (Emitting) {
                    if (buffered != 0) {
                        found += buffered;
                        emit(base,
                             std::span<const std::uint16_t>(survivor_buffer.data(), buffered));
                    }
                }
            };
            // Probing pays when the probes are bit tests or the driving array is short
            // against the arrays it must be searched in; otherwise a whole-chunk bitset pass
            // (about a 1024-word sweep plus one step per array element) is cheaper.
            bool walk = flat && single != nullptr && !single->is_bitset();
            if (walk) {
                probes.clear();
                std::uint64_t searches = 0;
                std::uint64_t array_elements = 0;
                for (std::size_t s = 0; s < sets.size(); ++s) {
                    if (s == best) {
                        continue;
                    }
                    for (std::uint32_t m = sets[s].first; m < sets[s].first + sets[s].count; ++m) {
                        if (const posting_chunk* c = chunk_at(m, high)) {
                            probes.push_back({c, sets[s].negative});
                            if (!c->is_bitset()) {
                                searches += single->size;
                                array_elements += c->size;
                            }
                        }
                    }
                }
                constexpr std::uint64_t search_cost = 12;  // a binary search, in element steps
                constexpr std::uint64_t sweep_cost = 1536; // the 1024-word passes
                walk = searches * search_cost <= sweep_cost + array_elements + single->size;
            }
            if (walk) {
                // Walk the array, probe the others' containers.
                const std::span<const probe> tests = probes.span();
                if (tests.empty()) {
                    found += single->size;
                    if constexpr (Emitting) {
                        emit(base, std::span<const std::uint16_t>(single->values, single->size));
                    }
                } else {
                    // Survivors are written unconditionally and kept by advancing the count:
                    // no branch depends on whether an id matches (they are 50/50 guesses).
                    const bool bitsets_only =
                        std::all_of(tests.begin(), tests.end(),
                                    [](const probe& t) { return t.chunk->is_bitset(); });
                    std::uint32_t kept = 0;
                    std::uint16_t* survivors = survivor_buffer.data();
                    // Several bitset probes against a long array: fold them into one mask
                    // first (a 1024-word pass), then one bit test per id; a single positive
                    // bitset is the mask as it is.
                    constexpr std::uint32_t fold_from = 512;
                    const bool one_mask = tests.size() == 1 && !tests[0].negative;
                    if (bitsets_only && (one_mask || single->size >= fold_from)) {
                        const std::uint64_t* mask = tests[0].chunk->words;
                        if (!one_mask) {
                            // A negative test is a XOR with all ones.
                            const auto flip = [](const probe& t) {
                                return t.negative ? ~std::uint64_t{0} : std::uint64_t{0};
                            };
                            const std::uint64_t* first = tests[0].chunk->words;
                            const std::uint64_t first_flip = flip(tests[0]);
                            if (tests.size() == 1) {
                                for (std::size_t w = 0; w < chunk_words; ++w) {
                                    scratch[w] = first[w] ^ first_flip;
                                }
                            } else {
                                const std::uint64_t* second = tests[1].chunk->words;
                                const std::uint64_t second_flip = flip(tests[1]);
                                for (std::size_t w = 0; w < chunk_words; ++w) {
                                    scratch[w] =
                                        (first[w] ^ first_flip) & (second[w] ^ second_flip);
                                }
                            }
                            for (std::size_t k = 2; k < tests.size(); ++k) {
                                const std::uint64_t* words = tests[k].chunk->words;
                                const std::uint64_t words_flip = flip(tests[k]);
                                for (std::size_t w = 0; w < chunk_words; ++w) {
                                    scratch[w] &= words[w] ^ words_flip;
                                }
                            }
                            mask = scratch.data();
                        }
                        const auto hit = [&](std::uint16_t low) {
                            return static_cast<std::uint32_t>((mask[low >> 6U] >> (low & 63U)) &
                                                              1U);
                        };
                        const std::uint16_t* values = single->values;
                        std::uint32_t i = 0;
                        // Four at a time: the probes are independent, only the count chains.
                        for (; i + 4 <= single->size; i += 4) {
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
                        for (; i < single->size; ++i) {
                            survivors[kept] = values[i];
                            kept += hit(values[i]);
                        }
                    } else if (bitsets_only) {
                        for (std::uint32_t i = 0; i < single->size; ++i) {
                            const std::uint16_t low = single->values[i];
                            std::uint64_t keep = 1;
                            for (const probe& t : tests) {
                                keep &= (t.chunk->words[low >> 6U] >> (low & 63U)) ^
                                        static_cast<std::uint64_t>(t.negative);
                            }
                            survivors[kept] = low;
                            kept += static_cast<std::uint32_t>(keep & 1U);
                        }
                    } else {
                        for (std::uint32_t i = 0; i < single->size; ++i) {
                            const std::uint16_t low = single->values[i];
                            bool keep = true;
                            for (const probe& t : tests) {
                                keep = keep & (t.chunk->contains(low) != t.negative);
                            }
                            survivors[kept] = low;
                            kept += static_cast<std::uint32_t>(keep);
                        }
                    }
                    found += kept;
                    if constexpr (Emitting) {
                        emit(base, std::span<const std::uint16_t>(survivors, kept));
                    }
                }
            } else if (flat && all_bitsets && sparse) {
                // Only bitsets: AND them a block at a time and extract each block while it is
                // in L1, with no whole-chunk intermediate.
                bitsets.clear();
                std::size_t positives = 0;
                for (std::size_t s = 0; s < sets.size(); ++s) {
                    if (!sets[s].negative) {
                        bitsets.push_back(chunk_at(sets[s].first, high)->words);
                        ++positives;
                    }
                }
                for (std::size_t s = 0; s < sets.size(); ++s) {
                    if (sets[s].negative) {
                        for (std::uint32_t m = sets[s].first; m < sets[s].first + sets[s].count;
                             ++m) {
                            if (const posting_chunk* c = chunk_at(m, high)) {
                                bitsets.push_back(c->words);
                            }
                        }
                    }
                }
                const std::span<const std::uint64_t* const> words = bitsets.span();
                std::uint64_t* block = acc.data();
                for (std::size_t at = 0; at < chunk_words; at += drain_words) {
                    const std::uint64_t* first = words[0] + at;
                    if (positives > 1) {
                        const std::uint64_t* second = words[1] + at;
                        for (std::size_t w = 0; w < drain_words; ++w) {
                            block[w] = first[w] & second[w];
                        }
                    } else {
                        std::memcpy(block, first, drain_words * sizeof(std::uint64_t));
                    }
                    for (std::size_t k = 2; k < positives; ++k) {
                        const std::uint64_t* more = words[k] + at;
                        for (std::size_t w = 0; w < drain_words; ++w) {
                            block[w] &= more[w];
                        }
                    }
                    for (std::size_t k = positives; k < words.size(); ++k) {
                        const std::uint64_t* less = words[k] + at;
                        for (std::size_t w = 0; w < drain_words; ++w) {
                            block[w] &= ~less[w];
                        }
                    }
                    drain(block, drain_words, at);
                }
                flush();
            } else {
                // Whole-chunk bitset arithmetic.
                if (single != nullptr && single->is_bitset() && chief.count == 1) {
                    std::memcpy(acc.data(), single->words, sizeof(acc));
                } else {
                    acc.fill(0);
                    for (std::uint32_t m = chief.first; m < chief.first + chief.count; ++m) {
                        if (const posting_chunk* c = chunk_at(m, high)) {
                            c->or_into(acc.data());
                        }
                    }
                }
                for (std::size_t s = 0; s < sets.size(); ++s) {
                    if (s == best) {
                        continue;
                    }
                    const query_set& other = sets[s];
                    if (other.negative) {
                        for (std::uint32_t m = other.first; m < other.first + other.count; ++m) {
                            if (const posting_chunk* c = chunk_at(m, high)) {
                                c->subtract_from(acc.data());
                            }
                        }
                        continue;
                    }
                    const posting_chunk* one =
                        other.count == 1 ? chunk_at(other.first, high) : nullptr;
                    if (one != nullptr && !one->is_bitset()) {
                        // acc ∩ array: keep only the array's bits.
                        scratch.fill(0);
                        for (std::uint32_t i = 0; i < one->size; ++i) {
                            const std::uint16_t low = one->values[i];
                            scratch[low >> 6U] |=
                                acc[low >> 6U] & (std::uint64_t{1} << (low & 63U));
                        }
                        acc = scratch;
                        continue;
                    }
                    const std::uint64_t* mask = nullptr;
                    if (one != nullptr) {
                        mask = one->words;
                    } else {
                        scratch.fill(0);
                        for (std::uint32_t m = other.first; m < other.first + other.count; ++m) {
                            if (const posting_chunk* c = chunk_at(m, high)) {
                                c->or_into(scratch.data());
                            }
                        }
                        mask = scratch.data();
                    }
                    for (std::size_t w = 0; w < chunk_words; ++w) {
                        acc[w] &= mask[w];
                    }
                }
                if (sparse) {
                    for (std::size_t at = 0; at < chunk_words; at += drain_words) {
                        drain(acc.data() + at, drain_words, at);
                    }
                    flush();
                } else if constexpr (Emitting) {
                    for (std::size_t w = 0; w < chunk_words; ++w) {
                        for (std::uint64_t bits = acc[w]; bits != 0; bits &= bits - 1) {
                            emit(base | static_cast<std::uint32_t>(
                                            w * 64 + static_cast<unsigned>(__builtin_ctzll(bits))));
                            ++found;
                        }
                    }
                } else {
                    found += popcount_words(acc.data(), chunk_words);
                }
            }
        }

        // Step the driving set past this chunk.
        for (std::uint32_t m = lead.first; m < lead.first + lead.count; ++m) {
            const std::span<const posting_chunk> chunks = members[m]->chunks();
            if (cursor[m] < chunks.size() && chunks[cursor[m]].high == high) {
                ++cursor[m];
            }
        }
    }
    return found;
}

} // namespace svcdisc::detail
