#!/usr/bin/env python3
"""pprofx pgo: the call edges Go's PGO reads survive the reduction, checked against Go itself.

Go 1.23 (/usr/lib/go-1.23/bin/go, Debian 12 backports; scripts/install-deps.sh --tests) is the
reference: `go tool preprofile` writes the weighted call edges the compiler reads (it is the step
`go build -pgo` runs first), and compiling the Go test program (tests/symbolize/go) with
-gcflags=-pgoprofile=X -d=pgodebug=2 -m=2 prints the compiler's PGO inlining and devirtualization
decisions. For the real PGO profiles in ../shared/corpus/external (skipped with a message when
absent), hand-made profiles, and a fleet of 8 CPU profiles the test program writes of itself under
pprof.Do labels (merged with pprofx merge):
  * `pgo --check`'s hot call sites are the ones Go's 99% CDF picks from preprofile's edges;
  * after `pgo`, Go's hot set is unchanged and every edge Go reads has its weight in the input;
    with --keep 100, preprofile's output is byte-identical; the compiler's decisions are identical;
  * go build -pgo accepts every output, and builds the test program into the same machine code
    (.text), byte for byte, from the fleet's output as from the merged fleet; the output is smaller.
Without Go 1.23 those checks are skipped with a message and pprofx's own reading is compared.
FILE@2 doubles every weight (as FILE twice does); FILE@0.5 rounds halves away from zero. Hostile
inputs give one line and exit 1; bad @WEIGHTs exit 2; --check flags what Go rejects (no start line
at all) and warns on what it accepts (some functions without one).

Usage: pgo_test.py PPROFX REPO_ROOT
"""
import gzip, os, re, subprocess, sys, tempfile

PPROFX, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "external")
GO = "/usr/lib/go-1.23/bin/go"
HAVE_GO = os.access(GO, os.X_OK)
GOPROG = os.path.join(ROOT, "tests", "symbolize", "go")
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail}"))


def run(*args):
    return subprocess.run([PPROFX, *args], capture_output=True, text=True, errors="replace")


ROW = re.compile(r"^\s+(-?\d+)\s+\S+%\s+\S+%  (.*)$")


def hot(path, *extra):
    """The hot call sites --check --hot 0 lists: [(weight, 'caller :offset -> callee')], and the total."""
    r = run("pgo", "--check", "--hot", "0", *extra, path)
    rows = [(int(m.group(1)), m.group(2)) for m in map(ROW.match, r.stdout.splitlines()) if m]
    total = re.search(r"total weight (-?\d+)", r.stdout)
    return r, rows, int(total.group(1)) if total else None


def one_error_line(r):
    lines = r.stderr.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("pprofx: error: ") and r.stdout == ""


WORK = tempfile.mkdtemp(prefix="pprofx-pgo-")
GOENV = dict(os.environ, GO111MODULE="off", GOFLAGS="", CGO_ENABLED="0", GOPATH=os.path.join(WORK, "gopath"))


def go_edges(path):
    """Go's own reading: `go tool preprofile` -> (text, [(weight, 'caller :offset -> callee')]) or (None, error)."""
    out = os.path.join(WORK, "preprofile.txt")
    r = subprocess.run([GO, "tool", "preprofile", "-i", path, "-o", out], capture_output=True, text=True, env=GOENV)
    if r.returncode != 0:
        return None, r.stderr.strip()
    text = open(out).read()
    lines = text.split("\n")
    assert lines[0] == "GO PREPROFILE V1", lines[0]
    edges = []
    for i in range(1, len(lines) - 2, 3):
        offset, weight = lines[i + 2].split()
        edges.append((int(weight), f"{lines[i]} :{offset} -> {lines[i + 1]}"))
    return text, edges


def go_hot(edges):
    """Go's hotNodesFromCDF (cmd/compile/internal/inline): the shortest prefix past 99% of the total."""
    total, cum = sum(w for w, _ in edges), 0
    for i, (w, _) in enumerate(edges):
        cum += w
        if cum / total * 100 > 99:
            return edges[:i + 1]
    return edges


