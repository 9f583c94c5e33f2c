#!/usr/bin/env python3
"""Atomic outputs: pprofx is killed with SIGKILL at random moments while it
writes a large SVG over an existing file. Afterwards the file under the final
name is either the old one or a complete new SVG, never a partial one, and the
next write removes the temporaries the kills left. SIGTERM, SIGINT and SIGHUP
remove the temporary at once and end pprofx with the signal's status. Write
errors give one clear line and exit 1.

Usage: atomic_test.py PPROFX
"""
import os, random, signal, subprocess, sys, tempfile, time

PPROFX = os.path.abspath(sys.argv[1])
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail}"))


with tempfile.TemporaryDirectory() as d:
    # Folded input big enough for a multi-MB SVG: 15,000 distinct stacks.
    rnd = random.Random(7)
    folded = os.path.join(d, "big.folded")
    with open(folded, "w") as f:
        for i in range(15000):
            depth = rnd.randint(3, 30)
            f.write(";".join(f"pkg{rnd.randint(0, 40)}.func{rnd.randint(0, 400)}" for _ in range(depth)) + f" {rnd.randint(1, 9)}\n")
    out = os.path.join(d, "graph.svg")
    args = [PPROFX, "flame", folded, "-o", out, "--max-frames", "0", "--minwidth", "0"]
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    full_time = time.perf_counter() - start
    complete = open(out, "rb").read()
    check(f"a complete run writes a {len(complete) / 1e6:.1f} MB SVG in {full_time:.2f}s",
          complete.endswith(b"</svg>\n") and len(complete) > 2_000_000)

    killed = bad = 0
    for i in range(40):
        with open(out, "wb") as f:
            f.write(b"OLD")
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.5, 1.0) * full_time)  # the write is at the end
        p.send_signal(signal.SIGKILL)
        p.wait()
        killed += p.returncode == -signal.SIGKILL
        now = open(out, "rb").read()
        if now != b"OLD" and now != complete:
            bad += 1
    check(f"SIGKILL during {killed} of 40 runs never left a partial file under the final name", killed >= 5 and bad == 0,
          f"killed {killed}, bad {bad}")
    leftovers = [n for n in os.listdir(d) if n not in ("big.folded", "graph.svg")]
    check(f"killed runs leave at most the last one's temporary (.pprofx-*; each run removes older ones): "
          f"{len(leftovers)} left", len(leftovers) <= 1 and all(n.startswith(".pprofx-") for n in leftovers), leftovers)
    for i in range(20):  # make sure one is left: kill as soon as the temporary appears
        if leftovers:
            break
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while p.poll() is None and not any(n.startswith(".pprofx-") for n in os.listdir(d)):
            pass
        p.kill()
        p.wait()
        leftovers = [n for n in os.listdir(d) if n not in ("big.folded", "graph.svg")]
    check("a SIGKILLed write left its temporary", len(leftovers) == 1, leftovers)
    subprocess.run(args, check=True, capture_output=True)
    leftovers = [n for n in os.listdir(d) if n not in ("big.folded", "graph.svg")]
    check("the next write to the folder removes the temporaries SIGKILL left (nobody holds their lock)",
          leftovers == [] and open(out, "rb").read() == complete, leftovers)

    # Catchable signals: the handler removes the temporary, then the signal ends pprofx.
    def default_signals():
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_DFL)  # a runner under nohup would pass SIGHUP ignored

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        ended = bad = 0
        for i in range(6):
            with open(out, "wb") as f:
                f.write(b"OLD")
            p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=default_signals)
            if i % 2 == 0:  # as soon as the temporary exists, mid-write
                while p.poll() is None and not any(n.startswith(".pprofx-") for n in os.listdir(d)):
                    pass
            else:
                time.sleep(rnd.uniform(0.5, 1.0) * full_time)
            p.send_signal(sig)
            p.wait()
            ended += p.returncode == -sig
            now = open(out, "rb").read()
            left = [n for n in os.listdir(d) if n not in ("big.folded", "graph.svg")]
            if (now != b"OLD" and now != complete) or left or p.returncode not in (0, -sig):
                bad += 1
        check(f"{sig.name} during {ended} of 6 runs: no temporary left, old or complete file, the signal's status",
              ended >= 2 and bad == 0, f"ended {ended}, bad {bad}")

    r = subprocess.run([PPROFX, "flame", folded, "-o", os.path.join(d, "no", "such", "dir.svg")], capture_output=True)
    check("an unwritable path: exit 1, one clear line",
          r.returncode == 1 and r.stderr.count(b"\n") == 1 and b"cannot create: No such file or directory" in r.stderr,
          r.stderr)
    with open("/dev/full", "wb") as full:
        r = subprocess.run([PPROFX, "fold", folded], stdout=full, stderr=subprocess.PIPE)
    check("a full disk on stdout: exit 1, one clear line",
          r.returncode == 1 and b"No space left on device" in r.stderr and r.stderr.count(b"\n") == 1, r.stderr)

passed = sum(results)
print(f"atomic: {passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
