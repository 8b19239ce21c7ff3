// Fuzz target: the event-driven controller against the pure derivations (docs/controller.md).
// The input is a small initial cluster (one Service, pods, nodes from fuzz_cluster.hpp) and then
// a sequence of events — pods, the Service and nodes added, modified and deleted, one at a time
// or in batches. Oracles after every call: the call is accepted (every generated object is
// valid and the informer recoveries are on); for a managed Service the Endpoints object equals
// derive_endpoints on the pods the controller holds (the headless label aside: the Endpoints
// controller skips writes that change only that label); the EndpointSlices hold exactly the
// endpoints derive_endpoint_slices gives, per address type and ports, none over capacity; an
// unmanaged Service without selector has its Endpoints object mirrored as mirror_endpoint_slices
// mirrors it; a deleted Service leaves neither; the changes reported are exactly the objects
// that changed (none missed, none a no-op).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <svcdisc/controller.hpp>
#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/mirror.hpp>

#include "fuzz_cluster.hpp"

namespace {

using svcdisc_fuzz::input_reader;
using svcdisc_fuzz::require;

/// The world as the events so far left it, kept independently of the controller.
struct world {
    std::optional<svcdisc::service> service;
    std::map<std::pair<std::string, std::string>, svcdisc::pod> pods;
    std::map<std::string, svcdisc::node> nodes;
};

using flat_endpoint =
    std::tuple<std::string, std::vector<svcdisc::endpoint_slice_port>, svcdisc::endpoint>;

/// Every endpoint of `slices` with its address type and ports.
template <class Slices, class Deref>
std::vector<flat_endpoint> flatten(const Slices& slices, Deref deref) {
    std::vector<flat_endpoint> out;
    for (const auto& entry : slices) {
        const svcdisc::endpoint_slice& slice = deref(entry);
        for (const auto& e : slice.endpoints) {
            out.emplace_back(slice.address_type, slice.ports, e);
        }
    }
    return out;
}

/// `wanted` (slices) and `held` (the controller's, by pointer) hold the same endpoints.
template <class Held>
void require_same_endpoints(const std::vector<svcdisc::endpoint_slice>& wanted, const Held& held,
                            std::string_view oracle) {
    const auto expected = flatten(
        wanted, [](const auto& s) -> const auto& { return s; });
    const auto actual = flatten(
        held, [](const auto& s) -> const auto& { return *s; });
    require(expected.size() == actual.size() &&
                std::is_permutation(expected.begin(), expected.end(), actual.begin()),
            oracle);
}

void check(const svcdisc::controller& c, const world& w,
           const svcdisc::endpoint_slice_options& options) {
    std::vector<svcdisc::pod> pods;
    for (const auto& entry : w.pods) {
        pods.push_back(entry.second);
    }
    std::vector<svcdisc::node> nodes;
    for (const auto& entry : w.nodes) {
        nodes.push_back(entry.second);
    }
    std::vector<std::shared_ptr<const svcdisc::endpoint_slice>> held;
    std::vector<std::shared_ptr<const svcdisc::endpoint_slice>> mirrored;
    for (auto& slice : c.endpoint_slices("ns", "svc")) {
        (svcdisc::is_mirrored_slice_of(*slice, "ns", "svc") ? mirrored : held)
            .push_back(std::move(slice));
    }
    for (const auto& slice : held) {
        require(slice->endpoints.size() <= options.max_endpoints_per_slice,
                "no slice holds more than max_endpoints_per_slice endpoints");
    }
    if (!w.service) {
        require(c.endpoints("ns", "svc") == nullptr, "a deleted Service has no Endpoints");
        require(held.empty() && mirrored.empty(), "a deleted Service has no slices");
        return;
    }
    if (!svcdisc::endpoint_controllers_manage(*w.service)) {
        // Its last objects stay as they were (syncService returns early). When it has no
        // selector, the Endpoints object left behind is mirrored like a hand-written one.
        const auto left = c.endpoints("ns", "svc");
        const auto want = left ? svcdisc::mirror_endpoint_slices(*w.service, *left)
                               : std::vector<svcdisc::endpoint_slice>{};
        require_same_endpoints(want, mirrored,
                               "the mirrored slices hold the endpoints mirror_endpoint_slices "
                               "gives");
        return;
    }
    require(mirrored.empty(), "a Service with a selector has no mirrored slices");
    const auto derived = svcdisc::derive_endpoints(*w.service, pods);
    const auto now = c.endpoints("ns", "svc");
    require(derived.has_value() && now != nullptr, "a managed Service has Endpoints");
    auto want = *derived;
    auto got = *now;
    want.metadata.labels.erase(svcdisc::endpoints_keys::headless_label);
    got.metadata.labels.erase(svcdisc::endpoints_keys::headless_label);
    require(got == want, "the controller's Endpoints equal derive_endpoints");

    const auto from_scratch = svcdisc::derive_endpoint_slices(*w.service, pods, nodes, options);
    require_same_endpoints(from_scratch, held,
                           "the controller's slices hold the endpoints derive_endpoint_slices "
                           "gives");
}

/// Every object the controller holds for ns/svc, by kind and name.
using object_key = std::pair<svcdisc::derived_kind, std::string>;
struct held_objects {
    std::map<object_key, svcdisc::endpoints> endpoints;
    std::map<object_key, svcdisc::endpoint_slice> slices;
};

held_objects held_by(const svcdisc::controller& c) {
    held_objects out;
    if (const auto eps = c.endpoints("ns", "svc")) {
        out.endpoints.emplace(object_key{svcdisc::derived_kind::endpoints_object, "svc"}, *eps);
    }
    for (const auto& slice : c.endpoint_slices("ns", "svc")) {
        out.slices.emplace(object_key{svcdisc::derived_kind::slice_object, slice->metadata.name},
                           *slice);
    }
    return out;
}

/// The watch event a change of `key` from `before` to `after` is, if any.
template <class Object>
std::optional<svcdisc::watch_event_type> change_of(const std::map<object_key, Object>& before,
                                                   const std::map<object_key, Object>& after,
                                                   const object_key& key) {
    const auto was = before.find(key);
    const auto is = after.find(key);
    if (was == before.end()) {
        return is == after.end() ? std::nullopt : std::optional(svcdisc::watch_event_type::added);
    }
    if (is == after.end()) {
        return svcdisc::watch_event_type::deleted;
    }
    return was->second == is->second ? std::nullopt
                                     : std::optional(svcdisc::watch_event_type::modified);
}

/// The changes the controller reported are exactly the objects that changed, each with the
/// right event type: none is missed and none is a no-op.
void check_changes(const svcdisc::controller& c, const held_objects& before,
                   const held_objects& after) {
    std::map<object_key, svcdisc::watch_event_type> reported;
    for (const auto& change : c.changes()) {
        const bool first =
            reported.emplace(object_key{change.kind, std::string(c.name_of(change))}, change.type)
                .second;
        require(first, "at most one change per object and call");
    }
    std::map<object_key, svcdisc::watch_event_type> real;
    const auto collect = [&](const auto& was, const auto& is) {
        std::vector<object_key> keys;
        for (const auto& entry : was) {
            keys.push_back(entry.first);
        }
        for (const auto& entry : is) {
            keys.push_back(entry.first);
        }
        for (const auto& key : keys) {
            if (const auto type = change_of(was, is, key)) {
                real[key] = *type;
            }
        }
    };
    collect(before.endpoints, after.endpoints);
    collect(before.slices, after.slices);
    require(reported == real, "the reported changes are the objects that really changed");
}

svcdisc::watch_event_type event_type(input_reader& input) {
    switch (input.count(2)) {
    case 0:
        return svcdisc::watch_event_type::added;
    case 1:
        return svcdisc::watch_event_type::modified;
    default:
        return svcdisc::watch_event_type::deleted;
    }
}

/// One random event, applied to `w` as the controller's informer recoveries take it.
svcdisc::watch_event next_event(input_reader& input, world& w) {
    const auto type = event_type(input);
    const bool deleted = type == svcdisc::watch_event_type::deleted;
    switch (input.count(5)) {
    case 0: {
        auto svc = svcdisc_fuzz::service_from(input);
        if (deleted) {
            w.service.reset();
        } else {
            w.service = svc;
        }
        return {type, std::move(svc)};
    }
    case 1: {
        auto nodes = svcdisc_fuzz::nodes_from(input);
        svcdisc::node n = nodes.empty() ? svcdisc::node{} : nodes.back();
        if (nodes.empty()) {
            n.metadata.name = "node-0";
        }
        if (deleted) {
            w.nodes.erase(n.metadata.name);
        } else {
            w.nodes[n.metadata.name] = n;
        }
        return {type, std::move(n)};
    }
    default: {
        auto p = svcdisc_fuzz::pod_from(input);
        const std::pair key{p.metadata.namespace_, p.metadata.name};
        if (deleted) {
            w.pods.erase(key);
        } else {
            w.pods[key] = p;
        }
        return {type, std::move(p)};
    }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    input_reader input(data, size);
    svcdisc::controller_options options;
    options.slices.max_endpoints_per_slice = input.pick(svcdisc_fuzz::slice_capacities);
    options.slices.node_policy =
        input.flag() ? svcdisc::node_policy::assume_present : svcdisc::node_policy::upstream;
    svcdisc::controller c(options);
    world w;
    w.service = svcdisc_fuzz::service_from(input);
    require(!c.load(*w.service), "load accepts the Service");
    for (auto& n : svcdisc_fuzz::nodes_from(input)) {
        w.nodes[n.metadata.name] = n;
        require(!c.load(n), "load accepts a Node");
    }
    const std::size_t pod_count = input.count(12);
    for (std::size_t i = 0; i < pod_count; ++i) {
        auto p = svcdisc_fuzz::pod_from(input);
        const std::pair key{p.metadata.namespace_, p.metadata.name};
        if (w.pods.count(key) != 0) {
            continue; // load refuses a second object of the same name
        }
        w.pods[key] = p;
        require(!c.load(std::move(p)), "load accepts a pod");
    }
    c.initial_sync();
    check(c, w, options.slices);

    const std::size_t calls = input.count(24);
    for (std::size_t call = 0; call < calls; ++call) {
        const std::size_t batch = 1 + input.count(3);
        std::vector<svcdisc::watch_event> events;
        for (std::size_t i = 0; i < batch; ++i) {
            events.push_back(next_event(input, w));
        }
        const held_objects before = held_by(c);
        const auto error =
            batch == 1 ? c.apply(std::move(events.front())) : c.apply_batch(std::move(events));
        require(!error, "the controller accepts valid events", error ? error->message : "");
        check(c, w, options.slices);
        check_changes(c, before, held_by(c));
    }
    return 0;
}
