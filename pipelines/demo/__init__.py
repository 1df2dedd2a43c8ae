"""`calque demo`: build the shipped demo corpus and run every pipeline step over it (run.py); its last step
publishes and verifies the demo's first release (release_step.py)."""
from pipelines.demo.run import DEMO_STEPS, demo_corpus_file, import_demo_corpus, run_demo, summarise

__all__ = ["DEMO_STEPS", "demo_corpus_file", "import_demo_corpus", "run_demo", "summarise"]
