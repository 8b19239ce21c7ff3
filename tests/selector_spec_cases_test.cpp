#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/labels.hpp>
#include <svcdisc/selector.hpp>

// Every selector case S01–S91 of docs/scenarios.md, each verified against the upstream parser
// (labels.Parse), then the extra matching checks and the other parser facts listed there. The
// byte offsets are where the offending token starts.

namespace {

struct named_labels {
    std::string_view name;
    svcdisc::label_set labels;
};

/// The standard label sets of docs/scenarios.md, named as in its "matches" column.
const std::vector<named_labels>& standard_sets() {
    static const std::vector<named_labels> sets = {
        {"{}", {}},
        {"{x=a}", {{"x", "a"}}},
        {"{x=b}", {{"x", "b"}}},
        {"{x=\"\"}", {{"x", ""}}},
        {"{y=b}", {{"y", "b"}}},
        {"{x=a,y=b}", {{"x", "a"}, {"y", "b"}}},
    };
    return sets;
}

/// The input parses, prints as `canonical`, re-parses to itself, and matches exactly the
/// standard sets named in `matching`.
void expect_parses(const std::string& input, const std::string& canonical,
                   std::initializer_list<std::string_view> matching) {
    CAPTURE(input);
    const auto parsed = svcdisc::try_parse_selector(input);
    REQUIRE_MESSAGE(parsed.has_value(), parsed.error().message);
    CHECK(svcdisc::to_string(*parsed) == canonical);
    CHECK(parsed->empty() == canonical.empty());

    const auto reparsed = svcdisc::try_parse_selector(canonical);
    REQUIRE(reparsed.has_value());
    CHECK(svcdisc::to_string(*reparsed) == canonical);
    CHECK(*reparsed == *parsed);

    for (const named_labels& set : standard_sets()) {
        CAPTURE(set.name);
        const bool expected =
            std::find(matching.begin(), matching.end(), set.name) != matching.end();
        CHECK(parsed->matches(set.labels) == expected);
    }
}

enum class level {
    top_level, ///< reported by the selector loop, message exactly as given
    wrapped,   ///< reported while reading a requirement: "unable to parse requirement: …"
};
constexpr level top_level = level::top_level;
constexpr level wrapped = level::wrapped;

constexpr std::string_view requirement_prefix = "unable to parse requirement: ";

/// The input is rejected at byte `offset`, both by try_parse_selector and by parse_selector.
void expect_rejects(const std::string& input, level where, std::string_view expected,
                    std::size_t offset) {
    CAPTURE(input);
    const auto parsed = svcdisc::try_parse_selector(input);
    REQUIRE_FALSE(parsed.has_value());
    const std::string& message = parsed.error().message;
    CAPTURE(message);
    if (where == top_level) {
        CHECK(message == expected);
    } else {
        CHECK(message.starts_with(requirement_prefix));
        CHECK(message.find(expected) != std::string::npos);
    }
    CHECK(parsed.error().offset == offset);
    try {
        (void)svcdisc::parse_selector(input);
        FAIL("parse_selector did not throw");
    } catch (const svcdisc::parse_error& error) {
        CHECK(std::string_view(error.what()) == message);
        CHECK(error.offset() == offset);
    }
}

svcdisc::label_selector parse(std::string_view text) {
    return svcdisc::parse_selector(text);
}

} // namespace

TEST_CASE("S01 labels.Parse: parses, canonical empty") {
    expect_parses(std::string(""), "", {"{}", "{x=a}", "{x=b}", "{x=\"\"}", "{y=b}", "{x=a,y=b}"});
}

TEST_CASE("S02 labels.Parse: parses, canonical empty") {
    expect_parses(std::string(" "), "", {"{}", "{x=a}", "{x=b}", "{x=\"\"}", "{y=b}", "{x=a,y=b}"});
}

TEST_CASE("S03 labels.Parse: parses, canonical x=a") {
    expect_parses(std::string("x=a"), "x=a", {"{x=a}", "{x=a,y=b}"});
}

TEST_CASE("S04 labels.Parse: parses, canonical x==a") {
    expect_parses(std::string("x==a"), "x==a", {"{x=a}", "{x=a,y=b}"});
}

TEST_CASE("S05 labels.Parse: parses, canonical x!=a") {
    expect_parses(std::string("x!=a"), "x!=a", {"{}", "{x=b}", "{x=\"\"}", "{y=b}"});
}

TEST_CASE("S06 labels.Parse: parses, canonical x=a") {
    expect_parses(std::string("x = a"), "x=a", {"{x=a}", "{x=a,y=b}"});
}

