// Rolling update: the quickstart's `my-service` (selector app=MyApp, port 80 -> 9376) in front
// of a 10-replica Deployment that is rolled to a new version with maxSurge 25% (3 pods) and
// maxUnavailable 25% (2 pods). An svcdisc::controller receives the pod events as a watch
// delivers them — new pods added not ready, becoming ready, old pods terminating (deletionTimestamp
// set) and then deleted — and every Endpoints write is printed as `kubectl get endpoints
// my-service -w` shows it. At the end: how many EndpointSlices the rollout created, updated and
// deleted. The clock is simulated, so the output is the same on every run.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <svcdisc/controller.hpp>

namespace {

constexpr std::size_t replicas = 10;
constexpr std::size_t max_surge = 3;       // 25% of 10, rounded up
constexpr std::size_t max_unavailable = 2; // 25% of 10, rounded down

svcdisc::pod make_pod(const std::string& hash, std::size_t ordinal, const std::string& ip) {
    static const std::vector<std::string> suffixes{"b8x2k", "c4m7p", "d9q3r", "f2w6t", "g7h4v",
                                                   "j5n8x", "k3r9z", "m6t2b", "p8v5c", "q4z7d"};
    svcdisc::pod p;
    p.metadata.name = "my-app-" + hash + "-" + suffixes[ordinal];
    p.metadata.namespace_ = "default";
    p.metadata.uid = "uid-" + p.metadata.name;
    p.metadata.labels = {{"app", "MyApp"}, {"pod-template-hash", hash}};
    p.spec.node_name = "node-" + std::to_string(1 + ordinal % 3);
    p.spec.containers = {{"app", {{"", 9376, "TCP", 0}}, std::nullopt}};
    p.status.phase = "Running";
    p.status.pod_ip = ip;
    p.status.pod_ips = {ip};
    p.status.conditions = {{"Ready", "False"}};
    return p;
}

void set_ready(svcdisc::pod& p) {
    p.status.conditions = {{"Ready", "True"}};
}

// kubectl's HumanDuration, for the ages this example reaches.
std::string age(std::int64_t seconds) {
    if (seconds < 120) {
        return std::to_string(seconds) + "s";
    }
    const std::int64_t minutes = seconds / 60;
    if (minutes < 10 && seconds % 60 != 0) {
        return std::to_string(minutes) + "m" + std::to_string(seconds % 60) + "s";
    }
    return std::to_string(minutes) + "m";
}

// kubectl's ENDPOINTS cell: ip:port of the ready addresses for every port, the first three,
// then " + N more..."; "<none>" without subsets.
std::string endpoints_cell(const svcdisc::endpoints& eps) {
    if (eps.subsets.empty()) {
        return "<none>";
    }
    std::vector<std::string> shown;
    std::size_t count = 0;
    for (const auto& subset : eps.subsets) {
        for (const auto& port : subset.ports) {
            count += subset.addresses.size();
            for (const auto& address : subset.addresses) {
                if (shown.size() < 3) {
                    shown.push_back(address.ip + ":" + std::to_string(port.port));
                }
            }
        }
    }
    std::string cell;
    for (const auto& entry : shown) {
        cell += (cell.empty() ? "" : ",") + entry;
    }
    if (count > shown.size()) {
        cell += " + " + std::to_string(count - shown.size()) + " more...";
    }
    return cell;
}

// One flush of kubectl's tabwriter (minimum width 10, padding 3): `kubectl get -w` flushes the
// header with the first rows, then every later row on its own, so each is aligned by itself.
void print_rows(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            widths[c] = std::max({widths[c], row[c].size() + 3, std::size_t{10}});
        }
    }
    for (const auto& row : rows) {
        for (std::size_t c = 0; c + 1 < row.size(); ++c) {
            std::cout << row[c] << std::string(widths[c] - row[c].size(), ' ');
        }
        std::cout << row.back() << '\n';
    }
}

/// The watcher's side: prints Endpoints rows and counts slice writes.
class watcher {
  public:
    explicit watcher(const svcdisc::controller& c) : controller_(c) {}

    /// The header and the current row, as the watch starts.
    void start(const svcdisc::endpoints& eps) {
        print_rows({{"NAME", "ENDPOINTS", "AGE"}, row(eps)});
    }

    /// The writes of the controller's last call.
    void observe() {
        for (const auto& change : controller_.changes()) {
            if (change.kind == svcdisc::derived_kind::endpoints_object) {
                print_rows({row(*controller_.endpoints_of(change))});
                ++endpoints_writes_;
                continue;
            }
            switch (change.type) {
            case svcdisc::watch_event_type::added:
                ++slices_created_;
                break;
            case svcdisc::watch_event_type::modified:
                ++slices_updated_;
                break;
            case svcdisc::watch_event_type::deleted:
                ++slices_deleted_;
                break;
            }
        }
    }

    void tick(std::int64_t seconds) { now_ += seconds; }
    [[nodiscard]] std::string age_now() const { return age(now_); }

    void summary() const {
        std::cout << "\nEndpoints writes: " << endpoints_writes_
                  << "\nEndpointSlice churn: " << slices_created_ << " created, " << slices_updated_
                  << " updated, " << slices_deleted_ << " deleted\n";
    }

  private:
    [[nodiscard]] std::vector<std::string> row(const svcdisc::endpoints& eps) const {
        return {eps.metadata.name, endpoints_cell(eps), age(now_)};
    }

