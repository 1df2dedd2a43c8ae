from __future__ import annotations

import csv
import io
import json

import pytest

from corpus import InputError
from corpus.formats.annotations import export_annotations, import_annotations
from corpus.typology import ESA_SCORE
from tests.annotations.conftest import annotation_facts, bare_copy, snapshot

SUFFIX = {"appraise": "csv", "label-studio": "json", "xliff": "xlf"}


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_round_trip_import_export_import(google_corpus, tmp_path, fmt):
    first = tmp_path / f"first.{SUFFIX[fmt]}"
    export_annotations(google_corpus, fmt, first)
    one = bare_copy(google_corpus, tmp_path / "one")
    import_annotations(one, fmt, first)
    second = tmp_path / f"second.{SUFFIX[fmt]}"
    export_annotations(one, fmt, second)
    two = bare_copy(google_corpus, tmp_path / "two")
    import_annotations(two, fmt, second)
    assert second.read_text("utf-8") == first.read_text("utf-8")
    assert annotation_facts(two) == annotation_facts(one)
    if fmt != "appraise":  # Appraise has no source-side spans: the omission comes back as a "missing" mark
        assert annotation_facts(one) == annotation_facts(google_corpus)


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_re_importing_an_export_adds_nothing(google_corpus, tmp_path, fmt):
    path = tmp_path / f"out.{SUFFIX[fmt]}"
    export_annotations(google_corpus, fmt, path)
    before = annotation_facts(google_corpus)
    import_annotations(google_corpus, fmt, path)
    if fmt == "appraise":  # the ESA-style "missing" omission is new information on the target side
        assert len(annotation_facts(google_corpus)) == len(before) + 1
    else:
        assert annotation_facts(google_corpus) == before


def test_appraise_rows_have_the_export_columns_and_esa_spans(google_corpus, tmp_path):
    path = tmp_path / "scores.csv"
    export_annotations(google_corpus, "appraise", path)
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    assert all(len(row) == 10 for row in rows)
    nemo = next(row for row in rows if row[1] == "Nemo" and row[2] == "0")
    assert nemo[:4] == ["rater4", "Nemo", "0", "TGT"] and nemo[4:6] == ["eng", "deu"] and nemo[7] == "talk.1#Nemo"
    assert json.loads(nemo[9]) == [{"start_i": 148, "end_i": 170, "severity": "minor", "error_type": "Accuracy/Mistranslation"}]
    omission = next(row for row in rows if row[1] == "VolcTrans-AT")
    assert json.loads(omission[9])[0]["start_i"] == "missing"


def test_appraise_esa_rows_keep_their_score_and_the_latest_decision(council, tmp_path):
    path = tmp_path / "esa.csv"
    path.write_text(
        'carol,toy-mt,1,TGT,eng,deu,70,council#toy-mt,False,"[{""start_i"": 3, ""end_i"": 13, ""severity"": ""major"", ""error_type"": null}]",10.0,20.0\n'
        'carol,toy-mt,1,TGT,eng,deu,80,council#toy-mt,False,"[{""start_i"": 3, ""end_i"": 13, ""severity"": ""minor"", ""error_type"": null}]",30.0,40.0\n'
        'carol,toy-mt,2,BAD,eng,deu,10,council#toy-mt#bad1,False,[],50.0,60.0\n'
        "carol,toy-mt,3,TGT,eng,deu,100,council#toy-mt,False,[],70.0,80.0\n", "utf-8")
    result = import_annotations(council, "appraise", path)
    assert result["created"]["superseded"] == 1 and result["created"]["skipped_items"] == 1
    carol = council.annotations()
    carol = carol[carol.annotator == "carol"].sort_values(["segment_idx", "category"])
    assert carol[["segment_idx", "category", "severity", "text", "comment"]].fillna("-").values.tolist() == [
        [1, ESA_SCORE, "Neutral", "", "80"], [1, "Other", "Minor", "genehmigte", "-"], [3, ESA_SCORE, "Neutral", "", "100"]]


