/*
 * test_api.c -- exercises every function declared in include/npyio.h.
 *
 * Compiled as C11 and as C++17 (see tests/c/CMakeLists.txt). Each check
 * (check.h) prints file:line, the status and its npyio_status_str, and
 * npyio_last_error, then exits 1. Every file is written into a mkdtemp()
 * scratch directory under /tmp that is removed at the end (set
 * NPYIO_KEEP_SCRATCH=1 to keep it on failure).
 *
 * The table `exercised_functions` below must name every function in npyio.h;
 * check_coverage.py (a ctest test) fails when the header gains a function
 * that is not listed there, or that the table lists but this file never calls.
 */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "npyio.h"
#include "check.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- coverage table ------------------------------------------------------------------------ */

/* BEGIN EXERCISED FUNCTIONS (parsed by check_coverage.py: one FN(name) per function) */
static const exercised_fn exercised_functions[] = {
  FN(npyio_status_str),
  FN(npyio_last_error),
  FN(npyio_version),
  FN(npyio_set_limit),
  FN(npyio_get_limit),
  FN(npyio_dtype_parse),
  FN(npyio_dtype_descr),
  FN(npyio_dtype_itemsize),
  FN(npyio_dtype_kind),
  FN(npyio_dtype_byteorder),
  FN(npyio_dtype_is_record),
  FN(npyio_dtype_free),
  FN(npy_open),
  FN(npy_open_memory),
  FN(npy_mmap),
  FN(npy_mmap_create),
  FN(npy_mmap_raw),
  FN(npy_close),
  FN(npy_ndim),
  FN(npy_shape),
  FN(npy_dtype),
  FN(npy_fortran_order),
  FN(npy_nbytes),
  FN(npy_count),
  FN(npy_row_nbytes),
  FN(npy_data_offset),
  FN(npy_format_version),
  FN(npy_data),
  FN(npy_data_mut),
  FN(npy_flush),
  FN(npy_read_into),
  FN(npy_read_rows),
  FN(npy_save),
  FN(npy_save_ex),
  FN(npy_writer_create),
  FN(npy_writer_create_ex),
  FN(npy_writer_write),
  FN(npy_writer_finish),
  FN(npy_writer_discard),
};
/* END EXERCISED FUNCTIONS */

/* ---- helpers ------------------------------------------------------------------------------- */

/* Checks common to every array this test writes: format 1.0, data at byte 128. */
static void check_small_header(const npy_file *f) {
  CHECK(npy_format_version(f) == 1);
  CHECK(npy_data_offset(f) == 128);
}

static void check_shape(const npy_file *f, size_t ndim, const uint64_t *shape) {
  CHECK(npy_ndim(f) == ndim);
  if (ndim == 0) return;
  const uint64_t *s = npy_shape(f);
  CHECK(s != NULL);
  for (size_t i = 0; i < ndim; i++) CHECK(s[i] == shape[i]);
}

static void check_descr(const npy_file *f, const char *descr) {
  const npyio_dtype *d = npy_dtype(f);
  CHECK(d != NULL);
  CHECK_STR(npyio_dtype_descr(d), descr);
}

/* ---- library-wide: status codes, version, errors, limits ------------------------------------ */

static void test_status_and_version(void) {
  /* Every code -24..0 has its own non-NULL text; 0 is "ok". */
  const char *texts[25];
  for (int code = -24; code <= 0; code++) {
    const char *s = npyio_status_str(code);
    CHECK(s != NULL && s[0] != '\0');
    texts[-code] = s;
  }
  CHECK_STR(npyio_status_str(NPYIO_OK), "ok");
  for (int i = 0; i < 25; i++)
    for (int j = i + 1; j < 25; j++) CHECK(strcmp(texts[i], texts[j]) != 0);
  /* Unknown codes: a fixed text, different from every real one. */
  const int unknown[] = {-25, 1, -1000, 2147483647, (int)INT32_MIN};
  for (size_t k = 0; k < sizeof unknown / sizeof unknown[0]; k++) {
    const char *s = npyio_status_str(unknown[k]);
    CHECK_STR(s, "unknown status code");
    for (int i = 0; i < 25; i++) CHECK(strcmp(s, texts[i]) != 0);
  }
  /* A few codes keep their documented numbers. */
  CHECK(NPYIO_ERR_NULL_ARG == -1 && NPYIO_ERR_LIMIT == -11 && NPYIO_ERR_STATE == -23 &&
        NPYIO_ERR_CAST == -24);

  char want[64];
  snprintf(want, sizeof want, "%d.%d.%d", NPYIO_VERSION_MAJOR, NPYIO_VERSION_MINOR,
           NPYIO_VERSION_PATCH);
  CHECK_STR(npyio_version(), want);
}

static void test_last_error(void) {
  char path[512];
  scratch_path(path, sizeof path, "no-such-file.npy");
  npy_file *f = NULL;
  CHECK_ST(npy_open(path, &f), NPYIO_ERR_NOT_FOUND);
  CHECK(f == NULL);

  size_t full = npyio_last_error(NULL, 0);
  CHECK(full > 0);
  char big[2048];
  CHECK(full < sizeof big);
  CHECK(npyio_last_error(big, sizeof big) == full);
  CHECK(strlen(big) == full);
  CHECK(strstr(big, "no-such-file.npy") != NULL); /* the message names the file */

  /* NULL buffer with a non-zero cap, and cap 0 with a buffer: length only, nothing written. */
  CHECK(npyio_last_error(NULL, 100) == full);
  char untouched[4] = {'x', 'y', 'z', '\0'};
  CHECK(npyio_last_error(untouched, 0) == full);
  CHECK_STR(untouched, "xyz");

  /* Truncation: cap 5 gives 4 bytes + NUL and still the full length. */
  char small[8];
  memset(small, 'Q', sizeof small);
  CHECK(npyio_last_error(small, 5) == full);
  CHECK(small[4] == '\0' && strlen(small) == 4);
  CHECK(memcmp(small, big, 4) == 0);
  CHECK(small[5] == 'Q'); /* nothing past cap */
  char one[2] = {'Q', 'Q'};
  CHECK(npyio_last_error(one, 1) == full);
  CHECK(one[0] == '\0' && one[1] == 'Q');

  /* A successful call leaves the message unchanged. */
  npyio_dtype *d = parse_dtype("<f8");
  npyio_dtype_free(d);
  char again[2048];
  CHECK(npyio_last_error(again, sizeof again) == full);
  CHECK_STR(again, big);

  /* A new failure replaces it. */
  CHECK_ST(npyio_dtype_parse("not a dtype", &d), NPYIO_ERR_BAD_DTYPE);
  npyio_last_error(again, sizeof again);
  CHECK(strcmp(again, big) != 0);
}

