// Quickstart: the Service walkthrough. A Service `my-service` selects the pods labelled
// app=MyApp and sends port 80 to their port 9376; svcdisc computes the Endpoints and
// EndpointSlices Kubernetes' controllers would write, printed as `kubectl get` shows them.

#include <algorithm>
#include <cstddef>
#include <iostream>
#include <string>
#include <vector>

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>

namespace {

svcdisc::pod make_pod(const std::string& name, const std::string& app, const std::string& ip,
                      bool ready, const std::string& node_name) {
    svcdisc::pod p;
    p.metadata.name = name;
    p.metadata.namespace_ = "default";
    p.metadata.uid = "uid-" + name;
    p.metadata.labels = {{"app", app}};
    p.spec.node_name = node_name;
    p.status.phase = "Running";
    p.status.conditions = {{"Ready", ready ? "True" : "False"}};
    p.status.pod_ip = ip;
    p.status.pod_ips = {ip};
    return p;
}

// kubectl's list cell: at most three entries, then " + N more..."; `empty` when none.
std::string list_cell(const std::vector<std::string>& items, const std::string& empty) {
    if (items.empty()) {
        return empty;
    }
    std::string cell;
    for (std::size_t i = 0; i < items.size() && i < 3; ++i) {
        cell += (i == 0 ? "" : ",") + items[i];
    }
    if (items.size() > 3) {
        cell += " + " + std::to_string(items.size() - 3) + " more...";
    }
    return cell;
}

// Columns padded like kubectl's tabwriter (3 spaces of padding, at least 6 wide).
void print_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            widths[c] = std::max({widths[c], row[c].size() + 3, std::size_t{6}});
        }
    }
    for (const auto& row : rows) {
        for (std::size_t c = 0; c + 1 < row.size(); ++c) {
            std::cout << row[c] << std::string(widths[c] - row[c].size(), ' ');
        }
        std::cout << row.back() << '\n';
    }
}

} // namespace

int main() {
    svcdisc::service svc;
    svc.metadata.name = "my-service";
    svc.metadata.namespace_ = "default";
    svc.spec.selector = svcdisc::label_set{{"app", "MyApp"}};
    svc.spec.cluster_ip = "10.96.0.20";
    svcdisc::service_port& port = svc.spec.ports.emplace_back();
    port.protocol = "TCP";
    port.port = 80;
    port.target_port = 9376;
    svcdisc::apply_defaults(svc); // what the API server does on create: type ClusterIP, …

    const std::vector<svcdisc::pod> pods = {
        make_pod("my-app-7c9d-1", "MyApp", "10.244.1.5", true, "node-1"),
        make_pod("my-app-7c9d-2", "MyApp", "10.244.2.7", true, "node-2"),
        make_pod("my-app-7c9d-3", "MyApp", "10.244.1.9", false, "node-1"), // not ready yet
        make_pod("db-0", "Database", "10.244.2.3", true, "node-2"),        // other label
    };
    std::vector<svcdisc::node> nodes(2);
    nodes[0].metadata.name = "node-1";
    nodes[1].metadata.name = "node-2";

    // kubectl get endpoints my-service: ready addresses only, ip:port.
    std::cout << "$ kubectl get endpoints my-service\n";
    const std::optional<svcdisc::endpoints> eps = svcdisc::derive_endpoints(svc, pods);
    std::vector<std::string> targets;
    for (const auto& subset : eps->subsets) {
        for (const auto& target : subset.ports) {
            for (const auto& address : subset.addresses) {
                targets.push_back(address.ip + ":" + std::to_string(target.port));
            }
        }
    }
    print_table({{"NAME", "ENDPOINTS", "AGE"},
                 {eps->metadata.name, list_cell(targets, "<none>"), "<unknown>"}});
    std::cout << '\n';

    // kubectl get endpointslices: every endpoint's addresses, ready or not.
    std::cout << "$ kubectl get endpointslices -l kubernetes.io/service-name=my-service\n";
    std::vector<std::vector<std::string>> rows{
        {"NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"}};
    for (const auto& slice : svcdisc::derive_endpoint_slices(svc, pods, nodes, {})) {
        std::vector<std::string> ports;
        for (const auto& slice_port : slice.ports) {
            ports.push_back(slice_port.port ? std::to_string(*slice_port.port) : "*");
        }
        std::vector<std::string> addresses;
        for (const auto& e : slice.endpoints) {
            addresses.insert(addresses.end(), e.addresses.begin(), e.addresses.end());
        }
        rows.push_back({slice.metadata.name, slice.address_type, list_cell(ports, "<unset>"),
                        list_cell(addresses, "<unset>"), "<unknown>"});
    }
    print_table(rows);
}
