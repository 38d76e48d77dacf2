/*
 * mpi_slabs.c -- a checkpoint written by every MPI rank at once (libnpyio's "Scaling out" recipe).
 *
 *   mpirun -np 4 mpi_slabs [out.npy]
 *
 * Rank 0 creates the full-size file (np.save's header, the data reserved) with npy_create;
 * after a barrier every rank opens it with npy_open_rw and writes its own slab of rows with
 * npy_write_rows (pwrite: disjoint rows are disjoint bytes, no locks), then npy_flush; after a
 * second barrier every rank reads the next rank's slab back and checks it. The array is
 * (250 * ranks, 6) float64 with element (r, c) = r * 6 + c, so
 * np.load(out) == np.arange(250 * ranks * 6).reshape(-1, 6).
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include "npyio.h"

enum { PER_RANK = 250, COLS = 6 };

/* On failure: the message, then the status (0 for success). */
static int report(int rank, const char *what, npyio_status st) {
  if (st == NPYIO_OK) return 0;
  char msg[512];
  npyio_last_error(msg, sizeof msg);
  fprintf(stderr, "rank %d: %s: %s (%s)\n", rank, what, npyio_status_str(st), msg);
  return 1;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const char *path = argc > 1 ? argv[1] : "mpi_slabs.npy";
  const uint64_t rows = (uint64_t)PER_RANK * (uint64_t)ranks;
  int bad = 0;

  /* 1. Rank 0 creates the file at full size, atomically. */
  if (rank == 0) {
    npyio_dtype *f8 = NULL;
    const uint64_t shape[2] = {rows, COLS};
    npy_file *f = NULL;
    bad |= report(rank, "npyio_dtype_parse", npyio_dtype_parse("<f8", &f8));
    if (!bad) bad |= report(rank, "npy_create", npy_create(path, f8, 2, shape, false, &f));
    npy_close(f);
    npyio_dtype_free(f8);
  }
  MPI_Bcast(&bad, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (bad) {
    MPI_Finalize();
    return 1;
  }

  /* 2. Every rank writes its slab: rows rank*PER_RANK .. (rank+1)*PER_RANK - 1. */
  static double slab[PER_RANK][COLS];
  const uint64_t first = (uint64_t)rank * PER_RANK;
  for (uint64_t r = 0; r < PER_RANK; r++)
    for (int c = 0; c < COLS; c++) slab[r][c] = (double)((first + r) * COLS + (uint64_t)c);
  npy_file *w = NULL;
  bad |= report(rank, "npy_open_rw", npy_open_rw(path, &w));
  if (!bad) {
    if (npy_row_nbytes(w) != sizeof slab[0]) bad = 1;
    bad |= report(rank, "npy_write_rows", npy_write_rows(w, first, PER_RANK, slab, sizeof slab));
    bad |= report(rank, "npy_flush", npy_flush(w));
  }
  npy_close(w);
  MPI_Barrier(MPI_COMM_WORLD);

  /* 3. Every rank reads the next rank's slab and checks it. */
  const int other = (rank + 1) % ranks;
  const uint64_t ofirst = (uint64_t)other * PER_RANK;
  npy_file *f = NULL;
  bad |= report(rank, "npy_open", npy_open(path, &f));
  if (!bad) {
    bad |= report(rank, "npy_read_rows",
                  npy_read_rows(f, ofirst, PER_RANK, slab, sizeof slab, NPYIO_READ_NATIVE));
    for (uint64_t r = 0; r < PER_RANK && !bad; r++)
      for (int c = 0; c < COLS; c++)
        if (slab[r][c] != (double)((ofirst + r) * COLS + (uint64_t)c)) {
          fprintf(stderr, "rank %d: rank %d's row %llu is wrong\n", rank, other,
                  (unsigned long long)(ofirst + r));
          bad = 1;
          break;
        }
  }
  npy_close(f);

  int failed = 0;
  MPI_Allreduce(&bad, &failed, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0)
    printf("mpi_slabs: %d ranks wrote %llu rows of %s; %d failed\n", ranks,
           (unsigned long long)rows, path, failed);
  MPI_Finalize();
  return failed ? 1 : 0;
}
