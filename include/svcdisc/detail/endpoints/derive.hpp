#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include <svcdisc/detail/endpoints/repack.hpp>
#include <svcdisc/detail/endpoints/truncation.hpp>
#include <svcdisc/detail/go/spew.hpp>
#include <svcdisc/detail/util/element_ref.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

/// The Endpoints controller's syncService for one Service as a pure function: pods to address
/// records, RepackSubsets, truncation, the object.
namespace svcdisc::detail {

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

/// derive_endpoints for a range whose elements are (or point to) pods of type Pod.
template <class Pod, class String, class Pods>
[[nodiscard]] std::optional<basic_endpoints<String>>
derive_endpoints_of(const basic_service<String>& svc, const Pods& pods) {
    using traits = pod_traits<Pod>;

    if (!endpoint_controllers_manage(svc)) {
        return std::nullopt;
    }
    const bool publish_not_ready = svc.spec.publish_not_ready_addresses;

    // 1. One address record per pod that is in (ShouldPodBeInEndpoints and
    //    podToEndpointAddressForService).
    text_keeper keeper;
    std::vector<pod_address_record> records;
    std::vector<std::uint8_t> record_ready;
    // Raw ports are one per (service port, resolved number); each record's resolved raw ports
    // are noted while its pod is at hand, so the pods are read once, in input order.
    const auto& service_ports = svc.spec.ports;
    const bool headless_without_ports = allows_portless_endpoints(svc);
    std::vector<endpoint_port_view> ports;
    if (headless_without_ports) {
        // Only a headless Service publishes portless addresses (docs/endpoints.md), under
        // upstream's no-port sentinel.
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
                endpoint_port_view view{sp.name, number, sp.protocol, std::nullopt};
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
        const Pod& p = element_ref(element);
        if (!service_selects_pod(svc, p) || !should_pod_be_in_endpoints(p, publish_not_ready)) {
            continue;
        }
        auto address = pod_to_endpoint_address(svc, p);
        if (!address.found()) {
            continue;
        }
        pod_address_record record;
        record.ip = keeper.keep(std::move(address.ip));
        if (should_set_hostname(p, svc)) {
            record.hostname = keeper.keep(traits::hostname(p));
        }
        record.node_name = keeper.keep(traits::node_name(p));
        record.namespace_ = keeper.keep(traits::namespace_(p));
        record.name = keeper.keep(traits::name(p));
        record.uid = keeper.keep(traits::uid(p));
        bool any_port = headless_without_ports;
        for (std::size_t i = 0; i < service_ports.size(); ++i) {
            const std::optional<std::int32_t> number = find_target_port(p, service_ports[i]);
            record_ports.push_back(number ? raw_port_of(i, *number) : unresolved);
            any_port = any_port || number.has_value();
        }
        if (!any_port) {
            // Upstream never adds the address to a subset, so it cannot stand for an address
            // it shares with another pod either.
            record_ports.resize(record_ports.size() - service_ports.size());
            continue;
        }
        records.push_back(record);
        record_ready.push_back(endpoints_address_list(svc, p).ready ? 1 : 0);
    }

    const address_identities ids =
        identify_addresses(records, [&](std::uint32_t a, std::uint32_t b) {
            const auto& x = records[a];
            const auto& y = records[b];
            return std::tie(x.hostname, x.node_name, x.namespace_, x.name, a) <
                   std::tie(y.hostname, y.node_name, y.namespace_, y.name, b);
        });

    // 2. Raw (address, port) facts, visited in address order so each port's list comes out
    //    sorted.
    std::vector<repack_entry> entries;
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
    const std::vector<repacked_subset> repacked =
        repack([&](std::uint32_t identity) { return view_of(records[ids.kept[identity]]); }, ports,
               entries);
    std::vector<std::size_t> ready_kept(repacked.size());
    std::vector<std::size_t> not_ready_kept(repacked.size());
    for (std::size_t s = 0; s < repacked.size(); ++s) {
        ready_kept[s] = repacked[s].ready.size();
        not_ready_kept[s] = repacked[s].not_ready.size();
    }
    const bool truncated = plan_truncation(ready_kept, not_ready_kept, endpoints_max_capacity);

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
        const pod_address_record& r = records[ids.kept[identity]];
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
            const endpoint_port_view& v = ports[p];
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

} // namespace svcdisc::detail
