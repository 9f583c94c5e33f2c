#!/usr/bin/python3
"""scripts/fleet-merge on real Dask clusters (issue 22): a LocalCluster of 2
worker processes, and Debian's dask-scheduler / dask-worker on 127.0.0.1.

200 profiles are written here (a fleet of one program: two mappings loaded at
a different address on every host, inlined frames, string and numeric labels,
a third of the hosts in milliseconds, the rest in nanoseconds), in a folder
with a space in its name, some with hostile names (leading '-', a newline).
Checked: `top` and `fold` of the fleet merge equal, byte for byte, those of
one `pprofx merge`; a worker killed mid-task is retried and the answer holds;
a bad input fails the run with one line naming it, nothing written; with
--skip-bad it is listed and left out; @LISTFILEs; usage errors exit 2;
progress only on a terminal; the dashboard line only when the scheduler has a
dashboard; no scratch file left on the workers.

Usage: fleet_merge_test.py PPROFX REPO   (Debian's python3 with python3-distributed)
"""
import json, os, pty, random, select, shutil, signal, subprocess, sys, tempfile, time

REPO = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..")
sys.path.insert(0, os.path.join(REPO, "tests", "support"))
from wire import field, num_field, packed  # noqa: E402

PPROFX = os.path.abspath(sys.argv[1])
FLEET = os.path.join(REPO, "scripts", "fleet-merge")
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


# --- the fleet --------------------------------------------------------------

FUNCS = [(f"svc::handler{i}", f"src/handler{i % 7}.cc") for i in range(40)] + \
        [(f"libc_fn{i}", "libc.c") for i in range(10)]


def host_profile(host, rng):
    """One host's CPU profile as wire bytes, and its cpu total in nanoseconds."""
    strings = [""]

    def s(text):
        if text not in strings:
            strings.append(text)
        return strings.index(text)

    ms = host % 3 == 0
    unit, scale = ("milliseconds", 1_000_000) if ms else ("nanoseconds", 1)
    out = field(1, num_field(1, s("samples")) + num_field(2, s("count")))
    out += field(1, num_field(1, s("cpu")) + num_field(2, s(unit)))
    shift = 0x10000 * (host % 17)  # ASLR: each host loads the binaries elsewhere
    maps = [(1, 0x400000 + shift, 0x500000 + shift, "/usr/bin/svc", "b1d0"),
            (2, 0x7f0000000000 + shift, 0x7f0000100000 + shift, "/lib/libc.so.6", "")]
    for mid, start, limit, name, build in maps:
        out += field(3, num_field(1, mid) + num_field(2, start) + num_field(3, limit) + num_field(5, s(name))
                     + (num_field(6, s(build)) if build else b"") + num_field(7, 1) + num_field(8, 1) + num_field(9, 1))
    # Locations: 60 in the binary (one in eight with an inlined frame), 10 in libc.
    locs = []
    for i in range(70):
        lib = i >= 60
        mid, start = (2, maps[1][1]) if lib else (1, maps[0][1])
        fn = 40 + (i - 60) if lib else i % 40
        lines = [(fn + 1, 10 + i)]
        if not lib and i % 8 == 0:
            lines.append(((fn + 3) % 40 + 1, 99))  # inlined into its caller
        locs.append(i + 1)
        body = num_field(1, i + 1) + num_field(2, mid) + num_field(3, start + 0x100 * (i + 1))
        for f, ln in lines:
            body += field(4, num_field(1, f) + num_field(2, ln))
        out += field(4, body)
    for i, (name, file) in enumerate(FUNCS):
        out += field(5, num_field(1, i + 1) + num_field(2, s(name)) + num_field(4, s(file)))
    total = 0
    for _ in range(60):
        depth = rng.randint(2, 12)
        stack = [rng.randint(61, 70) if rng.random() < 0.3 else rng.randint(1, 60)]
        stack += [rng.randint(1, 60) for _ in range(depth - 1)]
        count = rng.randint(1, 5)
        value = count * 10 * (1 if ms else 1_000_000)
        total += value * scale
        body = packed(1, stack) + packed(2, [count, value])
        if rng.random() < 0.7:
            body += field(3, num_field(1, s("endpoint")) + num_field(2, s(rng.choice(["/a", "/b", "/c"]))))
        if rng.random() < 0.4:
            body += field(3, num_field(1, s("bytes")) + num_field(3, rng.choice([512, 4096])) + num_field(4, s("bytes")))
        out += field(2, body)
    out += b"".join(field(6, os.fsencode(t)) for t in strings)
    out += num_field(9, 1_700_000_000_000_000_000 + host * 60_000_000_000) + num_field(10, 10_000_000_000)
    out += field(11, num_field(1, s("cpu")) + num_field(2, s(unit)))
    out += num_field(12, 10 if ms else 10_000_000)
    return out, total


