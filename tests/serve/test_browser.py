"""The annotation UI in a real browser: Debian's headless Chromium driven by Playwright."""
from __future__ import annotations

import pytest

from corpus.typology import corpus_typology
from tests.browser import css_string, needs_chromium, span_rects, watched_page
from tests.serve.conftest import XSS

pytestmark = needs_chromium

# Per segment: the code-point ranges drawn as annotation marks.
MARKED_RANGES = """() => {
  const result = {};
  for (const seg of document.querySelectorAll("#rows .seg")) {
    let position = 0;
    const ranges = [];
    for (const child of seg.childNodes) {
      const length = Array.from(child.textContent).length;
      if (child.nodeName === "MARK") ranges.push([position, position + length]);
      position += length;
    }
    result[seg.dataset.segment] = ranges;
  }
  return result;
}"""


@pytest.fixture
def page(browser):
    page = watched_page(browser)
    yield page
    page.context.close()


def open_document(page, server, document_id: str, translation_id: str | None = None):
    suffix = f"?t={translation_id}" if translation_id else ""
    page.goto(f"{server.url}/#/doc/{document_id}{suffix}")
    page.wait_for_selector(f'#rows .seg[data-segment^="{translation_id or document_id}"]')


def drag_over(page, segment_id: str, start: int, end: int):
    """Press the mouse a little inside the first character and release a little inside the last one."""
    rect = span_rects(page, f".seg[data-segment={css_string(segment_id)}]", start, end)["first"]
    y = (rect["top"] + rect["bottom"]) / 2
    page.mouse.move(rect["left"] + 3, y)
    page.mouse.down()
    page.mouse.move(rect["right"] - 3, y, steps=8)
    page.mouse.up()


def test_select_a_span_pick_severity_and_category_by_keyboard_and_save(page, live_server, corpus):
    typology = corpus_typology(corpus)
    top = list(typology.categories)[0]
    sub = typology.categories[top][2]
    segment = corpus.segments(translation_id="harbour-bridge.de.mt").set_index("idx").loc[2]
    word = "Radfahrer"
    start = segment.text.index(word)
    open_document(page, live_server, "harbour-bridge", "harbour-bridge.de.mt")

    drag_over(page, segment.id, start, start + len(word))
    assert page.locator("#selected-text").text_content() == word
    page.keyboard.press("Shift+M")
    page.keyboard.press("1")
    page.keyboard.press("3")
    page.fill("#comment", "cyclists, not riders")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"li.note:has-text('{top}/{sub}')")

    notes = corpus.annotations(translation_id="harbour-bridge.de.mt")
    [saved] = notes[notes.annotator == "alice"].to_dict("records")
    assert (saved["segment_idx"], saved["start"], saved["end"], saved["text"]) == (2, start, start + len(word), word)
    assert (saved["category"], saved["severity"], saved["comment"], saved["origin"]) == (f"{top}/{sub}", "Major", "cyclists, not riders", "human")
    assert page.locator(f'.seg[data-segment="{segment.id}"] mark').first.text_content() == word

    page.click("li.note button.delete")
    page.wait_for_selector("li.note", state="detached")
    notes = corpus.annotations(translation_id="harbour-bridge.de.mt")
    assert not (notes.annotator == "alice").any()
    assert page.console_errors == []


def test_xss_payload_in_segment_text_stays_inert(page, live_server, corpus):
    corpus.add_annotations([{"translation": "hostile.de.mt", "segment": 1, "start": 0, "end": 4, "category": "Other",
                             "severity": "Minor", "comment": XSS, "correction": XSS, "annotator": "mallory"}], actor="mallory")
    open_document(page, live_server, "hostile", "hostile.de.mt")
    assert page.locator('.seg[data-segment="hostile.de.mt:1"]').text_content() == XSS
    assert page.locator('.seg[data-segment="hostile:1"]').text_content() == XSS
    assert page.locator("h1").text_content() == "Hostile <b>markup</b> test"
    page.keyboard.press("ArrowDown")
    page.wait_for_selector("li.note .comment")
    assert page.locator("li.note .comment").text_content() == XSS
    assert page.locator("#main img, #main b").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.console_errors == []


