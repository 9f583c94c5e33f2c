// The page's data model (web/*.js) against the CLI: for real profiles and
// filter sets, the top table the page computes (every header line, every
// row's flat, flat%, sum%, cum, cum% and name, as printed) equals
// `pprofx top` with the same flags, pprof's "(inline)" marks included.
// Run by ctest: PPROFX=path/to/pprofx REPO=source dir node --test tests/web/
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { refine, prepareData, atGranularity } from "../../web/refine.js";
import { topTable } from "../../web/top.js";
import { flameTree, sandwichTrees, searchMatch, labelShares } from "../../web/tree.js";
import { compileRegex, exactName } from "../../web/regex.js";
import { stateFlags, parseState, formatState } from "../../web/state.js";
import { routinesOf, listText } from "../../web/source.js";
import { readPayload, WINDOWS_1252_HIGH } from "../../web/payload.js";

const PPROFX = process.env.PPROFX;
const REPO = process.env.REPO || new URL("../..", import.meta.url).pathname;
const SHARED = process.env.PPROFX_SHARED || join(REPO, "..", "shared");
const tmp = mkdtempSync(join(tmpdir(), "pprofx-web-"));

function pageData(profile, extra = []) {
  const out = join(tmp, `d${Math.random().toString(36).slice(2)}.json`);
  execFileSync(PPROFX, ["web", ...extra, profile, "-o", out], { stdio: ["ignore", "ignore", "pipe"] });
  return prepareData(JSON.parse(readFileSync(out, "utf8")));
}

