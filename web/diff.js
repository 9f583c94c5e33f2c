// Diff mode's model: two refined sides compared as `pprofx diff` does. The
// delta table is diff/tables.cc (rows per function name) with
// report/diff_report.cc's metrics, noise marks, sort and text; the
// differential flame graph is diff/graph.cc's merged tree (frames matched by
// name, widths from NEW, BASE rescaled or both, each node's change and
// noise) with render/diff_colors.cc's colours.
import { formatFixed, formatG, scaledLabel } from "./units.js";
import { refine } from "./refine.js";
import { frameValues } from "./top.js";
import { samplePaths, MIN_SHARE } from "./tree.js";

export const NORMALIZE = ["share", "absolute", "per-second"];
export const WIDTHS = ["new", "base", "sum"];

// Strings in UTF-8 byte order (C++'s std::string <), as code points.
export function byteCompare(a, b) {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i), y = b.codePointAt(i);
    if (x !== y) return x < y ? -1 : 1;  // at equal code points the low surrogates that follow are equal too
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

// The two sides refined by the same filters (`pprofx diff FLAGS BASE NEW`); their notes say which side.
export function refineSides(d, filters) {
  const sides = d.sides.map((side) => refine(side, filters));
  const warnings = [];
  sides.forEach((r, k) => { for (const w of r.warnings) warnings.push(`${k === 0 ? "BASE" : "NEW"}: ${w}`); });
  return { sides, warnings };
}

// The table's type and the values the comparison needs besides the rows (diff::DiffTable's).
export function diffContext(d, pair) {
  return {
    type: pair.type, unit: pair.unit,
    baseTotal: d.sides[0].totals[pair.base], newTotal: d.sides[1].totals[pair.next],
    baseCount: pair.baseCount, newCount: pair.newCount,
    baseDuration: d.diff.durations[0], newDuration: d.diff.durations[1],
  };
}

// diff_tables' rows per function: each side's flat and cum per frame (top's), added up by printable name.
export function diffRows(d, sides, pair) {
  const rows = new Map();
  sides.forEach((r, k) => {
    const side = d.sides[k];
    const { flat, cum } = frameValues(r, k === 0 ? pair.base : pair.next);
    for (let n = 0; n < flat.length; n++) {
      if (flat[n] === 0 && cum[n] === 0) continue;
      const name = d.strings[side.frameName[n]];
      let row = rows.get(name);
      if (!row) rows.set(name, row = { name, baseFlat: 0, baseCum: 0, newFlat: 0, newCum: 0 });
      if (k === 0) { row.baseFlat += flat[n]; row.baseCum += cum[n]; } else { row.newFlat += flat[n]; row.newCum += cum[n]; }
    }
  });
  return [...rows.values()];
}

const exactCounts = (type) => type === "goroutine" || type === "threadcreate";
const share = (v, total) => (total !== 0 ? (100 * v) / total : 0);

// diff/noise.cc's base_scale for the value comparisons (shares are scaled by their totals where they are used).
export function baseScale(t, normalize) {
  const ratio = (next, base) => (next > 0 && base > 0 ? next / base : 1);
  return normalize === "per-second" ? ratio(t.newDuration, t.baseDuration) : 1;
}

export function shareNoisePoints(t, baseShare, newShare, baseCount, newCount) {
  if (exactCounts(t.type) || baseCount <= 0 || newCount <= 0) return 0;
  const p = Math.min(1, Math.max(0, (baseShare / 100 * baseCount + newShare / 100 * newCount) / (baseCount + newCount)));
  return 100 * 3 * Math.sqrt(p * (1 - p) * (1 / baseCount + 1 / newCount));
}

export function valueWithinNoise(b, n, t, scale = 1) {
  if (exactCounts(t.type)) return false;
  if (b === n && scale === 1) return true;
  if (t.baseCount <= 0 || t.newCount <= 0 || t.baseTotal <= 0 || t.newTotal <= 0) return false;
  const ub = t.baseTotal / t.baseCount, un = t.newTotal / t.newCount;
  const cb = Math.abs(b) / ub, cn = Math.abs(n) / un;
  const sb = ub * scale;
  const se = Math.sqrt(cb * sb * sb + cn * un * un);
  const change = scale === 1 ? n - b : n - b * scale;
  return Math.abs(change) <= 3 * se;
}

