// The tables: top (the rows of `pprofx top`), labels (each key's values with
// their shares). Built with DOM text nodes only: names are never parsed as HTML.

export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// table: topTable's result; o: {sort, onSort(key), onSelect(frame), onContext(frame, event), selected}
export function renderTop(container, table, o) {
  container.replaceChildren();
  const pre = el("pre", { class: "header", id: "top-header" }, table.header.join("\n"));
  const head = el("tr", {});
  for (const [key, label] of [["flat", "flat"], ["flat", "flat%"], ["", "sum%"], ["cum", "cum"], ["cum", "cum%"],
    ["name", "name"], ["", ""]]) {
    const th = el("th", key ? { "data-sort": key, class: key === o.sort ? "sorted" : "" } : {}, label);
    if (key) th.addEventListener("click", () => o.onSort(key));
    head.append(th);
  }
  const body = el("tbody", {});
  let rows = table.rows;
  if (o.sort === "name") rows = [...rows].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const r of rows) {
    const tr = el("tr", { "data-frame": String(r.frame), class: r.frame === o.selected ? "selected" : "" },
      el("td", { class: "num" }, r.flatText), el("td", { class: "num" }, r.flatPct.trim()),
      el("td", { class: "num" }, r.sumPct.trim()), el("td", { class: "num" }, r.cumText),
      el("td", { class: "num" }, r.cumPct.trim()), el("td", { class: "name" }, r.name), el("td", { class: "mark" }, r.mark));
    tr.addEventListener("click", () => o.onSelect(r.frame));
    tr.addEventListener("contextmenu", (e) => { e.preventDefault(); o.onContext(r.frame, e); });
    body.append(tr);
  }
  container.append(pre, el("table", { id: "top-table" }, el("thead", {}, head), body));
}

// shares: labelShares' result; o: {total, format(v), percentage(v, total), onKeep(key, value), onDrop(key, value)}
export function renderLabels(container, shares, o) {
  container.replaceChildren();
  if (shares.length === 0) {
    container.append(el("p", { class: "note" }, "The samples shown have no string labels."));
    return;
  }
  for (const { key, values } of shares) {
    const body = el("tbody", {});
    for (const [value, v] of values) {
      const keep = el("button", { class: "keep", title: "--tagfocus: keep only samples with this value" }, "keep");
      const drop = el("button", { class: "drop", title: "--tagignore: drop the samples with this value" }, "drop");
      keep.addEventListener("click", () => o.onKeep(key, value));
      drop.addEventListener("click", () => o.onDrop(key, value));
      body.append(el("tr", {}, el("td", { class: "num" }, o.format(v)),
        el("td", { class: "num" }, o.percentage(v, o.total).trim()), el("td", { class: "name" }, value),
        el("td", {}, keep, drop)));
    }
    container.append(el("h3", {}, key), el("table", { class: "labels", "data-key": key }, body));
  }
}

