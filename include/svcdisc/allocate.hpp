#pragma once

/// What the API server's Service storage does to a Service it creates: default the IP family
/// fields, allocate cluster IPs from the Service ranges and node ports from the node-port range,
/// or refuse with the API server's error. Allocation is deterministic (docs/workloads-and-
/// allocation.md): the same Service, cluster and set of taken addresses give the same result.
///
///   ip_cidr                            a network, `10.96.0.0/12`, `fd00:10:96::/108`
///   port_range                         an inclusive port range, `30000-32767`
///   cluster_config                     the Service ranges and node-port range of a cluster
///   parse_service_cluster_ip_range     kube-apiserver's `--service-cluster-ip-range CIDR[,CIDR]`
///   parse_service_node_port_range      kube-apiserver's `--service-node-port-range A-B`
///   allocations                        the cluster IPs and node ports already in use
///   allocate(service, config, taken)   fills ipFamilyPolicy, ipFamilies, clusterIP(s), node
///                                      ports, or returns the allocation_error
///
/// Example:
///     svcdisc::cluster_config cluster;  // 10.96.0.0/12, 30000-32767
///     svcdisc::allocations taken;
///     svcdisc::service svc;
///     svc.metadata = {.name = "web", .namespace_ = "shop"};
///     svc.spec.type = "NodePort";
///     svc.spec.ports.emplace_back().port = 80;
///     if (auto error = svcdisc::allocate(svc, cluster, taken)) {
///         std::cerr << error->message << '\n';
///     }
///     // svc.spec.clusterIPs == {"10.96.x.y"}, svc.spec.ports[0].node_port in 30086-32767

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/config.hpp>
#include <svcdisc/detail/allocate/address_math.hpp>
#include <svcdisc/detail/allocate/field_errors.hpp>
#include <svcdisc/detail/allocate/flag_text.hpp>
#include <svcdisc/detail/allocate/ip_families.hpp>
#include <svcdisc/detail/allocate/service_allocator.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/result.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc {

/// An IP network: an address whose host bits are zero and a prefix length.
///
/// Example:
///     auto cidr = svcdisc::ip_cidr::parse("10.96.0.7/12");
///     cidr->to_string();                                          // "10.96.0.0/12"
///     cidr->contains(*svcdisc::ip_address::parse("10.100.0.1"));  // true
class ip_cidr {
  public:
    /// `::/0`.
    constexpr ip_cidr() noexcept = default;

    /// The network of `address` with `prefix_length` leading bits kept, clamped to the
    /// family's 32 or 128 bits.
    constexpr ip_cidr(const ip_address& address, int prefix_length) noexcept
        : prefix_length_(std::clamp(prefix_length, 0, address.is_ipv4() ? 32 : 128)) {
        const int bits = address.is_ipv4() ? 32 : 128;
        const detail::uint128 host = detail::low_mask(static_cast<unsigned>(bits - prefix_length_));
        network_ = detail::to_address(
            detail::bitwise_and(detail::to_number(address), detail::bitwise_not(host)));
    }

    /// Parses `ADDRESS/LENGTH` as Kubernetes' netutils.ParseCIDRSloppy does: the address as
    /// ip_address::parse reads it (IPv4 octets may have leading zeros), the length in decimal
    /// digits up to 32 or 128; host bits are cleared (`10.96.0.7/12` is `10.96.0.0/12`).
    /// nullopt for anything else.
    [[nodiscard]] static constexpr std::optional<ip_cidr> parse(std::string_view text) noexcept {
        const std::size_t slash = text.find('/');
        if (slash == std::string_view::npos || slash + 1 == text.size()) {
            return std::nullopt;
        }
        const auto address = ip_address::parse(text.substr(0, slash));
        if (!address) {
            return std::nullopt;
        }
        const int bits = address->is_ipv4() ? 32 : 128;
        int length = 0;
        for (const char c : text.substr(slash + 1)) {
            if (c < '0' || c > '9') {
                return std::nullopt;
            }
            length = length * 10 + (c - '0');
            if (length > bits) {
                return std::nullopt;
            }
        }
        return ip_cidr(*address, length);
    }

