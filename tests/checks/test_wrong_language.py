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
