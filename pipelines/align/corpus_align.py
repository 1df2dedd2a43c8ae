"""Aligning the texts of a corpus: source segments against each translation's segments.

Automatic links replace earlier automatic links; links set by hand (confirmed) are never touched,
and new links that overlap them are dropped (the corpus enforces this in `set_alignments`).
Confirmed links also teach the lexical scorers: word pairs learned from them (per language pair)
become the aligner's dictionary.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from corpus.errors import InputError, NotFoundError
from pipelines.align.beads import Bead
from pipelines.align.dictionary import learn_dictionary
from pipelines.align.methods import AUTO, get_aligner
from pipelines.align.signature import content_hash
from pipelines.execution.resumable import content_key, map_resumable

MIN_CONFIRMED_FOR_DICTIONARY = 5
ALIGN_SHARD = 20  # translations per task
ALIGN_WINDOW = 2000  # translations prepared, aligned and stored per round


def _texts(frame) -> list[str]:
    return [str(t) for t in frame.sort_values("idx")["text"].tolist()] if not frame.empty else []


def confirmed_pairs(corpus, src_lang: str, tgt_lang: str) -> list[tuple[str, str]]:
    """(source text, target text) of every confirmed link between texts in these two languages."""
    links = corpus.alignments()
    if links.empty:
        return []
    links = links[links.status == "confirmed"]
    if links.empty:
        return []
    translations = corpus.translations().set_index("id")
    documents = corpus.documents().set_index("id")
    pairs = []
    for translation_id, group in links.groupby("translation_id"):
        translation = translations.loc[translation_id]
        document = documents.loc[translation["document_id"]]
        if document["lang"] != src_lang or translation["lang"] != tgt_lang:
            continue
        segments = corpus.segments(document_id=translation["document_id"])
        source = dict(zip(segments[segments.side == "source"].idx, segments[segments.side == "source"].text))
        target_rows = segments[segments.translation_id == translation_id]
        target = dict(zip(target_rows.idx, target_rows.text))
        for link in group.to_dict("records"):
            if link["source_idx"] and link["target_idx"]:
                pairs.append((" ".join(source.get(i, "") for i in link["source_idx"]),
                              " ".join(target.get(i, "") for i in link["target_idx"])))
    return pairs


def align_translation(corpus, translation_id: str, method: str = AUTO, actor: str | None = None,
                      learn_from_confirmed: bool = True, **options: Any) -> dict:
    """Align one translation with its document's source and store the links; returns a summary."""
    job = prepare_alignment(corpus, translation_id, method, learn_from_confirmed, **options)
    if "skipped" in job:
        return job
    return store_alignment(corpus, job, align_job(job), actor)


def prepare_alignment(corpus, translation_id: str, method: str = AUTO, learn_from_confirmed: bool = True,
                      **options: Any) -> dict:
    """Everything aligning one translation needs, read from the corpus: the aligner (with a dictionary
    learned from confirmed links), both texts and the confirmed links; or a summary saying why it is skipped."""
    translation = corpus.translation(translation_id)
    document = corpus.document(translation["document_id"])
    if document["source_text"] is None:
        return {"translation": translation_id, "document": document["id"], "skipped": "no source text"}
    segments = corpus.segments(document_id=document["id"])
    source = _texts(segments[segments.side == "source"])
    target = _texts(segments[segments.translation_id == translation_id])
    if not source or not target:
        return {"translation": translation_id, "document": document["id"], "skipped": "no segments"}
    aligner = get_aligner(method, document["lang"], translation["lang"], **options)
    learned = 0
    if learn_from_confirmed and hasattr(aligner.options, "word_list") and aligner.options.word_list is None:
        pairs = confirmed_pairs(corpus, document["lang"], translation["lang"])
        if len(pairs) >= MIN_CONFIRMED_FOR_DICTIONARY:
            dictionary = learn_dictionary(pairs)
            if dictionary:
                aligner = get_aligner(aligner.name, document["lang"], translation["lang"], **{**options, "word_list": dictionary})
                learned = len(dictionary)
    existing = corpus.alignments(translation_id=translation_id)
    confirmed = [] if existing.empty else existing[existing.status == "confirmed"].to_dict("records")
    return {"translation": translation_id, "document": document["id"], "aligner": aligner, "source": source,
            "target": target, "src_lang": document["lang"], "tgt_lang": translation["lang"], "confirmed": confirmed,
            "learned": learned}


def align_job(job: dict) -> list[Bead]:
    """The beads of one prepared job: pure, so any worker may compute it."""
    return align_around(job["aligner"], job["source"], job["target"], job["src_lang"], job["tgt_lang"], job["confirmed"])


