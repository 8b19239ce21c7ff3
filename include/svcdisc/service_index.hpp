#pragma once

/// Services by pod (Kubernetes' GetPodServiceMemberships without testing every selector;
/// docs/indexes.md):
///
///   basic_service_index<Key, Hash, KeyEqual, Allocator>, service_index<Key>
///     insert / update / erase (a label_selector, a Service selector map or a Service)
///     for_each_matching / select / count (a pod's namespace and labels)
///     contains / find / size / memory_usage

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <svcdisc/detail/index/index_table.hpp>
#include <svcdisc/detail/index/interner.hpp>
#include <svcdisc/detail/index/keys.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/selector.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc {

/// Services by pod: answers "which registered selectors select this pod?" (Kubernetes'
/// GetPodServiceMemberships) without testing every selector of the namespace.
///
/// Each selector is filed under one *anchor* — a label its pods must carry — and only the
/// selectors filed under the pod's own labels are verified. The anchor is the selector's most
/// selective positive requirement at registration time: an equality (`=`, `==`, a one-value
/// `in`) whose bucket holds the fewest selectors so far; else an `in` (filed under each of its
/// values: a pod has one value per key, so it is never found twice); else `exists`/`>`/`<`
/// (filed under the key, verified for every pod that has the key). Selectors without any
/// positive requirement (only `!=`, `notin`, `!`, or the empty selector, which matches every
/// pod) go on their namespace's always-check list. An absent or empty Service selector map
/// matches nothing (the Service is not managed; docs/model.md) and is filed nowhere.
///
/// A query costs O(pod labels + candidates): two hash probes per label in small, hot tables
/// (selector keys and values only), then one verification per candidate.
///
/// Thread safety: concurrent const calls (queries) are safe; writers need exclusive access.
/// A pod's label map must not repeat a key (label_set, std::map and unordered_map never do).
///
/// Example:
///     svcdisc::service_index<std::string> services;
///     services.insert("shop/web", "shop", svcdisc::label_set{{"app", "web"}});
///     services.insert("shop/all", "shop", svcdisc::parse_selector(""));
///     services.for_each_matching("shop", svcdisc::label_set{{"app", "web"}, {"tier", "fe"}},
///                                [](const std::string& key) { /* "shop/web", "shop/all" */ });
template <class Key = std::string, class Hash = index_key_hash<Key>,
          class KeyEqual = index_key_equal<Key>, class Allocator = std::allocator<Key>>
class basic_service_index {
  public:
    using key_type = Key;
    using allocator_type = Allocator;

    /// An empty index.
    explicit basic_service_index(const Allocator& allocator = Allocator())
        : allocator_(allocator), strings_(allocator), entries_(allocator), free_entries_(allocator),
          entry_table_(allocator), buckets_(allocator), free_buckets_(allocator),
          bucket_table_(allocator), key_anchors_(allocator) {}

    // -----------------------------------------------------------------------------------------
    // Writers
    // -----------------------------------------------------------------------------------------

    /// Registers a general label selector under `key` for pods of namespace `ns`; false (and
    /// no change) when `key` is already registered. The empty selector selects every pod of
    /// the namespace; label_selector::nothing() none.
    ///
    /// Example:
    ///     services.insert("pdb/web", "shop", svcdisc::parse_selector("app=web,track!=canary"));
    bool insert(const Key& key, std::string_view ns, label_selector selector) {
        if (find_entry(key) != detail::no_id) {
            return false;
        }
        add(key, ns, std::move(selector));
        return true;
    }

    /// Registers a Service selector map (equality on every entry) under `key`; an empty map
    /// selects nothing (as service_selector_matches).
    template <label_map Labels>
    bool insert(const Key& key, std::string_view ns, const Labels& service_selector) {
        return insert(key, ns, from_service_map(service_selector));
    }

    /// Registers a Service by its namespace and spec.selector (absent or empty: nothing).
    ///
    /// Example:
    ///     services.insert(svc.metadata.namespace_ + "/" + svc.metadata.name, svc);
    template <class String>
    bool insert(const Key& key, const basic_service<String>& svc) {
        return insert(key, std::string_view(svc.metadata.namespace_), selector_of(svc));
    }

    /// Replaces the selector (and namespace) registered under `key`; false when unknown.
    bool update(const Key& key, std::string_view ns, label_selector selector) {
        if (!erase(key)) {
            return false;
        }
        add(key, ns, std::move(selector));
        return true;
    }

