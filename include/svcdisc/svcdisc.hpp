#pragma once

/// Everything svcdisc offers, in one include.

#include <svcdisc/allocate.hpp>
#include <svcdisc/config.hpp>
#include <svcdisc/controller.hpp>
#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/derive_endpoints.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/fwd.hpp>
#include <svcdisc/go_text.hpp>
#include <svcdisc/hints.hpp>
#include <svcdisc/ip.hpp>
#include <svcdisc/label_selector.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/meta.hpp>
#include <svcdisc/mirror.hpp>
#include <svcdisc/near_misses.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/result.hpp>
#include <svcdisc/route.hpp>
#include <svcdisc/selector.hpp>
#include <svcdisc/selector_index.hpp>
#include <svcdisc/service.hpp>
#include <svcdisc/service_index.hpp>
#include <svcdisc/synthetic_cluster.hpp>
#include <svcdisc/version.hpp>
#include <svcdisc/workloads.hpp>
