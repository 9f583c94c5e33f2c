// The page's refine step: pprof's filters applied to the embedded stacks,
// with the semantics of pprofx's fold/view.cc (pprof's FilterSamplesByName,
// ShowFrom, and the tag filters of driver_focus.go). The data already had the
// profile's drop_frames applied (page_data.cc); filters come after it, as in pprof.
import { compileRegex } from "./regex.js";
import { tagPredicate } from "./tags.js";

function compile(option, pattern) {
  try {
    return compileRegex(pattern);
  } catch (e) {
    throw new Error(`parsing ${option} regexp: ${e.message}`);
  }
}

// Per function and per mapping: does re match its name or file?
function matchTables(d, re) {
  const fn = new Uint8Array(d.fnName.length);
  for (let f = 0; f < fn.length; f++) {
    fn[f] = re.test(d.strings[d.fnName[f]]) || re.test(d.strings[d.fnFile[f]]) ? 1 : 0;
  }
  const map = new Uint8Array(d.mapFile.length);
  for (let m = 0; m < map.length; m++) map[m] = re.test(d.strings[d.mapFile[m]]) ? 1 : 0;
  return { fn, map };
}

const NO_MAPPING = 4294967295;

const U32 = ["fnName", "fnFile", "mapFile", "locMap", "locLineStart", "locNameless", "lineFn", "lineFrame", "frameName",
  "frameNameRank", "frameTieRank", "labelKey", "labelStr", "labelUnit", "stackLen", "stack", "sampleStack",
  "sampleLabelCount", "sampleLabels"];
const SIGNED = ["values", "labelNum", "lineNo"];
const GRANULAR = ["lineFrame", "locNameless", "frameName", "frameNameRank", "frameTieRank"];

// The data at granularity g ("lines", else functions): the same samples and lines, each line's
// frame (and names, ranks) at that granularity. Everything downstream reads frames from it.
export function atGranularity(d, g) {
  if (g !== "lines" || !d.lines) return d;
  if (!d.linesView) {
    const v = Object.create(d);
    for (const k of GRANULAR) v[k] = d.lines[k];
    // Names stored as the function's part and the line (page_data.cc's write_frames): made whole here.
    v.strings = d.strings.slice();
    v.frameName = Uint32Array.from(v.frameName, (s, f) => {
      const line = d.lines.frameLine[f];
      if (line === 0) return s;
      v.strings.push(`${d.strings[s]}:${line - 1}`);
      return v.strings.length - 1;
    });
    // A line frame's function name: what a refine on it matches (pprof's regexps match functions).
    v.frameFunction = new Array(v.frameName.length).fill("");
    for (let i = 0; i < d.lineFn.length; i++) v.frameFunction[v.lineFrame[i]] = d.strings[d.fnName[d.lineFn[i]]];
    d.linesView = v;
  }
  return d.linesView;
}

// page_data.cc's integer arrays: LEB128 varints, zigzag-coded when signed, as bytes (the page's
// payload, web/payload.js) or base64 (the .json file).
export function decodeArray(src, signed) {
  const bytes = typeof src === "string" ? Uint8Array.from(atob(src), (c) => c.charCodeAt(0)) : src;
  if (!(bytes instanceof Uint8Array)) throw new Error("the page's data is inconsistent");
  const out = signed ? new Float64Array(bytes.length) : new Uint32Array(bytes.length);
  let n = 0, v = 0, mul = 1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    v += (b & 0x7f) * mul;
    if (b & 0x80) { mul *= 128; continue; }
    out[n++] = !signed ? v : v % 2 === 0 ? v / 2 : -(v + 1) / 2;  // exact below 2^53
    v = 0;
    mul = 1;
  }
  return out.slice(0, n);
}

function offsets(counts) {
  const out = new Uint32Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) out[i + 1] = out[i] + counts[i];
  return out;
}

// The embedded data (page_data.cc's JSON, parsed) with its arrays decoded
// and typed, and offsets of each sample's stack (leaf first) and labels;
// checked for the shape the page relies on, so a damaged file fails here.
export function prepareData(d) {
  if (!d || d.version !== 1) throw new Error("the page's data is not version 1");
  if (d.diff) {  // diff mode: two sides over one string table
    if (!Array.isArray(d.sides) || d.sides.length !== 2) throw new Error("the page's data is inconsistent");
    for (const side of d.sides) prepareData(Object.assign(side, { version: 1, strings: d.strings }));
    return d;
  }
  for (const k of U32) d[k] = decodeArray(d[k], false);
  for (const k of SIGNED) d[k] = decodeArray(d[k], true);
  if (d.lines) {
    for (const k of [...GRANULAR, "frameLine"]) d.lines[k] = decodeArray(d.lines[k], false);
    if (d.lines.lineFrame.length !== d.lineFrame.length || d.lines.frameLine.length !== d.lines.frameName.length) {
      throw new Error("the page's data is inconsistent");
    }
  }
  d.stackStart = offsets(d.stackLen);
  d.sampleLabelStart = offsets(d.sampleLabelCount);
  const n = d.sampleStack.length, stacks = d.stackLen.length;
  if (d.values.length !== n * d.types.length || d.sampleLabelCount.length !== n || d.stackStart[stacks] !== d.stack.length ||
      d.sampleLabelStart[n] !== d.sampleLabels.length || d.sampleStack.some((k) => k >= stacks)) {
    throw new Error("the page's data is inconsistent");
  }
  return d;
}

