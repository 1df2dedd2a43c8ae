// Calque campaign UI: an annotator's queue and items (MQM, ESA or DA), the protocol guidelines, the
// owner's live progress and the reviewer's adjudication. Text reaches the page only through
// textContent and text nodes, never innerHTML. Offsets sent to the server count Unicode code points.
"use strict";

const SEVERITY_KEYS = { m: "Minor", M: "Major", C: "Critical", N: "Neutral" };
const RANK = { Critical: 4, Major: 3, Minor: 2, Neutral: 1 };
const WORD = /[\p{L}\p{N}\p{M}]/u;
// view: a number for each route(); a page whose requests answer after the annotator has moved on draws
// nowhere (stage) instead of over the page that replaced it.
const state = { token: null, who: null, item: null, pending: null, timer: null, view: 0, chain: Promise.resolve() };

// -- helpers ----------------------------------------------------------------------------------------
const main = () => document.getElementById("main");
// The element a page of this route draws into: #main while the route is current, else a detached node.
const stage = (where) => (where.view === state.view ? clear(main()) : el("div"));
const enc = encodeURIComponent;

function api(method, path, body) {
  return requestJson(state.token, method, path, body);
}

// -- routing ----------------------------------------------------------------------------------------
function parseRoute() {
  const hash = location.hash.replace(/^#/, "");
  const parts = hash.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== "c" || !parts[1]) return { page: "list" };
  const name = parts[1];
  if (parts[2] === "item" && parts[3]) return { page: "item", name, slot: parts[3] };
  if (parts[2] === "review" && parts[3]) return { page: "review-unit", name, unit: parts[3] };
  if (["guidelines", "progress", "review"].includes(parts[2])) return { page: parts[2], name };
  return { page: "queue", name };
}
const href = (...parts) => "#/" + ["c", ...parts].map(enc).join("/");

async function route() {
  clearInterval(state.timer);
  state.item = null;
  state.pending = null;
  const where = { ...parseRoute(), view: ++state.view };
  document.getElementById("crumb").textContent = where.name || "";
  document.getElementById("progress").textContent = "";
  // The last page's controls go at once: a score typed into them while the next item loads would be lost.
  clear(main()).append(el("p", { class: "muted", id: "loading", text: "Loading…" }));
  try {
    const pages = { list: showList, queue: showQueue, item: showItem, guidelines: showGuidelines, progress: showProgress,
      review: showReview, "review-unit": showReviewUnit };
    await pages[where.page](where);
  } catch (error) {
    if (where.view !== state.view) return;
    if (error.status === 401) return showLogin(state.token ? error.message : null);
    clear(main()).append(el("p", { class: "error", text: "Could not load: " + error.message }));
  }
}

function showLogin(problem) {
  const input = el("input", { type: "password", id: "token", autocomplete: "off", size: 48, "aria-label": "annotator token" });
  const form = el("form", { id: "login", onsubmit: (event) => {
    event.preventDefault();
    state.token = input.value.trim();
    sessionStorage.setItem("calque-token", state.token);
    route();
  } }, el("p", { text: "This campaign server needs your annotator token (it is in the sign-in link you were sent)." }),
  input, el("button", { type: "submit", text: "Sign in" }), problem ? el("p", { class: "error", text: problem }) : null);
  clear(main()).append(form);
  input.focus();
}

// -- campaign list and queue --------------------------------------------------------------------------
async function showList(where) {
  const data = await api("GET", "/api/campaigns");
  if (where.view !== state.view) return;
  document.getElementById("who").textContent = "annotator: " + data.annotator;
  const rows = data.campaigns.map((c) => el("tr", {}, el("td", {}, el("a", { href: href(c.id), text: c.id })),
    el("td", { text: c.protocol }), el("td", { text: c.unit }), el("td", { text: c.status }), el("td", { text: c.roles.join(", ") })));
  stage(where).append(el("div", { class: "queue" }, el("h1", { text: "Your campaigns" }),
    rows.length ? el("table", { class: "grid" }, el("tr", {}, ["campaign", "protocol", "unit", "status", "role"].map((h) => el("th", { text: h }))), rows)
      : el("p", { class: "muted", text: "You take part in no campaign." })));
}

