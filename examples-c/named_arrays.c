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
    int64_t x[10], x2[10];
    double y[10], z[9] = {0}, y2[10], z2[9];
    for (int i = 0; i < 10; i++) {
        x[i] = i;
        y[i] = i / 9.0; /* np.linspace(0, 1, 10) */
    }
    y[9] = 1.0;
    z[0] = z[4] = z[8] = 1.0;

    npz_writer *w = NULL;
    const uint64_t n10 = 10, eye[2] = {3, 3};
    if (npz_writer_open("named_arrays.npz", &w)) return fail("npz_writer_open");
    if (npz_writer_add_typed(w, "x_data", NPYIO_INT64, 1, &n10, x, sizeof x) ||
        npz_writer_add_typed(w, "y_data", NPYIO_FLOAT64, 1, &n10, y, sizeof y) ||
        npz_writer_add_typed(w, "z_data", NPYIO_FLOAT64, 2, eye, z, sizeof z)) {
        npz_writer_discard(w);
        return fail("npz_writer_add_typed");
    }
    if (npz_writer_finish(w)) return fail("npz_writer_finish");

    npz_file *data = NULL;
    if (npz_open("named_arrays.npz", &data)) return fail("npz_open");
    printf("Stored arrays: [");
    for (size_t i = 0; i < npz_count(data); i++) printf("%s'%s'", i ? ", " : "", npz_name(data, i));
    printf("]\n");
    if (npz_read_as(data, "x_data", NPYIO_INT64, x2, sizeof x2) ||
        npz_read_as(data, "y_data", NPYIO_FLOAT64, y2, sizeof y2) ||
        npz_read_as(data, "z_data", NPYIO_FLOAT64, z2, sizeof z2))
        return fail("npz_read_as");
    npz_close(data);
    int mx = memcmp(x, x2, sizeof x) == 0, my = memcmp(y, y2, sizeof y) == 0, mz = memcmp(z, z2, sizeof z) == 0;
    printf("x match: %s\n", mx ? "True" : "False");
    printf("y match: %s\n", my ? "True" : "False");
    printf("z match: %s\n", mz ? "True" : "False");
    return mx && my && mz ? 0 : 1;
}
