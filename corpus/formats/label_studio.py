"""Label Studio's JSON export: a list of tasks, each with the texts in `data` and annotations whose
`result` holds labelled text regions.

Calque writes one task per target segment: data.text is the target, data.source the source text aligned
to it, data.calque names the document, translation and segment. A region's category is a `labels`
result (from_name "category"), its severity a per-region `choices` result (from_name "severity") and
its comment a per-region `textarea` (from_name "comment"), all sharing the region id; to_name "text"
marks the target, "source" the source (omissions). An annotation with no region means "no error".
`label_config(typology)` gives the matching Label Studio labeling configuration.

Import reads such tasks back onto the translations they name, after checking the texts still match.
"""
from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

from corpus.errors import InputError
from corpus.formats.annotation_writer import AnnotationWriter
from corpus.ingest import Ingest
from corpus.typology import SEVERITIES, Typology, is_marker, marker_record
from corpus.validation import Id, Offset, Record, Scalar, Text, load_json, parse

TARGET, SOURCE = "text", "source"


def label_config(typology: Typology) -> str:
    """A Label Studio labeling config for span MQM annotation with this typology's categories."""
    labels = "\n".join(f"    <Label value={quoteattr(path)}/>" for path in typology.paths)
    choices = "\n".join(f"    <Choice value={quoteattr(s)}/>" for s in SEVERITIES)
    return f"""<View>
  <Header value="Source"/>
  <Text name="{SOURCE}" value="$source"/>
  <Header value="Translation"/>
  <Text name="{TARGET}" value="$text"/>
  <Labels name="category" toName="{TARGET},{SOURCE}">
{labels}
  </Labels>
  <Choices name="severity" toName="{TARGET},{SOURCE}" perRegion="true" required="true">
{choices}
  </Choices>
  <TextArea name="comment" toName="{TARGET},{SOURCE}" perRegion="true"/>
</View>
"""


class RegionValue(Record):
    """What a text-span result holds: offsets into data.text (or data.source), the quoted text, and the
    labels, choices or textarea lines of its kind."""

    start: Offset | None = None
    end: Offset | None = None
    text: Text | list[Text] | None = None
    labels: list[Text] | None = None
    choices: list[Text] | None = None


class Result(Record):
    id: Scalar = None
    type: Text | None = None
    from_name: Text | None = None
    to_name: Text | None = None
    value: RegionValue


class Annotation(Record):
    completed_by: Scalar | dict[str, Scalar] = None
    was_cancelled: bool | None = None
    result: list[Result] | None = None


class CalqueRef(Record):
    translation: Id
    segment: Offset
    source_segments: list[Offset] | None = None


class TaskData(Record):
    text: Text | None = None
    calque: CalqueRef


class Task(Record):
    """A Label Studio task as Calque exports it; checked before any of it is used."""

    id: Scalar = None
    data: TaskData
    annotations: list[Annotation] | None = None


def _annotator(annotation: Annotation) -> str | None:
    who = annotation.completed_by
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    return None if who is None else str(who)