function progressBar(done, total) {
  const share = total ? Math.round((100 * done) / total) : 0;
  const fill = el("span", { class: "fill" });
  fill.style.width = `${share}%`;  // CSSOM, not a style attribute: the CSP allows no inline styles
  return el("span", {}, el("span", { class: "bar" }, fill), ` ${done} / ${total} done`);
}

async function showQueue(where) {
  const [queue, mine] = await Promise.all([api("GET", `/api/campaigns/${enc(where.name)}/queue`), api("GET", "/api/campaigns")]);
  if (where.view !== state.view) return;
  document.getElementById("who").textContent = "annotator: " + mine.annotator;
  const roles = (mine.campaigns.find((c) => c.id === where.name) || { roles: [] }).roles;
  document.getElementById("progress").replaceChildren(progressBar(queue.done, queue.assigned));
  const start = el("button", { id: "start", text: queue.done === queue.assigned ? "All done" : (queue.done ? "Continue" : "Start"),
    disabled: queue.done === queue.assigned || queue.status !== "open", onclick: () => nextItem(where.name) });
  const items = queue.items.map((i) => el("tr", { class: "state-" + i.state },
    el("td", { text: String(i.position + 1) }), el("td", { text: i.system }),
    el("td", {}, i.state === "open" ? i.preview : el("a", { href: href(where.name, "item", i.slot), text: i.preview })),
    el("td", { class: "state", text: i.state })));
  const links = [el("a", { href: href(where.name, "guidelines"), text: "Guidelines" })];
  if (roles.includes("reviewer")) {
    links.push(" · ", el("a", { href: href(where.name, "progress"), id: "to-progress", text: "Live progress" }),
      " · ", el("a", { href: href(where.name, "review"), id: "to-review", text: "Adjudicate" }));
  }
  stage(where).append(el("div", { class: "queue", id: "queue" },
    el("h1", { text: `${where.name} (${queue.protocol.toUpperCase()}, one ${queue.unit} per item)` }),
    el("p", { id: "queue-progress" }, progressBar(queue.done, queue.assigned)),
    el("p", {}, start, " ", el("span", { class: "hint" }, "or press ", el("kbd", { text: "Enter" }))),
    el("p", {}, links),
    queue.assigned ? el("table", { class: "grid" }, items) : el("p", { class: "muted", text: "Nothing is assigned to you yet." })));
}

async function nextItem(name) {
  const data = await api("POST", `/api/campaigns/${enc(name)}/next`, {});
  if (!data.item) {
    say("Nothing left to do in this campaign: thank you!");
    location.hash = href(name);
    return;
  }
  location.hash = href(name, "item", data.item.slot);
}

async function showGuidelines(where) {
  const queue = await api("GET", `/api/campaigns/${enc(where.name)}/queue`);
  const keys = queue.protocol === "da" ? [] : [
    ["select text", "mark a span in the translation (or the source, for an omission)"],
    ["m / M" + (queue.protocol === "mqm" ? " / C / N" : ""), "minor / major" + (queue.protocol === "mqm" ? " / critical / neutral" : "")],
    ...(queue.protocol === "mqm" ? [["1-9, then 1-9", "category, then subcategory; Enter saves"]] : []),
    ["a / d", "accept / dismiss the first open suggestion"]];
  stage(where).append(el("div", { class: "queue guidelines" }, el("h1", { text: `Guidelines: ${queue.protocol.toUpperCase()}` }),
    el("ul", {}, queue.guidelines.map((line) => el("li", { text: line }))),
    el("h2", { text: "Keys" }),
    el("table", { class: "grid" }, [...keys, ["Ctrl+Enter", "done: save and go to the next item"]].map(([k, v]) =>
      el("tr", {}, el("td", {}, el("kbd", { text: k })), el("td", { text: v })))),
    el("p", {}, el("a", { href: href(where.name), text: "Back to your queue" }))));
}

