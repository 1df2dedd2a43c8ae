"""Results signatures for alignments, sacrebleu style: `method:embedding|encoder:…|…|version:X`."""
from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Iterable, Mapping, Sequence

LENGTH_UNIT = "latin-equivalent"  # sentence lengths weighted by script (pipelines.align.length.SCRIPT_WEIGHTS), not raw characters


def calque_version() -> str:
    try:
        return version("calque-corpus")
    except PackageNotFoundError:
        return "0+unknown"


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("|", "/")


def make_signature(method: str, options: Mapping[str, Any], extra: Mapping[str, str] | None = None) -> str:
    parts = [f"method:{method}"]
    parts += [f"{key}:{_value(value)}" for key, value in (extra or {}).items()]
    parts += [f"{key}:{_value(options[key])}" for key in sorted(options)]
    parts.append(f"version:{calque_version()}")
    return "|".join(parts)


def content_hash(texts: Iterable[Sequence[str]]) -> str:
    """sha256 over the sentences of one or more texts (each sentence and text delimited)."""
    digest = hashlib.sha256()
    for text in texts:
        for sentence in text:
            digest.update(sentence.encode("utf-8") + b"\n")
        digest.update(b"\0")
    return digest.hexdigest()
