"""The boundary: every record an importer reads and every API body is checked here before it reaches SQL.

Two layers, both turning every violation into one InputError naming the field and the problem:

* `check_value` walks any parsed JSON/XML value: nesting at most MAX_DEPTH, strings of valid Unicode
  scalar values without NUL, finite numbers within the range a database column can hold;
* pydantic models (strict types: no "3" for 3, no dict where a string belongs) give each record kind its
  fields, number ranges and choices. `parse(Model, data, path, line)` runs both.

`load_json` parses JSON text with the same limits (no NaN/Infinity, no runaway nesting or digits).
"""
from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, ValidationError, model_validator

from corpus.errors import InputError

MAX_DEPTH = 32
MAX_INT = 2**53  # exact in JSON, in SQLite, in every client's float
MAX_OFFSET = 2**31 - 1  # offsets, versions, counts: what an INTEGER column holds on SQLite and PostgreSQL alike
MAX_ID = 512


def _problem_in_string(value: str) -> str | None:
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"contains a lone surrogate (U+{ord(value[error.start]):04X}), not a Unicode character"
    return None


def _where(field: str) -> str:
    return f"field {field!r}" if field else "value"


def check_value(value: Any, field: str = "", depth: int = 0) -> None:
    """Raise ValueError naming the field when value is nested too deep or holds an unstorable string or number."""
    if depth > MAX_DEPTH:
        raise ValueError(f"{_where(field)}: nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        problem = _problem_in_string(value)
        if problem:
            raise ValueError(f"{_where(field)}: {problem}")
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if abs(value) > MAX_INT:
            raise ValueError(f"{_where(field)}: number out of range (|n| > 2^53)")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{_where(field)}: {value} is not a finite number")
        if abs(value) > 1e300:
            raise ValueError(f"{_where(field)}: number out of range")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{_where(field)}: keys must be strings")
            check_value(key, field, depth + 1)
            check_value(item, f"{field}.{key}" if field else key, depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            check_value(item, f"{field}[{index}]", depth + 1)


def _scalar_text(value: str) -> str:
    problem = _problem_in_string(value)
    if problem:
        raise ValueError(problem)
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Text = Annotated[str, Strict(), AfterValidator(_scalar_text)]
NonBlank = Annotated[str, Strict(), AfterValidator(_scalar_text), AfterValidator(_not_blank)]
Id = Annotated[str, Strict(), Field(max_length=MAX_ID), AfterValidator(_scalar_text), AfterValidator(_not_blank)]
Offset = Annotated[int, Strict(), Field(ge=0, le=MAX_OFFSET)]
Positive = Annotated[int, Strict(), Field(ge=1, le=MAX_OFFSET)]
Version = Positive  # a row version a caller last saw
Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e300, le=1e300)]
Scalar = Text | Annotated[int, Strict(), Field(ge=-MAX_INT, le=MAX_INT)] | None
Side = Literal["source", "target"]


class Record(BaseModel):
    """A record read from a file: unknown keys are ignored (the formats grow), known ones are checked."""

    model_config = ConfigDict(extra="ignore", strict=True, allow_inf_nan=False)


class Body(BaseModel):
    """An API request body: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


Model = TypeVar("Model", bound=BaseModel)


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error["loc"] if not str(part).startswith("function-"))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown field"
    elif error["type"] == "missing":
        message = "missing"
    return f"field {where!r}: {message}" if where else message


def _most_specific(errors: list[dict]) -> dict:
    """Of a union's alternatives, the one that got furthest (an object's field, not "not a string")."""
    first = errors[0]["loc"][:1]
    return max((e for e in errors if e["loc"][:1] == first), key=lambda e: len([p for p in e["loc"] if not str(p).startswith("function-")]))


def parse(model: type[Model], data: Any, path: str | None = None, line: int | None = None) -> Model:
    """data checked against model (and check_value); InputError naming file, line, field and problem."""
    try:
        check_value(data)
        return model.model_validate(data)
    except ValidationError as error:
        raise InputError(_describe(_most_specific(error.errors())), path, line) from None
    except ValueError as error:
        raise InputError(str(error), path, line) from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def load_json(text: str | bytes, path: str | None = None, line: int | None = None) -> Any:
    """JSON text parsed strictly (no NaN/Infinity, bounded nesting and digits), then checked by check_value."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        where = f" at line {error.lineno} column {error.colno}" if line is None else f" at column {error.colno}"
        raise InputError(f"malformed JSON: {error.msg}{where}", path, line) from None
    except RecursionError:
        raise InputError("malformed JSON: nested too deep", path, line) from None
    except (ValueError, UnicodeDecodeError) as error:  # NaN, Infinity, a number of thousands of digits, bad bytes
        raise InputError(f"malformed JSON: {error}", path, line) from None
    try:
        check_value(value)
    except ValueError as error:
        raise InputError(str(error), path, line) from None
    return value


