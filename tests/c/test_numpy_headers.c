/*
 * test_numpy_headers.c -- npyio.h and NumPy's C headers in one translation unit.
 *
 * NumPy defines many npy_* names (npy_intp, npy_bool, npy_half, ...). This file
 * includes <Python.h>, <numpy/arrayobject.h> and "npyio.h" together and uses
 * names from both, so any clash (a type, function or macro defined twice) is a
 * compile error under -Wall -Wextra -Werror, as C11 and as C++17. It calls no
 * Python or NumPy function (NO_IMPORT_ARRAY keeps NumPy's static import code
 * out), so it links only against libnpyio.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
/* Declare, do not define, NumPy's import_array machinery: nothing to link from Python. */
#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

#include "npyio.h"

#include <stdio.h>
#include <string.h>

int main(void) {
  /* NumPy types and macros next to ours. */
  npy_intp dims[NPY_MAXDIMS];
  npy_bool flag = NPY_TRUE;
  npy_uint64 ours_as_numpy = (npy_uint64)NPYIO_READ_NATIVE;
  dims[0] = (npy_intp)sizeof(npy_half);
  (void)flag;

  /* Our functions and constants next to NumPy's. */
  npyio_dtype *d = NULL;
  if (npyio_dtype_parse("<f8", &d) != NPYIO_OK) return 1;
  const size_t itemsize = npyio_dtype_itemsize(d);
  npyio_dtype_free(d);
  npy_file *f = NULL; /* our handle type, unknown to NumPy */
  npy_close(f);

  if (itemsize != sizeof(npy_float64)) return 1;
  if (dims[0] != 2 || ours_as_numpy != 1) return 1;
  if (NPY_MAXDIMS < 32) return 1;
  if (strcmp(npyio_status_str(NPYIO_OK), "ok") != 0) return 1;
  printf("npyio %s and NumPy C API 0x%x compile together (NPY_MAXDIMS=%d)\n", npyio_version(),
         (unsigned)NPY_API_VERSION, (int)NPY_MAXDIMS);
  return 0;
}
