// The page: reads the embedded data, keeps the state in the URL hash, and
// draws the header, filters, flame graph, top table, sandwich and labels.
import { percentage } from "./units.js";
import { compileRegex, exactName } from "./regex.js";
import { refine, prepareData, atGranularity } from "./refine.js";
import { topTable } from "./top.js";
import { flameTree, sandwichTrees, searchMatch, labelShares } from "./tree.js";
import { parseState, formatState, stateFlags, shellQuote } from "./state.js";
import { FlameView, zoomPath, nodeOfPath } from "./flame_view.js";
import { renderTop, renderLabels, el } from "./table_view.js";
import { startDiffPage } from "./diff_page.js";
import { routinesOf, listText } from "./source.js";
import { readPayload } from "./payload.js";

const data = prepareData(await readPayload(document.getElementById("pprofx-data").textContent));
const initial = JSON.parse(document.getElementById("pprofx-state").textContent);
const $ = (id) => document.getElementById(id);
let state = parseState(location.hash || initial);
let cache = { key: null };  // the refined samples and tables for the current filters and type
const view = () => atGranularity(data, state.g);  // the data at the state's granularity
const frameName = (f) => view().strings[view().frameName[f]];
const frameByName = (name) => {
  for (let f = 0; f < view().frameName.length; f++) if (frameName(f) === name) return f;
  return -1;
};
// What a refine on frame f matches: its name, or at line granularity its function's.
const refineName = (f) => (view().frameFunction ? view().frameFunction[f] : frameName(f));

function typeIndex() {
  const i = data.types.findIndex((x) => x.type === state.t);
  return i >= 0 ? i : data.default;
}

function setState(change, push = true) {
  state = { ...state, ...change };
  const hash = formatState(state);
  if (hash !== location.hash) history[push ? "pushState" : "replaceState"](null, "", hash || location.pathname);
  render();
}

// Refining: the filters and the type decide; everything else is drawn from it.
function compute() {
  const t = typeIndex();
  const key = JSON.stringify([t, state.g, state.focus, state.ignore, state.hide, state.show, state.show_from, state.tagfocus,
    state.tagignore, state.sort]);
  if (cache.key === key) return cache;
  cache = { key, t, error: "" };
  try {
    cache.refined = refine(view(), state);
    cache.top = topTable(cache.refined, { type: t, nodeCount: 0, sortByCum: state.sort === "cum", filters: state, marks: false });
    cache.flame = flameTree(cache.refined, t);
  } catch (e) {
    cache.error = e.message;
  }
  return cache;
}

function renderHeader(c) {
  const lines = c.top ? c.top.header : data.headers[c.t].map((l) => l.split("\u0001").join(String(data.totals[c.t])));
  $("info").textContent = lines.filter((l) => !l.startsWith("Showing") && !l.startsWith("Dropped") &&
    !l.startsWith("Active") && !l.startsWith("   ")).join("\n");
  const flags = stateFlags(state, data);
  $("flags").textContent = "pprofx top " + [...flags, shellQuote(data.name)].join(" ");
  const chips = $("filters");
  chips.replaceChildren();
  for (const f of ["focus", "ignore", "hide", "show", "show_from", "tagfocus", "tagignore"]) {
    if (!state[f]) continue;
    const x = el("button", { class: "chip", "data-filter": f, title: "remove" }, `${f}=${state[f]} \u00d7`);
    x.addEventListener("click", () => setState({ [f]: "", z: [] }));
    chips.append(x);
  }
  const notes = [];
  if (data.omitted.stacks > 0) {
    notes.push(`${data.omitted.stacks} lightest stacks (${percentage(data.omitted.values[c.t], data.totals[c.t]).trim()} ` +
      "of the total) are not in this page: numbers after a refine are lower bounds");
  }
  if (data.inexact) notes.push("values reach 2^53: the page's sums may differ from pprofx's in the last digits");
  if (c.refined) notes.push(...c.refined.warnings);
  if (c.error) notes.push(c.error);
  $("notes").textContent = notes.join("\n");
  $("notes").className = c.error ? "error" : "";
}

const tooltip = () => $("tooltip");
let hovered = -1;  // the frame under the pointer: what the refine keys act on first
function showTip(tree, n, e, total, fmt) {
  const tip = tooltip();
  hovered = n > 0 && e ? tree.frame[n] : -1;
  if (n < 0 || !e) { tip.hidden = true; return; }
  const name = n === 0 ? "all" : frameName(tree.frame[n]);
  tip.textContent = `${name}\n${fmt(tree.total[n])} (${percentage(tree.total[n], total).trim()}), self ${fmt(tree.self[n])}`;
  tip.hidden = false;
  tip.style.left = Math.min(e.pageX + 12, window.innerWidth - 320) + "px";
  tip.style.top = e.pageY + 14 + "px";
}

let flameView, callersView, calleesView;

