/*
 * test_misuse.c -- every exported function called the wrong way: NULL for each pointer argument,
 * close/free of NULL, out-of-range enum and flag values, too-small buffers, handles in the wrong
 * state, reads after failed writes. Each call must return the documented status (or the
 * documented 0/NULL/false for getters), leave out-parameters untouched, and not crash.
 *
 *   test_misuse <path to npyio.h>
 *
 * The table `misuse_rows` has one row per function; the test reads npyio.h and fails when the
 * header declares a function without a row (or a row names a function the header lacks), so a
 * new function cannot be added without its misuse case.
 *
 * Compiled as C11 and as C++17. Files go to a mkdtemp() directory under /tmp, removed at the end.
 */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "npyio.h"
#include "check.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- checks -------------------------------------------------------------------------------- */

/* A call that must return `want`; a failure must also leave a non-empty message. */
#define EXPECT(expr, want)                                                           \
  do {                                                                               \
    npyio_status st_ = (expr);                                                       \
    if (st_ != (want)) fail_at(__FILE__, __LINE__, #expr, 1, st_, (want));           \
    if ((want) != NPYIO_OK && npyio_last_error(NULL, 0) == 0)                        \
      fail_at(__FILE__, __LINE__, "error without a message: " #expr, 0, 0, 0);       \
  } while (0)
#define EXPECT_OK(expr) EXPECT(expr, NPYIO_OK)
#define NULL_ARG(expr) EXPECT(expr, NPYIO_ERR_NULL_ARG)
#define INVALID(expr) EXPECT(expr, NPYIO_ERR_INVALID_ARG)

/* Out-parameters hold this until a call succeeds. */
static char sentinel_storage[16];
#define SENTINEL(T) ((T *)(void *)sentinel_storage)

/* ---- fixtures ------------------------------------------------------------------------------ */

static char npy_path[400], npz_path[400], out_path[400], out_npz[400], txt_path[400];
static npyio_dtype *f8;        /* '<f8' */
static npy_file *arr;          /* 3x4 '<f8', C order, opened from npy_path */
static npy_file *scalar;       /* a 0-d array (memory) */
static npz_file *zip;          /* npz_path: "s" stored, "d" deflate, "raw.bin" not a .npy */
static uint8_t npy_bytes[4096];
static size_t npy_len;
static uint8_t zip_bytes[8192];
static size_t zip_len;
static const uint64_t shape34[2] = {3, 4};
static double data12[12];

/* The file at `path` into `buf`; it must be shorter than `cap`. */
static size_t slurp_into(const char *path, uint8_t *buf, size_t cap) {
  FILE *fp = fopen(path, "rb");
  CHECK(fp != NULL);
  size_t n = fread(buf, 1, cap, fp);
  CHECK(n < cap);
  fclose(fp);
  return n;
}

static void setup(void) {
  for (int i = 0; i < 12; i++) data12[i] = i * 1.5;
  EXPECT_OK(npyio_dtype_parse("<f8", &f8));
  scratch_path(npy_path, sizeof npy_path, "a.npy");
  scratch_path(npz_path, sizeof npz_path, "a.npz");
  scratch_path(out_path, sizeof out_path, "out.npy");
  scratch_path(out_npz, sizeof out_npz, "out.npz");
  scratch_path(txt_path, sizeof txt_path, "t.txt");
  EXPECT_OK(npy_save(npy_path, f8, 2, shape34, false, data12, sizeof data12));
  npy_len = slurp_into(npy_path, npy_bytes, sizeof npy_bytes);
  EXPECT_OK(npy_open(npy_path, &arr));
  npz_writer *w = NULL;
  EXPECT_OK(npz_writer_open(npz_path, &w));
  EXPECT_OK(npz_writer_add(w, "s", f8, 2, shape34, false, data12, sizeof data12, NPYIO_STORED));
  EXPECT_OK(npz_writer_add(w, "d", f8, 2, shape34, false, data12, sizeof data12, NPYIO_DEFLATE));
  EXPECT_OK(npz_writer_finish(w));
  zip_len = slurp_into(npz_path, zip_bytes, sizeof zip_bytes);
  EXPECT_OK(npz_open(npz_path, &zip));
  /* A 0-d array in memory: np.save(f, np.float64(2.5)). */
  static uint8_t zero_d[128];
  const char *h = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";
  memset(zero_d, ' ', sizeof zero_d);
  memcpy(zero_d, "\x93NUMPY\x01\x00\x76\x00", 10);
  memcpy(zero_d + 10, h, strlen(h));
  zero_d[127] = '\n';
  static uint8_t file0d[136];
  memcpy(file0d, zero_d, 128);
  double v = 2.5;
  memcpy(file0d + 128, &v, 8);
  EXPECT_OK(npy_open_memory(file0d, sizeof file0d, &scalar));
  CHECK(npy_ndim(scalar) == 0);
  FILE *fp = fopen(txt_path, "w");
  CHECK(fp != NULL && fputs("1 2\n3 4\n", fp) >= 0 && fclose(fp) == 0);
}

static void teardown(void) {
  npy_close(arr);
  npy_close(scalar);
  npz_close(zip);
  npyio_dtype_free(f8);
}

/* ---- library-wide -------------------------------------------------------------------------- */

static void misuse_npyio_status_str(void) {
  const int32_t codes[] = {1, 2, 100, -25, -100, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    const char *s = npyio_status_str(codes[i]);
    CHECK(s != NULL && strcmp(s, "unknown status code") == 0);
  }
  for (int32_t c = 0; c >= NPYIO_ERR_CAST; c--) CHECK(npyio_status_str(c) != NULL);
}

static void misuse_npyio_last_error(void) {
  NULL_ARG(npy_open(NULL, SENTINEL(npy_file *)));
  size_t n = npyio_last_error(NULL, 0);
  CHECK(n > 0);
  CHECK(npyio_last_error(NULL, 1000) == n); /* NULL buffer with a capacity: nothing copied */
  char buf[8];
  memset(buf, 'x', sizeof buf);
  CHECK(npyio_last_error(buf, 0) == n);
  CHECK(buf[0] == 'x'); /* cap 0: nothing written */
  CHECK(npyio_last_error(buf, 1) == n);
  CHECK(buf[0] == '\0' && buf[1] == 'x');
  CHECK(npyio_last_error(buf, sizeof buf) == n);
  CHECK(strlen(buf) == sizeof buf - 1);
}

static void misuse_npyio_last_errno(void) {
  /* Takes nothing, never fails: 0 after a failure that is not the OS's. */
  NULL_ARG(npy_open(NULL, SENTINEL(npy_file *)));
  CHECK(npyio_last_errno() == 0);
  EXPECT(npy_open("/nonexistent/dir/x.npy", SENTINEL(npy_file *)), NPYIO_ERR_NOT_FOUND);
  CHECK(npyio_last_errno() == ENOENT);
  CHECK(npyio_last_errno() == ENOENT); /* reading it changes nothing */
}

static void misuse_npyio_version(void) {
  CHECK(npyio_version() != NULL && strlen(npyio_version()) >= 5);
}

static void misuse_npyio_set_limit(void) {
  const int32_t bad[] = {-1, 4, 100, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) INVALID(npyio_set_limit(bad[i], 5));
  uint64_t before = npyio_get_limit(NPYIO_LIMIT_HEADER_LEN);
  EXPECT_OK(npyio_set_limit(NPYIO_LIMIT_HEADER_LEN, 0)); /* 0 restores the default */
  CHECK(npyio_get_limit(NPYIO_LIMIT_HEADER_LEN) == before);
}

static void misuse_npyio_get_limit(void) {
  CHECK(npyio_get_limit(-1) == 0);
  CHECK(npyio_get_limit(1000) == 0);
  CHECK(npyio_get_limit(INT32_MIN) == 0);
  CHECK(npyio_get_limit(NPYIO_LIMIT_NPZ_MEMBERS) > 0);
}

/* ---- dtypes -------------------------------------------------------------------------------- */

static void misuse_npyio_dtype_parse(void) {
  npyio_dtype *d = SENTINEL(npyio_dtype);
  NULL_ARG(npyio_dtype_parse(NULL, &d));
  NULL_ARG(npyio_dtype_parse("<f8", NULL));
  EXPECT(npyio_dtype_parse("", &d), NPYIO_ERR_BAD_DTYPE);
  EXPECT(npyio_dtype_parse("<q9", &d), NPYIO_ERR_BAD_DTYPE);
  EXPECT(npyio_dtype_parse("'|O'", &d), NPYIO_ERR_OBJECT_DTYPE);
  EXPECT(npyio_dtype_parse("[('a', '<f8'", &d), NPYIO_ERR_BAD_HEADER);
  CHECK(d == SENTINEL(npyio_dtype));
}

static void misuse_npyio_dtype_descr(void) { CHECK(npyio_dtype_descr(NULL) == NULL); }
static void misuse_npyio_dtype_itemsize(void) { CHECK(npyio_dtype_itemsize(NULL) == 0); }
static void misuse_npyio_dtype_kind(void) { CHECK(npyio_dtype_kind(NULL) == 0); }
static void misuse_npyio_dtype_byteorder(void) { CHECK(npyio_dtype_byteorder(NULL) == 0); }
static void misuse_npyio_dtype_is_record(void) { CHECK(!npyio_dtype_is_record(NULL)); }
static void misuse_npyio_dtype_free(void) { npyio_dtype_free(NULL); }

/* ---- opening ------------------------------------------------------------------------------- */

static void misuse_npy_open(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_open(NULL, &f));
  NULL_ARG(npy_open(npy_path, NULL));
  INVALID(npy_open("", &f));
  EXPECT(npy_open("/nonexistent/dir/x.npy", &f), NPYIO_ERR_NOT_FOUND);
  EXPECT(npy_open(npz_path, &f), NPYIO_ERR_BAD_MAGIC);
  CHECK(f == SENTINEL(npy_file));
}

static void misuse_npy_open_memory(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_open_memory(NULL, npy_len, &f));
  NULL_ARG(npy_open_memory(npy_bytes, npy_len, NULL));
  EXPECT(npy_open_memory(NULL, 0, &f), NPYIO_ERR_TRUNCATED); /* NULL is fine with length 0 */
  EXPECT(npy_open_memory(npy_bytes, 5, &f), NPYIO_ERR_TRUNCATED);
  EXPECT(npy_open_memory(npy_bytes, npy_len - 1, &f), NPYIO_ERR_TRUNCATED);
  CHECK(f == SENTINEL(npy_file));
}

