/*
 * test_text.c -- the text-table functions of include/npyio.h from C:
 * npy_savetxt, npy_savetxt_data, npy_loadtxt, npy_loadtxt_memory,
 * npy_loadtxt_to_npy, npy_genfromtxt, npy_genfromtxt_memory and the three
 * options_init functions.
 *
 *     test_text <out_dir>
 *
 * Writes its inputs (text files) and results (.txt, .npy) into <out_dir>;
 * tests/oracle/text_c_check.py then runs NumPy on the same inputs and
 * compares (ctest fixture). The checks here are the C side: statuses,
 * shapes, dtypes, values read back through npy_data and npy_read_into,
 * round trips, error codes and messages (file, line, column, text), NULL
 * and out-of-range arguments. Compiled as C11 and as C++17.
 */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "npyio.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "coverage.h"


/* BEGIN EXERCISED FUNCTIONS (parsed by check_coverage.py: one FN(name) per function) */
static const exercised_fn exercised_functions[] = {
  FN(npyio_savetxt_options_init),
  FN(npyio_loadtxt_options_init),
  FN(npyio_genfromtxt_options_init),
  FN(npy_savetxt),
  FN(npy_savetxt_data),
  FN(npy_loadtxt),
  FN(npy_loadtxt_memory),
  FN(npy_loadtxt_to_npy),
  FN(npy_genfromtxt),
  FN(npy_genfromtxt_memory),
};
/* END EXERCISED FUNCTIONS */

static int failures = 0;
static char dir[1024];

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      char m_[1024];                                                                  \
      npyio_last_error(m_, sizeof m_);                                                \
      fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n", __FILE__,        \
              __LINE__, #cond, m_);                                                   \
      failures++;                                                                     \
    }                                                                                 \
  } while (0)

#define OK(call)                                                                      \
  do {                                                                                \
    npyio_status st_ = (call);                                                        \
    if (st_ != NPYIO_OK) {                                                            \
      char m_[1024];                                                                  \
      npyio_last_error(m_, sizeof m_);                                                \
      fprintf(stderr, "%s:%d: %s -> %d (%s): %s\n", __FILE__, __LINE__, #call,        \
              (int)st_, npyio_status_str(st_), m_);                                   \
      exit(1);                                                                        \
    }                                                                                 \
  } while (0)

