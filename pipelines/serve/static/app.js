// Calque annotation UI. Every piece of corpus text reaches the page through textContent, text nodes or
// attributes set one by one: never through innerHTML. Offsets sent to the server count Unicode code
// points (as Python does), not UTF-16 units.
"use strict";

const SEVERITY_KEYS = { m: "Minor", M: "Major", C: "Critical", N: "Neutral" };
const SEVERITY_RANK = { Critical: 4, Major: 3, Minor: 2, Neutral: 1 };
const NO_ERROR = "No-error";
const WORD = /[\p{L}\p{N}\p{M}]/u;

const state = {
  token: null,
  session: null,
  view: null,        // GET /api/documents/{id}
  entry: null,       // the translation shown: view.translations[i]
  current: 0,        // index into entry.rows
  pending: null,     // the selected span waiting for severity and category
  busy: false,
};

// -- API ------------------------------------------------------------------------------------------
function api(method, path, body) {
  return requestJson(state.token, method, path, body);
}

// -- routing --------------------------------------------------------------------------------------
function parseRoute() {
  const hash = location.hash.replace(/^#/, "");
  const match = hash.match(/^\/doc\/([^?]+)(?:\?t=(.+))?$/);
  if (match) return { page: "doc", id: decodeURIComponent(match[1]), translation: match[2] ? decodeURIComponent(match[2]) : null };
  return { page: "list" };
}

function docHref(id, translation) {
  return "#/doc/" + encodeURIComponent(id) + (translation ? "?t=" + encodeURIComponent(translation) : "");
}

async function route() {
  state.view = null;    // keys are ignored until the next document has loaded (onKey)
  state.entry = null;
  state.pending = null;
  const where = parseRoute();
  try {
    if (where.page === "doc") await showDocument(where.id, where.translation);
    else await showList();
  } catch (error) {
    if (error.status === 401) return showLogin(error.message);
    clear(document.getElementById("main")).append(el("p", { class: "error", text: "Could not load: " + error.message }));
  }
}

// -- login (servers that need tokens) -------------------------------------------------------------
function showLogin(reason) {
  document.getElementById("crumb").textContent = "";
  document.getElementById("who").textContent = "";
  const input = el("input", { type: "password", id: "token", autocomplete: "off", size: 48, "aria-label": "annotator token" });
  const form = el("form", { id: "login" },
    el("p", { text: "This server needs your annotator token (ask the corpus maintainer for one)." }),
    reason ? el("p", { class: "muted", text: reason }) : null,
    input, " ", el("button", { type: "submit", text: "Sign in" }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.token = input.value.trim();
    sessionStorage.setItem("calque-token", state.token);
    start();
  });
  clear(document.getElementById("main")).append(form);
  input.focus();
}

// -- document list --------------------------------------------------------------------------------
function progressBar(done, total) {
  const bar = el("span", { class: "bar", title: `${done} of ${total} segments annotated` });
  const fill = el("span", { class: "fill" });
  fill.style.width = total ? `${Math.round((100 * done) / total)}%` : "0";
  bar.append(fill);
  return bar;
}

async function showList() {
  document.getElementById("crumb").textContent = "Documents";
  document.getElementById("progress").textContent = "";
  const documents = await api("GET", "/api/documents");
  const table = el("table", { class: "documents" },
    el("thead", {}, el("tr", {},
      ["Document", "Translation", "Progress", "Yours", "Suggestions"].map((h) => el("th", { text: h })))));
  const body = el("tbody");
  for (const doc of documents) {
    doc.translations.forEach((t, i) => {
      const row = el("tr", {});
      if (i === 0) {
        row.append(el("td", { rowspan: doc.translations.length, class: "doc" },
          el("a", { href: docHref(doc.id, t.id), text: doc.title || doc.id }),
          el("div", { class: "muted", text: `${doc.id} · ${doc.lang}${doc.source_available ? "" : " · source unavailable"}` })));
      }
      row.append(
        el("td", {}, el("a", { href: docHref(doc.id, t.id), text: t.id }),
          el("div", { class: "muted", text: [t.lang, t.producer, t.system].filter(Boolean).join(" · ") })),
        el("td", { class: "progress" }, progressBar(t.annotated, t.segments), ` ${t.annotated} / ${t.segments}`),
        el("td", { text: String(t.annotated_by_me) }),
        el("td", { text: t.open_suggestions ? `${t.open_suggestions} open` : "—" }));
      body.append(row);
    });
  }
  table.append(body);
  clear(document.getElementById("main")).append(el("h1", { text: "Documents" }), table);
}

// -- document view --------------------------------------------------------------------------------
function belongs(note) {
  return note.translation_id === null || note.translation_id === state.entry.translation.id;
}

function notesOf(segment) {
  return segment.annotations.filter(belongs);
}

function counts(note) {
  return note.status === "confirmed" || (note.origin === "human" && note.status !== "rejected");
}

function isSuggestion(note) {
  return String(note.origin || "").startsWith("auto:");
}

function renderSegment(segment, side) {
  const node = el("span", { class: "seg", "data-side": side, "data-idx": segment.idx, "data-segment": segment.id });
  const text = segment.text;
  const spans = notesOf(segment).filter((a) => a.end > a.start && a.status !== "rejected" && !a.stale);
  const pending = state.pending && state.pending.segment === segment.id ? state.pending : null;
  const cuts = new Set([0, u16ToCp(text, text.length)]);
  for (const a of spans) { cuts.add(a.start); cuts.add(a.end); }
  if (pending) { cuts.add(pending.start); cuts.add(pending.end); }
  const points = [...cuts].sort((x, y) => x - y);
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const piece = cpSlice(text, from, to);
    const covering = spans.filter((a) => a.start <= from && a.end >= to);
    const selected = pending && pending.start <= from && pending.end >= to;
    if (!covering.length && !selected) { node.append(piece); continue; }
    const worst = covering.reduce((w, a) => (SEVERITY_RANK[a.severity] > SEVERITY_RANK[w] ? a.severity : w), "Neutral");
    const classes = ["ann", "sev-" + worst.toLowerCase()];
    if (covering.length && covering.every((a) => isSuggestion(a) && a.status === "open")) classes.push("suggestion");
    if (selected) classes.push("pending");
    const mark = el("mark", { class: classes.join(" ") }, piece);
    mark.title = covering.map((a) => `${a.severity} · ${a.category}${a.comment ? " — " + a.comment : ""}`).join("\n");
    node.append(mark);
  }
  return node;
}