static void test_limits(const char *normal_file) {
  const uint64_t header_default = npyio_get_limit(NPYIO_LIMIT_HEADER_LEN);
  CHECK(header_default == (uint64_t)16 * 1024 * 1024);
  CHECK(npyio_get_limit(NPYIO_LIMIT_NPZ_MEMBERS) == 1000000);
  CHECK(npyio_get_limit(NPYIO_LIMIT_NPZ_MEMBER_SIZE) == (uint64_t)1 << 62);
  CHECK(npyio_get_limit(99) == 0);
  CHECK(npyio_get_limit(-1) == 0);
  CHECK_ST(npyio_set_limit(99, 5), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npyio_set_limit(-1, 5), NPYIO_ERR_INVALID_ARG);

  CHECK_OK(npyio_set_limit(NPYIO_LIMIT_HEADER_LEN, 64));
  CHECK(npyio_get_limit(NPYIO_LIMIT_HEADER_LEN) == 64);
  npy_file *f = NULL;
  CHECK_ST(npy_open(normal_file, &f), NPYIO_ERR_LIMIT);
  CHECK(f == NULL);
  /* The message names the limit as C sets it. */
  CHECK(last_error_has("exceeds the limit of 64 bytes"));
  CHECK(last_error_has("(npyio_set_limit(NPYIO_LIMIT_HEADER_LEN, ...) raises it)"));
  CHECK(!last_error_has("Limit::"));
  CHECK_ST(npy_mmap(normal_file, NPYIO_MMAP_READ, &f), NPYIO_ERR_LIMIT);
  size_t len;
  uint8_t *buf = slurp(normal_file, &len);
  CHECK_ST(npy_open_memory(buf, len, &f), NPYIO_ERR_LIMIT);
  CHECK(f == NULL);

  CHECK_OK(npyio_set_limit(NPYIO_LIMIT_HEADER_LEN, 0)); /* back to the default */
  CHECK(npyio_get_limit(NPYIO_LIMIT_HEADER_LEN) == header_default);
  CHECK_OK(npy_open_memory(buf, len, &f));
  npy_close(f);
  CHECK_OK(npy_open(normal_file, &f));
  npy_close(f);

  /* The npz limits round-trip too. */
  CHECK_OK(npyio_set_limit(NPYIO_LIMIT_NPZ_MEMBERS, 7));
  CHECK(npyio_get_limit(NPYIO_LIMIT_NPZ_MEMBERS) == 7);
  CHECK_OK(npyio_set_limit(NPYIO_LIMIT_NPZ_MEMBERS, 0));
  CHECK(npyio_get_limit(NPYIO_LIMIT_NPZ_MEMBERS) == 1000000);
  CHECK_OK(npyio_set_limit(NPYIO_LIMIT_NPZ_MEMBER_SIZE, 4096));
  CHECK(npyio_get_limit(NPYIO_LIMIT_NPZ_MEMBER_SIZE) == 4096);
  CHECK_OK(npyio_set_limit(NPYIO_LIMIT_NPZ_MEMBER_SIZE, 0));
  CHECK(npyio_get_limit(NPYIO_LIMIT_NPZ_MEMBER_SIZE) == (uint64_t)1 << 62);
  free(buf);
}

/* ---- dtypes -------------------------------------------------------------------------------- */

static void check_dtype(const char *text, const char *descr, size_t itemsize, char kind,
                        char byteorder, bool is_record) {
  npyio_dtype *d = parse_dtype(text);
  CHECK_STR(npyio_dtype_descr(d), descr);
  CHECK(npyio_dtype_itemsize(d) == itemsize);
  CHECK(npyio_dtype_kind(d) == kind);
  CHECK(npyio_dtype_byteorder(d) == byteorder);
  CHECK(npyio_dtype_is_record(d) == is_record);
  npyio_dtype_free(d);
}

static void test_dtypes(void) {
  const int le = host_is_little_endian();
  check_dtype("<f8", "'<f8'", 8, 'f', '<', false);
  check_dtype("'<f8'", "'<f8'", 8, 'f', '<', false);
  check_dtype(">i4", "'>i4'", 4, 'i', '>', false);
  check_dtype("<U3", "'<U3'", 12, 'U', '<', false);
  check_dtype("|u1", "'|u1'", 1, 'u', '|', false);
  check_dtype("|S5", "'|S5'", 5, 'S', '|', false);
  check_dtype("|b1", "'|b1'", 1, 'b', '|', false);
  check_dtype(">c16", "'>c16'", 16, 'c', '>', false);
  check_dtype("<M8[ns]", "'<M8[ns]'", 8, 'M', '<', false);
  check_dtype("int32", le ? "'<i4'" : "'>i4'", 4, 'i', le ? '<' : '>', false);
  check_dtype("[('a', '<i4'), ('b', '>f8')]", "[('a', '<i4'), ('b', '>f8')]", 12, 'V', '|', true);
  check_dtype("[('x', '<f4'), ('y', '<i8', (2,))]", "[('x', '<f4'), ('y', '<i8', (2,))]", 20, 'V',
              '|', true);

  npyio_dtype *d = (npyio_dtype *)&d; /* sentinel: must stay unchanged on failure */
  npyio_dtype *const sentinel = d;
  CHECK_ST(npyio_dtype_parse("not a dtype", &d), NPYIO_ERR_BAD_DTYPE);
  CHECK_ST(npyio_dtype_parse("<q9", &d), NPYIO_ERR_BAD_DTYPE);
  CHECK_ST(npyio_dtype_parse("O", &d), NPYIO_ERR_OBJECT_DTYPE);
  CHECK_ST(npyio_dtype_parse("[('a', '|O')]", &d), NPYIO_ERR_OBJECT_DTYPE);
  CHECK_ST(npyio_dtype_parse(NULL, &d), NPYIO_ERR_NULL_ARG);
  CHECK(d == sentinel);
  CHECK_ST(npyio_dtype_parse("<f8", NULL), NPYIO_ERR_NULL_ARG);

  /* NULL dtypes. */
  CHECK(npyio_dtype_descr(NULL) == NULL);
  CHECK(npyio_dtype_itemsize(NULL) == 0);
  CHECK(npyio_dtype_kind(NULL) == 0);
  CHECK(npyio_dtype_byteorder(NULL) == 0);
  CHECK(!npyio_dtype_is_record(NULL));
  npyio_dtype_free(NULL);
}

/* ---- <f8, 2-D, C order: npy_save + npy_open ------------------------------------------------ */

