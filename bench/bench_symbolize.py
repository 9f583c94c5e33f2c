#!/usr/bin/env python3
"""Symbolizing an address-only profile: pprofx (in process, elfutils) next to
pprof, in the same run.

The profile: N distinct addresses (default 20,000) inside the functions of one
large binary with DWARF (pprofx itself, RelWithDebInfo), mapped as a PIE at a
typical base, in samples of 8-frame stacks. It is written as a gperftools CPU
profile and converted to an address-only profile.proto with
`pprofx symbolize --symbolize=none`.

Timed, `top` on the same file:
  * pprofx top (symbolizes every location, demangles)
  * go tool pprof -top (Go 1.19: its own DWARF reader for local binaries)
  * pprof -top with binutils (upstream pprof from Debian's
    golang-github-google-pprof-dev, run with addr2line/nm/objdump on PATH)

With --go (issue 15): the same shape of profile over Go's own compiler
(cmd/compile built here from Debian's Go 1.19 sources, 24 MB with DWARF, and
the same built with -ldflags='-s -w': pclntab only), found through
PPROF_BINARY_PATH, timed against go tool pprof -top (cmd/pprof reads Go
binaries through their pclntab, without inline frames) in the same run.

Usage: bench/bench_symbolize.py [--pprofx build/pprofx] [--binary B] [--locations 20000] [--runs 3] [--go]
Needs scripts/install-deps.sh --bench.
"""
import argparse, os, random, re, resource, shutil, signal, struct, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import measure  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_segments(binary):
    out = subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True, check=True).stdout
    segs = []
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == "LOAD" and "E" in f[6:-1]:
            segs.append((int(f[1], 16), int(f[2], 16), int(f[5], 16)))  # offset, vaddr, memsz
    return segs


def functions(binary):
    out = subprocess.run(["nm", "--defined-only", "--print-size", binary], capture_output=True, text=True,
                         check=True).stdout
    fns = []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in "tT" and int(f[1], 16) > 4:
            fns.append((int(f[0], 16), int(f[1], 16)))
    return sorted(set(fns))


def write_profile(binary, n, path, base=0x555555554000, fns=None, mapped_as=None):
    (off, vaddr, memsz), = load_segments(binary)[:1]
    fns = fns or functions(binary)
    rnd = random.Random(42)
    addrs = set()
    while len(addrs) < n:
        start, size = rnd.choice(fns)
        addrs.add(base + start + rnd.randrange(1, size))
    addrs = sorted(addrs)
    rnd.shuffle(addrs)
    words = [0, 3, 0, 10000, 0]
    for i in range(0, len(addrs), 8):  # every address in exactly one stack
        chunk = addrs[i:i + 8]
        stack = chunk[:1] + [a + 1 for a in chunk[1:]]  # callers are return addresses (pprof subtracts 1)
        words += [rnd.randrange(1, 20), len(stack)] + stack
    words += [0, 1, 0]
    page = 4096
    start = base + (vaddr & ~(page - 1))
    limit = base + ((vaddr + memsz + page - 1) & ~(page - 1))
    maps = f"{start:x}-{limit:x} r-xp {off & ~(page - 1):08x} 00:00 0 {mapped_as or binary}\n"
    with open(path, "wb") as f:
        f.write(struct.pack(f"<{len(words)}Q", *words))
        f.write(maps.encode())


def go_functions(binary):
    out = subprocess.run(["go", "tool", "nm", "-size", "-sort", "address", binary], capture_output=True, text=True,
                         check=True).stdout
    fns = []
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 4 and f[2] in "tT" and int(f[1]) > 4:
            fns.append((int(f[0], 16), int(f[1])))
    return sorted(set(fns))


