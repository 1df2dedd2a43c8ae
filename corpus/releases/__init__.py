"""Corpus releases: immutable, checksummed snapshots that `datasets` loads, with a dataset card,
a changelog from the change journal and row-level diffs.

    from corpus import Corpus
    from corpus.releases import Releases

    releases = Releases(Corpus.open("my-corpus"))
    releases.create("1.0.0", notes="first public release")
    releases.verify("1.0.0")                      # {"ok": True, "problems": [], ...}
    releases.diff("1.0.0", "WORKING")             # row-level added / removed / changed per table
    dd = releases.load("1.0.0")                   # datasets.DatasetDict keyed by table
    copy = releases.checkout("1.0.0", "restored") # a new working corpus

A release is CORPUS/releases/VERSION/ holding data/TABLE.parquet, README.md (dataset card),
CHANGELOG.md (this release's entry), exports/ (TMX, Moses), manifest.json and SHA256SUMS.
"""
from __future__ import annotations

from pathlib import Path

from corpus.releases.diff import WORKING, ReleaseSide, WorkingSide, diff_sides
from corpus.releases.errors import ReleaseError, VerificationError
from corpus.releases.layout import read_manifest, release_dir, release_versions, releases_root
from corpus.releases.publish import create_release
from corpus.releases.semver import Version
from corpus.releases.verify import verify_directory

__all__ = ["Releases", "ReleaseError", "VerificationError", "Version", "WORKING", "create_release"]


class Releases:
    """The releases of one corpus (CORPUS/releases/)."""

    def __init__(self, corpus):
        self.corpus = corpus
        self.root = releases_root(corpus.path)

    def path(self, version: str) -> Path:
        return release_dir(self.root, version)

    def versions(self) -> list[str]:
        return [str(v) for v in release_versions(self.root)]

    def latest(self) -> str | None:
        versions = self.versions()
        return versions[-1] if versions else None

    def create(self, version: str, notes: str | None = None, title: str | None = None, license: str | None = None,
               exports: list[str] | None = None, progress=None) -> dict:
        return create_release(self.corpus, version, notes=notes, title=title, license=license, exports=exports, progress=progress)

    def manifest(self, version: str) -> dict:
        return read_manifest(self.path(version))

    def verify(self, version: str, content: bool = False) -> dict:
        return verify_directory(self.path(version), content=content, expect_version=version)

    def list(self, verify: bool = False) -> list[dict]:
        rows = []
        for version in self.versions():
            directory = self.root / version
            try:
                manifest = read_manifest(directory)
                row = {"version": version, "created_at": manifest.get("created_at"), "created_by": manifest.get("created_by"),
                       "content_hash": manifest.get("content_hash"), "notes": manifest.get("notes"),
                       "rows": {name: info["rows"] for name, info in manifest.get("tables", {}).items()}, "path": str(directory)}
            except ReleaseError as error:
                row = {"version": version, "error": str(error), "path": str(directory)}
            if verify:
                report = verify_directory(directory, expect_version=version)
                row.update({"ok": report["ok"], "problems": report["problems"]})
            rows.append(row)
        return rows

    def side(self, version: str):
        return WorkingSide(self.corpus) if version == WORKING else ReleaseSide(self.path(version))

    def diff(self, left: str, right: str = WORKING, tables: list[str] | None = None, limit: int | None = None) -> dict:
        return diff_sides(self.side(left), self.side(right), tables, limit)

    def checkout(self, version: str, target, progress=None):
        from corpus.releases.checkout import checkout_directory

        return checkout_directory(self.path(version), target, actor=self.corpus.actor, progress=progress)

    def load(self, version: str, tables: list[str] | None = None, verify: bool = True):
        from corpus.releases.load import load_directory

        return load_directory(self.path(version), tables, verify)
