"""Offline lemmatisers per language and the WMT25 rule on inflecting languages (hand-made pairs)."""
from __future__ import annotations

import pytest

from pipelines.terminology import Matcher, SegmentTermList, TermPair, evaluate_terms
from pipelines.terminology.lemmatisers import lemmatiser_for, lemmatiser_name


def test_each_language_gets_its_lemmatiser_named_with_its_version():
    assert lemmatiser_name("es").startswith("simplemma-")
    assert lemmatiser_name("ru").startswith("pymorphy3-") and lemmatiser_name("uk").startswith("pymorphy3-")
    assert lemmatiser_name("zh") == "none" and lemmatiser_name(None) == "none"
    assert lemmatiser_for("ru", prefer="simplemma").name.startswith("simplemma-")


@pytest.mark.parametrize("lang, term, hypothesis", [
    ("ru", "параллельная обработка", "Включите параллельную обработку для этого задания."),
    ("uk", "паралельна обробка", "Увімкніть паралельну обробку для цього завдання."),
    ("es", "pedido de compra", "Los pedidos de compra se muestran en la lista."),
    ("de", "betriebswirtschaftlicher Name", "Der betriebswirtschaftliche Name wird angezeigt."),
])
def test_inflected_target_terms_succeed_by_lemma_sequence(lang, term, hypothesis):
    assert not Matcher("surface").contains(hypothesis, term, lang)
    assert Matcher("wmt25").contains(hypothesis, term, lang)


def test_source_terms_count_by_lemma_sequence_too():
    terms = SegmentTermList([[TermPair("purchase order", ("заказ на покупку",))]])
    report = evaluate_terms(["Заказы на покупку показаны."], terms, ["All purchase orders are shown."],
                            src_lang="en", tgt_lang="ru")
    assert (report.success["matched"], report.success["total"]) == (1, 1)
    assert "lemmatiser:en=simplemma-" in report.signature and ",ru=pymorphy3-" in report.signature
