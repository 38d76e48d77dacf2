/*
 * test_capi_write.c -- missing files and the OS error number.
 *
 * A file that does not exist is NPYIO_ERR_NOT_FOUND from every call that opens one to read it
 * (npy, npz, maps, text), with npyio_last_errno() ENOENT, or ENOTDIR for a path through a
 * regular file; a file that exists but cannot be read stays NPYIO_ERR_IO with EACCES. Root
 * reads any file, so as root that case runs in a forked child that has become uid 65534.
 *
 * npy_save_typed and npz_writer_add_typed: for each of the fourteen types, the file equals what
 * npy_save writes with the type's descr (byte-identical to np.save: NumPy's own comparison is in
 * tests/typed_save.rs), and each bad argument has its status: NULL, a short or long buffer, an
 * unknown type code, ndim over 64; a failed save leaves the old file as it was.
 *
 * The table `exercised_functions` names the functions this file covers for check_coverage.py.
 */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "npyio.h"
#include "check.h"

#include <errno.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/wait.h>

/* BEGIN EXERCISED FUNCTIONS */
static const exercised_fn exercised_functions[] = {
  FN(npyio_last_errno),
  FN(npy_save_typed),
  FN(npz_writer_add_typed),
};
/* END EXERCISED FUNCTIONS */

/* One failed call: its status, this thread's errno and a message naming `path`. */
static void expect_failure(const char *call, npyio_status st, npyio_status want, int want_errno,
                           const char *path) {
  current = call;
  if (st != want || npyio_last_errno() != want_errno || !last_error_has(path)) {
    fprintf(stderr, "%s on %s: status %d (want %d), errno %d (want %d)\n", call, path, (int)st,
            (int)want, npyio_last_errno(), want_errno);
    CHECK(!"the call failed as documented");
  }
}

/* Every read-by-path call on `path` fails with `want` and errno `want_errno`, names the file,
 * makes no handle and writes no output. */
static void check_read_calls(const char *path, npyio_status want, int want_errno) {
  npyio_dtype *dt = NULL;
  CHECK_OK(npyio_dtype_parse("<f8", &dt));
  char out[512];
  scratch_path(out, sizeof out, "out.npy");
  npy_file *f = NULL;
  npz_file *z = NULL;
#define EXPECT(c) expect_failure(#c, (c), want, want_errno, path)
  EXPECT(npy_open(path, &f));
  EXPECT(npy_load(path, NPYIO_FLOAT64, &f));
  EXPECT(npy_mmap(path, NPYIO_MMAP_READ, &f));
  EXPECT(npy_mmap_raw(path, dt, NPYIO_MMAP_READ_WRITE, 0, 0, NULL, false, &f));
  EXPECT(npz_open(path, &z));
  EXPECT(npy_loadtxt(path, NULL, &f));
  EXPECT(npy_genfromtxt(path, NULL, &f, NULL));
  EXPECT(npy_loadtxt_to_npy(path, out, NULL, NULL));
#undef EXPECT
  CHECK(f == NULL && z == NULL);
  CHECK(access(out, F_OK) != 0);
  npyio_dtype_free(dt);
}

static void test_missing(void) {
  char missing[512], nodir[512], regular[512], through[600];
  scratch_path(missing, sizeof missing, "missing.npy");
  scratch_path(nodir, sizeof nodir, "no-such-dir/x.npy");
  scratch_path(regular, sizeof regular, "regular.npy");
  spit(regular, "x", 1);
  snprintf(through, sizeof through, "%s/x.npy", regular);
  current = "missing file";
  check_read_calls(missing, NPYIO_ERR_NOT_FOUND, ENOENT);
  current = "missing directory";
  check_read_calls(nodir, NPYIO_ERR_NOT_FOUND, ENOENT);
  current = "a regular file as a directory";
  check_read_calls(through, NPYIO_ERR_NOT_FOUND, ENOTDIR);

  /* A failure that is not the OS's sets the number back to 0. */
  npy_file *f = NULL;
  CHECK_ST(npy_open(NULL, &f), NPYIO_ERR_NULL_ARG);
  CHECK(npyio_last_errno() == 0);
  /* A save into a missing directory is an I/O error (a write, not a read), with ENOENT. */
  npyio_dtype *dt = NULL;
  CHECK_OK(npyio_dtype_parse("<f8", &dt));
  double v = 1;
  uint64_t shape[1] = {1};
  CHECK_ST(npy_save(nodir, dt, 1, shape, false, &v, sizeof v), NPYIO_ERR_IO);
  CHECK(npyio_last_errno() == ENOENT);
  npyio_dtype_free(dt);
  printf("ok - missing files: NPYIO_ERR_NOT_FOUND with ENOENT/ENOTDIR from all 8 read calls\n");
}

