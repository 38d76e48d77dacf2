#!/usr/bin/env python3
"""Plots for docs/BENCHMARKS.md from the data the benchmarks leave behind.

Every benchmark that plots writes `<target>/bench-results/<bench>.json`
(tests/support/src/bench.rs, `write_plot_data`; a Python script may write the
same shape):

  {"bench": "npy", "machine": "CPU: ...", "load": "1.20 0.90 0.80",
   "tables": [{"id": "npy-read", "title": "...", "ylabel": "GB/s ...",
               "x": ["80 B", "8 MB", "1 GiB"],
               "series": [{"name": "npy_read_into", "kind": "ours",
                           "values": [0.02, 6.4, 6.2]}, ...]}]}

`kind` is "ours" (libnpyio), "numpy" or "bound" (a machine limit); it picks
the colour family. For each table this draws one PNG, `docs/plots/<id>.png`:
grouped bars per x (size or case), one bar per series, logarithmic y when
the values span more than 20x, each bar labelled with its value; the title
carries the machine and the load average of the run.

Usage (one command regenerates every plot from the last benchmark runs):

    python benches/plot.py                    # all of target/bench-results/*.json
    python benches/plot.py FILE.json ...      # only these
    python benches/plot.py --out DIR ...      # somewhere else than docs/plots

Needs matplotlib (./test.sh installs it into .venv).
"""

import argparse
import glob
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

COLOURS = {
    "ours": ["#1f5fa8", "#4a90d9", "#8cbcec", "#b9d6f2"],
    "numpy": ["#d9731a", "#f0a35e", "#f7c99d"],
    "bound": ["#555555", "#8a8a8a", "#b8b8b8", "#d8d8d8"],
}


def target_dir():
    return os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))


def label(v):
    if v >= 100:
        return f"{v:.0f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def plot_table(doc, table, out_dir):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = table["x"]
    series = table["series"]
    used = {k: 0 for k in COLOURS}
    values = [v for s in series for v in s["values"] if v is not None and v > 0]
    if not xs or not series or not values:
        return None
    n = len(series)
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(xs) * (1 + n * 0.25)), 4.8), dpi=110)
    for i, s in enumerate(series):
        fam = COLOURS.get(s.get("kind"), COLOURS["bound"])
        colour = fam[used.get(s.get("kind"), 0) % len(fam)]
        used[s.get("kind")] = used.get(s.get("kind"), 0) + 1
        pos = [j + (i - (n - 1) / 2) * width for j in range(len(xs))]
        vals = [v if v is not None and v > 0 else 0 for v in s["values"]]
        bars = ax.bar(pos, vals, width * 0.95, label=s["name"], color=colour,
                      edgecolor="black" if s.get("kind") == "ours" else None, linewidth=0.4)
        for b, v in zip(bars, s["values"]):
            if v is not None and v > 0:
                ax.annotate(label(v), (b.get_x() + b.get_width() / 2, b.get_height()),
                            ha="center", va="bottom", fontsize=6, rotation=90,
                            xytext=(0, 2), textcoords="offset points")
    if max(values) / min(values) > 20:
        ax.set_yscale("log")
        ax.set_ylim(min(values) / 2, max(values) * 6)
    else:
        ax.set_ylim(0, max(values) * 1.25)
    ax.set_xticks(range(len(xs)))
    ax.set_xticklabels(xs)
    ax.set_ylabel(table.get("ylabel", ""))
    ax.set_title(f'{table["title"]}\n{doc.get("machine", "")}; load average {doc.get("load", "?")}',
                 fontsize=9)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=min(n, 3),
              frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f'{table["id"]}.png')
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="bench JSON files (default: target/bench-results/*.json)")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "plots"))
    args = ap.parse_args()
    files = args.files or sorted(glob.glob(os.path.join(target_dir(), "bench-results", "*.json")))
    if not files:
        sys.exit("no benchmark data: run a benchmark first (e.g. cargo bench --bench npy)")
    for f in files:
        with open(f) as fh:
            doc = json.load(fh)
        for t in doc.get("tables", []):
            p = plot_table(doc, t, args.out)
            print(p if p else f"{f}: table {t.get('id')} has no data, skipped")


if __name__ == "__main__":
    main()
