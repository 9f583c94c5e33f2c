#!/usr/bin/env python3
"""pprofx reading profiles from a live Go service (net/http/pprof on
127.0.0.1, started here): URLs and pprof's host:port shorthand on every
command, --seconds, --timeout, errors for pages that are not profiles,
--save, the progress line on a terminal only.

Usage: fetch_test.py PPROFX
"""
import glob, os, pty, select, socket, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from go_server import GoServer, go_binary

PPROFX = os.path.abspath(sys.argv[1])
results = []


def run(args, **kw):
    return subprocess.run([PPROFX] + args, capture_output=True, env=dict(os.environ, TZ="UTC"), **kw)


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail!r}"[:2000]))


def one_error_line(r, *needles):
    lines = r.stderr.decode().splitlines()
    return (r.returncode == 1 and r.stdout == b"" and len(lines) == 1 and lines[0].startswith("pprofx: error: ")
            and all(n in lines[0] for n in needles))


def run_measured(args):
    """Runs pprofx; returns (exit code, stderr, its own peak RSS in MB)."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([PPROFX] + args, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), err.read(), usage.ru_maxrss / 1024


class Listener:
    """A TCP listener on 127.0.0.1 that records whether anything connected (and what it sent)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.received = b""
        self.done = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.done:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            self.connections += 1
            conn.sendall(b"220 ready\r\n")  # an FTP greeting, so that a client would go on
            conn.settimeout(1)
            try:
                self.received += conn.recv(4096)
            except OSError:
                pass
            conn.close()

    def close(self):
        self.done = True
        self.thread.join()
        self.sock.close()


def run_on_pty(args):
    """Runs pprofx with stderr on a pseudo-terminal; returns what it wrote there."""
    master, slave = pty.openpty()
    p = subprocess.Popen([PPROFX] + args, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 4096)
            except OSError:
                data = b""
            if not data:
                break
            out += data
        elif p.poll() is not None:
            break
    stdout = p.stdout.read()
    p.wait()
    os.close(master)
    return p.returncode, stdout, out


if go_binary() is None:
    print("SKIP: go not found (scripts/install-deps.sh --tests installs golang-go)")
    sys.exit(77)

