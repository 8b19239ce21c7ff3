#pragma once

#include <string>
#include <string_view>

#include <svcdisc/pod.hpp>

#include "read/cluster.hpp"
#include "read/convert/fields.hpp"

namespace svcdisc_cli {

template <manifest_value Value>
inline svcdisc::container convert_container(field_reader<Value>& r, const Value& v) {
    svcdisc::container c;
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "name")) {
            c.name = r.as_string(value);
        } else if (is(key, "restartPolicy")) {
            if (value.kind() != value_kind::null) {
                c.restart_policy = r.as_string(value);
            }
        } else if (is(key, "ports")) {
            r.list(value, [&](const Value& item) {
                svcdisc::container_port port;
                r.object(item, [&](std::string_view k, const Value& x) {
                    if (is(k, "name")) {
                        port.name = r.port_name(x);
                    } else if (is(k, "containerPort")) {
                        port.container_port = r.as_port(x, false);
                    } else if (is(k, "protocol")) {
                        port.protocol = r.protocol(x);
                    } else if (is(k, "hostPort")) {
                        port.host_port = r.as_port(x, true);
                    }
                });
                c.ports.push_back(std::move(port));
            });
        }
    });
    return c;
}

/// A pod spec (a Pod's, or a workload template's) into `spec`.
template <manifest_value Value>
inline void convert_pod_spec(field_reader<Value>& r, const Value& v,
                             svcdisc::basic_pod_spec<std::string>& spec) {
    r.object(v, [&](std::string_view k, const Value& x) {
        if (is(k, "nodeName")) {
            spec.node_name = r.as_string(x);
        } else if (is(k, "hostname")) {
            spec.hostname = r.as_string(x);
        } else if (is(k, "subdomain")) {
            spec.subdomain = r.as_string(x);
        } else if (is(k, "containers")) {
            r.list(x, [&](const Value& item) {
                spec.containers.push_back(convert_container(r, item));
            });
        } else if (is(k, "initContainers")) {
            r.list(x, [&](const Value& item) {
                spec.init_containers.push_back(convert_container(r, item));
            });
        }
    });
}

/// What kubectl's pod printer reads from one entry of status.containerStatuses.
struct container_status {
    bool ready = false;
    bool running = false;
    /// The waiting or terminated state's reason, if any.
    std::string reason;
};

template <manifest_value Value>
inline container_status convert_container_status(field_reader<Value>& r, const Value& v,
                                                 pod_extra& extra) {
    container_status status;
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "ready")) {
            status.ready = r.as_bool(value);
        } else if (is(key, "restartCount")) {
            extra.restarts += r.as_int(value);
        } else if (is(key, "state")) {
            r.object(value, [&](std::string_view k, const Value& x) {
                if (is(k, "running")) {
                    status.running = true;
                } else if (is(k, "waiting") || is(k, "terminated")) {
                    if (const auto reason = x.get("reason");
                        reason && reason->kind() == value_kind::string) {
                        status.reason = std::string(reason->text());
                    }
                }
            });
        }
    });
    return status;
}

/// A Pod manifest into `p`, and the columns of `kubectl get pods` the model lacks into `extra`.
template <manifest_value Value>
inline void convert_pod(field_reader<Value>& r, const Value& v, svcdisc::pod& p, pod_extra& extra) {
    std::string status_reason;
    bool waiting_or_terminated = false;
    std::string container_reason;
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "metadata")) {
            r.metadata(value, p.metadata);
        } else if (is(key, "spec")) {
            convert_pod_spec(r, value, p.spec);
        } else if (is(key, "status")) {
            r.object(value, [&](std::string_view k, const Value& x) {
                if (is(k, "phase")) {
                    p.status.phase = r.as_string(x);
                } else if (is(k, "reason")) {
                    status_reason = r.as_string(x);
                } else if (is(k, "podIP")) {
                    p.status.pod_ip = r.ip(x, false);
                } else if (is(k, "nominatedNodeName")) {
                    extra.nominated_node = r.as_string(x);
                } else if (is(k, "podIPs")) {
                    r.list(x, [&](const Value& item) {
                        r.object(item, [&](std::string_view ik, const Value& ix) {
                            if (is(ik, "ip")) {
                                p.status.pod_ips.push_back(r.ip(ix, false));
                            }
                        });
                    });
                } else if (is(k, "conditions")) {
                    r.list(x, [&](const Value& item) {
                        p.status.conditions.push_back(
                            r.template condition<svcdisc::pod_condition>(item));
                    });
                } else if (is(k, "containerStatuses")) {
                    r.list(x, [&](const Value& item) {
                        const container_status status = convert_container_status(r, item, extra);
                        if (status.ready && status.running) {
                            ++extra.ready_containers;
                        }
                        // kubectl walks the statuses backwards, so the first container's
                        // reason wins; keep the first one seen.
                        if (!status.reason.empty() && !waiting_or_terminated) {
                            container_reason = status.reason;
                            waiting_or_terminated = true;
                        }
                    });
                }
            });
        }
    });
    // kubectl's printPod: the phase, overridden by the pod's reason, then by a container's
    // waiting or terminated reason, then by Terminating (Unknown for a lost node).
    extra.total_containers = static_cast<int>(p.spec.containers.size());
    extra.status = status_reason.empty() ? p.status.phase : status_reason;
    if (waiting_or_terminated) {
        extra.status = container_reason;
    }
    if (p.metadata.deletion_timestamp) {
        extra.status = status_reason == "NodeLost" ? "Unknown" : "Terminating";
    }
}

} // namespace svcdisc_cli
