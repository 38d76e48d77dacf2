/*
 * test_numpy_interop.c -- libnpyio and NumPy read each other's files.
 *
 *     test_numpy_interop <numpy_dir> <out_root>
 *
 * 1. Reads the py_*.npy files numpy_interop.py wrote into <numpy_dir> (ctest
 *    fixture npyio_interop_numpy) and checks shape, dtype, order and values.
 * 2. Writes c_*.npy files into <out_root>/c (or <out_root>/cxx when compiled
 *    as C++), which numpy_interop.py then loads with np.load(allow_pickle=False)
 *    and compares with np.save's bytes.
 * The values on both sides are defined in numpy_interop.py; keep them in step.
 */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "npyio.h"
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- NumPy -> C -------------------------------------------------------------------------------- */

static const char *numpy_dir;

/* Open numpy_dir/py_<name>.npy and check its descr and shape. */
static npy_file *open_py(const char *name, const char *descr, size_t ndim,
                         const uint64_t *shape) {
  char path[1024];
  snprintf(path, sizeof path, "%s/py_%s.npy", numpy_dir, name);
  current = name;
  npy_file *f = NULL;
  CHECK_OK(npy_open(path, &f));
  CHECK(strcmp(npyio_dtype_descr(npy_dtype(f)), descr) == 0);
  CHECK(npy_ndim(f) == ndim);
  for (size_t i = 0; i < ndim; i++) CHECK(npy_shape(f)[i] == shape[i]);
  CHECK(npy_data_offset(f) % 64 == 0);
  return f;
}

static void read_numpy_files(void) {
  {
    const uint64_t shape[2] = {3, 4};
    npy_file *f = open_py("f8_2d", "'<f8'", 2, shape);
    CHECK(!npy_fortran_order(f) && npy_format_version(f) == 1);
    double v[12];
    CHECK_OK(npy_read_into(f, v, sizeof v, NPYIO_READ_NATIVE));
    for (int i = 0; i < 12; i++) CHECK(v[i] == i * 0.5 - 1);
    npy_close(f);
  }
  {
    const uint64_t shape[1] = {5};
    const int32_t want[5] = {1, -2, 300000, -400000, INT32_MAX};
    npy_file *f = open_py("i4_be", "'>i4'", 1, shape);
    int32_t v[5];
    uint8_t raw[20], be[20];
    CHECK_OK(npy_read_into(f, v, sizeof v, NPYIO_READ_NATIVE));
    CHECK_OK(npy_read_into(f, raw, sizeof raw, 0));
    for (int i = 0; i < 5; i++) {
      CHECK(v[i] == want[i]);
      put_be(be + 4 * i, (uint32_t)want[i], 4);
    }
    CHECK(memcmp(raw, be, 20) == 0);
    npy_close(f);
  }
  {
    const uint64_t shape[2] = {3, 4};
    npy_file *f = open_py("i2_fortran", "'<i2'", 2, shape);
    CHECK(npy_fortran_order(f));
    int16_t c[12], rows[8];
    CHECK_OK(npy_read_into(f, c, sizeof c, NPYIO_READ_C_ORDER | NPYIO_READ_NATIVE));
    for (int k = 0; k < 12; k++) CHECK(c[k] == k - 5);
    CHECK_OK(npy_read_rows(f, 1, 2, rows, sizeof rows, NPYIO_READ_C_ORDER | NPYIO_READ_NATIVE));
    for (int k = 0; k < 8; k++) CHECK(rows[k] == k + 4 - 5);
    npy_close(f);
  }
  {
    const uint64_t shape[1] = {3};
    const int32_t a[3] = {1, -2, 3};
    const double b[3] = {1.5, 2.5, -3.5};
    npy_file *f = open_py("record", "[('a', '<i4'), ('b', '>f8')]", 1, shape);
    CHECK(npyio_dtype_is_record(npy_dtype(f)) && npyio_dtype_itemsize(npy_dtype(f)) == 12);
    uint8_t v[36];
    CHECK_OK(npy_read_into(f, v, sizeof v, NPYIO_READ_NATIVE));
    for (int i = 0; i < 3; i++) {
      int32_t ai;
      double bi;
      memcpy(&ai, v + 12 * i, 4);
      memcpy(&bi, v + 12 * i + 4, 8);
      CHECK(ai == a[i] && bi == b[i]);
    }
    npy_close(f);
  }
  {
    const uint64_t shape[1] = {3};
    const uint32_t want[9] = {'a', 'b', 0, 'x', 'y', 'z', 0, 0, 0};
    npy_file *f = open_py("unicode", "'<U3'", 1, shape);
    uint32_t v[9];
    CHECK_OK(npy_read_into(f, v, sizeof v, NPYIO_READ_NATIVE));
    CHECK(memcmp(v, want, sizeof v) == 0);
    npy_close(f);
  }
  {
    const uint64_t shape[1] = {2};
    npy_file *f = open_py("c16_be", "'>c16'", 1, shape);
    CHECK(npyio_dtype_kind(npy_dtype(f)) == 'c');
    double v[4];
    CHECK_OK(npy_read_into(f, v, sizeof v, NPYIO_READ_NATIVE)); /* both halves swapped */
    CHECK(v[0] == 1 && v[1] == 2 && v[2] == -3.5 && v[3] == -0.25);
    npy_close(f);
  }
  {
    npy_file *f = open_py("bool_0d", "'|b1'", 0, NULL);
    uint8_t v = 0;
    CHECK(npy_count(f) == 1);
    CHECK_OK(npy_read_into(f, &v, 1, 0));
    CHECK(v == 1);
    npy_close(f);
  }
  {
    const uint64_t shape[3] = {0, 2, 3};
    npy_file *f = open_py("empty", "'<f4'", 3, shape);
    CHECK(npy_nbytes(f) == 0 && npy_count(f) == 0 && npy_row_nbytes(f) == 24);
    npy_close(f);
  }
  {
    const uint64_t shape[1] = {5};
    npy_file *f = open_py("v2", "'<u8'", 1, shape);
    CHECK(npy_format_version(f) == 2);
    npy_close(f);
    char path[1024];
    snprintf(path, sizeof path, "%s/py_v2.npy", numpy_dir);
    CHECK_OK(npy_mmap(path, NPYIO_MMAP_READ, &f));
    uint64_t v[5];
    CHECK_OK(npy_read_into(f, v, sizeof v, NPYIO_READ_NATIVE));
    for (int i = 0; i < 5; i++) CHECK(v[i] == (uint64_t)i);
    npy_close(f);
  }
  {
    const uint64_t shape[1] = {2};
    npy_file *f = open_py("v3", "[('\xcf\x80', '<f4')]", 1, shape); /* UTF-8 field name */
    CHECK(npy_format_version(f) == 3);
    float v[2];
    CHECK_OK(npy_read_into(f, v, sizeof v, NPYIO_READ_NATIVE));
    CHECK(v[0] == 1.5f && v[1] == -2.0f);
    npy_close(f);
  }
}

