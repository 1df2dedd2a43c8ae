"""The language-general rules on hand-made pairs in six target languages (de, es, ru, zh, ja, ar), and the
coverage notices for rules that do not cover a language."""
import json

import pytest
from click.testing import CliRunner

from pipelines.checks import skipped_rules
from pipelines.checks.numbers import mentions
from pipelines.checks.quote_style import conventions
from pipelines.cli import main
from tests.checks.conftest import found, texts

SIX = ["de", "es", "ru", "zh", "ja", "ar"]


# -- truncation ------------------------------------------------------------------------------------------
CUT = {
    "de": "Die Regierung erklärte am Montag,",
    "es": "El gobierno declaró el lunes,",
    "ru": "Правительство заявило в понедельник,",
    "zh": "政府周一表示，",
    "ja": "政府は月曜日に、",
    "ar": "وقالت الحكومة يوم الاثنين،",
}
WHOLE = {
    "de": "Die Regierung erklärte am Montag, sie werde handeln.",
    "es": "El gobierno declaró el lunes que actuaría.",
    "ru": "Правительство заявило в понедельник, что будет действовать.",
    "zh": "政府周一表示，将采取行动。",
    "ja": "政府は月曜日に、行動すると述べた。",
    "ar": "وقالت الحكومة يوم الاثنين إنها ستتحرك.",
}
SOURCE = "The government said on Monday that it would act."


@pytest.mark.parametrize("lang", SIX)
def test_a_segment_ending_on_a_comma_of_its_script_is_truncated(lang):
    [finding] = found("truncation", CUT[lang], source=SOURCE, tgt=lang)
    assert finding.text == CUT[lang][-1] and "cut off" in finding.message
    assert found("truncation", WHOLE[lang], source=SOURCE, tgt=lang) == []


@pytest.mark.parametrize("lang", ["zh", "ja", "ar"])
def test_sentence_final_marks_of_other_scripts_close_a_sentence(lang):
    short = {"zh": "政府表示。", "ja": "政府は述べた。", "ar": "هل؟"}[lang]
    sources = [SOURCE] * 3 + ["The government said on Monday that it would act on the report within a week."]
    document = [WHOLE[lang]] * 3
    assert found("truncation", document + [short], source=sources, tgt=lang) == []
    [finding] = found("truncation", document + [short[:-1]], source=sources, tgt=lang)
    assert finding.segment == 3 and "stops short" in finding.message


# -- segmentation debris -------------------------------------------------------------------------------------
DEBRIS = {
    "de": ", und dann ging er nach Hause.",
    "es": ", y luego se fue a casa.",
    "ru": ", и потом он ушёл домой.",
    "zh": "，然后他回家了。",
    "ja": "、そして彼は家に帰った。",
    "ar": "، ثم عاد إلى منزله.",
}


@pytest.mark.parametrize("lang", SIX)
def test_a_segment_starting_with_a_comma_was_split(lang):
    findings = found("segmentation", ["Er kam spät.", DEBRIS[lang]], tgt=lang)
    assert [(f.segment, f.start) for f in findings if "starts with" in f.message] == [(1, 0)]


def test_lower_case_rules_apply_to_cased_scripts_only():
    assert texts(found("segmentation", "Он пришёл вечером. потом ушёл домой.", tgt="ru")) == ["потом ушёл домой"]
    assert texts(found("segmentation", "El comité se reunió. después votó.", tgt="es")) == ["después votó"]
    assert found("segmentation", "他来了。他走了。", tgt="zh") == []
    skipped = {row["skipped"] for row in skipped_rules("en", "zh", ["segmentation"])}
    assert skipped == {"segmentation/lower-case-start", "segmentation/orphaned-attribution"}
    assert skipped_rules("en", "de", ["segmentation"]) == []


