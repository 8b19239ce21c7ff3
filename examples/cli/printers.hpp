#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/service.hpp>

#include "emitter.hpp"

namespace svcdisc_cli {

/// A table as kubectl prints it: Go's tabwriter with minimum cell width 6 and 3 spaces of
/// padding; the last column is not padded.
struct table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    [[nodiscard]] std::string render(bool no_headers) const;
};

/// Seconds since the epoch now, or from $SVCDISC_NOW (RFC 3339) so output can be reproduced.
std::int64_t now_seconds();
/// An RFC 3339 timestamp as seconds since the epoch; nullopt when it does not parse.
std::optional<std::int64_t> parse_timestamp(std::string_view text);
/// kubectl's AGE cell: `<unknown>` without a timestamp, else a short duration such as `5m12s`,
/// `3h`, `12d` (apimachinery's HumanDuration).
std::string age_cell(const std::optional<std::string>& timestamp, std::int64_t now);

/// `k=v,k2=v2` sorted by key; `<none>` when empty (kubectl's labels.FormatLabels).
std::string format_labels(const svcdisc::label_set& labels);

/// kubectl's cells for Endpoints, EndpointSlices and Services.
std::string endpoints_cell(const svcdisc::endpoints& eps);
std::string slice_ports_cell(const svcdisc::endpoint_slice& slice);
std::string slice_endpoints_cell(const svcdisc::endpoint_slice& slice);
std::string service_cluster_ip_cell(const svcdisc::service& svc);
std::string service_external_ip_cell(const svcdisc::service& svc, bool wide);
std::string service_ports_cell(const svcdisc::service& svc);

/// Model objects as `kubectl get -o json|yaml` prints them (keys sorted, empty fields left out
/// as Kubernetes' JSON tags say).
void emit_metadata(const svcdisc::object_meta& meta, emitter& out);
void emit_endpoints(const svcdisc::endpoints& eps, emitter& out);
void emit_slice(const svcdisc::endpoint_slice& slice, emitter& out);

} // namespace svcdisc_cli
