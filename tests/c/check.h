/*
 * check.h -- the harness shared by the C tests in tests/c (header only).
 *
 * Include it once, from the test's .c file, after defining _POSIX_C_SOURCE or _GNU_SOURCE
 * (mkdtemp, lstat). Everything here is static: each test program gets its own copy. The
 * functions are static inline so that a test which does not call one of them compiles without
 * -Wunused-function warnings, as C11 and as C++17.
 *
 * Checks. CHECK(cond), CHECK_ST(call, want), CHECK_OK(call) and CHECK_STR(a, b) are fatal: a
 * failure prints file:line, `current` (what is being checked, when the test sets it), the
 * status and the wanted status with their npyio_status_str, and npyio_last_error, then exits 1.
 * In a forked child (the test sets check_in_child) it ends with _exit(1) and leaves the
 * scratch directory to the parent; otherwise it removes the scratch directory first, unless
 * NPYIO_KEEP_SCRATCH is set to a non-empty value.
 *
 * Scratch directory. scratch_create("npyio-test-api") makes /tmp/npyio-test-api-XXXXXX with
 * mkdtemp(); scratch_path() names a file in it; scratch_remove() deletes it and everything in
 * it. A test without one leaves `scratch` empty.
 *
 * test_text.c does not use this header: its checks count failures and carry on, so that every
 * result file is still written for NumPy's comparison.
 */
#ifndef NPYIO_TESTS_C_CHECK_H
#define NPYIO_TESTS_C_CHECK_H

#include "npyio.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- checks -------------------------------------------------------------------------------- */

static char scratch[256];        /* the scratch directory; empty when there is none */
static const char *current = ""; /* what is being checked, for messages */
static int check_in_child = 0;   /* set in a forked child: failures _exit(1), nothing removed */

/* Deletes `dir` and everything under it (symbolic links are removed, not followed). */
static inline void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      char p[600];
      int n = snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
      if (n < 0 || (size_t)n >= sizeof p) continue; /* never act on a cut-off path */
      struct stat st;
      if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
        remove_tree(p);
      else
        unlink(p);
    }
    closedir(d);
  }
  rmdir(dir);
}

static inline void scratch_remove(void) {
  if (!scratch[0]) return;
  remove_tree(scratch);
  scratch[0] = '\0';
}

static inline void fail_at(const char *file, int line, const char *what, int has_status,
                           npyio_status got, npyio_status want) {
  char msg[1024];
  npyio_last_error(msg, sizeof msg);
  if (current[0])
    fprintf(stderr, "%s:%d: CHECK failed (%s): %s\n", file, line, current, what);
  else
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, what);
  if (has_status) {
    fprintf(stderr, "  status: %d (%s)\n", (int)got, npyio_status_str(got));
    fprintf(stderr, "  wanted: %d (%s)\n", (int)want, npyio_status_str(want));
  }
  fprintf(stderr, "  npyio_last_error: %s\n", msg);
  if (check_in_child) _exit(1);
  const char *keep = getenv("NPYIO_KEEP_SCRATCH");
  if (keep && keep[0] && scratch[0])
    fprintf(stderr, "  scratch directory kept: %s\n", scratch);
  else
    scratch_remove();
  exit(1);
}

/* A condition. */
#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (!(cond)) fail_at(__FILE__, __LINE__, #cond, 0, 0, 0);                        \
  } while (0)
