#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/labels.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/selector.hpp>
#include <svcdisc/selector_index.hpp>

#include "counting_new.hpp"

// The selector index (pods for a selector; docs/indexes.md). Each test names the rule it checks;
// index_property_test.cpp compares everything against a linear scan on random clusters.

namespace {

using svcdisc::label_set;
using svcdisc::parse_selector;

std::vector<std::string> names(const svcdisc::selector_index<>& index, std::string_view ns,
                               std::string_view selector) {
    std::vector<std::string> out;
    index.for_each(ns, parse_selector(selector),
                   [&](const std::string& key) { out.push_back(key); });
    std::sort(out.begin(), out.end());
    return out;
}

svcdisc::selector_index<> small_index() {
    svcdisc::selector_index<> index;
    index.insert("web-1", "shop", label_set{{"app", "web"}, {"tier", "fe"}, {"version", "3"}});
    index.insert("web-2", "shop", label_set{{"app", "web"}, {"tier", "fe"}, {"version", "12"}});
    index.insert("api-1", "shop", label_set{{"app", "api"}, {"tier", "be"}, {"version", "+7"}});
    index.insert("db-1", "shop", label_set{{"app", "db"}, {"version", "x9"}, {"canary", ""}});
    index.insert("bare", "shop", label_set{});
    index.insert("web-9", "other", label_set{{"app", "web"}});
    return index;
}

} // namespace

TEST_CASE("equality, in and exists select by label, as Requirement.Matches") {
    const auto index = small_index();
    CHECK(names(index, "shop", "app=web") == std::vector<std::string>{"web-1", "web-2"});
    CHECK(names(index, "shop", "app==api") == std::vector<std::string>{"api-1"});
    CHECK(names(index, "shop", "app in (api,db)") == std::vector<std::string>{"api-1", "db-1"});
    CHECK(names(index, "shop", "tier") == std::vector<std::string>{"api-1", "web-1", "web-2"});
    CHECK(names(index, "shop", "canary") == std::vector<std::string>{"db-1"});
    CHECK(names(index, "shop", "canary=") == std::vector<std::string>{"db-1"});
    CHECK(names(index, "shop", "app=nope").empty());
    CHECK(names(index, "shop", "nokey=x").empty());
}

TEST_CASE("!=, notin and ! match pods without the key, as Requirement.Matches") {
    const auto index = small_index();
    CHECK(names(index, "shop", "tier!=fe") == std::vector<std::string>{"api-1", "bare", "db-1"});
    CHECK(names(index, "shop", "app notin (web,db)") == std::vector<std::string>{"api-1", "bare"});
    CHECK(names(index, "shop", "!tier") == std::vector<std::string>{"bare", "db-1"});
    CHECK(names(index, "shop", "!nokey").size() == 5);
    CHECK(names(index, "shop", "nokey!=x").size() == 5);
}

TEST_CASE("> and < follow Go ParseInt; non-numeric values never match") {
    const auto index = small_index();
    CHECK(names(index, "shop", "version>3") == std::vector<std::string>{"api-1", "web-2"});
    CHECK(names(index, "shop", "version<12") == std::vector<std::string>{"api-1", "web-1"});
    CHECK(names(index, "shop", "version>100").empty());
    CHECK(names(index, "shop", "app>1").empty());
}

TEST_CASE("the empty label selector selects every pod of the namespace; nothing() none") {
    const auto index = small_index();
    CHECK(names(index, "shop", "").size() == 5);
    CHECK(names(index, "other", "") == std::vector<std::string>{"web-9"});
    CHECK(names(index, "nowhere", "").empty());
    CHECK(index.count("shop", svcdisc::label_selector::nothing()) == 0);
    CHECK(index.count(svcdisc::all_namespaces, parse_selector("")) == 6);
    CHECK(index.count(svcdisc::all_namespaces, parse_selector("app=web")) == 3);
}

