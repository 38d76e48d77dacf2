/* save_load: NumPy I/O guide, exercise 1 -- save a 100x50 float64 array,
 * load it back, verify it exactly, print the file size.
 * Leaves save_load.npy for NumPy to check: np.load("save_load.npy"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "npyio.h"

static int fail(const char *what, npyio_status st)
{
    char msg[512];
    npyio_last_error(msg, sizeof msg);
    fprintf(stderr, "save_load: %s: %s\n", what, msg);
    (void)st;
    return 1;
}

int main(void)
{
    enum { ROWS = 100, COLS = 50 };
    static double a[ROWS * COLS], back[ROWS * COLS];
    unsigned long long x = 42; /* deterministic pseudo-random values */
    for (int i = 0; i < ROWS * COLS; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        a[i] = (double)(long long)(x >> 11) / 9007199254740992.0 - 0.5;
    }
    npyio_dtype *f8 = NULL;
    npyio_status st = npyio_dtype_parse("<f8", &f8);
    if (st) return fail("dtype", st);
    const uint64_t shape[2] = {ROWS, COLS};
    if ((st = npy_save("save_load.npy", f8, 2, shape, false, a, sizeof a))) return fail("npy_save", st);
    npyio_dtype_free(f8);

    npy_file *f = NULL;
    if ((st = npy_open("save_load.npy", &f))) return fail("npy_open", st);
    if (npy_ndim(f) != 2 || npy_shape(f)[0] != ROWS || npy_shape(f)[1] != COLS) {
        fprintf(stderr, "save_load: wrong shape\n");
        return 1;
    }
    if ((st = npy_read_into(f, back, sizeof back, NPYIO_READ_NATIVE | NPYIO_READ_C_ORDER))) return fail("read", st);
    npy_close(f);
    int match = memcmp(a, back, sizeof a) == 0;
    struct stat sb;
    if (stat("save_load.npy", &sb) != 0) return 1;
    printf("Match: %s\n", match ? "True" : "False");
    printf("File size: %.1f KB\n", (double)sb.st_size / 1024.0);
    return match ? 0 : 1;
}
