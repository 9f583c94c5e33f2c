#!/usr/bin/env python3
"""Hostile names in every output: each profile is written here as protobuf
wire bytes with names holding ESC/OSC sequences, control characters, invalid
UTF-8, lone surrogates, markup and newlines. Checks that text reports show
control characters as \\xNN (valid UTF-8 names unchanged), that Markdown keeps
every name inside one code span of one table cell, that JSON and XML parse
with strict parsers, and that folded output has one line per stack.

Usage: hostile_output_test.py PPROFX
"""
import json, os, re, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from wire import field, num_field, packed  # noqa: E402

PPROFX = sys.argv[1]
failures = 0


def check(what, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1
        print("     ", repr(detail)[:600])


def run(args, stdin=None):
    r = subprocess.run([PPROFX] + args, capture_output=True, input=stdin, timeout=60)
    if r.returncode < 0:
        check(f"{args[0]}: no crash", False, r)
    return r


def profile(samples, types=((b"cpu", b"nanoseconds"),), comments=(), mapping=None, extra_strings=()):
    """samples: [(stack of function names as bytes, leaf first, [values], [(key, str)])].
    mapping: (file name, build id) of one mapping every location is in."""
    strings = [b""]

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
        for key, value in labels:
            body += field(3, num_field(1, s(key)) + num_field(2, s(value)))
        out += field(2, body)
    if mapping:
        out += field(3, num_field(1, 1) + num_field(2, 0x1000) + num_field(3, 0x900000) + num_field(5, s(mapping[0])) +
                     num_field(6, s(mapping[1])) + num_field(7, 1))
    for name, fid in funcs.items():
        loc = num_field(1, fid) + (num_field(2, 1) if mapping else b"") + num_field(3, 0x1000 + fid)
        out += field(4, loc + field(4, num_field(1, fid) + num_field(2, 1)))
        out += field(5, num_field(1, fid) + num_field(2, s(name)) + num_field(3, s(name)) +
                     num_field(4, s(b"src/" + name + b".go")))
    for c in comments:
        out += num_field(13, s(c))
    for x in extra_strings:
        s(x)
    out += field(11, num_field(1, s(types[0][0])) + num_field(2, s(types[0][1]))) + num_field(12, 1)
    return b"".join(field(6, x) for x in strings) + out


OSC = b"main\x1b]0;pwned\x07"
MD = b"f`x`\n# No regression\n![t](http://x/i.png) @admin | <b>x</b>"
BAD = b"f\xff\x01<&"
SURROGATE = b"g\xed\xa0\x80\xfe\xff\xef\xbf\xbe]]>\"'\x1c\x85\r"
UTF8 = "日本語の関数🔥".encode()
# MD as pprof's name simplification shows it (argument lists and templates dropped, as pprof does).
MD_SHOWN = b"f`x`\n# No regression\n![t] @admin | x"
NAMES = [OSC, MD, BAD, SURROGATE, UTF8, b"f``x", b"`tick`", b" spaced "]
SHOWN = [MD_SHOWN if n == MD else n for n in NAMES]

# A C0/C1 control, DEL or a byte that is not valid UTF-8 (an escaped name shows none).
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def is_clean_text(b):
    """Valid UTF-8 with no control characters but \\n (the report's own line breaks)."""
    try:
        b.decode("utf-8", "strict")
    except UnicodeDecodeError:
        return False
    return not CONTROL.search(b) and b"\r" not in b  # a tab stays, as pprof prints it


def make_base_new(d, repeat=1):
    """A base and a new profile over NAMES; the new one triples every other name.
    With `repeat`, each sample `repeat` times: enough samples for check's noise
    bound to let the tripled names through as findings."""
    base = [([n, b"main"], [10 + i], [(b"k\x1bey", b"v\x1b[31m")]) for i, n in enumerate(NAMES)] * repeat
    new = [([n, b"main"], [(10 + i) * (3 if i % 2 else 1)], []) for i, n in enumerate(NAMES)] * repeat
    paths = {}
    for name, samples in [(f"base{repeat}.pb", base), (f"new{repeat}.pb", new)]:
        paths[name] = os.path.join(d, name)
        open(paths[name], "wb").write(profile(samples, comments=[b"comment \x1b[2J here", b"two\nlines"],
                                              mapping=(b"/bin/ma\x1bin\x07", b"bu\x1b[1mild"),
                                              types=((b"cp\x1bu", b"nano\xc2\x9bseconds"),)))
    return paths[f"base{repeat}.pb"], paths[f"new{repeat}.pb"]


def code_span_cells(line):
    """The cells of a GFM table row: split on | not preceded by a backslash."""
    if not (line.startswith("| ") and line.endswith(" |")):
        return [""]
    cells = re.split(r"(?<!\\)\|", line[1:-1])
    return [c.strip().replace("\\|", "|") for c in cells]


def one_code_span(cell):
    """The content of cell if it is exactly one CommonMark code span, else None."""
    m = re.match(r"^(`+)", cell)
    if not m:
        return None
    fence = m.group(1)
    if not cell.endswith(fence) or len(cell) < 2 * len(fence):
        return None
    body = cell[len(fence):len(cell) - len(fence)]
    if any(len(run) == len(fence) for run in re.findall(r"`+", body)) or cell[-len(fence) - 1:-len(fence)] == "`":
        return None
    if body.startswith(" ") and body.endswith(" ") and body.strip(" "):
        body = body[1:-1]
    return body


def visible(name, xml=False):
    """A name as the text reports show it (control characters and bad bytes as \\xNN)."""
    out = ""
    for ch in name.decode("utf-8", "surrogateescape"):
        o = ord(ch)
        if ch == "\n":
            out += "\\n"
        elif ch == "\r":
            out += "\\r"
        elif ch == "\t":
            out += "\\t"
        elif 0xDC80 <= o <= 0xDCFF:
            out += "\\x%02x" % (o - 0xDC00)
        elif o < 0x20 or o == 0x7F or 0x80 <= o <= 0x9F or (xml and o in (0xFFFE, 0xFFFF)):
            out += "".join("\\x%02x" % b for b in ch.encode())
        else:
            out += ch
    return out


def check_markdown(what, text, table_header, names_shown=True):
    check(f"{what}: valid UTF-8", is_clean_text(text), text[:300])
    text = text.decode("utf-8", "replace").encode()
    lines = text.decode().split("\n")
    rows = [l for l in lines if l.startswith("| ")]
    heads = [l for l in lines if l.startswith("#")]
    check(f"{what}: no heading but pprofx's own", all(h.startswith("### ") and "pprofx check" in h for h in heads), heads)
    names = set()
    for row in rows[1:] if rows and rows[0].startswith(table_header) else rows:
        cells = code_span_cells(row)
        body = one_code_span(cells[0])
        if body is None:
            check(f"{what}: the name is one code span in one cell", False, row)
            return
        names.add(body)
        outside = " ".join(c for c in cells[1:] if one_code_span(c) is None)  # a value in a hostile unit is a span
        check(f"{what}: nothing outside the code span can link or mention ({cells[0][:30]}...)",
              not re.search(r"[`<>@!\[\]]", outside), outside)
    want = {visible(n) for n in SHOWN} if names_shown else set()
    check(f"{what}: every name shown, as a terminal shows it", want <= names, (want - names, names))
    outside_spans = re.sub(r"(`+).*?\1", "", text.decode())
    check(f"{what}: no image, link, HTML or mention outside code spans",
          not re.search(r"!\[|\]\(|<[a-z/]|@\w", outside_spans), outside_spans[:400])


with tempfile.TemporaryDirectory() as d:
    base, new = make_base_new(d)
    many_base, many_new = make_base_new(d, repeat=200)  # check finds the tripled names

    # Point 10: text reports.
    for args in [["top", new], ["top", new, "--color=always"], ["tree", new], ["info", new],
                 ["diff", base, new], ["diff", base, new, "--by", "stack"],
                 ["check", new, "--baseline", base, "--min-share", "0", "--show-all"],
                 ["check", many_new, "--baseline", many_base, "--min-share", "0", "--show-all"],
                 ["cross", "--cpu", new], ["traces", new], ["tags", new], ["raw", new],
                 ["trend", base, new, new, "--show-all"]]:
        r = run(args)
        out = r.stdout
        if "--color=always" in args:
            out = re.sub(rb"\x1b\[[0-9;]*m", b"", out)  # pprofx's own colours
        check(f"{' '.join(args[:1] + args[2:])}: runs", r.returncode in (0, 3), r.stderr)
        check(f"{' '.join(args[:1] + args[2:])}: no control character or invalid UTF-8 reaches the terminal",
              is_clean_text(out), [l for l in out.split(b"\n") if not is_clean_text(l)][:3])
        if args[0] not in ("info", "tags"):  # tags shows labels only
            check(f"{args[0]}: hostile names shown escaped, valid UTF-8 names as they are",
                  b"main\\x1b]0;pwned\\x07" in out and UTF8 in out and b"f\\xff\\x01<&" in out, out[-600:])
    info = run(["info", base]).stdout.decode("utf-8", "replace")
    for shown in ["comment \\x1b[2J here", "two\\nlines", "bu\\x1b[1mild", "/bin/ma\\x1bin\\x07", "k\\x1bey",
                  "cp\\x1bu/nano\\xc2\\x9bseconds"]:
        check(f"info shows {shown!r}", shown in info, info)
    top = run(["top", new]).stdout.decode("utf-8", "replace")
    check("top's header shows build id and comments escaped",
          "Build ID: bu\\x1b[1mild" in top and "comment \\x1b[2J here" in top and "two\\nlines" in top, top[:500])

    # Point 11: Markdown.
    md = os.path.join(d, "r.md")
    r = run(["check", new, "--baseline", base, "--min-share", "0", "--report", md, "--show-all"])
    check("check --report md: runs", r.returncode in (0, 3), r.stderr)
    check_markdown("check --report md", open(md, "rb").read(), "| function |")
    r = run(["check", many_new, "--baseline", many_base, "--min-share", "0", "--report", md, "--show-all"])
    check("check --report md with findings: fails", r.returncode == 3, r.stdout[:300])
    check_markdown("check --report md with findings", open(md, "rb").read(), "| function |")
    r = run(["check", many_new, "--baseline", many_base, "--min-share", "0", "--report", "github"])
    commands = [l for l in r.stdout.split(b"\n") if l.startswith(b"::")]
    check("check --report github: one workflow command per finding and the total, each one clean line",
          r.returncode == 3 and len(commands) == 5 and all(is_clean_text(l) and re.match(rb"^::error title=[^:,]*::", l)
                                                           for l in commands), commands)
    r = run(["diff", base, new, "--format", "markdown"])
    check_markdown("diff --format markdown", r.stdout, "| function |")
    r2 = run(["diff", base, new, "--format", "markdown", "--lines"])  # file names keep "(http://x/i.png)"
    check("diff --format markdown --lines: the file name's link is inside the span",
          b"![t](http:" in r2.stdout, r2.stdout[-300:])
    check_markdown("diff --format markdown --lines", r2.stdout, "| function |", names_shown=False)
    check("diff --format markdown: the hostile sample type is a code span",
          r.stdout.startswith("**`cp\\x1bu`** (`nano\\xc2\\x9bseconds`)".encode()), r.stdout[:200])
    r = run(["trend", base, new, new, "--format", "markdown", "--show-all"])
    text = r.stdout.decode("utf-8", "replace")
    rows = [l for l in text.split("\n") if l.startswith("| ") and not l.startswith("| verdict")]
    names = {one_code_span(code_span_cells(l)[-1]) for l in rows}
    check("trend --format markdown: valid UTF-8, pprofx's own heading only, each name one code span",
          r.returncode == 0 and is_clean_text(r.stdout) and
          [h for h in text.split("\n") if h.startswith("#")] == ["### Trend of `cp\\x1bu` over 3 snapshots"] and
          None not in names and {visible(n) for n in SHOWN} <= names, (text[:300], names))
    check("trend --format markdown: no image, link, HTML or mention outside code spans",
          not re.search(r"!\[|\]\(|<[a-z/]|@\w", re.sub(r"(`+).*?\1", "", text)), text[:400])
    r = run(["cross", "--cpu", new, "--format", "markdown"])
    rows = [l for l in r.stdout.decode("utf-8", "replace").split("\n") if re.match(r"^\| \d+ \|", l)]
    cells = [code_span_cells(l)[-1] for l in rows]
    spans = [one_code_span(c) for c in cells]
    check("cross --format markdown: hostile names are code spans in their cell, others backslash-escaped",
          r.returncode == 0 and visible(MD_SHOWN) in spans and visible(OSC) in spans and
          all(s is not None or re.fullmatch(r"([^`\\<>@!\[\]]|\\`)+", c) for c, s in zip(cells, spans)), cells)

    # top, tree and tags --format markdown: the name first, one code span in its cell.
    check_markdown("top --format markdown", run(["top", new, "--format", "markdown"]).stdout, "| function |")
    tree_md = run(["tree", new, "--format", "markdown"]).stdout
    check("tree --format markdown: valid UTF-8, no control character", is_clean_text(tree_md), tree_md[:300])
    tree_rows = [l for l in tree_md.decode("utf-8", "replace").split("\n") if l.startswith("| `")]
    edge_cell = re.compile(r"^((`+).+?\2 \S+ \(\d+(\.\d+)?%\)( \(inline\))?(<br>|$))*$")
    check("tree --format markdown: each row's name one code span, each edge cell code spans and values only",
          len(tree_rows) >= len(NAMES) and
          all(one_code_span(code_span_cells(l)[0]) is not None and
              all(edge_cell.match(c) for c in code_span_cells(l)[-2:]) for l in tree_rows),
          [l for l in tree_rows if not all(edge_cell.match(c) for c in code_span_cells(l)[-2:])][:2])
    outside = re.sub(r"(`+).*?\1", "", tree_md.decode("utf-8", "replace")).replace("<br>", "")
    check("tree --format markdown: no image, link, HTML or mention outside code spans",
          not re.search(r"!\[|\]\(|<[a-z/]|@\w", outside), outside[:400])
    tags_md = run(["tags", base, "--format", "markdown"]).stdout
    check("tags --format markdown: the hostile key and value are code spans",
          is_clean_text(tags_md) and b"`k\\x1bey`: total" in tags_md and b"| `v\\x1b[31m` |" in tags_md, tags_md)

    # list: hostile names in the ROUTINE lines (their sources are nowhere: lines without text).
    r = run(["list", ".", new])
    check("list: clean text, hostile names escaped", r.returncode == 0 and is_clean_text(r.stdout) and
          b"main\\x1b]0;pwned\\x07" in r.stdout and is_clean_text(r.stderr), r.stdout[:300] + r.stderr[:300])
    list_md = run(["list", ".", new, "--format", "markdown"]).stdout
    outside = re.sub(r"(`+).*?\1", "", list_md.decode("utf-8", "replace"))
    check("list --format markdown: clean, no image, link, HTML or mention outside code spans",
          is_clean_text(list_md) and not re.search(r"!\[|\]\(|<[a-z/]|@\w", outside), outside[:400])

    # DOT (pprofx dot): names and labels escaped so that Graphviz parses the graph and shows them as text.
    for args in (["dot", new], ["dot", base, "--lines"]):
        r = run(args)
        ok = r.returncode == 0 and is_clean_text(r.stdout)
        if ok and shutil.which("dot"):
            parsed = subprocess.run(["dot", "-Tcanon"], input=r.stdout, capture_output=True)
            ok = parsed.returncode == 0 and all(visible(n).replace("\\", "\\\\").replace('"', '\\"').encode() in
                                                parsed.stdout.replace(b"\\\n", b"") for n in (OSC, BAD))
        check(f"{' '.join(args[:1] + args[2:])}: clean text that Graphviz parses, hostile names shown escaped", ok,
              r.stdout[:400] + r.stderr)

    # Values at the ends of int64 with hostile labels: a sample of INT64_MAX, a `bytes` label of
    # INT64_MIN, lines at both ends, through label frames, dot, list and the machine formats.
    strs = [b"", b"cpu", b"nanoseconds", b"main.f\x1b[31m<b>\n", b"bytes", b"tenant", b"v\x1b]0;x\x07<i>\n\xff", b"a.go",
            b"main.g"]
    ix = strs.index
    labels = field(3, num_field(1, ix(b"bytes")) + num_field(3, -(1 << 63)) + num_field(4, ix(b"bytes"))) + \
        field(3, num_field(1, ix(b"tenant")) + num_field(2, ix(b"v\x1b]0;x\x07<i>\n\xff")))
    extreme = b"".join(field(6, x) for x in strs) + field(1, num_field(1, 1) + num_field(2, 2)) + \
        field(2, packed(1, [1, 2]) + packed(2, [(1 << 63) - 1]) + labels)
    for loc, line in ((1, (1 << 63) - 1), (2, -(1 << 63))):
        extreme += field(4, num_field(1, loc) + field(4, num_field(1, loc) + num_field(2, line)))
    for fid, name in ((1, b"main.f\x1b[31m<b>\n"), (2, b"main.g")):
        extreme += field(5, num_field(1, fid) + num_field(2, ix(name)) + num_field(4, ix(b"a.go")))
    ext = os.path.join(d, "extreme.pb")
    open(ext, "wb").write(extreme)
    for args in (["top", "--tagroot=bytes,tenant"], ["tree", "--tagleaf=tenant"], ["dot", "--tagroot=tenant"],
                 ["dot", "--divide-by", "0.5"], ["list", ".", "--tagroot=bytes"], ["traces", "--tagroot=tenant"],
                 ["raw", "--tagleaf=bytes"], ["top", "--format", "csv", "--tagroot=tenant"], ["list", ".", "--format", "json"],
                 ["top", "--divide-by", "0.5"]):
        r = run(args + [ext])
        check(f"{' '.join(args)} on int64 extremes and hostile labels: runs, clean text",
              r.returncode == 0 and is_clean_text(r.stdout) and is_clean_text(r.stderr), r.stdout[:300] + r.stderr[:300])

    # Point 18: JSON and XML with strict parsers.
    def strict_json(what, data):
        try:
            doc = json.loads(data.decode("utf-8", "strict"))
        except (UnicodeDecodeError, ValueError) as e:
            check(f"{what}: valid UTF-8 JSON", False, (e, data[:300]))
            return None
        check(f"{what}: valid UTF-8 JSON", True)
        return doc

    js = os.path.join(d, "r.json")
    run(["check", new, "--baseline", base, "--min-share", "0", "--report", js])
    doc = strict_json("check --report json", open(js, "rb").read())
    if doc:
        got = {f["name"] for f in doc["functions"]}
        check("check json: names kept, invalid UTF-8 as U+FFFD", OSC.decode() in got and UTF8.decode() in got and
              "f\ufffd\x01<&" in got and MD_SHOWN.decode() in got, got)
    doc = strict_json("diff --format json", run(["diff", base, new, "--format", "json"]).stdout)
    if doc:
        flat = {f["name"]: f["flat"]["new"] for f in doc["functions"]}
        check("diff json: names and exact values", flat.get(OSC.decode()) == 10 and flat.get(MD_SHOWN.decode()) == 33, flat)
    strict_json("cross --format json", run(["cross", "--cpu", new, "--format", "json"]).stdout)
    doc = strict_json("trend --format json", run(["trend", base, new, new, "--format", "json"]).stdout)
    if doc:
        got = {r["name"] for r in doc["rows"]}
        check("trend json: names kept, invalid UTF-8 as U+FFFD", OSC.decode() in got and "f\ufffd\x01<&" in got, got)
    doc = strict_json("top --format json", run(["top", new, "--format", "json"]).stdout)
    if doc:
        flat = {r["name"]: r["flat"] for r in doc["rows"]}
        check("top json: names kept (invalid UTF-8 as U+FFFD), exact values", flat.get(OSC.decode()) == 10 and
              flat.get(MD_SHOWN.decode()) == 33 and "f\ufffd\x01<&" in flat and doc["type"] == "cp\x1bu", flat)
    doc = strict_json("tree --format json", run(["tree", new, "--format", "json"]).stdout)
    if doc:
        callers = {c["name"] for n in doc["nodes"] for c in n["callers"]}
        check("tree json: edges by name", "main" in callers or any(n["name"] == "main" for n in doc["nodes"]), doc["nodes"][:2])
    doc = strict_json("list --format json", run(["list", ".", new, "--format", "json"]).stdout)
    if doc:
        check("list json: names kept (invalid UTF-8 as U+FFFD)", OSC.decode() in {rt["function"] for rt in doc["routines"]},
              [rt["function"] for rt in doc["routines"]])
    doc = strict_json("tags --format json", run(["tags", base, "--format", "json"]).stdout)
    if doc:
        check("tags json: the hostile key and value kept", doc["keys"][0]["key"] == "k\x1bey" and
              doc["keys"][0]["values"][0]["value"] == "v\x1b[31m", doc["keys"])
    import csv as csv_module, io as io_module
    for cmd, profile_path in (("top", new), ("tree", new), ("tags", base), ("list", new)):
        data = run([cmd] + (["."] if cmd == "list" else []) + [profile_path, "--format", "csv"]).stdout
        rows = list(csv_module.reader(io_module.StringIO(data.decode("utf-8", "replace"), newline="")))
        check(f"{cmd} --format csv: clean text, every row as wide as the header, no cell a spreadsheet formula",
              is_clean_text(data) and rows and all(len(r) == len(rows[0]) for r in rows) and
              not any(c[:1] in ("=", "+", "-", "@") for r in rows for c in r if not re.fullmatch(r"-?\d+(\.\d+)?", c)),
              rows[:4])
        if cmd == "top":
            formulas = os.path.join(d, "formulas.pb")
            open(formulas, "wb").write(profile([([b"=HYPERLINK(\"http://x\")", b"main"], [1], []),
                                                ([b"@SUM(A1)", b"main"], [2], []), ([b"-2+3", b"main"], [3], []),
                                                ([b"+cmd|' /C calc'!A0", b"main"], [4], [])]))
            frows = list(csv_module.reader(io_module.StringIO(run(["top", formulas, "--format", "csv"]).stdout.decode())))
            check("top --format csv: names a spreadsheet would run start with ' (CSV injection)",
                  {r[0] for r in frows[1:]} >= {"'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'-2+3", "'+cmd|' /C calc'!A0"},
                  frows)
            names = {r[0] for r in rows[1:]}
            check("top --format csv: names as a terminal shows them", visible(OSC) in names and
                  visible(MD_SHOWN) in names and visible(b" spaced ") in names, names)
    ss = os.path.join(d, "s.speedscope.json")
    r = run(["convert", new, "-o", ss])
    check("convert to speedscope: runs", r.returncode == 0, r.stderr)
    doc = strict_json("speedscope", open(ss, "rb").read()) if r.returncode == 0 else None
    if doc:
        names = {f["name"] for f in doc["shared"]["frames"]}
        check("speedscope: every name a frame", OSC.decode() in names and "f\ufffd\x01<&" in names, names)

    xml = os.path.join(d, "r.xml")
    run(["check", many_new, "--baseline", many_base, "--min-share", "0", "--report", xml])
    try:
        suite = ET.fromstring(open(xml, "rb").read()).find("testsuite")
        names = {c.get("name") for c in suite.findall("testcase")}
        check("check --report xml: well-formed for ElementTree", True)
        tripled = {visible(n, xml=True) for i, n in enumerate(SHOWN) if i % 2}
        check("junit: one test case per finding (the tripled names) and the total, names shown as a terminal shows them",
              names == tripled | {"total"}, names)
    except ET.ParseError as e:
        check("check --report xml: well-formed for ElementTree", False, (e, open(xml, "rb").read()[:400]))
    if shutil.which("xmllint"):
        r = subprocess.run(["xmllint", "--noout", xml], capture_output=True)
        check("check --report xml: xmllint --noout accepts it", r.returncode == 0, r.stderr)

    # Point 22: folded output, one line per stack for a line-splitting reader.
    breaks = [b"a\x0bb", b"c\x0cd", b"e\x1cf", b"g\x1dh", b"i\x1ej", b"k\xc2\x85l", b"m\xe2\x80\xa8n", b"o\xe2\x80\xa9p",
              b"q\nr", b"s;t"]
    fp = os.path.join(d, "breaks.pb")
    open(fp, "wb").write(profile([([n, b"main"], [i + 1], []) for i, n in enumerate(breaks)]))
    folded = os.path.join(d, "out.folded")
    r = run(["convert", fp, "-o", folded])
    text = open(folded, "rb").read().decode("utf-8", "replace") if r.returncode == 0 else ""
    lines = text.splitlines()
    check("folded: one line per stack for str.splitlines", len(lines) == len(breaks), lines)
    check("folded: each break became one space, ';' a ':'",
          all(re.fullmatch(r"main;\w[ :]\w \d+", l) for l in lines), lines)

print("hostile output:", "FAILED" if failures else "ok")
sys.exit(1 if failures else 0)