// report::make_diff_report: each row in the metric, its noise mark, pprofx diff's order.
export function diffReport(t, rows, normalize, sortByCum) {
  const metric = (v, base) => {
    if (normalize === "share") return share(v, base ? t.baseTotal : t.newTotal);
    if (normalize === "per-second") {
      const dur = base ? t.baseDuration : t.newDuration;
      return dur > 0 ? (v * 1e9) / dur : v;
    }
    return v;
  };
  const scale = baseScale(t, normalize);
  const out = rows.map((row) => {
    const v = { row, baseFlat: metric(row.baseFlat, true), newFlat: metric(row.newFlat, false),
      baseCum: metric(row.baseCum, true), newCum: metric(row.newCum, false) };
    v.deltaFlat = v.newFlat - v.baseFlat;
    v.deltaCum = v.newCum - v.baseCum;
    const bf = share(row.baseFlat, t.baseTotal), nf = share(row.newFlat, t.newTotal);
    const bc = share(row.baseCum, t.baseTotal), nc = share(row.newCum, t.newTotal);
    v.deltaFlatPoints = nf - bf;
    v.deltaCumPoints = nc - bc;
    if (normalize === "share") {
      v.noise = Math.abs(v.deltaFlatPoints) <= shareNoisePoints(t, bf, nf, t.baseCount, t.newCount) &&
        Math.abs(v.deltaCumPoints) <= shareNoisePoints(t, bc, nc, t.baseCount, t.newCount);
    } else {
      v.noise = valueWithinNoise(row.baseFlat, row.newFlat, t, scale) && valueWithinNoise(row.baseCum, row.newCum, t, scale);
    }
    return v;
  });
  out.sort((a, b) => {
    const ka = Math.abs(sortByCum ? a.deltaCum : a.deltaFlat), kb = Math.abs(sortByCum ? b.deltaCum : b.deltaFlat);
    if (ka !== kb) return ka > kb ? -1 : 1;
    const a2 = Math.abs(sortByCum ? a.deltaFlat : a.deltaCum), b2 = Math.abs(sortByCum ? b.deltaFlat : b.deltaCum);
    if (a2 !== b2) return a2 > b2 ? -1 : 1;
    return byteCompare(a.row.name, b.row.name);
  });
  return { t, normalize, rows: out };
}

const signedFixed = (x, prec) => (x < 0 || Object.is(x, -0) ? "" : "+") + formatFixed(x, prec);  // fmt's {:+.Nf}

// A value in the report's metric as diff_report.cc's show().
export function showValue(x, r, signed) {
  if (r.normalize === "share") return signed ? signedFixed(x, 2) + "%" : formatFixed(x, 2) + "%";
  const m = Math.abs(x);
  let s = m < 9223372036854775808 ? scaledLabel(Math.round(m), r.t.unit, "auto") : `${formatG(m, 3)} ${r.t.unit}`;
  if (r.normalize === "per-second") s += "/s";
  if (signed) return (x < 0 ? "-" : "+") + s;
  return x < 0 ? "-" + s : s;
}

export function relative(before, after) {
  if (before === 0) return after === 0 ? "0%" : "new";
  if (after === 0) return "gone";
  return signedFixed((100 * (after - before)) / Math.abs(before), 0) + "%";
}

// The cells of one row as format_diff_text prints them.
export function rowCells(v, r) {
  return [showValue(v.baseFlat, r, false), showValue(v.newFlat, r, false), showValue(v.deltaFlat, r, true),
    relative(v.baseFlat, v.newFlat), showValue(v.baseCum, r, false), showValue(v.newCum, r, false),
    showValue(v.deltaCum, r, true), relative(v.baseCum, v.newCum)];
}

// format_diff_text's header lines.
export function diffHeader(r, baseName, newName) {
  const t = r.t;
  return [`Type: ${t.type} (${t.unit}), compared by ${r.normalize}`,
    `BASE ${baseName}: ${scaledLabel(t.baseTotal, t.unit, "auto")} (${t.baseCount} samples)`,
    `NEW  ${newName}: ${scaledLabel(t.newTotal, t.unit, "auto")} (${t.newCount} samples)`];
}

// The whole of `pprofx diff`'s text output (no colour).
export function diffText(r, baseName, newName) {
  const w = [10, 10, 10, 7, 10, 10, 10, 7];
  const line = (cells, name) => cells.map((c, i) => c.padStart(w[i])).join(" ") + "  " + name;
  let out = diffHeader(r, baseName, newName).join("\n") + "\n";
  out += line(["flat base", "flat new", "\u0394flat", "rel", "cum base", "cum new", "\u0394cum", "rel"], "name") + "\n";
  for (const v of r.rows) out += line(rowCells(v, r), v.row.name) + (v.noise ? "  (within noise)" : "") + "\n";
  return out;
}