TEST_CASE("S07 labels.Parse: parses, canonical x=a,y=b") {
    expect_parses(std::string("  x=a  ,  y=b  "), "x=a,y=b", {"{x=a,y=b}"});
}

TEST_CASE("S08 labels.Parse: parses, canonical x=a,y=b") {
    expect_parses(std::string("y=b,x=a"), "x=a,y=b", {"{x=a,y=b}"});
}

TEST_CASE("S09 labels.Parse: parses, canonical x") {
    expect_parses(std::string("x"), "x", {"{x=a}", "{x=b}", "{x=\"\"}", "{x=a,y=b}"});
}

TEST_CASE("S10 labels.Parse: parses, canonical !x") {
    expect_parses(std::string("!x"), "!x", {"{}", "{y=b}"});
}

TEST_CASE("S11 labels.Parse: parses, canonical !x") {
    expect_parses(std::string("! x"), "!x", {"{}", "{y=b}"});
}

TEST_CASE("S12 labels.Parse: parses, canonical x in (a,b)") {
    expect_parses(std::string("x in (a,b)"), "x in (a,b)", {"{x=a}", "{x=b}", "{x=a,y=b}"});
}

TEST_CASE("S13 labels.Parse: parses, canonical x in (a,b)") {
    expect_parses(std::string("x in (b,a,a)"), "x in (a,b)", {"{x=a}", "{x=b}", "{x=a,y=b}"});
}

TEST_CASE("S14 labels.Parse: parses, canonical x notin (a)") {
    expect_parses(std::string("x notin (a)"), "x notin (a)", {"{}", "{x=b}", "{x=\"\"}", "{y=b}"});
}

TEST_CASE("S15 labels.Parse: parses, canonical x in ()") {
    expect_parses(std::string("x in ()"), "x in ()", {"{x=\"\"}"});
}

TEST_CASE("S16 labels.Parse: parses, canonical x in (,a)") {
    expect_parses(std::string("x in (a,)"), "x in (,a)", {"{x=a}", "{x=\"\"}", "{x=a,y=b}"});
}

TEST_CASE("S17 labels.Parse: parses, canonical x in ()") {
    expect_parses(std::string("x in ( )"), "x in ()", {"{x=\"\"}"});
}

TEST_CASE("S18 labels.Parse: parses, canonical x in (,a,b)") {
    expect_parses(std::string("x in (a,,b)"), "x in (,a,b)",
                  {"{x=a}", "{x=b}", "{x=\"\"}", "{x=a,y=b}"});
}

TEST_CASE("S19 labels.Parse: parses, canonical x in ()") {
    expect_parses(std::string("x in (,)"), "x in ()", {"{x=\"\"}"});
}

TEST_CASE("S20 labels.Parse: parses, canonical x notin ()") {
    expect_parses(std::string("x notin ()"), "x notin ()",
                  {"{}", "{x=a}", "{x=b}", "{y=b}", "{x=a,y=b}"});
}

TEST_CASE("S21 labels.Parse: rejected, syntax: found 'b', expected: ',' or ')'") {
    expect_rejects(std::string("x in (a b)"), wrapped, "found 'b', expected: ',' or ')'", 8);
}

TEST_CASE("S22 labels.Parse: rejected, syntax: found 'a' expected: '('") {
    expect_rejects(std::string("x in a"), wrapped, "found 'a' expected: '('", 5);
}

TEST_CASE("S23 labels.Parse: parses, canonical x in (a)") {
    expect_parses(std::string("x in(a)"), "x in (a)", {"{x=a}", "{x=a,y=b}"});
}

TEST_CASE("S24 labels.Parse: rejected, syntax: found '(', expected: in, notin, =, ==, !=, gt, lt") {
    expect_rejects(std::string("xin(a)"), wrapped,
                   "found '(', expected: in, notin, =, ==, !=, gt, lt", 3);
}

TEST_CASE("S25 labels.Parse: parses, canonical x=") {
    expect_parses(std::string("x="), "x=", {"{x=\"\"}"});
}

TEST_CASE("S26 labels.Parse: parses, canonical x=") {
    expect_parses(std::string("x= "), "x=", {"{x=\"\"}"});
}

TEST_CASE("S27 labels.Parse: parses, canonical x=,y=b") {
    expect_parses(std::string("x=,y=b"), "x=,y=b", {});
}

TEST_CASE("S28 labels.Parse: parses, canonical x==") {
    expect_parses(std::string("x=="), "x==", {"{x=\"\"}"});
}

