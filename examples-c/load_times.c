/* load_times: NumPy I/O guide, exercise 5 -- the same 1,000,000 float64 values
 * saved as .npy (binary), .csv (text, np.savetxt's default '%.18e') and a
 * compressed .npz; time loading each back and print a table with file sizes.
 * Binary is fastest: its bytes are copied straight into the array, no parsing.
 * Text is for sharing with other tools (Excel, R) and for human eyes.
 * Leaves bench.npy, bench.csv and bench.npz for NumPy to check. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "npyio.h"

enum { N = 1000000 };

static int fail(const char *what)
{
    char msg[512];
    npyio_last_error(msg, sizeof msg);
    fprintf(stderr, "load_times: %s: %s\n", what, msg);
    return 1;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double mb(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (double)sb.st_size / 1e6 : -1.0;
}

int main(void)
{
    double *arr = malloc(N * sizeof *arr), *back = malloc(N * sizeof *back);
    if (!arr || !back) return 1;
    unsigned long long x = 2024;
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int k = 0; k < 4; k++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            s += (double)(x >> 11) / 9007199254740992.0;
        }
        arr[i] = (s - 2.0) * 1.7;
    }
    const uint64_t n = N;
    const size_t len = N * sizeof *arr;
    npz_writer *w = NULL;
    if (npy_save_typed("bench.npy", NPYIO_FLOAT64, 1, &n, arr, len)) return fail("npy_save_typed");
    if (npy_savetxt_data("bench.csv", npyio_type_dtype(NPYIO_FLOAT64), 1, &n, arr, len, NULL))
        return fail("npy_savetxt_data");
    if (npz_writer_open_ex("bench.npz", NPYIO_NPZ_COMPRESSED, -1, &w)) return fail("npz_writer_open_ex");
    if (npz_writer_add_typed(w, "data", NPYIO_FLOAT64, 1, &n, arr, len)) {
        npz_writer_discard(w);
        return fail("npz_writer_add_typed");
    }
    if (npz_writer_finish(w)) return fail("npz_writer_finish");

    npy_file *f = NULL;
    double t0 = now();
    if (npy_load("bench.npy", NPYIO_FLOAT64, &f)) return fail("load npy");
    double t_npy = now() - t0;
    int ok = memcmp(arr, npy_data(f), len) == 0;
    npy_close(f);

    t0 = now();
    if (npy_loadtxt("bench.csv", NULL, &f) || npy_read_as(f, NPYIO_FLOAT64, back, len)) return fail("load csv");
    double t_csv = now() - t0;
    npy_close(f);
    ok &= memcmp(arr, back, len) == 0; /* %.18e round-trips exactly */

    npz_file *z = NULL;
    t0 = now();
    if (npz_open("bench.npz", &z) || npz_read_as(z, "data", NPYIO_FLOAT64, back, len)) return fail("load npz");
    double t_npz = now() - t0;
    npz_close(z);
    ok &= memcmp(arr, back, len) == 0;

    printf("%-12s %12s %10s\n", "Format", "Load time", "Size (MB)");
    printf("%-12s %11.4fs %10.2f\n", "NPY", t_npy, mb("bench.npy"));
    printf("%-12s %11.4fs %10.2f\n", "CSV", t_csv, mb("bench.csv"));
    printf("%-12s %11.4fs %10.2f\n", "NPZ (comp)", t_npz, mb("bench.npz"));
    printf("all three loads equal the original: %s\n", ok ? "yes" : "NO");
    free(arr);
    free(back);
    return ok ? 0 : 1;
}
