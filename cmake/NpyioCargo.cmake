# Cargo glue: find the Rust toolchain, ask rustc which native libraries a Rust staticlib
# needs, and define the custom target that builds libnpyio.so / libnpyio.a (and, with
# NPYIO_BUILD_CLI, the npyio tool) through cargo.
#
# Reads NPYIO_BUILD_CLI and NPYIO_SONAME. Sets in the including scope:
#   NPYIO_CARGO_PROFILE_NAME  the cargo profile used (dev, release, dist, or a custom one)
#   NPYIO_CARGO_PROFILE_DIR   cargo's output subdirectory (debug, release, dist, ...)
#   NPYIO_CARGO_OUT_DIR       ${NPYIO_CARGO_TARGET_DIR}/${NPYIO_CARGO_PROFILE_DIR}
#   NPYIO_SHARED_LIB          full path of the shared library cargo writes
#   NPYIO_STATIC_LIB          full path of the static library to link and install: a copy of
#                             cargo's without the LLVM bitcode Rust embeds (and, for the dist
#                             profile, without debug info), made after each cargo run
#   NPYIO_CLI_EXE             full path of the npyio tool cargo writes (with NPYIO_BUILD_CLI)
#   NPYIO_NATIVE_STATIC_LIBS  the native libraries, as CMake link items (gcc_s;util;...)
#   NPYIO_NATIVE_STATIC_LIBS_PC  the same as linker flags, for pkg-config's Libs.private
# and the target npyio_cargo.

find_program(NPYIO_CARGO cargo
  HINTS "$ENV{CARGO_HOME}/bin" "$ENV{HOME}/.cargo/bin"
  DOC "cargo executable used to build libnpyio")
if(NOT NPYIO_CARGO)
  message(FATAL_ERROR "npyio: cargo not found; install Rust (https://rustup.rs) or set NPYIO_CARGO")
endif()

# rustc: $RUSTC if set, else the one next to cargo (what cargo itself would run).
if(NOT NPYIO_RUSTC AND DEFINED ENV{RUSTC} AND NOT "$ENV{RUSTC}" STREQUAL "")
  set(NPYIO_RUSTC "$ENV{RUSTC}" CACHE FILEPATH "rustc used to query native-static-libs")
endif()
get_filename_component(_npyio_cargo_dir "${NPYIO_CARGO}" DIRECTORY)
find_program(NPYIO_RUSTC rustc HINTS "${_npyio_cargo_dir}" DOC "rustc used to query native-static-libs")
if(NOT NPYIO_RUSTC)
  message(FATAL_ERROR "npyio: rustc not found; set NPYIO_RUSTC")
endif()

set(NPYIO_CARGO_PROFILE "" CACHE STRING
  "cargo profile (empty: 'dev' for CMAKE_BUILD_TYPE Debug, 'release' for RelWithDebInfo, else 'dist')")
set(NPYIO_CARGO_FLAGS "" CACHE STRING "extra arguments for 'cargo build' (e.g. --locked;--offline)")
set(NPYIO_CARGO_TARGET_DIR "${CMAKE_BINARY_DIR}/cargo" CACHE PATH
  "cargo's --target-dir (several build trees may share one; cargo locks it)")

# Release, MinSizeRel and no build type: 'dist' (Cargo.toml: release without debug info).
if(NPYIO_CARGO_PROFILE)
  set(_npyio_profile "${NPYIO_CARGO_PROFILE}")
elseif(CMAKE_BUILD_TYPE STREQUAL "Debug")
  set(_npyio_profile dev)
elseif(CMAKE_BUILD_TYPE STREQUAL "RelWithDebInfo")
  set(_npyio_profile release)
else()
  set(_npyio_profile dist)
endif()
set(NPYIO_CARGO_PROFILE_NAME "${_npyio_profile}")
if(CMAKE_CONFIGURATION_TYPES)
  message(STATUS "npyio: multi-config generator; cargo profile '${_npyio_profile}' is used for every configuration")
endif()
if(_npyio_profile STREQUAL "dev")
  set(NPYIO_CARGO_PROFILE_DIR debug)