// Ranks of the frames' names (string ids) in byte order: the merged tree's sibling order.
function nameRanks(d) {
  if (d.diffNameRank) return d.diffNameRank;
  const ids = new Set();
  for (const side of d.sides) for (const s of side.frameName) ids.add(s);
  const sorted = [...ids].sort((a, b) => byteCompare(d.strings[a], d.strings[b]));
  const rank = new Int32Array(d.strings.length);
  sorted.forEach((s, i) => { rank[s] = i; });
  d.diffNameRank = rank;
  return rank;
}

const widthOf = (b, n, widths, scale) => (widths === "new" ? n : widths === "base" ? Math.round(b * scale) :
  n + Math.round(b * scale));

// The differential flame graph's tree: both sides' paths (frames as name string ids, root first)
// merged top-down by name. Per node: each side's self and total, the width (self and total, the
// tree FlameView draws), the change it is coloured by and its noise mark. Nodes narrower than
// MIN_SHARE of both sides are not expanded (their subtree is one node, self = total, as
// fold::build_merged_trie keeps what the layout cannot draw).
// o: {widths, colorBy ("self"/"total"), normalize}.
export function diffTree(d, sides, pair, t, o) {
  const rank = nameRanks(d);
  const parts = sides.map((r, k) => samplePaths(r, k === 0 ? pair.base : pair.next, null));
  let frames = 0, count = 0, negative = 0;
  for (const p of parts) { frames += p.flat.length; count += p.w.length; negative += p.negative; }
  const flat = new Uint32Array(frames), start = new Uint32Array(count + 1), wb = new Float64Array(count),
    wn = new Float64Array(count);
  let used = 0, i = 0;
  parts.forEach((p, k) => {
    const names = d.sides[k].frameName;
    for (let a = 0; a < p.flat.length; a++) flat[used + a] = names[p.flat[a]];
    for (let j = 0; j < p.w.length; j++, i++) {
      start[i + 1] = used + p.start[j + 1];
      (k === 0 ? wb : wn)[i] = p.w[j];
    }
    used += p.flat.length;
  });
  let baseAll = 0, newAll = 0;
  for (let j = 0; j < count; j++) { baseAll += wb[j]; newAll += wn[j]; }
  const tree = { frame: [-1], parent: [-1], depth: [0], children: [[]], bSelf: [0], bTot: [baseAll], nSelf: [0],
    nTot: [newAll], negative, baseAll, newAll };
  // As tree.js's Tree: a node's paths are a range of perm, partitioned by their next frame in place.
  const perm = new Uint32Array(count), tmp = new Uint32Array(count);
  for (let j = 0; j < count; j++) perm[j] = j;
  const slot = new Int32Array(d.strings.length).fill(-1);
  const queue = [[0, 0, count]];
  let maxDepth = 0;
  while (queue.length) {
    const [node, lo, hi] = queue.pop();
    const depth = tree.depth[node];
    const group = [], counts = [], bt = [], nt = [];
    let bs = 0, ns = 0, ended = 0;
    for (let k = lo; k < hi; k++) {
      const j = perm[k], at = start[j] + depth;
      if (at >= start[j + 1]) { bs += wb[j]; ns += wn[j]; ended++; continue; }
      const f = flat[at];
      let g = slot[f];
      if (g < 0) { g = slot[f] = group.length; group.push(f); counts.push(0); bt.push(0); nt.push(0); }
      counts[g]++;
      bt[g] += wb[j];
      nt[g] += wn[j];
    }
    tree.bSelf[node] = bs;
    tree.nSelf[node] = ns;
    const order = group.map((f, k) => k).sort((x, y) => rank[group[x]] - rank[group[y]]);
    const begin = new Array(group.length), pos = new Array(group.length);
    let p = lo + ended;
    for (const g of order) { begin[g] = pos[g] = p; p += counts[g]; }
    let e = lo;
    for (let k = lo; k < hi; k++) {
      const j = perm[k], at = start[j] + depth;
      if (at >= start[j + 1]) tmp[e++] = j;
      else tmp[pos[slot[flat[at]]]++] = j;
    }
    perm.set(tmp.subarray(lo, hi), lo);
    for (const f of group) slot[f] = -1;
    for (const g of order) {
      const c = tree.frame.length;
      tree.frame.push(group[g]);
      tree.parent.push(node);
      tree.depth.push(depth + 1);
      tree.children.push([]);
      tree.children[node].push(c);
      tree.bTot.push(bt[g]);
      tree.nTot.push(nt[g]);
      tree.bSelf.push(bt[g]);  // an unexpanded node's self is its total (set below when expanded)
      tree.nSelf.push(nt[g]);
      if (depth + 1 > maxDepth) maxDepth = depth + 1;
      const wide = (baseAll > 0 && bt[g] / baseAll >= MIN_SHARE) || (newAll > 0 && nt[g] / newAll >= MIN_SHARE);
      if (wide) queue.push([c, begin[g], begin[g] + counts[g]]);
    }
  }
  tree.maxDepth = maxDepth;
  // Widths: BASE in NEW's scale (by the drawn totals for shares), as diff::graph_of_sides.
  const n = tree.frame.length;
  const scale = o.normalize === "share" ? (baseAll > 0 ? newAll / baseAll : 1) : baseScale(t, o.normalize);
  tree.self = new Array(n);
  tree.total = new Array(n).fill(0);
  for (let i = 0; i < n; i++) tree.self[i] = widthOf(tree.bSelf[i], tree.nSelf[i], o.widths, scale);
  for (let i = n; i-- > 0;) {
    tree.total[i] += tree.self[i];
    if (i > 0) tree.total[tree.parent[i]] += tree.total[i];
  }
  tree.change = new Float64Array(n);
  tree.noise = new Uint8Array(n);
  const byTotal = o.colorBy === "total";
  for (let i = 0; i < n; i++) {
    const b = byTotal ? tree.bTot[i] : tree.bSelf[i], v = byTotal ? tree.nTot[i] : tree.nSelf[i];
    if (o.normalize === "share") {
      const sb = baseAll > 0 ? (100 * b) / baseAll : 0, sn = newAll > 0 ? (100 * v) / newAll : 0;
      tree.change[i] = sn - sb;
      tree.noise[i] = Math.abs(tree.change[i]) <= shareNoisePoints(t, sb, sn, t.baseCount, t.newCount) ? 1 : 0;
    } else {
      tree.change[i] = v - b * scale;
      tree.noise[i] = valueWithinNoise(b, v, t, scale) ? 1 : 0;
    }
  }
  tree.size = () => n;
  return tree;
}

