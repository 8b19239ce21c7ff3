#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/labels.hpp>

// Label keys and values (IsQualifiedName, IsValidLabelValue; docs/labels-and-selectors.md) and
// the label_set container.

namespace {
std::string repeat(char c, std::size_t n) {
    return std::string(n, c);
}
} // namespace

TEST_CASE("IsQualifiedName: name-only keys are valid") {
    for (const char* key : {"a", "A", "1", "a.b", "a_b", "a-b", "a_b.C-d"}) {
        CAPTURE(key);
        CHECK(svcdisc::is_valid_label_key(key));
        CHECK(svcdisc::label_key_errors(key).empty());
    }
}

TEST_CASE("IsQualifiedName: prefix and name are valid") {
    for (const std::string& key : {std::string("example.com/app"), std::string("k8s.io/app"),
                                   std::string("a/b"), repeat('x', 100) + ".com/b"}) {
        CAPTURE(key);
        CHECK(svcdisc::is_valid_label_key(key));
        CHECK(svcdisc::label_key_errors(key).empty());
    }
}

TEST_CASE("IsQualifiedName: an empty key yields two errors") {
    CHECK_FALSE(svcdisc::is_valid_label_key(""));
    CHECK(svcdisc::label_key_errors("").size() == 2);
    CHECK(svcdisc::label_key_errors("a/").size() == 2);
}

TEST_CASE("IsQualifiedName: an empty prefix yields one error") {
    const auto errors = svcdisc::label_key_errors("/b");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "prefix part must be non-empty");
    CHECK_FALSE(svcdisc::is_valid_label_key("/b"));
}

TEST_CASE("IsQualifiedName: two slashes yield a single error and no further checks") {
    CHECK(svcdisc::label_key_errors("a/b/c").size() == 1);
    CHECK(svcdisc::label_key_errors("/-/").size() == 1);
    CHECK_FALSE(svcdisc::is_valid_label_key("a/b/c"));
}

TEST_CASE("IsQualifiedName: bad name shapes are rejected") {
    for (const char* key : {"_a", "a_", ".a", "a.", "-a", "a-", "a b"}) {
        CAPTURE(key);
        CHECK_FALSE(svcdisc::is_valid_label_key(key));
        CHECK(svcdisc::label_key_errors(key).size() == 1);
    }
}

TEST_CASE("IsQualifiedName: the prefix must be a lowercase DNS-1123 subdomain") {
    for (const char* key : {"A.com/b", "a_b.com/c", "a..b/c", "-a.com/b", "a.com./b", "a-.com/b"}) {
        CAPTURE(key);
        CHECK_FALSE(svcdisc::is_valid_label_key(key));
        CHECK(svcdisc::label_key_errors(key).size() == 1);
    }
}

TEST_CASE("IsQualifiedName: a name longer than 63 bytes is rejected") {
    CHECK(svcdisc::is_valid_label_key(repeat('a', 63)));
    CHECK_FALSE(svcdisc::is_valid_label_key(repeat('a', 64)));
    const auto errors = svcdisc::label_key_errors("p/" + repeat('y', 64));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "name part must be no more than 63 bytes");
}

TEST_CASE("IsQualifiedName: a prefix longer than 253 bytes is rejected") {
    const std::string prefix_253 = repeat('a', 253);
    CHECK(svcdisc::is_valid_label_key(prefix_253 + "/b"));
    CHECK_FALSE(svcdisc::is_valid_label_key(repeat('a', 254) + "/b"));
    CHECK(svcdisc::label_key_errors(repeat('a', 254) + "/b").size() == 1);
}

TEST_CASE("IsQualifiedName: a too-long prefix of bad shape yields both prefix errors") {
    const auto errors = svcdisc::label_key_errors(repeat('A', 254) + "/b");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0] == "prefix part must be no more than 253 bytes");
    CHECK(errors[1].starts_with("prefix part a lowercase RFC 1123 subdomain must consist of"));
}

TEST_CASE("IsQualifiedName: name checks run after the prefix checks, whatever they found") {
    const auto errors = svcdisc::label_key_errors("A_/-a");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].starts_with("prefix part "));
    CHECK(errors[1].starts_with("name part must consist of"));
    // Empty prefix and empty name: one prefix error, then both empty-name errors.
    const auto empty_both = svcdisc::label_key_errors("/");
    REQUIRE(empty_both.size() == 3);
    CHECK(empty_both[0] == "prefix part must be non-empty");
    CHECK(empty_both[1] == "name part must be non-empty");
    CHECK(empty_both[2].starts_with("name part must consist of"));
}

TEST_CASE("IsQualifiedName: a 64-byte alphanumeric name yields only the length error") {
    const auto errors = svcdisc::label_key_errors(repeat('a', 64));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "name part must be no more than 63 bytes");
}

