// Interaction model of flamegraph.pl/inferno: click to zoom (ancestors stay
// as dimmed full-width bars), Reset Zoom, regex search with an overlap-aware
// "Matched" share over every sample (the drawn frames and the <metadata>
// record of those not drawn, svg.cc's append_search_data; a bound, said so,
// where the record is incomplete), ic toggle, details on hover, zoom and
// search in the URL. A tall graph opens at its root and keeps its header and
// footer in view while it scrolls.
// Frames carry data-x/data-w in value units; text is monospace (fixed 0.6 em
// per character) so refitting labels needs no text measurement. An image may
// hold several panes (g.frames: the sandwich view's callers and callees);
// each zooms on its own, search covers all.
#include "svg_script.h"

namespace pprofx::render {

const std::string_view kFlameStyle = R"CSS(
text { font-family: monospace; font-size: 12px; fill: #000; }
#title { text-anchor: middle; font-size: 17px; }
#subtitle, #note { text-anchor: middle; fill: #555; }
.frames > g { cursor: pointer; }
.frames > g:hover > rect { stroke: #000; stroke-width: 0.5; }
.frames > g.inl > rect { stroke: #333; stroke-width: 0.7; stroke-dasharray: 3 2; }
.frames text { pointer-events: none; }
.hide { display: none; }
.parent { opacity: 0.5; }
.button { cursor: pointer; fill: #555; }
.button:hover, .button.on { fill: #000; font-weight: bold; }
.end { text-anchor: end; }
)CSS";

const std::string_view kFlameScript = R"JS(
"use strict";
var panes = [], frames, details, matched, searchbtn, unzoombtn, icbtn, header, footer, svgroot;
var W, H, xpad, rowh, charw, searchColor = "rgb(230,0,230)";
var ignorecase = false, currentSearch = null;
function init() {
  details = document.getElementById("details");
  matched = document.getElementById("matched");
  searchbtn = document.getElementById("search");
  unzoombtn = document.getElementById("unzoom");
  icbtn = document.getElementById("ignorecase");
  header = document.getElementById("header");
  footer = document.getElementById("footer");
  svgroot = document.documentElement;
  var groups = document.querySelectorAll("g.frames");
  frames = groups[0];
  for (var i = 0; i < groups.length; i++) {
    var d = groups[i].dataset;
    W = +d.width; H = +d.height; xpad = +d.xpad; rowh = +d.rowh; charw = +d.charw;
    var pane = { el: groups[i], total: +d.total, origin: +d.origin, inverted: d.inverted === "1",
                 skipRoot: d.skiproot === "1", zoomed: null, tree: null };
    groups[i].pane = pane;
    panes.push(pane);
    groups[i].addEventListener("click", function (e) {
      var g = frameOf(e.target);
      if (g) { zoom(g); saveState(); }
    });
    groups[i].addEventListener("mouseover", function (e) {
      var g = frameOf(e.target);
      if (g) showDetails(g.querySelector("title").textContent.replace(/\n/g, "  |  "));
    });
    groups[i].addEventListener("mouseout", function () { details.textContent = " "; });
  }
  unzoombtn.addEventListener("click", function () { unzoom(); saveState(); });
  searchbtn.addEventListener("click", function () {
    if (currentSearch === null) {
      var term = prompt("Search for (regexp, e.g. ^runtime\\.):", "");
      if (term) { search(term); saveState(); }
    } else { resetSearch(); saveState(); }
  });
  icbtn.addEventListener("click", function () {
    ignorecase = !ignorecase;
    icbtn.classList.toggle("on", ignorecase);
    if (currentSearch !== null) search(currentSearch);
  });
  window.addEventListener("keydown", function (e) {
    if ((e.ctrlKey && e.key === "f") || e.key === "F3") { e.preventDefault(); searchbtn.dispatchEvent(new MouseEvent("click")); }
    else if (e.ctrlKey && e.key === "i") { e.preventDefault(); icbtn.dispatchEvent(new MouseEvent("click")); }
    else if (e.key === "Escape") { unzoom(); resetSearch(); saveState(); }
  });
  restoreState();
  window.addEventListener("scroll", stick);
  window.addEventListener("resize", stick);
  openAtRoot();
  stick();
}
// A standalone SVG taller than the window opens where the graph is: at the
// root of a flame graph (the bottom), at the function of a sandwich; an
// icicle's root is at the top already.
function openAtRoot() {
  if (svgroot.tagName.toLowerCase() !== "svg" || svgroot !== frames.ownerSVGElement) return;
  var m = svgroot.getScreenCTM();
  if (!m || H * m.d <= window.innerHeight) return;
  var p = panes[0], target;
  if (panes.length > 1) target = p.origin + rowh / 2;  // the function's row between the panes
  else if (!p.inverted) target = H;
  else return;
  window.scrollTo(0, Math.max(0, target * m.d + m.f + window.scrollY - (panes.length > 1 ? window.innerHeight / 2 : window.innerHeight)));
}
// The header (title, buttons) and the footer (details, matched) stay in view while the graph scrolls.
function stick() {
  if (!header || !footer || svgroot !== frames.ownerSVGElement) return;
  var m = svgroot.getScreenCTM();
  if (!m || !(m.d > 0)) return;
  var top = -m.f / m.d, bottom = (window.innerHeight - m.f) / m.d;
  top = Math.max(0, Math.min(top, H));
  var up = Math.min(0, Math.max(bottom, 0) - H);
  header.setAttribute("transform", top > 0 ? "translate(0," + top.toFixed(1) + ")" : "");
  footer.setAttribute("transform", up < 0 ? "translate(0," + up.toFixed(1) + ")" : "");
}
// The details line, cut at the right (" ..") to end before the matched line.
function showDetails(text) {
  var room = W - 2 * xpad - (matched.textContent.trim() ? matched.getComputedTextLength() + 2 * charw : 0);
  var chars = Array.from(text), n = Math.max(0, Math.floor(room / charw) - 1);
  details.textContent = chars.length <= n ? text : chars.slice(0, Math.max(0, n - 3)).join("") + " ..";
  for (var i = 0; i < 20 && details.getComputedTextLength() > room && n > 3; i++) {
    n = Math.floor(n * 0.9);
    details.textContent = chars.slice(0, n - 3).join("") + " ..";
  }
}
function frameOf(el) {
  while (el && !(el.parentNode && el.parentNode.pane)) el = el.parentNode;
  return el || null;
}
function nameOf(g) { return g.querySelector("title").textContent.split("\n")[0]; }
function depthOf(r, pane) {
  var y = +r.getAttribute("y");
  return Math.round(pane.inverted ? (y - pane.origin) / rowh : (pane.origin - y) / rowh);
}
// The label that fits in w px: the name, else its short name, else the
// short name cut at the right with "..". The same as text.cc's fit_label and
// short_name (tests/browser/search_matcher_test.js runs both on one table).
function fit(name, w) {
  var n = Math.floor((w - 6) / charw);
  if (Array.from(name).length <= n) return name;
  var chars = Array.from(shortName(name));
  if (chars.length <= n) return chars.join("");
  return n < 6 ? "" : chars.slice(0, n - 2).join("") + "..";
}
function lowerStart(c) { return (c >= "a" && c <= "z") || c === "_"; }
function identChar(c) { return /^[A-Za-z0-9_-]$/.test(c); }
function baseOf(t) {
  var slash = Math.max(t.lastIndexOf("/"), t.lastIndexOf("\\"));
  return slash < 0 || slash + 1 === t.length ? t : t.substr(slash + 1);
}
function isLocation(t) {
  if (!t || /[()<>\[\]{}]/.test(t)) return false;
  if (/[\/\\]/.test(t)) return true;
  var colon = t.lastIndexOf(":");
  if (colon <= 0 || colon + 1 === t.length || !/^[0-9]+$/.test(t.substr(colon + 1))) return false;
  return t.substr(0, colon).indexOf(".") >= 0;
}
function isPath(t) {
  if (!t || t.indexOf(" ") >= 0 || /[()<>\[\]{}]/.test(t)) return false;
  if (t[0] === "/" || t[0] === "\\" || t.substr(0, 2) === "./" || t.substr(0, 3) === "../") return true;
  if (t.indexOf("/") < 0) return false;
  var last = baseOf(t), dot = last.lastIndexOf(".");
  return dot > 0 && /^[a-z0-9]{1,4}$/.test(last.substr(dot + 1));
}
function headEnd(f) {
  var m = /[(\[<{ ]/.exec(f);
  return m ? m.index : f.length;
}
function shortFunction(f) {
  var anon = "(anonymous namespace)::";
  if (f.substr(0, anon.length) === anon && f.length > anon.length) f = f.substr(anon.length);
  var head = headEnd(f), slash = f.substr(0, head).lastIndexOf("/");
  if (slash >= 0 && slash + 1 < f.length) f = f.substr(slash + 1);
  head = headEnd(f);
  var i, at;
  if (f.substr(0, head).indexOf("::") >= 0) {
    for (at = 0; ;) {
      i = at;
      if (i >= f.length || !lowerStart(f[i])) break;
      while (i < f.length && identChar(f[i]) && f[i] !== "-") i++;
      if (f.substr(i, 2) !== "::" || i + 2 >= f.length) break;
      at = i + 2;
    }
    return f.substr(at);
  }
  var firstEnd = 0, allEnd = 0;
  for (at = 0; ;) {
    i = at;
    if (i >= head || !lowerStart(f[i])) break;
    while (i < head && identChar(f[i])) i++;
    if (i >= head || f[i] !== "." || i + 1 >= f.length) break;
    at = i + 1;
    if (firstEnd === 0) firstEnd = at;
    allEnd = at;
  }
  if (firstEnd === 0) return f;
  return lowerStart(f[allEnd]) ? f.substr(firstEnd) : f.substr(allEnd);
}
function shortName(s) {
  var out = "", m = /^[0-9a-f]{8,} /.exec(s);
  if (m) {
    var hex = m[0].length - 1, z = 0;
    while (z + 1 < hex && s[z] === "0") z++;
    out = s.substr(z, hex - z) + " ";
    s = s.substr(hex + 1);
  }
  var loc = "", space = s.lastIndexOf(" ");
  if (space > 0 && isLocation(s.substr(space + 1))) {
    loc = baseOf(s.substr(space + 1));
    s = s.substr(0, space);
  }
  out += isPath(s) ? baseOf(s) : shortFunction(s);
  return loc ? out + " " + loc : out;
}
function place(g, x, w) {
  var r = g.querySelector("rect");
  r.setAttribute("x", x.toFixed(2));
  r.setAttribute("width", w.toFixed(2));
  var t = g.querySelector("text");
  var label = fit(nameOf(g), w);
  if (!t) {
    if (!label) return;
    t = document.createElementNS("http://www.w3.org/2000/svg", "text");
    t.setAttribute("y", (+r.getAttribute("y") + rowh * 0.72).toFixed(1));
    g.appendChild(t);
  }
  t.setAttribute("x", (x + 3).toFixed(2));
  t.textContent = label;
}
function zoom(g) {
  var pane = g.parentNode.pane;
  var zr = g.querySelector("rect");
  var zx = +zr.dataset.x, zw = +zr.dataset.w, zd = depthOf(zr, pane);
  if (!(zw > 0)) return;
  var scale = (W - 2 * xpad) / zw;
  pane.zoomed = g;
  unzoombtn.classList.remove("hide");
  for (var e = pane.el.firstElementChild; e; e = e.nextElementSibling) {
    var r = e.querySelector("rect");
    var x = +r.dataset.x, w = +r.dataset.w, d = depthOf(r, pane);
    e.classList.remove("parent", "hide");
    if (d < zd && x <= zx && x + w >= zx + zw) {
      e.classList.add("parent");
      place(e, xpad, W - 2 * xpad);
    } else if (d >= zd && x >= zx && x + w <= zx + zw) {
      place(e, xpad + (x - zx) * scale, w * scale);
    } else {
      e.classList.add("hide");
    }
  }
  if (currentSearch !== null) search(currentSearch);
}
function unzoom() {
  unzoombtn.classList.add("hide");
  panes.forEach(function (pane) {
    pane.zoomed = null;
    var scale = (W - 2 * xpad) / pane.total;
    for (var e = pane.el.firstElementChild; e; e = e.nextElementSibling) {
      var r = e.querySelector("rect");
      e.classList.remove("parent", "hide");
      place(e, xpad + r.dataset.x * scale, r.dataset.w * scale);
    }
  });
  if (currentSearch !== null) search(currentSearch);
}
function search(term) {
  var re;
  try { re = compileSearch(term, ignorecase); } catch (err) { matched.textContent = "Bad regexp: " + err.message; return; }
  try { searchWith(term, re); } catch (err) {
    if (!(err instanceof SearchError)) throw err;
    resetSearch();
    matched.textContent = "Bad regexp: " + err.message;
  }
}
// The pane's tree for the search: its drawn boxes (in layout order, a
// sandwich's undrawn root first) with their parents, and svg.cc's record
// of the frames not drawn hung under them.
function paneTree(pane) {
  if (pane.tree) return pane.tree;
  var meta = document.getElementById("search-" + pane.el.id);
  var d = meta ? JSON.parse(meta.textContent) : null;
  var els = [], depth = [], w = [], names = [];
  if (pane.skipRoot) { els.push(null); depth.push(0); w.push(pane.total); names.push(null); }
  for (var e = pane.el.firstElementChild; e; e = e.nextElementSibling) {
    var r = e.querySelector("rect");
    e.boxIndex = els.length;
    els.push(e); depth.push(depthOf(r, pane)); w.push(+r.dataset.w); names.push(nameOf(e));
  }
  var nb = els.length, parent = new Int32Array(nb), stack = [];
  for (var i = 0; i < nb; i++) {
    while (stack.length && depth[stack[stack.length - 1]] >= depth[i]) stack.pop();
    parent[i] = stack.length ? stack[stack.length - 1] : -1;
    stack.push(i);
  }
  if (!d || d.k.length !== nb) {  // no record: nothing undrawn is known
    d = { g: 1, lim: 0, k: [], u: [], t: "", names: [], unknown: true };
    for (i = 0; i < nb; i++) { d.k.push(0); d.u.push(0); }
  }
  // The recorded frames (svg.cc's append_number): kids, partial, name, self.
  var text = d.t, digit = new Int8Array(128).fill(-1), pos = 0, ne = 0;
  for (i = 0; i < kDigits.length; i++) digit[kDigits.charCodeAt(i)] = i;
  function readNumber() {
    var v = 0, mul = 1, x;
    while ((x = digit[text.charCodeAt(pos++)]) >= 44) { v += (x - 44) * mul; mul *= 45; }
    if (x < 0) throw new Error("bad search record");
    return v + x * mul;
  }
  var cap = text.length >> 1, kids = new Int32Array(cap), partial = new Uint8Array(cap), nm = new Int32Array(cap),
      self = new Float64Array(cap);
  while (pos < text.length) {
    var head = readNumber();
    kids[ne] = Math.floor(head / 4); partial[ne] = head & 2 ? 1 : 0;
    nm[ne] = readNumber();
    self[ne] = head & 1 ? readNumber() * d.g : 0;
    ne++;
  }
  var up = new Int32Array(ne), ids = new Int32Array(ne + 2), left = new Int32Array(ne + 2), p = 0;
  for (i = 0; i < nb; i++) {
    var top = 0;
    ids[0] = i; left[0] = d.k[i];
    while (top >= 0) {
      if (left[top] === 0) { top--; continue; }
      left[top]--;
      var node = p++;
      up[node] = ids[top];
      if (kids[node] > 0) { top++; ids[top] = nb + node; left[top] = kids[node]; }
    }
  }
  d.ne = ne; d.partial = partial; d.nm = nm; d.self = self;
  pane.tree = { els: els, w: w, names: names, parent: parent, d: d, up: up, nb: nb };
  return pane.tree;
}
// The share of the pane (or of its zoomed frame) on stacks with a frame
// whose name matches: each sample once, a match under a match not again.
// lo counts what surely matches; hi adds what lies under frames whose
// callees the record does not hold and might match (hi === lo: exact).
function paneShare(pane, re) {
  var t = paneTree(pane), d = t.d, g = d.g, nb = t.nb, ne = d.ne;
  var nameHit = new Uint8Array(d.names.length);
  for (var j = 0; j < d.names.length; j++) nameHit[j] = re.test(d.names[j]) ? 1 : 0;
  var M = new Float64Array(nb + ne), U = new Float64Array(nb + ne), T = new Float64Array(nb + ne);
  for (j = ne - 1; j >= 0; j--) {
    var id = nb + j, s = d.self[j], tot = T[id] + s, par = t.up[j], m, u;
    if (nameHit[d.nm[j]]) { m = tot; u = 0; } else { m = M[id]; u = U[id] + (d.partial[j] ? s : 0); }
    T[par] += tot; M[par] += m; U[par] += u;
  }
  var FM = new Float64Array(nb), FU = new Float64Array(nb);
  for (var i = nb - 1; i >= 0; i--) {
    if (t.els[i] && re.test(t.names[i])) { FM[i] = t.w[i]; FU[i] = 0; }
    else { FM[i] = M[i]; FU[i] = U[i] + d.u[i] * g + (d.unknown ? Math.max(0, t.w[i] - T[i]) : 0); }
    if (t.parent[i] >= 0) { M[t.parent[i]] += FM[i]; U[t.parent[i]] += FU[i]; T[t.parent[i]] += t.w[i]; }
  }
  var at = pane.zoomed ? pane.zoomed.boxIndex : 0, span = t.w[at], lo = FM[at], hi = FU[at];
  return { lo: span > 0 ? 100 * lo / span : 0, hi: span > 0 ? 100 * (lo + hi) / span : 0, exact: hi === 0,
           lim: span > 0 ? 100 * d.lim / span : 0 };
}
var kDigits = "!#$%'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
function pct(v) { return v.toFixed(2) + "%"; }
function shareText(sh) { return sh.exact ? pct(sh.lo) : "\u2265 " + pct(sh.lo) + " \u2264 " + pct(sh.hi); }
function searchWith(term, re) {
  currentSearch = term;
  searchbtn.textContent = "Reset Search";
  searchbtn.classList.add("on");
  var shares = panes.map(function (pane) {
    for (var e = pane.el.firstElementChild; e; e = e.nextElementSibling) {
      var r = e.querySelector("rect");
      if (!r.dataset.fill) r.dataset.fill = r.getAttribute("fill");
      r.setAttribute("fill", re.test(nameOf(e)) ? searchColor : r.dataset.fill);
    }
    return paneShare(pane, re);
  });
  var zoomedAny = panes.some(function (p) { return p.zoomed; });
  var text = panes.length === 1 ? "Matched: " + shareText(shares[0]) + (zoomedAny ? " of the zoomed frame" : "")
                                : "Matched: callers " + shareText(shares[0]) + ", callees " + shareText(shares[1]);
  var inexact = shares.filter(function (sh) { return !sh.exact; });
  var note = inexact.length ? " (callees of frames under " +
      Math.max.apply(null, inexact.map(function (sh) { return sh.lim; })).toPrecision(2) + "% not searched)" : "";
  matched.textContent = text + note;
  if (matched.getComputedTextLength() > W - 2 * xpad) matched.textContent = text;  // the numbers, and "\u2265" if a bound
  matched.dataset.pct = shares[0].lo.toFixed(4);
  matched.dataset.pctMax = shares[0].hi.toFixed(4);
  matched.dataset.exact = shares.every(function (sh) { return sh.exact; }) ? "1" : "0";
  matched.dataset.pcts = shares.map(function (p) { return p.lo.toFixed(4); }).join(",");
  matched.dataset.pctsMax = shares.map(function (p) { return p.hi.toFixed(4); }).join(",");
}
// The search's regexp runs on a Pike VM (a Thompson NFA simulated in step
// with the text), so its time is linear in the text for any pattern, and a
// search's whole work is capped: no link (?s=) or typed pattern can hang the
// page. It takes the syntax of JavaScript regexps without the u flag, minus
// backreferences and lookaround, with the same matches (test(), case folding
// under "ic"); JavaScript's own parser rejects invalid patterns first.
var kMaxPattern = 1000, kMaxProgram = 5000, kMaxSteps = 2e8;
function SearchError(message) { this.message = message; }
function canon(c) {
  var u = c.toUpperCase();
  return u.length !== 1 || (c.charCodeAt(0) >= 128 && u.charCodeAt(0) < 128) ? c : u;
}
function compileSearch(src, ic) {
  new RegExp(src, ic ? "i" : "");  // JavaScript's syntax errors and messages
  if (src.length > kMaxPattern) throw new SearchError("longer than " + kMaxPattern + " characters");
  var pos = 0, prog = [], steps = 0;
  var digit = /[0-9]/, word = /[A-Za-z0-9_]/, space = /\s/;
  function peek() { return src.charAt(pos); }
  function unsupported(what) { throw new SearchError(what + " not supported in searches"); }
  function single(c) {
    return ic ? function (x) { return x === c || canon(x) === canon(c); } : function (x) { return x === c; };
  }
  function hex(n) {
    var h = src.substr(pos, n);
    if (h.length === n && /^[0-9A-Fa-f]+$/.test(h)) { pos += n; return String.fromCharCode(parseInt(h, 16)); }
    return null;
  }
  // One escape after "\": a character, or {test} for \d \w \s and their negations.
  function escape(inClass) {
    var e = src.charAt(pos++), t;
    var classes = { d: digit, w: word, s: space };
    if (classes[e.toLowerCase()]) {
      var re = classes[e.toLowerCase()], neg = e !== e.toLowerCase();
      return { test: function (x) { return re.test(x) !== neg; } };
    }
    var plain = { t: "\t", n: "\n", r: "\r", v: "\v", f: "\f" };
    if (plain[e]) return plain[e];
    if (e === "b" && inClass) return "\b";
    if (e === "0" && !digit.test(peek())) return "\0";
    if (digit.test(e)) unsupported("backreference \\" + e);
    if (e === "k" || e === "c") unsupported("\\" + e);
    if (e === "x" && (t = hex(2)) !== null) return t;
    if (e === "u" && (t = hex(4)) !== null) return t;
    return e;
  }
  function classTest(items, negate) {
    function raw(x) {
      for (var i = 0; i < items.length; i++) {
        var it = items[i];
        if (typeof it === "string" ? x === it : it.test ? it.test(x) : x >= it.lo && x <= it.hi) return true;
      }
      return false;
    }
    return function (x) {
      var hit = raw(x) || (ic && (raw(canon(x)) || raw(x.toLowerCase().length === 1 ? x.toLowerCase() : x)));
      return hit !== negate;
    };
  }
  function parseClass() {
    var negate = peek() === "^", items = [];
    if (negate) pos++;
    while (pos < src.length && peek() !== "]") {
      var a = peek() === "\\" ? (pos++, escape(true)) : src.charAt(pos++);
      if (typeof a === "string" && peek() === "-" && src.charAt(pos + 1) !== "]" && pos + 1 < src.length) {
        pos++;
        var b = peek() === "\\" ? (pos++, escape(true)) : src.charAt(pos++);
        if (typeof b === "string") { items.push({ lo: a, hi: b }); continue; }
        items.push(a, "-", b);
        continue;
      }
      items.push(a);
    }
    pos++;  // "]"
    return { t: "char", test: classTest(items, negate) };
  }
  function parseAtom() {
    var c = src.charAt(pos++);
    if (c === "(") {
      if (src.substr(pos, 2) === "?:") pos += 2;
      else if (src.substr(pos, 2) === "?<" && "=!".indexOf(src.charAt(pos + 2)) < 0) pos = src.indexOf(">", pos) + 1;
      else if (peek() === "?") unsupported("lookaround");
      var x = parseAlt();
      pos++;  // ")"
      return x;
    }
    if (c === "[") return parseClass();
    if (c === ".") return { t: "char", test: function (x) { return "\n\r\u2028\u2029".indexOf(x) < 0; } };
    if (c === "^") return { t: "bol" };
    if (c === "$") return { t: "eol" };
    if (c === "\\") {
      var w = peek();
      if (w === "b" || w === "B") { pos++; return { t: w === "b" ? "wb" : "nwb" }; }
      var e = escape(false);
      return { t: "char", test: typeof e === "string" ? single(e) : e.test };
    }
    return { t: "char", test: single(c) };
  }
  function parseQuant() {
    var x = parseAtom();
    for (;;) {
      var c = peek(), q = null, m;
      if (c === "*") q = [0, Infinity];
      else if (c === "+") q = [1, Infinity];
      else if (c === "?") q = [0, 1];
      else if (c === "{" && (m = /^\{(\d+)(,(\d*))?\}/.exec(src.substr(pos)))) {
        q = [+m[1], m[2] ? (m[3] ? +m[3] : Infinity) : +m[1]];
        pos += m[0].length - 1;
      }
      if (!q) return x;
      pos++;
      if (peek() === "?") pos++;  // lazy: the same matches for test()
      x = { t: "rep", min: q[0], max: q[1], x: x };
    }
  }
  function parseCat() {
    var a = [];
    while (pos < src.length && peek() !== "|" && peek() !== ")") a.push(parseQuant());
    return { t: "cat", a: a };
  }
  function parseAlt() {
    var a = [parseCat()];
    while (peek() === "|") { pos++; a.push(parseCat()); }
    return a.length === 1 ? a[0] : { t: "alt", a: a };
  }
  function tooLarge() {
    throw new SearchError("too large (more than " + kMaxProgram + " steps once repetitions are expanded)");
  }
  function emit(ins) {
    if (prog.length >= kMaxProgram) tooLarge();
    prog.push(ins);
    return ins;
  }
  function gen(n) {
    var i, ends = [];
    if (n.t === "char") emit({ op: "char", test: n.test });
    else if (n.t === "bol" || n.t === "eol" || n.t === "wb" || n.t === "nwb") emit({ op: n.t });
    else if (n.t === "cat") n.a.forEach(gen);
    else if (n.t === "alt") {
      for (i = 0; i < n.a.length; i++) {
        var split = i + 1 < n.a.length ? emit({ op: "split", x: prog.length + 1 }) : null;
        gen(n.a[i]);
        if (split) { ends.push(emit({ op: "jmp" })); split.y = prog.length; }
      }
      ends.forEach(function (j) { j.x = prog.length; });
    } else {  // rep
      if (n.min > kMaxProgram || (n.max !== Infinity && n.max > kMaxProgram)) tooLarge();
      for (i = 0; i < n.min; i++) gen(n.x);
      if (n.max === Infinity) {
        var at = prog.length, loop = emit({ op: "split", x: at + 1 });
        gen(n.x);
        emit({ op: "jmp", x: at });
        loop.y = prog.length;
      } else {
        for (i = n.min; i < n.max; i++) {
          ends.push(emit({ op: "split", x: prog.length + 1 }));
          gen(n.x);
        }
        ends.forEach(function (s) { s.y = prog.length; });
      }
    }
  }
  gen(parseAlt());
  emit({ op: "match" });
  // Thread lists and the closure's stack in typed arrays: a pc enters a list
  // once per step (mark), and pushes at most two pcs when it does.
  var n = prog.length, mark = new Int32Array(n), generation = 0;
  var lists = [new Int32Array(n), new Int32Array(n)], sizes = [0, 0], stack = new Int32Array(2 * n + 1);
  function isWord(x) { return x !== "" && word.test(x); }
  function add(l, pc, text, i) {
    var list = lists[l], size = sizes[l], top = 0;
    stack[top++] = pc;
    steps += 1;
    while (top > 0) {
      pc = stack[--top];
      if (mark[pc] === generation) continue;
      mark[pc] = generation;
      steps++;
      var ins = prog[pc], op = ins.op;
      if (op === "jmp") stack[top++] = ins.x;
      else if (op === "split") { stack[top++] = ins.y; stack[top++] = ins.x; }
      else if (op === "bol") { if (i === 0) stack[top++] = pc + 1; }
      else if (op === "eol") { if (i === text.length) stack[top++] = pc + 1; }
      else if (op === "wb" || op === "nwb") {
        if ((isWord(text.charAt(i - 1)) !== isWord(text.charAt(i))) === (op === "wb")) stack[top++] = pc + 1;
      } else list[size++] = pc;
    }
    sizes[l] = size;
  }
  function test(text) {
    var cur = 0;
    generation++;
    sizes[0] = 0;
    add(0, 0, text, 0);
    for (var i = 0; ; i++) {
      var c = text.charAt(i), clist = lists[cur], csize = sizes[cur], next = 1 - cur;
      if ((steps += csize) > kMaxSteps) throw new SearchError("stopped: too much work for this graph");
      generation++;
      sizes[next] = 0;
      for (var k = 0; k < csize; k++) {
        var ins = prog[clist[k]];
        if (ins.op === "match") return true;
        if (i < text.length && ins.test(c)) add(next, clist[k] + 1, text, i + 1);
      }
      if (i >= text.length) return false;
      add(next, 0, text, i + 1);
      cur = next;
    }
  }
  var memo = new Map();
  return {
    test: function (text) {
      if (!memo.has(text)) memo.set(text, test(text));
      return memo.get(text);
    }
  };
}
function resetSearch() {
  currentSearch = null;
  searchbtn.textContent = "Search";
  searchbtn.classList.remove("on");
  matched.textContent = " ";
  ["pct", "pctMax", "exact", "pcts", "pctsMax"].forEach(function (k) { delete matched.dataset[k]; });
  panes.forEach(function (pane) {
    for (var e = pane.el.firstElementChild; e; e = e.nextElementSibling) {
      var r = e.querySelector("rect");
      if (r.dataset.fill) r.setAttribute("fill", r.dataset.fill);
    }
  });
}
function saveState() {
  var params = new URLSearchParams();
  panes.forEach(function (pane, i) {
    if (!pane.zoomed) return;
    var r = pane.zoomed.querySelector("rect");
    var suffix = i === 0 ? "" : String(i + 1);
    params.set("x" + suffix, r.dataset.x);
    params.set("y" + suffix, depthOf(r, pane));
  });
  if (currentSearch !== null) params.set("s", currentSearch);
  var q = params.toString();
  try { history.replaceState(null, "", q ? "?" + q : location.pathname); } catch (err) { /* e.g. some file: viewers */ }
}
function restoreState() {
  var params = new URLSearchParams(location.search);
  panes.forEach(function (pane, i) {
    var suffix = i === 0 ? "" : String(i + 1);
    if (!params.has("x" + suffix)) return;
    var x = params.get("x" + suffix), y = +params.get("y" + suffix);
    for (var e = pane.el.firstElementChild; e; e = e.nextElementSibling) {
      var r = e.querySelector("rect");
      if (r.dataset.x === x && depthOf(r, pane) === y) { zoom(e); break; }
    }
  });
  if (params.has("s")) search(params.get("s"));
}
)JS";

}  // namespace pprofx::render
