from __future__ import annotations

import pytest

from corpus import InputError
from pipelines.mqm import score


def scores(corpus, **options) -> dict:
    result = score(corpus, **options)
    if result.level == "segment":
        return {int(r.segment): r.score for r in result.frame.itertuples()}
    return dict(zip(result.frame.system, result.frame.score))


def test_segment_score_averages_raters_and_system_score_averages_segments(council):
    # alice: Major 5, Minor 1, no error, no error; bob: Major 5, Major 5, Minor 1, no error
    assert scores(council, by="segment") == {0: 5.0, 1: 3.0, 2: 0.5, 3: 0.0}
    assert scores(council) == {"toy-mt": pytest.approx(8.5 / 4)}
    document = score(council, by="document").frame.iloc[0]
    assert (document.document_id, document.segments, document.errors) == ("council", 4, 5)


def test_custom_weights_change_the_score_and_the_signature(council):
    result = score(council, weights="Major:10 Minor:2 Neutral:0")
    assert result.frame.score.iloc[0] == pytest.approx(17 / 4)
    assert "weights:custom[major=10,minor=2,neutral=0]" in result.signature
    assert score(council).signature.split("|data:")[1] == result.signature.split("|data:")[1]


def test_a_severity_without_weight_is_an_error_not_a_zero(council):
    council.add_annotations([{"translation": "council.de.mt", "segment": 3, "start": 0, "end": 3, "category": "Accuracy/Mistranslation",
                              "severity": "Critical", "annotator": "alice"}])
    with pytest.raises(InputError, match="no weight for severity Critical"):
        score(council, weights="Major:5 Minor:1 Neutral:0")
    assert scores(council, weights="mqm-industry", by="segment")[3] == pytest.approx(12.5)


def test_an_annotation_on_a_changed_segment_is_stale_and_leaves_the_score(council):
    with council.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE segments SET text='Der Stadtrat tagte am Dienstag.', text_hash='changed' "
                                   "WHERE id='council.de.mt:0'")
    notes = council.annotations()
    stale = notes[notes.stale.astype(bool)]
    assert sorted(stale.annotator) == ["alice", "bob"] and set(stale.segment_idx) == {0}
    assert stale.text.tolist() == ["Der Rat", "Der Rat"]  # the quoted span is kept, never shifted
    result = score(council, by="segment")
    assert 0 not in set(result.frame.segment) and result.excluded["stale"] == 2
    assert scores(council, by="segment", include_stale=True)[0] == 5.0


def test_auto_annotations_count_once_confirmed_and_never_once_rejected(council):
    result = council.sync_auto_annotations(["auto:untranslated"], [
        {"translation": "council.de.mt", "segment": 3, "start": 12, "end": 18, "category": "Accuracy/Untranslated text",
         "severity": "Major", "annotator": "calque", "origin": "auto:untranslated", "artifact_type": "untranslated"},
        {"translation": "council.de.mt", "segment": 2, "start": 0, "end": 3, "category": "Accuracy/Untranslated text",
         "severity": "Major", "annotator": "calque", "origin": "auto:untranslated"},
    ], ["council.de.mt"])
    first, second = result["ids"]
    assert set(council.annotations().set_index("id").loc[[first, second], "status"]) == {"open"}
    assert score(council).excluded["unconfirmed_auto"] == 2
    baseline = scores(council, by="segment")
    note = council.annotations().set_index("id").loc[first]
    council.update_annotation(first, {"status": "confirmed"}, expected_version=int(note.version))
    council.update_annotation(second, {"status": "rejected"})
    after = scores(council, by="segment")
    # segment 3 now has alice 0, bob 0 and the confirmed auto annotation by "calque" (a third rater) with 5
    assert after[3] == pytest.approx(5 / 3) and after[2] == baseline[2]
    again = council.sync_auto_annotations(["auto:untranslated"], [], ["council.de.mt"])
    assert (again["resolved"], again["reviewed_not_firing"]) == (0, 2)  # confirmed and rejected ones survive a re-check
    assert set(council.annotations().set_index("id").loc[[first, second], "status"]) == {"confirmed", "rejected"}


