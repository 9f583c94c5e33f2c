#!/usr/bin/python3
"""pprofx web against pprofx flame on the same files, in the same run, and the
page in headless Chromium (Debian's chromium, python3-selenium): page size,
load to first paint (navigation start to the first frame drawn after the
page's first render), a search and a refine (the time the page's render of
that state took, recorded by the page itself).

Diff mode (`pprofx web BASE NEW`) against `pprofx diff BASE NEW -o d.svg`: the
same measures on testdata's pair and bench_diff_graph.py's generated pairs
(--diff-only to run just those; --diff-1m adds the 1M-sample pair).

Usage: flock /tmp/pprofx-build.lock /usr/bin/python3 bench/bench_web.py [--build build] [--runs 3] [--diff-only]
"""
import argparse, os, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import benchlib  # noqa: E402

# A search and a refine that match much of the generated profiles (pkg1, pkg10.., pkg100..; pkg2...).
SEARCH, FOCUS = "pkg2", "pkg1"


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1300,1000"]:
        opts.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def page_times(driver, page, runs):
    """Median ms: navigation start to the paint after the first render; a search; a refine (focus)."""
    from selenium.webdriver.support.ui import WebDriverWait
    loads, searches, refines = [], [], []
    for _ in range(runs):
        driver.get("about:blank")
        driver.get("file://" + page)
        WebDriverWait(driver, 120).until(lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
        # The first frame painted after the first render: requestAnimationFrame, then a task.
        t = driver.execute_async_script(
            "const done = arguments[0]; requestAnimationFrame(() => setTimeout(() => done(performance.now()), 0));")
        loads.append(t)
        for key, value, out in (("q", SEARCH, searches), ("focus", FOCUS, refines)):
            n = int(driver.execute_script("return document.body.dataset.renders"))
            driver.execute_script(f"location.hash = '#{key}={value}'")
            WebDriverWait(driver, 120).until(
                lambda d: int(d.execute_script("return document.body.dataset.renders")) > n)
            out.append(float(driver.execute_script("return document.body.dataset.renderMs")))
            driver.execute_script("location.hash = ''")
    return statistics.median(loads), statistics.median(searches), statistics.median(refines)


def diff_pages(opts, px, gen, out, tmp, driver):
    """pprofx web BASE NEW beside pprofx diff BASE NEW -o d.svg, on pairs, and the diff page in the browser."""
    common = ["--locations", "100000", "--functions", "50000", "--mappings", "16"]  # bench_diff_graph.py's pairs
    pairs = [("testdata base -> slow cpu", os.path.join(ROOT, "testdata", "diff", "base.cpu.pb.gz"),
              os.path.join(ROOT, "testdata", "diff", "slow.cpu.pb.gz"), None),
             ("generated 100k samples pair", os.path.join(out, "diff-100k.base.pb.gz"),
              os.path.join(out, "diff-100k.new.pb.gz"), ["--samples", "100000", "--max-depth", "128"])]
    if opts.diff_1m:
        pairs.append(("generated 1M samples pair", os.path.join(out, "diff-1m.base.pb.gz"),
                      os.path.join(out, "diff-1m.new.pb.gz"), ["--samples", "1000000", "--max-depth", "128"]))
    print("\n| pair (diff mode) | pprofx diff -o d.svg | pprofx web BASE NEW | web / diff SVG | page size | "
          "web peak RSS | load to first paint | search | refine (focus) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, base, new, args in pairs:
        for path, seed in ((base, "1"), (new, "2")):
            if not os.path.exists(path) and args is not None:
                subprocess.run([gen, path] + args + common + ["--sample-seed", seed], check=True, capture_output=True)
        page = os.path.join(tmp, "d.html")
        # The 1M pair's page needs more than web's default heap bound (3x input + 128 MB): lifted for both.
        bound = ["--max-memory", "0"] if "1M" in label else []
        t_svg, _ = benchlib.measure([px, "diff", "--symbolize=none"] + bound + [base, new, "-o", os.path.join(tmp, "d.svg")],
                                    opts.runs)
        t_web, rss = benchlib.measure([px, "web", "--symbolize=none"] + bound + [base, new, "-o", page], opts.runs)
        load, search, refine = page_times(driver, page, opts.runs)
        print(f"| {label} | {t_svg:.2f} s | {t_web:.2f} s | {t_web / t_svg:.2f}x | {os.path.getsize(page) / 1e6:.1f} MB | "
              f"{rss:.0f} MB | {load / 1000:.2f} s | {search:.0f} ms | {refine:.0f} ms |", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--diff-only", action="store_true")
    ap.add_argument("--diff-1m", action="store_true")
    opts = ap.parse_args()
    px = os.path.join(opts.build, "pprofx")
    gen = os.path.join(opts.build, "bench", "pprofx_bench_gen")
    out = os.path.join(ROOT, "bench", "out")
    os.makedirs(out, exist_ok=True)
    files = [("generated 100k samples", os.path.join(out, "p100k.pb.gz"), []),
             ("generated 1M samples, hot stacks", os.path.join(out, "scale-1000000-hot.pb.gz"),
              ["--samples", "1000000", "--max-depth", "128", "--hot-stacks", "20000", "--locations", "100000",
               "--functions", "50000", "--mappings", "16"])]  # bench_scale.py's file
    large = os.path.join(opts.shared, "corpus", "real", "pprof", "large.cpu")
    if os.path.exists(large):
        files.append(("pprof large.cpu (corpus)", large, None))
    files.append(("testdata workload.cpu", os.path.join(ROOT, "testdata", "workload.cpu.pb.gz"), None))
    tmp = tempfile.mkdtemp()
    driver = browser()
    print(f"Machine: {os.cpu_count()} cores; median of {opts.runs} runs; headless Chromium "
          f"{driver.capabilities.get('browserVersion', '?')}.\n")
    try:
        if opts.diff_only:
            files = []
        else:
            print("| profile | pprofx flame (SVG) | pprofx web | web / flame | page size | web peak RSS | "
                  "load to first paint | search | refine (focus) |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for label, path, args in files:
            if not os.path.exists(path):
                if args is None:
                    continue
                subprocess.run([gen, path] + args, check=True, capture_output=True)
            page = os.path.join(tmp, "p.html")
            bound = []  # both within the default heap bound (3x input + 128 MB) since each distinct stack is stored once
            t_flame, _ = benchlib.measure([px, "flame", "--symbolize=none"] + bound + [path, "-o", os.path.join(tmp, "p.svg")],
                                          opts.runs)
            t_web, rss = benchlib.measure([px, "web", "--symbolize=none"] + bound + [path, "-o", page], opts.runs)
            load, search, refine = page_times(driver, page, opts.runs)
            print(f"| {label} | {t_flame:.2f} s | {t_web:.2f} s | {t_web / t_flame:.2f}x | "
                  f"{os.path.getsize(page) / 1e6:.1f} MB | {rss:.0f} MB | {load / 1000:.2f} s | {search:.0f} ms | "
                  f"{refine:.0f} ms |", flush=True)
        diff_pages(opts, px, gen, out, tmp, driver)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
