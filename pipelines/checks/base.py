"""What every check shares: the Finding it reports, the Document it reads, and the registry of checks."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Callable, ClassVar, Iterable, Iterator

if TYPE_CHECKING:
    from pipelines.checks.catalogue import CatalogueEntry

FINDING_TYPES = (
    "untranslated",
    "wrong-language",
    "number-mismatch",
    "entity-mismatch",
    "markup",
    "truncation",
    "omission",
    "repetition",
    "segmentation",
    "quote-style",
    "known-artifact",
    "calque-candidate",
)


@dataclass(frozen=True)
class Finding:
    """One problem in one target segment; start/end are character offsets within that segment."""

    segment: int
    type: str
    start: int
    end: int
    text: str
    message: str
    check: str
    severity: str = "Minor"
    # The artifact type written to the corpus: the finding type, or a catalogue entry's own type ("calque").
    artifact_type: str | None = None

    def __post_init__(self):
        if self.type not in FINDING_TYPES:
            raise ValueError(f"unknown finding type {self.type!r}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}-{self.end}")
        if self.artifact_type is None:
            object.__setattr__(self, "artifact_type", self.type)

    def to_dict(self) -> dict:
        """The public JSON form: segment, type, start, end, text, message."""
        return {k: getattr(self, k) for k in ("segment", "type", "start", "end", "text", "message")}

    def to_full_dict(self) -> dict:
        return asdict(self)


@dataclass
class Document:
    """What the checks read: target segments, and per target segment the source text aligned to it
    (None where there is none); `source` is None altogether when the source is unavailable."""

    target: list[str]
    source: list[str | None] | None
    src_lang: str
    tgt_lang: str
    catalogue: list["CatalogueEntry"] = field(default_factory=list)
    # The whole source text, for evidence that need not sit in the aligned segment (catalogue cues).
    source_text: str | None = None
    # Paragraph number of each target segment; None when every segment is a paragraph (one per line).
    paragraphs: list[int] | None = None

    def __post_init__(self):
        if self.source is not None and len(self.source) != len(self.target):
            raise ValueError("source and target need one entry per target segment")
        if self.source_text is None and self.source is not None:
            self.source_text = "\n".join(s for s in self.source if s)

    def counterpart(self, index: int, source_offset: int) -> tuple[int, int]:
        """The target span answering to a source position: the sentence of the same rank when source and
        target have as many sentences, else the whole target segment."""
        from pipelines.checks.text import sentences

        target = self.target[index]
        whole = (len(target) - len(target.lstrip()), len(target.rstrip()))
        source = self.source[index] if self.source is not None else None
        if not source:
            return whole
        source_spans, target_spans = sentences(source, self.src_lang), sentences(target, self.tgt_lang)
        if len(source_spans) != len(target_spans) or len(source_spans) < 2:
            return whole
        for rank, (start, end) in enumerate(source_spans):
            if start <= source_offset < end:
                return target_spans[rank]
        return whole

    def paragraph(self, index: int) -> int:
        return index if self.paragraphs is None else self.paragraphs[index]

    @property
    def has_source(self) -> bool:
        return self.source is not None

    def pairs(self) -> Iterator[tuple[int, str, str]]:
        """(index, source, target) for target segments that have aligned source text."""
        if self.source is None:
            return
        for index, (src, tgt) in enumerate(zip(self.source, self.target)):
            if src is not None:
                yield index, src, tgt

    def finding(self, check: "Check", segment: int, start: int, end: int, message: str, **extra) -> Finding:
        return Finding(
            segment=segment,
            type=extra.pop("type", check.type),
            start=start,
            end=end,
            text=self.target[segment][start:end],
            message=message,
            check=check.name,
            severity=extra.pop("severity", check.severity),
            **extra,
        )


class Check:
    """A named deterministic check. Subclasses set `name`, `type` and `description` and implement `run`.

    `rules` declares which languages each part of the check covers: rule name -> a Coverage (all languages,
    a set of languages, the languages of some scripts, or those a data source knows). A rule that does not
    cover a document's languages does not run there, and `skipped` says so (`calque check --json`)."""

    name: ClassVar[str]
    type: ClassVar[str]
    description: ClassVar[str] = ""
    needs_source: ClassVar[bool] = False
    document_level: ClassVar[bool] = False
    severity: ClassVar[str] = "Minor"
    rules: ClassVar[dict[str, "Coverage"]] = {}
    # Of two findings of one problem on overlapping spans the lower precedence is kept (precedence.py).
    precedence: ClassVar[int] = 50

    def run(self, document: Document) -> Iterable[Finding]:
        raise NotImplementedError

    @classmethod
    def covers(cls, rule: str, src_lang: str, tgt_lang: str) -> bool:
        return cls.rules[rule].covers(src_lang, tgt_lang)

    @classmethod
    def skipped(cls, src_lang: str, tgt_lang: str) -> list[dict]:
        """The rules of this check that do not run for this language pair, with why."""
        return [
            {"skipped": f"{cls.name}/{rule}" if rule != cls.name else cls.name, "check": cls.name,
             "langs": f"{src_lang}-{tgt_lang}", "reason": f"covers {coverage.description}"}
            for rule, coverage in cls.rules.items() if not coverage.covers(src_lang, tgt_lang)
        ]


@dataclass(frozen=True)
class Coverage:
    """Which language pairs a rule covers. `target`/`source`: a predicate on a language code, `pair` on both
    (None: any); `description` is what the listing and the skip notice show."""

    description: str
    target: "Callable[[str], bool] | None" = None
    source: "Callable[[str], bool] | None" = None
    pair: "Callable[[str, str], bool] | None" = None

    def covers(self, src_lang: str, tgt_lang: str) -> bool:
        return ((self.target is None or self.target(tgt_lang)) and (self.source is None or self.source(src_lang))
                and (self.pair is None or self.pair(src_lang, tgt_lang)))


ALL_LANGUAGES = Coverage("all languages and scripts")


def languages(codes: Iterable[str], what: str = "") -> Coverage:
    """Coverage of a fixed set of target languages (base codes)."""
    from corpus.languages import base_language

    codes = frozenset(codes)
    shown = ", ".join(sorted(codes))
    return Coverage(f"{what + ' ' if what else ''}target languages {shown} only", lambda lang: base_language(lang) in codes)


_CHECKS: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    """Class decorator: add a check to the registry under its name."""
    if cls.name in _CHECKS:
        raise ValueError(f"check {cls.name!r} is already registered")
    if cls.type not in FINDING_TYPES:
        raise ValueError(f"check {cls.name!r} reports unknown type {cls.type!r}")
    _CHECKS[cls.name] = cls
    return cls


def registered_checks() -> dict[str, type[Check]]:
    """Checks by name, in the order of FINDING_TYPES (so listings and runs are stable)."""
    order = {t: n for n, t in enumerate(FINDING_TYPES)}
    return dict(sorted(_CHECKS.items(), key=lambda item: (order[item[1].type], item[0])))
