# Two entry points on a fresh machine: `make demo` (the demo corpus end to end) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_DIR ?= demo-corpus

.PHONY: install system-deps demo test bench

# Debian's chromium drives the browser tests and the report check; installed only when missing.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: install Debian's chromium for the browser tests (they skip without it)"; fi; }

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch only as the local CPU build; a bare `torch` would pull a multi-GB CUDA build.
	$(PY) -m pip install -q torch==2.13.0 || echo "note: torch 2.13.0 CPU build unavailable; neural-model tests will skip"
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/calque demo $(DEMO_DIR) --force

test: install system-deps
	$(PY) -m pytest -q

bench: install
	$(PY) benchmarks/ingest_bench.py --pairs 1000000 --report benchmarks/ingest.md
