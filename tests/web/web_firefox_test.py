#!/usr/bin/python3
"""pprofx web's page in headless Firefox (Debian's firefox-esr, driven over its
built-in WebDriver BiDi, tests/web/bidi.py), opened from file:// as a user
would: it loads with no console error and no network request, the flame graph
is drawn, the top table is `pprofx top`'s, a right click's focus gives
`pprofx top --focus`'s table and flags line, the URL round-trips, `/` and a
search give the function's cum share, a click zooms and Esc goes back, a row
opens its sandwich, a label value kept is `--tagfocus`, hostile names stay
text, and the diff page and check's HTML report show pprofx diff's rows and
the verdict, and the source view is `pprofx list`'s. The Chromium test (web_browser_test.py) checks more of each view;
this one checks that each works in the other engine.

Usage: web_firefox_test.py PPROFX REPO
"""
import os, shlex, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_rows  # noqa: E402
from bidi import Firefox  # noqa: E402

PPROFX, REPO = sys.argv[1], sys.argv[2]
PROFILE = os.path.join(REPO, "testdata", "workload.cpu.pb.gz")
LABELS = os.path.join(REPO, "testdata", "labels", "units.pb.gz")
BASE, NEW = (os.path.join(REPO, "testdata", "diff", n) for n in ("base.cpu.pb.gz", "slow.cpu.pb.gz"))
ESCAPE = "\ue00c"
check = cli_rows.Checks()


def top_rows(args, profile=PROFILE):
    return cli_rows.top_rows(PPROFX, args, profile)


def page_of(args, name):
    path = os.path.join(tmp, name)
    subprocess.run([PPROFX, "web"] + args + ["-o", path], check=True, capture_output=True)
    return path


def table(css="#top-table"):
    return [tuple(r) for r in fx.js(f"return [...document.querySelectorAll('{css} tbody tr')]"
                                    ".map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent))")]


def text(id_):
    return fx.js(f"return document.getElementById('{id_}').textContent")


def clean(page):
    errs, reqs = fx.errors(), fx.requests("file://" + tmp)
    return not errs and not reqs, (errs, reqs)


