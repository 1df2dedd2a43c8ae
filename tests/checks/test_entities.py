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


# Issue 20, class 3b: names that translations translate are not demanded verbatim.
TRANSLATED_INSTITUTIONS = [
    ("de", "The Supreme Court will hear the case in October.", "Der Oberste Gerichtshof wird den Fall im Oktober verhandeln."),
    ("de", "The Foreign Office advised against all travel.", "Das britische Außenministerium riet von allen Reisen ab."),
    ("de", "The Federal Reserve raised rates on Wednesday.", "Die US-Notenbank hob am Mittwoch die Zinsen an."),
    ("de", "The World Health Organization warned of a new wave.", "Die Weltgesundheitsorganisation warnte vor einer neuen Welle."),
    ("es", "The Security Council condemned the attack.", "El Consejo de Seguridad condenó el ataque."),
    ("es", "The National Health Service is under pressure.", "El Servicio Nacional de Salud está bajo presión."),
    ("fr", "The Home Office confirmed the new rules.", "Le ministère de l'Intérieur a confirmé les nouvelles règles."),
    ("fr", "The Federal Reserve raised rates on Wednesday.", "La Réserve fédérale a relevé ses taux mercredi."),
    ("fr", "Scientists at the University of Oxford found it.", "Des scientifiques de l'Université d'Oxford l'ont constaté."),
]


def test_translated_institution_names_are_neither_missing_nor_altered():
    for lang, source, target in TRANSLATED_INSTITUTIONS:
        assert found("entity-mismatch", target, source=source, tgt=lang) == [], (lang, target)


def test_names_of_people_are_still_demanded_even_when_made_of_common_words():
    source = "The coach, Marcus Reid, told the Daily Telegraph he would stay."
    [finding] = found("entity-mismatch", "Der Trainer sagte der Zeitung, er werde bleiben.", source=source)
    assert "Marcus" in finding.message and "Reid" in finding.message
    [finding] = found("entity-mismatch", "El entrenador dijo al Daily Telegraph que se quedaría.", source=source, tgt="es")
    assert finding.message == "name(s) of the source missing: Marcus, Reid"


def test_a_name_that_opens_a_sentence_is_demanded_too():
    source = "Priya Raman, the chief engineer, said the tunnel would open in May."
    for lang, target in [("de", "Die Chefingenieurin sagte, der Tunnel werde im Mai eröffnet."),
                         ("es", "La ingeniera jefe dijo que el túnel se abriría en mayo."),
                         ("fr", "L'ingénieure en chef a déclaré que le tunnel ouvrirait en mai.")]:
        [finding] = found("entity-mismatch", target, source=source, tgt=lang)
        assert finding.message == "name(s) of the source missing: Priya, Raman", lang
    assert found("entity-mismatch", "Priya Raman, die Chefingenieurin, sagte, der Tunnel werde im Mai eröffnet.", source=source) == []
    # An ordinary word opening a sentence, or a translated name there, is not demanded.
    assert found("entity-mismatch", "Neue Regeln gelten ab Mai.", source="New Rules apply from May.") == []
    assert found("entity-mismatch", "Der Oberste Gerichtshof entschied am Montag.", source="Supreme Court judges ruled on Monday.") == []
