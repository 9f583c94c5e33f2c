#!/usr/bin/env python3
"""The differential flame graph beside `flame` of NEW, in the same run, on the
same machine (issue 14 point 4): `pprofx diff BASE NEW -o d.svg` against
`pprofx flame NEW -o f.svg`, median wall time and peak RSS, on generated pairs
(BASE and NEW: the same call graph, different samples) of 100k and 1M samples
and of deep stacks (10k samples x 2,000 frames), plus the diff table alone and
gzip -dc of both files for scale.

Usage: bench/bench_diff_graph.py [--build build] [--runs 3] [--only 100k]
Profiles are generated into bench/out/ (not committed).
"""
import argparse, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import benchlib  # noqa: E402

COMMON = ["--locations", "100000", "--functions", "50000", "--mappings", "16"]
PAIRS = [
    ("100k samples", "diff-100k", ["--samples", "100000", "--max-depth", "128"]),
    ("1M samples", "diff-1m", ["--samples", "1000000", "--max-depth", "128"]),
    ("deep: 10k x 2,000 frames", "diff-deep", ["--samples", "10000", "--min-depth", "2000", "--max-depth", "2000"]),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="")
    opts = ap.parse_args()
    gen = os.path.join(opts.build, "bench", "pprofx_bench_gen")
    px = os.path.join(opts.build, "pprofx")
    out = os.path.join(ROOT, "bench", "out")
    os.makedirs(out, exist_ok=True)
    print(f"Machine: {os.cpu_count()} cores; median of {opts.runs} runs; peak RSS of the process.\n")
    print("| pair | gzip -dc both | flame NEW | diff table | diff -o d.svg | diff graph / flame (time, memory) | SVG frames |")
    print("|---|---|---|---|---|---|---|")
    for label, stem, args in PAIRS:
        if opts.only and opts.only not in label:
            continue
        base, new = os.path.join(out, f"{stem}.base.pb.gz"), os.path.join(out, f"{stem}.new.pb.gz")
        for path, seed in ((base, "1"), (new, "2")):
            if not os.path.exists(path):
                subprocess.run([gen, path] + args + COMMON + ["--sample-seed", seed], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        svg_f, svg_d = os.path.join(out, "bench-f.svg"), os.path.join(out, "bench-d.svg")
        t_gz, _ = benchlib.measure(f"gzip -dc '{base}' '{new}' > /dev/null", opts.runs)
        t_f, m_f = benchlib.measure([px, "flame", new, "-o", svg_f], opts.runs)
        t_t, m_t = benchlib.measure([px, "diff", base, new, "-n", "20"], opts.runs)
        t_d, m_d = benchlib.measure([px, "diff", base, new, "-o", svg_d], opts.runs)
        frames = open(svg_d).read().count("<title>") - 1
        print(f"| {label} | {t_gz:.2f} s | {t_f:.2f} s, {m_f:.0f} MB | {t_t:.2f} s, {m_t:.0f} MB | "
              f"{t_d:.2f} s, {m_d:.0f} MB | {t_d / t_f:.2f}x, {m_d / m_f:.2f}x | {frames} |")


if __name__ == "__main__":
    main()
