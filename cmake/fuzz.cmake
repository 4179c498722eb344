# Fuzzing the Dockerfile frontend with libFuzzer under ASan and UBSan.
#
# The target is compiled straight from the sources of src/util and src/dockerfile with clang++
# (the main build may use g++), and registered as the ctest `dockerfile.fuzz.parse`, labelled
# `dockerfile;fuzz`, which fuzzes for 60 s from a seed corpus made of BuildKit's conformance
# files (tests/dockerfile/data/buildkit-parser). New inputs go to a scratch corpus in the build
# tree, never into the repository.
find_program(PLINTH_FUZZ_CXX NAMES clang++-14 clang++)
if(NOT PLINTH_FUZZ_CXX OR NOT PLINTH_TESTS)
  return()
endif()

set(PLINTH_FUZZ_SECONDS 60 CACHE STRING "libFuzzer -max_total_time for the fuzz tests")

file(GLOB plinth_fuzz_lib_sources CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/src/util/*.cc ${CMAKE_SOURCE_DIR}/src/dockerfile/*.cc)
set(plinth_fuzz_target ${CMAKE_SOURCE_DIR}/tests/dockerfile/fuzz/parse_fuzzer.cc)
set(plinth_fuzz_bin ${CMAKE_BINARY_DIR}/fuzz/dockerfile_parse_fuzzer)
set(plinth_fuzz_objdir ${CMAKE_BINARY_DIR}/fuzz/obj)

set(plinth_fuzz_flags -std=c++20 -g -O1 -fno-omit-frame-pointer
  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
  -I${CMAKE_SOURCE_DIR}/src)
foreach(dir ${DEPS_INCLUDE_DIRS})
  list(APPEND plinth_fuzz_flags -I${dir})
endforeach()
get_target_property(plinth_fuzz_json_inc nlohmann_json::nlohmann_json INTERFACE_INCLUDE_DIRECTORIES)
foreach(dir ${plinth_fuzz_json_inc})
  list(APPEND plinth_fuzz_flags -I${dir})
endforeach()

# One object per source, so ninja compiles them in parallel and rebuilds only what changed.
set(plinth_fuzz_objects)
foreach(src ${plinth_fuzz_lib_sources} ${plinth_fuzz_target})
  file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${src})
  string(REPLACE "/" "_" obj_name ${rel})
  set(obj ${plinth_fuzz_objdir}/${obj_name}.o)
  add_custom_command(OUTPUT ${obj}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${plinth_fuzz_objdir}
    COMMAND ${PLINTH_FUZZ_CXX} ${plinth_fuzz_flags} -c ${src} -o ${obj}
    DEPENDS ${src}
    IMPLICIT_DEPENDS CXX ${src}
    COMMENT "fuzz: compiling ${rel}"
    COMMAND_EXPAND_LISTS VERBATIM)
  list(APPEND plinth_fuzz_objects ${obj})
endforeach()

add_custom_command(OUTPUT ${plinth_fuzz_bin}
  COMMAND ${PLINTH_FUZZ_CXX} -fsanitize=fuzzer,address,undefined ${plinth_fuzz_objects}
          -o ${plinth_fuzz_bin} -lcrypto -lpthread
  DEPENDS ${plinth_fuzz_objects}
  COMMENT "fuzz: linking dockerfile_parse_fuzzer"
  COMMAND_EXPAND_LISTS VERBATIM)
add_custom_target(dockerfile_fuzzer ALL DEPENDS ${plinth_fuzz_bin})

set(plinth_fuzz_seeds ${CMAKE_SOURCE_DIR}/tests/dockerfile/data/buildkit-parser)
add_test(NAME dockerfile.fuzz.parse
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    sh -c "test -d \"$1\" || { echo \"missing seed corpus $1\" >&2; exit 1; }; \
rm -rf \"$2\" && mkdir -p \"$2\" && exec \"$3\" \"$2\" \"$1\" \
  -dict=\"$4\" -max_total_time=\"$5\" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1"
    fuzz ${plinth_fuzz_seeds} ${CMAKE_BINARY_DIR}/fuzz/corpus ${plinth_fuzz_bin}
    ${CMAKE_SOURCE_DIR}/tests/dockerfile/fuzz/dockerfile.dict ${PLINTH_FUZZ_SECONDS})
set_tests_properties(dockerfile.fuzz.parse PROPERTIES
  LABELS "dockerfile;fuzz" TIMEOUT 300)
