"""The demo's align step: every bilingual demo document is aligned and `calque show` pairs the sentences."""
import json

from click.testing import CliRunner

from corpus import Corpus
from pipelines.align.corpus_align import demo_step
from pipelines.cli import main
from pipelines.demo import DEMO_STEPS, demo_corpus_file


def test_demo_runs_the_align_step_before_the_checks():
    names = [name for name, _ in DEMO_STEPS]
    assert names.index("import") < names.index("align") < names.index("checks")


def test_demo_step_aligns_and_show_displays_pairs(tmp_path):
    corpus = Corpus.init(tmp_path / "demo")
    corpus.import_jsonl(str(demo_corpus_file()), progress=False)
    summary = demo_step(corpus, tmp_path)
    assert summary.startswith("aligned 6 translations (embedding)")
    corpus.close()

    result = CliRunner().invoke(main, ["--corpus", str(tmp_path / "demo"), "show", "harbour-bridge", "--json"])
    view = json.loads(result.output)
    assert all(t["aligned"] for t in view["translations"])
    human = view["translations"][0]["rows"]
    first = human[0]
    assert [s["idx"] for s in first["source"]] == [0] and [s["idx"] for s in first["target"]] == [0]
    assert first["status"] == "auto" and first["score"] > 0.5
