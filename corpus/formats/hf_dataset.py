"""`calque import dataset`: a parallel data set in Hugging Face `datasets` form, read from local disk only.

What it reads: a directory written by `Dataset.save_to_disk` / `DatasetDict.save_to_disk`, or Parquet, JSON
(Lines) or CSV files that `datasets.load_dataset` reads locally (a file, or a directory of files of one kind).
A name that is not a local path (a Hub id such as `wmt19`) is an error: nothing is downloaded.

Columns, two layouts:
* flat: a source and a target column (`--source-column`, `--target-column`; by default columns named after the
  two languages, else `source` and `target`), as FLORES/NTREX-style sets come;
* nested: one column of translation dicts keyed by language, `{"de": …, "en": …}`, as the `wmt19`-style sets
  (`--translation-name`, default `translation`).
`--document-column` groups consecutive rows sharing its value into one document; without it the data set (its
split) is one document. Rows are stored as `calque import parallel` stores line pairs (corpus.formats.parallel):
one segment per row and side, confirmed 1-1 links, and a re-import of the same rows is a no-op.
"""
from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from corpus.errors import InputError
from corpus.validation import Id, Record, Text, parse

BUILDERS = {".parquet": "parquet", ".json": "json", ".jsonl": "json", ".json.gz": "json", ".jsonl.gz": "json", ".csv": "csv"}
SAVED = ("dataset_dict.json", "dataset_info.json", "state.json")


class DatasetRow(Record):
    source: Text
    target: Text
    document: Id | None = None


@dataclass
class Columns:
    source: str | None = None
    target: str | None = None
    document: str | None = None
    translation: str | None = None  # the nested layout's column


def _builder(path: Path) -> str | None:
    name = path.name.lower()
    return next((b for suffix, b in BUILDERS.items() if name.endswith(suffix)), None)


@contextlib.contextmanager
def _quiet_datasets() -> Iterator:
    import datasets

    was_disabled = datasets.utils.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        yield datasets
    finally:
        if not was_disabled:
            datasets.enable_progress_bars()


def _table(path: Path, split: str | None, cache_dir: str):
    """The chosen split of the data set at path as a pyarrow Table."""
    with _quiet_datasets() as datasets:
        if path.is_dir() and any((path / name).is_file() for name in SAVED):
            try:
                loaded = datasets.load_from_disk(str(path))
            except (FileNotFoundError, ValueError, OSError) as error:
                raise InputError(f"not a readable saved data set: {error}", str(path)) from None
        else:
            files = sorted(p for p in path.iterdir() if p.is_file() and _builder(p)) if path.is_dir() else [path]
            builders = {_builder(p) for p in files}
            if not files or None in builders:
                raise InputError("expected a data set saved with save_to_disk, or Parquet, JSON(L) or CSV files", str(path))
            if len(builders) != 1:
                raise InputError(f"files of several kinds ({', '.join(sorted(builders))}): give one file or a folder of one kind", str(path))
            if split is not None:
                raise InputError(f"data files have no splits; drop --split {split}", str(path))
            try:  # data files make one split, which datasets calls "train" whatever they hold
                loaded = datasets.load_dataset(builders.pop(), data_files=[str(p) for p in files], split="train", cache_dir=cache_dir)
            except Exception as error:  # datasets wraps parser errors of pyarrow, pandas and json in its own types
                raise InputError(f"datasets cannot read it: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}",
                                 str(path)) from None
        if isinstance(loaded, datasets.DatasetDict):
            splits = list(loaded)
            if split is None and len(splits) == 1:
                split = splits[0]
            if split not in loaded:
                raise InputError(f"{'choose a split with --split' if split is None else f'no split {split!r}'} (splits: {', '.join(splits)})", str(path))
            loaded = loaded[split]
        elif split is not None:
            raise InputError(f"the data set has no splits; drop --split {split}", str(path))
        return loaded.with_format("arrow")[:], split


