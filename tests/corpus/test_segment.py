from __future__ import annotations

from corpus.segment import SegmenterConfig, lines_as_segments, segment_text


def test_offsets_point_into_the_original_text_and_paragraphs_are_counted():
    text = "  First sentence. Second one!\n\n\nNew paragraph here? Yes.\nA headline without stop\n"
    segments = segment_text(text, "en")
    assert [s.text for s in segments] == ["First sentence.", "Second one!", "New paragraph here?", "Yes.", "A headline without stop"]
    assert [s.paragraph for s in segments] == [0, 0, 1, 1, 1]
    assert all(text[s.start : s.end] == s.text for s in segments)
    assert [s.idx for s in segments] == list(range(5))


def test_language_abbreviations_do_not_end_sentences():
    german = segment_text("Das sagte Dr. Müller gestern. Es kostet ca. 5 Mio. Euro.", "de")
    assert [s.text for s in german] == ["Das sagte Dr. Müller gestern.", "Es kostet ca. 5 Mio. Euro."]
    english = segment_text("Mr. Smith arrived. He left at noon.", "en-GB")
    assert [s.text for s in english] == ["Mr. Smith arrived.", "He left at noon."]


def test_configured_abbreviations_and_line_breaks():
    text = "Sie arbeitet bei Qwert. Morgen kommt sie.\nZweite Zeile"
    assert [s.text for s in segment_text(text, "de")] == ["Sie arbeitet bei Qwert.", "Morgen kommt sie.", "Zweite Zeile"]
    config = SegmenterConfig(line_breaks=False, extra_abbreviations={"de": frozenset({"Qwert."})})
    assert [s.text for s in segment_text(text, "de", config)][0] == "Sie arbeitet bei Qwert. Morgen kommt sie."


def test_lines_as_segments_keep_line_offsets():
    text, segments = lines_as_segments(["a b", "", "c"])
    assert text == "a b\n\nc"
    assert [(s.start, s.end, s.text) for s in segments] == [(0, 3, "a b"), (4, 4, ""), (5, 6, "c")]