tmp = tempfile.mkdtemp()
fx = Firefox()
try:
    page = page_of([PROFILE], "cpu.html")
    fx.load("file://" + page)
    ok, why = clean(page)
    check("Firefox: no console errors, no network request on load", ok, why)
    check("header: pprof's lines", "Type: cpu" in text("info") and "Total samples = 2.84s" in text("info"), text("info"))
    drawn = fx.js("const c = document.getElementById('flame'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                  "let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] && (d[i] < 240 || d[i + 1] < 240)) n++;"
                  "return [c.clientWidth, c.clientHeight, n]")
    check("flame graph drawn on the canvas", drawn[0] > 1000 and drawn[1] > 100 and drawn[2] > 10000, drawn)

    fx.click("#tab-top")
    check("top table = pprofx top", table() == top_rows([]) and len(table()) > 10, table()[:3])
    fx.click("#top-table th[data-sort=cum]")
    check("sorted by cum = pprofx top --cum", table() == top_rows(["--cum"]), table()[:3])
    fx.click("#top-table th[data-sort=flat]")

    name = table()[2][5]
    fx.click("#top-table tbody tr", index=2, button=2)
    check("a right click opens the menu on the function", fx.js("return !document.getElementById('menu').hidden") and
          text("menu-name") == name, text("menu-name"))
    fx.click("#menu button[data-refine=focus]")
    focused = table()
    check(f"focus on {name}: table = pprofx top --focus", focused == top_rows(["--focus", cli_rows.exact(name)]) and
          len(focused) > 1, focused[:3])
    argv = shlex.split(text("flags"))
    check("the flags line's command prints the table on screen", argv[:2] == ["pprofx", "top"] and
          top_rows(argv[2:-1]) == focused, argv)
    link = fx.js("return location.href")
    fx.load(link)
    check("URL round trip: same view and table", "focus=" in link and table() == focused, link)

    fx.click("#tab-flame")
    fx.click("#reset")
    fx.click("#info")  # the page has the focus, not the search box
    fx.keys("/")
    check("/ focuses the search box", fx.js("return document.activeElement.id") == "search")
    target = top_rows([])[1]
    fx.keys(cli_rows.exact(target[5]))
    check("search's matched share = the function's cum%", text("matched").startswith(f"Matched: {target[4].strip()} "),
          (text("matched"), target))
    fx.keys(ESCAPE)
    check("Esc clears the search", text("matched") == "")

    height = fx.js("return document.getElementById('flame').clientHeight")
    fx.click("#flame", x=300 - 650, y=height // 2 - 18 * 3 - 9)
    zoomed = fx.js("return location.hash")
    check("a click zooms (z= in the URL)", "z=" in zoomed, zoomed)
    fx.keys(ESCAPE)
    check("Esc zooms out", "z=" not in fx.js("return location.hash") or
          fx.js("return location.hash").count(".") < zoomed.count("."), fx.js("return location.hash"))

    fx.click("#tab-top")
    fx.click("#top-table tbody tr", index=1)
    check("a row click opens its sandwich", fx.js(
        "const v = document.getElementById('view-sandwich'); return !v.hidden && "
        "document.getElementById('callers').clientHeight > 20 && document.getElementById('callees').clientHeight > 20"))
    ok, why = clean(page)
    check("no console error after the interactions", ok, why)

    fx.load("file://" + page_of([LABELS], "labels.html") + "#view=labels")
    fx.click("#view-labels button.keep")
    tf = [a for a in shlex.split(text("flags")) if a.startswith("--tagfocus=")]
    fx.click("#tab-top")
    check("labels: keep a value = pprofx top --tagfocus", tf and table() == top_rows(tf, LABELS), tf)

    hp = os.path.join(tmp, "hostile.pb")
    cli_rows.hostile_profile(hp)
    hpage = page_of(["--symbolize=none", hp], "hostile.html")
    fx.load("file://" + hpage + "#view=top")
    names = [r[5] for r in table()]
    check("hostile: names shown as text", "</script><script>window.pwned=1</script>" in names and
          "<img src=x onerror=window.pwned=2>" in names and "bad\ufffd\ufffdutf8" in names, names)
    ok, why = clean(hpage)
    check("hostile: nothing ran, no console error, no request", fx.js("return window.pwned === undefined") and ok, why)

    src = ["--source-path", os.path.join(REPO, "testdata", "workload")]
    spage = page_of([PROFILE] + src, "src.html")
    fx.load("file://" + spage + "#view=top")
    name = table()[4][5]
    fx.click("#top-table tbody tr", index=4, button=2)
    fx.click("#menu button[data-refine=source]")
    listed = subprocess.run([PPROFX, "list", cli_rows.exact(name), *src, PROFILE], capture_output=True, text=True).stdout
    check(f"source view (right-click, Source) of {name} = pprofx list", text("source-text") == listed and
          fx.js("return !document.getElementById('view-source').hidden"), text("source-text")[:300])

    dpage = page_of([BASE, NEW], "d.html")
    fx.load("file://" + dpage + "#view=top")
    rows = table("#diff-table")
    check("diff page: the table = pprofx diff's rows", rows == cli_rows.diff_rows(PPROFX, [], BASE, NEW) and len(rows) > 50,
          rows[:2])
    fx.click("#tab-flame")
    ok, why = clean(dpage)
    check("diff page: no console error, no request", ok, why)

    rpage = os.path.join(tmp, "check.html")
    r = subprocess.run([PPROFX, "check", NEW, "--baseline", BASE, "--report", rpage], capture_output=True, text=True)
    fx.load("file://" + rpage)
    check("check --report x.html: the verdict as printed, marked failed", r.returncode == 3 and
          text("verdict") == r.stdout and fx.js("return document.getElementById('verdict').className") == "fail",
          (r.returncode, text("verdict")[:200]))
    ok, why = clean(rpage)
    check("check report: no console error, no request", ok, why)
finally:
    fx.quit()

check.exit()
