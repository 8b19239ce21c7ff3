#pragma once

/// Pods by labels (the question Kubernetes' pod lister answers with a selector, without
/// scanning pods; docs/indexes.md):
///
///   basic_selector_index<Key, Hash, KeyEqual, Allocator>, selector_index<Key>
///     insert / insert_many / update / assign_label / erase_label / erase /
///     clear / reserve                                                           writers
///     for_each / select / count (label_selector or Service selector map)       queries
///     matches / contains / namespace_of / for_each_label / memory_usage        per pod
///   all_namespaces, index_memory_usage (detail/index/keys.hpp)
///
/// The storage engine is detail::selector_index_engine (detail/index/).

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <svcdisc/detail/index/keys.hpp>
#include <svcdisc/detail/index/selector_index_engine.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/selector.hpp>

namespace svcdisc {

/// Pods by labels: answers "which pods does this selector select?" from an inverted index,
/// without scanning pods.
///
/// Each pod is identified by a `Key` (a name, a uid, your own integer …) and lives in one
/// namespace. Internally a pod gets a dense id (freed ids are reused); label keys, values and
/// namespaces are interned; every (namespace, key, value) and (namespace, key) has a posting
/// list of pod ids stored like a Roaring bitmap (sorted u16 arrays for rare values, 8 KiB
/// bitsets per 65,536 ids for common ones). A query intersects the positive requirements'
/// lists driven by the smallest one, subtracts `!=`, `notin` and `!`, and answers `>`/`<` from
/// each key's sorted list of integer values (Go int64 rules; non-numeric values never match).
///
/// Costs: insert/erase O(labels), a label change O(changed labels), each at most a 8 KiB
/// memmove; a query O(size of the smallest positive list), never O(pods). Queries never allocate
/// (a selector with more than 32 values in its `in`/`>`/`<` sets or more than 16 requirements
/// uses a small heap buffer).
///
/// Thread safety: like a standard container. Any number of threads may call const members
/// (queries) at once; a writer (insert, update, erase, clear) needs exclusive access.
///
/// Matches are reported in an unspecified order (the index's internal id order, namespace by
/// namespace for all_namespaces).
///
/// Example:
///     svcdisc::selector_index<std::string> index;
///     index.insert("web-1", "default", svcdisc::label_set{{"app", "web"}, {"tier", "fe"}});
///     index.insert("db-1", "default", svcdisc::label_set{{"app", "db"}});
///     auto selector = svcdisc::parse_selector("app in (web,api),tier!=be");
///     index.for_each("default", selector, [](const std::string& key) { /* "web-1" */ });
///     index.count("default", svcdisc::label_set{{"app", "db"}});  // 1 (a Service map)
template <class Key = std::string, class Hash = index_key_hash<Key>,
          class KeyEqual = index_key_equal<Key>, class Allocator = std::allocator<Key>>
class basic_selector_index : private detail::selector_index_engine<Key, Hash, KeyEqual, Allocator> {
    using engine = detail::selector_index_engine<Key, Hash, KeyEqual, Allocator>;

  public:
    using key_type = Key;
    using hasher = Hash;
    using key_equal = KeyEqual;
    using allocator_type = Allocator;

    /// An empty index.
    explicit basic_selector_index(const Allocator& allocator = Allocator()) : engine(allocator) {}

    // -----------------------------------------------------------------------------------------
    // Writers
    // -----------------------------------------------------------------------------------------

    /// Adds pod `key` in namespace `ns` with `labels`; false (and no change) when `key` is
    /// already indexed. When `labels` repeats a key the first value counts, as in matching.
    ///
    /// Example:
    ///     index.insert("web-1", "default", svcdisc::label_set{{"app", "web"}});
    template <label_map Labels>
    bool insert(const Key& key, std::string_view ns, const Labels& labels) {
        return engine::insert(key, ns, labels);
    }

    /// Adds a pod_like object under `key`: its namespace and labels through pod_traits.
    ///
    /// Example:
    ///     index.insert(p.metadata.name, p);
    template <pod_like Pod>
    bool insert(const Key& key, const Pod& p) {
        return engine::insert(key, std::string_view(pod_traits<Pod>::namespace_(p)),
                              pod_traits<Pod>::labels(p));
    }