TEST_CASE("contradictory selectors select nothing") {
    const auto index = small_index();
    CHECK(names(index, "shop", "app=web,app=api").empty());
    CHECK(names(index, "shop", "tier,!tier").empty());
    CHECK(names(index, "shop", "app=web,app!=web").empty());
}

TEST_CASE("a Service selector map is equality-only and an empty one selects nothing") {
    const auto index = small_index();
    CHECK(index.count("shop", label_set{{"app", "web"}}) == 2);
    CHECK(index.count("shop", label_set{{"app", "web"}, {"tier", "be"}}) == 0);
    CHECK(index.count("shop", label_set{}) == 0);
    CHECK(index.count(svcdisc::all_namespaces, label_set{{"app", "web"}}) == 3);
    CHECK(index.count(svcdisc::all_namespaces, label_set{}) == 0);
    CHECK(index.matches("web-1", label_set{{"tier", "fe"}}));
    CHECK_FALSE(index.matches("web-1", label_set{}));
}

TEST_CASE("update moves a pod between postings; erase forgets it; ids are reused") {
    auto index = small_index();
    CHECK(index.update("web-1", label_set{{"app", "api"}, {"team", "a"}}));
    CHECK(names(index, "shop", "app=api") == std::vector<std::string>{"api-1", "web-1"});
    CHECK(names(index, "shop", "tier=fe") == std::vector<std::string>{"web-2"});
    CHECK(names(index, "shop", "team") == std::vector<std::string>{"web-1"});
    CHECK(names(index, "shop", "version>0") == std::vector<std::string>{"api-1", "web-2"});
    CHECK(index.erase("web-2"));
    CHECK_FALSE(index.erase("web-2"));
    CHECK_FALSE(index.update("web-2", label_set{}));
    CHECK(names(index, "shop", "tier=fe").empty());
    CHECK(index.insert("web-3", "shop", label_set{{"tier", "fe"}}));
    CHECK_FALSE(index.insert("web-3", "shop", label_set{{"tier", "fe"}}));
    CHECK(names(index, "shop", "tier=fe") == std::vector<std::string>{"web-3"});
    CHECK(index.size() == 6);
    CHECK(index.namespace_of("web-3") == "shop");
    CHECK(index.matches("web-3", parse_selector("tier in (fe),!app")));
    CHECK_FALSE(index.matches("nope", parse_selector("")));
}

TEST_CASE("erasing the last pod of a namespace forgets the namespace and its strings") {
    svcdisc::selector_index<> index;
    index.insert("a", "ns1", label_set{{"k", "v"}});
    index.insert("b", "ns2", label_set{{"k", "v"}});
    CHECK(index.namespace_count() == 2);
    index.erase("a");
    CHECK(index.namespace_count() == 1);
    CHECK(index.count(svcdisc::all_namespaces, parse_selector("k=v")) == 1);
    index.erase("b");
    CHECK(index.namespace_count() == 0);
    CHECK(index.empty());
    index.insert("c", "ns1", label_set{{"k", "v"}});
    CHECK(index.count("ns1", parse_selector("k")) == 1);
}

TEST_CASE("a repeated key in the labels keeps the first value, like matching does") {
    svcdisc::selector_index<> index;
    const std::vector<std::pair<std::string, std::string>> labels{{"a", "1"}, {"a", "2"}};
    index.insert("p", "ns", labels);
    CHECK(index.count("ns", parse_selector("a=1")) == 1);
    CHECK(index.count("ns", parse_selector("a=2")) == 0);
    index.update("p", labels);
    CHECK(index.count("ns", parse_selector("a=1")) == 1);
}

