#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/detail/go/sort.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/result.hpp>
#include <svcdisc/selector.hpp>

#include "counting_new.hpp"

// The selector grammar (labels.Parse), the canonical String(), matching, and the special
// selectors (docs/labels-and-selectors.md). Test names start with the upstream function whose
// rule they check. The verified cases S01–S91 are in selector_spec_cases_test.cpp.

namespace {

using svcdisc::label_set;
using svcdisc::selector_operator;

svcdisc::label_selector parse(std::string_view text) {
    return svcdisc::parse_selector(text);
}

std::string canonical(std::string_view text) {
    return svcdisc::to_string(svcdisc::parse_selector(text));
}

svcdisc::input_error error_of(std::string_view text) {
    const auto parsed = svcdisc::try_parse_selector(text);
    REQUIRE_FALSE(parsed.has_value());
    return parsed.error();
}

bool accepts(std::string_view text) {
    return svcdisc::try_parse_selector(text).has_value();
}

constexpr std::string_view requirement_prefix = "unable to parse requirement: ";

} // namespace

// ---------------------------------------------------------------------------------------------
// Label keys and values, as the selector parser applies them (NewRequirement).
// ---------------------------------------------------------------------------------------------

TEST_CASE("labels.Parse keys: name-only and prefixed keys are accepted") {
    for (const std::string& key :
         {std::string("a"), std::string("A"), std::string("1"), std::string("a.b"),
          std::string("a_b"), std::string("a-b"), std::string("a_b.C-d"),
          std::string("example.com/app"), std::string("k8s.io/app"), std::string("a/b"),
          std::string(100, 'x') + ".com/b", std::string(63, 'n')}) {
        CAPTURE(key);
        const auto parsed = svcdisc::try_parse_selector(key + "=v");
        REQUIRE(parsed.has_value());
        CHECK(parsed->requirements()[0].key() == key);
    }
}

TEST_CASE("labels.Parse keys: invalid keys are rejected at the key") {
    for (const std::string& key :
         {std::string("_a"), std::string("a_"), std::string(".a"), std::string("a."),
          std::string("-a"), std::string("a-"), std::string("a/"), std::string("/b"),
          std::string("a/b/c"), std::string("A.com/b"), std::string("a_b.com/c"),
          std::string("a..b/c"), std::string("-a.com/b"), std::string("a.com./b"),
          std::string("a-.com/b"), std::string(64, 'a'), "p/" + std::string(64, 'y')}) {
        CAPTURE(key);
        const auto error = error_of("ok,!" + key);
        CHECK(error.offset == 4);
        CHECK(error.message.starts_with(std::string(requirement_prefix) +
                                        "<nil>: Invalid value: \"" + key + "\": "));
    }
}

TEST_CASE("labels.Parse keys: all reasons are joined with '; '") {
    const auto error = error_of("example.com/");
    CHECK(error.message == std::string(requirement_prefix) +
                               "<nil>: Invalid value: \"example.com/\": " +
                               svcdisc::label_key_errors("example.com/")[0] + "; " +
                               svcdisc::label_key_errors("example.com/")[1]);
}

TEST_CASE("labels.Parse keys: the prefix may be 253 bytes, not 254") {
    const std::string prefix_253 = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                                   std::string(63, 'c') + "." + std::string(61, 'd');
    REQUIRE(prefix_253.size() == 253);
    CHECK(accepts(prefix_253 + "/k"));
    const auto error = error_of(prefix_253 + "d/k");
    CHECK(error.message.find("prefix part must be no more than 253 bytes") != std::string::npos);
}

TEST_CASE("labels.Parse values: the empty string and the usual shapes are valid") {
    for (const std::string& value :
         {std::string(""), std::string("a"), std::string("A-b_c.d"), std::string("a..b"),
          std::string("a--b"), std::string("a__b"), std::string(63, 'v')}) {
        CAPTURE(value);
        const auto parsed = svcdisc::try_parse_selector("x=" + value);
        REQUIRE(parsed.has_value());
        CHECK(parsed->requirements()[0].values()[0] == value);
    }
}

TEST_CASE("labels.Parse values: bad shapes, non-ASCII and 64 bytes are rejected") {
    for (const std::string& value :
         {std::string("-a"), std::string("a-"), std::string("_"), std::string("."),
          std::string("\xc3\xa9"), std::string(64, 'v')}) {
        CAPTURE(value);
        const auto error = error_of("x=" + value);
        CHECK(error.offset == 2);
        CHECK(error.message.starts_with(std::string(requirement_prefix) + "values[0][x]: "));
    }
}

TEST_CASE("labels.Parse values: both value errors are reported together") {
    const std::string dashes(64, '-');
    const auto error = error_of("x=" + dashes);
    CHECK(error.message == std::string(requirement_prefix) + "values[0][x]: Invalid value: \"" +
                               dashes + "\": must be no more than 63 bytes; " +
                               svcdisc::label_value_errors(dashes)[1]);
}

TEST_CASE("NewRequirement values: every listed value and gt/lt values are validated") {
    const auto in_list = error_of("tier in (web, -x)");
    CHECK(in_list.offset == 14);
    CHECK(in_list.message.starts_with(std::string(requirement_prefix) +
                                      "values[0][tier]: Invalid value: \"-x\""));
    // The value set is sorted before it is checked, so the index is the sorted position.
    const auto sorted_index = error_of("k in (z, a.)");
    CHECK(sorted_index.message.find("values[0][k]: Invalid value: \"a.\"") != std::string::npos);
    CHECK(sorted_index.offset == 9);
    CHECK(error_of("x<-5").offset == 2);
}

// ---------------------------------------------------------------------------------------------
// Operators (selection.Operator).
// ---------------------------------------------------------------------------------------------

