/*
 * test_reader.c -- caller-supplied I/O: npy_open_reader and npz_open_reader over a reader that
 * serves bytes from memory in short pieces, counts every byte asked of it and can be told to
 * fail. Checks the values read, that reading one member of an archive asks only for that
 * member's bytes plus the directory (bound: member + 256 KiB), that rows ask only for the rows,
 * concurrent reads of members from several threads, when release is called (once, after the
 * last handle; never after a failed open), and the errors of a failing or short reader.
 *
 * The writer sinks (npy_writer_create_sink, npz_writer_open_sink) write into a growing memory
 * buffer that takes at most 1000 bytes a call: the .npy bytes equal npy_save's, the archive
 * reads back with npz_open_memory, and release and failures behave as for readers.
 *
 * Compiled as C11 and as C++17. Files go to a mkdtemp() directory under /tmp, removed at the end.
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

/* BEGIN EXERCISED FUNCTIONS (parsed by check_coverage.py: one FN(name) per function) */
static const exercised_fn exercised_functions[] = {
  FN(npy_open_reader),
  FN(npz_open_reader),
  FN(npy_writer_create_sink),
  FN(npz_writer_open_sink),
};
/* END EXERCISED FUNCTIONS */

/* ---- the reader: bytes in memory, served at most PIECE at a time ----------------------------- */

#define PIECE 100000

typedef struct {
  const uint8_t *bytes;
  uint64_t len;
  uint64_t asked; /* bytes served, over all calls (atomic): what a remote reader fetches */
  uint64_t calls; /* calls of read_at (atomic) */
  int fail;       /* read_at returns -5 when set */
  int released;   /* times release was called */
} mem_ctx;

static int64_t mem_read_at(void *ctx, uint64_t offset, void *buf, size_t len) {
  mem_ctx *m = (mem_ctx *)ctx;
  __atomic_fetch_add(&m->calls, 1, __ATOMIC_RELAXED);
  if (m->fail) return -5;
  if (offset >= m->len) return 0;
  uint64_t n = m->len - offset;
  if (n > len) n = len;
  if (n > PIECE) n = PIECE;
  memcpy(buf, m->bytes + offset, (size_t)n);
  __atomic_fetch_add(&m->asked, n, __ATOMIC_RELAXED);
  return (int64_t)n;
}

static void mem_release(void *ctx) { ((mem_ctx *)ctx)->released++; }

static npyio_reader reader_for(mem_ctx *m) {
  npyio_reader r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  r.ctx = m;
  r.read_at = mem_read_at;
  r.size = m->len;
  r.release = mem_release;
  return r;
}

/* The file at `path` in memory, for a reader to serve. */
static const uint8_t *load(const char *path, uint64_t *len) {
  size_t n = 0;
  uint8_t *b = slurp(path, &n);
  *len = n;
  return b;
}

/* ---- test data: members of float64 values v[i] = i * scale ----------------------------------- */

#define N_A (64 * 1024)  /* 512 KiB */
#define N_B (128 * 1024) /* 1 MiB */
#define N_C (64 * 1024)  /* 512 KiB, deflate */

static double *values(size_t n, double scale) {
  double *v = (double *)malloc(n * sizeof(double));
  CHECK(v != NULL);
  for (size_t i = 0; i < n; i++) v[i] = (double)i * scale;
  return v;
}

static int same_values(const double *v, size_t n, double scale) {
  for (size_t i = 0; i < n; i++)
    if (v[i] != (double)i * scale) return 0;
  return 1;
}

static char npy_path[400], npz_path[400];

static void write_files(void) {
  npyio_dtype *f8 = NULL;
  CHECK_OK(npyio_dtype_parse("<f8", &f8));
  double *a = values(N_A, 0.5), *b = values(N_B, 2.0), *c = values(N_C, -1.0);
  const uint64_t sa[1] = {N_A}, sb[2] = {N_B / 8, 8}, sc[1] = {N_C};
  CHECK_OK(npy_save(npy_path, f8, 2, sb, false, b, N_B * sizeof(double)));
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open(npz_path, &w));
  CHECK_OK(npz_writer_add(w, "a", f8, 1, sa, false, a, N_A * sizeof(double), NPYIO_STORED));
  CHECK_OK(npz_writer_add(w, "b", f8, 2, sb, false, b, N_B * sizeof(double), NPYIO_STORED));
  CHECK_OK(npz_writer_add(w, "c", f8, 1, sc, false, c, N_C * sizeof(double), NPYIO_DEFLATE));
  CHECK_OK(npz_writer_finish(w));
  npyio_dtype_free(f8);
  free(a);
  free(b);
  free(c);
}

/* ---- .npy through a reader ------------------------------------------------------------------ */

