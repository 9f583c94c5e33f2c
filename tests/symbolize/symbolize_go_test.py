#!/usr/bin/env python3
"""Go symbolization with a real producer (issue 15).

Builds tests/symbolize/go (GOPATH mode, standard library only, no network)
four ways: default, -trimpath, -buildmode=pie and -ldflags='-s -w' (no DWARF,
no symbol table: only the runtime's .gopclntab), and a fifth with cgo when a C
compiler is installed (external linking; the C part has gcc's DWARF). Each build profiles itself
with runtime/pprof (CPU, then heap). A copy of each profile has its names
stripped (mappings and addresses kept; functions, lines and the mappings'
has_* flags dropped), and pprofx symbolizes it against the binary found
through PPROF_BINARY_PATH. Then, for every build and profile:

  * `pprofx top` (functions and --granularity lines, every node) of the
    symbolized copy equals `pprofx top` of the runtime-symbolized original,
    inline markers included;
  * `pprofx raw`'s locations (addresses, functions, files, lines, inline
    frames) are the original's;
  * `pprofx symbolize` writes Function.start_line, and it is each of the
    program's functions' `func` line; `merge` keeps it;
  * DWARF alone gives the same (default and PIE builds, a copy whose pclntab
    magic is zeroed): the runtime's frames plus the method wrappers only the
    pclntab's funcIDs can elide;
  * cgo: an address inside the C function is named with addr2line's name,
    file and line (the runtime's profile has no C frames: it has no C
    traceback);
  * with Go 1.20+ on PATH, `go build -pgo=` accepts the symbolized profile
    (Go 1.19, Debian 12's, has no -pgo: said, not failed);
  * Go 1.23 (/usr/lib/go-1.23/bin/go, Debian 12 backports) builds the
    default and the -ldflags='-s -w' binaries too, so the 1.20+ pclntab
    layout is read from a real binary; the same checks, and go build -pgo
    accepts its symbolized CPU profile. Without it that is said, not failed.

Exit 77 (ctest skip) only when `go` is missing.
Usage: symbolize_go_test.py PPROFX [--keep DIR]
"""
import argparse, gzip, os, re, shutil, struct, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from wire import field, raw_fields, read_varint  # noqa: E402

failures = []
BUILDS = {
    "default": [],
    "trimpath": ["-trimpath"],
    "pie": ["-buildmode=pie"],
    "stripped": ["-ldflags=-s -w"],
    "cgo": ["-tags", "pprofxcgo"],  # externally linked, C with gcc's DWARF; when a C compiler is there
}


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


def payload(raw):
    _, i = read_varint(raw, 0)
    n, i = read_varint(raw, i)
    return raw[i:i + n]


