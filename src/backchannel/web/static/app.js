// backchannel web UI: plain SVG and DOM, no library. Uses only the JSON API under /api.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const DAY_MS = 86400000;
const state = { name: null, overview: null, day: null, snapshot: null, path: null, selected: null };

const $ = (id) => document.getElementById(id);
const toDay = (iso) => { const [y, m, d] = iso.split("-").map(Number); return Date.UTC(y, m - 1, d) / DAY_MS; };
const toIso = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const live = () => $("live").checked;

function el(tag, attrs = {}, text = null) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  return node;
}

function duration(s) {
  if (s === null || s === undefined) return "—";
  if (s === 0) return "0s";
  const parts = [];
  for (const [u, n] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]]) {
    const q = Math.floor(s / n); s -= q * n; if (q) parts.push(q + u);
  }
  return parts.slice(0, 2).join(" ");
}

function sourceLink(src) {
  if (!src) return document.createTextNode("—");
  if (src.url && /^https?:\/\//.test(src.url)) {
    const a = el("a", { href: src.url, target: "_blank", rel: "noopener noreferrer" }, src.title || src.url);
    return a;
  }
  return document.createTextNode(src.title || "—");
}

async function api(path) {
  const res = await fetch("/api/" + path, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

function setStatus(msg) { $("status").textContent = msg || ""; }
const q = (params) => new URLSearchParams(params).toString();

// ---- scenario -------------------------------------------------------------------------
async function loadScenarios() {
  const { scenarios } = await api("scenarios");
  const sel = $("scenario");
  sel.replaceChildren(...scenarios.map((s) => el("option", { value: s.name }, s.name)));
  const wanted = new URLSearchParams(location.search).get("scenario");
  if (wanted && scenarios.some((s) => s.name === wanted)) sel.value = wanted;
  sel.addEventListener("change", () => loadScenario(sel.value));
  await loadScenario(sel.value);
}

async function loadScenario(name) {
  state.name = name;
  state.overview = await api(encodeURIComponent(name));
  state.path = null; state.selected = null;
  const ov = state.overview;
  $("title").textContent = ov.title;
  const first = toDay(ov.first), last = toDay(ov.last);
  const slider = $("slider");
  // The record stands after its last event: let the slider run a year past it.
  slider.min = first; slider.max = last + 365; slider.value = last;
  $("date").min = ov.first; $("date").max = toIso(last + 365);
  fillOfficeSelects(ov);
  drawNetworkBase(ov);
  await Promise.all([setDay(last), loadTimeline(), loadImpact()]);
}

function fillOfficeSelects(ov) {
  for (const id of ["path-a", "path-b"]) {
    const sel = $(id);
    sel.replaceChildren();
    for (const actor of ov.actors) {
      const group = el("optgroup", { label: `${actor.id} — ${actor.name}` });
      group.append(el("option", { value: actor.id }, `${actor.id} (any office)`));
      for (const o of actor.offices) group.append(el("option", { value: o.id }, `${o.id} — ${o.name}`));
      sel.append(group);
    }
  }
  const w = ov.watch[0];
  if (w) { $("path-a").value = w.between[0]; $("path-b").value = w.between[1]; }
  $("path-result").replaceChildren();
}

// ---- date -------------------------------------------------------------------------------
let timer = null;
function onSlider() {
  const day = Number($("slider").value);
  $("date").value = toIso(day);
  clearTimeout(timer);
  timer = setTimeout(() => setDay(day), 60);
}

async function setDay(day) {
  state.day = day;
  $("slider").value = day;
  $("date").value = toIso(day);
  $("at-label").textContent = toIso(day);
  try {
    const snap = await api(`${encodeURIComponent(state.name)}/snapshot?${q({ at: toIso(day) })}`);
    if (state.day !== day) return; // a later move won
    state.snapshot = snap;
    setStatus("");
    paintNetwork();
    moveCursor();
    if (state.selected) showSelected(); else showChannelList();
    if (state.path) await runPath();
  } catch (err) { setStatus(err.message); }
}

// ---- network ----------------------------------------------------------------------------
const W = 1000, H = 800;
const P = ([x, y]) => [x * W, y * H];

function drawNetworkBase(ov) {
  const svg = $("network");
  svg.replaceChildren();
  const L = ov.layout;
  const gActors = el("svg:g"), gLinks = el("svg:g"), gChannels = el("svg:g"), gOffices = el("svg:g");
  for (const [id, a] of Object.entries(L.actors)) {
    const g = el("svg:g", { class: "actor" });
    g.append(el("svg:circle", { cx: a.x * W, cy: a.y * H, r: a.r * Math.min(W, H) }));
    g.append(el("svg:text", { x: a.x * W, y: a.y * H - a.r * Math.min(W, H) - 8 }, id));
    gActors.append(g);
  }
  for (const actor of ov.actors) for (const o of actor.offices) {
    if (o.reports_to && L.offices[o.reports_to]) {
      const [x1, y1] = P(L.offices[o.id]), [x2, y2] = P(L.offices[o.reports_to]);
      gLinks.append(el("svg:line", { class: "internal", x1, y1, x2, y2 }));
    }
    for (const other of o.also) if (L.offices[other]) {
      const [x1, y1] = P(L.offices[o.id]), [x2, y2] = P(L.offices[other]);
      gLinks.append(el("svg:line", { class: "also", x1, y1, x2, y2 }));
    }
  }
  for (const ch of ov.channels) {
    const ends = ch.ends.filter((e) => L.offices[e]).map((e) => P(L.offices[e]));
    const g = el("svg:g", { class: "channel st-none", "data-channel": ch.id, "data-status": "none" });
    g.append(el("svg:title", {}, `${ch.id} (${ch.kind}, ${duration(ch.latency_s)})`));
    let segs = [];
    if (ends.length === 2) segs = [[ends[0], ends[1]]];
    else if (ends.length > 2) {
      const hx = ends.reduce((s, p) => s + p[0], 0) / ends.length, hy = ends.reduce((s, p) => s + p[1], 0) / ends.length;
      segs = ends.map((p) => [p, [hx, hy]]);
      g.append(el("svg:circle", { class: "hub", cx: hx, cy: hy, r: 6 }));
    }
    for (const [[x1, y1], [x2, y2]] of segs) {
      g.append(el("svg:line", { x1, y1, x2, y2 }));
      g.append(el("svg:line", { class: "hit", x1, y1, x2, y2 }));
    }
    g.addEventListener("click", () => select("channel", ch.id));
    gChannels.append(g);
  }
  for (const actor of ov.actors) for (const o of actor.offices) {
    const [x, y] = P(L.offices[o.id]);
    const a = L.actors[actor.id];
    const dx = a.x * W - x, dy = a.y * H - y, n = Math.hypot(dx, dy) || 1;
    const g = el("svg:g", { class: "office", "data-office": o.id });
    g.append(el("svg:title", {}, `${o.id}: ${o.name}`));
    g.append(el("svg:circle", { cx: x, cy: y, r: 7 }));
    const short = o.id.includes(".") ? o.id.slice(o.id.indexOf(".") + 1) : o.id;
    const anchor = Math.abs(dx) < 0.3 * n ? "middle" : dx > 0 ? "start" : "end";
    const lx = n < 1e-6 ? x : x + 16 * dx / n, ly = n < 1e-6 ? y + 20 : y + 16 * dy / n + 4;
    g.append(el("svg:text", { x: lx, y: ly, "text-anchor": anchor }, short));
    g.addEventListener("click", () => select("office", o.id));
    gOffices.append(g);
  }
  svg.append(gActors, gLinks, gChannels, gOffices);
  const ys = Object.values(L.actors).map((a) => [a.y - a.r, a.y + a.r]).flat();
  const top = Math.max(0, Math.min(...ys) * H - 40), bottom = Math.min(H, Math.max(...ys) * H + 30);
  svg.setAttribute("viewBox", `0 ${top} ${W} ${bottom - top}`);
}

function paintNetwork() {
  const rec = new Map(state.snapshot.channels.map((c) => [c.id, c]));
  const onPath = new Set(), officesOnPath = new Set();
  if (state.path && state.path.reachable) for (const step of state.path.path) {
    officesOnPath.add(step.office); if (step.via) onPath.add(step.via);
  }
  for (const g of document.querySelectorAll("#network .channel")) {
    const c = rec.get(g.dataset.channel);
    const status = c ? c.status : "none";
    g.dataset.status = status;
    g.dataset.dormant = c && c.dormant ? "true" : "false";
    g.setAttribute("class", ["channel", "st-" + status, c && c.dormant ? "dormant" : "",
      onPath.has(g.dataset.channel) ? "on-path" : "",
      state.selected && state.selected[1] === g.dataset.channel ? "selected" : ""].filter(Boolean).join(" "));
    if (onPath.has(g.dataset.channel)) g.parentNode.appendChild(g); // draw the path on top
  }
  for (const g of document.querySelectorAll("#network .office")) {
    g.setAttribute("class", ["office", officesOnPath.has(g.dataset.office) ? "on-path" : "",
      state.selected && state.selected[1] === g.dataset.office ? "selected" : ""].filter(Boolean).join(" "));
  }
}

// ---- details ----------------------------------------------------------------------------
function showChannelList() {
  $("details-title").textContent = `Channels on ${state.snapshot.at}`;
  const table = el("table", { id: "channel-list" });
  table.append(el("tr", {}), el("tbody"));
  table.firstChild.append(...["channel", "status", "latency", "dormant"].map((h) => el("th", {}, h)));
  for (const c of state.snapshot.channels) {
    const tr = el("tr", { class: "clickable", "data-channel": c.id, "data-status": c.status });
    tr.append(el("td", {}, c.id));
    const td = el("td"); td.append(el("span", { class: "badge " + c.status }, c.status)); tr.append(td);
    tr.append(el("td", {}, duration(c.latency_s)), el("td", {}, c.dormant ? "yes" : "no"));
    tr.addEventListener("click", () => select("channel", c.id));
    table.lastChild.append(tr);
  }
  const hint = el("p", { class: "muted" }, "Click an office or a channel for details and sources.");
  $("details").replaceChildren(hint, table);
}

async function select(kind, id) {
  state.selected = [kind, id];
  paintNetwork();
  await showSelected();
}

async function showSelected() {
  const [kind, id] = state.selected;
  const at = toIso(state.day);
  try {
    const data = await api(`${encodeURIComponent(state.name)}/${kind}/${encodeURIComponent(id)}?${q({ at })}`);
    const box = $("details");
    const back = el("button", { type: "button" }, "← all channels");
    back.addEventListener("click", () => { state.selected = null; paintNetwork(); showChannelList(); });
    const dl = el("dl");
    const add = (k, v) => { if (v !== null && v !== undefined && v !== "") dl.append(el("dt", {}, k), el("dd", {}, String(v))); };
    let events = data.events;
    if (kind === "channel") {
      const c = data.channel;
      $("details-title").textContent = `Channel ${c.id}`;
      add("name", c.name); add("kind", c.kind); add("status", c.status); add("ends", c.ends.join(" ↔ "));
      add("level", c.level); add("latency", duration(c.latency_s)); add("staff", c.staff); add("cap", c.cap);
      add("dormant", c.dormant ? "yes" : "no"); add("last use", c.last_use); add("opened", c.opened); add("note", c.note);
    } else {
      const o = data.office;
      $("details-title").textContent = `Office ${o.id}`;
      add("name", o.name); add("actor", o.actor); add("rank", o.rank); add("holder", o.holder || "—");
      add("reports to", o.reports_to); add("also", o.also.join(", ")); add("note", o.note);
      add("channels", data.channels.map((c) => `${c.id} (${c.status})`).join(", ") || "none");
    }
    const list = el("ul");
    for (const e of events) {
      const li = el("li", {}, `${e.date} ${e.by ? e.by + " " : ""}${e.do}${e.count ? " " + e.count : ""}${e.note ? " — " + e.note : ""} `);
      if (e.source) { li.append("("); li.append(sourceLink(e.source)); li.append(")"); }
      list.append(li);
    }
    box.replaceChildren(back, dl, el("h3", {}, events.length ? "Events and sources" : "No events recorded"), list);
    if (kind === "office" && data.holders.length) {
      const hl = el("ul");
      for (const h of data.holders) {
        const li = el("li", {}, `${h.name}: ${h.from || "?"} – ${h.to || ""} `);
        if (h.source) li.append(sourceLink(h.source));
        hl.append(li);
      }
      box.append(el("h3", {}, "Holders"), hl);
    }
  } catch (err) { setStatus(err.message); }
}

// ---- path inspector ---------------------------------------------------------------------
async function runPath() {
  const a = $("path-a").value, b = $("path-b").value, at = toIso(state.day);
  const out = $("path-result");
  try {
    const params = q({ a, b, at, live: live() });
    const [path, cut] = await Promise.all([
      api(`${encodeURIComponent(state.name)}/path?${params}`),
      api(`${encodeURIComponent(state.name)}/resilience?${params}`),
    ]);
    state.path = path;
    paintNetwork();
    const head = el("p", { class: "figure", id: "path-figure" });
    head.textContent = path.reachable
      ? `${a} → ${b} on ${path.at}: ${duration(path.latency_s)}`
      : `${a} cannot reach ${b} on ${path.at}`;
    const steps = el("ol", { id: "path-steps" });
    if (path.reachable) for (const s of path.path) steps.append(el("li", {}, s.via ? `${s.office} via ${s.via}` : s.office));
    const fig = el("p", { id: "path-cut" });
    fig.textContent = `Minimum cut: ${cut.min_cut ?? "—"} channel(s)` +
      (cut.cut && cut.cut.length ? ` (e.g. ${cut.cut.join(", ")})` : "") +
      `; over fast channels (≤ ${duration(cut.budget_s)}): ${cut.min_cut_fast ?? "—"}.` +
      (cut.single_points && cut.single_points.length ? ` Single points of failure: ${cut.single_points.join(", ")}.` : "");
    const rel = el("p", { id: "path-reliability", class: "muted" }, "Reliability a year on: computing…");
    out.replaceChildren(head, steps, fig, rel);
    runReliability(params, rel);
  } catch (err) { out.replaceChildren(el("p", { class: "muted" }, err.message)); }
}

// ---- reliability of contact for the selected pair ----------------------------------------
const pct = (x) => (x > 0 && x < 0.001 ? "<0.1%" : x > 0.999 && x < 1 ? ">99.9%" : (100 * x).toFixed(1) + "%");

async function runReliability(params, box) {
  try {
    const r = await api(`${encodeURIComponent(state.name)}/reliability?${params}&${q({ horizon: "1y" })}`);
    const how = r.method === "exact" ? "exact" : `Monte Carlo, ${r.samples} samples, 95% interval ${pct(r.ci[0])}–${pct(r.ci[1])}`;
    const top = r.channels.filter((c) => c.importance >= 0.0005).slice(0, 3);
    box.className = "";
    box.textContent = `Reliability a year on: ${pct(r.reliability)} (${how}) that contact within ${duration(r.budget_s)} still holds, ` +
      `if channels fail independently at the record's rates.` +
      (top.length ? ` Depends most on ${top.map((c) => `${c.id} (${c.importance.toFixed(3)})`).join(", ")}.` : "") +
      (r.left_out.length ? ` Counted as failed already: ${r.left_out.map((c) => `${c.id} (${c.why})`).join(", ")}.` : "");
  } catch (err) { box.textContent = `Reliability: ${err.message}`; }
}

// ---- timeline ---------------------------------------------------------------------------
let tlScale = null;
async function loadTimeline() {
  const data = await api(`${encodeURIComponent(state.name)}/timeline`);
  const svg = $("timeline");
  const rows = data.channels, left = 190, right = 15, rowH = 22, top = 8;
  const width = 1000, height = top + rows.length * rowH + 26;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const first = toDay(data.first) - 30, last = toDay(data.last) + 30;
  const x = (d) => left + (d - first) / Math.max(1, last - first) * (width - left - right);
  tlScale = { x, top, bottom: top + rows.length * rowH };
  svg.replaceChildren();
  const y0 = new Date(first * DAY_MS).getUTCFullYear(), y1 = new Date(last * DAY_MS).getUTCFullYear();
  const step = Math.max(1, Math.ceil((y1 - y0) / 12));
  for (let y = y0 + 1; y <= y1; y += step) {
    const xx = x(toDay(`${y}-01-01`));
    svg.append(el("svg:line", { class: "tick", x1: xx, x2: xx, y1: top, y2: tlScale.bottom }));
    svg.append(el("svg:text", { class: "axis", x: xx, y: tlScale.bottom + 16, "text-anchor": "middle" }, String(y)));
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    svg.append(el("svg:text", { x: left - 6, y: y + 15, "text-anchor": "end" }, r.id));
    for (const s of r.spans) {
      const x1 = x(toDay(s.from)), x2 = s.to ? x(toDay(s.to)) : x(last);
      const rect = el("svg:rect", { class: "bar " + s.status, x: x1, y: y + 3, width: Math.max(1, x2 - x1), height: rowH - 6 });
      rect.append(el("svg:title", {}, `${r.id}: ${s.status} ${s.from} → ${s.to || ""}`));
      svg.append(rect);
    }
    for (const u of r.uses) {
      const xu = x(toDay(u));
      svg.append(el("svg:line", { class: "use", x1: xu, x2: xu, y1: y + 1, y2: y + rowH - 1 }));
    }
  });
  svg.append(el("svg:line", { id: "cursor", class: "cursor", x1: 0, x2: 0, y1: top, y2: tlScale.bottom }));
  moveCursor();
}

function moveCursor() {
  const c = $("cursor");
  if (!c || !tlScale || state.day === null) return;
  const xx = tlScale.x(state.day);
  c.setAttribute("x1", xx); c.setAttribute("x2", xx);
}

// ---- impact -----------------------------------------------------------------------------
async function loadImpact() {
  const box = $("impact");
  if (!state.overview.watch.length) { box.replaceChildren(el("p", { class: "muted" }, "The scenario watches no pair, so no event is judged.")); return; }
  box.replaceChildren(el("p", { class: "muted" }, "Judging events…"));
  try {
    const { events } = await api(`${encodeURIComponent(state.name)}/impact?${q({ live: live() })}`);
    const table = el("table", { id: "impact-table" });
    const head = el("tr");
    head.append(...["event", "date", "verdict", "reason", "dormant before", "source"].map((h) => el("th", {}, h)));
    const body = el("tbody");
    for (const e of events) {
      const tr = el("tr", { class: "clickable", "data-event": e.id, "data-verdict": e.verdict });
      tr.append(el("td", {}, `${e.id}`), el("td", {}, e.date));
      const v = el("td"); v.append(el("span", { class: "badge " + e.verdict }, e.verdict)); tr.append(v);
      tr.append(el("td", {}, e.reason || ""), el("td", {}, e.dormant_before ? "yes" : "no"));
      const s = el("td"); s.append(sourceLink(e.source)); tr.append(s);
      tr.addEventListener("click", (ev) => { if (ev.target.tagName !== "A") setDay(toDay(normalise(e.date))); });
      body.append(tr);
    }
    table.append(head, body);
    box.replaceChildren(table);
  } catch (err) { box.replaceChildren(el("p", { class: "muted" }, err.message)); }
}

function normalise(date) { return date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date; }

// ---- wiring -----------------------------------------------------------------------------
window.addEventListener("DOMContentLoaded", () => {
  $("slider").addEventListener("input", onSlider);
  $("date").addEventListener("change", () => { if ($("date").value) setDay(toDay($("date").value)); });
  $("live").addEventListener("change", () => { if (state.path) runPath(); loadImpact(); });
  $("path-run").addEventListener("click", runPath);
  loadScenarios().catch((err) => setStatus(err.message));
});
