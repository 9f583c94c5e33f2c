#!/usr/bin/env python3
"""How good a CI gate is `pprofx check`: its false-alarm rate on unchanged code and
its detection rate of known slowdowns, on real Go CPU profiles (issue 18, point 7).

The workload (bench/check_workload/main.go, built here with `go build`, no network)
is a CPU-bound Go program shaped like a small service (JSON, sorting, SHA-256,
string building, maps) with three leaf functions of known CPU share: main.share2
(~2%), main.share5 (~5%) and main.share20 (~20%). `-slow NAME=FACTOR` makes one
of them FACTOR times slower (FACTOR times its iterations). Each run profiles
itself with runtime/pprof at 100 Hz for --duration seconds of CPU time (default
3 s: ~300 samples; CPU time, not wall time, so load does not thin the profile).

Collected, under `nice -n 19`, one run at a time, interleaved (run i of every
variant before run i+1, so a change in machine load spreads over all of them):
--runs N (default 30) profiles of v1 and of six variants (each target 1.3x and 2x).

Measured, with real `pprofx check` exit codes (3 regression, 0 pass, 1 aborts):
  * false alarms: NEW = a v1 run, baselines = 5 other v1 runs (--combos random
    combinations, or all if fewer), and with 1 baseline (ordered pairs of v1 runs);
  * detection: each variant profile against --stores-per-profile random stores of
    5 v1 runs (the same stores for every variant);
  * at the default thresholds, and along a sweep of a scale applied to
    --max-flat-increase, --max-cum-increase and --max-relative-increase together
    (0.25x..1x, and up to 2x in case the defaults alarm too often); the tightest
    thresholds are the smallest scale with false alarms (5 baselines) under 1%.
A verdict is monotone in the scale (smaller thresholds only add findings), so each
combination's verdict along the sweep is found by bisection (~5 checks), and a
few combinations are checked at every scale to confirm that.

--check-arg ARG passes ARG to every check, e.g. to measure the gate with
--check-arg=--ignore-function=runtime\\. --check-arg=--max-total-increase=1000
(the runtime's own frames and the total, which follow the machine's load more than
the code, not judged) on the same profiles.

Time budget (2 cores): collection 7 x N x (duration + ~0.1-0.5 s), 11-13 min by
default (longer on a loaded machine); checks 10-40 ms each, ~13,000 of them,
~2-3 min on 2 threads; ~15 min in all. --keep DIR keeps the
profiles (and the check results, per pprofx binary) and reuses them: re-running
with the same DIR collects only what is missing. --quick: 6 runs of 1 s (5
baselines + a different NEW need 6), few combinations, ~1 min.

Usage: nice -n 19 bench/bench_check_quality.py [--pprofx build/pprofx] [--runs 30]
       [--duration 3] [--keep DIR] [--markdown FILE] [--check-arg=ARG ...] [--quick]
Needs python3 and Go (apt-get install golang-go).
"""
import argparse, concurrent.futures, hashlib, itertools, json, math, os, random, re, shutil, statistics
import subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "bench", "check_workload", "main.go")
TARGETS = ["share2", "share5", "share20"]
VARIANTS = [(fn, factor) for fn in TARGETS for factor in (1.3, 2.0)]
STORE = 5  # baselines per store
DEFAULT = {"max-flat-increase": 2.0, "max-cum-increase": 5.0, "max-relative-increase": 50.0}
# The sweep: scale of the three thresholds; 1.0 runs check without threshold options (the defaults).
GRID = [round(0.25 + 0.05 * i, 2) for i in range(16)] + [1.25, 1.5, 2.0]
ONE = GRID.index(1.0)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sha(path_or_bytes, n=12):
    h = hashlib.sha256()
    if isinstance(path_or_bytes, bytes):
        h.update(path_or_bytes)
    else:
        with open(path_or_bytes, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()[:n]


def config_name(variant):
    return "v1" if variant is None else f"{variant[0]}x{variant[1]:g}"


def build_workload(work):
    """go build the workload into WORK (once per source version)."""
    src = open(SOURCE, "rb").read()
    out = os.path.join(work, f"workload-{sha(src)}")
    if os.path.exists(out):
        return out
    build = os.path.join(work, "gobuild")
    os.makedirs(build, exist_ok=True)
    with open(os.path.join(build, "main.go"), "wb") as f:
        f.write(src)
    with open(os.path.join(build, "go.mod"), "w") as f:
        f.write("module checkworkload\n\ngo 1.19\n")
    home = os.path.join(work, "gohome")
    env = dict(os.environ, HOME=home, GOCACHE=os.path.join(home, "cache"), GOPATH=os.path.join(home, "go"),
               GOPROXY="off", GOFLAGS="", GO111MODULE="on", GOTOOLCHAIN="local", CGO_ENABLED="0")
    if not shutil.which("go"):
        sys.exit("go not found: apt-get install -y golang-go")
    r = subprocess.run(["go", "build", "-o", out + ".tmp", "."], cwd=build, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"go build failed:\n{r.stderr}")
    os.replace(out + ".tmp", out)
    return out


def collect(workload, pdir, runs, duration, hz):
    """Profiles pdir/<config>-<i>.pb.gz for every config and i < runs; existing ones are kept."""
    configs = [None] + VARIANTS
    todo = [(i, v) for i in range(runs) for v in configs
            if not os.path.exists(os.path.join(pdir, f"{config_name(v)}-{i:02d}.pb.gz"))]
    log(f"collecting {len(todo)} profiles ({runs * len(configs) - len(todo)} reused) in {pdir}")
    start = time.perf_counter()
    for k, (i, v) in enumerate(todo):
        path = os.path.join(pdir, f"{config_name(v)}-{i:02d}.pb.gz")
        cmd = ["nice", "-n", "19", workload, "-cpuprofile", path + ".tmp", "-duration", f"{duration}s", "-hz", str(hz)]
        if v is not None:
            cmd += ["-slow", f"{v[0]}={v[1]:g}"]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60 + 30 * duration)
        if r.returncode != 0:
            sys.exit(f"workload failed: {' '.join(cmd)}\n{r.stderr}")
        os.replace(path + ".tmp", path)
        if (k + 1) % 20 == 0 or k + 1 == len(todo):
            el = time.perf_counter() - start
            log(f"  {k + 1}/{len(todo)} profiles, {el:.0f} s, ~{el / (k + 1) * (len(todo) - k - 1):.0f} s left")
    return {config_name(v): [os.path.join(pdir, f"{config_name(v)}-{i:02d}.pb.gz") for i in range(runs)]
            for v in configs}