def strip_names(src, dst):
    """Profile.function (5) dropped, Location.line (4) and Mapping.has_* (7-10)."""
    data = open(src, "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    out = bytearray()
    for num, raw in raw_fields(data):
        if num == 5:
            continue
        if num == 4:
            out += field(4, b"".join(r for n, r in raw_fields(payload(raw)) if n != 4))
        elif num == 3:
            out += field(3, b"".join(r for n, r in raw_fields(payload(raw)) if n not in (7, 8, 9, 10)))
        else:
            out += raw
    with open(dst, "wb") as f:
        f.write(gzip.compress(bytes(out), mtime=0))


def locations(raw_text, keep_start=False):
    lines = raw_text.split("Locations\n", 1)[-1].split("Mappings\n", 1)[0].splitlines()
    return [l if keep_start else re.sub(r" s=-?\d+", "", l) for l in lines]


def func_lines(directory, cgo):
    """name -> line of `func name` in the program's files of this build."""
    out = {}
    for source in sorted(os.listdir(directory)):
        if source.endswith(".go") and source != ("work_nocgo.go" if cgo else "work_cgo.go"):
            for n, line in enumerate(open(os.path.join(directory, source)), 1):
                m = re.match(r"func (\w+)", line)
                if m:
                    out["main." + m.group(1)] = n
    return out


def legacy_cpu_profile(binary, address, path):
    """A gperftools CPU profile with one sample at `address` and the binary's text mapping."""
    _, out, _ = run(["readelf", "-lW", binary])
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == "LOAD" and "E" in f[6:-1]:
            off, vaddr, memsz = int(f[1], 16), int(f[2], 16), int(f[5], 16)
            break
    page = 4096
    start, limit = vaddr & ~(page - 1), (vaddr + memsz + page - 1) & ~(page - 1)
    words = [0, 3, 0, 10000, 0, 5, 1, address, 0, 1, 0]
    with open(path, "wb") as f:
        f.write(struct.pack(f"<{len(words)}Q", *words))
        f.write(f"{start:x}-{limit:x} r-xp {off & ~(page - 1):08x} 00:00 0 {binary}\n".encode())


def without_pclntab(binary, dst):
    """A copy of binary whose .gopclntab magic is zeroed (DWARF stays)."""
    _, out, _ = run(["readelf", "-SW", binary])
    m = re.search(r"\]\s+\S*gopclntab\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+)", out)
    data = bytearray(open(binary, "rb").read())
    off = int(m.group(1), 16)
    data[off:off + 4] = b"\0\0\0\0"
    open(dst, "wb").write(data)


def frames_of(location_lines):
    """raw's locations as lists of 'function file:line' frames, without addresses."""
    out, cur = [], None
    for l in location_lines:
        m = re.match(r"\s+\d+: 0x[0-9a-f]+ M=\d+ (.*)", l)
        if m:
            cur = [m.group(1).strip()]
            out.append(cur)
        elif cur is not None and l.strip():
            cur.append(l.strip())
    return out


GO123 = "/usr/lib/go-1.23/bin/go"  # Debian 12 backports (install-deps.sh --tests): the 1.20+ pclntab layout


def go_minor(go="go"):
    code, out, _ = run([go, "env", "GOVERSION"])
    m = re.match(r"go1\.(\d+)", out.strip()) if code == 0 else None
    return int(m.group(1)) if m else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pprofx")
    ap.add_argument("--keep", help="work in this directory and keep it")
    o = ap.parse_args()
    if shutil.which("go") is None:
        print("skip: go is not installed (scripts/install-deps.sh --tests installs golang-go)")
        return 77
    pprofx = os.path.abspath(o.pprofx)
    work = os.path.abspath(o.keep) if o.keep else tempfile.mkdtemp(prefix="pprofx-symbolize-go-")
    os.makedirs(work, exist_ok=True)
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir, exist_ok=True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ASAN", "LSAN", "UBSAN", "LD_PRELOAD"))}
    genv = dict(clean, GO111MODULE="off", GOFLAGS="", CGO_ENABLED="0", GOPATH=os.path.join(work, "gopath"),
                GOCACHE=os.path.join(work, "gocache"))
    src = os.path.join(HERE, "go")
    px_env = dict(os.environ, PPROF_BINARY_PATH=bindir)
    _, cc, _ = run(["go", "env", "CC"], env=genv)

    toolchains = [("go", "", list(BUILDS))]
    if os.access(GO123, os.X_OK):
        toolchains.append((GO123, "go1.23-", ["default", "stripped"]))
    else:
        print(f"note: {GO123} absent: no Go 1.20+ binary (1.20 pclntab layout) is tested "
              "(scripts/install-deps.sh --tests installs golang-1.23-go)")
    for go, prefix, build in ((g, p, b) for g, p, bs in toolchains for b in bs):
        flags = BUILDS[build]
        binary = os.path.join(bindir, "gowork-" + prefix + build)
        starts = func_lines(src, build == "cgo")
        benv = genv
        if build == "cgo":
            if not shutil.which(cc.strip() or "gcc"):
                print(f"note: no C compiler ({cc.strip() or 'gcc'}): the cgo build is not tested")
                continue
            benv = dict(genv, CGO_ENABLED="1")
        must([go, "build"] + flags + ["-o", binary, "."], env=benv, cwd=src)
        if build == "cgo":
            sym = [l.split() for l in must(["nm", binary]).splitlines() if l.endswith(" c_spin")]
            want_c = must(["addr2line", "-f", "-e", binary, hex(int(sym[0][0], 16) + 8)]).split() if sym else []
            prof = os.path.join(work, "cgo.legacy.cpu")
            if sym:
                legacy_cpu_profile(binary, int(sym[0][0], 16) + 8, prof)
            _, got_c, err = run([pprofx, "top", "--granularity", "lines", prof]) if sym else (1, "", "")
            row = [l for l in got_c.splitlines() if "c_spin" in l]
            # The same function and line as addr2line; the file is the Go source the C came from (cgo's
            # #line directive, as libdw reads the line table; binutils 2.40 names the generated
            # work_cgo.cgo2.c instead).
            ok = (len(want_c) == 2 and len(row) == 1 and row[0].split()[-2] == want_c[0] and
                  row[0].split()[-1] == os.path.join(src, "work_cgo.go") + ":" + want_c[1].split(":")[-1])
            check(ok, f"cgo: an address in the C function c_spin has addr2line's function and line {want_c} "
                      f"({row}{err.strip()})")
            # Without DWARF (strip --strip-debug keeps the symbol table) the C function, which the
            # pclntab does not know, is named from the symbol table.
            nodebug = os.path.join(work, "nodebug")
            os.makedirs(nodebug, exist_ok=True)
            must(["objcopy", "--strip-debug", binary, os.path.join(nodebug, os.path.basename(binary))])
            _, got_c, err = run([pprofx, "top", "--binary-path", nodebug, prof]) if sym else (1, "", "")
            check(sym and any(l.split()[-1:] == ["c_spin"] for l in got_c.splitlines()),
                  f"cgo without DWARF: the C function is named from the symbol table ({got_c.strip()[-200:]}{err.strip()})")
        cpu, heap = os.path.join(work, prefix + build + ".cpu.pb.gz"), os.path.join(work, prefix + build + ".heap.pb.gz")
        must([binary, "1.5", cpu, heap], env=clean)
        if build != "stripped":  # the stripped build has default's functions and no symbols to list
            minor = go_minor(go)
            out_of_line = {re.sub(r"\[.*\]", "", l.split()[-1]) for l in must([go, "tool", "nm", binary]).splitlines()
                           if len(l.split()) >= 3 and l.split()[-2] in ("T", "t")}
        if build == "stripped":
            _, sections, _ = run(["readelf", "-SW", binary])
            check(".gopclntab" in sections and ".debug_info" not in sections and ".symtab" not in sections,
                  "stripped: the binary has .gopclntab only (no DWARF, no symbol table)")
        for kind, path in (("cpu", cpu), ("heap", heap)):
            label = f"{prefix}{build} {kind}"
            addr = path.replace(".pb.gz", ".addr.pb.gz")
            strip_names(path, addr)
            _, bare, _ = run([pprofx, "top", "--symbolize=none", "--nodefraction=0", addr])
            check("main." not in bare and f"[gowork-{prefix}{build}]" in bare, f"{label}: the stripped copy has no names")
            for gran in ("functions", "lines"):
                args = ["top", "--nodefraction=0", "--granularity", gran]
                code, want, werr = run([pprofx] + args + [path])
                code2, got, gerr = run([pprofx] + args + [addr], env=px_env)
                rows = len([l for l in want.splitlines() if "%" in l])
                ok = code == 0 and code2 == 0 and got == want and rows > 3 and not gerr
                if not ok:
                    print(f"--- original\n{want}{werr}--- symbolized copy\n{got}{gerr}")
                check(ok, f"{label}: pprofx top --granularity {gran} of the symbolized copy equals the original's "
                          f"({rows} rows)")
                if kind == "cpu" and gran == "functions":
                    check("main.mix (inline)" in got or "main.mix" not in want,
                          f"{label}: the inlined main.mix is marked (inline)")
                    check("sort.(*IntSlice)" not in got and "sort.IntSlice.Less" in got,
                          f"{label}: method wrappers are elided as the runtime elides them")
                    # Go 1.21+ runtimes write generic names whole (for PGO), older ones "[...]".
                    generic = "main.sum[...]" if go_minor(go) < 21 else "main.sum[go.shape.float64]"
                    check(generic in got or "main.sum" not in want,
                          f"{label}: the generic function is named {generic} (if sampled)")
            sym = path.replace(".pb.gz", ".sym.pb.gz")
            must([pprofx, "symbolize", addr, "-o", sym], env=px_env)
            raw_sym = must([pprofx, "raw", sym])
            raw_orig = must([pprofx, "raw", path])
            ok = locations(raw_sym) == locations(raw_orig) and len(locations(raw_orig)) > 3
            if not ok:
                print("--- original\n" + "\n".join(locations(raw_orig)) + "\n--- symbolized\n" +
                      "\n".join(locations(raw_sym)))
            check(ok, f"{label}: pprofx symbolize gives the original's locations (functions, files, lines, inline frames)")
            got_starts = {}
            for l in locations(raw_sym, keep_start=True):
                m = re.search(r"(main\.\w+)(?:\[\.\.\.\])? \S+:\d+ s=(\d+)", l)
                if m and m.group(1) in starts:  # not cgo's generated main._Cfunc_*
                    got_starts[m.group(1)] = int(m.group(2))
            # Go 1.19's tables have no start line for a function inlined
            # everywhere (no out-of-line copy, no DW_AT_decl_line): 0 there.
            want_starts = {n: (starts.get(n) if n in out_of_line or minor >= 20 else 0) for n in got_starts}
            bad = {n: s for n, s in got_starts.items() if want_starts[n] != s}
            check(len([s for s in got_starts.values() if s]) >= 3 and not bad,
                  f"{label}: start_line is each function's `func` line ({len(got_starts)} functions; wrong: {bad})")
            if kind == "cpu" and build in ("default", "pie"):
                dwarf_dir = os.path.join(work, "dwarf-only")
                os.makedirs(dwarf_dir, exist_ok=True)
                without_pclntab(binary, os.path.join(dwarf_dir, os.path.basename(binary)))
                dsym = path.replace(".pb.gz", ".dwarf.pb.gz")
                must([pprofx, "symbolize", addr, "-o", dsym], env=dict(px_env, PPROF_BINARY_PATH=dwarf_dir))
                got_f, want_f = frames_of(locations(must([pprofx, "raw", dsym]))), frames_of(locations(raw_orig))
                names = lambda fs: {f.split(" ")[0] for loc in fs for f in loc}
                extra = names(got_f) - names(want_f)
                trimmed = [[f for f in loc if f.split(" ")[0] not in extra] for loc in got_f]
                ok = trimmed == want_f and bool(extra) and all(".(*" in n for n in extra)
                if not ok:
                    print(f"extra names: {extra}")
                    for a, b in zip(trimmed, want_f):
                        if a != b:
                            print(f"  {a} != {b}")
                check(ok, f"{label}: DWARF alone (pclntab damaged) gives the runtime's frames plus the wrappers {sorted(extra)}")
            if kind == "cpu":
                merged = path.replace(".pb.gz", ".merged.pb.gz")
                must([pprofx, "merge", sym, sym, "-o", merged])
                ms = locations(must([pprofx, "raw", merged]), keep_start=True)
                ss = locations(raw_sym, keep_start=True)
                starts_of = lambda ls: sorted(re.findall(r"(\S+) \S+ s=(\d+)", "\n".join(ls)))
                check(starts_of(ms) == starts_of(ss) and any(s != "0" for _, s in starts_of(ms)),
                      f"{label}: merge keeps start_line")
                if go_minor(go) >= 20 and build == "default":  # one full -pgo build (all packages rebuilt)
                    pgo = os.path.join(work, prefix + build + ".pgo")
                    shutil.copy(sym, pgo)
                    code, _, err = run([go, "build", "-pgo=" + pgo, "-o", binary + ".pgo", "."], env=genv, cwd=src)
                    check(code == 0, f"{label}: go build -pgo accepts the symbolized profile ({err.strip()})")
                elif build == "default":
                    print(f"note: go 1.{go_minor(go)} has no -pgo (Go 1.20+): go build -pgo not run")

    if not o.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"symbolize_go: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