static void test_f8_2d(char *path_out, size_t cap) {
  char path[512];
  scratch_path(path, sizeof path, "f8.npy");
  npyio_dtype *dt = parse_dtype("<f8");
  const uint64_t shape[2] = {3, 4};
  uint8_t data[96];
  for (int i = 0; i < 12; i++) put_le(data + 8 * i, f64_bits(i * 1.5 - 2.0), 8);
  CHECK_OK(npy_save(path, dt, 2, shape, false, data, sizeof data));
  npyio_dtype_free(dt);

  npy_file *f = NULL;
  CHECK_OK(npy_open(path, &f));
  CHECK(f != NULL);
  check_shape(f, 2, shape);
  check_descr(f, "'<f8'");
  CHECK(npyio_dtype_itemsize(npy_dtype(f)) == 8);
  CHECK(npyio_dtype_kind(npy_dtype(f)) == 'f');
  CHECK(npyio_dtype_byteorder(npy_dtype(f)) == '<');
  CHECK(!npyio_dtype_is_record(npy_dtype(f)));
  CHECK(!npy_fortran_order(f));
  CHECK(npy_nbytes(f) == 96);
  CHECK(npy_count(f) == 12);
  CHECK(npy_row_nbytes(f) == 32);
  check_small_header(f);
  CHECK(npy_data(f) == NULL);     /* opened from a path: read with npy_read_into */
  CHECK(npy_data_mut(f) == NULL);
  CHECK_OK(npy_flush(f));         /* no-op */

  uint8_t out[128];
  memset(out, 0xAA, sizeof out);
  CHECK_OK(npy_read_into(f, out, sizeof out, 0)); /* larger buffer is fine */
  CHECK(memcmp(out, data, 96) == 0);
  CHECK(out[96] == 0xAA);                          /* nothing written past nbytes */
  double host[12];
  CHECK_OK(npy_read_into(f, host, sizeof host, NPYIO_READ_NATIVE));
  for (int i = 0; i < 12; i++) CHECK(host[i] == i * 1.5 - 2.0);
  CHECK_OK(npy_read_into(f, out, 96, NPYIO_READ_C_ORDER)); /* ignored for C order */
  CHECK(memcmp(out, data, 96) == 0);

  /* Rows 1..2. */
  memset(out, 0, sizeof out);
  CHECK_OK(npy_read_rows(f, 1, 2, out, 64, 0));
  CHECK(memcmp(out, data + 32, 64) == 0);
  CHECK_OK(npy_read_rows(f, 2, 1, host, 32, NPYIO_READ_NATIVE | NPYIO_READ_C_ORDER));
  for (int j = 0; j < 4; j++) CHECK(host[j] == (8 + j) * 1.5 - 2.0);

  /* Error paths. */
  CHECK_ST(npy_read_into(f, out, 95, 0), NPYIO_ERR_BUFFER_TOO_SMALL);
  CHECK_ST(npy_read_into(f, out, 0, 0), NPYIO_ERR_BUFFER_TOO_SMALL);
  CHECK_ST(npy_read_rows(f, 0, 2, out, 63, 0), NPYIO_ERR_BUFFER_TOO_SMALL);
  CHECK_ST(npy_read_into(f, out, sizeof out, 1u << 20), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npy_read_into(f, out, sizeof out, 0x80000000u), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npy_read_rows(f, 0, 1, out, sizeof out, 8), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npy_read_rows(f, 2, 2, out, sizeof out, 0), NPYIO_ERR_INVALID_ARG); /* past end */
  CHECK_ST(npy_read_rows(f, 3, 1, out, sizeof out, 0), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npy_read_rows(f, UINT64_MAX, 2, out, sizeof out, 0), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npy_read_into(f, NULL, 96, 0), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_read_rows(f, 0, 1, NULL, 32, 0), NPYIO_ERR_NULL_ARG);
  npy_close(f);

  /* The file is what np.save writes: magic, version 1.0, header padded to 128 bytes. */
  size_t len;
  uint8_t *bytes = slurp(path, &len);
  CHECK(len == 128 + 96);
  CHECK(memcmp(bytes, "\x93NUMPY\x01\x00", 8) == 0);
  CHECK(bytes[8] == 118 && bytes[9] == 0);
  const char *hdr = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }";
  CHECK(memcmp(bytes + 10, hdr, strlen(hdr)) == 0);
  CHECK(bytes[127] == '\n');
  for (size_t i = 10 + strlen(hdr); i < 127; i++) CHECK(bytes[i] == ' ');
  CHECK(memcmp(bytes + 128, data, 96) == 0);
  free(bytes);

  int n = snprintf(path_out, cap, "%s", path);
  CHECK(n > 0 && (size_t)n < cap);
}

/* ---- >i4: npy_save_ex(FSYNC) + npy_open_memory + NPYIO_READ_NATIVE ---------------------------- */

static void test_i4_big_endian(void) {
  char path[512];
  scratch_path(path, sizeof path, "i4be.npy");
  const int32_t vals[5] = {1, -2, 300000, -400000, INT32_MAX};
  uint8_t data[20];
  for (int i = 0; i < 5; i++) put_be(data + 4 * i, (uint32_t)vals[i], 4);
  npyio_dtype *dt = parse_dtype(">i4");
  const uint64_t shape[1] = {5};
  CHECK_ST(npy_save_ex(path, dt, 1, shape, false, data, sizeof data, 0x40), NPYIO_ERR_INVALID_ARG);
  CHECK(!file_exists(path));
  CHECK_OK(npy_save_ex(path, dt, 1, shape, false, data, sizeof data, NPYIO_SAVE_FSYNC));
  npyio_dtype_free(dt);

  size_t len;
  uint8_t *buf = slurp(path, &len);
  npy_file *f = NULL;
  CHECK_OK(npy_open_memory(buf, len, &f));
  check_shape(f, 1, shape);
  check_descr(f, "'>i4'");
  CHECK(npyio_dtype_byteorder(npy_dtype(f)) == '>');
  CHECK(npyio_dtype_kind(npy_dtype(f)) == 'i');
  CHECK(npy_nbytes(f) == 20 && npy_count(f) == 5 && npy_row_nbytes(f) == 4);
  check_small_header(f);
  CHECK((const uint8_t *)npy_data(f) == buf + npy_data_offset(f)); /* borrowed, not copied */
  CHECK(memcmp(npy_data(f), data, 20) == 0);
  CHECK(npy_data_mut(f) == NULL);
  CHECK_OK(npy_flush(f));

  uint8_t raw[20];
  CHECK_OK(npy_read_into(f, raw, sizeof raw, 0));
  CHECK(memcmp(raw, data, 20) == 0); /* flags 0: bytes as stored (big-endian) */
  int32_t native[5];
  CHECK_OK(npy_read_into(f, native, sizeof native, NPYIO_READ_NATIVE));
  for (int i = 0; i < 5; i++) CHECK(native[i] == vals[i]);
  int32_t two[2];
  CHECK_OK(npy_read_rows(f, 3, 2, two, sizeof two, NPYIO_READ_NATIVE));
  CHECK(two[0] == vals[3] && two[1] == vals[4]);
  CHECK_OK(npy_read_rows(f, 0, 1, raw, 4, 0));
  CHECK(memcmp(raw, data, 4) == 0);
  npy_close(f);

  /* Broken buffers. */
  CHECK_ST(npy_open_memory(buf, len - 1, &f), NPYIO_ERR_TRUNCATED);
  CHECK_ST(npy_open_memory(buf, 50, &f), NPYIO_ERR_TRUNCATED);
  CHECK_ST(npy_open_memory(buf, 0, &f), NPYIO_ERR_TRUNCATED);
  buf[1] = 'X';
  CHECK_ST(npy_open_memory(buf, len, &f), NPYIO_ERR_BAD_MAGIC);
  buf[1] = 'N';
  buf[6] = 9; /* version 9.0 */
  CHECK_ST(npy_open_memory(buf, len, &f), NPYIO_ERR_UNSUPPORTED_VERSION);
  free(buf);
}

