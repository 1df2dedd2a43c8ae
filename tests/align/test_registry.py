import pytest

from corpus.errors import InputError
from pipelines.align import METHODS, align, available_methods, get_aligner, resolve_method
from pipelines.align.methods import parse_options


def test_builtin_methods_are_registered():
    assert available_methods() == ["auto", "embedding", "length", "lexical"]
    assert set(METHODS) == {"embedding", "length", "lexical"}


def test_auto_uses_embeddings_where_the_bundled_encoder_covers_both_languages():
    assert resolve_method("auto", "de", "fr") == "embedding"
    assert resolve_method("auto", "en", "de-CH") == "embedding"
    assert resolve_method("auto", "en", "is") == "lexical"  # Icelandic is not one of USE's 16 languages


def test_unknown_method_language_and_option():
    with pytest.raises(InputError, match="unknown alignment method 'magic'"):
        get_aligner("magic", "de", "fr")
    with pytest.raises(InputError, match="unknown language code 'xx-yy'"):
        align(["a"], ["b"], "de", "xx-yy")
    with pytest.raises(InputError, match="unknown option.*colour"):
        get_aligner("lexical", "de", "fr", colour="blue")
    with pytest.raises(InputError, match="width"):
        get_aligner("length", "de", "fr", width=1)
    with pytest.raises(InputError, match="list of strings"):
        align("Ein Satz.", ["Une phrase."], "de", "fr")


def test_empty_sides_give_omissions_and_additions():
    assert [(b.src, b.tgt) for b in align([], ["Une phrase."], "de", "fr", method="lexical")] == [((), (0,))]
    assert align([], [], "de", "fr", method="length") == []


def test_signature_names_method_options_encoder_and_version():
    signature = get_aligner("auto", "de", "fr").signature()
    fields = dict(part.split(":", 1) for part in signature.split("|"))
    assert fields["method"] == "embedding"
    assert fields["encoder"] == "use-multilingual-v3"
    assert fields["model"].startswith("sha256=") and len(fields["model"]) == 7 + 16
    assert fields["overlap"] == "compose" and "version" in fields
    lexical = get_aligner("lexical", "de", "fr", self_train=False).signature()
    assert "method:lexical|" in lexical and "self_train:no" in lexical


def test_command_line_options_are_typed():
    options = parse_options("lexical", "de", "fr", ["self_train=no", "width=20", "skip=none", "number=2.5"])
    assert options == {"self_train": False, "width": 20, "skip": None, "number": 2.5}
    with pytest.raises(InputError, match="expected KEY=VALUE"):
        parse_options("lexical", "de", "fr", ["width"])
    with pytest.raises(InputError, match="width=x"):
        parse_options("lexical", "de", "fr", ["width=x"])
