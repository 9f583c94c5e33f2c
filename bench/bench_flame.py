#!/usr/bin/env python3
"""Times `pprofx flame` (SVG and PNG) next to gzip -dc, `go tool pprof -svg`
and the usual flame-graph path (go tool pprof -raw | stackcollapse-go.pl |
flamegraph.pl), in the same run, on the same files. Also renders
`pprofx fold | flamegraph.pl` to show the folded output feeds it cleanly.

Usage: bench/bench_flame.py --flamegraph-dir DIR [--build build] [--runs 5]
DIR is a scratch checkout of brendangregg/FlameGraph (never committed).
Needs golang-go, graphviz and perl (scripts/install-deps.sh --bench).
"""
import argparse, os, re, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import benchlib  # noqa: E402


def measure(cmd, runs):
    return benchlib.measure(cmd, runs, shell=True, stderr=True)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--slow-runs", type=int, default=1, help="runs for go tool pprof and the perl path")
    ap.add_argument("--flamegraph-dir", required=True)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    opts = ap.parse_args()
    pprofx = os.path.join(opts.build, "pprofx")
    fg = opts.flamegraph_dir
    out = tempfile.mkdtemp()
    big = os.path.join(ROOT, "bench", "out", "p100k.pb.gz")
    if not os.path.exists(big):
        os.makedirs(os.path.dirname(big), exist_ok=True)
        subprocess.run([os.path.join(opts.build, "bench", "pprofx_bench_gen"), big], check=True)
    files = [("generated 100k samples", big)]
    large = os.path.join(opts.shared, "corpus", "real", "pprof", "large.cpu")
    if os.path.exists(large):
        files.append(("pprof large.cpu (corpus)", large))
    files.append(("testdata workload.cpu", os.path.join(ROOT, "testdata", "workload.cpu.pb.gz")))

    print(f"Machine: {os.cpu_count()} cores; median of {opts.runs} runs for gzip and pprofx, "
          f"{opts.slow_runs} for go tool pprof and the perl path; wall time includes process start.\n")
    print("| profile | gzip -dc | pprofx flame SVG | pprofx flame PNG | go tool pprof -svg | pprof -raw + stackcollapse-go.pl + flamegraph.pl | pprofx SVG / gzip | perl path / pprofx SVG | SVG size, frames (pprofx) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, path in files:
        svg, png = os.path.join(out, "p.svg"), os.path.join(out, "p.png")
        t_gz, _, _ = measure(f"gzip -dc '{path}' > /dev/null", opts.runs)
        t_svg, rss_svg, _ = measure(f"'{pprofx}' flame '{path}' -o '{svg}' > /dev/null", opts.runs)
        t_png, _, _ = measure(f"'{pprofx}' flame '{path}' -o '{png}' > /dev/null", opts.runs)
        t_dot, _, _ = measure(f"go tool pprof -svg -symbolize=none '{path}' > {out}/dot.svg", opts.slow_runs)
        t_perl, _, _ = measure(f"go tool pprof -raw -symbolize=none '{path}' | perl {fg}/stackcollapse-go.pl | "
                               f"perl {fg}/flamegraph.pl > {out}/perl.svg", opts.slow_runs)
        frames = open(svg).read().count("<g><title>") + open(svg).read().count('<g class="inl"><title>')
        print(f"| {label} | {t_gz*1000:.0f} ms | {t_svg*1000:.0f} ms | {t_png*1000:.0f} ms | {t_dot*1000:.0f} ms | "
              f"{t_perl*1000:.0f} ms | {t_svg/t_gz:.2f}x | {t_perl/t_svg:.0f}x | "
              f"{os.path.getsize(svg)/1e6:.2f} MB, {frames} |")
        _, _, err = measure(f"'{pprofx}' fold '{path}' | perl {fg}/flamegraph.pl > {out}/fold.svg", 1)
        if "Ignored" in err or os.path.getsize(f"{out}/fold.svg") < 1000:
            sys.exit(f"pprofx fold | flamegraph.pl did not read every line: {err}")
    print("\n`pprofx fold FILE | flamegraph.pl` rendered every file above with no ignored lines.")


if __name__ == "__main__":
    main()
