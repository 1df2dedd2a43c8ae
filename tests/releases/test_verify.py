from __future__ import annotations

import pytest

from corpus.releases import ReleaseError


def _flip_byte(path, position=None):
    data = bytearray(path.read_bytes())
    position = len(data) // 2 if position is None else position
    data[position] ^= 0x01
    path.write_bytes(bytes(data))


def test_untouched_release_verifies_bytes_and_content(released):
    report = released.verify("1.0.0", content=True)
    assert report["ok"] and report["problems"] == [] and report["content_checked"]


@pytest.mark.parametrize("name", ["data/segments.parquet", "data/annotations.parquet", "README.md", "CHANGELOG.md",
                                  "exports/corpus.tmx.gz", "exports/moses/corpus.en-de.de.gz", "manifest.json"])
def test_one_changed_byte_is_found_and_named(released, name):
    _flip_byte(released.root / "1.0.0" / name)
    report = released.verify("1.0.0")
    assert not report["ok"]
    assert f"{name}: changed (sha256 differs)" in report["problems"]


def test_changed_byte_in_the_checksum_file_is_found(released):
    _flip_byte(released.root / "1.0.0" / "SHA256SUMS", 3)
    report = released.verify("1.0.0")
    assert not report["ok"] and any(p.startswith("SHA256SUMS") or "disagree" in p for p in report["problems"])


def test_missing_and_extra_files_are_named(released):
    root = released.root / "1.0.0"
    (root / "data" / "glossary.parquet").unlink()
    (root / "data" / "notes.txt").write_text("sneaked in")
    report = released.verify("1.0.0")
    assert "data/glossary.parquet: missing file" in report["problems"]
    assert "data/notes.txt: extra file" in report["problems"]


def test_a_symlink_is_not_taken_for_a_file(released, tmp_path):
    (released.root / "1.0.0" / "data" / "link.parquet").symlink_to(tmp_path)
    assert "data/link.parquet: not a regular file" in released.verify("1.0.0")["problems"]


def test_missing_manifest_and_checksums_fail(released):
    (released.root / "1.0.0" / "SHA256SUMS").unlink()
    (released.root / "1.0.0" / "manifest.json").unlink()
    problems = released.verify("1.0.0")["problems"]
    assert "SHA256SUMS: missing file" in problems and any(p.startswith("manifest.json") for p in problems)


def test_unknown_version_is_an_error(released):
    with pytest.raises(ReleaseError, match="no release 2.0.0"):
        released.verify("2.0.0")


def test_a_release_folder_renamed_to_another_version_fails(released):
    (released.root / "1.0.0").rename(released.root / "1.0.1")
    assert "manifest.json: names version '1.0.0', folder is '1.0.1'" in released.verify("1.0.1")["problems"]


def test_an_unfinished_build_folder_is_not_a_release(released):
    """A build killed after writing its checksums leaves a whole-looking .tmp-* folder: it was never published."""
    import shutil

    from click.testing import CliRunner

    from pipelines.cli import main

    leftover = released.root / ".tmp-1.0.0-killed"
    shutil.copytree(released.root / "1.0.0", leftover)
    result = CliRunner().invoke(main, ["release", "verify", str(leftover)])
    assert result.exit_code == 1
    assert "unfinished build" in result.output
    assert CliRunner().invoke(main, ["release", "verify", str(released.root / "1.0.0")]).exit_code == 0
