#!/usr/bin/env python3
"""End-to-end checks of the pprofx binary: exit codes, error lines, stdin,
pprof flag aliases. Uses only the repo's own testdata.

Usage: cli_test.py PPROFX REPO
"""
import gzip, os, re, subprocess, sys, tempfile

PPROFX, REPO = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CPU = os.path.join(REPO, "testdata", "workload.cpu.pb.gz")
HEAP = os.path.join(REPO, "testdata", "workload.heap.pb.gz")
results = []


def run(args, stdin=None):
    return subprocess.run([PPROFX] + args, input=stdin, capture_output=True, env=dict(os.environ, TZ="UTC"))


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail}"))


r = run(["top", CPU])
check("top exits 0 and prints the table", r.returncode == 0 and b"      flat  flat%   sum%        cum   cum%" in r.stdout,
      r.stderr)

r2 = run(["top", "-"], stdin=open(CPU, "rb").read())
check("'-' reads the profile from stdin", r2.returncode == 0 and r2.stdout == r.stdout, r2.stderr)

a = run(["top", "-sample_index=1", "-nodecount", "5", "-focus=main", CPU])
b = run(["top", "--sample-index=1", "-n", "5", "--focus", "main", CPU])
check("pprof's single-dash spellings are aliases", a.returncode == 0 and a.stdout == b.stdout, a.stderr + b.stderr)

a = run(["top", "-inuse_objects", HEAP])
b = run(["top", "--sample-index=inuse_objects", HEAP])
check("legacy value flags (-inuse_objects)", a.returncode == 0 and a.stdout == b.stdout and b"Type: inuse_objects" in a.stdout,
      a.stderr)

r = run(["top", "--lines", "-n", "3", CPU])
check("--lines granularity names file:line",
      r.returncode == 0 and len(re.findall(rb"  \S+ /\S+\.(?:go|s):\d+\n", r.stdout)) == 3, r.stdout)

r = run(["top", "does-not-exist.pb.gz"])
check("missing file: exit 1, one error line, nothing on stdout",
      r.returncode == 1 and r.stdout == b"" and
      r.stderr == b"pprofx: error: does-not-exist.pb.gz: cannot open: No such file or directory\n", r.stderr)

with tempfile.NamedTemporaryFile(suffix=".pb.gz") as f:
    f.write(open(CPU, "rb").read()[:2000])
    f.flush()
    r = run(["top", f.name])
    check("truncated gzip: exit 1, one error line", r.returncode == 1 and r.stdout == b"" and
          r.stderr.count(b"\n") == 1 and r.stderr.startswith(b"pprofx: error: " + f.name.encode()), r.stderr)

r = run(["top", "--focus=(", CPU])
check("bad regex: exit 1 with pprof's wording", r.returncode == 1 and b"parsing focus regexp:" in r.stderr, r.stderr)

r = run(["top", "--sample-index=bogus", CPU])
check("unknown sample type lists the choices", r.returncode == 1 and b"must be one of: [samples cpu]" in r.stderr,
      r.stderr)

r = run(["top", "--no-such-flag", CPU])
check("unknown flag: usage error, exit 2", r.returncode == 2 and b"pprofx: error:" in r.stderr, r.stderr)

r = run([])
check("no command: exit 2", r.returncode == 2, r.stderr)

# pprof's spellings get an answer (#16 point 6): a usage error naming what to run.
for flag, instead in (("-http=:8080", b"pprofx flame"), ("-tags", b"pprofx tags"),
                      ("-traces", b"pprofx traces"), ("-list=main", b"pprofx list REGEX FILE"), ("-dot", b"pprofx dot FILE"), ("-svg", b"pprofx dot FILE -o graph.svg"),
                      ("-disasm", b"--addresses"),
                      ("-raw", b"pprofx raw")):
    r = run(["top", flag, CPU])
    check(f"top {flag}: usage error naming the pprofx equivalent", r.returncode == 2 and instead in r.stderr
          and r.stderr.startswith(b"pprofx: error: pprof's -") and r.stdout == b"", r.stderr)
r = run(["top", "-hello", CPU])
check("top -hello: an unknown option, never the help with exit 0", r.returncode == 2 and b"unknown option -hello"
      in r.stderr and r.stdout == b"", r.stderr + r.stdout[:200])
r = run(["top", "-hide=runtime", CPU])
check("top -hide=RE is still pprof's -hide", r.returncode == 0 and r.stdout == run(["top", "--hide", "runtime", CPU]).stdout,
      r.stderr)
r = run(["tree", "-peek=main", CPU])
check("tree -peek=RE is pprof's -peek", r.returncode == 0 and r.stdout == run(["tree", "--peek", "main", CPU]).stdout
      and b"main" in r.stdout, r.stderr)
r = run([CPU])
check("a profile without a command suggests top and flame", r.returncode == 2
      and f"try pprofx top {CPU}".encode() in r.stderr and b"pprofx flame" in r.stderr, r.stderr)
r = run(["tpo", CPU])
check("a misspelt command suggests the closest", r.returncode == 2 and b"did you mean pprofx top?" in r.stderr, r.stderr)
r = run(["frobnicate", CPU])
check("an unknown command with nothing close", r.returncode == 2 and b"unknown command frobnicate" in r.stderr, r.stderr)
r = run(["fold", "--", "-http"])
check("after --, -http is a file name", r.returncode == 1 and b"-http" in r.stderr, r.stderr)

r = run(["--help"])
check("--help exits 0 and documents exit codes", r.returncode == 0 and b"Exit codes" in r.stdout, r.stdout)

r = run(["--version"])
check("--version", r.returncode == 0 and r.stdout.startswith(b"pprofx "), r.stdout)

r = run(["info", HEAP])
check("info marks the default sample type", r.returncode == 0 and b"inuse_space/bytes [default]" in r.stdout, r.stderr)

r = run(["top", "--focus=nomatch", CPU])
check("unmatched focus warns on stderr, still exits 0",
      r.returncode == 0 and b"pprofx: warning: Focus expression matched no samples" in r.stderr, r.stderr)

a, b = run(["top", "--nodefraction=0", CPU]), run(["top", "--nodefraction=0", CPU])
check("output is deterministic", a.stdout == b.stdout and len(a.stdout) > 1000)

# flame / fold
with tempfile.TemporaryDirectory() as d:
    r = subprocess.run([PPROFX, "flame", CPU], cwd=d, capture_output=True)
    check("flame writes PROFILE-stem.svg in the current directory and prints its path",
          r.returncode == 0 and r.stdout == b"workload.cpu.svg\n" and
          open(os.path.join(d, "workload.cpu.svg"), "rb").read().startswith(b"<?xml"), r.stderr)
    r = run(["flame", CPU, "-o", os.path.join(d, "x.png")])
    check("-o x.png writes a PNG", r.returncode == 0 and open(os.path.join(d, "x.png"), "rb").read(8) ==
          b"\x89PNG\r\n\x1a\n", r.stderr)
    r = run(["flame", CPU, "-o", os.path.join(d, "x.folded")])
    f = run(["fold", CPU])
    check("-o x.folded writes what pprofx fold prints", r.returncode == 0 and
          open(os.path.join(d, "x.folded"), "rb").read() == f.stdout and f.stdout.count(b"\n") > 100, r.stderr)
    r = run(["flame", CPU, "--format", "folded", "-o", "-"])
    check("--format overrides, -o - writes to stdout", r.returncode == 0 and r.stdout == f.stdout, r.stderr)
    folded = os.path.join(d, "in.folded")
    open(folded, "w").write("# perf\nmain;a 3\nmain;b 1\n")
    r = run(["flame", folded, "-o", "-"])
    check("flame reads folded stacks", r.returncode == 0 and b"main;a" not in r.stdout and b"<title>a\n3 samples (75.00%)" in r.stdout,
          r.stderr)
    open(folded, "w").write("main;a 3 4\n")
    r = run(["flame", folded, "-o", os.path.join(d, "bad.svg")])
    check("a differential folded file is refused with its line number",
          r.returncode == 1 and b"line 1: two counts" in r.stderr and not os.path.exists(os.path.join(d, "bad.svg")),
          r.stderr)
    r = run(["flame", CPU, "--colors", "rainbow", "-o", os.path.join(d, "c.svg")])
    check("unknown palette: exit 1, nothing written", r.returncode == 1 and b"unknown palette" in r.stderr and
          not os.path.exists(os.path.join(d, "c.svg")), r.stderr)
    old = os.path.join(d, "keep.svg")
    open(old, "w").write("old")
    r = run(["flame", "does-not-exist.pb.gz", "-o", old])
    check("a failed run leaves an existing output file alone", r.returncode == 1 and open(old).read() == "old" and
          not [n for n in os.listdir(d) if ".tmp-" in n], os.listdir(d))
    a, b = run(["flame", CPU, "-o", "-"]), run(["flame", CPU, "-o", "-"])
    check("flame output is deterministic", a.stdout == b.stdout and len(a.stdout) > 10000)

# diff, on real pairs from the Go workload (testdata/diff)
import json
D = os.path.join(REPO, "testdata", "diff")


