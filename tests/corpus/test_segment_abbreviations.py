"""Per-language abbreviations and ordinal numbers in sentence segmentation."""
from __future__ import annotations

import pytest

from corpus.segment import segment_text


@pytest.mark.parametrize("lang, text, expected", [
    ("de", "Im 19. Jh. baute man Hütten. Heute nicht.", ["Im 19. Jh. baute man Hütten.", "Heute nicht."]),
    ("de", "Es waren 19. Dann kam er.", ["Es waren 19.", "Dann kam er."]),
    ("de", "Siehe S. 295 im Heft. Gut.", ["Siehe S. 295 im Heft.", "Gut."]),
    ("fr", "Le 9 sept. 1988 nous partîmes. Ensuite nous descendîmes.", ["Le 9 sept. 1988 nous partîmes.", "Ensuite nous descendîmes."]),
    ("fr", "Le sommet culmine à 4017 m. Le lendemain, pluie.", ["Le sommet culmine à 4017 m.", "Le lendemain, pluie."]),
    ("en", "Approx. 200 people came. Nice.", ["Approx. 200 people came.", "Nice."]),
    ("en", "He left at 5 p.m. Then she came.", ["He left at 5 p.m.", "Then she came."]),
    ("en", "I said no. Then I left.", ["I said no.", "Then I left."]),
    ("is", "Þetta er o.s.frv. gott. Já.", ["Þetta er o.s.frv. gott.", "Já."]),
    ("it", "Vedi pag. 3 per i dettagli. Grazie.", ["Vedi pag. 3 per i dettagli.", "Grazie."]),
])
def test_abbreviations_per_language(lang, text, expected):
    segments = segment_text(text, lang)
    assert [s.text for s in segments] == expected
    assert all(text[s.start : s.end] == s.text for s in segments)
