// cargo-truecov HTML report: sortable tables, keyboard navigation, the verdict filter of the
// tests page, and the panel that lists the tests (with verdicts) that ran a source line.
"use strict";

function cellValue(row, index, numeric) {
  const cell = row.cells[index];
  if (!cell) return numeric ? -Infinity : "";
  const raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
  return numeric ? parseFloat(raw) : raw.toLowerCase();
}

function sortBy(table, th) {
  const index = Array.prototype.indexOf.call(th.parentNode.children, th);
  const numeric = th.dataset.type === "num";
  const ascending = th.getAttribute("aria-sort") !== "ascending";
  for (const other of th.parentNode.children) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = cellValue(a, index, numeric);
    const y = cellValue(b, index, numeric);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return ascending ? order : -order;
  });
  for (const row of rows) body.appendChild(row);
}

function focusables(row) {
  return Array.from(row.querySelectorAll("a, button, [tabindex]"));
}

// Up/Down move to the same link of the previous/next visible row, Home/End to the first/last.
function tableKeys(event) {
  const row = event.target.closest("tbody tr");
  if (!row) return;
  const rows = Array.from(row.parentNode.rows).filter((r) => !r.hidden && focusables(r).length);
  const at = rows.indexOf(row);
  let next = null;
  if (event.key === "ArrowDown") next = rows[at + 1];
  else if (event.key === "ArrowUp") next = rows[at - 1];
  else if (event.key === "Home" && event.ctrlKey) next = rows[0];
  else if (event.key === "End" && event.ctrlKey) next = rows[rows.length - 1];
  if (!next) return;
  const column = Math.max(0, focusables(row).indexOf(event.target));
  const targets = focusables(next);
  (targets[column] || targets[0]).focus();
  event.preventDefault();
}

function setUpTables() {
  for (const table of document.querySelectorAll("table.sortable")) {
    for (const th of table.tHead.rows[0].cells) {
      const button = th.querySelector("button");
      if (button) button.addEventListener("click", () => sortBy(table, th));
    }
  }
  for (const table of document.querySelectorAll("table.data, table.src")) {
    table.addEventListener("keydown", tableKeys);
  }
}

function setUpFilter() {
  const select = document.getElementById("verdict-filter");
  if (!select) return;
  const rows = document.querySelectorAll("#tests tbody tr");
  const apply = () => {
    for (const row of rows) row.hidden = select.value !== "" && row.dataset.verdict !== select.value;
  };
  select.addEventListener("change", apply);
  apply();
}

function element(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function badge(verdict) {
  return element("span", { class: "badge v-" + verdict }, verdict.replace("_", "-"));
}

function testItem(data, index) {
  const t = data.tests[index];
  const li = element("li");
  if (!t) {
    li.textContent = "test #" + index;
    return li;
  }
  li.appendChild(element("a", { href: t.href }, t.name));
  li.appendChild(document.createTextNode(" "));
  li.appendChild(badge(t.verdict));
  if (t.outcome && t.outcome !== "passed") li.appendChild(document.createTextNode(" " + t.outcome));
  return li;
}

function showLine(data, panel, line) {
  const row = document.getElementById("L" + line);
  for (const selected of document.querySelectorAll("tr.selected")) selected.classList.remove("selected");
  if (!row) {
    panel.hidden = true;
    return;
  }
  row.classList.add("selected");
  const tests = (row.dataset.t || "").split(" ").filter((s) => s !== "");
  const sites = data.sites[line] || [];
  const body = panel.querySelector(".body");
  body.replaceChildren();
  const heading = tests.length === 0
    ? "Line " + line + ": " + (row.dataset.state || "not library code")
    : "Line " + line + ": executed by " + tests.length + (tests.length === 1 ? " test" : " tests");
  body.appendChild(element("h2", {}, heading));
  if (tests.length) {
    const list = element("ul", { class: "line-tests" });
    for (const t of tests) list.appendChild(testItem(data, t));
    body.appendChild(list);
  }
  for (const site of sites) {
    body.appendChild(element("p", {}, "Error site `" + site.text + "` (" + site.kind + "): " + site.state));
    if (site.checked_by.length) {
      body.appendChild(element("p", {}, "checked by:"));
      const list = element("ul");
      for (const t of site.checked_by) list.appendChild(testItem(data, t));
      body.appendChild(list);
    }
  }
  panel.hidden = false;
}

function setUpSource() {
  const source = document.getElementById("line-data");
  const panel = document.getElementById("line-panel");
  if (!source || !panel) return;
  const data = JSON.parse(source.textContent);
  const fromHash = () => {
    const m = /^#L(\d+)$/.exec(location.hash);
    if (m) showLine(data, panel, m[1]);
    else panel.hidden = true;
  };
  window.addEventListener("hashchange", fromHash);
  document.querySelector("table.src").addEventListener("click", (event) => {
    const row = event.target.closest("tr[id]");
    if (row && !event.target.closest("a")) location.hash = row.id;
  });
  const close = () => {
    panel.hidden = true;
    history.replaceState(null, "", location.pathname + location.search);
    for (const selected of document.querySelectorAll("tr.selected")) selected.classList.remove("selected");
  };
  panel.querySelector("button.close").addEventListener("click", close);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) close();
  });
  fromHash();
}

document.addEventListener("DOMContentLoaded", () => {
  setUpTables();
  setUpFilter();
  setUpSource();
});