def bench_go(o):
    """Go binaries: pprofx vs go tool pprof -top, DWARF and stripped."""
    work = tempfile.mkdtemp(prefix="pprofx-bench-sym-go-")
    env = dict(os.environ, GO111MODULE="off", GOFLAGS="", GOCACHE=os.path.join(work, "gocache"))
    rows, tops = [], {}
    for kind, flags in (("DWARF + pclntab", []), ("stripped: -s -w, pclntab only", ["-ldflags=-s -w"])):
        d = os.path.join(work, "bin-" + str(len(rows)))
        os.makedirs(d)
        binary = os.path.join(d, "compile")
        subprocess.run(["go", "build"] + flags + ["-o", binary, "cmd/compile"], env=env, check=True)
        if not rows:
            fns = go_functions(binary)
            text = load_segments(binary)[0]
        legacy = os.path.join(d, "addr.cpu")
        # Non-PIE: mapped at its link address; the file is found by name under PPROF_BINARY_PATH.
        write_profile(binary, o.locations, legacy, base=0, fns=fns, mapped_as="/nonexistent/compile")
        proto = os.path.join(d, "addr.pb.gz")
        subprocess.run([o.pprofx, "symbolize", "--symbolize=none", legacy, "-o", proto], check=True)
        penv = dict(os.environ, PPROF_BINARY_PATH=d, HOME=work, PPROF_TMPDIR=work)
        size = os.path.getsize(binary) / 1e6
        t, rss = measure(["env", f"PPROF_BINARY_PATH={d}", o.pprofx, "top", "-n", "5", proto], o.runs)
        g, grss = measure(["env", f"PPROF_BINARY_PATH={d}", f"HOME={work}", "go", "tool", "pprof", "-top",
                           "-nodecount=5", proto], o.runs)
        rows.append((kind, size, t, rss, g, grss))
        tops[kind] = (subprocess.run([o.pprofx, "top", "-n", "30", "--nodefraction=0", proto], capture_output=True,
                                     text=True, env=penv).stdout,
                      subprocess.run(["go", "tool", "pprof", "-top", "-nodecount=30", "-nodefraction=0", proto],
                                     capture_output=True, text=True, env=penv).stdout)
    print(f"# {o.locations} addresses in Go 1.19's cmd/compile; median of {o.runs} runs each, same run")
    print("| binary | size | pprofx top | peak RSS | go tool pprof -top | peak RSS | go tool pprof / pprofx |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, size, t, rss, g, grss in rows:
        print(f"| {kind} | {size:.1f} MB | {t * 1000:,.0f} ms | {rss:,.0f} MB | {g * 1000:,.0f} ms | {grss:,.0f} MB | "
              f"{g / t:.1f}x |")
    row = re.compile(r"^\s*\S+\s+\S+%\s+\S+%\s+\S+\s+\S+%\s+(.*)$")
    names = lambda s: [m.group(1) for m in map(row.match, s.splitlines()) if m]
    a, b = names(tops["DWARF + pclntab"][0]), names(tops["stripped: -s -w, pclntab only"][0])
    print(f"pprofx: top 30 rows identical with and without DWARF: {a == b and len(a) == 30}")
    g = names(tops["DWARF + pclntab"][1])
    same = len(set(a) & set(g))
    print(f"pprofx vs go tool pprof: {same} of go tool pprof's {len(g)} top functions are in pprofx's top {len(a)} "
          f"(go tool pprof has no inline frames: an inlined address counts for its outermost function)")
    if o.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if a == b else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pprofx", default=os.path.join(ROOT, "build", "pprofx"))
    ap.add_argument("--binary", help="binary to symbolize against (default: a copy of --pprofx)")
    ap.add_argument("--locations", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=600, help="stop a reference run after this many seconds")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (profile, binary)")
    ap.add_argument("--go", action="store_true", help="Go binaries (cmd/compile) against go tool pprof")
    o = ap.parse_args()
    if o.go:
        return bench_go(o)
    work = tempfile.mkdtemp(prefix="pprofx-bench-sym-")
    binary = os.path.join(work, "target")
    shutil.copy(o.binary or o.pprofx, binary)
    legacy = os.path.join(work, "addr.cpu")
    write_profile(binary, o.locations, legacy)
    proto = os.path.join(work, "addr.pb.gz")
    subprocess.run([o.pprofx, "symbolize", "--symbolize=none", legacy, "-o", proto], check=True)
    info = subprocess.run([o.pprofx, "info", proto], capture_output=True, text=True).stdout
    nloc = re.search(r"(\d[\d,]*) locations", info)

    # Reference pprof with binutils only.
    env = dict(os.environ, GOPATH="/usr/share/gocode", GO111MODULE="off")
    pprof = os.path.join(work, "pprof")
    subprocess.run(["go", "build", "-o", pprof, "github.com/google/pprof"], env=env, check=True)
    tools = os.path.join(work, "binutils")
    os.makedirs(tools)
    for t in ("addr2line", "nm", "objdump"):
        os.symlink(shutil.which(t), os.path.join(tools, t))
    clean = dict(os.environ, HOME=work, PPROF_TMPDIR=work)

    print(f"# {o.locations} addresses in {os.path.basename(o.binary or o.pprofx)} "
          f"({os.path.getsize(binary) / 1e6:.1f} MB with DWARF); {nloc.group(0) if nloc else '?'}; "
          f"pprofx: median of {o.runs} runs; the pprof runs once each")
    rows = []
    t, rss = measure([o.pprofx, "top", "-n", "5", proto], o.runs)
    rows.append(("pprofx top", t, rss))
    # The references take minutes: one run each, stopped after --timeout.
    def once(cmd):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            proc.wait(timeout=o.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return None, None
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.perf_counter() - start, usage.ru_maxrss / 1024
    rows.append(("pprof -top with binutils (addr2line)",) +
                once(f"PATH={tools} HOME={work} {pprof} -top -nodecount=5 {proto}"))
    rows.append(("go tool pprof -top (Go's own DWARF reader)",) + once(f"go tool pprof -top -nodecount=5 {proto}"))
    print("| tool | time | peak RSS | vs pprofx |\n|---|---:|---:|---:|")
    for name, secs, mb in rows:
        if secs is None:
            print(f"| {name} | > {o.timeout:,} s (stopped) | | > {o.timeout / rows[0][1]:,.0f}x |")
        else:
            print(f"| {name} | {secs * 1000:,.0f} ms | {mb:,.0f} MB | {secs / rows[0][1]:.1f}x |")

    # Same names? Compare the function names of the top 30 rows.
    px = subprocess.run([o.pprofx, "top", "-n", "30", proto], capture_output=True, text=True).stdout
    bu = subprocess.run([pprof, "-top", "-nodecount=30", proto], capture_output=True, text=True,
                        env=dict(clean, PATH=tools)).stdout
    row = re.compile(r"^\s*\S+\s+\S+%\s+\S+%\s+\S+\s+\S+%\s+(.*)$")
    names = lambda s: [m.group(1) for m in map(row.match, s.splitlines()) if m]
    same = names(px) == names(bu)
    print(f"top 30 rows identical to pprof with binutils: {same}")
    if o.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
