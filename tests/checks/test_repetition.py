from tests.checks.conftest import found, texts


def test_doubled_words_are_found():
    assert texts(found("repetition", "Die Brücke öffnet 1200-mal im Jahr für die die Schifffahrt.")) == ["die die"]
    assert texts(found("repetition", "Die Empfehlungen gehen am am 18. November an den Rat.")) == ["am am"]
    assert texts(found("repetition", "Er kritisierte die die Regierung.")) == ["die die"]


def test_grammatical_doublings_and_names_are_not_flagged():
    for target in [
        "Dr. Priya Raman, die die Studie führte, sagte das.",
        "Das ist die Gruppe, für die die Regierung zahlt.",
        "Er sagte, dass sie sie liebt.",
        "Sie flogen nach Bora Bora.",
    ]:
        assert found("repetition", target) == [], target


def test_repeated_phrase_and_duplicated_sentence():
    assert texts(found("repetition", "Die Kameras werden in ganz London in ganz London verwendet.")) == ["in ganz London in ganz London"]
    doubled = "Der Ausschuss hat den Bericht veröffentlicht. Der Ausschuss hat den Bericht veröffentlicht."
    [finding] = found("repetition", doubled)
    assert finding.start > 0 and "duplicates" in finding.message
    findings = found("repetition", ["Der Ausschuss hat den Bericht gestern veröffentlicht.", "Der Ausschuss hat den Bericht gestern veröffentlicht."])
    assert [f.segment for f in findings] == [1]


def test_repetition_the_source_has_is_not_flagged():
    source = ["The committee published the report yesterday."] * 2
    target = ["Der Ausschuss hat den Bericht gestern veröffentlicht."] * 2
    assert found("repetition", target, source=source) == []
