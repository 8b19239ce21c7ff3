#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/labels.hpp>
#include <svcdisc/selector.hpp>
#include <svcdisc/selector_index.hpp>
#include <svcdisc/service_index.hpp>
#include <svcdisc/synthetic_cluster.hpp>

// The indexes of docs/indexes.md against brute force: after random inserts, updates and erases
// (fixed seeds), every query equals a linear scan with label_selector::matches (inserts, full
// updates, single-label changes), and the service index equals testing every registered selector.

namespace {

using svcdisc::label_set;
using rng = svcdisc::splitmix64;

// A small universe so that values collide, keys repeat and every operator finds something.
// "all" is put on every pod; "" is a real value; numbers follow Go's ParseInt rules (pods may
// carry "+3" and "-2", which no selector can spell, and an int64 overflow that is no number).
const std::vector<std::string> keys{"app", "tier", "version", "x.io/name", "canary", "n"};
const std::vector<std::string> values{
    "", "a", "b", "web", "3", "007", "x1", "12", "9223372036854775807", "9223372036854775808"};
const std::vector<std::string> pod_values{"",   "a",   "web", "3",  "+3",
                                          "-2", "007", "12",  "x1", "9223372036854775808"};
const std::vector<std::string> numbers{"0", "2", "3", "7", "12", "100"};
const std::vector<std::string> namespaces{"ns-a", "ns-b", "ns-c"};

label_set random_labels(rng& random) {
    label_set labels;
    labels.insert_or_assign("all", "yes");
    const std::size_t n = random.below(5);
    for (std::size_t i = 0; i < n; ++i) {
        labels.insert_or_assign(keys[random.below(keys.size())],
                                pod_values[random.below(pod_values.size())]);
    }
    if (random.chance(0.05)) {
        labels.clear(); // a pod with no labels at all
    }
    return labels;
}

std::string random_values(rng& random) {
    std::string out = "(";
    const std::size_t n = random.below(3); // 0 gives "()" = {""}
    for (std::size_t i = 0; i < n; ++i) {
        out += (i != 0 ? "," : "") + values[random.below(values.size())];
    }
    return out + ")";
}

// Any operator, any key (including one no pod has), 0–3 requirements.
svcdisc::label_selector random_selector(rng& random) {
    if (random.chance(0.03)) {
        return svcdisc::label_selector::nothing();
    }
    std::string text;
    const std::size_t n = random.below(4);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string key = random.chance(0.1)   ? "missing"
                                : random.chance(0.1) ? "all"
                                                     : keys[random.below(keys.size())];
        const std::string value = values[random.below(values.size())];
        std::string req;
        switch (random.below(9)) {
        case 0:
            req = key;
            break;
        case 1:
            req = "!" + key;
            break;
        case 2:
            req = key + "=" + value;
            break;
        case 3:
            req = key + "==" + value;
            break;
        case 4:
            req = key + "!=" + value;
            break;
        case 5:
            req = key + " in " + random_values(random);
            break;
        case 6:
            req = key + " notin " + random_values(random);
            break;
        case 7:
            req = key + ">" + numbers[random.below(numbers.size())];
            break;
        default:
            req = key + "<" + numbers[random.below(numbers.size())];
            break;
        }
        text += (i != 0 ? "," : "") + req;
    }
    auto parsed = svcdisc::try_parse_selector(text);
    REQUIRE_MESSAGE(parsed.has_value(), text);
    return *parsed;
}

struct reference_pod {
    std::string ns;
    label_set labels;
};

