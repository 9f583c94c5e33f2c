// A flame graph (or icicle) of a Tree on a canvas: layout in value units,
// frames narrower than half a pixel not drawn, hover, click to zoom, search
// highlight. Fast at 100k+ nodes: only what is wide enough is visited.

const ROW = 18;
const MAX_ROWS = 1500;
const FONT = "12px monospace";

// flamegraph.pl's "hot" colours from an FNV-1a hash of the name (stable across graphs).
function hashName(name) {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
function color(name) {
  const h = hashName(name);
  const a = (h & 0xff) / 255, b = ((h >>> 8) & 0xff) / 255, c = ((h >>> 16) & 0xff) / 255;
  return `rgb(${205 + Math.round(50 * c)},${Math.round(230 * a)},${Math.round(55 * b)})`;
}

// A zoomed node as the path of frames from the root (the URL's z=), and back (the deepest node of the path there is).
export function zoomPath(tree, node) {
  const path = [];
  for (let n = node; n > 0; n = tree.parent[n]) path.push(tree.frame[n]);
  return path.reverse();
}
export function nodeOfPath(tree, path) {
  let node = 0;
  for (const f of path) {
    const next = tree.children[node].find((c) => tree.frame[c] === f);
    if (next === undefined) return node;
    node = next;
  }
  return node;
}

export class FlameView {
  // canvas: the element; o: {names(frame) -> string, color(node) -> CSS colour (else by name),
  // onZoom(node), onSelect(node, event), onContext(node, event), inverted}
  constructor(canvas, o) {
    this.canvas = canvas;
    this.o = o;
    this.tree = null;
    this.zoom = 0;
    this.hit = null;
    this.rects = [];  // per depth: [x, w, node] sorted by x
    canvas.addEventListener("mousemove", (e) => this.hover(e));
    canvas.addEventListener("mouseleave", () => this.o.onHover && this.o.onHover(-1, null));
    canvas.addEventListener("click", (e) => {
      const n = this.nodeAt(e);
      if (n >= 0) this.o.onZoom(n);
    });
    canvas.addEventListener("contextmenu", (e) => {
      const n = this.nodeAt(e);
      if (n > 0 && this.o.onContext) { e.preventDefault(); this.o.onContext(n, e); }
    });
  }

  set(tree, zoom, hit) {
    this.tree = tree;
    this.zoom = zoom > 0 && zoom < tree.size() ? zoom : 0;
    this.hit = hit;
    this.draw();
  }

  draw() {
    const t = this.tree, cv = this.canvas;
    const width = Math.max(200, cv.parentElement ? cv.parentElement.clientWidth : 1200);
    const rows = Math.min(t.maxDepth + 1, MAX_ROWS);  // a canvas is at most 32767 px high
    const height = rows * ROW + 4;
    const dpr = window.devicePixelRatio || 1;
    cv.width = Math.round(width * dpr);
    cv.height = Math.round(height * dpr);
    cv.style.width = width + "px";
    cv.style.height = height + "px";
    const ctx = cv.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = FONT;
    ctx.textBaseline = "middle";
    this.width = width;
    this.height = height;
    this.rects = Array.from({ length: rows }, () => []);
    const charW = ctx.measureText("m").width || 7.2;
    const y = (depth) => (this.o.inverted ? depth * ROW : height - (depth + 1) * ROW);
    const box = (node, x, w) => {
      const depth = t.depth[node];
      if (depth >= rows) return;
      const name = node === 0 ? "all" : this.o.names(t.frame[node]);
      const matched = this.hit && node > 0 && this.hit[t.frame[node]];
      ctx.fillStyle = matched ? "rgb(230,0,230)" : this.o.color ? this.o.color(node) : node === 0 ? "rgb(200,200,200)" : color(name);
      ctx.fillRect(x, y(depth) + 1, Math.max(w - 0.5, 0.5), ROW - 2);
      this.rects[depth].push([x, w, node]);
      const fit = Math.floor((w - 6) / charW);
      if (fit >= 3) {
        ctx.fillStyle = "#000";
        ctx.fillText(name.length <= fit ? name : name.slice(0, fit - 2) + "..", x + 3, y(depth) + ROW / 2);
      }
    };
    // The zoomed node's ancestors at full width, then its subtree scaled to the width.
    for (let a = t.parent[this.zoom]; a >= 0; a = t.parent[a]) box(a, 0, width);
    const total = t.total[this.zoom];
    if (total <= 0) { box(this.zoom, 0, width); return; }
    const scale = width / total;
    const stack = [[this.zoom, 0]];
    while (stack.length) {
      const [node, x] = stack.pop();
      const w = t.total[node] * scale;
      box(node, x, w);
      let cx = x;
      for (const c of t.children[node]) {
        const cw = t.total[c] * scale;
        if (cw >= 0.5) stack.push([c, cx]);
        cx += cw;
      }
    }
    for (const r of this.rects) r.sort((p, q) => p[0] - q[0]);
  }

  nodeAt(e) {
    const rect = this.canvas.getBoundingClientRect();
    const x = e.clientX - rect.left, yy = e.clientY - rect.top;
    const depth = this.o.inverted ? Math.floor(yy / ROW) : Math.floor((this.height - yy) / ROW);
    const row = this.rects[depth];
    if (!row) return -1;
    let lo = 0, hi = row.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (row[mid][0] <= x) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found < 0) return -1;
    const [rx, rw, node] = row[found];
    return x < rx + rw ? node : -1;
  }

  hover(e) {
    const n = this.nodeAt(e);
    if (this.o.onHover) this.o.onHover(n, e);
  }
}
