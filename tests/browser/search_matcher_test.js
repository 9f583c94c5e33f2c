// The SVG's search matcher (compileSearch in src/render/svg_script.cc) against
// JavaScript's own RegExp: the same answers on ordinary patterns, linear time
// on catastrophic ones. Run: node --test tests/browser/search_matcher_test.js
"use strict";
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const test = require("node:test");
const vm = require("node:vm");

const source = fs.readFileSync(path.join(__dirname, "..", "..", "src", "render", "svg_script.cc"), "utf8");
const script = source.slice(source.indexOf('R"JS(') + 5, source.indexOf(')JS"'));
const context = {};
vm.createContext(context);
vm.runInContext(script + "\nthis.compileSearch = compileSearch; this.SearchError = SearchError; this.shortName = shortName;",
  context);
const { compileSearch, SearchError, shortName } = context;

const names = ["main", "main.compress", "runtime.mallocgc", "runtime.memclrNoHeapPointers", "encoding/json.(*decodeState).object",
  "std::vector<int>::push_back", "a.b.C$Inner.run", "Foo_bar", "x", "", "ÄÖü straße", "[kernel.kallsyms]", "a-b c",
  "aaaa", "aaab", "abab", "MAIN.Compress", "path/to/file.go:123", "tab\there", "{braces}", "a{2}"];
const patterns = ["main", "^main$", "^runtime\\.", "compress$", "encoding/json|runtime\\.memclr", "m(a|o)in", "[a-c]+b",
  "[^a-z]", "\\d+", "\\w+\\.\\w+", "\\s", "\\bC\\b", "\\Bar", "a*", "(a+)+$", "(a|aa)*b", "a{2}", "a{2,}b", "a{1,3}$",
  "^$", ".", "^.{4}$", "[\\w.]+", "[-a]", "[a-]", "\\(\\*", "\\$", "x?y?", "(?:ma)in", "(?<g>run)time", "a|", "|b",
  "[]", "[^]", "\\x41", "\\u00e4", "STRASSE", "straße", "ä", "[ä-ü]", "{braces}", "a{2", "\\t", "[\\d-z]", "[.]",
  "main\\.(compress|decode)", "^(std|runtime)", "a.b.C\\$", "_bar", "(a*)*b", "(|a)+", "\\w*$"];

test("same answers as RegExp on ordinary patterns, with and without ic", () => {
  for (const p of patterns) {
    for (const ic of [false, true]) {
      const ours = compileSearch(p, ic), theirs = new RegExp(p, ic ? "i" : "");
      for (const n of names) assert.strictEqual(ours.test(n), theirs.test(n), `/${p}/${ic ? "i" : ""} on ${JSON.stringify(n)}`);
    }
  }
});

test("invalid patterns throw RegExp's own error; unsupported ones a SearchError", () => {
  for (const p of ["(", "a**", "[b-a]", "*x", "\\"]) assert.throws(() => compileSearch(p, false), { name: "SyntaxError" }, p);
  for (const p of ["(a)\\1", "(?=a)", "(?!a)", "(?<=a)b", "a".repeat(1001), "(a{100}){100}", "a{9999}"]) {
    assert.throws(() => compileSearch(p, false), SearchError, p);
  }
});

test("catastrophic patterns run in linear time", () => {
  const text = "a".repeat(5000) + "b";
  const t0 = Date.now();
  for (const [p, want] of [["(a+)+$", false], ["(a|aa)*$", true], ["(a*)*b$", true], ["(.*a){20}$", false],
    ["^(a?){25}a{25}$", false]]) {
    assert.strictEqual(compileSearch(p, false).test(text), want, p);
  }
  assert.ok(Date.now() - t0 < 20000);
});

test("a search's total work is capped", () => {
  const m = compileSearch("(.*.*.*.*.*.*.*.*.*.*){40}z", false);
  assert.throws(() => { for (let i = 0; i < 100000; i++) m.test("abcdef".repeat(100) + i); }, SearchError);
});

test("shortName gives text.cc's short_name on the shared table (tests/browser/short_names.tsv)", () => {
  const lines = fs.readFileSync(path.join(__dirname, "short_names.tsv"), "utf8").split("\n");
  let cases = 0;
  for (const line of lines) {
    if (!line || line.startsWith("#")) continue;
    const [name, short] = line.split("\t");
    assert.strictEqual(shortName(name), short, name);
    cases++;
  }
  assert.ok(cases > 20);
});
