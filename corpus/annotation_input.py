"""One annotation as a person enters it (CLI, browser), checked and turned into an Ingest record.

    record = annotation_record(corpus, "seed-hikvision", translation="seed-hikvision.de.mt", segment=3,
                               text="Wachhund", category="Accuracy/Mistranslation", severity="Major")
    corpus.add_annotations([record], actor=record["annotator"])

The category must belong to the corpus's typology (unless any_category); an artifact type alone picks
its category; a span is given by offsets within a segment, by its text within a segment, or by its text
within the whole translation (the n-th occurrence). no_error=True records the "No-error" marker.
"""
from __future__ import annotations

from corpus.errors import InputError
from corpus.typology import corpus_typology, marker_record, severity_name


def _segment_text(corpus, text_id: str, side: str, segment: int) -> str:
    frame = corpus.segments(translation_id=text_id) if side == "target" else corpus.segments(document_id=text_id, side="source")
    match = frame[frame.idx == segment]
    if match.empty:
        raise InputError(f"segment {segment} does not exist in {text_id!r} ({len(frame)} segments)")
    return match.iloc[0].text


def _check_occurs(corpus, document: str, translation: str | None, text: str, occurrence: int) -> None:
    """A span given by its text alone must occur in the text it is to mark; if not, say where it does."""
    full = corpus.translation(translation)["text"] if translation else corpus.document(document)["source_text"] or ""
    found = full.count(text)
    if found >= occurrence:
        return
    where = translation or f"the source of {document!r}"
    elsewhere = [t.id for t in corpus.translations().itertuples() if t.id != translation and text in t.text]
    hint = (f"; it occurs in {', '.join(repr(t) for t in elsewhere[:3])}" if elsewhere
            else f"; copy it exactly from `calque show {document}`")
    count = "does not occur" if not found else f"occurs {found} time(s), not {occurrence}"
    raise InputError(f"{text!r} {count} in {where!r}{hint}")


def annotation_record(corpus, document: str, translation: str | None = None, side: str = "target", segment: int | None = None,
                      start: int | None = None, end: int | None = None, text: str | None = None, occurrence: int = 1,
                      category: str | None = None, severity: str | None = None, artifact_type: str | None = None,
                      no_error: bool = False, comment: str | None = None, correction: str | None = None,
                      annotator: str | None = None, any_category: bool = False) -> dict:
    corpus.document(document)
    if side not in ("source", "target"):
        raise InputError(f"side must be 'source' or 'target', got {side!r}")
    if translation is None and side == "target":
        raise InputError("say which side: a translation (target) or the source")
    if translation is not None and corpus.translation(translation)["document_id"] != document:
        raise InputError(f"translation {translation!r} does not belong to document {document!r}")
    record: dict = {"document": document, "side": side, "annotator": annotator or corpus.actor, "origin": "human", "comment": comment}
    if translation is not None:
        record["translation"] = translation
    if no_error:
        if segment is None:
            raise InputError("a No-error mark needs a segment")
        return marker_record(segment=segment, **record)
    typology = corpus_typology(corpus)
    if artifact_type:
        try:
            category = category or typology.category_for_artifact(artifact_type)
        except ValueError as problem:
            raise InputError(str(problem)) from None
    if not category or not severity:
        raise InputError("an error needs --category (or --artifact-type) and --severity, e.g. "
                         "--category Accuracy/Mistranslation --severity Major (or --no-error for an error-free segment)")
    try:
        severity = severity_name(severity)
        if not any_category:
            category = typology.validate(category)
    except ValueError as problem:
        if "severity" in str(problem):
            raise InputError(str(problem)) from None
        raise InputError(f"{problem}; to record a category outside the corpus typology anyway, add --any-category "
                         "(`calque typology show` lists the typology)") from None
    record.update({"category": category, "severity": severity, "artifact_type": artifact_type, "correction": correction})
    if start is not None or end is not None:
        if segment is None or start is None or end is None:
            raise InputError("a span by offsets needs the segment, its start and its end")
        record.update({"segment": segment, "start": start, "end": end})
    elif text is not None:
        if segment is None:
            _check_occurs(corpus, document, translation if side == "target" else None, text, occurrence)
            record.update({"text": text, "occurrence": occurrence})
        else:
            segment_text = _segment_text(corpus, translation if side == "target" else document, side, segment)
            position = -1
            for _ in range(occurrence):
                position = segment_text.find(text, position + 1)
                if position < 0:
                    raise InputError(f"{text!r} occurs fewer than {occurrence} time(s) in segment {segment}")
            record.update({"segment": segment, "start": position, "end": position + len(text)})
    else:
        raise InputError("give the span: a segment with start and end, or its text")
    return record
