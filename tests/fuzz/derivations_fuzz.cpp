// Fuzz target: the derivations' order independence (docs/determinism.md). A small cluster — one
// Service, up to 16 pods, up to 4 nodes — is built from the input, mostly from small tables so
// that names, uids, IPs and nodes collide. Oracles: derive_endpoints and derive_endpoint_slices
// give the identical result for the pods (and nodes) as given, reversed and rotated;
// mirror_endpoint_slices gives identical slices and warnings for a hand-written Endpoints and
// for the same Endpoints with its subsets, addresses and ports listed in reverse.
//
// Node names are unique, as in a cluster; a repeated address in the Endpoints is always the
// same record (RepackSubsets keeps the first of differing copies, as upstream does).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/mirror.hpp>

#include "fuzz_cluster.hpp"

namespace {

using svcdisc_fuzz::hostnames;
using svcdisc_fuzz::input_reader;
using svcdisc_fuzz::node_names;
using svcdisc_fuzz::nodes_from;
using svcdisc_fuzz::pod_from;
using svcdisc_fuzz::port_names;
using svcdisc_fuzz::protocols;
using svcdisc_fuzz::require;
using svcdisc_fuzz::service_from;
using svcdisc_fuzz::slice_capacities;

template <class T>
std::vector<T> reversed(std::vector<T> items) {
    std::reverse(items.begin(), items.end());
    return items;
}

void check_derivations(input_reader& input) {
    const svcdisc::service svc = service_from(input);
    const std::vector<svcdisc::node> nodes = nodes_from(input);
    std::vector<svcdisc::pod> pods;
    const std::size_t pod_count = input.count(16);
    for (std::size_t i = 0; i < pod_count; ++i) {
        pods.push_back(pod_from(input));
    }
    svcdisc::endpoint_slice_options options;
    options.max_endpoints_per_slice = input.pick(slice_capacities);
    options.node_policy =
        input.flag() ? svcdisc::node_policy::assume_present : svcdisc::node_policy::upstream;

    // The rotated order goes through pointers, as callers holding their pods elsewhere pass them.
    std::vector<const svcdisc::pod*> rotated;
    for (const svcdisc::pod& p : pods) {
        rotated.push_back(&p);
    }
    if (!rotated.empty()) {
        const auto shift = static_cast<std::ptrdiff_t>(input.count(rotated.size() - 1));
        std::rotate(rotated.begin(), rotated.begin() + shift, rotated.end());
    }

    const auto endpoints = svcdisc::derive_endpoints(svc, pods);
    require(svcdisc::derive_endpoints(svc, reversed(pods)) == endpoints,
            "derive_endpoints: reversed pods give the same Endpoints");
    require(svcdisc::derive_endpoints(svc, rotated) == endpoints,
            "derive_endpoints: rotated pods give the same Endpoints");

    const auto slices = svcdisc::derive_endpoint_slices(svc, pods, nodes, options);
    require(svcdisc::derive_endpoint_slices(svc, reversed(pods), reversed(nodes), options) ==
                slices,
            "derive_endpoint_slices: reversed pods and nodes give the same slices");
    require(svcdisc::derive_endpoint_slices(svc, rotated, nodes, options) == slices,
            "derive_endpoint_slices: rotated pods give the same slices");
}

constexpr std::array<std::string_view, 6> endpoint_ips{"10.0.0.1", "10.0.0.2",  "10.0.0.10",
                                                       "fd00::1",  "fd00:0::b", "192.168.0.1"};
constexpr std::array<std::int32_t, 3> endpoint_port_numbers{80, 9090, 8080};

svcdisc::endpoints endpoints_from(input_reader& input) {
    std::vector<svcdisc::endpoint_address> pool;
    const std::size_t pool_size = 1 + input.count(endpoint_ips.size() - 1);
    for (std::size_t i = 0; i < pool_size; ++i) {
        svcdisc::endpoint_address& address = pool.emplace_back();
        address.ip = std::string(endpoint_ips[i]);
        address.hostname = std::string(input.pick(hostnames));
        const std::string_view node = input.pick(node_names);
        if (!node.empty()) {
            address.node_name = std::string(node);
        }
        if (input.flag()) {
            auto& ref = address.target_ref.emplace();
            ref.kind = "Pod";
            ref.namespace_ = "ns";
            ref.name = "p" + std::to_string(i);
            ref.uid = "uid-" + std::to_string(i);
        }
    }
    svcdisc::endpoints eps;
    eps.metadata.name = "svc";
    eps.metadata.namespace_ = "ns";
    eps.metadata.uid = "eps-uid";
    const std::size_t subset_count = input.count(3);
    for (std::size_t s = 0; s < subset_count; ++s) {
        svcdisc::endpoint_subset& subset = eps.subsets.emplace_back();
        const std::size_t port_count = input.count(2);
        for (std::size_t k = 0; k < port_count; ++k) {
            svcdisc::endpoint_port& port = subset.ports.emplace_back();
            port.name = std::string(port_names[k]);
            port.port = input.pick(endpoint_port_numbers);
            port.protocol = std::string(input.pick(protocols));
        }
        for (const svcdisc::endpoint_address& address : pool) {
            const std::size_t role = input.count(3);
            if (role == 1 || role == 3) {
                subset.addresses.push_back(address);
            }
            if (role == 2 || role == 3) {
                subset.not_ready_addresses.push_back(address);
            }
        }
    }
    return eps;
}

void check_mirroring(input_reader& input) {
    svcdisc::service svc;
    svc.metadata.name = "svc";
    svc.metadata.namespace_ = "ns";
    svc.spec.type = "ClusterIP";
    svc.spec.cluster_ip = "10.96.0.10";
    const svcdisc::endpoints eps = endpoints_from(input);
    svcdisc::endpoints reordered = eps;
    std::reverse(reordered.subsets.begin(), reordered.subsets.end());
    for (svcdisc::endpoint_subset& subset : reordered.subsets) {
        std::reverse(subset.addresses.begin(), subset.addresses.end());
        std::reverse(subset.not_ready_addresses.begin(), subset.not_ready_addresses.end());
        std::reverse(subset.ports.begin(), subset.ports.end());
    }
    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&svc, eps);
    const auto mirrored_again = svcdisc::mirror_endpoint_slices_with_warnings(&svc, reordered);
    require(mirrored_again.slices == mirrored.slices,
            "mirror_endpoint_slices: reordered Endpoints give the same slices");
    require(mirrored_again.warnings == mirrored.warnings,
            "mirror_endpoint_slices: reordered Endpoints give the same warnings");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    input_reader input(data, size);
    if (input.flag()) {
        check_derivations(input);
    } else {
        check_mirroring(input);
    }
    return 0;
}
