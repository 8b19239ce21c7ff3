#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <svcdisc/detail/controller/validate.hpp>
#include <svcdisc/labels.hpp>

#include "read/cluster.hpp"
#include "read/convert/endpoint_slice.hpp"
#include "read/convert/endpoints.hpp"
#include "read/convert/fields.hpp"
#include "read/convert/node.hpp"
#include "read/convert/pod.hpp"
#include "read/convert/service.hpp"
#include "read/convert/workloads.hpp"
#include "read/excerpt.hpp"
#include "read/manifest_kinds.hpp"

namespace svcdisc_cli {

inline constexpr std::string_view dns1123_subdomain_rule =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
inline constexpr std::string_view dns1035_label_rule =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
inline constexpr std::string_view dns1123_label_rule =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/// The API server's name rule for `kind` (ValidateObjectMeta with the kind's name validator):
/// a Service name is a DNS-1035 label (ValidateServiceName), every other kind svcdisc reads
/// a DNS-1123 subdomain (ValidatePodName, ValidateEndpointsName, ValidateEndpointSliceName,
/// ValidateNodeName). The message is empty when `name` is valid.
inline std::string name_problem(std::string_view name, std::string_view kind) {
    if (kind == "Service") {
        if (svcdisc::detail::is_dns1035_label(name)) {
            return {};
        }
        if (name.size() > svcdisc::max_dns1123_label_length) {
            return "must be no more than 63 characters";
        }
        return std::string(dns1035_label_rule);
    }
    if (svcdisc::is_dns1123_subdomain(name)) {
        return {};
    }
    if (name.size() > svcdisc::max_dns1123_subdomain_length) {
        return "must be no more than 253 characters";
    }
    return std::string(dns1123_subdomain_rule);
}

/// Every object needs a valid name (see name_problem), or a generateName the API server makes
/// one from, and, when namespaced, a valid namespace (a DNS-1123 label,
/// ValidateNamespaceName); a namespaced object without a namespace takes the default (`-n`), a
/// cluster-scoped one drops any.
///
/// The API server appends five random characters to generateName; svcdisc draws them from a
/// hash of the kind, namespace, generateName and how many objects of the input asked for that
/// same one before (svcdisc::detail::workloads::generated_name), so a name stays the same
/// from run to run.
inline void finish_metadata(svcdisc::object_meta& meta, std::string_view kind,
                            const std::string& default_namespace, cluster& out) {
    if (is_namespaced(kind) && !meta.namespace_.empty() &&
        !svcdisc::is_dns1123_label(meta.namespace_)) {
        throw field_problem{{{"metadata"}, {"namespace"}},
                            "invalid value " + quoted_excerpt(meta.namespace_) + ": " +
                                std::string(dns1123_label_rule)};
    }
    if (!is_namespaced(kind)) {
        meta.namespace_.clear();
    } else if (meta.namespace_.empty()) {
        meta.namespace_ = default_namespace;
    }
    if (meta.name.empty() && !meta.generate_name.empty()) {
        std::string seed =
            std::string(kind) + "/" + meta.namespace_ + "/" + meta.generate_name + "/";
        seed += std::to_string(out.generated_names[seed]++);
        meta.name = svcdisc::detail::workloads::generated_name(meta.generate_name, seed);
    }
    if (meta.name.empty()) {
        throw field_problem{{{"metadata"}, {"name"}},
                            "Required value: name or generateName is required"};
    }
    if (const auto problem = name_problem(meta.name, kind); !problem.empty()) {
        throw field_problem{{{"metadata"}, {"name"}},
                            "invalid value " + quoted_excerpt(meta.name) + ": " + problem};
    }
}

/// Converts the manifest `v` of kind `kind` into `out`, with the API server's defaults
/// applied; false (and nothing added) when svcdisc does not read that kind. Throws
/// field_problem for a field the API server would reject.
template <manifest_value Value>
inline bool convert_object(const Value& v, std::string_view kind, const origin& from,
                           const std::string& default_namespace, cluster& out) {
    field_reader<Value> r;
    if (kind == "Pod") {
        svcdisc::pod p;
        pod_extra extra;
        convert_pod(r, v, p, extra);
        finish_metadata(p.metadata, kind, default_namespace, out);
        svcdisc::apply_defaults(p);
        out.pods.push_back(std::move(p));
        out.pod_origins.push_back(from);
        out.pod_extras.push_back(std::move(extra));
    } else if (kind == "Service") {
        entry<svcdisc::service> e{{}, from, {}};
        convert_service(r, v, e.object);
        finish_metadata(e.object.metadata, kind, default_namespace, out);
        svcdisc::apply_defaults(e.object);
        out.services.push_back(std::move(e));
    } else if (kind == "Endpoints") {
        entry<svcdisc::endpoints> e{{}, from, {}};
        convert_endpoints(r, v, e.object);
        finish_metadata(e.object.metadata, kind, default_namespace, out);
        svcdisc::apply_defaults(e.object);
        out.endpoints_objects.push_back(std::move(e));
    } else if (kind == "EndpointSlice") {
        entry<svcdisc::endpoint_slice> e{{}, from, {}};
        convert_endpoint_slice(r, v, e.object);
        finish_metadata(e.object.metadata, kind, default_namespace, out);
        out.slices.push_back(std::move(e));
    } else if (kind == "Node") {
        entry<svcdisc::node, node_extra> e{{}, from, {}};
        convert_node(r, v, e.object, e.extra);
        finish_metadata(e.object.metadata, kind, default_namespace, out);
        out.nodes.push_back(std::move(e));
    } else if (is_workload_kind(kind)) {
        workload_entry e{{}, from, {}};
        convert_workload(r, v, kind, e.object, e.extra);
        std::visit(
            [&](auto& object) {
                finish_metadata(object.metadata, kind, default_namespace, out);
                svcdisc::apply_defaults(object);
            },
            e.object);
        check_workload_selector(e.object);
        out.workloads.push_back(std::move(e));
    } else {
        return false;
    }
    return true;
}

} // namespace svcdisc_cli