    /// The first address of the network (host bits zero).
    [[nodiscard]] constexpr const ip_address& network() const noexcept { return network_; }
    [[nodiscard]] constexpr int prefix_length() const noexcept { return prefix_length_; }
    [[nodiscard]] constexpr ip_family family() const noexcept { return network_.family(); }
    /// 32 - prefix_length for IPv4, 128 - prefix_length for IPv6.
    [[nodiscard]] constexpr int host_bits() const noexcept {
        return (network_.is_ipv4() ? 32 : 128) - prefix_length_;
    }

    /// True when `address` is of this family and inside the network.
    [[nodiscard]] constexpr bool contains(const ip_address& address) const noexcept {
        if (address.is_ipv4() != network_.is_ipv4()) {
            return false;
        }
        const detail::uint128 host = detail::low_mask(static_cast<unsigned>(host_bits()));
        return detail::bitwise_and(detail::to_number(address), detail::bitwise_not(host)) ==
               detail::to_number(network_);
    }

    /// network() + offset; the caller keeps `offset` below the network's size.
    [[nodiscard]] constexpr ip_address address_at(std::uint64_t offset) const noexcept {
        return detail::advance(network_, offset);
    }

    /// `network/length` as Go's IPNet.String() prints it.
    [[nodiscard]] std::string to_string() const {
        return network_.to_string() + "/" + std::to_string(prefix_length_);
    }

    friend constexpr bool operator==(const ip_cidr&, const ip_cidr&) noexcept = default;

  private:
    ip_address network_;
    int prefix_length_ = 0;
};

/// An inclusive range of ports, `base` to `base + size - 1` (k8s.io/apimachinery PortRange).
struct port_range {
    std::int32_t base = 30000;
    std::int32_t size = 2768;

    [[nodiscard]] constexpr std::int32_t first() const noexcept { return base; }
    [[nodiscard]] constexpr std::int32_t last() const noexcept { return base + size - 1; }
    [[nodiscard]] constexpr bool contains(std::int32_t port) const noexcept {
        return port >= base && port - base < size;
    }
    /// `first-last`, e.g. "30000-32767".
    [[nodiscard]] std::string to_string() const {
        return std::to_string(first()) + "-" + std::to_string(last());
    }

    friend constexpr bool operator==(const port_range&, const port_range&) noexcept = default;
};

/// kubeadm's default Service range (kube-apiserver alone would default to 10.0.0.0/24).
inline constexpr ip_cidr default_service_cidr{ip_address::from_ipv4(10, 96, 0, 0), 12};

/// The cluster facts Service allocation depends on: the Service ranges (one, or two of
/// different families for a dual-stack cluster; the first is primary) and the node-port range.
///
/// Example:
///     svcdisc::cluster_config dual;
///     dual.service_cidrs = svcdisc::parse_service_cluster_ip_range(
///         "10.96.0.0/12,fd00:10:96::/108").value();
///     dual.dual_stack();  // true
struct cluster_config {
    std::vector<ip_cidr> service_cidrs{default_service_cidr};
    port_range node_ports;

    /// The family of the first Service range.
    [[nodiscard]] ip_family primary_family() const noexcept {
        return service_cidrs.empty() ? ip_family::ipv4 : service_cidrs.front().family();
    }
    /// True with two Service ranges of different families.
    [[nodiscard]] bool dual_stack() const noexcept {
        return service_cidrs.size() == 2 && service_cidrs[0].family() != service_cidrs[1].family();
    }
    /// The Service range of `family`, or nullptr when the cluster has none.
    [[nodiscard]] const ip_cidr* service_cidr(ip_family family) const noexcept {
        for (const ip_cidr& cidr : service_cidrs) {
            if (cidr.family() == family) {
                return &cidr;
            }
        }
        return nullptr;
    }
    /// The first address of the primary range, which the API server gives the `kubernetes`
    /// Service in `default` (controlplane ServiceIPRange), e.g. 10.96.0.1.
    [[nodiscard]] ip_address api_server_service_ip() const noexcept {
        return service_cidrs.empty() ? ip_address{} : service_cidrs.front().address_at(1);
    }
};

