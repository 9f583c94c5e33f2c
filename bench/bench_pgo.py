#!/usr/bin/env python3
"""pprofx pgo (issue 15, point 5): time and size of `pprofx pgo` on a fleet of CPU profiles,
beside `pprofx merge` and `go tool pprof -proto` merging the same fleet, in the same run.

Fleets: (1) the Go test program (tests/symbolize/go, built with Go 1.23) run N times for S
seconds each, every instance under its own pprof.Do label and each round under a route label;
(2) the corpus's golang.default.pgo (the Go compiler's own PGO profile) given 8 times, each with
a different weight (FILE@1..8), when ../shared is there. For each: bytes of the inputs, of
pprofx merge's output, of go tool pprof -proto's merge, of pprofx pgo's output, median wall
time and peak RSS of each; and whether Go 1.23's `go tool preprofile` reads the same call
edges from the merge and from pgo's output (hot set, and identical text).

Usage: bench/bench_pgo.py [--build build] [--runs 5] [--instances 8] [--seconds 2] [--shared ../shared]
Needs: scripts/install-deps.sh --tests (golang-1.23-go) and --bench (golang-go for go tool pprof).
"""
import argparse, os, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import benchlib  # noqa: E402

GO123 = "/usr/lib/go-1.23/bin/go"


def preprofile(path, work):
    out = os.path.join(work, "pre.txt")
    subprocess.run([GO123, "tool", "preprofile", "-i", path, "-o", out], check=True, capture_output=True)
    return open(out).read()


def hot(text):
    lines = text.split("\n")[1:]
    edges = [(int(lines[i + 2].split()[1]), lines[i], lines[i + 1], lines[i + 2].split()[0])
             for i in range(0, len(lines) - 2, 3)]
    total, cum = sum(e[0] for e in edges), 0
    for i, e in enumerate(edges):
        cum += e[0]
        if cum / total * 100 > 99:
            return edges[:i + 1]
    return edges


def fleet_row(name, inputs, args, pprofx, runs, work):
    """inputs: files (for merge and go tool pprof); args: pgo's arguments (FILE or FILE@W)."""
    merged, gomerged, out = (os.path.join(work, n) for n in ("merged.pb.gz", "go-merged.pb.gz", "out.pgo"))
    t_merge, m_merge = benchlib.measure([pprofx, "merge", *inputs, "-o", merged], runs)
    gocmd = "go tool pprof -proto " + " ".join(inputs) + " > " + gomerged + " 2>/dev/null"
    t_go, m_go = benchlib.measure(gocmd, runs)
    t_pgo, m_pgo = benchlib.measure([pprofx, "pgo", *args, "-o", out], runs)
    t_pgo_m, m_pgo_m = benchlib.measure([pprofx, "pgo", merged, "-o", out + ".m"], runs)
    same = ""
    if os.access(GO123, os.X_OK) and args == inputs:
        a, b = preprofile(merged, work), preprofile(out, work)
        same = f"hot set {'same' if hot(a) == hot(b) else 'DIFFERS'}, text {'identical' if a == b else 'differs'}"
    size = lambda p: os.path.getsize(p)
    print(f"\n{name}: {len(inputs)} inputs, {sum(map(size, inputs)):,} bytes")
    print("| step | output bytes | pprofx merge / this | time (median) | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    print(f"| pprofx merge | {size(merged):,} | 1.00x | {t_merge * 1000:.0f} ms | {m_merge:.0f} MB |")
    print(f"| go tool pprof -proto (merge, Go 1.19) | {size(gomerged):,} | {size(merged) / size(gomerged):.2f}x |"
          f" {t_go * 1000:.0f} ms | {m_go:.0f} MB |")
    print(f"| pprofx pgo (the inputs) | {size(out):,} | {size(merged) / size(out):.2f}x | {t_pgo * 1000:.0f} ms |"
          f" {m_pgo:.0f} MB |")
    print(f"| pprofx pgo (the merge) | {size(out + '.m'):,} | {size(merged) / size(out + '.m'):.2f}x |"
          f" {t_pgo_m * 1000:.0f} ms | {m_pgo_m:.0f} MB |")
    if same:
        print(f"Go 1.23 preprofile, merge vs pgo output: {same}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=5)
    # The defaults are ctest pgo's fleet: 32 instances x 1.5 s at 1000 Hz, two at a time.
    ap.add_argument("--instances", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=1.5)
    ap.add_argument("--hz", type=int, default=1000, help="GOWORK_HZ: the test program's CPU profile rate")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    o = ap.parse_args()
    pprofx = os.path.join(o.build, "pprofx")
    if not os.access(GO123, os.X_OK) or shutil.which("go") is None:
        sys.exit(f"bench_pgo: needs {GO123} (install-deps.sh --tests) and go (install-deps.sh --bench)")
    work = tempfile.mkdtemp(prefix="pprofx-bench-pgo-")
    try:
        env = dict(os.environ, GO111MODULE="off", GOFLAGS="", CGO_ENABLED="0", GOPATH=os.path.join(work, "gopath"))
        binary = os.path.join(work, "gowork")
        subprocess.run([GO123, "build", "-o", binary, "."], check=True, env=env, cwd=os.path.join(ROOT, "tests", "symbolize", "go"))
        fleet = []
        for first in range(0, o.instances, 2):
            procs = []
            for i in range(first, min(first + 2, o.instances)):
                fleet.append(os.path.join(work, f"cpu{i}.pb.gz"))
                procs.append(subprocess.Popen([binary, str(o.seconds), fleet[-1], os.path.join(work, f"heap{i}.pb.gz")],
                                              env=dict(os.environ, GOWORK_LABELS=f"instance,host-{i}", GOWORK_HZ=str(o.hz)),
                                              stderr=subprocess.DEVNULL))  # the rate warning
            if any(p.wait() != 0 for p in procs):
                sys.exit("bench_pgo: the test program failed")
        fleet_row(f"the test program, {o.instances} instances x {o.seconds:g} s at {o.hz} Hz (Go 1.23, labels)", fleet, fleet,
                  pprofx, o.runs, work)
        big = os.path.join(o.shared, "corpus", "external", "golang.default.pgo")
        if os.path.exists(big):
            fleet_row("golang.default.pgo x 8, weights 1..8", [big] * 8, [f"{big}@{w}" for w in range(1, 9)],
                      pprofx, o.runs, work)
            fleet_row("golang.default.pgo alone", [big], [big], pprofx, o.runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
