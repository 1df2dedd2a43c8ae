from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
import yaml

from corpus.releases import ReleaseError
from corpus.releases.layout import TEMP_PREFIX
from corpus.schema import CONTENT_TABLES


def test_release_holds_every_table_card_changelog_manifest_and_checksums(released):
    root = released.root / "1.0.0"
    manifest = json.loads((root / "manifest.json").read_text())
    assert set(manifest["tables"]) == set(CONTENT_TABLES)
    stats = released.corpus.stats()
    expected_rows = {"documents": stats["documents"], "translations": stats["translations"], "segments": stats["segments"],
                     "alignments": stats["alignments"], "annotations": stats["annotations"], "artifacts": stats["artifacts"],
                     "glossary": stats["glossary_concepts"], "results": stats["results"]}
    for name, info in manifest["tables"].items():
        table = pq.read_table(root / info["file"])
        assert table.num_rows == info["rows"] == expected_rows[name], name
    assert manifest["version"] == "1.0.0" and manifest["notes"] == "first release" and manifest["previous"] is None
    assert manifest["seq"] == int(released.corpus.journal(limit=1).seq.iloc[0])
    assert manifest["content_hash"].startswith("sha256:")
    listed = set(manifest["files"])
    assert {"README.md", "CHANGELOG.md", "exports/corpus.tmx.gz"} <= listed
    sums = (root / "SHA256SUMS").read_text().splitlines()
    assert {line.split("  ", 1)[1] for line in sums} == listed | {"manifest.json"}


def test_release_is_readable_by_others_as_the_umask_allows(released):
    import os
    import stat

    umask = os.umask(0)
    os.umask(umask)
    root = released.root / "1.0.0"
    assert stat.S_IMODE(root.stat().st_mode) == 0o755 & ~umask
    for path in root.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644) & ~umask, path


def test_dataset_card_has_hugging_face_front_matter_and_statistics(released):
    card = (released.root / "1.0.0" / "README.md").read_text()
    assert card.startswith("---\n")
    front = yaml.safe_load(card.split("---\n")[1])
    assert front["multilinguality"] == "translation"
    assert front["language"] == ["de", "en"]
    assert "translation" in front["task_categories"]
    assert front["size_categories"] == ["n<1K"]
    assert front["license"] == ["cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0"]
    assert front["pretty_name"]
    configs = {c["config_name"]: c["data_files"] for c in front["configs"]}
    assert configs["annotations"] == [{"split": "train", "path": "data/annotations.parquet"}]
    body = card.split("---\n", 2)[2]
    assert "| Accuracy/Mistranslation | 2 |" in body and "| Major | 2 |" in body
    assert "| mt | 2 |" in body and "| human | 1 |" in body
    assert "| de | 8 |" in body and "| en | 3 |" in body


def test_every_row_carries_licence_and_provenance(released):
    data = released.root / "1.0.0" / "data"
    segments = pq.read_table(data / "segments.parquet").to_pandas().set_index("id")
    assert segments.loc["news-1:0", "license"] == "CC-BY-4.0"           # source side: the document's
    assert segments.loc["news-1.de.human:0", "license"] == "CC-BY-SA-4.0"  # target side: the translation's
    assert segments.loc["seed-1.de.mt:0", "lang"] == "de" and segments.loc["news-1:0", "lang"] == "en"
    for name in ("segments", "alignments", "annotations"):
        table = pq.read_table(data / f"{name}.parquet").to_pandas()
        assert table.license.notna().all() and table.provenance.notna().all(), name
    assert segments.loc["news-1:0", "provenance"] == "tests/data/releases fixture"
    assert segments.loc["news-1.de.mt:0", "provenance"].startswith("imported from")
    glossary = pq.read_table(data / "glossary.parquet").to_pandas()
    assert glossary.provenance.iloc[0].startswith("added by alice at ")


def test_changelog_entry_is_written_from_the_journal(released, small_corpus):
    small_corpus.update_annotation(small_corpus.annotations().id.iloc[0], {"status": "rejected"}, actor="bob")
    released.create("1.1.0", notes="review pass")
    entry = (released.root / "1.1.0" / "CHANGELOG.md").read_text()
    assert "## 1.1.0" in entry and "review pass" in entry
    assert "| annotations | changed (status) | bob | 1 |" in entry
    whole = (released.root / "CHANGELOG.md").read_text()
    assert whole.index("## 1.1.0") < whole.index("## 1.0.0")
    first = (released.root / "1.0.0" / "CHANGELOG.md").read_text()
    assert "| annotations | added | alice | 3 |" in first and "| segments | added | alice | 11 |" in first


@pytest.mark.parametrize("version, problem", [("1.0.0", "already exists"), ("0.9.0", "not greater than the last release 1.0.0"),
                                              ("1.0.0-rc.1", "not greater"), ("1.1", "not a semantic version"), ("../x", "not a semantic version")])
def test_refused_versions(released, version, problem):
    with pytest.raises(ReleaseError, match=problem):
        released.create(version)
    assert released.versions() == ["1.0.0"]


def test_equal_content_gives_equal_bytes_and_hashes(released):
    released.create("1.0.1")
    first, second = released.manifest("1.0.0"), released.manifest("1.0.1")
    assert first["content_hash"] == second["content_hash"]
    for name in ("documents", "translations", "segments", "alignments", "annotations"):
        path = first["tables"][name]["file"]
        assert first["files"][path]["sha256"] == second["files"][path]["sha256"], name
    assert released.diff("1.0.0", "1.0.1")["identical"]


def test_leftovers_of_a_killed_build_are_ignored_and_removed(released):
    leftover = released.root / f"{TEMP_PREFIX}1.1.0-dead"
    (leftover / "data").mkdir(parents=True)
    (leftover / "data" / "segments.parquet").write_bytes(b"half")
    assert released.versions() == ["1.0.0"]
    released.create("1.1.0")
    assert not leftover.exists() and released.versions() == ["1.0.0", "1.1.0"]


def test_a_failed_build_leaves_no_release(released, monkeypatch):
    import corpus.releases.publish as publish

    def broken(*args, **kwargs):
        raise ReleaseError("disk full")

    monkeypatch.setattr(publish, "render_card", broken)
    with pytest.raises(ReleaseError, match="disk full"):
        released.create("2.0.0")
    assert released.versions() == ["1.0.0"]
    assert not [p for p in released.root.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_writers_go_on_while_a_release_is_built_and_the_release_is_the_snapshot(released, small_corpus, monkeypatch):
    import corpus.releases.snapshot as snapshot

    real_write_table = snapshot.write_table
    added = []

    def write_table_then_annotate(connection, name, *args, **kwargs):
        info = real_write_table(connection, name, *args, **kwargs)
        if name == "documents":  # the snapshot is open: another writer commits an annotation now
            added.extend(small_corpus.add_annotations([{"translation": "news-1.de.human", "segment": 0, "start": 0, "end": 8,
                                                        "category": "Fluency/Grammar", "severity": "Minor"}], actor="dave"))
        return info

    monkeypatch.setattr(snapshot, "write_table", write_table_then_annotate)
    manifest = released.create("1.1.0")
    assert added and manifest["tables"]["annotations"]["rows"] == 3
    assert released.diff("1.0.0", "1.1.0")["identical"]
    assert released.diff("1.1.0", "WORKING")["tables"]["annotations"]["added"] == added
    assert manifest["seq"] < int(small_corpus.journal(limit=1).seq.iloc[0])
