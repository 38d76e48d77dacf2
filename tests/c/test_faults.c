/*
 * test_faults.c -- injected faults: the old file survives byte-identical, temporary files are
 * cleaned up (or, after kill -9, recognisable by their ".npyio-tmp" name), errors are clear.
 *
 *   write error halfway   RLIMIT_FSIZE with SIGXFSZ ignored, in a child process (the limit is
 *                         process-wide): npy_save, npy_writer_*, npz_writer_add (stored and
 *                         deflate), npz_writer_begin/write/end, npy_mmap_create, npy_mmap_raw
 *   kill -9               a child saving a large array (npy_save, 200 MB by default; set
 *                         NPYIO_FAULTS_BIG_MB to change it) is killed mid-way; also a streamed
 *                         .npy and .npz writer killed at a known point
 *   read-only directory   a read-only tmpfs mounted in a private mount namespace (root), else
 *                         chattr +i (root without mount), else chmod 0555 (not root)
 *   replaced after open   reads keep using the opened file (npy, npz, map)
 *   truncated after open  NPYIO_ERR_TRUNCATED (or the npz error), never SIGBUS: each case runs
 *                         in a child so a signal is reported as a failure, not a crash
 *   fsync                 NPYIO_SAVE_FSYNC on npy_save_ex, npy_writer_create_ex,
 *                         npz_writer_open_ex. (An fsync *failure* cannot be simulated without a
 *                         faulty block device; see docs/SECURITY.md.)
 *
 * Compiled as C11 and as C++17. Files go to a mkdtemp() directory under /tmp, removed at the end.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "npyio.h"
#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- checks (CHECK, CHECK_ST, CHECK_OK: check.h) ------------------------------------------- */

/* A failure whose message names the file. */
#define CHECK_ERR_NAMES(expr, want, name)                                            \
  do {                                                                               \
    CHECK_ST(expr, want);                                                            \
    if (!last_error_has(name))                                                       \
      fail_at(__FILE__, __LINE__, "message names " #name, 0, 0, 0);                  \
  } while (0)

/* ---- helpers ------------------------------------------------------------------------------- */

/* Files in `dir` whose name contains ".npyio-tmp"; with `remove`, delete them. Every such file
 * must be named ".<target>.<pid>-<n>-<nanos>.npyio-tmp" or, for a small whole-array save,
 * ".<target>.npyio-tmp" (recognisable as ours). */
static int temp_files(const char *dir, int remove) {
  int n = 0;
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *t = strstr(e->d_name, ".npyio-tmp");
    if (!t) continue;
    CHECK(e->d_name[0] == '.');
    CHECK(strcmp(t, ".npyio-tmp") == 0); /* the suffix ends the name */
    n++;
    if (remove) {
      char p[600];
      path_in(p, sizeof p, dir, e->d_name);
      CHECK(unlink(p) == 0);
    }
  }
  closedir(d);
  return n;
}

static uint8_t *pattern(size_t n, uint32_t seed) {
  uint8_t *p = (uint8_t *)xmalloc(n);
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    p[i] = (uint8_t)x;
  }
  return p;
}

/* An "old" .npy at `path` (a small f8 array); returns its bytes (caller frees). */
static uint8_t *make_old_npy(const char *path, size_t *len) {
  npyio_dtype *dt = parse_dtype("<f8");
  uint64_t shape[1] = {100};
  uint8_t *data = pattern(800, 1);
  CHECK_OK(npy_save(path, dt, 1, shape, false, data, 800));
  free(data);
  npyio_dtype_free(dt);
  return slurp(path, len);
}

/* An "old" .npz at `path` with two members; returns its bytes. */
static uint8_t *make_old_npz(const char *path, size_t *len) {
  npyio_dtype *dt = parse_dtype("<i4");
  uint64_t shape[1] = {64};
  uint8_t *data = pattern(256, 2);
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open(path, &w));
  CHECK_OK(npz_writer_add(w, "a", dt, 1, shape, false, data, 256, NPYIO_STORED));
  CHECK_OK(npz_writer_add(w, "b", dt, 1, shape, false, data, 256, NPYIO_DEFLATE));
  CHECK_OK(npz_writer_finish(w));
  free(data);
  npyio_dtype_free(dt);
  return slurp(path, len);
}

