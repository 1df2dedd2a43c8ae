"""TMX 1.4b translation memories: export of confirmed 1-1 links, import back as parallel documents.

Each <tu> carries the link id as `tuid` and props for its document, translation, producer, system,
licence and provenance; each <tuv> one segment. Import groups units by translation (x-translation,
else x-document, else the file name) and language pair, and stores each group like a line-aligned
parallel file: one segment per side per unit, joined by confirmed 1-1 links, with the licence and
provenance of its first unit. Parsing goes through defusedxml (no entity expansion, no external DTDs).
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import IO, Iterable

import pandas as pd
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from corpus.errors import InputError
from corpus.formats.parallel import write_parallel_document
from corpus.ingest import PRODUCERS

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry at all; they are replaced by U+FFFD and counted.
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
PROPS = {"x-document": "document_id", "x-translation": "translation_id", "x-producer": "producer", "x-system": "system",
         "x-license": "license", "x-provenance": "provenance"}


def _text(value: str, counter: list[int]) -> str:
    cleaned, replaced = NOT_XML.subn("\ufffd", value)
    counter[0] += replaced
    return cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str, counter: list[int]) -> str:
    return _text(value, counter).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def write_tmx(stream: IO[str], pairs: pd.DataFrame, tool_version: str = "") -> dict:
    """Write pairs (see corpus.formats.aligned_pairs) as TMX 1.4; returns counts of units and replaced characters."""
    replaced = [0]
    source_languages = sorted(set(pairs.src_lang)) if not pairs.empty else []
    srclang = source_languages[0] if len(source_languages) == 1 else "*all*"
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n')
    stream.write(f'  <header creationtool="Calque" creationtoolversion="{_attribute(tool_version, replaced)}" datatype="plaintext" '
                 f'segtype="sentence" adminlang="en" srclang="{_attribute(srclang, replaced)}" o-tmf="calque"/>\n  <body>\n')
    columns = {name: pairs[name].tolist() for name in ["alignment_id", "src_lang", "tgt_lang", "source", "target", *PROPS.values()]}
    props: dict[tuple[str, str], str] = {}  # the same document, licence and provenance repeat on many units
    for i in range(len(pairs)):
        unit = [f'    <tu tuid="{_attribute(columns["alignment_id"][i], replaced)}">\n']
        for prop, column in PROPS.items():
            value = columns[column][i]
            if value is not None:
                key = (prop, str(value))
                if key not in props:
                    props[key] = f'      <prop type="{prop}">{_text(key[1], replaced)}</prop>\n'
                unit.append(props[key])
        unit.append(f'      <tuv xml:lang="{_attribute(columns["src_lang"][i], replaced)}"><seg>{_text(columns["source"][i], replaced)}</seg></tuv>\n')
        unit.append(f'      <tuv xml:lang="{_attribute(columns["tgt_lang"][i], replaced)}"><seg>{_text(columns["target"][i], replaced)}</seg></tuv>\n')
        unit.append("    </tu>\n")
        stream.write("".join(unit))
    stream.write("  </body>\n</tmx>\n")
    return {"units": len(pairs), "replaced_characters": replaced[0]}


def read_tmx(path: str) -> list[dict]:
    """The translation units of a TMX file as {document_id, src_lang, tgt_lang, source, target, props...}."""
    try:
        events = ElementTree.iterparse(path, events=("start", "end"))
        srclang, units = None, []
        for event, element in events:
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
    except ElementTree.ParseError as error:
        line = getattr(error, "position", (None,))[0]
        raise InputError(f"malformed TMX: {error}", path, line) from None
    except DefusedXmlException as error:
        raise InputError(f"refused unsafe XML: {error}", path) from None
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


def export_tmx(corpus_or_tables, path: str | Path, statuses: Iterable[str] = ("confirmed",)) -> dict:
    """Write the confirmed 1-1 links of a Corpus (or ParallelTables) to a TMX file, atomically."""
    from corpus import __version__
    from corpus.atomic import atomic_write
    from corpus.formats.aligned_pairs import ParallelTables, one_to_one_pairs, tables_from_corpus

    tables = corpus_or_tables if isinstance(corpus_or_tables, ParallelTables) else tables_from_corpus(corpus_or_tables)
    pairs = one_to_one_pairs(tables, tuple(statuses))
    with atomic_write(path) as stream:
        counts = write_tmx(stream, pairs, __version__)
    return {"path": str(path), **counts}
