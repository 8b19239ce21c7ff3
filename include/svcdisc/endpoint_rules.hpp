#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/endpoints.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

/// Why a pod is, or is not, behind a Service: every rule the Endpoints and EndpointSlice
/// controllers apply to a pod, each in one place, named after the upstream function it restates
/// and answering *why* as data. The yes/no functions the derivations call on their hot paths
/// (should_pod_be_in_endpoints, find_target_port, service_selects_pod) are defined through
/// these reasons and never allocate for svcdisc's own pod type.
///
/// Reasons that quote the pod (a label value, an IP) hold the text as a std::string_view into
/// the pod when its pod_traits hand out references or views, and as a std::string copy when
/// they return strings by value (pod_label_text_t, pod_ip_text_t). Text from the Service is
/// always a view into the Service. Either way a reason must not outlive the objects it was
/// computed from.
///
/// endpoint_membership_of puts all of them together for one pod and one Service.
namespace svcdisc {

namespace detail {

/// True when text of type T stays valid after the call that returned it: a view or a C string.
template <class T>
inline constexpr bool is_view_text_v =
    std::is_same_v<std::remove_cvref_t<T>, std::string_view> || std::is_pointer_v<std::decay_t<T>>;

/// How a reason keeps one piece of text from a pod_traits result of type Whole whose elements
/// have type Element: a view when the result is a reference into the pod or its elements are
/// views themselves, a copy otherwise.
template <class Whole, class Element>
using kept_text_t = std::conditional_t<std::is_lvalue_reference_v<Whole> || is_view_text_v<Element>,
                                       std::string_view, std::string>;

template <class Pod>
using pod_labels_result_t = decltype(pod_traits<Pod>::labels(std::declval<const Pod&>()));

template <class Pod>
using pod_ips_result_t = decltype(pod_traits<Pod>::pod_ips(std::declval<const Pod&>()));

template <class T>
inline constexpr bool is_basic_pod_v = false;
template <class String>
inline constexpr bool is_basic_pod_v<basic_pod<String>> = true;

} // namespace detail

/// The type reasons hold one of the pod's label values in (see the top of this header).
template <class Pod>
using pod_label_text_t = detail::kept_text_t<
    detail::pod_labels_result_t<Pod>,
    decltype(std::begin(std::declval<detail::pod_labels_result_t<Pod>>())->second)>;

/// The type reasons hold one of the pod's IPs in (see the top of this header).
template <class Pod>
using pod_ip_text_t =
    detail::kept_text_t<detail::pod_ips_result_t<Pod>,
                        decltype(*std::begin(std::declval<detail::pod_ips_result_t<Pod>>()))>;

// ---------------------------------------------------------------------------------------------
// Which Services the controllers manage, and which pods a Service selects.
// ---------------------------------------------------------------------------------------------

/// Whether the Endpoints and EndpointSlice controllers derive a Service's endpoints (their
/// syncService), and why not.
enum class endpoint_management : std::uint8_t {
    managed,
    /// `type: ExternalName`: no controller publishes endpoints for it.
    external_name,
    /// No selector (or an empty one, which svcdisc cannot tell apart from none): its Endpoints
    /// are written by hand and mirrored into slices (docs/mirroring.md).
    no_selector,
};

/// Whether the controllers manage `svc`'s endpoints, and why not; `managed` exactly when
/// endpoint_controllers_manage(svc).
///
/// Example:
///     svc.spec.type = "ExternalName";
///     svcdisc::service_endpoint_management(svc);  // endpoint_management::external_name
template <class String>
[[nodiscard]] endpoint_management
service_endpoint_management(const basic_service<String>& svc) noexcept {
    if (endpoint_controllers_manage(svc)) {
        return endpoint_management::managed;
    }
    return std::string_view(svc.spec.type) == service_type::external_name
               ? endpoint_management::external_name
               : endpoint_management::no_selector;
}

/// Why a Service's selector picks a pod or not. The controllers list the pods of the Service's
/// namespace whose labels hold every selector entry; the statuses are checked in this order.
enum class pod_selection_status : std::uint8_t {
    selected,
    /// The Service has no selector, or an empty one: it selects no pod.
    no_selector,
    /// The pod lives in another namespace than the Service.
    other_namespace,
    /// The pod has no label with the key of a selector entry.
    label_missing,
    /// The pod has the key of a selector entry with another value.
    label_differs,
};

/// Whether a Service's selector picks a pod, and if not, the first selector entry (in the
/// selector's key order) the pod fails.
template <class Pod>
struct pod_selection {
    pod_selection_status status = pod_selection_status::selected;
    /// label_missing, label_differs: the failing entry's key and value (views into the Service).
    std::string_view key;
    std::string_view wanted;
    /// label_differs: the pod's value for `key`.
    pod_label_text_t<Pod> pod_value;

