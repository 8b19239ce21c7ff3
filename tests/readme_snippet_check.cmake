# Fails when a README.md snippet differs from the one tests/readme_snippet_test.cpp compiles,
# so the text users copy is the text that is tested. Both sit between the markers
# "--- README NAME snippet begin ---" and "--- README NAME snippet end ---" (NAME from
# -DSNIPPET_NAME, none for the first snippet: "--- README snippet begin ---"); indentation is
# ignored.
if(SNIPPET_NAME)
  set(marker "README ${SNIPPET_NAME} snippet")
else()
  set(marker "README snippet")
endif()

function(read_snippet file out)
  file(READ "${file}" text)
  string(FIND "${text}" "--- ${marker} begin ---" begin)
  string(FIND "${text}" "--- ${marker} end ---" end)
  if(begin EQUAL -1 OR end EQUAL -1)
    message(FATAL_ERROR "${file}: markers of the ${marker} not found")
  endif()
  # From the line after the begin marker to the end of the line before the end marker. (Not
  # REGEX REPLACE with "^": CMake applies it again after each match, so it eats every line.)
  math(EXPR length "${end} - ${begin}")
  string(SUBSTRING "${text}" ${begin} ${length} snippet)
  string(FIND "${snippet}" "\n" first_newline)
  string(FIND "${snippet}" "\n" last_newline REVERSE)
  if(first_newline EQUAL last_newline)
    message(FATAL_ERROR "${file}: the ${marker} is empty")
  endif()
  math(EXPR length "${last_newline} - ${first_newline} - 1")
  math(EXPR first_newline "${first_newline} + 1")
  string(SUBSTRING "${snippet}" ${first_newline} ${length} snippet)
  string(REGEX REPLACE "(^|\n)[ \t]+" "\\1" snippet "${snippet}")
  set(${out} "${snippet}" PARENT_SCOPE)
endfunction()

read_snippet("${README}" readme_snippet)
read_snippet("${TEST_SOURCE}" test_snippet)
if(NOT readme_snippet STREQUAL test_snippet)
  message(FATAL_ERROR "README.md's ${marker} differs from ${TEST_SOURCE}:\n--- README\n"
                      "${readme_snippet}\n--- test\n${test_snippet}")
endif()
