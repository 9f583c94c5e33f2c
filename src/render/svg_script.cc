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
  try { re = new RegExp(term, ignorecase ? "i" : ""); } catch (err) { matched.textContent = "Bad regexp: " + err.message; return; }
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