// The result of refining: per location its remaining lines (indices into the
// data's line arrays), and the kept samples with their stacks (leaf first).
export class Refined {
  constructor(d) {
    this.d = d;
    const nloc = d.locMap.length;
    this.lineBegin = new Uint32Array(nloc);
    this.lineCount = new Uint32Array(nloc);
    this.lineRefs = new Uint32Array(d.lineFn.length);
    for (let i = 0; i < this.lineRefs.length; i++) this.lineRefs[i] = i;
    for (let l = 0; l < nloc; l++) {
      this.lineBegin[l] = d.locLineStart[l];
      this.lineCount[l] = d.locLineStart[l + 1] - d.locLineStart[l];
    }
    // {s, stack: Uint32Array (leaf first)}: made once per page, shared by every refine (never mutated).
    if (!d.baseSamples) {
      const n = d.sampleStack.length;
      d.baseSamples = new Array(n);
      for (let s = 0; s < n; s++) {
        const k = d.sampleStack[s];  // samples that differ by labels only share a stack
        d.baseSamples[s] = { s, stack: d.stack.subarray(d.stackStart[k], d.stackStart[k + 1]) };
      }
    }
    this.samples = d.baseSamples;
    this.warnings = [];
  }

  locationMatches(l, t) {
    const b = this.lineBegin[l], e = b + this.lineCount[l];
    for (let i = b; i < e; i++) if (t.fn[this.d.lineFn[this.lineRefs[i]]]) return true;
    const m = this.d.locMap[l];
    return m !== NO_MAPPING && t.map[m] === 1;
  }

  // Every location's frames packed, innermost first: frames[start[l]] .. frames[start[l + 1] - 1]
  // (a location with no line left is its nameless frame). Made once, after the filters, for the
  // loops over every sample's stack (top, flame, search): one array read per step where reading
  // lineCount, lineBegin, lineRefs and lineFrame cost four scattered reads (3x slower on 100k samples).
  locFrames() {
    if (this.packed) return this.packed;
    const d = this.d, nloc = this.lineCount.length;
    const start = new Uint32Array(nloc + 1);
    for (let l = 0; l < nloc; l++) start[l + 1] = start[l] + (this.lineCount[l] === 0 ? 1 : this.lineCount[l]);
    const frames = new Uint32Array(start[nloc]);
    for (let l = 0; l < nloc; l++) {
      const c = this.lineCount[l], b = this.lineBegin[l];
      if (c === 0) frames[start[l]] = d.locNameless[l];
      for (let k = 0; k < c; k++) frames[start[l] + k] = d.lineFrame[this.lineRefs[b + k]];
    }
    return (this.packed = { start, frames });
  }

  // Frames of location l at function granularity, innermost first.
  frames(l) {
    const c = this.lineCount[l];
    if (c === 0) return [this.d.locNameless[l]];
    const out = new Array(c);
    const b = this.lineBegin[l];
    for (let i = 0; i < c; i++) out[i] = this.d.lineFrame[this.lineRefs[b + i]];
    return out;
  }

  warn(ok, option) {
    if (!ok) this.warnings.push(`${option} expression matched no samples`);
  }

