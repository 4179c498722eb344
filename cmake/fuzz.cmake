# libFuzzer targets (ASan + UBSan) for every parser of untrusted input.
#
# The targets are compiled with clang++ whatever compiler the main build uses, straight from the
# sources of the modules they need: each module's sources are compiled once into a static
# archive under build/fuzz/lib, shared by every target that names the module, so a target pulls
# in only the objects it uses. A target is declared with plinth_fuzz_target() below; its
# harness lives in tests/<module>/fuzz/, its seed corpus in the repository (never written to: new
# inputs go to a scratch corpus under build/fuzz/corpus).
#
# ctest runs each target for PLINTH_FUZZ_RUNS executions from a fixed seed, so that a test run
# is the same on every machine and CI never fails on what a lucky draw found (a crash found by a
# longer run becomes a seed and a unit test), as the test `<module>.fuzz.<name>`, labelled
# `fuzz` (`ctest -L fuzz`), through scripts/fuzz.sh, which also runs them longer
# (`scripts/fuzz.sh 600`, `scripts/fuzz.sh -runs=1000000 oci_manifest`). The script reads what
# each target needs (binary, seeds, dictionary, options) from build/fuzz/targets.tsv, written
# here.
find_program(PLINTH_FUZZ_CXX NAMES clang++-14 clang++)
if(NOT PLINTH_FUZZ_CXX OR NOT PLINTH_TESTS)
  return()
endif()

set(PLINTH_FUZZ_RUNS 20000 CACHE STRING "libFuzzer -runs of each fuzz test in ctest (seed 1)")

set(plinth_fuzz_dir ${CMAKE_BINARY_DIR}/fuzz)
set(plinth_fuzz_flags -std=c++20 -g -O1 -fno-omit-frame-pointer
  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
  -DPLINTH_VERSION="${PROJECT_VERSION}" -I${CMAKE_SOURCE_DIR}/src -I${CMAKE_SOURCE_DIR}/tests)
foreach(dir ${DEPS_INCLUDE_DIRS})
  list(APPEND plinth_fuzz_flags -I${dir})
endforeach()
get_target_property(plinth_fuzz_json_inc nlohmann_json::nlohmann_json INTERFACE_INCLUDE_DIRECTORIES)
foreach(dir ${plinth_fuzz_json_inc})
  list(APPEND plinth_fuzz_flags -I${dir})
endforeach()
# The main build's launcher (ccache) serves these compiles too.
set(plinth_fuzz_cxx ${CMAKE_CXX_COMPILER_LAUNCHER} ${PLINTH_FUZZ_CXX})

# Compiles one source into an object under build/fuzz/obj; sets `out_var` to the object.
# One object per source, so ninja compiles them in parallel and rebuilds only what changed
# (the depfile tracks headers).
function(plinth_fuzz_object src out_var)
  file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${src})
  string(REPLACE "/" "_" obj_name ${rel})
  set(obj ${plinth_fuzz_dir}/obj/${obj_name}.o)
  add_custom_command(OUTPUT ${obj}
    COMMAND ${plinth_fuzz_cxx} ${plinth_fuzz_flags} -MD -MF ${obj}.d -c ${src} -o ${obj}
    DEPENDS ${src}
    DEPFILE ${obj}.d
    COMMENT "fuzz: compiling ${rel}"
    COMMAND_EXPAND_LISTS VERBATIM)
  set(${out_var} ${obj} PARENT_SCOPE)
endfunction()