static void misuse_npy_mmap(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_mmap(NULL, NPYIO_MMAP_READ, &f));
  NULL_ARG(npy_mmap(npy_path, NPYIO_MMAP_READ, NULL));
  const npy_mmap_mode bad[] = {NPYIO_MMAP_CREATE, -1, 4, 99, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) INVALID(npy_mmap(npy_path, bad[i], &f));
  CHECK(f == SENTINEL(npy_file));
}

static void misuse_npy_mmap_create(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_mmap_create(NULL, f8, 2, shape34, false, &f));
  NULL_ARG(npy_mmap_create(out_path, NULL, 2, shape34, false, &f));
  NULL_ARG(npy_mmap_create(out_path, f8, 2, NULL, false, &f));
  NULL_ARG(npy_mmap_create(out_path, f8, 2, shape34, false, NULL));
  uint64_t big[65];
  for (int i = 0; i < 65; i++) big[i] = 1;
  INVALID(npy_mmap_create(out_path, f8, 65, big, false, &f));
  uint64_t huge[2] = {UINT64_MAX / 2, 3};
  EXPECT(npy_mmap_create(out_path, f8, 2, huge, false, &f), NPYIO_ERR_OVERFLOW);
  CHECK(f == SENTINEL(npy_file));
  CHECK(!file_exists(out_path)); /* failures create nothing */
}

static void misuse_npy_mmap_raw(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_mmap_raw(NULL, f8, NPYIO_MMAP_READ, 0, 0, NULL, false, &f));
  NULL_ARG(npy_mmap_raw(npy_path, NULL, NPYIO_MMAP_READ, 0, 0, NULL, false, &f));
  NULL_ARG(npy_mmap_raw(npy_path, f8, NPYIO_MMAP_READ, 0, 0, NULL, false, NULL));
  const npy_mmap_mode bad[] = {-1, 4, 99, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    INVALID(npy_mmap_raw(npy_path, f8, bad[i], 0, 2, shape34, false, &f));
  /* shape NULL + mode w+ (needs a shape), offsets past the end, too many dimensions. */
  INVALID(npy_mmap_raw(out_path, f8, NPYIO_MMAP_CREATE, 0, 0, NULL, false, &f));
  EXPECT(npy_mmap_raw(npy_path, f8, NPYIO_MMAP_READ, UINT64_MAX, 2, shape34, false, &f),
         NPYIO_ERR_TRUNCATED);
  EXPECT(npy_mmap_raw(npy_path, f8, NPYIO_MMAP_READ, 1u << 20, 0, NULL, false, &f),
         NPYIO_ERR_TRUNCATED);
  uint64_t big[65];
  for (int i = 0; i < 65; i++) big[i] = 1;
  INVALID(npy_mmap_raw(npy_path, f8, NPYIO_MMAP_READ, 0, 65, big, false, &f));
  uint64_t huge[2] = {UINT64_MAX / 2, 3};
  EXPECT(npy_mmap_raw(out_path, f8, NPYIO_MMAP_CREATE, 0, 2, huge, false, &f), NPYIO_ERR_OVERFLOW);
  EXPECT(npy_mmap_raw(out_path, f8, NPYIO_MMAP_CREATE, UINT64_MAX - 8, 2, shape34, false, &f),
         NPYIO_ERR_OVERFLOW);
  CHECK(f == SENTINEL(npy_file));
  CHECK(!file_exists(out_path));
}

static void misuse_npy_close(void) { npy_close(NULL); }

/* ---- describe: NULL gives 0 / NULL / false ------------------------------------------------- */

static void misuse_npy_ndim(void) { CHECK(npy_ndim(NULL) == 0); }
static void misuse_npy_shape(void) { CHECK(npy_shape(NULL) == NULL); }
static void misuse_npy_dtype(void) { CHECK(npy_dtype(NULL) == NULL); }
static void misuse_npy_fortran_order(void) { CHECK(!npy_fortran_order(NULL)); }
static void misuse_npy_nbytes(void) { CHECK(npy_nbytes(NULL) == 0); }
static void misuse_npy_count(void) { CHECK(npy_count(NULL) == 0); }
static void misuse_npy_row_nbytes(void) {
  CHECK(npy_row_nbytes(NULL) == 0);
  CHECK(npy_row_nbytes(scalar) == 0);
}
static void misuse_npy_data_offset(void) { CHECK(npy_data_offset(NULL) == 0); }
static void misuse_npy_format_version(void) { CHECK(npy_format_version(NULL) == 0); }
static void misuse_npy_data(void) {
  CHECK(npy_data(NULL) == NULL);
  CHECK(npy_data(arr) == NULL); /* opened from a path: not in memory */
}
static void misuse_npy_data_mut(void) {
  CHECK(npy_data_mut(NULL) == NULL);
  CHECK(npy_data_mut(arr) == NULL);
  CHECK(npy_data_mut(scalar) == NULL); /* memory arrays are read-only */
}
static void misuse_npy_flush(void) {
  NULL_ARG(npy_flush(NULL));
  EXPECT_OK(npy_flush(arr)); /* a no-op for non-maps */
}

/* ---- rows written by position, appended ---------------------------------------------------- */

static void misuse_npy_create(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_create(NULL, f8, 2, shape34, false, &f));
  NULL_ARG(npy_create(out_path, NULL, 2, shape34, false, &f));
  NULL_ARG(npy_create(out_path, f8, 2, NULL, false, &f));
  NULL_ARG(npy_create(out_path, f8, 2, shape34, false, NULL));
  INVALID(npy_create("", f8, 2, shape34, false, &f));
  INVALID(npy_create(scratch, f8, 2, shape34, false, &f)); /* a directory */
  uint64_t big[65];
  for (int i = 0; i < 65; i++) big[i] = 1;
  INVALID(npy_create(out_path, f8, 65, big, false, &f));
  uint64_t huge[2] = {UINT64_MAX / 2, 3};
  EXPECT(npy_create(out_path, f8, 2, huge, false, &f), NPYIO_ERR_OVERFLOW);
  CHECK(f == SENTINEL(npy_file));
  CHECK(!file_exists(out_path)); /* failures create nothing */
}

