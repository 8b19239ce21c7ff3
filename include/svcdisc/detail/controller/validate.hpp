#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/endpoints.hpp>
#include <svcdisc/go_text.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

/// The API server's checks the controller needs before it takes an object: names and
/// namespaces (ValidateObjectMeta with each kind's name rule) and labels (ValidateLabels), plus a
/// Service's selector. The first problem found is reported, in the API server's words.
namespace svcdisc::detail {

/// Kubernetes' IsDNS1035Label, the name rule of Services: a DNS-1123 label that starts with a
/// letter.
[[nodiscard]] constexpr bool is_dns1035_label(std::string_view text) noexcept {
    return is_dns1123_label(text) && text.front() >= 'a' && text.front() <= 'z';
}

/// The first invalid key or value of a label map (ValidateLabels), or nullopt.
template <class Labels>
[[nodiscard]] std::optional<std::string> label_map_problem(const Labels& labels,
                                                           std::string_view field) {
    for (const auto& [key, value] : labels) {
        // The allocation-free checks pass nearly every label; only a failing one is examined
        // again for the API server's message.
        if (is_valid_label_key(std::string_view(key)) &&
            is_valid_label_value(std::string_view(value))) {
            continue;
        }
        if (const auto errors = label_key_errors(std::string_view(key)); !errors.empty()) {
            return std::string(field) + ": Invalid value: " + go_quote(std::string_view(key)) +
                   ": " + errors.front();
        }
        if (const auto errors = label_value_errors(std::string_view(value)); !errors.empty()) {
            return std::string(field) + ": Invalid value: " + go_quote(std::string_view(value)) +
                   ": " + errors.front();
        }
    }
    return std::nullopt;
}

/// The first problem of an object's metadata, or nullopt. `kind` is the object's kind as the
/// API server names it in messages; `namespaced` says whether the kind lives in a namespace;
/// `service_name` selects the DNS-1035 rule of Service names instead of DNS-1123 subdomains.
template <class String>
[[nodiscard]] std::optional<std::string> object_meta_problem(const basic_object_meta<String>& meta,
                                                             bool namespaced, bool service_name) {
    const std::string_view name = meta.name;
    if (name.empty()) {
        return std::string("metadata.name: Required value: name or generateName is required");
    }
    if (service_name ? !is_dns1035_label(name) : !is_dns1123_subdomain(name)) {
        return "metadata.name: Invalid value: " + go_quote(name) +
               (service_name ? ": a DNS-1035 label must consist of lower case alphanumeric "
                               "characters or '-', start with an alphabetic character, and end "
                               "with an alphanumeric character"
                             : ": a lowercase RFC 1123 subdomain must consist of lower case "
                               "alphanumeric characters, '-' or '.', and must start and end with "
                               "an alphanumeric character");
    }
    const std::string_view ns = meta.namespace_;
    if (namespaced && ns.empty()) {
        return std::string("metadata.namespace: Required value");
    }
    if (namespaced && !is_dns1123_label(ns)) {
        return "metadata.namespace: Invalid value: " + go_quote(ns) +
               ": a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
               "or '-', and must start and end with an alphanumeric character";
    }
    if (!namespaced && !ns.empty()) {
        return "metadata.namespace: Forbidden: not allowed on this type";
    }
    return label_map_problem(meta.labels, "metadata.labels");
}

template <class String>
[[nodiscard]] std::optional<std::string> object_problem(const basic_pod<String>& p) {
    return object_meta_problem(p.metadata, true, false);
}

template <class String>
[[nodiscard]] std::optional<std::string> object_problem(const basic_service<String>& svc) {
    if (auto problem = object_meta_problem(svc.metadata, true, true)) {
        return problem;
    }
    if (svc.spec.selector) {
        return label_map_problem(*svc.spec.selector, "spec.selector");
    }
    return std::nullopt;
}

template <class String>
[[nodiscard]] std::optional<std::string> object_problem(const basic_endpoints<String>& eps) {
    return object_meta_problem(eps.metadata, true, false);
}

template <class String>
[[nodiscard]] std::optional<std::string> object_problem(const basic_node<String>& n) {
    return object_meta_problem(n.metadata, false, false);
}

} // namespace svcdisc::detail