template <class Index>
void check_queries(const Index& index, const std::map<std::string, reference_pod>& pods,
                   rng& random, int queries) {
    for (int q = 0; q < queries; ++q) {
        const svcdisc::label_selector selector = random_selector(random);
        const std::string& ns = namespaces[random.below(namespaces.size())];
        std::vector<std::string> expected;
        std::vector<std::string> expected_all;
        for (const auto& [name, p] : pods) {
            if (selector.matches(p.labels)) {
                expected_all.push_back(name);
                if (p.ns == ns) {
                    expected.push_back(name);
                }
            }
        }
        std::vector<std::string> got;
        const std::size_t reported =
            index.for_each(ns, selector, [&](const std::string& key) { got.push_back(key); });
        std::sort(got.begin(), got.end());
        INFO("selector: " << svcdisc::to_string(selector) << " in " << ns);
        CHECK(got == expected);
        CHECK(reported == expected.size());
        CHECK(index.count(ns, selector) == expected.size());
        CHECK(index.count(svcdisc::all_namespaces, selector) == expected_all.size());
        std::vector<std::string> got_all;
        index.for_each(svcdisc::all_namespaces, selector,
                       [&](const std::string& key) { got_all.push_back(key); });
        std::sort(got_all.begin(), got_all.end());
        CHECK(got_all == expected_all);

        // A Service map built from the same universe; empty selects nothing.
        label_set service_map;
        const std::size_t entries = random.below(3);
        for (std::size_t i = 0; i < entries; ++i) {
            service_map.insert_or_assign(keys[random.below(keys.size())],
                                         values[random.below(values.size())]);
        }
        std::size_t expected_map = 0;
        for (const auto& [name, p] : pods) {
            if (p.ns == ns && !service_map.empty() &&
                svcdisc::service_selector_matches(service_map, p.labels)) {
                ++expected_map;
            }
        }
        CHECK(index.count(ns, service_map) == expected_map);

        // Testing one pod agrees with matching its labels.
        if (!pods.empty()) {
            auto it = pods.begin();
            std::advance(it, static_cast<std::ptrdiff_t>(random.below(pods.size())));
            CHECK(index.matches(it->first, selector) == selector.matches(it->second.labels));
        }
    }
}

// Every key collides: the hash tables must still be exact.
struct colliding_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view) const noexcept { return 7; }
};

template <class Index>
void random_churn(std::uint64_t seed, int steps, int queries_every) {
    rng random(seed);
    Index index;
    std::map<std::string, reference_pod> pods;
    for (int step = 0; step < steps; ++step) {
        const std::string name = "pod-" + std::to_string(random.below(300));
        const double action = random.unit();
        const auto found = pods.find(name);
        if (action < 0.5) {
            const reference_pod p{namespaces[random.below(namespaces.size())],
                                  random_labels(random)};
            CHECK(index.insert(name, p.ns, p.labels) == (found == pods.end()));
            pods.emplace(name, p);
        } else if (action < 0.8) {
            const label_set labels = random_labels(random);
            CHECK(index.update(name, labels) == (found != pods.end()));
            if (found != pods.end()) {
                found->second.labels = labels;
            }
        } else if (action < 0.87) {
            const std::string& key = keys[random.below(keys.size())];
            const std::string& value = pod_values[random.below(pod_values.size())];
            CHECK(index.assign_label(name, key, value) == (found != pods.end()));
            if (found != pods.end()) {
                found->second.labels.insert_or_assign(key, value);
            }
        } else if (action < 0.92) {
            const std::string& key = keys[random.below(keys.size())];
            const bool had = found != pods.end() && found->second.labels.contains(key);
            CHECK(index.erase_label(name, key) == had);
            if (had) {
                found->second.labels.erase(key);
            }
        } else {
            CHECK(index.erase(name) == (found != pods.end()));
            if (found != pods.end()) {
                pods.erase(found);
            }
        }
        CHECK(index.size() == pods.size());
        if (step % queries_every == queries_every - 1) {
            check_queries(index, pods, random, 20);
        }
    }
    // Erase everything: nothing may be left behind.
    for (const auto& [name, p] : pods) {
        CHECK(index.erase(name));
    }
    CHECK(index.empty());
    CHECK(index.namespace_count() == 0);
    CHECK(index.count(svcdisc::all_namespaces, svcdisc::label_selector()) == 0);
}

