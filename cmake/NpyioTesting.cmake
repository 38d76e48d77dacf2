# Helpers for the C tests (tests/c) and the examples (examples-c).
#
#   npyio_add_c_test(<name> <source> [LINK <target>...] [ARGS <arg>...] [LABELS <label>...])
#
# Builds <source> twice: as C11 (test <name>) and, through a generated .cpp that #includes it,
# as C++17 (test <name>_cxx). Both use -Wall -Wextra -Werror, link npyio::shared unless LINK says
# otherwise, run in their own scratch directory, and see NPYIO_TEST_DATA (the build tree's
# testdata/ directory) and NPYIO_PYTHON (cache variable: a Python with numpy, for oracle tests).
include_guard(GLOBAL)

set(NPYIO_TEST_DATA_DIR "${CMAKE_BINARY_DIR}/testdata")
file(MAKE_DIRECTORY "${NPYIO_TEST_DATA_DIR}")
find_program(NPYIO_PYTHON NAMES python3 python
  DOC "Python interpreter (with numpy) the C tests may call; passed to them as NPYIO_PYTHON")
option(NPYIO_SANITIZE "Build the C tests and examples with -fsanitize=address,undefined" OFF)

# Warnings as errors, and optionally the sanitizers, for one C or C++ target.
function(npyio_strict_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /WX)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  endif()
  if(NPYIO_SANITIZE AND NOT MSVC)
    set(_san -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_compile_options(${target} PRIVATE ${_san})
    target_link_options(${target} PRIVATE ${_san})
  endif()
endfunction()

# A scratch working directory for a test: made at configure time and again after each link.
function(_npyio_scratch_dir target out_var)
  set(_dir "${CMAKE_CURRENT_BINARY_DIR}/scratch/${target}")
  file(MAKE_DIRECTORY "${_dir}")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${_dir}" VERBATIM)
  set(${out_var} "${_dir}" PARENT_SCOPE)
endfunction()

function(_npyio_test_environment test)
  set(_py "${NPYIO_PYTHON}")
  if(NOT _py)
    set(_py "")
  endif()
  set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT
    "NPYIO_TEST_DATA=${NPYIO_TEST_DATA_DIR}" "NPYIO_PYTHON=${_py}")
endfunction()

function(npyio_add_c_test name source)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "LINK;ARGS;LABELS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "npyio_add_c_test(${name}): unexpected arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_LINK)
    set(arg_LINK npyio::shared)
  endif()
  get_filename_component(_src "${source}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_filename_component(_srcdir "${_src}" DIRECTORY)

  # As C11.
  add_executable(${name} "${_src}")
  set_target_properties(${name} PROPERTIES
    C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
  # As C++17: a wrapper that #includes the C file keeps diagnostics pointing at the real source.
  set(_wrapper "${CMAKE_CURRENT_BINARY_DIR}/cxx/${name}.cpp")
  file(GENERATE OUTPUT "${_wrapper}"
    CONTENT "// Generated: ${_src} compiled as C++.\n#include \"${_src}\"\n")
  add_executable(${name}_cxx "${_wrapper}")
  set_target_properties(${name}_cxx PROPERTIES
    CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
  set_property(SOURCE "${_wrapper}" APPEND PROPERTY OBJECT_DEPENDS "${_src}")

  foreach(_t ${name} ${name}_cxx)
    target_include_directories(${_t} PRIVATE "${_srcdir}")
    target_link_libraries(${_t} PRIVATE ${arg_LINK})
    npyio_strict_warnings(${_t})
    _npyio_scratch_dir(${_t} _dir)
    add_test(NAME ${_t} COMMAND ${_t} ${arg_ARGS} WORKING_DIRECTORY "${_dir}")
    _npyio_test_environment(${_t})
  endforeach()
  set_tests_properties(${name} PROPERTIES LABELS "c;${arg_LABELS}")
  set_tests_properties(${name}_cxx PROPERTIES LABELS "cxx;${arg_LABELS}")
endfunction()

# One example program: examples-c/<name>.c -> target and test example_<name>.
function(npyio_add_example source)
  get_filename_component(_name "${source}" NAME_WE)
  set(_t example_${_name})
  add_executable(${_t} "${source}")
  set_target_properties(${_t} PROPERTIES
    C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
    OUTPUT_NAME ${_name} RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/examples")
  target_link_libraries(${_t} PRIVATE npyio::npyio)
  npyio_strict_warnings(${_t})
  _npyio_scratch_dir(${_t} _dir)
  add_test(NAME ${_t} COMMAND ${_t} WORKING_DIRECTORY "${_dir}")
  _npyio_test_environment(${_t})
  set_tests_properties(${_t} PROPERTIES LABELS example)
endfunction()
