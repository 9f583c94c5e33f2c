#!/usr/bin/env python3
"""pprofx finding leaks in snapshots of a real Go program (tests/leak/workload.go,
built and run here): each snapshot's total equals the goroutine count of the
dump it was read from (debug=0, 1 and 2); `trend` flags both goroutine leaks
(main.leakedReceiver +3, main.leakedSelector +2 per step) and the heap leak
(main.grow +1 MiB per step) and none of the steady pools, fluctuations or
spikes; --fail-on-growth sets the exit code; `diff` of the first and last
snapshots puts the two leaks first; debug=1 dumps without a binary name the
leaking functions; debug=2 labels (state, locked_to_thread) filter and list;
a crash's GOTRACEBACK=all stderr reads as a goroutine profile with the panic
as a comment; bad input gives one-line errors; flame graphs of dumps.

Usage: leak_test.py PPROFX
"""
import json, os, re, subprocess, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fetch"))
from go_server import go_binary

HERE = os.path.dirname(os.path.abspath(__file__))
PPROFX = os.path.abspath(sys.argv[1])
results = []
GROWING = ("grows in every snapshot", "grows")
STEADY_NAMES = ("poolWorker", "lockedWorker", "fluctuating", "spike")


def run(args, **kw):
    return subprocess.run([PPROFX] + args, capture_output=True, env=dict(os.environ, TZ="UTC"), **kw)


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail!r}"[:2000]))


def total_of(r):
    """The T of top's "Showing nodes accounting for X, P% of T total" line, or None."""
    m = re.search(r"^Showing nodes accounting for .*? of (\d+) total$", r.stdout.decode(), re.M)
    return int(m.group(1)) if r.returncode == 0 and m else None


def flat_cum(r):
    """{function: (flat, cum)} from `top --nodefraction=0` (count profiles: plain integers)."""
    rows = {}
    for line in r.stdout.decode().splitlines():
        m = re.match(r"^\s*(\d+)\s+\S+%\s+\S+%\s+(\d+)\s+\S+%\s+(.+)$", line)
        if m:
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return rows


def load_json(r):
    """The JSON pprofx printed, or {"error": ...} when it failed or printed something else."""
    try:
        return json.loads(r.stdout) if r.returncode == 0 else {"error": r.stderr.decode()}
    except ValueError:
        return {"error": r.stdout.decode()[:300]}


def trend_json(files, *extra):
    return load_json(run(["trend"] + files + ["--format", "json"] + list(extra)))


def one_error_line(r, code, *needles):
    """Exit code, nothing on stdout, one "pprofx: error:" line holding the needles (a usage error
    adds pprofx's usual "Run 'pprofx --help' for usage." hint as a second line)."""
    lines = r.stderr.decode().splitlines()
    if code == 2 and lines[1:] == ["Run 'pprofx --help' for usage."]:
        lines = lines[:1]
    return (r.returncode == code and r.stdout == b"" and len(lines) == 1 and lines[0].startswith("pprofx: error: ")
            and all(n in lines[0] for n in needles))


if go_binary() is None:
    print("SKIP: go not found (scripts/install-deps.sh --tests installs golang-go)")
    sys.exit(77)

