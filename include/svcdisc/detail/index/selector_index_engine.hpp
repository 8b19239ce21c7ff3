#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/config.hpp>
#include <svcdisc/detail/index/index_table.hpp>
#include <svcdisc/detail/index/interner.hpp>
#include <svcdisc/detail/index/keys.hpp>
#include <svcdisc/detail/index/label_pool.hpp>
#include <svcdisc/detail/index/posting_query.hpp>
#include <svcdisc/detail/index/postings.hpp>
#include <svcdisc/detail/util/bits.hpp>
#include <svcdisc/detail/util/small_sort.hpp>
#include <svcdisc/detail/util/throw.hpp>
#include <svcdisc/go_text.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/selector.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc::detail {

/// The selector index's hash of a (namespace, key, value) term from the namespace's string id
/// and the interner hashes of the key and value texts (0 for "any"): a writer finds a label's
/// term from the label's text without looking either string up first.
[[nodiscard]] constexpr std::uint32_t text_term_hash(std::uint32_t ns, std::uint64_t key_hash,
                                                     std::uint64_t value_hash) noexcept {
    constexpr std::uint64_t multiplier = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = (std::uint64_t{ns} + 1) * multiplier;
    h = (h ^ key_hash) * multiplier;
    h = (h ^ (value_hash + (value_hash >> 32U))) * multiplier;
    return static_cast<std::uint32_t>(h >> 32U);
}

/// The storage and algorithms behind basic_selector_index (which documents the operations):
/// interned strings, one posting list per (namespace, key, value), (namespace, key) and
/// namespace term, per-pod records holding their label terms, and the query compiler feeding
/// evaluate_plan.
template <class Key, class Hash, class KeyEqual, class Allocator>
class selector_index_engine {
  public:
    using u32_allocator = rebind_alloc<Allocator, std::uint32_t>;
    using posting = posting_list<u32_allocator>;
    using plan_type = query_plan<posting>;

    using key_type = Key;
    using hasher = Hash;
    using key_equal = KeyEqual;
    using allocator_type = Allocator;

    explicit selector_index_engine(const Allocator& allocator = Allocator())
        : allocator_(allocator), strings_(allocator), terms_(allocator), free_terms_(allocator),
          term_table_(allocator), namespaces_(allocator), numerics_(allocator),
          free_numerics_(allocator), keys_(allocator), pods_(allocator), free_pods_(allocator),
          pod_table_(allocator), pool_(allocator) {}

    selector_index_engine(const selector_index_engine&) = delete;
    selector_index_engine& operator=(const selector_index_engine&) = delete;
    selector_index_engine(selector_index_engine&&) noexcept = default;
    selector_index_engine& operator=(selector_index_engine&&) noexcept = default;
    ~selector_index_engine() = default;

    // --- writers (documented on selector_index_engine) -------------------------------------

    template <label_map Labels>
    bool insert(const Key& key, std::string_view ns, const Labels& labels) {
        const std::uint32_t id = register_pod(key, ns, labels);
        if (id == no_id) {
            return false;
        }
        const pod_record& record = pods_[id];
        const std::uint32_t* run = run_of(record);
        prefetch_posting_chunks(id, record.count, [run](std::uint32_t i) { return run[i]; });
        prefetch_posting_payloads(id, record.count, [run](std::uint32_t i) { return run[i]; });
        add_postings(id);
        release_dropped();
        return true;
    }

    template <class PodAt>
    std::size_t insert_many(std::size_t count, PodAt&& pod_at) {
        staged_pods staged(allocator_);
        std::size_t added = 0;
        for (std::size_t first = 0; first < count; first += bulk_batch) {
            stage(staged, first, std::min(bulk_batch, count - first), pod_at);
            added += insert_staged(staged);
        }
        return added;
    }

    template <lookup_key<Key, Hash, KeyEqual> K, label_map Labels>
    bool update(const K& key, const Labels& labels) {
        const std::uint32_t id = find_pod(key);
        if (id == no_id) {
            return false;
        }
        entries_scratch_.clear();
        gather(pods_[id].ns, labels);
        const auto new_count = static_cast<std::uint32_t>(entries_scratch_.size());
        const std::uint32_t old_count = pods_[id].count;
        const std::uint32_t* old_run = run_of(pods_[id]);
        // Both runs are sorted by key id: merge them.
        std::uint32_t i = 0;
        std::uint32_t j = 0;
        while (i < old_count || j < new_count) {
            const std::uint32_t old_term = i < old_count ? old_run[i] : no_id;
            const std::uint32_t old_key = old_term == no_id ? no_id : terms_[old_term].key;
            const std::uint32_t new_key = j < new_count ? entries_scratch_[j].first : no_id;
            if (old_key == new_key) {
                const std::uint32_t new_term = entries_scratch_[j].second;
                if (new_term != old_term) {
                    terms_[new_term].ids.insert(id);
                    remove_from(old_term, id);
                }
                ++i;
                ++j;
            } else if (old_key < new_key) {
                const std::uint32_t parent = terms_[old_term].parent;
                remove_from(old_term, id);
                remove_from(parent, id);
                ++i;
            } else {
                const std::uint32_t new_term = entries_scratch_[j].second;
                terms_[new_term].ids.insert(id);
                terms_[terms_[new_term].parent].ids.insert(id);
                ++j;
            }
        }
        std::uint32_t* run = resize_run(pods_[id], new_count);
        for (std::uint32_t k = 0; k < new_count; ++k) {
            run[k] = entries_scratch_[k].second;
        }
        release_dropped();
        return true;
    }

