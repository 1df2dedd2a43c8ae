"""Term success on Russian (issue 20, class 4): inflected, hyphenated and differently cased target terms, and
English source terms in possessives and hyphenated forms, on a hand-made fixture (tests/data/terminology/
ru_inflection.jsonl: each line a source, a Russian translation, its term and whether the term is there)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.fidelity.textfile import read_segment_file
from pipelines.terminology import Matcher, evaluate_terms, read_terms

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "terminology" / "ru_inflection.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def report():
    sources, hyps = read_segment_file(FIXTURE, "en"), read_segment_file(FIXTURE, "ru")
    return evaluate_terms(hyps, read_terms(FIXTURE, key="terms"), sources, src_lang="en", tgt_lang="ru")


@pytest.mark.parametrize("number", range(len(ROWS)), ids=[f"{n}-{row['family']}" for n, row in enumerate(ROWS)])
def test_every_source_term_counts_and_succeeds_exactly_where_the_translation_has_it(report, number):
    [check] = [c for c in report.checks if c.segment == number]
    assert check.source_found, ROWS[number]["en"]
    assert check.success == ROWS[number]["success"], (ROWS[number]["ru"], check.targets)


def test_the_fixture_covers_each_family_and_the_rule_names_its_lemmatisers(report):
    assert {row["family"] for row in ROWS} == {"inflection", "hyphenation", "possessive", "case", "control"}
    assert report.success["total"] == len(ROWS) and report.success["matched"] == sum(row["success"] for row in ROWS)
    assert "lemmatiser:en=simplemma-" in report.signature and ",ru=pymorphy3-" in report.signature


def test_every_analysis_of_an_ambiguous_form_counts():
    """pymorphy3's likeliest reading of "стали" is the verb "стать"; the noun "сталь" is another reading."""
    matcher = Matcher("wmt25")
    assert matcher.contains("Корпус из нержавеющей стали.", "нержавеющая сталь", "ru")
    assert not matcher.contains("Корпус стал нержавеющим.", "нержавеющая сталь", "ru")
    assert not Matcher("surface").contains("Корпус из нержавеющей стали.", "нержавеющая сталь", "ru")
