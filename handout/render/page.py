"""Fill a leaflet in for one clinic: facts for its region, its sources, its dates.

The result is what the templates print, with every ``{fact-id}`` replaced by the
value for the clinic's region. Templates never look a fact up themselves, so
there is one place that decides what a number looks like.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handout.content.i18n import SOURCE_LANGUAGE, MissingMessage, Words, words_for
from handout.content.loader import Content
from handout.content.model import (
    Block,
    Bullets,
    Callout,
    Checklist,
    Clinic,
    Fact,
    FactWords,
    FillIn,
    Leaflet,
    Paragraph,
    Region,
    Source,
    Table,
    Value,
    in_language,
)
from handout.content.texts import FACT_REF
from handout.content.translations import Translation
from handout.core.errors import Location, UserError, UserErrors, display_path

EMERGENCY_FACT = "emergency-number"
"""The fact a clinic may set for itself (``emergency_number``)."""


class FactNotSet(Exception):
    """A fact has no value for this region (for example no UK limit for children)."""


class FactNotTranslated(Exception):
    """A fact's label, unit or serving has no words in this language yet."""

    def __init__(self, fact_id: str, part: str) -> None:
        super().__init__(fact_id)
        self.fact_id = fact_id
        self.part = part


@dataclass(frozen=True)
class LeafletPage:
    """One leaflet as one clinic prints it in one language."""

    id: str
    lang: str
    words: Words
    """The leaflet's language: its fixed strings, dates and numbers."""
    clinic: Clinic
    leaflet: Leaflet
    blocks: tuple[Block, ...]
    notes: dict[str, str]
    """The clinic's own sentence after a block, by block id."""
    plan: dict[str, str]
    """What the clinic pre-fills in the "Your plan" lines: dose, form, timing."""
    source_ids: tuple[str, ...]
    """Every source the leaflet cites, in order: its blocks' and its facts'."""
    citations: tuple[str, ...]
    facts: dict[str, str]
    """Each fact's value as this leaflet prints it, by fact id: for the consistency gate."""
    review_line: str
    review_short: str
    """The clinic's review status in a few words, for the running footer."""


def resolve(content: Content, clinic: Clinic, lang: str, leaflet_id: str) -> LeafletPage:
    """Resolve ``leaflet_id`` for ``clinic`` in ``lang``; raise UserErrors if a fact has no
    value there or a word has no translation."""
    wording = wording_for(content, lang)
    errors: list[UserError] = list(wording.problems)
    leaflet = wording.leaflets.get(leaflet_id)
    if leaflet is None:
        errors.append(wording.missing("leaflet", leaflet_id, "leaflets/"))
        leaflet = content.leaflets[leaflet_id]
    words = wording.words(clinic.region)
    facts = facts_for(content, clinic, words)
    blocks: list[Block] = []
    for block_id in leaflet.blocks:
        if block_id in clinic.hide:
            continue
        block = wording.blocks.get(block_id)
        if block is None:
            errors.extend(wording.stale(block_id) or [wording.missing("block", block_id,
                                                                      "blocks/")])
            continue
        try:
            blocks.append(_resolve_block(block, facts))
        except FactNotSet as exc:
            errors.append(UserError(wording.place("block", block_id),
                                    f"fact '{exc}' has no value for region '{clinic.region}' "
                                    f"(clinic '{clinic.id}'): reword the block or give the "
                                    "fact a value for that region"))
        except FactNotTranslated as exc:
            errors.append(wording.missing("fact", exc.fact_id, "facts.yaml",
                                          f"the {exc.part} of fact"))
        except MissingMessage as exc:
            errors.extend(_missing_message(wording, words, exc))
    try:
        review = review_line(leaflet, clinic, words, wording.translation)
        short = review_short(clinic, words)
        plan = _plan(clinic, words)
    except MissingMessage as exc:
        errors.extend(_missing_message(wording, words, exc))
    if errors:
        raise UserErrors(list(dict.fromkeys(errors)))
    source_ids: list[str] = []
    for block in blocks:
        source_ids.extend(block.sources)
    source_ids.extend(facts.used_sources)
    ordered = list(dict.fromkeys(source_ids))
    return LeafletPage(
        id=leaflet_id,
        lang=lang,
        words=words,
        clinic=clinic,
        leaflet=leaflet,
        blocks=tuple(blocks),
        notes={b.id: in_language(clinic.notes[b.id], lang) for b in blocks
               if b.id in clinic.notes},
        plan=plan,
        source_ids=tuple(ordered),
        citations=tuple(citation(content.sources[s], words) for s in ordered),
        facts=dict(facts.printed),
        review_line=review,
        review_short=short,
    )


