"""The shipped model files: they reproduce their stored scores, explain themselves, score each segment on its
own, and a missing or broken file is a one-line error naming it."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from corpus.errors import InputError
from pipelines.fidelity.learned import load_model, read_model
from pipelines.fidelity.learned.model import MODELS_DIR, SHIPPED
from tests.conftest import REPO, TEST_DATA

sys.path.insert(0, str(REPO / "scripts"))
from learned_metric_fixture import read_fixture, score_fixture  # noqa: E402

EXPECTED = json.loads((TEST_DATA / "learned" / "shipped_scores.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["learned", "learned-qe"])
def test_the_shipped_model_reproduces_its_stored_scores(name):
    model = load_model(name)
    expected = EXPECTED[name]
    assert model.sha256 == expected["sha256"], "the shipped model changed: run python scripts/learned_metric_fixture.py"
    scores = score_fixture(model, read_fixture())
    np.testing.assert_allclose(scores, expected["scores"], rtol=0, atol=1e-6)


def test_shipped_files_are_small_and_explain_themselves():
    for name, file in SHIPPED.items():
        path = MODELS_DIR / file
        assert path.stat().st_size <= 20 * 2**20
        model = load_model(name)
        assert model.name == path.stem and model.metric == name
        training = model.header["training"]
        assert training["command"] == "python scripts/train_learned_metric.py" and training["seed"] == 0
        assert [s["name"] for s in training["sets"]] == ["ted-en-de", "newstest2021-en-de", "wmt24-en-cs", "wmt24-en-zh"]
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", s["data_hash"]) for s in training["sets"])
        assert set(model.heads) == {"encoder", "general"}
        for head in model.heads.values():
            assert set(head.features) <= set(model.header["features"])
    assert re.fullmatch(r"learned\|model:calque-learned-1\|sha256:[0-9a-f]{12}\|heads:encoder\+general\|"
                        r"encoder:use-multilingual-v3\+sha256=[0-9a-f]{12}\|version:\S+", load_model("learned").signature)
    assert load_model("learned-qe").signature.startswith("learned-qe|model:calque-learned-qe-1|sha256:")


def test_a_pair_outside_the_encoder_gets_the_general_head_and_real_scores():
    model = load_model("learned")
    assert model.head_for("en", "de").name == "encoder"
    assert model.head_for("en", "cs").name == "general"
    rows = [r for r in read_fixture() if r["langs"] == "en-cs"]
    scores = model.score([r["source"] for r in rows], [r["translation"] for r in rows], [r["reference"] for r in rows],
                         "en", "cs")
    good, short, copied = scores
    assert good > short and good > copied


def test_scores_are_per_segment_whatever_the_batch():
    rows = [r for r in read_fixture() if r["langs"] == "en-de"]
    model = load_model("learned")
    args = ([r["source"] for r in rows], [r["translation"] for r in rows], [r["reference"] for r in rows])
    batch = model.score(*args, "en", "de")
    alone = [model.score([s], [h], [r], "en", "de")[0] for s, h, r in zip(*args)]
    assert np.array_equal(batch, alone)
    assert np.all((batch >= 0) & (batch <= 100))
    assert np.argmin(batch) == 4  # the empty translation


def test_scores_are_the_same_in_another_process():
    code = ("import json, sys; sys.path.insert(0, 'scripts'); from learned_metric_fixture import read_fixture, score_fixture;"
            "from pipelines.fidelity.learned import load_model;"
            "print(json.dumps([score_fixture(load_model(n), read_fixture()) for n in ('learned', 'learned-qe')]))")
    runs = [subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONPATH": str(REPO)}).stdout for _ in range(2)]
    assert runs[0] == runs[1]
    assert json.loads(runs[0]) == [score_fixture(load_model(n), read_fixture()) for n in ("learned", "learned-qe")]


def test_references_are_needed_by_learned_and_ignored_by_learned_qe():
    with pytest.raises(InputError, match="needs references"):
        load_model("learned").score(["a b c"], ["x y z"], None, "en", "de")
    qe = load_model("learned-qe")
    assert not qe.needs_reference
    assert qe.score(["The museum opens."], ["Das Museum öffnet."], ["anything"], "en", "de") == \
        qe.score(["The museum opens."], ["Das Museum öffnet."], None, "en", "de")


def _rezip(source: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            data = change(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
    return out.getvalue()


def test_missing_and_corrupt_files_are_one_line_errors_naming_them(tmp_path):
    shipped = (MODELS_DIR / SHIPPED["learned"]).read_bytes()
    cases = {
        "missing.npz": (None, "model file not found"),
        "noise.npz": (b"\x00garbage" * 10, "not an .npz archive"),
        "no-header.npz": (_rezip(shipped, lambda n, d: None if n == "header.json" else d), "missing"),
        "old-format.npz": (_rezip(shipped, lambda n, d: d.replace(b"calque-learned-metric/1", b"calque-learned-metric/0")
                                  if n == "header.json" else d), "format 'calque-learned-metric/0'"),
        "cut.npz": (shipped[: len(shipped) // 2], "not a Calque learned-metric model file"),
        "nan.npz": (_rezip(shipped, lambda n, d: _nan_array(d) if n.endswith("linear_weights.npy") else d), "non-finite"),
    }
    for file, (content, message) in cases.items():
        path = tmp_path / file
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(InputError) as error:
            load_model(str(path))
        text = str(error.value)
        assert text.startswith(f"{path}: ") and message in text and "\n" not in text, text
    with pytest.raises(InputError, match="is a directory"):
        read_model(tmp_path)


def _nan_array(data: bytes) -> bytes:
    array = np.lib.format.read_array(io.BytesIO(data))
    array.flat[0] = np.nan
    out = io.BytesIO()
    np.lib.format.write_array(out, array)
    return out.getvalue()
