"""The gates' report: a row per leaflet with a cell per gate, and the findings.

``check`` prints it as a table or as JSON; a build writes it as ``report.html``
(``report_html``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from handout.core.errors import Location
from handout.core.keys import LeafletKey
from handout.gates.base import LEVELS, Finding, Level
from handout.gates.measures import Sentence
from handout.gates.readability import Scale


@dataclass(frozen=True)
class Row:
    """One leaflet for one clinic and language, with a short result per gate."""

    key: LeafletKey
    cells: dict[str, str] = field(default_factory=dict)
    """By gate id."""
    reading: float | None = None
    scale: Scale | None = None
    hardest: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class Report:
    rows: list[Row]
    findings: list[Finding]
    editions: tuple[str, ...]
    headings: dict[str, str]
    """Gate id to its column heading, in the order a reviewer reads them."""
    strict: bool = False

    def level(self, finding: Finding) -> Level:
        """A warning counts as a failure under ``--strict``."""
        return "fail" if self.strict and finding.level == "warn" else finding.level

    def cell_level(self, row: Row, gate: str) -> Level | Literal["ok"]:
        found = {self.level(f) for f in self.findings
                 if f.gate == gate and (row.key in f.rows) and f.level != "info"}
        return next((level for level in LEVELS if level in found), "ok")

    def row_level(self, row: Row) -> Level | Literal["ok"]:
        found = {self.cell_level(row, gate) for gate in self.headings}
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
            "gates": self.headings,
            "rows": [{
                "leaflet": str(row.key),
                "status": self.row_level(row),
                "reading": row.reading,
                "reading_scale": row.scale.name if row.scale else None,
                "cells": {gate: {"text": row.cells.get(gate, ""),
                                 "status": self.cell_level(row, gate)}
                          for gate in self.headings},
                "hardest_sentences": [{"score": s.score, "text": s.text, "part": s.part,
                                       "location": _shown(s.location)} for s in row.hardest],
            } for row in self.sorted_rows()],
            "findings": [{
                "gate": f.gate,
                "level": self.level(f),
                "location": _shown(f.error.location),
                "message": f.error.message,
                "leaflets": [str(key) for key in f.rows],
            } for level in LEVELS for f in self.of_level(level)],
        }


def _shown(location: Location | None) -> str | None:
    return None if location is None else str(location)


def location_url(location: Location | None) -> str | None:
    """A link a browser can open: the file, with the line as a fragment for editors."""
    if location is None:
        return None
    return location.path.resolve().as_uri() + (f"#L{location.line}" if location.line else "")