def store_alignment(corpus, job: dict, beads: list[Bead], actor: str | None = None) -> dict:
    """Store a job's links and its `alignment` result; returns the summary."""
    aligner = job["aligner"]
    links = [{"source": list(b.src), "target": list(b.tgt), "score": b.score} for b in beads]
    stored = corpus.set_alignments(job["translation"], links, method=aligner.name, actor=actor)
    signature = aligner.signature()
    corpus.add_result(
        "alignment",
        content_hash([job["source"], job["target"]]),
        signature,
        {"translation": job["translation"], "document": job["document"], "method": aligner.name,
         "beads": len(beads), "dictionary_from_confirmed": job["learned"], **stored},
    )
    return {"translation": job["translation"], "document": job["document"], "method": aligner.name,
            "beads": len(beads), **stored, "dictionary_from_confirmed": job["learned"], "signature": signature}


def gaps_between(confirmed: list[dict], n_src: int, n_tgt: int) -> list[tuple[int, int, int, int]] | None:
    """The stretches (s0, s1, t0, t1) left between confirmed links, or None when the links cannot
    split the texts (a one-sided link, or links that cross)."""
    spans = []
    for link in confirmed:
        src, tgt = sorted(link["source_idx"]), sorted(link["target_idx"])
        if not src or not tgt:
            return None
        spans.append((src[0], src[-1] + 1, tgt[0], tgt[-1] + 1))
    spans.sort()
    gaps, s_prev, t_prev = [], 0, 0
    for s0, s1, t0, t1 in spans:
        if s0 < s_prev or t0 < t_prev:
            return None
        gaps.append((s_prev, s0, t_prev, t0))
        s_prev, t_prev = s1, t1
    gaps.append((s_prev, n_src, t_prev, n_tgt))
    return gaps


def align_around(aligner, source: list[str], target: list[str], src_lang: str, tgt_lang: str,
                 confirmed: list[dict]) -> list[Bead]:
    """Align the texts, each stretch between confirmed links on its own, so that automatic links
    fit around the hand-set ones instead of being dropped where they would overlap them."""
    gaps = gaps_between(confirmed, len(source), len(target)) if confirmed else None
    if gaps is None:
        return aligner.align(source, target, src_lang, tgt_lang)
    beads: list[Bead] = []
    for s0, s1, t0, t1 in gaps:
        if s1 > s0 and t1 > t0:
            part = aligner.align(source[s0:s1], target[t0:t1], src_lang, tgt_lang)
            beads += [Bead(tuple(i + s0 for i in b.src), tuple(j + t0 for j in b.tgt), b.score, b.cost) for b in part]
        else:
            beads += [Bead((i,), (), 0.0) for i in range(s0, s1)] + [Bead((), (j,), 0.0) for j in range(t0, t1)]
    return beads


def align_documents(corpus, document_ids: Iterable[str] | None = None, translation_id: str | None = None,
                    method: str = AUTO, actor: str | None = None, progress: Callable[[int], None] | None = None,
                    executor=None, shards=None, resume: bool = False, **options: Any) -> list[dict]:
    """Align every translation of the given documents (all documents when None); the aligning itself
    runs on `executor` (pipelines.execution) when one is given, reading and storing stay here. With
    `shards` (a ShardStore) each task's beads are kept there as Parquet, and `resume` reads back the
    tasks an earlier run finished instead of aligning them again."""
    if translation_id is not None:
        translation = corpus.translation(translation_id)
        if document_ids is not None and translation["document_id"] not in set(document_ids):
            raise InputError(f"translation {translation_id!r} does not belong to document {', '.join(document_ids)}")
        targets = [translation_id]
    else:
        translations = corpus.translations()
        if document_ids is not None:
            wanted = list(document_ids)
            known = set(corpus.documents().id)
            missing = [d for d in wanted if d not in known]
            if missing:
                raise NotFoundError(f"no document with id {missing[0]!r}")
            translations = translations[translations.document_id.isin(wanted)]
        targets = translations.id.tolist()
    if executor is None and shards is not None:
        from pipelines.execution import InProcessExecutor

        executor = InProcessExecutor(progress=False)
    if executor is None:
        results = []
        for target_id in targets:
            results.append(align_translation(corpus, target_id, method, actor, **options))
            if progress is not None:
                progress(1)
        return results
    return _align_on(executor, corpus, targets, method, actor, progress, options, shards, resume)


def _align_on(executor, corpus, targets: list[str], method: str, actor: str | None, progress, options: dict,
              shards=None, resume: bool = False) -> list[dict]:
    """Prepare on the client, align on the executor's workers, store on the client, window by window
    (so the client never holds more than one window of texts); results in the order of `targets`."""
    results = []
    for start in range(0, len(targets), ALIGN_WINDOW):
        jobs = [prepare_alignment(corpus, target_id, method, **options) for target_id in targets[start:start + ALIGN_WINDOW]]
        runnable = [job for job in jobs if "skipped" not in job]
        tasks = [runnable[i:i + ALIGN_SHARD] for i in range(0, len(runnable), ALIGN_SHARD)]
        parts = map_resumable(executor, _align_jobs, tasks, keys=[_task_key(t) for t in tasks] if shards else [],
                              encode=_bead_columns, decode=_beads_from_rows, store=shards, resume=resume, label="align",
                              describe=_task_holds)
        beads = iter([b for part in parts for b in part])
        for job in jobs:
            results.append(job if "skipped" in job else store_alignment(corpus, job, next(beads), actor))
            if progress is not None:
                progress(1)
    return results


