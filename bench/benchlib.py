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
