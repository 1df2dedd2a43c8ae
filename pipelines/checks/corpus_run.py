"""The checks on a corpus: every translation of the chosen documents, findings written as annotations and
scored against the corpus's human annotations (corpus_score; the scoring itself is pipelines.checks.score).

Checks compare units of text: an alignment link (its source and target segments joined), or, where a
translation has no alignments but as many paragraphs as its source, a paragraph pair. Target segments
outside any link, and translations without a source or without matching paragraphs, are checked
target-only, a paragraph at a time. Findings are mapped back
onto single target segments.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from itertools import islice
from dataclasses import asdict, dataclass, fields
from typing import Iterable, Iterator

from pipelines.checks.base import Document, Finding
from pipelines.checks.catalogue import CatalogueEntry, catalogue_from_records
from pipelines.checks.categories import mqm_category
from pipelines.checks.run import resolve_checks, run_document
from pipelines.checks.score import MATCHING, Span, detectable_types, score
from pipelines.execution.resumable import content_key, map_resumable

ANNOTATOR = "calque-check"
CHECK_SHARD = 50  # translations per task
CHECK_WINDOW = 2000  # translations read and checked per round


@dataclass(frozen=True)
class CorpusFinding:
    document_id: str
    translation_id: str
    segment: int
    start: int
    end: int
    text: str
    type: str
    artifact_type: str
    check: str
    severity: str
    message: str

    def to_dict(self) -> dict:
        return asdict(self)

    def annotation_record(self) -> dict:
        return {
            "translation": self.translation_id,
            "segment": self.segment,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "category": mqm_category(self.artifact_type),
            "severity": self.severity,
            "artifact_type": self.artifact_type,
            "annotator": ANNOTATOR,
            "origin": f"auto:{self.check}",
            "status": "open",
            "comment": self.message,
        }


@dataclass
class _Unit:
    target: list[int]
    source: list[int] | None


def _clean(value):
    return None if isinstance(value, float) and math.isnan(value) else value


def corpus_catalogue(corpus) -> list[CatalogueEntry]:
    rows = [{k: _clean(v) for k, v in row.items()} for row in corpus.artifacts().to_dict("records")]
    return catalogue_from_records(rows)


def _units(target_rows: list[dict], source_rows: list[dict], links: list[dict]) -> list[_Unit]:
    if not source_rows:
        return [_Unit(paragraph, None) for paragraph in _group(target_rows)]
    units: list[_Unit] = []
    if links:
        covered: set[int] = set()
        for link in links:
            target = sorted(i for i in link["target_idx"] if i not in covered)
            if target:
                units.append(_Unit(target, sorted(link["source_idx"]) or None))
                covered.update(target)
        units += [_Unit([r["idx"]], None) for r in target_rows if r["idx"] not in covered]
        return sorted(_contiguous(units), key=lambda u: u.target[0])
    target_paragraphs = _group(target_rows)
    source_paragraphs = _group(source_rows)
    if len(target_paragraphs) == len(source_paragraphs):
        return [_Unit(t, s) for t, s in zip(target_paragraphs, source_paragraphs)]
    return [_Unit(paragraph, None) for paragraph in target_paragraphs]


def _contiguous(units: list[_Unit]) -> list[_Unit]:
    """Units whose target segments are not adjacent are checked segment by segment, without source."""
    result = []
    for unit in units:
        if unit.target == list(range(unit.target[0], unit.target[0] + len(unit.target))):
            result.append(unit)
        else:
            result += [_Unit([i], None) for i in unit.target]
    return result


def _group(rows: list[dict]) -> list[list[int]]:
    paragraphs: dict[int, list[int]] = {}
    for row in rows:
        paragraphs.setdefault(row["paragraph"], []).append(row["idx"])
    return [paragraphs[p] for p in sorted(paragraphs)]


def _span_text(rows: dict[int, dict], indexes: list[int], full_text: str) -> tuple[str, int]:
    """The text covered by these segments, taken from the full text so spacing is exact, and its offset."""
    members = [rows[i] for i in indexes]
    start, end = min(r["start"] for r in members), max(r["end"] for r in members)
    return full_text[start:end], start


FINDING_FIELDS = tuple(f.name for f in fields(CorpusFinding))


def check_translation(corpus, translation: dict, document: dict, catalogue: list[CatalogueEntry], only=None) -> list[CorpusFinding]:
    inputs = translation_inputs(corpus, translation, document)
    return [] if inputs is None else check_inputs(inputs, catalogue, only)


def translation_inputs(corpus, translation: dict, document: dict) -> dict | None:
    """What checking one translation reads from the corpus (None: it has no segments)."""
    target_rows = corpus.segments(translation_id=translation["id"]).sort_values("idx").to_dict("records")
    if not target_rows:
        return None
    has_source = document.get("source_text") is not None
    source_rows = corpus.segments(document_id=document["id"], side="source").sort_values("idx").to_dict("records") if has_source else []
    links = corpus.alignments(translation_id=translation["id"]).to_dict("records") if has_source else []
    return {"translation": translation, "document": document, "target_rows": target_rows, "source_rows": source_rows,
            "links": links}


def check_inputs(inputs: dict, catalogue: list[CatalogueEntry], only=None) -> list[CorpusFinding]:
    """The findings of one translation from its inputs: pure, so any worker may compute them."""
    translation, document = inputs["translation"], inputs["document"]
    target_rows, source_rows, links = inputs["target_rows"], inputs["source_rows"], inputs["links"]
    has_source = document.get("source_text") is not None
    units = _units(target_rows, source_rows, links)
    by_idx = {r["idx"]: r for r in target_rows}
    source_by_idx = {r["idx"]: r for r in source_rows}

    texts, offsets, sources = [], [], []
    for unit in units:
        text, offset = _span_text(by_idx, unit.target, translation["text"])
        texts.append(text)
        offsets.append(offset)
        sources.append(None if unit.source is None else _span_text(source_by_idx, unit.source, document.get("source_text"))[0])
    checked = Document(
        target=texts,
        source=sources if has_source else None,
        src_lang=document["lang"],
        tgt_lang=translation["lang"],
        catalogue=catalogue,
        source_text=document.get("source_text"),
        paragraphs=[by_idx[u.target[0]]["paragraph"] for u in units],
    )
    starts = [r["start"] for r in target_rows]
    results = []
    for finding in run_document(checked, only):
        absolute = offsets[finding.segment] + finding.start
        row = target_rows[max(0, bisect_right(starts, absolute) - 1)]
        start = absolute - row["start"]
        end = min(offsets[finding.segment] + finding.end - row["start"], len(row["text"]))
        start = min(start, end)
        results.append(_located(finding, document["id"], translation["id"], row, start, end))
    return results


def _located(finding: Finding, document_id: str, translation_id: str, row: dict, start: int, end: int) -> CorpusFinding:
    return CorpusFinding(
        document_id=document_id, translation_id=translation_id, segment=int(row["idx"]), start=start, end=end,
        text=row["text"][start:end], type=finding.type, artifact_type=finding.artifact_type, check=finding.check,
        severity=finding.severity, message=finding.message,
    )


def run_corpus_checks(corpus, document_ids: Iterable[str] | None = None, only=None, progress=None,
                      extra_catalogue: Iterable[CatalogueEntry] = (), executor=None, shards=None,
                      resume: bool = False) -> Iterator[tuple[dict, list[CorpusFinding]]]:
    """(translation, findings) for every translation of the given documents (all when None), using the
    corpus catalogue plus any extra entries. With an executor (pipelines.execution) the checking runs on
    its workers, CHECK_SHARD translations per task; reading stays here, window by window. With `shards`
    (a ShardStore) each task's findings are kept there as Parquet, and `resume` reads back the tasks an
    earlier run finished, instead of checking those translations again."""
    catalogue = corpus_catalogue(corpus) + list(extra_catalogue)
    documents = corpus.documents().to_dict("records")
    wanted = None if document_ids is None else list(document_ids)
    if wanted is not None:
        known = {d["id"] for d in documents}
        missing = [d for d in wanted if d not in known]
        if missing:
            from corpus.errors import NotFoundError

            raise NotFoundError(f"no document with id {', '.join(repr(m) for m in missing)}")
        documents = [d for d in documents if d["id"] in set(wanted)]
    documents = [{k: _clean(v) for k, v in d.items()} for d in documents]
    pairs = ((translation, document) for document in documents
             for translation in corpus.translations(document_id=document["id"]).to_dict("records"))
    if executor is None and shards is not None:
        from pipelines.execution import InProcessExecutor

        executor = InProcessExecutor(progress=False)
    if executor is None:
        for translation, document in pairs:
            yield translation, check_translation(corpus, translation, document, catalogue, only)
            if progress is not None:
                progress.update(1)
        return
    while window := list(islice(pairs, CHECK_WINDOW)):
        inputs = [translation_inputs(corpus, translation, document) for translation, document in window]
        runnable = [item for item in inputs if item is not None]
        tasks = [(runnable[i:i + CHECK_SHARD], catalogue, only) for i in range(0, len(runnable), CHECK_SHARD)]
        parts = map_resumable(executor, _check_shard, tasks, keys=[_task_key(t) for t in tasks] if shards else [],
                              encode=_finding_columns, decode=_findings_from_rows, store=shards, resume=resume,
                              label="check", describe=_task_holds)
        found = iter([f for part in parts for f in part])
        for (translation, _), item in zip(window, inputs):
            yield translation, [] if item is None else next(found)
            if progress is not None:
                progress.update(1)


def _check_shard(task: tuple) -> list[list[CorpusFinding]]:
    inputs, catalogue, only = task
    return [check_inputs(item, catalogue, only) for item in inputs]


def _task_key(task: tuple) -> str:
    inputs, catalogue, only = task
    return content_key("check", inputs, catalogue, resolve_checks(only))


def _task_holds(task: tuple) -> dict[str, list]:
    """What a task's file must hold: the findings of these translations."""
    return {"translations": [item["translation"]["id"] for item in task[0]]}


