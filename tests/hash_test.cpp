#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include <svcdisc/detail/go/fnv.hpp>
#include <svcdisc/detail/go/md5.hpp>

// The two 128-bit hashes behind upstream-exact ordering: MD5 of the debug-dump for Endpoints
// ports and subsets (SortSubsets), FNV-128a of the debug-dump for EndpointSlice ports
// (NewPortMapKey); see docs/determinism.md.

namespace {

std::string md5_hex(std::string_view data) {
    return svcdisc::detail::to_hex(svcdisc::detail::md5(data));
}

std::string md5_hex_in_pieces(std::string_view data, std::size_t piece) {
    svcdisc::detail::md5_hasher hasher;
    for (std::size_t at = 0; at < data.size(); at += piece) {
        hasher.update(data.substr(at, piece));
    }
    return svcdisc::detail::to_hex(hasher.finish());
}

std::string fnv_hex_in_pieces(std::string_view data, std::size_t piece) {
    svcdisc::detail::fnv128a_hasher hasher;
    for (std::size_t at = 0; at < data.size(); at += piece) {
        hasher.update(data.substr(at, piece));
    }
    return svcdisc::detail::to_hex(hasher.finish());
}

/// Every byte value 0..255 once, in order.
std::string all_byte_values() {
    std::string bytes;
    for (unsigned value = 0; value < 256; ++value) {
        bytes += static_cast<char>(static_cast<unsigned char>(value));
    }
    return bytes;
}

// Lengths around the 55/56/64-byte padding boundaries, where one-block and two-block
// finishing differ.
constexpr std::size_t boundary_lengths[] = {0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000};

} // namespace

