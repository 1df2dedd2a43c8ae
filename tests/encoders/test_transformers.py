"""A transformers encoder loaded from a local folder: a tiny BERT and a WordPiece vocabulary the test builds."""
import os
import sys

import numpy as np
import pytest

from corpus.errors import InputError
from pipelines.encoders import MissingDependency, TransformersEncoder, get_encoder

TEXTS = [
    "Die Hütte liegt am Rand des Gletschers.",
    "La cabane se trouve au bord du glacier.",
    "Wir erreichten den Gipfel am Morgen.",
    "Nous avons atteint le sommet le matin.",
    "Der Abstieg war lang und steil.",
    "La descente fut longue et raide.",
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    pytest.importorskip("torch")
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    wordpiece = BertWordPieceTokenizer(lowercase=True)
    wordpiece.train_from_iterator(TEXTS * 5, vocab_size=200, min_frequency=1)
    wordpiece.save_model(str(folder))
    BertTokenizerFast(vocab_file=str(folder / "vocab.txt")).save_pretrained(folder)
    config = BertConfig(vocab_size=wordpiece.get_vocab_size(), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=64)
    import torch

    torch.manual_seed(0)
    BertModel(config).save_pretrained(folder)
    return folder


def test_encodes_unit_rows_from_a_local_folder(tiny_model):
    encoder = TransformersEncoder(tiny_model)
    vectors = encoder.encode(TEXTS)
    assert vectors.shape == (6, 32) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert os.environ.get("HF_HUB_OFFLINE") == "1"


def test_same_results_for_any_batch_size(tiny_model):
    """A padded batch masks the padding: each vector matches the sentence encoded alone."""
    one = TransformersEncoder(tiny_model).encode(TEXTS, batch_size=1)
    many = TransformersEncoder(tiny_model).encode(TEXTS, batch_size=4)
    assert np.min(np.sum(one * many, axis=1)) >= 0.99999


def test_pooling_choices(tiny_model):
    cls = TransformersEncoder(tiny_model, pooling="cls").encode(TEXTS[:2])
    mean = TransformersEncoder(tiny_model, pooling="mean").encode(TEXTS[:2])
    pooler = TransformersEncoder(tiny_model, pooling="pooler").encode(TEXTS[:2])
    assert not np.allclose(cls, mean) and not np.allclose(cls, pooler)
    with pytest.raises(InputError, match="unknown pooling"):
        TransformersEncoder(tiny_model, pooling="max")
    assert TransformersEncoder(tiny_model).pooling == "pooler"  # LaBSE-style: the saved BERT has a pooler


def test_signature_hashes_the_model_files(tiny_model, tmp_path):
    import shutil

    encoder = TransformersEncoder(tiny_model)
    assert f"sha256={encoder.model_hash[:16]}" in encoder.signature and "transformers-" in encoder.signature
    copy = tmp_path / "copy"
    shutil.copytree(tiny_model, copy)
    assert TransformersEncoder(copy).model_hash == encoder.model_hash
    (copy / "config.json").write_text((copy / "config.json").read_text().replace("32", "33", 1))
    assert TransformersEncoder(copy).model_hash != encoder.model_hash


def test_plugs_into_the_embedding_aligner(tiny_model):
    from pipelines.align import align

    beads = align(TEXTS[0::2], TEXTS[1::2], "de", "fr", method="embedding", encoder=str(tiny_model))
    assert [k for b in beads for k in b.src] == [0, 1, 2]
    assert [k for b in beads for k in b.tgt] == [0, 1, 2]
    assert get_encoder(str(tiny_model)) is get_encoder(str(tiny_model))


def test_not_a_model_folder(tmp_path):
    with pytest.raises(InputError, match="no config.json"):
        TransformersEncoder(tmp_path)


def test_missing_torch_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(MissingDependency, match="torch is not installed"):
        TransformersEncoder(tmp_path).encode(["x"])