APPRAISE_BAD = {
    "wrong column count": ("carol,toy-mt,1,TGT,eng,deu,70,council#toy-mt,[]\n", ":1: expected 10 or 12 comma-separated columns"),
    "unknown severity": ('carol,toy-mt,1,TGT,eng,deu,70,council#toy-mt,False,"[{""start_i"": 0, ""end_i"": 2, ""severity"": ""huge""}]"\n',
                         ":1: unknown severity 'huge'"),
    "span outside the item": ('carol,toy-mt,1,TGT,eng,deu,70,council#toy-mt,False,"[{""start_i"": 0, ""end_i"": 99, ""severity"": ""minor""}]"\n',
                              ":1: error span 0-99 lies outside item 1"),
    "unknown system": ("carol,other-mt,1,TGT,eng,deu,70,council#other-mt,False,[]\n", ":1: system 'other-mt' names 0 translations"),
}


@pytest.mark.parametrize("case", sorted(APPRAISE_BAD))
def test_appraise_malformed_input_changes_nothing(council, tmp_path, case):
    content, message = APPRAISE_BAD[case]
    path = tmp_path / "bad.csv"
    path.write_text("carol,toy-mt,0,TGT,eng,deu,90,council#toy-mt,False,[]\n" + content if case != "wrong column count" else content, "utf-8")
    before = snapshot(council)
    with pytest.raises(InputError, match=message.replace(":1:", ":2:") if case != "wrong column count" else message) as error:
        import_annotations(council, "appraise", path)
    assert "\n" not in str(error.value)
    assert snapshot(council) == before


def test_label_studio_tasks_carry_category_labels_and_per_region_severity(council, tmp_path):
    path = tmp_path / "tasks.json"
    export_annotations(council, "label-studio", path)
    tasks = json.loads(path.read_text("utf-8"))
    assert [t["data"]["calque"]["segment"] for t in tasks] == [0, 1, 2, 3]
    bob = next(a for a in tasks[1]["annotations"] if a["completed_by"]["email"] == "bob")
    labels = next(r for r in bob["result"] if r["type"] == "labels")
    choice = next(r for r in bob["result"] if r["type"] == "choices")
    assert labels["value"] == {"start": 3, "end": 17, "text": "genehmigte das", "labels": ["Accuracy/Mistranslation"]}
    assert choice["id"] == labels["id"] and choice["value"]["choices"] == ["Major"]
    alice_on_2 = next(a for a in tasks[2]["annotations"] if a["completed_by"]["email"] == "alice")
    assert alice_on_2["result"] == []  # rated, no error


def test_label_studio_regions_made_in_label_studio_are_imported(council, tmp_path):
    from corpus.formats.label_studio import label_config
    from corpus.typology import load

    assert '<Label value="Accuracy/Omission"/>' in label_config(load("google-mqm"))
    path = tmp_path / "tasks.json"
    export_annotations(council, "label-studio", path)
    tasks = json.loads(path.read_text("utf-8"))
    region = {"start": 3, "end": 17, "text": "approved the n"}
    tasks[1]["annotations"].append({"completed_by": {"id": 7, "email": "dora@example.org"}, "was_cancelled": False, "result": [
        {"id": "x1", "from_name": "category", "to_name": "source", "type": "labels", "value": {**region, "labels": ["Accuracy/Omission"]}},
        {"id": "x1", "from_name": "severity", "to_name": "source", "type": "choices", "value": {**region, "choices": ["minor"]}},
        {"id": "x1", "from_name": "comment", "to_name": "source", "type": "textarea", "value": {**region, "text": ["'new' is missing"]}},
    ]})
    tasks[2]["annotations"].append({"completed_by": 9, "was_cancelled": True, "result": []})
    path.write_text(json.dumps(tasks), "utf-8")
    result = import_annotations(council, "label-studio", path)
    assert result["created"]["cancelled"] == 1 and result["created"]["already_present"] == 8
    dora = council.annotations()
    dora = dora[dora.annotator == "dora@example.org"].iloc[0]
    assert (dora.side, dora.segment_idx, dora.text, dora.severity, dora.comment) == ("source", 1, "approved the n", "Minor", "'new' is missing")


