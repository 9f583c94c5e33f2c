#!/usr/bin/env python3
"""Plots bench/out/scale.json (bench/bench_scale.py): time and peak memory
against decompressed profile size, pprofx next to go tool pprof and gzip -dc.
Debian's python3-matplotlib (scripts/install-deps.sh --bench).

Usage: bench/plot_scale.py scale.json out.png
"""
import json, sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    # The size series: random stacks (the deep profile and the hot-stacks 1M profile are tabled, not plotted).
    rows = [r for r in json.load(open(sys.argv[1])) if not r["profile"].startswith("deep") and "hot" not in r["profile"]]
    commands = ["gzip -dc", "pprofx top", "pprofx flame (SVG)", "go tool pprof -top"]
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    for cmd, style in zip(commands, ["k:", "C0-o", "C2-s", "C3-^"]):
        pts = sorted((r["raw_bytes"] / 1e6, r["seconds"], r["peak_rss_mb"]) for r in rows if r["command"] == cmd)
        if not pts:
            continue
        x = [p[0] for p in pts]
        ax_t.plot(x, [p[1] for p in pts], style, label=cmd)
        if cmd != "gzip -dc":
            ax_m.plot(x, [p[2] for p in pts], style, label=cmd)
    for ax, ylabel in ((ax_t, "wall time (s)"), (ax_m, "peak RSS (MB)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("profile size, decompressed (MB)")
        ax.set_ylabel(ylabel)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    ax_t.set_title("time against profile size")
    ax_m.set_title("memory against profile size")
    sizes = sorted({r["samples"] for r in rows})
    fig.suptitle(f"Generated profiles of {', '.join(f'{s // 1000}k' for s in sizes)} samples "
                 "(bench/bench_scale.py, 2-core machine)", fontsize=9)
    fig.tight_layout()
    fig.savefig(sys.argv[2])


if __name__ == "__main__":
    main()