function renderCell(segments, side) {
  const cell = el("div", { class: "cell " + side });
  segments.forEach((segment, i) => {
    if (i) cell.append(" ");
    cell.append(renderSegment(segment, side));
    for (const a of notesOf(segment).filter((a) => a.end === a.start && a.status !== "rejected")) {
      const marker = a.category === NO_ERROR
        ? el("span", { class: "marker ok", title: `no errors (${a.annotator})`, text: "✓" })
        : el("span", { class: "marker sev-" + a.severity.toLowerCase(), title: `${a.severity} · ${a.category}`, text: "∅" });
      cell.append(" ", marker);
    }
  });
  return cell;
}

function rowLabel(row) {
  const idx = row.target.length ? row.target.map((s) => s.idx + 1) : row.source.map((s) => "s" + (s.idx + 1));
  return idx.join("–");
}

function renderRow(row, index) {
  const twoColumns = state.view.source_available;
  const first = row.target[0] || row.source[0];
  const previous = index > 0 ? (state.entry.rows[index - 1].target[0] || state.entry.rows[index - 1].source[0]) : null;
  const classes = ["row"];
  if (previous && first && first.paragraph !== previous.paragraph) classes.push("paragraph");
  if (index === state.current) classes.push("current");
  if (row.target.some((s) => notesOf(s).some(counts))) classes.push("done");
  const node = el("div", { class: classes.join(" "), "data-row": index },
    el("div", { class: "gutter", text: rowLabel(row) }));
  if (twoColumns) node.append(renderCell(row.source, "source"));
  node.append(renderCell(row.target, "target"));
  return node;
}

function rerenderRow(index) {
  const old = document.querySelector(`.row[data-row="${index}"]`);
  if (old) old.replaceWith(renderRow(state.entry.rows[index], index));
}

