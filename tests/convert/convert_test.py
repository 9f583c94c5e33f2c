#!/usr/bin/env python3
"""pprofx convert: speedscope JSON checked against the schema speedscope's npm
package ships and by loading it in speedscope itself (headless Chromium);
folded <-> pprof protobuf checked with go tool pprof; stdin/stdout.

Needs scripts/install-deps.sh --tests (chromium, chromedriver, selenium,
python3-jsonschema, golang-go, npm; speedscope in tests/convert/node_modules).
Usage: convert_test.py PPROFX REPO [SHARED]
"""
import base64, glob, gzip, json, os, subprocess, sys, tempfile, time

PPROFX, REPO = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import corpus  # noqa: E402

SHARED = corpus.shared_dir(sys.argv[3] if len(sys.argv) > 3 else None)  # None: no corpus
SPEEDSCOPE = os.path.join(REPO, "tests", "convert", "node_modules", "speedscope", "dist", "release")
TD = os.path.join(REPO, "testdata")
results = []


def run(args, **kw):
    return subprocess.run([PPROFX] + args, capture_output=True, env=dict(os.environ, TZ="UTC"), **kw)


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail!r}"[:1500]))


for need in [os.path.join(SPEEDSCOPE, "index.html"), "/usr/bin/chromium", "/usr/bin/chromedriver"]:
    if not os.path.exists(need):
        print(f"FAIL: {need} missing: run scripts/install-deps.sh --tests")
        sys.exit(1)
import jsonschema
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

SCHEMA = json.load(open(os.path.join(SPEEDSCOPE, "file-format-schema.json")))


def folded_of(doc, k):
    """speedscope profile k as folded lines (frame names joined by ';')."""
    names = [f["name"] for f in doc["shared"]["frames"]]
    prof = doc["profiles"][k]
    sums = {}
    for stack, w in zip(prof["samples"], prof["weights"]):
        key = ";".join(names[i] for i in stack)
        sums[key] = sums.get(key, 0) + w
    return sorted(f"{k} {v}" for k, v in sums.items() if v > 0)


def sample_types(path):
    r = run(["info", path])
    line = [l for l in r.stdout.decode().splitlines() if l.startswith("Sample types:")][0]
    return [t.split("/")[0].strip() for t in line.split(":", 1)[1].replace("[default]", "").split(",")]


inputs = sorted(glob.glob(os.path.join(TD, "workload.*.pb.gz"))) + [os.path.join(TD, "diff", "leak.heap.pb.gz")]
if SHARED:
    # Real producers other than Go: C++ (gperftools legacy), Java, Python, Rust, Node.
    for rel in ["real/pprof/cppbench.cpu", "real/pprof/java.cpu", "real/pyroscope/profile_rust",
                "real/pyroscope/profile_python", "real/pyroscope/nodejs-heap.pb.gz", "real/pyroscope/pyspy-1.pb.gz",
                "real/pyroscope/heap-js.pprof", "real/pprof/go.crc32.cpu"]:
        p = os.path.join(SHARED, "corpus", rel)
        if not os.path.exists(p):
            print(f"FAIL: {p} missing from the corpus")
            sys.exit(1)
        inputs.append(p)
else:
    print(f"note: no corpus ({corpus.ENV} or ../shared absent); speedscope checks use the repo's testdata only")

opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--allow-file-access-from-files", "--window-size=1200,800"]:
    opts.add_argument(a)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def load_in_speedscope(path, tmp):
    """Opens path in speedscope as its CLI does (#localProfilePath=a JS file
    calling speedscope.loadFileFromBase64); returns (title, page text)."""
    js = os.path.join(tmp, f"load-{time.time_ns()}.js")
    data = base64.b64encode(open(path, "rb").read()).decode()
    open(js, "w").write(f"speedscope.loadFileFromBase64({json.dumps(os.path.basename(path))}, {json.dumps(data)})")
    driver.get("about:blank")
    driver.get("file://" + os.path.join(SPEEDSCOPE, "index.html") + "#localProfilePath=" + js)
    deadline = time.time() + 20
    text = ""
    while time.time() < deadline:
        text = driver.execute_script("return document.body.innerText")
        if driver.title != "speedscope" or "Something went wrong" in text:
            break
        time.sleep(0.2)
    time.sleep(0.5)
    return driver.title, driver.execute_script("return document.body.innerText")


