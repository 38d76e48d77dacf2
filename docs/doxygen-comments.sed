# Doxygen input filter for include/npyio.h (see docs/Doxyfile.in). cbindgen writes each item's
# documentation as `//` lines, which Doxygen does not read; make them `///` lines, which it
# does. Lines that already are `///` or `/** */` comments pass unchanged.
s|^\([[:space:]]*\)//\([[:space:]]\)|\1///\2|
s|^\([[:space:]]*\)//$|\1///|
