#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/config.hpp>
#include <svcdisc/detail/go/fnv.hpp>
#include <svcdisc/detail/go/md5.hpp>
#include <svcdisc/labels.hpp>

/// Generated slice names (the API server's generateName, made deterministic).
namespace svcdisc::detail {

/// Kubernetes' generated names: base cut to 58 bytes, then 5 characters from this alphabet.
inline constexpr std::string_view generate_name_alphabet = "bcdfghjklmnpqrstvwxz2456789";
inline constexpr std::size_t generate_name_max_base = 58;
inline constexpr std::size_t generate_name_suffix_length = 5;

/// Kubernetes' getEndpointSlicePrefix, used by both controllers: `<name>-`
/// when that is a valid generateName (the API server masks a trailing '-' before validating it
/// as a DNS subdomain), else the bare name.
[[nodiscard]] inline std::string generate_name_prefix(std::string_view name) {
    std::string prefix(name);
    prefix += 'a';
    const bool dash_allowed = is_dns1123_subdomain(prefix);
    prefix.pop_back();
    if (dash_allowed) {
        prefix += '-';
    }
    return prefix;
}

/// A name the API server could generate from `generate_name`: the base cut to 58 bytes, then 5
/// characters of its alphabet, here drawn from the first 8 bytes of `digest` so that the same
/// input always gets the same name.
[[nodiscard]] inline std::string generated_name(std::string_view generate_name,
                                                const digest128& digest) {
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        bits = (bits << 8U) | digest[i];
    }
    std::string name(generate_name.substr(0, generate_name_max_base));
    for (std::size_t i = 0; i < generate_name_suffix_length; ++i) {
        name += generate_name_alphabet[bits % generate_name_alphabet.size()];
        bits /= generate_name_alphabet.size();
    }
    return name;
}

/// The name the API server would generate from `generate_name`, made deterministic: the
/// suffix comes from FNV-128a of the identity bytes `write_identity(hasher, attempt)` feeds,
/// for attempt 0, 1, … until the name is not in `taken`; `taken` then holds it. Both
/// controllers name their new slices this way, each with its own identity bytes.
template <class WriteIdentity>
[[nodiscard]] std::string unique_generated_name(std::string_view generate_name,
                                                WriteIdentity&& write_identity,
                                                std::set<std::string, std::less<>>& taken) {
    for (std::size_t attempt = 0;; ++attempt) {
        fnv128a_hasher hasher;
        write_identity(hasher, attempt);
        std::string name = generated_name(generate_name, hasher.finish());
        if (taken.insert(name).second) {
            return name;
        }
    }
}

} // namespace svcdisc::detail