def write_fleet(folder, n):
    import gzip
    rng = random.Random(22)
    paths, total = [], 0
    for h in range(n):
        name = f"host {h:03d}.pb.gz"
        if h == 7:
            name = "-leading dash.pb.gz"
        elif h == 8:
            name = "new\nline.pb.gz"
        data, t = host_profile(h, rng)
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(gzip.compress(data, mtime=0))
        paths.append(path)
        total += t
    return paths, total


# --- running ----------------------------------------------------------------

def run(args, env=None, **kw):
    return subprocess.run([FLEET] + args, capture_output=True, env=env, timeout=300, **kw)


def reports(profile):
    top = subprocess.run([PPROFX, "top", profile], capture_output=True, check=True).stdout
    fold = subprocess.run([PPROFX, "fold", profile], capture_output=True, check=True).stdout
    return top, fold


def fold_total(fold):
    return sum(int(line.rsplit(b" ", 1)[1]) for line in fold.splitlines() if line)


def leftovers(folder):
    return [n for n in os.listdir(folder) if n.startswith(".fleet-merge-") or n.startswith(".pprofx-")]


def scratch_left(tmp):
    return [n for n in os.listdir(tmp) if n.startswith("fleet-merge-")]


def listening_addresses(root):
    """Local addresses of the TCP sockets that `root` and its descendants listen on."""
    parent = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                parent[int(pid)] = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            pass
    tree, grew = {root}, True
    while grew:
        more = {p for p, pp in parent.items() if pp in tree} - tree
        tree |= more
        grew = bool(more)
    inodes = set()
    for pid in tree:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:["):
                    inodes.add(link[8:-1])
        except OSError:
            pass
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                cols = line.split()
                if cols[3] == "0A" and cols[9] in inodes:  # LISTEN
                    found.append(cols[1].split(":")[0])
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000", "0000000000000000FFFF00000100007F"}


def kill_worker_mid_task(proc, wrapper, log, sockets=None):
    """Waits for a merge started through `wrapper` and SIGKILLs the worker
    process that started it (its parent). Returns the worker's pid or None."""
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
                with open(f"/proc/{pid}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if len(argv) > 1 and argv[1] == os.fsencode(wrapper):
                if sockets is not None:
                    sockets.extend(listening_addresses(proc.pid))
                os.kill(ppid, signal.SIGKILL)
                return ppid
        time.sleep(0.002)
    return None


def main():
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("FAIL python3-distributed is missing (scripts/install-deps.sh --tests installs it)")
        return 1
    work = tempfile.mkdtemp(prefix="fleet test ")
    try:
        return test(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test(work):
    fleet = os.path.join(work, "the fleet")
    os.makedirs(fleet)
    paths, total = write_fleet(fleet, 200)
    tmp = os.path.join(work, "tmp")
    os.makedirs(tmp)
    env = dict(os.environ, TMPDIR=tmp, PPROFX=PPROFX)  # the workers' scratch folders go here
    out_dir = os.path.join(work, "out")
    os.makedirs(out_dir)
    direct = os.path.join(out_dir, "direct.pb.gz")
    subprocess.run([PPROFX, "merge", "-o", direct, "--"] + paths, check=True)
    want_top, want_fold = reports(direct)
    check(fold_total(want_fold) == total and total > 0,
          f"the direct merge holds the fleet's {total} ns (not a vacuous comparison)")

    # 1. --local 2, 200 profiles, 13 map tasks and a reduce tree of fan-in 3.
    out = os.path.join(out_dir, "fleet.pb.gz")
    r = run(["--local", "2", "--partition-size", "16", "--fan-in", "3", "-o", out, "--"] + paths, env=env)
    check(r.returncode == 0, f"fleet-merge --local 2 exits 0 ({r.returncode}: {r.stderr[-2000:]!r})")
    check(r.stderr == b"", f"nothing on stderr when it is not a terminal ({r.stderr[:300]!r})")
    if r.returncode == 0:
        top, fold = reports(out)
        check(top == want_top, "top of the fleet merge equals top of one pprofx merge, byte for byte")
        check(fold == want_fold, "fold of the fleet merge equals fold of one pprofx merge, byte for byte")
    check(leftovers(out_dir) == [], f"no temporary file beside OUT ({leftovers(out_dir)})")
    check(scratch_left(tmp) == [], f"no scratch folder left on the workers ({scratch_left(tmp)})")

    # 2. A worker killed while its pprofx merge runs: Dask retries the task.
    log = os.path.join(work, "invocations")
    wrapper = os.path.join(work, "slow pprofx")
    with open(wrapper, "w") as f:
        f.write(f'#!/bin/sh\necho x >> "$FLEET_TEST_LOG"\nsleep 0.3\nexec "$FLEET_TEST_PPROFX" "$@"\n')
    os.chmod(wrapper, 0o755)
    out2 = os.path.join(out_dir, "killed.pb.gz")
    kenv = dict(env, FLEET_TEST_LOG=log, FLEET_TEST_PPROFX=PPROFX)
    proc = subprocess.Popen([FLEET, "--local", "2", "--partition-size", "40", "--fan-in", "2", "--pprofx", wrapper,
                             "-o", out2, "--"] + paths, env=kenv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sockets = []
    killed = kill_worker_mid_task(proc, wrapper, log, sockets)
    _, err = proc.communicate(timeout=300)
    check(killed is not None, f"a worker process (pid {killed}) was killed with SIGKILL during a merge")
    check(len(sockets) >= 5 and set(sockets) <= LOOPBACK,
          f"the local cluster listens on 127.0.0.1 only (scheduler, HTTP, workers, nannies: {sockets})")
    with open(log) as f:
        runs = len(f.read().split())
    tasks = 5 + 2 + 1 + 1  # 5 maps; fan-in 2: 5 partials -> 3 (one passed up) -> 2 -> 1
    check(runs > tasks, f"the killed task ran again ({runs} pprofx runs for {tasks} tasks)")
    check(proc.returncode == 0, f"the run with a killed worker exits 0 ({proc.returncode}: {err[-2000:]!r})")
    if proc.returncode == 0:
        check(reports(out2) == (want_top, want_fold), "and gives the same top and fold as one pprofx merge")
    time.sleep(1)  # the killed worker's orphaned merge ends; the run removed its scratch folder
    check(scratch_left(tmp) == [], f"no scratch folder left after the kill ({scratch_left(tmp)})")

    # 2b. With --retries 0 the same kill fails the run: one line, nothing written, nothing left.
    out_r0 = os.path.join(out_dir, "retries0.pb.gz")
    proc = subprocess.Popen([FLEET, "--local", "2", "--partition-size", "40", "--retries", "0", "--pprofx", wrapper,
                             "-o", out_r0, "--"] + paths, env=kenv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed = kill_worker_mid_task(proc, wrapper, log)
    _, err = proc.communicate(timeout=300)
    time.sleep(1)
    check(killed is not None and proc.returncode == 1 and err.count(b"\n") == 1
          and err.startswith(b"fleet-merge: error: a worker died running map-"),
          f"--retries 0 and a killed worker: exit 1, one line ({proc.returncode}, {err[-1500:]!r})")
    check(not os.path.exists(out_r0) and leftovers(out_dir) == [] and scratch_left(tmp) == [],
          f"and no OUT, temporary file or scratch folder ({leftovers(out_dir)}, {scratch_left(tmp)})")

    # 3. A bad input fails the run with one line naming it; OUT is not touched.
    bad = os.path.join(fleet, "-bad\x1b[31m name.pb.gz")
    with open(bad, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00garbage")
    with open(out, "wb") as f:
        f.write(b"previous")
    with_bad = paths[:150] + [bad] + paths[150:]
    r = run(["--local", "2", "--partition-size", "16", "-o", out, "--"] + with_bad, env=env)
    lines = r.stderr.decode("utf-8", "replace").splitlines()
    shown = bad.replace("\x1b", "\\x1b")
    check(r.returncode == 1, f"a bad input: exit 1 ({r.returncode})")
    check(len(lines) == 1 and lines[0].startswith(f"fleet-merge: error: {shown}: "),
          f"one line naming the file, escaped ({lines!r})")
    with open(out, "rb") as f:
        check(f.read() == b"previous", "OUT is left as it was")
    check(leftovers(out_dir) == [], f"no temporary file beside OUT ({leftovers(out_dir)})")
    check(scratch_left(tmp) == [], f"no scratch folder left on the workers ({scratch_left(tmp)})")

    # 4. --skip-bad: listed at the end and left out; @LISTFILE (NUL-separated: the names hold newlines).
    missing = os.path.join(fleet, "gone.pb.gz")
    listfile = os.path.join(work, "list")
    with open(listfile, "wb") as f:
        f.write(b"\0".join(os.fsencode(p) for p in with_bad + [missing]))
    out3 = os.path.join(out_dir, "skipped.pprof")
    r = run(["--local", "2", "--partition-size", "16", "--skip-bad", "-o", out3, "@" + listfile], env=env)
    text = r.stderr.decode("utf-8", "replace")
    check(r.returncode == 0, f"--skip-bad exits 0 ({r.returncode}: {text[-1000:]!r})")
    check(f"skipped 2 of {len(with_bad) + 1} profiles" in text and shown in text and missing in text,
          f"--skip-bad lists both bad inputs ({text!r})")
    if r.returncode == 0:
        check(reports(out3) == (want_top, want_fold), "--skip-bad with an @LISTFILE: the good profiles' merge")
    listfile2 = os.path.join(work, "list2")
    with open(listfile2, "wb") as f:  # one a line, relative to the current directory
        f.write(b"\n".join(os.fsencode(os.path.relpath(p, work)) for p in paths if "\n" not in p) + b"\n")
    out4 = os.path.join(out_dir, "lines.pb")
    r = run(["--local", "1", "-o", out4, "@" + listfile2], env=env, cwd=work)
    sub = os.path.join(out_dir, "sub.pb.gz")
    subprocess.run([PPROFX, "merge", "-o", sub, "--"] + [p for p in paths if "\n" not in p], check=True)
    check(r.returncode == 0 and reports(out4) == reports(sub),
          f"a list of one path a line, relative paths, .pb output ({r.stderr[-500:]!r})")

    # 4b. A path through a symlink and "..": resolved by the kernel, not lexically.
    os.makedirs(os.path.join(fleet, "inner"))
    os.symlink(os.path.join(fleet, "inner"), os.path.join(work, "lnk"))
    via = os.path.join("lnk", "..", os.path.basename(paths[0]))
    r = run(["--local", "1", "-o", os.path.join(out_dir, "via.pb.gz"), "--", via], env=env, cwd=work)
    check(r.returncode == 0 and reports(os.path.join(out_dir, "via.pb.gz")) == reports(paths[0]),
          f"lnk/../FILE is the file the kernel finds ({r.stderr[-300:]!r})")

    # 5. Usage errors exit 2, before any cluster starts.
    for args, what in ((["-o", out], "no profiles"), (["-o", "x.svg", paths[0]], "an unknown output extension"),
                       (["--local", "0", "-o", out, paths[0]], "--local 0"),
                       (["--fan-in", "1", "-o", out, paths[0]], "--fan-in 1"),
                       (["--local", "1", "--scheduler", "tcp://127.0.0.1:1", "-o", out, paths[0]], "both cluster flags"),
                       (["-o", out, "-"], "standard input"), (["--no\x1b]such", "-o", out, paths[0]], "an unknown flag")):
        r = run(args, env=env)
        err = r.stderr.decode("utf-8", "replace")
        check(r.returncode == 2 and err.startswith("fleet-merge: error: ") and "\x1b" not in err,
              f"usage error, {what}: exit 2, escaped ({r.returncode}, {err!r})")
    r = run(["--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", "2", "-o", out, paths[0]], env=env)
    check(r.returncode == 1 and r.stderr.count(b"\n") == 1, f"no scheduler there: one line, exit 1 ({r.stderr!r})")
    os.makedirs(os.path.join(out_dir, "dir.pb.gz"))
    r = run(["--local", "1", "-o", os.path.join(out_dir, "dir.pb.gz"), "--", paths[0]], env=env)
    check(r.returncode == 1 and r.stderr.count(b"\n") == 1, f"OUT a directory: one line, exit 1 ({r.stderr!r})")
    heap = os.path.join(REPO, "testdata", "workload.heap.pb.gz")
    r = run(["--local", "2", "--partition-size", "16", "--skip-bad", "-o", out, "--"] + paths[:40] + [heap], env=env)
    err = r.stderr.decode("utf-8", "replace")
    check(r.returncode == 1 and err.count("\n") == 1 and err.startswith(f"fleet-merge: error: {heap}: ")
          and "sample types" in err, f"a set that cannot be merged fails even with --skip-bad, one line ({err!r})")
    r = run(["--local", "1", "--pprofx", "no-such-pprofx", "-o", out, "--", paths[0]], env=env)
    check(r.returncode == 1 and r.stderr.startswith(b"fleet-merge: error: no-such-pprofx: cannot run")
          and r.stderr.count(b"\n") == 1, f"no pprofx on the worker: one line, exit 1 ({r.stderr!r})")
    r = run(["--local", "1", "-o", "-", "--"] + paths[:30], env=env)
    part = os.path.join(out_dir, "part.pb.gz")
    subprocess.run([PPROFX, "merge", "-o", part, "--"] + paths[:30], check=True)
    stdout_copy = os.path.join(out_dir, "stdout.pb.gz")
    with open(stdout_copy, "wb") as f:
        f.write(r.stdout)
    check(r.returncode == 0 and reports(stdout_copy) == reports(part), "-o - writes the merged profile to stdout")

    # 6. Progress on a terminal only (point 1 saw an empty stderr on a pipe).
    master, slave = pty.openpty()
    proc = subprocess.Popen([FLEET, "--local", "2", "-o", out, "--"] + paths, env=env, stdout=subprocess.DEVNULL,
                            stderr=slave)
    os.close(slave)
    shown_err = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        try:
            chunk = os.read(master, 4096) if ready else b""
        except OSError:
            chunk = b""
        if not chunk:
            break
        shown_err += chunk
    proc.wait(timeout=60)
    os.close(master)
    check(proc.returncode == 0 and b"5/5 tasks" in shown_err and b"MB read" in shown_err,
          f"progress drawn on a terminal ({shown_err[-300:]!r})")

    # 7. Debian's dask-scheduler and dask-worker on 127.0.0.1: --scheduler, and the dashboard line.
    scheduler_tests(work, env, paths, want_top, want_fold, out_dir)
    return 1 if failures else 0


def start_cluster(work, env, preload=None):
    sfile = os.path.join(work, "scheduler.json")
    if os.path.exists(sfile):
        os.unlink(sfile)
    cmd = ["dask-scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-address", "127.0.0.1:0",
           "--scheduler-file", sfile]
    if preload:
        cmd += ["--preload", preload]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    deadline = time.monotonic() + 60
    while not os.path.exists(sfile) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.2)
    with open(sfile) as f:
        address = json.load(f)["address"]
    procs.append(subprocess.Popen(["dask-worker", "--scheduler-file", sfile, "--nthreads", "1", "--nworkers", "2",
                                   "--host", "127.0.0.1", "--no-dashboard", "--memory-limit", "0"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return address, procs


def stop_cluster(procs):
    for p in reversed(procs):
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()


def scheduler_tests(work, env, paths, want_top, want_fold, out_dir):
    from distributed import Client
    address, procs = start_cluster(work, env)
    try:
        with Client(address, timeout=60) as c:
            c.wait_for_workers(2, timeout=60)
        out = os.path.join(out_dir, "remote.pb.gz")
        r = run(["--scheduler", address, "--partition-size", "30", "-o", out, "--"] + paths, env=env)
        check(r.returncode == 0 and r.stderr == b"", f"--scheduler {address} (dask-scheduler, 2 dask-worker "
              f"processes): exit 0, no dashboard line without bokeh ({r.returncode}, {r.stderr[-500:]!r})")
        if r.returncode == 0:
            check(reports(out) == (want_top, want_fold), "--scheduler: the same top and fold as one pprofx merge")
    finally:
        stop_cluster(procs)
    # A scheduler that has loaded its dashboard (bokeh is not in Debian 12: the
    # preload stands in for it by loading a module of that name).
    preload = os.path.join(work, "fake_dashboard.py")
    with open(preload, "w") as f:
        f.write("import sys, types, distributed\n"
                "pkg, mod = types.ModuleType('distributed.dashboard'), types.ModuleType('distributed.dashboard.scheduler')\n"
                "mod.connect = lambda *args, **kwargs: None\n"
                "pkg.scheduler = mod\n"
                "distributed.dashboard = pkg\n"
                "sys.modules.update({pkg.__name__: pkg, mod.__name__: mod})\n")
    address, procs = start_cluster(work, env, preload)
    try:
        with Client(address, timeout=60) as c:
            c.wait_for_workers(1, timeout=60)
            port = c.scheduler_info()["services"]["dashboard"]
        r = run(["--scheduler", address, "-o", os.path.join(out_dir, "dash.pb.gz"), "--"] + paths[:20], env=env)
        want = f"fleet-merge: dashboard at http://127.0.0.1:{port}/status\n".encode()
        check(r.returncode == 0 and r.stderr == want, f"the dashboard's address printed ({r.stderr!r})")
    finally:
        stop_cluster(procs)


if __name__ == "__main__":
    sys.exit(main())