static void make_dir(char *out, size_t cap, const char *name) {
  scratch_path(out, cap, name);
  CHECK(mkdir(out, 0700) == 0);
}

/* Run `fn` in a child process; the child's failures print and exit 1, a signal is a failure. */
static void in_subprocess(const char *what, void (*fn)(void)) {
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    check_in_child = 1;
    fn();
    fflush(stdout);
    fflush(stderr);
    exit(0);
  }
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid);
  if (WIFSIGNALED(status)) {
    fprintf(stderr, "%s: child killed by signal %d (%s)\n", what, WTERMSIG(status),
            strsignal(WTERMSIG(status)));
    CHECK(!"child process died of a signal");
  }
  CHECK(WIFEXITED(status));
  if (WEXITSTATUS(status) != 0) {
    fprintf(stderr, "%s: child failed\n", what);
    CHECK(!"child process failed");
  }
  printf("ok - %s\n", what);
}

static size_t big_bytes(void) {
  const char *e = getenv("NPYIO_FAULTS_BIG_MB");
  long mb = e && e[0] ? strtol(e, NULL, 10) : 200;
  if (mb < 8) mb = 8;
  return (size_t)mb << 20;
}

/* ---- 1. write errors halfway (RLIMIT_FSIZE) ------------------------------------------------ */

