"""French the member reads: « de » before a name (issue 18, defect 12)."""

import pytest

from shared.french import de


@pytest.mark.parametrize(("words", "expected"), [
    ("Inès Lambert", "d'Inès Lambert"), ("Karim", "de Karim"), ("Hugo", "d'Hugo"),
    ("Émile", "d'Émile"), ("Yasmine", "de Yasmine"), ("Yves", "d'Yves"),
    ("octobre 2026", "d'octobre 2026"), ("Fatima", "de Fatima"), ("Œdipe", "d'Œdipe")])
def test_de_elides_before_a_vowel_or_a_mute_h(words: str, expected: str) -> None:
    assert de(words) == expected