def go_build_pgo(profile, program, exe):
    """`go build -pgo=PROFILE` of a program directory: (exit code, stderr)."""
    r = subprocess.run([GO, "build", "-pgo=" + profile, "-o", exe, "."], capture_output=True, text=True, env=GOENV,
                       cwd=program)
    return r.returncode, r.stderr.strip()


TINY = os.path.join(WORK, "tiny")  # a main package of the runtime alone: a -pgo build rebuilds that much
os.makedirs(TINY)
open(os.path.join(TINY, "main.go"), "w").write("package main\n\nfunc main() {}\n")


def decisions(profile):
    """The compiler's PGO decisions for the test program's main package with this profile."""
    r = subprocess.run([GO, "build", "-gcflags=-pgoprofile=" + profile + " -d=pgodebug=2 -m=2", "-o",
                        os.path.join(WORK, "gowork.dbg"), "."], capture_output=True, text=True, env=GOENV, cwd=GOPROG)
    return r.returncode, r.stdout + r.stderr


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


def preserved(name, src, accepted=True):
    out = os.path.join(WORK, os.path.basename(src) + ".pgo")
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
    if not accepted:  # written by Go 1.19, without Function.start_line: kept as read, and said
        check(f"{name}: no start_line: --check exits 1 and pgo warns", ro.returncode == 1 and ri.returncode == 1
              and "pprofx: warning: " in r.stderr and "start_line" in r.stderr, ro.stdout[-300:] + r.stderr)
        if HAVE_GO:
            text, err = go_edges(src)
            check(f"{name}: Go 1.23 rejects it too", text is None and "start_line" in err, err)
        return
    check(f"{name}: pprofx would accept the result", ro.returncode == 0 and "warning" not in r.stderr,
          ro.stdout[-300:] + ro.stderr + r.stderr)
    if not HAVE_GO:
        return
    text_in, go_in = go_edges(src)
    text_out, go_out = go_edges(out)
    if text_in is None or text_out is None:
        check(f"{name}: Go 1.23 accepts input and output", False, f"{go_in} / {go_out}")
        return
    check(f"{name}: --check's {len(before)} hot call sites are Go's (preprofile, 99% CDF)", before == go_hot(go_in),
          f"go {go_hot(go_in)[:3]} pprofx {before[:3]}")
    weights = {e: w for w, e in go_in}
    check(f"{name}: Go's hot set is unchanged and each of the {len(go_out)} edges it reads from the output "
          f"({len(go_in)} in the input) has its input weight", go_hot(go_in) == go_hot(go_out)
          and go_out and all(weights.get(e) == w for w, e in go_out), f"{go_out[:3]} {go_in[:3]}")
    full = os.path.join(WORK, "full.pgo")
    run("pgo", src, "--keep", "100", "-o", full)
    check(f"{name}: with --keep 100 Go's preprofile output is byte-identical", go_edges(full)[0] == text_in)
    code, err = go_build_pgo(out, TINY, os.path.join(WORK, "tiny.exe"))
    check(f"{name}: go build -pgo accepts the output", code == 0, err)
    ci, di = decisions(src)
    co, do = decisions(out)
    check(f"{name}: the compiler accepts the output, and its PGO decisions on the test program are identical "
          f"({len(do.splitlines())} lines of -d=pgodebug=2 -m=2)", ci == 0 and co == 0 and di == do
          and "hot-callsite-thres-from-CDF" in do, do[-300:] if co else "")

d = WORK
if not HAVE_GO:
    print(f"skip: the checks against Go itself ({GO} absent; scripts/install-deps.sh --tests installs golang-1.23-go)")
cpu = os.path.join(ROOT, "testdata", "workload.cpu.pb.gz")
preserved("testdata workload.cpu", cpu, accepted=False)

