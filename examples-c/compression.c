/* compression: NumPy I/O guide, exercise 3 -- one 1000x1000 float64 array
 * saved stored (np.savez) and compressed (np.savez_compressed); compare the
 * file sizes and print the ratio. Leaves both archives for NumPy. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "npyio.h"

static int fail(const char *what)
{
    char msg[512];
    npyio_last_error(msg, sizeof msg);
    fprintf(stderr, "compression: %s: %s\n", what, msg);
    return 1;
}

/* np.savez(path, data=a), or np.savez_compressed with flags NPYIO_NPZ_COMPRESSED. */
static int save(const char *path, uint32_t flags, const double *a, size_t n)
{
    npz_writer *w = NULL;
    const uint64_t shape[2] = {1000, 1000};
    if (npz_writer_open_ex(path, flags, -1, &w)) return fail("npz_writer_open_ex");
    if (npz_writer_add_typed(w, "data", NPYIO_FLOAT64, 2, shape, a, n * sizeof *a)) {
        npz_writer_discard(w);
        return fail("npz_writer_add_typed");
    }
    return npz_writer_finish(w) ? fail("npz_writer_finish") : 0;
}

int main(void)
{
    const size_t n = 1000 * 1000;
    double *a = malloc(n * sizeof *a);
    if (!a) return 1;
    unsigned long long x = 7; /* normal-ish noise: sum of uniforms */
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (int k = 0; k < 4; k++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            s += (double)(x >> 11) / 9007199254740992.0;
        }
        a[i] = s - 2.0;
    }
    if (save("uncompressed.npz", 0, a, n) || save("compressed.npz", NPYIO_NPZ_COMPRESSED, a, n)) return 1;
    free(a);
    struct stat u, c;
    if (stat("uncompressed.npz", &u) || stat("compressed.npz", &c)) return 1;
    printf("Uncompressed: %.2f MB\n", u.st_size / 1e6);
    printf("Compressed: %.2f MB\n", c.st_size / 1e6);
    printf("Compression ratio: %.2fx\n", (double)u.st_size / (double)c.st_size);
    return c.st_size < u.st_size ? 0 : 1;
}
