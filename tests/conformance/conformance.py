#!/usr/bin/env python3
"""Conformance of pprofx with go tool pprof 1.19 on ../shared/corpus.

  conformance.py top     PPROFX SHARED REPO  every case of tests/golden/pprof-top/CASES.tsv
  conformance.py tree    PPROFX SHARED REPO  every case of tests/golden/pprof-tree/CASES.tsv (-tree, -peek)
  conformance.py traces  PPROFX SHARED REPO  every case of tests/golden/pprof-traces/CASES.tsv (-traces)
  conformance.py tags    PPROFX SHARED REPO  every case of tests/golden/pprof-tags/CASES.tsv (-tags)
  conformance.py raw     PPROFX SHARED REPO  every case of tests/golden/pprof-raw/CASES.tsv (-raw)
  conformance.py dot     PPROFX SHARED REPO  every case of tests/golden/pprof-dot/CASES.tsv (-dot)
  conformance.py list    PPROFX SHARED REPO  every case of tests/golden/pprof-list/CASES.tsv (-list, the repo's sources)
  conformance.py fold    PPROFX SHARED REPO  every case of tests/golden/fold/CASES.tsv
  conformance.py diff    PPROFX SHARED REPO  pprofx diff against go tool pprof -diff_base
  conformance.py merge   PPROFX SHARED REPO  pprofx merge + top against go tool pprof -top A B ...
  conformance.py flame   PPROFX SHARED REPO  a sound SVG for every real profile pprof accepts
  conformance.py reject  PPROFX SHARED REPO  edge cases (EXPECTED.tsv) and real files pprof rejects

Without SHARED (or with PPROFX_SHARED_DIR naming a missing folder: tests/support/corpus.py),
`top`, `tree`, `fold`, `diff` and `merge` check only the repo's own profiles (testdata/) and say
so; `reject`, `flame` and `symbolize` exit 77 (ctest's skip code) with a message. A SHARED that
exists but holds an incomplete corpus is a failure.
"""
import csv, difflib, gzip, hashlib, os, re, shutil, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import corpus  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "golden", "pprof-top")
SKIP = 77


def normalise(out: bytes) -> bytes:
    return b"\n".join(l.rstrip() for l in out.split(b"\n")).rstrip(b"\n") + b"\n"


def unescape(out: bytes) -> bytes:
    """pprofx's text_escaped undone: \\xNN, \\n and \\r back to the bytes pprof prints."""
    return re.sub(rb"\\(x[0-9a-f]{2}|n|r)",
                  lambda m: b"\n" if m.group(1) == b"n" else b"\r" if m.group(1) == b"r" else
                  bytes([int(m.group(1)[1:], 16)]), out)


def run(pprofx, args):
    env = dict(os.environ, TZ="UTC")
    return subprocess.run([pprofx] + args, capture_output=True, env=env, timeout=120)


def top_argv(args):
    return ["top"] + args


def tree_argv(args):
    """pprof's -tree / -peek=RX spelling -> pprofx tree [--peek RX]."""
    report, rest = args[0], args[1:]
    return ["tree"] + (["--peek", report[len("-peek="):]] if report.startswith("-peek=") else []) + rest


def list_argv(args, repo):
    """pprof's -list=RE spelling -> pprofx list RE; @REPO@ -> the repository (make-list-golden.py)."""
    return ["list", args[0][len("-list="):]] + [a.replace("@REPO@", repo) for a in args[1:]]


def undo_recursion_notes(out: bytes) -> bytes:
    """pprofx list's ROUTINE line counts each sample once, and the note after it gives pprof's
    figure, which counts a recursive sample once per line (google/pprof#707): put pprof's figure
    back and drop the note, so that the rest can be compared with pprof's text byte for byte."""
    lines = out.split(b"\n")
    for i in range(1, len(lines)):
        m = re.match(rb"^  \(pprof: cum (\S+), (\S+) of Total: .*google/pprof#707\)$", lines[i])
        head = lines[i - 1] is not None and re.match(rb"^( *\S+) +\S+ \(flat, cum\) .* of Total$", lines[i - 1])
        if m and head:
            lines[i - 1] = b"%s %10s (flat, cum) %6s of Total" % (head.group(1), m.group(1), m.group(2))
            lines[i] = None
    return b"\n".join(l for l in lines if l is not None)