function updateProgress() {
  const targets = state.entry.rows.flatMap((r) => r.target);
  const done = targets.filter((s) => notesOf(s).some(counts)).length;
  const mine = targets.filter((s) => notesOf(s).some((a) => a.origin === "human" && a.annotator === state.session.annotator)).length;
  const box = clear(document.getElementById("progress"));
  box.append(progressBar(done, targets.length), ` ${done} / ${targets.length} segments annotated (${mine} by you)`);
}

async function showDocument(id, translationId) {
  const view = await api("GET", "/api/documents/" + encodeURIComponent(id));
  const entry = view.translations.find((t) => t.translation.id === translationId) || view.translations[0];
  if (!entry) throw new Error("this document has no translation to annotate");
  state.view = view;
  state.entry = entry;
  state.current = Math.min(state.current, entry.rows.length - 1);
  if (state.lastDocument !== id + "|" + entry.translation.id) state.current = 0;
  state.lastDocument = id + "|" + entry.translation.id;
  document.getElementById("crumb").textContent = view.document.title || view.document.id;

  const tabs = el("nav", { class: "tabs" }, view.translations.map((t) =>
    el("a", { href: docHref(id, t.translation.id), class: t === entry ? "tab active" : "tab",
      text: `${t.translation.id} (${[t.translation.producer, t.translation.system].filter(Boolean).join(", ")})` })));
  const heading = el("div", { class: "doc-head" },
    el("h1", { text: view.document.title || view.document.id }),
    el("div", { class: "muted", text: [view.document.id, view.document.publisher, view.document.date, view.document.lang + " → " + entry.translation.lang]
      .filter(Boolean).join(" · ") + (view.source_available ? "" : " · source unavailable: target only") + (entry.aligned || !view.source_available ? "" : " · not aligned (rows pair segments by position)") }),
    tabs);
  const columns = el("div", { class: view.source_available ? "columns two" : "columns one" },
    el("div", { class: "gutter" }),
    view.source_available ? el("div", { class: "colhead", text: `Source (${view.document.lang})` }) : null,
    el("div", { class: "colhead", text: `Translation (${entry.translation.lang})` }));
  const rows = el("div", { id: "rows", class: view.source_available ? "two" : "one" }, entry.rows.map(renderRow));
  const layout = el("div", { class: "layout" }, el("section", { id: "document" }, heading, columns, rows), el("aside", { id: "panel" }));
  clear(document.getElementById("main")).append(layout);
  updateProgress();
  renderPanel();
}

function setCurrent(index, scroll) {
  if (!state.entry || index < 0 || index >= state.entry.rows.length) return;
  const previous = state.current;
  state.current = index;
  if (state.pending && state.pending.row !== index) cancelPending(false);
  rerenderRow(previous);
  rerenderRow(index);
  if (scroll) document.querySelector(`.row[data-row="${index}"]`).scrollIntoView({ block: "nearest" });
  renderPanel();
}

// -- the side panel: annotations of the current row and the new-annotation form --------------------
function noteItem(note) {
  const mine = note.origin === "human" && note.annotator === state.session.annotator;
  const item = el("li", { class: "note" + (note.status === "rejected" ? " rejected" : ""), "data-id": note.id },
    el("span", { class: "badge sev-" + note.severity.toLowerCase(), text: note.severity }), " ",
    el("strong", { text: note.category }),
    note.end > note.start ? el("q", { text: note.text }) : null,
    note.comment ? el("div", { class: "comment", text: note.comment }) : null,
    note.correction ? el("div", { class: "correction", text: "→ " + note.correction }) : null,
    el("div", { class: "meta", text: [note.side === "source" ? "source side" : null, note.annotator, note.origin !== "human" ? note.origin : null,
      isSuggestion(note) ? note.status : null, note.stale ? "stale: segment changed" : null].filter(Boolean).join(" · ") }));
  const actions = el("div", { class: "actions" });
  if (mine) actions.append(el("button", { type: "button", class: "delete", text: "Delete", onclick: () => removeNote(note) }));
  if (isSuggestion(note) && note.status === "open") {
    actions.append(el("button", { type: "button", class: "accept", text: "Accept (a)", onclick: () => review(note, "confirm") }),
      el("button", { type: "button", class: "reject", text: "Reject (r)", onclick: () => review(note, "reject") }));
  }
  if (actions.childNodes.length) item.append(actions);
  return item;
}

