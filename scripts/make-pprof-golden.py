#!/usr/bin/env python3
"""Regenerates tests/golden/pprof-top/ from `go tool pprof` (Debian's golang-go).

For every profile in ../shared/corpus/real that pprof accepts (protobuf and
pprof's legacy text/binary formats), it records
`go tool pprof -top -symbolize=none` (or the -symbolize a variant names) for every sample type at granularity
functions and lines, plus option variants (filters, -cum, -nodecount, ...) on
a few files. Output is normalised the way the test compares it: trailing
spaces dropped, TZ=UTC.

Files from AGPL sources (pyroscope) are recorded only as a SHA-256 of pprof's
output, so no text derived from them is committed.

Usage: scripts/make-pprof-golden.py [--shared ../shared]
Review the diff of tests/golden/ before committing.
"""
import argparse, csv, hashlib, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "tests", "golden", "pprof-top")

# Extra option sets, on files where they exercise something (args are pprof's spellings,
# which pprofx accepts as aliases).
VARIANTS = {
    "pprof/large.cpu": [["-cum"], ["-nodecount=7"], ["-focus=main\\.next"], ["-ignore=time\\.Now"],
                        ["-hide=runtime"], ["-show=main"], ["-nodecount=40", "-nodefraction=0.0001"], ["-unit=ms"],
                        ["-show_from=main\\.next"], ["-prune_from=time\\.now"], ["-focus=main", "-relative_percentages"],
                        ["-filefunctions"], ["-files"], ["-addresses"], ["-noinlines", "-lines"],
                        ["-divide_by=1000"], ["-divide_by=0.5", "-cum"], ["-divide_by=1e-12"]],
    "dd-trace-go/pprof.lines.pb.gz": [["-addresses"], ["-noinlines"], ["-nodefraction=0", "-lines"]],
    "dd-trace-go/block.after.pprof": [["-mean"], ["-mean", "-sample_index=delay"], ["-contentions"], ["-total_delay"]],
    "parca/labels.pb.gz": [["-tagfocus=api=/"], ["-tagignore=api:/debug"], ["-nodefraction=0"],
                           ["-tagroot=api", "-lines"], ["-tagroot=api", "-tagfocus=api=/", "-hide=^runtime"]],
    "parca/profile-with-labels.pb.gz": [["-tagfocus=thread_name=.*"], ["-nodefraction=0"],
                                        ["-tagshow=name", "-taghide=zzz"], ["-tagleaf=thread_name,thread_id"]],
    "dd-trace-go/heap.pprof": [["-inuse_space"], ["-alloc_objects"], ["-tagfocus=1kb:"], ["-tagignore=:512"],
                               ["-unit=MB"], ["-nodecount=3", "-cum"], ["-tagroot=bytes"], ["-tagroot=bytes", "-unit=kB"],
                               ["-divide_by=1024", "-unit=MB"], ["-divide_by=7", "-lines"]],
    "pprof/cppbench.cpu_no_samples_type": [["-nodefraction=0"], ["-hide=Thread"]],
    "parca/alloc_space_delta.pb.gz": [["-nodefraction=0"], ["-sample_index=inuse_objects"]],
    "pprofutils/labelframes.in.pprof": [["-tagfocus=mylabel=.*"], ["-focus=main", "-hide=runtime"],
                                        ["-tagroot=mylabel", "-tagleaf=mylabel"]],
    "pprofutils/avg.in.pprof": [["-mean_delay"]],
    # pprof's default symbolization: no binaries to be found, so only its demangling shows.
    "pyroscope/profile_rust": [["-symbolize=local"]],
    "pprof/cppbench.cpu": [["-symbolize=local"]],
}

# pprof's -tagroot / -tagleaf on testdata/labels/units.pb.gz (every report's goldens use these).
LABEL_FRAME_ARGS = [[], ["-tagroot=request_bytes,tenant", "-tagleaf=latency,count"],
                    ["-tagroot=request_bytes,tenant", "-tagleaf=latency,count", "-unit=s"],
                    ["-tagroot=latency", "-unit=ms", "-lines"], ["-tagleaf=tenant", "-focus=acme"],
                    ["-tagroot=nosuch"], ["-tagleaf=tenant", "-files"]]


