#!/usr/bin/python3
"""Two small CPU profiles for diff mode's tests: a function nearly gone in NEW
(its frame is narrower than the SVG draws, its change the largest), one that
grew and one only in NEW. Usage: make_pair.py BASE NEW"""
import gzip, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from wire import field, num_field, packed  # noqa: E402

NAMES = ["main", "nearly_gone", "grew", "only_new"]


def profile(counts):
    """counts: leaf function -> samples of 10ms, each stack main -> leaf."""
    strings = [b"", b"samples", b"count", b"cpu", b"nanoseconds", b"x.go"] + [n.encode() for n in NAMES]
    out = field(1, num_field(1, 1) + num_field(2, 2)) + field(1, num_field(1, 3) + num_field(2, 4))
    for leaf, n in counts.items():
        if n:
            out += field(2, packed(1, [NAMES.index(leaf) + 1, 1]) + packed(2, [n, n * 10000000]))
    for i, name in enumerate(NAMES, start=1):
        out += field(4, num_field(1, i) + num_field(3, 0x1000 * i) + field(4, num_field(1, i) + num_field(2, i)))
        out += field(5, num_field(1, i) + num_field(2, 6 + i - 1) + num_field(3, 6 + i - 1) + num_field(4, 5))
    out += field(11, num_field(1, 3) + num_field(2, 4)) + num_field(12, 10000000)
    return gzip.compress(b"".join(field(6, s) for s in strings) + out, mtime=0)


open(sys.argv[1], "wb").write(profile({"nearly_gone": 5000, "grew": 5000, "only_new": 0}))
open(sys.argv[2], "wb").write(profile({"nearly_gone": 1, "grew": 20000, "only_new": 10000}))
