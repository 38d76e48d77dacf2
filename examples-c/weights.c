/* weights: save a small model's named weights in one compressed .npz, then load them by name.
 *
 * The "save model weights" workflow of NumPy's I/O guide, from C. In NumPy:
 *
 *     weights = {'W1': W1, 'b1': b1, 'W2': W2, 'b2': b2}
 *     np.savez_compressed('weights.npz', **weights)
 *     with np.load('weights.npz') as data:
 *         W1 = data['W1']
 *
 * Here: an MLP 784 -> 128 -> 10 (W1 784x128, b1 128, W2 128x10, b2 10, all float32) with
 * deterministic values, saved deflate-compressed under those names (npz_writer_add with
 * NPYIO_DEFLATE, as np.savez_compressed), loaded back by name (npz_open_member + npy_read_into)
 * and compared exactly. It prints each member's shape and its compressed and uncompressed
 * sizes. NumPy loads the result:  np.load("weights.npz")["W1"].
 *
 * Build:  cc -std=c11 -Wall -Wextra weights.c $(pkg-config --cflags --libs npyio)
 * Run it in a scratch directory: it writes weights.npz into the current directory.
 * Exit status is non-zero if any step fails; the library's message says why.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npyio.h"

#define ARCHIVE "weights.npz"

struct tensor {
    const char *name;  /* the key: the member is name + ".npy" */
    size_t ndim;
    uint64_t shape[2];
    uint32_t seed;
    float *data;       /* C order, host byte order */
    size_t count;
};

/* Pseudo-random but exactly reproducible values k / 4096 with |k| <= 1000 (exact in float32).
 * tests/c/npz_interop.py computes the same values to check the archive with NumPy. */
static float weight_value(uint32_t seed, uint64_t i)
{
    uint64_t h = ((i + (uint64_t)seed * 1000003u) * 2654435761u) & 0xFFFFFFFFu;
    h ^= h >> 16;
    int k = (int)(h % 2001u) - 1000;
    return (float)k / 4096.0f;
}

static void report(const char *what, npyio_status status)
{
    char msg[1024] = {0};
    npyio_last_error(msg, sizeof msg);
    fprintf(stderr, "weights: %s failed: %s (%d): %s\n", what, npyio_status_str(status),
            (int)status, msg);
}

static bool host_is_little_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

static int save(struct tensor *t, size_t n, const npyio_dtype *f4)
{
    npz_writer *w = NULL;
    npyio_status st = npz_writer_open(ARCHIVE, &w);  /* deflate level 6, as NumPy */
    if (st != NPYIO_OK) {
        report("npz_writer_open(" ARCHIVE ")", st);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        st = npz_writer_add(w, t[i].name, f4, t[i].ndim, t[i].shape, false, t[i].data,
                            t[i].count * sizeof(float), NPYIO_DEFLATE);
        if (st != NPYIO_OK) {
            report("npz_writer_add", st);
            npz_writer_discard(w);  /* no half-written archive is left behind */
            return 1;
        }
    }
    st = npz_writer_finish(w);  /* renames the complete archive into place */
    if (st != NPYIO_OK) {
        report("npz_writer_finish", st);
        return 1;
    }
    return 0;
}

