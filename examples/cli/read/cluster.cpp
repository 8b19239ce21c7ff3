#include "read/cluster.hpp"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <tuple>

namespace svcdisc_cli {

namespace {

bool same_key(const svcdisc::object_meta& a, const svcdisc::object_meta& b) {
    return a.namespace_ == b.namespace_ && a.name == b.name;
}

bool name_less(const svcdisc::object_meta& a, const svcdisc::object_meta& b) {
    return std::tie(a.namespace_, a.name) < std::tie(b.namespace_, b.name);
}

void note_duplicate(const note_function& note, std::string_view kind,
                    const svcdisc::object_meta& meta) {
    if (note) {
        note("duplicate " + std::string(kind) + " \"" +
             (meta.namespace_.empty() ? "" : meta.namespace_ + "/") + meta.name +
             "\": the later definition wins");
    }
}

/// Pods live in three parallel vectors; they move together.
void sort_pods(cluster& c, const note_function& note) {
    auto pod_less = [](const svcdisc::pod& a, const svcdisc::pod& b) {
        return name_less(a.metadata, b.metadata);
    };
    // kubectl lists pods sorted already; then there is nothing to reorder or to drop.
    const bool strictly_sorted =
        std::adjacent_find(c.pods.begin(), c.pods.end(), [&](const auto& a, const auto& b) {
            return !pod_less(a, b);
        }) == c.pods.end();
    std::vector<std::size_t> order(strictly_sorted ? 0 : c.pods.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return pod_less(c.pods[a], c.pods[b]); });
    bool duplicates = false;
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
        if (same_key(c.pods[order[i]].metadata, c.pods[order[i + 1]].metadata)) {
            duplicates = true;
            note_duplicate(note, "Pod", c.pods[order[i]].metadata);
        }
    }
    if (strictly_sorted || (!duplicates && std::is_sorted(order.begin(), order.end()))) {
        return;
    }
    std::vector<svcdisc::pod> pods;
    std::vector<origin> origins;
    std::vector<pod_extra> extras;
    pods.reserve(order.size());
    origins.reserve(order.size());
    extras.reserve(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::size_t i = order[k];
        if (k + 1 < order.size() && same_key(c.pods[i].metadata, c.pods[order[k + 1]].metadata)) {
            continue;
        }
        pods.push_back(std::move(c.pods[i]));
        origins.push_back(c.pod_origins[i]);
        extras.push_back(std::move(c.pod_extras[i]));
    }
    c.pods = std::move(pods);
    c.pod_origins = std::move(origins);
    c.pod_extras = std::move(extras);
}

template <class Entries>
void sort_entries(Entries& v, std::string_view kind, const note_function& note) {
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
        return name_less(a.object.metadata, b.object.metadata);
    });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i + 1 < v.size() && same_key(v[i].object.metadata, v[i + 1].object.metadata)) {
            note_duplicate(note, kind, v[i].object.metadata);
            continue;
        }
        if (kept != i) {
            v[kept] = std::move(v[i]);
        }
        ++kept;
    }
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(kept), v.end());
}

} // namespace

void sort_and_deduplicate(cluster& c, const note_function& note) {
    sort_pods(c, note);
    sort_entries(c.services, "Service", note);
    sort_entries(c.endpoints_objects, "Endpoints", note);
    sort_entries(c.slices, "EndpointSlice", note);
    sort_entries(c.nodes, "Node", note);
}

} // namespace svcdisc_cli
