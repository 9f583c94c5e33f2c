#!/usr/bin/env python3
"""pprofx web's command line: where the page goes (-o, the default name, -, .json), what it
prints, and its errors (one line, exit 1 for bad input, 2 for usage) leaving no file behind.

Usage: web_cli_test.py PPROFX REPO
"""
import base64, json, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_rows import page_data as html_data  # noqa: E402

PPROFX, REPO = sys.argv[1], sys.argv[2]
CPU = os.path.join(REPO, "testdata", "workload.cpu.pb.gz")
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail!r}"[:1500]))


def run(args, cwd):
    return subprocess.run([PPROFX, "web"] + args, capture_output=True, text=True, cwd=cwd, timeout=120)


tmp = tempfile.mkdtemp()
r = run([CPU], tmp)
check("default name: PROFILE-stem.html in the current directory, path printed",
      r.returncode == 0 and r.stdout == "workload.cpu.html\n" and os.path.exists(os.path.join(tmp, "workload.cpu.html")), r)
def outside_data(page):
    """The page's bytes but its data block."""
    head, tail = page.split(b'id="pprofx-data">', 1)
    return head + tail.split(b"</script>", 1)[1]


def ascii_text(data):
    return all(32 <= b < 127 or b in b"\t\n" for b in data)


page = open(os.path.join(tmp, "workload.cpu.html"), "rb").read()
outside = outside_data(page)
check("one self-contained file: no external reference", page.startswith(b"<!DOCTYPE html>") and b"src=" not in
      outside and b"http://" not in outside and b"https://" not in outside)
check("the page is windows-1252 and ASCII but its data block", b'<meta charset="windows-1252">' in page[:1024] and
      ascii_text(outside))
uni = os.path.join(tmp, "caf\u00e9-\U0001F525.pb.gz")
with open(CPU, "rb") as src, open(uni, "wb") as dst:
    dst.write(src.read())
r = subprocess.run([PPROFX, "web", uni, "--focus", "\u00e9|main", "-o", "u.html"], capture_output=True, cwd=tmp, timeout=120)
upage = open(os.path.join(tmp, "u.html"), "rb").read()
check("a non-ASCII name and flag: the title as character references, the rest ASCII too", r.returncode == 0 and
      b"<title>caf&#xE9;-&#x1F525;.pb.gz" in upage and ascii_text(outside_data(upage)), r.stderr)
r2 = run([CPU, "-o", "again.html"], tmp)
check("deterministic: the same bytes twice", open(os.path.join(tmp, "again.html"), "rb").read() == page)
r = subprocess.run([PPROFX, "web", CPU, "-o", "-"], capture_output=True, cwd=tmp, timeout=120)
check("-o - writes the page to stdout", r.returncode == 0 and r.stdout == page, r.stderr)
r = run([CPU, "-o", "d.json"], tmp)
d = json.load(open(os.path.join(tmp, "d.json")))
check("the page's data (deflated, binary arrays) is the .json's", r.returncode == 0 and html_data(page) == d)
r = run([CPU, "--threads", "1", "-o", "t1.json"], tmp)
check("--threads 1 (the frames made on the one thread): the same data", r.returncode == 0 and
      open(os.path.join(tmp, "t1.json"), "rb").read() == open(os.path.join(tmp, "d.json"), "rb").read(), r.stderr)
check("-o x.json: the data alone", r.returncode == 0 and d["version"] == 1 and d["types"][1]["type"] == "cpu", r)
check("nothing left out of a small profile's page", d["omitted"]["stacks"] == 0 and not any(d["omitted"]["values"]),
      d["omitted"])
r = run([CPU, "--max-stacks", "3", "-o", "cut.json"], tmp)
cut = json.load(open(os.path.join(tmp, "cut.json")))


def varints(text):
    """page_data.cc's unsigned arrays: base64 of LEB128 varints."""
    out, value, shift = [], 0, 0
    for byte in base64.b64decode(text):
        value |= (byte & 0x7f) << shift
        shift += 7
        if byte < 0x80:
            out.append(value)
            value, shift = 0, 0
    return out


stacks = len(varints(d["sampleStack"]))
check("--max-stacks 3: the stacks left out are counted", r.returncode == 0 and len(varints(cut["sampleStack"])) == 3
      and cut["omitted"]["stacks"] == stacks - 3 > 0, (cut["omitted"], stacks))
r = run([CPU, "--focus", "main", "--sample-index", "samples", "-o", "s.html"], tmp)
state = open(os.path.join(tmp, "s.html"), encoding="latin-1").read().split('id="pprofx-state">', 1)[1].split("<", 1)[0]
check("flags open the page in that state", r.returncode == 0 and json.loads(state) == "t=samples&focus=main", state)
r = run([CPU, "--lines", "-o", "l.json"], tmp)
lines = json.load(open(os.path.join(tmp, "l.json")))
check("--lines: the page opens at line granularity; both granularities embedded", r.returncode == 0 and
      lines["lines"]["frameName"] != lines["frameName"] and
      sorted(lines["lines"]) == ["frameLine", "frameName", "frameNameRank", "frameTieRank", "lineFrame", "locNameless"], r)
