"""TBX glossaries: v2 (ISO 30042:2008, <martif>/<termEntry>/<langSet>/<tig>) and v3 (ISO 30042:2019,
<tbx>/<conceptEntry>/<langSec>/<termSec>), parsed by corpus.formats.xml_input. administrativeStatus (or
normativeAuthorization) decides the kind: preferred/admitted -> approved, superseded -> variant,
deprecated -> forbidden; a term without status is approved."""
from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from corpus.errors import InputError
from corpus.formats.xml_input import parse_xml
from pipelines.terminology.model import Concept, Glossary

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_TYPES = {"administrativeStatus", "normativeAuthorization"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, *names: str) -> list[Element]:
    return [child for child in element if _local(child.tag) in names]


def _same_language(code: str | None, wanted: str | None) -> bool:
    if not code or not wanted:
        return False
    code, wanted = code.lower(), wanted.lower()
    return code == wanted or code.split("-")[0] == wanted.split("-")[0]


def _kind(status: str | None) -> str:
    status = (status or "").lower()
    if "deprecat" in status:
        return "forbidden"
    if "supersed" in status or "obsolete" in status or "notrecommended" in status:
        return "variant"
    return "approved"


def _status(term_holder: Element) -> str | None:
    """Status of a <tig>/<ntig>/<termSec>: dca-style <termNote type=…> or DCT-style <…:administrativeStatus>."""
    for element in term_holder.iter():
        name = _local(element.tag)
        if name == "termNote" and element.get("type") in STATUS_TYPES:
            return (element.text or "").strip()
        if name in STATUS_TYPES:
            return (element.text or "").strip()
    return None


def _terms(lang_section: Element) -> list[tuple[str, str]]:
    """(term, kind) pairs of one language section, preferred terms first."""
    found = []
    for holder in _children(lang_section, "tig", "ntig", "termSec"):
        term = next((e for e in holder.iter() if _local(e.tag) == "term"), None)
        text = " ".join("".join(term.itertext()).split()) if term is not None else ""
        if text:
            status = _status(holder)
            found.append((text, _kind(status), "preferred" in (status or "").lower()))
    found.sort(key=lambda item: not item[2])
    return [(text, kind) for text, kind, _ in found]


def _note(entry: Element, *types: str) -> str | None:
    for element in entry.iter():
        if _local(element.tag) in ("descrip", "note") and (not types or element.get("type") in types):
            text = " ".join("".join(element.itertext()).split())
            if text:
                return text
    return None


def read_tbx(path: str | Path, src_lang: str | None = None, tgt_lang: str | None = None) -> Glossary:
    path = str(path)
    root = parse_xml(path, "TBX")
    version = {"martif": "v2", "tbx": "v3"}.get(_local(root.tag))
    if version is None:
        raise InputError(f"not a TBX file (root element <{_local(root.tag)}>, expected <martif> or <tbx>)", path)
    entries = [e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")]
    if not entries:
        raise InputError("TBX file has no termEntry/conceptEntry", path)
    languages: list[str] = []
    for entry in entries:
        for section in _children(entry, "langSet", "langSec"):
            code = section.get(XML_LANG)
            if code and code not in languages:
                languages.append(code)
    src_lang = src_lang or root.get(XML_LANG) or (languages[0] if languages else None)
    if tgt_lang is None:
        others = [code for code in languages if not _same_language(code, src_lang)]
        if len({code.lower().split("-")[0] for code in others}) != 1:
            raise InputError(
                f"TBX file has languages {', '.join(languages)}; say which pair to use (--langs SRC-TGT)", path
            )
        tgt_lang = others[0]
    concepts = []
    for number, entry in enumerate(entries, start=1):
        source, target = [], []
        for section in _children(entry, "langSet", "langSec"):
            if _same_language(section.get(XML_LANG), src_lang):
                source += _terms(section)
            elif _same_language(section.get(XML_LANG), tgt_lang):
                target += _terms(section)
        source_terms = [text for text, kind in source if kind != "forbidden"] or [text for text, _ in source]
        if not source_terms or not target:
            continue
        concepts.append(Concept(
            id=entry.get("id") or f"c{number}",
            source_terms=source_terms,
            approved=[t for t, k in target if k == "approved"],
            variants=[t for t, k in target if k == "variant"],
            forbidden=[t for t, k in target if k == "forbidden"],
            src_lang=src_lang, tgt_lang=tgt_lang,
            domain=_note(entry, "subjectField"),
            note=_note(entry, "definition") or _note(entry),
        ))
    if not concepts:
        raise InputError(f"TBX file has no concept with both {src_lang} and {tgt_lang} terms", path)
    return Glossary(concepts, src_lang, tgt_lang, path)