def diff_json(base, new, *extra):
    r = run(["diff", os.path.join(D, base), os.path.join(D, new), "--format", "json"] + list(extra))
    return json.loads(r.stdout) if r.returncode == 0 else {"error": r.stderr.decode()}


j = diff_json("base.cpu.pb.gz", "aa.cpu.pb.gz")
outside = [f["name"] for f in j.get("functions", []) if not f["within_noise"]]
check("A/A CPU runs: every change is within sampling noise", j.get("normalize") == "share" and not outside, outside)
j = diff_json("base.cpu.pb.gz", "slow.cpu.pb.gz")
f0 = j["functions"][0] if j.get("functions") else {}
check("the function made 3x slower comes first, outside noise",
      f0.get("name") == "crypto/sha256.block" and not f0.get("within_noise") and f0["flat"]["delta_share_points"] > 3, f0)
j = diff_json("base.heap.pb.gz", "slow.heap.pb.gz", "--sample-index=alloc_space", "--normalize", "share")
f0 = j["functions"][0] if j.get("functions") else {}
check("the doubled allocation comes first by share of allocated bytes, outside noise",
      f0.get("name") == "main.scratchBuffer" and not f0.get("within_noise"), f0)
j = diff_json("base.heap.pb.gz", "leak.heap.pb.gz")
f0 = j["functions"][0] if j.get("functions") else {}
check("a leak: its allocation site has the largest inuse_space growth",
      j.get("normalize") == "absolute" and f0.get("name") == "bytes.growSlice" and f0["flat"]["delta"] > 5_000_000, f0)
j = diff_json("base.goroutine.pb.gz", "leak.goroutine.pb.gz", "--cum")
names = [f["name"] for f in j.get("functions", []) if f["cum"]["delta"] >= 300 and not f["within_noise"]]
check("leaked goroutines show their creation stack (main.parkForever), outside noise", "main.parkForever" in names,
      names)
# Goroutine profiles by groups of stacks: the leak first, named by its own code, not by runtime.gopark.
j = diff_json("base.goroutine.pb.gz", "leak.goroutine.pb.gz")
rows = [(f["name"], f["flat"]["delta"]) for f in j.get("functions", [])]
check("diff of goroutine profiles: rows are groups of stacks, the leak first by its own frame",
      rows[:1] == [("main.parkForever", 375)] and not any(n.startswith("runtime.gopark") for n, _ in rows), rows[:4])
j = diff_json("base.goroutine.pb.gz", "leak.goroutine.pb.gz", "--by", "function")
check("diff --by function: pprof's rows, the shared leaf first",
      j.get("functions", [{}])[0].get("name") == "runtime.gopark", j.get("functions", [])[:2])
with tempfile.TemporaryDirectory() as d:
    r = run(["diff", os.path.join(D, "base.goroutine.pb.gz"), os.path.join(D, "leak.goroutine.pb.gz"), "-o",
             os.path.join(d, "g.svg")])
    svg = open(os.path.join(d, "g.svg"), "rb").read() if r.returncode == 0 else b""
    check("the goroutine diff graph colours by the change of total (cum)", b"colour: change of total value" in svg,
          r.stderr)
with tempfile.TemporaryDirectory() as d:
    svg = os.path.join(d, "d.svg")
    r = run(["diff", os.path.join(D, "base.cpu.pb.gz"), os.path.join(D, "slow.cpu.pb.gz"), "-o", svg])
    text = open(svg).read() if os.path.exists(svg) else ""
    # The widest crypto/sha256.block frame (its main call path) must be strongly red.
    frames = re.findall(r"<title>crypto/sha256\.block\n[^<]*</title><rect [^>]*width=\"([\d.]+)\"[^>]*"
                        r"fill=\"rgb\((\d+),(\d+),(\d+)\)", text)
    widest = max(frames, key=lambda f: float(f[0])) if frames else None
    check("the differential graph colours the regression red and explains the colours",
          r.returncode == 0 and widest and widest[1] == "255" and int(widest[2]) < 120 and
          "red grew, blue shrank" in text, widest)
    r = run(["diff", os.path.join(D, "base.cpu.pb.gz"), os.path.join(D, "slow.cpu.pb.gz"), "--format", "markdown"])
    check("markdown table for a PR comment", r.returncode == 0 and r.stdout.startswith(b"**cpu**") and
          b"| `crypto/sha256.block` |" in r.stdout, r.stderr)
    r = run(["diff", CPU, HEAP])
    check("profiles without a common sample type are refused clearly", r.returncode == 1 and b"BASE and NEW are different kinds of profile" in r.stderr,
          r.stderr)

# check: the CI gate, on the same pairs
def check_run(*args):
    return run(["check"] + list(args))


r = check_run(os.path.join(D, "aa.cpu.pb.gz"), "--baseline", os.path.join(D, "base.cpu.pb.gz"))
check("check: an A/A CPU pair passes (exit 0)", r.returncode == 0 and r.stdout.startswith(b"PASS"), r.stdout[:300])
r = check_run(os.path.join(D, "aa.heap.pb.gz"), "--baseline", os.path.join(D, "base.heap.pb.gz"), "--sample-index", "alloc_space")
check("check: an A/A heap pair passes", r.returncode == 0, r.stdout[:300])
r = check_run(os.path.join(D, "slow.cpu.pb.gz"), "--baseline", os.path.join(D, "base.cpu.pb.gz"))
first = re.search(rb"REGRESSION (\S+):", r.stdout)
check("check: the 3x slower function fails the gate (exit 3) and is named first",
      r.returncode == 3 and first and first.group(1) == b"main.hashAll", r.stdout[:400])
check("check: its five regressions are one finding, with the path down to the standard library's leaf",
      r.stdout.startswith(b"FAIL: 1 regression in cpu") and r.stdout.count(b"  REGRESSION ") == 1 and
      b"path: main.hashAll -> crypto/sha256.Sum256 -> crypto/sha256.(*digest).checkSum -> "
      b"crypto/sha256.(*digest).Write -> crypto/sha256.block (" in r.stdout and
      b"same cause: crypto/sha256.Sum256 (cum" in r.stdout, r.stdout[:800])
# Per operation: a fixed-time benchmark that got uniformly 20% slower did 20% fewer operations;
# its shares and CPU per second did not move, so only --normalize per-op can see it.
with tempfile.TemporaryDirectory() as d:
    aa, base_cpu = os.path.join(D, "aa.cpu.pb.gz"), os.path.join(D, "base.cpu.pb.gz")
    r = check_run(aa, "--baseline", base_cpu)
    check("per op: by share, the A/A pair passes", r.returncode == 0, r.stdout[:300])
    bench = {}
    for side, n in (("base", 12000), ("new", 10000)):
        bench[side] = os.path.join(d, side + ".txt")
        open(bench[side], "w").write(f"goos: linux\nBenchmarkServer-2   \t{n:8d}\t    98765 ns/op\nPASS\n")
    r = check_run(aa, "--baseline", base_cpu, "--normalize", "per-op", "--bench-output", bench["base"] + "," + bench["new"])
    check("per op: 12000 -> 10000 operations fails on the total per operation (+20%)",
          r.returncode == 3 and b"Total per operation +20.0% (threshold +15%)  REGRESSION" in r.stdout and
          b"(2026-11-23 10:19 UTC, 12000 ops)" in r.stdout, r.stdout[:400])
    store = os.path.join(d, "store")
    r = run(["baseline", "save", "--store", store, "--name", "srv", base_cpu, "--bench-output", bench["base"]])
    check("baseline save --bench-output stores the run's count beside it",
          r.returncode == 0 and open(os.path.join(store, "srv", "000001.ops")).read() == "12000\n", r.stderr)
    r = check_run(aa, "--store", store, "--name", "srv", "--normalize", "per-op", "--ops", "10000")
    check("check --store --normalize per-op --ops NEW: the stored count is the baseline's",
          r.returncode == 3 and b"Total per operation +20.0%" in r.stdout, r.stdout[:300])
    r = check_run(aa, "--baseline", base_cpu, "--normalize", "per-op")
    check("per op without counts: a usage error", r.returncode == 2 and b"needs the operation counts" in r.stderr, r.stderr)
    r = check_run(aa, "--baseline", base_cpu, "--ops", "1,2")
    check("--ops without --normalize per-op: a usage error", r.returncode == 2, r.stderr)
    r = run(["diff", base_cpu, aa, "--ops", "12000,10000", "-n", "3"])
    check("diff --ops compares per operation", r.returncode == 0 and b"compared by per-op" in r.stdout and
          b"(768 samples, 12000 ops)" in r.stdout and b"/op" in r.stdout, r.stdout[:400])
    r = run(["diff", base_cpu, aa, "--ops", "12000,x"])
    check("diff --ops with a bad count: a usage error", r.returncode == 2 and
          b"is not an operation count" in r.stderr, r.stderr)

# Two independent regressions (bench/check_workload: main.share5 3x, main.share20 2x): two findings.
r = check_run(os.path.join(D, "two.slow.cpu.pb.gz"), "--baseline", os.path.join(D, "two.base.cpu.pb.gz"), "--report", "-",
              "--format", "json")
