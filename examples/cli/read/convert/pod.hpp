#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/pod.hpp>

#include "read/cluster.hpp"
#include "read/convert/fields.hpp"
#include "read/timestamp.hpp"

namespace svcdisc_cli {

template <manifest_value Value>
inline svcdisc::container convert_container(field_reader<Value>& r, const Value& v,
                                            std::vector<std::string>* images) {
    svcdisc::container c;
    std::string image;
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "name")) {
            c.name = r.as_string(value);
        } else if (is(key, "image")) {
            if (images != nullptr) {
                image = r.as_string(value);
            }
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
    if (images != nullptr) {
        images->push_back(std::move(image));
    }
    return c;
}

/// What kubectl's tables show of a pod spec that the model leaves out, each read when asked
/// for: the containers' images and the node selector (workload templates), the readiness
/// gates' condition types (pods).
struct pod_spec_extra {
    std::vector<std::string>* images = nullptr;
    svcdisc::label_set* node_selector = nullptr;
    std::vector<std::string>* readiness_gates = nullptr;
};

/// A pod spec (a Pod's, or a workload template's) into `spec`, and what `extra` asks for.
template <manifest_value Value>
inline void convert_pod_spec(field_reader<Value>& r, const Value& v,
                             svcdisc::basic_pod_spec<std::string>& spec,
                             const pod_spec_extra& extra = {}) {
    r.object(v, [&](std::string_view k, const Value& x) {
        if (is(k, "nodeName")) {
            spec.node_name = r.as_string(x);
        } else if (is(k, "hostname")) {
            spec.hostname = r.as_string(x);
        } else if (is(k, "subdomain")) {
            spec.subdomain = r.as_string(x);
        } else if (is(k, "containers")) {
            r.list(x, [&](const Value& item) {
                spec.containers.push_back(convert_container(r, item, extra.images));
            });
        } else if (is(k, "initContainers")) {
            r.list(x, [&](const Value& item) {
                spec.init_containers.push_back(convert_container(r, item, nullptr));
            });
        } else if (is(k, "nodeSelector") && extra.node_selector != nullptr) {
            r.labels(x, *extra.node_selector, false);
        } else if (is(k, "readinessGates") && extra.readiness_gates != nullptr) {
            r.list(x, [&](const Value& gate) {
                r.object(gate, [&](std::string_view gk, const Value& gx) {
                    if (is(gk, "conditionType")) {
                        extra.readiness_gates->push_back(r.as_string(gx));
                    }
                });
            });
        }
    });
}

/// What kubectl's printPod reads from one entry of status.containerStatuses or
/// status.initContainerStatuses.
struct container_status {
    std::string name;
    bool ready = false;
    bool started = false;
    bool running = false;
    bool waiting = false;
    bool terminated = false;
    /// The waiting or terminated state's reason.
    std::string reason;
    std::int64_t exit_code = 0;
    std::int64_t signal = 0;
    std::int64_t restart_count = 0;
    /// lastState.terminated.finishedAt, when the container last terminated.
    std::optional<std::int64_t> last_finished;
};

template <manifest_value Value>
inline container_status convert_container_status(field_reader<Value>& r, const Value& v) {
    container_status status;
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "name")) {
            status.name = r.as_string(value);
        } else if (is(key, "ready")) {
            status.ready = r.as_bool(value);
        } else if (is(key, "started")) {
            status.started = r.as_bool(value);
        } else if (is(key, "restartCount")) {
            status.restart_count = r.as_int(value);
        } else if (is(key, "state")) {
            r.object(value, [&](std::string_view k, const Value& x) {
                if (x.kind() == value_kind::null) {
                    return;
                }
                status.running = status.running || is(k, "running");
                status.waiting = status.waiting || is(k, "waiting");
                status.terminated = status.terminated || is(k, "terminated");
                if (!is(k, "waiting") && !is(k, "terminated")) {
                    return;
                }
                r.object(x, [&](std::string_view sk, const Value& sx) {
                    if (is(sk, "reason")) {
                        status.reason = r.as_string(sx);
                    } else if (is(sk, "exitCode")) {
                        status.exit_code = r.as_int(sx);
                    } else if (is(sk, "signal")) {
                        status.signal = r.as_int(sx);
                    }
                });
            });
        } else if (is(key, "lastState")) {
            r.object(value, [&](std::string_view k, const Value& x) {
                if (!is(k, "terminated")) {
                    return;
                }
                r.object(x, [&](std::string_view tk, const Value& tx) {
                    if (is(tk, "finishedAt")) {
                        status.last_finished = parse_timestamp(r.as_string(tx));
                    }
                });
            });
        }
    });
    return status;
}

/// The conditions printPod looks at.
struct pod_conditions {
    bool ready = false;
    bool initialized = false;
    bool scheduling_gated = false;
};

/// Latest of two restart times, absent counting as never.
inline std::optional<std::int64_t> later(std::optional<std::int64_t> a,
                                         std::optional<std::int64_t> b) {
    return !a || (b && *b > *a) ? b : a;
}

