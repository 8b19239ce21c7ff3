#pragma once

#include <stdexcept>

#include <svcdisc/config.hpp>

/// The library's throws, out of line so that the hot code calling them stays small.
namespace svcdisc::detail {

/// Throws std::invalid_argument(message): a caller broke a documented precondition.
[[noreturn]] SVCDISC_NOINLINE inline void throw_invalid_argument(const char* message) {
    throw std::invalid_argument(message);
}

/// Throws std::length_error(message): a container ran out of its id space.
[[noreturn]] SVCDISC_NOINLINE inline void throw_length_error(const char* message) {
    throw std::length_error(message);
}

/// Throws std::logic_error(message): an accessor was used against its state.
[[noreturn]] SVCDISC_NOINLINE inline void throw_logic_error(const char* message) {
    throw std::logic_error(message);
}

} // namespace svcdisc::detail
