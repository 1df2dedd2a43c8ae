"""Mutation fuzzing of every importer and every API route, shared by tests/fuzz and benchmarks/fuzz.py.

Seeds are Calque's own exports of the demo corpus (plus a small TMX, TBX, text and parallel file); each
case mutates one seed with a random.Random: a JSON value swapped for a hostile one (deep nesting, huge or
non-finite numbers, lone surrogates, NUL, wrong types), or bytes inserted, deleted, truncated or
re-encoded. An outcome is "accepted", "refused" (a CalqueError, or a 4xx) or "crash" (anything else,
or a refusal that changed the store).
"""
from __future__ import annotations

import gzip
import json
import random
import shutil
import traceback
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


def mutate_json(value: Any, rng: random.Random) -> str:
    """value with one node replaced by a hostile raw JSON token (or deleted), serialised."""
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


# -- importers ----------------------------------------------------------------------------------------
@dataclass
class Importer:
    name: str
    seed: str  # file name under the seed folder
    run: Callable[[Corpus, Path], Any]
    kind: str  # "jsonl", "json", "xml", "text", "gz"
    base: str = "demo"  # the corpus it imports into: "demo" or "empty"


def _annotations(fmt: str, **options):
    def run(corpus: Corpus, path: Path):
        from corpus.formats.annotations import import_annotations

        return import_annotations(corpus, fmt, path, **options)

    return run


def _tbx(corpus: Corpus, path: Path):
    from pipelines.terminology.formats import read_terms

    return read_terms(path, "en", "de")


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
    Importer("tbx", "glossary.tbx", _tbx, "xml", "empty"),
    Importer("appraise", "appraise.csv", _annotations("appraise"), "text"),
    Importer("label-studio", "label-studio.json", _annotations("label-studio"), "json"),
    Importer("xliff", "annotations.xlf", _annotations("xliff"), "xml"),
    Importer("google-mqm", "google-mqm.tsv", _annotations("google-mqm", src_lang="en", tgt_lang="de"), "text"),
]
BY_NAME = {importer.name: importer for importer in IMPORTERS}

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<text><body>
<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>harbour bridge</term></termSec></langSec>
<langSec xml:lang="de"><termSec><term>Hafenbrücke</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec></conceptEntry>
</body></text></tbx>
"""


def fingerprint(corpus: Corpus) -> str:
    """A hash over every row of every table, the journal included: any half-written import changes it."""
    return store_fingerprint(corpus)


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
            export_annotations(demo, fmt, self.seeds / name)
        demo.close()
        Corpus.init(folder / "base-empty", actor="fuzz").close()
        (self.seeds / "article.txt").write_text("A first sentence. A second one!\n\nA new paragraph here.\n", encoding="utf-8")
        (self.seeds / "pair.en").write_text("The bridge.\nThe harbour.\n", encoding="utf-8")
        (self.seeds / "pair.de").write_text("Die Brücke.\nDer Hafen.\n", encoding="utf-8")
        (self.seeds / "glossary.tbx").write_text(TBX, encoding="utf-8")
        with Corpus.init(folder / "tmx-source", actor="fuzz") as aligned:
            aligned.import_parallel(str(self.seeds / "pair.en"), str(self.seeds / "pair.de"), "en", "de", progress=False)
            export_tmx(aligned, self.seeds / "memory.tmx")
            export_tmx(aligned, self.seeds / "memory.tmx.gz")
        self.live: dict[str, Corpus] = {}
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
            data = gzip.compress(mutate_bytes(gzip.decompress(data), rng, xml=True)) if rng.random() < 0.5 else mutate_bytes(data, rng)
        else:
            data = mutate_bytes(data, rng, xml=importer.kind == "xml")
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
    before = fingerprint(corpus)
    try:
        importer.run(corpus, path)
    except CalqueError as refusal:
        message = str(refusal)
        if "\n" in message.strip() or fingerprint(corpus) != before:
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
    fresh[0] = fingerprint(corpus) != before


# -- API routes ---------------------------------------------------------------------------------------
HOSTILE_VALUES = [None, True, -1, 0, 2**63, 10**30, 1.5, float("inf"), float("nan"), "", " ", "\ud800", "a\x00b", "x" * 5000,
                  [], {}, [1, 2], {"a": "b"}, "Accuracy/Mistranslation", "Major", "target", "source", "harbour-bridge.de.mt",
                  "../../etc/passwd", "<script>alert(1)</script>", "1", "abc"]
RAW_BODIES = [b"[" * 5000 + b"]" * 5000, b'{"version": Infinity}', b'{"version": NaN}', b'{"version": 1e400}',
              b'{"comment": "\\ud800"}', b"\xff\xfe\x00", b"", b"null", b"[]", b'"text"', b'{"a":' * 3000 + b"1" + b"}" * 3000,
              b'{"version": ' + b"9" * 5000 + b"}"]
CREATE_FIELDS = ["translation", "side", "segment", "start", "end", "text", "category", "severity", "comment", "correction",
                 "artifact_type", "version", "annotator", "id"]
ROUTES = ["create", "update", "delete", "confirm", "reject", "document", "annotation"]


def _valid_create() -> dict:
    return {"translation": "harbour-bridge.de.mt", "segment": 2, "start": 4, "end": 10, "category": "Accuracy/Mistranslation",
            "severity": "Major"}


def _body(rng: random.Random, base: dict) -> bytes:
    if rng.random() < 0.15:
        return rng.choice(RAW_BODIES)
    body = dict(base)
    for _ in range(rng.randrange(1, 4)):
        name = rng.choice(CREATE_FIELDS)
        if rng.random() < 0.15:
            body.pop(name, None)
        else:
            body[name] = rng.choice(HOSTILE_VALUES)
    return json.dumps(body, allow_nan=True).encode("utf-8")


def _annotation_id(rng: random.Random, ids: list[str]) -> str:
    from urllib.parse import quote

    if rng.random() < 0.7:
        return rng.choice(ids)
    return quote(rng.choice(["", "x" * 600, "%00", "a/b", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"), "..", "1e400"]), safe="")


def route_case(client, corpus: Corpus, ids: list[str], route: str, rng: random.Random, tally: Tally) -> None:
    """One hostile request to one route; a 5xx, or a refusal that changed the store, is a crash."""
    before = fingerprint(corpus)
    target = _annotation_id(rng, ids)
    headers = {"content-type": "application/json"}
    if route == "create":
        response = client.post("/api/annotations", content=_body(rng, _valid_create()), headers=headers)
    elif route == "update":
        response = client.patch(f"/api/annotations/{target}", content=_body(rng, {"version": 1, "comment": "x"}), headers=headers)
    elif route == "delete":
        version = rng.choice(["1", "0", "-1", "abc", "1e400", "9" * 50, ""])
        response = client.delete(f"/api/annotations/{target}?version={version}", headers=headers)
    elif route in ("confirm", "reject"):
        response = client.post(f"/api/annotations/{target}/{route}", content=_body(rng, {"version": 1}), headers=headers)
    elif route == "document":
        response = client.get(f"/api/documents/{rng.choice(['harbour-bridge', '..%2F..', '%00', 'x' * 3000, '%ED%A0%80'])}")
    else:
        response = client.get(f"/api/annotations/{target}")
    if response.status_code >= 500:
        tally.crashes.append(f"{route}: HTTP {response.status_code} {response.text[:160]}")
    elif response.status_code >= 400:
        if fingerprint(corpus) != before:
            tally.crashes.append(f"{route}: HTTP {response.status_code} but the store changed")
        else:
            tally.refused += 1
    else:
        tally.accepted += 1