TEST_CASE("S29 labels.Parse: parses, canonical x!=") {
    expect_parses(std::string("x!="), "x!=", {"{}", "{x=a}", "{x=b}", "{y=b}", "{x=a,y=b}"});
}

TEST_CASE("S30 labels.Parse: rejected, syntax: found '=', expected: ',' or 'end of string'") {
    expect_rejects(std::string("x=a=b"), top_level, "found '=', expected: ',' or 'end of string'",
                   3);
}

TEST_CASE("S31 labels.Parse: rejected, syntax: found '==', expected: ',' or 'end of string'") {
    expect_rejects(std::string("x==a==b"), top_level,
                   "found '==', expected: ',' or 'end of string'", 4);
}

TEST_CASE("S32 labels.Parse: rejected, syntax: found '=', expected: ',' or 'end of string'") {
    expect_rejects(std::string("!x=a"), top_level, "found '=', expected: ',' or 'end of string'",
                   2);
}

TEST_CASE("S33 labels.Parse: rejected, value is not a valid label value") {
    expect_rejects(std::string("x=a||y=b"), wrapped,
                   "values[0][x]: Invalid value: \"a||y\": a valid label value must be", 2);
}

TEST_CASE("S34 labels.Parse: parses, canonical x>1") {
    expect_parses(std::string("x>1"), "x>1", {});
}

TEST_CASE("S35 labels.Parse: parses, canonical x<1") {
    expect_parses(std::string("x<1"), "x<1", {});
}

TEST_CASE("S36 labels.Parse: rejected, gt/lt value is not a base-10 int64") {
    expect_rejects(
        std::string("x<a"), wrapped,
        "values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer",
        2);
}

TEST_CASE("S37 labels.Parse: parses, canonical x>01") {
    expect_parses(std::string("x>01"), "x>01", {});
}

TEST_CASE("S38 labels.Parse: rejected, value is not a valid label value") {
    expect_rejects(std::string("x>-1"), wrapped,
                   "values[0][x]: Invalid value: \"-1\": a valid label value must be", 2);
}

TEST_CASE("S39 labels.Parse: rejected, syntax: found '=', expected: identifier") {
    expect_rejects(std::string("x>=1"), wrapped, "found '=', expected: identifier", 2);
}

TEST_CASE("S40 labels.Parse: rejected, gt/lt value is not a base-10 int64") {
    expect_rejects(
        std::string("x>1.5"), wrapped,
        "values[0]: Invalid value: \"1.5\": for 'Gt', 'Lt' operators, the value must be an integer",
        2);
}

TEST_CASE("S41 labels.Parse: parses, canonical x=a,x=b") {
    expect_parses(std::string("x=a,x=b"), "x=a,x=b", {});
}

TEST_CASE("S42 labels.Parse: parses, canonical x,x") {
    expect_parses(std::string("x,x"), "x,x", {"{x=a}", "{x=b}", "{x=\"\"}", "{x=a,y=b}"});
}

TEST_CASE("S43 labels.Parse: parses, canonical a,!a") {
    expect_parses(std::string("a,!a"), "a,!a", {});
}

TEST_CASE("S44 labels.Parse: parses, canonical x in (in,notin)") {
    expect_parses(std::string("x in (in,notin)"), "x in (in,notin)", {});
}

TEST_CASE("S45 labels.Parse: parses, canonical in=notin") {
    expect_parses(std::string("in=notin"), "in=notin", {});
}

TEST_CASE("S46 labels.Parse: parses, canonical notin in (in)") {
    expect_parses(std::string("notin in (in)"), "notin in (in)", {});
}

TEST_CASE("S47 labels.Parse: parses, canonical x notin (a),y in (b)") {
    expect_parses(std::string("x notin (a),y in (b)"), "x notin (a),y in (b)", {"{y=b}"});
}

TEST_CASE("S48 labels.Parse: parses, canonical x,y in (a)") {
    expect_parses(std::string("x,y in (a)"), "x,y in (a)", {});
}

TEST_CASE(
    "S49 labels.Parse: rejected, syntax: found ',', expected: !, identifier, or 'end of string'") {
    expect_rejects(std::string(",x"), top_level,
                   "found ',', expected: !, identifier, or 'end of string'", 0);
}

TEST_CASE("S50 labels.Parse: rejected, syntax: found '', expected: identifier after ','") {
    expect_rejects(std::string("x,"), top_level, "found '', expected: identifier after ','", 2);
}

TEST_CASE("S51 labels.Parse: rejected, syntax: found ',', expected: identifier after ','") {
    expect_rejects(std::string("x,,y"), top_level, "found ',', expected: identifier after ','", 2);
}