r = run([CPU, "--granularity", "lines", "-o", "l.html"], tmp)
state = open(os.path.join(tmp, "l.html"), encoding="latin-1").read().split('id="pprofx-state">', 1)[1].split("<", 1)[0]
check("--granularity lines opens the page in that state", r.returncode == 0 and json.loads(state) == "g=lines", state)

# Diff mode: web BASE NEW (and diff BASE NEW -o x.html, the same page).
DIFF = os.path.join(REPO, "testdata", "diff")
BASE, NEW, HEAP = (os.path.join(DIFF, n) for n in ("base.cpu.pb.gz", "slow.cpu.pb.gz", "base.heap.pb.gz"))
r = run([BASE, NEW], tmp)
check("web BASE NEW: NEW-stem.diff.html, path printed", r.returncode == 0 and r.stdout == "slow.cpu.diff.html\n" and
      os.path.exists(os.path.join(tmp, "slow.cpu.diff.html")), r)
r2 = subprocess.run([PPROFX, "diff", BASE, NEW, "-o", "d.html"], capture_output=True, text=True, cwd=tmp, timeout=120)
check("diff BASE NEW -o d.html writes the same page", r2.returncode == 0 and r2.stdout == "d.html\n" and
      open(os.path.join(tmp, "d.html"), "rb").read() == open(os.path.join(tmp, "slow.cpu.diff.html"), "rb").read(), r2)
r = run([BASE, NEW, "-o", "d.json"], tmp)
dd = json.load(open(os.path.join(tmp, "d.json")))
check("diff data: two sides over one string table, the types both have",
      r.returncode == 0 and len(dd["sides"]) == 2 and "strings" not in dd["sides"][0] and
      [p["type"] for p in dd["diff"]["pairs"]] == ["samples", "cpu"] and dd["diff"]["default"] == 1 and
      [s["name"] for s in dd["sides"]] == [BASE, NEW], dd["diff"])
r = run([BASE, NEW, "--normalize", "absolute", "--width", "sum", "--color-by", "total", "--cum", "--focus", "main",
         "--sample-index", "samples", "-o", "ds.html"], tmp)
state = open(os.path.join(tmp, "ds.html"), encoding="latin-1").read().split('id="pprofx-state">', 1)[1].split("<", 1)[0]
check("diff flags open the page in that state", r.returncode == 0 and
      json.loads(state) == "t=samples&focus=main&norm=absolute&w=sum&cb=total&sort=cum", state)
r = subprocess.run([PPROFX, "diff", "--by", "stack", BASE, NEW, "-o", "x.html"], capture_output=True, text=True, cwd=tmp)
check("diff --by stack -o x.html: exit 2, no page", r.returncode == 2 and r.stderr.startswith(
    "pprofx: error: the diff page (-o x.html) has no --by stack") and not os.path.exists(os.path.join(tmp, "x.html")), r)

for args, code, text in [
    (["nope.pb.gz", "-o", "x.html"], 1, "pprofx: error: nope.pb.gz: cannot open"),
    ([CPU, CPU, CPU, "-o", "x.html"], 2, "pprofx: error: web takes one profile, or two"),
    ([CPU, "--width", "base", "-o", "x.html"], 2, "pprofx: error: --normalize, --width and --color-by go with two"),
    ([BASE, HEAP, "-o", "x.html"], 1, "pprofx: error: BASE and NEW are different kinds of profile"),
    ([BASE, NEW, "--focus", "(", "-o", "x.html"], 1, "pprofx: error: NEW: parsing focus regexp: missing )"),
    ([BASE, NEW, "--normalize", "per-op", "-o", "x.html"], 2, "pprofx: error: the diff page does not compare per operation"),
    ([BASE, NEW, "--width", "wide", "-o", "x.html"], 1, "pprofx: error: --width must be base, new or sum"),
    ([BASE, "nope.pb.gz", "-o", "x.html"], 1, "pprofx: error: nope.pb.gz: cannot open"),
    ([CPU, "-o", "x.svg"], 2, "pprofx: error: \"x.svg\": web does not write this extension"),
    ([CPU, "--files", "-o", "x.html"], 2, "pprofx: error: the page shows functions or lines (no --granularity files"),
    ([BASE, NEW, "--lines", "-o", "x.html"], 2, "pprofx: error: the diff page compares functions only"),
    ([BASE, NEW, "--source-path", ".", "-o", "x.html"], 2, "pprofx: error: --source-path and --trim-path go with one profile"),
    ([CPU, "--mean", "-o", "x.html"], 2, "pprofx: error: the page does not offer --mean"),
    ([CPU, "--focus", "(", "-o", "x.html"], 1, "pprofx: error: " + CPU + ": parsing focus regexp: missing )"),
    ([CPU, "--tagfocus", "k=(", "-o", "x.html"], 1, "pprofx: error: " + CPU + ": parsing tagfocus regexp"),
    ([CPU, "--sample-index", "nope", "-o", "x.html"], 1, "pprofx: error: " + CPU + ": sample index \"nope\""),
    ([os.path.join(REPO, "testdata", "perf-sample.folded"), "-o", "x.html"], 1, "pprofx: error: " + os.path.join(REPO, "testdata", "perf-sample.folded") + ": folded stacks have no functions"),
]:
    r = run(args, tmp)
    check(f"{' '.join(os.path.basename(a) for a in args)}: exit {code}, one error line, no page",
          r.returncode == code and r.stderr.startswith(text) and r.stderr.count("pprofx: error:") == 1 and
          not os.path.exists(os.path.join(tmp, "x.html")), (r.returncode, r.stderr))

