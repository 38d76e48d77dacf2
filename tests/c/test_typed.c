/*
 * test_typed.c -- the typed layer of include/npyio.h: element type codes
 * (npyio_type, NPYIO_BOOL ... NPYIO_COMPLEX128) and their dtypes; reads
 * converted to a type with NumPy's casting rules (npy_read_as, npz_read_as and
 * their _ex forms): values, refusals, and every error path (NULL arguments,
 * short buffers, unknown type codes and rules, missing members). The values of
 * every type pair under every rule are checked against NumPy by
 * tests/cast_oracle.rs; here the C boundary is. Loads into memory the library
 * owns (npy_load, npz_load): converted or in the stored dtype, C order, host
 * byte order, reached with npy_data, freed with npy_close. Dtype equality
 * (npyio_dtype_equal, NumPy's ==) and type strings (npyio_dtype_str, dtype.str).
 *
 *     test_typed
 *
 * Compiled as C11 and as C++17 (see tests/c/CMakeLists.txt). Each check
 * (check.h) prints file:line, the status and its npyio_status_str, and
 * npyio_last_error, then exits 1. Files are written into a mkdtemp() scratch
 * directory under /tmp that is removed at the end.
 *
 * The table `exercised_functions` below is parsed by check_coverage.py.
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

/* ---- coverage table ------------------------------------------------------------------------ */

/* BEGIN EXERCISED FUNCTIONS (parsed by check_coverage.py: one FN(name) per function) */
static const exercised_fn exercised_functions[] = {
  FN(npyio_type_dtype),
  FN(npy_read_as),
  FN(npy_read_as_ex),
  FN(npz_read_as),
  FN(npz_read_as_ex),
  FN(npy_load),
  FN(npz_load),
  FN(npyio_dtype_equal),
  FN(npyio_dtype_str),
};
/* END EXERCISED FUNCTIONS */

/* ---- type codes ---------------------------------------------------------------------------- */

typedef struct {
  npyio_type type;
  const char *le_descr; /* on a little-endian host */
  size_t itemsize;
} type_row;

static const type_row types[] = {
  {NPYIO_BOOL, "'|b1'", 1},      {NPYIO_INT8, "'|i1'", 1},       {NPYIO_INT16, "'<i2'", 2},
  {NPYIO_INT32, "'<i4'", 4},     {NPYIO_INT64, "'<i8'", 8},      {NPYIO_UINT8, "'|u1'", 1},
  {NPYIO_UINT16, "'<u2'", 2},    {NPYIO_UINT32, "'<u4'", 4},     {NPYIO_UINT64, "'<u8'", 8},
  {NPYIO_FLOAT16, "'<f2'", 2},   {NPYIO_FLOAT32, "'<f4'", 4},    {NPYIO_FLOAT64, "'<f8'", 8},
  {NPYIO_COMPLEX64, "'<c8'", 8}, {NPYIO_COMPLEX128, "'<c16'", 16},
};
#define NTYPES (sizeof types / sizeof types[0])

/* The descr on this host: '<' becomes '>' on a big-endian one. */
static void host_descr(char *out, size_t cap, const char *le) {
  snprintf(out, cap, "%s", le);
  if (!host_is_little_endian()) {
    for (char *p = out; *p; ++p) {
      if (*p == '<') *p = '>';
    }
  }
}

static void test_type_dtype(void) {
  current = "npyio_type_dtype";
  for (size_t i = 0; i < NTYPES; ++i) {
    const npyio_dtype *d = npyio_type_dtype(types[i].type);
    CHECK(d != NULL);
    char want[16];
    host_descr(want, sizeof want, types[i].le_descr);
    CHECK_STR(npyio_dtype_descr(d), want);
    CHECK(npyio_dtype_itemsize(d) == types[i].itemsize);
    /* The same static dtype every time. */
    CHECK(npyio_type_dtype(types[i].type) == d);
  }
  /* Unknown codes give NULL. */
  CHECK(npyio_type_dtype(0) == NULL);
  CHECK(npyio_type_dtype(15) == NULL);
  CHECK(npyio_type_dtype(-1) == NULL);

  /* The dtype serves where a parsed one does: np.save of a float64 array. */
  char path[512];
  scratch_path(path, sizeof path, "typed_save.npy");
  const double v[3] = {1.5, -2.0, 3.25};
  const uint64_t shape[1] = {3};
  CHECK_OK(npy_save(path, npyio_type_dtype(NPYIO_FLOAT64), 1, shape, false, v, sizeof v));
  npy_file *f = NULL;
  CHECK_OK(npy_open(path, &f));
  CHECK_STR(npyio_dtype_descr(npy_dtype(f)), host_is_little_endian() ? "'<f8'" : "'>f8'");
  double back[3] = {0, 0, 0};
  CHECK_OK(npy_read_into(f, back, sizeof back, 0));
  CHECK(memcmp(back, v, sizeof v) == 0);
  npy_close(f);
}

