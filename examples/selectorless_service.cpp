// A Service without selector and the Endpoints object written for it by hand (the second
// example of the Service concept page): Kubernetes keeps the Endpoints as written and its
// EndpointSliceMirroring controller copies it into an EndpointSlice, which is what kube-proxy
// and other slice consumers read. Prints both the way `kubectl get` shows them.

#include <algorithm>
#include <cstddef>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/mirror.hpp>

namespace {

// kubectl's table layout: columns padded to their widest cell plus three spaces.
void print_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) {
                line += std::string(widths[i] - row[i].size() + 3, ' ');
            }
        }
        std::cout << line << '\n';
    }
}

// kubectl shows at most three entries, then "+ N more...".
std::string shorten(const std::vector<std::string>& items, std::string_view none) {
    if (items.empty()) {
        return std::string(none);
    }
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < 3; ++i) {
        out += (i > 0 ? "," : "") + items[i];
    }
    if (items.size() > 3) {
        out += " + " + std::to_string(items.size() - 3) + " more...";
    }
    return out;
}

// ENDPOINTS column of `kubectl get endpoints`: ready ip:port pairs.
std::string endpoints_column(const svcdisc::endpoints& eps) {
    std::vector<std::string> pairs;
    for (const auto& subset : eps.subsets) {
        for (const auto& port : subset.ports) {
            for (const auto& address : subset.addresses) {
                pairs.push_back(address.ip + ":" + std::to_string(port.port));
            }
        }
    }
    return shorten(pairs, "<none>");
}

} // namespace

int main() {
    // spec:
    //   ports:
    //     - protocol: TCP
    //       port: 80
    //       targetPort: 9376
    svcdisc::service svc;
    svc.metadata.name = "my-service";
    svc.metadata.namespace_ = "default";
    svc.spec.ports = {{"", "TCP", std::nullopt, 80, 9376, 0}};
    svcdisc::apply_defaults(svc);

    // subsets:
    //   - addresses:
    //       - ip: 192.0.2.42
    //     ports:
    //       - port: 9376
    svcdisc::endpoints eps;
    eps.metadata.name = "my-service";
    eps.metadata.namespace_ = "default";
    eps.subsets = {{{{"192.0.2.42", "", std::nullopt, std::nullopt}}, {}, {{"", 9376, "", {}}}}};
    svcdisc::apply_defaults(eps);

    const auto mirrored = svcdisc::mirror_endpoint_slices_with_warnings(&svc, eps);

    std::cout << "Service my-service has no selector, so its Endpoints object is the one you "
                 "wrote;\nthe mirroring controller copies it into an EndpointSlice.\n\n";

    std::cout << "$ kubectl get endpoints my-service\n";
    print_table(
        {{"NAME", "ENDPOINTS", "AGE"}, {eps.metadata.name, endpoints_column(eps), "<unknown>"}});

    std::cout << "\n$ kubectl get endpointslices -l kubernetes.io/service-name=my-service\n";
    std::vector<std::vector<std::string>> rows{
        {"NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"}};
    for (const auto& slice : mirrored.slices) {
        std::vector<std::string> ports;
        for (const auto& port : slice.ports) {
            ports.push_back(port.port ? std::to_string(*port.port) : "<unset>");
        }
        std::vector<std::string> addresses;
        for (const auto& ep : slice.endpoints) {
            addresses.insert(addresses.end(), ep.addresses.begin(), ep.addresses.end());
        }
        rows.push_back({slice.metadata.name, slice.address_type, shorten(ports, "<unset>"),
                        shorten(addresses, "<unset>"), "<unknown>"});
    }
    print_table(rows);

    for (const auto& warning : mirrored.warnings) {
        std::cout << "Warning " << warning.reason << ": " << warning.message << '\n';
    }
    return 0;
}
