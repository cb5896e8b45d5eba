"""Quality gates: what a clinician checks by hand before signing a leaflet off.

Each gate measures the leaflets as they print, for every clinic, language and
leaflet of a build, and says what it found in words a writer can act on, with
the file and line to change. A finding is a failure (nothing is written), a
warning (a failure under ``--strict``) or a note for the reviewer. ``check``
shows them all; a build runs the same gates before it writes anything.

Some rules are enforced earlier, when the content loads, because nothing can be
built without them: every block cites a known source, every number comes from
``facts.yaml``, a clinic's colours reach 4.5:1 and its languages are written.
The gates report the measurements behind them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

from handout.content.clinic import (
    ADULT_LIMIT_FACT,
    MIN_CONTRAST,
    contrast,
    overdue_warning,
    review_due,
)
from handout.content.facts import EMERGENCY_FACT, facts_for
from handout.content.i18n import SOURCE_LANGUAGE
from handout.content.loader import Content
from handout.content.model import FactNotSet
from handout.content.texts import FACT_REF, Located
from handout.content.translations import LANGUAGE_FILE
from handout.content.yamlfile import YamlDocument, read_yaml
from handout.core.editions import Edition
from handout.core.errors import Location, UserError
from handout.gates.readability import Scale, printed_units
from handout.render.page import LeafletPage, wording_for

GATES: dict[str, str] = {
    "reading": "Reading level",
    "sources": "Provenance",
    "facts": "Consistency",
    "review": "Currency",
    "pages": "Page fit",
    "access": "Accessibility",
    "language": "Translation",
}
"""Gate id to its column heading, in the order a reviewer reads them."""

Level = Literal["fail", "warn", "info"]
LEVELS: tuple[Level, ...] = ("fail", "warn", "info")
OLD_SOURCE_YEARS = 10
"""A source older than this is reported (not failed), to prompt a look for newer evidence."""
HARDEST_SHOWN = 3
MIN_SCORED_WORDS = 6
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass
class PageFit:
    """What the layout check found, in words a content editor can act on."""

    problems: list[str] = field(default_factory=list)
    sections: dict[str, list[int]] = field(default_factory=dict)
    """For the booklet: each ``<article id>``'s page numbers, from 1."""
    text: str = ""
    """Every line as laid out, footers included: what the page really shows."""
    section_texts: dict[str, str] = field(default_factory=dict)
    """For the booklet: the laid-out text of each ``<article id>``."""
    smallest: tuple[float, str] | None = None
    """The smallest type on any page, in points, and a line set in it."""

    def pages_of(self, section_id: str) -> int:
        return len(self.sections.get(section_id, []))


@dataclass(frozen=True)
class Finding:
    gate: str
    level: Level
    error: UserError
    """What was found, and the file and line to change."""
    rows: tuple[str, ...] = ()
    """The leaflets (row keys) it concerns; none when it is about the content as a whole."""


@dataclass(frozen=True)
class Sentence:
    """One sentence as printed, scored alone, and where it was written."""

    score: float
    text: str
    part: str
    """Which part of the leaflet: "block 'x'", "note on block 'x'", "title"."""
    location: Location | None


@dataclass(frozen=True)
class ProofMeasures:
    """What the gates read from a leaflet's HTML: slow to work out (the syllable
    dictionary takes a second to load), so a build keeps them between runs."""

    reading: float
    """The reading score, on the leaflet's language's scale."""
    hardest: tuple[Sentence, ...]
    images: int
    described: int
    """Images with alternative text."""


@dataclass(frozen=True)
class Proof:
    """One leaflet for one clinic and language: its words and its HTML."""

    page: LeafletPage
    clinic_file: Path
    html: str
    measures: ProofMeasures | None = None
    """Measured already (kept from an earlier build); None to measure now."""

    @property
    def key(self) -> str:
        return row_key(self.page.clinic.id, self.page.lang, self.page.id)