TEST_CASE("a label repeated with new strings makes one term, forgotten with its pod") {
    svcdisc::selector_index<> index;
    const std::vector<std::pair<std::string, std::string>> labels{
        {"fresh", "x"}, {"fresh", "x"}, {"x", "fresh"}, {"fresh", "y"}};
    CHECK(index.insert("p", "ns", labels));
    CHECK(index.count("ns", parse_selector("fresh=x")) == 1);
    CHECK(index.count("ns", parse_selector("x=fresh")) == 1);
    CHECK(index.count("ns", parse_selector("fresh=y")) == 0);
    // Churn reuses what earlier cycles freed (the string arena is compacted once 4 KiB of it
    // is dead), so memory stays bounded.
    CHECK(index.erase("p"));
    CHECK(index.insert("p", "ns", labels));
    const auto settled = index.memory_usage().total();
    for (int cycle = 0; cycle < 5000; ++cycle) {
        REQUIRE(index.erase("p"));
        REQUIRE(index.insert("p", "ns", labels));
    }
    CHECK(index.memory_usage().total() <= settled + 8192);
    CHECK(index.count("ns", parse_selector("fresh=x,x=fresh")) == 1);
    CHECK(index.erase("p"));
    CHECK(index.count("ns", parse_selector("fresh")) == 0);
    CHECK(index.namespace_count() == 0);
}

TEST_CASE("select copies keys into a caller buffer and returns the full count") {
    const auto index = small_index();
    std::vector<std::string> buffer(1);
    CHECK(index.select("shop", parse_selector("app=web"), std::span(buffer)) == 2);
    CHECK((buffer[0] == "web-1" || buffer[0] == "web-2"));
}

TEST_CASE("pod_like objects plug in through pod_traits") {
    svcdisc::pod p;
    p.metadata.name = "web-0";
    p.metadata.namespace_ = "default";
    p.metadata.labels = label_set{{"app", "web"}};
    svcdisc::selector_index<> index;
    CHECK(index.insert(p.metadata.name, p));
    p.metadata.labels.insert_or_assign("app", "api");
    CHECK(index.update(p.metadata.name, p));
    CHECK(index.count("default", parse_selector("app=api")) == 1);
}

TEST_CASE("posting lists switch between arrays and bitsets as values get common and rare") {
    svcdisc::selector_index<std::uint32_t> index;
    for (std::uint32_t i = 0; i < 70000; ++i) {
        index.insert(i, "ns", label_set{{"all", "x"}, {"mod", std::to_string(i % 3)}});
    }
    CHECK(index.count("ns", parse_selector("all=x")) == 70000);
    CHECK(index.count("ns", parse_selector("mod=1")) == 23333);
    CHECK(index.count("ns", parse_selector("mod!=1,all")) == 46667);
    std::size_t seen = 0;
    index.for_each("ns", parse_selector("mod in (0,2)"), [&](std::uint32_t key) {
        CHECK(key % 3 != 1);
        ++seen;
    });
    CHECK(seen == 46667);
    for (std::uint32_t i = 0; i < 70000; i += 2) {
        index.erase(i);
    }
    CHECK(index.count("ns", parse_selector("all=x")) == 35000);
    CHECK(index.count("ns", parse_selector("mod=1,all=x")) == 11667);
    const auto usage = index.memory_usage();
    CHECK(usage.total() > usage.postings);
}

TEST_CASE("assign_label and erase_label change one label at a time") {
    auto index = small_index();
    CHECK(index.assign_label("web-1", "version", "13"));
    CHECK(names(index, "shop", "version>12") == std::vector<std::string>{"web-1"});
    CHECK(index.assign_label("web-1", "aaa", "first"));
    CHECK(index.assign_label("bare", "zzz", "last"));
    CHECK(index.assign_label("bare", "zzz", "last"));
    CHECK(names(index, "shop", "aaa=first,app=web,tier=fe") == std::vector<std::string>{"web-1"});
    CHECK(names(index, "shop", "zzz") == std::vector<std::string>{"bare"});
    CHECK(index.erase_label("web-1", "tier"));
    CHECK_FALSE(index.erase_label("web-1", "tier"));
    CHECK_FALSE(index.erase_label("web-1", "never-seen"));
    CHECK_FALSE(index.assign_label("nope", "a", "b"));
    CHECK(names(index, "shop", "tier=fe") == std::vector<std::string>{"web-2"});
    CHECK(index.erase_label("bare", "zzz"));
    CHECK(names(index, "shop", "!zzz").size() == 5);
    CHECK(index.matches("web-1", parse_selector("aaa=first,app=web,!tier,version=13")));
}

