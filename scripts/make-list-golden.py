#!/usr/bin/env python3
"""Regenerates tests/golden/pprof-list/ from `go tool pprof -list` (Debian's golang-go, pprof of Go 1.19).

-list needs the sources: the cases are the repo's testdata profiles, whose program is
testdata/workload/main.go (found through -source_path=REPO/testdata: pprof trims the profile's
path up to ".../testdata/", so the output does not depend on where the repo is), and Go's own
library sources from Debian's golang-go (/usr/lib/go-1.19/src), which the tests install.
"@REPO@" in a case's arguments stands for the repository's path.

Usage: scripts/make-list-golden.py
Review the diff of tests/golden/ before committing.
"""
import os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "tests", "golden", "pprof-list")
SRC = "-source_path=@REPO@/testdata"
CASES = [
    ("testdata/workload.cpu.pb.gz", ["-list=main\\.", SRC]),
    ("testdata/workload.cpu.pb.gz", ["-list=main.handleRequest", "-noinlines", SRC]),
    ("testdata/workload.cpu.pb.gz", ["-list=json.*Unmarshal", SRC]),
    ("testdata/workload.cpu.pb.gz", ["-list=decodeState..value$", SRC]),  # recursive: pprof's ROUTINE cum over-counts
    ("testdata/workload.cpu.pb.gz", ["-list=main\\.", "-focus=json", "-divide_by=10", SRC]),
    ("testdata/workload.cpu.pb.gz", ["-list=main\\.", "-relative_percentages", "-focus=json", SRC]),
    ("testdata/workload.cpu.pb.gz", ["-list=compress", "-unit=ms", SRC]),
    ("testdata/workload.cpu.pb.gz", ["-list=runtime.mallocgc$", "-trim_path=/usr/lib/go-1.19/src",
                                     "-source_path=/usr/lib/go-1.19/src"]),
    ("testdata/workload.heap.pb.gz", ["-list=main\\.", SRC]),
    ("testdata/workload.heap.pb.gz", ["-list=main\\.", "-sample_index=alloc_space", SRC]),
    ("testdata/workload.block.pb.gz", ["-list=main\\.", "-mean", SRC]),
    ("testdata/workload.mutex.pb.gz", ["-list=sync", SRC]),
    ("testdata/workload.goroutine.pb.gz", ["-list=main\\.", SRC]),
]


def main():
    os.makedirs(GOLDEN, exist_ok=True)
    for f in os.listdir(GOLDEN):
        os.remove(os.path.join(GOLDEN, f))
    env = dict(os.environ, TZ="UTC", PPROF_BINARY_PATH="/nonexistent", HOME="/nonexistent")
    rows = []
    for name, args in CASES:
        real = [a.replace("@REPO@", ROOT) for a in args]
        out = subprocess.run(["go", "tool", "pprof", "-symbolize=none"] + real + [os.path.join(ROOT, name)],
                             capture_output=True, env=env, cwd="/")
        if out.returncode != 0 or b" Error: " in out.stdout:
            sys.exit(f"pprof failed on {name} {args}: {out.stderr.decode(errors='replace')[:300]}")
        text = b"\n".join(l.rstrip() for l in out.stdout.split(b"\n")).rstrip(b"\n") + b"\n"
        golden = re.sub(r"[^A-Za-z0-9_.-]+", "_", name + "".join("_" + a.lstrip("-") for a in args if a != SRC))[:150] + ".txt"
        with open(os.path.join(GOLDEN, golden), "wb") as fh:
            fh.write(text)
        rows.append(("repo:" + name, " ".join(args), golden))
    with open(os.path.join(GOLDEN, "CASES.tsv"), "w") as fh:
        fh.write("# file\targs (pprof spelling; -list=REGEX first, @REPO@ = the repository)\texpected golden file\n")
        for r in rows:
            fh.write("\t".join(r) + "\n")
    print(f"list: {len(rows)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
