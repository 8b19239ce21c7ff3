#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/labels.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/selector.hpp>
#include <svcdisc/service.hpp>
#include <svcdisc/service_index.hpp>

#include "counting_new.hpp"

// The service index (selectors for a pod; docs/indexes.md). index_property_test.cpp compares it
// with testing every selector on random clusters.

namespace {

using svcdisc::label_set;
using svcdisc::parse_selector;

// Every key collides: the key table must still tell them apart.
struct colliding_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view) const noexcept { return 7; }
};

std::vector<std::string> matching(const svcdisc::service_index<>& index, std::string_view ns,
                                  const label_set& labels) {
    std::vector<std::string> out;
    index.for_each_matching(ns, labels, [&](const std::string& key) { out.push_back(key); });
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("Service maps select by equality on every entry") {
    svcdisc::service_index<> index;
    index.insert("web", "shop", label_set{{"app", "web"}});
    index.insert("web-fe", "shop", label_set{{"app", "web"}, {"tier", "fe"}});
    index.insert("api", "shop", label_set{{"app", "api"}});
    CHECK(matching(index, "shop", label_set{{"app", "web"}, {"tier", "fe"}}) ==
          std::vector<std::string>{"web", "web-fe"});
    CHECK(matching(index, "shop", label_set{{"app", "web"}}) == std::vector<std::string>{"web"});
    CHECK(matching(index, "shop", label_set{{"app", "db"}}).empty());
    CHECK(matching(index, "other", label_set{{"app", "web"}}).empty());
}

TEST_CASE("an absent or empty Service selector selects nothing") {
    svcdisc::service_index<> index;
    index.insert("empty", "shop", label_set{});
    svcdisc::service svc;
    svc.metadata.name = "absent";
    svc.metadata.namespace_ = "shop";
    index.insert("absent", svc);
    svc.spec.selector = label_set{};
    index.insert("empty-spec", svc);
    svc.spec.selector = label_set{{"app", "web"}};
    index.insert("managed", svc);
    CHECK(index.size() == 4);
    CHECK(matching(index, "shop", label_set{{"app", "web"}}) ==
          std::vector<std::string>{"managed"});
    CHECK(matching(index, "shop", label_set{}).empty());
}

TEST_CASE("the empty label selector selects every pod of its namespace, even one without labels") {
    svcdisc::service_index<> index;
    index.insert("all", "shop", parse_selector(""));
    index.insert("none", "shop", svcdisc::label_selector::nothing());
    CHECK(matching(index, "shop", label_set{}) == std::vector<std::string>{"all"});
    CHECK(matching(index, "shop", label_set{{"x", "y"}}) == std::vector<std::string>{"all"});
    CHECK(matching(index, "elsewhere", label_set{}).empty());
}

TEST_CASE("selectors without equality requirements are still found") {
    svcdisc::service_index<> index;
    index.insert("not-canary", "ns", parse_selector("track!=canary"));
    index.insert("no-canary-key", "ns", parse_selector("!canary"));
    index.insert("has-tier", "ns", parse_selector("tier"));
    index.insert("big", "ns", parse_selector("replicas>3"));
    index.insert("small", "ns", parse_selector("replicas<3"));
    index.insert("in", "ns", parse_selector("env in (prod,staging)"));
    index.insert("notin", "ns", parse_selector("env notin (prod)"));
    CHECK(matching(index, "ns", label_set{}) ==
          std::vector<std::string>{"no-canary-key", "not-canary", "notin"});
    CHECK(matching(index, "ns", label_set{{"tier", "x"}, {"replicas", "+4"}, {"env", "prod"}}) ==
          std::vector<std::string>{"big", "has-tier", "in", "no-canary-key", "not-canary"});
    CHECK(
        matching(index, "ns", label_set{{"replicas", "two"}, {"env", "staging"}, {"canary", ""}}) ==
        std::vector<std::string>{"in", "not-canary", "notin"});
    CHECK(matching(index, "ns", label_set{{"replicas", "-1"}, {"track", "canary"}}) ==
          std::vector<std::string>{"no-canary-key", "notin", "small"});
}

TEST_CASE("the anchor is the least shared equality, and results do not depend on it") {
    svcdisc::service_index<> index;
    for (int i = 0; i < 50; ++i) {
        index.insert("svc-" + std::to_string(i), "ns",
                     label_set{{"tier", "web"}, {"app", "a" + std::to_string(i)}});
    }
    index.insert("contradiction", "ns", parse_selector("app=a1,app=a2"));
    CHECK(matching(index, "ns", label_set{{"tier", "web"}, {"app", "a7"}}) ==
          std::vector<std::string>{"svc-7"});
    CHECK(matching(index, "ns", label_set{{"tier", "web"}}).empty());
    CHECK(index.count("ns", label_set{{"tier", "web"}, {"app", "a1"}}) == 1);
}

TEST_CASE("update, erase and re-insert keep the buckets consistent") {
    svcdisc::service_index<> index;
    CHECK(index.insert("s", "ns", label_set{{"app", "web"}}));
    CHECK_FALSE(index.insert("s", "ns", label_set{{"app", "api"}}));
    CHECK(index.update("s", "ns", label_set{{"app", "api"}}));
    CHECK(matching(index, "ns", label_set{{"app", "web"}}).empty());
    CHECK(matching(index, "ns", label_set{{"app", "api"}}) == std::vector<std::string>{"s"});
    CHECK(index.update("s", "other", parse_selector("!app")));
    CHECK(matching(index, "other", label_set{}) == std::vector<std::string>{"s"});
    CHECK(index.find("s") != nullptr);
    CHECK(index.erase("s"));
    CHECK_FALSE(index.erase("s"));
    CHECK_FALSE(index.update("s", "ns", label_set{}));
    CHECK(matching(index, "other", label_set{}).empty());
    CHECK(index.empty());
    CHECK(index.insert("s", "ns", label_set{{"app", "web"}}));
    CHECK(matching(index, "ns", label_set{{"app", "web"}}) == std::vector<std::string>{"s"});
}

TEST_CASE("pod_like objects are looked up by their namespace and labels") {
    svcdisc::service_index<> index;
    index.insert("web", "default", label_set{{"app", "web"}});
    svcdisc::pod p;
    p.metadata.namespace_ = "default";
    p.metadata.labels = label_set{{"app", "web"}};
    std::vector<std::string> found;
    index.for_each_matching(p, [&](const std::string& key) { found.push_back(key); });
    CHECK(found == std::vector<std::string>{"web"});
    std::vector<std::string> buffer(4);
    CHECK(index.select("default", p.metadata.labels, std::span(buffer)) == 1);
    CHECK(buffer[0] == "web");
}

TEST_CASE("an in requirement with repeated values (make_requirement keeps them) is found once") {
    svcdisc::service_index<> index;
    svcdisc::label_selector selector;
    selector.add(
        svcdisc::make_requirement("app", svcdisc::selector_operator::in, {"a", "a", "b"}).value());
    index.insert("dup", "ns", selector);
    CHECK(matching(index, "ns", label_set{{"app", "a"}}) == std::vector<std::string>{"dup"});
    CHECK(index.erase("dup"));
    CHECK(matching(index, "ns", label_set{{"app", "a"}}).empty());
}

TEST_CASE("a pod with no labels is matched only by selectors without a positive requirement") {
    svcdisc::service_index<> index;
    index.insert("web", "ns", label_set{{"app", "web"}});
    index.insert("has-tier", "ns", parse_selector("tier"));
    index.insert("big", "ns", parse_selector("replicas>3"));
    index.insert("not-web", "ns", parse_selector("app!=web"));
    index.insert("no-app", "ns", parse_selector("!app"));
    index.insert("all", "ns", parse_selector(""));
    index.insert("empty-map", "ns", label_set{});
    CHECK(matching(index, "ns", label_set{}) ==
          std::vector<std::string>{"all", "no-app", "not-web"});
    CHECK(index.count("ns", label_set{}) == 3);
}

TEST_CASE("a selector on a value every pod carries matches every pod of its namespace") {
    svcdisc::service_index<> index;
    index.insert("everyone", "ns", label_set{{"cluster", "prod"}});
    index.insert("everyone-not-canary", "ns", parse_selector("cluster=prod,!canary"));
    for (int i = 0; i < 50; ++i) {
        index.insert("app-" + std::to_string(i), "ns",
                     label_set{{"cluster", "prod"}, {"app", "a" + std::to_string(i)}});
    }
    for (int i = 0; i < 50; i += 7) {
        const label_set pod{{"cluster", "prod"}, {"app", "a" + std::to_string(i)}};
        CHECK(matching(index, "ns", pod) == std::vector<std::string>{"app-" + std::to_string(i),
                                                                     "everyone",
                                                                     "everyone-not-canary"});
    }
    CHECK(matching(index, "ns", label_set{{"cluster", "prod"}, {"canary", ""}}) ==
          std::vector<std::string>{"everyone"});
}

TEST_CASE("contradictory selectors match no pod") {
    svcdisc::service_index<> index;
    index.insert("two-values", "ns", parse_selector("app=a,app=b"));
    index.insert("has-and-not", "ns", parse_selector("tier,!tier"));
    index.insert("eq-and-ne", "ns", parse_selector("app=a,app!=a"));
    index.insert("out-of-range", "ns", parse_selector("n>5,n<3"));
    for (const label_set& pod :
         {label_set{}, label_set{{"app", "a"}}, label_set{{"app", "b"}, {"tier", "x"}},
          label_set{{"n", "4"}}, label_set{{"n", "7"}, {"app", "a"}}}) {
        CHECK(matching(index, "ns", pod).empty());
    }
}

TEST_CASE("selector keys that collide in the hash stay distinct") {
    svcdisc::basic_service_index<std::string, colliding_hash, std::equal_to<>> index;
    for (int i = 0; i < 40; ++i) {
        CHECK(index.insert("svc-" + std::to_string(i), "ns",
                           label_set{{"app", "a" + std::to_string(i % 4)}}));
    }
    CHECK_FALSE(index.insert("svc-3", "ns", label_set{}));
    CHECK(index.size() == 40);
    CHECK(index.count("ns", label_set{{"app", "a1"}}) == 10);
    for (int i = 0; i < 40; i += 2) {
        CHECK(index.erase(std::string_view("svc-" + std::to_string(i))));
    }
    CHECK(index.count("ns", label_set{{"app", "a1"}}) == 10);
    CHECK(index.count("ns", label_set{{"app", "a2"}}) == 0);
    CHECK(index.contains(std::string_view("svc-39")));
    CHECK_FALSE(index.contains(std::string_view("svc-38")));
    CHECK(index.find(std::string_view("svc-1")) != nullptr);
}

TEST_CASE("an in set of more than 32 values is filed under each and found once") {
    svcdisc::service_index<> index;
    std::string text = "app in (";
    for (int i = 0; i < 40; ++i) {
        text += (i == 0 ? "" : ",") + std::string("a") + std::to_string(i);
    }
    index.insert("wide", "ns", parse_selector(text + ")"));
    CHECK(matching(index, "ns", label_set{{"app", "a0"}}) == std::vector<std::string>{"wide"});
    CHECK(matching(index, "ns", label_set{{"app", "a39"}}) == std::vector<std::string>{"wide"});
    CHECK(matching(index, "ns", label_set{{"app", "a40"}}).empty());
    CHECK(index.erase("wide"));
    CHECK(matching(index, "ns", label_set{{"app", "a7"}}).empty());
}

TEST_CASE("select into a short or empty buffer writes what fits and returns the full count") {
    svcdisc::service_index<> index;
    index.insert("a", "ns", label_set{{"app", "web"}});
    index.insert("b", "ns", parse_selector("app"));
    index.insert("c", "ns", parse_selector(""));
    const label_set pod{{"app", "web"}};
    std::vector<std::string> none;
    CHECK(index.select("ns", pod, std::span(none)) == 3);
    std::vector<std::string> two(2);
    CHECK(index.select("ns", pod, std::span(two)) == 3);
    CHECK_FALSE(two[0].empty());
    CHECK_FALSE(two[1].empty());
    CHECK(two[0] != two[1]);
}

TEST_CASE("for_each_matching never allocates") {
    svcdisc::service_index<> index;
    index.insert("web", "ns", label_set{{"app", "web"}});
    index.insert("tier", "ns", parse_selector("tier in (fe,be),version>2"));
    index.insert("not-canary", "ns", parse_selector("!canary"));
    const label_set pod{{"app", "web"}, {"tier", "fe"}, {"version", "3"}};
    std::size_t found = 0;
    const auto before = svcdisc_test::allocation_count.load();
    index.for_each_matching("ns", pod, [&](const std::string&) { ++found; });
    found += index.count("ns", pod);
    CHECK(index.contains(std::string_view("web")));
    CHECK(svcdisc_test::allocation_count.load() == before);
    CHECK(found == 6);
}
