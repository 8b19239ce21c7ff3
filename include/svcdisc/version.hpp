#pragma once

/// svcdisc's version; CMake reads these three lines, so this is the only place it is written.
#define SVCDISC_VERSION_MAJOR 0 // NOLINT(cppcoreguidelines-macro-usage)
#define SVCDISC_VERSION_MINOR 1 // NOLINT(cppcoreguidelines-macro-usage)
#define SVCDISC_VERSION_PATCH 0 // NOLINT(cppcoreguidelines-macro-usage)

#define SVCDISC_STRINGIFY_IMPL(x) #x                   // NOLINT(cppcoreguidelines-macro-usage)
#define SVCDISC_STRINGIFY(x) SVCDISC_STRINGIFY_IMPL(x) // NOLINT(cppcoreguidelines-macro-usage)

/// The version as text, e.g. "0.1.0".
#define SVCDISC_VERSION_STRING                                                                     \
    SVCDISC_STRINGIFY(SVCDISC_VERSION_MAJOR)                                                       \
    "." SVCDISC_STRINGIFY(SVCDISC_VERSION_MINOR) "." SVCDISC_STRINGIFY(SVCDISC_VERSION_PATCH)