static void fsize_child(void) {
  char dir[300], npy[400], npz[400], mm[400], raw[400];
  make_dir(dir, sizeof dir, "fsize");
  path_in(npy, sizeof npy, dir, "old.npy");
  path_in(npz, sizeof npz, dir, "old.npz");
  path_in(mm, sizeof mm, dir, "map.npy");
  path_in(raw, sizeof raw, dir, "raw.bin");
  size_t npy_len, npz_len, mm_len, raw_len;
  uint8_t *old_npy = make_old_npy(npy, &npy_len);
  uint8_t *old_npz = make_old_npz(npz, &npz_len);
  uint8_t *old_mm = make_old_npy(mm, &mm_len);
  uint8_t *old_raw = make_old_npy(raw, &raw_len);

  /* From here on a write past 1 MiB fails with EFBIG, as a full disk would fail it. */
  signal(SIGXFSZ, SIG_IGN);
  struct rlimit lim;
  lim.rlim_cur = 1 << 20;
  lim.rlim_max = RLIM_INFINITY;
  CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);

  const size_t n = 4 << 20;
  uint8_t *big = pattern(n, 3); /* incompressible, so deflate output is large too */
  npyio_dtype *dt = parse_dtype("<f8");
  uint64_t shape[1] = {n / 8};

  /* npy_save */
  CHECK_ERR_NAMES(npy_save(npy, dt, 1, shape, false, big, n), NPYIO_ERR_IO, "old.npy");
  CHECK(same_bytes(npy, old_npy, npy_len));
  CHECK(temp_files(dir, 0) == 0);

  /* npy_writer: the error surfaces on a write; later writes give STATE; finish repeats it. */
  npy_writer *w = NULL;
  CHECK_OK(npy_writer_create_ex(npy, dt, 1, shape, false, NPYIO_SAVE_FSYNC, &w));
  npyio_status st = NPYIO_OK;
  for (size_t off = 0; off < n && st == NPYIO_OK; off += 256 << 10)
    st = npy_writer_write(w, big + off, 256 << 10);
  CHECK_ST(st, NPYIO_ERR_IO);
  CHECK_ST(npy_writer_write(w, big, 8), NPYIO_ERR_STATE);
  CHECK_ERR_NAMES(npy_writer_finish(w), NPYIO_ERR_IO, "old.npy");
  CHECK(same_bytes(npy, old_npy, npy_len));
  CHECK(temp_files(dir, 0) == 0);

  /* npz_writer_add, stored then deflate; each in its own archive. */
  npyio_compression methods[2] = {NPYIO_STORED, NPYIO_DEFLATE};
  for (int m = 0; m < 2; m++) {
    npz_writer *z = NULL;
    CHECK_OK(npz_writer_open(npz, &z));
    uint64_t small_shape[1] = {16};
    CHECK_OK(npz_writer_add(z, "small", dt, 1, small_shape, false, big, 128, methods[m]));
    st = npz_writer_add(z, "big", dt, 1, shape, false, big, n, methods[m]);
    CHECK_ST(st, NPYIO_ERR_IO);
    CHECK_ST(npz_writer_add(z, "more", dt, 1, shape, false, big, n, methods[m]), NPYIO_ERR_STATE);
    CHECK_ERR_NAMES(npz_writer_finish(z), NPYIO_ERR_IO, "old.npz");
    CHECK(same_bytes(npz, old_npz, npz_len));
    CHECK(temp_files(dir, 0) == 0);
  }

  /* npz_writer_begin / write / end (streamed member). */
  npz_writer *z = NULL;
  CHECK_OK(npz_writer_open_ex(npz, NPYIO_SAVE_FSYNC | NPYIO_NPZ_ALIGN, 1, &z));
  CHECK_OK(npz_writer_begin(z, "s", dt, 1, shape, false, NPYIO_STORED));
  st = NPYIO_OK;
  for (size_t off = 0; off < n && st == NPYIO_OK; off += 256 << 10)
    st = npz_writer_write(z, big + off, 256 << 10);
  if (st == NPYIO_OK) st = npz_writer_end(z);
  CHECK_ST(st, NPYIO_ERR_IO);
  CHECK(npz_writer_write(z, big, 8) != NPYIO_OK);
  CHECK_ST(npz_writer_finish(z), NPYIO_ERR_IO);
  CHECK(same_bytes(npz, old_npz, npz_len));
  CHECK(temp_files(dir, 0) == 0);

  /* npy_mmap_create / npy_mmap_raw(NPYIO_MMAP_CREATE): space is reserved before mapping, so the
   * limit is an error now (EFBIG), not a SIGBUS later; the old files survive. */
  npy_file *f = NULL;
  CHECK_ERR_NAMES(npy_mmap_create(mm, dt, 1, shape, false, &f), NPYIO_ERR_IO, "map.npy");
  CHECK(f == NULL);
  CHECK(same_bytes(mm, old_mm, mm_len));
  CHECK_ERR_NAMES(npy_mmap_raw(raw, dt, NPYIO_MMAP_CREATE, 4096, 1, shape, false, &f), NPYIO_ERR_IO,
                  "raw.bin");
  CHECK(f == NULL);
  CHECK(same_bytes(raw, old_raw, raw_len));
  CHECK(temp_files(dir, 0) == 0);

  /* Under the limit everything still works. */
  uint64_t small_shape[1] = {1000};
  CHECK_OK(npy_save(npy, dt, 1, small_shape, false, big, 8000));
  CHECK_OK(npy_mmap_create(mm, dt, 1, small_shape, false, &f));
  npy_close(f);

  npyio_dtype_free(dt);
  free(big);
  free(old_npy);
  free(old_npz);
  free(old_mm);
  free(old_raw);
}

/* ---- 2. kill -9 in the middle of a save ----------------------------------------------------- */

static void sleep_ms(int ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

/* Size of the largest temp file in `dir` (0 if none). */
static long long largest_temp(const char *dir) {
  long long best = 0;
  DIR *d = opendir(dir);
  if (!d) return 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!strstr(e->d_name, ".npyio-tmp")) continue;
    char p[600];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(p, &st) == 0 && (long long)st.st_size > best) best = (long long)st.st_size;
  }
  closedir(d);
  return best;
}

/* After the kill: the target is the old file byte-identical, or (if the child won the race)
 * the complete new file; leftover temp files are ours by name; they are removed. */
static void check_after_kill(const char *dir, const char *target, const uint8_t *old,
                             size_t old_len, uint64_t new_nbytes, int must_be_old) {
  if (same_bytes(target, old, old_len)) {
    temp_files(dir, 1);
    CHECK(temp_files(dir, 0) == 0);
    return;
  }
  CHECK(!must_be_old);
  npy_file *f = NULL;
  CHECK_OK(npy_open(target, &f));
  CHECK(npy_nbytes(f) == new_nbytes);
  npy_close(f);
  temp_files(dir, 1);
}

