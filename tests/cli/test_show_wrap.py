"""`calque show` wraps text without separating a footnote marker from its word."""
from __future__ import annotations

import re

import click
import pytest

from corpus import Corpus
from pipelines.demo import demo_corpus_file
from pipelines.views.document import _wrap, document_view, render


def test_a_marked_word_its_number_and_its_punctuation_stay_together():
    pieces = [("Das ist ein ", None), ("⟦Wachhund⟧1", "red"), (", der bellt", None), ("⁽2⁾", "yellow"), (" und mehr.", None)]
    for width in range(12, 40):
        lines = ["".join(t for t, _ in line) for line in _wrap(pieces, width)]
        assert any("⟦Wachhund⟧1," in line for line in lines), width
        assert any("bellt⁽2⁾" in line for line in lines), width
        assert all(len(line) <= width for line in lines)
        assert " ".join(lines) == "Das ist ein ⟦Wachhund⟧1, der bellt⁽2⁾ und mehr."


@pytest.fixture(scope="module")
def seed_view(tmp_path_factory):
    corpus = Corpus.init(tmp_path_factory.mktemp("show") / "demo")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    return document_view(corpus, "seed-hikvision")


@pytest.mark.parametrize("width", [44, 57, 63, 78, 91, 120])
def test_the_seed_never_wraps_a_footnote_number_onto_the_next_line(seed_view, width):
    lines = click.unstyle(render(seed_view, width)).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("── ")) + 1
    body = [line for line in lines[start:] if not re.match(r"\s+\d+\. \[", line)]  # the text, not the footnote list
    assert all(len(line) <= width for line in body)
    assert not [line for line in body if line.rstrip().endswith("⟧")]
    assert not [line for line in body if line.lstrip().startswith("⁽")]
    numbers = [int(n) for n in re.findall(r"⟧(\d+)", "\n".join(body))]
    assert numbers and numbers == sorted(numbers) and len(numbers) == len(set(numbers))
