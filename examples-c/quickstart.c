/* quickstart: save three arrays as .npy files, then open each one and read it back.
 *
 *   - a 2x3 float64 matrix            ('<f8', C order)
 *   - 5 int32 values                  ('<i4', 1-D)
 *   - a 2x2 int16 matrix              ('<i2', Fortran order, i.e. stored column by column)
 *
 * NumPy reads the files it writes:  np.load("quickstart_f8.npy"), and so on.
 *
 * Build:  cc -std=c11 -Wall -Wextra quickstart.c $(pkg-config --cflags --libs npyio)
 * Run it in a scratch directory: it writes quickstart_*.npy into the current directory.
 * Exit status is non-zero if any step fails; the library's message says why.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npyio.h"

enum kind { KIND_F8, KIND_I4, KIND_I2 };

struct example {
    const char *path;
    enum kind kind;
    char type[4];          /* descr without the byte-order character */
    size_t itemsize;
    size_t ndim;
    uint64_t shape[2];
    bool fortran_order;
    const void *data;      /* as written: in memory order given by fortran_order */
    const void *c_order;   /* the same values in C order: what a C-order read returns */
    size_t len;
};

/* Print the status, its name and this thread's last error message. */
static void report(const char *what, const char *path, npyio_status status)
{
    char msg[1024] = {0};
    npyio_last_error(msg, sizeof msg);
    msg[sizeof msg - 1] = '\0';
    fprintf(stderr, "quickstart: %s %s failed: %s (%d): %s\n", what, path,
            npyio_status_str((int32_t)status), (int)status, msg);
}

static bool host_is_little_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

/* The data is in host byte order, so the descr says which one that is ("<f8" on x86). */
static int save_example(const struct example *ex)
{
    char descr[8];
    snprintf(descr, sizeof descr, "%c%s", host_is_little_endian() ? '<' : '>', ex->type);

    npyio_dtype *dtype = NULL;
    npyio_status st = npyio_dtype_parse(descr, &dtype);
    if (st != 0) {
        report("npyio_dtype_parse", descr, st);
        return 1;
    }
    if (npyio_dtype_itemsize(dtype) != ex->itemsize) {
        fprintf(stderr, "quickstart: %s: itemsize %zu, expected %zu\n", descr,
                npyio_dtype_itemsize(dtype), ex->itemsize);
        npyio_dtype_free(dtype);
        return 1;
    }
    st = npy_save(ex->path, dtype, ex->ndim, ex->shape, ex->fortran_order, ex->data, ex->len);
    npyio_dtype_free(dtype);
    if (st != 0) {
        report("npy_save", ex->path, st);
        return 1;
    }
    return 0;
}

static void print_value(enum kind kind, const unsigned char *p)
{
    switch (kind) {
    case KIND_F8: { double v; memcpy(&v, p, sizeof v); printf(" %g", v); break; }
    case KIND_I4: { int32_t v; memcpy(&v, p, sizeof v); printf(" %ld", (long)v); break; }
    case KIND_I2: { int16_t v; memcpy(&v, p, sizeof v); printf(" %d", (int)v); break; }
    }
}

static int show_example(const struct example *ex)
{
    npy_file *f = NULL;
    npyio_status st = npy_open(ex->path, &f);
    if (st != 0) {
        report("npy_open", ex->path, st);
        return 1;
    }

    /* Describe: dtype, shape and memory order come from the header. */
    size_t ndim = npy_ndim(f);
    const uint64_t *shape = npy_shape(f);
    bool fortran = npy_fortran_order(f);
    uint64_t nbytes = npy_nbytes(f);
    size_t row = ndim == 0 ? 1 : (size_t)shape[ndim - 1]; /* values per printed line */
    printf("%s: descr %s, shape (", ex->path, npyio_dtype_descr(npy_dtype(f)));
    for (size_t i = 0; i < ndim; i++)
        printf("%s%llu", i ? ", " : "", (unsigned long long)shape[i]);
    printf("%s), fortran_order %s, %llu bytes\n", ndim == 1 ? "," : "",
           fortran ? "True" : "False", (unsigned long long)nbytes);

    if (nbytes != ex->len) {
        fprintf(stderr, "quickstart: %s: %llu bytes, expected %zu\n", ex->path,
                (unsigned long long)nbytes, ex->len);
        npy_close(f);
        return 1;
    }

    /* Read: the caller owns the buffer; ask for host byte order and C order. */
    unsigned char *buf = malloc(ex->len ? ex->len : 1);
    if (buf == NULL) {
        fprintf(stderr, "quickstart: out of memory\n");
        npy_close(f);
        return 1;
    }
    st = npy_read_into(f, buf, ex->len, (uint32_t)(NPYIO_READ_NATIVE | NPYIO_READ_C_ORDER));
    npy_close(f); /* shape and descr were borrowed from f: not used after this */
    if (st != 0) {
        report("npy_read_into", ex->path, st);
        free(buf);
        return 1;
    }

    size_t count = ex->len / ex->itemsize;
    for (size_t i = 0; i < count; i++) {
        if (row != 0 && i % row == 0)
            printf(i ? "\n   " : "   ");
        print_value(ex->kind, buf + i * ex->itemsize);
    }
    printf("\n");

    int bad = memcmp(buf, ex->c_order, ex->len) != 0;
    if (bad)
        fprintf(stderr, "quickstart: %s: values read back differ from those written\n", ex->path);
    free(buf);
    return bad;
}

int main(void)
{
    static const double matrix[2][3] = {{1.5, 2.5, 3.5}, {-1.0, 0.0, 1e10}};
    static const int32_t counts[5] = {1, -2, 3, -4, 2147483647};
    /* [[1, 2], [3, 4]] stored column by column, and the same matrix row by row. */
    static const int16_t small_fortran[4] = {1, 3, 2, 4};
    static const int16_t small_c[4] = {1, 2, 3, 4};

    const struct example examples[] = {
        {"quickstart_f8.npy", KIND_F8, "f8", 8, 2, {2, 3}, false, matrix, matrix, sizeof matrix},
        {"quickstart_i4.npy", KIND_I4, "i4", 4, 1, {5, 0}, false, counts, counts, sizeof counts},
        {"quickstart_i2_fortran.npy", KIND_I2, "i2", 2, 2, {2, 2}, true, small_fortran, small_c,
         sizeof small_fortran},
    };
    const size_t n = sizeof examples / sizeof examples[0];

    int failures = 0;
    for (size_t i = 0; i < n; i++)
        failures += save_example(&examples[i]);
    for (size_t i = 0; i < n; i++)
        failures += show_example(&examples[i]);

    if (failures) {
        fprintf(stderr, "quickstart: %d step(s) failed\n", failures);
        return EXIT_FAILURE;
    }
    printf("quickstart: ok\n");
    return EXIT_SUCCESS;
}
