# The "Scaling out" examples, which need more than a C compiler (included from the top-level
# CMakeLists.txt when NPYIO_BUILD_EXAMPLES is on):
#   examples-c/mpi/mpi_slabs.c     MPI (Debian: openmpi-bin libopenmpi-dev); run with 4 ranks,
#                                  NumPy then checks the file (check_examples.py mpi_slabs)
#   examples-c/remote/remote_npz.c libcurl (Debian: libcurl4-openssl-dev) and nginx (Debian:
#                                  nginx); run_remote.py serves a NumPy archive on 127.0.0.1
# Where a package is missing, the example's test is registered as skipped (ctest shows it as
# "Not Run (Skipped)") and the configure prints a NOTE naming the packages.

# A test that only says why its example cannot run, and is reported as skipped.
function(_npyio_skipped_example test why)
  message(WARNING "NOTE: ${test} skipped: ${why}")
  add_test(NAME ${test} COMMAND sh -c "echo 'NOTE: ${test} skipped: ${why}'; exit 77")
  set_tests_properties(${test} PROPERTIES SKIP_RETURN_CODE 77 LABELS "example;scaling")
endfunction()

# One example program from a subdirectory of examples-c, linked with `libs`.
function(_npyio_scaling_example target source)
  add_executable(${target} "${CMAKE_CURRENT_SOURCE_DIR}/examples-c/${source}")
  get_filename_component(_name "${source}" NAME_WE)
  set_target_properties(${target} PROPERTIES
    C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
    OUTPUT_NAME ${_name} RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/examples")
  target_link_libraries(${target} PRIVATE npyio::npyio ${ARGN})
  npyio_strict_warnings(${target})
endfunction()

# --- MPI: rank 0 creates, every rank writes its slab and reads another's ----------------------
find_package(MPI COMPONENTS C QUIET)
if(MPI_C_FOUND AND MPIEXEC_EXECUTABLE)
  _npyio_scaling_example(example_mpi_slabs mpi/mpi_slabs.c MPI::MPI_C)
  _npyio_scratch_dir(example_mpi_slabs _dir)
  set(_flags "")
  execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version OUTPUT_VARIABLE _mpiexec_version
                  ERROR_QUIET)
  if(_mpiexec_version MATCHES "Open MPI|OpenRTE")
    # More ranks than cores is fine for a test; CI runs as root.
    set(_flags --oversubscribe --allow-run-as-root)
  endif()
  add_test(NAME example_mpi_slabs
    COMMAND ${MPIEXEC_EXECUTABLE} ${_flags} ${MPIEXEC_NUMPROC_FLAG} 4
            $<TARGET_FILE:example_mpi_slabs> mpi_slabs.npy
    WORKING_DIRECTORY "${_dir}")
  _npyio_test_environment(example_mpi_slabs)
  set_tests_properties(example_mpi_slabs PROPERTIES LABELS "example;scaling;mpi" TIMEOUT 120)
  if(NPYIO_PYTHON)
    add_test(NAME check_example_mpi_slabs
      COMMAND "${NPYIO_PYTHON}" "${CMAKE_CURRENT_SOURCE_DIR}/examples-c/check_examples.py"
              mpi_slabs "${_dir}")
    set_tests_properties(example_mpi_slabs PROPERTIES FIXTURES_SETUP npyio_example_mpi_slabs)
    set_tests_properties(check_example_mpi_slabs PROPERTIES
      FIXTURES_REQUIRED npyio_example_mpi_slabs LABELS "example;numpy;mpi")
  endif()
else()
  _npyio_skipped_example(example_mpi_slabs
    "no MPI C compiler wrapper and mpiexec found (Debian: openmpi-bin libopenmpi-dev)")
endif()

# --- HTTP range requests: a member of an archive on nginx, through libcurl ----------------------
find_package(CURL QUIET)
find_package(Threads QUIET)
find_program(NPYIO_NGINX nginx PATHS /usr/sbin /usr/local/sbin)
if(CURL_FOUND AND TARGET CURL::libcurl AND Threads_FOUND AND NPYIO_NGINX AND NPYIO_PYTHON)
  _npyio_scaling_example(example_remote_npz remote/remote_npz.c CURL::libcurl Threads::Threads)
  _npyio_scratch_dir(example_remote_npz _dir)
  add_test(NAME example_remote_npz
    COMMAND "${NPYIO_PYTHON}" "${CMAKE_CURRENT_SOURCE_DIR}/examples-c/remote/run_remote.py"
            $<TARGET_FILE:example_remote_npz> "${NPYIO_NGINX}" "${_dir}/work"
    WORKING_DIRECTORY "${_dir}")
  _npyio_test_environment(example_remote_npz)
  set_tests_properties(example_remote_npz PROPERTIES LABELS "example;scaling;numpy" TIMEOUT 120)
else()
  _npyio_skipped_example(example_remote_npz
    "needs libcurl (Debian: libcurl4-openssl-dev), nginx (Debian: nginx) and a Python with NumPy")
endif()