/// Reads kube-apiserver's `--service-cluster-ip-range`: one CIDR, or two comma-separated CIDRs
/// of different families (primary first). Empty text gives the default range. Checks, with
/// kube-apiserver's messages and the offset of the entry at fault: each entry is a CIDR, at
/// most two entries, two entries differ in family, no range has more than 20 host bits (the
/// flag validation of the bitmap allocator: IPv4 /12 or longer, IPv6 /108 or longer), and the
/// primary range holds at least 8 addresses.
///
/// Example:
///     svcdisc::parse_service_cluster_ip_range("10.96.0.0/12,fd00::/108").value().size();  // 2
///     svcdisc::parse_service_cluster_ip_range("10.0.0.0/8").error().message;
///     // "specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask
///     //  must be >= 12"
[[nodiscard]] inline result<std::vector<ip_cidr>>
parse_service_cluster_ip_range(std::string_view text) {
    if (text.empty()) {
        return std::vector<ip_cidr>{default_service_cidr};
    }
    const auto pieces = detail::allocation::split_commas(text);
    if (pieces.size() > 2) {
        return input_error{"--service-cluster-ip-range must not contain more than two entries",
                           pieces[2].offset};
    }
    std::vector<ip_cidr> cidrs;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const auto cidr = ip_cidr::parse(pieces[i].text);
        if (!cidr) {
            return input_error{i == 0 ? "service-cluster-ip-range[0] is not a valid cidr"
                                      : "service-cluster-ip-range[1] is not an ip net",
                               pieces[i].offset};
        }
        cidrs.push_back(*cidr);
    }
    if (cidrs.front().host_bits() < 3) {
        return input_error{"error determining service IP ranges for primary service cidr: the "
                           "service cluster IP range must be at least 8 IP addresses",
                           0};
    }
    constexpr int max_host_bits = 20;
    for (std::size_t i = 0; i < cidrs.size(); ++i) {
        if (cidrs[i].host_bits() > max_host_bits) {
            const int bits = cidrs[i].family() == ip_family::ipv4 ? 32 : 128;
            return input_error{
                std::string("specified --service-cluster-ip-range") + (i == 0 ? "" : "[1]") +
                    " is too large; for " + std::to_string(bits) +
                    "-bit addresses, the mask must be >= " + std::to_string(bits - max_host_bits),
                pieces[i].offset};
        }
    }
    if (cidrs.size() == 2 && cidrs[0].family() == cidrs[1].family()) {
        return input_error{"--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must "
                           "be of different IP family",
                           pieces[1].offset};
    }
    return cidrs;
}

/// Reads kube-apiserver's `--service-node-port-range` as PortRange.Set does: `A-B`, a single
/// port `A`, or `A+N` (A to A+N); surrounding spaces ignored; empty text gives the default
/// 30000-32767. Errors carry PortRange.Set's message and the offset of the part at fault.
///
/// Example:
///     svcdisc::parse_service_node_port_range("30000-30099").value().size;  // 100
///     svcdisc::parse_service_node_port_range("32767-30000").error().message;
///     // "end port cannot be less than start port: 32767-30000"
[[nodiscard]] inline result<port_range> parse_service_node_port_range(std::string_view text) {
    using detail::allocation::parse_go_int;
    const std::size_t begin = text.find_first_not_of(" \t\n\v\f\r");
    if (begin == std::string_view::npos) {
        return port_range{};
    }
    const std::size_t end = text.find_last_not_of(" \t\n\v\f\r") + 1;
    const std::string_view value = text.substr(begin, end - begin);
    const std::size_t hyphen = value.find('-');
    const std::size_t plus = value.find('+');
    std::int64_t low = 0;
    std::int64_t high = 0;
    if (hyphen != std::string_view::npos && plus != std::string_view::npos) {
        return input_error{"unable to parse port range: " + std::string(value), begin};
    }
    const std::size_t split = hyphen != std::string_view::npos ? hyphen : plus;
    auto first = parse_go_int(value.substr(0, split), begin);
    if (!first) {
        return first.error();
    }
    low = high = *first;
    if (split != std::string_view::npos) {
        auto second = parse_go_int(value.substr(split + 1), begin + split + 1);
        if (!second) {
            return second.error();
        }
        high = hyphen != std::string_view::npos ? *second : low + *second;
    }
    if (low > 65535 || high > 65535) {
        return input_error{"the port range cannot be greater than 65535: " + std::string(value),
                           begin};
    }
    if (high < low) {
        return input_error{"end port cannot be less than start port: " + std::string(value), begin};
    }
    return port_range{static_cast<std::int32_t>(low), static_cast<std::int32_t>(high - low + 1)};
}

