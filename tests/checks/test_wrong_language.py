import pytest

from tests.checks.conftest import found


def test_english_segment_in_german_translation_is_found():
    findings = found("wrong-language", ["Der Ausschuss tagte am Montag.", "The committee met again on Tuesday evening."])
    assert [(f.segment, f.start, f.end) for f in findings] == [(1, 0, 43)]
    assert "'en'" in findings[0].message and "source language" in findings[0].message


def test_third_language_is_found():
    findings = found("wrong-language", "Le comité s'est réuni mardi soir pour voter le budget.")
    assert len(findings) == 1 and "'fr'" in findings[0].message


def test_german_and_name_only_segments_are_not_flagged():
    assert found("wrong-language", ["Der Ausschuss tagte am Montag.", "Business Insider", "Danke.", ""]) == []


# Issue 20, class 3c: a partly untranslated segment is untranslated on its English part, not wrong-language.
MINISTER = "The minister said that the new bridge would open next spring."
PARTLY = {
    "de": "Der Minister sagte, that the new bridge would open next spring.",
    "es": "El ministro dijo that the new bridge would open next spring.",
    "fr": "Le ministre a déclaré that the new bridge would open next spring.",
    "ru": "Министр заявил, that the new bridge would open next spring.",
    "zh": "部长表示，the new bridge would open next spring。",
    "ar": "قال الوزير إن the new bridge would open next spring.",
}
NON_TRANSLATION = ["untranslated", "wrong-language"]


@pytest.mark.parametrize("lang", sorted(PARTLY))
def test_a_partly_english_segment_is_untranslated_on_its_english_part(lang):
    [finding] = found(NON_TRANSLATION, PARTLY[lang], source=MINISTER, tgt=lang)
    assert finding.type == "untranslated" and finding.text.endswith("the new bridge would open next spring")
    [finding] = found(NON_TRANSLATION, PARTLY[lang], tgt=lang)  # without the source, too (edges less sure)
    assert finding.type == "untranslated" and finding.text.endswith("new bridge would open next spring")


@pytest.mark.parametrize("lang", sorted(PARTLY))
def test_a_wholly_english_segment_is_wrong_language_only(lang):
    [finding] = found(NON_TRANSLATION, MINISTER, source=MINISTER, tgt=lang)
    assert finding.type == "wrong-language" and finding.text == MINISTER


def test_a_third_language_is_wrong_language_only():
    [finding] = found(NON_TRANSLATION, "El ministro dijo que el nuevo puente se abriría la próxima primavera.", source=MINISTER, tgt="fr")
    assert finding.type == "wrong-language" and "'es'" in finding.message


def test_the_untranslated_part_runs_over_numbers_and_commas():
    source = "Our support team is available from 8 am to 6 pm, Monday to Saturday."
    for lang, target in [("de", "Unser Support-Team is available from 8 am to 6 pm, Monday to Saturday."),
                         ("es", "Nuestro equipo de soporte is available from 8 am to 6 pm, Monday to Saturday."),
                         ("zh", "我们的支持团队 is available from 8 am to 6 pm, Monday to Saturday。")]:
        findings = found(NON_TRANSLATION, target, source=source, tgt=lang)
        assert [(f.type, f.text) for f in findings] == [("untranslated", "is available from 8 am to 6 pm, Monday to Saturday")], lang