    [[nodiscard]] bool selected() const noexcept {
        return status == pod_selection_status::selected;
    }
};

namespace detail {

/// service_pod_selection's rule; the pod's differing value is copied only when asked for, so
/// the yes/no path never allocates, whatever the pod type.
template <bool keep_pod_value, class Pod, class String>
[[nodiscard]] pod_selection<Pod> select_pod(const basic_service<String>& svc, const Pod& p) {
    static_assert(check_pod_like<Pod>());
    using traits = pod_traits<Pod>;
    pod_selection<Pod> result;
    if (!service_has_selector(svc)) {
        result.status = pod_selection_status::no_selector;
        return result;
    }
    // Bound by reference: traits may return the namespace and the labels by value.
    const auto& pod_namespace = traits::namespace_(p);
    if (std::string_view(pod_namespace) != std::string_view(svc.metadata.namespace_)) {
        result.status = pod_selection_status::other_namespace;
        return result;
    }
    const auto& labels = traits::labels(p);
    // The common question, "selected?", gets service_selector_matches' merge walk; only a pod it
    // turns down is searched for the entry it fails.
    if (service_selector_matches(*svc.spec.selector, labels)) {
        return result;
    }
    for (const auto& [key, value] : *svc.spec.selector) {
        const std::optional<std::string_view> found = find_label(labels, key);
        if (found && *found == std::string_view(value)) {
            continue;
        }
        result.key = key;
        result.wanted = value;
        if (!found) {
            result.status = pod_selection_status::label_missing;
            return result;
        }
        result.status = pod_selection_status::label_differs;
        if constexpr (keep_pod_value) {
            result.pod_value = pod_label_text_t<Pod>(*found);
        }
        return result;
    }
    return result;
}

} // namespace detail

/// Whether `svc`'s selector picks `p`, and why not: no selector, another namespace, or the
/// first selector entry whose key the pod lacks or whose value differs. It says nothing about
/// `type: ExternalName` (see service_endpoint_management).
///
/// Example:
///     // selector {app: web, tier: front}, pod labels {app: web, tier: back}
///     auto s = svcdisc::service_pod_selection(svc, pod);
///     s.status;                                  // pod_selection_status::label_differs
///     s.key; s.wanted; s.pod_value;              // "tier", "front", "back"
template <class Pod, class String>
[[nodiscard]] pod_selection<Pod> service_pod_selection(const basic_service<String>& svc,
                                                       const Pod& p) {
    return detail::select_pod<true>(svc, p);
}

/// True when the Service's selector picks this pod: same namespace and every selector entry
/// present with an equal value (service_pod_selection(svc, p).selected()). A Service without a
/// selector selects nothing.
template <class Pod, class String>
[[nodiscard]] bool service_selects_pod(const basic_service<String>& svc, const Pod& p) {
    return detail::select_pod<false>(svc, p).selected();
}

// ---------------------------------------------------------------------------------------------
// ShouldPodBeInEndpoints
// ---------------------------------------------------------------------------------------------

/// Why Kubernetes' ShouldPodBeInEndpoints keeps a pod or leaves it out; checked in this order.
enum class endpoint_eligibility : std::uint8_t {
    eligible,
    /// status.phase is Failed: the pod is terminal.
    phase_failed,
    /// status.phase is Succeeded: the pod is terminal.
    phase_succeeded,
    /// Neither status.podIP nor status.podIPs is set.
    no_pod_ip,
    /// metadata.deletionTimestamp is set and terminating pods are not included.
    terminating,
};

/// Kubernetes' ShouldPodBeInEndpoints, with the reason. The Endpoints controller includes
/// terminating pods only when the Service sets publishNotReadyAddresses; the EndpointSlice
/// controller always includes them (its endpoints carry a terminating condition instead).
///
/// Example:
///     p.status.phase = "Succeeded";
///     svcdisc::pod_endpoint_eligibility(p, true);  // endpoint_eligibility::phase_succeeded
template <class Pod>
[[nodiscard]] endpoint_eligibility pod_endpoint_eligibility(const Pod& p,
                                                            bool include_terminating) {
    static_assert(detail::check_pod_like<Pod>());
    using traits = pod_traits<Pod>;
    // Bound by reference first: traits may return the phase by value.
    const auto& phase_text = traits::phase(p);
    const std::string_view phase = phase_text;
    if (phase == pod_phase::failed) {
        return endpoint_eligibility::phase_failed;
    }
    if (phase == pod_phase::succeeded) {
        return endpoint_eligibility::phase_succeeded;
    }
    const auto& pod_ip = traits::pod_ip(p);
    const auto& ips = traits::pod_ips(p);
    if (std::string_view(pod_ip).empty() && std::begin(ips) == std::end(ips)) {
        return endpoint_eligibility::no_pod_ip;
    }
    if (!include_terminating && traits::terminating(p)) {
        return endpoint_eligibility::terminating;
    }
    return endpoint_eligibility::eligible;
}

/// Kubernetes' ShouldPodBeInEndpoints: pod_endpoint_eligibility(p, include_terminating) is
/// `eligible`. A pod is left out when its phase is Failed or Succeeded, when it has neither
/// podIP nor podIPs, or when it is terminating and `include_terminating` is false.
template <class Pod>
[[nodiscard]] bool should_pod_be_in_endpoints(const Pod& p, bool include_terminating) {
    return pod_endpoint_eligibility(p, include_terminating) == endpoint_eligibility::eligible;
}

// ---------------------------------------------------------------------------------------------
// IsPodReady
// ---------------------------------------------------------------------------------------------

/// What a pod's Ready condition says. Kubernetes' IsPodReady reads only the first condition of
/// type Ready.
enum class pod_ready_condition : std::uint8_t {
    /// Status "True": the pod is ready.
    true_,
    /// Status "False".
    false_,
    /// Any other status (Kubernetes writes "Unknown").
    unknown,
    /// The pod has no condition of type Ready.
    missing,
    /// Not ready, and the pod type says no more: only svcdisc's basic_pod exposes its
    /// conditions; other types are read through pod_traits' ready().
    not_true,
};

/// A pod's readiness as IsPodReady decides it, with the condition behind it.
struct pod_readiness {
    pod_ready_condition condition = pod_ready_condition::missing;
    /// The first Ready condition's status text (a view into the pod); empty when there is none
    /// or the pod type does not expose its conditions.
    std::string_view status;

