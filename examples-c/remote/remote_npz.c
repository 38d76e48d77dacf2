/*
 * remote_npz.c -- one member of a remote .npz read over HTTP range requests, through
 * npz_open_reader and a libcurl-backed npyio_reader (libnpyio's "Scaling out" recipe).
 *
 *   remote_npz URL MEMBER OUT.npy
 *
 * Asks the server for the archive's size (HEAD), opens the archive through the reader (a few
 * range requests near its end for the directory), reads MEMBER whole (range requests for that
 * member's bytes only), saves it to OUT.npy with npy_save, and prints how many bytes it fetched
 * against the archive's size:
 *
 *   remote_npz: fetched 8530 of 8004372 bytes in 4 requests
 *
 * The reader serialises its requests on one curl handle (a curl easy handle is not
 * thread-safe; libnpyio may call read_at from several threads when the caller reads from
 * several threads). Build: cc remote_npz.c $(pkg-config --cflags --libs npyio libcurl).
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npyio.h"

typedef struct {
  CURL *curl;
  pthread_mutex_t lock;
  uint64_t fetched;  /* body bytes received */
  unsigned requests; /* range requests made */
} remote;

/* Where the body of one range request goes: `cap` bytes at `buf`. */
typedef struct {
  unsigned char *buf;
  size_t cap, got;
} sink;

static size_t on_body(char *data, size_t size, size_t n, void *userdata) {
  sink *s = (sink *)userdata;
  size_t len = size * n;
  if (len > s->cap - s->got) return 0; /* more than asked: abort the transfer */
  memcpy(s->buf + s->got, data, len);
  s->got += len;
  return len;
}

/* npyio_reader.read_at: GET with "Range: bytes=offset-(offset+len-1)". */
static int64_t remote_read_at(void *ctx, uint64_t offset, void *buf, size_t len) {
  remote *r = (remote *)ctx;
  char range[64];
  snprintf(range, sizeof range, "%llu-%llu", (unsigned long long)offset,
           (unsigned long long)(offset + len - 1));
  sink s = {(unsigned char *)buf, len, 0};
  pthread_mutex_lock(&r->lock);
  curl_easy_setopt(r->curl, CURLOPT_NOBODY, 0L);
  curl_easy_setopt(r->curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(r->curl, CURLOPT_RANGE, range);
  curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, &s);
  CURLcode rc = curl_easy_perform(r->curl);
  long code = 0;
  curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &code);
  r->requests++;
  r->fetched += s.got;
  pthread_mutex_unlock(&r->lock);
  if (rc != CURLE_OK || code != 206) {
    fprintf(stderr, "remote_npz: range %s: %s, HTTP %ld\n", range, curl_easy_strerror(rc), code);
    return -1;
  }
  return (int64_t)s.got;
}

static void remote_release(void *ctx) {
  remote *r = (remote *)ctx;
  curl_easy_cleanup(r->curl);
  r->curl = NULL;
}

static int fail(const char *what, npyio_status st) {
  char msg[512];
  npyio_last_error(msg, sizeof msg);
  fprintf(stderr, "remote_npz: %s: %s (%s)\n", what, npyio_status_str(st), msg);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: remote_npz URL MEMBER OUT.npy\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  static remote r;
  r.curl = curl_easy_init();
  pthread_mutex_init(&r.lock, NULL);
  if (!r.curl) return 1;
  curl_easy_setopt(r.curl, CURLOPT_URL, argv[1]);
  curl_easy_setopt(r.curl, CURLOPT_FAILONERROR, 1L);
  /* The size: a HEAD request's Content-Length. */
  curl_easy_setopt(r.curl, CURLOPT_NOBODY, 1L);
  curl_off_t size = -1;
  if (curl_easy_perform(r.curl) != CURLE_OK ||
      curl_easy_getinfo(r.curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size) != CURLE_OK ||
      size < 0) {
    fprintf(stderr, "remote_npz: %s: no size from HEAD\n", argv[1]);
    return 1;
  }

  npyio_reader reader = {.struct_size = sizeof reader, .ctx = &r, .read_at = remote_read_at,
                         .size = (uint64_t)size, .release = remote_release};
  npz_file *z = NULL;
  npyio_status st = npz_open_reader(&reader, &z);
  if (st != NPYIO_OK) return fail("npz_open_reader", st);
  npy_file *m = NULL;
  st = npz_open_member(z, argv[2], &m);
  if (st != NPYIO_OK) return fail("npz_open_member", st);
  const uint64_t n = npy_nbytes(m);
  void *data = malloc(n ? (size_t)n : 1);
  if (!data) return 1;
  st = npy_read_into(m, data, (size_t)n, 0);
  if (st != NPYIO_OK) return fail("npy_read_into", st);
  st = npy_save(argv[3], npy_dtype(m), npy_ndim(m), npy_shape(m), npy_fortran_order(m), data,
                (size_t)n);
  if (st != NPYIO_OK) return fail("npy_save", st);
  printf("remote_npz: %s: %llu bytes of data\n", argv[2], (unsigned long long)n);
  printf("remote_npz: fetched %llu of %llu bytes in %u requests\n",
         (unsigned long long)r.fetched, (unsigned long long)size, r.requests);
  free(data);
  npy_close(m);
  npz_close(z); /* the reader is released here: the curl handle is cleaned up */
  curl_global_cleanup();
  return r.curl == NULL ? 0 : 1;
}
