#!/usr/bin/env python3
"""Symbolization and legacy formats with real producers.

Builds tests/symbolize's program (a PIE calling into a shared library, -O2 -g)
with the system compiler, profiles it with gperftools' CPU profiler and
tcmalloc's heap profiler (Debian's libgoogle-perftools-dev) to get real legacy
profiles, and checks pprofx against pprof resolving through binutils
(upstream pprof built from Debian's golang-github-google-pprof-dev, run with
addr2line/nm/objdump only on its PATH; `go tool pprof` itself symbolizes with
Go's own DWARF reader, which knows no inlining or C++ linkage names):

  * `pprofx top` equals pprof's -top on the CPU and heap profiles, and on an
    address-only protobuf of the same data (PIE and shared-library mappings);
  * the program's own functions get their names, the inlined one marked;
  * `pprofx symbolize` writes a profile that `go tool pprof -top` shows with
    the same names and numbers as `pprofx top`;
  * binaries moved away are reported in one line and found with --binary-path
    or PPROF_BINARY_PATH;
  * pprofx's demangler agrees with pprof's (github.com/ianlancetaylor/demangle)
    on the mangled names of real libraries.

Usage: symbolize_test.py --pprofx BIN --demangle-tool BIN [--keep DIR]
"""
import argparse, glob, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
    return ok


def run(argv, env=None, cwd=None):
    r = subprocess.run(argv, capture_output=True, env=env, cwd=cwd)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def must(argv, env=None, cwd=None):
    code, out, err = run(argv, env, cwd)
    if code != 0:
        sys.exit(f"FAIL: {' '.join(argv)} exited {code}: {err.strip()}")
    return out


def norm(text):
    return "\n".join(l.rstrip() for l in text.strip().splitlines())


def find_lib(name):
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"):
        for f in sorted(glob.glob(os.path.join(d, name + "*"))):
            return f
    sys.exit(f"FAIL: {name} not found: run scripts/install-deps.sh --tests (libgoogle-perftools-dev)")


