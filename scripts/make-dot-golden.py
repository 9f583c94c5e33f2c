#!/usr/bin/env python3
"""Regenerates tests/golden/pprof-dot/ from `go tool pprof -dot` (Debian's golang-go, pprof of Go 1.19).

Profiles: as make-label-golden.py (../shared/corpus/real and external that pprof accepts, and the
repo's testdata), each with the default options and -lines, plus option variants. Stored
gzip-compressed; copyleft sources and goldens over 64 kB compressed as the SHA-256 of pprof's
output. pprof orders edges between equally named nodes in Go's map order, so some outputs vary
from run to run: those (one of five more runs differs) are NAME.unordered.txt.gz, compared as a
set of lines. Names holding control characters or invalid UTF-8 make pprof write them raw, and a
'"' in a label makes its DOT invalid (Graphviz's dot -Tcanon refuses it); pprofx escapes those:
such cases are "escaped", and the test checks that no control character reaches pprofx's output.

Usage: scripts/make-dot-golden.py [--shared ../shared]
Review the diff of tests/golden/ before committing.
"""
import argparse, importlib.util, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("label_golden", os.path.join(ROOT, "scripts", "make-label-golden.py"))
label_golden = importlib.util.module_from_spec(spec)
spec.loader.exec_module(label_golden)
top_golden = label_golden.top_golden

GOLDEN = os.path.join(ROOT, "tests", "golden", "pprof-dot")
VARIANTS = {
    "pprof/large.cpu": [["-nodecount=10"], ["-nodefraction=0", "-edgefraction=0"], ["-focus=main\\.next"],
                        ["-hide=runtime"], ["-files"], ["-addresses"], ["-noinlines"], ["-unit=ms"],
                        ["-divide_by=1000"], ["-focus=main", "-relative_percentages"], ["-nodecount=200"]],
    "dd-trace-go/heap.pprof": [["-alloc_space"], ["-inuse_objects"], ["-tagfocus=1kb:"], ["-nodecount=5"],
                               ["-tagroot=bytes"]],
    "dd-trace-go/block.after.pprof": [["-mean"], ["-contentions"]],
    "parca/labels.pb.gz": [["-tagfocus=api=/"], ["-tagshow=zzz"], ["-nodefraction=0"]],
    "parca/profile-with-labels.pb.gz": [["-nodefraction=0"], ["-taghide=thread_id"]],
    "pprofutils/labelframes.in.pprof": [["-tagleaf=mylabel"]],
    "repo:testdata/workload.cpu.pb.gz": [["-nodecount=8"], ["-focus=json"]],
    "repo:testdata/labels/units.pb.gz": [["-tagroot=tenant"], ["-nodefraction=0"]],
}


def run_pprof(path, args):
    """pprof's -dot text (lines without trailing spaces), or None where it holds a control character
    or invalid UTF-8: pprof writes names raw, pprofx escapes them for DOT."""
    env = dict(os.environ, TZ="UTC", PPROF_BINARY_PATH="/nonexistent", HOME="/nonexistent")
    out = subprocess.run(["go", "tool", "pprof", "-dot", "-symbolize=none"] + args + [path], capture_output=True, env=env)
    text = b"\n".join(l.rstrip() for l in out.stdout.split(b"\n")).rstrip(b"\n") + b"\n"
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return out.returncode, None, out.stderr.decode(errors="replace")
    if re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", text):
        return out.returncode, None, out.stderr.decode(errors="replace")
    # A name holding '"' makes pprof's DOT invalid (it writes labels unescaped); pprofx escapes it.
    if out.returncode == 0 and subprocess.run(["dot", "-Tcanon"], input=out.stdout, capture_output=True).returncode != 0:
        return out.returncode, None, out.stderr.decode(errors="replace")
    return out.returncode, text, out.stderr.decode(errors="replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    opts = ap.parse_args()
    top_golden.empty_dir(GOLDEN)
    cases = []
    for name, path, copyleft in label_golden.profiles(opts.shared):
        for args in [[], ["-lines"]] + VARIANTS.get(name, []):
            rc, out, err = run_pprof(path, args)
            if rc != 0:
                sys.exit(f"pprof failed on {name} {args}: {err.splitlines()[0] if err else rc}")
            unordered = out is not None and any(run_pprof(path, args)[1] != out for _ in range(5))
            cases.append((name, " ".join(args), label_golden.store(GOLDEN, name, args, out, copyleft, unordered)))
    label_golden.write_cases(GOLDEN, "dot", cases)


if __name__ == "__main__":
    main()