    /// update with a Service selector map.
    template <label_map Labels>
    bool update(const Key& key, std::string_view ns, const Labels& service_selector) {
        return update(key, ns, from_service_map(service_selector));
    }

    /// update from a Service object.
    template <class String>
    bool update(const Key& key, const basic_service<String>& svc) {
        return update(key, std::string_view(svc.metadata.namespace_), selector_of(svc));
    }

    /// Unregisters `key`; false when unknown.
    template <detail::lookup_key<Key, Hash, KeyEqual> K>
    bool erase(const K& key) {
        const std::uint32_t e = find_entry(key);
        if (e == detail::no_id) {
            return false;
        }
        entry& victim = entries_[e];
        for (const std::uint32_t b : victim.anchors) {
            unfile(b, e);
        }
        entry_table_.erase(hash_key(victim.key), e, entry_hash_of());
        strings_.release(victim.ns);
        victim = entry(allocator_);
        free_entries_.push_back(e);
        --size_;
        return true;
    }

    /// Number of registered selectors.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

    /// True when `key` is registered.
    template <detail::lookup_key<Key, Hash, KeyEqual> K>
    [[nodiscard]] bool contains(const K& key) const noexcept {
        return find_entry(key) != detail::no_id;
    }

    /// The selector registered under `key`, or null.
    template <detail::lookup_key<Key, Hash, KeyEqual> K>
    [[nodiscard]] const label_selector* find(const K& key) const noexcept {
        const std::uint32_t e = find_entry(key);
        return e == detail::no_id ? nullptr : &entries_[e].selector;
    }

    // -----------------------------------------------------------------------------------------
    // Queries
    // -----------------------------------------------------------------------------------------

    /// Calls `visit(const Key&)` once for every registered selector of namespace `ns` that
    /// selects a pod with `labels`; returns how many. Never allocates.
    ///
    /// Example:
    ///     services.for_each_matching("shop", pod_labels,
    ///                                [&](const std::string& key) { enqueue(key); });
    template <label_map Labels, class Visit>
    std::size_t for_each_matching(std::string_view ns, const Labels& labels, Visit&& visit) const {
        const std::uint32_t n = strings_.find(ns);
        if (n == detail::no_id) {
            return 0;
        }
        std::size_t found = 0;
        const auto check = [&](std::uint32_t b) {
            for (const std::uint32_t e : buckets_[b].entries) {
                const entry& candidate = entries_[e];
                if (candidate.selector.matches(labels)) {
                    ++found;
                    visit(candidate.key);
                }
            }
        };
        const std::uint32_t always = find_bucket(n, detail::no_id, detail::no_id);
        if (always != detail::no_id) {
            check(always);
        }
        for (const auto& [label_key, label_value] : labels) {
            const std::uint32_t k = strings_.find(std::string_view(label_key));
            if (k == detail::no_id) {
                continue;
            }
            if (k < key_anchors_.size() && key_anchors_[k] != 0) {
                const std::uint32_t b = find_bucket(n, k, detail::no_id);
                if (b != detail::no_id) {
                    check(b);
                }
            }
            const std::uint32_t v = strings_.find(std::string_view(label_value));
            if (v != detail::no_id) {
                const std::uint32_t b = find_bucket(n, k, v);
                if (b != detail::no_id) {
                    check(b);
                }
            }
        }
        return found;
    }

    /// for_each_matching for a pod_like object (its namespace and labels).
    template <pod_like Pod, class Visit>
    std::size_t for_each_matching(const Pod& p, Visit&& visit) const {
        return for_each_matching(std::string_view(pod_traits<Pod>::namespace_(p)),
                                 pod_traits<Pod>::labels(p), visit);
    }

    /// Copies the keys of the matching selectors into `out` (as many as fit); returns how many
    /// match.
    template <label_map Labels>
    std::size_t select(std::string_view ns, const Labels& labels, std::span<Key> out) const {
        std::size_t written = 0;
        return for_each_matching(ns, labels, [&](const Key& key) {
            if (written < out.size()) {
                out[written++] = key;
            }
        });
    }

    /// How many registered selectors of `ns` select a pod with `labels`.
    template <label_map Labels>
    [[nodiscard]] std::size_t count(std::string_view ns, const Labels& labels) const {
        return for_each_matching(ns, labels, [](const Key&) {});
    }

