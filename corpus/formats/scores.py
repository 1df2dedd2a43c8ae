"""Segment score files onto a WMT test set in the corpus: DA or ESA scores as `calque meta-eval --scores` reads them.

A header naming three whitespace- or tab-separated columns, `system`, `seg_id` and the score (any name), then
one row per rated (system, segment); seg_id is the 1-based line of the imported set (`calque import wmt`).
Systems and references are named as in corpus.formats.wmt_stored (`refA` is reference A). A score of `None`,
`nan` or `-` means unrated and is counted, not stored. ESA scores lie in 0–100; DA scores may be raw (0–100)
or z-scores.

Each score becomes a score marker (corpus.typology.SCORE_MARKERS: "ESA score" or "DA score", the number as
written in `comment`) on the segment, by the annotator named after the file: a score file holds scores
already averaged over raters, so it counts as one rater. Re-importing the file adds nothing twice.
"""
from __future__ import annotations

import math
from pathlib import Path

from corpus.errors import InputError
from corpus.formats.annotation_writer import AnnotationWriter
from corpus.formats.reading import iter_lines
from corpus.formats.wmt_stored import choose_set
from corpus.ingest import Ingest
from corpus.typology import SCORE_MARKERS, marker_record

UNRATED = {"none", "nan", "-", "na", "n/a"}
PROTOCOLS = tuple(SCORE_MARKERS)


def checked_score(text: str, protocol: str, path: str, line: int) -> str:
    """The score as written, once it reads as a number this protocol allows; InputError otherwise."""
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"score must be a number, got {text!r}", path, line) from None
    if not math.isfinite(value):
        raise InputError(f"score {text!r}: not a finite number", path, line)
    if protocol == "esa" and not 0 <= value <= 100:
        raise InputError(f"score {text!r}: ESA scores lie between 0 and 100", path, line)
    return text


def read_scores(path: str) -> list[tuple[int, str, int, str]]:
    """(line, system, seg_id, score text) for every row; unrated rows keep their text ('None')."""
    rows: list[tuple[int, str, int, str]] = []
    header: list[str] | None = None
    for number, line in iter_lines(path):
        if not line.strip():
            continue
        fields = line.split()
        if header is None:
            header = fields
            if len(header) != 3 or "system" not in header or "seg_id" not in header:
                raise InputError("header must name three columns: system, seg_id and the score", path, number)
            continue
        if len(fields) != 3:
            raise InputError(f"expected 3 columns, found {len(fields)}", path, number)
        row = dict(zip(header, fields))
        score = next(v for k, v in row.items() if k not in ("system", "seg_id"))
        try:
            seg_id = int(row["seg_id"])
        except ValueError:
            raise InputError(f"seg_id must be an integer, got {row['seg_id']!r}", path, number) from None
        rows.append((number, row["system"], seg_id, score))
    if header is None:
        raise InputError("file is empty", path)
    return rows


def import_file(ingest: Ingest, path: str, progress=None, protocol: str | None = None, testset: str | None = None, **_ignored) -> dict:
    if protocol == "mqm":
        raise InputError("MQM scores come from error spans, which a score file lacks: import the spans (--format google-mqm "
                         "or appraise), or give the file's protocol (--protocol esa or da)", path)
    if protocol not in PROTOCOLS:
        raise InputError(f"a score file needs --protocol ({' or '.join(PROTOCOLS)}): which scores it holds", path)
    rows = read_scores(path)
    stored = choose_set(ingest.tx.connection, testset, path=path)
    writer = AnnotationWriter(ingest, batched=True)
    writer.preload(stored.translation_ids())
    annotator = Path(path).name
    counts = {"set": stored.key, "protocol": protocol, "scores": 0, "unrated": 0, "systems": 0}
    seen: dict[tuple[str, int], int] = {}
    systems = set()
    for line, name, seg_id, text in rows:
        if text.lower() in UNRATED:
            counts["unrated"] += 1
            continue
        checked_score(text, protocol, path, line)
        if (name, seg_id) in seen:
            raise InputError(f"system {name!r} seg_id {seg_id} is scored twice (first on line {seen[(name, seg_id)]})", path, line)
        seen[(name, seg_id)] = line
        where = stored.locate(seg_id - 1)
        if where is None:
            raise InputError(f"seg_id {seg_id} is outside the test set {stored.key} (1..{stored.lines})", path, line)
        document, segment = where
        resolved = stored.resolve(name)
        translation_id = stored.translation(document, *resolved) if resolved else None
        if translation_id is None:
            raise InputError(f"{name!r} is none of the systems or references of {stored.key} in document {document.id!r} "
                             f"(systems: {', '.join(stored.systems)}; references: {', '.join(stored.references)})", path, line)
        systems.add(resolved)
        writer.add(marker_record(segment=segment, translation=translation_id, annotator=annotator, origin="human",
                                 category=SCORE_MARKERS[protocol], comment=text), line)
        counts["scores"] += 1
        if progress is not None:
            progress.update(1)
    counts["systems"] = len(systems)
    writer.flush()
    counts["already_present"] = writer.skipped
    return counts
