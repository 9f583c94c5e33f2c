#!/usr/bin/python3
"""pprofx web's page in a real headless browser (Debian's chromium and
chromedriver, driven by python3-selenium), opened from file://: it loads with
no console error and no network request, each view is there, a refine from
the context menu gives the table `pprofx top --focus X` prints (and the flags
line the page shows is that command), the URL state round-trips, search gives
the function's cum share, click zooms and Esc goes back, and a hostile
profile's names are shown as text, never run or parsed as markup.

Usage: web_browser_test.py PPROFX REPO
"""
import json, os, re, shlex, subprocess, sys, tempfile, time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_rows  # noqa: E402
from cli_rows import field, num_field, packed, hostile_profile  # noqa: E402

PPROFX, REPO = sys.argv[1], sys.argv[2]
PROFILE = os.path.join(REPO, "testdata", "workload.cpu.pb.gz")
LABELS = os.path.join(REPO, "testdata", "labels", "units.pb.gz")
check = cli_rows.Checks()


def top_rows(args, profile=PROFILE):
    return cli_rows.top_rows(PPROFX, args, profile)


def hostile_page(profiles, name, label):
    """The page of the hostile profile(s), names as written; its data block holds no markup."""
    page = os.path.join(tmp, name)
    subprocess.run([PPROFX, "web", "--symbolize=none"] + profiles + ["-o", page], check=True, capture_output=True)
    raw = open(page, "rb").read()
    data_block = raw.split(b'id="pprofx-data">', 1)[1].split(b"</script>", 1)[0]
    check(f"{label}: no markup, NUL or CR in the data block (the deflated bytes escape them), and it reads back",
          not any(c in data_block for c in (b"<", b"\0", b"\r")) and cli_rows.page_data(raw)["version"] == 1)
    return page


def diff_rows(args, base, new):
    return cli_rows.diff_rows(PPROFX, args, base, new)


def diff_table():
    rows = driver.execute_script("return [...document.querySelectorAll('#diff-table tbody tr')]"
                                 ".map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent))")
    return [tuple(r) for r in rows]


def page_flags():
    """The flags line's arguments between `pprofx diff` and BASE NEW."""
    return shlex.split(driver.find_element(By.ID, "flags").text)[2:-2]


def svg_frames(path):
    """The SVG's frames: (depth, x, w in value units, fill, title), and its total."""
    svg = open(path, encoding="utf-8").read()
    origin = float(re.search(r'data-origin="([0-9.]+)"', svg).group(1))
    rowh = float(re.search(r'data-rowh="([0-9.]+)"', svg).group(1))
    total = int(re.search(r'data-total="(\d+)"', svg).group(1))
    out = []
    for m in re.finditer(r'<g><title>([^<]*)</title><rect x="[^"]*" y="([0-9.]+)"[^>]*fill="rgb\(([0-9,]+)\)" '
                         r'data-x="(\d+)" data-w="(\d+)"', svg):
        title = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
        out.append((round((origin - float(m.group(2))) / rowh), int(m.group(4)), int(m.group(5)), m.group(3), title))
    return out, total