/* ---- typed reads --------------------------------------------------------------------------- */

/* Saves an int32 array [[1, -2, 3], [4, 5, 70000]] (Fortran order when `fortran`). */
static void save_ints(const char *path, int fortran) {
  const int32_t c[6] = {1, -2, 3, 4, 5, 70000};
  const int32_t f[6] = {1, 4, -2, 5, 3, 70000};
  const uint64_t shape[2] = {2, 3};
  CHECK_OK(npy_save(path, npyio_type_dtype(NPYIO_INT32), 2, shape, fortran != 0,
                    fortran ? f : c, sizeof c));
}

static void test_read_as(void) {
  current = "npy_read_as";
  char path[512];
  for (int fortran = 0; fortran < 2; ++fortran) {
    scratch_path(path, sizeof path, fortran ? "ints_f.npy" : "ints_c.npy");
    save_ints(path, fortran);
    npy_file *f = NULL;
    CHECK_OK(npy_open(path, &f));

    /* int32 -> float64 is safe; C order whatever the stored order. */
    double d[6];
    CHECK_OK(npy_read_as(f, NPYIO_FLOAT64, d, sizeof d));
    CHECK(d[0] == 1.0 && d[1] == -2.0 && d[2] == 3.0 && d[3] == 4.0 && d[5] == 70000.0);
    int64_t l[6];
    CHECK_OK(npy_read_as(f, NPYIO_INT64, l, sizeof l));
    CHECK(l[1] == -2 && l[5] == 70000);

    /* int32 -> int16 is not safe: refused, naming both dtypes and the rule. */
    int16_t s[6] = {0, 0, 0, 0, 0, 0};
    CHECK_ST(npy_read_as(f, NPYIO_INT16, s, sizeof s), NPYIO_ERR_CAST);
    CHECK(last_error_has("int32") && last_error_has("int16") && last_error_has("'safe'"));
    CHECK(last_error_has(path));
    CHECK(s[0] == 0);
    CHECK_ST(npy_read_as_ex(f, NPYIO_INT16, s, sizeof s, NPYIO_CASTING_SAFE), NPYIO_ERR_CAST);
    /* same_kind allows it; values wrap as NumPy's astype does. */
    CHECK_OK(npy_read_as_ex(f, NPYIO_INT16, s, sizeof s, NPYIO_CASTING_SAME_KIND));
    CHECK(s[1] == -2 && s[5] == (int16_t)(70000 - 65536));
    /* to uint8 is not same_kind (signed to unsigned); unsafe is anything. */
    uint8_t u[6];
    CHECK_ST(npy_read_as_ex(f, NPYIO_UINT8, u, sizeof u, NPYIO_CASTING_SAME_KIND),
             NPYIO_ERR_CAST);
    CHECK(last_error_has("'same_kind'"));
    CHECK_OK(npy_read_as_ex(f, NPYIO_UINT8, u, sizeof u, NPYIO_CASTING_UNSAFE));
    CHECK(u[1] == 254 && u[5] == (uint8_t)70000);
    /* no / equiv: the same type only. */
    int32_t i[6];
    CHECK_OK(npy_read_as_ex(f, NPYIO_INT32, i, sizeof i, NPYIO_CASTING_NO));
    CHECK(i[2] == 3 && i[3] == 4);
    CHECK_ST(npy_read_as_ex(f, NPYIO_INT64, l, sizeof l, NPYIO_CASTING_EQUIV), NPYIO_ERR_CAST);
    CHECK(last_error_has("'equiv'"));
    bool b[6];
    CHECK_OK(npy_read_as_ex(f, NPYIO_BOOL, b, sizeof b, NPYIO_CASTING_UNSAFE));
    CHECK(b[0] && b[1]);

    /* Short buffer, bad type code, bad rule, NULL arguments. */
    CHECK_ST(npy_read_as(f, NPYIO_FLOAT64, d, sizeof d - 1), NPYIO_ERR_BUFFER_TOO_SMALL);
    CHECK(last_error_has("47"));
    CHECK_ST(npy_read_as(f, 99, d, sizeof d), NPYIO_ERR_INVALID_ARG);
    CHECK(last_error_has("type code 99"));
    CHECK_ST(npy_read_as(f, 0, d, sizeof d), NPYIO_ERR_INVALID_ARG);
    CHECK(last_error_has("type code 0"));
    CHECK_ST(npy_read_as_ex(f, NPYIO_FLOAT64, d, sizeof d, 5), NPYIO_ERR_INVALID_ARG);
    CHECK(last_error_has("casting rule 5"));
    CHECK_ST(npy_read_as_ex(f, NPYIO_FLOAT64, d, sizeof d, -1), NPYIO_ERR_INVALID_ARG);
    CHECK_ST(npy_read_as(NULL, NPYIO_FLOAT64, d, sizeof d), NPYIO_ERR_NULL_ARG);
    CHECK(last_error_has("'f'"));
    CHECK_ST(npy_read_as(f, NPYIO_FLOAT64, NULL, sizeof d), NPYIO_ERR_NULL_ARG);
    CHECK(last_error_has("'dst'"));
    CHECK_ST(npy_read_as_ex(NULL, NPYIO_FLOAT64, d, sizeof d, NPYIO_CASTING_SAFE),
             NPYIO_ERR_NULL_ARG);
    npy_close(f);
  }

  /* A big-endian float64 file: converted to native; 'no' refuses the byte order. */
  npyio_dtype *be = parse_dtype(">f8");
  const uint8_t raw[16] = {0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc0, 0x04, 0, 0, 0, 0, 0, 0};
  const uint64_t shape[1] = {2};
  scratch_path(path, sizeof path, "be.npy");
  CHECK_OK(npy_save(path, be, 1, shape, false, raw, sizeof raw));
  npyio_dtype_free(be);
  npy_file *f = NULL;
  CHECK_OK(npy_open(path, &f));
  double d[2];
  CHECK_OK(npy_read_as(f, NPYIO_FLOAT64, d, sizeof d));
  CHECK(d[0] == 1.5 && d[1] == -2.5);
  CHECK_ST(npy_read_as_ex(f, NPYIO_FLOAT64, d, sizeof d, NPYIO_CASTING_NO), NPYIO_ERR_CAST);
  CHECK(last_error_has(">f8"));
  CHECK_OK(npy_read_as_ex(f, NPYIO_FLOAT64, d, sizeof d, NPYIO_CASTING_EQUIV));
  float x[2];
  CHECK_ST(npy_read_as(f, NPYIO_FLOAT32, x, sizeof x), NPYIO_ERR_CAST);
  CHECK(last_error_has("float64") && last_error_has("float32"));
  CHECK_OK(npy_read_as_ex(f, NPYIO_FLOAT32, x, sizeof x, NPYIO_CASTING_SAME_KIND));
  CHECK(x[0] == 1.5f && x[1] == -2.5f);
  int32_t i[2];
  CHECK_ST(npy_read_as_ex(f, NPYIO_INT32, i, sizeof i, NPYIO_CASTING_SAME_KIND), NPYIO_ERR_CAST);
  CHECK_OK(npy_read_as_ex(f, NPYIO_INT32, i, sizeof i, NPYIO_CASTING_UNSAFE));
  CHECK(i[0] == 1 && i[1] == -2);
  npy_close(f);

  /* A text array: refused under safe, unsupported under unsafe. */
  npyio_dtype *sd = parse_dtype("|S2");
  scratch_path(path, sizeof path, "s.npy");
  CHECK_OK(npy_save(path, sd, 1, shape, false, "1234", 4));
  npyio_dtype_free(sd);
  CHECK_OK(npy_open(path, &f));
  CHECK_ST(npy_read_as(f, NPYIO_INT64, d, sizeof d), NPYIO_ERR_CAST);
  CHECK(last_error_has("|S2"));
  CHECK_ST(npy_read_as_ex(f, NPYIO_INT64, d, sizeof d, NPYIO_CASTING_UNSAFE),
           NPYIO_ERR_UNSUPPORTED);
  npy_close(f);
}

