// Helpers shared by the annotation UI (app.js) and the campaign UI (campaign.js): JSON requests, DOM, text.
// Corpus text reaches the page only through textContent and text nodes; offsets count code points.
"use strict";

// -- the JSON API ----------------------------------------------------------------------------------
// A request with the bearer token (when signed in); a failed one throws an Error carrying the server's
// message, the HTTP status and the parsed body.
async function requestJson(token, method, path, body) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  const init = { method, headers, credentials: "same-origin" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body || {});
  }
  const response = await fetch(path, init);
  let data = null;
  try { data = await response.json(); } catch (_) { data = null; }
  if (!response.ok) {
    const error = new Error((data && data.error) || response.statusText);
    error.status = response.status;
    error.data = data;
    throw error;
  }
  return data;
}

// -- small DOM helpers ----------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

let messageTimer = null;
function say(text, kind) {
  const box = document.getElementById("message");
  box.textContent = text;
  box.className = kind || "info";
  box.hidden = false;
  clearTimeout(messageTimer);
  messageTimer = setTimeout(() => { box.hidden = true; }, kind === "error" ? 8000 : 2500);
}

// -- code points vs UTF-16 ------------------------------------------------------------------------
function u16ToCp(text, u16) {
  let cp = 0;
  for (let i = 0; i < u16 && i < text.length; cp++) i += text.codePointAt(i) > 0xffff ? 2 : 1;
  return cp;
}

function cpToU16(text, cp) {
  let i = 0;
  for (let n = 0; n < cp && i < text.length; n++) i += text.codePointAt(i) > 0xffff ? 2 : 1;
  return i;
}

function cpSlice(text, start, end) {
  return text.slice(cpToU16(text, start), cpToU16(text, end));
}
