// Call trees of refined samples: the flame graph's (root first), the two
// halves of a sandwich (callers of a function above it, callees below), and
// search's matched share. Samples with a negative value are left out of the
// trees (counted), as pprofx flame does with negative stacks.

// A sample's frames root first (locations outermost first, inlined frames outermost first).
export function pathOf(r, smp) {
  const out = [];
  const { start, frames } = r.locFrames();
  for (let i = smp.stack.length; i-- > 0;) {
    const l = smp.stack[i];
    for (let k = start[l + 1]; k-- > start[l];) out.push(frames[k]);
  }
  return out;
}

// A call tree built top-down from paths (root first) and their weights: a
// node's paths are grouped by their next frame, siblings in name order
// (flamegraph.pl's). A node lighter than minValue is not expanded (it keeps
// its total and self value): work and size follow what can be drawn, not
// the number of distinct paths (3 million nodes on the 100k benchmark).
export class Tree {
  constructor(nameRank, paths, minValue) {
    this.frame = [-1];
    this.parent = [-1];
    this.total = [0];
    this.self = [0];
    this.depth = [0];
    this.children = [[]];
    this.negative = paths.negative || 0;
    const { flat, start, w } = paths;
    const n = w.length;
    // The paths of a node are a range of perm, partitioned by their next frame in place
    // (a counting sort per node, through slot[frame]): no per-node arrays of members.
    const perm = new Uint32Array(n), tmp = new Uint32Array(n);
    for (let i = 0; i < n; i++) { perm[i] = i; this.total[0] += w[i]; }
    const queue = [[0, 0, n]];
    const rank = nameRank;
    const slot = new Int32Array(nameRank.length).fill(-1);
    let maxDepth = 0;
    while (queue.length) {
      const [node, lo, hi] = queue.pop();
      const depth = this.depth[node];
      const frames = [], counts = [], totals = [];
      let self = 0, ended = 0;
      for (let k = lo; k < hi; k++) {
        const i = perm[k];
        const at = start[i] + depth;
        if (at >= start[i + 1]) { self += w[i]; ended++; continue; }
        const f = flat[at];
        let g = slot[f];
        if (g < 0) { g = slot[f] = frames.length; frames.push(f); counts.push(0); totals.push(0); }
        counts[g]++;
        totals[g] += w[i];
      }
      this.self[node] = self;
      const order = frames.map((f, k) => k).sort((x, y) => rank[frames[x]] - rank[frames[y]]);
      const begin = new Array(frames.length), pos = new Array(frames.length);
      let p = lo + ended;
      for (const g of order) { begin[g] = pos[g] = p; p += counts[g]; }
      let e = lo;
      for (let k = lo; k < hi; k++) {
        const i = perm[k];
        const at = start[i] + depth;
        if (at >= start[i + 1]) tmp[e++] = i;
        else tmp[pos[slot[flat[at]]]++] = i;
      }
      perm.set(tmp.subarray(lo, hi), lo);
      for (const f of frames) slot[f] = -1;
      for (const g of order) {
        const c = this.frame.length;
        this.frame.push(frames[g]);
        this.parent.push(node);
        this.total.push(totals[g]);
        this.self.push(0);
        this.depth.push(depth + 1);
        this.children.push([]);
        this.children[node].push(c);
        if (depth + 1 > maxDepth) maxDepth = depth + 1;
        const glo = begin[g], ghi = begin[g] + counts[g];
        if (totals[g] >= minValue) {
          queue.push([c, glo, ghi]);
        } else {
          let cs = 0;
          for (let k = glo; k < ghi; k++) { const i = perm[k]; if (start[i] + depth + 1 >= start[i + 1]) cs += w[i]; }
          this.self[c] = cs;
        }
      }
    }
    this.maxDepth = maxDepth;
  }
  size() { return this.frame.length; }
}

