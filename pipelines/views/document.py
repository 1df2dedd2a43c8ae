"""Side-by-side rendering of a document for the terminal: aligned pairs, annotated spans marked.

Spans are marked twice over: bracketed with ⟦…⟧ and a footnote number (visible in any terminal or
log) and, on a colour terminal, highlighted by severity.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from itertools import zip_longest

import click
import pandas as pd

from corpus import Corpus

SEVERITY_COLOURS = {"Critical": "magenta", "Major": "red", "Minor": "yellow", "Neutral": "cyan"}


@dataclass
class Row:
    source: list[dict]
    target: list[dict]
    score: float | None = None
    status: str | None = None


def document_view(corpus: Corpus, document_id: str, translation_id: str | None = None) -> dict:
    """The data behind `calque show`: per translation, rows of aligned source/target segments with annotations."""
    document = corpus.document(document_id)
    translations = corpus.translations(document_id)
    if translation_id is not None:
        translations = translations[translations.id == translation_id]
        if translations.empty:
            raise click.UsageError(f"document {document_id!r} has no translation {translation_id!r}")
    segments = corpus.segments(document_id=document_id)
    notes = corpus.annotations(document_id=document_id)
    source = segments[segments.side == "source"].sort_values("idx").to_dict("records")
    _attach(source, notes)
    views = []
    for translation in translations.to_dict("records"):
        target = segments[segments.translation_id == translation["id"]].sort_values("idx").to_dict("records")
        _attach(target, notes)
        links = corpus.alignments(translation_id=translation["id"])
        rows = _rows(source, target, links)
        views.append({"translation": _plain(translation, drop=("text",)), "aligned": not links.empty, "rows": [r.__dict__ for r in rows]})
    return {"document": _plain(document, drop=("source_text",)), "source_available": document["source_text"] is not None, "translations": views}


def _plain(row: dict, drop=()) -> dict:
    return {k: v for k, v in row.items() if k not in drop}


def _attach(segments: list[dict], notes: pd.DataFrame) -> None:
    by_segment = {} if notes.empty else {k: g.to_dict("records") for k, g in notes.groupby("segment_id")}
    for segment in segments:
        segment["annotations"] = by_segment.get(segment["id"], [])


def _rows(source: list[dict], target: list[dict], links: pd.DataFrame) -> list[Row]:
    if links.empty:
        return [Row([s] if s else [], [t] if t else []) for s, t in zip_longest(source, target)]
    rows, used_source, used_target = [], set(), set()
    for link in links.to_dict("records"):
        rows.append(Row([source[i] for i in link["source_idx"] if i < len(source)], [target[i] for i in link["target_idx"] if i < len(target)], link["score"], link["status"]))
        used_source.update(link["source_idx"])
        used_target.update(link["target_idx"])
    rows += [Row([s], []) for s in source if s["idx"] not in used_source]
    rows += [Row([], [t]) for t in target if t["idx"] not in used_target]
    return sorted(rows, key=lambda r: (r.target[0]["idx"] if r.target else float("inf"), r.source[0]["idx"] if r.source else -1))


def _marked(segment: dict, footnotes: list[dict]) -> list[tuple[str, str | None]]:
    """The segment as (text, colour) pieces, each annotated span bracketed and numbered."""
    text = segment["text"]
    spans = sorted((a for a in segment["annotations"] if a["end"] > a["start"]), key=lambda a: (a["start"], -a["end"]))
    pieces, cursor = [], 0
    for note in spans:
        if note["start"] < cursor:
            footnotes.append(note)
            pieces.append((f"⁽{len(footnotes)}⁾", SEVERITY_COLOURS.get(note["severity"])))
            continue
        footnotes.append(note)
        pieces.append((text[cursor : note["start"]], None))
        pieces.append((f"⟦{text[note['start']:note['end']]}⟧{len(footnotes)}", SEVERITY_COLOURS.get(note["severity"])))
        cursor = note["end"]
    pieces.append((text[cursor:], None))
    for note in segment["annotations"]:
        if note["end"] == note["start"]:
            footnotes.append(note)
            pieces.append((f"⟦∅⟧{len(footnotes)}", SEVERITY_COLOURS.get(note["severity"])))  # glued to the last word
    return pieces


def _wrap(pieces: list[tuple[str, str | None]], width: int) -> list[list[tuple[str, str | None]]]:
    """Greedy word wrap that keeps each word's colour and never breaks inside a word: pieces not separated
    by a space (a marked span, its footnote number, the punctuation after it) stay on one line."""
    words: list[list[tuple[str, str | None]]] = [[]]
    for text, colour in pieces:
        for i, part in enumerate(text.split(" ")):
            if i > 0 and words[-1]:
                words.append([])
            if part:
                words[-1].append((part, colour))
    lines, line, length = [], [], 0
    for word in (w for w in words if w):
        size = sum(len(t) for t, _ in word)
        if line and length + 1 + size > width:
            lines.append(line)
            line, length = [], 0
        if line:
            line.append((" ", None))
            length += 1
        if size > width:  # a word longer than the column is cut, piece by piece
            for text, colour in word:
                while text:
                    room = width - length
                    if room <= 0:
                        lines.append(line)
                        line, length = [], 0
                        continue
                    line.append((text[:room], colour))
                    length += len(text[:room])
                    text = text[room:]
            continue
        line.extend(word)
        length += size
    if line:
        lines.append(line)
    return lines or [[]]


def _render_cell(line: list[tuple[str, str | None]], width: int) -> str:
    plain = "".join(t for t, _ in line)
    styled = "".join(click.style(t, fg=c, bold=True) if c else t for t, c in line)
    return styled + " " * max(0, width - len(plain))


def render(view: dict, width: int | None = None) -> str:
    width = width or shutil.get_terminal_size((120, 40)).columns
    doc = view["document"]
    out = [click.style(f"{doc['id']}: {doc.get('title') or ''}", bold=True),
           f"original language {doc['lang']}" + ("" if view["source_available"] else " — source unavailable (target-only)")]
    for entry in view["translations"]:
        t = entry["translation"]
        out.append("")
        out.append(click.style(f"── {t['id']} ({t['lang']}, {t['producer']}{', ' + t['system'] if t.get('system') else ''})"
                               f"{'' if entry['aligned'] else ', not aligned'}", bold=True))
        footnotes: list[dict] = []
        two_columns = view["source_available"]
        column = (width - 3) // 2 if two_columns else width
        for row in entry["rows"]:
            right = _wrap([p for seg in row["target"] for p in _marked(seg, footnotes) + [(" ", None)]], column)
            if two_columns:
                left = _wrap([p for seg in row["source"] for p in _marked(seg, footnotes) + [(" ", None)]], column)
                for l, r in zip_longest(left, right, fillvalue=[]):
                    out.append(_render_cell(l, column) + " │ " + _render_cell(r, column).rstrip())
                out.append("─" * column + "─┼─" + "─" * column)
            else:
                out.extend(_render_cell(r, column).rstrip() for r in right)
        for number, note in enumerate(footnotes, start=1):
            stale = " (stale: segment changed)" if note.get("stale") else ""
            line = f"  {number}. [{note['severity']}] {note['category']}: “{note['text']}” — {note.get('comment') or ''} ({note['origin']}, {note['annotator']}){stale}"
            out.append(click.style(line, fg=SEVERITY_COLOURS.get(note["severity"])))
    return "\n".join(out)
