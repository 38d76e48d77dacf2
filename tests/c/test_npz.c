/*
 * test_npz.c -- exercises every npz_* function declared in include/npyio.h.
 *
 *     test_npz                                   the API tests (no NumPy needed)
 *     test_npz interop <numpy_dir> <out_root>    NumPy <-> C archives (see npz_interop.py)
 *
 * Compiled as C11 and as C++17 (see tests/c/CMakeLists.txt). Each check
 * (check.h) prints file:line, the status and its npyio_status_str, and
 * npyio_last_error, then exits 1. The API tests write into a mkdtemp() scratch
 * directory under /tmp that is removed at the end (set NPYIO_KEEP_SCRATCH=1 to
 * keep it on failure).
 *
 * API tests: archives written with npz_writer_open / npz_writer_open_ex
 * (stored and deflate members of many dtypes, a record, Fortran-order, 0-d and
 * empty arrays, streamed members, NPYIO_NPZ_ALIGN, levels 0/1/6/9, NPYIO_ZSTD members at
 * zstd levels set with npz_writer_set_level) are read
 * back from a path and from memory, member by member, by name, by index, by
 * rows, through maps and raw; every error path the header documents is
 * checked, and zip archives assembled byte by byte here supply members that
 * are not .npy files, damaged CRCs, unsupported methods and duplicate names.
 *
 * Interop mode: reads the archives npz_interop.py made with np.savez,
 * np.savez_compressed, a non-seekable stream and zipfile, then writes
 * c_*.npz archives into <out_root>/c (or /cxx) for npz_interop.py to load.
 * The array values are defined in both files; keep them in step.
 *
 * The table `exercised_functions` below is parsed by check_coverage.py, which
 * requires every function of npyio.h to be listed (and called) in the table of
 * at least one C test.
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
#include <unistd.h>

/* ---- coverage table ------------------------------------------------------------------------ */

/* BEGIN EXERCISED FUNCTIONS (parsed by check_coverage.py: one FN(name) per function) */
static const exercised_fn exercised_functions[] = {
  FN(npz_open),
  FN(npz_open_memory),
  FN(npz_count),
  FN(npz_name),
  FN(npz_member_size),
  FN(npz_member_compressed_size),
  FN(npz_member_compression),
  FN(npz_open_member),
  FN(npz_open_member_at),
  FN(npz_mmap_member),
  FN(npz_read_raw),
  FN(npz_close),
  FN(npz_writer_open),
  FN(npz_writer_open_ex),
  FN(npz_writer_set_level),
  FN(npz_writer_add),
  FN(npz_writer_begin),
  FN(npz_writer_write),
  FN(npz_writer_end),
  FN(npz_writer_finish),
  FN(npz_writer_discard),
};
/* END EXERCISED FUNCTIONS */

/* ---- helpers ------------------------------------------------------------------------------- */

/* CRC-32 (zip's), for the archives assembled by hand below. */
static uint32_t crc32_of(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

/* ---- the arrays ---------------------------------------------------------------------------- */
/*
 * The "standard" members, the same in npz_interop.py:
 *   f8      '<f8' (3, 4)       i * 0.5 - 1
 *   i4be    '>i4' (5,)         1, -2, 300000, -400000, 2**31 - 1
 *   rec     [('a','<i4'),('b','>f8')] (3,)   (1, 1.5), (-2, 2.5), (3, -3.5)
 *   fort    '<i2' (3, 4) Fortran order, value r*4 + c - 5
 *   u       '<U3' (3,)         "ab", "xyz", ""
 *   zero_d  '<f8' ()           2.5
 *   empty   '<f4' (0, 2, 3)
 *   big     '<u8' (300000,)    (i * 2654435761) % 1000   (> 2 MiB: parallel deflate)
 * and two streamed ones:
 *   s_stream '<f8' (1000,)     i * 0.25
 *   d_stream '<u8' (600000,)   i ^ (i >> 3)
 */
#define BIG_N 300000u
#define D_N 600000u
#define S_N 1000u

typedef struct {
  const char *name;
  const char *descr; /* as npyio_dtype_descr prints it */
  size_t ndim;
  uint64_t shape[3];
  bool fortran;
  const uint8_t *data; /* storage order and byte order */
  size_t len;
} member_spec;

static uint8_t f8_data[96], i4be_data[20], rec_data[36], fort_data[24], u_data[36],
    zero_d_data[8], i8_ab_data[16], u1_data[4], fort_s_data[96];
static uint8_t *big_data, *d_data, *s_data;

/* C-order and native-order views, for flag checks. */
static uint8_t fort_c_order[24], fort_s_c_order[96];
static int32_t i4be_native[5];

static member_spec STD[8];
#define N_STD 8
static member_spec S_STREAM, D_STREAM, AB, DATANPY, FORT_S;

static void init_data(void) {
  for (int i = 0; i < 12; i++) put_le(f8_data + 8 * i, f64_bits(i * 0.5 - 1), 8);
  const int32_t iv[5] = {1, -2, 300000, -400000, 2147483647};
  for (int i = 0; i < 5; i++) {
    put_be(i4be_data + 4 * i, (uint32_t)iv[i], 4);
    i4be_native[i] = iv[i];
  }
  const int32_t ra[3] = {1, -2, 3};
  const double rb[3] = {1.5, 2.5, -3.5};
  for (int i = 0; i < 3; i++) {
    put_le(rec_data + 12 * i, (uint32_t)ra[i], 4);
    put_be(rec_data + 12 * i + 4, f64_bits(rb[i]), 8);
  }
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 4; c++) {
      uint16_t v = (uint16_t)(int16_t)(r * 4 + c - 5);
      put_le(fort_data + 2 * (c * 3 + r), v, 2);
      put_le(fort_c_order + 2 * (r * 4 + c), v, 2);
    }
  const char *strs[3] = {"ab", "xyz", ""};
  memset(u_data, 0, sizeof u_data);
  for (int i = 0; i < 3; i++)
    for (size_t k = 0; k < strlen(strs[i]); k++)
      put_le(u_data + 12 * i + 4 * k, (uint8_t)strs[i][k], 4);
  put_le(zero_d_data, f64_bits(2.5), 8);
  put_le(i8_ab_data, 7, 8);
  put_le(i8_ab_data + 8, (uint64_t)(int64_t)-7, 8);
  for (int i = 0; i < 4; i++) u1_data[i] = (uint8_t)(i + 1);
  /* fort_s: '<f8' (4, 3) Fortran order, value r * 10 + c. */
  for (int r = 0; r < 4; r++)
    for (int c = 0; c < 3; c++) {
      put_le(fort_s_data + 8 * (c * 4 + r), f64_bits(r * 10.0 + c), 8);
      put_le(fort_s_c_order + 8 * (r * 3 + c), f64_bits(r * 10.0 + c), 8);
    }
  big_data = (uint8_t *)xmalloc(8 * (size_t)BIG_N);
  for (uint64_t i = 0; i < BIG_N; i++) put_le(big_data + 8 * i, (i * 2654435761u) % 1000u, 8);
  d_data = (uint8_t *)xmalloc(8 * (size_t)D_N);
  for (uint64_t i = 0; i < D_N; i++) put_le(d_data + 8 * i, i ^ (i >> 3), 8);
  s_data = (uint8_t *)xmalloc(8 * (size_t)S_N);
  for (uint64_t i = 0; i < S_N; i++) put_le(s_data + 8 * i, f64_bits((double)i * 0.25), 8);

  member_spec std_[N_STD] = {
      {"f8", "'<f8'", 2, {3, 4, 0}, false, f8_data, sizeof f8_data},
      {"i4be", "'>i4'", 1, {5, 0, 0}, false, i4be_data, sizeof i4be_data},
      {"rec", "[('a', '<i4'), ('b', '>f8')]", 1, {3, 0, 0}, false, rec_data, sizeof rec_data},
      {"fort", "'<i2'", 2, {3, 4, 0}, true, fort_data, sizeof fort_data},
      {"u", "'<U3'", 1, {3, 0, 0}, false, u_data, sizeof u_data},
      {"zero_d", "'<f8'", 0, {0, 0, 0}, false, zero_d_data, sizeof zero_d_data},
      {"empty", "'<f4'", 3, {0, 2, 3}, false, NULL, 0},
      {"big", "'<u8'", 1, {BIG_N, 0, 0}, false, big_data, 8 * (size_t)BIG_N},
  };
  memcpy(STD, std_, sizeof std_);
  member_spec s = {"s_stream", "'<f8'", 1, {S_N, 0, 0}, false, s_data, 8 * (size_t)S_N};
  member_spec d = {"d_stream", "'<u8'", 1, {D_N, 0, 0}, false, d_data, 8 * (size_t)D_N};
  member_spec ab = {"a/b", "'<i8'", 1, {2, 0, 0}, false, i8_ab_data, sizeof i8_ab_data};
  member_spec dn = {"data.npy", "'|u1'", 1, {4, 0, 0}, false, u1_data, sizeof u1_data};
  member_spec fs = {"fort_s", "'<f8'", 2, {4, 3, 0}, true, fort_s_data, sizeof fort_s_data};
  S_STREAM = s;
  D_STREAM = d;
  AB = ab;
  DATANPY = dn;
  FORT_S = fs;
}

static void add_member(npz_writer *w, const member_spec *m, npyio_compression c) {
  current = m->name;
  npyio_dtype *dt = parse_dtype(m->descr);
  CHECK_OK(npz_writer_add(w, m->name, dt, m->ndim, m->shape, m->fortran, m->data, m->len, c));
  npyio_dtype_free(dt);
}

