"""Error typologies and severity weights, kept as data in corpus/typologies/*.json.

A typology is a two-level tree of MQM categories written as paths ("Accuracy/Mistranslation"), a map
from Calque's artifact types into it, and a map onto ITS 2.0 Localization Quality Issue types (for
XLIFF). Weights use mt-metrics-eval's string form, "severity[/category[/subcategory]]:weight" separated
by spaces, and the most specific match wins.

Rated segments without errors: the annotations table stores spans, so "rater R looked at segment S and
found nothing" is stored as a *marker*: an annotation with category "No-error", severity "Neutral" and
the empty span 0-0. Markers count a segment as rated (score 0) and never count as errors. Appraise/ESA
imports store a rater's direct score in an "ESA score" marker (the number in `comment`), DA imports in a
"DA score" marker (SCORE_MARKERS maps each protocol to its marker).
"""
from __future__ import annotations

import difflib
import json
import shlex
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable

from sqlalchemy import select

from corpus.errors import InputError

NO_ERROR = "No-error"
ESA_SCORE = "ESA score"
DA_SCORE = "DA score"
SCORE_MARKERS = {"esa": ESA_SCORE, "da": DA_SCORE}
MARKER_CATEGORIES = frozenset({NO_ERROR, ESA_SCORE, DA_SCORE})
SEVERITIES = ("Neutral", "Minor", "Major", "Critical")
DEFAULT_TYPOLOGY = "google-mqm"
TYPOLOGY_META_KEY = "typology"


def is_marker(category: str | None) -> bool:
    return isinstance(category, str) and category in MARKER_CATEGORIES


def marker_record(**fields) -> dict:
    """An annotation record meaning "this segment was rated and has no errors" (see the module docstring)."""
    return {"category": NO_ERROR, "severity": "Neutral", "segment": fields.pop("segment"), "start": 0, "end": 0, "text": "", **fields}


def _canonical(category: str) -> str:
    """Comparison key for categories: case, spaces around slashes and Google's trailing '!' ignored."""
    parts = [part.strip().rstrip("!").strip().lower() for part in category.split("/")]
    return "/".join(part for part in parts if part)


@dataclass(frozen=True)
class Typology:
    name: str
    title: str
    description: str
    url: str
    categories: dict[str, tuple[str, ...]]
    artifact_types: dict[str, str]
    its_types: dict[str, str]
    _paths: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        paths = {}
        for top, subs in self.categories.items():
            paths[_canonical(top)] = top
            for sub in subs:
                paths[_canonical(f"{top}/{sub}")] = f"{top}/{sub}"
        object.__setattr__(self, "_paths", paths)

    @property
    def paths(self) -> list[str]:
        return list(self._paths.values())

    def canonical(self, category: str) -> str | None:
        """The typology's spelling of category, or None when it is not part of this typology."""
        if is_marker(category):
            return category
        return self._paths.get(_canonical(category))

    def validate(self, category: str) -> str:
        """The canonical category; ValueError with close matches when it is unknown (or not a string)."""
        if category is not None and not isinstance(category, str):
            raise ValueError(f"category must be a string, got {type(category).__name__}")
        found = self.canonical(category or "")
        if found is not None:
            return found
        keys = difflib.get_close_matches(_canonical(category or ""), list(self._paths), n=3, cutoff=0.6)
        close = [self._paths[key] for key in keys]
        hint = f"; did you mean {', '.join(repr(c) for c in close[:4])}?" if close else f"; see `calque typology show {self.name}`"
        raise ValueError(f"category {category!r} is not in typology {self.name}{hint}")

    def category_for_artifact(self, artifact_type: str) -> str:
        try:
            return self.artifact_types[artifact_type]
        except KeyError:
            raise ValueError(f"unknown artifact type {artifact_type!r} (known: {', '.join(self.artifact_types)})") from None

    def its_type(self, category: str) -> str:
        """The ITS 2.0 locQualityIssueType for category: its own entry, else its parent's, else 'other'."""
        lookup = {_canonical(k): v for k, v in self.its_types.items()}
        parts = _canonical(category).split("/")
        while parts:
            if "/".join(parts) in lookup:
                return lookup["/".join(parts)]
            parts = parts[:-1]
        return "other"

    def category_for_its(self, its_type: str) -> str:
        """The category an ITS issue type made in another tool becomes: a subcategory mapped to it, else its
        top-level category, else 'Other'."""
        mapped = [category for category, value in self.its_types.items() if value == its_type]
        for category in sorted(mapped, key=lambda c: ("/" not in c, mapped.index(c))):
            return self.canonical(category) or category
        return self.canonical("Other") or "Other"

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description, "url": self.url,
                "categories": {k: list(v) for k, v in self.categories.items()}, "artifact_types": dict(self.artifact_types),
                "its_types": dict(self.its_types)}


def _folder():
    return resources.files("corpus").joinpath("typologies")


def _data(name: str) -> dict:
    return json.loads(_folder().joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=None)
def _typology_files() -> dict[str, str]:
    found = {}
    for entry in _folder().iterdir():
        if entry.name.endswith(".json") and entry.name != "severities.json":
            found[json.loads(entry.read_text("utf-8"))["name"]] = entry.name
    return found