def _finding_columns(found: list[list[CorpusFinding]]) -> dict[str, list]:
    """One row per finding, `item` its translation's place in the task."""
    rows = [(item, finding) for item, findings in enumerate(found) for finding in findings]
    columns: dict[str, list] = {"item": [item for item, _ in rows]}
    for name in FINDING_FIELDS:
        columns[name] = [getattr(finding, name) for _, finding in rows]
    return columns


def _findings_from_rows(store, key: str, task: tuple) -> list[list[CorpusFinding]]:
    found: list[list[CorpusFinding]] = [[] for _ in task[0]]
    for row in store.read_rows(key):
        found[row["item"]].append(CorpusFinding(**{name: row[name] for name in FINDING_FIELDS}))
    return found


def write_findings(corpus, findings: list[CorpusFinding], translation_ids: list[str], only=None) -> dict:
    """Store a run's findings in one transaction, idempotently: a finding already stored (same check,
    span and segment text hash) is not added again and keeps its review status; open findings of these
    checks that no longer fire become 'resolved'. Human annotations are never touched."""
    origins = [f"auto:{name}" for name in resolve_checks(only)]
    return corpus.sync_auto_annotations(origins, [f.annotation_record() for f in findings], translation_ids, actor=ANNOTATOR)


def summary(written: dict) -> str:
    """One line on what a run changed in the store."""
    parts = [f"{written['added']} new", f"{written['unchanged']} already stored"]
    if written["reopened"]:
        parts.append(f"{written['reopened']} reopened")
    parts.append(f"{written['resolved']} resolved (no longer found)")
    if written["reviewed_not_firing"]:
        parts.append(f"{written['reviewed_not_firing']} reviewed finding(s) no longer found, kept as reviewed")
    return "findings: " + ", ".join(parts)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def corpus_score(corpus, only=None) -> dict:
    """Run the checks on the whole corpus in memory and score them against its human annotations."""
    from pipelines.provenance import calque_signature, data_hash

    results = list(run_corpus_checks(corpus, only=only))
    findings = [Span((f.translation_id, f.segment), f.start, f.end, f.artifact_type, f.type) for _, fs in results for f in fs]
    annotations = corpus.annotations()
    gold_rows = []
    if not annotations.empty:
        chosen = annotations[
            (annotations.origin == "human") & (annotations.status != "rejected") & annotations.translation_id.notna()
            & (annotations.side == "target") & ~annotations.stale.astype(bool)
        ]
        gold_rows = chosen.to_dict("records")
    gold = [Span((g["translation_id"], int(g["segment_idx"])), int(g["start"]), int(g["end"]), _text(g["artifact_type"])) for g in gold_rows]
    catalogue = corpus_catalogue(corpus)
    detectable = detectable_types(e.type for e in catalogue)
    report = score(findings, gold, detectable)

    annotated = {g.key[0] for g in gold}
    clean = [(t, fs) for t, fs in results if t["id"] not in annotated]
    report["unannotated_translations"] = {
        "translations": len(clean),
        "segments": sum(len(corpus.segments(translation_id=t["id"])) for t, _ in clean),
        "findings": sum(len(fs) for _, fs in clean),
        "by_translation": {t["id"]: len(fs) for t, fs in clean},
    }
    checks = resolve_checks(only)
    hashed = data_hash(
        sorted(f"{r['translation_id']}\t{r['idx']}\t{r['text']}" for r in corpus.segments(side="target").to_dict("records")),
        sorted(f"{g.key[0]}\t{g.key[1]}\t{g.start}\t{g.end}\t{g.artifact_type}" for g in gold),
        sorted(f"{e.type}\t{e.source}\t{e.target}\t{e.src_lang}\t{e.tgt_lang}" for e in catalogue),
    )
    signature = f"checks:{'+'.join(checks) if only else 'all'}|match:{MATCHING}|catalogue:{len(catalogue)}|gold:human"
    report["data_hash"] = hashed
    report["signature"] = calque_signature(signature, hashed)
    return report


def demo_step(corpus, workdir) -> str:
    """`calque demo` step: run every check on the demo corpus, store the findings, score them."""
    findings, translation_ids = [], []
    for translation, found in run_corpus_checks(corpus):
        translation_ids.append(translation["id"])
        findings.extend(found)
    written = write_findings(corpus, findings, translation_ids)
    overall = corpus_score(corpus)["overall"]

    def pct(value) -> str:
        return "–" if value is None else f"{100 * value:.0f}%"

    return (f"{written['added']} automatic annotations; precision {pct(overall['precision'])}, "
            f"recall {pct(overall['recall_detectable'])} of detectable human annotations "
            f"({pct(overall['recall_all'])} of all)")