/* Stream a member in pieces: `first` bytes, an empty write, then `chunk`-byte pieces. */
static void stream_member(npz_writer *w, const member_spec *m, npyio_compression c, size_t first,
                          size_t chunk) {
  current = m->name;
  npyio_dtype *dt = parse_dtype(m->descr);
  CHECK_OK(npz_writer_begin(w, m->name, dt, m->ndim, m->shape, m->fortran, c));
  npyio_dtype_free(dt);
  size_t off = first < m->len ? first : m->len;
  CHECK_OK(npz_writer_write(w, m->data, off));
  CHECK_OK(npz_writer_write(w, NULL, 0));
  while (off < m->len) {
    size_t n = m->len - off < chunk ? m->len - off : chunk;
    CHECK_OK(npz_writer_write(w, m->data + off, n));
    off += n;
  }
  CHECK_OK(npz_writer_end(w));
}

/* Check an opened member's description and its bytes as stored (flags 0). */
static void check_array(npy_file *f, const member_spec *m) {
  current = m->name;
  CHECK(f != NULL);
  CHECK_STR(npyio_dtype_descr(npy_dtype(f)), m->descr);
  CHECK(npy_ndim(f) == m->ndim);
  for (size_t i = 0; i < m->ndim; i++) CHECK(npy_shape(f)[i] == m->shape[i]);
  CHECK(npy_fortran_order(f) == m->fortran);
  CHECK(npy_nbytes(f) == m->len);
  CHECK(npy_data_offset(f) % 64 == 0);
  CHECK(npy_format_version(f) == 1);
  /* Read-only: no writable data (zero-byte maps: see test_empty_map_is_read_only). */
  if (m->len > 0) CHECK(npy_data_mut(f) == NULL);
  uint8_t *buf = (uint8_t *)xmalloc(m->len + 16);
  memset(buf, 0xAB, m->len + 16);
  CHECK_OK(npy_read_into(f, buf, m->len + 16, 0));
  CHECK(m->len == 0 || memcmp(buf, m->data, m->len) == 0);
  for (size_t i = 0; i < 16; i++) CHECK(buf[m->len + i] == 0xAB); /* nothing past nbytes */
  if (m->len > 0) CHECK_ST(npy_read_into(f, buf, m->len - 1, 0), NPYIO_ERR_BUFFER_TOO_SMALL);
  free(buf);
}

static npy_file *open_member(const npz_file *z, const char *name) {
  current = name;
  npy_file *f = NULL;
  CHECK_OK(npz_open_member(z, name, &f));
  CHECK(f != NULL);
  return f;
}

/* ---- checks on the members the tests and NumPy both know ------------------------------------ */

/* Flags on the standard members: NATIVE, C_ORDER, and rows. */
static void check_flags_and_rows(const npz_file *z) {
  /* '>i4' read with NPYIO_READ_NATIVE: host integers. */
  npy_file *f = open_member(z, "i4be");
  int32_t iv[5];
  CHECK_OK(npy_read_into(f, iv, sizeof iv, NPYIO_READ_NATIVE));
  CHECK(memcmp(iv, i4be_native, sizeof iv) == 0);
  CHECK_ST(npy_read_into(f, iv, sizeof iv, 1u << 20), NPYIO_ERR_INVALID_ARG); /* unknown flag */
  int32_t rows[2];
  CHECK(npy_row_nbytes(f) == 4);
  CHECK_OK(npy_read_rows(f, 2, 2, rows, sizeof rows, NPYIO_READ_NATIVE));
  CHECK(rows[0] == 300000 && rows[1] == -400000);
  CHECK_OK(npy_read_rows(f, 3, 2, rows, sizeof rows, 0)); /* reaches the end: CRC checked */
  CHECK(memcmp(rows, i4be_data + 12, 8) == 0);
  CHECK_ST(npy_read_rows(f, 4, 2, rows, sizeof rows, 0), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npy_read_rows(f, 0, 2, rows, 7, 0), NPYIO_ERR_BUFFER_TOO_SMALL);
  npy_close(f);

  /* Fortran '<i2' (3, 4): C order on request; rows as a Fortran or C slab. */
  f = open_member(z, "fort");
  uint8_t c_order[24];
  CHECK_OK(npy_read_into(f, c_order, sizeof c_order, NPYIO_READ_C_ORDER));
  CHECK(memcmp(c_order, fort_c_order, 24) == 0);
  CHECK_OK(npy_read_into(f, c_order, sizeof c_order, NPYIO_READ_C_ORDER | NPYIO_READ_NATIVE));
  for (int i = 0; i < 12; i++) {
    int16_t v;
    memcpy(&v, c_order + 2 * i, 2);
    CHECK(v == i - 5);
  }
  uint8_t slab[16];
  CHECK(npy_row_nbytes(f) == 8);
  CHECK_OK(npy_read_rows(f, 1, 2, slab, sizeof slab, NPYIO_READ_C_ORDER));
  CHECK(memcmp(slab, fort_c_order + 8, 16) == 0); /* rows 1 and 2 */
  CHECK_OK(npy_read_rows(f, 1, 2, slab, sizeof slab, 0));
  for (int c = 0; c < 4; c++) /* Fortran slab: column c holds rows 1, 2 */
    for (int r = 0; r < 2; r++)
      CHECK(get_le(slab + 2 * (c * 2 + r), 2) == (uint16_t)(int16_t)((r + 1) * 4 + c - 5));
  npy_close(f);

  /* The big member by rows: the middle (a deflate member skips what precedes), the end. */
  f = open_member(z, "big");
  uint64_t vals[10];
  CHECK_OK(npy_read_rows(f, 150000, 10, vals, sizeof vals, NPYIO_READ_NATIVE));
  for (uint64_t i = 0; i < 10; i++) CHECK(vals[i] == ((150000 + i) * 2654435761u) % 1000u);
  CHECK_OK(npy_read_rows(f, BIG_N - 10, 10, vals, sizeof vals, 0));
  CHECK(memcmp(vals, big_data + 8 * ((size_t)BIG_N - 10), 80) == 0);
  npy_close(f);

  /* 0-d: no rows; empty: zero rows read fine. */
  f = open_member(z, "zero_d");
  double d;
  CHECK(npy_row_nbytes(f) == 0 && npy_count(f) == 1);
  CHECK_ST(npy_read_rows(f, 0, 1, &d, sizeof d, 0), NPYIO_ERR_INVALID_ARG);
  CHECK_OK(npy_read_into(f, &d, sizeof d, NPYIO_READ_NATIVE));
  CHECK(d == 2.5);
  npy_close(f);
  f = open_member(z, "empty");
  CHECK(npy_count(f) == 0 && npy_row_nbytes(f) == 24);
  CHECK_OK(npy_read_rows(f, 0, 0, NULL, 0, 0));
  CHECK_OK(npy_read_into(f, NULL, 0, 0));
  npy_close(f);

  /* Records with NPYIO_READ_NATIVE: each field to host order. */
  f = open_member(z, "rec");
  uint8_t rec[36];
  CHECK_OK(npy_read_into(f, rec, sizeof rec, NPYIO_READ_NATIVE));
  int32_t a;
  double b;
  memcpy(&a, rec + 12, 4);
  memcpy(&b, rec + 12 + 4, 8);
  CHECK(a == -2 && b == 2.5);
  CHECK(npyio_dtype_is_record(npy_dtype(f)));
  npy_close(f);
}

/* Every standard member: present by key and by full name, described and read exactly. */
static void check_standard(const npz_file *z, npyio_compression want_c) {
  for (size_t k = 0; k < N_STD; k++) {
    const member_spec *m = &STD[k];
    current = m->name;
    npy_file *f = open_member(z, m->name);
    check_array(f, m);
    npy_close(f);
    char full[64];
    snprintf(full, sizeof full, "%s.npy", m->name);
    f = open_member(z, full);
    check_array(f, m);
    npy_close(f);
    if (want_c >= 0) {
      size_t i = 0;
      while (i < npz_count(z) && strcmp(npz_name(z, i), m->name) != 0) i++;
      CHECK(i < npz_count(z));
      CHECK(npz_member_compression(z, i) == want_c);
    }
  }
  check_flags_and_rows(z);
}

/* ---- the mixed archive: written once, read from a path and from memory ----------------------- */

static const char *const MIXED_KEYS[] = {"f8",     "i4be",     "rec",      "fort", "u",
                                         "zero_d", "empty",    "big",      "s_stream",
                                         "d_stream", "a/b",    "data.npy", "fort_s"};
#define N_MIXED 13
static const npyio_compression MIXED_C[N_MIXED] = {
    NPYIO_STORED, NPYIO_DEFLATE, NPYIO_STORED, NPYIO_DEFLATE, NPYIO_STORED,
    NPYIO_DEFLATE, NPYIO_STORED, NPYIO_DEFLATE, NPYIO_STORED, NPYIO_DEFLATE,
    NPYIO_STORED, NPYIO_DEFLATE, NPYIO_STORED};

static const member_spec *mixed_spec(size_t i) {
  if (i < N_STD) return &STD[i];
  const member_spec *rest[] = {&S_STREAM, &D_STREAM, &AB, &DATANPY, &FORT_S};
  return rest[i - N_STD];
}

