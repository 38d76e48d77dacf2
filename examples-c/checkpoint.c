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
    int64_t epoch;
    double weights[R * C];
    double loss[EPOCHS]; /* loss[0 .. epoch-1] */
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
    const uint64_t wshape[2] = {R, C}, nloss = (uint64_t)s->epoch;
    npz_writer *w = NULL;
    if (npz_writer_open_ex(path, NPYIO_SAVE_FSYNC, -1, &w)) return fail("npz_writer_open_ex");
    if (npz_writer_add_typed(w, "epoch", NPYIO_INT64, 0, NULL, &s->epoch, sizeof s->epoch) ||
        npz_writer_add_typed(w, "weights", NPYIO_FLOAT64, 2, wshape, s->weights, sizeof s->weights) ||
        npz_writer_add_typed(w, "loss_history", NPYIO_FLOAT64, 1, &nloss, s->loss, nloss * sizeof(double))) {
        npz_writer_discard(w);
        return fail("save_checkpoint");
    }
    return npz_writer_finish(w) ? fail("npz_writer_finish") : 0;
}

static int load_checkpoint(const char *path, struct state *s)
{
    npz_file *z = NULL;
    if (npz_open(path, &z)) return fail("npz_open");
    int rc = npz_read_as(z, "epoch", NPYIO_INT64, &s->epoch, sizeof s->epoch) ||
             npz_read_as(z, "weights", NPYIO_FLOAT64, s->weights, sizeof s->weights) ||
             s->epoch < 1 || s->epoch > EPOCHS ||
             npz_read_as(z, "loss_history", NPYIO_FLOAT64, s->loss, (size_t)s->epoch * sizeof(double));
    npz_close(z);
    return rc ? fail("load_checkpoint") : 0;
}

static void train_epoch(struct state *s, int64_t epoch)
{
    s->loss[epoch - 1] = 1.0 / (double)epoch; /* fake decreasing loss */
    for (int i = 0; i < R * C; i++) s->weights[i] *= 0.99; /* fake update */
    s->epoch = epoch;
}

static void print_loss(const char *what, const struct state *s)
{
    printf("%s: [", what);
    for (int64_t i = 0; i < s->epoch; i++) printf("%s%.17g", i ? ", " : "", s->loss[i]);
    printf("]\n");
}

int main(void)
{
    struct state run = {0}, resumed = {0};
    for (int i = 0; i < R * C; i++) run.weights[i] = (double)((i * 37) % 23) / 7.0 - 1.5;
    for (int64_t e = 1; e <= EPOCHS; e++) {
        train_epoch(&run, e);
        if (e == 3) {
            if (save_checkpoint("ckpt.npz", &run)) return 1;
            printf("Checkpoint saved at epoch %lld\n", (long long)e);
        }
    }
    if (load_checkpoint("ckpt.npz", &resumed)) return 1;
    printf("Resumed from epoch %lld\n", (long long)resumed.epoch);
    print_loss("Loss history so far", &resumed);
    printf("Weights shape: (%d, %d)\n", R, C);
    for (int64_t e = resumed.epoch + 1; e <= EPOCHS; e++) train_epoch(&resumed, e);
    print_loss("Final loss history", &resumed);
    int same = memcmp(&resumed, &run, sizeof run) == 0;
    printf("Continuity: %s\n", same ? "exact" : "BROKEN");
    return same ? 0 : 1;
}
