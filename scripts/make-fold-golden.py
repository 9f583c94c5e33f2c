#!/usr/bin/env python3
"""Regenerates tests/golden/fold/ with scripts/fold-oracle (pprof's own profile
package, from Debian's golang-github-google-pprof-dev, built offline).

For every profile.proto file in ../shared/corpus/real that pprof accepts, and
for every sample type, it records the oracle's folded stacks as a SHA-256 with
their line count and value sum (the full text would be tens of MB, and some
sources are AGPL). For the repo's own testdata the full text is kept.

Usage: scripts/make-fold-golden.py [--shared ../shared]
Needs: golang-go golang-github-google-pprof-dev
"""
import argparse, csv, hashlib, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "tests", "golden", "fold")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    opts = ap.parse_args()
    oracle = os.path.join(tempfile.mkdtemp(), "fold-oracle")
    env = dict(os.environ, GOPATH="/usr/share/gocode", GO111MODULE="off", GOFLAGS="")
    subprocess.run(["go", "build", "-o", oracle, "."], cwd=os.path.join(ROOT, "scripts", "fold-oracle"), env=env,
                   check=True)

    def fold(path, args):
        r = subprocess.run([oracle, path] + args, capture_output=True)
        if r.returncode != 0:
            sys.exit(f"oracle failed on {path}: {r.stderr.decode(errors='replace')}")
        return r.stdout

    os.makedirs(GOLDEN, exist_ok=True)
    for f in os.listdir(GOLDEN):
        os.remove(os.path.join(GOLDEN, f))
    real = os.path.join(opts.shared, "corpus", "real")
    files = [("repo:testdata/" + f, os.path.join(ROOT, "testdata", f))
             for f in sorted(os.listdir(os.path.join(ROOT, "testdata"))) if f.endswith(".pb.gz")]
    for row in csv.DictReader(open(os.path.join(real, "MANIFEST.tsv")), delimiter="\t"):
        if row["go_tool_pprof_1.19_result"].startswith("OK") and ("proto" in row["encoding"] or row["encoding"].startswith("legacy")) and \
                "DIFFERENT schema" not in row["encoding"]:
            files.append((row["file"], os.path.join(real, row["file"])))
    # pprof's -tagroot / -tagleaf frames (string labels: the oracle formats no numbers).
    label_cases = [("repo:testdata/labels/units.pb.gz", ["-tagroot=tenant", "-tagleaf=tenant,nosuch"]),
                   ("parca/labels.pb.gz", ["-tagroot=api"]),
                   ("pprofutils/labelframes.in.pprof", ["-tagroot=mylabel", "-tagleaf=mylabel"]),
                   ("parca/profile-with-labels.pb.gz", ["-tagleaf=thread_name"])]
    paths = dict(files)
    paths["repo:testdata/labels/units.pb.gz"] = os.path.join(ROOT, "testdata", "labels", "units.pb.gz")
    # pprof's -divide_by as its -proto output applies it (every sample value divided): the oracle folds that output.
    divide_cases = [("pprof/large.cpu", "1000"), ("dd-trace-go/heap.pprof", "3"), ("pprof/large.cpu", "0.5")]
    divided = []
    for name, by in divide_cases:
        out = os.path.join(tempfile.mkdtemp(), "divided.pb.gz")
        with open(out, "wb") as fh:
            subprocess.run(["go", "tool", "pprof", "-symbolize=none", "-proto", f"-divide_by={by}", paths[name]],
                           stdout=fh, stderr=subprocess.DEVNULL, env=dict(os.environ, HOME="/nonexistent"), check=True)
        divided.append((name, out, [f"-divide_by={by}"]))
    rows = []
    for name, path, args in [(n, p, []) for n, p in files] + [(n, paths[n], a) for n, a in label_cases] + divided:
        divided_case = any(a.startswith("-divide_by") for a in args)
        indexes = range(int(fold(path, ["-types"]))) if not args or divided_case else [0]
        for i in indexes:
            out = fold(path, [str(i)] + [a for a in args if not a.startswith("-divide_by")])
            lines = out.count(b"\n")
            total = sum(int(l.rsplit(b" ", 1)[1]) for l in out.splitlines())
            expected = "sha256:" + hashlib.sha256(out).hexdigest()
            if name.startswith("repo:"):
                expected = name[5:].replace("/", "_") + f".si{i}" + "".join("_" + a.lstrip("-").replace("=", "_").replace(",", "_") for a in args) + ".folded"
                open(os.path.join(GOLDEN, expected), "wb").write(out)
            rows.append((name, str(i), str(lines), str(total), expected, " ".join(args)))
    with open(os.path.join(GOLDEN, "CASES.tsv"), "w") as fh:
        fh.write("# file\tsample index\tlines\tsum\texpected: golden file or sha256 of fold-oracle's output\t"
                 "options (pprof spelling)\n")
        for r in rows:
            fh.write("\t".join(r) + "\n")
    print(f"{len(rows)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