static void test_npz_read_as(void) {
  current = "npz_read_as";
  char path[512];
  scratch_path(path, sizeof path, "typed.npz");
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open(path, &w));
  const int32_t v[3] = {7, -8, 9};
  const uint64_t shape[1] = {3};
  CHECK_OK(npz_writer_add(w, "x", npyio_type_dtype(NPYIO_INT32), 1, shape, false, v, sizeof v,
                          NPYIO_DEFLATE));
  CHECK_OK(npz_writer_finish(w));
  npz_file *z = NULL;
  CHECK_OK(npz_open(path, &z));
  double d[3] = {0, 0, 0};
  CHECK_OK(npz_read_as(z, "x", NPYIO_FLOAT64, d, sizeof d));
  CHECK(d[0] == 7.0 && d[1] == -8.0 && d[2] == 9.0);
  memset(d, 0, sizeof d);
  CHECK_OK(npz_read_as(z, "x.npy", NPYIO_FLOAT64, d, sizeof d));
  CHECK(d[2] == 9.0);
  int8_t s[3];
  CHECK_ST(npz_read_as(z, "x", NPYIO_INT8, s, sizeof s), NPYIO_ERR_CAST);
  CHECK(last_error_has("x.npy") && last_error_has("int8"));
  CHECK_OK(npz_read_as_ex(z, "x", NPYIO_INT8, s, sizeof s, NPYIO_CASTING_SAME_KIND));
  CHECK(s[0] == 7 && s[1] == -8);
  CHECK_ST(npz_read_as(z, "y", NPYIO_FLOAT64, d, sizeof d), NPYIO_ERR_NOT_FOUND);
  CHECK(last_error_has("'y'"));
  CHECK_ST(npz_read_as(z, "x", NPYIO_FLOAT64, d, sizeof d - 8), NPYIO_ERR_BUFFER_TOO_SMALL);
  CHECK_ST(npz_read_as(z, "x", 42, d, sizeof d), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("42"));
  CHECK_ST(npz_read_as_ex(z, "x", NPYIO_FLOAT64, d, sizeof d, 9), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npz_read_as(NULL, "x", NPYIO_FLOAT64, d, sizeof d), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_read_as(z, NULL, NPYIO_FLOAT64, d, sizeof d), NPYIO_ERR_NULL_ARG);
  CHECK(last_error_has("'name'"));
  CHECK_ST(npz_read_as_ex(z, "x", NPYIO_FLOAT64, NULL, sizeof d, NPYIO_CASTING_SAFE),
           NPYIO_ERR_NULL_ARG);
  npz_close(z);
}