/* A call that must return `want`. */
#define CHECK_ST(expr, want)                                                         \
  do {                                                                               \
    npyio_status st_ = (expr);                                                       \
    if (st_ != (want)) fail_at(__FILE__, __LINE__, #expr, 1, st_, (want));           \
  } while (0)
/* A call that must succeed. */
#define CHECK_OK(expr) CHECK_ST(expr, NPYIO_OK)
#define CHECK_STR(a, b) CHECK((a) != NULL && strcmp((a), (b)) == 0)

/* The last error message contains `needle`. */
static inline int last_error_has(const char *needle) {
  char msg[2048];
  npyio_last_error(msg, sizeof msg);
  return strstr(msg, needle) != NULL;
}

/* ---- coverage tables ----------------------------------------------------------------------- */

#include "coverage.h"

/* Every entry of the table is a real function, and no name is listed twice. */
static inline void check_exercised(const exercised_fn *table, size_t n) {
  for (size_t i = 0; i < n; i++) {
    CHECK(table[i].fn != NULL);
    for (size_t j = i + 1; j < n; j++) CHECK(strcmp(table[i].name, table[j].name) != 0);
  }
}

/* ---- scratch directory and paths ----------------------------------------------------------- */

/* `dir`/`name` into `out`; a name that does not fit fails the check. */
static inline void path_in(char *out, size_t cap, const char *dir, const char *name) {
  int n = snprintf(out, cap, "%s/%s", dir, name);
  CHECK(n > 0 && (size_t)n < cap);
}

/* Makes the scratch directory /tmp/<prefix>-XXXXXX. */
static inline void scratch_create(const char *prefix) {
  char tmpl[sizeof scratch];
  int n = snprintf(tmpl, sizeof tmpl, "/tmp/%s-XXXXXX", prefix);
  CHECK(n > 0 && (size_t)n < sizeof tmpl);
  CHECK(mkdtemp(tmpl) != NULL);
  memcpy(scratch, tmpl, (size_t)n + 1);
}

/* `name` in the scratch directory. */
static inline void scratch_path(char *out, size_t cap, const char *name) {
  path_in(out, cap, scratch, name);
}

/* Makes `root` and its subdirectory "c" (or "cxx" when compiled as C++), whose path goes to
 * `out`: where the C and the C++ build of a test write files for a checker to load. Returns
 * the subdirectory's name. */
static inline const char *make_lang_dir(char *out, size_t cap, const char *root) {
#ifdef __cplusplus
  const char *lang = "cxx";
#else
  const char *lang = "c";
#endif
  CHECK(mkdir(root, 0777) == 0 || errno == EEXIST);
  path_in(out, cap, root, lang);
  CHECK(mkdir(out, 0777) == 0 || errno == EEXIST);
  return lang;
}

/* ---- memory and files ---------------------------------------------------------------------- */

static inline void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  CHECK(p != NULL);
  return p;
}

/* Whole file into a malloc'd buffer (+1 byte so empty files give a non-NULL pointer). */
static inline uint8_t *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  CHECK(fp != NULL);
  CHECK(fseek(fp, 0, SEEK_END) == 0);
  long n = ftell(fp);
  CHECK(n >= 0);
  CHECK(fseek(fp, 0, SEEK_SET) == 0);
  uint8_t *buf = (uint8_t *)xmalloc((size_t)n + 1);
  CHECK(fread(buf, 1, (size_t)n, fp) == (size_t)n);
  fclose(fp);
  *len = (size_t)n;
  return buf;
}

/* `len` bytes of `data` as the whole file at `path`. */
static inline void spit(const char *path, const void *data, size_t len) {
  FILE *fp = fopen(path, "wb");
  CHECK(fp != NULL);
  CHECK(fwrite(data, 1, len, fp) == len);
  CHECK(fclose(fp) == 0);
}

/* Does the file at `path` hold exactly `len` bytes equal to `want`? */
static inline int same_bytes(const char *path, const uint8_t *want, size_t len) {
  size_t n = 0;
  uint8_t *got = slurp(path, &n);
  int same = n == len && memcmp(got, want, len) == 0;
  free(got);
  return same;
}

static inline int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* Files in `dir` whose name contains ".npyio-tmp" (a writer's temporary file). */
static inline int count_temp_files(const char *dir) {
  int n = 0;
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strstr(e->d_name, ".npyio-tmp") != NULL) n++;
  closedir(d);
  return n;
}

/* ---- dtypes and bytes ---------------------------------------------------------------------- */

static inline npyio_dtype *parse_dtype(const char *descr) {
  npyio_dtype *d = NULL;
  CHECK_OK(npyio_dtype_parse(descr, &d));
  CHECK(d != NULL);
  return d;
}

static inline int host_is_little_endian(void) {
  uint16_t one = 1;
  unsigned char b;
  memcpy(&b, &one, 1);
  return b == 1;
}

/* The low `n` bytes of `v`, little- or big-endian, at `p`. */
static inline void put_le(uint8_t *p, uint64_t v, int n) {
  for (int i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline void put_be(uint8_t *p, uint64_t v, int n) {
  for (int i = 0; i < n; i++) p[n - 1 - i] = (uint8_t)(v >> (8 * i));
}
static inline uint64_t get_le(const uint8_t *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}
static inline uint64_t f64_bits(double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  return u;
}

#endif /* NPYIO_TESTS_C_CHECK_H */