function searchHit(c) {
  if (!state.q) { $("matched").textContent = ""; return null; }
  try {
    const m = searchMatch(c.refined, c.t, compileRegex(state.q));
    $("matched").textContent = `Matched: ${percentage(m.matched, m.total).trim()} (${c.top.format(m.matched)} of ${c.top.format(m.total)})`;
    return m.hit;
  } catch (e) {
    $("matched").textContent = "search: " + e.message;
    return null;
  }
}

function renderFlame(c) {
  const tree = c.flame;
  const fmt = c.top.format;
  flameView.o.inverted = state.inv;
  flameView.o.onHover = (n, e) => showTip(tree, n, e, tree.total[0], fmt);
  flameView.o.onZoom = (n) => setState({ z: zoomPath(tree, n) });
  flameView.o.onContext = (n, e) => openMenu(tree.frame[n], e);
  flameView.set(tree, nodeOfPath(tree, state.z), searchHit(c));
  $("flame-note").textContent = tree.negative ? `${tree.negative} stacks with a negative value are not drawn` : "";
}

function renderSandwich(c) {
  const f = state.fn ? frameByName(state.fn) : -1;
  $("sandwich-title").textContent = f < 0 ? "Select a function (click a row of the table, or right-click a frame)" :
    `Callers of ${state.fn} (above) and its callees (below)`;
  if (f < 0) { $("sandwich-panes").hidden = true; return; }
  $("sandwich-panes").hidden = false;
  const { callers, callees } = sandwichTrees(c.refined, c.t, f);
  const fmt = c.top.format, hit = searchHit(c);
  for (const [view, tree] of [[callersView, callers], [calleesView, callees]]) {
    view.o.onHover = (n, e) => showTip(tree, n, e, c.top.total, fmt);
    view.o.onZoom = () => {};
    view.o.onContext = (n, e) => openMenu(tree.frame[n], e);
    view.o.rootName = state.fn;
    view.set(tree, 0, hit);
  }
}

// The function a state's selection names: at line granularity the line frame's function.
function selectedFunction() {
  if (!state.fn) return "";
  const f = view().frameFunction ? frameByName(state.fn) : -1;
  return f >= 0 ? view().frameFunction[f] : state.fn;
}

// The source view: pprofx list's text for the selected function, and the command that prints it.
function renderSource(c) {
  const fn = selectedFunction();
  const select = $("source-fn");
  if (!select.options.length) {
    select.append(el("option", { value: "" }, "(choose a function)"));
    const names = [...new Set(data.sources.routines.map((r) => r.fn))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const n of names) select.append(el("option", { value: n }, n));
  }
  const routines = routinesOf(data, fn);
  select.value = routines.length ? fn : "";
  const flags = stateFlags(state, data).filter((f) => !f.startsWith("--granularity"));
  const src = [...data.sources.sourcePath.split(":").filter((d) => d).map((d) => "--source-path=" + shellQuote(d)),
    ...(data.sources.trimPath ? ["--trim-path=" + shellQuote(data.sources.trimPath)] : [])];
  $("source-flags").textContent = fn ? ["pprofx list", shellQuote(exactName(fn)), ...flags, ...src, shellQuote(data.name)].join(" ") : "";
  const text = fn && routines.length ? listText(c.refined, c.t, routines) : null;
  $("source-note").textContent = !fn ? `Choose a function, or right-click a frame or a row: Source (the page has the source of ${select.options.length - 1} functions` +
    `${data.sources.omitted ? `; ${data.sources.omitted} more were found but left out of the page` : ""})` :
    !routines.length ? `No source of ${fn} in this page (pprofx web --source-path finds what pprofx list finds)` :
    text === null ? `None of ${fn}'s lines has a value after the filters` : "";
  const pre = $("source-text");
  pre.replaceChildren();
  if (text === null) return;
  for (const line of text.split("\n").slice(0, -1)) {
    const valued = /^\s*\S+\s+\S+\s+\d+:/.test(line) && !/^\s*\.\s+\.\s/.test(line);
    pre.append(el("span", valued ? { class: "hot" } : {}, line), "\n");
  }
}

let renders = 0;
function render() {
  const start = performance.now();
  renderViews();
  // For bench/bench_web.py: how long the last state change took to compute and draw.
  document.body.dataset.renderMs = (performance.now() - start).toFixed(1);
  document.body.dataset.renders = String(++renders);
}

