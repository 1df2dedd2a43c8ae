"""Chinese and Japanese segmentation on hand-made paragraphs: 。！？ end a sentence, closing quotes stay
with it, and a full stop inside a quotation that continues never cuts it."""
from corpus.segment import segment_text


def texts(text, lang):
    segments = segment_text(text, lang)
    assert all(text[s.start : s.end] == s.text for s in segments)  # offsets stay exact
    return [s.text for s in segments]


def test_chinese_sentence_ends():
    assert texts("那天晚上我没走掉。陈清扬把我拽住，叫我留下来！你信吗？我不信?", "zh") == [
        "那天晚上我没走掉。", "陈清扬把我拽住，叫我留下来！", "你信吗？", "我不信?",
    ]


def test_full_stop_inside_a_quotation_does_not_cut_it():
    assert texts("他说：「我不去。你去吧！明天见。」然后走了。", "zh") == ["他说：「我不去。你去吧！明天见。」", "然后走了。"]
    assert texts("她问：“为什么？你说。”我没回答。", "zh") == ["她问：“为什么？你说。”", "我没回答。"]


def test_closing_quotes_and_repeated_marks_stay_with_the_sentence():
    assert texts("“你好。”他说，“我们走吧。”大家都笑了。真的吗？！好。", "zh") == [
        "“你好。”", "他说，“我们走吧。”", "大家都笑了。", "真的吗？！", "好。",
    ]
    assert texts("我不去。」他说。", "zh") == ["我不去。」", "他说。"]  # the quotation opened on an earlier line


def test_quotation_followed_by_a_comma_continues():
    assert texts("“走吧。”，他说。", "zh") == ["“走吧。”，他说。"]


def test_japanese_quotative_particle_continues_the_sentence():
    assert texts("「行きましょう。」と彼は言った。私は黙っていた。『雪国』を読んだ。", "ja") == [
        "「行きましょう。」と彼は言った。", "私は黙っていた。", "『雪国』を読んだ。",
    ]
    assert texts("「本当？」って聞いた。はい！", "ja") == ["「本当？」って聞いた。", "はい！"]


def test_paragraphs_and_lines_still_bound_sentences():
    segments = segment_text("第一章\n\n他来了。她走了\n没有句号的一行", "zh")
    assert [(s.paragraph, s.text) for s in segments] == [
        (0, "第一章"), (1, "他来了。"), (1, "她走了"), (1, "没有句号的一行"),
    ]


def test_latin_text_is_unchanged():
    assert texts("He left. She stayed.", "en") == ["He left.", "She stayed."]
