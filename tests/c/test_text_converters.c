/*
 * test_text_converters.c -- column converters (npyio_text_converter) of
 * npy_loadtxt and npy_genfromtxt from C: per-column and all-column
 * converters writing the column's dtype, the text they receive (quotes
 * handled, not stripped, missing fields too), NPYIO_CONVERT_INVALID (the
 * filling value in genfromtxt, an error in loadtxt), hard failures naming
 * the line and column, a NULL convert, a converter on several threads, and
 * an options struct from before the converters fields. Compiled as C11 and
 * as C++17.
 */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "check.h"

#include <stddef.h>

/* ctx: a scale factor; "q<number>" -> number * scale as float64. */
static int conv_q(void *ctx, const char *field, size_t len, void *out, size_t out_len) {
  char buf[64];
  double v;
  char *end;
  if (out_len != sizeof v || len < 2 || len >= sizeof buf || field[0] != 'q')
    return NPYIO_CONVERT_INVALID;
  memcpy(buf, field + 1, len - 1);
  buf[len - 1] = 0;
  v = strtod(buf, &end);
  if (*end != 0) return NPYIO_CONVERT_INVALID;
  v *= *(const double *)ctx;
  memcpy(out, &v, sizeof v);
  return NPYIO_CONVERT_OK;
}

/* The field's length, as an int32 (to see what a converter receives). */
static int conv_len(void *ctx, const char *field, size_t len, void *out, size_t out_len) {
  int32_t n = (int32_t)len;
  (void)ctx;
  (void)field;
  if (out_len != sizeof n) return -1;
  memcpy(out, &n, sizeof n);
  return NPYIO_CONVERT_OK;
}

/* Copies the field, bracketed, into an S column. */
static int conv_bracket(void *ctx, const char *field, size_t len, void *out, size_t out_len) {
  char *o = (char *)out;
  size_t i;
  (void)ctx;
  if (out_len < len + 2) return NPYIO_CONVERT_INVALID;
  o[0] = '[';
  for (i = 0; i < len; i++) o[i + 1] = field[i];
  o[len + 1] = ']';
  return NPYIO_CONVERT_OK;
}

static int conv_fail(void *ctx, const char *field, size_t len, void *out, size_t out_len) {
  (void)ctx;
  (void)field;
  (void)len;
  (void)out;
  (void)out_len;
  return -7;
}

static const double *f64_data(const npy_file *f) { return (const double *)npy_data(f); }

static void test_loadtxt_converters(void) {
  static const char text[] = "q1,2\nq3,4\n";
  double scale = 10.0;
  npyio_text_converter c[1];
  npyio_loadtxt_options o;
  npy_file *f = NULL;
  const double *d;
  current = "loadtxt: one column";
  CHECK_OK(npyio_loadtxt_options_init(&o));
  o.delimiter = ",";
  c[0].column = 0;
  c[0].convert = conv_q;
  c[0].ctx = &scale;
  o.converters = c;
  o.n_converters = 1;
  CHECK_OK(npy_loadtxt_memory(text, sizeof text - 1, &o, &f));
  CHECK(npy_ndim(f) == 2 && npy_shape(f)[0] == 2 && npy_shape(f)[1] == 2);
  d = f64_data(f);
  CHECK(d[0] == 10.0 && d[1] == 2.0 && d[2] == 30.0 && d[3] == 4.0);
  npy_close(f);
  f = NULL;

  /* A negative column, and NPYIO_CONVERT_INVALID: an error naming the place. */
  current = "loadtxt: invalid";
  c[0].column = -1;
  CHECK_ST(npy_loadtxt_memory("1,2\n", 4, &o, &f), NPYIO_ERR_PARSE);
  CHECK(f == NULL);
  CHECK(last_error_has("line 1, column 2: the converter refused \"2\""));

  /* Every column: what arrives is the field after quote handling, not stripped. */
  current = "loadtxt: all columns";
  {
    static const char t2[] = " 1,\"a\"\"b\" , x \n";
    npyio_dtype *i4 = parse_dtype("<i4");
    const int32_t *n;
    c[0].column = NPYIO_ALL_COLUMNS;
    c[0].convert = conv_len;
    c[0].ctx = NULL;
    o.quotechar = "\"";
    o.dtype = i4;
    CHECK_OK(npy_loadtxt_memory(t2, sizeof t2 - 1, &o, &f));
    n = (const int32_t *)npy_data(f);
    CHECK(npy_shape(f)[0] == 3 || npy_shape(f)[0] == 1);
    /* " 1" is 2 bytes; "a\"b " is 4; " x " is 3. */
    CHECK(n[0] == 2 && n[1] == 4 && n[2] == 3);
    npy_close(f);
    f = NULL;
    npyio_dtype_free(i4);
    o.dtype = NULL;
    o.quotechar = NULL;
  }

  /* A hard failure. */
  current = "loadtxt: failure";
  c[0].column = 1;
  c[0].convert = conv_fail;
  CHECK_ST(npy_loadtxt_memory("1,2\n", 4, &o, &f), NPYIO_ERR_PARSE);
  CHECK(last_error_has("line 1, column 2"));

  /* A column outside the rows. */
  current = "loadtxt: column out of range";
  c[0].column = 5;
  CHECK_ST(npy_loadtxt_memory(text, sizeof text - 1, &o, &f), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("converter specified for column 5"));

  /* NULL converters with a count, and a NULL convert. */
  current = "loadtxt: NULL";
  o.converters = NULL;
  CHECK_ST(npy_loadtxt_memory(text, sizeof text - 1, &o, &f), NPYIO_ERR_NULL_ARG);
  CHECK(last_error_has("converters"));
  o.converters = c;
  c[0].convert = NULL;
  CHECK_ST(npy_loadtxt_memory(text, sizeof text - 1, &o, &f), NPYIO_ERR_NULL_ARG);
  CHECK(last_error_has("NULL convert"));

  /* A struct from before the converters fields: they are not read. */
  current = "loadtxt: older struct_size";
  o.struct_size = offsetof(npyio_loadtxt_options, converters);
  CHECK_OK(npy_loadtxt_memory("1,2\n", 4, &o, &f));
  CHECK(f64_data(f)[1] == 2.0);
  npy_close(f);
}

