# Run after every cargo build (cmake -P), with -DSHARED_LIB=... -DSONAME=... [-DREADELF=...]
# -DCARGO_STATIC_LIB=... -DSTATIC_LIB=... [-DOBJCOPY=... -DSTRIP_DEBUG=ON|OFF].
# 1. Makes STATIC_LIB from cargo's static library when they differ: objcopy drops the LLVM
#    bitcode rustc embeds in every object (and with STRIP_DEBUG the debug info); only when
#    cargo's file is newer than the copy.
# 2. Checks that the shared library carries the expected SONAME (set by build.rs); without it
#    programs record the library's build path and the installed symlinks are meaningless.
# 3. Puts a link named after the SONAME next to cargo's output, so that programs linked in the
#    build tree (tests, examples) find the library through their build RPATH.

if(NOT EXISTS "${SHARED_LIB}")
  message(FATAL_ERROR "npyio: cargo did not produce ${SHARED_LIB}")
endif()

if(CARGO_STATIC_LIB AND STATIC_LIB AND NOT CARGO_STATIC_LIB STREQUAL STATIC_LIB)
  if(NOT EXISTS "${CARGO_STATIC_LIB}")
    message(FATAL_ERROR "npyio: cargo did not produce ${CARGO_STATIC_LIB}")
  endif()
  if(NOT EXISTS "${STATIC_LIB}" OR "${CARGO_STATIC_LIB}" IS_NEWER_THAN "${STATIC_LIB}")
    get_filename_component(_static_dir "${STATIC_LIB}" DIRECTORY)
    file(MAKE_DIRECTORY "${_static_dir}")
    set(_tmp "${STATIC_LIB}.tmp")
    set(_args --remove-section=.llvmbc --remove-section=.llvmcmd)
    if(STRIP_DEBUG)
      list(APPEND _args --strip-debug)
    endif()
    execute_process(COMMAND "${OBJCOPY}" ${_args} "${CARGO_STATIC_LIB}" "${_tmp}"
                    RESULT_VARIABLE _rc ERROR_VARIABLE _err)
    if(NOT _rc EQUAL 0)
      file(REMOVE "${_tmp}")
      message(FATAL_ERROR "npyio: ${OBJCOPY} ${_args} ${CARGO_STATIC_LIB} failed: ${_err}")
    endif()
    file(RENAME "${_tmp}" "${STATIC_LIB}")
  endif()
endif()

if(NOT SONAME)
  return()
endif()

if(READELF)
  execute_process(COMMAND "${READELF}" -d "${SHARED_LIB}"
                  OUTPUT_VARIABLE _dyn ERROR_QUIET RESULT_VARIABLE _rc)
  if(_rc EQUAL 0)
    if(_dyn MATCHES "\\(SONAME\\)[^\n]*\\[([^]\n]*)\\]")
      set(_actual "${CMAKE_MATCH_1}")
    else()
      set(_actual "")
    endif()
    if(NOT _actual STREQUAL SONAME)
      message(WARNING "npyio: ${SHARED_LIB} has SONAME '${_actual}', expected '${SONAME}'. "
        "Programs linked to it record its build path instead (with Ninja a relative one, so "
        "tests and examples fail to load it) and the installed symlinks are useless. "
        "build.rs should print: cargo:rustc-cdylib-link-arg=-Wl,-soname,${SONAME}")
    endif()
  endif()
endif()

get_filename_component(_dir "${SHARED_LIB}" DIRECTORY)
get_filename_component(_name "${SHARED_LIB}" NAME)
if(IS_SYMLINK "${_dir}/${SONAME}")
  file(READ_SYMLINK "${_dir}/${SONAME}" _target)
  if(_target STREQUAL _name)
    return()
  endif()
endif()
if(NOT _name STREQUAL SONAME)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E create_symlink "${_name}" "${_dir}/${SONAME}"
                  RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "npyio: cannot create ${_dir}/${SONAME}")
  endif()
endif()
