#!/usr/bin/env python3
"""Regenerates tests/golden/pprof-diff/ from `go tool pprof -top -diff_base=BASE NEW`
(Debian's golang-go), for pairs of profiles from the shared corpus (permissive
sources only) and testdata/. Values are printed in the sample type's base
unit (-unit=ns / -unit=B) so they are exact integers: the test checks that
`pprofx diff --normalize absolute` gives the same change of flat and cum for
every function.

Usage: scripts/make-diff-golden.py [--shared ../shared]
"""
import argparse, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "tests", "golden", "pprof-diff")
PAIRS = [  # (base, new, sample index, unit flag)
    ("corpus:dd-trace-go/heap.before.pprof", "corpus:dd-trace-go/heap.after.pprof", "alloc_space", "B"),
    ("corpus:dd-trace-go/heap.before.pprof", "corpus:dd-trace-go/heap.after.pprof", "alloc_objects", ""),
    ("corpus:dd-trace-go/block.before.pprof", "corpus:dd-trace-go/block.after.pprof", "delay", "ns"),
    ("corpus:parca/1644509272337470000.pb.gz", "corpus:parca/1644509299337903000.pb.gz", "inuse_space", "B"),
    ("corpus:parca/1644509272337470000.pb.gz", "corpus:parca/1644509299337903000.pb.gz", "alloc_space", "B"),
    ("repo:testdata/diff/base.cpu.pb.gz", "repo:testdata/diff/slow.cpu.pb.gz", "cpu", "ns"),
    ("repo:testdata/diff/base.heap.pb.gz", "repo:testdata/diff/leak.heap.pb.gz", "inuse_space", "B"),
]


MERGES = [  # profiles merged by `go tool pprof -top A B ...` (it merges its inputs)
    ["repo:testdata/diff/base.cpu.pb.gz", "repo:testdata/diff/aa.cpu.pb.gz", "repo:testdata/diff/slow.cpu.pb.gz"],
    ["repo:testdata/workload.heap.pb.gz", "repo:testdata/diff/base.heap.pb.gz", "repo:testdata/diff/leak.heap.pb.gz"],
    ["corpus:dd-trace-go/heap.before.pprof", "corpus:dd-trace-go/heap.after.pprof"],
    ["corpus:parca/1644509272337470000.pb.gz", "corpus:parca/1644509299337903000.pb.gz"],
    ["corpus:dd-trace-go/block.before.pprof", "corpus:dd-trace-go/block.after.pprof"],
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    opts = ap.parse_args()
    resolve = lambda s: os.path.join(opts.shared, "corpus", "real", s[7:]) if s.startswith("corpus:") else os.path.join(ROOT, s[5:])
    os.makedirs(GOLDEN, exist_ok=True)
    with open(os.path.join(GOLDEN, "CASES.tsv"), "w") as cases:
        cases.write("# base\tnew\tsample index\tgolden: name, Δflat, Δcum from go tool pprof -diff_base\n")
        for i, (b, n, si, unit) in enumerate(PAIRS):
            args = ["go", "tool", "pprof", "-top", "-symbolize=none", "-nodefraction=0", f"-sample_index={si}",
                    f"-diff_base={resolve(b)}"] + ([f"-unit={unit}"] if unit else []) + [resolve(n)]
            out = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, TZ="UTC"))
            if out.returncode != 0:
                sys.exit(f"pprof failed: {out.stderr}")
            rows = []
            header_done = False
            for line in out.stdout.splitlines():
                if line.strip().startswith("flat"):
                    header_done = True
                    continue
                if not header_done:
                    continue
                m = re.match(r"\s*(-?[\d.]+)\D*\s+\S+\s+\S+\s+(-?[\d.]+)\D*\s+\S+\s+(.*)$", line)
                if not m:
                    sys.exit(f"cannot parse: {line}")
                name = re.sub(r" \((partial-)?inline\)$", "", m.group(3))
                rows.append(f"{name}\t{int(float(m.group(1)))}\t{int(float(m.group(2)))}\n")
            golden = f"pair{i}.{si}.tsv"
            open(os.path.join(GOLDEN, golden), "w").writelines(rows)
            cases.write(f"{b}\t{n}\t{si}\t{golden}\n")
    with open(os.path.join(GOLDEN, "MERGES.tsv"), "w") as merges:
        merges.write("# profiles (space-separated)\tgolden: go tool pprof -top of them all (pprof merges its inputs)\n")
        for i, files in enumerate(MERGES):
            out = subprocess.run(["go", "tool", "pprof", "-top", "-symbolize=none"] + [resolve(f) for f in files],
                                 capture_output=True, env=dict(os.environ, TZ="UTC"))
            if out.returncode != 0:
                sys.exit(f"pprof failed: {out.stderr}")
            text = b"\n".join(l.rstrip() for l in out.stdout.split(b"\n")).rstrip(b"\n") + b"\n"
            golden = f"merge{i}.txt"
            open(os.path.join(GOLDEN, golden), "wb").write(text)
            merges.write(" ".join(files) + f"\t{golden}\n")
    print("done", file=sys.stderr)


if __name__ == "__main__":
    main()