def build_reference_pprof(work):
    """Upstream pprof from Debian's source package, and a PATH with binutils only."""
    gopath = "/usr/share/gocode"
    if not os.path.isdir(os.path.join(gopath, "src/github.com/google/pprof")):
        sys.exit("FAIL: golang-github-google-pprof-dev is missing: run scripts/install-deps.sh --tests")
    env = dict(os.environ, GOPATH=gopath, GO111MODULE="off", GOFLAGS="")
    env.setdefault("GOCACHE", os.path.join(work, "gocache") if "HOME" not in os.environ else
                   os.path.join(os.environ["HOME"], ".cache", "go-build"))
    pprof = os.path.join(work, "pprof")
    must(["go", "build", "-o", pprof, "github.com/google/pprof"], env=env)
    # The demangler of go tool pprof 1.19 (its vendored copy, newer than Debian's
    # golang-github-ianlancetaylor-demangle-dev: it knows Rust).
    goroot = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True).stdout.strip()
    vendored = os.path.join(goroot, "src/cmd/vendor/github.com/ianlancetaylor/demangle")
    oracle_path = os.path.join(work, "oracle-gopath")
    link = os.path.join(oracle_path, "src/github.com/ianlancetaylor/demangle")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if not os.path.exists(link):
        os.symlink(vendored if os.path.isdir(vendored) else os.path.join(gopath, "src/github.com/ianlancetaylor/demangle"),
                   link)
    oracle = os.path.join(work, "demangle-oracle")
    must(["go", "build", "-o", oracle, "."], env=dict(env, GOPATH=oracle_path), cwd=os.path.join(HERE, "demangle-oracle"))
    tools = os.path.join(work, "binutils")
    shutil.rmtree(tools, ignore_errors=True)
    os.makedirs(tools)
    for t in ("addr2line", "nm", "objdump"):
        path = shutil.which(t)
        if not path:
            sys.exit(f"FAIL: {t} not found: run scripts/install-deps.sh --tests (binutils)")
        os.symlink(path, os.path.join(tools, t))
    return pprof, oracle, tools


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pprofx", required=True)
    ap.add_argument("--demangle-tool", required=True)
    ap.add_argument("--keep", help="work in this directory and keep it")
    o = ap.parse_args()
    pprofx = os.path.abspath(o.pprofx)
    work = os.path.abspath(o.keep) if o.keep else tempfile.mkdtemp(prefix="pprofx-symbolize-")
    os.makedirs(work, exist_ok=True)
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir, exist_ok=True)

    # The program: a PIE and a shared library, optimised, with DWARF.
    cxx = os.environ.get("CXX_FOR_TESTS", "c++")
    lib = os.path.join(bindir, "libsymwork.so")
    prog = os.path.join(bindir, "symwork")
    must([cxx, "-O2", "-g", "-fPIC", "-shared", "-o", lib, os.path.join(HERE, "shared_work.cc")])
    must([cxx, "-O2", "-g", "-fPIE", "-pie", "-o", prog, os.path.join(HERE, "cpu_workload.cc"),
          "-L" + bindir, "-lsymwork", "-Wl,-rpath,$ORIGIN"])

    # Real legacy profiles from gperftools.
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ASAN", "LSAN", "UBSAN", "LD_PRELOAD"))}
    cpu = os.path.join(work, "symwork.cpu")
    must([prog, "1.5"], env=dict(clean, CPUPROFILE=cpu, CPUPROFILE_FREQUENCY="500",
                                 LD_PRELOAD=find_lib("libprofiler.so")))
    heap_prefix = os.path.join(work, "symwork")
    must([prog, "0.2"], env=dict(clean, HEAPPROFILE=heap_prefix, LD_PRELOAD=find_lib("libtcmalloc.so")))
    heaps = sorted(glob.glob(heap_prefix + ".*.heap"))
    check(bool(heaps), "tcmalloc wrote a heap profile")
    heap = heaps[-1]
    check(open(cpu, "rb").read(8) == b"\0" * 8, "the CPU profile is gperftools' binary format")
    check(open(heap, "rb").read(13) == b"heap profile:", "the heap profile is the legacy text format")

    pprof, oracle, tools = build_reference_pprof(work)
    ref_env = dict(clean, PATH=tools, HOME=work, PPROF_TMPDIR=work, PPROF_BINARY_PATH=os.path.join(work, "none"))
    px_env = dict(os.environ, PPROF_BINARY_PATH=os.path.join(work, "none"))

    def compare(label, path, *args, only=None):
        """`only`: compare just the rows containing it (file paths of system
        libraries differ: addr2line prints "??:?" or "malloc/malloc/malloc.c"
        where the DWARF says "malloc/malloc.c")."""
        code, want, werr = run([pprof, "-top"] + list(args) + [path], env=ref_env)
        if code != 0:
            return check(False, f"{label}: pprof failed: {werr.strip()}")
        pargs = list(args)  # pprofx takes pprof's single-dash spellings
        code, got, gerr = run([pprofx, "top"] + pargs + [path], env=px_env)
        pick = (lambda t: "\n".join(l for l in norm(t).splitlines() if only in l)) if only else norm
        ok = code == 0 and pick(got) == pick(want) and (not only or only in got)
        if not ok:
            print(f"--- pprof -top {' '.join(args)}\n{want}\n--- pprofx top\n{got}{gerr}")
        check(ok, f"{label}: pprofx top {' '.join(pargs)} equals pprof (binutils) -top")
        check("pprofx: warning" not in gerr, f"{label}: no warning when every binary is found ({gerr.strip()})")
        return got

    top_cpu = compare("legacy CPU profile", cpu, "-nodefraction=0")
    compare("legacy CPU profile (lines of the program's own files)", cpu, "-lines", "-nodefraction=0",
            only="tests/symbolize/")
    check("workload::mix_inlined (inline)" in top_cpu, "the inlined function is named and marked inline")
    for name in ("workload::hash_loop", "workload::sum_squares", "shared_hot", "main"):
        check(f"  {name}\n" in top_cpu + "\n", f"the CPU profile names {name}")
    top_heap = compare("legacy heap profile", heap, "-sample_index=inuse_space", "-nodefraction=0")
    compare("legacy heap profile", heap, "-sample_index=alloc_objects", "-nodefraction=0")
    check("workload::allocate_blocks" in top_heap, "the heap profile names the allocation site")

    # An address-only protobuf of the same samples: PIE and shared-library mappings.
    addr = os.path.join(work, "addr.pb.gz")
    must([pprofx, "symbolize", "--symbolize=none", cpu, "-o", addr])
    # Every node (-nodefraction=0): how many samples land in the library is the
    # sampler's choice, and the default fraction can hide its few.
    _, raw, _ = run([pprofx, "top", "--symbolize=none", "--nodefraction=0", addr])
    ok = "workload::" not in raw and "[libsymwork.so]" in raw and "[symwork]" in raw
    if not ok:
        print(f"--- pprofx top --symbolize=none --nodefraction=0 addr.pb.gz\n{raw}")
    check(ok, "--symbolize=none keeps an address-only profile address-only")
    top_addr = compare("address-only protobuf", addr, "-nodefraction=0")
    check(norm(top_addr) == norm(top_cpu), "the address-only protobuf symbolizes like the legacy file")

    # pprofx symbolize: what go tool pprof then shows.
    sym = os.path.join(work, "sym.pb.gz")
    must([pprofx, "symbolize", cpu, "-o", sym])
    code, go_top, err = run(["go", "tool", "pprof", "-top", "-nodefraction=0", sym],
                            env=dict(clean, HOME=work, PPROF_BINARY_PATH=os.path.join(work, "none")))
    _, px_top, _ = run([pprofx, "top", "--nodefraction=0", sym])
    ok = code == 0 and norm(go_top) == norm(px_top) == norm(top_cpu)
    if not ok:
        print(f"--- go tool pprof -top sym.pb.gz\n{go_top}{err}\n--- pprofx top sym.pb.gz\n{px_top}")
    check(ok, "go tool pprof -top on pprofx's symbolized profile shows pprofx's names and numbers")

    # Binaries moved away: one line saying what and why; found again on the search path.
    moved = os.path.join(work, "moved")
    shutil.move(bindir, moved)
    code, out, err = run([pprofx, "top", cpu], env=px_env)
    lines = err.strip().splitlines()
    check(code == 0 and len(lines) == 1 and "symwork" in lines[0] and "libsymwork.so" in lines[0]
          and "No such file" in lines[0] and "--binary-path" in lines[0],
          f"missing binaries are named in one warning line ({err.strip()})")
    check("[symwork]" in out, "unresolved frames show their binary")
    _, out, err = run([pprofx, "top", "--nodefraction=0", "--binary-path", moved, cpu], env=px_env)
    check(norm(out) == norm(top_cpu) and not err, "--binary-path DIR finds the binaries by base name")
    _, out, err = run([pprofx, "top", "--nodefraction=0", cpu], env=dict(os.environ, PPROF_BINARY_PATH=moved))
    check(norm(out) == norm(top_cpu) and not err, "PPROF_BINARY_PATH finds them too")
    shutil.move(moved, bindir)

    # Demangling: pprofx against pprof's demangler on real libraries' symbols.
    names = set()
    for so in ("libstdc++.so.6", "libprotobuf.so", "libre2.so"):
        for path in glob.glob(f"/usr/lib/x86_64-linux-gnu/{so}*")[:1]:
            _, out, _ = run(["nm", "-D", "--defined-only", path])
            names.update(l.split()[-1].split("@")[0] for l in out.splitlines() if len(l.split()) >= 3)
    names.update(["_ZN4core3fmt5write17h0123456789abcdefE", "std::vector<int>::push_back(int const&)",
                  "main.(*T[...]).M", "com.example.Foo.<init>", "plain_c_function"])
    text = "\n".join(sorted(names)) + "\n"
    want = subprocess.run([oracle], input=text.encode(), capture_output=True).stdout.decode().splitlines()
    got = subprocess.run([o.demangle_tool], input=text.encode(), capture_output=True).stdout.decode().splitlines()
    for mode in ("default", "templates", "full"):
        w = [l for l in want if l.startswith(mode + "\t")]
        g = [l for l in got if l.startswith(mode + "\t")]
        same = sum(1 for a, b in zip(w, g) if a == b)
        differ = [b for a, b in zip(w, g) if a != b]
        for d in differ[:3]:
            print(f"     differs ({mode}): {d[:200]}")
        check(len(w) == len(g) and len(w) > 5000 and same >= 0.995 * len(w),
              f"demangle={mode}: {same} of {len(w)} names as pprof demangles them")

    if not o.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"symbolize: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
