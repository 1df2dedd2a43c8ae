"""Any transformers encoder from a local folder (LaBSE-style: CLS, pooler or mean pooling, L2-normalised).

Never touches the hub (HF_HUB_OFFLINE=1, local_files_only). torch is imported only when the model
is first used; it comes with the optional `[neural]` extra.
"""
from __future__ import annotations

import json
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from corpus.errors import CalqueError, InputError
from pipelines.encoders.base import SentenceEncoder

POOLINGS = ("cls", "pooler", "mean")
MODEL_SUFFIXES = (".json", ".safetensors", ".bin", ".model", ".txt", ".spm", ".pt")


class MissingDependency(CalqueError):
    """An optional dependency (torch) is not installed."""


def _pooling_from_sentence_transformers(path: Path) -> str | None:
    config = path / "1_Pooling" / "config.json"
    if not config.is_file():
        return None
    settings = json.loads(config.read_text(encoding="utf-8"))
    if settings.get("pooling_mode_mean_tokens"):
        return "mean"
    if settings.get("pooling_mode_cls_token"):
        return "cls"
    return None


def _has_pooler(path: Path) -> bool:
    """Whether the saved weights include a pooler layer (read from the safetensors header, no torch needed)."""
    import struct

    for weights in sorted(path.glob("*.safetensors")):
        with open(weights, "rb") as handle:
            (size,) = struct.unpack("<Q", handle.read(8))
            header = json.loads(handle.read(size))
        if any("pooler.dense" in key for key in header):
            return True
    return False


class TransformersEncoder(SentenceEncoder):
    """Pooling "auto": a sentence-transformers folder's own setting, else the pooler (dense + tanh over
    CLS, LaBSE's sentence embedding) when the weights have one, else the CLS vector."""

    def __init__(
        self,
        path: str | Path,
        pooling: str = "auto",
        max_length: int = 256,
        languages: frozenset[str] | None = None,
        cache_size: int = 200_000,
    ):
        super().__init__(cache_size)
        self.path = Path(path).expanduser().resolve()
        if not (self.path / "config.json").is_file():
            raise InputError("not a transformers model folder (no config.json)", str(path))
        if pooling == "auto":
            pooling = _pooling_from_sentence_transformers(self.path) or ("pooler" if _has_pooler(self.path) else "cls")
        if pooling not in POOLINGS:
            raise InputError(f"unknown pooling {pooling!r} (choose from {', '.join(POOLINGS)})", str(path))
        self.pooling = pooling
        self.max_length = max_length
        self.languages = languages
        self.name = f"transformers:{self.path.name}:{pooling}"
        self._model = None
        self._tokenizer = None
        self._dim: int | None = None

    def _load(self):
        if self._model is None:
            try:
                import torch  # noqa: F401
            except ImportError:
                raise MissingDependency(
                    "torch is not installed: pip install 'calque-corpus[neural]' (or torch) to use a transformers encoder"
                ) from None
            os.environ["HF_HUB_OFFLINE"] = "1"
            from transformers import AutoModel, AutoTokenizer

            self._tokenizer = AutoTokenizer.from_pretrained(str(self.path), local_files_only=True)
            model = AutoModel.from_pretrained(str(self.path), local_files_only=True)
            model.eval()
            self._model = model
            self._dim = int(model.config.hidden_size)
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._load()
        return self._dim  # type: ignore[return-value]

    def _embed_one(self, sentence: str) -> np.ndarray:
        return self._embed_batch([sentence])[0]

    def _embed_batch(self, sentences: list[str]) -> np.ndarray:
        """One padded forward pass; padding is masked, so no sentence sees another."""
        model = self._load()
        import torch

        inputs = self._tokenizer(list(sentences), return_tensors="pt", truncation=True, padding=True,
                                 max_length=self.max_length)
        with torch.inference_mode():
            output = model(**inputs)
        if self.pooling == "pooler" and getattr(output, "pooler_output", None) is not None:
            vectors = output.pooler_output
        elif self.pooling == "mean":
            mask = inputs["attention_mask"].unsqueeze(-1).to(output.last_hidden_state.dtype)
            vectors = (output.last_hidden_state * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        else:
            vectors = output.last_hidden_state[:, 0]
        return vectors.float().cpu().numpy()

    def _model_files(self):
        files = [p for p in self.path.rglob("*") if p.is_file() and p.suffix in MODEL_SUFFIXES]
        return files, self.path

    def _version(self) -> str:
        parts = [f"transformers-{version('transformers')}"]
        try:
            parts.append(f"torch-{version('torch')}")
        except PackageNotFoundError:
            pass
        return "+".join(parts)
