"""Attention-check planting across scripts: digits changed in their own script, untranslated tails cut
at spaces where the script has them and at characters where it has none, unrelated replacements."""
from __future__ import annotations

import random

from pipelines.campaign.checks import change_numbers, leave_untranslated, plant, unrelated


def test_numbers_change_in_every_script_and_keep_their_length():
    for text in ("Die Strafe betrug 1,5 Millionen Euro am 3. Oktober.", "الغرامة ١٢٣ مليون", "जुर्माना ४५ करोड़", "罚款２０２３年"):
        changed, start, end = change_numbers(text, random.Random(1))
        assert len(changed) == len(text) and changed != text
        assert [c.isdigit() for c in changed] == [c.isdigit() for c in text]
        assert all(changed[i] == text[i] for i in range(len(text)) if not text[i].isdigit())
        assert text[start].isdigit() and text[end - 1].isdigit()
    assert change_numbers("keine Zahlen hier", random.Random(1)) is None


def test_untranslated_tail_at_word_or_character_boundaries():
    changed, start, end = leave_untranslated("Der Rat stimmte am Donnerstag dafür.", "The council voted in favour on Thursday.")
    assert changed.endswith(changed[start:end]) and changed[start:end] in "The council voted in favour on Thursday."
    assert changed[start - 1] == " " and not changed[start:end].startswith(" ")
    ja, s, e = leave_untranslated("評議会は木曜日に賛成票を投じた。", "理事会于星期四投了赞成票。")
    assert ja[s:e] and ja[s:e] in "理事会于星期四投了赞成票。" and ja.startswith("評議会")
    assert leave_untranslated("Text", None) is None


def test_unrelated_picks_another_text_and_plant_marks_its_row():
    assert unrelated("A", ["A", "", "B"], random.Random(0)) == ("B", 0, 1)
    rows = [{"idx": 0, "source": "One.", "target": "Eins."}, {"idx": 1, "source": "Two 2.", "target": "Zwei 2."}]
    copy, span = plant(rows, "numbers", [], random.Random(3))
    assert span == {"kind": "numbers", "item": 1, "side": "target", "start": 5, "end": 6}
    assert copy[0] == rows[0] and copy[1]["target"] != rows[1]["target"] and rows[1]["target"] == "Zwei 2."
