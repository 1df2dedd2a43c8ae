"""Optional COMET scores through unbabel-comet, from a local checkpoint only (never downloaded)."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from corpus.errors import InputError
from pipelines.encoders.base import sha256_of_files
from pipelines.provenance import data_hash


def comet_available() -> bool:
    try:
        import comet  # noqa: F401
    except ImportError:
        return False
    return True


def comet_scores(
    checkpoint: str | Path, sources: Sequence[str], hyps: Sequence[str], refs: Sequence[str] | None = None,
    batch_size: int = 16,
) -> dict:
    """System and segment COMET scores; reference-free checkpoints (CometKiwi) need no refs."""
    if not comet_available():
        raise InputError("COMET needs unbabel-comet (pip install unbabel-comet) and a local checkpoint")
    path = Path(checkpoint)
    if not path.is_file():
        raise InputError("COMET checkpoint not found (give the .ckpt file of a locally stored model)", str(path))
    from comet import load_from_checkpoint

    model = load_from_checkpoint(str(path))
    data = [{"src": s, "mt": h} | ({"ref": refs[i]} if refs is not None else {}) for i, (s, h) in enumerate(zip(sources, hyps))]
    output = model.predict(data, batch_size=batch_size, gpus=0, progress_bar=False)
    import comet as comet_package

    model_hash = sha256_of_files([path])[:16]
    return {
        "score": float(output.system_score),
        "segments": [float(x) for x in output.scores],
        "signature": f"comet|model:sha256={model_hash}|nrefs:{0 if refs is None else 1}|version:{getattr(comet_package, '__version__', '?')}",
        "data_hash": data_hash(sources, hyps, refs or []),
    }
