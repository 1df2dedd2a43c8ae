from tests.checks.conftest import found, texts

SEED_SENTENCE = ("Menschenrechtsgruppen und Regierungen haben die dortigen Behörden beschuldigt, eine repressive Kampagne "
                 "zur Inhaftierung und Umerziehung zu führen, an der die Inhaftierung von mehr als einer Million Menschen.")


def test_german_relative_clause_without_its_verb_is_found():
    assert texts(found("truncation", SEED_SENTENCE)) == ["an der die Inhaftierung von mehr als einer Million Menschen"]


def test_segment_ending_on_a_preposition_is_found():
    [finding] = found("truncation", "Die Aufsichtsbehörde kritisierte die Firma für Kameras in 14 Läden, ohne")
    assert finding.text == "ohne"


def test_translation_stopping_short_of_the_source():
    source = "The watchdog also criticised the company for using cameras in 14 of its stores without telling shoppers."
    [finding] = found("truncation", "Die Behörde kritisierte auch die Firma", source=source)
    assert "stops short" in finding.message


def test_complete_sentences_are_not_flagged():
    for target in [
        "Er sagte, dass Hikvision in Xinjiang arbeitet.",
        "Acht Städte liegen in der orangefarbenen Zone, 119 in der gelben Kategorie und 321 in blauen Zonen.",
        "Der Mitarbeiter sah nach, und es stellte sich heraus, dass der Preis höher war als auf meinem Ausdruck.",
        "Das Ziffernblatt ist in gutem, wenn nicht neuem Zustand.",
        "Bahn kündigt Streik an",
    ]:
        assert found("truncation", target) == [], target