def import_file(ingest: Ingest, path: str, progress=None, **_ignored) -> dict:
    from corpus.formats.reading import read_text
    from corpus.formats.units import Unit

    tasks = load_json(read_text(path), path)
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise InputError("expected a list of Label Studio tasks", path)
    writer = AnnotationWriter(ingest)
    counts = {"tasks": 0, "annotations": 0, "no_error": 0, "cancelled": 0}
    for number, task in enumerate(tasks, start=1):
        where = f"task {number}" + (f" (id {task.get('id')!r:.40})" if isinstance(task, dict) and task.get("id") is not None else "")
        def fail(problem: str) -> InputError:
            return InputError(f"{where}: {problem}", path)
        try:
            checked = parse(Task, task)
        except InputError as problem:
            raise fail(f"{problem.problem} (export the tasks from Calque)") from None
        ref = checked.data.calque
        translation_id, idx = ref.translation, ref.segment
        info = ingest.text_info(translation_id, None)
        if info["translation_id"] is None:
            raise fail(f"{translation_id!r} is not a translation")
        targets = ingest.segments_of(translation_id)
        if not 0 <= idx < len(targets):
            raise fail(f"segment {idx} does not exist in {translation_id!r}")
        if checked.data.text != targets[idx]["text"]:
            raise fail(f"the text differs from segment {idx} of {translation_id!r} (the corpus changed since the export)")
        document_id = info["document_id"]
        source_segments = []
        if ref.source_segments:
            ingest.text_info(document_id, None)
            sources = {s["idx"]: s["text"] for s in ingest.segments_of(document_id)}
            source_segments = [(i, sources.get(i)) for i in ref.source_segments]
            if any(text is None for _, text in source_segments):
                raise fail("data.calque.source_segments names a source segment that does not exist")
        unit = Unit(idx, targets[idx]["text"], source_segments)
        for annotation in checked.annotations or []:
            if annotation.was_cancelled:
                counts["cancelled"] += 1
                continue
            annotator = _annotator(annotation)
            if annotator is None:
                raise fail("an annotation without completed_by")
            regions: dict[str, dict] = {}
            for result in annotation.result or []:
                region = regions.setdefault(str(result.id), {"to_name": result.to_name})
                value = result.value
                region.setdefault("start", value.start)
                region.setdefault("end", value.end)
                if isinstance(value.text, str):
                    region.setdefault("quoted", value.text)
                kind = result.type
                if kind in ("labels", "choices", "textarea"):
                    names = (value.text if kind == "textarea" else getattr(value, kind)) or []
                    if isinstance(names, str):
                        names = [names]
                    if kind == "textarea":
                        region["comment"] = " ".join(names) or None
                    else:
                        region[kind] = names
            records = []
            for region_id, region in regions.items():
                if not region.get("labels"):
                    raise fail(f"region {region_id} has no category label")
                if len(region.get("choices") or []) != 1:
                    raise fail(f"region {region_id} needs exactly one severity choice")
                severity = next((s for s in SEVERITIES if s.lower() == str(region["choices"][0]).lower()), None)
                if severity is None:
                    raise fail(f"region {region_id}: unknown severity {region['choices'][0]!r}")
                start, end = region.get("start"), region.get("end")
                if region.get("to_name") == SOURCE:
                    text = unit.source
                elif region.get("to_name") == TARGET:
                    text = unit.target
                else:
                    raise fail(f"region {region_id} labels {region.get('to_name')!r} (expected 'text' or 'source')")
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
                    raise fail(f"region {region_id} has offsets {start!r}-{end!r} outside its text")
                if "quoted" in region and region["quoted"] != text[start:end]:
                    raise fail(f"region {region_id}: text {region['quoted']!r} does not match offsets {start}-{end}")
                record = {"translation": translation_id, "category": region["labels"][0], "severity": severity,
                          "annotator": annotator, "origin": "human", "comment": region.get("comment")}
                if region["to_name"] == SOURCE:
                    found = unit.source_segment_at(start)
                    if found is None or end - found[1] > len(dict(unit.source_segments)[found[0]]):
                        raise fail(f"region {region_id} crosses source segments")
                    record.update({"side": "source", "segment": found[0], "start": start - found[1], "end": end - found[1]})
                else:
                    record.update({"side": "target", "segment": idx, "start": start, "end": end})
                records.append(record)
            if not records:
                records.append(marker_record(segment=idx, translation=translation_id, annotator=annotator, origin="human"))
                counts["no_error"] += 1
            for record in records:
                writer.add(record, None)
            counts["annotations"] += sum(1 for r in records if not is_marker(r["category"]))
        counts["tasks"] += 1
        if progress is not None:
            progress.update(1)
    counts["already_present"] = writer.skipped
    return counts


def export_text(corpus, translation_ids: list[str] | None = None, **_ignored) -> tuple[str, dict]:
    from corpus.formats.units import translation_units

    translations = corpus.translations()
    if translation_ids is not None:
        translations = translations[translations.id.isin(translation_ids)]
    tasks, skipped = [], {"stale": 0, "rejected": 0, "unplaced": 0}
    for translation in translations.to_dict("records"):
        units = translation_units(corpus, translation["id"])
        by_unit: dict[int, dict[str, list[dict]]] = {}
        for note in corpus.annotations(translation_id=translation["id"]).to_dict("records"):
            if note["status"] == "rejected" or note["stale"]:
                skipped["rejected" if note["status"] == "rejected" else "stale"] += 1
                continue
            unit = units.unit_of(note["side"], int(note["segment_idx"]))
            if unit is None:
                skipped["unplaced"] += 1
                continue
            by_unit.setdefault(unit.target_idx, {}).setdefault(note["annotator"], []).append(note)
        for unit in units:
            annotations = []
            for annotator, notes in sorted(by_unit.get(unit.target_idx, {}).items()):
                result = []
                for n, note in enumerate(sorted(notes, key=lambda x: (x["side"], x["start"], x["end"], x["category"], x["severity"], x["comment"] or "", x["id"]))):
                    if is_marker(note["category"]):
                        continue
                    start, end = int(note["start"]), int(note["end"])
                    to_name, text = TARGET, unit.target
                    if note["side"] == "source":
                        offset = unit.source_offset(int(note["segment_idx"]))
                        start, end, to_name, text = start + offset, end + offset, SOURCE, unit.source
                    region = {"start": start, "end": end, "text": text[start:end]}
                    rid = f"r{n}"
                    result.append({"id": rid, "from_name": "category", "to_name": to_name, "type": "labels",
                                   "value": {**region, "labels": [note["category"]]}})
                    result.append({"id": rid, "from_name": "severity", "to_name": to_name, "type": "choices",
                                   "value": {**region, "choices": [note["severity"]]}})
                    if note["comment"]:
                        result.append({"id": rid, "from_name": "comment", "to_name": to_name, "type": "textarea",
                                       "value": {**region, "text": [note["comment"]]}})
                annotations.append({"id": len(annotations) + 1, "completed_by": {"email": annotator}, "result": result,
                                    "was_cancelled": False, "ground_truth": False})
            tasks.append({"id": len(tasks) + 1, "data": {
                "text": unit.target, "source": unit.source,
                "calque": {"document": translation["document_id"], "translation": translation["id"], "segment": unit.target_idx,
                           "source_segments": [i for i, _ in unit.source_segments]}},
                "annotations": annotations})
    return json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", {"rows": len(tasks), "unit": "tasks", "skipped": skipped}
