/* NPYIO_DEPRECATED (npyio.h) on a declaration shaped as cbindgen writes a deprecated export:
 * `NPYIO_DEPRECATED("note") <type> <name>(...);`. check_deprecated.cmake compiles this file as
 * C11 and C++17 with -Wall -Wextra -Werror:
 *   - declaring the function does not warn;
 *   - calling it (-DNPYIO_CALL_DEPRECATED) warns, quoting the note, so -Werror fails;
 *   - calling it with NPYIO_NO_DEPRECATION_WARNINGS defined compiles, and the program runs. */
#include "npyio.h"

NPYIO_DEPRECATED("use npyio_dummy_new instead")
int npyio_dummy_old(int x);

int npyio_dummy_old(int x) { return x + 1; }

int main(void) {
#ifdef NPYIO_CALL_DEPRECATED
    return npyio_dummy_old(-1);
#else
    return 0;
#endif
}
