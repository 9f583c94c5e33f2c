#!/usr/bin/env python3
"""Hostile numbers end to end: values, durations, periods and labels at the
int64 limits. Each profile is written here as protobuf wire bytes. Checks exit
codes, the one-line errors, that no output file is left behind, and that
nothing crashes (a signal is a negative return code).

Usage: overflow_test.py PPROFX
       overflow_test.py --write-crashers DIR   (tests/fuzz/crashers/fuzz_values)
       overflow_test.py --write-seeds DIR      (tests/fuzz/corpus/fuzz_values)
"""
import json, os, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from wire import field, num_field, packed  # noqa: E402

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


def profile(samples, types=(("cpu", "nanoseconds"),), period_type=("cpu", "nanoseconds"), period=1,
            duration=0, time=0):
    """samples: [(stack of function names, leaf first, [values], [(key, num, unit)])]."""
    strings = [""]

    def s(text):
        if text not in strings:
            strings.append(text)
        return strings.index(text)

    out = b""
    for t, u in types:
        out += field(1, num_field(1, s(t)) + num_field(2, s(u)))
    funcs = {}
    for stack, values, labels in samples:
        for name in stack:
            funcs.setdefault(name, len(funcs) + 1)
        body = packed(1, [funcs[n] for n in stack]) + packed(2, values)
        for key, num, unit in labels:
            body += field(3, num_field(1, s(key)) + num_field(3, num) + (num_field(4, s(unit)) if unit else b""))
        out += field(2, body)
    for name, fid in funcs.items():
        out += field(4, num_field(1, fid) + field(4, num_field(1, fid) + num_field(2, 1)))  # location fid: one line
        out += field(5, num_field(1, fid) + num_field(2, s(name)) + num_field(3, s(name)))
    pt = num_field(1, s(period_type[0])) + num_field(2, s(period_type[1]))
    tail = b""
    if time:
        tail += num_field(9, time)
    if duration:
        tail += num_field(10, duration)
    tail += field(11, pt) + num_field(12, period)
    return b"".join(field(6, x.encode()) for x in strings) + out + tail


# The hostile inputs (also the fuzz crashers).
HOSTILE = {
    "duration-min.pb": profile([(["main"], [1], [])], duration=INT64_MIN),
    "period-min.pb": profile([(["main"], [1], [])], period=INT64_MIN),
    "label-min.pb": profile([(["main"], [1], [("bytes", INT64_MIN, "bytes")]),
                             (["f", "main"], [2], [("bytes", INT64_MAX, "bytes")])]),
    "value-max.pb": profile([(["main"], [INT64_MAX], [])]),
    "value-9e18.pb": profile([(["main"], [9_220_000_000_000_000_000], [])]),
    "duration-max.pb": profile([(["main"], [1], [])], duration=INT64_MAX),
    "period-max.pb": profile([(["main"], [1], [])], period=INT64_MAX),
    "split-sum.pb": profile([(["f", "main"], [5_000_000_000_000_000_000], []),
                             (["g", "main"], [-4_000_000_000_000_000_000], [])]),
}

# Valid inputs (also the fuzz seeds).
SEEDS = {
    "plain.pb": profile([(["f", "main"], [10], [("bytes", 100, "bytes")]), (["main"], [5], [])]),
    "secs.pb": profile([(["main"], [10_000_000_000], [])], types=(("cpu", "seconds"),)),
    "slow.pb": profile([(["main"], [1], [])], period_type=("cpu", "seconds"), period=10_000_000_000),
    "neg.pb": profile([(["main"], [-9_000_000_000_000_000_000], [])]),
    "pos.pb": profile([(["main"], [9_000_000_000_000_000_000], [])]),
    "contention.pb": profile([(["sync.(*Mutex).Unlock", "main"], [1, 6_000_000_000_000_000_000], [])],
                             types=(("contentions", "count"), ("delay", "nanoseconds")),
                             period_type=("contentions", "count")),
}

