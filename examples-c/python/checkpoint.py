# checkpoint.c in NumPy: exercise 4 of the NumPy I/O guide.
import numpy as np


def save_checkpoint(path, epoch, weights, loss_history):
    np.savez(path, epoch=np.array(epoch), weights=weights, loss_history=np.array(loss_history))


def load_checkpoint(path):
    with np.load(path) as d:
        return int(d["epoch"]), d["weights"], d["loss_history"].tolist()


def train_epoch(weights, loss, epoch):
    loss.append(1.0 / epoch)
    return weights * 0.99


weights, loss = np.random.default_rng(0).standard_normal((10, 5)), []
for epoch in range(1, 6):
    weights = train_epoch(weights, loss, epoch)
    if epoch == 3:
        save_checkpoint("ckpt.npz", epoch, weights, loss)
        print(f"Checkpoint saved at epoch {epoch}")
start, w2, loss2 = load_checkpoint("ckpt.npz")
print(f"Resumed from epoch {start}")
print(f"Loss history so far: {loss2}")
print(f"Weights shape: {w2.shape}")
for epoch in range(start + 1, 6):
    w2 = train_epoch(w2, loss2, epoch)
print(f"Final loss history: {loss2}")
print(f"Continuity: {'exact' if np.array_equal(w2, weights) and loss2 == loss else 'BROKEN'}")
