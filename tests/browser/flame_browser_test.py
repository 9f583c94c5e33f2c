#!/usr/bin/python3
"""The SVG flame graph in a real headless browser (Debian's chromium and
chromedriver, driven by python3-selenium): search highlights the right frames
and reports the share of samples that contain a match, a click zooms the
frame to full width, hover shows the details, and state goes to the URL.

Usage: flame_browser_test.py PPROFX REPO
"""
import os, re, subprocess, sys, tempfile, urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

PPROFX, REPO = sys.argv[1], sys.argv[2]
PROFILE = os.path.join(REPO, "testdata", "workload.cpu.pb.gz")
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail}"))


def expected_match_pct(folded, regex):
    """Share of the total whose stacks contain a frame matching regex (from the folded stacks)."""
    rx = re.compile(regex)
    total = hit = 0
    for line in folded.splitlines():
        stack, count = line.rsplit(" ", 1)
        total += int(count)
        if any(rx.search(f) for f in stack.split(";")):
            hit += int(count)
    return 100.0 * hit / total


def ms(v):
    """A time as pprofx prints it (20ms, 0.26s, 1.5us) in milliseconds."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ns|us|ms|s)", v)
    assert m, v
    return float(m.group(1)) * {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1000.0}[m.group(2)]


def top_row(args, name):
    """The row of `pprofx top ARGS` for NAME (the first row if None): flat, cum, cum%, name, where."""
    out = subprocess.run([PPROFX, "top", "-n", "1000"] + args + [PROFILE], check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        m = re.match(r"\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+(\S+%)\s+(\S+) (\S+)$", line)
        if m and (name is None or m.group(4) == name):
            return {"flat": m.group(1), "cum": m.group(2), "cum%": m.group(3), "name": m.group(4), "where": m.group(5)}
    raise AssertionError(f"no row for {name} in pprofx top {' '.join(args)}:\n{out}")


tmp = tempfile.mkdtemp()
svg = os.path.join(tmp, "flame.svg")
subprocess.run([PPROFX, "flame", PROFILE, "-o", svg], check=True, capture_output=True)
lines_svg = os.path.join(tmp, "lines.svg")
subprocess.run([PPROFX, "flame", "--lines", "--minwidth", "0", PROFILE, "-o", lines_svg], check=True,
               capture_output=True)
folded = subprocess.run([PPROFX, "fold", PROFILE], check=True, capture_output=True, text=True).stdout

opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1300,1400"]:
    opts.add_argument(a)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
try:
    url = "file://" + svg
    W = 1200

    def frame(name):
        for g in driver.find_elements(By.CSS_SELECTOR, "#frames > g"):
            if g.find_element(By.TAG_NAME, "title").get_attribute("textContent").split("\n")[0] == name:
                return g
        raise AssertionError(f"no frame named {name}")

    def width(g):
        return float(g.find_element(By.TAG_NAME, "rect").get_attribute("width"))

    # Search through the URL: highlighted frames and the matched share.
    regex = r"encoding/json\.\(\*decodeState\)"
    driver.get(url + "?s=" + urllib.parse.quote(regex))
    pct = float(driver.find_element(By.ID, "matched").get_attribute("data-pct"))
    want = expected_match_pct(folded, regex)
    check(f"search ?s= reports the matched share ({pct:.2f}% vs {want:.2f}% from the folded stacks)",
          abs(pct - want) < 0.01, f"{pct} != {want}")
    fills = {}
    for g in driver.find_elements(By.CSS_SELECTOR, "#frames > g"):
        name = g.find_element(By.TAG_NAME, "title").get_attribute("textContent").split("\n")[0]
        fills[name] = g.find_element(By.TAG_NAME, "rect").get_attribute("fill")
    magenta = [n for n, f in fills.items() if f == "rgb(230,0,230)"]
    check("exactly the matching frames are highlighted",
          magenta and all(re.search(regex, n) for n in magenta) and
          all(f != "rgb(230,0,230)" for n, f in fills.items() if not re.search(regex, n)), magenta)
    matched_text = driver.find_element(By.ID, "matched").text
    check("the Matched line is shown", matched_text.startswith("Matched: ") and matched_text.endswith("%"),
          matched_text)

    # Search through the button's prompt, then reset it.
    driver.get(url)
    driver.find_element(By.ID, "search").click()
    alert = WebDriverWait(driver, 5).until(lambda d: d.switch_to.alert)
    alert.send_keys("^main\\.compress$")
    alert.accept()
    pct = float(driver.find_element(By.ID, "matched").get_attribute("data-pct"))
    want = expected_match_pct(folded, "^main\\.compress$")
    check(f"search via the prompt ({pct:.2f}%)", abs(pct - want) < 0.01, f"{pct} != {want}")
    check("search state goes to the URL", "s=%5Emain%5C.compress%24" in driver.current_url, driver.current_url)
    driver.find_element(By.ID, "search").click()  # now "Reset Search"
    check("Reset Search restores the colours",
          frame("main.compress").find_element(By.TAG_NAME, "rect").get_attribute("fill") != "rgb(230,0,230)")

    # Click to zoom: the frame fills the width, ancestors dim, unrelated frames hide.
    driver.get(url)
    target = frame("main.compress")
    before = width(target)
    target.find_element(By.TAG_NAME, "rect").click()
    after = width(frame("main.compress"))
    check(f"click zooms the frame to full width ({before:.1f}px -> {after:.1f}px)", abs(after - (W - 20)) < 0.01,
          after)
    check("its ancestors become dimmed parents", "parent" in frame("main.handleRequest").get_attribute("class"))
    check("frames outside it are hidden", "hide" in frame("main.decodeJSON").get_attribute("class"))
    check("zoom state goes to the URL", "x=" in driver.current_url and "y=" in driver.current_url,
          driver.current_url)
    zoomed_url = driver.current_url
    label = frame("main.compress").find_element(By.TAG_NAME, "text").text
    check("the zoomed label is refitted to the new width", label == "main.compress", label)

    driver.get(zoomed_url)  # a shared link opens zoomed
    check("a zoomed URL restores the zoom", abs(width(frame("main.compress")) - (W - 20)) < 0.01)
    driver.find_element(By.ID, "unzoom").click()
    check("Reset Zoom restores the widths", abs(width(frame("main.compress")) - before) < 0.01)

    # Hover: the details line shows the frame's tooltip text.
    g = frame("main.handleRequest")
    ActionChains(driver).move_to_element(g.find_element(By.TAG_NAME, "rect")).perform()
    details = driver.find_element(By.ID, "details").get_attribute("textContent")
    check("hover shows name, value and share",
          re.match(r"main\.handleRequest  \|  \d+(\.\d+)?m?s \(\d+\.\d\d%\)", details), details)
    title = g.find_element(By.TAG_NAME, "title").get_attribute("textContent").split("\n")
    want = top_row(["--filefunctions"], "main.handleRequest")  # flat 0: no self value in the tooltip
    check("the tooltip has the name, the cum value and share, and the file (as top --filefunctions has them)",
          title == ["main.handleRequest", f"{want['cum']} ({want['cum%']})", want["where"]], (title, want))

    # At line granularity a frame's tooltip ends in its file:line: top --lines's hottest line,
    # and the self values of its frames add up to its flat value there.
    want = top_row(["--lines"], None)
    check("top --lines's hottest row has a file:line", re.fullmatch(r"/\S+:\d+", want["where"]), want)
    driver.get("file://" + lines_svg)
    titles = [g.find_element(By.TAG_NAME, "title").get_attribute("textContent").split("\n")
              for g in driver.find_elements(By.CSS_SELECTOR, "#frames > g")]
    hits = [t for t in titles if t[0] == f"{want['name']} {want['where']}"]
    selfs = [re.search(r", self (\S+) \(", t[1]) for t in hits]
    check(f"--lines: every frame of {want['name']} {want['where']} ({len(hits)}) has that file:line in its tooltip",
          hits and all(len(t) == 3 and t[2] == want["where"] for t in hits), hits[:3])
    check(f"--lines: their self values add up to top --lines's flat value ({want['flat']})",
          all(selfs) and abs(sum(ms(m.group(1)) for m in selfs) - ms(want["flat"])) < 1e-9,
          [m.group(1) if m else None for m in selfs])

    # The sandwich view (flame --focus-function): callers pane above, callees pane below.
    pivot = r"^runtime\.mallocgc$"
    sw = os.path.join(tmp, "sandwich.svg")
    subprocess.run([PPROFX, "flame", PROFILE, "--focus-function", pivot, "-o", sw], check=True, capture_output=True)
    callers = subprocess.run([PPROFX, "fold", PROFILE, "--focus-function", pivot, "--callers"], check=True,
                             capture_output=True, text=True).stdout
    callees = subprocess.run([PPROFX, "fold", PROFILE, "--focus-function", pivot], check=True,
                             capture_output=True, text=True).stdout
    sw_url = "file://" + sw
    driver.get(sw_url)

    def pane_frames(pane_id):
        out = {}
        for g in driver.find_elements(By.CSS_SELECTOR, f"#{pane_id} > g"):
            name = g.find_element(By.TAG_NAME, "title").get_attribute("textContent").split("\n")[0]
            r = g.find_element(By.TAG_NAME, "rect")
            out.setdefault(name, []).append((g, float(r.get_attribute("y")), float(r.get_attribute("width"))))
        return out

    up, down = pane_frames("frames"), pane_frames("frames2")
    up_y = [y for v in up.values() for _, y, _ in v]
    down_y = [y for v in down.values() for _, y, _ in v]
    m_up, m_down = up["runtime.mallocgc"][0], down["runtime.mallocgc"][0]
    check("sandwich: the function spans the width at the bottom of the callers pane and the top of the callees pane",
          abs(m_up[2] - (W - 20)) < 0.01 and abs(m_down[2] - (W - 20)) < 0.01 and m_up[1] == max(up_y) and
          m_down[1] == min(down_y) and max(up_y) < min(down_y), (m_up[1:], m_down[1:], max(up_y), min(down_y)))
    total = sum(int(l.rsplit(" ", 1)[1]) for l in folded.splitlines()
                if any(re.search(pivot, f) for f in l.rsplit(" ", 1)[0].split(";")))
    totals = [int(driver.find_element(By.ID, i).get_attribute("data-total")) for i in ("frames", "frames2")]
    check(f"both panes total the samples whose stacks hold the function ({total})", totals == [total, total], totals)
    check("only callers above (mallocgc's direct callers in the row above it)",
          set(n for n, v in up.items() for _, y, _ in v if y == m_up[1] - 16) ==
          set(l.split(";")[1].rsplit(" ", 1)[0] for l in callers.splitlines() if ";" in l), sorted(up))
    regex = r"encoding/json|runtime\.memclr"
    driver.get(sw_url + "?s=" + urllib.parse.quote(regex))
    pcts = [float(p) for p in driver.find_element(By.ID, "matched").get_attribute("data-pcts").split(",")]
    want = [expected_match_pct(callers, regex), expected_match_pct(callees, regex)]
    check(f"sandwich search reports each pane's share ({pcts} vs {want} from fold --focus-function)",
          len(pcts) == 2 and all(abs(a - b) < 0.01 for a, b in zip(pcts, want)) and 0 < min(want) and max(want) < 100,
          (pcts, want))
    driver.get(sw_url)
    widths_up = [w for v in pane_frames("frames").values() for _, _, w in v]
    callee = max((v[0] for n, v in pane_frames("frames2").items() if n != "runtime.mallocgc"), key=lambda t: t[2])
    callee[0].find_element(By.TAG_NAME, "rect").click()
    zoomed_w = float(callee[0].find_element(By.TAG_NAME, "rect").get_attribute("width"))
    check("a click zooms within the callees pane only", abs(zoomed_w - (W - 20)) < 0.01 and
          [w for v in pane_frames("frames").values() for _, _, w in v] == widths_up and "x2=" in driver.current_url,
          (zoomed_w, driver.current_url))
    # Ordinary regexps match as before: alternation, classes, anchors, groups, bounded repetition
    # (the share checked against Python's re on the folded stacks); an invalid one says so.
    for regex in [r"^runtime\.(mallocgc|memclrNoHeapPointers)$", r"json\.\(\*[a-z]+State\)\.[a-z]+",
                  r"^main\.[a-d]", r"compress$", r"(?:en|de)code", r"^[^.]{4}\.\w{3,6}$"]:
        driver.get(url + "?s=" + urllib.parse.quote(regex))
        pct = float(driver.find_element(By.ID, "matched").get_attribute("data-pct"))
        want = expected_match_pct(folded, regex)
        check(f"search {regex} matches as a regexp ({pct:.2f}%)", abs(pct - want) < 0.01 and want > 0, (pct, want))
    driver.get(url + "?s=" + urllib.parse.quote("(a"))
    text = driver.find_element(By.ID, "matched").text
    check("an invalid regexp says so", text.startswith("Bad regexp: "), text)

    # A catastrophic regexp in a link cannot hang the page: (a+)+$ on names of 60 a's and a b
    # (JavaScript's backtracking RegExp never returned); the names of a's alone match.
    hostile = os.path.join(tmp, "aaab.folded")
    run_a, run_ab = "a" * 60, "a" * 60 + "b"
    with open(hostile, "w") as f:
        f.write(f"main;{run_ab};{run_ab}x 30\nmain;{run_a} 10\nmain;{run_ab} 60\n")
    hostile_svg = os.path.join(tmp, "aaab.svg")
    subprocess.run([PPROFX, "flame", hostile, "-o", hostile_svg], check=True, capture_output=True)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    try:
        driver.get("file://" + hostile_svg + "?s=(a%2B)%2B%24")
        pct = driver.execute_script("return document.getElementById('matched').dataset.pct")
        alive = driver.execute_script("return 1 + 1")
    except Exception as e:  # a hung page times out
        pct, alive = None, repr(e)[:200]
    check(f"?s=(a%2B)%2B%24 on names of 60 a's and a b answers ({pct}% matched) and the page responds",
          pct is not None and abs(float(pct) - 10.0) < 0.01 and alive == 2, (pct, alive))

    # --- Search on pruned profiles counts every sample (issue 14, point 1) ---
    gen = os.path.join(os.path.dirname(os.path.abspath(PPROFX)), "bench", "pprofx_bench_gen")
    mid = os.path.join(tmp, "mid.pb.gz")
    subprocess.run([gen, mid, "--samples", "30000", "--locations", "20000", "--functions", "8000", "--max-depth", "40",
                    "--mappings", "4"], check=True, capture_output=True)
    mid_folded_path = os.path.join(tmp, "mid.folded")
    subprocess.run([PPROFX, "fold", "--symbolize=none", mid, "-o", mid_folded_path], check=True, capture_output=True)

    def focus_pct(regex):
        """The share of the total that pprofx fold --focus REGEX keeps."""
        def total(args):
            out = subprocess.run([PPROFX, "fold", "--symbolize=none"] + args + [mid], check=True, capture_output=True,
                                 text=True).stdout
            return sum(int(l.rsplit(" ", 1)[1]) for l in out.splitlines())
        return 100.0 * total(["--focus", regex]) / total([])

    def searched(svg_path, regex):
        driver.get("file://" + svg_path + "?s=" + urllib.parse.quote(regex))
        m = driver.find_element(By.ID, "matched")
        return (float(m.get_attribute("data-pct")), float(m.get_attribute("data-pct-max")),
                m.get_attribute("data-exact") == "1", m.get_attribute("textContent"))

    pruned_svg = os.path.join(tmp, "mid-folded.svg")
    run = subprocess.run([PPROFX, "flame", mid_folded_path, "--max-frames", "300", "-o", pruned_svg], check=True,
                         capture_output=True)
    with open(pruned_svg) as f:
        pruned_text = f.read()
    note = re.search(r'<text id="note"[^>]*>([^<]*)', pruned_text)
    check("the folded 30k-sample profile is pruned at 300 frames", note and "not drawn" in note.group(1),
          note and note.group(1))
    for regex in [r"pkg1[0-9]\.", r"Method4[0-9]{3}$", r"Type0", r"^github\.com/example/service/pkg7\.", r"Method12$"]:
        want = focus_pct(regex)
        lo, hi, exact, text = searched(pruned_svg, regex)
        check(f"pruned (300 frames of a folded profile): search {regex} is exact and equals fold --focus "
              f"({lo:.4f}% vs {want:.4f}%)", exact and abs(lo - want) < 0.001 and abs(hi - want) < 0.001 and
              text.startswith("Matched: ") and "\u2265" not in text and 0 < want < 100, (lo, hi, exact, text, want))
    drawn_only = sum(1 for _ in re.finditer(r"<g(?: class=\"inl\")?><title>", pruned_text))
    check(f"... while only {drawn_only} frames are drawn", drawn_only <= 301, drawn_only)

    # A pprof profile built pruned (the trie's leaves under the min width hold unexpanded callees):
    # a bound that holds fold --focus's share and says so, or the exact share.
    bound_svg = os.path.join(tmp, "mid-pprof.svg")
    subprocess.run([PPROFX, "flame", "--symbolize=none", mid, "--max-frames", "300", "-o", bound_svg], check=True,
                   capture_output=True)
    for regex in [r"pkg1[0-9]\.", r"Type0"]:
        want = focus_pct(regex)
        lo, hi, exact, text = searched(bound_svg, regex)
        ok = (abs(lo - want) < 0.001 and text.startswith("Matched: ") and "\u2265" not in text) if exact else (
            lo - 0.001 <= want <= hi + 0.001 and text.startswith("Matched: \u2265 ") and "not searched" in text)
        check(f"pruned pprof profile: search {regex} is exact or a bound that holds fold --focus's share and says so "
              f"([{lo:.2f}%, {hi:.2f}%] vs {want:.2f}%: {text})", ok, (lo, hi, exact, text, want))

    # --- Labels keep what identifies the frame (point 2), on a large profile ---
    big = os.path.join(tmp, "p100k.pb.gz")
    subprocess.run([gen, big, "--hot-stacks", "100"], check=True, capture_output=True)  # hot stacks: wide frames
    big_svg = os.path.join(tmp, "p100k.svg")
    subprocess.run([PPROFX, "flame", "--symbolize=none", big, "-o", big_svg], check=True, capture_output=True)
    driver.get("file://" + big_svg)
    labels = driver.execute_script("""
        var out = [];
        document.querySelectorAll("g.frames > g").forEach(function (g) {
          var t = g.querySelector("text"), r = g.querySelector("rect");
          if (!t) return;
          var name = nameOf(g);
          out.push([name, t.textContent, shortName(name), fit(name, +r.getAttribute("width"))]);
        });
        return out;""")

    def keeps_start(name, label, short):
        return label == name or label == short or (label.endswith("..") and short.startswith(label[:-2]))

    bad = [l for l in labels if l[1].startswith("..") or not keeps_start(*l[:3])]
    check(f"100k profile: no label ({len(labels)}) starts with '..', each is the name, its short name or a prefix "
          f"of it", len(labels) > 50 and not bad, bad[:5])
    cut = [l for l in labels if l[1] != l[0]]
    check(f"... the cut ones ({len(cut)}) lost the package first (e.g. {cut[0][1] if cut else None!r} for "
          f"{cut[0][0] if cut else None!r})", len(cut) > 20 and all(not l[1].startswith("github.com") for l in cut),
          cut[:3])
    check("... and the script refits them the same way (zoom)", all(l[1] == l[3] for l in labels),
          [l for l in labels if l[1] != l[3]][:5])
    driver.get("file://" + lines_svg)
    labels = driver.execute_script("""
        var out = [];
        document.querySelectorAll("g.frames > g").forEach(function (g) {
          var t = g.querySelector("text");
          if (t && t.textContent !== nameOf(g)) out.push([nameOf(g), t.textContent]);
        });
        return out;""")
    fn_kept = [l for l in labels if not l[1].endswith("..") and re.search(r" \S+\.\w+:\d+$", l[1])]
    check(f"--lines: cut labels keep the function and drop the path first (e.g. {fn_kept[0][1] if fn_kept else None!r})",
          fn_kept and all(not l[1].startswith("/") and not l[1].startswith("..") for l in labels) and
          all(l[1].split(" ")[0] in l[0] for l in fn_kept), labels[:5])

    # --- Tall graphs open where the graph is (point 3) ---
    tall = os.path.join(tmp, "tall.svg")
    subprocess.run([PPROFX, "flame", PROFILE, "--height", "80", "-o", tall], check=True, capture_output=True)
    driver.get("file://" + tall)

    def rect_of(selector):
        return driver.execute_script(
            "var r = document.querySelector(arguments[0]).getBoundingClientRect();"
            "return [r.left, r.top, r.right, r.bottom, window.innerHeight, window.innerWidth];", selector)

    def in_view(selector):
        l, t, r, b, h, w = rect_of(selector)
        return t >= -0.5 and b <= h + 0.5 and r > 0 and l < w

    height = float(driver.execute_script("return document.documentElement.getAttribute('height')"))
    root_sel = "#frames > g:first-child > rect"
    check(f"a {height:.0f} px flame graph in a 1400 px window opens with its root in view",
          height > 1.5 * driver.execute_script("return window.innerHeight") and in_view(root_sel), rect_of(root_sel))
    bars = ["#title", "#search", "#header > rect", "#footer > rect"]  # the footer holds details and matched
    check("... with the title, search and details lines in view", all(in_view(s) for s in bars),
          [rect_of(s) for s in bars])
    driver.execute_script("window.scrollTo(0, 0)")
    try:  # the script moves the footer on the scroll event
        WebDriverWait(driver, 5).until(lambda d: in_view("#footer > rect"))
    except Exception:
        pass
    check("scrolled to the top: the search and details lines stay in view",
          all(in_view(s) for s in bars) and not in_view(root_sel), [rect_of(s) for s in bars + [root_sel]])
    title = driver.title
    check(f"the document's title names the file and sample type ({title!r})",
          "workload.cpu.pb.gz" in title and "cpu" in title.replace("workload.cpu", ""), title)
    icicle = os.path.join(tmp, "tall-icicle.svg")
    subprocess.run([PPROFX, "flame", PROFILE, "--height", "80", "--inverted", "-o", icicle], check=True,
                   capture_output=True)
    driver.get("file://" + icicle)
    check("a tall icicle graph opens with its root at the top, in view",
          in_view(root_sel) and driver.execute_script("return window.scrollY") == 0, rect_of(root_sel))

    # --- The header's and footer's texts stay inside the image (point 6) ---
    def box(id_):
        return driver.execute_script(
            "var b = document.getElementById(arguments[0]).getBBox(); return [b.x, b.x + b.width];", id_)

    for font in ["12", "20"]:
        fsvg = os.path.join(tmp, f"font{font}.svg")
        subprocess.run([PPROFX, "flame", PROFILE, "--font-size", font, "-o", fsvg], check=True, capture_output=True)
        driver.get("file://" + fsvg + "?s=main")
        s_box, ic_box = box("search"), box("ignorecase")
        check(f"font {font}: 'Reset Search' ends before 'ic' ({s_box} vs {ic_box}), 'ic' inside the image",
              driver.find_element(By.ID, "search").text == "Reset Search" and s_box[1] < ic_box[0] and
              ic_box[1] <= W, (s_box, ic_box))
    bound_sw = os.path.join(tmp, "sandwich-bound.svg")
    subprocess.run([PPROFX, "flame", "--symbolize=none", mid, "--max-frames", "200", "--focus-function", r"Type0",
                    "-o", bound_sw], check=True, capture_output=True)
    driver.get("file://" + bound_sw + "?s=" + urllib.parse.quote("pkg1"))
    m_box, text = box("matched"), driver.find_element(By.ID, "matched").get_attribute("textContent")
    check(f"sandwich: the long search result stays inside the image ({m_box}: {text})",
          len(text) > 60 and 0 <= m_box[0] and m_box[1] <= W - 10 + 0.5, (m_box, text))
    g = driver.find_elements(By.CSS_SELECTOR, "#frames2 > g")[0]
    ActionChains(driver).move_to_element(g.find_element(By.TAG_NAME, "rect")).perform()
    d_box = box("details")
    check(f"sandwich: the details line ends before the search result ({d_box} vs {m_box})",
          d_box[1] - d_box[0] > 50 and d_box[1] < m_box[0], (d_box, m_box))
    diff_svg = os.path.join(tmp, "diff.svg")
    subprocess.run([PPROFX, "diff", os.path.join(REPO, "testdata", "diff", "base.cpu.pb.gz"),
                    os.path.join(REPO, "testdata", "diff", "slow.cpu.pb.gz"), "--format", "svg", "-o", diff_svg],
                   check=True, capture_output=True)
    driver.get("file://" + diff_svg)
    widest = []
    for g in driver.find_elements(By.CSS_SELECTOR, "#frames > g")[:40]:
        ActionChains(driver).move_to_element(g.find_element(By.TAG_NAME, "rect")).perform()
        full = g.find_element(By.TAG_NAME, "title").get_attribute("textContent")
        widest.append((box("details")[1], len(full)))
    check(f"diff: every tooltip on the details line stays inside the image (widest ends at "
          f"{max(w for w, _ in widest):.0f} px of {W}; longest tooltip {max(n for _, n in widest)} characters)",
          max(w for w, _ in widest) <= W - 10 + 0.5 and max(n for _, n in widest) * 7.2 > W, widest[:3])
finally:
    driver.quit()

passed = sum(results)
print(f"browser: {passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
