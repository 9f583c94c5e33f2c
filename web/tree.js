// Call trees of refined samples: the flame graph's (root first), the two
// halves of a sandwich (callers of a function above it, callees below), and
// search's matched share. Samples with a negative value are left out of the
// trees (counted), as pprofx flame does with negative stacks.

// A sample's frames root first (locations outermost first, inlined frames outermost first).
export function pathOf(r, smp) {
  const out = [];
  for (let i = smp.stack.length; i-- > 0;) {
    const fr = r.frames(smp.stack[i]);
    for (let k = fr.length; k-- > 0;) out.push(fr[k]);
  }
  return out;
}

export class Tree {
  constructor(nameRank) {
    this.frame = [-1];
    this.parent = [-1];
    this.total = [0];
    this.self = [0];
    this.depth = [0];
    this.index = new Map();
    this.nameRank = nameRank;
    this.mult = Math.max(1, nameRank.length);
    this.negative = 0;
    this.children = null;
  }
  add(path, w) {
    let node = 0;
    this.total[0] += w;
    for (const f of path) {
      const key = node * this.mult + f;  // exact: nodes x frames < 2^53
      let c = this.index.get(key);
      if (c === undefined) {
        c = this.frame.length;
        this.frame.push(f);
        this.parent.push(node);
        this.total.push(0);
        this.self.push(0);
        this.depth.push(this.depth[node] + 1);
        this.index.set(key, c);
      }
      this.total[c] += w;
      node = c;
    }
    this.self[node] += w;
  }
  // Children lists, siblings in name order (flamegraph.pl's), built once.
  finish() {
    const n = this.frame.length;
    const kids = Array.from({ length: n }, () => []);
    for (let c = 1; c < n; c++) kids[this.parent[c]].push(c);
    const rank = this.nameRank;
    for (const k of kids) if (k.length > 1) k.sort((a, b) => rank[this.frame[a]] - rank[this.frame[b]]);
    this.children = kids;
    this.index = null;
    let maxDepth = 0;
    for (const dd of this.depth) if (dd > maxDepth) maxDepth = dd;
    this.maxDepth = maxDepth;
    return this;
  }
  size() { return this.frame.length; }
}

// The flame graph's tree for sample type t.
export function flameTree(r, t) {
  const d = r.d, T = d.types.length;
  const tree = new Tree(d.frameNameRank);
  for (const smp of r.samples) {
    const w = d.values[smp.s * T + t];
    if (w < 0) { tree.negative++; continue; }
    if (w === 0) continue;
    tree.add(pathOf(r, smp), w);
  }
  return tree.finish();
}

// The sandwich of frame f: each path cut at its outermost f; callers from f
// back to the root (f first), callees from f to the leaf.
export function sandwichTrees(r, t, f) {
  const d = r.d, T = d.types.length;
  const callers = new Tree(d.frameNameRank), callees = new Tree(d.frameNameRank);
  for (const smp of r.samples) {
    const w = d.values[smp.s * T + t];
    if (w <= 0) continue;
    const path = pathOf(r, smp);
    const at = path.indexOf(f);
    if (at < 0) continue;
    callees.add(path.slice(at), w);
    callers.add(path.slice(0, at + 1).reverse(), w);
  }
  return { callers: callers.finish(), callees: callees.finish() };
}

// Frames whose name re matches (per frame id), and the value of the samples
// (positive ones, as drawn) with at least one: the exact matched share.
export function searchMatch(r, t, re) {
  const d = r.d, T = d.types.length, nf = d.frameName.length;
  const hit = new Uint8Array(nf);
  for (let f = 0; f < nf; f++) hit[f] = re.test(d.strings[d.frameName[f]]) ? 1 : 0;
  let matched = 0, total = 0;
  for (const smp of r.samples) {
    const w = d.values[smp.s * T + t];
    if (w <= 0) continue;
    total += w;
    let any = false;
    for (let i = 0; i < smp.stack.length && !any; i++) {
      for (const f of r.frames(smp.stack[i])) if (hit[f]) { any = true; break; }
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