// insert_many against insert one by one: random pods (names repeat, so some are skipped
// whether they are already indexed or only earlier in the same call; labels may repeat a key)
// handed out from buffers that every call overwrites, over a count that ends mid-batch.
template <class Index>
void insert_many_equals_inserts(std::uint64_t seed, std::size_t count) {
    rng random(seed);
    using pairs = std::vector<std::pair<std::string, std::string>>;
    std::vector<std::string> names;
    std::vector<std::string> pod_namespaces;
    std::vector<pairs> pod_labels;
    for (std::size_t i = 0; i < count; ++i) {
        names.push_back("pod-" + std::to_string(random.below(count / 2)));
        pod_namespaces.push_back(namespaces[random.below(namespaces.size())]);
        pairs labels;
        for (const auto& [k, v] : random_labels(random)) {
            labels.emplace_back(k, v);
        }
        if (random.chance(0.1) && !labels.empty()) {
            labels.emplace_back(labels.front().first, "repeated");
        }
        pod_labels.push_back(std::move(labels));
    }

    Index one_by_one;
    std::map<std::string, reference_pod> pods;
    std::size_t inserted = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (one_by_one.insert(names[i], pod_namespaces[i], pod_labels[i])) {
            ++inserted;
            reference_pod& p = pods[names[i]];
            p.ns = pod_namespaces[i];
            for (const auto& [k, v] : pod_labels[i]) {
                if (!p.labels.contains(k)) {
                    p.labels.insert_or_assign(k, v);
                }
            }
        }
    }

    Index bulk;
    std::string ns_buffer;
    pairs labels_buffer;
    const std::size_t added = bulk.insert_many(count, [&](std::size_t i) {
        ns_buffer = pod_namespaces[i];
        labels_buffer = pod_labels[i];
        return std::tuple(names[i], std::string_view(ns_buffer), std::span(labels_buffer));
    });
    CHECK(added == inserted);
    CHECK(bulk.size() == one_by_one.size());
    CHECK(bulk.namespace_count() == one_by_one.namespace_count());
    for (const auto& [name, p] : pods) {
        CHECK(bulk.namespace_of(name) == p.ns);
        label_set labels;
        bulk.for_each_label(
            name, [&](std::string_view k, std::string_view v) { labels.insert_or_assign(k, v); });
        CHECK(labels == p.labels);
    }
    check_queries(bulk, pods, random, 200);
    for (const auto& [name, p] : pods) {
        CHECK(bulk.erase(name));
    }
    CHECK(bulk.empty());
    CHECK(bulk.namespace_count() == 0);
}

} // namespace

TEST_CASE("insert_many equals inserting the pods one by one") {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        insert_many_equals_inserts<svcdisc::selector_index<>>(seed, 700 + seed * 3);
    }
    insert_many_equals_inserts<
        svcdisc::basic_selector_index<std::string, colliding_hash, std::equal_to<>>>(5, 301);
}

TEST_CASE("selector_index equals a linear scan after random churn (seeds 1-4)") {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        random_churn<svcdisc::selector_index<>>(seed, 1500, 100);
    }
}

TEST_CASE("selector_index stays exact when every key collides in the hash") {
    random_churn<svcdisc::basic_selector_index<std::string, colliding_hash, std::equal_to<>>>(
        99, 600, 100);
}

TEST_CASE("selector_index equals a scan on a synthetic cluster spanning chunks and bitsets") {
    svcdisc::cluster_options options;
    options.seed = 7;
    options.pods = 70'000; // two 65,536-id chunks; common values become bitsets
    options.services = 300;
    options.namespaces = 3;
    const svcdisc::synthetic_cluster cluster(options);
    svcdisc::selector_index<std::uint32_t> index;
    svcdisc::label_buffer buffer;
    // Pods keep the generator's labels, except the re-inserted ones (see below).
    std::map<std::size_t, label_set> changed;
    // The first half one by one, the rest in bulk.
    const std::size_t half = cluster.pod_count() / 2;
    for (std::size_t i = 0; i < half; ++i) {
        index.insert(static_cast<std::uint32_t>(i), cluster.pod_namespace(i),
                     cluster.labels(i, buffer));
    }
    CHECK(index.insert_many(cluster.pod_count() - half, [&](std::size_t i) {
        return std::tuple(static_cast<std::uint32_t>(half + i), cluster.pod_namespace(half + i),
                          cluster.labels(half + i, buffer));
    }) == cluster.pod_count() - half);
    // Churn a third of the pods so that ids are reused and chunks convert back to arrays.
    rng random(11);
    for (std::size_t i = 0; i < cluster.pod_count(); i += 3) {
        index.erase(static_cast<std::uint32_t>(i));
    }
    for (std::size_t i = 0; i < cluster.pod_count(); i += 6) {
        label_set& labels = changed[i] = cluster.label_set_of(i);
        labels.insert_or_assign("version", "v" + std::to_string(random.below(3)));
        index.insert(static_cast<std::uint32_t>(i), cluster.pod_namespace(i), labels);
    }
    const auto alive = [](std::size_t i) { return i % 3 != 0 || i % 6 == 0; };
    const auto selects = [&](const svcdisc::label_selector& selector, std::size_t i) {
        const auto it = changed.find(i);
        return it != changed.end() ? selector.matches(it->second)
                                   : selector.matches(cluster.labels(i, buffer));
    };
    const std::vector<std::string> selectors{
        "",      "env=prod",           "tier in (frontend,backend),env!=dev",
        "!team", "version notin (v1)", "generation>25,tier=backend",
        "team",  "generation<3",       "env=prod,tier=cache,team=team-0"};
    for (const std::string& text : selectors) {
        const auto selector = svcdisc::parse_selector(text);
        std::map<std::string_view, std::size_t> expected;
        for (std::size_t i = 0; i < cluster.pod_count(); ++i) {
            if (alive(i) && selects(selector, i)) {
                ++expected[cluster.pod_namespace(i)];
            }
        }
        for (const std::string& ns : cluster.namespaces()) {
            INFO(text << " in " << ns);
            CHECK(index.count(ns, selector) == expected[ns]);
            std::size_t walked = 0;
            bool all_match = true;
            index.for_each(ns, selector, [&](std::uint32_t key) {
                all_match = all_match && alive(key) && selects(selector, key);
                ++walked;
            });
            CHECK(all_match);
            CHECK(walked == expected[ns]);
        }
    }
}

