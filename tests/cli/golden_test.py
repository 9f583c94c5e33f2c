#!/usr/bin/env python3
"""Golden files for flame graph SVGs and folded stacks (tests/golden/flame/).
Each case runs pprofx twice: the output must be byte-identical both times
(determinism) and equal the golden file. PPROFX_UPDATE_GOLDEN=1 rewrites the
golden files instead; review their diff before committing.

Usage: golden_test.py PPROFX REPO
"""
import os, shlex, subprocess, sys

PPROFX, REPO = sys.argv[1], sys.argv[2]
DIR = os.path.join(REPO, "tests", "golden", "flame")
update = os.environ.get("PPROFX_UPDATE_GOLDEN") == "1"
passed = failed = 0
for line in open(os.path.join(DIR, "CASES.tsv")):
    if line.startswith("#") or not line.strip():
        continue
    fields = line.rstrip("\n").split("\t")
    golden, args = fields[0], fields[1]
    want_rc = int(fields[2]) if len(fields) > 2 else 0
    argv = [PPROFX] + shlex.split(args)
    env = dict(os.environ, TZ="UTC")
    a = subprocess.run(argv, cwd=REPO, capture_output=True, env=env)
    b = subprocess.run(argv, cwd=REPO, capture_output=True, env=env)
    path = os.path.join(DIR, golden)
    problem = None
    if a.returncode != want_rc:
        problem = f"exit {a.returncode} (want {want_rc}): {a.stderr.decode(errors='replace').strip()}"
    elif a.stdout != b.stdout:
        problem = "two runs gave different bytes"
    elif update:
        open(path, "wb").write(a.stdout)
    elif not os.path.exists(path):
        problem = "no golden file (run with PPROFX_UPDATE_GOLDEN=1)"
    elif open(path, "rb").read() != a.stdout:
        want = open(path, "rb").read()
        at = next((i for i in range(min(len(want), len(a.stdout))) if want[i] != a.stdout[i]), min(len(want), len(a.stdout)))
        problem = (f"differs from the golden file at byte {at}: golden {want[max(0, at - 40):at + 40]!r}, "
                   f"got {a.stdout[max(0, at - 40):at + 40]!r}")
    if problem:
        failed += 1
        print(f"FAIL {golden}: {problem}")
    else:
        passed += 1
        print(f"ok   {golden}")
print(f"golden: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