TEST_CASE("S52 labels.Parse: parses, canonical a.b/c=d") {
    expect_parses(std::string("a.b/c=d"), "a.b/c=d", {});
}

TEST_CASE("S53 labels.Parse: rejected, key: prefix is not a lowercase DNS-1123 subdomain") {
    expect_rejects(std::string("A.B/c=d"), wrapped,
                   "<nil>: Invalid value: \"A.B/c\": prefix part a lowercase RFC 1123 subdomain",
                   0);
}

TEST_CASE("S54 labels.Parse: rejected, key: empty name part (2 errors)") {
    expect_rejects(std::string("example.com/=x"), wrapped,
                   "<nil>: Invalid value: \"example.com/\": name part must be non-empty; name part "
                   "must consist",
                   0);
}

TEST_CASE("S55 labels.Parse: rejected, key: empty prefix") {
    expect_rejects(std::string("/a=b"), wrapped,
                   "<nil>: Invalid value: \"/a\": prefix part must be non-empty", 0);
}

TEST_CASE("S56 labels.Parse: rejected, key: more than one slash") {
    expect_rejects(std::string("a/b/c=d"), wrapped,
                   "<nil>: Invalid value: \"a/b/c\": a valid label key must consist", 0);
}

TEST_CASE("S57 labels.Parse: rejected, key: name part has bad characters or bad first/last char") {
    expect_rejects(
        std::string("-a=b"), wrapped,
        "<nil>: Invalid value: \"-a\": name part must consist of alphanumeric characters", 0);
}

TEST_CASE("S58 labels.Parse: rejected, key: name part has bad characters or bad first/last char") {
    expect_rejects(
        std::string("a-=b"), wrapped,
        "<nil>: Invalid value: \"a-\": name part must consist of alphanumeric characters", 0);
}

TEST_CASE("S59 labels.Parse: parses, canonical a_b.C-d=e") {
    expect_parses(std::string("a_b.C-d=e"), "a_b.C-d=e", {});
}

TEST_CASE("S60 labels.Parse: parses, canonical 63a=v") {
    expect_parses(std::string(63, 'a') + "=v", std::string(63, 'a') + "=v", {});
}

TEST_CASE("S61 labels.Parse: rejected, key: name part longer than 63 bytes") {
    expect_rejects(std::string(64, 'a') + "=v", wrapped, "name part must be no more than 63 bytes",
                   0);
}

TEST_CASE("S62 labels.Parse: rejected, value longer than 63 bytes") {
    expect_rejects("x=" + std::string(64, 'a'), wrapped,
                   "values[0][x]: Invalid value: "
                   "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": must be "
                   "no more than 63 bytes",
                   2);
}

TEST_CASE("S63 labels.Parse: rejected, syntax: found 'b', expected: ',' or 'end of string'") {
    expect_rejects(std::string("x=a b"), top_level, "found 'b', expected: ',' or 'end of string'",
                   4);
}

TEST_CASE("S64 labels.Parse: rejected, value is not a valid label value") {
    expect_rejects(std::string("x=-a"), wrapped,
                   "values[0][x]: Invalid value: \"-a\": a valid label value must be", 2);
}

TEST_CASE("S65 labels.Parse: rejected, value is not a valid label value") {
    expect_rejects(std::string("x=a_"), wrapped,
                   "values[0][x]: Invalid value: \"a_\": a valid label value must be", 2);
}

TEST_CASE("S66 labels.Parse: parses, canonical x=A.b_c-D") {
    expect_parses(std::string("x=A.b_c-D"), "x=A.b_c-D", {});
}

TEST_CASE("S67 labels.Parse: rejected, syntax: found '(', expected: identifier") {
    expect_rejects(std::string("x = (a)"), wrapped, "found '(', expected: identifier", 4);
}

TEST_CASE("S68 labels.Parse: parses, canonical x in (a)") {
    expect_parses(std::string("x\tin\t(a)"), "x in (a)", {"{x=a}", "{x=a,y=b}"});
}

TEST_CASE("S69 labels.Parse: parses, canonical x") {
    expect_parses(std::string("\rx"), "x", {"{x=a}", "{x=b}", "{x=\"\"}", "{x=a,y=b}"});
}

TEST_CASE("S70 labels.Parse: rejected, key: name part has bad characters or bad first/last char") {
    expect_rejects(
        std::string("\vx"), wrapped,
        "<nil>: Invalid value: \"\\vx\": name part must consist of alphanumeric characters", 0);
}

TEST_CASE("S71 labels.Parse: rejected, value is not a valid label value") {
    expect_rejects(std::string("x=\xe2\x98\x83"), wrapped,
                   "values[0][x]: Invalid value: \"\xe2\x98\x83\": a valid label value must be", 2);
}

