// pprof's tag filters (--tagfocus/--tagignore; pprofx's fold/tag_filter.cc,
// pprof's compileTagFilter): "regex[,regex]" against "key:value" of string
// labels, "key=regex[,regex]" against key's values, or a numeric range
// "[key=]lo:hi" with units ("1kb:", ":2mb", "16").
import { compileRegex } from "./regex.js";
import { scale } from "./units.js";

const NUMERIC = 4294967295;  // labelStr of a numeric label

// Go: ([+-]?[[:digit:]]+)([[:alpha:]]+)? found up to twice, leftmost first.
function rangeTokens(s) {
  const out = [];
  const re = /([+-]?[0-9]+)([A-Za-z]+)?/g;
  let m;
  while (out.length < 2 && (m = re.exec(s)) !== null) out.push({ text: m[0], digits: m[1], unit: m[2] || "" });
  return out;
}

function parseInt64(s) {
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return Number(v);
}

// A predicate (value, unit) for a range, null if text is not one; throws on overflow.
function parseRange(option, filter) {
  const tokens = rangeTokens(filter);
  if (tokens.length === 0) return null;
  const overflow = () => new Error(`parsing ${option}: number out of range in "${filter}"`);
  let v = parseInt64(tokens[0].digits);
  if (v === null) throw overflow();
  const lo = scale(v, tokens[0].unit, tokens[0].unit);
  const unit = lo.unit, lov = lo.value;
  const inUnit = (x, u) => { const s = scale(x, u, unit); return s.unit === unit ? s.value : null; };
  if (tokens.length === 1) {
    const m = tokens[0].text;
    if (filter === m) return (x, u) => inUnit(x, u) === lov;
    if (filter === m + ":") return (x, u) => { const s = inUnit(x, u); return s !== null && s >= lov; };
    if (filter === ":" + m) return (x, u) => { const s = inUnit(x, u); return s !== null && s <= lov; };
    return null;
  }
  if (filter !== tokens[0].text + ":" + tokens[1].text) return null;
  v = parseInt64(tokens[1].digits);
  if (v === null) throw overflow();
  const hi = scale(v, tokens[1].unit, unit);
  if (hi.unit !== unit) return null;
  return (x, u) => { const s = inUnit(x, u); return s !== null && s >= lov && s <= hi.value; };
}

// {predicate: (sample index) => bool, note}; throws with pprofx's message.
export function tagPredicate(d, option, expr) {
  let wantKey = "", value = expr;
  const eq = expr.indexOf("=");
  if (eq >= 0) { wantKey = expr.slice(0, eq); value = expr.slice(eq + 1); }
  const labelsOf = (s) => d.sampleLabels.subarray(d.sampleLabelStart[s], d.sampleLabelStart[s + 1]);
  const range = parseRange(option, value);
  if (range) {
    const predicate = (s) => {
      for (const l of labelsOf(s)) {
        if (d.labelStr[l] !== NUMERIC) continue;
        const k = d.strings[d.labelKey[l]];
        if (wantKey && k !== wantKey) continue;
        if (range(d.labelNum[l], Object.hasOwn(d.numLabelUnits, k) ? d.numLabelUnits[k] : "")) return true;
      }
      return false;
    };
    return { predicate, note: `${option}: interpreted '${value}' as a range, not a regexp` };
  }
  const regexes = value.split(",").map((part) => {
    try {
      return compileRegex(part);
    } catch (e) {
      throw new Error(`parsing ${option} regexp: ${e.message}`);
    }
  });
  if (!wantKey) {
    const predicate = (s) => regexes.every((re) => {
      for (const l of labelsOf(s)) {
        if (d.labelStr[l] === NUMERIC) continue;
        if (re.test(d.strings[d.labelKey[l]] + ":" + d.strings[d.labelStr[l]])) return true;
      }
      return false;
    });
    return { predicate, note: "" };
  }
  const predicate = (s) => {
    for (const l of labelsOf(s)) {
      if (d.labelStr[l] === NUMERIC || d.strings[d.labelKey[l]] !== wantKey) continue;
      for (const re of regexes) if (re.test(d.strings[d.labelStr[l]])) return true;
    }
    return false;
  };
  return { predicate, note: "" };
}