def run_pprof(path, args):
    env = dict(os.environ, TZ="UTC", PPROF_BINARY_PATH="/nonexistent", HOME="/nonexistent")
    sym = [] if any(a.startswith("-symbolize") for a in args) else ["-symbolize=none"]
    out = subprocess.run(["go", "tool", "pprof", "-top"] + sym + args + [path],
                         capture_output=True, env=env)
    text = b"\n".join(l.rstrip() for l in out.stdout.split(b"\n")).rstrip(b"\n") + b"\n"
    return out.returncode, text, out.stderr.decode(errors="replace")


def sample_type_count(path):
    _, _, err = run_pprof(path, ["-sample_index=999"])
    m = re.search(r"outside the range \[0\.\.(\d+)\]", err)
    if not m:
        sys.exit(f"cannot count sample types of {path}: {err.strip()}")
    return int(m.group(1)) + 1


def accepted_profiles(shared):
    """(manifest row, path) of every corpus profile pprof accepts (protobuf or legacy)."""
    real = os.path.join(shared, "corpus", "real")
    for row in csv.DictReader(open(os.path.join(real, "MANIFEST.tsv")), delimiter="\t"):
        result, enc = row["go_tool_pprof_1.19_result"], row["encoding"]
        if result.startswith("OK") and ("proto" in enc or enc.startswith("legacy")) and "DIFFERENT schema" not in enc:
            yield row, os.path.join(real, row["file"])


def empty_dir(path):
    os.makedirs(path, exist_ok=True)
    for f in os.listdir(path):
        os.remove(os.path.join(path, f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    opts = ap.parse_args()
    empty_dir(GOLDEN)
    cases = []
    for row, path in accepted_profiles(opts.shared):
        name = row["file"]
        agpl = "AGPL" in row["license"]
        arg_sets = []
        for i in range(sample_type_count(path)):
            arg_sets.append([f"-sample_index={i}"])
            arg_sets.append([f"-sample_index={i}", "-lines"])
        arg_sets.append([])  # the default sample type
        arg_sets += VARIANTS.get(name, [])
        for args in arg_sets:
            rc, out, err = run_pprof(path, args)
            if rc != 0:
                sys.exit(f"pprof failed on {name} {args}: {err.splitlines()[0] if err else rc}")
            if agpl:
                expected = "sha256:" + hashlib.sha256(out).hexdigest()
            else:
                stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name + "".join("_" + a.lstrip("-") for a in args))
                golden = stem[:150] + ".txt"
                with open(os.path.join(GOLDEN, golden), "wb") as fh:
                    fh.write(out)
                expected = golden
            cases.append((name, " ".join(args), expected))
    # The repo's own profiles (testdata/), named "repo:<path>": checked even without ../shared;
    # labels of every kind (string, numeric with and without units) for pprof's -tagroot / -tagleaf.
    repo_cases = []
    for name in sorted("testdata/" + f for f in os.listdir(os.path.join(ROOT, "testdata")) if f.endswith(".pb.gz")):
        arg_sets = [[f"-sample_index={i}"] for i in range(sample_type_count(os.path.join(ROOT, name)))]
        arg_sets += [["-lines"], ["-noinlines"], ["-nodefraction=0"], ["-focus=main\\.", "-cum"], ["-addresses", "-nodecount=20"]]
        repo_cases += [(name, args) for args in arg_sets]
    repo_cases += [("testdata/labels/units.pb.gz", args)
                   for args in LABEL_FRAME_ARGS + [["-tagroot=tenant", "-nodefraction=0", "-files"]]]
    for name, args in repo_cases:
        rc, out, err = run_pprof(os.path.join(ROOT, name), args)
        if rc != 0:
            sys.exit(f"pprof failed on {name} {args}: {err.splitlines()[0] if err else rc}")
        golden = re.sub(r"[^A-Za-z0-9_.-]+", "_", name + "".join("_" + a.lstrip("-") for a in args)) + ".txt"
        with open(os.path.join(GOLDEN, golden), "wb") as fh:
            fh.write(out)
        cases.append(("repo:" + name, " ".join(args), golden))
    with open(os.path.join(GOLDEN, "CASES.tsv"), "w") as fh:
        fh.write("# file\targs (pprof spelling)\texpected: golden file, or sha256 of pprof's output\n")
        for c in cases:
            fh.write("\t".join(c) + "\n")
    print(f"{len(cases)} cases from {len(set(c[0] for c in cases))} profiles", file=sys.stderr)


if __name__ == "__main__":
    main()
