import numpy as np
import scipy.sparse as sp

from pipelines.align import align, evaluate
from pipelines.align.lexical import LexicalWeights, anchors, lexical_costs, rows_dot
from pipelines.align.tokens import fold


def test_fold_removes_case_and_accents():
    assert fold("Éboulis") == "eboulis"
    assert fold("Strasse") == fold("Straße")


def test_anchors_of_a_sentence():
    bag = anchors("« Am 9. September 1988 stiegen Piola und Anker auf den Kingspitz ( 2500 m ) ? »", LexicalWeights())
    assert bag["n:1988"] == 1 and bag["n:9"] == 1 and bag["n:2500"] == 1
    assert bag["p:quote"] == 2 and bag["p:("] == 1 and bag["p:?"] == 1
    assert bag["N:piola"] == 1 and bag["N:kingspitz"] == 1
    assert "N:am" not in bag  # the first word is capitalised because it starts the sentence
    assert bag["c:sept"] == 1  # cognate prefix shared with French "septembre"


def test_dictionary_features_meet_on_both_sides():
    src = anchors("Der Gletscher ist gross.", LexicalWeights(), dictionary={"gletscher": ["glacier"]})
    tgt = anchors("Le glacier est grand.", LexicalWeights(), dictionary_targets=frozenset({"glacier"}))
    assert src["d:glacier"] == 1 and tgt["d:glacier"] == 1


def test_rows_dot_matches_a_sparse_product():
    left = sp.random(40, 500, density=0.05, format="csr", random_state=1)
    right = sp.random(30, 500, density=0.05, format="csr", random_state=2)
    expected = (left @ right.T).toarray()
    assert np.allclose(rows_dot(left, 5, 33, right, 2, 30), expected[5:33, 2:30])
    assert rows_dot(left, 0, 0, right, 0, 3).shape == (0, 3)


def test_anchor_matches_make_beads_cheaper():
    src = ["Wir erreichten die Hütte am 14. Juli.", "Es regnete."]
    tgt = ["Nous avons atteint la cabane le 14 juillet.", "Il pleuvait."]
    costs = lexical_costs(src, tgt, LexicalWeights())
    matches = costs.matches(1, 1, 1, 3, 1, 3)
    assert matches[0, 0] > 0 and matches[0, 1] == 0


def test_lexical_aligner_on_fixture(hut):
    src, tgt, gold = hut
    beads = align(src, tgt, "de", "fr", method="lexical")
    assert evaluate([gold], [beads])["strict"]["f1"] >= 0.85
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def test_self_training_can_be_switched_off(hut):
    src, tgt, _ = hut
    with_training = align(src, tgt, "de", "fr", method="lexical")
    without = align(src, tgt, "de", "fr", method="lexical", self_train=False)
    assert [(b.src, b.tgt) for b in without] and len(without) == len(with_training)
