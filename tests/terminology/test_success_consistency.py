"""Term success rate, matching modes and WMT25-style consistency on a hand-checked example."""
from __future__ import annotations

import pytest

from corpus.errors import InputError
from pipelines.fidelity.textfile import read_segments
from pipelines.terminology import Matcher, evaluate_terms, lemmatizer_available, read_terms


@pytest.fixture
def files(test_data):
    folder = test_data / "terminology"
    return read_segments(folder / "src.en"), read_segments(folder / "hyp.de"), read_terms(folder / "terms.jsonl")


def test_matching_modes():
    text = "Die Ausschüsse und der Parlamentsausschuss berieten; Beratung folgt."
    assert Matcher("surface").contains(text, "AUSSCHUSSE")  # case- and accent-insensitive
    assert not Matcher("surface", fold_accents=False).contains(text, "Ausschusse")
    assert Matcher("surface").contains(text, "Rat")  # inside "berieten"? no: inside "Beratung"
    assert not Matcher("word-start").contains(text, "Rat")
    assert Matcher("word-start").spans(text, "Ausschüss") == [(4, 13)]  # "Ausschüsse": inflected forms match
    assert Matcher("word").spans(text, "Parlamentsausschuss") == [(23, 42)]
    assert not Matcher("word").contains(text, "Ausschuss")


def test_success_rate_counts_every_listed_term(files):
    sources, hyps, terms = files
    report = evaluate_terms(hyps, terms, sources, src_lang="en", tgt_lang="de")
    # expected: Ausschuss x3 (segment 2 has "Komitee"), Komitee, Bericht x2 (segment 4 has "Report")
    assert (report.success["matched"], report.success["total"]) == (4, 6)
    assert report.success_rate == pytest.approx(4 / 6)
    failures = [(c.segment, c.source) for c in report.checks if not c.success]
    assert failures == [(1, "committee"), (3, "report")]
    assert report.signature.startswith("terms:jsonl|n:6|count:in-source|match:wmt25|case:insensitive|accents:folded"
                                       "|lemmatiser:en=simplemma-")
    assert report.success["rule"] == "wmt25" and report.success["lemmatiser"].startswith("en=simplemma-")


def test_terms_missing_from_the_source_are_reported_apart(tmp_path):
    """The WMT25 rule: a listed term whose source form (or lemma sequence) is not in the source does not
    count; `--count all` counts it. Lemmas find "committees" for "committee" and "Ausschüssen" for "Ausschuss"."""
    sources = ["The committees met.", "The board met.", "Unrelated text."]
    hyps = ["Die Ausschüssen tagten.", "Der Vorstand tagte.", "Der Ausschuss."]
    (tmp_path / "t.jsonl").write_text('{"committee": "Ausschuss"}\n{"committee": "Ausschuss"}\n'
                                      '{"committee": "Ausschuss"}\n')
    terms = read_terms(tmp_path / "t.jsonl")
    report = evaluate_terms(hyps, terms, sources, src_lang="en", tgt_lang="de", matcher=Matcher("wmt25", False))
    assert (report.success["matched"], report.success["total"], report.success["source_not_found"]) == (1, 1, 2)
    assert report.success["source_not_found_matched"] == 1
    everything = evaluate_terms(hyps, terms, sources, src_lang="en", tgt_lang="de", count="all",
                                matcher=Matcher("wmt25", False))
    assert (everything.success["matched"], everything.success["total"]) == (2, 3)
    assert "count:all" in everything.signature and everything.success["rule"] == "wmt25/all"
    surface = evaluate_terms(hyps, terms, sources, src_lang="en", tgt_lang="de", matcher=Matcher("surface", False))
    assert (surface.success["matched"], surface.success["total"]) == (0, 1)  # "Ausschüssen" is no surface match
    assert "lemmatiser" not in surface.signature


