"""Learning a metric from human judgements: features of judged segments (`prepare`), heads fitted with settings
chosen on held-out sets (`fit_model`, `train`), and leave-one-set-out evaluation (`evaluation`). What it writes is
a model file that pipelines.fidelity.learned loads and scores with (numpy only)."""
from pipelines.metric_training.training import Settings, TrainedModel, fit_model, prepare, train

__all__ = ["Settings", "TrainedModel", "fit_model", "prepare", "train"]