TEST_CASE("selector_index equals a scan on dense chunks: bitset and array intersections") {
    // Periodic labels over 200,000 pods in one namespace: common values are bitsets in every
    // chunk, "m40" values are arrays, and their conjunctions are dense or sparse; negatives and
    // missing keys ("opt") are bitsets or arrays too.
    constexpr std::uint32_t pod_count = 200'000;
    svcdisc::selector_index<std::uint32_t> index;
    std::vector<label_set> labels(pod_count);
    for (std::uint32_t i = 0; i < pod_count; ++i) {
        label_set& l = labels[i];
        l.insert_or_assign("m2", std::to_string(i % 2));
        l.insert_or_assign("m3", std::to_string(i % 3));
        l.insert_or_assign("m7", std::to_string((i / 5) % 7));
        l.insert_or_assign("m40", std::to_string((i * 13) % 40));
        if (i % 4 != 0) {
            l.insert_or_assign("opt", std::to_string(i % 11 == 0));
        }
        index.insert(i, "ns", l);
    }
    const std::vector<std::string> requirements{
        "m2=0",   "m2!=1",       "m3=1",  "m3 in (0,2)", "m3 notin (1)",
        "m7=3",   "m7 in (1,2)", "m7!=0", "m40=7",       "m40 in (1,9)",
        "m40!=3", "opt",         "!opt",  "opt=1",       "opt notin (1)"};
    rng random(23);
    for (int q = 0; q < 120; ++q) {
        std::string text;
        const std::size_t n = 1 + random.below(4);
        for (std::size_t i = 0; i < n; ++i) {
            text += (i != 0 ? "," : "") + requirements[random.below(requirements.size())];
        }
        const auto selector = svcdisc::parse_selector(text);
        std::vector<std::uint32_t> expected;
        for (std::uint32_t i = 0; i < pod_count; ++i) {
            if (selector.matches(labels[i])) {
                expected.push_back(i);
            }
        }
        std::vector<std::uint32_t> got;
        const std::size_t reported =
            index.for_each("ns", selector, [&](std::uint32_t key) { got.push_back(key); });
        INFO(text);
        CHECK(got == expected); // in increasing order, each once
        CHECK(reported == expected.size());
        CHECK(index.count("ns", selector) == expected.size());
    }
}

TEST_CASE("service_index equals testing every selector after random churn") {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        rng random(seed);
        svcdisc::service_index<> index;
        struct registered {
            std::string ns;
            svcdisc::label_selector selector;
        };
        std::map<std::string, registered> reference;
        for (int step = 0; step < 1500; ++step) {
            const std::string name = "svc-" + std::to_string(random.below(200));
            const std::string& ns = namespaces[random.below(namespaces.size())];
            const auto found = reference.find(name);
            const double action = random.unit();
            if (action < 0.75) {
                svcdisc::label_selector selector;
                if (random.chance(0.5)) {
                    label_set service_map;
                    const std::size_t entries = random.below(4); // 0: selects nothing
                    for (std::size_t i = 0; i < entries; ++i) {
                        service_map.insert_or_assign(keys[random.below(keys.size())],
                                                     values[random.below(values.size())]);
                    }
                    selector = service_map.empty() ? svcdisc::label_selector::nothing()
                                                   : svcdisc::selector_from_set(service_map);
                    if (found == reference.end()) {
                        CHECK(index.insert(name, ns, service_map));
                    } else {
                        CHECK(index.update(name, ns, service_map));
                    }
                } else {
                    selector = random_selector(random);
                    if (found == reference.end()) {
                        CHECK(index.insert(name, ns, selector));
                    } else {
                        CHECK(index.update(name, ns, selector));
                    }
                }
                reference[name] = registered{ns, selector};
            } else {
                CHECK(index.erase(name) == (found != reference.end()));
                if (found != reference.end()) {
                    reference.erase(found);
                }
            }
            CHECK(index.size() == reference.size());
            if (step % 50 == 49) {
                for (int q = 0; q < 20; ++q) {
                    const label_set labels = random_labels(random);
                    const std::string& pod_ns = namespaces[random.below(namespaces.size())];
                    std::vector<std::string> expected;
                    for (const auto& [key, r] : reference) {
                        if (r.ns == pod_ns && r.selector.matches(labels)) {
                            expected.push_back(key);
                        }
                    }
                    std::vector<std::string> got;
                    index.for_each_matching(pod_ns, labels,
                                            [&](const std::string& key) { got.push_back(key); });
                    std::sort(got.begin(), got.end());
                    CHECK(got == expected);
                }
            }
        }
    }
}