@dataclass(frozen=True)
class Section:
    """One leaflet's share of a laid-out PDF: all of it, or its part of a booklet."""

    name: str
    """For messages: "leaflet 'foods' for clinic 'x' (en, large-print edition)"."""
    leaflet: str
    pages: int
    budget: int
    text: str


@dataclass(frozen=True)
class Layout:
    """One PDF as WeasyPrint laid it out: a leaflet in one edition, or a booklet."""

    edition: Edition
    name: str
    place: Location | None
    """Where a layout problem is fixed: the leaflet file, or the clinic file for a booklet."""
    problems: tuple[str, ...]
    smallest: tuple[float, str] | None
    sections: dict[str, Section]
    """By row key."""


@dataclass
class Row:
    """One leaflet for one clinic and language, with a short result per gate."""

    key: str
    cells: dict[str, str] = field(default_factory=dict)
    reading: float | None = None
    scale: Scale | None = None
    hardest: list[Sentence] = field(default_factory=list)


@dataclass
class Report:
    rows: list[Row]
    findings: list[Finding]
    editions: tuple[str, ...]
    strict: bool = False

    def level(self, finding: Finding) -> Level:
        """A warning counts as a failure under ``--strict``."""
        return "fail" if self.strict and finding.level == "warn" else finding.level

    def cell_level(self, row: Row, gate: str) -> Level | Literal["ok"]:
        found = {self.level(f) for f in self.findings
                 if f.gate == gate and (row.key in f.rows) and f.level != "info"}
        return next((level for level in LEVELS if level in found), "ok")

    def row_level(self, row: Row) -> Level | Literal["ok"]:
        found = {self.cell_level(row, gate) for gate in GATES}
        return next((level for level in LEVELS if level in found), "ok")

    def of_level(self, level: Level) -> list[Finding]:
        return [f for f in self.findings if self.level(f) == level]

    @property
    def passed(self) -> bool:
        return not self.of_level("fail")

    def sorted_rows(self) -> list[Row]:
        """Failures first, then warnings, then the rest, each in build order."""
        order = {"fail": 0, "warn": 1, "info": 2, "ok": 2}
        return sorted(self.rows, key=lambda row: order[self.row_level(row)])

    def as_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "strict": self.strict,
            "editions": list(self.editions),
            "gates": GATES,
            "rows": [{
                "leaflet": row.key,
                "status": self.row_level(row),
                "reading": row.reading,
                "reading_scale": row.scale.name if row.scale else None,
                "cells": {gate: {"text": row.cells.get(gate, ""),
                                 "status": self.cell_level(row, gate)} for gate in GATES},
                "hardest_sentences": [{"score": s.score, "text": s.text, "part": s.part,
                                       "location": _shown(s.location)} for s in row.hardest],
            } for row in self.sorted_rows()],
            "findings": [{
                "gate": f.gate,
                "level": self.level(f),
                "location": _shown(f.error.location),
                "message": f.error.message,
                "leaflets": list(f.rows),
            } for level in LEVELS for f in self.of_level(level)],
        }


def row_key(clinic: str, lang: str, leaflet: str) -> str:
    return f"{clinic}/{lang}/{leaflet}"


def run_gates(content: Content, proofs: list[Proof], layouts: list[Layout],
              today: dt.date, strict: bool = False) -> Report:
    """Measure every leaflet of a build against every gate."""
    rows = {proof.key: Row(proof.key) for proof in proofs}
    proofs = [proof if proof.measures else replace(proof, measures=measure_proof(content, proof))
              for proof in proofs]
    findings: list[Finding] = []
    for gate in (_reading, _provenance, _consistency, _currency, _page_fit, _accessibility,
                 _translation):
        findings.extend(gate(_Context(content, proofs, layouts, rows, today)))
    editions = tuple(dict.fromkeys(layout.edition.name for layout in layouts))
    return Report(list(rows.values()), findings, editions, strict)


@dataclass(frozen=True)
class _Context:
    content: Content
    proofs: list[Proof]
    layouts: list[Layout]
    rows: dict[str, Row]
    today: dt.date

    def place(self, kind: str, item_id: str) -> Location | None:
        return self.content.place(kind, item_id)

    def rows_of_clinic(self, clinic_id: str) -> tuple[str, ...]:
        return tuple(p.key for p in self.proofs if p.page.clinic.id == clinic_id)


