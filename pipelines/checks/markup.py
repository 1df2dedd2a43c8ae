"""Placeholders, tags, entities and brackets lost, altered or left over: {x}, %s, <b>, &amp;, [enter].

With a source, each kind of token is compared as a multiset. Without one, only what plain translated text
never holds is reported: escaped entities, editorial markers like "[enter]", unbalanced tags and brackets.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter

from pipelines.checks.base import ALL_LANGUAGES, Check, Document, register
from pipelines.checks.text import function_words

TOKENS = {
    "placeholder": re.compile(
        r"\{\{\s*[\w.:-]+\s*\}\}|\{\s*[\w.:-]*\s*\}|\$\{\w+\}|%\(\w+\)[sdif]|%(?:\d+\$)?[-+#0]*\d*(?:\.\d+)?[sdifuxXeEgc@](?![\w])"
    ),
    "tag": re.compile(r"</?[A-Za-z][\w:-]*(?:\s+[\w:-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>"),
    "entity": re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});"),
    "marker": re.compile(r"\[[a-z][a-z _-]{0,20}\]"),
}
# Editorial brackets that are legitimate in any text.
EDITORIAL = {"[sic]", "[...]", "[…]"}
BRACKETS = {"(": ")", "[": "]", "{": "}"}
ENUMERATOR = re.compile(r"(?:^|\s)\w{1,2}$")  # "a)", "1)" open list items without a partner


def tokens(text: str) -> dict[str, list[re.Match]]:
    found: dict[str, list[re.Match]] = {}
    for kind, pattern in TOKENS.items():
        found[kind] = [m for m in pattern.finditer(text) if m.group() not in EDITORIAL]
    return found


def unbalanced_brackets(text: str) -> list[int]:
    """Positions of brackets without a partner."""
    stack: list[tuple[str, int]] = []
    stray: list[int] = []
    closers = {v: k for k, v in BRACKETS.items()}
    for position, char in enumerate(text):
        if char in BRACKETS:
            stack.append((char, position))
        elif char in closers:
            if char == ")" and not stack and ENUMERATOR.search(text[max(0, position - 3) : position]):
                continue
            if stack and stack[-1][0] == closers[char]:
                stack.pop()
            else:
                stray.append(position)
    return sorted(stray + [position for _, position in stack])


def unbalanced_tags(matches: list[re.Match]) -> list[re.Match]:
    open_tags: list[tuple[str, re.Match]] = []
    stray = []
    for match in matches:
        tag = match.group()
        if tag.endswith("/>"):
            continue
        name = re.match(r"</?([A-Za-z][\w:-]*)", tag).group(1).lower()
        if name in ("br", "hr", "img", "input", "meta", "link", "wbr"):
            continue
        if tag.startswith("</"):
            if open_tags and open_tags[-1][0] == name:
                open_tags.pop()
            else:
                stray.append(match)
        else:
            open_tags.append((name, match))
    return stray + [m for _, m in open_tags]


@register
class Markup(Check):
    name = "markup"
    type = "markup"
    description = "placeholders, tags, entities and brackets lost, altered or left over"
    rules = {"all": ALL_LANGUAGES}
    severity = "Minor"

    def run(self, document: Document):
        for index, target in enumerate(document.target):
            source = document.source[index] if document.source is not None else None
            if source is None:
                yield from self._target_only(document, index, target)
            else:
                yield from self._against_source(document, index, source, target)

    def _target_only(self, document: Document, index: int, target: str):
        found = tokens(target)
        for match in found["entity"]:
            yield document.finding(self, index, match.start(), match.end(), f"escaped entity {match.group()!r} left in the text")
        for match in found["marker"]:
            if match.group()[1:-1] in function_words(document.tgt_lang):
                continue  # an editorial insertion in a quotation: "[ihm]"
            yield document.finding(self, index, match.start(), match.end(), f"editorial or markup leftover {match.group()!r}")
        for match in unbalanced_tags(found["tag"]):
            yield document.finding(self, index, match.start(), match.end(), f"tag {match.group()!r} has no partner")
        yield from self._brackets(document, index, target, None)

    def _against_source(self, document: Document, index: int, source: str, target: str):
        source_tokens, target_tokens = tokens(source), tokens(target)
        lost: list[str] = []
        for kind in TOKENS:
            expected = Counter(m.group() for m in source_tokens[kind])
            extra = []
            for match in target_tokens[kind]:
                if expected[match.group()] > 0:
                    expected[match.group()] -= 1
                else:
                    extra.append(match)
            missing = list(expected.elements())
            for match in extra:
                if missing:
                    was = max(missing, key=lambda m: difflib.SequenceMatcher(None, m.lower(), match.group().lower()).ratio())
                    missing.remove(was)
                    message = f"{kind} {was!r} of the source became {match.group()!r}"
                else:
                    message = f"{kind} {match.group()!r} is not in the source"
                yield document.finding(self, index, match.start(), match.end(), message)
            lost += [f"{kind} {token!r}" for token in missing]
        if lost:
            start = len(target) - len(target.lstrip())
            yield document.finding(self, index, start, len(target.rstrip()), "lost from the source: " + ", ".join(lost))
        yield from self._brackets(document, index, target, source)

    def _brackets(self, document: Document, index: int, target: str, source: str | None):
        if source is not None and unbalanced_brackets(source):
            return  # the source is unbalanced too (a bracket spanning segments)
        for position in unbalanced_brackets(target):
            yield document.finding(self, index, position, position + 1, f"bracket {target[position]!r} has no partner")
