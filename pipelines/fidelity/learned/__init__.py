"""Calque's own learned metric: `learned` (source, translation, reference) and `learned-qe` (no reference),
segment scores 0–100 from language-general features and, where the bundled encoder covers the languages,
sentence-embedding similarities. Numpy only at inference; the model files ship in `models/`.

    from pipelines.fidelity.learned import load_model
    model = load_model("learned")            # or "learned-qe", or the path of a file `calque metric train` wrote
    scores = model.score(sources, hypotheses, references, "en", "de")   # numpy array, 0–100
    model.signature                           # learned|model:calque-learned-1|sha256:…|…

Training (`train`, `fit_model`) and leave-one-set-out evaluation are in pipelines.metric_training.
"""
from pipelines.fidelity.learned.features import FEATURES, feature_names
from pipelines.fidelity.learned.model import SHIPPED, Head, LearnedModel, load_model, read_model, save_model

__all__ = ["FEATURES", "SHIPPED", "Head", "LearnedModel", "feature_names", "load_model", "read_model", "save_model"]
