"""The WMT text layout, as wmt-conference/wmt22-news-systems (`txt/`) publishes a test set:

    DIR/sources/<set>.<src>-<tgt>.src.<src>
    DIR/references/<set>.<src>-<tgt>.ref.<NAME>.<tgt>
    DIR/system-outputs/<set>.<src>-<tgt>.hyp.<SYSTEM>.<tgt>
    DIR/documents/<set>.<src>-<tgt>.docs          (optional)

One segment per line, every file parallel to the source (read as WMT scores them: the last newline ends
the last line, a CRLF line end is read as LF). The optional documents file has one line per segment,
`domain<TAB>document id` (as WMT24 publishes `txt/documents/<src>-<tgt>.docs`) or the document id alone;
consecutive lines with one id form a document. Without it the whole set is one document.
"""
from __future__ import annotations

import re
from pathlib import Path

from corpus.errors import InputError
from corpus.formats.reading import iter_lines
from corpus.formats.wmt_set import Document, Side, WMTSet
from corpus.languages import normalize_language

LANG = r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?"
SOURCE = re.compile(rf"^(?P<set>.+)\.(?P<src>{LANG})-(?P<tgt>{LANG})\.src\.(?P=src)$")


def _files(folder: Path, pattern: re.Pattern) -> list[tuple[re.Match, Path]]:
    if not folder.is_dir():
        return []
    return [(m, p) for p in sorted(folder.iterdir()) if p.is_file() and (m := pattern.match(p.name))]


def is_text_layout(path: str | Path) -> bool:
    return (Path(path) / "sources").is_dir()


def _pick_source(directory: Path, langs: tuple[str, str] | None, name: str | None) -> tuple[str, str, str, Path]:
    found = [(m.group("set"), m.group("src"), m.group("tgt"), p) for m, p in _files(directory / "sources", SOURCE)]
    if langs is not None:
        found = [f for f in found if (f[1], f[2]) == langs]
    if name is not None:
        found = [f for f in found if f[0] == name]
    if not found:
        wanted = f"{name or '<set>'}.{'-'.join(langs) if langs else '<src>-<tgt>'}.src.{langs[0] if langs else '<src>'}"
        raise InputError(f"no source file sources/{wanted}", str(directory))
    if len(found) > 1:
        listed = ", ".join(f"{s}.{a}-{b}" for s, a, b, _ in found)
        raise InputError(f"several test sets ({listed}): choose one with --langs and --name", str(directory))
    return found[0]


def _read(path: Path) -> list[str]:
    return [line for _, line in iter_lines(path)]


def _documents_file(path: Path, count: int) -> tuple[list[tuple[str | None, str]], int]:
    """(domain, document id) per line, and the file's number of columns (1 or 2)."""
    rows, columns = [], None
    for number, line in iter_lines(path):
        fields = line.split("\t")
        if columns is None:
            columns = len(fields)
            if columns not in (1, 2):
                raise InputError(f"expected 'domain<TAB>document id' or a document id, found {columns} columns", str(path), number)
        if len(fields) != columns:
            raise InputError(f"expected {columns} tab-separated column(s) as on line 1, found {len(fields)}", str(path), number)
        domain, document = (None, fields[0]) if columns == 1 else (fields[0], fields[1])
        if not document.strip():
            raise InputError("empty document id", str(path), number)
        rows.append((domain, document))
    if len(rows) != count:
        raise InputError(f"has {len(rows)} lines but the source has {count}; the documents file needs one line per segment",
                         str(path), min(len(rows), count) + 1)
    return rows, columns or 0


def _runs(ids: list[tuple[str | None, str]], path: Path) -> list[tuple[int, int, str, str | None]]:
    """(first line, end line, document id, domain) of each run of lines sharing a document id."""
    runs: list[tuple[int, int, str, str | None]] = []
    seen: set[str] = set()
    start = 0
    for line in range(1, len(ids) + 1):
        if line < len(ids) and ids[line][1] == ids[start][1]:
            if ids[line][0] != ids[start][0]:
                raise InputError(f"document {ids[line][1]!r} changes domain from {ids[start][0]!r} to {ids[line][0]!r}", str(path), line + 1)
            continue
        document = ids[start][1]
        if document in seen:
            raise InputError(f"document {document!r} appears again after other documents (its lines must be consecutive)", str(path), start + 1)
        seen.add(document)
        runs.append((start, line, document, ids[start][0]))
        start = line
    return runs


def read_wmt_text(directory: str | Path, langs: tuple[str, str] | None = None, name: str | None = None) -> WMTSet:
    """The test set of a WMT text-layout directory; `langs` and `name` pick one when it holds several."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError("not a directory", str(directory))
    set_name, src, tgt, source_path = _pick_source(directory, langs, name)
    prefix = re.escape(f"{set_name}.{src}-{tgt}")
    references = _files(directory / "references", re.compile(rf"^{prefix}\.ref\.(?P<name>.+)\.{re.escape(tgt)}$"))
    systems = _files(directory / "system-outputs", re.compile(rf"^{prefix}\.hyp\.(?P<name>.+)\.{re.escape(tgt)}$"))
    if not references and not systems:
        raise InputError(f"no references/{set_name}.{src}-{tgt}.ref.<NAME>.{tgt} and no system-outputs/"
                         f"{set_name}.{src}-{tgt}.hyp.<SYSTEM>.{tgt}", str(directory))
    source = _read(source_path)
    texts: dict[str, dict[str, tuple[Path, list[str]]]] = {"references": {}, "systems": {}}
    for kind, found in (("references", references), ("systems", systems)):
        for match, path in found:
            lines = _read(path)
            if len(lines) != len(source):
                raise InputError(f"has {len(lines)} lines but the source {source_path.name} has {len(source)}; "
                                 "every file of a test set needs one line per segment", str(path), min(len(lines), len(source)) + 1)
            texts[kind][match.group("name")] = (path, lines)
    docs_path = directory / "documents" / f"{set_name}.{src}-{tgt}.docs"
    if docs_path.is_file():
        ids, columns = _documents_file(docs_path, len(source))
        runs = _runs(ids, docs_path)
    else:
        runs, columns = [(0, len(source), None, None)], 0

    def side(path: Path, lines: list[str], start: int, end: int) -> Side:
        return Side(lines[start:end], str(path), list(range(start + 1, end + 1)))

    documents = [
        Document(document, start, side(source_path, source, start, end),
                 {n: side(p, lines, start, end) for n, (p, lines) in texts["references"].items()},
                 {n: side(p, lines, start, end) for n, (p, lines) in texts["systems"].items()}, domain)
        for start, end, document, domain in runs
    ]
    try:
        src_lang, tgt_lang = normalize_language(src), normalize_language(tgt)
    except ValueError as problem:
        raise InputError(f"language pair from the file name: {problem}", str(source_path)) from None
    return WMTSet(set_name, src_lang, tgt_lang, "text", documents, str(directory), columns)