/* ---- <U3 in pieces with npy_writer_create, read back through npy_mmap(READ) ------------------ */

static void test_unicode_writer_and_mmap_read(void) {
  char path[512];
  scratch_path(path, sizeof path, "u3.npy");
  const uint32_t cps[6] = {'a', 'b', 0, 'x', 'y', 'z'}; /* ["ab", "xyz"] */
  uint8_t data[24];
  for (int i = 0; i < 6; i++) put_le(data + 4 * i, cps[i], 4);

  npyio_dtype *dt = parse_dtype("<U3");
  const uint64_t shape[1] = {2};
  npy_writer *w = NULL;
  CHECK_OK(npy_writer_create(path, dt, 1, shape, false, &w));
  npyio_dtype_free(dt); /* the writer must not depend on the caller's dtype */
  CHECK(w != NULL);
  CHECK(count_temp_files(scratch) == 1);
  CHECK(!file_exists(path)); /* nothing at the target until finish */
  CHECK_OK(npy_writer_write(w, data, 5));
  CHECK_OK(npy_writer_write(w, data + 5, 0));
  CHECK_OK(npy_writer_write(w, data + 5, 11));
  CHECK_OK(npy_writer_write(w, data + 16, 8));
  CHECK_OK(npy_writer_finish(w));
  CHECK(count_temp_files(scratch) == 0);

  npy_file *f = NULL;
  CHECK_OK(npy_mmap(path, NPYIO_MMAP_READ, &f));
  check_shape(f, 1, shape);
  check_descr(f, "'<U3'");
  CHECK(npyio_dtype_itemsize(npy_dtype(f)) == 12);
  CHECK(npyio_dtype_kind(npy_dtype(f)) == 'U');
  CHECK(npy_nbytes(f) == 24 && npy_count(f) == 2 && npy_row_nbytes(f) == 12);
  check_small_header(f);
  CHECK(npy_data(f) != NULL);
  CHECK(memcmp(npy_data(f), data, 24) == 0);
  CHECK(npy_data_mut(f) == NULL); /* read-only map */
  CHECK_OK(npy_flush(f));
  uint32_t native[6];
  CHECK_OK(npy_read_into(f, native, sizeof native, NPYIO_READ_NATIVE));
  for (int i = 0; i < 6; i++) CHECK(native[i] == cps[i]);
  uint8_t raw[12];
  CHECK_OK(npy_read_rows(f, 1, 1, raw, sizeof raw, 0));
  CHECK(memcmp(raw, data + 12, 12) == 0);
  npy_close(f);
}

/* ---- record dtype: npy_writer_create_ex(FSYNC), npy_mmap(COPY_ON_WRITE) ---------------------- */

static void test_record_writer_and_mmap_cow(void) {
  char path[512];
  scratch_path(path, sizeof path, "rec.npy");
  const int32_t a[3] = {1, -2, 3};
  const double b[3] = {1.5, 2.5, -3.5};
  uint8_t data[36];
  for (int i = 0; i < 3; i++) {
    put_le(data + 12 * i, (uint32_t)a[i], 4);
    put_be(data + 12 * i + 4, f64_bits(b[i]), 8);
  }
  const char *descr = "[('a', '<i4'), ('b', '>f8')]";
  npyio_dtype *dt = parse_dtype(descr);
  const uint64_t shape[1] = {3};
  npy_writer *w = NULL;
  CHECK_ST(npy_writer_create_ex(path, dt, 1, shape, false, 2, &w), NPYIO_ERR_INVALID_ARG);
  CHECK(w == NULL);
  CHECK(count_temp_files(scratch) == 0);
  CHECK_OK(npy_writer_create_ex(path, dt, 1, shape, false, NPYIO_SAVE_FSYNC, &w));
  for (int i = 0; i < 36; i += 12) CHECK_OK(npy_writer_write(w, data + i, 12));
  CHECK_OK(npy_writer_finish(w));
  npyio_dtype_free(dt);

  size_t len0;
  uint8_t *before = slurp(path, &len0);

  npy_file *f = NULL;
  CHECK_OK(npy_mmap(path, NPYIO_MMAP_COPY_ON_WRITE, &f));
  check_shape(f, 1, shape);
  check_descr(f, descr);
  CHECK(npyio_dtype_is_record(npy_dtype(f)));
  CHECK(npyio_dtype_kind(npy_dtype(f)) == 'V');
  CHECK(npyio_dtype_byteorder(npy_dtype(f)) == '|');
  CHECK(npyio_dtype_itemsize(npy_dtype(f)) == 12);
  CHECK(npy_nbytes(f) == 36 && npy_count(f) == 3 && npy_row_nbytes(f) == 12);
  check_small_header(f);

  /* NPYIO_READ_NATIVE converts each field to host order. */
  uint8_t native[36];
  CHECK_OK(npy_read_into(f, native, sizeof native, NPYIO_READ_NATIVE));
  for (int i = 0; i < 3; i++) {
    int32_t ai;
    double bi;
    memcpy(&ai, native + 12 * i, 4);
    memcpy(&bi, native + 12 * i + 4, 8);
    CHECK(ai == a[i] && bi == b[i]);
  }
  uint8_t raw[36];
  CHECK_OK(npy_read_into(f, raw, sizeof raw, 0));
  CHECK(memcmp(raw, data, 36) == 0);

  /* Copy-on-write: the change is visible in the map but never reaches the file. */
  uint8_t *m = (uint8_t *)npy_data_mut(f);
  CHECK(m != NULL);
  CHECK((const void *)m == npy_data(f));
  CHECK(memcmp(m, data, 36) == 0);
  memset(m, 0x5A, 12);
  CHECK(((const uint8_t *)npy_data(f))[0] == 0x5A);
  CHECK_OK(npy_flush(f)); /* a no-op for private maps */
  npy_close(f);

  CHECK(same_bytes(path, before, len0));
  free(before);
}