    [[nodiscard]] bool ready() const noexcept { return condition == pod_ready_condition::true_; }
};

/// The pod's readiness and why (Kubernetes' IsPodReady). For basic_pod the first Ready
/// condition is read; for other pod types pod_traits' ready() decides, and a pod that is not
/// ready reports `not_true`.
///
/// Example:
///     p.status.conditions = {{"Ready", "False"}};
///     svcdisc::pod_readiness_of(p).condition;  // pod_ready_condition::false_
template <class Pod>
[[nodiscard]] pod_readiness pod_readiness_of(const Pod& p) {
    static_assert(detail::check_pod_like<Pod>());
    if constexpr (detail::is_basic_pod_v<Pod>) {
        for (const auto& condition : p.status.conditions) {
            if (std::string_view(condition.type) != "Ready") {
                continue;
            }
            const std::string_view status = condition.status;
            const pod_ready_condition kind = status == "True"    ? pod_ready_condition::true_
                                             : status == "False" ? pod_ready_condition::false_
                                                                 : pod_ready_condition::unknown;
            return {kind, status};
        }
        return {pod_ready_condition::missing, {}};
    } else {
        return {pod_traits<Pod>::ready(p) ? pod_ready_condition::true_
                                          : pod_ready_condition::not_true,
                {}};
    }
}

// ---------------------------------------------------------------------------------------------
// podToEndpointAddressForService
// ---------------------------------------------------------------------------------------------

/// Where the Endpoints controller takes the IP family of a pod's address from.
enum class address_family_source : std::uint8_t {
    /// The first entry of spec.ipFamilies.
    ip_families,
    /// No ipFamilies: the family of spec.clusterIP.
    cluster_ip,
    /// No ipFamilies and no clusterIP (a legacy headless Service): the family of the pod's own
    /// status.podIP.
    pod_ip,
};

/// The address the Endpoints controller publishes for a pod, or why it publishes none.
template <class Pod>
struct endpoint_address_choice {
    /// The family the address must have, and where that came from.
    ip_family family = ip_family::ipv4;
    address_family_source source = address_family_source::ip_families;
    /// The position in status.podIPs of the first IP of `family`; nullopt when the pod has none
    /// (it is then left out of the Endpoints; status.podIP alone is never used).
    std::optional<std::size_t> pod_ip_index;
    /// That IP as the pod spells it; empty when there is none.
    pod_ip_text_t<Pod> ip;