static void misuse_npy_open_rw(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_open_rw(NULL, &f));
  NULL_ARG(npy_open_rw(npy_path, NULL));
  INVALID(npy_open_rw("", &f));
  EXPECT(npy_open_rw(out_path, &f), NPYIO_ERR_NOT_FOUND); /* not there */
  INVALID(npy_open_rw(scratch, &f));                /* a directory */
  EXPECT(npy_open_rw(txt_path, &f), NPYIO_ERR_BAD_MAGIC);
  CHECK(f == SENTINEL(npy_file));
  CHECK(!file_exists(out_path));
}

static void misuse_npy_write_rows(void) {
  NULL_ARG(npy_write_rows(NULL, 0, 1, data12, 32));
  EXPECT(npy_write_rows(arr, 0, 1, data12, 32), NPYIO_ERR_STATE); /* opened read-only */
  EXPECT(npy_write_rows(scalar, 0, 1, data12, 8), NPYIO_ERR_STATE);
  char p[400];
  scratch_path(p, sizeof p, "rw.npy");
  npy_file *w = NULL;
  EXPECT_OK(npy_create(p, f8, 2, shape34, false, &w));
  NULL_ARG(npy_write_rows(w, 0, 1, NULL, 32));
  INVALID(npy_write_rows(w, 3, 1, data12, 32));          /* past the end */
  INVALID(npy_write_rows(w, 2, 2, data12, 64));          /* partly past the end */
  INVALID(npy_write_rows(w, 1, UINT64_MAX, data12, 32)); /* first + count overflows */
  INVALID(npy_write_rows(w, UINT64_MAX, 1, data12, 32));
  EXPECT(npy_write_rows(w, 0, 1, data12, 31), NPYIO_ERR_SIZE_MISMATCH);
  EXPECT(npy_write_rows(w, 0, 1, data12, 33), NPYIO_ERR_SIZE_MISMATCH);
  EXPECT(npy_write_rows(w, 0, 2, data12, 32), NPYIO_ERR_SIZE_MISMATCH);
  EXPECT_OK(npy_write_rows(w, 3, 0, NULL, 0));
  double back[12];
  EXPECT_OK(npy_read_into(w, back, sizeof back, 0));
  for (int i = 0; i < 12; i++) CHECK(back[i] == 0.0); /* failures wrote nothing */
  npy_close(w);
  /* A 0-d file has no rows. */
  EXPECT_OK(npy_create(p, f8, 0, NULL, false, &w));
  INVALID(npy_write_rows(w, 0, 1, data12, 8));
  npy_close(w);
  CHECK(unlink(p) == 0);
}

static void misuse_npy_append_rows(void) {
  char p[400];
  scratch_path(p, sizeof p, "ap.npy");
  EXPECT_OK(npy_save(p, f8, 2, shape34, false, data12, sizeof data12));
  NULL_ARG(npy_append_rows(NULL, data12, 32));
  NULL_ARG(npy_append_rows(p, NULL, 32));
  INVALID(npy_append_rows("", data12, 32));
  INVALID(npy_append_rows(scratch, data12, 32)); /* a directory */
  EXPECT(npy_append_rows(out_path, data12, 32), NPYIO_ERR_NOT_FOUND); /* not there */
  EXPECT(npy_append_rows(txt_path, data12, 32), NPYIO_ERR_BAD_MAGIC);
  EXPECT(npy_append_rows(p, data12, 31), NPYIO_ERR_SIZE_MISMATCH); /* a partial row */
  EXPECT(npy_append_rows(p, data12, 40), NPYIO_ERR_SIZE_MISMATCH);
  EXPECT_OK(npy_append_rows(p, NULL, 0));
  npy_file *f = NULL;
  EXPECT_OK(npy_open(p, &f));
  CHECK(npy_shape(f)[0] == 3); /* unchanged */
  npy_close(f);
  CHECK(unlink(p) == 0);
  CHECK(!file_exists(out_path));
}

/* ---- caller-supplied readers --------------------------------------------------------------- */

static int misuse_released;
static int64_t misuse_read_at(void *ctx, uint64_t offset, void *buf, size_t len) {
  (void)ctx;
  (void)offset;
  (void)buf;
  (void)len;
  return -1;
}
static void misuse_release(void *ctx) {
  (void)ctx;
  misuse_released++;
}

static npyio_reader misuse_reader(void) {
  npyio_reader r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  r.read_at = misuse_read_at;
  r.size = 1000;
  r.release = misuse_release;
  return r;
}

static void misuse_npy_open_reader(void) {
  npy_file *f = SENTINEL(npy_file);
  npyio_reader r = misuse_reader();
  NULL_ARG(npy_open_reader(NULL, &f));
  NULL_ARG(npy_open_reader(&r, NULL));
  r.read_at = NULL;
  NULL_ARG(npy_open_reader(&r, &f));
  r = misuse_reader();
  r.struct_size = 0;
  INVALID(npy_open_reader(&r, &f));
  r = misuse_reader();
  EXPECT(npy_open_reader(&r, &f), NPYIO_ERR_IO); /* read_at fails */
  CHECK(f == SENTINEL(npy_file));
  CHECK(misuse_released == 0); /* failures leave the context to the caller */
}

static void misuse_npz_open_reader(void) {
  npz_file *z = SENTINEL(npz_file);
  npyio_reader r = misuse_reader();
  NULL_ARG(npz_open_reader(NULL, &z));
  NULL_ARG(npz_open_reader(&r, NULL));
  r.read_at = NULL;
  NULL_ARG(npz_open_reader(&r, &z));
  r = misuse_reader();
  r.struct_size = sizeof r / 2;
  INVALID(npz_open_reader(&r, &z));
  r = misuse_reader();
  EXPECT(npz_open_reader(&r, &z), NPYIO_ERR_IO);
  CHECK(z == SENTINEL(npz_file));
  CHECK(misuse_released == 0);
}

static int64_t misuse_sink_write(void *ctx, const void *buf, size_t len) {
  (void)ctx;
  (void)buf;
  (void)len;
  return -1;
}

static npyio_writer_sink misuse_sink(void) {
  npyio_writer_sink s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  s.write = misuse_sink_write;
  s.release = misuse_release;
  return s;
}

static void misuse_npy_writer_create_sink(void) {
  npy_writer *w = SENTINEL(npy_writer);
  npyio_writer_sink s = misuse_sink();
  NULL_ARG(npy_writer_create_sink(NULL, f8, 2, shape34, false, &w));
  NULL_ARG(npy_writer_create_sink(&s, NULL, 2, shape34, false, &w));
  NULL_ARG(npy_writer_create_sink(&s, f8, 2, NULL, false, &w));
  NULL_ARG(npy_writer_create_sink(&s, f8, 2, shape34, false, NULL));
  s.write = NULL;
  NULL_ARG(npy_writer_create_sink(&s, f8, 2, shape34, false, &w));
  s = misuse_sink();
  s.struct_size = 1;
  INVALID(npy_writer_create_sink(&s, f8, 2, shape34, false, &w));
  CHECK(w == SENTINEL(npy_writer));
  /* A sink that fails: the writes fail, the writer still ends and releases it. */
  s = misuse_sink();
  npy_writer *ok = NULL;
  EXPECT_OK(npy_writer_create_sink(&s, f8, 2, shape34, false, &ok));
  EXPECT(npy_writer_write(ok, data12, sizeof data12), NPYIO_ERR_IO);
  CHECK(npy_writer_finish(ok) != NPYIO_OK);
  CHECK(misuse_released == 1);
  misuse_released = 0;
}

static void misuse_npz_writer_open_sink(void) {
  npz_writer *w = SENTINEL(npz_writer);
  npyio_writer_sink s = misuse_sink();
  NULL_ARG(npz_writer_open_sink(NULL, 0, -1, &w));
  NULL_ARG(npz_writer_open_sink(&s, 0, -1, NULL));
  s.write = NULL;
  NULL_ARG(npz_writer_open_sink(&s, 0, -1, &w));
  s = misuse_sink();
  s.struct_size = 0;
  INVALID(npz_writer_open_sink(&s, 0, -1, &w));
  s = misuse_sink();
  INVALID(npz_writer_open_sink(&s, 0x100, -1, &w)); /* unknown flag */
  INVALID(npz_writer_open_sink(&s, 0, 10, &w));     /* level */
  CHECK(w == SENTINEL(npz_writer));
  CHECK(misuse_released == 0);
}