# --- reading level ---------------------------------------------------------------


def _reading(ctx: _Context) -> list[Finding]:
    """The reading level on the printed words, on each language's scale
    (standards.md: English never above grade 8; Spanish "fairly easy" or easier).

    The clinic's notes print with the rest, so they count in the score, and a
    hard note is listed among the hardest sentences with its line in the
    clinic file."""
    findings = []
    for proof in ctx.proofs:
        page, row = proof.page, ctx.rows[proof.key]
        scale = reading_scale(ctx.content, page)
        assert proof.measures is not None
        row.reading, row.scale = proof.measures.reading, scale
        row.hardest = list(proof.measures.hardest)
        row.cells["reading"] = scale.shown(row.reading)
        if not scale.passes(row.reading):
            findings.append(Finding("reading", "fail", UserError(
                wording_for(ctx.content, page.lang).place("leaflet", page.id),
                f"{proof.key} scores {row.reading:g} on {scale.name}; "
                f"{'the limit is' if scale.is_grade else 'it needs at least'} {scale.limit:g}. "
                "Rewrite its hardest sentences, listed with their lines"), (proof.key,)))
            findings.extend(Finding("reading", "fail", UserError(
                sentence.location, f"{scale.name} {sentence.score:g}, one of the hardest "
                                   f"sentences of {proof.key} ({sentence.part}): "
                                   f"\"{sentence.text}\""),
                (proof.key,))
                for sentence in row.hardest)
    return _unique(findings)


def reading_scale(content: Content, page: LeafletPage) -> Scale:
    """English is scored on the Flesch-Kincaid grade the clinic allows; another
    language on the formula and level its ``language.yaml`` names."""
    if page.lang == SOURCE_LANGUAGE:
        return Scale(page.lang, "flesch-kincaid-grade", page.clinic.max_reading_grade)
    reading = content.translations[page.lang].info.reading
    return Scale(page.lang, reading.formula, reading.limit)


def measure_proof(content: Content, proof: Proof) -> ProofMeasures:
    images, described = _images(proof.html)
    scale = reading_scale(content, proof.page)
    return ProofMeasures(scale.score(printed_units(proof.html)),
                         tuple(_hardest(content, proof, scale)), images, described)


def _hardest(content: Content, proof: Proof, scale: Scale) -> list[Sentence]:
    """The sentences that make the leaflet hardest to read, each with the place it was
    written."""
    page = proof.page
    facts = facts_for(content, page.clinic, page.words)
    written = content.texts_in(page.lang)
    pieces: list[tuple[str, Located]] = list(zip(
        ("title", "main message"), written.get(("leaflet", page.id), ()), strict=False))
    for block in page.blocks:
        pieces.extend((f"block '{block.id}'", located)
                      for located in written.get(("block", block.id), ()))
    sentences = []
    for part, (text, location) in pieces:
        try:
            printed = facts.expand(text)
        except FactNotSet:  # a table row left out for this region
            continue
        sentences.extend(Sentence(scale.score_text(s), s, part, location)
                         for s in _sentences(printed))
    places = _note_places(proof)
    for block_id, note in page.notes.items():
        sentences.extend(Sentence(scale.score_text(s), s, f"note on block '{block_id}'",
                                  places[block_id]) for s in _sentences(note))
    return sorted(sentences, key=lambda s: -scale.difficulty(s.score))[:HARDEST_SHOWN]


def _note_places(proof: Proof) -> dict[str, Location]:
    return note_places(proof.clinic_file, proof.page)


@functools.lru_cache(maxsize=256)
def clinic_document(clinic_file: Path) -> YamlDocument:
    """A clinic file read once per build, for its notes' places (``build`` clears it)."""
    return read_yaml(clinic_file)


