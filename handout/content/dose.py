"""The one shape of a dose, and the one check of it against the limits.

A dose is milligrams per dose times doses a day; the limit is on the day's
total, for the patient's age group, in the clinic's region. A clinic's
``recommended_dose`` and a patient's plan at the desk are both checked here, so
a dose cannot pass one way and be refused the other. Which limit covers which
age group is data: each limit fact lists the ``ages`` it covers per region.

Text a clinic or a nurse types around a dose (its form, its timing, a note, an
address) must not carry a dose of its own: a number in any script (not only
ASCII digits) in the fields that describe a dose, and anywhere a number, in
figures or words, followed by a dose unit ("900 mg", "two tablets", "dos
tabletas").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, get_args

from handout.content.facts import FactLookup, citation
from handout.content.i18n import SOURCE_LANGUAGE, words_for
from handout.content.model import AgeGroup, Fact, Region
from handout.content.texts import as_ascii_digits, first_number
from handout.core.errors import Location, UserError

if TYPE_CHECKING:
    from handout.content.loader import Content

AGE_GROUPS: tuple[AgeGroup, ...] = get_args(AgeGroup)
AGE_WORDS: dict[AgeGroup, str] = {
    "adult": "adults", "9-13": "children aged 9 to 13", "4-8": "children aged 4 to 8",
    "1-3": "children aged 1 to 3", "under-1": "babies under 1 year"}
"""Each age group as messages name it."""


@dataclass(frozen=True)
class DailyDose:
    """``mg`` per dose, ``times`` a day: the limit applies to ``total``."""

    mg: int
    times: int = 1

    @property
    def total(self) -> int:
        return self.mg * self.times

    def __str__(self) -> str:
        if self.times == 1:
            return f"{self.mg} mg a day"
        return f"{self.mg} mg {self.times} times a day ({self.total} mg a day)"


@dataclass(frozen=True)
class Limit:
    """The most a region allows an age group from supplements, and its sources."""

    fact_id: str
    mg: float
    shown: str
    """As the leaflets print it: "350 mg"."""
    cited: str


def limit_for(content: Content, region: Region, age: AgeGroup) -> Limit | str:
    """The region's limit for ``age``, or why there is none (a message's ending)."""
    lookup = FactLookup(content, region,
                        words_for(SOURCE_LANGUAGE, content.regions[region].territory))
    cited: list[str] = []
    for fact in content.facts.values():
        if not is_limit(fact) or fact.by_region is None:
            continue
        regional = fact.by_region[region]
        cited.extend(s for s in regional.sources if s not in cited)
        if age in regional.ages and isinstance(regional.value, int | float):
            return Limit(fact.id, regional.value, lookup.field(fact.id),
                         _citations(content, regional.sources))
    return (f"{content.regions[region].name} sets no limit on magnesium from supplements for "
            f"{AGE_WORDS[age]} ({_citations(content, cited)}), so no dose can be checked "
            "for them")


def is_limit(fact: Fact) -> bool:
    """A fact a dose is checked against: one that says which ages it covers."""
    return any(regional.ages for regional in (fact.by_region or {}).values())


def overlapping_limits(facts: list[tuple[Location, Region, Fact]],
                       known: dict[tuple[Region, str], str] | None = None) -> list[UserError]:
    """Each place where an age group's limit in a region is given a second time: a dose
    is checked against one limit, so which one must never depend on the facts' order.
    ``facts`` holds each fact with the place of a region's ``ages``; ``known``, the
    limits already given elsewhere, by (region, age group)."""
    covered: dict[tuple[Region, str], str] = dict(known or {})
    errors = []
    for at, region, fact in facts:
        assert fact.by_region is not None
        for age in fact.by_region[region].ages:
            first = covered.setdefault((region, age), fact.id)
            if first != fact.id:
                errors.append(UserError(at, (
                    f"age group '{age}' in region '{region}' already has its limit in fact "
                    f"'{first}': a dose is checked against one limit. Remove '{age}' from "
                    "one of them")))
    return errors


def dose_problem(content: Content, region: Region, age: AgeGroup, dose: DailyDose,
                 subject: str) -> str | None:
    """Why ``dose`` may not be printed for ``age`` in ``region``, or None if it may.
    ``subject`` names the dose in the message ("recommended_dose", "a dose")."""
    limit = limit_for(content, region, age)
    if isinstance(limit, str):
        return (f"{limit}. This tool prints leaflets, not prescriptions: leave the dose out, "
                "and the doctor writes it by hand")
    if dose.total <= limit.mg:
        return None
    return (f"{subject} of {dose} is over the {region.upper()} limit for {AGE_WORDS[age]} of "
            f"{limit.shown} a day from supplements ({limit.cited}). Lower it to "
            f"{limit.shown} a day or less; a higher dose is the doctor's to write by hand")


def _citations(content: Content, source_ids: list[str]) -> str:
    return "; ".join(citation(content.sources[s]) for s in source_ids)


# --- dose-like text ---------------------------------------------------------------



def _listed(words: str) -> tuple[str, ...]:
    return tuple(words.split())


NUMBER_WORDS = _listed(
    # English
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred thousand half quarter double triple dozen "
    # Spanish
    "cero uno una un dos tres cuatro cinco seis siete ocho nueve diez once doce trece "
    "catorce quince dieciséis dieciseis diecisiete dieciocho diecinueve veinte veintiún "
    "veintiuno veintidós veintidos veintitrés veintitres treinta cuarenta cincuenta sesenta "
    "setenta ochenta noventa cien ciento cientos doscientos doscientas trescientos "
    "cuatrocientos quinientos seiscientos setecientos ochocientos novecientos mil medio "
    "media cuarto doble triple docena")
DOSE_UNITS = _listed(
    # English
    "mg milligram milligrams milligramme milligrammes mcg µg μg ug gram grams gramme "
    "grammes ml millilitre millilitres milliliter milliliters tablet tablets tab tabs "
    "capsule capsules caps pill pills caplet caplets softgel softgels gummy gummies "
    "lozenge lozenges sachet sachets scoop scoops teaspoon teaspoons tsp spoonful "
    "spoonfuls "
    # Spanish
    "miligramo miligramos gramo gramos mililitro mililitros tableta tabletas pastilla "
    "pastillas cápsula cápsulas capsula capsulas comprimido comprimidos píldora píldoras "
    "pildora pildoras gragea grageas sobre sobres cucharada cucharadas cucharadita "
    "cucharaditas")
_WORD = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
_UNIT = "|".join(sorted(map(re.escape, DOSE_UNITS), key=len, reverse=True))
_NUMBER = rf"(?:0+(?:[.,]0+)*|(?i:\b(?:{_WORD})\b))"
DOSE_TEXT = re.compile(
    rf"{_NUMBER}(?:(?:\s+|\s*-\s*|\s+(?i:and|a|y|of|de)\s+){_NUMBER})*"
    rf"(?:\s+(?i:of|de))?(?:\s+(?i:a|an|the|la|el|un|una))?\s*(?:-\s*)?"
    rf"(?<![^\W\d_])(?:(?i:{_UNIT})|g)(?!\w)")
"""A number (every digit, in any script, read as 0) and a dose unit after it. A
lone "g" counts only in lower case, so "12 G Street" is an address, not grams."""


def dose_in(text: str) -> str | None:
    """The first number with a dose unit in ``text`` ("900 mg", "two tablets"), as
    written, or None."""
    match = DOSE_TEXT.search(as_ascii_digits(text))
    return text[match.start():match.end()] if match else None


def dose_text_problem(text: str, field: str, numbers_allowed: bool) -> str | None:
    """Why ``text`` may not stand in ``field``, or None. Where ``numbers_allowed``
    (an address: its street number), only a number with a dose unit is refused."""
    dose = dose_in(text)
    if dose is not None:
        return (f"{field} says '{dose}', which reads as a dose: a dose is written only as "
                "milligrams and times a day, where it is checked against the limit. Remove "
                "it from this text")
    number = None if numbers_allowed else first_number(text)
    if number is not None:
        return (f"{field} has the number '{number}': the words around a dose may not carry "
                "numbers, as they are not checked against the limit. Write it in words "
                "without numbers, or put the amount in the dose")
    return None
