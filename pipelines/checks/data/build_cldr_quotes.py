"""Writes cldr_quotes.json: CLDR quotation delimiters (primary and alternate) per locale, read from ICU's copy
of the CLDR (Babel does not carry CLDR's delimiters). Run once when CLDR changes; the checks read the JSON only.

    pip install --target /tmp/icu pyicu-wheels
    PYTHONPATH=/tmp/icu python pipelines/checks/data/build_cldr_quotes.py
"""
from __future__ import annotations

import json
from pathlib import Path

import icu


def main() -> None:
    kind = icu.ULocaleDataDelimiterType
    table = {}
    for name in sorted(icu.Locale.getAvailableLocales()):
        locale = icu.Locale(name)
        if locale.getCountry() or locale.getVariant():
            continue  # language and language_Script only
        data = icu.LocaleData(name)
        marks = [data.getDelimiter(k) for k in (kind.QUOTATION_START, kind.QUOTATION_END,
                                                 kind.ALT_QUOTATION_START, kind.ALT_QUOTATION_END)]
        table[name.replace("_", "-")] = {"quote": marks[0] + marks[1], "alternate": marks[2] + marks[3]}
    out = Path(__file__).with_name("cldr_quotes.json")
    payload = {"source": f"CLDR via ICU {icu.ICU_VERSION} (PyICU {icu.VERSION})", "locales": table}
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=0, sort_keys=True) + "\n", "utf-8")
    print(f"{out}: {len(table)} locales")


if __name__ == "__main__":
    main()
