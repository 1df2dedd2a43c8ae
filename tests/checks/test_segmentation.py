from tests.checks.conftest import found, texts


def test_lower_case_sentence_start_after_a_full_stop():
    target = ("Hikvision hat Ausschreibungen gewonnen, um Überwachungssysteme in Lagern zu installieren. laut dem Outlet "
              "IPVM, das die Videoüberwachungsbranche abdeckt.")
    [finding] = found("segmentation", target)
    assert finding.text == "laut dem Outlet IPVM"


def test_orphaned_attribution():
    target = "Die Kameras werden von Stadträten in ganz London verwendet. Reuters berichtete. Die Kamera wurde von Hikvision hergestellt."
    assert texts(found("segmentation", target)) == ["Reuters berichtete"]
    assert found("segmentation", "Die Sitzung war lang. Er sagte. Dann ging er.") == []


def test_segment_starting_in_lower_case_after_another():
    findings = found("segmentation", ["Der Ausschuss wird den Entwurf im Juni veröffentlichen", "und Bewohner werden sechs Wochen haben."])
    assert [(f.segment, f.text) for f in findings] == [(1, "und Bewohner werden sechs Wochen haben")]
    source = ["The committee will publish the design in June", "and residents will have six weeks."]
    assert found("segmentation", ["Der Ausschuss veröffentlicht im Juni", "und Bewohner haben sechs Wochen."], source=source) == []


def test_abbreviations_ordinals_and_speech_are_not_flagged():
    for target in [
        "Er kam z. B. am 8. Juli. Dann ging er.",
        "Es kostet ca. zehn Euro bzw. etwas mehr.",
        "„Warum?“, fragte er. „Darum!“, sagte sie.",
        "Der 3. große Sieg kam spät.",
        "Das neue iPhone kam. iPhone-Nutzer freuten sich.",
    ]:
        assert found("segmentation", target) == [], target