function categoryChoices() {
  const categories = state.session.typology.categories;
  const form = state.pending;
  if (form.top === null) return Object.keys(categories).map((name) => ({ label: name, value: name }));
  return (categories[form.top] || []).map((name) => ({ label: name, value: name }));
}

function renderForm() {
  const form = state.pending;
  const box = el("div", { id: "form" });
  box.append(el("h3", { text: "New annotation" }),
    el("div", { class: "selected" }, form.side === "source" ? "Source span: " : "Span: ", el("q", { id: "selected-text", text: form.text })));
  const severities = el("div", { class: "choices severities" }, el("span", { class: "label", text: "Severity" }));
  for (const [key, name] of Object.entries(SEVERITY_KEYS)) {
    severities.append(el("button", { type: "button", class: "choice sev-" + name.toLowerCase() + (form.severity === name ? " chosen" : ""),
      "data-severity": name, onclick: () => { form.severity = name; renderPanel(); } }, el("kbd", { text: key }), " " + name));
  }
  const categories = el("div", { class: "choices categories" },
    el("span", { class: "label", text: form.top === null ? "Category" : "Category: " + form.top + (form.sub ? "/" + form.sub : "") }));
  if (form.sub === null) {
    categoryChoices().forEach((choice, i) => {
      categories.append(el("button", { type: "button", class: "choice", "data-category": choice.value,
        onclick: () => pickCategory(i) }, el("kbd", { text: i < 9 ? String(i + 1) : "·" }), " " + choice.label));
    });
    if (form.top !== null) categories.append(el("span", { class: "hint", text: "Backspace: back · Enter: save as " + form.top }));
  }
  const comment = el("input", { type: "text", id: "comment", placeholder: "comment (optional)", value: form.comment || "" });
  comment.addEventListener("input", () => { form.comment = comment.value; });
  const correction = el("input", { type: "text", id: "correction", placeholder: "correction (optional)", value: form.correction || "" });
  correction.addEventListener("input", () => { form.correction = correction.value; });
  const ready = form.severity && form.top;
  box.append(severities, categories, comment, correction,
    el("div", { class: "buttons" },
      el("button", { type: "button", id: "save", disabled: !ready, onclick: save, text: "Save (Enter)" }),
      el("button", { type: "button", onclick: () => cancelPending(true), text: "Cancel (Esc)" })));
  return box;
}

function renderPanel() {
  const panel = document.getElementById("panel");
  if (!panel || !state.entry) return;
  const row = state.entry.rows[state.current];
  const notes = [...row.source, ...row.target].flatMap(notesOf);
  clear(panel).append(el("h2", { text: `Segment ${rowLabel(row)} of ${state.entry.rows.filter((r) => r.target.length).length}` }));
  panel.append(notes.length ? el("ul", { class: "notes" }, notes.map(noteItem)) : el("p", { class: "muted", text: "No annotations on this segment yet." }));
  if (state.pending) panel.append(renderForm());
  else {
    panel.append(el("p", { class: "hint" }, "Select words with the mouse to annotate them."),
      el("button", { type: "button", id: "no-error", text: "No errors here (n)", onclick: markNoError, disabled: !row.target.length }));
  }
  panel.append(el("dl", { class: "keys" },
    ...[["↑ ↓", "previous / next segment"], ["m M C N", "minor, major, critical, neutral"], ["1–9", "category, then subcategory"],
      ["Enter", "save"], ["Esc", "cancel"], ["a r", "accept / reject a suggestion"], ["n", "segment has no errors"]]
      .flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])));
}

// -- selecting a span -----------------------------------------------------------------------------
function segmentElement(node) {
  const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  return element ? element.closest(".seg") : null;
}

function findSegment(id) {
  for (const [index, row] of state.entry.rows.entries()) {
    for (const segment of [...row.source, ...row.target]) if (segment.id === id) return { segment, index };
  }
  return null;
}