static void write_mixed(const char *path) {
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open(path, &w));
  CHECK(w != NULL);
  npyio_dtype *f8 = parse_dtype("<f8");
  const uint64_t shape4[1] = {4};
  double four[4] = {1, 2, 3, 4};

  for (size_t i = 0; i < N_STD; i++) {
    add_member(w, &STD[i], MIXED_C[i]);
    if (i == 0) {
      /* Argument errors leave the writer usable. */
      current = "writer argument errors";
      CHECK_ST(npz_writer_add(w, "f8", f8, 1, shape4, false, four, 32, NPYIO_STORED),
               NPYIO_ERR_INVALID_ARG); /* duplicate */
      CHECK(last_error_has("duplicate"));
      CHECK_ST(npz_writer_add(w, "f8", f8, 1, shape4, false, four, 32, NPYIO_DEFLATE),
               NPYIO_ERR_INVALID_ARG); /* duplicate, deflate path */
      CHECK_ST(npz_writer_add(w, "", f8, 1, shape4, false, four, 32, NPYIO_STORED),
               NPYIO_ERR_INVALID_ARG); /* empty name */
      CHECK_ST(npz_writer_add(w, "x", f8, 1, shape4, false, four, 32, 3),
               NPYIO_ERR_INVALID_ARG); /* unknown compression */
      CHECK_ST(npz_writer_add(w, "x", f8, 1, shape4, false, four, 32, -1), NPYIO_ERR_INVALID_ARG);
      CHECK_ST(npz_writer_add(w, "x", f8, 1, shape4, false, four, 24, NPYIO_STORED),
               NPYIO_ERR_SIZE_MISMATCH);
      CHECK_ST(npz_writer_add(w, "x", f8, 1, shape4, false, four, 40, NPYIO_DEFLATE),
               NPYIO_ERR_SIZE_MISMATCH);
      CHECK_ST(npz_writer_begin(w, "f8", f8, 1, shape4, false, NPYIO_DEFLATE),
               NPYIO_ERR_INVALID_ARG); /* duplicate */
      CHECK_ST(npz_writer_begin(w, "", f8, 1, shape4, false, NPYIO_STORED), NPYIO_ERR_INVALID_ARG);
      CHECK_ST(npz_writer_begin(w, "x", f8, 1, shape4, false, 3), NPYIO_ERR_INVALID_ARG);
      CHECK_ST(npz_writer_write(w, four, 8), NPYIO_ERR_STATE); /* no member open */
      CHECK_ST(npz_writer_end(w), NPYIO_ERR_STATE);
    }
  }
  /* Streamed: stored in uneven pieces; deflate with a 3 MiB piece (parallel path mid-stream). */
  stream_member(w, &S_STREAM, NPYIO_STORED, 100, 3000);
  current = "streamed member state errors";
  npyio_dtype *u8 = parse_dtype("<u8");
  CHECK_OK(npz_writer_begin(w, "d_stream", u8, D_STREAM.ndim, D_STREAM.shape, false,
                            NPYIO_DEFLATE));
  CHECK_ST(npz_writer_begin(w, "other", f8, 1, shape4, false, NPYIO_STORED), NPYIO_ERR_STATE);
  CHECK_ST(npz_writer_add(w, "other", f8, 1, shape4, false, four, 32, NPYIO_STORED),
           NPYIO_ERR_STATE);
  CHECK_ST(npz_writer_add(w, "other", f8, 1, shape4, false, four, 32, NPYIO_DEFLATE),
           NPYIO_ERR_STATE);
  size_t off = 0;
  const size_t pieces[3] = {100, 3u << 20, D_STREAM.len - 100 - (3u << 20)};
  for (int p = 0; p < 3; p++) {
    CHECK_OK(npz_writer_write(w, d_data + off, pieces[p]));
    off += pieces[p];
    if (p == 1) /* one byte too many: refused, nothing written */
      CHECK_ST(npz_writer_write(w, d_data + off, pieces[2] + 1), NPYIO_ERR_SIZE_MISMATCH);
  }
  CHECK_ST(npz_writer_write(w, d_data, 1), NPYIO_ERR_SIZE_MISMATCH); /* already complete */
  CHECK_OK(npz_writer_end(w));
  npyio_dtype_free(u8);
  add_member(w, &AB, NPYIO_STORED);
  add_member(w, &DATANPY, NPYIO_DEFLATE);
  add_member(w, &FORT_S, NPYIO_STORED);
  npyio_dtype_free(f8);
  CHECK(count_temp_files(scratch) == 1); /* the archive is still a temporary file */
  CHECK(!file_exists(path));
  CHECK_OK(npz_writer_finish(w));
  CHECK(file_exists(path));
  CHECK(count_temp_files(scratch) == 0);
}

/* `base`/`blen`: the caller's bytes for an archive from npz_open_memory, else NULL. */
static void check_mixed(const npz_file *z, const uint8_t *base, size_t blen, const char *npy_f8) {
  current = "mixed archive index";
  CHECK(npz_count(z) == N_MIXED);
  for (size_t i = 0; i < N_MIXED; i++) {
    current = MIXED_KEYS[i];
    CHECK_STR(npz_name(z, i), MIXED_KEYS[i]);
    CHECK(npz_member_compression(z, i) == MIXED_C[i]);
    npy_file *f = NULL;
    CHECK_OK(npz_open_member_at(z, i, &f));
    const member_spec *m = mixed_spec(i);
    check_array(f, m);
    /* The member is the whole .npy file: header + data. */
    CHECK(npz_member_size(z, i) == npy_data_offset(f) + npy_nbytes(f));
    if (MIXED_C[i] == NPYIO_STORED)
      CHECK(npz_member_compressed_size(z, i) == npz_member_size(z, i));
    else
      CHECK(npz_member_compressed_size(z, i) > 0);
    /* Members of a memory archive: stored data is addressable in the caller's buffer. */
    const uint8_t *p = (const uint8_t *)npy_data(f);
    if (base && MIXED_C[i] == NPYIO_STORED && m->len > 0) {
      CHECK(p != NULL && p >= base && p + m->len <= base + blen);
      CHECK(memcmp(p, m->data, m->len) == 0);
    }
    if (!base || MIXED_C[i] == NPYIO_DEFLATE) CHECK(p == NULL);
    npy_close(f);
  }
  current = "mixed archive index";
  CHECK(npz_name(z, N_MIXED) == NULL);
  CHECK(npz_member_size(z, N_MIXED) == 0);
  CHECK(npz_member_compressed_size(z, N_MIXED) == 0);
  CHECK(npz_member_compression(z, N_MIXED) == -1);
  npy_file *f = (npy_file *)&f; /* sentinel: out-parameters are written only on success */
  npy_file *const sentinel = f;
  CHECK_ST(npz_open_member_at(z, N_MIXED, &f), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npz_open_member_at(z, (size_t)-1, &f), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npz_open_member(z, "nope", &f), NPYIO_ERR_NOT_FOUND);
  CHECK(last_error_has("nope"));
  CHECK_ST(npz_open_member(z, "f8.np", &f), NPYIO_ERR_NOT_FOUND);
  CHECK_ST(npz_open_member(z, "F8", &f), NPYIO_ERR_NOT_FOUND);
  CHECK_ST(npz_mmap_member(z, "nope", &f), NPYIO_ERR_NOT_FOUND);
  CHECK(f == sentinel);
  CHECK(npz_member_compressed_size(z, 7) * 4 < npz_member_size(z, 7)); /* big compresses */
  CHECK(npz_member_compressed_size(z, 9) * 4 < npz_member_size(z, 9)); /* so does d_stream */

  /* Names: "a/b" is kept as is; "data.npy" became "data.npy.npy", found by key and full name. */
  f = open_member(z, "a/b.npy");
  check_array(f, &AB);
  npy_close(f);
  f = open_member(z, "data.npy");
  check_array(f, &DATANPY);
  npy_close(f);
  f = open_member(z, "data.npy.npy");
  check_array(f, &DATANPY);
  npy_close(f);

  check_standard(z, -1);

  /* Streamed members by rows, stored and deflate; the deflate one to its very end. */
  f = open_member(z, "s_stream");
  double dv[3];
  CHECK_OK(npy_read_rows(f, 997, 3, dv, sizeof dv, NPYIO_READ_NATIVE));
  CHECK(dv[0] == 997 * 0.25 && dv[2] == 999 * 0.25);
  npy_close(f);
  f = open_member(z, "d_stream");
  uint64_t uv[4];
  CHECK_OK(npy_read_rows(f, D_N - 4, 4, uv, sizeof uv, NPYIO_READ_NATIVE));
  for (uint64_t k = 0; k < 4; k++) CHECK(uv[k] == ((D_N - 4 + k) ^ ((D_N - 4 + k) >> 3)));
  CHECK_OK(npy_read_rows(f, 393216, 2, uv, 16, NPYIO_READ_NATIVE)); /* past the 3 MiB piece */
  CHECK(uv[0] == (393216u ^ (393216u >> 3)));
  npy_close(f);

  /* Fortran stored member: rows in C order, and a map gives the Fortran bytes. */
  f = open_member(z, "fort_s");
  uint8_t slab[48];
  CHECK_OK(npy_read_rows(f, 2, 2, slab, sizeof slab, NPYIO_READ_C_ORDER));
  CHECK(memcmp(slab, fort_s_c_order + 48, 48) == 0);
  uint8_t all[96];
  CHECK_OK(npy_read_into(f, all, sizeof all, NPYIO_READ_C_ORDER | NPYIO_READ_NATIVE));
  CHECK(memcmp(all, fort_s_c_order, 96) == 0 || !host_is_little_endian());
  npy_close(f);

  /* Maps: stored members map zero-copy, deflate members are refused. */
  for (size_t i = 0; i < N_MIXED; i++) {
    const member_spec *m = mixed_spec(i);
    current = m->name;
    npy_file *mm = NULL;
    if (MIXED_C[i] == NPYIO_DEFLATE) {
      npy_file *s = (npy_file *)&mm;
      mm = s;
      CHECK_ST(npz_mmap_member(z, m->name, &mm), NPYIO_ERR_NOT_MAPPABLE);
      CHECK(mm == s);
      continue;
    }
    CHECK_OK(npz_mmap_member(z, m->name, &mm));
    check_array(mm, m);
    const uint8_t *p = (const uint8_t *)npy_data(mm);
    CHECK(p != NULL); /* non-NULL even for the empty array */
    CHECK(m->len == 0 || memcmp(p, m->data, m->len) == 0);
    if (base && m->len > 0) CHECK(p >= base && p + m->len <= base + blen);
    CHECK_OK(npy_flush(mm));
    npy_close(mm);
  }

  /* Raw bytes: the stored member "f8" is byte-identical to npy_save's (= np.save's) file. */
  current = "npz_read_raw";
  size_t nlen;
  uint8_t *npy = slurp(npy_f8, &nlen);
  CHECK(npz_member_size(z, 0) == nlen);
  uint8_t *raw = (uint8_t *)xmalloc(nlen + 8);
  memset(raw, 0xCD, nlen + 8);
  CHECK_OK(npz_read_raw(z, "f8", raw, nlen + 8));
  CHECK(memcmp(raw, npy, nlen) == 0 && raw[nlen] == 0xCD);
  memset(raw, 0, nlen);
  CHECK_OK(npz_read_raw(z, "f8.npy", raw, nlen));
  CHECK(memcmp(raw, npy, nlen) == 0);
  CHECK_ST(npz_read_raw(z, "f8", raw, nlen - 1), NPYIO_ERR_BUFFER_TOO_SMALL);
  CHECK_ST(npz_read_raw(z, "nope", raw, nlen), NPYIO_ERR_NOT_FOUND);
  free(raw);
  free(npy);
  /* ... and a deflate member's raw bytes are its inflated .npy file. */
  size_t big_size = (size_t)npz_member_size(z, 7);
  raw = (uint8_t *)xmalloc(big_size);
  CHECK_OK(npz_read_raw(z, "big", raw, big_size));
  CHECK(memcmp(raw, "\x93NUMPY\x01\x00", 8) == 0);
  CHECK(memcmp(raw + big_size - STD[7].len, big_data, STD[7].len) == 0);
  free(raw);
}