    [[nodiscard]] bool found() const noexcept { return pod_ip_index.has_value(); }
};

/// Kubernetes' podToEndpointAddressForService: the family is the Service's first ipFamilies
/// entry, else its clusterIP's family, else (legacy headless) the pod's podIP's family; the
/// address is the first podIPs entry of that family. Families follow k8s.io/utils'
/// IsIPv6String: text that is no IP counts as IPv4.
///
/// Example:
///     svc.spec.ip_families = {"IPv6", "IPv4"};
///     p.status.pod_ips = {"10.0.0.1", "fd00::1"};
///     auto a = svcdisc::pod_to_endpoint_address(svc, p);  // a.ip == "fd00::1", index 1
template <class Pod, class String>
[[nodiscard]] endpoint_address_choice<Pod> pod_to_endpoint_address(const basic_service<String>& svc,
                                                                   const Pod& p) {
    static_assert(detail::check_pod_like<Pod>());
    using traits = pod_traits<Pod>;
    endpoint_address_choice<Pod> choice;
    if (!svc.spec.ip_families.empty()) {
        choice.source = address_family_source::ip_families;
        choice.family = std::string_view(svc.spec.ip_families.front()) == "IPv6" ? ip_family::ipv6
                                                                                 : ip_family::ipv4;
    } else if (is_service_ip_set(svc)) {
        choice.source = address_family_source::cluster_ip;
        choice.family = ip_family_of(svc.spec.cluster_ip);
    } else {
        choice.source = address_family_source::pod_ip;
        const auto& pod_ip = traits::pod_ip(p);
        choice.family = ip_family_of(std::string_view(pod_ip));
    }
    const auto& ips = traits::pod_ips(p);
    std::size_t index = 0;
    for (const auto& candidate : ips) {
        const std::string_view text(candidate);
        if (ip_family_of(text) == choice.family) {
            choice.pod_ip_index = index;
            choice.ip = pod_ip_text_t<Pod>(text);
            break;
        }
        ++index;
    }
    return choice;
}

/// True when the Endpoints controller publishes addresses of a Service without ports: only a
/// headless one (clusterIP "None") may have none; any other Service without ports gets no
/// addresses at all.
template <class String>
[[nodiscard]] bool allows_portless_endpoints(const basic_service<String>& svc) noexcept {
    return svc.spec.ports.empty() && std::string_view(svc.spec.cluster_ip) == cluster_ip_none;
}

// ---------------------------------------------------------------------------------------------
// addresses or notReadyAddresses (the Endpoints controller's addEndpointSubset)
// ---------------------------------------------------------------------------------------------

/// Why an address is in `addresses` or in `notReadyAddresses` of its Endpoints subset.
enum class endpoints_list_reason : std::uint8_t {
    /// addresses: the pod's Ready condition is True.
    pod_ready,
    /// addresses: the pod is not ready, but the Service sets publishNotReadyAddresses.
    publish_not_ready_addresses,
    /// notReadyAddresses: the pod's Ready condition is not True.
    pod_not_ready,
};

/// Which list of its subset the Endpoints controller puts a pod's address in, and why.
struct endpoints_list_choice {
    /// True for `addresses`, false for `notReadyAddresses`.
    bool ready = false;
    endpoints_list_reason reason = endpoints_list_reason::pod_not_ready;
    pod_readiness readiness;
};

/// The list the Endpoints controller files a pod's address under: `addresses` when the pod is
/// ready (IsPodReady) or the Service publishes not-ready addresses, `notReadyAddresses`
/// otherwise. The Endpoints object has no terminating state: a terminating pod is left out
/// (pod_endpoint_eligibility) unless the Service publishes not-ready addresses, and then it is
/// listed as ready.
///
/// Example:
///     p.status.conditions = {};  // no Ready condition
///     svcdisc::endpoints_address_list(svc, p).reason;  // endpoints_list_reason::pod_not_ready
template <class Pod, class String>
[[nodiscard]] endpoints_list_choice endpoints_address_list(const basic_service<String>& svc,
                                                           const Pod& p) {
    const pod_readiness readiness = pod_readiness_of(p);
    if (readiness.ready()) {
        return {true, endpoints_list_reason::pod_ready, readiness};
    }
    if (svc.spec.publish_not_ready_addresses) {
        return {true, endpoints_list_reason::publish_not_ready_addresses, readiness};
    }
    return {false, endpoints_list_reason::pod_not_ready, readiness};
}

// ---------------------------------------------------------------------------------------------
// EndpointSlice conditions (podToEndpoint) and the node check (reconciler)
// ---------------------------------------------------------------------------------------------

/// Why an EndpointSlice endpoint's `ready` condition is what it is.
enum class endpoint_ready_reason : std::uint8_t {
    /// ready: the pod is serving (Ready condition True) and not terminating.
    pod_ready,
    /// ready although not serving or terminating: the Service sets publishNotReadyAddresses.
    publish_not_ready_addresses,
    /// not ready: the pod is terminating (whether or not it is still serving).
    terminating,
    /// not ready: the pod's Ready condition is not True.
    pod_not_ready,
};

/// The three conditions the EndpointSlice controller writes on a pod's endpoint, and why.
struct endpoint_slice_conditions {
    bool ready = false;
    /// The pod is ready (IsPodReady), terminating or not.
    bool serving = false;
    /// metadata.deletionTimestamp is set.
    bool terminating = false;
    endpoint_ready_reason ready_reason = endpoint_ready_reason::pod_not_ready;
    pod_readiness readiness;
};

/// The EndpointSlice controller's conditions for a pod (its podToEndpoint): serving is
/// IsPodReady, terminating is a set deletionTimestamp, and ready is publishNotReadyAddresses
/// or (serving and not terminating).
///
/// Example:
///     p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";  // Ready condition True
///     auto c = svcdisc::pod_endpoint_conditions(svc, p);
///     // c.ready == false, c.serving == true, c.terminating == true,
///     // c.ready_reason == endpoint_ready_reason::terminating
template <class Pod, class String>
[[nodiscard]] endpoint_slice_conditions pod_endpoint_conditions(const basic_service<String>& svc,
                                                                const Pod& p) {
    static_assert(detail::check_pod_like<Pod>());
    endpoint_slice_conditions c;
    c.readiness = pod_readiness_of(p);
    c.serving = c.readiness.ready();
    c.terminating = static_cast<bool>(pod_traits<Pod>::terminating(p));
    const bool publish_not_ready = svc.spec.publish_not_ready_addresses;
    c.ready = publish_not_ready || (c.serving && !c.terminating);
    c.ready_reason = c.serving && !c.terminating ? endpoint_ready_reason::pod_ready
                     : publish_not_ready ? endpoint_ready_reason::publish_not_ready_addresses
                     : c.terminating     ? endpoint_ready_reason::terminating
                                         : endpoint_ready_reason::pod_not_ready;
    return c;
}

/// What the EndpointSlice derivation assumes about a pod's node (docs/endpoint-slices.md).
///
/// Example:
///     svcdisc::endpoint_slice_options options;
///     options.node_policy = svcdisc::node_policy::assume_present;
enum class node_policy : std::uint8_t {
    /// Kubernetes' own rule: a pod whose nodeName is not among the given nodes (an empty
    /// nodeName included) is left out, unless the Service publishes not-ready addresses, in
    /// which case it is kept without a zone.
    upstream,
    /// Every non-empty nodeName names an existing node; its zone is known only when that node
    /// is among the given nodes. An empty nodeName is still never a known node.
    assume_present,
};

/// What looking up a pod's spec.nodeName among the known Nodes found.
enum class pod_node_lookup : std::uint8_t {
    /// A Node of that name is known (its zone, if labelled, goes on the endpoint).
    found,
    /// No such Node is known, but node_policy::assume_present takes it to exist (no zone).
    assumed,
    /// No such Node is known (node_policy::upstream).
    not_found,
    /// spec.nodeName is empty (the pod is not scheduled): never a known Node.
    no_node_name,
};

/// Classifies a pod's node for the EndpointSlice controller's node check: `listed` says whether
/// a Node named `node_name` is among the known ones.
///
/// Example:
///     svcdisc::pod_node_lookup_of("node-a", false, svcdisc::node_policy::upstream);
///     // pod_node_lookup::not_found
[[nodiscard]] constexpr pod_node_lookup pod_node_lookup_of(std::string_view node_name, bool listed,
                                                           node_policy policy) noexcept {
    if (node_name.empty()) {
        return pod_node_lookup::no_node_name;
    }
    if (listed) {
        return pod_node_lookup::found;
    }
    return policy == node_policy::assume_present ? pod_node_lookup::assumed
                                                 : pod_node_lookup::not_found;
}

/// Whether a pod passes the EndpointSlice controller's node check, and why.
struct endpoint_slice_node_check {
    pod_node_lookup lookup = pod_node_lookup::found;
    /// The Node is found or assumed, or the Service sets publishNotReadyAddresses (the pod is
    /// then kept without a zone).
    bool included = true;
};

/// The EndpointSlice reconciler's node check: a pod whose Node does not exist (an empty
/// nodeName included) is skipped, unless the Service publishes not-ready addresses.
///
/// Example:
///     auto n = svcdisc::endpoint_slice_node(svc, svcdisc::pod_node_lookup::no_node_name);
///     n.included;  // svc.spec.publish_not_ready_addresses
template <class String>
[[nodiscard]] endpoint_slice_node_check endpoint_slice_node(const basic_service<String>& svc,
                                                            pod_node_lookup lookup) noexcept {
    const bool known = lookup == pod_node_lookup::found || lookup == pod_node_lookup::assumed;
    return {lookup, known || svc.spec.publish_not_ready_addresses};
}

/// How many of the pod's status.podIPs the EndpointSlice controller puts on its endpoint in a
/// slice of `family` (its getEndpointAddresses): the IPs of that family. Text that is no IP is
/// not counted: the controller would write it as "<nil>", which the API server rejects, so
/// derive_endpoint_slices skips it. Zero means no endpoint of that address type.
template <class Pod>
[[nodiscard]] std::size_t endpoint_slice_address_count(const Pod& p, ip_family family) {
    static_assert(detail::check_pod_like<Pod>());
    std::size_t count = 0;
    const auto& ips = pod_traits<Pod>::pod_ips(p);
    for (const auto& ip : ips) {
        const auto address = ip_address::parse(std::string_view(ip));
        if (address && address->family() == family) {
            ++count;
        }
    }
    return count;
}

// ---------------------------------------------------------------------------------------------
// FindPort
// ---------------------------------------------------------------------------------------------

/// The outcome of Kubernetes' FindPort for one Service port on one pod.
enum class find_port_status : std::uint8_t {
    /// Resolved: targetPort is a number, used as is (never checked against declared ports).
    numeric,
    /// Resolved: a container or sidecar declares a port of that name and the Service port's
    /// protocol.
    named,
    /// Not resolved: containers or sidecars declare the name only with other protocols.
    other_protocol,
    /// Not resolved: only init containers that are not sidecars declare the name.
    init_container_only,
    /// Not resolved: no container declares the name.
    not_declared,
};

/// A targetPort resolved on a pod, or why it does not resolve.
///
/// `container` and `declared_protocol` are views into the pod. Pod types whose traits only
/// provide for_each_port leave `container` empty and `kind` unspecified, and cannot tell
/// init_container_only from not_declared.
struct find_port_result {
    find_port_status status = find_port_status::not_declared;
    /// numeric, named: the port number; 0 otherwise.
    std::int32_t number = 0;
    /// named: the declaring container; other_protocol, init_container_only: the first
    /// container declaring the name; empty otherwise.
    std::string_view container;
    container_kind kind = container_kind::regular;
    /// named, other_protocol, init_container_only: the protocol of that declaration.
    std::string_view declared_protocol;

