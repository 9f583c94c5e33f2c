#!/usr/bin/env python3
"""pprofx pgo: the call edges Go's PGO reads survive the reduction.

For the real PGO profiles in ../shared/corpus/external (skipped with a message
when absent) and the repo's testdata CPU profile: `pgo` then `pgo --check` on
input and output list the same hot call sites (99% CDF) with the same weights,
and the output is smaller. FILE@2 doubles every weight (as FILE twice does);
FILE@0.5 rounds halves away from zero. Hostile inputs give one line and exit
1; bad @WEIGHTs exit 2; --check flags what Go rejects.

Usage: pgo_test.py PPROFX REPO_ROOT
"""
import gzip, os, re, subprocess, sys, tempfile

PPROFX, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "external")
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail}"))


def run(*args):
    return subprocess.run([PPROFX, *args], capture_output=True, text=True, errors="replace")


ROW = re.compile(r"^\s+(-?\d+)\s+\S+%\s+\S+%  (.*)$")


def hot(path):
    """The hot call sites --check lists: [(weight, 'caller :offset -> callee')], and the total."""
    r = run("pgo", "--check", path)
    rows = [(int(m.group(1)), m.group(2)) for m in map(ROW.match, r.stdout.splitlines()) if m]
    total = re.search(r"total weight (-?\d+)", r.stdout)
    return r, rows, int(total.group(1)) if total else None


def one_error_line(r):
    lines = r.stderr.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("pprofx: error: ") and r.stdout == ""


# A tiny profile.proto encoder for hand-made inputs.
def varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def field(n, payload):
    return varint(n << 3 | 2) + varint(len(payload)) + payload


def num(n, v):
    return varint(n << 3) + varint(v)


def packed(n, vs):
    return field(n, b"".join(varint(v) for v in vs))


def profile(types, funcs, locs, samples):
    """types: [(type, unit)]; funcs: [(name, start_line)]; locs: [(address, [(func, line)])] (ids from 1);
    samples: [([loc ids leaf first], [values])]."""
    strings = [""]

    def s(x):
        if x not in strings:
            strings.append(x)
        return strings.index(x)

    out = b""
    for t, u in types:
        out += field(1, num(1, s(t)) + num(2, s(u)))
    for ls, vs in samples:
        out += field(2, packed(1, ls) + packed(2, vs))
    for i, (addr, lines) in enumerate(locs, 1):
        out += field(4, num(1, i) + num(3, addr) + b"".join(field(4, num(1, f) + num(2, l)) for f, l in lines))
    for i, (name, start) in enumerate(funcs, 1):
        out += field(5, num(1, i) + num(2, s(name)) + num(4, s("main.go")) + num(5, start))
    for x in strings:
        out += field(6, x.encode())
    return gzip.compress(out)


def preserved(name, src, d, accepted=True):
    out = os.path.join(d, os.path.basename(src) + ".pgo")
    r = run("pgo", src, "-o", out)
    if r.returncode != 0:
        check(f"{name}: pgo runs", False, r.stderr)
        return
    ri, before, tin = hot(src)
    ro, after, tout = hot(out)
    insize, outsize = os.path.getsize(src), os.path.getsize(out)
    check(f"{name}: {len(before)} hot call sites and their weights unchanged (total {tin} -> {tout}); "
          f"{insize} -> {outsize} bytes", before and before == after and outsize < insize,
          f"{r.stderr}\nin {before[:5]} out {after[:5]} sizes {insize} {outsize}")
    if accepted:
        check(f"{name}: Go would accept the result", ro.returncode == 0 and "warning" not in r.stderr,
              ro.stdout + ro.stderr + r.stderr)
    else:  # written by Go 1.19, without Function.start_line: kept as read, and said
        check(f"{name}: no start_line: --check exits 1 and pgo warns", ro.returncode == 1 and ri.returncode == 1
              and "pprofx: warning: " in r.stderr and "start_line" in r.stderr, ro.stdout[-300:] + r.stderr)


