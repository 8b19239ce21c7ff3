// The svcdisc CLI's JSONPath and custom-columns engines against kubectl: the examples of
// kubectl's "JSONPath Support" page, client-go's jsonpath tests, kubectl's custom-columns tests
// and documentation, the printing rules of Go's fmt and encoding/json, and error messages.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>
#include <simdjson.h>

#include "custom_columns.hpp"
#include "jsonpath.hpp"

namespace jp = svcdisc_cli::jsonpath;
namespace cc = svcdisc_cli::custom_columns;

namespace {

/// A parsed JSON document that outlives the elements taken from it.
class document {
  public:
    explicit document(std::string_view json) {
        const auto error = parser_.parse(json.data(), json.size()).get(root_);
        REQUIRE_MESSAGE(error == simdjson::SUCCESS, "fixture does not parse: ", json);
    }

    [[nodiscard]] simdjson::dom::element root() const { return root_; }

  private:
    simdjson::dom::parser parser_;
    simdjson::dom::element root_;
};

/// What `kubectl get -o jsonpath=TEMPLATE` prints, or "error: MESSAGE" for a template that does
/// not parse or fails.
std::string print(const document& doc, std::string_view tmpl, jp::options opts = {}) {
    auto parsed = jp::parse(tmpl);
    if (!parsed) {
        return "error: " + parsed.error().message;
    }
    auto printed = jp::execute(parsed.value(), doc.root(), opts);
    if (printed.error) {
        CHECK(printed.text.empty());
        return "error: " + *printed.error;
    }
    return printed.text;
}

/// The same with --allow-missing-template-keys=false (client-go's tests run this way).
std::string print_strict(const document& doc, std::string_view tmpl) {
    return print(doc, tmpl, {false, false});
}

/// The error a template that does not parse gives, with its offset.
svcdisc::input_error parse_error(std::string_view tmpl) {
    auto parsed = jp::parse(tmpl);
    REQUIRE_MESSAGE(!parsed, "parses: ", tmpl);
    return parsed.error();
}

/// The JSON input of kubectl's "JSONPath Support" page.
constexpr std::string_view docs_input = R"({
  "kind": "List",
  "items":[
    {
      "kind":"None",
      "metadata":{
        "name":"127.0.0.1",
        "labels":{
          "kubernetes.io/hostname":"127.0.0.1"
        }
      },
      "status":{
        "capacity":{"cpu":"4"},
        "addresses":[{"type": "LegacyHostIP", "address":"127.0.0.1"}]
      }
    },
    {
      "kind":"None",
      "metadata":{"name":"127.0.0.2"},
      "status":{
        "capacity":{"cpu":"8"},
        "addresses":[
          {"type": "LegacyHostIP", "address":"127.0.0.2"},
          {"type": "another", "address":"127.0.0.3"}
        ]
      }
    }
  ],
  "users":[
    {
      "name": "myself",
      "user": {}
    },
    {
      "name": "e2e",
      "user": {"username": "admin", "password": "secret"}
    }
  ]
})";

/// The input of client-go's TestKubernetes: the page's input with `ready` flags and a label on
/// both items.
constexpr std::string_view nodes_input = R"({
  "kind": "List",
  "items":[
    {"kind":"None",
     "metadata":{"name":"127.0.0.1","labels":{"kubernetes.io/hostname":"127.0.0.1"}},
     "status":{"capacity":{"cpu":"4"},"ready": true,
               "addresses":[{"type": "LegacyHostIP", "address":"127.0.0.1"}]}},
    {"kind":"None",
     "metadata":{"name":"127.0.0.2","labels":{"kubernetes.io/hostname":"127.0.0.2"}},
     "status":{"capacity":{"cpu":"8"},"ready": false,
               "addresses":[{"type": "LegacyHostIP", "address":"127.0.0.2"},
                            {"type": "another", "address":"127.0.0.3"}]}}
  ],
  "users":[
    {"name": "myself", "user": {}},
    {"name": "e2e", "user": {"username": "admin", "password": "secret"}}
  ]
})";

/// client-go's store fixture (TestStructInput) written as the JSON kubectl would hold it.
constexpr std::string_view store_input = R"({
  "Name": "jsonpath",
  "Book": [
    {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings of the Centurey", "Price": 8.95},
    {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword of Honour", "Price": 12.99},
    {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99}
  ],
  "Bicycle": [
    {"Color": "red", "Price": 19.95, "IsNew": true},
    {"Color": "green", "Price": 20.01, "IsNew": false}
  ],
  "Labels": {"engieer": 10, "web/html": 15, "k8s-app": 20},
  "Employees": {"jason": "manager", "dan": "clerk"}
})";

/// client-go's TestNegativeIndex and TestStep pod: containers fake0..fake5.
constexpr std::string_view six_containers = R"({"apiVersion": "v1", "kind": "Pod", "spec": {
  "containers": [{"image": "radial/busyboxplus:curl", "name": "fake0"},
                 {"image": "radial/busyboxplus:curl", "name": "fake1"},
                 {"image": "radial/busyboxplus:curl", "name": "fake2"},
                 {"image": "radial/busyboxplus:curl", "name": "fake3"},
                 {"image": "radial/busyboxplus:curl", "name": "fake4"},
                 {"image": "radial/busyboxplus:curl", "name": "fake5"}]}})";

constexpr std::string_view four_containers = R"({"apiVersion": "v1", "kind": "Pod", "spec": {
  "containers": [{"image": "radial/busyboxplus:curl", "name": "fake0"},
                 {"image": "radial/busyboxplus:curl", "name": "fake1"},
                 {"image": "radial/busyboxplus:curl", "name": "fake2"},
                 {"image": "radial/busyboxplus:curl", "name": "fake3"}]}})";

} // namespace

TEST_CASE("the JSONPath Support page: every function of its table on its input") {
    const document doc(docs_input);
    CHECK(print(doc, "kind is {.kind}") == "kind is List");
    // {@} prints the input, as compact JSON with sorted keys (encoding/json on a Go map).
    CHECK(print(doc, "{@}") ==
          R"({"items":[{"kind":"None","metadata":{"labels":{"kubernetes.io/hostname":"127.0.0.1"},)"
          R"("name":"127.0.0.1"},"status":{"addresses":[{"address":"127.0.0.1","type":)"
          R"("LegacyHostIP"}],"capacity":{"cpu":"4"}}},{"kind":"None","metadata":{"name":)"
          R"("127.0.0.2"},"status":{"addresses":[{"address":"127.0.0.2","type":"LegacyHostIP"},)"
          R"({"address":"127.0.0.3","type":"another"}],"capacity":{"cpu":"8"}}}],"kind":"List",)"
          R"("users":[{"name":"myself","user":{}},{"name":"e2e","user":{"password":"secret",)"
          R"("username":"admin"}}]})");
    CHECK(print(doc, "{.kind}") == "List");
    CHECK(print(doc, "{['kind']}") == "List");
    CHECK(print(document(R"({"name.type":"List"})"), R"({['name\.type']})") == "List");
    CHECK(print(doc, "{..name}") == "127.0.0.1 127.0.0.2 myself e2e");
    // The page shows `[127.0.0.1 127.0.0.2]` and `map[cpu:4]`, Go's %v of older kubectl
    // versions; kubectl prints the values space-separated and maps as JSON (client-go's
    // TestKubernetes pins these forms).
    CHECK(print(doc, "{.items[*].metadata.name}") == "127.0.0.1 127.0.0.2");
    CHECK(print(doc, "{.users[0].name}") == "myself");
    CHECK(print(doc, "{.items[*]['metadata.name', 'status.capacity']}") ==
          R"(127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"})");
    CHECK(print(doc, R"({.users[?(@.name=="e2e")].user.password})") == "secret");
    CHECK(print(doc, "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}") ==
          R"([127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] )");
    CHECK(print(doc, R"({range .items[*]}{.metadata.name}{'\t'}{end})") ==
          "127.0.0.1\t127.0.0.2\t");
    CHECK(print(doc, R"({.items[0].metadata.labels.kubernetes\.io/hostname})") == "127.0.0.1");
}

