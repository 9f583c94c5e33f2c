// The page's data model (web/*.js) against the CLI: for real profiles and
// filter sets, the top table the page computes (every header line, every
// row's flat, flat%, sum%, cum, cum% and name, as printed) equals
// `pprofx top` with the same flags. The page does not compute pprof's
// "(inline)" marks: they are removed from the CLI's rows before comparing.
// Run by ctest: PPROFX=path/to/pprofx REPO=source dir node --test tests/web/
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { refine, prepareData } from "../../web/refine.js";
import { topTable } from "../../web/top.js";
import { flameTree, sandwichTrees, searchMatch, labelShares } from "../../web/tree.js";
import { compileRegex, exactName } from "../../web/regex.js";
import { stateFlags, parseState, formatState } from "../../web/state.js";

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
    out += `${r.flatText.padStart(10)} ${r.flatPct} ${r.sumPct} ${r.cumText.padStart(10)} ${r.cumPct}  ${r.name}\n`;
  }
  return out;
}

const stripInline = (text) => text.replace(/ \((partial-)?inline\)$/gm, "");

// Filters as the page holds them -> the CLI's flags (state.js's stateFlags, the line the page shows).
function compare(profile, filters, label) {
  const d = pageData(profile);
  const state = { ...parseState(""), ...filters };
  const t = filters.t ? d.types.findIndex((x) => x.type === filters.t) : d.default;
  assert.ok(t >= 0, `no type ${filters.t}`);
  const r = refine(d, state);
  const table = topTable(r, { type: t, nodeCount: 0, sortByCum: state.sort === "cum", filters: state });
  const flags = stateFlags(state, d).map((f) => f.replace(/='(.*)'$/s, "=$1").replace(/'\\''/g, "'"));
  const expected = stripInline(cliTop(profile, flags));
  assert.equal(pageText(table), expected, `${label}: pprofx top ${flags.join(" ")} ${profile}`);
  return table;
}

const W = (name) => join(REPO, "testdata", name);

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
