# The svcdisc CLI's manifest reader (read/: files, parser backends, conversion into the model;
# with the emitter that prints objects as read) as a static library, `svcdisc_cli_reader`,
# shared by the tool and the manifest reader's fuzz target (tests/fuzz/). Not defined when libyaml or simdjson is missing; the caller then says so.
if(TARGET svcdisc_cli_reader)
  return()
endif()
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(svcdisc_libyaml QUIET IMPORTED_TARGET yaml-0.1)
endif()
find_package(simdjson CONFIG QUIET)
if(NOT svcdisc_libyaml_FOUND OR NOT simdjson_FOUND)
  set(svcdisc_cli_missing "")
  if(NOT svcdisc_libyaml_FOUND)
    list(APPEND svcdisc_cli_missing "libyaml through pkg-config (Debian: libyaml-dev, pkg-config)")
  endif()
  if(NOT simdjson_FOUND)
    list(APPEND svcdisc_cli_missing "simdjson (Debian: libsimdjson-dev)")
  endif()
  list(JOIN svcdisc_cli_missing ", " svcdisc_cli_missing)
  message(STATUS "svcdisc: not building the svcdisc CLI reader: missing ${svcdisc_cli_missing}")
  return()
endif()

set(svcdisc_cli_dir "${CMAKE_CURRENT_LIST_DIR}")
add_library(svcdisc_cli_reader STATIC
  "${svcdisc_cli_dir}/read/files.cpp" "${svcdisc_cli_dir}/read/yaml_backend.cpp"
  "${svcdisc_cli_dir}/read/json_backend.cpp" "${svcdisc_cli_dir}/read/cluster.cpp"
  "${svcdisc_cli_dir}/read/input.cpp" "${svcdisc_cli_dir}/print/emitter.cpp")
target_include_directories(svcdisc_cli_reader PUBLIC "${svcdisc_cli_dir}")
target_link_libraries(svcdisc_cli_reader PUBLIC svcdisc::svcdisc simdjson::simdjson
                                         PRIVATE PkgConfig::svcdisc_libyaml)
svcdisc_enable_warnings(svcdisc_cli_reader)
