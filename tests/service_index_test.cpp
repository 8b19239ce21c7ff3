#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/labels.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/selector.hpp>
#include <svcdisc/service.hpp>
#include <svcdisc/service_index.hpp>

// Issue 5 §2: the service index (selectors for a pod). index_property_test.cpp compares it with
// testing every selector on random clusters.

namespace {

using svcdisc::label_set;
using svcdisc::parse_selector;

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

TEST_CASE("an absent or empty Service selector selects nothing (spec §4.3)") {
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