static void kill9_npy_save(void) {
  char dir[300], target[400];
  make_dir(dir, sizeof dir, "kill9");
  path_in(target, sizeof target, dir, "big.npy");
  size_t old_len;
  uint8_t *old = make_old_npy(target, &old_len);
  size_t n = big_bytes();
  uint8_t *data = pattern(n, 4);
  npyio_dtype *dt = parse_dtype("<u8");
  uint64_t shape[1] = {n / 8};
  int killed_midway = 0;
  for (int attempt = 0; attempt < 3 && !killed_midway; attempt++) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
      npyio_status st = npy_save(target, dt, 1, shape, false, data, n);
      _exit(st == NPYIO_OK ? 0 : 3);
    }
    /* Wait until the temporary file holds a good part of the data, then kill -9. */
    int status = 0;
    pid_t done = 0;
    for (int i = 0; i < 20000; i++) {
      long long sz = largest_temp(dir);
      if (sz >= (long long)(n / 4)) break;
      done = waitpid(pid, &status, WNOHANG);
      if (done == pid) break;
      sleep_ms(1);
    }
    if (done != pid) {
      CHECK(kill(pid, SIGKILL) == 0);
      CHECK(waitpid(pid, &status, 0) == pid);
      killed_midway = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
                      largest_temp(dir) > 0;
    }
    check_after_kill(dir, target, old, old_len, n, 0);
    /* Restore the old file for another attempt if the child finished. */
    if (!same_bytes(target, old, old_len)) {
      FILE *fp = fopen(target, "wb");
      CHECK(fp != NULL);
      CHECK(fwrite(old, 1, old_len, fp) == old_len);
      CHECK(fclose(fp) == 0);
    }
  }
  CHECK(killed_midway);
  npyio_dtype_free(dt);
  free(data);
  free(old);
}

/* Streamed writers killed at a known point (after half the data, synchronised by a pipe). */
static void kill9_streamed(int npz) {
  char dir[300], target[400];
  make_dir(dir, sizeof dir, npz ? "kill9_npz" : "kill9_writer");
  path_in(target, sizeof target, dir, npz ? "old.npz" : "old.npy");
  size_t old_len;
  uint8_t *old = npz ? make_old_npz(target, &old_len) : make_old_npy(target, &old_len);
  const size_t n = 8 << 20;
  uint8_t *data = pattern(n, 5);
  npyio_dtype *dt = parse_dtype(">i8");
  uint64_t shape[2] = {n / 8 / 16, 16};
  int fds[2];
  CHECK(pipe(fds) == 0);
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    if (npz) {
      npz_writer *z = NULL;
      if (npz_writer_open(target, &z) != NPYIO_OK) _exit(3);
      if (npz_writer_add(z, "first", dt, 2, shape, false, data, n, NPYIO_DEFLATE) != NPYIO_OK)
        _exit(3);
      if (npz_writer_begin(z, "second", dt, 2, shape, false, NPYIO_STORED) != NPYIO_OK) _exit(3);
      if (npz_writer_write(z, data, n / 2) != NPYIO_OK) _exit(3);
    } else {
      npy_writer *w = NULL;
      if (npy_writer_create(target, dt, 2, shape, false, &w) != NPYIO_OK) _exit(3);
      if (npy_writer_write(w, data, n / 2) != NPYIO_OK) _exit(3);
    }
    char c = 'h';
    if (write(fds[1], &c, 1) != 1) _exit(3);
    for (;;) pause();
  }
  close(fds[1]);
  char c = 0;
  CHECK(read(fds[0], &c, 1) == 1 && c == 'h');
  close(fds[0]);
  CHECK(kill(pid, SIGKILL) == 0);
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid);
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  CHECK(same_bytes(target, old, old_len));
  CHECK(temp_files(dir, 0) == 1); /* left behind, and recognisable by name */
  temp_files(dir, 1);
  /* The old file still opens and reads. */
  if (npz) {
    npz_file *zf = NULL;
    CHECK_OK(npz_open(target, &zf));
    CHECK(npz_count(zf) == 2);
    npz_close(zf);
  } else {
    npy_file *f = NULL;
    CHECK_OK(npy_open(target, &f));
    CHECK(npy_nbytes(f) == 800);
    npy_close(f);
  }
  npyio_dtype_free(dt);
  free(data);
  free(old);
}