// Paths (root first) of the refined samples with a positive value of type t.
export function samplePaths(r, t, cut) {
  const d = r.d, T = d.types.length, values = d.values, samples = r.samples;
  const { start: locStart, frames } = r.locFrames();
  // Sized first (one pass over the stacks), then filled: no growing array.
  let size = 0;
  if (!cut) {
    for (let j = 0; j < samples.length; j++) {
      const smp = samples[j], stack = smp.stack;
      if (values[smp.s * T + t] <= 0) continue;
      for (let i = 0; i < stack.length; i++) size += locStart[stack[i] + 1] - locStart[stack[i]];
    }
  }
  let flat = new Uint32Array(cut ? 1024 : size), used = 0;
  const start = [0], w = [];
  let negative = 0;
  for (let j = 0; j < samples.length; j++) {
    const smp = samples[j], stack = smp.stack;
    const v = values[smp.s * T + t];
    if (v < 0) { negative++; continue; }
    if (v === 0) continue;
    if (cut) {
      const path = cut(pathOf(r, smp));
      if (!path) continue;
      if (used + path.length > flat.length) {
        const bigger = new Uint32Array(Math.max(flat.length * 2, used + path.length));
        bigger.set(flat);
        flat = bigger;
      }
      for (const f of path) flat[used++] = f;
    } else {
      for (let i = stack.length; i-- > 0;) {
        const l = stack[i], b = locStart[l];
        for (let k = locStart[l + 1]; k-- > b;) flat[used++] = frames[k];
      }
    }
    start.push(used);
    w.push(v);
  }
  return { flat: flat.subarray(0, used), start: Uint32Array.from(start), w: Float64Array.from(w), negative };
}

// Frames narrower than this share of the root are not expanded: 1/20000 of the
// graph is 0.06 px wide unzoomed, and 6 px once zoomed on a frame of 1%.
export const MIN_SHARE = 1 / 20000;

function build(d, paths, minShare = MIN_SHARE) {
  let total = 0;
  for (const x of paths.w) total += x;
  return new Tree(d.frameNameRank, paths, total * minShare);
}

// The flame graph's tree for sample type t (minShare 0: every frame expanded).
export function flameTree(r, t, minShare = MIN_SHARE) {
  return build(r.d, samplePaths(r, t, null), minShare);
}

// The sandwich of frame f: each path cut at its outermost f; callers from f
// back to the root (f first), callees from f to the leaf.
export function sandwichTrees(r, t, f) {
  const callees = samplePaths(r, t, (p) => { const at = p.indexOf(f); return at < 0 ? null : p.slice(at); });
  const callers = samplePaths(r, t, (p) => { const at = p.indexOf(f); return at < 0 ? null : p.slice(0, at + 1).reverse(); });
  return { callers: build(r.d, callers), callees: build(r.d, callees) };
}

// Frames whose name re matches (per frame id), and the value of the samples
// (positive ones, as drawn) with at least one: the exact matched share.
export function searchMatch(r, t, re) {
  const d = r.d, T = d.types.length, nf = d.frameName.length;
  const hit = new Uint8Array(nf);
  for (let f = 0; f < nf; f++) hit[f] = re.test(d.strings[d.frameName[f]]) ? 1 : 0;
  const { start, frames } = r.locFrames();
  let matched = 0, total = 0;
  for (const smp of r.samples) {
    const w = d.values[smp.s * T + t];
    if (w <= 0) continue;
    total += w;
    let any = false;
    for (let i = 0; i < smp.stack.length && !any; i++) {
      const l = smp.stack[i];
      for (let k = start[l]; k < start[l + 1]; k++) if (hit[frames[k]]) { any = true; break; }
    }
    if (any) matched += w;
  }
  return { hit, matched, total };
}

// Each string label key's values with the value of the samples holding them.
export function labelShares(r, t) {
  const d = r.d, T = d.types.length;
  const keys = new Map();
  for (const smp of r.samples) {
    const w = d.values[smp.s * T + t];
    for (let i = d.sampleLabelStart[smp.s]; i < d.sampleLabelStart[smp.s + 1]; i++) {
      const l = d.sampleLabels[i];
      if (d.labelStr[l] === 4294967295) continue;
      const k = d.strings[d.labelKey[l]], v = d.strings[d.labelStr[l]];
      if (!keys.has(k)) keys.set(k, new Map());
      const m = keys.get(k);
      m.set(v, (m.get(v) || 0) + w);
    }
  }
  return [...keys.keys()].sort().map((k) => ({
    key: k,
    values: [...keys.get(k).entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  }));
}
