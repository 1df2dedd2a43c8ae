import pytest

from pipelines.align import read_beads
from pipelines.align.files import read_sentence_file


@pytest.fixture
def hut(test_data):
    """The de/fr fixture: (source sentences, target sentences, gold beads)."""
    folder = test_data / "align"
    return read_sentence_file(folder / "hut.de"), read_sentence_file(folder / "hut.fr"), read_beads(folder / "hut.defr")
