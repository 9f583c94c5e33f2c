// The top table: pprofx's report/top.cc (pprof's newTrimmedGraph and
// TextItems) over refined stacks: flat (the innermost frame) and cum (each
// frame once per sample, so recursion counts once), the node-fraction cut,
// pprof's sort with its tie-breaks, -unit=minimum and the header lines.
import { percentage, scaledLabel, selectOutputUnit } from "./units.js";

// Flat and cum per frame for sample type t over the refined samples.
export function frameValues(r, t) {
  const d = r.d, T = d.types.length, nf = d.frameName.length;
  const flat = new Float64Array(nf), cum = new Float64Array(nf);
  const stamp = new Int32Array(nf).fill(-1);
  const values = d.values, samples = r.samples, { start, frames } = r.locFrames();
  let ordinal = 0;
  for (let j = 0; j < samples.length; j++) {
    const smp = samples[j], stack = smp.stack;
    const w = values[smp.s * T + t];
    ordinal++;
    if (w === 0) continue;
    let last = -1;
    for (let i = stack.length; i-- > 0;) {
      const l = stack[i], b = start[l];
      for (let k = start[l + 1]; k-- > b;) {  // outermost first
        const n = frames[k];
        if (stamp[n] !== ordinal) { stamp[n] = ordinal; cum[n] += w; }
        last = n;
      }
    }
    if (last >= 0) flat[last] += w;
  }
  return { flat, cum };
}

// pprof's "(inline)" / "(partial-inline)" marks of the kept frames (fold::Graph::inline_marks): a
// frame is marked when an edge into it from a kept caller weighs at least cutoff and is an inlined
// call (the frame was not its location's outermost in any sample on it); partial when calls into it
// are plain too. Only frames that are a location's inner line somewhere can be marked.
export function inlineMarks(r, t, kept, cutoff) {
  const d = r.d, T = d.types.length, nf = d.frameName.length;
  const marks = new Array(nf).fill("");
  const candidate = new Uint8Array(nf);
  let any = false;
  for (let l = 0; l < d.locMap.length; l++) {
    const b = r.lineBegin[l];
    for (let k = 0; k + 1 < r.lineCount[l]; k++) {
      const n = d.lineFrame[r.lineRefs[b + k]];
      if (kept[n]) { candidate[n] = 1; any = true; }
    }
  }
  if (!any) return marks;
  const edges = new Map();  // parent * nf + frame -> {dest, w, inlined, last}
  const { start, frames } = r.locFrames();
  let ordinal = 0;
  for (const smp of r.samples) {
    const w = d.values[smp.s * T + t];
    ordinal++;
    if (w === 0) continue;
    let parent = -1;
    for (let i = smp.stack.length; i-- > 0;) {
      const l = smp.stack[i], b = start[l], size = start[l + 1] - b;
      for (let k = size - 1; k >= 0; k--) {
        const n = frames[b + k];
        if (!kept[n]) continue;
        if (parent >= 0 && n !== parent && candidate[n]) {
          const key = parent * nf + n;
          let e = edges.get(key);
          if (!e) edges.set(key, e = { dest: n, w: 0, inlined: true, last: 0 });
          if (e.last !== ordinal) {  // once per sample
            e.last = ordinal;
            e.w += w;
            if (k === size - 1) e.inlined = false;  // one plain call makes the edge a call
          }
        }
        parent = n;
      }
    }
  }
  const inInline = new Uint8Array(nf), inCall = new Uint8Array(nf);
  for (const e of edges.values()) {
    if (Math.abs(e.w) < cutoff) continue;
    (e.inlined ? inInline : inCall)[e.dest] = 1;
  }
  for (let n = 0; n < nf; n++) if (inInline[n]) marks[n] = inCall[n] ? "(partial-inline)" : "(inline)";
  return marks;
}