def diff_mode():
    base, new = (os.path.join(REPO, "testdata", "diff", n) for n in ("base.cpu.pb.gz", "slow.cpu.pb.gz"))
    dpage = os.path.join(tmp, "d.html")
    subprocess.run([PPROFX, "web", base, new, "-o", dpage], check=True, capture_output=True)
    load("file://" + dpage)
    check("diff: no console errors, no network request", not errors() and not requests(), (errors(), requests()))
    info = driver.find_element(By.ID, "info").text
    check("diff: header = pprofx diff's", info.splitlines() == subprocess.run(
        [PPROFX, "diff", base, new], capture_output=True, text=True).stdout.splitlines()[:3], info)

    # The graph's colours and tooltips = the SVG's, at a few frames (the widest coloured ones and a grey one),
    # on a heap profile and its leak (five frames coloured).
    hbase, hnew = (os.path.join(REPO, "testdata", "diff", n) for n in ("base.heap.pb.gz", "leak.heap.pb.gz"))
    hpage = os.path.join(tmp, "dh.html")
    subprocess.run([PPROFX, "web", hbase, hnew, "-o", hpage], check=True, capture_output=True)
    load("file://" + hpage)
    svg = os.path.join(tmp, "d.svg")
    subprocess.run([PPROFX, "diff", hbase, hnew, "-o", svg], check=True, capture_output=True)
    frames, total = svg_frames(svg)
    coloured = sorted([f for f in frames if f[3] != "210,210,210"], key=lambda f: -f[2])[:4]
    grey = sorted([f for f in frames if f[3] == "210,210,210" and f[0] > 0], key=lambda f: -f[2])[:1]
    canvas = driver.find_element(By.ID, "flame")
    cw, ch = canvas.size["width"], canvas.size["height"]
    seen = 0
    for depth, x, w, fill, title in coloured + grey:
        px = (x + w / 2) * cw / total
        py = ch - (depth + 1) * 18 + 3  # the frame's top rows of pixels (its text is in the middle)
        ActionChains(driver).move_to_element_with_offset(canvas, int(px - cw / 2), int(py - ch / 2)).perform()
        tip = driver.find_element(By.ID, "tooltip").text
        pixel = driver.execute_script(
            "const c = arguments[0], r = window.devicePixelRatio || 1;"
            "return [...c.getContext('2d').getImageData(Math.round(arguments[1] * r), Math.round(arguments[2] * r), 1, 1).data]"
            ".slice(0, 3).join(',')", canvas, px, py)
        page_lines, svg_lines = tip.splitlines(), title.splitlines()
        ok = pixel == fill and page_lines[:3] == svg_lines[:3]
        seen += ok
        check(f"diff graph: {svg_lines[0]}: colour {fill} and tooltip = the SVG's", ok, (pixel, fill, tip, title))
    check("diff graph: coloured frames checked", seen >= 3 and len(coloured) >= 2, (seen, len(coloured)))
    # The test's own getImageData readbacks make Chromium warn (willReadFrequently); nothing else may.
    others = [e for e in errors() if "willReadFrequently" not in e["message"]]
    check("diff graph: hover gives no console error", not others, others)

    # The delta table = pprofx diff's rows (numbers, order, noise marks).
    load("file://" + dpage)
    driver.find_element(By.ID, "tab-top").click()
    rows = diff_table()
    check("diff table = pprofx diff's rows", rows == diff_rows([], base, new) and len(rows) > 50, rows[:3])
    check("diff table: noise marks as pprofx diff's", sum(r[9] == "within noise" for r in rows) > 10 and
          any(r[9] == "" for r in rows))
    driver.find_element(By.CSS_SELECTOR, "#diff-table th[data-sort=cum]").click()
    check("diff table sorted by cum = pprofx diff --cum", diff_table() == diff_rows(["--cum"], base, new) and
          page_flags() == ["--cum"], page_flags())
    driver.find_element(By.CSS_SELECTOR, "#diff-table th[data-sort=flat]").click()

    # Refine on both sides from the context menu.
    name = diff_table()[0][8]
    ActionChains(driver).context_click(driver.find_elements(By.CSS_SELECTOR, "#diff-table tbody tr")[0]).perform()
    driver.find_element(By.CSS_SELECTOR, "#menu button[data-refine=show_from]").click()
    expected = diff_rows(["--show-from", "^" + re.sub(r"([\\^$.*+?()\[\]{}|/])", r"\\\1", name) + "$"], base, new)
    check(f"diff: show from {name} = pprofx diff --show-from", diff_table() == expected and len(expected) >= 1,
          (diff_table()[:3], expected[:3]))
    check("diff: the flags line's command prints the table on screen", diff_rows(page_flags(), base, new) == diff_table(),
          page_flags())
    driver.find_element(By.ID, "reset").click()

    # Compare by absolute value, widths from both: the menus set diff's flags.
    Select(driver.find_element(By.ID, "normalize")).select_by_value("absolute")
    Select(driver.find_element(By.ID, "widths")).select_by_value("sum")
    flags = page_flags()
    check("diff: --normalize absolute table = pprofx diff's", flags == ["--normalize=absolute", "--width=sum"] and
          diff_table() == diff_rows(flags, base, new), flags)
    link = driver.current_url
    load(link)
    check("diff: URL round trip", "norm=absolute" in link and "w=sum" in link and
          diff_table() == diff_rows(["--normalize=absolute"], base, new), link)

    # Search on both sides: the matched share of a function = its cum% on each side (pprofx top).
    driver.find_element(By.ID, "tab-flame").click()
    target = top_rows([], new)[0]
    driver.find_element(By.ID, "search").send_keys("^" + re.sub(r"([\\^$.*+?()\[\]{}|/])", r"\\\1", target[5]) + "$")
    base_cum = [r for r in top_rows(["--nodefraction=0"], base) if r[5] == target[5]]
    matched = driver.find_element(By.ID, "matched").text
    check("diff: search's matched shares = the function's cum% on each side",
          base_cum and matched == f"Matched: BASE {base_cum[0][4].strip()}, NEW {target[4].strip()}", (matched, target))

    # Hostile names in diff mode: shown as text, nothing runs.
    hp = os.path.join(tmp, "hostile.pb")
    hpage = hostile_page([hp, hp], "hostile-diff.html", "diff hostile")
    load("file://" + hpage + "#view=top")
    names = [r[8] for r in diff_table()]
    check("diff hostile: names shown as text", "</script><script>window.pwned=1</script>" in names and
          "<img src=x onerror=window.pwned=2>" in names, names)
    load("file://" + hpage)
    errs, reqs = errors(), requests()
    check("diff hostile: nothing ran, no console errors, no request",
          driver.execute_script("return window.pwned === undefined") and not errs and not reqs, (errs, reqs))