// render::change_color
export function changeColor(change, max, noise) {
  if (noise || max <= 0 || change === 0) return [210, 210, 210];
  const x = Math.min(1, Math.abs(change) / max);
  const fade = Math.round(220 * (1 - x));
  return change > 0 ? [255, fade, fade] : [fade, fade, 255];
}

// The largest |change| over the frames the SVG draws at its default size (render::layout's
// threshold from --minwidth over --image-width, and its frame budget): colours scale to it.
export function maxDrawnChange(tree, minWidth, imageWidth, budget = 20000) {
  const total = tree.total[0];
  let max = Math.abs(tree.change[0]);
  if (total <= 0) return max;
  let threshold = Math.max(1, Math.ceil((minWidth * total) / imageWidth));
  const over = [];
  for (let i = 1; i < tree.size(); i++) if (tree.total[i] >= threshold) over.push(tree.total[i]);
  if (over.length > budget) threshold = over.sort((a, b) => b - a)[budget - 1];
  for (let i = 1; i < tree.size(); i++) {
    if (tree.total[i] >= threshold) max = Math.max(max, Math.abs(tree.change[i]));
  }
  return max;
}

// diff/graph.cc's tooltip line: "total: 10ms (5.00%) -> 12ms (6.00%): +2ms (+1.00 pt, +20%)".
function detailLine(what, bv, nv, baseAll, newAll, unit) {
  const change = nv - bv;
  const pct = (v, all) => (all > 0 ? (100 * v) / all : 0);
  const mag = Math.min(Math.abs(change), 9.2233720368547748e18);
  const signedValue = (change < 0 ? "-" : "+") + scaledLabel(Math.round(mag), unit, "auto");
  const rel = bv !== 0 ? `, ${signedFixed((100 * change) / Math.abs(bv), 0)}%` : "";
  return `${what}: ${scaledLabel(bv, unit, "auto")} (${formatFixed(pct(bv, baseAll), 2)}%) -> ` +
    `${scaledLabel(nv, unit, "auto")} (${formatFixed(pct(nv, newAll), 2)}%): ${signedValue} ` +
    `(${signedFixed(pct(nv, newAll) - pct(bv, baseAll), 2)} pt${rel})`;
}

// A node's tooltip lines below its name, as the SVG's.
export function nodeDetails(tree, i, unit) {
  let s = detailLine("total", tree.bTot[i], tree.nTot[i], tree.baseAll, tree.newAll, unit) + "\n" +
    detailLine("self", tree.bSelf[i], tree.nSelf[i], tree.baseAll, tree.newAll, unit);
  if (tree.bTot[i] === 0 && i !== 0) s += "\nonly in NEW";
  if (tree.nTot[i] === 0 && i !== 0) s += "\nonly in BASE";
  return s;
}