function cliTop(profile, flags) {
  return execFileSync(PPROFX, ["top", ...flags, profile], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

// The page's table in pprof's text layout (format_top_text without colour).
function pageText(table) {
  let out = table.header.map((l) => l + "\n").join("");
  out += `${"flat".padStart(10)} ${"flat".padStart(5)}% ${"sum".padStart(5)}% ${"cum".padStart(10)} ${"cum".padStart(5)}%\n`;
  for (const r of table.rows) {
    out += `${r.flatText.padStart(10)} ${r.flatPct} ${r.sumPct} ${r.cumText.padStart(10)} ${r.cumPct}  ${r.name}` +
      `${r.mark ? " " + r.mark : ""}\n`;
  }
  return out;
}


// Filters as the page holds them -> the CLI's flags (state.js's stateFlags, the line the page shows).
function compare(profile, filters, label) {
  const d = pageData(profile);
  const state = { ...parseState(""), ...filters };
  const t = filters.t ? d.types.findIndex((x) => x.type === filters.t) : d.default;
  assert.ok(t >= 0, `no type ${filters.t}`);
  const r = refine(atGranularity(d, state.g), state);
  const table = topTable(r, { type: t, nodeCount: 0, sortByCum: state.sort === "cum", filters: state });
  const flags = stateFlags(state, d).map((f) => f.replace(/='(.*)'$/s, "=$1").replace(/'\\''/g, "'"));
  const expected = cliTop(profile, flags);
  assert.equal(pageText(table), expected, `${label}: pprofx top ${flags.join(" ")} ${profile}`);
  return table;
}

const W = (name) => join(REPO, "testdata", name);

// The data block of an HTML page as a browser gives it to the page: its bytes decoded as windows-1252.
function pageScriptText(html) {
  const raw = readFileSync(html);
  const start = raw.indexOf('id="pprofx-data">') + 'id="pprofx-data">'.length;
  const block = raw.subarray(start, raw.indexOf("</script>", start));
  const chars = Array.from(block, (b) => (b >= 0x80 && b < 0xa0 ? WINDOWS_1252_HIGH[b - 0x80] : b));
  let text = "";
  for (let i = 0; i < chars.length; i += 4096) text += String.fromCharCode(...chars.slice(i, i + 4096));
  return { text, block };
}

test("the page's embedded data (deflated, escaped, binary arrays) reads back as the .json's", async () => {
  const seen = new Set();
  for (const [profile, extra] of [[W("workload.cpu.pb.gz"), []], [W("workload.heap.pb.gz"), []],
    [join(REPO, "testdata", "diff", "slow.heap.pb.gz"), [join(REPO, "testdata", "diff", "base.heap.pb.gz")]]]) {  // a diff page
    const html = join(tmp, `p${Math.random().toString(36).slice(2)}.html`);
    execFileSync(PPROFX, ["web", ...extra, profile, "-o", html], { stdio: ["ignore", "ignore", "pipe"] });
    const { text, block } = pageScriptText(html);
    for (const b of block) seen.add(b);
    assert.deepStrictEqual(prepareData(await readPayload(text)), pageData(profile, extra));
    // Damaged: truncated, a byte changed, a character windows-1252 never gives, an escape of nothing.
    await assert.rejects(readPayload(text.slice(0, text.length >> 1)), /damaged/);
    await assert.rejects(readPayload(text.slice(0, 40) + String.fromCharCode(text.charCodeAt(40) ^ 1) + text.slice(41)),
      /damaged/);
    await assert.rejects(readPayload(text + "\u4e00"), /damaged/);
    await assert.rejects(readPayload(text + "="), /damaged/);
  }
  // The escapes (NUL, CR, '<', '=' as =@ =M =| =}) and bytes 0x80-0x9F were all read back.
  for (const b of [0x40, 0x4d, 0x7c, 0x7d]) assert.ok(seen.has(b));
  for (let b = 0x80; b < 0xa0; b++) assert.ok(seen.has(b), `byte ${b} in the blocks`);
  for (const b of [0x00, 0x0d, 0x3c]) assert.ok(!seen.has(b), `byte ${b} escaped`);
});

test("frames of one name with the same flat and cum: pprof's tie-break orders them (the inline mark shows it)", () => {
  const prof = join(mkdtempSync(join(tmp, "ties-")), "ties.pb");
  execFileSync("/usr/bin/python3", ["-c", `import sys; sys.path.insert(0, ${JSON.stringify(join(REPO, "tests", "web"))}); ` +
    `import cli_rows; cli_rows.same_name_profile(${JSON.stringify(prof)})`]);
  const t = compare(prof, {}, "ties");
  assert.deepEqual(t.rows.map((r) => r.name + (r.mark ? " " + r.mark : "")).slice(0, 2).sort(),
    ["[libz.so]", "[libz.so] (inline)"]);
  compare(prof, { sort: "cum" }, "ties, --cum");
});

test("workload cpu: no filter, each type, --cum", () => {
  const t = compare(W("workload.cpu.pb.gz"), {}, "cpu");
  assert.ok(t.rows.length > 5);
  compare(W("workload.cpu.pb.gz"), { t: "samples" }, "samples");
  compare(W("workload.cpu.pb.gz"), { sort: "cum" }, "cum");
});

test("workload cpu: focus, ignore, hide, show, show_from on names the page offers", () => {
  const d = pageData(W("workload.cpu.pb.gz"));
  const r = refine(d, parseState(""));
  const top = topTable(r, { type: d.default, nodeCount: 0 });
  // The 2nd and 4th heaviest functions by flat, as a right-click gives them (exact-name regexps).
  const a = exactName(top.rows[1].name), b = exactName(top.rows[3].name);
  for (const f of [{ focus: a }, { ignore: a }, { hide: a }, { show: a }, { show_from: b }, { focus: "main", hide: "runtime" },
    { focus: a, ignore: b }, { show_from: "main\\.", sort: "cum" }]) {
    const t = compare(W("workload.cpu.pb.gz"), f, JSON.stringify(f));
    assert.ok(t.header.length > 0);
  }
});

test("heap profile: every sample type, focus", () => {
  const d = pageData(W("workload.heap.pb.gz"));
  for (const x of d.types) compare(W("workload.heap.pb.gz"), { t: x.type }, x.type);
  compare(W("workload.heap.pb.gz"), { t: "alloc_space", focus: "main" }, "alloc_space focus");
});

test("labels: tag focus and ignore as the labels view sets them, and numeric ranges", () => {
  const p = W("labels/units.pb.gz");
  const d = pageData(p);
  const shares = labelShares(refine(d, parseState("")), d.default);
  let ran = 0;
  for (const { key, values } of shares) {
    for (const [value] of values.slice(0, 2)) {
      const re = "^" + value.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&").replace(/,/g, "\\x2c") + "$";
      compare(p, { tagfocus: `${key}=${re}` }, `tagfocus ${key}`);
      compare(p, { tagignore: `${key}=${re}` }, `tagignore ${key}`);
      ran++;
    }
  }
  assert.ok(ran > 0, "the profile has string labels");
  // Numeric ranges with units, as pprof parses them; a bare regexp over "key:value".
  for (const f of ["request_bytes=1kb:", "request_bytes=2kb:", "request_bytes=:1kb", "request_bytes=:10b", "latency=1ms:2ms", "request_bytes=10", "tenant:c",
    "count=7", "-3"]) {
    compare(p, { tagfocus: f }, `tagfocus ${f}`);
    compare(p, { tagignore: f }, `tagignore ${f}`);
  }
});

test("page's sandwich, flame tree and search agree with the table", () => {
  const d = pageData(W("workload.cpu.pb.gz"));
  const r = refine(d, parseState(""));
  const t = d.default;
  const top = topTable(r, { type: t, nodeCount: 0 });
  const tree = flameTree(r, t);
  const all = topTable(r, { type: t, nodeCount: 0, nodeFraction: 0 });
  assert.equal(tree.total[0], all.rows.reduce((s, x) => s + x.flat, 0), "the flame graph's root = the flat sum");
  assert.ok(tree.size() > 10);
  const row = top.rows[2];
  const { callers, callees } = sandwichTrees(r, t, row.frame);
  assert.equal(callers.total[0], row.cum, "the sandwich holds the function's cum");
  assert.equal(callees.total[0], row.cum);
  const m = searchMatch(r, t, compileRegex(exactName(row.name)));
  assert.equal(m.matched, row.cum, "search matched share = cum of the function");
});

test("URL state round trip and the flags line quote for a shell", () => {
  const s = { ...parseState(""), view: "top", t: "cpu", focus: "a b'c", hide: "^x$", fn: "main.f", q: "run", z: [3, 5], inv: true, sort: "cum" };
  assert.deepEqual(parseState(formatState(s)), s);
  const d = { types: [{ type: "samples" }, { type: "cpu" }], default: 0 };
  assert.deepEqual(stateFlags(s, d), ["--sample-index=cpu", "--cum", "--focus='a b'\\''c'", "--hide='^x$'"]);
});

// Real profiles of the shared corpus (skipped with a message when ../shared is absent).
const corpus = ["real/pprof/gobench.cpu", "real/dd-trace-go/heap.pprof", "real/parca/profile-with-labels.pb.gz",
  "real/pprof/java.cpu", "real/parca/alloc_objects.pb.gz"];
test("corpus: top and refines equal pprofx top on real profiles", (t) => {
  if (!existsSync(join(SHARED, "corpus"))) { t.skip(`${SHARED}/corpus is absent`); return; }
  let ran = 0;
  for (const rel of corpus) {
    const p = join(SHARED, "corpus", rel);
    const d = pageData(p);
    const top = compare(p, {}, rel);
    if (top.rows.length < 3) continue;
    compare(p, { focus: exactName(top.rows[1].name) }, rel + " focus");
    compare(p, { ignore: exactName(top.rows[0].name) }, rel + " ignore");
    compare(p, { hide: exactName(top.rows[0].name), sort: "cum" }, rel + " hide");
    compare(p, { show_from: exactName(top.rows[2].name) }, rel + " show_from");
    for (const x of d.types) compare(p, { t: x.type }, rel + " " + x.type);
    ran++;
  }
  assert.ok(ran >= 3, "at least three corpus profiles compared");
});

test("C's printf rounding: exact ties to even, %g's exponent form", async () => {
  const u = await import("../../web/units.js");
  // Expected values are C's (glibc) printf of the same doubles.
  assert.deepEqual([0.125, 0.375, 1.005, 2.675, 99.995].map((x) => u.formatFixed(x, 2)),
    ["0.12", "0.38", "1.00", "2.67", "100.00"]);
  assert.deepEqual([0.0171, 0.00001234, 0.995, 9.96, 0.5, 0].map((x) => u.formatG(x, 2)),
    ["0.017", "1.2e-05", "0.99", "10", "0.5", "0"]);
  assert.equal(u.percentage(1, 3), "33.33%");
  assert.equal(u.percentage(1, 100000), "0.001%");
  assert.equal(u.percentage(2, 2), "  100%");
  assert.equal(u.scaledLabel(1500000000, "nanoseconds", "minimum"), "1.50s");
  assert.equal(u.scaledLabel(1536, "bytes", "minimum"), "1.50kB");
});

test("the flame tree's stacks = pprofx fold's (every frame expanded on a small profile)", () => {
  for (const [p, flags, filters] of [[W("workload.cpu.pb.gz"), [], {}],
    [W("workload.heap.pb.gz"), ["--sample-index=alloc_space", "--focus=main"], { focus: "main" }]]) {
    const d = pageData(p);
    const t = flags.length ? d.types.findIndex((x) => x.type === "alloc_space") : d.default;
    const tree = flameTree(refine(d, { ...parseState(""), ...filters }), t, 0);
    const drawn = flameTree(refine(d, { ...parseState(""), ...filters }), t);
    assert.equal(drawn.total[0], tree.total[0], "the drawn tree (frames under 1/20000 not expanded) has the same total");
    if (p.includes("heap")) assert.ok(drawn.size() < tree.size(), "frames were left unexpanded");
    // Every drawn node has the complete tree's total and self; siblings in name order.
    const key = (tr, n) => { const k = []; for (let a = n; a > 0; a = tr.parent[a]) k.push(tr.frame[a]); return k.join(","); };
    const full = new Map();
    for (let n = 1; n < tree.size(); n++) full.set(key(tree, n), [tree.total[n], tree.self[n]]);
    for (let n = 1; n < drawn.size(); n++) assert.deepEqual([drawn.total[n], drawn.self[n]], full.get(key(drawn, n)));
    for (let n = 0; n < drawn.size(); n++) {
      const ranks = drawn.children[n].map((c) => d.frameNameRank[drawn.frame[c]]);
      assert.deepEqual(ranks, [...ranks].sort((x, y) => x - y));
    }
    const lines = [];
    for (let n = 1; n < tree.size(); n++) {
      if (tree.self[n] === 0) continue;
      const names = [];
      for (let a = n; a > 0; a = tree.parent[a]) names.push(d.strings[d.frameName[tree.frame[a]]]);
      lines.push(names.reverse().join(";") + " " + tree.self[n]);
    }
    const folded = execFileSync(PPROFX, ["fold", ...flags, p], { encoding: "utf8" }).trim().split("\n");
    assert.deepEqual(lines.sort(), folded.sort(), p);
    assert.ok(lines.length > 10);
  }
});

// Diff mode: the page's delta table and differential flame graph against `pprofx diff` given the
// flags the page shows (diffFlags): the whole text output, and every frame of the SVG (its width,
// fill colour and tooltip) found in the page's tree at the same depth and offset.
import { computeDiff, diffFlags } from "../../web/diff_page.js";
import { diffText, changeColor, nodeDetails } from "../../web/diff.js";

const unquote = (flags) => flags.map((f) => f.replace(/='(.*)'$/s, "=$1").replace(/'\\''/g, "'"));
const diffData = (base, next) => pageData(next, [base]);  // pprofx web BASE NEW -o x.json

function svgFrames(svg) {
  const origin = Number(svg.match(/data-origin="([0-9.]+)"/)[1]), rowh = Number(svg.match(/data-rowh="([0-9.]+)"/)[1]);
  const unesc = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
  const out = [];
  const re = /<g><title>([^<]*)<\/title><rect x="[^"]*" y="([0-9.]+)"[^>]*fill="rgb\(([0-9,]+)\)" data-x="(\d+)" data-w="(\d+)"/g;
  for (const m of svg.matchAll(re)) {
    out.push({ depth: Math.round((origin - Number(m[2])) / rowh), x: m[4], w: m[5], fill: m[3], title: unesc(m[1]) });
  }
  return out;
}

function compareDiff(base, next, filters, label) {
  const d = diffData(base, next);
  const state = { ...parseState(""), ...filters };
  const c = computeDiff(d, state);
  const flags = unquote(diffFlags(state, d));
  const cli = execFileSync(PPROFX, ["diff", "--color=never", ...flags, base, next], { encoding: "utf8" });
  assert.equal(diffText(c.report, base, next), cli, `${label}: pprofx diff ${flags.join(" ")}`);
  // The graph: each frame the SVG draws is the page's node at that depth and offset (in value units).
  const svgPath = join(tmp, `g${Math.random().toString(36).slice(2)}.svg`);
  execFileSync(PPROFX, ["diff", ...flags, base, next, "-o", svgPath], { stdio: "ignore" });
  const tree = c.tree, at = new Map(), x = new Array(tree.size()).fill(0), walk = [0];
  while (walk.length) {
    const n = walk.pop();
    if (n > 0 && tree.total[n] === 0) continue;  // not drawn
    at.set(`${tree.depth[n]}:${x[n]}`, n);
    let cx = x[n] + tree.self[n];
    for (const ch of tree.children[n]) { x[ch] = cx; cx += tree.total[ch]; walk.push(ch); }
  }
  const frames = svgFrames(readFileSync(svgPath, "utf8"));
  assert.ok(frames.length >= 4, `${label}: the SVG draws frames`);
  let coloured = 0;
  for (const f of frames) {
    const n = at.get(`${f.depth}:${f.x}`);
    assert.ok(n !== undefined, `${label}: the SVG's frame ${f.title.split("\n")[0]} at depth ${f.depth}, x ${f.x}`);
    const name = n === 0 ? "all" : d.strings[tree.frame[n]];
    assert.equal(String(tree.total[n]), f.w, `${label}: width of ${name}`);
    const fill = changeColor(tree.change[n], c.max, tree.noise[n]).join(",");
    assert.equal(fill, f.fill, `${label}: colour of ${name}`);
    if (fill !== "210,210,210") coloured++;
    // The SVG's tooltip: the page's, then the function's file when known.
    const page = name + "\n" + nodeDetails(tree, n, c.t.unit), rest = f.title.slice(page.length);
    assert.ok(f.title.startsWith(page) && (rest === "" || /^\n[^\n]*$/.test(rest)) && !rest.includes("only in"),
      `${label}: tooltip of ${name}: ${f.title}`);
  }
  return { c, frames: frames.length, coloured, rows: c.report.rows.length };
}

const DD = (name) => join(REPO, "testdata", "diff", name);

test("diff mode: delta table and graph = pprofx diff (cpu: each normalisation, widths, colour, sort, refines)", () => {
  const [b, n] = [DD("base.cpu.pb.gz"), DD("slow.cpu.pb.gz")];
  const r = compareDiff(b, n, {}, "cpu");
  assert.ok(r.rows > 50 && r.coloured > 0 && r.c.report.rows.some((v) => !v.noise) && r.c.report.rows.some((v) => v.noise));
  for (const f of [{ norm: "absolute" }, { norm: "per-second", w: "sum" }, { w: "base", cb: "total" }, { sort: "cum" },
    { t: "samples" }, { focus: "main", hide: "runtime" }, { ignore: "^runtime\\.mallocgc$", norm: "absolute", w: "base" },
    { show_from: "^main\\.", sort: "cum" }, { show: "json|flate" }]) {
    compareDiff(b, n, f, JSON.stringify(f));
  }
  compareDiff(DD("two.base.cpu.pb.gz"), DD("two.slow.cpu.pb.gz"), { cb: "total" }, "two");
  compareDiff(DD("aa.cpu.pb.gz"), DD("base.cpu.pb.gz"), {}, "aa");
});

test("diff mode: heap types, goroutine profiles by function (their --by stack default named)", () => {
  const d = diffData(DD("base.heap.pb.gz"), DD("leak.heap.pb.gz"));
  for (const p of d.diff.pairs) compareDiff(DD("base.heap.pb.gz"), DD("leak.heap.pb.gz"), { t: p.type }, p.type);
  compareDiff(DD("base.heap.pb.gz"), DD("slow.heap.pb.gz"), { norm: "share", w: "sum" }, "heap share");
  // Backwards: the leak is only in BASE, width 0 from NEW, not drawn; colours scale to the drawn frames' changes.
  compareDiff(DD("leak.heap.pb.gz"), DD("base.heap.pb.gz"), {}, "leak gone");
  const g = compareDiff(DD("base.goroutine.pb.gz"), DD("leak.goroutine.pb.gz"), {}, "goroutine");
  assert.deepEqual(diffFlags(parseState(""), diffData(DD("base.goroutine.pb.gz"), DD("leak.goroutine.pb.gz"))), ["--by=function"]);
  assert.ok(g.rows > 3);
});

test("diff mode: corpus pairs (delta profiles of dd-trace-go, a parca series)", (t) => {
  if (!existsSync(join(SHARED, "corpus"))) { t.skip(`${SHARED}/corpus is absent`); return; }
  const C = (rel) => join(SHARED, "corpus", "real", rel);
  const pairs = [["dd-trace-go/heap.before.pprof", "dd-trace-go/heap.after.pprof"],
    ["dd-trace-go/block.before.pprof", "dd-trace-go/block.after.pprof"],
    ["parca/1644509272337470000.pb.gz", "parca/1644509299337903000.pb.gz"]];
  let ran = 0;
  for (const [b, n] of pairs) {
    if (!existsSync(C(b)) || !existsSync(C(n))) continue;
    const d = diffData(C(b), C(n));
    for (const p of d.diff.pairs) compareDiff(C(b), C(n), { t: p.type }, `${b} ${p.type}`);
    compareDiff(C(b), C(n), { w: "sum", norm: "absolute", sort: "cum" }, `${b} sum`);
    ran++;
  }
  assert.ok(ran >= 2, "corpus pairs compared");
});

test("diff mode: colours scale to the frames the SVG draws (a frame too narrow to draw changed most)", () => {
  const [b, n] = [join(tmp, "near.base.pb.gz"), join(tmp, "near.new.pb.gz")];
  execFileSync("python3", [join(REPO, "tests", "web", "make_pair.py"), b, n]);
  for (const f of [{}, { cb: "total" }]) {
    const r = compareDiff(b, n, f, "nearly gone " + JSON.stringify(f));
    const gone = r.c.report.rows.find((v) => v.row.name === "nearly_gone");
    assert.ok(gone && gone.deltaFlat < -49, "nearly_gone's share fell by 50 points");
    assert.ok(r.coloured >= 2, "frames coloured relative to the largest drawn change");
  }
});

test("inline marks of every frame (--nodefraction=0: light edges are under the edge cutoff)", (t) => {
  const profiles = [W("workload.cpu.pb.gz")];
  // Real profiles whose light inline edges (under 0.1% of the flat sum) would mark frames pprof does not.
  for (const rel of ["parca/profile-with-labels.pb.gz", "dd-trace-go/heap.pprof", "parca/alloc_objects.pb.gz"]) {
    const p = join(SHARED, "corpus", "real", rel);
    if (existsSync(p)) profiles.push(p);
  }
  let marked = 0;
  for (const p of profiles) {
    const d = pageData(p);
    const table = topTable(refine(d, parseState("")), { type: d.default, nodeCount: 0, nodeFraction: 0 });
    assert.equal(pageText(table), cliTop(p, ["--nodefraction=0"]), p);
    marked += table.rows.filter((r) => r.mark).length;
  }
  assert.ok(marked > 20, "frames marked (inline)");
});

test("line granularity: top rows = pprofx top --granularity lines (each type, --cum, refines on a line's function)", (t) => {
  const profiles = [W("workload.cpu.pb.gz"), W("workload.heap.pb.gz")];
  for (const rel of ["real/parca/profile-with-labels.pb.gz", "real/dd-trace-go/heap.pprof", "real/pprof/java.cpu"]) {
    const p = join(SHARED, "corpus", rel);
    if (existsSync(p)) profiles.push(p);
  }
  let marked = 0;
  for (const p of profiles) {
    const d = pageData(p);
    const top = compare(p, { g: "lines" }, p + " lines");
    assert.ok(top.rows.length >= 3 && top.rows.filter((r) => / \S+:\d+$/.test(r.name)).length >= 3, p);
    marked += top.rows.filter((r) => r.mark).length;
    compare(p, { g: "lines", sort: "cum" }, p + " lines --cum");
    for (const x of d.types) compare(p, { g: "lines", t: x.type }, p + " lines " + x.type);
    // A right-click at line granularity refines on the line's function (regexps match functions).
    const lines = atGranularity(d, "lines");
    const fn = lines.frameFunction[top.rows[1].frame];
    assert.ok(fn && top.rows[1].name.startsWith(fn), "the line's function");
    compare(p, { g: "lines", focus: exactName(fn) }, p + " lines focus");
    compare(p, { g: "lines", hide: exactName(lines.frameFunction[top.rows[0].frame]) }, p + " lines hide");
  }
  assert.ok(marked > 0, "inline marks at line granularity");
});

test("source view: pprofx list's text for the heaviest functions (each type, refines)", (t) => {
  const go = "/usr/lib/go-1.19";  // Debian's golang-go (the tests' install): the Go sources these profiles name
  const cases = [
    [W("workload.cpu.pb.gz"), ["--source-path", join(REPO, "testdata", "workload")]],
    [W("workload.heap.pb.gz"), ["--source-path", join(REPO, "testdata", "workload")]],
  ];
  // The pyroscope cpu and heap_delta profiles have their functions' start lines (Go 1.20+), the others none.
  for (const rel of ["real/pyroscope/go.cpu.labels.pprof", "real/pprofutils/anon.in.pprof", "real/pyroscope/cpu_go_truncated_1.pb.gz",
    "real/pyroscope/heap_delta"]) {
    const p = join(SHARED, "corpus", rel);
    if (existsSync(p)) cases.push([p, ["--trim-path", "/usr/local/go", "--source-path", go]]);
  }
  if (!existsSync(go)) { t.skip(`${go} is absent (golang-go)`); return; }
  let listed = 0, refined = 0;
  for (const [p, src] of cases) {
    const d = pageData(p, src);
    assert.ok(d.sources && d.sources.routines.length >= 5 && d.sources.omitted === 0, `${p}: sources embedded`);
    const cli = (fn, flags) => {
      try {
        return execFileSync(PPROFX, ["list", exactName(fn), ...src, ...flags, p], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      } catch (e) {
        return null;  // no matches found: the page says the same with null
      }
    };
    const page = (state, t, fn) => listText(refine(d, { ...parseState(""), ...state }), t, routinesOf(d, fn));
    for (let t = 0; t < d.types.length; t++) {
      const top = topTable(refine(d, parseState("")), { type: t, nodeCount: 0, sortByCum: true, filters: {} });
      const names = top.rows.map((r) => r.name).filter((n) => routinesOf(d, n).length > 0).slice(0, 6);
      if (t === d.default) assert.ok(names.length >= 4, `${p}: functions with source`);
      for (const fn of names) {
        assert.equal(page({}, t, fn), cli(fn, ["--sample-index", String(t)]), `${p} type ${t}: pprofx list ${fn}`);
        listed++;
      }
      if (t !== d.default || names.length < 3) continue;
      for (const filters of [{ focus: exactName(names[2]) }, { hide: exactName(names[1]) }, { show_from: exactName(names[1]) },
        { ignore: exactName(names[2]) }]) {
        const flags = stateFlags({ ...parseState(""), ...filters }, d).map((f) => f.replace(/='(.*)'$/s, "=$1").replace(/'\\''/g, "'"));
        for (const fn of names.slice(0, 4)) {
          assert.equal(page(filters, t, fn), cli(fn, flags), `${p}: pprofx list ${fn} ${flags.join(" ")}`);
          refined++;
        }
      }
    }
  }
  assert.ok(listed >= 30 && refined >= 16, `${listed} listings, ${refined} refined`);
});

test("source view: hostile names (markup, a newline, U+2028) are printed as pprofx list prints them", () => {
  const dir = mkdtempSync(join(tmp, "hostile-"));
  const prof = join(dir, "hostile.pb");
  execFileSync("/usr/bin/python3", ["-c", `import sys; sys.path.insert(0, ${JSON.stringify(join(REPO, "tests", "web"))}); ` +
    `import cli_rows; cli_rows.hostile_profile(${JSON.stringify(prof)})`]);
  writeFileSync(join(dir, "x.go"), "line one\n");
  const src = ["--symbolize=none", "--source-path", dir];
  const d = pageData(prof, src);
  let equal = 0;
  for (const fn of new Set(d.sources.routines.map((r) => r.fn))) {
    if (fn.includes("\ufffd")) continue;  // invalid UTF-8: the CLI's regexp matches the raw bytes, not U+FFFD
    const cli = execFileSync(PPROFX, ["list", exactName(fn), ...src, prof], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    assert.equal(listText(refine(d, parseState("")), d.default, routinesOf(d, fn)), cli, `pprofx list ${JSON.stringify(fn)}`);
    equal++;
  }
  assert.ok(equal >= 5, `${equal} hostile names listed`);
});
