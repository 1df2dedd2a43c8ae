"""TMX 1.4b translation memories: export of confirmed 1-1 links, import back as parallel documents.

Each <tu> carries the link id as `tuid` and props for its document, translation, producer, system,
licence and provenance; each <tuv> one segment. Import groups units by translation (x-translation,
else x-document, else the file name) and language pair, and stores each group like a line-aligned
parallel file: one segment per side per unit, joined by confirmed 1-1 links, with the licence and
provenance of its first unit. A group whose pairs are all stored already (compared as the TMX carries them)
is skipped, so an export re-imports into the same corpus, or a fresh one twice, as a no-op; other text under
a stored id is refused (see corpus.formats.parallel.already_stored). Parsing goes through corpus.formats.xml_input (no entity expansion, no external DTDs, bounded nesting).
"""
from __future__ import annotations

import gzip
import re
from collections import defaultdict
from pathlib import Path
from typing import IO, Iterable

import pyarrow as pa
import pyarrow.compute as pc

from corpus.errors import InputError
from corpus.formats.aligned_pairs import gzip_stream, write_strings
from corpus.formats.parallel import already_stored, write_parallel_document
from corpus.formats.xml_input import iter_xml
from corpus.ingest import PRODUCERS

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry at all (RE2 syntax); they are written as U+FFFD and counted.
NOT_XML = r"[^\t\n\r\x{20}-\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}]"
PROPS = {"x-document": "document_id", "x-translation": "translation_id", "x-producer": "producer", "x-system": "system",
         "x-license": "license", "x-provenance": "provenance"}
CHUNK = 50_000
NOT_XML_PY = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # NOT_XML for Python's re


def as_read_back(text: str) -> str:
    """A stored text as a reader of its TMX export sees it: characters XML cannot carry as U+FFFD, and line
    ends normalised to \\n as every XML parser does."""
    return NOT_XML_PY.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")


def _text(values: pa.Array, counter: list[int]) -> pa.Array:
    """XML character data, escaped column-wise."""
    found = int(pc.sum(pc.count_substring_regex(values, NOT_XML)).as_py() or 0)
    if found:
        counter[0] += found
        values = pc.replace_substring_regex(values, NOT_XML, "\ufffd")
    for plain, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        values = pc.replace_substring(values, plain, escaped)
    return values


def _attribute(values: pa.Array, counter: list[int]) -> pa.Array:
    values = _text(values, counter)
    for plain, escaped in (('"', "&quot;"), ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;")):
        values = pc.replace_substring(values, plain, escaped)
    return values


def _optional(prefix: str, values: pa.Array, suffix: str) -> pa.Array:
    return pc.fill_null(pc.binary_join_element_wise(prefix, values, suffix, "", null_handling="emit_null"), "")


def _units(pairs: pa.Table, counter: list[int]) -> pa.Array:
    pieces = ['    <tu tuid="', _attribute(pairs["alignment_id"], counter), '">\n']
    for prop, column in PROPS.items():
        pieces.append(_optional(f'      <prop type="{prop}">', _text(pairs[column].cast(pa.string()), counter), "</prop>\n"))
    for lang, text in (("src_lang", "source"), ("tgt_lang", "target")):
        pieces += ['      <tuv xml:lang="', _attribute(pairs[lang], counter), '"><seg>', _text(pairs[text], counter), "</seg></tuv>\n"]
    pieces.append("    </tu>\n")
    return pc.binary_join_element_wise(*pieces, "")


def write_tmx(stream: IO[bytes], pairs: pa.Table, tool_version: str = "") -> dict:
    """Write pairs (see corpus.formats.aligned_pairs) as UTF-8 TMX 1.4 to a binary stream; returns counts
    of units and of characters XML cannot carry."""
    replaced = [0]
    source_languages = pc.unique(pairs["src_lang"]).to_pylist() if pairs.num_rows else []
    srclang = source_languages[0] if len(source_languages) == 1 else "*all*"
    header = pa.table({"version": [tool_version], "srclang": [srclang]})
    version, srclang = (_attribute(header[c], replaced)[0].as_py() for c in ("version", "srclang"))
    stream.write(('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n'
                  f'  <header creationtool="Calque" creationtoolversion="{version}" datatype="plaintext" segtype="sentence" '
                  f'adminlang="en" srclang="{srclang}" o-tmf="calque"/>\n  <body>\n').encode("utf-8"))
    for offset in range(0, pairs.num_rows, CHUNK):
        write_strings(stream, _units(pairs.slice(offset, CHUNK), replaced))
    stream.write(b"  </body>\n</tmx>\n")
    return {"units": pairs.num_rows, "replaced_characters": replaced[0]}


def read_tmx(path: str) -> list[dict]:
    """The translation units of a TMX file (plain or .gz) as {document_id, src_lang, tgt_lang, source, target, props...}."""
    try:
        source = gzip.open(path, "rb") if str(path).endswith(".gz") else open(path, "rb")
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror}", str(path)) from None
    with source:
        return _read_units(source, str(path))


