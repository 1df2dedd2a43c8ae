"""Human scores of any protocol (MQM, ESA, DA) from the corpus's annotations, per system, document or segment."""
from pipelines.human.scores import PROTOCOLS, HumanScores, score

__all__ = ["PROTOCOLS", "HumanScores", "score"]