TEST_CASE("S72 labels.Parse: rejected, syntax: found '', expected: ',' or ')'") {
    expect_rejects(std::string("x in (a"), wrapped, "found '', expected: ',' or ')'", 7);
}

TEST_CASE("S73 labels.Parse: rejected, syntax: found 'a' expected: '('") {
    expect_rejects(std::string("x in a)"), wrapped, "found 'a' expected: '('", 5);
}

TEST_CASE("S74 labels.Parse: parses, canonical !x,y") {
    expect_parses(std::string("!x,y"), "!x,y", {"{y=b}"});
}

TEST_CASE("S75 labels.Parse: rejected, syntax: found '!', expected: identifier") {
    expect_rejects(std::string("!!x"), wrapped, "found '!', expected: identifier", 1);
}

TEST_CASE("S76 labels.Parse: rejected, syntax: found '!', expected: in, notin, =, ==, !=, gt, lt") {
    expect_rejects(std::string("x!"), wrapped, "found '!', expected: in, notin, =, ==, !=, gt, lt",
                   1);
}

TEST_CASE("S77 labels.Parse: rejected, syntax: found '!', expected: identifier") {
    expect_rejects(std::string("x=!a"), wrapped, "found '!', expected: identifier", 2);
}

TEST_CASE("S78 labels.Parse: rejected, syntax: found 'y', expected: ',' or 'end of string'") {
    expect_rejects(std::string("x in (a)y"), top_level,
                   "found 'y', expected: ',' or 'end of string'", 8);
}

TEST_CASE("S79 labels.Parse: parses, canonical X=a") {
    expect_parses(std::string("X=a"), "X=a", {});
}

TEST_CASE("S80 labels.Parse: parses, canonical 1=2") {
    expect_parses(std::string("1=2"), "1=2", {});
}

TEST_CASE("S81 labels.Parse: rejected, gt/lt value is not a base-10 int64") {
    expect_rejects(std::string("x>9223372036854775808"), wrapped,
                   "values[0]: Invalid value: \"9223372036854775808\": for 'Gt', 'Lt' operators, "
                   "the value must be an integer",
                   2);
}

TEST_CASE("S82 labels.Parse: rejected, syntax: found '', expected: identifier after ','") {
    expect_rejects(std::string("x=a,"), top_level, "found '', expected: identifier after ','", 4);
}

TEST_CASE(
    "S83 labels.Parse: rejected, syntax: found '(', expected: !, identifier, or 'end of string'") {
    expect_rejects(std::string("("), top_level,
                   "found '(', expected: !, identifier, or 'end of string'", 0);
}

TEST_CASE("S84 labels.Parse: parses, canonical w!=d,x in (a,b),!y,z=c") {
    expect_parses(std::string("x in (a,b),!y,z=c,w!=d"), "w!=d,x in (a,b),!y,z=c", {});
}

TEST_CASE("S85 labels.Parse: parses, canonical x,y,z") {
    expect_parses(std::string("z,y,x"), "x,y,z", {});
}

TEST_CASE("S86 labels.Parse: parses, canonical k8s.io/app in (db,web),tier notin (cache)") {
    expect_parses(std::string("k8s.io/app in (web, db),tier notin (cache)"),
                  "k8s.io/app in (db,web),tier notin (cache)", {});
}

TEST_CASE("S87 labels.Parse: parses, canonical x=a,y") {
    expect_parses(std::string("x=a,y"), "x=a,y", {"{x=a,y=b}"});
}

TEST_CASE("S88 labels.Parse: rejected, syntax: found '(', expected: identifier") {
    expect_rejects(std::string("x==(a)"), wrapped, "found '(', expected: identifier", 3);
}

TEST_CASE("S89 labels.Parse: rejected, syntax: found '(', expected: ',', ')' or identifier") {
    expect_rejects(std::string("x in ((a))"), wrapped,
                   "found '(', expected: ',', ')' or identifier", 6);
}

TEST_CASE("S90 labels.Parse: parses, canonical x==a,x") {
    expect_parses(std::string("x==a,x"), "x==a,x", {"{x=a}", "{x=a,y=b}"});
}

TEST_CASE("S91 labels.Parse: rejected, value is not a valid label value") {
    expect_rejects(std::string("a=b;c=d"), wrapped,
                   "values[0][a]: Invalid value: \"b;c\": a valid label value must be", 2);
}

// ---------------------------------------------------------------------------------------------
// Extra matching checks, for cases whose keys are not in the standard sets.
// ---------------------------------------------------------------------------------------------

