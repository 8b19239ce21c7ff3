#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <svcdisc/label_selector.hpp>
#include <svcdisc/workloads.hpp>

#include "read/cluster.hpp"
#include "read/convert/fields.hpp"
#include "read/convert/pod.hpp"

namespace svcdisc_cli {

/// A metav1.LabelSelector into `out`; null leaves it absent. Operators are checked as the API
/// server's ValidateLabelSelector does.
template <manifest_value Value>
inline void convert_label_selector(field_reader<Value>& r, const Value& v,
                                   std::optional<svcdisc::label_selector_spec>& out) {
    if (v.kind() == value_kind::null) {
        return;
    }
    out.emplace();
    std::size_t selector_bytes = 0;
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "matchLabels")) {
            r.labels(value, out->match_labels, true, &selector_bytes);
        } else if (is(key, "matchExpressions")) {
            r.list(value, [&](const Value& item) {
                svcdisc::label_selector_expression expression;
                r.object(item, [&](std::string_view k, const Value& x) {
                    if (is(k, "key")) {
                        expression.key = r.as_string(x);
                        r.add_selector_bytes(selector_bytes, expression.key.size());
                    } else if (is(k, "operator")) {
                        expression.op = r.as_string(x);
                        if (!svcdisc::detail::selectors::api_operator(expression.op)) {
                            r.fail("Unsupported value: " + json_quoted(expression.op) +
                                   ": supported values: \"DoesNotExist\", \"Exists\", \"In\", "
                                   "\"NotIn\"");
                        }
                    } else if (is(k, "values")) {
                        expression.values.clear();
                        r.list(x, [&](const Value& element) {
                            expression.values.push_back(r.as_string(element));
                            r.add_selector_bytes(selector_bytes, expression.values.back().size());
                        });
                    }
                });
                out->match_expressions.push_back(std::move(expression));
            });
        }
    });
}

/// A pod template (metadata and spec) into `t`, its images and node selector into `extra`.
template <manifest_value Value>
inline void convert_pod_template(field_reader<Value>& r, const Value& v,
                                 svcdisc::pod_template_spec& t, workload_extra& extra) {
    r.object(v, [&](std::string_view key, const Value& value) {
        if (is(key, "metadata")) {
            r.metadata(value, t.metadata);
        } else if (is(key, "spec")) {
            convert_pod_spec(r, value, t.spec,
                             {.images = &extra.images, .node_selector = &extra.node_selector});
        }
    });
}

template <manifest_value Value>
inline std::optional<std::int32_t> optional_int32(field_reader<Value>& r, const Value& v) {
    if (v.kind() == value_kind::null) {
        return std::nullopt;
    }
    return static_cast<std::int32_t>(r.as_int(v));
}

/// The spec fields the workload kinds share: replicas, selector, template.
template <manifest_value Value, class Spec>
inline bool convert_common_spec(field_reader<Value>& r, std::string_view key, const Value& v,
                                Spec& spec, workload_extra& extra) {
    if constexpr (requires { spec.replicas; }) {
        if (is(key, "replicas")) {
            spec.replicas = optional_int32(r, v);
            return true;
        }
    }
    if (is(key, "selector")) {
        convert_label_selector(r, v, spec.selector);
    } else if (is(key, "template")) {
        convert_pod_template(r, v, spec.template_, extra);
    } else {
        return false;
    }
    return true;
}

template <manifest_value Value>
inline void convert_job_spec(field_reader<Value>& r, const Value& v,
                             svcdisc::basic_job_spec<std::string>& spec, workload_extra& extra) {
    r.object(v, [&](std::string_view key, const Value& x) {
        if (convert_common_spec(r, key, x, spec, extra)) {
            return;
        }
        if (is(key, "parallelism")) {
            spec.parallelism = optional_int32(r, x);
        } else if (is(key, "completions")) {
            spec.completions = optional_int32(r, x);
        } else if (is(key, "completionMode")) {
            if (x.kind() != value_kind::null) {
                spec.completion_mode = r.as_string(x);
            }
        } else if (is(key, "suspend")) {
            if (x.kind() != value_kind::null) {
                spec.suspend = r.as_bool(x);
            }
        } else if (is(key, "manualSelector")) {
            if (x.kind() != value_kind::null) {
                spec.manual_selector = r.as_bool(x);
            }
        }
    });
}

