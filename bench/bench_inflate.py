#!/usr/bin/env python3
"""Which inflate to use (issue 20, point 1): zlib, libdeflate and ISA-L's igzip
inflating the same gzip files in one process (pprofx_bench_inflate: the whole
file into a buffer of the right size, every member; the three must give the
same bytes), next to `gzip -dc FILE > /dev/null`, in the same run. Files: the
benchmark profiles (100k samples, 1M samples, deep 10k x 2,000 frames; the
generator's, into bench/out/) and every gzip file of the corpus, summed.

Usage: bench/bench_inflate.py [--build build] [--runs 5] [--shared ../shared]
Needs: scripts/install-deps.sh --bench (libdeflate-dev) before the build.
"""
import argparse, glob, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import benchlib  # noqa: E402


def run_tool(tool, files, runs):
    out = subprocess.run([tool, "--runs", str(runs)] + files, check=True, capture_output=True, text=True).stdout
    rows = [line.split("\t") for line in out.strip().split("\n")[1:]]
    return {r[0]: (int(r[1]), int(r[2]), float(r[3]), float(r[4]), float(r[5])) for r in rows}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    opts = ap.parse_args()
    tool = os.path.join(opts.build, "bench", "pprofx_bench_inflate")
    if not os.path.exists(tool):
        sys.exit(f"bench_inflate: {tool} is missing: scripts/install-deps.sh --bench (libdeflate-dev), then build")
    gen = os.path.join(opts.build, "bench", "pprofx_bench_gen")
    out = os.path.join(ROOT, "bench", "out")
    os.makedirs(out, exist_ok=True)
    print(f"Machine: {os.cpu_count()} cores; median of {opts.runs} runs; inflate into memory, one thread.\n")
    print("| input | gz / raw | gzip -dc | zlib | libdeflate | ISA-L igzip | zlib / ISA-L | gzip -dc / ISA-L |")
    print("|---|---|---|---|---|---|---|---|")
    for label, name, args in benchlib.GEN_PROFILES:
        path = benchlib.generated(gen, out, name, args)
        t_gz, _ = benchlib.measure(f"gzip -dc '{path}' > /dev/null", opts.runs)
        gz, raw, z, d, s = run_tool(tool, [path], opts.runs)[path]
        print(f"| {label} | {gz / 1e6:.1f} / {raw / 1e6:.1f} MB | {t_gz * 1000:.0f} ms | {z:.0f} ms | {d:.0f} ms | "
              f"{s:.0f} ms | {z / s:.2f}x | {t_gz * 1000 / s:.2f}x |")
    corpus = sorted(p for p in glob.glob(os.path.join(opts.shared, "corpus", "**", "*"), recursive=True)
                    if os.path.isfile(p) and open(p, "rb").read(2) == b"\x1f\x8b")
    if not corpus:
        print("\n(the corpus is not beside the repo: its row is left out)")
        return
    # Files that are not valid gzip (the corpus's truncated one) are left out.
    good = [p for p in corpus if subprocess.run(["gzip", "-t", p], capture_output=True).returncode == 0]
    rows = run_tool(tool, good, opts.runs)
    gz = sum(r[0] for r in rows.values())
    raw = sum(r[1] for r in rows.values())
    z, d, s = (sum(r[i] for r in rows.values()) for i in (2, 3, 4))
    print(f"| corpus: {len(good)} gzip files, summed | {gz / 1e6:.1f} / {raw / 1e6:.1f} MB | | {z:.0f} ms | "
          f"{d:.0f} ms | {s:.0f} ms | {z / s:.2f}x | |")


if __name__ == "__main__":
    main()
