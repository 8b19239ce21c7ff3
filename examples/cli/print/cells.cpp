#include "print/cells.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <vector>

namespace svcdisc_cli {

std::int64_t now_seconds() {
    if (const char* fixed = std::getenv("SVCDISC_NOW")) {
        if (const auto t = parse_timestamp(fixed)) {
            return *t;
        }
    }
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string age_cell(const std::optional<std::string>& timestamp, std::int64_t now) {
    if (!timestamp) {
        return "<unknown>";
    }
    const auto t = parse_timestamp(*timestamp);
    if (!t) {
        return "<unknown>";
    }
    return duration_cell(now - *t);
}

std::string duration_cell(std::int64_t d) {
    if (d < -1) {
        return "<invalid>";
    }
    if (d < 0) {
        return "0s";
    }
    auto s = [](std::int64_t n) { return std::to_string(n); };
    if (d < 120) {
        return s(d) + "s";
    }
    const std::int64_t minutes = d / 60;
    if (minutes < 10) {
        return d % 60 == 0 ? s(minutes) + "m" : s(minutes) + "m" + s(d % 60) + "s";
    }
    if (minutes < 180) {
        return s(minutes) + "m";
    }
    const std::int64_t hours = d / 3600;
    if (hours < 8) {
        return minutes % 60 == 0 ? s(hours) + "h" : s(hours) + "h" + s(minutes % 60) + "m";
    }
    if (hours < 48) {
        return s(hours) + "h";
    }
    if (hours < 24 * 8) {
        return hours % 24 == 0 ? s(hours / 24) + "d" : s(hours / 24) + "d" + s(hours % 24) + "h";
    }
    if (hours < 24 * 365 * 2) {
        return s(hours / 24) + "d";
    }
    if (hours < 24 * 365 * 8) {
        const std::int64_t days = hours / 24 % 365;
        return days == 0 ? s(hours / 24 / 365) + "y" : s(hours / 24 / 365) + "y" + s(days) + "d";
    }
    return s(hours / 24 / 365) + "y";
}

std::string or_none(const std::string& text) {
    return text.empty() ? "<none>" : text;
}

std::string format_labels(const svcdisc::label_set& labels) {
    if (labels.empty()) {
        return "<none>";
    }
    std::string out;
    for (const auto& [k, v] : labels) {
        if (!out.empty()) {
            out += ',';
        }
        out += k;
        out += '=';
        out += v;
    }
    return out;
}

namespace {
std::string join_host_port(std::string_view ip, std::int32_t port) {
    // Go's net.JoinHostPort brackets any host with a colon, so ::ffff:1.2.3.4 too, which
    // svcdisc::is_ipv6_string counts as IPv4.
    const bool v6 = ip.find(':') != std::string_view::npos;
    std::string out;
    out.reserve(ip.size() + 8);
    if (v6) {
        out.push_back('[');
    }
    out.append(ip);
    if (v6) {
        out.push_back(']');
    }
    out.push_back(':');
    out.append(std::to_string(port));
    return out;
}

std::string list_with_more(const std::vector<std::string>& list, std::size_t count,
                           std::string_view empty) {
    std::string out;
    for (const auto& item : list) {
        if (!out.empty()) {
            out += ',';
        }
        out += item;
    }
    if (count > list.size()) {
        return out + " + " + std::to_string(count - list.size()) + " more...";
    }
    return out.empty() ? std::string(empty) : out;
}
} // namespace

std::string endpoints_cell(const svcdisc::endpoints& eps) {
    constexpr std::size_t max = 3;
    std::vector<std::string> list;
    std::size_t count = 0;
    for (const auto& subset : eps.subsets) {
        // A headless Service without ports publishes bare IPs: one round, no port.
        const std::size_t rounds = std::max<std::size_t>(subset.ports.size(), 1);
        count += rounds * subset.addresses.size();
        for (std::size_t i = 0; i < rounds; ++i) {
            for (const auto& a : subset.addresses) {
                if (list.size() < max) {
                    list.push_back(
                        subset.ports.empty() ? a.ip : join_host_port(a.ip, subset.ports[i].port));
                }
            }
        }
    }
    // kubectl shows only ready addresses; with none it leaves the cell empty, svcdisc says <none>.
    return list_with_more(list, count, "<none>");
}

std::string slice_ports_cell(const svcdisc::endpoint_slice& slice) {
    std::vector<std::string> list;
    for (const auto& port : slice.ports) {
        if (list.size() < 3) {
            list.push_back(port.port ? std::to_string(*port.port) : port.name ? *port.name : "*");
        }
    }
    return list_with_more(list, slice.ports.size(), "<unset>");
}

std::string slice_endpoints_cell(const svcdisc::endpoint_slice& slice) {
    std::vector<std::string> list;
    std::size_t count = 0;
    for (const auto& e : slice.endpoints) {
        for (const auto& a : e.addresses) {
            if (list.size() < 3) {
                list.push_back(a);
            }
            ++count;
        }
    }
    return list_with_more(list, count, "<unset>");
}

std::string service_cluster_ip_cell(const svcdisc::service& svc) {
    if (!svc.spec.cluster_ips.empty()) {
        return svc.spec.cluster_ips.front();
    }
    return svc.spec.cluster_ip.empty() ? "<none>" : svc.spec.cluster_ip;
}

std::string service_external_ip_cell(const svcdisc::service& svc, bool wide) {
    auto join = [](const std::vector<std::string>& v) {
        std::string out;
        for (const auto& s : v) {
            out += out.empty() ? s : "," + s;
        }
        return out;
    };
    const std::string_view type = svc.spec.type;
    if (type == svcdisc::service_type::cluster_ip || type == svcdisc::service_type::node_port) {
        return svc.spec.external_ips.empty() ? "<none>" : join(svc.spec.external_ips);
    }
    if (type == svcdisc::service_type::load_balancer) {
        std::string lb = join(svc.status.load_balancer_ingress);
        if (!wide && lb.size() > 16) {
            lb = lb.substr(0, 13) + "...";
        }
        if (!svc.spec.external_ips.empty()) {
            return lb.empty() ? join(svc.spec.external_ips)
                              : lb + "," + join(svc.spec.external_ips);
        }
        return lb.empty() ? "<pending>" : lb;
    }
    if (type == svcdisc::service_type::external_name) {
        return svc.spec.external_name;
    }
    return "<unknown>";
}

std::string service_ports_cell(const svcdisc::service& svc) {
    std::string out;
    for (const auto& port : svc.spec.ports) {
        if (!out.empty()) {
            out += ',';
        }
        out += std::to_string(port.port);
        if (port.node_port > 0) {
            out += ':' + std::to_string(port.node_port);
        }
        out += '/' + port.protocol;
    }
    return out.empty() ? "<none>" : out;
}

std::string node_status_cell(const svcdisc::node& n, bool unschedulable) {
    std::string status = "Unknown";
    for (const auto& c : n.conditions) {
        if (c.type == "Ready") {
            status = c.status == "True" ? "Ready" : c.status == "False" ? "NotReady" : "Unknown";
            break;
        }
    }
    if (unschedulable) {
        status += ",SchedulingDisabled";
    }
    return status;
}

std::string node_roles_cell(const svcdisc::node& n) {
    std::vector<std::string> roles;
    for (const auto& [k, v] : n.metadata.labels) {
        constexpr std::string_view prefix = "node-role.kubernetes.io/";
        if (std::string_view(k).substr(0, prefix.size()) == prefix && k.size() > prefix.size()) {
            roles.push_back(k.substr(prefix.size()));
        } else if (k == "kubernetes.io/role" && !v.empty()) {
            roles.push_back(v);
        }
    }
    std::sort(roles.begin(), roles.end());
    std::string cell;
    for (const auto& role : roles) {
        cell += cell.empty() ? role : "," + role;
    }
    return or_none(cell);
}

} // namespace svcdisc_cli
