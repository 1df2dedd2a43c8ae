"""Sentence segmentation that keeps paragraph membership and exact character offsets.

Paragraphs are separated by blank lines; a single line break inside a paragraph is a hard boundary
too (headlines, bullet lists). Inside a line, sentences come from sentencex, with a per-language list
of abbreviations after which a full stop never ends a sentence; Chinese and Japanese lines are cut by
the quotation-aware rules of `cjk_sentence_spans`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sentencex import segment as sentencex_segment

from corpus.languages import base_language

PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
LINE = re.compile(r"[^\n]+")

ABBREVIATIONS: dict[str, frozenset[str]] = {
    "de": frozenset(
        "z.B. d.h. u.a. bzw. ca. Dr. Prof. Nr. Str. usw. vgl. evtl. ggf. inkl. Mio. Mrd. Jh. St. geb. Abs. Art. Hrsg.".split()
        + "Abb. Bd. Bde. Fr. Hr. Jhd. Kap. Min. Std. Tel. u.ä. v.a. z.T. ff. S. sog. exkl. zzgl. Ing. Dipl. Mag. ebd. "
        "gegr. bspw. Bsp. Jan. Feb. Aug. Sep. Sept. Okt. Nov. Dez. Tsd. etc. o.ä. u.U. i.d.R. m.E. u.v.m. Mt.".split()
    ),
    "en": frozenset(
        "Mr. Mrs. Ms. Dr. Prof. St. Jr. Sr. e.g. i.e. etc. vs. No. Inc. Ltd. Co. Corp. U.S. U.K.".split()
        + "approx. fig. figs. vol. vols. pp. ch. chap. dept. mt. ft. ave. blvd. cf. al. ed. eds. capt. sgt. col. "
        "lt. gen. rev. hon. jan. feb. apr. aug. sept. oct. nov. dec. Nos.".split()
    ),
    "fr": frozenset(
        "M. Mme. Mlle. Dr. etc. cf. av. apr. J.-C. St. Ste.".split()
        + "MM. Mme Mmes Mlle Pr. janv. févr. avr. juil. sept. oct. nov. déc. p. pp. s. suiv. env. chap. vol. fig. "
        "éd. n° art. ex. boul. bd. tél. hab. ca.".split()
    ),
    "it": frozenset("sig. sig.ra sigg. dott. prof. ing. avv. pag. pagg. ecc. cfr. p.es. ca. n. nn. vol. cap. fig. "
                    "gen. feb. apr. ago. sett. ott. nov. dic. S. Sig. Dott. Prof. Ing. Avv. Spett.".split()),
    "es": frozenset("Sr. Sra. Srta. Dr. Dra. Ud. Uds. pág. págs. núm. aprox. etc. ej. vol. cap. fig. Avda. Av. tel. "
                    "ene. feb. abr. ago. sept. oct. nov. dic. Lic. Ing. Dña. D. Prof.".split()),
    "pt": frozenset("Sr. Sra. Srta. Dr. Dra. pág. págs. p.ex. etc. aprox. n.º nº vol. cap. fig. Av. tel. jan. fev. "
                    "abr. ago. set. out. nov. dez. Prof. Eng.".split()),
    "nl": frozenset("bijv. d.w.z. o.a. nr. blz. m.a.w. enz. ca. dhr. mevr. mr. dr. ir. prof. drs. ing. jan. feb. "
                    "aug. sept. okt. nov. dec. vgl. resp. zgn. t.a.v. i.p.v.".split()),
    "is": frozenset("t.d. o.s.frv. þ.e. þ.e.a.s. m.a. o.fl. sbr. skv. u.þ.b. nr. kl. f.Kr. e.Kr. bls. ath. frh. "
                    "m.t.t. o.þ.h. t.a.m.".split()),
    "sv": frozenset("t.ex. bl.a. m.m. osv. s.k. d.v.s. ca. nr. fr.o.m. jfr. resp. st. kl.".split()),
    "da": frozenset("f.eks. bl.a. osv. ca. nr. dvs. jf. mht. pga. evt. kl. hhv.".split()),
    "nb": frozenset("f.eks. bl.a. osv. ca. nr. dvs. jf. mht. pga. evt. kl. hhv.".split()),
    "pl": frozenset("np. tzn. tj. itd. itp. ok. ul. al. nr. str. godz. dr. prof. inż. mgr. pkt. zob. tys. mln. mld.".split()),
    "cs": frozenset("např. tzn. tj. atd. apod. ul. č. str. mj. resp. tzv. popř. cca. Dr. Ing. Mgr. prof.".split()),
    "ru": frozenset("т.е. т.к. т.д. т.п. г. гг. им. ул. стр. см. напр. др. проф. млн. млрд. тыс. руб. коп. вв.".split()),
}
# Languages that write ordinal numbers with a full stop ("am 19. Juni"): a piece ending in "19." does not
# end the sentence when the next piece starts with an abbreviation or a lower-case word ("im 19. Jh.").
ORDINAL_DOT_LANGUAGES = frozenset("de da nb nn no is fi cs sk pl hu sl hr sr bs et lv lt tr".split())
ORDINAL = re.compile(r"(?:^|\s)\d{1,4}\.$")


@dataclass(frozen=True)
class Segment:
    idx: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SegmenterConfig:
    """How a text is cut: `line_breaks` makes every line break a boundary; extra abbreviations per language."""

    line_breaks: bool = True
    extra_abbreviations: dict[str, frozenset[str]] = field(default_factory=dict)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(token: str, abbreviations: frozenset[str]) -> bool:
    """Exact match, or the capitalised form of a listed lower-case abbreviation ("Approx." for "approx.")."""
    token = token.lstrip("([{«„“‚‘\"'")
    if token in abbreviations:
        return True
    return len(token) > 3 and token[0].isupper() and token[0].lower() + token[1:] in abbreviations


def _ends_with_abbreviation(sentence: str, abbreviations: frozenset[str]) -> bool:
    last = sentence.rstrip().rsplit(None, 1)
    if not last:
        return False
    return _is_abbreviation(last[-1], abbreviations)


def _ordinal_continues(previous: str, piece: str, lang: str, abbreviations: frozenset[str]) -> bool:
    if lang not in ORDINAL_DOT_LANGUAGES or not ORDINAL.search(previous.rstrip()):
        return False
    first = piece.split(None, 1)[0] if piece.split() else ""
    return bool(first) and (first[0].islower() or _is_abbreviation(first, abbreviations))


# Chinese and Japanese: a sentence ends at 。！？ (or ! ? …), together with any closing quotes and
# brackets right after it; a full stop inside a quotation never ends the sentence; after a quotation
# ends with a full stop, a following particle (Japanese と/って) or comma-like mark continues it.
CJK_FINAL = frozenset("。！？!?｡")
CJK_OPEN_TO_CLOSE = {"「": "」", "『": "』", "“": "”", "‘": "’", "（": "）", "(": ")", "《": "》", "〈": "〉", "【": "】"}
CJK_CLOSING = frozenset(CJK_OPEN_TO_CLOSE.values())
CJK_TRAILING = CJK_FINAL | CJK_CLOSING | frozenset("…⋯")
CJK_CONTINUATIONS: dict[str, tuple[str, ...]] = {
    "ja": ("と", "って", "っと", "という", "とか", "など"),
    "zh": (),
}
CJK_CONTINUING_MARKS = frozenset("，、：；,:;")


def cjk_sentence_spans(chunk: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of one line of Chinese or Japanese text (see the rules above)."""
    continuations = CJK_CONTINUATIONS.get(lang, ())
    spans: list[tuple[int, int]] = []
    open_quotes: list[str] = []
    start, k, n = 0, 0, len(chunk)
    while k < n:
        ch = chunk[k]
        if ch in CJK_OPEN_TO_CLOSE:
            open_quotes.append(CJK_OPEN_TO_CLOSE[ch])
        elif open_quotes and ch == open_quotes[-1]:
            open_quotes.pop()
        elif ch in CJK_CLOSING and ch in open_quotes:  # a skipped inner closing mark: unwind to it
            while open_quotes and open_quotes.pop() != ch:
                pass
        if ch in CJK_FINAL and not open_quotes:
            end = k + 1
            while end < n and chunk[end] in CJK_TRAILING:
                end += 1
            spans.append((start, end))
            start = k = end
            continue
        if ch in CJK_CLOSING and not open_quotes and k > 0 and chunk[k - 1] in CJK_FINAL:
            end = k + 1
            while end < n and chunk[end] in CJK_TRAILING:
                end += 1
            rest = chunk[end:].lstrip()
            if not rest.startswith(continuations) or not continuations:
                if not rest[:1] or rest[0] not in CJK_CONTINUING_MARKS:
                    spans.append((start, end))
                    start = end
            k = end
            continue
        k += 1
    if chunk[start:].strip():
        spans.append((start, n))
    return [span for span in (_stripped(chunk, s, e) for s, e in spans) if span[0] < span[1]]