static void npy_reader(void) {
  current = "npy_open_reader";
  mem_ctx m;
  memset(&m, 0, sizeof m);
  m.bytes = load(npy_path, &m.len);
  npyio_reader r = reader_for(&m);
  npy_file *f = NULL;
  CHECK_OK(npy_open_reader(&r, &f));
  memset(&r, 0xAB, sizeof r); /* the struct was copied */
  CHECK(npy_ndim(f) == 2 && npy_shape(f)[0] == N_B / 8 && npy_shape(f)[1] == 8);
  CHECK(npy_data(f) == NULL);
  CHECK(m.asked < 4096); /* the header only */
  /* Rows ask for the rows' bytes only. */
  double rows[3 * 8];
  uint64_t before = m.asked;
  CHECK_OK(npy_read_rows(f, 1000, 3, rows, sizeof rows, 0));
  CHECK(m.asked - before == sizeof rows);
  for (int i = 0; i < 24; i++) CHECK(rows[i] == (double)(8000 + i) * 2.0);
  double *all = (double *)malloc(N_B * sizeof(double));
  CHECK(all != NULL);
  CHECK_OK(npy_read_into(f, all, N_B * sizeof(double), NPYIO_READ_NATIVE));
  CHECK(same_values(all, N_B, 2.0));
  CHECK(m.calls > N_B * 8 / PIECE); /* short reads were asked again */
  CHECK(m.released == 0);
  npy_close(f);
  CHECK(m.released == 1);

  /* A failing reader: the open fails with NPYIO_ERR_IO, the context is not released. */
  current = "npy_open_reader, failing reader";
  m.fail = 1;
  r = reader_for(&m);
  f = NULL;
  CHECK_ST(npy_open_reader(&r, &f), NPYIO_ERR_IO);
  CHECK(f == NULL && last_error_has("read_at failed") && last_error_has("-5"));
  CHECK(last_error_has("<reader>"));
  CHECK(m.released == 1);
  /* ... and reads after a good open fail the same way. */
  m.fail = 0;
  CHECK_OK(npy_open_reader(&r, &f));
  m.fail = 1;
  CHECK_ST(npy_read_rows(f, 0, 1, rows, 64, 0), NPYIO_ERR_IO);
  npy_close(f);
  CHECK(m.released == 2);
  m.fail = 0;

  /* A size beyond the bytes there: the reader returns 0 early. */
  current = "npy_open_reader, short reader";
  r = reader_for(&m);
  r.size = m.len + 100;
  uint64_t real = m.len;
  m.len = 50; /* the reader has 50 bytes although it claims more */
  CHECK_ST(npy_open_reader(&r, &f), NPYIO_ERR_TRUNCATED);
  CHECK(last_error_has("returned no bytes"));
  m.len = real;
  /* A size too small for the data the header declares. */
  r = reader_for(&m);
  r.size = m.len - 8;
  CHECK_ST(npy_open_reader(&r, &f), NPYIO_ERR_TRUNCATED);
  CHECK(m.released == 2);
  /* No release hook: nothing to call. */
  r = reader_for(&m);
  r.release = NULL;
  CHECK_OK(npy_open_reader(&r, &f));
  npy_close(f);
  CHECK(m.released == 2);
  free((void *)m.bytes);
  free(all);
}

/* ---- .npz through a reader ------------------------------------------------------------------ */

typedef struct {
  npz_file *z;
  const char *name;
  size_t n;
  double scale;
  int ok;
} member_job;

static void *read_member(void *p) {
  member_job *j = (member_job *)p;
  j->ok = 0;
  npy_file *f = NULL;
  if (npz_open_member(j->z, j->name, &f) != NPYIO_OK) return NULL;
  double *v = (double *)malloc(j->n * sizeof(double));
  if (v && npy_read_into(f, v, j->n * sizeof(double), 0) == NPYIO_OK)
    j->ok = same_values(v, j->n, j->scale);
  free(v);
  npy_close(f);
  return NULL;
}

