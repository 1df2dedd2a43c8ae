"""Human judgements onto an imported WMT test set: Appraise exports in WMT's layout (quality-control, #bad, #dup,
#incomplete and tutorial rows counted and skipped), score files, Google MQM TSVs; WMT's reference names; one-line
errors that leave the corpus unchanged."""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from statistics import mean

import pytest

from corpus import Corpus
from corpus.errors import InputError
from corpus.formats.annotations import import_annotations
from corpus.formats.wmt import import_wmt_into
from corpus.typology import DA_SCORE, ESA_SCORE, NO_ERROR
from pipelines.human import score
from pipelines.mqm import select_annotations
from tests.corpus.helpers import store_fingerprint

REFERENCES = {"refA": "A", "HUMAN-B": "B", "Human-B": "B"}


@pytest.fixture
def wmt_data(test_data):
    return test_data / "wmt"


@pytest.fixture
def corpus(tmp_path, wmt_data):
    opened = Corpus.init(tmp_path / "corpus", actor="tester")
    import_wmt_into(opened, wmt_data / "docs_wmt")
    yield opened
    opened.close()


def wmt_kept_rows(path) -> list[list[str]]:
    """The rows WMT's humeval/merge_to_jsonl.py keeps (TGT only; no #bad, #dup, #incomplete, tutorial), en-de only here."""
    rows = []
    for row in csv.reader(open(path, encoding="utf-8")):
        if row[3] != "TGT" or row[7].endswith(("#bad", "#dup", "#incomplete")) or "-tutorial" in row[7] or row[5] != "deu":
            continue
        rows.append(row)
    return rows


def system_means(ratings: dict[tuple[str, int], list[float]]) -> dict[str, float]:
    """Mean per (system, item), then mean over a system's items, as the score files and WMT's tables are made."""
    per_system = defaultdict(list)
    for (system, _), values in ratings.items():
        per_system[REFERENCES.get(system, system)].append(mean(values))
    return {system: mean(values) for system, values in per_system.items()}


def corpus_means(corpus, protocol="esa") -> dict[str, float]:
    frame = score(corpus, protocol, "system").frame
    return dict(zip(frame.system, frame.score))


def test_appraise_in_wmts_layout_is_detected_and_skips_what_wmt_skips(corpus, wmt_data):
    path = wmt_data / "appraise_wmt.csv"
    result = import_annotations(corpus, "appraise", path)["created"]
    assert result["layout"] == "wmt" and result["items"] == 10 and result["undecided_spans"] == 1
    assert {k: v for k, v in result.items() if k.startswith("skipped_")} == {
        "skipped_documents_marked_bad": 1, "skipped_documents_marked_dup": 1, "skipped_documents_marked_incomplete": 1,
        "skipped_other_language_pairs": 1, "skipped_quality_control_items": 1, "skipped_tutorial_items": 1}
    ratings = defaultdict(list)
    for row in wmt_kept_rows(path):
        ratings[(row[1], int(row[2]))].append(float(row[6]))
    assert corpus_means(corpus) == pytest.approx(system_means(ratings))
    notes = corpus.annotations()
    reference = notes[notes.translation_id == "tinydocs2024.en-de.harbour-vote.ref.A"]
    assert reference.category.tolist() == [ESA_SCORE] and reference.comment.tolist() == ["100"]
    missing = notes[(notes.annotator == "rater2") & (notes.category == "Accuracy/Omission")]
    assert len(missing) == 1 and missing.start.iloc[0] == missing.end.iloc[0] > 0
    spans = notes[notes.translation_id == "tinydocs2024.en-de.harbour-bridge.hyp.literal"]
    assert sorted(spans[spans.category == "Other"].text) == ["Hafen Brücke", "Hafen Brücke", "£48.5"]


def test_re_importing_the_appraise_export_adds_nothing(corpus, wmt_data):
    import_annotations(corpus, "appraise", wmt_data / "appraise_wmt.csv")
    before = store_fingerprint(corpus)
    again = import_annotations(corpus, "appraise", wmt_data / "appraise_wmt.csv", layout="wmt")
    assert again["rows"] == {} and store_fingerprint(corpus) == before


