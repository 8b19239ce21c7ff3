#pragma once

/// Build configuration shared by every svcdisc header: the precondition check and the few
/// compiler hints the hot paths rely on, each with a portable fallback.
///
///   SVCDISC_ASSERT(condition)   a precondition (index ids, non-empty address lists); a
///                               debug-build assert unless defined before any svcdisc header
///   SVCDISC_ALWAYS_INLINE       forces inlining where a call would cost as much as the work
///   SVCDISC_NOINLINE            keeps cold code (error paths, throws) out of hot callers

#include <cassert>

#ifndef SVCDISC_ASSERT
#define SVCDISC_ASSERT(condition) assert(condition) // NOLINT(cppcoreguidelines-macro-usage)
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SVCDISC_ALWAYS_INLINE [[gnu::always_inline]] inline // NOLINT(cppcoreguidelines-macro-usage)
#define SVCDISC_NOINLINE [[gnu::noinline]]                  // NOLINT(cppcoreguidelines-macro-usage)
#else
#define SVCDISC_ALWAYS_INLINE inline // NOLINT(cppcoreguidelines-macro-usage)
#define SVCDISC_NOINLINE             // NOLINT(cppcoreguidelines-macro-usage)
#endif