/// The cluster IPs and node ports already allocated, which allocate() must not hand out
/// again; fill it from the Services the cluster already has (add(service)) or one value at a
/// time.
///
/// Example:
///     svcdisc::allocations taken;
///     taken.add(*svcdisc::ip_address::parse("10.96.0.10"));
///     taken.add_node_port(30080);
///     taken.contains_node_port(30080);  // true
class allocations {
  public:
    void add(const ip_address& address) { addresses_.insert(address); }
    [[nodiscard]] bool contains(const ip_address& address) const {
        return addresses_.count(address) != 0;
    }
    void add_node_port(std::int32_t port) { node_ports_.insert(port); }
    [[nodiscard]] bool contains_node_port(std::int32_t port) const {
        return node_ports_.count(port) != 0;
    }

    /// Everything `svc` holds: each clusterIPs entry that is an IP (clusterIP when clusterIPs
    /// is empty) and every non-zero nodePort.
    template <class String>
    void add(const basic_service<String>& svc) {
        const auto add_text = [this](std::string_view text) {
            if (const auto address = ip_address::parse(text)) {
                add(*address);
            }
        };
        if (svc.spec.cluster_ips.empty()) {
            add_text(svc.spec.cluster_ip);
        }
        for (const auto& ip : svc.spec.cluster_ips) {
            add_text(ip);
        }
        for (const auto& port : svc.spec.ports) {
            if (port.node_port != 0) {
                add_node_port(port.node_port);
            }
        }
    }

    [[nodiscard]] std::size_t address_count() const noexcept { return addresses_.size(); }
    [[nodiscard]] std::size_t node_port_count() const noexcept { return node_ports_.size(); }

  private:
    std::set<ip_address> addresses_;
    std::set<std::int32_t> node_ports_;
};

/// One field the API server names when it refuses a Service (a metav1.StatusCause).
struct allocation_error_cause {
    std::string field;   ///< e.g. "spec.ipFamilyPolicy"; empty for an internal error
    std::string message; ///< e.g. "Invalid value: \"RequireDualStack\": this cluster is not …"

    friend bool operator==(const allocation_error_cause&, const allocation_error_cause&) = default;
};

/// The API server's refusal to create a Service, as its Status says it.
struct allocation_error {
    /// "Invalid" (HTTP 422, a field is wrong) or "InternalError" (HTTP 500, a range is full).
    std::string reason;
    /// The Status message, e.g. `Service "web" is invalid: spec.clusterIPs: Invalid value:
    /// []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: …`, or `Internal error occurred:
    /// failed to allocate a serviceIP: range is full`.
    std::string message;
    std::vector<allocation_error_cause> causes;

    friend bool operator==(const allocation_error&, const allocation_error&) = default;
};