static void test_mixed(void) {
  char path[512], npy_f8[512];
  path_in(path, sizeof path, scratch, "mixed.npz");
  path_in(npy_f8, sizeof npy_f8, scratch, "f8.npy");
  npyio_dtype *dt = parse_dtype("<f8");
  CHECK_OK(npy_save(npy_f8, dt, 2, STD[0].shape, false, f8_data, sizeof f8_data));
  npyio_dtype_free(dt);

  write_mixed(path);

  npz_file *z = NULL;
  CHECK_OK(npz_open(path, &z));
  CHECK(z != NULL);
  check_mixed(z, NULL, 0, npy_f8);
  /* Messages name the archive and the member. */
  npy_file *f = NULL;
  CHECK_ST(npz_mmap_member(z, "big", &f), NPYIO_ERR_NOT_MAPPABLE);
  CHECK(last_error_has("mixed.npz") && last_error_has("big"));
  CHECK(last_error_has("(open it with npz_open_member)") && !last_error_has("NpzFile::"));
  npz_close(z);

  size_t len;
  uint8_t *buf = slurp(path, &len);
  z = NULL;
  CHECK_OK(npz_open_memory(buf, len, &z));
  check_mixed(z, buf, len, npy_f8);
  npz_close(z);
  free(buf);
}

/* Members stay valid after npz_close, from a path and from memory. */
static void test_members_outlive_archive(void) {
  char path[512];
  path_in(path, sizeof path, scratch, "mixed.npz");
  size_t len;
  uint8_t *buf = slurp(path, &len);
  for (int from_memory = 0; from_memory < 2; from_memory++) {
    current = from_memory ? "members after npz_close (memory)" : "members after npz_close (path)";
    npz_file *z = NULL;
    if (from_memory)
      CHECK_OK(npz_open_memory(buf, len, &z));
    else
      CHECK_OK(npz_open(path, &z));
    npy_file *stored = open_member(z, "f8");
    npy_file *deflated = open_member(z, "big");
    npy_file *mapped = NULL;
    CHECK_OK(npz_mmap_member(z, "s_stream", &mapped));
    npz_close(z);
    check_array(stored, &STD[0]);
    check_array(deflated, &STD[7]);
    check_array(mapped, &S_STREAM);
    CHECK(memcmp(npy_data(mapped), s_data, S_STREAM.len) == 0);
    uint64_t v[2];
    CHECK_OK(npy_read_rows(deflated, 5, 2, v, sizeof v, NPYIO_READ_NATIVE));
    CHECK(v[0] == ((uint64_t)5 * 2654435761u) % 1000u);
    npy_close(stored);
    npy_close(deflated);
    npy_close(mapped);
  }
  free(buf);
}

/* ---- NPYIO_NPZ_ALIGN and compression levels ------------------------------------------------ */

/* Offset of member `i`'s array data from the archive's first byte, via a map. */
static void check_aligned(const char *path, size_t nstored, const char *const *names,
                          int want_aligned) {
  size_t len;
  uint8_t *buf = slurp(path, &len);
  npz_file *zm = NULL, *zf = NULL;
  CHECK_OK(npz_open_memory(buf, len, &zm));
  CHECK_OK(npz_open(path, &zf));
  int all_aligned = 1;
  for (size_t i = 0; i < nstored; i++) {
    current = names[i];
    npy_file *m = NULL, *f = NULL;
    CHECK_OK(npz_mmap_member(zm, names[i], &m));
    CHECK_OK(npz_mmap_member(zf, names[i], &f));
    const uint8_t *pm = (const uint8_t *)npy_data(m);
    const uint8_t *pf = (const uint8_t *)npy_data(f);
    CHECK(pm != NULL && pf != NULL && pm >= buf && pm < buf + len);
    size_t off = (size_t)(pm - buf);
    /* The map of the file shows the same bytes as the buffer at the same offset. */
    CHECK(npy_nbytes(m) == npy_nbytes(f));
    CHECK(memcmp(pm, pf, (size_t)npy_nbytes(m)) == 0);
    if (want_aligned) {
      CHECK(off % 64 == 0);
      CHECK((uintptr_t)pf % 64 == 0); /* maps start on a page, so the address is aligned too */
    }
    if (off % 64 != 0) all_aligned = 0;
    npy_close(m);
    npy_close(f);
  }
  if (!want_aligned) CHECK(!all_aligned); /* without the flag, offsets fall where they may */
  npz_close(zm);
  npz_close(zf);
  free(buf);
}

static void write_aligned(const char *path, uint32_t flags) {
  static const char *const names[6] = {"a", "bb", "ccc", "dddd", "eeeee", "ffffff"};
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open_ex(path, flags, 1, &w));
  npyio_dtype *u1 = parse_dtype("|u1");
  uint8_t bytes[200];
  for (int i = 0; i < 200; i++) bytes[i] = (uint8_t)(i * 7);
  for (int i = 0; i < 6; i++) {
    const uint64_t shape[1] = {(uint64_t)(i * 37 + 1)}; /* odd sizes shift the next member */
    current = names[i];
    CHECK_OK(npz_writer_add(w, names[i], u1, 1, shape, false, bytes, (size_t)shape[0],
                            NPYIO_STORED));
    if (i == 2) {
      const uint64_t s2[1] = {150};
      CHECK_OK(npz_writer_add(w, "deflated", u1, 1, s2, false, bytes, 150, NPYIO_DEFLATE));
    }
  }
  npyio_dtype_free(u1);
  stream_member(w, &S_STREAM, NPYIO_STORED, 13, 77);
  add_member(w, &STD[0], NPYIO_STORED);
  add_member(w, &STD[6], NPYIO_STORED); /* empty */
  CHECK_OK(npz_writer_finish(w));
}

static void test_align(void) {
  static const char *const names[9] = {"a",      "bb",       "ccc", "dddd", "eeeee",
                                       "ffffff", "s_stream", "f8",  "empty"};
  char path[512], plain[512];
  path_in(path, sizeof path, scratch, "aligned.npz");
  path_in(plain, sizeof plain, scratch, "plain.npz");
  write_aligned(path, NPYIO_NPZ_ALIGN | NPYIO_SAVE_FSYNC);
  write_aligned(plain, 0);
  check_aligned(path, 8, names, 1); /* "empty" maps no data; it is checked below */
  check_aligned(plain, 8, names, 0);

  /* Every member of the aligned archive reads back as usual. */
  npz_file *z = NULL;
  CHECK_OK(npz_open(path, &z));
  CHECK(npz_count(z) == 10);
  CHECK_STR(npz_name(z, 3), "deflated");
  CHECK(npz_member_compression(z, 3) == NPYIO_DEFLATE);
  npy_file *f = open_member(z, "f8");
  check_array(f, &STD[0]);
  npy_close(f);
  f = open_member(z, "s_stream");
  check_array(f, &S_STREAM);
  npy_close(f);
  f = open_member(z, "empty");
  check_array(f, &STD[6]);
  npy_close(f);
  CHECK_OK(npz_mmap_member(z, "empty", &f));
  CHECK(npy_data(f) != NULL && npy_nbytes(f) == 0);
  npy_close(f);
  f = open_member(z, "deflated");
  uint8_t got[150];
  CHECK_OK(npy_read_into(f, got, sizeof got, 0));
  for (int i = 0; i < 150; i++) CHECK(got[i] == (uint8_t)(i * 7));
  npy_close(f);
  npz_close(z);
}

