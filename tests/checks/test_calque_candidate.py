from pipelines.checks.calque_candidate import candidate
from tests.checks.conftest import found, texts


def test_common_parts_joined_into_an_unattested_compound_are_candidates():
    document = ["Das Unternehmen nannte die Forderung eine Knie-Ruck-Reaktion.", "Die Regierung reagierte sofort."]
    [finding] = found("calque-candidate", document)
    assert (finding.segment, finding.text, finding.type, finding.severity) == (0, "Knie-Ruck-Reaktion", "calque-candidate", "Minor")


def test_established_loan_and_name_compounds_are_not_candidates():
    for word in ("Corona-Pandemie", "Software-Update", "CCTV-Kamera", "Hikvision-Geräte", "E-Mail", "US-Regierung",
                 "Regierungs-Sprecher", "eBay-Nachrichten", "Power-Taste", "Covid-Ausbruch"):
        assert not candidate(word, "de", "en"), word
    assert found("calque-candidate", "Die US-Regierung prüft das Software-Update der CCTV-Kamera.") == []


def test_other_languages_with_word_lists():
    assert candidate("rodilla-tirón-reacción", "es", "en")
    assert texts(found("calque-candidate", "Это была колено-рывок-реакция.", tgt="ru")) == ["колено-рывок-реакция"]
    assert found("calque-candidate", "这是膝跳反应。", tgt="zh") == []  # no hyphenated compounds in Chinese
