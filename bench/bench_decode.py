#!/usr/bin/env python3
"""Issue 20's table: `pprofx top` and `flame` on the three benchmark profiles (100k samples,
1M samples, deep 10k x 2,000 frames) beside `gzip -dc FILE > /dev/null` (the floor) and
`go tool pprof -top`, in the same run: median wall time, peak RSS, ratios. With --before
PPROFX, the same commands of another pprofx build (e.g. the previous commit's) in the same run;
--threads1 adds `pprofx top --threads 1` (no decoding while inflating).

Usage: bench/bench_decode.py [--build build] [--runs 5] [--pprof-runs 1] [--before PATH] [--threads1]
           [--only 100k|1M|deep] [--bomb]
Needs: a built tree (pprofx, pprofx_bench_gen) and golang-go (scripts/install-deps.sh --bench).
"""
import argparse, gzip, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import benchlib  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pprof-runs", type=int, default=1)
    ap.add_argument("--before", default="")
    ap.add_argument("--threads1", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--bomb", action="store_true", help="also time the 4 GiB gzip bomb of zeros")
    opts = ap.parse_args()
    gen = os.path.join(opts.build, "bench", "pprofx_bench_gen")
    pprofx = os.path.join(opts.build, "pprofx")
    out = os.path.join(ROOT, "bench", "out")
    os.makedirs(out, exist_ok=True)
    go = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
    print(f"Machine: {os.cpu_count()} cores; {go}; medians of {opts.runs} runs "
          f"({opts.pprof_runs} for go tool pprof); wall time includes process start.\n")
    cols = ["gzip -dc", "go tool pprof -top", "pprofx top", "top / gzip", "pprof / pprofx", "pprofx flame",
            "flame / gzip"]
    if opts.threads1:
        cols.insert(3, "top --threads 1")
    if opts.before:
        cols += ["before: top", "before: flame"]
    print("| profile | gz / raw | " + " | ".join(cols) + " |")
    print("|---|---|" + "---|" * len(cols))
    for label, name, args in benchlib.GEN_PROFILES:
        if opts.only and not label.startswith(opts.only):
            continue
        path = benchlib.generated(gen, out, name, args)
        raw = int(subprocess.run(f"gzip -dc '{path}' | wc -c", shell=True, capture_output=True, text=True).stdout)
        t_gz, _ = benchlib.measure(f"gzip -dc '{path}' > /dev/null", opts.runs)
        t_go, rss_go = benchlib.measure(["go", "tool", "pprof", "-top", "-symbolize=none", path], opts.pprof_runs)
        t_top, rss_top = benchlib.measure([pprofx, "top", path], opts.runs)
        t_flame, rss_flame = benchlib.measure([pprofx, "flame", path, "-o", "/dev/null"], opts.runs)
        cells = [f"{t_gz:.3f} s", f"{t_go:.2f} s, {rss_go:.0f} MB", f"{t_top:.3f} s, {rss_top:.0f} MB",
                 f"{t_top / t_gz:.2f}x", f"{t_go / t_top:.1f}x", f"{t_flame:.3f} s, {rss_flame:.0f} MB",
                 f"{t_flame / t_gz:.2f}x"]
        if opts.threads1:
            t1, rss1 = benchlib.measure([pprofx, "top", "--threads", "1", path], opts.runs)
            cells.insert(3, f"{t1:.3f} s, {rss1:.0f} MB")
        if opts.before:
            tb, rb = benchlib.measure([opts.before, "top", path], opts.runs)
            fb, frb = benchlib.measure([opts.before, "flame", path, "-o", "/dev/null"], opts.runs)
            cells += [f"{tb:.3f} s, {rb:.0f} MB", f"{fb:.3f} s, {frb:.0f} MB"]
        print(f"| {label} | {os.path.getsize(path) / 1e6:.1f} / {raw / 1e6:.1f} MB | " + " | ".join(cells) + " |")
    if opts.bomb:
        bomb = os.path.join(out, "bomb-4g.pb.gz")
        if not os.path.exists(bomb):
            with gzip.open(bomb, "wb", compresslevel=1) as z:
                chunk = b"\0" * (64 << 20)
                for _ in range(64):
                    z.write(chunk)
        for tool, binary in [("pprofx", pprofx)] + ([("before", opts.before)] if opts.before else []):
            start = time.perf_counter()
            r = subprocess.run([binary, "top", bomb], capture_output=True)
            print(f"\n4 GiB gzip bomb of zeros ({os.path.getsize(bomb) / 1e6:.1f} MB), {tool}: refused in "
                  f"{time.perf_counter() - start:.3f} s (exit {r.returncode}): {r.stderr.decode().strip()}")


if __name__ == "__main__":
    main()