# -- the records of Calque's own JSONL (corpus.formats.jsonl) ---------------------------------------------
class SegmentSpec(Record):
    start: Offset
    end: Offset
    paragraph: Offset = 0
    text: Text | None = None

    @model_validator(mode="after")
    def _ordered(self):
        # An empty segment is kept (a blank line of a parallel file: indexes must stay aligned); a backwards one is not.
        if self.end < self.start:
            raise ValueError(f"segment offsets {self.start}-{self.end} are backwards")
        return self


def _non_overlapping(segments: list[SegmentSpec] | None) -> list[SegmentSpec] | None:
    for previous, current in zip(segments or [], (segments or [])[1:]):
        if current.start < previous.end:
            raise ValueError(f"segment {current.start}-{current.end} overlaps or precedes {previous.start}-{previous.end}")
    return segments


Segments = Annotated[list[SegmentSpec] | None, AfterValidator(_non_overlapping)]


class TextSpec(Record):
    text: NonBlank
    segments: Segments = None


class TranslationRecord(Record):
    id: Id | None = None
    lang: NonBlank
    producer: Literal["mt", "human", "post-edit"] = "mt"
    text: NonBlank
    segments: Segments = None
    system: Text | None = None
    system_version: Scalar = None
    date: Scalar = None
    license: Text | None = None
    provenance: Text | None = None
    metadata: dict[str, Any] | None = None
    created_at: Text | None = None


class DocumentRecord(Record):
    id: Id
    lang: NonBlank
    title: Text | None = None
    domain: Text | None = None
    url: Text | None = None
    publisher: Text | None = None
    date: Scalar = None
    license: Text | None = None
    provenance: Text | None = None
    metadata: dict[str, Any] | None = None
    source: NonBlank | TextSpec | None = None
    translations: list[TranslationRecord] | None = None
    created_at: Text | None = None


class ParallelDocument(Record):
    """The names of a line-aligned document (corpus.formats.parallel); its lines are checked by the reader."""

    id: Id
    producer: Literal["mt", "human", "post-edit"]
    system: Text | None = None
    license: Text | None = None


class PairRecord(Record):
    """One line pair of a parallel document ({"type": "pair"}); pairs with the same `document` form one."""

    document: Id | None = None
    src_lang: NonBlank
    tgt_lang: NonBlank
    source: Text
    target: Text
    producer: Literal["mt", "human", "post-edit"] = "human"
    system: Text | None = None


class AnnotationRecord(Record):
    id: Id | None = None
    translation: Id | None = None
    document: Id | None = None
    side: Side | None = None
    segment: Offset | None = None
    start: Offset | None = None
    end: Offset | None = None
    text: Text | None = None
    occurrence: Positive = 1
    category: NonBlank
    severity: NonBlank
    artifact_type: Text | None = None
    annotator: Text | None = None
    origin: Text | None = None
    status: Literal["open", "confirmed", "rejected", "resolved"] | None = None
    comment: Text | None = None
    correction: Text | None = None
    segment_hash: Annotated[str, Strict(), Field(pattern=r"^[0-9a-f]{40}$")] | None = None
    created_at: Text | None = None
    updated_at: Text | None = None
    version: Positive | None = None

    @model_validator(mode="after")
    def _consistent(self):
        if self.translation is None and self.document is None:
            raise ValueError("an annotation needs 'translation' (target side) or 'document' (source side)")
        if self.segment_hash is not None and self.text is None:
            raise ValueError("an annotation with 'segment_hash' needs the 'text' it quotes")
        if self.segment is not None and (self.start is None or self.end is None):
            raise ValueError("an annotation with 'segment' needs integer 'start' and 'end'")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"span {self.start}-{self.end} is backwards")
        return self


