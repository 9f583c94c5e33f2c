#!/usr/bin/env python3
"""Times `pprofx top` next to `gzip -dc` (the floor: inflate and discard) and
`go tool pprof -top`, in the same run, on the same files. Prints a markdown
table: median wall time of N runs, peak RSS, and ratios.

Usage: bench/bench_top.py [--build build] [--runs 5] [--shared ../shared]
Needs: a built tree (pprofx, pprofx_bench_gen) and golang-go
(scripts/install-deps.sh --bench).
"""
import argparse, os, resource, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from benchlib import measure  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    opts = ap.parse_args()
    out_dir = os.path.join(ROOT, "bench", "out")
    os.makedirs(out_dir, exist_ok=True)
    gen = os.path.join(opts.build, "bench", "pprofx_bench_gen")
    pprofx = os.path.join(opts.build, "pprofx")
    big = os.path.join(out_dir, "p100k.pb.gz")
    if not os.path.exists(big):
        subprocess.run([gen, big], check=True)
    files = [("generated 100k samples", big)]
    large = os.path.join(opts.shared, "corpus", "real", "pprof", "large.cpu")
    if os.path.exists(large):
        files.append(("pprof large.cpu (corpus)", large))
    files.append(("testdata workload.cpu", os.path.join(ROOT, "testdata", "workload.cpu.pb.gz")))

    env_note = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
    print(f"Machine: {os.cpu_count()} cores; {env_note}; median of {opts.runs} runs; wall time includes process start.\n")
    print("| profile | size gz / raw | gzip -dc | go tool pprof -top | pprofx top | pprofx / gzip | pprof / pprofx | RSS pprof / pprofx |")
    print("|---|---|---|---|---|---|---|---|")
    for label, path in files:
        raw = int(subprocess.run(f"gzip -dc '{path}' | wc -c", shell=True, capture_output=True, text=True).stdout)
        t_gz, _ = measure(f"gzip -dc '{path}' > /dev/null", opts.runs)
        t_go, rss_go = measure(["go", "tool", "pprof", "-top", "-symbolize=none", path], opts.runs)
        t_px, rss_px = measure([pprofx, "top", path], opts.runs)
        print(f"| {label} | {os.path.getsize(path)/1e6:.1f} MB / {raw/1e6:.1f} MB | {t_gz*1000:.0f} ms | "
              f"{t_go*1000:.0f} ms | {t_px*1000:.0f} ms | {t_px/t_gz:.2f}x | {t_go/t_px:.1f}x | "
              f"{rss_go:.0f} MB / {rss_px:.0f} MB |")


if __name__ == "__main__":
    main()