ROW = re.compile(r"^\s*(\S+)\s+([\d.]+)%\s+[\d.]+%\s+(\S+)\s+([\d.]+)%\s+(.+?)\s*$")


def shares(pprofx, files):
    """{function: (flat %, cum %)} of the profile(s) FILES merged, for the targets."""
    out = subprocess.run([pprofx, "top", "--nodefraction=0", "--color=never"] + files, capture_output=True,
                         text=True, check=True).stdout
    got = {fn: (0.0, 0.0) for fn in TARGETS}
    for line in out.splitlines():
        m = ROW.match(line)
        if m and m.group(5).startswith("main.") and m.group(5)[5:] in got:
            got[m.group(5)[5:]] = (float(m.group(2)), float(m.group(4)))
    return got


def profile_stats(pprofx, path):
    """(samples, CPU seconds per wall second) of one CPU profile, from pprofx info."""
    out = subprocess.run([pprofx, "info", path], capture_output=True, text=True, check=True).stdout
    samples = int(re.search(r"^\s*samples\s+([\d,]+)\s+count", out, re.M).group(1).replace(",", ""))
    util = subprocess.run([pprofx, "top", "-n", "1", "--color=never", path], capture_output=True, text=True,
                          check=True).stdout
    m = re.search(r"Total samples = \S+ \(([\d.]+)%\)", util)
    return samples, float(m.group(1)) / 100 if m else float("nan")


