#pragma once

#include <string>
#include <string_view>

#include <svcdisc/labels.hpp>
#include <svcdisc/service.hpp>

#include "read/convert/fields.hpp"

namespace svcdisc_cli {

template <manifest_value Value>
inline svcdisc::service_port convert_service_port(field_reader<Value>& r, const Value& v) {
    svcdisc::service_port port;
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "name")) {
            port.name = r.as_string(value);
            if (!port.name.empty() && !svcdisc::is_dns1123_label(port.name)) {
                r.fail("invalid value " + quoted_excerpt(port.name) +
                       ": a lowercase RFC 1123 label must consist of lower case alphanumeric "
                       "characters or '-', and must start and end with an alphanumeric "
                       "character");
            }
        } else if (is(key, "protocol")) {
            port.protocol = r.protocol(value);
        } else if (is(key, "appProtocol")) {
            if (value.kind() != value_kind::null) {
                port.app_protocol = r.as_string(value);
            }
        } else if (is(key, "port")) {
            port.port = r.as_port(value, false);
        } else if (is(key, "nodePort")) {
            port.node_port = r.as_port(value, true);
        } else if (is(key, "targetPort")) {
            if (value.kind() == value_kind::string) {
                port.target_port = svcdisc::int_or_string(r.port_name(value));
            } else if (value.kind() != value_kind::null) {
                port.target_port = svcdisc::int_or_string(r.as_port(value, true));
            }
        }
    });
    return port;
}

/// status.loadBalancer.ingress: each entry's ip, else its hostname.
template <manifest_value Value>
inline void convert_load_balancer_status(field_reader<Value>& r, const Value& v,
                                         svcdisc::service& s) {
    r.object(v, [&](std::string_view k, const Value& x) {
        if (!is(k, "loadBalancer")) {
            return;
        }
        r.object(x, [&](std::string_view lk, const Value& lx) {
            if (!is(lk, "ingress")) {
                return;
            }
            r.list(lx, [&](const Value& item) {
                std::string ip_text;
                std::string hostname;
                r.object(item, [&](std::string_view ik, const Value& ix) {
                    if (is(ik, "ip")) {
                        ip_text = r.as_string(ix);
                    } else if (is(ik, "hostname")) {
                        hostname = r.as_string(ix);
                    }
                });
                s.status.load_balancer_ingress.push_back(ip_text.empty() ? hostname : ip_text);
            });
        });
    });
}

/// A Service manifest into `s`.
template <manifest_value Value>
inline void convert_service(field_reader<Value>& r, const Value& v, svcdisc::service& s) {
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "metadata")) {
            r.metadata(value, s.metadata);
        } else if (is(key, "spec")) {
            r.object(value, [&](std::string_view k, const Value& x) {
                if (is(k, "selector")) {
                    if (x.kind() != value_kind::null) {
                        s.spec.selector.emplace();
                        std::size_t selector_bytes = 0;
                        r.labels(x, *s.spec.selector, true, &selector_bytes);
                    }
                } else if (is(k, "type")) {
                    s.spec.type = r.as_string(x);
                } else if (is(k, "clusterIP")) {
                    s.spec.cluster_ip = r.ip(x, true);
                } else if (is(k, "clusterIPs")) {
                    r.list(x, [&](const Value& item) {
                        s.spec.cluster_ips.push_back(r.ip(item, true));
                    });
                } else if (is(k, "ipFamilies")) {
                    s.spec.ip_families = r.strings(x);
                } else if (is(k, "ipFamilyPolicy")) {
                    s.spec.ip_family_policy = r.as_string(x);
                } else if (is(k, "externalIPs")) {
                    s.spec.external_ips = r.strings(x);
                } else if (is(k, "externalName")) {
                    s.spec.external_name = r.as_string(x);
                } else if (is(k, "publishNotReadyAddresses")) {
                    s.spec.publish_not_ready_addresses = r.as_bool(x);
                } else if (is(k, "trafficDistribution")) {
                    if (x.kind() != value_kind::null) {
                        s.spec.traffic_distribution = r.as_string(x);
                    }
                } else if (is(k, "internalTrafficPolicy")) {
                    if (x.kind() != value_kind::null) {
                        s.spec.internal_traffic_policy = r.as_string(x);
                    }
                } else if (is(k, "externalTrafficPolicy")) {
                    s.spec.external_traffic_policy = r.as_string(x);
                } else if (is(k, "ports")) {
                    r.list(x, [&](const Value& item) {
                        s.spec.ports.push_back(convert_service_port(r, item));
                    });
                }
            });
        } else if (is(key, "status")) {
            convert_load_balancer_status(r, value, s);
        }
    });
}

} // namespace svcdisc_cli
