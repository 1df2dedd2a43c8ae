"""The WMT XML format of WMT21 and later (wmt-conference/wmt-format-tools), plain or gzipped:

    <dataset id="SET">
      <collection id="general">                       (WMT22 on; optional)
        <doc id="DOC" origlang="en" domain="news">
          <src lang="en"><p><seg id="1">…</seg>…</p>…</src>
          <ref lang="de" translator="A"><p><seg id="1">…</seg>…</p></ref>
          <hyp lang="de" system="SYSTEM"><p><seg id="1">…</seg>…</p></hyp>

Read with a SAX parser from defusedxml (no entity expansion, no external DTD) that counts its depth and
refuses nesting deeper than corpus.formats.xml_input.MAX_XML_DEPTH (every XML reader's limit) before anything can
recurse; SAX rather than xml_input.iter_xml because errors name the line of the element. Segments keep their
document, paragraph (<p>) and order; a reference or system output must translate every source segment of a
document (matched by seg id), and every system every document. A reference may be absent from a document.
Documents marked as test suites (`testsuite=…`) are left out, as sacrebleu leaves them out, and counted.
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

from defusedxml import sax as defused_sax
from defusedxml.common import DefusedXmlException

from corpus.errors import InputError
from corpus.formats.wmt_set import Document, Side, WMTSet
from corpus.formats.xml_input import MAX_XML_DEPTH, UNREADABLE, unreadable
from corpus.languages import normalize_language

SIDES = ("src", "ref", "hyp")
# Which element may hold which: anything else is refused where it stands.
CHILDREN = {None: {"dataset"}, "dataset": {"collection", "doc"}, "collection": {"doc"}, "doc": set(SIDES), "src": {"p"},
            "ref": {"p"}, "hyp": {"p"}, "p": {"seg"}, "seg": set()}


@dataclass
class _Side:
    kind: str
    name: str
    line: int
    segments: list[tuple[int, str, int, int]] = field(default_factory=list)  # (seg id, text, line, paragraph)


@dataclass
class _Doc:
    wmt_id: str
    line: int
    attributes: dict[str, str]
    sides: list[_Side] = field(default_factory=list)


class _Handler(ContentHandler):
    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.stack: list[str] = []
        self.dataset: str | None = None
        self.collection: str | None = None
        self.langs: dict[str, set[str]] = {"src": set(), "tgt": set()}
        self.docs: list[_Doc] = []
        self.testsuites = 0
        self._doc: _Doc | None = None
        self._side: _Side | None = None
        self._paragraph = -1
        self._seg: tuple[int, int] | None = None
        self._text: list[str] = []

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX's name)
        self._locator = locator

    def line(self) -> int:
        return self._locator.getLineNumber()

    def error(self, problem: str) -> InputError:
        return InputError(problem, self.path, self.line())

    def startElement(self, name: str, attrs) -> None:  # noqa: N802
        if len(self.stack) >= MAX_XML_DEPTH:
            raise self.error(f"nested deeper than {MAX_XML_DEPTH} levels")
        parent = self.stack[-1] if self.stack else None
        if name not in CHILDREN.get(parent, set()):
            where = f"inside <{parent}>" if parent else "as the root element (expected <dataset>)"
            raise self.error(f"unexpected element <{name}> {where}")
        self.stack.append(name)
        attributes = dict(attrs.items())
        if name == "dataset":
            self.dataset = attributes.get("id")
        elif name == "collection":
            self.collection = attributes.get("id")
        elif name == "doc":
            self._start_doc(attributes)
        elif name in SIDES:
            self._start_side(name, attributes)
        elif name == "p":
            self._paragraph += 1
        elif name == "seg":
            self._start_seg(attributes)

    def _start_doc(self, attributes: dict[str, str]) -> None:
        wmt_id = attributes.pop("id", None)
        if not wmt_id or not wmt_id.strip():
            raise self.error("<doc> needs an id")
        if self.collection is not None:
            attributes.setdefault("collection", self.collection)
        self._doc = _Doc(wmt_id, self.line(), attributes)

    def _start_side(self, kind: str, attributes: dict[str, str]) -> None:
        lang = attributes.get("lang") or attributes.get("language")
        if lang:
            self.langs["src" if kind == "src" else "tgt"].add(lang)
        if kind == "src":
            if any(s.kind == "src" for s in self._doc.sides):
                raise self.error(f"document {self._doc.wmt_id!r} has a second <src>")
            name = attributes.get("translator") or "src"
        elif kind == "ref":
            source = next((s for s in self._doc.sides if s.kind == "src"), None)  # WMT21 dev sets put translator on <src>
            name = attributes.get("translator") or (source.name if source and source.name != "src" else None) or "ref"
        else:
            name = attributes.get("system") or ""
            if not name.strip():
                raise self.error("<hyp> needs a system attribute")
        if kind != "src" and any(s.kind == kind and s.name == name for s in self._doc.sides):
            raise self.error(f"document {self._doc.wmt_id!r} has a second <{kind}> for {name!r}")
        self._side = _Side(kind, name, self.line())
        self._doc.sides.append(self._side)
        self._paragraph = -1

    def _start_seg(self, attributes: dict[str, str]) -> None:
        value = attributes.get("id", "")
        if not value.isascii() or not value.isdigit() or int(value) < 1 or len(value) > 15:
            raise self.error(f"<seg> needs a positive integer id, got {value!r}")
        self._seg = (int(value), self.line())
        self._text = []

    def characters(self, content: str) -> None:
        if self._seg is not None:
            self._text.append(content)
        elif content.strip():
            raise self.error(f"text {content.strip()[:30]!r} outside a <seg>")

    def endElement(self, name: str) -> None:  # noqa: N802
        self.stack.pop()
        if name == "seg":
            seg_id, line = self._seg
            self._side.segments.append((seg_id, "".join(self._text), line, self._paragraph))
            self._seg = None
        elif name in SIDES:
            self._side = None
        elif name == "doc":
            if "testsuite" in self._doc.attributes:
                self.testsuites += 1
            else:
                self.docs.append(self._doc)
            self._doc = None
        elif name == "collection":
            self.collection = None


def _parse(path: str) -> _Handler:
    handler = _Handler(path)
    try:
        stream = gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror}", path) from None
    parser = defused_sax.make_parser()
    parser.setContentHandler(handler)
    try:
        with stream:
            parser.parse(stream)
    except SAXParseException as error:
        raise InputError(f"malformed XML: {error.getMessage()}", path, error.getLineNumber()) from None
    except DefusedXmlException as error:
        raise InputError(f"refused unsafe XML: {error}", path) from None
    except UNREADABLE as error:  # a truncated or corrupt .gz, an unknown encoding
        raise InputError(f"unreadable XML: {unreadable(error)}", path) from None
    if handler.dataset is None and not handler.docs:
        raise InputError("no <dataset> with documents", path)
    return handler


def _language(found: set[str], given: str | None, what: str, path: str) -> str:
    if given is None:
        if len(found) != 1:
            raise InputError(f"{'no' if not found else 'several'} {what} language(s) in the file "
                             f"({', '.join(sorted(found))}): give --langs SRC-TGT", path)
        given = next(iter(found))
    try:
        return normalize_language(given)
    except ValueError as problem:
        raise InputError(f"{what} language: {problem}", path) from None


def _aligned(doc: _Doc, side: _Side, order: dict[int, int], path: str) -> Side:
    """The side's segments in source order; a missing, extra or repeated seg id is an InputError."""
    texts: list[str | None] = [None] * len(order)
    lines = [side.line] * len(order)
    paragraphs = [0] * len(order)
    for seg_id, text, line, paragraph in side.segments:
        where = order.get(seg_id)
        what = "source" if side.kind == "src" else f"{'reference' if side.kind == 'ref' else 'system'} {side.name!r}"
        if where is None:
            raise InputError(f"{what} has seg id {seg_id}, which the source of document {doc.wmt_id!r} lacks", path, line)
        if texts[where] is not None:
            raise InputError(f"{what} repeats seg id {seg_id} in document {doc.wmt_id!r}", path, line)
        texts[where], lines[where], paragraphs[where] = text, line, paragraph
    missing = [seg for seg, i in order.items() if texts[i] is None]
    if missing:
        raise InputError(f"{'reference' if side.kind == 'ref' else 'system'} {side.name!r} lacks segment {missing[0]} of document "
                         f"{doc.wmt_id!r} ({len(missing)} missing)", path, side.line)
    return Side(texts, path, lines, paragraphs)


