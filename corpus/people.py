"""Names of people: the annotators, reviewers and owners that tokens, campaigns and the journal name.

One rule for every place a name enters: 1-64 letters, digits, spaces or . @ + - _, starting with a letter,
digit or underscore. A name passes it where it enters (a campaign's --annotators, a token), so nothing
accepted in one place is refused later in another.
"""
from __future__ import annotations

import re

from corpus.errors import InputError

PERSON_NAME = re.compile(r"^[\w][\w .@+-]{0,63}$")


def check_person_name(name, role: str = "annotator") -> str:
    """The name itself, or InputError naming the role it was given for."""
    if not isinstance(name, str) or not PERSON_NAME.fullmatch(name):
        raise InputError(f"{role} name {name!r} must be 1-64 letters, digits, spaces or . @ + - _ (starting with a letter, digit or _)")
    return name