def note_places(clinic_file: Path, page: LeafletPage) -> dict[str, Location]:
    """Where each of the clinic's notes on this leaflet is written, in its language."""
    if not page.notes:
        return {}
    doc = clinic_document(clinic_file)
    return {block_id: doc.where(("notes", block_id, page.lang)) for block_id in page.notes}


def _sentences(text: str) -> list[str]:
    """Sentences long enough to score: on a label or a short heading, one long
    word swings Flesch-Kincaid by ten grades and says nothing about the prose."""
    plain = " ".join(text.replace("**", "").split())
    return [s for s in SENTENCE_END.split(plain) if len(s.split()) >= MIN_SCORED_WORDS]


# --- provenance ------------------------------------------------------------------


def _provenance(ctx: _Context) -> list[Finding]:
    """What each leaflet rests on; which facts nobody prints; blocks resting on web pages."""
    content = ctx.content
    findings = []
    web = {s for s, source in content.sources.items() if source.kind == "web-article"}
    for proof in ctx.proofs:
        cited = proof.page.source_ids
        weak = sum(1 for s in cited if s in web)
        ctx.rows[proof.key].cells["sources"] = f"{len(cited)} ({weak} web)"
    for block_id, block in content.blocks.items():
        if all(s in web for s in block.sources):
            rows = tuple(p.key for p in ctx.proofs
                         if block_id in {shown.id for shown in p.page.blocks})
            if rows:
                findings.append(Finding("sources", "warn", UserError(
                    ctx.place("block", block_id),
                    f"block '{block_id}' cites only web articles ({', '.join(block.sources)}); "
                    "add an authoritative reference from content/sources.yaml"), rows))
    used = _facts_referenced(content)
    for fact_id in content.facts:
        if fact_id not in used:
            findings.append(Finding("sources", "warn", UserError(
                ctx.place("fact", fact_id),
                f"fact '{fact_id}' is defined but no block prints it: use it as "
                f"{{{fact_id}}} or remove it")))
    return findings


def _facts_referenced(content: Content) -> set[str]:
    used = {EMERGENCY_FACT, ADULT_LIMIT_FACT}  # read by code as well as by blocks
    for texts in content.texts.values():
        for text, _ in texts:
            used.update(ref.partition(":")[0] for ref in FACT_REF.findall(text))
    for block in content.blocks.values():
        used.update(getattr(block, "fact_rows", ()))
    return used


# --- consistency -----------------------------------------------------------------


def _consistency(ctx: _Context) -> list[Finding]:
    """One fact, one value: across a clinic's leaflets and languages, and on every
    edition's pages (a stylesheet must not hide a number the leaflet relies on)."""
    findings = []
    seen: dict[tuple[str, str], dict[tuple[str, ...], list[tuple[str, str]]]] = defaultdict(
        lambda: defaultdict(list))
    for proof in ctx.proofs:
        page = proof.page
        for fact_id, value in page.facts.items():
            seen[(page.clinic.id, fact_id)][tuple(_numbers(value))].append(
                (proof.key, f"{page.id} ({page.lang}): {value}"))
        ctx.rows[proof.key].cells["facts"] = f"{len(page.facts)} facts"
    for (clinic_id, fact_id), values in seen.items():
        if len(values) > 1:
            shown = "; ".join(printed[0][1] for printed in values.values())
            keys = tuple(key for printed in values.values() for key, _ in printed)
            findings.append(Finding("facts", "fail", UserError(
                ctx.place("fact", fact_id),
                f"fact '{fact_id}' prints different values for clinic '{clinic_id}': "
                f"{shown}. Take every value from the fact"), keys))
    proofs = {proof.key: proof for proof in ctx.proofs}
    for layout in ctx.layouts:
        for key, section in layout.sections.items():
            for fact_id, value in proofs[key].page.facts.items():
                if not _shows(section.text, value):
                    findings.append(Finding("facts", "fail", UserError(
                        layout.place,
                        f"{section.name}: fact '{fact_id}' ({value}) is in the leaflet but "
                        "not on its pages; check that no stylesheet hides it"), (key,)))
    return findings