    template <lookup_key<Key, Hash, KeyEqual> K>
    bool assign_label(const K& key, std::string_view label_key, std::string_view value) {
        const std::uint32_t id = find_pod(key);
        if (id == no_id) {
            return false;
        }
        const std::uint32_t t = acquire_value_term(pods_[id].ns, label_key, value);
        const std::uint32_t k = terms_[t].key;
        const std::uint32_t count = pods_[id].count;
        std::uint32_t* run = run_of(pods_[id]);
        std::uint32_t position = 0;
        for (; position < count; ++position) {
            const std::uint32_t old = run[position];
            const std::uint32_t old_key = terms_[old].key;
            if (old_key == k) {
                if (old != t) {
                    terms_[t].ids.insert(id);
                    remove_from(old, id);
                    run[position] = t;
                }
                return true;
            }
            if (old_key > k) {
                break;
            }
        }
        // A new key: a run one longer, still sorted by key id.
        terms_[t].ids.insert(id);
        terms_[terms_[t].parent].ids.insert(id);
        run = resize_run(pods_[id], count + 1);
        std::copy_backward(run + position, run + count, run + count + 1);
        run[position] = t;
        return true;
    }

    template <lookup_key<Key, Hash, KeyEqual> K>
    bool erase_label(const K& key, std::string_view label_key) {
        const std::uint32_t id = find_pod(key);
        const std::uint32_t k = strings_.find(label_key);
        if (id == no_id || k == no_id) {
            return false;
        }
        const std::uint32_t count = pods_[id].count;
        std::uint32_t* run = run_of(pods_[id]);
        for (std::uint32_t position = 0; position < count; ++position) {
            const std::uint32_t old = run[position];
            if (terms_[old].key != k) {
                continue;
            }
            const std::uint32_t parent = terms_[old].parent;
            remove_from(old, id);
            remove_from(parent, id);
            std::copy(run + position + 1, run + count, run + position);
            resize_run(pods_[id], count - 1);
            return true;
        }
        return false;
    }

