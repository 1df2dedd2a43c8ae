"""Length and lexical features of scripts without spaces or a shared alphabet, on small hand-made pairs."""
import pytest

from pipelines.align import align
from pipelines.align.dictionary import learn_dictionary
from pipelines.align.length import sentence_lengths, text_length
from pipelines.align.lexical import LexicalWeights, anchors
from pipelines.align.tokens import cjk_number, numbers, words

ZH = [
    "那天晚上我没走掉。",
    "陈清扬把我拽住，以伟大友谊的名义叫我留下来。",
    "她承认打我不对，也承认没有好好待我，但是她说我的伟大友谊是假的，还说，我把她骗出来就是想研究她的结构。",
    "我们在山上住了三十五天。",
    "她问：「你为什么不走？」",
]
EN = [
    "I did not leave that night.",
    "Chen Qingyang caught me and asked me to stay in the name of our great friendship.",
    "She admitted that she'd been wrong to slap me, and that she hadn't treated me well.",
    "But she said my great friendship was phony, and the reason I had tricked her into coming was to study her anatomy.",
    "We lived on the mountain for 35 days.",
    "She asked: \"Why don't you leave?\"",
]
GOLD = [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), (4,)), ((4,), (5,))]


def test_han_kana_and_hangul_count_as_latin_letter_equivalents():
    assert text_length("abc") == 3
    assert text_length("你好") == 6  # two Han characters ≈ six Latin letters
    assert text_length("陈清扬 Chen") == 3 * 3 + 5
    assert text_length("ありがとう") == pytest.approx(7.5)
    assert text_length("안녕") == 5
    assert text_length("Привет") == 6 and text_length("مرحبا") == 5  # alphabets count one per letter
    zh, en = sentence_lengths(ZH), sentence_lengths(EN)
    assert 0.5 < en.sum() / zh.sum() < 2  # in one unit, the two texts have comparable lengths


def test_length_method_aligns_chinese_with_english():
    beads = align(ZH, EN, "zh", "en", method="length")
    assert [(b.src, b.tgt) for b in beads] == GOLD


def test_numbers_in_every_notation():
    assert cjk_number("三十五") == 35 and cjk_number("两千零五") == 2005 and cjk_number("二〇二四") == 2024
    assert cjk_number("十") == 10 and cjk_number("一万三千") == 13000 and cjk_number("天") is None
    assert sorted(numbers("我们在山上住了三十五天，花了１２０元。")) == [35, 120]
    assert numbers("一个人") == []  # a lone 一 is mostly "a"
    assert numbers("We lived there for 35 days.") == [35]


def test_anchors_without_a_shared_alphabet():
    zh = anchors("她问：「你在IBM工作了三十五年吗？」", LexicalWeights())
    en = anchors('She asked: "Did you work at IBM for 35 years?"', LexicalWeights())
    shared = set(zh) & set(en)
    assert {"n:35", "p:?", "p:quote", "p::", "N:ibm"} <= shared  # IBM: a Latin name inside Chinese text


def test_spaceless_words_are_segmented():
    assert words("伟大友谊", "bigram") == ("伟大", "大友", "友谊")
    assert words("在IBM工作", "bigram") == ("在", "IBM", "工作")
    assert words("Москва и Париж") == ("Москва", "и", "Париж")


def test_jieba_segmenter_when_installed():
    pytest.importorskip("jieba")
    assert words("在IBM工作", "jieba") == ("在", "IBM", "工作")
    beads = align(ZH, EN, "zh", "en", method="lexical", segmenter="jieba")
    assert [(b.src, b.tgt) for b in beads] == GOLD


def test_word_list_learned_from_chinese_english_pairs():
    pairs = [("伟大友谊", "great friendship"), ("我们的友谊", "our friendship"), ("友谊万岁", "long live friendship"),
             ("山上", "on the mountain"), ("在山上", "up the mountain")]
    learned = learn_dictionary(pairs, min_count=2, min_dice=0.5)
    assert "friendship" in learned["友谊"] and "mountain" in learned["山上"]


def test_lexical_method_aligns_chinese_with_english():
    beads = align(ZH, EN, "zh", "en", method="lexical")
    assert [(b.src, b.tgt) for b in beads] == GOLD
