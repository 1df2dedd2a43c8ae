"""Side-by-side differences between a reference and a hypothesis, as escaped HTML.

Words are aligned first (so matching words anchor the comparison, as CharCut's block matching does),
then characters inside each replaced stretch: "Hauptstadt" → "Hauptstädte" marks only "ä" and "e"."""
from __future__ import annotations

import difflib
import html
import re

MAX_CHARS = 1500
TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def _mark(text: str, tag: str) -> str:
    return f"<{tag}>{html.escape(text)}</{tag}>" if text else ""


def _char_level(ref: str, hyp: str) -> tuple[str, str]:
    matcher = difflib.SequenceMatcher(None, ref, hyp, autojunk=False)
    # Below this share of common characters the stretches are simply different text.
    if matcher.ratio() < 0.5:
        return _mark(ref, "del"), _mark(hyp, "ins")
    left, right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(html.escape(ref[i1:i2]))
            right.append(html.escape(hyp[j1:j2]))
        else:
            left.append(_mark(ref[i1:i2], "del"))
            right.append(_mark(hyp[j1:j2], "ins"))
    return "".join(left), "".join(right)


def char_diff(reference: str, hypothesis: str) -> tuple[str, str]:
    """(reference HTML, hypothesis HTML): text only in the reference in <del>, only in the hypothesis in
    <ins>; everything escaped. Very long segments are compared on their first MAX_CHARS characters."""
    ref_tokens = TOKEN.findall(reference[:MAX_CHARS])
    hyp_tokens = TOKEN.findall(hypothesis[:MAX_CHARS])
    matcher = difflib.SequenceMatcher(None, ref_tokens, hyp_tokens, autojunk=False)
    left, right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = "".join(ref_tokens[i1:i2]), "".join(hyp_tokens[j1:j2])
        if tag == "equal":
            left.append(html.escape(a))
            right.append(html.escape(b))
        elif tag == "replace":
            marked_a, marked_b = _char_level(a, b)
            left.append(marked_a)
            right.append(marked_b)
        else:
            left.append(_mark(a, "del"))
            right.append(_mark(b, "ins"))
    return ("".join(left) + html.escape(reference[MAX_CHARS:]), "".join(right) + html.escape(hypothesis[MAX_CHARS:]))
