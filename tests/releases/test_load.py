from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from corpus.releases import ReleaseError


def test_load_gives_a_dataset_dict_keyed_by_table(released):
    loaded = released.load("1.0.0")
    stats = released.corpus.stats()
    assert set(loaded) == {"documents", "translations", "segments", "alignments", "annotations", "artifacts", "glossary", "results"}
    assert loaded["segments"].num_rows == stats["segments"] and loaded["annotations"].num_rows == stats["annotations"]
    link = next(row for row in loaded["alignments"] if row["id"] == "news-1.de.human|1,2|1")
    assert link["source_idx"] == [1, 2] and link["target_idx"] == [1]
    concept = loaded["glossary"][0]
    assert concept["approved"] == ["Aufsichtsbehörde"] and concept["forbidden"] == ["CCTV-Wachhund"]
    assert json.loads(loaded["documents"][0]["metadata"]) == {"section": "tech", "words": 22}


def test_an_empty_table_loads_as_an_empty_dataset_with_its_features(small_corpus):
    from corpus.releases import Releases

    small_corpus.delete_annotation(small_corpus.annotations().id.iloc[0])
    releases = Releases(small_corpus)
    with small_corpus.transaction("clear results") as tx:
        tx.delete("results", "result-1")
    releases.create("1.0.0")
    loaded = releases.load("1.0.0", tables=["results", "annotations"])
    assert loaded["results"].num_rows == 0 and "payload" in loaded["results"].features
    assert loaded["annotations"].num_rows == 2


def test_load_refuses_a_tampered_release(released):
    path = released.root / "1.0.0" / "data" / "segments.parquet"
    path.write_bytes(path.read_bytes()[:-1] + b"\0")
    with pytest.raises(ReleaseError, match="segments.parquet: changed"):
        released.load("1.0.0")


def test_datasets_loads_the_release_in_a_fresh_offline_process(released, tmp_path):
    script = (
        "import json, sys, datasets\n"
        "datasets.disable_progress_bars()\n"
        "dd = datasets.load_dataset(sys.argv[1], 'annotations')\n"
        "links = datasets.load_dataset('parquet', data_files=sys.argv[1] + '/data/alignments.parquet', split='train')\n"
        "print(json.dumps({'splits': list(dd), 'rows': dd['train'].num_rows, 'links': links.num_rows}))\n"
    )
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"),
           "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    done = subprocess.run([sys.executable, "-c", script, str(released.root / "1.0.0")], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"splits": ["train"], "rows": 3, "links": 5}
    assert released.verify("1.0.0")["ok"], "loading must not write into the release"