TEST_CASE("the JSONPath Support page: its kubectl command lines") {
    const document doc(docs_input);
    CHECK(print(doc, "{.items[0]}") ==
          R"({"kind":"None","metadata":{"labels":{"kubernetes.io/hostname":"127.0.0.1"},)"
          R"("name":"127.0.0.1"},"status":{"addresses":[{"address":"127.0.0.1","type":)"
          R"("LegacyHostIP"}],"capacity":{"cpu":"4"}}})");
    CHECK(print(doc, "{.items[0].metadata.name}") == "127.0.0.1");
    // status.startTime is missing: kubectl allows missing keys, so the field prints nothing.
    CHECK(print(doc, R"({range .items[*]}{.metadata.name}{"\t"}{.status.startTime}{"\n"}{end})") ==
          "127.0.0.1\t\n127.0.0.2\t\n");
    // The Windows spellings: single quotes, or escaped double quotes, inside the template.
    CHECK(print(doc, R"({range .items[*]}{.metadata.name}{'\t'}{.status.startTime}{'\n'}{end})") ==
          "127.0.0.1\t\n127.0.0.2\t\n");
    // Regular expressions are not supported: =~ splits as `=` and an operand starting with `~`.
    CHECK(print(doc, R"({.items[?(@.metadata.name=~/^test$/)].metadata.name})") ==
          "error: unrecognized character in action: U+007E '~'");
}

TEST_CASE("client-go TestTypesInput: slices of every JSON type") {
    const document doc(R"({
      "bools": [true, false, true, false],
      "integers": [1, 2, 3, 4],
      "floats": [1.0, 2.2, 3.3, 4.0],
      "strings": ["one", "two", "three", "four"],
      "interfaces": [true, "one", 1, 1.1],
      "maps": [{"name": "one", "value": 1}, {"name": "two", "value": 2.02},
               {"name": "three", "value": 3.03}, {"name": "four", "value": 4.04}]})");
    CHECK(print(doc, "{ .bools }") == "[true,false,true,false]");
    CHECK(print(doc, "{ .bools[0] }") == "true");
    CHECK(print(doc, "{ .bools[-1] }") == "false");
    CHECK(print(doc, "{ .bools[0:2] }") == "true false");
    CHECK(print(doc, "{ .bools[:2] }") == "true false");
    CHECK(print(doc, "{ .bools[:4:2] }") == "true true");
    CHECK(print(doc, "{ .integers }") == "[1,2,3,4]");
    CHECK(print(doc, "{ .integers[0] }") == "1");
    CHECK(print(doc, "{ .integers[-2] }") == "3");
    CHECK(print(doc, "{ .integers[0:2] }") == "1 2");
    CHECK(print(doc, "{ .integers[:4:2] }") == "1 3");
    CHECK(print(doc, "{ .floats }") == "[1,2.2,3.3,4]");
    CHECK(print(doc, "{ .floats[0] }") == "1");
    CHECK(print(doc, "{ .floats[-2] }") == "3.3");
    CHECK(print(doc, "{ .floats[:2] }") == "1 2.2");
    CHECK(print(doc, "{ .floats[:4:2] }") == "1 3.3");
    CHECK(print(doc, "{ .strings }") == R"(["one","two","three","four"])");
    CHECK(print(doc, "{ .strings[-2] }") == "three");
    CHECK(print(doc, "{ .strings[:4:2] }") == "one three");
    CHECK(print(doc, "{ .interfaces }") == R"([true,"one",1,1.1])");
    CHECK(print(doc, "{ .interfaces[-2] }") == "1");
    CHECK(print(doc, "{ .interfaces[0:2] }") == "true one");
    CHECK(print(doc, "{ .interfaces[:4:2] }") == "true 1");
    CHECK(print(doc, "{ .maps }") ==
          R"([{"name":"one","value":1},{"name":"two","value":2.02},)"
          R"({"name":"three","value":3.03},{"name":"four","value":4.04}])");
    CHECK(print(doc, "{ .maps[-2] }") == R"({"name":"three","value":3.03})");
    CHECK(print(doc, "{ .maps[:2] }") == R"({"name":"one","value":1} {"name":"two","value":2.02})");
    CHECK(print(doc, "{ .maps[::2] }") ==
          R"({"name":"one","value":1} {"name":"three","value":3.03})");
    CHECK(print(doc, "{ .maps[1::2] }") ==
          R"({"name":"two","value":2.02} {"name":"four","value":4.04})");
}