    [[nodiscard]] bool resolved() const noexcept {
        return status == find_port_status::numeric || status == find_port_status::named;
    }
    /// The resolved number, nullopt when unresolved.
    [[nodiscard]] std::optional<std::int32_t> port() const noexcept {
        return resolved() ? std::optional<std::int32_t>(number) : std::nullopt;
    }
};

namespace detail {

/// Probe for the optional pod_traits function for_each_container_port.
struct container_port_visitor_probe {
    bool operator()(std::string_view, container_kind, std::string_view, std::int32_t,
                    std::string_view) const noexcept {
        return false;
    }
};

template <class Pod>
concept has_container_ports = requires(const Pod& p) {
    pod_traits<Pod>::for_each_container_port(p, container_port_visitor_probe{});
};

/// Calls visit(container, kind, port name, number, protocol) for every declared port, through
/// pod_traits' for_each_container_port where the pod type has it, else through for_each_port
/// (as `unspecified` containers without names, init containers that are not sidecars unseen).
template <class Pod, class Visit>
void for_each_container_port(const Pod& p, Visit&& visit) {
    if constexpr (has_container_ports<Pod>) {
        pod_traits<Pod>::for_each_container_port(p, visit);
    } else {
        pod_traits<Pod>::for_each_port(p, [&](std::string_view name, std::int32_t number,
                                              std::string_view protocol) {
            return visit(std::string_view(), container_kind::unspecified, name, number, protocol);
        });
    }
}

} // namespace detail

/// Kubernetes' FindPort with the reason: a numeric targetPort is used as is; a named one
/// resolves to the first port of that name and of the Service port's protocol, searching the
/// containers in order and then the init containers whose restartPolicy is Always (sidecars).
/// When nothing resolves, a declaration of the name with another protocol in a searched
/// container is reported before one in an init container that is not a sidecar.
///
/// Example:
///     // Service port: TCP, targetPort "dns"; container "c" declares dns 53/UDP only
///     auto r = svcdisc::find_port(p, svc.spec.ports[0]);
///     r.status;                            // find_port_status::other_protocol
///     r.container; r.declared_protocol;    // "c", "UDP"
template <class Pod, class String>
[[nodiscard]] find_port_result find_port(const Pod& p, const basic_service_port<String>& port) {
    static_assert(detail::check_pod_like<Pod>());
    if (!port.target_port.is_string()) {
        return {find_port_status::numeric, port.target_port.number(), {}, {}, {}};
    }
    const std::string_view wanted_name = port.target_port.text();
    const std::string_view wanted_protocol = port.protocol;
    std::optional<find_port_result> named;
    std::optional<find_port_result> other_protocol;
    std::optional<find_port_result> init_container_only;
    detail::for_each_container_port(p, [&](std::string_view container_name, container_kind kind,
                                           std::string_view name, std::int32_t number,
                                           std::string_view protocol) {
        if (name != wanted_name) {
            return false;
        }
        if (kind == container_kind::init) {
            if (!init_container_only) {
                init_container_only = {find_port_status::init_container_only, 0, container_name,
                                       kind, protocol};
            }
            return false;
        }
        if (protocol == wanted_protocol) {
            named = {find_port_status::named, number, container_name, kind, protocol};
            return true;
        }
        if (!other_protocol) {
            other_protocol = {find_port_status::other_protocol, 0, container_name, kind, protocol};
        }
        return false;
    });
    if (named) {
        return *named;
    }
    if (other_protocol) {
        return *other_protocol;
    }
    return init_container_only.value_or(find_port_result{});
}

/// Kubernetes' FindPort: the container port a Service port's targetPort names on this pod
/// (find_port(p, port).port()); nullopt when a name resolves nowhere.
template <class Pod, class String>
[[nodiscard]] std::optional<std::int32_t> find_target_port(const Pod& p,
                                                           const basic_service_port<String>& port) {
    return find_port(p, port).port();
}

// ---------------------------------------------------------------------------------------------
// ShouldSetHostname
// ---------------------------------------------------------------------------------------------

/// Kubernetes' ShouldSetHostname: an address carries the pod's hostname only when the hostname
/// is set and the pod's subdomain names this Service in the same namespace.
template <class Pod, class String>
[[nodiscard]] bool should_set_hostname(const Pod& p, const basic_service<String>& svc) {
    static_assert(detail::check_pod_like<Pod>());
    using traits = pod_traits<Pod>;
    return !std::string_view(traits::hostname(p)).empty() &&
           std::string_view(traits::subdomain(p)) == std::string_view(svc.metadata.name) &&
           std::string_view(traits::namespace_(p)) == std::string_view(svc.metadata.namespace_);
}

// ---------------------------------------------------------------------------------------------
// The whole verdict for one pod and one Service
// ---------------------------------------------------------------------------------------------

/// Every rule the two controllers apply to one pod for one Service, each with its reason.
///
/// All fields are filled whatever the earlier ones say, so a reader can list every reason at
/// once; in_endpoints and in_endpoint_slices combine them in the controllers' order. The
/// 1000-address cap of the Endpoints object is not part of it: ask endpoints_truncation_of with
/// the derived object.
///
/// Example:
///     const auto lookup = svcdisc::pod_node_lookup_of(p.spec.node_name, node_known,
///                                                     svcdisc::node_policy::upstream);
///     const auto m = svcdisc::endpoint_membership_of(svc, p, lookup);
///     if (!m.selection.selected()) {
///         // m.selection.status, .key, .wanted, .pod_value say why
///     } else if (!m.in_endpoints()) {
///         // m.endpoints_eligibility, m.address, m.ports say why
///     } else {
///         // m.endpoints_list.ready: addresses or notReadyAddresses, and m.endpoints_list.reason
///     }
template <class Pod>
struct endpoint_membership {
    endpoint_management management = endpoint_management::managed;
    pod_selection<Pod> selection;
    /// ShouldPodBeInEndpoints as the Endpoints controller asks it (terminating pods only with
    /// publishNotReadyAddresses) and as the EndpointSlice controller does (always).
    endpoint_eligibility endpoints_eligibility = endpoint_eligibility::eligible;
    endpoint_eligibility slices_eligibility = endpoint_eligibility::eligible;
    /// The Endpoints address (podToEndpointAddressForService).
    endpoint_address_choice<Pod> address;
    /// The Service has no ports and is headless, so addresses are published without ports.
    bool portless = false;
    /// Per Service port, in spec order: the targetPort's resolution (FindPort).
    std::vector<find_port_result> ports;
    endpoints_list_choice endpoints_list;
    endpoint_slice_conditions slice_conditions;
    endpoint_slice_node_check node;
    /// The pod's IPs an endpoint of each address type would carry (0: no such endpoint).
    std::size_t ipv4_slice_addresses = 0;
    std::size_t ipv6_slice_addresses = 0;

