"""Imports go down the floors and never in a circle: the one place where the allowed direction is written.

Every .py file under corpus/ and pipelines/ is parsed with `ast`; every import statement counts, at module
level, inside a function, or under `if TYPE_CHECKING:` (a type-only import still ties the two files
together). Absolute and relative imports are resolved to the repository's own modules; third-party imports
are ignored, and so are modules named in strings (importlib: `calque demo`'s steps, the CLI's lazy commands).
`from package import name` counts as an import of `package.name` when that is a module, else of the package's
`__init__.py`; the parent packages Python runs on the way to a module are not counted.

A unit is a folder, or a file that FLOORS names on its own, which splits it from its folder (the corpus root
holds the core below formats/ and the Corpus above them). A file belongs to the floor of the most specific
FLOORS entry that holds it; a folder that FLOORS does not name sits on its parent folder's floor but is still a
unit of its own, and a file or folder on no floor fails the test. The rules:
- no module imports one that imports it back (no cycle between modules);
- no unit imports from a unit that depends on it (no cycle between folders);
- no import from a lower floor to a higher one.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("corpus", "pipelines")

# Lowest first; a unit may import its own floor (sideways, as long as no circle forms) and any floor below.
FLOORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("corpus core", ("corpus/",)),  # schema, database, errors, ingest, segmentation, typology, version…
    ("corpus formats", ("corpus/formats/",)),  # import/export formats, written over the core
    ("the Corpus", ("corpus/__init__.py", "corpus/store.py", "corpus/relocate.py")),  # Corpus.import_* use the formats
    ("corpus releases and campaigns", ("corpus/releases/", "corpus/campaigns/")),
    ("pipeline base", ("pipelines/__init__.py", "pipelines/provenance.py", "pipelines/encoders/", "pipelines/execution/")),
    ("pipelines", ("pipelines/align/", "pipelines/fidelity/", "pipelines/checks/", "pipelines/terminology/",
                   "pipelines/terminology/model.py", "pipelines/mqm/", "pipelines/agreement/", "pipelines/semantic/",
                   "pipelines/metaeval/", "pipelines/human/")),  # terminology/model.py: the nouns terminology/formats/ reads into
    ("orchestrators", ("pipelines/bench/", "pipelines/report/", "pipelines/campaign/", "pipelines/serve/",
                       "pipelines/demo/", "pipelines/views/", "pipelines/metric_training/")),
    ("command line", ("pipelines/cli/",)),
)


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module
    path: str  # importing file, relative to the root
    line: int

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def modules(root: Path, packages=PACKAGES) -> dict[str, Path]:
    """Module name → file, for every .py file under the packages."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _known(name: str, known: dict[str, Path]) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in known else prefix for alias in node.names]
    return [target for target in (_known(name, known) for name in names) if target]


def imports(root: Path, packages=PACKAGES) -> list[Import]:
    known = modules(root, packages)
    found = []
    for module, path in known.items():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        relative = path.relative_to(root).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _targets(node, module, path.name == "__init__.py", known):
                    if target != module:
                        found.append(Import(module, target, relative, node.lineno))
    return sorted(found, key=lambda i: (i.path, i.line, i.target))


