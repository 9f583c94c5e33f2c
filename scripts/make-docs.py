#!/usr/bin/env python3
"""Keeps docs/ current with pprofx itself.

1. Renders every picture in README.md and docs/ from the profiles in testdata/
   (PICTURES below) into docs/images/. A PNG's bytes depend on Cairo and the
   fonts installed, so it is not compared byte for byte: docs/images/PNG-SOURCES.tsv
   records what each PNG is drawn from (the SVG pprofx renders with the same
   arguments, its <script> left out: every frame, label, colour and header text)
   as a digest, and --check compares that digest and checks that the committed
   and the freshly rendered PNG both decode at the SVG's pixel size.
2. Takes the screenshots of pprofx web's page (SCREENSHOTS below) into
   docs/images/web/ in headless Chromium (Debian's chromium and chromedriver,
   python3-selenium: run this script with /usr/bin/python3). Like the PNGs,
   a screenshot is checked by what it shows: docs/images/web/SOURCES.tsv has the
   digest of the page's HTML, the state and the action it was taken with, and
   --check compares that digest (no browser needed) and decodes the PNG.
3. Fills each block in docs/**/*.md and README.md that starts with
       <!-- generated: pprofx ARGS -->
   and ends with
       <!-- end generated -->
   with the output of `pprofx ARGS` (run in the repo, TZ=UTC), fenced as text;
   a block that starts with <!-- generated-rendered: pprofx ARGS --> gets the
   Markdown the command prints (from its first "### " heading on) unfenced, so
   the page shows it as GitHub renders it (check's PR comment).

Usage: scripts/make-docs.py [--pprofx build/pprofx]          rewrite docs/
       scripts/make-docs.py --check [--pprofx build/pprofx]  exit 1 if anything is stale (the `docs` test)
"""
import argparse, difflib, glob, hashlib, os, re, shlex, struct, subprocess, sys, tempfile, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# picture (under docs/images/) -> pprofx arguments (the output path is appended).
PICTURES = {
    "workload-cpu.png": ["flame", "testdata/workload.cpu.pb.gz", "--minwidth", "0.2%"],
    "workload-cpu-icicle-lang.png": ["flame", "testdata/workload.cpu.pb.gz", "--inverted", "--colors", "lang",
                                     "--minwidth", "0.2%"],
    "workload-heap.png": ["flame", "testdata/workload.heap.pb.gz", "--colors", "mem", "--minwidth", "0.5%"],
    "guide/flame.svg": ["flame", "testdata/workload.cpu.pb.gz", "--minwidth", "0.3%"],
    "guide/icicle.svg": ["flame", "testdata/workload.cpu.pb.gz", "--inverted", "--colors", "lang", "--minwidth", "0.3%"],
    "guide/reverse.svg": ["flame", "testdata/workload.cpu.pb.gz", "--reverse", "--sort", "size", "--minwidth", "1%"],
    "guide/sandwich.svg": ["flame", "testdata/workload.cpu.pb.gz", "--focus-function", r"^runtime\.mallocgc$"],
    "guide/heap-alloc.png": ["flame", "testdata/workload.heap.pb.gz", "--sample-index", "alloc_space", "--colors",
                             "mem", "--minwidth", "0.5%"],
    "guide/diff.svg": ["diff", "testdata/diff/base.cpu.pb.gz", "testdata/diff/slow.cpu.pb.gz", "--minwidth", "0.3%"],
    "guide/diff.png": ["diff", "testdata/diff/base.cpu.pb.gz", "testdata/diff/slow.cpu.pb.gz", "--minwidth", "0.3%"],
    "guide/perf-folded.svg": ["flame", "testdata/perf-sample.folded", "--colors", "java"],
}

# screenshot (under docs/images/web/) -> (pprofx arguments writing the page to {page}, the URL-hash state it
# is opened with, a script run in the page before the shot or "").
_CPU, _BASE, _SLOW = "testdata/workload.cpu.pb.gz", "testdata/diff/base.cpu.pb.gz", "testdata/diff/slow.cpu.pb.gz"
_MENU = ("const r = document.querySelectorAll('#top-table tbody tr')[3], b = r.getBoundingClientRect();"
         "r.dispatchEvent(new MouseEvent('contextmenu', {bubbles: true, clientX: b.left + 420, clientY: b.bottom}));")
