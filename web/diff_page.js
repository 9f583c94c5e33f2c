// Diff mode's page (`pprofx web BASE NEW`): the differential flame graph and
// the delta table of `pprofx diff`, both sides refined by the same filters,
// the state in the URL hash and the flags line `pprofx diff FLAGS BASE NEW`.
import { percentage } from "./units.js";
import { compileRegex, exactName } from "./regex.js";
import { FILTERS } from "./refine.js";
import { searchMatch } from "./tree.js";
import { parseState, formatState, shellQuote } from "./state.js";
import { FlameView, zoomPath, nodeOfPath } from "./flame_view.js";
import { el } from "./table_view.js";
import { NORMALIZE, WIDTHS, refineSides, diffContext, diffRows, diffReport, diffHeader, rowCells, diffTree, changeColor, maxDrawnChange, nodeDetails } from "./diff.js";

const DIFF_FLAG = { focus: "--focus", ignore: "--ignore", hide: "--hide", show: "--show", show_from: "--show-from",
  tagfocus: "--tagfocus", tagignore: "--tagignore" };

// The pair (type) a state shows: by name, else the default (NEW's default type), else the first.
export function pairIndex(s, d) {
  const i = d.diff.pairs.findIndex((p) => p.type === s.t);
  if (i >= 0) return i;
  return d.diff.default >= 0 ? d.diff.default : 0;
}

// The state's options with pprofx diff's defaults for the type filled in.
export function diffOptions(s, d) {
  const pair = d.diff.pairs[pairIndex(s, d)];
  return { pair, normalize: NORMALIZE.includes(s.norm) ? s.norm : pair.normalize, widths: WIDTHS.includes(s.w) ? s.w : "new",
    colorBy: s.cb === "self" || s.cb === "total" ? s.cb : pair.colorBy, sortByCum: s.sort === "cum" };
}

// The flags of `pprofx diff` that print the table on screen (and, with -o x.svg, draw the graph).
export function diffFlags(s, d) {
  const o = diffOptions(s, d), k = pairIndex(s, d);
  const out = [];
  if (k !== d.diff.default) out.push("--sample-index=" + shellQuote(d.diff.pairs[k].type));
  if (o.sortByCum) out.push("--cum");
  if (o.normalize !== o.pair.normalize) out.push("--normalize=" + o.normalize);
  if (o.pair.byStack) out.push("--by=function");
  if (o.widths !== "new") out.push("--width=" + o.widths);
  if (o.colorBy !== o.pair.colorBy) out.push("--color-by=" + o.colorBy);
  for (const f of FILTERS) if (s[f]) out.push(DIFF_FLAG[f] + "=" + shellQuote(s[f]));
  return out;
}

// Everything a diff view shows, for a state: refined sides; the report, and the tree with the
// change its colours scale to, each made when a view first asks for it.
export function computeDiff(d, s) {
  const o = diffOptions(s, d);
  const { sides, warnings } = refineSides(d, s);
  const t = diffContext(d, o.pair);
  let report = null, tree = null, max = 0;
  return {
    o, sides, warnings, t,
    get report() { return report || (report = diffReport(t, diffRows(d, sides, o.pair), o.normalize, o.sortByCum)); },
    get tree() {
      if (!tree) {
        tree = diffTree(d, sides, o.pair, t, o);
        max = maxDrawnChange(tree, d.diff.minWidth, d.diff.imageWidth);
      }
      return tree;
    },
    get max() { void this.tree; return max; },
  };
}

