"""Translation units for exchange formats: one per target segment, with the source text aligned to it.

Formats that pair a source with a target (Google MQM TSV, XLIFF, Label Studio) write one unit per target
segment. Its source is the text of the source segments its alignment links name, joined by a space;
a source-side annotation (an omission) is written in the first unit whose source holds its segment.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Unit:
    target_idx: int
    target: str
    source_segments: list[tuple[int, str]] = field(default_factory=list)

    @property
    def source(self) -> str:
        return " ".join(text for _, text in self.source_segments)

    def source_offset(self, source_idx: int) -> int:
        offset = 0
        for idx, text in self.source_segments:
            if idx == source_idx:
                return offset
            offset += len(text) + 1
        raise KeyError(source_idx)

    def source_segment_at(self, position: int) -> tuple[int, int] | None:
        """(source segment idx, offset of that segment in the unit source) for a character position."""
        offset = 0
        for idx, text in self.source_segments:
            if offset <= position <= offset + len(text):
                return idx, offset
            offset += len(text) + 1
        return None


class Units(list):
    def __init__(self, units: list[Unit]):
        super().__init__(units)
        self._source_home: dict[int, Unit] = {}
        for unit in units:
            for idx, _ in unit.source_segments:
                self._source_home.setdefault(idx, unit)

    def unit_of(self, side: str, segment_idx: int) -> Unit | None:
        if side == "source":
            return self._source_home.get(segment_idx)
        return self[segment_idx] if 0 <= segment_idx < len(self) else None

    def group(self, notes: list[dict], skipped: dict[str, int], skip_rejected: bool = False) -> dict[int, list[dict]]:
        """Annotations by the target index of their unit; stale, unplaced (and, if asked, rejected) ones
        are counted in `skipped` instead."""
        grouped: dict[int, list[dict]] = {}
        for note in notes:
            if skip_rejected and note["status"] == "rejected":
                skipped["rejected"] += 1
                continue
            if note["stale"]:
                skipped["stale"] += 1
                continue
            unit = self.unit_of(note["side"], int(note["segment_idx"]))
            if unit is None:
                skipped["unplaced"] += 1
                continue
            grouped.setdefault(unit.target_idx, []).append(note)
        return grouped


def translation_units(corpus, translation_id: str) -> Units:
    translation = corpus.translation(translation_id)
    targets = corpus.segments(translation_id=translation_id)
    sources = corpus.segments(document_id=translation["document_id"], side="source")
    source_text = dict(zip(sources.idx.astype(int), sources.text))
    linked: dict[int, set[int]] = {}
    for link in corpus.alignments(translation_id=translation_id).to_dict("records"):
        for t in link["target_idx"]:
            linked.setdefault(int(t), set()).update(int(s) for s in link["source_idx"])
    units = []
    for row in targets.sort_values("idx").itertuples():
        idx = int(row.idx)
        units.append(Unit(idx, row.text, [(s, source_text[s]) for s in sorted(linked.get(idx, ())) if s in source_text]))
    return Units(units)
