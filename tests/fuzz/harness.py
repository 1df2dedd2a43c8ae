"""Mutation fuzzing of every importer and every API route, shared by tests/fuzz and benchmarks/fuzz.py.

Seeds are Calque's own exports of the demo corpus (plus a small TMX, TBX, text, parallel file and three
glossaries); each case mutates one seed with a random.Random, aware of its format: a JSON value at any
depth swapped for one of another type (a list or object or number or null where a string belongs…) or for
a hostile one (deep nesting, huge or non-finite numbers, lone surrogates, NUL), also inside a CSV
column that holds JSON; a CSV or TSV cell replaced; in XML, elements nested hundreds to thousands deep,
an attribute given a hostile value, an element where text belongs; or bytes inserted, deleted, truncated
or re-encoded. Routes get bodies with wrong types at every depth and integers past what a database
column holds (2^31, 2^53, 2^63). An outcome is "accepted", "refused" (a CalqueError, or a 4xx) or "crash"
(anything else, or a refusal that changed the store).
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import random
import re
import shutil
import traceback
from xml.sax.saxutils import quoteattr
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from corpus import Corpus
from corpus.errors import CalqueError
from tests.corpus.helpers import store_fingerprint

PLACEHOLDER = "@@HOSTILE@@"
RAW_HOSTILE = [
    "[" * 3000 + "]" * 3000, '{"a":' * 3000 + "1" + "}" * 3000, "9" * 5000, "1e400", "-1e400", "Infinity", "NaN",
    '"\\ud800"', '"\\udfff x"', '"a\\u0000b"', "-1", "0", "1e20", "2147483648", "true", "null", "[]", "{}", '"abc"',
    '""', '" "', '{"text": 1}', '[1, "x", null]', "3.5", '"Fluency"', '"bogus"', '"Accuracy/Mistranslation"',
    '"\\u202e\\u0000"', '"' + "x" * 70000 + '"',
]
BYTE_SNIPPETS = [
    b"\x00", b"\xff\xfe", b"\xed\xa0\x80", b"\xc3", b"<", b"&bogus;", b"<a>" * 3000, b"]]>", b'"', b",", b"\t", b"\n",
    b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>", b"\r\n\r\n", b"nan", b"inf", b"1000", b"-5",
    b"9" * 400, b"\xef\xbb\xbf", '"\ud800"'.encode("utf-8", "surrogatepass"),
]
XML_DECLARATIONS = [b'<?xml version="1.0" encoding="bogus-8"?>', b'<?xml version="1.0" encoding="UTF-16"?>',
                    b'<?xml version="1.0" encoding="ebcdic-cp-us"?>', b'<?xml version="2.0"?>']


# -- mutations ----------------------------------------------------------------------------------------
def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:6]):
            found += _paths(item, (*prefix, index))
    return found


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replace(value[head], tuple(rest), new)
    return copy


def _other_type(value: Any, rng: random.Random) -> Any:
    """A value of another JSON type than `value`, built from it where that makes it more plausible."""
    if isinstance(value, str):
        choices = [[value], {"text": value}, [[value]], [{"value": value}], 7, -1, 1.5, None, True]
    elif isinstance(value, bool) or value is None:
        choices = ["true", [value], {"value": value}, 1, ""]
    elif isinstance(value, (int, float)):
        choices = [str(value), [value], {"value": value}, None, True, 2**31, 2**53, 2**63]
    elif isinstance(value, list):
        choices = [{"0": value[0] if value else 1}, ",".join(map(str, value)), 0, None, [value], [None], [[]], [{}]]
    else:
        choices = [[value], list(value.values()), "x", 0, None, {key: [item] for key, item in value.items()}]
    return rng.choice(choices)


def confuse_json(value: Any, rng: random.Random) -> Any:
    """value with the node at a random path (any depth) replaced by a value of another type."""
    path = rng.choice(_paths(value))
    holder = value
    for part in path:
        holder = holder[part]
    return _replace(value, path, _other_type(holder, rng))


def mutate_json(value: Any, rng: random.Random) -> str:
    """value with one node (any depth) replaced by one of another type, by a hostile raw JSON token, or
    deleted; serialised."""
    if rng.random() < 0.5:
        return json.dumps(confuse_json(value, rng), ensure_ascii=rng.random() < 0.5)
    paths = _paths(value)
    path = rng.choice(paths)
    if path and rng.random() < 0.2 and isinstance(path[-1], str):
        holder = value
        for part in path[:-1]:
            holder = holder[part]
        trimmed = {k: v for k, v in holder.items() if k != path[-1]}
        return json.dumps(_replace(value, path[:-1], trimmed), ensure_ascii=rng.random() < 0.5)
    raw = rng.choice(RAW_HOSTILE)
    text = json.dumps(_replace(value, path, PLACEHOLDER), ensure_ascii=rng.random() < 0.5)
    return text.replace(json.dumps(PLACEHOLDER), raw, 1)


def mutate_bytes(data: bytes, rng: random.Random, xml: bool = False) -> bytes:
    choice = rng.randrange(7 if xml else 6)
    position = rng.randrange(len(data) + 1)
    if choice == 0:
        return data[:position] + rng.choice(BYTE_SNIPPETS) + data[position:]
    if choice == 1:
        return data[:position] + data[position + rng.randrange(1, 200):]
    if choice == 2:
        return data[:position]
    if choice == 3:
        lines = data.split(b"\n")
        index = rng.randrange(len(lines))
        lines.insert(index, lines[index])
        return b"\n".join(lines)
    if choice == 4:
        return data.decode("utf-8", "replace").encode(rng.choice(["utf-16-le", "utf-16", "latin-1", "utf-32"]), "replace")
    if choice == 5:
        digits = [i for i, b in enumerate(data) if 0x30 <= b <= 0x39]
        if not digits:
            return data
        at = rng.choice(digits)
        return data[:at] + rng.choice([b"-1", b"99999999999999999999", b"1e400", b"nan", b"x", b""]) + data[at + 1:]
    declaration_end = data.find(b"?>")
    body = data[declaration_end + 2:] if data.startswith(b"<?xml") and declaration_end > 0 else data
    return rng.choice(XML_DECLARATIONS) + body


CELL_HOSTILE = ["", " ", "-1", "0", "1e400", "nan", "inf", "99999999999999999999", "2147483648", "abc", "x" * 3000, "[]", "{}",
                "null", '[{"start_i": [1]}]', '{"a": 1}', "<v>", "</v>", "<v>x</v>", "No-error", "Major", "TGT", "\u0661\u0662",
                "\u00a0", "Accuracy/Mistranslation", "forbidden", "bogus"]


def mutate_table(data: bytes, rng: random.Random, delimiter: str, json_column: int | None = None) -> bytes:
    """One cell of a CSV (quoted) or TSV (delimiter tab, no quoting) file replaced; where a column holds JSON
    (Appraise's error spans) that JSON gets a mutate_json mutation instead, half the time."""
    text = data.decode("utf-8")
    if delimiter == "\t":
        rows = [line.split("\t") for line in text.split("\n")]
    else:
        rows = list(csv.reader(io.StringIO(text)))
    filled = [i for i, row in enumerate(rows) if row]
    row = rows[rng.choice(filled)]
    column = rng.randrange(len(row))
    if json_column is not None and json_column < len(row) and rng.random() < 0.5:
        try:
            row[json_column] = mutate_json(json.loads(row[json_column]), rng)
        except ValueError:
            row[json_column] = rng.choice(CELL_HOSTILE)
    else:
        row[column] = rng.choice(CELL_HOSTILE)
    if delimiter == "\t":
        return "\n".join("\t".join(row) for row in rows).encode("utf-8", "surrogatepass")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


START_TAG = re.compile(r"<([A-Za-z][\w:.-]*)(?:\s[^<>]*)?(?<!/)>")
ATTRIBUTE = re.compile(r"""(\s[\w:.-]+=)("[^"]*"|'[^']*')""")
XML_HOSTILE = ["", " ", "-1", "0", "99999999999999999999", "2147483648", "1e400", "nan", "inf", "abc", "x" * 3000,
               "Accuracy/Mistranslation", "Major", "rejected", "no", "1 2 x", "\u202e", "\u0661\u0662", "../x", "<&>", "[1]", "{}"]


def mutate_xml(data: bytes, rng: random.Random) -> bytes:
    """Elements nested 300 to 5000 deep after a start tag, an attribute given a hostile value, or an element
    (or an empty one of the same name) where text belongs."""
    text = data.decode("utf-8")
    tags = list(START_TAG.finditer(text))
    attributes = list(ATTRIBUTE.finditer(text))
    choice = rng.randrange(3)
    if choice == 1 and attributes:
        found = rng.choice(attributes)
        return (text[:found.start(2)] + quoteattr(rng.choice(XML_HOSTILE)) + text[found.end(2):]).encode("utf-8")
    at = rng.choice(tags)
    name = at.group(1)
    if choice == 0:
        depth = rng.choice([300, 1000, 5000])
        tag = rng.choice(["x", name])
        inner = f"<{tag}>" * depth + f"</{tag}>" * depth
    else:
        inner = rng.choice(["<b>x</b>", f"<{name}/>", f"<{name}>x</{name}>", '<mrk id="z" type="its:generic">x</mrk>'])
    return (text[:at.end()] + inner + text[at.end():]).encode("utf-8")


# -- importers ----------------------------------------------------------------------------------------
@dataclass
class Importer:
    name: str
    seed: str  # file name under the seed folder
    run: Callable[[Corpus, Path], Any]
    kind: str  # "jsonl", "json", "xml", "gz", "csv", "tsv", "text"
    base: str = "demo"  # the corpus it imports into: "demo", "empty" or "wmt" (tests/data/wmt/docs_wmt)
    json_column: int | None = None  # a CSV column that holds JSON


def _annotations(fmt: str, **options):
    def run(corpus: Corpus, path: Path):
        from corpus.formats.annotations import import_annotations

        return import_annotations(corpus, fmt, path, **options)

    return run


TERM_SOURCES = ["The harbour bridge is new.", "The harbour watchdog fined the retailer.", "The bridge is closed."]
TERM_HYPS = ["Die Hafenbrücke ist neu.", "Die Hafenaufsicht hat den Händler bestraft.", "Die Brücke ist gesperrt."]


def _terms(corpus: Corpus, path: Path):
    """Read a glossary or term list and use it: every value it holds goes through term matching."""
    from pipelines.terminology import evaluate_terms, read_terms
    from pipelines.terminology.model import SegmentTermList

    terms = read_terms(path, "en", "de")
    n = len(terms) if isinstance(terms, SegmentTermList) else len(TERM_HYPS)
    return evaluate_terms((TERM_HYPS * n)[:n], terms, (TERM_SOURCES * n)[:n], src_lang="en", tgt_lang="de")


def _wmt(corpus: Corpus, path: Path):
    from corpus.formats.wmt import import_wmt_into

    return import_wmt_into(corpus, path)


def _tmx(corpus: Corpus, path: Path):
    from corpus.formats.tmx import import_tmx_into

    return import_tmx_into(corpus, path)


IMPORTERS = [
    Importer("jsonl", "corpus.jsonl", lambda corpus, path: corpus.import_jsonl(str(path), progress=False), "jsonl", "empty"),
    Importer("text", "article.txt", lambda corpus, path: corpus.import_text(str(path), lang="en"), "text", "empty"),
    Importer("parallel", "pair.en", lambda corpus, path: corpus.import_parallel(str(path), str(path.with_name("pair.de")), "en", "de",
                                                                                progress=False), "text", "empty"),
    Importer("tmx", "memory.tmx", _tmx, "xml", "empty"),
    Importer("tmx.gz", "memory.tmx.gz", _tmx, "gz", "empty"),
    Importer("tbx", "glossary.tbx", _terms, "xml", "empty"),
    Importer("glossary-csv", "glossary.csv", _terms, "csv", "empty"),
    Importer("glossary-jsonl", "glossary.jsonl", _terms, "jsonl", "empty"),
    Importer("term-list", "terms.jsonl", _terms, "jsonl", "empty"),
    Importer("appraise", "appraise.csv", _annotations("appraise"), "csv", json_column=9),
    Importer("label-studio", "label-studio.json", _annotations("label-studio"), "json"),
    Importer("xliff", "annotations.xlf", _annotations("xliff"), "xml"),
    Importer("google-mqm", "google-mqm.tsv", _annotations("google-mqm", src_lang="en", tgt_lang="de"), "tsv"),
    Importer("wmt-xml", "wmt.xml", _wmt, "xml", "empty"),
    Importer("appraise-wmt", "appraise_wmt.csv", _annotations("appraise", layout="wmt", protocol="esa"), "csv", "wmt", json_column=9),
    Importer("scores", "esa_scores.tsv", _annotations("scores", protocol="esa"), "tsv", "wmt"),
]
BY_NAME = {importer.name: importer for importer in IMPORTERS}

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<text><body>
<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>harbour bridge</term></termSec></langSec>
<langSec xml:lang="de"><termSec><term>Hafenbrücke</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec></conceptEntry>
</body></text></tbx>
"""
GLOSSARY_CSV = """source,target,status,concept,note,domain
harbour bridge,Hafenbrücke,preferred,c1,the bridge over the harbour,infrastructure
harbour bridge,Hafen-Brücke,variant,c1,,
watchdog,Aufsichtsbehörde,approved,c2,,finance
watchdog,Wachhund,forbidden,c2,,
"""
GLOSSARY_JSONL = [
    {"type": "concept", "id": "c1", "src_lang": "en", "tgt_lang": "de", "source_term": "harbour bridge", "approved": ["Hafenbrücke"],
     "variants": ["Hafen-Brücke"], "forbidden": [], "domain": "infrastructure", "note": "the bridge over the harbour"},
    {"type": "concept", "id": "c2", "src_lang": "en", "tgt_lang": "de", "source_term": "watchdog", "approved": ["Aufsichtsbehörde"],
     "forbidden": ["Wachhund"]},
]
TERM_LIST = [{"harbour bridge": "Hafenbrücke"}, {"terms": {"watchdog": ["Aufsicht", "Aufsichtsbehörde"]}},
             [["bridge", "Brücke"], {"en": "closed", "de": "gesperrt"}]]


def fingerprint(corpus: Corpus) -> str:
    """A hash over every row of every table, the journal included: any half-written import changes it."""
    return store_fingerprint(corpus)


WMT_DATA = Path(__file__).resolve().parents[1] / "data" / "wmt"
SEED_TRANSLATIONS = ["harbour-bridge.de.mt", "harbour-bridge.de.human"]  # one document's annotated and unannotated translation


class Workbench:
    """Seeds and base corpora in one folder; fresh copies of a base corpus for each case that changed it."""

    def __init__(self, folder: Path):
        from corpus.formats.annotations import export_annotations
        from corpus.formats.tmx import export_tmx
        from pipelines.demo import demo_corpus_file

        self.folder = folder
        self.seeds = folder / "seeds"
        self.seeds.mkdir(parents=True)
        demo = Corpus.init(folder / "base-demo", actor="fuzz")
        demo.import_jsonl(str(demo_corpus_file()), progress=False)
        demo.export_jsonl(self.folder / "demo.jsonl")
        self._small_jsonl(self.folder / "demo.jsonl", self.seeds / "corpus.jsonl")
        for fmt, name in (("appraise", "appraise.csv"), ("label-studio", "label-studio.json"), ("xliff", "annotations.xlf"),
                          ("google-mqm", "google-mqm.tsv")):
            export_annotations(demo, fmt, self.seeds / name, translation_ids=SEED_TRANSLATIONS)
        demo.close()
        Corpus.init(folder / "base-empty", actor="fuzz").close()
        with Corpus.init(folder / "base-wmt", actor="fuzz") as wmt:  # a WMT test set that judgements rate
            _wmt(wmt, WMT_DATA / "docs_wmt")
        shutil.copy(WMT_DATA / "tiny.xml", self.seeds / "wmt.xml")
        shutil.copy(WMT_DATA / "appraise_wmt.csv", self.seeds / "appraise_wmt.csv")
        shutil.copy(WMT_DATA / "esa_scores.tsv", self.seeds / "esa_scores.tsv")
        (self.seeds / "article.txt").write_text("A first sentence. A second one!\n\nA new paragraph here.\n", encoding="utf-8")
        (self.seeds / "pair.en").write_text("The bridge.\nThe harbour.\n", encoding="utf-8")
        (self.seeds / "pair.de").write_text("Die Brücke.\nDer Hafen.\n", encoding="utf-8")
        (self.seeds / "glossary.tbx").write_text(TBX, encoding="utf-8")
        (self.seeds / "glossary.csv").write_text(GLOSSARY_CSV, encoding="utf-8")
        for name, records in (("glossary.jsonl", GLOSSARY_JSONL), ("terms.jsonl", TERM_LIST)):
            (self.seeds / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        with Corpus.init(folder / "tmx-source", actor="fuzz") as aligned:
            aligned.import_parallel(str(self.seeds / "pair.en"), str(self.seeds / "pair.de"), "en", "de", progress=False)
            export_tmx(aligned, self.seeds / "memory.tmx")
            export_tmx(aligned, self.seeds / "memory.tmx.gz")
        self.live: dict[str, Corpus] = {}
        self.known: dict[str, str | None] = {}  # the fingerprint of each live copy, while it is known
        self._base_prints: dict[str, str] = {}
        self.cases = 0

    @staticmethod
    def _small_jsonl(full: Path, seed: Path) -> None:
        """One document with a few of its annotations and one record of every other kind: each mutated
        line is read in context, and a case costs milliseconds."""
        records = [json.loads(line) for line in full.read_text("utf-8").splitlines()]
        document = next(r for r in records if r["type"] == "document" and r.get("source"))
        own = {document["id"], *(t["id"] for t in document.get("translations") or [])}
        kept, per_kind = [document], {}
        for record in records:
            if record["type"] == "document":
                continue
            if record["type"] == "annotation" and not own & {record.get("translation"), record.get("document")}:
                continue
            per_kind[record["type"]] = per_kind.get(record["type"], 0) + 1
            if per_kind[record["type"]] <= (6 if record["type"] == "annotation" else 1):
                kept.append(record)
        seed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8")

    def corpus(self, base: str, fresh: bool, user: str | None = None) -> Corpus:
        """A working copy of base corpus for one user (an importer, the server), renewed when fresh."""
        key = user or base
        if fresh or key not in self.live:
            if key in self.live:
                self.live.pop(key).close()
            target = self.folder / f"live-{key}"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(self.folder / f"base-{base}", target)
            self.live[key] = Corpus.open(target, actor="fuzz")
            if base not in self._base_prints:
                self._base_prints[base] = fingerprint(self.live[key])
            self.known[key] = self._base_prints[base]
        return self.live[key]

    def close(self) -> None:
        for corpus in self.live.values():
            corpus.close()
        self.live.clear()

    def mutated(self, importer: Importer, rng: random.Random) -> Path:
        data = (self.seeds / importer.seed).read_bytes()
        if importer.kind == "jsonl":
            lines = data.decode("utf-8").splitlines()
            index = rng.randrange(len(lines))
            lines[index] = mutate_json(json.loads(lines[index]), rng)
            data = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"
        elif importer.kind == "json":
            data = mutate_json(json.loads(data), rng).encode("utf-8", "surrogatepass")
        elif importer.kind == "gz":
            plain = gzip.decompress(data)
            data = gzip.compress(mutate_xml(plain, rng) if rng.random() < 0.5 else mutate_bytes(plain, rng, xml=True)) \
                if rng.random() < 0.7 else mutate_bytes(data, rng)
        elif importer.kind == "xml" and rng.random() < 0.5:
            data = mutate_xml(data, rng)
        elif importer.kind in ("csv", "tsv") and rng.random() < 0.5:
            data = mutate_table(data, rng, "\t" if importer.kind == "tsv" else ",", importer.json_column)
        else:
            data = mutate_bytes(data, rng, xml=importer.kind in ("xml", "gz"))
        self.cases += 1
        case = self.folder / f"case-{self.cases % 2}"
        shutil.rmtree(case, ignore_errors=True)
        case.mkdir()
        path = case / importer.seed
        path.write_bytes(data)
        if importer.name == "parallel":
            shutil.copy(self.seeds / "pair.de", case / "pair.de")
        return path


@dataclass
class Tally:
    accepted: int = 0
    refused: int = 0
    crashes: list[str] = field(default_factory=list)


def run_case(bench: Workbench, importer: Importer, rng: random.Random, tally: Tally, fresh: list[bool]) -> None:
    """One mutated input through one importer; `fresh` (a one-item list) says whether the base needs renewing."""
    path = bench.mutated(importer, rng)
    corpus = bench.corpus(importer.base, fresh[0], importer.name)
    before = bench.known.get(importer.name) or fingerprint(corpus)  # the store as the last case left it
    bench.known[importer.name] = None
    try:
        importer.run(corpus, path)
    except CalqueError as refusal:
        message = str(refusal)
        after = bench.known[importer.name] = fingerprint(corpus)
        if "\n" in message.strip() or after != before:
            tally.crashes.append(f"{importer.name}: refusal changed the store or spans lines: {message[:200]}")
        else:
            tally.refused += 1
        fresh[0] = False
        return
    except BaseException as crash:  # noqa: BLE001 - what the fuzzer is looking for
        if isinstance(crash, KeyboardInterrupt):
            raise
        frame = traceback.extract_tb(crash.__traceback__)[-1]
        tally.crashes.append(f"{importer.name}: {type(crash).__name__}: {str(crash)[:160]} at {Path(frame.filename).name}:{frame.lineno}")
        fresh[0] = True
        return
    tally.accepted += 1
    after = bench.known[importer.name] = fingerprint(corpus)
    fresh[0] = after != before


# -- API routes ---------------------------------------------------------------------------------------
HOSTILE_VALUES = [None, True, -1, 0, 2**31, 2**53, 2**63, 10**30, 1.5, float("inf"), float("nan"), "", " ", "\ud800", "a\x00b",
                  "x" * 5000, [], {}, [1, 2], {"a": "b"}, ["Fluency"], [["x"]], {"a": ["b"]}, [{"start": 1}], "Accuracy/Mistranslation",
                  "Major", "target", "source", "harbour-bridge.de.mt", "../../etc/passwd", "<script>alert(1)</script>", "1", "abc"]
RAW_BODIES = [b"[" * 5000 + b"]" * 5000, b'{"version": Infinity}', b'{"version": NaN}', b'{"version": 1e400}',
              b'{"comment": "\\ud800"}', b"\xff\xfe\x00", b"", b"null", b"[]", b'"text"', b'{"a":' * 3000 + b"1" + b"}" * 3000,
              b'{"version": ' + b"9" * 5000 + b"}"]
VERSIONS = ["1", "2", "0", "-1", "abc", "1e400", "9" * 50, "", str(2**31), str(2**53), str(2**63), "%00", "1.0"]
CREATE_FIELDS = ["translation", "side", "segment", "start", "end", "text", "category", "severity", "comment", "correction",
                 "artifact_type", "version", "annotator", "id"]
SPAN_FIELDS = ["item", "side", "start", "end", "severity", "category", "comment", "version", "text", "id"]
DECISION_FIELDS = ["decision", "spans", "span", "version"]
ROUTES = ["create", "update", "delete", "confirm", "reject", "document", "annotation",
          "campaign-span", "campaign-span-update", "campaign-suggestion", "campaign-submit", "campaign-decision", "campaign-span-delete"]
CAMPAIGN = "fuzz"
SPAN = {"item": 0, "side": "target", "start": 0, "end": 3, "severity": "Major", "category": "Accuracy/Mistranslation", "comment": "c"}


def _valid_create() -> dict:
    return {"translation": "harbour-bridge.de.mt", "segment": 2, "start": 4, "end": 10, "category": "Accuracy/Mistranslation",
            "severity": "Major"}


def _body(rng: random.Random, base: dict, fields: list[str] = CREATE_FIELDS) -> bytes:
    """base with a few fields dropped or given hostile values, or with a value of another type at any depth."""
    if rng.random() < 0.15:
        return rng.choice(RAW_BODIES)
    if rng.random() < 0.3:
        return json.dumps(confuse_json(base, rng)).encode("utf-8")
    body = dict(base)
    for _ in range(rng.randrange(1, 4)):
        name = rng.choice(fields)
        if rng.random() < 0.15:
            body.pop(name, None)
        else:
            body[name] = rng.choice(HOSTILE_VALUES)
    return json.dumps(body, allow_nan=True).encode("utf-8")


@dataclass
class Targets:
    """What the routes act on: annotations, and a campaign slot the client holds with spans in it."""

    annotations: list[str]
    slot: str = ""
    unit: str = ""
    spans: list[str] = field(default_factory=list)
    seen: str | None = None  # the store's fingerprint after the last refusal (a refusal changes nothing)


def open_campaign(client, corpus: Corpus, targets: Targets) -> Targets:
    """A campaign over one demo translation with check suggestions; the client ("alice", its owner and sole
    annotator) holds its first item and has marked three spans in it."""
    from corpus.campaigns import CampaignSpec, CampaignStore
    from pipelines.campaign.build import create_campaign
    from pipelines.checks.corpus_run import run_corpus_checks, write_findings

    for translation, findings in run_corpus_checks(corpus, ["harbour-bridge"]):
        write_findings(corpus, findings, [translation["id"]])
    create_campaign(corpus, CampaignSpec(name=CAMPAIGN, translations=["harbour-bridge.de.mt"], annotators=["alice"], overlap=1,
                                         suggestions=True, owner="alice"))
    targets.slot = client.post(f"/api/campaigns/{CAMPAIGN}/next", json={}).json()["item"]["slot"]
    targets.unit = next(s["unit_id"] for s in CampaignStore(corpus).slots(CAMPAIGN) if s["id"] == targets.slot)
    targets.spans = [client.post(f"/api/campaign-slots/{targets.slot}/spans", json=SPAN).json()["id"] for _ in range(3)]
    return targets


def _annotation_id(rng: random.Random, ids: list[str]) -> str:
    from urllib.parse import quote

    if rng.random() < 0.7:
        return rng.choice(ids)
    return quote(rng.choice(["", "x" * 600, "%00", "a/b", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"), "..", "1e400"]), safe="")


def _send(client, targets: Targets, route: str, rng: random.Random):
    headers = {"content-type": "application/json"}
    target = _annotation_id(rng, targets.annotations)
    span = _annotation_id(rng, targets.spans)
    if route == "create":
        return client.post("/api/annotations", content=_body(rng, _valid_create()), headers=headers)
    if route == "update":
        return client.patch(f"/api/annotations/{target}", content=_body(rng, {"version": 1, "comment": "x"}), headers=headers)
    if route == "delete":
        return client.delete(f"/api/annotations/{target}?version={rng.choice(VERSIONS)}", headers=headers)
    if route in ("confirm", "reject"):
        return client.post(f"/api/annotations/{target}/{route}", content=_body(rng, {"version": 1}), headers=headers)
    if route == "document":
        return client.get(f"/api/documents/{rng.choice(['harbour-bridge', '..%2F..', '%00', 'x' * 3000, '%ED%A0%80'])}")
    if route == "annotation":
        return client.get(f"/api/annotations/{target}")
    if route == "campaign-span":
        return client.post(f"/api/campaign-slots/{targets.slot}/spans", content=_body(rng, SPAN, SPAN_FIELDS), headers=headers)
    if route == "campaign-span-update":
        return client.patch(f"/api/campaign-spans/{span}", content=_body(rng, {"version": 1, "severity": "Minor"}, SPAN_FIELDS),
                            headers=headers)
    if route == "campaign-span-delete":
        return client.delete(f"/api/campaign-spans/{span}?version={rng.choice(VERSIONS)}", headers=headers)
    if route == "campaign-suggestion":
        index = rng.choice(["0", "1", "2", "99999999999999999999", "-1", "x"])
        return client.post(f"/api/campaign-slots/{targets.slot}/suggestions/{index}", content=_body(rng, {"decision": "dismissed"}, ["decision"]),
                           headers=headers)
    if route == "campaign-submit":
        return client.post(f"/api/campaign-slots/{targets.slot}/submit", content=_body(rng, {}, ["score"]), headers=headers)
    decision = {"decision": rng.choice(["accept", "merge", "dismiss"]), "spans": targets.spans[:rng.randrange(1, 4)],
                "span": {"start": 0, "end": 3, "category": "Accuracy/Mistranslation", "severity": "Major"}}
    return client.post(f"/api/campaign-units/{targets.unit}/decisions", content=_body(rng, decision, DECISION_FIELDS), headers=headers)


def route_case(client, corpus: Corpus, targets: Targets, route: str, rng: random.Random, tally: Tally) -> None:
    """One hostile request to one route; a 5xx, or a refusal that changed the store, is a crash."""
    before = targets.seen or fingerprint(corpus)
    targets.seen = None
    response = _send(client, targets, route, rng)
    if response.status_code >= 500:
        tally.crashes.append(f"{route}: HTTP {response.status_code} {response.text[:160]}")
    elif response.status_code >= 400:
        after = fingerprint(corpus)
        if after != before:
            tally.crashes.append(f"{route}: HTTP {response.status_code} but the store changed")
        else:
            targets.seen = after
            tally.refused += 1
    else:
        tally.accepted += 1