def _shows(text: str, value: str) -> bool:
    """Whether ``value`` is printed in ``text`` as itself: "65 mg", not inside "165 mg"."""
    return re.search(rf"(?<![\d.,]){re.escape(value)}(?![\d])", text) is not None


def _numbers(text: str) -> list[str]:
    """The numbers in a printed value, with a decimal comma read as a point."""
    return [n.replace(",", ".") for n in NUMBER.findall(text)]


# --- currency --------------------------------------------------------------------


def _currency(ctx: _Context) -> list[Finding]:
    """Is the clinic's sign-off in date, and how old is the evidence?"""
    findings = []
    clinics = {p.page.clinic.id: p for p in ctx.proofs}
    for clinic_id, proof in clinics.items():
        clinic, rows = proof.page.clinic, ctx.rows_of_clinic(clinic_id)
        due = review_due(clinic)
        status = "not reviewed" if due is None else f"due {due.isoformat()}"
        overdue = overdue_warning(clinic, ctx.today, proof.clinic_file)
        if overdue:
            status = f"overdue {due}"
            findings.append(Finding("review", "warn", UserError(None, overdue), rows))
        elif due is None:
            findings.append(Finding("review", "info", UserError(
                Location(proof.clinic_file),
                f"clinic '{clinic_id}' has not reviewed the leaflets; each says so. Add "
                "'reviewed_by' and 'reviewed_on' once a clinician has"), rows))
        for key in rows:
            ctx.rows[key].cells["review"] = status
    for proof in ctx.proofs:
        leaflet = proof.page.leaflet
        if leaflet.clinical_review is None:
            findings.append(Finding("review", "info", UserError(
                ctx.place("leaflet", proof.page.id),
                f"leaflet '{proof.page.id}' has no clinical_review"), (proof.key,)))
    cited: dict[str, list[str]] = defaultdict(list)
    for proof in ctx.proofs:
        for source_id in proof.page.source_ids:
            cited[source_id].append(proof.key)
    for source_id, keys in cited.items():
        source = ctx.content.sources[source_id]
        age = None if source.year is None else ctx.today.year - source.year
        if age is None:
            message = (f"source '{source_id}' has no year: add the year it was published or "
                       "last updated")
        elif age > OLD_SOURCE_YEARS:
            message = (f"source '{source_id}' is from {source.year}, {age} years ago: "
                       "look for newer evidence")
        else:
            continue
        findings.append(Finding("review", "info", UserError(ctx.place("source", source_id),
                                                            message), tuple(keys)))
    return _unique(findings)


# --- page fit --------------------------------------------------------------------


def _page_fit(ctx: _Context) -> list[Finding]:
    """Pages used against the budget in each edition; what broke in the layout."""
    findings = []
    for layout in ctx.layouts:
        keys = tuple(layout.sections)
        findings.extend(Finding("pages", "fail", UserError(layout.place,
                                                           f"{layout.name}: {problem}"), keys)
                        for problem in layout.problems)
        for key, section in layout.sections.items():
            used = f"{section.pages}/{section.budget}"
            cell = ctx.rows[key].cells
            shown = used if layout.edition.name == "standard" else (
                f"{layout.edition.name} {used}")
            cell["pages"] = ", ".join(filter(None, (cell.get("pages"), shown)))
            if section.pages > section.budget:
                findings.append(Finding("pages", "fail", UserError(
                    ctx.place("budget", section.leaflet),
                    f"{section.name} has {section.pages} pages; its budget is "
                    f"{section.budget}. Shorten it or move a block to another leaflet"),
                    (key,)))
    return findings


# --- accessibility ---------------------------------------------------------------