TEST_CASE("requirements built with make_requirement may repeat values") {
    const auto index = small_index();
    svcdisc::label_selector selector;
    selector.add(
        svcdisc::make_requirement("app", svcdisc::selector_operator::in, {"web", "web", "api"})
            .value());
    CHECK(index.count("shop", selector) == 3);
    svcdisc::label_selector negative;
    negative.add(
        svcdisc::make_requirement("app", svcdisc::selector_operator::not_in, {"web", "web"})
            .value());
    CHECK(index.count("shop", negative) == 3);
}

TEST_CASE("the u16 search of posting arrays agrees with std::lower_bound on any layout") {
    std::uint32_t state = 12345;
    const auto next = [&] {
        state = state * 1664525U + 1013904223U;
        return state >> 16U;
    };
    for (int round = 0; round < 300; ++round) {
        // Even spreads, clustered runs and duplicates-free tiny arrays alike.
        const std::uint32_t n = round % 3 == 0 ? next() % 8 : next() % 4097;
        const std::uint32_t spread = round % 2 == 0 ? 65536U : 1U + next() % 512U;
        std::vector<std::uint16_t> values;
        for (std::uint32_t i = 0; i < n; ++i) {
            values.push_back(static_cast<std::uint16_t>(next() % spread));
        }
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());
        const auto size = static_cast<std::uint32_t>(values.size());
        for (std::uint32_t probe = 0; probe < 200; ++probe) {
            const auto x = static_cast<std::uint16_t>(probe < 3 ? probe * 32767U : next());
            const auto expected = static_cast<std::uint32_t>(
                std::lower_bound(values.begin(), values.end(), x) - values.begin());
            REQUIRE(svcdisc::detail::lower_bound_u16(values.data(), size, x) == expected);
        }
        for (const std::uint16_t x : values) {
            const auto expected = static_cast<std::uint32_t>(
                std::lower_bound(values.begin(), values.end(), x) - values.begin());
            REQUIRE(svcdisc::detail::lower_bound_u16(values.data(), size, x) == expected);
        }
    }
}

TEST_CASE("values of every short length that differ in one byte stay distinct") {
    svcdisc::selector_index<std::uint32_t> index;
    std::uint32_t next_pod = 0;
    for (std::size_t length = 1; length <= 40; ++length) {
        for (std::size_t at = 0; at < length; ++at) {
            std::string value(length, 'a');
            value[at] = 'b';
            index.insert(next_pod++, "ns", label_set{{"v", value}});
        }
    }
    index.insert(next_pod++, "ns", label_set{{"v", ""}});
    for (std::size_t length = 1; length <= 40; ++length) {
        std::string value(length, 'a');
        CHECK(index.count("ns", label_set{{"v", value}}) == 0);
        for (std::size_t at = 0; at < length; ++at) {
            value.assign(length, 'a');
            value[at] = 'b';
            REQUIRE(index.count("ns", label_set{{"v", value}}) == 1);
        }
    }
    CHECK(index.count("ns", label_set{{"v", ""}}) == 1);
}

