from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.checks import run_checks

CHECKS_DATA = Path(__file__).resolve().parent.parent / "data" / "checks"


@pytest.fixture
def checks_data() -> Path:
    return CHECKS_DATA


def lines(name: str) -> list[str]:
    return (CHECKS_DATA / name).read_text("utf-8").splitlines()


def found(check, target, source=None, src="en", tgt="de", catalogue=None):
    """Findings of one check (or a list of checks) on a target (a string or a list of segments), with an
    optional source."""
    target = [target] if isinstance(target, str) else list(target)
    if isinstance(source, str):
        source = [source]
    return run_checks(source, target, src, tgt, catalogue=catalogue, only=[check] if isinstance(check, str) else check)


def texts(findings) -> list[str]:
    return [f.text for f in findings]