TEST_CASE("IsValidLabelValue: a 64-byte bad value yields the length and the shape error") {
    const auto errors = svcdisc::label_value_errors(repeat('-', 64));
    REQUIRE(errors.size() == 2);
    CHECK(errors[0] == "must be no more than 63 bytes");
    CHECK(errors[1].starts_with("a valid label value must be an empty string or consist of"));
}

TEST_CASE("IsValidLabelValue: empty, alphanumeric ends, inner -_. are valid") {
    for (const std::string& value : {std::string(), std::string("a"), std::string("A-b_c.d"),
                                     std::string("a..b"), repeat('v', 63)}) {
        CAPTURE(value);
        CHECK(svcdisc::is_valid_label_value(value));
        CHECK(svcdisc::label_value_errors(value).empty());
    }
}

TEST_CASE("IsValidLabelValue: bad shapes, non-ASCII and 64 bytes are rejected") {
    for (const std::string& value :
         {std::string("-a"), std::string("a-"), std::string("_"), std::string("."),
          std::string("a b"), std::string("\xc3\xa9"), repeat('v', 64)}) {
        CAPTURE(value);
        CHECK_FALSE(svcdisc::is_valid_label_value(value));
        CHECK(svcdisc::label_value_errors(value).size() == 1);
    }
    CHECK(svcdisc::label_value_errors(repeat('-', 64)).size() == 2);
}

TEST_CASE("label_set keeps keys sorted byte-wise and finds by string_view") {
    const svcdisc::label_set labels{{"tier", "web"}, {"app", "MyApp"}, {"B", "x"}};
    REQUIRE(labels.size() == 3);
    std::vector<std::string> keys;
    for (const auto& [key, value] : labels) {
        keys.push_back(key);
    }
    CHECK(keys == std::vector<std::string>{"B", "app", "tier"});
    CHECK(labels.find_value("app") == std::optional<std::string_view>("MyApp"));
    CHECK_FALSE(labels.find_value("App").has_value());
    CHECK(labels.contains("tier"));
}

TEST_CASE("label_set: a repeated key keeps the last value; insert and erase") {
    svcdisc::label_set labels{{"a", "1"}, {"a", "2"}};
    CHECK(labels.size() == 1);
    CHECK(labels.find_value("a") == std::optional<std::string_view>("2"));
    CHECK(labels.insert_or_assign("b", ""));
    CHECK_FALSE(labels.insert_or_assign("b", "x"));
    CHECK(labels.find_value("b") == std::optional<std::string_view>("x"));
    CHECK(labels.erase("a"));
    CHECK_FALSE(labels.erase("a"));
    CHECK(labels == svcdisc::label_set{{"b", "x"}});
}

TEST_CASE("label_set is constructible from any map-like range") {
    const std::map<std::string, std::string> source{{"x", "1"}, {"a", "2"}};
    const svcdisc::label_set labels(source);
    CHECK(labels == svcdisc::label_set{{"a", "2"}, {"x", "1"}});
}

TEST_CASE("find_label works on label_set, std::map, unordered_map and vectors of pairs") {
    const svcdisc::label_set set{{"app", "web"}};
    const std::map<std::string, std::string> ordered{{"app", "web"}};
    const std::map<std::string, std::string, std::less<>> transparent{{"app", "web"}};
    const std::unordered_map<std::string, std::string> hashed{{"app", "web"}};
    const std::vector<std::pair<std::string, std::string>> pairs{{"app", "web"}};
    CHECK(svcdisc::find_label(set, "app") == std::optional<std::string_view>("web"));
    CHECK(svcdisc::find_label(ordered, "app") == std::optional<std::string_view>("web"));
    CHECK(svcdisc::find_label(transparent, "app") == std::optional<std::string_view>("web"));
    CHECK(svcdisc::find_label(hashed, "app") == std::optional<std::string_view>("web"));
    CHECK(svcdisc::find_label(pairs, "app") == std::optional<std::string_view>("web"));
    CHECK_FALSE(svcdisc::find_label(pairs, "tier").has_value());
    CHECK_FALSE(svcdisc::find_label(set, "tier").has_value());
}

TEST_CASE("DNS-1123 label and subdomain checks") {
    CHECK(svcdisc::is_dns1123_label("http"));
    CHECK(svcdisc::is_dns1123_label("dns-tcp"));
    CHECK_FALSE(svcdisc::is_dns1123_label("Http"));
    CHECK_FALSE(svcdisc::is_dns1123_label("a.b"));
    CHECK_FALSE(svcdisc::is_dns1123_label(repeat('a', 64)));
    CHECK(svcdisc::is_dns1123_subdomain("example.com"));
    CHECK_FALSE(svcdisc::is_dns1123_subdomain("example..com"));
    CHECK_FALSE(svcdisc::is_dns1123_subdomain(""));
}
