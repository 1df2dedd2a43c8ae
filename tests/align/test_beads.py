import pytest

from corpus.errors import InputError
from pipelines.align import Bead, format_bead, parse_bead_line, read_beads


def test_format_matches_vecalign():
    assert format_bead(Bead((0,), (0, 1))) == "[0]:[0, 1]"
    assert format_bead(Bead((6, 7), (9,))) == "[6, 7]:[9]"
    assert format_bead(Bead((), (16,))) == "[]:[16]"


def test_parse_round_trip_and_cost_field():
    for line in ("[0]:[0, 1]", "[6, 7]:[9]", "[]:[16]", "[3]:[]"):
        assert format_bead(parse_bead_line(line)) == line
    assert parse_bead_line("[1]:[2]:0.25").score == 0.25


def test_read_beads_reports_file_and_line(test_data):
    path = test_data / "align" / "malformed.txt"
    with pytest.raises(InputError) as error:
        read_beads(path)
    assert str(error.value).startswith(f"{path}:3: ")


@pytest.mark.parametrize("line", ["[]:[]", "[a]:[1]", "0:1", "[1]:[2]:x"])
def test_bad_bead_lines(line):
    with pytest.raises(InputError):
        parse_bead_line(line, "gold.txt", 7)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_beads(tmp_path / "nope.txt")
