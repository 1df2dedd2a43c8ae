import pytest

from corpus.errors import InputError
from pipelines.align.dictionary import learn_dictionary, read_dictionary


def test_learns_word_pairs_that_occur_together():
    pairs = [
        ("Der Gletscher war blank.", "Le glacier était nu."),
        ("Wir querten den Gletscher.", "Nous avons traversé le glacier."),
        ("Der Gletscher kalbte.", "Le glacier a vêlé."),
        ("Die Hütte war voll.", "La cabane était pleine."),
        ("Zur Hütte hinauf.", "Montée à la cabane."),
    ]
    learned = learn_dictionary(pairs, min_count=2, min_dice=0.5)
    assert learned["gletscher"][0] == "glacier"
    assert learned["hutte"][0] == "cabane"
    assert "war" not in learned or "glacier" not in learned["war"]


def test_identical_words_are_not_dictionary_entries():
    learned = learn_dictionary([("Piola kam.", "Piola vint."), ("Piola ging.", "Piola partit.")], min_dice=0.1)
    assert "piola" not in learned


def test_read_dictionary(tmp_path):
    path = tmp_path / "de-fr.tsv"
    path.write_text("# alpine words\nGletscher\tglacier\nHütte\tcabane\nHütte\trefuge\n", encoding="utf-8")
    assert read_dictionary(path) == {"Gletscher": ["glacier"], "Hütte": ["cabane", "refuge"]}
    path.write_text("Gletscher glacier\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"de-fr.tsv:1: expected"):
        read_dictionary(path)


def test_given_word_list_is_used(hut, tmp_path):
    from pipelines.align import get_aligner

    path = tmp_path / "words.tsv"
    path.write_text("Gipfel\tsommet\nHütte\tcabane\n", encoding="utf-8")
    aligner = get_aligner("lexical", "de", "fr", word_list=str(path))
    assert aligner.given_dictionary() == {"Gipfel": ["sommet"], "Hütte": ["cabane"]}
    src, tgt, _ = hut
    assert aligner.align(src, tgt, "de", "fr")