j = json.loads(r.stdout[r.stdout.index(b"\n{") + 1:]) if b"\n{" in r.stdout else {}
check("check: two functions that regressed independently are two findings, each led by itself",
      r.returncode == 3 and sorted(f["lead"] for f in j.get("findings", [])) == ["main.share20", "main.share5"] and
      r.stdout.startswith(b"FAIL: 2 regressions in cpu"), r.stdout[:600])

# The PR comment as GitHub renders it: cmark-gfm is GitHub's own Markdown renderer.
with tempfile.TemporaryDirectory() as d:
    md = os.path.join(d, "r.md")
    r = check_run(os.path.join(D, "slow.cpu.pb.gz"), "--baseline", os.path.join(D, "base.cpu.pb.gz"),
                  "--baseline", os.path.join(D, "aa.cpu.pb.gz"), "--report", md)
    html = subprocess.run(["cmark-gfm", "--extension", "table", "--extension", "autolink", md],
                          capture_output=True, text=True)
    import html.parser as html_parser

    class Cells(html_parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.rows, self.cell, self.tags = 0, [], None, []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            if tag == "table":
                self.tables += 1
            elif tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self.rows[-1].append(self.cell.strip())
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    p = Cells()
    p.feed(html.stdout)
    rows = p.rows
    check("check --report x.md renders on GitHub (cmark-gfm) as one table, one header row, the finding first",
          r.returncode == 3 and html.returncode == 0 and p.tables == 1 and p.tags.count("h3") == 1 and
          rows and rows[0] == ["function", "verdict", "measure", "before", "after", "Δ", "threshold", "noise"] and
          all(len(row) == 8 for row in rows) and rows[1][:3] == ["main.hashAll", "❌ regression", "cum"] and
          sum(row[1].endswith("regression") for row in rows) == 1 and "a" not in p.tags and "img" not in p.tags,
          (html.stderr, rows[:3], p.tags[:20]))
    text = open(md).read()
    check("the PR comment names the baselines with their dates and shows the finding's path",
          "`base.cpu.pb.gz` (2026-11-23 10:19 UTC), `aa.cpu.pb.gz` (2026-11-23 10:19 UTC)" in text and
          "`main.hashAll` → `crypto/sha256.Sum256` → `crypto/sha256.(*digest).checkSum` → "
          "`crypto/sha256.(*digest).Write` → `crypto/sha256.block`" in text, text[:600])
r = check_run(os.path.join(D, "slow.heap.pb.gz"), "--baseline", os.path.join(D, "base.heap.pb.gz"), "--sample-index", "alloc_space")
first = re.search(rb"REGRESSION (\S+):", r.stdout)
check("check: the doubled allocation fails the gate and is named first",
      r.returncode == 3 and first and first.group(1) == b"main.scratchBuffer", r.stdout[:400])
with tempfile.TemporaryDirectory() as d:
    store = os.path.join(d, "store")
    for f in ["base.cpu.pb.gz", "aa.cpu.pb.gz", "base.cpu.pb.gz"]:
        r = run(["baseline", "save", "--store", store, "--name", "bench", os.path.join(D, f), "--keep", "2"])
    listed = run(["baseline", "list", "--store", store]).stdout.decode().splitlines()
    check("baseline save keeps the newest --keep, numbered in order",
          r.returncode == 0 and [os.path.basename(l.split("\t")[1]) for l in listed] == ["000002.pprof", "000003.pprof"],
          listed)
    r = check_run(os.path.join(D, "slow.cpu.pb.gz"), "--store", store, "--name", "bench", "--report", os.path.join(d, "r.xml"),
                  "--flame", os.path.join(d, "r.svg"))
    import xml.etree.ElementTree as ET
    try:
        suite = ET.parse(os.path.join(d, "r.xml")).getroot().find("testsuite")
        failures = int(suite.get("failures"))
    except Exception as e:  # noqa: BLE001
        suite, failures = None, repr(e)
    check("check --store against 2 baselines: exit 3, a valid JUnit report with the failures, a diff graph",
          r.returncode == 3 and b"against 2 baselines" in r.stdout and isinstance(failures, int) and failures >= 1 and
          os.path.getsize(os.path.join(d, "r.svg")) > 10000, (r.stdout[:200], failures))
    check("check --flame draws NEW against the median of the baselines",
          b"median of 2 baselines -&gt; slow.cpu.pb.gz" in open(os.path.join(d, "r.svg"), "rb").read())
    r = check_run(os.path.join(D, "aa.cpu.pb.gz"), "--store", store, "--name", "bench", "--report", os.path.join(d, "r.json"))
    j = json.loads(open(os.path.join(d, "r.json")).read())
    check("check --store: an A/A run passes; the JSON report says so", r.returncode == 0 and j["verdict"] == "pass" and
          [os.path.basename(b["name"]) for b in j["baselines"]] == ["000002.pprof", "000003.pprof"], r.stdout[:200])
    cfg = os.path.join(d, "pprofx.toml")
    open(cfg, "w").write("[check]\nmax-flat-increase = 50\nmax-cum-increase = 50\nmax-relative-increase = 1000\n")
    r = run(["--config", cfg, "check", os.path.join(D, "slow.cpu.pb.gz"), "--baseline", os.path.join(D, "base.cpu.pb.gz")])
    check("thresholds from a config file ([check] section)", r.returncode == 0 and r.stdout.startswith(b"PASS"), r.stdout[:300])
    # TOML strings as TOML reads them: "sha256\\." is the regex sha256\. (CLI11 alone kept both backslashes).
    for line in ['ignore-function = ["sha256\\\\.", "main\\\\.hashAll"]  # basic strings, escaped',
                 "ignore-function = ['sha256\\.', \"main\\u002EhashAll\"]"]:
        open(cfg, "w").write("[check]\n" + line + "\n")
        r = run(["--config", cfg, "check", os.path.join(D, "slow.cpu.pb.gz"), "--baseline", os.path.join(D, "base.cpu.pb.gz")])
        check(f"a config file's regexes with TOML escapes ({line})", r.returncode == 0 and r.stdout.startswith(b"PASS"),
              r.stdout[:300])
    # Tiers from the config file: a general warn tier, a fail tier for one sample type, one for a function.
    open(cfg, "w").write('[check]\nwarn-threshold = ["flat=1,cum=3"]\n'
                         'fail-threshold = ["type=cpu,flat=20,cum=20,relative=off", "cum=6,function=^main\\\\.hash"]\n')
    md = os.path.join(d, "tiers.md")
    r = run(["--config", cfg, "check", os.path.join(D, "slow.cpu.pb.gz"), "--baseline", os.path.join(D, "base.cpu.pb.gz"),
             "--report", "github", "--report", md])
    cmds = [l for l in r.stdout.split(b"\n") if l.startswith(b"::")]
    check("--report twice: the annotations on stdout and the comment in its file",
          open(md).read().startswith("### ❌ pprofx check: 1 regression in `cpu`"), open(md).read()[:200])
    check("tiers from a config file: main.hashAll fails by its own rule, the standard library's frames only warn",
          r.returncode == 3 and cmds and cmds[0].startswith(b"::error title=pprofx check%3A main.hashAll regressed (cpu)::")
          and all(c.startswith(b"::warning ") for c in cmds[1:]), r.stdout[-600:])
    r = run(["--config", cfg, "check", os.path.join(D, "slow.cpu.pb.gz"), "--baseline", os.path.join(D, "base.cpu.pb.gz"),
             "--fail-threshold", "type=cpu,flat=20,cum=20,relative=off"])
    check("--fail-threshold on the command line replaces the file's list: main.hashAll only warns, exit 0",
          r.returncode == 0 and r.stdout.startswith(b"PASS with warnings") and b"WARNING main.hashAll" in r.stdout,
          r.stdout[:400])
    r = check_run(os.path.join(D, "slow.cpu.pb.gz"), "--baseline", os.path.join(D, "base.cpu.pb.gz"),
                  "--allow", "sha256\\.block=10", "--max-cum-increase", "50", "--max-relative-increase", "1000")
    check("--allow REGEX=POINTS: a per-function flat threshold", r.returncode == 0, r.stdout[:300])
    r = check_run(os.path.join(D, "slow.cpu.pb.gz"), "--baseline", os.path.join(D, "base.cpu.pb.gz"),
                  "--allow", "sha256\\.block=3")
    check("--allow with a threshold the change exceeds still fails", r.returncode == 3, r.stdout[:300])
    r = check_run(os.path.join(D, "slow.cpu.pb.gz"), "--baseline", os.path.join(D, "base.cpu.pb.gz"),
                  "--ignore-function", "sha256|hashAll")
    check("--ignore-function takes functions out of the judgement", r.returncode == 0, r.stdout[:300])
    open(os.path.join(store, "bench", "backup.pprof"), "w").write("not ours")
    r = run(["baseline", "save", "--store", store, "--name", "bench", os.path.join(D, "aa.cpu.pb.gz")])
    check("the store ignores files it did not write", r.returncode == 0 and r.stdout.endswith(b"000004.pprof\n"), r.stderr)
    r = check_run(os.path.join(D, "slow.cpu.pb.gz"))
    check("check without a baseline: exit 1, clear message", r.returncode == 1 and b"no baseline" in r.stderr, r.stderr)

# A project's first run (issue 18, point 4): an empty or missing store passes, and says so.
import json as json_module
with tempfile.TemporaryDirectory() as d:
    empty = os.path.join(d, "store")
    os.mkdir(empty)
    for store in (empty, os.path.join(d, "not-yet")):
        outs = {ext: os.path.join(d, "r." + ext) for ext in ("md", "json", "xml", "txt")}
        runs = [run(["check", CPU, "--store", store, "--name", "svc", "--report", out]) for out in outs.values()]
        r = runs[0]
        doc = json_module.loads(open(outs["json"]).read()) if os.path.exists(outs["json"]) else {}
        check(f"check, first run ({'empty' if store == empty else 'missing'} store): exit 0, one notice, reports saying so",
              all(x.returncode == 0 for x in runs) and r.stderr.count(b"\n") == 1 and
              b"no baseline stored under \"svc\" yet: passing without a comparison" in r.stderr and
              b"PASS: no baseline" in r.stdout and doc.get("verdict") == "no-baseline" and
              "no baseline yet" in open(outs["md"]).read() and b"<skipped" in open(outs["xml"], "rb").read(),
              r.stdout + r.stderr)
    r = run(["check", CPU, "--store", empty, "--name", "svc", "--if-no-baseline", "fail"])
    check("check --if-no-baseline fail: an empty store is an error", r.returncode == 1 and
          b"no baselines stored under the name" in r.stderr, r.stderr)
    r = run(["check", os.path.join(REPO, "testdata", "diff", "leak.goroutine.pb.gz"), "--baseline",
             os.path.join(REPO, "testdata", "diff", "base.goroutine.pb.gz")])
    check("check of goroutine profiles: exact counts, no sampling noise (issue 18, point 5)", r.returncode == 3 and
          b"main.parkForever: cum share 83.33% -> 98.77% (+15.43 pt; threshold 5.00 pt, noise 0.00 pt)" in r.stdout,
          r.stdout[:500])
    r = run(["check", HEAP, "--baseline", CPU])
    check("check of a heap profile against a CPU baseline: different kinds, named", r.returncode == 1 and
          b"BASE and NEW are different kinds of profile: NEW's inuse_space" in r.stderr and
          b"(samples/count, cpu/nanoseconds)" in r.stderr and r.stderr.count(b"\n") == 1, r.stderr)

# A gzip bomb (3 GiB of zeros in 3 MB) is refused at its first bytes (zeros are field number 0,
# which pprofx refuses: decode::refuse_early); one whose start is a valid field (a string of
# 1.5 GiB) is refused at the size cap. Both quickly and with little memory.
with tempfile.TemporaryDirectory() as d:
    import gzip, time
    sanitized = os.environ.get("PPROFX_SANITIZED") == "1"  # ASan: shadow memory, slower code

    def bomb(name, head, gib):
        path = os.path.join(d, name)
        with gzip.open(path, "wb", compresslevel=1) as z:
            z.write(head)
            chunk = b"\0" * (64 << 20)
            for _ in range(int(gib * 16)):
                z.write(chunk)
        start = time.perf_counter()
        with open(os.path.join(d, "err"), "wb") as errf:
            proc = subprocess.Popen([PPROFX, "top", path], stdout=subprocess.DEVNULL, stderr=errf)
            _, status, usage = os.wait4(proc.pid, 0)  # peak RSS of this child alone
        elapsed = time.perf_counter() - start
        err = open(os.path.join(d, "err"), "rb").read()
        return os.waitstatus_to_exitcode(status), err, elapsed, usage.ru_maxrss / 1024

    code, err, elapsed, rss_mb = bomb("bomb.pb.gz", b"", 3)
    check(f"gzip bomb of zeros refused at its first bytes in {elapsed:.2f}s with {rss_mb:.0f} MB peak",
          code == 1 and err == b"pprofx: error: " + os.path.join(d, "bomb.pb.gz").encode() +
          b": not a valid pprof profile: malformed protobuf at byte 0: field number 0 (reserved; no encoder "
          b"writes it)\n" and elapsed < (30 if sanitized else 10) and rss_mb < (700 if sanitized else 300), err)
    length = 3 << 29  # a string_table entry of 1.5 GiB: a valid start, refused at the cap
    varint = bytearray()
    while length >= 0x80:
        varint.append(length & 0x7F | 0x80)
        length >>= 7
    varint.append(length)
    code, err, elapsed, rss_mb = bomb("string.pb.gz", b"\x32" + bytes(varint), 1.5)
    check(f"gzip bomb with a valid start refused at the cap in {elapsed:.2f}s with {rss_mb:.0f} MB peak",
          code == 1 and b"decompressed size exceeds the limit" in err and
          elapsed < (30 if sanitized else 10) and rss_mb < (700 if sanitized else 300), err)
    r = run(["top", "--max-size", "1000", CPU])
    check("--max-size lowers the cap", r.returncode == 1 and b"exceeds the limit of 1000 bytes" in r.stderr, r.stderr)

# Outputs that are not regular files are written in place, never replaced.
import stat
with tempfile.TemporaryDirectory() as d:
    fifo = os.path.join(d, "out.fifo")
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE)
    r = run(["fold", CPU, "-o", fifo])
    try:
        got = reader.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:  # pprofx never opened the FIFO: do not leave cat holding ctest's pipe
        reader.kill()
        got = reader.communicate()[0]
    check("-o FIFO: written in place, the FIFO stays a FIFO",
          r.returncode == 0 and got.count(b"\n") > 10 and stat.S_ISFIFO(os.stat(fifo).st_mode), r.stderr)
    target = os.path.join(d, "target.folded")
    open(target, "w").write("old\n")
    link = os.path.join(d, "link.folded")
    os.symlink(target, link)
    r = run(["fold", CPU, "-o", link])
    check("-o SYMLINK: the target is replaced, the link kept",
          r.returncode == 0 and os.path.islink(link) and open(target, "rb").read() == run(["fold", CPU]).stdout, r.stderr)
