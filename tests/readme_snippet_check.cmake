# Fails when README.md's API snippet differs from the one tests/readme_snippet_test.cpp
# compiles, so the text users copy is the text that is tested. Both sit between the markers
# "--- README snippet begin ---" and "--- README snippet end ---"; indentation is ignored.
function(read_snippet file out)
  file(READ "${file}" text)
  string(FIND "${text}" "--- README snippet begin ---" begin)
  string(FIND "${text}" "--- README snippet end ---" end)
  if(begin EQUAL -1 OR end EQUAL -1)
    message(FATAL_ERROR "${file}: README snippet markers not found")
  endif()
  math(EXPR length "${end} - ${begin}")
  string(SUBSTRING "${text}" ${begin} ${length} snippet)
  string(REGEX REPLACE "\n[ \t]+" "\n" snippet "${snippet}")
  # Drop the marker line itself and the comment leader before the end marker.
  string(REGEX REPLACE "^[^\n]*\n" "" snippet "${snippet}")
  string(REGEX REPLACE "\n[^\n]*$" "" snippet "${snippet}")
  set(${out} "${snippet}" PARENT_SCOPE)
endfunction()

read_snippet("${README}" readme_snippet)
read_snippet("${TEST_SOURCE}" test_snippet)
if(NOT readme_snippet STREQUAL test_snippet)
  message(FATAL_ERROR "README.md's snippet differs from ${TEST_SOURCE}:\n--- README\n"
                      "${readme_snippet}\n--- test\n${test_snippet}")
endif()