// -- one item --------------------------------------------------------------------------------------
async function showItem(where) {
  const [item, queue, mine] = await Promise.all([api("GET", `/api/campaign-slots/${enc(where.slot)}`),
    api("GET", `/api/campaigns/${enc(where.name)}/queue`), api("GET", "/api/campaigns")]);
  if (where.view !== state.view) return;
  state.item = { ...item, name: where.name };
  document.getElementById("who").textContent = "annotator: " + mine.annotator;
  renderItem();
  document.getElementById("progress").replaceChildren(progressBar(queue.done, queue.assigned));
}

function marked(text, spans) {
  const points = Array.from(text);
  const cuts = new Set([0, points.length]);
  for (const s of spans) { cuts.add(Math.min(s.start, points.length)); cuts.add(Math.min(s.end, points.length)); }
  const bounds = [...cuts].sort((a, b) => a - b);
  const nodes = [];
  for (let i = 0; i < bounds.length - 1; i++) {
    const [a, b] = [bounds[i], bounds[i + 1]];
    const piece = points.slice(a, b).join("");
    const covering = spans.filter((s) => s.start <= a && b <= s.end && s.start < s.end);
    if (!covering.length) { nodes.push(document.createTextNode(piece)); continue; }
    const top = covering.sort((x, y) => (RANK[y.severity] || 0) - (RANK[x.severity] || 0))[0];
    nodes.push(el("mark", { class: top.kind || top.severity, title: `${top.severity} ${top.category || ""}`.trim() }, piece));
  }
  return nodes;
}

function segment(text, item, side, spans) {
  if (text === null || text === undefined) return el("div", { class: "seg muted", text: "(no source)" });
  return el("div", { class: "seg", "data-item": String(item), "data-side": side }, marked(text, spans));
}

function renderItem() {
  const item = state.item;
  const spansOf = (i, side) => {
    const list = item.spans.filter((s) => s.item === i && s.side === side);
    for (const s of item.suggestions) if (s.item === i && s.side === side && !s.decision) list.push({ ...s, kind: "suggestion" });
    if (state.pending && state.pending.item === i && state.pending.side === side) list.push({ ...state.pending, kind: "pending" });
    return list;
  };
  const pair = (row, cls, i) => el("div", { class: "pair " + cls },
    i === null ? el("div", { class: "seg", text: row.source || "" }) : segment(row.source, i, "source", spansOf(i, "source")),
    i === null ? el("div", { class: "seg", text: row.target }) : segment(row.target, i, "target", spansOf(i, "target")));
  const sheet = el("div", { class: "sheet", id: "sheet", "data-slot": item.slot },
    el("h1", { text: item.title || "" }),
    el("p", { class: "muted", id: "system", text: `${item.system} · ${item.protocol.toUpperCase()} · ${item.state}` }),
    el("div", { class: "pair colhead" }, el("div", { text: "Source" }), el("div", { text: "Translation" })),
    item.context.before.map((row) => pair(row, "context", null)),
    el("div", { id: "rows" }, item.rows.map((row, i) => pair(row, "judged", i))),
    item.context.after.map((row) => pair(row, "context", null)));
  clear(main()).append(el("div", { class: "item" }, sheet, renderPanel()));
}