TEST_CASE("md5: RFC 1321 appendix A.5 test suite") {
    CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(md5_hex("a") == "0cc175b9c0f1b6a831c399e269772661");
    CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(md5_hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
    CHECK(md5_hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
    CHECK(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
          "d174ab98d277d9f5a5611c2c9f419d9f");
    CHECK(md5_hex("1234567890123456789012345678901234567890"
                  "1234567890123456789012345678901234567890") ==
          "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_CASE("md5: messages that end at the padding boundaries hash like md5sum") {
    // Digests of N repetitions of 'x', computed with coreutils md5sum.
    CHECK(md5_hex(std::string(55, 'x')) == "04364420e25c512fd958a70738aa8f72");
    CHECK(md5_hex(std::string(56, 'x')) == "668a72d5ba17f08e62dabcafad6db14b");
    CHECK(md5_hex(std::string(64, 'x')) == "c1bb4f81d892b2d57947682aeb252456");
    CHECK(md5_hex(std::string(1000, 'x')) == "398533d48111e9f664b1f64cb10c4b63");
}

TEST_CASE("md5: bytes above 0x7f are hashed as unsigned bytes") {
    // Computed with Python's hashlib over bytes 0..255.
    CHECK(md5_hex(all_byte_values()) == "e2c865db4162bed963bfaa9ef6ac18f0");
}

TEST_CASE("md5: incremental hashing in any piece size equals one-shot hashing") {
    std::string message;
    for (std::size_t i = 0; i < 1000; ++i) {
        message += static_cast<char>('a' + static_cast<char>(i % 26));
    }
    for (const std::size_t length : boundary_lengths) {
        const std::string_view data = std::string_view(message).substr(0, length);
        for (const std::size_t piece :
             std::initializer_list<std::size_t>{1U, 3U, 7U, 63U, 64U, 65U}) {
            CAPTURE(length);
            CAPTURE(piece);
            CHECK(md5_hex_in_pieces(data, piece) == md5_hex(data));
        }
    }
}

TEST_CASE("md5: finish leaves the hasher usable for a longer message") {
    svcdisc::detail::md5_hasher hasher;
    hasher.update("a");
    CHECK(svcdisc::detail::to_hex(hasher.finish()) == "0cc175b9c0f1b6a831c399e269772661");
    hasher.update("bc");
    CHECK(svcdisc::detail::to_hex(hasher.finish()) == "900150983cd24fb0d6963f7d28e17f72");
}

TEST_CASE("md5: hashObject vectors of EndpointPort and EndpointSubset") {
    CHECK(md5_hex("(v1.EndpointPort){Name:(string)http Port:(int32)8080 Protocol:(v1.Protocol)TCP "
                  "AppProtocol:(*string)<nil>}") == "fc51ca7087ce52e70c38709727f8f0b6");
    CHECK(md5_hex("(v1.EndpointPort){Name:(string)dns-udp Port:(int32)53 "
                  "Protocol:(v1.Protocol)UDP AppProtocol:(*string)<nil>}") ==
          "ffb89c4ba3fd33d9aa5ad881c127cb18");
    CHECK(md5_hex("(v1.EndpointPort){Name:(string)dns-tcp Port:(int32)53 "
                  "Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}") ==
          "3b6a791b41850c40c712b5cc585449ae");
    CHECK(md5_hex("(v1.EndpointPort){Name:(string)x Port:(int32)1 Protocol:(v1.Protocol)TCP "
                  "AppProtocol:(*string)http}") == "72d32f8990eb5d5cb1dc80f592048576");
    CHECK(md5_hex("(v1.EndpointSubset){Addresses:([]v1.EndpointAddress)[{IP:(string)10.0.0.1 "
                  "Hostname:(string) NodeName:(*string)node-a "
                  "TargetRef:(*v1.ObjectReference){Kind:(string)Pod Namespace:(string)ns "
                  "Name:(string)p1 UID:(types.UID)uid-1 APIVersion:(string) "
                  "ResourceVersion:(string) FieldPath:(string)}}] "
                  "NotReadyAddresses:([]v1.EndpointAddress)<nil> "
                  "Ports:([]v1.EndpointPort)[{Name:(string)http Port:(int32)8080 "
                  "Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}]}") ==
          "cd564b542efc5c2854fa2872cc24b404");
}

TEST_CASE("md5: digest bytes order dns-tcp before dns-udp (SortSubsets)") {
    const auto tcp = svcdisc::detail::md5("(v1.EndpointPort){Name:(string)dns-tcp Port:(int32)53 "
                                          "Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}");
    const auto udp = svcdisc::detail::md5("(v1.EndpointPort){Name:(string)dns-udp Port:(int32)53 "
                                          "Protocol:(v1.Protocol)UDP AppProtocol:(*string)<nil>}");
    CHECK(tcp < udp);
}

TEST_CASE("to_hex: lowercase, two digits per byte, first byte first") {
    svcdisc::detail::digest128 digest{};
    digest[0] = 0x0a;
    digest[1] = 0xff;
    digest[15] = 0x01;
    CHECK(svcdisc::detail::to_hex(digest) == "0aff0000000000000000000000000001");
}

TEST_CASE("fnv128a: published vectors (empty input is the offset basis)") {
    CHECK(svcdisc::detail::fnv128a_hex("") == "6c62272e07bb014262b821756295c58d");
    CHECK(svcdisc::detail::fnv128a_hex("a") == "d228cb696f1a8caf78912b704e4a8964");
}

TEST_CASE("fnv128a: multi-byte inputs match a big-integer reference") {
    // Computed with Python integers: h = (h ^ byte) * (2^88 + 0x13b) mod 2^128.
    CHECK(svcdisc::detail::fnv128a_hex("ab") == "08809544bbab1be95aa0733055b69a62");
    CHECK(svcdisc::detail::fnv128a_hex("abc") == "a68d622cec8b5822836dbc7977af7f3b");
    CHECK(svcdisc::detail::fnv128a_hex("\xff\x80") == "088094195dab1be95aa0733054fef4a2");
    CHECK(svcdisc::detail::fnv128a_hex(all_byte_values()) == "8097249afae7c21686b07bd6fa33708d");
}

TEST_CASE("fnv128a: DeepHashObject of a discovery/v1 EndpointPort (NewPortMapKey)") {
    CHECK(svcdisc::detail::fnv128a_hex("(v1.EndpointPort){Name:(*string)http "
                                       "Protocol:(*v1.Protocol)TCP Port:(*int32)8080 "
                                       "AppProtocol:(*string)<nil>}") ==
          "0e874d5677090ee5c32afa85f637c347");
}

TEST_CASE("fnv128a: incremental hashing in any piece size equals one-shot hashing") {
    std::string message;
    for (std::size_t i = 0; i < 1000; ++i) {
        message += static_cast<char>(i * 37 % 256);
    }
    for (const std::size_t length : boundary_lengths) {
        const std::string_view data = std::string_view(message).substr(0, length);
        for (const std::size_t piece : std::initializer_list<std::size_t>{1U, 3U, 64U}) {
            CAPTURE(length);
            CAPTURE(piece);
            CHECK(fnv_hex_in_pieces(data, piece) == svcdisc::detail::fnv128a_hex(data));
        }
    }
}

TEST_CASE("fnv128a: finish leaves the hasher usable for a longer message") {
    svcdisc::detail::fnv128a_hasher hasher;
    hasher.update("a");
    CHECK(svcdisc::detail::to_hex(hasher.finish()) == "d228cb696f1a8caf78912b704e4a8964");
    hasher.update("bc");
    CHECK(svcdisc::detail::to_hex(hasher.finish()) == "a68d622cec8b5822836dbc7977af7f3b");
}
