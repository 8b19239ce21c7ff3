#pragma once

#include <cassert>

/// Precondition check on hot paths (matching, index queries): a debug-build assert by default.
/// Define SVCDISC_ASSERT before including any svcdisc header to route it elsewhere.
#ifndef SVCDISC_ASSERT
#define SVCDISC_ASSERT(condition) assert(condition) // NOLINT(cppcoreguidelines-macro-usage)
#endif
