#!/usr/bin/env python3
"""The baseline store and output files against symlinks and odd names (issue 21,
points 8, 12, 20, 21): nothing in a store is followed, store entries are never
quoted in errors, --save keeps fetched profiles inside the save directory,
check publishes nothing when any output fails, -o keeps a replaced file's mode
and refuses a read-only one. Hostile inputs are built here.

Usage: store_test.py PPROFX
"""
import http.server, os, stat, subprocess, sys, tempfile, threading

PPROFX = os.path.abspath(sys.argv[1])
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
D = os.path.join(REPO, "testdata", "diff")
BASE, NEW = os.path.join(D, "base.cpu.pb.gz"), os.path.join(D, "aa.cpu.pb.gz")
TOKEN = b"TOKEN=s3cr3t-do-not-print"
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail}"))


def run(*args, timeout=60):
    return subprocess.run([PPROFX, *args], capture_output=True, timeout=timeout)


def one_error_line(r, *words):
    return (r.returncode == 1 and r.stderr.startswith(b"pprofx: error: ") and r.stderr.count(b"\n") == 1
            and all(w in r.stderr for w in words))


def varint(v):
    out = bytearray()
    while True:
        out.append((v & 0x7F) | (0x80 if v > 0x7F else 0))
        v >>= 7
        if not v:
            return bytes(out)


def field(num, payload):
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def num(num, v):
    return varint(num << 3) + varint(v)


def one_sample_profile(sample_type):
    """A profile of one sample of `sample_type` (any bytes) in function main."""
    strings = [b"", sample_type, b"count", b"main"]
    body = field(1, num(1, 1) + num(2, 2))                                # sample_type
    body += field(2, field(1, varint(1)) + field(2, varint(5)))           # sample: location 1, value 5
    body += field(4, num(1, 1) + field(4, num(1, 1)))                     # location 1 -> function 1
    body += field(5, num(1, 1) + num(2, 3))                               # function 1: main
    return b"".join(field(6, s) for s in strings) + body


