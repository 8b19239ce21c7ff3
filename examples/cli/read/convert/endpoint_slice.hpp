#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/endpoint_slice.hpp>

#include "read/convert/fields.hpp"

namespace svcdisc_cli {

template <manifest_value Value>
inline svcdisc::endpoint_slice_port convert_slice_port(field_reader<Value>& r, const Value& v) {
    svcdisc::endpoint_slice_port port;
    r.object(v, [&](std::string_view k, const Value& x) {
        if (x.kind() == value_kind::null) {
            return;
        }
        if (is(k, "name")) {
            port.name = r.as_string(x);
        } else if (is(k, "protocol")) {
            port.protocol = r.protocol(x);
        } else if (is(k, "port")) {
            port.port = r.as_port(x, false);
        } else if (is(k, "appProtocol")) {
            port.app_protocol = r.as_string(x);
        }
    });
    return port;
}

template <manifest_value Value>
inline svcdisc::endpoint_hints convert_hints(field_reader<Value>& r, const Value& v) {
    svcdisc::endpoint_hints hints;
    r.object(v, [&](std::string_view k, const Value& x) {
        if (!is(k, "forZones") && !is(k, "forNodes")) {
            return;
        }
        std::vector<std::string>& names = is(k, "forZones") ? hints.for_zones : hints.for_nodes;
        r.list(x, [&](const Value& h) {
            if (const auto name = h.get("name")) {
                names.push_back(r.as_string(*name));
            }
        });
    });
    return hints;
}

template <manifest_value Value>
inline svcdisc::endpoint convert_slice_endpoint(field_reader<Value>& r, const Value& v) {
    svcdisc::endpoint e;
    r.object(v, [&](std::string_view k, const Value& x) {
        if (x.kind() == value_kind::null) {
            return;
        }
        if (is(k, "addresses")) {
            e.addresses = r.strings(x);
        } else if (is(k, "conditions")) {
            r.object(x, [&](std::string_view ck, const Value& cx) {
                if (cx.kind() == value_kind::null) {
                    return;
                }
                if (is(ck, "ready")) {
                    e.conditions.ready = r.as_bool(cx);
                } else if (is(ck, "serving")) {
                    e.conditions.serving = r.as_bool(cx);
                } else if (is(ck, "terminating")) {
                    e.conditions.terminating = r.as_bool(cx);
                }
            });
        } else if (is(k, "hostname")) {
            e.hostname = r.as_string(x);
        } else if (is(k, "nodeName")) {
            e.node_name = r.as_string(x);
        } else if (is(k, "zone")) {
            e.zone = r.as_string(x);
        } else if (is(k, "targetRef")) {
            e.target_ref = r.reference(x);
        } else if (is(k, "hints")) {
            e.hints = convert_hints(r, x);
        }
    });
    return e;
}

/// An EndpointSlice manifest into `s`.
template <manifest_value Value>
inline void convert_endpoint_slice(field_reader<Value>& r, const Value& v,
                                   svcdisc::endpoint_slice& s) {
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "metadata")) {
            r.metadata(value, s.metadata);
        } else if (is(key, "addressType")) {
            s.address_type = r.as_string(value);
        } else if (is(key, "ports")) {
            r.list(value,
                   [&](const Value& item) { s.ports.push_back(convert_slice_port(r, item)); });
        } else if (is(key, "endpoints")) {
            r.list(value, [&](const Value& item) {
                s.endpoints.push_back(convert_slice_endpoint(r, item));
            });
        }
    });
}

} // namespace svcdisc_cli
