"""Calque's nouns: the corpus schema, its store, import/export formats, versioning, releases and annotation campaigns."""
from corpus.errors import CalqueError, ConflictError, CorpusError, InputError, NotFoundError


def __getattr__(name: str):
    # The store pulls in SQLAlchemy and pandas, the version importlib.metadata: both load on first use,
    # so `calque --help` and other light imports of corpus.* stay fast.
    if name == "Corpus":
        from corpus.store import Corpus

        return Corpus
    if name == "__version__":
        from corpus.version import calque_version

        globals()["__version__"] = calque_version()
        return globals()["__version__"]
    raise AttributeError(f"module 'corpus' has no attribute {name!r}")

__all__ = ["Corpus", "CalqueError", "ConflictError", "CorpusError", "InputError", "NotFoundError", "__version__"]
