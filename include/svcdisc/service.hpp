#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/go_text.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/meta.hpp>

namespace svcdisc {

/// Service types as Kubernetes spells them.
namespace service_type {
inline constexpr std::string_view cluster_ip = "ClusterIP";
inline constexpr std::string_view node_port = "NodePort";
inline constexpr std::string_view load_balancer = "LoadBalancer";
inline constexpr std::string_view external_name = "ExternalName";
} // namespace service_type

/// `spec.internalTrafficPolicy` / `spec.externalTrafficPolicy` values.
namespace traffic_policy_names {
inline constexpr std::string_view cluster = "Cluster";
inline constexpr std::string_view local = "Local";
} // namespace traffic_policy_names

/// The clusterIP value that makes a Service headless.
inline constexpr std::string_view cluster_ip_none = "None";

/// Kubernetes' IntOrString, as used by a Service port's targetPort.
template <class String>
class basic_int_or_string {
  public:
    basic_int_or_string() = default;
    basic_int_or_string(std::int32_t number) : number_(number) {} // NOLINT(*-explicit-*)
    basic_int_or_string(String text) : is_string_(true), text_(std::move(text)) {} // NOLINT

    [[nodiscard]] bool is_string() const noexcept { return is_string_; }
    /// The number (0 when this holds a string).
    [[nodiscard]] std::int32_t number() const noexcept { return number_; }
    /// The text (empty when this holds a number).
    [[nodiscard]] const String& text() const noexcept { return text_; }

    friend bool operator==(const basic_int_or_string&, const basic_int_or_string&) = default;

  private:
    bool is_string_ = false;
    std::int32_t number_ = 0;
    String text_;
};

/// One port of a Service (Kubernetes' ServicePort).
template <class String>
struct basic_service_port {
    String name;
    String protocol;
    std::optional<String> app_protocol;
    std::int32_t port = 0;
    basic_int_or_string<String> target_port;
    std::int32_t node_port = 0;

    friend bool operator==(const basic_service_port&, const basic_service_port&) = default;
};

/// The parts of a Service's spec that service discovery (and `kubectl get`) read.
///
/// `selector` distinguishes absent (nullopt) from present; svcdisc treats an empty selector
/// like an absent one (docs/model.md), see service_has_selector.
template <class String>
struct basic_service_spec {
    std::optional<basic_label_set<String>> selector;
    String type;
    String cluster_ip;
    std::vector<String> cluster_ips;
    std::vector<String> ip_families;
    String ip_family_policy;
    std::vector<String> external_ips;
    String external_name;
    bool publish_not_ready_addresses = false;
    std::vector<basic_service_port<String>> ports;
    std::optional<String> traffic_distribution;
    /// `Cluster` or `Local`; unset only on ExternalName Services once defaults are applied.
    std::optional<String> internal_traffic_policy;
    /// `Cluster` or `Local`; empty unless the Service is NodePort or LoadBalancer (API default
    /// `Cluster` for those).
    String external_traffic_policy;

    friend bool operator==(const basic_service_spec&, const basic_service_spec&) = default;
};

/// The parts of a Service's status `kubectl get` shows (load-balancer ingress IPs/hostnames).
template <class String>
struct basic_service_status {
    std::vector<String> load_balancer_ingress;

    friend bool operator==(const basic_service_status&, const basic_service_status&) = default;
};

/// A Service, shaped like the Kubernetes object.
///
/// Example:
///     svcdisc::service svc;
///     svc.metadata.name = "my-service";
///     svc.spec.selector = svcdisc::label_set{{"app", "MyApp"}};
///     auto& port = svc.spec.ports.emplace_back();
///     port.port = 80;
///     port.target_port = 9376;
template <class String>
struct basic_service {
    basic_object_meta<String> metadata;
    basic_service_spec<String> spec;
    basic_service_status<String> status;

