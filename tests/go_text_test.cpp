// Go's text conventions (go_text.hpp) against the Go standard library's documented behaviour:
// encoding/json's string encoder (encodeState.string) and strconv.IsPrint.

#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include <svcdisc/go_text.hpp>

namespace {

std::string json(std::string_view text) {
    std::string out;
    svcdisc::append_json_string(out, text);
    return out;
}

} // namespace

TEST_CASE("encodeState.string: plain text, quotes and backslashes") {
    CHECK(json("") == R"("")");
    CHECK(json("web-0") == R"("web-0")");
    CHECK(json(R"(a"b\c)") == R"("a\"b\\c")");
}

TEST_CASE("encodeState.string: controls use the short escapes of Go 1.22, the rest \\u00XX") {
    CHECK(json("\b\f\n\r\t") == R"("\b\f\n\r\t")");
    CHECK(json(std::string_view("\0\x01\x1f\x7f", 4)) == "\"\\u0000\\u0001\\u001f\x7f\"");
    CHECK(json("\a\v") == R"("\u0007\u000b")");
}

TEST_CASE("encodeState.string: HTML-safe by default") {
    CHECK(json("<a href=\"x\">&</a>") == R"("\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e")");
}

TEST_CASE("encodeState.string: U+2028 and U+2029 escaped, other code points as they are") {
    CHECK(json("a\u2028b\u2029c") == R"("a\u2028b\u2029c")");
    CHECK(json("é \u00a0 \u2027 \u202a 😀") == "\"é \u00a0 \u2027 \u202a 😀\"");
}

TEST_CASE("encodeState.string: every byte that is not UTF-8 becomes \\ufffd") {
    CHECK(json("a\xff") == R"("a\ufffd")");
    // A truncated three-byte sequence is two invalid bytes, not one.
    CHECK(json("\xe2\x80") == R"("\ufffd\ufffd")");
    // Surrogates and overlong forms are invalid too.
    CHECK(json("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")");
    CHECK(json("\xc0\xaf") == R"("\ufffd\ufffd")");
    CHECK(json("\xef\xbf\xbd") == "\"\xef\xbf\xbd\"");
}

TEST_CASE(
    "encodeState.string: a character to escape is found wherever it stands in a long string") {
    // Long plain runs are checked many bytes at a time: each escape at each offset of a
    // 40-byte string, so that it falls in the first, a middle and the last block and in the
    // tail that is shorter than a block.
    struct escape {
        std::string_view raw;
        std::string_view written;
    };
    const escape escapes[] = {
        {"\"", R"(\")"},
        {"\\", R"(\\)"},
        {"<", R"(\u003c)"},
        {">", R"(\u003e)"},
        {"&", R"(\u0026)"},
        {"\n", R"(\n)"},
        {"\x01", R"(\u0001)"},
        {"\x1f", R"(\u001f)"},
        {"\xff", R"(\ufffd)"},
        {"\u2028", R"(\u2028)"},
        {"é", "é"},
        {"\x7f", "\x7f"},
        {" ", " "},
    };
    constexpr std::size_t length = 40;
    for (const escape& e : escapes) {
        for (std::size_t at = 0; at < length; ++at) {
            const std::string before(at, 'a');
            const std::string after(length - at, 'b');
            CAPTURE(e.written);
            CAPTURE(at);
            CHECK(json(before + std::string(e.raw) + after) ==
                  "\"" + before + std::string(e.written) + after + "\"");
        }
    }
}

TEST_CASE("IsPrint: ASCII graphic characters and the space, not controls") {
    CHECK(svcdisc::is_go_print(U' '));
    CHECK(svcdisc::is_go_print(U'~'));
    CHECK_FALSE(svcdisc::is_go_print(U'\t'));
    CHECK_FALSE(svcdisc::is_go_print(0x7F));
}

TEST_CASE("IsPrint: separators, format characters, private use and non-characters are not") {
    CHECK(svcdisc::is_go_print(U'é'));
    CHECK(svcdisc::is_go_print(U'\u2010'));
    CHECK(svcdisc::is_go_print(0x1F600));
    for (const char32_t code : {0x85U, 0xA0U, 0xADU, 0x1680U, 0x2028U, 0x200BU, 0xFEFFU, 0xE000U,
                                0xFDD0U, 0xFFFEU, 0x1D173U, 0xE0001U, 0x10FFFFU}) {
        CAPTURE(static_cast<unsigned>(code));
        CHECK_FALSE(svcdisc::is_go_print(code));
    }
}
