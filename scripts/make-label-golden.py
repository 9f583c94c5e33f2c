#!/usr/bin/env python3
"""Regenerates tests/golden/pprof-traces/, pprof-tags/ and pprof-raw/ from
`go tool pprof -traces`, `-tags` and `-raw` (Debian's golang-go, pprof of Go 1.19).

Profiles: every one of ../shared/corpus/real that pprof accepts (as
make-pprof-golden.py), every one of ../shared/corpus/external that it accepts
(named "external:FILE"), and the repo's testdata (named "repo:PATH").
traces: the default sample type and -lines, for every profile, plus option
variants; tags: every sample type, plus variants; raw: once, plus filter variants. Goldens are stored
gzip-compressed (traces of large profiles run to megabytes).

pprofx escapes control characters and invalid UTF-8 for the terminal where
pprof prints them raw (issue 21); the goldens hold pprof's output escaped the
same way (tests/support/escape.py), which changes nothing for ordinary names.
Where names hold control characters other than tabs, pprof's text cannot be
escaped after the fact (a newline splits its line): the case is "escaped", and
the conformance test checks that pprofx's output holds no control character.
A -tags output that varies between runs of pprof (values of equal magnitude and
opposite sign come in Go's map order) is stored as NAME.unordered.txt.gz and
compared as a set of lines.
Outputs derived from copyleft sources (AGPL, GPL, CC-BY-SA, ...), and those
over 64 kB compressed, are stored only as the SHA-256 of that text.

Usage: scripts/make-label-golden.py [--shared ../shared]
Review the diff of tests/golden/ before committing.
"""
import argparse, csv, gzip, hashlib, importlib.util, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
import escape  # noqa: E402

spec = importlib.util.spec_from_file_location("top_golden", os.path.join(ROOT, "scripts", "make-pprof-golden.py"))
top_golden = importlib.util.module_from_spec(spec)
spec.loader.exec_module(top_golden)

MAX_STORED = 64 << 10  # larger goldens (compressed) are kept as their digest, to keep the repo small
PERMISSIVE = ("MIT", "BSD", "Apache", "ISC", "Unlicense", "CC0", "Zlib", "PSF")

VARIANTS = {
    "traces": {
        "pprof/large.cpu": [["-focus=main\\.next"], ["-hide=runtime"], ["-addresses"], ["-noinlines", "-lines"],
                            ["-unit=ms"], ["-files"], ["-show_from=main\\.next"], ["-divide_by=1000"]],
        "dd-trace-go/heap.pprof": [["-tagfocus=1kb:"], ["-alloc_space"], ["-sample_index=0"], ["-tagroot=bytes"],
                                   ["-tagroot=bytes", "-unit=kB"]],
        "dd-trace-go/block.after.pprof": [["-mean"], ["-contentions"]],
        "parca/labels.pb.gz": [["-tagfocus=api=/"], ["-tagignore=api:/debug"], ["-taghide=api"],
                               ["-tagroot=api", "-lines"], ["-tagroot=api", "-tagfocus=api=/", "-hide=^runtime"]],
        "parca/profile-with-labels.pb.gz": [["-tagshow=name"], ["-taghide=^thread_id$"], ["-tagshow=thread", "-taghide=id"],
                                            ["-tagshow=nothing"], ["-tagleaf=thread_name,thread_id"]],
        "pprofutils/labelframes.in.pprof": [["-tagroot=mylabel", "-tagleaf=mylabel"]],
        "external:gpn.1.net.http.pprof.goroutine.debug0.pb.gz": [["-tagroot=test_label", "-focus=test"]],
        "repo:testdata/workload.cpu.pb.gz": [["-addresses"], ["-filefunctions"], ["-relative_percentages", "-focus=json"]],
    },
    "raw": {
        "pprof/large.cpu": [["-focus=main\\.next"], ["-hide=runtime"], ["-show=main"], ["-divide_by=2"]],
        "parca/profile-with-labels.pb.gz": [["-taghide=thread_name"], ["-tagshow=id", "-tagfocus=thread_name=main"],
                                            ["-tagleaf=thread_name,thread_id"]],
        "dd-trace-go/heap.pprof": [["-tagfocus=1kb:"], ["-taghide=bytes"], ["-tagroot=bytes"]],
        "parca/labels.pb.gz": [["-tagignore=api:/debug"], ["-tagroot=api", "-lines"]],
        "pprofutils/labelframes.in.pprof": [["-tagroot=mylabel", "-tagleaf=mylabel"]],
        "repo:testdata/workload.cpu.pb.gz": [["-show_from=main\\.handleRequest"], ["-prune_from=json"]],
    },
    "tags": {
        "dd-trace-go/heap.pprof": [["-unit=MB"], ["-tagfocus=1kb:"], ["-focus=main"], ["-divide_by=1000"]],
        "parca/labels.pb.gz": [["-tagignore=api:/debug"], ["-unit=ms"], ["-tagshow=api"]],
        "parca/profile-with-labels.pb.gz": [["-tagshow=name"], ["-taghide=name"], ["-tagshow=thread", "-taghide=^thread_id$"],
                                            ["-tagshow=zzz"], ["-taghide=."]],
        "repo:testdata/workload.heap.pb.gz": [["-unit=kB"], ["-ignore=json"]],
    },
}


