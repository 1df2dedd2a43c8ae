"""Open an HTML file in Debian's headless Chromium (playwright) and report console errors and images."""
from __future__ import annotations

from pathlib import Path

from tests.browser import launched


def inspect_page(path: Path, screenshot: Path | None = None) -> dict:
    """Console errors, failed requests and (naturalWidth, naturalHeight) of every image after load."""
    with launched() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors, failed, requests = [], [], []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight, i.alt])")
        title = page.title()
        if screenshot is not None:
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            page.screenshot(path=str(screenshot), full_page=True)
    return {"errors": errors, "failed": failed, "requests": requests, "images": images, "title": title}


def assert_page_is_clean(path: Path) -> dict:
    page = inspect_page(path)
    assert page["errors"] == [], page["errors"]
    assert page["failed"] == [], page["failed"]
    # a self-contained file asks for nothing but itself and its data: URIs
    assert all(url.startswith(("file:", "data:")) for url in page["requests"]), page["requests"]
    assert page["images"], "the report has no figure"
    broken = [image for image in page["images"] if not image[0] or image[1] == 0 or image[2] == 0]
    assert broken == [], broken
    return page


def overflowing_tables(path: Path, screenshot: Path, width: int = 1280) -> dict:
    """At a `width`-pixel viewport with every <details> open: the page width and the tables that stick out of
    the viewport or of their container (id of their section, right edge, table width, container width)."""
    with launched() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        measured = page.evaluate(f"""() => ({{
            page: document.documentElement.scrollWidth,
            tables: document.querySelectorAll('table').length,
            over: Array.from(document.querySelectorAll('table'))
                .map(t => [t.closest('section') ? t.closest('section').id : '', Math.round(t.getBoundingClientRect().right),
                           t.scrollWidth, t.parentElement.clientWidth])
                .filter(x => x[1] > {width} || x[2] > x[3])
        }})""")
        page.screenshot(path=str(screenshot), full_page=True)
    return measured
