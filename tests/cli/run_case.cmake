# Runs one CLI test case: cases/NAME.cmd holds the arguments (shell-quoted, one line; lines
# starting with '#' are comments; a line `stdin: FILE` feeds FILE on standard input, a line
# `stdin-generated: HEAD | UNIT | COUNT | TAIL` a generated text). The
# expected standard output, standard error and exit code are cases/NAME.out, NAME.err and
# NAME.code (missing .out/.err mean "empty", missing .code means 0).
#
# Usage: cmake -DSVCDISC=<binary> -DCASE=<.cmd file> -P run_case.cmake (run in fixtures/).
get_filename_component(case_dir "${CASE}" DIRECTORY)
get_filename_component(name "${CASE}" NAME_WE)
file(STRINGS "${CASE}" lines)
set(arguments "")
set(input_file "")
foreach(line IN LISTS lines)
  if(line MATCHES "^#" OR line STREQUAL "")
    continue()
  elseif(line MATCHES "^stdin: (.*)$")
    set(input_file "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^stdin-generated: (.*) \\| (.*) \\| ([0-9]+) \\| (.*)$")
    # HEAD | UNIT | COUNT | TAIL: standard input is HEAD, UNIT COUNT times, then TAIL (an input
    # too big to keep as a fixture), written to SCRATCH (or the temporary directory).
    string(REPEAT "${CMAKE_MATCH_2}" ${CMAKE_MATCH_3} body)
    if(NOT SCRATCH)
      set(SCRATCH "$ENV{TMPDIR}")
      if(NOT SCRATCH)
        set(SCRATCH "/tmp")
      endif()
    endif()
    set(input_file "${SCRATCH}/${name}.stdin")
    file(WRITE "${input_file}" "${CMAKE_MATCH_1}${body}${CMAKE_MATCH_4}")
  else()
    separate_arguments(arguments UNIX_COMMAND "${line}")
  endif()
endforeach()

# Ages are relative to "now"; pin it so expected tables do not change with the date.
set(ENV{SVCDISC_NOW} "2024-05-02T10:00:00Z")
if(input_file)
  execute_process(COMMAND "${SVCDISC}" ${arguments} INPUT_FILE "${input_file}"
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
else()
  execute_process(COMMAND "${SVCDISC}" ${arguments}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
endif()

set(expected_out "")
set(expected_err "")
set(expected_code "0")
if(EXISTS "${case_dir}/${name}.out")
  file(READ "${case_dir}/${name}.out" expected_out)
endif()
if(EXISTS "${case_dir}/${name}.err")
  file(READ "${case_dir}/${name}.err" expected_err)
endif()
if(EXISTS "${case_dir}/${name}.code")
  file(READ "${case_dir}/${name}.code" expected_code)
  string(STRIP "${expected_code}" expected_code)
endif()

set(failed FALSE)
if(NOT code STREQUAL expected_code)
  message(SEND_ERROR "exit code: expected ${expected_code}, got ${code}")
  set(failed TRUE)
endif()
foreach(stream out err)
  if(NOT "${${stream}}" STREQUAL "${expected_${stream}}")
    message(SEND_ERROR "std${stream} differs from ${name}.${stream}.\n--- expected\n${expected_${stream}}--- got\n${${stream}}---")
    set(failed TRUE)
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "case ${name} failed: svcdisc ${arguments}")
endif()