if len(sys.argv) == 3 and sys.argv[1] in ("--write-crashers", "--write-seeds"):
    os.makedirs(sys.argv[2], exist_ok=True)
    for name, data in (HOSTILE if sys.argv[1] == "--write-crashers" else SEEDS).items():
        with open(os.path.join(sys.argv[2], name), "wb") as f:
            f.write(data)
    sys.exit(0)

PPROFX = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="pprofx-overflow-")
results = []


def write(name, data):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def run(*args):
    return subprocess.run([PPROFX] + list(args), capture_output=True, cwd=work, env=dict(os.environ, TZ="UTC"))


def check(name, cond, r=None):
    results.append(bool(cond))
    detail = "" if cond or r is None else f"\n     exit {r.returncode}\n     stdout {r.stdout[:300]!r}\n     stderr {r.stderr!r}"
    print(("ok   " if cond else "FAIL ") + name + detail)


def one_error_line(r, *words):
    """Exit 1 and exactly one line on stderr, `pprofx: error: ...` with every word in it."""
    lines = r.stderr.decode(errors="replace").splitlines()
    return (r.returncode == 1 and len(lines) == 1 and lines[0].startswith("pprofx: error: ")
            and all(w in lines[0] for w in words))


def refused_without_output(name, out, args, *words):
    r = run(*args)
    check(f"{name}: one error line naming {', '.join(words)}, exit 1", one_error_line(r, *words), r)
    check(f"{name}: no output file and no temporary left", not os.path.exists(out) and
          not [f for f in os.listdir(work) if f.startswith(".") or f.startswith(os.path.basename(out))], r)


for name, data in list(HOSTILE.items()) + list(SEEDS.items()):
    write(name, data)

# Issue 21 point 1: INT64_MIN in scale() recursed until the stack ran out (exit 139).
for cmd in ("top", "tree", "info"):
    r = run(cmd, "duration-min.pb")
    check(f"{cmd} of a duration of INT64_MIN exits 0", r.returncode == 0, r)
r = run("top", "duration-min.pb")
check("top prints that duration as pprof does (no readable unit: seconds)",
      b"Duration: -9223372036.85s, Total samples = 1ns" in r.stdout, r)
r = run("info", "period-min.pb")
check("info of a period of INT64_MIN exits 0 and prints it", r.returncode == 0 and b"-9223372036854775808" in r.stdout, r)
r = run("merge", "period-min.pb", "period-min.pb", "-o", "pmin.pb.gz")
check("merge of periods of INT64_MIN exits 0", r.returncode == 0 and os.path.exists(os.path.join(work, "pmin.pb.gz")), r)
# A bound without a unit matches no byte label (pprof's rule), but every label is scaled to compare.
r = run("top", "--tagfocus", "bytes=1:", "label-min.pb")
check("--tagfocus bytes=1: over a label of INT64_MIN exits 0 (matching nothing, as pprof)",
      r.returncode == 0 and b"matched no samples" in r.stderr, r)
r = run("top", "--tagfocus", "bytes=1B:", "label-min.pb")
check("--tagfocus bytes=1B: over labels of INT64_MIN and INT64_MAX keeps the INT64_MAX one", r.returncode == 0 and
      b"Showing nodes accounting for 2ns, 66.67% of 3ns total" in r.stdout, r)
r = run("top", "--tagfocus=bytes=-9223372036854775808:", "plain.pb")
check("--tagfocus bytes=-9223372036854775808: exits 0", r.returncode == 0 and b"matched no samples" in r.stderr, r)
r = run("top", "--tagfocus=bytes=-9223372036854775808B:", "plain.pb")
check("--tagfocus bytes=-9223372036854775808B: keeps the labelled sample",
      r.returncode == 0 and b"Showing nodes accounting for 10ns, 66.67% of 15ns total" in r.stdout, r)

