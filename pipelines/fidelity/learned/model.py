"""A learned metric as one file that explains itself, and scoring with it (numpy only).

The file is an `.npz` archive (readable with `numpy.load`) holding `header.json` — name, kind, the features
of each head, the encoder, the training data's hashes, the training command and seed, the chosen settings
and their cross-validation — and each head's arrays. It is written byte for byte reproducibly (fixed member
order and timestamps), and the sha256 of its bytes is quoted in every signature, so a score says which model
made it.

A model has up to two heads: `encoder` (language-general features plus sentence-embedding similarities of the
bundled encoder) for language pairs the encoder covers, and `general` (language-general features only) for
every other pair. A head maps standardised features z to
    raw = mean over members of [tanh(z·W + b)·v + z·u]
and the score is 100 / (1 + exp(−(slope·raw + offset))), from 0 (worst) to 100 (best).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from corpus.errors import InputError
from corpus.formats.reading import read_bytes
from pipelines.fidelity.learned import features as feature_table
from pipelines.provenance import calque_version

FORMAT = "calque-learned-metric/1"
MODELS_DIR = Path(__file__).resolve().parent / "models"
SHIPPED = {"learned": "calque-learned-1.npz", "learned-qe": "calque-learned-qe-1.npz"}
HEAD_ARRAYS = ("mean", "scale", "hidden_weights", "hidden_bias", "output_weights", "linear_weights")
ENCODER_HEAD, GENERAL_HEAD = "encoder", "general"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass
class Head:
    """One scoring function over a fixed feature list. Members (an ensemble) are stacked on axis 0."""

    name: str
    features: list[str]
    mean: np.ndarray  # (F,)
    scale: np.ndarray  # (F,)
    hidden_weights: np.ndarray  # (M, F, H); H = 0 for a linear head
    hidden_bias: np.ndarray  # (M, H)
    output_weights: np.ndarray  # (M, H)
    linear_weights: np.ndarray  # (M, F)
    slope: float = 1.0
    offset: float = 0.0

    @property
    def uses_encoder(self) -> bool:
        return any(feature_table.FEATURES[name].group == "encoder" for name in self.features)

    def raw(self, values: np.ndarray) -> np.ndarray:
        """The unscaled score of each row of raw feature values (segments × features)."""
        # Element-wise products summed row by row (not BLAS matrix products, whose summation order depends on
        # the number of rows), so a segment's score is the same bit for bit in any batch.
        z = (np.asarray(values, dtype=np.float64) - self.mean) / self.scale
        total = np.zeros(len(z))
        for member in range(self.linear_weights.shape[0]):
            total += (z * self.linear_weights[member]).sum(axis=1)
            if self.hidden_weights.shape[2]:
                hidden = np.tanh((z[:, :, None] * self.hidden_weights[member]).sum(axis=1) + self.hidden_bias[member])
                total += (hidden * self.output_weights[member]).sum(axis=1)
        return total / self.linear_weights.shape[0]

    def scale_to_100(self, raw: np.ndarray) -> np.ndarray:
        return 100.0 / (1.0 + np.exp(-(self.slope * raw + self.offset)))

    def arrays(self) -> dict[str, np.ndarray]:
        return {key: np.asarray(getattr(self, key), dtype=np.float64) for key in HEAD_ARRAYS}

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "features": list(self.features), "slope": self.slope, "offset": self.offset,
                "members": int(self.linear_weights.shape[0]), "hidden": int(self.hidden_weights.shape[2])}


class LearnedModel:
    """A loaded model file: `score(...)` segment scores 0–100, `signature` naming the file by its hash."""

    def __init__(self, header: dict[str, Any], heads: dict[str, Head], sha256: str, path: Path | None = None):
        self.header = header
        self.heads = heads
        self.sha256 = sha256
        self.path = path

    @property
    def name(self) -> str:
        return self.header["name"]

    @property
    def metric(self) -> str:
        """The metric this model serves: 'learned' (with a reference) or 'learned-qe' (without)."""
        return "learned" if self.needs_reference else "learned-qe"

    @property
    def needs_reference(self) -> bool:
        return bool(self.header["needs_reference"])

    @property
    def encoder_name(self) -> str | None:
        return (self.header.get("encoder") or {}).get("name") if ENCODER_HEAD in self.heads else None

    @property
    def signature(self) -> str:
        encoder = self.header.get("encoder") or {}
        encoder_part = (f"{encoder['name']}+sha256={encoder['sha256'][:12]}" if ENCODER_HEAD in self.heads else "none")
        heads = "+".join(h for h in (ENCODER_HEAD, GENERAL_HEAD) if h in self.heads)
        return (f"{self.metric}|model:{self.name}|sha256:{self.sha256[:12]}|heads:{heads}|encoder:{encoder_part}"
                f"|version:{calque_version()}")

    def head_for(self, src_lang: str, tgt_lang: str) -> Head:
        """The encoder head where the bundled encoder covers both languages, else the general head."""
        if ENCODER_HEAD in self.heads and encoder_covers(self.header["encoder"]["name"], src_lang, tgt_lang):
            return self.heads[ENCODER_HEAD]
        if GENERAL_HEAD in self.heads:
            return self.heads[GENERAL_HEAD]
        raise InputError(f"model {self.name} has no head for {src_lang}-{tgt_lang}: its encoder does not cover "
                         f"these languages and it has no general head", str(self.path) if self.path else None)

    def features(self, sources: Sequence[str], hypotheses: Sequence[str], references: Sequence[str] | None,
                 src_lang: str, tgt_lang: str, head: Head | None = None, progress=None) -> np.ndarray:
        head = head or self.head_for(src_lang, tgt_lang)
        encode = self._encoder().encode_independent if head.uses_encoder else None
        return feature_table.compute(head.features, sources, hypotheses, references, src_lang, tgt_lang,
                                     encode=encode, progress=progress)

    def score(self, sources: Sequence[str], hypotheses: Sequence[str], references: Sequence[str] | None,
              src_lang: str, tgt_lang: str, progress=None) -> np.ndarray:
        """Segment scores in [0, 100], higher is better; each depends on its own segment only."""
        n = len(hypotheses)
        if len(sources) != n:
            raise InputError(f"{len(sources)} source segments for {n} translations")
        if self.needs_reference:
            if references is None:
                raise InputError(f"model {self.name} needs references (use learned-qe to score without)")
            if len(references) != n:
                raise InputError(f"{len(references)} reference segments for {n} translations")
        else:
            references = None
        if n == 0:
            return np.zeros(0)
        head = self.head_for(src_lang, tgt_lang)
        values = self.features(sources, hypotheses, references, src_lang, tgt_lang, head, progress)
        return np.clip(head.scale_to_100(head.raw(values)), 0.0, 100.0)

    def _encoder(self):
        from pipelines.encoders import get_encoder

        expected = self.header["encoder"]
        encoder = get_encoder(expected["name"] if expected["name"] != "use-multilingual-v3" else "use")
        if encoder.model_hash != expected["sha256"]:
            raise InputError(f"model {self.name} was trained with encoder {expected['name']} sha256 "
                             f"{expected['sha256'][:12]}, but the installed one is {encoder.model_hash[:12]}",
                             str(self.path) if self.path else None)
        return encoder


def encoder_covers(name: str, src_lang: str, tgt_lang: str) -> bool:
    from pipelines.encoders import USE_LANGUAGES
    from corpus.languages import base_language

    if name != "use-multilingual-v3":
        return False
    return base_language(src_lang) in USE_LANGUAGES and base_language(tgt_lang) in USE_LANGUAGES


# -- the file --------------------------------------------------------------------------------------------

def model_bytes(header: dict[str, Any], heads: dict[str, Head]) -> bytes:
    """The model file's bytes: the same header and heads always give the same bytes."""
    header = dict(header, format=FORMAT, heads=[heads[name].describe() for name in sorted(heads)])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        def member(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)

        member("header.json", json.dumps(header, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        for name in sorted(heads):
            for key, array in heads[name].arrays().items():
                out = io.BytesIO()
                np.lib.format.write_array(out, np.ascontiguousarray(array), allow_pickle=False)
                member(f"{name}/{key}.npy", out.getvalue())
    return buffer.getvalue()


def save_model(path: str | Path, header: dict[str, Any], heads: dict[str, Head]) -> str:
    """Write the model file atomically (temp file, then rename); returns its sha256."""
    data = model_bytes(header, heads)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()


def read_model(path: str | Path) -> LearnedModel:
    path = Path(path)
    return model_from_bytes(read_bytes(path, "model file"), path)


def model_from_bytes(data: bytes, path: Path | None = None) -> LearnedModel:
    """A model from a file's bytes; errors name `path` when given."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            header = json.loads(archive.read("header.json").decode("utf-8"))
            if header.get("format") != FORMAT:
                raise ValueError(f"format {header.get('format')!r}, expected {FORMAT!r}")
            heads = {}
            for described in header["heads"]:
                arrays = {key: np.lib.format.read_array(io.BytesIO(archive.read(f"{described['name']}/{key}.npy")),
                                                        allow_pickle=False) for key in HEAD_ARRAYS}
                head = Head(name=described["name"], features=list(described["features"]), slope=float(described["slope"]),
                            offset=float(described["offset"]), **arrays)
                _check_head(head)
                heads[head.name] = head
            if not heads:
                raise ValueError("no head")
            for key in ("name", "needs_reference"):
                if key not in header:
                    raise ValueError(f"header has no {key!r}")
    except InputError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, UnicodeDecodeError, EOFError) as error:
        raise InputError(f"not a Calque learned-metric model file ({_reason(error)})",
                         str(path) if path is not None else None) from None
    return LearnedModel(header, heads, hashlib.sha256(data).hexdigest(), path)


def _reason(error: Exception) -> str:
    if isinstance(error, zipfile.BadZipFile):
        return "not an .npz archive"
    if isinstance(error, KeyError):
        return f"missing {error.args[0]}"
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _check_head(head: Head) -> None:
    unknown = [name for name in head.features if name not in feature_table.FEATURES]
    if unknown:
        raise ValueError(f"unknown feature(s) {', '.join(unknown)} in head {head.name}")
    f = len(head.features)
    members = head.linear_weights.shape[0] if head.linear_weights.ndim == 2 else -1
    hidden = head.hidden_weights.shape[2] if head.hidden_weights.ndim == 3 else -1
    expected = {"mean": (f,), "scale": (f,), "linear_weights": (members, f), "hidden_weights": (members, f, hidden),
                "hidden_bias": (members, hidden), "output_weights": (members, hidden)}
    for key, shape in expected.items():
        if getattr(head, key).shape != shape or members < 1 or hidden < 0:
            raise ValueError(f"head {head.name}: {key} has shape {getattr(head, key).shape}, expected {shape}")
        if not np.all(np.isfinite(getattr(head, key))):
            raise ValueError(f"head {head.name}: {key} holds a non-finite value")
    if np.any(head.scale <= 0):
        raise ValueError(f"head {head.name}: scale must be positive")


_loaded: dict[str, LearnedModel] = {}


def load_model(name_or_path: str | Path | None = None) -> LearnedModel:
    """The shipped reference-based model (None or 'learned'), the shipped QE model ('learned-qe'), or a
    model file by path; loaded once per process (a file is re-read when its bytes change)."""
    key = str(name_or_path) if name_or_path is not None else "learned"
    path = MODELS_DIR / SHIPPED[key] if key in SHIPPED else Path(key).expanduser()
    resolved = str(path.resolve()) if path.exists() else str(path)
    cached = _loaded.get(resolved)
    if cached is not None and _same_file(cached, path):
        return cached
    model = read_model(path)
    _loaded[resolved] = model
    return model


def _same_file(model: LearnedModel, path: Path) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == model.sha256
    except OSError:
        return False
