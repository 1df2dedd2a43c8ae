from __future__ import annotations

import pytest

from corpus.releases import ReleaseError, Releases


def test_checkout_then_release_reproduces_the_content_hash(released, tmp_path):
    copy = released.checkout("1.0.0", tmp_path / "restored")
    try:
        original = released.corpus
        for read in ("documents", "translations", "segments", "glossary", "artifacts", "results"):
            assert getattr(copy, read)().equals(getattr(original, read)()), read
        assert copy.annotations().equals(original.annotations())
        assert copy.alignments().equals(original.alignments())
        manifest = Releases(copy).create("1.0.0")
        assert manifest["content_hash"] == released.manifest("1.0.0")["content_hash"]
        assert Releases(copy).diff("1.0.0", "WORKING")["identical"]
    finally:
        copy.close()


def test_checkout_refuses_a_non_empty_target_and_a_broken_release(released, tmp_path):
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    with pytest.raises(ReleaseError, match="not an empty directory"):
        released.checkout("1.0.0", occupied)
    assert [p.name for p in occupied.iterdir()] == ["keep.txt"]
    (released.root / "1.0.0" / "data" / "segments.parquet").write_bytes(b"broken")
    with pytest.raises(ReleaseError, match="failed verification: data/segments.parquet: changed"):
        released.checkout("1.0.0", tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()
    assert not [p for p in tmp_path.iterdir() if ".checkout-" in p.name]
