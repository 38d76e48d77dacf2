/* bigdata: work on a float64 array larger than the process may hold, as in the
 * "data larger than RAM" section of NumPy's I/O guide.
 *
 * 1. Streams a .npy of N float64 values (0, 1, 2, ...) to disk in 1 MiB pieces
 *    with npy_writer_* -- the array never exists in memory.
 * 2. Caps the process's address space (RLIMIT_AS) to LIMIT MiB above what it
 *    uses now, so the whole array can be neither allocated nor mapped.
 * 3. Shows that mapping the whole file now fails, then maps it window by
 *    window with npy_mmap_raw (np.memmap with an offset) and sums each window.
 * 4. Checks the sum against N(N-1)/2 (exact in double for these sizes).
 *
 * Usage: bigdata [SIZE_MiB=256] [LIMIT_MiB=64]
 * NumPy reads the file it leaves: np.load("big.npy", mmap_mode="r").sum()
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "npyio.h"

static int fail(const char *what, npyio_status st)
{
    char msg[512];
    npyio_last_error(msg, sizeof msg);
    fprintf(stderr, "bigdata: %s: %s (%d): %s\n", what, npyio_status_str(st), (int)st, msg);
    return 1;
}

/* Current virtual size of this process in bytes, from /proc/self/statm. */
static uint64_t vm_size(void)
{
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    return (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

int main(int argc, char **argv)
{
    const uint64_t size_mib = argc > 1 ? strtoull(argv[1], NULL, 10) : 256;
    const uint64_t limit_mib = argc > 2 ? strtoull(argv[2], NULL, 10) : 64;
    const uint64_t n = size_mib * (1u << 20) / sizeof(double);
    const char *path = "big.npy";
    npyio_dtype *f8 = NULL;
    npyio_status st = npyio_dtype_parse("<f8", &f8);
    if (st != NPYIO_OK)
        return fail("dtype", st);

    /* 1. Stream the array to disk. */
    npy_writer *w = NULL;
    if ((st = npy_writer_create(path, f8, 1, &n, false, &w)) != NPYIO_OK)
        return fail("npy_writer_create", st);
    enum { CHUNK = 1 << 17 }; /* values per piece: 1 MiB */
    static double piece[CHUNK];
    for (uint64_t i = 0; i < n; i += CHUNK) {
        uint64_t k = n - i < CHUNK ? n - i : CHUNK;
        for (uint64_t j = 0; j < k; j++)
            piece[j] = (double)(i + j);
        if ((st = npy_writer_write(w, piece, k * sizeof(double))) != NPYIO_OK) {
            npy_writer_discard(w);
            return fail("npy_writer_write", st);
        }
    }
    if ((st = npy_writer_finish(w)) != NPYIO_OK)
        return fail("npy_writer_finish", st);
    printf("wrote %s: %" PRIu64 " float64 values, %" PRIu64 " MiB\n", path, n, size_mib);

    /* 2. Cap the address space well below the array's size. */
    struct rlimit lim;
    lim.rlim_cur = vm_size() + limit_mib * (1u << 20);
    lim.rlim_max = RLIM_INFINITY;
    if (setrlimit(RLIMIT_AS, &lim) != 0) {
        perror("setrlimit");
        return 1;
    }
    printf("address space capped at %" PRIu64 " MiB above current use\n", limit_mib);

    /* 3a. The whole array no longer fits: a full map fails cleanly. */
    npy_file *whole = NULL;
    st = npy_mmap(path, NPYIO_MMAP_READ, &whole);
    if (st == NPYIO_OK) {
        fprintf(stderr, "bigdata: mapping %" PRIu64 " MiB should have failed under the cap\n", size_mib);
        npy_close(whole);
        return 1;
    }
    printf("mapping the whole file fails as expected: %s\n", npyio_status_str(st));

    /* 3b. Map and sum windows of 16 MiB. */
    npy_file *hdr = NULL;
    if ((st = npy_open(path, &hdr)) != NPYIO_OK)
        return fail("npy_open", st);
    const uint64_t offset = npy_data_offset(hdr);
    npy_close(hdr);
    const uint64_t window = 2u << 20; /* values per window: 16 MiB */
    double sum = 0;
    uint64_t windows = 0;
    for (uint64_t i = 0; i < n; i += window) {
        uint64_t k = n - i < window ? n - i : window;
        npy_file *m = NULL;
        st = npy_mmap_raw(path, f8, NPYIO_MMAP_READ, offset + i * sizeof(double), 1, &k, false, &m);
        if (st != NPYIO_OK)
            return fail("npy_mmap_raw", st);
        const double *v = (const double *)npy_data(m);
        for (uint64_t j = 0; j < k; j++)
            sum += v[j];
        npy_close(m);
        windows++;
    }
    npyio_dtype_free(f8);

    /* 4. Check. */
    const double want = (double)n * (double)(n - 1) / 2.0;
    printf("summed %" PRIu64 " windows: sum = %.0f, expected %.0f\n", windows, sum, want);
    if (sum != want) {
        fprintf(stderr, "bigdata: wrong sum\n");
        return 1;
    }
    printf("bigdata: ok\n");
    return 0;
}
