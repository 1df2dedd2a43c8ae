"""`metricx:PATH`: MetricX-24 (google-research/metricx) through transformers and torch
(`pip install 'calque-corpus[neural]'`), from a local model folder only.

PATH holds config.json (an mT5 model), its weights (model.safetensors, pytorch_model.bin, or their
sharded index) and the mT5 tokenizer (tokenizer.json or spiece.model: the MetricX-24 releases use
google/mt5-xl's; copy its tokenizer files into the folder).

What MetricX-24's `MT5ForRegression` computes, reproduced on transformers' MT5Model: the input
`source: S candidate: T reference: R` (without a reference, as the hybrid models' QE mode: `source: S
candidate: T`), tokenised to at most 1536 tokens with the final EOS removed; the encoder, one decoder step
from token 0, and the LM head's logit of `<extra_id_10>` (id 250089) — scaled by d_model^-0.5 only where
config.json ties the embeddings — clipped to 0–25. The head's row is read from the weights file.

Scores are MetricX's error scale as the model gives it: 0 (no error) to 25, lower is better; the system
score is their mean. The signature names the folder, the mode (ref or qe) and the sha256 of its files.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from corpus.errors import InputError
from pipelines.fidelity.model_files import existing, files_hash, go_offline, quiet, require_package
from pipelines.fidelity.registry import register_family
from pipelines.fidelity.segment_metrics import ScorerInfo, SegmentLevelMetric

PREFIX = "metricx"
INSTALL = "'calque-corpus[neural]' (torch)"
SCORE_TOKEN = 250089  # <extra_id_10> in the mT5 vocabulary: MetricX reads its logit
MAX_INPUT_TOKENS = 1536  # MetricX-24's max_input_length
BATCH_SIZE = 8
WEIGHTS = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json")
TOKENIZER = ("tokenizer.json", "spiece.model")
HASHED = ("config.json", "tokenizer_config.json", "special_tokens_map.json", *TOKENIZER)


def _config(folder: Path, metric: str) -> dict:
    try:
        config = json.loads((folder / "config.json").read_text("utf-8"))
    except FileNotFoundError:
        raise InputError(f"metric {metric}: no config.json in the MetricX model folder", str(folder)) from None
    except (OSError, ValueError) as problem:
        raise InputError(f"metric {metric}: unreadable config.json ({str(problem).splitlines()[0]})", str(folder)) from None
    if config.get("model_type") not in ("mt5", "t5"):
        raise InputError(f"metric {metric}: config.json describes a {config.get('model_type')!r} model, not mT5", str(folder))
    if int(config.get("vocab_size", 0)) <= SCORE_TOKEN:
        raise InputError(f"metric {metric}: not a MetricX model: its vocabulary ({config.get('vocab_size')}) has no "
                         f"<extra_id_10> at {SCORE_TOKEN}", str(folder))
    return config


def _files(folder: Path, metric: str) -> tuple[list[Path], list[Path]]:
    """(weights files, every file the scores depend on)."""
    weights = next((folder / name for name in WEIGHTS if (folder / name).is_file()), None)
    if weights is None:
        raise InputError(f"metric {metric}: no weights in the MetricX model folder ({', '.join(WEIGHTS)})", str(folder))
    if not any((folder / name).is_file() for name in TOKENIZER):
        raise InputError(f"metric {metric}: no tokenizer in the MetricX model folder: copy the mT5 tokenizer "
                         "(tokenizer.json or spiece.model, as google/mt5-xl has them) into it", str(folder))
    if weights.name.endswith(".index.json"):
        index = json.loads(weights.read_text("utf-8"))
        shards = [folder / name for name in sorted(set(index.get("weight_map", {}).values()))]
        weight_files = [weights, *shards]
    else:
        weight_files = [weights]
    missing = [p for p in weight_files if not p.is_file()]
    if missing:
        raise InputError(f"metric {metric}: a weights file the index names is missing", str(missing[0]))
    return weight_files, weight_files + [folder / name for name in HASHED if (folder / name).is_file()]


def _describe(argument: str) -> ScorerInfo:
    metric = f"{PREFIX}:{argument}"
    require_package("torch", "torch", INSTALL, metric)
    folder = existing(argument, "MetricX model folder", metric, folder=True)
    _config(folder, metric)
    _, hashed = _files(folder, metric)
    sha256 = files_hash(hashed, folder)
    return ScorerInfo(display="MetricX-24", sha256=sha256,
                      signature=f"metricx-24|model:{folder.name}|sha256:{sha256[:16]}|max-tokens:{MAX_INPUT_TOKENS}",
                      needs_reference=False, uses_reference=True, needs_source=True, higher_is_better=False)


def _head_row(weight_files: list[Path], config: dict):
    """Row SCORE_TOKEN of the LM head (or of the shared embedding, where the head is tied to it)."""
    import torch

    wanted = "shared.weight" if config.get("tie_word_embeddings", False) else "lm_head.weight"
    weight_map = None
    if weight_files[0].name.endswith(".index.json"):
        weight_map = json.loads(weight_files[0].read_text("utf-8"))["weight_map"]
    for path in weight_files:
        if path.name.endswith(".index.json") or (weight_map is not None and weight_map.get(wanted) != path.name):
            continue
        if path.suffix == ".safetensors":
            from safetensors import safe_open

            with safe_open(str(path), framework="pt") as handle:
                if wanted in handle.keys():
                    return handle.get_slice(wanted)[SCORE_TOKEN].to(torch.float32)
        else:
            state = torch.load(str(path), map_location="cpu", weights_only=True)
            if wanted in state:
                return state[wanted][SCORE_TOKEN].to(torch.float32)
    raise InputError(f"{PREFIX}: the weights hold no {wanted} (not a MetricX checkpoint?)", str(weight_files[0].parent))


class MetricXScorer:
    """A loaded MetricX-24 model; `score` runs it on CPU, BATCH_SIZE segments at a time."""

    name = "MetricX-24"
    needs_reference, uses_reference, higher_is_better = False, True, False

    def __init__(self, argument: str):
        info = _describe(argument)
        self.sha256, self.signature = info.sha256, info.signature
        folder = Path(argument).expanduser().resolve()
        config = _config(folder, f"{PREFIX}:{argument}")
        weight_files, _ = _files(folder, f"{PREFIX}:{argument}")
        go_offline()
        import torch
        from transformers import AutoTokenizer, MT5Model
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no bar on the worker's stderr for every load
        with quiet("transformers"):
            self.tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
            self.model = MT5Model.from_pretrained(str(folder), local_files_only=True).eval()
        self.head = _head_row(weight_files, config)
        self.scale = float(config["d_model"]) ** -0.5 if config.get("tie_word_embeddings", False) else 1.0
        self.torch = torch

    @staticmethod
    def inputs(sources, hypotheses, references) -> list[str]:
        if references is None:
            return [f"source: {s} candidate: {h}" for s, h in zip(sources, hypotheses)]
        return [f"source: {s} candidate: {h} reference: {r}" for s, h, r in zip(sources, hypotheses, references)]

    def score(self, sources, hypotheses, references, src_lang, tgt_lang) -> np.ndarray:
        torch = self.torch
        texts = self.inputs(sources, hypotheses, references)
        pad = self.tokenizer.pad_token_id or 0
        scores = []
        for start in range(0, len(texts), BATCH_SIZE):
            encoded = self.tokenizer(texts[start:start + BATCH_SIZE], max_length=MAX_INPUT_TOKENS, truncation=True,
                                     padding=False)["input_ids"]
            rows = [ids[:-1] for ids in encoded]  # MetricX drops the EOS the tokenizer appends
            width = max(len(ids) for ids in rows)
            input_ids = torch.tensor([ids + [pad] * (width - len(ids)) for ids in rows], dtype=torch.long)
            mask = torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids in rows], dtype=torch.long)
            with torch.no_grad():
                hidden = self.model(input_ids=input_ids, attention_mask=mask,
                                    decoder_input_ids=torch.zeros((len(rows), 1), dtype=torch.long)).last_hidden_state
            logits = (hidden[:, 0, :].to(torch.float32) * self.scale) @ self.head
            scores.append(torch.clamp(logits, 0.0, 25.0).numpy().astype(float))
        return np.concatenate(scores) if scores else np.empty(0)


def load_metricx(argument: str) -> MetricXScorer:
    return MetricXScorer(argument)


def metricx_metric(argument: str) -> SegmentLevelMetric:
    metric = SegmentLevelMetric(f"{PREFIX}:{argument}", load_metricx, argument, describe=_describe,
                                description="MetricX-24 from a local model folder (transformers)")
    _ = metric.info  # a missing package or file is an error now, not on a worker
    return metric


register_family(PREFIX, metricx_metric, "FOLDER")