with tempfile.TemporaryDirectory() as tmp:
    exe = os.path.join(tmp, "workload")
    env = dict(os.environ, GO111MODULE="off", CGO_ENABLED="0", GOCACHE=os.path.join(tmp, "gocache"),
               GOPATH=os.path.join(tmp, "gopath"))
    subprocess.run([go_binary(), "build", "-o", exe, os.path.join(HERE, "workload.go")], check=True, env=env, cwd=tmp)
    snap = os.path.join(tmp, "snap")
    w = subprocess.run([exe, "-out", snap], capture_output=True)
    f = lambda name: os.path.join(snap, name)
    kinds = {"pb": "goroutine.%d.pb.gz", "debug1": "goroutine.%d.debug1.txt", "debug2": "goroutine.%d.debug2.txt",
             "heap": "heap.%d.pb.gz"}
    series = {k: [f(pattern % n) for n in range(1, 6)] for k, pattern in kinds.items()}
    files = [p for s in series.values() for p in s]
    missing = [p for p in files if not os.path.exists(p) or os.path.getsize(p) == 0]
    check("workload wrote 20 non-empty snapshot files", w.returncode == 0 and not missing, (w.stderr, missing))
    if missing:
        sys.exit(1)

    # 1. Totals equal the dumps' goroutine counts.
    for n in range(1, 6):
        d2, d1, pb = series["debug2"][n - 1], series["debug1"][n - 1], series["pb"][n - 1]
        count = sum(1 for l in open(d2) if re.match(r"goroutine \d", l))
        first = open(d1).readline()
        m = re.match(r"goroutine profile: total (\d+)$", first)
        t = int(m.group(1)) if m else None
        got = (total_of(run(["top", d2])), total_of(run(["top", d1])), total_of(run(["top", pb])))
        check(f"snapshot {n}: totals of debug2, debug1, pb.gz = {count} goroutines, 'total {t}'",
              count > 0 and t == count and got == (count, t, t), (count, first, got))

    # 2. trend over the goroutine dumps flags exactly the two leaks.
    leaks = {"main.leakedReceiver": [3, 6, 9, 12, 15], "main.leakedSelector": [2, 4, 6, 8, 10]}
    for kind in ("debug2", "debug1", "pb"):
        d = trend_json(series[kind])
        rows = d.get("rows", [])
        growing = sorted((r["name"], r["verdict"], r["values"]) for r in rows if r["verdict"] in GROWING)
        want = [(name, v) for name, v in sorted(leaks.items())]
        check(f"trend of {kind} goroutines: exactly the two leaks grow in every snapshot",
              d.get("schema") == "pprofx-trend/1" and (kind == "pb" or d.get("time_source", 0) is None)
              and len(growing) == 2 and all(g[0].startswith(name) and g[1] == "grows in every snapshot"
                                            and g[2] == v for g, (name, v) in zip(growing, want)), (d, growing))
        if kind == "debug2":
            check("debug2 rows name the creator: main.leakedReceiver (created by main.startReceivers)",
                  "main.leakedReceiver (created by main.startReceivers)" in [r["name"] for r in rows], rows)
        steady = [r for r in rows if any(s in r["name"] for s in STEADY_NAMES)]
        check(f"trend of {kind} goroutines: pools, fluctuating and spike rows are listed and steady",
              sorted({s for s in STEADY_NAMES for r in steady if s in r["name"]}) == sorted(STEADY_NAMES)
              and all(r["verdict"] == "steady" for r in steady), steady)
        if kind != "pb":
            d = trend_json(series[kind], "--interval", "1m")
            recv = [r for r in d.get("rows", []) if r["name"].startswith("main.leakedReceiver")]
            check(f"trend of {kind} goroutines --interval 1m: a time source, leakedReceiver +3/minute",
                  d.get("time_source") is not None and len(recv) == 1 and recv[0].get("slope_per_minute") == 3, d)

    # 3. trend over the heap profiles flags main.grow, not the steady or fluctuating heap.
    d = trend_json(series["heap"])
    by = {r["name"]: r for r in d.get("rows", [])}
    grow = by.get("main.grow", {"values": [0] * 5, "verdict": None})
    v = grow["values"]
    check("heap trend: main.grow grows, about 1 MiB per step",
          grow["verdict"] in GROWING and all(a < b for a, b in zip(v, v[1:]))
          and abs((v[-1] - v[0]) - 4 * 1048576) <= 0.1 * 4 * 1048576, grow)
    for name in ("main.steadyBuffers", "main.churn", "main.heapSpike"):
        check(f"heap trend: {name} is steady", by.get(name, {}).get("verdict") == "steady", by.get(name))

    # 4. --fail-on-growth.
    r = run(["trend"] + series["debug2"] + ["--fail-on-growth"])
    check("trend --fail-on-growth on the goroutine series: exit 3", r.returncode == 3, r.stderr)
    r = run(["trend"] + [f("goroutine.5.pb.gz")] * 3 + ["--fail-on-growth"])
    check("trend --fail-on-growth on one snapshot thrice (nothing grows): exit 0",
          r.returncode == 0 and b"0 of 6 groups of stacks grow" in r.stdout, (r.returncode, r.stderr, r.stdout))

    # 5. diff of the first and last snapshots puts the two leaks first.
    for base, new in (("goroutine.1.debug2.txt", "goroutine.5.debug2.txt"), ("goroutine.1.pb.gz", "goroutine.5.pb.gz")):
        r = run(["diff", f(base), f(new), "--format", "json"])
        fns = load_json(r).get("functions", [])
        top2 = sorted((x["name"], x["flat"]["delta"]) for x in fns[:2])
        check(f"diff {base} {new}: the two leaks first (+12, +8)", len(top2) == 2
              and top2[0][0].startswith("main.leakedReceiver") and top2[0][1] == 12
              and top2[1][0].startswith("main.leakedSelector") and top2[1][1] == 8, (r.stderr, fns[:3]))

    # 6. debug=1 without a binary names the leaking functions.
    rows = flat_cum(run(["top", "--nodefraction=0", "-n", "1000", f("goroutine.5.debug1.txt")]))
    check("top of goroutine.5.debug1.txt: main.leakedReceiver 15, main.leakedSelector 10",
          rows.get("main.leakedReceiver") == (15, 15) and rows.get("main.leakedSelector") == (10, 10), rows)

    # 7. Labels of debug=2 dumps.
    r = run(["top", "--tagfocus", "state=select", f("goroutine.5.debug2.txt")])
    check("top --tagfocus state=select goroutine.5.debug2.txt accounts for 10 (the selectors)",
          r.returncode == 0 and re.search(r"^Showing nodes accounting for 10, .* of 40 total$", r.stdout.decode(), re.M)
          and "main.leakedSelector" in r.stdout.decode() and "main.poolWorker" not in r.stdout.decode(), r.stdout)
    r = run(["tags", f("goroutine.5.debug2.txt")])
    out = r.stdout.decode()
    check("tags goroutine.5.debug2.txt: locked_to_thread true on 1, state select 10", r.returncode == 0
          and re.search(r"locked_to_thread: Total 1\.0\n\s+1\.0 \(\s*100%\): true", out)
          and re.search(r"10\.0 \(25\.00%\): select", out), out)
    r = run(["fold", "--tagroot", "state", f("goroutine.5.debug2.txt")])
    check("fold --tagroot state: the state is each stack's root (the selectors under select)",
          r.returncode == 0 and "select;created by main.startSelectors;main.leakedSelector 10\n" in r.stdout.decode()
          and "chan receive;created by main.startReceivers;main.leakedReceiver 15\n" in r.stdout.decode(), r.stdout)

    # 8. A crash dump (a panic's GOTRACEBACK=all stderr) reads as a goroutine profile.
    crash = os.path.join(tmp, "crash.txt")
    with open(crash, "wb") as err:
        c = subprocess.run([exe, "-out", os.path.join(tmp, "snap2"), "-crash"], stdout=subprocess.DEVNULL, stderr=err)
    text = open(crash).read()
    check("workload -crash: exit 2, stderr holds the panic and the goroutines", c.returncode == 2
          and "panic: leak workload: crash on purpose" in text and "main.leakedReceiver" in text, (c.returncode, text[:300]))
    r = run(["top", "--nodefraction=0", "-n", "1000", crash])
    rows = flat_cum(r)
    count = sum(1 for l in text.splitlines() if re.match(r"goroutine \d", l))
    check(f"top of crash.txt: {count} goroutines, main.leakedReceiver 15, main.leakedSelector 10",
          count > 0 and total_of(r) == count and rows.get("main.leakedReceiver") == (15, 15)
          and rows.get("main.leakedSelector") == (10, 10), (r.stderr, r.stdout[:600]))
    r = run(["info", crash])
    check("info crash.txt: the panic is a comment",
          r.returncode == 0 and re.search(r"^Comments:\n\s+panic: leak workload: crash on purpose$", r.stdout.decode(), re.M),
          (r.stderr, r.stdout))

    # 9. Errors.
    r = run(["trend", f("goroutine.1.pb.gz"), f("goroutine.2.pb.gz")])
    check("trend of two files: a usage error (exit 2) in one line", one_error_line(r, 2, "three or more"), r.stderr)
    r = run(["trend", f("heap.1.pb.gz"), f("goroutine.2.pb.gz"), f("goroutine.3.pb.gz")])
    check("trend mixing heap and goroutine profiles: exit 1, one line naming a file",
          one_error_line(r, 1) and re.search(r"(heap|goroutine)\.\d\.pb\.gz", r.stderr.decode()), r.stderr)
    lines = open(f("goroutine.1.debug2.txt")).read().split("\n")
    cut = next(i for i in range(1, len(lines)) if lines[i].startswith("\t") and lines[i - 1] and lines[i - 1][0] != "\t")
    damaged = os.path.join(tmp, "damaged.txt")
    open(damaged, "w").write("\n".join(lines[:cut] + lines[cut + 1:]))
    r = run(["top", damaged])
    check("a dump missing a file line: exit 1, one line with its line number",
          one_error_line(r, 1, "damaged.txt") and re.search(r"line \d+", r.stderr.decode()), r.stderr)

    # 10. Flame graph of a debug=2 dump.
    svg = os.path.join(tmp, "g.svg")
    r = run(["flame", f("goroutine.5.debug2.txt"), "-o", svg])
    body = open(svg).read() if os.path.exists(svg) else ""
    check("flame of goroutine.5.debug2.txt: an SVG with 'created by main.startReceivers'", r.returncode == 0
          and body.startswith("<?xml") and "<svg" in body and "created by main.startReceivers" in body, r.stderr)

print(f"{sum(results)}/{len(results)} passed")
sys.exit(0 if all(results) else 1)
