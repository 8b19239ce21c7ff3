#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/detail/allocate/field_errors.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/service.hpp>

/// What the Service storage does to a new Service's IP family fields before any address is
/// allocated: the loose check of ValidateServiceClusterIPsRelatedFields, then the defaulting
/// and checks of the allocator's initIPFamilyFields (pkg/registry/core/service/storage), for a
/// create (there is no old object).
namespace svcdisc::detail::allocation {

inline constexpr std::string_view single_stack = "SingleStack";
inline constexpr std::string_view prefer_dual_stack = "PreferDualStack";
inline constexpr std::string_view require_dual_stack = "RequireDualStack";
inline constexpr std::string_view ipv4_name = "IPv4";
inline constexpr std::string_view ipv6_name = "IPv6";

constexpr std::string_view family_name(ip_family family) noexcept {
    return family == ip_family::ipv4 ? ipv4_name : ipv6_name;
}

constexpr ip_family other_family(ip_family family) noexcept {
    return family == ip_family::ipv4 ? ip_family::ipv6 : ip_family::ipv4;
}

/// The families the cluster has a Service range for, and the primary one (the family of the
/// first --service-cluster-ip-range entry).
struct cluster_families {
    ip_family primary = ip_family::ipv4;
    bool secondary_configured = false;

    [[nodiscard]] constexpr bool dual_stack() const noexcept { return secondary_configured; }
    [[nodiscard]] constexpr bool configured(ip_family family) const noexcept {
        return family == primary || secondary_configured;
    }
    /// Whether a family name from spec.ipFamilies has a range here ("IPv5" never does).
    [[nodiscard]] constexpr bool configured(std::string_view name) const noexcept {
        return (name == ipv4_name && configured(ip_family::ipv4)) ||
               (name == ipv6_name && configured(ip_family::ipv6));
    }
};

/// isHeadlessService: clusterIPs is exactly ["None"].
template <class String>
[[nodiscard]] bool is_headless(const basic_service_spec<String>& spec) noexcept {
    return spec.cluster_ips.size() == 1 && std::string_view(spec.cluster_ips[0]) == cluster_ip_none;
}

/// ValidateServiceClusterIPsRelatedFields for a Service that is not ExternalName: clusterIP and
/// clusterIPs agree, families and policy are known values, every clusterIPs entry is an IP (or
/// a lone "None"), at most two and one per family, each of the family its ipFamilies entry
/// names.
template <class String>
[[nodiscard]] std::vector<field_error>
validate_cluster_ips_related_fields(const basic_service_spec<String>& spec) {
    std::vector<field_error> errors;
    const std::string cluster_ips_field = "spec.clusterIPs";
    const std::string cluster_ips_value = go_string_slice(spec.cluster_ips);
    if (!std::string_view(spec.cluster_ip).empty()) {
        if (spec.cluster_ips.empty()) {
            errors.push_back(required(cluster_ips_field));
        } else if (std::string_view(spec.cluster_ips[0]) != std::string_view(spec.cluster_ip)) {
            errors.push_back(invalid(cluster_ips_field, cluster_ips_value,
                                     "first value must match `clusterIP`"));
        }
    } else if (!spec.cluster_ips.empty()) {
        errors.push_back(invalid(cluster_ips_field, cluster_ips_value,
                                 "must be empty when `clusterIP` is not specified"));
    }

    std::vector<std::string_view> seen_families;
    for (std::size_t i = 0; i < spec.ip_families.size(); ++i) {
        const std::string_view family = spec.ip_families[i];
        const std::string field = "spec.ipFamilies[" + std::to_string(i) + "]";
        if (family != ipv4_name && family != ipv6_name) {
            errors.push_back(not_supported(field, quoted(family), {ipv4_name, ipv6_name}));
        }
        for (const std::string_view seen : seen_families) {
            if (seen == family) {
                errors.push_back(duplicate(field, quoted(family)));
                break;
            }
        }
        seen_families.push_back(family);
    }

    const std::string_view policy = spec.ip_family_policy;
    if (!policy.empty() && policy != prefer_dual_stack && policy != require_dual_stack &&
        policy != single_stack) {
        errors.push_back(not_supported("spec.ipFamilyPolicy", quoted(policy),
                                       {prefer_dual_stack, require_dual_stack, single_stack}));
    }

    bool has_invalid_ips = false;
    for (std::size_t i = 0; i < spec.cluster_ips.size(); ++i) {
        const std::string_view ip = spec.cluster_ips[i];
        if (i == 0 && ip == cluster_ip_none) {
            if (spec.cluster_ips.size() > 1) {
                has_invalid_ips = true;
                errors.push_back(invalid(cluster_ips_field, cluster_ips_value,
                                         "'None' must be the first and only value"));
            }
            continue;
        }
        if (!ip_address::parse(ip)) {
            has_invalid_ips = true;
            errors.push_back(
                invalid(cluster_ips_field + "[" + std::to_string(i) + "]", quoted(ip),
                        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
        }
    }
    if (spec.cluster_ips.size() > 2) {
        errors.push_back(
            invalid(cluster_ips_field, cluster_ips_value, "may only hold up to 2 values"));
    }
    if (has_invalid_ips) {
        return errors;
    }

    if (spec.cluster_ips.size() > 1) {
        bool any_ipv4 = false;
        bool any_ipv6 = false;
        for (const auto& ip : spec.cluster_ips) {
            (is_ipv6_string(ip) ? any_ipv6 : any_ipv4) = true;
        }
        if (!(any_ipv4 && any_ipv6)) {
            errors.push_back(invalid(cluster_ips_field, cluster_ips_value,
                                     "may specify no more than one IP for each IP family"));
        }
    }

    if (!is_headless(spec) && !spec.cluster_ips.empty() && !spec.ip_families.empty()) {
        for (std::size_t i = 0; i < spec.cluster_ips.size() && i < spec.ip_families.size(); ++i) {
            const std::string_view ip = spec.cluster_ips[i];
            const std::string_view family = spec.ip_families[i];
            const std::string index = std::to_string(i);
            if (family == ipv4_name && is_ipv6_string(ip)) {
                errors.push_back(
                    invalid(cluster_ips_field + "[" + index + "]", quoted(ip),
                            "expected an IPv4 value as indicated by `ipFamilies[" + index + "]`"));
            }
            if (family == ipv6_name && !is_ipv6_string(ip)) {
                errors.push_back(
                    invalid(cluster_ips_field + "[" + index + "]", quoted(ip),
                            "expected an IPv6 value as indicated by `ipFamilies[" + index + "]`"));
            }
        }
    }
    return errors;
}

/// initIPFamilyFields for a create: defaults ipFamilyPolicy (RequireDualStack for a headless
/// Service without selector, SingleStack otherwise), checks the policy against the given
/// clusterIPs and ipFamilies, infers ipFamilies from clusterIPs, then completes ipFamilies from
/// the cluster (primary family first; the other family too when the policy asks for two and
/// the cluster has two). The headless selectorless case gets both families whatever the
/// cluster has. Returns the errors the API server would report; `spec` is then half-updated.
template <class String>
[[nodiscard]] std::vector<field_error> init_ip_family_fields(basic_service<String>& svc,
                                                             const cluster_families& cluster) {
    auto& spec = svc.spec;
    const bool headless_selectorless =
        std::string_view(spec.cluster_ip) == cluster_ip_none && !service_has_selector(svc);
    if (std::string_view(spec.ip_family_policy).empty()) {
        spec.ip_family_policy = String(headless_selectorless ? require_dual_stack : single_stack);
    }
    if (auto errors = validate_cluster_ips_related_fields(spec); !errors.empty()) {
        return errors;
    }

    std::vector<field_error> errors;
    const std::string_view policy = spec.ip_family_policy;
    const std::string policy_value = quoted(policy);
    if (policy == single_stack) {
        if (spec.cluster_ips.size() == 2) {
            errors.push_back(invalid("spec.ipFamilyPolicy", policy_value,
                                     "must be 'RequireDualStack' or 'PreferDualStack' when "
                                     "multiple cluster IPs are specified"));
        }
        if (spec.ip_families.size() == 2) {
            errors.push_back(invalid("spec.ipFamilyPolicy", policy_value,
                                     "must be 'RequireDualStack' or 'PreferDualStack' when "
                                     "multiple IP families are specified"));
        }
    }
    for (std::size_t i = 0; i < spec.cluster_ips.size(); ++i) {
        const std::string_view ip = spec.cluster_ips[i];
        if (ip == cluster_ip_none) {
            break;
        }
        if (i < spec.ip_families.size()) {
            continue;
        }
        const ip_family family = ip_family_of(ip);
        if (!cluster.configured(family)) {
            errors.push_back(invalid(
                "spec.clusterIPs[" + std::to_string(i) + "]", go_string_slice(spec.cluster_ips),
                std::string(family_name(family)) + " is not configured on this cluster"));
        } else {
            spec.ip_families.push_back(String(family_name(family)));
        }
    }
    if (!errors.empty()) {
        return errors;
    }

    const auto add_other_family = [&spec] {
        const bool first_is_ipv4 = std::string_view(spec.ip_families[0]) == ipv4_name;
        spec.ip_families.push_back(String(first_is_ipv4 ? ipv6_name : ipv4_name));
    };
    if (headless_selectorless) {
        if (spec.ip_families.empty()) {
            spec.ip_families.push_back(String(family_name(cluster.primary)));
        }
        if (spec.ip_families.size() < 2 && policy != single_stack) {
            add_other_family();
        }
        return {};
    }

    if (policy == require_dual_stack && !cluster.dual_stack()) {
        errors.push_back(invalid("spec.ipFamilyPolicy", policy_value,
                                 "this cluster is not configured for dual-stack services"));
    }
    for (std::size_t i = 0; i < spec.ip_families.size(); ++i) {
        const std::string_view family = spec.ip_families[i];
        if (!cluster.configured(family)) {
            errors.push_back(invalid("spec.ipFamilies[" + std::to_string(i) + "]", quoted(family),
                                     "not configured on this cluster"));
        }
    }
    if (!errors.empty()) {
        return errors;
    }
    if (spec.ip_families.empty()) {
        spec.ip_families.push_back(String(family_name(cluster.primary)));
    }
    if (policy != single_stack && spec.ip_families.size() == 1 && cluster.dual_stack()) {
        add_other_family();
    }
    return {};
}

} // namespace svcdisc::detail::allocation
