#include "commands/drift.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string_view>

namespace svcdisc_cli {

namespace {

/// Addresses (with the address type for slices) and whether each is ready, and the ports as
/// `name port/protocol`.
struct published {
    std::map<std::string, bool> addresses;
    std::set<std::string> ports;
};

std::string port_text(std::string_view name, std::int32_t port, std::string_view protocol) {
    return (name.empty() ? std::string() : std::string(name) + " ") + std::to_string(port) + "/" +
           std::string(protocol);
}

published of_endpoints(const svcdisc::endpoints& eps) {
    published out;
    for (const auto& subset : eps.subsets) {
        for (const auto& a : subset.addresses) {
            out.addresses[a.ip] = true;
        }
        for (const auto& a : subset.not_ready_addresses) {
            out.addresses.emplace(a.ip, false);
        }
        for (const auto& p : subset.ports) {
            out.ports.insert(port_text(p.name, p.port, p.protocol));
        }
    }
    return out;
}

void add_slice(const svcdisc::endpoint_slice& slice, published& out) {
    for (const auto& e : slice.endpoints) {
        for (const auto& address : e.addresses) {
            out.addresses[address + " (" + slice.address_type + ")"] =
                e.conditions.ready.value_or(true);
        }
    }
    for (const auto& p : slice.ports) {
        out.ports.insert(
            port_text(p.name.value_or(""), p.port.value_or(0), p.protocol.value_or("TCP")));
    }
}

std::string join(const std::set<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out.empty() ? "none" : out;
}

/// The differences of `captured` from `wanted`, or "" when there is none.
std::string differences(const published& captured, const published& wanted) {
    std::vector<std::string> found;
    for (const auto& [address, ready] : wanted.addresses) {
        const auto it = captured.addresses.find(address);
        if (it == captured.addresses.end()) {
            found.push_back("address " + address + " missing");
        } else if (it->second != ready) {
            found.push_back("address " + address + " is " + (it->second ? "ready" : "not ready") +
                            ", should be " + (ready ? "ready" : "not ready"));
        }
    }
    for (const auto& [address, ready] : captured.addresses) {
        if (wanted.addresses.count(address) == 0) {
            found.push_back("address " + address + " extra");
        }
    }
    if (captured.ports != wanted.ports) {
        found.push_back("ports are " + join(captured.ports) + ", should be " + join(wanted.ports));
    }
    std::string out;
    for (const auto& f : found) {
        out += (out.empty() ? "" : "; ") + f;
    }
    return out;
}

} // namespace

std::vector<std::string> capture_drift(const cluster& c, const cluster_view& view,
                                       const svcdisc::service& svc) {
    std::vector<std::string> out;
    const std::string_view ns = svc.metadata.namespace_;
    const auto& skipped = view.captured_only_namespaces();
    if (!svcdisc::service_has_selector(svc) ||
        std::binary_search(skipped.begin(), skipped.end(), ns)) {
        return out;
    }
    if (const auto* eps = view.find_input_endpoints(ns, svc.metadata.name)) {
        const auto derived = view.derive_endpoints_for(svc);
        const std::string diff =
            differences(of_endpoints(*eps), derived ? of_endpoints(*derived) : published{});
        if (!diff.empty()) {
            out.push_back("captured Endpoints differ from what the Endpoints controller would "
                          "write: " +
                          diff);
        }
    }
    published captured_slices;
    bool any_slice = false;
    for (const auto& e : c.slices) {
        const auto service_name =
            e.object.metadata.labels.find_value(svcdisc::endpoint_slice_keys::service_name_label);
        if (e.object.metadata.namespace_ == ns && service_name &&
            *service_name == svc.metadata.name && is_slice_controller_managed(e.object)) {
            add_slice(e.object, captured_slices);
            any_slice = true;
        }
    }
    if (any_slice) {
        published wanted;
        for (const auto& slice : view.derive_slices_for(svc)) {
            add_slice(slice, wanted);
        }
        const std::string diff = differences(captured_slices, wanted);
        if (!diff.empty()) {
            out.push_back("captured EndpointSlices differ from what the EndpointSlice "
                          "controller would write: " +
                          diff);
        }
    }
    return out;
}

} // namespace svcdisc_cli
