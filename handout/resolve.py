"""Fill a leaflet in for one clinic: facts for its region, its sources, its dates.

The result is what the templates print, with every ``{fact-id}`` replaced by the
value for the clinic's region. Templates never look a fact up themselves, so
there is one place that decides what a number looks like.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .content import Content
from .errors import UserError, UserErrors
from .model import (
    Block,
    Bullets,
    Callout,
    Checklist,
    Clinic,
    Fact,
    FillIn,
    Leaflet,
    Paragraph,
    Region,
    Source,
    Table,
    Value,
)
from .texts import FACT_REF

EMERGENCY_FACT = "emergency-number"
"""The fact a clinic may set for itself (``emergency_number``)."""


class FactNotSet(Exception):
    """A fact has no value for this region (for example no UK limit for children)."""


@dataclass(frozen=True)
class LeafletPage:
    """One leaflet as one clinic prints it in one language."""

    id: str
    lang: str
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
    """Resolve ``leaflet_id`` for ``clinic``; raise UserErrors if a fact has no value there."""
    leaflet = content.leaflets[leaflet_id]
    facts = facts_for(content, clinic)
    blocks: list[Block] = []
    errors: list[UserError] = []
    for block_id in leaflet.blocks:
        if block_id in clinic.hide:
            continue
        try:
            blocks.append(_resolve_block(content.blocks[block_id], facts))
        except FactNotSet as exc:
            errors.append(UserError(content.place("block", block_id),
                                    f"fact '{exc}' has no value for region '{clinic.region}' "
                                    f"(clinic '{clinic.id}'): reword the block or give the "
                                    "fact a value for that region"))
    if errors:
        raise UserErrors(errors)
    source_ids: list[str] = []
    for block in blocks:
        source_ids.extend(block.sources)
    source_ids.extend(facts.used_sources)
    ordered = list(dict.fromkeys(source_ids))
    return LeafletPage(
        id=leaflet_id,
        lang=lang,
        clinic=clinic,
        leaflet=leaflet,
        blocks=tuple(blocks),
        notes={b.id: clinic.notes[b.id] for b in blocks if b.id in clinic.notes},
        plan=_plan(clinic),
        source_ids=tuple(ordered),
        citations=tuple(citation(content.sources[s]) for s in ordered),
        facts=dict(facts.printed),
        review_line=review_line(leaflet, clinic),
        review_short=review_short(clinic),
    )


def facts_for(content: Content, clinic: Clinic) -> FactLookup:
    """The facts as this clinic prints them: its region's values, its own emergency number."""
    overrides = {EMERGENCY_FACT: clinic.emergency_number} if clinic.emergency_number else {}
    return FactLookup(content, clinic.region, overrides)


def _plan(clinic: Clinic) -> dict[str, str]:
    dose = clinic.recommended_dose
    if dose is None:
        return {}
    return {"dose": f"{dose.mg} mg a day", "form": dose.form, "timing": dose.timing}


def review_line(leaflet: Leaflet, clinic: Clinic) -> str:
    """Say truthfully who has checked the words, and when they changed."""
    parts = [f"Last revised {format_date(leaflet.revised)}."]
    review = leaflet.clinical_review
    if review is not None:
        parts.append(f"Content reviewed by {review.by} on {format_date(review.on)}.")
    sign_off = clinic_sign_off(clinic)
    if sign_off:
        parts.append(f"{sign_off}.")
    else:
        parts.append(f"{clinic.name} has not reviewed this leaflet. Ask your own doctor or "
                     "nurse about your care.")
    return " ".join(parts)


def review_short(clinic: Clinic) -> str:
    """The clinic's review status in a few words, for the running footer."""
    return clinic_sign_off(clinic) or f"Not yet reviewed by {clinic.name}"


def clinic_sign_off(clinic: Clinic) -> str | None:
    """"Reviewed by ... on ...; next review ...", or None without a sign-off."""
    due = review_due(clinic)
    if clinic.reviewed_by is None or clinic.reviewed_on is None or due is None:
        return None
    return (f"Reviewed by {clinic.reviewed_by} on {format_date(clinic.reviewed_on)}; "
            f"next review {format_date(due)}")


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


def citation(source: Source) -> str:
    """The printed citation with its year; a web article without one says so."""
    if source.year is not None:
        return f"{source.printed} ({source.year})."
    if source.kind == "web-article":
        return f"{source.printed} (no date)."
    return f"{source.printed}."


def format_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class FactLookup:
    """Facts as printed for one region, remembering which sources were used."""

    def __init__(self, content: Content, region: Region,
                 overrides: dict[str, str] | None = None) -> None:
        self._facts = content.facts
        self.region = region
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
        if fact.by_region is not None:
            regional = fact.by_region[self.region]
            if regional.value is None:
                raise FactNotSet(fact_id)
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
        self.printed[fact_id] = format_value(fact, value)
        return self.printed[fact_id]


def _split_ref(ref: str) -> tuple[str, str]:
    fact_id, _, part = ref.partition(":")
    return fact_id, part or "value"


def format_value(fact: Fact, value: Value) -> str:
    if isinstance(value, tuple):
        shown = f"{_number(value[0])} to {_number(value[1])}"
    else:
        shown = _number(value)
    if fact.unit:
        shown = f"{shown} {fact.unit}"
    return f"about {shown}" if fact.about else shown


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


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