/* ---- reads --------------------------------------------------------------------------------- */

static void misuse_npy_read_into(void) {
  double buf[13];
  const size_t n = sizeof data12;
  for (int i = 0; i < 13; i++) buf[i] = -7.0;
  NULL_ARG(npy_read_into(NULL, buf, n, 0));
  NULL_ARG(npy_read_into(arr, NULL, n, 0));
  EXPECT(npy_read_into(arr, NULL, 0, 0), NPYIO_ERR_BUFFER_TOO_SMALL);
  EXPECT(npy_read_into(arr, buf, n - 1, 0), NPYIO_ERR_BUFFER_TOO_SMALL);
  const uint32_t bad[] = {8, 16, 0x80000000u, 0xFFFFFFFFu, NPYIO_READ_NATIVE | 8};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) INVALID(npy_read_into(arr, buf, n, bad[i]));
  for (int i = 0; i < 13; i++) CHECK(buf[i] == -7.0); /* failures write nothing */
  EXPECT_OK(npy_read_into(arr, buf, sizeof buf, NPYIO_READ_NATIVE | NPYIO_READ_C_ORDER));
  CHECK(memcmp(buf, data12, n) == 0 && buf[12] == -7.0); /* nothing past nbytes */
  EXPECT_OK(npy_read_into(scalar, buf, 8, 0));
  CHECK(buf[0] == 2.5);
}

static void misuse_npy_read_rows(void) {
  double buf[12];
  for (int i = 0; i < 12; i++) buf[i] = -7.0;
  NULL_ARG(npy_read_rows(NULL, 0, 1, buf, sizeof buf, 0));
  NULL_ARG(npy_read_rows(arr, 0, 1, NULL, 32, 0));
  INVALID(npy_read_rows(arr, 3, 1, buf, sizeof buf, 0));          /* past the end */
  INVALID(npy_read_rows(arr, 1, UINT64_MAX, buf, sizeof buf, 0)); /* first + count overflows */
  INVALID(npy_read_rows(arr, UINT64_MAX, 1, buf, sizeof buf, 0));
  INVALID(npy_read_rows(arr, 0, 1, buf, sizeof buf, 0x10));
  INVALID(npy_read_rows(scalar, 0, 1, buf, sizeof buf, 0)); /* 0-d: no rows */
  EXPECT(npy_read_rows(arr, 0, 2, buf, 63, 0), NPYIO_ERR_BUFFER_TOO_SMALL);
  for (int i = 0; i < 12; i++) CHECK(buf[i] == -7.0);
  EXPECT_OK(npy_read_rows(arr, 1, 0, NULL, 0, 0)); /* zero rows, NULL buffer of length 0 */
  EXPECT_OK(npy_read_rows(arr, 1, 2, buf, 64, 0));
  CHECK(memcmp(buf, data12 + 4, 64) == 0);
}

/* ---- writes -------------------------------------------------------------------------------- */

/* A save that fails leaves the old file and it still reads (reads after a failed write). */
static void old_file_intact(void) {
  uint8_t now[4096];
  CHECK(slurp_into(npy_path, now, sizeof now) == npy_len);
  CHECK(memcmp(now, npy_bytes, npy_len) == 0);
  npy_file *f = NULL;
  double buf[12];
  EXPECT_OK(npy_open(npy_path, &f));
  EXPECT_OK(npy_read_into(f, buf, sizeof buf, 0));
  CHECK(memcmp(buf, data12, sizeof buf) == 0);
  npy_close(f);
  /* The handle opened before the failed writes still reads too. */
  EXPECT_OK(npy_read_into(arr, buf, sizeof buf, 0));
  CHECK(memcmp(buf, data12, sizeof buf) == 0);
}

static void bad_save_args(npyio_status (*save)(const char *, const npyio_dtype *, size_t,
                                               const uint64_t *, bool, const void *, size_t)) {
  const size_t n = sizeof data12;
  NULL_ARG(save(NULL, f8, 2, shape34, false, data12, n));
  NULL_ARG(save(npy_path, NULL, 2, shape34, false, data12, n));
  NULL_ARG(save(npy_path, f8, 2, NULL, false, data12, n));
  NULL_ARG(save(npy_path, f8, 2, shape34, false, NULL, n));
  INVALID(save("", f8, 2, shape34, false, data12, n));
  EXPECT(save(npy_path, f8, 2, shape34, false, data12, n - 1), NPYIO_ERR_SIZE_MISMATCH);
  EXPECT(save(npy_path, f8, 2, shape34, false, NULL, 0), NPYIO_ERR_SIZE_MISMATCH);
  uint64_t big[65];
  for (int i = 0; i < 65; i++) big[i] = 1;
  INVALID(save(npy_path, f8, 65, big, false, data12, 8));
  uint64_t huge[2] = {1ull << 62, 1ull << 62};
  EXPECT(save(npy_path, f8, 2, huge, false, data12, n), NPYIO_ERR_OVERFLOW);
  old_file_intact();
}

static npyio_status save_fsync(const char *p, const npyio_dtype *d, size_t nd, const uint64_t *s,
                               bool fo, const void *data, size_t len) {
  return npy_save_ex(p, d, nd, s, fo, data, len, NPYIO_SAVE_FSYNC);
}

static void misuse_npy_save(void) { bad_save_args(npy_save); }

static void misuse_npy_save_ex(void) {
  bad_save_args(save_fsync);
  const uint32_t bad[] = {2, 0x80, 0xFFFFFFFFu};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    INVALID(npy_save_ex(npy_path, f8, 2, shape34, false, data12, sizeof data12, bad[i]));
  old_file_intact();
}

