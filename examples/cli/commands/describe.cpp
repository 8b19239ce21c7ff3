// `describe`: kubectl's describe layout (k8s.io/kubectl/pkg/describe: describeService,
// describeEndpoints, describeEndpointSliceV1, describePod) for the objects `get` finds. Each
// object is read back from the JSON `get -o json` prints, as kubectl's describers read the
// object the API server returns.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "commands/commands.hpp"
#include "commands/get.hpp"
#include "print/cells.hpp"
#include "print/emitter.hpp"

namespace svcdisc_cli {

namespace {

using simdjson::dom::element;

/// Lines of tab-separated cells laid out as kubectl's describers lay them out: Go's
/// text/tabwriter with padding 2 and no minimum width. A cell is padded to the widest cell of
/// its column block (consecutive lines that have a tab-terminated cell in that column); the
/// text after a line's last tab is not padded.
class tabbed {
  public:
    /// Appends `text`, which may hold several lines.
    tabbed& operator<<(std::string_view text) {
        pending_ += text;
        return *this;
    }

    [[nodiscard]] std::string render() {
        std::vector<std::vector<std::string>> lines;
        std::string_view rest = pending_;
        while (!rest.empty()) {
            const auto newline = rest.find('\n');
            const std::string_view line = rest.substr(0, newline);
            rest =
                newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
            std::vector<std::string>& cells = lines.emplace_back();
            std::string_view cell_rest = line;
            for (auto tab = cell_rest.find('\t'); tab != std::string_view::npos;
                 tab = cell_rest.find('\t')) {
                cells.emplace_back(cell_rest.substr(0, tab));
                cell_rest = cell_rest.substr(tab + 1);
            }
            cells.emplace_back(cell_rest);
        }
        std::string out;
        std::vector<std::size_t> widths;
        format(lines, 0, lines.size(), widths, out);
        return out;
    }

  private:
    static constexpr std::size_t padding = 2;

    static void write_lines(const std::vector<std::vector<std::string>>& lines, std::size_t from,
                            std::size_t to, const std::vector<std::size_t>& widths,
                            std::string& out) {
        for (std::size_t i = from; i < to; ++i) {
            const auto& cells = lines[i];
            for (std::size_t j = 0; j < cells.size(); ++j) {
                out += cells[j];
                if (j < widths.size() && j + 1 < cells.size()) {
                    out.append(widths[j] - std::min(widths[j], cells[j].size()), ' ');
                }
            }
            out += '\n';
        }
    }

    /// Go's tabwriter.format: lays out the lines [from, to) whose first widths.size() columns
    /// are already measured.
    static void format(const std::vector<std::vector<std::string>>& lines, std::size_t from,
                       std::size_t to, std::vector<std::size_t>& widths, std::string& out) {
        const std::size_t column = widths.size();
        std::size_t start = from;
        for (std::size_t i = from; i < to; ++i) {
            if (column + 1 >= lines[i].size()) {
                continue;
            }
            write_lines(lines, start, i, widths, out);
            start = i;
            std::size_t width = 0;
            for (; i < to && column + 1 < lines[i].size(); ++i) {
                width = std::max(width, lines[i][column].size() + padding);
            }
            widths.push_back(width);
            format(lines, start, i, widths, out);
            widths.pop_back();
            start = i;
            if (i == to) {
                return;
            }
        }
        write_lines(lines, start, to, widths, out);
    }