template <manifest_value Value>
inline std::int32_t status_count(field_reader<Value>& r, const Value& v) {
    return optional_int32(r, v).value_or(0);
}

/// The status fields of every workload kind that kubectl's tables show; a kind has only its
/// own.
template <manifest_value Value>
inline void convert_workload_status(field_reader<Value>& r, const Value& v, workload_extra& extra) {
    const auto timestamp = [&](const Value& x) {
        return x.kind() == value_kind::null ? std::nullopt
                                            : std::optional<std::string>(r.as_string(x));
    };
    r.object(v, [&](std::string_view key, const Value& x) {
        if (is(key, "replicas")) {
            extra.replicas = status_count(r, x);
        } else if (is(key, "readyReplicas")) {
            extra.ready_replicas = status_count(r, x);
        } else if (is(key, "updatedReplicas")) {
            extra.updated_replicas = status_count(r, x);
        } else if (is(key, "availableReplicas")) {
            extra.available_replicas = status_count(r, x);
        } else if (is(key, "desiredNumberScheduled")) {
            extra.desired_number_scheduled = status_count(r, x);
        } else if (is(key, "currentNumberScheduled")) {
            extra.current_number_scheduled = status_count(r, x);
        } else if (is(key, "numberReady")) {
            extra.number_ready = status_count(r, x);
        } else if (is(key, "updatedNumberScheduled")) {
            extra.updated_number_scheduled = status_count(r, x);
        } else if (is(key, "numberAvailable")) {
            extra.number_available = status_count(r, x);
        } else if (is(key, "succeeded")) {
            extra.succeeded = status_count(r, x);
        } else if (is(key, "startTime")) {
            extra.start_time = timestamp(x);
        } else if (is(key, "completionTime")) {
            extra.completion_time = timestamp(x);
        } else if (is(key, "lastScheduleTime")) {
            extra.last_schedule_time = timestamp(x);
        } else if (is(key, "active")) {
            if (x.kind() == value_kind::array) {
                r.list(x, [&](const Value&) { ++extra.active; });
            } else {
                extra.active = status_count(r, x);
            }
        } else if (is(key, "conditions")) {
            r.list(x, [&](const Value& item) {
                extra.conditions.push_back(r.template condition<status_condition>(item));
            });
        }
    });
}

