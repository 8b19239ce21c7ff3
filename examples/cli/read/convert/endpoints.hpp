#pragma once

#include <string_view>

#include <svcdisc/endpoints.hpp>
#include <svcdisc/ip.hpp>

#include "read/convert/fields.hpp"

namespace svcdisc_cli {

template <manifest_value Value>
inline svcdisc::endpoint_address convert_address(field_reader<Value>& r, const Value& v) {
    svcdisc::endpoint_address a;
    r.object(v, [&](std::string_view k, const Value& x) {
        if (is(k, "ip")) {
            a.ip = r.as_string(x);
            if (!svcdisc::ip_address::parse(a.ip)) {
                r.invalid_ip(a.ip); // required here: an address without an IP is no address
            }
        } else if (is(k, "hostname")) {
            a.hostname = r.as_string(x);
        } else if (is(k, "nodeName")) {
            if (x.kind() != value_kind::null) {
                a.node_name = r.as_string(x);
            }
        } else if (is(k, "targetRef")) {
            if (x.kind() != value_kind::null) {
                a.target_ref = r.reference(x);
            }
        }
    });
    return a;
}

template <manifest_value Value>
inline svcdisc::endpoint_port convert_endpoint_port(field_reader<Value>& r, const Value& v) {
    svcdisc::endpoint_port port;
    r.object(v, [&](std::string_view k, const Value& x) {
        if (is(k, "name")) {
            port.name = r.as_string(x);
        } else if (is(k, "port")) {
            port.port = r.as_port(x, false);
        } else if (is(k, "protocol")) {
            port.protocol = r.protocol(x);
        } else if (is(k, "appProtocol")) {
            if (x.kind() != value_kind::null) {
                port.app_protocol = r.as_string(x);
            }
        }
    });
    return port;
}

/// An Endpoints manifest into `e`.
template <manifest_value Value>
inline void convert_endpoints(field_reader<Value>& r, const Value& v, svcdisc::endpoints& e) {
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "metadata")) {
            r.metadata(value, e.metadata);
        } else if (is(key, "subsets")) {
            r.list(value, [&](const Value& item) {
                svcdisc::endpoint_subset subset;
                r.object(item, [&](std::string_view k, const Value& x) {
                    if (is(k, "addresses")) {
                        r.list(x, [&](const Value& a) {
                            subset.addresses.push_back(convert_address(r, a));
                        });
                    } else if (is(k, "notReadyAddresses")) {
                        r.list(x, [&](const Value& a) {
                            subset.not_ready_addresses.push_back(convert_address(r, a));
                        });
                    } else if (is(k, "ports")) {
                        r.list(x, [&](const Value& p) {
                            subset.ports.push_back(convert_endpoint_port(r, p));
                        });
                    }
                });
                e.subsets.push_back(std::move(subset));
            });
        }
    });
}

} // namespace svcdisc_cli