if os.path.isdir(CORPUS):
    real = sorted(f for f in os.listdir(CORPUS) if f.endswith(".pgo") or f in ("golang.devirt.pprof", "golang.inline_hot.pprof"))
    check(f"corpus: {len(real)} real PGO profiles", len(real) >= 5, real)
    for f in real:
        preserved(f"corpus {f}", os.path.join(CORPUS, f))
    big = os.path.join(CORPUS, "golang.default.pgo")
    r1, r2 = run("pgo", "--check", big), run("pgo", "--check", big)
    _, rows, _ = hot(big)
    listed = [l for l in r1.stdout.splitlines() if ROW.match(l)]
    m = re.search(r"hot call sites \(Go's 99% CDF, pgoinlinecdfthreshold=99\): (\d+), carrying (\S+)% of the weight; "
                  r"the coldest weighs (\d+)", r1.stdout)
    check(f"--check: the 20 heaviest of {len(rows)} hot call sites by default, with the count and Go's threshold, "
          "the same each run", r1.returncode == 0 and r1.stdout == r2.stdout and len(rows) > 100
          and [(int(ROW.match(l).group(1)), ROW.match(l).group(2)) for l in listed] == rows[:20]
          and m and int(m.group(1)) == len(rows) and int(m.group(3)) == rows[-1][0] and float(m.group(2)) >= 99
          and "--hot 0 lists all" in r1.stdout, r1.stdout[:800])
    r = run("pgo", "--check", "--hot", "3", big)
    check("--check --hot 3 lists 3", len([l for l in r.stdout.splitlines() if ROW.match(l)]) == 3, r.stdout[:500])
else:
    print(f"skip: corpus tests ({CORPUS} absent)")

r = run("pgo", "--hot", "3", cpu, "-o", os.path.join(d, "x.pgo"))
check("usage: --hot without --check exits 2", r.returncode == 2, r.stderr)

# The fleet: the Go test program run 32 times for 1.5 s (two at a time) at 1000 Hz (as continuous
# profilers sample; up to 1,500 samples an instance, what 15 s at Go's default 100 Hz give), each
# instance under its own pprof.Do label and each round under a route label, merged with pprofx merge.
# 32 instances, not 8, so that the reduction is measured on a fleet: the merged input grows with
# the instances (their labels and addresses), what Go reads does not.
if HAVE_GO:
    binary = os.path.join(d, "gowork")
    b = subprocess.run([GO, "build", "-o", binary, "."], capture_output=True, text=True, env=GOENV, cwd=GOPROG)
    check("fleet: the test program builds with Go 1.23", b.returncode == 0, b.stderr)
    fleet = []
    for pair in range(16):
        procs = []
        for i in (2 * pair, 2 * pair + 1):
            fleet.append(os.path.join(d, f"fleet{i}.cpu.pb.gz"))
            procs.append(subprocess.Popen([binary, "1.5", fleet[-1], os.path.join(d, f"fleet{i}.heap.pb.gz")],
                                          env=dict(os.environ, GOWORK_LABELS=f"instance,host-{i}", GOWORK_HZ="1000"),
                                          stderr=subprocess.DEVNULL))  # the rate warning
        for pr in procs:
            pr.wait()
    merged = os.path.join(d, "fleet.merged.pb.gz")
    r = run("merge", *fleet, "-o", merged)
    check("fleet: 32 profiles merged", r.returncode == 0 and os.path.exists(merged), r.stderr)
    preserved("fleet of 32", merged)
    out = os.path.join(WORK, os.path.basename(merged) + ".pgo")
    ratio = os.path.getsize(merged) / os.path.getsize(out)
    print(f"note: fleet: merged {os.path.getsize(merged)} bytes, pgo {os.path.getsize(out)} bytes: {ratio:.2f}x smaller "
          "(the issue asks 5x)")
    # The issue asks 5x. Measured 7.2x on a quiet machine and 6.2x with both cores kept busy by two
    # other processes (fewer samples, so fewer distinct stacks an instance); the output is mostly
    # the function names Go reads.
    check(f"fleet: the output is at least 5x smaller than the merged fleet ({ratio:.2f}x)", ratio >= 5)
    exe, exe_in = os.path.join(d, "gowork.pgo"), os.path.join(d, "gowork.merged-pgo")
    (c1, e1), (c2, e2) = go_build_pgo(out, GOPROG, exe), go_build_pgo(merged, GOPROG, exe_in)

    def text(exe):  # the machine code (the build info and build id name the profile, so they differ)
        subprocess.run(["objcopy", "-O", "binary", "--only-section=.text", exe, exe + ".text"], check=True)
        return open(exe + ".text", "rb").read()

    check("fleet: go build -pgo of the test program gives the same machine code (.text), byte for byte, with the "
          "output as with the merged fleet", c1 == 0 and c2 == 0 and len(text(exe)) > 100000 and text(exe) == text(exe_in),
          e1 + e2)
