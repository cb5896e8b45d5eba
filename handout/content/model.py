"""The typed content model: sources, facts, blocks, leaflets and clinics.

Every model is frozen and refuses unknown keys, so a typo in a YAML file is an
error with a location rather than a field that silently does nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Region = str
"""A region's code: the name of its file in ``content/regions/`` (``us``, ``ca``)."""
Paper = Literal["letter", "a4"]
AgeGroup = Literal["adult", "9-13", "4-8", "1-3", "under-1"]
"""Who a dose is for: the age groups the regions set their supplement limits by."""

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
"""Ids are lower-case words joined by hyphens: they appear in file names and URLs."""
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
SourceIds = Annotated[list[Id], Field(min_length=1)]
Number = int | float
PhoneNumber = Annotated[str, StringConstraints(pattern=r"^[0-9][0-9 -]{1,18}[0-9]$")]
"""A number to call, written as it is dialled: ``1-800-222-1222``."""
Value = Number | tuple[Number, Number] | PhoneNumber
"""A single number, a range written as ``[low, high]``, or a phone number in quotes."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


# --- sources -------------------------------------------------------------------


class Source(Model):
    """A document the content relies on."""

    id: Id
    kind: Literal["web-article", "reference"]
    title: ShortText
    publisher: ShortText
    year: int | None = Field(default=None, ge=1900, le=2100)
    file: ShortText | None = None
    """For the source documents: their file name in the shared sources folder."""
    url: ShortText | None = None
    printed: ShortText
    """The citation as the patient sees it in the leaflet's small print."""
    note: Text | None = None
    """For the reviewer: what we took from it and what we left out or corrected."""


# --- facts ---------------------------------------------------------------------


class FactNotSet(Exception):
    """A fact has no value for this region (for example no UK limit for children)."""


class Serving(Model):
    """A food portion, in the units a region's patients use."""

    us: ShortText
    metric: ShortText


class RegionalValue(Model):
    value: Value | None
    """``null`` means no limit is set for this region: rows that need it are left out."""
    label: ShortText | None = None
    sources: SourceIds
    ages: list[AgeGroup] = []
    """For a limit: the age groups it covers in this region, which a dose for one of
    them is checked against (``content/dose.py``)."""


RegionalWords = dict[str, ShortText]
"""Words a region says its own way ("whole-wheat" in the US, "wholemeal" in the UK):
by region code, or by English variant (``us`` or ``uk``) for every region that speaks it."""
EnglishVariant = Literal["us", "uk"]


def in_region(words: str | RegionalWords, region: Region, english: EnglishVariant) -> str:
    """``words`` as ``region`` says them: its own, else those of its English variant."""
    if isinstance(words, str):
        return words
    return words[region] if region in words else words[english]


class Fact(Model):
    """A number a patient reads, stated once, with where it comes from."""

    id: Id
    label: ShortText | RegionalWords | None = None
    """What the number is of; one per region where regions say it differently."""
    unit: str = ""
    about: bool = False
    """Print "about" before the value (food amounts are averages)."""
    value: Value | None = None
    by_region: dict[Id, RegionalValue] | None = None
    serving: Serving | None = None
    sources: list[Id] = []
    note: Text | None = None

    @model_validator(mode="after")
    def _one_kind_of_value(self) -> Fact:
        """Whether every region has its value and words is checked with the regions
        (``content/regions.py``): a region's values may be in its own file."""
        if (self.value is None) == (self.by_region is None):
            raise ValueError("give either 'value' or 'by_region', not both or neither")
        if self.by_region is None and not self.sources:
            raise ValueError("'sources' must list at least one source id")
        return self


# --- regions -------------------------------------------------------------------

Territory = Annotated[str, StringConstraints(pattern=r"^([A-Z]{2}|[0-9]{3})$")]


class RegionInfo(Model):
    """``content/regions/<code>.yaml``: a region, declared once. Adding one is adding
    a file: nothing in the code names a region."""

    code: Id
    """Must match the file name; a clinic names its region by it."""
    name: ShortText
    """As a sentence names it: "the US", "Canada"."""
    english: EnglishVariant
    """Which English words its leaflets use where the regions differ: ``us``
    ("whole-wheat bread") or ``uk`` ("wholemeal bread")."""
    servings: Literal["us", "metric"]
    """The units of food portions: US cups and ounces, or grams."""
    territory: Territory
    """The CLDR territory whose conventions dates and numbers follow: CA, GB, 150."""
    paper: Paper
    """The paper size a new clinic in this region starts with."""
    facts: dict[Id, RegionalValue] = {}
    """This region's value of facts given by region, by fact id; the same as a
    ``by_region`` entry in ``facts.yaml`` (where the first regions keep theirs)."""


# --- leaflets ------------------------------------------------------------------


class Leaflet(Model):
    title: ShortText
    message: Text
    """The one-sentence main message printed at the top."""
    blocks: Annotated[list[Id], Field(min_length=1)]
    budget_pages: int = Field(ge=1, le=4)
    revised: dt.date
    """When the words were last changed: printed, and used as the PDF's date."""
    booklet_place: int = Field(default=99, ge=1, le=99)
    """Where the leaflet comes in the booklet edition (1 first; ties go by file name), so
    that a patient reads what the condition is and what to do before the details."""


# --- translations --------------------------------------------------------------