def _cycles(edges: dict[str, dict[str, Import]]) -> list[list[Import]]:
    """One cycle (as the imports that close it) per strongly connected group of nodes (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, {})):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    cycles = []
    for group in groups:
        start = min(group)
        paths = {start: []}
        queue = [start]
        while queue:  # shortest way from start back to start inside the group
            node = queue.pop(0)
            for nxt, how in sorted(edges[node].items()):
                if nxt == start:
                    cycles.append(paths[node] + [how])
                    queue = []
                    break
                if nxt in group and nxt not in paths:
                    paths[nxt] = paths[node] + [how]
                    queue.append(nxt)
    return cycles


def _describe(cycle: list[Import], name) -> str:
    return "import cycle: " + " → ".join(f"{name(i)} ({i.where()} imports {i.target})" for i in cycle) + f" → {name(cycle[0])}"


def module_cycles(root: Path, packages=PACKAGES) -> list[str]:
    edges: dict[str, dict[str, Import]] = defaultdict(dict)
    for found in imports(root, packages):
        edges[found.source].setdefault(found.target, found)
    return [_describe(cycle, lambda i: i.source) for cycle in _cycles(edges)]


def _entries(floors) -> dict[str, int]:
    return {entry: number for number, (_, entries) in enumerate(floors) for entry in entries}


def unit_of(path: str, floors=FLOORS) -> str:
    """The file itself where FLOORS names it, else its folder (with a trailing slash)."""
    return path if path in _entries(floors) else path.rpartition("/")[0] + "/"


def floor_of(unit: str, floors=FLOORS) -> int | None:
    entries = _entries(floors)
    while unit:
        if unit in entries:
            return entries[unit]
        unit = unit.rstrip("/").rpartition("/")[0] + "/" if "/" in unit.rstrip("/") else ""
    return None


def _path(module: str, known: dict[str, Path], root: Path) -> str:
    return known[module].relative_to(root).as_posix()


def unit_cycles(root: Path, packages=PACKAGES, floors=FLOORS) -> list[str]:
    known = modules(root, packages)
    edges: dict[str, dict[str, Import]] = defaultdict(dict)
    for found in imports(root, packages):
        source, target = unit_of(found.path, floors), unit_of(_path(found.target, known, root), floors)
        if source != target:
            edges[source].setdefault(target, found)
    return [_describe(cycle, lambda i: unit_of(i.path, floors)) for cycle in _cycles(edges)]


def upward_imports(root: Path, packages=PACKAGES, floors=FLOORS) -> list[str]:
    known = modules(root, packages)
    problems = []
    for found in imports(root, packages):
        source, target = unit_of(found.path, floors), unit_of(_path(found.target, known, root), floors)
        low, high = floor_of(source, floors), floor_of(target, floors)
        if low is not None and high is not None and high > low:
            problems.append(f"{found.where()} imports {found.target}: {source} ({floors[low][0]}) may not import "
                            f"{target} ({floors[high][0]}), a higher floor (FLOORS in tests/test_layers.py)")
    return problems


def undeclared(root: Path, packages=PACKAGES, floors=FLOORS) -> list[str]:
    """Files on no floor, and FLOORS entries that name nothing."""
    known = modules(root, packages)
    paths = {_path(module, known, root) for module in known}
    problems = [f"{path}: on no floor; add its folder to FLOORS in tests/test_layers.py"
                for path in sorted(paths) if floor_of(unit_of(path, floors), floors) is None]
    for entry in _entries(floors):
        if not (entry in paths if entry.endswith(".py") else any(p.startswith(entry) for p in paths)):
            problems.append(f"FLOORS names {entry}, which holds no Python file")
    return problems


@pytest.mark.parametrize("rule", [undeclared, module_cycles, unit_cycles, upward_imports],
                         ids=["every-file-on-a-floor", "no-module-cycle", "no-folder-cycle", "imports-go-down"])
def test_corpus_and_pipelines_keep_the_layers(rule):
    problems = rule(REPO)
    assert not problems, "\n".join(problems)


# -- the checker itself, on a package written for the purpose ---------------------------------------------------

def _package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


TOY_FLOORS = (("low", ("toy/", "toy/low/")), ("high", ("toy/high/",)))


def test_the_checker_finds_a_cycle_through_a_function_level_and_a_relative_import(tmp_path):
    _package(tmp_path, {
        "toy/__init__.py": "",
        "toy/low/__init__.py": "",
        "toy/low/registry.py": "def plugins():\n    from toy.low import plugin\n    return plugin\n",
        "toy/low/plugin.py": "from .registry import plugins\n",
        "toy/low/clean.py": "import json\nfrom toy.low import registry\n",
    })
    assert module_cycles(tmp_path, ("toy",)) == [
        "import cycle: toy.low.plugin (toy/low/plugin.py:1 imports toy.low.registry) → "
        "toy.low.registry (toy/low/registry.py:2 imports toy.low.plugin) → toy.low.plugin"
    ]


def test_the_checker_finds_an_upward_import_and_a_folder_cycle_even_under_type_checking(tmp_path):
    _package(tmp_path, {
        "toy/__init__.py": "",
        "toy/low/__init__.py": "",
        "toy/low/base.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from toy.high.user import User\n",
        "toy/high/__init__.py": "",
        "toy/high/user.py": "from toy.low.base import TYPE_CHECKING\n",
    })
    assert module_cycles(tmp_path, ("toy",)) == [
        "import cycle: toy.high.user (toy/high/user.py:1 imports toy.low.base) → "
        "toy.low.base (toy/low/base.py:3 imports toy.high.user) → toy.high.user"
    ]
    assert unit_cycles(tmp_path, ("toy",), TOY_FLOORS) == [
        "import cycle: toy/high/ (toy/high/user.py:1 imports toy.low.base) → "
        "toy/low/ (toy/low/base.py:3 imports toy.high.user) → toy/high/"
    ]
    assert upward_imports(tmp_path, ("toy",), TOY_FLOORS) == [
        "toy/low/base.py:3 imports toy.high.user: toy/low/ (low) may not import toy/high/ (high), "
        "a higher floor (FLOORS in tests/test_layers.py)"
    ]


def test_a_file_named_on_its_own_floor_splits_its_folder_and_an_undeclared_folder_is_reported(tmp_path):
    _package(tmp_path, {
        "toy/__init__.py": "",
        "toy/nouns.py": "",
        "toy/facade.py": "from toy.formats import reader\n",
        "toy/formats/__init__.py": "",
        "toy/formats/reader.py": "from toy import nouns\n",
        "toy/extra/__init__.py": "",
    })
    assert unit_cycles(tmp_path, ("toy",), (("all", ("toy/",)),)) != []  # toy/ → toy/formats/ → toy/
    split = (("nouns", ("toy/",)), ("formats", ("toy/formats/",)), ("facade", ("toy/facade.py",)))
    assert unit_cycles(tmp_path, ("toy",), split) == []
    assert upward_imports(tmp_path, ("toy",), split) == []
    assert undeclared(tmp_path, ("toy",), split) == []  # toy/extra/ sits on its parent's floor
    assert undeclared(tmp_path, ("toy",), (("formats", ("toy/formats/", "toy/gone/")),)) == [
        "toy/__init__.py: on no floor; add its folder to FLOORS in tests/test_layers.py",
        "toy/extra/__init__.py: on no floor; add its folder to FLOORS in tests/test_layers.py",
        "toy/facade.py: on no floor; add its folder to FLOORS in tests/test_layers.py",
        "toy/nouns.py: on no floor; add its folder to FLOORS in tests/test_layers.py",
        "FLOORS names toy/gone/, which holds no Python file",
    ]


@pytest.mark.parametrize("text, expected", [
    ("import toy.low.base", ["toy.low.base"]),
    ("import toy.low.base.missing", ["toy.low.base"]),
    ("from toy.low import base, VALUE", ["toy.low", "toy.low.base"]),
    ("from . import base", ["toy.low.base"]),
    ("from .. import low", ["toy.low"]),
    ("from ..low.base import VALUE", ["toy.low.base"]),
    ("import os, json", []),
])
def test_imports_are_resolved_to_modules_of_the_repository(tmp_path, text, expected):
    _package(tmp_path, {"toy/__init__.py": "", "toy/low/__init__.py": "VALUE = 1\n", "toy/low/base.py": "",
                        "toy/low/user.py": text + "\n"})
    assert [i.target for i in imports(tmp_path, ("toy",)) if i.source == "toy.low.user"] == expected