TEST_CASE("client-go TestStructInput, on the store as JSON") {
    const document store(store_input);
    CHECK(print_strict(document("null"), "hello jsonpath") == "hello jsonpath");
    CHECK(print_strict(document("[1, 2, 3]"), "{..}") == "[1,2,3]");
    CHECK(print_strict(document("[2, 6, 3, 7]"), "{[?(@<5)]}") == "2 3");
    CHECK(print_strict(document("null"), R"({"{"})") == "{");
    CHECK(print_strict(document("[0, 1, 2, 3, 4]"), "{[1,3,4]}") == "1 3 4");
    CHECK(print_strict(document(R"(["Monday", "Tudesday"])"), "{[0:2]}") == "Monday Tudesday");
    CHECK(print_strict(store, "hello {.Name}") == "hello jsonpath");
    CHECK(print_strict(store, "{$.Labels.web/html}") == "15");
    CHECK(print_strict(store, "{$.Employees.jason}") == "manager");
    CHECK(print_strict(store, "{$.Employees.dan}") == "clerk");
    CHECK(print_strict(store, "{.Labels.k8s-app}") == "20");
    CHECK(print_strict(store, "{.Bicycle[*].Color}") == "red green");
    CHECK(print_strict(store, "{.Book[*].Author}") == "Nigel Rees Evelyn Waugh Herman Melville");
    // A Go struct keeps its field order; a JSON object is a map, visited in sorted key order.
    CHECK(print_strict(store, R"({range .Bicycle[*]}{ "{" }{ @.* }{ "} " }{end})") ==
          "{red true 19.95} {green false 20.01} ");
    CHECK(print_strict(store, "{..Price}") == "19.95 20.01 8.95 12.99 8.99");
    CHECK(print_strict(store, "{...Price}") == "19.95 20.01 8.95 12.99 8.99");
    CHECK(
        print_strict(store, "{.Bicycle}") ==
        R"([{"Color":"red","IsNew":true,"Price":19.95},{"Color":"green","IsNew":false,"Price":20.01}])");
    CHECK(
        print_strict(store, R"({range .Bicycle[*]}{ @ }{ " " }{end})") ==
        R"({"Color":"red","IsNew":true,"Price":19.95} {"Color":"green","IsNew":false,"Price":20.01} )");
    CHECK(print_strict(store, "{.Book[-1:]}") ==
          R"({"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"})");
    CHECK(print_strict(store, "{..Book[2]}") ==
          R"({"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"})");
    CHECK(print_strict(store, "{.Bicycle[?(@.IsNew==true)]}") ==
          R"({"Color":"red","IsNew":true,"Price":19.95})");

    SUBCASE("missing keys allowed") {
        CHECK(print(store, "{.hello}").empty());
        CHECK(print(store, "before-{.hello}after") == "before-after");
    }
    SUBCASE("failures") {
        CHECK(print_strict(store,
                           "{............................................................Price}") ==
              "error: invalid multiple recursive descent");
        CHECK(print_strict(store, "{hello}") == "error: unrecognized identifier hello");
        CHECK(print_strict(store, "{.hello}") == "error: hello is not found");
        CHECK(print_strict(store, "{.Labels[0]}") ==
              "error: map[string]interface {} is not array or slice");
        CHECK(print_strict(store, "{.Book[?(@.Price<>10)]}") ==
              "error: unrecognized filter operator <>");
        CHECK(print_strict(store, "{range .Labels.*}{@}{end}{end}") ==
              "error: not in range, nothing to end");
    }
}

TEST_CASE("client-go TestJSONInput: existence filter, bracket key, null") {
    const document points(R"([
        {"id": "i1", "x":4, "y":-5},
        {"id": "i2", "x":-2, "y":-5, "z":1},
        {"id": "i3", "x":  8, "y":  3 },
        {"id": "i4", "x": -6, "y": -1 },
        {"id": "i5", "x":  0, "y":  2, "z": 1 },
        {"id": "i6", "x":  1, "y":  4 },
        {"id": "i7", "x":  null, "y":  4 }])");
    CHECK(print_strict(points, "{[?(@.z)].id}") == "i2 i5");
    CHECK(print_strict(points, "{[0]['id']}") == "i1");
    CHECK(print_strict(points, "{[-1]['x']}") == "null");
    // Numbers compare within their Go kind: JSON integers are int64 in kubectl's objects.
    CHECK(print_strict(points, "{[?(@.y>0)].id}") == "i3 i5 i6 i7");
}

TEST_CASE("client-go TestKubernetes") {
    const document nodes(nodes_input);
    CHECK(print_strict(nodes, "{range .items[*]}{.metadata.name}, {end}{.kind}") ==
          "127.0.0.1, 127.0.0.2, List");
    CHECK(print_strict(nodes, R"({range .items[*]}{.metadata.name}{"\t"}{end})") ==
          "127.0.0.1\t127.0.0.2\t");
    CHECK(print_strict(nodes, "{.items[*].status.addresses[*].address}") ==
          "127.0.0.1 127.0.0.2 127.0.0.3");
    CHECK(print_strict(nodes,
                       "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}") ==
          "127.0.0.1, 127.0.0.2, 127.0.0.3, ");
    CHECK(print_strict(nodes, "{.items[*].metadata.name}") == "127.0.0.1 127.0.0.2");
    CHECK(print_strict(nodes, "{.items[*]['metadata.name', 'status.capacity']}") ==
          R"(127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"})");
    CHECK(print_strict(nodes, "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}") ==
          R"([127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] )");
    CHECK(print_strict(nodes, R"({.users[?(@.name=="e2e")].user.password})") == "secret");
    CHECK(print_strict(nodes, R"({.items[0].metadata.labels.kubernetes\.io/hostname})") ==
          "127.0.0.1");
    CHECK(
        print_strict(
            nodes, R"({.items[?(@.metadata.labels.kubernetes\.io/hostname=="127.0.0.1")].kind})") ==
        "None");
    CHECK(print_strict(nodes, "{.items[?(@..ready==true)].metadata.name}") == "127.0.0.1");
    CHECK(print_strict(nodes, "{..name}") == "127.0.0.1 127.0.0.2 myself e2e");
}

TEST_CASE("client-go TestEmptyRange and TestNestedRanges") {
    const document empty(R"({"items":[]})");
    CHECK(print(empty, "{range .items[*]}{.metadata.name}{end}").empty());
    CHECK(
        print(
            empty,
            R"({range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end})")
            .empty());
    // A range over nothing still walks its body once (on no value) to find its end, so a
    // strict evaluation reports the missing field.
    CHECK(print_strict(empty, "{range .items[*]}{.metadata.name}{end}") ==
          "error: metadata is not found");

    const document pods(R"({"items": [
      {"metadata": {"name": "pod1"},
       "spec": {"containers": [
         {"name": "foo", "another": [{ "name": "value1" }, { "name": "value2" }]},
         {"name": "bar", "another": [{ "name": "value1" }, { "name": "value2" }]}]}},
      {"metadata": {"name": "pod2"},
       "spec": {"containers": [
         {"name": "baz", "another": [{ "name": "value1" }, { "name": "value2" }]}]}}]})");
    CHECK(
        print_strict(
            pods,
            R"({range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end})") ==
        "pod1:foo,bar,+pod2:baz,+");
    CHECK(
        print_strict(
            pods,
            R"({range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end})") ==
        "pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#");
    CHECK(
        print_strict(
            pods,
            R"({range .items[*]}{.metadata.name}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\n"}{end})") ==
        "pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n");
}

TEST_CASE("client-go TestFilterPartialMatchesSometimesMissingAnnotations and running pods") {
    const document pods(R"({"kind": "List", "items": [
      {"kind": "Pod", "metadata": {"name": "pod1", "annotations": {"color": "blue"}}},
      {"kind": "Pod", "metadata": {"name": "pod2"}},
      {"kind": "Pod", "metadata": {"name": "pod3", "annotations": {"color": "green"}}},
      {"kind": "Pod", "metadata": {"name": "pod4", "annotations": {"color": "blue"}}}]})");
    const std::string_view blue =
        R"({.items[?(@.metadata.annotations.color=="blue")].metadata.name})";
    CHECK(print(pods, blue) == "pod1 pod4");
    CHECK(print_strict(pods, blue) == "error: annotations is not found");

    const document running(R"({"kind": "List", "items": [
      {"kind": "Pod", "metadata": {"name": "pod1"}, "status": {"phase": "Running"}},
      {"kind": "Pod", "metadata": {"name": "pod2"}, "status": {"phase": "Running"}},
      {"kind": "Pod", "metadata": {"name": "pod3"}, "status": {"phase": "Running"}},
      {"resourceVersion": ""}]})");
    CHECK(
        print(
            running,
            R"({range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\n"}{end})") ==
        "pod1 is Running\npod2 is Running\npod3 is Running\n");
}