/* ---- read-write map: changes reach the file after npy_flush + close --------------------------- */

static void test_mmap_read_write(void) {
  char path[512];
  scratch_path(path, sizeof path, "rw.npy");
  npyio_dtype *dt = parse_dtype("<f8");
  const uint64_t shape[2] = {2, 2};
  uint8_t data[32];
  for (int i = 0; i < 4; i++) put_le(data + 8 * i, f64_bits(i + 0.25), 8);
  CHECK_OK(npy_save(path, dt, 2, shape, false, data, sizeof data));
  npyio_dtype_free(dt);

  npy_file *f = NULL;
  CHECK_OK(npy_mmap(path, NPYIO_MMAP_READ_WRITE, &f));
  check_shape(f, 2, shape);
  check_small_header(f);
  uint8_t *m = (uint8_t *)npy_data_mut(f);
  CHECK(m != NULL && (const void *)m == npy_data(f));
  CHECK(memcmp(m, data, 32) == 0);
  put_le(m + 24, f64_bits(99.5), 8);
  CHECK_OK(npy_flush(f));
  npy_close(f);

  CHECK_OK(npy_open(path, &f));
  double host[4];
  CHECK_OK(npy_read_into(f, host, sizeof host, NPYIO_READ_NATIVE));
  CHECK(host[0] == 0.25 && host[1] == 1.25 && host[2] == 2.25 && host[3] == 99.5);
  npy_close(f);

  CHECK_ST(npy_mmap(path, 99, &f), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npy_mmap(path, -1, &f), NPYIO_ERR_INVALID_ARG);
  char missing[512];
  scratch_path(missing, sizeof missing, "missing.npy");
  CHECK_ST(npy_mmap(missing, NPYIO_MMAP_READ, &f), NPYIO_ERR_NOT_FOUND);
}

/* ---- 0-d and empty arrays ---------------------------------------------------------------------- */

static void test_zero_d(void) {
  char path[512];
  scratch_path(path, sizeof path, "zero_d.npy");
  npyio_dtype *dt = parse_dtype("<f8");
  uint8_t data[8];
  put_le(data, f64_bits(3.25), 8);
  CHECK_OK(npy_save(path, dt, 0, NULL, false, data, 8));
  CHECK_ST(npy_save(path, dt, 0, NULL, false, data, 16), NPYIO_ERR_SIZE_MISMATCH);
  npyio_dtype_free(dt);

  npy_file *f = NULL;
  CHECK_OK(npy_open(path, &f));
  CHECK(npy_ndim(f) == 0);
  check_descr(f, "'<f8'");
  CHECK(npy_count(f) == 1 && npy_nbytes(f) == 8 && npy_row_nbytes(f) == 0);
  check_small_header(f);
  double v = 0;
  CHECK_OK(npy_read_into(f, &v, sizeof v, NPYIO_READ_NATIVE));
  CHECK(v == 3.25);
  CHECK_ST(npy_read_rows(f, 0, 1, &v, sizeof v, 0), NPYIO_ERR_INVALID_ARG);
  npy_close(f);

  size_t len;
  uint8_t *bytes = slurp(path, &len);
  const char *hdr = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";
  CHECK(len == 136 && memcmp(bytes + 10, hdr, strlen(hdr)) == 0);
  free(bytes);
}

static void test_empty(void) {
  char path[512];
  scratch_path(path, sizeof path, "empty.npy");
  npyio_dtype *dt = parse_dtype("<i4");
  const uint64_t shape[2] = {0, 3};
  CHECK_OK(npy_save(path, dt, 2, shape, false, NULL, 0));
  CHECK_ST(npy_save(path, dt, 2, shape, false, "abcd", 4), NPYIO_ERR_SIZE_MISMATCH);
  npyio_dtype_free(dt);

  npy_file *f = NULL;
  CHECK_OK(npy_open(path, &f));
  check_shape(f, 2, shape);
  CHECK(npy_count(f) == 0 && npy_nbytes(f) == 0 && npy_row_nbytes(f) == 12);
  check_small_header(f);
  uint8_t dummy[4] = {7, 7, 7, 7};
  CHECK_OK(npy_read_into(f, dummy, 0, 0));
  CHECK(dummy[0] == 7);
  CHECK_ST(npy_read_rows(f, 0, 1, dummy, sizeof dummy, 0), NPYIO_ERR_INVALID_ARG);
  npy_close(f);

  /* An empty array maps nothing and opens fine; npy_data is non-NULL. */
  CHECK_OK(npy_mmap(path, NPYIO_MMAP_READ, &f));
  CHECK(npy_nbytes(f) == 0);
  CHECK(npy_data(f) != NULL);
  npy_close(f);
  size_t len;
  uint8_t *buf = slurp(path, &len);
  CHECK(len == 128);
  CHECK_OK(npy_open_memory(buf, len, &f));
  CHECK(npy_data(f) != NULL && npy_count(f) == 0);
  npy_close(f);
  free(buf);
}

/* ---- Fortran order ----------------------------------------------------------------------------- */