# --source-path: the sources pprofx list finds, embedded per routine in runs of lines.
r = run([CPU, "--source-path", os.path.join(REPO, "testdata", "workload"), "-o", "src.json"], tmp)
src = json.load(open(os.path.join(tmp, "src.json")))["sources"]
hash_all = [x for x in src["routines"] if x["fn"] == "main.hashAll"]
listed = subprocess.run([PPROFX, "list", "^main\\.hashAll$", "--source-path", os.path.join(REPO, "testdata", "workload"), CPU],
                        capture_output=True, text=True).stdout
check("--source-path: each routine's lines as pprofx list shows them, its function ids, nothing left out",
      r.returncode == 0 and src["omitted"] == 0 and len(hash_all) == 1 and hash_all[0]["file"] == "main.go" and
      hash_all[0]["functions"] and [l.split(":", 1)[1] for l in listed.splitlines()[3:]] ==
      hash_all[0]["runs"][0][1].split("\n") and listed.splitlines()[3].split()[2].startswith(f"{hash_all[0]['runs'][0][0]}:"),
      (r.stderr, hash_all[:1], listed[:300]))
check("no --source-path: no sources in the page", "sources" not in d)

# check --report x.html: the diff page with the verdict (its page is checked in Chromium and Firefox).
def check_cmd(args):
    return subprocess.run([PPROFX, "check"] + args, capture_output=True, text=True, cwd=tmp, timeout=120)


def page_data(path):
    return html_data(open(os.path.join(tmp, path), "rb").read())


r = check_cmd([NEW, "--baseline", BASE, "--report", "c.html", "--report", "c.md"])
cd = page_data("c.html")
check("check --report c.html: exit 3, the diff page of BASE and NEW with the verdict printed",
      r.returncode == 3 and [s["name"] for s in cd["sides"]] == [BASE, NEW] and cd["check"]["regressed"] is True and
      cd["check"]["text"] == r.stdout and os.path.exists(os.path.join(tmp, "c.md")), (r, cd.get("check")))
r = check_cmd([NEW, "--baseline", BASE, "--baseline", NEW, "--report", "c2.html"])
cd = page_data("c2.html")
check("check with two baselines: the page compares with the first and says so",
      [s["name"] for s in cd["sides"]] == [BASE, NEW] and
      cd["check"]["text"].endswith(f"median of 2 baselines; this page compares it with the first, {BASE}.\n"),
      cd["check"]["text"][-200:])
store = os.path.join(tmp, "store")
r = check_cmd([NEW, "--store", store, "--name", "cpu", "--report", "first.html"])
cd = page_data("first.html")
check("check --report x.html with no baseline stored yet: NEW's own page with the notice, exit 0",
      r.returncode == 0 and "diff" not in cd and cd["check"]["regressed"] is False and
      cd["check"]["text"].startswith("PASS: no baseline stored under \"cpu\"") and cd["types"][1]["type"] == "cpu",
      (r, cd.get("check")))
for args, code, text in [
    ([NEW, "--baseline", BASE, "--normalize", "per-op", "--ops", "1,1", "--report", "x.html"], 2,
     "pprofx: error: the HTML report compares shares"),
    ([NEW, "--baseline", BASE, "--lines", "--report", "x.html"], 2, "pprofx: error: the diff page compares functions only"),
    ([NEW, "--baseline", "nope.pb.gz", "--report", "x.html"], 1, "pprofx: error: nope.pb.gz: cannot open"),
]:
    r = check_cmd(args)
    check(f"check {' '.join(os.path.basename(a) for a in args)}: exit {code}, one error line, no page",
          r.returncode == code and r.stderr.startswith(text) and r.stderr.count("pprofx: error:") == 1 and
          not os.path.exists(os.path.join(tmp, "x.html")), (r.returncode, r.stderr))

print(f"{sum(results)}/{len(results)} checks passed")
sys.exit(0 if results and all(results) else 1)
