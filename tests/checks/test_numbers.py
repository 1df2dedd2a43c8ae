from pipelines.checks.numbers import mentions, readings
from tests.checks.conftest import found, lines


def test_correct_localisation_is_not_flagged():
    assert found("number-mismatch", lines("localised.de"), source=lines("localised.en")) == []


def test_readings_follow_the_language():
    assert readings("1.5", "en") == {1.5} and readings("1,5", "de") == {1.5}
    assert readings("42,000", "en") == {42000.0} and readings("42.000", "de") == {42000.0}
    assert readings("42,000", "de") == {42.0}
    assert readings("1\u202f000\u202f000", "fr") == {1_000_000.0}
    assert readings("1,234.5", "en") == readings("1.234,5", "de") == {1234.5}


def test_dates_and_times_compare_as_values():
    [july] = mentions("am 8. Juli 2024", "de")
    [english] = mentions("on July 8, 2024", "en")
    assert july.readings & english.readings
    [afternoon] = mentions("at 3 p.m.", "en")
    assert 15.0 in afternoon.readings


def test_wrong_and_copied_numbers_are_found():
    findings = found("number-mismatch", lines("numbers_wrong.de"), source=lines("numbers_wrong.en"))
    by_segment = {f.segment: f for f in findings}
    assert by_segment[0].text == "42,000" and "reads as 42" in by_segment[0].message
    assert 1 not in by_segment  # 1,200 → 1200-mal is right
    assert {f.text for f in findings if f.segment == 2} == {"24.000", "2021"}


def test_missing_number_is_reported_on_its_sentence():
    source = "The council met on Monday. It approved 42,000 euros for the plan."
    target = "Der Rat tagte am Montag. Er bewilligte Geld für den Plan."
    [finding] = found("number-mismatch", target, source=source)
    assert finding.text == "Er bewilligte Geld für den Plan." and "42,000" in finding.message


def test_small_numbers_may_be_spelled_out():
    assert found("number-mismatch", "Fünf Länder stimmten zu.", source="5 countries agreed.") == []


def test_chinese_japanese_and_korean_dates_and_date_ranges():
    festival = "The festival runs from 12 to 14 July 2026."
    for lang, target in [("zh", "音乐节将于2026年7月12日至14日举行。"), ("ja", "祭りは2026年7月12日から14日まで開かれる。"),
                         ("ko", "축제는 2026년 7월 12일부터 14일까지 열린다."), ("de", "Das Festival läuft vom 12. bis 14. Juli 2026.")]:
        assert found("number-mismatch", target, source=festival, tgt=lang) == [], lang
    [wrong] = found("number-mismatch", "音乐节将于2026年7月15日举行。", source="The festival opens on 14 July 2026.", tgt="zh")
    assert wrong.text == "2026年7月15日"
    assert found("number-mismatch", "国际奥委会将于9月宣布其决定。", source="The committee will decide in September.", tgt="zh") == []
