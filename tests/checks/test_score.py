from pipelines.checks.score import Span, detectable_types, score


def test_matching_needs_overlap_and_a_compatible_type():
    key = ("t", 0)
    gold = [Span(key, 0, 6, "number-mismatch"), Span(key, 10, 20, "omission"), Span(key, 30, 35, None), Span(("t", 1), 0, 4, "calque")]
    findings = [
        Span(key, 2, 4, "number-mismatch", "number-mismatch"),   # correct
        Span(key, 0, 40, "entity-mismatch", "entity-mismatch"),  # a dropped name is an omission: correct
        Span(key, 31, 33, "quote-style", "quote-style"),          # overlaps only an untyped annotation
        Span(("t", 1), 4, 8, "calque", "known-artifact"),         # touches but does not overlap
    ]
    report = score(findings, gold, detectable_types(["calque"]))["overall"]
    assert report["true_positive_findings"] == 2 and report["precision"] == 0.5
    assert report["precision_any_annotation"] == 0.75
    assert (report["detectable"], report["not_detectable"]) == (3, 1)
    assert report["recall_detectable"] == 2 / 3 and report["recall_all"] == 0.5


def test_zero_width_spans_match_what_they_touch():
    assert Span(("t", 0), 5, 5, "omission").overlaps(Span(("t", 0), 0, 5, "omission"))
    assert not Span(("t", 0), 6, 6, "omission").overlaps(Span(("t", 0), 0, 5, "omission"))


def test_no_findings_gives_no_precision():
    report = score([], [Span(("t", 0), 0, 1, "markup")], detectable_types())["overall"]
    assert report["precision"] is None and report["recall_detectable"] == 0.0