/* The same compressible 1.6 MB member at levels 0, 1, 6 (default and explicit) and 9. */
static void test_levels(void) {
  const int levels[5] = {0, 1, -1, 6, 9};
  uint64_t csize[5];
  const size_t n = 200000;
  uint8_t *data = (uint8_t *)xmalloc(8 * n);
  for (size_t i = 0; i < n; i++) put_le(data + 8 * i, f64_bits((double)((i * 31) % 977) / 8), 8);
  npyio_dtype *dt = parse_dtype("<f8");
  const uint64_t shape[1] = {n};
  for (int k = 0; k < 5; k++) {
    char path[512], name[32];
    snprintf(name, sizeof name, "level%d.npz", levels[k]);
    current = name;
    path_in(path, sizeof path, scratch, name);
    npz_writer *w = NULL;
    if (levels[k] == -1)
      CHECK_OK(npz_writer_open(path, &w)); /* the default: NumPy's level 6 */
    else
      CHECK_OK(npz_writer_open_ex(path, 0, levels[k], &w));
    CHECK_OK(npz_writer_add(w, "x", dt, 1, shape, false, data, 8 * n, NPYIO_DEFLATE));
    CHECK_OK(npz_writer_add(w, "y", dt, 1, shape, false, data, 8 * n, NPYIO_STORED));
    CHECK_OK(npz_writer_finish(w));
    npz_file *z = NULL;
    CHECK_OK(npz_open(path, &z));
    CHECK(npz_member_compression(z, 0) == NPYIO_DEFLATE);
    CHECK(npz_member_compression(z, 1) == NPYIO_STORED);
    csize[k] = npz_member_compressed_size(z, 0);
    CHECK(npz_member_compressed_size(z, 1) == npz_member_size(z, 1));
    for (int m = 0; m < 2; m++) {
      npy_file *f = NULL;
      CHECK_OK(npz_open_member_at(z, (size_t)m, &f));
      uint8_t *got = (uint8_t *)xmalloc(8 * n);
      CHECK_OK(npy_read_into(f, got, 8 * n, 0));
      CHECK(memcmp(got, data, 8 * n) == 0);
      free(got);
      npy_close(f);
    }
    npz_close(z);
  }
  current = "levels";
  const uint64_t usize = 8 * n + 128;
  CHECK(csize[0] >= usize);            /* level 0: stored deflate blocks */
  CHECK(csize[1] < usize / 2);         /* level 1 compresses */
  CHECK(csize[2] == csize[3]);         /* -1 is level 6 */
  CHECK(csize[4] <= csize[3] && csize[3] <= csize[1]);
  npyio_dtype_free(dt);
  free(data);

  /* Bad options: nothing is created. */
  char path[512];
  path_in(path, sizeof path, scratch, "bad-options.npz");
  npz_writer *w = (npz_writer *)&w;
  npz_writer *const sentinel = w;
  CHECK_ST(npz_writer_open_ex(path, 0, 10, &w), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("10"));
  CHECK_ST(npz_writer_open_ex(path, 0, -2, &w), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npz_writer_open_ex(path, 8, -1, &w), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npz_writer_open_ex(path, 0x80000000u, 6, &w), NPYIO_ERR_INVALID_ARG);
  CHECK(w == sentinel);
  CHECK(!file_exists(path) && count_temp_files(scratch) == 0);
}

/* NPYIO_ZSTD members at several levels, added and streamed, read back; level errors. */
static void test_zstd(void) {
  const int levels[3] = {0, 1, 19};
  for (int k = 0; k < 3; k++) {
    char path[512], name[32];
    snprintf(name, sizeof name, "zstd%d.npz", levels[k]);
    current = name;
    path_in(path, sizeof path, scratch, name);
    npz_writer *w = NULL;
    CHECK_OK(npz_writer_open(path, &w));
    CHECK_OK(npz_writer_set_level(w, NPYIO_ZSTD, levels[k]));
    for (size_t i = 0; i < N_STD; i++) add_member(w, &STD[i], NPYIO_ZSTD);
    CHECK_OK(npz_writer_finish(w));
    npz_file *z = NULL;
    CHECK_OK(npz_open(path, &z));
    check_standard(z, NPYIO_ZSTD);
    npz_close(z);
  }
  current = "zstd streamed";
  char path[512];
  path_in(path, sizeof path, scratch, "zstd_stream.npz");
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open(path, &w));
  stream_member(w, &D_STREAM, NPYIO_ZSTD, 4096, 3u << 20);
  /* Level errors: the writer stays usable. */
  CHECK_ST(npz_writer_set_level(NULL, NPYIO_ZSTD, 3), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_set_level(w, NPYIO_ZSTD, 23), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("zstd level 23"));
  CHECK_ST(npz_writer_set_level(w, NPYIO_DEFLATE, 10), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npz_writer_set_level(w, NPYIO_STORED, 1), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("stored members have no level"));
  CHECK_ST(npz_writer_set_level(w, 12, 1), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("unknown compression 12"));
  CHECK_OK(npz_writer_set_level(w, NPYIO_DEFLATE, 1));
  add_member(w, &STD[0], NPYIO_DEFLATE);
  CHECK_OK(npz_writer_finish(w));
  npz_file *z = NULL;
  CHECK_OK(npz_open(path, &z));
  CHECK(npz_member_compression(z, 0) == NPYIO_ZSTD);
  CHECK(npz_member_compressed_size(z, 0) < npz_member_size(z, 0));
  npy_file *f = NULL;
  CHECK_OK(npz_open_member(z, D_STREAM.name, &f));
  check_array(f, &D_STREAM);
  npy_close(f);
  npz_close(z);
}

/* ---- streaming errors, discard, empty archives ----------------------------------------------- */

static void test_stream_errors(void) {
  char path[512];
  path_in(path, sizeof path, scratch, "short.npz");
  npyio_dtype *f8 = parse_dtype("<f8");
  const uint64_t shape4[1] = {4};
  const double four[4] = {1, 2, 3, 4};
  for (int c = 0; c < 2; c++) {
    const npyio_compression comp = c ? NPYIO_DEFLATE : NPYIO_STORED;
    current = c ? "too few bytes (deflate)" : "too few bytes (stored)";
    npz_writer *w = NULL;
    CHECK_OK(npz_writer_open(path, &w));
    add_member(w, &STD[0], comp);
    CHECK_OK(npz_writer_begin(w, "x", f8, 1, shape4, false, comp));
    CHECK_OK(npz_writer_write(w, four, 16));
    CHECK_ST(npz_writer_end(w), NPYIO_ERR_SIZE_MISMATCH);
    CHECK(last_error_has("16"));
    /* The writer now only accepts discard or a failing finish. */
    CHECK_ST(npz_writer_write(w, four + 2, 16), NPYIO_ERR_STATE);
    CHECK_ST(npz_writer_end(w), NPYIO_ERR_STATE);
    CHECK_ST(npz_writer_add(w, "y", f8, 1, shape4, false, four, 32, NPYIO_STORED), NPYIO_ERR_STATE);
    CHECK_ST(npz_writer_begin(w, "y", f8, 1, shape4, false, NPYIO_STORED), NPYIO_ERR_STATE);
    if (c == 0) {
      CHECK_ST(npz_writer_finish(w), NPYIO_ERR_SIZE_MISMATCH);
    } else {
      npz_writer_discard(w);
    }
    CHECK(!file_exists(path));
    CHECK(count_temp_files(scratch) == 0);
  }

  /* finish with a member still open: refused, nothing committed. */
  current = "finish with an open member";
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open(path, &w));
  CHECK_OK(npz_writer_begin(w, "x", f8, 1, shape4, false, NPYIO_DEFLATE));
  CHECK_OK(npz_writer_write(w, four, 32));
  CHECK_ST(npz_writer_finish(w), NPYIO_ERR_STATE);
  CHECK(!file_exists(path) && count_temp_files(scratch) == 0);

  /* A 0-d member streamed: one 8-byte write. */
  current = "streamed 0-d";
  CHECK_OK(npz_writer_open(path, &w));
  CHECK_OK(npz_writer_begin(w, "s", f8, 0, NULL, false, NPYIO_DEFLATE));
  CHECK_OK(npz_writer_write(w, four + 3, 8));
  CHECK_OK(npz_writer_end(w));
  CHECK_OK(npz_writer_finish(w));
  npz_file *z = NULL;
  CHECK_OK(npz_open(path, &z));
  npy_file *f = open_member(z, "s");
  double v = 0;
  CHECK(npy_ndim(f) == 0);
  CHECK_OK(npy_read_into(f, &v, 8, NPYIO_READ_NATIVE));
  CHECK(v == 4.0);
  npy_close(f);
  npz_close(z);
  npyio_dtype_free(f8);
}

