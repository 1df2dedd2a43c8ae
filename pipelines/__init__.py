"""Verbs over a Calque corpus: align, check, evaluate, benchmark, report, serve."""
