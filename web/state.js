// The page's state: in the URL hash (so a link opens the same view) and as
// the pprofx command-line flags that reproduce the table on screen.
import { FILTERS } from "./refine.js";

const KEYS = ["view", "t", "g", ...FILTERS, "fn", "q", "z", "inv", "sort", "w", "norm", "cb"];
const VIEWS = ["flame", "top", "sandwich", "labels", "source"];

// {view, t (sample type name), filters..., fn (selected function), q (search),
// z (zoomed node path: frame ids root first), inv, sort; diff mode: w (widths),
// norm (--normalize), cb (--color-by), "" for diff's default}; unknown keys ignored.
export function parseState(hash) {
  const s = { view: "flame", t: "", g: "", fn: "", q: "", z: [], inv: false, sort: "flat", w: "", norm: "", cb: "" };
  for (const f of FILTERS) s[f] = "";
  const params = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
  for (const [k, v] of params) {
    if (!KEYS.includes(k)) continue;
    if (k === "z") s.z = v.split(".").filter((x) => /^[0-9]+$/.test(x)).map(Number);
    else if (k === "inv") s.inv = v === "1";
    else if (k === "view") s.view = VIEWS.includes(v) ? v : "flame";
    else if (k === "sort") s.sort = ["flat", "cum", "name"].includes(v) ? v : "flat";
    else if (k === "g") s.g = v === "lines" ? v : "";
    else s[k] = v;
  }
  return s;
}

export function formatState(s) {
  const params = new URLSearchParams();
  if (s.view !== "flame") params.set("view", s.view);
  if (s.t) params.set("t", s.t);
  if (s.g) params.set("g", s.g);
  for (const f of FILTERS) if (s[f]) params.set(f, s[f]);
  if (s.fn) params.set("fn", s.fn);
  if (s.q) params.set("q", s.q);
  if (s.z.length) params.set("z", s.z.join("."));
  if (s.inv) params.set("inv", "1");
  if (s.sort !== "flat") params.set("sort", s.sort);
  for (const k of ["w", "norm", "cb"]) if (s[k]) params.set(k, s[k]);
  const text = params.toString();
  return text ? "#" + text : "";
}

// A word for a POSIX shell: as is when it is plain, else single-quoted.
export function shellQuote(word) {
  if (/^[A-Za-z0-9_./:=+-]+$/.test(word)) return word;
  return "'" + word.replace(/'/g, "'\\''") + "'";
}

const FLAG = { focus: "--focus", ignore: "--ignore", hide: "--hide", show: "--show", show_from: "--show-from",
  tagfocus: "--tagfocus", tagignore: "--tagignore" };

// The flags of `pprofx top` that give the table on screen ([] when none).
export function stateFlags(s, d) {
  const out = [];
  const type = d.types.findIndex((x) => x.type === s.t);
  if (type >= 0 && type !== d.default) out.push("--sample-index=" + shellQuote(s.t));
  if (s.g === "lines") out.push("--granularity=lines");
  if (s.sort === "cum") out.push("--cum");
  for (const f of FILTERS) if (s[f]) out.push(FLAG[f] + "=" + shellQuote(s[f]));
  return out;
}
