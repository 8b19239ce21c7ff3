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
#include <svcdisc/detail/go/spew.hpp>
#include <svcdisc/endpoint_slice.hpp>

/// Port-set keys (Kubernetes' NewPortMapKey): the FNV-128a digest of each port's go-spew
/// dump, sorted; they group pods and slices by the ports they serve and order a slice's ports.
namespace svcdisc::detail {

/// FNV-128a of the go-spew dump of a discovery/v1 EndpointPort (fields Name, Protocol, Port,
/// AppProtocol, all pointers), e.g. `(v1.EndpointPort){Name:(*string)http
/// Protocol:(*v1.Protocol)TCP Port:(*int32)8080 AppProtocol:(*string)<nil>}` on one line; the
/// key that orders a new slice's ports (NewPortMapKey; docs/endpoint-slices.md).
template <class String>
[[nodiscard]] digest128 endpoint_port_digest(const basic_endpoint_slice_port<String>& port) {
    fnv128a_hasher hasher;
    go_dump_writer out(hasher);
    out.begin_struct("v1.EndpointPort");
    out.field("Name");
    out.optional_string_value("*string", port.name);
    out.field("Protocol");
    out.optional_string_value("*v1.Protocol", port.protocol);
    out.field("Port");
    if (port.port) {
        out.int32_value("*int32", *port.port);
    } else {
        out.nil_value("*int32");
    }
    out.field("AppProtocol");
    out.optional_string_value("*string", port.app_protocol);
    out.end_struct();
    return hasher.finish();
}

/// Kubernetes' NewPortMapKey without the final hash: the ports' digests, sorted. Two port lists
/// are the same group exactly when these keys are equal.
template <class String>
[[nodiscard]] std::vector<digest128>
port_group_key(const std::vector<basic_endpoint_slice_port<String>>& ports) {
    std::vector<digest128> key;
    key.reserve(ports.size());
    for (const auto& port : ports) {
        key.push_back(endpoint_port_digest(port));
    }
    std::sort(key.begin(), key.end());
    return key;
}

/// Ports in the order of a newly created slice (both controllers): ascending
/// endpoint_port_digest, ties (equal ports) in their given order; with their port_group_key.
template <class String>
[[nodiscard]] std::pair<std::vector<basic_endpoint_slice_port<String>>, std::vector<digest128>>
sort_ports_by_digest(std::vector<basic_endpoint_slice_port<String>> ports) {
    std::vector<std::pair<digest128, std::size_t>> hashed;
    hashed.reserve(ports.size());
    for (std::size_t i = 0; i < ports.size(); ++i) {
        hashed.emplace_back(endpoint_port_digest(ports[i]), i);
    }
    std::sort(hashed.begin(), hashed.end());
    std::vector<basic_endpoint_slice_port<String>> sorted;
    sorted.reserve(ports.size());
    std::vector<digest128> key;
    key.reserve(ports.size());
    for (const auto& [digest, index] : hashed) {
        sorted.push_back(std::move(ports[index]));
        key.push_back(digest);
    }
    return {std::move(sorted), std::move(key)};
}

/// A port_group_key as text: each digest in hex followed by ','. The mirroring controller's
/// slice names are hashed from it.
[[nodiscard]] inline std::string port_group_key_text(const std::vector<digest128>& key) {
    std::string text;
    for (const digest128& digest : key) {
        text += to_hex(digest);
        text += ',';
    }
    return text;
}

} // namespace svcdisc::detail