def _missing_message(wording: Wording, words: Words, exc: MissingMessage) -> list[UserError]:
    """A string the catalogue lacks; already said, with its line, if the catalogue
    has problems (an untranslated or broken entry is left out of it)."""
    return [] if wording.problems else [words.missing(str(exc))]


@dataclass(frozen=True)
class Wording:
    """The content's words in one language, and how to say one is missing."""

    lang: str
    leaflets: dict[str, Leaflet]
    blocks: dict[str, Block]
    content: Content
    translation: Translation | None = None

    def words(self, region: Region) -> Words:
        if self.translation is None:
            return words_for(self.lang, region)
        return words_for(self.lang, region, self.translation.messages,
                         self.translation.catalogue())

    @property
    def problems(self) -> tuple[UserError, ...]:
        return () if self.translation is None else self.translation.problems

    def place(self, kind: str, item_id: str) -> Location | None:
        if self.translation is not None and (kind, item_id) in self.translation.places:
            return self.translation.places[(kind, item_id)]
        return self.content.place(kind, item_id)

    def stale(self, block_id: str) -> tuple[UserError, ...]:
        """Why a block's translation no longer fits its English, if it does not."""
        return () if self.translation is None else self.translation.stale.get(block_id, ())

    def missing(self, kind: str, item_id: str, where: str, what: str | None = None
                ) -> UserError:
        """No words in this language for an item: point at its English and the file to add."""
        assert self.translation is not None
        folder = display_path(self.translation.folder)
        return UserError(self.content.place(kind, item_id), (
            f"{what or kind} '{item_id}' is not translated into {self.translation.name} "
            f"({self.lang}): add it to {folder}/{where}"))


def wording_for(content: Content, lang: str) -> Wording:
    if lang == SOURCE_LANGUAGE:
        return Wording(lang, content.leaflets, content.blocks, content)
    translation = content.translations[lang]
    return Wording(lang, translation.leaflets, translation.blocks, content, translation)


def facts_for(content: Content, clinic: Clinic, words: Words) -> FactLookup:
    """The facts as this clinic prints them: its region's values, its own emergency number."""
    overrides = {EMERGENCY_FACT: clinic.emergency_number} if clinic.emergency_number else {}
    return FactLookup(content, clinic.region, words, overrides)


def _plan(clinic: Clinic, words: Words) -> dict[str, str]:
    dose = clinic.recommended_dose
    if dose is None:
        return {}
    return {"dose": words._("{mg} mg a day", mg=words.number(dose.mg)),
            "form": in_language(dose.form, words.lang),
            "timing": in_language(dose.timing, words.lang)}


def review_line(leaflet: Leaflet, clinic: Clinic, words: Words,
                translation: Translation | None = None) -> str:
    """Say truthfully who has checked the words, and when they changed."""
    _, date = words._, words.date
    parts = [_("Last revised {date}.", date=date(leaflet.revised))]
    review = leaflet.clinical_review
    if review is not None:
        parts.append(_("Content reviewed by {name} on {date}.", name=review.by,
                       date=date(review.on)))
    if translation is not None:
        info = translation.info
        if info.reviewed_by and info.reviewed_on:
            parts.append(_("Translation checked by {name} on {date}.", name=info.reviewed_by,
                           date=date(info.reviewed_on)))
        else:
            parts.append(_("This translation has not yet been checked by a health "
                           "professional."))
    sign_off = clinic_sign_off(clinic, words)
    if sign_off:
        parts.append(f"{sign_off}.")
    else:
        parts.append(_("{clinic} has not reviewed this leaflet. Ask your own doctor or nurse "
                       "about your care.", clinic=clinic.name))
    return " ".join(parts)


def review_short(clinic: Clinic, words: Words) -> str:
    """The clinic's review status in a few words, for the running footer."""
    return clinic_sign_off(clinic, words) or words._("Not yet reviewed by {clinic}",
                                                     clinic=clinic.name)


def clinic_sign_off(clinic: Clinic, words: Words) -> str | None:
    """"Reviewed by ... on ...; next review ...", or None without a sign-off."""
    due = review_due(clinic)
    if clinic.reviewed_by is None or clinic.reviewed_on is None or due is None:
        return None
    return words._("Reviewed by {name} on {date}; next review {due}", name=clinic.reviewed_by,
                   date=words.date(clinic.reviewed_on), due=words.date(due))


