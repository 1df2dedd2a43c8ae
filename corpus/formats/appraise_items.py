"""One item (row) of an Appraise export as annotation records: its error spans (the `mqm` column), checked
field by field, and its score.

The spans are a JSON list (some Appraise versions print a Python literal) of {"start_i", "end_i", "severity", "error_type"}:
character offsets into the item's target text, end exclusive, or "missing" for both when the rater flagged
missing content without a span (read as an empty span at the end of the target, category Accuracy/Omission).
ESA campaigns leave error_type null (read as category "Other"). A span whose severity the rater left
`undecided` (WMT24 ESA has a few) is counted and left out.
"""
from __future__ import annotations

import ast
import warnings
from typing import Annotated, Any

from pydantic import AfterValidator

from corpus.errors import InputError
from corpus.typology import is_marker, marker_record
from corpus.validation import MAX_OFFSET, NonBlank, Record, Text, check_value, load_json, parse

SEVERITIES = {"minor": "Minor", "major": "Major", "critical": "Critical", "neutral": "Neutral"}
UNDECIDED = "undecided"
OMISSION = "Accuracy/Omission"
UNSPECIFIED = "Other"


def _offset_or_missing(value: Any) -> int | str:
    if value == "missing" or (type(value) is int and 0 <= value <= MAX_OFFSET):
        return value
    raise ValueError(f"must be a character offset (an integer from 0) or \"missing\", got {type(value).__name__} {value!r}"[:160])


SpanEnd = Annotated[Any, AfterValidator(_offset_or_missing)]


class AppraiseSpan(Record):
    start_i: SpanEnd
    end_i: SpanEnd
    severity: NonBlank
    error_type: Text | None = None


def _errors(value: str, path: str, line: int) -> list:
    value = value.strip()
    if not value:
        return []
    try:
        errors = load_json(value, path, line)
    except InputError:
        try:
            with warnings.catch_warnings():  # what the compiler says of a bad literal: the error below says it in one line
                warnings.simplefilter("ignore", SyntaxWarning)
                errors = ast.literal_eval(value)  # some Appraise versions print Python literals
            check_value(errors, "mqm")
        except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
            raise InputError("the mqm column is neither JSON nor a literal list of error spans", path, line) from None
    if isinstance(errors, dict):
        errors = [errors]
    if not isinstance(errors, list):
        raise InputError("the mqm column must be a list of error spans", path, line)
    return errors


def parse_spans(value: str, text: str, path: str, line: int, segment: int) -> tuple[list[dict], int]:
    """The row's spans as annotation fields (segment, start, end, text, category, severity) on a target segment
    of `text`, and how many undecided spans were left out."""
    spans, undecided = [], 0
    for index, error in enumerate(_errors(value, path, line)):
        if not isinstance(error, dict):
            raise InputError(f"error span {index} of the mqm column must be an object", path, line)
        span = parse(AppraiseSpan, error, path, line)
        severity = SEVERITIES.get(span.severity.lower())
        if severity is None:
            if span.severity.lower() == UNDECIDED:
                undecided += 1
                continue
            raise InputError(f"unknown severity {span.severity!r} (expected minor, major, critical or neutral)", path, line)
        start, end, category = span.start_i, span.end_i, span.error_type or None
        if start == "missing" and end == "missing":
            start = end = len(text)
            category = category or OMISSION
        elif start == "missing" or end == "missing" or not 0 <= start <= end <= len(text):
            raise InputError(f"error span {start!r}-{end!r} lies outside item {segment} ({len(text)} characters)", path, line)
        spans.append({"segment": segment, "start": start, "end": end, "text": text[start:end], "category": category or UNSPECIFIED,
                      "severity": severity})
    return spans, undecided


def item_records(translation_id: str, segment: int, annotator: str, spans: list[dict], score: str | None, score_category: str) -> list[dict]:
    """The item's span annotations plus a score marker holding the score (score_category: corpus.typology.SCORE_MARKERS),
    or a No-error marker when the item has neither."""
    records = [{"translation": translation_id, "annotator": annotator, "origin": "human", **span} for span in spans]
    marker = {"segment": segment, "translation": translation_id, "annotator": annotator, "origin": "human"}
    if score is not None:
        records.append(marker_record(**marker, category=score_category, comment=score))
    elif not records:
        records.append(marker_record(**marker))
    return records


def add_item(writer, records: list[dict], line: int, counts: dict, progress=None) -> None:
    """Queue one item's records on the annotation writer and count the item and its spans."""
    for record in records:
        writer.add(record, line)
    counts["items"] += 1
    counts["annotations"] += sum(1 for r in records if not is_marker(r["category"]))
    if progress is not None:
        progress.update(1)
