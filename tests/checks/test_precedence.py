"""One finding per span and problem, whichever way the checks run (issue 20, class 3a)."""
import json

from click.testing import CliRunner

from corpus import Corpus
from pipelines.bench.checking import run_system_checks
from pipelines.checks import Finding, load_catalogue, run_checks
from pipelines.checks.precedence import most_specific, problem
from pipelines.cli import main
from pipelines.execution import executor_for
from tests.checks.conftest import CHECKS_DATA, found

SOURCE = "Opponents spoke of a knee-jerk reaction."
TARGET = "Gegner sprachen von einer Knie-Ruck-Reaktion."


def _finding(check: str, type_: str, start: int, end: int, artifact_type: str | None = None) -> Finding:
    return Finding(segment=0, type=type_, start=start, end=end, text="", message="", check=check, artifact_type=artifact_type)


def _repeated(rows: list[dict]) -> list[tuple]:
    """Pairs of findings of different checks that report one problem on overlapping spans of one segment."""
    seen = []
    for n, a in enumerate(rows):
        for b in rows[n + 1:]:
            same_place = (a.get("translation_id"), a.get("system"), a["segment"]) == (b.get("translation_id"), b.get("system"), b["segment"])
            overlap = max(a["start"], b["start"]) < min(a["end"], b["end"])
            if same_place and overlap and a["check"] != b["check"] and problem(_row_finding(a)) == problem(_row_finding(b)):
                seen.append((a, b))
    return seen


def _row_finding(row: dict) -> Finding:
    return _finding(row["check"], row["type"], row["start"], row["end"], row.get("artifact_type"))


def test_a_known_calque_that_is_also_a_calque_candidate_is_reported_once_as_known_artifact():
    catalogue = load_catalogue(CHECKS_DATA / "catalogue.jsonl")
    assert [f.check for f in found("calque-candidate", TARGET)] == ["calque-candidate"]  # each check alone finds it
    findings = run_checks([SOURCE], [TARGET], "en", "de", catalogue=catalogue)
    assert [(f.check, f.text, f.artifact_type) for f in findings] == [("known-artifact", "Knie-Ruck-Reaktion", "calque")]


def test_the_most_specific_finding_of_one_problem_wins():
    known = _finding("known-artifact", "known-artifact", 10, 28, "calque")
    candidate = _finding("calque-candidate", "calque-candidate", 10, 28, "calque")
    assert most_specific([candidate, known]) == [known]
    part = _finding("untranslated", "untranslated", 20, 40)
    whole = _finding("wrong-language", "wrong-language", 0, 41)
    assert most_specific([whole, part]) == [part]  # the narrower span: one problem at two scales
    cut = _finding("truncation", "truncation", 40, 41)
    short = _finding("omission", "omission", 0, 41)
    assert most_specific([short, cut]) == [cut]
    number = _finding("number-mismatch", "number-mismatch", 12, 14)
    elsewhere = _finding("calque-candidate", "calque-candidate", 30, 38, "calque")
    assert sorted(most_specific([known, number, elsewhere]), key=lambda f: f.start) == [known, number, elsewhere]
    # Findings of one check are its own: a placeholder lost somewhere in the segment and another one altered.
    lost, altered = _finding("markup", "markup", 0, 41), _finding("markup", "markup", 32, 38)
    assert sorted(most_specific([lost, altered]), key=lambda f: f.start) == [lost, altered]


def test_cli_file_mode_reports_one_finding_per_problem(tmp_path):
    source, target = tmp_path / "src.en", tmp_path / "hyp.de"
    source.write_text(SOURCE + "\n", "utf-8")
    target.write_text(TARGET + "\n", "utf-8")
    result = CliRunner().invoke(main, ["check", "-s", str(source), "-t", str(target), "--langs", "en-de", "--json",
                                       "--catalogue", str(CHECKS_DATA / "catalogue.jsonl")])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["type"], r["text"]) for r in rows] == [("known-artifact", "Knie-Ruck-Reaktion")]


def test_corpus_runs_and_bench_checks_report_one_finding_per_problem(tmp_path):
    corpus = Corpus.init(tmp_path / "corpus")
    corpus.import_jsonl(str(CHECKS_DATA / "corpus.jsonl"), progress=False)
    result = CliRunner().invoke(main, ["--corpus", str(corpus.path), "check", "--json"], catch_exceptions=False)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    calques = [(r["check"], r["text"]) for r in rows if r["text"] == "Knie-Ruck-Reaktion"]
    assert calques == [("known-artifact", "Knie-Ruck-Reaktion")] and _repeated(rows) == []

    catalogue = load_catalogue(CHECKS_DATA / "catalogue.jsonl")
    systems = {"mt": [TARGET, "Die Stadträtin nannte es eine einmal-in-einer-Generation Chance."]}
    sources = [SOURCE, "The councillor called it a once-in-a-generation chance."]
    with executor_for(workers=2, progress=False) as dask:  # the Dask path
        for executor in (None, dask):
            rows = run_system_checks(systems, sources, "en", "de", catalogue=catalogue, block=1, executor=executor)["mt"]
            assert [(r["check"], r["text"]) for r in rows if r["artifact_type"] == "calque"] == [
                ("known-artifact", "Knie-Ruck-Reaktion"), ("known-artifact", "einmal-in-einer-Generation")]
            assert _repeated(rows) == []
