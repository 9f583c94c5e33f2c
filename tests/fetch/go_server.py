"""Builds and starts tests/fetch/server.go (a Go program serving
net/http/pprof on 127.0.0.1, busy on CPU, allocations, a lock and a channel).
Needs golang-go (scripts/install-deps.sh --tests); go is found on PATH or in
/usr/lib/go-1.19/bin.
"""
import os, shutil, subprocess, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))


def go_binary():
    go = shutil.which("go") or "/usr/lib/go-1.19/bin/go"
    return go if os.path.exists(go) else None


class GoServer:
    """with GoServer(workdir) as s: s.url("/debug/pprof/heap"), s.hostport"""

    def __init__(self, workdir):
        self.workdir = workdir

    def __enter__(self):
        go = go_binary()
        if go is None:
            raise RuntimeError("go not found: run scripts/install-deps.sh --tests")
        exe = os.path.join(self.workdir, "server")
        env = dict(os.environ, GO111MODULE="off", GOCACHE=os.path.join(self.workdir, "gocache"),
                   GOPATH=os.path.join(self.workdir, "gopath"), CGO_ENABLED="0")
        subprocess.run([go, "build", "-o", exe, os.path.join(HERE, "server.go")], check=True, env=env,
                       cwd=self.workdir)
        self.proc = subprocess.Popen([exe], stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())
        self.tls_port = int(self.proc.stdout.readline())  # self-signed certificate
        self.hostport = f"127.0.0.1:{self.port}"
        time.sleep(1.0)  # let the workers contend and allocate before the first fetch
        return self

    def url(self, path):
        return f"http://{self.hostport}{path}"

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()