function renderPanel() {
  const item = state.item;
  const panel = el("div", { class: "panel", id: "panel" });
  if (item.protocol !== "da") {
    panel.append(el("h2", { text: "Error spans" }));
    if (state.pending) panel.append(pendingForm());
    else panel.append(el("p", { class: "hint", text: item.protocol === "esa" ? "Select a span, then m (minor) or M (major)."
      : "Select a span, then m / M / C / N, a category digit (and a subcategory digit), Enter." }));
    panel.append(el("ul", { id: "spans" }, item.spans.map((s) => el("li", { class: "span", "data-id": s.id },
      el("q", { text: s.text }), " ",
      el("select", { class: "severity", "aria-label": "severity", onchange: (e) => editSpan(s, { severity: e.target.value }) },
        item.severities.map((v) => el("option", { value: v, text: v, selected: v === s.severity }))),
      item.protocol === "mqm" ? el("span", { class: "muted", text: " " + s.category }) : null,
      el("button", { class: "delete", type: "button", text: "Delete", onclick: () => deleteSpan(s) })))));
    const open = item.suggestions.filter((s) => !s.decision);
    if (item.suggestions.length) {
      panel.append(el("h3", { text: `Suggestions from automatic checks (${open.length} open)` }),
        el("ul", { id: "suggestions" }, item.suggestions.map((s) => el("li", { class: "suggestion" + (s.decision ? " decided" : "") },
          el("q", { text: s.text }), ` ${s.severity} ${s.category} `,
          s.decision ? el("span", { class: "muted", text: s.decision }) : [
            el("button", { class: "accept", type: "button", text: "Accept", onclick: () => decide(s.index, "accepted") }),
            el("button", { class: "dismiss", type: "button", text: "Dismiss", onclick: () => decide(s.index, "dismissed") })]))));
    }
  }
  if (item.protocol !== "mqm") {
    const number = el("input", { type: "number", id: "score", min: 0, max: 100, step: 1, value: item.score ?? "", "aria-label": "score 0-100" });
    const slider = el("input", { type: "range", id: "score-slider", min: 0, max: 100, step: 1, value: item.score ?? 50, "aria-label": "score slider" });
    number.addEventListener("input", () => { slider.value = number.value; });
    slider.addEventListener("input", () => { number.value = slider.value; });
    panel.append(el("h2", { text: "Score (0-100)" }), number, slider,
      el("p", { class: "hint", text: "0: no meaning preserved · 33: some · 66: most, a few errors · 100: perfect" }));
  }
  panel.append(el("p", {}, el("button", { id: "done", type: "button", text: item.state === "done" ? "Save" : "Done", onclick: submitItem }),
    " ", el("span", { class: "hint" }, el("kbd", { text: "Ctrl+Enter" }))),
  el("p", {}, el("a", { href: href(item.name), text: "Queue" }), " · ", el("a", { href: href(item.name, "guidelines"), text: "Guidelines" })));
  return panel;
}

function categoryChoices() {
  const categories = state.item.categories;
  if (state.pending.top === null) return Object.keys(categories);
  return categories[state.pending.top] || [];
}

function pendingForm() {
  const p = state.pending;
  const box = el("div", { id: "pending" }, el("p", {}, "Selected: ", el("q", { id: "selected-text", text: p.text })),
    el("p", { text: "Severity: " + (p.severity || "press m / M" + (state.item.protocol === "mqm" ? " / C / N" : "")) }));
  if (state.item.protocol === "mqm" && p.severity) {
    box.append(el("p", { text: "Category: " + [p.top, p.sub].filter(Boolean).join("/") }),
      el("div", { class: "choices" }, categoryChoices().slice(0, 9).map((c, i) => el("span", {}, el("kbd", { text: String(i + 1) }), " " + c))),
      el("p", { class: "hint", text: "Enter saves, Esc cancels." }));
  }
  return box;
}

function rerender() {
  const panel = document.getElementById("panel");
  const scroll = window.scrollY;
  const score = document.getElementById("score");
  const typed = score ? score.value : null;
  renderItem();
  if (typed !== null && document.getElementById("score")) {
    document.getElementById("score").value = typed;
    document.getElementById("score-slider").value = typed || 50;
  }
  window.scrollTo(0, scroll);
  return panel;
}

