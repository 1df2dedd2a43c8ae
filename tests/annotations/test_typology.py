from __future__ import annotations

import pytest

from corpus import typology
from corpus.typology import Weights, resolve_weights

ARTIFACT_TYPES = ["calque", "untranslated", "wrong-language", "number-mismatch", "entity-mismatch", "markup", "truncation",
                  "omission", "repetition", "segmentation", "quote-style", "terminology-inconsistency"]


def test_both_typologies_load_with_their_dimensions():
    core, google = typology.load("mqm-core"), typology.load("google-mqm")
    assert list(core.categories) == ["Terminology", "Accuracy", "Linguistic conventions", "Style", "Locale conventions",
                                     "Audience appropriateness", "Design and markup"]
    assert {"Accuracy", "Fluency", "Terminology", "Style", "Locale convention", "Other", "Source error", "Non-translation"} == set(google.categories)
    assert "Style/Awkward" in google.paths and "Linguistic conventions/Punctuation" in core.paths


@pytest.mark.parametrize("artifact", ARTIFACT_TYPES)
def test_every_artifact_type_maps_into_both_typologies(artifact):
    mapped = typology.map_artifact(artifact)
    assert set(mapped) == {"mqm-core", "google-mqm"}
    for name, category in mapped.items():
        assert typology.load(name).canonical(category) == category


def test_categories_are_matched_loosely_and_unknown_ones_get_suggestions():
    google = typology.load("google-mqm")
    assert google.validate("fluency / punctuation") == "Fluency/Punctuation"
    assert google.validate("Non-translation!") == "Non-translation"
    assert google.validate("No-error") == "No-error"
    with pytest.raises(ValueError, match="did you mean 'Accuracy/Mistranslation'"):
        google.validate("Acuracy/Mistranslation")
    assert google.its_type("Fluency/Spelling") == "misspelling"
    assert google.its_type("Style/Awkward") == "style"
    assert google.its_type("Something/Else") == "other"


def test_google_2021_preset_weights():
    weights = resolve_weights("google-2021")
    assert weights.weight("Major", "Accuracy/Mistranslation") == 5
    assert weights.weight("Minor", "Accuracy/Mistranslation") == 1
    assert weights.weight("Minor", "Fluency/Punctuation") == 0.1
    assert weights.weight("Major", "Fluency/Punctuation") == 5
    assert weights.weight("Major", "Non-translation!") == 25
    assert weights.weight("Neutral", "Style/Awkward") == 0
    assert resolve_weights(None).name == "google-2021"


def test_mqm_industry_preset_weights():
    weights = resolve_weights("mqm-industry")
    assert [weights.weight(s, "Accuracy") for s in ("Neutral", "Minor", "Major", "Critical")] == [0, 1, 5, 25]


def test_the_most_specific_weight_wins_whatever_the_order():
    weights = Weights.parse("Major/Accuracy/Omission:9 Major:5 Major/Accuracy:7 minor:1")
    assert weights.weight("Major", "Accuracy/Omission") == 9
    assert weights.weight("Major", "Accuracy/Mistranslation") == 7
    assert weights.weight("Major", "Fluency/Grammar") == 5
    assert weights.weight("Minor", "Accuracy/Omission") == 1
    with pytest.raises(KeyError):
        weights.weight("Critical", "Accuracy")


def test_quoted_specs_may_name_categories_with_spaces():
    weights = resolve_weights("Minor:1 'Minor/Terminology/Inappropriate for context':0.5")
    assert weights.weight("Minor", "Terminology/Inappropriate for context") == 0.5
    assert weights.weight("Minor", "Terminology/Inconsistent use of terminology") == 1


@pytest.mark.parametrize("spec, problem", [
    ("Major5 Minor:1", "not of the form"),
    ("Major:five", "not a number"),
    ("Majr:5", "unknown severity"),
    ("Major:-5", "negative"),
    ("Major:5 major:4", "given twice"),
    ("nonsense", "unknown weights preset"),
])
def test_bad_weight_specs_are_refused(spec, problem):
    with pytest.raises(ValueError, match=problem):
        resolve_weights(spec)


def test_a_corpus_remembers_its_typology(tmp_path):
    from corpus import Corpus, InputError

    corpus = Corpus.init(tmp_path / "c")
    assert typology.corpus_typology(corpus).name == "google-mqm"
    typology.set_corpus_typology(corpus, "mqm-core")
    typology.set_corpus_typology(corpus, "mqm-core")
    assert typology.corpus_typology(Corpus.open(tmp_path / "c")).name == "mqm-core"
    with pytest.raises(InputError, match="unknown typology"):
        typology.set_corpus_typology(corpus, "lisa")
