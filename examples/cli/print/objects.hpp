#pragma once

#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/meta.hpp>

#include "print/emitter.hpp"

namespace svcdisc_cli {

/// Model objects as `kubectl get -o json|yaml` prints them (keys sorted, empty fields left out
/// as Kubernetes' JSON tags say).
void emit_metadata(const svcdisc::object_meta& meta, emitter& out);
void emit_endpoints(const svcdisc::endpoints& eps, emitter& out);
void emit_slice(const svcdisc::endpoint_slice& slice, emitter& out);

} // namespace svcdisc_cli