LABEL_STUDIO_BAD = {
    "unknown severity": (lambda t: t[0]["annotations"][0]["result"][1]["value"].update(choices=["Huge"]), "task 1 \\(id 1\\): region r0: unknown severity 'Huge'"),
    "text changed": (lambda t: t[0]["data"].update(text="Ein anderer Satz."), "task 1 \\(id 1\\): the text differs from segment 0"),
    "no calque reference": (lambda t: t[0]["data"].pop("calque"), "task 1 \\(id 1\\): field 'data.calque': missing"),
    "region text off its offsets": (lambda t: t[0]["annotations"][0]["result"][0]["value"].update(start=1), "task 1 \\(id 1\\): region r0: text 'Der Rat'"),
}


@pytest.mark.parametrize("case", sorted(LABEL_STUDIO_BAD))
def test_label_studio_malformed_input_changes_nothing(council, tmp_path, case):
    path = tmp_path / "tasks.json"
    export_annotations(council, "label-studio", path)
    tasks = json.loads(path.read_text("utf-8"))
    for task in tasks:
        for annotation in task["annotations"]:
            annotation["completed_by"] = {"email": "eve"}  # new annotations, so the bad one is not skipped as already present
    change, message = LABEL_STUDIO_BAD[case]
    change(tasks)
    path.write_text(json.dumps(tasks), "utf-8")
    before = snapshot(council)
    with pytest.raises(InputError, match=message):
        import_annotations(council, "label-studio", path)
    assert snapshot(council) == before


