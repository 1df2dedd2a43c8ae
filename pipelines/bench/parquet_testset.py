"""A test set as Parquet: one row per segment, one text column per stream, the columns named as the WMT
text layout names its files:

    source             the source segments
    ref:<NAME>         a reference (several allowed)
    sys:<SYSTEM>       a system's output (several allowed)
    document           optional: a document id per row (checks then see whole documents)

in one file `<set>.<src>-<tgt>.parquet`, or in a directory `<set>.<src>-<tgt>/` of part files read in name
order (part-0000.parquet, …). The same test set in either layout has the same content hash, so its scores
carry the same signatures. With `lazy`, every column is ParquetLines: tasks carry file names and row
ranges, and each worker reads its own rows from storage that every worker sees.
"""
from __future__ import annotations

from pathlib import Path

from corpus.errors import InputError
from pipelines.fidelity.parquet_lines import ParquetLines, parquet_parts

SOURCE, DOCUMENT, REF_PREFIX, SYS_PREFIX = "source", "document", "ref:", "sys:"


def is_parquet_testset(path: str | Path) -> bool:
    path = Path(path)
    if path.is_file():
        return path.suffix == ".parquet"
    return path.is_dir() and not (path / "sources").is_dir() and any(path.glob("*.parquet"))


def load_parquet_testset(path: str | Path, langs: str, lazy: bool = False):
    from pipelines.bench.testset import TestSet, split_langs
    from pipelines.fidelity.textfile import check_parallel

    src, tgt = split_langs(langs)
    parts = parquet_parts(path)
    columns = _columns(parts)
    refs = [c[len(REF_PREFIX):] for c in columns if c.startswith(REF_PREFIX)]
    systems = [c[len(SYS_PREFIX):] for c in columns if c.startswith(SYS_PREFIX)]
    for needed, found in ((f"a {SOURCE!r} column", SOURCE in columns), (f"a '{REF_PREFIX}<NAME>' column", refs),
                          (f"a '{SYS_PREFIX}<SYSTEM>' column", systems)):
        if not found:
            raise InputError(f"needs {needed} (columns: {', '.join(columns)})", str(path))

    def read(column: str):
        lines = ParquetLines.index(parts, column)
        return lines if lazy else list(lines)

    files = {SOURCE: read(SOURCE)}
    references = {name: read(REF_PREFIX + name) for name in refs}
    outputs = {name: read(SYS_PREFIX + name) for name in systems}
    documents = list(ParquetLines.index(parts, DOCUMENT)) if DOCUMENT in columns else None
    check_parallel({**files, **{REF_PREFIX + k: v for k, v in references.items()},
                    **{SYS_PREFIX + k: v for k, v in outputs.items()}})
    paths = {"source": f"{path}#{SOURCE}", **{f"ref:{r}": f"{path}#{REF_PREFIX}{r}" for r in refs},
             **{f"sys:{s}": f"{path}#{SYS_PREFIX}{s}" for s in systems}}
    return TestSet(_set_name(Path(path), src, tgt), src, tgt, files[SOURCE], references, outputs, documents, paths)


def _columns(parts: list[Path]) -> list[str]:
    """The columns every part shares, in the first part's order; parts that differ are an error."""
    from pipelines.fidelity.parquet_lines import open_parquet

    first = open_parquet(parts[0]).schema_arrow.names
    for part in parts[1:]:
        names = open_parquet(part).schema_arrow.names
        if names != first:
            raise InputError(f"columns differ from {parts[0].name}'s ({', '.join(names)})", str(part))
    return first


def _set_name(path: Path, src: str, tgt: str) -> str:
    name = path.stem if path.is_file() else path.name
    suffix = f".{src}-{tgt}"
    return name[: -len(suffix)] if name.endswith(suffix) else name
