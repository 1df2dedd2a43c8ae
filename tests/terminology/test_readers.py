"""Glossary and term-list readers on small fixtures, and their errors (file and line named)."""
from __future__ import annotations

import pytest

from corpus.errors import InputError
from pipelines.terminology import Glossary, SegmentTermList, TermPair, read_terms
from pipelines.terminology.formats import read_segment_terms, read_tbx, read_term_table, read_wmt21_terms


@pytest.fixture
def folder(test_data):
    return test_data / "terminology"


@pytest.mark.parametrize("name", ["glossary_v2.tbx", "glossary_v3.tbx"])
def test_tbx_v2_and_v3(folder, name):
    glossary = read_terms(folder / name, "en", "de")
    assert isinstance(glossary, Glossary) and (glossary.src_lang, glossary.tgt_lang[:2]) == ("en", "de")
    concepts = {c.id: c for c in glossary.concepts}
    assert set(concepts) == {"commissioner", "committee"}  # the en-fr entry has no German side
    commissioner = concepts["commissioner"]
    assert commissioner.source_term == "Biometrics and Surveillance Camera Commissioner"
    assert commissioner.approved[0] == "Beauftragter für Biometrie und Überwachungskameras"
    assert {"Kommissar", "Kommissar für Überwachungskameras"} <= set(commissioner.variants)
    assert commissioner.forbidden == ["Biometrics and Surveillance Camera Commissioner"]
    assert (concepts["committee"].approved, concepts["committee"].variants) == (["Ausschuss"], ["Komitee"])


def test_tbx_v2_language_choice(folder):
    assert read_terms(folder / "glossary_v3.tbx").tgt_lang == "de"  # the only other language (de, de-DE)
    with pytest.raises(InputError, match="has languages en, de, fr; say which pair"):
        read_terms(folder / "glossary_v2.tbx")
    glossary = read_tbx(folder / "glossary_v2.tbx", "en", "fr")
    assert [(c.id, c.approved) for c in glossary.concepts] == [("french-only", ["organisme de surveillance"])]
    with pytest.raises(InputError, match="no concept with both en and it terms"):
        read_tbx(folder / "glossary_v2.tbx", "en", "it")


def test_tbx_errors(tmp_path, folder):
    broken = tmp_path / "broken.tbx"
    broken.write_text('<martif type="TBX">\n<text><body>\n<termEntry>\n</body></text></martif>\n')
    with pytest.raises(InputError, match=r"broken\.tbx:4: malformed TBX"):
        read_tbx(broken)
    bomb = tmp_path / "bomb.tbx"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><martif>&b;</martif>')
    with pytest.raises(InputError, match="refused unsafe XML"):
        read_tbx(bomb)
    other = tmp_path / "other.tbx"
    other.write_text("<html/>")
    with pytest.raises(InputError, match="not a TBX file"):
        read_tbx(other)


def test_csv_and_tsv(folder):
    csv = read_term_table(folder / "glossary.csv", "en", "de")
    concepts = {c.id: c for c in csv.concepts}
    assert concepts["committee"].approved == ["Ausschuss"] and concepts["committee"].variants == ["Komitee"]
    assert concepts["watchdog"].forbidden == ["Wachhund"] and concepts["committee"].note == "parliamentary committee"
    tsv = read_terms(folder / "glossary.tsv")
    by_source = {c.source_term: c for c in tsv.concepts}
    assert by_source["knee-jerk reaction"].forbidden == ["Knie-Ruck-Reaktion"]
    assert by_source["committee"].variants == ["Komitee"]
    with pytest.raises(InputError, match=r"bad_status\.csv:3: unknown status 'sometimes'"):
        read_terms(folder / "bad_status.csv")


def test_jsonl_mapping_pairs_and_wmt23_objects_agree(folder):
    mapping = read_terms(folder / "terms.jsonl")
    assert isinstance(mapping, SegmentTermList) and len(mapping) == 5 and mapping.n_terms == 6
    assert mapping.terms[3] == [TermPair("committee", ("Komitee",)), TermPair("report", ("Bericht",))]
    pairs = read_terms(folder / "pairs.jsonl")
    assert pairs.terms[1][0] == TermPair("committee", ("Ausschuss", "Komitee")) and pairs.terms[2] == pairs.terms[4] == []
    wmt23 = read_terms(folder / "wmt23.jsonl", "en", "de")
    assert [[(p.source, p.targets) for p in s] for s in wmt23.terms] == [
        [(p.source, p.targets[:1]) for p in s] for s in pairs.terms
    ]
    with pytest.raises(InputError, match=r"wmt23\.jsonl:1: .*needs the language pair"):
        read_terms(folder / "wmt23.jsonl")


def test_malformed_term_lists_name_file_and_line(folder, tmp_path):
    with pytest.raises(InputError, match=r"malformed\.jsonl:3: malformed JSON"):
        read_segment_terms(folder / "malformed.jsonl")
    with pytest.raises(InputError, match=r"bad_value\.jsonl:2: expected \{source term"):
        read_segment_terms(folder / "bad_value.jsonl")
    blank = tmp_path / "blank.jsonl"
    blank.write_text('{"a": "b"}\n\n{"a": "b"}\n')
    with pytest.raises(InputError, match=r"blank\.jsonl:2: blank line"):
        read_segment_terms(blank)
    keyed = tmp_path / "keyed.jsonl"
    keyed.write_text('{"en": "x", "de": "y", "proper": {"a": "b"}, "random": {"c": "d"}}\n')
    assert read_segment_terms(keyed).terms == [[TermPair("a", ("b",))]]
    assert read_segment_terms(keyed, key="random").terms == [[TermPair("c", ("d",))]]
    with pytest.raises(InputError, match=r"keyed\.jsonl:1: no key 'other'"):
        read_segment_terms(keyed, key="other")


def test_wmt21_inline_tags(folder):
    terms = read_wmt21_terms(folder / "inline.en.sgm")
    assert terms.terms == [
        [TermPair("symptoms", ("symptômes",))],
        [TermPair("runny nose", ("nez coule-t-il", "nez qui coule"))],
        [],
    ]
    from pipelines.fidelity.textfile import read_segment_file

    assert read_segment_file(folder / "inline.en.sgm")[1] == "children aged < 5 years with a runny nose"
