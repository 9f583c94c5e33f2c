#!/usr/bin/env python3
"""Keeps docs/ current with pprofx itself.

1. Renders every picture in README.md and docs/ from the profiles in testdata/
   (PICTURES below) into docs/images/.
2. Fills each block in docs/**/*.md and README.md that starts with
       <!-- generated: pprofx ARGS -->
   and ends with
       <!-- end generated -->
   with the output of `pprofx ARGS` (run in the repo, TZ=UTC), fenced as text.

Usage: scripts/make-docs.py [--pprofx build/pprofx]          rewrite docs/
       scripts/make-docs.py --check [--pprofx build/pprofx]  exit 1 if anything is stale (the `docs` test)
"""
import argparse, difflib, glob, os, re, shlex, subprocess, sys, tempfile

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

BLOCK = re.compile(r"(<!-- generated: (pprofx [^\n]*?) -->\n)(.*?)(<!-- end generated -->)", re.S)


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


def fill_blocks(pprofx, text, where):
    def replace(m):
        args = shlex.split(m.group(2))[1:]
        rc, out, err = run_pprofx(pprofx, args)
        if rc not in (0, 3):  # check's regression exit is a result, not a failure
            sys.exit(f"make-docs: {where}: pprofx {' '.join(args)}: {err.strip()}")
        return m.group(1) + "```text\n" + out.rstrip("\n") + "\n```\n" + m.group(4)
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
            for name in PICTURES:
                have = os.path.join(images, name)
                if not os.path.exists(have) or open(have, "rb").read() != open(os.path.join(tmp, name), "rb").read():
                    stale.append(f"docs/images/{name}: differs from what pprofx renders now")
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
        print(f"docs: {'stale' if stale else 'current'} ({len(PICTURES)} pictures, {len(markdown_files())} pages)")
        return 1 if stale else 0
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
