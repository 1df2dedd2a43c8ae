"""Sentence segmentation that keeps paragraph membership and exact character offsets.

Paragraphs are separated by blank lines; a single line break inside a paragraph is a hard boundary
too (headlines, bullet lists). Inside a line, sentences come from sentencex, with a per-language list
of abbreviations after which a full stop never ends a sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sentencex import segment as sentencex_segment

from corpus.languages import base_language

PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
LINE = re.compile(r"[^\n]+")

ABBREVIATIONS: dict[str, frozenset[str]] = {
    "de": frozenset(
        "z.B. d.h. u.a. bzw. ca. Dr. Prof. Nr. Str. usw. vgl. evtl. ggf. inkl. Mio. Mrd. Jh. St. geb. Abs. Art. Hrsg.".split()
    ),
    "en": frozenset("Mr. Mrs. Ms. Dr. Prof. St. Jr. Sr. e.g. i.e. etc. vs. No. Inc. Ltd. Co. Corp. U.S. U.K.".split()),
    "fr": frozenset("M. Mme. Mlle. Dr. etc. cf. av. apr. J.-C. St. Ste.".split()),
}


@dataclass(frozen=True)
class Segment:
    idx: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SegmenterConfig:
    """How a text is cut: `line_breaks` makes every line break a boundary; extra abbreviations per language."""

    line_breaks: bool = True
    extra_abbreviations: dict[str, frozenset[str]] = field(default_factory=dict)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _ends_with_abbreviation(sentence: str, abbreviations: frozenset[str]) -> bool:
    last = sentence.rstrip().rsplit(None, 1)
    if not last:
        return False
    return last[-1] in abbreviations


def _sentences(text: str, start: int, end: int, lang: str, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], located by searching each sentencex piece in order."""
    chunk = text[start:end]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in sentencex_segment(lang, chunk):
        stripped = piece.strip()
        if not stripped:
            continue
        found = chunk.find(stripped, cursor)
        if found < 0:  # sentencex normalised something; fall back to the raw cursor position
            found = cursor
        piece_end = found + len(stripped)
        if spans and _ends_with_abbreviation(chunk[spans[-1][0] : spans[-1][1]], abbreviations):
            spans[-1] = (spans[-1][0], piece_end)
        else:
            spans.append((found, piece_end))
        cursor = piece_end
    if not spans and chunk.strip():
        spans.append(_stripped(chunk, 0, len(chunk)))
    return [(start + s, start + e) for s, e in spans]


def segment_text(text: str, lang: str, config: SegmenterConfig | None = None) -> list[Segment]:
    """Cut `text` into sentences; every Segment's text is exactly text[start:end]."""
    config = config or SegmenterConfig()
    language = base_language(lang)
    abbreviations = ABBREVIATIONS.get(language, frozenset()) | config.extra_abbreviations.get(language, frozenset())
    result: list[Segment] = []
    for paragraph, (p_start, p_end) in enumerate(paragraph_spans(text)):
        if config.line_breaks:
            lines = [(p_start + m.start(), p_start + m.end()) for m in LINE.finditer(text[p_start:p_end])]
        else:
            lines = [(p_start, p_end)]
        for l_start, l_end in lines:
            l_start, l_end = _stripped(text, l_start, l_end)
            if l_start == l_end:
                continue
            for s_start, s_end in _sentences(text, l_start, l_end, language, abbreviations):
                s_start, s_end = _stripped(text, s_start, s_end)
                if s_start < s_end:
                    result.append(Segment(len(result), paragraph, s_start, s_end, text[s_start:s_end]))
    return result


def lines_as_segments(lines: list[str]) -> tuple[str, list[Segment]]:
    """One segment per line (parallel files): the text is the lines joined by newlines, one paragraph each."""
    segments, offset = [], 0
    for idx, line in enumerate(lines):
        segments.append(Segment(idx, idx, offset, offset + len(line), line))
        offset += len(line) + 1
    return "\n".join(lines), segments