TEST_CASE("service_index equals testing every Service of a synthetic cluster") {
    svcdisc::cluster_options options;
    options.seed = 5;
    options.pods = 3000;
    options.services = 600;
    options.namespaces = 4;
    const svcdisc::synthetic_cluster cluster(options);
    svcdisc::service_index<std::uint32_t> index;
    std::vector<svcdisc::service> services;
    for (std::size_t j = 0; j < cluster.services().size(); ++j) {
        services.push_back(cluster.make_service(j));
        index.insert(static_cast<std::uint32_t>(j), services.back());
    }
    svcdisc::label_buffer buffer;
    for (std::size_t i = 0; i < cluster.pod_count(); i += 7) {
        const auto labels = cluster.label_set_of(i);
        std::vector<std::uint32_t> expected;
        for (std::size_t j = 0; j < cluster.services().size(); ++j) {
            const svcdisc::service& svc = services[j];
            if (svc.metadata.namespace_ == cluster.pod_namespace(i) &&
                svcdisc::service_has_selector(svc) &&
                svcdisc::service_selector_matches(*svc.spec.selector, labels)) {
                expected.push_back(static_cast<std::uint32_t>(j));
            }
        }
        std::vector<std::uint32_t> got;
        index.for_each_matching(cluster.pod_namespace(i), cluster.labels(i, buffer),
                                [&](std::uint32_t key) { got.push_back(key); });
        std::sort(got.begin(), got.end());
        CHECK(got == expected);
    }
}

// The test suite becomes the ctest label `concurrency`, the tests the tsan preset runs.
TEST_CASE("concurrent queries on a shared index give the single-threaded answers" *
          doctest::test_suite("concurrency")) {
    svcdisc::cluster_options options;
    options.seed = 9;
    options.pods = 70'000; // two chunks: arrays, bitsets and sparse/dense passes all run
    options.services = 300;
    options.namespaces = 2;
    const svcdisc::synthetic_cluster cluster(options);
    svcdisc::selector_index<std::uint32_t> pods;
    svcdisc::service_index<std::uint32_t> services;
    svcdisc::label_buffer buffer;
    for (std::size_t i = 0; i < cluster.pod_count(); ++i) {
        pods.insert(static_cast<std::uint32_t>(i), cluster.pod_namespace(i),
                    cluster.labels(i, buffer));
    }
    for (std::size_t j = 0; j < cluster.services().size(); ++j) {
        services.insert(static_cast<std::uint32_t>(j), cluster.make_service(j));
    }
    std::vector<svcdisc::label_selector> selectors;
    for (const char* text : {"", "env=prod", "tier in (frontend,backend),env!=dev", "!team",
                             "generation>25,tier=backend", "env=prod,tier=cache,team=team-0"}) {
        selectors.push_back(svcdisc::parse_selector(text));
    }
    // One thread's answers: a checksum of counts and keys per query kind.
    const auto run = [&] {
        std::uint64_t sum = 0;
        for (const auto& selector : selectors) {
            for (const std::string& ns : cluster.namespaces()) {
                sum = sum * 31 + pods.count(ns, selector);
                pods.for_each(ns, selector, [&](std::uint32_t key) { sum += key; });
            }
        }
        svcdisc::label_buffer labels;
        for (std::size_t i = 0; i < cluster.pod_count(); i += 97) {
            services.for_each_matching(cluster.pod_namespace(i), cluster.labels(i, labels),
                                       [&](std::uint32_t key) { sum = sum * 7 + key; });
        }
        return sum;
    };
    const std::uint64_t expected = run();
    constexpr std::size_t threads = 4;
    std::vector<std::uint64_t> got(threads);
    {
        std::vector<std::jthread> workers;
        for (std::size_t t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] { got[t] = run(); });
        }
    }
    for (const std::uint64_t sum : got) {
        CHECK(sum == expected);
    }
}