with tempfile.TemporaryDirectory() as d:
    def path(*p):
        return os.path.join(d, *p)

    def save(name, profile=BASE):
        return run("baseline", "save", "--store", path("store"), "--name", name, profile)

    with open(path("secret.txt"), "wb") as f:
        f.write(TOKEN + b"\nmore\n")

    # Point 8: a name folder symlinked outside the store.
    os.makedirs(path("store"))
    os.makedirs(path("elsewhere"))
    for n in ("000001.pprof", "000002.pprof"):
        with open(path("elsewhere", n), "wb") as f:
            f.write(b"unrelated")
    os.symlink(path("elsewhere"), path("store", "web"))
    r = run("baseline", "prune", "--store", path("store"), "--name", "web", "--keep", "1")
    check("prune on a name folder that is a symlink: refused, one line, the files it points to intact",
          one_error_line(r, b"a symlink", b"refused") and sorted(os.listdir(path("elsewhere"))) ==
          ["000001.pprof", "000002.pprof"], (r.stderr, os.listdir(path("elsewhere"))))
    r = save("web")
    check("save into a name folder that is a symlink: refused, nothing written there",
          one_error_line(r, b"a symlink") and len(os.listdir(path("elsewhere"))) == 2, r.stderr)

    # Point 8: entries symlinked to a text file (a token) and to a FIFO.
    check("a first save", save("api").returncode == 0)
    os.symlink(path("secret.txt"), path("store", "api", "000002.pprof"))
    os.mkfifo(path("fifo"))
    os.symlink(path("fifo"), path("store", "api", "000003.pprof"))
    r = save("api")  # a FIFO opened for writing would block: the timeout catches it
    check("save beside entries symlinked to a file and a FIFO: the next free number, neither written",
          r.returncode == 0 and r.stdout.strip().endswith(b"000004.pprof") and
          open(path("secret.txt"), "rb").read().startswith(TOKEN), (r.stdout, r.stderr))
    r = run("baseline", "list", "--store", path("store"))
    listed = r.stdout.decode().splitlines()
    check("list: the two saved files, the symlinks skipped and mentioned on stderr",
          r.returncode == 0 and len(listed) == 2 and r.stderr.count(b"a symlink, skipped") == 3 and
          b"web: a symlink, skipped" in r.stderr, (r.stdout, r.stderr))
    r = run("check", NEW, "--store", path("store"), "--name", "api")
    check("check --store: the symlinked entry skipped (mentioned), never read nor quoted",
          r.returncode in (0, 3) and TOKEN not in r.stdout + r.stderr and b"against 2 baselines" in r.stdout and
          b"000002.pprof: a symlink, skipped" in r.stderr, (r.returncode, r.stderr))
    # A regular entry that is text: the error names it but shows none of it.
    os.unlink(path("store", "api", "000002.pprof"))
    with open(path("store", "api", "000002.pprof"), "wb") as f:
        f.write(TOKEN + b"\n")
    r = run("check", NEW, "--store", path("store"), "--name", "api")
    last = r.stderr.splitlines(True)[-1:]  # after the warning about the FIFO's link
    check("check --store on a stored text file: one error line naming it, its content not quoted",
          r.returncode == 1 and last and last[0].startswith(b"pprofx: error: ") and
          b"000002.pprof: not a profile: text" in last[0] and TOKEN not in r.stderr and b"s3cr3t" not in r.stderr,
          r.stderr)
    r = run("baseline", "prune", "--store", path("store"), "--name", "api", "--keep", "1")
    check("prune removes only regular files of the store's names (the FIFO link stays, its FIFO too)",
          r.returncode == 0 and sorted(os.listdir(path("store", "api"))) == ["000003.pprof", "000004.pprof"] and
          stat.S_ISFIFO(os.stat(path("fifo")).st_mode), os.listdir(path("store", "api")))

    # Eight processes saving at once (their cleanups of abandoned temporaries run beside live ones):
    # every save its own number, none lost, no temporary left.
    lost = 0
    for rnd in range(15):
        procs = [subprocess.Popen([PPROFX, "baseline", "save", "--store", path("store"), "--name", "par", BASE,
                                   "--keep", "1000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(8)]
        outs = [p.communicate(timeout=60) for p in procs]
        printed = [o[0].strip() for o in outs]
        names = os.listdir(path("store", "par"))
        if any(p.returncode for p in procs) or len(set(printed)) != 8 or len(names) != 8 * (rnd + 1):
            lost += 1
    check("15 rounds of 8 concurrent saves: each listed once, none overwritten, no temporary left", lost == 0,
          f"{lost} bad rounds; {sorted(os.listdir(path('store', 'par')))[:5]}")

    # Point 20: a failing --flame: nothing printed but the error, no report written.
    r = run("check", NEW, "--baseline", BASE, "--report", path("report.json"),
            "--flame", path("no", "such", "dir", "g.svg"))
    check("check with a failing --flame: exit 1, one error line, no verdict printed, no report written",
          one_error_line(r, b"g.svg: cannot create") and r.stdout == b"" and not os.path.exists(path("report.json")),
          (r.stdout[:100], r.stderr))
    r = run("check", NEW, "--baseline", BASE, "--report", path("report.json"), "--flame", path("g.svg"))
    check("check with both outputs writable: both written, the verdict printed",
          r.returncode in (0, 3) and r.stdout and os.path.exists(path("report.json")) and
          os.path.getsize(path("g.svg")) > 1000, r.stderr)

    # Point 21: -o keeps a replaced file's mode; a read-only target is refused.
    out = path("top.txt")
    with open(out, "w") as f:
        f.write("old")
    os.chmod(out, 0o640)
    r = run("fold", BASE, "-o", out)
    check("-o over a 0640 file: replaced, still 0640",
          r.returncode == 0 and stat.S_IMODE(os.stat(out).st_mode) == 0o640 and open(out).read() != "old", r.stderr)
    os.chmod(out, 0o444)
    r = run("fold", BASE, "-o", out)
    check("-o over a read-only (0444) file: refused like a shell, one line, the file intact (even as root)",
          one_error_line(r, out.encode() + b": cannot write: Permission denied") and
          stat.S_IMODE(os.stat(out).st_mode) == 0o444, r.stderr)

    # Point 19: names of up to 255 bytes.
    long_name = path("x" * 251 + ".svg")
    r = run("flame", BASE, "-o", long_name)
    check("-o with a 255-byte file name works (short temporary name)",
          r.returncode == 0 and os.path.getsize(long_name) > 1000, r.stderr)

    # Point 12: --save names files after server-supplied sample types.
    hostile = b"../../escaped/x\x1b[31m\x01" + b"y" * 300
    body = one_sample_profile(hostile)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    os.makedirs(path("save", "a", "b"))
    r = run("top", f"http://127.0.0.1:{srv.server_address[1]}/debug/pprof/heap", "--save", path("save", "a", "b"))
    srv.shutdown()
    saved = os.listdir(path("save", "a", "b"))
    check("--save with '/', '..', control characters and 300 bytes in a sample type: one file inside the directory",
          r.returncode == 0 and len(saved) == 1 and saved[0].startswith("pprof.") and saved[0].endswith("001.pb.gz")
          and "/" not in saved[0] and all(ord(c) >= 0x20 for c in saved[0]) and len(saved[0].encode()) <= 255 and
          not os.path.exists(path("save", "escaped")) and sorted(os.listdir(path("save"))) == ["a"],
          (r.returncode, r.stderr, saved))

passed = sum(results)
print(f"store: {passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