ReadingFormula = Literal["flesch-kincaid-grade", "fernandez-huerta", "szigriszt-pazos",
                         "flesch-reading-ease"]
GRADE_FORMULAS = ("flesch-kincaid-grade",)
"""Formulas that give a school grade (lower is easier); the others give an ease
score from 0 to 100 (higher is easier)."""


class ReadingScale(Model):
    """How a language's reading level is measured, and the level to reach."""

    formula: ReadingFormula
    limit: float
    """The highest grade, or the lowest ease score, a leaflet may have."""


class GlossaryTerm(Model):
    """A word a patient may not know, and the plain words that explain it: the
    health-literacy gate checks that the first sentence using it also explains it."""

    term: ShortText
    explained_by: Annotated[list[ShortText], Field(min_length=1)]
    """Any of these, in the same sentence as the term's first use, explains it."""


class LanguageInfo(Model):
    """``content/translations/<lang>/language.yaml``: the language and its sign-off."""

    name: ShortText
    """The language's name in itself, like "Español"."""
    reading: ReadingScale
    sentence_words: int | None = Field(default=None, ge=5, le=60)
    """The most words a sentence may have (Easy Read: 15); none for no limit."""
    abbreviations: list[ShortText] = []
    """Words this text may not print, because a reader may not know them (Easy Read:
    "mg", "e.g."): the words to write out in full."""
    reviewed_by: ShortText | None = None
    """Who checked the translation against the English: a bilingual clinician."""
    reviewed_on: dt.date | None = None

    @model_validator(mode="after")
    def _sign_off_complete(self) -> LanguageInfo:
        if (self.reviewed_by is None) != (self.reviewed_on is None):
            raise ValueError("give both 'reviewed_by' and 'reviewed_on', or neither")
        return self


class LeafletWords(Model):
    """A leaflet's title and main message in another language."""

    title: ShortText
    message: Text


class RegionLabel(Model):
    label: ShortText


class FactWords(Model):
    """A fact's words in another language; its numbers stay in ``facts.yaml``."""

    id: Id
    label: ShortText | RegionalWords | None = None
    """One label for every region, or one per region where they say it differently."""
    unit: ShortText | None = None
    """Needed when the English unit is a word (weeks), not a symbol (mg)."""
    by_region: dict[Id, RegionLabel] = {}
    serving: Serving | None = None
    note: Text | None = None


# --- clinics -------------------------------------------------------------------

HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Phone = Annotated[str, StringConstraints(strip_whitespace=True,
                                         pattern=r"^\+?[0-9(][0-9 ().-]{4,24}[0-9]$")]
WebAddress = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200,
                                              pattern=r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
                                                      r"(/[^\s<>\"]*)?$")]


Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
LocalText = Text | dict[Language, Text]
"""Words a clinic writes: plain text if it prints one language, else one text per
language (``en: ...``, ``es: ...``)."""
LocalShortText = ShortText | dict[Language, ShortText]


def in_language(text: str | dict[str, str], lang: str) -> str:
    """``text`` in ``lang``; the clinic's file has been checked to have it."""
    return text if isinstance(text, str) else text[lang]


class Logo(Model):
    file: ShortText
    """An SVG or PNG file in the same folder as the clinic file."""
    alt: LocalShortText
    """What the logo says, for screen readers."""


class Colors(Model):
    primary: HexColor = "#1f4e79"
    accent: HexColor = "#7a4a00"


class Dose(Model):
    """The clinic's usual advice for adults. Checked against the region's limit, and
    printed on no leaflet: a leaflet goes to everyone, and a dose on every copy reads
    as a prescription."""

    mg: int = Field(gt=0, le=100_000)
    """Milligrams of magnesium in one dose."""
    times_a_day: int = Field(default=1, ge=1, le=6)
    """Doses a day: the limit is checked on ``mg`` times this."""
    form: LocalShortText
    timing: LocalShortText


ClinicName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                              max_length=80)]
"""Printed in the masthead and in every page's footer line, so it must fit one line."""


class Clinic(Model):
    id: Id
    name: ClinicName
    region: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    """A file in ``content/regions/``: its limits, numbers, words and units."""
    paper: Paper
    languages: Annotated[list[Language], Field(min_length=1)]
    """Each must be a language the content is written in."""
    leaflets: list[Id] = []
    """Which leaflets to build; empty means all."""
    editions: list[ShortText] = []
    """The editions the clinic offers besides the standard leaflet (``large-print``,
    ``web``): built when ``--edition`` is not given, and named in each leaflet's line
    on the formats a patient can ask for. Checked against the editions when the
    clinic loads, with "did you mean"."""
    logo: Logo | None = None
    colors: Colors = Colors()
    phone: Phone | None = None
    after_hours: Phone | None = None
    address: ShortText | None = None
    website: WebAddress | None = None
    emergency_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")] | None = None
    """Defaults to the region's (its ``emergency-number`` fact)."""
    review_every_months: int = Field(default=24, ge=1, le=60)
    """How long a sign-off (``<id>.signoffs.yaml``) stands before the words must be
    reviewed again."""
    max_reading_grade: int = Field(default=8, ge=3, le=8)
    """Flesch-Kincaid grade a leaflet may reach: 8 (NIH: below 8th grade), or stricter."""
    notes: dict[Id, LocalText] = {}
    """The clinic's own sentence after a block, by block id."""
    hide: list[Id] = []
    recommended_dose: Dose | None = None
