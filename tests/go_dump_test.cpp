#include <optional>
#include <string>

#include <doctest/doctest.h>

#include <svcdisc/detail/endpoints/dump.hpp>
#include <svcdisc/detail/go/md5.hpp>
#include <svcdisc/detail/go/spew.hpp>

// The go-spew `%#v` dump Kubernetes hashes to order Endpoints ports and subsets (SortSubsets,
// docs/endpoints.md): its exact shape, and the upstream MD5 vectors reproduced through svcdisc's
// own dump writer.

namespace {

using svcdisc::detail::to_hex;

std::string md5_hex(const std::string& text) {
    return to_hex(svcdisc::detail::md5(text));
}

svcdisc::endpoint_address address_p1() {
    return {"10.0.0.1", "", std::string("node-a"),
            svcdisc::object_reference{"Pod", "ns", "p1", "uid-1", "", "", ""}};
}

} // namespace

TEST_CASE("go dump: EndpointPort with nil appProtocol (dump.ForHash vector)") {
    const svcdisc::endpoint_port port{"http", 8080, "TCP", std::nullopt};
    const std::string dump = svcdisc::detail::go_dump(port);
    CHECK(dump == "(v1.EndpointPort){Name:(string)http Port:(int32)8080 "
                  "Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}");
    CHECK(md5_hex(dump) == "fc51ca7087ce52e70c38709727f8f0b6");
}

TEST_CASE("go dump: dns-udp and dns-tcp ports hash so that dns-tcp sorts first (SortSubsets)") {
    const svcdisc::endpoint_port udp{"dns-udp", 53, "UDP", std::nullopt};
    const svcdisc::endpoint_port tcp{"dns-tcp", 53, "TCP", std::nullopt};
    CHECK(to_hex(svcdisc::detail::go_dump_md5(udp)) == "ffb89c4ba3fd33d9aa5ad881c127cb18");
    CHECK(to_hex(svcdisc::detail::go_dump_md5(tcp)) == "3b6a791b41850c40c712b5cc585449ae");
    CHECK(svcdisc::detail::go_dump_md5(tcp) < svcdisc::detail::go_dump_md5(udp));
}

TEST_CASE("go dump: a non-nil appProtocol pointer prints its text (dump.ForHash vector)") {
    const svcdisc::endpoint_port port{"x", 1, "TCP", std::string("http")};
    const std::string dump = svcdisc::detail::go_dump(port);
    CHECK(dump == "(v1.EndpointPort){Name:(string)x Port:(int32)1 Protocol:(v1.Protocol)TCP "
                  "AppProtocol:(*string)http}");
    CHECK(md5_hex(dump) == "72d32f8990eb5d5cb1dc80f592048576");
}

TEST_CASE("go dump: EndpointSubset with a nil not-ready list (dump.ForHash vector)") {
    svcdisc::endpoint_subset subset;
    subset.addresses = {address_p1()};
    subset.ports = {{"http", 8080, "TCP", std::nullopt}};
    const std::string dump = svcdisc::detail::go_dump(subset);
    CHECK(dump ==
          "(v1.EndpointSubset){Addresses:([]v1.EndpointAddress)[{IP:(string)10.0.0.1 "
          "Hostname:(string) NodeName:(*string)node-a TargetRef:(*v1.ObjectReference){Kind:"
          "(string)Pod Namespace:(string)ns Name:(string)p1 UID:(types.UID)uid-1 APIVersion:"
          "(string) ResourceVersion:(string) FieldPath:(string)}}] NotReadyAddresses:([]v1."
          "EndpointAddress)<nil> Ports:([]v1.EndpointPort)[{Name:(string)http Port:(int32)8080 "
          "Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}]}");
    CHECK(md5_hex(dump) == "cd564b542efc5c2854fa2872cc24b404");
}

TEST_CASE("go dump: a pointer to an empty string is typed and empty, not nil") {
    svcdisc::endpoint_address a = address_p1();
    a.node_name = std::string();
    CHECK(svcdisc::detail::go_dump(a).find("NodeName:(*string) TargetRef:") != std::string::npos);
    a.node_name = std::nullopt;
    CHECK(svcdisc::detail::go_dump(a).find("NodeName:(*string)<nil> TargetRef:") !=
          std::string::npos);
}

TEST_CASE("go dump: a nil targetRef and every ObjectReference field") {
    svcdisc::endpoint_address a{"192.0.2.42", "h", std::nullopt, std::nullopt};
    CHECK(svcdisc::detail::go_dump(a) ==
          "(v1.EndpointAddress){IP:(string)192.0.2.42 Hostname:(string)h "
          "NodeName:(*string)<nil> TargetRef:(*v1.ObjectReference)<nil>}");
    a.target_ref = svcdisc::object_reference{"Pod", "ns", "n", "u", "v1", "42", "spec"};
    CHECK(svcdisc::detail::go_dump(a) ==
          "(v1.EndpointAddress){IP:(string)192.0.2.42 Hostname:(string)h "
          "NodeName:(*string)<nil> TargetRef:(*v1.ObjectReference){Kind:(string)Pod "
          "Namespace:(string)ns Name:(string)n UID:(types.UID)u APIVersion:(string)v1 "
          "ResourceVersion:(string)42 FieldPath:(string)spec}}");
}

TEST_CASE("go dump: empty lists are nil slices, several elements are space-separated") {
    svcdisc::endpoint_subset subset;
    CHECK(svcdisc::detail::go_dump(subset) ==
          "(v1.EndpointSubset){Addresses:([]v1.EndpointAddress)<nil> "
          "NotReadyAddresses:([]v1.EndpointAddress)<nil> Ports:([]v1.EndpointPort)<nil>}");
    subset.ports = {{"a", 1, "TCP", std::nullopt}, {"b", -2, "UDP", std::nullopt}};
    CHECK(svcdisc::detail::go_dump(subset).find(
              "Ports:([]v1.EndpointPort)[{Name:(string)a Port:(int32)1 Protocol:(v1.Protocol)TCP "
              "AppProtocol:(*string)<nil>} {Name:(string)b Port:(int32)-2 "
              "Protocol:(v1.Protocol)UDP AppProtocol:(*string)<nil>}]}") != std::string::npos);
}

TEST_CASE("go dump writer: an empty non-nil slice, nested structs and raw text") {
    svcdisc::detail::string_dump_sink sink;
    svcdisc::detail::go_dump_writer out(sink);
    out.begin_struct("v1.X");
    out.field("A");
    out.begin_slice("[]string");
    out.end_slice();
    out.field("B");
    out.begin_struct("*v1.Y");
    out.field("C");
    out.int32_value("*int32", -2147483647 - 1);
    out.end_struct();
    out.field("D");
    out.text("raw");
    out.end_struct();
    CHECK(sink.text == "(v1.X){A:([]string)[] B:(*v1.Y){C:(*int32)-2147483648} D:raw}");
}

TEST_CASE("go dump writer: hashing while writing equals hashing the text") {
    svcdisc::detail::md5_hasher hasher;
    svcdisc::detail::go_dump_writer out(hasher);
    svcdisc::detail::dump_endpoint_port(out, {"http", 8080, "TCP", std::nullopt},
                                        "v1.EndpointPort");
    CHECK(to_hex(hasher.finish()) == "fc51ca7087ce52e70c38709727f8f0b6");
    CHECK(svcdisc::detail::endpoint_port_md5({"http", 8080, "TCP", std::nullopt}) ==
          hasher.finish());
}
