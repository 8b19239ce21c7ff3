#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

/// The lexer of Kubernetes' selector strings (labels.Parse), with its NUL-byte quirks.
namespace svcdisc::detail::selectors {

/// The tokens of the grammar of Kubernetes' labels.Parse (docs/labels-and-selectors.md).
enum class token_kind : std::uint8_t {
    end,
    identifier,
    in_keyword,
    notin_keyword,
    open_paren,
    close_paren,
    comma,
    bang,
    equals,
    double_equals,
    not_equals,
    greater,
    less,
};

struct token {
    token_kind kind = token_kind::end;
    std::string_view text;
    std::size_t offset = 0;
};

constexpr bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

constexpr bool is_special(char c) noexcept {
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

/// The lexer's byte classes, as a table so that each byte costs one load.
enum byte_class : std::uint8_t {
    byte_space = 1,   ///< space, \t, \r, \n
    byte_special = 2, ///< = ! ( ) , > <
    byte_nul = 4,     ///< Go's end-of-input sentinel
};

inline constexpr std::array<std::uint8_t, 256> byte_classes = [] {
    std::array<std::uint8_t, 256> table{};
    for (int c = 0; c < 256; ++c) {
        const auto byte = static_cast<char>(c);
        const int bits = (is_space(byte) ? byte_space : 0) | (is_special(byte) ? byte_special : 0) |
                         (c == 0 ? byte_nul : 0);
        table[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(bits);
    }
    return table;
}();

constexpr std::uint8_t class_of(char c) noexcept {
    return byte_classes[static_cast<unsigned char>(c)];
}

/// Kubernetes' selector lexer. Go's lexer uses the byte 0 as its end-of-input sentinel, and
/// Kubernetes inherits two quirks from that which this lexer keeps: a NUL byte where a token
/// would start ends the input, and a NUL byte right after a token is swallowed with it.
class lexer {
  public:
    explicit lexer(std::string_view input) noexcept : input_(input) {}

    token next() noexcept {
        const char* const data = input_.data();
        const std::size_t size = input_.size();
        std::size_t pos = pos_;
        while (pos < size && (class_of(data[pos]) & byte_space) != 0) {
            ++pos;
        }
        if (pos == size || data[pos] == '\0') {
            pos_ = pos;
            return {token_kind::end, {}, pos};
        }
        const std::size_t start = pos;
        token_kind kind = token_kind::identifier;
        if ((class_of(data[pos]) & byte_special) != 0) {
            const char first = data[pos++];
            const bool doubled = pos < size && data[pos] == '=' && (first == '=' || first == '!');
            if (doubled) {
                ++pos;
            }
            kind = special_kind(first, doubled);
        } else {
            constexpr auto identifier_end = byte_space | byte_special | byte_nul;
            while (pos < size && (class_of(data[pos]) & identifier_end) == 0) {
                ++pos;
            }
            const std::string_view text(data + start, pos - start);
            if (text.size() == 2 && text[0] == 'i' && text[1] == 'n') {
                kind = token_kind::in_keyword;
            } else if (text.size() == 5 && text == "notin") {
                kind = token_kind::notin_keyword;
            }
        }
        const token result{kind, std::string_view(data + start, pos - start), start};
        if (pos < size && data[pos] == '\0') {
            ++pos;
        }
        pos_ = pos;
        return result;
    }

  private:
    static constexpr token_kind special_kind(char first, bool doubled) noexcept {
        switch (first) {
        case '=':
            return doubled ? token_kind::double_equals : token_kind::equals;
        case '!':
            return doubled ? token_kind::not_equals : token_kind::bang;
        case '(':
            return token_kind::open_paren;
        case ')':
            return token_kind::close_paren;
        case ',':
            return token_kind::comma;
        case '>':
            return token_kind::greater;
        default:
            return token_kind::less;
        }
    }

    std::string_view input_;
    std::size_t pos_ = 0;
};

} // namespace svcdisc::detail::selectors
