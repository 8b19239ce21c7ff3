#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <svcdisc/detail/go/md5.hpp>
#include <svcdisc/detail/go/spew.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/meta.hpp>

/// go-spew dumps of svcdisc's core/v1 model types (EndpointAddress, EndpointPort,
/// EndpointSubset): the bridge from the model to the plain-data dumpers of detail/go/spew.hpp.
namespace svcdisc::detail {

/// The view of a model ObjectReference (valid while `ref` lives).
template <class String>
[[nodiscard]] object_reference_view view_of(const basic_object_reference<String>& ref) noexcept {
    return {ref.kind,        ref.namespace_,       ref.name,      ref.uid,
            ref.api_version, ref.resource_version, ref.field_path};
}

/// The view of a model EndpointAddress (valid while `address` lives).
template <class String>
[[nodiscard]] endpoint_address_view view_of(const basic_endpoint_address<String>& address) {
    endpoint_address_view view{address.ip, address.hostname, std::nullopt, std::nullopt};
    if (address.node_name) {
        view.node_name = std::string_view(*address.node_name);
    }
    if (address.target_ref) {
        view.target_ref = view_of(*address.target_ref);
    }
    return view;
}

/// The view of a model EndpointPort (valid while `port` lives).
template <class String>
[[nodiscard]] endpoint_port_view view_of(const basic_endpoint_port<String>& port) {
    endpoint_port_view view{port.name, port.port, port.protocol, std::nullopt};
    if (port.app_protocol) {
        view.app_protocol = std::string_view(*port.app_protocol);
    }
    return view;
}

/// The dump of a model value with its top-level type, as Kubernetes hashes it.
///
/// Example:
///     svcdisc::detail::go_dump(svcdisc::endpoint_port{"http", 8080, "TCP", std::nullopt});
///     // "(v1.EndpointPort){Name:(string)http Port:(int32)8080 Protocol:(v1.Protocol)TCP "
///     // "AppProtocol:(*string)<nil>}"
template <class String>
[[nodiscard]] std::string go_dump(const basic_endpoint_port<String>& port) {
    string_dump_sink sink;
    go_dump_writer out(sink);
    dump_endpoint_port(out, view_of(port), "v1.EndpointPort");
    return std::move(sink.text);
}

/// The dump of a model EndpointAddress, typed `v1.EndpointAddress`.
template <class String>
[[nodiscard]] std::string go_dump(const basic_endpoint_address<String>& address) {
    string_dump_sink sink;
    go_dump_writer out(sink);
    dump_endpoint_address(out, view_of(address), "v1.EndpointAddress");
    return std::move(sink.text);
}

/// The dump of a model EndpointSubset, typed `v1.EndpointSubset` (empty lists as nil).
template <class String>
[[nodiscard]] std::string go_dump(const basic_endpoint_subset<String>& subset) {
    string_dump_sink sink;
    go_dump_writer out(sink);
    const auto address_view = [](const basic_endpoint_address<String>& a) { return view_of(a); };
    const auto port_view = [](const basic_endpoint_port<String>& p) { return view_of(p); };
    dump_endpoint_subset(out, subset.addresses, subset.not_ready_addresses, subset.ports,
                         address_view, port_view, "v1.EndpointSubset");
    return std::move(sink.text);
}

/// MD5 of the dump of a model value (the Endpoints controller orders ports and subsets by it).
template <class Value>
[[nodiscard]] digest128 go_dump_md5(const Value& value) {
    return md5(go_dump(value));
}

} // namespace svcdisc::detail
