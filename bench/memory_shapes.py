#!/usr/bin/env python3
"""Peak memory per input shape: writes one gzip-compressed input per shape
(many samples, locations, functions, strings, comments, labels, deep stacks,
bare locations, a legacy heap profile, folded stacks) of about SIZE decompressed bytes, runs
`pprofx top`, `fold` and `flame -o x.svg` on each and prints the peak RSS of
pprofx (os.wait4) divided by the decompressed size, and pprofx's counted heap
peak (PPROFX_HEAP_REPORT) where it finished; a refusal at pprofx's heap bound
(3x the decompressed size + 128 MiB) shows as exit 1 with its message. docs/robustness.md,
"Memory bounds", holds the table as measured; tests/cli/memory_test.py checks
the bound on a few shapes at a smaller size.

Usage: memory_shapes.py PPROFX [--mb 100] [--shapes samples,labels,...] [--commands top,fold,flame]
"""
import argparse, gzip, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
from wire import varint  # noqa: E402

# ---- protobuf wire bytes (fast forms of tests/support/wire.py for millions of ids) -------------------


_V = [bytes((i,)) for i in range(128)]
_HIGH = [bytes((0x80 | i,)) for i in range(128)]


def V(i):
    """varint(i) for i >= 0, from a table grown on demand (fast for millions of ids)."""
    while i >= len(_V):
        n = len(_V)
        _V.extend(_HIGH[j & 127] + _V[j >> 7] for j in range(n, min(2 * n, n + (1 << 20))))
    return _V[i]


def field(num, payload):
    return V(num << 3 | 2) + V(len(payload)) + payload


def num_field(num, v):
    return V(num << 3) + varint(v)


def packed(num, values):
    return field(num, b"".join(V(v) for v in values))


def strings_bytes(strings):
    return b"".join(field(6, s.encode()) for s in strings)


def header(extra=b""):
    """String table 0..3 ("", samples, count, main) and one sample type."""
    return strings_bytes(["", "samples", "count", "main"]) + field(1, num_field(1, 1) + num_field(2, 2)) + extra


def locations(first, count, function_of):
    """Locations first..first+count-1, each one line of function function_of(id), with an address."""
    return b"".join(field(4, num_field(1, i) + num_field(3, 0x400000 + 16 * i) +
                          field(4, num_field(1, function_of(i)) + num_field(2, i % 1000 + 1)))
                    for i in range(first, first + count))


def functions(count, first_name):
    """Functions 1..count; function i is named string first_name + i - 1."""
    return b"".join(field(5, num_field(1, i) + num_field(2, first_name + i - 1)) for i in range(1, count + 1))


