#!/usr/bin/env python3
"""Memory stays bounded on hostile and large inputs (issue 21, points 4 and 5):
stdin, pipes and devices stop at --max-size; a file of comments is refused at
once; on every input shape of bench/memory_shapes.py at about 40 MB, each
command finishes or is refused at pprofx's heap bound (3x the decompressed
size + 128 MiB, docs/robustness.md "Memory bounds"), and peak RSS stays within
that bound plus a fixed slack. Peak RSS is the child's ru_maxrss, measured
from a small interpreter; nothing here asserts a time.

Usage: memory_test.py PPROFX
"""
import os, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
import memory_shapes as shapes  # noqa: E402

PPROFX = os.path.abspath(sys.argv[1])
MB = 1 << 20
# Under AddressSanitizer (PPROFX_SANITIZED=1) the address space cannot be limited (ASan reserves
# terabytes for its shadow) and RSS holds the shadow and ASan's quarantine: the behaviour (exit
# codes, messages) is checked there too, the RSS bounds only in the normal build.
SANITIZED = os.environ.get("PPROFX_SANITIZED") == "1"
LIMIT = 0 if SANITIZED else 2 << 30  # address space, for the reads that must stop at the cap
SHAPE_LIMIT = 0 if SANITIZED else shapes.LIMIT_AS


def within(rss, bound):
    return SANITIZED or rss < bound


if SANITIZED:
    print("NOTE: sanitizer build: exit codes and messages are checked, the peak-RSS bounds are not", flush=True)
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail!r}"[:2000]), flush=True)


def one_error_line(code, err, *needles):
    lines = err.splitlines()
    return (code == 1 and len(lines) == 1 and lines[0].startswith("pprofx: error: ")
            and all(n in lines[0] for n in needles))


def measured_shell(script):
    """Runs a shell pipeline whose last command is pprofx (exec'd, so it is the measured child)."""
    return shapes.run_measured(["/bin/sh", "-c", script], limit_as=LIMIT)


