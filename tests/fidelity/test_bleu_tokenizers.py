"""BLEU tokenised as `sacrebleu -l SRC-TGT` does for the target language (zh, ja-mecab, ko-mecab, else 13a),
in every place a BLEU is computed, overridable with --tokenize, named in signatures and shard keys."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sacrebleu.metrics import BLEU

from corpus import Corpus
from corpus.errors import InputError
from pipelines.cli import main
from pipelines.execution import InProcessExecutor, ShardStore
from pipelines.fidelity import ScoringContext, score_corpus
from pipelines.fidelity.bleu_tokenizers import bleu_tokenizer
from pipelines.fidelity.textfile import read_segments

LANGS = {"zh": "tok:zh", "ja": "tok:ja-mecab-", "ko": "tok:ko-mecab-"}


@pytest.fixture
def cjk(test_data):
    return test_data / "fidelity" / "cjk"


def texts(cjk, lang):
    return read_segments(cjk / f"hyp.{lang}"), read_segments(cjk / f"ref.{lang}")


class Counting(InProcessExecutor):
    shards = 0

    def map(self, function, shards, label=None):
        self.shards += len(shards)
        return super().map(function, shards, label)


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_bleu_equals_sacrebleu_with_the_target_language(cjk, lang):
    hyps, refs = texts(cjk, lang)
    ours = score_corpus(hyps, [refs], ["bleu"], context=ScoringContext("en", lang))["bleu"]
    theirs = BLEU(trg_lang=lang)
    expected = theirs.corpus_score(hyps, [refs])
    assert ours.score == expected.score
    assert ours.signature == theirs.get_signature().format() and LANGS[lang] in ours.signature
    # the generic tokeniser sees these scripts as a few long words: another figure entirely
    assert score_corpus(hyps, [refs], ["bleu"])["bleu"].score != ours.score


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_calque_eval_equals_the_sacrebleu_command(cjk, lang):
    command = subprocess.run([sys.executable, "-m", "sacrebleu", str(cjk / f"ref.{lang}"), "-i", str(cjk / f"hyp.{lang}"),
                              "-l", f"en-{lang}", "-m", "bleu", "-w", "4", "--format", "json"],
                             capture_output=True, text=True, timeout=300)
    assert command.returncode == 0, command.stderr
    theirs = json.loads(command.stdout)
    result = CliRunner().invoke(main, ["eval", "-r", str(cjk / f"ref.{lang}"), "-t", str(cjk / f"hyp.{lang}"),
                                       "--langs", f"en-{lang}", "--metrics", "bleu", "--json"])
    assert result.exit_code == 0, result.output
    (ours,) = json.loads(result.stdout)["results"]
    assert round(ours["score"], 4) == theirs["score"]
    assert f"tok:{theirs['tok']}" in ours["signature"]


def test_tokenize_overrides_the_language_default(cjk):
    hyps, refs = texts(cjk, "ko")
    ours = score_corpus(hyps, [refs], ["bleu"], context=ScoringContext("en", "ko", tokenize="13a"))["bleu"]
    assert ours.score == BLEU(tokenize="13a").corpus_score(hyps, [refs]).score and "tok:13a" in ours.signature
    result = CliRunner().invoke(main, ["eval", "-r", str(cjk / "ref.zh"), "-t", str(cjk / "hyp.zh"), "--langs", "en-zh",
                                       "--tokenize", "char", "--metrics", "bleu", "--json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["results"]
    hyps, refs = texts(cjk, "zh")
    assert row["score"] == BLEU(tokenize="char").corpus_score(hyps, [refs]).score and "tok:char" in row["signature"]


def test_language_tags_are_read_by_their_primary_subtag():
    assert bleu_tokenizer("zh-Hant") == bleu_tokenizer("ZH") == bleu_tokenizer("zh_CN") == "zh"
    assert bleu_tokenizer("de") == bleu_tokenizer(None) == "13a" and bleu_tokenizer("ja") == "ja-mecab"
    with pytest.raises(InputError, match="unknown BLEU tokeniser 'moses'; sacrebleu knows: none, zh, 13a"):
        bleu_tokenizer("de", "moses")


def test_a_missing_mecab_is_a_one_line_error_naming_the_package(cjk, monkeypatch):
    monkeypatch.setitem(sys.modules, "MeCab", None)  # import MeCab now raises ImportError
    with pytest.raises(InputError, match=r"BLEU tokeniser ja-mecab needs the Python module MeCab: pip install 'sacrebleu\[ja\]'"):
        bleu_tokenizer("ja")
    result = CliRunner().invoke(main, ["eval", "-r", str(cjk / "ref.ja"), "-t", str(cjk / "hyp.ja"), "--langs", "en-ja"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "pip install 'sacrebleu[ja]'" in result.stderr
    # chrF needs no tokeniser, so it still works without MeCab
    assert CliRunner().invoke(main, ["eval", "-r", str(cjk / "ref.ja"), "-t", str(cjk / "hyp.ja"), "--langs", "en-ja",
                                     "-m", "chrf"]).exit_code == 0


def test_resumed_shards_are_never_mixed_across_tokenisers(cjk, tmp_path):
    hyps, refs = texts(cjk, "zh")
    store = ShardStore(tmp_path / "shards")
    first = Counting(progress=False)
    zh = score_corpus(hyps, [refs], ["bleu"], context=ScoringContext("en", "zh"), executor=first, shards=store)["bleu"]
    assert first.shards == 1 and len(store.keys()) == 1
    again = Counting(progress=False)
    score_corpus(hyps, [refs], ["bleu"], context=ScoringContext("en", "zh"), executor=again, shards=store, resume=True)
    assert again.shards == 0  # the same tokeniser reads its shard back
    other = Counting(progress=False)
    generic = score_corpus(hyps, [refs], ["bleu"], context=ScoringContext("en", "zh", tokenize="13a"), executor=other,
                           shards=store, resume=True)["bleu"]
    assert other.shards == 1 and len(store.keys()) == 2  # another tokeniser: another key, computed afresh
    assert generic.score == BLEU(tokenize="13a").corpus_score(hyps, [refs]).score != zh.score


def wmt_layout(folder, cjk, lang):
    """The fixture as a WMT-layout test set with two systems."""
    for sub in ("sources", "references", "system-outputs"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "sources" / f"t.en-{lang}.src.en").write_bytes((cjk / "src.en").read_bytes())
    (folder / "references" / f"t.en-{lang}.ref.A.{lang}").write_bytes((cjk / f"ref.{lang}").read_bytes())
    (folder / "system-outputs" / f"t.en-{lang}.hyp.loose.{lang}").write_bytes((cjk / f"hyp.{lang}").read_bytes())
    lines = read_segments(cjk / f"hyp.{lang}")
    (folder / "system-outputs" / f"t.en-{lang}.hyp.half.{lang}").write_text(
        "\n".join(line[: len(line) // 2] for line in lines) + "\n", "utf-8")
    return folder


def test_bench_and_meta_eval_tokenise_for_the_test_set_language(cjk, tmp_path):
    from pipelines.bench import BenchConfig, load_wmt_testset, run_bench
    from pipelines.metaeval import from_score_file, meta_evaluate

    folder = wmt_layout(tmp_path / "set", cjk, "ja")
    testset = load_wmt_testset(folder, "en-ja")
    result = run_bench(testset, BenchConfig(metrics=["bleu"], checks=False, n_bootstrap=50, test="ar"))
    expected = BLEU(trg_lang="ja")
    refs = [testset.references["A"]]
    for row in result["systems"]:
        assert row["scores"]["bleu"]["score"] == expected.corpus_score(testset.systems[row["system"]], refs).score
    assert "tok:ja-mecab-" in result["metric_info"]["bleu"]["signature"]
    assert result["significance"]["bleu"]["test"] == "ar" and len(result["significance"]["bleu"]["pairs"]) == 1
    scores = tmp_path / "human.tsv"
    scores.write_text("system\tseg_id\tscore\n" + "".join(f"{s}\t{i}\t{v}\n" for s, v in (("loose", 1.0), ("half", 9.0))
                                                         for i in range(1, 9)), "utf-8")
    report = meta_evaluate(from_score_file(scores, testset, "A"), ["bleu"])
    assert report.rows[0].system_scores == {s: expected.corpus_score(testset.systems[s], refs).score for s in ("half", "loose")}
    assert "tok:ja-mecab-" in report.rows[0].signature
    with_13a = meta_evaluate(from_score_file(scores, testset, "A"), ["bleu"], tokenize="13a")
    assert "tok:13a" in with_13a.rows[0].signature


def test_corpus_mode_tokenises_for_the_translation_language(cjk, tmp_path):
    from pipelines.fidelity.corpus_eval import collect_system_units, evaluate_corpus

    record = {"type": "document", "id": "notices", "lang": "en", "title": "Notices", "source": (cjk / "src.en").read_text("utf-8"),
              "translations": [{"id": "notices.zh.human", "lang": "zh", "producer": "human", "text": (cjk / "ref.zh").read_text("utf-8")},
                               {"id": "notices.zh.mt", "lang": "zh", "producer": "mt", "system": "loose",
                                "text": (cjk / "hyp.zh").read_text("utf-8")}]}
    (tmp_path / "c.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    with Corpus.init(tmp_path / "c") as corpus:
        corpus.import_jsonl(str(tmp_path / "c.jsonl"), progress=False)
        (units,) = collect_system_units(corpus).values()
        assert (units.src_lang, units.tgt_lang) == ("en", "zh")
        (row,) = evaluate_corpus(corpus, ["bleu"], store=False)
        assert row["score"] == BLEU(trg_lang="zh").corpus_score(units.hyps, [units.refs]).score
        assert "tok:zh" in row["signature"]


def test_wmt24_en_zh_equals_sacrebleu(shared_data):
    from pipelines.bench import load_wmt_testset

    folder = shared_data / "esa" / "wmt24_enzh"
    if not folder.is_dir():
        pytest.skip("../shared/data/esa/wmt24_enzh is not present")
    testset = load_wmt_testset(folder, "en-zh")
    refs = [testset.references["A"]]
    scored = score_corpus(testset.systems[sorted(testset.systems)[0]], refs, ["bleu"],
                          context=ScoringContext("en", "zh"))["bleu"]
    theirs = BLEU(trg_lang="zh")
    assert scored.score == theirs.corpus_score(testset.systems[sorted(testset.systems)[0]], refs).score
    assert scored.signature == theirs.get_signature().format()
    from pipelines.fidelity import score_many

    everyone = score_many(testset.systems, refs, ["bleu"], context=ScoringContext("en", "zh"))
    for system, hyps in testset.systems.items():
        assert everyone[system]["bleu"].score == BLEU(trg_lang="zh").corpus_score(hyps, refs).score, system