    /// Where the memory goes (selectors' own strings come from std::allocator and are
    /// estimated from their sizes).
    [[nodiscard]] index_memory_usage memory_usage() const noexcept {
        index_memory_usage usage;
        usage.strings = strings_.memory_bytes();
        usage.terms = buckets_.capacity() * sizeof(bucket) +
                      free_buckets_.capacity() * sizeof(std::uint32_t) +
                      bucket_table_.memory_bytes() +
                      key_anchors_.capacity() * sizeof(std::uint32_t);
        for (const bucket& b : buckets_) {
            usage.postings += b.entries.capacity() * sizeof(std::uint32_t);
        }
        usage.selectors = entries_.capacity() * sizeof(entry) +
                          free_entries_.capacity() * sizeof(std::uint32_t) +
                          entry_table_.memory_bytes();
        for (const entry& e : entries_) {
            usage.selectors += e.anchors.capacity() * sizeof(std::uint32_t);
            for (const label_requirement& r : e.selector.requirements()) {
                usage.selectors += sizeof(label_requirement) + r.key().size();
                for (const std::string& v : r.values()) {
                    usage.selectors += sizeof(std::string) + v.size();
                }
            }
        }
        return usage;
    }

  private:
    struct entry {
        Key key{};
        label_selector selector;
        std::uint32_t ns = detail::no_id;
        detail::alloc_vector<std::uint32_t, Allocator> anchors; ///< buckets it is filed in

        explicit entry(const Allocator& allocator) : anchors(allocator) {}
    };
    struct bucket {
        detail::alloc_vector<std::uint32_t, Allocator> entries;
        std::uint64_t hash = 0;
        std::uint32_t ns = detail::no_id;
        std::uint32_t key = detail::no_id;   ///< no_id: the namespace's always-check list
        std::uint32_t value = detail::no_id; ///< no_id: anchored on the key alone

        explicit bucket(const Allocator& allocator) : entries(allocator) {}
    };

    template <label_map Labels>
    static label_selector from_service_map(const Labels& service_selector) {
        if (std::begin(service_selector) == std::end(service_selector)) {
            return label_selector::nothing();
        }
        return selector_from_set(service_selector);
    }

    template <class String>
    static label_selector selector_of(const basic_service<String>& svc) {
        return service_has_selector(svc) ? selector_from_set(*svc.spec.selector)
                                         : label_selector::nothing();
    }

    template <class K>
    [[nodiscard]] std::uint64_t hash_key(const K& key) const noexcept {
        return static_cast<std::uint64_t>(Hash{}(key));
    }
    [[nodiscard]] auto entry_hash_of() const noexcept {
        return [this](std::uint32_t e) { return hash_key(entries_[e].key); };
    }
    template <class K>
    [[nodiscard]] std::uint32_t find_entry(const K& key) const noexcept {
        return entry_table_.find(hash_key(key),
                                 [&](std::uint32_t e) { return KeyEqual{}(entries_[e].key, key); });
    }

    [[nodiscard]] std::uint32_t find_bucket(std::uint32_t ns, std::uint32_t key,
                                            std::uint32_t value) const noexcept {
        return bucket_table_.find(detail::term_hash(ns, key, value), [&](std::uint32_t b) {
            const bucket& candidate = buckets_[b];
            return candidate.ns == ns && candidate.key == key && candidate.value == value;
        });
    }

    // The size of the bucket for a requirement value (0 when it does not exist yet).
    [[nodiscard]] std::size_t bucket_load(std::uint32_t ns, std::string_view key,
                                          std::optional<std::string_view> value) const noexcept {
        const std::uint32_t k = strings_.find(key);
        const std::uint32_t v = value ? strings_.find(*value) : detail::no_id;
        if (k == detail::no_id || (value && v == detail::no_id)) {
            return 0;
        }
        const std::uint32_t b = find_bucket(ns, k, v);
        return b == detail::no_id ? 0 : buckets_[b].entries.size();
    }

    void add(const Key& key, std::string_view ns, label_selector selector) {
        const std::uint32_t e = detail::take_slot(entries_, free_entries_, allocator_);
        {
            entry& fresh = entries_[e];
            fresh.key = key;
            fresh.selector = std::move(selector);
            fresh.ns = strings_.acquire(ns);
        }
        entry_table_.insert(hash_key(key), e, entry_hash_of());
        ++size_;
        file(e);
    }