class Checker:
    """Runs pprofx check with a cache: (new, baselines, scale) -> exit code; at scale 1 also the findings."""

    def __init__(self, pprofx, cache_file, tmp, extra):
        self.pprofx, self.cache_file, self.tmp, self.extra = pprofx, cache_file, tmp, extra
        self.cache, self.lock, self.runs = {}, threading.Lock(), 0
        if cache_file and os.path.exists(cache_file):
            with open(cache_file) as f:
                self.cache = json.load(f)

    def save(self):
        if self.cache_file:
            with self.lock:
                data = json.dumps(self.cache)
            with open(self.cache_file + ".tmp", "w") as f:
                f.write(data)
            os.replace(self.cache_file + ".tmp", self.cache_file)

    def check(self, new, bases, scale):
        key = f"{os.path.basename(new)}|{','.join(os.path.basename(b) for b in bases)}|{scale:g}"
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        cmd = [self.pprofx, "check", new, "--color=never"] + self.extra
        for b in bases:
            cmd += ["--baseline", b]
        report = None
        if scale == 1.0:
            report = os.path.join(self.tmp, f"report-{threading.get_ident()}.json")
            cmd += ["--report", report]
        else:
            for opt, v in DEFAULT.items():
                cmd += [f"--{opt}", f"{v * scale:.6g}"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode not in (0, 3):
            sys.exit(f"pprofx check failed (exit {r.returncode}): {' '.join(cmd)}\n{r.stderr}{r.stdout}")
        res = {"rc": r.returncode}
        if report:
            with open(report) as f:
                res.update(parse_report(json.load(f)))
        with self.lock:
            self.cache[key] = res
            self.runs += 1
        return res

    def critical(self, new, bases):
        """Index in GRID of the largest scale at which check fails (-1: passes at every scale), by bisection
        (alarms at a scale imply alarms at every smaller one); plus the findings at the default thresholds."""
        lo, hi, mid = -1, len(GRID), ONE
        while hi - lo > 1:
            if self.check(new, bases, GRID[mid])["rc"] == 3:
                lo = mid
            else:
                hi = mid
            mid = (lo + hi) // 2
        return lo, self.check(new, bases, 1.0)


def parse_report(j):
    """Total, regressions and the targets' rows of a check JSON report (docs/ci.md: pprofx-check/2)."""
    if j.get("schema") != "pprofx-check/2":
        sys.exit(f"unknown check report schema {j.get('schema')!r}")
    total, total_regressed = j["total"]["change_percent"], j["total"]["verdict"] == "regression"
    failed = lambda f: f.get("verdict") == "regression"  # noqa: E731
    return {"total": total, "total_regressed": total_regressed,
            "regressions": [(f["name"], rule_of(f.get("reason", ""))) for f in j["functions"] if failed(f)],
            "targets": {f["name"][5:]: (f["flat"]["base"], f["flat"]["new"], f["flat"]["noise"],
                                        f["cum"]["base"], f["cum"]["new"], f["cum"]["noise"])
                        for f in j["functions"] if f["name"] in ("main." + t for t in TARGETS)}}


def rule_of(reason):
    m = re.match(r"(flat|cum) share .*?\((\+[\d.]+ pt|[+-]?\d+%);", reason)
    if not m:
        return "?"
    return m.group(1) + (" relative" if m.group(2).endswith("%") else " points")


def pct(k, n):
    return f"{100.0 * k / n:.1f}%" if n else "n/a"


def thresholds_text(scale):
    return ", ".join(f"{k.replace('max-', '').replace('-increase', '')} {v * scale:g}{'%' if 'relative' in k else ' pt'}"
                     for k, v in DEFAULT.items())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pprofx", default=os.path.join(ROOT, "build", "pprofx"))
    ap.add_argument("--runs", type=int, help="profiles of v1 and of each variant (default 30; --quick 6)")
    ap.add_argument("--duration", type=float, help="CPU seconds per profile (default 3; --quick 1)")
    ap.add_argument("--hz", type=int, default=100, help="CPU profile rate (Go's default 100; the kernel tick may cap it)")
    ap.add_argument("--combos", type=int, help="false-alarm combinations of 5 baselines + NEW (default 300; --quick 20)")
    ap.add_argument("--pairs", type=int, help="1-baseline pairs at most (default 1000: all of 30 runs; --quick 20)")
    ap.add_argument("--stores-per-profile", type=int, help="stores each variant profile is checked against "
                                                           "(default 10; --quick 2)")
    ap.add_argument("--max-false-alarms", type=float, default=1.0, help="percent, for the tightest thresholds")
    ap.add_argument("--check-arg", action="append", default=[], metavar="ARG",
                    help="pass ARG to every pprofx check (repeatable; --check-arg=--ignore-function=runtime\\.)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2, help="checks run in parallel")
    ap.add_argument("--keep", metavar="DIR", help="keep (and reuse) the profiles and check results in DIR")
    ap.add_argument("--markdown", metavar="FILE", help="also write the results as Markdown to FILE")
    ap.add_argument("--quick", action="store_true", help="smoke run: 6 runs of 1 s, few combinations")
    o = ap.parse_args()
    q = o.quick
    o.runs = o.runs or (6 if q else 30)
    o.duration = o.duration or (1.0 if q else 3.0)
    o.combos = o.combos or (20 if q else 300)
    o.pairs = o.pairs or (20 if q else 1000)
    o.stores_per_profile = o.stores_per_profile or (2 if q else 10)
    if o.runs < STORE + 1:
        sys.exit(f"--runs must be at least {STORE + 1} (a store of {STORE} v1 runs and a different NEW)")
    if not os.access(o.pprofx, os.X_OK):
        sys.exit(f"no pprofx at {o.pprofx}")
    t0 = time.perf_counter()

    work = os.path.abspath(o.keep) if o.keep else tempfile.mkdtemp(prefix="pprofx-bench-checkq-")
    os.makedirs(work, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="tmp-", dir=work)
    # A copy of pprofx: a rebuild of build/pprofx during the run must not mix two versions.
    pprofx = os.path.join(tmp, "pprofx")
    shutil.copy2(o.pprofx, pprofx)
    version = subprocess.run([pprofx, "--version"], capture_output=True, text=True).stdout.strip()
    version += time.strftime(", binary of %Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(o.pprofx)))
    version += f", sha256 {sha(pprofx)}"
    workload = build_workload(work)
    pdir = os.path.join(work, f"profiles-{os.path.basename(workload)[9:]}-{o.duration:g}s-{o.hz}hz")
    os.makedirs(pdir, exist_ok=True)
    t_build = time.perf_counter()
    files = collect(workload, pdir, o.runs, o.duration, o.hz)
    t_collect = time.perf_counter()
    v1 = files["v1"]

    # What the profiles hold: samples, CPU per wall second, the targets' shares.
    stats = [profile_stats(pprofx, p) for p in v1]
    per_run = [shares(pprofx, [p]) for p in v1]
    pooled = shares(pprofx, v1)
    variant_share = {config_name(v): shares(pprofx, files[config_name(v)])[v[0]] for v in VARIANTS}

    extra = sha("\0".join(o.check_arg).encode(), 8) if o.check_arg else "defaults"
    checker = Checker(pprofx, os.path.join(work, f"checks-{sha(pprofx)}-{os.path.basename(pdir)}-{extra}.json")
                      if o.keep else None, tmp, o.check_arg)
    rnd = random.Random(o.seed)
    n = o.runs
    # False alarms, 5 baselines: all combinations if few, else o.combos distinct random ones.
    total5 = math.comb(n, STORE) * (n - STORE)
    if total5 <= o.combos:
        fa5 = [(new, s) for s in itertools.combinations(range(n), STORE) for new in range(n) if new not in s]
        fa5_how = f"all {total5} combinations"
    else:
        seen = set()
        while len(seen) < o.combos:
            s = tuple(sorted(rnd.sample(range(n), STORE)))
            seen.add((rnd.choice([i for i in range(n) if i not in s]), s))
        fa5 = sorted(seen)
        fa5_how = f"{o.combos} random combinations of the {total5:,} (seed {o.seed})"
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    if len(pairs) <= o.pairs:
        fa1_how = f"all {len(pairs)} ordered pairs"
    else:
        pairs = sorted(random.Random(o.seed + 1).sample(pairs, o.pairs))
        fa1_how = f"{o.pairs} random ordered pairs of the {n * (n - 1)} (seed {o.seed + 1})"
    # Detection: variant profile i against stores[i][j], the same stores for every variant.
    srnd = random.Random(o.seed + 2)
    stores = [[tuple(sorted(srnd.sample(range(n), STORE))) for _ in range(o.stores_per_profile)] for _ in range(n)]

    jobs = [("fa5", None, new, s) for new, s in fa5] + [("fa1", None, new, (b,)) for b, new in pairs]
    for v in VARIANTS:
        jobs += [("det", config_name(v), i, s) for i in range(n) for s in stores[i]]

    def run(job):
        kind, cfg, new, s = job
        newf = v1[new] if cfg is None else files[cfg][new]
        return job, checker.critical(newf, [v1[b] for b in s])

    log(f"checking {len(jobs)} combinations (bisection over {len(GRID)} threshold scales)")
    results = {}
    with concurrent.futures.ThreadPoolExecutor(o.jobs) as ex:
        for k, (job, res) in enumerate(ex.map(run, jobs)):
            results[job] = res
            if (k + 1) % 500 == 0:
                log(f"  {k + 1}/{len(jobs)} combinations, {checker.runs} checks run, "
                    f"{time.perf_counter() - t_collect:.0f} s")
                checker.save()
    # Monotonicity, checked: a few combinations at every scale.
    vrnd = random.Random(o.seed + 3)
    sample = vrnd.sample([j for j in jobs if j[0] != "det"], 4 if q else 10) + \
        vrnd.sample([j for j in jobs if j[0] == "det"], 4 if q else 10)
    for kind, cfg, new, s in sample:
        newf = v1[new] if cfg is None else files[cfg][new]
        alarms = [checker.check(newf, [v1[b] for b in s], g)["rc"] == 3 for g in GRID]
        crit = results[(kind, cfg, new, s)][0]
        if alarms != [i <= crit for i in range(len(GRID))]:
            sys.exit(f"verdicts not monotone in the threshold scale for {newf} vs {s}: {alarms}")
    checker.save()
    t_check = time.perf_counter()

    def rate(kind, cfg, gi):
        crits = [results[j][0] for j in jobs if j[0] == kind and j[1] == cfg]
        return sum(c >= gi for c in crits), len(crits)

    fa_by_scale = [rate("fa5", None, gi) for gi in range(len(GRID))]
    ok = [gi for gi in range(len(GRID)) if 100.0 * fa_by_scale[gi][0] / fa_by_scale[gi][1] < o.max_false_alarms]
    tight = ok[0] if ok else None

    md = []
    samples = [s for s, _ in stats]
    util = [u for _, u in stats]
    md.append(f"## pprofx check: false alarms and detection ({version})\n")
    md.append(f"Workload: bench/check_workload (Go), {n} profiles each of v1 and of 6 variants, {o.duration:g} s of CPU "
              f"each at {o.hz} Hz: {min(samples)}-{max(samples)} samples (median {statistics.median(samples):g}); "
              f"CPU per wall second {min(util):.2f}-{max(util):.2f}. Stores of {STORE} v1 baselines. "
              f"False alarms: {fa5_how}; 1 baseline: {fa1_how}. Detection: each variant profile against "
              f"{o.stores_per_profile} random stores ({n * o.stores_per_profile} checks per variant)."
              + (f" Every check also has `{' '.join(o.check_arg)}`." if o.check_arg else "") + "\n")
    low = min(range(len(GRID)), key=lambda gi: (fa_by_scale[gi][0], -gi))
    ttext = (f"tightest: scale {GRID[tight]:g} ({thresholds_text(GRID[tight])})" if tight is not None
             else f"tightest: none of the scales {GRID[0]:g}..{GRID[-1]:g} keeps false alarms under "
                  f"{o.max_false_alarms:g}% (lowest {pct(*fa_by_scale[low])} at {GRID[low]:g})")
    md.append(f"| variant | share in v1 (flat, pooled) | factor | share in the variant | detected, default thresholds "
              f"| of which the target named | detected, {ttext} |")
    md.append("|---|---:|---:|---:|---:|---:|---:|")
    for v in VARIANTS:
        c = config_name(v)
        d, tot = rate("det", c, ONE)
        dt = rate("det", c, tight)[0] if tight is not None else None
        named = sum(any(nm == "main." + v[0] for nm, _ in results[j][1]["regressions"])
                    for j in jobs if j[0] == "det" and j[1] == c)
        md.append(f"| main.{v[0]} x{v[1]:g} | {pooled[v[0]][0]:.2f}% | {v[1]:g} | {variant_share[c][0]:.2f}% | "
                  f"{pct(d, tot)} ({d}/{tot}) | {pct(named, tot)} ({named}/{tot}) | "
                  f"{pct(dt, tot) + f' ({dt}/{tot})' if dt is not None else 'n/a'} |")
    for kind, label in (("fa5", f"false alarms, {STORE} baselines"), ("fa1", "false alarms, 1 baseline")):
        k, tot = rate(kind, None, ONE)
        kt = rate(kind, None, tight)[0] if tight is not None else None
        md.append(f"| {label} (v1 vs v1) | | | | {pct(k, tot)} ({k}/{tot}) | | "
                  f"{pct(kt, tot) + f' ({kt}/{tot})' if kt is not None else 'n/a'} |")

    md.append("\n### Shares of the targets in the v1 profiles (flat = cum: leaf functions)\n")
    md.append("| function | pooled flat | pooled cum | per run: mean | sd | min | max |")
    md.append("|---|---:|---:|---:|---:|---:|---:|")
    for t in TARGETS:
        xs = [r[t][0] for r in per_run]
        md.append(f"| main.{t} | {pooled[t][0]:.2f}% | {pooled[t][1]:.2f}% | {statistics.mean(xs):.2f}% | "
                  f"{statistics.stdev(xs):.2f} pt | {min(xs):.2f}% | {max(xs):.2f}% |")

    md.append("\n### Sweep: thresholds scaled together (1 = defaults: flat 2 pt, cum 5 pt, relative 50%)\n")
    md.append("| scale | false alarms, 5 baselines | 1 baseline | " + " | ".join(f"{config_name(v)}" for v in VARIANTS) + " |")
    md.append("|---:|---:|---:|" + "---:|" * len(VARIANTS))
    for gi, g in enumerate(GRID):
        cells = [pct(*fa_by_scale[gi]), pct(*rate("fa1", None, gi))] + [pct(*rate("det", config_name(v), gi))
                                                                          for v in VARIANTS]
        mark = " (defaults)" if gi == ONE else (" (tightest)" if gi == tight else "")
        md.append(f"| {g:g}{mark} | " + " | ".join(cells) + " |")

    # Why: at the default thresholds, which rules fired, and the targets' changes against their noise bounds.
    md.append("\n### Raw counts and rules, default thresholds\n")
    for kind, cfg, label in ([("fa5", None, f"false alarms, {STORE} baselines"), ("fa1", None, "false alarms, 1 baseline")]
                             + [("det", config_name(v), f"main.{v[0]} x{v[1]:g}") for v in VARIANTS]):
        rs = [results[j][1] for j in jobs if j[0] == kind and j[1] == cfg]
        fails = [r for r in rs if r["rc"] == 3]
        rules = {}
        for r in fails:
            for name, rule in r["regressions"]:
                rules[f"{name} ({rule})"] = rules.get(f"{name} ({rule})", 0) + 1
            if r["total_regressed"]:
                rules["total"] = rules.get("total", 0) + 1
        line = f"- {label}: {len(fails)}/{len(rs)} exit 3"
        if cfg:
            t = cfg.split("x")[0]
            named = sum(any(nm == "main." + t for nm, _ in r["regressions"]) for r in fails)
            rows = [r["targets"].get(t) for r in rs if t in r["targets"]]
            line += f"; the target named in {named}/{len(fails)}"
            if rows:
                med = lambda i: statistics.median(x[i] for x in rows)
                line += (f"; its flat share {med(0):.2f}% -> {med(1):.2f}% (median change "
                         f"{statistics.median(x[1] - x[0] for x in rows):+.2f} pt, noise bound {med(2):.2f} pt; "
                         f"cum change {statistics.median(x[4] - x[3] for x in rows):+.2f} pt, bound {med(5):.2f} pt; "
                         f"relative {statistics.median(100 * (x[1] - x[0]) / x[0] for x in rows if x[0] > 0):+.0f}%, "
                         f"needs > 4/3 x bound = {4 / 3 * med(2):.2f} pt)")
        if rules:
            top = sorted(rules.items(), key=lambda kv: -kv[1])[:6]
            line += "; findings: " + ", ".join(f"{k} x{c}" for k, c in top)
        totals = [r["total"] for r in rs]
        line += f"; total change {min(totals):+.1f}%..{max(totals):+.1f}%"
        md.append(line)

    t_end = time.perf_counter()
    md.append(f"\nWall time: {t_end - t0:.0f} s (build {t_build - t0:.0f} s, collection {t_collect - t_build:.0f} s, "
              f"checks {t_check - t_collect:.0f} s: {checker.runs} pprofx check runs, the rest cached).")
    text = "\n".join(md) + "\n"
    print(text)
    if o.markdown:
        with open(o.markdown, "w") as f:
            f.write(text)
    shutil.rmtree(tmp, ignore_errors=True)
    if o.keep:
        log(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