static void misuse_npy_save_typed(void) {
  const size_t n = sizeof data12;
  NULL_ARG(npy_save_typed(NULL, NPYIO_FLOAT64, 2, shape34, data12, n));
  NULL_ARG(npy_save_typed(npy_path, NPYIO_FLOAT64, 2, NULL, data12, n));
  NULL_ARG(npy_save_typed(npy_path, NPYIO_FLOAT64, 2, shape34, NULL, n));
  const npyio_type bad[] = {0, -1, NPYIO_COMPLEX128 + 1, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    INVALID(npy_save_typed(npy_path, bad[i], 2, shape34, data12, n));
  INVALID(npy_save_typed("", NPYIO_FLOAT64, 2, shape34, data12, n));
  EXPECT(npy_save_typed(npy_path, NPYIO_FLOAT64, 2, shape34, data12, n - 1),
         NPYIO_ERR_SIZE_MISMATCH);
  EXPECT(npy_save_typed(npy_path, NPYIO_FLOAT32, 2, shape34, data12, n), NPYIO_ERR_SIZE_MISMATCH);
  uint64_t huge[2] = {1ull << 62, 1ull << 62};
  EXPECT(npy_save_typed(npy_path, NPYIO_FLOAT64, 2, huge, data12, n), NPYIO_ERR_OVERFLOW);
  old_file_intact();
}

static void misuse_npy_writer_create(void) {
  npy_writer *w = SENTINEL(npy_writer);
  NULL_ARG(npy_writer_create(NULL, f8, 2, shape34, false, &w));
  NULL_ARG(npy_writer_create(npy_path, NULL, 2, shape34, false, &w));
  NULL_ARG(npy_writer_create(npy_path, f8, 2, NULL, false, &w));
  NULL_ARG(npy_writer_create(npy_path, f8, 2, shape34, false, NULL));
  uint64_t huge[2] = {1ull << 62, 1ull << 62};
  EXPECT(npy_writer_create(npy_path, f8, 2, huge, false, &w), NPYIO_ERR_OVERFLOW);
  CHECK(w == SENTINEL(npy_writer));
  old_file_intact();
}

static void misuse_npy_writer_create_ex(void) {
  npy_writer *w = SENTINEL(npy_writer);
  NULL_ARG(npy_writer_create_ex(NULL, f8, 2, shape34, false, 0, &w));
  NULL_ARG(npy_writer_create_ex(npy_path, NULL, 2, shape34, false, 0, &w));
  NULL_ARG(npy_writer_create_ex(npy_path, f8, 2, NULL, false, 0, &w));
  NULL_ARG(npy_writer_create_ex(npy_path, f8, 2, shape34, false, 0, NULL));
  INVALID(npy_writer_create_ex(npy_path, f8, 2, shape34, false, 2, &w));
  INVALID(npy_writer_create_ex(npy_path, f8, 2, shape34, false, 0xFFFFFFFFu, &w));
  CHECK(w == SENTINEL(npy_writer));
  old_file_intact();
}

static void misuse_npy_writer_write(void) {
  NULL_ARG(npy_writer_write(NULL, data12, 8));
  npy_writer *w = NULL;
  EXPECT_OK(npy_writer_create(npy_path, f8, 2, shape34, false, &w));
  NULL_ARG(npy_writer_write(w, NULL, 8));
  EXPECT_OK(npy_writer_write(w, NULL, 0));
  EXPECT_OK(npy_writer_write(w, data12, 40));
  /* More than the array holds: refused, nothing written, the writer goes on. */
  EXPECT(npy_writer_write(w, data12, sizeof data12), NPYIO_ERR_SIZE_MISMATCH);
  EXPECT_OK(npy_writer_write(w, (const uint8_t *)data12 + 40, sizeof data12 - 40));
  EXPECT(npy_writer_write(w, data12, 1), NPYIO_ERR_SIZE_MISMATCH);
  npy_writer_discard(w); /* abandoned: the old file stays */
  old_file_intact();
}

static void misuse_npy_writer_finish(void) {
  NULL_ARG(npy_writer_finish(NULL));
  npy_writer *w = NULL;
  EXPECT_OK(npy_writer_create(npy_path, f8, 2, shape34, false, &w));
  EXPECT_OK(npy_writer_write(w, data12, 8));
  EXPECT(npy_writer_finish(w), NPYIO_ERR_SIZE_MISMATCH); /* too short: freed, old file kept */
  old_file_intact();
}

static void misuse_npy_writer_discard(void) { npy_writer_discard(NULL); }

/* ---- npz reading --------------------------------------------------------------------------- */

static void misuse_npz_open(void) {
  npz_file *z = SENTINEL(npz_file);
  NULL_ARG(npz_open(NULL, &z));
  NULL_ARG(npz_open(npz_path, NULL));
  INVALID(npz_open("", &z));
  EXPECT(npz_open("/nonexistent/x.npz", &z), NPYIO_ERR_NOT_FOUND);
  EXPECT(npz_open(npy_path, &z), NPYIO_ERR_ZIP);
  CHECK(z == SENTINEL(npz_file));
}

static void misuse_npz_open_memory(void) {
  npz_file *z = SENTINEL(npz_file);
  NULL_ARG(npz_open_memory(NULL, zip_len, &z));
  NULL_ARG(npz_open_memory(zip_bytes, zip_len, NULL));
  EXPECT(npz_open_memory(NULL, 0, &z), NPYIO_ERR_ZIP);
  EXPECT(npz_open_memory(zip_bytes, zip_len - 1, &z), NPYIO_ERR_ZIP);
  CHECK(z == SENTINEL(npz_file));
}

static void misuse_npz_count(void) { CHECK(npz_count(NULL) == 0); }
static void misuse_npz_name(void) {
  CHECK(npz_name(NULL, 0) == NULL);
  CHECK(npz_name(zip, 2) == NULL);
  CHECK(npz_name(zip, SIZE_MAX) == NULL);
}
static void misuse_npz_member_size(void) {
  CHECK(npz_member_size(NULL, 0) == 0);
  CHECK(npz_member_size(zip, 2) == 0);
  CHECK(npz_member_size(zip, SIZE_MAX) == 0);
}
static void misuse_npz_member_compressed_size(void) {
  CHECK(npz_member_compressed_size(NULL, 0) == 0);
  CHECK(npz_member_compressed_size(zip, 2) == 0);
}
static void misuse_npz_member_compression(void) {
  CHECK(npz_member_compression(NULL, 0) == -1);
  CHECK(npz_member_compression(zip, 2) == -1);
  CHECK(npz_member_compression(zip, SIZE_MAX) == -1);
}

static void misuse_npz_open_member(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npz_open_member(NULL, "s", &f));
  NULL_ARG(npz_open_member(zip, NULL, &f));
  NULL_ARG(npz_open_member(zip, "s", NULL));
  EXPECT(npz_open_member(zip, "nope", &f), NPYIO_ERR_NOT_FOUND);
  EXPECT(npz_open_member(zip, "", &f), NPYIO_ERR_NOT_FOUND);
  CHECK(f == SENTINEL(npy_file));
}

static void misuse_npz_open_member_at(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npz_open_member_at(NULL, 0, &f));
  NULL_ARG(npz_open_member_at(zip, 0, NULL));
  INVALID(npz_open_member_at(zip, 2, &f));
  INVALID(npz_open_member_at(zip, SIZE_MAX, &f));
  CHECK(f == SENTINEL(npy_file));
}

static void misuse_npz_mmap_member(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npz_mmap_member(NULL, "s", &f));
  NULL_ARG(npz_mmap_member(zip, NULL, &f));
  NULL_ARG(npz_mmap_member(zip, "s", NULL));
  EXPECT(npz_mmap_member(zip, "nope", &f), NPYIO_ERR_NOT_FOUND);
  EXPECT(npz_mmap_member(zip, "d", &f), NPYIO_ERR_NOT_MAPPABLE);
  CHECK(f == SENTINEL(npy_file));
}

static void misuse_npz_read_raw(void) {
  uint8_t buf[4096];
  uint64_t n = npz_member_size(zip, 0);
  CHECK(n > 0 && n < sizeof buf);
  NULL_ARG(npz_read_raw(NULL, "s", buf, sizeof buf));
  NULL_ARG(npz_read_raw(zip, NULL, buf, sizeof buf));
  NULL_ARG(npz_read_raw(zip, "s", NULL, sizeof buf));
  EXPECT(npz_read_raw(zip, "s", NULL, 0), NPYIO_ERR_BUFFER_TOO_SMALL);
  EXPECT(npz_read_raw(zip, "s", buf, (size_t)n - 1), NPYIO_ERR_BUFFER_TOO_SMALL);
  EXPECT(npz_read_raw(zip, "nope", buf, sizeof buf), NPYIO_ERR_NOT_FOUND);
  EXPECT_OK(npz_read_raw(zip, "s", buf, (size_t)n));
}

static void misuse_npz_close(void) { npz_close(NULL); }

/* ---- npz writing --------------------------------------------------------------------------- */

static void npz_intact(void) {
  uint8_t now[8192];
  CHECK(slurp_into(npz_path, now, sizeof now) == zip_len);
  CHECK(memcmp(now, zip_bytes, zip_len) == 0);
}

static void misuse_npz_writer_open(void) {
  npz_writer *w = SENTINEL(npz_writer);
  NULL_ARG(npz_writer_open(NULL, &w));
  NULL_ARG(npz_writer_open(npz_path, NULL));
  INVALID(npz_writer_open("", &w));
  EXPECT(npz_writer_open("/nonexistent/dir/x.npz", &w), NPYIO_ERR_IO);
  CHECK(w == SENTINEL(npz_writer));
}

static void misuse_npz_writer_open_ex(void) {
  npz_writer *w = SENTINEL(npz_writer);
  NULL_ARG(npz_writer_open_ex(NULL, 0, -1, &w));
  NULL_ARG(npz_writer_open_ex(npz_path, 0, -1, NULL));
  const uint32_t bad_flags[] = {8, 0x80, 0xFFFFFFFFu};
  for (size_t i = 0; i < sizeof bad_flags / sizeof bad_flags[0]; i++)
    INVALID(npz_writer_open_ex(npz_path, bad_flags[i], -1, &w));
  const int32_t bad_levels[] = {-2, 10, 100, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof bad_levels / sizeof bad_levels[0]; i++)
    INVALID(npz_writer_open_ex(npz_path, 0, bad_levels[i], &w));
  CHECK(w == SENTINEL(npz_writer));
  npz_intact();
}

