#!/usr/bin/env python3
"""pprofx web --http on free loopback ports: the page served is the page -o writes (one
profile and a diff), 127.0.0.1 by default, 404 elsewhere, a URL source fetched again on
each reload (a local /debug/pprof/profile whose profile changes), SIGINT and SIGTERM end
it cleanly (exit 0, nothing on stderr), and its errors are one line before anything is
served (bad address, a port in use, -o with --http, a bad profile). pprof's -http=:0
spelling serves too.

Usage: web_http_test.py PPROFX REPO
"""
import http.server, json, os, select, signal, socket, subprocess, sys, tempfile, threading, time, urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_rows import page_data as html_data  # noqa: E402

PPROFX, REPO = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CPU = os.path.join(REPO, "testdata", "workload.cpu.pb.gz")
HEAP = os.path.join(REPO, "testdata", "workload.heap.pb.gz")
BASE, NEW = (os.path.join(REPO, "testdata", "diff", n) for n in ("base.cpu.pb.gz", "slow.cpu.pb.gz"))
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail!r}"[:1500]))


def start(args):
    """A server and the URL it printed (or None, with the process ended)."""
    p = subprocess.Popen([PPROFX, "web", "--no-browser"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    ready, _, _ = select.select([p.stdout], [], [], 60)
    line = p.stdout.readline() if ready else ""
    if not line.startswith("Serving web UI on "):
        p.kill()
        p.wait()
        return p, None
    return p, line.split(" on ", 1)[1].strip()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def stop(p, sig):
    p.send_signal(sig)
    try:
        code = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        return None, "did not stop"
    return code, p.stderr.read()


def written(args):
    return subprocess.run([PPROFX, "web"] + args + ["-o", "-"], capture_output=True, check=True).stdout


def data_of(page):
    return html_data(page)


# One profile: the same page as -o writes, on 127.0.0.1, SIGINT ends it.
p, url = start(["--http", ":0", CPU])
check("--http :0 serves on 127.0.0.1 and prints the URL", url is not None and url.startswith("http://127.0.0.1:"), url)
if url:
    status, headers, body = get(url)
    check("GET / = the page pprofx web -o writes", status == 200 and body == written([CPU]) and
          headers["Content-Type"] == "text/html; charset=windows-1252" and headers["Cache-Control"] == "no-store", status)
    status, _, _ = get(url + "nope")
    check("another path: 404", status == 404, status)
    port = int(url.rsplit(":", 1)[1].strip("/"))
    # The port is taken: a second server on it fails with one line, exit 1.
    r = subprocess.run([PPROFX, "web", "--no-browser", "--http", f"127.0.0.1:{port}", CPU], capture_output=True,
                       text=True, timeout=60)
    check("a port in use: exit 1, one error line", r.returncode == 1 and r.stderr.startswith(
        f"pprofx: error: cannot listen on 127.0.0.1:{port}") and r.stderr.count("\n") == 1 and r.stdout == "", r)
    code, err = stop(p, signal.SIGINT)
    check("SIGINT ends it cleanly (exit 0, nothing on stderr)", code == 0 and err == "", (code, err))

# A diff page, pprof's -http=:0 spelling, SIGTERM.
p, url = start([f"-http=:0", BASE, NEW])
check("-http=:0 (pprof's spelling) serves the diff page", url is not None, p.stderr.read() if url is None else "")
if url:
    status, _, body = get(url)
    check("GET / = the diff page pprofx web BASE NEW -o writes", status == 200 and body == written([BASE, NEW]), status)
    code, err = stop(p, signal.SIGTERM)
    check("SIGTERM ends it cleanly", code == 0 and err == "", (code, err))

# A URL source is fetched again on each reload.
served = {"body": open(CPU, "rb").read()}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        self.wfile.write(served["body"])

    def log_message(self, *args):
        pass


source = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=source.serve_forever, daemon=True).start()
profile_url = f"http://127.0.0.1:{source.server_address[1]}/debug/pprof/heap"
p, url = start(["--http", "127.0.0.1:0", profile_url])
if url:
    first = data_of(get(url)[2])
    served["body"] = open(HEAP, "rb").read()
    second = data_of(get(url)[2])
    check("a URL source is fetched again on reload", [t["type"] for t in first["types"]] == ["samples", "cpu"] and
          [t["type"] for t in second["types"]] == ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"],
          (first["types"], second["types"]))
    served["body"] = b"not a profile"
    status, _, body = get(url)
    check("a reload whose source went bad: 500 with the error as text", status == 500 and
          body.startswith(b"pprofx: error: ") and body.count(b"\n") == 1, (status, body[:200]))
    code, err = stop(p, signal.SIGINT)
    check("stopped after the reloads", code == 0, (code, err))
else:
    check("a URL source is served", False, p.stderr.read())
source.shutdown()

with tempfile.TemporaryDirectory() as tmp:
    for args, code, text in [
        (["--http", "nope", CPU], 2, "pprofx: error: --http nope: give [HOST]:PORT"),
        (["--http", ":99999", CPU], 2, "pprofx: error: --http :99999: the port must be a number from 0 to 65535"),
        (["--http", ":0", CPU, "-o", "x.html"], 2, "pprofx: error: --http serves the page, -o writes it"),
        (["--http", ":0", "-"], 2, "pprofx: error: --http reads its profile again on each reload"),
        (["--http", ":0", os.path.join(tmp, "nope.pb.gz")], 1, "pprofx: error: "),
        (["--http", ":0", BASE, HEAP], 1, "pprofx: error: BASE and NEW are different kinds of profile"),
    ]:
        r = subprocess.run([PPROFX, "web", "--no-browser"] + args, capture_output=True, text=True, cwd=tmp, timeout=60,
                           stdin=subprocess.DEVNULL)
        check(f"{' '.join(os.path.basename(a) for a in args)}: exit {code}, one error line, nothing served",
              r.returncode == code and r.stderr.startswith(text) and r.stderr.count("pprofx: error:") == 1 and
              "Serving" not in r.stdout and not os.path.exists(os.path.join(tmp, "x.html")), (r.returncode, r.stderr))

print(f"{sum(results)}/{len(results)} checks passed")
sys.exit(0 if results and all(results) else 1)