static void kill9_tests(void) {
  kill9_npy_save();
  printf("ok - kill -9 during npy_save of %zu MB: old file intact, temp file ours by name\n",
         big_bytes() >> 20);
  kill9_streamed(0);
  printf("ok - kill -9 during npy_writer_write: old file intact\n");
  kill9_streamed(1);
  printf("ok - kill -9 during npz_writer_write: old archive intact\n");
}

/* ---- 3. read-only directory ---------------------------------------------------------------- */

static char ro_dir[300];
static const char *ro_how = "";

/* Make ro_dir read-only in a way that binds root too. Called in a child (mount namespace). */
static int make_read_only(void) {
  if (geteuid() != 0) {
    ro_how = "chmod 0555 (not root)";
    return chmod(ro_dir, 0555) == 0 ? 0 : -1;
  }
  /* A private mount namespace: the mount vanishes with this child process. */
  /* (The filesystem type is ignored for these calls; "none", not NULL, keeps valgrind quiet.) */
  if (unshare(CLONE_NEWNS) == 0 && mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0 &&
      mount(ro_dir, ro_dir, "none", MS_BIND, NULL) == 0 &&
      mount("none", ro_dir, "none", MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) == 0) {
    ro_how = "read-only bind mount in a private mount namespace";
    return 0;
  }
  int fd = open(ro_dir, O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    int flags = 0;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
      flags |= FS_IMMUTABLE_FL;
      if (ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0) {
        close(fd);
        ro_how = "chattr +i";
        return 0;
      }
    }
    close(fd);
  }
  fprintf(stderr, "cannot make a read-only directory as root: unshare/mount and chattr +i "
                  "both failed (%s)\n", strerror(errno));
  return -1;
}

static void undo_read_only(void) {
  if (strcmp(ro_how, "chattr +i") == 0) {
    int fd = open(ro_dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
      int flags = 0;
      if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
        flags &= ~FS_IMMUTABLE_FL;
        ioctl(fd, FS_IOC_SETFLAGS, &flags);
      }
      close(fd);
    }
  } else if (strncmp(ro_how, "chmod", 5) == 0) {
    chmod(ro_dir, 0700);
  }
}

static void readonly_child(void) {
  char npy[400], npz[400], probe[400];
  path_in(npy, sizeof npy, ro_dir, "old.npy");
  path_in(npz, sizeof npz, ro_dir, "old.npz");
  path_in(probe, sizeof probe, ro_dir, "probe");
  size_t npy_len, npz_len;
  uint8_t *old_npy = make_old_npy(npy, &npy_len);
  uint8_t *old_npz = make_old_npz(npz, &npz_len);
  CHECK(make_read_only() == 0);
  /* The directory really refuses new files, even to root. */
  int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {
    close(fd);
    unlink(probe);
    undo_read_only();
    fprintf(stderr, "%s did not make the directory read-only\n", ro_how);
    CHECK(!"read-only directory is writable");
  }
  npyio_dtype *dt = parse_dtype("<f8");
  uint64_t shape[1] = {4};
  double v[4] = {1, 2, 3, 4};
  npy_writer *w = NULL;
  npz_writer *z = NULL;
  npy_file *f = NULL;
  CHECK_ERR_NAMES(npy_save(npy, dt, 1, shape, false, v, sizeof v), NPYIO_ERR_IO, "old.npy");
  CHECK_ERR_NAMES(npy_save_ex(npy, dt, 1, shape, false, v, sizeof v, NPYIO_SAVE_FSYNC),
                  NPYIO_ERR_IO, "old.npy");
  CHECK_ST(npy_writer_create(npy, dt, 1, shape, false, &w), NPYIO_ERR_IO);
  CHECK(w == NULL);
  CHECK_ST(npz_writer_open(npz, &z), NPYIO_ERR_IO);
  CHECK(z == NULL);
  CHECK_ST(npy_mmap_create(npy, dt, 1, shape, false, &f), NPYIO_ERR_IO);
  CHECK_ST(npy_mmap_raw(npy, dt, NPYIO_MMAP_CREATE, 0, 1, shape, false, &f), NPYIO_ERR_IO);
  if (strncmp(ro_how, "chmod", 5) != 0 && strcmp(ro_how, "chattr +i") != 0) {
    /* A read-only filesystem also refuses writable maps of existing files. */
    CHECK_ST(npy_mmap(npy, NPYIO_MMAP_READ_WRITE, &f), NPYIO_ERR_IO);
  }
  CHECK(f == NULL);
  /* Reading still works, and nothing changed. */
  CHECK_OK(npy_open(npy, &f));
  npy_close(f);
  CHECK(same_bytes(npy, old_npy, npy_len));
  CHECK(same_bytes(npz, old_npz, npz_len));
  CHECK(temp_files(ro_dir, 0) == 0);
  undo_read_only();
  printf("   (read-only by %s)\n", ro_how);
  npyio_dtype_free(dt);
  free(old_npy);
  free(old_npz);
}