function selectionSpan() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  const touched = [...document.querySelectorAll("#rows .seg")].filter((node) => range.intersectsNode(node));
  const nonEmpty = touched.filter((node) => {
    const piece = range.cloneRange();
    const inner = document.createRange();
    inner.selectNodeContents(node);
    if (piece.compareBoundaryPoints(Range.START_TO_START, inner) < 0) piece.setStart(inner.startContainer, inner.startOffset);
    if (piece.compareBoundaryPoints(Range.END_TO_END, inner) > 0) piece.setEnd(inner.endContainer, inner.endOffset);
    return piece.toString().trim().length > 0;
  });
  if (nonEmpty.length !== 1) return nonEmpty.length > 1 ? { error: "Select words within one segment." } : null;
  const node = nonEmpty[0];
  const found = findSegment(node.dataset.segment);
  if (!found) return null;
  const text = found.segment.text;
  const measure = document.createRange();
  measure.selectNodeContents(node);
  let start = 0;
  let end = text.length;
  if (node.contains(range.startContainer)) { measure.setEnd(range.startContainer, range.startOffset); start = measure.toString().length; }
  measure.selectNodeContents(node);
  if (node.contains(range.endContainer)) { measure.setEnd(range.endContainer, range.endOffset); end = measure.toString().length; }
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  // A selection that cuts a word takes the whole word, as Anthea does.
  while (start > 0 && start < end && WORD.test(text[start - 1]) && WORD.test(text[start])) start--;
  while (end < text.length && end > start && WORD.test(text[end - 1]) && WORD.test(text[end])) end++;
  if (start >= end) return null;
  const [cpStart, cpEnd] = [u16ToCp(text, start), u16ToCp(text, end)];
  return { segment: found.segment.id, idx: found.segment.idx, side: node.dataset.side, row: found.index,
    start: cpStart, end: cpEnd, text: text.slice(start, end) };
}

function onMouseUp(event) {
  if (!state.entry || event.target.closest("#panel") || event.target.closest(".doc-head")) return;
  const span = selectionSpan();
  if (span && span.error) return say(span.error, "error");
  if (!span) {
    const row = event.target.closest(".row");
    if (row) setCurrent(Number(row.dataset.row), false);
    return;
  }
  const previous = state.pending;
  state.pending = { ...span, severity: previous ? previous.severity : null, top: null, sub: null, comment: "", correction: "" };
  const old = state.current;
  state.current = span.row;
  if (previous && previous.row !== span.row) rerenderRow(previous.row);
  if (old !== span.row) rerenderRow(old);
  rerenderRow(span.row);
  window.getSelection().removeAllRanges();
  renderPanel();
}

function cancelPending(render) {
  const pending = state.pending;
  state.pending = null;
  if (pending) rerenderRow(pending.row);
  if (render) renderPanel();
}

function pickCategory(i) {
  const form = state.pending;
  const choices = categoryChoices();
  if (i < 0 || i >= choices.length) return;
  if (form.top === null) {
    form.top = choices[i].value;
  } else {
    form.sub = choices[i].value;
  }
  renderPanel();
}

// -- writes ---------------------------------------------------------------------------------------
function replaceNote(updated) {
  for (const row of state.entry.rows) {
    for (const segment of [...row.source, ...row.target]) {
      const at = segment.annotations.findIndex((a) => a.id === updated.id);
      if (at >= 0) segment.annotations[at] = updated;
    }
  }
}

function dropNote(id) {
  for (const row of state.entry.rows) {
    for (const segment of [...row.source, ...row.target]) segment.annotations = segment.annotations.filter((a) => a.id !== id);
  }
}

async function reloadAfter(error) {
  if (error.status === 409) say("Someone else changed this annotation first; showing the current state.", "error");
  else if (error.status === 401) return showLogin(error.message);
  else say(error.message, "error");
  if (state.view) await showDocument(state.view.document.id, state.entry.translation.id);
}

async function save() {
  const form = state.pending;
  if (!form || !form.severity || !form.top || state.busy) {
    if (form && !form.severity) say("Pick a severity: m minor, M major, C critical, N neutral.", "error");
    else if (form && !form.top) say("Pick a category with the number keys.", "error");
    return;
  }
  state.busy = true;
  const body = { translation: state.entry.translation.id, side: form.side, segment: form.idx, start: form.start, end: form.end,
    text: form.text, category: form.sub ? form.top + "/" + form.sub : form.top, severity: form.severity };
  if ((form.comment || "").trim()) body.comment = form.comment.trim();
  if ((form.correction || "").trim()) body.correction = form.correction.trim();
  try {
    const note = await api("POST", "/api/annotations", body);
    findSegment(note.segment_id).segment.annotations.push(note);
    state.pending = null;
    rerenderRow(form.row);
    renderPanel();
    updateProgress();
    say("Saved.");
  } catch (error) {
    if (error.status === 400) say(error.message, "error");
    else await reloadAfter(error);
  } finally {
    state.busy = false;
  }
}

