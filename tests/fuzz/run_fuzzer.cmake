# Runs one libFuzzer program for SECONDS over a scratch copy of its seed corpus (the fuzzer adds
# the inputs it finds interesting to its first corpus directory, which must not be the sources).
# Fails when the fuzzer reports anything; the reproducer is left in WORK_DIR/artifacts/.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/corpus" "${WORK_DIR}/artifacts")
file(GLOB seeds "${SEEDS}/*")
file(COPY ${seeds} DESTINATION "${WORK_DIR}/corpus")
execute_process(
  COMMAND "${FUZZER}" -max_total_time=${SECONDS} -timeout=5 -rss_limit_mb=2048
          -print_final_stats=1 -artifact_prefix=${WORK_DIR}/artifacts/ "${WORK_DIR}/corpus"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(GLOB findings "${WORK_DIR}/artifacts/*")
  message(FATAL_ERROR "${FUZZER} failed (${result}); reproducer: ${findings}\n"
                      "Replay it with: ${FUZZER} <reproducer>")
endif()
