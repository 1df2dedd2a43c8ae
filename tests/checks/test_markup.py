from tests.checks.conftest import found, lines, texts


def test_markup_lost_altered_and_left_over_against_the_source():
    findings = found("markup", lines("markup.de"), source=lines("markup.en"))
    by_segment = {}
    for f in findings:
        by_segment.setdefault(f.segment, []).append(f)
    assert "{name}" in by_segment[0][0].message and "lost" in by_segment[0][0].message
    assert 1 not in by_segment and 2 not in by_segment  # <b>…</b> and &amp; kept as in the source
    assert texts(by_segment[3]) == ["[enter]"]


def test_altered_placeholder_is_reported_with_both_forms():
    lost, altered = found("markup", "Sie haben % s neue Nachrichten, {Name}.", source="You have %s new messages, {name}.")
    assert altered.text == "{Name}" and "{name}" in altered.message
    assert "lost" in lost.message and "'%s'" in lost.message


def test_target_only_reports_what_plain_text_never_holds():
    findings = found("markup", ["Fish &amp; Chips kosten 5 £.", "Es kam zu dem Schluss, dass Hikvision nicht “[enter] in die Projekte.",
                                "Klicken Sie auf <b>Speichern.", "Er sagte, man habe [ihm] geglaubt (und das stimmt)."])
    assert [(f.segment, f.text) for f in findings] == [(0, "&amp;"), (1, "[enter]"), (2, "<b>")]


def test_unbalanced_brackets_are_found_but_list_enumerators_are_not():
    assert texts(found("markup", "Die Brücke (für Busse kostet mehr.")) == ["("]
    assert found("markup", "Es gibt a) Busse und b) Radfahrer.") == []