function selectionSpan() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  const node = [...document.querySelectorAll("#rows .seg[data-item]")].find((n) => n.contains(range.startContainer));
  if (!node || !node.contains(range.endContainer)) return { error: "Select words within one segment." };
  const item = Number(node.dataset.item);
  const side = node.dataset.side;
  const text = state.item.rows[item][side];
  const measure = document.createRange();
  measure.selectNodeContents(node);
  measure.setEnd(range.startContainer, range.startOffset);
  let start = measure.toString().length;
  measure.selectNodeContents(node);
  measure.setEnd(range.endContainer, range.endOffset);
  let end = measure.toString().length;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  while (start > 0 && start < end && WORD.test(text[start - 1]) && WORD.test(text[start])) start--;
  while (end < text.length && end > start && WORD.test(text[end - 1]) && WORD.test(text[end])) end++;
  if (start >= end) return null;
  return { item, side, start: u16ToCp(text, start), end: u16ToCp(text, end), text: text.slice(start, end) };
}

function onMouseUp(event) {
  if (!state.item || event.target.closest("#panel")) return;
  const span = selectionSpan();
  if (span && span.error) return say(span.error, "error");
  if (!span) return;
  state.pending = { ...span, severity: null, top: null, sub: null };
  window.getSelection().removeAllRanges();
  rerender();
}

async function saveSpan() {
  const p = state.pending;
  const body = { item: p.item, side: p.side, start: p.start, end: p.end, severity: p.severity };
  if (state.item.protocol === "mqm") {
    if (!p.top) return say("Pick a category first (a digit).", "error");
    body.category = [p.top, p.sub].filter(Boolean).join("/");
  }
  const item = state.item;
  await guarded(async () => {
    const saved = await api("POST", `/api/campaign-slots/${enc(item.slot)}/spans`, body);
    item.spans.push(saved);
    if (state.item !== item) return;
    state.pending = null;
    rerender();
  });
}

async function editSpan(span, changes) {
  const item = state.item;
  await guarded(async () => {
    const saved = await api("PATCH", `/api/campaign-spans/${enc(span.id)}`, { version: span.version, ...changes });
    item.spans = item.spans.map((s) => (s.id === saved.id ? saved : s));
    if (state.item === item) rerender();
  });
}

async function deleteSpan(span) {
  const item = state.item;
  await guarded(async () => {
    await api("DELETE", `/api/campaign-spans/${enc(span.id)}?version=${span.version}`, {});
    item.spans = item.spans.filter((s) => s.id !== span.id);
    if (state.item === item) rerender();
  });
}

async function decide(index, decision) {
  const item = state.item;
  await guarded(async () => {
    const saved = await api("POST", `/api/campaign-slots/${enc(item.slot)}/suggestions/${index}`, { decision });
    item.suggestions[index].decision = decision;
    if (decision === "accepted") item.spans.push(saved);
    if (state.item === item) rerender();
  });
}

async function submitItem() {
  const item = state.item;
  if (item.submitting) return;  // a second Ctrl+Enter while the first is on its way
  const body = {};
  if (item.protocol !== "mqm") {
    const raw = document.getElementById("score").value;
    if (raw === "") return say("Give a score from 0 to 100 first.", "error");
    body.score = Number(raw);
  }
  item.submitting = true;
  await guarded(async () => {
    try {
      await api("POST", `/api/campaign-slots/${enc(item.slot)}/submit`, body);
    } finally {
      item.submitting = false;
    }
    say("Saved.");
    await nextItem(item.name);
  });
}

// Writes run one after another, in the order they were asked for (a quick Ctrl+Enter after an edit
// waits for the edit instead of being dropped).
function guarded(work) {
  state.chain = state.chain.then(work).catch((error) => say(error.message, "error"));
  return state.chain;
}

