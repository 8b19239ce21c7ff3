#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/detail/workloads/names.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/label_selector.hpp>
#include <svcdisc/meta.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

/// How controllers turn a pod template into a pod (controller.GetPodFromTemplate), what the
/// kubelet reports once the pod runs, and the pieces the workload headers share: controller
/// references, template hashes, scaled rolling-update values, selectors.
namespace svcdisc::detail::workloads {

/// metav1.NewControllerRef: the owner reference a controller puts on what it creates.
template <class String>
basic_owner_reference<String> controller_ref(std::string_view api_version, std::string_view kind,
                                             std::string_view name, std::string_view uid) {
    return {String(api_version), String(kind), String(name), String(uid), true, true};
}

/// GetPodFromTemplate: the template's labels, annotations and spec, generateName
/// `<owner>-` (getPodsPrefix), the owner's namespace and the controller reference.
template <class String, class Template>
basic_pod<String> pod_from_template(const Template& pod_template, std::string_view namespace_,
                                    const basic_owner_reference<String>& owner) {
    basic_pod<String> created;
    created.metadata.namespace_ = String(namespace_);
    created.metadata.generate_name = String(std::string(std::string_view(owner.name)) + "-");
    created.metadata.labels = pod_template.metadata.labels;
    created.metadata.annotations = pod_template.metadata.annotations;
    created.metadata.owner_references.push_back(owner);
    created.spec = pod_template.spec;
    return created;
}

/// Gives a pod made with generateName its name: the API server's generated suffix, with
/// svcdisc's seed (namespace, generateName and the pod's position among its owner's pods),
/// moved on while the name is already used by a sibling.
template <class String>
void name_from_generate_name(basic_pod<String>& created, std::size_t position,
                             std::set<std::string, std::less<>>& used_names) {
    const std::string base(std::string_view(created.metadata.generate_name));
    for (std::size_t attempt = 0;; ++attempt) {
        std::string seed(std::string_view(created.metadata.namespace_));
        seed += '/';
        seed += base;
        seed += '#';
        seed += std::to_string(position);
        if (attempt > 0) {
            seed += '#';
            seed += std::to_string(attempt);
        }
        std::string name = generated_name(base, seed);
        if (used_names.insert(name).second) {
            created.metadata.name = String(name);
            return;
        }
    }
}

/// The pod as it stands once scheduled to `node_name` and running: phase Running, the given
/// addresses (status.podIP is the first), and the conditions the kubelet reports for a ready
/// pod, in the kubelet's order, all True. The UID is derived from namespace and name.
template <class String>
void run_pod(basic_pod<String>& created, std::string_view node_name,
             const std::vector<ip_address>& addresses) {
    created.spec.node_name = String(node_name);
    std::string seed = "Pod/";
    seed += std::string_view(created.metadata.namespace_);
    seed += '/';
    seed += std::string_view(created.metadata.name);
    created.metadata.uid = String(deterministic_uid(seed));
    created.status.phase = String(pod_phase::running);
    created.status.pod_ips.clear();
    for (const ip_address& address : addresses) {
        created.status.pod_ips.push_back(String(address.to_string()));
    }
    created.status.pod_ip =
        created.status.pod_ips.empty() ? String() : created.status.pod_ips.front();
    created.status.conditions.clear();
    for (const std::string_view type :
         {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
        created.status.conditions.push_back({String(type), String("True")});
    }
}

/// `count` pods of one owner, each made from the template, adjusted by `customise(pod,
/// position)`, named from its generateName unless `customise` named it, and run on the
/// placement's node for its position (round-robin).
template <class String, class Template, class Placement, class Customise>
std::vector<basic_pod<String>>
controller_pods(const Template& pod_template, std::string_view namespace_,
                const basic_owner_reference<String>& owner, std::int64_t count,
                Placement& placement, Customise&& customise) {
    std::vector<basic_pod<String>> pods;
    std::set<std::string, std::less<>> used_names;
    for (std::int64_t i = 0; i < count; ++i) {
        const auto position = static_cast<std::size_t>(i);
        basic_pod<String> created = pod_from_template(pod_template, namespace_, owner);
        customise(created, position);
        if (std::string_view(created.metadata.name).empty()) {
            name_from_generate_name(created, position, used_names);
        }
        run_pod(created, placement.node_for(position),
                placement.next_addresses(placement.node_index_for(position)));
        pods.push_back(std::move(created));
    }
    return pods;
}

/// controller_pods for owners whose pods are the template as is (ReplicaSet,
/// ReplicationController, DaemonSet, NonIndexed Job).
template <class String, class Template, class Placement>
std::vector<basic_pod<String>> controller_pods(const Template& pod_template,
                                               std::string_view namespace_,
                                               const basic_owner_reference<String>& owner,
                                               std::int64_t count, Placement& placement) {
    return controller_pods(pod_template, namespace_, owner, count, placement,
                           [](basic_pod<String>&, std::size_t) {});
}

/// The controller reference to `workload`, with its UID or a deterministic one.
template <class Workload>
basic_owner_reference<std::remove_cvref_t<decltype(std::declval<Workload>().metadata.name)>>
owner_of(const Workload& workload) {
    using String = std::remove_cvref_t<decltype(workload.metadata.name)>;
    return controller_ref<String>(Workload::api_version, Workload::kind, workload.metadata.name,
                                  uid_of(workload.metadata, Workload::kind));
}

/// The template hash of a Deployment, StatefulSet or DaemonSet (template_hasher).
template <class Template>
std::uint32_t template_hash(const Template& pod_template,
                            const std::optional<std::int32_t>& collision_count) {
    template_hasher hasher;
    hasher.add(pod_template.metadata, pod_template.spec);
    if (collision_count) {
        hasher.add_collision_count(static_cast<std::uint32_t>(*collision_count));
    }
    return hasher.value();
}

/// intstr.GetScaledValueFromIntOrPercent rounding up: a number as is, "N%" of `total`.
template <class String>
std::int64_t scaled_up(const std::optional<basic_int_or_string<String>>& value,
                       std::int64_t total) {
    if (!value) {
        return 0;
    }
    if (!value->is_string()) {
        return value->number();
    }
    const std::string_view text = value->text();
    if (text.empty() || text.back() != '%') {
        return 0;
    }
    std::int64_t percent = 0;
    for (const char c : text.substr(0, text.size() - 1)) {
        if (c < '0' || c > '9') {
            return 0;
        }
        percent = percent * 10 + (c - '0');
    }
    return (percent * total + 99) / 100;
}

/// LabelSelectorAsSelector, with a selector that does not convert selecting nothing (the API
/// server would have refused the workload).
inline label_selector selector_or_nothing(const std::optional<label_selector_spec>& spec) {
    auto converted = to_label_selector(spec);
    return converted ? std::move(*converted) : label_selector::nothing();
}

/// A pod in `namespace_` whose labels the label selector takes.
template <class Pod>
bool selects(std::string_view namespace_, const std::optional<label_selector_spec>& selector,
             const Pod& candidate) {
    return namespace_ == std::string_view(pod_traits<Pod>::namespace_(candidate)) &&
           selector_or_nothing(selector).matches(pod_traits<Pod>::labels(candidate));
}

/// The first owner reference marked controller (metav1.GetControllerOf), or nullptr.
template <class String>
const basic_owner_reference<String>* controller_of(const basic_object_meta<String>& meta) {
    for (const auto& reference : meta.owner_references) {
        if (reference.controller) {
            return &reference;
        }
    }
    return nullptr;
}

} // namespace svcdisc::detail::workloads
