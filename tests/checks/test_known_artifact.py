from pipelines.checks import load_catalogue
from tests.checks.conftest import CHECKS_DATA, found, texts

CATALOGUE = load_catalogue(CHECKS_DATA / "catalogue.jsonl")


def test_matches_inside_compounds_and_inflections():
    target = ["Der unabhängige CCTV-Wachhund hat den Brief erhalten.", "Die Wachhunde und der Datenschutzwachhund schwiegen.",
              "Sie boten eine abgerundeten Perspektiven an."]
    findings = found("known-artifact", target, catalogue=CATALOGUE)
    assert texts(findings) == ["Wachhund", "Wachhund", "wachhund", "abgerundeten Perspektive"]
    assert {f.artifact_type for f in findings} == {"calque"}
    assert all("no source to verify" in f.message for f in findings)


def test_source_cue_decides_when_a_source_exists():
    target = "Der Wachhund bellte, und der Ausschuss sprach von einer Knie-Ruck-Reaktion."
    findings = found("known-artifact", target, source="The watchdog barked and the committee spoke of a knee-jerk reaction.", catalogue=CATALOGUE)
    assert texts(findings) == ["Wachhund", "Knie-Ruck-Reaktion"]
    assert not any("no source to verify" in f.message for f in findings)
    guard_dog = found("known-artifact", "Der Wachhund bellte die ganze Nacht.", source="The guard dog barked all night.", catalogue=CATALOGUE)
    assert guard_dog == []


def test_hyphenated_form_does_not_match_the_ordinary_phrase_and_other_pairs_are_ignored():
    assert found("known-artifact", "Eine Chance, wie sie sich einmal in einer Generation bietet.", catalogue=CATALOGUE) == []
    assert texts(found("known-artifact", "eine einmal-in-einer-Generation Chance", catalogue=CATALOGUE)) == ["einmal-in-einer-Generation"]
    assert found("known-artifact", "Das macht Sinn.", catalogue=CATALOGUE) == []  # that entry is for en-fr


def test_forms_of_languages_written_without_spaces_match_inside_running_text():
    from pipelines.checks import catalogue_from_records

    entries = catalogue_from_records([
        {"artifact_type": "calque", "source_cue": "watchdog", "target_form": "看门狗", "src_lang": "en", "tgt_lang": "zh"},
        {"artifact_type": "calque", "source_cue": "watchdog", "target_form": "番犬", "src_lang": "en", "tgt_lang": "ja"},
    ])
    source = "The watchdog fined the bank."
    assert texts(found("known-artifact", "看门狗对该银行处以罚款。", source=source, tgt="zh", catalogue=entries)) == ["看门狗"]
    assert texts(found("known-artifact", "番犬は銀行に罰金を科した。", source=source, tgt="ja", catalogue=entries)) == ["番犬"]
    assert found("known-artifact", "监管机构对该银行处以罚款。", source=source, tgt="zh", catalogue=entries) == []
