"""Train the shipped learned metrics from the four dev sets in ../shared/data, reproducibly.

    python scripts/train_learned_metric.py            # writes pipelines/fidelity/learned/models/*.npz
    python scripts/train_learned_metric.py --check    # trains again and compares with the shipped files

Both models (`learned`, with a reference, and `learned-qe`, without) are trained on all four sets listed in
scripts/learned_metric_sets.json with seed 0. The files are written byte for byte reproducibly: the same data,
code and libraries give the same bytes (--check says so, or reports the largest difference in any array when
a different BLAS or scipy rounds the optimiser's last digits differently).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SETS = REPO / "scripts" / "learned_metric_sets.json"
MODELS = REPO / "pipelines" / "fidelity" / "learned" / "models"
SEED = 0
COMMAND = "python scripts/train_learned_metric.py"
TARGETS = {"calque-learned-1": True, "calque-learned-qe-1": False}  # model name -> needs a reference


def train_all(sets_path: Path, seed: int, log=print) -> dict[str, bytes]:
    from pipelines.bench.judged_sets import load_sets
    from pipelines.fidelity.learned.model import model_bytes
    from pipelines.metric_training.training import all_features, fit_model, prepare

    started = time.perf_counter()
    datasets = load_sets(sets_path)
    log(f"loaded {len(datasets)} sets in {time.perf_counter() - started:.0f} s")
    names = list(dict.fromkeys(all_features(True) + all_features(False)))
    prepared = []
    for dataset in datasets:
        prepared.append(prepare(dataset, names))
        log(f"features of {dataset.name}: {int(np.sum(~np.isnan(prepared[-1].target)))} rated segments "
            f"({time.perf_counter() - started:.0f} s)")
    out = {}
    for name, reference in TARGETS.items():
        trained = fit_model(prepared, reference=reference, name=name, seed=seed, command=COMMAND)
        out[name] = model_bytes(trained.header, trained.heads)
        chosen = trained.header["training"]["chosen"]
        log(f"{name}: {len(out[name]):,} bytes, sha256 {hashlib.sha256(out[name]).hexdigest()[:12]}, settings {chosen}")
    return out


def largest_difference(a: bytes, b: bytes) -> str:
    """How two model files differ: the header, or the largest absolute difference in any array."""
    with zipfile.ZipFile(io.BytesIO(a)) as first, zipfile.ZipFile(io.BytesIO(b)) as second:
        if sorted(first.namelist()) != sorted(second.namelist()):
            return "different members"
        if first.read("header.json") != second.read("header.json"):
            return "different headers"
        worst = 0.0
        for member in first.namelist():
            if member.endswith(".npy"):
                x = np.lib.format.read_array(io.BytesIO(first.read(member)))
                y = np.lib.format.read_array(io.BytesIO(second.read(member)))
                if x.shape != y.shape:
                    return f"{member}: shapes differ"
                if x.size:
                    worst = max(worst, float(np.max(np.abs(x - y))))
        return f"arrays differ by at most {worst:.3g}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=Path, default=SETS, help="the sets file (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=MODELS, help="where to write the models (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="compare with the files in --out instead of writing")
    args = parser.parse_args()
    trained = train_all(args.sets, SEED)
    if args.check:
        same = True
        for name, data in trained.items():
            shipped = (args.out / f"{name}.npz").read_bytes()
            if shipped == data:
                print(f"{name}: identical to the shipped file, byte for byte")
            else:
                same = False
                print(f"{name}: differs from the shipped file ({largest_difference(shipped, data)})")
        return 0 if same else 1
    from pipelines.fidelity.learned.model import read_model

    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in trained.items():
        path = args.out / f"{name}.npz"
        tmp = path.with_suffix(".npz.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        print(f"wrote {path} ({read_model(path).signature})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