r = run(["fold", CPU, "-o", "/dev/null"])
check("-o /dev/null leaves /dev/null a character device", r.returncode == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode),
      r.stderr)

# Legacy formats and symbolization options (the corpus-wide checks are in conformance and symbolize).
with tempfile.TemporaryDirectory() as d:
    legacy = os.path.join(d, "goroutine.txt")
    open(legacy, "w").write("goroutine profile: total 3\n2 @ 0x401001 0x402001\n1 @ 0x401001\n")
    r = run(["top", legacy])
    check("a legacy Go count profile is read (3 goroutines)",
          r.returncode == 0 and b"Type: goroutine" in r.stdout and b"of 3 total" in r.stdout, r.stderr + r.stdout)
    check("...and its missing binary is one warning line",
          r.stderr.count(b"\n") == 1 and b"not symbolized: the main binary" in r.stderr, r.stderr)
    r = run(["top", "--symbolize=none", legacy])
    check("--symbolize=none: no symbolization, no warning", r.returncode == 0 and r.stderr == b"", r.stderr)
    r = run(["top", "--symbolize=bogus", CPU])
    check("--symbolize with an unknown mode: a usage error (exit 2) naming it", r.returncode == 2 and
          r.stderr.startswith(b'pprofx: error: --symbolize: unknown mode "bogus" (auto, none or force;'), r.stderr)
    sym = os.path.join(d, "sym.pb.gz")
    r = run(["symbolize", legacy, "-o", sym])
    check("pprofx symbolize writes a legacy profile as profile.proto",
          r.returncode == 0 and open(sym, "rb").read(2) == b"\x1f\x8b" and run(["top", "--symbolize=none", sym]).stdout ==
          run(["top", "--symbolize=none", legacy]).stdout, r.stderr)

# fold --focus-function [--callers]: the two halves of the sandwich view, against
# the same cut made here from the complete folded stacks (outermost match).
def cut(folded, regex, callers):
    out = {}
    for line in folded.splitlines():
        stack, n = line.rsplit(" ", 1)
        frames = stack.split(";")
        hits = [i for i, f in enumerate(frames) if re.search(regex, f)]
        if not hits:
            continue
        part = frames[:hits[0] + 1][::-1] if callers else frames[hits[0]:]
        key = ";".join(part)
        out[key] = out.get(key, 0) + int(n)
    return sorted(f"{k} {v}" for k, v in out.items())


full = run(["fold", CPU]).stdout.decode()
for rx in [r"^runtime\.mallocgc$", r"^main\.compress$", r"encoding/json\.\(\*decodeState\)\.value"]:
    for callers in (False, True):
        r = run(["fold", CPU, "--focus-function", rx] + (["--callers"] if callers else []))
        check(f"fold --focus-function {rx}{' --callers' if callers else ''}: the stacks cut at the outermost match",
              r.returncode == 0 and sorted(r.stdout.decode().splitlines()) == cut(full, rx, callers), r.stderr)
r = run(["fold", CPU, "--focus-function", r"^main\.compress$"])
check("callees of a non-recursive function = pprof's --show-from",
      r.stdout == run(["fold", CPU, "--show-from", r"^main\.compress$", "--focus", r"^main\.compress$"]).stdout)
r = run(["flame", CPU, "--focus-function", "^nothing$", "-o", "-"])
check("--focus-function matching nothing: one error line, no output",
      r.returncode == 1 and r.stdout == b"" and b"no stack has a frame matching" in r.stderr, r.stderr)
