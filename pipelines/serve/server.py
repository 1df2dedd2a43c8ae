"""Running the annotation server: check the binding policy, then hand the app to uvicorn."""
from __future__ import annotations

import gc
from typing import Callable

import uvicorn

from corpus import Corpus
from pipelines.serve.app import create_app
from pipelines.serve.auth import AccessPolicy, TokenStore

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(corpus_dir: str, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, annotator: str | None = None,
          echo: Callable[[str], None] = print) -> None:
    """Serve the corpus until interrupted; refuses a non-loopback address unless annotator tokens exist."""
    corpus = Corpus.open(corpus_dir)
    try:
        policy = AccessPolicy.for_binding(host, TokenStore(corpus.path), annotator or corpus.actor)
        app = create_app(corpus, policy)
        shown = f"[{host}]" if ":" in host else host
        who = "annotator tokens required" if policy.require_tokens else f"annotating as {policy.local_annotator}"
        echo(f"Calque annotation UI on http://{shown}:{port}/ ({who}; Ctrl+C stops)")
        # What start-up made lives as long as the server: out of the cycle collector's sight, each collection walks
        # only what requests make (fewer, shorter pauses on every request).
        gc.freeze()
        try:
            # No proxy headers: a client must not choose the address it appears to come from.
            uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False, proxy_headers=False)
        finally:
            app.service.close()
    finally:
        corpus.close()