    /// Adds `count` pods as insert(key, ns, labels) would one after another, where
    /// `auto&& [key, ns, labels] = pod_at(i)` for i = 0, 1, …, count - 1: `key` converts to
    /// Key, `ns` to std::string_view and `labels` is a label_map. What pod_at returns needs to
    /// live only until its next call (the index copies what it still needs). Returns how many
    /// pods were added; a key already indexed, or repeated among the pods, is skipped as
    /// insert skips it. Should pod_at throw, the pods of the batches before its call stay
    /// added and no later pod is.
    ///
    /// Faster than insert in a loop when building or loading a large index: pods are looked
    /// up a batch at a time, so that the cache misses of different pods overlap instead of
    /// each insert waiting for its own.
    ///
    /// Example:
    ///     svcdisc::label_buffer buffer;
    ///     index.reserve(cluster.pod_count());
    ///     index.insert_many(cluster.pod_count(), [&](std::size_t i) {
    ///         return std::tuple(static_cast<std::uint32_t>(i), cluster.pod_namespace(i),
    ///                           cluster.labels(i, buffer));
    ///     });
    template <class PodAt>
    std::size_t insert_many(std::size_t count, PodAt&& pod_at) {
        return engine::insert_many(count, pod_at);
    }

    /// Replaces the labels of pod `key` (its namespace stays); false when `key` is unknown.
    /// Costs O(labels) plus posting work for the labels that changed only.
    ///
    /// Example:
    ///     index.update("web-1", svcdisc::label_set{{"app", "web"}, {"version", "2"}});
    template <detail::lookup_key<Key, Hash, KeyEqual> K, label_map Labels>
    bool update(const K& key, const Labels& labels) {
        return engine::update(key, labels);
    }

    /// Replaces the labels of pod `key` with those of a pod_like object.
    template <pod_like Pod>
    bool update(const Key& key, const Pod& p) {
        return engine::update(key, pod_traits<Pod>::labels(p));
    }

    /// Sets one label of pod `key` (adding the key when the pod lacks it): the cheap path for
    /// a single label change, O(pod labels) plus two posting updates. False when the pod is
    /// unknown.
    ///
    /// Example:
    ///     index.assign_label("web-1", "version", "v2");
    template <detail::lookup_key<Key, Hash, KeyEqual> K>
    bool assign_label(const K& key, std::string_view label_key, std::string_view value) {
        return engine::assign_label(key, label_key, value);
    }

    /// Removes one label of pod `key`; false when the pod is unknown or lacks the label.
    template <detail::lookup_key<Key, Hash, KeyEqual> K>
    bool erase_label(const K& key, std::string_view label_key) {
        return engine::erase_label(key, label_key);
    }

    /// Removes pod `key`; false when it is unknown.
    template <detail::lookup_key<Key, Hash, KeyEqual> K>
    bool erase(const K& key) {
        return engine::erase(key);
    }

    /// Removes every pod.
    void clear() { engine::clear(); }

    /// Makes room for `pods` pods, so that building a large index does not rehash.
    void reserve(std::size_t pods) { engine::reserve(pods); }

    // -----------------------------------------------------------------------------------------
    // Pods
    // -----------------------------------------------------------------------------------------

    /// Number of pods.
    [[nodiscard]] std::size_t size() const noexcept { return engine::size(); }
    [[nodiscard]] bool empty() const noexcept { return engine::empty(); }

    /// True when pod `key` is indexed.
    template <detail::lookup_key<Key, Hash, KeyEqual> K>
    [[nodiscard]] bool contains(const K& key) const noexcept {
        return engine::contains(key);
    }

    /// The namespace of pod `key` ("" when unknown).
    template <detail::lookup_key<Key, Hash, KeyEqual> K>
    [[nodiscard]] std::string_view namespace_of(const K& key) const noexcept {
        return engine::namespace_of(key);
    }

    /// Calls `visit(key, value)` (two string_views) for each label of pod `key`, ordered by
    /// interned key id (not alphabetically); false when the pod is unknown.
    template <detail::lookup_key<Key, Hash, KeyEqual> K, class Visit>
    bool for_each_label(const K& key, Visit&& visit) const {
        return engine::for_each_label(key, visit);
    }

