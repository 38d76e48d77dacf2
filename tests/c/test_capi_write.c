/*
 * test_capi_write.c -- missing files and the OS error number.
 *
 * A file that does not exist is NPYIO_ERR_NOT_FOUND from every call that opens one to read it
 * (npy, npz, maps, text), with npyio_last_errno() ENOENT, or ENOTDIR for a path through a
 * regular file; a file that exists but cannot be read stays NPYIO_ERR_IO with EACCES. Root
 * reads any file, so as root that case runs in a forked child that has become uid 65534.
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
  printf("ok - missing files: NPYIO_ERR_NOT_FOUND with ENOENT/ENOTDIR from all 7 read calls\n");
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
  printf("ok - permission denied: NPYIO_ERR_IO with EACCES from all 7 read calls\n");
}

int main(void) {
  scratch_create("npyio-test-capi-write");
  check_exercised(exercised_functions, sizeof exercised_functions / sizeof exercised_functions[0]);
  test_missing();
  test_permission_denied();
  scratch_remove();
  printf("test_capi_write: all checks passed\n");
  return 0;
}
