"""Calque's nouns: the corpus schema, its store, import/export formats, versioning and releases."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("calque-corpus")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

from corpus.errors import CalqueError, ConflictError, CorpusError, InputError, NotFoundError  # noqa: E402
from corpus.store import Corpus  # noqa: E402

__all__ = ["Corpus", "CalqueError", "ConflictError", "CorpusError", "InputError", "NotFoundError", "__version__"]