    // Picks the anchor and files entry e there.
    void file(std::uint32_t e) {
        const label_selector& selector = entries_[e].selector;
        const std::uint32_t n = entries_[e].ns;
        if (selector.is_nothing()) {
            return;
        }
        // Cost = selectors that a pod hitting the anchor must also verify. Key anchors are
        // hit by every pod with the key, so they only win when nothing else is possible.
        constexpr std::size_t key_anchor_penalty = std::size_t{1} << 40U;
        const label_requirement* best = nullptr;
        std::size_t best_cost = 0;
        for (const label_requirement& r : selector.requirements()) {
            std::size_t cost = 0;
            switch (r.op()) {
            case selector_operator::equals:
            case selector_operator::double_equals:
            case selector_operator::in:
                cost = r.values().size() - 1; // prefer one-value anchors on ties
                for (const std::string& v : r.values()) {
                    cost += bucket_load(n, r.key(), std::string_view(v));
                }
                break;
            case selector_operator::exists:
            case selector_operator::greater_than:
            case selector_operator::less_than:
                cost = key_anchor_penalty + bucket_load(n, r.key(), std::nullopt);
                break;
            default:
                continue;
            }
            if (best == nullptr || cost < best_cost) {
                best = &r;
                best_cost = cost;
            }
        }
        if (best == nullptr) {
            file_in(e, n, detail::no_id, detail::no_id);
            return;
        }
        const std::uint32_t k = strings_.acquire(best->key());
        switch (best->op()) {
        case selector_operator::equals:
        case selector_operator::double_equals:
        case selector_operator::in:
            for (const std::string& v : best->values()) {
                const std::uint32_t value = strings_.acquire(v);
                file_in(e, n, k, value);
                strings_.release(value);
            }
            break;
        default:
            file_in(e, n, k, detail::no_id);
            break;
        }
        strings_.release(k);
    }

    void file_in(std::uint32_t e, std::uint32_t ns, std::uint32_t key, std::uint32_t value) {
        std::uint32_t b = find_bucket(ns, key, value);
        if (b == detail::no_id) {
            b = detail::take_slot(buckets_, free_buckets_, allocator_);
            bucket& fresh = buckets_[b];
            fresh.hash = detail::term_hash(ns, key, value);
            fresh.ns = ns;
            fresh.key = key;
            fresh.value = value;
            strings_.retain_each({ns, key, value});
            bucket_table_.insert(fresh.hash, b, bucket_hash_of());
            if (key != detail::no_id && value == detail::no_id) {
                if (key >= key_anchors_.size()) {
                    key_anchors_.resize(key + 1, 0);
                }
                ++key_anchors_[key];
            }
        }
        auto& anchors = entries_[e].anchors;
        if (std::find(anchors.begin(), anchors.end(), b) != anchors.end()) {
            return; // `in (a,a)` built with make_requirement keeps duplicates: file once
        }
        buckets_[b].entries.push_back(e);
        anchors.push_back(b);
    }

    void unfile(std::uint32_t b, std::uint32_t e) {
        bucket& from = buckets_[b];
        auto& list = from.entries;
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (list[i] == e) {
                list[i] = list.back();
                list.pop_back();
                break;
            }
        }
        if (!list.empty()) {
            return;
        }
        bucket_table_.erase(from.hash, b, bucket_hash_of());
        if (from.key != detail::no_id && from.value == detail::no_id) {
            --key_anchors_[from.key];
        }
        strings_.release_each({from.ns, from.key, from.value});
        list.shrink_to_fit();
        from.ns = from.key = from.value = detail::no_id;
        free_buckets_.push_back(b);
    }

    [[nodiscard]] auto bucket_hash_of() const noexcept {
        return [this](std::uint32_t b) { return buckets_[b].hash; };
    }

    [[no_unique_address]] Allocator allocator_;
    detail::interner<detail::rebind_alloc<Allocator, char>> strings_;
    detail::alloc_vector<entry, Allocator> entries_;
    detail::alloc_vector<std::uint32_t, Allocator> free_entries_;
    detail::index_table<detail::rebind_alloc<Allocator, std::uint32_t>> entry_table_;
    detail::alloc_vector<bucket, Allocator> buckets_;
    detail::alloc_vector<std::uint32_t, Allocator> free_buckets_;
    detail::index_table<detail::rebind_alloc<Allocator, std::uint32_t>> bucket_table_;
    /// Per key string id: how many key-anchored buckets use it (skip the probe when 0).
    detail::alloc_vector<std::uint32_t, Allocator> key_anchors_;
    std::size_t size_ = 0;
};

/// The service index with default hashing and allocation.
template <class Key = std::string>
using service_index = basic_service_index<Key>;

} // namespace svcdisc