/// kubectl's printPod: READY, STATUS and RESTARTS of a pod from its phase, reason,
/// conditions, and container statuses, into `extra`.
inline void derive_pod_columns(const svcdisc::pod& p, const std::string& status_reason,
                               const pod_conditions& conditions,
                               const std::vector<container_status>& init_statuses,
                               const std::vector<container_status>& statuses, pod_extra& extra) {
    const auto sidecar = [&](const std::string& name) {
        for (const auto& c : p.spec.init_containers) {
            if (c.name == name) {
                return c.restart_policy && *c.restart_policy == "Always";
            }
        }
        return false;
    };
    int total = static_cast<int>(p.spec.containers.size());
    for (const auto& c : p.spec.init_containers) {
        total += c.restart_policy && *c.restart_policy == "Always" ? 1 : 0;
    }
    int ready = 0;
    std::int64_t restarts = 0;
    std::int64_t sidecar_restarts = 0;
    std::optional<std::int64_t> last_restart;
    std::optional<std::int64_t> last_sidecar_restart;
    std::string reason = status_reason.empty() ? p.status.phase : status_reason;
    if (conditions.scheduling_gated) {
        reason = "SchedulingGated";
    }
    bool initializing = false;
    for (std::size_t i = 0; i < init_statuses.size(); ++i) {
        const container_status& c = init_statuses[i];
        const bool is_sidecar = sidecar(c.name);
        restarts += c.restart_count;
        last_restart = later(last_restart, c.last_finished);
        if (is_sidecar) {
            sidecar_restarts += c.restart_count;
            last_sidecar_restart = later(last_sidecar_restart, c.last_finished);
        }
        if (c.terminated && c.exit_code == 0) {
            continue;
        }
        if (is_sidecar && c.started) {
            ready += c.ready ? 1 : 0;
            continue;
        }
        if (c.terminated) {
            if (!c.reason.empty()) {
                reason = "Init:" + c.reason;
            } else if (c.signal != 0) {
                reason = "Init:Signal:" + std::to_string(c.signal);
            } else {
                reason = "Init:ExitCode:" + std::to_string(c.exit_code);
            }
        } else if (c.waiting && !c.reason.empty() && c.reason != "PodInitializing") {
            reason = "Init:" + c.reason;
        } else {
            reason =
                "Init:" + std::to_string(i) + "/" + std::to_string(p.spec.init_containers.size());
        }
        initializing = true;
        break;
    }
    if (!initializing || conditions.initialized) {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        bool has_running = false;
        std::string error_reason;
        // Backwards, so the first container's reason is the one left.
        for (auto c = statuses.rbegin(); c != statuses.rend(); ++c) {
            restarts += c->restart_count;
            last_restart = later(last_restart, c->last_finished);
            if (c->waiting && !c->reason.empty()) {
                reason = c->reason;
            } else if (c->terminated) {
                if (!c->reason.empty()) {
                    reason = c->reason;
                } else if (c->signal != 0) {
                    reason = "Signal:" + std::to_string(c->signal);
                } else {
                    reason = "ExitCode:" + std::to_string(c->exit_code);
                }
                if (c->exit_code != 0) {
                    error_reason = reason;
                }
            } else if (c->ready && c->running) {
                has_running = true;
                ++ready;
            }
        }
        if (reason == "Completed") {
            if (has_running && conditions.ready) {
                reason = "Running";
            } else if (!error_reason.empty()) {
                reason = error_reason;
            } else if (has_running) {
                reason = "NotReady";
            }
        }
    }
    if (p.metadata.deletion_timestamp && status_reason == "NodeLost") {
        reason = "Unknown";
    } else if (p.metadata.deletion_timestamp && p.status.phase != "Succeeded" &&
               p.status.phase != "Failed") {
        reason = "Terminating";
    }
    extra.ready_containers = ready;
    extra.total_containers = total;
    extra.restarts = restarts;
    extra.last_restart = last_restart;
    extra.status = std::move(reason);
}

/// A Pod manifest into `p`, and the columns of `kubectl get pods` the model lacks into `extra`.
template <manifest_value Value>
inline void convert_pod(field_reader<Value>& r, const Value& v, svcdisc::pod& p, pod_extra& extra) {
    std::string status_reason;
    pod_conditions conditions;
    std::vector<container_status> init_statuses;
    std::vector<container_status> statuses;
    std::vector<std::string> readiness_gates;
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "metadata")) {
            r.metadata(value, p.metadata);
        } else if (is(key, "spec")) {
            convert_pod_spec(r, value, p.spec, {.readiness_gates = &readiness_gates});
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
                        svcdisc::pod_condition& c = p.status.conditions.emplace_back();
                        std::string reason;
                        r.object(item, [&](std::string_view ck, const Value& cx) {
                            if (is(ck, "type")) {
                                c.type = r.as_string(cx);
                            } else if (is(ck, "status")) {
                                c.status = r.as_string(cx);
                            } else if (is(ck, "reason")) {
                                reason = r.as_string(cx);
                            }
                        });
                        conditions.scheduling_gated =
                            conditions.scheduling_gated ||
                            (c.type == "PodScheduled" && reason == "SchedulingGated");
                    });
                } else if (is(k, "containerStatuses")) {
                    r.list(x, [&](const Value& item) {
                        statuses.push_back(convert_container_status(r, item));
                    });
                } else if (is(k, "initContainerStatuses")) {
                    r.list(x, [&](const Value& item) {
                        init_statuses.push_back(convert_container_status(r, item));
                    });
                }
            });
        }
    });
    // printPod takes the first condition of a type for Initialized, any true one for Ready.
    bool initialized_seen = false;
    for (const auto& c : p.status.conditions) {
        conditions.ready = conditions.ready || (c.type == "Ready" && c.status == "True");
        if (c.type == "Initialized" && !initialized_seen) {
            initialized_seen = true;
            conditions.initialized = c.status == "True";
        }
    }
    extra.readiness_gates = static_cast<int>(readiness_gates.size());
    for (const auto& gate : readiness_gates) {
        // kubectl counts the first condition of the gate's type.
        for (const auto& c : p.status.conditions) {
            if (c.type == gate) {
                extra.readiness_gates_true += c.status == "True" ? 1 : 0;
                break;
            }
        }
    }
    derive_pod_columns(p, status_reason, conditions, init_statuses, statuses, extra);
}

} // namespace svcdisc_cli
