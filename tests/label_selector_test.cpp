#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/label_selector.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/selector.hpp>

// metav1.LabelSelector (matchLabels + matchExpressions), its conversion to a selector
// (LabelSelectorAsSelector), its API validation (ValidateLabelSelector) and ParseToLabelSelector.

namespace {

using svcdisc::label_selector_expression;
using svcdisc::label_selector_spec;
using svcdisc::label_set;

svcdisc::label_selector convert(const label_selector_spec& spec) {
    auto converted = svcdisc::to_label_selector(spec);
    REQUIRE_MESSAGE(converted.has_value(), converted.error().message);
    return *converted;
}

std::string conversion_error(const label_selector_spec& spec) {
    auto converted = svcdisc::to_label_selector(spec);
    REQUIRE_FALSE(converted.has_value());
    CHECK(converted.error().offset == 0);
    return converted.error().message;
}

} // namespace

TEST_CASE("LabelSelectorAsSelector: a nil selector is nothing() and matches no object") {
    const auto converted = svcdisc::to_label_selector(std::optional<label_selector_spec>{});
    REQUIRE(converted.has_value());
    CHECK(converted->is_nothing());
    CHECK_FALSE(converted->empty());
    CHECK(svcdisc::to_string(*converted) == "");
    CHECK_FALSE(converted->matches(label_set{}));
    CHECK_FALSE(converted->matches(label_set{{"app", "web"}}));
}

TEST_CASE("LabelSelectorAsSelector: a present but empty selector is everything()") {
    const auto converted = convert(label_selector_spec{});
    CHECK(converted.empty());
    CHECK_FALSE(converted.is_nothing());
    CHECK(converted == svcdisc::label_selector::everything());
    CHECK(converted.matches(label_set{}));
    CHECK(converted.matches(label_set{{"app", "web"}}));
}

TEST_CASE("LabelSelectorAsSelector: matchLabels become = requirements sorted by key") {
    const auto converted = convert({{{"b", "2"}, {"a", "1"}}, {}});
    CHECK(svcdisc::to_string(converted) == "a=1,b=2");
    CHECK(converted.matches(label_set{{"a", "1"}, {"b", "2"}, {"c", "3"}}));
    CHECK_FALSE(converted.matches(label_set{{"a", "1"}}));
}

TEST_CASE("LabelSelectorAsSelector: expression operators map In/NotIn/Exists/DoesNotExist") {
    const auto converted = convert({{},
                                    {{"w", "In", {"a"}},
                                     {"x", "NotIn", {"b"}},
                                     {"y", "Exists", {}},
                                     {"z", "DoesNotExist", {}}}});
    CHECK(svcdisc::to_string(converted) == "w in (a),x notin (b),y,!z");
    const auto requirements = converted.requirements();
    REQUIRE(requirements.size() == 4);
    CHECK(requirements[0].op() == svcdisc::selector_operator::in);
    CHECK(requirements[1].op() == svcdisc::selector_operator::not_in);
    CHECK(requirements[2].op() == svcdisc::selector_operator::exists);
    CHECK(requirements[3].op() == svcdisc::selector_operator::does_not_exist);
    CHECK(converted.matches(label_set{{"w", "a"}, {"y", ""}}));
    CHECK_FALSE(converted.matches(label_set{{"w", "a"}, {"x", "b"}, {"y", ""}}));
}

TEST_CASE("LabelSelectorAsSelector: the verified example 0,a=b,a in (c)") {
    const auto converted = convert({{{"a", "b"}}, {{"a", "In", {"c"}}, {"0", "Exists", {}}}});
    CHECK(svcdisc::to_string(converted) == "0,a=b,a in (c)");
    // A key in both matchLabels and an expression keeps both requirements (AND).
    CHECK_FALSE(converted.matches(label_set{{"0", ""}, {"a", "b"}}));
    CHECK_FALSE(converted.matches(label_set{{"0", ""}, {"a", "c"}}));
}

TEST_CASE("LabelSelectorAsSelector: matchLabels and expressions are sorted by key together") {
    const auto converted =
        convert({{{"m", "1"}}, {{"z", "Exists", {}}, {"a", "DoesNotExist", {}}}});
    CHECK(svcdisc::to_string(converted) == "!a,m=1,z");
}