# Compiles src/<module>/*.cc once into build/fuzz/lib/lib<module>.a; sets `out_var` to it.
function(plinth_fuzz_module module out_var)
  set(lib ${plinth_fuzz_dir}/lib/lib${module}.a)
  set(${out_var} ${lib} PARENT_SCOPE)
  get_property(done GLOBAL PROPERTY plinth_fuzz_module_${module})
  if(done)
    return()
  endif()
  set_property(GLOBAL PROPERTY plinth_fuzz_module_${module} TRUE)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${module}/*.cc)
  set(objects)
  foreach(src ${sources})
    plinth_fuzz_object(${src} obj)
    list(APPEND objects ${obj})
  endforeach()
  add_custom_command(OUTPUT ${lib}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${lib}
    COMMAND ${CMAKE_AR} qcs ${lib} ${objects}
    DEPENDS ${objects}
    COMMENT "fuzz: archiving ${module}"
    COMMAND_EXPAND_LISTS VERBATIM)
endfunction()

add_custom_target(fuzzers ALL)
set_property(GLOBAL PROPERTY plinth_fuzz_manifest "")

# plinth_fuzz_target(NAME name MODULE test-module HARNESS file MODULES src-module...
#                    SEEDS folder [DICT file] [MAX_LEN bytes] [RUNS executions])
#
# Builds build/fuzz/<MODULE>_<name>_fuzzer from HARNESS (relative to tests/<MODULE>/fuzz) linked
# against the archives of MODULES (in any order) and registers the ctest `<MODULE>.fuzz.<name>`;
# scripts/fuzz.sh knows the target as `<MODULE>_<name>`. SEEDS and DICT are relative to the
# source tree.
function(plinth_fuzz_target)
  cmake_parse_arguments(F "" "NAME;MODULE;HARNESS;SEEDS;DICT;MAX_LEN;RUNS" "MODULES" ${ARGN})
  if(NOT F_MAX_LEN)
    set(F_MAX_LEN 4096)
  endif()
  if(NOT F_RUNS)
    set(F_RUNS ${PLINTH_FUZZ_RUNS})
  endif()
  set(libs)
  foreach(module ${F_MODULES})
    plinth_fuzz_module(${module} lib)
    list(APPEND libs ${lib})
  endforeach()
  plinth_fuzz_object(${CMAKE_SOURCE_DIR}/tests/${F_MODULE}/fuzz/${F_HARNESS} harness)
  set(id ${F_MODULE}_${F_NAME})
  set(bin ${plinth_fuzz_dir}/${id}_fuzzer)
  add_custom_command(OUTPUT ${bin}
    COMMAND ${PLINTH_FUZZ_CXX} -fsanitize=fuzzer,address,undefined ${harness}
            -Wl,--start-group ${libs} -Wl,--end-group ${DEPS_LINK_LIBRARIES} -lpthread -o ${bin}
    DEPENDS ${harness} ${libs}
    COMMENT "fuzz: linking ${id}_fuzzer"
    COMMAND_EXPAND_LISTS VERBATIM)
  add_custom_target(${id}_fuzzer DEPENDS ${bin})
  add_dependencies(fuzzers ${id}_fuzzer)

  set(dict "-")
  if(F_DICT)
    set(dict ${CMAKE_SOURCE_DIR}/${F_DICT})
  endif()
  set_property(GLOBAL APPEND_STRING PROPERTY plinth_fuzz_manifest
    "${id}\t${bin}\t${CMAKE_SOURCE_DIR}/${F_SEEDS}\t${dict}\t${F_MAX_LEN}\n")
  add_test(NAME ${F_MODULE}.fuzz.${F_NAME}
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/fuzz.sh --build-dir ${CMAKE_BINARY_DIR} --fresh
            --seed 1 -runs=${F_RUNS} ${id})
  set_tests_properties(${F_MODULE}.fuzz.${F_NAME} PROPERTIES
    LABELS "${F_MODULE};fuzz" TIMEOUT 300)
endfunction()

plinth_fuzz_target(NAME parse MODULE dockerfile HARNESS parse_fuzzer.cc
  MODULES dockerfile util
  SEEDS tests/dockerfile/data/buildkit-parser DICT tests/dockerfile/fuzz/dockerfile.dict
  MAX_LEN 8192)
plinth_fuzz_target(NAME dockerignore MODULE dockerfile HARNESS dockerignore_fuzzer.cc
  MODULES dockerfile util
  SEEDS tests/dockerfile/fuzz/dockerignore-seeds DICT tests/dockerfile/fuzz/dockerignore.dict
  MAX_LEN 1024)
plinth_fuzz_target(NAME reference MODULE oci HARNESS reference_fuzzer.cc
  MODULES oci util
  SEEDS tests/oci/fuzz/reference-seeds DICT tests/oci/fuzz/reference.dict MAX_LEN 512)
plinth_fuzz_target(NAME manifest MODULE oci HARNESS manifest_fuzzer.cc
  MODULES oci util
  SEEDS tests/oci/fuzz/manifest-seeds DICT tests/oci/fuzz/json.dict MAX_LEN 8192)
plinth_fuzz_target(NAME tar MODULE layer HARNESS tar_reader_fuzzer.cc
  MODULES layer oci util
  SEEDS tests/layer/fuzz/tar-seeds DICT tests/layer/fuzz/tar.dict MAX_LEN 16384)
plinth_fuzz_target(NAME extract MODULE layer HARNESS extract_fuzzer.cc
  MODULES layer oci util
  SEEDS tests/layer/fuzz/tar-seeds DICT tests/layer/fuzz/tar.dict MAX_LEN 16384)
plinth_fuzz_target(NAME deb MODULE debian HARNESS deb_archive_fuzzer.cc
  MODULES debian layer oci util
  SEEDS tests/debian/fuzz/deb-seeds MAX_LEN 16384)
plinth_fuzz_target(NAME control MODULE debian HARNESS control_fuzzer.cc
  MODULES debian layer oci util
  SEEDS tests/debian/fuzz/control-seeds DICT tests/debian/fuzz/control.dict MAX_LEN 8192)
plinth_fuzz_target(NAME manifest MODULE fleet HARNESS manifest_fuzzer.cc
  MODULES fleet dockerfile oci util
  SEEDS tests/fleet/fuzz/manifest-seeds DICT tests/fleet/fuzz/plinth-yaml.dict MAX_LEN 12288)
plinth_fuzz_target(NAME answers MODULE registry HARNESS answers_fuzzer.cc
  MODULES registry layer oci util
  SEEDS tests/registry/fuzz/answer-seeds DICT tests/registry/fuzz/answers.dict MAX_LEN 4096)
plinth_fuzz_target(NAME sbom_records MODULE audit HARNESS sbom_records_fuzzer.cc
  MODULES audit debian layer oci util
  SEEDS tests/audit/fuzz/sbom-seeds DICT tests/debian/fuzz/control.dict MAX_LEN 8192 RUNS 5000)
plinth_fuzz_target(NAME osv MODULE audit HARNESS osv_fuzzer.cc
  MODULES audit debian layer oci util
  SEEDS tests/audit/fuzz/osv-seeds DICT tests/audit/fuzz/osv.dict MAX_LEN 8192)
plinth_fuzz_target(NAME elf MODULE audit HARNESS elf_scanner_fuzzer.cc
  MODULES audit debian layer oci util
  SEEDS tests/audit/fuzz/elf-seeds MAX_LEN 8192)
plinth_fuzz_target(NAME shell MODULE lint HARNESS shell_fuzzer.cc
  MODULES lint fleet dockerfile oci util
  SEEDS tests/lint/fuzz/shell-seeds MAX_LEN 4096)
# Each input is linted and fixed twice over (50 to 150 executions a second under ASan): 2,000
# executions keep its ctest well inside the timeout; scripts/fuzz.sh runs it longer.
plinth_fuzz_target(NAME fix MODULE lint HARNESS fix_fuzzer.cc
  MODULES lint fleet dockerfile oci util
  SEEDS tests/lint/fuzz/fix-seeds DICT tests/dockerfile/fuzz/dockerfile.dict MAX_LEN 4096
  RUNS 2000)

get_property(plinth_fuzz_manifest GLOBAL PROPERTY plinth_fuzz_manifest)
file(WRITE ${plinth_fuzz_dir}/targets.tsv
  "# name\tbinary\tseeds\tdictionary\tmax_len (written by cmake/fuzz.cmake)\n${plinth_fuzz_manifest}")
