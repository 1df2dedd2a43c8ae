"""The learned metric's features: what they measure, in any script, and that a segment's features do not
depend on the rest of its batch."""
from __future__ import annotations

import numpy as np
import pytest

from pipelines.fidelity.learned import features


def one(names, source, hypothesis, reference, src="en", tgt="de", encode=None):
    references = None if reference is None else [reference]
    return dict(zip(names, features.compute(names, [source], [hypothesis], references, src, tgt, encode=encode)[0]))


LEXICAL = [n for n in features.FEATURES if features.FEATURES[n].group != "encoder"]


def test_identical_translation_and_reference_score_full_overlap():
    values = one(LEXICAL, "The bridge opens in 2027.", "Die Brücke öffnet 2027.", "Die Brücke öffnet 2027.")
    assert values["chrf"] == pytest.approx(1.0)
    assert values["bleu"] == pytest.approx(1.0)
    assert values["word_f1"] == pytest.approx(1.0)
    assert values["ref_length_ratio"] == 0.0
    assert values["ref_numbers_f1"] == 1.0
    assert values["empty"] == 0.0


def test_an_omission_lowers_recall_and_length_but_not_precision():
    full = one(LEXICAL, "The bridge opens in 2027 after five years.", "Die Brücke öffnet 2027 nach fünf Jahren.",
               "Die Brücke öffnet 2027 nach fünf Jahren.")
    cut = one(LEXICAL, "The bridge opens in 2027 after five years.", "Die Brücke öffnet.",
              "Die Brücke öffnet 2027 nach fünf Jahren.")
    assert cut["chrf_recall"] < 0.6 < cut["chrf_precision"]
    assert cut["ref_length_ratio"] < -0.5 and cut["src_length_ratio"] < full["src_length_ratio"]
    assert cut["ref_numbers_f1"] == 0.0 and cut["src_numbers_f1"] == 0.0


def test_a_copied_source_is_seen_without_a_reference():
    source = "Please switch off your phone during the performance."
    copied = one(LEXICAL, source, source, "Bitte schalten Sie Ihr Telefon während der Vorstellung aus.")
    translated = one(LEXICAL, source, "Bitte schalten Sie Ihr Handy während der Aufführung aus.",
                     "Bitte schalten Sie Ihr Telefon während der Vorstellung aus.")
    assert copied["src_copy"] == pytest.approx(1.0) and translated["src_copy"] < 0.3
    assert copied["copy_excess"] > 0.7
    assert copied["target_language"] < 0 < translated["target_language"]


def test_scripts_without_spaces_get_character_tokens_and_comparable_lengths():
    source = "She bought three apples at the market."
    values = one(LEXICAL, source, "她在市场上买了三个苹果。", "她在市场买了三个苹果。", tgt="zh")
    assert 0.5 < values["bleu"] < 1.0 and 0.5 < values["word_f1"] < 1.0  # characters, not one long "word"
    # Han characters count 3 Latin letters each: a faithful Chinese translation is not "70% shorter" than English
    assert abs(values["src_length_ratio"]) < 0.35
    assert values["target_script"] == 1.0
    latin = one(LEXICAL, source, "She bought three apples at the market.", "她在市场买了三个苹果。", tgt="zh")
    assert latin["target_script"] == 0.0


def test_empty_translation():
    values = one(LEXICAL, "Hello there, my friend.", "", "Hallo, mein Freund.")
    assert values["empty"] == 1.0 and values["chrf"] == 0.0 and values["bleu"] == 0.0


def test_the_checks_feature_counts_findings_of_the_segment_alone():
    values = one(["check_findings"], "The bridge cost 200 million euros.", "Die Brücke kostete 300 Millionen Euro.", None)
    assert values["check_findings"] >= 1
    assert one(["check_findings"], "The bridge cost 200 million euros.", "Die Brücke kostete 200 Millionen Euro.",
               None)["check_findings"] == 0


def test_features_of_a_segment_do_not_depend_on_its_batch():
    sources = ["The museum opens at nine.", "Our train was late.", "The museum opens at nine."]
    hyps = ["Das Museum öffnet um neun.", "Unser Zug war spät.", "Das Museum macht um neun auf."]
    refs = ["Das Museum öffnet um neun Uhr.", "Unser Zug hatte Verspätung.", "Das Museum öffnet um neun Uhr."]
    batch = features.compute(LEXICAL, sources, hyps, refs, "en", "de")
    alone = np.vstack([features.compute(LEXICAL, [s], [h], [r], "en", "de") for s, h, r in zip(sources, hyps, refs)])
    assert np.array_equal(batch, alone)


def test_reference_features_need_a_reference():
    with pytest.raises(ValueError, match="need a reference"):
        features.compute(["chrf"], ["a"], ["b"], None, "en", "de")
    assert features.compute(features.feature_names("source", reference=False), ["a b c"], ["x y z"], None,
                            "en", "de").shape == (1, len(features.feature_names("source", reference=False)))


def test_encoder_features_are_exactly_independent_of_the_batch():
    from pipelines.encoders import USEEncoder, get_encoder

    encoder = get_encoder("use")
    sources = ["The museum opens at nine.", "Our train was late because of the snow."]
    hyps = ["Das Museum öffnet um neun.", "Unser Zug hatte wegen des Schnees Verspätung."]
    refs = ["Das Museum öffnet um neun Uhr.", "Unser Zug war wegen Schnee spät."]
    names = ["cos_hyp_ref", "cos_hyp_src", "cos_ref_src"]
    encoder.encode(hyps + refs + sources)  # batched vectors in the shared cache must not leak in
    batch = features.compute(names, sources, hyps, refs, "en", "de", encode=encoder.encode_independent)
    fresh = USEEncoder()  # nothing cached: the vectors are computed again, alone
    second = features.compute(names, sources[1:], hyps[1:], refs[1:], "en", "de", encode=fresh.encode_independent)
    assert np.array_equal(batch[1:], second)
    assert np.all(batch > 0.5)
    batched = encoder.encode(hyps)
    assert np.allclose(encoder.encode_independent(hyps), batched, atol=1e-5)
