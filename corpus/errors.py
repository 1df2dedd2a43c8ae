"""Errors a user can act on: each carries a one-line message naming where the problem is."""
from __future__ import annotations


class CalqueError(Exception):
    """Base class for errors shown to the user as one line and a non-zero exit."""


class InputError(CalqueError):
    """Bad input data: names the file, the line (1-based) when known, and the problem."""

    def __init__(self, problem: str, path: str | None = None, line: int | None = None):
        self.problem = problem
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{problem}")


class NotFoundError(CalqueError):
    """A document, translation, segment or annotation id that the corpus does not hold."""


class ConflictError(CalqueError):
    """A write that would overwrite something: a duplicate id, or a stale version."""


class DuplicateRow(ConflictError):
    """A write that one of the database's unique keys refused: what it would store is stored already
    (typically by a concurrent request that committed first)."""


class CorpusError(CalqueError):
    """The corpus directory itself is missing, not a corpus, or from a newer schema."""


class CorpusBusy(CalqueError):
    """A write that could not get the database's write lock in time: someone else is writing; retry."""


class EmptyExport(CalqueError):
    """An export that would hold nothing; the message says why and what to do. Nothing was written."""