static void npz_reader(void) {
  current = "npz_open_reader";
  mem_ctx m;
  memset(&m, 0, sizeof m);
  m.bytes = load(npz_path, &m.len);
  npyio_reader r = reader_for(&m);
  npz_file *z = NULL;
  CHECK_OK(npz_open_reader(&r, &z));
  CHECK(npz_count(z) == 3);
  const uint64_t directory = m.asked;
  printf("npz_open_reader: archive of %llu bytes, directory read with %llu bytes\n",
         (unsigned long long)m.len, (unsigned long long)directory);
  /* One member: its bytes plus the directory, within 256 KiB. */
  npy_file *b = NULL;
  CHECK_OK(npz_open_member(z, "b", &b));
  double *v = (double *)malloc(N_B * sizeof(double));
  CHECK(v != NULL);
  CHECK_OK(npy_read_into(b, v, N_B * sizeof(double), 0));
  CHECK(same_values(v, N_B, 2.0));
  printf("npz_open_reader: member b (%llu bytes): %llu bytes read in all\n",
         (unsigned long long)npy_nbytes(b), (unsigned long long)m.asked);
  CHECK(m.asked <= npy_nbytes(b) + 256 * 1024);
  CHECK(m.asked < m.len - N_A * 8); /* member a was never read */
  /* A stored member of a reader cannot be mapped: there is no file. */
  npy_file *mapped = NULL;
  CHECK_ST(npz_mmap_member(z, "a", &mapped), NPYIO_ERR_NOT_MAPPABLE);
  /* Members read from several threads at once, a deflate one among them. */
  member_job jobs[4] = {{z, "a", N_A, 0.5, 0}, {z, "b", N_B, 2.0, 0}, {z, "c", N_C, -1.0, 0},
                        {z, "a", N_A, 0.5, 0}};
  pthread_t t[4];
  for (int i = 0; i < 4; i++) CHECK(pthread_create(&t[i], NULL, read_member, &jobs[i]) == 0);
  for (int i = 0; i < 4; i++) {
    CHECK(pthread_join(t[i], NULL) == 0);
    CHECK(jobs[i].ok);
  }
  /* release comes after the archive and its last member are closed. */
  npz_close(z);
  CHECK(m.released == 0);
  CHECK_OK(npy_read_rows(b, 5, 1, v, 64, 0)); /* the member outlives its archive */
  CHECK(v[0] == 40 * 2.0);
  npy_close(b);
  CHECK(m.released == 1);

  /* Failures: nothing released. */
  current = "npz_open_reader, failing reader";
  m.fail = 1;
  r = reader_for(&m);
  z = NULL;
  CHECK_ST(npz_open_reader(&r, &z), NPYIO_ERR_IO);
  CHECK(z == NULL && last_error_has("read_at failed"));
  m.fail = 0;
  r = reader_for(&m);
  r.size = 10; /* not a zip in 10 bytes */
  CHECK_ST(npz_open_reader(&r, &z), NPYIO_ERR_ZIP);
  CHECK(last_error_has("<reader>"));
  r = reader_for(&m);
  r.struct_size = sizeof r - 1;
  CHECK_ST(npz_open_reader(&r, &z), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("struct_size"));
  r = reader_for(&m);
  r.read_at = NULL;
  CHECK_ST(npz_open_reader(&r, &z), NPYIO_ERR_NULL_ARG);
  CHECK(last_error_has("read_at"));
  CHECK(m.released == 1);
  free(v);
  free((void *)m.bytes);
}


/* ---- writer sinks: a growing buffer that takes at most 1000 bytes a call ----------------- */

typedef struct {
  uint8_t *buf;
  size_t len, cap;
  int fail;     /* write returns -7 when set */
  int released; /* times release was called */
} mem_sink;

static int64_t sink_write(void *ctx, const void *data, size_t len) {
  mem_sink *m = (mem_sink *)ctx;
  if (m->fail) return -7;
  if (len > 1000) len = 1000;
  if (m->len + len > m->cap) {
    size_t cap = (m->cap ? m->cap * 2 : 4096) + len;
    uint8_t *b = (uint8_t *)realloc(m->buf, cap);
    if (!b) return -12;
    m->buf = b;
    m->cap = cap;
  }
  memcpy(m->buf + m->len, data, len);
  m->len += len;
  return (int64_t)len;
}

static void sink_release(void *ctx) { ((mem_sink *)ctx)->released++; }

static npyio_writer_sink sink_for(mem_sink *m) {
  npyio_writer_sink s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  s.ctx = m;
  s.write = sink_write;
  s.release = sink_release;
  return s;
}