def _read_units(source, path: str) -> list[dict]:
    srclang, units = None, []
    for event, element in iter_xml(source, "TMX", path):
        if event == "start" and element.tag == "header":
            srclang = element.get("srclang")
        if event != "end" or element.tag != "tu":
            continue
        props = {PROPS[p.get("type")]: p.text or "" for p in element.findall("prop") if p.get("type") in PROPS}
        variants = [(tuv.get(XML_LANG) or tuv.get("lang"), tuv.find("seg")) for tuv in element.findall("tuv")]
        if len(variants) != 2 or any(lang is None or seg is None for lang, seg in variants):
            raise InputError(f"translation unit {element.get('tuid')!r} needs exactly two <tuv xml:lang> with a <seg>", path)
        if srclang not in (None, "*all*") and variants[1][0] == srclang:
            variants.reverse()
        (src_lang, source), (tgt_lang, target) = variants
        units.append({**props, "tuid": element.get("tuid"), "src_lang": src_lang, "tgt_lang": tgt_lang,
                      "source": "".join(source.itertext()), "target": "".join(target.itertext())})
        element.clear()
    return units


def import_tmx(ingest, path: str, progress=None) -> list[str]:
    """Store every unit of a TMX file; returns the ids of the documents created.

    Units are grouped by their x-translation prop (else x-document, else the file name) and language pair;
    a group becomes one document with one translation. A document that several translations share in
    the file is split into one document per translation, named after it."""
    groups: dict[tuple[str, str, str, str], list[dict]] = defaultdict(list)
    fallback = Path(path).name.split(".")[0] or "tmx"
    for unit in read_tmx(path):
        document = unit.get("document_id") or fallback
        groups[(document, unit.get("translation_id") or document, unit["src_lang"], unit["tgt_lang"])].append(unit)
    if not groups:
        raise InputError("no translation units", path)
    per_document: dict[str, int] = defaultdict(int)
    for document, *_ in groups:
        per_document[document] += 1
    created = []
    for (document, translation, src_lang, tgt_lang), units in groups.items():
        document_id = document if per_document[document] == 1 else translation
        if already_stored(ingest, document_id, [u["source"] for u in units], [u["target"] for u in units], src_lang, tgt_lang,
                          lambda index: (None, f"translation unit {units[index]['tuid']!r}"), as_read_back):
            ingest.already_present += 1
            continue
        first = units[0]
        producer = first.get("producer") or "human"
        if producer not in PRODUCERS:
            raise InputError(f"unit {first['tuid']!r}: unknown producer {producer!r} (expected one of {', '.join(PRODUCERS)})", path)
        translation_id = write_parallel_document(ingest, document_id, [u["source"] for u in units], [u["target"] for u in units],
                                                 src_lang, tgt_lang, None, producer=producer, system=first.get("system"), progress=progress)
        if first.get("license") or first.get("provenance"):
            carried = {"license": first.get("license")}
            if first.get("provenance"):
                carried["provenance"] = f"{first['provenance']}; via TMX {path}"
            ingest.tx.update("documents", document_id, carried)
            ingest.tx.update("translations", translation_id, carried)
        created.append(document_id)
    return created


def import_tmx_into(corpus, path: str | Path) -> dict:
    """Import a TMX file into a Corpus as one transaction."""
    return corpus._import(f"import tmx {path}", str(path), lambda ingest: import_tmx(ingest, str(path)))


def export_tmx(corpus_or_tables, path: str | Path, statuses: Iterable[str] = ("confirmed",), min_score: float | None = None) -> dict:
    """Write the confirmed 1-1 links of a Corpus (or ParallelTables), and automatic ones if statuses say so,
    to a TMX file (gzipped if it ends in .gz), atomically. Nothing is written when there is no such link:
    EmptyExport says why."""
    from corpus.atomic import atomic_write
    from corpus.formats.aligned_pairs import EmptyExport, ParallelTables, one_to_one_pairs, tables_from_corpus, why_no_pairs
    from corpus.version import calque_version

    tables = corpus_or_tables if isinstance(corpus_or_tables, ParallelTables) else tables_from_corpus(corpus_or_tables)
    pairs = one_to_one_pairs(tables, tuple(statuses), min_score)
    if pairs.num_rows == 0:
        raise EmptyExport(why_no_pairs(tables, tuple(statuses), min_score))
    with atomic_write(path, "wb") as stream:
        if str(path).endswith(".gz"):
            with gzip_stream(stream, 6) as compressed:
                counts = write_tmx(compressed, pairs, calque_version())
        else:
            counts = write_tmx(stream, pairs, calque_version())
    return {"path": str(path), **counts}
