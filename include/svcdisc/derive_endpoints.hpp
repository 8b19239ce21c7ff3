#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <iterator>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/detail/go_dump.hpp>
#include <svcdisc/detail/md5.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

/// The Endpoints controller as a pure function (spec §5): derive_endpoints computes the v1
/// Endpoints object Kubernetes would write for a Service, repack_subsets is RepackSubsets with
/// its upstream ordering, truncate_endpoints the 1000-address cap.
namespace svcdisc {

// ---------------------------------------------------------------------------------------------
// Truncation at 1000 addresses (spec §5.10).
// ---------------------------------------------------------------------------------------------

namespace detail {

/// Turns per-subset address counts into per-subset counts to keep, as the Endpoints controller's
/// truncateEndpoints does; false (counts untouched) when the total fits in `capacity`.
///
/// Ready addresses are cut only when they alone exceed the capacity, and then every not-ready
/// address goes; otherwise only not-ready addresses are cut. Each subset's share is
/// ceil((n / total) * budget) in IEEE double arithmetic, capped by what is left of the budget.
inline bool plan_truncation(std::vector<std::size_t>& ready, std::vector<std::size_t>& not_ready,
                            std::size_t capacity) {
    std::size_t total_ready = 0;
    std::size_t total_not_ready = 0;
    for (std::size_t i = 0; i < ready.size(); ++i) {
        total_ready += ready[i];
        total_not_ready += not_ready[i];
    }
    if (total_ready + total_not_ready <= capacity) {
        return false;
    }
    const bool cut_ready = total_ready > capacity;
    const std::size_t budget = cut_ready ? capacity : capacity - total_ready;
    const std::size_t base = cut_ready ? total_ready : total_not_ready;
    std::size_t left = budget;
    for (std::size_t i = 0; i < ready.size(); ++i) {
        std::size_t& counted = cut_ready ? ready[i] : not_ready[i];
        // Go's float64 steps exactly: the product is not added to anything, so no fused
        // multiply-add can change the rounding.
        const double share = static_cast<double>(counted) / static_cast<double>(base);
        const auto wanted =
            static_cast<std::size_t>(std::ceil(share * static_cast<double>(budget)));
        const std::size_t kept = std::min({counted, wanted, left});
        counted = kept;
        left -= kept;
        if (cut_ready) {
            not_ready[i] = 0;
        }
    }
    return true;
}

} // namespace detail

/// The number of addresses (ready and not ready) in all subsets of `eps`.
template <class String>
[[nodiscard]] std::size_t endpoints_address_count(const basic_endpoints<String>& eps) noexcept {
    std::size_t count = 0;
    for (const auto& subset : eps.subsets) {
        count += subset.addresses.size() + subset.not_ready_addresses.size();
    }
    return count;
}

/// Cuts subsets that hold more than `capacity` addresses in total the way the Endpoints
/// controller does (spec §5.10): proportionally per subset, ready addresses first, keeping the
/// first addresses of each (already sorted) list. Returns true when something was cut.
///
/// Example:
///     bool cut = svcdisc::truncate_endpoint_subsets(eps.subsets);
template <class String>
bool truncate_endpoint_subsets(std::vector<basic_endpoint_subset<String>>& subsets,
                               std::size_t capacity = endpoints_max_capacity) {
    std::vector<std::size_t> ready(subsets.size());
    std::vector<std::size_t> not_ready(subsets.size());
    for (std::size_t i = 0; i < subsets.size(); ++i) {
        ready[i] = subsets[i].addresses.size();
        not_ready[i] = subsets[i].not_ready_addresses.size();
    }
    if (!detail::plan_truncation(ready, not_ready, capacity)) {
        return false;
    }
    for (std::size_t i = 0; i < subsets.size(); ++i) {
        subsets[i].addresses.resize(ready[i]);
        subsets[i].not_ready_addresses.resize(not_ready[i]);
    }
    return true;
}

/// Applies the 1000-address cap to an Endpoints object (spec §5.10): truncates its subsets and
/// sets annotation `endpoints.kubernetes.io/over-capacity: truncated` when it cut something,
/// removes that annotation otherwise. Returns true when something was cut.
///
/// Example:
///     svcdisc::truncate_endpoints(eps);  // eps.metadata.annotations updated too
template <class String>
bool truncate_endpoints(basic_endpoints<String>& eps,
                        std::size_t capacity = endpoints_max_capacity) {
    const bool cut = truncate_endpoint_subsets(eps.subsets, capacity);
    if (cut) {
        eps.metadata.annotations.insert_or_assign(endpoints_keys::over_capacity_annotation,
                                                  endpoints_keys::over_capacity_truncated);
    } else {
        eps.metadata.annotations.erase(endpoints_keys::over_capacity_annotation);
    }
    return cut;
}

// ---------------------------------------------------------------------------------------------
// RepackSubsets (spec §5.8) and its ordering (spec §5.9), on views.
// ---------------------------------------------------------------------------------------------

namespace detail {

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
    // Sorting compares a packed prefix of each IP text first: the first 16 bytes, big-endian,
    // zero-padded, order like the text byte-wise, so most comparisons never touch the strings.
    struct sort_key {
        std::uint64_t high;
        std::uint64_t low;
        std::uint32_t record;
    };
    std::vector<sort_key> keys(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        const std::string_view ip = all[i].ip;
        std::uint64_t half[2] = {0, 0};
        for (std::size_t k = 0; k < 16 && k < ip.size(); ++k) {
            half[k / 8] |= std::uint64_t{static_cast<unsigned char>(ip[k])} << (8U * (7U - k % 8));
        }
        keys[i] = {half[0], half[1], static_cast<std::uint32_t>(i)};
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

/// RepackSubsets' grouping and ordering over views (spec §5.8, §5.9).
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

} // namespace detail

/// Kubernetes' RepackSubsets (spec §5.8, ordered per §5.9): the canonical form of arbitrary
/// subsets. Addresses are deduplicated by (ip, targetRef.uid), the first record of an identity
/// (in subset order, ready before not-ready addresses) being kept; an address both ready and not
/// ready for one port ends up not ready; ports served by exactly the same addresses in the same
/// readiness share one subset; subsets without addresses vanish; subsets without ports keep
/// their addresses in a subset without ports. Addresses are sorted byte-wise by IP then uid,
/// ports and subsets by the MD5 of their Go debug-dump, as upstream does.
///
/// Ports are told apart by value. (Upstream keys them by Go struct value, in which
/// `appProtocol` is a pointer; for subsets the Endpoints controller builds the two agree.)
///
/// Example:
///     std::vector<svcdisc::endpoint_subset> raw = eps.subsets;
///     eps.subsets = svcdisc::repack_subsets(raw);
template <class String>
[[nodiscard]] std::vector<basic_endpoint_subset<String>>
repack_subsets(const std::vector<basic_endpoint_subset<String>>& raw) {
    // Every address occurrence in upstream's visiting order, so "first" means what it means there.
    std::vector<const basic_endpoint_address<String>*> records;
    std::vector<detail::endpoint_address_view> views;
    std::vector<detail::endpoint_port_view> ports;
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
                views.push_back(detail::view_of(a));
            }
        }
    }
    const detail::address_identities ids =
        detail::identify_addresses(views, [](std::uint32_t a, std::uint32_t b) { return a < b; });

    std::vector<std::uint32_t> first_port_of_subset(raw.size());
    for (std::size_t s = 0; s < raw.size(); ++s) {
        first_port_of_subset[s] = static_cast<std::uint32_t>(ports.size());
        for (const auto& p : raw[s].ports) {
            ports.push_back(detail::view_of(p));
        }
    }
    std::vector<detail::repack_entry> entries;
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

    const auto repacked = detail::repack(
        [&](std::uint32_t identity) -> const detail::endpoint_address_view& {
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

// ---------------------------------------------------------------------------------------------
// derive_endpoints (spec §5).
// ---------------------------------------------------------------------------------------------

namespace detail {

/// The pod a range element stands for: the element itself, or what it points to (a raw or smart
/// pointer, a std::reference_wrapper). Anything else is returned as is, so check_pod_like
/// reports it.
template <class Element>
[[nodiscard]] const auto& pod_of(const Element& element) noexcept {
    if constexpr (pod_like<Element>) {
        return element;
    } else if constexpr (requires { *element; }) {
        return *element;
    } else if constexpr (requires {
                             requires std::is_lvalue_reference_v<decltype(element.get())>;
                         }) {
        return element.get();
    } else {
        return element;
    }
}

/// True when a pod_traits result of type T can be held as a string_view after the call: a
/// reference into the pod, a view or a C string. Anything else (a std::string returned by
/// value) is copied into a keeper that lives as long as the derivation.
template <class T>
inline constexpr bool is_borrowed_text_v =
    std::is_lvalue_reference_v<T> || std::is_same_v<std::remove_cvref_t<T>, std::string_view> ||
    std::is_pointer_v<std::remove_cvref_t<T>>;

/// Owns copies of strings a user's pod_traits returned by value (only such types use it).
class text_keeper {
  public:
    /// A pod_traits result as a view that stays valid while the keeper lives.
    template <class T>
    std::string_view keep(T&& text) {
        if constexpr (is_borrowed_text_v<T&&>) {
            return std::string_view(text);
        } else {
            return kept_.emplace_back(std::string_view(text));
        }
    }

    /// An element of a pod_ips range returned by value: only views and C strings outlive it.
    template <class Element>
    std::string_view keep_element(const Element& text) {
        if constexpr (std::is_same_v<Element, std::string_view> || std::is_pointer_v<Element>) {
            return std::string_view(text);
        } else {
            return kept_.emplace_back(std::string_view(text));
        }
    }

  private:
    std::deque<std::string> kept_;
};

/// What derive_endpoints keeps per published pod: views of the fields its address is made of
/// (the targetRef is always {Pod, namespace, name, uid}).
struct pod_address_record {
    std::string_view ip;
    std::string_view hostname;
    std::string_view node_name;
    std::string_view namespace_;
    std::string_view name;
    std::string_view uid;
};

/// The identity uid of a pod address: the pod's uid.
[[nodiscard]] inline std::string_view identity_uid(const pod_address_record& r) noexcept {
    return r.uid;
}

/// The core/v1 EndpointAddress a pod address record stands for.
[[nodiscard]] inline endpoint_address_view view_of(const pod_address_record& r) noexcept {
    return {r.ip, r.hostname, r.node_name,
            object_reference_view{"Pod", r.namespace_, r.name, r.uid, {}, {}, {}}};
}

/// ip_family_of with a shortcut: text without ':' cannot parse as IPv6, so it is IPv4 by the
/// family rule (spec §5.4) whether or not it parses at all.
[[nodiscard]] inline ip_family address_family(std::string_view ip) noexcept {
    return ip.find(':') == std::string_view::npos ? ip_family::ipv4 : ip_family_of(ip);
}

} // namespace detail

/// The IP family whose address the Endpoints controller publishes for a pod (spec §5.4), when
/// the Service decides it on its own: its first ipFamilies entry, else the family of its
/// clusterIP; nullopt when it depends on each pod (legacy headless Service).
///
/// Example:
///     svcdisc::service_address_family(svc); // ip_family::ipv4 for clusterIP 10.96.0.10
template <class String>
[[nodiscard]] std::optional<ip_family> service_address_family(const basic_service<String>& svc) {
    if (!svc.spec.ip_families.empty()) {
        return std::string_view(svc.spec.ip_families.front()) == "IPv6" ? ip_family::ipv6
                                                                        : ip_family::ipv4;
    }
    if (is_service_ip_set(svc)) {
        return ip_family_of(svc.spec.cluster_ip);
    }
    return std::nullopt;
}

namespace detail {

/// derive_endpoints for a range whose elements are (or point to) pods of type Pod.
template <class Pod, class String, class Pods>
[[nodiscard]] std::optional<basic_endpoints<String>>
derive_endpoints_of(const basic_service<String>& svc, const Pods& pods) {
    using traits = pod_traits<Pod>;

    if (!endpoint_controllers_manage(svc)) {
        return std::nullopt;
    }
    const bool publish_not_ready = svc.spec.publish_not_ready_addresses;
    const std::optional<ip_family> service_family = service_address_family(svc);

    // 1. One address record per pod that is in (spec §5.2–§5.6).
    detail::text_keeper keeper;
    std::vector<detail::pod_address_record> records;
    std::vector<std::uint8_t> record_ready;
    // Raw ports are one per (service port, resolved number); each record's resolved raw ports
    // are noted while its pod is at hand, so the pods are read once, in input order.
    const auto& service_ports = svc.spec.ports;
    const bool headless_without_ports =
        service_ports.empty() && std::string_view(svc.spec.cluster_ip) == cluster_ip_none;
    std::vector<detail::endpoint_port_view> ports;
    if (headless_without_ports) {
        // Only a headless Service publishes portless addresses (spec §5.7), under upstream's
        // no-port sentinel.
        ports.push_back({{}, -1, {}, std::nullopt});
    }
    constexpr std::uint32_t unresolved = ~std::uint32_t{0};
    std::vector<std::uint32_t> record_ports;
    struct resolved {
        std::int32_t number;
        std::uint32_t port;
    };
    std::vector<std::vector<resolved>> known(service_ports.size());
    std::vector<std::size_t> last_hit(service_ports.size(), 0);
    const auto raw_port_of = [&](std::size_t i, std::int32_t number) {
        auto& seen = known[i];
        std::size_t at = last_hit[i];
        if (at >= seen.size() || seen[at].number != number) {
            at = 0;
            while (at < seen.size() && seen[at].number != number) {
                ++at;
            }
            if (at == seen.size()) {
                const auto& sp = service_ports[i];
                detail::endpoint_port_view view{sp.name, number, sp.protocol, std::nullopt};
                if (sp.app_protocol) {
                    view.app_protocol = std::string_view(*sp.app_protocol);
                }
                seen.push_back({number, static_cast<std::uint32_t>(ports.size())});
                ports.push_back(view);
            }
            last_hit[i] = at;
        }
        return seen[at].port;
    };

    if constexpr (std::ranges::sized_range<Pods>) {
        const auto size = static_cast<std::size_t>(std::ranges::size(pods));
        records.reserve(size);
        record_ready.reserve(size);
        record_ports.reserve(size * service_ports.size());
    }
    for (const auto& element : pods) {
        const Pod& p = detail::pod_of(element);
        if (!service_selects_pod(svc, p) || !should_pod_be_in_endpoints(p, publish_not_ready)) {
            continue;
        }
        const ip_family family = service_family
                                     ? *service_family
                                     : detail::address_family(std::string_view(traits::pod_ip(p)));
        std::optional<std::string_view> ip;
        decltype(auto) pod_ips = traits::pod_ips(p);
        for (auto&& candidate : pod_ips) {
            if (detail::address_family(std::string_view(candidate)) == family) {
                if constexpr (std::is_lvalue_reference_v<decltype(traits::pod_ips(p))>) {
                    ip = std::string_view(candidate);
                } else {
                    ip = keeper.keep_element(candidate);
                }
                break;
            }
        }
        if (!ip) {
            continue;
        }
        detail::pod_address_record record;
        record.ip = *ip;
        if (should_set_hostname(p, svc)) {
            record.hostname = keeper.keep(traits::hostname(p));
        }
        record.node_name = keeper.keep(traits::node_name(p));
        record.namespace_ = keeper.keep(traits::namespace_(p));
        record.name = keeper.keep(traits::name(p));
        record.uid = keeper.keep(traits::uid(p));
        for (std::size_t i = 0; i < service_ports.size(); ++i) {
            const std::optional<std::int32_t> number = find_target_port(p, service_ports[i]);
            record_ports.push_back(number ? raw_port_of(i, *number) : unresolved);
        }
        records.push_back(record);
        record_ready.push_back(publish_not_ready || static_cast<bool>(traits::ready(p)) ? 1 : 0);
    }

    const detail::address_identities ids =
        detail::identify_addresses(records, [&](std::uint32_t a, std::uint32_t b) {
            const auto& x = records[a];
            const auto& y = records[b];
            return std::tie(x.hostname, x.node_name, x.namespace_, x.name, a) <
                   std::tie(y.hostname, y.node_name, y.namespace_, y.name, b);
        });

    // 2. Raw (address, port) facts, visited in address order so each port's list comes out
    //    sorted.
    std::vector<detail::repack_entry> entries;
    if (headless_without_ports) {
        entries.reserve(records.size());
        for (const std::uint32_t r : ids.sorted) {
            entries.push_back({ids.identity_of[r], 0, record_ready[r] != 0});
        }
    } else {
        entries.reserve(record_ports.size());
        for (const std::uint32_t r : ids.sorted) {
            for (std::size_t i = 0; i < service_ports.size(); ++i) {
                const std::uint32_t raw_port = record_ports[r * service_ports.size() + i];
                if (raw_port != unresolved) {
                    entries.push_back({ids.identity_of[r], raw_port, record_ready[r] != 0});
                }
            }
        }
    }

    // 3. Repack, order, truncate, then build the object.
    const std::vector<detail::repacked_subset> repacked = detail::repack(
        [&](std::uint32_t identity) { return detail::view_of(records[ids.kept[identity]]); }, ports,
        entries);
    std::vector<std::size_t> ready_kept(repacked.size());
    std::vector<std::size_t> not_ready_kept(repacked.size());
    for (std::size_t s = 0; s < repacked.size(); ++s) {
        ready_kept[s] = repacked[s].ready.size();
        not_ready_kept[s] = repacked[s].not_ready.size();
    }
    const bool truncated =
        detail::plan_truncation(ready_kept, not_ready_kept, endpoints_max_capacity);

    basic_endpoints<String> eps;
    eps.metadata.name = svc.metadata.name;
    eps.metadata.namespace_ = svc.metadata.namespace_;
    eps.metadata.labels = svc.metadata.labels;
    if (!is_service_ip_set(svc)) {
        eps.metadata.labels.insert_or_assign(endpoints_keys::headless_label, "");
    } else {
        eps.metadata.labels.erase(endpoints_keys::headless_label);
    }
    eps.metadata.labels.insert_or_assign(endpoints_keys::managed_by_label,
                                         endpoints_keys::managed_by_controller);
    if (truncated) {
        eps.metadata.annotations.insert_or_assign(endpoints_keys::over_capacity_annotation,
                                                  endpoints_keys::over_capacity_truncated);
    }

    // Built in place: the output strings are the only per-address allocations.
    const auto add_address = [&](std::vector<basic_endpoint_address<String>>& list,
                                 std::uint32_t identity) {
        const detail::pod_address_record& r = records[ids.kept[identity]];
        auto& a = list.emplace_back();
        a.ip = String(r.ip);
        if (!r.hostname.empty()) {
            a.hostname = String(r.hostname);
        }
        a.node_name.emplace(r.node_name);
        auto& ref = a.target_ref.emplace();
        ref.kind = String("Pod");
        ref.namespace_ = String(r.namespace_);
        ref.name = String(r.name);
        ref.uid = String(r.uid);
    };
    eps.subsets.resize(repacked.size());
    for (std::size_t s = 0; s < repacked.size(); ++s) {
        auto& subset = eps.subsets[s];
        subset.addresses.reserve(ready_kept[s]);
        for (std::size_t k = 0; k < ready_kept[s]; ++k) {
            add_address(subset.addresses, repacked[s].ready[k]);
        }
        subset.not_ready_addresses.reserve(not_ready_kept[s]);
        for (std::size_t k = 0; k < not_ready_kept[s]; ++k) {
            add_address(subset.not_ready_addresses, repacked[s].not_ready[k]);
        }
        subset.ports.reserve(repacked[s].ports.size());
        for (const std::uint32_t p : repacked[s].ports) {
            const detail::endpoint_port_view& v = ports[p];
            basic_endpoint_port<String> port;
            port.name = String(v.name);
            port.port = v.port;
            port.protocol = String(v.protocol);
            if (v.app_protocol) {
                port.app_protocol = String(*v.app_protocol);
            }
            subset.ports.push_back(std::move(port));
        }
    }
    return eps;
}

} // namespace detail

/// The Endpoints object Kubernetes' Endpoints controller would write for `svc`, given the pods
/// of the cluster (spec §5).
///
/// `pods` is any range of pod_like objects (or pointers to them): a vector, a span, your own
/// container of your own pod type read through pod_traits. Pods of other namespaces, pods the
/// selector does not pick and pods that are out (terminal phase, no IP, terminating without
/// publishNotReadyAddresses) are ignored, so passing every pod of the cluster is fine. The
/// result does not depend on the order of `pods`.
///
/// Returns nullopt when the controller leaves the Service alone: `type: ExternalName`, or a
/// selector that is absent or empty (spec §4.3; Endpoints of such a Service are managed by
/// hand). Otherwise the object is returned even with no subsets. It carries the Service's name,
/// namespace and labels (plus the headless label when clusterIP is not set, and
/// `endpoints.kubernetes.io/managed-by: endpoint-controller`), annotation
/// `endpoints.kubernetes.io/over-capacity: truncated` when more than 1000 addresses were cut,
/// and no uid, resourceVersion, timestamps or last-change-trigger-time.
///
/// Two pods with the same IP and uid (only possible with malformed input) make one address;
/// upstream keeps whichever its cache lists first, svcdisc the one whose hostname, nodeName,
/// namespace and name sort first, so the result stays independent of input order.
///
/// Example:
///     svcdisc::service svc = …;            // selector app=MyApp, port 80 -> 9376
///     std::vector<svcdisc::pod> pods = …;
///     if (auto eps = svcdisc::derive_endpoints(svc, pods)) {
///         for (const auto& subset : eps->subsets)
///             for (const auto& a : subset.addresses) use(a.ip, subset.ports);
///     }
template <class String, class Pods>
[[nodiscard]] std::optional<basic_endpoints<String>>
derive_endpoints(const basic_service<String>& svc, const Pods& pods) {
    using element_type = std::remove_cvref_t<decltype(*std::begin(pods))>;
    using pod_type = std::remove_cvref_t<decltype(detail::pod_of(std::declval<element_type>()))>;
    static_assert(detail::check_pod_like<pod_type>());
    if constexpr (pod_like<pod_type>) {
        return detail::derive_endpoints_of<pod_type>(svc, pods);
    } else {
        return std::nullopt;
    }
}

} // namespace svcdisc