    /// True when the Endpoints controller lists the pod's address (before the 1000-address cap):
    /// managed, selected, eligible, an address of the family, and a resolved port or a portless
    /// headless Service.
    [[nodiscard]] bool in_endpoints() const noexcept {
        bool any_port = portless;
        for (const find_port_result& port : ports) {
            any_port = any_port || port.resolved();
        }
        return management == endpoint_management::managed && selection.selected() &&
               endpoints_eligibility == endpoint_eligibility::eligible && address.found() &&
               any_port;
    }

    /// True when the EndpointSlice controller writes an endpoint for the pod in a slice of
    /// `family`, provided the Service uses that address type: managed, selected, eligible, past
    /// the node check and with an IP of the family. Unresolved ports do not keep a pod out of
    /// slices; it lands in a slice without those ports.
    [[nodiscard]] bool in_endpoint_slices(ip_family family) const noexcept {
        const std::size_t addresses =
            family == ip_family::ipv4 ? ipv4_slice_addresses : ipv6_slice_addresses;
        return management == endpoint_management::managed && selection.selected() &&
               slices_eligibility == endpoint_eligibility::eligible && node.included &&
               addresses > 0;
    }
};

/// Everything the Endpoints and EndpointSlice controllers decide about pod `p` for `svc`, with
/// reasons (see endpoint_membership); `node_found` is the outcome of looking up the pod's node
/// (pod_node_lookup_of).
template <class Pod, class String>
[[nodiscard]] endpoint_membership<Pod>
endpoint_membership_of(const basic_service<String>& svc, const Pod& p, pod_node_lookup node_found) {
    const bool publish_not_ready = svc.spec.publish_not_ready_addresses;
    endpoint_membership<Pod> m;
    m.management = service_endpoint_management(svc);
    m.selection = service_pod_selection(svc, p);
    m.endpoints_eligibility = pod_endpoint_eligibility(p, publish_not_ready);
    m.slices_eligibility = pod_endpoint_eligibility(p, true);
    m.address = pod_to_endpoint_address(svc, p);
    m.portless = allows_portless_endpoints(svc);
    m.ports.reserve(svc.spec.ports.size());
    for (const auto& port : svc.spec.ports) {
        m.ports.push_back(find_port(p, port));
    }
    m.endpoints_list = endpoints_address_list(svc, p);
    m.slice_conditions = pod_endpoint_conditions(svc, p);
    m.node = endpoint_slice_node(svc, node_found);
    m.ipv4_slice_addresses = endpoint_slice_address_count(p, ip_family::ipv4);
    m.ipv6_slice_addresses = endpoint_slice_address_count(p, ip_family::ipv6);
    return m;
}

// ---------------------------------------------------------------------------------------------
// truncateEndpoints: was this pod's address cut?
// ---------------------------------------------------------------------------------------------

/// Whether the Endpoints controller's 1000-address cap (truncateEndpoints) cut a pod's address,
/// read from the Endpoints object itself.
struct endpoints_truncation {
    /// The object carries `endpoints.kubernetes.io/over-capacity: truncated`.
    bool over_capacity = false;
    /// Subsets that list the pod's address unless it was cut: those whose ports the pod serves
    /// (the portless subset of a portless headless Service). 0 when the rules leave the pod out.
    std::size_t subsets_serving = 0;
    /// Of those, the subsets that do list it (ready or not).
    std::size_t subsets_listing = 0;

