"""Language codes: BCP-47 tags checked against the IANA registry (via langcodes)."""
from __future__ import annotations

import langcodes


def normalize_language(code: object) -> str:
    """Return the standard form of a BCP-47 tag ('en_US' → 'en-US'); raise ValueError if unknown."""
    if not isinstance(code, str) or not code.strip():
        raise ValueError(f"missing language code (got {code!r})")
    tag = code.strip().replace("_", "-")
    if not langcodes.tag_is_valid(tag):
        raise ValueError(f"unknown language code {code!r}")
    return langcodes.standardize_tag(tag)


def base_language(code: str) -> str:
    """The language subtag alone: 'de-CH' → 'de'."""
    return code.split("-")[0].lower()
