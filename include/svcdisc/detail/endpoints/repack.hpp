#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/endpoints/dump.hpp>
#include <svcdisc/detail/go/md5.hpp>
#include <svcdisc/detail/go/spew.hpp>
#include <svcdisc/detail/util/text_key.hpp>
#include <svcdisc/endpoints.hpp>

/// Kubernetes' RepackSubsets and the Endpoints controller's ordering (addresses by IP text and
/// uid, ports and subsets by the MD5 of their go-spew dump; docs/endpoints.md), on views.
namespace svcdisc::detail {

/// The identity RepackSubsets dedupes addresses by: the IP text and the targetRef's uid (empty
/// without a targetRef).
[[nodiscard]] inline std::string_view identity_uid(const endpoint_address_view& a) noexcept {
    return a.target_ref ? a.target_ref->uid : std::string_view();
}

/// Raw address records sorted by identity: `sorted` lists every record (byte-wise IP, then
/// uid, then the caller's preference), `identity_of[record]` numbers the distinct identities in
/// that order, and `kept[identity]` is the record that speaks for the identity.
struct address_identities {
    std::vector<std::uint32_t> sorted;
    std::vector<std::uint32_t> identity_of;
    std::vector<std::uint32_t> kept;
};

/// Sorts and dedupes address records; among records of one identity the one `prefer` orders
/// first is kept ("the first record wins", with the caller saying what "first" means).
template <class Record, class Prefer>
[[nodiscard]] address_identities identify_addresses(const std::vector<Record>& all,
                                                    Prefer&& prefer) {
    // Sorting compares a packed prefix of each IP text first (text_prefix_key), so most
    // comparisons never touch the strings.
    struct sort_key {
        std::uint64_t high;
        std::uint64_t low;
        std::uint32_t record;
    };
    std::vector<sort_key> keys(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        const text_prefix_key prefix = text_prefix_key_of(all[i].ip);
        keys[i] = {prefix.high, prefix.low, static_cast<std::uint32_t>(i)};
    }
    const auto full_less = [&](const sort_key& x, const sort_key& y) {
        if (x.high != y.high || x.low != y.low) {
            return x.high < y.high || (x.high == y.high && x.low < y.low);
        }
        const std::uint32_t a = x.record;
        const std::uint32_t b = y.record;
        if (const int by_ip = all[a].ip.compare(all[b].ip); by_ip != 0) {
            return by_ip < 0;
        }
        if (const int by_uid = identity_uid(all[a]).compare(identity_uid(all[b])); by_uid != 0) {
            return by_uid < 0;
        }
        return prefer(a, b);
    };
    if (keys.size() < 256) {
        std::sort(keys.begin(), keys.end(), full_less);
    } else {
        // Many addresses: a stable LSD radix sort on the key bytes that differ at all (IPs of one
        // cluster share most leading bytes), then the full order within runs of equal keys.
        const auto byte_at = [](const sort_key& k, unsigned position) {
            const std::uint64_t half = position < 8 ? k.high : k.low;
            return static_cast<std::size_t>((half >> (8U * (7U - position % 8))) & 0xffU);
        };
        std::vector<sort_key> scratch(keys.size());
        std::vector<std::size_t> counts(256);
        for (unsigned position = 16; position-- > 0;) {
            std::fill(counts.begin(), counts.end(), 0);
            for (const sort_key& k : keys) {
                ++counts[byte_at(k, position)];
            }
            if (counts[byte_at(keys.front(), position)] == keys.size()) {
                continue; // every key has the same byte here
            }
            std::size_t offset = 0;
            for (std::size_t& count : counts) {
                offset += std::exchange(count, offset);
            }
            for (const sort_key& k : keys) {
                scratch[counts[byte_at(k, position)]++] = k;
            }
            keys.swap(scratch);
        }
        for (std::size_t first = 0; first < keys.size();) {
            std::size_t last = first + 1;
            while (last < keys.size() && keys[last].high == keys[first].high &&
                   keys[last].low == keys[first].low) {
                ++last;
            }
            if (last - first > 1) {
                std::sort(keys.begin() + static_cast<std::ptrdiff_t>(first),
                          keys.begin() + static_cast<std::ptrdiff_t>(last), full_less);
            }
            first = last;
        }
    }
    address_identities ids;
    // push_back rather than resize: GCC 12 -O3 warns (falsely) about resize's zero-fill here.
    ids.sorted.reserve(keys.size());
    for (const sort_key& key : keys) {
        ids.sorted.push_back(key.record);
    }
    ids.identity_of.assign(all.size(), 0);
    for (std::size_t i = 0; i < ids.sorted.size(); ++i) {
        const std::uint32_t record = ids.sorted[i];
        const bool same_as_previous =
            i > 0 && keys[i].high == keys[i - 1].high && keys[i].low == keys[i - 1].low &&
            all[ids.kept.back()].ip == all[record].ip &&
            identity_uid(all[ids.kept.back()]) == identity_uid(all[record]);
        if (!same_as_previous) {
            ids.kept.push_back(record);
        }
        ids.identity_of[record] = static_cast<std::uint32_t>(ids.kept.size() - 1);
    }
    return ids;
}

/// One fact of the expanded raw subsets: identity `address` serves raw port `port`, ready or not.
struct repack_entry {
    std::uint32_t address;
    std::uint32_t port;
    bool ready;
};

/// A repacked subset as indexes: identities (ascending, i.e. in output order) and raw port
/// indexes (in output order).
struct repacked_subset {
    std::vector<std::uint32_t> ready;
    std::vector<std::uint32_t> not_ready;
    std::vector<std::uint32_t> ports;
};

/// A total order on port values, used only to find equal ones.
[[nodiscard]] inline bool port_value_less(const endpoint_port_view& a,
                                          const endpoint_port_view& b) noexcept {
    if (const int c = a.name.compare(b.name); c != 0) {
        return c < 0;
    }
    if (a.port != b.port) {
        return a.port < b.port;
    }
    if (const int c = a.protocol.compare(b.protocol); c != 0) {
        return c < 0;
    }
    return a.app_protocol < b.app_protocol;
}

/// Ports are the same port when every field is equal (see repack_subsets on appProtocol).
[[nodiscard]] inline bool port_value_equal(const endpoint_port_view& a,
                                           const endpoint_port_view& b) noexcept {
    return a.name == b.name && a.port == b.port && a.protocol == b.protocol &&
           a.app_protocol == b.app_protocol;
}

/// RepackSubsets' grouping and ordering over views.
///
/// `entries` name identities (as numbered by identify_addresses); `address_view_of(identity)`
/// gives the endpoint_address_view of the record kept for it. A raw port may be listed several
/// times by value (they are merged). Per port, an identity registered several times is ready only
/// if every registration was ready. Ports served by exactly the same (identity, ready) set form one
/// subset; ports numbered 0 or less (the no-port sentinel upstream uses is port -1) group like
/// any port but are not listed. Within a subset ports are ordered by the MD5 of their dump;
/// subsets by the MD5 of their dump (only computed when there is something to order).
template <class AddressViewOf>
[[nodiscard]] std::vector<repacked_subset> repack(AddressViewOf&& address_view_of,
                                                  const std::vector<endpoint_port_view>& ports,
                                                  const std::vector<repack_entry>& entries) {
    // Distinct port values: raw port -> distinct id, and one raw representative per id.
    std::vector<std::uint32_t> port_order(ports.size());
    for (std::size_t i = 0; i < ports.size(); ++i) {
        port_order[i] = static_cast<std::uint32_t>(i);
    }
    if (ports.size() > 1) {
        std::sort(port_order.begin(), port_order.end(), [&](std::uint32_t a, std::uint32_t b) {
            return port_value_less(ports[a], ports[b]);
        });
    }
    std::vector<std::uint32_t> distinct_of(ports.size());
    std::vector<std::uint32_t> representative;
    for (const std::uint32_t raw : port_order) {
        if (representative.empty() || !port_value_equal(ports[representative.back()], ports[raw])) {
            representative.push_back(raw);
        }
        distinct_of[raw] = static_cast<std::uint32_t>(representative.size() - 1);
    }
    const std::size_t port_count = representative.size();

    // Bucket the entries by distinct port, keeping their order (a stable counting sort), packed
    // as identity * 2 + ready so a sort orders by identity with not-ready first.
    std::vector<std::size_t> bucket_begin(port_count + 1, 0);
    for (const repack_entry& e : entries) {
        ++bucket_begin[distinct_of[e.port] + 1];
    }
    for (std::size_t p = 0; p < port_count; ++p) {
        bucket_begin[p + 1] += bucket_begin[p];
    }
    std::vector<std::uint64_t> packed(entries.size());
    {
        std::vector<std::size_t> fill(bucket_begin.begin(), bucket_begin.end() - 1);
        for (const repack_entry& e : entries) {
            packed[fill[distinct_of[e.port]]++] =
                (std::uint64_t{e.address} << 1U) | (e.ready ? 1U : 0U);
        }
    }
    // Merge repeated identities within each bucket: not ready wins.
    std::vector<std::size_t> bucket_end(port_count);
    for (std::size_t p = 0; p < port_count; ++p) {
        const auto first = packed.begin() + static_cast<std::ptrdiff_t>(bucket_begin[p]);
        const auto last = packed.begin() + static_cast<std::ptrdiff_t>(bucket_begin[p + 1]);
        const auto by_identity = [](std::uint64_t a, std::uint64_t b) { return a >> 1U < b >> 1U; };
        if (!std::is_sorted(first, last, by_identity)) {
            std::sort(first, last);
        }
        auto out = first;
        for (auto it = first; it != last; ++it) {
            if (out != first && (*(out - 1) >> 1U) == (*it >> 1U)) {
                *(out - 1) &= *it;
            } else {
                *out++ = *it;
            }
        }
        bucket_end[p] = static_cast<std::size_t>(out - packed.begin());
    }

    // Ports with exactly the same (identity, ready) list share a subset.
    const auto bucket = [&](std::uint32_t p) {
        return std::pair(packed.begin() + static_cast<std::ptrdiff_t>(bucket_begin[p]),
                         packed.begin() + static_cast<std::ptrdiff_t>(bucket_end[p]));
    };
    std::vector<std::uint32_t> by_bucket;
    by_bucket.reserve(port_count);
    for (std::size_t p = 0; p < port_count; ++p) {
        if (bucket_end[p] > bucket_begin[p]) {
            by_bucket.push_back(static_cast<std::uint32_t>(p));
        }
    }
    const auto bucket_less = [&](std::uint32_t a, std::uint32_t b) {
        const auto [a_first, a_last] = bucket(a);
        const auto [b_first, b_last] = bucket(b);
        if (a_last - a_first != b_last - b_first) {
            return a_last - a_first < b_last - b_first;
        }
        return std::lexicographical_compare(a_first, a_last, b_first, b_last);
    };
    const auto bucket_equal = [&](std::uint32_t a, std::uint32_t b) {
        const auto [a_first, a_last] = bucket(a);
        const auto [b_first, b_last] = bucket(b);
        return std::equal(a_first, a_last, b_first, b_last);
    };
    if (by_bucket.size() > 1) {
        std::sort(by_bucket.begin(), by_bucket.end(), bucket_less);
    }

    std::vector<std::optional<digest128>> port_md5(port_count);
    const auto md5_of_port = [&](std::uint32_t p) -> const digest128& {
        if (!port_md5[p]) {
            port_md5[p] = endpoint_port_md5(ports[representative[p]]);
        }
        return *port_md5[p];
    };

    std::vector<repacked_subset> subsets;
    for (std::size_t i = 0; i < by_bucket.size();) {
        std::size_t j = i + 1;
        while (j < by_bucket.size() && bucket_equal(by_bucket[i], by_bucket[j])) {
            ++j;
        }
        repacked_subset& subset = subsets.emplace_back();
        const auto [first, last] = bucket(by_bucket[i]);
        std::size_t ready_count = 0;
        for (auto it = first; it != last; ++it) {
            ready_count += (*it & 1U);
        }
        subset.ready.reserve(ready_count);
        subset.not_ready.reserve(static_cast<std::size_t>(last - first) - ready_count);
        for (auto it = first; it != last; ++it) {
            auto& list = (*it & 1U) != 0 ? subset.ready : subset.not_ready;
            list.push_back(static_cast<std::uint32_t>(*it >> 1U));
        }
        for (std::size_t k = i; k < j; ++k) {
            if (ports[representative[by_bucket[k]]].port > 0) {
                subset.ports.push_back(by_bucket[k]);
            }
        }
        if (subset.ports.size() > 1) {
            std::sort(
                subset.ports.begin(), subset.ports.end(),
                [&](std::uint32_t a, std::uint32_t b) { return md5_of_port(a) < md5_of_port(b); });
        }
        for (std::uint32_t& p : subset.ports) {
            p = representative[p];
        }
        i = j;
    }

    if (subsets.size() > 1) {
        std::vector<digest128> subset_md5(subsets.size());
        const auto address_view = [&](std::uint32_t identity) { return address_view_of(identity); };
        const auto port_view = [&](std::uint32_t raw) -> const endpoint_port_view& {
            return ports[raw];
        };
        for (std::size_t s = 0; s < subsets.size(); ++s) {
            md5_hasher hasher;
            go_dump_writer out(hasher);
            dump_endpoint_subset(out, subsets[s].ready, subsets[s].not_ready, subsets[s].ports,
                                 address_view, port_view, "v1.EndpointSubset");
            subset_md5[s] = hasher.finish();
        }
        std::vector<std::uint32_t> order(subsets.size());
        for (std::size_t s = 0; s < order.size(); ++s) {
            order[s] = static_cast<std::uint32_t>(s);
        }
        std::sort(order.begin(), order.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return subset_md5[a] < subset_md5[b]; });
        std::vector<repacked_subset> sorted;
        sorted.reserve(subsets.size());
        for (const std::uint32_t s : order) {
            sorted.push_back(std::move(subsets[s]));
        }
        subsets = std::move(sorted);
    }
    return subsets;
}