static int load_and_verify(const struct tensor *t, size_t n)
{
    npz_file *z = NULL;
    npyio_status st = npz_open(ARCHIVE, &z);
    if (st != NPYIO_OK) {
        report("npz_open(" ARCHIVE ")", st);
        return 1;
    }
    int rc = 0;
    uint64_t total_size = 0, total_compressed = 0;
    printf("%-4s  %-10s  %12s  %12s  %6s\n", "name", "shape", "uncompressed", "compressed",
           "ratio");
    for (size_t i = 0; i < npz_count(z) && rc == 0; i++) {
        const char *key = npz_name(z, i);
        const struct tensor *want = NULL;
        for (size_t k = 0; k < n; k++)
            if (strcmp(t[k].name, key) == 0) want = &t[k];
        if (want == NULL) {
            fprintf(stderr, "weights: unexpected member '%s'\n", key);
            rc = 1;
            break;
        }
        /* Load by name, like data['W1']. */
        npy_file *f = NULL;
        st = npz_open_member(z, key, &f);
        if (st != NPYIO_OK) {
            report("npz_open_member", st);
            rc = 1;
            break;
        }
        const npyio_dtype *dt = npy_dtype(f);
        bool ok = npyio_dtype_kind(dt) == 'f' && npyio_dtype_itemsize(dt) == 4 &&
                  npy_ndim(f) == want->ndim && npy_count(f) == want->count;
        for (size_t d = 0; ok && d < want->ndim; d++) ok = npy_shape(f)[d] == want->shape[d];
        float *got = NULL;
        if (ok) {
            got = (float *)malloc(want->count * sizeof(float));
            ok = got != NULL;
        }
        if (ok) {
            /* NPYIO_READ_NATIVE: host byte order whatever the file's; C order. */
            st = npy_read_into(f, got, want->count * sizeof(float),
                               NPYIO_READ_NATIVE | NPYIO_READ_C_ORDER);
            if (st != NPYIO_OK) {
                report("npy_read_into", st);
                rc = 1;
            } else if (memcmp(got, want->data, want->count * sizeof(float)) != 0) {
                fprintf(stderr, "weights: %s: values differ from what was saved\n", key);
                rc = 1;
            }
        } else {
            fprintf(stderr, "weights: %s: unexpected dtype %s or shape\n", key,
                    npyio_dtype_descr(dt));
            rc = 1;
        }
        free(got);
        npy_close(f);
        if (rc) break;

        char shape[32];
        if (want->ndim == 2)
            snprintf(shape, sizeof shape, "(%llu, %llu)", (unsigned long long)want->shape[0],
                     (unsigned long long)want->shape[1]);
        else
            snprintf(shape, sizeof shape, "(%llu,)", (unsigned long long)want->shape[0]);
        uint64_t size = npz_member_size(z, i), csize = npz_member_compressed_size(z, i);
        total_size += size;
        total_compressed += csize;
        printf("%-4s  %-10s  %12llu  %12llu  %5.1f%%  %s\n", key, shape, (unsigned long long)size,
               (unsigned long long)csize, 100.0 * (double)csize / (double)size,
               npz_member_compression(z, i) == NPYIO_DEFLATE ? "deflate" : "stored");
    }
    if (rc == 0 && npz_count(z) != n) {
        fprintf(stderr, "weights: %zu members, expected %zu\n", npz_count(z), n);
        rc = 1;
    }
    if (rc == 0) {
        printf("%-4s  %-10s  %12llu  %12llu  %5.1f%%\n", "all", "", (unsigned long long)total_size,
               (unsigned long long)total_compressed,
               100.0 * (double)total_compressed / (double)total_size);
        printf("weights: %zu arrays saved to %s and loaded back by name, values identical "
               "(compressed to %.2fx smaller)\n",
               n, ARCHIVE, (double)total_size / (double)total_compressed);
    }
    npz_close(z);
    return rc;
}

int main(void)
{
    struct tensor t[4] = {
        {"W1", 2, {784, 128}, 1, NULL, 784 * 128},
        {"b1", 1, {128, 0}, 2, NULL, 128},
        {"W2", 2, {128, 10}, 3, NULL, 128 * 10},
        {"b2", 1, {10, 0}, 4, NULL, 10},
    };
    const size_t n = sizeof t / sizeof t[0];
    int rc = 1;
    for (size_t i = 0; i < n; i++) {
        t[i].data = (float *)malloc(t[i].count * sizeof(float));
        if (t[i].data == NULL) {
            fprintf(stderr, "weights: out of memory\n");
            goto out;
        }
        for (size_t k = 0; k < t[i].count; k++) t[i].data[k] = weight_value(t[i].seed, k);
    }

    /* The data is in host byte order, so the dtype says which one that is ("<f4" on x86). */
    npyio_dtype *f4 = NULL;
    npyio_status st = npyio_dtype_parse(host_is_little_endian() ? "<f4" : ">f4", &f4);
    if (st != NPYIO_OK) {
        report("npyio_dtype_parse", st);
        goto out;
    }
    rc = save(t, n, f4);
    npyio_dtype_free(f4);
    if (rc == 0) rc = load_and_verify(t, n);
out:
    for (size_t i = 0; i < n; i++) free(t[i].data);
    return rc;
}
