/* The five exercises of the NumPy I/O guide ("Array I/O: save, load, savez"), written as a user
 * of the installed library would write them, with the typed calls: npy_save_typed,
 * npz_writer_add_typed, npy_load, npy_read_as, npz_read_as. Run in an empty directory; it
 * leaves the files check.py has NumPy verify, prints what the guide's solutions print, and
 * exits non-zero when a step fails or an exercise's own check does not hold. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "npyio.h"

#define TRY(call)                                                   \
    do {                                                            \
        if ((call) != NPYIO_OK) return fail(#call);                 \
    } while (0)

static int fail(const char *what)
{
    char msg[512];
    npyio_last_error(msg, sizeof msg);
    fprintf(stderr, "guide_exercises: %s: %s\n", what, msg);
    return 1;
}

static double size_of(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (double)sb.st_size : -1.0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Deterministic values in [-0.5, 0.5): the guide uses np.random. */
static void noise(double *a, size_t n, unsigned long long seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        a[i] = (double)(seed >> 11) / 9007199254740992.0 - 0.5;
    }
}

/* 1. A 100x50 array saved, loaded back, compared exactly; the file size in KB. */
static int exercise1(void)
{
    static double a[100 * 50];
    noise(a, 100 * 50, 1);
    const uint64_t shape[2] = {100, 50};
    TRY(npy_save_typed("ex1.npy", NPYIO_FLOAT64, 2, shape, a, sizeof a));
    npy_file *f = NULL;
    TRY(npy_load("ex1.npy", NPYIO_FLOAT64, &f));
    int match = npy_ndim(f) == 2 && npy_shape(f)[0] == 100 && npy_shape(f)[1] == 50 &&
                memcmp(npy_data(f), a, sizeof a) == 0;
    npy_close(f);
    printf("Match: %s\nFile size: %.1f KB\n", match ? "True" : "False", size_of("ex1.npy") / 1024);
    return !match;
}

/* 2. arange(10), linspace(0, 1, 10) and eye(3) under custom names in one .npz. */
static int exercise2(void)
{
    int64_t x[10];
    double y[10], z[9] = {0}, y2[10], z2[9];
    int64_t x2[10];
    for (int i = 0; i < 10; i++) x[i] = i, y[i] = i / 9.0;
    y[9] = 1.0;
    z[0] = z[4] = z[8] = 1.0;
    const uint64_t n10 = 10, eye[2] = {3, 3};
    npz_writer *w = NULL;
    TRY(npz_writer_open("ex2.npz", &w));
    if (npz_writer_add_typed(w, "x_data", NPYIO_INT64, 1, &n10, x, sizeof x) ||
        npz_writer_add_typed(w, "y_data", NPYIO_FLOAT64, 1, &n10, y, sizeof y) ||
        npz_writer_add_typed(w, "z_data", NPYIO_FLOAT64, 2, eye, z, sizeof z)) {
        npz_writer_discard(w);
        return fail("npz_writer_add_typed");
    }
    TRY(npz_writer_finish(w));
    npz_file *data = NULL;
    TRY(npz_open("ex2.npz", &data));
    printf("Stored arrays: [");
    for (size_t i = 0; i < npz_count(data); i++) printf("%s'%s'", i ? ", " : "", npz_name(data, i));
    printf("]\n");
    int rc = npz_read_as(data, "x_data", NPYIO_INT64, x2, sizeof x2) ||
             npz_read_as(data, "y_data", NPYIO_FLOAT64, y2, sizeof y2) ||
             npz_read_as(data, "z_data", NPYIO_FLOAT64, z2, sizeof z2);
    npz_close(data);
    if (rc) return fail("npz_read_as");
    int mx = !memcmp(x, x2, sizeof x), my = !memcmp(y, y2, sizeof y), mz = !memcmp(z, z2, sizeof z);
    printf("x match: %s\ny match: %s\nz match: %s\n", mx ? "True" : "False", my ? "True" : "False",
           mz ? "True" : "False");
    return !(mx && my && mz);
}

/* 3. A 1000x1000 array stored and compressed; the sizes and the ratio. */
static int save3(const char *path, uint32_t flags, const double *a)
{
    const uint64_t shape[2] = {1000, 1000};
    npz_writer *w = NULL;
    TRY(npz_writer_open_ex(path, flags, -1, &w));
    if (npz_writer_add_typed(w, "data", NPYIO_FLOAT64, 2, shape, a, 1000 * 1000 * sizeof *a)) {
        npz_writer_discard(w);
        return fail("npz_writer_add_typed");
    }
    TRY(npz_writer_finish(w));
    return 0;
}

static int exercise3(void)
{
    double *a = malloc(1000 * 1000 * sizeof *a);
    if (!a) return 1;
    noise(a, 1000 * 1000, 3);
    int rc = save3("ex3_uncompressed.npz", 0, a) || save3("ex3_compressed.npz", NPYIO_NPZ_COMPRESSED, a);
    free(a);
    if (rc) return 1;
    double u = size_of("ex3_uncompressed.npz"), c = size_of("ex3_compressed.npz");
    printf("Uncompressed: %.2f MB\nCompressed: %.2f MB\nCompression ratio: %.2fx\n", u / 1e6, c / 1e6,
           u / c);
    return !(c < u);
}

/* 4. Checkpoint at epoch 3 of 5, resume from it, continue to 5: the same state. */
struct state {
    int64_t epoch;
    double weights[10 * 5], loss[5];
};

