#pragma once

/// Everything svcdisc offers, in one include.

#include <svcdisc/config.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/result.hpp>
#include <svcdisc/version.hpp>