function renderViews() {
  const c = compute();
  renderHeader(c);
  $("type").value = String(typeIndex());
  $("granularity").value = state.g;
  $("search").value = state.q;
  $("icicle").checked = state.inv;
  if (state.view === "source" && !data.sources) state = { ...state, view: "flame" };  // a link from a page with sources
  for (const v of ["flame", "top", "sandwich", "labels", "source"]) {
    $("view-" + v).hidden = state.view !== v;
    $("tab-" + v).classList.toggle("active", state.view === v);
  }
  if (c.error) return;
  if (state.view === "flame") renderFlame(c);
  if (state.view === "top") {
    c.top.withMarks();
    renderTop($("view-top"), c.top, {
      sort: state.sort, selected: state.fn ? frameByName(state.fn) : -1,
      onSort: (key) => setState({ sort: key }),
      onSelect: (f) => setState({ fn: frameName(f), view: "sandwich" }),
      onContext: (f, e) => openMenu(f, e),
    });
  }
  if (state.view === "sandwich") renderSandwich(c);
  if (state.view === "source" && data.sources) renderSource(c);
  if (state.view === "labels") {
    const esc = (v) => "^" + v.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&").replace(/,/g, "\\x2c") + "$";
    renderLabels($("view-labels"), labelShares(c.refined, c.t), {
      total: c.top.total, format: c.top.format, percentage,
      onKeep: (k, v) => setState({ tagfocus: `${k}=${esc(v)}`, z: [] }),
      onDrop: (k, v) => setState({ tagignore: `${k}=${esc(v)}`, z: [] }),
    });
  }
}

// The context menu of a function (frame id f): refine on its exact name.
let menuFrame = -1;
function openMenu(f, e) {
  menuFrame = f;
  const m = $("menu");
  $("menu-name").textContent = frameName(f);
  m.hidden = false;
  m.style.left = Math.min(e.pageX, window.innerWidth - 240) + "px";
  m.style.top = e.pageY + "px";
}
function closeMenu() { $("menu").hidden = true; }
function refineOn(kind, f) {
  if (f < 0) return;
  if (kind === "sandwich" || kind === "source") { setState({ fn: frameName(f), view: kind }); return; }
  setState({ [kind]: exactName(refineName(f)), z: [] });
}

function init() {
  flameView = new FlameView($("flame"), { names: frameName });
  callersView = new FlameView($("callers"), { names: frameName, inverted: false });
  calleesView = new FlameView($("callees"), { names: frameName, inverted: true });
  data.types.forEach((x, i) => $("type").append(el("option", { value: String(i) }, `${x.type} (${x.unit})`)));
  $("type").addEventListener("change", () => setState({ t: data.types[Number($("type").value)].type, z: [] }));
  $("granularity-box").hidden = !data.lines;
  $("granularity").addEventListener("change", () => setState({ g: $("granularity").value, z: [], fn: "" }));
  for (const v of ["flame", "top", "sandwich", "labels", "source"]) $("tab-" + v).addEventListener("click", () => setState({ view: v }));
  $("tab-source").hidden = !data.sources;
  document.querySelector("#menu button[data-refine=source]").hidden = !data.sources;
  $("source-fn").addEventListener("change", () => setState({ fn: $("source-fn").value, view: "source" }));
  $("search").addEventListener("change", () => setState({ q: $("search").value }, false));
  $("search").addEventListener("input", () => setState({ q: $("search").value }, false));
  $("icicle").addEventListener("change", () => setState({ inv: $("icicle").checked }));
  $("reset").addEventListener("click", () => setState({ focus: "", ignore: "", hide: "", show: "", show_from: "",
    tagfocus: "", tagignore: "", z: [], q: "" }));
  $("copy").addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText($("flags").textContent));
  for (const b of document.querySelectorAll("#menu button")) {
    b.addEventListener("click", () => { closeMenu(); refineOn(b.dataset.refine, menuFrame); });
  }
  document.addEventListener("click", (e) => { if (!$("menu").contains(e.target)) closeMenu(); });
  document.addEventListener("keydown", (e) => {
    const typing = e.target === $("search");
    if (e.key === "Escape") {
      if (!$("menu").hidden) { closeMenu(); return; }
      if (typing || state.q) { $("search").blur(); setState({ q: "" }, false); return; }
      if (state.z.length) { setState({ z: state.z.slice(0, -1) }); return; }
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") { e.preventDefault(); $("search").focus(); return; }
    const keys = { f: "focus", i: "ignore", h: "hide", s: "show", S: "show_from" };
    const target = hovered >= 0 ? hovered : state.fn ? frameByName(state.fn) : -1;
    if (keys[e.key] && target >= 0) refineOn(keys[e.key], target);
    if (e.key === "r") $("reset").click();
  });
  window.addEventListener("popstate", () => { state = parseState(location.hash || initial); render(); });
  window.addEventListener("resize", () => render());
  render();
  document.body.dataset.ready = "1";
}

// check --report x.html: the check's verdict above the views, as the terminal printed it.
if (data.check) {
  $("verdict").textContent = data.check.text;
  $("verdict").className = data.check.regressed ? "fail" : "pass";
  $("verdict").hidden = false;
}
if (data.diff) startDiffPage(data, initial);  // pprofx web BASE NEW
else init();