TEST_CASE("LabelSelectorAsSelector: 13 or more requirements are ordered as Go's sort.Sort "
          "orders them") {
    // Upstream appends the matchLabels (in Go's random map order) and then the expressions, and
    // sorts them all with Selector.Add; svcdisc appends the matchLabels in key order
    // (docs/determinism.md). Printed as Go's sort.Sort orders this list.
    label_selector_spec spec{{{"k", "m"}, {"z", "1"}}, {}};
    for (int v = 9; v >= 0; --v) {
        spec.match_expressions.push_back({"k", "In", {std::to_string(v)}});
    }
    spec.match_expressions.push_back({"a", "Exists", {}});
    spec.match_expressions.push_back({"b", "Exists", {}});
    const auto converted = convert(spec);
    CHECK(svcdisc::to_string(converted) == "a,b,k in (5),k in (8),k in (7),k in (6),k=m,k in (4),"
                                           "k in (3),k in (2),k in (1),k in (0),k in (9),z=1");
}

TEST_CASE(
    "LabelSelectorAsSelector: a key in both matchLabels and an expression must satisfy both") {
    const auto converted = convert({{{"a", "b"}}, {{"a", "NotIn", {"c"}}}});
    CHECK(converted.requirements().size() == 2);
    CHECK(converted.matches(label_set{{"a", "b"}}));
    CHECK_FALSE(converted.matches(label_set{{"a", "c"}}));
    CHECK_FALSE(converted.matches(label_set{{"a", "x"}}));
    CHECK_FALSE(converted.matches(label_set{}));
}

TEST_CASE(
    "LabelSelectorAsSelector: expression values are kept as given, not sorted or de-duplicated") {
    const auto converted = convert({{}, {{"x", "In", {"b", "a", "a"}}}});
    const auto values = converted.requirements()[0].values();
    REQUIRE(values.size() == 3);
    CHECK(values[0] == "b");
    CHECK(values[1] == "a");
    CHECK(values[2] == "a");
    // String() prints a sorted copy and keeps the duplicates (Requirement.String).
    CHECK(svcdisc::to_string(converted) == "x in (a,a,b)");
}

TEST_CASE("LabelSelectorAsSelector: operators are case-sensitive API spellings") {
    for (const char* op : {"in", "Gt", "notin", "exists", "IN", ""}) {
        CAPTURE(op);
        const std::string message = conversion_error({{}, {{"x", op, {"a"}}}});
        CHECK(message == svcdisc::go_quote(op) + " is not a valid label selector operator");
    }
    CHECK(conversion_error({{}, {{"x", "in", {"a"}}}}) ==
          "\"in\" is not a valid label selector operator");
}

TEST_CASE("LabelSelectorAsSelector: In/NotIn without values is an error") {
    CHECK(conversion_error({{}, {{"x", "In", {}}}}) ==
          "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty");
    CHECK(conversion_error({{}, {{"x", "NotIn", {}}}}).find("values set can't be empty") !=
          std::string::npos);
}

TEST_CASE("LabelSelectorAsSelector: Exists/DoesNotExist with values is an error") {
    CHECK(conversion_error({{}, {{"x", "Exists", {"a"}}}}) ==
          "values: Invalid value: [\"a\"]: values set must be empty for exists and does not "
          "exist");
    CHECK(conversion_error({{}, {{"x", "DoesNotExist", {"a", "b"}}}})
              .starts_with("values: Invalid value: [\"a\",\"b\"]: "));
}

TEST_CASE("LabelSelectorAsSelector: an invalid key or value aborts with NewRequirement's message") {
    CHECK(conversion_error({{}, {{"-x", "Exists", {}}}})
              .starts_with("key: Invalid value: \"-x\": name part must consist of"));
    CHECK(conversion_error({{}, {{"x", "In", {"ok", "-bad"}}}})
              .starts_with("values[1][x]: Invalid value: \"-bad\": a valid label value must"));
    CHECK(conversion_error({{{"x", "a b"}}, {}})
              .starts_with("values[0][x]: Invalid value: \"a b\": a valid label value must"));
    CHECK(conversion_error({{{"a/b/c", "v"}}, {}})
              .starts_with("key: Invalid value: \"a/b/c\": a valid label key must consist of"));
}

TEST_CASE("LabelSelectorAsSelector: several problems in one requirement are aggregated") {
    CHECK(conversion_error({{}, {{"-x", "In", {}}}}) ==
          "[key: Invalid value: \"-x\": " + svcdisc::label_key_errors("-x")[0] +
              ", values: Invalid value: null: for 'in', 'notin' operators, values set can't be "
              "empty]");
}