def test_a_source_side_omission_counts_for_the_aligned_target_segment(council):
    council.add_annotations([{"translation": "council.de.mt", "side": "source", "segment": 1, "start": 16, "end": 19,
                              "category": "Accuracy/Omission", "severity": "Minor", "annotator": "alice"}])
    note = council.annotations().query("side == 'source'").iloc[0]
    assert (note.text, note.translation_id) == ("new", "council.de.mt")
    assert scores(council, by="segment")[1] == pytest.approx(((1 + 1) + 5) / 2)


def test_errors_in_the_source_itself_do_not_count_against_a_translation(council):
    council.add_annotations([{"document": "council", "segment": 0, "start": 4, "end": 11, "category": "Source error",
                              "severity": "Minor", "annotator": "alice"}])
    result = score(council)
    assert result.excluded["source_errors"] == 1 and result.frame.score.iloc[0] == pytest.approx(8.5 / 4)


def test_the_data_hash_follows_the_annotations(council):
    before = score(council).data_hash
    council.add_annotations([{"translation": "council.de.mt", "segment": 3, "start": 0, "end": 3, "category": "Style/Awkward",
                              "severity": "Minor", "annotator": "bob"}])
    assert score(council).data_hash != before


def test_a_segments_rater_set(council):
    # With No-error markers a rater says which segments they rated: only those count, under either policy.
    assert scores(council, by="segment") == scores(council, by="segment", unmarked="unrated") == {0: 5.0, 1: 3.0, 2: 0.5, 3: 0.0}
    with council.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM annotations WHERE category = 'No-error'")
    # Without markers (errors only), a rater who annotated a translation reviewed all of it by default:
    # alice's unmarked segments 2 and 3 rate 0 for her; bob marked 0, 1, 2, so segment 3 is alice's alone.
    default = score(council, by="segment")
    raters = {int(r.segment): r.rater_scores for r in default.frame.itertuples()}
    assert raters == {0: {"alice": 5.0, "bob": 5.0}, 1: {"alice": 1.0, "bob": 5.0}, 2: {"alice": 0.0, "bob": 1.0}, 3: {"alice": 0.0, "bob": 0.0}}
    assert "unmarked:zero" in default.signature
    unrated = score(council, by="segment", unmarked="unrated")
    assert {int(r.segment): sorted(r.rater_scores) for r in unrated.frame.itertuples()} == {0: ["alice", "bob"], 1: ["alice", "bob"], 2: ["bob"]}
    assert "unmarked:unrated" in unrated.signature
    # A new annotator name is a new rater of every segment of that translation (they claim to have reviewed it).
    council.add_annotations([{"translation": "council.de.mt", "segment": 3, "start": 0, "end": 3, "category": "Style/Awkward",
                              "severity": "Minor", "annotator": "carol"}])
    after = {int(r.segment): r.rater_scores for r in score(council, by="segment").frame.itertuples()}
    assert after[3] == {"alice": 0.0, "bob": 0.0, "carol": 1.0} and after[0]["carol"] == 0.0
    with pytest.raises(InputError, match="unknown unmarked policy"):
        score(council, unmarked="maybe")


def test_the_demo_step_reports_the_seed_score(tmp_path):
    from pipelines.demo import DEMO_STEPS, demo_corpus_file
    from pipelines.mqm.demo_step import mqm_step
    from corpus import Corpus

    assert ("mqm", "pipelines.mqm.demo_step:mqm_step") in DEMO_STEPS
    corpus = Corpus.init(tmp_path / "demo")
    corpus.import_jsonl(str(demo_corpus_file()))
    line = mqm_step(corpus, tmp_path)
    expected = score(corpus, by="segment").frame.query("translation_id == 'seed-hikvision.de.mt'").score.mean()
    assert f"seed-hikvision.de.mt {expected:.2f}" in line and "weights:google-2021" in line and "unmarked:zero" in line