def test_da_protocol_stores_da_scores_and_counts_spans_it_does_not_keep(corpus, wmt_data):
    result = import_annotations(corpus, "appraise", wmt_data / "appraise_wmt.csv", layout="wmt", protocol="da")["created"]
    assert result["spans_not_in_protocol"] == 7
    notes = corpus.annotations()
    assert set(notes.category) == {DA_SCORE}
    assert corpus_means(corpus, "da") == pytest.approx(corpus_means_from_rows(wmt_data / "appraise_wmt.csv"))
    assert select_annotations(notes)[1]["scores_only"] == len(notes)  # a DA score is not an MQM rating


def test_mqm_protocol_keeps_the_spans_and_marks_items_without_any(corpus, wmt_data):
    result = import_annotations(corpus, "appraise", wmt_data / "appraise_wmt.csv", layout="wmt", protocol="mqm")["created"]
    notes = corpus.annotations()
    assert not notes.category.isin([ESA_SCORE, DA_SCORE]).any() and result["annotations"] == 7
    spanless = [row for row in wmt_kept_rows(wmt_data / "appraise_wmt.csv") if all(e["severity"] == "undecided" for e in json.loads(row[9]))]
    assert (notes.category == NO_ERROR).sum() == len(spanless) == 4
    frame = score(corpus, "mqm", "system").frame.set_index("system")
    assert frame.loc["A", "score"] == 0 and frame.loc["broken", "errors"] == 2


def corpus_means_from_rows(path):
    ratings = defaultdict(list)
    for row in wmt_kept_rows(path):
        ratings[(row[1], int(row[2]))].append(float(row[6]))
    return system_means(ratings)


def test_a_score_file_gives_the_files_means_per_system(corpus, wmt_data):
    path = wmt_data / "esa_scores.tsv"
    result = import_annotations(corpus, "scores", path, protocol="esa")["created"]
    assert result == {"set": "tinydocs2024.en-de", "protocol": "esa", "scores": 9, "unrated": 1, "systems": 5, "already_present": 0}
    ratings = defaultdict(list)
    for row in csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"):
        if row["esa"] != "None":
            ratings[(row["system"], int(row["seg_id"]))].append(float(row["esa"]))
    assert corpus_means(corpus) == pytest.approx(system_means(ratings))
    reference_b = corpus.annotations(translation_id="tinydocs2024.en-de.harbour-vote.ref.B")
    assert reference_b.segment_idx.tolist() == [2] and reference_b.comment.tolist() == ["88"]
    # the file's means are no MQM ratings: nothing for `mqm score` to count
    assert select_annotations(corpus.annotations())[0].empty


@pytest.mark.parametrize("line, message", [
    ("careful\t9\t50", r"esa_scores\.tsv:12: seg_id 9 is outside the test set tinydocs2024\.en-de \(1\.\.8\)"),
    ("nobody\t1\t50", r"esa_scores\.tsv:12: 'nobody' is none of the systems or references"),
    ("careful\t3\t101", r"esa_scores\.tsv:12: score '101': ESA scores lie between 0 and 100"),
    ("careful\t1\t70", r"esa_scores\.tsv:12: system 'careful' seg_id 1 is scored twice \(first on line 2\)"),
])
def test_bad_score_rows_are_one_line_errors_and_write_nothing(corpus, wmt_data, tmp_path, line, message):
    path = tmp_path / "esa_scores.tsv"
    path.write_text((wmt_data / "esa_scores.tsv").read_text("utf-8") + line + "\n", encoding="utf-8")
    before = store_fingerprint(corpus)
    with pytest.raises(InputError, match=message) as error:
        import_annotations(corpus, "scores", path, protocol="esa")
    assert "\n" not in str(error.value) and store_fingerprint(corpus) == before