# Issue 13 point 3: sums of two valid profiles.
r = run("top", "value-9e18.pb", "value-9e18.pb")
check("top a a (9.22e18 each): one line naming both inputs, exit 1",
      one_error_line(r, "value-9e18.pb and value-9e18.pb", "overflows int64", "cpu") and not r.stdout, r)
refused_without_output("merge a a", os.path.join(work, "m.pb.gz"),
                       ["merge", "value-9e18.pb", "value-9e18.pb", "-o", "m.pb.gz"], "value-9e18.pb and value-9e18.pb",
                       "overflows int64")
refused_without_output("flame a a", os.path.join(work, "f.svg"), ["flame", "value-9e18.pb", "value-9e18.pb", "-o", "f.svg"],
                       "value-9e18.pb and value-9e18.pb", "overflows int64")
# Distinct stacks: no single sum overflows, but the merged |values| do (the decoder's rule).
r = run("top", "split-sum.pb", "value-9e18.pb")
check("values on different stacks whose |sum| leaves int64: refused",
      one_error_line(r, "split-sum.pb and value-9e18.pb", "add up past the int64 range"), r)
r = run("top", "value-9e18.pb", "plain.pb", "value-9e18.pb")
check("three inputs: the message names the one added and the first",
      one_error_line(r, "value-9e18.pb and the 2 profiles before it (from value-9e18.pb)"), r)

r = run("merge", "duration-max.pb", "duration-max.pb", "-o", "d.pb.gz")
check("merge: durations summing past int64 are refused (pprof writes a negative duration)",
      one_error_line(r, "duration-max.pb and duration-max.pb", "durations add up past the int64 range"), r)
check("merge: no output after the refused duration", not os.path.exists(os.path.join(work, "d.pb.gz")))
r = run("top", "duration-min.pb", "duration-min.pb")
check("top: two durations of INT64_MIN are refused, not wrapped to 0",
      one_error_line(r, "duration-min.pb and duration-min.pb", "durations"), r)

# Unit rescaling: 1e10 s does not fit in ns, whichever comes first.
r = run("top", "plain.pb", "secs.pb")
check("ns then 1e10 s: the converted value is refused",
      one_error_line(r, "plain.pb and secs.pb", "does not fit when converted to nanoseconds"), r)
r = run("top", "secs.pb", "plain.pb")
check("1e10 s then ns: rescaling what was merged is refused",
      one_error_line(r, "secs.pb and plain.pb", "merged so far, in seconds, do not fit when converted to nanoseconds"), r)
r = run("merge", "plain.pb", "slow.pb", "-o", "p.pb.gz")
check("a period of 1e10 s in ns: refused", one_error_line(r, "plain.pb and slow.pb", "period 10000000000 seconds"), r)
r = run("merge", "period-max.pb", "period-max.pb", "-o", "pmax.pb")
r2 = run("info", "pmax.pb")
check("periods of INT64_MAX in one unit merge exactly (no float64 round trip to 2^63)",
      r.returncode == 0 and b"every 9223372036854775807" in r2.stdout, r2)

# diff: a change that does not fit.
r = run("diff", "--format", "json", "neg.pb", "pos.pb")
check("diff: a change past int64 is refused", one_error_line(r, "BASE and NEW", "main", "overflows int64"), r)
r = run("diff", "--format", "json", "plain.pb", "pos.pb")
check("diff of large values that fit still works", r.returncode == 0 and b'"delta": 8999999999999999995' in r.stdout, r)

# check, and diff by groups of stacks: the same rule, refused in one line.
r = run("check", "pos.pb", "--baseline", "neg.pb")
check("check: a change past int64 is refused", one_error_line(r, "BASE and NEW", "main", "overflows int64"), r)
r = run("diff", "--by", "stack", "--format", "json", "neg.pb", "pos.pb")
check("diff --by stack: a change past int64 is refused", one_error_line(r, "BASE and NEW", "main", "overflows int64"), r)
r = run("check", "pos.pb", "--baseline", "neg.pb", "--baseline", "pos.pb")
check("check against several baselines: the error names the baseline",
      one_error_line(r, "baseline 1: BASE and NEW", "overflows int64"), r)