static int save_checkpoint(const char *path, const struct state *s)
{
    const uint64_t wshape[2] = {10, 5}, nloss = (uint64_t)s->epoch;
    npz_writer *w = NULL;
    TRY(npz_writer_open(path, &w));
    if (npz_writer_add_typed(w, "epoch", NPYIO_INT64, 0, NULL, &s->epoch, sizeof s->epoch) ||
        npz_writer_add_typed(w, "weights", NPYIO_FLOAT64, 2, wshape, s->weights, sizeof s->weights) ||
        npz_writer_add_typed(w, "loss_history", NPYIO_FLOAT64, 1, &nloss, s->loss, nloss * sizeof(double))) {
        npz_writer_discard(w);
        return fail("save_checkpoint");
    }
    TRY(npz_writer_finish(w));
    return 0;
}

static int load_checkpoint(const char *path, struct state *s)
{
    npz_file *z = NULL;
    TRY(npz_open(path, &z));
    int rc = npz_read_as(z, "epoch", NPYIO_INT64, &s->epoch, sizeof s->epoch) ||
             npz_read_as(z, "weights", NPYIO_FLOAT64, s->weights, sizeof s->weights) ||
             s->epoch < 0 || s->epoch > 5 ||
             npz_read_as(z, "loss_history", NPYIO_FLOAT64, s->loss, (size_t)s->epoch * sizeof(double));
    npz_close(z);
    return rc ? fail("load_checkpoint") : 0;
}

static void train(struct state *s, int64_t epoch)
{
    s->loss[epoch - 1] = 1.0 / (double)epoch;
    for (int i = 0; i < 50; i++) s->weights[i] *= 0.99;
    s->epoch = epoch;
}

static int exercise4(void)
{
    struct state run, ckpt;
    memset(&run, 0, sizeof run);
    memset(&ckpt, 0, sizeof ckpt);
    noise(run.weights, 50, 4);
    for (int64_t e = 1; e <= 5; e++) {
        train(&run, e);
        if (e == 3) {
            if (save_checkpoint("ex4_ckpt.npz", &run)) return 1;
            printf("Checkpoint saved at epoch 3\n");
        }
    }
    if (load_checkpoint("ex4_ckpt.npz", &ckpt)) return 1;
    printf("Resumed from epoch %lld\nWeights shape: (10, 5)\n", (long long)ckpt.epoch);
    for (int64_t e = ckpt.epoch + 1; e <= 5; e++) train(&ckpt, e);
    int same = memcmp(&run, &ckpt, sizeof run) == 0;
    printf("Final loss history: [");
    for (int i = 0; i < 5; i++) printf("%s%.17g", i ? ", " : "", ckpt.loss[i]);
    printf("]\nContinuity: %s\n", same ? "exact" : "BROKEN");
    return !same;
}

/* 5. One million values as .npy, .csv and compressed .npz; load times and sizes. */
static int exercise5(void)
{
    enum { N = 1000000 };
    double *arr = malloc(N * sizeof *arr), *back = malloc(N * sizeof *back);
    if (!arr || !back) return 1;
    noise(arr, N, 5);
    const uint64_t n = N;
    int rc = 0;
    npz_writer *w = NULL;
    if (npy_save_typed("ex5.npy", NPYIO_FLOAT64, 1, &n, arr, N * sizeof *arr) ||
        npy_savetxt_data("ex5.csv", npyio_type_dtype(NPYIO_FLOAT64), 1, &n, arr, N * sizeof *arr, NULL) ||
        npz_writer_open_ex("ex5.npz", NPYIO_NPZ_COMPRESSED, -1, &w))
        rc = fail("saving");
    else if (npz_writer_add_typed(w, "data", NPYIO_FLOAT64, 1, &n, arr, N * sizeof *arr)) {
        npz_writer_discard(w);
        rc = fail("npz_writer_add_typed");
    } else if (npz_writer_finish(w))
        rc = fail("npz_writer_finish");
    double t[3] = {0};
    const char *files[3] = {"ex5.npy", "ex5.csv", "ex5.npz"};
    int equal = 1;
    for (int k = 0; k < 3 && !rc; k++) {
        npy_file *f = NULL;
        npz_file *z = NULL;
        double t0 = now();
        if (k == 0) rc = npy_load(files[k], NPYIO_FLOAT64, &f) != NPYIO_OK;
        if (k == 1) rc = npy_loadtxt(files[k], NULL, &f) != NPYIO_OK;
        if (k == 2) rc = npz_open(files[k], &z) != NPYIO_OK ||
                         npz_read_as(z, "data", NPYIO_FLOAT64, back, N * sizeof *back) != NPYIO_OK;
        if (!rc && k == 1) rc = npy_read_as(f, NPYIO_FLOAT64, back, N * sizeof *back) != NPYIO_OK;
        t[k] = now() - t0;
        if (rc) {
            rc = fail(files[k]);
            break;
        }
        equal &= memcmp(k == 0 ? npy_data(f) : back, arr, N * sizeof *arr) == 0;
        npy_close(f);
        npz_close(z);
    }
    if (!rc) {
        printf("%-12s %12s %10s\n", "Format", "Load time", "Size (MB)");
        const char *names[3] = {"NPY", "CSV", "NPZ (comp)"};
        for (int k = 0; k < 3; k++)
            printf("%-12s %11.4fs %10.2f\n", names[k], t[k], size_of(files[k]) / 1e6);
        printf("all three loads equal the original: %s\n", equal ? "yes" : "NO");
    }
    free(arr);
    free(back);
    return rc || !equal;
}

int main(void)
{
    int (*exercises[5])(void) = {exercise1, exercise2, exercise3, exercise4, exercise5};
    int failed = 0;
    for (int i = 0; i < 5; i++) {
        printf("-- exercise %d\n", i + 1);
        if (exercises[i]()) {
            fprintf(stderr, "guide_exercises: exercise %d failed\n", i + 1);
            failed++;
        }
    }
    printf("guide_exercises: %d of 5 exercises done\n", 5 - failed);
    return failed != 0;
}
