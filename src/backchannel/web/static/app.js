// backchannel web UI: plain SVG and DOM, no library. Uses only the JSON API under /api.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const DAY_MS = 86400000;
const state = {
  name: null, overview: null, day: null, snapshot: null, path: null, selected: null,
  pairShown: false, // the pair inspector has been run (or a pair picked): a and b go in the link
  whatif: { on: false, cut: [], result: null, seq: 0 },
};

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
const notices = []; // messages to show once the next snapshot is in (a bad link)
const q = (params) => new URLSearchParams(params).toString();

// ---- scenario -------------------------------------------------------------------------
async function loadScenarios() {
  const { scenarios } = await api("scenarios");
  const sel = $("scenario");
  sel.replaceChildren(...scenarios.map((s) => el("option", { value: s.name }, s.name)));
  const link = readLink();
  if (link.scenario && scenarios.some((s) => s.name === link.scenario)) sel.value = link.scenario;
  else if (link.scenario) notices.push(`the link's scenario '${link.scenario}' is not served here`);
  sel.addEventListener("change", () => loadScenario(sel.value, { live: live() }).catch((err) => setStatus(err.message)));
  await loadScenario(sel.value, link.scenario === sel.value || !link.scenario ? link : {});
}

async function loadScenario(name, link = {}) {
  state.name = name;
  state.overview = await api(encodeURIComponent(name));
  state.path = null; state.selected = null; state.pairShown = false;
  state.whatif = { on: false, cut: [], result: null, seq: state.whatif.seq + 1 };
  const ov = state.overview;
  $("title").textContent = ov.title;
  const first = toDay(ov.first), last = toDay(ov.last);
  const slider = $("slider");
  // The record stands after its last event: let the slider run a year past it.
  slider.min = first; slider.max = last + 365; slider.value = last;
  $("date").min = ov.first; $("date").max = toIso(last + 365);
  fillOfficeSelects(ov);
  drawNetworkBase(ov);
  const day = applyLink(link, first, last);
  await Promise.all([setDay(day), loadTimeline(), loadImpact()]);
  showWhatif();
  syncLink();
}

function fillOfficeSelects(ov) {
  for (const id of ["path-a", "path-b"]) {
    const sel = $(id);
    sel.replaceChildren();
    const sides = Object.entries(ov.sides || {});
    if (sides.length) {
      const group = el("optgroup", { label: "sides" });
      for (const [name, members] of sides) group.append(el("option", { value: name }, `${name} (side: ${members.join(", ")})`));
      sel.append(group);
    }
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

// ---- deep links -------------------------------------------------------------------------
// ?scenario=&at=&a=&b=&live=1[&cut=ID…]: read on load, kept in sync with replaceState.
function readLink() {
  const p = new URLSearchParams(location.search);
  const liveText = (p.get("live") || "").toLowerCase();
  return {
    scenario: p.get("scenario"), at: p.get("at"), a: p.get("a"), b: p.get("b"),
    live: ["1", "true", "yes", "on"].includes(liveText), cut: p.getAll("cut").filter(Boolean),
  };
}

// Set the controls from a link; returns the day to show (the last event's by default).
function applyLink(link, first, last) {
  let day = last;
  if (link.at) {
    const iso = normalise(link.at);
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso) && !Number.isNaN(toDay(iso)) && toIso(toDay(iso)) === iso) {
      day = Math.min(Math.max(toDay(iso), first), last + 365);
    } else notices.push(`ignored the link's date '${link.at}' (want YYYY-MM-DD)`);
  }
  $("live").checked = Boolean(link.live);
  const known = (v) => v && [...$("path-a").options].some((o) => o.value === v);
  if (known(link.a) && known(link.b)) {
    $("path-a").value = link.a; $("path-b").value = link.b; state.pairShown = true;
  } else if (link.a || link.b) notices.push(`ignored the link's pair '${link.a || ""}', '${link.b || ""}'`);
  const ids = new Set(state.overview.channels.map((c) => c.id));
  if (link.cut && link.cut.length) {
    state.whatif = { ...state.whatif, on: true, cut: link.cut.filter((c) => ids.has(c)) };
    const unknown = link.cut.filter((c) => !ids.has(c));
    if (unknown.length) notices.push(`ignored unknown channel(s) in the link: ${unknown.join(", ")}`);
  }
  return day;
}

function syncLink() {
  if (!state.name || state.day === null) return;
  const p = new URLSearchParams({ scenario: state.name, at: toIso(state.day) });
  if (state.pairShown) { p.set("a", $("path-a").value); p.set("b", $("path-b").value); }
  if (live()) p.set("live", "1");
  if (state.whatif.on) for (const c of state.whatif.cut) p.append("cut", c);
  const url = `${location.pathname}?${p}`;
  if (url !== location.pathname + location.search) history.replaceState(null, "", url);
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
    setStatus(notices.splice(0).join("; "));
    paintNetwork();
    moveCursor();
    syncLink();
    if (state.selected) showSelected(); else showChannelList();
    await Promise.all([state.pairShown ? runPath() : null, state.whatif.on ? runWhatif() : null]);
  } catch (err) { setStatus(err.message); }
}

