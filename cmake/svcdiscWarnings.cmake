# The warning set of STYLE.md, for svcdisc's own tests, examples and benchmarks only; the
# INTERFACE library never carries flags into a consumer's build. Presets turn these into errors
# through CMAKE_COMPILE_WARNING_AS_ERROR, so a newcomer on a newer compiler still gets a build.
function(svcdisc_enable_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wold-style-cast
    -Wnon-virtual-dtor -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
    -Wextra-semi -Wundef)
  # -Wnull-dereference only sees anything once the optimiser runs, and there GCC 12 reports
  # false positives inside libstdc++'s std::vector and std::string (inlined resize, destructor
  # and error paths). Optimised GCC builds drop it; Debug and Clang builds keep it.
  target_compile_options(${target} PRIVATE
    $<$<AND:$<CXX_COMPILER_ID:GNU>,$<NOT:$<CONFIG:Debug>>>:-Wno-null-dereference>)
endfunction()