static const char *path(const char *name) {
  static char buf[4][1200];
  static int k = 0;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

static void write_file(const char *name, const char *text) {
  FILE *f = fopen(path(name), "wb");
  if (!f) {
    perror(name);
    exit(1);
  }
  fputs(text, f);
  fclose(f);
}

static char *read_file(const char *name, size_t *len) {
  FILE *f = fopen(path(name), "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = (char *)malloc((size_t)n + 1);
  if (fread(b, 1, (size_t)n, f) != (size_t)n) n = 0;
  b[n] = 0;
  fclose(f);
  if (len) *len = (size_t)n;
  return b;
}

/* The last error message contains `needle`. */
static int last_error_has(const char *needle) {
  char m[1024];
  npyio_last_error(m, sizeof m);
  if (strstr(m, needle)) return 1;
  fprintf(stderr, "last error %s does not contain %s\n", m, needle);
  return 0;
}

/* Save a loaded array as .npy (exercises npy_data on text results). */
static void save_npy(const npy_file *f, const char *name) {
  OK(npy_save(path(name), npy_dtype(f), npy_ndim(f), npy_shape(f), npy_fortran_order(f),
              npy_data(f), (size_t)npy_nbytes(f)));
}

static void test_savetxt(void) {
  npyio_dtype *f8 = NULL;
  OK(npyio_dtype_parse("<f8", &f8));
  double a[12] = {0.1, -0.0, 1e308, 5e-324, 1.0 / 3.0, 2.5, -7.0, 123456789.0,
                  1e-5, 0.0, 3.25, -1e-300};
  a[5] = nan("");
  uint64_t shape[2] = {4, 3};
  npyio_savetxt_options o;
  OK(npyio_savetxt_options_init(&o));
  CHECK(strcmp(o.fmt, "%.18e") == 0 && strcmp(o.delimiter, " ") == 0);
  CHECK(strcmp(o.newline, "\n") == 0 && strcmp(o.comments, "# ") == 0 && o.n_fmts == 0);
  /* Defaults, with NULL options and with initialised ones: the same bytes. */
  OK(npy_save(path("c_input_a.npy"), f8, 2, shape, false, a, sizeof a)); /* for NumPy's check */
  OK(npy_savetxt_data(path("c_default.txt"), f8, 2, shape, a, sizeof a, NULL));
  OK(npy_savetxt_data(path("c_default2.txt"), f8, 2, shape, a, sizeof a, &o));
  size_t n1 = 0, n2 = 0;
  char *t1 = read_file("c_default.txt", &n1), *t2 = read_file("c_default2.txt", &n2);
  CHECK(t1 && t2 && n1 == n2 && memcmp(t1, t2, n1) == 0);
  CHECK(t1 && strncmp(t1, "1.000000000000000056e-01 -0.000000000000000000e+00 ", 51) == 0);
  free(t1);
  free(t2);
  /* fmt, delimiter, header, footer, comments. */
  o.fmt = "%.3f";
  o.delimiter = ",";
  o.header = "a,b,c\nsecond";
  o.footer = "end";
  o.comments = "% ";
  OK(npy_savetxt_data(path("c_fmt.txt"), f8, 2, shape, a, sizeof a, &o));
  /* Per-column formats. */
  const char *fmts[3] = {"%d", "%10.4e", "%g"};
  OK(npyio_savetxt_options_init(&o));
  o.fmts = fmts;
  o.n_fmts = 3;
  double b[6] = {1.9, 2.0, 3.0, -4.2, 5e10, 6e-7};
  uint64_t bshape[2] = {2, 3};
  OK(npy_save(path("c_input_b.npy"), f8, 2, bshape, false, b, sizeof b));
  OK(npy_savetxt_data(path("c_fmts.txt"), f8, 2, bshape, b, sizeof b, &o));
  /* Errors: 3-D, size mismatch, wrong number of % directives, bad flags, NULLs. */
  uint64_t s3[3] = {1, 2, 2};
  CHECK(npy_savetxt_data(path("c_bad.txt"), f8, 3, s3, a, 32, NULL) == NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("Expected 1D or 2D array, got 3D array instead"));
  CHECK(npy_savetxt_data(path("c_bad.txt"), f8, 2, shape, a, 8, NULL) == NPYIO_ERR_SIZE_MISMATCH);
  OK(npyio_savetxt_options_init(&o));
  o.fmt = "%f %f";
  CHECK(npy_savetxt_data(path("c_bad.txt"), f8, 2, shape, a, sizeof a, &o) == NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("fmt has wrong number of % formats"));
  OK(npyio_savetxt_options_init(&o));
  o.flags = 0x80;
  CHECK(npy_savetxt_data(path("c_bad.txt"), f8, 2, shape, a, sizeof a, &o) == NPYIO_ERR_INVALID_ARG);
  CHECK(npy_savetxt_data(NULL, f8, 2, shape, a, sizeof a, NULL) == NPYIO_ERR_NULL_ARG);
  CHECK(npy_savetxt_data(path("c_bad.txt"), NULL, 2, shape, a, sizeof a, NULL) == NPYIO_ERR_NULL_ARG);
  CHECK(npy_savetxt(path("c_bad.txt"), NULL, NULL) == NPYIO_ERR_NULL_ARG);
  CHECK(npyio_savetxt_options_init(NULL) == NPYIO_ERR_NULL_ARG);
  struct stat sb;
  CHECK(stat(path("c_bad.txt"), &sb) != 0); /* nothing written on error */
  npyio_dtype_free(f8);
}

static void test_loadtxt(void) {
  write_file("in.csv",
             "# x, y, z\n"
             "1.5,2,-3e2\n"
             "\n"
             "4,nan,-inf   # trailing comment\n"
             "7,8,9\n");
  npyio_loadtxt_options o;
  OK(npyio_loadtxt_options_init(&o));
  CHECK(o.dtype == NULL && o.n_comments == 1 && strcmp(o.comments[0], "#") == 0);
  CHECK(o.delimiter == NULL && o.quotechar == NULL && o.max_rows == -1 && o.ndmin == 0);
  o.delimiter = ",";
  npy_file *f = NULL;
  OK(npy_loadtxt(path("in.csv"), &o, &f));
  CHECK(npy_ndim(f) == 2 && npy_shape(f)[0] == 3 && npy_shape(f)[1] == 3);
  CHECK(strcmp(npyio_dtype_descr(npy_dtype(f)), "'<f8'") == 0);
  const double *d = (const double *)npy_data(f);
  CHECK(d != NULL && d[0] == 1.5 && d[2] == -300.0 && isnan(d[4]) && isinf(d[5]) && d[5] < 0);
  double buf[9];
  OK(npy_read_into(f, buf, sizeof buf, NPYIO_READ_NATIVE));
  CHECK(buf[8] == 9.0);
  save_npy(f, "c_loaded.npy");
  /* A loaded array can be written straight back as text. */
  OK(npy_savetxt(path("c_resaved.txt"), f, NULL));
  npy_close(f);

  /* The round trip through the default format is exact. */
  f = NULL;
  OK(npy_loadtxt(path("c_default.txt"), NULL, &f));
  npyio_dtype *f8 = NULL;
  OK(npyio_dtype_parse("<f8", &f8));
  const double *r = (const double *)npy_data(f);
  CHECK(npy_shape(f)[0] == 4 && r[0] == 0.1 && r[3] == 5e-324 && isnan(r[5]) && r[8] == 1e-5);
  CHECK(r[11] == -1e-300 && signbit(r[1]));
  npy_close(f);
  npyio_dtype_free(f8);

  /* From memory: int32, usecols (negative), skiprows, max_rows, ndmin. */
  const char *txt = "skip me\n1 2 3\n4 5 6\n7 8 9\n";
  npyio_dtype *i4 = NULL;
  OK(npyio_dtype_parse("int32", &i4));
  int64_t usecols[2] = {-1, 0};
  OK(npyio_loadtxt_options_init(&o));
  o.dtype = i4;
  o.usecols = usecols;
  o.n_usecols = 2;
  o.skiprows = 1;
  o.max_rows = 2;
  f = NULL;
  OK(npy_loadtxt_memory(txt, strlen(txt), &o, &f));
  CHECK(npy_ndim(f) == 2 && npy_shape(f)[0] == 2 && npy_shape(f)[1] == 2);
  const int32_t *iv = (const int32_t *)npy_data(f);
  CHECK(iv[0] == 3 && iv[1] == 1 && iv[2] == 6 && iv[3] == 4);
  npy_close(f);
  OK(npyio_loadtxt_options_init(&o));
  o.ndmin = 2;
  f = NULL;
  OK(npy_loadtxt_memory("5\n", 2, &o, &f));
  CHECK(npy_ndim(f) == 2 && npy_shape(f)[0] == 1 && npy_shape(f)[1] == 1);
  npy_close(f);
  f = NULL;
  OK(npy_loadtxt_memory("", 0, NULL, &f)); /* empty: shape (0,) */
  CHECK(npy_ndim(f) == 1 && npy_shape(f)[0] == 0);
  npy_close(f);

  /* Structured dtype with quoted strings. */
  write_file("in_struct.csv", "\"a, b\",1,2.5\n\"c \"\"q\"\"\",-2,1e3\n");
  npyio_dtype *rec = NULL;
  OK(npyio_dtype_parse("[('s', '<U8'), ('i', '<i8'), ('x', '<f4')]", &rec));
  OK(npyio_loadtxt_options_init(&o));
  o.dtype = rec;
  o.delimiter = ",";
  o.quotechar = "\"";
  f = NULL;
  OK(npy_loadtxt(path("in_struct.csv"), &o, &f));
  CHECK(npy_ndim(f) == 1 && npy_shape(f)[0] == 2 && npyio_dtype_is_record(npy_dtype(f)));
  save_npy(f, "c_struct.npy");
  npy_close(f);

  /* Streaming text -> .npy. */
  uint64_t rows = 0;
  OK(npyio_loadtxt_options_init(&o));
  o.delimiter = ",";
  OK(npy_loadtxt_to_npy(path("in.csv"), path("c_stream.npy"), &o, &rows));
  CHECK(rows == 3);
  OK(npy_loadtxt_to_npy(path("in.csv"), path("c_stream2.npy"), &o, NULL));
  /* The header is completed at the end: the output must be a regular file. */
  rows = 7;
  CHECK(npy_loadtxt_to_npy(path("in.csv"), "/dev/null", &o, &rows) == NPYIO_ERR_INVALID_ARG);
  CHECK(rows == 7);
  CHECK(last_error_has("/dev/null: is a character device") &&
        last_error_has("needs a regular file (use npy_loadtxt, then npy_save)"));

  /* Errors name the file, line, column and text. */
  write_file("bad.txt", "1 2\n3 4\n5 abc\n");
  f = NULL;
  CHECK(npy_loadtxt(path("bad.txt"), NULL, &f) == NPYIO_ERR_PARSE && f == NULL);
  CHECK(last_error_has("bad.txt: line 3, column 2: cannot parse \"abc\" as float64"));
  write_file("ragged.txt", "1 2\n3\n");
  CHECK(npy_loadtxt(path("ragged.txt"), NULL, &f) == NPYIO_ERR_PARSE);
  CHECK(last_error_has("line 2: the number of columns changed from 2 to 1"));
  OK(npyio_loadtxt_options_init(&o));
  o.dtype = i4;
  CHECK(npy_loadtxt_memory("1\n2.5\n", 6, &o, &f) == NPYIO_ERR_PARSE);
  CHECK(last_error_has("<memory>: line 2, column 1: cannot parse \"2.5\" as int32"));
  CHECK(npy_loadtxt_memory("99999999999\n", 12, &o, &f) == NPYIO_ERR_PARSE);
  CHECK(last_error_has("out of range for int32"));
  CHECK(npy_loadtxt_memory("1 \xff\n", 4, NULL, &f) == NPYIO_ERR_ENCODING);
  CHECK(last_error_has("line 1, column 3: invalid UTF-8"));
  CHECK(npy_loadtxt_to_npy(path("bad.txt"), path("c_never.npy"), NULL, NULL) == NPYIO_ERR_PARSE);
  struct stat sb;
  CHECK(stat(path("c_never.npy"), &sb) != 0);
  /* Out-of-range options and NULLs. */
  OK(npyio_loadtxt_options_init(&o));
  o.ndmin = 3;
  CHECK(npy_loadtxt_memory("1\n", 2, &o, &f) == NPYIO_ERR_INVALID_ARG);
  OK(npyio_loadtxt_options_init(&o));
  o.max_rows = -2;
  CHECK(npy_loadtxt_memory("1\n", 2, &o, &f) == NPYIO_ERR_INVALID_ARG);
  OK(npyio_loadtxt_options_init(&o));
  o.delimiter = ",,";
  CHECK(npy_loadtxt_memory("1\n", 2, &o, &f) == NPYIO_ERR_INVALID_ARG);
  CHECK(npy_loadtxt(NULL, NULL, &f) == NPYIO_ERR_NULL_ARG);
  CHECK(npy_loadtxt(path("in.csv"), NULL, NULL) == NPYIO_ERR_NULL_ARG);
  CHECK(npy_loadtxt_memory(NULL, 3, NULL, &f) == NPYIO_ERR_NULL_ARG);
  CHECK(npy_loadtxt(path("no-such-file.txt"), NULL, &f) == NPYIO_ERR_NOT_FOUND);
  CHECK(npyio_loadtxt_options_init(NULL) == NPYIO_ERR_NULL_ARG);
  npyio_dtype_free(i4);
  npyio_dtype_free(rec);
}

static void test_genfromtxt(void) {
  write_file("in_gen.csv",
             "# a, b c, d\n"
             "1,,3\n"
             "4,N/A,6\n"
             "7,8,x\n");
  npyio_genfromtxt_options o;
  OK(npyio_genfromtxt_options_init(&o));
  CHECK(o.loose == 1 && o.invalid_raise == 1 && o.names == 0 && strcmp(o.comments, "#") == 0);
  CHECK(strcmp(o.replace_space, "_") == 0 && o.case_sensitive == NPYIO_CASE_SENSITIVE);
  o.delimiter = ",";
  o.missing_values = "N/A";
  o.filling_value = "-1";
  npy_file *f = NULL, *m = NULL;
  OK(npy_genfromtxt(path("in_gen.csv"), &o, &f, &m));
  CHECK(npy_ndim(f) == 2 && npy_shape(f)[0] == 3 && npy_shape(f)[1] == 3);
  const double *d = (const double *)npy_data(f);
  const uint8_t *mk = (const uint8_t *)npy_data(m);
  CHECK(d[1] == -1.0 && d[4] == -1.0 && d[8] == -1.0 && d[7] == 8.0);
  CHECK(mk[1] == 1 && mk[4] == 1 && mk[8] == 0 && mk[0] == 0);
  save_npy(f, "c_gen.npy");
  save_npy(m, "c_gen_mask.npy");
  npy_close(f);
  npy_close(m);

  /* names=True: a structured result; no mask asked for. */
  OK(npyio_genfromtxt_options_init(&o));
  o.delimiter = ",";
  o.names = 1;
  f = NULL;
  OK(npy_genfromtxt(path("in_gen.csv"), &o, &f, NULL));
  CHECK(npyio_dtype_is_record(npy_dtype(f)));
  CHECK(strcmp(npyio_dtype_descr(npy_dtype(f)), "[('a', '<f8'), ('b_c', '<f8'), ('d', '<f8')]") == 0);
  save_npy(f, "c_gen_names.npy");
  npy_close(f);

  /* Fixed-width fields from memory, per-column filling values. */
  const char *fw = "  122333\n  4  666\n";
  uint64_t widths[3] = {3, 2, 3};
  const char *fills[3] = {NULL, "99", NULL};
  OK(npyio_genfromtxt_options_init(&o));
  o.widths = widths;
  o.n_widths = 3;
  o.filling_values = fills;
  o.n_filling_values = 3;
  f = NULL;
  m = NULL;
  OK(npy_genfromtxt_memory(fw, strlen(fw), &o, &f, &m));
  d = (const double *)npy_data(f);
  CHECK(npy_shape(f)[0] == 2 && d[0] == 1.0 && d[1] == 22.0 && d[2] == 333.0 && d[4] == 99.0);
  npy_close(f);
  npy_close(m);

  /* Errors. */
  OK(npyio_genfromtxt_options_init(&o));
  CHECK(npy_genfromtxt_memory("1 2\n3\n", 6, &o, &f, NULL) == NPYIO_ERR_PARSE);
  CHECK(last_error_has("line 2 has 1"));
  o.loose = 0;
  CHECK(npy_genfromtxt_memory("1 zz\n", 5, &o, &f, NULL) == NPYIO_ERR_PARSE);
  CHECK(last_error_has("line 1, column 2: cannot convert \"zz\" to float64"));
  o.loose = 2;
  CHECK(npy_genfromtxt_memory("1\n", 2, &o, &f, NULL) == NPYIO_ERR_INVALID_ARG);
  OK(npyio_genfromtxt_options_init(&o));
  o.case_sensitive = 7;
  CHECK(npy_genfromtxt_memory("1\n", 2, &o, &f, NULL) == NPYIO_ERR_INVALID_ARG);
  OK(npyio_genfromtxt_options_init(&o));
  o.delimiter = ",";
  o.width = 3;
  CHECK(npy_genfromtxt_memory("1\n", 2, &o, &f, NULL) == NPYIO_ERR_INVALID_ARG);
  CHECK(npy_genfromtxt(NULL, NULL, &f, NULL) == NPYIO_ERR_NULL_ARG);
  CHECK(npy_genfromtxt(path("in_gen.csv"), NULL, NULL, NULL) == NPYIO_ERR_NULL_ARG);
  CHECK(npy_genfromtxt_memory(NULL, 1, NULL, &f, NULL) == NPYIO_ERR_NULL_ARG);
  CHECK(npyio_genfromtxt_options_init(NULL) == NPYIO_ERR_NULL_ARG);
}

/* The option structs begin with struct_size: _init sets it to sizeof, and a size the library
 * never published (a struct not filled by _init, or from another header) is refused with a
 * message naming the struct, before anything is read or written. */
static void test_struct_size(void) {
  npyio_savetxt_options so;
  npyio_loadtxt_options lo;
  npyio_genfromtxt_options go;
  OK(npyio_savetxt_options_init(&so));
  OK(npyio_loadtxt_options_init(&lo));
  OK(npyio_genfromtxt_options_init(&go));
  CHECK(so.struct_size == sizeof so);
  CHECK(lo.struct_size == sizeof lo);
  CHECK(go.struct_size == sizeof go);
  CHECK(offsetof(npyio_savetxt_options, struct_size) == 0);
  CHECK(offsetof(npyio_loadtxt_options, struct_size) == 0);
  CHECK(offsetof(npyio_genfromtxt_options, struct_size) == 0);

  remove(path("c_struct_size.npy")); /* left by an earlier run */
  remove(path("c_struct_size.txt"));
  const char text[] = "1 2\n3 4\n";
  npy_file *f = NULL;
  /* The library's own size works (and is what _init gave). */
  OK(npy_loadtxt_memory(text, strlen(text), &lo, &f));
  CHECK(f != NULL && npy_count(f) == 4);
  npy_close(f);

  const size_t bad[] = {0, sizeof lo - 4, sizeof lo + 8, 1};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    f = NULL;
    lo.struct_size = bad[i];
    CHECK(npy_loadtxt_memory(text, strlen(text), &lo, &f) == NPYIO_ERR_INVALID_ARG);
    CHECK(f == NULL);
    char want[128];
    snprintf(want, sizeof want, "npyio_loadtxt_options.struct_size is %zu,", bad[i]);
    CHECK(last_error_has(want));
    CHECK(last_error_has("npyio_loadtxt_options_init"));
  }
  lo.struct_size = 0;
  CHECK(npy_loadtxt(path("in.csv"), &lo, &f) == NPYIO_ERR_INVALID_ARG);
  CHECK(npy_loadtxt_to_npy(path("in.csv"), path("c_struct_size.npy"), &lo, NULL) ==
        NPYIO_ERR_INVALID_ARG);
  struct stat sb;
  CHECK(stat(path("c_struct_size.npy"), &sb) != 0); /* nothing written */

  /* A zeroed struct (struct_size 0), as from memset or = {0} without _init. */
  memset(&go, 0, sizeof go);
  npy_file *mask = NULL;
  CHECK(npy_genfromtxt_memory(text, strlen(text), &go, &f, &mask) == NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("npyio_genfromtxt_options.struct_size is 0,"));
  CHECK(npy_genfromtxt(path("in.csv"), &go, &f, NULL) == NPYIO_ERR_INVALID_ARG);

  so.struct_size = sizeof so + 16;
  npyio_dtype *f8 = NULL;
  OK(npyio_dtype_parse("<f8", &f8));
  const double a[2] = {1, 2};
  const uint64_t shape[1] = {2};
  CHECK(npy_savetxt_data(path("c_struct_size.txt"), f8, 1, shape, a, sizeof a, &so) ==
        NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("npyio_savetxt_options.struct_size is"));
  CHECK(stat(path("c_struct_size.txt"), &sb) != 0);
  OK(npy_loadtxt_memory(text, strlen(text), NULL, &f));
  CHECK(npy_savetxt(path("c_struct_size.txt"), f, &so) == NPYIO_ERR_INVALID_ARG);
  npy_close(f);
  OK(npyio_savetxt_options_init(&so));
  OK(npy_savetxt_data(path("c_struct_size.txt"), f8, 1, shape, a, sizeof a, &so));
  npyio_dtype_free(f8);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_text <out_dir>\n");
    return 2;
  }
  /* The C and the C++ build write to their own subdirectory. */
  mkdir(argv[1], 0755);
#ifdef __cplusplus
  snprintf(dir, sizeof dir, "%s/cxx", argv[1]);
#else
  snprintf(dir, sizeof dir, "%s/c", argv[1]);
#endif
  mkdir(dir, 0755);
  (void)exercised_functions;
  test_savetxt();
  test_loadtxt();
  test_genfromtxt();
  test_struct_size();
  if (failures) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("test_text: all checks passed\n");
  return 0;
}
