"""`calque serve`: the browser annotation UI and the JSON API underneath it."""
from pipelines.serve.app import create_app
from pipelines.serve.auth import AccessPolicy, TokenStore, tokens_required
from pipelines.serve.service import AnnotationService

__all__ = ["AccessPolicy", "AnnotationService", "TokenStore", "create_app", "tokens_required"]
