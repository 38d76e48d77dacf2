/* checkpoint: NumPy I/O guide, exercise 4 -- checkpoint and resume.
 * save_checkpoint(path, epoch, weights, loss_history) stores all state in one
 * .npz (epoch as a 0-d int64, weights 10x5 float64, loss_history float64);
 * "training" runs 5 epochs, checkpointing at epoch 3; a second run resumes
 * from the checkpoint and continues to epoch 5; the two must agree exactly.
 * Leaves ckpt.npz (the epoch-3 state) for NumPy to check. */
#include <stdio.h>
#include <string.h>

#include "npyio.h"

enum { R = 10, C = 5, EPOCHS = 5 };

struct state {
    long long epoch;
    double weights[R * C];
    double loss[EPOCHS];
    size_t nloss;
};

static int fail(const char *what)
{
    char msg[512];
    npyio_last_error(msg, sizeof msg);
    fprintf(stderr, "checkpoint: %s: %s\n", what, msg);
    return 1;
}

static int save_checkpoint(const char *path, const struct state *s)
{
    npyio_dtype *i8 = NULL, *f8 = NULL;
    if (npyio_dtype_parse("<i8", &i8) || npyio_dtype_parse("<f8", &f8)) return fail("dtype");
    const uint64_t wshape[2] = {R, C}, lshape = s->nloss;
    npz_writer *w = NULL;
    int rc = 0;
    if (npz_writer_open_ex(path, NPYIO_SAVE_FSYNC, -1, &w) ||
        npz_writer_add(w, "epoch", i8, 0, NULL, false, &s->epoch, sizeof s->epoch, NPYIO_STORED) ||
        npz_writer_add(w, "weights", f8, 2, wshape, false, s->weights, sizeof s->weights, NPYIO_STORED) ||
        npz_writer_add(w, "loss_history", f8, 1, &lshape, false, s->loss, s->nloss * sizeof(double), NPYIO_STORED)) {
        npz_writer_discard(w);
        rc = fail("save_checkpoint");
    } else if (npz_writer_finish(w)) {
        rc = fail("npz_writer_finish");
    }
    npyio_dtype_free(i8);
    npyio_dtype_free(f8);
    return rc;
}

static int read_member(npz_file *z, const char *name, void *dst, size_t cap, uint64_t *nbytes)
{
    npy_file *m = NULL;
    if (npz_open_member(z, name, &m)) return fail(name);
    *nbytes = npy_nbytes(m);
    int rc = npy_read_into(m, dst, cap, NPYIO_READ_NATIVE | NPYIO_READ_C_ORDER) ? fail(name) : 0;
    npy_close(m);
    return rc;
}

static int load_checkpoint(const char *path, struct state *s)
{
    npz_file *z = NULL;
    uint64_t n = 0;
    if (npz_open(path, &z)) return fail("npz_open");
    int rc = read_member(z, "epoch", &s->epoch, sizeof s->epoch, &n) ||
             read_member(z, "weights", s->weights, sizeof s->weights, &n) ||
             read_member(z, "loss_history", s->loss, sizeof s->loss, &n);
    s->nloss = (size_t)(n / sizeof(double));
    npz_close(z);
    return rc;
}

static void train_epoch(struct state *s, long long epoch)
{
    s->loss[s->nloss++] = 1.0 / (double)epoch; /* fake decreasing loss */
    for (int i = 0; i < R * C; i++) s->weights[i] *= 0.99; /* fake update */
    s->epoch = epoch;
}

int main(void)
{
    struct state run = {0}, resumed = {0};
    for (int i = 0; i < R * C; i++) run.weights[i] = (double)((i * 37) % 23) / 7.0 - 1.5;
    for (long long e = 1; e <= EPOCHS; e++) {
        train_epoch(&run, e);
        if (e == 3) {
            if (save_checkpoint("ckpt.npz", &run)) return 1;
            printf("Checkpoint saved at epoch %lld\n", e);
        }
    }
    if (load_checkpoint("ckpt.npz", &resumed)) return 1;
    printf("Resumed from epoch %lld\n", resumed.epoch);
    printf("Loss history so far: [");
    for (size_t i = 0; i < resumed.nloss; i++) printf("%s%.17g", i ? ", " : "", resumed.loss[i]);
    printf("]\nWeights shape: (%d, %d)\n", R, C);
    for (long long e = resumed.epoch + 1; e <= EPOCHS; e++) train_epoch(&resumed, e);
    int same = resumed.nloss == run.nloss && memcmp(resumed.loss, run.loss, sizeof run.loss) == 0 &&
               memcmp(resumed.weights, run.weights, sizeof run.weights) == 0 && resumed.epoch == run.epoch;
    printf("Final loss history: [");
    for (size_t i = 0; i < resumed.nloss; i++) printf("%s%.17g", i ? ", " : "", resumed.loss[i]);
    printf("]\nContinuity: %s\n", same ? "exact" : "BROKEN");
    return same ? 0 : 1;
}
