"""Reading XML that someone else wrote: the one parser of every XML importer (XLIFF, TMX, TBX, WMT …).

    root = parse_xml(path, "TBX")                                   # the whole tree
    for event, element in iter_xml(stream, "TMX", path=name):       # streamed: ("start" | "end", element)

Parsing goes through defusedxml: entity declarations and external references are refused (a DOCTYPE
too, with forbid_dtd). Elements may nest at most MAX_XML_DEPTH levels: deeper is refused while parsing,
before a reader's walk over the tree could exhaust the stack. Every failure is one InputError naming the
file (and the line, when the parser knows it).
"""
from __future__ import annotations

import zlib
from typing import IO, Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from corpus.errors import InputError

MAX_XML_DEPTH = 256  # real files nest a dozen levels; a recursive reader has room for ~900

# What reading a (possibly compressed) XML file can raise besides a parse error: an unknown or lying
# encoding declaration, bytes that do not decode, a corrupt gzip stream, a file that cannot be read.
UNREADABLE = (LookupError, UnicodeError, zlib.error, EOFError, OSError, ValueError)


def unreadable(error: BaseException) -> str:
    if isinstance(error, LookupError):
        return f"unknown encoding ({error})"
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def iter_xml(source: str | IO[bytes], what: str, path: str | None = None, forbid_dtd: bool = False) -> Iterator[tuple[str, Element]]:
    """("start" | "end", element) events of an XML file or binary stream, depth-bounded; `what` names the
    format and `path` the file in messages (default: source, when it is a path). Clear what you are done
    with to stream large files."""
    if isinstance(source, str):
        path = path or source
        try:
            stream = open(source, "rb")
        except OSError as error:
            raise InputError(f"cannot read file: {error.strerror}", path) from None
        with stream:
            yield from iter_xml(stream, what, path, forbid_dtd)
        return
    depth = 0
    try:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=forbid_dtd):
            if event == "start":
                depth += 1
                if depth > MAX_XML_DEPTH:
                    raise InputError(f"{what} nests elements deeper than {MAX_XML_DEPTH} levels "
                                     f"(at <{element.tag.rsplit('}', 1)[-1][:40]}>)", path)
            else:
                depth -= 1
            yield event, element
    except ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else None
        raise InputError(f"malformed {what}: {error}", path, line) from None
    except DefusedXmlException as error:
        raise InputError(f"refused unsafe XML: it declares a DTD, entities or external references ({type(error).__name__})",
                         path) from None
    except UNREADABLE as error:
        raise InputError(f"unreadable {what}: {unreadable(error)}", path) from None


def parse_xml(source: str | IO[bytes], what: str, path: str | None = None, forbid_dtd: bool = False) -> Element:
    """The root element of a whole XML file or stream, read by iter_xml."""
    root = None
    for event, element in iter_xml(source, what, path, forbid_dtd):
        if root is None:
            root = element
    if root is None:
        raise InputError(f"malformed {what}: no element found", path)
    return root