TEST_CASE("client-go TestNegativeIndex and TestStep") {
    const document four(four_containers);
    CHECK(print_strict(four, "{.spec.containers[0].name}") == "fake0");
    CHECK(print_strict(four, "{.spec.containers[0:0].name}").empty());
    CHECK(print_strict(four, "{.spec.containers[0:-1].name}") == "fake0 fake1 fake2");
    CHECK(print_strict(four, "{.spec.containers[-1:0].name}") ==
          "error: starting index 3 is greater than ending index 0");
    CHECK(print_strict(four, "{.spec.containers[-1].name}") == "fake3");
    CHECK(print_strict(four, "{.spec.containers[-1:].name}") == "fake3");
    CHECK(print_strict(four, "{.spec.containers[-2].name}") == "fake2");
    CHECK(print_strict(four, "{.spec.containers[-2:].name}") == "fake2 fake3");
    CHECK(print_strict(four, "{.spec.containers[-3].name}") == "fake1");
    CHECK(print_strict(four, "{.spec.containers[-4].name}") == "fake0");
    CHECK(print_strict(four, "{.spec.containers[-4:].name}") == "fake0 fake1 fake2 fake3");
    CHECK(print_strict(four, "{.spec.containers[-5].name}") ==
          "error: array index out of bounds: index -1, length 4");
    CHECK(print_strict(four, "{.spec.containers[5:5].name}").empty());
    CHECK(print_strict(four, "{.spec.containers[-5:-5].name}").empty());
    CHECK(print_strict(four, "{.spec.containers[3:1].name}") ==
          "error: starting index 3 is greater than ending index 1");
    CHECK(print_strict(four, "{.spec.containers[-1:-2].name}") ==
          "error: starting index 3 is greater than ending index 2");
    CHECK(print_strict(four, "{.spec.containers[4].name}") ==
          "error: array index out of bounds: index 4, length 4");
    CHECK(print_strict(four, "{.spec.containers[0:9].name}") ==
          "error: array index out of bounds: index 8, length 4");

    const document six(six_containers);
    const std::string all = "fake0 fake1 fake2 fake3 fake4 fake5";
    CHECK(print_strict(six, "{.spec.containers[0:].name}") == all);
    CHECK(print_strict(six, "{.spec.containers[0:6:].name}") == all);
    CHECK(print_strict(six, "{.spec.containers[0:6:1].name}") == all);
    CHECK(print_strict(six, "{.spec.containers[0:6:0].name}") == "error: step must be > 0");
    CHECK(print_strict(six, "{.spec.containers[0:6:-1].name}") == "error: step must be > 0");
    CHECK(print_strict(six, "{.spec.containers[1:4:2].name}") == "fake1 fake3");
    CHECK(print_strict(six, "{.spec.containers[1:4:3].name}") == "fake1");
    CHECK(print_strict(six, "{.spec.containers[1:4:4].name}") == "fake1");
    CHECK(print_strict(six, "{.spec.containers[0:6:2].name}") == "fake0 fake2 fake4");
    CHECK(print_strict(six, "{.spec.containers[0:6:3].name}") == "fake0 fake3");
    CHECK(print_strict(six, "{.spec.containers[0:6:5].name}") == "fake0 fake5");
    CHECK(print_strict(six, "{.spec.containers[0:6:6].name}") == "fake0");
}

TEST_CASE("client-go parser tests: what parses, and the failures' messages and offsets") {
    const document store(store_input);
    CHECK(print(store, "{['Name']}") == "jsonpath");
    CHECK(print(document(R"({"book":{"price":3}})"), "{['book.price']}") == "3");
    CHECK(print(document(R"({"bicycle":{"price":1},"book":{"price":2},"x":[0,1,2,3]})"),
                "{['bicycle.price', 'book.price']}") == "1 2");
    CHECK(print(document("[0,1,2,3,4]"), "{[-5:]}") == "0 1 2 3 4");
    CHECK(print(document("[0,1,2,3,4]"), "{[1:-1]}") == "1 2 3");
    const document images(R"t([{"status":{"nodeInfo":{"osImage":"()"}}},
                               {"status":{"nodeInfo":{"osImage":"(\"\")"}}},
                               {"status":{"nodeInfo":{"osImage":"Linux"}}},
                               {"status":{"nodeInfo":{"osImage":"{[()]}"}}},
                               {"status":{"nodeInfo":{"osImage":"''"}}},
                               {"status":{"nodeInfo":{"osImage":"\"\""}}},
                               {"test":"())("}])t");
    CHECK(print(images, R"t({[?(@.status.nodeInfo.osImage == "()")].status.nodeInfo.osImage})t") ==
          "()");
    CHECK(print(images,
                R"t({[?(@.status.nodeInfo.osImage == "(\"\")")].status.nodeInfo.osImage})t") ==
          R"t((""))t");
    CHECK(print(images, R"t({[?(@.test == "())(")].test})t") == "())(");
    CHECK(
        print(images, R"t({[?(@.status.nodeInfo.osImage == 'Linux')].status.nodeInfo.osImage})t") ==
        "Linux");
    CHECK(print(images,
                R"t({[?(@.status.nodeInfo.osImage == "{[()]}")].status.nodeInfo.osImage})t") ==
          "{[()]}");
    CHECK(print(images, R"t({[?(@.status.nodeInfo.osImage == "''")].status.nodeInfo.osImage})t") ==
          "''");
    CHECK(print(images, R"t({[?(@.status.nodeInfo.osImage == '""')].status.nodeInfo.osImage})t") ==
          R"t("")t");

    CHECK(parse_error("{.hello") == svcdisc::input_error{"unclosed action", 7});
    CHECK(parse_error("{*}") ==
          svcdisc::input_error{"unrecognized character in action: U+002A '*'", 1});
    CHECK(parse_error("{+12.3.0}") == svcdisc::input_error{"cannot parse number +12.3.0", 1});
    CHECK(parse_error("{[1}") == svcdisc::input_error{"unterminated array", 1});
    CHECK(parse_error("{[?(.price]}") == svcdisc::input_error{"unterminated filter", 1});
    CHECK(parse_error("{........}") ==
          svcdisc::input_error{"invalid multiple recursive descent", 3});
    CHECK(parse_error(R"({\\\})").message == "unrecognized character in action: U+005C '\\'");
}

