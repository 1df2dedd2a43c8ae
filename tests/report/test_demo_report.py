"""`calque demo` ends with the report of the demo corpus; `calque report` writes it on request."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main
from pipelines.demo import run_demo
from tests.report.browser import assert_page_is_clean


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo") / "corpus"
    steps = run_demo(directory, echo=lambda _line: None)
    return directory, steps


@pytest.mark.slow
def test_demo_writes_the_report_and_names_it(demo):
    directory, steps = demo
    names = [s["step"] for s in steps]
    assert "report" in names
    # the report comes after every evaluation step; only publishing may follow it
    assert all(n in ("release",) for n in names[names.index("report") + 1:])
    summary = next(s["summary"] for s in steps if s["step"] == "report")
    path = directory / "reports" / "demo-report.html"
    assert str(path.resolve()) in summary
    text = path.read_text("utf-8")
    # MT vs human reference, MQM from the human annotations, findings, terminology, worst segments
    for section in ('id="overview"', 'id="mqm"', 'id="checks"', 'id="terminology"', 'id="worst"'):
        assert section in text
    assert "literal-mt" in text and "Knie-Ruck-Reaktion" in text
    for model in ("calque-learned-1", "calque-learned-qe-1"):  # the built-in learned metrics beside the lexical ones
        assert f"model:{model}|sha256:" in text
    with Corpus.open(directory) as corpus:
        assert not corpus.results("bench").empty


@pytest.mark.slow
def test_report_command(demo, tmp_path):
    directory, _ = demo
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["--corpus", str(directory), "report", "--out", str(out), "--no-store", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["report"] == str(out.resolve()) and out.is_file()
    assert "literal-mt" in data["systems"]
    missing = CliRunner().invoke(main, ["--corpus", str(tmp_path / "none"), "report"])
    assert missing.exit_code == 1 and "not a Calque corpus" in missing.output


@pytest.mark.slow
def test_report_names_the_learned_metrics_with_their_signatures(demo, tmp_path):
    directory, _ = demo
    out = tmp_path / "learned.html"
    result = CliRunner().invoke(main, ["--corpus", str(directory), "report", "--out", str(out), "--no-store",
                                       "--metrics", "chrf,learned,learned-qe"])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    for model in ("calque-learned-1", "calque-learned-qe-1"):
        assert f"model:{model}|sha256:" in text


@pytest.mark.slow
@pytest.mark.browser
def test_demo_report_in_chromium(demo):
    directory, _ = demo
    assert_page_is_clean(directory / "reports" / "demo-report.html")


@pytest.mark.slow
def test_per_term_table_colours_by_correctness(demo):
    import re

    directory, _ = demo
    text = (directory / "reports" / "demo-report.html").read_text("utf-8")
    rows = {re.sub("<[^>]+>", "", row.split("</td>")[0]): row for row in text.split('id="terminology"')[1].split("<tr>")[1:]}
    # the MT and the seed write "Knie-Ruck-Reaktion" every time: one rendering, never an approved one
    cells = rows["knee-jerk reaction"].split("</td>")[1:4]
    assert cells[0].endswith('0/2 <span class="no">consistently wrong</span><br><span class="ci">Knie-Ruck-Reaktion ×2</span>')
    assert '2/2 <span class="yes">consistent, correct</span>' in cells[1]  # the human translation
    assert '0/3 <span class="no">consistently wrong</span>' in cells[2]
    assert '<span class="yes">consistent, correct</span>' in rows["data breach"]


@pytest.mark.slow
@pytest.mark.browser
def test_demo_report_tables_fit_1280_pixels(demo, tmp_path):
    from tests.report.browser import overflowing_tables

    directory, _ = demo
    screenshot = tmp_path / "report-1280.png"
    measured = overflowing_tables(directory / "reports" / "demo-report.html", screenshot, 1280)
    assert measured["tables"] >= 5 and screenshot.stat().st_size > 10_000
    assert measured["over"] == [] and measured["page"] <= 1280, measured
