#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/allocate/address_math.hpp>
#include <svcdisc/detail/allocate/field_errors.hpp>
#include <svcdisc/detail/allocate/ip_families.hpp>
#include <svcdisc/detail/allocate/ranges.hpp>
#include <svcdisc/detail/go/fnv1a.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/service.hpp>

/// The allocation steps of the API server's Service storage after the IP family fields are
/// settled: allocIPs per family and initNodePorts, with svcdisc's deterministic walk
/// (ranges.hpp). Written over any cluster (service_cidr(family), node_ports) and taken set
/// (contains, contains_node_port), which allocate.hpp provides.
namespace svcdisc::detail::allocation {

/// The usable addresses of a Service range: all but the network address, and for IPv4 also
/// the broadcast address (the IPAddress allocator's hostsPerNetwork); saturates at 2^64 - 1.
template <class Cidr>
constexpr std::uint64_t usable_addresses(const Cidr& cidr) noexcept {
    const int host_bits = cidr.host_bits();
    if (host_bits >= 64) {
        return ~std::uint64_t{0};
    }
    const std::uint64_t total = std::uint64_t{1} << static_cast<unsigned>(host_bits);
    const std::uint64_t reserved = cidr.family() == ip_family::ipv4 ? 2 : 1;
    return total > reserved ? total - reserved : 0;
}

/// netutils.RangeSize: 2^host_bits, 0 for a /31, /32, /127 or /128, capped at 2^63 - 1.
template <class Cidr>
constexpr std::uint64_t range_size(const Cidr& cidr) noexcept {
    const int host_bits = cidr.host_bits();
    if (host_bits <= 1) {
        return 0;
    }
    if (host_bits >= 63) {
        return ~std::uint64_t{0} >> 1U;
    }
    return std::uint64_t{1} << static_cast<unsigned>(host_bits);
}

/// A refusal as the engine reports it: the Status reason, message and causes.
struct refusal {
    std::string reason;
    std::string message;
    std::vector<field_error> causes;
};

inline refusal invalid_service(std::string_view name, std::vector<field_error> errors) {
    std::string message = "Service " + quoted(name) + " is invalid: " + aggregate(errors);
    return {"Invalid", std::move(message), std::move(errors)};
}

inline refusal internal_error(std::string detail) {
    return {"InternalError", "Internal error occurred: " + detail, {{"", std::move(detail)}}};
}

/// What one allocate() call works on: the caller's `taken`, read only, plus what this call has
/// claimed so far (committed to `taken` only when the whole Service succeeds), the Service's
/// seed and the address kept for the API server's own Service.
template <class Cluster, class Taken>
struct allocation_state {
    const Cluster& cluster;
    const Taken& taken;
    std::uint64_t seed;
    std::optional<ip_address> reserved;
    /// For the `kubernetes` Service in `default`: the address it gets when it asks for none.
    std::optional<ip_address> api_server_address;
    std::vector<ip_address> claimed_addresses;
    std::vector<std::int32_t> claimed_node_ports;

