/*
 * test_rows.c -- rows written by position and appended, from C: npy_create, npy_open_rw and
 * npy_write_rows from several threads (pthreads) and several processes (fork) on disjoint slabs,
 * in C and Fortran order; npy_append_rows in place and past format 1.0's growth room; the slab
 * arithmetic of npy_data_offset and npy_row_nbytes checked against the file's bytes.
 *
 *   test_rows <output directory>
 *
 * The files are written to <output directory>/c (or /cxx when compiled as C++), where
 * tests/c/rows_check.py has NumPy load and compare them. Errors of every kind are in
 * test_misuse.c.
 */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "npyio.h"
#include "check.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* BEGIN EXERCISED FUNCTIONS (parsed by check_coverage.py: one FN(name) per function) */
static const exercised_fn exercised_functions[] = {
  FN(npy_create),
  FN(npy_open_rw),
  FN(npy_write_rows),
  FN(npy_append_rows),
};
/* END EXERCISED FUNCTIONS */

static char out_dir[400];

static void out_path(char *buf, size_t cap, const char *name) {
  int n = snprintf(buf, cap, "%s/%s", out_dir, name);
  CHECK(n > 0 && (size_t)n < cap);
}

/* ---- C order from threads: (1000, 5) '<f8', element k = k * 0.25 ---------------------------- */

#define C_ROWS 1000
#define C_COLS 5
#define SLAB 7

static void c_slab(uint64_t first, uint64_t count, double *buf) {
  for (uint64_t k = 0; k < count * C_COLS; k++) buf[k] = (double)(first * C_COLS + k) * 0.25;
}

typedef struct {
  npy_file *f;
  int index, threads;
  npyio_status st;
} writer_arg;

static void *c_writer(void *p) {
  writer_arg *a = (writer_arg *)p;
  double buf[SLAB * C_COLS];
  a->st = NPYIO_OK;
  for (uint64_t first = (uint64_t)a->index * SLAB; first < C_ROWS;
       first += (uint64_t)a->threads * SLAB) {
    uint64_t count = C_ROWS - first < SLAB ? C_ROWS - first : SLAB;
    c_slab(first, count, buf);
    npyio_status st = npy_write_rows(a->f, first, count, buf, count * C_COLS * sizeof(double));
    if (st != NPYIO_OK) a->st = st;
  }
  return NULL;
}

static void c_order_threads(void) {
  current = "C order, 4 threads";
  char p[500];
  out_path(p, sizeof p, "c_threads.npy");
  npyio_dtype *f8 = NULL;
  CHECK_OK(npyio_dtype_parse("<f8", &f8));
  const uint64_t shape[2] = {C_ROWS, C_COLS};
  npy_file *f = NULL;
  CHECK_OK(npy_create(p, f8, 2, shape, false, &f));
  CHECK(npy_row_nbytes(f) == C_COLS * 8);
  CHECK(npy_data_offset(f) == 128);
  pthread_t t[4];
  writer_arg a[4];
  for (int i = 0; i < 4; i++) {
    a[i].f = f;
    a[i].index = i;
    a[i].threads = 4;
    CHECK(pthread_create(&t[i], NULL, c_writer, &a[i]) == 0);
  }
  for (int i = 0; i < 4; i++) {
    CHECK(pthread_join(t[i], NULL) == 0);
    CHECK_OK(a[i].st);
  }
  CHECK_OK(npy_flush(f));
  /* The handle reads what was written. */
  double got[3 * C_COLS], want[3 * C_COLS];
  CHECK_OK(npy_read_rows(f, 500, 3, got, sizeof got, 0));
  c_slab(500, 3, want);
  CHECK(memcmp(got, want, sizeof got) == 0);
  npy_close(f);
  /* Slab arithmetic: rows 321..323 are at data_offset + 321 * row_nbytes in the file. */
  CHECK_OK(npy_open(p, &f));
  uint64_t off = npy_data_offset(f) + 321 * npy_row_nbytes(f);
  npy_close(f);
  FILE *fp = fopen(p, "rb");
  CHECK(fp != NULL && fseek(fp, (long)off, SEEK_SET) == 0);
  CHECK(fread(got, 1, sizeof got, fp) == sizeof got);
  fclose(fp);
  c_slab(321, 3, want);
  CHECK(memcmp(got, want, sizeof got) == 0);
  npyio_dtype_free(f8);
}

/* ---- C order from processes: (800, 3) '<i4', element k = k - 1000 ------------------------- */

#define P_ROWS 800
#define P_PROCS 4

