import pytest

from corpus.errors import InputError
from pipelines.align.files import check_parallel, read_sentence_file


def test_blank_lines_keep_line_numbers(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Eins.\n\nDrei.\n", encoding="utf-8")
    assert read_sentence_file(path) == ["Eins.", "", "Drei."]


@pytest.mark.parametrize("content, problem", [
    (b"", "empty"),
    (b"\n\n  \n", "empty"),
    (b"ok\n\xff\xfe bad\n", "not UTF-8"),
    (b"ok\nbin\x00ary\n", "binary"),
])
def test_bad_sentence_files(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=problem):
        read_sentence_file(path)


def test_error_names_the_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"one\ntwo\n\xff\n")
    with pytest.raises(InputError) as error:
        read_sentence_file(path)
    assert str(error.value).startswith(f"{path}:3: ")


def test_mismatched_lengths():
    check_parallel(["a"] * 10, ["b"] * 25, "a", "b")  # small difference: fine
    with pytest.raises(InputError, match="too different"):
        check_parallel(["a"] * 10, ["b"] * 100, "a.txt", "b.txt")