def test_seed_hand_annotations_are_shown(page, live_server, corpus):
    notes = corpus.annotations(document_id="seed-hikvision")
    assert len(notes) == 48 and set(notes.origin) == {"human"}
    open_document(page, live_server, "seed-hikvision")
    marked = page.evaluate(MARKED_RANGES)
    for note in notes[notes.end > notes.start].itertuples():
        covered = marked[note.segment_id]
        assert any(a <= note.start and note.end <= b for a, b in _merged(covered)), (note.text, covered)

    listed = page.locator("li.note").count()
    rows = page.locator("#rows .row").count()
    for _ in range(rows - 1):
        page.keyboard.press("ArrowDown")
        listed += page.locator("li.note").count()
    assert listed == len(notes)
    assert page.locator("#rows .row.current .gutter").text_content() == str(rows)
    assert page.console_errors == []


def test_suggestion_accepted_from_the_keyboard(page, live_server, corpus):
    [suggestion] = corpus.add_annotations([{"translation": "harbour-bridge.de.mt", "text": "Donnerstagabend", "category": "Accuracy",
                                            "severity": "Minor", "origin": "auto:test-check", "annotator": "calque-check"}], actor="calque-check")
    open_document(page, live_server, "harbour-bridge", "harbour-bridge.de.mt")
    assert page.locator('.seg[data-segment="harbour-bridge.de.mt:1"] mark.suggestion').text_content() == "Donnerstagabend"
    page.keyboard.press("ArrowDown")
    page.wait_for_selector("li.note button.accept")
    page.keyboard.press("a")
    page.wait_for_selector("li.note .meta:has-text('confirmed')")
    stored = corpus.annotations().set_index("id").loc[suggestion]
    assert (stored.status, stored.version) == ("confirmed", 2)
    assert corpus.journal(entity="annotations", limit=1).actor.iloc[0] == "alice"


def _merged(ranges):
    merged = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def test_token_sign_in_on_a_server_that_requires_tokens(page, corpus):
    from pipelines.serve import TokenStore
    from tests.serve.conftest import LiveServer

    token = TokenStore(corpus.path).add("carol")
    with LiveServer(corpus, None, policy_host="0.0.0.0") as server:
        page.goto(f"{server.url}/")
        page.wait_for_selector("#login")
        assert page.locator("table.documents").count() == 0
        page.fill("#token", "not-a-token")
        page.click("#login button")
        page.wait_for_selector("#login >> text=unknown or revoked token")
        page.fill("#token", token)
        page.click("#login button")
        page.wait_for_selector("table.documents")
        assert page.locator("#who").text_content() == "annotator: carol"
        assert page.evaluate("location.hash") in ("", "#/")
    assert page.console_errors == [] or all("401" in e for e in page.console_errors)


def test_keys_pressed_while_the_next_document_loads_are_ignored(page, live_server, corpus):
    """Switching documents: until the new one has arrived, keys do nothing (no TypeError, no move in the old one)."""
    open_document(page, live_server, "harbour-bridge", "harbour-bridge.de.mt")
    held = []
    page.route("**/api/documents/retailer-fine", lambda route: held.append(route))
    page.evaluate("location.hash = '#/doc/retailer-fine'")
    page.wait_for_function("true")
    deadline = 50
    while not held and deadline:
        page.wait_for_timeout(100)
        deadline -= 1
    assert held, "the document request was not made"
    for key in ["j", "j", "k", "ArrowDown", "n", "a", "m", "1", "Enter", "Escape", "Backspace"]:
        page.keyboard.press(key)
    held[0].continue_()
    page.wait_for_selector('#rows .seg[data-segment^="retailer-fine.de"]')
    page.keyboard.press("j")
    assert page.console_errors == []
    assert corpus.annotations(translation_id="harbour-bridge.de.mt").annotator.eq("alice").sum() == 0
