"""Moses parallel text: line i of NAME.SRC translates line i of NAME.TGT, one file set per language pair.

NAME.docids names, line by line, the translation each pair comes from (the WMT document-id file
convention), so `Corpus.import_parallel(..., document_ids_path=NAME.docids)` re-imports one document
per translation. Line breaks inside a segment would shift every following line, so they are written as
spaces and counted.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import pandas as pd

from corpus.atomic import atomic_write
from corpus.errors import InputError

LINE_BREAKS = re.compile(r"\r\n|[\r\n\u0085\u2028\u2029\x0b\x0c\x1c\x1d\x1e]")
SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")


def _one_line(text: str, counter: list[int]) -> str:
    flat, n = LINE_BREAKS.subn(" ", text)
    counter[0] += n
    return flat


def moses_files(directory: Path, name: str, src_lang: str, tgt_lang: str) -> dict[str, Path]:
    for lang in (src_lang, tgt_lang):
        if not SAFE.match(lang):
            raise InputError(f"language tag {lang!r} cannot be a file suffix")
    if src_lang == tgt_lang:
        raise InputError(f"source and target language are both {src_lang!r}; Moses files are told apart by language")
    stem = f"{name}.{src_lang}-{tgt_lang}"
    return {"source": directory / f"{stem}.{src_lang}", "target": directory / f"{stem}.{tgt_lang}", "docids": directory / f"{stem}.docids"}


def write_moses(pairs: pd.DataFrame, directory: str | Path, name: str = "corpus") -> list[dict]:
    """Write pairs (see corpus.formats.aligned_pairs) as Moses files; one entry per language pair written."""
    if not SAFE.match(name):
        raise InputError(f"Moses file name {name!r} must be letters, digits and hyphens")
    directory = Path(directory)
    written = []
    for (src_lang, tgt_lang), group in pairs.groupby(["src_lang", "tgt_lang"], sort=True):
        files = moses_files(directory, name, src_lang, tgt_lang)
        flattened = [0]
        columns = {"source": group.source.tolist(), "target": group.target.tolist(), "docids": group.translation_id.tolist()}
        for role, path in files.items():
            with atomic_write(path) as stream:
                stream.write("".join(_one_line(value, flattened) + "\n" for value in columns[role]))
        written.append({"src_lang": src_lang, "tgt_lang": tgt_lang, "lines": len(group), "flattened_line_breaks": flattened[0],
                        **{role: str(path) for role, path in files.items()}})
    return written


def export_moses(corpus_or_tables, directory: str | Path, name: str = "corpus", statuses: Iterable[str] = ("confirmed",)) -> list[dict]:
    """Write the confirmed 1-1 links of a Corpus (or ParallelTables) as Moses parallel text."""
    from corpus.formats.aligned_pairs import ParallelTables, one_to_one_pairs, tables_from_corpus

    tables = corpus_or_tables if isinstance(corpus_or_tables, ParallelTables) else tables_from_corpus(corpus_or_tables)
    return write_moses(one_to_one_pairs(tables, tuple(statuses)), directory, name)


def import_moses_into(corpus, written: dict) -> dict:
    """Re-import one language pair written by write_moses through Corpus.import_parallel."""
    return corpus.import_parallel(written["source"], written["target"], written["src_lang"], written["tgt_lang"], document_ids_path=written["docids"])
