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


# -- byte ranges: each line read exactly once, at any range size -----------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipelines.fidelity import file_lines  # noqa: E402
from pipelines.fidelity.file_lines import byte_ranges, index_files, range_lines, scan_range  # noqa: E402

LINE = st.text(st.sampled_from(["a", "b", " ", "é", "你", "\U0001F600", "\r", "\u0928"]), max_size=12)


@st.composite
def text_files(draw) -> bytes:
    """Lines of mixed scripts (multi-byte characters, stray CRs, empty lines) with LF or CRLF ends, a final
    newline or none, a BOM or none, and at least one character of text."""
    lines = draw(st.lists(LINE, min_size=1, max_size=30))
    lines[draw(st.integers(0, len(lines) - 1))] += "x"
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = ending.join(lines) + draw(st.sampled_from(["", ending]))
    return (file_lines.BOM if draw(st.booleans()) else b"") + text.encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(content=text_files(), range_bytes=st.integers(1, 64), read_bytes=st.integers(1, 16))
def test_byte_ranges_read_every_line_once(tmp_path_factory, content, range_bytes, read_bytes):
    """Ranges and reads far smaller than a line: lines span range and read boundaries in every way."""
    path = tmp_path_factory.mktemp("ranges") / "f.txt"
    path.write_bytes(content)
    expected = read_segments(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(file_lines, "READ_BYTES", read_bytes)
        ranges = byte_ranges(str(path), len(content), range_bytes)
        assert [line for task in ranges for line in range_lines(task)] == expected
        assert sum(scan_range(task).lines for task in ranges) == len(expected)
        patch.setattr(file_lines, "RANGE_BYTES", range_bytes)
        (lines,) = index_files([path])
        assert list(lines) == expected and [lines[i] for i in range(len(lines))] == expected
        cut = len(expected) // 2
        assert list(lines[cut:]) == expected[cut:] and list(pickle.loads(pickle.dumps(lines[:cut]))) == expected[:cut]


def test_a_bad_byte_in_a_later_range_names_its_line(tmp_path, monkeypatch):
    path = tmp_path / "f.txt"
    path.write_bytes(b"one\ntwo\nthree\nfo\xffur\nfive\n")
    monkeypatch.setattr(file_lines, "RANGE_BYTES", 5)
    with pytest.raises(InputError) as lazy:
        FileLines.index(path)
    with pytest.raises(InputError) as eager:
        read_segments(path)
    assert str(lazy.value) == str(eager.value) and ":4:" in str(lazy.value)
