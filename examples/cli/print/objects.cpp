#include "print/objects.hpp"

#include <optional>
#include <utility>

namespace svcdisc_cli {

namespace {
void emit_map(std::string_view key, const svcdisc::label_set& labels, emitter& out) {
    out.key(key);
    out.begin_object();
    for (const auto& [k, v] : labels) {
        out.field(k, v);
    }
    out.end_object();
}

void emit_reference(const svcdisc::object_reference& ref, emitter& out) {
    out.begin_object();
    const std::pair<std::string_view, const std::string*> fields[] = {
        {"apiVersion", &ref.api_version},
        {"fieldPath", &ref.field_path},
        {"kind", &ref.kind},
        {"name", &ref.name},
        {"namespace", &ref.namespace_},
        {"resourceVersion", &ref.resource_version},
        {"uid", &ref.uid}};
    for (const auto& [k, v] : fields) {
        if (!v->empty()) {
            out.field(k, *v);
        }
    }
    out.end_object();
}

void emit_address(const svcdisc::endpoint_address& a, emitter& out) {
    out.begin_object();
    if (!a.hostname.empty()) {
        out.field("hostname", a.hostname);
    }
    out.field("ip", a.ip);
    if (a.node_name) {
        out.field("nodeName", *a.node_name);
    }
    if (a.target_ref) {
        out.key("targetRef");
        emit_reference(*a.target_ref, out);
    }
    out.end_object();
}
} // namespace

void emit_metadata(const svcdisc::object_meta& meta, emitter& out) {
    out.begin_object();
    if (!meta.annotations.empty()) {
        emit_map("annotations", meta.annotations, out);
    }
    if (meta.creation_timestamp) {
        out.field("creationTimestamp", *meta.creation_timestamp);
    }
    if (meta.deletion_timestamp) {
        out.field("deletionTimestamp", *meta.deletion_timestamp);
    }
    if (!meta.generate_name.empty()) {
        out.field("generateName", meta.generate_name);
    }
    if (!meta.labels.empty()) {
        emit_map("labels", meta.labels, out);
    }
    out.field("name", meta.name);
    if (!meta.namespace_.empty()) {
        out.field("namespace", meta.namespace_);
    }
    if (!meta.owner_references.empty()) {
        out.key("ownerReferences");
        out.begin_array();
        for (const auto& owner : meta.owner_references) {
            out.begin_object();
            out.field("apiVersion", owner.api_version);
            out.key("blockOwnerDeletion");
            out.boolean(owner.block_owner_deletion);
            out.key("controller");
            out.boolean(owner.controller);
            out.field("kind", owner.kind);
            out.field("name", owner.name);
            out.field("uid", owner.uid);
            out.end_object();
        }
        out.end_array();
    }
    if (!meta.resource_version.empty()) {
        out.field("resourceVersion", meta.resource_version);
    }
    if (!meta.uid.empty()) {
        out.field("uid", meta.uid);
    }
    out.end_object();
}

void emit_endpoints(const svcdisc::endpoints& eps, emitter& out) {
    out.begin_object();
    out.field("apiVersion", "v1");
    out.field("kind", "Endpoints");
    out.key("metadata");
    emit_metadata(eps.metadata, out);
    if (!eps.subsets.empty()) {
        out.key("subsets");
        out.begin_array();
        for (const auto& subset : eps.subsets) {
            out.begin_object();
            auto addresses = [&](std::string_view key,
                                 const std::vector<svcdisc::endpoint_address>& list) {
                if (list.empty()) {
                    return;
                }
                out.key(key);
                out.begin_array();
                for (const auto& a : list) {
                    emit_address(a, out);
                }
                out.end_array();
            };
            addresses("addresses", subset.addresses);
            addresses("notReadyAddresses", subset.not_ready_addresses);
            if (!subset.ports.empty()) {
                out.key("ports");
                out.begin_array();
                for (const auto& port : subset.ports) {
                    out.begin_object();
                    if (port.app_protocol) {
                        out.field("appProtocol", *port.app_protocol);
                    }
                    if (!port.name.empty()) {
                        out.field("name", port.name);
                    }
                    out.key("port");
                    out.integer(port.port);
                    out.field("protocol", port.protocol);
                    out.end_object();
                }
                out.end_array();
            }
            out.end_object();
        }
        out.end_array();
    }
    out.end_object();
}

void emit_slice(const svcdisc::endpoint_slice& slice, emitter& out) {
    out.begin_object();
    out.field("addressType", slice.address_type);
    out.field("apiVersion", "discovery.k8s.io/v1");
    out.key("endpoints");
    // `endpoints` and `ports` carry no omitempty upstream; an empty list comes back from the
    // API server as null.
    if (slice.endpoints.empty()) {
        out.null();
    } else {
        out.begin_array();
        for (const auto& e : slice.endpoints) {
            out.begin_object();
            out.key("addresses");
            out.begin_array();
            for (const auto& a : e.addresses) {
                out.string(a);
            }
            out.end_array();
            out.key("conditions");
            out.begin_object();
            const std::pair<std::string_view, std::optional<bool>> conditions[] = {
                {"ready", e.conditions.ready},
                {"serving", e.conditions.serving},
                {"terminating", e.conditions.terminating}};
            for (const auto& [k, v] : conditions) {
                if (v) {
                    out.key(k);
                    out.boolean(*v);
                }
            }
            out.end_object();
            if (e.hints) {
                out.key("hints");
                out.begin_object();
                auto names = [&](std::string_view key, const std::vector<std::string>& list) {
                    if (list.empty()) {
                        return;
                    }
                    out.key(key);
                    out.begin_array();
                    for (const auto& name : list) {
                        out.begin_object();
                        out.field("name", name);
                        out.end_object();
                    }
                    out.end_array();
                };
                names("forNodes", e.hints->for_nodes);
                names("forZones", e.hints->for_zones);
                out.end_object();
            }
            if (e.hostname) {
                out.field("hostname", *e.hostname);
            }
            if (e.node_name) {
                out.field("nodeName", *e.node_name);
            }
            if (e.target_ref) {
                out.key("targetRef");
                emit_reference(*e.target_ref, out);
            }
            if (e.zone) {
                out.field("zone", *e.zone);
            }
            out.end_object();
        }
        out.end_array();
    }
    out.field("kind", "EndpointSlice");
    out.key("metadata");
    emit_metadata(slice.metadata, out);
    out.key("ports");
    if (slice.ports.empty()) {
        out.null();
    } else {
        out.begin_array();
        for (const auto& port : slice.ports) {
            out.begin_object();
            if (port.app_protocol) {
                out.field("appProtocol", *port.app_protocol);
            }
            if (port.name) {
                out.field("name", *port.name);
            }
            if (port.port) {
                out.key("port");
                out.integer(*port.port);
            }
            if (port.protocol) {
                out.field("protocol", *port.protocol);
            }
            out.end_object();
        }
        out.end_array();
    }
    out.end_object();
}

} // namespace svcdisc_cli
