"""Errors of the release machinery, shown to the user as one line."""
from __future__ import annotations

from corpus.errors import CalqueError


class ReleaseError(CalqueError):
    """A release that cannot be created, found, read or compared."""


class VerificationError(ReleaseError):
    """A release whose bytes no longer match its checksums; `problems` lists every mismatch."""

    def __init__(self, version: str, problems: list[str]):
        self.version = version
        self.problems = problems
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        super().__init__(f"release {version} failed verification: {shown}")