def run_pprof(report, path, args):
    env = dict(os.environ, TZ="UTC", PPROF_BINARY_PATH="/nonexistent", HOME="/nonexistent")
    out = subprocess.run(["go", "tool", "pprof", "-" + report, "-symbolize=none"] + args + [path],
                         capture_output=True, env=env)
    text = b"\n".join(l.rstrip() for l in out.stdout.split(b"\n")).rstrip(b"\n") + b"\n"
    if re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", text):
        # Control characters in names: pprof prints them raw (a newline in a name
        # splits its line), so its text cannot be escaped after the fact.
        return out.returncode, None, out.stderr.decode(errors="replace")
    return out.returncode, escape.terminal_lines(text), out.stderr.decode(errors="replace")


def varies(path, args, out):
    """pprof's -tags sorts a key's values by |total| only, in Go's map order
    where two totals have the same magnitude and opposite signs, so its output
    can vary from run to run (pprofx orders such values by name): True if one
    of five more runs prints something else."""
    return any(run_pprof("tags", path, args)[1] != out for _ in range(5))


def store(golden_dir, name, args, out, copyleft, unordered):
    """What CASES.tsv says of one case: "escaped" (out is None), the SHA-256 of a copyleft or large
    output, else the name of its gzipped golden file, written into golden_dir."""
    if out is None:
        return "escaped"
    packed = gzip.compress(out, 9, mtime=0)
    if (copyleft or len(packed) > MAX_STORED) and not unordered:
        return "sha256:" + hashlib.sha256(out).hexdigest()
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name.split(":")[-1] + "".join("_" + a.lstrip("-") for a in args))
    expected = stem[:150] + (".unordered" if unordered else "") + ".txt.gz"
    with open(os.path.join(golden_dir, expected), "wb") as fh:
        fh.write(packed)
    return expected


def write_cases(golden_dir, report, cases):
    with open(os.path.join(golden_dir, "CASES.tsv"), "w") as fh:
        fh.write("# file (real/, external:, repo:)\targs (pprof spelling)\texpected: golden file, or sha256\n")
        for c in cases:
            fh.write("\t".join(c) + "\n")
    print(f"{report}: {len(cases)} cases from {len(set(c[0] for c in cases))} profiles", file=sys.stderr)


def profiles(shared):
    """(case name, path, copyleft) of every profile pprof accepts."""
    for row, path in top_golden.accepted_profiles(shared):
        yield row["file"], path, not row["license"].startswith(PERMISSIVE)
    ext = os.path.join(shared, "corpus", "external")
    for row in csv.DictReader(open(os.path.join(ext, "MANIFEST.tsv")), delimiter="\t"):
        path = os.path.join(ext, row["file"])
        if run_pprof("top", path, [])[0] == 0:
            yield "external:" + row["file"], path, not row["license"].startswith(PERMISSIVE)
    for f in sorted(os.listdir(os.path.join(ROOT, "testdata"))):
        if f.endswith(".pb.gz"):
            yield "repo:testdata/" + f, os.path.join(ROOT, "testdata", f), False
    yield "repo:testdata/labels/units.pb.gz", os.path.join(ROOT, "testdata", "labels", "units.pb.gz"), False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    opts = ap.parse_args()
    found = list(profiles(opts.shared))
    for report in ("traces", "tags", "raw"):
        golden_dir = os.path.join(ROOT, "tests", "golden", "pprof-" + report)
        top_golden.empty_dir(golden_dir)
        cases = []
        for name, path, copyleft in found:
            if report == "traces":
                arg_sets = [[], ["-lines"]]
            elif report == "raw":
                arg_sets = [[]]
            else:
                arg_sets = [[f"-sample_index={i}"] for i in range(top_golden.sample_type_count(path))]
            extra = VARIANTS[report].get(name, [])
            if name == "repo:testdata/labels/units.pb.gz":
                extra = [a for a in top_golden.LABEL_FRAME_ARGS if a]
            for args in arg_sets + extra:
                rc, out, err = run_pprof(report, path, args)
                if rc != 0:
                    sys.exit(f"pprof failed on {name} {args}: {err.splitlines()[0] if err else rc}")
                unordered = out is not None and report == "tags" and varies(path, args, out)
                cases.append((name, " ".join(args), store(golden_dir, name, args, out, copyleft, unordered)))
        write_cases(golden_dir, report, cases)


if __name__ == "__main__":
    main()
