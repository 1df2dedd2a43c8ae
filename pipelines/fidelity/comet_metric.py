"""`comet:PATH`: the COMET family (COMET-22, CometKiwi, xCOMET, …) through unbabel-comet, from a local
checkpoint only (`pip install 'calque-corpus[comet]'`; torch comes with it).

PATH is the checkpoint file as COMET stores a model, `MODEL/checkpoints/model.ckpt`, with `MODEL/hparams.yaml`
beside the checkpoints folder. hparams.yaml names the model class and so its inputs:

    regression_metric (COMET-22)             source, translation, reference (needed)
    referenceless_regression_metric          source, translation (reference-free)
    unified_metric (CometKiwi, UniTE)        its input_segments: [mt, src] is reference-free; with ref, a
                                             reference is used when given, and the model scores without one
    xcomet_metric (xCOMET)                   source, translation, and the reference when given

The model is loaded with `comet.load_from_checkpoint(PATH, reload_hparams=True, local_files_only=True)`:
weights from the checkpoint, the encoder's tokenizer and configuration from hparams.yaml's
`pretrained_model`, offline: a local folder (write its path there) or a name in the local Hugging Face cache.
Scores are the model's own (COMET-22 about 0–1, higher is better), the system score their mean; the signature
names the model folder, class, encoder and the sha256 of model.ckpt and hparams.yaml.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from corpus.errors import InputError
from pipelines.fidelity.model_files import existing, files_hash, go_offline, quiet, require_package
from pipelines.fidelity.registry import register_family
from pipelines.fidelity.segment_metrics import ScorerInfo, SegmentLevelMetric

PREFIX = "comet"
INSTALL = "'calque-corpus[comet]' (unbabel-comet)"
BATCH_SIZE = 8  # scores are computed shard by shard with this batch, the same wherever a shard runs
SEGMENTS = {  # class_identifier -> the input segments a model reads
    "regression_metric": ["src", "mt", "ref"],
    "referenceless_regression_metric": ["src", "mt"],
    "unified_metric": None,  # from hparams.yaml's input_segments
    "xcomet_metric": ["mt", "src", "ref"],
}
CHATTER = ("pytorch_lightning", "lightning", "lightning.pytorch", "lightning_fabric", "comet", "transformers")


def _hparams(checkpoint: Path, metric: str) -> dict:
    import yaml

    path = checkpoint.parents[1] / "hparams.yaml" if len(checkpoint.parents) > 1 else checkpoint.parent / "hparams.yaml"
    if not path.is_file():
        raise InputError(f"metric {metric}: no hparams.yaml two folders up from the checkpoint (COMET stores "
                         "MODEL/hparams.yaml beside MODEL/checkpoints/model.ckpt)", str(path))
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as problem:
        raise InputError(f"metric {metric}: unreadable hparams.yaml ({str(problem).splitlines()[0]})", str(path)) from None
    if not isinstance(data, dict) or "class_identifier" not in data:
        raise InputError(f"metric {metric}: hparams.yaml names no class_identifier", str(path))
    return {**data, "_path": path}


def _describe(argument: str) -> ScorerInfo:
    metric = f"{PREFIX}:{argument}"
    version = require_package("comet", "unbabel-comet", INSTALL, metric)
    checkpoint = existing(argument, "COMET checkpoint (MODEL/checkpoints/model.ckpt)", metric)
    hparams = _hparams(checkpoint, metric)
    kind = hparams["class_identifier"]
    if kind not in SEGMENTS:
        raise InputError(f"metric {metric}: a COMET {kind} gives no segment scores (known: {', '.join(SEGMENTS)})",
                         str(hparams["_path"]))
    segments = SEGMENTS[kind] or list(hparams.get("input_segments") or ["mt", "src", "ref"])
    _check_encoder_is_local(str(hparams.get("pretrained_model", "")), metric, hparams["_path"])
    encoder = str(hparams.get("pretrained_model", "?")).rstrip("/").split("/")[-1]
    sha256 = files_hash([checkpoint, hparams["_path"]])
    model = checkpoint.parents[1].name if len(checkpoint.parents) > 1 else checkpoint.stem
    return ScorerInfo(
        display="COMET", sha256=sha256,
        signature=f"comet|model:{model}|class:{kind}|enc:{encoder}|sha256:{sha256[:16]}|version:{version}",
        needs_reference=kind == "regression_metric", uses_reference="ref" in segments, needs_source="src" in segments,
    )


def _check_encoder_is_local(name: str, metric: str, hparams: Path) -> None:
    """The encoder's tokenizer and configuration (hparams.yaml's pretrained_model) must be on this machine:
    a folder, or a model in the local Hugging Face cache."""
    if name and Path(name).expanduser().is_dir():
        return
    cached = None
    if name:
        try:
            from huggingface_hub import try_to_load_from_cache

            cached = try_to_load_from_cache(name, "config.json")
        except Exception:  # an invalid repository name is simply not in the cache
            cached = None
    if not isinstance(cached, str):
        raise InputError(f"metric {metric}: the encoder {name!r} named in hparams.yaml (pretrained_model) is not on this "
                         "machine; put its tokenizer and config.json in a folder and write that folder there", str(hparams))


class CometScorer:
    """A loaded COMET model; `score` runs its `predict` on CPU."""

    def __init__(self, checkpoint: str):
        info = _describe(checkpoint)
        self.name, self.sha256, self.signature = info.display, info.sha256, info.signature
        self.needs_reference, self.uses_reference, self.needs_source = info.needs_reference, info.uses_reference, info.needs_source
        go_offline()
        from comet import load_from_checkpoint

        with quiet(*CHATTER):
            self.model = load_from_checkpoint(str(Path(checkpoint).expanduser()), reload_hparams=True, local_files_only=True)

    def score(self, sources, hypotheses, references, src_lang, tgt_lang) -> np.ndarray:
        samples = []
        for index, hypothesis in enumerate(hypotheses):
            sample = {"mt": hypothesis}
            if self.needs_source:
                sample["src"] = sources[index]
            if references is not None and self.uses_reference:
                sample["ref"] = references[index]
            samples.append(sample)
        with quiet(*CHATTER):
            output = self.model.predict(samples, batch_size=BATCH_SIZE, gpus=0, accelerator="cpu", progress_bar=False)
        return np.asarray(output.scores, dtype=float)


def load_comet(checkpoint: str) -> CometScorer:
    return CometScorer(checkpoint)


def comet_metric(checkpoint: str) -> SegmentLevelMetric:
    metric = SegmentLevelMetric(f"{PREFIX}:{checkpoint}", load_comet, checkpoint, describe=_describe,
                                description="COMET from a local checkpoint (unbabel-comet)")
    _ = metric.info  # a missing package, checkpoint or hparams.yaml is an error now, not on a worker
    return metric


register_family(PREFIX, comet_metric, "CHECKPOINT")
