from __future__ import annotations

import pytest

from pipelines.fidelity.textfile import read_segments
from tests.conftest import TEST_DATA

TINY_SET = "tinytest2024.en-de"


@pytest.fixture(scope="module")
def tiny():
    """The tiny WMT test set's files (source, reference A, three systems) and their segments, by short name."""
    folder = TEST_DATA / "bench" / "tiny_wmt"
    paths = {"src": folder / "sources" / f"{TINY_SET}.src.en", "ref": folder / "references" / f"{TINY_SET}.ref.A.de",
             **{name: folder / "system-outputs" / f"{TINY_SET}.hyp.{name}.de" for name in ("careful", "literal", "broken")}}
    return paths, {key: read_segments(path) for key, path in paths.items()}
