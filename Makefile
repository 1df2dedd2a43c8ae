# Two entry points on a fresh machine: `make demo` (the demo corpus end to end) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_DIR ?= demo-corpus

POSTGRES_URL ?= postgresql+psycopg://calque:calque@localhost/postgres

.PHONY: install system-deps services demo test bench bench-serve bench-distributed

# Debian's chromium drives the browser tests and the report check; PostgreSQL runs the store tests a
# second time on a server. Installed only when missing, and only when we are root.
system-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pg_ctlcluster >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "note: install$$missing from Debian for the browser and PostgreSQL tests (they skip without them)"; fi; fi

# Starts the local PostgreSQL cluster and a role that may create throw-away test databases.
services: system-deps
	@if command -v pg_lsclusters >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  pg_lsclusters -h | while read version cluster rest; do pg_ctlcluster "$$version" "$$cluster" start 2>/dev/null || true; done; \
	  runuser -u postgres -- psql -qtc "SELECT 1 FROM pg_roles WHERE rolname='calque'" | grep -q 1 || \
	    runuser -u postgres -- psql -qc "CREATE ROLE calque LOGIN PASSWORD 'calque' CREATEDB"; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch only as the local CPU build; a bare `torch` would pull a multi-GB CUDA build.
	$(PY) -m pip install -q torch==2.13.0 || echo "note: torch 2.13.0 CPU build unavailable; neural-model tests will skip"
	$(PY) -m pip install -q -e '.[dev,cjk]'
	touch $@

install: $(VENV)/.installed

# unbabel-comet 2.2.7 pins numpy<2, transformers<5 and huggingface-hub<1, which the main environment has outgrown:
# the COMET adapter's tests run in a side environment that puts COMET, transformers 4.57 and the lightning stack
# in front of the main environment's packages (a .pth line at the end of its path). Only where torch is installed.
COMET_VENV ?= .venv-comet
COMET_PACKAGES = unbabel-comet==2.2.7 transformers==4.57.6 huggingface-hub==0.36.2 tokenizers==0.22.2 \
	pytorch-lightning==2.6.6 lightning-utilities==0.15.3 torchmetrics==0.10.3 jsonargparse==3.13.1 entmax==1.3 \
	protobuf==4.25.9 requests==2.34.2 urllib3==2.8.0 charset-normalizer==3.5.3 'setuptools<81'
$(COMET_VENV)/.installed: $(VENV)/.installed
	@if $(PY) -c "import torch" 2>/dev/null; then \
	  $(PYTHON) -m venv $(COMET_VENV) && \
	  $(COMET_VENV)/bin/python -m pip install -q --no-deps $(COMET_PACKAGES) && \
	  $(PY) -c "import sysconfig; print(sysconfig.get_paths()['purelib'])" > \
	    "$$($(COMET_VENV)/bin/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")/zz_calque_main.pth" && \
	  $(COMET_VENV)/bin/python -c "import comet"; \
	else echo "note: no torch in $(VENV); the COMET tests will skip"; fi
	touch $@

demo: install
	$(VENV)/bin/calque demo $(DEMO_DIR) --force

test: install $(COMET_VENV)/.installed services
	@if $(PY) -c "import sqlalchemy as s; s.create_engine('$(POSTGRES_URL)').connect().close()" 2>/dev/null; then \
	  export CALQUE_TEST_POSTGRES_URL='$(POSTGRES_URL)'; else echo "note: no PostgreSQL server; its tests will skip"; fi; \
	$(PY) -m pytest -q -m "not comet" && \
	if [ -x $(COMET_VENV)/bin/python ]; then $(COMET_VENV)/bin/python -m pytest -q -m comet; fi

# `calque import parallel` beside its floor (the same rows by plain sqlite3 executemany; figures in benchmarks/ingest.md).
bench: install
	$(PY) benchmarks/ingest_bench.py --pairs 200000 1000000 --runs 3 --report benchmarks/ingest.md

# The annotation server under load on SQLite and on the local PostgreSQL (figures in benchmarks/serve.md).
bench-serve: install services
	$(PY) benchmarks/serve_bench.py --clients 16 --saves 500 --runs 3 --postgres '$(POSTGRES_URL)' --report benchmarks/serve.md

# In process vs a local Dask cluster of 1 and 2 workers (figures in benchmarks/distributed.md); SEGMENTS=20000 to scale down (as measured).
SEGMENTS ?= 200000
bench-distributed: install
	$(PY) benchmarks/distributed_bench.py --systems 8 --segments $(SEGMENTS) --report benchmarks/distributed.md