/* ---- 4. the file replaced between open and read ------------------------------------------- */

static void replaced_tests(void) {
  char dir[300], npy[400], npz[400], other[400];
  make_dir(dir, sizeof dir, "replaced");
  path_in(npy, sizeof npy, dir, "a.npy");
  path_in(npz, sizeof npz, dir, "a.npz");
  path_in(other, sizeof other, dir, "other.bin");
  npyio_dtype *dt = parse_dtype("<i8");
  uint64_t shape[1] = {512};
  uint8_t *a = pattern(4096, 6), *b = pattern(4096, 7);
  CHECK_OK(npy_save(npy, dt, 1, shape, false, a, 4096));
  npz_writer *zw = NULL;
  CHECK_OK(npz_writer_open(npz, &zw));
  CHECK_OK(npz_writer_add(zw, "x", dt, 1, shape, false, a, 4096, NPYIO_STORED));
  CHECK_OK(npz_writer_add(zw, "y", dt, 1, shape, false, a, 4096, NPYIO_DEFLATE));
  CHECK_OK(npz_writer_finish(zw));

  npy_file *f = NULL, *m = NULL;
  npz_file *z = NULL;
  CHECK_OK(npy_open(npy, &f));
  CHECK_OK(npy_mmap(npy, NPYIO_MMAP_READ, &m));
  CHECK_OK(npz_open(npz, &z));
  /* Replace both: a save (rename over), then unlink + a different file of another size. */
  CHECK_OK(npy_save(npy, dt, 1, shape, false, b, 4096));
  zw = NULL;
  CHECK_OK(npz_writer_open(npz, &zw));
  CHECK_OK(npz_writer_add(zw, "x", dt, 1, shape, false, b, 4096, NPYIO_DEFLATE));
  CHECK_OK(npz_writer_finish(zw));
  CHECK(unlink(npy) == 0);
  FILE *fp = fopen(npy, "wb");
  CHECK(fp != NULL && fwrite("garbage", 1, 7, fp) == 7 && fclose(fp) == 0);

  uint8_t got[4096];
  CHECK_OK(npy_read_into(f, got, sizeof got, 0));
  CHECK(memcmp(got, a, 4096) == 0);
  CHECK_OK(npy_read_rows(f, 100, 10, got, sizeof got, NPYIO_READ_NATIVE));
  CHECK(memcmp(got, a + 800, 80) == 0);
  CHECK(memcmp(npy_data(m), a, 4096) == 0);
  const char *names[2] = {"x", "y"};
  for (int i = 0; i < 2; i++) {
    npy_file *mf = NULL;
    CHECK_OK(npz_open_member(z, names[i], &mf));
    CHECK_OK(npy_read_into(mf, got, sizeof got, 0));
    CHECK(memcmp(got, a, 4096) == 0);
    npy_close(mf);
  }
  npy_file *mm = NULL;
  CHECK_OK(npz_mmap_member(z, "x", &mm));
  CHECK(memcmp(npy_data(mm), a, 4096) == 0);
  npy_close(mm);
  npy_close(f);
  npy_close(m);
  npz_close(z);
  npyio_dtype_free(dt);
  free(a);
  free(b);
  printf("ok - file replaced between open and read: reads use the opened file (npy, map, npz)\n");
}

/* ---- 5. truncated after open / before mapping ---------------------------------------------- */

static char trunc_dir[300];

static void truncate_to(const char *path, off_t len) { CHECK(truncate(path, len) == 0); }