static void test_discard_and_empty(void) {
  char path[512];
  path_in(path, sizeof path, scratch, "keep.npz");
  current = "discard";
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open(path, &w));
  add_member(w, &STD[1], NPYIO_DEFLATE);
  CHECK_OK(npz_writer_finish(w));
  size_t len0;
  uint8_t *before = slurp(path, &len0);

  /* Discard after members (stored, deflate, big) and mid-stream: the old archive is intact. */
  for (int mid_stream = 0; mid_stream < 2; mid_stream++) {
    CHECK_OK(npz_writer_open_ex(path, NPYIO_NPZ_ALIGN, 9, &w));
    add_member(w, &STD[0], NPYIO_STORED);
    add_member(w, &STD[7], NPYIO_DEFLATE);
    if (mid_stream) {
      npyio_dtype *dt = parse_dtype("<f8");
      CHECK_OK(npz_writer_begin(w, "partial", dt, 1, S_STREAM.shape, false, NPYIO_STORED));
      CHECK_OK(npz_writer_write(w, s_data, 80));
      npyio_dtype_free(dt);
    }
    CHECK(count_temp_files(scratch) == 1);
    npz_writer_discard(w);
    CHECK(count_temp_files(scratch) == 0);
    CHECK(same_bytes(path, before, len0));
  }
  npz_writer_discard(NULL);
  npz_close(NULL);

  /* A finish replaces it. */
  CHECK_OK(npz_writer_open(path, &w));
  add_member(w, &STD[4], NPYIO_STORED);
  CHECK_OK(npz_writer_finish(w));
  npz_file *z = NULL;
  CHECK_OK(npz_open(path, &z));
  CHECK(npz_count(z) == 1);
  CHECK_STR(npz_name(z, 0), "u");
  npz_close(z);
  free(before);

  /* No members: the 22-byte end record alone, as np.savez() writes. */
  current = "empty archive";
  path_in(path, sizeof path, scratch, "empty.npz");
  CHECK_OK(npz_writer_open(path, &w));
  CHECK_OK(npz_writer_finish(w));
  size_t elen;
  uint8_t *e = slurp(path, &elen);
  CHECK(elen == 22 && memcmp(e, "PK\x05\x06", 4) == 0);
  free(e);
  CHECK_OK(npz_open(path, &z));
  CHECK(npz_count(z) == 0);
  CHECK(npz_name(z, 0) == NULL);
  npy_file *f = NULL;
  CHECK_ST(npz_open_member(z, "x", &f), NPYIO_ERR_NOT_FOUND);
  CHECK_ST(npz_open_member_at(z, 0, &f), NPYIO_ERR_INVALID_ARG);
  npz_close(z);
}

/* ---- zips assembled by hand: raw members, damage, unsupported methods ------------------------ */

typedef struct {
  const char *name;
  uint16_t method;
  const uint8_t *data;
  size_t len;
  uint32_t crc; /* as written in both headers */
} zip_entry;

/* A plain zip (no zip64, no extras) of the entries, in a malloc'd buffer. */
static uint8_t *build_zip(const zip_entry *e, size_t n, size_t *out_len) {
  size_t cap = 22;
  for (size_t i = 0; i < n; i++) cap += 30 + 46 + 2 * strlen(e[i].name) + e[i].len;
  uint8_t *z = (uint8_t *)xmalloc(cap);
  size_t pos = 0;
  uint32_t *offs = (uint32_t *)xmalloc(n * sizeof *offs + 1);
  for (size_t i = 0; i < n; i++) {
    size_t nl = strlen(e[i].name);
    offs[i] = (uint32_t)pos;
    uint8_t *h = z + pos;
    put_le(h, 0x04034b50, 4);
    put_le(h + 4, 20, 2);
    put_le(h + 6, 0, 2);
    put_le(h + 8, e[i].method, 2);
    put_le(h + 10, 0, 2);
    put_le(h + 12, (1 << 5) | 1, 2);
    put_le(h + 14, e[i].crc, 4);
    put_le(h + 18, e[i].len, 4);
    put_le(h + 22, e[i].len, 4);
    put_le(h + 26, nl, 2);
    put_le(h + 28, 0, 2);
    memcpy(h + 30, e[i].name, nl);
    if (e[i].len) memcpy(h + 30 + nl, e[i].data, e[i].len);
    pos += 30 + nl + e[i].len;
  }
  size_t cd = pos;
  for (size_t i = 0; i < n; i++) {
    size_t nl = strlen(e[i].name);
    uint8_t *h = z + pos;
    memset(h, 0, 46);
    put_le(h, 0x02014b50, 4);
    put_le(h + 4, 20 | (3 << 8), 2);
    put_le(h + 6, 20, 2);
    put_le(h + 10, e[i].method, 2);
    put_le(h + 14, (1 << 5) | 1, 2);
    put_le(h + 16, e[i].crc, 4);
    put_le(h + 20, e[i].len, 4);
    put_le(h + 24, e[i].len, 4);
    put_le(h + 28, nl, 2);
    put_le(h + 38, (uint64_t)0600 << 16, 4);
    put_le(h + 42, offs[i], 4);
    memcpy(h + 46, e[i].name, nl);
    pos += 46 + nl;
  }
  uint8_t *h = z + pos;
  memset(h, 0, 22);
  put_le(h, 0x06054b50, 4);
  put_le(h + 8, n, 2);
  put_le(h + 10, n, 2);
  put_le(h + 12, pos - cd, 4);
  put_le(h + 16, cd, 4);
  pos += 22;
  free(offs);
  *out_len = pos;
  return z;
}

