#pragma once

// Test and benchmark support (not part of the library). Counts heap allocations by replacing the
// global operator new and delete, so tests can show that something never allocates and benchmarks
// can report allocations per call. Every non-aligned form is replaced, so each new/delete pair
// stays matched (the sanitizers check). Include this header in exactly one source file of a
// program.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace svcdisc_test {

/// Calls of the global operator new (any non-aligned form) since the program started.
inline std::atomic<std::uint64_t> allocation_count{0};

inline void* counted_allocation(std::size_t size) noexcept {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size == 0 ? 1 : size);
}

} // namespace svcdisc_test

// noinline: inlined into std::allocator, GCC warns that memory from operator new is released
// with free (-Wmismatched-new-delete), which is exactly the intent here.
[[gnu::noinline]] void* operator new(std::size_t size) {
    if (void* memory = svcdisc_test::counted_allocation(size)) {
        return memory;
    }
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](std::size_t size) {
    if (void* memory = svcdisc_test::counted_allocation(size)) {
        return memory;
    }
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return svcdisc_test::counted_allocation(size);
}
[[gnu::noinline]] void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return svcdisc_test::counted_allocation(size);
}
[[gnu::noinline]] void operator delete(void* memory) noexcept {
    std::free(memory);
}
[[gnu::noinline]] void operator delete[](void* memory) noexcept {
    std::free(memory);
}
[[gnu::noinline]] void operator delete(void* memory, std::size_t) noexcept {
    std::free(memory);
}
[[gnu::noinline]] void operator delete[](void* memory, std::size_t) noexcept {
    std::free(memory);
}
[[gnu::noinline]] void operator delete(void* memory, const std::nothrow_t&) noexcept {
    std::free(memory);
}
[[gnu::noinline]] void operator delete[](void* memory, const std::nothrow_t&) noexcept {
    std::free(memory);
}