TEST_CASE("S34 Requirement.Matches: x>1 compares as int64, signs and leading zeros allowed") {
    const auto s = parse("x>1");
    CHECK(s.matches(svcdisc::label_set{{"x", "2"}}));
    CHECK(s.matches(svcdisc::label_set{{"x", "+2"}}));
    CHECK(s.matches(svcdisc::label_set{{"x", "002"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "1"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "v2"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{}));
}

TEST_CASE("S35 Requirement.Matches: x<1 matches smaller and negative values") {
    const auto s = parse("x<1");
    CHECK(s.matches(svcdisc::label_set{{"x", "0"}}));
    CHECK(s.matches(svcdisc::label_set{{"x", "-5"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "1"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{}));
}

TEST_CASE("S37 Requirement.Matches: x>01 compares the number, not the text") {
    const auto s = parse("x>01");
    CHECK(s.matches(svcdisc::label_set{{"x", "2"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "1"}}));
}

TEST_CASE("S27 Requirement.Matches: x=,y=b needs x present and empty") {
    const auto s = parse("x=,y=b");
    CHECK(s.matches(svcdisc::label_set{{"x", ""}, {"y", "b"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"y", "b"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "a"}, {"y", "b"}}));
}

TEST_CASE("S41 Requirement.Matches: x=a,x=b is a contradiction") {
    const auto s = parse("x=a,x=b");
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "a"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "b"}}));
}