else:
    print("skip: the fleet (needs Go 1.23 to build the test program and check the result)")

# Weights: @2 doubles every edge, as the file given twice does.
_, base, total = hot(cpu)
for args, label in (([f"{cpu}@2"], "@2"), ([cpu, cpu], "the file twice")):
    out = os.path.join(d, "w.pgo")
    r = run("pgo", *args, "-o", out, "--keep", "100")
    _, rows, t2 = hot(out)
    check(f"weights: {label} doubles the total ({total} -> {t2}) and every hot edge",
          r.returncode == 0 and t2 == 2 * total and rows == [(2 * w, e) for w, e in base], r.stderr)

# Hand-made: main.a calls main.b at line 12 (start 10): offset 2; main.b calls main.c at 25 (start 20).
# Go reads the leaf and its caller only: [c, b, a] adds to b->c, not a->b.
funcs = [("main.a", 10), ("main.b", 20), ("main.c", 30)]
locs = [(0x10, [(1, 12)]), (0x20, [(2, 25)]), (0x30, [(3, 31)])]


def go_agrees(label, path, rows):
    if HAVE_GO:
        text, edges = go_edges(path)
        check(f"{label}: Go's preprofile reads the same edges", text is not None and go_hot(edges) == rows,
              f"{edges} {rows}")


good = os.path.join(d, "good.pb.gz")
open(good, "wb").write(profile([("samples", "count"), ("cpu", "nanoseconds")], funcs, locs,
                               [([2, 1], [3, 30]), ([3, 2, 1], [1, 10])]))
r, rows, total = hot(good)
check("hand-made: a:+2->b weighs 3, b:+5->c 1 (the last two frames)",
      rows == [(3, "main.a :2 -> main.b"), (1, "main.b :5 -> main.c")] and total == 4 and r.returncode == 0,
      r.stdout + r.stderr)
go_agrees("hand-made", good, rows)
out = os.path.join(d, "half.pgo")
r = run("pgo", f"{good}@0.5", "-o", out, "--keep", "100")
_, rows, _ = hot(out)
# 3*0.5=1.5 -> 2 and 1*0.5=0.5 -> 1 (halves away from zero).
check("weights: @0.5 rounds halves away from zero", rows == [(2, "main.a :2 -> main.b"), (1, "main.b :5 -> main.c")],
      f"{rows} {r.stderr}")