def source_view():
    """--source-path: the source view's text = pprofx list's, from the menu, after a refine, and its flags line."""
    src = ["--source-path", os.path.join(REPO, "testdata", "workload")]
    spage = os.path.join(tmp, "src.html")
    subprocess.run([PPROFX, "web", PROFILE, "-o", spage] + src, check=True, capture_output=True)

    def cli_list(fn, flags=()):
        return subprocess.run([PPROFX, "list", cli_rows.exact(fn), *flags, *src, PROFILE], check=True,
                              capture_output=True, text=True).stdout

    def shown():
        return driver.execute_script("return document.getElementById('source-text').textContent")

    load("file://" + spage + "#view=source&fn=main.hashAll")
    check("source: no console errors, no network request", not errors() and not requests(), (errors(), requests()))
    check("source view of main.hashAll = pprofx list", shown() == cli_list("main.hashAll") and "sha256.Sum256" in shown(),
          shown()[:400])
    check("source: its lines with a value are marked", len(driver.find_elements(By.CSS_SELECTOR, "#source-text .hot")) == 2)
    load("file://" + spage + "#view=top")
    name = table()[4][5]
    ActionChains(driver).context_click(driver.find_elements(By.CSS_SELECTOR, "#top-table tbody tr")[4]).perform()
    driver.find_element(By.CSS_SELECTOR, "#menu button[data-refine=source]").click()
    check(f"right-click, Source: {name} = pprofx list", driver.find_element(By.ID, "view-source").is_displayed() and
          shown() == cli_list(name), shown()[:300])
    driver.find_element(By.ID, "tab-top").click()
    focus = table()[1][5]
    ActionChains(driver).context_click(driver.find_elements(By.CSS_SELECTOR, "#top-table tbody tr")[1]).perform()
    driver.find_element(By.CSS_SELECTOR, "#menu button[data-refine=focus]").click()
    driver.find_element(By.ID, "tab-source").click()
    expected = cli_list(name, ["--focus", cli_rows.exact(focus)])
    check(f"source after focus on {focus} = pprofx list --focus", shown() == expected and shown() != cli_list(name),
          (shown()[:300], expected[:300]))
    argv = shlex.split(driver.find_element(By.ID, "source-flags").text)
    out = subprocess.run([PPROFX] + argv[1:], capture_output=True, text=True).stdout
    check("source: the flags line's command prints the text on screen", argv[:2] == ["pprofx", "list"] and out == shown(), argv)
    Select(driver.find_element(By.ID, "source-fn")).select_by_value("main.hashAll")
    r = subprocess.run([PPROFX, "list", cli_rows.exact("main.hashAll"), "--focus", cli_rows.exact(focus), *src, PROFILE],
                       capture_output=True, text=True)
    note = driver.find_element(By.ID, "source-note").text
    check("source: a function with no value after the filters says so, as pprofx list fails", shown() == "" and
          note == "None of main.hashAll's lines has a value after the filters" and r.returncode == 1 and
          "no matches found" in r.stderr, (note, r.stderr))
    driver.find_element(By.ID, "reset").click()
    check("source: the function menu's choice after a reset = pprofx list", shown() == cli_list("main.hashAll"), shown()[:200])
    # A hostile source file: markup, a script end tag, invalid UTF-8, a terminal escape; shown as text, nothing runs.
    hdir = os.path.join(tmp, "hostile-src")
    os.makedirs(hdir, exist_ok=True)
    with open(os.path.join(hdir, "x.go"), "wb") as f:
        f.write(b"</script><script>window.pwned=3</script> \xff\xfe \x1b[31mred\n<img src=x onerror=window.pwned=4>\n")
    hp = os.path.join(tmp, "hostile.pb")
    hs = os.path.join(tmp, "hostile-src.html")
    subprocess.run([PPROFX, "web", "--symbolize=none", hp, "--source-path", hdir, "-o", hs], check=True, capture_output=True)
    data_block = open(hs, "rb").read().split(b'id="pprofx-data">', 1)[1].split(b"</script>", 1)[0]
    load("file://" + hs + "#view=source&fn=main")
    listed = subprocess.run([PPROFX, "list", "^main$", "--symbolize=none", "--source-path", hdir, hp], capture_output=True,
                            text=True).stdout
    check("hostile source: shown as pprofx list prints it (escaped), nothing ran, no markup in the data",
          shown() == listed and "</script><script>window.pwned=3</script>" in shown() and "\\x1b" in listed and
          driver.execute_script("return window.pwned === undefined") and b"<" not in data_block and not errors(),
          (shown()[:300], listed[:300], errors()))
    # Line numbers at the int64 edges (a profile may say anything): the file's lines are listed as pprofx list
    # lists them, and the page does not walk to line 2^63.
    edir = os.path.join(tmp, "edge-src")
    os.makedirs(edir, exist_ok=True)
    with open(os.path.join(edir, "x.go"), "w") as f:
        f.write("package x\nfunc edge() {\n}\n")
    strings = [b"", b"cpu", b"nanoseconds", b"main.edge", b"x.go"]
    prof = b"".join(field(6, x) for x in strings) + field(1, num_field(1, 1) + num_field(2, 2))
    for loc, line in [(1, 2), (2, 2**63 - 1), (3, -2**63)]:
        prof += field(4, num_field(1, loc) + num_field(3, 0x1000 + loc) + field(4, num_field(1, 1) + num_field(2, line)))
        prof += field(2, packed(1, [loc]) + packed(2, [1000 * loc]))
    prof += field(5, num_field(1, 1) + num_field(2, 3) + num_field(3, 3) + num_field(4, 4))
    edge = os.path.join(tmp, "edge.pb")
    with open(edge, "wb") as f:
        f.write(prof)
    epage = os.path.join(tmp, "edge.html")
    subprocess.run([PPROFX, "web", "--symbolize=none", edge, "--source-path", edir, "-o", epage], check=True,
                   capture_output=True)
    load("file://" + epage + "#view=source&fn=main.edge")
    listed = subprocess.run([PPROFX, "list", "^main\\.edge$", "--symbolize=none", "--source-path", edir, edge],
                            capture_output=True, text=True).stdout
    check("source: line numbers at INT64_MIN/MAX listed as pprofx list lists them", shown() == listed and
          "func edge() {" in shown() and not errors(), (shown(), listed, errors()))
    load("file://" + page + "#view=source")
    check("no --source-path: no source tab; a link to the source view opens the flame graph",
          not driver.find_element(By.ID, "tab-source").is_displayed() and
          driver.find_element(By.ID, "view-flame").is_displayed() and not errors())