    /// True when pod `key` exists and `selector` selects it.
    template <detail::lookup_key<Key, Hash, KeyEqual> K>
    [[nodiscard]] bool matches(const K& key, const label_selector& selector) const {
        return engine::matches(key, selector);
    }

    /// True when pod `key` exists and the Service selector map `service_selector` selects it
    /// (service_selector_matches: an empty map selects nothing).
    template <detail::lookup_key<Key, Hash, KeyEqual> K, label_map Labels>
    [[nodiscard]] bool matches(const K& key, const Labels& service_selector) const {
        return engine::matches(key, service_selector);
    }

    // -----------------------------------------------------------------------------------------
    // Queries
    // -----------------------------------------------------------------------------------------

    /// Calls `visit(const Key&)` for every pod of namespace `ns` that `selector` selects (an
    /// empty selector selects every pod of the namespace). Never allocates for ordinary
    /// selectors. Returns the number of matches.
    ///
    /// Example:
    ///     index.for_each("shop", svcdisc::parse_selector("app=web,version>3"),
    ///                    [&](const std::string& pod_name) { names.push_back(pod_name); });
    template <class Visit>
    std::size_t for_each(std::string_view ns, const label_selector& selector, Visit&& visit) const {
        return engine::for_each(ns, selector, visit);
    }

    /// for_each over every namespace.
    template <class Visit>
    std::size_t for_each(all_namespaces_t, const label_selector& selector, Visit&& visit) const {
        return engine::for_each(all_namespaces, selector, visit);
    }

    /// Calls `visit(const Key&)` for every pod of `ns` that a Service selector map selects:
    /// every entry present with an equal value. An empty map selects nothing (an empty or
    /// absent Service selector means the Service is not managed; docs/model.md).
    template <label_map Labels, class Visit>
    std::size_t for_each(std::string_view ns, const Labels& service_selector, Visit&& visit) const {
        return engine::for_each(ns, service_selector, visit);
    }

    /// for_each with a Service selector map over every namespace.
    template <label_map Labels, class Visit>
    std::size_t for_each(all_namespaces_t, const Labels& service_selector, Visit&& visit) const {
        return engine::for_each(all_namespaces, service_selector, visit);
    }

    /// Copies the keys of the matching pods into `out` (as many as fit) and returns how many
    /// pods match, like snprintf: a result larger than out.size() means the buffer was short.
    /// `Selector` is a label_selector or a Service selector map; `Namespace` a namespace or
    /// all_namespaces.
    ///
    /// Example:
    ///     std::vector<std::string> buffer(1024);
    ///     auto n = index.select("default", selector, std::span(buffer));
    template <class Namespace, class Selector>
    std::size_t select(const Namespace& ns, const Selector& selector, std::span<Key> out) const {
        return engine::select(ns, selector, out);
    }

    /// The number of pods of `ns` that `selector` selects; bitset chunks are popcounted, not
    /// walked.
    ///
    /// Example:
    ///     index.count("default", svcdisc::parse_selector("!canary"));
    [[nodiscard]] std::size_t count(std::string_view ns, const label_selector& selector) const {
        return engine::count(ns, selector);
    }

    /// count over every namespace.
    [[nodiscard]] std::size_t count(all_namespaces_t, const label_selector& selector) const {
        return engine::count(all_namespaces, selector);
    }

    /// The number of pods of `ns` a Service selector map selects (0 for an empty map).
    template <label_map Labels>
    [[nodiscard]] std::size_t count(std::string_view ns, const Labels& service_selector) const {
        return engine::count(ns, service_selector);
    }

    /// count with a Service selector map over every namespace.
    template <label_map Labels>
    [[nodiscard]] std::size_t count(all_namespaces_t, const Labels& service_selector) const {
        return engine::count(all_namespaces, service_selector);
    }

    /// Number of namespaces that hold at least one pod.
    [[nodiscard]] std::size_t namespace_count() const noexcept { return engine::namespace_count(); }

    /// Where the memory goes (bytes obtained from the allocator, capacity included).
    [[nodiscard]] index_memory_usage memory_usage() const noexcept {
        return engine::memory_usage();
    }
};

/// The selector index with default hashing and allocation, e.g. `selector_index<>` keyed by pod
/// name or `selector_index<std::uint32_t>` keyed by your own pod numbers.
template <class Key = std::string>
using selector_index = basic_selector_index<Key>;

} // namespace svcdisc