TEST_CASE("parse errors: kubectl's messages, positioned") {
    CHECK(parse_error("x {.a\n}") == svcdisc::input_error{"unclosed action", 5});
    CHECK(parse_error("{.a\t}") ==
          svcdisc::input_error{"unrecognized character in action: U+0009", 3});
    CHECK(parse_error("{€}").message == "unrecognized character in action: U+20AC '€'");
    CHECK(parse_error("{.a[1:x]}") == svcdisc::input_error{"invalid array index 1:x", 3});
    CHECK(parse_error(R"({.a["b"]})") == svcdisc::input_error{R"(invalid array index "b")", 3});
    CHECK(parse_error("{.a[ 1 ]}").message == "invalid array index  1 ");
    CHECK(parse_error("{.a[99999999999999999999]}").message ==
          "array index 99999999999999999999 is not a number");
    CHECK(parse_error("{.a[-]}").message == "array index - is not a number");
    CHECK(parse_error("{.a[?(@.b)x]}") == svcdisc::input_error{"unclosed array expect ]", 10});
    CHECK(parse_error(R"({"abc})") == svcdisc::input_error{"unterminated quoted string", 1});
    CHECK(parse_error(R"({"\q"})") ==
          svcdisc::input_error{R"(unquote string "\q" error invalid syntax)", 1});
    CHECK(parse_error("{-}").message == "cannot parse number -");
    CHECK(parse_error("{{.a}}").message == "unrecognized character in action: U+007B '{'");
    // A union alternative, a dictionary key and a filter operand are parsed as templates of
    // their own; their errors point into the part.
    CHECK(parse_error("{.a[0, #]}") == svcdisc::input_error{"invalid array index #", 7});
    CHECK(parse_error("{.a[?(@.b==[0, #])]}") == svcdisc::input_error{"invalid array index #", 15});
    CHECK(parse_error("{.a[?(@.b==#)]}") ==
          svcdisc::input_error{"unrecognized character in action: U+0023 '#'", 11});
}

TEST_CASE("templates that parse in client-go's own ways") {
    const document doc(R"({"a":{"b":[1,2,3]},"s":"x","t":true,"n":2.5,"k!":1})");
    CHECK(print(doc, "}") == "}");
    CHECK(print(doc, "x}y{.s}}") == "x}yx}");
    CHECK(print(doc, "{}") == print(doc, "{@}"));
    CHECK(print(doc, "{ .s }") == "x");
    CHECK(print(doc, "{$.s}{@.s}") == "xx");
    CHECK(print(doc, "{true}{5}{2.5}{+7}{1.}") == "true52.571");
    CHECK(print(doc, "{99999999999999999999}") == "1e+20");
    CHECK(print(doc, R"({"a" "b"})") == "b");
    CHECK(print(doc, R"({'a\'b'})") == "a'b");
    CHECK(print(doc, R"({"\x41\101\u00e9\U0001F600"})") == "AAé😀");
    CHECK(print(doc, "{.a.b[]}") == "1");
    CHECK(print(doc, "{.a.b[,]}") == "1 1");
    CHECK(print(doc, "{.a.b[01]}") == "2");
    CHECK(print(doc, "{..a..b}") == "[1,2,3]");
    CHECK(print(doc, "{.a.b[1:1]}").empty());
    // Operator characters end neither a field name nor an identifier.
    CHECK(print(document(R"([{"k!":1},{"k":2}])"), "{[?(@.k!)].k!}") == "1");
    CHECK(print(doc, "{range .a.b[*]}{@}") ==
          R"(123{"a":{"b":[1,2,3]},"k!":1,"n":2.5,"s":"x","t":true})");
    CHECK(print(doc, "{range}{.s}{end}") == "x");
}

TEST_CASE("values print as kubectl prints them") {
    const document doc(R"({"million": 1000000.0, "big": 1e21, "small": 0.00001, "half": 0.5,
        "plain": 123456.5, "int": 42, "negative": -7, "zero": -0.0, "huge": 1.5e300,
        "yes": true, "no": false, "nothing": null, "empty": {}, "none": [],
        "html": "<a&b>", "ctl": "\b\f\n\r\t\u0001\u2028", "nested": {"z": [null, 1.5], "a": "x"},
        "list": [null, 1]})");
    CHECK(print(doc, "{.million}") == "1e+06");
    CHECK(print(doc, "{.big}") == "1e+21");
    CHECK(print(doc, "{.small}") == "1e-05");
    CHECK(print(doc, "{.half}") == "0.5");
    CHECK(print(doc, "{.plain}") == "123456.5");
    CHECK(print(doc, "{.int} {.negative}") == "42 -7");
    CHECK(print(doc, "{.zero}") == "-0");
    CHECK(print(doc, "{.huge}") == "1.5e+300");
    CHECK(print(doc, "{.yes} {.no}") == "true false");
    CHECK(print(doc, "{.nothing}") == "null");
    CHECK(print(doc, "{.empty}{.none}") == "{}[]");
    CHECK(print(doc, "{.html}") == "<a&b>");
    CHECK(print(doc, "{.nested}") == R"({"a":"x","z":[null,1.5]})");
    // Strings print raw; inside JSON, encoding/json escapes (Go 1.22 and later: \b and \f).
    CHECK(print(doc, "{.ctl}") == "\b\f\n\r\t\x01\u2028");
    CHECK(print(doc, "{['html','ctl','million','big','small','zero']}") ==
          "<a&b> \b\f\n\r\t\x01\u2028 1e+06 1e+21 1e-05 -0");
    CHECK(
        print(document(R"({"a":["<a&b>","\b\f\n\r\t\u0001\u2028",1000000.0,1e21,1e20,1e-7,
                              0.000001,-0.0]})"),
              "{.a}") ==
        R"(["\u003ca\u0026b\u003e","\b\f\n\r\t\u0001\u2028",1000000,1e+21,100000000000000000000,1e-7,0.000001,-0])");
    // A null element iterated by range is no value at all (Go's zero reflect.Value).
    CHECK(print(doc, "{range .list[*]}[{@}]{end}") == "[<no value>][1]");
    CHECK(print(doc, "{.list[*]}") == "null 1");
}

TEST_CASE("wildcards and recursive descent visit members in sorted key order") {
    const document doc(R"({"m":{"b":2,"c":3,"a":1},"s":"hi","d":{"k":1,"k":2}})");
    CHECK(print(doc, "{.m.*}") == "1 2 3");
    CHECK(print(doc, "{.m[*]}") == "error: map[string]interface {} is not array or slice");
    // A string's children are its bytes (Go indexes a string by byte).
    CHECK(print(doc, "{.s.*}") == "104 105");
    CHECK(print(doc, "{..}") ==
          R"({"d":{"k":2},"m":{"a":1,"b":2,"c":3},"s":"hi"} {"k":2} {"a":1,"b":2,"c":3} hi)");
    // Of duplicate keys the last wins, as when Go decodes the object.
    CHECK(print(doc, "{.d.k}") == "2");
}