static void test_handmade_zips(void) {
  char npy_path[512], zpath[512];
  path_in(npy_path, sizeof npy_path, scratch, "f8.npy"); /* written by test_mixed */
  path_in(zpath, sizeof zpath, scratch, "handmade.npz");
  size_t nlen;
  uint8_t *npy = slurp(npy_path, &nlen);
  static const char notes[] = "libnpyio: this member is not a .npy file\n";
  const uint8_t *nb = (const uint8_t *)notes;
  const size_t notes_len = sizeof notes - 1;

  /* A raw member next to an .npy member. */
  current = "raw member";
  zip_entry good[2] = {
      {"notes.txt", 0, nb, notes_len, crc32_of(nb, notes_len)},
      {"arr.npy", 0, npy, nlen, crc32_of(npy, nlen)},
  };
  size_t zlen;
  uint8_t *zb = build_zip(good, 2, &zlen);
  spit(zpath, zb, zlen);
  for (int from_memory = 0; from_memory < 2; from_memory++) {
    npz_file *z = NULL;
    if (from_memory)
      CHECK_OK(npz_open_memory(zb, zlen, &z));
    else
      CHECK_OK(npz_open(zpath, &z));
    CHECK(npz_count(z) == 2);
    CHECK_STR(npz_name(z, 0), "notes.txt"); /* keys drop only a ".npy" suffix */
    CHECK_STR(npz_name(z, 1), "arr");
    CHECK(npz_member_size(z, 0) == notes_len && npz_member_compressed_size(z, 0) == notes_len);
    CHECK(npz_member_compression(z, 0) == NPYIO_STORED);
    npy_file *f = NULL;
    CHECK_ST(npz_open_member(z, "notes.txt", &f), NPYIO_ERR_BAD_MAGIC);
    CHECK(last_error_has("npz_read_raw") && !last_error_has("NpzFile::"));
    CHECK_ST(npz_open_member_at(z, 0, &f), NPYIO_ERR_BAD_MAGIC);
    CHECK_ST(npz_mmap_member(z, "notes.txt", &f), NPYIO_ERR_BAD_MAGIC);
    char text[sizeof notes + 4];
    memset(text, 0, sizeof text);
    CHECK_OK(npz_read_raw(z, "notes.txt", text, notes_len));
    CHECK(memcmp(text, notes, notes_len) == 0 && text[notes_len] == 0);
    CHECK_ST(npz_read_raw(z, "notes.txt", text, notes_len - 1), NPYIO_ERR_BUFFER_TOO_SMALL);
    CHECK_ST(npz_read_raw(z, "notes", text, sizeof text), NPYIO_ERR_NOT_FOUND);
    f = open_member(z, "arr");
    check_array(f, &STD[0]);
    npy_close(f);
    CHECK_OK(npz_mmap_member(z, "arr.npy", &f));
    check_array(f, &STD[0]);
    npy_close(f);
    npz_close(z);
  }
  free(zb);

  /* Damage: wrong CRCs are found by reads that reach a member's end, and only by those. */
  current = "damaged members";
  uint8_t *bad_npy = (uint8_t *)xmalloc(nlen);
  memcpy(bad_npy, npy, nlen);
  bad_npy[nlen - 1] ^= 0x40; /* last data byte; the CRC is the original's */
  zip_entry damaged[2] = {
      {"notes.txt", 0, nb, notes_len, crc32_of(nb, notes_len) ^ 1},
      {"arr.npy", 0, bad_npy, nlen, crc32_of(npy, nlen)},
  };
  zb = build_zip(damaged, 2, &zlen);
  spit(zpath, zb, zlen);
  for (int from_memory = 0; from_memory < 2; from_memory++) {
    npz_file *z = NULL;
    if (from_memory)
      CHECK_OK(npz_open_memory(zb, zlen, &z));
    else
      CHECK_OK(npz_open(zpath, &z));
    char text[sizeof notes];
    CHECK_ST(npz_read_raw(z, "notes.txt", text, sizeof text), NPYIO_ERR_CRC);
    npy_file *f = open_member(z, "arr"); /* the header is fine */
    uint8_t buf[96];
    CHECK_OK(npy_read_rows(f, 0, 1, buf, 32, 0)); /* does not reach the end: no check */
    CHECK(memcmp(buf, f8_data, 32) == 0);
    CHECK_ST(npy_read_rows(f, 2, 1, buf, 32, 0), NPYIO_ERR_CRC);
    CHECK_ST(npy_read_into(f, buf, sizeof buf, 0), NPYIO_ERR_CRC);
    CHECK(last_error_has("CRC"));
    npy_close(f);
    /* A map does not read the member, so it opens, zero-copy, damage and all; npz_mmap_member
     * promises no CRC check (npz_open_member above is the verified read). */
    CHECK_OK(npz_mmap_member(z, "arr", &f));
    CHECK(memcmp(npy_data(f), bad_npy + nlen - 96, 96) == 0);
    npy_close(f);
    npz_close(z);
  }
  free(zb);
  free(bad_npy);

  /* Deflate64: listed, not opened. bzip2 (12) is read: stored bytes labelled bzip2 are a
   * corrupt stream. */
  current = "unsupported method";
  zip_entry bz[3] = {
      {"d64.npy", 9, npy, nlen, crc32_of(npy, nlen)},
      {"ok.npy", 0, npy, nlen, crc32_of(npy, nlen)},
      {"bz.npy", 12, npy, nlen, crc32_of(npy, nlen)},
  };
  zb = build_zip(bz, 3, &zlen);
  npz_file *z = NULL;
  CHECK_OK(npz_open_memory(zb, zlen, &z));
  CHECK(npz_member_compression(z, 0) == 9);
  CHECK(npz_member_compression(z, 2) == 12);
  npy_file *f = NULL;
  CHECK_ST(npz_open_member(z, "d64", &f), NPYIO_ERR_UNSUPPORTED);
  CHECK(last_error_has("deflate64"));
  CHECK_ST(npz_mmap_member(z, "d64", &f), NPYIO_ERR_UNSUPPORTED);
  uint8_t *raw = (uint8_t *)xmalloc(nlen);
  CHECK_ST(npz_read_raw(z, "d64", raw, nlen), NPYIO_ERR_UNSUPPORTED);
  CHECK_OK(npz_read_raw(z, "ok", raw, nlen));
  CHECK(memcmp(raw, npy, nlen) == 0);
  CHECK_ST(npz_open_member(z, "bz", &f), NPYIO_ERR_ZIP);
  CHECK(last_error_has("member 'bz.npy': corrupt bzip2 stream"));
  CHECK_ST(npz_mmap_member(z, "bz", &f), NPYIO_ERR_NOT_MAPPABLE);
  free(raw);
  npz_close(z);
  free(zb);

  /* Duplicate names are refused at open. */
  current = "duplicate names";
  zip_entry dup[2] = {
      {"x.npy", 0, npy, nlen, crc32_of(npy, nlen)},
      {"x.npy", 0, npy, nlen, crc32_of(npy, nlen)},
  };
  zb = build_zip(dup, 2, &zlen);
  z = (npz_file *)&z;
  npz_file *const sentinel = z;
  CHECK_ST(npz_open_memory(zb, zlen, &z), NPYIO_ERR_ZIP);
  CHECK(z == sentinel);
  free(zb);

  /* Limits, read when an archive (or member) is opened. */
  current = "limits";
  zb = build_zip(good, 2, &zlen);
  CHECK_OK(npyio_set_limit(NPYIO_LIMIT_NPZ_MEMBERS, 1));
  CHECK_ST(npz_open_memory(zb, zlen, &z), NPYIO_ERR_LIMIT);
  CHECK(last_error_has("(npyio_set_limit(NPYIO_LIMIT_NPZ_MEMBERS, ...) raises it)"));
  CHECK_OK(npyio_set_limit(NPYIO_LIMIT_NPZ_MEMBERS, 2));
  CHECK_OK(npz_open_memory(zb, zlen, &z));
  npz_close(z);
  CHECK_OK(npyio_set_limit(NPYIO_LIMIT_NPZ_MEMBERS, 0));
  CHECK_OK(npyio_set_limit(NPYIO_LIMIT_NPZ_MEMBER_SIZE, 64));
  CHECK_OK(npz_open_memory(zb, zlen, &z));
  CHECK_ST(npz_open_member(z, "arr", &f), NPYIO_ERR_LIMIT);
  CHECK(last_error_has("(npyio_set_limit(NPYIO_LIMIT_NPZ_MEMBER_SIZE, ...) raises it)"));
  CHECK_OK(npz_read_raw(z, "notes.txt", raw = (uint8_t *)xmalloc(64), 64)); /* 41 bytes: fine */
  free(raw);
  npz_close(z);
  CHECK_OK(npyio_set_limit(NPYIO_LIMIT_NPZ_MEMBER_SIZE, 0));

  /* Not zips: truncated, empty, an .npy file, a missing file. */
  current = "not a zip";
  z = sentinel;
  CHECK_ST(npz_open_memory(zb, zlen - 1, &z), NPYIO_ERR_ZIP);
  CHECK_ST(npz_open_memory(zb, 0, &z), NPYIO_ERR_ZIP);
  CHECK_ST(npz_open_memory(NULL, 0, &z), NPYIO_ERR_ZIP);
  CHECK_ST(npz_open_memory(npy, nlen, &z), NPYIO_ERR_ZIP);
  CHECK_ST(npz_open(npy_path, &z), NPYIO_ERR_ZIP);
  CHECK(last_error_has("f8.npy"));
  char missing[512];
  path_in(missing, sizeof missing, scratch, "missing.npz");
  CHECK_ST(npz_open(missing, &z), NPYIO_ERR_NOT_FOUND);
  CHECK(z == sentinel);
  free(zb);
  free(npy);
}

/* ---- NULL arguments ------------------------------------------------------------------------- */

static void test_null_args(void) {
  current = "NULL arguments";
  char path[512], out[512];
  path_in(path, sizeof path, scratch, "mixed.npz");
  path_in(out, sizeof out, scratch, "null.npz");
  npz_file *z = NULL;
  CHECK_OK(npz_open(path, &z));
  size_t len;
  uint8_t *buf = slurp(path, &len);

  npz_file *zs = (npz_file *)&zs;
  npz_file *const zsent = zs;
  CHECK_ST(npz_open(NULL, &zs), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_open(path, NULL), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_open_memory(NULL, 10, &zs), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_open_memory(buf, len, NULL), NPYIO_ERR_NULL_ARG);
  CHECK(zs == zsent);

  CHECK(npz_count(NULL) == 0);
  CHECK(npz_name(NULL, 0) == NULL);
  CHECK(npz_member_size(NULL, 0) == 0);
  CHECK(npz_member_compressed_size(NULL, 0) == 0);
  CHECK(npz_member_compression(NULL, 0) == -1);

  npy_file *f = (npy_file *)&f;
  npy_file *const fsent = f;
  CHECK_ST(npz_open_member(NULL, "f8", &f), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_open_member(z, NULL, &f), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_open_member(z, "f8", NULL), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_open_member_at(NULL, 0, &f), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_open_member_at(z, 0, NULL), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_mmap_member(NULL, "f8", &f), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_mmap_member(z, NULL, &f), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_mmap_member(z, "f8", NULL), NPYIO_ERR_NULL_ARG);
  CHECK(f == fsent);
  uint8_t raw[512];
  CHECK_ST(npz_read_raw(NULL, "f8", raw, sizeof raw), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_read_raw(z, NULL, raw, sizeof raw), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_read_raw(z, "f8", NULL, sizeof raw), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_read_raw(z, "f8", NULL, 0), NPYIO_ERR_BUFFER_TOO_SMALL);

  npz_writer *w = (npz_writer *)&w;
  npz_writer *const wsent = w;
  CHECK_ST(npz_writer_open(NULL, &w), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_open(out, NULL), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_open_ex(NULL, 0, -1, &w), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_open_ex(out, 0, -1, NULL), NPYIO_ERR_NULL_ARG);
  CHECK(w == wsent);
  CHECK(!file_exists(out) && count_temp_files(scratch) == 0);

  CHECK_OK(npz_writer_open(out, &w));
  npyio_dtype *dt = parse_dtype("<f8");
  const uint64_t shape[1] = {2};
  const double two[2] = {1, 2};
  CHECK_ST(npz_writer_add(NULL, "x", dt, 1, shape, false, two, 16, NPYIO_STORED),
           NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_add(w, NULL, dt, 1, shape, false, two, 16, NPYIO_STORED), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_add(w, "x", NULL, 1, shape, false, two, 16, NPYIO_STORED),
           NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_add(w, "x", dt, 1, NULL, false, two, 16, NPYIO_STORED), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_add(w, "x", dt, 1, shape, false, NULL, 16, NPYIO_STORED),
           NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_begin(NULL, "x", dt, 1, shape, false, NPYIO_STORED), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_begin(w, NULL, dt, 1, shape, false, NPYIO_STORED), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_begin(w, "x", NULL, 1, shape, false, NPYIO_STORED), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_begin(w, "x", dt, 1, NULL, false, NPYIO_STORED), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_write(NULL, two, 16), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_end(NULL), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_finish(NULL), NPYIO_ERR_NULL_ARG);
  /* After all that the writer still works: NULL data is fine for an empty member. */
  CHECK_OK(npz_writer_begin(w, "x", dt, 1, shape, false, NPYIO_STORED));
  CHECK_ST(npz_writer_write(w, NULL, 16), NPYIO_ERR_NULL_ARG);
  CHECK_OK(npz_writer_write(w, two, 16));
  CHECK_OK(npz_writer_end(w));
  const uint64_t zero[1] = {0};
  CHECK_OK(npz_writer_add(w, "e", dt, 1, zero, false, NULL, 0, NPYIO_DEFLATE));
  CHECK_OK(npz_writer_add(w, "s", dt, 0, NULL, false, two, 8, NPYIO_STORED));
  CHECK_OK(npz_writer_finish(w));
  npyio_dtype_free(dt);
  npz_writer_discard(NULL);
  npz_close(NULL);

  CHECK_OK(npz_open(out, &zs));
  CHECK(npz_count(zs) == 3);
  npz_close(zs);
  npz_close(z);
  free(buf);
}

