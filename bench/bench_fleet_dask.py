"""bench_fleet.py --dask: scripts/fleet-merge on local Dask clusters of 1 and 2
worker processes next to one `pprofx merge --threads 2` of the same files.

Per row: median wall time of the whole command (cluster start included), the
merge alone (connected to result, from fleet-merge --stats), peak RSS of each
worker process and of the largest pprofx merge it ran, and Dask's cost per
task two ways: worker-slot time not spent in pprofx, per task
((merge time x workers - pprofx time) / tasks: scheduling, moving partial
profiles, the tree's idle slots), and an empty task's round trip on the
same cluster (client.map over 1,000 no-op tasks).
"""
import json, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
from benchlib import measure  # noqa: E402

FLEET = os.path.join(ROOT, "scripts", "fleet-merge")


def fleet_runs(px, files, workers, runs, k, f):
    out = os.path.join(tempfile.mkdtemp(), "fleet.pb.gz")
    stats = os.path.join(os.path.dirname(out), "stats.json")
    walls, docs = [], []
    for _ in range(runs):
        start = time.perf_counter()
        r = subprocess.run([FLEET, "--local", str(workers), "--partition-size", str(k), "--fan-in", str(f),
                            "--pprofx", px, "--stats", stats, "-o", out, "--"] + files)
        if r.returncode != 0:
            sys.exit(f"fleet-merge --local {workers} failed (exit {r.returncode})")
        walls.append(time.perf_counter() - start)
        with open(stats) as fh:
            docs.append(json.load(fh))
    doc = sorted(docs, key=lambda d: d["merge_seconds"])[len(docs) // 2]
    return statistics.median(walls), doc, out


def noop_per_task(workers, n=1000):
    import logging
    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      memory_limit=0, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.gather(client.map(lambda x: x, range(50)))  # warm
        start = time.perf_counter()
        client.gather(client.map(lambda x: x, range(n), pure=False))
        return (time.perf_counter() - start) / n


def compare(opts, files, what):
    px = os.path.join(opts.build, "pprofx")
    size = sum(os.path.getsize(f) for f in files)
    k, f = 50, 8
    direct = os.path.join(tempfile.mkdtemp(), "direct.pb.gz")
    t2, rss2 = measure([px, "merge", "--threads", "2", "-o", direct] + files, opts.runs)
    print(f"\n{len(files)} CPU profiles, {size / 1e6:.1f} MB gzip ({what}); median of {opts.runs} runs; "
          f"fleet-merge --partition-size {k} --fan-in {f}.\n")
    print("| command | wall time | merge (no cluster start) | peak RSS per worker process / its largest pprofx "
          "| pprofx time (sum) | slot time outside pprofx, per task | empty task |")
    print("|---|---|---|---|---|---|---|")
    print(f"| pprofx merge --threads 2 | {t2:.2f} s | | {rss2:.0f} MB (one process) | | | |")
    same = None
    for workers in (1, 2):
        wall, doc, out = fleet_runs(px, files, workers, opts.runs, k, f)
        tasks = [t for t in doc["task_stats"] if t["kind"] in ("map", "reduce")]
        busy = sum(t["pprofx_seconds"] for t in doc["task_stats"])
        per_worker = {}
        for t in doc["task_stats"]:
            per_worker[t["worker"]] = max(per_worker.get(t["worker"], 0), t["pprofx_rss_kb"])
        mem = ", ".join(f"{doc['worker_peak_rss_kb'].get(w, 0) / 1024:.0f} / {per_worker.get(w, 0) / 1024:.0f} MB"
                        for w in sorted(doc["worker_peak_rss_kb"]))
        slot = (doc["merge_seconds"] * workers - busy) / len(tasks)
        noop = noop_per_task(workers)
        print(f"| fleet-merge --local {workers} ({len(tasks)} tasks) | {wall:.2f} s | {doc['merge_seconds']:.2f} s "
              f"| {mem} | {busy:.2f} s | {slot * 1000:.0f} ms | {noop * 1000:.2f} ms |")
        same = same is not False and outputs_equal(px, out, direct)
    print(f"\ntop and fold of every fleet-merge output equal those of pprofx merge: {same}")


def outputs_equal(px, a, b):
    # Digests of the streamed output: holding a 3-million-line fold here would
    # grow this process to gigabytes, and a child forked afterwards reports
    # that as its own peak RSS (Linux carries maxrss over fork and exec).
    import hashlib

    def rep(p):
        out = []
        for cmd in ("top", "fold"):
            h = hashlib.sha256()
            proc = subprocess.Popen([px, cmd, "--max-memory", "0", p], stdout=subprocess.PIPE)
            for chunk in iter(lambda: proc.stdout.read(1 << 20), b""):
                h.update(chunk)
            if proc.wait() != 0:
                sys.exit(f"pprofx {cmd} {p} failed")
            out.append(h.hexdigest())
        return out
    return rep(a) == rep(b)
