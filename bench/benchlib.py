"""Shared by the bench/ scripts: run a command N times, median wall time and peak RSS."""
import os, statistics, subprocess, sys, time


def measure(cmd, runs, shell=None, stderr=False):
    """Median wall time (s) of `runs` runs and the largest peak RSS (MB), plus the last
    run's stderr with stderr=True; exits if a run fails."""
    if shell is None:
        shell = isinstance(cmd, str)
    times, rss, err = [], 0, ""
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, shell=shell, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE if stderr else subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        if stderr:
            err = proc.stderr.read().decode(errors="replace")
        if status != 0:
            sys.exit(f"failed: {cmd if isinstance(cmd, str) else ' '.join(cmd[:4])}\n{err}")
        rss = max(rss, usage.ru_maxrss)
    return (statistics.median(times), rss / 1024, err) if stderr else (statistics.median(times), rss / 1024)


# The three benchmark profiles of issues 14 and 20 (pprofx_bench_gen's arguments), in bench/out/:
# (label, file name, arguments); every one also takes GEN_COMMON.
GEN_COMMON = ["--locations", "100000", "--functions", "50000", "--mappings", "16"]
GEN_PROFILES = [
    ("100k samples", "scale-100000.pb.gz", ["--samples", "100000", "--max-depth", "128"]),
    ("1M samples", "scale-1000000.pb.gz", ["--samples", "1000000", "--max-depth", "128"]),
    ("deep: 10k x 2,000 frames", "deep.pb.gz", ["--samples", "10000", "--min-depth", "2000", "--max-depth", "2000"]),
]


def generated(gen, out_dir, name, args):
    """The path of a benchmark profile in out_dir, generated with pprofx_bench_gen if missing."""
    path = os.path.join(out_dir, name)
    if not os.path.exists(path):
        subprocess.run([gen, path] + args + GEN_COMMON, check=True, capture_output=True)
    return path