def names() -> list[str]:
    return sorted(_typology_files())


@lru_cache(maxsize=None)
def load(name: str) -> Typology:
    files = _typology_files()
    if name not in files:
        raise InputError(f"unknown typology {name!r} (known: {', '.join(sorted(files))})")
    data = _data(files[name])
    return Typology(
        name=data["name"],
        title=data["title"],
        description=data["description"],
        url=data.get("url", ""),
        categories={top: tuple(subs) for top, subs in data["categories"].items()},
        artifact_types=dict(data["artifact_types"]),
        its_types=dict(data.get("its_types", {})),
    )


def map_artifact(artifact_type: str) -> dict[str, str]:
    """Where one of Calque's artifact types lands in every typology: {typology name: category}."""
    return {name: load(name).category_for_artifact(artifact_type) for name in names()}


# -- per-corpus choice -------------------------------------------------------------------------------
def typology_of_connection(connection) -> Typology:
    value = connection.execute(_chosen_typology()).scalar()
    return load(value or DEFAULT_TYPOLOGY)


@lru_cache(maxsize=None)
def _chosen_typology():
    """The read of the chosen typology's name, built once (it runs once per group commit of the annotation server)."""
    from corpus import schema

    return select(schema.meta.c.value).where(schema.meta.c.key == TYPOLOGY_META_KEY)


def corpus_typology(corpus) -> Typology:
    """The typology chosen for this corpus (`calque typology use NAME`), google-mqm when none was chosen."""
    with corpus.engine.connect() as connection:
        return typology_of_connection(connection)


def set_corpus_typology(corpus, name: str) -> Typology:
    from corpus import schema

    from corpus.database import write_transaction

    typology = load(name)
    with write_transaction(corpus.engine) as connection:
        meta = schema.meta
        if connection.execute(select(meta.c.key).where(meta.c.key == TYPOLOGY_META_KEY)).first() is None:
            connection.execute(meta.insert(), [{"key": TYPOLOGY_META_KEY, "value": typology.name}])
        else:
            connection.execute(meta.update().where(meta.c.key == TYPOLOGY_META_KEY).values(value=typology.name))
    return typology


# -- weights -----------------------------------------------------------------------------------------
def severity_name(value: str) -> str:
    for severity in SEVERITIES:
        if str(value).strip().lower() == severity.lower():
            return severity
    raise ValueError(f"unknown severity {value!r} (expected one of {', '.join(SEVERITIES)})")


@dataclass(frozen=True)
class Weights:
    """Severity/category weights; `weight(severity, category)` applies the most specific matching spec."""

    name: str
    spec: str
    table: dict[str, float]

    @classmethod
    def parse(cls, spec: str, name: str | None = None) -> "Weights":
        """Parse 'Major:5 Minor:1 Minor/Fluency/Punctuation:0.1'; quote a spec whose category has spaces:
        "'Minor/Terminology/Inappropriate for context':0.5"."""
        try:
            tokens = shlex.split(spec)
        except ValueError as problem:
            raise ValueError(f"weights {spec!r}: {problem}") from None
        if not tokens:
            raise ValueError("weights: empty specification")
        table: dict[str, float] = {}
        for token in tokens:
            key, colon, number = token.rpartition(":")
            if not colon or not key:
                raise ValueError(f"weights: {token!r} is not of the form severity[/category]:weight")
            try:
                value = float(number)
            except ValueError:
                raise ValueError(f"weights: {token!r} has a weight that is not a number") from None
            if value < 0 or value != value:
                raise ValueError(f"weights: {token!r} has a negative weight (MQM penalties are positive; lower is better)")
            severity, _, category = key.partition("/")
            try:
                severity = severity_name(severity)
            except ValueError as problem:
                raise ValueError(f"weights: {token!r}: {problem}") from None
            path = "/".join(filter(None, [severity.lower(), _canonical(category)]))
            if path in table:
                raise ValueError(f"weights: {key!r} is given twice")
            table[path] = value
        return cls(name=name or "custom", spec=" ".join(tokens), table=table)

    def weight(self, severity: str, category: str) -> float:
        parts = [severity.lower(), *filter(None, _canonical(category or "").split("/"))]
        while parts:
            key = "/".join(parts)
            if key in self.table:
                return self.table[key]
            parts = parts[:-1]
        raise KeyError(severity)

    def covers(self, severities: Iterable[str]) -> list[str]:
        """The severities in `severities` this scheme gives no weight at all."""
        return sorted({s for s in severities if s.lower() not in self.table})


@lru_cache(maxsize=None)
def _severity_data() -> dict:
    return _data("severities.json")


def weight_presets() -> dict[str, dict]:
    return dict(_severity_data()["weight_presets"])


def default_weights_name() -> str:
    return _severity_data()["default_preset"]


def resolve_weights(value: str | None) -> Weights:
    """A preset name (google-2021, mqm-industry) or a weights string in mt-metrics-eval's form."""
    value = (value or default_weights_name()).strip()
    presets = weight_presets()
    if value in presets:
        return Weights.parse(presets[value]["weights"], name=value)
    if ":" not in value:
        raise ValueError(f"unknown weights preset {value!r} (presets: {', '.join(presets)}; or give 'Major:5 Minor:1 …')")
    return Weights.parse(value)

