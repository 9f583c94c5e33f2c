#!/usr/bin/env python3
"""Merging a fleet: N generated CPU profiles (different seeds: the same program
on different machines, so stacks overlap) merged by `pprofx merge`, with 1 and
2 threads, and `pprofx top` of them all (decode and merge without writing), next to `go tool pprof -proto` merging the same files.
With --dask: scripts/fleet-merge on a local Dask cluster of 1 and 2 worker
processes next to one `pprofx merge --threads 2` of the same files (wall time,
peak memory per worker, Dask's overhead per task), on the fleet above and on
one whose hosts repeat their stacks (--hot-stacks: partial merges shrink).
Run it with Debian's python3 (python3-distributed) and hold the build lock:
  flock /tmp/pprofx-build.lock /usr/bin/python3 bench/bench_fleet.py --dask

Usage: bench/bench_fleet.py [--build build] [--count 1000] [--runs 3] [--skip-pprof] [--dask]
"""
import argparse, glob, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from benchlib import measure  # noqa: E402


def make_fleet(opts, name, extra):
    fleet = os.path.join(ROOT, "bench", "out", name)
    if len(glob.glob(os.path.join(fleet, "*.pb.gz"))) != opts.count:
        os.makedirs(fleet, exist_ok=True)
        gen = os.path.join(opts.build, "bench", "pprofx_bench_gen")
        for i in range(opts.count):
            subprocess.run([gen, os.path.join(fleet, f"host{i:04d}.pb.gz"), "--samples", "3000", "--locations", "4000",
                            "--functions", "2000", "--max-depth", "40", "--seed", "7", "--sample-seed", str(i + 1)]
                           + extra, check=True, capture_output=True)
    return sorted(glob.glob(os.path.join(fleet, "*.pb.gz")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-pprof", action="store_true")
    ap.add_argument("--dask", action="store_true", help="only the fleet-merge (Dask) comparison")
    opts = ap.parse_args()
    files = make_fleet(opts, f"fleet{opts.count}", [])
    if opts.dask:
        import bench_fleet_dask
        bench_fleet_dask.compare(opts, files, "every sample with its own labels (partials do not shrink)")
        hot = make_fleet(opts, f"fleet{opts.count}-hot", ["--hot-stacks", "200"])
        bench_fleet_dask.compare(opts, hot, "--hot-stacks 200: hosts repeat their stacks (partials shrink)")
        return
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
