/* save_load: NumPy I/O guide, exercise 1 -- save a 100x50 float64 array,
 * load it back, verify it exactly, print the file size.
 * Leaves save_load.npy for NumPy to check: np.load("save_load.npy"). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "npyio.h"

static int fail(const char *what)
{
    char msg[512];
    npyio_last_error(msg, sizeof msg);
    fprintf(stderr, "save_load: %s: %s\n", what, msg);
    return 1;
}

int main(void)
{
    enum { ROWS = 100, COLS = 50 };
    static double a[ROWS * COLS];
    unsigned long long x = 42; /* deterministic pseudo-random values */
    for (int i = 0; i < ROWS * COLS; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        a[i] = (double)(long long)(x >> 11) / 9007199254740992.0 - 0.5;
    }
    const uint64_t shape[2] = {ROWS, COLS};
    if (npy_save_typed("save_load.npy", NPYIO_FLOAT64, 2, shape, a, sizeof a)) return fail("npy_save_typed");

    npy_file *loaded = NULL;
    if (npy_load("save_load.npy", NPYIO_FLOAT64, &loaded)) return fail("npy_load");
    int match = npy_ndim(loaded) == 2 && npy_shape(loaded)[0] == ROWS && npy_shape(loaded)[1] == COLS &&
                memcmp(npy_data(loaded), a, sizeof a) == 0;
    npy_close(loaded);
    struct stat sb;
    if (stat("save_load.npy", &sb) != 0) return 1;
    printf("Match: %s\n", match ? "True" : "False");
    printf("File size: %.1f KB\n", (double)sb.st_size / 1024.0);
    return match ? 0 : 1;
}
