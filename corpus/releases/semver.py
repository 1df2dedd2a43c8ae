"""Release versions: strict Semantic Versioning 2.0.0 (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]).

Precedence follows semver.org §11: numeric fields compare as numbers, a pre-release sorts before its
release, pre-release identifiers compare numerically when both are numeric, lexically otherwise, and
build metadata is ignored. A version string is also a directory name, which the pattern keeps safe.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from corpus.releases.errors import ReleaseError

_NUMBER = r"0|[1-9]\d*"
_IDENTIFIER = r"(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
SEMVER = re.compile(
    rf"^(?P<major>{_NUMBER})\.(?P<minor>{_NUMBER})\.(?P<patch>{_NUMBER})"
    rf"(?:-(?P<pre>{_IDENTIFIER}(?:\.{_IDENTIFIER})*))?"
    r"(?:\+(?P<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)


@functools.total_ordering
@dataclass(frozen=True, eq=False)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()
    build: str | None = None
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> "Version":
        match = SEMVER.match(text or "")
        if match is None:
            raise ReleaseError(f"{text!r} is not a semantic version (expected MAJOR.MINOR.PATCH, e.g. 1.0.0 or 1.1.0-rc.1)")
        pre = tuple(match["pre"].split(".")) if match["pre"] else ()
        return cls(int(match["major"]), int(match["minor"]), int(match["patch"]), pre, match["build"], text)

    def _key(self):
        # A release sorts after all of its pre-releases; numeric identifiers sort before alphanumeric ones.
        pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.prerelease)
        return (self.major, self.minor, self.patch, 0 if self.prerelease else 1, pre)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key() == other._key()

    def __lt__(self, other: "Version") -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self.text


def is_version(text: str) -> bool:
    return SEMVER.match(text or "") is not None