async function markNoError() {
  const row = state.entry.rows[state.current];
  const segment = row.target[0];
  if (!segment || state.busy) return;
  state.busy = true;
  try {
    const note = await api("POST", "/api/annotations", { translation: state.entry.translation.id, segment: segment.idx, start: 0, end: 0,
      text: "", category: NO_ERROR, severity: "Neutral" });
    segment.annotations.push(note);
    rerenderRow(state.current);
    renderPanel();
    updateProgress();
    say("Marked as having no errors.");
  } catch (error) {
    await reloadAfter(error);
  } finally {
    state.busy = false;
  }
}

async function removeNote(note) {
  try {
    await api("DELETE", `/api/annotations/${encodeURIComponent(note.id)}?version=${note.version}`);
    dropNote(note.id);
    rerenderRow(state.current);
    renderPanel();
    updateProgress();
    say("Deleted.");
  } catch (error) {
    await reloadAfter(error);
  }
}

async function review(note, decision) {
  try {
    const updated = await api("POST", `/api/annotations/${encodeURIComponent(note.id)}/${decision}`, { version: note.version });
    replaceNote(updated);
    rerenderRow(state.current);
    renderPanel();
    updateProgress();
    say(decision === "confirm" ? "Suggestion accepted." : "Suggestion rejected.");
  } catch (error) {
    await reloadAfter(error);
  }
}

function firstOpenSuggestion() {
  const row = state.entry.rows[state.current];
  return [...row.source, ...row.target].flatMap(notesOf).find((a) => isSuggestion(a) && a.status === "open");
}

// -- keyboard -------------------------------------------------------------------------------------
function onKey(event) {
  if (!state.view || !state.entry || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.matches && target.matches("input, textarea, select")) {
    if (event.key === "Enter" && state.pending) { event.preventDefault(); save(); }
    else if (event.key === "Escape") target.blur();
    return;
  }
  const key = event.key;
  const form = state.pending;
  let handled = true;
  if (key === "ArrowDown" || key === "j") setCurrent(state.current + 1, true);
  else if (key === "ArrowUp" || key === "k") setCurrent(state.current - 1, true);
  else if (form && SEVERITY_KEYS[key]) { form.severity = SEVERITY_KEYS[key]; renderPanel(); }
  else if (form && /^[1-9]$/.test(key) && form.sub === null) pickCategory(Number(key) - 1);
  else if (form && key === "Backspace") {
    if (form.sub !== null) form.sub = null; else form.top = null;
    renderPanel();
  } else if (form && key === "Enter") save();
  else if (form && key === "Escape") cancelPending(true);
  else if (!form && key === "n") markNoError();
  else if (!form && (key === "a" || key === "r")) {
    const suggestion = firstOpenSuggestion();
    if (suggestion) review(suggestion, key === "a" ? "confirm" : "reject"); else handled = false;
  } else handled = false;
  if (handled) event.preventDefault();
}

// -- start ----------------------------------------------------------------------------------------
async function start() {
  try {
    state.session = await api("GET", "/api/session");
  } catch (error) {
    if (error.status === 401) return showLogin(state.token ? error.message : null);
    clear(document.getElementById("main")).append(el("p", { class: "error", text: "Could not reach the server: " + error.message }));
    return;
  }
  document.getElementById("who").textContent = "annotator: " + state.session.annotator;
  await route();
}

function init() {
  const fromLink = location.hash.match(/^#token=(.+)$/);
  if (fromLink) {
    sessionStorage.setItem("calque-token", decodeURIComponent(fromLink[1]));
    history.replaceState(null, "", location.pathname + "#/");
  }
  state.token = sessionStorage.getItem("calque-token");
  window.addEventListener("hashchange", route);
  document.addEventListener("mouseup", onMouseUp);
  document.addEventListener("keydown", onKey);
  start();
}

init();