def test_label_studio_refuses_malformed_json(council, tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text('[{"data": ', "utf-8")
    before = snapshot(council)
    with pytest.raises(InputError, match="malformed JSON"):
        import_annotations(council, "label-studio", path)
    assert snapshot(council) == before


def test_xliff_marks_carry_its_localization_quality_issues(council, tmp_path):
    import defusedxml.ElementTree as SafeET

    path = tmp_path / "review.xlf"
    export_annotations(council, "xliff", path)
    root = SafeET.parse(path).getroot()
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0", "its": "http://www.w3.org/2005/11/its"}
    assert root.get("version") == "2.1" and root.get("srcLang") == "en" and root.get("trgLang") == "de"
    marks = root.findall(".//x:target//x:mrk", ns) + root.findall(".//x:target//x:sm", ns)
    its = "{http://www.w3.org/2005/11/its}"
    found = sorted((m.get(f"{its}locQualityIssueType"), m.get(f"{its}locQualityIssueSeverity")) for m in marks)
    assert found == [("misspelling", "10"), ("mistranslation", "50"), ("mistranslation", "50"), ("style", "10"), ("terminology", "50")]
    # bob's "genehmigte das" and alice's "genehmigte" nest; both "Der Rat" marks cover the same text
    unit1 = root.findall(".//x:unit", ns)[1].find(".//x:target", ns)
    assert "".join(unit1.itertext()) == "Er genehmigte das neue Budget."


def test_xliff_crossing_spans_become_sm_em_pairs(council, tmp_path):
    council.add_annotations([{"translation": "council.de.mt", "segment": 1, "start": 10, "end": 22, "category": "Fluency/Grammar",
                              "severity": "Minor", "annotator": "carol"}])
    path = tmp_path / "review.xlf"
    export_annotations(council, "xliff", path)
    assert "<sm " in path.read_text("utf-8") and "<em startRef=" in path.read_text("utf-8")
    copy = bare_copy(council, tmp_path / "copy")
    import_annotations(copy, "xliff", path)
    assert annotation_facts(copy) == annotation_facts(council)


def test_xliff_review_in_a_cat_tool_comes_back_as_updates_and_new_marks(council, tmp_path):
    path = tmp_path / "review.xlf"
    export_annotations(council, "xliff", path)
    text = path.read_text("utf-8")
    # the reviewer lowers bob's Major on "Der Rat" to 10 (Minor), disables alice's mark on it
    # and adds a mark of their own, without Calque's attributes
    text = text.replace('its:locQualityIssueSeverity="50" calque:category="Accuracy/Mistranslation" calque:severity="Major" calque:annotator="bob"',
                        'its:locQualityIssueSeverity="10" calque:category="Accuracy/Mistranslation" calque:severity="Major" calque:annotator="bob"', 1)
    text = text.replace('calque:annotator="alice"', 'its:locQualityIssueEnabled="no" calque:annotator="alice"', 1)
    text = text.replace("Die Sitzung endete am Mittag.",
                        'Die Sitzung endete <mrk id="r1" type="its:generic" its:locQualityIssueType="grammar" its:locQualityIssueSeverity="90" '
                        'its:locQualityIssueComment="um zwölf">am Mittag</mrk>.')
    path.write_text(text, "utf-8")
    result = import_annotations(council, "xliff", path, actor="reviewer")
    assert result["created"]["updated"] == 2 and result["created"]["annotations"] == 1
    notes = council.annotations().set_index(["annotator", "segment_idx", "start"])
    assert notes.loc[("bob", 0, 0), "severity"] == "Minor"
    assert notes.loc[("alice", 0, 0), "status"] == "rejected"
    new = notes.loc[("reviewer", 3, 19)]
    assert (new.text, new.category, new.severity, new.comment) == ("am Mittag", "Fluency/Grammar", "Critical", "um zwölf")
    assert council.journal(limit=5).action.tolist().count("update") == 2


XXE = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="de">
 <file id="f1" original="council.de.mt"><unit id="u0"><segment><source>&secret;</source></segment></unit></file>
</xliff>
"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="de">&lol2;</xliff>
"""
XLIFF_BAD = {
    "external entity": (XXE, "refused unsafe XML: it declares a DTD"),
    "entity expansion": (LAUGHS, "refused unsafe XML: it declares a DTD"),
    "malformed XML": ('<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1">\n<file>\n</xliff>\n', ":4: malformed XLIFF"),
    "not XLIFF 2": ('<xliff version="1.2"><file/></xliff>', "not an XLIFF 2.x document"),
}


@pytest.mark.parametrize("case", sorted(XLIFF_BAD))
def test_xliff_refuses_dangerous_or_malformed_xml_and_changes_nothing(council, tmp_path, case):
    content, message = XLIFF_BAD[case]
    path = tmp_path / "bad.xlf"
    path.write_text(content, "utf-8")
    before = snapshot(council)
    with pytest.raises(InputError, match=message) as error:
        import_annotations(council, "xliff", path)
    assert "\n" not in str(error.value)
    assert snapshot(council) == before


def test_xliff_with_an_edited_target_is_refused(council, tmp_path):
    path = tmp_path / "review.xlf"
    export_annotations(council, "xliff", path)
    path.write_text(path.read_text("utf-8").replace("Die Sitzung endete am Mittag.", "Die Sitzung endete mittags."), "utf-8")
    copy = bare_copy(council, tmp_path / "copy")
    before = snapshot(copy)
    with pytest.raises(InputError, match="the target of unit 'u3' of 'council.de.mt' differs from the corpus"):
        import_annotations(copy, "xliff", path)
    assert snapshot(copy) == before


def test_exports_are_atomic(council, tmp_path):
    target = tmp_path / "out.xlf"
    target.write_text("old", "utf-8")
    council.add_annotations([{"translation": "council.de.mt", "segment": 0, "start": 0, "end": 3, "category": "Style/Awkward",
                              "severity": "Minor", "annotator": "x\tx"}])
    from corpus import CalqueError

    with pytest.raises(CalqueError, match="contains a tab"):
        export_annotations(council, "google-mqm", target)
    assert target.read_text("utf-8") == "old" and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
