#pragma once

// The text of kubectl's table cells (k8s.io/kubernetes/pkg/printers/internalversion).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/service.hpp>

#include "read/timestamp.hpp"

namespace svcdisc_cli {

/// Seconds since the epoch now, or from $SVCDISC_NOW (RFC 3339) so output can be reproduced.
std::int64_t now_seconds();
/// kubectl's AGE cell: `<unknown>` without a timestamp, else a short duration such as `5m12s`,
/// `3h`, `12d` (apimachinery's HumanDuration).
std::string age_cell(const std::optional<std::string>& timestamp, std::int64_t now);
/// `seconds` as kubectl's short duration (HumanDuration): `5m12s`, `3h`, `12d`.
std::string duration_cell(std::int64_t seconds);

/// `text`, or `<none>` when it is empty.
std::string or_none(const std::string& text);

/// `k=v,k2=v2` sorted by key; `<none>` when empty (kubectl's labels.FormatLabels).
std::string format_labels(const svcdisc::label_set& labels);

/// kubectl's cells for Endpoints, EndpointSlices, Services and Nodes.
std::string endpoints_cell(const svcdisc::endpoints& eps);
std::string slice_ports_cell(const svcdisc::endpoint_slice& slice);
std::string slice_endpoints_cell(const svcdisc::endpoint_slice& slice);
std::string service_cluster_ip_cell(const svcdisc::service& svc);
std::string service_external_ip_cell(const svcdisc::service& svc, bool wide);
std::string service_ports_cell(const svcdisc::service& svc);
std::string node_status_cell(const svcdisc::node& n, bool unschedulable);
std::string node_roles_cell(const svcdisc::node& n);

} // namespace svcdisc_cli
