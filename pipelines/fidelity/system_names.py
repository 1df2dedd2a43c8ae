"""Short system names from hypothesis file paths: the file stem without what all files share.

    short_names(["out/wmt22.en-de.sysA.txt", "out/wmt22.en-de.sysB.txt"])  # ["sysA", "sysB"]
    short_names(["runs/a/hyp.de", "runs/b/hyp.de"])                     # ["a", "b"]

Names are cut only at separators (. _ - / and spaces), so "sysA"/"sysB" are not reduced to "A"/"B".
"""
from __future__ import annotations

import os
import re
from pathlib import Path

SEPARATORS = r"[._\-/\\ ]"


def _tokens(text: str) -> list[str]:
    """Text split into alternating word and separator pieces, so it joins back exactly."""
    return [t for t in re.split(f"({SEPARATORS})", text) if t]


def _strip_common(names: list[str]) -> list[str]:
    split = [_tokens(n) for n in names]
    shortest = min(len(t) for t in split)
    front = 0
    while front < shortest and len({t[front] for t in split}) == 1:
        front += 1
    back = 0
    while back < shortest - front and len({t[len(t) - 1 - back] for t in split}) == 1:
        back += 1
    cut = ["".join(t[front:len(t) - back]).strip("._-/\\ ") for t in split]
    return cut if all(cut) and len(set(cut)) == len(cut) else names


def short_names(paths: list[str]) -> list[str]:
    """One unique, short name per path; falls back to longer forms (never to an ambiguous name)."""
    if not paths:
        return []
    if len(paths) == 1:
        return [Path(paths[0]).stem or Path(paths[0]).name]
    files = [Path(p).name for p in paths]
    if len(set(files)) == len(files):
        return _strip_common(files)
    whole = [os.path.normpath(p) for p in paths]
    if len(set(whole)) != len(whole):
        return list(paths)
    return _strip_common(whole)
