/* preprocess: load a CSV, normalise each column, save data, mean and std in one .npz.
 *
 * The "preprocessed data" workflow of NumPy's I/O guide, from C. In NumPy:
 *
 *     raw = np.loadtxt('raw.csv', delimiter=',', skiprows=1)
 *     mean, std = raw.mean(axis=0), raw.std(axis=0)
 *     np.savez('preprocessed.npz', data=(raw - mean) / std, mean=mean, std=std)
 *
 * Here: npy_loadtxt reads the CSV (with NumPy's loadtxt rules: a header line skipped, comment
 * lines ignored) into an in-memory array whose data npy_data gives directly; each column is
 * normalised by its mean and (population) standard deviation; npz_writer_add stores the three
 * arrays under those names. Given no argument it first writes a small raw.csv of its own (200
 * rows of 4 sensor readings); `preprocess other.csv` uses your file.
 * NumPy loads the result:  np.load("preprocessed.npz")["data"].
 *
 * Build:  cc -std=c11 -Wall -Wextra preprocess.c $(pkg-config --cflags --libs npyio)
 * Run it in a scratch directory: it writes raw.csv and preprocessed.npz there.
 * Exit status is non-zero if any step fails; the library's message says why (for a bad CSV:
 * the file, line, column and text that failed).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npyio.h"

static int fail(const char *what, npyio_status status)
{
    char msg[1024] = {0};
    npyio_last_error(msg, sizeof msg);
    fprintf(stderr, "preprocess: %s failed: %s (%d): %s\n", what, npyio_status_str(status),
            (int)status, msg);
    return 1;
}

/* sqrt by Newton's method (keeps the example free of libm). */
static double square_root(double v)
{
    if (v <= 0.0)
        return 0.0;
    double r = v > 1.0 ? v : 1.0;
    for (int i = 0; i < 200; i++) {
        double next = 0.5 * (r + v / r);
        if (next >= r)
            break;
        r = next;
    }
    return r;
}

/* Deterministic noise in [-1, 1). */
static double noise(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return (double)(*state >> 8) / 8388608.0 - 1.0;
}

/* A CSV like a data logger writes: a header, then temperature, pressure, humidity, wind. */
static int write_demo_csv(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    uint32_t s = 2024;
    fprintf(f, "temperature,pressure,humidity,wind\n");
    for (int i = 0; i < 200; i++) {
        double t = 15.0 + 0.04 * i + 3.0 * noise(&s);
        double p = 1013.25 + 4.0 * noise(&s);
        double h = 55.0 + 20.0 * noise(&s);
        double w = 3.0 + (i % 11) * 0.75 + noise(&s);
        if (i == 100)
            fprintf(f, "# sensor recalibrated here\n");
        fprintf(f, "%.3f,%.2f,%.1f,%.2f\n", t, p, h, w);
    }
    return fclose(f) != 0;
}

int main(int argc, char **argv)
{
    const char *csv = argc > 1 ? argv[1] : "raw.csv";
    if (argc <= 1 && write_demo_csv(csv))
        return 1;

    /* np.loadtxt(csv, delimiter=',', skiprows=1) */
    npyio_loadtxt_options opts;
    npyio_loadtxt_options_init(&opts);
    opts.delimiter = ",";
    opts.skiprows = 1;
    opts.ndmin = 2; /* always rows x columns, even for one row or one column */
    npy_file *raw = NULL;
    npyio_status st = npy_loadtxt(csv, &opts, &raw);
    if (st != NPYIO_OK)
        return fail("npy_loadtxt", st);

    const uint64_t *shape = npy_shape(raw);
    size_t rows = (size_t)shape[0], cols = (size_t)shape[1];
    const double *x = (const double *)npy_data(raw); /* float64, host order, C order */
    printf("%s: %zu rows x %zu columns (%s)\n", csv, rows, cols, npyio_dtype_descr(npy_dtype(raw)));
    if (rows == 0) {
        fprintf(stderr, "preprocess: %s has no data\n", csv);
        npy_close(raw);
        return 1;
    }

    double *mean = (double *)calloc(cols, sizeof *mean);
    double *std = (double *)calloc(cols, sizeof *std);
    double *data = (double *)malloc(rows * cols * sizeof *data);
    if (!mean || !std || !data) {
        fprintf(stderr, "preprocess: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            mean[j] += x[i * cols + j];
    for (size_t j = 0; j < cols; j++)
        mean[j] /= (double)rows;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) {
            double d = x[i * cols + j] - mean[j];
            std[j] += d * d;
        }
    for (size_t j = 0; j < cols; j++)
        std[j] = square_root(std[j] / (double)rows); /* np.std: ddof=0 */
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            data[i * cols + j] = (x[i * cols + j] - mean[j]) / std[j];

    /* np.savez('preprocessed.npz', data=..., mean=mean, std=std) */
    npyio_dtype *f8 = NULL;
    npz_writer *w = NULL;
    uint64_t dshape[2] = {rows, cols}, vshape[1] = {cols};
    if ((st = npyio_dtype_parse("<f8", &f8)) != NPYIO_OK)
        return fail("npyio_dtype_parse", st);
    if ((st = npz_writer_open("preprocessed.npz", &w)) != NPYIO_OK)
        return fail("npz_writer_open", st);
    if ((st = npz_writer_add(w, "data", f8, 2, dshape, false, data, rows * cols * sizeof *data,
                             NPYIO_STORED)) != NPYIO_OK ||
        (st = npz_writer_add(w, "mean", f8, 1, vshape, false, mean, cols * sizeof *mean,
                             NPYIO_STORED)) != NPYIO_OK ||
        (st = npz_writer_add(w, "std", f8, 1, vshape, false, std, cols * sizeof *std,
                             NPYIO_STORED)) != NPYIO_OK) {
        npz_writer_discard(w);
        return fail("npz_writer_add", st);
    }
    if ((st = npz_writer_finish(w)) != NPYIO_OK)
        return fail("npz_writer_finish", st);

    for (size_t j = 0; j < cols; j++)
        printf("column %zu: mean %10.4f  std %8.4f\n", j, mean[j], std[j]);
    printf("wrote preprocessed.npz: data (%zu, %zu), mean (%zu,), std (%zu,)\n", rows, cols, cols,
           cols);

    npyio_dtype_free(f8);
    npy_close(raw);
    free(mean);
    free(std);
    free(data);
    return 0;
}