TEST_CASE("selection.Operator: each syntax produces its operator and prints its form") {
    const std::vector<std::pair<std::string_view, selector_operator>> cases = {
        {"k", selector_operator::exists},
        {"!k", selector_operator::does_not_exist},
        {"k=v", selector_operator::equals},
        {"k==v", selector_operator::double_equals},
        {"k!=v", selector_operator::not_equals},
        {"k in (v,w)", selector_operator::in},
        {"k notin (v,w)", selector_operator::not_in},
        {"k>1", selector_operator::greater_than},
        {"k<1", selector_operator::less_than},
    };
    for (const auto& entry : cases) {
        const std::string_view text = entry.first;
        CAPTURE(text);
        const auto selector = parse(text);
        REQUIRE(selector.requirements().size() == 1);
        CHECK(selector.requirements()[0].op() == entry.second);
        CHECK(svcdisc::to_string(selector) == text);
    }
}

TEST_CASE("selection.Operator: == is kept distinct from =") {
    CHECK(canonical("x==a") == "x==a");
    CHECK(parse("x==a") != parse("x=a"));
}

TEST_CASE("selection.Operator: Kubernetes' operator names") {
    CHECK(svcdisc::selector_operator_name(selector_operator::exists) == "exists");
    CHECK(svcdisc::selector_operator_name(selector_operator::does_not_exist) == "!");
    CHECK(svcdisc::selector_operator_name(selector_operator::equals) == "=");
    CHECK(svcdisc::selector_operator_name(selector_operator::double_equals) == "==");
    CHECK(svcdisc::selector_operator_name(selector_operator::not_equals) == "!=");
    CHECK(svcdisc::selector_operator_name(selector_operator::in) == "in");
    CHECK(svcdisc::selector_operator_name(selector_operator::not_in) == "notin");
    CHECK(svcdisc::selector_operator_name(selector_operator::greater_than) == "gt");
    CHECK(svcdisc::selector_operator_name(selector_operator::less_than) == "lt");
}

// ---------------------------------------------------------------------------------------------
// The lexer.
// ---------------------------------------------------------------------------------------------

TEST_CASE("Lexer: whitespace is exactly space, tab, CR and LF") {
    CHECK(canonical(" \t\r\nx \t\r\n= \t\r\na \t\r\n") == "x=a");
    // Vertical tab, form feed and NBSP are not whitespace: they become part of the key.
    CHECK(error_of("\fx").message.find("Invalid value: \"\\fx\"") != std::string::npos);
    CHECK(error_of("\vx").message.find("Invalid value: \"\\vx\"") != std::string::npos);
    CHECK(error_of("\xc2\xa0x").message.find("Invalid value: \"\\u00a0x\"") != std::string::npos);
    CHECK(error_of("x=a\f").offset == 2);
}

TEST_CASE("Lexer: other bytes are part of identifiers and fail validation later") {
    for (const char* text : {"x=a|b", "x=a;b", "x=a*", "x=a/b", "x=\xe2\x98\x83"}) {
        CAPTURE(text);
        const auto error = error_of(text);
        CHECK(error.offset == 2);
        CHECK(error.message.find("a valid label value must") != std::string::npos);
    }
    CHECK(error_of("a|b").message.find("Invalid value: \"a|b\"") != std::string::npos);
}

TEST_CASE("Lexer: special bytes are tokenised greedily") {
    // === is == then =; >= is > then =; !!; =!; =(; != then =.
    CHECK(error_of("x===a").message ==
          std::string(requirement_prefix) + "found '=', expected: identifier");
    CHECK(error_of("x===a").offset == 3);
    CHECK(error_of("x>=1").offset == 2);
    CHECK(error_of("!!x").message ==
          std::string(requirement_prefix) + "found '!', expected: identifier");
    CHECK(error_of("x=!a").offset == 2);
    CHECK(error_of("x=(a)").message ==
          std::string(requirement_prefix) + "found '(', expected: identifier");
    CHECK(error_of("x!==a").message ==
          std::string(requirement_prefix) + "found '=', expected: identifier");
    CHECK(error_of("x!==a").offset == 3);
    CHECK(error_of("x<<1").offset == 2);
}

TEST_CASE("Lexer: in and notin need no spaces before a special byte") {
    CHECK(canonical("x in(a)") == "x in (a)");
    CHECK(canonical("x notin(a)") == "x notin (a)");
    CHECK(canonical("x\nnotin\n(\na\n,\nb\n)") == "x notin (a,b)");
    const auto error = error_of("xin(a)");
    CHECK(error.message ==
          std::string(requirement_prefix) + "found '(', expected: in, notin, =, ==, !=, gt, lt");
    CHECK(error.offset == 3);
    CHECK(error_of("x inn (a)").message ==
          std::string(requirement_prefix) + "found 'inn', expected: in, notin, =, ==, !=, gt, lt");
}

TEST_CASE("Lexer: a NUL byte ends the input where a token would start") {
    // Kubernetes' lexer uses byte 0 as its end-of-input sentinel.
    CHECK(canonical(std::string_view("\0garbage!!", 10)) == "");
    CHECK(canonical(std::string_view("x \0 y", 5)) == "x");
    const auto error = error_of(std::string_view("x=a, \0y", 7));
    CHECK(error.message == "found '', expected: identifier after ','");
    CHECK(error.offset == 5);
}

TEST_CASE("Lexer: a NUL byte right after a token is swallowed with it") {
    CHECK(canonical(std::string_view("x\0", 2)) == "x");
    CHECK(canonical(std::string_view("x=\0a", 4)) == "x=a");
    CHECK(canonical(std::string_view("x\0=a", 4)) == "x=a");
    CHECK(canonical(std::string_view("x=a,\0y", 6)) == "x=a,y");
    CHECK(canonical(std::string_view("x\0\0=a", 5)) == "x");
    const auto error = error_of(std::string_view("x\0y", 3));
    CHECK(error.message ==
          std::string(requirement_prefix) + "found 'y', expected: in, notin, =, ==, !=, gt, lt");
    CHECK(error.offset == 2);
}