static void test_genfromtxt_converters(void) {
  static const char text[] = "q1,2\nx,4\n,6\n";
  double scale = 2.0;
  npyio_text_converter c[2];
  npyio_genfromtxt_options o;
  npy_file *f = NULL, *m = NULL;
  const double *d;
  const uint8_t *mk;
  current = "genfromtxt: invalid gives the filling value, missing is masked";
  CHECK_OK(npyio_genfromtxt_options_init(&o));
  o.delimiter = ",";
  o.filling_value = "-1.5";
  c[0].column = 0;
  c[0].convert = conv_q;
  c[0].ctx = &scale;
  o.converters = c;
  o.n_converters = 1;
  CHECK_OK(npy_genfromtxt_memory(text, sizeof text - 1, &o, &f, &m));
  d = f64_data(f);
  CHECK(npy_shape(f)[0] == 3 && npy_shape(f)[1] == 2);
  CHECK(d[0] == 2.0 && d[1] == 2.0 && d[2] == -1.5 && d[3] == 4.0 && d[4] == -1.5);
  mk = (const uint8_t *)npy_data(m);
  CHECK(mk[0] == 0 && mk[2] == 0 && mk[4] == 1);
  npy_close(f);
  npy_close(m);
  f = m = NULL;

  /* Strict: the invalid field is an error naming it. */
  current = "genfromtxt: strict";
  o.loose = 0;
  CHECK_ST(npy_genfromtxt_memory(text, sizeof text - 1, &o, &f, NULL), NPYIO_ERR_PARSE);
  CHECK(last_error_has("line 2, column 1") && last_error_has("\"x\""));
  o.loose = 1;

  /* A hard failure stops the load, loose or not. */
  current = "genfromtxt: failure";
  c[1].column = 1;
  c[1].convert = conv_fail;
  c[1].ctx = NULL;
  o.n_converters = 2;
  CHECK_ST(npy_genfromtxt_memory(text, sizeof text - 1, &o, &f, NULL), NPYIO_ERR_PARSE);
  CHECK(last_error_has("line 1, column 2: the converter failed on \"2\""));

  /* A structured result: the converter writes the field's type. */
  current = "genfromtxt: structured";
  {
    static const char t2[] = "ab,1\ncd,2\n";
    npyio_dtype *dt = parse_dtype("[('s', 'S6'), ('n', '<i2')]");
    const uint8_t *p;
    c[0].column = 0;
    c[0].convert = conv_bracket;
    o.n_converters = 1;
    o.dtype = dt;
    CHECK_OK(npy_genfromtxt_memory(t2, sizeof t2 - 1, &o, &f, NULL));
    p = (const uint8_t *)npy_data(f);
    CHECK(memcmp(p, "[ab]\0\0", 6) == 0 && p[6] == 1 && memcmp(p + 8, "[cd]\0\0", 6) == 0);
    npy_close(f);
    f = NULL;
    npyio_dtype_free(dt);
    o.dtype = NULL;
  }

  /* Several threads: the same values. */
  current = "genfromtxt: threads";
  {
    size_t rows = 150000, i, len = 0, bad = 0;
    char *big = (char *)xmalloc(rows * 24);
    for (i = 0; i < rows; i++) len += (size_t)sprintf(big + len, "q%u,%u\n", (unsigned)i, (unsigned)(i % 7));
    c[0].convert = conv_q;
    o.threads = 2;
    CHECK_OK(npy_genfromtxt_memory(big, len, &o, &f, NULL));
    d = f64_data(f);
    CHECK(npy_shape(f)[0] == rows);
    for (i = 0; i < rows; i++)
      bad += d[2 * i] != 2.0 * (double)i || d[2 * i + 1] != (double)(i % 7);
    CHECK(bad == 0);
    npy_close(f);
    free(big);
  }
}

int main(void) {
  test_loadtxt_converters();
  test_genfromtxt_converters();
  printf("test_text_converters: all checks passed\n");
  return 0;
}
