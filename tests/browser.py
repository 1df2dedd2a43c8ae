"""Debian's headless Chromium driven by Playwright, for the UI and report tests."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NO_CHROMIUM = "Debian's chromium is not installed (make system-deps)"
needs_chromium = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]


def require_chromium():
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    return pytest.importorskip("playwright.sync_api")


@contextlib.contextmanager
def launched() -> Iterator:
    """A Chromium browser, closed on the way out."""
    sync_api = require_chromium()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def watched_page(browser, width: int = 1400, height: int = 900):
    """A page in a fresh context that collects console and page errors in `page.console_errors`."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


# Viewport rectangles of code points [start, end) of the element a CSS selector picks, whatever marks split
# its text: {first, last}, the first and last line box of the range (each {left, right, top, bottom}).
SPAN_RECTS = """([selector, start, end]) => {
  const seg = document.querySelector(selector);
  seg.scrollIntoView({block: "center"});
  const walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0, node;
  while ((node = walker.nextNode())) {
    const points = Array.from(node.data);
    const at = (cp) => points.slice(0, cp - seen).join("").length;
    if (start >= seen && start <= seen + points.length) range.setStart(node, at(start));
    if (end >= seen && end <= seen + points.length) { range.setEnd(node, at(end)); break; }
    seen += points.length;
  }
  const rects = range.getClientRects();
  const box = (r) => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  return {first: box(rects[0]), last: box(rects[rects.length - 1])};
}"""


def css_string(value) -> str:
    """A CSS string literal of value, for an attribute selector."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def span_rects(page, selector: str, start: int, end: int) -> dict:
    return page.evaluate(SPAN_RECTS, [selector, start, end])