def rewrite(source, target, number: int, column: int, value: str):
    rows = list(csv.reader(open(source, encoding="utf-8")))
    rows[number - 1][column] = value
    with open(target, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("number, column, value, message", [
    (2, 7, "no-such-document", r"appraise\.csv:2: unknown document id 'no-such-document' \(not in test set tinydocs2024\.en-de\)"),
    (2, 7, "harbour-vote", r"appraise\.csv:2: item 1 lies in document 'harbour-bridge', not 'harbour-vote'"),
    (3, 1, "ref-Z", r"appraise\.csv:3: systemID 'ref-Z' is none of the systems or references"),
    (4, 2, "8", r"appraise\.csv:4: itemID 8 is outside the test set tinydocs2024\.en-de \(0\.\.7\)"),
    (5, 9, '[{"start_i": 0, "end_i": 999, "severity": "minor", "error_type": null}]', r"appraise\.csv:5: error span 0-999 lies outside item 1"),
    (5, 9, '[{"start_i": [0], "end_i": 3, "severity": "minor"}]', r"appraise\.csv:5: field 'start_i': must be a character offset"),
])
def test_bad_appraise_rows_are_one_line_errors_and_write_nothing(corpus, wmt_data, tmp_path, number, column, value, message):
    path = tmp_path / "appraise.csv"
    rewrite(wmt_data / "appraise_wmt.csv", path, number, column, value)
    before = store_fingerprint(corpus)
    with pytest.raises(InputError, match=message) as error:
        import_annotations(corpus, "appraise", path)
    assert "\n" not in str(error.value) and store_fingerprint(corpus) == before


def test_google_mqm_rows_annotate_the_wmt_set_instead_of_new_documents(corpus, wmt_data):
    documents = len(corpus.documents())
    result = import_annotations(corpus, "google-mqm", wmt_data / "google_mqm.tsv", src_lang="en", tgt_lang="de")["created"]
    assert result["set"] == "tinydocs2024.en-de" and result["annotations"] == 5 and result["no_error"] == 1
    assert len(corpus.documents()) == documents
    notes = corpus.annotations()
    assert notes[notes.translation_id == "tinydocs2024.en-de.harbour-vote.ref.A"].category.tolist() == [NO_ERROR]
    omission = notes[notes.category == "Accuracy/Omission"].iloc[0]
    assert (omission.side, omission.text, omission.translation_id) == ("source", "£48.5 million", "tinydocs2024.en-de.harbour-bridge.hyp.broken")
    swapped = notes[notes.comment == "numbers swapped"].iloc[0]
    assert (swapped.segment_idx, swapped.text) == (0, "13 zu 21")
    mqm = dict(zip(*[score(corpus, "mqm", "system").frame[c] for c in ("system", "score")]))
    assert mqm["A"] == 0 and mqm["broken"] == pytest.approx(5.0)  # two Major errors on two segments, Google weights


def test_google_mqm_rows_with_another_target_are_refused(corpus, wmt_data, tmp_path):
    path = tmp_path / "mqm_ende.tsv"
    path.write_text((wmt_data / "google_mqm.tsv").read_text("utf-8").replace("13 zu 21</v>.", "13 zu 21</v>!"), encoding="utf-8")
    before = store_fingerprint(corpus)
    with pytest.raises(InputError, match=r"mqm_ende\.tsv:7: the target of seg_id 6 for broken is not its stored segment"):
        import_annotations(corpus, "google-mqm", path)
    assert store_fingerprint(corpus) == before


def test_google_mqm_rows_of_no_stored_set_still_create_their_documents(tmp_path, wmt_data):
    fresh = Corpus.init(tmp_path / "fresh", actor="tester")
    result = import_annotations(fresh, "google-mqm", wmt_data / "google_mqm.tsv", src_lang="en", tgt_lang="de")["created"]
    assert result["documents"] == 2 and "set" not in result
    assert sorted(fresh.documents().id) == ["harbour-bridge", "harbour-vote"]


def test_the_same_on_postgresql(postgres_url, tmp_path, wmt_data, corpus):
    server = Corpus.init(tmp_path / "team", database_url=postgres_url, actor="tester")
    try:
        import_wmt_into(server, wmt_data / "docs_wmt")
        for opened in (server, corpus):
            import_annotations(opened, "appraise", wmt_data / "appraise_wmt.csv")
            import_annotations(opened, "scores", wmt_data / "esa_scores.tsv", protocol="da")
        assert corpus_means(server) == pytest.approx(corpus_means(corpus)) and corpus_means(server, "da") == pytest.approx(corpus_means(corpus, "da"))
        assert server.stats()["segments"] == corpus.stats()["segments"]
    finally:
        server.close()
