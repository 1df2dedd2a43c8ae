"""The issue's acceptance chain, through the command line:

calque demo (publishes 1.0.0) → verify passes → one changed byte in a Parquet file fails verify, naming
the file → one more annotation → release 1.1.0 → diff 1.0.0 1.1.0 shows exactly that annotation added →
`datasets` loads 1.1.0 in a fresh Python process without network.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from corpus import Corpus
from pipelines.cli import main

LOAD_SCRIPT = """
import json, sys
import datasets
datasets.disable_progress_bars()
release = sys.argv[1]
annotations = datasets.load_dataset("parquet", data_files={"train": release + "/data/annotations.parquet"}, split="train")
segments = datasets.load_dataset(release, "segments", split="train")
print(json.dumps({"annotations": annotations.num_rows, "segments": segments.num_rows, "ids": list(annotations["id"]),
                  "licenses": sorted(map(str, set(segments["license"])))}))
"""


def calque(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.slow
def test_demo_release_verify_tamper_annotate_release_diff_and_load(tmp_path):
    directory = str(tmp_path / "demo")
    result = calque("demo", directory)
    assert result.exit_code == 0, result.output
    assert "published release 1.0.0" in result.output

    result = calque("--corpus", directory, "release", "verify", "1.0.0")
    assert result.exit_code == 0, result.output

    parquet = tmp_path / "demo" / "releases" / "1.0.0" / "data" / "annotations.parquet"
    original = parquet.read_bytes()
    tampered = bytearray(original)
    tampered[len(tampered) // 3] ^= 0xFF
    parquet.write_bytes(bytes(tampered))
    result = calque("--corpus", directory, "release", "verify", "1.0.0")
    assert result.exit_code == 1
    assert "data/annotations.parquet: changed" in result.output
    parquet.write_bytes(original)
    assert calque("--corpus", directory, "release", "verify", "1.0.0").exit_code == 0

    corpus = Corpus.open(directory, actor="reviewer")
    target = corpus.segments(translation_id="harbour-bridge.de.mt").iloc[0]
    [added] = corpus.add_annotations([{"translation": "harbour-bridge.de.mt", "segment": int(target.idx), "start": 0, "end": 3,
                                       "category": "Fluency/Grammar", "severity": "Minor", "comment": "acceptance test"}])
    corpus.close()

    result = calque("--corpus", directory, "release", "create", "1.1.0", "--notes", "one more annotation", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["previous"] == "1.0.0"

    result = calque("--corpus", directory, "release", "diff", "1.0.0", "1.1.0", "--json")
    assert result.exit_code == 0, result.output
    diff = json.loads(result.output)
    assert diff["summary"] == {"added": 1, "removed": 0, "changed": 0}
    assert diff["tables"]["annotations"]["added"] == [added]
    assert all(t["counts"]["added"] == t["counts"]["removed"] == t["counts"]["changed"] == 0
               for name, t in diff["tables"].items() if name != "annotations")

    release = str(tmp_path / "demo" / "releases" / "1.1.0")
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_DATASETS_CACHE": str(tmp_path / "hf-cache"),
           "HF_HOME": str(tmp_path / "hf-home"), "NO_PROXY": "*", "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    loaded = subprocess.run([sys.executable, "-c", LOAD_SCRIPT, release], capture_output=True, text=True, env=env, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    data = json.loads(loaded.stdout.strip().splitlines()[-1])
    stats = Corpus.open(directory).stats()
    assert data["annotations"] == stats["annotations"] and added in data["ids"]
    assert data["segments"] == stats["segments"] and "None" not in data["licenses"]
    assert calque("--corpus", directory, "release", "verify", "1.1.0", "--content").exit_code == 0