// ---------------------------------------------------------------------------------------------
// Grammar and parse algorithm (Parser.parse and its helpers, NewRequirement).
// ---------------------------------------------------------------------------------------------

TEST_CASE("labels.Parse: empty or whitespace-only input is the empty selector") {
    for (const char* text : {"", " ", "\t\r\n ", "   "}) {
        CAPTURE(text);
        const auto selector = parse(text);
        CHECK(selector.empty());
        CHECK(selector.requirements().empty());
        CHECK(selector.matches(label_set{}));
    }
}

TEST_CASE("labels.Parse: a requirement starts with an identifier or '!'") {
    for (const char* text : {",x", "(", ")", "=a", "==a", "!=a", ">1", "<1"}) {
        CAPTURE(text);
        const auto error = error_of(text);
        CHECK(error.offset == 0);
        CHECK(error.message.ends_with("', expected: !, identifier, or 'end of string'"));
    }
    CHECK(canonical("in") == "in");
    CHECK(canonical("notin") == "notin");
}

TEST_CASE("parseKeyAndInferOperator: '!' must be followed by an identifier") {
    CHECK(error_of("!!x").offset == 1);
    CHECK(error_of("!(").message ==
          std::string(requirement_prefix) + "found '(', expected: identifier");
    CHECK(error_of("!").message ==
          std::string(requirement_prefix) + "found '', expected: identifier");
    CHECK(error_of("!").offset == 1);
    CHECK(error_of("x, !").offset == 4);
}

TEST_CASE("parseKeyAndInferOperator: the key is validated before the operator is read") {
    const auto error = error_of("-a (");
    CHECK(error.offset == 0);
    CHECK(error.message.starts_with(std::string(requirement_prefix) + "<nil>: Invalid value"));
}

TEST_CASE("parseKeyAndInferOperator: a key followed by ',' or the end is exists / !") {
    CHECK(parse("x").requirements()[0].op() == selector_operator::exists);
    CHECK(parse("x , y").requirements()[1].op() == selector_operator::exists);
    CHECK(parse("!x").requirements()[0].op() == selector_operator::does_not_exist);
    CHECK(parse("!x,y").requirements()[0].op() == selector_operator::does_not_exist);
    CHECK(parse("x").requirements()[0].values().empty());
}

TEST_CASE("labels.Parse: '!key' followed by anything else fails at the top level") {
    CHECK(error_of("!x=a").message == "found '=', expected: ',' or 'end of string'");
    CHECK(error_of("!x in (a)").message == "found 'in', expected: ',' or 'end of string'");
    CHECK(error_of("!x in (a)").offset == 3);
    CHECK(error_of("!x y").offset == 3);
}

TEST_CASE("parseOperator: only in notin = == != > < are operators") {
    for (const char* text : {"x y", "x (a)", "x )", "x !", "x !x"}) {
        CAPTURE(text);
        const auto error = error_of(text);
        CHECK(error.offset == 2);
        CHECK(error.message.ends_with("', expected: in, notin, =, ==, !=, gt, lt"));
    }
}

TEST_CASE("parseValues: in/notin need '('") {
    CHECK(error_of("x in a").message ==
          std::string(requirement_prefix) + "found 'a' expected: '('");
    CHECK(error_of("x in").message == std::string(requirement_prefix) + "found '' expected: '('");
    CHECK(error_of("x in").offset == 4);
    CHECK(error_of("x notin ,").offset == 8);
}

TEST_CASE("parseValues: '()' is the set holding the empty string") {
    const auto selector = parse("x in ()");
    REQUIRE(selector.requirements()[0].values().size() == 1);
    CHECK(selector.requirements()[0].values()[0].empty());
    CHECK(selector.matches(label_set{{"x", ""}}));
    CHECK_FALSE(selector.matches(label_set{}));
}

TEST_CASE("parseIdentifiersList: list entries are identifiers separated by commas") {
    CHECK(error_of("x in (a b)").message ==
          std::string(requirement_prefix) + "found 'b', expected: ',' or ')'");
    CHECK(error_of("x in (a").offset == 7);
    CHECK(error_of("x in (a=b)").message ==
          std::string(requirement_prefix) + "found '=', expected: ',' or ')'");
    CHECK(error_of("x in ((a))").message ==
          std::string(requirement_prefix) + "found '(', expected: ',', ')' or identifier");
    CHECK(error_of("x in (").message ==
          std::string(requirement_prefix) + "found '', expected: ',', ')' or identifier");
    CHECK(error_of("x in (a,(").message ==
          std::string(requirement_prefix) + "found '(', expected: ',', or identifier");
    CHECK(error_of("x in (a,(").offset == 8);
}

TEST_CASE("parseIdentifiersList: empty list entries are the empty string") {
    CHECK(canonical("x in (,a)") == "x in (,a)");
    CHECK(canonical("x in (a,)") == "x in (,a)");
    CHECK(canonical("x in (a,,b)") == "x in (,a,b)");
    CHECK(canonical("x in (,)") == "x in ()");
    CHECK(canonical("x in (,,a)") == "x in (,a)");
}