def _sentences(text: str, start: int, end: int, lang: str, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], located by searching each sentencex piece in order."""
    chunk = text[start:end]
    if lang in CJK_CONTINUATIONS:
        return [(start + s, start + e) for s, e in cjk_sentence_spans(chunk, lang)]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in sentencex_segment(lang, chunk):
        stripped = piece.strip()
        if not stripped:
            continue
        found = chunk.find(stripped, cursor)
        if found < 0:  # sentencex normalised something; fall back to the raw cursor position
            found = cursor
        piece_end = found + len(stripped)
        previous = chunk[spans[-1][0] : spans[-1][1]] if spans else ""
        if spans and (_ends_with_abbreviation(previous, abbreviations)
                      or _ordinal_continues(previous, stripped, lang, abbreviations)):
            spans[-1] = (spans[-1][0], piece_end)
        else:
            spans.append((found, piece_end))
        cursor = piece_end
    if not spans and chunk.strip():
        spans.append(_stripped(chunk, 0, len(chunk)))
    return [(start + s, start + e) for s, e in spans]


def segment_text(text: str, lang: str, config: SegmenterConfig | None = None) -> list[Segment]:
    """Cut `text` into sentences; every Segment's text is exactly text[start:end]."""
    config = config or SegmenterConfig()
    language = base_language(lang)
    abbreviations = ABBREVIATIONS.get(language, frozenset()) | config.extra_abbreviations.get(language, frozenset())
    result: list[Segment] = []
    for paragraph, (p_start, p_end) in enumerate(paragraph_spans(text)):
        if config.line_breaks:
            lines = [(p_start + m.start(), p_start + m.end()) for m in LINE.finditer(text[p_start:p_end])]
        else:
            lines = [(p_start, p_end)]
        for l_start, l_end in lines:
            l_start, l_end = _stripped(text, l_start, l_end)
            if l_start == l_end:
                continue
            for s_start, s_end in _sentences(text, l_start, l_end, language, abbreviations):
                s_start, s_end = _stripped(text, s_start, s_end)
                if s_start < s_end:
                    result.append(Segment(len(result), paragraph, s_start, s_end, text[s_start:s_end]))
    return result


def lines_as_segments(lines: list[str]) -> tuple[str, list[Segment]]:
    """One segment per line (parallel files): the text is the lines joined by newlines, one paragraph each."""
    segments, offset = [], 0
    for idx, line in enumerate(lines):
        segments.append(Segment(idx, idx, offset, offset + len(line), line))
        offset += len(line) + 1
    return "\n".join(lines), segments