/// repack_subsets (derive_endpoints.hpp) on model subsets.
template <class String>
[[nodiscard]] std::vector<basic_endpoint_subset<String>>
repack_raw_subsets(const std::vector<basic_endpoint_subset<String>>& raw) {
    // Every address occurrence in upstream's visiting order, so "first" means what it means there.
    std::vector<const basic_endpoint_address<String>*> records;
    std::vector<endpoint_address_view> views;
    std::vector<endpoint_port_view> ports;
    // The no-port sentinel upstream registers portless subsets under: EndpointPort{Port: -1}.
    const std::uint32_t sentinel = 0;
    ports.push_back({{}, -1, {}, std::nullopt});
    struct occurrence {
        std::uint32_t record;
        std::uint32_t subset;
        bool ready;
    };
    std::vector<occurrence> occurrences;
    for (std::size_t s = 0; s < raw.size(); ++s) {
        for (const bool ready : {true, false}) {
            for (const auto& a : ready ? raw[s].addresses : raw[s].not_ready_addresses) {
                occurrences.push_back({static_cast<std::uint32_t>(records.size()),
                                       static_cast<std::uint32_t>(s), ready});
                records.push_back(&a);
                views.push_back(view_of(a));
            }
        }
    }
    const address_identities ids =
        identify_addresses(views, [](std::uint32_t a, std::uint32_t b) { return a < b; });

    std::vector<std::uint32_t> first_port_of_subset(raw.size());
    for (std::size_t s = 0; s < raw.size(); ++s) {
        first_port_of_subset[s] = static_cast<std::uint32_t>(ports.size());
        for (const auto& p : raw[s].ports) {
            ports.push_back(view_of(p));
        }
    }
    std::vector<repack_entry> entries;
    for (const occurrence& o : occurrences) {
        const std::uint32_t identity = ids.identity_of[o.record];
        const auto& subset_ports = raw[o.subset].ports;
        if (subset_ports.empty()) {
            entries.push_back({identity, sentinel, o.ready});
            continue;
        }
        for (std::size_t k = 0; k < subset_ports.size(); ++k) {
            entries.push_back({identity,
                               first_port_of_subset[o.subset] + static_cast<std::uint32_t>(k),
                               o.ready});
        }
    }

    const auto repacked = repack(
        [&](std::uint32_t identity) -> const endpoint_address_view& {
            return views[ids.kept[identity]];
        },
        ports, entries);
    std::vector<basic_endpoint_subset<String>> out(repacked.size());
    // Ports are materialised from the input by raw index (index 0 is the sentinel, never listed).
    std::vector<const basic_endpoint_port<String>*> port_records(1, nullptr);
    for (const auto& subset : raw) {
        for (const auto& p : subset.ports) {
            port_records.push_back(&p);
        }
    }
    for (std::size_t s = 0; s < repacked.size(); ++s) {
        for (const std::uint32_t identity : repacked[s].ready) {
            out[s].addresses.push_back(*records[ids.kept[identity]]);
        }
        for (const std::uint32_t identity : repacked[s].not_ready) {
            out[s].not_ready_addresses.push_back(*records[ids.kept[identity]]);
        }
        for (const std::uint32_t p : repacked[s].ports) {
            out[s].ports.push_back(*port_records[p]);
        }
    }
    return out;
}

} // namespace svcdisc::detail