def repeat_to(block, size):
    """Yields block until about size bytes were produced."""
    for _ in range(max(1, size // max(1, len(block)))):
        yield block


# ---- the shapes: generators of chunks of about `size` decompressed bytes -------------------------


def shape_samples(size):
    # 1000 locations; samples of 8 frames, 1000 different stacks repeated.
    yield header() + functions(1, 3) + locations(1, 1000, lambda i: 1)
    block = b"".join(field(2, packed(1, [(k * 7 + t * 131) % 1000 + 1 for t in range(8)]) + packed(2, [k % 5 + 1]))
                     for k in range(1000))
    yield from repeat_to(block, size)


def shape_locations(size):
    # Every location used once: samples of 64 consecutive locations.
    n = size // 19
    yield header() + functions(1, 3)
    step = 1 << 16
    for first in range(1, n + 1, step):
        count = min(step, n + 1 - first)
        yield locations(first, count, lambda i: 1)
        yield b"".join(field(2, packed(1, range(s, min(s + 64, first + count))) + packed(2, [1]))
                       for s in range(first, first + count, 64))


def shape_functions(size):
    # One function (with its own name), one location and a sample per symbol.
    n = size // 60
    yield strings_bytes(["", "samples", "count"]) + field(1, num_field(1, 1) + num_field(2, 2))
    step = 1 << 16
    for first in range(0, n, step):
        count = min(step, n - first)
        yield strings_bytes([f"github.com/org/pkg.Function{i}" for i in range(first, first + count)])
    for first in range(1, n + 1, step):
        count = min(step, n + 1 - first)
        yield functions_range(first, count)
        yield locations(first, count, lambda i: i)
        yield b"".join(field(2, packed(1, [i, (i * 7) % n + 1]) + packed(2, [1])) for i in range(first, first + count))


def functions_range(first, count):
    return b"".join(field(5, num_field(1, i) + num_field(2, i + 2)) for i in range(first, first + count))


def shape_strings(size):
    # A string table of short strings nothing refers to.
    yield header() + functions(1, 3) + locations(1, 1, lambda i: 1) + field(2, packed(1, [1]) + packed(2, [1]))
    block = b"".join(field(6, f"s{i}".encode()) for i in range(100000))
    yield from repeat_to(block, size)


def shape_comments(size):
    # Field 13: comments, string indices packed one byte each (issue 21: 249 kB took 3.2 GB).
    yield header() + functions(1, 3) + locations(1, 1, lambda i: 1) + field(2, packed(1, [1]) + packed(2, [1]))
    block = field(13, bytes([3]) * 65536)
    yield from repeat_to(block, size)


def shape_labels(size):
    # Samples of 1 frame and 40 labels each (string and numeric).
    yield strings_bytes(["", "samples", "count", "main", "key", "value", "bytes"])
    yield field(1, num_field(1, 1) + num_field(2, 2)) + functions(1, 3) + locations(1, 1, lambda i: 1)
    labels = b"".join(field(3, num_field(1, 4) + num_field(2, 5)) for _ in range(20))
    labels += b"".join(field(3, num_field(1, 6) + num_field(3, 1000 + k) + num_field(4, 6)) for k in range(20))
    block = b"".join(field(2, packed(1, [1]) + packed(2, [k + 1]) + labels) for k in range(1000))
    yield from repeat_to(block, size)


def shape_deep(size):
    # 2000-frame stacks, each a different rotation of 20000 locations: nothing shared in a call tree.
    pool, depth = 20000, 2000
    yield header() + functions(1, 3) + locations(1, pool, lambda i: 1)
    made = 0
    j = 0
    while made < size:
        chunk = b"".join(field(2, packed(1, [(j + k + t) % pool + 1 for t in range(depth)]) + packed(2, [1]))
                         for k in range(0, 64))
        j += 64 * 313
        made += len(chunk)
        yield chunk


def shape_bare_locations(size):
    # Locations that hold nothing but their id (5-6 bytes each on the wire, tens in memory), one sample:
    # the densest valid expansion; pprofx refuses it at its heap bound.
    n = size // 6
    yield header() + functions(1, 3) + field(2, packed(1, [1]) + packed(2, [1]))
    step = 1 << 16
    for first in range(1, n + 1, step):
        yield b"".join(field(4, num_field(1, i)) for i in range(first, min(n + 1, first + step)))


def shape_legacy_heap(size):
    # pprof's legacy heap text: 8 addresses per record out of 100000.
    yield b"heap profile: 1: 1024 [1: 1024] @ heap/1048576\n"
    block = "".join(f"1: 1024 [1: 1024] @ " + " ".join(f"0x{0x400000 + 16 * ((k * 13 + t * 977) % 100000):x}"
                                                    for t in range(8)) + "\n" for k in range(20000)).encode()
    yield from repeat_to(block, size)


def shape_folded(size):
    # Folded stacks: 12 frames out of 50000 names per line, every line different.
    made, k = 0, 0
    while made < size:
        chunk = "".join(";".join(f"pkg.fn{(j * 31 + t * 7919) % 50000}" for t in range(12)) + f" {j % 9 + 1}\n"
                        for j in range(k, k + 10000)).encode()
        k += 10000
        made += len(chunk)
        yield chunk


SHAPES = {
    "samples": shape_samples, "locations": shape_locations, "functions": shape_functions,
    "strings": shape_strings, "comments": shape_comments, "labels": shape_labels, "deep": shape_deep,
    "bare-locations": shape_bare_locations, "legacy-heap": shape_legacy_heap, "folded": shape_folded,
}


def write_shape(name, size, path):
    """Writes the shape gzip-compressed to path; returns the decompressed size."""
    raw = 0
    with gzip.open(path, "wb", compresslevel=1) as z:
        for chunk in SHAPES[name](size):
            z.write(chunk)
            raw += len(chunk)
    return raw


# ---- measuring -----------------------------------------------------------------------------------

COMMANDS = {"top": ["top"], "fold": ["fold"], "flame": ["flame", "-o", "{out}.svg"]}
LIMIT_AS = 8 << 30  # keep a runaway measurement from taking the machine

# Runs in a fresh, small interpreter: a child's peak RSS (ru_maxrss) starts at
# that of the process that forked it, so a big generator process would show.
_RUNNER = """
import os, resource, subprocess, sys, time
limit = int(sys.argv[1])
def cap():
    if limit > 0:  # 0: no limit (AddressSanitizer reserves terabytes of address space)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
start = time.perf_counter()
env = dict(os.environ, PPROFX_HEAP_REPORT="1")
p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=cap, env=env)
err = p.stderr.read()
_, status, usage = os.wait4(p.pid, 0)
took = time.perf_counter() - start
sys.stderr.buffer.write(err)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024, took)
"""


def run_measured(argv, limit_as=LIMIT_AS):
    """Runs argv under an address-space limit (0: none); returns (exit code, stderr text without the
    heap report line, peak RSS in bytes, seconds)."""
    code, err, rss, took, _ = run_measured_heap(argv, limit_as)
    return code, err, rss, took


def run_measured_heap(argv, limit_as=LIMIT_AS):
    """run_measured, and pprofx's counted heap peak in bytes (None if it printed none)."""
    r = subprocess.run([sys.executable, "-c", _RUNNER, str(limit_as)] + argv, capture_output=True)
    code, rss, took = r.stdout.split()
    heap, lines = None, []
    for line in r.stderr.decode(errors="replace").splitlines(keepends=True):
        if line.startswith("pprofx: heap: peak "):
            heap = int(line.split()[3])
        else:
            lines.append(line)
    return int(code), "".join(lines), int(rss), float(took), heap


def measure(pprofx, command, path, workdir, limit_as=LIMIT_AS, extra=()):
    """Runs one command on path; returns (exit code, stderr, peak RSS bytes, seconds, counted heap peak)."""
    args = [a.format(out=os.path.join(workdir, "out")) for a in COMMANDS[command]]
    return run_measured_heap([pprofx] + args + list(extra) + [path], limit_as)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pprofx")
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--commands", default="top,fold,flame")
    a = ap.parse_args()
    print(f"{'shape':14} {'command':6} {'decompressed':>12} {'gzip':>9} {'peak RSS':>9} {'ratio':>6} {'heap':>6} "
          f"{'time':>6}  exit")
    with tempfile.TemporaryDirectory() as d:
        for shape in a.shapes.split(","):
            path = os.path.join(d, shape + ".gz")
            raw = write_shape(shape, int(a.mb * 1e6), path)
            gz = os.path.getsize(path)
            for command in a.commands.split(","):
                if command == "top" and shape == "folded":
                    continue  # top reads profiles only
                code, err, rss, took, heap = measure(a.pprofx, command, path, d)
                note = "" if code == 0 else "  " + err.strip()[:150]
                heap_ratio = f"{heap / raw:6.2f}" if heap else "     -"
                print(f"{shape:14} {command:6} {raw / 1e6:10.1f}MB {gz / 1e6:7.2f}MB {rss / 1e6:7.0f}MB "
                      f"{rss / raw:6.2f} {heap_ratio} {took:5.1f}s  {code}{note}", flush=True)


if __name__ == "__main__":
    main()