def read_wmt_xml(path: str | Path, langs: tuple[str, str] | None = None) -> WMTSet:
    path = str(path)
    handler = _parse(path)
    src_lang = _language(handler.langs["src"], langs[0] if langs else None, "source", path)
    tgt_lang = _language(handler.langs["tgt"], langs[1] if langs else None, "target", path)
    systems = sorted({s.name for d in handler.docs for s in d.sides if s.kind == "hyp"})
    documents, first_line, seen = [], 0, set()
    for doc in handler.docs:
        if doc.wmt_id in seen:
            raise InputError(f"document id {doc.wmt_id!r} appears twice", path, doc.line)
        seen.add(doc.wmt_id)
        source = next((s for s in doc.sides if s.kind == "src"), None)
        if source is None or not source.segments:
            raise InputError(f"document {doc.wmt_id!r} has no <src> segments", path, doc.line)
        order: dict[int, int] = {}
        for seg_id, _, line, _ in source.segments:
            if seg_id in order:
                raise InputError(f"source repeats seg id {seg_id} in document {doc.wmt_id!r}", path, line)
            order[seg_id] = len(order)
        hyps = {s.name: s for s in doc.sides if s.kind == "hyp"}
        absent = [s for s in systems if s not in hyps]
        if absent:
            raise InputError(f"system {absent[0]!r} has no translation of document {doc.wmt_id!r}", path, doc.line)
        attributes = dict(doc.attributes)
        documents.append(Document(
            doc.wmt_id, first_line, _aligned(doc, source, order, path),
            {s.name: _aligned(doc, s, order, path) for s in doc.sides if s.kind == "ref"},
            {name: _aligned(doc, side, order, path) for name, side in sorted(hyps.items())},
            attributes.pop("domain", None), attributes,
        ))
        first_line += len(order)
    if not documents:
        raise InputError("no documents (only test suites?)", path)
    name = handler.dataset or Path(path).name.split(".")[0]
    notes = [f"{handler.testsuites} test-suite document(s) left out"] if handler.testsuites else []
    return WMTSet(name, src_lang, tgt_lang, "xml", documents, path, docs_columns=2, notes=notes)  # exported with a documents file