/* ---- loads --------------------------------------------------------------------------------- */

static void test_load(void) {
  current = "npy_load";
  char path[512];
  scratch_path(path, sizeof path, "be_f.npy");
  /* A big-endian int32 array [[1, -2, 3], [4, 5, 70000]] stored in Fortran order. */
  npyio_dtype *be = parse_dtype(">i4");
  const int32_t f[6] = {1, 4, -2, 5, 3, 70000};
  uint8_t raw[24];
  for (int k = 0; k < 6; ++k) put_be(raw + 4 * k, (uint32_t)f[k], 4);
  const uint64_t shape[2] = {2, 3};
  CHECK_OK(npy_save(path, be, 2, shape, true, raw, sizeof raw));
  npyio_dtype_free(be);

  npy_file *a = NULL;
  CHECK_OK(npy_load(path, NPYIO_FLOAT64, &a));
  CHECK(npy_ndim(a) == 2 && npy_shape(a)[0] == 2 && npy_shape(a)[1] == 3);
  CHECK(!npy_fortran_order(a));
  CHECK(npy_nbytes(a) == 6 * sizeof(double));
  CHECK(npy_data_offset(a) == 0);
  CHECK(npy_data_mut(a) == NULL);
  CHECK_STR(npyio_dtype_descr(npy_dtype(a)), host_is_little_endian() ? "'<f8'" : "'>f8'");
  const double *d = (const double *)npy_data(a);
  CHECK(d != NULL && (uintptr_t)d % 16 == 0);
  CHECK(d[0] == 1 && d[1] == -2 && d[2] == 3 && d[3] == 4 && d[4] == 5 && d[5] == 70000);
  /* The loaded array reads like any other. */
  float x[6];
  CHECK_OK(npy_read_as_ex(a, NPYIO_FLOAT32, x, sizeof x, NPYIO_CASTING_SAME_KIND));
  CHECK(x[5] == 70000.0f);
  npy_close(a);

  /* The stored type: host byte order, C order. */
  CHECK_OK(npy_load(path, NPYIO_TYPE_STORED, &a));
  CHECK_STR(npyio_dtype_descr(npy_dtype(a)), host_is_little_endian() ? "'<i4'" : "'>i4'");
  const int32_t *i = (const int32_t *)npy_data(a);
  CHECK(i != NULL && i[0] == 1 && i[1] == -2 && i[2] == 3 && i[3] == 4 && i[5] == 70000);
  npy_close(a);

  /* Refusals and bad arguments leave *out alone. */
  npy_file *untouched = (npy_file *)&a;
  npy_file *out = untouched;
  CHECK_ST(npy_load(path, NPYIO_INT16, &out), NPYIO_ERR_CAST);
  CHECK(last_error_has("int16") && last_error_has(">i4") && last_error_has("be_f.npy"));
  CHECK(out == untouched);
  CHECK_ST(npy_load(path, 0, &out), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("type code 0"));
  CHECK_ST(npy_load(path, 15, &out), NPYIO_ERR_INVALID_ARG);
  CHECK(out == untouched);
  CHECK_ST(npy_load(NULL, NPYIO_FLOAT64, &out), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_load(path, NPYIO_FLOAT64, NULL), NPYIO_ERR_NULL_ARG);
  char missing[512];
  scratch_path(missing, sizeof missing, "missing.npy");
  const npyio_status st = npy_load(missing, NPYIO_FLOAT64, &out);
  CHECK(st == NPYIO_ERR_IO || st == NPYIO_ERR_NOT_FOUND);
  CHECK(last_error_has("missing.npy"));
  CHECK(out == untouched);

  /* A record keeps its dtype with NPYIO_TYPE_STORED and is refused otherwise. */
  npyio_dtype *rd = parse_dtype("[('a', '>i2'), ('b', '|u1')]");
  const uint8_t rec[6] = {0x01, 0x02, 7, 0xff, 0xfe, 9};
  const uint64_t rshape[1] = {2};
  char rpath[512];
  scratch_path(rpath, sizeof rpath, "rec.npy");
  CHECK_OK(npy_save(rpath, rd, 1, rshape, false, rec, sizeof rec));
  npyio_dtype_free(rd);
  CHECK_ST(npy_load(rpath, NPYIO_INT16, &out), NPYIO_ERR_CAST);
  CHECK_OK(npy_load(rpath, NPYIO_TYPE_STORED, &a));
  CHECK(npyio_dtype_is_record(npy_dtype(a)));
  const uint8_t *r = (const uint8_t *)npy_data(a);
  CHECK(r != NULL && (uint16_t)(r[0] | r[1] << 8) == (host_is_little_endian() ? 0x0102 : 0x0201));
  CHECK(r[2] == 7 && r[5] == 9);
  npy_close(a);

  current = "npz_load";
  char zpath[512];
  scratch_path(zpath, sizeof zpath, "load.npz");
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open(zpath, &w));
  const uint16_t v[4] = {1, 2, 3, 65535};
  const uint64_t vshape[1] = {4};
  CHECK_OK(npz_writer_add(w, "v", npyio_type_dtype(NPYIO_UINT16), 1, vshape, false, v, sizeof v,
                          NPYIO_STORED));
  CHECK_OK(npz_writer_finish(w));
  npz_file *z = NULL;
  CHECK_OK(npz_open(zpath, &z));
  CHECK_OK(npz_load(z, "v.npy", NPYIO_INT32, &a));
  npz_close(z); /* the loaded member outlives its archive */
  const int32_t *vi = (const int32_t *)npy_data(a);
  CHECK(vi != NULL && vi[0] == 1 && vi[3] == 65535);
  npy_close(a);
  CHECK_OK(npz_open(zpath, &z));
  CHECK_OK(npz_load(z, "v", NPYIO_TYPE_STORED, &a));
  CHECK(memcmp(npy_data(a), v, sizeof v) == 0);
  npy_close(a);
  CHECK_ST(npz_load(z, "w", NPYIO_FLOAT64, &out), NPYIO_ERR_NOT_FOUND);
  CHECK(last_error_has("'w'"));
  CHECK_ST(npz_load(z, "v", NPYIO_INT8, &out), NPYIO_ERR_CAST);
  CHECK_ST(npz_load(z, "v", 77, &out), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npz_load(NULL, "v", NPYIO_FLOAT64, &out), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_load(z, NULL, NPYIO_FLOAT64, &out), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_load(z, "v", NPYIO_FLOAT64, NULL), NPYIO_ERR_NULL_ARG);
  CHECK(out == untouched);
  npz_close(z);
}

