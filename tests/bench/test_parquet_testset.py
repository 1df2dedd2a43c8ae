"""A test set as Parquet (columns source, ref:NAME, sys:SYSTEM, in one file or in parts): the same texts,
hash, scores and signatures as in the WMT text layout, read lazily row group by row group."""
from __future__ import annotations

import json
import pickle

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpus.errors import InputError
from pipelines.bench import load_testset, load_wmt_testset
from pipelines.cli import main
from pipelines.fidelity.parquet_lines import ParquetLines


def write_parquet_testset(testset, target, parts: int = 1, row_group: int = 3):
    """The test set's streams as Parquet columns, split into `parts` files of row groups of `row_group` rows."""
    columns = {"source": list(testset.sources), **{f"ref:{k}": list(v) for k, v in testset.references.items()},
               **{f"sys:{k}": list(v) for k, v in testset.systems.items()}}
    if testset.documents:
        columns["document"] = list(testset.documents)
    table = pa.table(columns)
    if parts == 1:
        pq.write_table(table, target, row_group_size=row_group)
        return target
    target.mkdir()
    size = -(-len(table) // parts)
    for number in range(parts):
        pq.write_table(table.slice(number * size, size), target / f"part-{number:04d}.parquet", row_group_size=row_group)
    return target


@pytest.fixture
def tiny(test_data):
    return test_data / "bench" / "tiny_wmt"


def test_parquet_lines_read_only_what_is_asked_across_parts_and_row_groups(tmp_path):
    rows = [f"Satz {i} – ü" for i in range(23)]
    folder = tmp_path / "parts"
    folder.mkdir()
    pq.write_table(pa.table({"text": rows[:10]}), folder / "part-0.parquet", row_group_size=4)
    pq.write_table(pa.table({"text": rows[10:]}), folder / "part-1.parquet", row_group_size=5)
    lines = ParquetLines.index(sorted(folder.iterdir()), "text")
    assert len(lines) == 23 and list(lines) == rows
    window = lines[7:16]
    assert isinstance(window, ParquetLines) and list(window) == rows[7:16] and window[-1] == rows[15]
    assert list(window[2:4]) == rows[9:11] and lines[22] == rows[22]
    assert len(pickle.dumps(window)) < 400  # a task carries where the rows lie, not the rows


def test_parquet_lines_name_the_file_and_the_problem(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"text": ["a", None, "c"], "n": [1, 2, 3]}), path)
    with pytest.raises(InputError, match=r"t\.parquet: no column 'txt' \(columns: text, n\)"):
        ParquetLines.index([path], "txt")
    with pytest.raises(InputError, match="column 'n' holds int64, not text"):
        ParquetLines.index([path], "n")
    with pytest.raises(InputError, match=r"t\.parquet: row 2: no text \(null\) in column 'text'"):
        list(ParquetLines.index([path], "text"))
    (tmp_path / "bad.parquet").write_text("not parquet")
    with pytest.raises(InputError, match=r"bad\.parquet: not a readable Parquet file"):
        ParquetLines.index([tmp_path / "bad.parquet"], "text")


@pytest.mark.parametrize("parts", [1, 3])
@pytest.mark.parametrize("lazy", [False, True])
def test_a_parquet_test_set_equals_its_text_layout(tiny, tmp_path, parts, lazy):
    text = load_wmt_testset(tiny, "en-de")
    target = tmp_path / ("tinytest2024.en-de.parquet" if parts == 1 else "tinytest2024.en-de")
    parquet = load_testset(write_parquet_testset(text, target, parts), "en-de", lazy=lazy)
    assert parquet.name == text.name and parquet.data_hash == text.data_hash
    assert list(parquet.references) == list(text.references) and list(parquet.systems) == list(text.systems)
    assert all(list(parquet.systems[s]) == text.systems[s] for s in text.systems)
    assert isinstance(parquet.sources, ParquetLines) is lazy


def test_a_parquet_test_set_needs_its_columns(tiny, tmp_path):
    path = tmp_path / "x.parquet"
    pq.write_table(pa.table({"source": ["a"], "sys:A": ["b"]}), path)
    with pytest.raises(InputError, match=r"x\.parquet: needs a 'ref:<NAME>' column \(columns: source, sys:A\)"):
        load_testset(path, "en-de")


def test_bench_on_a_parquet_test_set_gives_the_text_layout_figures(tiny, tmp_path):
    def bench(testset) -> dict:
        result = CliRunner().invoke(main, ["bench", "--testset", str(testset), "--langs", "en-de", "--n-samples", "0",
                                           "--no-store", "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    parquet = write_parquet_testset(load_wmt_testset(tiny, "en-de"), tmp_path / "tinytest2024.en-de", parts=2)
    here, there = bench(tiny), bench(parquet)
    assert here["metric_info"] == there["metric_info"] and here["systems"] == there["systems"]
    assert len(here["systems"]) == 3


def test_a_replaced_parquet_file_is_read_afresh(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"text": ["eins", "zwei"]}), path)
    assert list(ParquetLines.index([path], "text")) == ["eins", "zwei"]
    pq.write_table(pa.table({"text": ["un", "deux", "trois"]}), path)  # what a worker has cached must not be served
    assert list(ParquetLines.index([path], "text")) == ["un", "deux", "trois"]