else()
  set(NPYIO_CARGO_PROFILE_DIR "${_npyio_profile}")
endif()
set(NPYIO_CARGO_OUT_DIR "${NPYIO_CARGO_TARGET_DIR}/${NPYIO_CARGO_PROFILE_DIR}")
set(NPYIO_SHARED_LIB "${NPYIO_CARGO_OUT_DIR}/${CMAKE_SHARED_LIBRARY_PREFIX}npyio${CMAKE_SHARED_LIBRARY_SUFFIX}")
set(NPYIO_CARGO_STATIC_LIB "${NPYIO_CARGO_OUT_DIR}/${CMAKE_STATIC_LIBRARY_PREFIX}npyio${CMAKE_STATIC_LIBRARY_SUFFIX}")
set(NPYIO_CLI_EXE "${NPYIO_CARGO_OUT_DIR}/npyio${CMAKE_EXECUTABLE_SUFFIX}")

# --- native libraries of a Rust staticlib, asked of rustc (never a hard-coded list) -------------
function(_npyio_query_native_static_libs out_list out_flags)
  set(_dir "${CMAKE_BINARY_DIR}/CMakeFiles/npyio-native-libs")
  file(MAKE_DIRECTORY "${_dir}")
  file(WRITE "${_dir}/probe.rs" "// empty crate: its staticlib needs exactly what Rust's std needs\n")
  # Run in the source dir so a rust-toolchain.toml there picks the same toolchain cargo uses.
  execute_process(
    COMMAND "${NPYIO_RUSTC}" --crate-type staticlib --crate-name npyio_probe --edition 2021
            --print native-static-libs -o "${_dir}/libnpyio_probe.a" "${_dir}/probe.rs"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "npyio: '${NPYIO_RUSTC} --print native-static-libs' failed (${_rc}):\n${_err}")
  endif()
  # The note goes to stderr ("note: native-static-libs: -lgcc_s -lutil ..."); look in both streams.
  string(REGEX MATCH "native-static-libs:[^\r\n]*" _line "${_err}\n${_out}")
  if(NOT _line)
    message(FATAL_ERROR "npyio: rustc printed no native-static-libs note:\n${_err}${_out}")
  endif()
  string(REGEX REPLACE "^native-static-libs:[ \t]*" "" _flags "${_line}")
  string(STRIP "${_flags}" _flags)
  separate_arguments(_tokens UNIX_COMMAND "${_flags}")
  set(_items "")
  foreach(_t IN LISTS _tokens)
    if(_t MATCHES "^-l(.+)$")
      list(APPEND _items "${CMAKE_MATCH_1}")     # -lm -> m: CMake emits -lm again
    else()
      list(APPEND _items "${_t}")                # -framework X, foo.lib, ... pass through
    endif()
  endforeach()
  set(${out_list} "${_items}" PARENT_SCOPE)
  set(${out_flags} "${_flags}" PARENT_SCOPE)
endfunction()

_npyio_query_native_static_libs(NPYIO_NATIVE_STATIC_LIBS _npyio_native_flags)
# pkg-config wants linker flags; derive them from the one list so the two cannot disagree.
set(NPYIO_NATIVE_STATIC_LIBS_PC "")
foreach(_lib IN LISTS NPYIO_NATIVE_STATIC_LIBS)
  if(_lib MATCHES "^-" OR _lib MATCHES "\\.(lib|a)$")
    string(APPEND NPYIO_NATIVE_STATIC_LIBS_PC " ${_lib}")
  else()
    string(APPEND NPYIO_NATIVE_STATIC_LIBS_PC " -l${_lib}")
  endif()
endforeach()
string(STRIP "${NPYIO_NATIVE_STATIC_LIBS_PC}" NPYIO_NATIVE_STATIC_LIBS_PC)
message(STATUS "npyio: native libraries for the static library (from rustc): ${NPYIO_NATIVE_STATIC_LIBS_PC}")

# readelf, to check the SONAME after each build (optional).
if(CMAKE_READELF)
  set(NPYIO_READELF "${CMAKE_READELF}")
