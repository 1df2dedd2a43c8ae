"""The catalogue of known translation artifacts: loading (JSONL file or corpus table) and matching.

A target form matches inside compounds and inflections: "Wachhund" matches "CCTV-Wachhund", "Wachhunde" and
"Datenschutzwachhund"; a multi-word form matches word by word ("abgerundete Perspektive" matches
"abgerundeten Perspektiven"). Forms without letters ("&amp;", "”") and forms of languages written without spaces
between words (Chinese, Japanese, Thai: "看门狗") match as plain text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

from corpus.errors import InputError
from corpus.languages import base_language, normalize_language
from pipelines.checks.scripts import UNSPACED, char_script

FIELDS = ("source", "target", "type", "src_lang", "tgt_lang")
OPTIONAL_FIELDS = ("id", "note", "examples")
# A catalogue line as the corpus writes it (`calque export`): the form the messages name.
CORPUS_FIELDS = {"source_cue": "source", "target_form": "target", "artifact_type": "type"}
LINE_HELP = ('a catalogue line is a corpus artifact record {"type": "artifact", "artifact_type", "source_cue", '
             '"target_form", "src_lang", "tgt_lang"} (optional: "note", "examples", "id"), or the short form with '
             '"type", "source", "target"')
# Other record types of a corpus JSONL file: a whole corpus export can serve as a catalogue (its artifacts).
OTHER_CORPUS_RECORDS = {"document", "annotation", "concept", "alignment", "pair", "result"}
TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
LETTER = r"[^\W\d_]"
INFLECTION = 3  # letters an inflected form may add at the end of a word ("Wachhund" → "Wachhundes")
MIN_COMPOUND_PART = 5  # shorter forms must start a word; longer ones may also end a compound


@dataclass(frozen=True)
class CatalogueEntry:
    source: str | None
    target: str
    type: str
    src_lang: str
    tgt_lang: str
    id: str | None = None
    note: str | None = None
    examples: tuple[str, ...] = field(default=())

    def applies_to(self, src_lang: str, tgt_lang: str) -> bool:
        return base_language(self.src_lang) == base_language(src_lang) and base_language(self.tgt_lang) == base_language(tgt_lang)

    @cached_property
    def target_pattern(self) -> re.Pattern:
        return form_pattern(self.target, self.tgt_lang)

    @cached_property
    def source_pattern(self) -> re.Pattern | None:
        return form_pattern(self.source, self.src_lang) if self.source else None

    def find_in_target(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.target_pattern.finditer(text)]

    def cue_in_source(self, text: str) -> bool:
        return self.source_pattern is not None and self.source_pattern.search(text) is not None


def form_pattern(form: str, lang: str) -> re.Pattern:
    """A regex finding `form` as a word (inflected), as a compound part, or as plain text if it has no letters
    or is written in a script without spaces between words ("看门狗" inside "看门狗以…")."""
    if not re.search(LETTER, form) or {char_script(c) for c in form if c.isalpha()} <= UNSPACED:
        return re.compile(re.escape(form))
    parts = re.split(r"([\s\-‐]+)", form.strip())
    pieces = []
    for index, part in enumerate(parts):
        if index % 2:
            # A hyphen also matches a closed compound ("Knieruckreaktion"); a space also matches a hyphen.
            # So "einmal-in-einer-Generation" does not match the ordinary adverb "einmal in einer Generation".
            pieces.append(r"[\-‐]?" if not re.search(r"\s", part) else r"[\s\-‐]+")
            continue
        escaped = re.escape(part)
        first, last = index == 0, index == len(parts) - 1
        if not re.search(LETTER, part):
            pieces.append(escaped)
            continue
        start = ""
        if first:
            # At a word start, or (long forms) as the head of a compound: "Datenschutzwachhund".
            start = rf"(?<!{LETTER})" if len(part) < MIN_COMPOUND_PART or not part[0].isalpha() else ""
        end = ""
        if last and part[-1].isalpha():
            end = rf"{LETTER}{{0,{INFLECTION}}}(?!{LETTER})" if len(part) < MIN_COMPOUND_PART else ""
        elif not last and part[-1].isalpha():
            end = rf"{LETTER}{{0,{INFLECTION}}}"
        pieces.append(start + escaped + end)
    flags = 0 if form.isupper() and len(form) <= 4 else re.IGNORECASE
    return re.compile("".join(pieces), flags)


def _entry(record: dict, path: str, line: int) -> CatalogueEntry:
    if record.get("type") == "artifact":  # a corpus-format artifact record
        record = {
            "source": record.get("source_cue"),
            "target": record.get("target_form"),
            "type": record.get("artifact_type"),
            **{k: record.get(k) for k in ("src_lang", "tgt_lang", *OPTIONAL_FIELDS) if k in record},
        }
        named = {v: k for k, v in CORPUS_FIELDS.items()}
    else:
        named = {}
    unknown = sorted(set(record) - set(FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise InputError(f"unknown catalogue field(s) {', '.join(unknown)}: {LINE_HELP}", path, line)
    for name in FIELDS:
        value = record.get(name)
        if name == "source" and value is None:
            continue  # a target form that is wrong whatever the source says
        if not isinstance(value, str) or not value.strip():
            shown = named.get(name, name)
            raise InputError(f"catalogue field {shown!r} must be a non-empty string (got {value!r}): {LINE_HELP}", path, line)
    if not TYPE_PATTERN.match(record["type"]):
        raise InputError(f"artifact type {record['type']!r} must be lower-case letters, digits and hyphens, like 'calque'", path, line)
    languages = {}
    for name in ("src_lang", "tgt_lang"):
        try:
            languages[name] = normalize_language(record[name])
        except ValueError as problem:
            raise InputError(f"catalogue field {name!r}: {problem}", path, line) from None
    examples = record.get("examples") or []
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise InputError("catalogue field 'examples' must be a list of strings", path, line)
    return CatalogueEntry(
        source=record.get("source"),
        target=record["target"],
        type=record["type"],
        id=record.get("id"),
        note=record.get("note"),
        examples=tuple(examples),
        **languages,
    )


def load_catalogue(path: str | Path) -> list[CatalogueEntry]:
    """Read a JSONL catalogue, strictly: any bad line is an InputError naming the file and the line.

    Lines are corpus artifact records ({"type": "artifact", "artifact_type", "source_cue", "target_form",
    "src_lang", "tgt_lang"}) or the short form ({"type", "source", "target", "src_lang", "tgt_lang"}); the
    other records of a corpus JSONL file (documents, annotations, …) are skipped, so an export works too."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read catalogue ({error.strerror or error})", str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", str(path), raw[: error.start].count(b"\n") + 1) from None
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"invalid JSON ({error.msg} at column {error.colno})", str(path), number) from None
        if not isinstance(record, dict):
            raise InputError(f"a catalogue line must be a JSON object: {LINE_HELP}", str(path), number)
        if record.get("type") in OTHER_CORPUS_RECORDS:
            continue
        entries.append(_entry(record, str(path), number))
    if not entries:
        raise InputError("no catalogue entry in the file (no artifact records); " + LINE_HELP, str(path))
    return entries


def catalogue_from_records(records: Iterable[dict], label: str = "corpus artifacts") -> list[CatalogueEntry]:
    """Entries from rows of the corpus `artifacts` table (artifact_type, source_cue, target_form, …)."""
    entries = []
    for number, row in enumerate(records, start=1):
        entries.append(_entry({"type": "artifact", **{k: v for k, v in row.items() if v is not None or k == "source_cue"}}, label, number))
    return entries
