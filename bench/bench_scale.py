#!/usr/bin/env python3
"""Scale (issue 7): the 1M-sample profile and the deep one (10k samples, stacks
2,000 frames deep), timed in one run next to gzip -dc and go tool pprof, with
the peak RSS of every command.

Usage: bench/bench_scale.py [--build build] [--runs 3] [--skip-pprof]
"""
import argparse, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from benchlib import measure  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-pprof", action="store_true")
    opts = ap.parse_args()
    gen = os.path.join(opts.build, "bench", "pprofx_bench_gen")
    px = os.path.join(opts.build, "pprofx")
    out = os.path.join(ROOT, "bench", "out")
    os.makedirs(out, exist_ok=True)
    files = {
        "1M samples": (os.path.join(out, "p1m.pb.gz"), ["--samples", "1000000", "--locations", "100000", "--functions",
                                                         "50000", "--mappings", "16", "--max-depth", "128"]),
        "deep (2,000 frames)": (os.path.join(out, "deep.pb.gz"), ["--samples", "10000", "--locations", "100000",
                                                                  "--functions", "50000", "--min-depth", "2000",
                                                                  "--max-depth", "2000"]),
    }
    print("| profile | size gz / raw | command | time | ratio to gzip -dc | peak RSS |")
    print("|---|---|---|---|---|---|")
    for label, (path, args) in files.items():
        if not os.path.exists(path):
            subprocess.run([gen, path] + args, check=True, capture_output=True)
        raw = int(subprocess.run(f"gzip -dc '{path}' | wc -c", shell=True, capture_output=True, text=True).stdout)
        size = f"{os.path.getsize(path) / 1e6:.0f} / {raw / 1e6:.0f} MB"
        t_gz, rss_gz = measure(f"gzip -dc '{path}' > /dev/null", opts.runs, shell=True)
        rows = [("gzip -dc", t_gz, rss_gz)]
        cmds = [("pprofx top", [px, "top", path]), ("pprofx flame (SVG)", [px, "flame", path, "-o", "/dev/null"])]
        if "deep" in label:  # folded text of the 1M random stacks would be ~3 GB; the issue asks fold of the deep one
            cmds.append(("pprofx fold", [px, "fold", path, "-o", "/dev/null"]))
        for name, cmd in cmds:
            t, rss = measure(cmd, opts.runs)
            rows.append((name, t, rss))
        if not opts.skip_pprof:
            t, rss = measure(["go", "tool", "pprof", "-top", "-symbolize=none", path], 1)
            rows.append(("go tool pprof -top", t, rss))
            if "deep" in label:
                t, rss = measure(["go", "tool", "pprof", "-raw", "-symbolize=none", path], 1)
                rows.append(("go tool pprof -raw", t, rss))
        for name, t, rss in rows:
            print(f"| {label} | {size} | {name} | {t:.2f} s | {t / t_gz:.2f}x | {rss:.0f} MB |")


if __name__ == "__main__":
    main()
