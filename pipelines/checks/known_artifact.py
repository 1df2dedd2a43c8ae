"""Catalogue entries: the known bad target form is present, and so is its source cue.

Where the source is unavailable the finding is still reported, saying that the cue is unverified;
where a source exists but lacks the cue, the target form is taken as legitimate ("Stadträte" is right for
"councillors", wrong for "councils")."""
from __future__ import annotations

from pipelines.checks.base import ALL_LANGUAGES, Check, Document, register


@register
class KnownArtifact(Check):
    name = "known-artifact"
    type = "known-artifact"
    description = "target forms of the artifact catalogue (calques, false friends, debris) whose source cue is present"
    rules = {"all": ALL_LANGUAGES}
    severity = "Major"
    precedence = 0  # a catalogue entry names the artifact: it wins over any heuristic on the same span

    def run(self, document: Document):
        entries = [e for e in document.catalogue if e.applies_to(document.src_lang, document.tgt_lang)]
        for entry in entries:
            for index, text in enumerate(document.target):
                spans = entry.find_in_target(text)
                if not spans:
                    continue
                verdict = self._cue(document, index, entry)
                if verdict is None:
                    continue
                for start, end in spans:
                    yield document.finding(
                        self, index, start, end, describe(entry) + verdict,
                        artifact_type=entry.type, severity="Major" if entry.type == "calque" else "Minor",
                    )

    @staticmethod
    def _cue(document: Document, index: int, entry) -> str | None:
        """A message suffix when the finding stands, None when the source shows the form is legitimate."""
        if not entry.source:
            return ""
        if document.source is None:
            return f" (no source to verify: applies if the source says {entry.source!r})"
        aligned = document.source[index]
        if aligned is not None:
            return "" if entry.cue_in_source(aligned) else None
        if document.source_text and entry.cue_in_source(document.source_text):
            return " (source cue found in the document, segment not aligned)"
        return None


def describe(entry) -> str:
    """What is wrong, and what to write instead when the catalogue says (its note)."""
    if not entry.source:
        what = f"{entry.target!r} is a known {entry.type} artifact"
    elif entry.source == entry.target:
        what = f"{entry.target!r} copied unchanged from the source is a known {entry.type} artifact"
    else:
        what = f"{entry.target!r} for {entry.source!r} is a known {entry.type} artifact"
    note = (entry.note or "").strip()
    return f"{what}. {note}" if note else f"{what}; see the artifact catalogue for the usual rendering"