/* ---- C -> NumPy -------------------------------------------------------------------------------- */

static char out_dir[1024];

static void save(const char *name, const char *descr, size_t ndim, const uint64_t *shape,
                 bool fortran, const void *data, size_t len) {
  char path[1200];
  snprintf(path, sizeof path, "%s/c_%s.npy", out_dir, name);
  current = name;
  npyio_dtype *d = NULL;
  CHECK_OK(npyio_dtype_parse(descr, &d));
  CHECK_OK(npy_save(path, d, ndim, shape, fortran, data, len));
  npyio_dtype_free(d);
}

static void write_c_files(void) {
  {
    uint8_t d[96];
    for (int i = 0; i < 12; i++) put_le(d + 8 * i, f64_bits(i * 0.5 - 1), 8);
    const uint64_t shape[2] = {3, 4};
    save("f8_2d", "<f8", 2, shape, false, d, sizeof d);
  }
  {
    const int32_t v[5] = {1, -2, 300000, -400000, INT32_MAX};
    uint8_t d[20];
    for (int i = 0; i < 5; i++) put_be(d + 4 * i, (uint32_t)v[i], 4);
    const uint64_t shape[1] = {5};
    save("i4_be", ">i4", 1, shape, false, d, sizeof d);
  }
  {
    /* a[i][j] = 4*i + j - 5, 3x4, stored column by column. */
    uint8_t d[24];
    int k = 0;
    for (int j = 0; j < 4; j++)
      for (int i = 0; i < 3; i++, k++) put_le(d + 2 * k, (uint16_t)(4 * i + j - 5), 2);
    const uint64_t shape[2] = {3, 4};
    save("i2_fortran", "<i2", 2, shape, true, d, sizeof d);
  }
  {
    const int32_t a[3] = {1, -2, 3};
    const double b[3] = {1.5, 2.5, -3.5};
    uint8_t d[36];
    for (int i = 0; i < 3; i++) {
      put_le(d + 12 * i, (uint32_t)a[i], 4);
      put_be(d + 12 * i + 4, f64_bits(b[i]), 8);
    }
    const uint64_t shape[1] = {3};
    save("record", "[('a', '<i4'), ('b', '>f8')]", 1, shape, false, d, sizeof d);
  }
  {
    const uint32_t cps[9] = {'a', 'b', 0, 'x', 'y', 'z', 0, 0, 0};
    uint8_t d[36];
    for (int i = 0; i < 9; i++) put_le(d + 4 * i, cps[i], 4);
    const uint64_t shape[1] = {3};
    save("unicode", "<U3", 1, shape, false, d, sizeof d);
  }
  {
    uint8_t d[8];
    put_le(d, f64_bits(2.5), 8);
    save("f8_0d", "<f8", 0, NULL, false, d, sizeof d);
  }
  {
    const uint64_t shape[2] = {0, 3};
    save("empty", "<i4", 2, shape, false, NULL, 0);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <numpy_dir> <out_root>\n", argv[0]);
    return 2;
  }
  numpy_dir = argv[1];
  read_numpy_files();

  const char *lang = make_lang_dir(out_dir, sizeof out_dir, argv[2]);
  write_c_files();
  printf("test_numpy_interop (%s): read the NumPy files, wrote %s\n", lang, out_dir);
  return 0;
}
