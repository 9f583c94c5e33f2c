#!/usr/bin/env python3
"""Conformance of pprofx with go tool pprof 1.19 on ../shared/corpus.

  conformance.py top     PPROFX SHARED REPO  every case of tests/golden/pprof-top/CASES.tsv
  conformance.py fold    PPROFX SHARED REPO  every case of tests/golden/fold/CASES.tsv
  conformance.py reject  PPROFX SHARED REPO  edge cases (EXPECTED.tsv) and real files pprof rejects

Without SHARED, `top` and `fold` check only the repo's own profiles (testdata/) and says
so; `reject` exits 77 (ctest's skip code) with a message.
"""
import csv, difflib, hashlib, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "golden", "pprof-top")
SKIP = 77


def normalise(out: bytes) -> bytes:
    return b"\n".join(l.rstrip() for l in out.split(b"\n")).rstrip(b"\n") + b"\n"


def run(pprofx, args):
    env = dict(os.environ, TZ="UTC")
    return subprocess.run([pprofx] + args, capture_output=True, env=env, timeout=120)


def check_top(pprofx, shared, repo):
    real = os.path.join(shared, "corpus", "real")
    have_corpus = os.path.isdir(real)
    failures, total = [], 0
    for line in open(os.path.join(GOLDEN, "CASES.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        name, args, expected = line.rstrip("\n").split("\t")
        if name.startswith("repo:"):
            path = os.path.join(repo, name[5:])
        elif have_corpus:
            path = os.path.join(real, name)
        else:
            continue
        total += 1
        argv = ["top"] + (args.split(" ") if args else []) + [path]
        r = run(pprofx, argv)
        got = normalise(r.stdout)
        if r.returncode != 0:
            failures.append(f"{name} [{args}]: exit {r.returncode}: {r.stderr.decode(errors='replace').strip()}")
            continue
        if expected.startswith("sha256:"):
            if hashlib.sha256(got).hexdigest() != expected[7:]:
                failures.append(f"{name} [{args}]: output differs from pprof's (AGPL source: only its "
                                f"digest is stored; run go tool pprof -top -symbolize=none {args} to compare)")
            continue
        want = open(os.path.join(GOLDEN, expected), "rb").read()
        if got != want:
            diff = difflib.unified_diff(want.decode(errors="replace").splitlines(),
                                        got.decode(errors="replace").splitlines(),
                                        "go tool pprof", "pprofx", lineterm="", n=1)
            failures.append(f"{name} [{args}]:\n  " + "\n  ".join(list(diff)[:16]))
    return total, failures


def check_fold(pprofx, shared, repo):
    """`pprofx fold` against folded stacks computed with pprof's profile package."""
    real = os.path.join(shared, "corpus", "real")
    have_corpus = os.path.isdir(real)
    fold_dir = os.path.join(HERE, "..", "golden", "fold")
    failures, total = [], 0
    for line in open(os.path.join(fold_dir, "CASES.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        name, index, lines, value_sum, expected = line.rstrip("\n").split("\t")
        if name.startswith("repo:"):
            path = os.path.join(repo, name[5:])
        elif have_corpus:
            path = os.path.join(real, name)
        else:
            continue
        total += 1
        r = run(pprofx, ["fold", f"--sample-index={index}", path])
        if r.returncode != 0:
            failures.append(f"{name} [si {index}]: exit {r.returncode}: {r.stderr.decode(errors='replace').strip()}")
            continue
        got = r.stdout
        if expected.startswith("sha256:"):
            ok = hashlib.sha256(got).hexdigest() == expected[7:]
        else:
            ok = got == open(os.path.join(fold_dir, expected), "rb").read()
        if not ok:
            got_sum = sum(int(l.rsplit(b" ", 1)[1]) for l in got.splitlines())
            got_lines = len(got.splitlines())
            failures.append(f"{name} [si {index}]: folded stacks differ from pprof's profile package: "
                            f"{got_lines} lines / sum {got_sum}, want {lines} lines / sum {value_sum} "
                            "(scripts/make-fold-golden.py regenerates; scripts/fold-oracle shows the expected text)")
    return total, failures


def check_reject(pprofx, shared):
    failures, total = [], 0
    edge = os.path.join(shared, "corpus", "synthetic", "edge-cases")
    cases = [(os.path.join(edge, r["file"]), r["go_tool_pprof_go1.19.8_result"])
             for r in csv.DictReader(open(os.path.join(edge, "EXPECTED.tsv")), delimiter="\t")]
    real = os.path.join(shared, "corpus", "real")
    for r in csv.DictReader(open(os.path.join(real, "MANIFEST.tsv")), delimiter="\t"):
        if r["go_tool_pprof_1.19_result"].startswith("REJECTED"):
            cases.append((os.path.join(real, r["file"]), r["go_tool_pprof_1.19_result"]))
    # Legacy formats pprof accepts: refused for now, with a message that says so.
    for r in csv.DictReader(open(os.path.join(real, "MANIFEST.tsv")), delimiter="\t"):
        if r["encoding"].startswith("legacy") and r["go_tool_pprof_1.19_result"].startswith("OK"):
            total += 1
            path = os.path.join(real, r["file"])
            res = run(pprofx, ["top", path])
            err = res.stderr.decode(errors="replace")
            if res.returncode != 1 or res.stdout or "is a legacy" not in err or err.count("\n") != 1:
                failures.append(f"{r['file']}: want one 'legacy ... not supported yet' error line, got {err!r}")
    for path, verdict in cases:
        total += 1
        r = run(pprofx, ["top", path])
        err = r.stderr.decode(errors="replace")
        name = os.path.relpath(path, shared)
        if verdict.startswith("ACCEPTED") or verdict.startswith("OK"):
            if r.returncode != 0:
                failures.append(f"{name}: pprof accepts it, pprofx says: {err.strip()}")
            continue
        lines = err.splitlines()
        if r.returncode != 1:
            failures.append(f"{name}: pprof rejects it ({verdict}); pprofx exit code {r.returncode}")
        elif r.stdout:
            failures.append(f"{name}: rejected but wrote to stdout")
        elif len(lines) != 1 or not lines[0].startswith(f"pprofx: error: {path}: "):
            failures.append(f"{name}: want one line 'pprofx: error: {path}: ...', got {err!r}")
    return total, failures


def main():
    mode, pprofx, shared, repo = sys.argv[1:5]
    if not os.path.isdir(os.path.join(shared, "corpus")):
        print(f"NOTE: {shared}/corpus not found; corpus cases skipped (they need ../shared beside the repo)")
        if mode == "reject":
            return SKIP
    if mode == "top":
        total, failures = check_top(pprofx, shared, repo)
    elif mode == "fold":
        total, failures = check_fold(pprofx, shared, repo)
    else:
        total, failures = check_reject(pprofx, shared)
    for f in failures:
        print("FAIL", f)
    print(f"conformance {mode}: {total - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