static void test_fortran(void) {
  /* 2x3 '<i4', a[i][j] = 10*i + j, stored column by column. */
  char path[512];
  scratch_path(path, sizeof path, "fortran.npy");
  const int32_t c_order[6] = {0, 1, 2, 10, 11, 12};
  const int32_t f_order[6] = {0, 10, 1, 11, 2, 12};
  uint8_t fdata[24], cdata[24];
  for (int i = 0; i < 6; i++) {
    put_le(fdata + 4 * i, (uint32_t)f_order[i], 4);
    put_le(cdata + 4 * i, (uint32_t)c_order[i], 4);
  }
  npyio_dtype *dt = parse_dtype("<i4");
  const uint64_t shape[2] = {2, 3};
  CHECK_OK(npy_save(path, dt, 2, shape, true, fdata, sizeof fdata));

  npy_file *f = NULL;
  CHECK_OK(npy_open(path, &f));
  check_shape(f, 2, shape);
  CHECK(npy_fortran_order(f));
  CHECK(npy_row_nbytes(f) == 12 && npy_nbytes(f) == 24);
  check_small_header(f);
  uint8_t out[24];
  CHECK_OK(npy_read_into(f, out, sizeof out, 0));
  CHECK(memcmp(out, fdata, 24) == 0);
  CHECK_OK(npy_read_into(f, out, sizeof out, NPYIO_READ_C_ORDER));
  CHECK(memcmp(out, cdata, 24) == 0); /* transposed into C order */
  int32_t host[6];
  CHECK_OK(npy_read_into(f, host, sizeof host, NPYIO_READ_C_ORDER | NPYIO_READ_NATIVE));
  for (int i = 0; i < 6; i++) CHECK(host[i] == c_order[i]);
  CHECK_OK(npy_read_rows(f, 0, 2, out, sizeof out, 0));
  CHECK(memcmp(out, fdata, 24) == 0);
  CHECK_OK(npy_read_rows(f, 1, 1, out, 12, 0));
  CHECK(memcmp(out, cdata + 12, 12) == 0);
  npy_close(f);

  size_t len;
  uint8_t *bytes = slurp(path, &len);
  const char *hdr = "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }";
  CHECK(len == 128 + 24 && memcmp(bytes + 10, hdr, strlen(hdr)) == 0);
  free(bytes);

  /* 1-D data saved as Fortran order is also C-contiguous: recorded as False, like NumPy. */
  scratch_path(path, sizeof path, "fortran_1d.npy");
  const uint64_t shape1[1] = {6};
  CHECK_OK(npy_save(path, dt, 1, shape1, true, cdata, sizeof cdata));
  CHECK_OK(npy_open(path, &f));
  CHECK(!npy_fortran_order(f));
  npy_close(f);
  npyio_dtype_free(dt);

  /* 4x3 '>i2', a[i][j] = 100*i + j, Fortran order, written in pieces: a slab of rows 1..2. */
  scratch_path(path, sizeof path, "fortran_be.npy");
  dt = parse_dtype(">i2");
  const uint64_t shape2[2] = {4, 3};
  uint8_t f2[24];
  int k = 0;
  for (int j = 0; j < 3; j++)
    for (int i = 0; i < 4; i++, k++) put_be(f2 + 2 * k, (uint16_t)(100 * i + j), 2);
  npy_writer *w = NULL;
  CHECK_OK(npy_writer_create(path, dt, 2, shape2, true, &w));
  for (int off = 0; off < 24; off += 6) CHECK_OK(npy_writer_write(w, f2 + off, 6));
  CHECK_OK(npy_writer_finish(w));
  npyio_dtype_free(dt);

  CHECK_OK(npy_open(path, &f));
  CHECK(npy_fortran_order(f));
  check_descr(f, "'>i2'");
  CHECK(npy_row_nbytes(f) == 6);
  /* Without NPYIO_READ_C_ORDER: np.asfortranarray(a[1:3]) = columns (100,200) (101,201) (102,202). */
  const int16_t slab_f[6] = {100, 200, 101, 201, 102, 202};
  const int16_t slab_c[6] = {100, 101, 102, 200, 201, 202};
  uint8_t slab[12], want[12];
  CHECK_OK(npy_read_rows(f, 1, 2, slab, sizeof slab, 0));
  for (int i = 0; i < 6; i++) put_be(want + 2 * i, (uint16_t)slab_f[i], 2);
  CHECK(memcmp(slab, want, 12) == 0);
  CHECK_OK(npy_read_rows(f, 1, 2, slab, sizeof slab, NPYIO_READ_C_ORDER));
  for (int i = 0; i < 6; i++) put_be(want + 2 * i, (uint16_t)slab_c[i], 2);
  CHECK(memcmp(slab, want, 12) == 0);
  int16_t hs[6];
  CHECK_OK(npy_read_rows(f, 1, 2, hs, sizeof hs, NPYIO_READ_C_ORDER | NPYIO_READ_NATIVE));
  for (int i = 0; i < 6; i++) CHECK(hs[i] == slab_c[i]);
  CHECK_OK(npy_read_rows(f, 1, 2, hs, sizeof hs, NPYIO_READ_NATIVE));
  for (int i = 0; i < 6; i++) CHECK(hs[i] == slab_f[i]);
  int16_t all[12];
  CHECK_OK(npy_read_into(f, all, sizeof all, NPYIO_READ_C_ORDER | NPYIO_READ_NATIVE));
  for (int i = 0; i < 12; i++) CHECK(all[i] == 100 * (i / 3) + i % 3);
  CHECK_ST(npy_read_rows(f, 3, 2, slab, sizeof slab, 0), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npy_read_rows(f, 1, 2, slab, 11, NPYIO_READ_C_ORDER), NPYIO_ERR_BUFFER_TOO_SMALL);
  npy_close(f);
}

/* ---- writer and save failure paths: the old file is never touched --------------------------- */

static void test_writer_errors(void) {
  char path[512];
  scratch_path(path, sizeof path, "keep.npy");
  npyio_dtype *dt = parse_dtype("<i4");
  const uint64_t shape[1] = {4};
  uint8_t data[16];
  for (int i = 0; i < 16; i++) data[i] = (uint8_t)i;
  CHECK_OK(npy_save(path, dt, 1, shape, false, data, sizeof data));
  size_t len0;
  uint8_t *orig = slurp(path, &len0);

  /* npy_save with the wrong length. */
  CHECK_ST(npy_save(path, dt, 1, shape, false, data, 15), NPYIO_ERR_SIZE_MISMATCH);
  CHECK_ST(npy_save(path, dt, 1, shape, false, data, 0), NPYIO_ERR_SIZE_MISMATCH);

  /* Writer finished with too few bytes. */
  npy_writer *w = NULL;
  CHECK_OK(npy_writer_create(path, dt, 1, shape, false, &w));
  CHECK(count_temp_files(scratch) == 1);
  CHECK_OK(npy_writer_write(w, data, 12));
  CHECK_ST(npy_writer_finish(w), NPYIO_ERR_SIZE_MISMATCH); /* frees w */
  CHECK(count_temp_files(scratch) == 0);

  /* Writer discarded part-way. */
  CHECK_OK(npy_writer_create(path, dt, 1, shape, false, &w));
  CHECK_OK(npy_writer_write(w, data, 8));
  CHECK(count_temp_files(scratch) == 1);
  npy_writer_discard(w);
  CHECK(count_temp_files(scratch) == 0);

  CHECK(same_bytes(path, orig, len0));

  /* A discarded writer to a new path leaves nothing at all. */
  char fresh[512];
  scratch_path(fresh, sizeof fresh, "never.npy");
  CHECK_OK(npy_writer_create(fresh, dt, 1, shape, false, &w));
  npy_writer_discard(w);
  CHECK(!file_exists(fresh));
  CHECK(count_temp_files(scratch) == 0);

  /* Writing past the end is refused and writes nothing; the writer goes on. */
  uint8_t data2[16];
  for (int i = 0; i < 16; i++) data2[i] = (uint8_t)(0xF0 | i);
  CHECK_OK(npy_writer_create(path, dt, 1, shape, false, &w));
  CHECK_OK(npy_writer_write(w, data2, 8));
  CHECK_ST(npy_writer_write(w, data2 + 8, 12), NPYIO_ERR_SIZE_MISMATCH);
  CHECK_OK(npy_writer_write(w, data2 + 8, 8));
  CHECK_ST(npy_writer_write(w, data2, 1), NPYIO_ERR_SIZE_MISMATCH);
  CHECK_OK(npy_writer_finish(w));
  CHECK(count_temp_files(scratch) == 0);
  npy_file *f = NULL;
  CHECK_OK(npy_open(path, &f));
  uint8_t back[16];
  CHECK_OK(npy_read_into(f, back, sizeof back, 0));
  CHECK(memcmp(back, data2, 16) == 0);
  npy_close(f);

  /* A writer into a directory that does not exist fails at create with an I/O error. */
  char nodir[512];
  scratch_path(nodir, sizeof nodir, "no/such/dir.npy");
  w = NULL;
  CHECK_ST(npy_writer_create(nodir, dt, 1, shape, false, &w), NPYIO_ERR_IO);
  CHECK(w == NULL);
  CHECK_ST(npy_save(nodir, dt, 1, shape, false, data, sizeof data), NPYIO_ERR_IO);

  npyio_dtype_free(dt);
  free(orig);
}