try:
    with tempfile.TemporaryDirectory() as tmp:
        for src in inputs:
            name = os.path.basename(src)
            out = os.path.join(tmp, name + ".speedscope.json")
            r = run(["convert", src, "-o", out, "--symbolize=none"])
            if r.returncode != 0:
                check(f"{name}: convert to speedscope", False, r.stderr)
                continue
            doc = json.load(open(out))
            try:
                jsonschema.validate(doc, SCHEMA)
                valid = True, ""
            except jsonschema.ValidationError as e:
                valid = False, str(e)[:500]
            check(f"{name}: valid against speedscope's file-format-schema.json", valid[0], valid[1])
            types = sample_types(src)
            same = [p["name"] for p in doc["profiles"]] == types
            for k in range(len(types)):
                ref = run(["fold", src, f"--sample-index={k}", "--symbolize=none"]).stdout.decode().splitlines()
                same = same and folded_of(doc, k) == sorted(ref)
            check(f"{name}: one profile per sample type ({len(types)}), stacks and weights equal pprofx fold", same,
                  ([p["name"] for p in doc["profiles"]], types))
            title, text = load_in_speedscope(out, tmp)
            active = doc["profiles"][doc["activeProfileIndex"]]["name"]
            n = len(doc["profiles"])
            shown = f"{active} ({doc['activeProfileIndex'] + 1}/{n})" if n > 1 else active
            check(f"{name}: speedscope loads it (title, '{shown}' in its toolbar)",
                  title == f"{doc['name']} - speedscope" and shown in text and "went wrong" not in text,
                  (title, text[:300]))

        # The check can fail: a document speedscope cannot import.
        bad = json.load(open(os.path.join(tmp, "workload.heap.pb.gz.speedscope.json")))
        del bad["profiles"][0]["weights"]
        bad_path = os.path.join(tmp, "broken.json")
        json.dump(bad, open(bad_path, "w"))
        title, text = load_in_speedscope(bad_path, tmp)
        check("control: a broken document is rejected by speedscope and by the schema",
              "Something went wrong" in text and title == "speedscope" and
              not jsonschema.Draft7Validator(SCHEMA).is_valid(bad), (title, text[:200]))

        heap = os.path.join(TD, "workload.heap.pb.gz")
        out = os.path.join(tmp, "one.json")
        r = run(["convert", heap, "-o", out, "--sample-index=alloc_space", "--focus=compress"])
        doc = json.load(open(out))
        ref = run(["fold", heap, "--sample-index=alloc_space", "--focus=compress"]).stdout.decode().splitlines()
        check("--sample-index and filters: one profile, equal to fold with the same flags",
              r.returncode == 0 and len(doc["profiles"]) == 1 and doc["profiles"][0]["unit"] == "bytes" and
              folded_of(doc, 0) == sorted(ref), r.stderr)

        # folded -> pprof protobuf, read by go tool pprof.
        folded = os.path.join(TD, "perf-sample.folded")
        pb = os.path.join(tmp, "perf.pb.gz")
        r = run(["convert", folded, "-o", pb])
        top = run(["top", pb])
        go = subprocess.run(["go", "tool", "pprof", "-top", pb], capture_output=True, env=dict(os.environ, TZ="UTC"))
        strip = lambda b: [l.rstrip() for l in b.decode().splitlines()]
        check("folded -> .pb.gz: go tool pprof -top reads it and agrees with pprofx top",
              r.returncode == 0 and go.returncode == 0 and strip(go.stdout) == strip(top.stdout),
              (r.stderr, go.stderr, go.stdout[:300], top.stdout[:300]))
        check("folded -> pprof -> folded gives the input's stacks back",
              run(["fold", pb]).stdout == run(["fold", folded]).stdout)
        r = run(["convert", folded, "-o", os.path.join(tmp, "perf.pb")])
        raw = open(os.path.join(tmp, "perf.pb"), "rb").read()
        check(".pb is written uncompressed", r.returncode == 0 and raw[:2] != b"\x1f\x8b" and
              run(["top", os.path.join(tmp, "perf.pb")]).stdout == top.stdout)
        out = os.path.join(tmp, "perf.json")
        r = run(["convert", folded, "-o", out])
        doc = json.load(open(out))
        check("folded -> speedscope: one 'samples' profile with the same stacks",
              r.returncode == 0 and folded_of(doc, 0) == sorted(run(["fold", folded]).stdout.decode().splitlines()))

        # pprof -> pprof (legacy and merged inputs come out as profile.proto).
        cpu = os.path.join(TD, "workload.cpu.pb.gz")
        out = os.path.join(tmp, "cpu2.pb.gz")
        r = run(["convert", cpu, "-o", out])
        go1 = subprocess.run(["go", "tool", "pprof", "-top", cpu], capture_output=True, env=dict(os.environ, TZ="UTC"))
        go2 = subprocess.run(["go", "tool", "pprof", "-top", out], capture_output=True, env=dict(os.environ, TZ="UTC"))
        check("pprof -> .pb.gz: go tool pprof -top prints the same table", r.returncode == 0 and
              strip(go1.stdout)[1:] == strip(go2.stdout)[1:] and gzip.decompress(open(out, "rb").read()), go2.stderr)

        # stdin and stdout.
        r = run(["convert", "-", "-o", "-", "--format", "folded"], input=open(cpu, "rb").read())
        check("'-' in, '-' out (--format folded) equals fold", r.returncode == 0 and r.stdout == run(["fold", cpu]).stdout,
              r.stderr)
        r = run(["convert", cpu, "-o", "-", "--format", "speedscope"])
        check("speedscope to stdout", r.returncode == 0 and json.loads(r.stdout)["exporter"].startswith("pprofx "))
        r = run(["convert", cpu, "-o", "-"])
        check("stdout without --format: a usage error saying what to give",
              r.returncode == 2 and b"give --format" in r.stderr.split(b"\n")[0], r.stderr)
        r = run(["convert", cpu, "-o", os.path.join(tmp, "x.jpg")])
        check("an extension convert does not write: a usage error naming the choices, nothing written",
              r.returncode == 2 and b".json (speedscope)" in r.stderr and not os.path.exists(os.path.join(tmp, "x.jpg")),
              r.stderr)
        r = run(["convert", cpu, "-o", os.path.join(tmp, "x.pb.gz"), "--focus=main"])
        check("filters with pprof output are refused (pprof output keeps the whole profile)",
              r.returncode == 1 and b"filters" in r.stderr and not os.path.exists(os.path.join(tmp, "x.pb.gz")),
              r.stderr)
        r = run(["convert", folded, "-o", os.path.join(tmp, "y.json"), "--sample-index=1"])
        check("--sample-index on folded input is refused", r.returncode == 1 and b"folded stacks" in r.stderr, r.stderr)
finally:
    driver.quit()

print(f"{sum(results)}/{len(results)} passed")
sys.exit(0 if all(results) else 1)
