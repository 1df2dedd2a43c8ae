"""Writing systems: the script of a character and of a language, and which scripts have letter case.

A language's scripts come from CLDR's likely subtags via langcodes ("ru" → Cyrl, "ja" → Jpan = Hani + Hira +
Kana, "zh" → Hans = Hani); a character's script from its Unicode name. Casing rules (a sentence starts with a
capital) hold only for cased scripts."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Scripts whose letters come in upper and lower case (Unicode: Latin, Greek, Cyrillic, Armenian, Georgian
# Mtavruli, Coptic, Glagolitic, Deseret, Adlam, Cherokee, Osage, Warang Citi, Medefaidrin, Garay).
CASED = frozenset("Latn Grek Cyrl Armn Copt Glag Dsrt Adlm Cher Osge Wara Medf".split())
# Compound script codes and the scripts they combine.
COMBINED = {"Jpan": {"Hani", "Hira", "Kana"}, "Kore": {"Hang", "Hani"}, "Hans": {"Hani"}, "Hant": {"Hani"},
            "Hanb": {"Hani", "Bopo"}}
NAME_PREFIXES = {
    "LATIN": "Latn", "CYRILLIC": "Cyrl", "GREEK": "Grek", "ARMENIAN": "Armn", "GEORGIAN": "Geor", "HEBREW": "Hebr",
    "ARABIC": "Arab", "SYRIAC": "Syrc", "THAANA": "Thaa", "DEVANAGARI": "Deva", "BENGALI": "Beng", "GURMUKHI": "Guru",
    "GUJARATI": "Gujr", "ORIYA": "Orya", "TAMIL": "Taml", "TELUGU": "Telu", "KANNADA": "Knda", "MALAYALAM": "Mlym",
    "SINHALA": "Sinh", "THAI": "Thai", "LAO": "Laoo", "TIBETAN": "Tibt", "MYANMAR": "Mymr", "KHMER": "Khmr",
    "ETHIOPIC": "Ethi", "HANGUL": "Hang", "HIRAGANA": "Hira", "KATAKANA": "Kana", "CJK": "Hani", "BOPOMOFO": "Bopo",
    "MONGOLIAN": "Mong", "CHEROKEE": "Cher", "TIFINAGH": "Tfng", "NKO": "Nkoo", "ADLAM": "Adlm",
}
UNSPACED = frozenset({"Hani", "Hira", "Kana", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"})


@lru_cache(maxsize=65536)
def char_script(char: str) -> str | None:
    """ISO 15924 code of a letter's script ("Latn", "Cyrl", "Hani"…), None for non-letters."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith("FULLWIDTH LATIN") or name.startswith("HALFWIDTH"):
        return "Latn" if "LATIN" in name else "Kana"
    first = name.split(" ", 1)[0]
    return NAME_PREFIXES.get(first)


@lru_cache(maxsize=None)
def language_scripts(lang: str) -> frozenset[str]:
    """The scripts a language is written in by default (likely subtags), expanded ("ja" → Hani, Hira, Kana)."""
    import langcodes

    code = lang.replace("_", "-")
    try:
        script = langcodes.Language.get(code).maximize().script
    except (ValueError, LookupError):
        return frozenset()
    if not script:
        return frozenset()
    return frozenset(COMBINED.get(script, {script}))


def is_cased(lang: str) -> bool:
    """Whether the language's script has letter case (casing rules apply)."""
    return bool(language_scripts(lang) & CASED)


def is_unspaced(lang: str) -> bool:
    """Whether the language writes words without spaces between them (Chinese, Japanese, Thai…)."""
    scripts = language_scripts(lang)
    return bool(scripts) and scripts <= UNSPACED


def script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for char in text:
        script = char_script(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    return counts