TEST_CASE("parseIdentifiersList: every run of commas is accepted") {
    // Deliberate change, following Kubernetes 1.35 (kubernetes/kubernetes#133419, "Fix label
    // selector parsing for consecutive commas"): parseIdentifiersList now only looks at the comma
    // after a comma. Before, it consumed that comma too, so commas after a doubled comma went in
    // pairs and `(,,)` and `(a,,)` failed with "found ')', expected: ',', or identifier".
    CHECK(canonical("x in (,,)") == "x in ()");
    CHECK(canonical("x notin (,,)") == "x notin ()");
    CHECK(canonical("x in (a,,)") == "x in (,a)");
    CHECK(canonical("x in (a, ,)") == "x in (,a)");
    CHECK(canonical("x in ( , , )") == "x in ()");
    CHECK(canonical("x in (a,,,)") == "x in (,a)");
    CHECK(canonical("x in (a,,,b)") == "x in (,a,b)");
    CHECK(canonical("x in (a,,,,)") == "x in (,a)");
    CHECK(canonical("x in (,,,,a,,,,b,,,,)") == "x in (,a,b)");
    const auto selector = parse("x in (,,)");
    REQUIRE(selector.requirements().size() == 1);
    CHECK(selector.requirements()[0].values().size() == 1);
    CHECK(selector.requirements()[0].values()[0].empty());
    CHECK(selector.matches(svcdisc::label_set{{"x", ""}}));
    CHECK_FALSE(selector.matches(svcdisc::label_set{{"x", "a"}}));
    CHECK(parse("x notin (a,,)").matches(svcdisc::label_set{{"x", "b"}}));
    CHECK_FALSE(parse("x notin (a,,)").matches(svcdisc::label_set{{"x", ""}}));
}

TEST_CASE("parseIdentifiersList: what still fails after a comma run, and where") {
    CHECK(error_of("x in (a,,").message ==
          std::string(requirement_prefix) + "found '', expected: ',', or identifier");
    CHECK(error_of("x in (a,,").offset == 9);
    CHECK(error_of("x in (a, , ").offset == 11);
    CHECK(error_of("x in (,,=)").message ==
          std::string(requirement_prefix) + "found '=', expected: ',', or identifier");
    CHECK(error_of("x in (,,=)").offset == 8);
    CHECK(error_of("x in (a,,b c)").message ==
          std::string(requirement_prefix) + "found 'c', expected: ',' or ')'");
    CHECK(error_of("x in (a,,b c)").offset == 11);
    CHECK(error_of("x in (,,)y").message == "found 'y', expected: ',' or 'end of string'");
    CHECK(error_of("x in (,,)y").offset == 9);
}

TEST_CASE("parseIdentifiersList: in and notin are plain values inside the list") {
    CHECK(canonical("x notin (notin,in)") == "x notin (in,notin)");
}

TEST_CASE("parseValues: the values are a sorted set") {
    const auto selector = parse("x in (b,a,a,B,,c)");
    const auto values = selector.requirements()[0].values();
    REQUIRE(values.size() == 5);
    CHECK(values[0].empty());
    CHECK(values[1] == "B");
    CHECK(values[2] == "a");
    CHECK(values[3] == "b");
    CHECK(values[4] == "c");
}

TEST_CASE("parseExactValue: a missing exact value is the empty string") {
    for (const char* text : {"x=", "x==", "x!=", "x= ,y"}) {
        CAPTURE(text);
        const auto requirement = parse(text).requirements()[0];
        REQUIRE(requirement.values().size() == 1);
        CHECK(requirement.values()[0].empty());
    }
    CHECK(error_of("x>").message.find("for 'Gt', 'Lt' operators, the value must be an integer") !=
          std::string::npos);
    CHECK(error_of("x>").offset == 2);
    CHECK(error_of("x<,y").offset == 2);
}

TEST_CASE("parseExactValue: the exact value must be an identifier") {
    CHECK(error_of("x=(a)").offset == 2);
    CHECK(error_of("x= )").message ==
          std::string(requirement_prefix) + "found ')', expected: identifier");
    CHECK(error_of("x= )").offset == 3);
    CHECK(canonical("x=in,y==notin") == "x=in,y==notin");
}

TEST_CASE("NewRequirement: gt/lt take a base-10 int64 that is also a label value") {
    CHECK(parse("x>01").requirements()[0].bound() == 1);
    CHECK(parse("x<9223372036854775807").requirements()[0].bound() ==
          std::numeric_limits<std::int64_t>::max());
    CHECK(parse("x>0").requirements()[0].bound() == 0);
    for (const char* text :
         {"x>9223372036854775808", "x>1.5", "x>0x10", "x>1_000", "x>1e3", "x<a", "x>"}) {
        CAPTURE(text);
        const auto error = error_of(text);
        CHECK(error.offset == 2);
        CHECK(error.message.find("for 'Gt', 'Lt' operators, the value must be an integer") !=
              std::string::npos);
    }
    // A sign never passes label value validation, so no negative bound can be parsed.
    for (const char* text : {"x>-1", "x<+1"}) {
        CAPTURE(text);
        CHECK(error_of(text).message.find("a valid label value must") != std::string::npos);
    }
}

TEST_CASE("NewRequirement: several problems with one value are aggregated") {
    const auto error = error_of("x>-a");
    CHECK(error.message.starts_with(std::string(requirement_prefix) +
                                    "[values[0]: Invalid value: \"-a\": for 'Gt', 'Lt' "
                                    "operators, the value must be an integer, values[0][x]: "
                                    "Invalid value: \"-a\": a valid label value must"));
    CHECK(error.message.ends_with("]"));
    CHECK(error.offset == 2);
}

TEST_CASE("labels.Parse: after a requirement, end, or ',' followed by an identifier or '!'") {
    CHECK(error_of("x,").message == "found '', expected: identifier after ','");
    CHECK(error_of("x, ,y").offset == 3);
    CHECK(error_of("x,)").message == "found ')', expected: identifier after ','");
    CHECK(error_of("x=a y").message == "found 'y', expected: ',' or 'end of string'");
    CHECK(error_of("x in (a))").offset == 8);
    CHECK(canonical("x,!y") == "x,!y");
}