    std::string pending_;
};

// ------------------------------------------------------------------------------------------
// Reading the JSON
// ------------------------------------------------------------------------------------------

/// A JSON node, or nothing where the document has no such field.
using node = std::optional<element>;

node child(node e, std::string_view key) {
    element out;
    if (e && e->is_object() && !e->at_key(key).get(out)) {
        return out;
    }
    return std::nullopt;
}

template <class... Keys>
node at(node e, std::string_view key, Keys... rest) {
    if constexpr (sizeof...(rest) == 0) {
        return child(e, key);
    } else {
        return at(child(e, key), rest...);
    }
}

/// A string field, a number or boolean field as its text, or "".
std::string text_of(node e) {
    if (!e) {
        return "";
    }
    if (e->is_string()) {
        return std::string(e->get_string().value());
    }
    if (e->is_int64()) {
        return std::to_string(e->get_int64().value());
    }
    if (e->is_bool()) {
        return e->get_bool().value() ? "true" : "false";
    }
    return "";
}

std::vector<element> elements(node e) {
    std::vector<element> out;
    if (e && e->is_array()) {
        for (const element item : e->get_array()) {
            out.push_back(item);
        }
    }
    return out;
}

std::vector<std::string> texts(node e) {
    std::vector<std::string> out;
    for (const element item : elements(e)) {
        out.push_back(text_of(item));
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        out += i == 0 ? "" : separator;
        out += parts[i];
    }
    return out;
}

/// Members of a string map (labels, annotations, a selector), sorted by key as JSON holds
/// them (the emitter sorts keys).
std::vector<std::pair<std::string, std::string>> string_map(node e) {
    std::vector<std::pair<std::string, std::string>> out;
    if (e && e->is_object()) {
        for (const auto field : e->get_object()) {
            out.emplace_back(std::string(field.key), text_of(field.value));
        }
    }
    return out;
}

std::string format_map(node e) {
    std::vector<std::string> parts;
    for (const auto& [key, value] : string_map(e)) {
        parts.push_back(key + "=" + value);
    }
    return parts.empty() ? "<none>" : join(parts, ",");
}

// ------------------------------------------------------------------------------------------
// kubectl's shared pieces
// ------------------------------------------------------------------------------------------

/// printLabelsMultiline.
void write_labels(tabbed& w, std::string_view title, node labels) {
    w << title << ":\t";
    const auto entries = string_map(labels);
    if (entries.empty()) {
        w << "<none>\n";
        return;
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        w << (i == 0 ? "" : "\t") << entries[i].first << "=" << entries[i].second << "\n";
    }
}

/// printAnnotationsMultiline: last-applied-configuration left out, long or multi-line values
/// on lines of their own, cut at 140 characters.
void write_annotations(tabbed& w, node annotations) {
    constexpr std::size_t max_length = 140;
    w << "Annotations:\t";
    auto entries = string_map(annotations);
    std::erase_if(entries, [](const auto& entry) {
        return entry.first == "kubectl.kubernetes.io/last-applied-configuration";
    });
    if (entries.empty()) {
        w << "<none>\n";
        return;
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const std::string& key = entries[i].first;
        std::string value = entries[i].second;
        if (value.ends_with('\n')) {
            value.pop_back();
        }
        w << (i == 0 ? "" : "\t");
        if (value.size() + key.size() + 2 > max_length || value.find('\n') != std::string::npos) {
            w << key << ":\n";
            std::string_view rest = value;
            while (true) {
                const auto newline = rest.find('\n');
                std::string line(rest.substr(0, newline));
                if (line.size() > max_length - 2) {
                    line = line.substr(0, max_length - 2) + "...";
                }
                w << "\t  " << line << "\n";
                if (newline == std::string_view::npos) {
                    break;
                }
                rest = rest.substr(newline + 1);
            }
        } else {
            w << key << ": " << value << "\n";
        }
    }
}

void write_header(tabbed& w, element object) {
    const node meta = child(object, "metadata");
    w << "Name:\t" << text_of(child(meta, "name")) << "\n";
    w << "Namespace:\t" << text_of(child(meta, "namespace")) << "\n";
    write_labels(w, "Labels", child(meta, "labels"));
    write_annotations(w, child(meta, "annotations"));
}

/// `addr:port`, with brackets around an IPv6 address (Go's net.JoinHostPort).
std::string host_port(const std::string& address, const std::string& port) {
    return address.find(':') != std::string::npos ? "[" + address + "]:" + port
                                                  : address + ":" + port;
}

bool endpoint_ready(element endpoint) {
    const node ready = at(endpoint, "conditions", "ready");
    return !ready || !ready->is_bool() || ready->get_bool().value();
}

/// kubectl's formatEndpointSlices for one port name: the ready addresses of the Service's
/// slices as `addr:port`, at most three and then `+ N more...`; `<none>` without slices.
std::string format_endpoint_slices(const std::vector<element>& slices, std::string_view port_name) {
    if (slices.empty()) {
        return "<none>";
    }
    constexpr std::size_t most = 3;
    std::vector<std::string> list;
    std::size_t count = 0;
    bool more = false;
    auto add = [&](const std::string& text) {
        if (list.size() == most) {
            more = true;
        }
        if (!more) {
            list.push_back(text);
        }
        ++count;
    };
    for (const element slice : slices) {
        const auto ports = elements(child(slice, "ports"));
        const auto endpoints = elements(child(slice, "endpoints"));
        if (ports.empty()) {
            for (const element endpoint : endpoints) {
                if (endpoint_ready(endpoint)) {
                    add(text_of(elements(child(endpoint, "addresses")).front()));
                }
            }
            continue;
        }
        for (const element port : ports) {
            if (text_of(child(port, "name")) != port_name) {
                continue;
            }
            for (const element endpoint : endpoints) {
                if (endpoint_ready(endpoint)) {
                    add(host_port(text_of(elements(child(endpoint, "addresses")).front()),
                                  text_of(child(port, "port"))));
                }
            }
        }
    }
    std::string out = join(list, ",");
    if (more) {
        out += " + " + std::to_string(count - most) + " more...";
    }
    return out;
}

// ------------------------------------------------------------------------------------------
// The describers
// ------------------------------------------------------------------------------------------

struct describe_context {
    session* s;
    const arguments* args;
    bool show_events;
};

/// The Service's EndpointSlices (label kubernetes.io/service-name) as JSON, into `parser`.
std::vector<element> service_slices(describe_context& c, std::string_view namespace_,
                                    std::string_view name, simdjson::dom::parser& parser) {
    const auto kinds = resource_kinds();
    const auto kind = std::find_if(kinds.begin(), kinds.end(),
                                   [](const auto& k) { return k.plural == "endpointslices"; });
    auto group = kind->list(*kind, *c.s, namespace_);
    emitter out(emitter::format::json);
    out.begin_array();
    for (std::size_t i = 0; i < group->size(); ++i) {
        if (group->metadata(i).labels.find_value("kubernetes.io/service-name") == name) {
            group->emit(i, out, true);
        }
    }
    out.end_array();
    return elements(parser.parse(out.text()).value());
}

/// describeService, with the API server's defaults for what the manifest left out (type,
/// protocol, targetPort, session affinity, traffic policies, and single-stack IP families).
std::string describe_service(describe_context& c, element svc) {
    const node meta = child(svc, "metadata");
    const node spec = child(svc, "spec");
    const std::string name = text_of(child(meta, "name"));
    const std::string namespace_ = text_of(child(meta, "namespace"));
    std::string type = text_of(child(spec, "type"));
    if (type.empty()) {
        type = "ClusterIP";
    }
    const bool external_name = type == "ExternalName";
    const std::string cluster_ip = text_of(child(spec, "clusterIP"));
    simdjson::dom::parser slice_parser;
    const auto slices =
        external_name ? std::vector<element>() : service_slices(c, namespace_, name, slice_parser);
    tabbed w;
    write_header(w, svc);
    w << "Selector:\t" << format_map(child(spec, "selector")) << "\n";
    w << "Type:\t" << type << "\n";
    std::string policy = text_of(child(spec, "ipFamilyPolicy"));
    if (policy.empty() && !external_name) {
        policy = "SingleStack";
    }
    if (!policy.empty()) {
        w << "IP Family Policy:\t" << policy << "\n";
    }
    auto families = texts(child(spec, "ipFamilies"));
    if (families.empty() && !external_name) {
        families.emplace_back(cluster_ip.find(':') != std::string::npos ? "IPv6" : "IPv4");
    }
    w << "IP Families:\t" << (families.empty() ? "<none>" : join(families, ",")) << "\n";
    w << "IP:\t" << cluster_ip << "\n";
    auto cluster_ips = texts(child(spec, "clusterIPs"));
    if (cluster_ips.empty() && !cluster_ip.empty()) {
        cluster_ips.push_back(cluster_ip);
    }
    w << "IPs:\t" << (cluster_ips.empty() ? "<none>" : join(cluster_ips, ",")) << "\n";
    if (const auto external_ips = texts(child(spec, "externalIPs")); !external_ips.empty()) {
        w << "External IPs:\t" << join(external_ips, ",") << "\n";
    }
    if (const auto lb_ip = text_of(child(spec, "loadBalancerIP")); !lb_ip.empty()) {
        w << "Desired LoadBalancer IP:\t" << lb_ip << "\n";
    }
    if (const auto external = text_of(child(spec, "externalName")); !external.empty()) {
        w << "External Name:\t" << external << "\n";
    }
    std::vector<std::string> ingress;
    for (const element i : elements(at(svc, "status", "loadBalancer", "ingress"))) {
        const std::string ip = text_of(child(i, "ip"));
        ingress.push_back(ip.empty() ? text_of(child(i, "hostname")) : ip);
    }
    if (!ingress.empty()) {
        w << "LoadBalancer Ingress:\t" << join(ingress, ", ") << "\n";
    }
    bool lacks_endpoints = false;
    for (const element port : elements(child(spec, "ports"))) {
        const std::string port_name = text_of(child(port, "name"));
        const std::string shown_name = port_name.empty() ? "<unset>" : port_name;
        std::string protocol = text_of(child(port, "protocol"));
        if (protocol.empty()) {
            protocol = "TCP";
        }
        const std::string number = text_of(child(port, "port"));
        std::string target = text_of(child(port, "targetPort"));
        if (target.empty()) {
            target = number;
        }
        w << "Port:\t" << shown_name << "\t" << number << "/" << protocol << "\n";
        w << "TargetPort:\t" << target << "/" << protocol << "\n";
        if (const auto app = text_of(child(port, "appProtocol")); !app.empty()) {
            w << "AppProtocol:\t" << app << "\n";
        }
        if (const auto node_port = text_of(child(port, "nodePort"));
            !node_port.empty() && node_port != "0") {
            w << "NodePort:\t" << shown_name << "\t" << node_port << "/" << protocol << "\n";
        }
        const std::string endpoints = format_endpoint_slices(slices, port_name);
        lacks_endpoints = lacks_endpoints || endpoints.empty() || endpoints == "<none>";
        w << "Endpoints:\t" << endpoints << "\n";
    }
    std::string affinity = text_of(child(spec, "sessionAffinity"));
    w << "Session Affinity:\t" << (affinity.empty() ? "None" : affinity) << "\n";
    std::string external_policy = text_of(child(spec, "externalTrafficPolicy"));
    if (external_policy.empty() && (type == "NodePort" || type == "LoadBalancer")) {
        external_policy = "Cluster";
    }
    if (!external_policy.empty()) {
        w << "External Traffic Policy:\t" << external_policy << "\n";
    }
    std::string internal_policy = text_of(child(spec, "internalTrafficPolicy"));
    if (internal_policy.empty() && !external_name) {
        internal_policy = "Cluster";
    }
    if (!internal_policy.empty()) {
        w << "Internal Traffic Policy:\t" << internal_policy << "\n";
    }
    if (const auto health = text_of(child(spec, "healthCheckNodePort"));
        !health.empty() && health != "0") {
        w << "HealthCheck NodePort:\t" << health << "\n";
    }
    if (const auto ranges = texts(child(spec, "loadBalancerSourceRanges")); !ranges.empty()) {
        w << "LoadBalancer Source Ranges:\t" << join(ranges, ",") << "\n";
    }
    if (const auto distribution = text_of(child(spec, "trafficDistribution"));
        !distribution.empty()) {
        w << "Traffic Distribution:\t" << distribution << "\n";
    }
    if (c.show_events) {
        w << "Events:\t<none>\n";
    }
    std::string out = w.render();
    if (lacks_endpoints) {
        out += "svcdisc: a port has no ready endpoints; 'svcdisc explain service " + name + " -n " +
               namespace_ + "' with the same input says why\n";
    }
    return out;
}

/// describeEndpoints.
std::string describe_endpoints(describe_context& c, element eps) {
    tabbed w;
    write_header(w, eps);
    w << "Subsets:\n";
    auto ips = [](node addresses) {
        std::vector<std::string> out;
        for (const element a : elements(addresses)) {
            out.push_back(text_of(child(a, "ip")));
        }
        return out.empty() ? std::string("<none>") : join(out, ",");
    };
    for (const element subset : elements(child(eps, "subsets"))) {
        w << "  Addresses:\t" << ips(child(subset, "addresses")) << "\n";
        w << "  NotReadyAddresses:\t" << ips(child(subset, "notReadyAddresses")) << "\n";
        const auto ports = elements(child(subset, "ports"));
        if (!ports.empty()) {
            w << "  Ports:\n";
            w << "    Name\tPort\tProtocol\n";
            w << "    ----\t----\t--------\n";
            for (const element p : ports) {
                const std::string name = text_of(child(p, "name"));
                std::string protocol = text_of(child(p, "protocol"));
                w << "    " << (name.empty() ? "<unset>" : name) << "\t"
                  << text_of(child(p, "port")) << "\t" << (protocol.empty() ? "TCP" : protocol)
                  << "\n";
            }
        }
        w << "\n";
    }
    if (c.show_events) {
        w << "Events:\t<none>\n";
    }
    return w.render();
}

std::string or_unset(node e) {
    return e && e->is_string() ? text_of(e) : "<unset>";
}

/// describeEndpointSliceV1.
std::string describe_slice(describe_context& c, element slice) {
    tabbed w;
    write_header(w, slice);
    w << "AddressType:\t" << text_of(child(slice, "addressType")) << "\n";
    const auto ports = elements(child(slice, "ports"));
    if (ports.empty()) {
        w << "Ports: <unset>\n";
    } else {
        w << "Ports:\n";
        w << "  Name\tPort\tProtocol\n";
        w << "  ----\t----\t--------\n";
        for (const element p : ports) {
            const std::string name = text_of(child(p, "name"));
            const std::string number = text_of(child(p, "port"));
            w << "  " << (name.empty() ? "<unset>" : name) << "\t"
              << (number.empty() ? "<unset>" : number) << "\t" << text_of(child(p, "protocol"))
              << "\n";
        }
    }
    const auto endpoints = elements(child(slice, "endpoints"));
    if (endpoints.empty()) {
        w << "Endpoints: <none>\n";
    } else {
        w << "Endpoints:\n";
        for (const element e : endpoints) {
            const auto addresses = texts(child(e, "addresses"));
            w << "  - Addresses:\t" << (addresses.empty() ? "<none>" : join(addresses, ", "))
              << "\n";
            w << "    Conditions:\n";
            const node ready = at(e, "conditions", "ready");
            w << "      Ready:\t" << (ready && ready->is_bool() ? text_of(ready) : "<unset>")
              << "\n";
            w << "    Hostname:\t" << or_unset(child(e, "hostname")) << "\n";
            if (const node ref = child(e, "targetRef"); ref && ref->is_object()) {
                w << "    TargetRef:\t" << text_of(child(ref, "kind")) << "/"
                  << text_of(child(ref, "name")) << "\n";
            }
            w << "    NodeName:\t" << or_unset(child(e, "nodeName")) << "\n";
            w << "    Zone:\t" << or_unset(child(e, "zone")) << "\n";
        }
    }
    if (c.show_events) {
        w << "Events:\t<none>\n";
    }
    return w.render();
}

// ------------------------------------------------------------------------------------------
// describePod
// ------------------------------------------------------------------------------------------

/// A time as Go's RFC1123Z layout prints it, in UTC (kubectl prints the local time zone); an
/// absent or unreadable time is Go's zero time.
std::string rfc1123z(node timestamp) {
    const auto seconds = timestamp ? parse_timestamp(text_of(timestamp)) : std::nullopt;
    if (!seconds) {
        return "Mon, 01 Jan 0001 00:00:00 +0000";
    }
    constexpr std::string_view weekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::int64_t days = (*seconds >= 0 ? *seconds : *seconds - 86399) / 86400;
    const std::int64_t in_day = *seconds - days * 86400;
    // Howard Hinnant's civil_from_days.
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const auto two = [](std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); };
    return std::string(weekdays[((days % 7) + 7) % 7]) + ", " + two(day) + " " +
           std::string(months[month - 1]) + " " + std::to_string(year) + " " + two(in_day / 3600) +
           ":" + two(in_day / 60 % 60) + ":" + two(in_day % 60) + " +0000";
}

/// describeContainerPorts (`hostPort` false) and describeContainerHostPorts; the API server
/// defaults a port's protocol to TCP.
std::string container_ports(const std::vector<element>& ports, bool host_port) {
    std::vector<std::string> parts;
    for (const element port : ports) {
        std::string number = text_of(child(port, host_port ? "hostPort" : "containerPort"));
        std::string protocol = text_of(child(port, "protocol"));
        std::string part =
            (number.empty() ? "0" : number) + "/" + (protocol.empty() ? "TCP" : protocol);
        if (const std::string name = text_of(child(port, "name")); !name.empty()) {
            part += " (" + name + ")";
        }
        parts.push_back(std::move(part));
    }
    return join(parts, ", ");
}

/// describeStatus: one container state (`state` or `lastState`).
void write_container_state(tabbed& w, std::string_view title, node state) {
    if (const node running = child(state, "running"); running && running->is_object()) {
        w << "    " << title << ":\tRunning\n";
        w << "      Started:\t" << rfc1123z(child(running, "startedAt")) << "\n";
    } else if (const node terminated = child(state, "terminated");
               terminated && terminated->is_object()) {
        w << "    " << title << ":\tTerminated\n";
        if (const auto reason = text_of(child(terminated, "reason")); !reason.empty()) {
            w << "      Reason:\t" << reason << "\n";
        }
        if (const auto message = text_of(child(terminated, "message")); !message.empty()) {
            w << "      Message:\t" << message << "\n";
        }
        const std::string exit_code = text_of(child(terminated, "exitCode"));
        w << "      Exit Code:\t" << (exit_code.empty() ? "0" : exit_code) << "\n";
        if (const auto signal = text_of(child(terminated, "signal"));
            !signal.empty() && signal != "0") {
            w << "      Signal:\t" << signal << "\n";
        }
        w << "      Started:\t" << rfc1123z(child(terminated, "startedAt")) << "\n";
        w << "      Finished:\t" << rfc1123z(child(terminated, "finishedAt")) << "\n";
    } else {
        w << "    " << title << ":\tWaiting\n";
        if (const auto reason = text_of(at(state, "waiting", "reason")); !reason.empty()) {
            w << "      Reason:\t" << reason << "\n";
        }
    }
}

/// Go's %q of a string: quoted, with quotes and backslashes escaped.
std::string go_quoted(std::string_view text) {
    std::string out = "\"";
    for (const char ch : text) {
        if (ch == '"' || ch == '\\') {
            out += '\\';
        }
        out += ch;
    }
    return out + "\"";
}

/// describeContainerEnvVars for variables with a plain value. A variable taken from a field, a
/// ConfigMap or a Secret (valueFrom, envFrom) is resolved against objects svcdisc does not
/// read, so such a container's environment is left out.
void write_environment(tabbed& w, element container) {
    const auto variables = elements(child(container, "env"));
    if (child(container, "envFrom") ||
        std::any_of(variables.begin(), variables.end(),
                    [](element e) { return child(e, "valueFrom").has_value(); })) {
        return;
    }
    w << "    Environment:" << (variables.empty() ? "\t<none>" : "") << "\n";
    for (const element variable : variables) {
        const std::string name = text_of(child(variable, "name"));
        const std::string value = text_of(child(variable, "value"));
        std::string_view rest = value;
        bool first = true;
        while (true) {
            const auto newline = rest.find('\n');
            w << "      " << (first ? name + ":" : "") << "\t" << rest.substr(0, newline) << "\n";
            first = false;
            if (newline == std::string_view::npos) {
                break;
            }
            rest = rest.substr(newline + 1);
        }
    }
}

/// describeContainerVolumes' mounts, sorted by path.
void write_mounts(tabbed& w, node mounts) {
    auto items = elements(mounts);
    w << "    Mounts:" << (items.empty() ? "\t<none>" : "") << "\n";
    std::stable_sort(items.begin(), items.end(), [](element a, element b) {
        return text_of(child(a, "mountPath")) < text_of(child(b, "mountPath"));
    });
    for (const element mount : items) {
        const node read_only = child(mount, "readOnly");
        std::string flags =
            read_only && read_only->is_bool() && read_only->get_bool().value() ? "ro" : "rw";
        if (const auto sub_path = text_of(child(mount, "subPath")); !sub_path.empty()) {
            flags += ",path=" + go_quoted(sub_path);
        }
        w << "      " << text_of(child(mount, "mountPath")) << " from "
          << text_of(child(mount, "name")) << " (" << flags << ")\n";
    }
}

/// describeContainers, without resources (limits and requests) and probes.
void write_containers(tabbed& w, std::string_view title, node containers, node statuses) {
    const auto specs = elements(containers);
    w << title << ":" << (specs.empty() ? " <none>" : "") << "\n";
    const auto all_statuses = elements(statuses);
    for (const element container : specs) {
        const std::string name = text_of(child(container, "name"));
        // The last status of that name, as kubectl's map of statuses keeps it.
        node status;
        for (const element candidate : all_statuses) {
            if (text_of(child(candidate, "name")) == name) {
                status = candidate;
            }
        }
        w << "  " << name << ":\n";
        if (status) {
            w << "    Container ID:\t" << text_of(child(status, "containerID")) << "\n";
        }
        w << "    Image:\t" << text_of(child(container, "image")) << "\n";
        if (status) {
            w << "    Image ID:\t" << text_of(child(status, "imageID")) << "\n";
        }
        const auto ports = elements(child(container, "ports"));
        const std::string port_text = container_ports(ports, false);
        const bool several = port_text.find(',') != std::string::npos;
        w << "    " << (several ? "Ports" : "Port") << ":\t"
          << (port_text.empty() ? "<none>" : port_text) << "\n";
        const std::string host_text = container_ports(ports, true);
        w << "    " << (host_text.find(',') != std::string::npos ? "Host Ports" : "Host Port")
          << ":\t" << (host_text.empty() ? "<none>" : host_text) << "\n";
        for (const auto& [key, heading] : {std::pair{"command", "Command"}, {"args", "Args"}}) {
            const auto lines = texts(child(container, key));
            if (lines.empty()) {
                continue;
            }
            w << "    " << heading << ":\n";
            for (const std::string& line : lines) {
                std::string_view rest = line;
                while (true) {
                    const auto newline = rest.find('\n');
                    w << "      " << rest.substr(0, newline) << "\n";
                    if (newline == std::string_view::npos) {
                        break;
                    }
                    rest = rest.substr(newline + 1);
                }
            }
        }
        if (status) {
            write_container_state(w, "State", child(status, "state"));
            if (const node last = at(status, "lastState", "terminated");
                last && last->is_object()) {
                write_container_state(w, "Last State", child(status, "lastState"));
            }
            const node ready = child(status, "ready");
            w << "    Ready:\t"
              << (ready && ready->is_bool() && ready->get_bool().value() ? "True" : "False")
              << "\n";
            const std::string restarts = text_of(child(status, "restartCount"));
            w << "    Restart Count:\t" << (restarts.empty() ? "0" : restarts) << "\n";
        }
        write_environment(w, container);
        write_mounts(w, child(container, "volumeMounts"));
    }
}

/// A `Type  Status` table of conditions (the pod's, or its readiness gates').
void write_condition_rows(tabbed& w, const std::vector<std::pair<std::string, std::string>>& rows) {
    w << "  Type\tStatus\n";
    for (const auto& [type, status] : rows) {
        w << "  " << type << " \t" << status << " \n";
    }
}

/// printPodTolerationsMultiline, sorted by key (stably; kubectl's sort is not).
void write_tolerations(tabbed& w, node tolerations) {
    auto items = elements(tolerations);
    w << "Tolerations:\t";
    if (items.empty()) {
        w << "<none>\n";
        return;
    }
    std::stable_sort(items.begin(), items.end(), [](element a, element b) {
        return text_of(child(a, "key")) < text_of(child(b, "key"));
    });
    for (std::size_t i = 0; i < items.size(); ++i) {
        const element t = items[i];
        const std::string key = text_of(child(t, "key"));
        const std::string value = text_of(child(t, "value"));
        const std::string effect = text_of(child(t, "effect"));
        w << (i == 0 ? "" : "\t") << key;
        if (!value.empty()) {
            w << "=" << value;
        }
        if (!effect.empty()) {
            w << ":" << effect;
        }
        if (text_of(child(t, "operator")) == "Exists" && value.empty()) {
            w << (key.empty() && effect.empty() ? "op=Exists" : " op=Exists");
        }
        if (const node seconds = child(t, "tolerationSeconds"); seconds && seconds->is_int64()) {
            w << " for " << text_of(seconds) << "s";
        }
        w << "\n";
    }
}

/// GetPodQOS: the class the kubelet reported; without one, BestEffort when no container asks
/// for resources. Otherwise the class depends on comparing quantities, which svcdisc does not
/// do, and the line is left out.
std::optional<std::string> qos_class(element pod) {
    if (const auto reported = text_of(at(pod, "status", "qosClass")); !reported.empty()) {
        return reported;
    }
    for (const char* list : {"initContainers", "containers"}) {
        for (const element c : elements(at(pod, "spec", list))) {
            const node resources = child(c, "resources");
            if (!string_map(child(resources, "requests")).empty() ||
                !string_map(child(resources, "limits")).empty()) {
                return std::nullopt;
            }
        }
    }
    if (at(pod, "spec", "resources")) {
        return std::nullopt;
    }
    return "BestEffort";
}

/// describePod, without the sections built from what svcdisc does not read: containers'
/// resources and probes, environment variables taken from other objects, the volumes of a pod
/// that has some, seccomp profiles, topology spread constraints, and events (always `<none>`).
std::string describe_pod(describe_context& c, element pod) {
    const node meta = child(pod, "metadata");
    const node spec = child(pod, "spec");
    const node status = child(pod, "status");
    const std::string name = text_of(child(meta, "name"));
    const std::string namespace_ = text_of(child(meta, "namespace"));
    tabbed w;
    w << "Name:\t" << name << "\n";
    w << "Namespace:\t" << namespace_ << "\n";
    if (const node priority = child(spec, "priority"); priority && priority->is_int64()) {
        w << "Priority:\t" << text_of(priority) << "\n";
    }
    if (const auto class_name = text_of(child(spec, "priorityClassName")); !class_name.empty()) {
        w << "Priority Class Name:\t" << class_name << "\n";
    }
    if (const auto runtime = text_of(child(spec, "runtimeClassName")); !runtime.empty()) {
        w << "Runtime Class Name:\t" << runtime << "\n";
    }
    if (const auto account = text_of(child(spec, "serviceAccountName")); !account.empty()) {
        w << "Service Account:\t" << account << "\n";
    }
    const std::string node_name = text_of(child(spec, "nodeName"));
    w << "Node:\t"
      << (node_name.empty() ? "<none>" : node_name + "/" + text_of(child(status, "hostIP")))
      << "\n";
    if (const node start = child(status, "startTime"); start && start->is_string()) {
        w << "Start Time:\t" << rfc1123z(start) << "\n";
    }
    write_labels(w, "Labels", child(meta, "labels"));
    write_annotations(w, child(meta, "annotations"));
    const std::string phase = text_of(child(status, "phase"));
    const node deletion = child(meta, "deletionTimestamp");
    if (deletion && deletion->is_string() && phase != "Failed" && phase != "Succeeded") {
        w << "Status:\tTerminating (lasts " << age_cell(text_of(deletion), now_seconds()) << ")\n";
        if (const node grace = child(meta, "deletionGracePeriodSeconds"); grace) {
            w << "Termination Grace Period:\t" << text_of(grace) << "s\n";
        }
    } else {
        w << "Status:\t" << phase << "\n";
    }
    if (const auto reason = text_of(child(status, "reason")); !reason.empty()) {
        w << "Reason:\t" << reason << "\n";
    }
    if (const auto message = text_of(child(status, "message")); !message.empty()) {
        w << "Message:\t" << message << "\n";
    }
    w << "IP:\t" << text_of(child(status, "podIP")) << "\n";
    const auto ips = elements(child(status, "podIPs"));
    if (ips.empty()) {
        w << "IPs:\t<none>\n";
    } else {
        w << "IPs:\n";
        for (const element ip : ips) {
            w << "  IP:\t" << text_of(child(ip, "ip")) << "\n";
        }
    }
    for (const element owner : elements(child(meta, "ownerReferences"))) {
        const node controller = child(owner, "controller");
        if (controller && controller->is_bool() && controller->get_bool().value()) {
            w << "Controlled By:\t" << text_of(child(owner, "kind")) << "/"
              << text_of(child(owner, "name")) << "\n";
            break;
        }
    }
    if (const auto nominated = text_of(child(status, "nominatedNodeName")); !nominated.empty()) {
        w << "NominatedNodeName:\t" << nominated << "\n";
    }
    if (!elements(child(spec, "initContainers")).empty()) {
        write_containers(w, "Init Containers", child(spec, "initContainers"),
                         child(status, "initContainerStatuses"));
    }
    write_containers(w, "Containers", child(spec, "containers"),
                     child(status, "containerStatuses"));
    const auto conditions = elements(child(status, "conditions"));
    if (const auto gates = elements(child(spec, "readinessGates")); !gates.empty()) {
        std::vector<std::pair<std::string, std::string>> rows;
        for (const element gate : gates) {
            const std::string type = text_of(child(gate, "conditionType"));
            std::string gate_status = "<none>";
            for (const element condition : conditions) {
                if (text_of(child(condition, "type")) == type) {
                    gate_status = text_of(child(condition, "status"));
                    break;
                }
            }
            rows.emplace_back(type, gate_status);
        }
        w << "Readiness Gates:\n";
        write_condition_rows(w, rows);
    }
    if (!conditions.empty()) {
        std::vector<std::pair<std::string, std::string>> rows;
        for (const element condition : conditions) {
            rows.emplace_back(text_of(child(condition, "type")),
                              text_of(child(condition, "status")));
        }
        w << "Conditions:\n";
        write_condition_rows(w, rows);
    }
    // Volume sources are not read; a pod without volumes says so as kubectl does.
    if (elements(child(spec, "volumes")).empty()) {
        w << "Volumes:\t<none>\n";
    }
    if (const auto qos = qos_class(pod)) {
        w << "QoS Class:\t" << *qos << "\n";
    }
    write_labels(w, "Node-Selectors", child(spec, "nodeSelector"));
    write_tolerations(w, child(spec, "tolerations"));
    if (c.show_events) {
        w << "Events:\t<none>\n";
    }
    return w.render() + "svcdisc: 'svcdisc services-for " + name + " -n " + namespace_ +
           "' with the same input lists the Services that select this pod\n";
}

using describer = std::string (*)(describe_context&, element);

describer describer_for(const resource_kind& kind) {
    if (kind.plural == "services") {
        return describe_service;
    }
    if (kind.plural == "endpoints") {
        return describe_endpoints;
    }
    if (kind.plural == "endpointslices") {
        return describe_slice;
    }
    if (kind.plural == "pods") {
        return describe_pod;
    }
    return nullptr;
}

/// kubectl's DescribeMatchingResources: `describe TYPE NAME` without an object NAME describes
/// the objects of TYPE whose names start with NAME instead.
found objects_named_like(const get_plan& plan, const arguments& args, session& s) {
    get_plan every = plan;
    const std::string prefix = every.targets.front().names.front();
    every.targets.front().names.clear();
    found f = find_objects(every, args, std::nullopt, s);
    found_group& group = *f.groups.front();
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < group.size(); ++i) {
        if (group.metadata(i).name.starts_with(prefix)) {
            order.push_back(i);
        }
    }
    group.select(order);
    f.total = order.size();
    return f;
}

} // namespace