with tempfile.TemporaryDirectory() as tmp, GoServer(tmp) as srv:
    # A CPU profile collected for --seconds, by URL.
    t0 = time.time()
    r = run(["top", srv.url("/debug/pprof/profile"), "--seconds", "2"])
    took = time.time() - t0
    out = r.stdout.decode()
    check("top URL --seconds 2: a CPU profile of the service", r.returncode == 0 and "Type: cpu" in out and
          "main.hashLoop" in out and "Duration: 2." in out and 2 <= took < 10, (r.stderr, out[:300], took))
    check("no progress line when stderr is not a terminal", r.stderr == b"", r.stderr)

    # pprof's shorthand host:port/path, and host:port alone = the CPU profile.
    r = run(["top", srv.hostport + "/debug/pprof/heap", "--sample-index", "alloc_space", "-n", "5"])
    check("host:port/debug/pprof/heap shorthand (alloc_space names main.allocLoop)",
          r.returncode == 0 and "Type: alloc_space" in r.stdout.decode() and "main.allocLoop" in r.stdout.decode(),
          r.stderr + r.stdout)
    r = run(["top", srv.hostport, "--seconds", "1", "-n", "3"])
    check("host:port alone fetches /debug/pprof/profile", r.returncode == 0 and b"Type: cpu" in r.stdout,
          r.stderr + r.stdout)
    r = run(["top", srv.url("/debug/pprof/profile?seconds=1"), "-n", "3"])
    check("?seconds= in the URL is honoured", r.returncode == 0 and b"Duration: 1." in r.stdout, r.stderr + r.stdout)

    # Every kind of command reads URLs.
    svg = os.path.join(tmp, "mutex.svg")
    r = run(["flame", srv.url("/debug/pprof/mutex"), "-o", svg])
    check("flame URL writes an SVG (mutex profile)", r.returncode == 0 and open(svg).read().startswith("<?xml")
          and "main.lockHolder" in open(svg).read(), r.stderr)
    r = run(["fold", srv.url("/debug/pprof/block")])
    check("fold URL (block profile: main.chanWaiter waits)", r.returncode == 0 and b"main.chanWaiter" in r.stdout,
          r.stderr)
    r = run(["diff", srv.url("/debug/pprof/heap"), srv.url("/debug/pprof/heap"), "--sample-index", "alloc_space"])
    check("diff URL URL", r.returncode == 0 and b"main.allocLoop" in r.stdout, r.stderr)
    r = run(["top", srv.url("/debug/pprof/goroutine"), srv.url("/debug/pprof/goroutine")])
    check("several URLs are fetched and merged", r.returncode == 0 and b"main.chanWaiter" in r.stdout, r.stderr)
    store = os.path.join(tmp, "store")
    r = run(["baseline", "save", "--store", store, "--name", "svc", srv.url("/debug/pprof/heap")])
    stored = r.stdout.decode().strip()
    r2 = run(["top", stored, "-n", "1"])
    check("baseline save URL stores the fetched profile", r.returncode == 0 and r2.returncode == 0 and
          b"Type: inuse_space" in r2.stdout, r.stderr + r2.stderr)

    # --save DIR keeps the fetched bytes under pprof's names; they read back the same.
    save = os.path.join(tmp, "saved")
    r = run(["top", srv.url("/debug/pprof/allocs"), "--save", save])
    files = sorted(glob.glob(os.path.join(save, "*")))
    named = [os.path.basename(f) for f in files] == ["pprof.server.alloc_objects.alloc_space.inuse_objects.inuse_space.001.pb.gz"]
    check("--save names the file as pprof does and says where", r.returncode == 0 and named and
          r.stderr.decode() == f"pprofx: saved profile in {files[0] if files else ''}\n", (files, r.stderr))
    if files:
        again = run(["top", files[0]])
        check("the saved profile gives the same table", again.returncode == 0 and again.stdout == r.stdout,
              again.stderr)
        go = go_binary()
        ref = subprocess.run([go, "tool", "pprof", "-top", files[0]], capture_output=True, env=dict(os.environ, TZ="UTC"))
        strip = lambda b: [l.rstrip() for l in b.decode().splitlines()]
        check("go tool pprof -top on the saved file equals pprofx top", ref.returncode == 0 and
              strip(ref.stdout) == strip(again.stdout), (ref.stderr, ref.stdout[:400], again.stdout[:400]))
    r = run(["top", srv.url("/debug/pprof/allocs"), "--save", save])
    check("a second save takes the next number",
          os.path.exists(os.path.join(save, "pprof.server.alloc_objects.alloc_space.inuse_objects.inuse_space.002.pb.gz")),
          os.listdir(save))

    # A graph drawn from a URL without -o is named as --save names the profile (issue 14 point 6):
    # pprof.BINARY.TYPES.NNN.svg in the current directory, never "127.0.0.1:PORT.svg" or "profile?seconds=2.svg".
    cwd = os.path.join(tmp, "graphs")
    os.mkdir(cwd)
    unsafe = lambda: [n for n in os.listdir(cwd) if any(c in n for c in ":?/ ") or not n.startswith("pprof.")]
    for args, want in (([srv.hostport, "--seconds", "1"], "pprof.server.samples.cpu.001.svg"),
                       ([srv.url("/debug/pprof/profile?seconds=1")], "pprof.server.samples.cpu.002.svg"),
                       ([srv.url("/debug/pprof/goroutine"), "--format", "png"], "pprof.server.goroutine.001.png"),
                       ([srv.url("/debug/pprof/goroutine"), "--format", "folded"], "pprof.server.goroutine.001.folded"),
                       ([srv.url("/debug/pprof/goroutine"), "--focus-function", "main.chanWaiter"],
                        "pprof.server.goroutine.001.svg"),
                       ([srv.url("/debug/pprof/goroutine"), srv.url("/debug/pprof/goroutine")],
                        "pprof.server.goroutine.002.svg")):
        r = run(["flame"] + args, cwd=cwd)
        check(f"flame {' '.join(a.replace(srv.hostport, 'HOST:PORT') for a in args)} without -o writes {want}",
              r.returncode == 0 and r.stdout == (want + "\n").encode() and os.path.getsize(os.path.join(cwd, want)) > 0
              and unsafe() == [], (r.stdout, r.stderr, sorted(os.listdir(cwd))))
    saved = os.path.join(tmp, "saved-graphs")
    for n in ("001", "002"):
        r = run(["flame", srv.url("/debug/pprof/heap"), "--save", saved], cwd=cwd)
        stem = "pprof.server.alloc_objects.alloc_space.inuse_objects.inuse_space." + n
        check(f"flame URL --save: the graph takes the saved profile's name and number ({n})",
              r.returncode == 0 and r.stdout == f"{stem}.svg\n".encode() and
              os.path.exists(os.path.join(saved, stem + ".pb.gz")) and os.path.exists(os.path.join(cwd, stem + ".svg")),
              (r.stdout, r.stderr, os.listdir(saved) if os.path.isdir(saved) else None))
    r = run(["flame", srv.hostport, "--seconds", "1", "-o", "given.svg"], cwd=cwd)
    check("flame URL -o NAME still writes NAME", r.returncode == 0 and r.stdout == b"given.svg\n", r.stderr)
    # A file named like host:port is a file: its graph keeps the file's name, as for any file.
    like_url = os.path.join(cwd, srv.hostport)
    with open(like_url, "wb") as f:
        f.write(run(["merge", srv.url("/debug/pprof/goroutine"), "-o", "-"]).stdout)
    r = run(["flame", srv.hostport], cwd=cwd)
    check("flame FILE named like host:port: PROFILE-stem.svg, as for every file",
          r.returncode == 0 and r.stdout == f"{srv.hostport}.svg\n".encode(), (r.stdout, r.stderr))

    # HTTPS: a self-signed certificate is refused, unless pprof's https+insecure:// scheme says so.
    tls = f"127.0.0.1:{srv.tls_port}/debug/pprof/heap"
    r = run(["top", "https://" + tls])
    check("https:// with an untrusted certificate: one line naming the certificate problem",
          one_error_line(r, "https://" + tls, "certificate"), r.stderr)
    r = run(["top", "https+insecure://" + tls, "-n", "3"])
    check("https+insecure:// (pprof's scheme) fetches over TLS without verifying",
          r.returncode == 0 and b"Type: inuse_space" in r.stdout, r.stderr)

    # Responses that are not profiles: one clear line, exit 1.
    r = run(["top", srv.url("/html")])
    check("an HTML page is refused clearly", one_error_line(r, srv.url("/html"), "HTML page", "not a profile"), r.stderr)
    r = run(["top", srv.url("/debug/pprof/")])
    check("the /debug/pprof/ index is refused clearly", one_error_line(r, "HTML page"), r.stderr)
    r = run(["top", srv.url("/debug/pprof/nothing")])
    check("404 of a pprof endpoint: pprof's wording with the server's reason",
          one_error_line(r, "server response: 404 Not Found - Unknown profile"), r.stderr)
    r = run(["top", srv.url("/garbage")])
    check("bytes that are not a profile", one_error_line(r, srv.url("/garbage"), "not a valid pprof profile"), r.stderr)
    t0 = time.time()
    r = run(["top", srv.url("/slow"), "--timeout", "1"])
    took = time.time() - t0
    check("--timeout 1 on a server that never answers: gives up in about a second",
          one_error_line(r, "no complete response within 1 s", "--timeout") and took < 5, (r.stderr, took))
    r = run(["top", srv.url("/debug/pprof/heap"), "--max-size", "100"])
    check("--max-size bounds the download", one_error_line(r, "exceeds the limit of 100 bytes"), r.stderr)
    # Endless bodies: the transfer stops at the cap, raw or inflated, with little memory (not measured
    # under ASan: its quarantine keeps freed buffers resident).
    small = lambda rss: os.environ.get("PPROFX_SANITIZED") == "1" or rss < 150
    code, err, rss = run_measured(["top", srv.url("/endless?valid=1"), "--max-size", "20000000", "--timeout", "30"])
    check(f"an endless body stops at --max-size ({rss:.0f} MB peak)",
          code == 1 and err.count(b"\n") == 1 and b"size exceeds the limit of 20000000 bytes" in err and small(rss),
          (code, err, rss))
    code, err, rss = run_measured(["top", srv.url("/endless-gzip?valid=1"), "--max-size", "50000000", "--timeout", "30"])
    check(f"an endless gzip body stops when it inflates past --max-size ({rss:.0f} MB peak)",
          code == 1 and err.count(b"\n") == 1 and b"decompressed size exceeds the limit of 50000000 bytes" in err
          and small(rss), (code, err, rss))
    # Zeros are garbage from byte 0 (field number 0): the transfer stops at the first 64 kB.
    for path in ("/endless", "/endless-gzip"):
        code, err, rss = run_measured(["top", srv.url(path), "--timeout", "30"])
        check(f"an endless body of zeros{' (gzip)' if 'gzip' in path else ''} stops at its first bytes "
              f"({rss:.0f} MB peak)", code == 1 and err == b"pprofx: error: " + srv.url(path).encode() +
              b": response: not a valid pprof profile: malformed protobuf at byte 0: field number 0 (reserved; no "
              b"encoder writes it)\n" and small(rss), (code, err, rss))

    # Redirects are followed to http and https only: never to ftp://, file://, ...
    ftp = Listener()
    try:
        for to in [f"ftp://127.0.0.1:{ftp.port}/profile", "file:///etc/passwd", f"gopher://127.0.0.1:{ftp.port}/"]:
            r = run(["top", srv.url("/redirect?to=" + to)])
            check(f"a redirect to {to.split(':')[0]}:// is refused in one line",
                  one_error_line(r, "redirected to a URL that is not http or https"), r.stderr)
        time.sleep(0.3)
    finally:
        ftp.close()
    check("the ftp listener got no connection", ftp.connections == 0 and ftp.received == b"",
          (ftp.connections, ftp.received))
    r = run(["top", srv.url("/redirect?to=/debug/pprof/heap"), "-n", "1"])
    check("a redirect to http is still followed", r.returncode == 0 and b"Type: inuse_space" in r.stdout, r.stderr)

    out = os.path.join(tmp, "never.svg")
    r = run(["flame", srv.url("/html"), "-o", out])
    check("no output file is left when the fetch fails", r.returncode == 1 and not os.path.exists(out), r.stderr)

    # The progress line: on a terminal only, erased before the table.
    code, stdout, tty = run_on_pty(["top", srv.url("/debug/pprof/profile"), "--seconds", "2", "-n", "1"])
    text = tty.decode(errors="replace")
    check("on a terminal, a progress line counts the collection's seconds", code == 0 and
          "collecting a 2 s profile from " + srv.url("/debug/pprof/profile?seconds=2") in text and ": 1 s" in text
          and text.endswith("\r\x1b[K") and b"Type: cpu" in stdout, (code, text))

r = run(["top", "127.0.0.1:1/debug/pprof/heap"])
check("nothing listening: one line naming the URL", one_error_line(r, "http://127.0.0.1:1/debug/pprof/heap",
                                                                   "http fetch:"), r.stderr)
with tempfile.TemporaryDirectory() as tmp:
    # A file that exists is a file, even if its name looks like host:port.
    name = os.path.join(tmp, "localhost:6060")
    open(name, "wb").write(b"")
    r = run(["top", name])
    check("an existing file named like host:port is read as a file", r.returncode == 1 and b"http" not in r.stderr,
          r.stderr)

print(f"{sum(results)}/{len(results)} passed")
sys.exit(0 if all(results) else 1)
