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

/* Read a whole array handle into `out`, then close it. */
static int take(npy_file *f, double *out)
{
    int rc = npy_nbytes(f) != N * sizeof(double) ||
             npy_read_into(f, out, N * sizeof(double), NPYIO_READ_NATIVE | NPYIO_READ_C_ORDER) != NPYIO_OK;
    npy_close(f);
    return rc;
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
    npyio_dtype *f8 = NULL;
    if (npyio_dtype_parse("<f8", &f8)) return fail("dtype");
    const uint64_t n = N;
    if (npy_save("bench.npy", f8, 1, &n, false, arr, N * sizeof *arr)) return fail("npy_save");
    if (npy_savetxt_data("bench.csv", f8, 1, &n, arr, N * sizeof *arr, NULL)) return fail("npy_savetxt_data");
    npz_writer *w = NULL;
    if (npz_writer_open("bench.npz", &w) ||
        npz_writer_add(w, "data", f8, 1, &n, false, arr, N * sizeof *arr, NPYIO_DEFLATE) || npz_writer_finish(w))
        return fail("npz");
    npyio_dtype_free(f8);

    npy_file *f = NULL;
    double t0 = now();
    if (npy_open("bench.npy", &f) || take(f, back)) return fail("load npy");
    double t_npy = now() - t0;
    int ok = memcmp(arr, back, N * sizeof *arr) == 0;

    t0 = now();
    if (npy_loadtxt("bench.csv", NULL, &f) || take(f, back)) return fail("load csv");
    double t_csv = now() - t0;
    ok &= memcmp(arr, back, N * sizeof *arr) == 0; /* %.18e round-trips exactly */

    npz_file *z = NULL;
    t0 = now();
    if (npz_open("bench.npz", &z) || npz_open_member(z, "data", &f) || take(f, back)) return fail("load npz");
    npz_close(z);
    double t_npz = now() - t0;
    ok &= memcmp(arr, back, N * sizeof *arr) == 0;

    printf("%-12s %12s %10s\n", "Format", "Load time", "Size (MB)");
    printf("%-12s %11.4fs %10.2f\n", "NPY", t_npy, mb("bench.npy"));
    printf("%-12s %11.4fs %10.2f\n", "CSV", t_csv, mb("bench.csv"));
    printf("%-12s %11.4fs %10.2f\n", "NPZ (comp)", t_npz, mb("bench.npz"));
    printf("all three loads equal the original: %s\n", ok ? "yes" : "NO");
    free(arr);
    free(back);
    return ok ? 0 : 1;
}
