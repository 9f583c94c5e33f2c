#!/usr/bin/env python3
"""Writes testdata/labels/units.pb.gz: a small profile whose samples carry
string labels (one key with two values in one sample, values holding markup)
and numeric labels with and without units (bytes, nanoseconds, ms, a key
mixing both), for pprof's -tagroot/-tagleaf/-tags formatting; its drop_frames
(main.work) prunes stacks before the leaf frames are added. Go's runtime
writes string labels only, so this one is written field by field here.

Usage: scripts/make-labels-profile.py   (deterministic: same bytes every run)
"""
import gzip, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
import wire  # noqa: E402


def field(num, payload):
    return wire.num_field(num, payload) if isinstance(payload, int) else wire.field(num, payload)


strings = [""]


def s(text):
    if text not in strings:
        strings.append(text)
    return strings.index(text)


def msg(*fields):
    return b"".join(fields)


def label(key, text=None, num=None, unit=None):
    parts = [field(1, s(key))]
    if text is not None:
        parts.append(field(2, s(text)))
    if num is not None:
        parts.append(field(3, num))
    if unit is not None:
        parts.append(field(4, s(unit)))
    return field(3, msg(*parts))


def sample(locations, value, *labels):
    return field(2, msg(wire.packed(1, locations), wire.packed(2, [value]), *labels))


body = [field(1, msg(field(1, s("cpu")), field(2, s("nanoseconds"))))]
body.append(sample([1, 2], 100000000, label("tenant", "acme"), label("request_bytes", num=1536, unit="bytes")))
body.append(sample([1, 3], 200000000, label("tenant", "b<i>&\"x\""), label("tenant", "c"),
                   label("request_bytes", num=2048, unit="bytes"), label("request_bytes", num=10)))
body.append(sample([2], 50000000, label("latency", num=1500000, unit="nanoseconds")))
body.append(sample([3], 25000000, label("count", num=7), label("latency", num=-3, unit="ms")))
body.append(sample([1, 2], 10000000, label("tenant", "acme"), label("request_bytes", num=1536, unit="bytes")))
body.append(field(3, msg(field(1, 1), field(2, 0x400000), field(3, 0x500000), field(5, s("/bin/app")),
                         field(7, 1), field(8, 1), field(9, 1))))
for loc, fn in ((1, 1), (2, 2), (3, 3)):
    body.append(field(4, msg(field(1, loc), field(2, 1), field(3, 0x400000 + 16 * loc),
                             field(4, msg(field(1, fn), field(2, 10 * loc))))))
for fn, name in ((1, "main.work"), (2, "main.handle"), (3, "main.main")):
    body.append(field(5, msg(field(1, fn), field(2, s(name)), field(3, s(name)), field(4, s("app/main.go")))))
tail = [field(7, s("main\\.work")),  # drop_frames: pprof prunes before it adds -tagleaf's frames
        field(9, 1700000000000000000), field(10, 2000000000),
        field(11, msg(field(1, s("cpu")), field(2, s("nanoseconds")))), field(12, 10000000)]
table = b"".join(field(6, t.encode()) for t in strings)
data = b"".join(body) + table + b"".join(tail)
out = os.path.join(ROOT, "testdata", "labels", "units.pb.gz")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "wb") as fh:
    fh.write(gzip.compress(data, 9, mtime=0))
print(out)