def check_report():
    """check --report x.html: the diff page of the baseline and NEW with the verdict above it."""
    base, new = (os.path.join(REPO, "testdata", "diff", n) for n in ("base.cpu.pb.gz", "slow.cpu.pb.gz"))
    rpage = os.path.join(tmp, "check.html")
    r = subprocess.run([PPROFX, "check", new, "--baseline", base, "--report", rpage], capture_output=True, text=True)
    check("check --report x.html: exit 3 (a regression), the page written", r.returncode == 3 and os.path.exists(rpage), r)
    load("file://" + rpage + "#view=top")
    check("check report: no console errors, no network request", not errors() and not requests(), (errors(), requests()))
    v = driver.find_element(By.ID, "verdict")
    shown = [l.rstrip() for l in v.text.strip().splitlines()]
    check("check report: the verdict as the terminal printed it, marked failed", v.is_displayed() and
          shown == [l.rstrip() for l in r.stdout.strip().splitlines()] and "FAIL" in shown[0] and
          v.get_attribute("class") == "fail", (shown[:3], r.stdout[:300]))
    check("check report: the diff table = pprofx diff's", diff_table() == diff_rows([], base, new), diff_table()[:2])
    r = subprocess.run([PPROFX, "check", base, "--baseline", base, "--report", rpage], capture_output=True, text=True)
    load("file://" + rpage)
    v = driver.find_element(By.ID, "verdict")
    check("check report of a passing run: the verdict marked passed", r.returncode == 0 and
          v.text.strip().startswith("PASS") and v.get_attribute("class") == "pass", (r.stdout[:200], v.text[:200]))