    /// True when some subset that should list the pod's address does not: it was cut.
    [[nodiscard]] bool cut() const noexcept { return subsets_listing < subsets_serving; }
};

/// Whether the cap cut `p`'s address out of `eps`, the Endpoints derived for `svc`.
///
/// The pod's address belongs in every subset whose ports it serves (RepackSubsets groups ports
/// served by exactly the same addresses, and truncation empties lists but keeps the subsets and
/// their ports), so the answer compares those subsets with the ones that list its address
/// (same IP, targetRef with the pod's uid). A pod the rules leave out is never "cut".
///
/// Example:
///     const auto eps = svcdisc::derive_endpoints(svc, pods);
///     if (eps && svcdisc::endpoints_truncation_of(*eps, svc, pods[7]).cut()) {
///         // pods[7] is behind svc in its EndpointSlices only
///     }
template <class EndpointsString, class String, class Pod>
[[nodiscard]] endpoints_truncation
endpoints_truncation_of(const basic_endpoints<EndpointsString>& eps,
                        const basic_service<String>& svc, const Pod& p) {
    static_assert(detail::check_pod_like<Pod>());
    endpoints_truncation t;
    t.over_capacity =
        eps.metadata.annotations.find_value(endpoints_keys::over_capacity_annotation) ==
        endpoints_keys::over_capacity_truncated;
    if (service_endpoint_management(svc) != endpoint_management::managed ||
        !service_selects_pod(svc, p) ||
        !should_pod_be_in_endpoints(p, svc.spec.publish_not_ready_addresses)) {
        return t;
    }
    const auto address = pod_to_endpoint_address(svc, p);
    if (!address.found()) {
        return t;
    }
    const bool portless = allows_portless_endpoints(svc);
    std::vector<std::optional<std::int32_t>> numbers;
    numbers.reserve(svc.spec.ports.size());
    for (const auto& port : svc.spec.ports) {
        numbers.push_back(find_target_port(p, port));
    }
    const auto serves = [&](const basic_endpoint_port<EndpointsString>& ep) {
        for (std::size_t i = 0; i < numbers.size(); ++i) {
            const auto& sp = svc.spec.ports[i];
            const bool same_app_protocol =
                sp.app_protocol.has_value() == ep.app_protocol.has_value() &&
                (!sp.app_protocol ||
                 std::string_view(*sp.app_protocol) == std::string_view(*ep.app_protocol));
            if (numbers[i] && *numbers[i] == ep.port &&
                std::string_view(sp.name) == std::string_view(ep.name) &&
                std::string_view(sp.protocol) == std::string_view(ep.protocol) &&
                same_app_protocol) {
                return true;
            }
        }
        return false;
    };
    const auto& uid_text = pod_traits<Pod>::uid(p);
    const std::string_view uid = uid_text;
    const std::string_view ip = address.ip;
    const auto lists = [&](const std::vector<basic_endpoint_address<EndpointsString>>& list) {
        for (const auto& a : list) {
            if (std::string_view(a.ip) == ip && a.target_ref &&
                std::string_view(a.target_ref->uid) == uid) {
                return true;
            }
        }
        return false;
    };
    for (const auto& subset : eps.subsets) {
        bool serving = portless && subset.ports.empty();
        for (const auto& ep : subset.ports) {
            serving = serving || serves(ep);
        }
        if (!serving) {
            continue;
        }
        ++t.subsets_serving;
        if (lists(subset.addresses) || lists(subset.not_ready_addresses)) {
            ++t.subsets_listing;
        }
    }
    return t;
}

} // namespace svcdisc
