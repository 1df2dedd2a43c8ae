"""Scores, segment scores, worker invariance, bootstrap CIs and signatures against sacrebleu itself."""
from __future__ import annotations

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from corpus.errors import InputError
from pipelines.execution import InProcessExecutor
from pipelines.fidelity import available_metrics, parse_metric_list, score_corpus, score_segments
from pipelines.fidelity.textfile import read_segments


class CountingExecutor(InProcessExecutor):
    shards = 0

    def map(self, function, shards, label=None):
        self.shards += len(shards)
        return super().map(function, shards, label)


@pytest.fixture
def data(test_data):
    folder = test_data / "fidelity"
    return read_segments(folder / "ref.de"), read_segments(folder / "good.de"), read_segments(folder / "poor.de")


def test_registry_names():
    assert available_metrics() == ["bleu", "chrf", "chrf++", "ter", "embed-sim", "learned", "learned-qe", "embed-sim:FOLDER",
                                   "comet:CHECKPOINT", "metricx:FOLDER", "learned:FILE"]
    assert parse_metric_list("BLEU, chrf++,bleu") == ["bleu", "chrf++"]
    with pytest.raises(InputError, match="unknown metric 'meteor'"):
        parse_metric_list("bleu,meteor")


def test_corpus_scores_equal_sacrebleu(data):
    ref, good, poor = data
    results = score_corpus(good, [ref, poor], ["bleu", "chrf", "chrf++", "ter"])
    for name, metric in [("bleu", BLEU()), ("chrf", CHRF()), ("chrf++", CHRF(word_order=2)), ("ter", TER())]:
        expected = metric.corpus_score(good, [ref, poor])
        assert results[name].score == expected.score
        assert results[name].signature == metric.get_signature().format()
    assert results["chrf++"].name == "chrF2++"
    assert results["ter"].higher_is_better is False


def test_segment_scores_equal_sentence_scores(data):
    ref, good, _ = data
    scores = score_segments(good, [ref], ["bleu", "chrf", "ter"])
    bleu, chrf, ter = BLEU(effective_order=True), CHRF(), TER()
    assert scores["bleu"] == [bleu.sentence_score(h, [r]).score for h, r in zip(good, ref)]
    assert scores["chrf"] == [chrf.sentence_score(h, [r]).score for h, r in zip(good, ref)]
    assert scores["ter"] == [ter.sentence_score(h, [r]).score for h, r in zip(good, ref)]
    assert scores["bleu"][0] == pytest.approx(100.0)


def test_a_local_dask_cluster_gives_identical_results(data, tmp_path):
    from pipelines.execution import ShardStore, executor_for

    ref, good, poor = data
    copies = 1200 // len(good)  # above the minimum shard size of 500 segments
    hyps, refs = good * copies, [ref * copies, poor * copies]
    one = score_corpus(hyps, refs, ["bleu", "chrf", "ter"], segments=True)
    with executor_for(workers=2, progress=False) as executor:
        two = score_corpus(hyps, refs, ["bleu", "chrf", "ter"], segments=True, executor=executor,
                           shards=ShardStore(tmp_path))
    assert len(list(tmp_path.glob("*.parquet"))) > 1  # really split into shards, each written once
    # the resumed run reads every shard back instead of computing it
    counting = CountingExecutor()
    resumed = score_corpus(hyps, refs, ["bleu", "chrf", "ter"], segments=True, executor=counting,
                           shards=ShardStore(tmp_path), resume=True)
    assert counting.shards == 0
    for name in one:
        assert resumed[name].score == one[name].score and resumed[name].segments == one[name].segments
        assert one[name].score == two[name].score
        assert one[name].segments == two[name].segments
        assert one[name].signature == two[name].signature


def test_bootstrap_ci_equals_sacrebleu(data):
    ref, good, poor = data
    hyps, refs = (good + poor) * 10, [(ref + ref) * 10]
    ours = score_corpus(hyps, refs, ["bleu", "chrf"], n_bootstrap=200)
    for name, metric in [("bleu", BLEU()), ("chrf", CHRF())]:
        theirs = metric.corpus_score(hyps, refs, n_bootstrap=200)
        assert ours[name].ci.mean == pytest.approx(theirs._mean, abs=1e-9)
        assert ours[name].ci.halfwidth == pytest.approx(theirs._ci, abs=1e-9)
        assert ours[name].signature == metric.get_signature().format()
        assert "bs:200|seed:12345" in ours[name].signature


def test_data_hash_follows_content(data):
    ref, good, poor = data
    base = score_corpus(good, [ref], ["chrf"])["chrf"]
    assert score_corpus(good, [ref], ["chrf"])["chrf"].data_hash == base.data_hash
    assert score_corpus(poor, [ref], ["chrf"])["chrf"].data_hash != base.data_hash
    assert score_corpus(good, [ref, ref], ["chrf"])["chrf"].data_hash != base.data_hash
    assert base.calque_signature.startswith(base.signature + "|data:")


def test_mismatched_or_empty_streams_are_input_errors(data):
    ref, good, _ = data
    with pytest.raises(InputError, match="reference 1 has 4 segments but the hypotheses have 5"):
        score_corpus(good, [ref[:4]], ["bleu"])
    with pytest.raises(InputError, match="no hypothesis segments"):
        score_corpus([], [[]], ["bleu"])