/* ---- bad files through npy_open ---------------------------------------------------------------- */

static void test_bad_files(const char *good) {
  size_t len;
  uint8_t *bytes = slurp(good, &len);
  char path[512];
  npy_file *f = NULL;

  scratch_path(path, sizeof path, "truncated.npy");
  spit(path, bytes, len - 1);
  CHECK_ST(npy_open(path, &f), NPYIO_ERR_TRUNCATED);
  CHECK_ST(npy_mmap(path, NPYIO_MMAP_READ, &f), NPYIO_ERR_TRUNCATED);

  scratch_path(path, sizeof path, "magic.npy");
  spit(path, "hello, world, this is not numpy", 31);
  CHECK_ST(npy_open(path, &f), NPYIO_ERR_BAD_MAGIC);

  scratch_path(path, sizeof path, "header.npy");
  memcpy(bytes + 10, "{'descx'", 8);
  spit(path, bytes, len);
  CHECK_ST(npy_open(path, &f), NPYIO_ERR_BAD_HEADER);
  CHECK(f == NULL);

  /* A file of at most 4 KiB is read whole by npy_open: later reads return
   * those bytes even if the file changes afterwards. */
  scratch_path(path, sizeof path, "small-snapshot.npy");
  memcpy(bytes + 10, "{'descr'", 8);
  spit(path, bytes, len);
  CHECK(len < 4096);
  npy_file *g = NULL;
  CHECK_OK(npy_open(good, &g));
  uint8_t want[96], out[96];
  CHECK(npy_nbytes(g) <= sizeof want);
  CHECK_OK(npy_read_into(g, want, sizeof want, 0));
  npy_close(g);
  CHECK_OK(npy_open(path, &f));
  CHECK(truncate(path, 0) == 0);
  memset(out, 0, sizeof out);
  CHECK_OK(npy_read_into(f, out, sizeof out, 0));
  CHECK(memcmp(out, want, (size_t)npy_nbytes(f)) == 0);
  CHECK(npy_data(f) == NULL); /* still a path-opened array */
  npy_close(f);

  /* A larger file shrinks after npy_open: reads report NPYIO_ERR_TRUNCATED. */
  scratch_path(path, sizeof path, "shrinks.npy");
  {
    npyio_dtype *dt = parse_dtype("<f8");
    const uint64_t shape[2] = {1024, 2};
    double *big = (double *)calloc(2048, sizeof *big);
    CHECK(big != NULL);
    CHECK_OK(npy_save(path, dt, 2, shape, false, big, 2048 * sizeof *big));
    CHECK_OK(npy_open(path, &f));
    CHECK(truncate(path, 4096 + 128) == 0);
    CHECK_ST(npy_read_into(f, big, 2048 * sizeof *big, 0), NPYIO_ERR_TRUNCATED);
    CHECK_ST(npy_read_rows(f, 1000, 1, out, sizeof out, 0), NPYIO_ERR_TRUNCATED);
    CHECK_OK(npy_read_rows(f, 0, 1, out, sizeof out, 0)); /* row 0 is still there */
    CHECK_OK(npy_read_rows(f, 0, 0, out, sizeof out, 0)); /* zero rows: nothing to read */
    npy_close(f);
    free(big);
    npyio_dtype_free(dt);
  }
  free(bytes);
}

/* ---- NULL arguments ---------------------------------------------------------------------------- */

static void test_null_args(const char *good) {
  npyio_dtype *dt = parse_dtype("<i4");
  const uint64_t shape[1] = {1};
  const int32_t one = 1;
  char sentinel_byte = 0;
  npy_file *const fsent = (npy_file *)&sentinel_byte;
  npy_writer *const wsent = (npy_writer *)&sentinel_byte;
  npy_file *f = fsent;
  npy_writer *w = wsent;
  char path[512];
  scratch_path(path, sizeof path, "null.npy");

  CHECK_ST(npy_open(NULL, &f), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_open(good, NULL), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_open_memory(NULL, 100, &f), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_open_memory("x", 1, NULL), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_mmap(NULL, NPYIO_MMAP_READ, &f), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_mmap(good, NPYIO_MMAP_READ, NULL), NPYIO_ERR_NULL_ARG);
  CHECK(f == fsent); /* out-parameters are written only on success */
  CHECK_ST(npy_read_into(NULL, &sentinel_byte, 1, 0), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_read_rows(NULL, 0, 1, &sentinel_byte, 1, 0), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_flush(NULL), NPYIO_ERR_NULL_ARG);

  CHECK_ST(npy_save(NULL, dt, 1, shape, false, &one, 4), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_save(path, NULL, 1, shape, false, &one, 4), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_save(path, dt, 1, NULL, false, &one, 4), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_save(path, dt, 1, shape, false, NULL, 4), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_save_ex(NULL, dt, 1, shape, false, &one, 4, 0), NPYIO_ERR_NULL_ARG);
  CHECK(!file_exists(path));
  CHECK_ST(npy_writer_create(NULL, dt, 1, shape, false, &w), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_writer_create(path, NULL, 1, shape, false, &w), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_writer_create(path, dt, 1, NULL, false, &w), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_writer_create(path, dt, 1, shape, false, NULL), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_writer_create_ex(path, dt, 1, shape, false, 0, NULL), NPYIO_ERR_NULL_ARG);
  CHECK(w == wsent);
  CHECK(count_temp_files(scratch) == 0);
  CHECK_ST(npy_writer_write(NULL, &one, 4), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_writer_finish(NULL), NPYIO_ERR_NULL_ARG);

  /* A live writer with NULL data. */
  w = NULL;
  CHECK_OK(npy_writer_create(path, dt, 1, shape, false, &w));
  CHECK_ST(npy_writer_write(w, NULL, 4), NPYIO_ERR_NULL_ARG);
  CHECK_OK(npy_writer_write(w, &one, 4));
  CHECK_OK(npy_writer_finish(w));
  CHECK(file_exists(path));

  /* Accessors on NULL; close/free/discard accept NULL. */
  CHECK(npy_ndim(NULL) == 0);
  CHECK(npy_dtype(NULL) == NULL);
  CHECK(!npy_fortran_order(NULL));
  CHECK(npy_nbytes(NULL) == 0);
  CHECK(npy_count(NULL) == 0);
  CHECK(npy_row_nbytes(NULL) == 0);
  CHECK(npy_data_offset(NULL) == 0);
  CHECK(npy_format_version(NULL) == 0);
  CHECK(npy_data(NULL) == NULL);
  CHECK(npy_data_mut(NULL) == NULL);
  (void)npy_shape(NULL); /* must not crash; the pointer must not be dereferenced */
  npy_close(NULL);
  npyio_dtype_free(NULL);
  npy_writer_discard(NULL);
  npyio_dtype_free(dt);
}