static void misuse_npz_writer_add(void) {
  const size_t n = sizeof data12;
  NULL_ARG(npz_writer_add(NULL, "x", f8, 2, shape34, false, data12, n, NPYIO_STORED));
  npz_writer *w = NULL;
  EXPECT_OK(npz_writer_open(npz_path, &w));
  NULL_ARG(npz_writer_add(w, NULL, f8, 2, shape34, false, data12, n, NPYIO_STORED));
  NULL_ARG(npz_writer_add(w, "x", NULL, 2, shape34, false, data12, n, NPYIO_STORED));
  NULL_ARG(npz_writer_add(w, "x", f8, 2, NULL, false, data12, n, NPYIO_STORED));
  NULL_ARG(npz_writer_add(w, "x", f8, 2, shape34, false, NULL, n, NPYIO_STORED));
  const npyio_compression bad[] = {1, 9, 12, -1, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    INVALID(npz_writer_add(w, "x", f8, 2, shape34, false, data12, n, bad[i]));
  INVALID(npz_writer_add(w, "", f8, 2, shape34, false, data12, n, NPYIO_STORED));
  EXPECT(npz_writer_add(w, "x", f8, 2, shape34, false, data12, n - 8, NPYIO_STORED),
         NPYIO_ERR_SIZE_MISMATCH);
  EXPECT_OK(npz_writer_add(w, "x", f8, 2, shape34, false, data12, n, NPYIO_STORED));
  INVALID(npz_writer_add(w, "x", f8, 2, shape34, false, data12, n, NPYIO_DEFLATE)); /* duplicate */
  npz_writer_discard(w);
  npz_intact();
}

static void misuse_npz_writer_add_typed(void) {
  const size_t n = sizeof data12;
  NULL_ARG(npz_writer_add_typed(NULL, "x", NPYIO_FLOAT64, 2, shape34, data12, n));
  npz_writer *w = NULL;
  EXPECT_OK(npz_writer_open(npz_path, &w));
  NULL_ARG(npz_writer_add_typed(w, NULL, NPYIO_FLOAT64, 2, shape34, data12, n));
  NULL_ARG(npz_writer_add_typed(w, "x", NPYIO_FLOAT64, 2, NULL, data12, n));
  NULL_ARG(npz_writer_add_typed(w, "x", NPYIO_FLOAT64, 2, shape34, NULL, n));
  const npyio_type bad[] = {0, -1, NPYIO_COMPLEX128 + 1, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    INVALID(npz_writer_add_typed(w, "x", bad[i], 2, shape34, data12, n));
  INVALID(npz_writer_add_typed(w, "", NPYIO_FLOAT64, 2, shape34, data12, n));
  EXPECT(npz_writer_add_typed(w, "x", NPYIO_FLOAT64, 2, shape34, data12, n - 8),
         NPYIO_ERR_SIZE_MISMATCH);
  EXPECT_OK(npz_writer_add_typed(w, "x", NPYIO_FLOAT64, 2, shape34, data12, n));
  INVALID(npz_writer_add_typed(w, "x", NPYIO_FLOAT64, 2, shape34, data12, n)); /* duplicate */
  npz_writer_discard(w);
  npz_intact();
}

static void misuse_npz_writer_set_level(void) {
  NULL_ARG(npz_writer_set_level(NULL, NPYIO_DEFLATE, 6));
  npz_writer *w = NULL;
  EXPECT_OK(npz_writer_open(npz_path, &w));
  const npyio_compression bad[] = {NPYIO_STORED, 1, 9, 12, -1, INT32_MIN, INT32_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    INVALID(npz_writer_set_level(w, bad[i], 1));
  INVALID(npz_writer_set_level(w, NPYIO_DEFLATE, 10));
  INVALID(npz_writer_set_level(w, NPYIO_DEFLATE, -2));
  INVALID(npz_writer_set_level(w, NPYIO_ZSTD, 23));
  INVALID(npz_writer_set_level(w, NPYIO_ZSTD, -131073));
  EXPECT_OK(npz_writer_set_level(w, NPYIO_DEFLATE, 9));
  EXPECT_OK(npz_writer_set_level(w, NPYIO_DEFLATE, -1));
  EXPECT_OK(npz_writer_set_level(w, NPYIO_ZSTD, 19));
  EXPECT_OK(npz_writer_set_level(w, NPYIO_ZSTD, 0));
  npz_writer_discard(w);
  npz_intact();
}

static void misuse_npz_writer_begin(void) {
  NULL_ARG(npz_writer_begin(NULL, "x", f8, 2, shape34, false, NPYIO_STORED));
  npz_writer *w = NULL;
  EXPECT_OK(npz_writer_open(npz_path, &w));
  NULL_ARG(npz_writer_begin(w, NULL, f8, 2, shape34, false, NPYIO_STORED));
  NULL_ARG(npz_writer_begin(w, "x", NULL, 2, shape34, false, NPYIO_STORED));
  NULL_ARG(npz_writer_begin(w, "x", f8, 2, NULL, false, NPYIO_STORED));
  INVALID(npz_writer_begin(w, "x", f8, 2, shape34, false, 3));
  INVALID(npz_writer_begin(w, "x", f8, 2, shape34, false, -8));
  EXPECT_OK(npz_writer_begin(w, "x", f8, 2, shape34, false, NPYIO_DEFLATE));
  EXPECT(npz_writer_begin(w, "y", f8, 2, shape34, false, NPYIO_STORED), NPYIO_ERR_STATE);
  EXPECT(npz_writer_add(w, "y", f8, 2, shape34, false, data12, sizeof data12, NPYIO_STORED),
         NPYIO_ERR_STATE);
  npz_writer_discard(w); /* with a member still open */
  npz_intact();
}

static void misuse_npz_writer_write(void) {
  NULL_ARG(npz_writer_write(NULL, data12, 8));
  npz_writer *w = NULL;
  EXPECT_OK(npz_writer_open(npz_path, &w));
  EXPECT(npz_writer_write(w, data12, 8), NPYIO_ERR_STATE); /* no member open */
  EXPECT_OK(npz_writer_begin(w, "x", f8, 2, shape34, false, NPYIO_STORED));
  NULL_ARG(npz_writer_write(w, NULL, 8));
  EXPECT_OK(npz_writer_write(w, NULL, 0));
  EXPECT(npz_writer_write(w, data12, sizeof data12 + 8), NPYIO_ERR_SIZE_MISMATCH);
  npz_writer_discard(w);
  npz_intact();
}

static void misuse_npz_writer_end(void) {
  NULL_ARG(npz_writer_end(NULL));
  npz_writer *w = NULL;
  EXPECT_OK(npz_writer_open(npz_path, &w));
  EXPECT(npz_writer_end(w), NPYIO_ERR_STATE); /* no member open */
  EXPECT_OK(npz_writer_begin(w, "x", f8, 2, shape34, false, NPYIO_STORED));
  EXPECT_OK(npz_writer_write(w, data12, 8));
  EXPECT(npz_writer_end(w), NPYIO_ERR_SIZE_MISMATCH); /* too few bytes */
  /* The writer then only accepts discard or a failing finish. */
  CHECK(npz_writer_finish(w) != NPYIO_OK);
  npz_intact();
}

static void misuse_npz_writer_finish(void) {
  NULL_ARG(npz_writer_finish(NULL));
  npz_writer *w = NULL;
  EXPECT_OK(npz_writer_open(npz_path, &w));
  EXPECT_OK(npz_writer_begin(w, "x", f8, 2, shape34, false, NPYIO_STORED));
  CHECK(npz_writer_finish(w) != NPYIO_OK); /* a member still open: refused, writer freed */
  npz_intact();
  npz_file *z = NULL;
  EXPECT_OK(npz_open(npz_path, &z)); /* reads after the failed write see the old archive */
  CHECK(npz_count(z) == 2);
  npz_close(z);
}

static void misuse_npz_writer_discard(void) { npz_writer_discard(NULL); }

/* ---- text (np.savetxt / np.loadtxt / np.genfromtxt) ----------------------------------------- */

static void misuse_npyio_savetxt_options_init(void) { NULL_ARG(npyio_savetxt_options_init(NULL)); }
static void misuse_npyio_loadtxt_options_init(void) { NULL_ARG(npyio_loadtxt_options_init(NULL)); }
static void misuse_npyio_genfromtxt_options_init(void) {
  NULL_ARG(npyio_genfromtxt_options_init(NULL));
}

static void misuse_npy_savetxt(void) {
  NULL_ARG(npy_savetxt(NULL, arr, NULL));
  NULL_ARG(npy_savetxt(out_path, NULL, NULL));
  CHECK(!file_exists(out_path));
}

static void misuse_npy_savetxt_data(void) {
  const size_t n = sizeof data12;
  NULL_ARG(npy_savetxt_data(NULL, f8, 2, shape34, data12, n, NULL));
  NULL_ARG(npy_savetxt_data(out_path, NULL, 2, shape34, data12, n, NULL));
  NULL_ARG(npy_savetxt_data(out_path, f8, 2, NULL, data12, n, NULL));
  NULL_ARG(npy_savetxt_data(out_path, f8, 2, shape34, NULL, n, NULL));
  EXPECT(npy_savetxt_data(out_path, f8, 2, shape34, data12, n - 8, NULL), NPYIO_ERR_SIZE_MISMATCH);
  CHECK(!file_exists(out_path));
}

static void misuse_npy_loadtxt(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_loadtxt(NULL, NULL, &f));
  NULL_ARG(npy_loadtxt(txt_path, NULL, NULL));
  CHECK(f == SENTINEL(npy_file));
}

static void misuse_npy_loadtxt_memory(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_loadtxt_memory(NULL, 8, NULL, &f));
  NULL_ARG(npy_loadtxt_memory("1 2\n", 4, NULL, NULL));
  CHECK(f == SENTINEL(npy_file));
}

static void misuse_npy_loadtxt_to_npy(void) {
  NULL_ARG(npy_loadtxt_to_npy(NULL, out_path, NULL, NULL));
  NULL_ARG(npy_loadtxt_to_npy(txt_path, NULL, NULL, NULL));
  CHECK(!file_exists(out_path));
}

static void misuse_npy_genfromtxt(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_genfromtxt(NULL, NULL, &f, NULL));
  NULL_ARG(npy_genfromtxt(txt_path, NULL, NULL, NULL));
  CHECK(f == SENTINEL(npy_file));
}

