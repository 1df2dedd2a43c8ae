"""Annotation campaigns: build a plan (units, attention checks, balanced assignment), score quality,
adjudicate, export. The data lives in corpus.campaigns*; this package holds the verbs."""
