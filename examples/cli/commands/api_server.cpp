#include "commands/api_server.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "cli_error.hpp"
#include "commands/session.hpp"

namespace svcdisc_cli {

namespace {

/// `spec.ports[0].nodePort` as the steps input_store locates. A Service allocate() fills in
/// was read without clusterIPs, so a problem with clusterIPs is one with clusterIP.
std::vector<field_step> field_steps(std::string_view field) {
    if (field.starts_with("spec.clusterIPs")) {
        return {{"spec"}, {"clusterIP"}};
    }
    std::vector<field_step> steps;
    std::size_t at = 0;
    while (at < field.size()) {
        if (field[at] == '.') {
            ++at;
        } else if (field[at] == '[') {
            const auto close = field.find(']', at);
            std::int64_t index = 0;
            for (std::size_t i = at + 1; i < close && i < field.size(); ++i) {
                index = index * 10 + (field[i] - '0');
            }
            steps.push_back({{}, index});
            at = close == std::string_view::npos ? field.size() : close + 1;
        } else {
            const auto end = field.find_first_of(".[", at);
            steps.push_back({std::string(field.substr(at, end - at)), -1});
            at = end == std::string_view::npos ? field.size() : end;
        }
    }
    return steps;
}

bool asks_for_cluster_ip(const svcdisc::service& svc) {
    return !svc.spec.cluster_ip.empty() && svc.spec.cluster_ip != "None";
}

} // namespace

svcdisc::cluster_config service_allocation_config(const arguments& args) {
    svcdisc::cluster_config config;
    auto ranges = svcdisc::parse_service_cluster_ip_range(args.service_cluster_ip_range);
    if (!ranges) {
        operand_error("--service-cluster-ip-range", args.service_cluster_ip_range, ranges.error());
    }
    config.service_cidrs = std::move(*ranges);
    auto ports = svcdisc::parse_service_node_port_range(args.service_node_port_range);
    if (!ports) {
        operand_error("--service-node-port-range", args.service_node_port_range, ports.error());
    }
    config.node_ports = *ports;
    return config;
}

std::vector<svcdisc::ip_cidr> cluster_cidrs(const arguments& args) {
    std::vector<svcdisc::ip_cidr> cidrs;
    const std::string_view text = args.cluster_cidr;
    std::size_t at = 0;
    while (!text.empty() && at <= text.size()) {
        const auto comma = std::min(text.find(',', at), text.size());
        const auto cidr = svcdisc::ip_cidr::parse(text.substr(at, comma - at));
        if (!cidr) {
            operand_error(
                "--cluster-cidr", text,
                {"invalid CIDR address: " + std::string(text.substr(at, comma - at)), at});
        }
        cidrs.push_back(*cidr);
        at = comma + 1;
    }
    if (cidrs.size() > 2 || (cidrs.size() == 2 && cidrs[0].family() == cidrs[1].family())) {
        operand_error("--cluster-cidr", text,
                      {"must be one CIDR, or two of different IP families", 0});
    }
    return cidrs;
}

void allocate_services(cluster& c, const svcdisc::cluster_config& config, const input_store& store,
                       bool leave_out_refused) {
    svcdisc::allocations taken;
    std::vector<entry<svcdisc::service>*> requested;
    std::vector<entry<svcdisc::service>*> dynamic;
    for (auto& e : c.services) {
        if (!e.object.spec.cluster_ips.empty()) {
            taken.add(e.object);
        } else {
            (asks_for_cluster_ip(e.object) ? requested : dynamic).push_back(&e);
        }
    }
    requested.insert(requested.end(), dynamic.begin(), dynamic.end());
    std::vector<bool> refused(c.services.size(), false);
    for (auto* e : requested) {
        auto refusal = svcdisc::allocate(e->object, config, taken);
        if (!refusal) {
            continue;
        }
        std::string error =
            refusal->causes.empty()
                ? store.field_error(e->from, {{"metadata"}, {"name"}},
                                    "Service \"" + e->object.metadata.name +
                                        "\" could not be created: " + refusal->message)
                : store.field_error(e->from, field_steps(refusal->causes.front().field),
                                    refusal->message);
        if (!leave_out_refused) {
            throw cli_error(2, error);
        }
        const auto& meta = e->object.metadata;
        c.refused.push_back({"Service", meta.namespace_, meta.name, first_line_of_error(error)});
        refused[static_cast<std::size_t>(e - c.services.data())] = true;
    }
    // The API server creates nothing of a Service it refuses: it is left out whole.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < c.services.size(); ++i) {
        if (!refused[i]) {
            if (kept != i) {
                c.services[kept] = std::move(c.services[i]);
            }
            ++kept;
        }
    }
    c.services.erase(c.services.begin() + static_cast<std::ptrdiff_t>(kept), c.services.end());
}

} // namespace svcdisc_cli