def review_due(clinic: Clinic) -> dt.date | None:
    """When the clinic's sign-off runs out, or None if it has none."""
    if clinic.reviewed_on is None:
        return None
    return add_months(clinic.reviewed_on, clinic.review_every_months)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day if it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    first = dt.date(day.year + year, month + 1, 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first.replace(day=min(day.day, (following - dt.timedelta(days=1)).day))


def citation(source: Source, words: Words) -> str:
    """The printed citation with its year; a web article without one says so."""
    if source.year is not None:
        return f"{source.printed} ({source.year})."
    if source.kind == "web-article":
        undated = words._("no date")
        return f"{source.printed} ({undated})."
    return f"{source.printed}."


class FactLookup:
    """Facts as printed for one region and language, remembering which sources were used."""

    def __init__(self, content: Content, region: Region, words: Words,
                 overrides: dict[str, str] | None = None) -> None:
        self._facts = content.facts
        self.region = region
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
        if fact.by_region is not None and fact.by_region[self.region].value is None:
            raise FactNotSet(fact_id)
        fact = self._words_of(fact, part)
        if fact.by_region is not None:
            regional = fact.by_region[self.region]
            self.used_sources.extend(regional.sources)
            value: Value = regional.value
            label = regional.label or fact.label
        else:
            assert fact.value is not None
            self.used_sources.extend(fact.sources)
            value = fact.value
            label = fact.label
        if part == "label":
            return label or ""
        if part == "serving":
            assert fact.serving is not None
            return fact.serving.us if self.region == "us" else fact.serving.metric
        self.printed[fact_id] = format_value(fact, value, self.words)
        return self.printed[fact_id]

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
            label = _translated_label(fact, words, self.region)
            if label is None:
                raise FactNotTranslated(fact.id, "label")
            update["label"] = label
            update["by_region"] = None if fact.by_region is None else {
                region: regional.model_copy(update={"label": None})
                for region, regional in fact.by_region.items()}
        return fact.model_copy(update=update)


def _translated_label(fact: Fact, words: FactWords | None, region: Region) -> str | None:
    if words is None:
        return None
    if fact.by_region is not None and fact.by_region[region].label:
        regional = words.by_region.get(region)
        return regional.label if regional else None
    return words.label


def _split_ref(ref: str) -> tuple[str, str]:
    fact_id, _, part = ref.partition(":")
    return fact_id, part or "value"


def format_value(fact: Fact, value: Value, words: Words) -> str:
    if isinstance(value, tuple):
        shown = words._("{low} to {high}", low=words.number(value[0]),
                        high=words.number(value[1]))
    else:
        shown = words.number(value)
    if fact.unit:
        shown = f"{shown} {fact.unit}"
    return words._("about {amount}", amount=shown) if fact.about else shown


def _resolve_block(block: Block, facts: FactLookup) -> Block:
    x = facts.expand
    update: dict[str, object] = {}
    if block.heading:
        update["heading"] = x(block.heading)
    if isinstance(block, Paragraph):
        update["text"] = x(block.text)
    if isinstance(block, (Bullets, Checklist, FillIn)) and block.intro:
        update["intro"] = x(block.intro)
    if isinstance(block, (Bullets, Checklist, Callout)):
        update["items"] = [x(item) for item in block.items]
    if isinstance(block, Callout) and block.text:
        update["text"] = x(block.text)
    if isinstance(block, FillIn):
        update["lines"] = [x(line) if isinstance(line, str)
                           else line.model_copy(update={"label": x(line.label)})
                           for line in block.lines]
    if isinstance(block, Table):
        update["caption"] = x(block.caption)
        update["header"] = [x(cell) for cell in block.header]
        update["rows"] = _table_rows(block, facts)
        update["fact_rows"] = []
    return block.model_copy(update=update)


def _table_rows(table: Table, facts: FactLookup) -> list[list[str]]:
    """Written rows, or one row per fact; a row whose fact is not set here is left out."""
    rows: list[list[str]] = []
    if table.fact_rows:
        for fact_id in table.fact_rows:
            try:
                rows.append([facts.field(fact_id, column) for column in table.columns])
            except FactNotSet:
                continue
        return rows
    for row in table.rows:
        try:
            rows.append([facts.expand(cell) for cell in row])
        except FactNotSet:
            continue
    return rows
