#pragma once

/// The pure derivations in one include: (service, pods, nodes) → Endpoints
/// (derive_endpoints.hpp), EndpointSlices (derive_endpoint_slices.hpp), and the slices mirrored
/// from hand-written Endpoints (mirror.hpp).

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/mirror.hpp>
