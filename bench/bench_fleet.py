#!/usr/bin/env python3
"""Merging a fleet: N generated CPU profiles (different seeds: the same program
on different machines, so stacks overlap) merged by `pprofx merge`, with 1 and
2 threads, and `pprofx top` of them all (decode and merge without writing), next to `go tool pprof -proto` merging the same files.

Usage: bench/bench_fleet.py [--build build] [--count 1000] [--runs 3] [--skip-pprof]
"""
import argparse, glob, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from benchlib import measure  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-pprof", action="store_true")
    opts = ap.parse_args()
    fleet = os.path.join(ROOT, "bench", "out", f"fleet{opts.count}")
    if len(glob.glob(os.path.join(fleet, "*.pb.gz"))) != opts.count:
        os.makedirs(fleet, exist_ok=True)
        gen = os.path.join(opts.build, "bench", "pprofx_bench_gen")
        for i in range(opts.count):
            subprocess.run([gen, os.path.join(fleet, f"host{i:04d}.pb.gz"), "--samples", "3000", "--locations", "4000",
                            "--functions", "2000", "--max-depth", "40", "--seed", "7", "--sample-seed", str(i + 1)],
                           check=True, capture_output=True)
    files = sorted(glob.glob(os.path.join(fleet, "*.pb.gz")))
    size = sum(os.path.getsize(f) for f in files)
    out = os.path.join(tempfile.mkdtemp(), "merged.pb.gz")
    px = os.path.join(opts.build, "pprofx")
    t1, rss1 = measure([px, "merge", "--threads", "1", "-o", out] + files, opts.runs)
    t2, rss2 = measure([px, "merge", "--threads", "2", "-o", out] + files, opts.runs)
    # top merges the same way but writes no profile: decoding and merging alone.
    tt1, rsst1 = measure([px, "top", "--threads", "1", "--symbolize=none"] + files, opts.runs)
    tt2, rsst2 = measure([px, "top", "--threads", "2", "--symbolize=none"] + files, opts.runs)
    print(f"{len(files)} CPU profiles, {size / 1e6:.1f} MB gzip in all; median of {opts.runs} runs.\n")
    print("| command | time | peak RSS |")
    print("|---|---|---|")
    print(f"| pprofx merge --threads 1 | {t1:.2f} s | {rss1:.0f} MB |")
    print(f"| pprofx merge --threads 2 | {t2:.2f} s | {rss2:.0f} MB |")
    print(f"| pprofx top --threads 1 (decode and merge, no output profile) | {tt1:.2f} s | {rsst1:.0f} MB |")
    print(f"| pprofx top --threads 2 | {tt2:.2f} s | {rsst2:.0f} MB |")
    if not opts.skip_pprof:
        tg, rssg = measure(["go", "tool", "pprof", "-proto", "-symbolize=none"] + files, 1)
        print(f"| go tool pprof -proto (merges its inputs) | {tg:.2f} s | {rssg:.0f} MB |")
    print(f"\nSpeed-up from 1 to 2 threads: merge {t1 / t2:.2f}x, top {tt1 / tt2:.2f}x")


if __name__ == "__main__":
    main()