def _columns(names: list[str], given: Columns, src: str, tgt: str, path: str) -> Columns:
    def need(column: str | None, what: str) -> None:
        if column is not None and column not in names:
            raise InputError(f"no {what} column {column!r} (columns: {', '.join(names)})", path)

    need(given.document, "document")
    if given.source or given.target:
        if not (given.source and given.target):
            raise InputError("give both --source-column and --target-column", path)
        need(given.source, "source")
        need(given.target, "target")
        return given
    nested = given.translation or "translation"
    if nested in names:
        return Columns(document=given.document, translation=nested)
    need(given.translation, "translation")
    for source, target in ((src, tgt), ("source", "target")):
        if source in names and target in names:
            return Columns(source, target, given.document)
    raise InputError(f"cannot tell the source and target columns (columns: {', '.join(names)}): give --source-column and "
                     "--target-column, or --translation-name for a column of {language: text} dicts", path)


def read_rows(table, columns: Columns, src: str, tgt: str, path: str) -> tuple[list[str], list[str], list[str | None]]:
    """Sources, targets and document ids of every row, each row checked (errors name the row, 1-based, as the line)."""
    sources, targets, documents = [], [], []
    document_values = table.column(columns.document).to_pylist() if columns.document else [None] * table.num_rows
    if columns.translation:
        pairs = table.column(columns.translation).to_pylist()
    else:
        pairs = zip(table.column(columns.source).to_pylist(), table.column(columns.target).to_pylist())
    for number, (pair, document) in enumerate(zip(pairs, document_values), start=1):
        if columns.translation:
            if not isinstance(pair, dict):
                raise InputError(f"{columns.translation!r} must be a dict of texts by language, got {type(pair).__name__}", path, number)
            pair = (pair.get(src), pair.get(tgt))
        if isinstance(document, int) and not isinstance(document, bool):
            document = str(document)
        row = parse(DatasetRow, {"source": pair[0], "target": pair[1], "document": document}, path, number)
        sources.append(row.source)
        targets.append(row.target)
        documents.append(row.document)
    return sources, targets, documents


def import_dataset_into(corpus, path: str | Path, src_lang: str, tgt_lang: str, columns: Columns | None = None, split: str | None = None,
                        document_id: str | None = None, producer: str = "human", system: str | None = None, license: str | None = None,
                        progress=None) -> dict:
    """Read the data set (outside the transaction), then store its rows in one transaction; progress (a tqdm bar, or
    anything with update(n)) is told of the rows stored."""
    from corpus.formats.parallel import store_parallel
    from corpus.languages import normalize_language

    location = Path(path)
    if not location.exists():
        raise InputError(f"{str(path)!r} is not a local path: Calque reads data sets saved on disk (save_to_disk) or Parquet, "
                         "JSON or CSV files and never downloads from the Hugging Face Hub; download it (datasets.load_dataset(...)"
                         ".save_to_disk(DIR)) and pass the local path")
    try:
        src, tgt = normalize_language(src_lang), normalize_language(tgt_lang)
    except ValueError as problem:
        raise InputError(f"--src-lang/--tgt-lang: {problem}") from None
    with tempfile.TemporaryDirectory(prefix="calque-dataset-") as cache_dir:
        table, chosen = _table(location, split, cache_dir)
        chosen_columns = _columns(table.column_names, columns or Columns(), src_lang, tgt_lang, str(path))
        sources, targets, documents = read_rows(table, chosen_columns, src_lang, tgt_lang, str(path))
    if not sources:
        raise InputError("the data set has no rows", str(path))
    default_id = document_id or (location.name.split(".")[0] or "dataset") + (f".{split}" if split else "")
    if chosen_columns.document is None:
        ids = [default_id] * len(sources)
    else:
        missing = next((n for n, d in enumerate(documents, start=1) if d is None), None)
        if missing is not None:
            raise InputError(f"no document id in {chosen_columns.document!r}", str(path), missing)
        ids = documents

    def work(ingest):
        return store_parallel(ingest, sources, targets, ids, src, tgt, producer, system, progress, license)

    result = corpus._import(f"import dataset {path}", str(path), work)
    return {**result, "dataset": {"rows": len(sources), "split": chosen, "columns": {k: v for k, v in vars(chosen_columns).items() if v}}}
