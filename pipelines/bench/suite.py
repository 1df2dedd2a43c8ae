"""Benchmark suites: a TOML (or, with PyYAML installed, YAML) file naming the test set, systems, metrics,
checks, terminology and MQM annotations. Paths are relative to the suite file.

    name = "WMT22 en-de"
    metrics = ["bleu", "chrf", "ter"]     # or learned metrics: "comet:PATH", "metricx:FOLDER"
    tokenize = "13a"                    # optional: BLEU's tokeniser (default: sacrebleu's for the target language)
    checks = true                       # or a list of check names / finding types
    terminology = "terms.jsonl"         # optional: per-segment term list or glossary
    mqm = "mqm.tsv"                     # optional: Google MQM TSV for these systems
    report = "wmt22.html"               # optional
    [testset]
    path = "../shared/data/wmt22_ende"  # WMT text layout
    langs = "en-de"
    references = ["A"]                  # optional; several = multi-reference
    systems = ["Online-B", "PROMT"]     # optional; default all
    [significance]
    test = "bs"                         # bs | ar
    n_samples = 1000
    correction = "holm"                 # holm | bh | none
    alpha = 0.05
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.errors import InputError
from pipelines.bench.layouts import load_testset
from pipelines.bench.run import BenchConfig, run_bench
from pipelines.bench.testset import TestSet

TOP_KEYS = {"name", "metrics", "checks", "check_block", "terminology", "terms_key", "mqm", "report", "testset",
            "significance", "worst", "workers", "tokenize"}
TESTSET_KEYS = {"path", "langs", "name", "references", "systems"}
SIGNIFICANCE_KEYS = {"test", "n_samples", "correction", "alpha"}


@dataclass
class Suite:
    path: Path
    name: str
    testset_path: Path
    langs: str
    testset_name: str | None
    systems: list[str] | None
    config: BenchConfig
    report: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    workers: int = 1  # a local Dask cluster of this many processes when the CLI names none

    def load_testset(self) -> TestSet:
        testset = load_testset(self.testset_path, self.langs, self.testset_name)
        return testset.select(systems=self.systems) if self.systems else testset


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text("utf-8")
    except OSError as error:
        raise InputError(f"cannot read suite ({error.strerror or error})", str(path)) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise InputError("YAML suites need PyYAML (pip install pyyaml); TOML works without it", str(path)) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise InputError(f"not valid YAML ({getattr(error, 'problem', error)})", str(path),
                             None if mark is None else mark.line + 1) from None
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InputError(f"not valid TOML ({error})", str(path)) from None
    if not isinstance(data, dict):
        raise InputError("a suite is a table of settings", str(path))
    return data


def _check_keys(table: Any, allowed: set[str], where: str, path: Path) -> dict:
    if not isinstance(table, dict):
        raise InputError(f"{where} must be a table", str(path))
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise InputError(f"unknown setting(s) {', '.join(unknown)} in {where}; known: {', '.join(sorted(allowed))}", str(path))
    return table


def _string_list(value: Any, what: str, path: Path) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{what} must be a list of names", str(path))
    return value


def load_suite(path: str | Path) -> Suite:
    path = Path(path)
    data = _check_keys(_read(path), TOP_KEYS, "the suite", path)
    base = path.parent
    testset = _check_keys(data.get("testset"), TESTSET_KEYS, "[testset]", path) if "testset" in data else None
    if not testset or "path" not in testset or "langs" not in testset:
        raise InputError("[testset] needs path (a WMT-layout directory) and langs (e.g. en-de)", str(path))
    significance = _check_keys(data.get("significance", {}), SIGNIFICANCE_KEYS, "[significance]", path)
    checks = data.get("checks", True)
    if not isinstance(checks, bool):
        checks = _string_list(checks, "checks", path)

    def relative(value: Any, what: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise InputError(f"{what} must be a path", str(path))
        return str((base / value).resolve()) if not Path(value).is_absolute() else value

    try:
        config = BenchConfig(
            metrics=_string_list(data.get("metrics", ["bleu", "chrf", "ter"]), "metrics", path),
            references=_string_list(testset.get("references"), "testset.references", path),
            checks=checks,
            check_block=int(data.get("check_block", 20)),
            terms=relative(data.get("terminology"), "terminology"),
            terms_key=data.get("terms_key"),
            mqm=relative(data.get("mqm"), "mqm"),
            n_bootstrap=int(significance.get("n_samples", 1000)),
            test=significance.get("test", "bs"),
            correction=significance.get("correction", "holm"),
            alpha=float(significance.get("alpha", 0.05)),
            worst=int(data.get("worst", 5)),
            tokenize=data.get("tokenize"),
        )
        workers = int(data.get("workers", 1))
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
    except (TypeError, ValueError) as problem:
        raise InputError(f"bad setting: {problem}", str(path)) from None
    except InputError as problem:
        raise InputError(problem.problem, str(path)) from None
    report = relative(data.get("report"), "report")
    return Suite(path=path, name=str(data.get("name") or path.stem), testset_path=Path(relative(testset["path"], "testset.path")),
                 langs=str(testset["langs"]), testset_name=testset.get("name"),
                 systems=_string_list(testset.get("systems"), "testset.systems", path), config=config,
                 report=Path(report) if report else None, raw=data, workers=workers)


def run_suite(suite: Suite, progress=None, executor=None) -> dict[str, Any]:
    """Run the suite on `executor`; without one, on a local Dask cluster of the suite's `workers` when
    that is above 1, else in process."""
    if executor is None and suite.workers > 1:
        from pipelines.execution import executor_for

        with executor_for(workers=suite.workers) as local:
            return run_suite(suite, progress, local)
    result = run_bench(suite.load_testset(), suite.config, progress, executor)
    result["title"] = suite.name
    result["suite"] = str(suite.path)
    return result