TEST_CASE("filters compare as text/template compares") {
    const document doc(R"({"a":[{"n":1,"s":"a","f":1.5,"b":true},{"n":2,"s":"b","f":2.5,"b":false},
                             {"n":3,"s":"c","f":3.5,"x":null}]})");
    CHECK(print(doc, "{.a[?(@.n>1)].s}") == "b c");
    CHECK(print(doc, "{.a[?(@.n>=2)].s}") == "b c");
    CHECK(print(doc, "{.a[?(@.n<2)].s}") == "a");
    CHECK(print(doc, "{.a[?(@.n<=2)].s}") == "a b");
    CHECK(print(doc, "{.a[?(@.n!=2)].s}") == "a c");
    CHECK(print(doc, R"({.a[?(@.s>"a")].n})") == "2 3");
    CHECK(print(doc, "{.a[?(@.f>2.0)].s}") == "b c");
    CHECK(print(doc, "{.a[?(@.b==false)].s}") == "b");
    CHECK(print(doc, "{.a[?(@.n==@.n)].s}") == "a b c");
    CHECK(print(doc, "{.a[?(@.x)].s}") == "c");
    // An int64 does not compare with a float64, nor a string with a number, nor null or bools
    // by order.
    CHECK(print(doc, "{.a[?(@.n>1.5)].s}") == "error: incompatible types for comparison");
    CHECK(print(doc, "{.a[?(@.s==1)].s}") == "error: incompatible types for comparison");
    CHECK(print(doc, "{.a[?(@.x==1)].s}") == "error: invalid type for comparison");
    CHECK(print(doc, "{.a[?(@.b<true)].s}") == "error: invalid type for comparison");
    CHECK(print(doc, "{.a[?(@.n=1)].s}") == "error: unrecognized filter operator =");
    CHECK(print(doc, "{.a[?(@..n==1)].s}") == "a");
    CHECK(print(doc, "{.a[?(@.*==1)].s}") == "error: can only compare one element at a time");
    CHECK(print(doc, "{.a[0][?(@.n)]}") ==
          "error: map[b:true f:1.5 n:1 s:a] is not array or slice and cannot be filtered");
    // A byte (from a string's wildcard) is a Go uint8, which compares with an int.
    const document letters(R"({"a":[{"s":"a"},{"s":"b"},{"s":""}]})");
    CHECK(print(letters, "{.a[?(@.s.*==97)].s}") == "a");
    CHECK(print(letters, "{.a[?(@.s.*>97)].s}") == "b");
    CHECK(print(letters, "{.a[?(@.s.*<=-1)].s}").empty());
    CHECK(print(document(R"({"s":"abc"})"), "{.s.*[?(@>97)]}") ==
          "error: 97 is not array or slice and cannot be filtered");
}

TEST_CASE("jsonpath-as-json prints each group as an indented JSON array") {
    const document doc(docs_input);
    const jp::options as_json{true, true};
    CHECK(print(doc, "{.users[*].name}", as_json) == "[\n    \"myself\",\n    \"e2e\"\n]\n");
    CHECK(print(doc, "{.users[0]}{.nothing}", as_json) ==
          "[\n    {\n        \"name\": \"myself\",\n        \"user\": {}\n    }\n]\n[]\n");
    CHECK(print(doc, R"({.kind}{"\n"})", as_json) == "[\n    \"List\"\n]\n[\n    \"\\n\"\n]\n");
}

TEST_CASE("kubectl's messages around the engine") {
    const document doc(R"({"kind":"List","items":[],"s":"é\n\"","n":null,"f":1.5,"o":{}})");
    CHECK(jp::kubectl_parse_error("{.a", parse_error("{.a")) ==
          "error parsing jsonpath {.a, unclosed action");
    const std::string tmpl = "{.items[0]}";
    const auto printed = jp::execute(jp::parse(tmpl).value(), doc.root());
    REQUIRE(printed.error);
    CHECK(*printed.error == "array index out of bounds: index 0, length 0");
    CHECK(jp::kubectl_execute_error(tmpl, *printed.error, doc.root()) ==
          "error executing jsonpath \"{.items[0]}\": Error executing template: array index out "
          "of bounds: index 0, length 0. Printing more information for debugging the "
          "template:\n\ttemplate was:\n\t\t{.items[0]}\n\tobject given to jsonpath engine "
          "was:\n\t\tmap[string]interface {}{\"f\":1.5, \"items\":[]interface {}{}, "
          "\"kind\":\"List\", \"n\":interface {}(nil), \"o\":map[string]interface {}{}, "
          "\"s\":\"é\\n\\\"\"}\n\n\n");
    CHECK(jp::go_quote("tab\there\x01\x7f é \u00ad \u2028 😀 \ufeff \ue000 \xff") ==
          R"("tab\there\x01\x7f é \u00ad \u2028 😀 \ufeff \ue000 \xff")");
    CHECK(jp::go_quote(R"({.a["b"]\})") == R"("{.a[\"b\"]\\}")");
}

TEST_CASE("custom-columns: kubectl's documentation examples") {
    const document pod(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"submit-queue",
        "resourceVersion":"610995"},"spec":{"containers":[{"name":"app","image":"nginx:1.25"},
        {"name":"sidecar","image":"busybox"}]}})");
    const auto inline_spec =
        cc::from_spec("NAME:.metadata.name,RSRC:.metadata.resourceVersion", false);
    REQUIRE(inline_spec);
    const auto from_file =
        cc::from_template("NAME          RSRC\nmetadata.name metadata.resourceVersion\n");
    REQUIRE(from_file);
    for (const auto* printer : {&inline_spec.value(), &from_file.value()}) {
        const auto table = cc::print(*printer, pod.root());
        CHECK_FALSE(table.error);
        CHECK(table.text == "NAME           RSRC\nsubmit-queue   610995\n");
    }
    const auto containers =
        cc::from_spec("CONTAINER:.spec.containers[0].name,IMAGE:.spec.containers[0].image", false);
    CHECK(cc::print(containers.value(), pod.root()).text ==
          "CONTAINER   IMAGE\napp         nginx:1.25\n");
    CHECK(
        cc::print(cc::from_spec("DATA:spec.containers[*].image", false).value(), pod.root()).text ==
        "DATA\nnginx:1.25,busybox\n");
    CHECK(cc::print(
              cc::from_spec(R"(DATA:spec.containers[?(@.image!="busybox")].image)", false).value(),
              pod.root())
              .text == "DATA\nnginx:1.25\n");
    CHECK(cc::print(cc::from_spec("DATA:metadata.*", false).value(), pod.root()).text ==
          "DATA\nsubmit-queue,610995\n");
}

