"""FileLines: a file's segments read by line offsets give exactly what read_segments gives, the same
errors for bad files, and slices that pickle as a path and a few offsets."""
from __future__ import annotations

import pickle

import pytest

from corpus.errors import InputError
from pipelines.fidelity.file_lines import FileLines
from pipelines.fidelity.textfile import read_segments

GOOD = [b"a\nb\n", b"a\nb", b"\xef\xbb\xbfx\r\ny\n\n", b"\n\nz", "\u00e9\u00a0\u00df\n\nq\r\n".encode(),
        "\u0928\u092e\u0938\u094d\u0924\u0947\n\u4f60\u597d\n\u0645\u0631\u062d\u0628\u0627".encode()]
BAD = [b"a\n\xff\n", b"", b"\n \n"]


@pytest.mark.parametrize("content", GOOD)
def test_lines_equal_read_segments(tmp_path, content):
    path = tmp_path / "f.txt"
    path.write_bytes(content)
    expected = read_segments(path)
    lines = FileLines.index(path)
    assert len(lines) == len(expected)
    assert list(lines) == expected
    assert [lines[i] for i in range(len(lines))] == expected and lines[-1] == expected[-1]
    assert list(lines[1:]) == expected[1:] and list(lines[1:1]) == []
    assert list(pickle.loads(pickle.dumps(lines[0:2]))) == expected[:2]


@pytest.mark.parametrize("content", BAD)
def test_bad_files_give_the_read_segments_error(tmp_path, content):
    path = tmp_path / "f.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as eager:
        read_segments(path)
    with pytest.raises(InputError) as lazy:
        FileLines.index(path)
    assert str(lazy.value) == str(eager.value)


def test_a_slice_pickles_without_its_text(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("".join(f"segment number {i}\n" for i in range(1000)), encoding="utf-8")
    part = FileLines.index(path)[500:510]
    payload = pickle.dumps(part)
    assert b"segment number" not in payload and len(payload) < 400
    assert list(pickle.loads(payload)) == [f"segment number {i}" for i in range(500, 510)]