tmp = tempfile.mkdtemp()
page = os.path.join(tmp, "cpu.html")
r = subprocess.run([PPROFX, "web", PROFILE, "-o", page], capture_output=True, text=True)
check("pprofx web writes the page and prints its path", r.returncode == 0 and r.stdout.strip() == page, r)

opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1300,1200"]:
    opts.add_argument(a)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def load(url):
    driver.get("about:blank")
    driver.get(url)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.body.dataset.ready === '1'"))


def table():
    """The top table's cells, read in one call."""
    rows = driver.execute_script("return [...document.querySelectorAll('#top-table tbody tr')]"
                                 ".map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent))")
    return [tuple(r) for r in rows]


def requests():
    """URLs the page asked for (Network.requestWillBeSent), the page itself excluded."""
    out = []
    for e in driver.get_log("performance"):
        msg = json.loads(e["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            u = msg["params"]["request"]["url"]
            if not u.startswith("file://" + tmp) and u != "about:blank":
                out.append(u)
    return out


def errors():
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


try:
    url = "file://" + page
    load(url)
    check("no console errors on load", not errors(), errors())
    check("no network request", not requests(), requests())
    info = driver.find_element(By.ID, "info").text
    check("header: pprof's lines", "Type: cpu" in info and "Total samples = 2.84s" in info, info)
    canvas = driver.find_element(By.ID, "flame")
    check("flame graph drawn", canvas.size["width"] > 1000 and canvas.size["height"] > 100, canvas.size)

    # Top table: the rows of pprofx top.
    driver.find_element(By.ID, "tab-top").click()
    check("top table = pprofx top", table() == top_rows([]), (table()[:3], top_rows([])[:3]))
    check("top table: pprof's (inline) marks shown", sum(r[6] == "(inline)" for r in table()) > 5, table()[:5])
    header = driver.find_element(By.ID, "top-header").text
    cli = subprocess.run([PPROFX, "top", PROFILE], capture_output=True, text=True).stdout
    check("top header = pprofx top's", header.splitlines() == cli.splitlines()[:len(header.splitlines())], header)

    # Sort by cum: pprofx top --cum.
    driver.find_element(By.CSS_SELECTOR, "#top-table th[data-sort=cum]").click()
    check("sorted by cum = pprofx top --cum", table() == top_rows(["--cum"]), table()[:3])
    driver.find_element(By.CSS_SELECTOR, "#top-table th[data-sort=flat]").click()

    # Refine from the context menu: focus on the 3rd row.
    name = table()[2][5]
    row = driver.find_elements(By.CSS_SELECTOR, "#top-table tbody tr")[2]
    ActionChains(driver).context_click(row).perform()
    check("context menu names the function", driver.find_element(By.ID, "menu-name").text == name)
    driver.find_element(By.CSS_SELECTOR, "#menu button[data-refine=focus]").click()
    focused = table()
    expected = top_rows(["--focus", "^" + re.sub(r"([\\^$.*+?()\[\]{}|/])", r"\\\1", name) + "$"])
    check(f"focus on {name}: table = pprofx top --focus", focused == expected and len(focused) > 1, (focused[:3], expected[:3]))
    flags = driver.find_element(By.ID, "flags").text
    argv = shlex.split(flags)
    check("flags line is a pprofx top command", argv[:2] == ["pprofx", "top"] and argv[-1] == PROFILE, flags)
    check("the flags line's command prints the table on screen", top_rows(argv[2:-1]) == focused, flags)
    link_before_lines = driver.current_url

    # Line granularity from the menu: pprofx top --granularity lines; a right-click refines on the line's function.
    Select(driver.find_element(By.ID, "granularity")).select_by_value("lines")
    lines = table()
    check("granularity lines: table = pprofx top --granularity lines --focus ...",
          lines == top_rows(["--granularity=lines"] + argv[2:-1]) and any(":" in r[5] for r in lines), lines[:3])
    driver.find_element(By.ID, "reset").click()
    lines = table()
    check("granularity lines (reset): table = pprofx top --granularity lines", lines == top_rows(["--granularity=lines"]) and
          shlex.split(driver.find_element(By.ID, "flags").text)[2:-1] == ["--granularity=lines"], lines[:3])
    row = driver.find_elements(By.CSS_SELECTOR, "#top-table tbody tr")[1]
    ActionChains(driver).context_click(row).perform()
    driver.find_element(By.CSS_SELECTOR, "#menu button[data-refine=focus]").click()
    largv = shlex.split(driver.find_element(By.ID, "flags").text)
    fn = lines[1][5].rsplit(" ", 1)[0]
    check(f"lines: focus from a line frame = --focus on its function {fn}",
          largv[2:-1] == ["--granularity=lines", "--focus=^" + re.sub(r"([\\^$.*+?()\[\]{}|/])", r"\\\1", fn) + "$"] and
          table() == top_rows(largv[2:-1]) and len(table()) > 1, (largv, table()[:3]))
    load(link_before_lines)

    # URL round trip: the same link opens the same table.
    link = driver.current_url
    check("state in the URL", "#" in link and "focus=" in link, link)
    load(link)
    check("URL round trip: same view and table", table() == focused, link)

    # Search: the matched share of a function = its cum%.
    driver.find_element(By.ID, "tab-flame").click()
    driver.find_element(By.ID, "reset").click()
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("/")
    check("/ focuses the search box", driver.switch_to.active_element.get_attribute("id") == "search")
    target = top_rows([])[1]
    regex = "^" + re.sub(r"([\\^$.*+?()\[\]{}|/])", r"\\\1", target[5]) + "$"
    driver.switch_to.active_element.send_keys(regex)
    matched = driver.find_element(By.ID, "matched").text
    check("search's matched share = the function's cum%", matched.startswith(f"Matched: {target[4].strip()} "),
          (matched, target))
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    check("Esc clears the search", driver.find_element(By.ID, "matched").text == "")

    # Click zoom, Esc back.
    canvas = driver.find_element(By.ID, "flame")
    h = canvas.size["height"]
    ActionChains(driver).move_to_element_with_offset(canvas, 300 - canvas.size["width"] // 2, h // 2 - 18 * 3 - 9).click().perform()
    zoomed = driver.current_url
    check("click zooms (z= in the URL)", "z=" in zoomed, zoomed)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    check("Esc zooms out", driver.current_url.count(".") < zoomed.count(".") or "z=" not in driver.current_url,
          driver.current_url)

    # Sandwich of a function.
    driver.find_element(By.ID, "tab-top").click()
    driver.find_elements(By.CSS_SELECTOR, "#top-table tbody tr")[1].click()
    check("row click opens its sandwich", driver.find_element(By.ID, "view-sandwich").is_displayed() and
          driver.find_element(By.ID, "callers").size["height"] > 20 and
          driver.find_element(By.ID, "callees").size["height"] > 20)

    # Sample type menu: the heap profile's types.
    heap = os.path.join(tmp, "heap.html")
    subprocess.run([PPROFX, "web", os.path.join(REPO, "testdata", "workload.heap.pb.gz"), "-o", heap], check=True,
                   capture_output=True)
    load("file://" + heap + "#view=top&t=alloc_space")
    check("sample type from the URL: alloc_space table = pprofx top --sample-index alloc_space",
          table() == top_rows(["--sample-index", "alloc_space"], os.path.join(REPO, "testdata", "workload.heap.pb.gz")))
    options = [o.text for o in driver.find_elements(By.CSS_SELECTOR, "#type option")]
    check("every sample type in the menu", len(options) == 4, options)

    # Labels view: keep a value = pprofx top --tagfocus.
    lab = os.path.join(tmp, "labels.html")
    subprocess.run([PPROFX, "web", LABELS, "-o", lab], check=True, capture_output=True)
    load("file://" + lab + "#view=labels")
    keep = driver.find_elements(By.CSS_SELECTOR, "#view-labels button.keep")
    check("labels view lists values", len(keep) > 0)
    if keep:
        keep[0].click()
        tf = [a for a in shlex.split(driver.find_element(By.ID, "flags").text) if a.startswith("--tagfocus=")]
        driver.find_element(By.ID, "tab-top").click()
        check("keep a label value: table = pprofx top --tagfocus", tf and table() == top_rows(tf, LABELS), tf)

    # A hostile profile: names are text.
    hp = os.path.join(tmp, "hostile.pb")
    hostile_profile(hp)
    hpage = hostile_page([hp], "hostile.html", "hostile")
    load("file://" + hpage + "#view=top")
    names = [r[5] for r in table()]
    check("hostile: names shown as text", "</script><script>window.pwned=1</script>" in names and
          "<img src=x onerror=window.pwned=2>" in names and "bad\ufffd\ufffdutf8" in names, names)
    check("hostile: nothing ran", driver.execute_script("return window.pwned === undefined"))
    check("hostile: no console errors, no request", not errors() and not requests())

    # A profile with no samples: the page loads and says so in its table (0 of 0), no error.
    empty = os.path.join(tmp, "empty.pb")
    with open(empty, "wb") as f:
        f.write(field(6, b"") + field(6, b"cpu") + field(6, b"nanoseconds") + field(1, num_field(1, 1) + num_field(2, 2)))
    epage = os.path.join(tmp, "empty.html")
    subprocess.run([PPROFX, "web", empty, "-o", epage], check=True, capture_output=True)
    load("file://" + epage + "#view=top")
    check("no samples: the page loads, an empty table, no error",
          table() == [] and "of 0 total" in driver.find_element(By.ID, "top-header").text and not errors(),
          driver.find_element(By.ID, "top-header").text)
    load("file://" + epage)
    check("no samples: the flame graph view loads with no error", not errors(), errors())
    # Diff mode: pprofx web BASE NEW.
    diff_mode()
    check_report()
    source_view()
finally:
    driver.quit()

check.exit()
