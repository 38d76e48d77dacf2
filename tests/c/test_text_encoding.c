/*
 * test_text_encoding.c -- the `encoding` field of the text option structs and
 * compressed text files, from C: npy_savetxt_data writes UTF-16 text into a
 * .gz file, npy_loadtxt and npy_loadtxt_to_npy read it back; Latin-1 bytes
 * go into an S field as NumPy stores them; an unknown encoding and invalid
 * bytes are refused with their status and a message naming them; a struct
 * from before the field (its struct_size) still works. Compiled as C11 and
 * as C++17.
 */
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "npyio.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static void roundtrip_utf16_gz(void) {
  char txt[512], npy[512];
  scratch_path(txt, sizeof txt, "t.txt.gz");
  scratch_path(npy, sizeof npy, "t.npy");
  npyio_dtype *f8 = NULL;
  CHECK_OK(npyio_dtype_parse("<f8", &f8));
  const double v[6] = {0, 1.5, -2, 3e10, 4, 5};
  const uint64_t shape[2] = {2, 3};
  npyio_savetxt_options so;
  CHECK_OK(npyio_savetxt_options_init(&so));
  so.encoding = "UTF-16";
  so.header = "caf\xc3\xa9";
  CHECK_OK(npy_savetxt_data(txt, f8, 2, shape, v, sizeof v, &so));

  /* gzip magic, then UTF-16 with its BOM inside */
  size_t len = 0;
  uint8_t *raw = slurp(txt, &len);
  CHECK(len > 10 && raw[0] == 0x1f && raw[1] == 0x8b);
  free(raw);

  npyio_loadtxt_options lo;
  CHECK_OK(npyio_loadtxt_options_init(&lo));
  lo.encoding = "utf16";
  npy_file *f = NULL;
  CHECK_OK(npy_loadtxt(txt, &lo, &f));
  CHECK(f != NULL && npy_count(f) == 6);
  CHECK(memcmp(npy_data(f), v, sizeof v) == 0);
  npy_close(f);
  uint64_t rows = 0;
  CHECK_OK(npy_loadtxt_to_npy(txt, npy, &lo, &rows));
  CHECK(rows == 2);

  /* Read as UTF-8 (the default), the BOM and the NULs are not numbers. */
  lo.encoding = NULL;
  f = NULL;
  CHECK(npy_loadtxt(txt, &lo, &f) != NPYIO_OK && f == NULL);

  /* "bytes" is for reading only. */
  so.encoding = "bytes";
  CHECK_ST(npy_savetxt_data(txt, f8, 2, shape, v, sizeof v, &so), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("bytes"));
  npyio_dtype_free(f8);
}

static void latin1_into_bytes_field(void) {
  /* "\xf6" is o-umlaut in Latin-1: one byte in an S field, as NumPy stores it. */
  const char text[] = "1,\xf6l\n2,b\xfc\n";
  npyio_dtype *dt = NULL;
  CHECK_OK(npyio_dtype_parse("[('n', '<i4'), ('s', '|S3')]", &dt));
  npyio_loadtxt_options lo;
  CHECK_OK(npyio_loadtxt_options_init(&lo));
  lo.dtype = dt;
  lo.delimiter = ",";
  lo.encoding = "ISO-8859-1";
  npy_file *f = NULL;
  CHECK_OK(npy_loadtxt_memory(text, strlen(text), &lo, &f));
  CHECK(f != NULL && npy_count(f) == 2);
  if (f) {
    const uint8_t *d = (const uint8_t *)npy_data(f);
    CHECK(d[4] == 0xf6 && d[5] == 'l' && d[6] == 0);
    CHECK(d[11] == 'b' && d[12] == 0xfc);
    npy_close(f);
  }
  /* The same bytes are not UTF-8 (the default) nor ASCII. */
  lo.encoding = NULL;
  f = NULL;
  CHECK_ST(npy_loadtxt_memory(text, strlen(text), &lo, &f), NPYIO_ERR_ENCODING);
  lo.encoding = "ascii";
  CHECK_ST(npy_loadtxt_memory(text, strlen(text), &lo, &f), NPYIO_ERR_ENCODING);
  CHECK(last_error_has("line 1") && last_error_has("'ascii'"));
  CHECK(f == NULL);

  npyio_genfromtxt_options go;
  CHECK_OK(npyio_genfromtxt_options_init(&go));
  go.dtype = dt;
  go.delimiter = ",";
  go.encoding = "latin_1";
  npy_file *g = NULL;
  CHECK_OK(npy_genfromtxt_memory(text, strlen(text), &go, &g, NULL));
  CHECK(g != NULL && npy_count(g) == 2);
  if (g) {
    CHECK(((const uint8_t *)npy_data(g))[4] == 0xf6);
    npy_close(g);
  }
  npyio_dtype_free(dt);
}

static void unknown_encoding_and_old_struct_size(void) {
  const char text[] = "1 2\n3 4\n";
  npyio_loadtxt_options lo;
  CHECK_OK(npyio_loadtxt_options_init(&lo));
  lo.encoding = "cp1252";
  npy_file *f = NULL;
  CHECK_ST(npy_loadtxt_memory(text, strlen(text), &lo, &f), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("\"cp1252\"") && f == NULL);

  /* A caller built before the field: its struct ends where the field begins; the
   * field keeps its default (UTF-8) whatever follows in memory. */
  lo.struct_size = offsetof(npyio_loadtxt_options, encoding);
  CHECK_OK(npy_loadtxt_memory(text, strlen(text), &lo, &f));
  CHECK(f != NULL && npy_count(f) == 4);
  npy_close(f);

  npyio_genfromtxt_options go;
  CHECK_OK(npyio_genfromtxt_options_init(&go));
  go.encoding = "no-such-codec";
  go.struct_size = offsetof(npyio_genfromtxt_options, encoding);
  npy_file *g = NULL;
  CHECK_OK(npy_genfromtxt_memory(text, strlen(text), &go, &g, NULL));
  CHECK(g != NULL && npy_count(g) == 4);
  npy_close(g);
  go.struct_size = sizeof go;
  g = NULL;
  CHECK_ST(npy_genfromtxt_memory(text, strlen(text), &go, &g, NULL), NPYIO_ERR_INVALID_ARG);
  CHECK(last_error_has("no-such-codec") && g == NULL);

  char txt[512];
  scratch_path(txt, sizeof txt, "old.txt");
  npyio_dtype *f8 = NULL;
  CHECK_OK(npyio_dtype_parse("<f8", &f8));
  const double v[2] = {1, 2};
  const uint64_t shape[1] = {2};
  npyio_savetxt_options so;
  CHECK_OK(npyio_savetxt_options_init(&so));
  so.encoding = "no-such-codec";
  so.struct_size = offsetof(npyio_savetxt_options, encoding);
  CHECK_OK(npy_savetxt_data(txt, f8, 1, shape, v, sizeof v, &so));
  npyio_dtype_free(f8);
}

int main(void) {
  scratch_create("npyio-text-encoding");
  roundtrip_utf16_gz();
  latin1_into_bytes_field();
  unknown_encoding_and_old_struct_size();
  scratch_remove();
  printf("test_text_encoding: all checks passed\n");
  return 0;
}
