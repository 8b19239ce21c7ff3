#pragma once

/// Everything svcdisc offers, in one include.

#include <svcdisc/config.hpp>
#include <svcdisc/endpoint_rules.hpp>
#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/meta.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/result.hpp>
#include <svcdisc/service.hpp>
#include <svcdisc/version.hpp>