r = run(["flame", CPU, "--focus-function", "(", "-o", "-"])
check("--focus-function with a bad regex", r.returncode == 1 and b"--focus-function: parsing regexp" in r.stderr,
      r.stderr)
with tempfile.TemporaryDirectory() as d:
    r = run(["flame", CPU, "--focus-function", "main\\.compress", "-o", os.path.join(d, "s.png")])
    png = open(os.path.join(d, "s.png"), "rb").read() if r.returncode == 0 else b""
    check("the sandwich as PNG", png[1:4] == b"PNG", r.stderr)

# Colour: --color=auto|always|never, NO_COLOR, a terminal on stdout.
def on_pty(args, env_extra):
    import pty
    master, slave = pty.openpty()
    env = dict(os.environ, TZ="UTC", TERM="xterm")
    env.pop("NO_COLOR", None)
    env.update(env_extra)
    p = subprocess.Popen([PPROFX] + args, stdout=slave, stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    p.wait()
    os.close(master)
    return out


ESC = b"\x1b["
for cmd in (["top", CPU, "-n", "5"], ["tree", CPU, "-n", "3"],
            ["diff", os.path.join(REPO, "testdata", "diff", "base.cpu.pb.gz"),
             os.path.join(REPO, "testdata", "diff", "slow.cpu.pb.gz"), "-n", "5"],
            ["check", os.path.join(REPO, "testdata", "diff", "slow.cpu.pb.gz"), "--baseline",
             os.path.join(REPO, "testdata", "diff", "base.cpu.pb.gz")]):
    name = cmd[0]
    check(f"{name}: no colour into a pipe", ESC not in run(cmd).stdout)
    check(f"{name}: colour on a terminal (--color=auto)", ESC in on_pty(cmd, {}))
    check(f"{name}: NO_COLOR=1 turns auto off", ESC not in on_pty(cmd, {"NO_COLOR": "1"}))
    check(f"{name}: NO_COLOR= (empty) does not", ESC in on_pty(cmd, {"NO_COLOR": ""}))
    check(f"{name}: TERM=dumb turns auto off", ESC not in on_pty(cmd, {"TERM": "dumb"}))
    check(f"{name}: --color=never on a terminal", ESC not in on_pty(cmd + ["--color=never"], {}))
    check(f"{name}: --color=always into a pipe, even with NO_COLOR", ESC in subprocess.run(
        [PPROFX] + cmd + ["--color=always"], capture_output=True, env=dict(os.environ, NO_COLOR="1")).stdout)
plain = run(["top", CPU]).stdout
colored = run(["top", CPU, "--color=always"]).stdout
check("colour changes nothing but the escapes", re.sub(rb"\x1b\[[0-9;]*m", b"", colored) == plain)
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "d.txt")
    run(["diff", os.path.join(REPO, "testdata", "diff", "base.cpu.pb.gz"),
         os.path.join(REPO, "testdata", "diff", "slow.cpu.pb.gz"), "-o", out, "--color=always"])
    check("diff -o FILE is never coloured", ESC not in open(out, "rb").read())
r = run(["top", CPU, "--color=sometimes"])
check("--color with an unknown mode is a usage error", r.returncode == 2, r.stderr)

# Merging: decoding runs ahead on threads, the merge takes files in order, so
# the result and the error reported do not depend on the thread count.
DIFF = os.path.join(REPO, "testdata", "diff")
cpus = sorted(os.path.join(DIFF, f) for f in os.listdir(DIFF) if f.endswith(".cpu.pb.gz")) + [CPU]
with tempfile.TemporaryDirectory() as d:
    outs = []
    for t in ("1", "2", "3", "16"):
        r = run(["merge", "--threads", t, "-o", os.path.join(d, f"m{t}.pb.gz")] + cpus + cpus)
        outs.append(open(os.path.join(d, f"m{t}.pb.gz"), "rb").read() if r.returncode == 0 else r.stderr)
    check(f"merge of {2 * len(cpus)} profiles: the same bytes with 1, 2, 3 and 16 threads",
          len(set(outs)) == 1 and outs[0].startswith(b"\x1f\x8b"), [o[:80] for o in outs])
    raw = run(["merge", "-o", "-"] + cpus)
    check("merge -o - writes gzip; .pb elsewhere writes the same profile uncompressed",
          run(["merge", "-o", os.path.join(d, "m.pb")] + cpus).returncode == 0 and
          gzip.decompress(raw.stdout) == open(os.path.join(d, "m.pb"), "rb").read(), raw.stderr)
    heap = os.path.join(REPO, "testdata", "workload.heap.pb.gz")
    missing = os.path.join(d, "missing.pb.gz")
    for t in ("1", "2"):
        r = run(["merge", "--threads", t, "-o", os.path.join(d, "bad.pb.gz")] + cpus[:2] + [heap] + cpus + [missing])
        check(f"merge --threads {t}: the first bad file in order is named (an incompatible one before a missing one)",
              r.returncode == 1 and r.stderr.count(b"\n") == 1 and b"workload.heap.pb.gz: inconsistent sample types" in r.stderr
              and not os.path.exists(os.path.join(d, "bad.pb.gz")), r.stderr)


# One registry of output formats (io/formats.cc): an extension a command does
# not write is a usage error naming the choices, and nothing is written; a
# name without an extension gets the command's default.
with tempfile.TemporaryDirectory() as d:
    for args, out, choices in (
            (["flame", CPU], "x.jpg", b".svg (svg), .png (png), .folded/.txt/.collapsed (folded)"),
            (["diff", CPU, CPU], "x.jpg", b".html/.htm (html)"),  # .html: the diff page (web)
            (["fold", CPU], "x.svg", b".folded/.txt/.collapsed (folded)"),
            (["merge", CPU], "x.svg", b".pb.gz/.pprof/.prof/.gz/.pb (pprof)"),
            (["check", CPU, "--baseline", CPU, "--report"], "x.svg", b".xml (junit), .html/.htm (html)"),
            (["check", CPU, "--baseline", CPU, "--flame"], "x.jpg", b".svg (svg), .png (png)")):
        path = os.path.join(d, out)
        r = run(args + ([path] if args[-1].startswith("--") else ["-o", path]))
        check(f"{args[0]} {'/'.join(a for a in args if a.startswith('--'))} -o {out}: usage error naming the choices",
              r.returncode == 2 and choices in r.stderr and not os.path.exists(path), r.stderr)
    r = run(["flame", CPU, "--format", "jpg", "-o", os.path.join(d, "y.svg")])
    check("flame --format jpg: usage error naming the formats", r.returncode == 2 and b"(svg, png or folded)" in r.stderr,
          r.stderr)
    # What a user types gets a clear answer (issue 14 point 6): -o x.jpg / x.pdf on every command that
    # draws a graph is a usage error (exit 2) in one line plus the usage hint, naming the formats; only
    # commands that take --format for it suggest --format.
    for args, out, choices, hint in (
            (["flame", CPU], "x.pdf", b"use .svg (svg), .png (png), .folded/.txt/.collapsed (folded)", True),
            (["flame", CPU, "--focus-function", "main"], "x.jpg", b"use .svg (svg), .png (png)", True),
            (["diff", CPU, CPU], "x.jpg", b"use .txt (text), .md (markdown), .json (json), .svg (svg), .png (png)", True),
            (["diff", CPU, CPU], "x.pdf", b".svg (svg), .png (png)", True),
            (["dot", CPU], "x.jpg", b"use .dot/.gv (dot), .svg (svg), .png (png), .pdf (pdf)", True),
            (["check", CPU, "--baseline", CPU, "--flame"], "x.pdf", b"use .svg (svg), .png (png)", False),
            (["fold", CPU], "x.svg", b"use .folded/.txt/.collapsed (folded)", False),
            (["merge", CPU], "x.svg", b"use .pb.gz/.pprof/.prof/.gz/.pb (pprof)", False)):
        path = os.path.join(d, out)
        r = run(args + ([path] if args[-1].startswith("--") else ["-o", path]))
        lines = r.stderr.decode().splitlines()
        want = f'pprofx: error: "{path}": {args[0]}{" --flame" if "--flame" in args else ""} does not write this extension; '
        typed = " ".join(a for a in args if a != CPU) + (" " if args[-1].startswith("--") else " -o ") + out
        check(f"{typed}: usage error naming the formats, "
              f"{'with' if hint else 'without'} the --format hint, nothing written",
              r.returncode == 2 and r.stdout == b"" and len(lines) == 2 and lines[0].startswith(want) and
              choices in r.stderr and lines[0].endswith(" (or give --format)") == hint and
              lines[1] == "Run 'pprofx --help' for usage." and not os.path.exists(path), r.stderr)
    r = run(["merge", CPU, "-o", os.path.join(d, "merged")])
    check("merge -o NAME without an extension writes the default (gzip profile.proto)",
          r.returncode == 0 and open(os.path.join(d, "merged"), "rb").read(2) == b"\x1f\x8b", r.stderr)
    r = run(["merge", CPU, "-o", os.path.join(d, "m.pprof")])
    check("merge -o x.pprof writes gzip, as convert does (one rule)",
          r.returncode == 0 and open(os.path.join(d, "m.pprof"), "rb").read(2) == b"\x1f\x8b", r.stderr)

