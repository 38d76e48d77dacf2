/*
 * test_typed.c -- the typed layer of include/npyio.h: element type codes
 * (npyio_type, NPYIO_BOOL ... NPYIO_COMPLEX128) and their dtypes.
 *
 *     test_typed
 *
 * Compiled as C11 and as C++17 (see tests/c/CMakeLists.txt). Each check
 * (check.h) prints file:line, the status and its npyio_status_str, and
 * npyio_last_error, then exits 1. Files are written into a mkdtemp() scratch
 * directory under /tmp that is removed at the end.
 *
 * The table `exercised_functions` below is parsed by check_coverage.py.
 */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "npyio.h"
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- coverage table ------------------------------------------------------------------------ */

/* BEGIN EXERCISED FUNCTIONS (parsed by check_coverage.py: one FN(name) per function) */
static const exercised_fn exercised_functions[] = {
  FN(npyio_type_dtype),
};
/* END EXERCISED FUNCTIONS */

/* ---- type codes ---------------------------------------------------------------------------- */

typedef struct {
  npyio_type type;
  const char *le_descr; /* on a little-endian host */
  size_t itemsize;
} type_row;

static const type_row types[] = {
  {NPYIO_BOOL, "'|b1'", 1},      {NPYIO_INT8, "'|i1'", 1},       {NPYIO_INT16, "'<i2'", 2},
  {NPYIO_INT32, "'<i4'", 4},     {NPYIO_INT64, "'<i8'", 8},      {NPYIO_UINT8, "'|u1'", 1},
  {NPYIO_UINT16, "'<u2'", 2},    {NPYIO_UINT32, "'<u4'", 4},     {NPYIO_UINT64, "'<u8'", 8},
  {NPYIO_FLOAT16, "'<f2'", 2},   {NPYIO_FLOAT32, "'<f4'", 4},    {NPYIO_FLOAT64, "'<f8'", 8},
  {NPYIO_COMPLEX64, "'<c8'", 8}, {NPYIO_COMPLEX128, "'<c16'", 16},
};
#define NTYPES (sizeof types / sizeof types[0])

/* The descr on this host: '<' becomes '>' on a big-endian one. */
static void host_descr(char *out, size_t cap, const char *le) {
  snprintf(out, cap, "%s", le);
  if (!host_is_little_endian()) {
    for (char *p = out; *p; ++p) {
      if (*p == '<') *p = '>';
    }
  }
}

static void test_type_dtype(void) {
  current = "npyio_type_dtype";
  for (size_t i = 0; i < NTYPES; ++i) {
    const npyio_dtype *d = npyio_type_dtype(types[i].type);
    CHECK(d != NULL);
    char want[16];
    host_descr(want, sizeof want, types[i].le_descr);
    CHECK_STR(npyio_dtype_descr(d), want);
    CHECK(npyio_dtype_itemsize(d) == types[i].itemsize);
    /* The same static dtype every time. */
    CHECK(npyio_type_dtype(types[i].type) == d);
  }
  /* Unknown codes give NULL. */
  CHECK(npyio_type_dtype(0) == NULL);
  CHECK(npyio_type_dtype(15) == NULL);
  CHECK(npyio_type_dtype(-1) == NULL);

  /* The dtype serves where a parsed one does: np.save of a float64 array. */
  char path[512];
  scratch_path(path, sizeof path, "typed_save.npy");
  const double v[3] = {1.5, -2.0, 3.25};
  const uint64_t shape[1] = {3};
  CHECK_OK(npy_save(path, npyio_type_dtype(NPYIO_FLOAT64), 1, shape, false, v, sizeof v));
  npy_file *f = NULL;
  CHECK_OK(npy_open(path, &f));
  CHECK_STR(npyio_dtype_descr(npy_dtype(f)), host_is_little_endian() ? "'<f8'" : "'>f8'");
  double back[3] = {0, 0, 0};
  CHECK_OK(npy_read_into(f, back, sizeof back, 0));
  CHECK(memcmp(back, v, sizeof v) == 0);
  npy_close(f);
}

/* ---- main ----------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
  (void)argv;
  if (argc != 1) {
    fprintf(stderr, "usage: test_typed\n");
    return 2;
  }
  scratch_create("npyio-test-typed");
  const size_t nfn = sizeof exercised_functions / sizeof exercised_functions[0];
  check_exercised(exercised_functions, nfn);

  test_type_dtype();

  current = "end";
  scratch_remove();
  printf("test_typed: all checks passed (%zu functions exercised)\n", nfn);
  return 0;
}
