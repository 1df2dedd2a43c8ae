"""WMT25 terminology track 1 en-de (official BLEU, chrF2++, term success) and WMT21 sample."""
from __future__ import annotations

import json

import pytest

from pipelines.fidelity import score_corpus
from pipelines.fidelity.textfile import read_segment_file
from pipelines.terminology import Matcher, evaluate_terms, lemmatizer_available, read_terms

SYSTEMS = ["o3-term-guide", "duterm", "salamandrata", "organizers_gpt-4.1-nano", "tower", "laniqo"]


@pytest.fixture(scope="module")
def wmt25():
    from tests.conftest import SHARED_DATA

    root = SHARED_DATA / "terminology" / "wmt25_track1_ende"
    if not root.is_dir():
        pytest.skip("../shared/data is not present")
    official = json.loads((root / "track1_score_dict.json").read_text())["de"]["proper"]
    full = root / "full_data.ende.jsonl"
    return root, official, read_segment_file(full, "en"), read_segment_file(full, "de"), read_terms(full, "en", "de", key="proper")


@pytest.mark.shared
@pytest.mark.parametrize("system", SYSTEMS)
def test_wmt25_bleu_chrf_and_term_success(wmt25, system):
    root, official, sources, refs, terms = wmt25
    hyps = read_segment_file(root / "submissions" / f"{system}.ende.proper.jsonl", "de")
    scores = score_corpus(hyps, [refs], ["bleu", "chrf++"])
    assert round(scores["bleu"].score, 4) == round(official[system]["bleu4"], 4)
    assert round(scores["chrf++"].score, 4) == round(official[system]["chrf2++"], 4)
    assert scores["chrf++"].signature == "nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0"
    report = evaluate_terms(hyps, terms, sources, src_lang="en", tgt_lang="de")
    assert report.success["total"] == 543
    assert abs(report.success_rate - official[system]["proper_term_success_rate"]) <= 0.011
    if lemmatizer_available():
        lemma = evaluate_terms(hyps, terms, sources, src_lang="en", tgt_lang="de", matcher=Matcher("lemma"))
        assert abs(lemma.success_rate - official[system]["proper_term_success_rate"]) <= 0.004


@pytest.mark.shared
def test_wmt21_sample_surface_matches(shared_data):
    folder = shared_data / "terminology" / "wmt21_terminology_sample"
    terms = read_terms(folder / "dev.en-fr.en.sgm")
    hyps = read_segment_file(folder / "en-fr.dev.txt.truecased.sgm")
    refs = read_segment_file(folder / "dev.en-fr.fr.sgm")
    assert terms.n_terms == 901
    assert score_corpus(hyps, [refs], ["bleu"])["bleu"].score == 45.33867641150976
    report = evaluate_terms(hyps, terms, read_segment_file(folder / "dev.en-fr.en.sgm"), src_lang="en", tgt_lang="fr")
    assert report.success["matched"] == 759  # the official script's exact matches (README)