def check_top(pprofx, shared, repo, golden=GOLDEN, make_argv=top_argv, tool="-top", undo=None):
    real = os.path.join(shared, "corpus", "real")
    have_corpus = os.path.isdir(real)
    failures, total = [], 0
    for line in open(os.path.join(golden, "CASES.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        name, args, expected = line.rstrip("\n").split("\t")
        if name.startswith("repo:"):
            path = os.path.join(repo, name[5:])
        elif name.startswith("external:") and have_corpus:
            path = os.path.join(shared, "corpus", "external", name[len("external:"):])
        elif have_corpus:
            path = os.path.join(real, name)
        else:
            continue
        total += 1
        # The goldens are pprof's -symbolize=none unless the case names a mode.
        sym = [] if "-symbolize" in args else ["--symbolize=none"]
        argv = make_argv(args.split(" ") if args else []) + sym + [path]
        r = run(pprofx, argv)
        if undo:
            r.stdout = undo(r.stdout)
        got = normalise(r.stdout)
        if r.returncode != 0:
            failures.append(f"{name} [{args}]: exit {r.returncode}: {r.stderr.decode(errors='replace').strip()}")
            continue
        if expected == "escaped":  # pprof prints control characters in names raw: pprofx must escape them
            if re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", got):
                failures.append(f"{name} [{args}]: a control character reached the output")
            elif tool == "-dot" and shutil.which("dot") and \
                    subprocess.run(["dot", "-Tcanon"], input=r.stdout, capture_output=True).returncode != 0:
                failures.append(f"{name} [{args}]: Graphviz's dot cannot parse pprofx's DOT")
            else:
                try:
                    got.decode("utf-8")
                except UnicodeDecodeError as e:
                    failures.append(f"{name} [{args}]: invalid UTF-8 in the output ({e})")
            continue
        if expected.startswith("sha256:"):
            # pprof prints names raw; pprofx shows control characters and invalid UTF-8 as \xNN (issue 21,
            # docs/robustness.md "Escaping per output"): undone, the output must be pprof's exactly.
            if hashlib.sha256(got).hexdigest() != expected[7:] and \
                    hashlib.sha256(normalise(unescape(r.stdout))).hexdigest() != expected[7:]:
                failures.append(f"{name} [{args}]: output differs from pprof's (AGPL source: only its "
                                f"digest is stored; run go tool pprof {tool} -symbolize=none {args} to compare)")
            continue
        want = open(os.path.join(golden, expected), "rb").read()
        if expected.endswith(".gz"):
            want = gzip.decompress(want)
        if ".unordered." in expected:  # pprof's order varies from run to run (make-label-golden.py)
            want, got = b"\n".join(sorted(want.split(b"\n"))), b"\n".join(sorted(got.split(b"\n")))
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
        name, index, lines, value_sum, expected, options = line.rstrip("\n").split("\t")
        if name.startswith("repo:"):
            path = os.path.join(repo, name[5:])
        elif name.startswith("external:") and have_corpus:
            path = os.path.join(shared, "corpus", "external", name[len("external:"):])
        elif have_corpus:
            path = os.path.join(real, name)
        else:
            continue
        total += 1
        r = run(pprofx, ["fold", "--symbolize=none", f"--sample-index={index}"] + options.split() + [path])  # the oracle does not demangle
        if r.returncode != 0:
            failures.append(f"{name} [si {index} {options}]: exit {r.returncode}: {r.stderr.decode(errors='replace').strip()}")
            continue
        got = r.stdout
        if expected.startswith("sha256:"):
            ok = hashlib.sha256(got).hexdigest() == expected[7:]
        else:
            ok = got == open(os.path.join(fold_dir, expected), "rb").read()
        if not ok:
            got_sum = sum(int(l.rsplit(b" ", 1)[1]) for l in got.splitlines())
            got_lines = len(got.splitlines())
            failures.append(f"{name} [si {index} {options}]: folded stacks differ from pprof's profile package: "
                            f"{got_lines} lines / sum {got_sum}, want {lines} lines / sum {value_sum} "
                            "(scripts/make-fold-golden.py regenerates; scripts/fold-oracle shows the expected text)")
    return total, failures


def check_flame(pprofx, shared):
    """`pprofx flame` on every profile pprof accepts: a well-formed SVG under
    5 MB, within the default frame budget, whose root holds the whole total."""
    import tempfile
    import xml.etree.ElementTree as ET
    real = os.path.join(shared, "corpus", "real")
    failures, total = [], 0
    out = os.path.join(tempfile.mkdtemp(), "f.svg")
    for r in csv.DictReader(open(os.path.join(real, "MANIFEST.tsv")), delimiter="\t"):
        if not r["go_tool_pprof_1.19_result"].startswith("OK") or "DIFFERENT schema" in r["encoding"]:
            continue
        total += 1
        path = os.path.join(real, r["file"])
        res = run(pprofx, ["flame", path, "-o", out])
        if res.returncode != 0:
            failures.append(f"{r['file']}: exit {res.returncode}: {res.stderr.decode(errors='replace').strip()}")
            continue
        size = os.path.getsize(out)
        try:
            root = ET.parse(out).getroot()
        except ET.ParseError as e:
            failures.append(f"{r['file']}: the SVG is not well-formed XML: {e}")
            continue
        ns = "{http://www.w3.org/2000/svg}"
        frames = root.find(f".//{ns}g[@id='frames']")
        groups = list(frames) if frames is not None else []
        want_total = int(frames.get("data-total")) if frames is not None else -1
        first = groups[0].find(f"{ns}rect") if groups else None
        if size > 5_000_000 or len(groups) > 20001 or first is None or int(first.get("data-w")) != want_total:
            failures.append(f"{r['file']}: {size} bytes, {len(groups)} frames, root width "
                            f"{first.get('data-w') if first is not None else None} vs total {want_total}")
    return total, failures


def check_diff(pprofx, shared, repo):
    """`pprofx diff --normalize absolute` against go tool pprof -top -diff_base:
    the same change of flat and cum for every function, both ways."""
    import json
    d = os.path.join(HERE, "..", "golden", "pprof-diff")
    have_corpus = os.path.isdir(os.path.join(shared, "corpus"))
    failures, total = [], 0
    for line in open(os.path.join(d, "CASES.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        base, new, si, golden = line.rstrip("\n").split("\t")
        paths = []
        for p in (base, new):
            if p.startswith("corpus:"):
                paths.append(os.path.join(shared, "corpus", "real", p[7:]))
            else:
                paths.append(os.path.join(repo, p[5:]))
        if not have_corpus and any(p.startswith("corpus:") for p in (base, new)):
            continue
        total += 1
        r = run(pprofx, ["diff", paths[0], paths[1], f"--sample-index={si}", "--normalize", "absolute", "--by", "function",
                         "--format", "json"])
        if r.returncode != 0:
            failures.append(f"{golden}: exit {r.returncode}: {r.stderr.decode(errors='replace').strip()}")
            continue
        ours = {f["name"]: (f["flat"]["delta"], f["cum"]["delta"]) for f in json.loads(r.stdout)["functions"]}
        want = {}
        for row in open(os.path.join(d, golden)):
            name, flat, cum = row.rstrip("\n").split("\t")
            want[name] = (int(flat), int(cum))
        bad = [f"{n}: pprof {w}, pprofx {ours.get(n)}" for n, w in want.items() if ours.get(n) != w]
        bad += [f"{n}: pprofx {v}, pprof has no row" for n, v in ours.items() if v != (0, 0) and n not in want]
        if bad:
            failures.append(f"{golden} ({base} -> {new}, {si}): " + "; ".join(bad[:5]))
    return total, failures


def check_merge(pprofx, shared, repo):
    """`pprofx merge` then `pprofx top` equals `go tool pprof -top A B ...` (which merges)."""
    import tempfile
    d = os.path.join(HERE, "..", "golden", "pprof-diff")
    have_corpus = os.path.isdir(os.path.join(shared, "corpus"))
    failures, total = [], 0
    out = os.path.join(tempfile.mkdtemp(), "merged.pb.gz")
    for line in open(os.path.join(d, "MERGES.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        files, golden = line.rstrip("\n").split("\t")
        files = files.split(" ")
        if not have_corpus and any(f.startswith("corpus:") for f in files):
            continue
        paths = [os.path.join(shared, "corpus", "real", f[7:]) if f.startswith("corpus:") else os.path.join(repo, f[5:])
                 for f in files]
        total += 1
        r = run(pprofx, ["merge"] + paths + ["-o", out])
        if r.returncode != 0:
            failures.append(f"{golden}: merge failed: {r.stderr.decode(errors='replace').strip()}")
            continue
        # pprof names the merged file's first mapping; our output keeps it, so headers match too.
        got = normalise(run(pprofx, ["top", out]).stdout)
        want = open(os.path.join(d, golden), "rb").read()
        if got != want:
            diff = difflib.unified_diff(want.decode(errors="replace").splitlines(), got.decode(errors="replace").splitlines(),
                                        "go tool pprof (merged)", "pprofx merge + top", lineterm="", n=1)
            failures.append(f"{golden}:\n  " + "\n  ".join(list(diff)[:12]))
    return total, failures


def check_symbolize(pprofx, shared):
    """Every address-only or legacy profile of the corpus that pprof accepts: read
    with default symbolization, exit 0, and either no warning (nothing to
    resolve) or one line that names each binary it could not use and why."""
    real = os.path.join(shared, "corpus", "real")
    failures, total = [], 0
    env = dict(os.environ, PPROF_BINARY_PATH="/nonexistent", HOME="/nonexistent")
    for r in csv.DictReader(open(os.path.join(real, "MANIFEST.tsv")), delimiter="\t"):
        if not r["go_tool_pprof_1.19_result"].startswith("OK"):
            continue
        if not (r["symbolization"].startswith("address-only") or r["encoding"].startswith("legacy")
                or "mostly address-only" in r["symbolization"]):
            continue
        total += 1
        path = os.path.join(real, r["file"])
        res = subprocess.run([pprofx, "top", "-n", "3", path], capture_output=True, env=env)
        err = res.stderr.decode(errors="replace")
        lines = err.splitlines()
        sym = [l for l in lines if ": not symbolized: " in l]
        other = [l for l in lines if l not in sym and "refer to mappings the profile does not define" not in l]
        must_warn = r["symbolization"].startswith("address-only")  # and no binary is available here
        if res.returncode != 0 or len(sym) > 1 or other or (must_warn and not sym):
            failures.append(f"{r['file']}: exit {res.returncode}, stderr {err!r}")
            continue
        if sym and not re.search(r"not symbolized: .+\(.+\)", sym[0]):
            failures.append(f"{r['file']}: the warning gives no reason: {sym[0]!r}")
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
    mode, pprofx, given, repo = sys.argv[1:5]
    shared = corpus.shared_dir(given)  # exits 1 if present but incomplete
    if shared is None:
        shared = os.environ.get(corpus.ENV) or given
        whole = mode in ("reject", "flame", "symbolize")  # nothing left to run without the corpus
        print(f"{'SKIP' if whole else 'NOTE'}: {shared} not found; corpus cases skipped (they need ../shared"
              f" beside the repo, or {corpus.ENV} naming the shared folder)")
        if whole:
            return SKIP
    if mode == "top":
        total, failures = check_top(pprofx, shared, repo)
    elif mode == "tree":
        total, failures = check_top(pprofx, shared, repo, os.path.join(HERE, "..", "golden", "pprof-tree"), tree_argv,
                                    "-tree/-peek")
    elif mode == "list":
        total, failures = check_top(pprofx, shared, repo, os.path.join(HERE, "..", "golden", "pprof-list"),
                                    lambda args: list_argv(args, repo), "-list", undo_recursion_notes)
    elif mode in ("traces", "tags", "raw", "dot"):
        total, failures = check_top(pprofx, shared, repo, os.path.join(HERE, "..", "golden", "pprof-" + mode),
                                    lambda args, m=mode: [m] + args, "-" + mode)
    elif mode == "fold":
        total, failures = check_fold(pprofx, shared, repo)
    elif mode == "merge":
        total, failures = check_merge(pprofx, shared, repo)
    elif mode == "diff":
        total, failures = check_diff(pprofx, shared, repo)
    elif mode == "flame":
        total, failures = check_flame(pprofx, shared)
    elif mode == "symbolize":
        total, failures = check_symbolize(pprofx, shared)
    else:
        total, failures = check_reject(pprofx, shared)
    for f in failures:
        print("FAIL", f)
    print(f"conformance {mode}: {total - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