static void process_slabs(void) {
  current = "C order, 4 processes";
  char p[500];
  out_path(p, sizeof p, "c_procs.npy");
  npyio_dtype *i4 = NULL;
  CHECK_OK(npyio_dtype_parse("<i4", &i4));
  const uint64_t shape[2] = {P_ROWS, 3};
  npy_file *f = NULL;
  CHECK_OK(npy_create(p, i4, 2, shape, false, &f));
  npy_close(f);
  npyio_dtype_free(i4);
  fflush(NULL);
  pid_t kids[P_PROCS];
  for (int k = 0; k < P_PROCS; k++) {
    kids[k] = fork();
    CHECK(kids[k] >= 0);
    if (kids[k] == 0) {
      check_in_child = 1;
      npy_file *w = NULL;
      CHECK_OK(npy_open_rw(p, &w));
      /* Each process has rows [k*200, (k+1)*200), written 9 at a time. */
      uint64_t lo = (uint64_t)k * (P_ROWS / P_PROCS), hi = lo + P_ROWS / P_PROCS;
      for (uint64_t first = lo; first < hi; first += 9) {
        uint64_t count = hi - first < 9 ? hi - first : 9;
        int32_t buf[9 * 3];
        for (uint64_t e = 0; e < count * 3; e++) buf[e] = (int32_t)(first * 3 + e) - 1000;
        CHECK_OK(npy_write_rows(w, first, count, buf, count * 3 * sizeof(int32_t)));
      }
      CHECK_OK(npy_flush(w));
      npy_close(w);
      _exit(0);
    }
  }
  for (int k = 0; k < P_PROCS; k++) {
    int status = 0;
    CHECK(waitpid(kids[k], &status, 0) == kids[k]);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  CHECK_OK(npy_open(p, &f));
  int32_t row[3];
  CHECK_OK(npy_read_rows(f, 799, 1, row, sizeof row, NPYIO_READ_NATIVE));
  CHECK(row[0] == 799 * 3 - 1000 && row[2] == 799 * 3 + 2 - 1000);
  npy_close(f);
}

/* ---- Fortran order from threads: (30, 4) '>i2', element (i, j) = i * 100 + j --------------- */

#define F_ROWS 30
#define F_COLS 4

/* Rows first..first+count in Fortran order (the first index fastest), big-endian. */
static void f_slab(uint64_t first, uint64_t count, uint8_t *buf) {
  size_t n = 0;
  for (uint64_t j = 0; j < F_COLS; j++)
    for (uint64_t i = first; i < first + count; i++) {
      unsigned v = (unsigned)(i * 100 + j);
      buf[n++] = (uint8_t)(v >> 8);
      buf[n++] = (uint8_t)(v & 0xff);
    }
}

static void *f_writer(void *p) {
  writer_arg *a = (writer_arg *)p;
  uint8_t buf[4 * F_COLS * 2];
  a->st = NPYIO_OK;
  for (uint64_t first = (uint64_t)a->index * 4; first < F_ROWS; first += (uint64_t)a->threads * 4) {
    uint64_t count = F_ROWS - first < 4 ? F_ROWS - first : 4;
    f_slab(first, count, buf);
    npyio_status st = npy_write_rows(a->f, first, count, buf, count * F_COLS * 2);
    if (st != NPYIO_OK) a->st = st;
  }
  return NULL;
}

static void fortran_threads(void) {
  current = "Fortran order, 3 threads";
  char p[500];
  out_path(p, sizeof p, "f_threads.npy");
  npyio_dtype *i2 = NULL;
  CHECK_OK(npyio_dtype_parse(">i2", &i2));
  const uint64_t shape[2] = {F_ROWS, F_COLS};
  npy_file *f = NULL;
  CHECK_OK(npy_create(p, i2, 2, shape, true, &f));
  CHECK(npy_fortran_order(f));
  npy_close(f);
  CHECK_OK(npy_open_rw(p, &f)); /* the writers share a handle from npy_open_rw */
  pthread_t t[3];
  writer_arg a[3];
  for (int i = 0; i < 3; i++) {
    a[i].f = f;
    a[i].index = i;
    a[i].threads = 3;
    CHECK(pthread_create(&t[i], NULL, f_writer, &a[i]) == 0);
  }
  for (int i = 0; i < 3; i++) {
    CHECK(pthread_join(t[i], NULL) == 0);
    CHECK_OK(a[i].st);
  }
  uint8_t got[2 * F_COLS * 2], want[2 * F_COLS * 2];
  CHECK_OK(npy_read_rows(f, 11, 2, got, sizeof got, 0)); /* Fortran order, as written */
  f_slab(11, 2, want);
  CHECK(memcmp(got, want, sizeof got) == 0);
  npy_close(f);
  npyio_dtype_free(i2);
}

/* ---- appends: (2, 3) '<i8' grows to (1006, 3), element k = k ------------------------------ */

static void appends(void) {
  current = "npy_append_rows";
  char p[500];
  out_path(p, sizeof p, "appended.npy");
  npyio_dtype *i8 = NULL;
  CHECK_OK(npyio_dtype_parse("<i8", &i8));
  static int64_t v[1006 * 3];
  for (int k = 0; k < 1006 * 3; k++) v[k] = k;
  const uint64_t shape[2] = {2, 3};
  CHECK_OK(npy_save(p, i8, 2, shape, false, v, 6 * sizeof(int64_t)));
  CHECK_OK(npy_append_rows(p, v + 6, 3 * sizeof(int64_t)));
  CHECK_OK(npy_append_rows(p, v + 9, 9 * sizeof(int64_t)));
  CHECK_OK(npy_append_rows(p, v + 18, 1000 * 3 * sizeof(int64_t)));
  npy_file *f = NULL;
  CHECK_OK(npy_open(p, &f));
  CHECK(npy_ndim(f) == 2 && npy_shape(f)[0] == 1006 && npy_shape(f)[1] == 3);
  CHECK(npy_data_offset(f) == 128); /* grown in place */
  static int64_t back[1006 * 3];
  CHECK_OK(npy_read_into(f, back, sizeof back, 0));
  CHECK(memcmp(back, v, sizeof v) == 0);
  npy_close(f);
  npyio_dtype_free(i8);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_rows <output directory>\n");
    return 2;
  }
#ifdef __cplusplus
  const char *sub = "cxx";
#else
  const char *sub = "c";
#endif
  mkdir(argv[1], 0755);
  int n = snprintf(out_dir, sizeof out_dir, "%s/%s", argv[1], sub);
  CHECK(n > 0 && (size_t)n < sizeof out_dir);
  mkdir(out_dir, 0755);
  c_order_threads();
  process_slabs();
  fortran_threads();
  appends();
  const size_t nfn = sizeof exercised_functions / sizeof exercised_functions[0];
  check_exercised(exercised_functions, nfn);
  printf("test_rows: all checks passed (%zu functions exercised)\n", nfn);
  return 0;
}
