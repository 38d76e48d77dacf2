# Run by the npyio_docs target after Doxygen (cmake -P): every function declared in npyio.h
# must be listed on one of the reference's group pages (the sections of the Modules page), so a
# new export whose comment lacks its `\ingroup` line fails the docs build.
#
#   cmake -DNPYIO_HEADER=include/npyio.h -DNPYIO_HTML_DIR=<build>/doc/html -P NpyioDocsCheck.cmake
cmake_minimum_required(VERSION 3.16)

file(READ "${NPYIO_HEADER}" _header)
# Declarations start a line (comments start with //, struct fields are indented, macros with
# #); a deprecated one starts with NPYIO_DEPRECATED("...").
string(REGEX MATCHALL "\n[A-Za-z_][^\n;]*[ *](npy_[A-Za-z0-9_]+|npz_[A-Za-z0-9_]+|npyio_[A-Za-z0-9_]+)\\("
  _decls "${_header}")
set(_names "")
foreach(_d IN LISTS _decls)
  string(REGEX REPLACE ".*[ *]([A-Za-z0-9_]+)\\($" "\\1" _n "${_d}")
  list(APPEND _names "${_n}")
endforeach()
list(LENGTH _names _count)
if(_count EQUAL 0)
  message(FATAL_ERROR "npyio docs check: no function declarations found in ${NPYIO_HEADER}")
endif()

file(GLOB _pages "${NPYIO_HTML_DIR}/group__*.html")
set(_html "")
foreach(_p IN LISTS _pages)
  file(READ "${_p}" _text)
  string(APPEND _html "${_text}")
endforeach()

set(_missing "")
foreach(_n IN LISTS _names)
  # A group member's entry in the group's list links to the group page itself.
  string(REGEX MATCH "memItemRight\" valign=\"bottom\"><a class=\"el\" href=\"group__[^\"]*\">${_n}</a>"
    _hit "${_html}")
  if(NOT _hit)
    list(APPEND _missing "${_n}")
  endif()
endforeach()
if(_missing)
  list(JOIN _missing ", " _list)
  # The reference is incomplete: make the build run Doxygen and this check again next time.
  file(REMOVE "${NPYIO_HTML_DIR}/index.html")
  message(FATAL_ERROR "npyio docs check: not in any section of the reference (add a last "
    "doc-comment line `\\ingroup npyio_...` naming its group, see cbindgen.toml): ${_list}")
endif()
message(STATUS "npyio docs check: all ${_count} functions of npyio.h are in a section")