TEST_CASE("a pod with no labels is selected only by selectors without a positive requirement") {
    const auto index = small_index();
    CHECK(names(index, "shop", "").size() == 5);
    CHECK(names(index, "shop", "!app") == std::vector<std::string>{"bare"});
    CHECK(names(index, "shop", "app notin (web,api,db),tier!=fe") ==
          std::vector<std::string>{"bare"});
    CHECK(names(index, "shop", "app").size() == 4);
    CHECK(names(index, "shop", "version<100").size() == 3);
    CHECK_FALSE(index.matches("bare", label_set{{"app", "web"}}));
    std::size_t labels_seen = 0;
    CHECK(index.for_each_label("bare", [&](std::string_view, std::string_view) { ++labels_seen; }));
    CHECK(labels_seen == 0);
    auto churned = small_index();
    CHECK(churned.update("bare", label_set{{"app", "web"}}));
    CHECK(churned.update("bare", label_set{}));
    CHECK(names(churned, "shop", "!app") == std::vector<std::string>{"bare"});
}

TEST_CASE("a value on every pod: its list equals the namespace's and != of it selects nothing") {
    svcdisc::selector_index<std::uint32_t> index;
    // Past one chunk (65,536 ids) and past the array limit: the common value is a bitset.
    constexpr std::uint32_t pods = 70'000;
    for (std::uint32_t i = 0; i < pods; ++i) {
        index.insert(i, "ns", label_set{{"cluster", "prod"}, {"shard", std::to_string(i % 100)}});
    }
    CHECK(index.count("ns", parse_selector("cluster=prod")) == pods);
    CHECK(index.count("ns", parse_selector("cluster")) == pods);
    CHECK(index.count("ns", parse_selector("cluster!=prod")) == 0);
    CHECK(index.count("ns", parse_selector("!cluster")) == 0);
    CHECK(index.count("ns", parse_selector("cluster=prod,shard=7")) == pods / 100);
    CHECK(index.count("ns", parse_selector("shard=7,cluster notin (prod)")) == 0);
    CHECK(index.count("ns", label_set{{"cluster", "prod"}}) == pods);
}

TEST_CASE("selectors with no equality requirement select through exists, negatives and ranges") {
    const auto index = small_index();
    CHECK(names(index, "shop", "tier,!canary") ==
          std::vector<std::string>{"api-1", "web-1", "web-2"});
    CHECK(names(index, "shop", "version>0,version<10") ==
          std::vector<std::string>{"api-1", "web-1"});
    CHECK(names(index, "shop", "app!=web,tier notin (be)") ==
          std::vector<std::string>{"bare", "db-1"});
    CHECK(names(index, "shop", "!tier,!canary") == std::vector<std::string>{"bare"});
    CHECK(index.count(svcdisc::all_namespaces, parse_selector("app,app!=api")) == 4);
}

TEST_CASE("an in set of more than 32 values and more than 16 requirements stay exact") {
    svcdisc::selector_index<std::uint32_t> index;
    std::string many_values = "v in (";
    for (std::uint32_t i = 0; i < 100; ++i) {
        index.insert(i, "ns", label_set{{"v", std::to_string(i)}, {"all", "x"}});
        many_values += (i == 0 ? "" : ",") + std::to_string(i * 2);
    }
    many_values += ")";
    // 100 values, 50 of them present: more members than the plan keeps inline, so it takes
    // a heap buffer (which also shows that the allocation counter counts).
    const auto in_set = parse_selector(many_values);
    const auto before = svcdisc_test::allocation_count.load();
    CHECK(index.count("ns", in_set) == 50);
    CHECK(svcdisc_test::allocation_count.load() > before);
    CHECK(index.count("ns", parse_selector("v notin " + many_values.substr(5))) == 50);
    // Range requirements union every numeric value in range.
    CHECK(index.count("ns", parse_selector("v>10")) == 89);
    std::string many_requirements = "all=x";
    for (int i = 0; i < 20; ++i) {
        many_requirements += ",k" + std::to_string(i) + "!=y";
    }
    many_requirements += ",v in (3,4)";
    std::vector<std::uint32_t> found;
    CHECK(index.for_each("ns", parse_selector(many_requirements),
                         [&](std::uint32_t key) { found.push_back(key); }) == 2);
    std::sort(found.begin(), found.end());
    CHECK(found == std::vector<std::uint32_t>{3, 4});
}

