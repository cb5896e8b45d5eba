"""Facts as a patient reads them: a region's value, in a language's words and numbers.

Text refers to a fact as ``{fact-id}``; this is the one place that decides what
its value looks like when printed, so every leaflet, edition and clinic file
message shows a number the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from handout.content.i18n import SOURCE_LANGUAGE, Words
from handout.content.model import (
    Clinic,
    EnglishVariant,
    Fact,
    FactNotSet,
    FactWords,
    Region,
    Source,
    Value,
    in_region,
)
from handout.content.texts import FACT_REF

if TYPE_CHECKING:
    from handout.content.loader import Content

EMERGENCY_FACT = "emergency-number"
"""The fact a clinic may set for itself (``emergency_number``)."""


class FactNotTranslated(Exception):
    """A fact's label, unit or serving has no words in this language yet."""

    def __init__(self, fact_id: str, part: str) -> None:
        super().__init__(fact_id)
        self.fact_id = fact_id
        self.part = part


def facts_for(content: Content, clinic: Clinic, words: Words) -> FactLookup:
    """The facts as this clinic prints them: its region's values, its own emergency number."""
    overrides = {EMERGENCY_FACT: clinic.emergency_number} if clinic.emergency_number else {}
    return FactLookup(content, clinic.region, words, overrides)


def citation(source: Source) -> str:
    """The printed citation, with its year where it has one. Only references print:
    a web article is background for the reviewer, never a source a patient is shown."""
    if source.year is not None:
        return f"{source.printed} ({source.year})."
    return f"{source.printed}."


class FactLookup:
    """Facts as printed for one region and language, remembering which sources were used."""

    def __init__(self, content: Content, region: Region, words: Words,
                 overrides: dict[str, str] | None = None) -> None:
        self._facts = content.facts
        self.region = region
        self._info = content.regions[region]
        self.words = words
        lang = words.lang
        self._translation = None if lang == SOURCE_LANGUAGE else content.translations[lang]
        self._overrides = overrides or {}
        """Values a clinic sets for itself, such as its own emergency number."""
        self.used_sources: list[str] = []
        self.printed: dict[str, str] = {}
        """Each fact's value as printed so far, by fact id."""

    def expand(self, text: str) -> str:
        """Replace every ``{fact-id}`` or ``{fact-id:field}`` in ``text``."""
        return FACT_REF.sub(lambda m: self.field(*_split_ref(m.group(1))), text)

    def field(self, fact_id: str, part: str = "value") -> str:
        fact = self._facts[fact_id]
        if part == "value" and fact_id in self._overrides:
            self.printed[fact_id] = self._overrides[fact_id]
            return self._overrides[fact_id]
        if fact.by_region is not None and fact.by_region[self.region].value is None and not (
                part == "label" and fact.by_region[self.region].label):
            raise FactNotSet(fact_id)
        fact = self._words_of(fact, part)
        value: Value | None
        if fact.by_region is not None:
            regional = fact.by_region[self.region]
            self.used_sources.extend(regional.sources)
            value = regional.value
            label = regional.label or fact.label
        else:
            assert fact.value is not None
            self.used_sources.extend(fact.sources)
            value = fact.value
            label = fact.label
        if part == "label":
            return "" if label is None else in_region(label, self.region, self._info.english)
        if part == "serving":
            assert fact.serving is not None
            return fact.serving.us if self._info.servings == "us" else fact.serving.metric
        assert value is not None  # a region without a value was refused above
        self.printed[fact_id] = format_value(fact, value, self.words)
        return self.printed[fact_id]

    def total(self, fact_ids: list[str]) -> str:
        """The sum of these facts' values in this region, printed like one of them:
        "about 315 mg". Each must be a single number in the same unit."""
        facts = [self._facts[fact_id] for fact_id in fact_ids]
        values = [self._value(fact) for fact in facts]
        units = {fact.unit for fact in facts}
        if len(units) != 1 or not all(isinstance(v, int | float) for v in values):
            raise ValueError(f"facts {', '.join(fact_ids)} cannot be added up: each must be "
                             "one number, all in the same unit")
        first = self._words_of(facts[0], "value")
        summed = first.model_copy(update={"about": any(fact.about for fact in facts)})
        return format_value(summed, sum(v for v in values if isinstance(v, int | float)),
                            self.words)

    def _value(self, fact: Fact) -> Value | None:
        if fact.by_region is not None:
            return fact.by_region[self.region].value
        return fact.value

    def _words_of(self, fact: Fact, part: str) -> Fact:
        """``fact`` with its label, unit and serving in the lookup's language."""
        if self._translation is None:
            return fact
        words = self._translation.facts.get(fact.id)
        unit = self._translation.unit(fact)
        update: dict[str, object] = {"unit": unit}
        if part == "value" and unit is None:
            raise FactNotTranslated(fact.id, "unit")
        if part == "serving":
            if words is None or words.serving is None:
                raise FactNotTranslated(fact.id, "serving")
            update["serving"] = words.serving
        if part == "label":
            label = _translated_label(fact, words, self.region, self._info.english)
            if label is None:
                raise FactNotTranslated(fact.id, "label")
            update["label"] = label
            update["by_region"] = None if fact.by_region is None else {
                region: regional.model_copy(update={"label": None})
                for region, regional in fact.by_region.items()}
        return fact.model_copy(update=update)


def _translated_label(fact: Fact, words: FactWords | None, region: Region,
                      english: EnglishVariant) -> str | None:
    if words is None:
        return None
    if fact.by_region is not None and fact.by_region[region].label:
        regional = words.by_region.get(region)
        return regional.label if regional else None
    return None if words.label is None else in_region(words.label, region, english)


def _split_ref(ref: str) -> tuple[str, str]:
    fact_id, _, part = ref.partition(":")
    return fact_id, part or "value"


def format_value(fact: Fact, value: Value, words: Words) -> str:
    if isinstance(value, str):  # a phone number, printed as it is dialled
        shown = value
    elif isinstance(value, tuple):
        shown = words._("{low} to {high}", low=words.number(value[0]),
                        high=words.number(value[1]))
    else:
        shown = words.number(value)
    if fact.unit:
        shown = f"{shown} {fact.unit}"
    return words._("about {amount}", amount=shown) if fact.about else shown


