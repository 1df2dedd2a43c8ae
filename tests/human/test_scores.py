"""Human scores of any protocol: a segment scores the mean of its ratings, documents and systems the mean over rated
segments; rejected ratings never count, stale ones only when asked; MQM is `mqm score`."""
from __future__ import annotations

import pytest

from corpus import Corpus
from corpus.errors import InputError
from corpus.formats.annotations import import_annotations
from corpus.formats.wmt import import_wmt_into
from pipelines.human import score
from pipelines.mqm import score as mqm_score


@pytest.fixture
def rated(tmp_path, test_data):
    corpus = Corpus.init(tmp_path / "corpus", actor="tester")
    import_wmt_into(corpus, test_data / "wmt" / "docs_wmt")
    import_annotations(corpus, "appraise", test_data / "wmt" / "appraise_wmt.csv")
    yield corpus
    corpus.close()


def test_segments_average_their_ratings_and_systems_their_segments(rated):
    segments = score(rated, "esa", "segment").frame
    literal = segments[(segments.system == "literal") & (segments.segment == 0)].iloc[0]
    assert (literal.score, literal.ratings, literal.raters) == (45.0, 2, 1)  # one rater, twice: 40 and 50
    systems = score(rated, "esa", "system").frame.set_index("system")
    mine = segments[segments.system == "literal"].score.mean()
    assert systems.loc["literal", "score"] == pytest.approx(mine) and systems.loc["literal", "segments"] == 2
    assert list(systems["rank"]) == list(range(1, len(systems) + 1)) and systems.score.is_monotonic_decreasing


def test_documents_are_scored_per_system(rated):
    documents = score(rated, "esa", "document").frame
    vote = documents[documents.document_id == "tinydocs2024.en-de.harbour-vote"].set_index("system")
    assert vote.loc["A", "score"] == 100 and vote.loc["broken", "score"] == pytest.approx((15 + 35) / 2)
    assert vote.loc["A", "producer"] == "human"


def test_rejected_and_stale_ratings_are_left_out(rated):
    notes = rated.annotations()
    rating = notes[(notes.category == "ESA score") & (notes.translation_id == "tinydocs2024.en-de.harbour-vote.ref.A")].iloc[0]
    rated.update_annotation(rating.id, {"status": "rejected"})
    result = score(rated, "esa", "system")
    assert "A" not in set(result.frame.system) and result.excluded["rejected"] == 1
    with rated.transaction("edit a segment") as tx:
        tx.connection.exec_driver_sql("UPDATE segments SET text_hash = 'x' WHERE id = 'tinydocs2024.en-de.harbour-vote.ref.B:2'")
    assert "B" not in set(score(rated, "esa", "system").frame.system)
    assert "B" in set(score(rated, "esa", "system", include_stale=True).frame.system)


def test_mqm_is_the_mqm_score_and_other_protocols_refuse_weights(rated):
    ours = score(rated, "mqm", "system")
    theirs = mqm_score(rated, by="system")
    assert not ours.higher_is_better and ours.frame.equals(theirs.frame) and ours.signature == theirs.signature
    with pytest.raises(InputError, match="--weights apply to MQM only"):
        score(rated, "esa", weights="mqm-industry")
    with pytest.raises(InputError, match="the corpus holds no da scores"):
        score(rated, "da")