# -- numbers ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang, target", [
    ("de", "Rund 1,2 Millionen Menschen zahlten 1.234,50 Euro."),
    ("es", "Unos 1,2 millones de personas pagaron 1234,50 euros."),
    ("ru", "Около 1,2 млн человек заплатили 1 234,50 евро."),
    ("zh", "约120万人支付了1,234.50欧元。"),
    ("ja", "約１２０万人が１２３４．５０ユーロを支払った。"),
    ("ar", "دفع حوالي ١٫٢ مليون شخص ١٢٣٤٫٥٠ يورو."),
])
def test_numbers_in_every_script_and_convention_match_the_source(lang, target):
    source = "About 1.2 million people paid 1,234.50 euros."
    assert found("number-mismatch", target, source=source, tgt=lang) == []


@pytest.mark.parametrize("lang, target, wrong", [
    ("de", "Rund 1,3 Millionen Menschen kamen.", "1,3 Millionen"),
    ("es", "Vinieron unos 1,3 millones de personas.", "1,3 millones"),
    ("ru", "Пришли около 1,3 млн человек.", "1,3 млн"),
    ("zh", "约有12万人来了。", "12万"),
    ("ja", "約１３０万人が来た。", "１３０万"),
    ("ar", "جاء حوالي ١٫٣ مليون شخص.", "١٫٣ مليون"),
])
def test_changed_numbers_are_found_in_every_script(lang, target, wrong):
    findings = found("number-mismatch", target, source="About 1.2 million people came.", tgt=lang)
    assert texts(findings) == [wrong]


def test_chinese_numerals_lakh_grouping_and_words_that_are_no_numbers():
    assert {r for m in mentions("三千五百人和两百万元", "zh") for r in m.readings} == {3500.0, 2_000_000.0}
    assert [m.readings for m in mentions("二〇二四年", "zh")] == [frozenset({2024.0})]
    assert mentions("统一的一些人千万不要来", "zh") == []  # "unify", "some", "by all means"
    assert found("number-mismatch", "1,00,000 लोग आए।", source="100,000 people came.", tgt="hi") == []
    assert found("number-mismatch", "3億円", source="300 million yen", tgt="ja") == []


# -- quotation marks ----------------------------------------------------------------------------------------
def test_conventions_come_from_cldr():
    assert conventions("de")[0] == "„“" and conventions("ru")[0] == "«»" and conventions("ja")[0] == "「」"
    assert conventions("zh")[0] == "“”" and conventions("zh-Hant")[0] == "「」" and conventions("ar")[0] == "”“"


@pytest.mark.parametrize("lang, document, wrong", [
    ("de", ["Er sagte „ja“.", "Sie sagte „nein“.", "Dann “vielleicht”."], (2, "“")),
    ("es", ["Dijo «sí».", "Ella dijo «no».", "Luego \"quizá\"."], (2, '"')),
    ("ru", ["Он сказал «да».", "Она сказала «нет».", "Потом “может быть”."], (2, "“")),
    ("zh", ["他说“是”。", "她说“不”。", "然后「也许」。"], (2, "「")),
    ("ja", ["彼は「はい」と言った。", "彼女は「いいえ」と言った。", "そして“たぶん”。"], (2, "“")),
    ("ar", ["قال ”نعم“.", "قالت ”لا“.", "ثم «ربما»."], (2, "«")),
])
def test_quotation_marks_are_judged_by_the_target_convention(lang, document, wrong):
    findings = found("quote-style", document, tgt=lang)
    assert [(f.segment, f.text) for f in findings] == [wrong]


# -- untranslated text ----------------------------------------------------------------------------------------
FRAGMENT_SOURCE = "The committee approved the annual budget for the project."
FRAGMENTS = {
    "de": "Der Ausschuss genehmigte the annual budget for the project.",
    "es": "El comité aprobó the annual budget for the project.",
    "ru": "Комитет одобрил the annual budget for the project.",
    "zh": "委员会批准了 the annual budget for the project。",
    "ja": "委員会は the annual budget for the project を承認した。",
    "ar": "وافقت اللجنة على the annual budget for the project.",
}