TEST_CASE("labels.Parse: requirements are sorted by key as Go's sort.Sort sorts them") {
    // Up to 12 requirements Go sorts by insertion, which keeps equal keys in input order.
    CHECK(canonical("b,a,c") == "a,b,c");
    CHECK(canonical("x=b,a,x=a") == "a,x=b,x=a");
    // Deliberate change: from 13 on svcdisc used to keep equal keys in input order (a stable
    // sort); it now leaves them where Go's pdqsort leaves them, as labels.Parse does.
    std::string many;
    for (int i = 30; i > 0; --i) {
        many += "k" + std::to_string(i % 7) + "=v" + std::to_string(i) + ",";
    }
    many += "a";
    // As Go's sort.Sort orders these 31 requirements (checked with a Go program).
    CHECK(canonical(many) == "a,k0=v28,k0=v7,k0=v14,k0=v21,k1=v15,k1=v29,k1=v1,k1=v8,k1=v22,"
                             "k2=v16,k2=v9,k2=v2,k2=v23,k2=v30,k3=v10,k3=v17,k3=v3,k3=v24,"
                             "k4=v11,k4=v25,k4=v4,k4=v18,k5=v19,k5=v12,k5=v5,k5=v26,k6=v20,"
                             "k6=v6,k6=v13,k6=v27");
}

TEST_CASE("Selector.Add: appends, then sorts everything again as Go's sort.Sort does") {
    svcdisc::label_selector selector;
    std::vector<std::string> expected;
    for (int i = 0; i < 16; ++i) {
        const std::string value = std::to_string((i * 7) % 16);
        selector.add(svcdisc::make_requirement("k", selector_operator::equals, {value}).value());
        expected.push_back("k=" + value);
        // Each Add sorts the whole list again, so the order is that of sorting after every step.
        svcdisc::detail::go::sort(
            expected.begin(), expected.end(),
            [](const std::string& x, const std::string& y) {
                return x.substr(0, x.find('=')) < y.substr(0, y.find('='));
            },
            svcdisc::detail::go::xorshift_variant::go1_24);
    }
    std::string joined;
    for (const std::string& requirement : expected) {
        joined += (joined.empty() ? "" : ",") + requirement;
    }
    CHECK(svcdisc::to_string(selector) == joined);
    // Up to 12 requirements a new one goes after those with the same key.
    svcdisc::label_selector small;
    small.add(svcdisc::make_requirement("x", selector_operator::exists, {}).value());
    small.add(svcdisc::make_requirement("a", selector_operator::exists, {}).value());
    small.add(svcdisc::make_requirement("x", selector_operator::equals, {"b"}).value());
    CHECK(svcdisc::to_string(small) == "a,x,x=b");
}

