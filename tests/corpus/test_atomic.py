"""Files a user asks for get the umask-derived mode (0644 under 022), are written whole or not at all."""
from __future__ import annotations

import contextlib
import os
import stat

import pytest
from click.testing import CliRunner

from corpus.atomic import atomic_write, current_umask
from pipelines.cli import main


@contextlib.contextmanager
def umask(value: int):
    previous = os.umask(value)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_cli_outputs_get_the_umask_mode(tmp_path, test_data, mask, expected):
    runner = CliRunner()
    corpus = str(tmp_path / "c")
    with umask(mask):
        assert current_umask() == mask
        assert runner.invoke(main, ["init", corpus]).exit_code == 0
        assert runner.invoke(main, ["--corpus", corpus, "import", "jsonl", str(test_data / "releases" / "small.jsonl")]).exit_code == 0
        outputs = {
            "corpus.jsonl": ["export", str(tmp_path / "corpus.jsonl")],
            "memory.tmx": ["export", str(tmp_path / "memory.tmx"), "--format", "tmx"],
            "review.xlf": ["annotate", "export", "--format", "xliff", str(tmp_path / "review.xlf")],
            "report.html": ["report", "--out", str(tmp_path / "report.html")],
        }
        for name, args in outputs.items():
            result = runner.invoke(main, ["--corpus", corpus, *args])
            assert result.exit_code == 0, (name, result.output)
        assert runner.invoke(main, ["--corpus", corpus, "export", str(tmp_path / "tables"), "--format", "tsv"]).exit_code == 0
    written = [tmp_path / name for name in outputs] + [tmp_path / "c" / "corpus.json", tmp_path / "tables" / "segments.tsv"]
    assert {path.name: mode(path) for path in written} == {path.name: expected for path in written}


def test_a_replaced_file_keeps_its_mode_secrets_stay_private_and_a_failed_write_leaves_no_trace(tmp_path):
    target = tmp_path / "kept.txt"
    target.write_text("old", "utf-8")
    os.chmod(target, 0o640)
    with umask(0o022):
        with atomic_write(target) as stream:
            stream.write("new")
        assert (target.read_text("utf-8"), mode(target)) == ("new", 0o640)
        with atomic_write(tmp_path / "secret.json", private=True) as stream:
            stream.write("{}")
        assert mode(tmp_path / "secret.json") == 0o600
        with pytest.raises(RuntimeError):
            with atomic_write(target) as stream:
                stream.write("half")
                raise RuntimeError("interrupted")
    assert target.read_text("utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt", "secret.json"]


def test_the_serve_token_file_is_owner_only(tmp_path):
    from corpus import Corpus
    from pipelines.serve.auth import TokenStore

    corpus = Corpus.init(tmp_path / "c")
    store = TokenStore(corpus.path)
    with umask(0o022):
        store.add("alice")
    assert mode(store.path) == 0o600
