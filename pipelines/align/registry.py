"""What every aligner shares, and the registry of aligners by name.

Every aligner builds bead costs (`PairCosts`) for a document pair and hands them to the shared DP
core. Aligners register themselves with `@register("name")`; this module knows none of them (choosing
one by name, `auto` included, is pipelines.align.methods).
"""
from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Mapping, Sequence

from corpus.errors import InputError
from pipelines.align.beads import Bead
from pipelines.align.dp import DEFAULT_MAX_BEAD, DEFAULT_MAX_FULL, DEFAULT_WIDTH, PairCosts, PathBead, bead_types, find_path

MAX_BEAD_LIMIT = 8

METHODS: dict[str, type["Aligner"]] = {}


def register(name: str):
    def decorate(cls: type[Aligner]) -> type[Aligner]:
        cls.name = name
        METHODS[name] = cls
        return cls

    return decorate


@dataclass(frozen=True)
class SearchOptions:
    """Options of the DP search shared by every aligner; `max_bead` is the largest side of a bead
    (5: every shape up to 1-5/5-1, 2-4/4-2 and 3-3; 3: up to 1-3/3-1 and 2-2)."""

    width: int = DEFAULT_WIDTH
    max_full: int = DEFAULT_MAX_FULL
    max_bead: int = DEFAULT_MAX_BEAD


class Aligner(ABC):
    """Builds bead costs from options; `align` runs the DP (and the optional self-training pass)."""

    name: ClassVar[str] = "aligner"
    Options: ClassVar[type] = SearchOptions

    def __init__(self, **options: Any):
        valid = {f.name for f in fields(self.Options)}
        unknown = sorted(set(options) - valid)
        if unknown:
            raise InputError(
                f"unknown option(s) {', '.join(unknown)} for method {self.name!r} (valid: {', '.join(sorted(valid))})"
            )
        try:
            self.options = self.Options(**options)
        except (TypeError, ValueError) as error:
            raise InputError(f"bad option for method {self.name!r}: {error}") from None
        self.check_options()

    def check_options(self) -> None:
        """Raise InputError for option values that make no sense."""
        if self.options.width < 2:
            raise InputError("width must be at least 2")
        if not 1 <= self.options.max_bead <= MAX_BEAD_LIMIT:
            raise InputError(f"max_bead must lie between 1 and {MAX_BEAD_LIMIT}")

    @abstractmethod
    def costs(self, src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str,
              dictionary: Mapping[str, list[str]] | None = None) -> PairCosts:
        """Bead costs for one document pair."""

    def segmenters(self, src_lang: str, tgt_lang: str) -> tuple[str, str]:
        """How words of each side are cut where the script has no spaces (see pipelines.align.tokens)."""
        from pipelines.align.tokens import DEFAULT_SEGMENTER, resolve_segmenter

        name = getattr(self.options, "segmenter", DEFAULT_SEGMENTER)
        return resolve_segmenter(name, src_lang), resolve_segmenter(name, tgt_lang)

    def self_trains(self) -> bool:
        return bool(getattr(self.options, "self_train", False))

    def given_dictionary(self) -> dict[str, list[str]] | None:
        value = getattr(self.options, "word_list", None)
        if value is None or isinstance(value, Mapping):
            return value
        from pipelines.align.dictionary import read_dictionary

        return read_dictionary(value)

    def align(self, src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str) -> list[Bead]:
        dictionary = self.given_dictionary()
        costs = self.costs(src, tgt, src_lang, tgt_lang, dictionary)
        path = self._search(costs)
        if self.self_trains() and path:
            from pipelines.align.dictionary import learn_dictionary
            from pipelines.align.tokens import fold

            one_to_one = [(src[b.src[0]], tgt[b.tgt[0]]) for b in path if len(b.src) == 1 and len(b.tgt) == 1]
            src_cut, tgt_cut = self.segmenters(src_lang, tgt_lang)
            learned = learn_dictionary(one_to_one, min_dice=self.options.min_dice,
                                       src_segmenter=src_cut, tgt_segmenter=tgt_cut)
            merged = {k: list(v) for k, v in learned.items()}
            for word, translations in (dictionary or {}).items():
                key = fold(word)
                merged[key] = list(dict.fromkeys([*(fold(t) for t in translations), *merged.get(key, [])]))
            if merged:
                costs = self.costs(src, tgt, src_lang, tgt_lang, merged)
                path = self._search(costs, guide=path)
        scores = costs.bead_scores(path)
        return [Bead(b.src, b.tgt, score=round(float(s), 6), cost=round(float(b.cost), 6)) for b, s in zip(path, scores)]

    def _search(self, costs: PairCosts, guide: list[PathBead] | None = None) -> list[PathBead]:
        return find_path(costs, bead_types(self.options.max_bead), self.options.width, self.options.max_full, guide)

    def describe_options(self) -> dict[str, Any]:
        """Options as they enter the results signature (a dictionary is named by its size)."""
        out = {}
        for f in fields(self.options):
            value = getattr(self.options, f.name)
            if f.name == "word_list" and isinstance(value, Mapping):
                value = f"{len(value)}-entries"
            elif dataclasses.is_dataclass(value):
                value = ",".join(f"{k}={v}" for k, v in dataclasses.asdict(value).items())
            out[f.name] = value
        return out

    def signature_parts(self) -> dict[str, str]:
        """Extra signature fields (e.g. the encoder and its model hash); `lengths` names the length unit."""
        from pipelines.align.signature import LENGTH_UNIT

        return {"lengths": LENGTH_UNIT}

    def signature(self) -> str:
        from pipelines.align.signature import make_signature

        return make_signature(self.name, self.describe_options(), self.signature_parts())
