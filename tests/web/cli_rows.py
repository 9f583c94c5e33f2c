"""What the CLI prints, as the page's tables show it: shared by the browser tests
(Chromium through selenium, Firefox through WebDriver BiDi)."""
import base64, json, re, subprocess, zlib

import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from wire import field, num_field, packed  # noqa: E402


class Checks:
    """The tests' checks: each printed as ok or FAIL (with its detail); exit() prints the count and exits 1
    unless there were checks and all passed."""

    def __init__(self):
        self.results = []

    def __call__(self, name, cond, detail=""):
        self.results.append(bool(cond))
        print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail}"[:2000]))

    def exit(self):
        print(f"{sum(self.results)}/{len(self.results)} checks passed")
        sys.exit(0 if self.results and all(self.results) else 1)


def page_data(page):
    """The data of an HTML page's bytes (web/page.cc's form: deflated, '=' escapes for NUL, CR, '<' and '=',
    the JSON then a NUL and the arrays' bytes) as the .json file has it: each array a base64 string."""
    block = page.split(b'id="pprofx-data">', 1)[1].split(b"</script>", 1)[0]
    packed_bytes = re.sub(rb"=(.)", lambda m: bytes([(m.group(1)[0] - 0x40) & 0xff]), block, flags=re.S)
    payload = zlib.decompress(packed_bytes)
    text, blob = payload.split(b"\0", 1)

    def arrays(o):
        if isinstance(o.get("bin"), list):
            at, n = o["bin"]
            return base64.b64encode(blob[at:at + n]).decode()
        return o
    return json.loads(text, object_hook=arrays)


def exact(name):
    """pprof's UI refine regexp: ^name$ with the regexp characters escaped."""
    return "^" + re.sub(r"([\\^$.*+?()\[\]{}|/])", r"\\\1", name) + "$"


def top_rows(pprofx, args, profile):
    """pprofx top's rows as (flat, flat%, sum%, cum, cum%, name, pprof's (inline) mark or "")."""
    out = subprocess.run([pprofx, "top"] + args + [profile], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*(\S+)\s+(\S+%)\s+(\S+%)\s+(\S+)\s+(\S+%)  (.*?)(?: (\((?:partial-)?inline\)))?$", line)
        if m:
            rows.append(m.groups()[:6] + (m.group(7) or "",))
    return rows


def diff_rows(pprofx, args, base, new):
    """pprofx diff's text rows as (8 cells..., name, noise)."""
    out = subprocess.run([pprofx, "diff", "--color=never"] + args + [base, new], check=True, capture_output=True,
                         text=True).stdout
    rows = []
    for line in out.splitlines()[4:]:
        m = re.match(r"\s*" + r"(\S+)\s+" * 7 + r"(\S+)  (.*?)(  \(within noise\))?$", line)
        if m:
            rows.append(m.groups()[:9] + ("within noise" if m.group(10) else "",))
    return rows


HOSTILE_NAMES = [b"main", b"</script><script>window.pwned=1</script>", b"<img src=x onerror=window.pwned=2>",
                 b"q\"'`&amp;\xe2\x80\xa8line\nbreak", b"bad\xff\xfeutf8", "日本語🔥".encode()]


def hostile_profile(path):
    """Function names holding markup, a script end tag, quotes, U+2028, newlines and invalid UTF-8."""
    names = HOSTILE_NAMES
    strings = [b"", b"cpu", b"nanoseconds"]

    def s(text):
        if text not in strings:
            strings.append(text)
        return strings.index(text)

    out = field(1, num_field(1, 1) + num_field(2, 2))
    for i, n in enumerate(names[1:], start=2):
        out += field(2, packed(1, [i, 1]) + packed(2, [1000 * i]))
    for fid, n in enumerate(names, start=1):
        out += field(4, num_field(1, fid) + num_field(3, 0x1000 + fid) + field(4, num_field(1, fid) + num_field(2, 1)))
        out += field(5, num_field(1, fid) + num_field(2, s(n)) + num_field(3, s(n)) + num_field(4, s(b"x.go")))
    out += field(11, num_field(1, 1) + num_field(2, 2)) + num_field(12, 1)
    with open(path, "wb") as f:
        f.write(b"".join(field(6, x) for x in strings) + out)


def same_name_profile(path):
    """Two frames printed alike: a function named "[libz.so]", inlined into main, and a location of libz.so
    without lines (pprof prints it "[libz.so]"), with the same flat and cum: only pprof's tie-break of equal
    names (its node info string) orders their rows, and only the "(inline)" mark tells the rows apart."""
    strings = [b"", b"samples", b"count", b"libz.so", b"[libz.so]", b"main", b"main.go"]
    out = field(1, num_field(1, 1) + num_field(2, 2))
    # The function's location comes first, so its frame does too: the order of frames is not pprof's order.
    out += field(2, packed(1, [2, 3]) + packed(2, [5]))  # the nameless location, called from main
    out += field(2, packed(1, [1]) + packed(2, [5]))     # the function "[libz.so]" inlined into main
    out += field(3, num_field(1, 1) + num_field(2, 0x1000) + num_field(3, 0x2000) + num_field(5, 3))
    line = lambda fn, no: field(4, num_field(1, fn) + num_field(2, no))  # noqa: E731
    out += field(4, num_field(1, 1) + num_field(3, 0x3002) + line(1, 5) + line(2, 9))
    out += field(4, num_field(1, 2) + num_field(2, 1) + num_field(3, 0x1001))
    out += field(4, num_field(1, 3) + num_field(3, 0x3003) + line(2, 12))
    for fid, name in enumerate([4, 5], start=1):
        out += field(5, num_field(1, fid) + num_field(2, name) + num_field(3, name) + num_field(4, 6))
    with open(path, "wb") as f:
        f.write(b"".join(field(6, x) for x in strings) + out)
