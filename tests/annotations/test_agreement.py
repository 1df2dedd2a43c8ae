from __future__ import annotations

import pytest

from pipelines.agreement import Span, cohen_kappa, corpus_agreement, krippendorff_alpha, match_count


def test_agreement_on_the_hand_computed_fixture(council):
    # Units (alice | bob): 0: Major 0-7 | Major 0-7; 1: Minor 3-13 | Major 3-17; 2: none | Minor 4-17; 3: none | none.
    result = corpus_agreement(council)
    assert (result["segments"], result["annotators"], result["pairs"]) == (4, 2, 1)
    spans = result["spans"]
    # exact: 1 match of alice's 2 spans (recall 1/2) and bob's 3 (precision 1/3): F1 = 2·(1/3·1/2)/(1/3+1/2) = 0.4
    assert (spans["exact"]["precision"], spans["exact"]["recall"], spans["exact"]["f1"]) == pytest.approx((1 / 3, 1 / 2, 0.4))
    # overlap: 3-13 overlaps 3-17 too: precision 2/3, recall 1, F1 0.8
    assert (spans["overlap"]["precision"], spans["overlap"]["recall"], spans["overlap"]["f1"]) == pytest.approx((2 / 3, 1.0, 0.8))
    # with severity, Minor 3-13 no longer matches Major 3-17
    assert spans["overlap+severity"]["f1"] == pytest.approx(0.4) and spans["exact+severity"]["matched"] == 1
    # error/no error: alice 1,1,0,0 and bob 1,1,1,0 -> po = 3/4, pe = 1/2·3/4 + 1/2·1/4 = 1/2, kappa = 1/2
    assert result["cohen_kappa"]["mean"] == pytest.approx(0.5)
    # MQM scores alice 5,1,0,0 and bob 5,5,1,0; interval alpha = 1 - Do/De with Do = 17/4, De = 654/56
    assert result["krippendorff_alpha"] == pytest.approx(1 - (17 / 4) / (654 / 56))
    assert result["signature"].startswith("metric:agreement|")


def test_segments_with_one_rater_do_not_count(council):
    council.add_annotations([{"translation": "council.de.mt", "segment": 0, "start": 0, "end": 3, "category": "Style/Awkward",
                              "severity": "Minor", "annotator": "carol"}])
    result = corpus_agreement(council)
    assert result["annotators"] == 3 and result["pairs"] == 3
    solo = corpus_agreement(council, translation_ids=["nothing"])
    assert solo["segments"] == 0 and solo["krippendorff_alpha"] is None and solo["spans"]["exact"]["f1"] is None


def test_matching_is_one_to_one():
    reference = [Span("target", 0, 10, "Major")]
    hypothesis = [Span("target", 0, 4, "Major"), Span("target", 5, 10, "Major")]
    assert match_count(reference, hypothesis, "overlap") == 1
    assert match_count(reference, hypothesis, "exact") == 0
    assert match_count([Span("source", 3, 3, "Minor")], [Span("source", 2, 5, "Minor")], "overlap") == 1
    assert match_count([Span("source", 3, 6, "Minor")], [Span("target", 3, 6, "Minor")], "overlap") == 0


def test_kappa_and_alpha_edge_cases():
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None
    assert cohen_kappa([1, 0, 1, 0], [1, 0, 1, 0]) == pytest.approx(1.0)
    assert cohen_kappa([1, 0], [0, 1]) == pytest.approx(-1.0)
    nan = float("nan")
    assert krippendorff_alpha([[1, 2, nan], [1, 2, 3]]) == pytest.approx(1.0)
    assert krippendorff_alpha([[1, nan], [nan, 2]]) is None
