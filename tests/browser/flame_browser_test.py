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
finally:
    driver.quit()

passed = sum(results)
print(f"browser: {passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
