"""A test set in the WMT text layout, as wmt-conference/wmt22-news-systems publishes it:

    DIR/sources/<set>.<src>-<tgt>.src.<src>
    DIR/references/<set>.<src>-<tgt>.ref.<NAME>.<tgt>
    DIR/system-outputs/<set>.<src>-<tgt>.hyp.<SYSTEM>.<tgt>

one segment per line, all files parallel. Optional DIR/documents/<set>.<src>-<tgt>.docs holds a document id
per line (checks then see whole documents). The content hash covers every file's name and lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from corpus.errors import InputError
from pipelines.fidelity.file_lines import index_files
from pipelines.fidelity.textfile import check_parallel, read_segments
from pipelines.provenance import data_hash

if TYPE_CHECKING:
    from pipelines.execution import Executor

LANGS = re.compile(r"^([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)-([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)$")


@dataclass
class TestSet:
    name: str
    src_lang: str
    tgt_lang: str
    sources: list[str]
    references: dict[str, list[str]]
    systems: dict[str, list[str]]
    documents: list[str] | None = None
    paths: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what loading left out, for the user

    __test__ = False  # not a pytest test class

    @property
    def langs(self) -> str:
        return f"{self.src_lang}-{self.tgt_lang}"

    @property
    def data_hash(self) -> str:
        refs, systems = sorted(self.references), sorted(self.systems)
        names = [f"set:{self.name}", f"langs:{self.langs}", *(f"ref:{r}" for r in refs), *(f"sys:{s}" for s in systems)]
        return data_hash(names, self.sources, *(self.references[r] for r in refs), *(self.systems[s] for s in systems),
                         self.documents or [])

    def __len__(self) -> int:
        return len(self.sources)

    def select(self, references: Sequence[str] | None = None, systems: Sequence[str] | None = None) -> "TestSet":
        """The same test set with only the named references and systems (in the order given)."""
        def pick(kind: str, available: dict[str, list[str]], wanted: Sequence[str] | None) -> dict[str, list[str]]:
            if wanted is None:
                return dict(available)
            unknown = [w for w in wanted if w not in available]
            if unknown:
                raise InputError(f"unknown {kind}(s) {', '.join(unknown)}; {self.name} has {', '.join(available)}")
            return {w: available[w] for w in wanted}

        return TestSet(self.name, self.src_lang, self.tgt_lang, self.sources, pick("reference", self.references, references),
                       pick("system", self.systems, systems), self.documents, self.paths, self.notes)


def split_langs(langs: str) -> tuple[str, str]:
    match = LANGS.match(langs or "")
    if not match:
        raise InputError(f"--langs must look like SRC-TGT (e.g. en-de), not {langs!r}")
    return match.group(1), match.group(2)


def _matches(folder: Path, pattern: re.Pattern) -> list[tuple[re.Match, Path]]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        match = pattern.match(path.name)
        if match and path.is_file():
            found.append((match, path))
    return found


def load_wmt_testset(directory: str | Path, langs: str, name: str | None = None, lazy: bool = False,
                     executor: "Executor | None" = None) -> TestSet:
    """Read a WMT-layout directory for one language pair; `name` picks the test set when several share it.
    With `lazy` the sources, references and system outputs are FileLines (a mark per MiB, not texts), indexed
    by byte-range tasks on `executor` (in process when None): tasks then carry file paths and line ranges and
    each worker reads its own shard."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError("not a directory", str(directory))
    src, tgt = split_langs(langs)
    pair = re.escape(f"{src}-{tgt}")
    sources = _matches(directory / "sources", re.compile(rf"^(?P<set>.+)\.{pair}\.src\.{re.escape(src)}$"))
    if name is not None:
        sources = [(m, p) for m, p in sources if m.group("set") == name]
    if not sources:
        raise InputError(f"no source file sources/<set>.{src}-{tgt}.src.{src}", str(directory))
    if len(sources) > 1:
        raise InputError(f"several test sets for {src}-{tgt} ({', '.join(m.group('set') for m, _ in sources)}); name one", str(directory))
    match, source_path = sources[0]
    set_name = match.group("set")
    prefix = re.escape(f"{set_name}.{src}-{tgt}")
    refs = _matches(directory / "references", re.compile(rf"^{prefix}\.ref\.(?P<name>.+)\.{re.escape(tgt)}$"))
    hyps = _matches(directory / "system-outputs", re.compile(rf"^{prefix}\.hyp\.(?P<name>.+)\.{re.escape(tgt)}$"))
    if not refs:
        raise InputError(f"no reference references/{set_name}.{src}-{tgt}.ref.<NAME>.{tgt}", str(directory))
    if not hyps:
        raise InputError(f"no system output system-outputs/{set_name}.{src}-{tgt}.hyp.<SYSTEM>.{tgt}", str(directory))
    paths = [source_path, *(path for _, path in refs), *(path for _, path in hyps)]
    texts = index_files(paths, executor) if lazy else [read_segments(path) for path in paths]
    files: dict[str, Sequence[str]] = dict(zip(map(str, paths), texts))
    references = {m.group("name"): files[str(path)] for m, path in refs}
    systems = {m.group("name"): files[str(path)] for m, path in hyps}
    documents = None
    docs_path = directory / "documents" / f"{set_name}.{src}-{tgt}.docs"
    if docs_path.is_file():
        documents = files[str(docs_path)] = read_segments(docs_path)
    check_parallel(files)
    paths = {"source": str(source_path), **{f"ref:{m.group('name')}": str(p) for m, p in refs},
             **{f"sys:{m.group('name')}": str(p) for m, p in hyps}}
    return TestSet(set_name, src, tgt, files[str(source_path)], references, systems, documents, paths)
