from __future__ import annotations

from corpus.releases import WORKING


def test_release_against_unchanged_working_corpus_is_identical(released):
    result = released.diff("1.0.0", WORKING)
    assert result["identical"] and result["summary"] == {"added": 0, "removed": 0, "changed": 0}
    assert result["left_content_hash"] == result["right_content_hash"] == released.manifest("1.0.0")["content_hash"]


def test_added_changed_and_removed_rows_between_releases(released, small_corpus):
    notes = small_corpus.annotations()
    changed_id, removed_id = notes.id.iloc[0], notes.id.iloc[1]
    small_corpus.update_annotation(changed_id, {"severity": "Minor", "comment": "on second thought"}, actor="bob")
    small_corpus.delete_annotation(removed_id, actor="bob")
    [added_id] = small_corpus.add_annotations([{"translation": "news-1.de.mt", "text": "Stadträte", "category": "Accuracy/Mistranslation",
                                                "severity": "Major", "annotator": "bob"}], actor="bob")
    released.create("1.1.0")
    result = released.diff("1.0.0", "1.1.0")
    notes_diff = result["tables"]["annotations"]
    assert notes_diff["counts"] == {"added": 1, "removed": 1, "changed": 1, "unchanged": 1}
    assert notes_diff["added"] == [added_id] and notes_diff["removed"] == [removed_id]
    [change] = notes_diff["changed"]
    assert change["id"] == changed_id
    assert set(change["columns"]) - {"version"} == {"severity", "comment", "updated_at"}
    assert change["columns"]["severity"] == {"before": "Major", "after": "Minor"}
    for name in ("documents", "translations", "segments", "alignments", "glossary", "artifacts", "results"):
        assert result["tables"][name]["counts"]["added"] == result["tables"][name]["counts"]["changed"] == 0, name
    backwards = released.diff("1.1.0", "1.0.0")["tables"]["annotations"]
    assert backwards["added"] == [removed_id] and backwards["removed"] == [added_id]


def test_release_against_working_corpus_sees_unreleased_work(released, small_corpus):
    small_corpus.confirm_alignment("news-1.de.mt", [2], [2], actor="carol")  # replaces the auto link 2-2
    result = released.diff("1.0.0", WORKING)
    links = result["tables"]["alignments"]
    assert links["counts"] == {"added": 0, "removed": 0, "changed": 1, "unchanged": 4}
    [change] = links["changed"]
    assert change["id"] == "news-1.de.mt|2|2"
    assert change["columns"]["status"] == {"before": "auto", "after": "confirmed"}
    assert change["columns"]["actor"]["after"] == "carol"
    assert not result["identical"] and result["right"] == WORKING


def test_limit_truncates_listed_ids_not_counts(released, small_corpus):
    records = [{"translation": "news-1.de.human", "segment": 0, "start": i, "end": i + 1, "category": "Fluency/Spelling", "severity": "Minor"}
               for i in range(5)]
    small_corpus.add_annotations(records)
    table = released.diff("1.0.0", WORKING, tables=["annotations"], limit=2)["tables"]["annotations"]
    assert table["counts"]["added"] == 5 and len(table["added"]) == 2 and table["truncated"]