TEST_CASE("S43 Requirement.Matches: a,!a is a contradiction") {
    const auto s = parse("a,!a");
    CHECK_FALSE(s.matches(svcdisc::label_set{{"a", ""}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{}));
}

TEST_CASE("S44 Requirement.Matches: in and notin are plain values inside the list") {
    const auto s = parse("x in (in,notin)");
    CHECK(s.matches(svcdisc::label_set{{"x", "in"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "a"}}));
}

TEST_CASE("S45 Requirement.Matches: in=notin uses the keywords as key and value") {
    const auto s = parse("in=notin");
    CHECK(s.matches(svcdisc::label_set{{"in", "notin"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{}));
}

TEST_CASE("S46 Requirement.Matches: notin in (in) uses notin as the key") {
    const auto s = parse("notin in (in)");
    CHECK(s.matches(svcdisc::label_set{{"notin", "in"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{}));
}

TEST_CASE("S48 Requirement.Matches: x,y in (a) needs both requirements") {
    const auto s = parse("x,y in (a)");
    CHECK(s.matches(svcdisc::label_set{{"x", "q"}, {"y", "a"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"y", "a"}}));
}

TEST_CASE("S52 Requirement.Matches: a prefixed key is matched whole") {
    const auto s = parse("a.b/c=d");
    CHECK(s.matches(svcdisc::label_set{{"a.b/c", "d"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"c", "d"}}));
}

TEST_CASE("S59 Requirement.Matches: keys are case-sensitive") {
    const auto s = parse("a_b.C-d=e");
    CHECK(s.matches(svcdisc::label_set{{"a_b.C-d", "e"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"a_b.c-d", "e"}}));
}

TEST_CASE("S66 Requirement.Matches: values are case-sensitive") {
    const auto s = parse("x=A.b_c-D");
    CHECK(s.matches(svcdisc::label_set{{"x", "A.b_c-D"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "a.b_c-d"}}));
}

TEST_CASE("S79 Requirement.Matches: an upper-case key is its own key") {
    const auto s = parse("X=a");
    CHECK(s.matches(svcdisc::label_set{{"X", "a"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "a"}}));
}

TEST_CASE("S80 Requirement.Matches: digits are a valid key and value") {
    const auto s = parse("1=2");
    CHECK(s.matches(svcdisc::label_set{{"1", "2"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{}));
}

TEST_CASE("S84 Requirement.Matches: mixed operators are ANDed") {
    const auto s = parse("x in (a,b),!y,z=c,w!=d");
    CHECK(svcdisc::to_string(s) == "w!=d,x in (a,b),!y,z=c");
    CHECK(s.matches(svcdisc::label_set{{"x", "a"}, {"z", "c"}}));
    CHECK(s.matches(svcdisc::label_set{{"w", "e"}, {"x", "b"}, {"z", "c"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "a"}, {"y", "1"}, {"z", "c"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"w", "d"}, {"x", "b"}, {"z", "c"}}));
}

TEST_CASE("S85 Requirement.Matches: exists requirements accept empty values") {
    const auto s = parse("z,y,x");
    CHECK(s.matches(svcdisc::label_set{{"x", ""}, {"y", ""}, {"z", ""}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"x", "1"}, {"y", "2"}}));
}

TEST_CASE("S86 Requirement.Matches: prefixed in and notin") {
    const auto s = parse("k8s.io/app in (web, db),tier notin (cache)");
    CHECK(s.matches(svcdisc::label_set{{"k8s.io/app", "web"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"k8s.io/app", "db"}, {"tier", "cache"}}));
    CHECK_FALSE(s.matches(svcdisc::label_set{{"app", "web"}}));
}

// ---------------------------------------------------------------------------------------------
// Other verified facts about the parser.
// ---------------------------------------------------------------------------------------------

TEST_CASE("Selector.String: the canonical form of every accepted case is a fixed point") {
    // expect_parses re-parses each canonical form above; this covers inputs whose canonical
    // form differs most from the input.
    for (const char* input :
         {"  x=a  ,  y=b  ", "x in (b,a,a)", "x in (a,,b)", "x in (,)", "x\tin\t(a)",
          "k8s.io/app in (web, db),tier notin (cache)", "x in (a,b),!y,z=c,w!=d"}) {
        CAPTURE(input);
        const std::string canonical = svcdisc::to_string(parse(input));
        CHECK(svcdisc::to_string(parse(canonical)) == canonical);
    }
}

TEST_CASE("labels.Parse: 13 or more requirements sharing a key are ordered as Go's sort.Sort "
          "orders them") {
    // Deliberate change: svcdisc used to sort stably and print k=9 … k=0 in input order. It now
    // sorts with Go's pdqsort (detail/go/sort.hpp, Go 1.24 or later, as Kubernetes 1.35 is
    // built), so String() prints what upstream's labels.Parse(…).String() prints.
    const auto s = parse("k=9,k=8,k=7,k=6,k=5,k=4,k=3,k=2,k=1,k=0,a,b,c");
    CHECK(svcdisc::to_string(s) == "a,b,c,k=3,k=5,k=4,k=9,k=2,k=1,k=0,k=6,k=7,k=8");

    std::string ordered;
    for (int i = 1; i <= 20; ++i) {
        ordered += (i == 1 ? "" : ",") + std::string("m=") + std::to_string(i);
    }
    // An input whose keys are already in order goes through Go's partial insertion sort
    // untouched.
    CHECK(svcdisc::to_string(parse(ordered)) == ordered);
}

TEST_CASE("TestSetSelectorParser: the accepted rows of the upstream table, as of Kubernetes 1.35") {
    // The rows `x in (a,,)` … `x in (a,,a,,a,,a,,)` came with kubernetes/kubernetes#133419.
    const std::vector<std::pair<std::string, std::string>> rows = {
        {"", ""},
        {"\rx", "x"},
        {"this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash"},
        {"this-is-another-dns.domain.com/key-with-dash in (so,what)",
         "this-is-another-dns.domain.com/key-with-dash in (so,what)"},
        {"0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
         "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)"},
        {"foo  in\t (abc)", "foo in (abc)"},
        {"x notin\n (abc)", "x notin (abc)"},
        {"x  notin\t\t\t(abc,def)", "x notin (abc,def)"},
        {"x in (abc,def)", "x in (abc,def)"},
        {"x in (abc,)", "x in (,abc)"},
        {"x in (abc,abc)", "x in (abc)"},
        {"x in ()", "x in ()"},
        {"x in (a,,)", "x in (,a)"},
        {"x in (a,,,)", "x in (,a)"},
        {"x in (a,,,,,,)", "x in (,a)"},
        {"x in (a,,a,,a,,a,,)", "x in (,a)"},
        {"x notin (abc,,def),bar,z in (),w", "bar,w,x notin (,abc,def),z in ()"},
        {"x,y in (a)", "x,y in (a)"},
        {"x=a", "x=a"},
        {"x>1", "x>1"},
        {"x<7", "x<7"},
        {"x=a,y!=b", "x=a,y!=b"},
        {"x=a,y!=b,z in (h,i,j)", "x=a,y!=b,z in (h,i,j)"},
        {"x notin ( )", "x notin ()"},
        {"x notin (, a)", "x notin (,a)"},
        {"a ", "a"},
        {"a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)"},
    };
    for (const auto& row : rows) {
        const auto& input = row.first;
        CAPTURE(input);
        const auto parsed = svcdisc::try_parse_selector(input);
        REQUIRE_MESSAGE(parsed.has_value(), parsed.error().message);
        CHECK(svcdisc::to_string(*parsed) == row.second);
    }
}

TEST_CASE("TestSetSelectorParser: the rejected rows of the upstream table, with positions") {
    // `|` is an ordinary identifier byte, so the value is "a||y" and NewRequirement rejects it.
    expect_rejects(std::string("x=a||y=b"), wrapped, "values[0][x]: Invalid value: \"a||y\"", 2);
    expect_rejects(std::string("x,,y"), top_level, "found ',', expected: identifier after ','", 2);
    expect_rejects(std::string(",x,y"), top_level,
                   "found ',', expected: !, identifier, or 'end of string'", 0);
    expect_rejects(std::string("x nott in (y)"), wrapped,
                   "found 'nott', expected: in, notin, =, ==, !=, gt, lt", 2);
    expect_rejects(std::string("a in (xyz),"), top_level,
                   "found '', expected: identifier after ','", 11);
    expect_rejects(std::string("a in (xyz)b notin ()"), top_level,
                   "found 'b', expected: ',' or 'end of string'", 10);
    expect_rejects(std::string("a in (xyz abc)"), wrapped, "found 'abc', expected: ',' or ')'", 10);
    expect_rejects(std::string("a notin("), wrapped, "found '', expected: ',', ')' or identifier",
                   8);
    expect_rejects(std::string("a ("), wrapped, "found '(', expected: in, notin, =, ==, !=, gt, lt",
                   2);
    expect_rejects(std::string("("), top_level,
                   "found '(', expected: !, identifier, or 'end of string'", 0);
}

TEST_CASE("TestSelectorParse: good strings print back without their spaces; bad ones fail") {
    for (const std::string_view good : {"x=a,y=b,z=c", "", "x!=a,y=b",
                                        "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"}) {
        CAPTURE(good);
        std::string without_spaces(good);
        without_spaces.erase(std::remove(without_spaces.begin(), without_spaces.end(), ' '),
                             without_spaces.end());
        CHECK(svcdisc::to_string(parse(good)) == without_spaces);
    }
    for (const std::string_view bad : {"x=a||y=b", "x==a==b", "!x=a", "x<a"}) {
        CAPTURE(bad);
        CHECK_FALSE(svcdisc::try_parse_selector(bad).has_value());
    }
}

TEST_CASE("labels.Parse: up to 12 requirements sharing a key keep input order, as upstream") {
    CHECK(svcdisc::to_string(parse("x=b,x=a")) == "x=b,x=a");
    CHECK(svcdisc::to_string(parse("x=3,a,x=1,x=2")) == "a,x=3,x=1,x=2");
}

TEST_CASE("labels.Parse: key ordering is byte-wise") {
    const auto s = parse("x0,a_b,a/b,a.b,a-b,a,Z,B,A-b,0");
    CHECK(svcdisc::to_string(s) == "0,A-b,B,Z,a,a-b,a.b,a/b,a_b,x0");
}

TEST_CASE("NewRequirement: rejects bad arity and an invalid key") {
    using op = svcdisc::selector_operator;
    CHECK_FALSE(svcdisc::make_requirement("x", op::in, {}).has_value());
    CHECK_FALSE(svcdisc::make_requirement("x", op::exists, {"a"}).has_value());
    CHECK_FALSE(svcdisc::make_requirement("x", op::equals, {"a", "b"}).has_value());
    CHECK_FALSE(svcdisc::make_requirement("", op::exists, {}).has_value());
}

TEST_CASE("NewRequirement: accepts only the lowercase operator constants") {
    // The C++ operator is an enum, so a misspelt "In" cannot reach make_requirement; the API
    // spelling is handled by to_label_selector (label_selector_test). A value outside the enum
    // is rejected like an unknown operator string.
    const auto bad =
        svcdisc::make_requirement("x", static_cast<svcdisc::selector_operator>(42), {"a"});
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.find("operator: Unsupported value") != std::string::npos);
}

TEST_CASE("SelectorFromSet: sorts by key and an empty set is everything") {
    CHECK(svcdisc::to_string(
              svcdisc::selector_from_set(svcdisc::label_set{{"b", "2"}, {"a", "1"}})) == "a=1,b=2");
    const auto empty = svcdisc::selector_from_set(svcdisc::label_set{});
    CHECK(empty.empty());
    CHECK(empty.matches(svcdisc::label_set{}));
}

TEST_CASE("ConvertSelectorToLabelsMap: splits naively and trims spaces") {
    const auto labels = svcdisc::convert_selector_to_labels_map("a = b, c=d");
    REQUIRE(labels.has_value());
    CHECK(*labels == svcdisc::label_set{{"a", "b"}, {"c", "d"}});
}