TEST_CASE("ValidateLabelSelector: a valid selector has no errors") {
    CHECK(svcdisc::validate_label_selector_spec({}).empty());
    CHECK(svcdisc::validate_label_selector_spec(
              {{{"app", "web"}, {"k8s.io/part-of", ""}},
               {{"tier", "In", {"a", ""}}, {"x", "Exists", {}}, {"y", "DoesNotExist", {}}}})
              .empty());
}

TEST_CASE("ValidateLabelSelector: In/NotIn without values is Required") {
    const auto errors = svcdisc::validate_label_selector_spec({{}, {{"tier", "In", {}}}});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "matchExpressions[0].values: Required value: must be specified when "
                       "`operator` is 'In' or 'NotIn'");
    const auto not_in =
        svcdisc::validate_label_selector_spec({{}, {{"a", "Exists", {}}, {"b", "NotIn", {}}}});
    REQUIRE(not_in.size() == 1);
    CHECK(not_in[0].starts_with("matchExpressions[1].values: Required value"));
}

TEST_CASE("ValidateLabelSelector: Exists/DoesNotExist with values is Forbidden") {
    const auto errors =
        svcdisc::validate_label_selector_spec({{}, {{"tier", "DoesNotExist", {"a"}}}});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "matchExpressions[0].values: Forbidden: may not be specified when "
                       "`operator` is 'Exists' or 'DoesNotExist'");
}

TEST_CASE("ValidateLabelSelector: an unknown operator is Invalid") {
    const auto errors = svcdisc::validate_label_selector_spec({{}, {{"tier", "in", {"a"}}}});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] ==
          "matchExpressions[0].operator: Invalid value: \"in\": not a valid selector operator");
}

TEST_CASE("ValidateLabelSelector: keys and values are checked, one error per problem") {
    const auto errors = svcdisc::validate_label_selector_spec(
        {{{"-a", "v"}, {"b", "-v"}}, {{"", "In", {"ok", "x y"}}}});
    REQUIRE(errors.size() == 5);
    CHECK(errors[0].starts_with("matchLabels: Invalid value: \"-a\": name part must consist"));
    CHECK(errors[1].starts_with("matchLabels: Invalid value: \"-v\": a valid label value"));
    CHECK(errors[2] == "matchExpressions[0].key: Invalid value: \"\": name part must be non-empty");
    CHECK(errors[3].starts_with("matchExpressions[0].key: Invalid value: \"\": name part must "
                                "consist"));
    CHECK(errors[4].starts_with(
        "matchExpressions[0].values[1]: Invalid value: \"x y\": a valid label value"));
}

TEST_CASE("ParseToLabelSelector: = and == become matchLabels, sets become expressions") {
    const auto spec =
        svcdisc::parse_label_selector_spec("app=web,env==prod,tier in (web,api,web),!canary,x");
    REQUIRE(spec.has_value());
    CHECK(spec->match_labels == label_set{{"app", "web"}, {"env", "prod"}});
    const std::vector<label_selector_expression> expected = {
        {"canary", "DoesNotExist", {}}, {"tier", "In", {"api", "web"}}, {"x", "Exists", {}}};
    CHECK(spec->match_expressions == expected);
    // Converting back gives the same selector, apart from == printed as =.
    CHECK(svcdisc::to_string(convert(*spec)) == "app=web,!canary,env=prod,tier in (api,web),x");
}

TEST_CASE("ParseToLabelSelector: gt, lt and != cannot be expressed") {
    const auto gt = svcdisc::parse_label_selector_spec("x>1");
    REQUIRE_FALSE(gt.has_value());
    CHECK(gt.error().message == "\"gt\" isn't supported in label selectors");
    const auto ne = svcdisc::parse_label_selector_spec("x!=1");
    REQUIRE_FALSE(ne.has_value());
    CHECK(ne.error().message == "\"!=\" is not a valid label selector operator");
}

TEST_CASE("ParseToLabelSelector: parse errors keep their position") {
    const auto bad = svcdisc::parse_label_selector_spec("x=a=b");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message == "couldn't parse the selector string \"x=a=b\": found '=', "
                                 "expected: ',' or 'end of string'");
    CHECK(bad.error().offset == 3);
}