TEST_CASE("custom-columns: kubectl's TestMassageJSONPath and spec parsing") {
    CHECK(cc::relaxed_jsonpath_expression("foo.bar").value() == "{.foo.bar}");
    CHECK(cc::relaxed_jsonpath_expression("{foo.bar}").value() == "{.foo.bar}");
    CHECK(cc::relaxed_jsonpath_expression(".foo.bar").value() == "{.foo.bar}");
    CHECK(cc::relaxed_jsonpath_expression("{.foo.bar}").value() == "{.foo.bar}");
    CHECK(cc::relaxed_jsonpath_expression("").value().empty());
    CHECK(cc::relaxed_jsonpath_expression(".").value() == "{..}");
    CHECK(cc::relaxed_jsonpath_expression("{.}").value() == "{..}");
    for (const std::string_view bad : {"{foo.bar", "foo.bar}", "{foo.bar}}", "{{foo.bar}"}) {
        CHECK(cc::relaxed_jsonpath_expression(bad).error().message ==
              "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
              "'{name1.name2}' or '{.name1.name2}'");
    }

    CHECK(cc::from_spec("", false).error() ==
          svcdisc::input_error{"custom-columns format specified but no custom columns given", 0});
    CHECK(cc::from_spec("invalid", false).error().message ==
          "unexpected custom-columns spec: invalid, expected <header>:<json-path-expr>");
    CHECK(cc::from_spec("invalid=foobar", false).error().message ==
          "unexpected custom-columns spec: invalid=foobar, expected <header>:<json-path-expr>");
    CHECK(cc::from_spec("invalid,foobar:blah", false).error() ==
          svcdisc::input_error{
              "unexpected custom-columns spec: invalid, expected <header>:<json-path-expr>", 0});
    CHECK(cc::from_spec("A:a,B", false).error().offset == 4);
    CHECK(cc::from_spec("A:a,B:{x", false).error().offset == 6);
    const auto ok = cc::from_spec("NAME:metadata.name,API_VERSION:apiVersion", true);
    REQUIRE(ok);
    CHECK(ok.value().no_headers);
    REQUIRE(ok.value().columns.size() == 2);
    CHECK(ok.value().columns[0].header == "NAME");
    CHECK(ok.value().columns[0].field_spec == "{.metadata.name}");
    CHECK(ok.value().columns[1].header == "API_VERSION");
    CHECK(ok.value().columns[1].field_spec == "{.apiVersion}");
    // A comma inside a path splits the spec, as in kubectl.
    CHECK(cc::from_spec("A:.a[0,1]", false).error().message ==
          "unexpected custom-columns spec: 1], expected <header>:<json-path-expr>");
}

TEST_CASE("custom-columns: kubectl's TestNewColumnPrinterFromTemplate") {
    const std::string hint = "Expected format is one line of space separated headers, one line "
                             "of space separated column specs.";
    CHECK(cc::from_template("").error().message ==
          "invalid template, missing header line. " + hint);
    for (const std::string_view one_line : {"invalid", "invalid=foobar", "invalid,foobar:blah"}) {
        CHECK(cc::from_template(one_line).error().message ==
              "invalid template, missing spec line. " + hint);
    }
    CHECK(cc::from_template("A B\n\n").error().message ==
          "number of headers (2) and field specifications (0) don't match");
    CHECK(cc::from_template("A\n{x\n").error().offset == 2);
    for (const std::string_view text :
         {"NAME               API_VERSION\n{metadata.name}    {apiVersion}",
          "NAME               \t\tAPI_VERSION\r\n\t\t\t\t\t\t\t{metadata.name}    "
          "{apiVersion}\n"}) {
        const auto parsed = cc::from_template(text);
        REQUIRE(parsed);
        CHECK_FALSE(parsed.value().no_headers);
        REQUIRE(parsed.value().columns.size() == 2);
        CHECK(parsed.value().columns[0].header == "NAME");
        CHECK(parsed.value().columns[0].field_spec == "{.metadata.name}");
        CHECK(parsed.value().columns[1].header == "API_VERSION");
        CHECK(parsed.value().columns[1].field_spec == "{.apiVersion}");
    }
}

TEST_CASE("custom-columns: kubectl's TestColumnPrint and TestSliceColumnPrint") {
    const auto table = [](std::string_view spec, std::string_view json, bool no_headers = false) {
        const document doc(json);
        const auto columns = cc::from_spec(spec, no_headers);
        REQUIRE(columns);
        const auto printed = cc::print(columns.value(), doc.root());
        return printed.error ? printed.text + "error: " + *printed.error : printed.text;
    };
    CHECK(table("NAME:{.metadata.name}", R"({"metadata":{"name":"foo"}})") == "NAME\nfoo\n");
    CHECK(
        table(
            "NAME:{.metadata.name}",
            R"({"kind":"List","items":[{"metadata":{"name":"foo"}},{"metadata":{"name":"bar"}}]})") ==
        "NAME\nfoo\nbar\n");
    CHECK(table("NAME:{.metadata.name},API_VERSION:{.apiVersion}",
                R"({"apiVersion":"baz","metadata":{"name":"foo"}})") ==
          "NAME   API_VERSION\nfoo    baz\n");
    CHECK(table("NAME:{.metadata.name},API_VERSION:{.apiVersion},NOT_FOUND:{.notFound}",
                R"({"apiVersion":"baz","metadata":{"name":"foo"}})") ==
          "NAME   API_VERSION   NOT_FOUND\nfoo    baz           <none>\n");
    CHECK(table("NAME:{.metadata.name}", R"({"items":[{"metadata":{"name":"\u001b \r"}}]})") ==
          "NAME\n^[ \\r\n");
    CHECK(table("NAME:.metadata.name,LONG COLUMN NAME:.metadata.labels.label1,LABEL "
                "2:.metadata.labels.label2",
                R"({"items":[{"metadata":{"name":"foo","labels":{"label1":"foo","label2":"foo"}}},
                             {"metadata":{"name":"bar","labels":{"label1":"bar","label2":"bar"}}}]})") ==
          "NAME   LONG COLUMN NAME   LABEL 2\nfoo    foo                foo\nbar    bar            "
          "    bar\n");
    CHECK(table("API_VERSION:apiVersion", R"({"apiVersion":"v1"})", true) == "v1\n");

    const std::string pod = R"({"metadata":{"name":"fake-name","namespace":"fake-namespace"},
        "spec":{"containers":[{"name":"fake0"},{"name":"fake1"},{"name":"fake2"},{"name":"fake3"}]}})";
    const auto column = [&](std::string_view path) {
        return table("CONTAINER:.spec.containers" + std::string(path) + ".name", pod);
    };
    CHECK(column("[0]") == "CONTAINER\nfake0\n");
    CHECK(column("[3]") == "CONTAINER\nfake3\n");
    // On an error kubectl has printed the header already.
    CHECK(column("[5]") == "CONTAINER\nerror: array index out of bounds: index 5, length 4");
    CHECK(column("[-1]") == "CONTAINER\nfake3\n");
    CHECK(column("[-2]") == "CONTAINER\nfake2\n");
    CHECK(column("[-4]") == "CONTAINER\nfake0\n");
    CHECK(column("[-5]") == "CONTAINER\nerror: array index out of bounds: index -1, length 4");
    CHECK(column("[0:0]") == "CONTAINER\n<none>\n");
    CHECK(column("[0:3]") == "CONTAINER\nfake0,fake1,fake2\n");
    CHECK(column("[1:]") == "CONTAINER\nfake1,fake2,fake3\n");
    CHECK(column("[3:1]") == "CONTAINER\nerror: starting index 3 is greater than ending index 1");
    CHECK(column("[0:-1]") == "CONTAINER\nfake0,fake1,fake2\n");
    CHECK(column("[-1:]") == "CONTAINER\nfake3\n");
    CHECK(column("[-4:]") == "CONTAINER\nfake0,fake1,fake2,fake3\n");
    CHECK(column("[-3:-1]") == "CONTAINER\nfake1,fake2\n");
    CHECK(column("[-2:-3]") == "CONTAINER\nerror: starting index 2 is greater than ending index 1");
    CHECK(column("[4:4]") == "CONTAINER\n<none>\n");
    CHECK(column("[-5:-5]") == "CONTAINER\n<none>\n");
}