SCREENSHOTS = {
    "flame.png": (["web", _CPU, "-o", "{page}"], "", ""),
    "search.png": (["web", _CPU, "-o", "{page}"], "q=runtime%5C.mallocgc", ""),
    "top-refine.png": (["web", _CPU, "-o", "{page}"], "view=top&focus=main%5C.hashAll", _MENU),
    "sandwich.png": (["web", _CPU, "-o", "{page}"], "view=sandwich&fn=runtime.mallocgc", ""),
    "labels.png": (["web", "testdata/labels/units.pb.gz", "-o", "{page}"], "view=labels", ""),
    "lines.png": (["web", _CPU, "-o", "{page}"], "view=top&g=lines", ""),
    "source.png": (["web", _CPU, "--source-path", "testdata/workload", "-o", "{page}"], "view=source&fn=main.hashAll", ""),
    "diff.png": (["web", _BASE, _SLOW, "-o", "{page}"], "", ""),
    "diff-table.png": (["web", _BASE, _SLOW, "-o", "{page}"], "view=top", ""),
    "check.png": (["check", _SLOW, "--baseline", _BASE, "--report", "{page}"], "view=top", ""),
}
SCREEN_SIZE = (1300, 860)
SCREEN_SOURCES = os.path.join(ROOT, "docs", "images", "web", "SOURCES.tsv")
SCREEN_SOURCES_HEADER = "# screenshot\twidth\theight\tsha256 of the page's HTML, its state, the script and the window size\n"

PNG_SOURCES = os.path.join(ROOT, "docs", "images", "PNG-SOURCES.tsv")
PNG_SOURCES_HEADER = ("# picture\twidth\theight\tframes\t"
                      "sha256 of the SVG drawn with the same arguments, <script> removed\n")

BLOCK = re.compile(r"(<!-- generated(-rendered)?: (pprofx [^\n]*?) -->\n)(.*?)(<!-- end generated -->)", re.S)