with tempfile.TemporaryDirectory() as d:
    # Point 5: stdin, pipes and devices are read up to the cap only.
    code, err, rss, _ = measured_shell(f"head -c 300000000 /dev/zero | exec {PPROFX} top - --max-size 1000")
    check(f"300 MB through a pipe with --max-size 1000: refused at the cap ({rss / MB:.0f} MB peak)",
          one_error_line(code, err, "<stdin>: size exceeds the limit of 1000 bytes") and within(rss, 60 * MB),
          (code, err, rss))
    # Zeros are garbage from their first byte (field number 0): a stream of them stops there.
    code, err, rss, _ = shapes.run_measured([PPROFX, "top", "/dev/zero", "--max-size", "20000000"], limit_as=LIMIT)
    check(f"/dev/zero as a file: refused at its first bytes ({rss / MB:.0f} MB peak)",
          one_error_line(code, err, "/dev/zero: not a valid pprof profile: malformed protobuf at byte 0: field number 0")
          and within(rss, 60 * MB), (code, err, rss))
    code, err, rss, _ = measured_shell(f"head -c 2000000000 /dev/zero | gzip -1 | exec {PPROFX} top -")
    check(f"gzip of zeros through a pipe: refused at its first bytes ({rss / MB:.0f} MB peak)",
          one_error_line(code, err, "<stdin>: not a valid pprof profile: malformed protobuf at byte 0: field number 0")
          and within(rss, 60 * MB), (code, err, rss))
    # A valid start (a string-table entry of 4 GiB), then zeros: read up to the cap only.
    head = os.path.join(d, "head.bin")
    open(head, "wb").write(b"\x32\x80\x80\x80\x80\x10")
    fifo = os.path.join(d, "in.fifo")
    os.mkfifo(fifo)
    # The writer's stderr is not the measured pipe's, and it is unblocked afterwards: if pprofx
    # never opened the FIFO, the writer would wait in open(2) for ever, holding the test.
    code, err, rss, _ = measured_shell(f"(cat {head}; head -c 300000000 /dev/zero) 2>/dev/null > {fifo} & exec {PPROFX} "
                                       f"fold {fifo} --max-size 5000000")
    os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
    check(f"a FIFO: refused at the cap ({rss / MB:.0f} MB peak)",
          one_error_line(code, err, "size exceeds the limit of 5000000 bytes") and within(rss, 60 * MB),
          (code, err, rss))
    # gzip data through a pipe: counted as it arrives, refused once it inflates past the cap.
    code, err, rss, _ = measured_shell(f"(cat {head}; head -c 2000000000 /dev/zero) | gzip -1 | exec {PPROFX} top - "
                                       "--max-size 50000000")
    check(f"gzip through a pipe inflating past the cap: refused early ({rss / MB:.0f} MB peak)",
          one_error_line(code, err, "<stdin>: decompressed size exceeds the limit of 50000000 bytes") and
          within(rss, 60 * MB), (code, err, rss))
    # Within the cap, a pipe still works (and gives what the file gives).
    prof = os.path.join(d, "samples.pb.gz")
    shapes.write_shape("samples", 2_000_000, prof)
    by_file = subprocess.run([PPROFX, "top", prof], capture_output=True)
    by_pipe = subprocess.run(f"cat {prof} | {PPROFX} top -", shell=True, capture_output=True)
    check("a profile through a pipe gives the file's table", by_file.returncode == 0 and
          by_pipe.stdout == by_file.stdout and by_file.stdout.count(b"\n") > 3, (by_file.stderr, by_pipe.stderr))

    # --threads 1 runs on one thread: no inflate thread, no second thread for the samples' decode or
    # the call graph (issue 20). The process's threads are counted while it runs (/proc/PID/task); by
    # default the same profile (32 MB inflated, one gzip member, 2.3M samples) uses more.
    big = os.path.join(d, "threads.pb.gz")
    shapes.write_shape("samples", 32_000_000, big)

    def most_threads(argv):
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        most = 0
        while p.poll() is None:
            try:
                most = max(most, len(os.listdir(f"/proc/{p.pid}/task")))
            except OSError:
                pass
            time.sleep(0.0005)
        p.stderr.read()
        return p.returncode, most

    for cmd in (["top"], ["flame", "-o", os.path.join(d, "threads.svg")]):
        code1, one = most_threads([PPROFX, *cmd, big, "--threads", "1"])
        code2, two = most_threads([PPROFX, *cmd, big])
        check(f"{cmd[0]} --threads 1: one thread (seen at most {one}; {two} without --threads)",
              code1 == 0 and code2 == 0 and one == 1 and two >= 2, (code1, code2, one, two))

    # Point 4: comments. 20 MB of one-byte comment references took gigabytes; refused at once now.
    path = os.path.join(d, "comments.pb.gz")
    shapes.write_shape("comments", 20_000_000, path)
    code, err, rss, _ = shapes.run_measured([PPROFX, "top", path], SHAPE_LIMIT)
    check(f"20 MB of comments: refused with the limit named ({rss / MB:.0f} MB peak)",
          one_error_line(code, err, "more than 100000 comments (limit 100000)") and within(rss, 80 * MB),
          (code, err, rss))
    # A few comments referencing one long string would print (and copy) far more than the file holds.
    long_text = "comment line\n" * 80000  # short lines: a line of 64 KiB makes the legacy scanners answer
    body = shapes.strings_bytes(["", "samples", "count", "main", long_text])
    body += shapes.field(1, shapes.num_field(1, 1) + shapes.num_field(2, 2))
    body += shapes.field(13, bytes([4]) * 100)
    path = os.path.join(d, "long_comments.pb")
    open(path, "wb").write(body)
    code, err, rss, _ = shapes.run_measured([PPROFX, "top", path], SHAPE_LIMIT)
    check("100 comments of 1 MiB each: refused (the comments' text is capped at 16 MiB)",
          one_error_line(code, err, "the comments hold more than 16777216 bytes of text"), (code, err))

    # Point 4: the heap bound (docs/robustness.md, "Memory bounds"). Every shape, every command: it either
    # finishes or is refused with the bound's message, and peak RSS stays within the bound (3x the
    # decompressed size + 128 MiB) plus what the heap count leaves out (the binary, C libraries,
    # allocator slack; SLACK). bench/memory_shapes.py measures the same at 100 MB.
    SLACK = 48 * MB
    # Shapes a real profile can have finish at this size; the densest expansion is refused; "functions"
    # (a name, function, location and sample per symbol: over 5x) may go either way near the bound.
    MUST_FINISH = {"samples", "locations", "strings", "labels", "deep", "legacy-heap", "folded"}
    MUST_REFUSE = {"bare-locations"}
    SIZE = 40_000_000
    for shape in shapes.SHAPES:
        path = os.path.join(d, shape + ".gz")
        raw = shapes.write_shape(shape, SIZE, path)
        bound = 3 * raw + 128 * MB
        for command in ("top", "fold", "flame"):
            if shape == "folded" and command == "top":
                continue  # top reads profiles only
            code, err, rss, took, heap = shapes.measure(PPROFX, command, path, d, SHAPE_LIMIT)
            refused = one_error_line(code, err, path + ": needs more memory than pprofx's bound of")
            if shape == "comments":
                expected = one_error_line(code, err, "more than 100000 comments")
            elif shape in MUST_FINISH:
                expected = code == 0 and heap is not None and heap <= bound
            elif shape in MUST_REFUSE:
                expected = refused
            else:
                expected = code == 0 or refused
            leftovers = [n for n in os.listdir(d) if n.startswith(".pprofx-") or n == "out.svg"]
            outcome = "finished" if code == 0 else "refused" if refused else f"exit {code}"
            check(f"{shape} ({raw / 1e6:.0f} MB) {command}: {outcome}, peak RSS {rss / MB:.0f} MB = {rss / raw:.2f}x "
                  f"(bound {bound / MB:.0f} MB + {SLACK // MB} MB slack)",
                  expected and within(rss, bound + SLACK) and (code == 0 or not leftovers),
                  (code, err[:300], rss, heap, leftovers))
            if os.path.exists(os.path.join(d, "out.svg")):
                os.remove(os.path.join(d, "out.svg"))
        if shape == "samples":
            # A fixed bound replaces the automatic one; 0 lifts it.
            code, err, rss, _, _ = shapes.measure(PPROFX, "fold", path, d, SHAPE_LIMIT, ["--max-memory", "60M"])
            check("--max-memory 60M: refused with that bound named",
                  one_error_line(code, err, path + ": needs more memory than the --max-memory bound of 60MB") and
                  within(rss, 60 * MB + SLACK), (code, err, rss))
        if shape == "bare-locations":
            code, err, _, _, _ = shapes.measure(PPROFX, "top", path, d, SHAPE_LIMIT, ["--max-memory", "0"])
            check("--max-memory 0: the refused shape is read after all", code == 0, (code, err[:300]))
            for bad in ("-5", "12 parsecs", "99999999999T"):
                r = subprocess.run([PPROFX, "top", "--max-memory", bad, path], capture_output=True, text=True)
                check(f"--max-memory {bad!r}: a usage error", r.returncode == 2 and
                      "--max-memory" in r.stderr and "is not a size" in r.stderr, (r.returncode, r.stderr))
        os.remove(path)

    # The fixed 128 MiB holds what does not grow with the input: a 1.5 MB profile whose flame graph
    # fills the SVG's 64 MiB budget (2^16 paths of 16 frames, two 1,000-character names) is drawn.
    A, B = "A" * 1000, "B" * 1000
    body = shapes.strings_bytes(["", "samples", "count", A, B]) + shapes.field(1, shapes.num_field(1, 1) + shapes.num_field(2, 2))
    for f in (1, 2):
        body += shapes.field(5, shapes.num_field(1, f) + shapes.num_field(2, f + 2))
        body += shapes.field(4, shapes.num_field(1, f) + shapes.field(4, shapes.num_field(1, f)))
    body += b"".join(shapes.field(2, shapes.packed(1, [((k >> b) & 1) + 1 for b in range(16)]) + shapes.packed(2, [1]))
                     for k in range(1 << 16))
    path = os.path.join(d, "wide-tree.pb")
    open(path, "wb").write(body)
    svg = os.path.join(d, "wide.svg")
    code, err, rss, _ = shapes.run_measured([PPROFX, "flame", path, "--max-frames", "0", "--minwidth", "0", "-o", svg],
                                            SHAPE_LIMIT)
    check(f"a small profile that fills the SVG budget is drawn within the fixed allowance ({rss / MB:.0f} MB peak)",
          code == 0 and "size budget" in open(svg, encoding="utf-8").read() and within(rss, 128 * MB + SLACK),
          (code, err[:300], rss))

print(f"{sum(results)}/{len(results)} passed")
sys.exit(0 if all(results) else 1)
