"""`learned` and `learned-qe`: Calque's own learned metric (pipelines.fidelity.learned), shipped in the package,
and `learned:FILE` for a model file `calque metric train` wrote. Segment scores 0–100, system score their mean."""
from __future__ import annotations

from pipelines.fidelity.learned.model import load_model
from pipelines.fidelity.registry import register_family, register_metric
from pipelines.fidelity.segment_metrics import SegmentLevelMetric

register_metric(SegmentLevelMetric("learned", load_model, "learned",
                                   description="Calque's learned metric (source, translation, reference), 0–100"))
register_metric(SegmentLevelMetric("learned-qe", load_model, "learned-qe",
                                   description="Calque's learned metric without a reference (source, translation), 0–100"))
register_family("learned", lambda path: SegmentLevelMetric(f"learned:{path}", load_model, path,
                                                           description=f"a learned metric from the model file {path}"),
                "FILE")