five = write("five.pb", profile([(["main"], [5_000_000_000_000_000_000], [])]))
refused_without_output("diff --width sum of 5e18 and 5e18 (drew data-total=\"0\")", os.path.join(work, "w.svg"),
                       ["diff", "--width", "sum", "five.pb", "five.pb", "-o", "w.svg"], "BASE and NEW", "widths")
# The median of baselines of 9.22e18 (check --flame) and per-op counts at INT64_MAX: drawn or refused, never wrapped.
r = run("check", "value-9e18.pb", "--baseline", "value-9e18.pb", "--baseline", "five.pb", "--baseline", "pos.pb",
        "--flame", "m.svg", "--normalize", "per-op", "--ops", "1,9223372036854775807")
check("check --flame of a median near int64's edge, per op at INT64_MAX operations: runs",
      r.returncode in (0, 3) and not r.stderr and os.path.getsize(os.path.join(work, "m.svg")) > 1000 and
      b"Total per operation -100.0%" in r.stdout, r)
r = run("diff", "five.pb", "five.pb", "-o", "w.svg")
check("diff --width new of the same: drawn, data-total 5e18", r.returncode == 0 and
      b'data-total="5000000000000000000"' in open(os.path.join(work, "w.svg"), "rb").read(), r)

# trend at int64's edges: a series from -9e18 to 9e18 cannot be a change of int64 (refused in one line);
# INT64_MAX three times and a duration of INT64_MIN are steady, exact in JSON.
r = run("trend", "neg.pb", "plain.pb", "pos.pb")
check("trend -9e18 -> 9e18: one error line naming the snapshots, exit 1 (the change overflows int64)",
      one_error_line(r, "neg.pb against pos.pb: BASE and NEW: the change", "overflows int64"), r)
r = run("trend", "value-max.pb", "value-max.pb", "value-max.pb", "--format", "json")
doc = json.loads(r.stdout) if r.returncode == 0 else {}
check("trend of INT64_MAX values: steady, the values exact", r.returncode == 0 and
      doc["total"]["values"] == [INT64_MAX] * 3 and doc["total"]["verdict"] == "steady" and
      all(x["values"] == [INT64_MAX] * 3 for x in doc["rows"]), r)
r = run("trend", "duration-min.pb", "plain.pb", "pos.pb", "--show-all")
check("trend with a duration of INT64_MIN and a value near INT64_MAX: runs, one report", r.returncode == 0 and
      b"grows" in r.stdout and not r.stderr, r)

# cross: a contention profile mostly released at an Unlock is lock delay, even at 6e18.
r = run("cross", "contention.pb")
check("cross: 2 x 6e18 of unlock delay does not wrap: lock_delay, not block_delay",
      r.returncode == 0 and b"\n  lock_delay " in r.stdout and b"block_delay" not in r.stdout, r)

# Issue 21 point 3: fractions outside [0, 1] are usage errors.
for cmd in ("top", "tree"):
    for flag in ("--nodefraction", "--edgefraction"):
        for bad in ("nan", "inf", "-inf", "1e308", "-0.5", "1.5", "x"):
            r = run(cmd, f"{flag}={bad}", "plain.pb")
            check(f"{cmd} {flag}={bad}: usage error (exit 2) naming the option",
                  r.returncode == 2 and flag.encode() in r.stderr and b"from 0 to 1" in r.stderr and not r.stdout, r)
        for good in ("0", "1", "0.25"):
            r = run(cmd, f"{flag}={good}", "plain.pb")
            check(f"{cmd} {flag}={good} accepted", r.returncode == 0, r)
r = run("top", "-nodefraction=nan", "plain.pb")
check("pprof's spelling -nodefraction=nan: usage error too", r.returncode == 2, r)

shutil.rmtree(work)
failed = results.count(False)
print(f"{len(results) - failed}/{len(results)} passed")
sys.exit(1 if failed else 0)
