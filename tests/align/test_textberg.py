"""Acceptance figures on the standard Text+Berg de–fr test set (7 documents, Sennrich & Volk 2010).

Anchors (strict F1): Gale–Church 0.686, hunalign without dictionary 0.751, Bleualign 0.807,
Vecalign + bundled multilingual encoder 0.878. Parameters were tuned on the dev document only.
"""
import pytest

from pipelines.align import align, evaluate
from pipelines.align.goldsets import parice, textberg

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def _f1(pairs, method, **options):
    hypotheses = [align(p.src, p.tgt, p.src_lang, p.tgt_lang, method=method, **options) for p in pairs]
    return evaluate([p.gold for p in pairs], hypotheses)


@pytest.fixture(scope="module")
def test_set():
    from tests.conftest import SHARED_DATA

    folder = SHARED_DATA / "alignment" / "textberg_de-fr"
    if not folder.is_dir():
        pytest.skip("../shared/data/alignment is not present")
    pairs = textberg(folder, "test")
    assert len(pairs) == 7 and sum(len(p.src) for p in pairs) == 991
    return pairs


def test_gale_church_reproduces_its_anchor(test_set):
    """With Gale & Church's own bead shapes (up to 2-2, plus 1-3/3-1) the length method is their aligner."""
    assert evaluate_strict(test_set, "length", max_bead=3) == pytest.approx(0.69, abs=0.03)


def test_lexical_beats_the_no_model_methods(test_set):
    assert evaluate_strict(test_set, "lexical") >= 0.80


def test_auto_reaches_the_embedding_state_of_the_art(test_set):
    result = _f1(test_set, "auto")
    assert result["strict"]["f1"] >= 0.89
    assert result["lax"]["f1"] >= 0.97


def test_parice_en_is_uses_lexical_and_beats_gale_church(shared_data):
    pairs = parice(shared_data / "alignment" / "parice_en-is")
    assert len(pairs) == 10
    assert _f1(pairs, "auto")["strict"]["f1"] >= _f1(pairs, "length")["strict"]["f1"] + 0.03


def evaluate_strict(pairs, method, **options):
    return _f1(pairs, method, **options)["strict"]["f1"]
