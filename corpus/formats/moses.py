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

import pyarrow as pa
import pyarrow.compute as pc

from corpus.atomic import atomic_write
from corpus.errors import InputError
from corpus.formats.aligned_pairs import gzip_stream, write_strings

# What str.splitlines() breaks on, so no reader can see more lines than were written (RE2 syntax).
LINE_BREAKS = r"\r\n|[\r\n\x{85}\x{2028}\x{2029}\x0b\x0c\x1c\x1d\x1e]"
SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")


def _lines(values: pa.ChunkedArray, counter: list[int]) -> pa.Array:
    values = values.cast(pa.string())
    found = int(pc.sum(pc.count_substring_regex(values, LINE_BREAKS)).as_py() or 0)
    if found:
        counter[0] += found
        values = pc.replace_substring_regex(values, LINE_BREAKS, " ")
    return pc.binary_join_element_wise(values, "\n", "")


def moses_files(directory: Path, name: str, src_lang: str, tgt_lang: str, suffix: str = "") -> dict[str, Path]:
    for lang in (src_lang, tgt_lang):
        if not SAFE.match(lang):
            raise InputError(f"language tag {lang!r} cannot be a file suffix")
    if src_lang == tgt_lang:
        raise InputError(f"source and target language are both {src_lang!r}; Moses files are told apart by language")
    stem = f"{name}.{src_lang}-{tgt_lang}"
    return {"source": directory / f"{stem}.{src_lang}{suffix}", "target": directory / f"{stem}.{tgt_lang}{suffix}",
            "docids": directory / f"{stem}.docids{suffix}"}


def write_moses(pairs: pa.Table, directory: str | Path, name: str = "corpus", gzip_level: int | None = None) -> list[dict]:
    """Write pairs (see corpus.formats.aligned_pairs) as Moses files, gzipped (.gz) when gzip_level is given;
    one entry per language pair written."""
    if not SAFE.match(name):
        raise InputError(f"Moses file name {name!r} must be letters, digits and hyphens")
    directory = Path(directory)
    written = []
    language_pairs = sorted(set(zip(pairs["src_lang"].to_pylist(), pairs["tgt_lang"].to_pylist())))
    for src_lang, tgt_lang in language_pairs:
        group = pairs.filter(pc.and_(pc.equal(pairs["src_lang"], src_lang), pc.equal(pairs["tgt_lang"], tgt_lang)))
        files = moses_files(directory, name, src_lang, tgt_lang, "" if gzip_level is None else ".gz")
        flattened = [0]
        columns = {"source": group["source"], "target": group["target"], "docids": group["translation_id"]}
        for role, path in files.items():
            with atomic_write(path, "wb") as stream:
                if gzip_level is None:
                    write_strings(stream, _lines(columns[role], flattened))
                else:
                    with gzip_stream(stream, gzip_level) as compressed:
                        write_strings(compressed, _lines(columns[role], flattened))
        written.append({"src_lang": src_lang, "tgt_lang": tgt_lang, "lines": group.num_rows, "flattened_line_breaks": flattened[0],
                        **{role: str(path) for role, path in files.items()}})
    return written


def export_moses(corpus_or_tables, directory: str | Path, name: str = "corpus", statuses: Iterable[str] = ("confirmed",),
                 min_score: float | None = None) -> list[dict]:
    """Write the confirmed 1-1 links of a Corpus (or ParallelTables), and automatic ones if statuses say so,
    as Moses parallel text. Nothing is written when there is no such link: EmptyExport says why."""
    from corpus.formats.aligned_pairs import EmptyExport, ParallelTables, one_to_one_pairs, tables_from_corpus, why_no_pairs

    tables = corpus_or_tables if isinstance(corpus_or_tables, ParallelTables) else tables_from_corpus(corpus_or_tables)
    pairs = one_to_one_pairs(tables, tuple(statuses), min_score)
    if pairs.num_rows == 0:
        raise EmptyExport(why_no_pairs(tables, tuple(statuses), min_score))
    return write_moses(pairs, directory, name)


def import_moses_into(corpus, written: dict) -> dict:
    """Re-import one language pair written by write_moses (plain files) through Corpus.import_parallel."""
    return corpus.import_parallel(written["source"], written["target"], written["src_lang"], written["tgt_lang"], document_ids_path=written["docids"])
