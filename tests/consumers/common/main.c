/* Consumer program shared by every consumer project (CMake find_package, add_subdirectory,
 * Makefile + pkg-config; shared and static): opens the .npy file named on the command line,
 * prints its shape and the sum of its float64 values. Exit status 0 only on success. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npyio.h"

#ifndef CONSUMER_NAME
#define CONSUMER_NAME "consumer"
#endif

static int fail(const char *what, const char *path, npyio_status st)
{
    char msg[1024] = {0};
    npyio_last_error(msg, sizeof msg);
    msg[sizeof msg - 1] = '\0';
    fprintf(stderr, CONSUMER_NAME ": %s %s: %s (%d): %s\n", what, path,
            npyio_status_str((int32_t)st), (int)st, msg);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.npy   (a float64 array)\n", argv[0]);
        return 2;
    }
    const char *path = argv[1];

    npy_file *f = NULL;
    npyio_status st = npy_open(path, &f);
    if (st != 0)
        return fail("npy_open", path, st);

    const npyio_dtype *dtype = npy_dtype(f);
    const char *descr = npyio_dtype_descr(dtype);
    if (npyio_dtype_itemsize(dtype) != 8 || strstr(descr, "f8") == NULL) {
        fprintf(stderr, CONSUMER_NAME ": %s: dtype %s is not float64\n", path, descr);
        npy_close(f);
        return 1;
    }

    size_t ndim = npy_ndim(f);
    const uint64_t *shape = npy_shape(f);
    printf(CONSUMER_NAME ": shape (");
    for (size_t i = 0; i < ndim; i++)
        printf("%s%llu", i ? ", " : "", (unsigned long long)shape[i]);
    printf("%s)\n", ndim == 1 ? "," : "");

    uint64_t nbytes = npy_nbytes(f);
    if (nbytes > SIZE_MAX) {
        fprintf(stderr, CONSUMER_NAME ": %s: too large\n", path);
        npy_close(f);
        return 1;
    }
    size_t count = (size_t)nbytes / sizeof(double);
    double *values = malloc(count ? count * sizeof(double) : 1);
    if (values == NULL) {
        fprintf(stderr, CONSUMER_NAME ": out of memory\n");
        npy_close(f);
        return 1;
    }
    st = npy_read_into(f, values, (size_t)nbytes, (uint32_t)NPYIO_READ_NATIVE);
    if (st != 0) {
        int rc = fail("npy_read_into", path, st);
        free(values);
        npy_close(f);
        return rc;
    }
    npy_close(f);

    double sum = 0.0;
    for (size_t i = 0; i < count; i++)
        sum += values[i];
    free(values);
    printf(CONSUMER_NAME ": sum %.17g\n", sum);
    return 0;
}