static void sinks(void) {
  current = "npy_writer_create_sink";
  npyio_dtype *f8 = NULL;
  CHECK_OK(npyio_dtype_parse("<f8", &f8));
  double *v = values(3000, 1.25);
  const uint64_t shape[2] = {1000, 3};
  mem_sink m;
  memset(&m, 0, sizeof m);
  npyio_writer_sink s = sink_for(&m);
  npy_writer *w = NULL;
  CHECK_OK(npy_writer_create_sink(&s, f8, 2, shape, false, &w));
  memset(&s, 0, sizeof s); /* the struct was copied */
  CHECK_OK(npy_writer_write(w, v, 1000 * sizeof(double)));
  CHECK_OK(npy_writer_write(w, v + 1000, 2000 * sizeof(double)));
  CHECK(m.released == 0);
  CHECK_OK(npy_writer_finish(w));
  CHECK(m.released == 1);
  /* The bytes npy_save writes (np.save's). */
  char p[400];
  scratch_path(p, sizeof p, "sink_ref.npy");
  CHECK_OK(npy_save(p, f8, 2, shape, false, v, 3000 * sizeof(double)));
  size_t n = 0;
  uint8_t *ref = slurp(p, &n);
  CHECK(n == m.len && memcmp(ref, m.buf, n) == 0);
  free(ref);
  /* Too many bytes: the writer's size check; the sink is released when the writer ends. */
  m.len = 0;
  s = sink_for(&m);
  CHECK_OK(npy_writer_create_sink(&s, f8, 2, shape, false, &w));
  CHECK_ST(npy_writer_write(w, v, 3001 * sizeof(double)), NPYIO_ERR_SIZE_MISMATCH);
  npy_writer_discard(w);
  CHECK(m.released == 2);
  /* A failing sink: NPYIO_ERR_IO with its number; finish repeats the failure. */
  current = "npy_writer_create_sink, failing sink";
  m.fail = 1;
  CHECK_OK(npy_writer_create_sink(&s, f8, 2, shape, false, &w));
  CHECK_ST(npy_writer_write(w, v, 8), NPYIO_ERR_IO);
  CHECK(last_error_has("-7") && last_error_has("<sink>"));
  CHECK(npy_writer_finish(w) != NPYIO_OK);
  CHECK(m.released == 3);
  m.fail = 0;
  /* Failed creations leave the context to the caller. */
  s = sink_for(&m);
  s.struct_size = 8;
  CHECK_ST(npy_writer_create_sink(&s, f8, 2, shape, false, &w), NPYIO_ERR_INVALID_ARG);
  s = sink_for(&m);
  s.write = NULL;
  CHECK_ST(npy_writer_create_sink(&s, f8, 2, shape, false, &w), NPYIO_ERR_NULL_ARG);
  s = sink_for(&m);
  const uint64_t huge[2] = {UINT64_MAX / 2, 3};
  CHECK_ST(npy_writer_create_sink(&s, f8, 2, huge, false, &w), NPYIO_ERR_OVERFLOW);
  CHECK(m.released == 3);

  current = "npz_writer_open_sink";
  m.len = 0;
  npz_writer *z = NULL;
  CHECK_OK(npz_writer_open_sink(&s, 0, -1, &z));
  const uint64_t s1[1] = {3000};
  CHECK_OK(npz_writer_add(z, "stored", f8, 2, shape, false, v, 3000 * sizeof(double),
                          NPYIO_STORED));
  CHECK_OK(npz_writer_add(z, "deflated", f8, 1, s1, false, v, 3000 * sizeof(double),
                          NPYIO_DEFLATE));
  CHECK_OK(npz_writer_begin(z, "pieces", f8, 1, s1, false, NPYIO_STORED));
  CHECK_OK(npz_writer_write(z, v, 1500 * sizeof(double)));
  CHECK_OK(npz_writer_write(z, v + 1500, 1500 * sizeof(double)));
  CHECK_OK(npz_writer_end(z));
  CHECK_OK(npz_writer_finish(z));
  CHECK(m.released == 4);
  npz_file *a = NULL;
  CHECK_OK(npz_open_memory(m.buf, m.len, &a));
  CHECK(npz_count(a) == 3);
  const char *names[3] = {"stored", "deflated", "pieces"};
  double *back = (double *)malloc(3000 * sizeof(double));
  CHECK(back != NULL);
  for (int i = 0; i < 3; i++) {
    npy_file *f = NULL;
    CHECK_OK(npz_open_member(a, names[i], &f));
    CHECK_OK(npy_read_into(f, back, 3000 * sizeof(double), 0));
    CHECK(same_values(back, 3000, 1.25));
    npy_close(f);
  }
  npz_close(a);
  CHECK_ST(npz_writer_open_sink(&s, 0, 12, &z), NPYIO_ERR_INVALID_ARG); /* level */
  CHECK_ST(npz_writer_open_sink(NULL, 0, -1, &z), NPYIO_ERR_NULL_ARG);
  CHECK(m.released == 4);
  free(back);
  free(v);
  free(m.buf);
  npyio_dtype_free(f8);
}

int main(void) {
  scratch_create("npyio-test-reader");
  scratch_path(npy_path, sizeof npy_path, "b.npy");
  scratch_path(npz_path, sizeof npz_path, "abc.npz");
  write_files();
  npy_reader();
  npz_reader();
  sinks();
  const size_t nfn = sizeof exercised_functions / sizeof exercised_functions[0];
  check_exercised(exercised_functions, nfn);
  scratch_remove();
  printf("test_reader: all checks passed (%zu functions exercised)\n", nfn);
  return 0;
}