/// A workload manifest of `kind` (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job,
/// CronJob, ReplicationController) into `out`, what kubectl's tables show of it besides into
/// `extra`; false for any other kind.
template <manifest_value Value>
inline bool convert_workload(field_reader<Value>& r, const Value& v, std::string_view kind,
                             workload& out, workload_extra& extra) {
    const auto read = [&](auto& w, auto&& spec_field) {
        r.object(v, [&](std::string_view key, const Value& value) {
            if (is(key, "metadata")) {
                r.metadata(value, w.metadata);
            } else if (is(key, "spec")) {
                r.object(value, [&](std::string_view k, const Value& x) { spec_field(k, x); });
            } else if (is(key, "status")) {
                convert_workload_status(r, value, extra);
            }
        });
    };
    if (kind == "Deployment" || kind == "ReplicaSet" || kind == "DaemonSet") {
        const auto read_simple = [&](auto w) {
            read(w, [&](std::string_view k, const Value& x) {
                convert_common_spec(r, k, x, w.spec, extra);
            });
            out = std::move(w);
        };
        if (kind == "Deployment") {
            read_simple(svcdisc::deployment{});
        } else if (kind == "ReplicaSet") {
            read_simple(svcdisc::replica_set{});
        } else {
            read_simple(svcdisc::daemon_set{});
        }
    } else if (kind == "StatefulSet") {
        svcdisc::stateful_set w;
        read(w, [&](std::string_view k, const Value& x) {
            if (convert_common_spec(r, k, x, w.spec, extra)) {
                return;
            }
            if (is(k, "serviceName")) {
                w.spec.service_name = r.as_string(x);
            } else if (is(k, "ordinals")) {
                r.object(x, [&](std::string_view ok, const Value& ox) {
                    if (is(ok, "start")) {
                        w.spec.ordinals_start = optional_int32(r, ox);
                    }
                });
            }
        });
        out = std::move(w);
    } else if (kind == "Job") {
        svcdisc::job w;
        r.object(v, [&](std::string_view key, const Value& value) {
            if (is(key, "metadata")) {
                r.metadata(value, w.metadata);
            } else if (is(key, "spec")) {
                convert_job_spec(r, value, w.spec, extra);
            } else if (is(key, "status")) {
                convert_workload_status(r, value, extra);
            }
        });
        out = std::move(w);
    } else if (kind == "CronJob") {
        svcdisc::cron_job w;
        read(w, [&](std::string_view k, const Value& x) {
            if (is(k, "schedule")) {
                w.spec.schedule = r.as_string(x);
            } else if (is(k, "timeZone")) {
                if (x.kind() != value_kind::null) {
                    extra.time_zone = r.as_string(x);
                }
            } else if (is(k, "suspend")) {
                if (x.kind() != value_kind::null) {
                    w.spec.suspend = r.as_bool(x);
                }
            } else if (is(k, "jobTemplate")) {
                r.object(x, [&](std::string_view jk, const Value& jx) {
                    if (is(jk, "metadata")) {
                        r.metadata(jx, w.spec.job_template.metadata);
                    } else if (is(jk, "spec")) {
                        convert_job_spec(r, jx, w.spec.job_template.spec, extra);
                    }
                });
            }
        });
        out = std::move(w);
    } else if (kind == "ReplicationController") {
        svcdisc::replication_controller w;
        read(w, [&](std::string_view k, const Value& x) {
            if (is(k, "replicas")) {
                w.spec.replicas = optional_int32(r, x);
            } else if (is(k, "selector")) {
                if (x.kind() != value_kind::null) {
                    w.spec.selector.emplace();
                    r.labels(x, *w.spec.selector, true);
                }
            } else if (is(k, "template")) {
                if (x.kind() != value_kind::null) {
                    w.spec.template_.emplace();
                    convert_pod_template(r, x, *w.spec.template_, extra);
                }
            }
        });
        out = std::move(w);
    } else {
        return false;
    }
    return true;
}

/// The API server's checks of an apps/v1 workload's selector (ValidateDeploymentSpec and its
/// siblings): it is required, not empty, and selects the template's labels.
inline void check_workload_selector(const workload& w) {
    std::visit(
        [](const auto& object) {
            if constexpr (
                requires { object.spec.selector->match_labels; } &&
                !requires { object.spec.manual_selector; }) {
                const auto& selector = object.spec.selector;
                if (!selector ||
                    (selector->match_labels.empty() && selector->match_expressions.empty())) {
                    throw field_problem{{{"spec"}, {"selector"}},
                                        "Required value: empty selector is invalid for " +
                                            std::string(object.kind)};
                }
                const auto converted = svcdisc::to_label_selector(*selector);
                if (!converted) {
                    throw field_problem{{{"spec"}, {"selector"}},
                                        "Invalid value: " + converted.error().message};
                }
                if (!converted->matches(object.spec.template_.metadata.labels)) {
                    throw field_problem{{{"spec"}, {"template"}, {"metadata"}, {"labels"}},
                                        "Invalid value: `selector` does not match template "
                                        "`labels`"};
                }
            }
        },
        w);
}

} // namespace svcdisc_cli