    friend bool operator==(const basic_service&, const basic_service&) = default;
};

using int_or_string = basic_int_or_string<std::string>;
using service_port = basic_service_port<std::string>;
using service = basic_service<std::string>;

/// Applies the API server's defaults for services (SetDefaults_Service, SetDefaults_ServicePort;
/// docs/model.md): an empty type becomes
/// ClusterIP; a port without protocol gets TCP; a targetPort of 0 or "" becomes the port; an
/// unset internalTrafficPolicy becomes Cluster (not on ExternalName Services), an empty
/// externalTrafficPolicy of a NodePort or LoadBalancer Service becomes Cluster.
/// svcdisc's readers call this once, on ingest.
template <class String>
void apply_defaults(basic_service<String>& svc) {
    if (std::string_view(svc.spec.type).empty()) {
        svc.spec.type = String(service_type::cluster_ip);
    }
    const std::string_view type = svc.spec.type;
    if (type != service_type::external_name && !svc.spec.internal_traffic_policy) {
        svc.spec.internal_traffic_policy = String(traffic_policy_names::cluster);
    }
    if ((type == service_type::node_port || type == service_type::load_balancer) &&
        std::string_view(svc.spec.external_traffic_policy).empty()) {
        svc.spec.external_traffic_policy = String(traffic_policy_names::cluster);
    }
    for (auto& port : svc.spec.ports) {
        if (std::string_view(port.protocol).empty()) {
            port.protocol = String(default_protocol);
        }
        const auto& target = port.target_port;
        if ((target.is_string() && std::string_view(target.text()).empty()) ||
            (!target.is_string() && target.number() == 0)) {
            port.target_port = basic_int_or_string<String>(port.port);
        }
    }
}

/// Kubernetes' IsServiceIPSet: clusterIP is neither empty nor "None". When false the Service is
/// headless and its Endpoints and slices carry the headless label.
template <class String>
[[nodiscard]] bool is_service_ip_set(const basic_service<String>& svc) noexcept {
    const std::string_view ip = svc.spec.cluster_ip;
    return !ip.empty() && ip != cluster_ip_none;
}

/// Every reason `name` is not a valid port name (Kubernetes' IsValidPortName: an IANA service
/// name), in Kubernetes' words and order; empty when valid. Container port names and named
/// targetPorts must pass it (Kubernetes' validateServicePort).
///
/// Example:
///     svcdisc::port_name_errors("http-web");  // {}
///     svcdisc::port_name_errors("-8080");     // {"must contain at least one letter (a-z)",
///                                             //  "must not begin or end with a hyphen"}
[[nodiscard]] inline std::vector<std::string> port_name_errors(std::string_view name) {
    const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::vector<std::string> errors;
    if (name.size() > 15) {
        errors.emplace_back("must be no more than 15 characters");
    }
    const bool charset_ok = !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
        return lower(c) || digit(c) || c == '-';
    });
    if (!charset_ok) {
        errors.emplace_back(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (std::none_of(name.begin(), name.end(), lower)) {
        errors.emplace_back("must contain at least one letter (a-z)");
    }
    if (name.find("--") != std::string_view::npos) {
        errors.emplace_back("must not contain consecutive hyphens");
    }
    if (!name.empty() && (name.front() == '-' || name.back() == '-')) {
        errors.emplace_back("must not begin or end with a hyphen");
    }
    return errors;
}

/// What service_spec_errors found.
enum class service_spec_problem : std::uint8_t {
    /// A Service with more than one port has a port without a name.
    port_name_required,
    /// A port repeats the name of an earlier port.
    duplicate_port_name,
    /// `type: ExternalName` without spec.externalName (a lone trailing dot counts as none).
    external_name_required,
    /// `type: ExternalName` with clusterIP(s), ipFamilies or ipFamilyPolicy set.
    forbidden_for_external_name,
};

/// One error of service_spec_errors, as the API server words it.
struct service_spec_error {
    service_spec_problem problem = service_spec_problem::port_name_required;
    /// The field path, e.g. `spec.ports[1].name`.
    std::string field;
    /// The whole error as the API server prints it, e.g. `spec.ports[1].name: Required value`.
    std::string message;
    /// port_name_required, duplicate_port_name: the port's index.
    std::size_t port = 0;
    /// duplicate_port_name: the index of the earlier port of that name.
    std::size_t first_port = 0;
};

/// The errors Kubernetes' ValidateService reports for the relations between a Service's fields
/// that svcdisc reads without refusing (each field alone is checked on input): in a Service with
/// several ports every port needs a name and no name may repeat (validateServicePort), and an
/// ExternalName Service needs spec.externalName and may not set clusterIPs, ipFamilies or
/// ipFamilyPolicy (the API server copies clusterIP into clusterIPs before it validates). In the
/// API server's order; empty when none applies.
///
/// Example:
///     // ports: [{name: http, port: 80}, {port: 443}]
///     svcdisc::service_spec_errors(svc)[0].message;  // "spec.ports[1].name: Required value"
template <class String>
[[nodiscard]] std::vector<service_spec_error>
service_spec_errors(const basic_service<String>& svc) {
    std::vector<service_spec_error> errors;
    const auto& ports = svc.spec.ports;
    for (std::size_t i = 0; i < ports.size(); ++i) {
        const std::string_view name = ports[i].name;
        const std::string field = "spec.ports[" + std::to_string(i) + "].name";
        if (name.empty()) {
            if (ports.size() > 1) {
                errors.push_back({service_spec_problem::port_name_required, field,
                                  field + ": Required value", i, 0});
            }
            continue;
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (std::string_view(ports[j].name) == name) {
                errors.push_back({service_spec_problem::duplicate_port_name, field,
                                  field + ": Duplicate value: " + go_quote(name), i, j});
                break;
            }
        }
    }
    if (std::string_view(svc.spec.type) != service_type::external_name) {
        return errors;
    }
    const auto forbid = [&](std::string_view field) {
        errors.push_back(
            {service_spec_problem::forbidden_for_external_name, std::string(field),
             std::string(field) + ": Forbidden: may not be set for ExternalName services", 0, 0});
    };
    if (!std::string_view(svc.spec.cluster_ip).empty() || !svc.spec.cluster_ips.empty()) {
        forbid("spec.clusterIPs");
    }
    if (!svc.spec.ip_families.empty()) {
        forbid("spec.ipFamilies");
    }
    if (!std::string_view(svc.spec.ip_family_policy).empty()) {
        forbid("spec.ipFamilyPolicy");
    }
    std::string_view cname = svc.spec.external_name;
    if (!cname.empty() && cname.back() == '.') {
        cname.remove_suffix(1);
    }
    if (cname.empty()) {
        errors.push_back({service_spec_problem::external_name_required, "spec.externalName",
                          "spec.externalName: Required value", 0, 0});
    }
    return errors;
}

/// True when the Service has a non-empty selector, i.e. the Endpoints and EndpointSlice
/// controllers manage its endpoints. An absent or empty selector means "managed externally"
/// (docs/model.md: over the API the two cannot be told apart).
template <class String>
[[nodiscard]] bool service_has_selector(const basic_service<String>& svc) noexcept {
    return svc.spec.selector.has_value() && !svc.spec.selector->empty();
}

/// True when the Endpoints and EndpointSlice controllers derive this Service's endpoints: it has
/// a selector and is not `type: ExternalName` (both controllers' syncService). Otherwise they
/// leave whatever
/// Endpoints and slices exist alone.
template <class String>
[[nodiscard]] bool endpoint_controllers_manage(const basic_service<String>& svc) noexcept {
    return std::string_view(svc.spec.type) != service_type::external_name &&
           service_has_selector(svc);
}

/// True when a Service selector (a plain map, equality only) selects `labels`: the map is not
/// empty and every entry is present in `labels` with an equal value. An empty map selects
/// nothing, like an absent one: such a Service is not managed (docs/model.md). This differs
/// from an empty label_selector (parse_selector("")), which matches everything.
template <label_map Selector, label_map Labels>
[[nodiscard]] bool service_selector_matches(const Selector& selector,
                                            const Labels& labels) noexcept {
    if (std::begin(selector) == std::end(selector)) {
        return false;
    }
    if constexpr (detail::is_basic_label_set_v<Selector> && detail::is_basic_label_set_v<Labels>) {
        // Both sides are sorted by key: one merge walk instead of a search per entry, since
        // this test runs for every candidate pod of every Service.
        auto candidate = labels.begin();
        for (const auto& [key, value] : selector) {
            const std::string_view wanted = key;
            while (candidate != labels.end() && std::string_view(candidate->first) < wanted) {
                ++candidate;
            }
            if (candidate == labels.end() || std::string_view(candidate->first) != wanted ||
                std::string_view(candidate->second) != std::string_view(value)) {
                return false;
            }
            ++candidate;
        }
        return true;
    } else {
        for (const auto& [key, value] : selector) {
            const auto found = find_label(labels, std::string_view(key));
            if (!found || *found != std::string_view(value)) {
                return false;
            }
        }
        return true;
    }
}

} // namespace svcdisc
