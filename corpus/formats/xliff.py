"""XLIFF 2.1 with ITS 2.0 Localization Quality Issue markup: how span errors travel to and from CAT tools.

One <file> per translation (original = translation id), one <unit> per target segment with the source
text aligned to it. Each annotation is an inline <mrk type="its:generic"> carrying
its:locQualityIssueType (the ITS type its MQM category maps to), its:locQualityIssueSeverity (0-100:
Neutral 0, Minor 10, Major 50, Critical 100), its:locQualityIssueComment and, when rejected,
its:locQualityIssueEnabled="no". Calque's exact values ride along in the calque: namespace (category,
severity, annotator, origin, status, id); spans that cross another span without nesting become
<sm>/<em> marker pairs. "No-error" and "ESA score" markers become <note category="calque:marker">.

Import parses with corpus.formats.xml_input (DTDs, entities, external references and absurd nesting are refused), checks
that each unit's texts still match the corpus, and reads marks made by other tools too: without calque:
attributes the category comes from the ITS type and the severity from the 0-100 value.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from corpus.errors import CalqueError, InputError
from corpus.formats.annotation_writer import AnnotationWriter
from corpus.formats.xml_input import parse_xml
from corpus.ingest import Ingest
from corpus.typology import MARKER_CATEGORIES, corpus_typology, is_marker, marker_record
from corpus.validation import AnnotationRecord

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
ITS = "http://www.w3.org/2005/11/its"
CALQUE = "urn:calque:annotation:1"
ET.register_namespace("", XLIFF)
ET.register_namespace("its", ITS)
ET.register_namespace("calque", CALQUE)
SEVERITY_VALUES = {"Neutral": "0", "Minor": "10", "Major": "50", "Critical": "100"}


def _x(name: str) -> str:
    return f"{{{XLIFF}}}{name}"


def _i(name: str) -> str:
    return f"{{{ITS}}}{name}"


def _c(name: str) -> str:
    return f"{{{CALQUE}}}{name}"


def severity_from_value(value: str) -> str:
    number = float(value)
    if not 0 <= number <= 100:
        raise ValueError(f"locQualityIssueSeverity {value!r} is outside 0-100")
    return "Neutral" if number == 0 else "Minor" if number < 40 else "Major" if number < 80 else "Critical"


# -- export ------------------------------------------------------------------------------------------
@dataclass
class _Span:
    start: int
    end: int
    attrs: dict
    inner: list = field(default_factory=list)


def _fill(element: ET.Element, text: str, items: list[_Span], lo: int, hi: int) -> None:
    """Write text[lo:hi] into element with items (sorted by start, longest first) as nested children."""
    position, last, i = lo, None, 0
    while i < len(items):
        item = items[i]
        j = i + 1
        while j < len(items) and items[j].start >= item.start and items[j].end <= item.end and item.attrs.get("tag") == "mrk":
            j += 1
        chunk = text[position:item.start]
        if last is None:
            element.text = (element.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk
        attrs = {k: v for k, v in item.attrs.items() if k != "tag"}
        child = ET.SubElement(element, _x(item.attrs["tag"]), attrs)
        if item.attrs["tag"] == "mrk":
            _fill(child, text, items[i + 1 : j], item.start, item.end)
            position = item.end
        else:
            position = item.start
        last, i = child, j
    chunk = text[position:hi]
    if last is None:
        element.text = (element.text or "") + chunk
    else:
        last.tail = (last.tail or "") + chunk


def _inline(element: ET.Element, text: str, marks: list[tuple[int, int, dict]]) -> None:
    """Marks that nest become <mrk>; one crossing another becomes an <sm>/<em> pair."""
    items: list[_Span] = []
    stack: list[int] = []
    for start, end, attrs in sorted(marks, key=lambda m: (m[0], -m[1], m[2]["id"])):
        while stack and stack[-1] <= start and not (stack[-1] == start == end):
            stack.pop()
        if stack and end > stack[-1]:
            items.append(_Span(start, start, {"tag": "sm", **attrs}))
            items.append(_Span(end, end, {"tag": "em", "startRef": attrs["id"]}))
        else:
            items.append(_Span(start, end, {"tag": "mrk", **attrs}))
            stack.append(end)
    items.sort(key=lambda s: (s.start, -s.end, s.attrs["tag"] != "mrk"))
    _fill(element, text, items, 0, len(text))


def _mark_attrs(note: dict, mark_id: str, typology) -> dict:
    attrs = {"id": mark_id, "type": "its:generic",
             _i("locQualityIssueType"): typology.its_type(note["category"]),
             _i("locQualityIssueSeverity"): SEVERITY_VALUES[note["severity"]],
             _c("category"): note["category"], _c("severity"): note["severity"], _c("annotator"): note["annotator"],
             _c("origin"): note["origin"], _c("status"): note["status"], _c("id"): note["id"]}
    if note["comment"]:
        attrs[_i("locQualityIssueComment")] = note["comment"]
    if note["status"] == "rejected":
        attrs[_i("locQualityIssueEnabled")] = "no"
    if note["artifact_type"]:
        attrs[_c("artifact-type")] = note["artifact_type"]
    if note["correction"]:
        attrs[_c("correction")] = note["correction"]
    return attrs


def export_text(corpus, translation_ids: list[str] | None = None, **_ignored) -> tuple[str, dict]:
    from corpus.formats.units import translation_units

    translations = corpus.translations()
    if translation_ids is not None:
        translations = translations[translations.id.isin(translation_ids)]
    if translations.empty:
        raise CalqueError("no translations to export")
    documents = {d["id"]: d for d in corpus.documents().to_dict("records")}
    pairs = {(documents[t.document_id]["lang"], t.lang) for t in translations.itertuples()}
    if len(pairs) > 1:
        raise CalqueError(f"an XLIFF file holds one language pair, these translations have {len(pairs)}; choose some with --translation")
    src_lang, tgt_lang = pairs.pop()
    typology = corpus_typology(corpus)
    root = ET.Element(_x("xliff"), {"version": "2.1", "srcLang": src_lang, "trgLang": tgt_lang, _i("version"): "2.0"})
    skipped = {"stale": 0, "unplaced": 0}
    written = 0
    for number, translation in enumerate(translations.to_dict("records"), start=1):
        file = ET.SubElement(root, _x("file"), {"id": f"f{number}", "original": translation["id"], _c("document"): translation["document_id"]})
        units = translation_units(corpus, translation["id"])
        by_unit = units.group(corpus.annotations(translation_id=translation["id"]).to_dict("records"), skipped)
        for unit in units:
            element = ET.SubElement(file, _x("unit"), {"id": f"u{unit.target_idx}", _c("segment"): str(unit.target_idx),
                                                       _c("source-segments"): " ".join(str(i) for i, _ in unit.source_segments)})
            notes = sorted(by_unit.get(unit.target_idx, []), key=lambda n: (n["side"], n["start"], n["end"], n["id"]))
            markers = [n for n in notes if is_marker(n["category"])]
            if markers:
                holder = ET.SubElement(element, _x("notes"))
                for note in markers:
                    attrs = {"category": "calque:marker", _c("category"): note["category"], _c("annotator"): note["annotator"],
                             _c("origin"): note["origin"], _c("status"): note["status"], _c("id"): note["id"]}
                    ET.SubElement(holder, _x("note"), attrs).text = note["comment"] or ""
            segment = ET.SubElement(element, _x("segment"), {"id": f"s{unit.target_idx}"})
            source_marks, target_marks = [], []
            for n, note in enumerate(n for n in notes if not is_marker(n["category"])):
                attrs = _mark_attrs(note, f"m{n + 1}", typology)
                start, end = int(note["start"]), int(note["end"])
                if note["side"] == "source":
                    offset = unit.source_offset(int(note["segment_idx"]))
                    source_marks.append((start + offset, end + offset, attrs))
                else:
                    target_marks.append((start, end, attrs))
                written += 1
            _inline(ET.SubElement(segment, _x("source")), unit.source, source_marks)
            _inline(ET.SubElement(segment, _x("target")), unit.target, target_marks)
    _pretty(root, 0)
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n", {"rows": written, "unit": "marks", "skipped": skipped}


STRUCTURE = {_x(name) for name in ("xliff", "file", "unit", "notes", "segment")}


def _pretty(element: ET.Element, level: int) -> None:
    """Indent the structural elements only: whitespace inside <source>, <target> or <note> would be text."""
    if element.tag not in STRUCTURE or len(element) == 0:
        return
    element.text = "\n" + " " * (level + 1)
    for child in element:
        _pretty(child, level + 1)
        child.tail = "\n" + " " * (level + 1)
    element[-1].tail = "\n" + " " * level


# -- import ------------------------------------------------------------------------------------------
REVIEWABLE = ("category", "severity", "status", "comment")


def _store(ingest: Ingest, writer, record: dict) -> str | None:
    """Insert a mark, or, when its calque:id is already in the corpus, take over what a reviewer changed
    (category, severity, status, comment) as an update; returns 'updated', 'unchanged',
    'already_present' or None for an insert."""
    from corpus.clock import utc_now

    existing = ingest.tx.fetch("annotations", record["id"]) if record.get("id") else None
    if existing is None:
        return None if writer.add(record, None) else "already_present"
    ingest.check(AnnotationRecord, record, None)  # a reviewer's changes pass the same checks as a new mark
    ingest.check_terms(record, None)
    changes = {k: record.get(k) for k in REVIEWABLE if k in record and record.get(k) != existing[k]}
    if not changes:
        return "unchanged"
    ingest.tx.update("annotations", record["id"], {**changes, "updated_at": utc_now()}, expected_version=existing["version"])
    return "updated"


@dataclass
class _Mark:
    attrs: dict
    start: int
    end: int | None = None


def _flatten(element: ET.Element, path: str) -> tuple[str, list[_Mark]]:
    """The plain text of an inline container and the marks in it, with offsets into that text."""
    parts: list[str] = []
    marks: list[_Mark] = []
    open_sm: dict[str, _Mark] = {}
    length = 0

    def walk(node: ET.Element) -> None:
        nonlocal length
        if node.text:
            parts.append(node.text)
            length += len(node.text)
        for child in node:
            tag = child.tag.split("}")[-1]
            if tag == "mrk":
                mark = _Mark(dict(child.attrib), length)
                walk(child)
                mark.end = length
                marks.append(mark)
            elif tag == "sm":
                mark = _Mark(dict(child.attrib), length)
                open_sm[child.get("id", "")] = mark
                marks.append(mark)
            elif tag == "em":
                mark = open_sm.pop(child.get("startRef", ""), None)
                if mark is None:
                    raise InputError(f"<em startRef={child.get('startRef')!r}> closes no <sm>", path)
                mark.end = length
            elif tag in ("ph", "sc", "ec"):
                pass
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)

    walk(element)
    if open_sm:
        raise InputError(f"<sm id={next(iter(open_sm))!r}> is never closed by an <em>", path)
    return "".join(parts), [m for m in marks if m.attrs.get(_i("locQualityIssueType")) or m.attrs.get(_c("category"))]


def _parse(path: str) -> ET.Element:
    root = parse_xml(path, "XLIFF", forbid_dtd=True)
    if root.tag != _x("xliff") or not str(root.get("version", "")).startswith("2."):
        raise InputError("not an XLIFF 2.x document (root <xliff version=\"2.x\"> in the XLIFF 2.0 namespace)", path)
    return root


def import_file(ingest: Ingest, path: str, progress=None, **_ignored) -> dict:
    from corpus.formats.units import Unit
    from corpus.typology import typology_of_connection

    root = _parse(path)
    typology = typology_of_connection(ingest.tx.connection)
    writer = AnnotationWriter(ingest)
    counts = {"units": 0, "annotations": 0, "markers": 0, "updated": 0, "unchanged": 0, "already_present": 0}
    for file in root.findall(_x("file")):
        translation_id = file.get("original")
        if not translation_id:
            raise InputError(f"<file id={file.get('id')!r}> has no original naming the translation", path)
        info = ingest.text_info(translation_id, None)
        if info["translation_id"] is None:
            raise InputError(f"<file original={translation_id!r}> does not name a translation", path)
        targets = ingest.segments_of(translation_id)
        has_source = ingest.text_info(info["document_id"], None)["text"] is not None
        sources = {s["idx"]: s["text"] for s in ingest.segments_of(info["document_id"])} if has_source else {}
        for element in file.iter(_x("unit")):
            where = f"unit {element.get('id')!r} of {translation_id!r}"
            try:
                idx = int(element.get(_c("segment")))
                source_ids = [int(i) for i in (element.get(_c("source-segments")) or "").split()]
            except (TypeError, ValueError):
                raise InputError(f"{where} lacks calque:segment (export the XLIFF from Calque)", path) from None
            if not 0 <= idx < len(targets) or any(i not in sources for i in source_ids):
                raise InputError(f"{where} names segments the corpus does not have", path)
            unit = Unit(idx, targets[idx]["text"], [(i, sources[i]) for i in source_ids])
            segment = element.find(_x("segment"))
            if segment is None:
                raise InputError(f"{where} has no <segment>", path)
            records = []
            for side, tag, expected in (("source", "source", unit.source), ("target", "target", unit.target)):
                container = segment.find(_x(tag))
                if container is None:
                    continue
                text, marks = _flatten(container, path)
                if text != expected:
                    raise InputError(f"the {tag} of {where} differs from the corpus (edited since the export?)", path)
                for mark in marks:
                    attrs = mark.attrs
                    # The ITS attributes are what a CAT tool edits: where they disagree with calque:, they win.
                    its_type, its_severity = attrs.get(_i("locQualityIssueType")), attrs.get(_i("locQualityIssueSeverity"))
                    category = attrs.get(_c("category"))
                    if not category or (its_type and typology.its_type(category) != its_type):
                        category = typology.category_for_its(its_type or "other")
                    severity = attrs.get(_c("severity"))
                    if not severity or (its_severity is not None and SEVERITY_VALUES.get(severity) != its_severity):
                        try:
                            severity = severity_from_value(its_severity if its_severity is not None else "50")
                        except ValueError as problem:
                            raise InputError(f"{where}: {problem}", path) from None
                    status = attrs.get(_c("status"))
                    if attrs.get(_i("locQualityIssueEnabled")) == "no":
                        status = "rejected"
                    elif status == "rejected":
                        status = "confirmed"
                    record = {"translation": translation_id, "category": category, "severity": severity,
                              "annotator": attrs.get(_c("annotator")), "origin": attrs.get(_c("origin")) or "human",
                              "comment": attrs.get(_i("locQualityIssueComment")), "artifact_type": attrs.get(_c("artifact-type")),
                              "correction": attrs.get(_c("correction"))}
                    if status:
                        record["status"] = status
                    if attrs.get(_c("id")):
                        record["id"] = attrs[_c("id")]
                    if side == "source":
                        found = unit.source_segment_at(mark.start)
                        if found is None or mark.end - found[1] > len(sources[found[0]]):
                            raise InputError(f"{where}: a source mark crosses source segments", path)
                        record.update({"side": "source", "segment": found[0], "start": mark.start - found[1], "end": mark.end - found[1]})
                    else:
                        record.update({"side": "target", "segment": idx, "start": mark.start, "end": mark.end})
                    records.append(record)
            notes = element.find(_x("notes"))
            for note in [] if notes is None else notes.findall(_x("note")):
                if note.get("category") != "calque:marker":
                    continue
                category = note.get(_c("category"))
                if category not in MARKER_CATEGORIES:
                    raise InputError(f"{where}: unknown marker {category!r}", path)
                records.append(marker_record(segment=idx, translation=translation_id, category=category, annotator=note.get(_c("annotator")),
                                             origin=note.get(_c("origin")) or "human", comment=note.text or None,
                                             **({"id": note.get(_c("id"))} if note.get(_c("id")) else {})))
            for record in records:
                outcome = _store(ingest, writer, record)
                counts[outcome if outcome else "markers" if is_marker(record["category"]) else "annotations"] += 1
            counts["units"] += 1
            if progress is not None:
                progress.update(1)
    return counts