static void truncated_npy_child(void) {
  char path[400];
  path_in(path, sizeof path, trunc_dir, "f.npy");
  npyio_dtype *dt = parse_dtype(">f8");
  uint64_t shape[2] = {256, 128}; /* Fortran order: READ_C_ORDER maps the data to reorder it */
  size_t n = 256 * 128 * 8;
  uint8_t *data = pattern(n, 8);
  uint8_t *dst = (uint8_t *)xmalloc(n);
  npy_file *f = NULL;
  CHECK_OK(npy_save(path, dt, 2, shape, true, data, n));
  CHECK_OK(npy_open(path, &f));
  CHECK(npy_fortran_order(f));
  truncate_to(path, 4096);
  CHECK_ERR_NAMES(npy_read_into(f, dst, n, 0), NPYIO_ERR_TRUNCATED, "f.npy");
  CHECK_ST(npy_read_into(f, dst, n, NPYIO_READ_NATIVE), NPYIO_ERR_TRUNCATED);
  CHECK_ST(npy_read_into(f, dst, n, NPYIO_READ_C_ORDER), NPYIO_ERR_TRUNCATED);
  CHECK_ST(npy_read_rows(f, 200, 10, dst, n, NPYIO_READ_C_ORDER | NPYIO_READ_NATIVE),
           NPYIO_ERR_TRUNCATED);
  truncate_to(path, 0);
  CHECK_ST(npy_read_into(f, dst, n, NPYIO_READ_C_ORDER), NPYIO_ERR_TRUNCATED);
  npy_close(f);
  /* Truncated before mapping / opening: refused at open. */
  CHECK_OK(npy_save(path, dt, 2, shape, true, data, n));
  truncate_to(path, (off_t)n / 2);
  f = NULL;
  CHECK_ERR_NAMES(npy_mmap(path, NPYIO_MMAP_READ, &f), NPYIO_ERR_TRUNCATED, "f.npy");
  CHECK_ST(npy_mmap(path, NPYIO_MMAP_COPY_ON_WRITE, &f), NPYIO_ERR_TRUNCATED);
  CHECK_ST(npy_open(path, &f), NPYIO_ERR_TRUNCATED);
  uint64_t raw_shape[1] = {n / 8};
  CHECK_ST(npy_mmap_raw(path, dt, NPYIO_MMAP_READ, 0, 1, raw_shape, false, &f), NPYIO_ERR_TRUNCATED);
  CHECK(f == NULL);
  npyio_dtype_free(dt);
  free(data);
  free(dst);
}

static void truncated_npz_child(void) {
  char path[400];
  path_in(path, sizeof path, trunc_dir, "f.npz");
  npyio_dtype *dt = parse_dtype("<f8");
  uint64_t shape[2] = {128, 64};
  size_t n = 128 * 64 * 8;
  uint8_t *data = pattern(n, 9);
  uint8_t *dst = (uint8_t *)xmalloc(n + 4096);
  npz_writer *w = NULL;
  CHECK_OK(npz_writer_open(path, &w));
  CHECK_OK(npz_writer_add(w, "s", dt, 2, shape, true, data, n, NPYIO_STORED));
  CHECK_OK(npz_writer_add(w, "d", dt, 2, shape, true, data, n, NPYIO_DEFLATE));
  CHECK_OK(npz_writer_finish(w));
  npz_file *z = NULL;
  npy_file *s = NULL, *d = NULL, *f = NULL;
  CHECK_OK(npz_open(path, &z));
  CHECK_OK(npz_open_member(z, "s", &s));
  CHECK_OK(npz_open_member(z, "d", &d));
  truncate_to(path, 1000);
  CHECK_ST(npy_read_into(s, dst, n, 0), NPYIO_ERR_TRUNCATED);
  CHECK_ST(npy_read_into(s, dst, n, NPYIO_READ_C_ORDER), NPYIO_ERR_TRUNCATED);
  CHECK_ST(npy_read_into(d, dst, n, NPYIO_READ_C_ORDER), NPYIO_ERR_TRUNCATED);
  CHECK_ST(npy_read_rows(d, 5, 5, dst, n, 0), NPYIO_ERR_TRUNCATED);
  npyio_status st = npz_open_member(z, "d", &f);
  CHECK(st == NPYIO_ERR_TRUNCATED || st == NPYIO_ERR_ZIP);
  st = npz_mmap_member(z, "s", &f);
  CHECK(st == NPYIO_ERR_TRUNCATED || st == NPYIO_ERR_ZIP);
  st = npz_read_raw(z, "s", dst, n + 4096);
  CHECK(st == NPYIO_ERR_TRUNCATED || st == NPYIO_ERR_ZIP);
  CHECK(f == NULL);
  npy_close(s);
  npy_close(d);
  npz_close(z);
  /* A truncated archive does not open at all (its central directory is gone). */
  st = npz_open(path, &z);
  CHECK(st == NPYIO_ERR_ZIP);
  npyio_dtype_free(dt);
  free(data);
  free(dst);
}

