#!/usr/bin/env python3
"""pprofx cross on the four profiles of one live Go service (tests/fetch/
server.go: CPU, allocations, a contended lock, a channel): each axis told
from the profile itself, every value equal to the same sum made here from
pprofx fold's stacks (fold is checked against pprof's own package), the
function that allocates while holding the contended lock ranked as hot on
several axes, and the three output formats.

Usage: cross_test.py PPROFX
"""
import json, os, re, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from go_server import GoServer, go_binary

PPROFX = os.path.abspath(sys.argv[1])
WAITS = r"^(sync|sync/atomic|internal/sync|internal/poll|runtime)\."
results = []


def run(args):
    return subprocess.run([PPROFX] + args, capture_output=True, env=dict(os.environ, TZ="UTC"))


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail!r}"[:1500]))


def expected(path, sample_index, cum, skip_waits):
    """Per function: flat (leaf, past wait primitives if asked) or cum, from pprofx fold."""
    out = run(["fold", path, f"--sample-index={sample_index}"]).stdout.decode()
    sums = {}
    for line in out.splitlines():
        stack, n = line.rsplit(" ", 1)
        frames, n = stack.split(";"), int(n)
        if cum:
            for f in set(frames):
                sums[f] = sums.get(f, 0) + n
            continue
        charged = frames[-1]
        if skip_waits:
            for f in reversed(frames):
                if not re.search(WAITS, f):
                    charged = f
                    break
        sums[charged] = sums.get(charged, 0) + n
    return {k: v for k, v in sums.items() if v != 0}


if go_binary() is None:
    print("SKIP: go not found (scripts/install-deps.sh --tests installs golang-go)")
    sys.exit(77)

with tempfile.TemporaryDirectory() as tmp, GoServer(tmp) as srv:
    files = {}
    # Neutral names: the axis must come from the profiles themselves.
    for key, path in [("a", "/debug/pprof/profile?seconds=2"), ("b", "/debug/pprof/allocs"),
                      ("c", "/debug/pprof/mutex"), ("d", "/debug/pprof/block")]:
        files[key] = os.path.join(tmp, key + ".pb.gz")
        r = run(["convert", srv.url(path), "-o", files[key]])
        assert r.returncode == 0, r.stderr
    ordered = [files[k] for k in "dcba"]

    for cum in (False, True):
        mode = "cum" if cum else "flat"
        r = run(["cross"] + ordered + ["--format", "json", "-n", "0"] + (["--cum"] if cum else []))
        doc = json.loads(r.stdout) if r.returncode == 0 else {"axes": [], "rows": []}
        axes = {a["axis"]: (os.path.basename(a["profile"]), a["sample_type"]) for a in doc["axes"]}
        if not cum:
            check("each profile's axis is told from its contents (d=block, c=mutex, b=heap, a=cpu)",
                  axes == {"block_delay": ("d.pb.gz", "delay"), "lock_delay": ("c.pb.gz", "delay"),
                           "alloc_space": ("b.pb.gz", "alloc_space"), "alloc_objects": ("b.pb.gz", "alloc_objects"),
                           "cpu": ("a.pb.gz", "cpu")}, (axes, r.stderr))
        for axis, (f, st) in axes.items():
            want = expected(os.path.join(tmp, f), st, cum, axis.endswith("_delay"))
            got = {row["function"]: row["values"][axis]["value"] for row in doc["rows"]
                   if row["values"][axis]["value"] != 0}
            total = [a["total"] for a in doc["axes"] if a["axis"] == axis][0]
            check(f"{mode} {axis}: every function's value equals the sum from the folded stacks "
                  f"({len(want)} functions)", got == want and total == sum(expected(os.path.join(tmp, f), st, False,
                                                                                    False).values()),
                  sorted(set(got.items()) ^ set(want.items()))[:6])
        if not cum:
            rows = doc["rows"]
            holder = [row for row in rows if row["function"] == "main.lockHolder"]
            check("main.lockHolder (allocates while holding the contended lock) is hot on several axes, "
                  "among the first rows", holder and {"alloc_space", "lock_delay"} <= set(holder[0]["hot"]) and
                  rows.index(holder[0]) < 3, [(row["function"], row["hot"]) for row in rows[:5]])
            waiter = [row for row in rows if row["function"] == "main.chanWaiter"]
            check("main.chanWaiter's channel wait is block delay", waiter and "block_delay" in waiter[0]["hot"],
                  waiter)
            # Shares from the exact values (the JSON rounds each share to 6 places, and
            # five rounded shares can reorder two rows whose sums differ by < 3e-6).
            totals = {a["axis"]: a["total"] for a in doc["axes"]}
            ranks = [(len(set(a.replace("alloc_objects", "alloc_space") for a in row["hot"])),
                      sum(v["value"] / totals[axis] if totals[axis] > 0 else 0.0
                          for axis, v in row["values"].items())) for row in rows]
            check("rows ranked by resources hot on, then by summed share",
                  all(ranks[i][0] > ranks[i + 1][0] or (ranks[i][0] == ranks[i + 1][0] and
                                                        ranks[i][1] >= ranks[i + 1][1])
                      for i in range(len(ranks) - 1)),
                  [(rows[i]["function"], ranks[i], rows[i + 1]["function"], ranks[i + 1])
                   for i in range(len(ranks) - 1) if ranks[i] < ranks[i + 1]][:3])

    text = run(["cross"] + ordered + ["-n", "5"])
    md = run(["cross"] + ordered + ["-n", "5", "--format", "markdown"])
    js = json.loads(run(["cross"] + ordered + ["-n", "5", "--format", "json"]).stdout)
    names = [row["function"] for row in js["rows"]]
    text_rows = [l.split()[-1] for l in text.stdout.decode().splitlines() if re.match(r"^\s+\d+\s", l)]
    md_rows = [l.rsplit("|", 2)[1].strip().replace("\\", "") for l in md.stdout.decode().splitlines()
               if re.match(r"^\| \d+ \|", l)]
    check("text, markdown and JSON list the same 5 functions in the same order",
          len(names) == 5 and text_rows == names and md_rows == names, (names, text_rows, md_rows))
    check("text marks hot cells with * when not coloured", b"*" in text.stdout and b"\x1b[" not in text.stdout)
    r = run(["cross"] + ordered + ["-n", "5", "--color=always"])
    check("--color=always colours the hot cells", b"\x1b[1;31m" in r.stdout, r.stdout[:200])

    r = run(["cross", "--mutex", files["d"], files["a"]])
    check("--mutex names the axis (a block profile taken as lock delay)",
          r.returncode == 0 and re.search(rb"lock_delay .*d\.pb\.gz", r.stdout), r.stdout[:400] + r.stderr)
    r = run(["cross", files["a"], files["a"]])
    check("two CPU profiles: one error line", r.returncode == 1 and r.stderr.count(b"\n") == 1 and
          b"both give cpu" in r.stderr, r.stderr)
    folded = os.path.join(tmp, "x.pb.gz")
    subprocess.run([PPROFX, "convert", files["a"], "-o", os.path.join(tmp, "x.folded")], check=True)
    subprocess.run([PPROFX, "convert", os.path.join(tmp, "x.folded"), "-o", folded], check=True)
    r = run(["cross", folded])
    check("a profile of unknown kind: the error says how to name it",
          r.returncode == 1 and b"--cpu, --heap" in r.stderr and r.stderr.count(b"\n") == 1, r.stderr)

print(f"{sum(results)}/{len(results)} passed")
sys.exit(0 if all(results) else 1)