class ConceptRecord(Record):
    id: Id | None = None
    src_lang: NonBlank
    tgt_lang: NonBlank
    source_term: NonBlank
    approved: NonBlank | list[NonBlank]
    variants: NonBlank | list[NonBlank] | None = None
    forbidden: NonBlank | list[NonBlank] | None = None
    domain: Text | None = None
    note: Text | None = None


class ArtifactRecord(Record):
    id: Id | None = None
    artifact_type: NonBlank
    source_cue: Text | None = None
    target_form: NonBlank
    src_lang: NonBlank
    tgt_lang: NonBlank
    note: Text | None = None
    examples: list[Any] | None = None


class AlignmentRecord(Record):
    id: Id | None = None
    translation: Id
    source: list[Offset] = []
    target: list[Offset] = []
    status: Literal["auto", "confirmed"] = "auto"
    method: Text | None = None
    score: Number | None = None
    actor: Text | None = None
    created_at: Text | None = None


class ResultRecord(Record):
    id: Id | None = None
    kind: NonBlank
    created_at: NonBlank
    data_hash: NonBlank
    signature: NonBlank
    tool_version: NonBlank
    payload: dict[str, Any] | list[Any]


# -- API bodies (pipelines.serve) ---------------------------------------------------------------------
class AnnotationCreate(Body):
    translation: Id
    side: Side = "target"
    segment: Offset
    start: Offset
    end: Offset
    text: Text | None = None
    category: NonBlank
    severity: NonBlank
    comment: Text | None = None
    correction: Text | None = None
    artifact_type: Text | None = None


class AnnotationChange(Body):
    version: Version
    category: NonBlank | None = None
    severity: NonBlank | None = None
    comment: Text | None = None
    correction: Text | None = None


class AnnotationUpdate(Body):
    """The fields of a stored annotation that may change (Corpus.update_annotation)."""

    category: NonBlank | None = None
    severity: NonBlank | None = None
    artifact_type: Text | None = None
    comment: Text | None = None
    correction: Text | None = None
    status: Literal["open", "confirmed", "rejected", "resolved"] | None = None


class Review(Body):
    version: Version


def parse_version(value: Any, what: str = "annotation") -> int:
    """The version a caller last saw: an integer in a JSON body, or digits in a query string; InputError
    unless it is a positive integer that the database can compare (1 to 2^31-1)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 11:
        value = int(value)
    if type(value) is not int or not 1 <= value <= MAX_OFFSET:
        raise InputError(f"field 'version': the {what} version you last saw is required (a positive integer)")
    return value


# -- campaign API bodies (pipelines.campaign.service) ---------------------------------------------------
class CampaignSpan(Body):
    """POST /api/campaign-slots/{slot}/spans; the unit's texts, protocol and typology are checked later."""

    item: Offset = 0
    side: Side | None = None
    start: Offset
    end: Offset
    severity: NonBlank
    category: Text | None = None
    comment: Text | None = None


class CampaignSpanChange(Body):
    """PATCH /api/campaign-spans/{span}."""

    version: Version
    category: Text | None = None
    severity: NonBlank | None = None
    comment: Text | None = None


class SuggestionDecision(Body):
    decision: Literal["accepted", "dismissed"]


class Submission(Body):
    score: Number | None = None


class GoldSpan(Body):
    """The fields of a gold span a reviewer sets in a decision (the rest come from the first span)."""

    item: Offset | None = None
    side: Side | None = None
    start: Offset | None = None
    end: Offset | None = None
    category: Text | None = None
    severity: NonBlank | None = None


class GoldDecision(Body):
    """POST /api/campaign-units/{unit}/decisions."""

    decision: Literal["accept", "merge", "dismiss"]
    spans: Annotated[list[Id], Field(min_length=1, max_length=1000)]
    span: GoldSpan | None = None
