// The source view: pprofx list's text for one function (report/list.cc, pprof's
// -list), computed from the refined samples and the source lines the page
// embedded (page_sources.cc: --source-path). Per line: flat is the value of
// the samples whose leaf frame is that line, cum the value of the samples
// through it (once per sample); the ROUTINE's cum counts a sample once for all
// the function's lines. Lines shown: from the function's start line (else 5
// before its first sampled line) to 5 after its last sampled one.
import { scaledLabel, percentage } from "./units.js";

const MARGIN = 5;

// The routines (one per source file) of the function named fn, in pprofx list's order: page_sources.cc
// writes them sorted by (function, file) in byte order, as list prints them.
export function routinesOf(d, fn) {
  if (!d.sources) return [];
  return d.sources.routines.filter((r) => r.fn === fn);
}

// Line number -> text of a routine's embedded runs, and the numbers in order (made once per routine).
function textOf(r) {
  if (!r.textByLine) {
    r.textByLine = new Map();
    for (const [first, text] of r.runs) text.split("\n").forEach((t, i) => r.textByLine.set(first + i, t));
    r.textLines = [...r.textByLine.keys()].sort((a, b) => a - b);
  }
  return r.textByLine;
}

// Flat and cum per line, and the routine's flat and once-per-sample cum, over the refined samples for type t.
export function routineValues(refined, t, r) {
  const d = refined.d, types = d.types.length;
  const mine = new Set(r.functions);
  const lines = new Map();  // line -> [flat, cum]
  let flat = 0, cum = 0;
  const seen = new Set();
  for (const smp of refined.samples) {
    const v = d.values[smp.s * types + t];
    if (v === 0) continue;
    seen.clear();
    const st = smp.stack;
    for (let i = 0; i < st.length; i++) {
      const b = refined.lineBegin[st[i]], e = b + refined.lineCount[st[i]];
      for (let k = b; k < e; k++) {
        const li = refined.lineRefs[k];
        if (mine.has(d.lineFn[li])) seen.add(d.lineNo[li]);
      }
    }
    if (seen.size === 0) continue;
    cum += v;
    for (const line of seen) {
      if (!lines.has(line)) lines.set(line, [0, 0]);
      lines.get(line)[1] += v;
    }
    // The leaf frame: the innermost line of the leaf location.
    if (st.length > 0 && refined.lineCount[st[0]] > 0) {
      const li = refined.lineRefs[refined.lineBegin[st[0]]];
      if (mine.has(d.lineFn[li])) {
        lines.get(d.lineNo[li])[0] += v;
        flat += v;
      }
    }
  }
  return { lines, flat, cum };
}

// pprofx list's text for the function's routines ("Total: ..." first), or null when none of its
// lines has a value after the filters (pprofx list: "no matches found").
export function listText(refined, t, routines) {
  const d = refined.d;
  const unit = d.types[t].unit, total = d.totals[t];
  const fmt = (v) => scaledLabel(v, unit, "minimum");
  const dot = (v) => (v === 0 ? "." : fmt(v));
  const out = [`Total: ${fmt(total)}`];
  let any = false;
  for (const r of routines) {
    const v = routineValues(refined, t, r);
    const sampled = [...v.lines.keys()].sort((a, b) => a - b);
    if (sampled.length === 0) continue;
    any = true;
    let pprofCum = 0;
    for (const [, c] of v.lines.values()) pprofCum += c;
    out.push(`ROUTINE ======================== ${r.fnText} in ${r.fileText}`);
    out.push(`${fmt(v.flat).padStart(10)} ${fmt(v.cum).padStart(10)} (flat, cum) ${percentage(v.cum, total)} of Total`);
    if (pprofCum !== v.cum) {
      out.push(`  (pprof: cum ${fmt(pprofCum)}, ${percentage(pprofCum, total).trim()} of Total: it counts a sample ` +
        "once for each of these lines it passes through; google/pprof#707)");
    }
    const start = Math.max(1, r.startLine !== 0 ? r.startLine : sampled[0] - MARGIN);
    const end = sampled[sampled.length - 1] + MARGIN;
    const text = textOf(r);
    // The embedded lines in [start, end] (the file's lines: a profile's line number may be any int64).
    for (const line of r.textLines) {
      if (line < start || line > end) continue;
      const [f, c] = v.lines.get(line) || [0, 0];
      out.push(`${dot(f).padStart(10)} ${dot(c).padStart(10)} ${String(line).padStart(6)}:${text.get(line)}`);
    }
  }
  return any ? out.join("\n") + "\n" : null;
}