  filterByName(focus, ignore, hide, show) {
    const d = this.d;
    const tf = focus && matchTables(d, focus), ti = ignore && matchTables(d, ignore);
    const th = hide && matchTables(d, hide), ts = show && matchTables(d, show);
    let fm = false, im = false, hm = false, hnm = false;
    const nloc = d.locMap.length;
    const focusOrIgnore = new Uint8Array(nloc);
    const hidden = new Uint8Array(nloc);
    let anyHidden = false;
    const rewrite = hide || show;
    const newRefs = [];
    const newBegin = new Uint32Array(nloc), newCount = new Uint32Array(nloc);
    for (let l = 0; l < nloc; l++) {
      if (ignore && this.locationMatches(l, ti)) {
        im = true;
        focusOrIgnore[l] = 2;
      } else if (!focus || this.locationMatches(l, tf)) {
        fm = true;
        focusOrIgnore[l] = 1;
      }
      if (!rewrite) continue;
      const mapping = d.locMap[l];
      let lines = Array.from(this.lineRefs.subarray(this.lineBegin[l], this.lineBegin[l] + this.lineCount[l]));
      if (hide && this.locationMatches(l, th)) {
        hm = true;
        if (mapping !== NO_MAPPING && th.map[mapping]) lines = [];
        else lines = lines.filter((line) => th.fn[d.lineFn[line]] === 0);
        if (lines.length === 0) hidden[l] = 1;
      }
      if (show) {
        if (!(mapping !== NO_MAPPING && ts.map[mapping])) lines = lines.filter((line) => ts.fn[d.lineFn[line]] !== 0);
        if (lines.length === 0) hidden[l] = 1;
        else hnm = true;
      }
      anyHidden = anyHidden || hidden[l] === 1;
      newBegin[l] = newRefs.length;
      newCount[l] = lines.length;
      for (const x of lines) newRefs.push(x);
    }
    if (rewrite) {
      this.lineRefs = Uint32Array.from(newRefs);
      this.lineBegin = newBegin;
      this.lineCount = newCount;
    }
    const kept = [];
    for (const smp of this.samples) {
      let focused = false, ignored = false;
      const st = smp.stack;
      for (let i = 0; i < st.length; i++) {
        const m = focusOrIgnore[st[i]];
        if (m === 2) { ignored = true; break; }
        if (m === 1) focused = true;
      }
      if (ignored || !focused) continue;
      if (anyHidden) {
        const st = smp.stack.filter((loc) => !hidden[loc]);
        if (st.length === 0) continue;
        kept.push({ s: smp.s, stack: st });
        continue;
      }
      kept.push(smp);
    }
    this.samples = kept;
    this.warn(!focus || fm, "Focus");
    this.warn(!ignore || im, "Ignore");
    this.warn(!hide || hm, "Hide");
    this.warn(!show || hnm, "Show");
  }

  showFrom(re) {
    const d = this.d;
    const t = matchTables(d, re);
    const nloc = d.locMap.length;
    const matched = new Uint8Array(nloc);
    let any = false;
    for (let l = 0; l < nloc; l++) {
      const m = d.locMap[l];
      if (m !== NO_MAPPING && t.map[m]) {
        matched[l] = 1;
      } else {
        const b = this.lineBegin[l];
        for (let i = this.lineCount[l]; i-- > 0;) {
          if (t.fn[d.lineFn[this.lineRefs[b + i]]]) {
            this.lineCount[l] = i + 1;
            matched[l] = 1;
            break;
          }
        }
      }
      any = any || matched[l] === 1;
    }
    const kept = [];
    for (const smp of this.samples) {
      for (let i = smp.stack.length; i-- > 0;) {
        if (matched[smp.stack[i]]) {
          kept.push({ s: smp.s, stack: smp.stack.subarray(0, i + 1) });
          break;
        }
      }
    }
    this.samples = kept;
    this.warn(any, "ShowFrom");
  }

  filterByTag(focus, ignore) {
    let fm = false, im = false;
    this.samples = this.samples.filter((smp) => {
      const focused = !focus || focus(smp.s);
      const ignored = !!ignore && ignore(smp.s);
      fm = fm || focused;
      im = im || ignored;
      return focused && !ignored;
    });
    this.warn(!focus || fm, "TagFocus");
    this.warn(!ignore || im, "TagIgnore");
  }
}

// The filters a page state holds (pprof's names, as in fold::Filters).
export const FILTERS = ["focus", "ignore", "hide", "show", "show_from", "tagfocus", "tagignore"];

// Applies filters {focus, ignore, hide, show, show_from, tagfocus, tagignore}
// (each a string, "" or missing = off) in build_view's order. Throws on a bad
// regexp or tag filter, with pprofx's message.
export function refine(d, filters) {
  const r = new Refined(d);
  const re = {};
  for (const name of ["focus", "ignore", "hide", "show", "show_from"]) {
    if (filters[name]) re[name] = compile(name, filters[name]);
  }
  const tags = {};
  for (const name of ["tagfocus", "tagignore"]) {
    if (!filters[name]) continue;
    const t = tagPredicate(d, name, filters[name]);
    if (t.note) r.warnings.push(t.note);
    tags[name] = t.predicate;
  }
  r.filterByName(re.focus, re.ignore, re.hide, re.show);
  if (re.show_from) r.showFrom(re.show_from);
  if (tags.tagfocus || tags.tagignore) r.filterByTag(tags.tagfocus, tags.tagignore);
  return r;
}