function onKey(event) {
  const where = parseRoute();
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement && document.activeElement.tagName);
  if (where.page === "queue" && event.key === "Enter" && !typing) {
    const start = document.getElementById("start");
    if (start && !start.disabled) { event.preventDefault(); start.click(); }
    return;
  }
  if (where.page !== "item" || !state.item) return;
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); submitItem(); return; }
  if (typing) return;
  const p = state.pending;
  if (event.key === "Escape" && p) { state.pending = null; rerender(); return; }
  if (p && SEVERITY_KEYS[event.key] && state.item.severities.includes(SEVERITY_KEYS[event.key])) {
    event.preventDefault();
    p.severity = SEVERITY_KEYS[event.key];
    if (state.item.protocol === "esa") saveSpan(); else rerender();
    return;
  }
  if (p && p.severity && /^[1-9]$/.test(event.key)) {
    const choice = categoryChoices()[Number(event.key) - 1];
    if (choice === undefined) return;
    if (p.top === null) p.top = choice; else p.sub = choice;
    rerender();
    return;
  }
  if (p && p.severity && event.key === "Enter") { event.preventDefault(); saveSpan(); return; }
  if (!p && (event.key === "a" || event.key === "d")) {
    const open = state.item.suggestions.find((s) => !s.decision);
    if (open) decide(open.index, event.key === "a" ? "accepted" : "dismissed");
  }
}

// -- owner's progress ----------------------------------------------------------------------------
async function showProgress(where) {
  const render = async () => {
    const data = await api("GET", `/api/campaigns/${enc(where.name)}/progress`);
    const pct = (v) => (v === null ? "–" : `${Math.round(100 * v)}%`);
    const rows = data.annotators.map((p) => el("tr", { "data-annotator": p.annotator }, el("td", { text: p.annotator }),
      el("td", {}, progressBar(p.done, p.assigned)), el("td", { class: "checks", text: `${p.checks_passed} / ${p.checks_done}` }),
      el("td", { class: "pass-rate", text: pct(p.check_pass_rate) }),
      el("td", { text: p.seconds_per_item_median === null ? "–" : `${p.seconds_per_item_median.toFixed(1)} s` })));
    stage(where).append(el("div", { class: "queue", id: "live" }, el("h1", { text: `${where.name}: live progress` }),
      el("p", { id: "summary", text: `${data.done} / ${data.slots} assignments done · ${data.units_complete} / ${data.units + data.attention_checks} items complete · ` +
        `${data.attention_checks} attention checks · suggestions accepted ${data.suggestions.accepted}, dismissed ${data.suggestions.dismissed}` }),
      el("table", { class: "grid", id: "progress-table" },
        el("tr", {}, ["annotator", "done", "attention checks passed", "pass rate", "median time / item"].map((h) => el("th", { text: h }))), rows),
      el("p", {}, el("a", { href: href(where.name, "review"), text: "Adjudicate" }), " · ", el("a", { href: href(where.name), text: "Queue" }))));
  };
  await render();
  state.timer = setInterval(() => render().catch(() => {}), 3000);
}