command_result run_describe(const arguments& args) {
    const get_plan plan = plan_of(args.positional);
    for (const target& t : plan.targets) {
        if (describer_for(*t.kind) == nullptr) {
            usage_error("describe supports pods, services, endpoints and endpointslices, not " +
                        std::string(t.kind->plural));
        }
    }
    std::optional<svcdisc::label_selector> selector;
    if (args.selector) {
        selector = parse_cli_selector(*args.selector, "--selector");
    }
    session& s = open_session(args);
    found f = find_objects(plan, args, selector, s);
    if (f.total == 0 && args.positional.size() == 3 && !plan.targets.front().names.empty()) {
        if (found like = objects_named_like(plan, args, s); like.total > 0) {
            f = std::move(like);
        }
    }
    command_result result;
    result.err = f.errors;
    result.code = f.errors.empty() ? 0 : 1;
    if (f.total == 0 && f.errors.empty()) {
        result.err = args.all_namespaces
                         ? "No resources found\n"
                         : "No resources found in " + args.namespace_ + " namespace.\n";
        return result;
    }
    describe_context context{&s, &args, f.total == 1 && f.errors.empty()};
    bool first = true;
    for (const auto& group : f.groups) {
        const describer describe = describer_for(group->kind());
        for (std::size_t i = 0; i < group->size(); ++i) {
            emitter out(emitter::format::json);
            group->emit(i, out, true);
            simdjson::dom::parser parser;
            const element object = parser.parse(out.text()).value();
            result.out += first ? "" : "\n\n";
            result.out += describe(context, object);
            first = false;
        }
    }
    return result;
}

} // namespace svcdisc_cli
