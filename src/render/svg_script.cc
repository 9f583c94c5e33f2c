// Interaction model of flamegraph.pl/inferno: click to zoom (ancestors stay
// as dimmed full-width bars), Reset Zoom, regex search with an overlap-aware
// "Matched" share, ic toggle, details on hover, zoom and search in the URL.
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
)CSS";

const std::string_view kFlameScript = R"JS(
"use strict";
var panes = [], frames, details, matched, searchbtn, unzoombtn, icbtn;
var W, xpad, rowh, charw, searchColor = "rgb(230,0,230)";
var ignorecase = false, currentSearch = null;
function init() {
  details = document.getElementById("details");
  matched = document.getElementById("matched");
  searchbtn = document.getElementById("search");
  unzoombtn = document.getElementById("unzoom");
  icbtn = document.getElementById("ignorecase");
  var groups = document.querySelectorAll("g.frames");
  frames = groups[0];
  for (var i = 0; i < groups.length; i++) {
    var d = groups[i].dataset;
    W = +d.width; xpad = +d.xpad; rowh = +d.rowh; charw = +d.charw;
    var pane = { el: groups[i], total: +d.total, origin: +d.origin, inverted: d.inverted === "1", zoomed: null };
    groups[i].pane = pane;
    panes.push(pane);
    groups[i].addEventListener("click", function (e) {
      var g = frameOf(e.target);
      if (g) { zoom(g); saveState(); }
    });
    groups[i].addEventListener("mouseover", function (e) {
      var g = frameOf(e.target);
      if (g) details.textContent = g.querySelector("title").textContent.replace(/\n/g, "  |  ");
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
function fit(name, w) {
  var n = Math.floor((w - 6) / charw);
  var chars = Array.from(name);
  if (chars.length <= n) return name;
  return n < 6 ? "" : ".." + chars.slice(chars.length - (n - 2)).join("");
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
function searchWith(term, re) {
  currentSearch = term;
  searchbtn.textContent = "Reset Search";
  searchbtn.classList.add("on");
  var shares = panes.map(function (pane) {
    var base = pane.zoomed ? pane.zoomed.querySelector("rect") : null;
    var lo = base ? +base.dataset.x : 0, span = base ? +base.dataset.w : pane.total;
    var hits = [];
    for (var e = pane.el.firstElementChild; e; e = e.nextElementSibling) {
      var r = e.querySelector("rect");
      if (!r.dataset.fill) r.dataset.fill = r.getAttribute("fill");
      if (re.test(nameOf(e))) {
        r.setAttribute("fill", searchColor);
        var x = +r.dataset.x, w = +r.dataset.w;
        if (!e.classList.contains("hide") && !e.classList.contains("parent") && x >= lo && x + w <= lo + span) hits.push([x, w]);
      } else {
        r.setAttribute("fill", r.dataset.fill);
      }
    }
    // Nested matches would count twice: take each match that starts past the last one counted.
    hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var sum = 0, end = -Infinity;
    for (var i = 0; i < hits.length; i++) {
      if (hits[i][0] >= end) { sum += hits[i][1]; end = hits[i][0] + hits[i][1]; }
    }
    return span > 0 ? 100 * sum / span : 0;
  });
  var zoomedAny = panes.some(function (p) { return p.zoomed; });
  if (panes.length === 1) {
    matched.textContent = "Matched: " + shares[0].toFixed(2) + "%" + (zoomedAny ? " of the zoomed frame" : "");
  } else {
    matched.textContent = "Matched: callers " + shares[0].toFixed(2) + "%, callees " + shares[1].toFixed(2) + "%";
  }
  matched.dataset.pct = shares[0].toFixed(4);
  matched.dataset.pcts = shares.map(function (p) { return p.toFixed(4); }).join(",");
}
// The search's regexp runs on a Pike VM (a Thompson NFA simulated in step
// with the text), so its time is linear in the text for any pattern, and a
// search's whole work is capped: no link (?s=) or typed pattern can hang the
// page. It takes the syntax of JavaScript regexps without the u flag, minus
// backreferences and lookaround, with the same matches (test(), case folding
// under "ic"); JavaScript's own parser rejects invalid patterns first.
var kMaxPattern = 1000, kMaxProgram = 5000, kMaxSteps = 2e7;
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
  delete matched.dataset.pct;
  delete matched.dataset.pcts;
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