static void misuse_npy_genfromtxt_memory(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_genfromtxt_memory(NULL, 8, NULL, &f, NULL));
  NULL_ARG(npy_genfromtxt_memory("1 2\n", 4, NULL, NULL, NULL));
  CHECK(f == SENTINEL(npy_file));
}

/* ---- typed reads, loads, type codes, dtype comparison -------------------------------------- */

static void misuse_npyio_type_dtype(void) {
  CHECK(npyio_type_dtype(0) == NULL && npyio_type_dtype(15) == NULL);
  CHECK(npyio_type_dtype(NPYIO_TYPE_STORED) == NULL && npyio_type_dtype(INT32_MIN) == NULL);
}

static void misuse_npyio_dtype_equal(void) {
  CHECK(!npyio_dtype_equal(NULL, f8) && !npyio_dtype_equal(f8, NULL));
  CHECK(!npyio_dtype_equal(NULL, NULL));
}

static void misuse_npyio_dtype_str(void) { CHECK(npyio_dtype_str(NULL) == NULL); }

static void misuse_npy_read_as(void) {
  double buf[12];
  NULL_ARG(npy_read_as(NULL, NPYIO_FLOAT64, buf, sizeof buf));
  NULL_ARG(npy_read_as(arr, NPYIO_FLOAT64, NULL, sizeof buf));
  EXPECT(npy_read_as(arr, NPYIO_FLOAT64, NULL, 0), NPYIO_ERR_BUFFER_TOO_SMALL);
  EXPECT(npy_read_as(arr, NPYIO_FLOAT64, buf, sizeof buf - 1), NPYIO_ERR_BUFFER_TOO_SMALL);
  const npyio_type bad[] = {0, 15, -2, NPYIO_TYPE_STORED, INT32_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    INVALID(npy_read_as(arr, bad[i], buf, sizeof buf));
  EXPECT(npy_read_as(arr, NPYIO_INT32, buf, sizeof buf), NPYIO_ERR_CAST);
  EXPECT_OK(npy_read_as(arr, NPYIO_FLOAT64, buf, sizeof buf));
}

static void misuse_npy_read_as_ex(void) {
  double buf[12];
  NULL_ARG(npy_read_as_ex(NULL, NPYIO_FLOAT64, buf, sizeof buf, NPYIO_CASTING_SAFE));
  NULL_ARG(npy_read_as_ex(arr, NPYIO_FLOAT64, NULL, sizeof buf, NPYIO_CASTING_SAFE));
  const npyio_casting bad[] = {-1, 5, 100, INT32_MIN};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    INVALID(npy_read_as_ex(arr, NPYIO_FLOAT64, buf, sizeof buf, bad[i]));
  INVALID(npy_read_as_ex(arr, 99, buf, sizeof buf, NPYIO_CASTING_UNSAFE));
  EXPECT(npy_read_as_ex(arr, NPYIO_FLOAT32, buf, sizeof buf, NPYIO_CASTING_SAFE), NPYIO_ERR_CAST);
  EXPECT_OK(npy_read_as_ex(arr, NPYIO_FLOAT32, buf, sizeof buf, NPYIO_CASTING_SAME_KIND));
}

static void misuse_npz_read_as(void) {
  double buf[64];
  NULL_ARG(npz_read_as(NULL, "s", NPYIO_FLOAT64, buf, sizeof buf));
  NULL_ARG(npz_read_as(zip, NULL, NPYIO_FLOAT64, buf, sizeof buf));
  NULL_ARG(npz_read_as(zip, "s", NPYIO_FLOAT64, NULL, sizeof buf));
  EXPECT(npz_read_as(zip, "nope", NPYIO_FLOAT64, buf, sizeof buf), NPYIO_ERR_NOT_FOUND);
  EXPECT(npz_read_as(zip, "", NPYIO_FLOAT64, buf, sizeof buf), NPYIO_ERR_NOT_FOUND);
  INVALID(npz_read_as(zip, "s", 0, buf, sizeof buf));
  EXPECT(npz_read_as(zip, "s", NPYIO_FLOAT64, buf, 0), NPYIO_ERR_BUFFER_TOO_SMALL);
}

static void misuse_npz_read_as_ex(void) {
  double buf[64];
  NULL_ARG(npz_read_as_ex(NULL, "s", NPYIO_FLOAT64, buf, sizeof buf, NPYIO_CASTING_SAFE));
  NULL_ARG(npz_read_as_ex(zip, NULL, NPYIO_FLOAT64, buf, sizeof buf, NPYIO_CASTING_SAFE));
  INVALID(npz_read_as_ex(zip, "s", NPYIO_FLOAT64, buf, sizeof buf, 7));
  EXPECT(npz_read_as_ex(zip, "nope", NPYIO_FLOAT64, buf, sizeof buf, NPYIO_CASTING_UNSAFE),
         NPYIO_ERR_NOT_FOUND);
}

static void misuse_npy_load(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npy_load(NULL, NPYIO_FLOAT64, &f));
  NULL_ARG(npy_load(npy_path, NPYIO_FLOAT64, NULL));
  INVALID(npy_load(npy_path, 0, &f));
  INVALID(npy_load(npy_path, -2, &f));
  INVALID(npy_load("", NPYIO_FLOAT64, &f));
  EXPECT(npy_load(npy_path, NPYIO_INT64, &f), NPYIO_ERR_CAST);
  CHECK(f == SENTINEL(npy_file));
}

static void misuse_npz_load(void) {
  npy_file *f = SENTINEL(npy_file);
  NULL_ARG(npz_load(NULL, "s", NPYIO_FLOAT64, &f));
  NULL_ARG(npz_load(zip, NULL, NPYIO_FLOAT64, &f));
  NULL_ARG(npz_load(zip, "s", NPYIO_FLOAT64, NULL));
  EXPECT(npz_load(zip, "nope", NPYIO_FLOAT64, &f), NPYIO_ERR_NOT_FOUND);
  INVALID(npz_load(zip, "s", 42, &f));
  CHECK(f == SENTINEL(npy_file));
}