/* ---- main -------------------------------------------------------------------------------------- */

/* open_memmap(mode='w+') and np.memmap equivalents. */
static void test_mmap_create_and_raw(void) {
  char path[512], raw[512];
  scratch_path(path, sizeof path, "created.npy");
  scratch_path(raw, sizeof raw, "raw.bin");
  npyio_dtype *dt = parse_dtype(">i4");
  const uint64_t shape[2] = {3, 4};
  npy_file *f = NULL;
  CHECK_OK(npy_mmap_create(path, dt, 2, shape, true, &f));
  check_shape(f, 2, shape);
  CHECK(npy_fortran_order(f) && npy_data_offset(f) == 128 && npy_format_version(f) == 1);
  uint8_t *m = (uint8_t *)npy_data_mut(f);
  CHECK(m != NULL && npy_nbytes(f) == 48);
  for (int i = 0; i < 48; i++) CHECK(m[i] == 0); /* starts zeroed */
  for (int i = 0; i < 12; i++) { m[4 * i + 3] = (uint8_t)i; } /* big-endian i */
  CHECK_OK(npy_flush(f));
  npy_close(f);
  /* The file is what np.save writes for the same array: reopen and read it. */
  CHECK_OK(npy_open(path, &f));
  int32_t host[12];
  CHECK_OK(npy_read_into(f, host, sizeof host, NPYIO_READ_NATIVE));
  for (int i = 0; i < 12; i++) CHECK(host[i] == i); /* Fortran storage order */
  npy_close(f);

  /* Raw: create with an unaligned offset, then map a window of it read-only. */
  const uint64_t n = 10;
  CHECK_OK(npy_mmap_raw(raw, dt, NPYIO_MMAP_CREATE, 7, 1, &n, false, &f));
  CHECK(npy_data_offset(f) == 7 && npy_format_version(f) == 0);
  m = (uint8_t *)npy_data_mut(f);
  CHECK(m != NULL);
  for (int i = 0; i < 10; i++) m[4 * i + 3] = (uint8_t)(100 + i);
  CHECK_OK(npy_flush(f));
  npy_close(f);
  const uint64_t two = 2;
  CHECK_OK(npy_mmap_raw(raw, dt, NPYIO_MMAP_READ, 7 + 4 * 3, 1, &two, false, &f));
  CHECK(npy_data_mut(f) == NULL);
  const uint8_t *d = (const uint8_t *)npy_data(f);
  CHECK(d != NULL && d[3] == 103 && d[7] == 104);
  npy_close(f);
  /* shape NULL: every item after the offset. */
  CHECK_OK(npy_mmap_raw(raw, dt, NPYIO_MMAP_COPY_ON_WRITE, 7, 0, NULL, false, &f));
  CHECK(npy_ndim(f) == 1 && npy_shape(f)[0] == 10);
  npy_close(f);
  /* Errors: offset beyond the file, a shape the file cannot hold, an unknown mode. */
  CHECK_ST(npy_mmap_raw(raw, dt, NPYIO_MMAP_READ, 4096, 0, NULL, false, &f), NPYIO_ERR_TRUNCATED);
  const uint64_t big = 11;
  CHECK_ST(npy_mmap_raw(raw, dt, NPYIO_MMAP_READ, 7, 1, &big, false, &f), NPYIO_ERR_TRUNCATED);
  CHECK_ST(npy_mmap_raw(raw, dt, 42, 7, 1, &n, false, &f), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npy_mmap_raw(raw, NULL, NPYIO_MMAP_READ, 7, 1, &n, false, &f), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_mmap_create(NULL, dt, 2, shape, false, &f), NPYIO_ERR_NULL_ARG);
  /* npy_mmap takes an existing file's three modes; CREATE belongs to npy_mmap_raw, and the
   * message says so. */
  f = NULL;
  CHECK_ST(npy_mmap(path, NPYIO_MMAP_CREATE, &f), NPYIO_ERR_INVALID_ARG);
  CHECK(f == NULL);
  CHECK(last_error_has("NPYIO_MMAP_CREATE") && last_error_has("npy_mmap_raw"));
  CHECK_ST(npy_mmap(path, 4, &f), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("unknown mmap mode 4"));
  /* The old NPY_MMAP_* names are aliases of the NPYIO_MMAP_* ones. */
  CHECK(NPY_MMAP_READ == NPYIO_MMAP_READ && NPY_MMAP_READ_WRITE == NPYIO_MMAP_READ_WRITE);
  CHECK(NPY_MMAP_COPY_ON_WRITE == NPYIO_MMAP_COPY_ON_WRITE && NPY_MMAP_CREATE == NPYIO_MMAP_CREATE);
  CHECK_OK(npy_mmap(path, NPY_MMAP_READ, &f));
  CHECK(npy_data_mut(f) == NULL);
  npy_close(f);
  npyio_dtype_free(dt);
}

int main(void) {
  scratch_create("npyio-test-api");

  /* Every table entry is a real, distinct function. */
  const size_t nfn = sizeof exercised_functions / sizeof exercised_functions[0];
  check_exercised(exercised_functions, nfn);

  char f8path[512];
  test_status_and_version();
  test_last_error();
  test_dtypes();
  test_f8_2d(f8path, sizeof f8path);
  test_limits(f8path);
  test_i4_big_endian();
  test_unicode_writer_and_mmap_read();
  test_record_writer_and_mmap_cow();
  test_mmap_read_write();
  test_mmap_create_and_raw();
  test_zero_d();
  test_empty();
  test_fortran();
  test_writer_errors();
  test_bad_files(f8path);
  test_null_args(f8path);

  CHECK(count_temp_files(scratch) == 0);
  scratch_remove();
  printf("test_api: all checks passed (%zu functions exercised)\n", nfn);
  return 0;
}