/* ---- 6. fsync ------------------------------------------------------------------------------ */

static void fsync_tests(void) {
  char dir[300], npy[400], npz[400];
  make_dir(dir, sizeof dir, "fsync");
  path_in(npy, sizeof npy, dir, "d.npy");
  path_in(npz, sizeof npz, dir, "d.npz");
  npyio_dtype *dt = parse_dtype("<f4");
  uint64_t shape[1] = {1024};
  uint8_t *data = pattern(4096, 10);
  CHECK_OK(npy_save_ex(npy, dt, 1, shape, false, data, 4096, NPYIO_SAVE_FSYNC));
  npy_writer *w = NULL;
  CHECK_OK(npy_writer_create_ex(npy, dt, 1, shape, false, NPYIO_SAVE_FSYNC, &w));
  CHECK_OK(npy_writer_write(w, data, 4096));
  CHECK_OK(npy_writer_finish(w));
  npz_writer *z = NULL;
  CHECK_OK(npz_writer_open_ex(npz, NPYIO_SAVE_FSYNC, -1, &z));
  CHECK_OK(npz_writer_add(z, "v", dt, 1, shape, false, data, 4096, NPYIO_DEFLATE));
  CHECK_OK(npz_writer_finish(z));
  npy_file *f = NULL;
  uint8_t got[4096];
  CHECK_OK(npy_open(npy, &f));
  CHECK_OK(npy_read_into(f, got, sizeof got, 0));
  CHECK(memcmp(got, data, 4096) == 0);
  npy_close(f);
  npz_file *zf = NULL;
  CHECK_OK(npz_open(npz, &zf));
  CHECK_OK(npz_open_member(zf, "v", &f));
  CHECK_OK(npy_read_into(f, got, sizeof got, 0));
  CHECK(memcmp(got, data, 4096) == 0);
  npy_close(f);
  npz_close(zf);
  CHECK(temp_files(dir, 0) == 0);
  /* Unknown save flags are refused before anything is written. */
  CHECK_ST(npy_save_ex(npy, dt, 1, shape, false, data, 4096, 0x80), NPYIO_ERR_INVALID_ARG);
  CHECK_ST(npz_writer_open_ex(npz, 0x80, -1, &z), NPYIO_ERR_INVALID_ARG);
  npyio_dtype_free(dt);
  free(data);
  printf("ok - NPYIO_SAVE_FSYNC: npy_save_ex, npy_writer_create_ex, npz_writer_open_ex\n");
}

int main(void) {
  scratch_create("npyio-faults");

  in_subprocess("write error halfway (RLIMIT_FSIZE): npy, npy writer, npz stored/deflate/"
                "streamed, mmap_create, mmap_raw",
                fsize_child);
  kill9_tests();
  make_dir(ro_dir, sizeof ro_dir, "readonly");
  in_subprocess("read-only directory: saves fail with NPYIO_ERR_IO, old files intact",
                readonly_child);
  replaced_tests();
  make_dir(trunc_dir, sizeof trunc_dir, "truncated");
  in_subprocess("npy truncated after open / before mapping: NPYIO_ERR_TRUNCATED, no SIGBUS",
                truncated_npy_child);
  in_subprocess("npz truncated after open: errors, no SIGBUS", truncated_npz_child);
  fsync_tests();

  scratch_remove();
  printf("test_faults: all passed\n");
  return 0;
}