TEST_CASE("NewRequirement: make_requirement checks key, arity, integers and values") {
    CHECK(svcdisc::make_requirement("x", selector_operator::exists, {}).has_value());
    CHECK(svcdisc::make_requirement("x", selector_operator::in, {"a", "b"}).has_value());
    CHECK(svcdisc::make_requirement("x", selector_operator::not_equals, {""}).has_value());

    CHECK(svcdisc::make_requirement("x", selector_operator::in, {}).error().message ==
          "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
    CHECK(svcdisc::make_requirement("x", selector_operator::equals, {"a", "b"}).error().message ==
          "values: Invalid value: [\"a\",\"b\"]: exact-match compatibility requires one single "
          "value");
    CHECK(svcdisc::make_requirement("x", selector_operator::double_equals, {}).error().message ==
          "values: Invalid value: []: exact-match compatibility requires one single value");
    CHECK(
        svcdisc::make_requirement("x", selector_operator::does_not_exist, {"a"}).error().message ==
        "values: Invalid value: [\"a\"]: values set must be empty for exists and does not "
        "exist");
    CHECK(svcdisc::make_requirement("x", selector_operator::greater_than, {"1", "2"})
              .error()
              .message ==
          "values: Invalid value: [\"1\",\"2\"]: for 'Gt', 'Lt' operators, exactly one value is "
          "required");
    CHECK(svcdisc::make_requirement("x", selector_operator::less_than, {"z"}).error().message ==
          "values[0]: Invalid value: \"z\": for 'Gt', 'Lt' operators, the value must be an "
          "integer");
    CHECK(svcdisc::make_requirement("", selector_operator::exists, {})
              .error()
              .message.starts_with("key: Invalid value: \"\": name part must be non-empty; "));
    CHECK(svcdisc::make_requirement("x", selector_operator::in, {"a", "<b>"})
              .error()
              .message.starts_with("values[1][x]: Invalid value: \"<b>\": "));
    CHECK(svcdisc::make_requirement("x", selector_operator::exists, {}).has_value());
}

TEST_CASE("NewRequirement: the error is thrown by value() as parse_error") {
    CHECK_THROWS_AS((void)svcdisc::make_requirement("x", selector_operator::in, {}).value(),
                    svcdisc::parse_error);
}

TEST_CASE("NewRequirement: values are kept as given and gt/lt bounds parsed") {
    const auto requirement =
        svcdisc::make_requirement("x", selector_operator::in, {"b", "a", "a"}).value();
    REQUIRE(requirement.values().size() == 3);
    CHECK(requirement.values()[0] == "b");
    CHECK(svcdisc::make_requirement("x", selector_operator::greater_than, {"007"})->bound() == 7);
    CHECK(svcdisc::make_requirement("x", selector_operator::less_than, {"9223372036854775807"})
              ->bound() == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("strconv.ParseInt: parse_go_int64 follows strconv.ParseInt(v, 10, 64)") {
    std::int64_t n = 42;
    CHECK(svcdisc::parse_go_int64("0", n));
    CHECK(n == 0);
    CHECK(svcdisc::parse_go_int64("+2", n));
    CHECK(n == 2);
    CHECK(svcdisc::parse_go_int64("-5", n));
    CHECK(n == -5);
    CHECK(svcdisc::parse_go_int64("002", n));
    CHECK(n == 2);
    CHECK(svcdisc::parse_go_int64("-0", n));
    CHECK(n == 0);
    CHECK(svcdisc::parse_go_int64("9223372036854775807", n));
    CHECK(n == std::numeric_limits<std::int64_t>::max());
    CHECK(svcdisc::parse_go_int64("-9223372036854775808", n));
    CHECK(n == std::numeric_limits<std::int64_t>::min());
    CHECK(svcdisc::parse_go_int64("0009223372036854775807", n));
    n = 42;
    for (const char* text :
         {"", "+", "-", "9223372036854775808", "-9223372036854775809", "99999999999999999999", " 1",
          "1 ", "1_0", "0x1", "1.0", "--1", "+-1", "v2", "١"}) {
        CAPTURE(text);
        CHECK_FALSE(svcdisc::parse_go_int64(text, n));
        CHECK(n == 42);
    }
    static_assert(noexcept(svcdisc::parse_go_int64("1", n)));
}

// ---------------------------------------------------------------------------------------------
// Canonical String().
// ---------------------------------------------------------------------------------------------

TEST_CASE("Selector.String: requirements joined with ',' and no spaces, in key order") {
    CHECK(canonical("  z notin ( b , a ) ,  y ,  ! x , w = v ") == "w=v,!x,y,z notin (a,b)");
}

TEST_CASE("Selector.String: several values print sorted, duplicates kept for built requirements") {
    CHECK(svcdisc::to_string(
              svcdisc::make_requirement("x", selector_operator::in, {"b", "a", "a"}).value()) ==
          "x in (a,a,b)");
    CHECK(svcdisc::to_string(
              svcdisc::make_requirement("x", selector_operator::not_in, {"b"}).value()) ==
          "x notin (b)");
}

TEST_CASE("Selector.String: the empty value prints as nothing") {
    CHECK(canonical("x=") == "x=");
    CHECK(canonical("x!=") == "x!=");
    CHECK(canonical("x in ()") == "x in ()");
    CHECK(canonical("x in (a,)") == "x in (,a)");
}

TEST_CASE("Selector.String: gt/lt print the value as written") {
    CHECK(canonical("x>007") == "x>007");
    CHECK(canonical("x < 5") == "x<5");
}

TEST_CASE("Selector.String: the empty selector and nothing() print the empty string") {
    CHECK(svcdisc::to_string(svcdisc::label_selector{}) == "");
    CHECK(svcdisc::to_string(svcdisc::label_selector::nothing()) == "");
}

// ---------------------------------------------------------------------------------------------
// Matching (Requirement.Matches).
// ---------------------------------------------------------------------------------------------

TEST_CASE("Requirement.Matches: exists needs the key, any value") {
    CHECK(parse("x").matches(label_set{{"x", ""}}));
    CHECK(parse("x").matches(label_set{{"x", "v"}}));
    CHECK_FALSE(parse("x").matches(label_set{{"y", "v"}}));
}

TEST_CASE("Requirement.Matches: ! needs the key absent") {
    CHECK(parse("!x").matches(label_set{{"y", "v"}}));
    CHECK_FALSE(parse("!x").matches(label_set{{"x", ""}}));
}

TEST_CASE("Requirement.Matches: = == in need the key with a listed value") {
    for (const char* text : {"x=a", "x==a", "x in (a)", "x in (b,a)"}) {
        CAPTURE(text);
        CHECK(parse(text).matches(label_set{{"x", "a"}}));
        CHECK_FALSE(parse(text).matches(label_set{{"x", "c"}}));
        CHECK_FALSE(parse(text).matches(label_set{}));
    }
}

TEST_CASE("Requirement.Matches: != and notin match when the key is absent") {
    for (const char* text : {"x!=a", "x notin (a)", "x notin (b,a)"}) {
        CAPTURE(text);
        CHECK(parse(text).matches(label_set{}));
        CHECK(parse(text).matches(label_set{{"x", "c"}}));
        CHECK_FALSE(parse(text).matches(label_set{{"x", "a"}}));
    }
}

TEST_CASE("Requirement.Matches: gt/lt compare int64 values and are false otherwise") {
    const auto gt = parse("n>5");
    const auto lt = parse("n<5");
    CHECK(gt.matches(label_set{{"n", "6"}}));
    CHECK(gt.matches(label_set{{"n", "9223372036854775807"}}));
    CHECK_FALSE(gt.matches(label_set{{"n", "5"}}));
    CHECK_FALSE(gt.matches(label_set{{"n", "9223372036854775808"}}));
    CHECK_FALSE(gt.matches(label_set{{"n", "six"}}));
    CHECK_FALSE(gt.matches(label_set{{"n", ""}}));
    CHECK_FALSE(gt.matches(label_set{}));
    CHECK(lt.matches(label_set{{"n", "-9223372036854775808"}}));
    CHECK(lt.matches(label_set{{"n", "04"}}));
    CHECK_FALSE(lt.matches(label_set{{"n", "5"}}));
    CHECK_FALSE(lt.matches(label_set{{"n", "4.0"}}));
    CHECK_FALSE(lt.matches(label_set{}));
}

TEST_CASE("Requirement.Matches: comparisons are exact and case-sensitive") {
    CHECK_FALSE(parse("x=a").matches(label_set{{"x", "A"}}));
    CHECK_FALSE(parse("x=a").matches(label_set{{"X", "a"}}));
    CHECK_FALSE(parse("x=a").matches(label_set{{"x", "a "}}));
}

TEST_CASE("Requirement.Matches: contradictions are legal and match nothing") {
    for (const char* text : {"a,!a", "x=a,x=b", "x in (a),x notin (a)", "n>5,n<3"}) {
        CAPTURE(text);
        const auto selector = parse(text);
        CHECK_FALSE(selector.matches(label_set{}));
        CHECK_FALSE(selector.matches(label_set{{"a", ""}, {"x", "a"}, {"n", "4"}}));
    }
}

TEST_CASE("Requirement.Matches: zero requirements match every label set") {
    CHECK(parse("").matches(label_set{}));
    CHECK(parse("").matches(label_set{{"x", "a"}}));
}

TEST_CASE("Requirement.Matches: works for any label_map") {
    const auto selector = parse("app=web,tier in (api,web),!canary,env!=prod");
    const std::map<std::string, std::string> ordered{{"app", "web"}, {"tier", "api"}};
    const std::map<std::string, std::string, std::less<>> transparent{{"app", "web"},
                                                                      {"tier", "web"}};
    const std::unordered_map<std::string, std::string> hashed{
        {"app", "web"}, {"tier", "api"}, {"env", "dev"}};
    const std::vector<std::pair<std::string, std::string>> pairs{{"tier", "web"}, {"app", "web"}};
    const std::vector<std::pair<std::string_view, std::string_view>> views{
        {"app", "web"}, {"tier", "api"}, {"canary", ""}};
    CHECK(selector.matches(ordered));
    CHECK(selector.matches(transparent));
    CHECK(selector.matches(hashed));
    CHECK(selector.matches(pairs));
    CHECK_FALSE(selector.matches(views));
    CHECK(selector.matches(label_set{{"app", "web"}, {"tier", "api"}}));
}

TEST_CASE("Requirement.Matches: never allocates and never throws") {
    const auto selector = parse("app=web,tier in (api,web),!canary,env!=prod,n>3,x,y==b");
    const label_set labels{{"app", "web"}, {"tier", "api"}, {"n", "4"}, {"x", ""}, {"y", "b"}};
    const std::map<std::string, std::string> ordered(labels.begin(), labels.end());
    const std::unordered_map<std::string, std::string> hashed(labels.begin(), labels.end());
    const std::vector<std::pair<std::string, std::string>> pairs(labels.begin(), labels.end());
    static_assert(noexcept(selector.matches(labels)));
    static_assert(noexcept(selector.requirements()[0].matches(labels)));
    const std::size_t before = svcdisc_test::allocation_count.load();
    const bool all = selector.matches(labels) && selector.matches(ordered) &&
                     selector.matches(hashed) && selector.matches(pairs);
    CHECK(svcdisc_test::allocation_count.load() == before);
    CHECK(all);
}

TEST_CASE("Requirement.Matches: each requirement matches on its own") {
    const auto selector = parse("a=1,b");
    CHECK(selector.requirements()[0].matches(label_set{{"a", "1"}}));
    CHECK_FALSE(selector.requirements()[1].matches(label_set{{"a", "1"}}));
}

// ---------------------------------------------------------------------------------------------
// Special selectors and other constructors.
// ---------------------------------------------------------------------------------------------

TEST_CASE("labels.Everything: default, everything() and parse(\"\") are the same") {
    CHECK(svcdisc::label_selector{} == svcdisc::label_selector::everything());
    CHECK(parse("") == svcdisc::label_selector::everything());
    CHECK(svcdisc::label_selector::everything().empty());
    CHECK_FALSE(svcdisc::label_selector::everything().is_nothing());
}

TEST_CASE("labels.Nothing: matches nothing, is not empty, prints \"\", ignores add") {
    auto nothing = svcdisc::label_selector::nothing();
    CHECK(nothing.is_nothing());
    CHECK_FALSE(nothing.empty());
    CHECK_FALSE(nothing.matches(label_set{}));
    nothing.add(svcdisc::make_requirement("x", selector_operator::exists, {}).value());
    CHECK(nothing.requirements().empty());
    CHECK(nothing != svcdisc::label_selector::everything());
    // Its String() re-parses to everything, never to nothing.
    CHECK(parse(svcdisc::to_string(nothing)) == svcdisc::label_selector::everything());
}

TEST_CASE("Selector.Add: requirements are inserted in key order after equal keys") {
    svcdisc::label_selector selector;
    selector.add(svcdisc::make_requirement("m", selector_operator::equals, {"1"}).value());
    selector.add(svcdisc::make_requirement("a", selector_operator::exists, {}).value());
    selector.add(svcdisc::make_requirement("m", selector_operator::equals, {"2"}).value());
    selector.add(svcdisc::make_requirement("z", selector_operator::does_not_exist, {}).value());
    CHECK(svcdisc::to_string(selector) == "a,m=1,m=2,!z");
    CHECK_FALSE(selector.empty());
    CHECK(selector == parse("!z,m=1,a,m=2"));
}

TEST_CASE("SelectorFromSet: one = per entry, sorted, no validation") {
    CHECK(svcdisc::to_string(svcdisc::selector_from_set(
              std::map<std::string, std::string>{{"b", "2"}, {"a", "1"}})) == "a=1,b=2");
    const auto unchecked = svcdisc::selector_from_set(
        std::vector<std::pair<std::string, std::string>>{{"-bad key", "a b"}});
    CHECK(svcdisc::to_string(unchecked) == "-bad key=a b");
    CHECK(unchecked.matches(label_set{{"-bad key", "a b"}}));
    CHECK(svcdisc::selector_from_set(label_set{}) == svcdisc::label_selector::everything());
    const auto from_labels = svcdisc::selector_from_set(label_set{{"app", "web"}, {"x", ""}});
    CHECK(from_labels.matches(label_set{{"app", "web"}, {"x", ""}, {"y", "1"}}));
    CHECK_FALSE(from_labels.matches(label_set{{"app", "web"}}));
}

TEST_CASE("RequiresExactMatch: the first requirement on the key decides") {
    const auto selector = parse("a=1,b==2,c in (3),d in (4,5),e,a=9,f!=6");
    CHECK(selector.requires_exact_match("a") == "1");
    CHECK(selector.requires_exact_match("b") == "2");
    CHECK(selector.requires_exact_match("c") == "3");
    CHECK_FALSE(selector.requires_exact_match("d").has_value());
    CHECK_FALSE(selector.requires_exact_match("e").has_value());
    CHECK_FALSE(selector.requires_exact_match("f").has_value());
    CHECK_FALSE(selector.requires_exact_match("zz").has_value());
}

TEST_CASE("ConvertSelectorToLabelsMap: naive split, trim, validate") {
    CHECK(svcdisc::convert_selector_to_labels_map("")->empty());
    CHECK(*svcdisc::convert_selector_to_labels_map("a=1,a=2") == label_set{{"a", "2"}});
    CHECK(*svcdisc::convert_selector_to_labels_map("a=") == label_set{{"a", ""}});
    CHECK(*svcdisc::convert_selector_to_labels_map("\va\f=\xc2\xa0"
                                                   "b ") == label_set{{"a", "b"}});

    const auto doubled = svcdisc::convert_selector_to_labels_map("x=1, a==b");
    REQUIRE_FALSE(doubled.has_value());
    CHECK(doubled.error().message == "invalid selector: [ a  b]");
    CHECK(doubled.error().offset == 4);
    CHECK(svcdisc::convert_selector_to_labels_map("a=b,").error().message ==
          "invalid selector: []");
    CHECK(svcdisc::convert_selector_to_labels_map("a").error().message == "invalid selector: [a]");

    const auto bad_key = svcdisc::convert_selector_to_labels_map("a=b,  -k = v");
    REQUIRE_FALSE(bad_key.has_value());
    CHECK(bad_key.error().message.starts_with("key: Invalid value: \"-k\": name part"));
    CHECK(bad_key.error().offset == 6);
    const auto bad_value = svcdisc::convert_selector_to_labels_map("k =  -v");
    REQUIRE_FALSE(bad_value.has_value());
    CHECK(bad_value.error().message.starts_with("value[k]: Invalid value: \"-v\": a valid"));
    CHECK(bad_value.error().offset == 5);
}

// ---------------------------------------------------------------------------------------------
// Errors: positions, exceptions, carets, quoting.
// ---------------------------------------------------------------------------------------------

TEST_CASE("errors: parse_selector throws parse_error, an invalid_argument with the offset") {
    try {
        (void)svcdisc::parse_selector("app=web,tier in (a b)");
        FAIL("expected parse_error");
    } catch (const std::invalid_argument& error) {
        const auto* parse_error = dynamic_cast<const svcdisc::parse_error*>(&error);
        REQUIRE(parse_error != nullptr);
        CHECK(parse_error->offset() == 19);
        CHECK(std::string_view(error.what()) ==
              "unable to parse requirement: found 'b', expected: ',' or ')'");
    }
}

TEST_CASE("errors: the caret points at the offending token") {
    const std::string input = "app=web,tier in (a b)";
    const auto error = error_of(input);
    CHECK(svcdisc::render_caret(input, error.offset) == "app=web,tier in (a b)\n"
                                                        "                   ^");
    const std::string bad_key = "app=web, Tier/x=1";
    CHECK(svcdisc::render_caret(bad_key, error_of(bad_key).offset) == "app=web, Tier/x=1\n"
                                                                      "         ^");
    const std::string at_end = "x in (a,";
    CHECK(svcdisc::render_caret(at_end, error_of(at_end).offset) == "x in (a,\n"
                                                                    "        ^");
}

TEST_CASE("errors: the caret sits under the byte on its own line, tabs kept, offset clamped") {
    const std::string multi_line = "x=a,\n\ty=a=b";
    const auto error = error_of(multi_line);
    CHECK(error.offset == 9);
    CHECK(svcdisc::render_caret(multi_line, error.offset) == "\ty=a=b\n"
                                                             "\t   ^");
    CHECK(svcdisc::render_caret("ab", 10) == "ab\n"
                                             "  ^");
    CHECK(svcdisc::render_caret("ab\ncd", 0) == "ab\n"
                                                "^");
    CHECK(svcdisc::render_caret("ab\ncd", 3) == "cd\n"
                                                "^");
}

TEST_CASE("errors: result::error() on a value throws a logic_error that says so") {
    const auto parsed = svcdisc::try_parse_selector("app=web");
    REQUIRE(parsed.has_value());
    CHECK_THROWS_AS((void)parsed.error(), std::logic_error);
    CHECK_THROWS_WITH((void)parsed.error(),
                      "svcdisc::result: error() called on a value, or value() on an error");
}

TEST_CASE("errors: bad values are quoted like Go's %q") {
    using svcdisc::go_quote;
    CHECK(go_quote("") == "\"\"");
    CHECK(go_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(go_quote("\a\b\f\n\r\t\v") == "\"\\a\\b\\f\\n\\r\\t\\v\"");
    CHECK(go_quote(std::string_view("\0\x1f\x7f", 3)) == "\"\\x00\\x1f\\x7f\"");
    CHECK(go_quote("\xe2\x98\x83") == "\"\xe2\x98\x83\"");
    CHECK(go_quote("\xc2\xa0\xc2\x85") == "\"\\u00a0\\u0085\"");
    CHECK(go_quote("\xff\xc3") == "\"\\xff\\xc3\"");
    CHECK(go_quote("\xed\xa0\x80") == "\"\\xed\\xa0\\x80\"");
    CHECK(go_quote("\xf3\xb0\x80\x80") == "\"\\U000f0000\"");
}
