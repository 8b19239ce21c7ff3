#pragma once

#include <string>
#include <string_view>

#include <svcdisc/node.hpp>

#include "read/cluster.hpp"
#include "read/convert/fields.hpp"

namespace svcdisc_cli {

/// status.addresses: the first InternalIP and the first ExternalIP, as kubectl shows them.
template <manifest_value Value>
inline void convert_node_addresses(field_reader<Value>& r, const Value& v, node_extra& extra) {
    r.list(v, [&](const Value& item) {
        std::string type;
        std::string address;
        r.object(item, [&](std::string_view k, const Value& x) {
            if (is(k, "type")) {
                type = r.as_string(x);
            } else if (is(k, "address")) {
                address = r.as_string(x);
            }
        });
        if (type == "InternalIP" && extra.internal_ip.empty()) {
            extra.internal_ip = address;
        } else if (type == "ExternalIP" && extra.external_ip.empty()) {
            extra.external_ip = address;
        }
    });
}

/// A Node manifest into `n`, and the columns of `kubectl get nodes` the model lacks into
/// `extra`.
template <manifest_value Value>
inline void convert_node(field_reader<Value>& r, const Value& v, svcdisc::node& n,
                         node_extra& extra) {
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "metadata")) {
            r.metadata(value, n.metadata);
        } else if (is(key, "spec")) {
            r.object(value, [&](std::string_view k, const Value& x) {
                if (is(k, "unschedulable")) {
                    extra.unschedulable = r.as_bool(x);
                }
            });
        } else if (is(key, "status")) {
            r.object(value, [&](std::string_view k, const Value& x) {
                if (is(k, "conditions")) {
                    r.list(x, [&](const Value& item) {
                        n.conditions.push_back(r.template condition<svcdisc::node_condition>(item));
                    });
                } else if (is(k, "allocatable")) {
                    r.object(x, [&](std::string_view ak, const Value& ax) {
                        if (is(ak, "cpu")) {
                            n.allocatable_cpu = ax.kind() == value_kind::string
                                                    ? std::string(ax.text())
                                                    : ax.display();
                        }
                    });
                } else if (is(k, "nodeInfo")) {
                    r.object(x, [&](std::string_view ik, const Value& ix) {
                        if (is(ik, "kubeletVersion")) {
                            extra.kubelet_version = r.as_string(ix);
                        } else if (is(ik, "osImage")) {
                            extra.os_image = r.as_string(ix);
                        } else if (is(ik, "kernelVersion")) {
                            extra.kernel_version = r.as_string(ix);
                        } else if (is(ik, "containerRuntimeVersion")) {
                            extra.container_runtime_version = r.as_string(ix);
                        }
                    });
                } else if (is(k, "addresses")) {
                    convert_node_addresses(r, x, extra);
                }
            });
        }
    });
}

} // namespace svcdisc_cli