TEST_CASE("queries of ordinary selectors never allocate") {
    const auto index = small_index();
    const auto selector = parse_selector("app in (web,api),tier!=be,version>1,!canary");
    const label_set service{{"app", "web"}};
    const std::string_view shop = "shop";
    std::size_t visited = 0;
    const auto before = svcdisc_test::allocation_count.load();
    index.for_each(shop, selector, [&](const std::string&) { ++visited; });
    index.for_each(svcdisc::all_namespaces, selector, [&](const std::string&) { ++visited; });
    visited += index.count(shop, selector) + index.count(shop, service);
    visited += index.count(svcdisc::all_namespaces, service);
    CHECK(index.matches(std::string_view("web-1"), selector));
    CHECK(index.contains(std::string_view("web-2")));
    CHECK(svcdisc_test::allocation_count.load() == before);
    CHECK(visited == 2 + 2 + 2 + 2 + 3);
}

TEST_CASE("select into a short or empty buffer writes what fits and returns the full count") {
    const auto index = small_index();
    std::vector<std::string> none;
    CHECK(index.select("shop", parse_selector(""), std::span(none)) == 5);
    std::vector<std::string> two(2);
    CHECK(index.select(svcdisc::all_namespaces, label_set{{"app", "web"}}, std::span(two)) == 3);
    CHECK_FALSE(two[0].empty());
    CHECK_FALSE(two[1].empty());
    CHECK(two[0] != two[1]);
    std::vector<std::string> roomy(8);
    CHECK(index.select("shop", parse_selector("app=db"), std::span(roomy)) == 1);
    CHECK(roomy[0] == "db-1");
    CHECK(roomy[1].empty());
}

TEST_CASE("writers given an unknown or duplicate key change nothing") {
    auto index = small_index();
    const auto before = names(index, "shop", "");
    CHECK_FALSE(index.insert("web-1", "other", label_set{{"app", "api"}}));
    CHECK_FALSE(index.update("nope", label_set{{"app", "web"}}));
    CHECK_FALSE(index.erase("nope"));
    CHECK_FALSE(index.erase_label("nope", "app"));
    CHECK_FALSE(index.assign_label("nope", "app", "web"));
    CHECK(index.namespace_of("nope").empty());
    CHECK_FALSE(index.for_each_label("nope", [](std::string_view, std::string_view) {}));
    CHECK(names(index, "shop", "") == before);
    CHECK(index.namespace_of("web-1") == "shop");
    CHECK(names(index, "shop", "app=api") == std::vector<std::string>{"api-1"});
    CHECK(index.size() == 6);
}

TEST_CASE("a pod with more than 64 labels, some repeated, keeps the first value of each key") {
    // Past the insertion-sort limit (32) and the on-stack label buffer of matches (64).
    std::vector<std::pair<std::string, std::string>> labels;
    for (int i = 99; i >= 0; --i) {
        labels.emplace_back("k" + std::to_string(i), "v" + std::to_string(i));
    }
    labels.emplace_back("k7", "second");
    svcdisc::selector_index<> index;
    CHECK(index.insert("big", "ns", labels));
    CHECK(index.count("ns", parse_selector("k7=v7,k99=v99,k0=v0")) == 1);
    CHECK(index.count("ns", parse_selector("k7=second")) == 0);
    CHECK(index.matches("big", parse_selector("k42=v42,k7 notin (second)")));
    CHECK(index.matches("big", label_set{{"k63", "v63"}, {"k64", "v64"}}));
    std::size_t seen = 0;
    index.for_each_label("big", [&](std::string_view, std::string_view) { ++seen; });
    CHECK(seen == 100);
    CHECK(index.update("big", label_set{{"k1", "v1"}}));
    CHECK(index.count("ns", parse_selector("k7")) == 0);
    CHECK(index.count("ns", parse_selector("k1=v1")) == 1);
}
