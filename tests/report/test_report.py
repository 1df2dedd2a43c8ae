"""The HTML report: self-contained, escaped, with figures that load in a real browser."""
from __future__ import annotations

import base64
import shutil
from html.parser import HTMLParser

import pytest

from pipelines.bench import BenchConfig, load_wmt_testset, run_bench
from pipelines.report import render_report, write_report
from pipelines.report.diffs import char_diff
from tests.report.browser import assert_page_is_clean


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.urls = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append((tag, value))


@pytest.fixture(scope="module")
def hostile_testset(tmp_path_factory):
    """The tiny test set plus a system whose name and output carry markup."""
    from tests.conftest import TEST_DATA

    folder = tmp_path_factory.mktemp("hostile") / "t"
    shutil.copytree(TEST_DATA / "bench" / "tiny_wmt", folder)
    lines = (folder / "system-outputs" / "tinytest2024.en-de.hyp.careful.de").read_text("utf-8").splitlines()
    lines[2] = '<img src=x onerror="alert(1)"> Anwohner & Co. sagten </td>'
    (folder / "system-outputs" / "tinytest2024.en-de.hyp.a&b<i>.de").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_wmt_testset(folder, "en-de")


@pytest.fixture(scope="module")
def hostile_report(hostile_testset, tmp_path_factory):
    result = run_bench(hostile_testset, BenchConfig(metrics=["bleu", "chrf", "ter"], n_bootstrap=200, worst=8))
    return write_report(result, tmp_path_factory.mktemp("report") / "report.html"), result


def test_report_is_self_contained(hostile_report):
    path, _ = hostile_report
    text = path.read_text("utf-8")
    parser = _Resources()
    parser.feed(text)
    assert "script" not in parser.tags and "link" not in parser.tags
    for tag, url in parser.urls:
        assert tag == "a" and url.startswith("#") or tag == "img" and url.startswith("data:image/png;base64,"), (tag, url[:40])
    images = [url for tag, url in parser.urls if tag == "img"]
    assert len(images) >= 2  # score bars and check findings
    for url in images:
        assert base64.b64decode(url.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_escapes_text_from_the_data(hostile_report):
    path, _ = hostile_report
    text = path.read_text("utf-8")
    assert "<img src=x" not in text and "<i>" not in text
    assert "&lt;img" in text and "&quot;alert(1)&quot;" in text
    assert "a&amp;b&lt;i&gt;" in text


def test_report_sections_and_footer(hostile_report):
    path, result = hostile_report
    text = path.read_text("utf-8")
    for section in ('id="overview"', 'id="pairs"', 'id="checks"', 'id="worst"'):
        assert section in text
    assert result["testset"]["data_hash"] in text
    for metric in result["metrics"]:
        assert result["metric_info"][metric]["calque_signature"] in text
    assert result["checks"]["signature"] in text


def test_char_diff_marks_only_what_differs():
    ref, hyp = char_diff("Die Hauptstadt liegt am Fluss.", "Die Hauptstädte liegen am Fluss.")
    assert ref.startswith("Die Hauptst") and "<del>" in ref and "<ins>" in hyp
    assert "Fluss." in ref and "<del>Fluss" not in ref
    assert char_diff("a < b", "a < c")[1] == "a &lt; <ins>c</ins>"
    same = char_diff("Gleich & gleich.", "Gleich & gleich.")
    assert same == ("Gleich &amp; gleich.", "Gleich &amp; gleich.")


def test_render_needs_no_optional_sections(test_data):
    result = run_bench(load_wmt_testset(test_data / "bench" / "tiny_wmt", "en-de"),
                       BenchConfig(metrics=["chrf"], checks=False, n_bootstrap=0))
    text = render_report(result)
    assert 'id="checks"' not in text and 'id="pairs"' not in text and "<img" in text


@pytest.mark.browser
def test_report_opens_in_chromium_without_errors(hostile_report):
    path, _ = hostile_report
    page = assert_page_is_clean(path)
    assert "Calque report" in page["title"]


def test_corpus_report_shows_the_stored_meta_evaluations(tmp_path, test_data):
    import json

    from click.testing import CliRunner

    from corpus import Corpus
    from corpus.formats.annotations import import_annotations
    from pipelines.cli import main
    from pipelines.report.page import metaeval_section

    with Corpus.init(tmp_path / "c") as corpus:
        import_annotations(corpus, "google-mqm", test_data / "bench" / "tiny_mqm.tsv", src_lang="en", tgt_lang="de")
    runner = CliRunner()
    stored = runner.invoke(main, ["--corpus", str(tmp_path / "c"), "meta-eval", "--reference", "ref", "-m", "bleu,ter",
                                  "--sig-samples", "100", "--json"])
    assert stored.exit_code == 0, stored.output
    data = json.loads(stored.output)
    out = tmp_path / "report.html"
    result = runner.invoke(main, ["--corpus", str(tmp_path / "c"), "report", "--out", str(out), "--n-samples", "50", "--no-store"])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert 'id="metaeval"' in text and '<a href="#metaeval">' in text
    section = text[text.index('id="metaeval"'):text.index("</section>", text.index('id="metaeval"'))]
    assert "sys SPA" in section and "seg acc_eq" in section
    spa = {row["metric"]: row["sys_spa"] for row in data["rows"]}
    for metric in ("bleu", "ter"):
        assert f"<td>{metric}</td>" in section and f"{spa[metric]:.4f}" in section
    assert section.count('class="cluster"') >= 6  # a rank badge per tested statistic and metric
    assert "sys_spa: one-sided p-value that the row metric beats the column metric" in section
    assert data["calque_signature"] in text  # in the footer
    # a result stored before SPA and the tests existed still renders, with dashes
    old = metaeval_section([{"name": "old <set>", "human": "mqm", "rows": [{"metric": "chrf", "sys_accuracy": 0.5}]}])
    assert "old &lt;set&gt;" in old and "0.5000" in old and "–" in old and "cluster" not in old