// ---- network ----------------------------------------------------------------------------
// The layout is in the unit square; `size` is the scale (px) at which labels of `font_px`
// never overlap, so the drawing is at least that big (the SVG then scales to the panel).
let W = 1000;
const P = ([x, y]) => [x * W, y * W];

function drawNetworkBase(ov) {
  const svg = $("network");
  svg.replaceChildren();
  const L = ov.layout;
  W = Math.max(900, L.size || 1000);
  svg.style.setProperty("--label-px", `${L.font_px || 12}px`);
  const gActors = el("svg:g"), gLinks = el("svg:g"), gChannels = el("svg:g"), gOffices = el("svg:g");
  for (const [id, a] of Object.entries(L.actors)) {
    const g = el("svg:g", { class: "actor", "data-actor": id });
    g.append(el("svg:circle", { cx: a.x * W, cy: a.y * W, r: a.r * W }));
    g.append(el("svg:text", { x: a.x * W, y: a.y * W - a.r * W - 8 }, id));
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
  for (const ch of ov.channels) gChannels.append(drawChannel(ch, L));
  const dx = L.label_dx_px || 16;
  for (const actor of ov.actors) for (const o of actor.offices) {
    if (!L.offices[o.id]) continue;
    const [x, y] = P(L.offices[o.id]);
    const left = L.labels && L.labels[o.id] === "left";
    const g = el("svg:g", { class: "office", "data-office": o.id });
    g.append(el("svg:title", {}, `${o.id}: ${o.name}`));
    g.append(el("svg:circle", { cx: x, cy: y, r: 7 }));
    const short = o.id.includes(".") ? o.id.slice(o.id.indexOf(".") + 1) : o.id;
    g.append(el("svg:text", { x: left ? x - dx : x + dx, y: y + 4, "text-anchor": left ? "end" : "start" }, short));
    g.addEventListener("click", () => select("office", o.id));
    gOffices.append(g);
  }
  svg.append(gActors, gLinks, gChannels, gOffices);
  const box = Object.values(L.actors).map((a) => [a.x - a.r, a.y - a.r, a.x + a.r, a.y + a.r]);
  const x0 = Math.min(...box.map((b) => b[0])) * W - 60, x1 = Math.max(...box.map((b) => b[2])) * W + 60;
  const y0 = Math.min(...box.map((b) => b[1])) * W - 40, y1 = Math.max(...box.map((b) => b[3])) * W + 20;
  svg.setAttribute("viewBox", box.length ? `${x0} ${y0} ${x1 - x0} ${y1 - y0}` : `0 0 ${W} ${W}`);
  // A big world is not shrunk below labels of about 8 px on screen: the panel scrolls.
  svg.style.minWidth = box.length ? `${Math.round((x1 - x0) * 0.7)}px` : "";
}

function drawChannel(ch, L) {
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
  g.addEventListener("click", () => onChannelClick(ch.id));
  return g;
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
      state.whatif.on && state.whatif.cut.includes(g.dataset.channel) ? "cut" : "",
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
    if (state.whatif.on && state.whatif.cut.includes(c.id)) tr.classList.add("cut");
    tr.addEventListener("click", () => onChannelClick(c.id));
    table.lastChild.append(tr);
  }
  const hint = el("p", { class: "muted" }, state.whatif.on
    ? "What-if mode: click a channel (here or on the network) to cut it or put it back."
    : "Click an office or a channel for details and sources.");
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

// ---- pair inspector: paper and live side by side -----------------------------------------
let pathSeq = 0;
async function runPath() {
  const a = $("path-a").value, b = $("path-b").value, at = toIso(state.day);
  const out = $("path-result");
  const seq = ++pathSeq;
  state.pairShown = true;
  syncLink();
  try {
    const base = `${encodeURIComponent(state.name)}`;
    const ask = (what, isLive) => api(`${base}/${what}?${q({ a, b, at, live: isLive })}`);
    const [pPaper, cPaper, pLive, cLive] = await Promise.all([
      ask("path", false), ask("resilience", false), ask("path", true), ask("resilience", true),
    ]);
    if (seq !== pathSeq) return; // a later request won
    const isLive = live();
    const [path, cut] = isLive ? [pLive, cLive] : [pPaper, cPaper];
    state.path = path;
    paintNetwork();
    const head = el("p", { class: "figure", id: "path-figure" });
    head.textContent = (path.reachable
      ? `${a} → ${b} on ${path.at}: ${duration(path.latency_s)}`
      : `${a} cannot reach ${b} on ${path.at}`) + (isLive ? " (live channels)" : "");
    const steps = el("ol", { id: "path-steps" });
    if (path.reachable) for (const s of path.path) steps.append(el("li", {}, s.via ? `${s.office} via ${s.via}` : s.office));
    const fig = el("p", { id: "path-cut" });
    fig.textContent = `Minimum cut: ${cut.min_cut ?? "—"} channel(s)` +
      (cut.cut && cut.cut.length ? ` (e.g. ${cut.cut.join(", ")})` : "") +
      `; over fast channels (≤ ${duration(cut.budget_s)}): ${cut.min_cut_fast ?? "—"}.` +
      (cut.single_points && cut.single_points.length ? ` Single points of failure: ${cut.single_points.join(", ")}.` : "");
    const rel = el("p", { id: "path-reliability", class: "muted" }, "Reliability a year on: computing…");
    out.replaceChildren(head, steps, fig, pairCompare(pPaper, cPaper, pLive, cLive), leftOutLive(pPaper, cPaper), rel);
    runReliability(q({ a, b, at, live: isLive }), rel);
  } catch (err) { if (seq === pathSeq) out.replaceChildren(el("p", { class: "muted" }, err.message)); }
}

const vias = (path) => (path.reachable ? path.path.map((s) => s.via).filter((v) => v && state.overview.channels.some((c) => c.id === v)) : []);

// A table: each figure on paper and over live channels only, differences marked.
function pairCompare(pPaper, cPaper, pLive, cLive) {
  const table = el("table", { id: "pair-compare", class: "compare" });
  const head = el("tr");
  head.append(el("th", {}, "figure"), el("th", {}, "on paper"), el("th", {}, "live channels only"));
  const rows = [
    ["reachable", (p) => p.reachable, (v) => (v ? "yes" : "no"), "path"],
    ["latency_s", (p) => (p.reachable ? p.latency_s : null), duration, "path"],
    ["via", (p) => vias(p).join(", "), (v) => v || "—", "path"],
    ["min_cut", (c) => c.min_cut, (v) => String(v ?? "—"), "cut"],
    ["min_cut_fast", (c) => c.min_cut_fast, (v) => String(v ?? "—"), "cut"],
    ["single_points", (c) => (c.single_points || []).join(", "), (v) => v || "none", "cut"],
  ];
  const names = { reachable: "reachable", latency_s: "time to contact", via: "by channels",
    min_cut: "minimum cut", min_cut_fast: `fast minimum cut (≤ ${duration(cPaper.budget_s)})`, single_points: "single points of failure" };
  const body = el("tbody");
  for (const [key, get, show, src] of rows) {
    const [vp, vl] = src === "path" ? [get(pPaper), get(pLive)] : [get(cPaper), get(cLive)];
    const tr = el("tr", { "data-figure": key, class: vp === vl ? "" : "differs" });
    tr.append(el("th", {}, names[key]));
    tr.append(el("td", { "data-side": "paper", "data-value": JSON.stringify(vp) }, show(vp)));
    tr.append(el("td", { "data-side": "live", "data-value": JSON.stringify(vl) }, show(vl)));
    body.append(tr);
  }
  table.append(head, body);
  return table;
}

// The channels the live answer leaves out: dormant on this date (from the snapshot).
function leftOutLive(pPaper, cPaper) {
  const dormant = state.snapshot.channels.filter((c) => c.dormant && ["active", "restricted"].includes(c.status)).map((c) => c.id);
  const used = new Set([...vias(pPaper), ...(cPaper.cut || []), ...(cPaper.cut_fast || [])]);
  const mine = dormant.filter((c) => used.has(c)), others = dormant.filter((c) => !used.has(c));
  const p = el("p", { id: "pair-left-out", class: "muted" });
  if (!dormant.length) p.textContent = "No channel is dormant on this date: live and paper agree.";
  else {
    p.textContent = (mine.length
      ? `Live leaves out ${mine.length} dormant channel(s) on this pair's paper path or cut: ${mine.join(", ")}.`
      : "None of this pair's paper path or cut is dormant.") +
      (others.length ? ` Also dormant (left out live): ${others.join(", ")}.` : "");
    p.dataset.leftOut = mine.join(" ");
  }
  return p;
}

// ---- what-if: cut channels on a fork of the record ---------------------------------------
function onChannelClick(id) {
  if (state.whatif.on) toggleCut(id); else select("channel", id);
}

function cuttable(id) {
  const c = state.snapshot && state.snapshot.channels.find((x) => x.id === id);
  return c && c.status !== "closed";
}

function toggleCut(id) {
  const w = state.whatif;
  if (w.cut.includes(id)) w.cut = w.cut.filter((c) => c !== id);
  else if (cuttable(id)) w.cut = [...w.cut, id];
  else { setStatus(`${id} is not open on ${toIso(state.day)}: nothing to cut`); return; }
  setStatus("");
  afterCutChange();
}

function afterCutChange() {
  paintNetwork();
  if (!state.selected) showChannelList();
  syncLink();
  showWhatif();
  runWhatif();
}

function setWhatifMode(on) {
  state.whatif.on = on;
  $("whatif-mode").checked = on;
  afterCutChange();
}

// The mode switch, the list of cuts and (once something is cut) the comparison.
function showWhatif() {
  const w = state.whatif;
  $("whatif-mode").checked = w.on;
  $("whatif").classList.toggle("on", w.on);
  const chips = $("whatif-cuts");
  chips.replaceChildren();
  $("whatif-clear").hidden = !(w.on && w.cut.length);
  if (!w.on) { $("whatif-result").replaceChildren(el("p", { class: "muted" }, "Turn on what-if mode, then click channels to cut them. The record is never changed.")); return; }
  if (!w.cut.length) { $("whatif-result").replaceChildren(el("p", { class: "muted" }, "Click a channel on the network or in the list to cut it.")); return; }
  for (const c of w.cut) {
    const chip = el("button", { type: "button", class: "chip", "data-cut": c, title: "put back" }, `${c} ×`);
    chip.addEventListener("click", () => toggleCut(c));
    chips.append(chip);
  }
}

async function runWhatif() {
  const w = state.whatif;
  if (!w.on || !w.cut.length || !state.snapshot) { w.result = null; return; }
  // A channel not open (or closed) on the new date cannot be cut there: drop it.
  const kept = w.cut.filter(cuttable);
  if (kept.length < w.cut.length) {
    setStatus(`not open on ${toIso(state.day)}, no longer cut: ${w.cut.filter((c) => !kept.includes(c)).join(", ")}`);
    w.cut = kept; paintNetwork(); syncLink(); showWhatif();
    if (!kept.length) return;
  }
  const seq = ++w.seq;
  const params = new URLSearchParams({ at: toIso(state.day), live: live() });
  for (const c of w.cut) params.append("cut", c);
  try {
    const res = await api(`${encodeURIComponent(state.name)}/whatif?${params}`);
    if (seq !== state.whatif.seq) return;
    w.result = res;
    const table = whatifTable(res);
    table.dataset.key = `${w.cut.join(",")}@${res.record.at}${res.live ? " live" : ""}`;
    $("whatif-result").replaceChildren(el("p", { id: "whatif-summary" }, res.summary), table);
  } catch (err) { if (seq === state.whatif.seq) $("whatif-result").replaceChildren(el("p", { class: "muted" }, err.message)); }
}

function whatifTable(res) {
  const table = el("table", { id: "whatif-table", class: "compare" });
  const head = el("tr");
  head.append(...["watched pair", "figure", "record", "with the cut"].map((h) => el("th", {}, h)));
  const figures = [
    ["reachable", "reachable", (v) => (v ? "yes" : "no")],
    ["latency_s", "time to contact", duration],
    ["min_cut", "minimum cut", (v) => String(v ?? "—")],
    ["min_cut_fast", "fast minimum cut", (v) => String(v ?? "—")],
  ];
  const body = el("tbody");
  res.record.pairs.forEach((rec, i) => {
    const alt = res.whatif.pairs[i];
    figures.forEach(([key, name, show], j) => {
      const tr = el("tr", { "data-pair": i, "data-figure": key, class: rec[key] === alt[key] ? "" : "differs" });
      if (j === 0) tr.append(el("th", { rowspan: figures.length, class: "pair" }, rec.between.join(" ↔ ")));
      const label = key === "min_cut_fast" ? `${name} (≤ ${duration(rec.budget_s)})` : name;
      tr.append(el("td", {}, label));
      tr.append(el("td", { "data-side": "record", "data-value": JSON.stringify(rec[key]) }, show(rec[key])));
      tr.append(el("td", { "data-side": "whatif", "data-value": JSON.stringify(alt[key]) }, show(alt[key])));
      body.append(tr);
    });
  });
  table.append(head, body);
  return table;
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
  $("live").addEventListener("change", () => {
    syncLink(); loadImpact();
    if (state.pairShown) runPath();
    if (state.whatif.on) runWhatif();
  });
  $("path-run").addEventListener("click", runPath);
  for (const id of ["path-a", "path-b"]) $(id).addEventListener("change", runPath);
  $("whatif-mode").addEventListener("change", () => setWhatifMode($("whatif-mode").checked));
  $("whatif-clear").addEventListener("click", () => { state.whatif.cut = []; afterCutChange(); });
  loadScenarios().catch((err) => setStatus(err.message));
});