# Recursion through an inline frame: location X is b inlined in a; the stack [X, X] walks a, b, a, b.
# Go adds a sample once per distinct node pair: same address, a->b once (5); the leaf at another
# address Y: a->b twice (10). pgo keeps the addresses that tell them apart.
rec_locs = locs + [(0x60, [(2, 25), (1, 12)]), (0x70, [(2, 25), (1, 12)])]
for label, stack, ab in (("same addresses", [4, 4], 5), ("distinct addresses", [5, 4], 10)):
    rec = os.path.join(d, "rec.pb.gz")
    open(rec, "wb").write(profile([("samples", "count")], funcs, rec_locs, [(stack, [5])]))
    _, rows, _ = hot(rec)
    out = os.path.join(d, "rec.pgo")
    r = run("pgo", rec, "-o", out)
    _, after, _ = hot(out)
    want = sorted([(ab, "main.a :2 -> main.b"), (5, "main.b :5 -> main.a")], key=lambda x: (-x[0], x[1]))
    check(f"recursion, {label}: a->b weighs {ab}, b->a 5, unchanged by pgo", rows == want and after == want,
          f"{rows} {after} {r.stderr}")
    go_agrees(f"recursion, {label}", rec, rows)
    go_agrees(f"recursion, {label}, pgo's output", out, rows)

# Function.start_line: Go rejects a profile only when no function of its graph has one.
nostart = os.path.join(d, "nostart.pb.gz")
open(nostart, "wb").write(profile([("samples", "count")], [(n, 0) for n, _ in funcs], locs, [([2, 1], [3])]))
r = run("pgo", "--check", nostart)
check("--check: no Function.start_line at all is a problem (exit 1)",
      r.returncode == 1 and "start_line" in r.stdout and r.stderr.count("\n") == 1, r.stdout + r.stderr)
if HAVE_GO:
    check("--check: ... and Go rejects it", go_edges(nostart)[0] is None)
# Only the nodes Go reads count: a start line on a frame past the leaf's caller does not help.
deepstart = os.path.join(d, "deepstart.pb.gz")
open(deepstart, "wb").write(profile([("samples", "count")], [("main.a", 10), ("main.b", 0), ("main.c", 0)], locs,
                                    [([3, 2, 1], [3])]))
r = run("pgo", "--check", deepstart)
check("--check: a start line only on the third frame is no start line (exit 1)",
      r.returncode == 1 and "missing Function.start_line" in r.stdout, r.stdout + r.stderr)
if HAVE_GO:
    check("--check: ... and Go rejects it", go_edges(deepstart)[0] is None)
somestart = os.path.join(d, "somestart.pb.gz")
open(somestart, "wb").write(profile([("samples", "count")], [("main.a", 10), ("main.b", 0), ("main.c", 30)], locs,
                                    [([2, 1], [3]), ([3, 2], [2])]))
r = run("pgo", "--check", somestart)
check("--check: a function with start_line 0 beside others is a warning (exit 0)",
      r.returncode == 0 and "problem" not in r.stdout and r.stderr.startswith("pprofx: warning: ")
      and "1 function has Function.start_line 0" in r.stderr and "main.b :25 -> main.c" in r.stdout,
      r.stdout + r.stderr)
if HAVE_GO:
    text, edges = go_edges(somestart)
    check("--check: ... and Go accepts it, with the absolute line as b's offset", text is not None
          and (2, "main.b :25 -> main.c") in edges, f"{text} {edges}")
neg = os.path.join(d, "neg.pb.gz")
open(neg, "wb").write(profile([("samples", "count")], funcs, locs, [([2, 1], [3]), ([3, 2, 1], [-1])]))
r = run("pgo", "--check", neg)
check("--check: a negative value is a problem (exit 1)", r.returncode == 1 and "negative" in r.stdout, r.stdout + r.stderr)
heap = os.path.join(ROOT, "testdata", "workload.heap.pb.gz")
r = run("pgo", "--check", heap)
check("--check: a heap profile lacks the sample types (exit 1)", r.returncode == 1 and "samples/count" in r.stdout,
      r.stdout + r.stderr)
r = run("pgo", "--demangle", "full", cpu, "-o", os.path.join(d, "x.pgo"))
check("usage: --demangle does not apply (Go reads names as written): exit 2", r.returncode == 2, r.stderr)

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
subprocess.run(["chmod", "-R", "u+w", WORK])  # Go's module cache is read-only
subprocess.run(["rm", "-rf", WORK])
sys.exit(0 if results and all(results) else 1)
