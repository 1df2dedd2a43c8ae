from __future__ import annotations

from pathlib import Path

import pytest

CORPUS_TEXT = [
    "The committee met on Monday.", "Der Ausschuss tagte am Montag.",
    "The report was published on Friday.", "Der Bericht wurde am Freitag veröffentlicht.",
    "The company denied the accusations.", "Das Unternehmen wies die Vorwürfe zurück.",
    "Cameras were installed at the entrances.", "An den Eingängen wurden Kameras installiert.",
]


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A two-layer XLM-R encoder with a sentencepiece tokenizer trained on a few sentences (random weights)."""
    torch = pytest.importorskip("torch")
    import sentencepiece as spm
    from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizer

    folder = tmp_path_factory.mktemp("tiny-encoder")
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS_TEXT * 10), model_prefix=str(folder / "spm"), vocab_size=80,
        model_type="unigram", character_coverage=1.0, bos_id=0, pad_id=1, eos_id=2, unk_id=3,
        hard_vocab_limit=False, minloglevel=2,
    )
    processor = spm.SentencePieceProcessor(model_file=str(folder / "spm.model"))
    tokenizer = XLMRobertaTokenizer(vocab=[(processor.id_to_piece(i), processor.get_score(i)) for i in range(processor.get_piece_size())])
    torch.manual_seed(0)
    config = XLMRobertaConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                              intermediate_size=64, max_position_embeddings=130)
    model_dir = folder / "model"
    XLMRobertaModel(config).save_pretrained(model_dir)
    tokenizer.save_pretrained(model_dir)
    return model_dir