@pytest.mark.parametrize("lang", SIX)
def test_runs_of_source_words_are_found_in_any_target_script(lang):
    findings = found("untranslated", FRAGMENTS[lang], source=FRAGMENT_SOURCE, tgt=lang)
    assert findings and all("annual budget for" in f.text for f in findings)
    if lang in ("ru", "zh", "ja", "ar"):
        assert texts(findings) == ["the annual budget for the project"]


@pytest.mark.parametrize("lang, target, word", [
    ("de", "Der Ausschuss genehmigte yesterday den Haushalt.", "yesterday"),
    ("es", "El comité aprobó yesterday el presupuesto.", "yesterday"),
    ("ru", "Вчера комитет одобрил budget.", "budget"),
    ("zh", "委员会昨天批准了budget。", "budget"),
    ("ja", "委員会は昨日budgetを承認した。", "budget"),
    ("ar", "وافق المجلس أمس على budget.", "budget"),
])
def test_single_untranslated_words(lang, target, word):
    source = "The committee approved the budget yesterday."
    assert word in texts(found("untranslated", target, source=source, tgt=lang))


def test_loanwords_names_and_numbers_are_not_single_untranslated_words():
    assert found("untranslated", "Das Software-Update am Wochenende schlug fehl.", source="The software update failed at the weekend.") == []
    assert found("untranslated", "Er verbrachte das Weekend in London.", source="He spent the weekend in London.") == []
    assert found("untranslated", "Компания Hikvision выпустила 5 камер.", source="Hikvision released 5 cameras.", tgt="ru") == []
    assert found("untranslated", "El presupuesto es local.", source="The budget is local.", tgt="es") == []


# -- wrong language on short segments -------------------------------------------------------------------------
@pytest.mark.parametrize("lang", SIX)
def test_a_copied_short_source_segment_is_wrong_language(lang):
    [finding] = found("wrong-language", "Thank you", source="Thank you", tgt=lang)
    assert "expected" in finding.message


def test_short_names_and_urls_are_not_wrong_language():
    assert found("wrong-language", "BBC News", source="BBC News", tgt="zh") == []
    assert found("wrong-language", "iPhone", source="iPhone", tgt="ru") == []
    assert found("wrong-language", "www.example.com", source="www.example.com", tgt="ar") == []
    assert found("wrong-language", "Hier klicken", source="Click here", tgt="de") == []
    assert found("wrong-language", "Software", source="Software", tgt="de") == []  # a loanword
    assert texts(found("wrong-language", "read more", tgt="ja")) == ["read more"]  # Latin prose, no source needed


# -- coverage notices -------------------------------------------------------------------------------------------
def test_check_json_names_the_rules_skipped_for_the_target_language(tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("他来了。\n", "utf-8")
    result = CliRunner().invoke(main, ["check", "-t", str(target), "--langs", "en-zh", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    skipped = {row["skipped"]: row["reason"] for row in rows if "skipped" in row}
    assert {"truncation/dangling-word", "truncation/verbless-clause", "segmentation/lower-case-start",
            "repetition/doubled-words"} <= set(skipped)
    assert "German" in skipped["truncation/verbless-clause"]
    listing = json.loads(CliRunner().invoke(main, ["check", "--list", "--json"]).output)
    assert all(row["rules"] for row in listing)


def test_punctuation_slips_and_spelled_out_scales_are_not_reported():
    assert found("truncation", "Er sagte „Gehen Sie in Deckung!“,", source='He said "Take cover!"') == []
    assert found("number-mismatch", "Lasst uns die Million erreichen.", source="Let's get to 1 million.") == []
    assert found("number-mismatch", "Es kamen eine Million Menschen.", source="1 million people came.") == []
    assert found("truncation", "statt „Suchen Sie Unterschlupf!“ gesagt hätten,", source='instead of "Take Shelter!",') == []
