"""AnnotationService under concurrency: saves from many threads share commits, each keeps its own outcome."""
from __future__ import annotations

import threading

from corpus.errors import InputError
from pipelines.serve.service import AnnotationService


def test_concurrent_saves_are_each_stored_once_and_refusals_stay_separate(corpus):
    service = AnnotationService(corpus)
    segment = corpus.segments(translation_id="retailer-fine.de.mt").set_index("idx").loc[0]
    word = segment.text.split()[0]
    outcomes: dict[str, object] = {}
    start = threading.Barrier(8)

    def annotate(n: int) -> None:
        start.wait()
        for i in range(12):
            marker = f"t{n}-{i}"
            quoted = word if i % 3 else word + "x"  # every third save quotes the wrong text and must be refused
            try:
                row = service.create({"translation": "retailer-fine.de.mt", "segment": 0, "start": 0, "end": len(word), "text": quoted,
                                      "category": "Accuracy/Mistranslation", "severity": "Minor", "comment": marker}, f"annotator-{n}")
                outcomes[marker] = row
            except InputError as refused:
                outcomes[marker] = refused

    threads = [threading.Thread(target=annotate, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    service.close()

    accepted = {m: r for m, r in outcomes.items() if isinstance(r, dict)}
    refused = {m for m, r in outcomes.items() if isinstance(r, InputError)}
    assert len(outcomes) == 96 and len(accepted) == 64 and len(refused) == 32
    assert all(int(m.split("-")[1]) % 3 == 0 for m in refused)
    assert all(row["comment"] == m and row["annotator"] == f"annotator-{m[1:].split('-')[0]}" for m, row in accepted.items())

    stored = corpus.annotations(translation_id="retailer-fine.de.mt")
    mine = stored[stored.comment.fillna("").str.startswith("t")]
    assert sorted(mine.comment) == sorted(accepted) and mine.id.is_unique
    journal = corpus.journal(entity="annotations").set_index("entity_id")
    assert all(journal.loc[row["id"], "actor"] == row["annotator"] for row in accepted.values())