else()
  find_program(NPYIO_READELF readelf DOC "readelf, to check libnpyio.so's SONAME")
endif()

# The static library cargo writes holds every object of Rust's std and of the dependencies,
# each with the LLVM bitcode rustc embeds for LTO between Rust crates (useless to a C linker;
# about half the archive) and std's debug info. With objcopy the build links and installs a
# copy without the bitcode, and for the dist profile without debug info too; without objcopy,
# cargo's file as it is.
if(CMAKE_OBJCOPY)
  set(NPYIO_OBJCOPY "${CMAKE_OBJCOPY}")
else()
  find_program(NPYIO_OBJCOPY objcopy DOC "objcopy, to drop bitcode and debug info from libnpyio.a")
endif()
if(NPYIO_OBJCOPY)
  set(NPYIO_STATIC_LIB "${CMAKE_CURRENT_BINARY_DIR}/npyio-lib/${CMAKE_STATIC_LIBRARY_PREFIX}npyio${CMAKE_STATIC_LIBRARY_SUFFIX}")
else()
  set(NPYIO_STATIC_LIB "${NPYIO_CARGO_STATIC_LIB}")
endif()
if(_npyio_profile STREQUAL "dist")
  set(_npyio_static_strip_debug ON)
else()
  set(_npyio_static_strip_debug OFF)
endif()

# --- the cargo build --------------------------------------------------------------------------
# A custom target is always out of date, so cargo runs on every build; cargo decides what to
# rebuild and leaves its outputs untouched when nothing changed, so dependents do not relink.
# The shared library's SONAME comes from build.rs (libnpyio.so.<major>); the post-build step puts
# a libnpyio.so.<major> link next to cargo's output so build-tree programs find it at run time.
if(_npyio_profile STREQUAL "release")
  set(_npyio_profile_args --release)
elseif(_npyio_profile STREQUAL "dev")
  set(_npyio_profile_args "")
else()
  set(_npyio_profile_args --profile "${_npyio_profile}")
endif()
# With the CLI, one cargo run builds both packages, so the library is compiled once, with the
# workspace's unified features.
if(NPYIO_BUILD_CLI)
  set(_npyio_packages -p npyio -p npyio-cli)
  set(_npyio_cli_byproduct "${NPYIO_CLI_EXE}")
else()
  set(_npyio_packages -p npyio --lib)
  set(_npyio_cli_byproduct "")
endif()
set(_npyio_byproducts "${NPYIO_SHARED_LIB}" "${NPYIO_CARGO_STATIC_LIB}" ${_npyio_cli_byproduct})
if(NOT NPYIO_STATIC_LIB STREQUAL NPYIO_CARGO_STATIC_LIB)
  list(APPEND _npyio_byproducts "${NPYIO_STATIC_LIB}")
endif()
add_custom_target(npyio_cargo ALL
  COMMAND "${NPYIO_CARGO}" build ${_npyio_packages} ${_npyio_profile_args}
          --manifest-path "${PROJECT_SOURCE_DIR}/Cargo.toml"
          --target-dir "${NPYIO_CARGO_TARGET_DIR}"
          ${NPYIO_CARGO_FLAGS}
  COMMAND "${CMAKE_COMMAND}"
          -DSHARED_LIB=${NPYIO_SHARED_LIB}
          -DSONAME=${NPYIO_SONAME}
          -DREADELF=${NPYIO_READELF}
          -DCARGO_STATIC_LIB=${NPYIO_CARGO_STATIC_LIB}
          -DSTATIC_LIB=${NPYIO_STATIC_LIB}
          -DOBJCOPY=${NPYIO_OBJCOPY}
          -DSTRIP_DEBUG=${_npyio_static_strip_debug}
          -P "${CMAKE_CURRENT_LIST_DIR}/NpyioCargoPostBuild.cmake"
  BYPRODUCTS ${_npyio_byproducts}
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
  USES_TERMINAL
  COMMENT "cargo build libnpyio (${_npyio_profile})"
  VERBATIM)
