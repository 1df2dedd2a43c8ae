"""MQM scoring: system, document and segment scores from the corpus's span annotations."""
from pipelines.mqm.scoring import LEVELS, MQMScores, aggregate, score, select_annotations, unit_scores

__all__ = ["LEVELS", "MQMScores", "aggregate", "score", "select_annotations", "unit_scores"]