export function startDiffPage(d, initial) {
  const $ = (id) => document.getElementById(id);
  let state = parseState(location.hash || initial);
  let cache = { key: null };
  const names = (s) => d.strings[s];

  const setState = (change, push = true) => {
    state = { ...state, ...change };
    const hash = formatState(state);
    if (hash !== location.hash) history[push ? "pushState" : "replaceState"](null, "", hash || location.pathname);
    render();
  };

  const compute = () => {
    const key = JSON.stringify([state.t, state.norm, state.w, state.cb, state.sort, ...FILTERS.map((f) => state[f])]);
    if (cache.key === key) return cache;
    cache = { key, error: "" };
    try {
      cache.diff = computeDiff(d, state);
    } catch (e) {
      cache.error = e.message;
    }
    return cache;
  };

  // The menu of a function name: refine on its exact name (both sides).
  let menuName = "";
  const openMenu = (name, e) => {
    menuName = name;
    $("menu-name").textContent = name;
    $("menu").hidden = false;
    $("menu").style.left = Math.min(e.pageX, window.innerWidth - 240) + "px";
    $("menu").style.top = e.pageY + "px";
  };
  const closeMenu = () => { $("menu").hidden = true; };
  const refineOn = (kind, name) => { if (name) setState({ [kind]: exactName(name), z: [] }); };

  let hovered = "";
  const flame = new FlameView($("flame"), { names });
  const showTip = (c, n, e) => {
    const tip = $("tooltip");
    hovered = n > 0 && e ? names(c.tree.frame[n]) : "";
    if (n < 0 || !e) { tip.hidden = true; return; }
    const name = n === 0 ? "all" : names(c.tree.frame[n]);
    tip.textContent = `${name}\n${nodeDetails(c.tree, n, c.t.unit)}${c.tree.noise[n] ? "\nwithin noise" : ""}`;
    tip.hidden = false;
    tip.style.left = Math.min(e.pageX + 12, window.innerWidth - 320) + "px";
    tip.style.top = e.pageY + 14 + "px";
  };

  const searchHit = (c) => {
    if (!state.q) { $("matched").textContent = ""; return null; }
    try {
      const re = compileRegex(state.q);
      const hit = new Uint8Array(d.strings.length);
      for (const side of d.sides) for (const s of side.frameName) if (!hit[s] && re.test(d.strings[s])) hit[s] = 1;
      const parts = c.sides.map((r, k) => {
        const m = searchMatch(r, k === 0 ? c.o.pair.base : c.o.pair.next, re);
        return `${k === 0 ? "BASE" : "NEW"} ${percentage(m.matched, m.total).trim()}`;
      });
      $("matched").textContent = "Matched: " + parts.join(", ");
      return hit;
    } catch (e) {
      $("matched").textContent = "search: " + e.message;
      return null;
    }
  };


  const renderFlame = (c) => {
    const tree = c.tree;
    flame.o.inverted = state.inv;
    flame.o.color = (n) => `rgb(${changeColor(tree.change[n], c.max, tree.noise[n]).join(",")})`;
    flame.o.onHover = (n, e) => showTip(c, n, e);
    flame.o.onZoom = (n) => setState({ z: zoomPath(tree, n) });
    flame.o.onContext = (n, e) => openMenu(names(tree.frame[n]), e);
    flame.set(tree, nodeOfPath(tree, state.z), searchHit(c));
    $("flame-note").textContent = (tree.negative ? `${tree.negative} stacks with a negative value are not drawn. ` : "") +
      `Widths from ${c.o.widths === "new" ? "NEW" : c.o.widths === "base" ? "BASE" : "BASE + NEW"}; colour: change of ` +
      `${c.o.colorBy} ${c.o.normalize === "share" ? "share" : c.o.normalize === "absolute" ? "value" : "value per second"}` +
      ": red grew, blue shrank, grey within noise";
  };

  const renderTable = (c) => {
    const box = $("view-top");
    box.replaceChildren();
    const head = el("tr", {});
    for (const [key, label] of [["flat", "flat base"], ["flat", "flat new"], ["flat", "\u0394flat"], ["", "rel"],
      ["cum", "cum base"], ["cum", "cum new"], ["cum", "\u0394cum"], ["", "rel"], ["", "name"], ["", ""]]) {
      const th = el("th", key ? { "data-sort": key, class: key === (c.o.sortByCum ? "cum" : "flat") ? "sorted" : "" } : {}, label);
      if (key) th.addEventListener("click", () => setState({ sort: key }));
      head.append(th);
    }
    const body = el("tbody", {});
    for (const v of c.report.rows) {
      const delta = v.deltaFlat !== 0 ? v.deltaFlat : v.deltaCum;
      const cls = v.noise ? "noise" : delta > 0 ? "grew" : delta < 0 ? "shrank" : "";
      const tr = el("tr", { class: cls }, ...rowCells(v, c.report).map((x) => el("td", { class: "num" }, x)),
        el("td", { class: "name" }, v.row.name), el("td", { class: "mark" }, v.noise ? "within noise" : ""));
      tr.addEventListener("contextmenu", (e) => { e.preventDefault(); openMenu(v.row.name, e); });
      tr.addEventListener("click", (e) => openMenu(v.row.name, e));
      body.append(tr);
    }
    box.append(el("pre", { class: "header", id: "diff-header" }, diffHeader(c.report, d.sides[0].name, d.sides[1].name).join("\n")),
      el("table", { id: "diff-table" }, el("thead", {}, head), body));
  };

  const renderHeader = (c, error) => {
    $("info").textContent = c ? diffHeader({ t: c.t, normalize: c.o.normalize }, d.sides[0].name, d.sides[1].name).join("\n") : "";
    $("flags").textContent = "pprofx diff " + [...diffFlags(state, d), shellQuote(d.sides[0].name), shellQuote(d.sides[1].name)].join(" ");
    const chips = $("filters");
    chips.replaceChildren();
    for (const f of FILTERS) {
      if (!state[f]) continue;
      const x = el("button", { class: "chip", "data-filter": f, title: "remove" }, `${f}=${state[f]} \u00d7`);
      x.addEventListener("click", () => setState({ [f]: "", z: [] }));
      chips.append(x);
    }
    const notes = [];
    d.sides.forEach((side, k) => {
      const t = !c ? undefined : k === 0 ? c.o.pair.base : c.o.pair.next;
      if (side.omitted.stacks > 0 && t !== undefined) {
        notes.push(`${k === 0 ? "BASE" : "NEW"}: ${side.omitted.stacks} lightest stacks (` +
          `${percentage(side.omitted.values[t], side.totals[t]).trim()} of the total) are not in this page: numbers ` +
          "after a refine are lower bounds");
      }
      if (side.inexact) notes.push(`${k === 0 ? "BASE" : "NEW"}: values reach 2^53: sums may differ in the last digits`);
    });
    if (c && c.o.pair.byStack) notes.push("rows per function (pprofx diff compares this type by stack unless --by function)");
    if (c) notes.push(...c.warnings);
    if (error) notes.push(error);
    $("notes").textContent = notes.join("\n");
    $("notes").className = error ? "error" : "";
  };

  let renders = 0;
  const render = () => {
    const start = performance.now();
    const { diff: c, error } = compute();
    renderHeader(c, error);
    const o = c ? c.o : diffOptions(state, d);
    $("type").value = String(pairIndex(state, d));
    $("widths").value = o.widths;
    $("normalize").value = o.normalize;
    $("colorby").value = o.colorBy;
    $("search").value = state.q;
    $("icicle").checked = state.inv;
    const view = state.view === "top" ? "top" : "flame";
    for (const v of ["flame", "top"]) {
      $("view-" + v).hidden = view !== v;
      $("tab-" + v).classList.toggle("active", view === v);
    }
    if (c) {
      if (view === "flame") renderFlame(c);
      else renderTable(c);
    }
    document.body.dataset.renderMs = (performance.now() - start).toFixed(1);
    document.body.dataset.renders = String(++renders);
  };

  // The page's controls in diff mode: the type menu lists the types both profiles have.
  document.body.classList.add("diff");
  $("tab-top").textContent = "Diff table";
  $("tab-flame").textContent = "Differential flame graph";
  for (const id of ["tab-sandwich", "tab-labels", "view-sandwich", "view-labels"]) $(id).hidden = true;
  $("diff-controls").hidden = false;
  for (const b of document.querySelectorAll("#menu button[data-refine=sandwich]")) b.hidden = true;
  d.diff.pairs.forEach((p, i) => $("type").append(el("option", { value: String(i) }, `${p.type} (${p.unit})`)));
  $("type").addEventListener("change", () => setState({ t: d.diff.pairs[Number($("type").value)].type, z: [] }));
  $("widths").addEventListener("change", () => setState({ w: $("widths").value === "new" ? "" : $("widths").value, z: [] }));
  $("normalize").addEventListener("change", () => setState({ norm: $("normalize").value }));
  $("colorby").addEventListener("change", () => setState({ cb: $("colorby").value }));
  for (const v of ["flame", "top"]) $("tab-" + v).addEventListener("click", () => setState({ view: v }));
  $("search").addEventListener("input", () => setState({ q: $("search").value }, false));
  $("icicle").addEventListener("change", () => setState({ inv: $("icicle").checked }));
  $("reset").addEventListener("click", () => setState({ ...Object.fromEntries(FILTERS.map((f) => [f, ""])), z: [], q: "" }));
  $("copy").addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText($("flags").textContent));
  for (const b of document.querySelectorAll("#menu button")) {
    b.addEventListener("click", () => { closeMenu(); refineOn(b.dataset.refine, menuName); });
  }
  document.addEventListener("click", (e) => { if (!$("menu").contains(e.target) && !e.target.closest("#diff-table")) closeMenu(); });
  document.addEventListener("keydown", (e) => {
    const typing = e.target === $("search");
    if (e.key === "Escape") {
      if (!$("menu").hidden) { closeMenu(); return; }
      if (typing || state.q) { $("search").blur(); setState({ q: "" }, false); return; }
      if (state.z.length) setState({ z: state.z.slice(0, -1) });
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") { e.preventDefault(); $("search").focus(); return; }
    const keys = { f: "focus", i: "ignore", h: "hide", s: "show", S: "show_from" };
    if (keys[e.key] && hovered) refineOn(keys[e.key], hovered);
    if (e.key === "r") $("reset").click();
  });
  window.addEventListener("popstate", () => { state = parseState(location.hash || initial); render(); });
  window.addEventListener("resize", () => render());
  render();
  document.body.dataset.ready = "1";
}
