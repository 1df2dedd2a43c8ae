"""A test set in whichever layout its path holds: a corpus release (pipelines.bench.release_testset), Parquet
(pipelines.bench.parquet_testset) or the WMT text layout (pipelines.bench.testset, which also defines TestSet)."""
from __future__ import annotations

from pathlib import Path

from pipelines.bench.testset import TestSet, load_wmt_testset


def load_testset(path: str | Path, langs: str, name: str | None = None, lazy: bool = False, executor=None) -> TestSet:
    """A test set in the WMT text layout (a directory with sources/), as Parquet (pipelines.bench.parquet_testset)
    or a corpus release's directory (pipelines.bench.release_testset). With `lazy`, text files are indexed on
    `executor` (pipelines.fidelity.file_lines)."""
    from pipelines.bench.parquet_testset import is_parquet_testset, load_parquet_testset
    from pipelines.bench.release_testset import is_release, load_release_testset

    if is_release(path):
        return load_release_testset(path, langs, lazy)
    if is_parquet_testset(path):
        return load_parquet_testset(path, langs, lazy)
    return load_wmt_testset(path, langs, name, lazy, executor)
