#pragma once

#include <cstddef>
#include <string>
#include <string_view>

/// The pieces of Go's standard library whose exact output kubectl's JSONPath and custom-columns
/// printers inherit: UTF-8 decoding, fmt's and encoding/json's number formats, and the rune
/// classes the JSONPath parser and bufio.ScanWords test. Strings are quoted and JSON-escaped by
/// the library's svcdisc/go_text.hpp (go_quote, append_json_string, is_go_print).
namespace svcdisc_cli::go {

/// A rune decoded from UTF-8 as utf8.DecodeRuneInString decodes it: an invalid or incomplete
/// sequence is U+FFFD with width 1.
struct decoded_rune {
    char32_t value;
    std::size_t width;
};

inline constexpr char32_t rune_error = 0xFFFD;

/// The rune starting at byte `at` of `text` (`at` < text.size()).
decoded_rune decode_rune(std::string_view text, std::size_t at);

/// utf8.RuneCountInString: each invalid byte counts as one rune.
std::size_t rune_count(std::string_view text);

/// Appends the UTF-8 encoding of `r` (U+FFFD for a surrogate or a value past U+10FFFF).
void append_rune(std::string& out, char32_t r);

/// unicode.IsLetter, exact for ASCII and Latin-1; above that, the blocks of punctuation,
/// symbols, combining marks and private use count as non-letters and everything else as letters.
bool is_letter(char32_t r);

/// unicode.IsSpace (what bufio.ScanWords splits on).
bool is_space(char32_t r);

/// A rune as `%#U` prints it: `U+0023 '#'`, or `U+0009` when it is not printable.
std::string unicode_format(char32_t r);

/// A float64 as fmt's `%v` prints it: the shortest digits that read back, in `%e` form when the
/// decimal exponent is below -4 or at least 6 (`1e+06`, `1e-05`), else plain (`100000.5`).
void append_float(std::string& out, double value);

/// A float64 as encoding/json writes it: plain unless below 1e-6 or at least 1e21, and then
/// `%e` with a one-digit negative exponent kept short (`1e-7`).
void append_json_float(std::string& out, double value);

} // namespace svcdisc_cli::go
