#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <svcdisc/detail/go/fnv1a.hpp>
#include <svcdisc/meta.hpp>
#include <svcdisc/pod.hpp>

/// The names, hashes and UIDs Kubernetes makes up for the objects workload controllers
/// create, and svcdisc's deterministic stand-ins where Kubernetes draws random numbers
/// (docs/workloads-and-allocation.md).
namespace svcdisc::detail::workloads {

/// The alphabet of k8s.io/apimachinery's rand.String and rand.SafeEncodeString: no vowels (no
/// words) and no 0, 1, 3 (no look-alikes, no "leet" words).
inline constexpr std::string_view safe_alphabet = "bcdfghjklmnpqrstvwxz2456789";

/// rand.SafeEncodeString: each byte replaced by safe_alphabet[byte % 27].
inline std::string safe_encode(std::string_view text) {
    std::string out(text.size(), ' ');
    for (std::size_t i = 0; i < text.size(); ++i) {
        out[i] = safe_alphabet[static_cast<unsigned char>(text[i]) % safe_alphabet.size()];
    }
    return out;
}

/// How ComputeHash and HashControllerRevision render their 32-bit hash: its decimal text, safe
/// encoded (so "5d59d67564"-like strings of 1 to 10 characters from "bcdf456789").
inline std::string encode_hash(std::uint32_t hash) {
    return safe_encode(std::to_string(hash));
}

/// The API server's SimpleNameGenerator keeps at most 58 characters of generateName, so the
/// generated name fits the 63 of a DNS label.
inline constexpr std::size_t max_generated_name_length = 58;

/// `base` cut to what SimpleNameGenerator keeps, then five characters from safe_alphabet. The
/// API server draws them at random; svcdisc takes the base-27 digits of FNV-1a 64 over
/// `seed` (the caller's stable text, e.g. namespace, base and a counter).
inline std::string generated_name(std::string_view base, std::string_view seed) {
    std::string name(base.substr(0, max_generated_name_length));
    std::uint64_t hash = fnv1a_64(seed);
    for (int i = 0; i < 5; ++i) {
        name += safe_alphabet[hash % safe_alphabet.size()];
        hash /= safe_alphabet.size();
    }
    return name;
}

/// An RFC 9562 version-8 UUID (the version for custom layouts) built from FNV-1a 64 of `seed`
/// and of `seed` with a suffix: lowercase 8-4-4-4-12 hex, like the UIDs the API server gives,
/// but the same for the same object every time.
inline std::string deterministic_uid(std::string_view seed) {
    std::string extended(seed);
    extended += "#uid";
    const std::array<std::uint64_t, 2> halves{fnv1a_64(seed), fnv1a_64(extended)};
    std::array<std::uint8_t, 16> bytes{};
    for (std::size_t i = 0; i < 16; ++i) {
        bytes[i] = static_cast<std::uint8_t>(halves[i / 8] >> (8U * (7 - i % 8)));
    }
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0fU) | 0x80U);
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3fU) | 0x80U);
    constexpr std::string_view hex = "0123456789abcdef";
    std::string uid;
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            uid += '-';
        }
        uid += hex[bytes[i] >> 4U];
        uid += hex[bytes[i] & 0x0fU];
    }
    return uid;
}

/// The UID an object keeps, or a deterministic one from its kind, namespace and name when it
/// has none (objects read from manifests have none until the API server stores them).
template <class String>
std::string uid_of(const basic_object_meta<String>& meta, std::string_view kind) {
    if (!std::string_view(meta.uid).empty()) {
        return std::string(std::string_view(meta.uid));
    }
    std::string seed(kind);
    seed += '/';
    seed += std::string_view(meta.namespace_);
    seed += '/';
    seed += std::string_view(meta.name);
    return deterministic_uid(seed);
}

/// FNV-1a 32 over svcdisc's canonical encoding of a pod template: the stand-in for
/// controller.ComputeHash's hash over the go-spew dump of the API-server-defaulted template,
/// which svcdisc cannot rebuild. Every string is written as its length, ':' and its bytes,
/// every number in decimal followed by ';', each list as its length first, so that no two
/// templates share an encoding. Fields, in order: labels, annotations (each sorted by key),
/// nodeName, hostname, subdomain, then containers and init containers (name, restartPolicy
/// or "-" when absent, ports: name, containerPort, protocol, hostPort).
class template_hasher {
  public:
    template <class String>
    void add(const basic_object_meta<String>& metadata, const basic_pod_spec<String>& spec) {
        add_labels(metadata.labels);
        add_labels(metadata.annotations);
        add_text(spec.node_name);
        add_text(spec.hostname);
        add_text(spec.subdomain);
        for (const auto* containers : {&spec.containers, &spec.init_containers}) {
            add_number(static_cast<std::int64_t>(containers->size()));
            for (const auto& c : *containers) {
                add_text(c.name);
                add_text(c.restart_policy ? std::string_view(*c.restart_policy)
                                          : std::string_view("-"));
                add_number(static_cast<std::int64_t>(c.ports.size()));
                for (const auto& port : c.ports) {
                    add_text(port.name);
                    add_number(port.container_port);
                    add_text(port.protocol);
                    add_number(port.host_port);
                }
            }
        }
    }

    /// ComputeHash's collision count: its four little-endian bytes, when there is one.
    void add_collision_count(std::uint32_t count) { hash_.update_le32(count); }

    [[nodiscard]] std::uint32_t value() const noexcept { return hash_.value(); }

  private:
    template <class Labels>
    void add_labels(const Labels& labels) {
        add_number(static_cast<std::int64_t>(labels.size()));
        for (const auto& [key, value] : labels) {
            add_text(key);
            add_text(value);
        }
    }
    void add_text(std::string_view text) {
        hash_.update(std::to_string(text.size()));
        hash_.update(":");
        hash_.update(text);
    }
    void add_number(std::int64_t number) {
        hash_.update(std::to_string(number));
        hash_.update(";");
    }

    fnv1a<std::uint32_t> hash_;
};

/// Unix seconds as RFC 3339 in UTC (Go's time.RFC3339 of a UTC time), e.g.
/// "2024-05-01T10:00:00Z"; the CronJob controller's scheduled-timestamp annotation.
inline std::string rfc3339_utc(std::int64_t unix_seconds) {
    std::int64_t days = unix_seconds / 86400;
    std::int64_t seconds = unix_seconds % 86400;
    if (seconds < 0) {
        seconds += 86400;
        --days;
    }
    // Days since 1970-01-01 to a civil date (Howard Hinnant's days_from_civil, inverted).
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t day_of_era = days - era * 146097;
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t month_index = (5 * day_of_year + 2) / 153;
    const std::int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
    const std::int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
    const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    const auto two = [](std::int64_t value) {
        return std::string(value < 10 ? "0" : "") + std::to_string(value);
    };
    std::string year_text = std::to_string(year);
    if (year_text.size() < 4) {
        year_text = std::string(4 - year_text.size(), '0').append(year_text);
    }
    return year_text + "-" + two(month) + "-" + two(day) + "T" + two(seconds / 3600) + ":" +
           two(seconds / 60 % 60) + ":" + two(seconds % 60) + "Z";
}

} // namespace svcdisc::detail::workloads
