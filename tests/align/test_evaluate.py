"""Sennrich & Volk strict/lax scores on hand-worked examples (tests/data/align/eval_*.txt).

gold: [0]:[0]  [1,2]:[1]  [3]:[2,3]  [4]:[]  []:[4]  [5]:[5]
hyp:  [0]:[0]  [1]:[1]    [2]:[]     [3]:[2,3]  [4]:[4]  [5]:[5]

precision (6 hypothesis beads): strict hits [0]:[0] [3]:[2,3] [5]:[5] → 3/6;
  lax adds [1]:[1] (source 1 is in gold [1,2]:[1], whose target 1 it shares) → 4/6;
  [2]:[] and [4]:[4] miss: a deletion counts only if gold has exactly it.
recall (4 gold beads with both sides): strict 3/4; lax 4/4 ([1,2]:[1] meets hyp [1]:[1]).
"""
import pytest

from pipelines.align import evaluate, read_beads, score_document


@pytest.fixture
def example(test_data):
    folder = test_data / "align"
    return read_beads(folder / "eval_gold.txt"), read_beads(folder / "eval_hyp.txt")


def test_hand_computed_scores(example):
    gold, hyp = example
    result = evaluate([gold], [hyp])
    assert result["strict"]["precision"] == pytest.approx(3 / 6)
    assert result["strict"]["recall"] == pytest.approx(3 / 4)
    assert result["strict"]["f1"] == pytest.approx(0.6)
    assert result["lax"]["precision"] == pytest.approx(4 / 6)
    assert result["lax"]["recall"] == pytest.approx(1.0)
    assert result["lax"]["f1"] == pytest.approx(0.8)


def test_counts_are_pooled_not_averaged(example):
    gold, hyp = example
    result = evaluate([gold, [((0,), (0,))]], [hyp, [((0,), (0,))]])
    # pooled: precision (3 + 1) / (6 + 1), recall (3 + 1) / (4 + 1); a mean of documents would give 0.75 and 0.875
    assert result["strict"]["precision"] == pytest.approx(4 / 7)
    assert result["strict"]["recall"] == pytest.approx(4 / 5)


def test_perfect_and_disjoint():
    gold = [((0,), (0,)), ((1,), (1, 2))]
    assert evaluate([gold], [gold])["strict"]["f1"] == 1.0
    shifted = [((0,), ()), ((1,), (0,)), ((), (1, 2))]
    result = evaluate([gold], [shifted])
    assert result["strict"]["f1"] == 0.0
    assert result["lax"]["precision"] == 0.0


def test_hypothesised_deletion_right_only_if_in_gold():
    gold = [((0,), (0,)), ((1,), ())]
    right = score_document(gold, [((0,), (0,)), ((1,), ())])
    assert right.precision.strict_true == 2
    wrong = score_document(gold, [((0,), (0,)), ((), (1,))])
    assert wrong.precision.strict_false == 1


def test_document_counts_must_match():
    with pytest.raises(ValueError):
        evaluate([[((0,), (0,))]], [])
