from tests.checks.conftest import found


def test_dropped_name_is_found():
    source = "Councillor Aileen Marsh, who chairs the committee, said the vote was a chance."
    target = "Die Stadträtin, die den Ausschuss leitet, sagte, die Abstimmung sei eine Chance."
    [finding] = found("entity-mismatch", target, source=source)
    assert "Aileen" in finding.message and "Marsh" in finding.message


def test_misspelt_name_is_found():
    [finding] = found("entity-mismatch", "Wladimir Putin traf Tom Tugendhut.", source="Vladimir Putin met Tom Tugendhat.")
    assert finding.text == "Tugendhut"


def test_kept_inflected_translated_and_transliterated_names_are_not_flagged():
    pairs = [
        ("Hallberg's chief executive, Marcus Reid, apologised.", "Hallbergs Vorstandschef Marcus Reid entschuldigte sich."),
        ("Cameras by Hikvision Digital are used in Beijing and Moscow.", "Kameras von Hikvision-Digital werden in Peking und Moskau genutzt."),
        ("Researchers at the University of Eastbrook met on Thursday in July.", "Forschende der Universität Eastbrook trafen sich an einem Donnerstag im Juli."),
        ("Chinese officials met Vladimir Lukashenko in Scotland.", "Chinesische Beamte trafen Wladimir Lukaschenko in Schottland."),
    ]
    for source, target in pairs:
        assert found("entity-mismatch", target, source=source) == [], source


def test_needs_a_source():
    assert found("entity-mismatch", "Die Stadträtin sprach.") == []
