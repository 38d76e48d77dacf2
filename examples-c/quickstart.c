/* quickstart: save two arrays as np.save does, load one whole (np.load), read the other
 * converted as a.astype(np.float64) does, and see a refused cast and a missing file.
 * NumPy checks the files: examples-c/check_examples.py.
 * Build: cc -std=c11 -Wall -Wextra quickstart.c $(pkg-config --cflags --libs npyio) */
#include <stdio.h>

#include "npyio.h"

static int fail(const char *what)
{
    char msg[512];
    npyio_last_error(msg, sizeof msg);
    fprintf(stderr, "quickstart: %s: %s\n", what, msg);
    return 1;
}

int main(void)
{
    const double matrix[2][3] = {{1.5, 2.5, 3.5}, {-1.0, 0.0, 1e10}};
    const int32_t counts[5] = {1, -2, 3, -4, 2147483647};
    const uint64_t shape[2] = {2, 3}, n = 5;
    /* np.save: the dtype is the type code's, in the host's byte order ('<f8', '<i4'). */
    if (npy_save_typed("quickstart_f8.npy", NPYIO_FLOAT64, 2, shape, matrix, sizeof matrix) ||
        npy_save_typed("quickstart_i4.npy", NPYIO_INT32, 1, &n, counts, sizeof counts))
        return fail("npy_save_typed");

    /* np.load: the whole array in memory the library owns, C order, host byte order. */
    npy_file *f = NULL;
    if (npy_load("quickstart_f8.npy", NPYIO_FLOAT64, &f)) return fail("npy_load");
    const double *m = npy_data(f);
    printf("quickstart_f8.npy: %s, shape (%llu, %llu), last %g\n", npyio_dtype_descr(npy_dtype(f)),
           (unsigned long long)npy_shape(f)[0], (unsigned long long)npy_shape(f)[1], m[5]);
    npy_close(f);

    /* a.astype(np.float64): int32 to float64 is a safe cast. */
    double as_f8[5];
    if (npy_open("quickstart_i4.npy", &f)) return fail("npy_open");
    if (npy_read_as(f, NPYIO_FLOAT64, as_f8, sizeof as_f8)) return fail("npy_read_as");
    printf("quickstart_i4.npy as float64: %g %g %g %g %.0f\n", as_f8[0], as_f8[1], as_f8[2],
           as_f8[3], as_f8[4]);
    /* int32 to int16 could lose values: refused, as astype(np.int16, casting='safe') is. */
    int16_t as_i2[5];
    char msg[256];
    if (npy_read_as(f, NPYIO_INT16, as_i2, sizeof as_i2) == NPYIO_OK) return 1;
    npyio_last_error(msg, sizeof msg);
    printf("as int16: refused: %s\n", msg);
    npy_close(f);

    /* A missing file is NPYIO_ERR_NOT_FOUND; the OS's errno is there too. */
    if (npy_open("no-such-file.npy", &f) != NPYIO_ERR_NOT_FOUND) return 1;
    printf("no-such-file.npy: %s (errno %d)\n", npyio_status_str(NPYIO_ERR_NOT_FOUND),
           npyio_last_errno());
    printf("quickstart: ok\n");
    return 0;
}
