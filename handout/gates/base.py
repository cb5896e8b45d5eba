"""What a gate is, what it reads and what it says.

A gate reads the leaflets of a build as they print (``Proof``: the words of a
leaflet; ``Layout``: one PDF as it was laid out) and returns a ``Verdict``: a
short cell per leaflet for the report's table, and its findings. A finding is
a failure (nothing is written), a warning (a failure under ``--strict``) or a
note for the reviewer, with the file and line to change. Gates change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from handout.content.loader import Content
from handout.content.texts import ItemKind
from handout.core.editions import Edition
from handout.core.errors import Location, UserError
from handout.core.keys import LeafletKey
from handout.gates.measures import Proof

Level = Literal["fail", "warn", "info"]
LEVELS: tuple[Level, ...] = ("fail", "warn", "info")


@dataclass(frozen=True)
class Finding:
    gate: str
    level: Level
    error: UserError
    """What was found, and the file and line to change."""
    rows: tuple[LeafletKey, ...] = ()
    """The leaflets it concerns; none when it is about the content as a whole."""


@dataclass(frozen=True)
class Section:
    """One leaflet's share of a laid-out PDF: all of it, or its part of a booklet."""

    name: str
    """For messages: "leaflet 'foods' for clinic 'x' (en, large-print edition)"."""
    leaflet: str
    pages: int
    budget: int
    text: str
    facts: dict[str, str] = field(default_factory=dict)
    """Each fact's value as these pages print it: an edition with its own text (Easy
    Read) prints some of the leaflet's facts, in its own words ("350 milligrams")."""


@dataclass(frozen=True)
class Layout:
    """One PDF as WeasyPrint laid it out: a leaflet in one edition, or a booklet."""

    edition: Edition
    name: str
    place: Location | None
    """Where a layout problem is fixed: the leaflet file, or the clinic file for a booklet."""
    problems: tuple[str, ...]
    smallest: tuple[float, str] | None
    sections: dict[LeafletKey, Section]


@dataclass(frozen=True)
class GateContext:
    """Everything a gate reads: the content, every leaflet's words, every layout."""

    content: Content
    proofs: list[Proof]
    layouts: list[Layout]
    today: dt.date

    def place(self, kind: ItemKind, item_id: str) -> Location | None:
        return self.content.place(kind, item_id)

    def rows_of_clinic(self, clinic_id: str) -> tuple[LeafletKey, ...]:
        return tuple(p.key for p in self.proofs if p.page.clinic.id == clinic_id)


@dataclass
class Verdict:
    """What one gate says: a cell per leaflet, and its findings."""

    cells: dict[LeafletKey, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add_cell(self, key: LeafletKey, text: str) -> None:
        """Add to a leaflet's cell: one part per edition, joined by commas."""
        self.cells[key] = ", ".join(filter(None, (self.cells.get(key), text)))


@dataclass(frozen=True)
class Gate:
    """One gate: its id, the report's column heading, and what it measures."""

    id: str
    heading: str
    run: Callable[[GateContext], Verdict]


def unique(findings: list[Finding]) -> list[Finding]:
    """One finding per message and place, however many leaflets it concerns."""
    merged: dict[tuple[str, Level, UserError], list[LeafletKey]] = {}
    for finding in findings:
        merged.setdefault((finding.gate, finding.level, finding.error), []).extend(finding.rows)
    return [Finding(gate, level, error, tuple(dict.fromkeys(rows)))
            for (gate, level, error), rows in merged.items()]


def edition_tagged(edition: Edition, text: str) -> str:
    """A measure of one edition, as a cell shows it: "2/2", "large-print 4/4"."""
    return f"{edition.tag} {text}" if edition.tag else text