def _accessibility(ctx: _Context) -> list[Finding]:
    """Quick checks: colour contrast, alternative text, the smallest type."""
    findings = []
    for proof in ctx.proofs:
        colours = proof.page.clinic.colors
        ratio = min(contrast(colours.primary), contrast(colours.accent))
        assert proof.measures is not None
        images, described = proof.measures.images, proof.measures.described
        ctx.rows[proof.key].cells["access"] = f"{ratio:.1f}:1, alt {described}/{images}"
        if ratio < MIN_CONTRAST:
            findings.append(Finding("access", "fail", UserError(
                Location(proof.clinic_file),
                f"a clinic colour has contrast {ratio:.2f}:1; text needs {MIN_CONTRAST}:1"),
                (proof.key,)))
        if described < images:
            missing = images - described
            findings.append(Finding("access", "fail", UserError(
                None, f"{proof.key}: {missing} image{'s' if missing != 1 else ''} without "
                      "alternative text: in templates/, give each <img> an alt and each "
                      "role=\"img\" an aria-label"), (proof.key,)))
    for layout in ctx.layouts:
        if layout.smallest is None:
            continue
        points, text = layout.smallest
        keys = tuple(layout.sections)
        for key in keys:
            ctx.rows[key].cells["access"] += (
                f", {points:.3g} pt" if layout.edition.name == "standard"
                else f", {layout.edition.name} {points:.3g} pt")
        if points < layout.edition.min_font_pt:
            findings.append(Finding("access", "fail", UserError(
                layout.place,
                f"{layout.name}: \"{text}\" is set in {points:.3g} pt; nothing in this "
                f"edition may be smaller than {layout.edition.min_font_pt:g} pt"), keys))
    return findings


def _images(html: str) -> tuple[int, int]:
    """How many images the HTML has, and how many of them have alternative text."""
    parser = _ImageParser()
    parser.feed(html)
    return parser.images, parser.described


class _ImageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images = self.described = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "img" or attributes.get("role") == "img":
            self.images += 1
            text = attributes.get("alt") if tag == "img" else attributes.get("aria-label")
            self.described += bool((text or "").strip())


# --- translation -----------------------------------------------------------------


def _translation(ctx: _Context) -> list[Finding]:
    """Each leaflet's language, and whether its translation has been checked.

    A translation with a gap never gets this far: the build stops at the first
    stage, listing every untranslated block, note and fixed string with its place.
    What is left to say is who checked the translation against the English."""
    findings = []
    for proof in ctx.proofs:
        page = proof.page
        cell = f"{page.lang} {len(page.blocks)}/{len(page.blocks)}"
        if page.lang != SOURCE_LANGUAGE:
            translation = ctx.content.translations[page.lang]
            info = translation.info
            cell += f", checked {info.reviewed_on}" if info.reviewed_on else ", not checked"
            revised = ctx.content.leaflets[page.id].revised
            if info.reviewed_on is not None and revised > info.reviewed_on:
                findings.append(Finding("language", "warn", UserError(
                    Location(translation.folder / LANGUAGE_FILE),
                    f"the English of leaflet '{page.id}' was revised on {revised}, after the "
                    f"{info.name} translation was checked on {info.reviewed_on}: bring the "
                    "translation up to date, have it checked, and update 'reviewed_on'"),
                    (proof.key,)))
            if info.reviewed_on is None:
                findings.append(Finding("language", "warn", UserError(
                    Location(translation.folder / LANGUAGE_FILE),
                    f"the {info.name} translation has not been checked against the English: "
                    "a bilingual clinician should read it, then set 'reviewed_by' and "
                    "'reviewed_on' here"), (proof.key,)))
        ctx.rows[proof.key].cells["language"] = cell
    return _unique(findings)


def _unique(findings: list[Finding]) -> list[Finding]:
    """One finding per message and place, however many leaflets it concerns."""
    merged: dict[tuple[str, Level, UserError], list[str]] = {}
    for finding in findings:
        merged.setdefault((finding.gate, finding.level, finding.error), []).extend(finding.rows)
    return [Finding(gate, level, error, tuple(dict.fromkeys(rows)))
            for (gate, level, error), rows in merged.items()]


def _shown(location: Location | None) -> str | None:
    return None if location is None else str(location)


def location_url(location: Location | None) -> str | None:
    """A link a browser can open: the file, with the line as a fragment for editors."""
    if location is None:
        return None
    return location.path.resolve().as_uri() + (f"#L{location.line}" if location.line else "")