def _align_jobs(jobs: list[dict]) -> list[list[Bead]]:
    return [align_job(job) for job in jobs]


def _task_key(jobs: list[dict]) -> str:
    """Everything a task's beads depend on: the texts, the confirmed links and the aligner, its learned
    dictionary included (the signature names the dictionary by its size only)."""
    return content_key("align", [
        {"translation": job["translation"], "source": job["source"], "target": job["target"], "src_lang": job["src_lang"],
         "tgt_lang": job["tgt_lang"], "confirmed": [[list(c["source_idx"]), list(c["target_idx"])] for c in job["confirmed"]],
         "aligner": job["aligner"].signature(), "word_list": getattr(job["aligner"].options, "word_list", None)}
        for job in jobs])


def _task_holds(jobs: list[dict]) -> dict[str, list]:
    """What a task's file must hold: the links of these translations."""
    return {"translations": [job["translation"] for job in jobs]}


def _bead_columns(beads: list[list[Bead]]) -> dict[str, list]:
    """One row per bead, `item` its translation's place in the task."""
    rows = [(item, bead) for item, found in enumerate(beads) for bead in found]
    return {"item": [item for item, _ in rows], "src": [list(b.src) for _, b in rows], "tgt": [list(b.tgt) for _, b in rows],
            "score": [b.score for _, b in rows], "cost": [b.cost for _, b in rows]}


def _beads_from_rows(store, key: str, jobs: list[dict]) -> list[list[Bead]]:
    beads: list[list[Bead]] = [[] for _ in jobs]
    for row in store.read_rows(key):
        beads[row["item"]].append(Bead(tuple(row["src"]), tuple(row["tgt"]), row["score"], row["cost"]))
    return beads


def alignment_rows(corpus, document_id: str, translation_id: str | None = None) -> list[dict]:
    """Stored links of a document with their sentences, in text order."""
    corpus.document(document_id)
    segments = corpus.segments(document_id=document_id)
    source = dict(zip(segments[segments.side == "source"].idx, segments[segments.side == "source"].text))
    rows = []
    links = corpus.alignments(document_id=document_id) if translation_id is None else corpus.alignments(translation_id=translation_id)
    if translation_id is not None:
        corpus.translation(translation_id)
    for link in links.to_dict("records"):
        target_rows = segments[segments.translation_id == link["translation_id"]]
        target = dict(zip(target_rows.idx, target_rows.text))
        rows.append({
            "translation": link["translation_id"],
            "source": list(link["source_idx"]),
            "target": list(link["target_idx"]),
            "status": link["status"],
            "method": link["method"],
            "score": None if link["score"] is None or link["score"] != link["score"] else float(link["score"]),
            "source_text": " ".join(str(source.get(i, "")) for i in link["source_idx"]),
            "target_text": " ".join(str(target.get(i, "")) for i in link["target_idx"]),
        })
    return rows


def set_link(corpus, document_id: str, translation_id: str, source: list[int], target: list[int],
             actor: str | None = None) -> str:
    """Set a link by hand (confirmed); indices are checked against the texts' segments."""
    translation = corpus.translation(translation_id)
    if translation["document_id"] != document_id:
        raise InputError(f"translation {translation_id!r} belongs to document {translation['document_id']!r}, not {document_id!r}")
    if not source and not target:
        raise InputError("a link needs at least one source or target segment")
    segments = corpus.segments(document_id=document_id)
    n_source = int((segments.side == "source").sum())
    n_target = int((segments.translation_id == translation_id).sum())
    for name, indices, size in (("source", source, n_source), ("target", target, n_target)):
        bad = [i for i in indices if not 0 <= i < size]
        if bad:
            raise InputError(f"{name} segment {bad[0]} does not exist (the {name} text has {size} segments)")
        if sorted(set(indices)) != list(indices):
            raise InputError(f"{name} segments must be given once each, in increasing order")
    return corpus.confirm_alignment(translation_id, list(source), list(target), actor=actor)


def demo_step(corpus, workdir) -> str:
    """`calque demo`: align every bilingual demo document (method auto)."""
    results = align_documents(corpus)
    done = [r for r in results if "skipped" not in r]
    methods = sorted({r["method"] for r in done})
    links = sum(r["stored"] for r in done)
    return f"aligned {len(done)} translations ({', '.join(methods) or 'none'}): {links} links"