/// Does to `svc` what the API server's Service storage does on create (allocateCreate):
///
///   1. clusterIPs becomes [clusterIP] when only clusterIP is given (normalizeClusterIPs);
///   2. ExternalName Services stop here: no families, addresses or ports;
///   3. ipFamilyPolicy and ipFamilies are defaulted and checked (initIPFamilyFields): a
///      headless Service without selector defaults to RequireDualStack and both families,
///      anything else to SingleStack and the primary family; PreferDualStack and
///      RequireDualStack get the second family on a dual-stack cluster; RequireDualStack on a
///      single-stack cluster, or a family or clusterIPs entry the cluster has no range for, is
///      refused;
///   4. unless headless, each family gets its clusterIPs entry: a requested address must be a
///      usable address of that family's range (not the network or IPv4 broadcast address)
///      and free; otherwise the first free address walking the upper band of the range from
///      the Service's seed, then the lower band; clusterIP becomes clusterIPs[0];
///   5. NodePort and LoadBalancer Services get a node port on every port (initNodePorts).
///
/// The seed is FNV-1a 64 of `namespace/name`. The primary range's first address is kept for
/// the `kubernetes` Service in `default`, which gets it when it asks for no address. svcdisc's
/// Service model has no externalTrafficPolicy, healthCheckNodePort or
/// allocateLoadBalancerNodePorts, so no health-check port is allocated and LoadBalancer
/// Services always get node ports (the API default).
///
/// On success `svc` is filled in, what it got is added to `taken`, and nullopt is returned.
/// Otherwise `svc` and `taken` are left as they were and the API server's error is returned.
///
/// Example:
///     svcdisc::allocations taken;
///     svcdisc::service svc;  // no clusterIP, type ClusterIP
///     svc.spec.ip_family_policy = "RequireDualStack";
///     auto error = svcdisc::allocate(svc, svcdisc::cluster_config{}, taken);
///     error->message;
///     // "Service \"\" is invalid: spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\":
///     //  this cluster is not configured for dual-stack services"
template <class String>
[[nodiscard]] std::optional<allocation_error>
allocate(basic_service<String>& svc, const cluster_config& cluster, allocations& taken) {
    using namespace detail::allocation;
    const auto refused = [](refusal r) {
        allocation_error error{std::move(r.reason), std::move(r.message), {}};
        for (field_error& cause : r.causes) {
            error.causes.push_back({std::move(cause.field), std::move(cause.message)});
        }
        return error;
    };
    basic_service<String> candidate = svc;
    auto& spec = candidate.spec;
    if (!std::string_view(spec.cluster_ip).empty() && spec.cluster_ips.empty()) {
        spec.cluster_ips.push_back(spec.cluster_ip);
    }
    SVCDISC_ASSERT(!cluster.service_cidrs.empty());
    const std::string_view type = spec.type;
    if (type == service_type::external_name) {
        svc = std::move(candidate);
        return std::nullopt;
    }

    const cluster_families families{cluster.primary_family(), cluster.dual_stack()};
    if (auto errors = init_ip_family_fields(candidate, families); !errors.empty()) {
        return refused(invalid_service(candidate.metadata.name, std::move(errors)));
    }

    const bool api_server_service = std::string_view(candidate.metadata.namespace_) == "default" &&
                                    std::string_view(candidate.metadata.name) == "kubernetes";
    allocation_state<cluster_config, allocations> state{
        cluster, taken, service_seed(candidate), {}, {}, {}, {}};
    if (!api_server_service) {
        state.reserved = cluster.api_server_service_ip();
    } else {
        state.api_server_address = cluster.api_server_service_ip();
    }
    if (auto failure = allocate_cluster_ips(candidate, state)) {
        return refused(std::move(*failure));
    }
    if (type == service_type::node_port || type == service_type::load_balancer) {
        if (auto failure = init_node_ports(candidate, state)) {
            return refused(std::move(*failure));
        }
    }
    for (const ip_address& address : state.claimed_addresses) {
        taken.add(address);
    }
    for (const std::int32_t port : state.claimed_node_ports) {
        taken.add_node_port(port);
    }
    svc = std::move(candidate);
    return std::nullopt;
}

} // namespace svcdisc