TEST_CASE("custom-columns: cells as Go's fmt prints them, and kubectl's special cases") {
    const document doc(R"({"kind":"List","items":[
        {"metadata":{"name":"web-0","labels":{"tier":"fe","app":"web"}},"spec":{"ports":[
          {"port":80,"name":"http"},{"port":443}]},"n":2.5,"m":1000000.0,"z":[null,{"q":[1,{"w":"v"}]}]},
        {"metadata":{"name":"a-much-longer-name"},"spec":{"ports":[]},"n":null}]})");
    const auto table = [&](std::string_view spec) {
        const auto printed = cc::print(cc::from_spec(spec, false).value(), doc.root());
        return printed.error ? printed.text + "error: " + *printed.error : printed.text;
    };
    CHECK(table("NAME:.metadata.name,LABELS:.metadata.labels,PORTS:.spec.ports[*].port") ==
          "NAME                 LABELS                 PORTS\n"
          "web-0                map[app:web tier:fe]   80,443\n"
          "a-much-longer-name   <none>                 <none>\n");
    CHECK(table("N:.n,M:.m,Z:.z,P:.spec.ports") ==
          "N       M        Z                             P\n"
          "2.5     1e+06    [<nil> map[q:[1 map[w:v]]]]   [map[name:http port:80] map[port:443]]\n"
          "<nil>   <none>   <none>                        []\n");
    // An empty path prints <none>; a path that does not parse is reported after the header.
    CHECK(table("EMPTY:") == "EMPTY\n<none>\n<none>\n");
    CHECK(table("NAME:.metadata.name,BAD:.spec.ports[") == "NAME   BAD\nerror: unterminated array");
}

TEST_CASE("custom-columns: the header of custom-columns-file stays, as in kubectl") {
    const document doc(R"({"metadata":{"name":"x"}})");
    const auto printer = cc::from_template("NAME\nmetadata.name\n");
    REQUIRE(printer);
    CHECK(cc::print(printer.value(), doc.root()).text == "NAME\nx\n");
}

TEST_CASE("kubectl's tabwriter: the layout of the CLI's tables, and Go's column blocks") {
    // Plain cells: as examples/cli/printers.cpp lays out tables (min width 6, padding 3, last
    // column unpadded).
    CHECK(cc::tabwriter_format("NAME\tENDPOINTS\tAGE\nkube-dns\t10.0.0.1:53\t5m\n") ==
          "NAME       ENDPOINTS     AGE\nkube-dns   10.0.0.1:53   5m\n");
    CHECK(cc::tabwriter_format("A\tB\nx\ty\n") == "A     B\nx     y\n");
    // Widths count runes, not bytes.
    CHECK(cc::tabwriter_format("É\tB\nxy\ty\n") == "É     B\nxy    y\n");
    CHECK(cc::tabwriter_format("ÉÉÉÉÉÉÉ\tB\nx\ty\n") == "ÉÉÉÉÉÉÉ   B\nx         y\n");
    // A line with fewer cells ends a column block; the widths it found are remembered.
    CHECK(cc::tabwriter_format("aaaaaaaa\tb\nsolo\nc\td\n") ==
          "aaaaaaaa   b\nsolo\nc          d\n");
    CHECK(cc::tabwriter_format("a\tb\tc\nlong-cell\td\n") ==
          "a           b     c\nlong-cell   d\n");
    CHECK(cc::tabwriter_format("no newline\tat end") == "no newline   at end");
    // A form feed ends the block too; a vertical tab ends a cell outside any column; text
    // between two 0xFF bytes is written as is and counts two runes less.
    CHECK(cc::tabwriter_format("x\ty\f\tz\n") == "x     y\n      z\n");
    CHECK(cc::tabwriter_format("a\vb\tc\nddddddd\te\tf\n") ==
          "a         b     c\nddddddd   e     f\n");
    CHECK(cc::tabwriter_format("a\tb\n\xffzz\xff\tc\nq\n") == "a     b\n\xffzz\xff    c\nq\n");
}

TEST_CASE("randomized templates never crash the engines (fixed seed)") {
    const document docs(docs_input);
    const document values(R"({"a":{"b":[1,2,3],"c":{"d":"x","e":null}},"s":"hé","t":true,
        "n":2.5,"arr":[{"k":1,"v":"a"},{"k":2},{"k":"3","v":null},null,[1,2]]})");
    const std::vector<std::string> seeds = {
        "{range .items[*]}{.metadata.name}{\"\\t\"}{range "
        ".status.addresses[*]}{.address}{end}{\"\\n\"}{end}",
        "{.items[*]['metadata.name', 'status.capacity']}",
        "{.users[?(@.name==\"e2e\")].user.password}",
        "{..name}{.items[-1:]}{.arr[?(@.k>1)].v}{.a.b[0:2:1]}",
        "{.arr[*].*}{..}{@}{$.s.*}{.a.c[?(@)]}{range .arr[*]}{@}{end}",
        "text {'\\u00e9'} {1.5} {true} {end} {range} {.x[,]}"};
    constexpr std::string_view alphabet =
        "{}[]().@$*?'\"=!<>,:\\- 0123456789abkrnuendange\t\n\xc3\xa9";
    std::mt19937 random(20240502);
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    for (int round = 0; round < 4000; ++round) {
        std::string tmpl = seeds[pick(seeds.size())];
        for (std::size_t edits = 1 + pick(4); edits > 0; --edits) {
            const std::size_t at = pick(tmpl.size() + 1);
            switch (pick(3)) {
            case 0:
                if (at < tmpl.size()) {
                    tmpl.erase(at, 1);
                }
                break;
            case 1:
                tmpl.insert(at, 1, alphabet[pick(alphabet.size())]);
                break;
            default:
                if (at < tmpl.size()) {
                    tmpl[at] = alphabet[pick(alphabet.size())];
                }
            }
        }
        CAPTURE(tmpl);
        auto parsed = jp::parse(tmpl);
        if (!parsed) {
            CHECK(parsed.error().offset <= tmpl.size());
            CHECK_FALSE(parsed.error().message.empty());
            continue;
        }
        for (const document* doc : {&docs, &values}) {
            for (const jp::options opts :
                 {jp::options{true, false}, jp::options{false, false}, jp::options{true, true}}) {
                const auto once = jp::execute(parsed.value(), doc->root(), opts);
                const auto again = jp::execute(parsed.value(), doc->root(), opts);
                CHECK(once.text == again.text);
                CHECK(once.error == again.error);
            }
        }
        const auto columns = cc::from_spec("A:" + tmpl + ",B:.metadata.name", round % 2 == 0);
        if (columns) {
            const auto table = cc::print(columns.value(), docs.root());
            CHECK((table.error || !table.text.empty() || columns.value().no_headers));
        }
    }
}