// -- adjudication ---------------------------------------------------------------------------------
async function showReview(where) {
  const [data, agreement] = await Promise.all([api("GET", `/api/campaigns/${enc(where.name)}/review`),
    api("GET", `/api/campaigns/${enc(where.name)}/agreement`)]);
  const f = (v) => (v === null || v === undefined ? "–" : v.toFixed(2));
  const pairs = agreement.pairwise.map((p) => el("tr", {}, el("td", { text: `${p.reference} / ${p.hypothesis}` }),
    el("td", { text: String(p.segments) }), el("td", { text: f(p.cohen_kappa) }), el("td", { text: f(p.spans.overlap.f1) })));
  const rows = data.units.map((u) => el("tr", {}, el("td", {}, el("a", { href: href(where.name, "review", u.unit), class: "unit", text: u.unit })),
    el("td", { text: u.system }), el("td", { text: u.annotators.join(", ") }), el("td", { text: String(u.spans) }),
    el("td", { text: String(u.decisions) }), el("td", { text: u.attention_check || "" })));
  stage(where).append(el("div", { class: "queue" }, el("h1", { text: `${where.name}: adjudication` }),
    rows.length ? el("table", { class: "grid", id: "review-units" },
      el("tr", {}, ["unit", "system", "annotators", "spans", "decisions", "check"].map((h) => el("th", { text: h }))), rows)
      : el("p", { class: "muted", text: "No unit has been finished by two annotators yet." }),
    el("h2", { text: "Agreement before adjudication" }),
    el("p", { class: "muted", text: `${agreement.segments} items with two or more annotators · Krippendorff's alpha (MQM weights) ${f(agreement.krippendorff_alpha)}` }),
    el("table", { class: "grid", id: "agreement" }, el("tr", {}, ["pair", "items", "Cohen's kappa", "span F1 (overlap)"].map((h) => el("th", { text: h }))), pairs)));
}

async function showReviewUnit(where) {
  const data = await api("GET", `/api/campaign-units/${enc(where.unit)}/review`);
  const columns = data.annotations.map((a) => el("div", { class: "annotator-column", "data-annotator": a.annotator },
    el("h3", { text: `${a.annotator}${a.score !== null ? ` · score ${a.score}` : ""} · ${a.state}` }),
    a.spans.length ? a.spans.map((s) => el("label", {}, el("input", { type: "checkbox", value: s.id, class: "pick" }),
      ` row ${s.item + 1}: `, el("q", { text: s.text }), ` ${s.severity} ${s.category}`)) : el("p", { class: "muted", text: "no error spans" })));
  const picked = () => [...document.querySelectorAll("input.pick:checked")].map((n) => n.value);
  const act = (decision) => guarded(async () => {
    await api("POST", `/api/campaign-units/${enc(where.unit)}/decisions`, { decision, spans: picked() });
    say(`Recorded: ${decision}.`);
    await showReviewUnit(where);
  });
  const gold = data.gold.map((g) => el("li", { class: "gold " + g.decision },
    `${g.decision} by ${g.decided_by}: `, g.decision === "dismiss" ? `${g.sources.length} span(s)` : el("q", { text: g.text }),
    g.decision === "dismiss" ? "" : ` ${g.severity} ${g.category}`));
  stage(where).append(el("div", { class: "sheet", id: "review-sheet" }, el("h1", { text: `${data.unit} · ${data.system}` }),
    data.rows.map((row, i) => el("div", { class: "pair judged" }, el("div", { class: "seg", text: row.source || "" }),
      el("div", { class: "seg", text: `${i + 1}. ${row.target}` }))),
    el("div", { class: "columns-review" }, columns),
    el("p", {}, el("button", { id: "accept", type: "button", text: "Accept into gold", onclick: () => act("accept") }), " ",
      el("button", { id: "merge", type: "button", text: "Merge into one gold span", onclick: () => act("merge") }), " ",
      el("button", { id: "dismiss", type: "button", text: "Dismiss", onclick: () => act("dismiss") })),
    el("h2", { text: "Gold decisions" }), el("ul", { id: "gold" }, gold),
    el("p", {}, el("a", { href: href(where.name, "review"), text: "All units" }))));
}

// -- start --------------------------------------------------------------------------------------------
function boot() {
  const link = location.hash.match(/^#campaign=([^&]+)&token=(.+)$/);
  if (link) {
    sessionStorage.setItem("calque-token", decodeURIComponent(link[2]));
    history.replaceState(null, "", location.pathname + href(decodeURIComponent(link[1])));
  }
  state.token = sessionStorage.getItem("calque-token");
  window.addEventListener("hashchange", route);
  document.addEventListener("mouseup", onMouseUp);
  document.addEventListener("keydown", onKey);
  route();
}
boot();