static char secret[512];

static void eacces_child(void) {
  if (geteuid() == 0) {
    /* Root reads any file: become nobody, so that the permission check applies. */
    CHECK(setgid(65534) == 0);
    CHECK(setuid(65534) == 0);
  }
  check_read_calls(secret, NPYIO_ERR_IO, EACCES);
}

static void test_permission_denied(void) {
  scratch_path(secret, sizeof secret, "secret.npy");
  spit(secret, "\x93NUMPY", 6);
  CHECK(chmod(secret, 0) == 0);
  CHECK(chmod(scratch, 0755) == 0); /* the directory is searchable; the file is not readable */
  if (geteuid() == 0) printf("note: running as root; the permission check runs as uid 65534\n");
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    check_in_child = 1;
    eacces_child();
    fflush(stdout);
    _exit(0);
  }
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK(chmod(scratch, 0700) == 0);
  printf("ok - permission denied: NPYIO_ERR_IO with EACCES from all 8 read calls\n");
}

/* The descr of each type code in host byte order, as np.dtype(...).str gives it. */
static const struct {
  npyio_type type;
  const char *descr; /* without the byte order */
  size_t size;
} types[] = {
  {NPYIO_BOOL, "b1", 1},      {NPYIO_INT8, "i1", 1},     {NPYIO_INT16, "i2", 2},
  {NPYIO_INT32, "i4", 4},     {NPYIO_INT64, "i8", 8},    {NPYIO_UINT8, "u1", 1},
  {NPYIO_UINT16, "u2", 2},    {NPYIO_UINT32, "u4", 4},   {NPYIO_UINT64, "u8", 8},
  {NPYIO_FLOAT16, "f2", 2},   {NPYIO_FLOAT32, "f4", 4},  {NPYIO_FLOAT64, "f8", 8},
  {NPYIO_COMPLEX64, "c8", 8}, {NPYIO_COMPLEX128, "c16", 16},
};

static void test_typed_saves(void) {
  const uint16_t one = 1;
  const char order = *(const unsigned char *)&one == 1 ? '<' : '>';
  uint8_t data[6 * 16];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(i * 7 + 1) & 1;
  const uint64_t shape[2] = {2, 3};
  char typed[512], raw[512], archive[512];
  scratch_path(typed, sizeof typed, "typed.npy");
  scratch_path(raw, sizeof raw, "raw.npy");
  scratch_path(archive, sizeof archive, "typed.npz");
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open_ex(archive, NPYIO_NPZ_COMPRESSED, -1, &w));
  for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
    char descr[8];
    snprintf(descr, sizeof descr, "%c%s", types[t].size == 1 ? '|' : order, types[t].descr);
    current = descr;
    npyio_dtype *dt = NULL;
    CHECK_OK(npyio_dtype_parse(descr, &dt));
    const size_t len = 6 * types[t].size;
    /* 2x3, then 0-d (shape NULL), then empty (data NULL). */
    CHECK_OK(npy_save_typed(typed, types[t].type, 2, shape, data, len));
    CHECK_OK(npy_save(raw, dt, 2, shape, false, data, len));
    size_t n = 0;
    uint8_t *want = slurp(raw, &n);
    CHECK(same_bytes(typed, want, n));
    free(want);
    CHECK_OK(npy_save_typed(typed, types[t].type, 0, NULL, data, types[t].size));
    CHECK_OK(npy_save(raw, dt, 0, NULL, false, data, types[t].size));
    want = slurp(raw, &n);
    CHECK(same_bytes(typed, want, n));
    free(want);
    const uint64_t empty[1] = {0};
    CHECK_OK(npy_save_typed(typed, types[t].type, 1, empty, NULL, 0));
    CHECK_OK(npy_save(raw, dt, 1, empty, false, NULL, 0));
    want = slurp(raw, &n);
    CHECK(same_bytes(typed, want, n));
    free(want);
    /* The member is the same .npy, deflated as the writer says. */
    char name[16];
    snprintf(name, sizeof name, "m%zu", t);
    CHECK_OK(npz_writer_add_typed(w, name, types[t].type, 2, shape, data, len));
    npyio_dtype_free(dt);
  }
  CHECK_OK(npz_writer_finish(w));
  npz_file *z = NULL;
  CHECK_OK(npz_open(archive, &z));
  CHECK(npz_count(z) == sizeof types / sizeof types[0]);
  for (size_t t = 0; t < npz_count(z); t++) {
    CHECK(npz_member_compression(z, t) == NPYIO_DEFLATE);
    npy_file *m = NULL;
    CHECK_OK(npz_open_member_at(z, t, &m));
    CHECK(npy_ndim(m) == 2 && npy_shape(m)[0] == 2 && npy_shape(m)[1] == 3);
    CHECK(npy_nbytes(m) == 6 * types[t].size);
    uint8_t back[6 * 16];
    CHECK_OK(npy_read_into(m, back, sizeof back, 0));
    CHECK(memcmp(back, data, 6 * types[t].size) == 0);
    npy_close(m);
  }
  npz_close(z);
  current = "";
  printf("ok - npy_save_typed equals npy_save for 14 types x (2x3, 0-d, empty); npz members\n");
}

