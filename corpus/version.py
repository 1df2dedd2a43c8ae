"""The installed calque-corpus version, read once on first use (importlib.metadata is not loaded at import)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def calque_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("calque-corpus")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+source"
