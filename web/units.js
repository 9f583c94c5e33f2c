// pprof's units (a port of pprofx's model/units.cc, itself pprof's
// internal/measurement) and C's printf number formats, exact to the digit:
// every number the page shows is formatted as `pprofx top` prints it.

const UNIT_TYPES = [
  { def: ["B", 1], units: [["B", ["b", "byte"], 1], ["kB", ["kb", "kbyte", "kilobyte"], 1024],
    ["MB", ["mb", "mbyte", "megabyte"], 1048576], ["GB", ["gb", "gbyte", "gigabyte"], 1073741824],
    ["TB", ["tb", "tbyte", "terabyte"], 1099511627776], ["PB", ["pb", "pbyte", "petabyte"], 1125899906842624]] },
  { def: ["s", 1e9], units: [["ns", ["ns", "nanosecond"], 1], ["us", ["\u03bcs", "us", "microsecond"], 1e3],
    ["ms", ["ms", "millisecond"], 1e6], ["s", ["s", "sec", "second"], 1e9], ["hrs", ["hour", "hr"], 3600e9]] },
  { def: ["GCU", 1], units: [["n*GCU", ["nanogcu"], 1e-9], ["u*GCU", ["microgcu"], 1e-6],
    ["m*GCU", ["milligcu"], 1e-3], ["GCU", ["gcu"], 1], ["k*GCU", ["kilogcu"], 1e3], ["M*GCU", ["megagcu"], 1e6],
    ["G*GCU", ["gigagcu"], 1e9], ["T*GCU", ["teragcu"], 1e12], ["P*GCU", ["petagcu"], 1e15]] },
];

const utf8 = new TextEncoder();

// Lower-cased (ASCII only, as C's tolower) and a plural "s" dropped when the
// name is longer than 2 bytes, as pprof.
function sniffUnit(type, unit) {
  let u = unit.replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (utf8.encode(u).length > 2 && u.endsWith("s")) u = u.slice(0, -1);
  for (const def of type.units) if (def[1].includes(u)) return def;
  return null;
}

function convert(type, value, from, to) {
  const fromUnit = sniffUnit(type, from);
  if (!fromUnit) return null;
  const v = value * fromUnit[2];
  if (to === "minimum" || to === "auto") {
    let f = 0, name = null;
    for (const u of type.units) {
      if (u[2] >= f && v / u[2] >= 1.0) { f = u[2]; name = u[0]; }
    }
    if (f !== 0) return { value: v / f, unit: name };
    return { value: v / type.def[1], unit: type.def[0] };
  }
  const toUnit = sniffUnit(type, to);
  if (!toUnit) return { value: v / type.def[1], unit: type.def[0] };
  return { value: v / toUnit[2], unit: toUnit[0] };
}

// model::scale: value in from_unit, in to_unit (or the best unit for "minimum"/"auto").
export function scale(value, fromUnit, toUnit) {
  if (value < 0) {
    const s = scale(-value, fromUnit, toUnit);
    return { value: -s.value, unit: s.unit };
  }
  for (const type of UNIT_TYPES) {
    const out = convert(type, value, fromUnit, toUnit);
    if (out) return out;
  }
  if (["count", "sample", "unit", "minimum", "auto"].includes(toUnit)) return { value, unit: "" };
  return { value, unit: toUnit };
}

export function isKnownUnit(unit) {
  return UNIT_TYPES.some((t) => sniffUnit(t, unit) !== null);
}

// The exact decimal expansion of |x| as digits and the position of the point.
function exactDigits(x) {
  let s = Math.abs(x).toFixed(100);
  const dot = s.indexOf(".");
  let digits = s.slice(0, dot) + s.slice(dot + 1);
  let point = dot;
  const lead = digits.search(/[1-9]/);
  if (lead < 0) return { digits: "0", point: 1, zero: true };
  digits = digits.slice(lead);
  point -= lead;
  return { digits, point, zero: false };
}