    const svcdisc::controller& controller_;
    std::int64_t now_ = 300; // the Endpoints object is five minutes old when the watch starts
    std::size_t endpoints_writes_ = 0;
    std::size_t slices_created_ = 0;
    std::size_t slices_updated_ = 0;
    std::size_t slices_deleted_ = 0;
};

// An example has no error path worth more than a message: a refused event ends it.
void require(const std::optional<svcdisc::event_error>& error) {
    if (error) {
        std::cerr << "refused: " << error->message << '\n';
        std::exit(1);
    }
}

} // namespace

int main() {
    svcdisc::service svc;
    svc.metadata.name = "my-service";
    svc.metadata.namespace_ = "default";
    svc.metadata.uid = "uid-my-service";
    svc.spec.selector = svcdisc::label_set{{"app", "MyApp"}};
    svc.spec.cluster_ip = "10.96.0.20";
    svcdisc::service_port& port = svc.spec.ports.emplace_back();
    port.protocol = "TCP";
    port.port = 80;
    port.target_port = 9376;
    svcdisc::apply_defaults(svc);

    svcdisc::controller c;
    require(c.load(svc));
    // The EndpointSlice controller leaves out pods whose node it does not know.
    for (const char* name : {"node-1", "node-2", "node-3"}) {
        svcdisc::node n;
        n.metadata.name = name;
        require(c.load(n));
    }
    std::vector<svcdisc::pod> old_pods;
    for (std::size_t i = 0; i < replicas; ++i) {
        old_pods.push_back(make_pod("7c9d8b6f5", i, "10.244.1." + std::to_string(10 + i)));
        set_ready(old_pods.back());
        require(c.load(old_pods.back()));
    }
    c.initial_sync();

    watcher w(c);
    std::cout << "$ kubectl get endpoints my-service -w\n";
    w.start(*c.endpoints("default", "my-service"));

    // The Deployment controller's arithmetic: scale the new ReplicaSet up to the surge, scale
    // the old one down as far as the available pods allow, wait for the new pods to be ready.
    std::vector<svcdisc::pod> new_pods;
    new_pods.reserve(replicas); // `added` points into it
    std::size_t old_alive = replicas;
    std::size_t next_old = 0;
    while (new_pods.size() < replicas || old_alive > 0) {
        const std::size_t total = old_alive + new_pods.size();
        const std::size_t scale_up =
            std::min(replicas + max_surge - total, replicas - new_pods.size());
        std::vector<svcdisc::pod*> added;
        for (std::size_t k = 0; k < scale_up; ++k) {
            const std::size_t ordinal = new_pods.size();
            new_pods.push_back(
                make_pod("5f4b9c8d7", ordinal, "10.244.2." + std::to_string(10 + ordinal)));
        }
        for (std::size_t k = new_pods.size() - scale_up; k < new_pods.size(); ++k) {
            added.push_back(&new_pods[k]);
        }
        // Old pods may go while the ready ones stay at replicas - maxUnavailable or more.
        const std::size_t scale_down = std::min(
            old_alive, old_alive + new_pods.size() - added.size() - (replicas - max_unavailable));
        std::cout << "# " << added.size() << " new pod(s) created, " << scale_down
                  << " old pod(s) terminating\n";
        for (svcdisc::pod* p : added) {
            w.tick(1);
            require(c.apply(svcdisc::watch_event_type::added, *p));
            w.observe();
        }
        std::vector<svcdisc::pod*> terminating;
        for (std::size_t k = 0; k < scale_down; ++k) {
            svcdisc::pod& p = old_pods[next_old++];
            p.metadata.deletion_timestamp = "2024-05-01T12:00:00Z";
            terminating.push_back(&p);
            w.tick(1);
            require(c.apply(svcdisc::watch_event_type::modified, p));
            w.observe();
        }
        old_alive -= scale_down;
        for (svcdisc::pod* p : added) {
            set_ready(*p);
            w.tick(5);
            require(c.apply(svcdisc::watch_event_type::modified, *p));
            w.observe();
        }
        for (svcdisc::pod* p : terminating) {
            w.tick(2);
            require(c.apply(svcdisc::watch_event_type::deleted, *p));
            w.observe();
        }
    }
    w.summary();

    std::cout << "\n$ kubectl get endpointslices -l kubernetes.io/service-name=my-service\n";
    std::vector<std::vector<std::string>> rows{
        {"NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"}};
    for (const auto& slice : c.endpoint_slices("default", "my-service")) {
        std::string ports;
        for (const auto& slice_port : slice->ports) {
            ports += (ports.empty() ? "" : ",") +
                     (slice_port.port ? std::to_string(*slice_port.port) : std::string("*"));
        }
        std::vector<std::string> addresses;
        for (const auto& e : slice->endpoints) {
            addresses.insert(addresses.end(), e.addresses.begin(), e.addresses.end());
        }
        std::string cell;
        for (std::size_t i = 0; i < addresses.size() && i < 3; ++i) {
            cell += (i == 0 ? "" : ",") + addresses[i];
        }
        if (addresses.size() > 3) {
            cell += " + " + std::to_string(addresses.size() - 3) + " more...";
        }
        rows.push_back({slice->metadata.name, slice->address_type, ports, cell, w.age_now()});
    }
    print_rows(rows);
}