// options: {type, nodeCount (0: all), nodeFraction (0.005), sortByCum, filters (for the header), marks (default true)}.
// Returns {header, rows: [{frame, name, mark ("(inline)", "(partial-inline)", ""), flat, cum, flatPct, sumPct,
// cumPct, flatText, cumText}], total, unit}.
export function topTable(r, o) {
  const d = r.d, t = o.type;
  const nodeFraction = o.nodeFraction ?? 0.005;
  const { flat, cum } = frameValues(r, t);
  const total = d.totals[t];
  let nodes = [];
  let flatSum = 0;
  for (let n = 0; n < flat.length; n++) {
    if (cum[n] === 0 && flat[n] === 0) continue;
    nodes.push(n);
    flatSum += flat[n];
  }
  const nodeCutoff = Math.abs(Math.trunc(flatSum * nodeFraction));
  let dropped = 0;
  if (nodeCutoff > 0) {
    const before = nodes.length;
    nodes = nodes.filter((n) => Math.abs(cum[n]) >= nodeCutoff);
    dropped = before - nodes.length;
  }
  const origCount = nodes.length;
  const byCum = !!o.sortByCum;
  const rank = d.frameNameRank, tie = d.frameTieRank;
  nodes.sort((a, b) => {
    const a1 = Math.abs(byCum ? cum[a] : flat[a]), b1 = Math.abs(byCum ? cum[b] : flat[b]);
    if (a1 !== b1) return b1 - a1;
    if (rank[a] !== rank[b]) return rank[a] - rank[b];
    const a2 = Math.abs(byCum ? flat[a] : cum[a]), b2 = Math.abs(byCum ? flat[b] : cum[b]);
    if (a2 !== b2) return b2 - a2;
    return tie[a] - tie[b];
  });
  if (o.nodeCount > 0 && o.nodeCount < nodes.length) nodes = nodes.slice(0, o.nodeCount);

  const sampleUnit = d.types[t].unit;
  const rows0 = nodes.map((n) => ({ flat: flat[n], cum: cum[n] }));
  const unit = nodes.length ? selectOutputUnit(rows0, total, sampleUnit) : "minimum";
  const fmt = (v) => scaledLabel(v, sampleUnit, unit);
  let sum = 0;
  const rows = nodes.map((n) => {
    sum += flat[n];
    return {
      frame: n, name: d.strings[d.frameName[n]], mark: "", flat: flat[n], cum: cum[n],
      flatPct: percentage(flat[n], total), sumPct: percentage(sum, total), cumPct: percentage(cum[n], total),
      flatText: fmt(flat[n]), cumText: fmt(cum[n]),
    };
  });
  const header = d.headers[t].map((line) => line.split("\u0001").join(fmt(total)));
  header.push(...activeFilters(o.filters || {}));
  header.push(`Showing nodes accounting for ${fmt(sum)}, ${percentage(sum, total).trimStart()} of ${fmt(total)} total`);
  if (total !== 0) {
    if (dropped > 0) {
      const at = Math.abs(Math.trunc(total * nodeFraction));
      header.push(`Dropped ${dropped} ${dropped > 1 ? "nodes" : "node"} (cum <= ${fmt(at)})`);
    }
    if (rows.length > 0 && rows.length < origCount) header.push(`Showing top ${rows.length} nodes out of ${origCount}`);
  }
  // The rows' inline marks: a second pass over the samples, made when the table is shown (marks: false
  // leaves them to withMarks(), for views that show only the totals and units).
  let marked = false;
  const withMarks = () => {
    if (marked) return;
    marked = true;
    const kept = new Uint8Array(flat.length);
    for (const n of nodes) kept[n] = 1;
    const marks = inlineMarks(r, t, kept, Math.abs(Math.trunc(flatSum * 0.001)));  // pprof's edge fraction
    for (const row of rows) row.mark = marks[row.frame];
  };
  if (o.marks !== false) withMarks();
  return { header, rows, total, unit, format: fmt, flat, cum, withMarks };
}

// pprof's "Active filters:" lines, each cut at 80 bytes (as report::active_filters).
export function activeFilters(f) {
  const out = [];
  const enc = new TextEncoder(), dec = new TextDecoder();
  for (const key of ["focus", "ignore", "hide", "show", "show_from", "tagfocus", "tagignore"]) {
    if (!f[key]) continue;
    let s = `${key}=${f[key]}`;
    const bytes = enc.encode(s);
    if (bytes.length > 80) s = dec.decode(bytes.subarray(0, 80)) + "\u2026";
    out.push("   " + s);
  }
  if (out.length) out.unshift("Active filters:");
  return out;
}