def run_pprofx(pprofx, args):
    env = dict(os.environ, TZ="UTC", NO_COLOR="1", COLUMNS="100")
    r = subprocess.run([pprofx] + args, cwd=ROOT, capture_output=True, env=env)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def render_pictures(pprofx, out_dir):
    for name, args in PICTURES.items():
        path = os.path.join(out_dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        rc, _, err = run_pprofx(pprofx, args + ["-o", path])
        if rc != 0:
            sys.exit(f"make-docs: pprofx {' '.join(args)}: {err.strip()}")


def png_problem(path, want_size):
    """None if PATH is a PNG that decodes (signature, IHDR, IDAT inflating to the rows of
    an 8-bit RGB or RGBA image, IEND, every CRC) at want_size (width, height); else what is wrong."""
    try:
        data = open(path, "rb").read()
    except OSError as e:
        return str(e)
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "not a PNG (bad signature)"
    pos, chunks = 8, []
    while pos + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length or pos + 12 + length > len(data):
            return f"chunk {kind!r} truncated"
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            return f"chunk {kind!r}: bad CRC"
        chunks.append((kind, body))
        pos += 12 + length
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        return "no IHDR first or no IEND last"
    width, height, depth, color = struct.unpack(">IIBB", chunks[0][1][:10])
    if (width, height) != tuple(want_size):
        return f"{width}x{height} pixels, want {want_size[0]}x{want_size[1]} (the SVG's size)"
    channels = {2: 3, 6: 4}.get(color)
    if depth != 8 or channels is None:
        return f"bit depth {depth}, colour type {color}: want 8-bit RGB or RGBA"
    try:
        pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    except zlib.error as e:
        return f"IDAT does not inflate: {e}"
    if len(pixels) != height * (1 + width * channels):
        return f"IDAT inflates to {len(pixels)} bytes, want {height * (1 + width * channels)}"
    return None


def png_source(pprofx, args, tmp):
    """(width, height, frames, digest) of the SVG pprofx draws with ARGS: what the PNG is made from."""
    svg = os.path.join(tmp, "png-source.svg")
    rc, _, err = run_pprofx(pprofx, args + ["-o", svg])
    if rc != 0:
        sys.exit(f"make-docs: pprofx {' '.join(args)} -o x.svg: {err.strip()}")
    text = open(svg, encoding="utf-8").read()
    m = re.search(r'<svg [^>]*width="(\d+)" height="(\d+)"', text)
    if not m:
        sys.exit(f"make-docs: pprofx {' '.join(args)} -o x.svg: no width and height on <svg>")
    drawn = re.sub(r"<script\b.*?</script>\n?", "", text, flags=re.S)
    frames = len(re.findall(r"<g(?: class=\"[^\"]*\")?><title>", drawn))
    return int(m.group(1)), int(m.group(2)), frames, hashlib.sha256(drawn.encode()).hexdigest()


def read_png_sources():
    rows = {}
    if os.path.exists(PNG_SOURCES):
        for line in open(PNG_SOURCES):
            if line.startswith("#") or not line.strip():
                continue
            name, w, h, frames, digest = line.rstrip("\n").split("\t")
            rows[name] = (int(w), int(h), int(frames), digest)
    return rows


def check_png(pprofx, name, args, rendered, recorded, tmp):
    """What is stale about the PNG picture NAME (a list of messages)."""
    w, h, frames, digest = png_source(pprofx, args, tmp)
    stale = []
    for what, path in (("committed", os.path.join(ROOT, "docs", "images", name)), ("rendered", rendered)):
        problem = png_problem(path, (w, h))
        if problem:
            stale.append(f"docs/images/{name}: the {what} PNG: {problem}")
    if name not in recorded:
        stale.append(f"docs/images/{name}: not in docs/images/PNG-SOURCES.tsv")
    elif recorded[name] != (w, h, frames, digest):
        rw, rh, rframes, _ = recorded[name]
        stale.append(f"docs/images/{name}: pprofx now draws it from different frames ({w}x{h}, {frames} frames; "
                     f"recorded {rw}x{rh}, {rframes} frames, another digest)")
    return stale


def screenshot_source(pprofx, name, tmp):
    """The digest of what screenshot NAME shows: the page pprofx writes now, its state and script."""
    args, state, script = SCREENSHOTS[name]
    page = os.path.join(tmp, "shot-" + name.replace(".png", ".html"))
    rc, _, err = run_pprofx(pprofx, [a.replace("{page}", page) for a in args])
    if rc not in (0, 3):
        sys.exit(f"make-docs: pprofx {' '.join(args)}: {err.strip()}")
    h = hashlib.sha256(open(page, "rb").read())
    h.update(f"\0{state}\0{script}\0{SCREEN_SIZE}".encode())
    return page, h.hexdigest()


def take_screenshots(pprofx, tmp):
    """Every screenshot, in headless Chromium at SCREEN_SIZE CSS pixels (device scale 1), and SOURCES.tsv."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
              "--force-device-scale-factor=1", f"--window-size={SCREEN_SIZE[0]},{SCREEN_SIZE[1]}"]:
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    out_dir = os.path.dirname(SCREEN_SOURCES)
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    try:
        for name, (_, state, script) in SCREENSHOTS.items():
            page, digest = screenshot_source(pprofx, name, tmp)
            driver.get("about:blank")
            driver.get("file://" + page + ("#" + state if state else ""))
            WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
            if script:
                driver.execute_script(script)
            png = os.path.join(out_dir, name)
            driver.save_screenshot(png)
            with open(png, "rb") as f:
                w, h = struct.unpack(">II", f.read(24)[16:24])
            rows.append(f"{name}\t{w}\t{h}\t{digest}\n")
    finally:
        driver.quit()
    with open(SCREEN_SOURCES, "w") as out:
        out.write(SCREEN_SOURCES_HEADER + "".join(rows))


def check_screenshots(pprofx, tmp):
    """What is stale about the screenshots (no browser: the digest of what they show, and the PNGs)."""
    recorded = {}
    if os.path.exists(SCREEN_SOURCES):
        for line in open(SCREEN_SOURCES):
            if not line.startswith("#") and line.strip():
                name, w, h, digest = line.rstrip("\n").split("\t")
                recorded[name] = (int(w), int(h), digest)
    stale = []
    for name in SCREENSHOTS:
        where = f"docs/images/web/{name}"
        if name not in recorded:
            stale.append(f"{where}: not in docs/images/web/SOURCES.tsv")
            continue
        w, h, digest = recorded[name]
        if screenshot_source(pprofx, name, tmp)[1] != digest:
            stale.append(f"{where}: the page or its state changed since the screenshot (/usr/bin/python3 "
                         "scripts/make-docs.py takes it again)")
        problem = png_problem(os.path.join(os.path.dirname(SCREEN_SOURCES), name), (w, h))
        if problem:
            stale.append(f"{where}: {problem}")
    return stale


def fill_blocks(pprofx, text, where):
    def replace(m):
        args = shlex.split(m.group(3))[1:]
        rc, out, err = run_pprofx(pprofx, args)
        if rc not in (0, 3):  # check's regression exit is a result, not a failure
            sys.exit(f"make-docs: {where}: pprofx {' '.join(args)}: {err.strip()}")
        if m.group(2):  # rendered: the Markdown report after the verdict text
            start = out.find("\n### ")
            if start < 0:
                sys.exit(f"make-docs: {where}: pprofx {' '.join(args)} printed no Markdown heading")
            return m.group(1) + "\n" + out[start + 1:].rstrip("\n") + "\n\n" + m.group(5)
        return m.group(1) + "```text\n" + out.rstrip("\n") + "\n```\n" + m.group(5)
    return BLOCK.sub(replace, text)


def markdown_files():
    return [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "**", "*.md"), recursive=True))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pprofx", default=os.path.join(ROOT, "build", "pprofx"))
    ap.add_argument("--check", action="store_true")
    o = ap.parse_args()
    pprofx = os.path.abspath(o.pprofx)
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        images = os.path.join(ROOT, "docs", "images")
        render_pictures(pprofx, tmp if o.check else images)
        if o.check:
            recorded = read_png_sources()
            for name, args in PICTURES.items():
                have = os.path.join(images, name)
                if name.endswith(".png"):
                    stale += check_png(pprofx, name, args, os.path.join(tmp, name), recorded, tmp)
                elif not os.path.exists(have) or open(have, "rb").read() != open(os.path.join(tmp, name), "rb").read():
                    stale.append(f"docs/images/{name}: differs from what pprofx renders now")
            stale += check_screenshots(pprofx, tmp)
        else:
            take_screenshots(pprofx, tmp)
            with open(PNG_SOURCES, "w") as out:
                out.write(PNG_SOURCES_HEADER)
                for name, args in PICTURES.items():
                    if name.endswith(".png"):
                        out.write("\t".join(map(str, (name,) + png_source(pprofx, args, tmp))) + "\n")
    for md in markdown_files():
        text = open(md).read()
        new = fill_blocks(pprofx, text, os.path.relpath(md, ROOT))
        # Every picture a page shows must exist.
        for ref in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", new):
            if not ref.startswith("http") and not os.path.exists(os.path.join(os.path.dirname(md), ref)):
                stale.append(f"{os.path.relpath(md, ROOT)}: picture {ref} does not exist")
        if new != text:
            if o.check:
                diff = difflib.unified_diff(text.splitlines(), new.splitlines(), "in the repo", "pprofx now",
                                            lineterm="", n=1)
                stale.append(f"{os.path.relpath(md, ROOT)}: generated blocks are stale:\n  " +
                             "\n  ".join(list(diff)[:12]))
            else:
                open(md, "w").write(new)
    for s in stale:
        print("STALE", s)
    if o.check:
        print(f"docs: {'stale' if stale else 'current'} ({len(PICTURES)} pictures, {len(SCREENSHOTS)} screenshots, "
              f"{len(markdown_files())} pages)")
        return 1 if stale else 0
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