/* A map of a stored member is read-only: npy_data_mut is NULL ("npz_mmap_member: npy_data_mut is
 * NULL"; npy_data_mut: "NULL for every other array"), also when the array is empty.
 * libnpyio 0.1.0 returns a non-NULL pointer for zero-byte maps of a file. */
static void test_empty_map_is_read_only(void) {
  current = "empty member mapped read-only";
  char path[512];
  path_in(path, sizeof path, scratch, "mixed.npz");
  npz_file *z = NULL;
  CHECK_OK(npz_open(path, &z));
  npy_file *f = NULL;
  CHECK_OK(npz_mmap_member(z, "empty", &f));
  CHECK(npy_nbytes(f) == 0 && npy_data(f) != NULL);
  CHECK(npy_data_mut(f) == NULL);
  npy_close(f);
  npz_close(z);
}

/* ---- interop with NumPy ---------------------------------------------------------------------- */

/* np.savez(..., **standard, then positional arr_0, arr_1) and friends (npz_interop.py gen). */
static void read_numpy_archives(const char *dir) {
  static const char *const keys[10] = {"f8",     "i4be",  "rec", "fort",  "u",
                                       "zero_d", "empty", "big", "arr_0", "arr_1"};
  static const char *const files[4] = {"py_savez.npz", "py_compressed.npz", "py_stream.npz",
                                       "py_stream_stored.npz"};
  static const npyio_compression comps[4] = {NPYIO_STORED, NPYIO_DEFLATE, NPYIO_DEFLATE,
                                             NPYIO_STORED};
  char path[1024];
  for (int k = 0; k < 4; k++) {
    path_in(path, sizeof path, dir, files[k]);
    current = files[k];
    for (int from_memory = 0; from_memory < 2; from_memory++) {
      npz_file *z = NULL;
      size_t len = 0;
      uint8_t *buf = NULL;
      if (from_memory) {
        buf = slurp(path, &len);
        CHECK_OK(npz_open_memory(buf, len, &z));
      } else {
        CHECK_OK(npz_open(path, &z));
      }
      current = files[k];
      CHECK(npz_count(z) == 10);
      for (size_t i = 0; i < 10; i++) {
        CHECK_STR(npz_name(z, i), keys[i]);
        CHECK(npz_member_compression(z, i) == comps[k]);
      }
      check_standard(z, comps[k]);
      /* arr_0 = np.arange(5, dtype='<i8'), arr_1 = np.array([True, False]) */
      npy_file *f = open_member(z, "arr_0");
      int64_t a0[5];
      CHECK_OK(npy_read_into(f, a0, sizeof a0, NPYIO_READ_NATIVE));
      for (int i = 0; i < 5; i++) CHECK(a0[i] == i);
      npy_close(f);
      f = open_member(z, "arr_1.npy");
      uint8_t a1[2];
      CHECK_STR(npyio_dtype_descr(npy_dtype(f)), "'|b1'");
      CHECK_OK(npy_read_into(f, a1, 2, 0));
      CHECK(a1[0] == 1 && a1[1] == 0);
      npy_close(f);
      if (comps[k] == NPYIO_STORED) {
        /* Stored members map; np.savez's "f8" member is np.save's file. */
        CHECK_OK(npz_mmap_member(z, "big", &f));
        CHECK(memcmp(npy_data(f), big_data, STD[7].len) == 0);
        npy_close(f);
        char npy_path[1024];
        path_in(npy_path, sizeof npy_path, dir, "py_f8.npy");
        size_t nlen;
        uint8_t *npy = slurp(npy_path, &nlen);
        uint8_t *raw = (uint8_t *)xmalloc(nlen);
        CHECK(npz_member_size(z, 0) == nlen);
        CHECK_OK(npz_read_raw(z, "f8", raw, nlen));
        CHECK(memcmp(raw, npy, nlen) == 0);
        free(raw);
        free(npy);
      } else {
        CHECK_ST(npz_mmap_member(z, "big", &f), NPYIO_ERR_NOT_MAPPABLE);
      }
      npz_close(z);
      free(buf);
    }
  }

  /* zipfile: a deflate member that is not an .npy file, next to one that is. */
  path_in(path, sizeof path, dir, "py_raw.npz");
  current = "py_raw.npz";
  npz_file *z = NULL;
  CHECK_OK(npz_open(path, &z));
  CHECK(npz_count(z) == 2);
  CHECK_STR(npz_name(z, 0), "notes.txt");
  CHECK_STR(npz_name(z, 1), "x");
  CHECK(npz_member_compression(z, 0) == NPYIO_DEFLATE);
  static const char text[] = "written by zipfile, not np.save\n";
  char got[sizeof text];
  CHECK(npz_member_size(z, 0) == sizeof text - 1);
  CHECK_OK(npz_read_raw(z, "notes.txt", got, sizeof text - 1));
  CHECK(memcmp(got, text, sizeof text - 1) == 0);
  npy_file *f = NULL;
  CHECK_ST(npz_open_member(z, "notes.txt", &f), NPYIO_ERR_BAD_MAGIC);
  f = open_member(z, "x");
  check_array(f, &STD[0]);
  npy_close(f);
  npz_close(z);

  /* np.savez() with no arrays. */
  path_in(path, sizeof path, dir, "py_empty.npz");
  current = "py_empty.npz";
  CHECK_OK(npz_open(path, &z));
  CHECK(npz_count(z) == 0);
  npz_close(z);
}

/* Archives for npz_interop.py check (values defined there too). */
static void write_for_numpy(const char *dir) {
  char path[1024];
  npz_writer *w = NULL;

  /* c_stored.npz: the standard members, stored, in np.savez's order: byte-identical. */
  path_in(path, sizeof path, dir, "c_stored.npz");
  CHECK_OK(npz_writer_open(path, &w));
  for (size_t i = 0; i < N_STD; i++) add_member(w, &STD[i], NPYIO_STORED);
  CHECK_OK(npz_writer_finish(w));

  /* c_deflate.npz: the same, deflate at the default level, and both streamed members. */
  path_in(path, sizeof path, dir, "c_deflate.npz");
  CHECK_OK(npz_writer_open_ex(path, 0, -1, &w));
  for (size_t i = 0; i < N_STD; i++) add_member(w, &STD[i], NPYIO_DEFLATE);
  stream_member(w, &S_STREAM, NPYIO_DEFLATE, 8, 800);
  stream_member(w, &D_STREAM, NPYIO_DEFLATE, 4096, 3u << 20);
  CHECK_OK(npz_writer_finish(w));

  /* c_aligned.npz: NPYIO_NPZ_ALIGN, stored and deflate mixed, streamed stored members. */
  path_in(path, sizeof path, dir, "c_aligned.npz");
  CHECK_OK(npz_writer_open_ex(path, NPYIO_NPZ_ALIGN, -1, &w));
  for (size_t i = 0; i < N_STD; i++) add_member(w, &STD[i], MIXED_C[i]);
  stream_member(w, &S_STREAM, NPYIO_STORED, 8, 800);
  stream_member(w, &D_STREAM, NPYIO_STORED, 4096, 3u << 20);
  CHECK_OK(npz_writer_finish(w));

  /* c_level1.npz and c_level9.npz: the standard members, deflate. */
  const int levels[2] = {1, 9};
  for (int k = 0; k < 2; k++) {
    char name[32];
    snprintf(name, sizeof name, "c_level%d.npz", levels[k]);
    path_in(path, sizeof path, dir, name);
    CHECK_OK(npz_writer_open_ex(path, 0, levels[k], &w));
    for (size_t i = 0; i < N_STD; i++) add_member(w, &STD[i], NPYIO_DEFLATE);
    CHECK_OK(npz_writer_finish(w));
  }
}

static int interop_main(const char *numpy_dir, const char *out_root) {
  read_numpy_archives(numpy_dir);
  char out_dir[1024];
  current = out_root;
  const char *lang = make_lang_dir(out_dir, sizeof out_dir, out_root);
  write_for_numpy(out_dir);
  printf("test_npz interop (%s): read NumPy's archives in %s, wrote %s\n", lang, numpy_dir,
         out_dir);
  return 0;
}

/* ---- main ----------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
  init_data();
  if (argc == 4 && strcmp(argv[1], "interop") == 0) return interop_main(argv[2], argv[3]);
  if (argc != 1) {
    fprintf(stderr, "usage: %s [interop <numpy_dir> <out_root>]\n", argv[0]);
    return 2;
  }

  scratch_create("npyio-test-npz");

  const size_t nfn = sizeof exercised_functions / sizeof exercised_functions[0];
  check_exercised(exercised_functions, nfn);

  test_mixed();
  test_members_outlive_archive();
  test_align();
  test_levels();
  test_zstd();
  test_stream_errors();
  test_discard_and_empty();
  test_handmade_zips();
  test_null_args();
  test_empty_map_is_read_only();

  current = "end";
  CHECK(count_temp_files(scratch) == 0);
  scratch_remove();
  free(big_data);
  free(d_data);
  free(s_data);
  printf("test_npz: all checks passed (%zu functions exercised)\n", nfn);
  return 0;
}
