#include "commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/result.hpp>
#include <svcdisc/selector.hpp>

#include "cluster_view.hpp"
#include "emitter.hpp"
#include "input.hpp"
#include "printers.hpp"

namespace svcdisc_cli {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// A command-line operand the library rejected: a caret error pointing into it (exit 2).
[[noreturn]] void operand_error(std::string_view what, std::string_view text,
                                const svcdisc::input_error& e) {
    throw cli_error(2, "error: " + std::string(what) + ":1:" + std::to_string(e.offset + 1) + ": " +
                           e.message + "\n" + svcdisc::render_caret(text, e.offset) + "\n");
}

/// A selector from the command line, or a caret error pointing into it (exit 2).
svcdisc::label_selector parse_cli_selector(const std::string& text, std::string_view what) {
    auto parsed = svcdisc::try_parse_selector(text);
    if (!parsed) {
        operand_error(what, text, parsed.error());
    }
    return std::move(*parsed);
}

/// The input read, the derived view built, and the time each took.
struct loaded {
    input_store store;
    cluster data;
    std::optional<cluster_view> view; // see view_of
    svcdisc::node_policy policy = svcdisc::node_policy::assume_present;
    std::size_t max_endpoints_per_slice = 100;
    double read_seconds = 0;
    /// What `get` lists; kept here so it is not freed before the process ends either.
    std::vector<shown<svcdisc::endpoints>> endpoints_list;
    std::vector<shown<svcdisc::endpoint_slice>> slice_list;
};

/// The loaded input lives until the process ends. main leaves with std::_Exit once the output
/// is written, so a large dump's model is not freed string by string (that alone took longer
/// than deriving every slice of a 150,000-pod cluster).
loaded& fresh_state() {
    static std::unique_ptr<loaded> state;
    state = std::make_unique<loaded>();
    return *state;
}

void load(const arguments& args, loaded& l) {
    if (args.files.empty()) {
        usage_error("no input: give -f FILE, -f DIR or -f - (stdin)");
    }
    const auto start = clock_type::now();
    read_options options;
    options.paths = args.files;
    options.recursive = args.recursive;
    options.default_namespace = args.namespace_;
    if (args.verbose) {
        options.note = [](const std::string& note) { std::cerr << "svcdisc: " << note << "\n"; };
    }
    l.store.read(options, l.data);
    l.read_seconds = seconds_since(start);
    svcdisc::node_policy policy = l.data.nodes.empty() ? svcdisc::node_policy::assume_present
                                                       : svcdisc::node_policy::upstream;
    std::string why = l.data.nodes.empty() ? "the input holds no Node" : "the input holds Nodes";
    if (args.node_policy) {
        policy = *args.node_policy == "upstream" ? svcdisc::node_policy::upstream
                                                 : svcdisc::node_policy::assume_present;
        why = "--node-policy";
    }
    if (args.verbose) {
        std::cerr << "svcdisc: node policy "
                  << (policy == svcdisc::node_policy::upstream ? "upstream" : "assume-present")
                  << " (" << why << ")\n";
    }
    l.policy = policy;
    l.max_endpoints_per_slice = args.max_endpoints_per_slice;
}

/// The derived view, built on first use: its label index costs a hash insert per pod label,
/// which `get pods|services|nodes` (the 150,000-pod listings among them) never looks at.
const cluster_view& view_of(loaded& l) {
    if (!l.view) {
        l.view.emplace(l.data, l.max_endpoints_per_slice, l.policy);
    }
    return *l.view;
}

struct resource {
    std::string_view plural;     // pods
    std::string_view name_kind;  // pod (for -o name)
    std::string_view error_kind; // pods (for NotFound)
    bool namespaced;
};

std::optional<resource> find_resource(std::string_view word) {
    if (word == "pods" || word == "pod" || word == "po") {
        return resource{"pods", "pod", "pods", true};
    }
    if (word == "services" || word == "service" || word == "svc") {
        return resource{"services", "service", "services", true};
    }
    if (word == "endpoints" || word == "ep") {
        return resource{"endpoints", "endpoints", "endpoints", true};
    }
    if (word == "endpointslices" || word == "endpointslice" ||
        word == "endpointslices.discovery.k8s.io" || word == "endpointslice.discovery.k8s.io") {
        return resource{"endpointslices", "endpointslice.discovery.k8s.io",
                        "endpointslices.discovery.k8s.io", true};
    }
    if (word == "nodes" || word == "node" || word == "no") {
        return resource{"nodes", "node", "nodes", false};
    }
    return std::nullopt;
}

/// One object `get` lists: its metadata, how to print it whole, and its table cells.
struct listed {
    const svcdisc::object_meta* meta;
    std::function<void(emitter&)> emit;
    std::function<std::vector<std::string>(bool wide)> cells;
};

std::string empty_message(const arguments& args, const resource& r) {
    if (args.all_namespaces || !r.namespaced) {
        return "No resources found\n";
    }
    return "No resources found in " + args.namespace_ + " namespace.\n";
}

command_result print_listing(const arguments& args, const resource& r, std::vector<listed> items,
                             const std::optional<std::string>& name,
                             const std::optional<svcdisc::label_selector>& selector,
                             std::vector<std::string> header,
                             const std::vector<std::string>& wide_header) {
    command_result result;
    if (name) {
        items.erase(std::remove_if(items.begin(), items.end(),
                                   [&](const listed& item) { return item.meta->name != *name; }),
                    items.end());
        if (items.empty()) {
            result.err = "Error from server (NotFound): " + std::string(r.error_kind) + " \"" +
                         *name + "\" not found\n";
            result.code = 1;
            return result;
        }
    }
    if (selector) {
        items.erase(std::remove_if(
                        items.begin(), items.end(),
                        [&](const listed& item) { return !selector->matches(item.meta->labels); }),
                    items.end());
    }
    if (items.empty()) {
        result.err = empty_message(args, r);
        return result;
    }
    if (args.output == "name") {
        for (const auto& item : items) {
            result.out += std::string(r.name_kind) + "/" + item.meta->name + "\n";
        }
        return result;
    }
    if (args.output == "json" || args.output == "yaml") {
        emitter out(args.output == "json" ? emitter::format::json : emitter::format::yaml);
        // Everything is read, checked and derived by now, so nothing can fail any more and the
        // (possibly very large) document can go straight to stdout.
        out.stream_to(stdout);
        if (name) {
            items.front().emit(out);
        } else {
            out.begin_object();
            out.field("apiVersion", "v1");
            out.key("items");
            out.begin_array();
            for (const auto& item : items) {
                item.emit(out);
            }
            out.end_array();
            out.field("kind", "List");
            out.key("metadata");
            out.begin_object();
            out.field("resourceVersion", "");
            out.end_object();
            out.end_object();
        }
        out.finish();
        return result;
    }
    const bool wide = args.output == "wide";
    const bool with_namespace = args.all_namespaces && r.namespaced;
    table t;
    if (with_namespace) {
        t.header.emplace_back("NAMESPACE");
    }
    t.header.insert(t.header.end(), header.begin(), header.end());
    if (wide) {
        t.header.insert(t.header.end(), wide_header.begin(), wide_header.end());
    }
    for (const auto& item : items) {
        std::vector<std::string> row;
        if (with_namespace) {
            row.push_back(item.meta->namespace_);
        }
        auto cells = item.cells(wide);
        row.insert(row.end(), cells.begin(), cells.end());
        t.rows.push_back(std::move(row));
    }
    result.out = t.render(args.no_headers);
    return result;
}

command_result run_get(const arguments& args) {
    if (args.positional.size() < 2) {
        usage_error("you must specify the type of resource to get: pods, services, endpoints, "
                    "endpointslices or nodes");
    }
    if (args.positional.size() > 3) {
        usage_error("get takes one resource type and at most one NAME");
    }
    const auto r = find_resource(args.positional[1]);
    if (!r) {
        usage_error("the server doesn't have a resource type \"" + args.positional[1] + "\"");
    }
    std::optional<std::string> name;
    if (args.positional.size() == 3) {
        name = args.positional[2];
        if (args.selector) {
            usage_error("name cannot be provided when a selector is specified");
        }
    }
    // A bad -l is a usage error: say so before reading (possibly 100 MB of) input.
    std::optional<svcdisc::label_selector> selector;
    if (args.selector) {
        selector = parse_cli_selector(*args.selector, "--selector");
    }
    loaded& l = fresh_state();
    load(args, l);
    const std::int64_t now = now_seconds();
    const std::string ns = args.all_namespaces ? "" : args.namespace_;
    auto in_scope = [&](const svcdisc::object_meta& meta) {
        return ns.empty() || meta.namespace_ == ns;
    };
    std::vector<listed> items;
    const input_store& store = l.store;
    const auto derive_start = clock_type::now();
    auto& endpoints_list = l.endpoints_list;
    auto& slice_list = l.slice_list;
    command_result result;
    if (r->plural == "pods") {
        for (std::size_t i = 0; i < l.data.pods.size(); ++i) {
            const auto& p = l.data.pods[i];
            if (!in_scope(p.metadata)) {
                continue;
            }
            const auto& from = l.data.pod_origins[i];
            const auto& extra = l.data.pod_extras[i];
            items.push_back(
                {&p.metadata,
                 [&store, &p, from](emitter& out) {
                     store.emit_as_read(from, p.metadata.namespace_, out);
                 },
                 [&p, &extra, now](bool wide) {
                     auto none = [](const std::string& s) { return s.empty() ? "<none>" : s; };
                     std::vector<std::string> cells{p.metadata.name,
                                                    std::to_string(extra.ready_containers) + "/" +
                                                        std::to_string(extra.total_containers),
                                                    none(extra.status),
                                                    std::to_string(extra.restarts),
                                                    age_cell(p.metadata.creation_timestamp, now)};
                     if (wide) {
                         cells.insert(cells.end(), {none(p.status.pod_ip), none(p.spec.node_name),
                                                    none(extra.nominated_node), "<none>"});
                     }
                     return cells;
                 }});
        }
        result = print_listing(args, *r, std::move(items), name, selector,
                               {"NAME", "READY", "STATUS", "RESTARTS", "AGE"},
                               {"IP", "NODE", "NOMINATED NODE", "READINESS GATES"});
    } else if (r->plural == "services") {
        for (const auto& e : l.data.services) {
            if (!in_scope(e.object.metadata)) {
                continue;
            }
            const auto& s = e.object;
            items.push_back(
                {&s.metadata,
                 [&store, &e](emitter& out) {
                     store.emit_as_read(e.from, e.object.metadata.namespace_, out);
                 },
                 [&s, now](bool wide) {
                     std::vector<std::string> cells{s.metadata.name,
                                                    s.spec.type,
                                                    service_cluster_ip_cell(s),
                                                    service_external_ip_cell(s, wide),
                                                    service_ports_cell(s),
                                                    age_cell(s.metadata.creation_timestamp, now)};
                     if (wide) {
                         cells.push_back(s.spec.selector ? format_labels(*s.spec.selector)
                                                         : "<none>");
                     }
                     return cells;
                 }});
        }
        result = print_listing(args, *r, std::move(items), name, selector,
                               {"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"},
                               {"SELECTOR"});
    } else if (r->plural == "endpoints") {
        endpoints_list = view_of(l).endpoints(ns);
        for (const auto& e : endpoints_list) {
            items.push_back({&e.object.metadata,
                             [&store, &e](emitter& out) {
                                 if (e.from) {
                                     store.emit_as_read(*e.from, e.object.metadata.namespace_, out);
                                 } else {
                                     emit_endpoints(e.object, out);
                                 }
                             },
                             [&e, now](bool) {
                                 return std::vector<std::string>{
                                     e.object.metadata.name, endpoints_cell(e.object),
                                     age_cell(e.object.metadata.creation_timestamp, now)};
                             }});
        }
        result = print_listing(args, *r, std::move(items), name, selector,
                               {"NAME", "ENDPOINTS", "AGE"}, {});
    } else if (r->plural == "endpointslices") {
        slice_list = view_of(l).slices(ns);
        const double derive_seconds = seconds_since(derive_start);
        const auto write_start = clock_type::now();
        for (const auto& e : slice_list) {
            items.push_back({&e.object.metadata,
                             [&store, &e](emitter& out) {
                                 if (e.from) {
                                     store.emit_as_read(*e.from, e.object.metadata.namespace_, out);
                                 } else {
                                     emit_slice(e.object, out);
                                 }
                             },
                             [&e, now](bool) {
                                 return std::vector<std::string>{
                                     e.object.metadata.name, e.object.address_type,
                                     slice_ports_cell(e.object), slice_endpoints_cell(e.object),
                                     age_cell(e.object.metadata.creation_timestamp, now)};
                             }});
        }
        result = print_listing(args, *r, std::move(items), name, selector,
                               {"NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"}, {});
        if (args.timings) {
            std::fprintf(stderr,
                         "timings: read %.3fs, derive %.3fs, write %.3fs (%zu pods, %zu services, "
                         "%zu slices)\n",
                         l.read_seconds, derive_seconds, seconds_since(write_start),
                         l.data.pods.size(), l.data.services.size(), slice_list.size());
        }
        return result;
    } else {
        for (const auto& e : l.data.nodes) {
            const auto& n = e.object;
            items.push_back(
                {&n.metadata, [&store, &e](emitter& out) { store.emit_as_read(e.from, "", out); },
                 [&n, &e, now](bool wide) {
                     std::string status = "Unknown";
                     for (const auto& c : n.conditions) {
                         if (c.type == "Ready") {
                             status = c.status == "True"    ? "Ready"
                                      : c.status == "False" ? "NotReady"
                                                            : "Unknown";
                             break;
                         }
                     }
                     if (e.extra.unschedulable) {
                         status += ",SchedulingDisabled";
                     }
                     std::vector<std::string> roles;
                     for (const auto& [k, v] : n.metadata.labels) {
                         constexpr std::string_view prefix = "node-role.kubernetes.io/";
                         if (std::string_view(k).substr(0, prefix.size()) == prefix &&
                             k.size() > prefix.size()) {
                             roles.push_back(k.substr(prefix.size()));
                         } else if (k == "kubernetes.io/role" && !v.empty()) {
                             roles.push_back(v);
                         }
                     }
                     std::sort(roles.begin(), roles.end());
                     std::string role_cell;
                     for (const auto& role : roles) {
                         role_cell += role_cell.empty() ? role : "," + role;
                     }
                     auto none = [](const std::string& s) { return s.empty() ? "<none>" : s; };
                     std::vector<std::string> cells{n.metadata.name, status, none(role_cell),
                                                    age_cell(n.metadata.creation_timestamp, now),
                                                    e.extra.kubelet_version};
                     if (wide) {
                         cells.push_back(none(e.extra.internal_ip));
                         cells.push_back(none(e.extra.external_ip));
                     }
                     return cells;
                 }});
        }
        result = print_listing(args, *r, std::move(items), name, selector,
                               {"NAME", "STATUS", "ROLES", "AGE", "VERSION"},
                               {"INTERNAL-IP", "EXTERNAL-IP"});
    }
    if (args.timings) {
        std::fprintf(stderr, "timings: read %.3fs, derive+write %.3fs\n", l.read_seconds,
                     seconds_since(derive_start));
    }
    return result;
}

// ------------------------------------------------------------------------------------------
// selector
// ------------------------------------------------------------------------------------------

command_result run_selector(const arguments& args) {
    if (args.positional.size() != 2) {
        usage_error("selector takes exactly one EXPR (quote it; use -- before an EXPR that starts "
                    "with '-')");
    }
    const std::string& text = args.positional[1];
    const auto selector = parse_cli_selector(text, "selector");
    command_result result;
    const std::string canonical = svcdisc::to_string(selector);
    std::optional<bool> matches;
    if (args.labels) {
        // kubectl reads `k=v,...` label lists with ConvertSelectorToLabelsMap.
        const auto labels = svcdisc::convert_selector_to_labels_map(*args.labels);
        if (!labels) {
            operand_error("--labels", *args.labels, labels.error());
        }
        matches = selector.matches(*labels);
    }
    if (args.output == "json") {
        emitter out(emitter::format::json);
        out.begin_object();
        out.field("canonical", canonical);
        if (matches) {
            out.key("matches");
            out.boolean(*matches);
        }
        out.end_object();
        result.out = std::move(out.text());
    } else if (args.output.empty()) {
        result.out = canonical + "\n";
        if (matches) {
            result.out += *matches ? "matches\n" : "does not match\n";
        }
    } else {
        usage_error("selector prints text or -o json");
    }
    return result;
}

// ------------------------------------------------------------------------------------------
// explain / services-for: why a pod is or is not behind a Service
// ------------------------------------------------------------------------------------------

struct port_verdict {
    const svcdisc::service_port* port;
    std::string service_port; // "http 80/TCP -> http-web"
    std::optional<std::int32_t> resolved;
    std::string reason; // why it did not resolve
};

struct verdict {
    std::string pod;
    bool selected = false;
    std::string reason;          // why not selected
    std::string endpoints_state; // ready | not ready | left out | not managed
    std::string endpoints_reason;
    std::string endpoints_address;
    std::string slices_state;
    std::string slices_reason;
    std::vector<std::string> slice_names;
    std::vector<port_verdict> ports;
};

std::string describe_port(const svcdisc::service_port& port) {
    std::string out = port.name.empty() ? "" : port.name + " ";
    out += std::to_string(port.port) + "/" + port.protocol + " -> ";
    out += port.target_port.is_string() ? port.target_port.text()
                                        : std::to_string(port.target_port.number());
    return out;
}

/// Why a named targetPort does not resolve on a pod.
struct unresolved {
    std::string reason;
    /// A container or sidecar declares the name, with another protocol (check counts these).
    bool other_protocol = false;
};

/// Why a named targetPort does not resolve on `p`: a port of that name with another protocol,
/// one declared only in an init container that is not a sidecar, or none at all.
unresolved unresolved_reason(const svcdisc::pod& p, const svcdisc::service_port& port) {
    const std::string& wanted = port.target_port.text();
    for (const auto& c : p.spec.containers) {
        for (const auto& cp : c.ports) {
            if (cp.name == wanted) {
                return {"container " + c.name + " declares port " + wanted + " with protocol " +
                            cp.protocol + ", the Service port uses " + port.protocol,
                        true};
            }
        }
    }
    for (const auto& c : p.spec.init_containers) {
        for (const auto& cp : c.ports) {
            if (cp.name == wanted) {
                const bool sidecar = c.restart_policy && *c.restart_policy == "Always";
                if (sidecar) {
                    return {"sidecar " + c.name + " declares port " + wanted + " with protocol " +
                                cp.protocol + ", the Service port uses " + port.protocol,
                            true};
                }
                return {"port " + wanted + " is declared by init container " + c.name +
                        ", which is not a sidecar (restartPolicy: Always)"};
            }
        }
    }
    return {"no container declares a port named " + wanted};
}

std::string first_selector_mismatch(const svcdisc::service& svc, const svcdisc::pod& p) {
    for (const auto& [k, v] : *svc.spec.selector) {
        const auto found = p.metadata.labels.find_value(k);
        if (!found) {
            return "label " + k + " is missing (selector wants " + k + "=" + v + ")";
        }
        if (*found != v) {
            return "label " + k + "=" + std::string(*found) + " does not match selector entry " +
                   k + "=" + v;
        }
    }
    return {};
}

verdict judge(const cluster_view& view, const svcdisc::service& svc, const svcdisc::pod& p,
              const std::optional<svcdisc::endpoints>& eps,
              const std::vector<svcdisc::endpoint_slice>& slices) {
    verdict v;
    v.pod = p.metadata.name;
    if (p.metadata.namespace_ != svc.metadata.namespace_) {
        v.reason = "pod is in namespace " + p.metadata.namespace_ + ", the Service in " +
                   svc.metadata.namespace_;
        return v;
    }
    if (svc.spec.type == svcdisc::service_type::external_name) {
        v.reason = "type ExternalName: no controller publishes endpoints";
        return v;
    }
    if (!svcdisc::service_has_selector(svc)) {
        v.reason = "the Service has no selector: its endpoints are managed by hand";
        return v;
    }
    v.reason = first_selector_mismatch(svc, p);
    if (!v.reason.empty()) {
        return v;
    }
    v.selected = true;
    const bool pnra = svc.spec.publish_not_ready_addresses;
    for (const auto& port : svc.spec.ports) {
        port_verdict pv;
        pv.port = &port;
        pv.service_port = describe_port(port);
        pv.resolved = svcdisc::find_target_port(p, port);
        if (!pv.resolved) {
            pv.reason = unresolved_reason(p, port).reason;
        }
        v.ports.push_back(std::move(pv));
    }
    const bool any_port = std::any_of(v.ports.begin(), v.ports.end(), [](const port_verdict& pv) {
        return pv.resolved.has_value();
    });
    std::string common; // a reason that keeps the pod out of both views
    if (p.status.phase == svcdisc::pod_phase::failed ||
        p.status.phase == svcdisc::pod_phase::succeeded) {
        common = "phase " + p.status.phase + " is terminal";
    } else if (p.status.pod_ip.empty() && p.status.pod_ips.empty()) {
        common = "the pod has no IP (status.podIP and status.podIPs are empty)";
    }
    const bool ready_condition = svcdisc::is_pod_ready(p);
    const bool terminating = p.metadata.deletion_timestamp.has_value();
    std::string not_ready_why = "the pod has no Ready condition";
    for (const auto& c : p.status.conditions) {
        if (c.type == "Ready") {
            not_ready_why = "condition Ready is " + c.status;
            break;
        }
    }

    // Endpoints view (spec §5).
    const std::string& uid = p.metadata.uid;
    auto find_in_endpoints = [&](std::string& state) -> std::string {
        if (!eps) {
            return {};
        }
        for (const auto& subset : eps->subsets) {
            for (const auto* list : {&subset.addresses, &subset.not_ready_addresses}) {
                for (const auto& a : *list) {
                    if (a.target_ref && a.target_ref->name == p.metadata.name &&
                        a.target_ref->uid == uid) {
                        state = list == &subset.addresses ? "ready" : "not ready";
                        return a.ip;
                    }
                }
            }
        }
        return {};
    };
    std::string state;
    v.endpoints_address = find_in_endpoints(state);
    if (!v.endpoints_address.empty()) {
        v.endpoints_state = state;
        if (state == "not ready") {
            v.endpoints_reason = not_ready_why;
        } else if (pnra && !ready_condition) {
            v.endpoints_reason = "publishNotReadyAddresses publishes it as ready";
        }
    } else {
        v.endpoints_state = "left out";
        const auto family = svcdisc::service_address_family(svc);
        const auto wanted = family ? *family : svcdisc::ip_family_of(p.status.pod_ip);
        const bool has_family =
            std::any_of(p.status.pod_ips.begin(), p.status.pod_ips.end(),
                        [&](const std::string& ip) { return svcdisc::ip_family_of(ip) == wanted; });
        if (!common.empty()) {
            v.endpoints_reason = common;
        } else if (terminating && !pnra) {
            v.endpoints_reason = "the pod is terminating (deletionTimestamp is set) and "
                                 "publishNotReadyAddresses is false";
        } else if (!has_family) {
            v.endpoints_reason = std::string("status.podIPs holds no ") +
                                 (wanted == svcdisc::ip_family::ipv6 ? "IPv6" : "IPv4") +
                                 " address (the Service's primary family)";
        } else if (svc.spec.ports.empty()) {
            v.endpoints_reason = "the Service has no ports and is not headless";
        } else if (!any_port) {
            v.endpoints_reason = "no target port resolves on this pod";
        } else {
            v.endpoints_reason = "cut by the 1000-address capacity of an Endpoints object";
        }
    }

    // EndpointSlice view (spec §6).
    for (const auto& s : slices) {
        for (const auto& e : s.endpoints) {
            if (e.target_ref && e.target_ref->name == p.metadata.name && e.target_ref->uid == uid) {
                v.slice_names.push_back(s.metadata.name + " (" + s.address_type + ")");
                if (v.slices_state.empty()) {
                    const bool ready = e.conditions.ready.value_or(true);
                    v.slices_state = ready                                 ? "ready"
                                     : e.conditions.serving.value_or(true) ? "serving, not ready"
                                                                           : "not ready";
                    if (e.conditions.terminating.value_or(false)) {
                        v.slices_state += ", terminating";
                    }
                    if (!ready && !terminating) {
                        v.slices_reason = not_ready_why;
                    } else if (!ready) {
                        v.slices_reason = "the pod is terminating";
                    }
                    if (s.ports.empty() && !svc.spec.ports.empty()) {
                        v.slices_reason += std::string(v.slices_reason.empty() ? "" : "; ") +
                                           "in a slice without ports: no target port resolves";
                    }
                }
            }
        }
    }
    if (v.slices_state.empty()) {
        v.slices_state = "left out";
        const bool known_node =
            !p.spec.node_name.empty() && (view.policy() == svcdisc::node_policy::assume_present ||
                                          view.find_node(p.spec.node_name) != nullptr);
        if (!common.empty()) {
            v.slices_reason = common;
        } else if (!known_node && !pnra) {
            v.slices_reason =
                p.spec.node_name.empty()
                    ? "spec.nodeName is empty (the pod is not scheduled)"
                    : "node " + p.spec.node_name + " is not in the input (node policy upstream)";
        } else {
            v.slices_reason = "status.podIPs holds no address of the Service's address types";
        }
    }
    return v;
}

const svcdisc::pod* find_pod(const cluster_view& view, std::string_view ns, std::string_view name) {
    const auto pods = view.pods_in(ns);
    const auto it = std::lower_bound(
        pods.begin(), pods.end(), name,
        [](const svcdisc::pod& p, std::string_view wanted) { return p.metadata.name < wanted; });
    return it != pods.end() && it->metadata.name == name ? &*it : nullptr;
}

void emit_verdict(const verdict& v, emitter& out) {
    out.begin_object();
    out.field("pod", v.pod);
    out.key("selected");
    out.boolean(v.selected);
    if (!v.selected) {
        out.field("reason", v.reason);
        out.end_object();
        return;
    }
    out.key("endpoints");
    out.begin_object();
    out.field("state", v.endpoints_state);
    if (!v.endpoints_address.empty()) {
        out.field("address", v.endpoints_address);
    }
    if (!v.endpoints_reason.empty()) {
        out.field("reason", v.endpoints_reason);
    }
    out.end_object();
    out.key("endpointSlices");
    out.begin_object();
    out.field("state", v.slices_state);
    if (!v.slices_reason.empty()) {
        out.field("reason", v.slices_reason);
    }
    out.key("slices");
    out.begin_array();
    for (const auto& s : v.slice_names) {
        out.string(s);
    }
    out.end_array();
    out.end_object();
    out.key("ports");
    out.begin_array();
    for (const auto& pv : v.ports) {
        out.begin_object();
        if (!pv.port->name.empty()) {
            out.field("name", pv.port->name);
        }
        out.key("port");
        out.integer(pv.port->port);
        out.field("protocol", pv.port->protocol);
        out.key("targetPort");
        if (pv.port->target_port.is_string()) {
            out.string(pv.port->target_port.text());
        } else {
            out.integer(pv.port->target_port.number());
        }
        if (pv.resolved) {
            out.key("resolved");
            out.integer(*pv.resolved);
        } else {
            out.key("resolved");
            out.null();
            out.field("reason", pv.reason);
        }
        out.end_object();
    }
    out.end_array();
    out.end_object();
}

std::string verdict_text(const verdict& v) {
    std::string out = "pod " + v.pod + ": ";
    if (!v.selected) {
        return out + "not selected: " + v.reason + "\n";
    }
    out += "selected\n";
    out += "  endpoints:      " + v.endpoints_state;
    if (!v.endpoints_address.empty()) {
        out += " " + v.endpoints_address;
    }
    if (!v.endpoints_reason.empty()) {
        out += ": " + v.endpoints_reason;
    }
    out += "\n  endpointslices: " + v.slices_state;
    if (!v.slice_names.empty()) {
        out += " in ";
        for (std::size_t i = 0; i < v.slice_names.size(); ++i) {
            out += (i ? ", " : "") + v.slice_names[i];
        }
    }
    if (!v.slices_reason.empty()) {
        out += ": " + v.slices_reason;
    }
    out += "\n";
    for (const auto& pv : v.ports) {
        out += "  port " + pv.service_port + ": ";
        out += pv.resolved ? "resolves to " + std::to_string(*pv.resolved)
                           : "does not resolve: " + pv.reason;
        out += "\n";
    }
    return out;
}

command_result run_explain(const arguments& args) {
    if (args.positional.size() != 3 ||
        (args.positional[1] != "service" && args.positional[1] != "svc" &&
         args.positional[1] != "services")) {
        usage_error("usage: svcdisc explain service NAME [--pod POD]");
    }
    loaded& l = fresh_state();
    load(args, l);
    const cluster_view& view = view_of(l);
    const std::string& name = args.positional[2];
    const svcdisc::service* svc = view.find_service(args.namespace_, name);
    command_result result;
    if (svc == nullptr) {
        result.err = "Error from server (NotFound): services \"" + name + "\" not found\n";
        result.code = 1;
        return result;
    }
    const auto eps = view.derive_endpoints_for(*svc);
    const auto slices = view.derive_slices_for(*svc);
    std::vector<verdict> verdicts;
    if (args.pod) {
        const svcdisc::pod* p = find_pod(view, args.namespace_, *args.pod);
        if (p == nullptr) {
            result.err = "Error from server (NotFound): pods \"" + *args.pod + "\" not found\n";
            result.code = 1;
            return result;
        }
        verdicts.push_back(judge(view, *svc, *p, eps, slices));
    } else {
        for (const auto& p : view.pods_in(svc->metadata.namespace_)) {
            verdicts.push_back(judge(view, *svc, p, eps, slices));
        }
        // Pods elsewhere whose labels fit: the usual "why is my pod not behind it" answer.
        if (svcdisc::service_has_selector(*svc)) {
            for (const auto& p : l.data.pods) {
                if (p.metadata.namespace_ != svc->metadata.namespace_ &&
                    svcdisc::service_selector_matches(*svc->spec.selector, p.metadata.labels)) {
                    verdicts.push_back(judge(view, *svc, p, eps, slices));
                    verdicts.back().pod = p.metadata.namespace_ + "/" + p.metadata.name;
                }
            }
        }
    }
    const std::string selector =
        svcdisc::service_has_selector(*svc) ? format_labels(*svc->spec.selector) : "<none>";
    std::size_t ready = 0;
    std::size_t not_ready = 0;
    if (eps) {
        for (const auto& subset : eps->subsets) {
            ready += subset.addresses.size();
            not_ready += subset.not_ready_addresses.size();
        }
    }
    if (args.output == "json") {
        emitter out(emitter::format::json);
        out.begin_object();
        out.field("service", svc->metadata.namespace_ + "/" + svc->metadata.name);
        out.field("selector", selector == "<none>" ? "" : selector);
        out.key("managed");
        out.boolean(eps.has_value());
        out.key("pods");
        out.begin_array();
        for (const auto& v : verdicts) {
            emit_verdict(v, out);
        }
        out.end_array();
        out.end_object();
        result.out = std::move(out.text());
        return result;
    }
    std::string& out = result.out;
    out += "service " + svc->metadata.namespace_ + "/" + svc->metadata.name + " (" +
           svc->spec.type + ", clusterIP " +
           (svc->spec.cluster_ip.empty() ? "<none>" : svc->spec.cluster_ip) + ")\n";
    out += "  selector: " + selector + "\n";
    for (const auto& port : svc->spec.ports) {
        out += "  port: " + describe_port(port) + "\n";
    }
    if (!eps) {
        out += "  not managed by the controllers: " +
               std::string(
                   svc->spec.type == svcdisc::service_type::external_name
                       ? "type ExternalName"
                       : "no selector, so Endpoints are written by hand and mirrored into slices") +
               "\n";
    } else {
        out += "  endpoints: " + std::to_string(ready) + " ready, " + std::to_string(not_ready) +
               " not ready; " + std::to_string(slices.size()) + " endpointslice(s)\n";
    }
    if (verdicts.empty()) {
        out += "no pods in namespace " + svc->metadata.namespace_ + "\n";
    }
    for (const auto& v : verdicts) {
        out += verdict_text(v);
    }
    return result;
}

command_result run_services_for(const arguments& args) {
    if (args.positional.size() != 2) {
        usage_error("usage: svcdisc services-for POD");
    }
    loaded& l = fresh_state();
    load(args, l);
    const cluster_view& view = view_of(l);
    command_result result;
    const svcdisc::pod* p = find_pod(view, args.namespace_, args.positional[1]);
    if (p == nullptr) {
        result.err =
            "Error from server (NotFound): pods \"" + args.positional[1] + "\" not found\n";
        result.code = 1;
        return result;
    }
    std::vector<std::pair<const svcdisc::service*, verdict>> found;
    for (const auto& e : l.data.services) {
        const auto& svc = e.object;
        if (!svcdisc::endpoint_controllers_manage(svc) || !svcdisc::service_selects_pod(svc, *p)) {
            continue;
        }
        found.emplace_back(&svc, judge(view, svc, *p, view.derive_endpoints_for(svc),
                                       view.derive_slices_for(svc)));
    }
    if (args.output == "json") {
        emitter out(emitter::format::json);
        out.begin_object();
        out.field("pod", p->metadata.namespace_ + "/" + p->metadata.name);
        out.key("services");
        out.begin_array();
        for (const auto& [svc, v] : found) {
            out.begin_object();
            out.field("service", svc->metadata.name);
            out.key("verdict");
            emit_verdict(v, out);
            out.end_object();
        }
        out.end_array();
        out.end_object();
        result.out = std::move(out.text());
        return result;
    }
    if (found.empty()) {
        result.err =
            "No Service selects pod " + p->metadata.namespace_ + "/" + p->metadata.name + ".\n";
        return result;
    }
    table t;
    t.header = {"SERVICE", "ENDPOINTS", "ENDPOINTSLICES", "REASON"};
    for (const auto& [svc, v] : found) {
        std::string reason = v.endpoints_reason;
        if (!v.slices_reason.empty() && v.slices_reason != reason) {
            reason += std::string(reason.empty() ? "" : "; ") + "slices: " + v.slices_reason;
        }
        t.rows.push_back({svc->metadata.name, v.endpoints_state, v.slices_state,
                          reason.empty() ? "<none>" : reason});
    }
    result.out = t.render(args.no_headers);
    return result;
}

// ------------------------------------------------------------------------------------------
// check
// ------------------------------------------------------------------------------------------

struct finding {
    std::string code;
    std::string kind;
    std::string namespace_;
    std::string name;
    std::string message;
};

command_result run_check(const arguments& args) {
    if (args.positional.size() != 1) {
        usage_error("check takes no operands");
    }
    loaded& l = fresh_state();
    load(args, l);
    const cluster_view& view = view_of(l);
    // check looks at every namespace unless -n names one: a lint that silently skips most of a
    // dump would be worse than kubectl's default.
    const bool all = args.all_namespaces || !args.namespace_given;
    std::vector<finding> findings;
    std::vector<bool> selected(l.data.pods.size(), false);
    for (const auto& e : l.data.services) {
        const auto& svc = e.object;
        if (!all && svc.metadata.namespace_ != args.namespace_) {
            continue;
        }
        auto add = [&](std::string code, std::string message) {
            findings.push_back({std::move(code), "service", svc.metadata.namespace_,
                                svc.metadata.name, std::move(message)});
        };
        // Duplicate port names (the API server rejects them; manifests may still carry them).
        for (std::size_t i = 0; i < svc.spec.ports.size(); ++i) {
            for (std::size_t j = 0; j < i; ++j) {
                if (svc.spec.ports[i].name == svc.spec.ports[j].name) {
                    add("SVCDISC-1008", "ports " + std::to_string(j) + " and " + std::to_string(i) +
                                            " share the name \"" + svc.spec.ports[i].name + "\"");
                }
            }
        }
        if (svc.spec.type == svcdisc::service_type::external_name) {
            continue;
        }
        if (!svcdisc::service_has_selector(svc)) {
            if (view.find_input_endpoints(svc.metadata.namespace_, svc.metadata.name) == nullptr) {
                add("SVCDISC-1006", "has no selector and the input holds no Endpoints \"" +
                                        svc.metadata.name + "\": it has no endpoints");
            }
            continue;
        }
        std::vector<const svcdisc::pod*> chosen;
        // Port findings count only pods that can serve: not finished, with an IP.
        std::vector<const svcdisc::pod*> running;
        for (const auto* p : view.candidates(svc)) {
            if (svcdisc::service_selects_pod(svc, *p)) {
                chosen.push_back(p);
                selected[static_cast<std::size_t>(p - l.data.pods.data())] = true;
                if (svcdisc::should_pod_be_in_endpoints(*p, true)) {
                    running.push_back(p);
                }
            }
        }
        if (chosen.empty()) {
            add("SVCDISC-1001", "selector " + format_labels(*svc.spec.selector) +
                                    " selects no pod in namespace " + svc.metadata.namespace_);
            continue;
        }
        const auto eps = view.derive_endpoints_for(svc);
        std::size_t ready = 0;
        if (eps) {
            for (const auto& subset : eps->subsets) {
                ready += subset.addresses.size();
            }
            if (eps->metadata.annotations.find_value(
                    svcdisc::endpoints_keys::over_capacity_annotation)) {
                add("SVCDISC-1007",
                    "Endpoints truncated at 1000 addresses (annotation "
                    "endpoints.kubernetes.io/over-capacity: truncated); use EndpointSlices");
            }
        }
        for (const auto& port : svc.spec.ports) {
            if (!port.target_port.is_string()) {
                continue;
            }
            std::size_t resolved = 0;
            std::size_t protocol_mismatch = 0;
            if (running.empty()) {
                continue;
            }
            for (const auto* p : running) {
                if (svcdisc::find_target_port(*p, port)) {
                    ++resolved;
                } else if (unresolved_reason(*p, port).other_protocol) {
                    ++protocol_mismatch;
                }
            }
            const std::string what = "targetPort \"" + port.target_port.text() + "\" of port " +
                                     (port.name.empty() ? std::to_string(port.port) : port.name);
            if (protocol_mismatch > 0) {
                add("SVCDISC-1005", what + ": " + std::to_string(protocol_mismatch) + " of " +
                                        std::to_string(running.size()) +
                                        " selected pods declare it with a protocol other than " +
                                        port.protocol);
            }
            if (resolved == 0) {
                add("SVCDISC-1003", what + " resolves on none of the " +
                                        std::to_string(running.size()) + " selected pods");
            } else if (resolved < running.size()) {
                add("SVCDISC-1004", what + " resolves on " + std::to_string(resolved) + " of " +
                                        std::to_string(running.size()) + " selected pods");
            }
        }
        if (ready == 0) {
            add("SVCDISC-1002",
                "selects " + std::to_string(chosen.size()) + " pod(s) but has no ready endpoint");
        }
    }
    if (args.orphans) {
        for (std::size_t i = 0; i < l.data.pods.size(); ++i) {
            const auto& p = l.data.pods[i];
            if (!selected[i] && (all || p.metadata.namespace_ == args.namespace_)) {
                findings.push_back({"SVCDISC-1009", "pod", p.metadata.namespace_, p.metadata.name,
                                    "selected by no Service"});
            }
        }
    }
    command_result result;
    result.code = findings.empty() ? 0 : 1;
    if (args.output == "json") {
        emitter out(emitter::format::json);
        out.begin_object();
        out.key("findings");
        out.begin_array();
        for (const auto& f : findings) {
            out.begin_object();
            out.field("code", f.code);
            out.field("kind", f.kind);
            out.field("message", f.message);
            out.field("name", f.name);
            out.field("namespace", f.namespace_);
            out.end_object();
        }
        out.end_array();
        out.end_object();
        result.out = std::move(out.text());
        return result;
    }
    for (const auto& f : findings) {
        result.out +=
            f.code + " " + f.kind + "/" + f.namespace_ + "/" + f.name + ": " + f.message + "\n";
    }
    if (findings.empty()) {
        result.err = "no findings\n";
    }
    return result;
}

} // namespace

command_result run_command(const arguments& args) {
    if (args.positional.empty()) {
        usage_error("no command given");
    }
    const std::string& command = args.positional.front();
    if (command == "get") {
        return run_get(args);
    }
    if (command == "selector") {
        return run_selector(args);
    }
    if (command == "explain") {
        return run_explain(args);
    }
    if (command == "check") {
        return run_check(args);
    }
    if (command == "services-for") {
        return run_services_for(args);
    }
    usage_error("unknown command \"" + command + "\"");
}

} // namespace svcdisc_cli