    [[nodiscard]] bool ip_free(const ip_address& address) const {
        return !taken.contains(address) && address != reserved &&
               std::find(claimed_addresses.begin(), claimed_addresses.end(), address) ==
                   claimed_addresses.end();
    }
    [[nodiscard]] bool node_port_free(std::int32_t port) const {
        return !taken.contains_node_port(port) &&
               std::find(claimed_node_ports.begin(), claimed_node_ports.end(), port) ==
                   claimed_node_ports.end();
    }
};

/// allocIPs for one family: a requested address must be a usable address of the family's
/// range and free; an empty request takes the first free address of find_free's walk.
/// `cluster_ips` is the list as it stood before allocation, which the error quotes.
template <class String, class State>
std::optional<refusal>
allocate_cluster_ip(std::string_view service_name, const std::vector<String>& cluster_ips,
                    std::string_view requested, ip_family family, State& state) {
    const auto& cidr = *state.cluster.service_cidr(family);
    const std::uint64_t usable = usable_addresses(cidr);
    if (requested.empty()) {
        const std::uint64_t offset = range_offset(range_size(cidr), 16, 256, 16);
        const auto found = find_free(usable, offset, state.seed, [&](std::uint64_t candidate) {
            return state.ip_free(cidr.address_at(candidate + 1));
        });
        if (!found) {
            return internal_error("failed to allocate a serviceIP: range is full");
        }
        state.claimed_addresses.push_back(cidr.address_at(*found + 1));
        return std::nullopt;
    }
    const ip_address address = *ip_address::parse(requested);
    const auto refuse = [&](const std::string& why) {
        return invalid_service(
            service_name,
            {invalid("spec.clusterIPs", go_string_slice(cluster_ips),
                     "failed to allocate IP " + std::string(requested) + ": " + why)});
    };
    const bool in_range = cidr.contains(address) && address != cidr.network() &&
                          to_number(address) <= to_number(cidr.address_at(usable));
    if (!in_range) {
        return refuse("the provided IP (" + address.to_string() +
                      ") is not in the valid range. The range of valid IPs is " + cidr.to_string());
    }
    if (!state.ip_free(address)) {
        return refuse("provided IP is already allocated");
    }
    state.claimed_addresses.push_back(address);
    return std::nullopt;
}

/// Where the walk for a Service's free entries starts: FNV-1a 64 of `namespace/name`.
template <class String>
std::uint64_t service_seed(const basic_service<String>& svc) {
    std::string key(std::string_view(svc.metadata.namespace_));
    key += '/';
    key += std::string_view(svc.metadata.name);
    return fnv1a_64(key);
}

/// allocClusterIPs: unless the Service is headless, one address per ipFamilies entry, from
/// the clusterIPs entry at the same index when there is one; clusterIPs and clusterIP are
/// set only when every family succeeded.
template <class String, class State>
std::optional<refusal> allocate_cluster_ips(basic_service<String>& svc, State& state) {
    auto& spec = svc.spec;
    if (!spec.cluster_ips.empty() && std::string_view(spec.cluster_ips[0]) == cluster_ip_none) {
        return std::nullopt;
    }
    std::vector<String> requested = spec.cluster_ips;
    requested.resize(std::max(requested.size(), spec.ip_families.size()));
    if (state.api_server_address && std::string_view(requested[0]).empty() &&
        std::string_view(spec.ip_families[0]) == family_name(state.api_server_address->family())) {
        requested[0] = String(state.api_server_address->to_string());
    }
    for (std::size_t i = 0; i < spec.ip_families.size(); ++i) {
        const ip_family family =
            std::string_view(spec.ip_families[i]) == ipv4_name ? ip_family::ipv4 : ip_family::ipv6;
        const bool dynamic = std::string_view(requested[i]).empty();
        if (auto failure =
                allocate_cluster_ip(svc.metadata.name, requested, requested[i], family, state)) {
            return failure;
        }
        if (dynamic) {
            requested[i] = String(state.claimed_addresses.back().to_string());
        }
    }
    spec.cluster_ips = std::move(requested);
    spec.cluster_ip = spec.cluster_ips[0];
    return std::nullopt;
}

/// PortAllocationOperation.Allocate for a requested node port.
template <class State>
std::optional<std::string> claim_node_port(std::int32_t port, State& state) {
    if (!state.cluster.node_ports.contains(port)) {
        return "provided port is not in the valid range. The range of valid ports is " +
               state.cluster.node_ports.to_string();
    }
    if (!state.node_port_free(port)) {
        return std::string("provided port is already allocated");
    }
    state.claimed_node_ports.push_back(port);
    return std::nullopt;
}

/// PortAllocationOperation.AllocateNext with svcdisc's deterministic walk.
template <class State>
std::optional<std::int32_t> next_node_port(State& state) {
    const auto& ports = state.cluster.node_ports;
    const auto size = static_cast<std::uint64_t>(ports.size);
    const auto found =
        find_free(size, range_offset(size, 16, 128, 32), state.seed, [&](std::uint64_t candidate) {
            return state.node_port_free(ports.base + static_cast<std::int32_t>(candidate));
        });
    if (!found) {
        return std::nullopt;
    }
    const std::int32_t port = ports.base + static_cast<std::int32_t>(*found);
    state.claimed_node_ports.push_back(port);
    return port;
}

/// initNodePorts: ports with the same port number share one node port; a requested node port
/// (on this entry or a later one with the same port number) is claimed, otherwise the next
/// free one is taken.
template <class String, class State>
std::optional<refusal> init_node_ports(basic_service<String>& svc, State& state) {
    auto& ports = svc.spec.ports;
    std::vector<std::pair<std::int32_t, std::int32_t>> by_port; // service port -> node port
    const auto allocated_for = [&](std::int32_t port) {
        for (const auto& [service_port, node_port] : by_port) {
            if (service_port == port) {
                return node_port;
            }
        }
        return std::int32_t{0};
    };
    for (std::size_t i = 0; i < ports.size(); ++i) {
        auto& port = ports[i];
        const auto refuse = [&](std::int32_t value, const std::string& why) {
            return invalid_service(svc.metadata.name,
                                   {invalid("spec.ports[" + std::to_string(i) + "].nodePort",
                                            std::to_string(value), why)});
        };
        const std::int32_t allocated = allocated_for(port.port);
        if (allocated == 0) {
            std::int32_t requested = 0;
            for (const auto& other : ports) {
                if (other.port == port.port && other.node_port != 0) {
                    requested = other.node_port;
                    break;
                }
            }
            if (requested != 0) {
                if (auto why = claim_node_port(requested, state)) {
                    return refuse(requested, *why);
                }
                port.node_port = requested;
            } else {
                const auto next = next_node_port(state);
                if (!next) {
                    return internal_error("failed to allocate a nodePort: range is full");
                }
                port.node_port = *next;
            }
            by_port.emplace_back(port.port, port.node_port);
        } else if (port.node_port != allocated) {
            if (port.node_port == 0) {
                port.node_port = allocated;
            } else if (auto why = claim_node_port(port.node_port, state)) {
                return refuse(port.node_port, *why);
            }
        }
    }
    return std::nullopt;
}

} // namespace svcdisc::detail::allocation
