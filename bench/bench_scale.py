#!/usr/bin/env python3
"""Scale (issue 7): time and peak memory against profile size, for pprofx and
go tool pprof in the same run, next to gzip -dc; and the deep profile (10k
samples, stacks 2,000 frames deep).

Sizes: generated profiles of 30k, 100k, 300k and 1M samples (100k locations,
50k functions, 16 mappings, depth up to 128, labels on most samples). Every
command's peak RSS is measured (wait4's ru_maxrss). Results go to
bench/out/scale.json and, with --plot, to docs/images/scale.png
(bench/plot_scale.py, matplotlib).

Usage: bench/bench_scale.py [--build build] [--runs 3] [--skip-pprof] [--sizes 30000,100000] [--plot]
"""
import argparse, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from benchlib import measure  # noqa: E402

COMMON = ["--locations", "100000", "--functions", "50000", "--mappings", "16"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-pprof", action="store_true")
    ap.add_argument("--sizes", default="30000,100000,300000,1000000")
    ap.add_argument("--plot", action="store_true")
    ap.add_argument("--only", default="", help="only the profiles whose label contains this")
    opts = ap.parse_args()
    gen = os.path.join(opts.build, "bench", "pprofx_bench_gen")
    px = os.path.join(opts.build, "pprofx")
    out = os.path.join(ROOT, "bench", "out")
    os.makedirs(out, exist_ok=True)
    files = [(f"{int(n) // 1000}k samples", os.path.join(out, f"scale-{n}.pb.gz"),
              ["--samples", n, "--max-depth", "128"] + COMMON, int(n)) for n in opts.sizes.split(",")]
    # The 1M profile compresses like a real one (~3.5x): repeated hot stacks.
    files.append(("1000k samples, hot stacks", os.path.join(out, "scale-1000000-hot.pb.gz"),
                  ["--samples", "1000000", "--max-depth", "128", "--hot-stacks", "20000"] + COMMON, 1000000))
    files.append(("deep: 10k x 2,000 frames", os.path.join(out, "deep.pb.gz"),
                  ["--samples", "10000", "--min-depth", "2000", "--max-depth", "2000"] + COMMON, 10000))
    results = []
    print("| profile | size gz / raw | command | time | ratio to gzip -dc | peak RSS |")
    print("|---|---|---|---:|---:|---:|")
    for label, path, args, samples in files:
        if opts.only and opts.only not in label:
            continue
        if not os.path.exists(path):
            subprocess.run([gen, path] + args, check=True, capture_output=True)
        raw = int(subprocess.run(f"gzip -dc '{path}' | wc -c", shell=True, capture_output=True, text=True).stdout)
        size = f"{os.path.getsize(path) / 1e6:.0f} / {raw / 1e6:.0f} MB"
        t_gz, rss_gz = measure(f"gzip -dc '{path}' > /dev/null", opts.runs, shell=True)
        rows = [("gzip -dc", t_gz, rss_gz)]
        cmds = [("pprofx top", [px, "top", "--symbolize=none", path]),
                ("pprofx flame (SVG)", [px, "flame", "--symbolize=none", path, "-o", "/dev/null"])]
        if "deep" in label:  # the folded text of the 1M random stacks would be ~3 GB
            cmds.append(("pprofx fold", [px, "fold", "--symbolize=none", path, "-o", "/dev/null"]))
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
            print(f"| {label} | {size} | {name} | {t:.2f} s | {t / t_gz:.2f}x | {rss:.0f} MB |", flush=True)
            results.append({"profile": label, "samples": samples, "raw_bytes": raw, "gz_bytes": os.path.getsize(path),
                            "command": name, "seconds": t, "peak_rss_mb": rss})
    json_path = os.path.join(out, "scale.json")
    if opts.only and os.path.exists(json_path):  # keep the other profiles' rows from the last full run
        done = {r["profile"] for r in results}
        results = [r for r in json.load(open(json_path)) if r["profile"] not in done] + results
    with open(json_path, "w") as f:
        json.dump(results, f, indent=1)
    if opts.plot:
        # Debian's python3 has python3-matplotlib (a pyenv one on PATH may not).
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "plot_scale.py"), os.path.join(out, "scale.json"),
                        os.path.join(ROOT, "docs", "images", "scale.png")], check=True)


if __name__ == "__main__":
    main()