/* ---- dtype equality and type strings ------------------------------------------------------- */

static void test_dtype_equal_and_str(void) {
  current = "npyio_dtype_equal";
  npyio_dtype *f8 = parse_dtype("<f8");
  npyio_dtype *f8b = parse_dtype("'>f8'");
  npyio_dtype *dbl = parse_dtype("float64");
  npyio_dtype *u1 = parse_dtype("<u1");
  npyio_dtype *rec = parse_dtype("[('a', '<i4'), ('b', '>f8')]");
  npyio_dtype *rec2 = parse_dtype("[('a', '<i4'), ('c', '>f8')]");
  npyio_dtype *rec3 = parse_dtype("[('a', '<i4'), ('b', '>f8')]");
  const npyio_dtype *native_f8 = npyio_type_dtype(NPYIO_FLOAT64);
  CHECK(npyio_dtype_equal(f8, f8));
  CHECK(npyio_dtype_equal(f8, dbl) == host_is_little_endian());
  CHECK(npyio_dtype_equal(dbl, native_f8));
  CHECK(!npyio_dtype_equal(f8, f8b));
  CHECK(npyio_dtype_equal(u1, npyio_type_dtype(NPYIO_UINT8)));
  CHECK(!npyio_dtype_equal(u1, npyio_type_dtype(NPYIO_INT8)));
  CHECK(npyio_dtype_equal(rec, rec3));
  CHECK(!npyio_dtype_equal(rec, rec2));
  CHECK(!npyio_dtype_equal(rec, f8));
  CHECK(!npyio_dtype_equal(NULL, f8));
  CHECK(!npyio_dtype_equal(f8, NULL));
  CHECK(!npyio_dtype_equal(NULL, NULL));

  current = "npyio_dtype_str";
  CHECK_STR(npyio_dtype_str(f8), "<f8");
  CHECK_STR(npyio_dtype_str(f8b), ">f8");
  CHECK_STR(npyio_dtype_str(u1), "|u1");
  CHECK_STR(npyio_dtype_str(rec), "|V12");
  CHECK_STR(npyio_dtype_descr(rec), "[('a', '<i4'), ('b', '>f8')]");
  CHECK_STR(npyio_dtype_str(native_f8), host_is_little_endian() ? "<f8" : ">f8");
  /* The same string on every call, owned by the dtype. */
  CHECK(npyio_dtype_str(f8) == npyio_dtype_str(f8));
  CHECK(npyio_dtype_str(NULL) == NULL);
  npyio_dtype *u = parse_dtype("'>U5'");
  CHECK_STR(npyio_dtype_str(u), ">U5");
  npyio_dtype *m = parse_dtype("<M8[ns]");
  CHECK_STR(npyio_dtype_str(m), "<M8[ns]");
  /* A dtype borrowed from an array. */
  char path[512];
  scratch_path(path, sizeof path, "str.npy");
  const uint64_t shape[1] = {1};
  const double one = 1;
  CHECK_OK(npy_save(path, f8b, 1, shape, false, &one, sizeof one));
  npy_file *f = NULL;
  CHECK_OK(npy_open(path, &f));
  CHECK_STR(npyio_dtype_str(npy_dtype(f)), ">f8");
  CHECK(npyio_dtype_equal(npy_dtype(f), f8b));
  npy_close(f);
  npyio_dtype *all[] = {f8, f8b, dbl, u1, rec, rec2, rec3, u, m};
  for (size_t k = 0; k < sizeof all / sizeof all[0]; ++k) npyio_dtype_free(all[k]);
}

/* ---- main ----------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
  (void)argv;
  if (argc != 1) {
    fprintf(stderr, "usage: test_typed\n");
    return 2;
  }
  scratch_create("npyio-test-typed");
  const size_t nfn = sizeof exercised_functions / sizeof exercised_functions[0];
  check_exercised(exercised_functions, nfn);

  test_type_dtype();
  test_read_as();
  test_npz_read_as();
  test_load();
  test_dtype_equal_and_str();

  current = "end";
  scratch_remove();
  printf("test_typed: all checks passed (%zu functions exercised)\n", nfn);
  return 0;
}