static void test_typed_save_errors(void) {
  char old[512];
  scratch_path(old, sizeof old, "old.npy");
  spit(old, "previous", 8);
  const double v[3] = {1, 2, 3};
  const uint64_t shape[1] = {3};
  uint64_t deep[65];
  for (size_t i = 0; i < 65; i++) deep[i] = 1;
  CHECK_ST(npy_save_typed(old, NPYIO_FLOAT64, 1, shape, v, 23), NPYIO_ERR_SIZE_MISMATCH);
  CHECK(last_error_has("24") && last_error_has("old.npy"));
  CHECK_ST(npy_save_typed(old, NPYIO_FLOAT64, 1, shape, v, 32), NPYIO_ERR_SIZE_MISMATCH);
  CHECK_ST(npy_save_typed(old, 0, 1, shape, v, 24), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("type code 0"));
  CHECK_ST(npy_save_typed(old, NPYIO_COMPLEX128 + 1, 1, shape, v, 24), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npy_save_typed(old, -1, 1, shape, v, 24), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npy_save_typed(old, NPYIO_FLOAT64, 65, deep, v, 8), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("ndim 65"));
  CHECK_ST(npy_save_typed(NULL, NPYIO_FLOAT64, 1, shape, v, 24), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_save_typed(old, NPYIO_FLOAT64, 1, NULL, v, 24), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npy_save_typed(old, NPYIO_FLOAT64, 1, shape, NULL, 24), NPYIO_ERR_NULL_ARG);
  CHECK(same_bytes(old, (const uint8_t *)"previous", 8));
  CHECK(count_temp_files(scratch) == 0);
  CHECK_OK(npy_save_typed(old, NPYIO_FLOAT64, 64, deep, v, 8)); /* 64 dimensions are fine */

  char archive[512];
  scratch_path(archive, sizeof archive, "errors.npz");
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open(archive, &w));
  CHECK_ST(npz_writer_add_typed(w, "x", NPYIO_FLOAT64, 1, shape, v, 16), NPYIO_ERR_SIZE_MISMATCH);
  CHECK(last_error_has("'x'"));
  CHECK_ST(npz_writer_add_typed(w, "x", 99, 1, shape, v, 24), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("type code 99"));
  CHECK_ST(npz_writer_add_typed(w, "x", NPYIO_FLOAT64, 65, deep, v, 8), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npz_writer_add_typed(NULL, "x", NPYIO_FLOAT64, 1, shape, v, 24), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_add_typed(w, NULL, NPYIO_FLOAT64, 1, shape, v, 24), NPYIO_ERR_NULL_ARG);
  CHECK_ST(npz_writer_add_typed(w, "x", NPYIO_FLOAT64, 1, shape, NULL, 24), NPYIO_ERR_NULL_ARG);
  CHECK_OK(npz_writer_add_typed(w, "x", NPYIO_FLOAT64, 1, shape, v, 24));
  CHECK_ST(npz_writer_add_typed(w, "x", NPYIO_FLOAT64, 1, shape, v, 24), NPYIO_ERR_INVALID_ARG);
  CHECK_OK(npz_writer_finish(w));
  npz_file *z = NULL;
  CHECK_OK(npz_open(archive, &z));
  CHECK(npz_count(z) == 1 && npz_member_compression(z, 0) == NPYIO_STORED);
  npz_close(z);
  printf("ok - typed saves: size mismatch, type codes, ndim, NULL; old file intact\n");
}

int main(void) {
  scratch_create("npyio-test-capi-write");
  check_exercised(exercised_functions, sizeof exercised_functions / sizeof exercised_functions[0]);
  test_missing();
  test_permission_denied();
  test_typed_saves();
  test_typed_save_errors();
  scratch_remove();
  printf("test_capi_write: all checks passed\n");
  return 0;
}
