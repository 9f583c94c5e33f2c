#!/usr/bin/env python3
"""Regenerates tests/golden/pprof-tree/ from `go tool pprof -tree` and `-peek`.

For every profile in ../shared/corpus/real that pprof accepts: -tree for the
default sample type, and -peek with a regex matching the heaviest function
(pprof -top's first row); option variants on a few files; the repo's own
testdata profiles too. AGPL sources are stored as SHA-256 digests only, as in
make-pprof-golden.py (whose helpers this uses).

Usage: scripts/make-tree-golden.py [--shared ../shared]
Review the diff of tests/golden/ before committing.
"""
import argparse, hashlib, importlib.util, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "tests", "golden", "pprof-tree")
spec = importlib.util.spec_from_file_location("top_golden", os.path.join(ROOT, "scripts", "make-pprof-golden.py"))
top_golden = importlib.util.module_from_spec(spec)
spec.loader.exec_module(top_golden)

VARIANTS = {
    "pprof/large.cpu": [["-tree", "-nodecount=10"], ["-tree", "-cum"], ["-tree", "-focus=main\\.next"],
                        ["-tree", "-lines", "-nodecount=30"], ["-tree", "-nodefraction=0", "-edgefraction=0"],
                        ["-peek=^time\\.now$"], ["-peek=^main\\.main$"], ["-tree", "-divide_by=3"]],
    "dd-trace-go/block.after.pprof": [["-tree", "-mean"], ["-peek=sync", "-contentions"]],
    "dd-trace-go/heap.pprof": [["-tree", "-alloc_space", "-unit=MB"], ["-peek=.", "-inuse_objects"]],
    "dd-trace-go/pprof.lines.pb.gz": [["-tree", "-noinlines"], ["-tree", "-addresses", "-nodecount=15"]],
    "parca/labels.pb.gz": [["-tree", "-tagroot=api", "-lines"], ["-peek=^runtime\\.mcall$", "-tagleaf=api"]],
    "pprofutils/labelframes.in.pprof": [["-tree", "-tagroot=mylabel", "-tagleaf=mylabel"]],
}


def run_pprof(path, args):
    env = dict(os.environ, TZ="UTC", PPROF_BINARY_PATH="/nonexistent", HOME="/nonexistent")
    out = subprocess.run(["go", "tool", "pprof", "-symbolize=none"] + args + [path], capture_output=True, env=env)
    text = b"\n".join(l.rstrip() for l in out.stdout.split(b"\n")).rstrip(b"\n") + b"\n"
    return out.returncode, text, out.stderr.decode(errors="replace")


def heaviest(path):
    """A regex for the first row of pprof -top (the heaviest flat function)."""
    rc, out, _ = top_golden.run_pprof(path, ["-nodecount=1"])
    rows = [l for l in out.decode().splitlines() if re.match(r"^\s+\S+\s+\S+%\s+\S+%\s+\S+\s+\S+%\s+", l)]
    if rc != 0 or not rows:
        return None
    name = re.split(r"\s+", rows[0].strip(), maxsplit=5)[5]
    name = re.sub(r" \((partial-)?inline\)$", "", name)
    # No spaces in the case's arguments (they are joined by spaces): \x20.
    return "^" + re.escape(name).replace("\\ ", "\\x20") + "$"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    opts = ap.parse_args()
    top_golden.empty_dir(GOLDEN)
    cases = []

    def record(label, path, args, agpl):
        rc, out, err = run_pprof(path, args)
        if rc != 0:
            sys.exit(f"pprof failed on {label} {args}: {err.splitlines()[0] if err else rc}")
        if agpl:
            expected = "sha256:" + hashlib.sha256(out).hexdigest()
        else:
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", label.replace("repo:", "") + "".join("_" + a.lstrip("-") for a in args))
            golden = stem[:150] + ".txt"
            with open(os.path.join(GOLDEN, golden), "wb") as fh:
                fh.write(out)
            expected = golden
        cases.append((label, " ".join(args), expected))

    for row, path in top_golden.accepted_profiles(opts.shared):
        name = row["file"]
        arg_sets = [["-tree"]]
        rx = heaviest(path)
        if rx:
            arg_sets.append([f"-peek={rx}"])
        for args in arg_sets + VARIANTS.get(name, []):
            record(name, path, args, "AGPL" in row["license"])
    for name in sorted("testdata/" + f for f in os.listdir(os.path.join(ROOT, "testdata")) if f.endswith(".pb.gz")):
        path = os.path.join(ROOT, name)
        for args in [["-tree"], ["-tree", "-lines", "-nodecount=25"], ["-peek=main\\."]]:
            record("repo:" + name, path, args, False)
    name = "testdata/labels/units.pb.gz"
    for args in top_golden.LABEL_FRAME_ARGS:
        record("repo:" + name, os.path.join(ROOT, name), ["-tree"] + args, False)
    record("repo:" + name, os.path.join(ROOT, name), ["-peek=main\\.handle", "-tagroot=tenant"], False)
    with open(os.path.join(GOLDEN, "CASES.tsv"), "w") as fh:
        fh.write("# file\targs (pprof spelling; -tree or -peek=REGEX first)\texpected: golden file, or sha256\n")
        for c in cases:
            fh.write("\t".join(c) + "\n")
    print(f"{len(cases)} cases from {len(set(c[0] for c in cases))} profiles", file=sys.stderr)


if __name__ == "__main__":
    main()