with tempfile.TemporaryDirectory() as d:
    cpu = os.path.join(ROOT, "testdata", "workload.cpu.pb.gz")
    preserved("testdata workload.cpu", cpu, d, accepted=False)

    if os.path.isdir(CORPUS):
        real = sorted(f for f in os.listdir(CORPUS) if f.endswith(".pgo") or f in ("golang.devirt.pprof", "golang.inline_hot.pprof"))
        check(f"corpus: {len(real)} real PGO profiles", len(real) >= 5, real)
        for f in real:
            preserved(f"corpus {f}", os.path.join(CORPUS, f), d)
    else:
        print(f"skip: corpus tests ({CORPUS} absent)")

    # Weights: @2 doubles every edge, as the file given twice does.
    _, base, total = hot(cpu)
    for args, label in (([f"{cpu}@2"], "@2"), ([cpu, cpu], "the file twice")):
        out = os.path.join(d, "w.pgo")
        r = run("pgo", *args, "-o", out, "--keep", "100")
        _, rows, t2 = hot(out)
        check(f"weights: {label} doubles the total ({total} -> {t2}) and every hot edge",
              r.returncode == 0 and t2 == 2 * total and rows == [(2 * w, e) for w, e in base], r.stderr)

    # Hand-made: main.a calls main.b at line 12 (start 10): offset 2; values 3 and 1.
    funcs = [("main.a", 10), ("main.b", 20), ("main.c", 30)]
    locs = [(0x10, [(1, 12)]), (0x20, [(2, 25)]), (0x30, [(3, 31)])]
    good = os.path.join(d, "good.pb.gz")
    open(good, "wb").write(profile([("samples", "count"), ("cpu", "nanoseconds")], funcs, locs,
                                   [([2, 1], [3, 30]), ([3, 2, 1], [1, 10])]))
    r, rows, total = hot(good)
    check("hand-made: edges a:+2->b weighs 4, b:+5->c weighs 1", rows == [(4, "main.a :2 -> main.b"), (1, "main.b :5 -> main.c")]
          and total == 5 and r.returncode == 0, r.stdout + r.stderr)
    out = os.path.join(d, "half.pgo")
    r = run("pgo", f"{good}@0.5", "-o", out, "--keep", "100")
    _, rows, _ = hot(out)
    # 3*0.5=1.5 -> 2 and 1*0.5=0.5 -> 1 (halves away from zero): a->b 3, b->c 1.
    check("weights: @0.5 rounds halves away from zero", rows == [(3, "main.a :2 -> main.b"), (1, "main.b :5 -> main.c")],
          f"{rows} {r.stderr}")

    # Recursion a->b->a->b: Go adds a sample once per distinct node pair. Same addresses: one a->b
    # node pair (5); distinct addresses for the inner a, b: two (10), and pgo must keep the addresses.
    rec_locs = locs + [(0x40, [(1, 12)]), (0x50, [(2, 25)])]
    for label, stack, ab in (("same addresses", [2, 1, 2, 1], 5), ("distinct addresses", [5, 4, 2, 1], 10)):
        rec = os.path.join(d, "rec.pb.gz")
        open(rec, "wb").write(profile([("samples", "count")], funcs, rec_locs, [(stack, [5])]))
        _, rows, _ = hot(rec)
        out = os.path.join(d, "rec.pgo")
        r = run("pgo", rec, "-o", out)
        _, after, _ = hot(out)
        want = sorted([(ab, "main.a :2 -> main.b"), (5, "main.b :5 -> main.a")], key=lambda x: (-x[0], x[1]))
        check(f"recursion, {label}: a->b weighs {ab}, b->a 5, unchanged by pgo", rows == want and after == want,
              f"{rows} {after} {r.stderr}")

    nostart = os.path.join(d, "nostart.pb.gz")
    open(nostart, "wb").write(profile([("samples", "count")], [(n, 0) for n, _ in funcs], locs, [([2, 1], [3])]))
    r = run("pgo", "--check", nostart)
    check("--check: no Function.start_line is a problem (exit 1)",
          r.returncode == 1 and "start_line" in r.stdout and r.stderr.count("\n") == 1, r.stdout + r.stderr)
    neg = os.path.join(d, "neg.pb.gz")
    open(neg, "wb").write(profile([("samples", "count")], funcs, locs, [([2, 1], [3]), ([3, 2, 1], [-1])]))
    r = run("pgo", "--check", neg)
    check("--check: a negative value is a problem (exit 1)", r.returncode == 1 and "negative" in r.stdout, r.stdout + r.stderr)
    heap = os.path.join(ROOT, "testdata", "workload.heap.pb.gz")
    r = run("pgo", "--check", heap)
    check("--check: a heap profile lacks the sample types (exit 1)", r.returncode == 1 and "samples/count" in r.stdout,
          r.stdout + r.stderr)

    # Hostile inputs: one line, exit 1, nothing written.
    junk = os.path.join(d, "junk.pb.gz")
    open(junk, "wb").write(gzip.compress(b"\xff" * 100))
    target = os.path.join(d, "never.pgo")
    for label, args in (("a heap profile", [heap]), ("garbage", [junk]), ("a missing file", [os.path.join(d, "nope")]),
                        ("incompatible inputs", [cpu, good])):
        r = run("pgo", *args, "-o", target)
        check(f"hostile: {label} gives one error line, exit 1, no output", r.returncode == 1 and one_error_line(r)
              and not os.path.exists(target), f"{r.returncode} {r.stdout} {r.stderr}")
    big = os.path.join(d, "big.pb.gz")
    open(big, "wb").write(profile([("samples", "count")], funcs, locs, [([2, 1], [1 << 61])]))
    r = run("pgo", f"{big}@8", "-o", target)
    check("hostile: a weight that takes a value past int64 gives one error line, exit 1", r.returncode == 1
          and one_error_line(r) and "int64" in r.stderr and not os.path.exists(target), f"{r.returncode} {r.stderr}")
    trunc = os.path.join(d, "trunc.pb.gz")
    open(trunc, "wb").write(open(good, "rb").read()[:-9])
    r = run("pgo", "--check", trunc)
    check("hostile: --check of a truncated gzip gives one error line, exit 1", r.returncode == 1 and one_error_line(r),
          f"{r.returncode} {r.stdout} {r.stderr}")
    for w in ("x", "0", "-1", "", "1e3", "1.", ".5", "99999999999"):
        r = run("pgo", f"{cpu}@{w}", "-o", target)
        check(f"usage: @{w!r} exits 2", r.returncode == 2 and not os.path.exists(target), f"{r.returncode} {r.stderr}")
    r = run("pgo", cpu)
    check("usage: no -o exits 2", r.returncode == 2, r.stderr)

print(f"{sum(results)}/{len(results)} passed")
sys.exit(0 if results and all(results) else 1)
