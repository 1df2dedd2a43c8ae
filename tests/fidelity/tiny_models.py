"""Tiny learned-metric checkpoints built by the tests themselves (random weights, small configurations), in
the layouts the real models ship in, so the real loading code runs: a COMET checkpoint
(MODEL/checkpoints/model.ckpt + MODEL/hparams.yaml, a 2-layer XLM-R encoder with its tokenizer in
MODEL/encoder) and a MetricX-24 folder (config.json, model.safetensors, an mT5-style tokenizer).

The tokenizers are sentencepiece unigram models trained on a few lines of the tests' own fixtures, written
as tokenizer.json (what transformers 4 and 5 both load without converting anything)."""
from __future__ import annotations

import io
import json
from pathlib import Path

from tests.conftest import TEST_DATA

XLMR_SPECIALS = {"bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>", "unk_token": "<unk>",
                 "pad_token": "<pad>", "mask_token": "<mask>"}
T5_SPECIALS = {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}


def corpus_lines() -> list[str]:
    lines = []
    for path in sorted((TEST_DATA / "bench" / "tiny_wmt").rglob("*.*")):
        lines += [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    return lines


def unigram_pieces(specials: list[str], vocab_size: int = 120) -> list[tuple[str, float]]:
    """(piece, score) of a sentencepiece unigram model trained on the fixtures, `specials` at ids 0, 1, …"""
    import sentencepiece as spm

    ids = {name: i for i, name in enumerate(specials)}
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(corpus_lines()), model_writer=model, vocab_size=vocab_size,
                                   model_type="unigram", character_coverage=1.0, bos_id=ids.get("<s>", -1),
                                   pad_id=ids["<pad>"], eos_id=ids["</s>"], unk_id=ids["<unk>"], hard_vocab_limit=False,
                                   minloglevel=2, num_threads=1)
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    return [(processor.id_to_piece(i), processor.get_score(i)) for i in range(processor.get_piece_size())]


def save_tokenizer(folder: Path, pieces: list[tuple[str, float]], single: list[str], pair: list[str], specials: dict,
                   tokenizer_class: str) -> None:
    from tokenizers import Tokenizer, decoders, pre_tokenizers, processors
    from tokenizers.models import Unigram

    ids = {piece: i for i, (piece, _) in enumerate(pieces)}
    tokenizer = Tokenizer(Unigram(pieces, unk_id=ids["<unk>"], byte_fallback=False))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                       pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")])
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    marks = sorted({t for t in single + pair if t in ids})
    tokenizer.post_processor = processors.TemplateProcessing(single=single, pair=pair, special_tokens=[(t, ids[t]) for t in marks])
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(folder / "tokenizer.json"))
    (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": tokenizer_class, **specials}), "utf-8")


def tiny_comet(root: Path, kind: str = "regression_metric", seed: int = 0, **hparams) -> Path:
    """A COMET checkpoint of class `kind` with a random 2-layer XLM-R encoder; returns MODEL/checkpoints/model.ckpt."""
    import pytorch_lightning as pl
    import torch
    import yaml
    from comet.models import str2model
    from transformers import XLMRobertaConfig

    pieces = unigram_pieces(["<s>", "<pad>", "</s>", "<unk>"]) + [("<mask>", 0.0)]
    encoder = root / "encoder"
    save_tokenizer(encoder, pieces, ["<s>", "$A", "</s>"], ["<s>", "$A", "</s>", "</s>", "$B", "</s>"], XLMR_SPECIALS,
                   "XLMRobertaTokenizer")
    XLMRobertaConfig(vocab_size=len(pieces), hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32,
                     max_position_embeddings=128, pad_token_id=1, bos_token_id=0, eos_token_id=2).save_pretrained(encoder)
    torch.manual_seed(seed)
    layer = {"sent_layer": "mix", "word_layer": 2} if kind in ("unified_metric", "xcomet_metric") else {"layer": "mix"}
    model = str2model[kind](pretrained_model=str(encoder.resolve()), encoder_model="XLM-RoBERTa", load_pretrained_weights=False,
                            local_files_only=True, nr_frozen_epochs=0.0, keep_embeddings_frozen=False, hidden_sizes=[8],
                            activations="Tanh", **layer, **hparams)
    settings = {**dict(model.hparams), "class_identifier": kind}
    checkpoint = root / "checkpoints" / "model.ckpt"
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state_dict": model.state_dict(), "hyper_parameters": settings, "pytorch-lightning_version": pl.__version__,
                "epoch": 0, "global_step": 0}, checkpoint)
    (root / "hparams.yaml").write_text(yaml.safe_dump(settings), "utf-8")
    return checkpoint


def tiny_metricx(folder: Path, seed: int = 0, tied: bool = False, head_scale: float = 1.0) -> Path:
    """A MetricX-24-shaped folder: a random 1-layer mT5 (the full 250112-token vocabulary, d_model 8), an
    mT5-style tokenizer, and an LM head (untied, or the shared embedding where `tied`) whose row 250089 points
    along the mean decoder state of the fixtures, so that scores spread around 10 inside MetricX's 0–25;
    `head_scale` multiplies that row (large values push every score to a bound)."""
    import torch
    from safetensors.torch import save_file
    from tokenizers import Tokenizer
    from transformers import MT5Config, MT5Model

    folder.mkdir(parents=True, exist_ok=True)
    save_tokenizer(folder, unigram_pieces(["<pad>", "</s>", "<unk>"]), ["$A", "</s>"], ["$A", "</s>", "$B", "</s>"],
                   T5_SPECIALS, "T5Tokenizer")
    config = MT5Config(vocab_size=250112, d_model=8, d_kv=4, d_ff=16, num_layers=1, num_decoder_layers=1, num_heads=2,
                       relative_attention_num_buckets=8, relative_attention_max_distance=32, feed_forward_proj="gated-gelu",
                       pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    torch.manual_seed(seed)
    model = MT5Model(config).eval()
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    with torch.no_grad():
        states = [model(input_ids=torch.tensor([tokenizer.encode(f"source: {line} candidate: {line}").ids[:-1]]),
                        decoder_input_ids=torch.zeros((1, 1), dtype=torch.long)).last_hidden_state[0, 0]
                  for line in corpus_lines()[:8]]
    mean = torch.stack(states).mean(0)
    row = head_scale * 10.0 * mean / mean.dot(mean)
    state = {name: tensor.detach().clone().contiguous() for name, tensor in model.state_dict().items()}
    if tied:  # MetricX scales the decoder state by d_model^-0.5 before a tied head
        state["shared.weight"][250089] = row * config.d_model ** 0.5
    else:
        state["lm_head.weight"] = torch.randn(config.vocab_size, config.d_model, generator=torch.Generator().manual_seed(seed))
        state["lm_head.weight"][250089] = row
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    settings = {**config.to_dict(), "tie_word_embeddings": tied, "architectures": ["MT5ForRegression"], "model_type": "mt5"}
    (folder / "config.json").write_text(json.dumps(settings, default=str), "utf-8")
    return folder
