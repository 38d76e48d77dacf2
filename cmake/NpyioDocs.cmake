# The HTML reference of include/npyio.h, built by Doxygen (Debian/Ubuntu: apt-get install
# doxygen) when NPYIO_BUILD_DOCS is ON. The main page is README.md.
#
# Sets NPYIO_DOCS_HTML_DIR (its index.html is the reference's front page) and the target
# npyio_docs, part of ALL; CMakeLists.txt installs the directory as <docdir>/html.
include_guard(GLOBAL)

find_program(NPYIO_DOXYGEN doxygen DOC "Doxygen, for the HTML reference (NPYIO_BUILD_DOCS)")
if(NOT NPYIO_DOXYGEN)
  message(FATAL_ERROR "npyio: NPYIO_BUILD_DOCS is ON but doxygen was not found: install it "
    "(Debian/Ubuntu: apt-get install doxygen), set NPYIO_DOXYGEN, or configure with "
    "-DNPYIO_BUILD_DOCS=OFF")
endif()

set(NPYIO_DOCS_OUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/doc")
set(NPYIO_DOCS_HTML_DIR "${NPYIO_DOCS_OUT_DIR}/html")
set(_npyio_doc_inputs
  "${PROJECT_SOURCE_DIR}/include/npyio.h"
  "${PROJECT_SOURCE_DIR}/README.md")
set(NPYIO_DOXYGEN_FILTER "${PROJECT_SOURCE_DIR}/docs/doxygen-comments.sed")
set(NPYIO_DOXYGEN_MD_FILTER "${PROJECT_SOURCE_DIR}/docs/doxygen-markdown.sed")
configure_file("${PROJECT_SOURCE_DIR}/docs/Doxyfile.in" "${NPYIO_DOCS_OUT_DIR}/Doxyfile" @ONLY)

# Doxygen leaves pages of removed items behind: start from an empty directory. Any warning
# (undocumented items, comments it misreads) is printed and fails the target
# (WARN_AS_ERROR = FAIL_ON_WARNINGS in docs/Doxyfile.in); then NpyioDocsCheck.cmake checks
# that every function of npyio.h is in one of the reference's sections.
add_custom_command(OUTPUT "${NPYIO_DOCS_HTML_DIR}/index.html"
  COMMAND "${CMAKE_COMMAND}" -E remove_directory "${NPYIO_DOCS_HTML_DIR}"
  COMMAND "${NPYIO_DOXYGEN}" "${NPYIO_DOCS_OUT_DIR}/Doxyfile"
  COMMAND "${CMAKE_COMMAND}" "-DNPYIO_HEADER=${PROJECT_SOURCE_DIR}/include/npyio.h"
          "-DNPYIO_HTML_DIR=${NPYIO_DOCS_HTML_DIR}" -P "${PROJECT_SOURCE_DIR}/cmake/NpyioDocsCheck.cmake"
  DEPENDS ${_npyio_doc_inputs} "${NPYIO_DOXYGEN_FILTER}" "${NPYIO_DOXYGEN_MD_FILTER}"
          "${PROJECT_SOURCE_DIR}/docs/Doxyfile.in" "${NPYIO_DOCS_OUT_DIR}/Doxyfile"
          "${PROJECT_SOURCE_DIR}/cmake/NpyioDocsCheck.cmake"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
  COMMENT "Doxygen: HTML reference of npyio.h (${NPYIO_DOCS_HTML_DIR})"
  VERBATIM)
add_custom_target(npyio_docs ALL DEPENDS "${NPYIO_DOCS_HTML_DIR}/index.html")
