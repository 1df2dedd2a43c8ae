from tests.checks.conftest import found


def test_minority_style_in_a_german_document_is_found_at_its_opening_mark():
    document = [
        "Das Unternehmen nannte es eine „Knie-Ruck-Reaktion“.",
        "Es sprach von „jedem Unternehmen“.",
        "“Dies ist unbegründet”, sagt Hikvision.",
    ]
    [finding] = found("quote-style", document)
    assert (finding.segment, finding.start, finding.text) == (2, 0, "“")


def test_no_target_convention_means_every_quotation_is_reported():
    document = ["Sie nannte es “eine Chance”.", 'Er nannte das Schema "eine Reaktion".']
    assert [(f.segment, f.text) for f in found("quote-style", document)] == [(0, "“"), (1, '"')]


def test_one_style_is_consistent():
    assert found("quote-style", ["Er sagte “ja”.", "Sie sagte “nein”."]) == []
    assert found("quote-style", ["Er sagte „ja“.", "Sie sagte „nein“, und „vielleicht“."]) == []


def test_unclosed_quotation_and_multi_paragraph_quotations():
    unclosed = ["Er sagte: „Ich freue mich.", "„Diejenigen, die halfen, sind schuldig.", "“Großbritannien sollte das nicht tun.”"]
    findings = found("quote-style", unclosed)
    assert [(f.segment, f.text) for f in findings if "never closed" in f.message] == [(0, "„"), (1, "„")]
    continued = ["Er sagte: „Ich freue mich.", "„Diejenigen, die halfen, sind schuldig.“"]
    assert found("quote-style", continued) == []
    over_lines = ["Frau Truss sagte: „Das Königreich hilft.", "Die Mittel retten Leben.“"]
    assert found("quote-style", over_lines) == []
