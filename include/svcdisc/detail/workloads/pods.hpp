#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/detail/workloads/names.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/meta.hpp>
#include <svcdisc/pod.hpp>

/// How controllers turn a pod template into a pod (controller.GetPodFromTemplate) and what the
/// kubelet reports once the pod runs.
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

} // namespace svcdisc::detail::workloads