// Rounds a digit string to n digits, half to even on exact ties (as glibc's printf).
function roundDigits(digits, n) {
  if (n < 0) return { digits: "", carry: false };
  if (digits.length <= n) return { digits: digits.padEnd(n, "0"), carry: false };
  const head = digits.slice(0, n);
  const rest = digits.slice(n);
  let up;
  if (rest[0] > "5") up = true;
  else if (rest[0] < "5") up = false;
  else if (/[1-9]/.test(rest.slice(1))) up = true;
  else up = n > 0 ? (head.charCodeAt(n - 1) - 48) % 2 === 1 : false;
  if (!up) return { digits: head, carry: false };
  const arr = head.split("");
  let i = n - 1;
  while (i >= 0) {
    if (arr[i] === "9") { arr[i] = "0"; i--; } else { arr[i] = String.fromCharCode(arr[i].charCodeAt(0) + 1); break; }
  }
  if (i < 0) return { digits: "1" + arr.join(""), carry: true };
  return { digits: arr.join(""), carry: false };
}

// C's "%.{prec}f".
export function formatFixed(x, prec) {
  const neg = x < 0 || Object.is(x, -0);
  const e = exactDigits(x);
  let intPart, frac;
  if (e.zero) {
    intPart = "0"; frac = "0".repeat(prec);
  } else {
    // digits d1 d2 ... with the point after `point` digits (point may be <= 0).
    let all = e.digits, point = e.point;
    if (point <= 0) { all = "0".repeat(1 - point) + all; point = 1; }
    const r = roundDigits(all, point + prec);
    let d = r.digits;
    if (r.carry) point += 1;
    intPart = d.slice(0, point).replace(/^0+(?=\d)/, "") || "0";
    frac = d.slice(point);
  }
  return (neg ? "-" : "") + intPart + (prec > 0 ? "." + frac : "");
}

// C's "%.{prec}g" (no '#': trailing zeros dropped).
export function formatG(x, prec) {
  const p = prec === 0 ? 1 : prec;
  const neg = x < 0 || Object.is(x, -0);
  const e = exactDigits(x);
  if (e.zero) return (neg ? "-" : "") + "0";
  const r = roundDigits(e.digits, p);
  let exp = e.point - 1 + (r.carry ? 1 : 0);
  let digits = r.carry ? r.digits.slice(0, p) : r.digits;
  let out;
  if (exp < -4 || exp >= p) {
    let mant = digits[0] + (p > 1 ? "." + digits.slice(1) : "");
    if (mant.includes(".")) mant = mant.replace(/0+$/, "").replace(/\.$/, "");
    out = mant + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
  } else {
    out = formatFixed(Math.abs(x), p - 1 - exp);
    if (out.includes(".")) out = out.replace(/0+$/, "").replace(/\.$/, "");
  }
  return (neg ? "-" : "") + out;
}

// model::scaled_label: "1.50s", "120ms", "3kB"; "0" for zero.
export function scaledLabel(value, fromUnit, toUnit) {
  const s = scale(value, fromUnit, toUnit);
  let v = formatFixed(s.value, 2);
  if (v.endsWith(".00")) v = v.slice(0, -3);
  if (v === "0" || v === "-0") return "0";
  return v + s.unit;
}

// model::percentage: "12.34%", "  100%", "0.017%" (padded to 5 as %5.2f / %5.2g).
export function percentage(value, total) {
  let ratio = 0;
  if (total !== 0) ratio = Math.abs(value / total) * 100;
  if (ratio >= 99.95 && ratio <= 100.05) return "  100%";
  const s = ratio >= 1.0 ? formatFixed(ratio, 2) : formatG(ratio, 2);
  return s.padStart(5, " ") + "%";
}

// report::select_output_unit for -unit=minimum, over rows {flat, cum}.
export function selectOutputUnit(rows, total, sampleUnit) {
  let minValue = 0;
  for (const r of rows) {
    let m = Math.abs(r.flat);
    if (m === 0) m = Math.abs(r.cum);
    if (m > 0 && (minValue === 0 || m < minValue)) minValue = m;
  }
  const maxValue = total;
  if (minValue === 0) minValue = maxValue;
  const minUnit = scale(minValue, sampleUnit, "minimum").unit;
  const maxUnit = scale(maxValue, sampleUnit, "minimum").unit;
  let unit = minUnit;
  if (minUnit !== maxUnit && minValue * 100 < maxValue) unit = scale(100 * minValue, sampleUnit, "minimum").unit;
  return unit === "" ? sampleUnit : unit;
}
