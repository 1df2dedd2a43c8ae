"""Which offline lemmatiser to use for Russian and Ukrainian term matching: simplemma or pymorphy3.

Term matching needs every inflected form of a term word to reduce to the same lemma as its dictionary
form. For the most frequent nouns and adjectives of each language (wordfreq's list, independent of any
term data), every case/number form of the word is generated from the OpenCorpora (ru) / VESUM (uk)
paradigm, and each lemmatiser is scored on how many forms it maps to the same lemma as the citation form:
by its likeliest lemma, and ("any analysis", the rule term matching uses) by any of its lemmas.
Caveat: the paradigms come from the dictionary pymorphy3 itself uses, so pymorphy3 can only lose on
ambiguous forms (its top parse picks another word); the figure for simplemma is its paradigm coverage.
No Russian or Ukrainian term data is used (the WMT25 en-ru outputs are unseen and not here).

    python benchmarks/lemmatiser_bench.py --words 2000 --report benchmarks/lemmatisers.md
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

LANGS = ("ru", "uk")
POS = {"NOUN", "ADJF"}


def paradigm_consistency(lang: str, words: int) -> dict:
    import pymorphy3
    import wordfreq

    from pipelines.terminology.lemmatisers import FACTORIES

    analyzer = pymorphy3.MorphAnalyzer(lang=lang)
    lemmatisers = {name: factory(lang) for name, factory in FACTORIES.items()}
    lemmatisers = {name: lemmatiser for name, lemmatiser in lemmatisers.items() if lemmatiser is not None}
    scores = {name: [0, 0, 0] for name in lemmatisers}
    seen_lemmas, used = set(), 0
    for word in wordfreq.top_n_list(lang, words * 5):
        if used >= words:
            break
        parse = analyzer.parse(word)[0]
        if parse.tag.POS not in POS or not parse.is_known or parse.normal_form in seen_lemmas:
            continue
        seen_lemmas.add(parse.normal_form)
        used += 1
        forms = {form.word for form in parse.lexeme if form.tag.POS == parse.tag.POS}
        for name, lemmatiser in lemmatisers.items():
            citation = lemmatiser(parse.normal_form).lower()
            citations = {lemma.lower() for lemma in lemmatiser.lemmas(parse.normal_form)}
            for form in forms:
                scores[name][0] += lemmatiser(form).lower() == citation
                scores[name][1] += 1
                scores[name][2] += bool(citations & {lemma.lower() for lemma in lemmatiser.lemmas(form)})
    return {"words": used, "forms": next(iter(scores.values()))[1],
            **{lemmatisers[name].name: ok / total for name, (ok, total, _) in scores.items()},
            **{f"{lemmatisers[name].name}, any analysis": ok / total for name, (_, total, ok) in scores.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    rows = []
    for lang in LANGS:
        started = time.perf_counter()
        result = paradigm_consistency(lang, args.words)
        result["seconds"] = time.perf_counter() - started
        rows.append((lang, result))
        print(lang, result, flush=True)
    names = [key for key in rows[0][1] if key not in ("words", "forms", "seconds")]
    lines = ["# Lemmatisers for Russian and Ukrainian term matching", "",
             f"`python benchmarks/lemmatiser_bench.py --words {args.words}`: share of generated case/number forms of the",
             "most frequent nouns and adjectives that each lemmatiser maps to the lemma of the citation form (by its",
             "likeliest lemma, and by any of its lemmas, as term matching counts them).", "",
             "| language | words | forms | " + " | ".join(names) + " |", "|---|---:|---:|" + "---:|" * len(names)]
    for lang, result in rows:
        lines.append(f"| {lang} | {result['words']} | {result['forms']} | "
                     + " | ".join(f"{result[name]:.1%}" for name in names) + " |")
    lines += ["", __doc__.split("\n\n")[1].replace("\n", " "), ""]
    if args.report:
        args.report.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