# A profile with sample types and no samples (issue 14 point 6): flame says "no samples in FILE" once on
# stderr (escaped) and draws it as the graph's note; a graph, not an error. Filters that leave nothing say so.
with tempfile.TemporaryDirectory() as d:
    sys.path.insert(0, os.path.join(REPO, "tests", "support"))
    from wire import field, num_field  # noqa: E402
    empty_profile = b"".join(field(6, s) for s in (b"", b"samples", b"count", b"cpu", b"nanoseconds")) + \
        field(1, num_field(1, 1) + num_field(2, 2)) + field(1, num_field(1, 3) + num_field(2, 4)) + num_field(10, 10**9)
    empty = os.path.join(d, "empty.pb")
    open(empty, "wb").write(empty_profile)
    note = re.compile(rb'<text id="note"[^>]*>([^<]*)</text>')
    for args, out, warning in (([empty], "e.svg", f"no samples in {empty}"),
                               ([empty, "--focus", "main"], "f.svg", f"no samples in {empty} match the filters"),
                               ([empty, empty], "m.svg", "no samples in 2 profiles")):
        path = os.path.join(d, out)
        r = run(["flame"] + args + ["-o", path])
        svg = open(path, "rb").read() if os.path.exists(path) else b""
        shown = warning.replace(empty, "empty.pb").encode()
        check(f"flame of {' '.join(os.path.basename(a) for a in args)} (no samples): a warning and the note in the graph",
              r.returncode == 0 and r.stdout == (path + "\n").encode() and
              r.stderr.decode().splitlines()[-1:] == ["pprofx: warning: " + warning] and
              r.stderr.count(b"no samples in") == 1 and note.findall(svg) == [shown], (r.stderr, note.findall(svg)))
    r = run(["flame", empty, "-o", os.path.join(d, "e.png")])
    check("flame -o x.png of a profile without samples: the same warning, a PNG",
          r.returncode == 0 and r.stderr == f"pprofx: warning: no samples in {empty}\n".encode() and
          open(os.path.join(d, "e.png"), "rb").read(4) == b"\x89PNG", r.stderr)
    r = run(["flame", "-", "-o", os.path.join(d, "s.svg")], stdin=empty_profile)
    check("flame - of a profile without samples names <stdin>",
          r.returncode == 0 and r.stderr == b"pprofx: warning: no samples in <stdin>\n", r.stderr)
    r = run(["flame", empty, "--focus-function", "main", "-o", os.path.join(d, "w.svg")])
    check("flame --focus-function of a profile without samples: one error line, exit 1, nothing written",
          r.returncode == 1 and r.stderr == f"pprofx: error: {empty}: no samples, so no stack has a frame matching "
          f"--focus-function main\n".encode() and not os.path.exists(os.path.join(d, "w.svg")), r.stderr)
    hostile = os.path.join(d, "e\x1b[31m.pb")
    open(hostile, "wb").write(empty_profile)
    r = run(["flame", hostile, "-o", os.path.join(d, "h.svg")])
    check("the no-samples warning is escaped for the terminal",
          r.returncode == 0 and r.stderr.count(b"\n") == 1 and b"\x1b" not in r.stderr and
          r.stderr.startswith(b"pprofx: warning: no samples in "), r.stderr)
    r = run(["flame", CPU, "-o", os.path.join(d, "cpu.svg")])
    check("a profile with samples gets no such warning or note", r.returncode == 0 and r.stderr == b"" and
          b"no samples" not in open(os.path.join(d, "cpu.svg"), "rb").read(), r.stderr)
    # The differential graph (widths from NEW by default) and check: the same words; check refuses to pass.
    path = os.path.join(d, "d.svg")
    r = run(["diff", CPU, empty, "-o", path])
    svg = open(path, "rb").read() if os.path.exists(path) else b""
    check("diff BASE EMPTY -o d.svg: 'no samples in EMPTY' once, and as the graph's note",
          r.returncode == 0 and r.stderr == f"pprofx: warning: no samples in {empty}\n".encode() and
          note.findall(svg) == [b"no samples in empty.pb"], (r.stderr, note.findall(svg)))
    r = run(["diff", empty, CPU, "-o", path, "--width", "base"])
    check("diff EMPTY NEW --width base: the widths' profile is named",
          r.returncode == 0 and r.stderr == f"pprofx: warning: no samples in {empty}\n".encode(), r.stderr)
    r = run(["diff", CPU, CPU, "-o", path])
    check("diff of a profile with samples: no such warning", r.returncode == 0 and r.stderr == b"", r.stderr)
    r = run(["check", empty, "--baseline", CPU])
    check("check of an empty NEW: one error line, exit 1 (a gate does not pass a run that measured nothing)",
          r.returncode == 1 and r.stdout == b"" and
          r.stderr == f"pprofx: error: no samples in {empty}: nothing to check against the baselines\n".encode(),
          (r.returncode, r.stdout[:200], r.stderr))

