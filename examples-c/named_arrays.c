/* named_arrays: NumPy I/O guide, exercise 2 -- three arrays with custom names
 * in one .npz (x = arange(10), y = linspace(0, 1, 10), z = eye(3)); list the
 * stored names and verify each array. Leaves named_arrays.npz for NumPy. */
#include <stdio.h>
#include <string.h>

#include "npyio.h"

static int fail(const char *what)
{
    char msg[512];
    npyio_last_error(msg, sizeof msg);
    fprintf(stderr, "named_arrays: %s: %s\n", what, msg);
    return 1;
}

int main(void)
{
    long long x[10];
    double y[10], z[9] = {0};
    for (int i = 0; i < 10; i++) {
        x[i] = i;
        y[i] = i / 9.0; /* np.linspace(0, 1, 10) */
    }
    y[9] = 1.0;
    for (int i = 0; i < 3; i++) z[i * 3 + i] = 1.0;

    npyio_dtype *i8 = NULL, *f8 = NULL;
    if (npyio_dtype_parse("<i8", &i8) || npyio_dtype_parse("<f8", &f8)) return fail("dtype");
    npz_writer *w = NULL;
    const uint64_t n10 = 10, eye[2] = {3, 3};
    if (npz_writer_open("named_arrays.npz", &w)) return fail("npz_writer_open");
    if (npz_writer_add(w, "x_data", i8, 1, &n10, false, x, sizeof x, NPYIO_STORED) ||
        npz_writer_add(w, "y_data", f8, 1, &n10, false, y, sizeof y, NPYIO_STORED) ||
        npz_writer_add(w, "z_data", f8, 2, eye, false, z, sizeof z, NPYIO_STORED)) {
        npz_writer_discard(w);
        return fail("npz_writer_add");
    }
    if (npz_writer_finish(w)) return fail("npz_writer_finish");
    npyio_dtype_free(i8);
    npyio_dtype_free(f8);

    npz_file *zf = NULL;
    if (npz_open("named_arrays.npz", &zf)) return fail("npz_open");
    printf("Stored arrays: [");
    for (size_t i = 0; i < npz_count(zf); i++) printf("%s'%s'", i ? ", " : "", npz_name(zf, i));
    printf("]\n");
    const char *names[3] = {"x_data", "y_data", "z_data"};
    const void *want[3] = {x, y, z};
    size_t len[3] = {sizeof x, sizeof y, sizeof z};
    int ok = 1;
    for (int k = 0; k < 3; k++) {
        npy_file *m = NULL;
        unsigned char buf[128];
        if (npz_open_member(zf, names[k], &m)) return fail("npz_open_member");
        if (npy_nbytes(m) != len[k] || npy_read_into(m, buf, sizeof buf, NPYIO_READ_NATIVE)) return fail("read");
        int match = memcmp(buf, want[k], len[k]) == 0;
        printf("%c match: %s\n", names[k][0], match ? "True" : "False");
        ok &= match;
        npy_close(m);
    }
    npz_close(zf);
    return ok ? 0 : 1;
}
