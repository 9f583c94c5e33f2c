// pprof's regexps are Go's (RE2 syntax, unanchored search). The page runs
// them as JavaScript RegExps after translating what the two spell
// differently; what has no JavaScript form is an error that says so.

// RE2 -> JavaScript: leading (?flags), \A \z, (?P<name>, [[:class:]], \Q..\E.
const POSIX = {
  alnum: "0-9A-Za-z", alpha: "A-Za-z", ascii: "\\x00-\\x7f", blank: "\\t ", cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9", graph: "!-~", lower: "a-z", print: " -~", punct: "!-\\/:-@\\[-`{-~", space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z", word: "0-9A-Za-z_", xdigit: "0-9A-Fa-f",
};

function escapeLiteral(s) {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

// A Go regexp as a JavaScript RegExp; throws Error("...") on what cannot be translated or parsed.
export function compileRegex(pattern) {
  let flags = "";
  let src = pattern;
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    if (m[1].includes("U")) throw new Error("the (?U) flag is not supported in the page");
    for (const f of m[1]) if (!flags.includes(f)) flags += f;
    src = src.slice(m[0].length);
  }
  let out = "";
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\" && i + 1 < src.length) {
      const n = src[i + 1];
      if (n === "A") { out += "^"; i++; continue; }
      if (n === "z") { out += "$(?![\\s\\S])"; i++; continue; }
      if (n === "Q") {
        const end = src.indexOf("\\E", i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        out += escapeLiteral(lit);
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (n === "C" || n === "p" || n === "P") throw new Error(`\\${n} is not supported in the page`);
      out += c + n;
      i++;
      continue;
    }
    if (c === "(" && src.startsWith("(?P<", i)) { out += "(?<"; i += 3; continue; }
    if (c === "[" && src[i + 1] === "[" && src[i + 2] === ":") {
      // [[:alpha:]] as a whole class only (the common spelling).
      const close = src.indexOf(":]]", i);
      const name = close > 0 ? src.slice(i + 3, close) : "";
      if (POSIX[name]) { out += "[" + POSIX[name] + "]"; i = close + 2; continue; }
    }
    if (c === "[" && src.startsWith("[:", i + 1)) {
      const close = src.indexOf(":]", i + 2);
      const name = close > 0 ? src.slice(i + 3, close) : "";
      if (POSIX[name]) { out += "[" + POSIX[name]; i = close + 1; continue; }
    }
    out += c;
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new Error(String(e.message || e).replace(/^Invalid regular expression: /, ""));
  }
}

// The regexp that matches exactly this function name (what refining on a frame uses, as pprof's UI).
export function exactName(name) {
  return "^" + escapeLiteral(name) + "$";
}