# The diff graph reads BASE ahead (inflating, its compressed bytes given back as they go) while NEW is
# used: a BASE of two gzip members stops that short and is read again from the file; the same graph as
# one member, and as with --threads 1 (no read-ahead, no second thread).
GEN = os.path.join(os.path.dirname(PPROFX), "bench", "pprofx_bench_gen")
with tempfile.TemporaryDirectory() as d:
    one, two = os.path.join(d, "one"), os.path.join(d, "two")
    os.makedirs(one)
    os.makedirs(two)
    base, new = os.path.join(one, "base.pb.gz"), os.path.join(d, "new.pb.gz")
    for path, seed in ((base, "1"), (new, "2")):
        subprocess.run([GEN, path, "--samples", "60000", "--max-depth", "64", "--sample-seed", seed], check=True,
                       capture_output=True)
    raw = gzip.decompress(open(base, "rb").read())
    # its second member (whose size the trailer announces) is over 4 MiB: inflated on a thread; its first, over
    # a MiB compressed, is given back before the second stops the read-ahead short
    check("the read-ahead BASE is large enough to be inflated on a thread", len(raw) // 2 > 4 << 20, len(raw))
    with open(os.path.join(two, "base.pb.gz"), "wb") as f:
        f.write(gzip.compress(raw[:len(raw) // 2]) + gzip.compress(raw[len(raw) // 2:]))
    svgs = []
    for folder, extra in ((one, []), (two, []), (one, ["--threads", "1"]), (two, ["--threads", "1"])):
        out = os.path.join(d, f"d{len(svgs)}.svg")
        r = run(["diff", os.path.join(folder, "base.pb.gz"), new, "-o", out] + extra)
        svgs.append(open(out, "rb").read() if r.returncode == 0 else r.stderr)
    check("diff -o d.svg: a two-member BASE read again after its read-ahead; the same graph, also with --threads 1",
          len(svgs[0]) > 10000 and svgs.count(svgs[0]) == 4, [x[:100] for x in svgs])

# A tooltip names the source file of the profile whose widths are drawn: NEW's by default (these two
# name main.go in different build folders), BASE's with --width base.
with tempfile.TemporaryDirectory() as d:
    D = os.path.join(REPO, "testdata", "diff")
    files = {}
    for name, args in (("flame", ["flame", os.path.join(D, "two.slow.cpu.pb.gz")]),
                       ("flame-base", ["flame", os.path.join(D, "two.base.cpu.pb.gz")]),
                       ("diff", ["diff", os.path.join(D, "two.base.cpu.pb.gz"), os.path.join(D, "two.slow.cpu.pb.gz")]),
                       ("diff-base", ["diff", os.path.join(D, "two.base.cpu.pb.gz"), os.path.join(D, "two.slow.cpu.pb.gz"),
                                      "--width", "base"])):
        out = os.path.join(d, name + ".svg")
        run(args + ["-o", out])
        files[name] = set(re.findall(rb"\n([^\n<]*/main\.go)</title>", open(out, "rb").read()))
    check("the diff graph's tooltips name NEW's source file (BASE's with --width base)",
          len(files["flame"]) == 1 and files["flame"] != files["flame-base"] and files["diff"] == files["flame"] and
          files["diff-base"] == files["flame-base"], files)

# One input sniffer (decode/sniff.cc): what is not a profile is named.
with tempfile.TemporaryDirectory() as d:
    for name, data, words in (
            ("page.html", b"<!DOCTYPE html>\n<html><body>404</body></html>\n", b"an HTML page"),
            ("trace.out", b"go 1.19 trace\x00\x00\x00" + bytes(64), b"a Go execution trace"),
            ("vars.json", b'{\n"cmdline": ["/bin/server","-port=8080"],\n"memstats": {"Alloc":123}\n}\n',
             b"Go's expvar variables (/debug/vars)"),
            ("cmdline", b"/usr/local/bin/server\x00-port=8080\x00-v", b"a program's command line"),
            ("s.json", b'{"$schema":"https://www.speedscope.app/file-format-schema.json","profiles":[]}',
             b"a speedscope document")):
        path = os.path.join(d, name)
        open(path, "wb").write(data)
        for cmd in ("top", "flame"):
            r = run([cmd, path, "-o", os.path.join(d, "out.svg")] if cmd == "flame" else [cmd, path])
            check(f"{cmd} {name}: one line naming what it is", r.returncode == 1 and r.stderr.count(b"\n") == 1
                  and words in r.stderr and not os.path.exists(os.path.join(d, "out.svg")), r.stderr)


# Names are escaped for the terminal in errors and warnings (cli/output.cc).
with tempfile.TemporaryDirectory() as d:
    evil = os.path.join(d.encode(), b"x\x1b[2J\nfake line\xff.pb.gz")
    r = subprocess.run([PPROFX.encode(), b"top", evil], capture_output=True)
    check("a file name holding an escape, a newline and invalid UTF-8: one error line, escaped",
          r.returncode == 1 and r.stderr.count(b"\n") == 1 and b"\x1b" not in r.stderr and b"\xff" not in r.stderr
          and b"x\\x1b[2J\\nfake line\\xff.pb.gz" in r.stderr, r.stderr)

# pprof's -tagroot / -tagleaf (the numbers are the conformance goldens'; here: every command takes them).
LABELS = os.path.join(REPO, "testdata", "labels", "units.pb.gz")
FOLDED = os.path.join(REPO, "testdata", "perf-sample.folded")
r = run(["fold", "--tagroot=tenant", "--tagleaf=latency", LABELS])
rows = r.stdout.decode().splitlines()
check("fold --tagroot/--tagleaf: the label's values outermost and innermost on every stack",
      r.returncode == 0 and len(rows) == 4 and all(re.match(r"^(acme|b<i>&\"x\",c|<unknown>);main\.\w+;(1\.50ms|-3ms|<unknown>) ", l)
                                                   for l in rows) and any(l.startswith("acme;") for l in rows), r.stdout + r.stderr)
a = run(["top", "-tagroot=tenant", LABELS])
b = run(["top", "--tagroot", "tenant", LABELS])
check("-tagroot= is pprof's spelling of --tagroot", a.returncode == 0 and a.stdout == b.stdout and b"  acme\n" in a.stdout,
      a.stderr + b.stderr)
r = run(["top", "--tagroot=nosuch", "--tagleaf=,", LABELS])
check("keys no sample has: pprof's two warnings, the report still printed",
      r.returncode == 0 and b"pprofx: warning: TagRoot expression matched no samples\n" in r.stderr and
      b"pprofx: warning: TagLeaf expression matched no samples\n" in r.stderr and b"flat%" in r.stdout, r.stderr)
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "f.svg")
    r = run(["flame", "--tagroot=tenant", LABELS, "-o", out])
    svg = open(out, "rb").read() if os.path.exists(out) else b""
    check("flame --tagroot: the values are frames, escaped for XML", r.returncode == 0 and b"b&lt;i&gt;&amp;" in svg
          and b"<i>" not in svg, r.stderr)
    r = run(["diff", "--tagroot=tenant", LABELS, LABELS])
    check("diff --tagroot: the label frames are rows", r.returncode == 0 and b"  acme" in r.stdout, r.stdout + r.stderr)
    for cmd in (["fold"], ["flame", "-o", out + "2.svg"]):
        r = run(cmd + ["--tagroot=x", FOLDED])
        check(f"{cmd[0]} --tagroot on folded stacks: exit 1, one line saying why",
              r.returncode == 1 and r.stderr.count(b"\n") == 1 and b"folded stacks have no labels" in r.stderr
              and not os.path.exists(out + "2.svg"), r.stderr)

# --format on top, tree and tags: the same rows as the text, in the sample unit.
import csv as csv_module, io as io_module, json as json_module
text = run(["top", "-n", "12", CPU]).stdout.decode()
doc = json_module.loads(run(["top", "-n", "12", CPU, "--format", "json"]).stdout)
rows = list(csv_module.DictReader(io_module.StringIO(run(["top", "-n", "12", CPU, "--format", "csv"]).stdout.decode())))
text_rows = [l for l in text.splitlines() if re.match(r"^ +\S+ +\S+% +\S+% +\S+ +\S+%  ", l)]
check("top --format json/csv: the text's rows, names and order, values in the sample unit",
      len(doc["rows"]) == len(rows) == len(text_rows) == 12 and doc["unit"] == "nanoseconds" and
      [r["name"] for r in doc["rows"]] == [r["name"] for r in rows] and
      all(t.split(None, 5)[5].startswith(r["name"]) for t, r in zip(text_rows, doc["rows"])) and
      all(int(r["flat"]) == j["flat"] and int(r["cum"]) == j["cum"] for r, j in zip(rows, doc["rows"])) and
      doc["header"] == text.splitlines()[:len(doc["header"])], (doc["rows"][:2], rows[:2], text_rows[:2]))
md = run(["top", "-n", "12", CPU, "--format", "markdown"]).stdout.decode()
check("top --format markdown: a table row per function",
      len([l for l in md.splitlines() if l.startswith("| `")]) == 12 and "| function | flat |" in md, md)
tree_text = run(["tree", "-n", "10", CPU]).stdout.decode()
tree_doc = json_module.loads(run(["tree", "-n", "10", CPU, "--format", "json"]).stdout)
check("tree --format json: the text's nodes and edges",
      len(tree_doc["nodes"]) == tree_text.count("                | ") and
      sum(len(n["callers"]) + len(n["callees"]) for n in tree_doc["nodes"]) ==
      len(re.findall(r"^ {30,}\S+ +\S+% \|   ", tree_text, re.M)), tree_doc["nodes"][:1])
tags = json_module.loads(run(["tags", HEAP, "--format", "json"]).stdout)
check("tags --format json: keys with their values and totals", tags["keys"] and
      all(k["total"] == sum(v["total"] for v in k["values"]) for k in tags["keys"]), tags["keys"][:1])
for cmd in ("top", "tree", "tags"):
    r = run([cmd, CPU, "--format", "yaml"])
    check(f"{cmd} --format yaml: a usage error", r.returncode == 2 and r.stdout == b"" and b"--format" in r.stderr,
          r.stderr)

# pprofx dot: DOT on stdout (its bytes are the conformance goldens'), drawn by Graphviz with -o.
import shutil
r = run(["dot", CPU])
check("dot: a DOT digraph on stdout", r.returncode == 0 and r.stdout.startswith(b'digraph "workload" {\n') and
      r.stdout.endswith(b"}\n"), r.stderr)
with tempfile.TemporaryDirectory() as d:
    if shutil.which("dot"):
        for ext, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF"), ("dot", b"digraph")):
            out = os.path.join(d, "g." + ext)
            r = run(["dot", CPU, "-o", out])
            check(f"dot -o g.{ext}: written as {ext}", r.returncode == 0 and os.path.exists(out) and
                  open(out, "rb").read().startswith(magic) and r.stdout == b"", r.stderr)
        fake = os.path.join(d, "bin")
        os.mkdir(fake)
        with open(os.path.join(fake, "dot"), "w") as fh:  # a Graphviz that fails
            fh.write("#!/bin/sh\necho 'Error: out of memory' >&2\nexit 3\n")
        os.chmod(os.path.join(fake, "dot"), 0o755)
        r = subprocess.run([PPROFX, "dot", CPU, "-o", os.path.join(d, "bad.svg")], capture_output=True,
                           env=dict(os.environ, PATH=fake))
        check("dot -o x.svg with a failing Graphviz: exit 1, its message, no file",
              r.returncode == 1 and b"Graphviz's dot failed (exit 3): Error: out of memory" in r.stderr and
              not os.path.exists(os.path.join(d, "bad.svg")), r.stderr)
    r = subprocess.run([PPROFX, "dot", CPU, "-o", os.path.join(d, "none.svg")], capture_output=True,
                       env=dict(os.environ, PATH=os.path.join(d, "empty")))
    check("dot -o x.svg without Graphviz: exit 1, how to install it, no file",
          r.returncode == 1 and b"apt-get install graphviz" in r.stderr and r.stderr.count(b"\n") == 1 and
          not os.path.exists(os.path.join(d, "none.svg")), r.stderr)
    r = run(["dot", CPU, "-o", os.path.join(d, "g.jpg")])
    check("dot -o g.jpg: a usage error naming the extensions", r.returncode == 2 and b".svg" in r.stderr, r.stderr)

# pprofx list: the sources of testdata's program (the conformance goldens hold pprof's text).
r = run(["list", "main.handleRequest", CPU, "--source-path", os.path.join(REPO, "testdata")])
check("list: the ROUTINE with its source lines", r.returncode == 0 and
      b"ROUTINE ======================== main.handleRequest in workload/main.go\n" in r.stdout and
      b"func handleRequest(r *rand.Rand) {" in r.stdout, r.stdout[:300] + r.stderr)
text = run(["list", "main\\.", CPU, "--source-path", os.path.join(REPO, "testdata")]).stdout.decode()
doc = json_module.loads(run(["list", "main\\.", CPU, "--source-path", os.path.join(REPO, "testdata"), "--format", "json"]).stdout)
rows = list(csv_module.DictReader(io_module.StringIO(
    run(["list", "main\\.", CPU, "--source-path", os.path.join(REPO, "testdata"), "--format", "csv"]).stdout.decode())))
text_rows = re.findall(r"^ +(\S+) +(\S+) +(\d+):", text, re.M)
check("list --format json/csv: the text's routines and lines, values in the sample unit",
      len(doc["routines"]) == text.count("ROUTINE ====") and sum(len(rt["lines"]) for rt in doc["routines"]) ==
      len(rows) == len(text_rows) and [int(r["line"]) for r in rows] == [int(t[2]) for t in text_rows] and
      all(rt["cum"] <= rt["pprof_cum"] for rt in doc["routines"]), (len(rows), len(text_rows)))
r = run(["list", "no_such_function_xyz", CPU])
check("list with no match: exit 1, pprof's words", r.returncode == 1 and
      b"no matches found for regexp: no_such_function_xyz" in r.stderr, r.stderr)
r = run(["list", "decodeState..value$", CPU, "--source-path", os.path.join(REPO, "testdata")])
top_cum = {row["name"]: row["cum"] for row in json_module.loads(run(["top", CPU, "--format", "json"]).stdout)["rows"]}
routine = json_module.loads(run(["list", "decodeState..value$", CPU, "--source-path", os.path.join(REPO, "testdata"),
                                 "--format", "json"]).stdout)["routines"][0]
check("list of a recursive function: the ROUTINE's cum counted once per sample (top's cum), pprof's figure noted",
      r.returncode == 0 and routine["cum"] == top_cum["encoding/json.(*decodeState).value"] < routine["pprof_cum"] and
      b"  (pprof: cum 1.75s, 61.62% of Total:" in r.stdout and b"google/pprof#707" in r.stdout, (routine, r.stdout[:400]))
sys.path.insert(0, os.path.join(REPO, "tests", "support"))
from wire import field, num_field, packed  # noqa: E402
with tempfile.TemporaryDirectory() as d:
    fifo = os.path.join(d, "src.fifo")
    os.mkfifo(fifo)
    for source, line in ((b"/dev/zero", 3), (fifo.encode(), 3), (b"/dev/stdin", 3), (b"nowhere/missing.go", 3),
                         (os.path.join(REPO, "testdata", "workload", "main.go").encode(), (1 << 63) - 1),
                         (os.path.join(REPO, "testdata", "workload", "main.go").encode(), -(1 << 63))):
        strings = [b"", b"cpu", b"nanoseconds", b"main.f", source]
        prof = b"".join(field(6, s) for s in strings) + field(1, num_field(1, 1) + num_field(2, 2)) + \
            field(2, packed(1, [1]) + packed(2, [5])) + field(4, num_field(1, 1) + field(4, num_field(1, 1) + num_field(2, line))) + \
            field(5, num_field(1, 1) + num_field(2, 3) + num_field(4, 4))
        path = os.path.join(d, "p.pb")
        open(path, "wb").write(prof)
        try:
            r = subprocess.run([PPROFX, "list", "main.f", path], capture_output=True, timeout=20, stdin=subprocess.PIPE)
            if line != 3:  # a real source, line numbers at the ends of int64: no line to show, no overflow
                ok = r.returncode == 0 and r.stderr == b"" and b"ROUTINE ======================== main.f" in r.stdout
            else:
                why = b"could not find file nowhere/missing.go on path" if source == b"nowhere/missing.go" else \
                    b"not a regular file"
                ok = r.returncode == 0 and r.stderr.count(b"\n") == 1 and why in r.stderr and \
                    re.search(rb"\n +5ns +5ns +3:\n", r.stdout) and b"Error" not in r.stdout
        except subprocess.TimeoutExpired:
            ok, r = False, "timed out"
        check(f"list of a function whose source is {os.path.basename(source.decode())} (line {line}): read safely", ok, r)

# pprof's -divide_by: the numbers are the conformance goldens'; here: spellings and refusals.
a = run(["top", "-divide_by=1000", CPU])
b = run(["top", "--divide-by", "1000", CPU])
c = run(["top", CPU])
check("-divide_by= is pprof's spelling of --divide-by, and changes the values shown, not the shares",
      a.returncode == 0 and a.stdout == b.stdout and a.stdout != c.stdout and
      re.findall(rb"\d+\.\d+%", a.stdout) == re.findall(rb"\d+\.\d+%", c.stdout), a.stderr + b.stderr)
for bad in ("0", "-2", "nan", "inf", "x"):
    r = run(["fold", "--divide-by", bad, CPU])
    check(f"--divide-by {bad}: a usage error (exit 2)", r.returncode == 2 and b"--divide-by" in r.stderr and
          r.stdout == b"", r.stderr)
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "m.pb.gz")
    r = run(["merge", "--divide-by", "1000", CPU, "-o", out])
    check("merge --divide-by writes each sample's values divided (pprof's -proto -divide_by), as fold shows them",
          r.returncode == 0 and run(["fold", out]).stdout == run(["fold", "--divide-by", "1000", CPU]).stdout and
          run(["fold", out]).stdout != run(["fold", CPU]).stdout, r.stderr)
info = run(["info", CPU]).stdout.decode()
info_div = run(["info", "--divide-by", "10", CPU]).stdout.decode()
cross_div = run(["cross", "--cpu", CPU, "--divide-by", "10"])
check("info and cross take --divide-by too (every sample's values divided)", info != info_div and
      cross_div.returncode == 0 and cross_div.stdout != run(["cross", "--cpu", CPU]).stdout, info_div[:300])
r = run(["fold", "--divide-by", "10", FOLDED])
check("--divide-by on folded stacks: exit 1, one line", r.returncode == 1 and r.stderr.count(b"\n") == 1 and
      b"--divide-by applies to pprof profiles" in r.stderr, r.stderr)
r = run(["fold", "--divide-by", "1e-18", CPU])
check("--divide-by whose quotients do not fit int64: exit 1, one line", r.returncode == 1 and
      r.stderr.count(b"\n") == 1 and b"outside the int64 range" in r.stderr and r.stdout == b"", r.stderr)

# The document's title (a browser tab's) names the file and sample type, whatever --subtitle says.
with tempfile.TemporaryDirectory() as d:
    for args, want in ((["flame", CPU, "--subtitle", "my run"], b"<title>workload.cpu.pb.gz: cpu "),
                       (["diff", os.path.join(D, "base.cpu.pb.gz"), os.path.join(D, "slow.cpu.pb.gz"), "--subtitle",
                         "my run"], b"<title>base.cpu.pb.gz -&gt; slow.cpu.pb.gz: cpu")):
        out = os.path.join(d, "t.svg")
        r = run(args + ["-o", out])
        svg = open(out, "rb").read() if r.returncode == 0 else b""
        check(f"{args[0]} --subtitle: the tab title still names the file and type, the subtitle is the user's",
              want in svg and b">my run</text>" in svg, svg[300:500])

# trend's command line, on the leak workload's snapshots in testdata/leak (tests/leak runs the program itself).
L = os.path.join(REPO, "testdata", "leak")
dumps = [os.path.join(L, f"goroutine.{i}.debug2.txt") for i in range(1, 6)]
for args, words in ((dumps[:2], b"three or more snapshots"),
                    (dumps + ["--interval", "5x"], b'--interval: "5x" is not a duration'),
                    (dumps + ["--interval", "0s"], b"is not a duration"),
                    (dumps + ["--min-growth", "101"], b"--min-growth: a percentage from 0 to 100"),
                    (dumps + ["--cum"], b"--cum goes with --by function")):
    r = run(["trend"] + args)
    check(f"trend {' '.join(a for a in args if not a.startswith('/'))}: a usage error (exit 2) saying why",
          r.returncode == 2 and r.stdout == b"" and words in r.stderr.splitlines()[0], r.stderr)
for interval, minutes in (("1h30m", 360), ("250\u00b5s", 4 * 250e-6 / 60), ("90", 6)):
    r = run(["trend"] + dumps + ["--interval", interval, "--format", "json"])
    doc = json.loads(r.stdout) if r.returncode == 0 else {}
    check(f"trend --interval {interval}: {minutes:g} minutes from the first snapshot to the last",
          doc.get("time_source") == "--interval" and abs(doc.get("minutes", -1) - minutes) < 1e-9, r.stderr)
with tempfile.TemporaryDirectory() as d:
    for name, start in (("t.md", b"### Trend of `goroutine` over 5 snapshots"), ("t.json", b'{\n  "schema": "pprofx-trend/1"')):
        r = run(["trend"] + dumps + ["-o", os.path.join(d, name)])
        data = open(os.path.join(d, name), "rb").read() if os.path.exists(os.path.join(d, name)) else b""
        check(f"trend -o {name}: the format from the extension", r.returncode == 0 and data.startswith(start), data[:80])
heaps = [os.path.join(L, f"heap.{i}.pb.gz") for i in range(1, 6)]
r = run(["trend"] + heaps + ["--sample-index", "alloc_space", "--format", "json"])
doc = json.loads(r.stdout) if r.returncode == 0 else {}
check("trend --sample-index alloc_space: the type chosen, allocations only grow",
      doc.get("type") == "alloc_space" and all(x["verdict"] != "shrinks" for x in doc.get("rows", [])) and
      any(x["name"] == "main.grow" and x["verdict"] == "grows in every snapshot" for x in doc.get("rows", [])),
      r.stderr)

passed = sum(results)
print(f"cli: {passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
