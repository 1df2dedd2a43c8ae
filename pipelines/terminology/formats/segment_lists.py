"""Per-segment term lists in JSONL, one line per segment, as the WMT terminology tasks publish them:

- an object {src_term: tgt_term, ...} (WMT25; a value may be a list of accepted renderings),
- a record holding such an object under a key ("terms" in WMT25 submissions, "proper"/"random" in
  WMT25 full_data; pick one with `key`),
- a list of pairs [[src, tgt], ...] or of objects {src_lang: ..., tgt_lang: ...} (WMT23).
`{}` or `[]` is a segment without terms; a blank line is an error (it would shift every later segment).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.errors import InputError
from corpus.formats.reading import parse_json_line
from pipelines.fidelity.textfile import read_text
from pipelines.terminology.model import SegmentTermList, TermPair

RECORD_KEYS = ("terms", "proper")


def _targets(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str) and value.strip():
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    return None


def _mapping_pairs(mapping: dict) -> list[TermPair] | None:
    pairs = []
    for source, value in mapping.items():
        targets = _targets(value)
        if not source.strip() or targets is None:
            return None
        pairs.append(TermPair(source, targets))
    return pairs


def _parse_line(value: Any, key: str | None, src_lang: str | None, tgt_lang: str | None) -> list[TermPair]:
    if isinstance(value, dict):
        if key is not None:
            if key not in value:
                raise ValueError(f"no key {key!r} in this record")
            return _parse_line(value[key], None, src_lang, tgt_lang)
        pairs = _mapping_pairs(value)
        if pairs is not None:
            return pairs
        for record_key in RECORD_KEYS:
            if isinstance(value.get(record_key), (dict, list)):
                return _parse_line(value[record_key], None, src_lang, tgt_lang)
        raise ValueError("expected {source term: target term, ...} (every value a non-empty string or list of strings)")
    if isinstance(value, list):
        pairs = []
        for item in value:
            if isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and _targets(item[1]):
                pairs.append(TermPair(item[0], _targets(item[1])))
            elif isinstance(item, dict):
                if not (src_lang and tgt_lang):
                    raise ValueError("a list of {lang: term} objects needs the language pair (--langs SRC-TGT)")
                source, targets = item.get(src_lang), _targets(item.get(tgt_lang))
                if not isinstance(source, str) or not source.strip() or targets is None:
                    raise ValueError(f"term object lacks non-empty {src_lang!r} and {tgt_lang!r} strings")
                pairs.append(TermPair(source, targets))
            else:
                raise ValueError("list items must be [source, target] pairs or {lang: term} objects")
        return pairs
    raise ValueError(f"expected an object or a list, found {type(value).__name__}")


def read_segment_terms(
    path: str | Path, src_lang: str | None = None, tgt_lang: str | None = None, key: str | None = None
) -> SegmentTermList:
    path = str(path)
    lines = read_text(path).split("\n")
    if lines[-1] == "":
        lines.pop()
    terms = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            raise InputError("blank line; write {} or [] for a segment without terms", path, number)
        value = parse_json_line(line, path, number)
        try:
            terms.append(_parse_line(value, key, src_lang, tgt_lang))
        except ValueError as error:
            raise InputError(str(error), path, number) from None
    return SegmentTermList(terms, path, kind="jsonl")