def test_wmt25_rule_falls_back_to_surface_without_a_lemmatiser():
    matcher = Matcher("wmt25")
    assert matcher.lemmatisers("en", "zh") == "en=simplemma-" + matcher.lemmatisers("en").split("-", 1)[1] + ",zh=none"
    assert matcher.contains("我们的委员会开会了。", "委员会", "zh")
    assert not matcher.contains("我们的委员开会了。", "委员会", "zh")
    report = evaluate_terms(["委员会开会。"], read_terms_pairs([[("committee", "委员会")]]), ["The committee met."],
                            src_lang="en", tgt_lang="zh")
    assert report.success_rate == 1.0 and report.success["lemmatiser"].endswith("zh=none")


def read_terms_pairs(rows):
    from pipelines.terminology import SegmentTermList, TermPair

    return SegmentTermList([[TermPair(source, (target,)) for source, target in row] for row in rows])


def test_consistency_first_frequent_predefined(files):
    _, hyps, terms = files
    c = evaluate_terms(hyps, terms).consistency
    # committee: ausschuss, komitee, ausschuss, komitee; report: not found, bericht
    assert c["first"] == {"micro": pytest.approx(2 / 6), "macro": pytest.approx(0.25)}
    assert c["frequent"] == {"micro": pytest.approx(3 / 6), "macro": pytest.approx(0.5)}
    assert c["predefined"] == {"micro": pytest.approx(3 / 6), "macro": pytest.approx(0.5)}
    committee = next(t for t in c["repeated_terms"] if t["source"] == "committee")
    assert committee["renderings"] == {"Ausschuss": 2, "Komitee": 2} and committee["first"] == "Ausschuss"
    only_committee = evaluate_terms(hyps, terms, min_occurrences=3).consistency
    assert only_committee["terms"] == 1 and only_committee["first"] == {"micro": 0.5, "macro": 0.5}


def test_document_level_consistency(files):
    _, hyps, terms = files
    c = evaluate_terms(hyps, terms, documents=["a", "a", "b", "b", "b"]).consistency
    # doc a: committee ausschuss, komitee -> first 1/2; doc b: committee ausschuss, komitee; report -, bericht
    assert c["documents"]["occurrences"] == 6
    assert c["documents"]["first"]["micro"] == pytest.approx(2 / 6)


def test_glossary_applies_where_source_terms_occur(files, test_data):
    sources, hyps, _ = files
    glossary = read_terms(test_data / "terminology" / "glossary.csv", "en", "de")
    report = evaluate_terms(hyps, glossary, sources, src_lang="en", tgt_lang="de")
    # "committee" occurs in 4 source segments, approved "Ausschuss" in 2 translations
    assert (report.success["matched"], report.success["total"]) == (2, 4)
    with pytest.raises(InputError, match="give the source"):
        evaluate_terms(hyps, glossary)


def test_unusable_lemma_mode_fails_instead_of_passing(files, monkeypatch):
    sources, hyps, terms = files
    import pipelines.terminology.matching as matching

    monkeypatch.setattr(matching, "lemmatizer_available", lambda: False)
    with pytest.raises(InputError, match="needs simplemma"):
        evaluate_terms(hyps, terms, sources, matcher=Matcher("lemma"), tgt_lang="de")


@pytest.mark.skipif(not lemmatizer_available(), reason="simplemma not installed")
def test_lemma_mode_finds_inflected_terms():
    matcher = Matcher("lemma")
    assert matcher.contains("Sie sehen die Liste der Aufträge.", "Auftrag", "de")
    assert not Matcher("surface", fold_accents=False).contains("Sie sehen die Liste der Aufträge.", "Auftrag")
    assert matcher.contains("Der betriebswirtschaftliche Name wird angezeigt.", "betriebswirtschaftlicher Name", "de")
    assert not Matcher("surface").contains("Der betriebswirtschaftliche Name wird angezeigt.", "betriebswirtschaftlicher Name")
    with pytest.raises(InputError, match="no lemmatizer for language 'xx'"):
        matcher.check_language("xx")