    template <lookup_key<Key, Hash, KeyEqual> K>
    bool erase(const K& key) {
        const std::uint32_t id = find_pod(key);
        if (id == no_id) {
            return false;
        }
        const std::uint32_t count = pods_[id].count;
        const std::uint32_t* run = run_of(pods_[id]);
        for (std::uint32_t i = 0; i < count; ++i) {
            prefetch(terms_.data() + run[i]);
        }
        prefetch_posting_chunks(id, count, [run](std::uint32_t i) { return run[i]; });
        prefetch_posting_payloads(id, count, [run](std::uint32_t i) { return run[i]; });
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::uint32_t t = run[i];
            const std::uint32_t parent = terms_[t].parent;
            remove_from(t, id);
            remove_from(parent, id);
        }
        resize_run(pods_[id], 0);
        remove_from(pods_[id].ns, id);
        pod_table_.erase(hash_key(keys_[id]), id, pod_hash_of());
        keys_[id] = Key();
        pods_[id].ns = no_id;
        free_pods_.push_back(id);
        --size_;
        return true;
    }

    void clear() {
        terms_.clear();
        free_terms_.clear();
        term_table_.clear();
        namespaces_.clear();
        numerics_.clear();
        free_numerics_.clear();
        keys_.clear();
        pods_.clear();
        free_pods_.clear();
        pod_table_.clear();
        pool_.clear();
        strings_.clear();
        size_ = 0;
    }

    void reserve(std::size_t pods) {
        keys_.reserve(pods);
        pods_.reserve(pods);
        pod_table_.reserve(pods, pod_hash_of());
    }

    // --- pods --------------------------------------------------------------------------------

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

    template <lookup_key<Key, Hash, KeyEqual> K>
    [[nodiscard]] bool contains(const K& key) const noexcept {
        return find_pod(key) != no_id;
    }

    template <lookup_key<Key, Hash, KeyEqual> K>
    [[nodiscard]] std::string_view namespace_of(const K& key) const noexcept {
        const std::uint32_t id = find_pod(key);
        return id == no_id ? std::string_view() : strings_.view(terms_[pods_[id].ns].ns);
    }

    template <lookup_key<Key, Hash, KeyEqual> K, class Visit>
    bool for_each_label(const K& key, Visit&& visit) const {
        const std::uint32_t id = find_pod(key);
        if (id == no_id) {
            return false;
        }
        const std::uint32_t* run = run_of(pods_[id]);
        for (std::uint32_t i = 0; i < pods_[id].count; ++i) {
            const term& t = terms_[run[i]];
            visit(strings_.view(t.key), strings_.view(t.value));
        }
        return true;
    }

    template <lookup_key<Key, Hash, KeyEqual> K>
    [[nodiscard]] bool matches(const K& key, const label_selector& selector) const {
        const std::uint32_t id = find_pod(key);
        return id != no_id &&
               with_labels(id, [&](const auto& labels) { return selector.matches(labels); });
    }

    template <lookup_key<Key, Hash, KeyEqual> K, label_map Labels>
    [[nodiscard]] bool matches(const K& key, const Labels& service_selector) const {
        const std::uint32_t id = find_pod(key);
        return id != no_id && with_labels(id, [&](const auto& labels) {
                   return service_selector_matches(service_selector, labels);
               });
    }

    // --- queries -----------------------------------------------------------------------------

    template <class Visit>
    std::size_t for_each(std::string_view ns, const label_selector& selector, Visit&& visit) const {
        return evaluate_in<true>(namespace_term(ns), selector, emit_keys(visit));
    }

    template <class Visit>
    std::size_t for_each(all_namespaces_t, const label_selector& selector, Visit&& visit) const {
        return evaluate_all<true>(selector, emit_keys(visit));
    }

    template <label_map Labels, class Visit>
    std::size_t for_each(std::string_view ns, const Labels& service_selector, Visit&& visit) const {
        return evaluate_in<true>(namespace_term(ns), service_selector, emit_keys(visit));
    }

    template <label_map Labels, class Visit>
    std::size_t for_each(all_namespaces_t, const Labels& service_selector, Visit&& visit) const {
        return evaluate_all<true>(service_selector, emit_keys(visit));
    }

    template <class Namespace, class Selector>
    std::size_t select(const Namespace& ns, const Selector& selector, std::span<Key> out) const {
        std::size_t written = 0;
        return for_each(ns, selector, [&](const Key& key) {
            if (written < out.size()) {
                out[written++] = key;
            }
        });
    }

    [[nodiscard]] std::size_t count(std::string_view ns, const label_selector& selector) const {
        return evaluate_in<false>(namespace_term(ns), selector, ignore_batch{});
    }

    [[nodiscard]] std::size_t count(all_namespaces_t, const label_selector& selector) const {
        return evaluate_all<false>(selector, ignore_batch{});
    }

    template <label_map Labels>
    [[nodiscard]] std::size_t count(std::string_view ns, const Labels& service_selector) const {
        return evaluate_in<false>(namespace_term(ns), service_selector, ignore_batch{});
    }

    template <label_map Labels>
    [[nodiscard]] std::size_t count(all_namespaces_t, const Labels& service_selector) const {
        return evaluate_all<false>(service_selector, ignore_batch{});
    }

    [[nodiscard]] std::size_t namespace_count() const noexcept { return namespaces_.size(); }

    [[nodiscard]] index_memory_usage memory_usage() const noexcept {
        index_memory_usage usage;
        for (const term& t : terms_) {
            usage.postings += t.ids.memory_bytes();
        }
        usage.terms = terms_.capacity() * sizeof(term) +
                      free_terms_.capacity() * sizeof(std::uint32_t) + term_table_.memory_bytes() +
                      namespaces_.capacity() * sizeof(std::uint32_t) +
                      numerics_.capacity() * sizeof(numeric_list) +
                      free_numerics_.capacity() * sizeof(std::uint32_t);
        for (const numeric_list& list : numerics_) {
            usage.terms += list.capacity() * sizeof(numeric_entry);
        }
        usage.pods = keys_.capacity() * sizeof(Key) + pods_.capacity() * sizeof(pod_record) +
                     free_pods_.capacity() * sizeof(std::uint32_t) + pod_table_.memory_bytes();
        usage.labels = pool_.memory_bytes() +
                       entries_scratch_.capacity() * sizeof(entries_scratch_[0]) +
                       dropped_.capacity() * sizeof(std::uint32_t);
        usage.strings = strings_.memory_bytes();
        return usage;
    }

    /// A posting list and what it is for: (ns, key, value) pods with that label, (ns, key, no_id)
    /// pods with that key, (ns, no_id, no_id) pods of the namespace. ns/key/value are string ids.
    struct term {
        posting ids;
        std::uint32_t ns = no_id;
        std::uint32_t key = no_id;
        std::uint32_t value = no_id;
        /// value term → its key term; key term → its namespace term.
        std::uint32_t parent = no_id;
        /// key term → its numeric list (no_id when none); namespace term → position in
        /// namespaces_.
        std::uint32_t aux = no_id;
        /// text_term_hash of the term; kept so that a probe rejects other terms without
        /// reading their strings.
        std::uint32_t hash = 0;

        /// False once forgotten (the slot waits for reuse).
        [[nodiscard]] bool live() const noexcept { return ns != no_id; }

        explicit term(const u32_allocator& allocator) : ids(allocator) {}
    };
    /// Label terms a pod record holds itself; a pod with more keeps them in pool_. Seven
    /// covers the labels of most workloads (app, tier, team, version, a template hash …).
    static constexpr std::uint32_t inline_labels = 7;

    /// What the index keeps per pod besides its key, together so that a writer finds the
    /// pod's label terms with the record instead of one dependent cache miss later.
    struct pod_record {
        std::uint32_t ns = no_id; ///< namespace term; no_id for a free id
        std::uint32_t count = 0;  ///< labels of the pod
        /// The label terms sorted by key id when count ≤ inline_labels, else slots[0] is the
        /// handle of their run in pool_.
        std::array<std::uint32_t, inline_labels> slots{};
    };
    using numeric_entry = std::pair<std::int64_t, std::uint32_t>;
    using numeric_list = alloc_vector<numeric_entry, Allocator>;
    using entry = std::pair<std::uint32_t, std::uint32_t>; // (key string id, value term id)

    // --- keys ----------------------------------------------------------------------------------

    template <class K>
    [[nodiscard]] std::uint64_t hash_key(const K& key) const noexcept {
        return static_cast<std::uint64_t>(Hash{}(key));
    }
    [[nodiscard]] auto pod_hash_of() const noexcept {
        return [this](std::uint32_t id) { return hash_key(keys_[id]); };
    }
    template <class K>
    [[nodiscard]] std::uint32_t find_pod(const K& key) const noexcept {
        return pod_table_.find(hash_key(key), [&](std::uint32_t id) {
            // Writers read the pod's record right after finding it: start that miss (both
            // lines a record can straddle) now, alongside the key's.
            const auto* record = reinterpret_cast<const unsigned char*>(pods_.data() + id);
            prefetch(record);
            prefetch(record + sizeof(pod_record) - 1);
            return KeyEqual{}(keys_[id], key);
        });
    }

    // The label terms of a pod (sorted by key id).
    [[nodiscard]] std::uint32_t* run_of(pod_record& r) noexcept {
        return r.count <= inline_labels ? r.slots.data() : pool_.data(r.slots[0]);
    }
    [[nodiscard]] const std::uint32_t* run_of(const pod_record& r) const noexcept {
        return r.count <= inline_labels ? r.slots.data() : pool_.data(r.slots[0]);
    }

    // Gives pod record r room for `count` label terms, keeping the first min(count, r.count)
    // of them, and returns where they are.
    std::uint32_t* resize_run(pod_record& r, std::uint32_t count) {
        const std::uint32_t old_count = r.count;
        const bool was_inline = old_count <= inline_labels;
        const bool fits_inline = count <= inline_labels;
        const std::uint32_t kept = std::min(count, old_count);
        if (was_inline && fits_inline) {
            r.count = count;
            return r.slots.data();
        }
        if (!was_inline && !fits_inline && count == old_count) {
            return pool_.data(r.slots[0]);
        }
        const std::uint32_t old_handle = was_inline ? no_id : r.slots[0];
        if (fits_inline) {
            // Leaving the pool: copy the kept terms home, then give the run back.
            const std::uint32_t* in = pool_.data(old_handle);
            std::copy(in, in + kept, r.slots.data());
            pool_.release(old_handle, old_count);
            r.count = count;
            return r.slots.data();
        }
        const std::uint32_t handle = pool_.allocate(count);
        std::uint32_t* out = pool_.data(handle);
        const std::uint32_t* in = was_inline ? r.slots.data() : pool_.data(old_handle);
        std::copy(in, in + kept, out);
        if (!was_inline) {
            pool_.release(old_handle, old_count);
        }
        r.slots[0] = handle;
        r.count = count;
        return out;
    }

    std::uint32_t allocate_pod(const Key& key, std::uint32_t ns_term) {
        std::uint32_t id = 0;
        if (!free_pods_.empty()) {
            id = free_pods_.back();
            free_pods_.pop_back();
            keys_[id] = key;
            pods_[id].ns = ns_term;
        } else {
            id = static_cast<std::uint32_t>(keys_.size());
            if (id == no_id) {
                throw_length_error("svcdisc: selector_index holds at most 2^32-1 pods");
            }
            keys_.push_back(key);
            pods_.push_back(pod_record{ns_term, 0, {}});
        }
        return id;
    }

    // The bookkeeping of insert short of the posting lists: the pod's id, key, record and label
    // terms; no_id (and no change) when `key` is indexed already. add_postings completes it,
    // then release_dropped.
    template <label_map Labels>
    std::uint32_t register_pod(const Key& key, std::string_view ns, const Labels& labels) {
        if (find_pod(key) != no_id) {
            return no_id;
        }
        const std::uint32_t ns_term = acquire_namespace(ns);
        entries_scratch_.clear();
        gather(ns_term, labels);
        const std::uint32_t id = allocate_pod(key, ns_term);
        const auto count = static_cast<std::uint32_t>(entries_scratch_.size());
        std::uint32_t* run = resize_run(pods_[id], count);
        for (std::uint32_t i = 0; i < count; ++i) {
            run[i] = entries_scratch_[i].second;
        }
        pod_table_.insert(hash_key(key), id, pod_hash_of());
        ++size_;
        return id;
    }

    // Adds registered pod `id` to the lists of its namespace, its label terms and their keys.
    void add_postings(std::uint32_t id) {
        const pod_record& record = pods_[id];
        terms_[record.ns].ids.insert(id);
        const std::uint32_t* run = run_of(record);
        for (std::uint32_t i = 0; i < record.count; ++i) {
            term& t = terms_[run[i]];
            t.ids.insert(id);
            terms_[t.parent].ids.insert(id);
        }
    }

    /// Pods insert_many has read but not inserted yet: copies of their keys and texts (what
    /// pod_at returns may die with the next call), so that a batch of them can be looked up
    /// together.
    struct staged_pods {
        struct pod {
            std::uint32_t ns_offset = 0;
            std::uint32_t ns_length = 0;
            std::uint32_t first_label = 0;
            std::uint32_t label_count = 0;
            std::uint32_t id = no_id; ///< once registered; no_id for a key indexed already
        };
        struct label {
            std::uint32_t key_offset = 0;
            std::uint32_t key_length = 0;
            std::uint32_t value_offset = 0;
            std::uint32_t value_length = 0;
        };
        using label_view = std::pair<std::string_view, std::string_view>;

        explicit staged_pods(const Allocator& allocator)
            : keys(allocator), pods(allocator), labels(allocator), text(allocator),
              term_hashes(allocator), candidates(allocator), views(allocator) {}

        std::uint32_t append(std::string_view s) {
            const auto offset = static_cast<std::uint32_t>(text.size());
            text.insert(text.end(), s.begin(), s.end());
            return offset;
        }
        [[nodiscard]] std::string_view view(std::uint32_t offset, std::uint32_t length) const {
            return {text.data() + offset, length};
        }

        alloc_vector<Key, Allocator> keys;
        alloc_vector<pod, Allocator> pods;
        alloc_vector<label, Allocator> labels;
        alloc_vector<char, Allocator> text;
        /// text_term_hash of the labels of pods whose namespace string exists, for prefetching.
        alloc_vector<std::uint32_t, Allocator> term_hashes;
        alloc_vector<std::uint32_t, Allocator> candidates;
        alloc_vector<label_view, Allocator> views;
    };

    /// Pods per insert_many batch: enough look-ups in flight to hide each other's cache misses,
    /// few enough that what they load stays in cache until it is used.
    static constexpr std::size_t bulk_batch = 16;

    // Reads pods first … first+n-1 into `staged` and starts loading, a stage at a time over the
    // whole batch, what inserting them reads: each key's pod-table slot, each label's term-table
    // slot, then term, value entry and value bytes.
    template <class PodAt>
    void stage(staged_pods& staged, std::size_t first, std::size_t n, PodAt& pod_at) {
        staged.keys.clear();
        staged.pods.clear();
        staged.labels.clear();
        staged.text.clear();
        staged.term_hashes.clear();
        // Pods of a batch mostly share a namespace: its string is looked up once per run.
        std::uint32_t ns_id = no_id;
        for (std::size_t i = first; i < first + n; ++i) {
            auto&& [key, ns, labels] = pod_at(i);
            staged.keys.push_back(key);
            pod_table_.prefetch_home(hash_key(staged.keys.back()));
            const std::string_view ns_text(ns);
            typename staged_pods::pod p;
            p.ns_length = static_cast<std::uint32_t>(ns_text.size());
            if (staged.pods.empty() || staged.view(staged.pods.back().ns_offset,
                                                   staged.pods.back().ns_length) != ns_text) {
                p.ns_offset = staged.append(ns_text);
                ns_id = strings_.find(ns_text);
            } else {
                p.ns_offset = staged.pods.back().ns_offset;
            }
            p.first_label = static_cast<std::uint32_t>(staged.labels.size());
            for (const auto& [k, v] : labels) {
                const std::string_view key_text(k);
                const std::string_view value_text(v);
                typename staged_pods::label l;
                l.key_length = static_cast<std::uint32_t>(key_text.size());
                l.key_offset = staged.append(key_text);
                l.value_length = static_cast<std::uint32_t>(value_text.size());
                l.value_offset = staged.append(value_text);
                staged.labels.push_back(l);
                if (ns_id != no_id) {
                    const std::uint32_t h =
                        text_term_hash(ns_id, strings_.hash(key_text), strings_.hash(value_text));
                    term_table_.prefetch_home(h);
                    staged.term_hashes.push_back(h);
                }
            }
            p.label_count = static_cast<std::uint32_t>(staged.labels.size()) - p.first_label;
            staged.pods.push_back(p);
        }
        staged.candidates.resize(staged.term_hashes.size());
        prefetch_label_terms(staged.term_hashes, staged.candidates);
        staged.views.clear();
        for (const typename staged_pods::label& l : staged.labels) {
            staged.views.emplace_back(staged.view(l.key_offset, l.key_length),
                                      staged.view(l.value_offset, l.value_length));
        }
    }

    // Inserts the staged pods in order, like insert each: their records first, then the
    // posting lists of all of them (whose lines were requested in two rounds over the batch),
    // then the duplicates' unused terms. Returns how many were added.
    std::size_t insert_staged(staged_pods& staged) {
        std::size_t added = 0;
        for (std::size_t i = 0; i < staged.pods.size(); ++i) {
            typename staged_pods::pod& p = staged.pods[i];
            const std::span<const typename staged_pods::label_view> labels(
                staged.views.data() + p.first_label, p.label_count);
            p.id = register_pod(staged.keys[i], staged.view(p.ns_offset, p.ns_length), labels);
            if (p.id != no_id) {
                const pod_record& record = pods_[p.id];
                const std::uint32_t* run = run_of(record);
                prefetch_posting_chunks(p.id, record.count,
                                        [run](std::uint32_t k) { return run[k]; });
                ++added;
            }
        }
        for (const typename staged_pods::pod& p : staged.pods) {
            if (p.id != no_id) {
                const pod_record& record = pods_[p.id];
                const std::uint32_t* run = run_of(record);
                prefetch_posting_payloads(p.id, record.count,
                                          [run](std::uint32_t k) { return run[k]; });
            }
        }
        for (const typename staged_pods::pod& p : staged.pods) {
            if (p.id != no_id) {
                add_postings(p.id);
            }
        }
        release_dropped();
        return added;
    }

    // --- terms ---------------------------------------------------------------------------------

    [[nodiscard]] std::uint64_t string_hash(std::uint32_t s) const noexcept {
        return s == no_id ? 0 : strings_.stored_hash(s);
    }

    [[nodiscard]] std::uint32_t find_term(std::uint32_t ns, std::uint32_t key,
                                          std::uint32_t value) const noexcept {
        const std::uint32_t h = text_term_hash(ns, string_hash(key), string_hash(value));
        return term_table_.find(h, [&](std::uint32_t t) {
            const term& candidate = terms_[t];
            return candidate.ns == ns && candidate.key == key && candidate.value == value;
        });
    }

    // The value term of label (key, value) in namespace string `ns`, found from the texts and
    // their interner hashes; `h` is their text_term_hash.
    [[nodiscard]] std::uint32_t find_value_term(std::uint32_t ns, std::uint32_t h,
                                                std::string_view key,
                                                std::string_view value) const noexcept {
        return term_table_.find(h, [&](std::uint32_t t) {
            const term& candidate = terms_[t];
            return candidate.hash == h && candidate.ns == ns && candidate.value != no_id &&
                   strings_.equals(candidate.value, value) && strings_.equals(candidate.key, key);
        });
    }

    [[nodiscard]] auto term_hash_of() const noexcept {
        return [this](std::uint32_t t) { return std::uint64_t{terms_[t].hash}; };
    }

    // Creates a term that does not exist yet; it holds one reference on each string it names.
    std::uint32_t create_term(std::uint32_t ns, std::uint32_t key, std::uint32_t value,
                              std::uint32_t parent) {
        const std::uint32_t t = take_slot(terms_, free_terms_, u32_allocator(allocator_));
        term& fresh = terms_[t];
        fresh.ns = ns;
        fresh.key = key;
        fresh.value = value;
        fresh.parent = parent;
        fresh.aux = no_id;
        fresh.hash = text_term_hash(ns, string_hash(key), string_hash(value));
        strings_.retain_each({ns, key, value});
        term_table_.insert(fresh.hash, t, term_hash_of());
        return t;
    }

    std::uint32_t acquire_namespace(std::string_view ns) {
        const std::uint32_t existing = namespace_term(ns);
        if (existing != no_id) {
            return existing;
        }
        const std::uint32_t s = strings_.acquire(ns);
        const std::uint32_t t = create_term(s, no_id, no_id, no_id);
        strings_.release(s);
        terms_[t].aux = static_cast<std::uint32_t>(namespaces_.size());
        namespaces_.push_back(t);
        return t;
    }

    [[nodiscard]] std::uint32_t namespace_term(std::string_view ns) const noexcept {
        const std::uint32_t s = strings_.find(ns);
        return s == no_id ? no_id : find_term(s, no_id, no_id);
    }

    // The value term for (ns, key, value), created with its key term when missing.
    std::uint32_t acquire_value_term(std::uint32_t ns_term, std::string_view key,
                                     std::string_view value) {
        const std::uint64_t key_hash = strings_.hash(key);
        const std::uint64_t value_hash = strings_.hash(value);
        const std::uint32_t ns = terms_[ns_term].ns;
        const std::uint32_t h = text_term_hash(ns, key_hash, value_hash);
        const std::uint32_t found = find_value_term(ns, h, key, value);
        if (found != no_id) {
            return found;
        }
        return create_value_term(ns_term, {key, value, key_hash, value_hash, h});
    }

    /// One label on its way through gather: its strings and their hashes.
    struct pending_label {
        std::string_view key;
        std::string_view value;
        std::uint64_t key_hash = 0;
        std::uint64_t value_hash = 0;
        std::uint32_t term_hash = 0; ///< text_term_hash of the label
    };

    // The value term of a label whose term find_value_term did not find, created with its key
    // term when missing.
    std::uint32_t create_value_term(std::uint32_t ns_term, const pending_label& label) {
        const std::uint32_t ns = terms_[ns_term].ns;
        const std::string_view value = label.value;
        const std::uint32_t k = strings_.acquire(label.key, label.key_hash);
        const std::uint32_t v = strings_.acquire(value, label.value_hash);
        std::uint32_t key_term = find_term(ns, k, no_id);
        if (key_term == no_id) {
            key_term = create_term(ns, k, no_id, ns_term);
        }
        const std::uint32_t t = create_term(ns, k, v, key_term);
        std::int64_t number = 0;
        if (parse_go_int64(value, number)) {
            term& kt = terms_[key_term];
            if (kt.aux == no_id) {
                kt.aux = take_slot(numerics_, free_numerics_, allocator_);
            }
            numeric_list& list = numerics_[kt.aux];
            const numeric_entry e{number, t};
            list.insert(std::upper_bound(list.begin(), list.end(), e), e);
        }
        strings_.release(k);
        strings_.release(v);
        return t;
    }

    // Takes `id` out of term t's list and forgets the term once its list is empty.
    void remove_from(std::uint32_t t, std::uint32_t id) {
        terms_[t].ids.erase(id);
        forget_if_empty(t);
    }

    // Forgets a live term whose list is empty: out of the hash table, the namespace list or
    // the numeric list, its strings released, its slot reused.
    void forget_if_empty(std::uint32_t t) {
        term& victim = terms_[t];
        if (!victim.live() || !victim.ids.empty()) {
            return;
        }
        if (victim.key == no_id) {
            const std::uint32_t position = victim.aux;
            namespaces_[position] = namespaces_.back();
            terms_[namespaces_[position]].aux = position;
            namespaces_.pop_back();
        } else if (victim.value == no_id) {
            if (victim.aux != no_id) {
                numerics_[victim.aux].clear();
                free_numerics_.push_back(victim.aux);
            }
        } else if (std::int64_t number = 0; parse_go_int64(strings_.view(victim.value), number)) {
            // The value is numeric, so it is on its key's numeric list.
            numeric_list& list = numerics_[terms_[victim.parent].aux];
            const numeric_entry e{number, t};
            list.erase(std::lower_bound(list.begin(), list.end(), e));
        }
        term_table_.erase(victim.hash, t, term_hash_of());
        strings_.release_each({victim.ns, victim.key, victim.value});
        victim.ids.clear();
        victim.ns = no_id;
        free_terms_.push_back(t);
    }

    // Interns a pod's labels into entries_scratch_ as (key id, value term) sorted by key id,
    // first value winning for a repeated key; terms created for dropped duplicates are
    // remembered in dropped_ and forgotten by release_dropped once the pod is stored.
    template <label_map Labels>
    void gather(std::uint32_t ns_term, const Labels& labels) {
        const std::uint32_t ns = terms_[ns_term].ns;
        std::array<pending_label, gather_batch> batch;
        std::size_t pending = 0;
        for (const auto& [k, v] : labels) {
            pending_label& label = batch[pending++];
            label.key = std::string_view(k);
            label.value = std::string_view(v);
            label.key_hash = strings_.hash(label.key);
            label.value_hash = strings_.hash(label.value);
            label.term_hash = text_term_hash(ns, label.key_hash, label.value_hash);
            term_table_.prefetch_home(label.term_hash);
            if (pending == batch.size()) {
                resolve_labels(ns_term, std::span(batch.data(), pending));
                pending = 0;
            }
        }
        resolve_labels(ns_term, std::span(batch.data(), pending));
        // Insertion sort up to 32 labels: stable, allocation-free and fastest for a pod's
        // handful of labels.
        stable_sort_small<32>(entries_scratch_.begin(), entries_scratch_.end(),
                              [](const entry& a, const entry& b) { return a.first < b.first; });
        auto out = entries_scratch_.begin();
        for (auto it = entries_scratch_.begin(); it != entries_scratch_.end(); ++it) {
            if (out != entries_scratch_.begin() && (out - 1)->first == it->first) {
                dropped_.push_back(it->second);
                continue;
            }
            *out++ = *it;
        }
        entries_scratch_.erase(out, entries_scratch_.end());
    }

    static constexpr std::size_t gather_batch = 16;

    // Appends the labels' (key id, value term) to entries_scratch_; gather has prefetched the
    // home slots, prefetch_label_terms what the look-ups read after them.
    void resolve_labels(std::uint32_t ns_term, std::span<const pending_label> batch) {
        const std::uint32_t ns = terms_[ns_term].ns;
        std::array<std::uint32_t, gather_batch> hashes;
        std::array<std::uint32_t, gather_batch> candidates;
        for (std::size_t i = 0; i < batch.size(); ++i) {
            hashes[i] = batch[i].term_hash;
        }
        prefetch_label_terms(std::span(hashes.data(), batch.size()),
                             std::span(candidates.data(), batch.size()));
        for (const pending_label& label : batch) {
            std::uint32_t t = find_value_term(ns, label.term_hash, label.key, label.value);
            if (t == no_id) {
                t = create_value_term(ns_term, label);
            }
            entries_scratch_.emplace_back(terms_[t].key, t);
        }
    }

    // A term usually straddles two cache lines (a look-up reads the ids, a posting update the
    // list at the start): load both.
    void prefetch_term(std::uint32_t t) const noexcept {
        const auto* first = reinterpret_cast<const unsigned char*>(terms_.data() + t);
        prefetch(first);
        prefetch(first + sizeof(term) - 1);
    }

    // Starts loading what finding the terms of labels with text_term_hash `hashes` reads after
    // their term-table slots (which should be on their way): the term in each home slot, its
    // value string's entry, then that string's bytes. Each stage runs over all labels before
    // the next, whose addresses it needs, so that the misses of different labels overlap
    // instead of each look-up waiting for its own. `candidates` is scratch of the same size.
    void prefetch_label_terms(std::span<const std::uint32_t> hashes,
                              std::span<std::uint32_t> candidates) const noexcept {
        for (std::size_t i = 0; i < hashes.size(); ++i) {
            candidates[i] = term_table_.home_id(hashes[i]);
            if (candidates[i] != no_id) {
                prefetch_term(candidates[i]);
            }
        }
        // A home term of another hash is not the label's: its strings are not worth loading.
        for (std::size_t i = 0; i < hashes.size(); ++i) {
            const std::uint32_t home = candidates[i];
            if (home != no_id && terms_[home].hash == hashes[i] && terms_[home].value != no_id) {
                candidates[i] = terms_[home].value;
                strings_.prefetch_entry_of(candidates[i]);
            } else {
                candidates[i] = no_id;
            }
        }
        for (const std::uint32_t value : candidates) {
            if (value != no_id) {
                strings_.prefetch_text_of(value);
            }
        }
    }

    // Starts loading the chunk entries that adding or removing pod `id` touches in the posting
    // lists of `count` label terms (term_at(i)) and of their key terms.
    template <class TermAt>
    void prefetch_posting_chunks(std::uint32_t id, std::uint32_t count,
                                 TermAt term_at) const noexcept {
        for (std::uint32_t i = 0; i < count; ++i) {
            const term& t = terms_[term_at(i)];
            t.ids.prefetch_chunk(id);
            terms_[t.parent].ids.prefetch_chunk(id);
        }
    }

    // Then the payload words, whose addresses need the chunk entries: issued after every chunk
    // entry so that the misses of all labels overlap.
    template <class TermAt>
    void prefetch_posting_payloads(std::uint32_t id, std::uint32_t count,
                                   TermAt term_at) const noexcept {
        for (std::uint32_t i = 0; i < count; ++i) {
            const term& t = terms_[term_at(i)];
            t.ids.prefetch_payload(id);
            terms_[t.parent].ids.prefetch_payload(id);
        }
    }

    // A dropped duplicate shares its key with a kept label, so only its value term can have
    // been created empty for this call.
    void release_dropped() {
        for (const std::uint32_t t : dropped_) {
            forget_if_empty(t);
        }
        dropped_.clear();
    }

    // --- queries -------------------------------------------------------------------------------

    // Every query: compiles `selector` (a label_selector or a Service selector map) for
    // namespace term `ns_term` and evaluates it, emitting matches when Emitting.
    template <bool Emitting, class Selector, class Emit>
    std::size_t evaluate_in(std::uint32_t ns_term, const Selector& selector, Emit&& emit) const {
        plan_type plan;
        return compile(plan, ns_term, selector) ? evaluate_plan<Emitting>(plan, emit) : 0;
    }

    // evaluate_in over every namespace.
    template <bool Emitting, class Selector, class Emit>
    std::size_t evaluate_all(const Selector& selector, Emit&& emit) const {
        std::size_t found = 0;
        for (const std::uint32_t ns_term : namespaces_) {
            found += evaluate_in<Emitting>(ns_term, selector, emit);
        }
        return found;
    }

    // Compiles `selector` for one namespace; false when nothing can match.
    bool compile(plan_type& plan, std::uint32_t ns_term, const label_selector& selector) const {
        if (ns_term == no_id || selector.is_nothing()) {
            return false;
        }
        const std::uint32_t ns = terms_[ns_term].ns;
        bool positive = false;
        for (const label_requirement& r : selector.requirements()) {
            const std::uint32_t k = strings_.find(r.key());
            const std::uint32_t key_term = k == no_id ? no_id : find_term(ns, k, no_id);
            switch (r.op()) {
            case selector_operator::exists:
                if (key_term == no_id) {
                    return false;
                }
                plan.add_set(false);
                plan.add_member(terms_[key_term].ids);
                positive = true;
                break;
            case selector_operator::does_not_exist:
                if (key_term != no_id) {
                    plan.add_set(true);
                    plan.add_member(terms_[key_term].ids);
                }
                break;
            case selector_operator::equals:
            case selector_operator::double_equals:
            case selector_operator::in:
                if (key_term == no_id) {
                    return false;
                }
                plan.add_set(false);
                add_values(plan, ns, k, r.values());
                if (plan.sets[plan.sets.size() - 1].count == 0) {
                    return false;
                }
                positive = true;
                break;
            case selector_operator::not_equals:
            case selector_operator::not_in:
                if (key_term != no_id) {
                    plan.add_set(true);
                    add_values(plan, ns, k, r.values());
                }
                break;
            case selector_operator::greater_than:
            case selector_operator::less_than: {
                if (key_term == no_id || terms_[key_term].aux == no_id) {
                    return false;
                }
                const numeric_list& list = numerics_[terms_[key_term].aux];
                const auto cut = [&](const numeric_entry& e, std::int64_t bound) {
                    return e.first < bound;
                };
                auto first = list.begin();
                auto last = list.end();
                if (r.op() == selector_operator::greater_than) {
                    // Entries with number > bound: from the first entry not ≤ bound.
                    first =
                        std::partition_point(list.begin(), list.end(), [&](const numeric_entry& e) {
                            return e.first <= r.bound();
                        });
                } else {
                    last = std::lower_bound(list.begin(), list.end(), r.bound(), cut);
                }
                if (first == last) {
                    return false;
                }
                plan.add_set(false);
                for (auto it = first; it != last; ++it) {
                    plan.add_member(terms_[it->second].ids);
                }
                positive = true;
                break;
            }
            }
        }
        if (!positive) {
            plan.add_set(false);
            plan.add_member(terms_[ns_term].ids);
        }
        return true;
    }

    void add_values(plan_type& plan, std::uint32_t ns, std::uint32_t k,
                    std::span<const std::string> values) const {
        for (const std::string& value : values) {
            const std::uint32_t v = strings_.find(value);
            if (v == no_id) {
                continue;
            }
            const std::uint32_t t = find_term(ns, k, v);
            if (t != no_id) {
                plan.add_member(terms_[t].ids);
            }
        }
    }

    // Compiles a Service selector map (equality on every entry; empty: nothing) likewise.
    template <label_map Labels>
    bool compile(plan_type& plan, std::uint32_t ns_term, const Labels& selector) const {
        if (ns_term == no_id || std::begin(selector) == std::end(selector)) {
            return false;
        }
        const std::uint32_t ns = terms_[ns_term].ns;
        for (const auto& [key, value] : selector) {
            const std::uint32_t k = strings_.find(std::string_view(key));
            const std::uint32_t v = strings_.find(std::string_view(value));
            const std::uint32_t t = (k == no_id || v == no_id) ? no_id : find_term(ns, k, v);
            if (t == no_id) {
                return false;
            }
            plan.add_set(false);
            plan.add_member(terms_[t].ids);
        }
        return true;
    }

    // The emit callback of evaluate_plan: looks up each id's key. Batches are sparse matches,
    // where each key is usually a cache miss of its own, so keys a few ids ahead are
    // prefetched.
    template <class Visit>
    struct key_emitter {
        const Key* keys;
        Visit& visit;

        void operator()(std::uint32_t base, std::span<const std::uint16_t> lows) const {
            constexpr std::size_t ahead = 16;
            // A local copy: the visitor's stores could otherwise alias the member.
            const Key* const at = keys;
            for (std::size_t i = 0; i < lows.size(); ++i) {
                if (i + ahead < lows.size()) {
                    prefetch(at + (base | lows[i + ahead]));
                }
                visit(at[base | lows[i]]);
            }
        }
        void operator()(std::uint32_t id) const { visit(keys[id]); }
    };

    template <class Visit>
    [[nodiscard]] key_emitter<Visit> emit_keys(Visit& visit) const noexcept {
        return key_emitter<Visit>{keys_.data(), visit};
    }

    // Calls test(labels) with pod id's labels as a label_map of string_view pairs.
    template <class Test>
    bool with_labels(std::uint32_t id, Test&& test) const {
        using pair = std::pair<std::string_view, std::string_view>;
        const std::uint32_t count = pods_[id].count;
        const std::uint32_t* run = run_of(pods_[id]);
        const auto fill = [&](pair* out) {
            for (std::uint32_t i = 0; i < count; ++i) {
                const term& t = terms_[run[i]];
                out[i] = pair(strings_.view(t.key), strings_.view(t.value));
            }
        };
        constexpr std::size_t on_stack = 64;
        if (count <= on_stack) {
            std::array<pair, on_stack> buffer;
            fill(buffer.data());
            return test(std::span<const pair>(buffer.data(), count));
        }
        std::vector<pair> buffer(count);
        fill(buffer.data());
        return test(std::span<const pair>(buffer.data(), count));
    }

    [[no_unique_address]] Allocator allocator_;
    interner<rebind_alloc<Allocator, char>> strings_;
    alloc_vector<term, Allocator> terms_;
    alloc_vector<std::uint32_t, Allocator> free_terms_;
    index_table<u32_allocator> term_table_;
    alloc_vector<std::uint32_t, Allocator> namespaces_;
    alloc_vector<numeric_list, Allocator> numerics_;
    alloc_vector<std::uint32_t, Allocator> free_numerics_;

    alloc_vector<Key, Allocator> keys_;
    alloc_vector<pod_record, Allocator> pods_;
    alloc_vector<std::uint32_t, Allocator> free_pods_;
    index_table<u32_allocator> pod_table_;
    label_pool<u32_allocator> pool_;

    alloc_vector<entry, Allocator> entries_scratch_{allocator_};
    alloc_vector<std::uint32_t, Allocator> dropped_{allocator_};
    std::size_t size_ = 0;
};

} // namespace svcdisc::detail
