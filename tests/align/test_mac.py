"""Acceptance figures on MAC-Dev (Bertalign's Chinese→English literary dev set, 6 chapters, 1,343 gold beads).

Published strict F1 on it: Gale–Church 0.485, hunalign 0.610, Bleualign 0.641, Vecalign + LASER 0.863,
Bertalign + LaBSE 0.911; Vecalign with the bundled USE encoder 0.807–0.815 (measured).
"""
import pytest

from pipelines.align import align, evaluate
from pipelines.align.goldsets import mac

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def chapters():
    from tests.conftest import SHARED_DATA

    folder = SHARED_DATA / "alignment" / "mac_zh-en_dev"
    if not folder.is_dir():
        pytest.skip("../shared/data/alignment/mac_zh-en_dev is not present")
    pairs = mac(folder)
    assert len(pairs) == 6 and sum(len(p.gold) for p in pairs) == 1343
    return pairs


def strict_f1(pairs, method):
    hypotheses = [align(p.src, p.tgt, p.src_lang, p.tgt_lang, method=method) for p in pairs]
    return evaluate([p.gold for p in pairs], hypotheses)["strict"]["f1"]


@pytest.mark.parametrize("method, threshold", [("length", 0.485), ("lexical", 0.61), ("auto", 0.825)])
def test_mac_dev_thresholds(chapters, method, threshold):
    assert strict_f1(chapters, method) >= threshold