/* ---- the table ----------------------------------------------------------------------------- */

typedef struct {
  const char *name;
  void (*run)(void);
} misuse_row;
#define ROW(f) { #f, misuse_##f }

static const misuse_row misuse_rows[] = {
  ROW(npyio_status_str), ROW(npyio_last_error), ROW(npyio_last_errno), ROW(npyio_version), ROW(npyio_set_limit),
  ROW(npyio_get_limit), ROW(npyio_dtype_parse), ROW(npyio_dtype_descr), ROW(npyio_dtype_itemsize),
  ROW(npyio_dtype_kind), ROW(npyio_dtype_byteorder), ROW(npyio_dtype_is_record),
  ROW(npyio_dtype_free), ROW(npy_open), ROW(npy_open_memory), ROW(npy_mmap),
  ROW(npy_mmap_create), ROW(npy_mmap_raw), ROW(npy_open_reader), ROW(npz_open_reader),
  ROW(npy_writer_create_sink), ROW(npz_writer_open_sink), ROW(npy_close), ROW(npy_ndim), ROW(npy_shape),
  ROW(npy_dtype), ROW(npy_fortran_order), ROW(npy_nbytes), ROW(npy_count), ROW(npy_row_nbytes),
  ROW(npy_data_offset), ROW(npy_format_version), ROW(npy_data), ROW(npy_data_mut),
  ROW(npy_flush), ROW(npy_read_into), ROW(npy_read_rows), ROW(npy_create), ROW(npy_open_rw),
  ROW(npy_write_rows), ROW(npy_append_rows), ROW(npy_save), ROW(npy_save_ex), ROW(npy_save_typed),
  ROW(npy_writer_create), ROW(npy_writer_create_ex), ROW(npy_writer_write),
  ROW(npy_writer_finish), ROW(npy_writer_discard), ROW(npz_open), ROW(npz_open_memory),
  ROW(npz_count), ROW(npz_name), ROW(npz_member_size), ROW(npz_member_compressed_size),
  ROW(npz_member_compression), ROW(npz_open_member), ROW(npz_open_member_at),
  ROW(npz_mmap_member), ROW(npz_read_raw), ROW(npz_close), ROW(npz_writer_open),
  ROW(npz_writer_open_ex), ROW(npz_writer_add), ROW(npz_writer_add_typed), ROW(npz_writer_set_level),
  ROW(npz_writer_begin), ROW(npz_writer_write),
  ROW(npz_writer_end), ROW(npz_writer_finish), ROW(npz_writer_discard),
  ROW(npyio_savetxt_options_init), ROW(npyio_loadtxt_options_init),
  ROW(npyio_genfromtxt_options_init), ROW(npy_savetxt), ROW(npy_savetxt_data), ROW(npy_loadtxt),
  ROW(npy_loadtxt_memory), ROW(npy_loadtxt_to_npy), ROW(npy_genfromtxt),
  ROW(npy_genfromtxt_memory),
  ROW(npyio_type_dtype), ROW(npyio_dtype_equal), ROW(npyio_dtype_str), ROW(npy_read_as),
  ROW(npy_read_as_ex), ROW(npz_read_as), ROW(npz_read_as_ex), ROW(npy_load), ROW(npz_load),
};
static const size_t n_rows = sizeof misuse_rows / sizeof misuse_rows[0];

/* ---- coverage: the functions npyio.h declares ---------------------------------------------- */

/* Function names declared in the header: at the top level (outside comments and preprocessor
 * lines), an identifier starting with npy_, npz_ or npyio_ followed by '(' that begins a
 * declaration (the first such identifier of a statement). */
static size_t header_functions(const char *path, char names[][64], size_t cap) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    fprintf(stderr, "cannot open %s\n", path);
    CHECK(!"npyio.h readable");
  }
  static char text[1 << 20];
  size_t len = fread(text, 1, sizeof text - 1, fp);
  fclose(fp);
  CHECK(len > 0 && len < sizeof text - 1);
  text[len] = '\0';
  /* Blank out comments and preprocessor lines. */
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '/' && text[i + 1] == '/') {
      while (i < len && text[i] != '\n') text[i++] = ' ';
    } else if (text[i] == '/' && text[i + 1] == '*') {
      while (i + 1 < len && !(text[i] == '*' && text[i + 1] == '/')) text[i++] = ' ';
      if (i + 1 < len) text[i] = text[i + 1] = ' ';
    } else if (text[i] == '#' && (i == 0 || text[i - 1] == '\n')) {
      while (i < len && text[i] != '\n') {
        if (text[i] == '\\' && text[i + 1] == '\n') text[i++] = ' ';
        text[i++] = ' ';
      }
    }
  }
  size_t n = 0;
  int depth = 0;          /* brace depth: skip struct bodies (extern "C" { is depth 1) */
  int stmt_has_name = 0;  /* this statement already named its function */
  int in_typedef = 0;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (c == '{') {
      /* extern "C" { ... }: declarations inside stay at the top level. */
      size_t k = i;
      while (k > 0 && isspace((unsigned char)text[k - 1])) k--;
      if (!(k >= 3 && strncmp(text + k - 3, "\"C\"", 3) == 0)) depth++;
      continue;
    }
    if (c == '}') {
      if (depth > 0) depth--;
      continue;
    }
    if (c == ';') {
      stmt_has_name = 0;
      in_typedef = 0;
      continue;
    }
    if (depth > 0 || !(isalpha((unsigned char)c) || c == '_')) continue;
    if (i > 0 && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_')) continue;
    size_t j = i;
    while (j < len && (isalnum((unsigned char)text[j]) || text[j] == '_')) j++;
    size_t wl = j - i;
    if (wl == 7 && strncmp(text + i, "typedef", 7) == 0) in_typedef = 1;
    size_t k = j;
    while (k < len && isspace((unsigned char)text[k])) k++;
    int is_fn_name = !in_typedef && !stmt_has_name && k < len && text[k] == '(' &&
                     (strncmp(text + i, "npy_", 4) == 0 || strncmp(text + i, "npz_", 4) == 0 ||
                      strncmp(text + i, "npyio_", 6) == 0);
    if (is_fn_name) {
      CHECK(n < cap && wl < 64);
      memcpy(names[n], text + i, wl);
      names[n][wl] = '\0';
      n++;
      stmt_has_name = 1;
    }
    i = j - 1;
  }
  return n;
}

static int check_coverage(const char *header) {
  static char names[512][64];
  size_t n = header_functions(header, names, 512);
  CHECK(n >= 50);
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    int found = 0;
    for (size_t r = 0; r < n_rows; r++) found |= strcmp(misuse_rows[r].name, names[i]) == 0;
    if (!found) {
      fprintf(stderr, "test_misuse: %s is declared in npyio.h but has no misuse row\n", names[i]);
      bad = 1;
    }
  }
  for (size_t r = 0; r < n_rows; r++) {
    int found = 0;
    for (size_t i = 0; i < n; i++) found |= strcmp(misuse_rows[r].name, names[i]) == 0;
    if (!found) {
      fprintf(stderr, "test_misuse: row %s names no function of npyio.h\n", misuse_rows[r].name);
      bad = 1;
    }
    for (size_t q = 0; q < r; q++)
      if (strcmp(misuse_rows[q].name, misuse_rows[r].name) == 0) {
        fprintf(stderr, "test_misuse: row %s is listed twice\n", misuse_rows[r].name);
        bad = 1;
      }
  }
  if (!bad) printf("ok - all %zu functions of npyio.h have a misuse row\n", n);
  return bad;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_misuse <path to npyio.h>\n");
    return 2;
  }
  scratch_create("npyio-misuse");
  current = "setup";
  setup();
  for (size_t r = 0; r < n_rows; r++) {
    current = misuse_rows[r].name;
    misuse_rows[r].run();
    CHECK(!file_exists(out_path) && !file_exists(out_npz));
  }
  current = "teardown";
  teardown();
  int bad = check_coverage(argv[1]);
  scratch_remove();
  if (bad) return 1;
  printf("test_misuse: %zu functions misused, all handled\n", n_rows);
  return 0;
}
